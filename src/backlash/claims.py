r"""The paper's empirical claims, judged under every withdrawal rule.

Section 3 of Melnick (2025) reads several stylized facts off its Figure 1.  Each
is stated here once (:data:`CLAIMS`), with the test that decides it, and
:func:`verdict_table` judges every claim under every rule of
:data:`backlash.withdrawal.RULES`, so a reader sees at once which conclusions depend
on what counts as a withdrawal.

Estimands and tests
-------------------
Each claim is judged on the quantity the paper states or plots (``estimand`` in the
verdict table):

* Claims read off Figure 1(a) (regime type) compare withdrawals **per state and per IGO
  in force**, the figure's own rate.  They are tested with the count model of
  :mod:`backlash.countmodel` under the exposure ``igos_in_force``: a Poisson GLM of
  each state-year's withdrawals with offset log(IGOs in force), standard errors
  clustered by state, and a two-sided Wald z-test on the cluster-robust standard
  error.  Democracies against nondemocracies within a period add decade effects; one
  regime type in two periods has no fixed effects, so its rate ratio is exactly the
  ratio of the figure's pooled rates.  Beside each, the same comparison **per
  membership** (exposure ``memberships``) and the ratio of memberships per state and
  IGO in force that links the two (:class:`backlash.countmodel.Decomposition`).
* Counts per year (the rise after 1980) are compared with a quasi-Poisson model of the
  yearly counts (:func:`yearly_rate_test`): the rate ratio of the two periods' pooled
  yearly rates, with its variance scaled by the Pearson dispersion of the yearly counts
  and Student's t with n - 2 degrees of freedom, because those counts vary far more than a
  Poisson count would (years in which many memberships lapse at once, or one state leaves
  many IGOs, and the growth of IGOs within each period, which a constant yearly rate per
  period ignores).  The exposure is years,
  counting only the part of each year's IGOs in which the rule can record a withdrawal
  (:func:`observed_share`).
* "Most withdrawals are economic" compares the economic share with one half (exact
  Clopper-Pearson interval); "exit is rare" compares the rate per membership-year with
  :data:`RARE_RATE` (:func:`rarity_verdict`, interval clustered by state).

Every directional claim is then judged by the one rule of :mod:`backlash.verdicts`
(:data:`backlash.verdicts.VERDICT_RULE`) on the 95% interval of its statistic.

"After 1950" is read as 1951-2014 (:data:`AFTER_1950`), the paper's "after 1950, and
consistently after 1970": the verdict rests on the whole span, and the sub-period
1951-1970 (:data:`EARLY`) is reported beside it, since on its own it says whether the
difference predates 1971.

Pure functions on the pipeline's data frames.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import countmodel, withdrawal
from .exhibits import empirics
from .formats import period_text
from .data import FIRST_YEAR, LAST_YEAR, PERIODS, require_columns
from .verdicts import (ALPHA, FAILS, HOLDS, UNTESTABLE, Verdict, density_clause, directional, format_number,
                       format_p, interval_status, interval_text, ratio_evidence, wald_interval, wald_p)

#: Periods the claims refer to (first and last year, inclusive).
AFTER_1950 = PERIODS["after1950"]  # "after 1950": 1951-2014, the span the claim is judged on
EARLY = PERIODS["early"]          # its sub-period before the second claim's 1971, reported beside it
LATE = PERIODS["late"]            # "consistently after 1970": 1971-2014
SPIKE = (1946, 1952)          # "in the years following the Second World War"
SPIKE_BASE = (1953, 1970)     # what the spike is a spike against
PRE_2005 = PERIODS["pre2005"]      # the decade before
POST_2005 = PERIODS["post2005"]    # "beginning around 2005": 2005-2014
#: "Consistently": democracies' smoothed rate above nondemocracies' in at least this share of years.
#: We read "consistently" as "almost always": at most one year in ten may go the other way,
#: which leaves room for the noise of small yearly counts but not for a reversal lasting years.
CONSISTENT_SHARE = 0.9
#: How "consistently" is judged, in words (the report and the README print it beside the one interval rule,
#: :data:`backlash.verdicts.VERDICT_RULE`, to which it is the one exception).
CONSISTENT_RULE = (
    "One claim is judged otherwise. For democracies to have left more often \"consistently\" from {first}, their "
    "rate over {first}\u2013{last} must be higher by that rule and their smoothed rate above nondemocracies' in at "
    "least {share:.0%} of those years: a stated descriptive threshold on the share of years, with no interval of "
    "its own.").format(first=LATE[0], last=LATE[1], share=CONSISTENT_SHARE)
#: "Exit is a rare event": fewer than one withdrawal per 100 membership-years, i.e. a member
#: leaves a given IGO in a given year with a chance below 1%.
RARE_RATE = 0.01
#: What each claim's statistic measures (the verdict table's ``estimand``).
PER_STATE = f"rate ratio {countmodel.PAPER_RATE}"


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
    regime : bool
        Whether the claim is about regime type, so that its test changes with the democracy measure
        (the others repeat one test under every measure).
    """

    key: str
    statement: str
    where: str
    regime: bool = True


