"""The count model: named exposures, several regressors, and the state-year panel that carries both exposures."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy.stats import norm

from backlash import countmodel


def _world(seed: int = 3, n_states: int = 150, beta: float = 0.4, exposure: str = "n_igos") -> pd.DataFrame:
    """Simulated state-years 1945-2014: democracies (40%) leave exp(beta) times as often per unit of
    ``exposure``; members hold more memberships when democratic, so the two exposures differ."""
    rng = np.random.default_rng(seed)
    years = np.arange(1945, 2015)
    ccode = np.repeat(np.arange(n_states), len(years))
    year = np.tile(years, n_states)
    dem = (rng.random(n_states) < 0.4).astype(int)[ccode]
    n_igos = np.interp(year, [1945, 2014], [60, 330]).round().astype(int)
    members = rng.binomial(n_igos, np.where(dem == 1, 0.5, 0.3))
    x = rng.normal(size=len(year))
    sy = pd.DataFrame({"ccode": ccode, "year": year, "decade": year // 10 * 10, "democracy": dem,
                       "polity2": 10.0 * dem - 3, "memberships_lag": members, "n_igos": n_igos, "x": x})
    sy["withdrawals"] = rng.poisson(sy[exposure] * np.exp(-5.0 + beta * dem))
    return sy


def _raw_ratio(sy: pd.DataFrame, column: str) -> float:
    """Democracies' raw rate over nondemocracies', withdrawals per unit of ``column``."""
    g = sy.groupby("democracy")[["withdrawals", column]].sum()
    return (g.loc[1, "withdrawals"] / g.loc[1, column]) / (g.loc[0, "withdrawals"] / g.loc[0, column])


@pytest.mark.parametrize("key", list(countmodel.EXPOSURES))
def test_each_exposure_recovers_its_own_rate_ratio(key):
    """When democracies leave exp(0.4) times as often per unit of an exposure, the model with that
    exposure recovers 0.4 within three clustered standard errors."""
    column = countmodel.EXPOSURES[key].column
    row = countmodel.fit_poisson(_world(exposure=column), "democracy", exposure=key).set_index("term").loc["democracy"]
    assert abs(row["coef"] - 0.4) < 3 * row["se"] and row["se"] < 0.15
    assert row["exposure"] == key


def test_without_fixed_effects_the_rate_ratio_is_a_ratio_of_sums_and_the_exposures_decompose():
    """With one binary regressor and no fixed effects the Poisson rate ratio is the ratio of raw rates, so
    the per-state ratio equals the per-membership ratio times the membership-density ratio, exactly."""
    sy = _world()
    rr = {k: countmodel.fit_poisson(sy, "democracy", exposure=k, fixed_effects=()).set_index("term")
          .loc["democracy", "irr"] for k in countmodel.EXPOSURES}
    assert rr["igos_in_force"] == pytest.approx(_raw_ratio(sy, "n_igos"), rel=1e-7)
    assert rr["memberships"] == pytest.approx(_raw_ratio(sy, "memberships_lag"), rel=1e-7)
    g = sy.groupby("democracy")[["memberships_lag", "n_igos"]].sum()
    density = (g.loc[1, "memberships_lag"] / g.loc[1, "n_igos"]) / (g.loc[0, "memberships_lag"] / g.loc[0, "n_igos"])
    assert rr["igos_in_force"] == pytest.approx(rr["memberships"] * density, rel=1e-7)


def test_interactions_report_every_term_and_recover_them():
    """``"democracy * x"`` reports democracy, x and their product (not the intercept or the decade effects),
    and recovers a known interaction."""
    sy = _world()
    rng = np.random.default_rng(5)
    sy["withdrawals"] = rng.poisson(sy["n_igos"] * np.exp(-5.0 + 0.3 * sy["democracy"] + 0.2 * sy["x"]
                                                          - 0.25 * sy["democracy"] * sy["x"]))
    out = countmodel.fit_poisson(sy, "democracy * x", exposure="igos_in_force").set_index("term")
    assert list(out.index) == ["democracy", "x", "democracy:x"]
    for term, truth in (("democracy", 0.3), ("x", 0.2), ("democracy:x", -0.25)):
        assert abs(out.loc[term, "coef"] - truth) < 3 * out.loc[term, "se"], term
    two = countmodel.fit_poisson(sy, ["democracy", "x"], exposure="igos_in_force")
    assert list(two["term"]) == ["democracy", "x"]


def test_p_value_is_a_wald_z_test_on_the_clustered_se():
    """The p-value is 2(1 - Phi(|coef / se|)) and the interval exp(coef +- 1.96 se)."""
    row = countmodel.fit_poisson(_world(), "democracy", exposure="memberships").iloc[0]
    assert row["z"] == pytest.approx(row["coef"] / row["se"])
    assert row["p_value"] == pytest.approx(2 * norm.sf(abs(row["coef"] / row["se"])))
    assert row["ci_low"] == pytest.approx(np.exp(row["coef"] - norm.ppf(0.975) * row["se"]))


def test_the_old_model_is_reachable_unchanged():
    """fit_count_model(data, var) is the model the package always fitted (membership offset, decade
    effects, SEs clustered by state), checked against a direct statsmodels formula fit."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    sy = _world(exposure="memberships_lag")
    sy.loc[sy.index[:50], "democracy"] = np.nan
    got = countmodel.fit_count_model(sy, "democracy")
    data = sy.loc[(sy["memberships_lag"] > 0) & sy["democracy"].notna()].reset_index(drop=True)
    fit = smf.glm("withdrawals ~ democracy + C(decade)", data=data, family=sm.families.Poisson(),
                  offset=np.log(data["memberships_lag"])).fit(cov_type="cluster",
                                                              cov_kwds={"groups": data["ccode"].to_numpy()})
    assert got["coef"] == pytest.approx(fit.params["democracy"], rel=1e-9)
    assert got["se"] == pytest.approx(fit.bse["democracy"], rel=1e-9)
    assert got["n_obs"] == len(data) and got["n_withdrawals"] == data["withdrawals"].sum()
    assert set(countmodel.count_model(sy)["term"]) == {"democracy", "polity2"}


