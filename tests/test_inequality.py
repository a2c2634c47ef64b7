"""Beyond the paper: the SWIID on COW state-years (crosswalk, coverage) and the test of the mechanism.

The data-layer tests read the verified raw files and the committed crosswalk; the model tests compare
the pipeline's estimates with an independent statsmodels fit and Rubin's rules with a hand calculation,
and change the data (the withdrawals of unequal democracies, a shuffled Gini) to see the verdict change.
"""

from __future__ import annotations

import json
import math
import os
import re
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pytest

from backlash import democracy, inequality, mechanism, paths, raw, report, withdrawal
from backlash.data import system_membership


@pytest.fixture(scope="module")
def swiid():
    return raw.read_swiid()


@pytest.fixture(scope="module")
def states():
    return raw.read_states()


@pytest.fixture(scope="module")
def crosswalk():
    return inequality.tidy_crosswalk(pd.read_csv(paths.SWIID_CROSSWALK, dtype=str, keep_default_na=False))


@pytest.fixture(scope="module")
def built(swiid, crosswalk, states):
    return inequality.inequality_panel(swiid, crosswalk, states)


# --------------------------------------------------------------------------- the raw file and the crosswalk
def test_swiid_values_read_back_by_hand(swiid, built):
    """Values read off the raw file by hand: the USA in 2000 has gini_mkt 49.3 (SE 0.56) and gini_disp 37.0,
    Sweden in 1990 gini_mkt 44.7; the file has 6,628 rows and 199 names, 1960-2025; the panel carries
    the same values on the COW state-year."""
    assert len(swiid) == 6628 and swiid["country"].nunique() == 199
    assert (swiid["year"].min(), swiid["year"].max()) == (1960, 2025)
    usa = swiid[(swiid["country"] == "United States") & (swiid["year"] == 2000)].iloc[0]
    assert (usa["gini_mkt"], usa["gini_mkt_se"], usa["gini_disp"]) == (49.3, 0.56, 37.0)
    panel, _ = built
    row = panel[(panel["ccode"] == 2) & (panel["year"] == 2000)].iloc[0]
    assert (row["swiid_country"], row["gini_mkt"], row["gini_mkt_se"], row["gini_disp"]) == (
        "United States", 49.3, 0.56, 37.0)
    sweden = panel[(panel["ccode"] == 380) & (panel["year"] == 1990)].iloc[0]
    assert sweden["gini_mkt"] == 44.7


def test_crosswalk_is_complete_and_explained(swiid, crosswalk, states):
    """Every SWIID name is mapped to a COW code (with COW's own name for it) or dropped as never a COW
    state, and every match that is not by the same name gives a reason."""
    inequality.check_crosswalk(crosswalk, swiid["country"].unique(), states)
    assert set(crosswalk["swiid_country"]) == set(swiid["country"])
    unexplained = crosswalk[(crosswalk["match"] != inequality.SAME_NAME) & (crosswalk["reason"].str.strip() == "")]
    assert unexplained.empty
    dropped = crosswalk[crosswalk["ccode"].isna()]
    assert set(dropped["swiid_country"]) == {"Anguilla", "Greenland", "Hong Kong", "Palestinian Territories",
                                             "Puerto Rico", "Turks and Caicos Islands"}
    assert (dropped["match"] == inequality.NOT_A_STATE).all()


@pytest.mark.parametrize("name, year, ccode", [
    ("Germany", 1985, 260), ("Germany", 1990, 260), ("Germany", 1991, 255), ("Germany", 2005, 255),
    ("Soviet Union", 1985, 365), ("Russia", 1995, 365), ("Russia", 1990, None), ("Korea", 2000, 732),
    ("Yugoslavia", 1985, 345), ("Serbia", 2000, 345), ("Vietnam", 2000, 816), ("Yemen", 2000, 679),
    ("Sudan", 2014, 625), ("South Sudan", 2012, 626), ("Czechoslovakia", 1985, 315), ("Czech Republic", 2000, 316),
    ("Côte d'Ivoire", 2000, 437), ("Congo-Kinshasa", 2010, 490), ("Eswatini", 2000, 572), ("Hong Kong", 2000, None),
    ("United States", 2000, 2),
])
def test_hand_checked_matches(swiid, crosswalk, name, year, ccode):
    """Hand-checked COW codes: West Germany (260) to 1990 and Germany (255) from 1991; the Soviet Union and
    Russia on COW's one code 365 (Russia's rows before 1992 dropped); SWIID's Korea is South Korea (732, not
    COW's 'Korea' 730 of 1887-1905); Yugoslavia and Serbia on 345; unified Vietnam and Yemen on 816 and 679;
    Sudan on 625 after South Sudan's secession; territories with no code."""
    rows = inequality.matched_rows(swiid, crosswalk)
    row = rows[(rows["country"] == name) & (rows["year"] == year)].iloc[0]
    assert (None if pd.isna(row["ccode"]) else int(row["ccode"])) == ccode


def test_no_cow_state_year_is_matched_twice(built):
    """The panel has one row per COW member-year 1960-2014 and every SWIID row lands on at most one of them."""
    panel, rows = built
    assert not panel.duplicated(["ccode", "year"]).any()
    assert sum(v for k, v in rows.items() if k != "total") == rows["total"] == 6628


def test_overlapping_or_colliding_rows_are_refused(swiid, crosswalk, states):
    """A crosswalk whose rows for one name overlap in years, or that sends two names to one COW state-year
    (Russia's rows of 1988-1991 without their year limit, on the Soviet Union's code), stops with a message
    naming the problem."""
    overlap = crosswalk.copy()
    overlap.loc[(overlap["swiid_country"] == "Germany") & (overlap["ccode"] == 255), "first_year"] = 1990
    with pytest.raises(ValueError, match="overlap"):
        inequality.check_crosswalk(overlap, swiid["country"].unique(), states)
    collide = crosswalk.copy()
    collide.loc[collide["swiid_country"] == "Russia", "first_year"] = pd.NA
    with pytest.raises(ValueError, match=r"twice: 365 in 1988 \(Russia\)"):
        inequality.inequality_panel(swiid, collide, states)


@pytest.mark.parametrize("change, message", [
    (lambda c: c[c["swiid_country"] != "Kenya"], "'Kenya' has no row"),
    (lambda c: c.assign(cow_name=np.where(c["swiid_country"] == "Kenya", "Kenia", c["cow_name"])), "not 'Kenia'"),
    (lambda c: c.assign(reason=np.where(c["swiid_country"] == "Korea", "", c["reason"])), "needs a reason"),
    (lambda c: c.assign(ccode=c["ccode"].where(c["swiid_country"] != "Kenya", 999)), "999 is not a COW"),
    (lambda c: c.assign(match=np.where(c["swiid_country"] == "Kenya", "guess", c["match"])), "'guess' is not one"),
])
def test_bad_crosswalk_is_refused(swiid, crosswalk, states, change, message):
    """A missing name, a misspelt COW name, an unexplained match, an unknown code or an unknown kind of match
    stops the build with a message that names the row."""
    with pytest.raises(ValueError, match=message):
        inequality.check_crosswalk(change(crosswalk), swiid["country"].unique(), states)


