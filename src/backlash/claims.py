r"""The paper's empirical claims, judged under every withdrawal rule.

Section 3 of Melnick (2025) reads several stylized facts off its Figure 1.  Each
is stated here once (:data:`CLAIMS`), with the test that decides it, and
:func:`verdict_table` judges every claim under every rule of
:data:`backlash.withdrawal.RULES`, so a reader sees at once which conclusions depend
on what counts as a withdrawal.

The tests
---------
Rates of two periods or groups are compared with an exact conditional test for
two Poisson rates: given :math:`W_1+W_2` events over exposures :math:`E_1` and
:math:`E_2`, :math:`W_2\sim\mathrm{Bin}(W_1+W_2,\,E_2/(E_1+E_2))` under equal
rates (two-sided binomial test).  Exposure is state-IGO-years (states of the
group times IGOs in force, summed over years) for regime-type rates, and
years for counts per year.  Democracies against nondemocracies within a period
uses the count model of :func:`backlash.countmodel.count_model` (Poisson with
memberships as exposure, decade effects, standard errors clustered by state).

Pure functions on the pipeline's data frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import countmodel, withdrawal
from .exhibits import empirics
from .data import FIRST_YEAR, LAST_YEAR, PERIODS
from .verdicts import ALPHA, FAILS, HOLDS, UNTESTABLE, Verdict, directional, format_number, format_p

#: Periods the claims refer to (first and last year, inclusive).
EARLY = PERIODS["early"]          # "after 1950": 1951-1970
LATE = PERIODS["late"]            # "consistently after 1970": 1971-2014
SPIKE = (1946, 1952)          # "in the years following the Second World War"
SPIKE_BASE = (1953, 1970)     # what the spike is a spike against
PRE_2005 = PERIODS["pre2005"]      # the decade before
POST_2005 = PERIODS["post2005"]    # "beginning around 2005": 2005-2014
#: "Consistently": democracies' smoothed rate above nondemocracies' in at least this share of years.
CONSISTENT_SHARE = 0.9


@dataclass(frozen=True)
class Claim:
    """One empirical claim of the paper: a key, the claim in our words, where the paper makes it.

    Attributes
    ----------
    key : str
        The claim's key (a row of the verdict table).
    statement : str
        The claim in our words.
    where : str
        Where the paper makes it.
    """

    key: str
    statement: str
    where: str


#: The paper's empirical claims, in the order of its Section 3.
CLAIMS: tuple[Claim, ...] = (
    Claim("igos_grow", "the number of IGOs in force grows over 1945-2014", "Sec. 3, first paragraph"),
    Claim("exits_rise_1980", "withdrawals per year are higher from 1980 than before (about 2 against 3.5)",
          "Sec. 3, first paragraph"),
    Claim("cow_lower_bound", "the COW data give a lower bound on the number of exits", "Sec. 3, first paragraph"),
    Claim("nondem_spike_ww2", "nondemocracies' withdrawals spike in the years after the Second World War",
          "Figure 1(a) and its discussion"),
    Claim("dem_more_after_1950", "after 1950 democracies withdraw more often than nondemocracies",
          "Figure 1(a) and its discussion"),
    Claim("dem_more_after_1970", "from 1970 democracies withdraw more often than nondemocracies, consistently",
          "Figure 1(a) and its discussion"),
    Claim("dem_rise_2005", "democracies' withdrawals rise from about 2005", "Figure 1(a) and its discussion"),
    Claim("mostly_economic", "most withdrawals are from economic organizations", "Figure 1(b) and its discussion"),
)
CLAIM_KEYS = tuple(c.key for c in CLAIMS)


def poisson_rate_test(events_1: float, exposure_1: float, events_2: float, exposure_2: float) -> tuple[float, float]:
    r"""Rate ratio :math:`(W_2/E_2)/(W_1/E_1)` and the exact two-sided p-value for equal rates.

    Conditional on :math:`W_1+W_2`, :math:`W_2` is binomial with success
    probability :math:`E_2/(E_1+E_2)` when the two rates are equal.

    Parameters
    ----------
    events_1, events_2 : float
        Withdrawals in the first and the second group or period.
    exposure_1, exposure_2 : float
        Memberships at risk in each.

    Returns
    -------
    (ratio, p) : tuple of float
        ``(nan, nan)`` when there are no events or an exposure is zero.
    """
    from scipy.stats import binomtest

    n = int(round(events_1 + events_2))
    if n == 0 or exposure_1 <= 0 or exposure_2 <= 0:
        return math.nan, math.nan
    share = exposure_2 / (exposure_1 + exposure_2)
    p = float(binomtest(int(round(events_2)), n, share).pvalue)
    if events_1 == 0:
        return math.inf, p
    return (events_2 / exposure_2) / (events_1 / exposure_1), p


def _between(frame: pd.DataFrame, period: tuple[int, int]) -> pd.DataFrame:
    return frame[frame["year"].between(*period)]


def _group_rate_test(series: pd.DataFrame, group: str, before: tuple[int, int],
                     after: tuple[int, int]) -> tuple[float, float]:
    """Rate of ``group`` ("dem" or "nondem") in ``after`` against ``before``, per state-IGO-year."""
    a, b = _between(series, before), _between(series, after)
    return poisson_rate_test(a[f"w_{group}"].sum(), (a[f"n_{group}"] * a["n_igos"]).sum(),
                             b[f"w_{group}"].sum(), (b[f"n_{group}"] * b["n_igos"]).sum())


def smoothed_share_above(series: pd.DataFrame, period: tuple[int, int], window: int = empirics.SMOOTHING_YEARS) -> float:
    """Share of years in ``period`` in which democracies' smoothed rate exceeds nondemocracies'.

    The smoothing is Figure 1's centred moving average over ``window`` years.

    Parameters
    ----------
    series : DataFrame
        Figure 1's series (``year, rate_dem, rate_nondem``).
    period : tuple of int
        First and last year.
    window : int
        Years in the moving average.

    Returns
    -------
    float
        The share of the period's years, in [0, 1].
    """
    s = series.set_index("year")[["rate_dem", "rate_nondem"]]
    smooth = s.apply(empirics.moving_average, window=window)
    part = smooth.loc[period[0]:period[1]]
    return float((part["rate_dem"] > part["rate_nondem"]).mean())


def regime_rate_ratio(state_year: pd.DataFrame, period: tuple[int, int]) -> tuple[float, float]:
    """Democracies' withdrawal rate relative to nondemocracies' in ``period`` (count model IRR, p).

    Parameters
    ----------
    state_year : DataFrame
        The state-year panel (:func:`backlash.countmodel.state_year_panel`).
    period : tuple of int
        First and last year.

    Returns
    -------
    (irr, p) : tuple of float
        The incidence-rate ratio of democracy and its p-value.
    """
    part = _between(state_year, period)
    if part["withdrawals"].sum() == 0 or part["democracy"].nunique() < 2:
        return math.nan, math.nan
    row = countmodel.fit_count_model(part, "democracy")
    return row["irr"], row["p_value"]


def judge_rule(withdrawals: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame,
               state_year: pd.DataFrame, paper_total: int = empirics.PAPER_COUNTS["total"],
               who_1950_coded: bool = False) -> list[Verdict]:
    """Every claim of :data:`CLAIMS` judged on one set of withdrawals.

    Parameters
    ----------
    withdrawals : DataFrame
        The withdrawals under one rule (:func:`backlash.withdrawal.withdrawals`).
    regime, igo_panel : DataFrame
        The regime panel and the IGOs in force per year.
    state_year : DataFrame
        The state-year panel (:func:`backlash.countmodel.state_year_panel`); its
        ``withdrawals`` column is replaced by the counts of ``withdrawals``.
    paper_total : int
        The paper's count of exits, for the lower-bound claim.
    who_1950_coded : bool
        Whether COW codes the paper's example of the post-war spike (the
        Soviet-bloc exits from the WHO in 1950).

    Returns
    -------
    list of Verdict
        One per claim, in the order of :data:`CLAIMS`.
    """
    series = empirics.figure1_series(withdrawals, regime, igo_panel)
    counts = withdrawals.groupby(["ccode", "year"]).size().rename("withdrawals")
    sy = state_year.drop(columns="withdrawals").join(counts, on=["ccode", "year"])
    sy["withdrawals"] = sy["withdrawals"].fillna(0).astype("int64")
    out: dict[str, Verdict] = {}

    first, last = series.iloc[0], series.iloc[-1]
    grow = int(last["n_igos"]) > int(first["n_igos"])
    out["igos_grow"] = Verdict("igos_grow", HOLDS if grow else FAILS,
                               f"{int(first['n_igos'])} IGOs in {int(first['year'])}, "
                               f"{int(last['n_igos'])} in {int(last['year'])}",
                               float(last["n_igos"]) / float(first["n_igos"]))

    split = withdrawal.SPLIT_YEAR
    before = int((withdrawals["year"] < split).sum())
    after = int((withdrawals["year"] >= split).sum())
    ratio, p = poisson_rate_test(before, split - FIRST_YEAR, after, LAST_YEAR - split + 1)
    v = directional("exits_rise_1980", ratio, p)
    out["exits_rise_1980"] = Verdict(v.claim, v.status, f"{format_number(before / (split - FIRST_YEAR), 1)} a year "
                                     f"before {split}, {format_number(after / (LAST_YEAR - split + 1), 1)} from then; "
                                     + v.evidence, v.statistic, v.p_value)

    total = len(withdrawals)
    out["cow_lower_bound"] = Verdict(
        "cow_lower_bound", UNTESTABLE,
        f"a lower bound needs the true number of exits; COW gives {total:,} here against the paper's {paper_total}",
        float(total))

    ratio, p = _group_rate_test(series, "nondem", SPIKE_BASE, SPIKE)
    v = directional("nondem_spike_ww2", ratio, p)
    named = "coded" if who_1950_coded else "not coded in COW"
    out["nondem_spike_ww2"] = Verdict(v.claim, v.status, f"{SPIKE[0]}-{SPIKE[1]} against {SPIKE_BASE[0]}-"
                                      f"{SPIKE_BASE[1]}: {v.evidence}; the WHO exits of 1950 the paper names are "
                                      f"{named}", v.statistic, v.p_value)

    ratio, p = regime_rate_ratio(sy, EARLY)
    v = directional("dem_more_after_1950", ratio, p)
    out["dem_more_after_1950"] = Verdict(v.claim, v.status, f"{EARLY[0]}-{EARLY[1]}: {v.evidence}",
                                         v.statistic, v.p_value)

    ratio, p = regime_rate_ratio(sy, LATE)
    share = smoothed_share_above(series, LATE)
    v = directional("dem_more_after_1970", ratio, p)
    consistent = share >= CONSISTENT_SHARE
    status = HOLDS if v.status == HOLDS and consistent else (UNTESTABLE if v.status == UNTESTABLE else FAILS)
    out["dem_more_after_1970"] = Verdict(
        v.claim, status, f"{LATE[0]}-{LATE[1]}: {v.evidence}; smoothed rate higher in {share:.0%} of years "
        f"(consistently: at least {CONSISTENT_SHARE:.0%})", v.statistic, v.p_value)

    ratio, p = _group_rate_test(series, "dem", PRE_2005, POST_2005)
    v = directional("dem_rise_2005", ratio, p)
    out["dem_rise_2005"] = Verdict(v.claim, v.status, f"{POST_2005[0]}-{POST_2005[1]} against {PRE_2005[0]}-"
                                   f"{PRE_2005[1]}: {v.evidence}", v.statistic, v.p_value)

    economic = int((withdrawals["issue_area"] == "economic").sum())
    if total == 0:
        out["mostly_economic"] = Verdict("mostly_economic", UNTESTABLE, "no withdrawals under this rule")
    else:
        from scipy.stats import binomtest

        p = float(binomtest(economic, total, 0.5, alternative="greater").pvalue)
        ok = economic / total > 0.5 and p < ALPHA
        out["mostly_economic"] = Verdict("mostly_economic", HOLDS if ok else FAILS,
                                         f"{economic / total:.0%} economic ({economic:,} of {total:,}); "
                                         f"{format_p(p)} against one half",
                                         economic / total, p)
    return [out[k] for k in CLAIM_KEYS]


def verdict_table(candidates: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame,
                  state_year: pd.DataFrame, *, rules=None, who_1950_coded: bool = False,
                  measure: str = "polity", measures_panel: pd.DataFrame | None = None,
                  rule: str = withdrawal.DEFAULT_RULE) -> pd.DataFrame:
    """The verdict on every claim under every rule, and under every democracy measure.

    ``regime`` and ``state_year`` carry the chosen ``measure``; every rule in
    ``rules`` is judged with it.  When ``measures_panel`` (the scores of
    :func:`backlash.democracy.measures_panel`) is given, every other measure is
    judged too, under the chosen ``rule``.

    Parameters
    ----------
    candidates : DataFrame
        :func:`backlash.withdrawal.candidate_transitions`.
    regime : DataFrame
        The regime panel under the chosen measure.
    igo_panel : DataFrame
        IGOs in force per year.
    state_year : DataFrame
        The state-year panel under the chosen measure.
    rules : iterable of str, optional
        The rules to judge (default: all of :data:`backlash.withdrawal.RULES`).
    who_1950_coded : bool
        Whether COW codes the WHO exits of 1950 (:func:`who_1950_coded`).
    measure : str
        The chosen democracy measure's key.
    measures_panel : DataFrame, optional
        The scores of every measure; without it only ``measure`` is judged.
    rule : str
        The rule under which the other measures are judged.

    Returns
    -------
    DataFrame
        ``claim, statement, rule, measure, status, evidence, statistic, p_value``,
        claims in the order of :data:`CLAIMS`, then rules, then measures.
    """
    from .democracy import MEASURES, indicators

    rules = list(withdrawal.RULES) if rules is None else list(rules)
    statements = {c.key: c.statement for c in CLAIMS}
    combos = [(r, measure, regime, state_year) for r in rules]
    if measures_panel is not None:
        scored = indicators(measures_panel)
        for key in MEASURES:
            if key == measure:
                continue
            reg = scored[["ccode", "year", key]].rename(columns={key: "democracy"})
            reg = regime.drop(columns="democracy").merge(reg, on=["ccode", "year"], how="left",
                                                         validate="one_to_one")
            sy = state_year.drop(columns="democracy").merge(reg[["ccode", "year", "democracy"]],
                                                            on=["ccode", "year"], how="left", validate="one_to_one")
            combos.append((rule, key, reg, sy))
    rows = []
    for r, m, reg, sy in combos:
        w = withdrawal.withdrawals(candidates, reg, r)
        for v in judge_rule(w, reg, igo_panel, sy, who_1950_coded=who_1950_coded):
            rows.append({"claim": v.claim, "statement": statements[v.claim], "rule": r, "measure": m,
                         "status": v.status, "evidence": v.evidence, "statistic": v.statistic,
                         "p_value": v.p_value})
    out = pd.DataFrame(rows)
    order = {k: i for i, k in enumerate(CLAIM_KEYS)}
    out["_c"] = out["claim"].map(order)
    out["_i"] = range(len(out))
    return out.sort_values(["_c", "_i"], kind="stable", ignore_index=True).drop(columns=["_c", "_i"])


def who_1950_coded(candidates: pd.DataFrame) -> bool:
    """Whether any of the five Soviet-bloc WHO exits of 1950 appears among the candidate transitions.

    Parameters
    ----------
    candidates : DataFrame
        :func:`backlash.withdrawal.candidate_transitions`.

    Returns
    -------
    bool
    """
    hit = (candidates["ioname"] == "WHO") & candidates["state"].isin(empirics.WHO_1950_STATES) \
        & candidates["year"].between(empirics.WHO_EXIT_YEAR, empirics.WHO_EXIT_YEAR + 1)
    return bool(np.any(hit))
