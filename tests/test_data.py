"""The empirics: ingest, the withdrawal rules, Figure 1's normalization, the count model, bad input."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest
from pandas.testing import assert_series_equal

from backlash import data as D
from backlash import countmodel, withdrawal
from backlash.exhibits import empirics
from backlash import paths, raw
from backlash.sources import ChecksumError


@pytest.fixture(scope="module")
def igo_year():
    return raw.read_igo_year()


@pytest.fixture(scope="module")
def built(igo_year):
    """The panels as the pipeline builds them (from the verified raw files)."""
    panel = D.membership_panel(igo_year, D.state_codes(raw.read_state_year()))
    attrs = D.igo_attributes(igo_year)
    system = D.system_membership(raw.read_states(), last=D.LAST_YEAR + withdrawal.HORIZON)
    regime, coverage = D.regime_panel(raw.read_polity(), D.system_membership(raw.read_states()))
    cand = withdrawal.candidate_transitions(panel, attrs, system, D.imputed_igo_years(igo_year))
    return dict(panel=panel, attrs=attrs, regime=regime, coverage=coverage, cand=cand)


# --------------------------------------------------------------------------- ingest
def test_igo_file_has_the_documented_shape(igo_year):
    """COW IGO v3 (SOURCES.md): 534 IGOs, years 1816-2014, 217 state columns."""
    assert igo_year["ioname"].nunique() == 534
    assert (igo_year["year"].min(), igo_year["year"].max()) == (1816, 2014)
    assert len(D.state_columns(igo_year)) == 217


def test_every_state_name_maps_to_a_cow_code(igo_year, built):
    """No state column is left without a COW country code (and none is dropped)."""
    codes = D.state_codes(raw.read_state_year())
    assert set(D.state_columns(igo_year)) <= set(codes.index)
    assert built["panel"]["state"].nunique() == 217
    assert codes["usa"] == 2 and codes["uk"] == 200 and codes["yugoslaviaserb"] == 345


def test_unknown_state_name_is_an_error_listing_it(igo_year):
    """A state column with no COW code is an error that lists the names, never a silent drop."""
    codes = D.state_codes(raw.read_state_year()).drop(["usa", "zanzibar"])
    with pytest.raises(ValueError, match="usa, zanzibar"):
        D.membership_panel(igo_year.head(3), codes)


def test_membership_panel_restores_not_a_system_member(igo_year, built):
    """Cells stored as missing in the R file are COW code -1 (state not a system member)."""
    n_missing = int(igo_year[D.state_columns(igo_year)].isna().to_numpy().sum())
    assert (built["panel"]["status"] == D.NOT_SYSTEM_MEMBER).sum() == n_missing
    assert set(built["panel"]["status"].unique()) <= set(D.STATUS_LABELS)


@pytest.mark.parametrize("ccode, year, polity2, democracy", [
    (2, 2000, 10, 1),     # United States
    (365, 1985, -7, 0),   # USSR: Polity code 364
    (230, 1970, -7, 0), (230, 1980, 9, 1),   # Spain before and after the transition
    (155, 1980, -7, 0), (155, 1995, 8, 1),   # Chile
    (750, 1976, 6, 0),    # India during the Emergency: just below the threshold
    (530, 2000, 1, 0),    # Ethiopia: Polity code 529
    (625, 2012, -4, 0),   # Sudan: Polity's 626 "Sudan-North", not South Sudan
    (626, 2012, 0, 0),    # South Sudan: Polity code 525
    (341, 2010, 9, 1),    # Montenegro: Polity 348 (Polity's 341 is Kosovo)
    (347, 2010, 8, 1),    # Kosovo: Polity 341
])
def test_regime_panel_against_polity5_by_hand(built, ccode, year, polity2, democracy):
    """polity2 and democracy (polity2 >= 7) match Polity5, looked up by hand, through the code crosswalk."""
    row = built["regime"].query("ccode == @ccode and year == @year")
    assert len(row) == 1
    assert row["polity2"].item() == polity2 and row["democracy"].item() == democracy


def test_democracy_counts_per_year(built):
    """Democracies among COW members: 20 in 1950, 35 in 1980, 82 in 2014 (checked by hand in Polity5)."""
    counts = built["regime"].groupby("year")["democracy"].sum()
    assert counts.loc[[1950, 1980, 2014]].tolist() == [20, 35, 82]
    assert not built["regime"].duplicated(["ccode", "year"]).any()


def test_regime_coverage_is_counted(built):
    c = built["coverage"]
    assert c["member_years"] == len(built["regime"]) == c["democracy_years"] + c["nondemocracy_years"] + c["missing_polity2"]
    assert c["foreign_occupation_minus66"] > 0 and c["states_never_scored"] > 0


def test_igos_in_force_count_each_igo_in_its_years():
    attrs = pd.DataFrame({"first_year": [1945, 1950, 1960], "last_year": [1955, 2014, 1961],
                          "issue_area": ["economic", "social", "economic"]})
    out = D.igos_in_force(attrs, first=1945, last=1962).set_index("year")
    assert out.loc[1945, "n_igos"] == 1 and out.loc[1950, "n_igos"] == 2 and out.loc[1956, "n_igos"] == 1
    assert out.loc[1960, "n_economic"] == 1 and out.loc[1960, "n_social"] == 1 and out.loc[1962, "n_igos"] == 1


# --------------------------------------------------------------------------- withdrawals
@pytest.mark.parametrize("rule", withdrawal.NESTED_CHAIN)
@pytest.mark.parametrize("ioname, state, year", empirics.KNOWN_CASES)
def test_known_withdrawals_are_found(built, rule, ioname, state, year):
    """The documented exits (Canada-IATTC 1985, Norway-ICSG 2000, Mauritania-UMOA 1974, USA-ILO 1978,
    UK-UNESCO 1986) are found by the basic rule and survive every stricter variant."""
    w = withdrawal.withdrawals(built["cand"], built["regime"], rule)
    hit = w[(w["ioname"] == ioname) & (w["state"] == state) & (w["year"] == year)]
    assert len(hit) == 1
    assert hit["last_member_year"].item() == year - 1


def test_plain_rule_count_matches_the_issue_check(built):
    """A plain 1 -> 0 rule on COW v3 gives 1,278 transitions in 1945-2014 (checked when the issue was filed)."""
    assert len(withdrawal.withdrawals(built["cand"], built["regime"], "plain")) == 1278


def test_every_withdrawal_igo_exists_in_its_year(built, igo_year):
    """Each withdrawal's IGO has a row (is in force) in the year of the withdrawal."""
    w = withdrawal.withdrawals(built["cand"], built["regime"])
    rows = pd.MultiIndex.from_frame(igo_year[["ioname", "year"]].astype({"year": "int64"}))
    assert pd.MultiIndex.from_frame(w[["ioname", "year"]]).isin(rows).all()
    assert w["year"].between(1945, 2014).all()


