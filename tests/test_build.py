"""The build: one command, nothing rebuilt twice, a changed raw byte stops it cold, and any
interruption is repaired by the next `make all`."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest
import yaml
from _scratch import ROOT, ROOT_PYTHON, clean_env, copy_project, interrupt_when, leftovers, make, start_make

from backlash import paths, pipeline


def _digest_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _make(cwd: Path, *targets: str, **kw) -> subprocess.CompletedProcess:
    return make(cwd, *targets, **kw)


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A copy of the built project (raw data and outputs included, timestamps kept)."""
    return copy_project(tmp_path / "project")


def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.name=test", "-c", "user.email=test@invalid", *args], cwd=cwd,
                          capture_output=True, text=True, check=True).stdout


#: Where each interruption of the scratch rebuild happens: (name, signal, what must be true first).
_INTERRUPTIONS = (
    ("fetch", signal.SIGKILL, lambda root, t0: any(root.glob("data/raw/**/.*.part"))
     or any(root.glob("data/derived/*.csv"))),
    ("a data step", signal.SIGINT, lambda root, t0: time.monotonic() - t0 > 1.5),
    ("a CSV write", signal.SIGKILL, lambda root, t0: any(root.glob("data/derived/.*.tmp"))),
    ("the render", signal.SIGKILL, lambda root, t0: any(root.glob("paper/.render-*"))),
)
# (SIGTERM during the render, which must remove its scratch files at once, is tested on a small document in
# tests/test_paper.py: here it would cost one more render of the report.)


@pytest.fixture(scope="module")
def interrupted_rebuild(tmp_path_factory) -> dict:
    """One rebuild from scratch of a copy of the project, interrupted at each point of
    `_INTERRUPTIONS` by the signal a user (Ctrl-C), a CI time-out (SIGTERM) or the kernel
    (SIGKILL) sends, each time followed by `make all`. The determinism test reuses its outputs.
    """
    root = copy_project(tmp_path_factory.mktemp("scratch") / "project copy")  # a space in the path
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "scratch")
    for folder in ("data/derived", "figures"):
        for p in (root / folder).iterdir():
            if p.name != ".gitkeep":
                p.unlink()
    shutil.rmtree(root / "paper/generated", ignore_errors=True)
    for name in ("_variables.yml", "paper/paper.pdf", "paper/paper.html"):
        (root / name).unlink(missing_ok=True)
    mirror = paths.data_mirror()
    # The copy is another git repository; the report states the commit of this one, as a build
    # from an archive of it would (BACKLASH_SOURCE_COMMIT), so the two reports can be compared.
    env = clean_env(BACKLASH_SOURCE_COMMIT=yaml.safe_load(paths.PAPER_VARIABLES.read_text(encoding="utf-8"))
                    ["env"]["commit"])
    if mirror is not None and (mirror / "polity5/p5v2018.csv").is_file():
        env["BACKLASH_DATA_MIRROR"] = str(mirror.resolve())
        (root / "data/raw/polity5/p5v2018.csv").unlink()  # fetched again, and interrupted
    log = root.parent / "make.log"
    # Every step records the project files it opens (backlash.pipeline), for the read audit below.
    env["BACKLASH_TRACE_READS"] = str(root.parent / "reads.jsonl")
    rounds = []
    for name, sig, ready in _INTERRUPTIONS:
        t0 = time.monotonic()
        proc = start_make(root, "-j2", "all", env=env, log=log)
        sent = interrupt_when(proc, lambda: ready(root, t0), sig)
        rounds.append(dict(name=name, signal=sig.name, sent=sent, returncode=proc.returncode,
                           leftovers=leftovers(root)))
    final = make(root, "-j2", "all", env=env)
    return dict(root=root, rounds=rounds, final=final, log=log.read_text(encoding="utf-8", errors="replace"),
                reads=root.parent / "reads.jsonl")


