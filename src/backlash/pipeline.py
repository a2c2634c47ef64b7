"""The pipeline's steps, each declared once, and the runner that executes them.

A step is a thin script in ``py/`` that loads its inputs, calls one library
function and saves the result.  Its declaration sits at the top of the script::

    from backlash.declaration import Step

    STEP = Step(group="model", report="@fig-thresholds", article="Figure 2",
                writes=(paths.FIGURE2_SERIES, *paths.figures("figure2")))

and is the only place that says what the step reads and writes.  The class
``Step`` lives in :mod:`backlash.declaration`, not here: a script's rule
depends on every library module it imports, so the runner below is a build
tool that no step depends on (changing it reruns nothing).  Everything else is
derived from these declarations:

* the Make rules (``py/steps.mk``), whose prerequisites are the declared inputs
  plus every library module the script runs (found by reading its imports,
  transitively), and the README's table of exhibits: ``make`` rewrites both
  (:func:`update_generated`) before it reads the rules, whenever they no longer
  match the scripts;
* the audits that each script reads nothing it does not declare: of its source
  (``tests/test_steps.py``) and of every file a real run opens
  (``tests/test_extension.py``, with ``BACKLASH_TRACE_READS``).

Steps of one ``group`` run in one process: the runner imports the packages the
group's scripts use once, then forks one child per step, so a step still runs
as if on its own (its own globals, figures and memory) without paying the
imports again.  Make runs different groups in parallel; a change to any input
of a group's step reruns the whole group.

A step reads the analysis choices (withdrawal rule, democracy measure, cut-off)
from their record through :func:`backlash.choices.load`, and declares the record
(``paths.CHOICES``) among its reads; the runner passes it nothing, so a script
runs the same alone (``python py/<name>.py``) as in its group.

This module needs nothing but the standard library (Python 3.11 or newer), so
``make`` can regenerate the rules before any package is installed.
"""

from __future__ import annotations

import ast
import functools
import importlib
import json
import os
import re
import signal
import sys
import time
import traceback
from dataclasses import replace
from pathlib import Path

from . import paths
from ._io import STOP_SIGNALS, os_error_message, remove_stale_temporaries, say, stop_once, stopping, write_text
from .declaration import Step

#: Where the generated Make rules are written (included by the Makefile).
MAKE_RULES = "py/steps.mk"
#: Folders of the installed environment, not inputs of any step (requirements.lock pins them).
ENVIRONMENT = (".venv/", ".make/bootstrap/")
#: The README's table of exhibits lies between these two lines.
README_BEGIN = "<!-- exhibits: written by make from the STEP declarations (backlash.pipeline); do not edit -->"
README_END = "<!-- exhibits: end -->"


#: What the runner prints, as its last line, whenever Ctrl-C or SIGTERM stopped it (exit status 130).
INTERRUPTED = "pipeline: interrupted; earlier outputs are unchanged"


class DeclarationError(ValueError):
    """A script's ``STEP`` declaration is missing, malformed or inconsistent with the others."""


class CannotWrite(Exception):
    """A generated file (``py/steps.mk``, the README's table) could not be written; the cause is chained."""

    def __init__(self, path: Path) -> None:
        super().__init__(str(path))
        self.path = path


# --------------------------------------------------------------------------- declarations
def _declaration(script: Path) -> tuple[ast.Module, ast.Call]:
    try:
        tree = ast.parse(script.read_text(encoding="utf-8"), filename=str(script))
    except SyntaxError as exc:
        raise DeclarationError(f"{script} is not valid Python: {exc}") from None
    for node in tree.body:
        if (isinstance(node, ast.Assign) and [getattr(t, "id", None) for t in node.targets] == ["STEP"]
                and isinstance(node.value, ast.Call) and getattr(node.value.func, "id", None) == "Step"):
            return tree, node.value
    raise DeclarationError(f"{script} has no declaration `STEP = Step(...)` at module level; every script in "
                           "py/ declares what it reads and writes (`from backlash.declaration import Step`; see "
                           "backlash.pipeline)")