def test_sensitivity_rules_are_nested(built):
    """Each rule of the main chain keeps a subset of the one before; any_status contains basic;
    no_reentry_2y lies inside no_reentry_1y."""
    keys = {r: set(map(tuple, withdrawal.withdrawals(built["cand"], built["regime"], r)[["ioname", "ccode", "year"]].values))
            for r in withdrawal.RULES}
    for wider, narrower in zip(withdrawal.NESTED_CHAIN, withdrawal.NESTED_CHAIN[1:]):
        assert keys[narrower] <= keys[wider], (wider, narrower)
    assert keys["basic"] <= keys["any_status"] and keys["no_reentry_2y"] <= keys["no_reentry_1y"]
    table = withdrawal.sensitivity_table(built["cand"], built["regime"]).set_index("rule")
    assert (table[list(D.ISSUE_AREAS)].sum(axis=1) == table["total"]).all()
    assert (table["democracy"] + table["nondemocracy"] + table["regime_unknown"] == table["total"]).all()


def test_who_1950_exits_are_not_coded(igo_year):
    """COW v3 codes the five Soviet-bloc states as WHO members through 1950-51 (SOURCES.md)."""
    status = empirics.who_1950_status(igo_year)
    assert all(v[1:] == [1, 1] for v in status.values())


