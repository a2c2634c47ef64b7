"""The README's summary of the replication agrees with the numbers the pipeline writes."""

from __future__ import annotations

import pandas as pd
import pytest

from backlash import paths, withdrawal
from backlash.verdicts import ALPHA, CANNOT_TELL, HOLDS, VERDICT_RULE

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


def _default_build() -> None:
    """Skip a comparison of the README with the outputs when this build's choices are not the defaults.

    The README describes the default build (``make all``); after ``make all DEMOCRACY=vdem`` (or another
    rule or cut-off) the outputs describe another analysis, and the README is not wrong for it.
    """
    from backlash import choices
    from backlash.democracy import DEFAULT_MEASURE, MEASURES

    c = choices.load()
    default = (c.withdrawal_rule == withdrawal.DEFAULT_RULE and c.democracy == DEFAULT_MEASURE
               and c.democracy_threshold in (None, MEASURES[DEFAULT_MEASURE].threshold))
    if not default:
        pytest.skip(f"the README describes the default build ({withdrawal.DEFAULT_RULE} rule, {DEFAULT_MEASURE} at its "
                    f"default cut-off); this build has rule {c.withdrawal_rule}, measure {c.democracy}, cut-off "
                    f"{c.democracy_threshold or 'default'} (run `make all` with no choices to compare)")


def test_readme_states_the_one_verdict_rule():
    """The README's replication notes state the verdict rule that decides every verdict, word for word (after a
    colon, so in lower case)."""
    rule = " ".join(VERDICT_RULE.split())
    assert f"(§3.2, \"The article's Figure 1 and its claims\"): {rule[0].lower()}{rule[1:]}" in NOTES


def test_readme_verdict_list_is_what_the_numbers_generate():
    """The README's list of verdicts across rules and measures is exactly what report.verdict_summary generates
    from verdicts.csv and regime_decomposition.csv (so "holds under every rule" is never typed)."""
    from backlash import democracy, report

    _default_build()
    start, end = "<!-- verdicts: written from report.verdict_summary; do not edit -->", "<!-- verdicts: end -->"
    written = README[README.index(start) + len(start):README.index(end)].strip()
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    expected = report.verdict_summary(_verdicts(), pd.read_csv(paths.REGIME_DECOMPOSITION), withdrawal.DEFAULT_RULE,
                                      democracy.DEFAULT_MEASURE, names).strip()
    assert written == expected, f"replace the README's list of verdicts by:\n{expected}"


def _regime_block() -> str:
    start, end = "<!-- regime: written from report.regime_notes; do not edit -->", "<!-- regime: end -->"
    return " ".join(README[README.index(start) + len(start):README.index(end)].split())


def test_readme_states_how_consistently_is_judged():
    """The one claim judged by a descriptive threshold, not by an interval, is named where the rule is stated,
    in the words of claims.CONSISTENT_RULE (so its threshold and period are never typed)."""
    from backlash.claims import CONSISTENT_RULE

    assert f"to is not testable here. {CONSISTENT_RULE}" in NOTES
    assert "descriptive threshold on the share of years stated above" in _regime_block()


def test_readme_regime_paragraph_is_what_the_numbers_generate():
    """The paragraph after the verdict list is exactly what report.regime_notes writes from verdicts.csv and
    regime_decomposition.csv ("holds under every rule with Polity5", "cannot tell under 3 of the 4 democracy
    measures", "not significantly more often per membership" are never typed)."""
    from backlash import democracy, report

    _default_build()
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    expected = report.regime_notes(_verdicts(), pd.read_csv(paths.REGIME_DECOMPOSITION), withdrawal.DEFAULT_RULE,
                                   democracy.DEFAULT_MEASURE, names)
    assert _regime_block() == expected, f"replace the README's paragraph between the regime markers by:\n{expected}"


def test_readme_regime_claims_match_the_verdict_table():
    """On the paper's own rate (per state and IGO in force): 1971-2014 holds under every rule with Polity5, and
    under the default rule every other measure cannot tell; the README says both, with the rate ratios."""
    _default_build()
    v, block = _verdicts(), _regime_block()
    assert 'in 1971–2014 is "holds" under every rule with Polity5' in block
    assert _status("dem_more_after_1970", measure="polity") == {HOLDS}
    late = v.query("claim == 'dem_more_after_1970' and measure == 'polity'")["statistic"]
    assert f"(rate ratios {_range(late, lambda x: f'{x:.2f}')})" in block
    others = v.query("claim == 'dem_more_after_1970' and rule == @withdrawal.DEFAULT_RULE and measure != 'polity'")
    assert set(others["status"]) == {CANNOT_TELL}
    n = len(others) + 1
    assert f'"cannot tell" under {len(others)} of the {n} democracy measures' in block
    assert f"rate ratios {_range(others['statistic'], lambda x: f'{x:.2f}')}" in block


