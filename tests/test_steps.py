"""Every pipeline step is declared once, at the top of its script, and everything else follows from it.

The declarations (``STEP = Step(...)`` in each ``py/*.py``, ``Step`` from ``backlash.declaration``,
collected by ``backlash.pipeline``)
generate the Make rules (``py/steps.mk``) and the README's table of exhibits. These tests check
that both are current, that the report places they name exist, and that each script's source
uses no project file it does not declare. ``tests/test_extension.py`` checks the same on a real run,
with every file each step opens traced.
"""

from __future__ import annotations

import ast
import dataclasses
import re
import subprocess
from pathlib import Path

import pytest
from _scratch import ROOT_PYTHON, clean_env, require_scratch_mark

from backlash import democracy, paths, pipeline, raw

ROOT = paths.ROOT
STEPS = pipeline.load_steps()
SCRIPTS = sorted((ROOT / "py").glob("*.py"))

#: The raw files (or the caches of their parsed tables) behind each reader of backlash.raw.
READERS = {
    "read_igo_year": paths.raw_cache(raw.IGO_YEAR), "read_state_year": paths.raw_cache(raw.STATE_YEAR),
    "read_states": raw.STATES, "read_polity": raw.POLITY,
    "read_source": [m.source.raw for m in democracy.MEASURES.values() if m.source is not None],
}
#: Functions that read a project file other than through ``paths``: the record of the analysis choices.
ACCESSORS = {("choices", "load"): paths.CHOICES}


def test_every_script_is_a_declared_step():
    """Each script in py/ declares its step, and each step's name is its script's."""
    assert sorted(s.name for s in STEPS) == [p.stem for p in SCRIPTS]


def test_make_rules_are_generated_from_the_declarations():
    """py/steps.mk is exactly what the declarations generate (make rewrites it; this catches a stale commit)."""
    assert (ROOT / pipeline.MAKE_RULES).read_text(encoding="utf-8") == pipeline.make_rules(STEPS), \
        "py/steps.mk is stale: run `make` (or `python -m backlash.pipeline mk`) and commit it"


def test_readme_table_is_generated_from_the_declarations():
    """The README's table of exhibits lists every step as declared."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert pipeline.replace_readme_table(readme, pipeline.readme_table(STEPS)) == readme, \
        "README.md's table of exhibits is stale: run `make` (or `python -m backlash.pipeline mk`) and commit it"


def test_make_knows_each_steps_prerequisites():
    """In make's own database, every output of a step depends on the step's script, each library module
    it runs and each file it declares (the record of the analysis choices among them)."""
    db = subprocess.run(["make", "-pqR", "all", *ROOT_PYTHON], cwd=ROOT, capture_output=True, text=True,
                        env=clean_env()).stdout
    rules = {}
    for line in db.splitlines():
        if ":" in line and not line.startswith(("#", "\t", " ")) and "=" not in line.split(":")[0]:
            target, _, rest = line.partition(":")
            if not rest.startswith((":", "=")):
                rules[target.strip()] = set(rest.split("|")[0].split())
    for s in STEPS:
        needed = {"data/raw/.verified" if p == "$(RAW_STAMP)" else p
                  for p in pipeline.step_prerequisites(s, STEPS, ROOT)}
        own = {str(w.relative_to(ROOT)) for o in STEPS if o.group == s.group for w in o.writes}
        for w in s.writes:
            target = str(w.relative_to(ROOT))
            missing = sorted(needed - own - rules.get(target, set()))
            assert missing == [], f"make does not know that {target} depends on {missing}"


def test_reports_name_places_that_exist():
    """Each cross-reference a step gives for where it appears in the report is a label in paper.qmd."""
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    for s in STEPS:
        for label in re.findall(r"@([a-z]+-[a-z0-9-]+)", s.report):
            assert f"{{#{label}" in qmd, f"py/{s.name}.py names @{label}, which paper.qmd does not define"


def _declared(node: ast.AST, script_tree: ast.Module) -> bool:
    decl = next(n for n in script_tree.body if isinstance(n, ast.Assign)
                and [getattr(t, "id", None) for t in n.targets] == ["STEP"])
    return decl.lineno <= getattr(node, "lineno", 0) <= decl.end_lineno


def source_uses(script: Path) -> set[str]:
    """The project files a script's source names outside its declaration: ``paths.NAME`` (files, not
    folders), ``paths.figure(...)``/``paths.figures(...)``/``paths.derived(...)`` with literal arguments,
    the raw files (or caches) behind each ``raw.read_*`` call, and the record behind ``choices.load``."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    used: set[Path] = set()
    for node in ast.walk(tree):
        if _declared(node, tree):
            continue
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "paths":
            target = getattr(paths, node.attr, None)
            if isinstance(target, Path) and target.suffix:
                used.add(target)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and getattr(node.func.value, "id", None) == "paths" and node.func.attr in ("figure", "figures", "derived")
                and all(isinstance(a, ast.Constant) for a in node.args)):
            made = getattr(paths, node.func.attr)(*(a.value for a in node.args))
            used.update(made if isinstance(made, tuple) else [made])
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "raw" and node.attr in READERS:
            readers = READERS[node.attr]
            used.update(r if isinstance(r, Path) else paths.RAW / r for r in (readers if isinstance(readers, list)
                                                                             else [readers]))
        if isinstance(node, ast.Attribute) and (getattr(node.value, "id", None), node.attr) in ACCESSORS:
            used.add(ACCESSORS[(node.value.id, node.attr)])
    return {str(p.relative_to(ROOT)) for p in used}