#: The paper's empirical claims, in the order of its Section 3.
CLAIMS: tuple[Claim, ...] = (
    Claim("igos_grow", "the number of IGOs in force grows over 1945–2014", "Sec. 3, first paragraph",
          regime=False),
    Claim("exits_rise_1980", "withdrawals per year are higher from 1980 than before (about 2 against 3.5)",
          "Sec. 3, first paragraph", regime=False),
    Claim("cow_lower_bound", "the COW data give a lower bound on the number of exits", "Sec. 3, first paragraph",
          regime=False),
    Claim("nondem_spike_ww2", "nondemocracies' withdrawals spike in the years after the Second World War",
          "Figure 1(a) and its discussion"),
    Claim("dem_more_after_1950", "after 1950 (1951–2014) democracies withdraw more often than nondemocracies",
          "Figure 1(a) and its discussion"),
    Claim("dem_more_after_1970", "from 1971 democracies withdraw more often than nondemocracies",
          "Figure 1(a) and its discussion"),
    Claim("dem_consistent_after_1970", "from 1971 democracies withdraw more often than nondemocracies "
          "consistently, year after year", "Figure 1(a) and its discussion"),
    Claim("dem_rise_2005", "democracies' withdrawals rise from about 2005", "Figure 1(a) and its discussion"),
    Claim("mostly_economic", "most withdrawals are from economic organizations", "Figure 1(b) and its discussion",
          regime=False),
    Claim("exit_rare", "exit from an IGO is a rare event", "Sec. 3, last paragraph", regime=False),
)
CLAIM_KEYS = tuple(c.key for c in CLAIMS)
#: The claims about regime type, read off Figure 1(a): judged per state and IGO in force, with the
#: per-membership comparison beside.
REGIME_CLAIMS = tuple(c.key for c in CLAIMS if c.regime)


