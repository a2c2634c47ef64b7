"""Words from numbers: the verdict functions, and the verdict table against the numbers it quotes."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
import yaml

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


def test_directional_claims_follow_the_one_interval_rule():
    """One rule for every directional claim: holds when the 95% interval lies on the claimed side of 1, does not
    hold when it lies on the other side (or short of a stated margin), cannot tell otherwise; no ratio is not
    testable. Under the old two-way rule the second case (1.4, p = 0.20) read "does not hold"."""
    assert V.directional("c", 1.4, 0.01, 1.1, 1.8).status == V.HOLDS
    assert V.directional("c", 1.4, 0.20, 0.8, 2.4).status == V.CANNOT_TELL
    assert V.directional("c", 0.6, 0.01, 0.4, 0.9).status == V.FAILS
    assert V.directional("c", 0.6, 0.01, 0.4, 0.9, expect_above_one=False).status == V.HOLDS
    assert V.directional("c", 1.02, 0.6, 0.95, 1.1, margin=1.2).status == V.FAILS      # rules out 1.2
    assert V.directional("c", 1.02, 0.6, 0.95, 1.3, margin=1.2).status == V.CANNOT_TELL
    assert V.directional("c", math.nan, math.nan, math.nan, math.nan).status == V.UNTESTABLE
    assert V.directional("c", math.inf, 0.01, math.nan, math.nan).status == V.UNTESTABLE
    assert "(95% CI 1.10 to 1.80, p = 0.010)" in V.directional("c", 1.4, 0.01, 1.1, 1.8).evidence
    with pytest.raises(ValueError):
        V.Verdict("c", "maybe", "")
    with pytest.raises(ValueError, match="margin"):
        V.interval_status(0.9, 1.1, margin=0.8)
    # a claim that a share falls short of a threshold
    assert V.interval_status(0.1, 0.3, reference=0.5, above=False) == V.HOLDS
    assert V.interval_status(0.4, 0.6, reference=0.5, above=False) == V.CANNOT_TELL
    assert V.interval_status(0.6, 0.7, reference=0.5, above=False) == V.FAILS
    assert "cannot tell" in V.VERDICT_RULE and "95%" in V.VERDICT_RULE


def test_an_interval_above_the_reference_but_short_of_the_margin_does_not_hold():
    """The margin is checked before "holds": [1.05, 1.15] lies wholly above one but wholly below the margin 1.2,
    so it does not hold (it held when "holds" was checked first); without a margin it holds, and an interval
    that reaches the margin holds. The same for a claim below the reference, with the margin 1/1.2."""
    assert V.interval_status(1.05, 1.15, margin=1.2) == V.FAILS
    assert V.directional("c", 1.1, 0.001, 1.05, 1.15, margin=1.2).status == V.FAILS
    assert V.interval_status(1.05, 1.15) == V.HOLDS
    assert V.interval_status(1.05, 1.25, margin=1.2) == V.HOLDS
    assert V.interval_status(1 / 1.15, 1 / 1.05, above=False, margin=1 / 1.2) == V.FAILS
    assert V.interval_status(1 / 1.25, 1 / 1.05, above=False, margin=1 / 1.2) == V.HOLDS
    assert "even where the interval also excludes the reference" in V.VERDICT_RULE


_ORDER = {V.FAILS: 0, V.CANNOT_TELL: 1, V.HOLDS: 2}
_bound = st.floats(-50, 50, allow_nan=False, allow_infinity=False)


@given(a=_bound, b=_bound, reference=_bound, gap=st.floats(1e-3, 20), above=st.booleans(),
       with_margin=st.booleans(), shift=st.floats(0, 20))
def test_the_three_statuses_partition_intervals_as_the_rule_states(a, b, reference, gap, above, with_margin, shift):
    """For any interval, reference and margin (on the claimed side), the status is one of the three and agrees
    with the stated rule read on its own terms: "does not hold" exactly when the interval lies wholly on the other
    side of the reference or wholly short of the margin; "holds" exactly when it does not and lies wholly on the
    claimed side; "cannot tell" for the rest (it then holds the reference and reaches the margin). Mirroring the
    claim (below instead of above) gives the same status, and moving the interval towards the claimed side never
    makes the verdict worse."""
    low, high = min(a, b), max(a, b)
    margin = (reference + gap if above else reference - gap) if with_margin else None
    status = V.interval_status(low, high, reference=reference, above=above, margin=margin)
    assert status in _ORDER
    # in the claim's own direction: "toward" is the claimed side
    near, far = (low, high) if above else (-high, -low)
    ref = reference if above else -reference
    mg = None if margin is None else (margin if above else -margin)
    other_side = far < ref
    short = mg is not None and far < mg
    assert (status == V.FAILS) == (other_side or short)
    assert (status == V.HOLDS) == (not (other_side or short) and near > ref)
    if status == V.CANNOT_TELL:
        assert near <= ref <= far and (mg is None or far >= mg)
    mirrored = V.interval_status(-high, -low, reference=-reference, above=not above,
                                 margin=None if margin is None else -margin)
    assert mirrored == status
    step = shift if above else -shift
    moved = V.interval_status(low + step, high + step, reference=reference, above=above, margin=margin)
    assert _ORDER[moved] >= _ORDER[status]


def test_yearly_rate_test_matches_a_quasi_poisson_glm():
    """The rise after 1980 is a quasi-Poisson rate ratio of yearly counts: the same ratio and standard error as
    statsmodels' Poisson GLM with the Pearson scale, on overdispersed simulated counts; an exact Poisson test on
    the same counts is far more confident (the reason for the change)."""
    import statsmodels.api as sm
    from scipy.stats import binomtest

    rng = np.random.default_rng(3)
    years = np.arange(1945, 2015)
    after = pd.Series(years >= 1980, index=years)
    share = pd.Series(np.where(years < 1965, 0.7, 1.0), index=years)
    mean = share * np.where(after, 14.0, 10.0)
    counts = pd.Series(rng.negative_binomial(2, 2 / (2 + mean)), index=years)
    ratio, p, low, high, phi = claims.yearly_rate_test(counts, share, after)
    x = sm.add_constant(after.astype(float).to_numpy())
    glm = sm.GLM(counts.to_numpy(), x, family=sm.families.Poisson(), offset=np.log(share.to_numpy())).fit(
        scale="X2", use_t=True)
    assert ratio == pytest.approx(math.exp(glm.params[1]), rel=1e-9)
    assert phi == pytest.approx(max(1.0, glm.scale), rel=1e-6) and phi > 2
    # the dispersion is estimated, so the reference is Student's t with n - 2 degrees of freedom, as statsmodels'
    # GLM with use_t: the interval and the p-value are wider than the normal's
    assert glm.df_resid == len(years) - 2
    assert np.log([low, high]) == pytest.approx(glm.conf_int()[1], rel=1e-5)
    assert p == pytest.approx(glm.pvalues[1], rel=1e-4)
    assert math.log(high / low) / 2 > 1.959964 * glm.bse[1]
    w0, w1 = counts[~after].sum(), counts[after].sum()
    exact = binomtest(int(w1), int(w0 + w1), share[after].sum() / share.sum()).pvalue
    assert exact < p
    assert math.isnan(claims.yearly_rate_test(counts.where(after, 0), share, after)[0])


def test_exit_is_rare_interval_is_clustered_by_state():
    """The rate per membership-year and its interval clustered by state equal statsmodels' Poisson GLM with a
    constant, the log membership-years as offset and errors clustered by state."""
    import statsmodels.api as sm

    rng = np.random.default_rng(5)
    sy = pd.DataFrame({"ccode": np.repeat(np.arange(30), 20), "memberships_lag": rng.integers(5, 60, 600)})
    sy["withdrawals"] = rng.poisson(0.004 * sy["memberships_lag"] * np.repeat(rng.gamma(0.5, 2, 30), 20))
    v = claims.rarity_verdict(sy)
    glm = sm.GLM(sy["withdrawals"], np.ones((600, 1)), family=sm.families.Poisson(),
                 offset=np.log(sy["memberships_lag"])).fit(cov_type="cluster", cov_kwds={"groups": sy["ccode"]})
    assert v.statistic == pytest.approx(math.exp(glm.params.iloc[0]))
    assert math.log(v.ci_high / v.ci_low) / (2 * 1.959964) == pytest.approx(glm.bse.iloc[0], rel=1e-5)


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
    exits are economic, the verdicts are: more often after 1970 holds (ratio near 3); after 1950, judged on
    1951-2014, holds too, with the sub-period 1951-1970 (no difference) reported beside it as "cannot tell";
    mostly economic holds, and IGOs grow. Under the old reading (1951-1970 only) the after-1950 claim failed."""
    w, regime, igo_panel, sy = _synthetic_world()
    got = {v.claim: v for v in claims.judge_rule(w, regime, igo_panel, sy)}
    assert set(got) == set(claims.CLAIM_KEYS)
    assert got["dem_more_after_1970"].status == V.HOLDS
    assert got["dem_more_after_1970"].statistic == pytest.approx(3.0, rel=0.25)
    assert got["dem_more_after_1950"].status == V.HOLDS  # judged on 1951-2014, which includes the rise
    assert got["dem_more_after_1950"].evidence.startswith("1951–2014: per state and IGO in force")
    assert "in 1951–1970 alone, per state and IGO in force, rate ratio" in got["dem_more_after_1950"].evidence
    assert got["dem_more_after_1950"].evidence.endswith(": cannot tell")
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