def test_rows_without_exposure_or_a_value_are_dropped():
    """State-years with no exposure or a missing regressor leave the sample; the others stay."""
    sy = _world()
    sy.loc[sy.index[:70], "memberships_lag"] = 0
    sy["democracy"] = sy["democracy"].astype("Int64")
    sy.loc[sy.index[70:100], "democracy"] = pd.NA
    by_members = countmodel.fit_poisson(sy, "democracy", exposure="memberships").iloc[0]
    by_igos = countmodel.fit_poisson(sy, "democracy", exposure="igos_in_force").iloc[0]
    assert by_members["n_obs"] == len(sy) - 100
    assert by_igos["n_obs"] == len(sy) - 30


def test_unknown_exposure_is_refused_with_the_list():
    with pytest.raises(ValueError, match="unknown exposure 'states'.*igos_in_force, memberships"):
        countmodel.fit_poisson(_world(), "democracy", exposure="states")


def test_every_exposure_says_what_it_answers():
    """Each exposure is declared once with its column, its rate in words and the question it answers;
    the paper's own rates are those of Figure 1(a)."""
    for key, e in countmodel.EXPOSURES.items():
        assert e.key == key and e.rate and e.question.endswith((".", "?"))
    assert countmodel.EXPOSURES[countmodel.PAPER_EXPOSURE].column == "n_igos"


def test_state_year_panel_carries_both_exposures():
    """Memberships in t-1 come from the membership panel; IGOs in force are the year's count for every
    state; a year missing from the IGO panel is an error that says how to fix it."""
    regime = pd.DataFrame({"ccode": [2, 2, 20], "year": [2000, 2001, 2001], "polity2": [10, 10, -5],
                           "democracy": [1, 1, 0]})
    panel = pd.DataFrame({"ccode": [2, 2, 2, 20], "year": [2000, 2000, 2001, 2000], "status": [1, 1, 1, 1]})
    w = pd.DataFrame({"ccode": [2], "year": [2001]})
    igo = pd.DataFrame({"year": [2000, 2001], "n_igos": [300, 310]})
    sy = countmodel.state_year_panel(panel, w, regime, igo).set_index(["ccode", "year"])
    assert sy.loc[(2, 2001), "memberships_lag"] == 2 and sy.loc[(20, 2001), "memberships_lag"] == 1
    assert sy.loc[(2, 2000), "n_igos"] == 300 and sy.loc[(20, 2001), "n_igos"] == 310
    assert sy.loc[(2, 2001), "withdrawals"] == 1
    with pytest.raises(ValueError, match="no count of IGOs in force.*2001.*make all"):
        countmodel.state_year_panel(panel, w, regime, igo.iloc[:1])


