"""Numbers and tables for the paper, formatted from the pipeline's outputs.

Pure functions: they take the loaded JSON/CSV outputs and return the nested
dict written to ``_variables.yml`` (at the Quarto project root) (read with ``{{< var key.sub >}}``) and
Markdown pipe tables written to ``paper/generated/`` (read with
``{{< include ... >}}``).  No number in the paper is typed by hand.
"""

from __future__ import annotations

import re

import pandas as pd

from .countmodel import DENSITY, EXPOSURES, MEMBERSHIP_RATE, PAPER_EXPOSURE, PAPER_RATE
from .data import FIRST_YEAR, LAST_YEAR
from .democracy import DEFAULT_MEASURE, MEASURES
from .claims import AFTER_1950, CONSISTENT_RULE, CONSISTENT_SHARE, LATE, RARE_RATE, REGIME_CLAIMS
from .model import PARAMETERS
from .exhibits.model import matches_printed, same_params
from .withdrawal import DEFAULT_RULE, HIDDEN, RULES, SEAM_YEAR, SPLIT_YEAR, rule_title
from .exhibits.empirics import who_1950_leavers, with_ties
from .formats import NBSP, capitalised, estimate_interval, estimate_se, period_range, period_text, with_note
from .formats import f, frame_table_md, n, param, pct, pipe_table, share  # noqa: F401 (re-exported)
from .verdicts import (ALPHA, CANNOT_TELL, FAILS, HOLDS, STATUSES, UNTESTABLE, VERDICT_RULE, abstract_sentence,
                       decomposition_sentence, format_p, listing, reading_sentence, wald_interval)


#: Each model quantity of the Prop. 3 example as inline TeX math (read by pandoc and Quarto alike).
QUANTITY_MATH = {
    "theta_lr": r"$\theta^*_{LR}$", "theta_le": r"$\theta^*_{LE}$", "theta_hr": r"$\theta^*_{HR}$",
    "theta_he": r"$\theta^*_{HE}$", "gamma_l": r"$\gamma_L$", "gamma_h": r"$\gamma_H$", "d_w": r"$D^*_w$",
    "d_l": r"$D^*_\ell$",
}

#: Sentences of the COW v3 codebook (``IGO_Codebook_v3.pdf``) that the report quotes, verbatim
#: (a test finds each in the PDF's text).
CODEBOOK_QUOTES = {
    "imputation": ("For version 3.0, the majority of the pre-1965 data was coded from archival research, but for "
                   "years that could not be found, the remaining data was imputed based on the original Wallace "
                   "and Singer five-year measures"),
    "merge": "the merging of versions 1.1 with the post-1965 data",
}

STATE_NAMES = {"usa": "United States", "mauritania": "Mauritania", "norway": "Norway", "vietnam": "Vietnam", "uk": "United Kingdom", "canada": "Canada", "taiwan": "Taiwan",
               "yugoslaviaserb": "Yugoslavia/Serbia", "china": "China", "brazil": "Brazil", "cuba": "Cuba",
               "mexico": "Mexico"}


_PARAM_MATH = {p.name: f"${p.symbol}$" for p in PARAMETERS}
#: The parameters the paper's footnote 9 prints (Figure 2's; alpha_R and gamma are its axes).
FOOTNOTE9_PRINTS = ("lam", "alpha_e", "x_h", "b", "psi")


def pval(p: float) -> str:
    """A p-value in a table's "p" column: the number format_p writes, without "p = " ("0.181", "<0.001").

    Parameters
    ----------
    p : float
        A p-value in [0, 1].

    Returns
    -------
    str
        What the table's cell shows.
    """
    return format_p(p).removeprefix("p = ").replace("p < ", "<")


def _state(name: str) -> str:
    return STATE_NAMES.get(name, name.capitalize())


def _who_path(codes: list[int], years: list[int], one: bool) -> str:
    """How COW codes one WHO membership over ``years``, in words ("as joining in 1950").

    Parameters
    ----------
    codes : list of int
        The status codes, one a year (-1 where missing).
    years : list of int
        The years of ``codes``.
    one : bool
        Whether the words describe one state (a member) or several (members).

    Returns
    -------
    str
    """
    span = period_text((years[0], years[-1]))
    for k in range(1, len(codes)):
        head, tail = set(codes[:k]), set(codes[k:])
        if head == {0} and tail == {1}:
            return f"as joining in {years[k]}"
        if head == {1} and tail == {0}:
            return f"as leaving in {years[k]}"
    if set(codes) == {1}:
        return f"as {'a member' if one else 'members'} throughout {span}"
    if set(codes) == {0}:
        return f"as {'a non-member' if one else 'non-members'} throughout {span}"
    words = listing("missing" if c == -1 else str(c) for c in codes)
    return f"with the status codes {words} in {listing(str(y) for y in years)}"


def who_status(status: dict[str, list[int]], exit_year: int) -> str:
    """Whether COW codes the Soviet-bloc WHO exits of ``exit_year``, and how it codes each state instead.

    The states are grouped by how COW codes them over the years of ``status``, the largest group first:
    "Not in COW v3, which codes Albania, Bulgaria, Poland and Romania as members throughout 1949–1951 and
    Czechoslovakia as joining in 1950".

    Parameters
    ----------
    status : dict of str to list of int
        ``who_1950_status`` of ``empirics_numbers.json``: each state's codes in the year before ``exit_year``,
        ``exit_year`` and the year after.
    exit_year : int
        The year the paper gives for the exits.

    Returns
    -------
    str
        The status of replication note 15.
    """
    years = [exit_year - 1 + i for i in range(len(next(iter(status.values()))))]
    groups: dict[str, list[str]] = {}
    for state, codes in status.items():
        groups.setdefault(tuple(codes), []).append(state)
    ordered = sorted(groups.values(), key=len, reverse=True)
    if len(ordered) == 1:
        coded = [f"them all {_who_path(list(next(iter(groups))), years, one=False)}"]
    else:
        coded = [f"{listing(_state(s) for s in states)} {_who_path(status[states[0]], years, one=len(states) == 1)}"
                 for states in ordered]
    leavers = who_1950_leavers(status)
    if not leavers:
        head = "Not in COW v3, which codes"
    elif len(leavers) == len(status):
        head = "Coded in COW v3, which codes"
    else:
        head = f"Coded in COW v3 for {listing(_state(s) for s in leavers)} only; COW v3 codes"
    # Past two groups, names listed with "and" would blur where one group ends: semicolons separate the groups.
    groups_text = listing(coded) if len(coded) <= 2 else "; ".join(coded[:-1]) + "; and " + coded[-1]
    return f"{head} {groups_text}"


def _exiters(top: list, k: int = 3) -> str:
    """The first ``k`` exiters and any tied with the k-th: "United States (10), Canada (9), ..."."""
    return ", ".join(f"{_state(s)} ({n})" for s, n in with_ties(top, k))


def model_variables(m: dict) -> dict:
    """Variables of the theory sections from ``model_numbers.json``.

    Parameters
    ----------
    m : dict
        ``model_numbers.json`` as read (:class:`backlash.exhibits.model.ModelNumbers` written out).

    Returns
    -------
    dict
        The ``model`` variables of ``_variables.yml``.
    """
    p3, f2 = m["prop3_params"], m["figure2_params"]
    out = {
        "p3_lam": param(p3["lam"]), "p3_alpha_e": param(p3["alpha_e"]), "p3_x_h": param(p3["x_h"]),
        "p3_gamma": param(p3["gamma"]), "p3_b": param(p3["b"]), "p3_psi": param(p3["psi"]),
        "f2_lam": param(f2["lam"]), "f2_alpha_e": param(f2["alpha_e"]), "f2_x_h": param(f2["x_h"]),
        "f2_b": param(f2["b"]), "f2_psi": param(f2["psi"]),
        "f2_status": ("Reproduced" if same_params(f2, m["footnote9_params"]) else
                      "Not comparable: drawn with other parameters than the paper's"),
        "f2_source": ("the paper's footnote 9" if same_params(f2, m["footnote9_params"]) else
                      "chosen for this build; the paper's footnote 9 has " + ", ".join(
                          f"{_PARAM_MATH[k]}={param(m['footnote9_params'][k])}" for k in FOOTNOTE9_PRINTS)),
        "f2_gamma_h_max": f(m["figure2"]["gamma_h_max"], 3), "f2_gamma_l_max": f(m["figure2"]["gamma_l_max"], 3),
        "f2_ratio_max": f(m["figure2"]["ratio_max"], 0),
        "cost_alpha_r": param(m["reputation"]["alpha_r"]),
        "cost_gamma_h0": f(m["reputation"]["gamma_h_at_0"], 3), "cost_gamma_l0": f(m["reputation"]["gamma_l_at_0"], 3),
        "cost_cbar_h": f(m["reputation"]["deterrence_cost_h"], 3),
        "cost_cbar_l": f(m["reputation"]["deterrence_cost_l"], 3),
        "f2_rep_shift_l": f(m["figure2_reported"]["gamma_l_max_shift"], 3),
        "f2_rep_shift_h": f(m["figure2_reported"]["gamma_h_max_shift"], 3),
        **weakness_variables(m["electoral_weakness"]),
        "phase": {k: {w: pct(v, 1) for w, v in shares.items()} for k, shares in m["phase_shares"].items()},
        "phase_sentence": ("The full realignment of Proposition 3 therefore depends on the parameter set, not on the "
                           "model alone." if min(s["both"] for s in m["phase_shares"].values()) < 0.5 else
                           "Both parameter sets show the full realignment of Proposition 3 over most of that region."),
    }
    f3 = m["figure3_params"]
    out["f3"] = {k: param(f3[k]) for k in ("lam", "alpha_e", "x_h", "b", "psi", "gamma")}
    same = same_params(f3, m["prop3_params"])
    out["f3"]["source"] = ("the parameters of the Proposition 3 example" if same else
                           "chosen for this build; they differ from the Proposition 3 example's")
    out["f3"]["note_source"] = ("ours are those of the Proposition 3 example" if same else
                                "this build draws it with parameters of its own, not the Proposition 3 example's")
    out["f3"]["switch_text"] = figure3_text(m["figure3_switches"], m["figure3"]["ratio_max"])
    out["f3"]["shape"] = figure3_shape(m["figure3"]["regimes"])
    out.update(prop3_clauses(m))
    out.update(explorer_variables())
    out["printed_le"] = " and ".join(f(v["theta_le"]) for v in m["printed_prop3"].values())
    return out


def explorer_variables() -> dict:
    """What the explorer's section says it sets: its sliders' symbols and the keys of its address.

    Returns
    -------
    dict
        ``explorer_sliders`` (``"$\\lambda$, ... and $c$"``), ``explorer_keys`` (```"`lam`, ..., `c`"```) and
        ``calibrations`` (```"`equations` or `reported`"```), from :data:`backlash.model.PARAMETERS` through
        :func:`backlash.explorer.explorer_parameters` and from :data:`backlash.model.CALIBRATIONS`.
    """
    from .explorer import explorer_parameters
    from .model import CALIBRATIONS

    sliders = explorer_parameters()
    return {"explorer_sliders": listing([f"${s['symbol']}$" for s in sliders]),
            "explorer_keys": ", ".join(f"`{s['key']}`" for s in sliders),
            "calibrations": listing([f"`{c}`" for c in CALIBRATIONS], "or")}


def _switch_at(sw: dict, leader: str, ratio_max: float) -> str:
    """``"$\\alpha_R=0.7290$ (ratio 2.69)"``, noting a switch beyond the figure's axis."""
    a, r = sw[f"switch_alpha_r_{leader}"], sw[f"switch_ratio_{leader}"]
    beyond = f", beyond the right end of the figure's axis (ratio {f(ratio_max, 0)})" if r > ratio_max else ""
    return f"$\\alpha_R={a:.4f}$ (ratio {f(r, 2)}){beyond}"


def _d(summary: dict) -> str:
    return f"$D^*_w={f(summary['d_w'], 3)}$ and $D^*_\\ell={f(summary['d_l'], 3)}$"


