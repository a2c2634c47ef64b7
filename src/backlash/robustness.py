r"""The regime-type results under every democracy measure (robustness to Polity5).

For each measure of :data:`backlash.democracy.MEASURES` at its default cut-off:
the count model of withdrawals on the democracy indicator over the periods the
paper's claims refer to (:func:`measure_count_models`), and Figure 1(a)'s yearly
rates by regime type (:func:`measure_series`).  The withdrawals are those of the
chosen rule; only the regime type changes.

Pure functions on the pipeline's data frames.
"""

from __future__ import annotations

from collections.abc import Iterable

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


def measure_count_models(state_year: pd.DataFrame, measures_panel: pd.DataFrame, *, measure: str | None = None,
                         cutoff: str | None = None) -> pd.DataFrame:
    """The count model of withdrawals on democracy under every measure, exposure and period.

    Every measure is at its default cut-off except the chosen ``measure``, which keeps the
    indicator of ``state_year`` (the chosen cut-off, written ``cutoff``), so that its rows
    agree with the rest of the report.

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
    scored = indicators(measures_panel)
    rows = []
    for key, m in MEASURES.items():
        chosen = key == measure
        sy = state_year if chosen else with_measure(state_year, scored, key)
        for exposure in countmodel.EXPOSURES:
            for lo, hi in PERIODS:
                fit = countmodel.fit_count_model(sy[sy["year"].between(lo, hi)], "democracy", exposure=exposure)
                rows.append({"measure": key, "cutoff": cutoff if chosen and cutoff else m.rule(),
                             "exposure": exposure, "period": f"{lo}-{hi}", "irr": fit["irr"], "se": fit["se"],
                             "p_value": fit["p_value"], "n_obs": fit["n_obs"], "n_states": fit["n_states"],
                             "n_withdrawals": fit["n_withdrawals"]})
    return pd.DataFrame(rows)


def measure_series(withdrawals: pd.DataFrame, measures_panel: pd.DataFrame, igo_panel: pd.DataFrame) -> pd.DataFrame:
    """Figure 1(a)'s yearly rates by regime type under every measure (long: one row per measure and year).

    Columns ``measure, year, n_dem, n_nondem, w_dem, w_nondem, rate_dem, rate_nondem``, defined as in
    :func:`backlash.exhibits.empirics.figure1_series`.

    Parameters
    ----------
    withdrawals : DataFrame
        The withdrawals under the chosen rule.
    measures_panel : DataFrame
        The scores of every measure.
    igo_panel : DataFrame
        IGOs in force per year.

    Returns
    -------
    DataFrame
    """
    scored = indicators(measures_panel)
    parts = []
    for key in MEASURES:
        regime = scored[["ccode", "year", key]].rename(columns={key: "democracy"})
        series = empirics.figure1_series(with_measure(withdrawals, scored, key), regime, igo_panel)
        cols = ["year", "n_dem", "n_nondem", "w_dem", "w_nondem", "rate_dem", "rate_nondem"]
        parts.append(series[cols].assign(measure=key))
    out = pd.concat(parts, ignore_index=True)
    return out[["measure", "year", "n_dem", "n_nondem", "w_dem", "w_nondem", "rate_dem", "rate_nondem"]]


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