def test_one_burst_year_no_longer_makes_a_rise_after_1980():
    """Withdrawals a year rise after 1980 only if the yearly counts say so beyond their own noise: in a world
    with the same rate before and after 1980 but one year of 300 mass lapses (1990), the exact Poisson test of
    the pooled counts finds a rise (p < 0.05), while the quasi-Poisson verdict, which allows for the dispersion
    of the yearly counts, cannot tell, and its evidence names the dispersion."""
    from scipy.stats import binomtest

    w, regime, igo_panel, sy = _synthetic_world()
    flat = w[(w["democracy"] == 0) | (w["year"] < 1971)]                       # no rise at all
    burst = flat.sample(300, replace=True, random_state=1).assign(year=1990)
    bursty = pd.concat([flat, burst], ignore_index=True)
    before, after = int((bursty["year"] < 1980).sum()), int((bursty["year"] >= 1980).sum())
    assert binomtest(after, before + after, 35 / 70).pvalue < 0.05 and after > before
    got = {v.claim: v for v in claims.judge_rule(bursty, regime, igo_panel, sy)}["exits_rise_1980"]
    assert got.status == V.CANNOT_TELL
    assert "quasi-Poisson, yearly counts" in got.evidence


def test_status_after_a_colon_is_lower_case():
    """A verdict after a colon (the replication notes: "the rise: cannot tell") is in lower case, and capitalised
    only where it starts a sentence (the claim list): every use of a claim's ``status`` in the report follows a
    colon or semicolon, every ``status_start`` follows a full stop. (Before, STATUS_NOTE gave "Holds" after a
    colon.)"""
    import re

    from backlash import report

    table = pd.DataFrame([{"claim": c, "rule": r, "measure": "polity", "status": V.CANNOT_TELL, "evidence": "e"}
                          for c in claims.CLAIM_KEYS for r in withdrawal.RULES])
    words = report.verdict_variables(table, withdrawal.DEFAULT_RULE, "polity")
    assert words["exits_rise_1980"]["status"] == "cannot tell"
    assert words["exits_rise_1980"]["status_start"] == "Cannot tell"
    text = paths.PAPER_QMD.read_text(encoding="utf-8")
    for m in re.finditer(r"\{\{< var data\.claims\.\w+\.(status|status_start) >\}\}", text):
        before = text[:m.start()].rstrip().rstrip("*").rstrip()
        assert before[-1] in (":;" if m.group(1) == "status" else ".*"), text[m.start() - 60:m.end()]


