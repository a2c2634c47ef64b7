"""Each idea in one place: a step's declaration, an analysis choice, a democracy measure, a model parameter,
a withdrawal rule.

The runner is a build tool no step depends on; every script reads the analysis choices from their one
record (also when run alone); and a new measure, parameter or rule is one entry that the command line,
the data dictionary, the report's tables, the figures and the explorer pick up. The additions are made
in a scratch copy of the sources and checked through the library and single scripts, without a rebuild
(tests/test_extension.py rebuilds the whole report with another rule, measure and cut-off).
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from _scratch import ROOT, ROOT_PYTHON, clean_env, make, require_scratch_mark

from backlash import choices, claims, paths, pipeline, robustness, withdrawal

STEPS = pipeline.load_steps()
BY_NAME = {s.name: s for s in STEPS}


# --------------------------------------------------------------------------- declarations and the runner
def test_no_step_depends_on_the_runner():
    """Editing the runner (backlash.pipeline) reruns no step: no generated rule lists it, and make, asked
    what it would do if pipeline.py were new (`make -q -W src/backlash/pipeline.py all`), has nothing to do."""
    for s in STEPS:
        assert "src/backlash/pipeline.py" not in pipeline.step_prerequisites(s, STEPS, ROOT), s.name
        assert "src/backlash/declaration.py" in pipeline.step_prerequisites(s, STEPS, ROOT), s.name
    res = subprocess.run(["make", "-q", "-W", "src/backlash/pipeline.py", "all", *ROOT_PYTHON], cwd=ROOT,
                         capture_output=True, text=True, env=clean_env())
    assert res.returncode == 0, res.stdout + res.stderr
    res = subprocess.run(["make", "-q", "-W", "src/backlash/declaration.py", "all", *ROOT_PYTHON], cwd=ROOT,
                         capture_output=True, text=True, env=clean_env())
    assert res.returncode == 1  # the check can fail: the declaration module is every step's prerequisite


def test_scripts_take_no_arguments_and_exactly_the_choice_readers_declare_the_record():
    """No script reads sys.argv (each runs the same alone as in its group), and a script declares the
    record of the analysis choices among its reads if and only if it calls choices.load()."""
    for s in STEPS:
        tree = ast.parse(s.script.read_text(encoding="utf-8"))
        names = {(getattr(n.value, "id", None), n.attr) for n in ast.walk(tree) if isinstance(n, ast.Attribute)}
        assert ("sys", "argv") not in names, s.name
        assert (("choices", "load") in names) == (paths.CHOICES in s.reads), s.name


def _scratch_root(tmp: Path, steps: list[str], record: str | None) -> Path:
    """A project root holding only what the named steps declare they read (the raw files, read-only, and the
    manifest they and the caches of their parsed tables are checked against), with ``record`` as the record
    of the analysis choices."""
    require_scratch_mark("run steps in a copy of the project")
    root = tmp
    (root / "data").mkdir(parents=True)
    (root / "data/raw").symlink_to(paths.RAW)
    for name in steps:
        for p in pipeline.step_prerequisites(BY_NAME[name], STEPS, ROOT):
            src = ROOT / p
            if p.startswith(("src/", "py/", "$(", "data/raw/")) or p == ".make/choices.toml" or not src.is_file():
                continue
            (root / p).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(src, root / p)
    shutil.copy2(paths.SOURCES_MANIFEST, root / "data/sources.toml")
    for folder in ("data/derived", "figures", "paper/generated"):
        (root / folder).mkdir(parents=True, exist_ok=True)
    if record is not None:
        (root / ".make").mkdir()
        (root / ".make/choices.toml").write_text(record, encoding="utf-8")
    return root


def _run_alone(root: Path, script: Path, src: Path = ROOT / "src") -> subprocess.Popen:
    """``PYTHONPATH=src python py/<script>.py``, as a user runs one script, on the project at ``root``."""
    return subprocess.Popen([sys.executable, str(script)], env=clean_env(PYTHONPATH=str(src), BACKLASH_ROOT=str(root)),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


@pytest.mark.scratch
def test_each_choice_reading_script_runs_alone_with_the_recorded_choices(tmp_path):
    """Run alone on copies of their declared inputs, the scripts that use an analysis choice write the
    same bytes as the build (so they read the record make wrote, as the build's steps do); under another
    record (rule `strict`) the withdrawals follow it; without a record a script stops and says how to
    write one, instead of falling back to a default."""
    readers = ["regime_panel", "withdrawals", "verdicts", "empirics_numbers"]
    record = paths.CHOICES.read_text(encoding="utf-8")
    same = _scratch_root(tmp_path / "same", readers, record)
    strict = _scratch_root(tmp_path / "strict", ["withdrawals"], record.replace(
        f'withdrawal_rule = "{choices.load().withdrawal_rule}"', 'withdrawal_rule = "strict"'))
    none = _scratch_root(tmp_path / "none", ["regime_panel"], None)
    runs = {name: _run_alone(same, BY_NAME[name].script) for name in readers}
    runs["strict"] = _run_alone(strict, BY_NAME["withdrawals"].script)
    runs["none"] = _run_alone(none, BY_NAME["regime_panel"].script)
    done = {name: (p.wait(timeout=300), *p.communicate()) for name, p in runs.items()}
    for name in readers:
        code, out, err = done[name]
        assert code == 0, (name, out, err)
        for w in BY_NAME[name].writes:
            rel = w.relative_to(ROOT)
            assert (same / rel).read_bytes() == w.read_bytes(), f"py/{name}.py run alone wrote another {rel}"
    assert done["strict"][0] == 0, done["strict"]
    assert set(pd.read_csv(strict / "data/derived/withdrawals.csv")["rule"]) == {"strict"}
    code, _, err = done["none"]
    assert code == 1 and "no analysis choices are recorded in .make/choices.toml" in err and "make all" in err
    assert not (none / "data/derived/regime_panel.csv").exists()


@pytest.mark.scratch
def test_a_figure_drawn_again_elsewhere_is_the_same_bytes(tmp_path):
    """A figure step run alone, in another process and folder, writes the build's bytes in every format
    (fixed metadata, no date, no path): the figures are deterministic run to run."""
    figure = next(s for s in STEPS if s.group == "model" and any(w.suffix == ".pdf" for w in s.writes))
    root = _scratch_root(tmp_path / "figure", [figure.name], paths.CHOICES.read_text(encoding="utf-8"))
    code, out, err = (p := _run_alone(root, figure.script)).wait(timeout=300), *p.communicate()
    assert code == 0, (out, err)
    for w in figure.writes:
        rel = w.relative_to(ROOT)
        assert (root / rel).read_bytes() == w.read_bytes(), f"py/{figure.name}.py drawn again wrote another {rel}"


# --------------------------------------------------------------------------- rules from a notebook
def _code_strings(path: Path):
    """Every string literal of a Python file that is not a docstring, with its line."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                  and node.body and isinstance(node.body[0], ast.Expr) and isinstance(node.body[0].value, ast.Constant)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node.lineno, node.value


#: A rate of the count model spelled in words (any case); "per membership-year" is a statistic, not an exposure.
RATE_WORDS = re.compile(r"per state and (per )?IGO|per membership(?!-year)", re.I)
#: What the report's own text may hold without naming a rate by hand: the front matter's opening fence,
#: fenced code, HTML comments, and shortcodes (a ``{{< var data.rates.… >}}`` is the declaration's words).
_NOT_PROSE = re.compile(r"\A---\n.*?\n---\n|^```.*?^```|<!--.*?-->|\{\{<.*?>\}\}", re.S | re.M)


def _report_sources() -> list[Path]:
    """The hand-written sources the report is built from: paper.qmd, and the Markdown, Lua and Typst files of
    paper/ and the library that it includes or filters through (not paper/generated/, which code writes)."""
    return sorted({ROOT / "paper/paper.qmd", *(p for ext in ("md", "lua", "typ", "yml")
                                               for folder in (ROOT / "paper", ROOT / "src/backlash")
                                               for p in folder.glob(f"*.{ext}"))})


def test_the_rates_are_named_in_one_place():
    """The two rates of the count model are named once, in ``countmodel.EXPOSURES`` (the density's words are
    made from the paper's rate): no other string of the library or of a step, and nothing of the report's
    own text (paper.qmd outside its front matter, code, comments and shortcodes, and the Markdown, Lua and
    Typst sources beside it), spells "per state and (per) IGO" or "per membership" in any case (a yearly
    rate per membership-year is a statistic, not an exposure). So every sentence, heading, caption, table
    header, axis label and data-dictionary entry writes them as they are declared; the only spellings found
    are the ``Exposure(...)`` entries whose words the search recognises."""
    from backlash import countmodel

    declared = {e.rate for e in countmodel.EXPOSURES.values()}
    assert countmodel.PAPER_RATE in declared and countmodel.MEMBERSHIP_RATE in declared
    assert countmodel.DENSITY == f"memberships {countmodel.PAPER_RATE}"
    spelled = set()
    for path in sorted([*(ROOT / "src/backlash").rglob("*.py"), *(ROOT / "py").glob("*.py")]):
        for line, text in _code_strings(path):
            if RATE_WORDS.search(text):
                spelled.add(f"{path.relative_to(ROOT)}:{line}")
    for path in _report_sources():
        text = path.read_text(encoding="utf-8")
        prose = _NOT_PROSE.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)  # lines keep their numbers
        for m in RATE_WORDS.finditer(prose):
            spelled.add(f"{path.relative_to(ROOT)}:{prose.count(chr(10), 0, m.start()) + 1}")
    declaration = {f"src/backlash/countmodel.py:{line}" for line, rate in _exposure_rates(ROOT / "src/backlash/countmodel.py")
                   if RATE_WORDS.search(rate)}
    assert declaration, "the search recognises no declared rate, so it would find nothing"
    assert spelled == declaration, f"rates spelled by hand: {sorted(spelled - declaration)}"