def load_step(script: Path) -> Step:
    """Read the ``STEP`` declaration of ``script`` without running the script.

    Parameters
    ----------
    script : Path
        A pipeline script in ``py/``.

    Returns
    -------
    Step
        The declaration, evaluated with only ``Step`` and ``paths`` in scope, and with its
        ``name``, ``script`` and ``summary`` filled in.
    """
    tree, node = _declaration(script)
    try:
        declared = eval(compile(ast.Expression(node), str(script), "eval"),  # noqa: S307 - our own source
                        {"__builtins__": {}, "Step": Step, "paths": paths})
    except (ValueError, TypeError) as exc:  # refused by Step itself, or a wrong argument
        raise DeclarationError(f"{script}: {exc}") from None
    except Exception as exc:
        raise DeclarationError(f"{script}: the STEP declaration cannot be evaluated ({exc}); it may use only "
                               "Step(...), backlash.paths and literals") from None
    doc = ast.get_docstring(tree) or ""
    return replace(declared, name=script.stem, script=script,
                   writes=tuple(Path(p) for p in declared.writes), reads=tuple(Path(p) for p in declared.reads),
                   summary=doc.strip().splitlines()[0] if doc.strip() else script.stem)


def load_steps(root: Path | None = None) -> tuple[Step, ...]:
    """Every step of the pipeline, in an order in which each step's reads are written before it runs.

    Parameters
    ----------
    root : Path, optional
        The project root (default: :data:`backlash.paths.ROOT`).

    Returns
    -------
    tuple of Step
        Group by group (a group after every group it reads from), each group's steps in an
        order their reads allow, ties by name.

    Raises
    ------
    DeclarationError
        If two steps write the same file, or the steps' reads form a cycle.
    """
    root = root or paths.ROOT
    steps = [load_step(s) for s in sorted((root / "py").glob("*.py"))]
    clash = sorted({s.group for s in steps} & {s.name for s in steps})
    if clash:
        raise DeclarationError(f"the group name(s) {', '.join(clash)} are also step names; rename the group")
    writer: dict[Path, str] = {}
    for s in steps:
        for w in s.writes:
            if w in writer:
                raise DeclarationError(f"{w} is written by both py/{writer[w]}.py and py/{s.name}.py")
            writer[w] = s.name
    needs = {s.name: {writer[p] for p in expand_reads(s, writer) if p in writer} - {s.name} for s in steps}
    ordered: list[Step] = []
    done: set[str] = set()
    pending = list(steps)
    while pending:
        ready = [s for s in pending if needs[s.name] <= done]
        if not ready:
            raise DeclarationError("the steps' reads form a cycle among " + ", ".join(s.name for s in pending))
        ordered += ready
        done |= {s.name for s in ready}
        pending = [s for s in pending if s.name not in done]
    # Listed group by group (a group after every group it reads from), each in run order.
    group_of = {s.name: s.group for s in ordered}
    group_needs: dict[str, set[str]] = {}
    for s in ordered:
        group_needs.setdefault(s.group, set()).update(group_of[n] for n in needs[s.name] if group_of[n] != s.group)
    group_order: list[str] = []
    while len(group_order) < len(group_needs):
        ready_groups = [g for g in group_needs if g not in group_order and group_needs[g] <= set(group_order)]
        if not ready_groups:
            raise DeclarationError("the groups' reads form a cycle among " + ", ".join(
                g for g in group_needs if g not in group_order) + "; move a step to another group")
        group_order.append(ready_groups[0])
    return tuple(sorted(ordered, key=lambda s: group_order.index(s.group)))


def expand_reads(step: Step, writer: dict[Path, str]) -> list[Path]:
    """The step's reads with each folder replaced by every other step's output in it.

    Parameters
    ----------
    step : Step
    writer : dict of Path to str
        Each output of the pipeline and the name of the step that writes it.

    Returns
    -------
    list of Path
    """
    out = []
    for p in step.reads:
        if p.suffix or not any(w.parent == p for w in writer):
            out.append(p)
        else:
            out += sorted(w for w, name in writer.items() if w.parent == p and name != step.name)
    return out


# --------------------------------------------------------------------------- library modules
def _module_file(name: str, src: Path) -> Path | None:
    base = src.joinpath(*name.split("."))
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


@functools.lru_cache(maxsize=None)
def _imports(path: Path, src: Path) -> frozenset[str]:
    """The ``backlash`` modules a file imports (absolute or relative), as dotted names."""
    package = ".".join(path.relative_to(src).with_suffix("").parts) if path.is_relative_to(src) else ""
    if path.name == "__init__.py":
        package += ".__init__"
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.split(".")[0] == "backlash"}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:-node.level]
                mod = ".".join([*base, *([node.module] if node.module else [])])
            else:
                mod = node.module or ""
            if mod.split(".")[0] != "backlash":
                continue
            found.add(mod)
            found |= {f"{mod}.{a.name}" for a in node.names if _module_file(f"{mod}.{a.name}", src)}
    # importing a.b.c runs a/__init__.py and a/b/__init__.py too
    return frozenset(".".join(m.split(".")[:i]) for m in found for i in range(1, len(m.split(".")) + 1))