def test_each_regime_claim_counts_its_comparison_per_membership_both_ways():
    """Beside a regime claim's verdict (on the rate per state and IGO in force), the report says what the same
    verdict rule says of the comparison per membership, and under how many rules and measures: holds where the
    ratio is significantly above one, does not hold where below, cannot tell elsewhere; a change in the data
    changes the counts, and with no significant ratio it says so. (Before, these numbers were in no sentence:
    democracies' withdrawals per membership fell significantly after 2005 under 7 of 13 combinations; then they
    were counted but the verdict they imply was left to the reader.)"""
    from backlash.report import membership_counts, verdict_variables

    def rows(ratios, ps, key):
        return pd.DataFrame({key: [f"{key}{i}" for i in range(len(ratios))], "membership_ratio": ratios,
                             "membership_p": ps})

    rules = rows([0.75, 0.76, 0.8, 1.3], [0.03, 0.04, 0.2, 0.01], "rule")
    measures = rows([0.73, 0.9], [0.01, 0.5], "measure")
    assert membership_counts(rules, measures) == (
        "Per membership, by the same rule, it holds under 1 of 4 rules and 0 of 2 measures (the ratio significantly "
        "above one) and does not hold under 2 of 4 rules and 1 of 2 measures (the ratio significantly below one); "
        "under the others these data cannot tell.")
    measures["membership_p"] = 0.01
    rules["membership_p"] = [0.03, 0.04, 0.01, 0.01]
    assert membership_counts(rules, measures).endswith("1 of 4 rules and 0 of 2 measures (the ratio significantly "
                                                       "above one) and does not hold under 3 of 4 rules and 2 of 2 "
                                                       "measures (the ratio significantly below one).")
    rules["membership_p"] = 0.5
    measures["membership_p"] = 0.5
    assert membership_counts(rules, measures) == ("Per membership, these data cannot tell under any rule or measure: "
                                                  "the ratio is nowhere significantly above or below one.")
    table = pd.DataFrame([{"claim": c, "rule": r, "measure": "polity", "status": V.CANNOT_TELL, "evidence": "e",
                           "membership_ratio": 0.7 if c in claims.REGIME_CLAIMS else None, "membership_p": 0.01}
                          for c in claims.CLAIM_KEYS for r in withdrawal.RULES])
    words = verdict_variables(table, withdrawal.DEFAULT_RULE, "polity")
    assert words["dem_rise_2005"]["holding"].endswith(
        f"does not hold under {len(withdrawal.RULES)} of {len(withdrawal.RULES)} rules and 1 of 1 measures (the "
        "ratio significantly below one).")
    assert "Per membership" not in words["exit_rare"]["holding"]