def _exposure_rates(path: Path) -> list[tuple[int, str]]:
    """The line and the words of each ``Exposure(...)`` entry's rate string in countmodel.py."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [(call.args[2].lineno, call.args[2].value) for call in ast.walk(tree)
            if isinstance(call, ast.Call) and getattr(call.func, "id", None) == "Exposure" and len(call.args) > 2]


def test_the_reports_rate_words_are_the_declarations():
    """Every ``{{< var data.rates.… >}}`` of paper.qmd resolves, in the build's _variables.yml, to exactly the
    words of ``countmodel.EXPOSURES`` (the paper's rate, the membership rate, the density); the caption of
    Table 4 quotes, with them, the headers the count model's table carries; and a rate declared otherwise
    changes the report's generated words, capitalised at the start of a sentence."""
    import yaml

    from backlash import countmodel, report

    rates = yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))["data"]["rates"]
    assert rates == {"paper": countmodel.PAPER_RATE, "membership": countmodel.MEMBERSHIP_RATE,
                     "density": countmodel.DENSITY}
    qmd = (ROOT / "paper/paper.qmd").read_text(encoding="utf-8")
    used = set(re.findall(r"\{\{< var data\.rates\.(\w+) >\}\}", qmd))
    assert used == set(rates)
    caption = next(line for line in qmd.splitlines() if line.endswith("{#tbl-count}"))
    quoted = re.findall(r'"\{\{< var data\.rates\.(\w+) >\}\}"', caption)
    assert quoted == ["paper", "membership"]
    header = (paths.PAPER_GENERATED / "tbl-count.md").read_text(encoding="utf-8").splitlines()[0]
    assert [c.strip() for c in header.strip("|").split("|")][1::2][:2] == [report.count_header(rates[k]) for k in quoted]
    # the words follow the declaration: another membership rate, and the sentences and variables say it
    rows = pd.DataFrame({"membership_ratio": [0.5, 1.1], "membership_p": [0.01, 0.6]})
    assert report.membership_counts(rows, rows).startswith("Per membership, by the same rule, it does not hold")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(report, "MEMBERSHIP_RATE", "per full membership")
        assert report.membership_counts(rows, rows).startswith("Per full membership, by the same rule, it does not")
        assert report.rate_variables()["membership"] == "per full membership"


