"""The data dictionary of ``data/derived/``: every column of every file the pipeline writes.

Each derived file is declared once here, with the step that writes it and one
:class:`Column` per column (type, unit, meaning, allowed values).  JSON files are
declared by their top-level keys.  :func:`check_documented` compares a
declaration with the data actually written and :func:`dictionary_markdown`
renders ``data/derived/README.md`` from both, adding what it observes (range,
levels, missing values), so the dictionary cannot drift from the data: an
undocumented column, or a documented one that is gone, stops the build.

Pure functions: the caller reads the files and writes the result.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from .countmodel import DENSITY, MEMBERSHIP_RATE, PAPER_RATE
from .data import COMPARISON_PERIODS
from .democracy import MEASURES
from .withdrawal import FLAGS, HORIZON
from .filedoc import TYPES, Column, FileDoc  # noqa: F401 (the declarations' types, re-exported)

_c = Column


_YEAR = "year"
_IO = _c("ioname", "string", "-", "COW IGO v3 abbreviation of the organization (`ioname`)", "an `ioname` of COW IGO v3")
_ORG = _c("orgname", "string", "-", "COW IGO v3 short name of the organization (`orgname`)", "any text")
_STATE = _c("state", "string", "-", "COW IGO v3 state column name (e.g. `usa`, `uk`)", "a state column of COW IGO v3")
_CCODE = _c("ccode", "integer", "-", "COW country code", "a code of the COW state system list")
_AREA = _c("issue_area", "string", "-", "COW issue area of the organization (its one issue-area dummy)",
           "economic, political, social")
_P2 = _c("polity2", "float", "Polity scale", "Polity5 combined polity score of the state in `year` "
         "(empty: no score that year)", "-10 to 10", nullable=True)
_DEM = _c("democracy", "integer", "-", "1 if a democracy under the chosen measure and cut-off (default polity2 ≥ 7; "
          "see regime_coverage.json), else 0 (empty: no score)",
          "0, 1", nullable=True)


def _flag(name: str) -> Column:
    if name not in FLAGS:
        raise ValueError(f"the data dictionary lists the flag {name!r}, which withdrawal.FLAGS does not declare; "
                         "declare it there first")
    return _c(name, "boolean", "-", FLAGS[name].meaning, "True, False")


_WITHDRAWAL_KEYS = (
    _IO, _STATE, _CCODE,
    _c("year", "integer", _YEAR, "first calendar year of non-membership (the withdrawal year)", "1945-2014"),
    _c("prev_status", "integer", "-", "COW status code in the last member year", "1 full, 2 associate, 3 observer"),
    _c("last_member_year", "integer", _YEAR, "last year coded as a member (`year` - 1)", "1944-2013"),
)
_COUNTS = (_c("n_leaving", "integer", "count", "full members of the IGO that leave it in the same year", ">= 0"),
           _c("n_state_leaving", "integer", "count", "IGOs the state leaves (from full membership) that year",
              ">= 0"))

_RATE = "percent"
#: The keys of the democracy measures, as the data dictionary lists them (backlash.democracy.MEASURES).
_MEASURE_KEYS = ", ".join(MEASURES)
#: A measure's dichotomization as used in the files across measures (backlash.robustness.every_measure).
_CUTOFF = _c("cutoff", "string", "-", "its dichotomization (the chosen measure at the chosen cut-off, the others "
             "at their defaults)", "any text")


def _score(m) -> Column:
    """The column of the measures panel that holds measure ``m``'s score, as its entry describes it."""
    lo, hi = m.domain
    return _c(m.column, m.dtype, m.unit, f"{m.description} (empty: not scored)",
              f"{lo}, {hi}" if m.dichotomous else f"{lo} to {hi}", nullable=True)

_MODEL_AXIS = (
    _c("alpha_r", "float", "share of national income", "winners' status-quo share under globalization, alpha_R",
       "(1 - lambda, 1)"),
    _c("inequality", "float", "ratio", "alpha_R / (1 - alpha_R), the horizontal axis of Figures 2 and 3", "> 0"),
)

#: Figure 1(a)'s yearly columns by regime type (robustness series by rule and by measure).
_REGIME_SERIES = (
    _c("year", "integer", _YEAR, "calendar year", "1945-2014"),
    _c("n_dem", "integer", "count", "system members coded democracy", ">= 0"),
    _c("n_nondem", "integer", "count", "system members coded nondemocracy", ">= 0"),
    _c("w_dem", "integer", "count", "withdrawals by democracies", ">= 0"),
    _c("w_nondem", "integer", "count", "withdrawals by nondemocracies", ">= 0"),
    _c("rate_dem", "float", _RATE, "100 x w_dem / (n_dem x IGOs in force)", ">= 0", nullable=True),
    _c("rate_nondem", "float", _RATE, "100 x w_nondem / (n_nondem x IGOs in force)", ">= 0", nullable=True),
)