def test_coverage_numbers_against_an_independent_count(swiid, crosswalk, states, built):
    """The coverage report's counts equal a count made here with plain Python (a dict from name and year to
    COW code, a loop over COW's membership spells): member-years 1960-2014, those with a market Gini, the
    states that never get one (12: ten with no SWIID series, such as Cuba, North Korea, the GDR and the two
    Yemens, and Brunei and the Marshall Islands, whose series miss their member-years)."""
    panel, rows = built
    cov = inequality.coverage(panel, rows, crosswalk, states)
    code = {}
    for r in crosswalk.itertuples():
        if pd.isna(r.ccode):
            continue
        lo = 0 if pd.isna(r.first_year) else int(r.first_year)
        hi = 9999 if pd.isna(r.last_year) else int(r.last_year)
        code[r.swiid_country] = code.get(r.swiid_country, []) + [(lo, hi, int(r.ccode))]
    has = set()
    for r in swiid.itertuples():
        for lo, hi, c in code.get(r.country, []):
            if lo <= r.year <= hi:
                has.add((c, r.year))
    member = {(int(s.ccode), y) for s in states.itertuples()
              for y in range(max(int(s.styear), 1960), min(int(s.endyear), 2014) + 1)}
    assert cov["member_years"] == len(member) == 9019
    assert cov["with_gini_mkt"] == len(member & has) == 5146
    never = {c for c, _ in member} - {c for c, _ in member & has}
    assert {s["ccode"] for s in cov["states_never"]} == never
    assert (cov["never_no_series"], cov["never_outside_years"]) == (10, 2)
    assert {"Cuba", "North Korea", "German Democratic Republic", "Yemen Arab Republic",
            "Republic of Vietnam"} <= {s["name"] for s in cov["states_never"]}
    shares = [d["share"] for _, d in sorted(cov["by_decade"].items())]
    assert shares[0] < 0.2 < 0.8 < shares[-1]  # sparse in the 1960s, near full from the 2000s


# --------------------------------------------------------------------------- the model
@pytest.fixture(scope="module")
def state_year():
    return pd.read_csv(paths.STATE_YEAR_PANEL)


@pytest.fixture(scope="module")
def panel():
    return pd.read_csv(paths.INEQUALITY_PANEL)


@pytest.fixture(scope="module")
def models():
    return pd.read_csv(paths.INEQUALITY_MODELS)


def test_estimates_match_a_direct_statsmodels_fit(state_year, panel, models):
    """The pipeline's slopes (on the SWIID's values) equal a Poisson GLM fitted here on a frame built by
    hand: withdrawals on democracy x the market Gini of t-1 (per 10 points), decade effects, log IGOs in
    force as offset, SEs clustered by state. In that parametrization the interaction is the difference of
    the two regimes' slopes, and the slope in nondemocracies is the main effect."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    meta = json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8"))
    lagged = panel[["ccode", "year", "gini_mkt"]].copy()
    lagged["year"] += 1
    d = state_year.merge(lagged, on=["ccode", "year"]).dropna(subset=["gini_mkt", "democracy"])
    d = d[d["n_igos"] > 0].reset_index(drop=True)
    d["g"] = d["gini_mkt"] / 10
    fit = smf.glm("withdrawals ~ g * democracy + C(decade)", d, family=sm.families.Poisson(),
                  offset=np.log(d["n_igos"])).fit(cov_type="cluster", cov_kwds={"groups": d["ccode"]})
    ours = mechanism.select(models, exposure="igos_in_force", rule=meta["rule"], measure=meta["measure"], draws=0)
    assert ours.loc["nondemocracies", "coef"] == pytest.approx(fit.params["g"], rel=1e-6)
    assert ours.loc["difference", "coef"] == pytest.approx(fit.params["g:democracy"], rel=1e-6)
    assert ours.loc["difference", "se"] == pytest.approx(fit.bse["g:democracy"], rel=1e-6)
    assert ours.loc["democracies", "coef"] == pytest.approx(fit.params["g"] + fit.params["g:democracy"], rel=1e-6)
    v = fit.cov_params()
    se_dem = math.sqrt(v.loc["g", "g"] + v.loc["g:democracy", "g:democracy"] + 2 * v.loc["g", "g:democracy"])
    assert ours.loc["democracies", "se"] == pytest.approx(se_dem, rel=1e-6)
    assert int(ours.loc["democracies", "n_obs"]) == len(d)


def _fake_fit(coef: float, var: float):
    names = pd.Index(["Intercept", "x"])
    params = pd.Series([0.5, coef], index=names)
    cov = pd.DataFrame([[0.01, 0.0], [0.0, var]], index=names, columns=names)
    return SimpleNamespace(params=params, cov=cov)


def test_rubins_rules_against_a_hand_calculation():
    """Three draws with estimates 1.0, 1.2, 0.8 and variances 0.04, 0.05, 0.06: W = 0.05, B = 0.04,
    T = W + (1 + 1/3) B = 0.10333, r = (4/3) B / W = 1.0667, df = (m - 1)(1 + 1/r)^2 = 7.508; the p-value
    and the interval use Student's t with those degrees of freedom. One draw gives the fit itself and the normal."""
    from scipy import stats

    pooled = mechanism.pool([_fake_fit(1.0, 0.04), _fake_fit(1.2, 0.05), _fake_fit(0.8, 0.06)])
    c = pooled.contrast(pd.Series({"x": 1.0}))
    t_var = 0.05 + (1 + 1 / 3) * 0.04
    df = 2 * (1 + 0.05 / ((4 / 3) * 0.04)) ** 2
    assert c["coef"] == pytest.approx(1.0)
    assert c["se"] == pytest.approx(math.sqrt(t_var))
    assert c["df"] == pytest.approx(df) and df == pytest.approx(7.5078, abs=1e-4)
    assert c["p_value"] == pytest.approx(2 * stats.t.sf(1.0 / math.sqrt(t_var), df))
    assert c["ci_high"] - c["coef"] == pytest.approx(stats.t.ppf(0.975, df) * math.sqrt(t_var))
    one = mechanism.pool([_fake_fit(1.0, 0.04)]).contrast(pd.Series({"x": 1.0}))
    assert (one["se"], one["df"]) == (pytest.approx(0.2), math.inf)
    assert one["p_value"] == pytest.approx(2 * stats.norm.sf(5.0))


def test_draws_are_seeded_and_centred(panel):
    """The same seed gives the same draws, another seed others; the draws are centred on the SWIID's values
    with its standard errors as their spread."""
    a, b = mechanism.draw_values(panel, 4, 7), mechanism.draw_values(panel, 4, 7)
    assert all(np.array_equal(a[k], b[k], equal_nan=True) for k in a)
    assert not np.array_equal(a["gini_mkt"], mechanism.draw_values(panel, 4, 8)["gini_mkt"], equal_nan=True)
    many = mechanism.draw_values(panel, 400, 1)["gini_mkt"]
    has = panel["gini_mkt"].notna().to_numpy()
    z = (many[:, has] - panel["gini_mkt"].to_numpy()[has]) / panel["gini_mkt_se"].to_numpy()[has]
    assert abs(z.mean()) < 0.01 and abs(z.std() - 1) < 0.01