def yearly_rate_test(counts: pd.Series, exposure: pd.Series, after: pd.Series) -> tuple[float, float, float, float, float]:
    r"""Quasi-Poisson rate ratio of yearly counts, later period over earlier, with its interval and p-value.

    With :math:`W_t` withdrawals in year :math:`t`, exposure :math:`e_t` (the share of the year
    a rule can see) and :math:`g(t)` the period, the Poisson model :math:`E[W_t]=e_t\lambda_{g(t)}`
    gives :math:`\hat\lambda_g=W_g/E_g` (pooled rates) and :math:`\mathrm{Var}(\log\widehat{RR})
    =\phi(1/W_0+1/W_1)`, here scaled by the Pearson dispersion
    :math:`\phi=\max\big(1,\sum_t(W_t-\hat\mu_t)^2/\hat\mu_t\,/\,(n-2)\big)` of the
    :math:`n` years with exposure (never below the Poisson variance).  Years are taken as
    independent given the period.  Because :math:`\phi` is estimated from those :math:`n` years, the
    interval and the p-value use Student's t with :math:`n-2` degrees of freedom (the quasi-likelihood
    convention), not the normal: :math:`\widehat{RR}\exp(\pm t_{n-2,1-\alpha/2}\,\mathrm{se})`.

    The dispersion has two sources: years in which many memberships lapse at once (or one state
    leaves many IGOs), and the growth of IGOs and memberships within each period, which raises the
    expected count from year to year while the model holds each period's yearly rate constant.  The
    scaled variance allows for both; it does not separate them.

    Parameters
    ----------
    counts, exposure : Series
        Withdrawals and exposure per year.
    after : Series of bool
        True for the years of the later period.

    Returns
    -------
    (ratio, p, low, high, dispersion) : tuple of float
        NaN when either period has no withdrawal or no exposure.
    """
    from scipy.stats import t as student

    keep = exposure > 0
    w, e, a = counts[keep].astype(float), exposure[keep].astype(float), after[keep].astype(bool)
    w1, w0, e1, e0 = w[a].sum(), w[~a].sum(), e[a].sum(), e[~a].sum()
    if min(w0, w1) == 0 or min(e0, e1) == 0:
        return math.nan, math.nan, math.nan, math.nan, math.nan
    mu = e * np.where(a, w1 / e1, w0 / e0)
    dispersion = max(1.0, float(((w - mu) ** 2 / mu).sum()) / (len(w) - 2))
    ratio = (w1 / e1) / (w0 / e0)
    se = math.sqrt(dispersion * (1 / w0 + 1 / w1))
    df = len(w) - 2
    half = float(student.ppf(1 - ALPHA / 2, df)) * se
    low, high = ratio * math.exp(-half), ratio * math.exp(half)
    return ratio, float(2 * student.sf(abs(math.log(ratio)) / se, df)), low, high, dispersion


def _between(frame: pd.DataFrame, period: tuple[int, int]) -> pd.DataFrame:
    return frame[frame["year"].between(*period)]


def observed_share(igo_panel: pd.DataFrame, period: tuple[int, int],
                   rule: str | withdrawal.Rule | None = None) -> pd.Series:
    """For each year of ``period``, the share of its IGOs in force in which ``rule`` can record a withdrawal.

    Each flag's declaration (:data:`backlash.withdrawal.FLAGS`, its ``hides``) says what a rule
    that uses it cannot see: a rule that drops lapses in imputed IGO-years (``imputed``)
    cannot see a withdrawal from those IGOs in those years, one that drops lapses from IGOs
    that end within :data:`backlash.withdrawal.HORIZON` years (``igo_ends_soon``) none in an
    ending IGO's last years, and one that drops the year of the change of sources
    (``seam_1965``) none in that year; the other flags drop events, not IGO-years.  Each year
    therefore counts as the share of its IGOs in force in which the rule can see a withdrawal
    (an IGO-year both imputed and ending is left out once), so that a yearly rate drops the
    exposure of the years whose lapses it drops.

    Parameters
    ----------
    igo_panel : DataFrame
        ``year, n_igos``, and the counts of the IGO-years the rule cannot see (``n_igos_imputed``,
        ``n_igos_ending``, ``n_igos_imputed_ending``: :func:`backlash.data.igos_in_force`).
    period : tuple of int
        First and last year.
    rule : str or Rule, optional
        A rule (a name of :data:`backlash.withdrawal.RULES`, or a ``Rule``); None counts every year in full.

    Returns
    -------
    Series
        Indexed by year, between 0 and 1 (1 in every year when the rule drops none).
    """
    part = _between(igo_panel, period)
    share = pd.Series(1.0, index=part["year"].to_numpy())
    spec = withdrawal.get_rule(rule) if rule is not None else None
    hidden = spec.hidden() if spec else set()
    unknown = hidden - {"imputed IGO-years", "ending IGO-years", "seam year"}
    if unknown:
        raise ValueError(f"observed_share has no case for flags that hide {sorted(unknown)}; add one")
    counts = {"imputed IGO-years": "n_igos_imputed", "ending IGO-years": "n_igos_ending"}
    columns = [counts[k] for k in counts if k in hidden]
    if len(columns) == 2:
        columns.append("n_igos_imputed_ending")
    require_columns(part, columns, f"the IGO panel (for the IGO-years rule {spec.name!r} cannot see)" if spec else "")
    hidden_share = sum((part[c] / part["n_igos"]).to_numpy() for c in columns[:2])
    if len(columns) == 3:  # the IGO-years both imputed and ending are hidden once
        hidden_share = hidden_share - (part["n_igos_imputed_ending"] / part["n_igos"]).to_numpy()
    share -= hidden_share
    if "seam year" in hidden:
        share[share.index == withdrawal.SEAM_YEAR] = 0.0
    return share


