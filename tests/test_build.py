"""The build: one command, nothing rebuilt twice, a changed raw byte stops it cold."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from backlash import paths

ROOT = paths.ROOT
_SKIP = shutil.ignore_patterns(".venv", ".git", ".make", ".hypothesis", ".pytest_cache", "__pycache__",
                               "*.egg-info", ".quarto")


def _digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _make(cwd: Path, *targets: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *targets, f"PYTHON={sys.executable}"], cwd=cwd, capture_output=True,
                          text=True, **kw)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the built project (raw data and outputs included, timestamps kept)."""
    dest = tmp_path / "project"
    shutil.copytree(ROOT, dest, ignore=_SKIP, symlinks=True)
    return dest


def test_flipped_raw_byte_stops_make_all_and_keeps_outputs(project_copy):
    """A raw file changed after it was fetched makes `make all` fail with the checksum message,
    naming the file and both sha256 values, and leaves data/derived/ byte for byte as it was."""
    target = project_copy / "data/raw/polity5/p5v2018.csv"
    before = _digest_tree(project_copy / "data/derived")
    data = bytearray(target.read_bytes())
    data[1000] ^= 0x01
    target.write_bytes(bytes(data))
    result = _make(project_copy, "all")
    assert result.returncode != 0
    assert "checksum mismatch" in result.stderr and "p5v2018.csv" in result.stderr
    assert "bc58a058bab72bafd5046b9ad56c29f448ea6753dd24853464f8227eedd78172" in result.stderr
    assert hashlib.sha256(bytes(data)).hexdigest() in result.stderr
    assert _digest_tree(project_copy / "data/derived") == before


def test_build_is_up_to_date_after_make_all():
    """After `make all` (a prerequisite of `make test`), make has nothing left to do."""
    result = subprocess.run(["make", "-q", "all"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, "make -q all reports out-of-date targets:\n" + result.stdout + result.stderr


def test_every_build_output_is_ignored_by_git():
    """Nothing the build writes is a tracked file, so a build never dirties `git status`."""
    if not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    outputs = [p for d in (paths.DERIVED, paths.FIGURES, paths.RAW) for p in d.rglob("*")
               if p.is_file() and p.name != ".gitkeep"]
    outputs += [p for p in (paths.PAPER / "paper.pdf", paths.PAPER / "paper.html", paths.PAPER_VARIABLES)
                if p.exists()]
    assert outputs, "the build wrote nothing"
    rel = [str(p.relative_to(ROOT)) for p in outputs]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *rel], cwd=ROOT, capture_output=True,
                             text=True).stdout.split()
    assert sorted(set(rel) - set(ignored)) == []


def test_make_help_lists_every_target():
    """`make help` gives one line for each public target."""
    out = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True).stdout
    for target in ("all", "test", "fetch", "bench", "clean", "help"):
        assert f"make {target} " in out


def test_outputs_are_byte_identical_when_rebuilt_from_scratch(project_copy):
    """Building data/derived/ and figures/ again from scratch gives the same bytes as `make all` did."""
    for folder in ("data/derived", "figures"):
        for p in (project_copy / folder).iterdir():
            if p.name != ".gitkeep":
                p.unlink()
    result = _make(project_copy, "model", "empirics", "dictionary")
    assert result.returncode == 0, result.stderr
    for folder in ("data/derived", "figures"):
        rebuilt, original = _digest_tree(project_copy / folder), _digest_tree(ROOT / folder)
        # the explorer's screenshots are written by tests/test_explorer.py, not by the build
        original = {k: v for k, v in original.items() if not k.startswith("explorer")}
        assert rebuilt.keys() == original.keys()
        changed = sorted(k for k in rebuilt if rebuilt[k] != original[k])
        assert changed == [], f"bytes differ between two builds: {changed}"