#: Every file in ``data/derived/``, declared once.
DERIVED: dict[str, FileDoc] = {d.name: d for d in (
    FileDoc("regime_panel.csv", "py/regime_panel.py",
            "COW system members 1945-2014 with their Polity5 score and regime type under the chosen measure "
            "(one row per state-year).",
            (_CCODE, _c("year", "integer", _YEAR, "calendar year", "1945-2014"),
             _c("polity", "float", "Polity scale", "Polity5 `polity` including the special codes "
                "(empty: no Polity5 row)", "-10 to 10, -66, -77, -88", nullable=True),
             _P2, _DEM)),
    FileDoc("regime_coverage.json", "py/regime_panel.py",
            "How many member-years get a regime type, and why the others do not (the report's regime accounting).",
            tuple(_c(k, "integer", "count", m, ">= 0") for k, m in (
                ("member_years", "COW system member-years 1945-2014"),
                ("states", "states among them"),
                ("democracy_years", "member-years coded democracy"),
                ("nondemocracy_years", "member-years coded nondemocracy"),
                ("missing_polity2", "member-years with no polity2 (no regime type)"),
                ("no_polity_row", "member-years with no Polity5 row at all"),
                ("foreign_occupation_minus66", "member-years Polity5 codes -66 (foreign interruption)"),
                ("interregnum_minus77", "member-years Polity5 codes -77 (interregnum)"),
                ("transition_minus88", "member-years Polity5 codes -88 (transition)"),
                ("polity_codes_remapped", "Polity5 country codes changed to COW's (crosswalk)"),
                ("states_never_scored", "member states with no polity2 in any year"),
                ("missing_democracy", "member-years without a score on the chosen measure (no regime type)"),
                ("transition_without_polity2", "transition years (-88) that polity2 leaves missing"),
            )) + (_c("transition_without_polity2_cases", "array", "-", "those years as state and span",
                     "list of text"),
                  _c("measure", "string", "-", "the chosen democracy measure", _MEASURE_KEYS),
                  _c("measure_name", "string", "-", "its name as the report writes it", "any text"),
                  _c("rule", "string", "-", "the dichotomization in words, e.g. polity2 ≥ 7", "any text"),
                  _c("threshold", "number", "the measure's scale", "the cut-off", "within the measure's range"))),
    FileDoc("democracy_measures.csv", "py/democracy_measures.py",
            "COW system members 1945-2014 scored by each democracy measure (one row per state-year; "
            "backlash.democracy).",
            (_CCODE, _c("year", "integer", _YEAR, "calendar year", "1945-2014"),
             _c("polity", "float", "Polity scale", "Polity5 `polity` including the special codes "
                "(empty: no Polity5 row)", "-10 to 10, -66, -77, -88", nullable=True),
             *(_score(m) for m in MEASURES.values()))),
    FileDoc("democracy_coverage.json", "py/democracy_measures.py",
            "Coverage and crosswalk cases of each democracy measure among COW members 1945-2014.",
            tuple(_c(k, "object", "-", f"{m.name}{' (with its detailed accounting)' if m.source is None else ''}: "
                     "member-years with and without a score, states never scored, rows without a COW code and "
                     "duplicate units dropped", "see src/backlash/democracy.py")
                  for k, m in MEASURES.items())),
    FileDoc("igo_panel.csv", "py/igo_panel.py", "IGOs in force each year, in total, by issue area, and those in "
            "which a rule may not see a withdrawal.",
            (_c("year", "integer", _YEAR, "calendar year", "1945-2014"),
             _c("n_igos", "integer", "count", "IGOs in force", ">= 0"),
             *(_c(f"n_{a}", "integer", "count", f"{a} IGOs in force", ">= 0")
               for a in ("economic", "political", "social")),
             _c("n_igos_imputed", "integer", "count", "IGOs in force whose membership COW imputed in the year "
                "or the year before (where a rule that drops imputed years sees no withdrawal)", "0 to n_igos"),
             _c("n_igos_ending", "integer", "count", f"IGOs in force that end within {HORIZON} years, before the "
                "end of the data (where a rule that drops lapses from ending IGOs sees no withdrawal)",
                "0 to n_igos"),
             _c("n_igos_imputed_ending", "integer", "count", "IGOs in force counted in both n_igos_imputed and "
                "n_igos_ending", "0 to n_igos_ending"))),
    FileDoc("withdrawal_candidates.csv", "py/withdrawals.py",
            "Every move of a state from membership (status 1, 2 or 3) to no membership (0) in an IGO, "
            "1945-2014, with the flags that the withdrawal rules filter on (one row per move).",
            (*_WITHDRAWAL_KEYS[:3], _WITHDRAWAL_KEYS[3], _WITHDRAWAL_KEYS[4], _WITHDRAWAL_KEYS[5],
             *(_flag(f) for f in ("from_full", "reentry_1y", "reentry_2y")), _ORG, _AREA,
             _c("first_year", "integer", _YEAR, "first year of the IGO in COW", "1816-2014"),
             _c("last_year", "integer", _YEAR, "last year the IGO is in force", "1816-2014"),
             *(_flag(f) for f in ("igo_in_force", "igo_ends_soon", "imputed", "seam_1965", "state_member",
                                  "state_ends_soon")),
             _COUNTS[0], _flag("mass_exit"), _COUNTS[1], _flag("state_mass_exit"))),
    FileDoc("withdrawals.csv", "py/withdrawals.py",
            "The withdrawals under the chosen rule, with the regime type in the first year out (one row each).",
            (_IO, _ORG, _STATE, _CCODE, _WITHDRAWAL_KEYS[3], _WITHDRAWAL_KEYS[5], _AREA, _P2, _DEM,
             _WITHDRAWAL_KEYS[4], _flag("reentry_1y"), _flag("reentry_2y"), _flag("imputed"), _flag("seam_1965"),
             _flag("mass_exit"), _flag("state_mass_exit"), _flag("igo_ends_soon"), _flag("state_ends_soon"),
             *_COUNTS,
             _c("rule", "string", "-", "the withdrawal rule that selected the row", "a key of backlash.withdrawal.RULES"))),
    FileDoc("withdrawal_sensitivity.csv", "py/withdrawal_sensitivity.py",
            "Withdrawal counts under every rule (one row per rule; Tables 1 and 2 of the report).",
            (_c("rule", "string", "-", "rule name", "a key of backlash.withdrawal.RULES"),
             _c("description", "string", "-", "the rule in words", "any text"),
             _c("total", "integer", "count", "withdrawals 1945-2014", ">= 0"),
             *(_c(a, "integer", "count", f"withdrawals from {a} IGOs", ">= 0")
               for a in ("economic", "political", "social")),
             _c("democracy", "integer", "count", "withdrawals by democracies", ">= 0"),
             _c("nondemocracy", "integer", "count", "withdrawals by nondemocracies", ">= 0"),
             _c("regime_unknown", "integer", "count", "withdrawals by states with no regime type that year", ">= 0"),
             _c("before_1980", "integer", "count", "withdrawals 1945-1979", ">= 0"),
             _c("from_1980", "integer", "count", "withdrawals 1980-2014", ">= 0"),
             _c("per_year_before_1980", "float", "withdrawals per year", "mean yearly count, 1945-1979", ">= 0"),
             _c("per_year_from_1980", "float", "withdrawals per year", "mean yearly count, 1980-2014", ">= 0"))),
    FileDoc("state_year_panel.csv", "py/state_year_panel.py",
            "Every COW member-year: withdrawals, memberships at risk and IGOs in force, with regime scores (the count "
            "model's data).",
            (_CCODE, _c("year", "integer", _YEAR, "calendar year", "1945-2014"),
             _c("decade", "integer", _YEAR, "decade of `year` (1940, 1950, ...)", "1940-2010"),
             _c("polity2", "float", "Polity scale", "Polity5 combined polity score (empty: none)", "-10 to 10",
                nullable=True),
             _c("democracy", "integer", "-", "1 if a democracy under the chosen measure and cut-off (empty: no "
                "score)", "0, 1", nullable=True),
             _c("memberships_lag", "integer", "count", "full IGO memberships in the year before (the exposure "
                "`memberships` of backlash.countmodel.EXPOSURES)", ">= 0"),
             _c("n_igos", "integer", "count", "IGOs in force in `year`, the same for every state (the exposure "
                "`igos_in_force`, Figure 1(a)'s denominator per state)", "> 0"),
             _c("withdrawals", "integer", "count", "withdrawals by the state in `year` (chosen rule)", ">= 0"))),
    FileDoc("count_model.csv", "py/count_model.py",
            "Poisson models of withdrawals on regime (offset: log IGOs in force or log memberships; decade effects; "
            "SEs clustered by state); one row per exposure and specification.",
            (_c("exposure", "string", "-", f"the offset: igos_in_force (rate {PAPER_RATE}, Figure "
                f"1(a)'s) or memberships (rate {MEMBERSHIP_RATE} in t-1)", "a key of backlash.countmodel.EXPOSURES"),
             _c("specification", "string", "-", "regressor and period", "see the report's count-model table"),
             _c("term", "string", "-", "the reported regressor", "democracy, polity2"),
             _c("coef", "float", "log rate", "coefficient of `term`", "any real"),
             _c("se", "float", "log rate", "standard error clustered by state", "> 0"),
             _c("p_value", "float", "probability", "two-sided p-value of `coef`", "0-1"),
             _c("irr", "float", "rate ratio", "exp(coef), the incidence-rate ratio", "> 0"),
             _c("n_obs", "integer", "count", "state-years in the estimation sample", "> 0"),
             _c("n_states", "integer", "count", "states in the estimation sample", "> 0"),
             _c("n_withdrawals", "integer", "count", "withdrawals in the estimation sample", ">= 0"))),
    FileDoc("figure1_series.csv", "py/figure1.py",
            "Figure 1's yearly series: counts and withdrawal rates by regime type and issue area.",
            (_c("year", "integer", _YEAR, "calendar year", "1945-2014"),
             _c("n_igos", "integer", "count", "IGOs in force", ">= 0"),
             _c("n_dem", "integer", "count", "system members coded democracy", ">= 0"),
             _c("n_nondem", "integer", "count", "system members coded nondemocracy", ">= 0"),
             _c("w_total", "integer", "count", "withdrawals (chosen rule)", ">= 0"),
             _c("w_dem", "integer", "count", "withdrawals by democracies", ">= 0"),
             _c("w_nondem", "integer", "count", "withdrawals by nondemocracies", ">= 0"),
             *(_c(f"w_{a}", "integer", "count", f"withdrawals from {a} IGOs", ">= 0")
               for a in ("economic", "political", "social")),
             _c("rate_dem", "float", _RATE, "100 x w_dem / (n_dem x n_igos) (empty when n_dem = 0)", ">= 0",
                nullable=True),
             _c("rate_nondem", "float", _RATE, "100 x w_nondem / (n_nondem x n_igos) (empty when n_nondem = 0)",
                ">= 0", nullable=True),
             *(_c(f"rate_{a}", "float", _RATE, f"100 x w_{a} / n_igos", ">= 0")
               for a in ("economic", "political", "social")))),
    FileDoc("verdicts.csv", "py/verdicts.py",
            "Every empirical claim of the paper judged under every withdrawal rule and democracy measure "
            "(one row per claim and rule or measure).",
            (_c("claim", "string", "-", "key of the claim", "a key of backlash.claims.CLAIMS"),
             _c("statement", "string", "-", "the claim in words", "any text"),
             _c("rule", "string", "-", "the withdrawal rule", "a key of backlash.withdrawal.RULES"),
             _c("measure", "string", "-", "the democracy measure (every rule is judged under the chosen "
                "measure, every measure under the chosen rule)", _MEASURE_KEYS),
             _c("status", "string", "-", "the verdict, by the one rule of backlash.verdicts.VERDICT_RULE on the "
                "95% interval", "holds, does not hold, cannot tell, not testable here"),
             _c("evidence", "string", "-", "the numbers the verdict rests on, in words", "any text"),
             _c("statistic", "float", "as stated in `evidence`", "the main statistic (rate ratio, share or "
                "count; empty when none)", "any real", nullable=True),
             _c("p_value", "float", "probability", "its p-value (empty when the verdict is not a test)", "0-1",
                nullable=True),
             _c("ci_low", "float", "as `statistic`", "lower end of its 95% interval, on which the status rests "
                "(empty when none)", "any real", nullable=True),
             _c("ci_high", "float", "as `statistic`", "upper end of its 95% interval (empty when none)", "any real",
                nullable=True),
             _c("estimand", "string", "-", "what `statistic` measures (the quantity the paper states or plots)",
                "any text"),
             _c("membership_ratio", "float", "rate ratio", "for a claim read off Figure 1(a): the same comparison "
                f"{MEMBERSHIP_RATE} (empty otherwise)", "> 0", nullable=True),
             _c("membership_p", "float", "probability", "its p-value (Wald z, SEs clustered by state)", "0-1",
                nullable=True),
             _c("density_ratio", "float", "ratio", f"for such a claim: {DENSITY}, first "
                "group over second, which links the two rate ratios", "> 0", nullable=True))),
    FileDoc("validation_recall.csv", "py/validation.py",
            "How many documented withdrawals (data/validation/documented_exits.csv) each rule finds (one row per rule).",
            (_c("rule", "string", "-", "the withdrawal rule", "a key of backlash.withdrawal.RULES"),
             _c("cases", "integer", "count", "documented withdrawals in the sample", "> 0"),
             _c("found", "integer", "count", "found by the rule within one year of the first year out", ">= 0"),
             _c("found_lagged", "integer", "count", "found 2 to 5 years away", ">= 0"),
             _c("dropped_by_rule", "integer", "count", "in COW's candidates but removed by the rule's filters",
                ">= 0"),
             _c("not_shown_by_cow", "integer", "count", "cases COW's coding cannot show at all", ">= 0"),
             _c("recall", "float", "share", "found / cases", "0-1"),
             _c("recall_any_lag", "float", "share", "(found + found_lagged) / cases", "0-1"),
             _c("recall_shown", "float", "share", "found / (cases COW can show)", "0-1"),
             _c("mean_lag", "float", "years", "mean of COW's year minus the first year out, over found cases "
                "(lagged ones included)", "any real"),
             _c("mean_abs_lag", "float", "years", "mean absolute lag over the same cases", ">= 0"))),
    FileDoc("validation_misses.csv", "py/validation.py",
            "Every documented withdrawal a rule does not find within a year, with the reason (one row per rule and case).",
            (_c("rule", "string", "-", "the withdrawal rule", "a key of backlash.withdrawal.RULES"),
             _c("case_id", "string", "-", "the case's key in data/validation/documented_exits.csv", "a case_id"),
             _c("state", "string", "-", "the state", "any text"),
             _c("organization", "string", "-", "the organization as commonly named", "any text"),
             _c("cow_ioname", "string", "-", "its COW `ioname`, or \"not in COW\"", "an `ioname` or not in COW"),
             _c("first_year_out", "integer", _YEAR, "first calendar year of non-membership", "1945-2030"),
             _c("outcome", "string", "-", "what the rule does with the case",
                "found_lagged, dropped_by_rule, not_shown_by_cow"),
             _c("cow_year", "integer", _YEAR, "the year COW gives the exit (empty when it shows none)", "1945-2014",
                nullable=True),
             _c("lag", "integer", "years", "cow_year minus first_year_out (empty when none)", "any integer",
                nullable=True),
             _c("reason_code", "string", "-", "why the case is missed, as a code",
                "lagged, dropped, coded_continuous, never_member, member_only_later, igo_not_in_cow, "
                "igo_not_yet_coded, igo_record_ends, outside_years"),
             _c("reason", "string", "-", "the same reason in plain words", "any text"))),
    FileDoc("figure1_rules_series.csv", "py/figure1_rules.py",
            "Figure 1(a)'s yearly series under every withdrawal rule (one row per rule and year; the "
            "robustness companion of Figure 1).",
            (_c("rule", "string", "-", "the withdrawal rule", "a key of backlash.withdrawal.RULES"),
             *_REGIME_SERIES)),
    FileDoc("figure1_measures_series.csv", "py/figure1_measures.py",
            "Figure 1(a)'s yearly series under every democracy measure (one row per measure and year; "
            "withdrawals under the chosen rule).",
            (_c("measure", "string", "-", "the democracy measure", _MEASURE_KEYS), _CUTOFF,
             *_REGIME_SERIES)),
    FileDoc("measure_robustness.csv", "py/measure_robustness.py",
            "The count model of withdrawals on democracy under every democracy measure, period and exposure "
            "(one row per measure, exposure and period; withdrawals under the chosen rule).",
            (_c("measure", "string", "-", "the democracy measure", _MEASURE_KEYS),
             _CUTOFF,
             _c("exposure", "string", "-", f"the offset (igos_in_force: {PAPER_RATE}; memberships: {MEMBERSHIP_RATE})", "a key of backlash.countmodel.EXPOSURES"),
             _c("period", "string", _YEAR, "first and last year of the sample",
                ", ".join(f"{lo}-{hi}" for lo, hi in COMPARISON_PERIODS.values())),
             _c("irr", "float", "rate ratio", "democracies' withdrawal rate relative to nondemocracies'", "> 0"),
             _c("se", "float", "log rate", "standard error of log(irr), clustered by state", "> 0"),
             _c("p_value", "float", "probability", "two-sided p-value of log(irr) = 0", "0-1"),
             _c("n_obs", "integer", "count", f"state-years with a score (and, {MEMBERSHIP_RATE}, memberships at risk)",
                "> 0"),
             _c("n_states", "integer", "count", "states among them", "> 0"),
             _c("n_withdrawals", "integer", "count", "withdrawals among them", ">= 0"))),
    FileDoc("empirics_numbers.json", "py/empirics_numbers.py",
            "Every empirical number the report quotes, with the paper's own figures beside ours.",
            tuple(_c(k, t, "-", m, "see src/backlash/exhibits/empirics.py: empirics_summary") for k, t, m in (
                ("count_model", "object", "the count model's rows, keyed by exposure, then by specification"),
                ("basic", "object", "counts, shares and top exiters under the `basic` rule"),
                ("strict", "object", "the same under the `strict` rule"),
                ("totals", "object", "withdrawals under each rule"),
                ("basic_early", "object", "withdrawals the `basic` rule dates up to 1965, and how many fall in "
                 "imputed years or in 1965"),
                ("chosen", "object", "the same under the chosen rule (figure_rule)"),
                ("facts", "object", "period means of Figure 1's series behind the stylized facts"),
                ("figure_rule", "string", "the rule behind Figure 1 and the count model"),
                ("file_facts", "object", "counts read off the IGO file (IGOs, state columns)"),
                ("paper", "object", "the counts the paper prints, for comparison"),
                ("paper_examples", "array", "the paper's named exits and the years COW gives them"),
                ("periods", "object", "the periods over which the stylized facts are averaged"),
                ("regime_coverage", "object", "a copy of regime_coverage.json"),
                ("sensitivity_range", "object", "smallest and largest total over the rules"),
                ("state_mass_examples", "array", "the largest one-state, one-year exits from many IGOs"),
                ("who_1950_coded_as_exit", "boolean", "whether COW codes any Soviet-bloc WHO exit in 1950"),
                ("who_1950_status", "object", "COW status codes of the five states in the WHO, 1949-51"),
                ("who_exit_year", "integer", "the year of the WHO exits the paper names"),
            ))),
    FileDoc("figure2_series.csv", "py/figure2.py",
            "Figure 2: the exit thresholds gamma_L and gamma_H along inequality (Prop. 2).",
            (*_MODEL_AXIS,
             _c("gamma_l", "float", "ratio of economy sizes", "L's exit threshold gamma_L: L exits when "
                "gamma <= gamma_L", ">= 1"),
             _c("gamma_h", "float", "ratio of economy sizes", "H's exit threshold gamma_H", ">= gamma_l"))),
    FileDoc("figure3_series.csv", "py/figure3.py",
            "Figure 3: the vote differences D*_w and D*_l along inequality at a fixed gamma (Prop. 3), "
            "under both calibrations.",
            (_c("calibration", "string", "-", "the calibration (backlash.model.CALIBRATIONS)", "equations, reported"),
             *_MODEL_AXIS,
             _c("regime", "integer", "-", "equilibrium actions", "0 both remain, 1 only H exits, 2 both exit, "
                "3 only L exits"),
             _c("segment", "integer", "-", "counts the regime switches so far (one plotted line per segment)", ">= 0"),
             _c("d_w", "float", "log income", "D*_w: winners' utility difference, L's platform minus H's",
                "any real"),
             _c("d_l", "float", "log income", "D*_l: losers' utility difference, L's platform minus H's",
                "any real"),
             _c("pi", "float", "probability", "L's probability of winning (Lemma 1)", "0-1 where valid"),
             _c("lemma1_ok", "boolean", "-", "Lemma 1's linear form is a valid probability here", "True, False"))),
    FileDoc("phase_diagram.csv", "py/phase_diagram.py",
            "Equilibrium regimes over (inequality, gamma) for two parameter sets (beyond the paper).",
            (_MODEL_AXIS[1],
             _c("gamma", "float", "ratio of economy sizes", "gains from globalization, gamma", "> 1"),
             _c("phase", "integer", "-", "equilibrium regime (backlash.exhibits.model.PHASES)",
                "0 both remain; 1, 2, 3 H exits and no, one or both groups switch; 4 both exit"),
             _c("panel", "string", "-", "parameter set", "a (Figure 3's), b (Figure 2's)"))),
    FileDoc("reputational_cost.csv", "py/reputational_cost.py",
            "Exit thresholds against the reputational cost c (appendix extension).",
            (_c("c", "float", "utility", "reputational cost of exit, c", ">= 0"),
             _c("gamma_l", "float", "ratio of economy sizes", "L's exit threshold", "> 0"),
             _c("gamma_h", "float", "ratio of economy sizes", "H's exit threshold", "> 0"))),
    FileDoc("prop3_table.csv", "py/prop3_table.py",
            "Every number printed in the proof of Proposition 3 beside its value under both calibrations.",
            (_c("alpha_r", "float", "share of national income", "alpha_R of the printed example", "0.70, 0.71"),
             _c("quantity", "string", "-", "which quantity", "theta_lr, theta_le, theta_hr, theta_he, gamma_l, "
                "gamma_h, d_w, d_l"),
             _c("label", "string", "-", "the quantity's symbol as typeset in the report", "any text"),
             _c("printed", "float", "as the quantity", "the value printed in the paper", "any real"),
             _c("equations", "float", "as the quantity", "value under the equations as printed", "any real"),
             _c("reported", "float", "as the quantity", "value under the `reported` calibration", "any real"),
             _c("reported_matches", "boolean", "-", "`reported` rounds to `printed` at three decimals",
                "True, False"))),
    FileDoc("model_numbers.json", "py/model_numbers.py",
            "Every model number the report quotes (parameters, the Prop. 3 comparison, figure summaries).",
            tuple(_c(k, t, "-", m, "see src/backlash/exhibits/model.py: model_numbers") for k, t, m in (
                ("figure2", "object", "range of Figure 2's curves"),
                ("figure2_params", "object", "Figure 2's parameters"),
                ("footnote9_params", "object", "the parameters the paper prints in its footnote 9"),
                ("figure2_reported", "object", "how far Figure 2's curves move under the `reported` calibration"),
                ("electoral_weakness", "object", "per calibration: how often L is favoured where only H exits "
                 "(backlash.exhibits.model.electoral_weakness)"),
                ("phase_shares", "object", "per phase-diagram panel: shares of the H-exits region by how many "
                 "groups switch"),
                ("figure3", "object", "Figure 3's switch points and validity"),
                ("figure3_params", "object", "Figure 3's parameters"),
                ("figure3_switches", "object", "per calibration: where H, then L, switches to exit in Figure 3, "
                 "and the vote differences around the switches"),
                ("printed_prop3", "object", "the numbers printed in the proof of Prop. 3"),
                ("prop3_equations", "object", "the example under the equations as printed"),
                ("prop3_equations_matches", "integer", "printed numbers reproduced by the equations"),
                ("prop3_params", "object", "the example's parameters"),
                ("prop3_printed_count", "integer", "numbers printed in the example"),
                ("prop3_reported", "object", "the example under the `reported` calibration"),
                ("prop3_reported_matches", "integer", "printed numbers reproduced by `reported`"),
                ("prop3_reported_mismatches", "array", "the printed numbers `reported` does not reproduce"),
                ("reputation", "object", "the reputational-cost extension's numbers"),
            ))),
)}


