"""Setting up: an interrupted creation of .venv is detected and rebuilt by the next run."""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
from _scratch import ROOT, clean_env, interrupt_when, minimal_copy

UV = sorted(ROOT.glob(".make/bootstrap/uv-*/bin/uv")) or ([Path(shutil.which("uv"))] if shutil.which("uv") else [])


def _start(root: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen(["make", "env"], cwd=root, stdout=open(log, "ab"), stderr=subprocess.STDOUT,
                            env=clean_env(), start_new_session=True)


@pytest.mark.skipif(not UV, reason="uv is not available (set-up used pip): rebuilding .venv would take minutes")
def test_venv_killed_while_installing_is_rebuilt(tmp_path):
    """SIGKILL while `make env` installs the packages leaves a .venv without its stamp; the next
    `make env` removes it, builds it again and the packages import (a few seconds with uv's cache)."""
    root = minimal_copy(tmp_path / "project")
    if (ROOT / ".make/bootstrap").is_dir():
        (root / ".make").mkdir()
        (root / ".make/bootstrap").symlink_to(ROOT / ".make/bootstrap")
    log = tmp_path / "make.log"
    proc = _start(root, log)
    sent = interrupt_when(proc, lambda: (root / ".venv/bin/python").exists(), signal.SIGKILL, timeout=300)
    assert sent, "the set-up ended before it could be interrupted"
    assert not (root / ".venv/.installed").exists()
    t0 = time.monotonic()
    res = subprocess.run(["make", "env"], cwd=root, capture_output=True, text=True, env=clean_env(), timeout=600)
    assert res.returncode == 0, res.stdout + res.stderr
    assert "removing .venv" in res.stdout and "built .venv" in res.stdout
    ok = subprocess.run([str(root / ".venv/bin/python"), "-c", "import numpy, pandas, backlash"], cwd=root,
                        capture_output=True, text=True)
    assert ok.returncode == 0, ok.stderr
    print(f"rebuilt .venv in {time.monotonic() - t0:.1f} s")