def figure3_text(switches: dict, ratio_max: float) -> str:
    """Where H, then L, switches to exit in Figure 3 and the vote differences around it, or that one never does.

    Parameters
    ----------
    switches : dict
        ``figure3_switches`` of ``model_numbers.json`` (per calibration: the switch points, None where a
        leader never switches to exit at the figure's gamma, and the equilibria around them).
    ratio_max : float
        The right end of the figure's inequality axis.

    Returns
    -------
    str
        A paragraph.
    """
    eq, rep = switches["equations"], switches["reported"]

    def never(leader: str) -> str:
        return (f"{leader} never switches to exit at this $\\gamma$: its threshold $\\gamma_{leader}$ stays below "
                "$\\gamma$ for every $\\alpha_R$")

    finite = {c: {d: sw[f"switch_alpha_r_{d}"] is not None for d in ("h", "l")} for c, sw in switches.items()}
    parts = []
    if finite["equations"]["h"]:
        parts.append(f"Under the equations (panel a) H switches to exit at {_switch_at(eq, 'h', ratio_max)}: just "
                     f"before, {_d(eq['before_h_switch'])}; just after, {_d(eq['after_h_switch'])}.")
    else:
        parts.append(f"Under the equations (panel a) {never('H')}, so the figure shows no realignment.")
    if finite["equations"]["l"]:
        parts.append(f"L follows at {_switch_at(eq, 'l', ratio_max)}, after which {_d(eq['after_l_switch'])}.")
    else:
        parts.append(f"{never('L')}.")
    rep_parts = [f"{d.upper()} at {_switch_at(rep, d, ratio_max)}" if finite["reported"][d] else
                 f"{d.upper()} never does" for d in ("h", "l")]
    parts.append(f"Under `reported` (panel b) the switches come as follows: {rep_parts[0]}; {rep_parts[1]}.")
    return " ".join(parts)


def figure3_shape(regimes: list[int]) -> str:
    """Replication note on Figure 3's shape, from the regimes the drawn axis passes through (equations).

    Parameters
    ----------
    regimes : list of int
        The regimes in the order they appear (:data:`backlash.exhibits.model.REGIME_NAMES`).

    Returns
    -------
    str
    """
    from .exhibits.model import REGIME_NAMES

    if regimes == [0, 1, 2]:
        return ("Reproduced in shape (checked by the tests for the default parameters: three regimes in order, "
                "with Lemma 1 valid)")
    return ("Not reproduced in shape with these parameters: the axis passes through "
            + ", then ".join(REGIME_NAMES[r] for r in regimes) + " only")


def _examples_year_clause(examples: list[dict]) -> str:
    """Which year the paper gives for its named exits: the last year of membership, the first year out, or both."""
    last = sum(x["paper_year"] == x["last_member_year"] for x in examples)
    first = sum(x["paper_year"] == x["first_year_out"] for x in examples)
    if last == len(examples):
        return "the paper's year is the last year of membership in each"
    if first == len(examples):
        return "the paper's year is the first year out in each"
    if last + first == len(examples):
        return "the paper's year is sometimes the last year of membership and sometimes the first year out"
    return "the paper's year is not always the last year of membership or the first year out"


def rule_variables(e: dict) -> dict:
    """Sentences about the withdrawal rules whose truth depends on the data or the choice of rule.

    Parameters
    ----------
    e : dict
        ``empirics_numbers.json`` as read.

    Returns
    -------
    dict
        Clauses keyed by name, merged into the ``data`` variables.
    """
    totals, early = e["totals"], e["basic_early"]
    dropped = totals["plain"] - totals["basic"]
    if dropped == 0:
        conditions = ("Its last two conditions never bind in these data: every lapse from full membership "
                      "to none happens in an IGO in force, for a system member.")
    else:
        conditions = (f"Its last two conditions remove {n(dropped)} lapses from full membership to none "
                      "(an IGO no longer in force, or a state no longer a system member).")
    chosen = e["figure_rule"]
    choice = (f"Everything below uses `{chosen}`, the default." if chosen == DEFAULT_RULE else
              f"This build uses `{chosen}` instead, chosen with `WITHDRAWAL_RULE`; everything below "
              "follows that rule.")
    return {"basic_conditions_sentence": conditions, "default_rule": DEFAULT_RULE, "rule_choice_sentence": choice,
            "basic_seam_count": n(early["seam"]), "basic_early_n": n(early["n"]),
            "basic_early_flagged": n(early["imputed_or_seam"]), "n_known_cases": str(early["n_known_cases"])}


#: Why COW cannot show a documented withdrawal (``reason_code`` of ``validation_misses.csv``), in words.
REASON_WORDS = {
    "coded_continuous": "coded as a member straight through the exit",
    "never_member": "never coded as a member",
    "member_only_later": "coded as a member only after the exit",
    "igo_not_in_cow": "in an organization COW does not include",
    "igo_not_yet_coded": "in an organization COW records only from a later year",
    "igo_record_ends": "in an organization whose COW record ends before the exit",
    "outside_years": "after the last year of COW's data",
}