def _exhibit_docs() -> dict[str, FileDoc]:
    """The files declared beside the functions that fill them, in the exhibits modules (``exhibits.model``,
    ``exhibits.empirics``) and in ``inequality`` and ``mechanism`` (the SWIID extension)."""
    from . import inequality, mechanism
    from .exhibits import empirics, model

    return {d.name: d for module in (model, empirics, inequality, mechanism) for d in vars(module).values()
            if isinstance(d, FileDoc)}


_BESIDE_EXHIBITS = _exhibit_docs()
if set(DERIVED) & set(_BESIDE_EXHIBITS):
    raise ValueError(f"{', '.join(sorted(set(DERIVED) & set(_BESIDE_EXHIBITS)))} described both in "
                     "backlash.dictionary and beside an exhibit; keep one")
DERIVED.update(_BESIDE_EXHIBITS)


class UndocumentedData(ValueError):
    """A derived file and its declaration in :data:`DERIVED` disagree."""


def check_documented(name: str, columns: list[str], docs: Mapping[str, FileDoc] = DERIVED) -> None:
    """Raise :class:`UndocumentedData` unless ``columns`` are exactly the declared ones, in order.

    Parameters
    ----------
    name : str
        File name in ``data/derived/`` (e.g. ``"withdrawals.csv"``).
    columns : list of str
        The file's columns (CSV header, or a JSON file's top-level keys, sorted).
    docs : mapping, optional
        The declarations (default: :data:`DERIVED`).
    """
    if name not in docs:
        raise UndocumentedData(f"data/derived/{name} is not in the data dictionary: declare it with a FileDoc "
                               "beside the function that fills it (backlash.exhibits) or in src/backlash/dictionary.py")
    declared = [c.name for c in docs[name].columns]
    if name.endswith(".json"):
        declared, columns = sorted(declared), sorted(columns)
    if declared != list(columns):
        extra = [c for c in columns if c not in declared]
        gone = [c for c in declared if c not in columns]
        what = []
        if extra:
            what.append(f"undocumented column(s) {extra}")
        if gone:
            what.append(f"documented column(s) no longer written {gone}")
        if not what:
            what.append(f"columns in another order than declared ({list(columns)})")
        raise UndocumentedData(f"data/derived/{name}: " + "; ".join(what) +
                               ". Update its FileDoc (in src/backlash/dictionary.py or beside its exhibit).")