def test_pooled_curve_brackets_the_prediction(models, panel, state_year):
    """The figure's curves: each band contains its predicted rate, and democracies' predicted rate rises or
    falls with inequality as their pooled rate ratio is above or below one."""
    curve = pd.read_csv(paths.INEQUALITY_CURVE)
    assert ((curve["low"] < curve["rate"]) & (curve["rate"] < curve["high"])).all()
    meta = json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8"))
    for exposure, part in curve.groupby("exposure"):
        dem = part[part["regime"] == "democracies"]
        irr = mechanism.select(models, exposure=exposure, rule=meta["rule"], measure=meta["measure"],
                               draws=0).loc["democracies", "irr"]
        assert np.sign(np.diff(dem["rate"].to_numpy())).mean() == pytest.approx(np.sign(irr - 1))


# --------------------------------------------------------------------------- the verdict follows the numbers
@pytest.mark.parametrize("irr, lo, hi, p, sign, status", [
    (1.5, 1.2, 1.9, 0.001, 1, "holds"),
    (0.7, 0.5, 0.9, 0.01, 1, "does not hold"),       # significant, the wrong way
    (1.02, 0.95, 1.1, 0.6, 1, "does not hold"),      # rules out a rate ratio of 1.2
    (1.2, 0.97, 1.49, 0.10, 1, "cannot tell"),
    (0.7, 0.5, 0.9, 0.01, -1, "holds"),              # a predicted decrease
    (1.33, 1.09, 1.63, 0.006, -1, "does not hold"),
    (0.9, 0.7, 1.1, 0.3, -1, "cannot tell"),
])
def test_judge(irr, lo, hi, p, sign, status):
    """The one verdict rule with the margin 1.2: holds when the 95% interval lies on the predicted side of 1; does
    not hold when it lies on the other side, or wholly short of 1.2 (1/1.2 for a predicted decrease); otherwise
    cannot tell."""
    row = {"irr": irr, "ci_low": lo, "ci_high": hi, "p_value": p}
    assert mechanism.judge(row, sign).status == status


def _sentence(state_year, panel):
    frame = mechanism.analysis_frame(state_year, panel)
    pooled, point = mechanism.estimate(frame, exposure="igos_in_force")
    est = pd.DataFrame(mechanism.result_rows(pooled, point, mechanism.MAIN, exposure="igos_in_force"))
    return mechanism.mechanism_sentence(est.set_index("quantity"))


def test_an_estimate_without_its_exposure_is_refused(state_year, panel):
    """A verdict sentence names the rate it compares, so an estimate that does not record its exposure is
    refused with a message that says how to give it, not read as per state and IGO in force; given, the
    sentence names that rate."""
    frame = mechanism.analysis_frame(state_year, panel)
    pooled, point = mechanism.estimate(frame, exposure="memberships")
    bare = pd.DataFrame(mechanism.result_rows(pooled, point, mechanism.MAIN)).set_index("quantity")
    with pytest.raises(ValueError, match=r"does not record its exposure.*pass exposure="):
        mechanism.mechanism_sentence(bare)
    assert "per membership" in mechanism.mechanism_sentence(bare, exposure="memberships")
    assert "per state and IGO in force" not in mechanism.mechanism_sentence(bare, exposure="memberships")


def test_the_verdict_changes_when_the_data_do(state_year, panel):
    """Change the data and the words change: tripling the withdrawals of democracies whose lagged market
    Gini is above the median makes the prediction hold; removing them makes it fail (significantly the
    other way); shuffling the Gini across state-years leaves no support."""
    lagged = panel[["ccode", "year", "gini_mkt"]].assign(year=panel["year"] + 1)
    x = state_year.merge(lagged, on=["ccode", "year"], how="left", validate="one_to_one")
    unequal_dem = ((x["gini_mkt"] > x["gini_mkt"].median()) & (x["democracy"] == 1)).to_numpy()
    more = state_year.copy()
    more.loc[unequal_dem, "withdrawals"] *= 3
    assert _sentence(more, panel).startswith("The prediction holds: among democracies")
    none = state_year.copy()
    none.loc[unequal_dem, "withdrawals"] = 0
    assert "the opposite of the prediction" in _sentence(none, panel)
    shuffled = panel.copy()
    has = shuffled["gini_mkt"].notna()
    shuffled.loc[has, "gini_mkt"] = np.random.default_rng(0).permutation(shuffled.loc[has, "gini_mkt"].to_numpy())
    assert not _sentence(state_year, shuffled).startswith("The prediction holds")


def test_report_words_follow_the_estimates(models):
    """The report's sentence, table verdicts and counts come from the estimates: make democracies' slope
    large and precise in every row and they all say the prediction holds."""
    robustness = pd.read_csv(paths.INEQUALITY_ROBUSTNESS)
    coverage = json.loads(paths.INEQUALITY_COVERAGE.read_text(encoding="utf-8"))
    numbers = json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8"))

    def strong(frame):
        out = frame.copy()
        dem = out["quantity"] == "democracies"
        out.loc[dem, ["irr", "ci_low", "ci_high", "p_value"]] = [2.0, 1.5, 2.6, 1e-4]
        return out

    words = report.inequality_variables(strong(models), strong(robustness), coverage, numbers)
    assert words["sentence"].startswith("The prediction holds")
    # the abstract's finding too
    assert words["abstract"].startswith("On whether democracies with a higher market-income Gini withdraw more "
                                        "often, the prediction holds: among democracies")
    assert "2.00 times as high" in words["abstract"]
    # every observable's verdict at other margins, from its own estimate
    assert words["margins_others"].startswith("for the disposable-income Gini, at a margin of 1.10 “holds”, 1.20 "
                                              "“holds” and 1.30 “holds”")
    assert words["margins_others"] != report.inequality_variables(models, robustness, coverage, numbers)[
        "margins_others"]
    assert mechanism.abstract_sentence(mechanism.select(strong(models), observable="abs_red", exposure="igos_in_force",
                                                        draws=0, rule=numbers["rule"], measure=numbers["measure"]),
                                       "abs_red").startswith("On whether democracies with a higher ")
    base = report.inequality_variables(models, robustness, coverage, numbers)["abstract"]
    assert base != words["abstract"] and "2.00 times" not in base
    combinations = str(len(withdrawal.RULES) + len(democracy.MEASURES) - 1)  # every rule, and every other measure
    assert words["igos_in_force"]["holds"] == words["igos_in_force"]["total"] == combinations
    table = report.inequality_table_md(strong(models).query("observable == 'gini_mkt'"))
    assert "cannot tell" not in table
    # the correlated-random-effects rows are a sensitivity: their verdict says so, the main rows' does not
    for line in table.splitlines()[2:]:
        assert ("| sensitivity: holds |" in line) == ("| mundlak |" in line), line
    actual = report.inequality_variables(models, robustness, coverage, numbers)
    assert actual["sentence"] == mechanism.mechanism_sentence(mechanism.select(
        models, exposure="igos_in_force", rule=numbers["rule"], measure=numbers["measure"], draws=0))