def test_who_1950_words_match_the_raw_codes(igo_year):
    """Note 15's words read off the raw IGO-year file: COW v3 codes Albania, Bulgaria, Poland and Romania as WHO
    members in 1949-51 and Czechoslovakia as a non-member in 1949 and a member from 1950, so no state leaves."""
    from backlash import report

    status = empirics.who_1950_status(igo_year)
    assert status["czechoslovakia"] == [0, 1, 1]
    assert all(status[s] == [1, 1, 1] for s in ("albania", "bulgaria", "poland", "romania"))
    assert empirics.who_1950_leavers(status) == []
    assert report.who_status(status, empirics.WHO_EXIT_YEAR).endswith("and Czechoslovakia as joining in 1950")


def test_transition_flags_on_a_tiny_panel():
    """Flags on a hand-made panel: a one-year lapse is re-entry; a mass exit; the IGO's last years, but not
    the last years of the data."""
    rows = []
    for state, ccode, path in [("a", 1, [1, 0, 1, 1]), ("b", 2, [1, 0, 0, 0]), ("c", 3, [1, 0, 0, 0]),
                               ("d", 4, [1, 1, 0, 0]), ("e", 5, [1, 1, 1, 1])]:
        rows += [("X", state, ccode, 2000 + t, s) for t, s in enumerate(path)]
    # IGO Y is in force to the end of the data (2009); state f leaves it in 2008.
    rows += [("Y", "f", 6, 2000 + t, s) for t, s in enumerate([1] * 8 + [0, 0])]
    panel = pd.DataFrame(rows, columns=["ioname", "state", "ccode", "year", "status"])
    attrs = pd.DataFrame({"ioname": ["X", "Y"], "orgname": ["X org", "Y org"], "issue_area": ["economic"] * 2,
                          "first_year": [2000, 2000], "last_year": [2003, 2009], "last_row": [2003, 2009]})
    system = pd.DataFrame([(c, y) for c in range(1, 7) for y in range(2000, 2012)], columns=["ccode", "year"])
    imputed = pd.DataFrame({"ioname": ["X"] * 4 + ["Y"] * 10, "year": [*range(2000, 2004), *range(2000, 2010)],
                            "imputed": [False] * 14})
    c = withdrawal.candidate_transitions(panel, attrs, system, imputed, first=2000, last=2009).set_index("state")
    assert sorted(c.index) == ["a", "b", "c", "d", "f"]
    # reaching the end of the data is not an IGO ending (f's exit two years before it is kept)
    assert not c.loc["f", "igo_ends_soon"]
    assert c.loc["a", "reentry_1y"] and not c.loc["b", "reentry_1y"]
    assert c.loc["a", "mass_exit"] and c.loc["a", "n_leaving"] == 3  # 3 of 5 full members leave in 2001
    assert not c.loc["d", "mass_exit"]
    assert c.loc["d", "igo_ends_soon"] and c.loc["d", "last_member_year"] == 2001


# --------------------------------------------------------------------------- Figure 1
def test_figure1_normalization_on_a_synthetic_panel():
    """Rates are 100 * withdrawals / (states of that regime x IGOs in force), and 100 * W_area / IGOs."""
    regime = pd.DataFrame({"ccode": [1, 2, 3, 4, 5, 6], "year": [2000] * 6,
                           "democracy": [1, 1, 0, 0, 0, pd.NA]}).astype({"democracy": "Int64"})
    igo = pd.DataFrame({"year": [2000, 2001], "n_igos": [4, 5]})
    w = pd.DataFrame({"year": [2000, 2000, 2000, 2000], "democracy": [1, 0, 0, np.nan],
                      "issue_area": ["economic", "economic", "social", "political"]})
    s = empirics.figure1_series(w, regime, igo).set_index("year")
    assert s.loc[2000, "rate_dem"] == pytest.approx(100 * 1 / (2 * 4))
    assert s.loc[2000, "rate_nondem"] == pytest.approx(100 * 2 / (3 * 4))
    assert s.loc[2000, "rate_economic"] == pytest.approx(100 * 2 / 4)
    assert s.loc[2000, "rate_political"] == pytest.approx(100 * 1 / 4)
    assert s.loc[2000, "w_total"] == 4
    assert np.isnan(s.loc[2001, "rate_dem"])  # no states of either type recorded in 2001
    assert_series_equal(s["w_economic"], pd.Series([2, 0], index=s.index, name="w_economic"))


