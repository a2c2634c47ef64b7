"""The group runner (backlash.pipeline.run_group) stops promptly when it is told to, at any step.

A scratch project with three slow steps in one group: SIGTERM to the runner, Ctrl-C to its process
group (what a terminal sends) and SIGKILL of the runner each stop the build during the second step,
well before it would end, and no later step runs.

A stress test interrupts a group of six short steps at moments spread over its whole run, many
times, and checks the exit status, the message and the files every time (``BACKLASH_STRESS_RUNS``
sets the number of runs per kind of interrupt; `make test` runs a few).
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from _scratch import ROOT, clean_env

from backlash.pipeline import INTERRUPTED

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
        assert out.strip().splitlines()[-1] == INTERRUPTED, out
    assert time.monotonic() - t0 < 4.0, f"took {time.monotonic() - t0:.1f} s to stop"
    assert not (root / "data/derived/s2.txt").exists(), out
    assert not (root / "data/derived/s3.txt").exists(), out
    assert list(root.glob("data/derived/.*.tmp")) == []


TINY = '''"""Tiny step {n}: writes its number."""

import time

from backlash import paths
from backlash._io import step, write_text
from backlash.declaration import Step

STEP = Step(group="tiny", writes=(paths.derived("t{n}.txt"),){reads})

with step(*STEP.writes):
    time.sleep(0.005)
    write_text("{n}\\n", STEP.writes[0])
'''
TINY_STEPS = 6


@pytest.fixture
def tiny_project(tmp_path) -> Path:
    """A project of six steps of a few milliseconds each, in one group; the library is this checkout's."""
    root = tmp_path / "tiny"
    (root / "py").mkdir(parents=True)
    (root / "data/derived").mkdir(parents=True)
    (root / "pyproject.toml").write_text("", encoding="utf-8")
    for n in range(1, TINY_STEPS + 1):
        reads = f", reads=(paths.derived(\"t{n - 1}.txt\"),)" if n > 1 else ""
        (root / f"py/t{n}.py").write_text(TINY.format(n=n, reads=reads), encoding="utf-8")
    return root