@pytest.mark.parametrize("step", STEPS, ids=lambda s: s.name)
def test_each_script_uses_only_what_it_declares(step):
    """Every project file the script's source names is declared: read, raw input or written."""
    undeclared = pipeline.undeclared_reads(step, sorted(source_uses(step.script)), STEPS, ROOT)
    assert undeclared == [], f"py/{step.name}.py uses {undeclared} but its STEP does not declare them"


def test_the_audits_can_fail():
    """A declaration that leaves out a read is caught: drop the verdicts from paper_inputs' reads and
    its source (and a traced run) uses an undeclared file; a model script runs model.py through its
    exhibits module, which the generated rule lists."""
    step = next(s for s in STEPS if s.name == "paper_inputs")
    narrowed = dataclasses.replace(step, reads=tuple(p for p in step.reads if p != paths.VERDICTS))
    assert pipeline.undeclared_reads(narrowed, sorted(source_uses(step.script)), STEPS, ROOT) == [
        "data/derived/verdicts.csv"]
    figure2 = next(s for s in STEPS if s.name == "figure2")
    assert "src/backlash/model.py" in pipeline.step_prerequisites(figure2, STEPS, ROOT)
    assert pipeline.undeclared_reads(figure2, ["data/derived/withdrawals.csv", ".venv/lib/x.py"], STEPS, ROOT) \
        == ["data/derived/withdrawals.csv"]