def test_cannot_tell_says_when_the_estimate_points_the_other_way():
    """"Cannot tell" does not hide the direction of the estimate: a claimed rise whose ratio is below one (but not
    significantly) says so in its evidence; a ratio on the claimed side, or a decided verdict, does not."""
    fall = V.directional("c", 0.83, 0.19, 0.64, 1.10)
    assert fall.status == V.CANNOT_TELL and fall.evidence.endswith(
        "below one, the other way from the claim, but not significantly")
    assert "other way" not in V.directional("c", 1.2, 0.19, 0.9, 1.6).evidence
    assert "other way" not in V.directional("c", 0.6, 0.01, 0.4, 0.9).evidence  # does not hold: decided
    assert V.directional("c", 1.2, 0.19, 0.9, 1.6, expect_above_one=False).evidence.endswith(
        "above one, the other way from the claim, but not significantly")


def test_the_count_across_rules_and_measures_names_every_status():
    """A claim's count across rules and measures says under how many it holds and what the others say ("does not
    hold", "cannot tell"), not only the first: change the statuses and the sentence changes with them."""
    from backlash.report import status_counts

    rules = pd.DataFrame({"status": [V.HOLDS] * 3 + [V.FAILS] + [V.CANNOT_TELL] * 2})
    measures = pd.DataFrame({"status": [V.HOLDS, V.CANNOT_TELL, V.CANNOT_TELL, V.CANNOT_TELL]})
    assert status_counts(rules, measures) == ("It holds under 3 of 6 rules and 1 of 4 measures; it does not hold "
                                              "under 1 rule; these data cannot tell under 2 rules and 3 measures.")
    assert status_counts(rules, None) == ("It holds under 3 of 6 rules; it does not hold under 1 rule; these data "
                                          "cannot tell under 2 rules; the democracy measure does not enter its test.")
    rules["status"], measures["status"] = V.HOLDS, V.HOLDS
    assert status_counts(rules, measures) == "It holds under 6 of 6 rules and 4 of 4 measures."
    rules["status"], measures["status"] = V.FAILS, V.FAILS
    assert status_counts(rules, measures) == ("It holds under 0 of 6 rules and 0 of 4 measures; it does not hold "
                                              "under 6 rules and 4 measures.")


