"""Atomic, deterministic writers used by the pipeline scripts in ``py/``.

Every output is written to a temporary file in its destination folder and
renamed into place only when complete, so a failing step never leaves a
half-written file or clobbers the previous good output.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

import pandas as pd

#: Float format of every CSV the pipeline writes (fixed, so bytes are reproducible).
CSV_FLOAT_FORMAT = "%.10g"


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.stem}.", suffix=dest.suffix or ".tmp", dir=dest.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def write_csv(df: pd.DataFrame, dest: Path) -> Path:
    """Write ``df`` without index, fixed float format and ``\\n`` line ends, atomically."""
    with atomic_path(dest) as tmp:
        df.to_csv(tmp, index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n")
    return Path(dest)


def write_json(obj, dest: Path) -> Path:
    """Write ``obj`` as sorted, indented JSON, atomically."""
    with atomic_path(dest) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, allow_nan=False) + "\n")
    return Path(dest)


def write_text(text: str, dest: Path) -> Path:
    """Write ``text`` atomically."""
    with atomic_path(dest) as tmp:
        tmp.write_text(text)
    return Path(dest)


def relative(path: Path) -> str:
    """``path`` relative to the project root when possible (for log lines)."""
    from .paths import ROOT

    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


@contextmanager
def step(*outputs: Path) -> Iterator[None]:
    """Time a pipeline step and print one line naming what it built.

    On failure, print the error on one line (no traceback) and exit with status 1;
    the outputs are left as they were because every writer is atomic.
    """
    t0 = time.perf_counter()
    try:
        yield
    except (ValueError, KeyError, FileNotFoundError, RuntimeError) as exc:
        names = ", ".join(relative(p) for p in outputs)
        print(f"FAILED to build {names}:\n{exc}", file=sys.stderr)
        raise SystemExit(1) from None
    dt = time.perf_counter() - t0
    names = ", ".join(relative(p) for p in outputs)
    print(f"built {names} ({dt:.2f} s)")