def observed_years(igo_panel: pd.DataFrame, period: tuple[int, int], rule: str | None = None) -> float:
    """Years of ``period`` in which ``rule`` can record a withdrawal, counted in IGO-years (:func:`observed_share`).

    Parameters
    ----------
    igo_panel, period, rule
        As in :func:`observed_share`.

    Returns
    -------
    float
        Years (equal to the number of years of the period when the rule drops none).
    """
    return float(observed_share(igo_panel, period, rule).sum())


def smoothed_above(series: pd.DataFrame, period: tuple[int, int], window: int = empirics.SMOOTHING_YEARS) -> pd.Series:
    """For each year of ``period``, whether democracies' smoothed rate exceeds nondemocracies' (Figure 1(a)).

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
    Series of bool
        Indexed by year.
    """
    s = series.set_index("year")[["rate_dem", "rate_nondem"]]
    smooth = s.apply(empirics.moving_average, window=window)
    part = smooth.loc[period[0]:period[1]]
    return part["rate_dem"] > part["rate_nondem"]


def year_runs(years) -> str:
    """Years as runs: ``[1973, 1974, 1975, 2003]`` -> ``"1973–1975, 2003"``.

    Parameters
    ----------
    years : iterable of int

    Returns
    -------
    str
    """
    years = sorted(int(y) for y in years)
    runs: list[list[int]] = []
    for y in years:
        if runs and y == runs[-1][1] + 1:
            runs[-1][1] = y
        else:
            runs.append([y, y])
    return ", ".join(f"{a}–{b}" if b > a else str(a) for a, b in runs)