def test_a_bad_declaration_is_refused_with_a_clear_message(tmp_path):
    """A script without a declaration, two steps writing one file, an unknown argument and a raw folder
    that holds no file of the manifest are refused, each with a message that names the script."""
    (tmp_path / "py").mkdir()
    (tmp_path / "py/a.py").write_text('"""A."""\nprint(1)\n', encoding="utf-8")
    with pytest.raises(pipeline.DeclarationError, match=r"a\.py has no declaration `STEP = Step"):
        pipeline.load_steps(tmp_path)
    decl = 'from backlash.declaration import Step\nSTEP = Step(group="g", writes=(paths.derived("x.csv"),){})\n'
    (tmp_path / "py/a.py").write_text(decl.format(""), encoding="utf-8")
    (tmp_path / "py/b.py").write_text(decl.format(""), encoding="utf-8")
    with pytest.raises(pipeline.DeclarationError, match=r"written by both py/a\.py and py/b\.py"):
        pipeline.load_steps(tmp_path)
    (tmp_path / "py/b.py").write_text(decl.format(', choices=("RULE",)').replace("x.csv", "y.csv"),
                                      encoding="utf-8")
    with pytest.raises(pipeline.DeclarationError, match=r"b\.py: .*unexpected keyword argument 'choices'"):
        pipeline.load_steps(tmp_path)
    (tmp_path / "py/b.py").write_text(decl.format(', raw=("nowhere/",)').replace("x.csv", "y.csv"),
                                      encoding="utf-8")
    (tmp_path / "data").mkdir()
    (tmp_path / "data/sources.toml").write_text('[[source]]\npath = "here/a.csv"\n', encoding="utf-8")
    with pytest.raises(pipeline.DeclarationError, match=r"b\.py reads the raw folder nowhere/"):
        pipeline.step_prerequisites(next(s for s in pipeline.load_steps(tmp_path) if s.name == "b"),
                                    pipeline.load_steps(tmp_path), tmp_path)


def test_data_dictionary_names_the_step_that_writes_each_file():
    """Each file of the data dictionary is attributed to the step whose declaration writes it."""
    from backlash import dictionary

    writer = {w: f"py/{s.name}.py" for s in STEPS for w in s.writes}
    for name, doc in dictionary.DERIVED.items():
        assert writer.get(paths.derived(name)) == doc.written_by, f"{name}: written by {writer.get(paths.derived(name))}"


def test_every_output_location_in_paths_is_a_step_output():
    """Each file location that paths.py names under data/derived/, figures/ or paper/generated/ (or the
    report's variables) is written by exactly one step, so paths.py cannot name an output no step makes."""
    written = [w for s in STEPS for w in s.writes]
    assert len(written) == len(set(written))
    for name, value in vars(paths).items():
        if isinstance(value, Path) and value.suffix and (
                value.parent in (paths.DERIVED, paths.FIGURES, paths.PAPER_GENERATED) or value == paths.PAPER_VARIABLES):
            assert value in written, f"paths.{name} ({value.relative_to(ROOT)}) is written by no step"


@pytest.mark.scratch
def test_a_deleted_script_rewrites_the_rules(tmp_path):
    """Deleting a script makes the generated files stale: the dry-run check refuses and says what to do
    (writing nothing), and the next real run rewrites py/steps.mk and the README's table without the
    step (so make never looks for a script that is gone)."""
    import shutil
    import sys

    require_scratch_mark("run the runner in a copy of the project")
    root = tmp_path / "copy"
    for folder in ("py", "src", "paper"):
        shutil.copytree(ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__", "*.pdf", "*.html"))
    for name in ("pyproject.toml", "README.md", "data/sources.toml"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / name, root / name)
    (root / "py/h_exit_favourite.py").unlink()
    env = clean_env(PYTHONPATH=str(root / "src"), BACKLASH_ROOT=str(root))
    run = lambda *a: subprocess.run([sys.executable, "-m", "backlash.pipeline", "mk", *a], cwd=root, env=env,  # noqa: E731
                                    capture_output=True, text=True)
    check = run("--check")
    assert check.returncode == 1 and "py/steps.mk no longer matches the scripts" in check.stderr, check.stderr
    assert "h_exit_favourite" in (root / "py/steps.mk").read_text(encoding="utf-8")
    rewrite = run()
    assert rewrite.returncode == 0 and "rewrote py/steps.mk" in rewrite.stdout, rewrite.stderr
    assert "h_exit_favourite" not in (root / "py/steps.mk").read_text(encoding="utf-8")
    assert "h_exit_favourite" not in (root / "README.md").read_text(encoding="utf-8").split(pipeline.README_BEGIN)[1].split(
        pipeline.README_END)[0]
    assert run("--check").returncode == 0