def test_a_custom_rule_needs_no_entry_in_rules():
    """A Rule built in a notebook is accepted wherever a rule is (the withdrawals, the sensitivity table,
    Figure 6's series and titles, the verdicts and the exposure they count; the validation takes rules the
    same way), without touching withdrawal.RULES."""
    candidates, regime = pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL)
    mine = withdrawal.Rule("no_seam_only", "only the 1965 seam dropped", "basic, and t is not 1965",
                           require=withdrawal.BASIC_FLAGS, exclude=("seam_1965",))
    before = list(withdrawal.RULES)
    w = withdrawal.withdrawals(candidates, regime, mine)
    basic = withdrawal.withdrawals(candidates, regime, "basic")
    assert 0 < len(w) < len(basic) and (w["year"] != 1965).all()
    table = withdrawal.sensitivity_table(candidates, regime, rules=["basic", mine])
    assert list(table["rule"]) == ["basic", "no_seam_only"] and table["total"].tolist() == [len(basic), len(w)]
    series = robustness.rule_series(candidates, regime, pd.read_csv(paths.IGO_PANEL), rules=[mine])
    assert set(series["rule"]) == {"no_seam_only"} and series["w_dem"].sum() + series["w_nondem"].sum() <= len(w)
    assert withdrawal.rule_title(mine) == "only the 1965 seam dropped\n(no_seam_only)"  # no number: not in RULES
    assert withdrawal.rule_title("basic") == withdrawal.rule_title(withdrawal.RULES["basic"])
    # the verdicts too: the rule's exposure follows its flags' declarations (the seam year is not seen)
    igo_panel, state_year = pd.read_csv(paths.IGO_PANEL), pd.read_csv(paths.STATE_YEAR_PANEL)
    share = claims.observed_share(igo_panel, (1960, 1970), mine)
    assert share[1965] == 0 and (share.drop(1965) == 1).all()
    verdicts = claims.verdict_table(candidates, regime, igo_panel, state_year, rules=["basic", mine], rule=mine)
    assert set(verdicts["rule"]) == {"basic", "no_seam_only"}
    assert list(withdrawal.RULES) == before
    with pytest.raises(ValueError, match="unknown withdrawal rule 'nope'.*or pass a withdrawal.Rule"):
        withdrawal.withdrawals(candidates, regime, "nope")


