r"""The regime-type results under every democracy measure (robustness to Polity5).

For each measure of :data:`backlash.democracy.MEASURES`: the count model of
withdrawals on the democracy indicator over the periods the paper's claims refer
to (:func:`measure_count_models`), and Figure 1(a)'s yearly rates by regime type
(:func:`measure_series`).  The withdrawals are those of the chosen rule; only the
regime type changes.

Which cut-off each measure takes is decided in one place, :func:`every_measure`:
the measure chosen for the build keeps the build's own indicator (its cut-off,
default or not), and every other measure is at its default cut-off.  The
report's tables across measures (``@tbl-measures``, ``@tbl-verdicts-measures``),
the other measures' rows of the decomposition (``@tbl-decomposition``,
``@fig-decomposition``, through :func:`backlash.claims.variants`), the
mechanism's robustness models (:func:`backlash.mechanism.robustness_models`) and
the appendix figure of Figure 1(a) under every measure
(``@fig-withdrawals-measures``) all go through it.

Pure functions on the pipeline's data frames.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import pandas as pd

from . import countmodel, withdrawal
from .exhibits import empirics
from .data import COMPARISON_PERIODS
from .democracy import MEASURES, indicators

#: The periods of the count model (:data:`backlash.data.COMPARISON_PERIODS`).
PERIODS = tuple(COMPARISON_PERIODS.values())


def with_measure(frame: pd.DataFrame, scored: pd.DataFrame, key: str) -> pd.DataFrame:
    """``frame`` (with ``ccode, year``) with its ``democracy`` column replaced by measure ``key``'s indicator.

    ``scored`` is :func:`backlash.democracy.indicators` of the measures panel.

    Parameters
    ----------
    frame : DataFrame
        Rows with ``ccode, year`` and a ``democracy`` column.
    scored : DataFrame
        :func:`backlash.democracy.indicators`.
    key : str
        The measure.

    Returns
    -------
    DataFrame
    """
    out = frame.drop(columns=["democracy"], errors="ignore")
    return out.merge(scored[["ccode", "year", key]].rename(columns={key: "democracy"}), on=["ccode", "year"],
                     how="left", validate="many_to_one")


def every_measure(frames: tuple[pd.DataFrame, ...], measures_panel: pd.DataFrame, *, measure: str | None = None,
                  cutoff: str | None = None) -> Iterator[tuple[str, str, tuple[pd.DataFrame, ...]]]:
    """``frames`` under each measure of :data:`backlash.democracy.MEASURES`: the one rule for their cut-offs.

    The chosen ``measure`` keeps ``frames`` as they are (their ``democracy`` is the build's
    indicator, at the build's cut-off, written ``cutoff``); every other measure replaces
    ``democracy`` with its indicator at its default cut-off (:func:`with_measure`).

    Parameters
    ----------
    frames : tuple of DataFrame
        Frames with ``ccode, year`` and the chosen measure's ``democracy`` column.
    measures_panel : DataFrame
        The scores of every measure (:func:`backlash.democracy.measures_panel`).
    measure : str, optional
        The chosen measure; without it every measure is at its default cut-off.
    cutoff : str, optional
        The chosen measure's rule in words (e.g. ``"v2x_polyarchy > 0.6"``; default: its default rule).

    Yields
    ------
    key : str
        The measure.
    rule : str
        Its dichotomization as used.
    frames : tuple of DataFrame
        ``frames`` under it, in the same order.
    """
    scored = indicators(measures_panel)
    for key, m in MEASURES.items():
        if key == measure:
            yield key, cutoff or m.rule(), frames
        else:
            yield key, m.rule(), tuple(with_measure(frame, scored, key) for frame in frames)


def measure_count_models(state_year: pd.DataFrame, measures_panel: pd.DataFrame, *, measure: str | None = None,
                         cutoff: str | None = None) -> pd.DataFrame:
    """The count model of withdrawals on democracy under every measure, exposure and period.

    The cut-offs are those of :func:`every_measure`: the chosen ``measure`` keeps the
    indicator of ``state_year`` (the chosen cut-off, written ``cutoff``), so that its rows
    agree with the rest of the report; the others are at their defaults.

    Parameters
    ----------
    state_year : DataFrame
        The state-year panel (:func:`backlash.countmodel.state_year_panel`).
    measures_panel : DataFrame
        The scores of every measure (:func:`backlash.democracy.measures_panel`).
    measure : str, optional
        The chosen measure (its rows use ``state_year``'s own ``democracy``).
    cutoff : str, optional
        The chosen measure's rule in words (e.g. ``"polity2 ≥ 8"``).

    Returns
    -------
    DataFrame
        ``measure, cutoff, exposure, period, irr, se, p_value, n_obs, n_states, n_withdrawals``
        (``se`` is the clustered standard error of the log rate ratio).
    """
    rows = []
    for key, rule, (sy,) in every_measure((state_year,), measures_panel, measure=measure, cutoff=cutoff):
        for exposure in countmodel.EXPOSURES:
            for lo, hi in PERIODS:
                fit = countmodel.fit_count_model(sy[sy["year"].between(lo, hi)], "democracy", exposure=exposure)
                rows.append({"measure": key, "cutoff": rule,
                             "exposure": exposure, "period": f"{lo}-{hi}", "irr": fit["irr"], "se": fit["se"],
                             "p_value": fit["p_value"], "n_obs": fit["n_obs"], "n_states": fit["n_states"],
                             "n_withdrawals": fit["n_withdrawals"]})
    return pd.DataFrame(rows)


def measure_series(withdrawals: pd.DataFrame, measures_panel: pd.DataFrame, igo_panel: pd.DataFrame, *,
                   regime: pd.DataFrame | None = None, measure: str | None = None,
                   cutoff: str | None = None) -> pd.DataFrame:
    """Figure 1(a)'s yearly rates by regime type under every measure (long: one row per measure and year).

    Columns ``measure, cutoff, year, n_dem, n_nondem, w_dem, w_nondem, rate_dem, rate_nondem``, defined as
    in :func:`backlash.exhibits.empirics.figure1_series`.  The cut-offs are those of :func:`every_measure`:
    the chosen ``measure`` is drawn from ``withdrawals`` and ``regime`` as they are (so its rows are
    Figure 1(a) itself, at the build's cut-off), every other measure at its default cut-off.

    Parameters
    ----------
    withdrawals : DataFrame
        The withdrawals under the chosen rule.
    measures_panel : DataFrame
        The scores of every measure.
    igo_panel : DataFrame
        IGOs in force per year.
    regime : DataFrame, optional
        The regime panel of the build (needed with ``measure``; without it the member-years are
        those of ``measures_panel``).
    measure : str, optional
        The measure chosen for the build; without it every measure is at its default cut-off.
    cutoff : str, optional
        The chosen measure's rule in words (e.g. ``"v2x_polyarchy > 0.6"``).

    Returns
    -------
    DataFrame
    """
    if measure is not None and regime is None:
        raise ValueError(f"measure_series: the chosen measure {measure!r} needs the build's regime panel (regime=)")
    base = measures_panel[["ccode", "year"]] if regime is None else regime
    cols = ["year", "n_dem", "n_nondem", "w_dem", "w_nondem", "rate_dem", "rate_nondem"]
    parts = [empirics.figure1_series(w, reg, igo_panel)[cols].assign(measure=key, cutoff=rule)
             for key, rule, (w, reg) in every_measure((withdrawals, base), measures_panel, measure=measure,
                                                      cutoff=cutoff)]
    return pd.concat(parts, ignore_index=True)[["measure", "cutoff", *cols]]


def measure_panels(series: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The panels of the appendix figure of Figure 1(a) under every measure, titled by name and cut-off used.

    Each title is the measure's name over the rule in ``series``'s ``cutoff`` column, so a panel
    says the cut-off it was drawn at (the build's, for the chosen measure).

    Parameters
    ----------
    series : DataFrame
        :func:`measure_series`.

    Returns
    -------
    dict of str to DataFrame
        Title to that measure's rows, in the order of :data:`backlash.democracy.MEASURES`.
    """
    panels = {}
    for key, m in MEASURES.items():
        rows = series[series["measure"] == key]
        (rule,) = rows["cutoff"].unique()
        panels[f"{m.name}\n({rule})"] = rows
    return panels


def rule_series(candidates: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame,
                rules: Iterable[str | withdrawal.Rule] | None = None) -> pd.DataFrame:
    """Figure 1(a)'s yearly rates by regime type under every withdrawal rule (long: one row per rule and year).

    Columns ``rule, year, n_dem, n_nondem, w_dem, w_nondem, rate_dem, rate_nondem``, as in
    :func:`backlash.exhibits.empirics.figure1_series`; regime type under the chosen measure.

    Parameters
    ----------
    candidates : DataFrame
        The candidate transitions, one per move out of membership.
    regime : DataFrame
        The regime panel.
    igo_panel : DataFrame
        IGOs in force per year (the rates' denominator).
    rules : iterable of str or Rule, optional
        The rules (default: every rule of :data:`backlash.withdrawal.RULES`).

    Returns
    -------
    DataFrame
    """
    cols = ["year", "n_dem", "n_nondem", "w_dem", "w_nondem", "rate_dem", "rate_nondem"]
    parts = [empirics.figure1_series(withdrawal.withdrawals(candidates, regime, rule), regime, igo_panel)[cols]
             .assign(rule=rule.name)
             for rule in map(withdrawal.get_rule, withdrawal.RULES if rules is None else rules)]
    out = pd.concat(parts, ignore_index=True)
    return out[["rule", *cols]]
