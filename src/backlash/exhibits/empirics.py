"""The empirical exhibits as data: Figure 1's series, the paper's comparison constants and
every empirical number the report quotes (``empirics_numbers.json``).

Pure functions on the withdrawals (:mod:`backlash.withdrawal`), the regime panel and
the IGO panel (:mod:`backlash.data`); the scripts in ``py/`` write them to disk and draw them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .. import countmodel
from ..data import COMPARISON_PERIODS, FIRST_YEAR, ISSUE_AREAS, LAST_YEAR, PERIODS
from ..democracy import MEASURES
from ..filedoc import Column, FileDoc
from ..smoothing import SMOOTHING_YEARS, moving_average  # noqa: F401 (Figure 1's smoothing, re-exported)
from ..withdrawal import SEAM_YEAR, withdrawals
from ._record import Record

#: The y axis of Figure 1(a) and of its copies under every rule and measure: the paper's rate, in percent.
RATE_LABEL = f"withdrawals {countmodel.PAPER_RATE} (%)"

def figure1_series(w: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame) -> pd.DataFrame:
    r"""Figure 1's yearly series, in percent.

    Panel (a): :math:`100\,W^{dem}_t/(N^{dem}_t\,I_t)` and the same for
    nondemocracies, where :math:`W` counts withdrawals by states of that regime
    type in year t, :math:`N` the system members of that type, :math:`I_t` the
    IGOs in force.  Panel (b): :math:`100\,W^{area}_t/I_t` for each issue area.
    Withdrawals by states with no regime score count in panel (b) only.

    Parameters
    ----------
    w : DataFrame
        The withdrawals under one rule (:func:`backlash.withdrawal.withdrawals`).
    regime : DataFrame
        The regime panel (:func:`backlash.data.regime_panel`).
    igo_panel : DataFrame
        IGOs in force per year (:func:`backlash.data.igo_panel`).

    Returns
    -------
    DataFrame
        One row per year: ``n_igos``, members by regime type, withdrawal counts ``w_*`` and rates ``rate_*``.
    """
    years = igo_panel[["year", "n_igos"]].copy()
    n_regime = regime.dropna(subset=["democracy"]).groupby(["year", "democracy"]).size().unstack(fill_value=0)
    years["n_dem"] = years["year"].map(n_regime.get(1, pd.Series(dtype=int))).fillna(0).astype("int64")
    years["n_nondem"] = years["year"].map(n_regime.get(0, pd.Series(dtype=int))).fillna(0).astype("int64")
    count = lambda mask: years["year"].map(w.loc[mask].groupby("year").size()).fillna(0).astype("int64")  # noqa: E731
    years["w_total"] = count(pd.Series(True, index=w.index))
    years["w_dem"] = count(w["democracy"] == 1)
    years["w_nondem"] = count(w["democracy"] == 0)
    for area in ISSUE_AREAS:
        years[f"w_{area}"] = count(w["issue_area"] == area)
    with np.errstate(divide="ignore", invalid="ignore"):
        years["rate_dem"] = 100 * years["w_dem"] / (years["n_dem"] * years["n_igos"])
        years["rate_nondem"] = 100 * years["w_nondem"] / (years["n_nondem"] * years["n_igos"])
        for area in ISSUE_AREAS:
            years[f"rate_{area}"] = 100 * years[f"w_{area}"] / years["n_igos"]
    return years


# --------------------------------------------------------------------------- per state or per membership
#: The periods of the decomposition (:data:`backlash.data.COMPARISON_PERIODS`).
DECOMPOSITION_PERIODS = tuple(COMPARISON_PERIODS.values())


def regime_decomposition(variants) -> pd.DataFrame:
    r"""Democracies' withdrawal rate relative to nondemocracies', per state and IGO in force and per membership.

    For every variant (a withdrawal rule and a democracy measure, :func:`backlash.claims.variants`)
    and every period of :data:`DECOMPOSITION_PERIODS`: the rate ratio per state and IGO in
    force (Figure 1(a)'s quantity, the paper's estimand), the rate ratio per membership, and the
    ratio of memberships per state and IGO in force that links them (:func:`backlash.countmodel.decompose`):

    .. math::

        rac{W_d/(N_d I)}{W_n/(N_n I)} = rac{W_d/M_d}{W_n/M_n}\cdotrac{M_d/(N_d I)}{M_n/(N_n I)},

    exact for the raw rates (``raw_state = raw_membership * density_ratio``) and approximate
    for the Poisson rate ratios with decade effects (``irr_state ~ irr_membership * density_ratio``).

    Parameters
    ----------
    variants : iterable of backlash.claims.Variant
        Each with ``rule``, ``measure`` and ``state_year`` (its withdrawals under the rule,
        democracy under the measure).

    Returns
    -------
    DataFrame
        One row per variant and period (:data:`REGIME_DECOMPOSITION_FILE`).
    """
    rows = []
    for v in variants:
        for lo, hi in DECOMPOSITION_PERIODS:
            d = countmodel.compare_regimes(v.state_year, (lo, hi))
            rows.append({"rule": v.rule, "measure": v.measure, "period": f"{lo}-{hi}", **d.to_dict()})
    return pd.DataFrame(rows)


#: The data file :func:`regime_decomposition` fills (collected into the data dictionary).
REGIME_DECOMPOSITION_FILE = FileDoc(
    "regime_decomposition.csv", "py/regime_decomposition.py",
    f"Democracies' withdrawal rate relative to nondemocracies' {countmodel.PAPER_RATE} (the paper's Figure 1(a)) "
    f"and {countmodel.MEMBERSHIP_RATE}, with the membership-density ratio that links them; one row per rule or measure and "
    "period (every rule under the chosen measure, every other measure under the chosen rule).",
    (Column("rule", "string", "-", "the withdrawal rule", "a key of backlash.withdrawal.RULES"),
     Column("measure", "string", "-", "the democracy measure (the chosen one at the chosen cut-off, the others at "
            "their defaults)", ", ".join(MEASURES)),
     Column("period", "string", "year", "first and last year",
            ", ".join(f"{lo}-{hi}" for lo, hi in COMPARISON_PERIODS.values())),
     Column("irr_state", "float", "rate ratio", f"Poisson rate ratio {countmodel.PAPER_RATE} (offset log IGOs in "
            "force, decade effects; empty when a group has no withdrawal)", "> 0", nullable=True),
     Column("se_state", "float", "log rate", "its standard error, clustered by state", "> 0", nullable=True),
     Column("p_state", "float", "probability", "two-sided Wald z-test of log(irr_state) = 0", "0-1", nullable=True),
     Column("irr_membership", "float", "rate ratio", f"Poisson rate ratio {countmodel.MEMBERSHIP_RATE} (offset log memberships in "
            "t-1, decade effects)", "> 0", nullable=True),
     Column("se_membership", "float", "log rate", "its standard error, clustered by state", "> 0", nullable=True),
     Column("p_membership", "float", "probability", "two-sided Wald z-test of log(irr_membership) = 0", "0-1",
            nullable=True),
     Column("density_ratio", "float", "ratio", f"{countmodel.DENSITY}, democracies over "
            "nondemocracies (sum of memberships / sum of IGOs in force)", "> 0"),
     Column("raw_state", "float", "rate ratio", f"raw rate ratio {countmodel.PAPER_RATE} (no fixed effects)",
            ">= 0"),
     Column("raw_membership", "float", "rate ratio", f"raw rate ratio {countmodel.MEMBERSHIP_RATE}; raw_state = raw_membership x "
            "density_ratio when no withdrawal comes from a state-year without memberships", ">= 0"),
     Column("n_obs", "integer", "count", "state-years with a regime type", "> 0"),
     Column("n_states", "integer", "count", "states among them", "> 0"),
     Column("n_withdrawals", "integer", "count", "withdrawals among them", ">= 0")))


# --------------------------------------------------------------------------- numbers for the paper
#: What the paper reports (from von Borzyskowski and Vabulas 2019, not available here).
PAPER_COUNTS = {"total": 188, "economic": 127, "security_incl_who": 42, "political": 19,
                "per_year_before_1980": 2.0, "per_year_from_1980": 3.5,
                "top_exiters": [["usa", 10], ["canada", 9], ["uk", 7]]}
#: What von Borzyskowski and Vabulas (2019, abstract) say of their own dataset: 493 IGOs since 1945,
#: "about 200 cases of withdrawal" (the dataset is not public).
VBV_DATASET = {"igos": 493, "withdrawals_about": 200}
#: Withdrawals named in the paper and SOURCES.md that the basic rule must find.
KNOWN_CASES = [("IATTC", "canada", 1985), ("ICSG", "norway", 2000), ("UMOA", "mauritania", 1974),
               ("ILO", "usa", 1978), ("UNESCO", "uk", 1986)]
#: The five Soviet-bloc exits from the WHO in 1950 that the paper names.
WHO_1950_STATES = ("albania", "bulgaria", "czechoslovakia", "poland", "romania")
WHO_EXIT_YEAR = 1950
#: Examples of economic exits named in the paper, with the year it gives.
PAPER_EXAMPLES = [("UMOA", "mauritania", 1973), ("IATTC", "canada", 1984), ("ICSG", "norway", 2000)]


def who_1950_status(igo_year: pd.DataFrame) -> dict[str, list[int]]:
    """COW status codes of the five Soviet-bloc states in the WHO, 1949-1951.

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file (:func:`backlash.raw.read_igo_year`).

    Returns
    -------
    dict of str to list of int
        Each state's codes in 1949, 1950 and 1951 (-1 where missing).
    """
    rows = igo_year[(igo_year["ioname"] == "WHO")
                    & igo_year["year"].between(WHO_EXIT_YEAR - 1, WHO_EXIT_YEAR + 1)].sort_values("year")
    return {s: [int(v) if v == v else -1 for v in rows[s]] for s in WHO_1950_STATES}


def who_1950_leavers(status: dict[str, list[int]]) -> list[str]:
    """The states COW codes as leaving the WHO in 1950: a full member (1) in 1949, no member (0) in 1950.

    Parameters
    ----------
    status : dict of str to list of int
        :func:`who_1950_status`.

    Returns
    -------
    list of str
        Their names, in the order of ``status``.
    """
    return [s for s, codes in status.items() if codes[0] == 1 and codes[1] == 0]


def with_ties(ranked: list, k: int) -> list:
    """The first ``k`` of ``ranked`` (pairs ``[name, count]`` by falling count) and every later one tied with the k-th.

    Parameters
    ----------
    ranked : list of [str, int]
        Sorted by count, largest first.
    k : int
        How many to show at least.

    Returns
    -------
    list of [str, int]
    """
    if len(ranked) <= k:
        return list(ranked)
    last = ranked[k - 1][1]
    return list(ranked[:k]) + [x for x in ranked[k:] if x[1] == last]


def top_exiters(w: pd.DataFrame, k: int = 5) -> list:
    """The ``k`` states with most withdrawals, and any state tied with the k-th (ties by name).

    Parameters
    ----------
    w : DataFrame
        Withdrawals (``state``).
    k : int

    Returns
    -------
    list of [str, int]
    """
    counts = w["state"].value_counts()
    ranked = sorted(([str(s), int(n)] for s, n in counts.items()), key=lambda x: (-x[1], x[0]))
    return with_ties(ranked, k)


def _mean(series: pd.DataFrame, col: str, lo: int, hi: int) -> float:
    return float(series.loc[series["year"].between(lo, hi), col].mean())


@dataclass(frozen=True)
class RuleSummary(Record):
    """The withdrawals under one rule, as the report quotes them.

    Attributes
    ----------
    total : int
        Withdrawals.
    economic, political, social : int
        By issue area (:data:`backlash.data.ISSUE_AREAS`).
    share_economic, share_political, share_social : float
        The same as shares of ``total``.
    democracy, nondemocracy, regime_unknown : int
        By regime type in the first year out.
    per_year_before_1980, per_year_from_1980 : float
        Yearly means before and from :data:`backlash.withdrawal.SPLIT_YEAR`.
    top_exiters : list of [str, int]
        The five states with most withdrawals, and any tied with the fifth (:func:`top_exiters`).
    usa, canada, uk : int
        Withdrawals of the three top exiters the paper names.
    known_cases_found : int
        How many of :data:`KNOWN_CASES` the rule finds.
    """

    total: int
    economic: int
    political: int
    social: int
    share_economic: float
    share_political: float
    share_social: float
    democracy: int
    nondemocracy: int
    regime_unknown: int
    per_year_before_1980: float
    per_year_from_1980: float
    top_exiters: list
    usa: int
    canada: int
    uk: int
    known_cases_found: int


@dataclass(frozen=True)
class BasicEarly(Record):
    """The ``basic`` rule's withdrawals up to 1965, the years COW partly imputes.

    Attributes
    ----------
    n : int
        Withdrawals up to :data:`backlash.withdrawal.SEAM_YEAR`.
    imputed_or_seam : int
        Those in an imputed year or in the year of the change of sources.
    seam : int
        Those in the year of the change of sources.
    n_known_cases : int
        The number of :data:`KNOWN_CASES`.
    """

    n: int
    imputed_or_seam: int
    seam: int
    n_known_cases: int


@dataclass(frozen=True)
class SensitivityRange(Record):
    """The smallest and largest total over the rules.

    Attributes
    ----------
    min_total, max_total : int
    """

    min_total: int
    max_total: int


@dataclass(frozen=True)
class Facts(Record):
    """Figure 1's stylized facts: rates averaged over the paper's periods (:data:`backlash.data.PERIODS`).

    Attributes
    ----------
    years_after_1970, years_dem_above_nondem_after_1970 : int
        Years in 1971-2014, and those in which democracies' rate exceeds nondemocracies'.
    mean_rate_dem_1971_2014, mean_rate_nondem_1971_2014, mean_rate_dem_1951_1970, mean_rate_nondem_1951_1970 : float
        Mean yearly rates (percent) by regime type and period.
    mean_rate_dem_1995_2004, mean_rate_dem_2005_2014 : float
        Democracies' mean rate in the decades before and from 2005.
    mean_withdrawals_1995_2004, mean_withdrawals_2005_2014 : float
        Mean yearly withdrawals in the same decades.
    n_igos_1945, n_igos_2014 : int
        IGOs in force in the first and last year.
    smoothing_years : int
        Figure 1's moving-average window.
    """

    years_after_1970: int
    years_dem_above_nondem_after_1970: int
    mean_rate_dem_1971_2014: float
    mean_rate_nondem_1971_2014: float
    mean_rate_dem_1951_1970: float
    mean_rate_nondem_1951_1970: float
    mean_rate_dem_1995_2004: float
    mean_rate_dem_2005_2014: float
    mean_withdrawals_1995_2004: float
    mean_withdrawals_2005_2014: float
    n_igos_1945: int
    n_igos_2014: int
    smoothing_years: int


@dataclass(frozen=True)
class PaperExample(Record):
    """One of the paper's named economic exits (:data:`PAPER_EXAMPLES`) and the years COW gives it.

    Attributes
    ----------
    ioname, state : str
    paper_year : int
        The year the paper gives.
    last_member_year, first_year_out : int or None
        COW's years for the nearest withdrawal under the ``basic`` rule (None if there is none).
    """

    ioname: str
    state: str
    paper_year: int
    last_member_year: int | None
    first_year_out: int | None


@dataclass(frozen=True)
class CountSummary(Record):
    """One specification of the count model (:func:`backlash.countmodel.count_model`).

    Attributes
    ----------
    coef, se, p_value, irr : float
        Coefficient, clustered standard error, p-value and incidence-rate ratio.
    n_obs, n_states : int
        State-years and states used.
    """

    coef: float
    se: float
    p_value: float
    irr: float
    n_obs: int
    n_states: int


@dataclass(frozen=True)
class EmpiricsSummary(Record):
    """Every empirical number the report quotes; ``to_dict()`` is ``empirics_numbers.json``.

    Attributes
    ----------
    paper : dict
        :data:`PAPER_COUNTS` with ``vbv_dataset`` (:data:`VBV_DATASET`).
    regime_coverage : dict
        The regime panel's coverage (``regime_coverage.json``).
    who_1950_status : dict of str to list of int
        :func:`who_1950_status`.
    figure_rule : str
        The rule behind Figure 1 and the count model.
    file_facts : dict
        Counts read off the IGO file.
    who_exit_year : int
    periods : dict of str to tuple of int
        :data:`backlash.data.PERIODS`.
    who_1950_coded_as_exit : bool
        Whether COW codes any of the five WHO exits of 1950.
    basic, strict, chosen : RuleSummary
        Under the ``basic`` and ``strict`` rules and the chosen one.
    totals : dict of str to int
        The total under every rule.
    basic_early : BasicEarly
    sensitivity_range : SensitivityRange
    facts : Facts
    state_mass_examples : list of [str, int, int]
        The largest one-state, one-year exits from many IGOs: state, year, IGOs left.
    paper_examples : list of PaperExample
    count_model : dict of str to dict of str to CountSummary
        One entry per exposure (:data:`backlash.countmodel.EXPOSURES`), then per specification.
    """

    paper: dict
    regime_coverage: dict
    who_1950_status: dict[str, list[int]]
    figure_rule: str
    file_facts: dict
    who_exit_year: int
    periods: dict[str, tuple[int, int]]
    who_1950_coded_as_exit: bool
    basic: RuleSummary
    strict: RuleSummary
    chosen: RuleSummary
    totals: dict[str, int]
    basic_early: BasicEarly
    sensitivity_range: SensitivityRange
    facts: Facts
    state_mass_examples: list
    paper_examples: list[PaperExample]
    count_model: dict[str, dict[str, CountSummary]]


def _rule_summary(candidates: pd.DataFrame, regime: pd.DataFrame, sens: pd.DataFrame, rule: str) -> RuleSummary:
    row = sens.loc[rule]
    w = withdrawals(candidates, regime, rule)
    total = int(row["total"])
    return RuleSummary(
        total=total, **{a: int(row[a]) for a in ISSUE_AREAS},
        **{f"share_{a}": float(row[a] / total) for a in ISSUE_AREAS},
        democracy=int(row["democracy"]), nondemocracy=int(row["nondemocracy"]),
        regime_unknown=int(row["regime_unknown"]),
        per_year_before_1980=float(row["per_year_before_1980"]),
        per_year_from_1980=float(row["per_year_from_1980"]),
        top_exiters=top_exiters(w),
        usa=int((w["state"] == "usa").sum()), canada=int((w["state"] == "canada").sum()),
        uk=int((w["state"] == "uk").sum()),
        known_cases_found=int(sum(((w["ioname"] == i) & (w["state"] == s) & (w["year"] == y)).any()
                                  for i, s, y in KNOWN_CASES)))


def empirics_summary(candidates: pd.DataFrame, regime: pd.DataFrame, sensitivity: pd.DataFrame,
                     series: pd.DataFrame, count: pd.DataFrame, coverage: dict,
                     who_1950: dict[str, list[int]], *, figure_rule: str, file_facts: dict) -> EmpiricsSummary:
    """Every empirical number the paper quotes, with the paper's own figures beside ours.

    Parameters
    ----------
    candidates : DataFrame
        The candidate transitions (:func:`backlash.withdrawal.candidate_transitions_wide`).
    regime : DataFrame
        The regime panel (:func:`backlash.data.regime_panel`).
    sensitivity : DataFrame
        :func:`backlash.withdrawal.sensitivity_table`.
    series : DataFrame
        Figure 1's series (:func:`figure1_series`) under ``figure_rule``.
    count : DataFrame
        :func:`backlash.countmodel.count_models`.
    coverage : dict
        The regime panel's coverage (``regime_coverage.json``).
    who_1950 : dict
        :func:`who_1950_status`.
    figure_rule : str
        The rule behind Figure 1 and the count model (``withdrawals.csv``).
    file_facts : dict
        Counts read off the IGO file (IGOs, state columns).

    Returns
    -------
    EmpiricsSummary
        Write ``empirics_summary(...).to_dict()``.
    """
    sens = sensitivity.set_index("rule")
    basic = withdrawals(candidates, regime, "basic")
    early = basic[basic["year"] <= SEAM_YEAR]
    post = series[series["year"].between(*PERIODS["late"])]
    before = withdrawals(candidates, regime, "no_mass_exit")
    mass = (before[before["state_mass_exit"]].groupby(["state", "year"]).size().rename("n").reset_index()
            .sort_values(["n", "year"], ascending=[False, True]).drop_duplicates("state").head(3))
    examples = []
    for ioname, state, year in PAPER_EXAMPLES:
        hits = basic[(basic["ioname"] == ioname) & (basic["state"] == state)]
        near = hits.iloc[(hits["year"] - year).abs().argsort()[:1]]
        examples.append(PaperExample(ioname=ioname, state=state, paper_year=year,
                                     last_member_year=int(near["last_member_year"].iloc[0]) if len(near) else None,
                                     first_year_out=int(near["year"].iloc[0]) if len(near) else None))
    return EmpiricsSummary(
        paper={**PAPER_COUNTS, "vbv_dataset": VBV_DATASET}, regime_coverage=coverage, who_1950_status=who_1950,
        figure_rule=figure_rule, file_facts=file_facts, who_exit_year=WHO_EXIT_YEAR,
        periods=dict(PERIODS),
        who_1950_coded_as_exit=bool(who_1950_leavers(who_1950)),
        basic=_rule_summary(candidates, regime, sens, "basic"),
        strict=_rule_summary(candidates, regime, sens, "strict"),
        chosen=_rule_summary(candidates, regime, sens, figure_rule),
        totals={str(r): int(t) for r, t in zip(sensitivity["rule"], sensitivity["total"])},
        basic_early=BasicEarly(n=int(len(early)), imputed_or_seam=int((early["imputed"] | early["seam_1965"]).sum()),
                               seam=int(early["seam_1965"].sum()), n_known_cases=len(KNOWN_CASES)),
        sensitivity_range=SensitivityRange(min_total=int(sensitivity["total"].min()),
                                           max_total=int(sensitivity["total"].max())),
        facts=Facts(
            years_after_1970=int(len(post)),
            years_dem_above_nondem_after_1970=int((post["rate_dem"] > post["rate_nondem"]).sum()),
            mean_rate_dem_1971_2014=_mean(series, "rate_dem", *PERIODS["late"]),
            mean_rate_nondem_1971_2014=_mean(series, "rate_nondem", *PERIODS["late"]),
            mean_rate_dem_1951_1970=_mean(series, "rate_dem", *PERIODS["early"]),
            mean_rate_nondem_1951_1970=_mean(series, "rate_nondem", *PERIODS["early"]),
            mean_rate_dem_1995_2004=_mean(series, "rate_dem", *PERIODS["pre2005"]),
            mean_rate_dem_2005_2014=_mean(series, "rate_dem", *PERIODS["post2005"]),
            mean_withdrawals_1995_2004=_mean(series, "w_total", *PERIODS["pre2005"]),
            mean_withdrawals_2005_2014=_mean(series, "w_total", *PERIODS["post2005"]),
            n_igos_1945=int(series["n_igos"].iloc[0]), n_igos_2014=int(series["n_igos"].iloc[-1]),
            smoothing_years=SMOOTHING_YEARS),
        state_mass_examples=[[r.state, int(r.year), int(r.n)] for r in mass.itertuples()],
        paper_examples=examples,
        count_model={e: {r.specification: CountSummary(coef=r.coef, se=r.se, p_value=r.p_value, irr=r.irr,
                                                       n_obs=int(r.n_obs), n_states=int(r.n_states))
                         for r in part.itertuples()} for e, part in count.groupby("exposure", sort=False)},
    )