def test_readme_decomposition_matches_its_table():
    """Per membership democracies never leave significantly more often; significantly less often only in
    1951-1970 under rules that keep imputed years; the density ratio's range from 1971; no null result is read
    as a fact ("no more often", "because they belong to more")."""
    _default_build()
    d, block = pd.read_csv(paths.REGIME_DECOMPOSITION), _regime_block()
    assert ("Per membership, democracies did not leave significantly more often than nondemocracies in any period "
            "under any rule or measure") in block
    assert not ((d["irr_membership"] > 1) & (d["p_membership"] < ALPHA)).any()
    less = d[(d["irr_membership"] < 1) & (d["p_membership"] < ALPHA)]
    keep = [r for r, spec in withdrawal.RULES.items() if "imputed" not in spec.exclude]
    assert f"significantly less often in 1951–1970 under the {len(keep)} rules that keep imputed years" in block
    assert set(less["period"]) == {"1951-1970"} and set(less["rule"]) == set(keep)
    late = d[d["period"] == "1971-2014"]
    where = late[(late["irr_state"] > 1) & (late["p_state"] < ALPHA)]["density_ratio"]
    spread = _range(where, lambda x: f"{x:.2f}").split(" to ")
    assert (f"they held {spread[0] if len(set(spread)) == 1 else ' to '.join(spread)} times as many memberships "
            "per IGO in force, and their "
            "rate per membership was not significantly higher") in block
    assert (f"across every rule and measure the density ratio is {_range(late['density_ratio'], lambda x: f'{x:.2f}')}"
            in block)
    assert "accounted for" not in block
    assert "no more often" not in NOTES and "because they belong to more" not in NOTES


def test_readme_validation_summary_matches():
    """"COW's coding cannot show about half of [the documented withdrawals]": 40% to 60% under every rule."""
    _default_build()
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


def test_readme_checks_skip_outside_the_default_build(monkeypatch):
    """After `make all DEMOCRACY=vdem` the outputs describe another analysis than the README: its comparisons
    skip with a reason that names both, instead of failing (they failed before)."""
    from backlash import choices

    monkeypatch.setattr(choices, "load", lambda: choices.Choices("no_imputed", "vdem", None))
    with pytest.raises(pytest.skip.Exception, match="describes the default build.*measure vdem"):
        _default_build()
    monkeypatch.setattr(choices, "load", lambda: choices.Choices(withdrawal.DEFAULT_RULE, "polity", None))
    _default_build()


def test_regime_notes_follow_the_numbers():
    """Change the numbers and the README's regime paragraph changes its words: every measure holding, a
    significant rate per membership, no significantly lower one, a lower one under another rule."""
    from backlash import democracy, report

    names = {k: m.name for k, m in democracy.MEASURES.items()}
    v, d = _verdicts(), pd.read_csv(paths.REGIME_DECOMPOSITION)
    rule, measure = withdrawal.DEFAULT_RULE, democracy.DEFAULT_MEASURE

    def notes(v=v, d=d):
        return report.regime_notes(v, d, rule, measure, names)

    late = v["claim"] == "dem_more_after_1970"
    all_hold = v.copy()
    all_hold.loc[late, "status"] = HOLDS
    assert '"holds" under every democracy measure' in notes(v=all_hold) and "cannot tell" not in notes(v=all_hold)
    mixed = v.copy()
    mixed.loc[late & (v["measure"] == measure) & (v["rule"] == "strict"), "status"] = CANNOT_TELL
    assert '"holds" under 9 of the 10 rules' in notes(v=mixed) and '"cannot tell" under 1 (`strict`' in notes(v=mixed)

    higher = d.copy()
    row = (d["period"] == "1971-2014") & (d["rule"] == rule) & (d["measure"] == measure)
    higher.loc[row, ["irr_membership", "p_membership"]] = [1.4, 0.01]
    text = notes(d=higher)
    assert "did not leave significantly more often" not in text
    assert f"left significantly more often than nondemocracies in 1 of the {len(d)} combinations" in text
    assert "the denser membership is not the whole of the higher rate" in text and "accounted for" not in text
    none_lower = d.copy()
    none_lower["p_membership"] = 0.5
    assert "significantly less often" not in notes(d=none_lower)
    other = d.copy()
    other.loc[(d["period"] == "1951-1970") & (d["rule"] == "strict") & (d["measure"] == measure),
              ["irr_membership", "p_membership"]] = [0.5, 0.001]
    assert "under `strict` with" in notes(d=other) and "rules that keep imputed years" not in notes(d=other)
