"""The group runner (backlash.pipeline.run_group) stops promptly when it is told to, at any step.

A scratch project with three slow steps in one group: SIGTERM to the runner, Ctrl-C to its process
group (what a terminal sends) and SIGKILL of the runner each stop the build during the second step,
well before it would end, and no later step runs.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _scratch import ROOT, clean_env

STEP = '''"""Step {n}: waits, then writes its file."""

import time

from backlash import paths
from backlash._io import step, write_text
from backlash.declaration import Step

STEP = Step(group="slow", writes=(paths.derived("s{n}.txt"),){reads})

with step(*STEP.writes):
    for _ in range(50):  # 5 s, in small sleeps (a signal handler runs between them)
        time.sleep(0.1)
    write_text("{n}\\n", STEP.writes[0])
'''


@pytest.fixture
def slow_project(tmp_path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(ROOT / "src", root / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    shutil.copy2(ROOT / "pyproject.toml", root / "pyproject.toml")
    (root / "py").mkdir()
    (root / "data/derived").mkdir(parents=True)
    for n in (1, 2, 3):
        reads = f", reads=(paths.derived(\"s{n - 1}.txt\"),)" if n > 1 else ""
        (root / f"py/s{n}.py").write_text(STEP.format(n=n, reads=reads), encoding="utf-8")
    (root / "py/s1.py").write_text(STEP.format(n=1, reads="").replace("range(50)", "range(1)"), encoding="utf-8")
    return root


def _start(root: Path) -> subprocess.Popen:
    env = clean_env(PYTHONPATH=str(root / "src"), BACKLASH_ROOT=str(root))
    return subprocess.Popen([sys.executable, "-m", "backlash.pipeline", "run", "slow"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)


def _in_second_step(root: Path, proc: subprocess.Popen) -> None:
    """Wait until step 1 has finished and step 2 has run for a moment."""
    while not (root / "data/derived/s1.txt").exists():
        assert proc.poll() is None, proc.stdout.read()
        time.sleep(0.05)
    time.sleep(0.8)


@pytest.mark.parametrize("how", ["SIGTERM to the runner", "Ctrl-C to the process group", "SIGKILL of the runner"])
def test_the_runner_stops_during_a_later_step(slow_project, how):
    """Interrupted during its second step, the group stops within about a second (the step would take
    5 s), the second step's file is not written, the third step never starts, and no temporary file
    is left; SIGTERM and Ctrl-C end the runner with status 130."""
    root = slow_project
    proc = _start(root)
    _in_second_step(root, proc)
    t0 = time.monotonic()
    if how == "SIGTERM to the runner":
        proc.send_signal(signal.SIGTERM)
    elif how == "Ctrl-C to the process group":
        os.killpg(proc.pid, signal.SIGINT)
    else:
        proc.kill()
    out, _ = proc.communicate(timeout=30)
    if how == "SIGKILL of the runner":  # its child gets SIGTERM from the kernel and stops by itself
        deadline = time.monotonic() + 10
        while any(root.glob("data/derived/.*.tmp")) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(1.0)
    else:
        assert proc.returncode == 130, out
    assert time.monotonic() - t0 < 4.0, f"took {time.monotonic() - t0:.1f} s to stop"
    assert not (root / "data/derived/s2.txt").exists(), out
    assert not (root / "data/derived/s3.txt").exists(), out
    assert list(root.glob("data/derived/.*.tmp")) == []