def validation_variables(recall: pd.DataFrame, misses: pd.DataFrame, rule: str) -> dict:
    """The validation sample's size, what the chosen rule finds, and why COW cannot show the rest.

    Parameters
    ----------
    recall : DataFrame
        ``validation_recall.csv``.
    misses : DataFrame
        ``validation_misses.csv``.
    rule : str
        The chosen withdrawal rule.

    Returns
    -------
    dict
        Sample size, the chosen rule's recall and the reasons for the misses, in words.
    """
    r = recall.set_index("rule").loc[rule]
    unseen = misses[(misses["rule"] == rule) & (misses["outcome"] == "not_shown_by_cow")]
    counts = unseen["reason_code"].value_counts()
    reasons = ", ".join(f"{k} {REASON_WORDS.get(code, code)}" for code, k in
                        sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return {"validation_cases": str(int(r["cases"])), "validation_found": str(int(r["found"])),
            "validation_not_shown": str(int(r["not_shown_by_cow"])), "validation_reasons": reasons or "none"}


def regime_variables(cov: dict) -> dict:
    """How the report names the democracy measure in use, from ``regime_coverage.json``.

    ``regime_rule`` is the rule as chosen (``polity2 ≥ 7``); ``regime_rule_note`` says
    "as in the paper" only when it is the paper's own definition, and names the
    paper's otherwise.

    Parameters
    ----------
    cov : dict
        ``regime_coverage.json``.

    Returns
    -------
    dict
        ``regime_rule``, ``regime_rule_note`` and the measure's name and counts.
    """
    paper = MEASURES[DEFAULT_MEASURE]
    same = cov["measure"] == DEFAULT_MEASURE and float(cov["threshold"]) == float(paper.threshold)
    return {
        "measure_name": cov["measure_name"], "regime_rule": cov["rule"],
        "regime_rule_note": ("as in the paper" if same else
                             f"chosen for this build; the paper uses {paper.name} with {paper.rule()}"),
    }


def prop3_clauses(m: dict) -> dict:
    """Clauses on the Proposition 3 example whose words depend on the numbers (how many printed
    numbers a calibration reproduces; whether H's switch falls between the two printed alpha_R).

    Parameters
    ----------
    m : dict
        ``model_numbers.json`` as read.

    Returns
    -------
    dict
        Words that depend on the Prop. 3 numbers, keyed by name.
    """
    a0, a1 = sorted(float(a) for a in m["printed_prop3"])
    count = m["prop3_printed_count"]

    def matches(k: int) -> str:
        if k == 0:
            return f"none of the {count} printed numbers is reproduced"
        if k == count:
            return f"all {count} printed numbers are reproduced to every printed digit"
        return f"{k} of the {count} printed numbers are reproduced to every printed digit"

    def switch(sw: float) -> str:
        if sw is None:
            return "H never switches to exit at these parameters"
        if a0 < sw <= a1:
            return (f"H switches to exit at $\\alpha_R={sw:.4f}$, between the two printed values "
                    f"{a0:.2f} and {a1:.2f}, as in the paper")
        return f"H does not switch to exit between $\\alpha_R={a0:.2f}$ and {a1:.2f} but at {sw:.4f}"

    mism = m["prop3_reported_mismatches"]
    if not mism:
        mismatch = "Every printed number is matched by the `reported` calibration."
    else:
        listed = "; ".join(f"{QUANTITY_MATH[x['quantity']]} at $\\alpha_R = {x['alpha_r']:.2f}$ (printed "
                           f"{x['printed']:.3f}, computed {x['reported']:.3f})" for x in mism)
        why = (" $\\theta^*_{LE}$ depends on $\\alpha_E$ alone, so it cannot differ between the two rows."
               if all(x["quantity"] == "theta_le" for x in mism) else "")
        mismatch = f"What the `reported` calibration does not match: {listed}.{why}"
    eq3 = m["prop3_equations"]
    before, after = eq3["before_h_switch"], eq3["after_h_switch"]
    if before is None or after is None:
        eq_realignment = "no realignment, because H never switches to exit"
    else:
        flips = int(before["d_w"] * after["d_w"] < 0) + int(before["d_l"] * after["d_l"] < 0)
        eq_realignment = {2: "a full realignment (both vote differences change sign)",
                          1: "a partial realignment (one vote difference changes sign)",
                          0: "no realignment (neither vote difference changes sign)"}[flips]
        eq_realignment += f" at $\\alpha_R={eq3['switch_alpha_r_h']:.4f}$"
    p3 = m["prop3_params"]
    theta_bound = (f"so in the Proposition 3 example, where $\\alpha_E={p3['alpha_e']:g}<1-\\lambda$, "
                   "$\\theta^*_{LE}$ is below $1-\\lambda$" if p3["alpha_e"] < 1 - p3["lam"] else
                   f"which in the Proposition 3 example ($\\alpha_E={p3['alpha_e']:g}\\ge 1-\\lambda$) holds")
    return {"eq_realignment_clause": eq_realignment, "theta_bound_clause": theta_bound,
            "eq_matches_clause": matches(m["prop3_equations_matches"]),
            "rep_matches_clause": matches(m["prop3_reported_matches"]),
            "eq_switch_clause": switch(m["prop3_equations"]["switch_alpha_r_h"]),
            "rep_switch_clause": switch(m["prop3_reported"]["switch_alpha_r_h"]),
            "prop3_mismatch_sentence": mismatch}


def weakness_variables(w: dict) -> dict:
    """Where only H exits, how often L is favoured: shares, the lowest pi, and the verdict in words.

    Parameters
    ----------
    w : dict
        ``electoral_weakness`` of ``model_numbers.json``, per calibration.

    Returns
    -------
    dict
        Per calibration: the points where only H exits, the share of them with L favoured and the
        lowest pi (each count beside the share and the minimum of the same calibration); and the
        verdict sentence.
    """
    eq, rep = w["equations"], w["reported"]
    everywhere = eq["n_l_favoured"] == eq["n_only_h"] and rep["n_l_favoured"] == rep["n_only_h"]
    mostly = eq["share_l_favoured"] > 0.5 and rep["share_l_favoured"] > 0.5
    # Descriptive only: the draws show where H's exit and his being behind go together, not why he exits.
    verdict = ("the pattern the paper describes holds without exception (H is the likelier loser at every sampled "
               "point)" if everywhere else
               "the pattern the paper describes holds as a rule, with exceptions (H is the likelier loser at most "
               "sampled points, not at all of them)" if mostly else
               "the pattern the paper describes does not hold (H is the likelier loser at no more than half of the "
               "sampled points under at least one calibration)")
    verdict += "; the draws show that the two go together, not that H exits because he is behind"
    return {"weak_points": n(eq["n_points"]), "weak_only_h_eq": n(eq["n_only_h"]),
            "weak_only_h_rep": n(rep["n_only_h"]),
            "weak_share_eq": pct(eq["share_l_favoured"], 1), "weak_share_rep": pct(rep["share_l_favoured"], 1),
            "weak_min_pi_eq": f(eq["min_pi"], 2), "weak_min_pi_rep": f(rep["min_pi"], 2), "weak_verdict": verdict}


def unobserved_rules(rules=None, *, all_of: tuple[str, ...] = ()) -> list[str]:
    """The rules that cannot see a withdrawal in some IGO-years (a flag they use hides them:
    :attr:`backlash.withdrawal.Flag.hides`); with ``all_of``, those that hide every kind of IGO-year named.

    Parameters
    ----------
    rules : mapping of str to Rule, optional
        Default :data:`backlash.withdrawal.RULES`.
    all_of : tuple of str
        Kinds of :data:`backlash.withdrawal.HIDDEN` (``"imputed IGO-years"``, ``"seam year"``, ...).

    Returns
    -------
    list of str
        Their names, in the order of ``rules``.
    """
    rules = RULES if rules is None else rules
    return [k for k, r in rules.items() if r.hidden() and set(all_of) <= r.hidden()]


def unobserved_rules_clause(rules=None) -> str:
    """Which rules cannot see withdrawals in some IGO-years (imputed years, an ending IGO's last years, 1965).

    Parameters
    ----------
    rules : mapping of str to Rule, optional
        Default :data:`backlash.withdrawal.RULES`.

    Returns
    -------
    str
        A clause for the caption of the sensitivity table.
    """
    rules = RULES if rules is None else rules
    blind = unobserved_rules(rules)
    if not blind:
        return "every rule can see a withdrawal in every IGO-year"
    groups: dict[str, list[str]] = {}  # what a rule cannot see -> the rules (a seam-only rule sees imputed years)
    for k in blind:
        seen = rules[k].hidden()
        groups.setdefault(listing([f"in {words}" for kind, words in HIDDEN.items() if kind in seen], "or"),
                          []).append(k)
    parts = [f"{listing([f'`{k}`' for k in names])} cannot see a withdrawal {what}" for what, names in groups.items()]
    return (f"{'; '.join(parts)}, so their rate before {SPLIT_YEAR} is over fewer observed years than it looks; the "
            f"verdict on the rise from {SPLIT_YEAR} counts only the IGO-years each rule can see")


def data_variables(e: dict) -> dict:
    """Variables of the empirical sections from ``empirics_numbers.json``.

    Parameters
    ----------
    e : dict
        ``empirics_numbers.json``, the JSON of :class:`backlash.exhibits.empirics.EmpiricsSummary`.

    Returns
    -------
    dict
        Under the key ``data`` of ``_variables.yml``: counts, shares and verdicts in words.
    """
    d, s, paper, facts, cov = e["basic"], e["strict"], e["paper"], e["facts"], e["regime_coverage"]
    out = {
        "first_year": str(FIRST_YEAR), "last_year": str(LAST_YEAR), "split_year": str(SPLIT_YEAR),
        **regime_variables(cov),
        **rule_variables(e),
        "paper_total": str(paper["total"]), "paper_economic": str(paper["economic"]),
        "paper_security": str(paper["security_incl_who"]), "paper_political": str(paper["political"]),
        "paper_per_year_before": f(paper["per_year_before_1980"], 1),
        "paper_per_year_after": f(paper["per_year_from_1980"], 1),
        "paper_economic_share": pct(paper["economic"] / paper["total"]),
        "paper_political_share": pct(paper["political"] / paper["total"]),
        "vbv_igos": str(paper["vbv_dataset"]["igos"]), "vbv_withdrawals": str(paper["vbv_dataset"]["withdrawals_about"]),
        "measure_keys": listing([f"`{k}`" for k in MEASURES if k != DEFAULT_MEASURE], "or"),
        "measure_cutoffs": "; ".join(f"for {m.name} ({m.rule()}), {m.reason}" for m in MEASURES.values()),
        "min_total": n(e["sensitivity_range"]["min_total"]), "max_total": n(e["sensitivity_range"]["max_total"]),
        "n_rules": str(len(RULES)),
        "rules_leaving_unobserved": listing([f"`{k}`" for k in unobserved_rules(
            all_of=("imputed IGO-years", "seam year"))]) or "no rule",
        "who_coded": "yes" if e["who_1950_coded_as_exit"] else "no",
        "who_status": who_status(e["who_1950_status"], e["who_exit_year"]),
        "top_exiters_status": ("Reproduced" if [list(x) for x in with_ties(e["chosen"]["top_exiters"], 3)]
                               == [list(x) for x in paper["top_exiters"]] else "Not reproduced"),
        "examples_status": ("Found" if all(x["first_year_out"] is not None for x in e["paper_examples"])
                            else "Not all found"),
        "examples_year_clause": _examples_year_clause(e["paper_examples"]),
        "verdict_rule": VERDICT_RULE, "consistent_rule": CONSISTENT_RULE, "confidence": f"{1 - ALPHA:.0%}",
        "codebook": dict(CODEBOOK_QUOTES),
        "consistent_cutoff": f"{CONSISTENT_SHARE:.0%}", "rare_per": f"{round(1 / RARE_RATE):,}",
        "unobserved_rules_clause": unobserved_rules_clause(),
        "n_igos_1945": str(facts["n_igos_1945"]), "n_igos_2014": str(facts["n_igos_2014"]),
        "smoothing_years": str(facts["smoothing_years"]),
        "figure_rule": e["figure_rule"], "figure_rule_label": RULES[e["figure_rule"]].label,
        "n_state_columns": str(e["file_facts"]["n_state_columns"]),
        "who_year": str(e["who_exit_year"]), "seam_year": str(SEAM_YEAR),
        **{f"period_{k}": f"{lo}–{hi}" for k, (lo, hi) in e["periods"].items() if k in ("early", "late", "after1950")},
        "state_mass_examples": ", ".join(f"{_state(s)} in {y}" for s, y, _ in e["state_mass_examples"]),
        "paper_examples": ", ".join(f"{_state(x['state'])}–{x['ioname']} {x['paper_year']}" for x in e["paper_examples"]),
        "our_examples": "; ".join(f"{_state(x['state'])}–{x['ioname']}: last member year {x['last_member_year']}, "
                                  f"first year out {x['first_year_out']}" for x in e["paper_examples"]),
        "paper_top_exiters": _exiters(e["paper"]["top_exiters"]),
        "cov_member_years": n(cov["member_years"]), "cov_states": str(cov["states"]),
        "cov_no_polity": n(cov["no_polity_row"]), "cov_never_scored": str(cov["states_never_scored"]),
        "cov_minus66": str(cov["foreign_occupation_minus66"]), "cov_minus77": str(cov["interregnum_minus77"]),
        "cov_missing_polity2": n(cov["missing_polity2"]),
        "cov_minus88_missing": str(cov["transition_without_polity2"]),
        "cov_minus88_missing_cases": ", ".join(period_text(c) for c in cov["transition_without_polity2_cases"]),
        "cov_missing_democracy": n(cov["missing_democracy"]),
        "cov_dem_years": n(cov["democracy_years"]), "cov_nondem_years": n(cov["nondemocracy_years"]),
        "cov_remapped": str(cov["polity_codes_remapped"]),
    }
    # What the report quotes of each rule's summary: the basic rule's size, the strict rule's rates,
    # the chosen rule's shares and top exiters, with those of the other two beside them.
    out["basic"] = {"total": n(d["total"]), "known_found": str(d["known_cases_found"])}
    out["strict"] = {"total": n(s["total"]), "per_year_before": f(s["per_year_before_1980"], 1),
                     "per_year_after": f(s["per_year_from_1980"], 1)}
    c = e["chosen"]
    # the other rules' figures beside the chosen rule's, leaving out the chosen rule when it is one of them
    others = {k: v for k, v in (("basic", d), ("strict", s)) if k != e["figure_rule"]}
    out["chosen"] = {"economic_share": pct(c["share_economic"]), "political_share": pct(c["share_political"]),
                     "top_exiters": _exiters(c["top_exiters"]),
                     "economic_others": listing(f"{pct(v['share_economic'])} under `{k}`" for k, v in others.items()),
                     "top_exiters_others": "".join(f"; `{k}`: {_exiters(v['top_exiters'])}" for k, v in others.items())}
    cm = e["count_model"]
    out["cm_polity"] = {short: {"p": format_p(cm[exposure][label]["p_value"]), "irr": f(cm[exposure][label]["irr"], 2)}
                        for short, exposure in (("state", "igos_in_force"), ("membership", "memberships"))
                        for label in (f"polity2, {FIRST_YEAR}-{LAST_YEAR}",)}
    return out


# --------------------------------------------------------------------------- tables
def prop3_note(t: pd.DataFrame) -> str:
    """Replication note 4: how many printed numbers of the Prop. 3 example each calibration reproduces.

    The exceptions under the ``reported`` calibration are named from the table (with both values when there
    is one); Section 5.2 (``@sec-figure3``) discusses them.

    Parameters
    ----------
    t : DataFrame
        ``prop3_table.csv``: per printed number, ``printed``, ``equations``, ``reported`` and
        ``reported_matches``.

    Returns
    -------
    str
        One sentence, its verdicts in italics, ending with a reference to the table.
    """
    total = len(t)
    reported = t["reported_matches"].astype(bool)
    k = int(reported.sum())
    j = int(matches_printed(t["equations"], t["printed"]).sum())
    if k == total:
        rep = f"*Reproduced under the `reported` calibration* (all {total} printed numbers)"
    elif k == 0:
        rep = f"*Not reproduced under the `reported` calibration* (none of the {total} printed numbers)"
    else:
        misses = t.loc[~reported]
        names = [f"{QUANTITY_MATH[r.quantity]} at $\\alpha_R = {r.alpha_r:.2f}$" for r in misses.itertuples()]
        if len(misses) == 1:
            r = misses.iloc[0]
            which = (f"the exception is {names[0]}, computed as {f(r['reported'])} where the paper prints "
                     f"{f(r['printed'])}; see @sec-figure3")
        elif len(misses) <= 3:
            which = f"the exceptions are {listing(names)}; see @sec-figure3"
        else:
            which = f"the {len(misses)} exceptions are listed in @sec-figure3"
        rep = f"*Reproduced under the `reported` calibration for {k} of {total} numbers* ({which})"
    if j == 0:
        eq = "not under the equations as printed" + (" either" if k == 0 else "")
    elif j == total:
        eq = "also under the equations as printed"
    else:
        eq = f"under the equations as printed, {j} of {total}"
    return f"{rep}; {eq} (@tbl-prop3)."


def prop3_table_md(t: pd.DataFrame) -> str:
    """The Prop. 3 example: printed value, value under each calibration, and whether `reported` matches.

    Parameters
    ----------
    t : DataFrame
        ``prop3_table.csv``.

    Returns
    -------
    str
        Markdown for ``paper/generated/tbl-prop3.md``.
    """
    rows = [[f"{r.alpha_r:.2f}", QUANTITY_MATH[r.quantity], f(r.printed), f(r.equations), f(r.reported),
             "yes" if r.reported_matches else "**no**"] for r in t.itertuples()]
    return pipe_table([r"$\alpha_R$", "quantity", "printed", "equations", "reported", "reported = printed"], rows,
                       "rlrrrc")


def sensitivity_table_md(t: pd.DataFrame, paper: dict) -> str:
    """Withdrawal counts under each rule, with the paper's counts in the last row.

    Parameters
    ----------
    t : DataFrame
        ``withdrawal_sensitivity.csv``.
    paper : dict
        The paper's counts (``paper`` of ``empirics_numbers.json``).

    Returns
    -------
    str
        Markdown, one row per rule and the paper's row last (``tbl-sensitivity.md``).
    """
    rows = [[f"`{r.rule}`", n(r.total), n(r.economic), n(r.political), n(r.social), n(r.democracy),
             n(r.nondemocracy), n(r.regime_unknown), f(r.per_year_before_1980, 1), f(r.per_year_from_1980, 1)]
            for r in t.itertuples()]
    rows.append(["paper", str(paper["total"]), str(paper["economic"]), str(paper["political"]),
                 f"{paper['security_incl_who']}†", "–", "–", "–", f(paper["per_year_before_1980"], 1),
                 f(paper["per_year_from_1980"], 1)])
    return pipe_table(["rule", "total", "econ.", "polit.", "social", "dem.", "nondem.", "n/a",
                        f"/yr <{SPLIT_YEAR}", f"/yr ≥{SPLIT_YEAR}"], rows, "lrrrrrrrrr")


def _year_math(text: str) -> str:
    """Years relative to t in a rule's description ("t-1", "t+2", "t") typeset as math ($t-1$)."""
    return re.sub(r"(?<![\w$])t(?:([+-])(\d+))?(?![\w$])",
                  lambda m: f"$t{m[1]}{m[2]}$" if m[1] else "$t$", text)


def rules_caption(rules=None, chain=None) -> str:
    """What @tbl-rules shows about how the rules relate, generated from the rules themselves.

    The main chain (:data:`backlash.withdrawal.NESTED_CHAIN`) is nested: each rule keeps a
    subset of the rule before it.  Every other rule is named with the rule it builds on (the
    first word of its description, when that is a rule) or, if it builds on none, with what it
    counts.

    Parameters
    ----------
    rules : mapping of str to Rule, optional
        Default :data:`backlash.withdrawal.RULES`.
    chain : sequence of str, optional
        Default :data:`backlash.withdrawal.NESTED_CHAIN`.

    Returns
    -------
    str
        One or two sentences.
    """
    from .withdrawal import NESTED_CHAIN

    rules = RULES if rules is None else rules
    chain = [r for r in (NESTED_CHAIN if chain is None else chain) if r in rules]
    text = (f"The rules from `{chain[0]}` to `{chain[-1]}` form a chain in which each keeps a subset of the "
            "one before it (each adds a condition)")
    side = []
    for key in rules:
        if key in chain:
            continue
        base = rules[key].description.split(",")[0]
        side.append(f"`{key}` builds on `{base}` outside the chain" if base in rules else
                    f"`{key}` stands apart from the chain: {_year_math(rules[key].description.split(';')[0])}")
    return text + ("; " + "; ".join(side) if side else "") + "." + partial_status_clause(rules)


def partial_status_clause(rules=None) -> str:
    """Which rules count exits from associate or observer status, whose rates per membership still take full
    memberships as exposure (``memberships_lag``); ``""`` when every rule counts exits from full membership only.

    A rule counts exits from every status when it does not require the flag ``from_full`` of
    :func:`backlash.withdrawal.candidate_transitions`.

    Parameters
    ----------
    rules : mapping of str to Rule, optional
        The rules whose declarations are read (all of :data:`backlash.withdrawal.RULES` when not given).

    Returns
    -------
    str
        One sentence, with a leading space.
    """
    rules = RULES if rules is None else rules
    wider = [f"`{k}`" for k, r in rules.items() if "from_full" not in r.require]
    if not wider:
        return ""
    one = len(wider) == 1
    return (f" {listing(wider)} also {'counts' if one else 'count'} exits from associate or observer status, but "
            f"{'its' if one else 'their'} rates {MEMBERSHIP_RATE} (@tbl-verdicts, @tbl-decomposition) still take only "
            "full memberships in $t-1$ as exposure, as under every rule.")


def rules_table_md() -> str:
    """What each withdrawal rule keeps.

    Returns
    -------
    str
        Markdown, one numbered row per rule (``tbl-rules.md``).
    """
    rows = []
    for i, (k, r) in enumerate(RULES.items(), start=1):
        text = _year_math(r.description)
        first = text.split(",")[0]
        if first in RULES:  # "no_mass_exit, and ...": the rule it builds on, as code
            text = f"`{first}`" + text[len(first):]
        rows.append([str(i), f"{r.label} (`{k}`)", text])
    return pipe_table(["", "rule (code name)", "what it counts"], rows, "rll", min_widths=[4, 48, 0])


def count_model_md(t: pd.DataFrame) -> str:
    """The count model under both exposures: rate ratio (clustered SE of its log) and p, side by side; N.

    Parameters
    ----------
    t : DataFrame
        ``count_model.csv`` (one row per exposure and specification).

    Returns
    -------
    str
        Markdown with one row per specification (``tbl-count.md``).
    """
    state = t[t["exposure"] == "igos_in_force"].set_index("specification")
    member = t[t["exposure"] == "memberships"].set_index("specification")
    rows = [[period_text(spec), estimate_se(a.irr, a.se), pval(a.p_value), estimate_se(b.irr, b.se),
             pval(b.p_value), n(a.n_obs), str(a.n_states), n(a.n_withdrawals)]
            for spec, a, b in ((k, state.loc[k], member.loc[k]) for k in state.index)]
    return pipe_table(["specification", count_header(PAPER_RATE), "p", count_header(MEMBERSHIP_RATE),
                       "p", "state-years", "states", "withdrawals"], rows, "lrrrrrrr", min_widths=[30, 0, 8, 0, 8])


def count_header(rate: str) -> str:
    """The header of a rate's column in the count model's table (``tbl-count.md``).

    The table's caption quotes the rate from :func:`rate_variables`.

    Parameters
    ----------
    rate : str
        The rate in words (:data:`backlash.countmodel.EXPOSURES`).

    Returns
    -------
    str
        ``"per membership: rate ratio (SE)"``.
    """
    return f"{rate}: rate ratio (SE)"


def rate_variables() -> dict:
    """The count model's rates and the membership density in words, as ``countmodel.EXPOSURES`` declares them.

    Every place of the report's own text that names a rate (its prose, captions and headings) writes it with a
    ``{{< var data.rates.… >}}`` shortcode, so the words follow the declaration as generated sentences do.

    Returns
    -------
    dict
        Under ``data.rates`` of ``_variables.yml``: ``paper`` (``"per state and IGO in force"``), ``membership``
        (``"per membership"``) and ``density`` (``"memberships per state and IGO in force"``).
    """
    return {"paper": PAPER_RATE, "membership": MEMBERSHIP_RATE, "density": DENSITY}


def _ratio_p(ratio: float, p: float) -> str:
    """A rate ratio and its p-value in one table cell: ``"1.42 (0.007)"``; ``"–"`` without one."""
    return "–" if ratio != ratio or p != p else with_note(f(ratio, 2), pval(p))


def variant_labels(table: pd.DataFrame, rule: str, measure: str, names: dict[str, str], *,
                   figure: bool = False) -> dict[tuple[str, str], str]:
    """How the report names each (rule, measure) row of a table across rules and measures.

    Rows under the chosen ``measure`` are named by the rule's number in the rules table and its name
    (in a figure, :func:`backlash.withdrawal.rule_title`: its readable label with the name in parentheses);
    rows under another measure (and the chosen ``rule``) by the measure's name.

    Parameters
    ----------
    table : DataFrame
        With ``rule`` and ``measure`` columns.
    rule, measure : str
        The chosen rule and measure.
    names : dict of str to str
        Each measure's name in the report.
    figure : bool
        Labels for a figure's axis rather than a table's cells.

    Returns
    -------
    dict
        ``(rule, measure)`` to its label.
    """
    numbers = rule_numbers()
    return {(r, m): ((rule_title(r, " ") if figure else f"{numbers[r]} `{r}`") if m == measure else names[m])
            for r, m in dict.fromkeys(zip(table["rule"], table["measure"]))}


def variant_blocks(part: pd.DataFrame, rule: str, measure: str, names: dict[str, str]) -> list[tuple[str, int]]:
    """The two blocks of a table across rules and measures, each with its heading and number of rows: first the
    rows under every rule (with the chosen ``measure``), then those under every other measure (with ``rule``).

    Parameters
    ----------
    part : DataFrame
        With a ``measure`` column, one row per variant, the rules' rows first.
    rule, measure, names
        As in :func:`variant_labels`.

    Returns
    -------
    list of (str, int)

    Raises
    ------
    ValueError
        If the rows of the two blocks are interleaved (the figure would put a row under the wrong heading).
    """
    under = (part["measure"] == measure).to_numpy()
    k = int(under.sum())
    if not (under[:k].all() and not under[k:].any()):
        raise ValueError("the rows under every rule must come before those under the other measures "
                         "(claims.variants orders them so)")
    return [(f"withdrawal rules, {names[measure]}", k), (f"democracy measures, {rule} rule", len(part) - k)]


def decomposition_table_md(table: pd.DataFrame, rule: str, measure: str, names: dict[str, str]) -> str:
    """Per state and IGO in force, per membership, and the membership density: every rule and measure, each period.

    Parameters
    ----------
    table : DataFrame
        ``regime_decomposition.csv``.
    rule, measure : str
        The chosen rule and measure.
    names : dict of str to str
        Each measure's name in the report.

    Returns
    -------
    str
        Markdown (``tbl-decomposition.md``), one row per rule or measure and period, each row labelled
        (the table runs over a page, and a row without its label at the top of a page read as the
        previous rule's).
    """
    labels = variant_labels(table, rule, measure, names)
    rows = [[labels[(r.rule, r.measure)], period_range(r.period),
             _ratio_p(r.irr_state, r.p_state), _ratio_p(r.irr_membership, r.p_membership), f(r.density_ratio, 2)]
            for r in table.itertuples()]
    return pipe_table(["rule or measure", "period", f"{PAPER_RATE} (p)", f"{MEMBERSHIP_RATE} (p)",
                       "density ratio"], rows, "llrrr", min_widths=[24, 14, 30, 24, 14])


def significant(part: pd.DataFrame, ratio: str, p: str, higher: bool = True) -> pd.DataFrame:
    """The rows of ``part`` whose rate ratio (column ``ratio``) is significantly above one (or below, with
    ``higher`` false) at level :data:`ALPHA` by its p-value (column ``p``).

    Parameters
    ----------
    part : DataFrame
        Rows of ``regime_decomposition.csv`` or ``verdicts.csv``.
    ratio, p : str
        The columns of the rate ratio and its p-value (``irr_state``/``p_state`` or the membership pair).
    higher : bool
        Above one (True) or below.

    Returns
    -------
    DataFrame
    """
    return part[((part[ratio] > 1) if higher else (part[ratio] < 1)) & (part[p] < ALPHA)]


def decomposition_variables(table: pd.DataFrame, rule: str, measure: str, names: dict[str, str]) -> dict:
    """The numbers and sentences of the per-state and per-membership comparison, from ``regime_decomposition.csv``.

    For each period (``early``, ``late``, ``all``) under the chosen rule and measure: both rate
    ratios with their p-values, the density ratio, the raw ratios and the products that the
    identity of :class:`backlash.countmodel.Decomposition` predicts, and the sentence of
    :func:`backlash.verdicts.decomposition_sentence`; and, across rules and measures, under how
    many each estimand finds democracies leaving significantly more often.

    Parameters
    ----------
    table : DataFrame
        ``regime_decomposition.csv``.
    rule, measure : str
        The chosen rule and measure.
    names : dict of str to str
        Each measure's name in the report.

    Returns
    -------
    dict
        Under ``data.decomp``.
    """
    from .data import COMPARISON_PERIODS

    out: dict = {}
    chosen = table[(table["rule"] == rule) & (table["measure"] == measure)].set_index("period")
    by_rule, by_measure = table[table["measure"] == measure], table[table["rule"] == rule]

    def counted(part: pd.DataFrame, ratio: str, p: str, higher: bool = True, what: str = "rules",
                labels: dict | None = None, note: str = "") -> str:
        """``"1 of 4 democracy measures (Polity5; `no_imputed` rule)"``: how many rows are significant that way."""
        rows = significant(part, ratio, p, higher)
        named = [listing(labels[k] for k in rows["measure"])] if labels and 0 < len(rows) < len(part) else []
        inside = "; ".join(named + ([note] if note else []))
        return f"{len(rows)} of {len(part)} {what}" + (f" ({inside})" if inside else "")

    with_measure, with_rule = f"with {names[measure]}", f"`{rule}` rule"

    def count_sentence(rules_p: pd.DataFrame, measures_p: pd.DataFrame) -> str:
        state = (f"democracies left significantly more often {PAPER_RATE} under "
                 f"{counted(rules_p, 'irr_state', 'p_state', note=with_measure)} and "
                 f"{counted(measures_p, 'irr_state', 'p_state', what='democracy measures', labels=names, note=with_rule)}")
        parts = []
        for higher, word in ((True, "more"), (False, "less")):
            if len(significant(rules_p, "irr_membership", "p_membership", higher)) or len(
                    significant(measures_p, "irr_membership", "p_membership", higher)):
                parts.append(f"significantly {word} often under "
                             f"{counted(rules_p, 'irr_membership', 'p_membership', higher, note=with_measure)} and "
                             f"{counted(measures_p, 'irr_membership', 'p_membership', higher, 'measures', names)}")
        member = (" and ".join(parts) if parts else
                  "not significantly more or less often under any rule or measure")
        return f"{state}; {MEMBERSHIP_RATE}, {member}"

    for key, (lo, hi) in COMPARISON_PERIODS.items():
        period = f"{lo}-{hi}"
        r = chosen.loc[period]
        rules_p, measures_p = by_rule[by_rule["period"] == period], by_measure[by_measure["period"] == period]
        out[key] = {
            "period": f"{lo}–{hi}",
            "sentence": decomposition_sentence((r["irr_state"], r["p_state"]), (r["irr_membership"], r["p_membership"]),
                                               r["density_ratio"]),
            # what the counts count, both ways per membership, where lower rates turn up too
            "counts": count_sentence(rules_p, measures_p),
        }
        if key == "late":  # the identity, spelled out on the period of the paper's main claim
            supporting = significant(measures_p, "irr_state", "p_state")
            counts = {"measures": (len(supporting), len(measures_p)),
                      "rules": (len(significant(rules_p, "irr_state", "p_state")), len(rules_p))}
            out[key].update({
                "abstract": abstract_sentence((r["irr_state"], r["p_state"]), (r["irr_membership"], r["p_membership"]),
                                              rule=rule, measure=names[measure], period=f"{lo}–{hi}", **counts),
                "reading": reading_sentence(
                    (r["irr_state"], r["p_state"]),
                    (r["irr_membership"], r["p_membership"], *wald_interval(r["irr_membership"], r["se_membership"])),
                    r["density_ratio"], measure=names[measure], rule=rule, period=f"{lo}–{hi}", **counts,
                    supporting=tuple(names[k] for k in supporting["measure"])),
                "state": f(r["irr_state"], 2), "membership": f(r["irr_membership"], 2), "density": f(r["density_ratio"], 2),
                "raw_state": f(r["raw_state"], 2), "raw_membership": f(r["raw_membership"], 2),
                "product": f(r["irr_membership"] * r["density_ratio"], 2),
                "density_min": f(table.loc[table["period"] == period, "density_ratio"].min(), 2),
                "density_max": f(table.loc[table["period"] == period, "density_ratio"].max(), 2)})
    out["measure_name"] = names[measure]
    return out


# --------------------------------------------------------------------------- verdicts (words from numbers)
#: Short names of the paper's empirical claims, for the verdict tables.
CLAIM_SHORT = {
    "igos_grow": "IGOs in force grow",
    "exits_rise_1980": "more withdrawals a year from 1980",
    "cow_lower_bound": "COW is a lower bound on exits",
    "nondem_spike_ww2": "post-war spike of nondemocratic exits",
    "dem_more_after_1950": f"democracies exit more, {AFTER_1950[0]}–{AFTER_1950[1]}",
    "dem_more_after_1970": f"democracies exit more, {LATE[0]}–{LATE[1]}",
    "dem_consistent_after_1970": "… consistently, year after year",
    "dem_rise_2005": "democratic exits rise from 2005",
    "mostly_economic": "most exits are from economic IGOs",
    "exit_rare": "exit is rare",
}
#: How a verdict reads in a table cell and in the replication notes.
STATUS_CELL = {HOLDS: "yes", FAILS: "no", CANNOT_TELL: "?", UNTESTABLE: "n/t"}
#: How a verdict reads after a colon in the replication notes (lower case); :func:`verdict_variables` also
#: gives it capitalised, for the start of a sentence.
STATUS_NOTE = {s: s for s in STATUSES}


def _stat(claim: str, statistic: float) -> str:
    """The statistic a claim's verdict rests on, as the tables write it (a share, a rate, a factor, a ratio)."""
    if claim in ("mostly_economic", "dem_consistent_after_1970"):
        return f"{statistic:.0%}"
    if claim == "exit_rare":
        return f"{statistic:.1%}"
    if claim == "igos_grow":
        return f"×{f(statistic, 1)}"
    return f(statistic, 2)


def _cell(claim: str, status: str, statistic: float) -> str:
    """A verdict in a table cell: yes / no / ? / n/t and the statistic it rests on, on one line (a non-breaking
    space between them, so every cell of a column is set the same way)."""
    if status == UNTESTABLE or statistic != statistic:
        return STATUS_CELL[status]
    return f"{STATUS_CELL[status]}{NBSP}{_stat(claim, statistic)}"


def _cells(verdicts: pd.DataFrame, claim: str, by: str, keys) -> list[str]:
    v = verdicts[verdicts["claim"] == claim].set_index(by)
    return [_cell(claim, v.loc[k, "status"], float(v.loc[k, "statistic"])) for k in keys]


def rule_numbers() -> dict[str, int]:
    """Each rule's number in the rules table (1 = the first rule of :data:`backlash.withdrawal.RULES`).

    Returns
    -------
    dict of str to int
        Rule name to its row number, from 1.
    """
    return {k: i for i, k in enumerate(RULES, start=1)}


def verdict_grid_md(verdicts: pd.DataFrame, measure: str) -> str:
    """Claims (rows) by withdrawal rule (columns, numbered as in the rules table), under ``measure``.

    Each cell: yes / no / n/t and the statistic the verdict rests on.

    Parameters
    ----------
    verdicts : DataFrame
        ``verdicts.csv``.
    measure : str
        The chosen democracy measure.

    Returns
    -------
    str
        Markdown: claims by rules (``tbl-verdicts.md``).
    """
    v = verdicts[verdicts["measure"] == measure]
    numbers = rule_numbers()
    rows = [[CLAIM_SHORT[c], *_cells(v, c, "rule", RULES)] for c in CLAIM_SHORT]
    return pipe_table(["claim", *(str(numbers[r]) for r in RULES)], rows, "l" + "r" * len(RULES))


def shown_verdicts(verdicts: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The rows of ``verdicts.csv`` that the two verdict tables show.

    Every claim under the chosen ``measure`` (one column per rule), and the claims about regime
    type (:data:`backlash.claims.REGIME_CLAIMS`) under the other measures too: the measure does not
    enter the other claims' tests, which would repeat the chosen measure's.

    Parameters
    ----------
    verdicts : DataFrame
        ``verdicts.csv``.
    measure : str
        The chosen democracy measure.

    Returns
    -------
    DataFrame
    """
    return verdicts[(verdicts["measure"] == measure) | verdicts["claim"].isin(REGIME_CLAIMS)]


def measure_free_claims() -> str:
    """The claims that do not involve regime type, by their short names, in words (left out of the table by
    measure: see :func:`shown_verdicts`).

    Returns
    -------
    str
        ``"IGOs in force grow, ... and exit is rare"``.
    """
    return listing(f"“{CLAIM_SHORT[c]}”" for c in CLAIM_SHORT if c not in REGIME_CLAIMS)


def verdict_measures_md(verdicts: pd.DataFrame, rule: str, measure_names: dict[str, str]) -> str:
    """The claims about regime type (rows) by democracy measure (columns), under the chosen ``rule``.

    Parameters
    ----------
    verdicts : DataFrame
        ``verdicts.csv``.
    rule : str
        The chosen withdrawal rule.
    measure_names : dict of str to str
        Each measure's name in the report.

    Returns
    -------
    str
        Markdown for ``tbl-verdicts-measures.md``, one column per measure.
    """
    v = verdicts[verdicts["rule"] == rule]
    rows = [[CLAIM_SHORT[c], *_cells(v, c, "measure", measure_names)] for c in CLAIM_SHORT if c in REGIME_CLAIMS]
    return pipe_table(["claim", *measure_names.values()], rows, "l" + "r" * len(measure_names))


def multiplicity_sentence(verdicts: pd.DataFrame, measure: str) -> str:
    """How many of the verdict tables' verdicts rest on an interval, and how many distinct tests they are.

    Counted from the rows of ``verdicts.csv`` that the tables show (:func:`shown_verdicts`): a verdict
    rests on an interval when its row has both ends of one; rows of a claim with the same estimate and
    interval are one test (two rules that keep the same withdrawals in a claim's years give it the same
    test).

    Parameters
    ----------
    verdicts : DataFrame
        ``verdicts.csv``.
    measure : str
        The chosen democracy measure.

    Returns
    -------
    str
        ``"hold 82 such verdicts on 7 claims, which are 70 distinct tests (...)"``.
    """
    verdicts = shown_verdicts(verdicts, measure)
    tested = verdicts[verdicts["ci_low"].notna() & verdicts["ci_high"].notna()]
    key = ["claim", "statistic", "ci_low", "ci_high"]
    groups = tested.assign(**{c: tested[c].round(10) for c in key[1:]}).groupby(key)
    repeats = [g for _, g in groups if len(g) > 1]
    text = f"hold {n(len(tested))} such verdicts on {n(tested['claim'].nunique())} claims"
    bonferroni = bonferroni_clause(groups.first())
    if repeats:
        why = []
        if any(g["rule"].duplicated().any() for g in repeats):
            why.append("two democracy measures give a claim the same test")
        if any(g["measure"].duplicated().any() for g in repeats):
            why.append("some rules keep the same withdrawals in a claim's years")
        text += f", which are {n(groups.ngroups)} distinct tests ({'; '.join(why)})"
    return text + (f"; {bonferroni}" if bonferroni else "")


def verdict_variables(verdicts: pd.DataFrame, rule: str, measure: str) -> dict:
    """Per claim, under the chosen rule and measure: ``status`` (holds / does not hold / ..., lower case, for
    use after a colon), ``status_start`` (capitalised) and ``evidence``; for a claim that can be tested, how
    many rules and measures it holds under.

    Parameters
    ----------
    verdicts : DataFrame
        ``verdicts.csv``.
    rule, measure : str
        The chosen withdrawal rule and democracy measure.

    Returns
    -------
    dict
        ``status`` and ``evidence`` per claim, and (``holding``) under how many rules and measures it holds,
        in a sentence; a claim not about regime type is counted over the rules only.
    """
    out = {}
    chosen = verdicts[(verdicts["rule"] == rule) & (verdicts["measure"] == measure)].set_index("claim")
    by_rule = verdicts[verdicts["measure"] == measure]
    by_measure = verdicts[verdicts["rule"] == rule]
    for claim in CLAIM_SHORT:
        row = chosen.loc[claim]
        out[claim] = {"status": STATUS_NOTE[row["status"]], "status_start": STATUS_NOTE[row["status"]].capitalize(),
                      "evidence": row["evidence"]}
        rules, measures = by_rule[by_rule["claim"] == claim], by_measure[by_measure["claim"] == claim]
        if (rules["status"] != UNTESTABLE).any():
            out[claim]["holding"] = status_counts(rules, measures if claim in REGIME_CLAIMS else None)
            out[claim]["scope"] = "it holds under " + held_counts(rules, measures if claim in REGIME_CLAIMS else None)
            if claim in REGIME_CLAIMS and rules.get("membership_ratio", pd.Series(dtype=float)).notna().any():
                out[claim]["holding"] += " " + membership_counts(rules, measures)
    return out


#: How a count of verdicts other than "holds" is introduced, by status.
_OTHER_STATUS_WORDS = {FAILS: "it does not hold", CANNOT_TELL: "these data cannot tell", UNTESTABLE: "it is not testable"}


def status_counts(rules: pd.DataFrame, measures: pd.DataFrame | None) -> str:
    """Under how many rules and measures a claim holds, and what the others say, in a sentence.

    Parameters
    ----------
    rules : DataFrame
        One claim's rows of ``verdicts.csv`` under every rule (with the chosen measure).
    measures : DataFrame or None
        Its rows under every measure (with the chosen rule); None for a claim whose test the democracy measure
        does not enter, counted over the rules only.

    Returns
    -------
    str
        ``"It holds under 10 of 10 rules and 1 of 4 measures; these data cannot tell under 3 measures."``
    """
    parts = _parts(rules, measures)
    others = []
    for status, words in _OTHER_STATUS_WORDS.items():
        counts = [_some(int((p["status"] == status).sum()), what) for p, what in parts if (p["status"] == status).any()]
        if counts:
            others.append(f"{words} under {' and '.join(counts)}")
    if measures is None:
        others.append("the democracy measure does not enter its test")
    return f"It holds under {held_counts(rules, measures)}" + "".join(f"; {o}" for o in others) + "."


def held_counts(rules: pd.DataFrame, measures: pd.DataFrame | None) -> str:
    """``"10 of 10 rules and 1 of 4 measures"``: under how many rules (and measures) a claim holds.

    Parameters
    ----------
    rules, measures
        As in :func:`status_counts`.

    Returns
    -------
    str
    """
    return " and ".join(f"{int((p['status'] == HOLDS).sum())} of {_some(len(p), what)}"
                        for p, what in _parts(rules, measures))


def _parts(rules: pd.DataFrame, measures: pd.DataFrame | None) -> list[tuple[pd.DataFrame, str]]:
    return [(rules, "rule")] + ([(measures, "measure")] if measures is not None else [])


def _some(k: int, what: str) -> str:
    return f"{k} {what}{'' if k == 1 else 's'}"


def membership_counts(rules: pd.DataFrame, measures: pd.DataFrame) -> str:
    """What the verdict rule says of a regime claim's comparison per membership, under how many rules and
    measures, in a sentence (the claim's verdict rests on the rate per state and IGO in force).

    Every claim about regime type says a rate ratio exceeds one, so by the rule (:data:`VERDICT_RULE`) it holds
    where the ratio is significantly above one, does not hold where it is significantly below, and these data
    cannot tell elsewhere.

    Parameters
    ----------
    rules, measures : DataFrame
        One claim's rows of ``verdicts.csv``: under every rule (with the chosen measure), and under every
        measure (with the chosen rule).

    Returns
    -------
    str
        ``"Per membership, by the same rule, it does not hold under 4 of 10 rules and 3 of 4 measures (the ratio
        significantly below one); under the others these data cannot tell."``
    """
    parts, decided = [], [0, 0]
    for higher, status, side in ((True, HOLDS, "above"), (False, FAILS, "below")):
        k_rules = len(significant(rules, "membership_ratio", "membership_p", higher))
        k_measures = len(significant(measures, "membership_ratio", "membership_p", higher))
        if k_rules or k_measures:
            parts.append(f"{status} under {k_rules} of {len(rules)} rules and {k_measures} of {len(measures)} "
                         f"measures (the ratio significantly {side} one)")
            decided = [decided[0] + k_rules, decided[1] + k_measures]
    if not parts:
        return (f"{capitalised(MEMBERSHIP_RATE)}, these data cannot tell under any rule or measure: the ratio is "
                "nowhere significantly above or below one.")
    rest = ("" if decided == [len(rules), len(measures)] else
            f"; under the other{'s' if len(rules) + len(measures) - sum(decided) > 1 else ''} these data cannot tell")
    return f"{capitalised(MEMBERSHIP_RATE)}, by the same rule, it {listing(parts)}{rest}."


#: What each claim's statistic is called in the summary across rules and measures.
_STAT_NAMES = {"mostly_economic": "economic shares", "dem_consistent_after_1970": "shares of years",
               "exit_rare": "rates per membership-year", "igos_grow": "growth factors"}


def _by_status(part: pd.DataFrame, key: str, labels: dict[str, str], what: str) -> str:
    """``'"holds" under every rule'`` or ``'"holds" under a, b, ... and "cannot tell" under c, d, ...'``.

    The status is quoted: ``does not hold under every rule`` would also read as "not under all rules"."""
    statuses = list(dict.fromkeys(part["status"]))
    if len(statuses) == 1:
        where = f"every {what}" if len(part) > 1 else labels[part[key].iloc[0]]
        return f'"{statuses[0]}" under {where}'
    order = sorted(statuses, key=lambda st: -int((part["status"] == st).sum()))
    groups = [(st, [labels[k] for k in part.loc[part["status"] == st, key]]) for st in order]
    return listing([f'"{st}" under {listing(names)}' for st, names in groups])


def sub_period_counts(decomposition: pd.DataFrame, period: tuple[int, int], rule: str, measure: str,
                      names: dict[str, str] | None = None) -> str:
    """How the verdict rule reads a sub-period's rate ratio per state and IGO in force across rules and measures.

    Parameters
    ----------
    decomposition : DataFrame
        ``regime_decomposition.csv``.
    period : tuple of int
        The sub-period (a ``period`` of the table).
    rule, measure : str
        The chosen rule and measure.
    names : dict of str to str, optional
        Each measure's name, to name the measures it holds under when some but not all.

    Returns
    -------
    str
        ``"holds per state and IGO in force under 0 of 10 rules and 1 of 4 measures (V-Dem)"``.
    """
    from .verdicts import interval_status, wald_interval

    part = decomposition[decomposition["period"] == f"{period[0]}-{period[1]}"]
    holds = part.apply(lambda r: interval_status(*wald_interval(r["irr_state"], r["se_state"])) == HOLDS, axis=1)
    by_rule, by_measure = part["measure"] == measure, part["rule"] == rule
    k, n_measures = int(holds[by_measure].sum()), int(by_measure.sum())
    named = (f" ({listing(names[m] for m in part.loc[by_measure & holds, 'measure'])})"
             if names and 0 < k < n_measures else "")
    return (f"holds {PAPER_RATE} under {int(holds[by_rule].sum())} of {int(by_rule.sum())} "
            f"rules and {k} of {n_measures} measures{named}")


def verdict_summary(verdicts: pd.DataFrame, decomposition: pd.DataFrame, rule: str, measure: str,
                    names: dict[str, str]) -> str:
    """Every claim's verdict across rules and measures, in words: the README's and the report's summary.

    For each claim of :data:`CLAIM_SHORT`: its verdicts under every rule (with the chosen measure) and under
    every other measure (with the chosen rule), grouped by status, and the range of the statistic they rest
    on; for "after 1950", how the rule reads its sub-period before 1971 (:func:`sub_period_counts`).

    Parameters
    ----------
    verdicts, decomposition : DataFrame
        ``verdicts.csv`` and ``regime_decomposition.csv``.
    rule, measure : str
        The chosen rule and measure.
    names : dict of str to str
        Each measure's name.

    Returns
    -------
    str
        A Markdown list, one item per claim.
    """
    from .claims import EARLY

    rule_labels = {r: f"`{r}`" for r in RULES}
    items = []
    for claim, short in CLAIM_SHORT.items():
        v = verdicts[verdicts["claim"] == claim]
        rules, others = v[v["measure"] == measure], v[(v["rule"] == rule) & (v["measure"] != measure)]
        if claim not in REGIME_CLAIMS:
            text = _by_status(rules, "rule", rule_labels, "rule")
        elif v["status"].nunique() == 1:
            text = f'"{v["status"].iloc[0]}" under every rule and every democracy measure'
        else:
            text = (f"with {names[measure]}, {_by_status(rules, 'rule', rule_labels, 'rule')}; "
                    f"under `{rule}`, {_by_status(others, 'measure', names, 'other measure')}")
        stats = (v if claim in REGIME_CLAIMS else rules)["statistic"].dropna()
        if claim != "cow_lower_bound" and len(stats):
            # the claims about regime type are judged on the paper's rate; the summary says so where it is quoted
            what = _STAT_NAMES.get(claim, f"{PAPER_RATE}, rate ratios" if claim in REGIME_CLAIMS
                                   else "rate ratios")
            lo, hi = _stat(claim, stats.min()), _stat(claim, stats.max())
            against = (f", against the {CONSISTENT_SHARE:.0%} of years its descriptive threshold asks"
                       if claim == "dem_consistent_after_1970" else "")
            text += f" ({what} {lo} to {hi}{against})" if lo != hi else f" ({what} {lo}{against})"
        if claim not in REGIME_CLAIMS:
            text += "; the democracy measure does not enter"
        if claim == "dem_more_after_1950":
            text += (f"; its sub-period {EARLY[0]}–{EARLY[1]} alone "
                     f"{sub_period_counts(decomposition, EARLY, rule, measure, names)}")
        items.append(f"- *{short.replace('…', 'democracies exit more')}*: {text}.")
    return "\n".join(items) + "\n"



def _ratio_range(values: pd.Series, what: str = "rate ratio") -> str:
    """``"rate ratio 1.42"`` or ``"rate ratios 1.18 to 1.25"``."""
    lo, hi = f(values.min(), 2), f(values.max(), 2)
    return f"{what} {lo}" if lo == hi else f"{what}s {lo} to {hi}"


def _status_groups(part: pd.DataFrame, key: str, labels: dict[str, str], what: str) -> str:
    """``'"holds" under 1 of the 4 democracy measures (Polity5, rate ratio 1.42) and "cannot tell" under 3 (...)'``."""
    order = sorted(dict.fromkeys(part["status"]), key=lambda st: (-int((part["status"] == st).sum()), st))
    groups = []
    for i, st in enumerate(order):
        rows = part[part["status"] == st]
        count = f"{len(rows)} of the {len(part)} {what}" if i == 0 else f"{len(rows)}"
        stats = rows["statistic"].dropna()
        numbers = f"; {_ratio_range(stats)}" if len(stats) else ""
        groups.append(f'"{st}" under {count} ({listing([labels[k] for k in rows[key]])}{numbers})')
    return listing(groups)


def regime_notes(verdicts: pd.DataFrame, decomposition: pd.DataFrame, rule: str, measure: str,
                 names: dict[str, str]) -> str:
    """What the regime-type verdicts say together, in words: the README's paragraph after the verdict list.

    Every clause is computed: the verdict on "more often" in the late period under every rule (with the
    chosen measure) and under every measure (with the chosen rule), grouped by status; the verdict on
    "consistently"; whether democracies ever left significantly more (or less) often per membership, in
    which periods and under which rules and measures; and the range of the membership density that links
    the two rates.  A comparison that is not significant is written as "not significantly", never as
    the absence of a difference.

    Parameters
    ----------
    verdicts, decomposition : DataFrame
        ``verdicts.csv`` and ``regime_decomposition.csv``.
    rule, measure : str
        The chosen rule and measure.
    names : dict of str to str
        Each measure's name.

    Returns
    -------
    str
        One paragraph (no line breaks).
    """
    from .data import COMPARISON_PERIODS

    lo, hi = COMPARISON_PERIODS["late"]
    late, late_key = f"{lo}\u2013{hi}", f"{lo}-{hi}"
    rule_labels = {r: f"`{r}`" for r in RULES}
    v = verdicts[verdicts["claim"] == "dem_more_after_1970"]
    by_rule, by_measure = v[v["measure"] == measure], v[v["rule"] == rule]
    if by_rule["status"].nunique() == 1:
        rules_text = f'is "{by_rule["status"].iloc[0]}" under every rule with {names[measure]}'
    else:
        rules_text = f"is {_status_groups(by_rule, 'rule', rule_labels, 'rules')} with {names[measure]}"
    rules_text += f" ({_ratio_range(by_rule['statistic'].dropna())})"
    if by_measure["status"].nunique() == 1:
        measures_text = (f'"{by_measure["status"].iloc[0]}" under every democracy measure '
                         f"({_ratio_range(by_measure['statistic'].dropna())})")
    else:
        measures_text = _status_groups(by_measure, "measure", names, "democracy measures")
    c = verdicts[verdicts["claim"] == "dem_consistent_after_1970"]
    consistent = (f'"{c["status"].iloc[0]}" under every rule and measure' if c["status"].nunique() == 1 else
                  listing([f'"{st}" under {int((c["status"] == st).sum())} of the {len(c)} rules and measures'
                            for st in dict.fromkeys(c["status"])]))
    text = (f"On the paper's own rate ({PAPER_RATE}), the verdict on democracies leaving more often "
            f"than nondemocracies in {late} {rules_text}; under `{rule}`, it is {measures_text}. The verdict on "
            f'"consistently" is {consistent}, judged by the descriptive threshold on the share of years stated '
            "above.")

    d = decomposition
    combos = lambda rows: listing([f"{r.period.replace('-', chr(8211))} under `{r.rule}` with {names[r.measure]}"
                                    for r in rows.itertuples()])
    more = significant(d, "irr_membership", "p_membership")
    less = significant(d, "irr_membership", "p_membership", higher=False)
    if more.empty:
        text += (f" {capitalised(MEMBERSHIP_RATE)}, democracies did not leave significantly more often than "
                 "nondemocracies in any period under any rule or measure")
    else:
        text += (f" {capitalised(MEMBERSHIP_RATE)}, democracies left significantly more often than nondemocracies "
                 f"in {len(more)} of the {len(d)} combinations of period, rule and measure ({combos(more)})")
    if not less.empty:
        keep_imputed = {r for r, spec in RULES.items() if "imputed" not in spec.exclude}
        if (less["measure"] == measure).all() and set(less["rule"]) == keep_imputed:
            periods = listing([p.replace("-", "\u2013") for p in dict.fromkeys(less["period"])])
            text += (f" (with {names[measure]}, they left significantly less often in {periods} under the "
                     f"{len(keep_imputed)} rules that keep imputed years)")
        else:
            text += f" (they left significantly less often in {combos(less)})"
    late_rows = d[d["period"] == late_key]
    state_more = significant(late_rows, "irr_state", "p_state")
    late_more = significant(late_rows, "irr_membership", "p_membership")

    def spread(values: pd.Series) -> str:
        low, high = f(values.min(), 2), f(values.max(), 2)
        return low if low == high else f"{low} to {high}"

    everywhere = (f"across every rule and measure, the density ratio in {late} is "
                  f"{spread(late_rows['density_ratio'])}")
    if state_more.empty:
        text += f". In {late}, {everywhere}."
    elif late_more.empty:
        text += (f". Where they left significantly more often {PAPER_RATE} in {late}, they held "
                 f"{spread(state_more['density_ratio'])} times as many {DENSITY}, and "
                 f"their rate {MEMBERSHIP_RATE} was not significantly higher; {everywhere}.")
    else:
        text += (f". In {late}, {everywhere}; where the rate {MEMBERSHIP_RATE} is significantly higher too, the denser "
                 f"membership is not the whole of the higher rate {PAPER_RATE}.")
    return text


#: The README's blocks written from the outputs, each between its two markers (``make readme`` rewrites them).
README_BLOCKS = {
    "verdicts": ("<!-- verdicts: written from report.verdict_summary; do not edit -->", "<!-- verdicts: end -->"),
    "regime": ("<!-- regime: written from report.regime_notes; do not edit -->", "<!-- regime: end -->"),
}


def readme_blocks(verdicts: pd.DataFrame, decomposition: pd.DataFrame, rule: str, measure: str,
                  names: dict[str, str]) -> dict[str, str]:
    """The text of each of the README's generated blocks (:data:`README_BLOCKS`) for the default build.

    Parameters
    ----------
    verdicts, decomposition : DataFrame
        ``verdicts.csv`` and ``regime_decomposition.csv``.
    rule, measure : str
        The default rule and measure, which the README describes.
    names : dict of str to str
        Each measure's name.

    Returns
    -------
    dict of str to str
        ``verdicts``: a line that names the default choices and counts the rules and measures judged, then
        :func:`verdict_summary`; ``regime``: :func:`regime_notes`, wrapped at 80 characters.
    """
    import textwrap

    lead = (f"Under the default choices (`{rule}` rule, {names[measure]} with {MEASURES[measure].rule()}), across "
            f"the {verdicts['rule'].nunique()} withdrawal rules and the {verdicts['measure'].nunique()} democracy "
            "measures:")
    return {"verdicts": f"{lead}\n\n{verdict_summary(verdicts, decomposition, rule, measure, names).strip()}",
            "regime": textwrap.fill(regime_notes(verdicts, decomposition, rule, measure, names), 80)}


def rewrite_readme(readme: str, blocks: dict[str, str]) -> str:
    """``readme`` with each generated block replaced by ``blocks``' text, between its markers.

    Parameters
    ----------
    readme : str
        The README's text.
    blocks : dict of str to str
        :func:`readme_blocks`.

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If a block's markers are missing, or out of order.
    """
    for key, text in blocks.items():
        start, end = README_BLOCKS[key]
        i, j = readme.find(start), readme.find(end)
        if i < 0 or j < i:
            raise ValueError(f"the README has no {key} block between {start!r} and {end!r}: put the two markers "
                             "back where the block belongs")
        readme = readme[:i + len(start)] + "\n" + text + "\n" + readme[j:]
    return readme


# --------------------------------------------------------------------------- validation and measures
def validation_table_md(recall: pd.DataFrame) -> str:
    """How many documented withdrawals each rule finds, late, drops, or cannot see.

    Parameters
    ----------
    recall : DataFrame
        ``validation_recall.csv``.

    Returns
    -------
    str
        Markdown for the validation table, one row per withdrawal rule (``tbl-validation.md``).
    """
    numbers = rule_numbers()
    rows = [[f"{numbers[r.rule]}", f"`{r.rule}`", str(r.found), str(r.found_lagged), str(r.dropped_by_rule),
             str(r.not_shown_by_cow), pct(r.recall), pct(r.recall_shown)] for r in recall.itertuples()]
    return pipe_table(["", "rule", "found", "2–5 years off", "dropped", "COW cannot show", "recall",
                        "recall, COW"], rows, "rlrrrrrr")


def misses_md(misses: pd.DataFrame, rule: str) -> str:
    """The documented withdrawals the chosen rule does not find within a year, with the reason in words.

    Parameters
    ----------
    misses : DataFrame
        ``validation_misses.csv``, every rule.
    rule : str
        The rule whose misses are listed.

    Returns
    -------
    str
        One bullet per missed case.
    """
    m = misses[misses["rule"] == rule].sort_values(["first_year_out", "case_id"])
    rows = [[r.state, r.organization, str(r.first_year_out), r.reason] for r in m.itertuples()]
    return pipe_table(["state", "organization", "out", "why the rule misses it"], rows, "llrl")


def measure_table_md(robustness: pd.DataFrame, coverage: dict, measure_names: dict[str, str]) -> str:
    """The count model per state and IGO in force under each measure: rate ratio (SE of its log) and p per period.

    The state-years are those of the whole-period model: every COW member-year the measure scores (the
    regime panel has one row per member-year, and the model keeps exactly the scored ones), so a column of
    member-years scored would repeat them (it did; a test checks they still coincide). The cut-off's
    spaces do not break (``v2x_polyarchy > 0.5``).

    Parameters
    ----------
    robustness : DataFrame
        ``measure_robustness.csv``.
    coverage : dict
        ``democracy_coverage.json``.
    measure_names : dict of str to str
        The name the report gives each measure.

    Returns
    -------
    str
        Markdown (``tbl-measures.md``).
    """
    rows = []
    state = robustness[robustness["exposure"] == "igos_in_force"]
    for key, name in measure_names.items():
        part = state[state["measure"] == key].set_index("period")
        cells = [f"{estimate_se(r.irr, r.se)}, {pval(r.p_value)}" for r in part.itertuples()]
        rows.append([name, f"`{part['cutoff'].iloc[0].replace(' ', NBSP)}`", *cells,
                     n(part.loc[f"{FIRST_YEAR}-{LAST_YEAR}", "n_obs"])])
    periods = list(state[state["measure"] == next(iter(measure_names))]["period"])
    return pipe_table(["measure", "democracy when", *(period_text(p) for p in periods), "state-years"], rows,
                      "ll" + "r" * len(periods) + "r")


# --------------------------------------------------------------------------- data availability
def provenance_md(sources: list[dict]) -> str:
    """One paragraph per raw input from ``data/sources.toml``: official source, the public copy pinned and
    who made it, what the package checks, and the access date.

    Parameters
    ----------
    sources : list of dict
        The ``[[source]]`` entries of the manifest.

    Returns
    -------
    str
        One bullet per raw input.
    """
    items = [f"- **`{s['path']}`** (accessed {s.get('accessed', 'unknown')}). *Official source:* "
             f"{s.get('official', '')}. *Copy pinned:* {s.get('copy', '')}. *Checked:* {s.get('checks', '')}."
             for s in sources]
    return "\n".join(items) + "\n"


def crosswalk_sentence(coverage: dict, names: dict[str, str]) -> str:
    """What the crosswalk of each alternative measure to COW codes dropped, in one sentence.

    Parameters
    ----------
    coverage : dict
        ``democracy_coverage.json``.
    names : dict of str to str
        Each measure's name in the report.

    Returns
    -------
    str
        One sentence.
    """
    parts = []
    for key in (k for k, m in MEASURES.items() if m.source is not None):  # the measures keyed by the crosswalk
        c = coverage[key]
        bits = []
        if c["units_without_cow_code"]:
            bits.append(f"{c['rows_without_cow_code']} rows of units without a COW code "
                        f"({', '.join(c['units_without_cow_code'])})")
        if c["duplicate_rows_dropped"]:
            bits.append(f"{c['duplicate_rows_dropped']} rows of a second unit on the same COW code "
                        f"({', '.join(c['duplicate_units'])})")
        parts.append(f"{names[key]} drops " + (" and ".join(bits) if bits else "nothing"))
    return "In 1945–2014, " + "; ".join(parts) + "."


# --------------------------------------------------------------------------- beyond the paper: inequality
#: Each exposure of the count model in a narrow table column.
EXPOSURE_SHORT = {"igos_in_force": "IGOs in force", "memberships": "memberships"}


def _ratio_cell(row) -> str:
    """``1.20 (0.97–1.49)``: a rate ratio and its 95% interval in a table cell."""
    return estimate_interval(row['irr'], row['ci_low'], row['ci_high'], reference=1.0)


def inequality_map_md() -> str:
    """The map from the model to the data: each SWIID observable, what it stands for, the predicted sign, why.

    Returns
    -------
    str
        Markdown (``inequality-map.md``): one bullet per :data:`backlash.mechanism.OBSERVABLES`.
    """
    from .mechanism import OBSERVABLES

    items = [f"- **`{o.key}`, {o.name}**, stands for {o.stands_for}. Predicted among democracies: "
             f"{'more' if o.sign > 0 else 'fewer'} exits. Why: {o.reason}." for o in OBSERVABLES.values()]
    return "\n".join(items) + "\n"


#: The specifications of the inequality models that are sensitivities, not the main test: their verdict cell
#: says so, so that it cannot be read as the headline.
SENSITIVITY_SPECIFICATIONS = ("mundlak",)


def _spec_verdict(specification: str, status: str) -> str:
    """A verdict cell of the inequality table: ``"cannot tell"``, or ``"sensitivity: holds"`` for a sensitivity
    (the status itself on one line: its spaces do not break)."""
    status = status.replace(" ", NBSP)
    return f"sensitivity: {status}" if specification in SENSITIVITY_SPECIFICATIONS else status


def inequality_table_md(models: pd.DataFrame) -> str:
    """The main specification: every observable and specification under both exposures.

    Parameters
    ----------
    models : DataFrame
        ``inequality_models.csv``.

    Returns
    -------
    str
        Markdown (``tbl-inequality.md``): rate ratios per 10 points in democracies (with the 95%
        interval) and nondemocracies and their ratio, the p-values, how the standard error of
        democracies' slope changes with the draws, the verdict (marked "sensitivity:" for a specification of
        :data:`SENSITIVITY_SPECIFICATIONS`) and the state-years.
    """
    from .mechanism import OBSERVABLES, judge, select

    rule, measure = models["rule"].iloc[0], models["measure"].iloc[0]
    combos = models[["observable", "specification", "exposure"]].drop_duplicates()
    rows = []
    for c in combos.itertuples(index=False):
        keys = dict(observable=c.observable, specification=c.specification, exposure=c.exposure, rule=rule,
                    measure=measure)
        point = select(models, draws=0, **keys)
        dem, nondem, diff = (point.loc[q] for q in ("democracies", "nondemocracies", "difference"))
        try:
            drawn = select(models, draws=int(models["draws"].max()), **keys).loc["democracies"]
            change = f"{100 * (drawn['se'] / dem['se'] - 1):+.0f}%".replace("-", "−")
        except ValueError:
            change = "–"
        rows.append([f"`{c.observable}`", c.specification, EXPOSURE_SHORT[c.exposure].replace(" ", NBSP), _ratio_cell(dem),
                     pval(dem["p_value"]), f(nondem["irr"], 2), f(diff["irr"], 2), pval(diff["p_value"]), change,
                     _spec_verdict(c.specification, judge(dem, OBSERVABLES[c.observable].sign).status),
                     n(dem["n_obs"])])
    return pipe_table(["observable", "spec.", "exposure", "dem. (95% CI)", "p", "nondem.",
                       "dem./nondem.", "p", "SE, draws", "verdict", "state-years"], rows, "lllrrrrrrlr",
                      min_widths=[11, 7, 16, 20, 6, 7, 7, 6, 6, 14, 7])


def inequality_grid_md(models: pd.DataFrame, robustness: pd.DataFrame, measure_names: dict[str, str]) -> str:
    """The main observable's verdict under every withdrawal rule and democracy measure, both exposures.

    Parameters
    ----------
    models, robustness : DataFrame
        ``inequality_models.csv`` and ``inequality_robustness.csv``.
    measure_names : dict of str to str
        Each democracy measure's name in the report.

    Returns
    -------
    str
        Markdown (``tbl-inequality-grid.md``): one row per rule (numbered as in the rules table)
        and per other measure; each cell the democracies' rate ratio, its p-value and the verdict,
        on the SWIID's values.
    """
    from .mechanism import MAIN, OBSERVABLES, judge

    rule, measure = models["rule"].iloc[0], models["measure"].iloc[0]
    numbers = rule_numbers()
    rows = []
    for (r, m), cells in _grid_cells(models, robustness, measure_names).items():
        label = f"{numbers[r]} `{r}`, {measure_names[m]}" + (" (this build)" if (r, m) == (rule, measure) else "")
        rows.append([label, *(f"{f(dem['irr'], 2)}, p {pval(dem['p_value'])}: "
                              f"{judge(dem, OBSERVABLES[MAIN].sign).status}" for dem in cells)])
    return pipe_table(["rule, democracy measure", *(e.rate for e in EXPOSURES.values())], rows, "lll")


def _grid_cells(models: pd.DataFrame, robustness: pd.DataFrame, measures) -> dict:
    """The cells of the inequality grid: per (rule, measure) in the grid's order, democracies' row of the main
    observable under each exposure of :data:`backlash.countmodel.EXPOSURES`, on the SWIID's values."""
    from .mechanism import MAIN, select

    rule, measure = models["rule"].iloc[0], models["measure"].iloc[0]
    both = pd.concat([models, robustness], ignore_index=True)
    combos = [(r, measure) for r in RULES] + [(rule, m) for m in measures if m != measure]
    return {(r, m): [select(both, observable=MAIN, exposure=e, rule=r, measure=m, draws=0).loc["democracies"]
                     for e in EXPOSURES] for r, m in combos}


def inequality_shown(models: pd.DataFrame, robustness: pd.DataFrame, measures) -> pd.DataFrame:
    """Every verdict the two inequality tables show, one row each, with its status.

    Parameters
    ----------
    models, robustness : DataFrame
        ``inequality_models.csv`` and ``inequality_robustness.csv``.
    measures : iterable of str
        The democracy measures of the grid (the keys of :data:`backlash.democracy.MEASURES`).

    Returns
    -------
    DataFrame
        Democracies' rows (on the SWIID's values) of ``tbl-inequality`` (``table`` "inequality": every
        observable, specification and exposure under this build's rule and measure) and of
        ``tbl-inequality-grid`` (``table`` "grid"), with ``status`` by :func:`backlash.mechanism.judge`.
    """
    from .mechanism import OBSERVABLES, judge

    main = models[(models["draws"] == 0) & (models["quantity"] == "democracies")].assign(table="inequality")
    grid = pd.DataFrame([row for cells in _grid_cells(models, robustness, measures).values() for row in cells])
    shown = pd.concat([main, grid.assign(table="grid")], ignore_index=True)
    return shown.assign(status=[judge(r, OBSERVABLES[r["observable"]].sign).status for _, r in shown.iterrows()])


def inequality_multiplicity(shown: pd.DataFrame) -> str:
    """How many verdicts the inequality tables hold, how many distinct tests they are, and what a correction for
    multiplicity would leave of the "holds".

    Rows of one observable, specification and exposure with the same estimate and interval are one test (the
    main estimate appears in both tables; rules that keep the same withdrawals in the sample give the same
    estimate).  The Bonferroni level is :data:`backlash.verdicts.ALPHA` over the distinct tests; a "holds"
    survives it when its p-value is below that level (the interval at that level then still lies on the
    predicted side of one and reaches further, so the margin cannot turn it).

    Parameters
    ----------
    shown : DataFrame
        :func:`inequality_shown`.

    Returns
    -------
    str
        ``"hold 36 verdicts, which are 31 distinct tests (...). Of those tests, 4 give “holds”, ..."``, to
        follow the names of the two tables; it ends with a full stop.
    """
    key = ["observable", "specification", "exposure", "irr", "ci_low", "ci_high"]
    rounded = shown.assign(**{c: shown[c].round(10) for c in key[3:]})
    groups = rounded.groupby(key, sort=False)
    repeats = [g for _, g in groups if len(g) > 1]
    why = []
    if any(g[["rule", "measure"]].duplicated().any() for g in repeats):
        why.append("the main estimate appears in both tables")
    if any(g["rule"].nunique() > 1 for g in repeats):
        why.append("some rules keep the same withdrawals in the sample")
    if any(g["measure"].nunique() > 1 for g in repeats):
        why.append("some democracy measures give the same estimate")
    tests = groups.first()
    k = len(tests)
    counts = {s: int((tests["status"] == s).sum()) for s in (HOLDS, FAILS, CANNOT_TELL)}
    text = f"hold {n(len(shown))} verdicts, which are {n(k)} distinct tests"
    text += f" ({'; '.join(why)})" if why else ""
    text += (f". Of those tests, {counts[HOLDS]} give “{HOLDS}”, {counts[FAILS]} “{FAILS}” and "
             f"{counts[CANNOT_TELL]} “{CANNOT_TELL}”.")
    bonferroni = bonferroni_clause(tests)
    return text + (f" {capitalised(bonferroni)}." if bonferroni else "")


def bonferroni_clause(tests: pd.DataFrame) -> str:
    """What a Bonferroni correction over distinct tests would leave of their "holds", as a clause.

    The level is :data:`backlash.verdicts.ALPHA` over the number of tests; a "holds" survives it when its
    p-value is below that level (the interval at that level then still lies on the claimed side of the
    reference and reaches further, so a margin cannot turn it).

    Parameters
    ----------
    tests : DataFrame
        One row per distinct test, with ``status`` and ``p_value``.

    Returns
    -------
    str
        ``"a Bonferroni correction for the 30 distinct tests (each at the level 0.0017), conservative here because
        the tests share one data set and move together, would leave none of the 6 “holds”"``; ``""`` when no test
        holds.
    """
    holds = tests[tests["status"] == HOLDS]
    if holds.empty:
        return ""
    level = ALPHA / len(tests)
    kept = int((holds["p_value"] < level).sum())
    return (f"a Bonferroni correction for the {n(len(tests))} distinct tests (each at the level {f(level, 4)}), "
            "conservative here because the tests share one data set and move together, would leave "
            f"{'none' if kept == 0 else kept} of the {len(holds)} “{HOLDS}”")


def spread_variables(spread: dict, scale: float, min_effect: float) -> dict[str, str]:
    """The margin across the middle half of democracies' market Gini, as the report prints it.

    The quartiles are printed to one decimal and the gap and the factor are computed from the printed
    quartiles, so a reader who redoes ``min_effect ** (gap / scale)`` from the page gets the printed factor.

    Parameters
    ----------
    spread : dict
        ``p25``, ``p75`` and ``sd`` of democracies' market Gini in the sample (``inequality_numbers.json``).
    scale : float
        The points of Gini that the rate ratio is per.
    min_effect : float
        The margin: the smallest rate ratio per ``scale`` points counted as support.

    Returns
    -------
    dict of str
        ``p25``, ``p75``, ``gap``, ``scale_in_sd`` (``scale`` in standard deviations) and ``margin_over_gap``.
    """
    p25, p75 = (round(spread[k], 1) for k in ("p25", "p75"))
    gap = round(p75 - p25, 1)
    return {"p25": f(p25, 1), "p75": f(p75, 1), "gap": f(gap, 1), "scale_in_sd": f(scale / spread["sd"], 1),
            "margin_over_gap": f(min_effect ** (gap / scale), 2)}


def inequality_variables(models: pd.DataFrame, robustness: pd.DataFrame, coverage: dict, numbers: dict) -> dict:
    """Every number and verdict of the section "Beyond the paper: does inequality predict exit?".

    Parameters
    ----------
    models, robustness : DataFrame
        ``inequality_models.csv`` and ``inequality_robustness.csv``.
    coverage, numbers : dict
        ``inequality_coverage.json`` and ``inequality_numbers.json``.

    Returns
    -------
    dict
        The ``data.inequality`` variables: coverage, the sample by regime, the settings, the
        verdict and its sentences, how the draws change the estimates, and the verdicts'
        counts over rules and measures.
    """
    from .inequality import SWIID_VERSION
    from .mechanism import (MAIN, OBSERVABLES, ci_text, country_shift_sentence, get_observable, judge,
                            abstract_sentence as mechanism_abstract,
                            margin_sentence, mechanism_sentence, other_rate_sentence, sample_sentence, select,
                            verdict_counts, within_sentence)

    rule, measure, m = numbers["rule"], numbers["measure"], int(numbers["n_draws"])
    never = coverage["states_never"]
    no_series = [s["name"] for s in never if s["reason"] == "no SWIID series"]
    outside = [s["name"] for s in never if s["reason"] != "no SWIID series"]
    decades = coverage["by_decade"]
    sample = numbers["sample"]
    out = {
        "cov_member_years": n(coverage["member_years"]), "cov_with_gini": n(coverage["with_gini_mkt"]),
        "cov_share": pct(coverage["share_gini_mkt"]), "cov_states": str(coverage["states"]),
        "cov_states_with": str(coverage["states_with_gini_mkt"]), "cov_with_abs_red": n(coverage["with_abs_red"]),
        "cov_first_year": str(coverage["first_year"]), "cov_last_year": str(coverage["last_year"]),
        "cov_never_n": str(len(never)), "cov_never_no_series": ", ".join(no_series) or "none",
        "cov_never_outside": ", ".join(outside) or "none",
        "cov_first_decade": f"{min(decades)}s", "cov_first_decade_share": pct(decades[min(decades)]["share"]),
        "cov_last_decade": f"{max(decades)}s", "cov_last_decade_share": pct(decades[max(decades)]["share"]),
        "rows_total": n(coverage["swiid_rows"]["total"]), "rows_matched": n(coverage["swiid_rows"]["matched"]),
        "rows_territory": n(coverage["swiid_rows"]["territory"]), "territories": ", ".join(coverage["territories"]),
        "rows_outside_membership": n(coverage["swiid_rows"]["outside_membership"]),
        "rows_outside_limits": n(coverage["swiid_rows"]["outside_year_limits"]),
        "rows_outside_years": n(coverage["swiid_rows"]["outside_years"]),
        "sample_first_year": str(sample["first_year"]),
        "dem_share": pct(sample["democracies"]["share"]), "nondem_share": pct(sample["nondemocracies"]["share"]),
        "dem_withdrawal_share": pct(sample["democracies"]["withdrawals_with_gini"]
                                    / max(sample["democracies"]["withdrawals"], 1)),
        "nondem_withdrawal_share": pct(sample["nondemocracies"]["withdrawals_with_gini"]
                                       / max(sample["nondemocracies"]["withdrawals"], 1)),
        "swiid_version": SWIID_VERSION, "trend_states": str(numbers["trend"]["states"]), "trend_rising": str(numbers["trend"]["rising"]),
        "trend_min_years": str(numbers["trend"]["min_years"]),
        "n_draws": str(m), "seed": str(numbers["seed"]), "lag": f"{numbers['lag']} year" + ("" if numbers["lag"] == 1 else "s"), "scale": f"{numbers['scale']:g}",
        "min_effect": f(numbers["min_effect"], 2), "min_effect_inverse": f(1 / numbers["min_effect"], 2),
        "min_effect_rise": pct(numbers["min_effect"] - 1),
        "n_combinations": str(len(RULES) + len(MEASURES) - 1), "n_rules": str(len(RULES)),
        "n_measures": str(len(MEASURES)),
    }
    keys = dict(rule=rule, measure=measure)
    sign = OBSERVABLES[MAIN].sign
    main = select(models, observable=MAIN, exposure=PAPER_EXPOSURE, draws=0, **keys)
    out["sentence"] = mechanism_sentence(main, MAIN)
    out["abstract"] = mechanism_abstract(main, MAIN)
    out["margins"] = margin_sentence(main.loc["democracies"], sign)
    out["margins_others"] = "; ".join(
        f"for the {OBSERVABLES[key].name}, "
        + margin_sentence(select(models, observable=key, exposure=PAPER_EXPOSURE, draws=0, **keys).loc["democracies"],
                          OBSERVABLES[key].sign)
        for key in OBSERVABLES if key != MAIN)
    out["multiplicity"] = inequality_multiplicity(inequality_shown(models, robustness, MEASURES))
    out["spread"] = spread_variables(numbers["spread"], numbers["scale"], numbers["min_effect"])
    for exposure in EXPOSURES:
        point = select(models, observable=MAIN, exposure=exposure, draws=0, **keys).loc["democracies"]
        drawn = select(models, observable=MAIN, exposure=exposure, draws=m, **keys).loc["democracies"]
        counts = verdict_counts(pd.concat([models, robustness], ignore_index=True), exposure=exposure)
        out[exposure] = {
            "irr_point": f(point["irr"], 2), "irr_draws": f(drawn["irr"], 2),
            "se_point": f(point["se"], 3), "se_draws": f(drawn["se"], 3),
            "se_change": pct(abs(drawn["se"] / point["se"] - 1)),
            "se_direction": "smaller" if drawn["se"] < point["se"] else "larger",
            **{k.replace(" ", "_"): str(v) for k, v in counts.items()}}
    drawn = select(models, observable=MAIN, exposure=PAPER_EXPOSURE, draws=m, **keys).loc["democracies"]
    out[PAPER_EXPOSURE].update({"ci_draws": ci_text(drawn), "status_draws": judge(drawn, sign).status})
    country = select(models, observable=MAIN, exposure=PAPER_EXPOSURE, draws=m, draw_unit="country",
                     **keys).loc["democracies"]
    out["country"] = {"irr": f(country["irr"], 2), "ci": ci_text(country), "status": judge(country, sign).status}
    per_member = select(models, observable=MAIN, exposure="memberships", draws=0, **keys)
    out["sentence_memberships"] = " ".join([mechanism_sentence(per_member, MAIN), sample_sentence(
        per_member, main, f"the same Gini's estimate {EXPOSURES[PAPER_EXPOSURE].rate}")])
    others = [e for e in EXPOSURES if e != PAPER_EXPOSURE]
    for key in OBSERVABLES:
        if key != MAIN:
            paper_rate = select(models, observable=key, exposure=PAPER_EXPOSURE, draws=0, **keys)
            sentence = mechanism_sentence(paper_rate, key)  # named first: two observables' sentences follow each other
            name = get_observable(key).name
            out[f"sentence_{key}"] = " ".join(
                [f"For {'the ' if name.endswith('Gini') else ''}{name}, {sentence[0].lower()}{sentence[1:]}",
                 sample_sentence(paper_rate, main, f"the {OBSERVABLES[MAIN].name}'s main estimate"),
                 *(other_rate_sentence(paper_rate, select(models, observable=key, exposure=e, draws=0, **keys), key)
                   for e in others)])
    within = {spec: select(models, observable=MAIN, specification=spec, exposure=PAPER_EXPOSURE, draws=0, **keys)
              for spec in ("within", "mundlak")}
    within_others = [select(models, observable=MAIN, specification="within", exposure=e, draws=0, **keys)
                     for e in others]
    out["within"] = {"sentence": within_sentence(within["within"], within["mundlak"], fe_others=within_others,
                                                 pooled=main),
                     "country_absorbed": country_shift_sentence(numbers["country_shift"])}
    for unit in ("country-year", "country"):
        row = select(models, observable=MAIN, specification="within", exposure=PAPER_EXPOSURE, draws=m,
                     draw_unit=unit, **keys).loc["democracies"]
        out["within"][unit.replace("-", "_")] = {"irr": f(row["irr"], 2), "ci": ci_text(row),
                                                 "status": judge(row, sign).status}
    # the correlated-random-effects sensitivity, over the same independent draws
    row = select(models, observable=MAIN, specification="mundlak", exposure=PAPER_EXPOSURE, draws=m,
                 draw_unit="country-year", **keys).loc["democracies"]
    out["within"]["mundlak_draws"] = {"irr": f(row["irr"], 2), "ci": ci_text(row), "status": judge(row, sign).status}
    return out
