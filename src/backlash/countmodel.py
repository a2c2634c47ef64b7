"""The state-year panel of withdrawals and the count model of exit on democracy.

Pure functions: :func:`state_year_panel` joins the withdrawals (:mod:`backlash.withdrawal`)
to every COW system member-year; :func:`fit_count_model` fits one Poisson GLM and
:func:`count_model` the report's specifications (Table 3).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import FIRST_YEAR, LAST_YEAR, PERIODS


def state_year_panel(panel: pd.DataFrame, w: pd.DataFrame, regime: pd.DataFrame) -> pd.DataFrame:
    """State-year panel for the count model: withdrawals, memberships at risk, regime.

    ``memberships_lag`` counts the state's full IGO memberships in t-1 (the set it
    could leave in t); rows are every COW system member-year, with ``polity2`` and
    ``democracy`` missing where the state has no score (the count model drops
    those rows for the regressor it uses, so another democracy measure can be
    swapped in without rebuilding the panel).

    Parameters
    ----------
    panel : DataFrame
        The long panel of full memberships (``ccode, year, status``).
    w : DataFrame
        The withdrawals under one rule.
    regime : DataFrame
        The regime panel (one row per system member-year).

    Returns
    -------
    DataFrame
        ``ccode, year, decade, polity2, democracy, memberships_lag, withdrawals``.
    """
    full = panel.loc[panel["status"] == 1].groupby(["ccode", "year"]).size().rename("memberships")
    lag = full.copy()
    lag.index = lag.index.set_levels(lag.index.levels[1] + 1, level=1)
    out = regime.copy()
    out = out.join(lag.rename("memberships_lag"), on=["ccode", "year"])
    out["memberships_lag"] = out["memberships_lag"].fillna(0).astype("int64")
    out = out.join(w.groupby(["ccode", "year"]).size().rename("withdrawals"), on=["ccode", "year"])
    out["withdrawals"] = out["withdrawals"].fillna(0).astype("int64")
    out["democracy"] = out["democracy"].astype("Int64")
    out["decade"] = (out["year"] // 10 * 10).astype("int64")
    return out[["ccode", "year", "decade", "polity2", "democracy", "memberships_lag", "withdrawals"]] \
        .sort_values(["ccode", "year"], ignore_index=True)


def fit_count_model(data: pd.DataFrame, var: str) -> dict:
    """Fit the count model of withdrawals on ``var`` for the state-years in ``data``.

    Poisson GLM with ``log(memberships_lag)`` as offset and decade effects,
    standard errors clustered by state; rows without memberships at risk or
    without a value of ``var`` are dropped.  Returns ``term, coef, se, p_value, irr, n_obs, n_states,
    n_withdrawals`` for ``var``.

    Parameters
    ----------
    data : DataFrame
        State-years (:func:`state_year_panel`).
    var : str
        The regressor (``democracy`` or ``polity2``).

    Returns
    -------
    dict
        ``term, coef, se, p_value, irr, n_obs, n_states, n_withdrawals``.
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    data = data.loc[(data["memberships_lag"] > 0) & data[var].notna()].reset_index(drop=True)
    data[var] = data[var].astype(float)
    model = smf.glm(f"withdrawals ~ {var} + C(decade)", data=data, family=sm.families.Poisson(),
                    offset=np.log(data["memberships_lag"]))
    fit = model.fit(cov_type="cluster", cov_kwds={"groups": data["ccode"].to_numpy()})
    return {"term": var, "coef": float(fit.params[var]), "se": float(fit.bse[var]),
            "p_value": float(fit.pvalues[var]), "irr": float(np.exp(fit.params[var])), "n_obs": int(fit.nobs),
            "n_states": int(data["ccode"].nunique()), "n_withdrawals": int(data["withdrawals"].sum())}


def count_model(sy: pd.DataFrame) -> pd.DataFrame:
    """Poisson GLM of withdrawals with log memberships as offset, decade effects, SEs clustered by state.

    Specifications: the democracy indicator on 1945-2014 and on the two periods
    of the paper's claims (:data:`PERIODS`: 1951-1970, "after 1950", and
    1971-2014, "after 1970"); and Polity5's polity2 instead of the indicator
    (:func:`fit_count_model`).
    Returns one row per specification and reported coefficient.

    Parameters
    ----------
    sy : DataFrame
        :func:`state_year_panel`.

    Returns
    -------
    DataFrame
        ``specification`` and the columns of :func:`fit_count_model`.
    """
    (early_lo, early_hi), (late_lo, late_hi) = PERIODS["early"], PERIODS["late"]
    specs = [
        (f"democracy, {FIRST_YEAR}-{LAST_YEAR}", "democracy", sy),
        (f"democracy, {early_lo}-{early_hi}", "democracy", sy[sy["year"].between(early_lo, early_hi)]),
        (f"democracy, {late_lo}-{late_hi}", "democracy", sy[sy["year"].between(late_lo, late_hi)]),
        (f"polity2, {FIRST_YEAR}-{LAST_YEAR}", "polity2", sy),
    ]
    return pd.DataFrame([{"specification": label, **fit_count_model(data, var)} for label, var, data in specs])