def _handles_sigterm(pid: int) -> bool:
    """Whether process ``pid`` has installed a handler of SIGTERM (the runner's first action), or has ended."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as fh:
            caught = next(line for line in fh if line.startswith("SigCgt:"))
    except (OSError, StopIteration):
        return True
    return bool(int(caught.split()[1], 16) >> (signal.SIGTERM - 1) & 1)


def _run_tiny(root: Path, delay: float | None, how: str) -> tuple[int, str, float]:
    """Run the tiny group; ``delay`` s after the runner has taken over its signals, interrupt it ``how``.
    Returns the exit status, the output and the seconds from the start of the run to the signal."""
    for p in (root / "data/derived").iterdir():
        p.unlink()
    env = clean_env(PYTHONPATH=str(ROOT / "src"), BACKLASH_ROOT=str(root))
    proc = subprocess.Popen([sys.executable, "-m", "backlash.pipeline", "run", "tiny"], cwd=root, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True)
    while not _handles_sigterm(proc.pid):
        time.sleep(0.0005)
    t0 = time.monotonic()
    if delay is not None:
        time.sleep(delay)
        try:
            if how in ("Ctrl-C to the process group", "both"):
                os.killpg(proc.pid, signal.SIGINT)
            if how in ("SIGTERM to the runner", "both"):
                proc.send_signal(signal.SIGTERM)
        except ProcessLookupError:
            pass
    out, _ = proc.communicate(timeout=60)
    return proc.returncode, out, time.monotonic() - t0


def _problems(root: Path, status: int, out: str) -> list[str]:
    """What is wrong with one interrupted run (empty when it stopped as it should)."""
    written = sorted(p.name for p in (root / "data/derived").iterdir())
    done = [f"t{n}.txt" for n in range(1, TINY_STEPS + 1) if f"t{n}.txt" in written]
    problems = []
    if status == 0:  # the signal came after the last step: everything must be there, and nothing said
        if len(done) != TINY_STEPS or "interrupted" in out:
            problems.append("status 0 but the group did not finish")
    elif status != 130:
        problems.append(f"exit status {status}, not 130")
    elif not out.strip() or out.strip().splitlines()[-1] != INTERRUPTED:
        problems.append(f"the last line is not {INTERRUPTED!r}")
    for bad in ("Traceback", "Exception ignored", "cannot write", "race condition"):
        if bad in out:
            problems.append(f"{bad!r} in the output")
    if done != [f"t{n}.txt" for n in range(1, len(done) + 1)] or set(written) != set(done):
        problems.append(f"files left: {written}")  # a later step ran, or a temporary file was left
    for name in done:
        if (root / "data/derived" / name).read_text(encoding="utf-8") != name[1:-4] + "\n":
            problems.append(f"{name} is not whole")
    return problems


@pytest.mark.skipif(not Path("/proc/self/status").is_file(), reason="needs /proc (Linux)")
@pytest.mark.parametrize("how", ["Ctrl-C to the process group", "SIGTERM to the runner", "both"])
def test_interrupts_at_random_moments_always_stop_the_runner_cleanly(tiny_project, how):
    """Interrupted at any moment after it has started (while it imports, forks a step, waits for one,
    or reads its exit status), the runner ends with status 130 and its one line as the last line
    (never a traceback, never "cannot write"), no later step runs, every file written is whole
    and no temporary file is left. The moments are spread evenly over an uninterrupted run's length,
    in a random order (seeded); a run the signal reaches only after its last step must be complete."""
    root = tiny_project
    lengths = []
    for _ in range(2):  # (the shorter of two uninterrupted runs: the machine's load varies)
        status, out, length = _run_tiny(root, None, how)
        assert status == 0, out
        lengths.append(length)
    runs = int(os.environ.get("BACKLASH_STRESS_RUNS", "10"))
    rng = random.Random(f"{how} {runs}")
    moments = [min(lengths) * (i + rng.random()) / runs for i in range(runs)]
    rng.shuffle(moments)
    failures, stopped = [], 0
    for delay in moments:
        status, out, _ = _run_tiny(root, delay, how)
        stopped += status == 130
        problems = _problems(root, status, out)
        if problems:
            failures.append(f"signal {delay * 1000:.0f} ms after the start: {'; '.join(problems)}\n{out}")
    print(f"{how}: {runs} runs, {stopped} stopped by the signal, {len(failures)} failed")
    assert failures == [], "\n".join(failures[:5])
    assert stopped >= runs // 2, f"only {stopped} of {runs} signals arrived before the group ended"


def test_only_a_failed_write_is_reported_as_one(monkeypatch, capsys, tmp_path):
    """An error of the system that is not a write (here ECHILD, what the race above produced) is named
    as it is, never as "cannot write"; a failed write of a generated file names that file."""
    import errno

    from backlash import pipeline

    def lost(*_args, **_kw):
        raise ChildProcessError(errno.ECHILD, "No child processes")

    monkeypatch.setattr(pipeline, "run_group", lost)
    assert pipeline.main(["run", "model"]) == 1
    err = capsys.readouterr().err
    assert "No child processes" in err and "cannot write" not in err

    monkeypatch.setattr(pipeline, "load_steps", lambda root=None: ())
    monkeypatch.setattr(pipeline, "make_rules", lambda steps, root: "# no steps\n")
    (tmp_path / "py").mkdir()
    monkeypatch.setattr(pipeline.paths, "ROOT", tmp_path)

    def refused(self, *_args, **_kw):
        raise PermissionError(errno.EROFS, "Read-only file system", str(self))

    monkeypatch.setattr(Path, "write_text", refused)
    assert pipeline.main(["mk"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("pipeline: cannot write py/steps.mk: Read-only file system"), err