def regime_rate_ratio(state_year: pd.DataFrame, period: tuple[int, int]) -> tuple[float, float]:
    """Democracies' withdrawal rate per state and IGO in force relative to nondemocracies' in ``period``.

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
    d = countmodel.compare_regimes(state_year, period)
    return d.irr_state, d.p_state


def period_comparison(state_year: pd.DataFrame, democracy: int, before: tuple[int, int],
                      after: tuple[int, int], share: pd.Series | None = None) -> countmodel.Decomposition:
    """One regime type's rate in ``after`` against ``before``, per state and IGO in force and per membership.

    Poisson GLMs on the state-years of that type in the two periods with a period
    indicator and no fixed effects (so the rate ratio is the ratio of the pooled rates
    of Figure 1(a)), standard errors clustered by state.  Two periods, unlike two regime types
    in the same years, can differ in how much of their exposure a rule cannot see (imputed
    IGO-years are all before 1965): with ``share`` (:func:`observed_share`), each year's IGOs in
    force count only for the share in which the rule can see a withdrawal, as in the test of
    the rise from 1980, and so do a state's memberships (as if they were hidden in the same
    proportion as all IGOs in force that year).

    Parameters
    ----------
    state_year : DataFrame
        The state-year panel.
    democracy : int
        1 for democracies, 0 for nondemocracies.
    before, after : tuple of int
        The two periods (first and last year).
    share : Series, optional
        Indexed by year: the share of the IGO-years the rule can see; None counts every year in full.

    Returns
    -------
    Decomposition
        Group 1 is ``after``.
    """
    part = state_year[(state_year["democracy"] == democracy)
                      & (state_year["year"].between(*before) | state_year["year"].between(*after))]
    if share is not None:
        seen = part["year"].map(share).fillna(1.0)
        part = part.assign(n_igos=part["n_igos"] * seen, memberships_lag=part["memberships_lag"] * seen)
    return countmodel.decompose(part.assign(after=part["year"].between(*after).astype(int)), "after",
                                fixed_effects=())


def seen_note(share: pd.Series, *periods: tuple[int, int]) -> str:
    """What the exposure of a comparison of ``periods`` leaves out, as a clause for its evidence.

    Parameters
    ----------
    share : Series
        :func:`observed_share` of the rule, indexed by year.
    *periods : tuple of int
        The periods compared (first and last year).

    Returns
    -------
    str
        ``"; each year counts only for the IGO-years in which the rule can see a withdrawal"`` when the rule
        cannot see some IGO-years of ``periods``, else ``""``.
    """
    years = [share[share.index.to_series().between(*p)] for p in periods]
    return ("; each year counts only for the IGO-years in which the rule can see a withdrawal"
            if any((y < 1).any() for y in years) else "")


def _state_interval(d: countmodel.Decomposition) -> tuple[float, float]:
    """The 95% Wald interval of the rate ratio per state and IGO in force."""
    return wald_interval(d.irr_state, d.se_state)


def _regime_verdict(claim: str, d: countmodel.Decomposition, where: str, subject: str, other: str,
                    note: str = "") -> Verdict:
    """A Figure 1(a) claim judged per state and IGO in force, with the per-membership comparison beside."""
    v = directional(claim, d.irr_state, d.p_state, *_state_interval(d))
    if v.status == UNTESTABLE:
        evidence = f"{where}: {v.evidence}"
    else:
        low, high = wald_interval(d.irr_membership, d.se_membership)
        member = ("no rate ratio" if math.isnan(d.p_membership) else
                  ratio_evidence(d.irr_membership, d.p_membership, low=low, high=high))
        evidence = (f"{where}: {countmodel.PAPER_RATE}, {v.evidence}; {countmodel.MEMBERSHIP_RATE}, {member}; "
                    f"{density_clause(d.density_ratio, subject, other)}")
    return Verdict(claim, v.status, evidence + note, v.statistic, v.p_value, v.ci_low, v.ci_high, PER_STATE,
                   d.irr_membership, d.p_membership, d.density_ratio)


def sub_period_note(d: countmodel.Decomposition, period: tuple[int, int]) -> str:
    """``"; in 1951–1970 alone, per state and IGO in force, rate ratio 1.51 (95% CI 0.99 to 2.31, p = 0.057):
    cannot tell"``.

    The sub-period's comparison per state and IGO in force and what the verdict rule says of it,
    as a clause appended to the verdict on the whole span (after its numbers per membership, so the clause
    names its rate).

    Parameters
    ----------
    d : Decomposition
        The comparison in the sub-period.
    period : tuple of int
        Its first and last year.

    Returns
    -------
    str
    """
    if math.isnan(d.p_state):
        return f"; in {period_text(period)} alone, {countmodel.PAPER_RATE}, no rate ratio"
    low, high = _state_interval(d)
    return (f"; in {period_text(period)} alone, {countmodel.PAPER_RATE}, "
            f"{ratio_evidence(d.irr_state, d.p_state, low=low, high=high)}: {interval_status(low, high)}")


def judge_rule(withdrawals: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame,
               state_year: pd.DataFrame, paper_total: int = empirics.PAPER_COUNTS["total"],
               who_1950_coded: bool = False, rule: str | withdrawal.Rule | None = None) -> list[Verdict]:
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
    rule : str, optional
        The rule that produced ``withdrawals``: the yearly rates count only the
        IGO-years it can see (:func:`observed_years`); None counts every year.

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
                               float(last["n_igos"]) / float(first["n_igos"]), estimand="growth factor of IGOs in force")

    split = withdrawal.SPLIT_YEAR
    visible = observed_share(igo_panel, (FIRST_YEAR, LAST_YEAR), rule)
    yearly = withdrawals.groupby("year").size().reindex(visible.index, fill_value=0)
    before, after = int(yearly[yearly.index < split].sum()), int(yearly[yearly.index >= split].sum())
    years_before, years_after = float(visible[visible.index < split].sum()), float(visible[visible.index >= split].sum())
    ratio, p, low, high, dispersion = yearly_rate_test(yearly, visible, pd.Series(visible.index >= split, visible.index))
    v = directional("exits_rise_1980", ratio, p, low, high)
    seen = "" if math.isclose(years_before, split - FIRST_YEAR) else (
        f" (over the {format_number(years_before, 1)} years' worth of IGO-years before {split} in which the "
        f"rule can see a withdrawal, of {split - FIRST_YEAR})")
    spread = "" if math.isnan(dispersion) else f", quasi-Poisson, yearly counts {format_number(dispersion, 1)} " \
        "times as variable as Poisson counts"
    out["exits_rise_1980"] = Verdict(v.claim, v.status, f"{format_number(before / years_before, 1)} a year "
                                     f"before {split}{seen}, {format_number(after / years_after, 1)} from then; "
                                     + v.evidence + spread, v.statistic, v.p_value, v.ci_low, v.ci_high,
                                     "rate ratio of withdrawals per year")

    total = len(withdrawals)
    out["cow_lower_bound"] = Verdict(
        "cow_lower_bound", UNTESTABLE,
        f"a lower bound needs the true number of exits; COW gives {total:,} here against the paper's {paper_total}",
        float(total), estimand="withdrawals")

    named = "coded" if who_1950_coded else "not coded in COW"
    d = period_comparison(sy, 0, SPIKE_BASE, SPIKE, visible)
    out["nondem_spike_ww2"] = _regime_verdict(
        "nondem_spike_ww2", d, f"nondemocracies, {period_text(SPIKE)} against {period_text(SPIKE_BASE)}",
        f"nondemocracies in {period_text(SPIKE)}", f"in {period_text(SPIKE_BASE)}",
        f"{seen_note(visible, SPIKE_BASE, SPIKE)}; the WHO exits of 1950 the paper names are {named}")

    out["dem_more_after_1950"] = _regime_verdict(
        "dem_more_after_1950", countmodel.compare_regimes(sy, AFTER_1950), f"{period_text(AFTER_1950)}",
        "democracies", "nondemocracies", sub_period_note(countmodel.compare_regimes(sy, EARLY), EARLY))
    late = _regime_verdict("dem_more_after_1970", countmodel.compare_regimes(sy, LATE), f"{period_text(LATE)}",
                           "democracies", "nondemocracies")
    out["dem_more_after_1970"] = late

    above = smoothed_above(series, LATE)
    share = float(above.mean())
    raw = _between(series, LATE)
    raw_share = float((raw["rate_dem"] > raw["rate_nondem"]).mean())
    below = year_runs(above.index[~above])
    # The share of years is observed, not estimated: short of the cut-off, the claim fails whatever the
    # period's rate ratio says; at or above it, the claim takes the period's verdict.
    status = (UNTESTABLE if late.status == UNTESTABLE else FAILS if share < CONSISTENT_SHARE else late.status)
    out["dem_consistent_after_1970"] = Verdict(
        "dem_consistent_after_1970", status,
        f"{period_text(LATE)}: democracies' smoothed rate {countmodel.PAPER_RATE} above nondemocracies' in "
        f"{share:.0%} of years ({int(above.sum())} of {len(above)}" + (f"; not in {below}" if below else "")
        + f"; on the unsmoothed yearly rates, {raw_share:.0%} of years); consistently needs at least "
        f"{CONSISTENT_SHARE:.0%} of years of the smoothed series, besides a higher rate over the period "
        f"(whose verdict is \"{late.status}\")",
        share, estimand="share of years with democracies' smoothed rate above")

    out["dem_rise_2005"] = _regime_verdict(
        "dem_rise_2005", period_comparison(sy, 1, PRE_2005, POST_2005, visible),
        f"democracies, {period_text(POST_2005)} against {period_text(PRE_2005)}",
        f"democracies in {period_text(POST_2005)}", f"in {period_text(PRE_2005)}",
        seen_note(visible, PRE_2005, POST_2005))

    economic = int((withdrawals["issue_area"] == "economic").sum())
    if total == 0:
        out["mostly_economic"] = Verdict("mostly_economic", UNTESTABLE, "no withdrawals under this rule")
    else:
        from scipy.stats import binomtest

        test = binomtest(economic, total, 0.5)
        ci = test.proportion_ci(1 - ALPHA, method="exact")
        out["mostly_economic"] = Verdict("mostly_economic", interval_status(ci.low, ci.high, reference=0.5),
                                         f"{economic / total:.0%} economic ({economic:,} of {total:,}; "
                                         f"{interval_text(100 * ci.low, 100 * ci.high, 0)}%, {format_p(test.pvalue)} "
                                         "against one half)", economic / total, float(test.pvalue), ci.low, ci.high,
                                         "share of withdrawals from economic IGOs")
    out["exit_rare"] = rarity_verdict(sy)
    return [out[k] for k in CLAIM_KEYS]


def rarity_verdict(state_year: pd.DataFrame, threshold: float = RARE_RATE) -> Verdict:
    r"""Is exit rare? Withdrawals per membership-year against ``threshold``, with an interval clustered by state.

    The rate is :math:`\hat r = W/M` (withdrawals over membership-years), the maximum-likelihood
    estimate of a Poisson model with only a constant and offset :math:`\log M_{it}`; its
    logarithm's variance, clustered by state :math:`i` among :math:`G` states, is
    :math:`\frac{G}{G-1}\sum_i (W_i-\hat r M_i)^2/W^2` (the sandwich of that model, so a
    state that leaves many IGOs at once counts as one cluster).  The claim holds when the 95%
    interval lies below ``threshold`` (:func:`backlash.verdicts.interval_status`).  Without any
    withdrawal the interval is :math:`[0, -\log(\alpha/2)/M]`, the exact Poisson bound.

    Parameters
    ----------
    state_year : DataFrame
        State-years with ``ccode``, ``withdrawals`` and ``memberships_lag``.
    threshold : float
        The largest yearly rate per membership still called rare.

    Returns
    -------
    Verdict
    """
    by = state_year.groupby("ccode")[["withdrawals", "memberships_lag"]].sum()
    w, m, g = int(by["withdrawals"].sum()), int(by["memberships_lag"].sum()), len(by)
    if m == 0:
        return Verdict("exit_rare", UNTESTABLE, "no memberships at risk", estimand="withdrawals per membership-year")
    rate = w / m
    if w == 0:
        low, high, p = 0.0, -math.log(ALPHA / 2) / m, math.nan
    else:
        se = math.sqrt(g / max(g - 1, 1) * float(((by["withdrawals"] - rate * by["memberships_lag"]) ** 2).sum())) / w
        low, high = wald_interval(rate, se)
        p = wald_p(math.log(rate / threshold) / se) if se > 0 else math.nan
    status = interval_status(low, high, reference=threshold, above=False)
    shown = f"{interval_text(100 * low, 100 * high)}%" + ("" if math.isnan(p) else f", {format_p(p)}")
    return Verdict("exit_rare", status,
                   f"{w:,} withdrawals in {m:,} membership-years: {rate:.2%} a year ({shown}, errors clustered by "
                   f"state), against a threshold of {threshold:.0%}", rate, p, low, high,
                   "withdrawals per membership-year")


@dataclass(frozen=True)
class Variant:
    """One combination of withdrawal rule and democracy measure, with the data it is judged on.

    Attributes
    ----------
    rule, measure : str
        The rule's name and the measure's key.
    regime : DataFrame
        The regime panel under the measure.
    state_year : DataFrame
        The state-year panel under the measure, with the rule's withdrawals.
    withdrawals : DataFrame
        The rule's withdrawals, with regime type under the measure.
    spec : Rule
        The rule itself (one of :data:`backlash.withdrawal.RULES` or one built elsewhere).
    """

    rule: str
    measure: str
    regime: pd.DataFrame
    state_year: pd.DataFrame
    withdrawals: pd.DataFrame
    spec: withdrawal.Rule


def variants(candidates: pd.DataFrame, regime: pd.DataFrame, state_year: pd.DataFrame, *, rules=None,
             measure: str = "polity", measures_panel: pd.DataFrame | None = None,
             rule: str | withdrawal.Rule = withdrawal.DEFAULT_RULE) -> list[Variant]:
    """Every rule under the chosen measure, then every other measure under the chosen rule.

    ``regime`` and ``state_year`` carry the chosen ``measure`` (at the chosen cut-off);
    the other measures, taken from ``measures_panel``, are at their default cut-offs
    (:func:`backlash.robustness.every_measure`, the one rule for every table across measures).

    Parameters
    ----------
    candidates : DataFrame
        :func:`backlash.withdrawal.candidate_transitions`.
    regime : DataFrame
        The regime panel under the chosen measure.
    state_year : DataFrame
        The state-year panel under the chosen measure (its ``withdrawals`` are replaced).
    rules : iterable of str or Rule, optional
        The rules (default: all of :data:`backlash.withdrawal.RULES`).
    measure : str
        The chosen democracy measure's key.
    measures_panel : DataFrame, optional
        The scores of every measure; without it only ``measure`` is used.
    rule : str or Rule
        The rule under which the other measures are used.

    Returns
    -------
    list of Variant
    """
    from .robustness import every_measure

    rules = [withdrawal.get_rule(r) for r in (withdrawal.RULES if rules is None else rules)]
    rule = withdrawal.get_rule(rule)
    combos = [(r, measure, regime, state_year) for r in rules]
    if measures_panel is not None:
        combos += [(rule, key, reg, sy) for key, _, (reg, sy) in
                   every_measure((regime, state_year), measures_panel, measure=measure) if key != measure]
    out = []
    for r, m, reg, sy in combos:
        w = withdrawal.withdrawals(candidates, reg, r)
        counts = w.groupby(["ccode", "year"]).size().rename("withdrawals")
        sy = sy.drop(columns="withdrawals").join(counts, on=["ccode", "year"])
        sy["withdrawals"] = sy["withdrawals"].fillna(0).astype("int64")
        out.append(Variant(r.name, m, reg, sy, w, r))
    return out


def verdict_table(candidates: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame,
                  state_year: pd.DataFrame, *, rules=None, who_1950_coded: bool = False,
                  measure: str = "polity", measures_panel: pd.DataFrame | None = None,
                  rule: str | withdrawal.Rule = withdrawal.DEFAULT_RULE) -> pd.DataFrame:
    """The verdict on every claim under every rule, and under every democracy measure.

    ``regime`` and ``state_year`` carry the chosen ``measure``; every rule in
    ``rules`` is judged with it.  When ``measures_panel`` (the scores of
    :func:`backlash.democracy.measures_panel`) is given, every other measure is
    judged too, under the chosen ``rule`` (:func:`variants`).

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
    rules : iterable of str or Rule, optional
        The rules to judge (default: all of :data:`backlash.withdrawal.RULES`).
    who_1950_coded : bool
        Whether COW codes the WHO exits of 1950 (:func:`who_1950_coded`).
    measure : str
        The chosen democracy measure's key.
    measures_panel : DataFrame, optional
        The scores of every measure; without it only ``measure`` is judged.
    rule : str or Rule
        The rule under which the other measures are judged.

    Returns
    -------
    DataFrame
        ``claim, statement, rule, measure, status, evidence, statistic, p_value, estimand,
        membership_ratio, membership_p, density_ratio``, claims in the order of
        :data:`CLAIMS`, then rules, then measures.
    """
    statements = {c.key: c.statement for c in CLAIMS}
    rows = []
    for v in variants(candidates, regime, state_year, rules=rules, measure=measure, measures_panel=measures_panel,
                      rule=rule):
        for verdict in judge_rule(v.withdrawals, v.regime, igo_panel, v.state_year, who_1950_coded=who_1950_coded,
                                  rule=v.spec):
            d = verdict.to_dict()
            rows.append({"claim": d.pop("claim"), "statement": statements[verdict.claim], "rule": v.rule,
                         "measure": v.measure, **d})
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
