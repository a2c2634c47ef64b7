"""Democracy by four measures: crosswalk to COW codes, cut-offs, coverage, and the switch."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from backlash import democracy as Dm
from backlash import paths


@pytest.fixture(scope="module")
def measures() -> pd.DataFrame:
    return pd.read_csv(paths.DEMOCRACY_MEASURES)


@pytest.fixture(scope="module")
def coverage() -> dict:
    return json.loads(paths.DEMOCRACY_COVERAGE.read_text(encoding="utf-8"))


def _at(frame, ccode, year, col):
    row = frame[(frame["ccode"] == ccode) & (frame["year"] == year)]
    assert len(row) == 1
    return row[col].item()


@pytest.mark.parametrize("ccode, year, col, value", [
    (2, 2014, "v2x_polyarchy", 0.90),   # USA, V-Dem (SOURCES.md)
    (2, 2012, "bmr", 1),                # USA, BMR 2010-2020 all democracy (SOURCES.md)
    (2, 1960, "lexical_index", 4),      # USA before 1965: LIED sees restricted suffrage
    (2, 1970, "lexical_index", 6),
    (225, 1960, "lexical_index", 5),    # Switzerland: male suffrage only until 1971
    (816, 1960, "lexical_index", 1),    # North Vietnam (COW 816) and South Vietnam (COW 817) kept apart
    (817, 1960, "lexical_index", 2),
    (345, 1991, "bmr", 0),              # Yugoslavia 1991: the unit coded 345 kept over the FRY (347)
    (365, 1985, "polity2", -7),         # USSR: Polity code 364 crosswalked
])
def test_crosswalk_on_hand_checked_values(measures, ccode, year, col, value):
    """Scores land on the right COW code and year, looked up by hand in each file."""
    assert _at(measures, ccode, year, col) == pytest.approx(value)


def test_coverage_among_cow_members(coverage):
    """Member-years 1945-2014 with a score: Polity5 9,144, BMR 10,166, V-Dem 9,553, LIED 10,186 of 10,192;
    the crosswalk's dropped rows are counted and named."""
    got = {k: coverage[k]["member_years_with_score"] for k in Dm.MEASURES}
    assert got.items() >= {"polity": 9144, "bmr": 10166, "vdem": 9553, "lied": 10186}.items()  # the measures checked by hand
    assert coverage["lied"]["duplicate_units"] == ["Vietnam"]
    assert "Somaliland" in coverage["vdem"]["units_without_cow_code"]


def test_cow_keyed_prefers_the_unit_with_that_code():
    """Two units on one COW code and year: the one whose own code is that COW code is kept, whatever the order;
    rows without a COW code are dropped and counted."""
    t = pd.DataFrame({"name": ["South", "North", "Nowhere"], "own": [817.0, 816.0, 999.0],
                      "cown": [816.0, 816.0, np.nan], "year": [1950.0, 1950.0, 1950.0], "score": [0.0, 1.0, 3.0]})
    out, cases = Dm.cow_keyed(t, "own", "score", "lexical_index")
    assert out.to_dict("records") == [{"ccode": 816, "year": 1950, "lexical_index": 1.0}]
    assert cases == {"rows_without_cow_code": 1, "units_without_cow_code": ["Nowhere"],
                     "duplicate_rows_dropped": 1, "duplicate_units": ["South"]}


def test_indicator_rules_and_missing_scores():
    """polity2 >= 7 is a democracy at 7 and not at 6.9; polyarchy > 0.5 is not at 0.5; a missing score stays missing."""
    p = Dm.MEASURES["polity"].indicator(pd.Series([7.0, 6.9, np.nan]))
    assert p.tolist() == [1, 0, pd.NA]
    v = Dm.MEASURES["vdem"].indicator(pd.Series([0.5, 0.51]))
    assert v.tolist() == [0, 1]
    assert Dm.MEASURES["polity"].indicator(pd.Series([6.0]), threshold=6).tolist() == [1]


@pytest.mark.parametrize("key, threshold, text", [("polity", None, "polity2 ≥ 7"), ("polity", 6, "polity2 ≥ 6"),
                                                  ("vdem", 0.55, "v2x_polyarchy > 0.55"),
                                                  ("lied", None, "lexical_index ≥ 5")])
def test_rule_is_written_at_the_precision_given(key, threshold, text):
    """The report names the rule as chosen: 0.55 stays 0.55, 7 stays 7."""
    assert Dm.MEASURES[key].rule(threshold) == text


def test_bad_choices_are_refused_with_the_fix():
    """An unknown measure lists the choices; a cut-off outside the measure's range names the range."""
    with pytest.raises(ValueError, match="choose one of polity, bmr, vdem, lied"):
        Dm.get_measure("freedomhouse")
    with pytest.raises(ValueError, match=r"within the range of V-Dem's v2x_polyarchy \(0 to 1\)"):
        Dm.check_threshold(Dm.MEASURES["vdem"], 2)
    for bad in ("seven", float("inf"), float("nan")):
        with pytest.raises(ValueError, match="DEMOCRACY_THRESHOLD="):
            Dm.check_threshold(Dm.MEASURES["polity"], bad)


def test_apply_measure_keeps_polity_scores(measures):
    """Under V-Dem the regime panel's democracy follows polyarchy > 0.5 while polity2 stays Polity5's."""
    regime = Dm.apply_measure(measures, "vdem")
    assert list(regime.columns) == ["ccode", "year", "polity", "polity2", "democracy"]
    assert _at(regime, 2, 2014, "democracy") == 1 and _at(regime, 2, 2014, "polity2") == 10
    usa_1960_lied = Dm.apply_measure(measures, "lied")
    assert _at(usa_1960_lied, 2, 1960, "democracy") == 0