def library_modules(script: Path, src: Path | None = None) -> list[Path]:
    """Every file of the ``backlash`` package that ``script`` runs: its imports, and theirs, transitively.

    Parameters
    ----------
    script : Path
        A Python file.
    src : Path, optional
        The folder holding the ``backlash`` package (default: ``<root>/src``).

    Returns
    -------
    list of Path
        Sorted paths of the modules (and package ``__init__.py`` files) it imports.
    """
    src = src or paths.ROOT / "src"
    todo, seen = sorted(_imports(script, src)), set()
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        file = _module_file(name, src)
        if file is not None:
            todo += sorted(_imports(file, src) - seen)
    files = {_module_file(n, src) for n in seen}
    return sorted(f for f in files if f is not None)


def top_level_imports(script: Path) -> list[str]:
    """The modules a script imports at its top level (what the runner imports once per group).

    Parameters
    ----------
    script : Path

    Returns
    -------
    list of str
        Dotted names; for ``from x import y`` both ``x`` and ``x.y`` (the latter may not be a module).
    """
    names = []
    for node in ast.parse(script.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Import):
            names += [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            names.append(node.module)
            names += [f"{node.module}.{a.name}" for a in node.names]  # kept if it is a module
    return names


def _preload(module: str) -> None:
    """Import ``module`` if it is one (``from x import name`` may name a function instead)."""
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:
            raise


def undeclared_reads(step: Step, opened: list[str], steps: tuple[Step, ...], root: Path | None = None) -> list[str]:
    """The files a run of ``step`` opened that its declaration does not cover.

    Covered are its declared reads (folders expanded), its raw inputs (and the manifest they are
    verified against), its own outputs and their temporary files, its script and every library
    module it runs.  Files of the installed environment (:data:`ENVIRONMENT`) are not inputs.

    Parameters
    ----------
    step : Step
    opened : list of str
        Paths relative to ``root``, e.g. from a traced run (``BACKLASH_TRACE_READS``).
    steps : tuple of Step
        Every step (to expand a folder read).
    root : Path, optional
        The project root (default: :data:`backlash.paths.ROOT`).

    Returns
    -------
    list of str
        The undeclared files, sorted; empty when the step read only what it declares.
    """
    root = root or paths.ROOT
    allowed = set(step_prerequisites(step, steps, root)) | {_rel(w, root) for w in step.writes}
    if "$(RAW_STAMP)" in allowed:  # reading raw data verifies it against the manifest first
        allowed.add(_rel(paths.SOURCES_MANIFEST, root))
        allowed |= {f"data/raw/{r}" for r in (paths.IGO_YEAR, paths.STATE_YEAR)
                    if _rel(paths.raw_cache(r), root) in allowed}  # a cache is checked against its raw file
    def own_temporary(rel: str) -> bool:  # `.<output name>.<pid>.<random>.tmp` beside an output (backlash._io)
        folder, _, name = rel.rpartition("/")
        return name.endswith(".tmp") and any(
            name.startswith(f".{Path(w).name}.") and _rel(Path(w).parent, root) == folder for w in step.writes)

    return sorted(p for p in set(opened) - allowed if not p.startswith(ENVIRONMENT) and not own_temporary(p))


# --------------------------------------------------------------------------- generated files
def _rel(p: Path, root: Path) -> str:
    return str(p.relative_to(root)) if p.is_absolute() else str(p)


def groups(steps: tuple[Step, ...]) -> dict[str, list[Step]]:
    """The steps of each group, in run order (groups in the order their first step runs).

    Parameters
    ----------
    steps : tuple of Step
        As :func:`load_steps` orders them.

    Returns
    -------
    dict of str to list of Step
    """
    out: dict[str, list[Step]] = {}
    for s in steps:
        out.setdefault(s.group, []).append(s)
    return out


def step_prerequisites(step: Step, steps: tuple[Step, ...], root: Path) -> list[str]:
    """Everything a step depends on, as make prerequisites.

    Parameters
    ----------
    step : Step
    steps : tuple of Step
        Every step (to expand a folder read).
    root : Path
        The project root; paths are written relative to it.

    Returns
    -------
    list of str
        Its script, the library modules it runs, its reads (the record of the analysis choices
        among them when it uses one), its raw inputs (a folder expanded by :func:`raw_inputs`) and
        ``$(RAW_STAMP)`` when it reads raw data.
    """
    writer = {w: s.name for s in steps for w in s.writes}
    prereqs = [_rel(step.script, root), *(_rel(m, root) for m in library_modules(step.script, root / "src"))]
    reads = expand_reads(step, writer)
    prereqs += [_rel(p, root) for p in reads]
    prereqs += [f"data/raw/{r}" for r in raw_inputs(step, root)]
    if step.raw or any(_rel(p, root).startswith("data/cache/") for p in reads):
        prereqs.append("$(RAW_STAMP)")
    return list(dict.fromkeys(prereqs))


@functools.lru_cache(maxsize=None)
def _manifest_files(manifest: Path, mtime_ns: int) -> tuple[str, ...]:
    import tomllib

    return tuple(s["path"] for s in tomllib.loads(manifest.read_text(encoding="utf-8")).get("source", []))


def manifest_files(root: Path) -> tuple[str, ...]:
    """The raw inputs pinned in ``data/sources.toml``, relative to ``data/raw`` (none without a manifest).

    Parameters
    ----------
    root : Path
        The project root.

    Returns
    -------
    tuple of str
    """
    manifest = root / "data" / "sources.toml"
    return _manifest_files(manifest, manifest.stat().st_mtime_ns) if manifest.is_file() else ()


def raw_inputs(step: Step, root: Path) -> list[str]:
    """The step's raw inputs, relative to ``data/raw``, with a folder (``"democracy/"``) replaced by
    every file of the manifest in it.

    Parameters
    ----------
    step : Step
    root : Path
        The project root.

    Returns
    -------
    list of str

    Raises
    ------
    DeclarationError
        If a folder holds no file of the manifest.
    """
    out = []
    for r in step.raw:
        if not r.endswith("/"):
            out.append(r)
            continue
        inside = [f for f in manifest_files(root) if f.startswith(r)]
        if not inside:
            raise DeclarationError(f"py/{step.name}.py reads the raw folder {r}, which holds no file of "
                                   "data/sources.toml")
        out += inside
    return out


def make_rules(steps: tuple[Step, ...] | None = None, root: Path | None = None) -> str:
    """The Make rules of every group of steps (the text of ``py/steps.mk``).

    Parameters
    ----------
    steps : tuple of Step, optional
        Default: :func:`load_steps`.
    root : Path, optional
        The project root (default: :data:`backlash.paths.ROOT`).

    Returns
    -------
    str
        One rule per group: its targets are every file the group's steps write, its
        prerequisites everything they read and run that is not written inside the group.
        Also ``<GROUP>_OUT`` for each group, ``STEP_OUTPUTS``, ``FIGURE_FILES`` and ``RAW_FILES``
        (the raw inputs of ``data/sources.toml``) for the Makefile.
    """
    root = root or paths.ROOT
    steps = steps if steps is not None else load_steps(root)
    lines = ["# Generated by `python -m backlash.pipeline mk` from the STEP declarations in py/*.py; do not edit.",
             "# `make` rewrites it when a declaration, a script's imports or data/sources.toml change. Each",
             "# group's steps run in one process (backlash.pipeline), so its rule builds all of their outputs.", ""]
    wrap = " \\\n    "
    group_vars = []
    for name, members in groups(steps).items():
        written = [_rel(w, root) for s in members for w in s.writes]
        prereqs = [p for s in members for p in step_prerequisites(s, steps, root) if p not in written]
        prereqs = list(dict.fromkeys(prereqs))
        var = f"{name.upper().replace('-', '_')}_OUT"
        group_vars.append(var)
        lines.append(f"# {name}: " + ", ".join(s.name for s in members))
        lines.append(f"{var} := " + wrap.join(written))
        lines.append(f"$({var}) &: " + wrap.join(prereqs) + " | $(ENV)")
        lines.append(f"\t@$(PY) -m backlash.pipeline run {name}")
        lines.append("")
    if manifest_files(root):
        lines.append("# The raw inputs pinned in data/sources.toml.")
        lines.append("RAW_FILES := " + wrap.join(f"data/raw/{r}" for r in manifest_files(root)))
    lines.append("STEP_OUTPUTS := " + " ".join(f"$({v})" for v in group_vars))
    lines.append("FIGURE_FILES := $(filter figures/%,$(STEP_OUTPUTS))")
    return "\n".join(lines) + "\n"


def report_numbers(qmd: str) -> dict[str, str]:
    """The number each cross-reference label of the report gets, as the renderer numbers them.

    Parameters
    ----------
    qmd : str
        The text of ``paper/paper.qmd``.

    Returns
    -------
    dict of str to str
        ``{"fig-phase": "Figure 4 (§4.3)", "tbl-count": "Table 4 (§3.3)", "sec-empirics": "§3", ...}``:
        figures and tables numbered in order of appearance, numbered sections (levels 1 and 2) by
        their position, each figure and table with the section that holds it.
    """
    out: dict[str, str] = {}
    counters = {"fig": 0, "tbl": 0}
    section: list[int] = []
    for line in qmd.splitlines():
        heading = re.match(r"^(#{1,2}) .*?(\{[^}]*\})?\s*$", line)
        if heading and "unnumbered" not in (heading.group(2) or ""):
            level = len(heading.group(1))
            section = (section + [0] * level)[:level]
            section[-1] += 1
            label = re.search(r"#(sec-[\w-]+)", heading.group(2) or "")
            if label:
                out[label.group(1)] = "§" + ".".join(map(str, section))
            continue
        for label, kind in re.findall(r"\{#((fig|tbl)-[\w-]+)", line):
            counters[kind] += 1
            name = {"fig": "Figure", "tbl": "Table"}[kind]
            out[label] = f"{name} {counters[kind]} (§{'.'.join(map(str, section))})"
    return out


def readme_table(steps: tuple[Step, ...] | None = None, root: Path | None = None) -> str:
    """The README's table of what each step builds and where it appears in the report (Markdown).

    Parameters
    ----------
    steps : tuple of Step, optional
        Default: :func:`load_steps`.
    root : Path, optional
        The project root (default: :data:`backlash.paths.ROOT`).

    Returns
    -------
    str
        One row per step, in run order: what it is (its docstring's first line), its script and
        group, what it writes, where the report shows it (cross-references as numbered) and what
        of the article it reproduces (its ``article``).
    """
    root = root or paths.ROOT
    steps = steps if steps is not None else load_steps(root)
    numbers = report_numbers((root / "paper" / "paper.qmd").read_text(encoding="utf-8"))
    rows = ["| exhibit or file | script (group) | writes | in the report | in the article |", "|---|---|---|---|---|"]
    for s in steps:
        outs = ", ".join(f"`{_rel(w, root)}`" for w in s.writes)
        where = re.sub(r"@([a-z]+-[\w-]+)", lambda m: numbers.get(m.group(1), m.group(0)), s.report)
        rows.append(f"| {s.summary} | `py/{s.name}.py` ({s.group}) | {outs} | {where or '(read by other steps)'} | "
                    f"{s.article or '—'} |")
    return "\n".join(rows) + "\n"


def replace_readme_table(readme: str, table: str) -> str:
    """``readme`` with the text between :data:`README_BEGIN` and :data:`README_END` replaced by ``table``.

    Parameters
    ----------
    readme, table : str

    Returns
    -------
    str

    Raises
    ------
    DeclarationError
        If ``readme`` lacks either marker line.
    """
    head, sep, rest = readme.partition(README_BEGIN + "\n")
    _, sep2, tail = rest.partition(README_END)
    if not (sep and sep2):
        raise DeclarationError(f"README.md lacks the lines {README_BEGIN!r} and {README_END!r}")
    return head + sep + table + sep2 + tail


# --------------------------------------------------------------------------- the runner
def _trace_reads(log: str, step: Step) -> None:
    """Record every project file the step opens for reading (an audit hook), for :func:`_run_child` to save.

    A compiled module in ``__pycache__`` is recorded as its source file; a failed attempt to open
    a file that does not exist is not a read.  What the hook cannot see: files opened by a
    subprocess (``git``), by C code (pyreadr's parser), or by the runner before the fork (the
    preloaded packages).  Used by the test that checks each step reads only what it declares.
    """
    root = str(paths.ROOT) + os.sep
    opened: set[str] = set()

    def hook(event: str, args: tuple) -> None:
        if event != "open" or not isinstance(args[0], (str, bytes, os.PathLike)):
            return
        mode, flags = args[1], args[2] if len(args) > 2 else 0
        reading = ("r" in mode and "+" not in mode) if isinstance(mode, str) else (flags or 0) & os.O_ACCMODE == 0
        path = os.path.abspath(os.fsdecode(args[0]))
        if reading and path.startswith(root) and os.path.isfile(path):
            rel = Path(path[len(root):])
            if rel.parent.name == "__pycache__":
                rel = rel.parent.parent / (rel.name.split(".")[0] + ".py")
            opened.add(rel.as_posix())

    def save() -> None:
        with open(log, "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"step": step.name, "opened": sorted(opened)}) + "\n")

    sys.addaudithook(hook)
    _at_child_exit.append(save)


#: What saving a figure imports on first use (matplotlib's PDF backend, which brings in fontTools; about
#: 0.12 s of CPU): imported once by the runner of a group whose scripts import matplotlib, rather than
#: again in each of its steps that saves a figure.
FIGURE_MODULES = ("matplotlib.backends.backend_pdf",)


#: Functions a forked child runs before it leaves with ``os._exit`` (which skips ``atexit``).
_at_child_exit: list = []


def _run_child(step: Step) -> int:
    """Run the step's script as ``python py/<name>.py`` would, in this (forked) process; its exit status."""
    sys.argv = [str(step.script)]
    if os.environ.get("BACKLASH_TRACE_READS"):
        _trace_reads(os.environ["BACKLASH_TRACE_READS"], step)
    try:
        import runpy

        runpy.run_path(str(step.script), run_name="__main__")
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
    except KeyboardInterrupt:
        code = 130
    except BaseException:  # a programming error: show where
        traceback.print_exc()
        code = 1
    for fn in _at_child_exit:
        fn()
    return code


#: Whether a group's steps run as forked children of one interpreter (Linux), or each as its own
#: ``python py/<name>.py`` (elsewhere: fork after importing numpy is unsafe on macOS, and only
#: Linux lets a child die with its parent).
FORK = sys.platform == "linux"
class Interrupts:
    """The runner's handling of Ctrl-C and SIGTERM: record the signal, never raise.

    An exception raised from a signal handler lands wherever the runner happens to be: after
    ``os.wait4`` has collected a step but before its status is kept (the retry then fails with
    ECHILD), inside an import's clean-up callback (where it is printed and dropped), in the middle
    of the line that reports the interrupt.  So the handler only records the first signal and
    passes SIGTERM on to the running step (as make passes it on to its recipes; Ctrl-C is not
    passed on, since a terminal sends it to the whole process group, the step included).  A wait
    that the signal interrupts is resumed (PEP 475); the runner checks :meth:`check` between
    imports and between steps, and stops there.  A signal the runner was started with ignored
    stays ignored, in the runner and in its steps.
    """

    def __init__(self) -> None:
        self.inherited = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
        self.received = 0  # the first stop signal, 0 while none came
        self.pid = 0  # the running step's process, 0 while none runs
        self._previous: dict = {}

    def handle(self, signum: int, _frame) -> None:
        """The signal handler: record ``signum`` (the first only), pass SIGTERM on to the running step.

        Parameters
        ----------
        signum : int
        """
        self.received = self.received or signum
        if signum == signal.SIGTERM and self.pid:
            try:
                os.kill(self.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def check(self) -> None:
        """Raise ``KeyboardInterrupt`` if a stop signal came."""
        if self.received:
            raise KeyboardInterrupt(f"stopped by signal {self.received}")

    def install(self) -> Interrupts:
        """Handle the stop signals that are not ignored.

        Returns
        -------
        Interrupts
            Itself.
        """
        for sig in STOP_SIGNALS:
            if self.inherited[sig] is not signal.SIG_IGN:
                self._previous[sig] = signal.signal(sig, self.handle)
        return self

    def restore(self) -> None:
        """Put back the handlers :meth:`install` replaced."""
        for sig, handler in self._previous.items():
            signal.signal(sig, handler)
        self._previous.clear()


def _start_step(step: Step, interrupts: Interrupts) -> int:
    """Start the step (a forked child on Linux, else ``python py/<name>.py``); return its pid.

    On Linux, SIGINT and SIGTERM are blocked from before the fork until the pid is recorded in
    ``interrupts``, so a SIGTERM that arrives meanwhile is passed on to the step.  A forked child gets handlers that stop it at the
    first signal and ignore later ones (or keeps a signal ignored when the runner was started with
    it ignored), and SIGTERM when the runner dies, even by SIGKILL (Linux).
    """
    if not FORK:  # (a new interpreter would inherit blocked signals: none are blocked here)
        import subprocess

        interrupts.pid = subprocess.Popen([sys.executable, str(step.script)]).pid
        return interrupts.pid
    parent = os.getpid()
    before = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
    try:
        pid = os.fork()
        if pid:  # the runner
            interrupts.pid = pid
            return pid
    finally:
        if os.getpid() == parent:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
    code = 1
    try:  # the child: it never returns into the runner's code
        for sig in STOP_SIGNALS:
            signal.signal(sig, signal.SIG_IGN if interrupts.inherited[sig] is signal.SIG_IGN else stop_once)
        try:
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass
        signal.pthread_sigmask(signal.SIG_SETMASK, before)
        code = 130 if os.getppid() != parent else _run_child(step)
    except KeyboardInterrupt:
        code = 130
    finally:
        for sig in STOP_SIGNALS:
            signal.signal(sig, stopping)
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def run_group(name: str, steps: tuple[Step, ...] | None = None, interrupts: Interrupts | None = None) -> int:
    """Run every step of group ``name`` (or the single step ``name``) in order, each as if on its own.

    On Linux the packages the scripts import are imported once and each step runs in a forked
    child (its own globals, figures and memory); elsewhere each step is its own interpreter.
    Ctrl-C and SIGTERM stop the group (see :class:`Interrupts`): the running step stops, no later
    step starts, and ``KeyboardInterrupt`` is raised once the running step has stopped.

    Parameters
    ----------
    name : str
        A group (or a step's name).
    steps : tuple of Step, optional
        Default: :func:`load_steps`.
    interrupts : Interrupts, optional
        Installed handlers (``main`` installs them first thing); default: installed here, for the run.

    Returns
    -------
    int
        0 if every step succeeded, else the exit status of the first that failed.  With
        ``BACKLASH_STEP_LOG`` set, each step's wall time, CPU time and peak memory are appended
        to that file as JSON lines (``make bench``).

    Raises
    ------
    KeyboardInterrupt
        When Ctrl-C or SIGTERM stopped the group, or a step ended by one.
    """
    own = interrupts is None
    interrupts = interrupts or Interrupts().install()
    try:
        steps = steps if steps is not None else load_steps()
        members = [s for s in steps if s.group == name] or [s for s in steps if s.name == name]
        if not members:
            raise DeclarationError(f"no group or step named {name!r}; groups: {', '.join(groups(steps))}")
        if FORK:  # import once what the scripts import, so each child starts warm
            import warnings

            warnings.filterwarnings("ignore", message=r".*fork\(\)", category=DeprecationWarning)
            for s in members:
                for module in top_level_imports(s.script):
                    interrupts.check()
                    _preload(module)
            if "matplotlib" in sys.modules:  # a group that draws figures
                for module in FIGURE_MODULES:
                    interrupts.check()
                    _preload(module)
        log = os.environ.get("BACKLASH_STEP_LOG")
        for s in members:
            sys.stdout.flush()
            sys.stderr.flush()
            interrupts.check()
            t0 = time.perf_counter()
            try:
                _, status, usage = os.wait4(_start_step(s, interrupts), 0)  # resumed after a signal (PEP 475)
            finally:
                interrupts.pid = 0
            code = os.waitstatus_to_exitcode(status)
            if log:
                record = {"step": f"py/{s.name}.py", "group": name, "wall_s": time.perf_counter() - t0,
                          "cpu_s": usage.ru_utime + usage.ru_stime, "peak_mb": usage.ru_maxrss / 1024,
                          "status": code, "forked": True}
                with open(log, "a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record) + "\n")
            interrupts.check()
            if code in (130, -signal.SIGINT, -signal.SIGTERM):  # the step was stopped on its own
                raise KeyboardInterrupt
            if code < 0:
                say(f"pipeline: py/{s.name}.py was killed by {signal.Signals(-code).name}", sys.stderr)
                return 128 - code
            if code != 0:
                return code
        interrupts.check()
        return 0
    finally:
        if own:
            interrupts.restore()


def update_generated(check: bool = False, root: Path | None = None) -> list[str]:
    """Bring ``py/steps.mk`` and the README's table of exhibits up to date with the declarations.

    ``make`` runs this before it reads ``py/steps.mk`` (with ``check`` in a dry run), so the rules
    always follow the scripts: adding, changing or deleting a script needs no other command.
    The README's table also follows ``paper/paper.qmd``'s numbering of figures and tables.

    Parameters
    ----------
    check : bool
        Only check the rules (raise if they are stale); write nothing, delete nothing.
    root : Path, optional
        The project root (default: :data:`backlash.paths.ROOT`).

    Returns
    -------
    list of str
        The files rewritten (empty when both were current; then nothing is touched).

    Raises
    ------
    DeclarationError
        With ``check``, if ``py/steps.mk`` is out of date.
    """
    root = root or paths.ROOT
    steps = load_steps(root)
    wanted = {root / MAKE_RULES: make_rules(steps, root)}
    readme = root / "README.md"
    if readme.is_file() and README_BEGIN in (text := readme.read_text(encoding="utf-8")):
        wanted[readme] = replace_readme_table(text, readme_table(steps, root))
    stale = [f for f, text in wanted.items() if not f.is_file() or f.read_text(encoding="utf-8") != text]
    if check:  # the build reads only the rules; the README's table waits for a real run
        if root / MAKE_RULES in stale:
            raise DeclarationError(f"{MAKE_RULES} no longer matches the scripts in py/ (their STEP declarations or "
                                   "imports) or data/sources.toml; run `make` without -n/-q/-t (or `python -m "
                                   "backlash.pipeline mk`) to rewrite it")
        return []
    for f in wanted:
        remove_stale_temporaries(f)  # left by a run killed while writing
    for f in stale:
        try:
            write_text(wanted[f], f)  # a temporary beside it, renamed when complete
        except OSError as exc:
            raise CannotWrite(f) from exc
    return [_rel(f, root) for f in stale]


def main(argv: list[str] | None = None, *, _script: bool = False) -> int:
    """``python -m backlash.pipeline run GROUP | mk [--check] | list``.

    Ctrl-C or SIGTERM at any moment ends it with status 130 and :data:`INTERRUPTED` as the last
    line (the runner's handlers are installed first thing; see :class:`Interrupts`).

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        The exit status.
    """
    if sys.version_info < (3, 11):
        print(f"pipeline: needs Python 3.11 or newer, but {sys.executable} is {sys.version.split()[0]}; "
              "run make with PYTHON=<a Python 3.11+ interpreter>", file=sys.stderr)
        return 1
    interrupts = Interrupts().install()
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else "list"
    try:
        if command == "run" and len(args) == 1:
            return run_group(args[0], interrupts=interrupts)
        if command == "mk" and args in ([], ["--check"]):
            for name in update_generated(check=bool(args)):
                print(f"rewrote {name} from the STEP declarations in py/")
            interrupts.check()
            return 0
        if command == "list" and not args:
            for s in load_steps():
                print(f"{s.group:12} {s.name:24} {s.summary}")
            interrupts.check()
            return 0
    except DeclarationError as exc:
        print(f"pipeline: {exc}", file=sys.stderr)
        return 1
    except CannotWrite as exc:  # e.g. a read-only checkout whose generated rules are stale
        print(f"pipeline: cannot write {_rel(exc.path, paths.ROOT)}: {exc.__cause__.strerror or exc.__cause__}; "
              "build in a writable copy", file=sys.stderr)
        return 1
    except OSError as exc:  # anything else the system refused: said as it is, never as a write
        print(f"pipeline: {os_error_message(exc)}", file=sys.stderr)
        return 1
    except (ValueError, KeyError) as exc:  # a malformed data/sources.toml (tomllib.TOMLDecodeError is a ValueError)
        print(f"pipeline: cannot read data/sources.toml: {exc!r}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        say(INTERRUPTED, sys.stderr)
        return 130
    finally:
        if not _script:
            interrupts.restore()
    print("usage: " + main.__doc__.splitlines()[0].strip("`.").replace("``", ""), file=sys.stderr)
    return 2


if __name__ == "__main__":
    status = main(_script=True)
    # Leave without Python's shut-down, which puts back the signals' default action (death by the
    # signal, without the line above) while the runner's own handler would only record them.
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    finally:
        os._exit(status)