# --------------------------------------------------------------------------- count model
def test_count_model_recovers_a_known_effect():
    """On simulated data with a true democracy coefficient of 0.5, the Poisson GLM recovers it."""
    rng = np.random.default_rng(7)
    n_states, years = 120, np.arange(1945, 2015)
    ccode = np.repeat(np.arange(n_states), len(years))
    year = np.tile(years, n_states)
    dem = (rng.random(n_states) < 0.4).astype(int)[ccode]
    exposure = rng.integers(5, 60, len(year))
    mu = exposure * np.exp(-4.0 + 0.5 * dem)
    sy = pd.DataFrame({"ccode": ccode, "year": year, "decade": year // 10 * 10, "polity2": 10 * dem - 3,
                       "democracy": dem, "memberships_lag": exposure, "withdrawals": rng.poisson(mu)})
    out = countmodel.count_model(sy).set_index("specification")
    est = out.loc["democracy, 1945-2014"]
    assert abs(est["coef"] - 0.5) < 3 * est["se"] and est["se"] < 0.1


def test_count_model_shows_every_comparison_period():
    """The count model, the decomposition and the measure table all show the span on which "after 1950" is
    judged (1951-2014) beside its parts, the periods read from one place (data.COMPARISON_PERIODS); the
    1951-2014 row is the statistic of the after-1950 verdict (before, no table showed 1951-2014)."""
    from backlash import claims, paths
    from backlash.data import COMPARISON_PERIODS
    from backlash.exhibits.empirics import DECOMPOSITION_PERIODS
    from backlash.robustness import PERIODS as MEASURE_PERIODS

    assert COMPARISON_PERIODS["after1950"] == claims.AFTER_1950
    assert tuple(COMPARISON_PERIODS.values()) == DECOMPOSITION_PERIODS == MEASURE_PERIODS
    sy = pd.read_csv(paths.STATE_YEAR_PANEL)
    out = countmodel.count_model(sy, "igos_in_force").set_index("specification")
    lo, hi = claims.AFTER_1950
    assert [f"democracy, {a}-{b}" for a, b in COMPARISON_PERIODS.values()] == list(out.index[:-1])
    direct = countmodel.compare_regimes(sy, (lo, hi))
    assert out.loc[f"democracy, {lo}-{hi}", "irr"] == pytest.approx(direct.irr_state, rel=1e-9)


# --------------------------------------------------------------------------- bad input
def test_missing_column_is_named():
    with pytest.raises(ValueError, match="lacks the column\\(s\\) polity2"):
        D.regime_panel(pd.DataFrame({"ccode": [2], "year": [2000], "polity": [10], "scode": ["USA"]}),
                       pd.DataFrame({"ccode": [2], "year": [2000]}))


def test_corrupted_raw_file_is_refused(tmp_path):
    """A raw file whose bytes changed is refused before it is read, with both checksums."""
    target = tmp_path / "polity5" / "p5v2018.csv"
    target.parent.mkdir()
    data = bytearray((paths.RAW / "polity5/p5v2018.csv").read_bytes())
    data[500] ^= 0x01
    target.write_bytes(bytes(data))
    with pytest.raises(ChecksumError, match=hashlib.sha256(bytes(data)).hexdigest()):
        raw.read_polity(raw_dir=tmp_path)


def test_unreadable_rda_is_a_clear_error(tmp_path):
    """A file with the pinned checksum that is not an R data file gives a ValueError naming it."""
    bogus = b"not an R file"
    (tmp_path / "cow-igo-v3").mkdir()
    (tmp_path / "cow-igo-v3/igo_year_format3.rda").write_bytes(bogus)
    manifest = tmp_path / "sources.toml"
    manifest.write_text(f'[[source]]\npath = "cow-igo-v3/igo_year_format3.rda"\n'
                        f'sha256 = "{hashlib.sha256(bogus).hexdigest()}"\nurl = "https://example.invalid/x"\n')
    with pytest.raises(ValueError, match="could not be read as an R data file"):
        raw.read_igo_year(raw_dir=tmp_path, manifest=manifest)
