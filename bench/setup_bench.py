"""`make bench` (set-up part): how long `make env` takes to build .venv with uv and with pip.

Each installer is timed twice in a scratch copy of the project (the Makefile, the lock
files and the sources): cold, with an empty package cache (and, for uv, without the
bootstrap copy of uv, as on a fresh clone), then warm, with the cache the cold run filled.
Caches live in a temporary folder, so the user's own caches are neither used nor changed.
The pip runs take minutes; `python bench/setup_bench.py uv` times uv only.

Usage: python bench/setup_bench.py [uv] [pip]
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
FILES = ("Makefile", "pyproject.toml", "requirements.lock", "requirements-uv.lock", "README.md")


def scratch_copy(dest: Path) -> Path:
    dest.mkdir(parents=True)
    for name in FILES:
        shutil.copy2(ROOT / name, dest / name)
    shutil.copytree(ROOT / "src", dest / "src", ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
    return dest


def time_make_env(project: Path, installer: str, env: dict[str, str]) -> float:
    """Seconds for `make env INSTALLER=...` to build .venv from nothing (fails loudly if it fails)."""
    shutil.rmtree(project / ".venv", ignore_errors=True)
    env = {k: v for k, v in env.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")}
    t0 = time.monotonic()
    res = subprocess.run(["make", "env", f"INSTALLER={installer}"], cwd=project, env=env,
                         capture_output=True, text=True)
    dt = time.monotonic() - t0
    if res.returncode != 0:
        raise SystemExit(f"make env INSTALLER={installer} failed:\n{res.stdout}\n{res.stderr}")
    return dt


def main(which: list[str]) -> None:
    which = which or ["uv", "pip"]
    results = []
    with tempfile.TemporaryDirectory(prefix="setup-bench-") as tmp:
        tmp = Path(tmp)
        for installer in which:
            project = scratch_copy(tmp / installer / "project")
            caches = {"PIP_CACHE_DIR": str(tmp / installer / "pip-cache"),
                      "UV_CACHE_DIR": str(tmp / installer / "uv-cache")}
            env = {**os.environ, **caches}
            for state in ("cold", "warm"):
                dt = time_make_env(project, installer, env)
                results.append((installer, state, dt))
                print(f"make env with {installer:<3} ({state} cache): {dt:6.1f} s", flush=True)
    times = {(i, s): t for i, s, t in results}
    sys.path.insert(0, str(ROOT / "bench"))
    import results as stored  # bench/results.py

    stored.record("setup", {f"{i}_{s}_s": t for (i, s), t in times.items()})
    for state in ("cold", "warm"):
        if ("uv", state) in times and ("pip", state) in times:
            print(f"{state}: uv is {times[('pip', state)] / times[('uv', state)]:.0f}x faster than pip")


if __name__ == "__main__":
    main(sys.argv[1:])