def check_types(name: str, frame: pd.DataFrame, docs: Mapping[str, FileDoc] = DERIVED) -> None:
    """Raise :class:`UndocumentedData` when a CSV column's values contradict its declared type.

    Missing values are allowed only in columns declared ``nullable`` (an integer
    column with missing values reads back as float and is accepted then).

    Parameters
    ----------
    name : str
        The file's name, a key of ``docs``.
    frame : DataFrame
        Its contents.
    docs : mapping of str to FileDoc
        The declarations.
    """
    for col in docs[name].columns:
        s = frame[col.name]
        if s.isna().any() and not col.nullable:
            raise UndocumentedData(f"data/derived/{name}: column {col.name!r} has empty cells but is not "
                                   "declared nullable in src/backlash/dictionary.py")
        present = s.dropna()
        kind = present.dtype.kind
        ok = kind in TYPES[col.dtype] or present.empty
        if col.dtype == "integer" and kind == "f":
            ok = bool(np.all(np.mod(present.to_numpy(), 1) == 0))
        if not ok:
            raise UndocumentedData(f"data/derived/{name}: column {col.name!r} is declared {col.dtype} but "
                                   f"holds {present.dtype} values")


def _observed(s: pd.Series, dtype: str) -> str:
    present = s.dropna()
    missing = int(s.isna().sum())
    if present.empty:
        text = "all empty"
    elif dtype in ("integer", "float"):
        fmt = (lambda v: f"{int(v)}") if dtype == "integer" else (lambda v: f"{v:.4g}")
        text = f"{fmt(present.min())} to {fmt(present.max())}"
    else:
        levels = sorted(present.astype(str).unique())
        text = ", ".join(levels) if len(levels) <= 6 else f"{len(levels)} distinct values"
    return text + (f"; {missing} empty" if missing else "")


