"""The README's summary of the replication agrees with the numbers the pipeline writes."""

from __future__ import annotations

import pandas as pd

from backlash import paths
from backlash.verdicts import HOLDS

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")


def _status(claim: str) -> set[str]:
    v = pd.read_csv(paths.VERDICTS)
    return set(v.loc[v["claim"] == claim, "status"])


def test_readme_verdicts_match_the_verdict_table():
    """The README says: economic dominance and the rise after 1980 hold under every rule and measure,
    IGOs grow, no regime-type claim holds under any, and the lower bound is not testable."""
    assert "two hold under every rule and every democracy measure" in README
    for claim in ("mostly_economic", "exits_rise_1980", "igos_grow"):
        assert _status(claim) == {HOLDS}, claim
    assert "none of the claims about\nregime type holds under any rule or measure" in README
    for claim in ("dem_more_after_1950", "dem_more_after_1970", "nondem_spike_ww2", "dem_rise_2005"):
        assert HOLDS not in _status(claim), claim
    assert _status("cow_lower_bound") == {"not testable here"}


def test_readme_validation_summary_matches():
    """"COW's coding cannot show about half of [the documented withdrawals]": 40% to 60% under every rule."""
    assert "COW's coding cannot show about half\nof them" in README
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
