"""Setting up .venv: an interrupted set-up is rebuilt, two set-ups at once take turns, and a .venv copied
or moved with its project is rebuilt for the new folder.

One scratch project goes through all of it, in order, with uv's cache and without compiling the packages
to bytecode (``COMPILE_BYTECODE=0``: no step runs here), so it costs three installs of a few seconds
(the orphaned one, the one it interrupted and the copy's):

1. ``make env`` killed with its whole process group (as Ctrl-C, a CI time-out or the kernel would) as soon
   as ``.venv/bin/python`` exists: a ``.venv`` without its stamp is left;
2. ``make env`` again, and ``make`` alone killed by SIGKILL as it starts to install (its recipe goes on, orphaned);
3. ``make env`` at once, while that orphan still installs;
4. the project copied with ``cp -a`` (its ``src`` then edited) and ``make env`` there;
5. the copy moved with ``mv``: make must see that its .venv is out of date there (the rebuild is the copy's).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from _scratch import ROOT, clean_env, interrupt_when, minimal_copy

pytestmark = pytest.mark.scratch  # the whole module builds in copies of the project (tests/_scratch.py)

UV = sorted(ROOT.glob(".make/bootstrap/uv-*/bin/uv")) or ([Path(shutil.which("uv"))] if shutil.which("uv") else [])
NO_BYTECODE = "COMPILE_BYTECODE=0"


def _start(root: Path, log: Path) -> subprocess.Popen:
    """`make env` in the background; with -j1, whose output is not held back until the recipe ends (a killed
    make would lose it)."""
    return subprocess.Popen(["make", "-j1", "env", NO_BYTECODE], cwd=root, stdout=open(log, "ab"), stderr=subprocess.STDOUT,
                            env=clean_env(), start_new_session=True)


def _make_env(root: Path) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "env", NO_BYTECODE], cwd=root, capture_output=True, text=True, env=clean_env(),
                          timeout=600)


def _run(*args: str, **kw) -> subprocess.CompletedProcess:
    """Run a program of the project's .venv; a missing one gives status 127, as a shell would."""
    try:
        return subprocess.run(args, capture_output=True, text=True, **kw)
    except FileNotFoundError as exc:
        return subprocess.CompletedProcess(args, 127, "", str(exc))


