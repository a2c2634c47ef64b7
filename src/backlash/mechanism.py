r"""Beyond the paper: does domestic inequality predict withdrawal, and differently in democracies?

The model's mechanism
---------------------
Ex-ante inequality under globalization, :math:`\alpha_R/(1-\alpha_R)`, raises both leaders'
exit thresholds (Corollary 3, :math:`\partial\gamma_d/\partial\alpha_R \ge 0`), so at given
gains from globalization :math:`\gamma` a more unequal country has leaders who propose exit over
a wider range (Proposition 2, Figure 2).  The mechanism is electoral (probabilistic voting
between two candidates), so the prediction concerns democracies; about nondemocracies the
model says nothing.  :data:`OBSERVABLES` maps the model to the SWIID (:mod:`backlash.inequality`)
and states the predicted sign of each observable.

The count model
---------------
For state :math:`i` in year :math:`t`, with :math:`D_{it}` the democracy indicator and
:math:`g_{i,t-1}` the observable in the year before (per :data:`SCALE` points),

.. math::

    E[W_{it}] = X_{it}\exp\big(\beta D_{it} + s_D\,g_{i,t-1}D_{it} + s_N\,g_{i,t-1}(1-D_{it})
    + \delta_{d(t)}\big),

estimated by :func:`backlash.countmodel.poisson_fit` (Poisson, decade effects
:math:`\delta`, standard errors clustered by state) under both of its exposures
:math:`X_{it}` (per state and IGO in force, the estimand of the paper's Figure 1(a); per
membership).  :math:`e^{s_D}` and :math:`e^{s_N}` are the rate ratios per :data:`SCALE`
points in democracies and nondemocracies, :math:`e^{s_D-s_N}` their ratio (the interaction).
The model predicts :math:`s_D` of the observable's sign.

The SWIID's uncertainty
-----------------------
Its ``_se`` columns are the SD over its imputations.  :func:`draw_values` draws every value
from a normal with that SD (seeded), :func:`estimate` refits per draw, and :func:`pool`
combines the fits by Rubin's rules.

The verdict
-----------
:func:`judge` and :func:`mechanism_sentence` turn the estimates into words: the prediction
holds, does not hold, or the data cannot tell (:data:`VERDICT_STATUSES`).

Pure functions on data frames.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .countmodel import EXPOSURES, PAPER_EXPOSURE
from .formats import capitalised
from .inequality import INEQUALITY_MEASURES
from .withdrawal import Rule, get_rule
from .verdicts import ALPHA, CANNOT_TELL, FAILS, HOLDS, format_number, format_p, interval_status, interval_text, listing

#: The verdict's three statuses (those of :data:`backlash.verdicts.VERDICT_RULE`).
VERDICT_STATUSES = (HOLDS, FAILS, CANNOT_TELL)
#: Slopes are per this many Gini points: a rate ratio "per 10 points".
SCALE = 10.0
#: The smallest association the verdict counts as support: a withdrawal rate this many times as high per
#: :data:`SCALE` points (for a negative prediction, its inverse).  When the 95% interval lies wholly short of it,
#: the prediction does not hold, whether the interval holds one, lies wholly on the predicted side of one (an
#: association significant but too weak) or wholly on the other side.
MIN_EFFECT = 1.2
#: Inequality enters with this lag in years: the Gini of t-1 for the withdrawals of t.
LAG = 1
#: Draws from the SWIID's uncertainty, and their seed (fixed, so every number repeats exactly).
N_DRAWS = 10
SEED = 23
#: The reported quantities: the slope in democracies, in nondemocracies, and their difference.
QUANTITIES = ("democracies", "nondemocracies", "difference")
#: The specifications: inequality pooled over states and years; within states, the main within-state
#: estimate, a Poisson model with a fixed effect per state (conditional on the states with a withdrawal in
#: the sample, the only ones whose effect is finite); and the correlated-random-effects (Mundlak) model, the
#: pooled model with each state's means of the regressors and decade dummies as controls (every state), beside it.
SPECIFICATIONS = ("pooled", "within", "mundlak")
#: The fixed effects entered as dummies in every specification (``within``'s state effects are concentrated
#: out by :func:`poisson_fe_fit`).
FIXED_EFFECTS = ("decade",)


@dataclass(frozen=True)
class Observable:
    r"""One SWIID observable, what it stands for in the model, and the sign the model predicts.

    Attributes
    ----------
    key : str
        The SWIID column.
    name : str
        Its name in words.
    stands_for : str
        The model's quantity it measures (TeX math allowed).
    sign : int
        The predicted sign of its slope among democracies: +1 more exits, -1 fewer.
    reason : str
        Why, from the model's results.
    phrase : str
        "A market-income Gini {n} points higher": the observable raised by ``n`` points, in words.
    controls : tuple of str
        Other SWIID columns held fixed (each with its own slope by regime).
    """

    key: str
    name: str
    stands_for: str
    sign: int
    reason: str
    phrase: str
    controls: tuple[str, ...] = ()


#: The map from the model to the data, declared once (the report's table of it is generated from here).
OBSERVABLES: dict[str, Observable] = {o.key: o for o in (
    Observable("gini_mkt", "market-income Gini", r"ex-ante inequality $\alpha_R/(1-\alpha_R)$", +1,
               r"income before taxes and transfers is the status quo the leaders' platforms redistribute "
               r"from, the model's $\alpha_R$ and $1-\alpha_R$; by Corollary 3 both exit thresholds "
               r"$\gamma_d$ rise with $\alpha_R$, so at given gains $\gamma$ a more unequal country "
               r"exits over a wider range (Proposition 2 and the paper's Figure 2)",
               "a market-income Gini {n} points higher"),
    Observable("gini_disp", "disposable-income Gini", r"the implemented shares $\theta^*$", +1,
               r"disposable income is what the winning platform leaves each group; winners' share "
               r"$\theta^*_{dR}$ rises with $\alpha_R$ (Corollary 2) and with the leader's bias $x_d$, and both "
               r"widen the exit region (Corollary 3, $\gamma_L\le\gamma_H$), so the sign is the same, but the "
               r"measure is an outcome of the redistribution the mechanism is about",
               "a disposable-income Gini {n} points higher"),
    Observable("abs_red", "redistribution (market minus disposable Gini), at a given market Gini",
               r"willingness to compensate, low $x_d$", -1,
               r"at a given market Gini, more redistribution marks a leader who compensates more cheaply "
               r"(a lower bias $x_d$), and the low-bias leader exits over a narrower range "
               r"($\gamma_L\le\gamma_H$); without the market Gini held fixed the sign would be ambiguous, since "
               r"$\alpha_R$ raises both redistribution and exit",
               "redistribution {n} Gini points larger at the same market-income Gini", controls=("gini_mkt",)),
)}
#: The observable of the main specification.
MAIN = "gini_mkt"


def check_observables(observables: dict[str, Observable], columns: Sequence[str] = INEQUALITY_MEASURES) -> None:
    """Refuse an observable (or a control) that the inequality panel does not carry.

    Parameters
    ----------
    observables : dict of str to Observable
        :data:`OBSERVABLES`, or a candidate for it.
    columns : sequence of str
        The SWIID measures the panel carries (:data:`backlash.inequality.INEQUALITY_MEASURES`).

    Raises
    ------
    ValueError
        Naming the first missing column and the tuple to add it to.
    """
    for o in observables.values():
        for col in (o.key, *o.controls):
            if col not in columns:
                raise ValueError(f"the inequality observable {o.key!r} needs the SWIID column {col!r}, which the "
                                 f"panel does not carry ({', '.join(columns)}): add it to "
                                 "backlash.inequality.INEQUALITY_MEASURES, and its two columns (the value and "
                                 "`_se`) to that panel's entry in the data dictionary")


check_observables(OBSERVABLES)


def get_observable(key: str) -> Observable:
    """The observable named ``key``, or a ValueError listing them.

    Parameters
    ----------
    key : str
        A key of :data:`OBSERVABLES`.

    Returns
    -------
    Observable
    """
    if key not in OBSERVABLES:
        raise ValueError(f"unknown inequality observable {key!r}; choose one of {', '.join(OBSERVABLES)}")
    return OBSERVABLES[key]


def _slope_columns(frame: pd.DataFrame, values: dict[str, np.ndarray]) -> pd.DataFrame:
    """Add each observable's slope columns by regime (per :data:`SCALE` points) to ``frame``, in place.

    ``<c>_dem`` is the value in democracies and 0 elsewhere, ``<c>_nondem`` the same in nondemocracies.
    """
    dem = frame["democracy"].to_numpy(float)
    for col, v in values.items():
        x = v / SCALE
        frame[f"{col}_dem"], frame[f"{col}_nondem"] = x * dem, x * (1 - dem)
    return frame


#: The suffix of a state-mean column of the correlated-random-effects (Mundlak) specification.
STATE_MEAN = "_smean"


def state_means(frame: pd.DataFrame, columns, *, state: str = "ccode") -> pd.DataFrame:
    r"""Add each column's mean over the state's rows, :math:`\bar x_i`, as ``<column>_smean``, in place.

    Parameters
    ----------
    frame : DataFrame
        The estimation rows (the means are over these rows, so the frame must already be the fit's sample).
    columns : sequence of str
        Numeric columns.
    state : str
        The state column.

    Returns
    -------
    DataFrame
    """
    codes, _ = pd.factorize(frame[state])
    counts = np.bincount(codes)
    for col in columns:
        frame[f"{col}{STATE_MEAN}"] = (np.bincount(codes, weights=frame[col].to_numpy(float)) / counts)[codes]
    return frame


def cre_frame(frame: pd.DataFrame, observable: str = MAIN, *, exposure: str) -> tuple[pd.DataFrame, list[str]]:
    r"""The correlated-random-effects (Mundlak 1978) design: the state means of every time-varying regressor.

    The model is the pooled one with, for each state :math:`i`, the means over its sample years of every
    regressor that varies within a state added as controls,

    .. math:: \log\mu_{it} = x_{it}'\beta + \bar x_i'\xi + \delta_{\text{decade}(t)} + \log X_{it},

    with :math:`x_{it}` the slope columns by regime and the democracy indicator and :math:`\bar x_i` their
    means and those of the decade dummies.  In a linear model :math:`\hat\beta` then equals the
    fixed-effects (within) estimate; in a Poisson model it does not exactly, and unlike the fixed-effects
    fit it keeps the states that never withdraw.

    Parameters
    ----------
    frame : DataFrame
        :func:`analysis_frame` for ``observable``.
    observable : str
        A key of :data:`OBSERVABLES`.
    exposure : str
        A key of :data:`backlash.countmodel.EXPOSURES`: the means are over the rows the fit uses.

    Returns
    -------
    (DataFrame, list of str)
        The fit's rows with the decade dummies (``decade_<d>``, first decade left out) and the
        ``<column>_smean`` columns, and the names of the mean columns.
    """
    from .countmodel import get_exposure

    rows = frame[frame[get_exposure(exposure).column] > 0].copy()
    decades = pd.get_dummies(rows["decade"], prefix="decade", prefix_sep="_", drop_first=True, dtype=float)
    rows = pd.concat([rows, decades], axis=1)
    varying = [*model_terms(observable), *decades.columns]
    return state_means(rows, varying), [f"{c}{STATE_MEAN}" for c in varying]


def analysis_frame(state_year: pd.DataFrame, panel: pd.DataFrame, observable: str = MAIN, *,
                   lag: int = LAG) -> pd.DataFrame:
    r"""The state-years of the model: withdrawals in t, the SWIID's values of t-``lag``, regime type in t.

    Keeps the state-years with a democracy score and every SWIID value the observable needs
    in t-``lag`` (of the same COW state, through :func:`backlash.inequality.inequality_panel`), and adds the
    slope columns by regime (``<column>_dem``, ``<column>_nondem``; per :data:`SCALE` points).

    Parameters
    ----------
    state_year : DataFrame
        :func:`backlash.countmodel.state_year_panel` (withdrawals under one rule, democracy under one measure).
    panel : DataFrame
        :func:`backlash.inequality.inequality_panel`.
    observable : str
        A key of :data:`OBSERVABLES`.
    lag : int
        Years between inequality and withdrawals.

    Returns
    -------
    DataFrame
        The state-year columns, the SWIID values, ``_row`` (the row of ``panel`` they come from,
        so that draws can replace them) and the slope columns.
    """
    obs = get_observable(observable)
    cols = [obs.key, *obs.controls]
    lagged = panel[["ccode", "year", *cols]].assign(year=panel["year"] + lag, _row=np.arange(len(panel)))
    frame = state_year.merge(lagged, on=["ccode", "year"], how="inner", validate="one_to_one")
    frame = frame[frame[cols].notna().all(axis=1) & frame["democracy"].notna()].reset_index(drop=True)
    frame["democracy"] = frame["democracy"].astype(float)
    return _slope_columns(frame, {c: frame[c].to_numpy(float) for c in cols})


def model_terms(observable: str = MAIN) -> list[str]:
    """The regressors: the democracy indicator and each SWIID column's slope by regime.

    Parameters
    ----------
    observable : str
        A key of :data:`OBSERVABLES`.

    Returns
    -------
    list of str
    """
    obs = get_observable(observable)
    terms = ["democracy"]
    for col in (obs.key, *obs.controls):
        terms += [f"{col}_dem", f"{col}_nondem"]
    return terms


#: How the draws of the SWIID's uncertainty are made: one normal deviate per country-year (independent
#: across years), or one per country shared by all its years (a level shift that keeps each country's
#: ups and downs).  ``none``: the fit on the SWIID's point values, the main estimate.
DRAW_UNITS = ("none", "country-year", "country")


def draw_values(panel: pd.DataFrame, n_draws: int = N_DRAWS, seed: int = SEED, *,
                unit: str = "country-year") -> dict[str, np.ndarray]:
    r"""Draws of every SWIID value of :data:`backlash.inequality.INEQUALITY_MEASURES` around its point value.

    The SWIID's ``_se`` is the standard deviation over its own imputations.  With ``unit``
    ``country-year``, each value is drawn from :math:`N(\text{value}, \text{se}^2)`
    independently of every other year: noise across years that the SWIID's own imputations,
    serially correlated, do not have, so the slopes are attenuated (more so within states) and
    their standard errors understated; these draws are a sensitivity, not the main estimate.
    With ``country``, one deviate :math:`z_{ij}` per country and draw shifts all of its years,
    :math:`\text{value}_{it} + \text{se}_{it} z_{ij}`: the opposite extreme of a perfectly
    persistent error.  Draws come in a fixed order from one seeded generator, so the draws of
    one column do not depend on which others are used.

    Parameters
    ----------
    panel : DataFrame
        :func:`backlash.inequality.inequality_panel` (with ``ccode``).
    n_draws : int
        How many draws.
    seed : int
        The generator's seed.
    unit : str
        ``country-year`` or ``country`` (:data:`DRAW_UNITS`).

    Returns
    -------
    dict of str to ndarray
        One array of shape ``(n_draws, len(panel))`` per column (NaN where the panel has none).
    """
    if unit not in DRAW_UNITS[1:]:
        raise ValueError(f"draws are made per {' or per '.join(DRAW_UNITS[1:])}, not per {unit!r}")
    rng = np.random.default_rng(seed)
    codes, countries = pd.factorize(panel["ccode"])
    out = {}
    for m in INEQUALITY_MEASURES:
        z = (rng.standard_normal((n_draws, len(panel))) if unit == "country-year"
             else rng.standard_normal((n_draws, len(countries)))[:, codes])
        out[m] = panel[m].to_numpy(float) + panel[f"{m}_se"].to_numpy(float) * z
    return out


@dataclass(frozen=True)
class Pooled:
    r"""Estimates combined over draws by Rubin's rules.

    With :math:`m` draws giving parameters :math:`\hat\theta_j` and covariances :math:`V_j`:
    :math:`\bar\theta = \frac1m\sum_j\hat\theta_j`, within-draw variance
    :math:`W = \frac1m\sum_j V_j`, between-draw variance
    :math:`B = \frac1{m-1}\sum_j(\hat\theta_j-\bar\theta)(\hat\theta_j-\bar\theta)'`, and total
    :math:`T = W + (1 + \frac1m)B`.  For a contrast :math:`a'\theta` the reference distribution
    is Student's t with :math:`\nu = (m-1)(1 + 1/r)^2` degrees of freedom, where
    :math:`r = (1+\frac1m)\,a'Ba / a'Wa` (Rubin 1987); one draw (or none) gives :math:`T = W`
    and the normal.

    Attributes
    ----------
    params : Series
        :math:`\bar\theta` over every design column.
    within, between : DataFrame
        :math:`W` and :math:`B`.
    n_draws : int
        :math:`m`.
    """

    params: pd.Series
    within: pd.DataFrame
    between: pd.DataFrame
    n_draws: int

    def contrasts(self, weights: pd.DataFrame) -> pd.DataFrame:
        r"""Estimate, standard error, degrees of freedom, p-value and 95% interval of each row's :math:`a'\theta`.

        Parameters
        ----------
        weights : DataFrame
            One contrast :math:`a` per row, columns named after design columns of :attr:`params`
            (columns left out weigh 0).

        Returns
        -------
        DataFrame
            ``coef, se, df, p_value, ci_low, ci_high`` per row (the interval of the coefficient,
            not of the rate ratio; ``df`` is infinite where the normal applies).
        """
        # scipy.stats.t's ppf and sf are these functions (the same bits); scipy.stats costs 0.5 s to import
        from scipy.special import stdtr, stdtrit

        a = weights.reindex(columns=self.params.index).fillna(0.0).to_numpy(float)
        est = a @ self.params.to_numpy()
        u = np.einsum("ij,jk,ik->i", a, self.within.to_numpy(), a)
        b = (np.einsum("ij,jk,ik->i", a, self.between.to_numpy(), a) * (1 + 1 / self.n_draws)
             if self.n_draws > 1 else np.zeros_like(u))
        se = np.sqrt(u + b)
        with np.errstate(divide="ignore"):
            df = np.where(b > 0, (self.n_draws - 1) * (1 + u / np.where(b > 0, b, 1)) ** 2, np.inf)
        q = stdtrit(df, 1 - ALPHA / 2)
        p = 2 * stdtr(df, -(np.abs(est) / se))
        return pd.DataFrame({"coef": est, "se": se, "df": df, "p_value": p, "ci_low": est - q * se,
                             "ci_high": est + q * se}, index=weights.index)

    def contrast(self, weights: pd.Series) -> dict:
        """One contrast (:meth:`contrasts` of a single row), as a dict.

        Parameters
        ----------
        weights : Series
            :math:`a`, indexed by design columns.

        Returns
        -------
        dict
        """
        return self.contrasts(weights.to_frame().T).iloc[0].to_dict()


def pool(fits) -> Pooled:
    """Combine the fits of several draws (or one fit) by Rubin's rules (:class:`Pooled`).

    Parameters
    ----------
    fits : sequence of backlash.countmodel.PoissonFit
        Fits on the same rows and design columns.

    Returns
    -------
    Pooled
    """
    params = np.stack([f.params.to_numpy() for f in fits])
    covs = np.stack([f.cov.to_numpy() for f in fits])
    names = fits[0].params.index
    between = np.cov(params, rowvar=False, ddof=1) if len(fits) > 1 else np.zeros_like(covs[0])
    return Pooled(pd.Series(params.mean(axis=0), index=names), pd.DataFrame(covs.mean(axis=0), names, names),
                  pd.DataFrame(np.atleast_2d(between), names, names), len(fits))


def quantity_weights(observable: str, quantity: str) -> pd.Series:
    """The contrast of each reported quantity: the slope in democracies, in nondemocracies, their difference.

    Parameters
    ----------
    observable : str
        A key of :data:`OBSERVABLES`.
    quantity : str
        One of :data:`QUANTITIES`.

    Returns
    -------
    Series
        Weights on the slope columns.
    """
    key = get_observable(observable).key
    return {"democracies": pd.Series({f"{key}_dem": 1.0}),
            "nondemocracies": pd.Series({f"{key}_nondem": 1.0}),
            "difference": pd.Series({f"{key}_dem": 1.0, f"{key}_nondem": -1.0})}[quantity]


def poisson_fe_fit(data: pd.DataFrame, terms, *, exposure: str, fixed_effects=("decade",), cluster: str = "ccode",
                   outcome: str = "withdrawals", tol: float = 1e-10, max_iter: int = 100):
    r"""Poisson regression with a fixed effect per state, the state effects concentrated out; SEs clustered by state.

    For state :math:`i` with :math:`\eta_{it}=x_{it}'\beta+\log X_{it}`, the state effect that maximises
    the likelihood given :math:`\beta` is :math:`\alpha_i=\log\sum_t W_{it}-\log\sum_t e^{\eta_{it}}`,
    so Newton's method runs on :math:`\beta` alone with score :math:`\sum_{it}x_{it}(W_{it}-\mu_{it})`
    and information :math:`\sum_{it}\mu_{it}(x_{it}-\bar x_i)(x_{it}-\bar x_i)'`
    (:math:`\bar x_i` the :math:`\mu`-weighted mean of state :math:`i`): the same estimates as a
    Poisson GLM with one dummy per state, without its design matrix (a state without withdrawals must be
    left out first, :func:`fe_sample`).  The covariance is the cluster-robust sandwich with
    statsmodels' small-sample factor :math:`\frac{G}{G-1}\frac{N-1}{N-K}`, :math:`K` counting the state
    effects.

    Parameters
    ----------
    data : DataFrame
        State-years with a withdrawal in every state (:func:`fe_sample`).
    terms : sequence of str
        Regressor columns.
    exposure : str
        A key of :data:`backlash.countmodel.EXPOSURES`.
    fixed_effects : sequence of str
        Further fixed effects entered as dummies (the decade).
    cluster : str
        The state column (the fixed effect and the cluster).
    outcome : str
        The count.
    tol, max_iter
        Newton's stopping rule (largest step in :math:`\beta`) and its cap.

    Returns
    -------
    backlash.countmodel.PoissonFit
        Its ``params`` and ``cov`` hold the slopes and the decade effects (the state effects are
        concentrated out, not reported); ``nobs`` counts the state-years.

    Raises
    ------
    ValueError
        If Newton's method does not converge, or a state has no withdrawal.
    """
    from .countmodel import PoissonFit, cluster_covariance, get_exposure

    exp_col = get_exposure(exposure).column
    frame = data.loc[data[exp_col] > 0].dropna(subset=[*terms, *fixed_effects])
    x = pd.concat([frame[list(terms)].astype(float),
                   *(pd.get_dummies(frame[c], prefix=f"C({c})", prefix_sep="=", drop_first=True, dtype=float)
                     for c in fixed_effects)], axis=1)
    y, offset = frame[outcome].to_numpy(float), np.log(frame[exp_col].to_numpy(float))
    codes, states = pd.factorize(frame[cluster])
    g = len(states)
    total = np.bincount(codes, weights=y, minlength=g)
    if (total == 0).any():
        raise ValueError("every state of a fixed-effects Poisson fit needs a withdrawal; keep fe_sample's rows")
    xm = x.to_numpy()
    beta = np.zeros(xm.shape[1])

    def moments(b):
        eta = xm @ b + offset
        eta = eta - (np.bincount(codes, weights=eta, minlength=g) / np.bincount(codes, minlength=g))[codes]
        w = np.exp(eta)
        mu = w * (total / np.bincount(codes, weights=w, minlength=g))[codes]
        mean = np.stack([np.bincount(codes, weights=mu * xm[:, j], minlength=g) for j in range(xm.shape[1])], 1)
        xc = xm - (mean / total[:, None])[codes]
        return mu, xc

    for _ in range(max_iter):
        mu, xc = moments(beta)
        info = (xc * mu[:, None]).T @ xc
        step = np.linalg.solve(info, xm.T @ (y - mu))
        beta = beta + step
        if np.abs(step).max() < tol:
            break
    else:
        raise ValueError(f"the fixed-effects Poisson fit did not converge in {max_iter} Newton steps")
    mu, xc = moments(beta)
    info_inv = np.linalg.inv((xc * mu[:, None]).T @ xc)
    n = len(y)
    cov = cluster_covariance(info_inv, xm * (y - mu)[:, None], codes, n_params=xm.shape[1] + g)
    names = list(x.columns)
    return PoissonFit(pd.Series(beta, index=names), pd.DataFrame(cov, names, names), tuple(terms), x.mean(), exposure,
                      n, g, int(y.sum()))


def fe_sample(frame: pd.DataFrame, exposure: str) -> pd.DataFrame:
    """The rows a model with state fixed effects can use: states with a withdrawal among their rows with exposure.

    A state without any withdrawal has a fixed effect of minus infinity and no information on the
    slopes (the conditional Poisson likelihood drops it), so it is left out.

    Parameters
    ----------
    frame : DataFrame
        :func:`analysis_frame`.
    exposure : str
        A key of :data:`backlash.countmodel.EXPOSURES`.

    Returns
    -------
    DataFrame
    """
    from .countmodel import get_exposure

    rows = frame[frame[get_exposure(exposure).column] > 0]
    return rows[rows.groupby("ccode")["withdrawals"].transform("sum") > 0]


def estimate(frame: pd.DataFrame, observable: str = MAIN, *, exposure: str, specification: str = "pooled",
             draws: dict[str, np.ndarray] | None = None) -> tuple[Pooled, object]:
    """Fit the count model on ``frame``, once on the SWIID's values or once per draw, and pool.

    Parameters
    ----------
    frame : DataFrame
        :func:`analysis_frame` for ``observable``.
    observable : str
        A key of :data:`OBSERVABLES`.
    exposure : str
        A key of :data:`backlash.countmodel.EXPOSURES`.
    specification : str
        One of :data:`SPECIFICATIONS`: ``within`` adds a fixed effect per state and keeps the states
        of :func:`fe_sample`; ``mundlak`` adds the state means of :func:`cre_frame` and keeps every state.
    draws : dict, optional
        :func:`draw_values`; without it, one fit on the SWIID's point values.

    Returns
    -------
    (Pooled, PoissonFit)
        The pooled estimates and the fit on the point values (for the sample's counts and design means).
    """
    from . import countmodel

    obs = get_observable(observable)
    effects = FIXED_EFFECTS
    terms, means = model_terms(observable), []
    if specification == "within":
        frame = fe_sample(frame, exposure)
    elif specification == "mundlak":
        frame, means = cre_frame(frame, observable, exposure=exposure)
        terms = [*terms, *means]
    fit = poisson_fe_fit if specification == "within" else countmodel.poisson_fit
    point = fit(frame, terms, exposure=exposure, fixed_effects=effects)
    if not draws:
        return pool([point]), point
    rows = frame["_row"].to_numpy()
    n = next(iter(draws.values())).shape[0]
    fits = []
    for j in range(n):
        drawn = _slope_columns(frame.copy(), {c: draws[c][j, rows] for c in (obs.key, *obs.controls)})
        if means:
            drawn = state_means(drawn, [m.removesuffix(STATE_MEAN) for m in means])
        fits.append(fit(drawn, terms, exposure=exposure, fixed_effects=effects))
    return pool(fits), point


def result_rows(pooled: Pooled, point, observable: str, **labels) -> list[dict]:
    """One row per reported quantity: the estimate with its rate ratio and interval, and the sample.

    Parameters
    ----------
    pooled : Pooled
        :func:`estimate`'s pooled estimates.
    point : backlash.countmodel.PoissonFit
        The fit on the point values (its sample counts).
    observable : str
        A key of :data:`OBSERVABLES`.
    **labels
        Columns put first in every row (specification, exposure, rule, measure, draws).

    Returns
    -------
    list of dict
    """
    rows = []
    for q in QUANTITIES:
        c = pooled.contrast(quantity_weights(observable, q))
        rows.append({"observable": observable, **labels, "quantity": q, "coef": c["coef"], "se": c["se"],
                     "df": c["df"], "p_value": c["p_value"], "irr": math.exp(c["coef"]),
                     "ci_low": math.exp(c["ci_low"]), "ci_high": math.exp(c["ci_high"]),
                     "n_obs": point.nobs, "n_states": point.n_states,
                     "n_withdrawals": point.n_withdrawals})
    return rows


def predicted_curve(pooled: Pooled, point, frame: pd.DataFrame, observable: str = MAIN, *,
                    n_points: int = 41, coverage: float = 0.95) -> pd.DataFrame:
    r"""Predicted withdrawal rate against the observable, democracies and nondemocracies, with 95% bands.

    The linear predictor is evaluated at the sample's mix of decades (each decade effect
    weighted by its share of the sample's state-years), the regime's democracy indicator, and
    the observable at each point of a grid spanning the middle ``coverage`` of the regime's own
    values in the sample (no extrapolation beyond the data); the rate is
    :math:`100\exp(\eta)` withdrawals per unit of exposure, in percent, and the band
    :math:`100\exp(\eta \pm q\,\mathrm{se}(\eta))` with the variance and degrees of freedom of
    Rubin's rules (:meth:`Pooled.contrast`).

    Parameters
    ----------
    pooled, point
        :func:`estimate`.
    frame : DataFrame
        The estimation frame (for the regimes' ranges of the observable).
    observable : str
        A key of :data:`OBSERVABLES` without controls.
    n_points : int
        Grid points per regime.
    coverage : float
        Share of each regime's observed values the grid spans.

    Returns
    -------
    DataFrame
        ``regime, <observable>, rate, low, high``.
    """
    obs = get_observable(observable)
    if obs.controls:
        raise ValueError(f"the curve holds nothing else fixed, so it is drawn only for observables without "
                         f"controls, not {observable!r}")
    base = point.design_means.copy()
    base[list(point.reported)] = 0.0
    tail = (1 - coverage) / 2
    parts = []
    for regime, dem in (("democracies", 1.0), ("nondemocracies", 0.0)):
        values = frame.loc[frame["democracy"] == dem, obs.key]
        grid = np.linspace(values.quantile(tail), values.quantile(1 - tail), n_points)
        a = pd.DataFrame(np.tile(base.to_numpy(), (n_points, 1)), columns=base.index)
        a["democracy"] = dem
        a[f"{obs.key}_{'dem' if dem else 'nondem'}"] = grid / SCALE
        c = pooled.contrasts(a)
        parts.append(pd.DataFrame({"regime": regime, obs.key: grid, "rate": 100 * np.exp(c["coef"]),
                                   "low": 100 * np.exp(c["ci_low"]), "high": 100 * np.exp(c["ci_high"])}))
    return pd.concat(parts, ignore_index=True)


def with_rule(state_year: pd.DataFrame, candidates: pd.DataFrame, rule: str | Rule) -> pd.DataFrame:
    """``state_year`` with its withdrawals counted under ``rule`` instead.

    Parameters
    ----------
    state_year : DataFrame
        :func:`backlash.countmodel.state_year_panel`.
    candidates : DataFrame
        :func:`backlash.withdrawal.candidate_transitions`.
    rule : str or Rule
        A key of :data:`backlash.withdrawal.RULES`, or a rule built elsewhere.

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        For a name that is not in :data:`backlash.withdrawal.RULES`.
    """
    counts = candidates.loc[get_rule(rule).mask(candidates)].groupby(["ccode", "year"]).size()
    out = state_year.drop(columns="withdrawals").join(counts.rename("withdrawals"), on=["ccode", "year"])
    out["withdrawals"] = out["withdrawals"].fillna(0).astype("int64")
    return out


def sample_coverage(state_year: pd.DataFrame, panel: pd.DataFrame, *, lag: int = LAG) -> dict:
    """Which state-years the model can use: by regime type, the share with a lagged market Gini.

    Parameters
    ----------
    state_year : DataFrame
        :func:`backlash.countmodel.state_year_panel` (the chosen rule and measure).
    panel : DataFrame
        :func:`backlash.inequality.inequality_panel`.
    lag : int
        As in :func:`analysis_frame`.

    Returns
    -------
    dict
        Over the state-years from the panel's first year plus ``lag`` with a regime type, per
        regime (``democracies``, ``nondemocracies``): ``state_years``, ``with_gini``, ``share``,
        ``withdrawals``, ``withdrawals_with_gini``.
    """
    first = int(panel["year"].min()) + lag
    lagged = panel[["ccode", "year", "gini_mkt"]].assign(year=panel["year"] + lag)
    sy = state_year[(state_year["year"] >= first) & state_year["democracy"].notna()]
    sy = sy.merge(lagged, on=["ccode", "year"], how="left", validate="one_to_one")
    out = {"first_year": first, "last_year": int(sy["year"].max())}
    for name, dem in (("democracies", 1), ("nondemocracies", 0)):
        part = sy[sy["democracy"] == dem]
        has = part["gini_mkt"].notna()
        out[name] = {"state_years": len(part), "with_gini": int(has.sum()), "share": float(has.mean()),
                     "withdrawals": int(part["withdrawals"].sum()),
                     "withdrawals_with_gini": int(part.loc[has, "withdrawals"].sum())}
    return out


def rising_share(frame: pd.DataFrame, observable: str = MAIN, *, min_years: int = 5) -> dict:
    """How many states' observable rises over their years in the sample (the sign of its least-squares trend).

    A within-state association can reflect a trend shared with withdrawals; this says how
    common a rising trend is.

    Parameters
    ----------
    frame : DataFrame
        :func:`analysis_frame`.
    observable : str
        A key of :data:`OBSERVABLES`.
    min_years : int
        Only states with at least this many years count.

    Returns
    -------
    dict
        ``states`` (with enough years), ``rising`` (with a positive trend), ``share``, ``min_years``.
    """
    key = get_observable(observable).key
    g = frame.groupby("ccode")
    year_dev = frame["year"] - g["year"].transform("mean")
    value_dev = frame[key] - g[key].transform("mean")
    slope = (year_dev * value_dev).groupby(frame["ccode"]).sum()
    enough = g.size() >= min_years
    rising = int((slope[enough] > 0).sum())
    return {"states": int(enough.sum()), "rising": rising, "share": rising / max(int(enough.sum()), 1),
            "min_years": min_years}


def country_shift_absorption(frame: pd.DataFrame, panel: pd.DataFrame, observable: str = MAIN, *,
                             exposure: str) -> dict:
    r"""How much of a country draw's shift the state fixed effects of the within-state model can absorb.

    A country draw adds :math:`\text{se}_{it} z_i` to state :math:`i`'s value in every year.  A state fixed
    effect absorbs a shift that is the same in all of the state's rows of a regressor; here the shift
    enters the slope of the state's regime in each year (``<column>_dem`` or ``<column>_nondem``), so it is
    absorbed exactly only in a state that keeps one regime throughout and whose SWIID standard error is
    the same in every year.  This counts the states of the within-state sample (:func:`fe_sample`)
    whose regime changes, and the spread of the standard error across each state's years.

    Parameters
    ----------
    frame : DataFrame
        :func:`analysis_frame` for ``observable``.
    panel : DataFrame
        :func:`backlash.inequality.inequality_panel` (the ``_se`` columns).
    observable : str
        A key of :data:`OBSERVABLES`.
    exposure : str
        A key of :data:`backlash.countmodel.EXPOSURES`.

    Returns
    -------
    dict
        ``states`` in the within-state sample, ``regime_changes`` (states whose regime changes),
        ``se_varies`` (states whose standard error is not the same in every year) and ``se_cv_median``
        (the median over states of the standard error's coefficient of variation across its years).
    """
    key = get_observable(observable).key
    rows = fe_sample(frame, exposure)
    se = panel[f"{key}_se"].to_numpy(float)[rows["_row"].to_numpy()]
    g = rows.assign(_se=se).groupby("ccode")
    cv = (g["_se"].std(ddof=0) / g["_se"].mean()).fillna(0.0)
    return {"states": int(g.ngroups), "regime_changes": int((g["democracy"].nunique() > 1).sum()),
            "se_varies": int((cv > 1e-12).sum()), "se_cv_median": float(cv.median()) if len(cv) else 0.0}


def country_shift_sentence(absorb: dict) -> str:
    """Whether the state fixed effects absorb the country draws, in words, from :func:`country_shift_absorption`.

    Parameters
    ----------
    absorb : dict
        :func:`country_shift_absorption`.

    Returns
    -------
    str
    """
    n, k, varies = absorb["states"], absorb["regime_changes"], absorb["se_varies"]
    if k == 0 and varies == 0:
        return ("In the within-state model the state fixed effects absorb a country draw's shift entirely (every "
                "state keeps one regime and one standard error throughout), so the country draws can move only the "
                "pooled estimate.")
    reasons = []
    if varies:
        reasons.append(f"the SWIID's standard error, which scales the shift, changes across the years of {varies} of "
                       f"the {n} states of the within-state sample (by a median coefficient of variation of "
                       f"{absorb['se_cv_median']:.0%})")
    if k:
        reasons.append(f"{k} of the {n} states change regime, so the shift enters the slope of each regime in only "
                       "some of their years")
    return ("The state fixed effects of the within-state model absorb a country draw's shift only where it is the "
            "same in all of a state's years, and only in part here: " + " and ".join(reasons)
            + ". The country draws can therefore move the within-state estimate as well as the pooled one.")


@dataclass(frozen=True)
class Analysis:
    """The main specification of the inequality analysis: its estimates, the figure's curves, its facts.

    Attributes
    ----------
    models : DataFrame
        One row per observable, specification, exposure, draws and quantity (:func:`result_rows`).
    curve : DataFrame
        :func:`predicted_curve` of the main observable under each exposure (``exposure`` column first).
    numbers : dict
        The analysis's settings, :func:`sample_coverage` and :func:`rising_share`.
    """

    models: pd.DataFrame
    curve: pd.DataFrame
    numbers: dict


def main_models(state_year: pd.DataFrame, panel: pd.DataFrame, *, rule: str, measure: str,
                n_draws: int = N_DRAWS, seed: int = SEED) -> Analysis:
    """The main specification, under the chosen withdrawal rule and democracy measure.

    Every observable of :data:`OBSERVABLES` pooled over states and years, and the main
    observable within states, under both exposures on the SWIID's values (``draws`` 0). The
    draws of the SWIID's uncertainty (``draws`` = ``n_draws``, pooled by Rubin's rules) are
    repeated for the main observable under both exposures (they give the figure's bands) and
    for the other specifications under the paper's exposure only: each draw costs a full fit,
    and the draws move the standard errors by a few percent (the report gives the numbers).

    Parameters
    ----------
    state_year : DataFrame
        :func:`backlash.countmodel.state_year_panel` under the chosen rule and measure.
    panel : DataFrame
        :func:`backlash.inequality.inequality_panel`.
    rule, measure : str
        The chosen withdrawal rule and democracy measure (labels of the rows).
    n_draws, seed : int
        The draws of :func:`draw_values`.

    Returns
    -------
    Analysis
    """
    from .countmodel import EXPOSURES, PAPER_EXPOSURE

    draws = {unit: draw_values(panel, n_draws, seed, unit=unit) for unit in DRAW_UNITS[1:]}
    rows, curves, trend, spread = [], [], {}, {}
    for observable in OBSERVABLES:
        for spec in SPECIFICATIONS:
            if spec != "pooled" and observable != MAIN:
                continue
            frame = analysis_frame(state_year, panel, observable)
            main = observable == MAIN and spec == "pooled"
            if main:
                trend = rising_share(frame)
                dem_values = frame.loc[frame["democracy"] == 1, MAIN]
                spread = {"p25": float(dem_values.quantile(0.25)), "p75": float(dem_values.quantile(0.75)),
                          "sd": float(dem_values.std())}
            for exposure in EXPOSURES:
                # the point values always; the independent draws for the main observable under both exposures
                # and every specification under the paper's; the country draws for the main observable and
                # the within-state estimate under the paper's exposure
                units = ["none"]
                if main or exposure == PAPER_EXPOSURE:
                    units.append("country-year")
                if exposure == PAPER_EXPOSURE and observable == MAIN and spec != "mundlak":
                    units.append("country")
                for unit in units:
                    drawn = draws.get(unit)
                    pooled, point = estimate(frame, observable, exposure=exposure, specification=spec, draws=drawn)
                    rows += result_rows(pooled, point, observable, specification=spec, exposure=exposure,
                                        rule=rule, measure=measure, draws=n_draws if drawn else 0, draw_unit=unit)
                    if unit == "none" and main:
                        curves.append(predicted_curve(pooled, point, frame, observable).assign(exposure=exposure))
    curve = pd.concat(curves, ignore_index=True)
    numbers = {"n_draws": n_draws, "seed": seed, "lag": LAG, "scale": SCALE, "min_effect": MIN_EFFECT,
               "alpha": ALPHA, "rule": rule, "measure": measure, "sample": sample_coverage(state_year, panel),
               "trend": trend, "spread": spread,
               "country_shift": country_shift_absorption(analysis_frame(state_year, panel, MAIN), panel,
                                                         exposure=PAPER_EXPOSURE)}
    return Analysis(pd.DataFrame(rows), curve[["exposure", *curve.columns[:-1]]], numbers)


def robustness_models(state_year: pd.DataFrame, panel: pd.DataFrame, candidates: pd.DataFrame,
                      measures_panel: pd.DataFrame, *, rule: str, measure: str) -> pd.DataFrame:
    """The main observable under every other withdrawal rule and every other democracy measure.

    Every rule of :data:`backlash.withdrawal.RULES` but the chosen one under the chosen
    measure, and every measure of :data:`backlash.democracy.MEASURES` (at its default cut-off,
    by :func:`backlash.robustness.every_measure`) but the chosen one under the chosen rule;
    pooled, both exposures, on the SWIID's values only (the draws move the standard errors of
    the main specification by a few percent, so one fit per cell suffices here).

    Parameters
    ----------
    state_year : DataFrame
        :func:`backlash.countmodel.state_year_panel` under the chosen rule and measure.
    panel : DataFrame
        :func:`backlash.inequality.inequality_panel`.
    candidates : DataFrame
        :func:`backlash.withdrawal.candidate_transitions`.
    measures_panel : DataFrame
        :func:`backlash.democracy.measures_panel`.
    rule, measure : str
        The chosen withdrawal rule and democracy measure.

    Returns
    -------
    DataFrame
        Rows as in :attr:`Analysis.models` (``draws`` 0).
    """
    from .countmodel import EXPOSURES
    from .robustness import every_measure
    from .withdrawal import RULES

    variants = [(r, measure, with_rule(state_year, candidates, r)) for r in RULES if r != rule]
    variants += [(rule, m, sy) for m, _, (sy,) in every_measure((state_year,), measures_panel, measure=measure)
                 if m != measure]
    rows = []
    for r, m, sy in variants:
        frame = analysis_frame(sy, panel, MAIN)
        for exposure in EXPOSURES:
            pooled, point = estimate(frame, MAIN, exposure=exposure)
            rows += result_rows(pooled, point, MAIN, specification="pooled", exposure=exposure, rule=r, measure=m,
                                draws=0, draw_unit="none")
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- the verdict
@dataclass(frozen=True)
class MechanismVerdict:
    """The verdict on the mechanism's prediction for one observable, and the numbers it rests on.

    Attributes
    ----------
    status : str
        One of :data:`VERDICT_STATUSES`.
    evidence : str
        The rate ratio per :data:`SCALE` points, its interval and p-value, in words.
    """

    status: str
    evidence: str

    def __post_init__(self) -> None:
        if self.status not in VERDICT_STATUSES:
            raise ValueError(f"status must be one of {VERDICT_STATUSES} (got {self.status!r})")


def ratio_evidence(row) -> str:
    """``"rate ratio 1.22 (95% CI 0.97 to 1.54, p = 0.083)"``: a quantity's row in words.

    Parameters
    ----------
    row : mapping
        A row of :attr:`Analysis.models` (``irr, ci_low, ci_high, p_value``).

    Returns
    -------
    str
    """
    return f"rate ratio {_interval(row)}"


def judge(row, sign: int, *, min_effect: float = MIN_EFFECT) -> MechanismVerdict:
    """Whether democracies' slope supports the prediction: holds, does not hold, or cannot tell.

    The one rule of :data:`backlash.verdicts.VERDICT_RULE` on the rate ratio's 95% interval, with
    ``min_effect`` per :data:`SCALE` points as the margin, checked first: *does not hold* when the
    interval lies wholly on the other side of 1, or wholly short of ``min_effect`` (the data rule out
    any effect worth the name), even if it also lies wholly on the predicted side of 1; otherwise
    *holds* when it lies on the predicted side of 1, and *cannot tell* when it contains both no
    association and one of ``min_effect`` or more.

    Parameters
    ----------
    row : mapping
        The ``democracies`` row of :attr:`Analysis.models`.
    sign : int
        The predicted sign (:attr:`Observable.sign`).
    min_effect : float
        The smallest rate ratio counted as support (the margin; its inverse for a predicted decrease).

    Returns
    -------
    MechanismVerdict
    """
    irr, p, lo, hi = (float(row[k]) for k in ("irr", "p_value", "ci_low", "ci_high"))
    evidence = ratio_evidence(row)
    if any(map(math.isnan, (irr, p, lo, hi))):
        return MechanismVerdict(CANNOT_TELL, "no estimate")
    return MechanismVerdict(interval_status(lo, hi, above=sign > 0,
                                            margin=min_effect if sign > 0 else 1 / min_effect), evidence)


def select(models: pd.DataFrame, *, observable: str = MAIN, specification: str = "pooled", exposure: str,
           rule: str, measure: str, draws: int, draw_unit: str | None = None) -> pd.DataFrame:
    """The three quantities (:data:`QUANTITIES`) of one estimate, indexed by quantity.

    Parameters
    ----------
    models : DataFrame
        Rows as in :attr:`Analysis.models`.
    observable, specification, exposure, rule, measure : str
        Which estimate.
    draws : int
        0 for the SWIID's values, else the number of draws pooled.
    draw_unit : str, optional
        One of :data:`DRAW_UNITS`; by default ``none`` without draws and ``country-year`` with them.

    Returns
    -------
    DataFrame

    Raises
    ------
    ValueError
        If ``models`` holds no such estimate.
    """
    unit = draw_unit or ("country-year" if draws else "none")
    keys = {"observable": observable, "specification": specification, "exposure": exposure, "rule": rule,
            "measure": measure, "draws": draws, "draw_unit": unit}
    mask = np.logical_and.reduce([models[k] == v for k, v in keys.items()])
    sel = models[mask].set_index("quantity")
    if sorted(sel.index) != sorted(QUANTITIES):
        raise ValueError(f"no single estimate for {keys} among the inequality models")
    return sel.loc[list(QUANTITIES)]


#: How democracies' interval reads when the prediction does not hold (:func:`reading`): wholly on the other side
#: of one; holding one but wholly short of the margin; or wholly on the predicted side of one yet wholly short
#: of the margin (significant, but too weak to count as support).
OPPOSITE, SHORT, WEAK = "opposite", "short of the margin", "significant but short of the margin"


@dataclass(frozen=True)
class Reading:
    """How one estimate reads: the verdict, why, and how democracies compare with nondemocracies.

    Attributes
    ----------
    status : str
        The verdict on democracies' slope (:func:`judge`).
    how : str
        :data:`HOLDS` or :data:`CANNOT_TELL` as ``status``; for :data:`FAILS`, :data:`OPPOSITE` (the
        interval lies on the other side of one), :data:`SHORT` (it holds one but lies wholly short of
        the margin) or :data:`WEAK` (it lies on the predicted side of one but wholly short of the margin).
    compare : str
        ``"higher than"``, ``"lower than"`` or ``"not distinguishable from"``: democracies' rate ratio
        against nondemocracies', by the p-value of their ratio at level :data:`ALPHA`.
    """

    status: str
    how: str
    compare: str


def reading(estimate: pd.DataFrame, sign: int) -> Reading:
    """The verdict on one estimate, why it is so, and how the two regimes compare.

    Parameters
    ----------
    estimate : DataFrame
        :func:`select`: the three quantities of one estimate.
    sign : int
        The predicted sign (:attr:`Observable.sign`).

    Returns
    -------
    Reading
    """
    dem, diff = estimate.loc["democracies"], estimate.loc["difference"]
    status = judge(dem, sign).status
    how = status
    if status == FAILS:
        lo, hi = float(dem["ci_low"]), float(dem["ci_high"])
        if sign < 0:  # read a predicted decrease as an increase of the inverse
            lo, hi = 1 / hi, 1 / lo
        how = OPPOSITE if hi < 1 else WEAK if lo > 1 else SHORT
    if float(diff["p_value"]) < ALPHA:
        compare = "higher than" if float(diff["coef"]) > 0 else "lower than"
    else:
        compare = "not distinguishable from"
    return Reading(status, how, compare)


def _why(how: str, sign: int) -> str:
    """What democracies' interval shows, as a clause to follow it (``""`` when the prediction holds)."""
    bound = format_number(MIN_EFFECT if sign > 0 else 1 / MIN_EFFECT)
    side, short = ("above", "below") if sign > 0 else ("below", "above")
    return {HOLDS: "", OPPOSITE: ", the opposite of the prediction",
            SHORT: f", an interval that excludes a rate ratio of {bound}, the smallest association counted as support",
            WEAK: (f", significantly {side} one but with the whole interval {short} {bound}, the smallest association "
                   "counted as support, so too weak to back the prediction"),
            CANNOT_TELL: f", an interval that contains both no association and a rate ratio of {bound}"}[how]


def exposure_of(estimate: pd.DataFrame, exposure: str | None = None) -> str:
    """The exposure of one estimate: ``exposure`` if given, else its ``exposure`` column.

    A sentence names the rate its numbers compare, so an estimate that records no exposure is refused rather
    than assumed to be per state and IGO in force.

    Parameters
    ----------
    estimate : DataFrame
        :func:`select`: the three quantities of one estimate.
    exposure : str, optional
        A key of :data:`backlash.countmodel.EXPOSURES`.

    Returns
    -------
    str
        A key of :data:`backlash.countmodel.EXPOSURES`.

    Raises
    ------
    ValueError
        If no exposure is given and the estimate has no ``exposure`` column (as :func:`result_rows` gives
        without labels), if its rows name more than one exposure, or if the exposure is unknown.
    """
    if exposure is None:
        if "exposure" not in estimate:
            raise ValueError("the estimate does not record its exposure, so the rate it compares is unknown: "
                             "pass exposure= (one of " + ", ".join(sorted(EXPOSURES)) + ") or select it from "
                             "the labelled model table")
        found = set(estimate["exposure"])
        if len(found) != 1:
            raise ValueError(f"one estimate has one exposure (got {sorted(found)})")
        exposure = found.pop()
    if exposure not in EXPOSURES:
        raise ValueError(f"unknown exposure {exposure!r}; expected one of {sorted(EXPOSURES)}")
    return exposure


def mechanism_sentence(estimate: pd.DataFrame, observable: str = MAIN, *, lag: int = LAG,
                       exposure: str | None = None) -> str:
    """The verdict on the mechanism, with the numbers it rests on and the rate they compare, in two sentences.

    Parameters
    ----------
    estimate : DataFrame
        :func:`select`: the three quantities of one estimate.
    observable : str
        Its observable (for the prediction and the words).
    lag : int
        The lag the estimate used (:func:`analysis_frame`).
    exposure : str, optional
        Its exposure, whose rate the sentence names (:func:`exposure_of`).

    Returns
    -------
    str
    """
    r, what = _democracies_clause(estimate, observable, lag=lag, exposure=exposure)
    _, nondem, diff = (estimate.loc[q] for q in QUANTITIES)
    return (f"{capitalised(status_clause(r.status))}: {what}. In nondemocracies, about which the electoral model "
            f"predicts nothing, the rate ratio is {_interval(nondem)}; democracies' rate ratio is {r.compare} "
            f"theirs: the ratio of the two is {_interval(diff)}.")


def _democracies_clause(estimate: pd.DataFrame, observable: str, *, lag: int = LAG,
                        exposure: str | None = None) -> tuple[Reading, str]:
    """The reading of democracies' slope and the clause that states it, with its numbers and why."""
    obs = get_observable(observable)
    rate = EXPOSURES[exposure_of(estimate, exposure)].rate
    when = "the year before" if lag == 1 else f"{lag} years before"
    dem = estimate.loc[QUANTITIES[0]]
    r = reading(estimate, obs.sign)
    return r, (f"among democracies, {obs.phrase.format(n=f'{SCALE:g}')} {when} goes with a withdrawal "
               f"rate {rate} {format_number(dem['irr'])} times as high ({ci_text(dem)}){_why(r.how, obs.sign)}")


def abstract_sentence(estimate: pd.DataFrame, observable: str = MAIN, *, lag: int = LAG) -> str:
    """The verdict on the main estimate in one sentence, for the report's abstract.

    ``"On whether democracies with a higher market-income Gini withdraw more often, these data cannot tell: among
    democracies, a market-income Gini 10 points higher the year before goes with ... ."`` (the question follows
    the observable's name and predicted sign).

    Parameters
    ----------
    estimate : DataFrame
        :func:`select`: the three quantities of the main estimate.
    observable : str
        Its observable.
    lag : int
        The lag the estimate used.

    Returns
    -------
    str
    """
    r, what = _democracies_clause(estimate, observable, lag=lag)
    obs = get_observable(observable)
    question = f"democracies with a higher {obs.name} withdraw {'more' if obs.sign > 0 else 'less'} often"
    return f"On whether {question}, {status_clause(r.status)}: {what}."


#: How the ratio of the two regimes' rate ratios reads against one, for each :attr:`Reading.compare`.
_AGAINST_ONE = {"higher than": "significantly above one", "lower than": "significantly below one",
                "not distinguishable from": "not distinguishable from one"}


def other_rate_sentence(first: pd.DataFrame, second: pd.DataFrame, observable: str = MAIN) -> str:
    """The same test on a second rate, in one sentence: its verdict and numbers, and where they read otherwise.

    When the second estimate reads as the first (the same verdict, for the same reason, and the same comparison
    of the regimes), the sentence says so in brief with its numbers; otherwise it says what differs: the verdict,
    or why the prediction does not hold (significantly the other way, short of the margin, or significantly on the
    predicted side yet short of the margin), or how democracies compare with nondemocracies.

    Parameters
    ----------
    first, second : DataFrame
        :func:`select` of the same test under two exposures: the one already reported, and the other.
    observable : str
        Their observable.

    Returns
    -------
    str
        For instance ``"Per membership the verdict differs (these data cannot tell): democracies' rate ratio is
        1.08 (...), an interval that contains both no association and a rate ratio of 1.20; ..."``.
    """
    sign = get_observable(observable).sign
    base, rate = (EXPOSURES[exposure_of(e)].rate for e in (first, second))
    a, b = reading(first, sign), reading(second, sign)
    dem, diff = second.loc["democracies"], second.loc["difference"]
    head = capitalised(rate)
    if a == b:
        return (f"{head} the verdict is the same, “{b.status}”: democracies' rate ratio is {_interval(dem)}, and "
                f"its ratio to nondemocracies' {_interval(diff)}.")
    if a.status != b.status:
        lead = f"the verdict differs ({status_clause(b.status)})"
    elif a.how == OPPOSITE and b.how in (SHORT, WEAK):
        lead = (f"the verdict is the same, “{b.status}”, but not because the rate ratio is "
                "significantly the opposite of the prediction")
    elif a.how in (SHORT, WEAK) and b.how == OPPOSITE:
        lead = (f"the verdict is the same, “{b.status}”, and here the rate ratio is significantly "
                "the opposite of the prediction")
    elif a.how == SHORT and b.how == WEAK:
        lead = (f"the verdict is the same, “{b.status}”, although here the rate ratio is significantly on "
                "the predicted side of one")
    elif a.how == WEAK and b.how == SHORT:
        lead = (f"the verdict is the same, “{b.status}”, and here the rate ratio is not even significantly on "
                "the predicted side of one")
    else:
        lead = f"the verdict is the same, “{b.status}”, but the two regimes compare differently"
    contrast = "" if a.compare == b.compare else f", where {base} it is {_AGAINST_ONE[a.compare]}"
    return (f"{head} {lead}: democracies' rate ratio is {_interval(dem)}{_why(b.how, sign)}; the ratio of "
            f"democracies' rate ratio to nondemocracies' is {_interval(diff)}, {_AGAINST_ONE[b.compare]}{contrast}.")


#: The margins of the sensitivity line (:func:`margin_sentence`), around :data:`MIN_EFFECT`.
MARGINS = (1.1, MIN_EFFECT, 1.3)


def margin_sentence(row, sign: int, margins=MARGINS) -> str:
    """What the verdict on one estimate would be at each margin: the sensitivity of the "does not hold" line.

    Parameters
    ----------
    row : mapping
        The ``democracies`` row of an estimate.
    sign : int
        The predicted sign.
    margins : sequence of float
        The margins (rate ratios per :data:`SCALE` points; inverted for a predicted decrease).

    Returns
    -------
    str
        ``"at a margin of 1.10 the verdict is "cannot tell", at 1.20 "cannot tell" and at 1.30 "cannot tell""``.
    """
    parts = [f"{format_number(mg if sign > 0 else 1 / mg)} “{judge(row, sign, min_effect=mg).status}”"
             for mg in margins]
    return f"at a margin of {listing(parts)}"


def status_clause(status: str) -> str:
    """``"the prediction holds"`` / ``"does not hold"`` / ``"these data cannot tell"``: a verdict as a clause.

    Parameters
    ----------
    status : str
        One of :data:`VERDICT_STATUSES`.

    Returns
    -------
    str
    """
    return "these data cannot tell" if status == CANNOT_TELL else f"the prediction {status}"


def sample_words(row) -> str:
    """``"1,968 state-years and 311 withdrawals in 70 states"``: the sample of one estimate, from its row.

    Parameters
    ----------
    row : mapping
        A row of :attr:`Analysis.models` (``n_obs``, ``n_states``, ``n_withdrawals``).

    Returns
    -------
    str
    """
    return (f"{int(row['n_obs']):,} state-years and {int(row['n_withdrawals']):,} withdrawals in "
            f"{int(row['n_states']):,} states")


#: A sample that keeps at least this share of another's state-years, states and withdrawals is "nearly the same".
NEARLY_ALL = 0.99


def _sample(row) -> tuple[int, int, int]:
    """State-years, states and withdrawals of one estimate's row."""
    return int(row["n_obs"]), int(row["n_states"]), int(row["n_withdrawals"])


def sample_sentence(estimate: pd.DataFrame, main: pd.DataFrame, main_name: str) -> str:
    """Which sample an estimate rests on, beside the main estimate's, so that a reader sees when two verdicts
    compare different state-years.

    Parameters
    ----------
    estimate, main : DataFrame
        :func:`select` of the estimate in question and of the main estimate it is read against.
    main_name : str
        The main estimate in words ("the market-income Gini's main estimate").

    Returns
    -------
    str
        ``"This estimate rests on 1,968 state-years and 311 withdrawals in 70 states, against 4,631 state-years
        and 580 withdrawals in 164 states for ...: a smaller sample, ..."``, or that it rests on the same sample.
    """
    a, b = estimate.loc["democracies"], main.loc["democracies"]
    if _sample(a) == _sample(b):
        return f"This estimate rests on the same {sample_words(a)} as {main_name}."
    smaller = all(x <= y for x, y in zip(_sample(a), _sample(b)))
    if smaller and all(x >= NEARLY_ALL * y for x, y in zip(_sample(a), _sample(b))):
        return (f"This estimate rests on {sample_words(a)}, against {sample_words(b)} for {main_name}: nearly "
                "the same sample.")
    return (f"This estimate rests on {sample_words(a)}, against {sample_words(b)} for {main_name}: "
            f"{'a smaller' if smaller else 'a different'} sample, so the two verdicts do not rest on the same "
            "state-years.")


def within_sentence(fe: pd.DataFrame, mundlak: pd.DataFrame, observable: str = MAIN,
                    fe_others: Sequence[pd.DataFrame] = (), pooled: pd.DataFrame | None = None) -> str:
    """The within-state verdict on the fixed-effects estimate, with the Mundlak estimate beside and why they differ.

    Parameters
    ----------
    fe, mundlak : DataFrame
        :func:`select` of the ``within`` and the ``mundlak`` specification (point values), under one exposure,
        whose rate the sentence names.
    observable : str
        Their observable.
    fe_others : sequence of DataFrame
        :func:`select` of the ``within`` specification under each other exposure: after the verdict, one
        sentence for each gives its verdict too (:func:`other_rate_sentence`).
    pooled : DataFrame, optional
        :func:`select` of the pooled estimate under the same exposure: its sample is named beside the
        fixed-effects one.

    Returns
    -------
    str
    """
    sign = get_observable(observable).sign
    rate, mundlak_rate = (EXPOSURES[exposure_of(e)].rate for e in (fe, mundlak))
    a, b = fe.loc["democracies"], mundlak.loc["democracies"]
    sa, sb = judge(a, sign).status, judge(b, sign).status
    agree = "the same verdict" if sa == sb else f"a different verdict ({sb})"
    other = "".join(f" {other_rate_sentence(fe, e, observable)}" for e in fe_others)
    versus = "" if pooled is None else f", against {sample_words(pooled.loc['democracies'])} in the pooled estimate"
    return (f"Within states, with a fixed effect per state (only the states with a withdrawal in the sample, "
            f"{sample_words(a)}{versus}, since a state that never withdraws has no finite effect and tells nothing "
            "about the slope), "
            f"democracies' rate ratio {rate} is {_interval(a)}, against {_interval(fe.loc['nondemocracies'])} in "
            f"nondemocracies: by the rule above, {status_clause(sa)} within states.{other} A correlated-random-effects "
            f"(Mundlak) model, the pooled model with each state's means of the regressors (the Gini by regime, "
            f"the democracy indicator, the decade dummies) as controls, gives a rate ratio {mundlak_rate} of "
            f"{_interval(b)} on all {int(b['n_states'])} states ({int(b['n_obs']):,} state-years), {agree}. The "
            "two differ for two reasons: it keeps the states that never withdraw, which the fixed-effects fit must "
            "leave out, and in a Poisson model, unlike a linear one, controlling for the state means does not "
            "reproduce the fixed-effects slope exactly. We take the fixed-effects estimate as the within-state one "
            "and the correlated-random-effects estimate as a sensitivity.")


def ci_text(row) -> str:
    """``"95% CI 0.97 to 1.49, p = 0.100"``: a rate ratio's interval and p-value.

    Parameters
    ----------
    row : mapping
        With ``ci_low``, ``ci_high`` and ``p_value``.

    Returns
    -------
    str
    """
    return f"{interval_text(row['ci_low'], row['ci_high'], reference=1.0)}, {format_p(row['p_value'])}"


def _interval(row) -> str:
    """``"1.20 (95% CI 0.97 to 1.49, p = 0.100)"``."""
    return f"{format_number(row['irr'])} ({ci_text(row)})"


def verdict_counts(models: pd.DataFrame, *, observable: str = MAIN, exposure: str) -> dict:
    """How many rule and measure combinations each verdict holds under (the SWIID's values, pooled).

    Parameters
    ----------
    models : DataFrame
        :attr:`Analysis.models`.
    observable, exposure : str
        Which estimates.

    Returns
    -------
    dict
        ``total`` and one count per status of :data:`VERDICT_STATUSES`.
    """
    sign = get_observable(observable).sign
    sel = models[(models["observable"] == observable) & (models["specification"] == "pooled")
                 & (models["exposure"] == exposure) & (models["draws"] == 0) & (models["quantity"] == "democracies")]
    statuses = [judge(r, sign).status for _, r in sel.iterrows()]
    return {"total": len(statuses), **{s: statuses.count(s) for s in VERDICT_STATUSES}}


# --------------------------------------------------------------------------- the derived files
from .democracy import MEASURES  # noqa: E402
from .filedoc import Column, FileDoc  # noqa: E402

_MODEL_COLUMNS = (
    Column("observable", "string", "-", "the SWIID observable (backlash.mechanism.OBSERVABLES)",
           ", ".join(OBSERVABLES)),
    Column("specification", "string", "-", "pooled over states and years; within states (a fixed effect per "
           "state, states with a withdrawal); or correlated random effects (the pooled model with each state's means "
           "of the regressors and decade dummies as controls, every state)", "pooled, within, mundlak"),
    Column("exposure", "string", "-", "the count model's exposure (backlash.countmodel.EXPOSURES)",
           "igos_in_force, memberships"),
    Column("rule", "string", "-", "the withdrawal rule", "a key of backlash.withdrawal.RULES"),
    Column("measure", "string", "-", "the democracy measure", ", ".join(MEASURES)),
    Column("draws", "integer", "count", "0: one fit on the SWIID's point values (the main estimate); else the "
           "draws of its uncertainty pooled by Rubin's rules (a sensitivity)", ">= 0"),
    Column("draw_unit", "string", "-", "none (point values); country-year (independent draws each year); country "
           "(one shift per country for all its years)", "none, country-year, country"),
    Column("quantity", "string", "-", "the slope in democracies, in nondemocracies, or their difference",
           "democracies, nondemocracies, difference"),
    Column("coef", "float", "log rate ratio per 10 points", "the slope (or the difference of the two)", "any real"),
    Column("se", "float", "log rate ratio per 10 points", "its standard error (clustered by state; Rubin's total "
           "variance when pooled over draws)", "> 0"),
    Column("df", "float", "-", "degrees of freedom of the t reference (Rubin's rules); inf: the normal", "> 0"),
    Column("p_value", "float", "probability", "two-sided p-value of coef = 0", "0-1"),
    Column("irr", "float", "rate ratio", "exp(coef): the withdrawal rate's ratio per 10 points higher", "> 0"),
    Column("ci_low", "float", "rate ratio", "lower end of its 95% interval", "> 0"),
    Column("ci_high", "float", "rate ratio", "upper end of its 95% interval", "> 0"),
    Column("n_obs", "integer", "count", "state-years in the estimation sample", "> 0"),
    Column("n_states", "integer", "count", "states among them", "> 0"),
    Column("n_withdrawals", "integer", "count", "withdrawals among them", ">= 0"),
)

#: ``data/derived/inequality_models.csv`` (written by ``py/inequality_models.py``).
MODELS_DOC = FileDoc(
    "inequality_models.csv", "py/inequality_models.py",
    "Does inequality predict exit? The count model's slopes of withdrawals on the SWIID's observables in t-1, "
    "by regime type, under the chosen rule and measure: every observable and specification, both exposures, "
    "with and without the draws of the SWIID's uncertainty (one row per estimate and quantity).",
    _MODEL_COLUMNS)
#: ``data/derived/inequality_robustness.csv`` (written by ``py/inequality_robustness.py``).
ROBUSTNESS_DOC = FileDoc(
    "inequality_robustness.csv", "py/inequality_robustness.py",
    "The market-income Gini's slopes under every other withdrawal rule (chosen measure) and every other "
    "democracy measure (chosen rule), both exposures, on the SWIID's values (one row per estimate and quantity).",
    _MODEL_COLUMNS)
#: ``data/derived/inequality_curve.csv`` (written by ``py/inequality_models.py``).
CURVE_DOC = FileDoc(
    "inequality_curve.csv", "py/inequality_models.py",
    "The figure's curves: the predicted withdrawal rate against the market-income Gini of t-1, democracies and "
    "nondemocracies, with 95% bands, on the SWIID's point values (one row per exposure, regime and grid point).",
    (Column("exposure", "string", "-", "the count model's exposure", "igos_in_force, memberships"),
     Column("regime", "string", "-", "the regime type", "democracies, nondemocracies"),
     Column("gini_mkt", "float", "Gini points (0-100)", "market-income Gini in t-1 (a grid over the middle 95% "
            "of the regime's values in the sample)", "0-100"),
     Column("rate", "float", "percent", "predicted withdrawals per 100 units of exposure ("
            f"{' or '.join(e.rate for e in EXPOSURES.values())}), at the sample's mix of decades", "> 0"),
     Column("low", "float", "percent", "lower end of the 95% band", "> 0"),
     Column("high", "float", "percent", "upper end of the 95% band", "> 0")))
#: ``data/derived/inequality_numbers.json`` (written by ``py/inequality_models.py``).
NUMBERS_DOC = FileDoc(
    "inequality_numbers.json", "py/inequality_models.py",
    "The inequality analysis's settings and which state-years its sample can use, by regime type.",
    tuple(Column(k, t, "-", m, "see src/backlash/mechanism.py: main_models") for k, t, m in (
        ("n_draws", "integer", "draws of the SWIID's uncertainty"),
        ("seed", "integer", "their seed"),
        ("lag", "integer", "years between inequality and withdrawals"),
        ("scale", "number", "Gini points per slope unit"),
        ("min_effect", "number", "the smallest rate ratio per scale points counted as support"),
        ("alpha", "number", "the significance level"),
        ("rule", "string", "the chosen withdrawal rule"),
        ("measure", "string", "the chosen democracy measure"),
        ("sample", "object", "per regime type: state-years with a score from 1961, those with a lagged market Gini, "
         "and their withdrawals (sample_coverage)"),
        ("trend", "object", "states of the main sample with at least five years, and how many of them have a rising "
         "market Gini (rising_share)"),
        ("spread", "object", "democracies' market Gini in the main sample: lower and upper quartile, standard "
         "deviation"),
        ("country_shift", "object", "the within-state sample: its states, those whose regime changes and those whose "
         "SWIID standard error varies, and that error's median coefficient of variation (country_shift_absorption)"))))
