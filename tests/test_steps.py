"""Every pipeline step declares what it reads: an audit of each script against its Make rule.

For each script in ``py/`` the audit reads its source (no run needed) and collects
* the project files it reads: every ``paths.NAME`` it uses other than as an output
  (the outputs are the arguments of ``step(...)``), and the raw files behind each
  ``raw.read_*`` call (with the parsed-table cache for the R files);
* the library modules it runs: the ``backlash`` modules it imports, and theirs in turn.
Each must be a prerequisite of the script's rule in the Makefile, so that changing any
of them rebuilds the step, and nothing else is needed to keep ``make all`` honest.
"""

from __future__ import annotations

import ast
import subprocess
from pathlib import Path

import pytest
from _scratch import ROOT_PYTHON, clean_env

from backlash import paths, raw

ROOT = paths.ROOT
LIB = ROOT / "src" / "backlash"
SCRIPTS = sorted((ROOT / "py").glob("*.py"))

#: The raw files (and caches) behind each reader of backlash.raw.
READERS = {
    "read_igo_year": [f"data/raw/{raw.IGO_YEAR}", "data/cache/igo_year_format3.npz"],
    "read_state_year": [f"data/raw/{raw.STATE_YEAR}", "data/cache/state_year_format3.npz"],
    "read_states": [f"data/raw/{raw.STATES}"],
    "read_polity": [f"data/raw/{raw.POLITY}"],
    "read_bmr": [f"data/raw/{raw.BMR}"], "read_vdem": [f"data/raw/{raw.VDEM}"], "read_lied": [f"data/raw/{raw.LIED}"],
}


@pytest.fixture(scope="module")
def rules() -> dict[str, set[str]]:
    """Each Make target's prerequisites (order-only ones left out), from make's own database."""
    db = subprocess.run(["make", "-pqR", "all", *ROOT_PYTHON], cwd=ROOT, capture_output=True, text=True,
                        env=clean_env()).stdout
    out = {}
    for line in db.splitlines():
        if ":" in line and not line.startswith(("#", "\t", " ")) and "=" not in line.split(":")[0]:
            target, _, rest = line.partition(":")
            if rest.startswith((":", "=")):
                continue
            out[target.strip()] = set(rest.split("|")[0].split())
    return out


def _module_imports(path: Path) -> set[str]:
    """The backlash modules a file imports (``from backlash import x``, ``from .x import y``, ...), as paths
    below ``src/backlash`` without ``.py`` (``model``, ``exhibits/model``; a subpackage's ``__init__`` too)."""
    pkg = list(path.parent.relative_to(LIB).parts) if path.is_relative_to(LIB) else []
    found = set()

    def add(parts: list[str]) -> None:
        for k in range(1, len(parts) + 1):
            name = "/".join(parts[:k])
            if (LIB / f"{name}.py").is_file():
                found.add(name)
            elif (LIB / name / "__init__.py").is_file():
                found.add(f"{name}/__init__")

    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = pkg[:len(pkg) - (node.level - 1)] + (node.module.split(".") if node.module else [])
            elif (node.module or "").split(".")[0] == "backlash":
                base = node.module.split(".")[1:]
            else:
                continue
            add(base)
            for a in node.names:
                add(base + [a.name])
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name.startswith("backlash."):
                    add(a.name.split(".")[1:])
    return found


def library_closure(script: Path) -> set[str]:
    """Every library module the script runs: its imports of backlash, and theirs, transitively."""
    todo, seen = list(_module_imports(script)), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        todo += list(_module_imports(LIB / f"{name}.py") - seen)
    return {f"src/backlash/{m}.py" for m in seen}


def data_reads(script: Path) -> tuple[set[str], set[str]]:
    """(files read, files written) by the script, from its ``paths.NAME`` uses and ``raw.read_*`` calls."""
    tree = ast.parse(script.read_text(encoding="utf-8"))
    written: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "step":
            for arg in node.args:
                if isinstance(arg, ast.Attribute) and getattr(arg.value, "id", None) == "paths":
                    written.add(arg.attr)
    reads: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "paths":
            if node.attr in written or node.attr in ("figure", "ROOT", "DERIVED", "RAW", "PAPER", "FIGURES"):
                continue
            target = getattr(paths, node.attr)
            if isinstance(target, Path) and target.suffix:  # a file, not a folder
                reads.add(str(target.relative_to(ROOT)))
        if isinstance(node, ast.Attribute) and getattr(node.value, "id", None) == "raw" and node.attr in READERS:
            reads.update(READERS[node.attr])
    return reads, {str(getattr(paths, w).relative_to(ROOT)) for w in written}


def _rule_of(script: Path, rules: dict[str, set[str]]) -> tuple[str, set[str]]:
    rel = str(script.relative_to(ROOT))
    matches = [(t, p) for t, p in rules.items() if rel in p and not t.startswith(".")]
    assert matches, f"{rel} is the script of no Make rule"
    return matches[0]


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_each_step_declares_what_it_reads(script, rules):
    """The script's rule lists every data file it reads and every library module it runs."""
    target, prereqs = _rule_of(script, rules)
    reads, written = data_reads(script)
    reads -= written
    needed = reads | library_closure(script)
    # A step that reads the raw data also depends on its verification stamp; a raw file read through
    # the cache may be declared by its cache alone (the cache's own rule depends on the raw file).
    for raw_file, cache in (("data/raw/" + raw.IGO_YEAR, "data/cache/igo_year_format3.npz"),
                            ("data/raw/" + raw.STATE_YEAR, "data/cache/state_year_format3.npz")):
        if cache in prereqs:
            needed.discard(raw_file)
        if script.name == "raw_cache.py":
            needed.discard(cache)
    missing = sorted(f for f in needed if f not in prereqs)
    assert missing == [], f"{target}: the rule of {script.name} does not declare {missing}"


def test_the_audit_can_fail():
    """The audit sees a script's reads: paper_inputs reads the verdicts; withdrawals reads the IGO-year
    data through its cache; a model script runs model.py."""
    reads, written = data_reads(ROOT / "py/paper_inputs.py")
    assert "data/derived/verdicts.csv" in reads and "_variables.yml" in written
    assert "data/cache/igo_year_format3.npz" in data_reads(ROOT / "py/withdrawals.py")[0]
    assert "src/backlash/model.py" in library_closure(ROOT / "py/figure2.py")