_JSON_TYPES = {"object": dict, "array": list, "integer": int, "number": (int, float), "boolean": bool,
               "string": str}


def _json_type(name: str, col: Column, value) -> str:
    """The declared JSON type of a top-level key, after checking the value has it."""
    expected = _JSON_TYPES[col.dtype]
    if not isinstance(value, expected) or (col.dtype in ("integer", "number") and isinstance(value, bool)):
        raise UndocumentedData(f"data/derived/{name}: key {col.name!r} is declared {col.dtype} but holds "
                               f"{type(value).__name__}; update src/backlash/dictionary.py")
    return col.dtype


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def dictionary_markdown(frames: Mapping[str, pd.DataFrame | dict], docs: Mapping[str, FileDoc] = DERIVED) -> str:
    """``data/derived/README.md``: every derived file with its columns, checked against the data.

    Parameters
    ----------
    frames : mapping
        File name -> its content: a data frame for a CSV, a dict for a JSON file.
        Every declared file must be present, and nothing undeclared.
    docs : mapping, optional
        The declarations (default: :data:`DERIVED`).

    Returns
    -------
    str
        Markdown with one section per file: its description, the step that
        writes it, its size, and a table of columns (type, unit, meaning,
        allowed values, observed values).

    Raises
    ------
    UndocumentedData
        When a file or a column is undeclared, a declared one is missing, or a
        value contradicts its declared type.
    """
    missing = sorted(set(docs) - set(frames))
    if missing:
        raise UndocumentedData(f"declared derived file(s) not found: {missing} (run `make all` first)")
    lines = ["# Data dictionary of `data/derived/`", "",
             "Generated by `py/data_dictionary.py` from the declarations in `src/backlash/dictionary.py` and the",
             "files themselves (the *observed* column is read off the data). Do not edit by hand.", "",
             "| file | written by | rows |", "|---|---|---|"]
    for name in sorted(frames):
        check_documented(name, list(frames[name].keys()) if isinstance(frames[name], dict)
                         else list(frames[name].columns), docs)
    for name in sorted(frames):
        content = frames[name]
        size = f"{len(content):,}" if isinstance(content, pd.DataFrame) else f"{len(content)} keys (JSON)"
        lines.append(f"| [`{name}`](#{name.replace('.', '')}) | `{docs[name].written_by}` | {size} |")
    for name in sorted(frames):
        doc, content = docs[name], frames[name]
        lines += ["", f"## {name}", "", doc.description, "", f"Written by `{doc.written_by}`.", ""]
        if isinstance(content, pd.DataFrame):
            check_types(name, content, docs)
            lines += ["| column | type | unit | meaning | allowed values | observed |", "|---|---|---|---|---|---|"]
            for col in doc.columns:
                lines.append(f"| `{col.name}` | {col.dtype} | {_cell(col.unit)} | {_cell(col.meaning)} | "
                             f"{_cell(col.allowed)} | {_cell(_observed(content[col.name], col.dtype))} |")
        else:
            lines += ["| key | type | meaning |", "|---|---|---|"]
            for col in doc.columns:
                lines.append(f"| `{col.name}` | {_json_type(name, col, content[col.name])} | {_cell(col.meaning)} |")
    return "\n".join(lines) + "\n"