def test_the_readmes_recipe_rebuilds_the_count_model_under_a_new_rule():
    """The README's example ("A withdrawal rule") runs as printed: the state-year panel and the count model
    under a rule built in the notebook, and the sensitivity table with that rule beside the declared ones."""
    import re

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### A withdrawal rule"):readme.index("### A democracy measure")]
    (code,) = re.findall(r"```python\n(.*?)```", section, flags=re.S)
    scope: dict = {}
    exec(compile(code, "README.md", "exec"), scope)  # noqa: S102 - our own README
    assert not scope["panel"].empty and scope["panel"]["withdrawals"].sum() == len(scope["w"])
    assert list(withdrawal.sensitivity_table(scope["candidates"], scope["regime"], rules=[*withdrawal.RULES,
                scope["mine"]])["rule"]) == [*withdrawal.RULES, "no_seam_only"]


# --------------------------------------------------------------------------- one entry each
_NEW_MEASURE = '''
    Measure(key="vdem_liberal", name="V-Dem liberal", column="v2x_libdem", threshold=0.5, strict=True,
            domain=(0, 1), reason="a test entry", description="V-Dem liberal democracy index", unit="index",
            source=Source(paths.VDEM, "vdem_simple", label="vdem_country_name", unit="vdem_cowcode",
                          score="v2x_libdem")),
)
DEFAULT_MEASURE'''
_NEW_RULE = '''
    Rule(name="no_seam_only", label="only the seam dropped", description="basic, and t is not 1965",
         require=BASIC_FLAGS, exclude=("seam_1965",)),
)
#: Rules in nesting order'''
_NEW_PARAMETER = '''
    delta: float = _parameter(0.0, r"\\delta", "δ", "a test parameter", Domain(0), Slider(0, 0.5, 0.01))
    calibration: str = "equations"

    def __post_init__'''

