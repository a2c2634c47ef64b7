"""The README's summary of the replication agrees with the numbers the pipeline writes."""

from __future__ import annotations

import pandas as pd

from backlash import paths, withdrawal
from backlash.verdicts import ALPHA, FAILS, HOLDS

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


NOTES = " ".join(README[README.index("## Replication notes"):README.index("## Licence and citation")].split())


def _verdicts() -> pd.DataFrame:
    return pd.read_csv(paths.VERDICTS)


def _status(claim: str, **where: str) -> set[str]:
    v = _verdicts()
    v = v[v["claim"] == claim]
    for col, value in where.items():
        v = v[v[col] == value]
    return set(v["status"])


def _range(values: pd.Series, fmt) -> str:
    return f"{fmt(values.min())} to {fmt(values.max())}"


def test_readme_verdicts_match_the_verdict_table():
    """The README says: economic dominance, the rise after 1980 and rarity hold under every rule and measure,
    IGOs grow, and the lower bound is not testable."""
    assert "three hold under every rule and every democracy measure" in NOTES
    for claim in ("mostly_economic", "exits_rise_1980", "exit_rare", "igos_grow"):
        assert _status(claim) == {HOLDS}, claim
    rare = _verdicts().query("claim == 'exit_rare'")["statistic"]
    assert f"exit is rare, at {_range(rare, lambda x: f'{x:.2%}')} of memberships a year" in NOTES
    assert _status("cow_lower_bound") == {"not testable here"}


def test_readme_regime_claims_match_the_verdict_table():
    """On the paper's own rate (per state and IGO in force): 1971-2014 holds under every rule with Polity5 and
    under no other measure, 1951-1970 only under V-Dem, "consistently" nowhere (with the range of shares of
    years), no spike and no rise from 2005."""
    from backlash.claims import CONSISTENT_SHARE

    v = _verdicts()
    assert ("democracies left more often than nondemocracies in 1971–2014 under every rule with Polity5" in NOTES
            and "but under none of the three other democracy measures" in NOTES)
    assert _status("dem_more_after_1970", measure="polity") == {HOLDS}
    assert _status("dem_more_after_1970", rule=withdrawal.DEFAULT_RULE) == {HOLDS, FAILS}
    assert set(v.query("claim == 'dem_more_after_1970' and status == 'holds'")["measure"]) == {"polity"}
    late = v.query("claim == 'dem_more_after_1970' and measure == 'polity'")["statistic"]
    assert f"(rate ratios {_range(late, lambda x: f'{x:.2f}')})" in NOTES
    assert "in 1951–1970 only under V-Dem" in NOTES
    held = v.query("claim == 'dem_more_after_1950' and status == 'holds'")
    assert set(held["measure"]) == {"vdem"} and set(held["rule"]) == {withdrawal.DEFAULT_RULE}
    shares = v.query("claim == 'dem_consistent_after_1970'")["statistic"]
    assert _status("dem_consistent_after_1970") == {FAILS}
    assert (f"higher one in {_range(shares, lambda x: f'{x:.0%}')} of the years from 1971, short of the "
            f"{CONSISTENT_SHARE:.0%} we require") in NOTES
    assert "neither a post-war spike of nondemocratic exits nor a democratic rise from 2005" in NOTES
    for claim in ("nondem_spike_ww2", "dem_rise_2005"):
        assert HOLDS not in _status(claim), claim


def test_readme_decomposition_matches_its_table():
    """Per membership democracies never leave significantly more often; significantly less often only in
    1951-1970 under rules that keep imputed years; the density ratio's range from 1971."""
    d = pd.read_csv(paths.REGIME_DECOMPOSITION)
    assert "Per membership, democracies left no more often than nondemocracies in any period under any rule" in NOTES
    assert not ((d["irr_membership"] > 1) & (d["p_membership"] < ALPHA)).any()
    less = d[(d["irr_membership"] < 1) & (d["p_membership"] < ALPHA)]
    assert "less often in 1951–1970 under the rules that keep imputed years" in NOTES
    assert set(less["period"]) == {"1951-1970"}
    assert all("imputed" not in withdrawal.RULES[r].exclude for r in less["rule"])
    late = d[d["period"] == "1971-2014"]["density_ratio"]
    assert f"{_range(late, lambda x: f'{x:.2f}')} times as many memberships per IGO in force from 1971" in NOTES


def test_readme_validation_summary_matches():
    """"COW's coding cannot show about half of [the documented withdrawals]": 40% to 60% under every rule."""
    assert "COW's coding cannot show about half of them" in NOTES
    recall = pd.read_csv(paths.VALIDATION_RECALL)
    share = recall["not_shown_by_cow"] / recall["cases"]
    assert share.between(0.4, 0.6).all()


def test_every_step_is_in_the_exhibits_table():
    """Each script of py/ is named in the README's list of exhibits (or is the raw-data cache, an
    internal step), so a reader finds every output from the README."""
    table = README[README.index("## List of exhibits"):README.index("## Adding an exhibit")]
    for script in sorted((paths.ROOT / "py").glob("*.py")):
        if script.name != "raw_cache.py":
            assert f"py/{script.name}" in table, script.name
