"""The build: one command, nothing rebuilt twice, a changed raw byte stops it cold. (That any interruption
is repaired by the next `make all`, and that a build elsewhere gives the same bytes, is tested on the one
scratch rebuild, in tests/test_extension.py.)"""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from _scratch import ROOT, ROOT_PYTHON, clean_env, copy_project, make, minimal_copy, start_make

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


@pytest.mark.scratch
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


def test_a_scratch_build_in_an_unmarked_test_is_refused(tmp_path):
    """A test that copies the project, or runs make in a copy, without the `scratch` mark is stopped before it
    starts, with the mark to add: `make test` leaves the scratch builds out, and none slips in unnoticed."""
    for build in (lambda: copy_project(tmp_path / "copy"), lambda: minimal_copy(tmp_path / "minimal"),
                  lambda: make(tmp_path, "-n", "all"), lambda: start_make(tmp_path, "-n", "all")):
        with pytest.raises(RuntimeError, match=r"must be marked @pytest\.mark\.scratch.*make test-scratch"):
            build()
    assert list(tmp_path.iterdir()) == []


def test_an_unmarked_test_cannot_use_a_copy_that_a_marked_test_built(tmp_path):
    """A copy shared by a module's tests is built by whichever test needs it first: an unmarked test that uses one
    is refused whether it runs first (`make test`: the marked one is left out) or after a marked test built the
    copy (`make check`), so the refusal does not depend on the order of the tests."""
    import sys
    import textwrap

    (tmp_path / "test_order.py").write_text(textwrap.dedent("""
        import pytest
        from _scratch import minimal_copy

        @pytest.fixture(scope="module")
        def shared(tmp_path_factory):
            return minimal_copy(tmp_path_factory.mktemp("shared") / "copy")

        @pytest.mark.scratch
        def test_marked(shared):
            assert (shared / "Makefile").is_file()

        def test_unmarked(shared):
            assert (shared / "Makefile").is_file()
        """), encoding="utf-8")
    env = {**clean_env(), "PYTHONPATH": os.pathsep.join([str(ROOT / "tests"), str(ROOT / "src")])}
    for select, outcome in (([], "1 failed, 1 passed"), (["-m", "not scratch"], "1 deselected, 1 error")):
        run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "--disable-plugin-autoload",
                              "-p", "_hypothesis_pytestplugin", "-p", "conftest", "--rootdir", str(tmp_path),
                              "-o", "markers=scratch: builds in a copy of the project",
                              "test_order.py", *select], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert run.returncode == 1 and outcome in run.stdout, run.stdout[-2000:]
        assert "must be marked @pytest.mark.scratch" in run.stdout


@pytest.mark.scratch
def test_the_source_state_is_an_input_recorded_only_when_it_changes(tmp_path):
    """The report names the git commit it was built from; make records it in .make/source-state, which the
    report's step declares. Outside git, and in a folder inside another repository (whose commit is not this
    source's), it says the source is not a git checkout; in the project's own repository it is the commit,
    marked "with uncommitted changes" once a tracked file differs; BACKLASH_SOURCE_COMMIT (a build from an
    archive) overrides it, taken as written (`$` included), and a value on two lines is refused. The file is
    rewritten only when the state changes, never by a dry run (which shows it out of date instead), and a
    state that cannot be written stops make rather than leave the old one. (Before, the report's step read
    git without declaring it, so a build followed by a commit kept naming the old state.)"""
    import subprocess as sp

    from _scratch import minimal_copy

    outer = tmp_path / "outer"
    outer.mkdir()
    _git(outer, "init", "-q")
    (outer / "a.txt").write_text("another project\n", encoding="utf-8")
    _git(outer, "add", "a.txt")
    _git(outer, "commit", "-q", "-m", "another project")
    root = minimal_copy(outer / "copy")
    shutil.copy2(ROOT / ".gitignore", root / ".gitignore")
    state = root / ".make/source-state"

    def record(*args: str, **env: str) -> str:
        res = make(root, *args, ".make/source-state", python=None, env=clean_env(**env))
        assert res.returncode == 0, res.stderr
        return state.read_text(encoding="utf-8").strip()

    inside = "unknown (not a git checkout: the folder lies inside another repository)"
    assert record() == inside
    mtime = state.stat().st_mtime_ns
    assert record() == inside and state.stat().st_mtime_ns == mtime
    archive = "deposit doi:10.5281/zenodo.1, $5 $(shell touch PWNED) 'quoted'"
    assert record(BACKLASH_SOURCE_COMMIT=archive) == archive and not list(tmp_path.rglob("PWNED"))
    mtime = state.stat().st_mtime_ns
    assert record(BACKLASH_SOURCE_COMMIT=archive) == archive and state.stat().st_mtime_ns == mtime
    two_lines = make(root, ".make/source-state", python=None, env=clean_env(BACKLASH_SOURCE_COMMIT="doi:1\nx"))
    assert two_lines.returncode != 0 and "BACKLASH_SOURCE_COMMIT holds a line break" in two_lines.stderr
    _git(root, "init", "-q")
    assert record() == "unknown (a repository without a commit)"
    _git(root, "add", "-A")
    _git(root, "commit", "-q", "-m", "the copy")
    head = _git(root, "rev-parse", "--short=12", "HEAD").strip()
    assert record() == head
    with open(root / "README.md", "a", encoding="utf-8") as fh:
        fh.write("\nan edit not yet committed\n")
    dry = make(root, "-n", ".make/source-state", python=None)
    assert f"{head} with uncommitted changes" in dry.stdout and state.read_text(encoding="utf-8").strip() == head
    assert make(root, "-q", ".make/source-state", python=None).returncode == 1
    assert record() == f"{head} with uncommitted changes"
    # the report's variables are the one step that reads it
    readers = [s.name for s in pipeline.load_steps() if paths.SOURCE_STATE in s.reads]
    assert readers == ["paper_inputs"]
    # a .make that cannot be written (read-only; for root, which ignores permissions, immutable) stops make
    _git(root, "commit", "-q", "-am", "the edit")
    lock, unlock = ((["chattr", "+i"], ["chattr", "-i"]) if os.geteuid() == 0 else
                    (["chmod", "555"], ["chmod", "755"]))
    if sp.run([*lock, str(root / ".make")], capture_output=True).returncode != 0:
        pytest.skip("chattr +i is not available here, so root cannot be kept from writing .make")
    try:
        res = make(root, ".make/source-state", python=None)
    finally:
        sp.run([*unlock, str(root / ".make")], check=True)
    assert res.returncode != 0 and "cannot record the source's state in .make/source-state" in res.stderr, res.stderr
    assert state.read_text(encoding="utf-8").strip() == f"{head} with uncommitted changes"