#: What the scratch copy is asked, in one process (its answers are checked below).
_PROBE = r'''
import contextlib, io, json, subprocess, sys
import pandas as pd
from backlash import choices, cli, democracy, dictionary, explorer, model, paths, plots, raw, report, withdrawal
from backlash import data, robustness
from backlash.exhibits import model as model_exhibits
out = {}
# the measure
out["measure_accepted"] = choices.problem("DEMOCRACY", "vdem_liberal")
out["measure_cutoff_checked"] = choices.problem("DEMOCRACY_THRESHOLD", "2", {"democracy": "vdem_liberal"})
states = raw.read_states()
regime, _ = data.regime_panel(raw.read_polity(), data.system_membership(states))
tables = {k: raw.read_source(m.source) for k, m in democracy.MEASURES.items() if m.source is not None}
panel, coverage = democracy.measures_panel(regime, tables)
out["panel_columns"] = list(panel.columns)
out["coverage_keys"] = sorted(coverage)
docs = dictionary.DERIVED
out["dictionary_columns"] = [c.name for c in docs["democracy_measures.csv"].columns]
out["dictionary_coverage"] = [c.name for c in docs["democracy_coverage.json"].columns]
out["dictionary_allowed"] = [c.allowed for c in docs["verdicts.csv"].columns if c.name == "measure"]
series = robustness.measure_series(pd.read_csv(paths.WITHDRAWALS), panel, pd.read_csv(paths.IGO_PANEL))
titles = {m.name: series[series["measure"] == k] for k, m in democracy.MEASURES.items()}
fig = plots.small_multiples(titles, 5, "rate")
out["figure7_panels"] = [ax.get_title(loc="left") for ax in fig.axes if ax.get_visible() and ax.get_title(loc="left")]
names = {k: m.name for k, m in democracy.MEASURES.items()}
out["crosswalk"] = report.crosswalk_sentence(coverage, names)
# the parameter
out["params_default"] = model.ModelParams().to_dict()
try:
    model.ModelParams(delta=-1.0)
except ValueError as exc:
    out["params_refused"] = str(exc)
help_text = io.StringIO()
with contextlib.redirect_stdout(help_text), contextlib.suppress(SystemExit):
    cli.main(["model", "--help"])
out["cli_help"] = help_text.getvalue()
js = io.StringIO()
with contextlib.redirect_stdout(js):
    cli.main(["model", "--delta", "0.25", "--json"])
out["cli_json"] = json.loads(js.getvalue())["params"]
grid = io.StringIO()
with contextlib.redirect_stdout(grid):
    cli.main(["model", "--delta", "0:0.5:2"])
out["cli_grid_header"] = grid.getvalue().splitlines()[0]
presets = explorer.explorer_presets()
out["explorer_keys"] = [p["key"] for p in presets["parameters"]]
out["explorer_preset"] = presets["presets"]["prop3"]
out["curve_fields"] = list(model_exhibits.CURVE_FIELDS)
(paths.PAPER_GENERATED).mkdir(parents=True, exist_ok=True)
paths.EXPLORER_PRESETS.write_text(explorer.presets_script(presets), encoding="utf-8")
# the rule
out["rule_accepted"] = choices.problem("WITHDRAWAL_RULE", "no_seam_only")
out["rules_table"] = report.rules_table_md()
print(json.dumps(out))
'''