def test_the_multiplicity_sentence_counts_tests_from_the_verdicts():
    """The report counts the verdicts that rest on an interval and the distinct tests among them from the rows
    the verdict tables show: a claim that does not involve regime type only under the chosen measure, and two rules
    with the same withdrawals count once; with no repeats the sentence says nothing about them."""
    from backlash.report import multiplicity_sentence

    rows = []
    for rule, measure in (("a", "polity"), ("b", "polity"), ("a", "vdem")):
        rows.append(dict(claim="exit_rare", rule=rule, measure=measure, statistic=0.002, ci_low=0.001, ci_high=0.003,
                         status=V.HOLDS, p_value=0.001))
        rows.append(dict(claim="dem_more_after_1970", rule=rule, measure=measure, statistic=1.2 + len(rows) / 100,
                         ci_low=1.0, ci_high=1.5, status=V.CANNOT_TELL, p_value=0.06))
        rows.append(dict(claim="igos_grow", rule=rule, measure=measure, statistic=5.0, ci_low=None, ci_high=None,
                         status=V.HOLDS, p_value=None))
    table = pd.DataFrame(rows)
    text = multiplicity_sentence(table, "polity")
    assert text == ("hold 5 such verdicts on 2 claims, which are 4 distinct tests (some rules keep the same "
                    "withdrawals in a claim's years); a Bonferroni correction for the 4 distinct tests (each at the "
                    "level 0.0125), conservative here because the tests share one data set and move together, "
                    "would leave 1 of the 1 “holds”")
    # the correction follows the p-values: a "holds" at p = 0.02 does not survive a level of 0.0125
    assert "would leave none of the 1" in multiplicity_sentence(table.assign(p_value=0.02), "polity")
    assert multiplicity_sentence(table, "vdem").startswith("hold 4 such verdicts on 2 claims")
    table.loc[table["claim"] == "exit_rare", "statistic"] = [0.001, 0.002, 0.003]
    assert multiplicity_sentence(table.assign(status=V.CANNOT_TELL), "polity") == "hold 5 such verdicts on 2 claims"
    table.loc[table["claim"] == "dem_more_after_1970", "statistic"] = 1.3  # two measures, one test
    assert multiplicity_sentence(table.assign(status=V.CANNOT_TELL), "polity").endswith(
        "(two democracy measures give a claim the same test; some rules keep the same withdrawals in a claim's years)")


def test_the_table_by_measure_shows_only_the_claims_about_regime_type():
    """Table 7 (by democracy measure) has a row for each claim about regime type and none for the others, whose
    tests the measure does not enter; its caption names those others, from the claims' declarations."""
    from backlash.claims import CLAIMS, REGIME_CLAIMS
    from backlash.report import CLAIM_SHORT, measure_free_claims, verdict_measures_md

    table = pd.read_csv(paths.VERDICTS)
    rule = table["rule"].iloc[0]
    md = verdict_measures_md(table, rule, {m: m for m in table.loc[table["rule"] == rule, "measure"].unique()})
    labels = [line.split("|")[1].strip() for line in md.splitlines()[2:]]
    assert labels == [CLAIM_SHORT[c] for c in REGIME_CLAIMS]
    others = [c.key for c in CLAIMS if not c.regime]
    assert others and all(f"“{CLAIM_SHORT[c]}”" in measure_free_claims() for c in others)
    variables = yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))
    assert variables["data"]["measure_free_claims"].replace("\u2060", "") == measure_free_claims()
    assert "{{< var data.measure_free_claims >}}" in paths.PAPER_QMD.read_text(encoding="utf-8")


def test_claims_not_about_regime_type_are_counted_over_rules_only():
    """A claim whose test does not involve regime type (the number of IGOs, the economic share) is not said to hold
    "under 4 of 4 measures": its count is over rules, with the reason; a claim about regime type keeps both."""
    from backlash import report

    v = pd.read_csv(paths.VERDICTS)
    rule, measure = withdrawal.DEFAULT_RULE, "polity"
    out = report.verdict_variables(v, rule, measure)
    for c in claims.CLAIMS:
        if "holding" in out[c.key]:
            assert (" measure" in out[c.key]["holding"].split(";")[0]) == c.regime, c.key
            assert ("the democracy measure does not enter" in out[c.key]["holding"]) != c.regime, c.key


