"""The README's summary of the replication agrees with the numbers the pipeline writes."""

from __future__ import annotations

import re

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
    from backlash.democracy import DEFAULT_MEASURE

    c = choices.load()
    if not c.is_default():
        pytest.skip(f"the README describes the default build ({withdrawal.DEFAULT_RULE} rule, {DEFAULT_MEASURE} at its "
                    f"default cut-off); this build has rule {c.withdrawal_rule}, measure {c.democracy}, cut-off "
                    f"{c.democracy_threshold or 'default'} (run `make all` with no choices to compare)")


def test_readme_states_the_one_verdict_rule():
    """The README's replication notes state the verdict rule that decides every verdict, word for word (after a
    colon, so in lower case)."""
    rule = " ".join(VERDICT_RULE.split())
    assert f"(§3.2, \"The article's Figure 1 and its claims\"): {rule[0].lower()}{rule[1:]}" in NOTES


def _expected_blocks() -> dict[str, str]:
    from backlash import democracy, report

    names = {k: m.name for k, m in democracy.MEASURES.items()}
    return report.readme_blocks(_verdicts(), pd.read_csv(paths.REGIME_DECOMPOSITION), withdrawal.DEFAULT_RULE,
                                democracy.DEFAULT_MEASURE, names)


def _block(key: str) -> str:
    from backlash.report import README_BLOCKS

    start, end = README_BLOCKS[key]
    return README[README.index(start) + len(start):README.index(end)].strip()


def test_readme_verdict_list_is_what_the_numbers_generate():
    """The README's list of verdicts across rules and measures is exactly what report.verdict_summary generates
    from verdicts.csv and regime_decomposition.csv (so "holds under every rule" is never typed)."""
    _default_build()
    assert _block("verdicts") == _expected_blocks()["verdicts"], \
        "the README's list of verdicts is not what the outputs say: run `make readme`"


def test_readme_counts_the_rules_and_measures_it_judges():
    """The line that opens the README's verdict list counts the rules and measures of the verdict table, so a
    measure added to democracy.MEASURES (a fifth) changes it at the next `make readme`, and no count of rules
    or measures is typed in the README's prose."""
    from backlash import democracy, report

    verdicts = _verdicts()
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    lead = _expected_blocks()["verdicts"].split("\n")[0]
    assert lead.endswith(f"the {verdicts['rule'].nunique()} withdrawal rules and the "
                         f"{verdicts['measure'].nunique()} democracy measures:")
    extra = verdicts[verdicts["measure"] == "vdem"].assign(measure="libdem")
    names["libdem"] = "V-Dem liberal"
    wider = report.readme_blocks(pd.concat([verdicts, extra]), pd.read_csv(paths.REGIME_DECOMPOSITION),
                                 withdrawal.DEFAULT_RULE, democracy.DEFAULT_MEASURE, names)["verdicts"]
    assert f"the {verdicts['measure'].nunique() + 1} democracy measures:" in wider.split("\n")[0]
    prose = re.sub(r"<!-- verdicts:.*?<!-- verdicts: end -->|<!-- regime:.*?<!-- regime: end -->", "", README,
                   flags=re.S)
    assert not re.search(r"\b(?:ten|four|five|eleven) (?:withdrawal rules|democracy measures)\b", prose)


def _regime_block() -> str:
    return " ".join(_block("regime").split())


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
    assert _block("regime") == _expected_blocks()["regime"], \
        "the README's paragraph on regime type is not what the outputs say: run `make readme`"


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
            "per state and IGO in force, and their "
            "rate per membership was not significantly higher") in block
    assert (f"across every rule and measure, the density ratio in 1971–2014 is {_range(late['density_ratio'], lambda x: f'{x:.2f}')}"
            in block)
    assert "accounted for" not in block
    assert "no more often" not in NOTES and "because they belong to more" not in NOTES


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


def test_readme_validation_counts_are_the_misses_and_say_the_sample_is_purposive():
    """The README gives the validation sample's size, how many of its withdrawals COW's coding cannot show and
    why (the counts of ``validation_misses.csv``, the same under every rule), and says the sample is purposive,
    so the share is not read as COW's coverage of every exit."""
    from backlash import report

    _default_build()
    recall = pd.read_csv(paths.VALIDATION_RECALL)
    misses = pd.read_csv(paths.VALIDATION_MISSES)
    assert recall["not_shown_by_cow"].nunique() == 1, "the README says the count is the same under every rule"
    v = report.validation_variables(recall, misses, withdrawal.DEFAULT_RULE)
    assert (f"validation sample of {v['validation_cases']} documented withdrawals is purposive" in NOTES)
    assert (f"COW's coding cannot show {v['validation_not_shown']} of the {v['validation_cases']}, under every rule "
            f"({v['validation_reasons']})." in NOTES)
    assert "about half" not in NOTES