@pytest.fixture(scope="module")
def extended_copy(tmp_path_factory) -> dict:
    """A copy of the sources with one more democracy measure, model parameter and withdrawal rule, each
    added as one entry (the parameter also enters the equations' signature, as a real one would)."""
    require_scratch_mark("run steps in a copy of the project")
    copy = tmp_path_factory.mktemp("one_place")
    shutil.copytree(ROOT / "src", copy / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copytree(ROOT / "py", copy / "py", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(ROOT / "paper/explorer", copy / "paper/explorer")
    edits = {"democracy.py": ("\n)\nDEFAULT_MEASURE", _NEW_MEASURE), "withdrawal.py": ("\n)\n#: Rules in nesting order", _NEW_RULE),
             "model.py": ('\n    calibration: str = "equations"\n\n    def __post_init__', _NEW_PARAMETER)}
    for module, (old, new) in edits.items():
        file = copy / "src/backlash" / module
        text = file.read_text(encoding="utf-8")
        assert text.count(old) == 1, module
        file.write_text(text.replace(old, new), encoding="utf-8")
    model_py = copy / "src/backlash/model.py"
    model_py.write_text(model_py.read_text(encoding="utf-8").replace(
        'def outcome(alpha_r, alpha_e, x_h, lam, gamma, *, b=1.0, psi=1.0, c=0.0, m=1.0, calibration="equations")',
        'def outcome(alpha_r, alpha_e, x_h, lam, gamma, *, b=1.0, psi=1.0, c=0.0, m=1.0, delta=0.0, '
        'calibration="equations")'), encoding="utf-8")
    # the project's data, read only; the copy's generated files go to its own paper/generated
    root = copy / "root"
    for folder in ("data", "figures", "paper/generated", ".make"):
        (root / folder).mkdir(parents=True)
    for p in ("data/raw", "data/cache", "data/sources.toml"):
        (root / p).symlink_to(ROOT / p)
    (root / "data/derived").mkdir()
    for name in ("withdrawals.csv", "igo_panel.csv", "withdrawal_candidates.csv", "regime_panel.csv"):
        shutil.copy2(paths.DERIVED / name, root / "data/derived" / name)
    shutil.copy2(paths.CHOICES, root / ".make/choices.toml")
    (copy / "paper/generated").symlink_to(root / "paper/generated")
    env = clean_env(PYTHONPATH=str(copy / "src"), BACKLASH_ROOT=str(root))
    res = subprocess.run([sys.executable, "-c", _PROBE], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    figure6 = subprocess.run([sys.executable, str(copy / "py/figure1_rules.py")], capture_output=True, text=True,
                             env=env, timeout=300)
    return {"copy": copy, "root": root, "env": env, "probe": json.loads(res.stdout), "figure6": figure6}


@pytest.mark.scratch
def test_a_new_measure_is_one_entry(extended_copy):
    """One Measure entry in democracy.MEASURES: make accepts DEMOCRACY=<key> and checks its cut-off against
    its range before any work; the measures panel reads its score from its file; the data dictionary
    documents its column and coverage; Figure 7 gets a panel for it; the crosswalk sentence names it."""
    p = extended_copy["probe"]
    assert p["measure_accepted"] is None
    assert "V-Dem liberal's v2x_libdem (0 to 1)" in p["measure_cutoff_checked"]
    assert p["panel_columns"][-1] == "v2x_libdem" and "vdem_liberal" in p["coverage_keys"]
    assert "v2x_libdem" in p["dictionary_columns"] and "vdem_liberal" in p["dictionary_coverage"]
    assert p["dictionary_allowed"] == ["polity, bmr, vdem, lied, vdem_liberal"]
    assert p["figure7_panels"] == ["Polity5", "Boix–Miller–Rosato", "V-Dem", "LIED", "V-Dem liberal"]
    assert "V-Dem liberal drops" in p["crosswalk"]


@pytest.mark.scratch
def test_a_new_parameter_is_one_entry(extended_copy):
    """One field of ModelParams (with its metadata): it has a default and a checked domain, its own option
    on the command line (help, JSON and grid), a slider in the explorer's presets (which the page builds its
    sliders, checks and address from) and a place among the parameters written with each figure."""
    p = extended_copy["probe"]
    assert p["params_default"]["delta"] == 0.0
    assert p["params_refused"].startswith("delta must satisfy delta >= 0")
    assert "--delta DELTA" in p["cli_help"] and "a test parameter, delta >= 0 (default 0)" in " ".join(
        p["cli_help"].split())
    assert p["cli_json"]["delta"] == 0.25
    assert ",m,delta,calibration," in p["cli_grid_header"]
    assert p["explorer_keys"][-1] == "delta" and p["explorer_preset"]["delta"] == 0.0
    assert p["curve_fields"][-1] == "delta"


@pytest.mark.scratch
def test_the_explorer_takes_a_new_parameter_from_the_presets(extended_copy, tmp_path):
    """The explorer's JavaScript, loaded with the copy's presets, lists the new parameter, flags a value
    outside its domain under its name, and writes it into the address."""
    node = shutil.which("node") or shutil.which("nodejs")
    if node is None:
        pytest.skip("node is not installed (Debian package nodejs); .ci/run installs it")
    script = textwrap.dedent(f"""
        const m = require({json.dumps(str(extended_copy['copy'] / 'paper/explorer/explorer.js'))});
        const p = {{lam: 0.5, alpha_r: 0.7, alpha_e: 0.4, x_h: 0.125, b_psi: 1, gamma: 1.05, c: 0, delta: -1,
                   calibration: "equations"}};
        process.stdout.write(JSON.stringify({{params: m.PARAMS, errors: m.validate(p), hash: m.formatHash(p)}}));
    """)
    res = subprocess.run([node, "-e", script], capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stderr
    got = json.loads(res.stdout)
    assert got["params"][-1] == "delta"
    assert got["errors"] == {"delta": "δ must be at least 0"}
    assert "&delta=-1&" in got["hash"]


@pytest.mark.scratch
def test_an_eleventh_rule_appears_in_figure_6(extended_copy):
    """One more Rule entry in withdrawal.RULES: make accepts it, Table 1 lists it as rule 11, and
    py/figure1_rules.py (run alone) draws an 11th panel titled with its readable name and code name: the
    grid is sized from the rules, so none is cut off."""
    p, run = extended_copy["probe"], extended_copy["figure6"]
    assert p["rule_accepted"] is None
    assert "| 11 | only the seam dropped (`no_seam_only`) |" in p["rules_table"]
    assert run.returncode == 0, run.stderr[-3000:]
    root = extended_copy["root"]
    assert pd.read_csv(root / "data/derived/figure1_rules_series.csv")["rule"].nunique() == 11
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext is not installed (Debian package poppler-utils)")
    text = subprocess.run(["pdftotext", str(root / "figures/figure1_rules.pdf"), "-"], capture_output=True,
                          text=True).stdout
    assert "11 only the seam dropped" in text and "(no_seam_only)" in text and "10 state not ending soon" in text


# --------------------------------------------------------------------------- figures at their printed size
def test_figures_are_drawn_at_their_printed_size():
    """Every figure of the report is drawn as wide as the report prints it (the text width of the A4 page
    in paper/_metadata.yml, or the `width=` the figure is given in paper.qmd), so the font sizes in the code
    are the printed sizes, which save_figure keeps at 8 pt or more."""
    import re

    import yaml
    from PIL import Image

    from backlash import plots

    meta = yaml.safe_load((ROOT / "paper/_metadata.yml").read_text(encoding="utf-8"))["format"]["typst"]
    assert meta["papersize"] == "a4" and meta["margin"]["x"] == "2.4cm"
    assert plots.TEXT_WIDTH == pytest.approx((21.0 - 2 * 2.4) / 2.54)
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    shown = re.findall(r"\(\.\./figures/(\w+)\)\{#fig-[\w-]+([^}]*)\}", qmd)  # no extension: each format picks its own
    assert len(shown) >= 7
    dpi = plots.STYLE["savefig.dpi"]
    for name, attrs in shown:
        width = re.search(r"width=(\d+)%", attrs)
        printed = plots.TEXT_WIDTH * (int(width.group(1)) / 100 if width else 1.0)
        with Image.open(paths.figure(name, "png")) as png:
            assert png.width / dpi == pytest.approx(printed, abs=1.5 / dpi), name


def test_no_figure_is_clipped_at_its_edge():
    """No figure's PNG has ink in its outermost rows or columns: every label lies inside the figure (before, the
    layout computed for the PDF was kept for the PNG, whose wider text lost the first letter of the longest rule
    label of the decomposition figure)."""
    import numpy as np
    from PIL import Image

    for png in sorted(paths.FIGURES.glob("*.png")):
        with Image.open(png) as image:
            ink = np.asarray(image.convert("L")) < 230
        edges = {"left": ink[:, 0], "right": ink[:, -1], "top": ink[0], "bottom": ink[-1]}
        assert not [side for side, line in edges.items() if line.any()], png.name


def test_save_figure_refuses_text_below_8_pt(tmp_path):
    """A figure with text smaller than 8 pt at its printed size is not written; the message names the text."""
    from backlash import plots

    fig, ax = plots.new_figure(height=2.0)
    ax.set_title("too small", fontsize=7)
    with pytest.raises(ValueError, match=r"'too small' at 7 pt"):
        plots.save_figure(fig, tmp_path / "f.pdf", tmp_path / "f.png")
    assert list(tmp_path.iterdir()) == []
    fig, ax = plots.new_figure(height=2.0)
    ax.plot([0, 1], [0, 1])
    plots.save_figure(fig, *(tmp_path / f"f.{ext}" for ext in paths.FIGURE_FORMATS))
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"f.{ext}" for ext in paths.FIGURE_FORMATS)


def test_plot_styles_take_matplotlib_keywords():
    """From a notebook, the look changes without editing the package: apply_style takes rcParams, and a plot
    function's `style` lays matplotlib line keywords over the shared look of a series."""
    import matplotlib.pyplot as plt

    from backlash import plots
    from backlash.exhibits import model as model_exhibits

    plots.apply_style({"font.size": 11})
    assert plt.rcParams["font.size"] == 11 and plt.rcParams["axes.titlesize"] == plots.STYLE["axes.titlesize"]
    fig, ax = plt.subplots()
    curves = model_exhibits.threshold_curves(model_exhibits.FIGURE2_PARAMS, n=11)
    plots.plot_thresholds(ax, curves, style={"L": {"color": "tab:red", "linewidth": 3}})
    low, high = (line for line in ax.get_lines() if line.get_label().startswith(r"$\gamma"))
    assert (low.get_color(), low.get_linewidth()) == ("tab:red", 3) and high.get_color() == plots.LINE["H"]["color"]
    plt.close(fig)
    plots.apply_style()


def test_every_parameter_is_an_argument_of_outcome():
    """Every parameter declared in ModelParams is a keyword of `outcome` (which the command line, the figures
    and `ModelParams.arguments` call with every parameter by name); a function lacking one is refused with a
    message naming it and what to do. The check runs when backlash.model is imported."""
    from backlash import model

    model.check_signature(model.outcome)  # the package as it is

    def lacking(alpha_r, alpha_e, x_h, lam, gamma, *, b=1.0, psi=1.0, m=1.0):
        return None

    with pytest.raises(TypeError, match=r"declares c, but lacking\(\) takes no such argument: add it"):
        model.check_signature(lacking)
