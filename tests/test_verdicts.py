"""Words from numbers: the verdict functions, and the verdict table against the numbers it quotes."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlash import claims, paths, withdrawal
from backlash import verdicts as V


@pytest.mark.parametrize("p, text", [(0.181, "p = 0.181"), (0.05, "p = 0.050"), (0.001, "p = 0.001"),
                                     (0.000999, "p < 0.001"), (0.0, "p < 0.001"), (1.0, "p = 1.000")])
def test_p_values_are_written_one_way(p, text):
    """Every p-value reads "p = 0.181" or "p < 0.001", never "p 0.181" or "p = 0.000"."""
    assert V.format_p(p) == text


@pytest.mark.parametrize("bad", [-0.1, 1.5, float("nan"), "0.1"])
def test_a_p_value_outside_0_1_is_refused(bad):
    with pytest.raises(ValueError, match="p-value"):
        V.format_p(bad)


@pytest.mark.parametrize("ratio, p, words", [(0.60, 0.0004, "less often"), (1.01, 0.90, "no evidence of a difference"),
                                             (1.50, 0.01, "more often"), (0.60, 0.18, "no evidence of a difference"),
                                             (float("nan"), 0.01, "no evidence of a difference")])
def test_rate_comparison_words_follow_the_test(ratio, p, words):
    """A rate ratio below 1 with p < 0.05 gives "less often", above 1 "more often", otherwise
    "no evidence of a difference" (the report's sentence about democracies' exits uses this)."""
    assert V.rate_comparison(ratio, p) == words


def test_directional_claims():
    """A claimed increase holds only when the ratio exceeds 1 with p < 0.05; a significant decrease
    or no significant difference does not hold; no events is not testable."""
    assert V.directional("c", 1.4, 0.01).status == V.HOLDS
    assert V.directional("c", 1.4, 0.20).status == V.FAILS
    assert V.directional("c", 0.6, 0.01).status == V.FAILS
    assert V.directional("c", 0.6, 0.01, expect_above_one=False).status == V.HOLDS
    assert V.directional("c", math.nan, math.nan).status == V.UNTESTABLE
    # none before, many after: an infinite ratio is a rise, not "nothing to compare"
    ratio, p = claims.poisson_rate_test(0, 35, 20, 35)
    assert V.directional("c", ratio, p).status == V.HOLDS
    with pytest.raises(ValueError):
        V.Verdict("c", "maybe", "")


def test_poisson_rate_test_known_case():
    """10 events against 30 over equal exposures: ratio 3 and the exact binomial p-value for 30 of 40."""
    from scipy.stats import binomtest

    ratio, p = claims.poisson_rate_test(10, 5.0, 30, 5.0)
    assert ratio == 3.0
    assert p == pytest.approx(binomtest(30, 40, 0.5).pvalue)
    assert math.isnan(claims.poisson_rate_test(0, 1.0, 0, 1.0)[0])


@given(st.integers(0, 200), st.integers(0, 200), st.floats(0.5, 50), st.floats(0.5, 50))
def test_poisson_rate_test_is_symmetric(w1, w2, e1, e2):
    """Swapping the two periods inverts the rate ratio and leaves the p-value unchanged."""
    r12, p12 = claims.poisson_rate_test(w1, e1, w2, e2)
    r21, p21 = claims.poisson_rate_test(w2, e2, w1, e1)
    if w1 + w2 == 0:
        assert math.isnan(r12) and math.isnan(r21)
        return
    assert p12 == pytest.approx(p21, rel=1e-9, abs=1e-12)
    if w1 and w2:
        assert r12 * r21 == pytest.approx(1.0)


def _synthetic_world(seed: int = 1):
    """40 states (half democracies) in 20 IGOs, 1945-2014: democracies leave 3 times as often as
    nondemocracies from 1971 and equally often before; 80% of withdrawals are from economic IGOs."""
    rng = np.random.default_rng(seed)
    years = np.arange(1945, 2015)
    states = np.arange(2, 42)
    regime = pd.DataFrame([(s, y, 8.0 if s < 22 else -5.0, 1 if s < 22 else 0) for s in states for y in years],
                          columns=["ccode", "year", "polity2", "democracy"])
    n_igos = np.linspace(10, 30, len(years)).round().astype(int)
    igo_panel = pd.DataFrame({"year": years, "n_igos": n_igos})
    sy = regime.copy()
    sy["decade"] = sy["year"] // 10 * 10
    sy["memberships_lag"] = 40
    sy["n_igos"] = sy["year"].map(igo_panel.set_index("year")["n_igos"])
    base = 0.01
    rate = base * np.where((sy["democracy"] == 1) & (sy["year"] >= 1971), 3.0, 1.0)
    sy["withdrawals"] = rng.poisson(rate * sy["memberships_lag"])
    rows = sy.loc[sy.index.repeat(sy["withdrawals"]), ["ccode", "year", "democracy"]].reset_index(drop=True)
    rows["issue_area"] = np.where(rng.random(len(rows)) < 0.8, "economic", "social")
    rows["polity2"] = np.where(rows["democracy"] == 1, 8.0, -5.0)
    return rows, regime, igo_panel, sy


def test_judge_rule_recovers_a_known_world():
    """On simulated withdrawals where democracies exit three times as often from 1971 only, and 80% of
    exits are economic, the verdicts are: more often after 1970 holds (ratio near 3), after 1950 (1951-70)
    does not, mostly economic holds, and IGOs grow."""
    w, regime, igo_panel, sy = _synthetic_world()
    got = {v.claim: v for v in claims.judge_rule(w, regime, igo_panel, sy)}
    assert set(got) == set(claims.CLAIM_KEYS)
    assert got["dem_more_after_1970"].status == V.HOLDS
    assert got["dem_more_after_1970"].statistic == pytest.approx(3.0, rel=0.25)
    assert got["dem_more_after_1950"].status == V.FAILS
    assert got["mostly_economic"].status == V.HOLDS
    assert got["igos_grow"].status == V.HOLDS
    assert got["cow_lower_bound"].status == V.UNTESTABLE


# --------------------------------------------------------------------------- the built table
@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return pd.read_csv(paths.VERDICTS, keep_default_na=False, na_values=[""])


def test_table_judges_every_claim_under_every_rule_and_measure(table):
    """Every claim of the paper is judged under every rule (with the chosen measure) and under every
    democracy measure (with the chosen rule), each with a valid status and its evidence."""
    from backlash.democracy import MEASURES

    chosen_measure = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))["measure"]
    chosen_rule = pd.read_csv(paths.WITHDRAWALS, usecols=["rule"])["rule"].iloc[0]
    by_rule = table[table["measure"] == chosen_measure]
    assert set(zip(by_rule["claim"], by_rule["rule"])) == {(c, r) for c in claims.CLAIM_KEYS for r in withdrawal.RULES}
    by_measure = table[table["rule"] == chosen_rule]
    assert set(zip(by_measure["claim"], by_measure["measure"])) == {(c, m) for c in claims.CLAIM_KEYS
                                                                   for m in MEASURES}
    assert len(table) == len(claims.CLAIMS) * (len(withdrawal.RULES) + len(MEASURES) - 1)
    assert set(table["status"]) <= set(V.STATUSES)
    assert (table["evidence"].str.len() > 0).all()


def test_every_verdict_matches_its_own_numbers(table):
    """A claim that holds on a test has p < 0.05; every evidence string quotes its own p-value the
    way format_p writes it, so the words cannot contradict the numbers beside them."""
    tested = table[table["p_value"].notna()]
    assert not tested.empty
    for row in tested.itertuples():
        if row.status == V.HOLDS:
            assert row.p_value < V.ALPHA, row
        assert V.format_p(row.p_value) in row.evidence, row