def _set(models, mask, values):
    out = models.copy()
    out.loc[mask & (out["quantity"] == "democracies"), ["irr", "ci_low", "ci_high", "p_value"]] = values
    return out


def test_main_estimate_is_the_point_fit_and_the_draws_a_sensitivity(models):
    """The verdict rests on the fit on the SWIID's point values: make only the draws' rows strong and the main
    sentence does not change, while the draws' own verdict, reported beside it, says "holds". (Before, the
    sentence rested on the independent draws.)"""
    robustness = pd.read_csv(paths.INEQUALITY_ROBUSTNESS)
    coverage = json.loads(paths.INEQUALITY_COVERAGE.read_text(encoding="utf-8"))
    numbers = json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8"))
    base = report.inequality_variables(models, robustness, coverage, numbers)
    drawn = _set(models, models["draws"] > 0, [2.0, 1.5, 2.6, 1e-4])
    words = report.inequality_variables(drawn, robustness, coverage, numbers)
    assert words["sentence"] == base["sentence"]
    assert words["igos_in_force"]["status_draws"] == "holds" and words["country"]["status"] == "holds"
    assert set(models["draw_unit"]) == {"none", "country-year", "country"}


def test_mundlak_rows_are_a_correlated_random_effects_fit(state_year, panel, models):
    """The "mundlak" rows are Mundlak's correlated-random-effects model: the pooled Poisson model with the
    state means (over the sample's state-years) of the Gini by regime, the democracy indicator and the decade
    dummies as regressors, on every state; a statsmodels GLM fitted here on a frame built by hand gives the
    same slopes and clustered SEs (before, the Gini was demeaned and its "mean" multiplied by the regime, a
    different model, 2.88 against about 1.5 here)."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    meta = json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8"))
    lagged = panel[["ccode", "year", "gini_mkt"]].assign(year=panel["year"] + 1)
    d = state_year.merge(lagged, on=["ccode", "year"]).dropna(subset=["gini_mkt", "democracy"])
    d = d[d["n_igos"] > 0].reset_index(drop=True)
    d["g_dem"] = d["gini_mkt"] / 10 * d["democracy"]
    d["g_non"] = d["gini_mkt"] / 10 * (1 - d["democracy"])
    decades = sorted(d["decade"].unique())[1:]
    for dec in decades:
        d[f"dec{dec}"] = (d["decade"] == dec).astype(float)
    means = ["g_dem", "g_non", "democracy", *(f"dec{dec}" for dec in decades)]
    for c in means:
        d[f"m_{c}"] = d.groupby("ccode")[c].transform("mean")
    formula = "withdrawals ~ g_dem + g_non + democracy + C(decade) + " + " + ".join(f"m_{c}" for c in means)
    fit = smf.glm(formula, d, family=sm.families.Poisson(), offset=np.log(d["n_igos"])).fit(
        cov_type="cluster", cov_kwds={"groups": d["ccode"]})
    ours = mechanism.select(models, specification="mundlak", exposure="igos_in_force", rule=meta["rule"],
                            measure=meta["measure"], draws=0)
    assert ours.loc["democracies", "coef"] == pytest.approx(fit.params["g_dem"], rel=1e-6)
    assert ours.loc["democracies", "se"] == pytest.approx(fit.bse["g_dem"], rel=1e-5)
    assert ours.loc["nondemocracies", "coef"] == pytest.approx(fit.params["g_non"], rel=1e-6)
    assert int(ours.loc["democracies", "n_states"]) == d["ccode"].nunique()


def test_within_verdict_follows_the_fixed_effects_estimate(models):
    """The within-state verdict follows the state-fixed-effects estimate, not the correlated-random-effects
    (Mundlak) one: a strong Mundlak row with a weak fixed-effects row says "cannot tell" within states, and the
    reverse says "holds" (before, the Mundlak estimate alone decided, and read "holds")."""
    robustness = pd.read_csv(paths.INEQUALITY_ROBUSTNESS)
    coverage = json.loads(paths.INEQUALITY_COVERAGE.read_text(encoding="utf-8"))
    numbers = json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8"))
    within, mundlak = models["specification"] == "within", models["specification"] == "mundlak"
    weak_fe = _set(_set(models, mundlak, [2.9, 2.0, 4.1, 1e-8]), within, [1.36, 0.97, 1.92, 0.074])
    text = report.inequality_variables(weak_fe, robustness, coverage, numbers)["within"]["sentence"]
    assert "these data cannot tell within states" in text and "a different verdict (holds)" in text
    strong_fe = _set(_set(models, mundlak, [1.1, 0.9, 1.3, 0.4]), within, [1.5, 1.2, 1.9, 0.001])
    text = report.inequality_variables(strong_fe, robustness, coverage, numbers)["within"]["sentence"]
    assert "the prediction holds within states" in text and "a different verdict (cannot tell)" in text


def test_margin_sensitivity_follows_the_interval():
    """The margin only separates "does not hold" from "cannot tell", and the sensitivity line says what each
    margin gives: an interval up to 1.25 does not hold at a margin of 1.3 but cannot tell at 1.1 and 1.2."""
    row = {"irr": 1.09, "ci_low": 0.95, "ci_high": 1.25, "p_value": 0.2}
    line = mechanism.margin_sentence(row, +1)
    assert line == "at a margin of 1.10 “cannot tell”, 1.20 “cannot tell” and 1.30 “does not hold”"
    assert "1.30 “cannot tell”" in mechanism.margin_sentence({**row, "ci_high": 1.35}, +1)
    assert mechanism.margin_sentence(row, -1).startswith("at a margin of 0.91")


def test_fixed_effects_fit_matches_a_dummy_variable_glm():
    """The concentrated fixed-effects Poisson fit equals statsmodels' Poisson GLM with one dummy per state:
    slopes and clustered standard errors, on a simulated panel (states with withdrawals only)."""
    from backlash import countmodel

    rng = np.random.default_rng(11)
    states, years = 25, 30
    frame = pd.DataFrame({"ccode": np.repeat(np.arange(states), years), "year": np.tile(np.arange(1980, 2010), states)})
    frame["decade"] = frame["year"] // 10 * 10
    frame["n_igos"] = rng.integers(20, 60, len(frame))
    frame["democracy"] = (rng.random(len(frame)) < 0.5).astype(float)
    frame["x_dem"] = rng.normal(size=len(frame)) * frame["democracy"]
    frame["x_nondem"] = rng.normal(size=len(frame)) * (1 - frame["democracy"])
    effect = np.repeat(rng.normal(size=states), years)
    frame["withdrawals"] = rng.poisson(0.004 * frame["n_igos"] * np.exp(effect + 0.3 * frame["x_dem"]))
    frame = mechanism.fe_sample(frame, "igos_in_force")
    terms = ["democracy", "x_dem", "x_nondem"]
    ours = mechanism.poisson_fe_fit(frame, terms, exposure="igos_in_force")
    ref = countmodel.poisson_fit(frame, terms, exposure="igos_in_force", fixed_effects=("decade", "ccode"))
    for t in terms:
        assert ours.params[t] == pytest.approx(ref.params[t], rel=1e-7, abs=1e-9)
        assert np.sqrt(ours.cov.loc[t, t]) == pytest.approx(np.sqrt(ref.cov.loc[t, t]), rel=1e-6)
    with pytest.raises(ValueError, match="needs a withdrawal"):
        mechanism.poisson_fe_fit(frame.assign(withdrawals=frame["withdrawals"] * (frame["ccode"] != frame["ccode"].iloc[0])),
                                 terms, exposure="igos_in_force")


def test_country_draws_shift_every_year_of_a_country_alike(panel):
    """A country-level draw moves all of a country's years by the same number of its standard errors; an
    independent draw does not."""
    rows = panel[panel["gini_mkt_se"] > 0]
    z = {}
    for unit in ("country", "country-year"):
        d = mechanism.draw_values(rows, 2, 7, unit=unit)["gini_mkt"]
        z[unit] = pd.Series((d[0] - rows["gini_mkt"].to_numpy()) / rows["gini_mkt_se"].to_numpy()).groupby(
            rows["ccode"].to_numpy()).std().dropna()
    assert z["country"].max() < 1e-9 and z["country-year"].min() > 0
    with pytest.raises(ValueError, match="per country"):
        mechanism.draw_values(rows, 2, 7, unit="decade")


def test_worked_example_runs(tmp_path):
    """examples/inequality_exit.py uses the library from a script: the crosswalk, a model with another lag,
    draws pooled by Rubin's rules with the verdict in words, and the figure's plot function."""
    res = subprocess.run([sys.executable, str(paths.ROOT / "examples/inequality_exit.py"), str(tmp_path)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert res.returncode == 0, res.stderr
    assert "2 years before" in res.stdout
    assert (tmp_path / "inequality_lag2.png").stat().st_size > 10_000


def test_country_draws_are_absorbed_within_states_only_when_constant(state_year, panel):
    """A country draw's shift is absorbed by the state fixed effects only when the state keeps one regime and
    one standard error throughout: then the within-state slope is the same on every draw as on the point values;
    with the SWIID's own standard errors and regime changes it is not, and the report's sentence says which."""
    frame = mechanism.analysis_frame(state_year, panel)
    rows = mechanism.fe_sample(frame, "igos_in_force")
    steady_states = rows.groupby("ccode")["democracy"].nunique() == 1
    steady = frame[frame["ccode"].isin(steady_states[steady_states].index)].reset_index(drop=True)
    flat = panel.copy()
    flat["gini_mkt_se"] = flat.groupby("ccode")["gini_mkt_se"].transform("mean")
    draws = mechanism.draw_values(flat, 2, unit="country")["gini_mkt"]
    # the democracy indicator is constant within these states (the fixed effects absorb it), so only the slopes
    terms, sample = ["gini_mkt_dem", "gini_mkt_nondem"], mechanism.fe_sample(steady, "igos_in_force")

    def slope(values):
        data = mechanism._slope_columns(sample.copy(), {"gini_mkt": values})
        return mechanism.poisson_fe_fit(data, terms, exposure="igos_in_force").params["gini_mkt_dem"]

    point = slope(sample["gini_mkt"].to_numpy(float))
    for j in range(2):
        assert slope(draws[j, sample["_row"].to_numpy()]) == pytest.approx(point, rel=1e-6, abs=1e-9)
    real = mechanism.draw_values(panel, 1, unit="country")["gini_mkt"][0, sample["_row"].to_numpy()]
    assert slope(real) != pytest.approx(point, rel=1e-3)
    absorbed = mechanism.country_shift_absorption(steady, flat, exposure="igos_in_force")
    assert absorbed["regime_changes"] == absorbed["se_varies"] == 0
    assert "absorb a country draw's shift entirely" in mechanism.country_shift_sentence(absorbed)
    real = mechanism.country_shift_absorption(frame, panel, exposure="igos_in_force")
    assert real["regime_changes"] > 0 and real["se_varies"] > 0
    words = mechanism.country_shift_sentence(real)
    assert f"{real['regime_changes']} of the {real['states']} states change regime" in words
    assert "can therefore move the within-state estimate" in words


# --------------------------------------------------------------------------- which rate each verdict rests on
def _estimate(exposure: str, dem, diff, observable: str = "gini_disp") -> pd.DataFrame:
    """One estimate (:func:`mechanism.select`'s shape) built by hand: democracies' and the difference's
    ``(irr, ci_low, ci_high, p_value)``, nondemocracies' row fixed."""
    rows = {}
    for quantity, (irr, lo, hi, p) in (("democracies", dem), ("nondemocracies", (1.0, 0.7, 1.4, 0.99)),
                                        ("difference", diff)):
        rows[quantity] = {"observable": observable, "exposure": exposure, "irr": irr, "coef": math.log(irr),
                          "ci_low": lo, "ci_high": hi, "p_value": p, "n_states": 100, "n_obs": 2000,
                          "n_withdrawals": 300}
    return pd.DataFrame.from_dict(rows, orient="index").rename_axis("quantity")


#: Hand-built rows: democracies' slope short of the margin (does not hold), significantly above one (the
#: opposite of a predicted decrease), or holding both one and the margin (cannot tell); a regime gap
#: significantly above one, or not.
_SHORT, _ABOVE, _OPEN = (0.97, 0.85, 1.11, 0.70), (1.35, 1.10, 1.65, 0.004), (1.08, 0.96, 1.21, 0.21)
_GAP, _NO_GAP = (2.51, 1.05, 6.02, 0.039), (1.13, 0.73, 1.74, 0.59)


def test_every_inequality_sentence_names_its_rate():
    """Each verdict sentence says which rate its rate ratio is: "per state and IGO in force" under the paper's
    exposure, "per membership" under the other, and the within-state sentence adds one sentence for each other
    exposure it is given; an estimate naming two exposures is refused."""
    paper = _estimate("igos_in_force", _SHORT, _NO_GAP)
    assert "goes with a withdrawal rate per state and IGO in force 0.97 times as high" in \
        mechanism.mechanism_sentence(paper, "gini_disp")
    member = _estimate("memberships", _SHORT, _NO_GAP)
    assert "goes with a withdrawal rate per membership 0.97 times as high" in \
        mechanism.mechanism_sentence(member, "gini_disp")
    within = mechanism.within_sentence(paper, _estimate("igos_in_force", _OPEN, _NO_GAP), "gini_disp")
    assert "democracies' rate ratio per state and IGO in force is 0.97" in within
    assert "gives a rate ratio per state and IGO in force of 1.08" in within
    assert "Per membership" not in within
    # one sentence per other exposure given, after the verdict
    both = mechanism.within_sentence(paper, _estimate("igos_in_force", _OPEN, _NO_GAP), "gini_disp",
                                     fe_others=[member, _estimate("memberships", _OPEN, _NO_GAP)])
    assert both.count("Per membership the verdict") == 2
    assert both.index("Per membership the verdict is the same") < both.index("Per membership the verdict differs")
    with pytest.raises(ValueError, match="one exposure"):
        mechanism.mechanism_sentence(pd.concat([paper.iloc[:2], member.iloc[2:]]), "gini_disp")


def test_the_other_rate_sentence_says_where_the_verdict_differs():
    """Where the verdict per membership differs from the one per state and IGO in force, the sentence says so
    with the numbers per membership (a disposable Gini short of the margin per state, open per membership:
    "cannot tell"); where it agrees, it says it is the same; where the prediction fails both ways but only one is
    significantly the opposite of it, or the regimes compare differently, it says that (redistribution)."""
    paper = _estimate("igos_in_force", _SHORT, _NO_GAP)
    differs = mechanism.other_rate_sentence(paper, _estimate("memberships", _OPEN, _NO_GAP), "gini_disp")
    assert differs == ("Per membership the verdict differs (these data cannot tell): democracies' rate ratio is "
                       "1.08 (95% CI 0.96 to 1.21, p = 0.210), an interval that contains both no association and a rate "
                       "ratio of 1.20; the ratio of democracies' rate ratio to nondemocracies' is 1.13 (95% CI 0.73 "
                       "to 1.74, p = 0.590), not distinguishable from one.")
    same = mechanism.other_rate_sentence(paper, _estimate("memberships", (1.0, 0.9, 1.12, 0.9), _NO_GAP),
                                         "gini_disp")
    assert same.startswith("Per membership the verdict is the same, “does not hold”: democracies' rate ratio is "
                           "1.00 (95% CI 0.90 to 1.12")
    # redistribution, a predicted decrease: significantly the other way per state, only short of 0.83 per membership
    red = _estimate("igos_in_force", _ABOVE, _GAP, "abs_red")
    weaker = mechanism.other_rate_sentence(red, _estimate("memberships", (1.15, 0.95, 1.41, 0.155), _NO_GAP,
                                                          "abs_red"), "abs_red")
    assert weaker.startswith("Per membership the verdict is the same, “does not hold”, but not because the rate "
                             "ratio is significantly the opposite of the prediction: democracies' rate ratio is 1.15")
    assert "excludes a rate ratio of 0.83" in weaker
    assert weaker.endswith("not distinguishable from one, where per state and IGO in force it is significantly "
                           "above one.")
    stronger = mechanism.other_rate_sentence(_estimate("igos_in_force", (1.15, 0.95, 1.41, 0.155), _GAP, "abs_red"),
                                             _estimate("memberships", _ABOVE, _GAP, "abs_red"), "abs_red")
    assert "and here the rate ratio is significantly the opposite of the prediction" in stronger
    assert "where per state" not in stronger
    gap_only = mechanism.other_rate_sentence(red, _estimate("memberships", _ABOVE, _NO_GAP, "abs_red"), "abs_red")
    assert "the verdict is the same, “does not hold”, but the two regimes compare differently" in gap_only


def test_a_significant_association_short_of_the_margin_is_said_to_be_too_weak():
    """An interval wholly above one but wholly below the margin (1.05 to 1.15) does not hold, and the words say
    what happened: significantly above one, the whole interval below 1.20, too weak to back the prediction, not
    "the opposite of the prediction". Move the interval to reach one, or the margin, and the words change; the
    same for a predicted decrease (below one, all above 0.83); the sentence per membership names the change of
    reason."""
    weak, strong, touching = (1.10, 1.05, 1.15, 0.0004), (1.15, 1.05, 1.26, 0.003), (1.07, 0.98, 1.15, 0.13)
    est = _estimate("igos_in_force", weak, _NO_GAP, "gini_mkt")
    assert mechanism.reading(est, +1).how == mechanism.WEAK
    words = mechanism.mechanism_sentence(est, "gini_mkt")
    assert words.startswith("The prediction does not hold: among democracies")
    assert ("1.10 times as high (95% CI 1.05 to 1.15, p < 0.001), significantly above one but with the whole "
            "interval below 1.20, the smallest association counted as support, so too weak to back the "
            "prediction.") in words
    assert "opposite" not in words
    held = mechanism.mechanism_sentence(_estimate("igos_in_force", strong, _NO_GAP, "gini_mkt"), "gini_mkt")
    assert held.startswith("The prediction holds") and "too weak" not in held
    short = mechanism.mechanism_sentence(_estimate("igos_in_force", touching, _NO_GAP, "gini_mkt"), "gini_mkt")
    assert "an interval that excludes a rate ratio of 1.20" in short and "significantly above" not in short
    red = _estimate("igos_in_force", (0.91, 0.87, 0.95, 0.0002), _NO_GAP, "abs_red")
    assert mechanism.reading(red, -1).how == mechanism.WEAK
    assert "significantly below one but with the whole interval above 0.83" in mechanism.mechanism_sentence(
        red, "abs_red")
    per_member = mechanism.other_rate_sentence(_estimate("igos_in_force", touching, _NO_GAP, "gini_mkt"),
                                               _estimate("memberships", weak, _NO_GAP, "gini_mkt"), "gini_mkt")
    assert per_member.startswith("Per membership the verdict is the same, “does not hold”, although here the rate "
                                 "ratio is significantly on the predicted side of one")
    back = mechanism.other_rate_sentence(_estimate("igos_in_force", weak, _NO_GAP, "gini_mkt"),
                                         _estimate("memberships", touching, _NO_GAP, "gini_mkt"), "gini_mkt")
    assert "not even significantly on the predicted side of one" in back


def _inequality_inputs():
    return (pd.read_csv(paths.INEQUALITY_ROBUSTNESS), json.loads(paths.INEQUALITY_COVERAGE.read_text(encoding="utf-8")),
            json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8")))


def test_report_sentences_follow_the_rows_per_membership(models):
    """The report's sentences for the disposable Gini, redistribution and the within-state model name the rate
    per state and IGO in force and follow the rows per membership: give the disposable Gini's row per membership
    the same numbers as the one per state and IGO in force and its sentence says the verdict is the same; make
    redistribution's row per membership a strong decrease and its sentence says the verdict differs (holds);
    make the within-state row per membership significantly above the margin and the within sentence says so."""
    robustness, coverage, numbers = _inequality_inputs()
    base = report.inequality_variables(models, robustness, coverage, numbers)
    for key in ("sentence_gini_disp", "sentence_abs_red"):
        assert "goes with a withdrawal rate per state and IGO in force" in base[key]
        assert "Per membership the verdict" in base[key]
    assert "democracies' rate ratio per state and IGO in force is" in base["within"]["sentence"]
    assert "Per membership the verdict" in base["within"]["sentence"]
    point = (models["draws"] == 0) & (models["specification"] == "pooled")
    disp = point & (models["observable"] == "gini_disp")
    paper_row = models[disp & (models["exposure"] == "igos_in_force") & (models["quantity"] == "democracies")]
    copied = _set(models, disp & (models["exposure"] == "memberships"),
                  paper_row[["irr", "ci_low", "ci_high", "p_value"]].iloc[0].tolist())
    words = report.inequality_variables(copied, robustness, coverage, numbers)
    paper_status = mechanism.judge(paper_row.iloc[0], mechanism.OBSERVABLES["gini_disp"].sign).status
    assert f"Per membership the verdict is the same, “{paper_status}”" in words["sentence_gini_disp"]
    red = point & (models["observable"] == "abs_red") & (models["exposure"] == "memberships")
    words = report.inequality_variables(_set(models, red, [0.5, 0.4, 0.62, 1e-6]), robustness, coverage, numbers)
    assert "Per membership the verdict differs (the prediction holds): democracies' rate ratio is 0.50" in \
        words["sentence_abs_red"]
    within = ((models["draws"] == 0) & (models["specification"] == "within") & (models["exposure"] == "memberships")
              & (models["observable"] == "gini_mkt"))
    words = report.inequality_variables(_set(models, within, [1.9, 1.5, 2.4, 1e-6]), robustness, coverage, numbers)
    assert "Per membership the verdict differs (the prediction holds): democracies' rate ratio is 1.90" in \
        words["within"]["sentence"]


def _sample_rows(models, mask, n_obs, n_states, n_withdrawals):
    out = models.copy()
    out.loc[mask, ["n_obs", "n_states", "n_withdrawals"]] = [n_obs, n_states, n_withdrawals]
    return out


def test_sentences_on_another_sample_name_both_samples_from_the_model_rows(models):
    """Redistribution rests on fewer states than the market Gini (the SWIID reports it only where data support
    it), so its sentence gives its state-years, withdrawals and states beside the main estimate's, read from the
    model rows; so do the within-state sentence (states with a withdrawal) and the sentence per membership.
    Change the rows' counts and the numbers in the words change; give redistribution the main sample and its
    sentence says it rests on the same one."""
    robustness, coverage, numbers = _inequality_inputs()

    def row(observable, specification="pooled", exposure="igos_in_force"):
        sel = models[(models["observable"] == observable) & (models["specification"] == specification)
                     & (models["exposure"] == exposure) & (models["draws"] == 0)
                     & (models["quantity"] == "democracies")]
        return mechanism.sample_words(sel.iloc[0])

    base = report.inequality_variables(models, robustness, coverage, numbers)
    red, main = row("abs_red"), row("gini_mkt")
    assert red != main
    assert f"This estimate rests on {red}, against {main} for the market-income Gini's main estimate: a smaller " \
        "sample" in base["sentence_abs_red"]
    assert f"This estimate rests on the same {main} as" in base["sentence_gini_disp"]
    assert f"only the states with a withdrawal in the sample, {row('gini_mkt', 'within')}, against {main} in the " \
           "pooled estimate" in base["within"]["sentence"]
    assert row("gini_mkt", exposure="memberships") in base["sentence_memberships"]
    abs_red = (models["observable"] == "abs_red") & (models["draws"] == 0)
    changed = report.inequality_variables(_sample_rows(models, abs_red, 1234, 56, 78), robustness, coverage,
                                          numbers)
    assert "This estimate rests on 1,234 state-years and 78 withdrawals in 56 states, against" in \
        changed["sentence_abs_red"]
    assert red not in changed["sentence_abs_red"]
    main_mask = (models["observable"] == "gini_mkt") & (models["specification"] == "pooled") \
        & (models["exposure"] == "igos_in_force") & (models["draws"] == 0)
    first = models[main_mask].iloc[0]
    same = report.inequality_variables(
        _sample_rows(models, abs_red, first["n_obs"], first["n_states"], first["n_withdrawals"]), robustness,
        coverage, numbers)
    assert f"This estimate rests on the same {main} as" in same["sentence_abs_red"]
    # a sample short of the main one by a handful of state-years is "nearly the same", not "a smaller sample"
    nearly = report.inequality_variables(
        _sample_rows(models, abs_red, first["n_obs"] - 2, first["n_states"], first["n_withdrawals"]), robustness,
        coverage, numbers)["sentence_abs_red"]
    assert "nearly the same sample." in nearly and "a smaller sample" not in nearly


def _shown_row(rule, measure, irr, lo, hi, p, table="grid", observable="gini_mkt"):
    return {"observable": observable, "specification": "pooled", "exposure": "igos_in_force", "rule": rule,
            "measure": measure, "irr": irr, "ci_low": lo, "ci_high": hi, "p_value": p, "table": table,
            "status": mechanism.judge({"irr": irr, "ci_low": lo, "ci_high": hi, "p_value": p}, +1).status}


def test_the_multiplicity_caveat_counts_verdicts_and_distinct_tests():
    """Hand-built verdicts: five rows, of which the main estimate shown in both tables and two rules with the same
    estimate are one test each, so three distinct tests; two hold, and a Bonferroni level of 0.05/3 keeps the one
    with p = 0.0001 but not the one with p = 0.03. Without repeats and without any "holds" the words say less."""
    rows = [_shown_row("a", "m", 1.3, 1.05, 1.6, 0.03, "inequality"), _shown_row("a", "m", 1.3, 1.05, 1.6, 0.03),
            _shown_row("b", "m", 1.1, 0.9, 1.4, 0.3), _shown_row("c", "m", 1.1, 0.9, 1.4, 0.3),
            _shown_row("d", "m", 1.8, 1.4, 2.3, 0.0001)]
    text = report.inequality_multiplicity(pd.DataFrame(rows))
    assert text == ("hold 5 verdicts, which are 3 distinct tests (the main estimate appears in both tables; some "
                    "rules keep the same withdrawals in the sample). Of those tests, 2 give “holds”, 0 “does not "
                    "hold” and 1 “cannot tell”. A Bonferroni correction for the 3 distinct tests (each at the level "
                    "0.0167), conservative here because the tests share one data set and move together, would leave "
                    "1 of the 2 “holds”.")
    plain = report.inequality_multiplicity(pd.DataFrame([_shown_row("b", "m", 1.1, 0.9, 1.4, 0.3),
                                                         _shown_row("c", "n", 1.0, 0.8, 1.3, 0.9)]))
    assert plain == ("hold 2 verdicts, which are 2 distinct tests. Of those tests, 0 give “holds”, 0 “does not hold” "
                     "and 2 “cannot tell”.")


def test_the_report_multiplicity_caveat_follows_the_model_rows(models):
    """On the build's rows: the two inequality tables' verdicts (every estimate of the main table, and the grid's
    rules and measures under both exposures) are counted; make the `basic` rule's estimate differ from `plain`'s
    and there are two more distinct tests; make one grid cell a strong "holds" and one more "holds" survives the
    Bonferroni correction."""
    from backlash.countmodel import EXPOSURES
    from backlash.democracy import MEASURES
    from backlash.withdrawal import RULES

    robustness, coverage, numbers = _inequality_inputs()
    shown = report.inequality_shown(models, robustness, MEASURES)
    in_table = ((models["draws"] == 0) & (models["quantity"] == "democracies")).sum()
    assert len(shown) == in_table + len(EXPOSURES) * (len(RULES) + len(MEASURES) - 1)
    base = report.inequality_variables(models, robustness, coverage, numbers)["multiplicity"]
    assert base.startswith(f"hold {len(shown)} verdicts, which are ")

    def distinct(text):
        return int(re.search(r"which are (\d+) distinct tests", text).group(1))

    def kept(text):
        found = re.search(r"would leave (\w+) of the (\d+)", text)
        return (0 if found.group(1) == "none" else int(found.group(1))), int(found.group(2))

    basic = (robustness["rule"] == "basic") & (robustness["quantity"] == "democracies")
    assert basic.any()
    moved = robustness.copy()
    moved.loc[basic, "irr"] *= 1.01
    words = report.inequality_variables(models, moved, coverage, numbers)["multiplicity"]
    assert distinct(words) == distinct(base) + len(EXPOSURES)
    strong = robustness.copy()
    cell = basic & (robustness["exposure"] == "igos_in_force")
    strong.loc[cell, ["irr", "ci_low", "ci_high", "p_value"]] = [2.0, 1.6, 2.5, 1e-9]
    words = report.inequality_variables(models, strong, coverage, numbers)["multiplicity"]
    assert kept(words)[0] == kept(base)[0] + 1 and kept(words)[1] == kept(base)[1] + 1


@pytest.mark.parametrize("lo, hi, sign, status", [
    (1.10, 1.65, -1, "does not hold"),   # a predicted decrease, the interval above one (redistribution)
    (0.85, 1.05, -1, "does not hold"),   # a predicted decrease, the interval wholly above 1/1.2 = 0.83
    (0.80, 1.05, -1, "cannot tell"),     # ... reaching below 0.83
    (0.70, 0.95, -1, "holds"),           # wholly below one
    (0.95, 1.15, 1, "does not hold"),    # a predicted increase, wholly below 1.2
    (0.95, 1.25, 1, "cannot tell"),
    (1.05, 1.15, 1, "does not hold"),    # above one, but wholly below 1.2: the margin comes first
    (0.87, 0.95, -1, "does not hold"),   # below one, but wholly above 0.83
])
def test_verdict_rule_reads_the_same_for_both_directions(lo, hi, sign, status):
    """The rule as the report states it, for either predicted direction: holds when the interval lies wholly on
    the predicted side of one; does not hold when it lies wholly on the other side, or wholly short of the margin
    (1.2 for an increase, 1/1.2 for a decrease); cannot tell otherwise."""
    row = {"irr": (lo * hi) ** 0.5, "ci_low": lo, "ci_high": hi, "p_value": 0.5}
    assert mechanism.judge(row, sign).status == status


def _rule_paragraph() -> str:
    """The report's verdict-rule paragraph, as typed in paper.qmd."""
    text = paths.PAPER_QMD.read_text(encoding="utf-8")
    start = text.index("**The verdict rule.**")
    return text[start:text.index("We take an association", start)]


def test_the_verdict_rule_is_written_for_both_directions_from_the_constants(models):
    """The report's verdict rule says the prediction does not hold on the other side of one or wholly short of the
    margin, that the margin comes first (so a significant association short of it does not hold), and otherwise
    holds on the predicted side of one (not "above one"); its numbers (the interval's level, the margin, its
    inverse, the scale) are the code's, typed nowhere: with a margin of 1.5 it reads 1.50 and 0.67."""
    robustness, coverage, numbers = _inequality_inputs()
    from backlash.verdicts import ALPHA

    from backlash.render import expand_shortcodes

    raw = _rule_paragraph()
    assert not re.search(r"\d", re.sub(r"\{\{<.*?>\}\}|@sec-[a-z0-9-]+", " ", raw, flags=re.S)), raw
    for margin in (mechanism.MIN_EFFECT, 1.5):
        words = report.inequality_variables(models, robustness, coverage, {**numbers, "min_effect": margin})
        variables = {"data": {"inequality": words, "confidence": f"{1 - ALPHA:.0%}"}}
        text = " ".join(expand_shortcodes(raw, variables, paths.PAPER).split())
        assert (f"does not hold when the {1 - ALPHA:.0%} interval of democracies' rate ratio lies wholly on the "
                "other side of one, or wholly short of the margin") in text
        assert "The margin is checked first" in text and "does not hold either" in text
        assert "Otherwise the prediction holds when the interval lies wholly on the predicted side of one" in text
        assert "The margin decides only between" not in text
        assert (f"below a rate ratio of {margin:.2f} per {mechanism.SCALE:g} points for a predicted increase, above "
                f"{1 / margin:.2f} for a predicted decrease") in text
        assert f"means a withdrawal rate {round(100 * (margin - 1))}% higher where" in text


def test_the_margin_across_the_middle_half_redoes_from_the_printed_numbers():
    """"From 43 to 50, 7 points … 1.13 times" could not be redone from the page (1.2 ** 0.7 is 1.14; the factor
    came from a gap of 6.9): the quartiles and the gap are printed to one decimal and the factor is computed
    from them, so the page's arithmetic holds; other quartiles give other words."""
    out = report.spread_variables({"p25": 42.94, "p75": 49.83, "sd": 5.0}, 10, 1.2)
    assert (out["p25"], out["p75"], out["gap"], out["margin_over_gap"]) == ("42.9", "49.8", "6.9", "1.13")
    assert float(out["margin_over_gap"]) == round(1.2 ** (float(out["gap"]) / 10), 2)
    assert float(out["gap"]) == round(float(out["p75"]) - float(out["p25"]), 1)
    wider = report.spread_variables({"p25": 40.0, "p75": 55.0, "sd": 5.0}, 10, 1.2)
    assert (wider["gap"], wider["margin_over_gap"]) == ("15.0", "1.31")


def test_an_observable_the_panel_does_not_carry_is_refused_with_the_place_to_add_it():
    """An inequality observable (or a control) that is not among the SWIID columns the panel carries is refused
    when it is declared: importing backlash.mechanism fails, naming the column and the tuple to add it to, so it
    is not met later as a pandas KeyError. The import is tried in a fresh interpreter whose panel carries only
    `gini_mkt`, so the other declared observables are missing there."""
    from dataclasses import replace

    from backlash import mechanism

    mechanism.check_observables(mechanism.OBSERVABLES)  # the declared ones are carried
    code = ("import backlash.inequality\n"
            "backlash.inequality.INEQUALITY_MEASURES = ('gini_mkt',)\n"
            "import backlash.mechanism\n")
    env = {**os.environ, "PYTHONPATH": str(paths.ROOT / "src")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode != 0, "backlash.mechanism imported with observables the panel does not carry"
    assert re.search(r"ValueError: the inequality observable '\w+' needs the SWIID column '\w+', which the panel "
                     r"does not carry \(gini_mkt\): add it to backlash.inequality.INEQUALITY_MEASURES", res.stderr), \
        res.stderr
    base = mechanism.OBSERVABLES["gini_mkt"]
    with pytest.raises(ValueError, match="'rel_red'.*add it to backlash.inequality.INEQUALITY_MEASURES"):
        mechanism.check_observables({"rel_red": replace(base, key="rel_red")})
    with pytest.raises(ValueError, match="needs the SWIID column 'gini_top'"):
        mechanism.check_observables({"abs_red": replace(base, key="abs_red", controls=("gini_top",))})