def _locked(lock: Path) -> bool:
    """Whether another process holds the set-up's lock (flock) on ``lock``."""
    import fcntl
    import os

    fd = os.open(lock, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def _imports(root: Path) -> subprocess.CompletedProcess:
    """Which ``backlash`` the project's .venv imports (outside make, so without PYTHONPATH). (That the packages
    import is checked by the set-up itself, which fails otherwise; here, without bytecode, it would cost 1.5 s.)"""
    return _run(str(root / ".venv/bin/python"), "-c", "import backlash; "
                "print(backlash.__file__, getattr(backlash, 'COPY', ''))", cwd="/",
                env={k: v for k, v in clean_env().items() if k != "PYTHONPATH"})


@pytest.fixture(scope="module")
def setups(tmp_path_factory) -> dict:
    if not UV:
        pytest.skip("uv is not available (set-up used pip): rebuilding .venv would take minutes")
    tmp = tmp_path_factory.mktemp("setup")
    root = minimal_copy(tmp / "project")
    if (ROOT / ".make/bootstrap").is_dir():
        (root / ".make").mkdir()
        (root / ".make/bootstrap").symlink_to(ROOT / ".make/bootstrap")
    out: dict = {"root": root}
    log = tmp / "killed.log"
    # 1. the whole group killed as soon as the environment exists
    out["killed_sent"] = interrupt_when(_start(root, log), lambda: (root / ".venv/bin/python").exists(),
                                        signal.SIGKILL, timeout=300)
    out["stamp_after_kill"] = (root / ".venv/.installed").exists()
    # 2. make env again; make alone killed as soon as it has created the environment: its recipe goes on
    #    without it (installing the packages and checking that they import take it a few seconds more)
    proc = _start(root, log)
    deadline = time.monotonic() + 300
    while log.read_text(encoding="utf-8").count("installing requirements.lock") < 2 and time.monotonic() < deadline:
        time.sleep(0.005)
    proc.kill()
    proc.wait()
    # 3. make env at once, while the orphaned set-up still holds the set-up's lock
    out["orphan_running"] = _locked(root / ".make/venv.lock")
    out["second"] = _make_env(root)
    out["log"] = log.read_text(encoding="utf-8", errors="replace")
    out["imports"] = _imports(root)
    # 4. a copy, edited, and 5. the copy moved
    copy = tmp / "copy"
    subprocess.run(["cp", "-a", str(root), str(copy)], check=True)
    with open(copy / "src/backlash/__init__.py", "a", encoding="utf-8") as fh:
        fh.write('\nCOPY = "edited in the copy"\n')
    out["copied"], out["copied_imports"] = _make_env(copy), _imports(copy)
    out["copied_script"] = _run(str(copy / ".venv/bin/backlash"), "--version")
    out["copied_again"] = _make_env(copy)
    moved = tmp / "moved"
    copy.rename(moved)
    out["moved_script"] = _run(str(moved / ".venv/bin/backlash"), "--version")
    out["moved_up_to_date"] = subprocess.run(["make", "-q", "env", NO_BYTECODE], cwd=moved, capture_output=True,
                                             text=True, env=clean_env())
    out["moved_dry_run"] = subprocess.run(["make", "-n", "env", NO_BYTECODE], cwd=moved, capture_output=True,
                                          text=True, env=clean_env())
    out["copy"], out["moved_root"] = copy, moved
    return out


def test_venv_killed_while_installing_is_rebuilt(setups):
    """SIGKILL while `make env` installs the packages leaves a .venv without its stamp; the next
    `make env` removes it, builds it again and the packages import."""
    assert setups["killed_sent"], "the set-up ended before it could be interrupted"
    assert not setups["stamp_after_kill"]
    assert "removing .venv: an earlier set-up did not finish" in setups["log"]
    assert setups["second"].returncode == 0, setups["second"].stdout + setups["second"].stderr
    assert setups["imports"].returncode == 0, setups["imports"].stderr
    assert setups["imports"].stdout.startswith(str(setups["root"] / "src/backlash/"))


def test_a_second_set_up_waits_for_one_whose_make_was_killed(setups):
    """`make` alone killed by SIGKILL during the install leaves its recipe installing; a `make env` started
    at once says it waits for that set-up, then finds .venv ready: no raw `rm: ... Directory not empty`."""
    second = setups["second"]
    assert setups["orphan_running"], "the orphaned set-up had already ended"
    assert second.returncode == 0, second.stdout + second.stderr
    assert "another set-up of .venv is running in this project; waiting for it to finish" in second.stdout
    assert "Directory not empty" not in second.stdout + second.stderr


def test_a_copied_or_moved_venv_is_rebuilt_for_its_new_folder(setups):
    """`cp -a` of a project, then `make env` in the copy: make says the .venv was built for the original
    and builds it again, after which the copy's .venv imports the copy's (edited) code and its own
    `backlash` script runs; a second `make env` has nothing to do. After `mv` of the copy, the .venv's
    script no longer runs (it names the old folder's interpreter: exit 127), and make knows that .venv is
    out of date there (where it used to say "Nothing to be done"): it would remove it and build it again."""
    root, copy, moved = setups["root"], setups["copy"], setups["moved_root"]
    copied = setups["copied"]
    assert copied.returncode == 0, copied.stdout + copied.stderr
    assert f"removing .venv: it was built for {root}, not for {copy} (the project was copied or moved)" in copied.stdout
    assert setups["copied_imports"].stdout.split() == [str(copy / "src/backlash/__init__.py"), "edited", "in", "the",
                                                       "copy"], setups["copied_imports"]
    assert setups["copied_script"].returncode == 0, setups["copied_script"].stderr
    assert "Nothing to be done" in setups["copied_again"].stdout
    assert setups["moved_script"].returncode != 0  # the fault: the moved project's .venv is broken ...
    assert setups["moved_up_to_date"].returncode == 1  # ... and make sees it
    assert "rm -rf .venv" in setups["moved_dry_run"].stdout, setups["moved_dry_run"].stdout