def _is_random(node) -> bool:
    """Whether ``node`` is ``numpy.random`` (``np.random``) or the ``random`` module."""
    import ast

    return (isinstance(node, ast.Attribute) and node.attr == "random" and isinstance(node.value, ast.Name)
            and node.value.id in ("np", "numpy")) or (isinstance(node, ast.Name) and node.id == "random")


def _seeded_generators() -> set[str]:
    """``module.function`` of every function in src/backlash/ and py/ that draws random numbers."""
    import ast

    found = set()
    for path in sorted((paths.ROOT / "src" / "backlash").rglob("*.py")) + sorted((paths.ROOT / "py").glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        module = (".".join(path.relative_to(paths.ROOT / "src" / "backlash").with_suffix("").parts)
                  if path.is_relative_to(paths.ROOT / "src") else f"py/{path.name}")
        functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
        found |= {f"{module}.{fn.name}" for fn in functions if any(map(_is_random, ast.walk(fn)))}
        inside = {id(n) for fn in functions for n in ast.walk(fn)}
        if any(_is_random(n) and id(n) not in inside for n in ast.walk(tree)):
            found.add(f"{module} (outside any function)")
    return found


def test_readme_lists_every_seeded_draw():
    """The README's "Randomness" item names every function of the pipeline that draws random numbers (found in the
    code: any use of ``numpy.random`` or ``random``), with its seed, and counts them right."""
    from backlash import mechanism
    from backlash.exhibits import model as exhibits_model
    import inspect

    item = " ".join(README[README.index("- **Randomness.**"):README.index("- **Determinism.**")].split())
    generators = _seeded_generators()
    assert generators == {"exhibits.model.electoral_weakness", "mechanism.draw_values"}, (
        f"the code draws random numbers in {sorted(generators)}: list each in the README's Randomness item")
    for name in generators:
        assert f"`{name}`" in item, name
    words = {1: "One", 2: "Two", 3: "Three"}
    assert item.startswith(f"- **Randomness.** {words[len(generators)]} seeded draws in the pipeline")
    seeds = {"exhibits.model.electoral_weakness": inspect.signature(exhibits_model.electoral_weakness)
             .parameters["seed"].default, "mechanism.draw_values": mechanism.SEED}
    for name, seed in seeds.items():
        assert f"`numpy.random.default_rng({seed})`" in item, (name, seed)


@pytest.mark.scratch
def test_make_readme_rewrites_the_generated_blocks_and_refuses_another_build(tmp_path):
    """`backlash readme` (`make readme`) rewrites a stale generated block of the README from the outputs, leaves
    the rest as it was, says when the blocks are current, and refuses to write a build of other choices into the
    README, which describes the default build; without its markers a block cannot be placed, and says so."""
    import shutil
    import subprocess
    import sys

    from _scratch import require_scratch_mark

    from backlash import report

    require_scratch_mark("rewrite the README of a copy of the project")
    for rel in ("README.md", "data/derived/verdicts.csv", "data/derived/regime_decomposition.csv"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(paths.ROOT / rel, tmp_path / rel)
    _default_build()  # (so the recorded choices copied here are the defaults)
    (tmp_path / ".make").mkdir()
    record = tmp_path / ".make/choices.toml"
    shutil.copy2(paths.CHOICES, record)
    readme = tmp_path / "README.md"
    start, end = report.README_BLOCKS["verdicts"]
    text = readme.read_text(encoding="utf-8")
    stale = text[:text.index(start) + len(start)] + "\n- *a verdict typed by hand*: holds.\n" + text[text.index(end):]
    readme.write_text(stale, encoding="utf-8")

    def run() -> subprocess.CompletedProcess:
        env = {**__import__("os").environ, "BACKLASH_ROOT": str(tmp_path)}
        return subprocess.run([sys.executable, "-m", "backlash.cli", "readme"], capture_output=True, text=True,
                              env=env, timeout=120)

    res = run()
    assert res.returncode == 0 and "rewrote README.md's generated blocks" in res.stdout, res.stderr
    assert readme.read_text(encoding="utf-8") == text
    assert "current" in run().stdout
    record.write_text(record.read_text(encoding="utf-8").replace(f'"{withdrawal.DEFAULT_RULE}"', '"strict"'),
                      encoding="utf-8")
    refused = run()
    assert refused.returncode == 1 and "describes the default build" in refused.stderr, refused
    with pytest.raises(ValueError, match="no verdicts block"):
        report.rewrite_readme(text.replace(start, ""), {"verdicts": "x"})
