"""Helpers for tests that run `make` in a scratch copy of the project.

Such a test is marked ``@pytest.mark.scratch``: `make test-scratch` runs those tests, `make test` the others,
and `make check` all of them (tests/conftest.py declares the mark).  The helpers that make a copy, or run make
in one, refuse to run in a test without the mark (:func:`require_scratch_mark`), so no scratch build slips into
`make test` unnoticed.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

from backlash import paths

ROOT = paths.ROOT
SKIP = shutil.ignore_patterns(".venv", ".git", ".make", ".hypothesis", ".pytest_cache", "__pycache__",
                              "*.egg-info", ".quarto")
#: Names of the files an interrupted step may leave behind (see backlash._io and backlash.sources).
LEFTOVER_GLOBS = ("data/derived/.*.tmp", "figures/.*.tmp", "data/raw/**/.*.part", "paper/.render-*",
                  "paper/.paper.*", "paper/generated/.*.tmp", "paper/._variables.yml.*")


#: How `make` in the project itself must be called to use the interpreter running the tests:
#: nothing for the project's .venv, ``PYTHON=...`` for an external (e.g. conda) environment.
ROOT_PYTHON = [] if Path(sys.prefix).resolve() == (ROOT / ".venv").resolve() else [f"PYTHON={sys.executable}"]

#: Whether the running test is marked ``scratch`` (set by tests/conftest.py before each test's fixtures).
MARKED = False
#: The fixtures being set up, innermost last (kept by tests/conftest.py), and those that built a copy: an
#: unmarked test that uses one of them later is refused too, whichever test built it.
FIXTURES: list[str] = []
BUILT_BY: set[str] = set()


def require_scratch_mark(what: str) -> None:
    """Stop a test that is about to ``what`` (build, install or run steps in a copy of the project) unless it is
    marked ``@pytest.mark.scratch``.

    Raises
    ------
    RuntimeError
        Saying which mark to add, and why.
    """
    if not MARKED:
        raise RuntimeError(f"this test is about to {what}, so it must be marked @pytest.mark.scratch: "
                           "`make test-scratch` (and `make check`) run such tests, `make test` leaves them out")
    BUILT_BY.update(FIXTURES)


def _require_mark_outside_root(cwd: Path) -> None:
    """A make run anywhere but in the project itself is a scratch build (:func:`require_scratch_mark`)."""
    if Path(cwd).resolve() != ROOT.resolve():
        require_scratch_mark(f"run make in a copy of the project ({cwd})")


def clean_env(**extra: str) -> dict[str, str]:
    """The environment without the variables a parent `make` passes down (so `make test` does not leak
    its own flags or command-line variables into the make under test)."""
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    env.update(extra)
    return env


def make(cwd: Path, *args: str, python: str | None = sys.executable, timeout: float = 600,
         env: dict | None = None) -> subprocess.CompletedProcess:
    """Run `make ARGS` in ``cwd`` with the test's interpreter as PYTHON (one argv word, so spaces are safe)."""
    _require_mark_outside_root(cwd)
    cmd = ["make", *args] + ([f"PYTHON={python}"] if python else [])
    return subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=env or clean_env())


def copy_project(dest: Path) -> Path:
    """A copy of the built project (raw data and outputs included, timestamps kept)."""
    require_scratch_mark("copy the project")
    shutil.copytree(ROOT, dest, ignore=SKIP, symlinks=True)
    return dest


def minimal_copy(dest: Path, folders: tuple[str, ...] = ("src",)) -> Path:
    """The Makefile, the lock files, pyproject.toml, README.md and ``folders`` (no data, no outputs):
    enough for `make env`, `make -n all` and the checks of remembered choices."""
    require_scratch_mark("copy the project")
    dest.mkdir(parents=True, exist_ok=True)
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-uv.lock", "README.md",
                 "_quarto.yml"):
        shutil.copy2(ROOT / name, dest / name)
    for folder in folders:
        shutil.copytree(ROOT / folder, dest / folder,
                        ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "raw", "derived"))
    return dest


def leftovers(root: Path) -> list[str]:
    """Temporary files or folders of interrupted steps that are still in ``root``."""
    return sorted(str(p.relative_to(root)) for g in LEFTOVER_GLOBS for p in root.glob(g))


def start_make(cwd: Path, *args: str, env: dict | None = None, log: Path | None = None) -> subprocess.Popen:
    """Start `make ARGS PYTHON=<this interpreter>` in a new session (its own process group)."""
    _require_mark_outside_root(cwd)
    out = open(log, "ab") if log else subprocess.DEVNULL
    return subprocess.Popen(["make", *args, f"PYTHON={sys.executable}"], cwd=cwd, stdout=out,
                            stderr=subprocess.STDOUT, env=env or clean_env(), start_new_session=True)


def interrupt_when(proc: subprocess.Popen, ready, sig: int, timeout: float = 900) -> bool:
    """Send ``sig`` to the whole process group of ``proc`` (as a terminal or CI runner does) as soon as
    ``ready()`` is true; return whether it was sent before the build ended by itself."""
    t0 = time.monotonic()
    sent = False
    while proc.poll() is None and time.monotonic() - t0 < timeout:
        if ready():
            os.killpg(proc.pid, sig)
            sent = True
            break
        time.sleep(0.005)
    try:
        proc.wait(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    # Children of make that outlived it (SIGKILL reaches the whole group, but be sure).
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    return sent