def test_decomposition_identity_exact_for_raw_rates_and_close_with_decade_effects():
    """Per state and IGO in force = per membership x membership density: exactly for the raw rates, and the
    same as the fitted ratios without fixed effects; with decade effects only approximately."""
    sy = _world()
    d = countmodel.decompose(sy)
    assert d.raw_state == pytest.approx(d.raw_membership * d.density_ratio, rel=1e-12)
    assert d.raw_state == pytest.approx(_raw_ratio(sy, "n_igos"), rel=1e-12)
    g = sy.groupby("democracy")[["memberships_lag", "n_igos"]].sum()
    assert d.density_ratio == pytest.approx((g.loc[1, "memberships_lag"] / g.loc[1, "n_igos"])
                                            / (g.loc[0, "memberships_lag"] / g.loc[0, "n_igos"]))
    plain = countmodel.decompose(sy, fixed_effects=())
    assert plain.irr_state == pytest.approx(plain.raw_state, rel=1e-7)
    assert plain.irr_membership == pytest.approx(plain.raw_membership, rel=1e-7)
    assert d.irr_state == pytest.approx(d.irr_membership * d.density_ratio, rel=0.05)
    assert d.n_withdrawals == sy["withdrawals"].sum() and d.n_obs == len(sy)


def test_decomposition_without_withdrawals_in_a_group_has_no_fitted_ratio():
    """A group with no withdrawal has no finite rate ratio: the fitted ratios are NaN, the raw ones 0."""
    sy = _world()
    sy.loc[sy["democracy"] == 1, "withdrawals"] = 0
    d = countmodel.decompose(sy)
    assert np.isnan(d.irr_state) and np.isnan(d.p_state) and np.isnan(d.irr_membership)
    assert d.raw_state == 0 and d.raw_membership == 0


@pytest.mark.parametrize("terms", ["democracy", "polity2", "democracy * polity2"])
def test_the_fast_fit_is_statsmodels_on_the_real_panel(terms):
    """fit_poisson's own IRLS gives statsmodels' Poisson GLM with cluster-robust errors on the built
    state-year panel, under each exposure, for a plain term and an interaction (through patsy): the
    coefficients, standard errors and p-values agree to 1e-9."""
    import pandas as pd
    from scipy.stats import norm

    from backlash import paths

    sy = pd.read_csv(paths.STATE_YEAR_PANEL)
    for key, exposure in countmodel.EXPOSURES.items():
        got = countmodel.fit_poisson(sy, terms, exposure=key).set_index("term")
        frame = sy.loc[sy[exposure.column] > 0].dropna(subset=["decade"])
        y, x = countmodel._design(frame, "withdrawals", [terms])
        kept = frame.loc[y.index]
        x = pd.concat([x, pd.get_dummies(kept["decade"], prefix="d", drop_first=True, dtype=float)], axis=1)
        params, cov = countmodel._statsmodels_fit(y.to_numpy(float).ravel(), x.to_numpy(float),
                                                  np.log(kept[exposure.column].to_numpy(float)),
                                                  pd.factorize(kept["ccode"])[0])
        bse = np.sqrt(np.diag(cov))
        for i, name in enumerate(x.columns[1:len(got) + 1]):
            assert got.loc[name, "coef"] == pytest.approx(params[i + 1], rel=1e-9), (key, name)
            assert got.loc[name, "se"] == pytest.approx(bse[i + 1], rel=1e-9), (key, name)
            assert got.loc[name, "p_value"] == pytest.approx(2 * norm.sf(abs(params[i + 1] / bse[i + 1])),
                                                             rel=1e-7, abs=1e-15), (key, name)


def test_a_fit_that_does_not_converge_is_left_to_statsmodels(monkeypatch):
    """Where the fast fit does not converge (here allowed one step) the model is fitted by statsmodels,
    whose answer is the fast fit's own when it may converge."""
    rng = np.random.default_rng(5)
    x = np.column_stack([np.ones(400), rng.normal(size=400)])
    y = rng.poisson(np.exp(0.2 + 0.3 * x[:, 1])).astype(float)
    groups = np.repeat(np.arange(40), 10)
    calls = []
    slow = countmodel._statsmodels_fit
    monkeypatch.setattr(countmodel, "_statsmodels_fit", lambda *a: calls.append(1) or slow(*a))
    cut = countmodel._poisson_fit(y, x, np.zeros(400), groups, max_iter=1)
    assert calls == [1]
    full = countmodel._poisson_fit(y, x, np.zeros(400), groups)
    assert calls == [1]
    np.testing.assert_allclose(cut[0], full[0], rtol=1e-8)
    np.testing.assert_allclose(cut[1], full[1], rtol=1e-8)