def test_interrupted_builds_recover_with_make_all(interrupted_rebuild):
    """After Ctrl-C or SIGKILL during the fetch, a data step, a CSV write or the render, one `make all`
    finishes the build: nothing is left to do, no temporary file is left anywhere, `git status` is clean,
    and make never deleted a finished output."""
    root, rounds, final = interrupted_rebuild["root"], interrupted_rebuild["rounds"], interrupted_rebuild["final"]
    assert final.returncode == 0, final.stdout + final.stderr
    assert sum(r["sent"] for r in rounds) >= 3, f"too few interruptions landed: {rounds}"
    assert make(root, "-q", "all").returncode == 0
    assert leftovers(root) == []
    assert _git(root, "status", "--porcelain") == ""
    assert not re.search(r"Deleting file '(data|figures|paper)/", interrupted_rebuild["log"])


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
    result = subprocess.run(["make", "-q", "all", *ROOT_PYTHON], cwd=ROOT, capture_output=True, text=True,
                            env=clean_env())
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
    out = subprocess.run(["make", "help"], cwd=ROOT, capture_output=True, text=True, env=clean_env()).stdout
    for target in ("all", "test", "fetch", "bench", "clean", "help"):
        assert f"make {target} " in out


def test_outputs_are_byte_identical_when_rebuilt_from_scratch(interrupted_rebuild):
    """Building data/derived/, figures/ and the report again from scratch (in another folder, with
    interruptions) gives the same bytes as `make all` did here; the PDF's date comes from
    SOURCE_DATE_EPOCH, so the PDF is identical too."""
    scratch = interrupted_rebuild["root"]
    assert interrupted_rebuild["final"].returncode == 0
    for folder in ("data/derived", "figures"):
        rebuilt, original = _digest_tree(scratch / folder), _digest_tree(ROOT / folder)
        # the explorer's screenshots are written by tests/test_explorer.py, not by the build
        rebuilt, original = ({k: v for k, v in d.items() if not k.startswith("explorer")} for d in (rebuilt, original))
        assert rebuilt.keys() == original.keys()
        changed = sorted(k for k in rebuilt if rebuilt[k] != original[k])
        assert changed == [], f"bytes differ between two builds: {changed}"
    for name in ("paper/paper.pdf", "paper/paper.html"):
        assert (scratch / name).read_bytes() == (ROOT / name).read_bytes(), f"{name} differs between two builds"


def test_every_output_is_precious():
    """Every file the build writes is listed in .PRECIOUS, so an interrupted `make` never deletes
    an output that its (atomic) step had finished."""
    db = subprocess.run(["make", "-pq", "all", *ROOT_PYTHON], cwd=ROOT, capture_output=True, text=True,
                        env=clean_env()).stdout
    precious = set()
    for line in db.splitlines():
        if line.startswith(".PRECIOUS:"):
            precious.update(line.split(":", 1)[1].split())
    # (the explorer's screenshots are written by its tests, not by the build)
    outputs = [p for d in (paths.DERIVED, paths.FIGURES, paths.PAPER_GENERATED) for p in d.iterdir()
               if p.is_file() and not p.name.startswith(".") and not p.name.startswith("explorer.")
               and not p.name.startswith("explorer_360")]
    outputs += [paths.PAPER / "paper.pdf", paths.PAPER / "paper.html", paths.PAPER_VARIABLES]
    missing = sorted(str(p.relative_to(ROOT)) for p in outputs if str(p.relative_to(ROOT)) not in precious)
    assert missing == []


def test_each_step_opens_only_what_it_declares(interrupted_rebuild):
    """Traced on a real run from scratch: every project file a step opened is declared by its STEP
    (a read, a raw input, an output, its script or a library module it imports), and every step ran."""
    steps = pipeline.load_steps()  # the copy's scripts are these; its trace holds paths relative to its root
    by_name = {s.name: s for s in steps}
    opened: dict[str, set[str]] = {}
    for line in interrupted_rebuild["reads"].read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        opened.setdefault(record["step"], set()).update(record["opened"])
    assert sorted(opened) == sorted(by_name), "some steps never ran (or ran without the trace)"
    for name, files in opened.items():
        undeclared = pipeline.undeclared_reads(by_name[name], sorted(files), steps)
        assert undeclared == [], f"py/{name}.py opened {undeclared} but its STEP does not declare them"