def test_a_number_at_the_edge_of_a_verdict_gets_one_more_decimal():
    """A p-value of 0.0497 is not printed as the level itself ("0.050"), and an interval bound of 1.0005 is not
    printed as the reference "1.00" next to a "holds" (it gets the decimals it needs); away from the edge the usual
    decimals stay, on the other bound too (Table 10 printed "1.001–2.428" where "1.001–2.43" says as much)."""
    from backlash.formats import interval

    assert V.format_p(0.0497) == "p = 0.0497" and V.format_p(0.0512) == "p = 0.051"
    assert V.format_p(0.05) == "p = 0.050" and V.format_p(0.0004) == "p < 0.001"
    assert V.interval_text(1.0005, 2.428, reference=1.0) == "95% CI 1.0005 to 2.43"
    assert V.interval_text(0.31, 0.9996, reference=1.0) == "95% CI 0.31 to 0.9996"
    assert V.interval_text(1.0005, 2.428) == "95% CI 1.00 to 2.43"
    assert V.interval_text(0.97, 1.54, reference=1.0) == "95% CI 0.97 to 1.54"
    assert interval(0.9996, 1.3, reference=1.0) == "0.9996–\u20601.30" and interval(0.9996, 1.3).startswith("1.00–")
    assert [V.bound_digits(b, 2, 1.0) for b in (1.0005, 1.001, 1.0, 0.996, 2.428)] == [4, 3, 2, 3, 2]


def test_the_sub_period_count_names_its_rate_and_follows_the_data():
    """The README's count for 1951–1970 alone says which rate it judges (per state and IGO in force: it follows a
    clause per membership, and the two rates point opposite ways in that period) and counts the rules and
    measures under which the interval lies above one; raising one measure's ratio changes the count and names
    the measure."""
    from backlash.report import sub_period_counts

    table = pd.DataFrame([{"period": "1951-1970", "rule": r, "measure": m, "irr_state": 1.5, "se_state": 0.25}
                          for r, m in [("a", "polity"), ("b", "polity"), ("a", "vdem"), ("a", "lied")]])
    names = {"polity": "Polity5", "vdem": "V-Dem", "lied": "LIED"}
    assert sub_period_counts(table, (1951, 1970), "a", "polity", names) == (
        "holds per state and IGO in force under 0 of 2 rules and 0 of 3 measures")
    table.loc[table["measure"] == "vdem", "irr_state"] = 2.5
    assert sub_period_counts(table, (1951, 1970), "a", "polity", names) == (
        "holds per state and IGO in force under 0 of 2 rules and 1 of 3 measures (V-Dem)")


def test_the_notes_give_each_verdicts_scope_from_the_verdicts():
    """Replication note 16 gives, beside each verdict under this build's choices, under how many rules (and, for a
    claim about regime type, measures) it holds: change the statuses and the scope changes."""
    from backlash import report

    v = pd.read_csv(paths.VERDICTS)
    rule, measure = withdrawal.DEFAULT_RULE, "polity"
    out = report.verdict_variables(v, rule, measure)
    n_rules = len(withdrawal.RULES)
    for c in claims.CLAIMS:
        if "scope" in out[c.key]:
            assert out[c.key]["scope"].startswith("it holds under ") and (" measures" in out[c.key]["scope"]) == c.regime
    flipped = v.assign(status=V.HOLDS)
    assert report.verdict_variables(flipped, rule, measure)["exits_rise_1980"]["scope"] == \
        f"it holds under {n_rules} of {n_rules} rules"
    none = v.assign(status=V.CANNOT_TELL)
    assert report.verdict_variables(none, rule, measure)["dem_more_after_1970"]["scope"].startswith(
        f"it holds under 0 of {n_rules} rules and 0 of ")
    assert "{{< var data.claims.dem_more_after_1970.scope >}}" in paths.PAPER_QMD.read_text(encoding="utf-8")
