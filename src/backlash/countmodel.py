r"""The state-year panel of withdrawals and the count model of exit.

Pure functions: :func:`state_year_panel` joins the withdrawals (:mod:`backlash.withdrawal`)
and the IGOs in force to every COW system member-year; :func:`fit_poisson` fits one Poisson
GLM of withdrawals on any regressors with a named exposure (:data:`EXPOSURES`), and
:func:`count_model` the report's specifications.

The model
---------
For state :math:`i` in year :math:`t`,

.. math::

    E[W_{it}] = X_{it}\,\exp(\beta' z_{it} + \delta_{d(t)}),

where :math:`W_{it}` counts the state's withdrawals, :math:`z_{it}` are the regressors
(e.g. the democracy indicator), :math:`\delta_{d(t)}` a fixed effect of the decade of
:math:`t`, and :math:`X_{it}` the exposure, entered as the offset :math:`\log X_{it}`.
:math:`\exp(\beta_k)` is then a rate ratio *per unit of exposure*, so the exposure says
which rate is compared (:data:`EXPOSURES`):

* ``igos_in_force``: :math:`X_{it} = I_t`, the IGOs in force in year :math:`t`.  Summed
  over the states of one regime type this is Figure 1(a)'s denominator
  :math:`N^{dem}_t I_t`, so the rate ratio of democracy is the ratio of Figure 1(a)'s two
  series (within decades): withdrawals per state and per IGO in force.
* ``memberships``: :math:`X_{it} = M_{i,t-1}`, the state's full memberships in
  :math:`t-1` (the organizations it could leave): withdrawals per membership.

The two differ by the membership density :math:`M/I`: for raw rates,
:math:`W/(N I) = (W/M)\,(M/(N I))`, so the per-state rate ratio is the per-membership
ratio times the ratio of memberships per state and IGO in force.

Inference: standard errors clustered by state (statsmodels' cluster-robust covariance with
its small-sample correction); the p-value of each coefficient is a two-sided Wald z-test
on that standard error.

Computation: the model is fitted by iteratively reweighted least squares in NumPy
(:func:`_poisson_fit`), which gives statsmodels' ``GLM(..., family=Poisson()).fit(
cov_type="cluster")`` estimates, standard errors and p-values to about 1e-9 (a test checks
it on the real panel and on simulated data) about ten times faster; the pipeline fits
hundreds of these models.  Where the fast fit cannot be trusted (a singular design, no
convergence) statsmodels itself fits the model.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from .data import COMPARISON_PERIODS, FIRST_YEAR, LAST_YEAR, PERIODS
from .verdicts import wald_p, z_critical


@dataclass(frozen=True)
class Exposure:
    """One exposure of the count model: which rate its coefficients compare.

    Attributes
    ----------
    key : str
        The exposure's name (a key of :data:`EXPOSURES`).
    column : str
        The column of the state-year panel that holds it.
    rate : str
        The rate it defines, in words ("per state and IGO in force").
    question : str
        The question a rate ratio under this exposure answers.
    """

    key: str
    column: str
    rate: str
    question: str


#: The exposures of the count model, declared once.
EXPOSURES: dict[str, Exposure] = {e.key: e for e in (
    Exposure("igos_in_force", "n_igos", "per state and IGO in force",
             "Of the organizations that exist, does a state of one type leave more of them each year than a "
             "state of the other? This is the quantity of Figure 1(a) (withdrawals divided by the states of "
             "the type and by the IGOs in force), so its rate ratio judges claims read off that figure."),
    Exposure("memberships", "memberships_lag", "per membership",
             "Of the organizations a state belongs to (its full memberships in t-1), does a member of one "
             "type leave a given membership more often than a member of the other? It holds the number of "
             "memberships fixed, so it separates the propensity to leave from how much a state joins."),
)}
#: The exposure of the paper's own rates (Figure 1(a)).
PAPER_EXPOSURE = "igos_in_force"
#: That rate in words, as every sentence that names it writes it ("per state and IGO in force").
PAPER_RATE = EXPOSURES[PAPER_EXPOSURE].rate
#: The other rate in words ("per membership").
MEMBERSHIP_RATE = EXPOSURES["memberships"].rate
#: The membership density in words: memberships divided by states and by IGOs in force, the third term of
#: the identity that links the two rates (:class:`Decomposition`).
DENSITY = f"memberships {PAPER_RATE}"


def get_exposure(key: str) -> Exposure:
    """The exposure named ``key``, or a ValueError listing the exposures.

    Parameters
    ----------
    key : str
        A key of :data:`EXPOSURES`.

    Returns
    -------
    Exposure
    """
    try:
        return EXPOSURES[key]
    except KeyError:
        raise ValueError(f"unknown exposure {key!r}; the exposures are {', '.join(EXPOSURES)}") from None


def state_year_panel(panel: pd.DataFrame, w: pd.DataFrame, regime: pd.DataFrame,
                     igo_panel: pd.DataFrame) -> pd.DataFrame:
    """State-year panel for the count model: withdrawals, both exposures, regime.

    ``memberships_lag`` counts the state's full IGO memberships in t-1 (the set it
    could leave in t); ``n_igos`` the IGOs in force in t (the same for every state
    of a year). Rows are every COW system member-year, with ``polity2`` and
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
    igo_panel : DataFrame
        IGOs in force per year (``year, n_igos``; :func:`backlash.data.igo_panel`).

    Returns
    -------
    DataFrame
        ``ccode, year, decade, polity2, democracy, memberships_lag, n_igos, withdrawals``.

    Raises
    ------
    ValueError
        If ``igo_panel`` lacks a year of ``regime``.
    """
    full = panel.loc[panel["status"] == 1].groupby(["ccode", "year"]).size().rename("memberships")
    lag = full.copy()
    lag.index = lag.index.set_levels(lag.index.levels[1] + 1, level=1)
    out = regime.copy()
    out = out.join(lag.rename("memberships_lag"), on=["ccode", "year"])
    out["memberships_lag"] = out["memberships_lag"].fillna(0).astype("int64")
    n_igos = out["year"].map(igo_panel.set_index("year")["n_igos"])
    if n_igos.isna().any():
        missing = sorted(out.loc[n_igos.isna(), "year"].unique())
        raise ValueError(f"the IGO panel has no count of IGOs in force for {missing[:5]}; rebuild "
                         "data/derived/igo_panel.csv (make all)")
    out["n_igos"] = n_igos.astype("int64")
    out = out.join(w.groupby(["ccode", "year"]).size().rename("withdrawals"), on=["ccode", "year"])
    out["withdrawals"] = out["withdrawals"].fillna(0).astype("int64")
    out["democracy"] = out["democracy"].astype("Int64")
    out["decade"] = (out["year"] // 10 * 10).astype("int64")
    return out[["ccode", "year", "decade", "polity2", "democracy", "memberships_lag", "n_igos", "withdrawals"]] \
        .sort_values(["ccode", "year"], ignore_index=True)


@dataclass(frozen=True)
class PoissonFit:
    """A fitted count model with everything a caller needs beyond the reported rows.

    Attributes
    ----------
    params : Series
        The coefficients of every design column, the intercept and the fixed effects included.
    cov : DataFrame
        Their cluster-robust covariance (statsmodels' ``cov_type="cluster"``, see the module's docstring).
    reported : tuple of str
        The design columns of the regressors (not the intercept or fixed effects).
    design_means : Series
        The mean of every design column over the estimation sample (e.g. each decade's share),
        to evaluate the linear predictor at the sample's mix of fixed effects.
    exposure : str
        The exposure's key.
    nobs, n_states, n_withdrawals : int
        State-years, states and withdrawals in the estimation sample.
    """

    params: pd.Series
    cov: pd.DataFrame
    reported: tuple[str, ...]
    design_means: pd.Series
    exposure: str
    nobs: int
    n_states: int
    n_withdrawals: int


def poisson_fit(data: pd.DataFrame, terms: str | Sequence[str], *, exposure: str,
                fixed_effects: Sequence[str] = ("decade",), cluster: str = "ccode",
                outcome: str = "withdrawals") -> PoissonFit:
    r"""The model of :func:`fit_poisson`, returned whole (parameters, covariance, design means).

    Parameters
    ----------
    data, terms, exposure, fixed_effects, cluster, outcome
        As in :func:`fit_poisson`.

    Returns
    -------
    PoissonFit

    Raises
    ------
    ValueError
        For an unknown exposure, or no rows left to fit.
    """
    exp_col = get_exposure(exposure).column
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms:
        raise ValueError("fit_poisson needs at least one term")
    formula = f"{outcome} ~ {' + '.join(terms)}"
    frame = data.loc[data[exp_col] > 0].dropna(subset=list(fixed_effects))
    y, x = _design(frame, outcome, terms)
    if len(y) == 0:
        raise ValueError(f"no rows left to fit {formula!r} (every row lacks {exp_col} or a variable)")
    kept = frame.loc[y.index]
    reported = tuple(c for c in x.columns if c != "Intercept")
    # The fixed effects as dummies (first level dropped) of the rows kept: the same design as C(col) in a
    # formula, without patsy's slow categorical sniffing, and no level of a dropped row.
    x = pd.concat([x, *(pd.get_dummies(kept[c], prefix=f"C({c})", prefix_sep="=", drop_first=True, dtype=float)
                        for c in fixed_effects)], axis=1)
    params, cov = _poisson_fit(y.to_numpy(dtype=float).ravel(), x.to_numpy(dtype=float),
                               np.log(kept[exp_col].to_numpy(dtype=float)), pd.factorize(kept[cluster])[0])
    return PoissonFit(pd.Series(params, index=x.columns), pd.DataFrame(cov, index=x.columns, columns=x.columns),
                      reported, x.mean(), exposure, len(y), int(kept[cluster].nunique()), int(kept[outcome].sum()))


def fit_poisson(data: pd.DataFrame, terms: str | Sequence[str], *, exposure: str,
                fixed_effects: Sequence[str] = ("decade",), cluster: str = "ccode",
                outcome: str = "withdrawals") -> pd.DataFrame:
    r"""Poisson GLM of ``outcome`` on ``terms`` with the offset of ``exposure``, one row per reported term.

    Fits :math:`E[W_{it}] = X_{it}\exp(\beta'z_{it} + \delta)` (see the module's docstring)
    with a fixed effect for each level of every column in ``fixed_effects`` and standard
    errors clustered by ``cluster``.  Rows with no exposure (:math:`X_{it}=0`) or a missing
    value in any variable of the model are dropped.

    Parameters
    ----------
    data : DataFrame
        State-years (:func:`state_year_panel`, or any frame with the columns named).
    terms : str or sequence of str
        Right-hand-side terms in formula syntax; interactions are allowed
        (``"democracy * gini_mkt"`` reports ``democracy``, ``gini_mkt`` and
        ``democracy:gini_mkt``).
    exposure : str
        A key of :data:`EXPOSURES`: which rate the coefficients compare.
    fixed_effects : sequence of str
        Columns whose levels get a fixed effect (not reported).
    cluster : str
        The column the standard errors are clustered by.
    outcome : str
        The count on the left-hand side.

    Returns
    -------
    DataFrame
        One row per reported coefficient: ``term, coef, se, z, p_value, irr, ci_low, ci_high,
        exposure, n_obs, n_states, n_withdrawals`` (``irr = exp(coef)``; ``ci_*`` the 95%
        Wald interval of the rate ratio; ``p_value`` a two-sided Wald z-test on the
        cluster-robust standard error).

    Raises
    ------
    ValueError
        For an unknown exposure, or no rows left to fit.
    """
    whole = poisson_fit(data, terms, exposure=exposure, fixed_effects=fixed_effects, cluster=cluster,
                        outcome=outcome)
    z = z_critical()  # half a 95% Wald interval, in standard errors
    rows = []
    for name in whole.reported:
        coef, se = float(whole.params[name]), math.sqrt(float(whole.cov.loc[name, name]))
        rows.append({"term": name, "coef": coef, "se": se, "z": coef / se,
                     "p_value": wald_p(coef / se),
                     "irr": math.exp(coef), "ci_low": math.exp(coef - z * se),
                     "ci_high": math.exp(coef + z * se), "exposure": exposure, "n_obs": whole.nobs,
                     "n_states": whole.n_states, "n_withdrawals": whole.n_withdrawals})
    return pd.DataFrame(rows)


def _design(frame: pd.DataFrame, outcome: str, terms: list[str]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The outcome and the design (an ``Intercept`` column, then the terms) of ``outcome ~ terms``.

    Terms that are plain column names are taken as they are (rows missing any of them dropped);
    anything else (an interaction ``a * b``, a transformation) goes through patsy, as a formula.
    """
    if all(t.isidentifier() and t in frame.columns for t in terms):
        rows = frame.dropna(subset=[outcome, *terms])
        y = rows[[outcome]].astype(float)
        x = pd.concat([pd.Series(1.0, index=rows.index, name="Intercept"),
                       *(rows[t].astype(float) for t in terms)], axis=1)
        return y, x
    import patsy

    numeric = frame.copy()
    for col in numeric.columns:  # nullable integers (e.g. Int64) as plain floats for patsy
        if isinstance(numeric[col].dtype, pd.api.extensions.ExtensionDtype) and pd.api.types.is_numeric_dtype(
                numeric[col].dtype):
            numeric[col] = numeric[col].astype("float64")
    return patsy.dmatrices(f"{outcome} ~ {' + '.join(terms)}", numeric, return_type="dataframe", NA_action="drop")


def _poisson_fit(y: np.ndarray, x: np.ndarray, offset: np.ndarray, groups: np.ndarray,
                 tol: float = 1e-13, max_iter: int = 100) -> tuple[np.ndarray, np.ndarray]:
    r"""Poisson GLM with log link and offset by IRLS; its coefficients and their cluster-robust covariance.

    Newton's method on the log likelihood (IRLS): :math:`\beta \leftarrow \beta + (X'WX)^{-1}X'(y-\mu)`
    with :math:`\mu = \exp(X\beta + \text{offset})` and :math:`W = \operatorname{diag}(\mu)`, from
    statsmodels' start (:math:`\mu = (y + \bar y)/2`), until the step is below ``tol`` relative to
    :math:`\beta`.  The covariance is statsmodels' CRV1:
    :math:`c\,(X'WX)^{-1}\big(\sum_g s_g s_g'\big)(X'WX)^{-1}` with :math:`s_g = \sum_{i\in g} x_i(y_i-\mu_i)`
    and :math:`c = \frac{G}{G-1}\frac{N-1}{N-K}`.  A singular design or no convergence hands the
    model to statsmodels.
    """
    n, k = x.shape
    mu = (y + y.mean()) / 2.0
    eta = np.log(mu)
    try:
        # The first step, as statsmodels takes it: weighted least squares from the starting mu.
        beta = np.linalg.solve(x.T @ (x * mu[:, None]), x.T @ (mu * (eta - offset + (y - mu) / mu)))
        for _ in range(max_iter):
            mu = np.exp(x @ beta + offset)
            step = np.linalg.solve(x.T @ (x * mu[:, None]), x.T @ (y - mu))
            beta = beta + step
            if np.all(np.abs(step) <= tol * np.maximum(1.0, np.abs(beta))):
                break
        else:
            raise np.linalg.LinAlgError("no convergence")
        mu = np.exp(x @ beta + offset)
        bread = np.linalg.inv(x.T @ (x * mu[:, None]))
        if not (np.isfinite(beta).all() and np.isfinite(bread).all()):
            raise np.linalg.LinAlgError("not finite")
    except np.linalg.LinAlgError:
        return _statsmodels_fit(y, x, offset, groups)
    return beta, cluster_covariance(bread, x * (y - mu)[:, None], groups, n_params=k)


def cluster_covariance(bread: np.ndarray, scores: np.ndarray, groups: np.ndarray, *, n_params: int) -> np.ndarray:
    r"""statsmodels' cluster-robust covariance (CRV1) from the inverse information and each row's score.

    :math:`c\,B\big(\sum_g s_g s_g'\big)B` with :math:`s_g` the sum of the scores of cluster :math:`g` and
    :math:`c = \frac{G}{G-1}\frac{N-1}{N-K}`.

    Parameters
    ----------
    bread : ndarray
        The inverse of the information matrix, :math:`B = (X'WX)^{-1}`.
    scores : ndarray
        One row per observation: :math:`x_i(y_i - \mu_i)`.
    groups : ndarray of int
        Each observation's cluster, coded 0 .. G-1.
    n_params : int
        :math:`K`, every parameter of the model (fixed effects concentrated out included).

    Returns
    -------
    ndarray
    """
    n, g = len(scores), int(groups.max()) + 1
    per_group = np.column_stack([np.bincount(groups, weights=scores[:, j], minlength=g)
                                 for j in range(scores.shape[1])])
    return bread @ (per_group.T @ per_group) @ bread * (g / (g - 1.0) * (n - 1.0) / (n - n_params))


def _statsmodels_fit(y, x, offset, groups) -> tuple[np.ndarray, np.ndarray]:
    """The same model fitted by statsmodels (the reference :func:`_poisson_fit` is tested against)."""
    import statsmodels.api as sm

    fit = sm.GLM(y, x, family=sm.families.Poisson(), offset=offset).fit(cov_type="cluster",
                                                                        cov_kwds={"groups": groups})
    return np.asarray(fit.params, dtype=float), np.asarray(fit.cov_params(), dtype=float)


def fit_count_model(data: pd.DataFrame, var: str, *, exposure: str = "memberships") -> dict:
    """The count model with one regressor ``var``: :func:`fit_poisson`'s row for it, as a dict.

    Poisson GLM with decade effects and standard errors clustered by state; by default the
    exposure is the state's full memberships in t-1 (the package's model before exposures
    were named).

    Parameters
    ----------
    data : DataFrame
        State-years (:func:`state_year_panel`).
    var : str
        The regressor (``democracy`` or ``polity2``).
    exposure : str
        A key of :data:`EXPOSURES`.

    Returns
    -------
    dict
        ``term, coef, se, p_value, irr, n_obs, n_states, n_withdrawals``.
    """
    row = fit_poisson(data, var, exposure=exposure).set_index("term").loc[var]
    return {"term": var, "coef": float(row["coef"]), "se": float(row["se"]), "p_value": float(row["p_value"]),
            "irr": float(row["irr"]), "n_obs": int(row["n_obs"]), "n_states": int(row["n_states"]),
            "n_withdrawals": int(row["n_withdrawals"])}


def count_model(sy: pd.DataFrame, exposure: str = "memberships") -> pd.DataFrame:
    """Poisson GLM of withdrawals under ``exposure``, decade effects, SEs clustered by state.

    Specifications: the democracy indicator on each period of
    :data:`backlash.data.COMPARISON_PERIODS` (1951-2014, "after 1950"; 1951-1970, its part before
    1971; 1971-2014, "after 1970"; and 1945-2014); and Polity5's polity2 instead of the indicator
    on 1945-2014 (:func:`fit_count_model`).
    Returns one row per specification and reported coefficient.

    Parameters
    ----------
    sy : DataFrame
        :func:`state_year_panel`.
    exposure : str
        A key of :data:`EXPOSURES`.

    Returns
    -------
    DataFrame
        ``specification`` and the columns of :func:`fit_count_model`.
    """
    specs = [(f"democracy, {lo}-{hi}", "democracy", sy[sy["year"].between(lo, hi)])
             for lo, hi in COMPARISON_PERIODS.values()]
    specs.append((f"polity2, {FIRST_YEAR}-{LAST_YEAR}", "polity2", sy))
    return pd.DataFrame([{"specification": label, **fit_count_model(data, var, exposure=exposure)}
                         for label, var, data in specs])


def count_models(sy: pd.DataFrame) -> pd.DataFrame:
    """:func:`count_model` under every exposure of :data:`EXPOSURES`, the paper's first (``count_model.csv``).

    Parameters
    ----------
    sy : DataFrame
        :func:`state_year_panel`.

    Returns
    -------
    DataFrame
        ``exposure, specification`` and the columns of :func:`fit_count_model`.
    """
    order = [PAPER_EXPOSURE, *(k for k in EXPOSURES if k != PAPER_EXPOSURE)]
    return pd.concat([count_model(sy, k).assign(exposure=k) for k in order], ignore_index=True) \
        .pipe(lambda t: t[["exposure", *(c for c in t.columns if c != "exposure")]])


@dataclass(frozen=True)
class Decomposition:
    r"""A group's withdrawal rate relative to the rest's under both exposures, and what links them.

    For raw rates, with :math:`W`, :math:`M` and :math:`NI` the group's withdrawals,
    memberships in t-1 and state-years times IGOs in force,

    .. math::

        \frac{W_1/(NI)_1}{W_0/(NI)_0} = \frac{W_1/M_1}{W_0/M_0}\cdot\frac{M_1/(NI)_1}{M_0/(NI)_0},

    i.e. the rate ratio per state and IGO in force is the rate ratio per membership times
    the membership-density ratio, exactly (``raw_state = raw_membership * density_ratio``,
    when no withdrawal comes from a state-year without memberships).  With fixed effects
    the identity holds only approximately (``irr_state ~ irr_membership * density_ratio``).

    Attributes
    ----------
    irr_state, se_state, p_state : float
        Rate ratio per state and IGO in force (exposure ``igos_in_force``), the clustered
        standard error of its logarithm and its Wald p-value.
    irr_membership, se_membership, p_membership : float
        The same per membership (exposure ``memberships``).
    density_ratio : float
        Memberships per state and IGO in force, group 1 over group 0 (:math:`\sum M/\sum I`).
    raw_state, raw_membership : float
        The raw rate ratios (sums over the state-years, no fixed effects).
    n_obs, n_states, n_withdrawals : int
        State-years, states and withdrawals of the per-state model.
    """

    irr_state: float
    se_state: float
    p_state: float
    irr_membership: float
    se_membership: float
    p_membership: float
    density_ratio: float
    raw_state: float
    raw_membership: float
    n_obs: int
    n_states: int
    n_withdrawals: int

    def to_dict(self) -> dict:
        """Plain dict (a CSV row).

        Returns
        -------
        dict
        """
        return asdict(self)


def _ratio(num: pd.Series, den: pd.Series) -> float:
    """(num[1] / den[1]) / (num[0] / den[0]); NaN when a part is missing or zero."""
    try:
        a, b = float(num.loc[1]) / float(den.loc[1]), float(num.loc[0]) / float(den.loc[0])
    except (KeyError, ZeroDivisionError):
        return math.nan
    return a / b if b > 0 else (math.nan if a == 0 else math.inf)


def decompose(data: pd.DataFrame, group: str = "democracy", *, fixed_effects: Sequence[str] = ("decade",),
              outcome: str = "withdrawals") -> Decomposition:
    """Rate ratio of ``group`` = 1 to ``group`` = 0 per state and IGO in force and per membership.

    Fits :func:`fit_poisson` with ``group`` as the only regressor under each exposure
    of :data:`EXPOSURES`, and computes the raw rate ratios and the membership-density
    ratio over the same state-years (see :class:`Decomposition` for the identity that
    links them).  Where either group has no withdrawal the model has no finite
    estimate, and the fitted ratios are NaN (the raw ratios are still given).

    Parameters
    ----------
    data : DataFrame
        State-years with ``group`` (0/1, missing rows dropped), ``memberships_lag``,
        ``n_igos``, ``ccode``, ``outcome`` and the ``fixed_effects`` columns.
    group : str
        The 0/1 column that defines the two groups (democracy, or a period).
    fixed_effects : sequence of str
        Passed to :func:`fit_poisson`.
    outcome : str
        The count.

    Returns
    -------
    Decomposition
    """
    rows = data.loc[data[group].notna() & (data["n_igos"] > 0)]
    by = rows.assign(_g=rows[group].astype(int)).groupby("_g")[[outcome, "memberships_lag", "n_igos"]].sum()
    with_members = rows.loc[rows["memberships_lag"] > 0]
    w_members = with_members.assign(_g=with_members[group].astype(int)).groupby("_g")[outcome].sum()
    raw_state = _ratio(by[outcome], by["n_igos"])
    raw_membership = _ratio(w_members.reindex(by.index, fill_value=0), by["memberships_lag"])
    density = _ratio(by["memberships_lag"], by["n_igos"])
    nan3 = (math.nan, math.nan, math.nan)
    fits = {}
    for key in EXPOSURES:
        sample = rows if key == "igos_in_force" else with_members
        counts = sample.assign(_g=sample[group].astype(int)).groupby("_g")[outcome].sum()
        if len(counts) < 2 or (counts == 0).any():
            fits[key] = nan3
            continue
        r = fit_poisson(sample, group, exposure=key, fixed_effects=fixed_effects, outcome=outcome).iloc[0]
        fits[key] = (float(r["irr"]), float(r["se"]), float(r["p_value"]))
    return Decomposition(*fits["igos_in_force"], *fits["memberships"], density_ratio=density,
                         raw_state=raw_state, raw_membership=raw_membership, n_obs=int(len(rows)),
                         n_states=int(rows["ccode"].nunique()), n_withdrawals=int(rows[outcome].sum()))


def compare_regimes(state_year: pd.DataFrame, period: tuple[int, int]) -> Decomposition:
    """Democracies against nondemocracies in ``period`` (first and last year): :func:`decompose` with decade effects.

    Parameters
    ----------
    state_year : DataFrame
        The state-year panel (:func:`state_year_panel`).
    period : tuple of int
        First and last year, inclusive.

    Returns
    -------
    Decomposition
    """
    return decompose(state_year[state_year["year"].between(*period)], "democracy", fixed_effects=("decade",))
