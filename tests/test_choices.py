"""Remembered build choices (`make all WITHDRAWAL_RULE=strict`): checked before any work,
recorded only by a run that builds and only when they change, never by `make -n`, `make -q`,
`make help` or `make clean`, and safe against values crafted to run shell commands."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest
from _scratch import ROOT, ROOT_PYTHON, make, minimal_copy

from backlash import withdrawal
from backlash.choices import problem, withdrawal_rules

RECORD = Path(".make/withdrawal_rule")


@pytest.fixture(scope="module")
def scratch(tmp_path_factory) -> Path:
    """A minimal copy of the project (Makefile and sources, no data) in a folder whose name has a space."""
    dest = minimal_copy(tmp_path_factory.mktemp("choices") / "copy with space", ("src", "py", "data", "paper"))
    (dest / "data/derived").mkdir()
    return dest


@pytest.fixture
def python_with_space(tmp_path) -> str:
    """This interpreter behind a path that contains a space (a wrapper script, so the venv still applies)."""
    folder = tmp_path / "python dir"
    folder.mkdir()
    wrapper = folder / "python 3"
    wrapper.write_text(f'#!/bin/sh\nexec "{sys.executable}" "$@"\n', encoding="utf-8")
    wrapper.chmod(0o755)
    return str(wrapper)


def _record(root: Path) -> str | None:
    path = root / RECORD
    return path.read_text(encoding="utf-8").strip() if path.exists() else None


def test_rule_names_are_read_without_importing_pandas():
    """The fast check reads the same rule names as backlash.withdrawal.RULES."""
    assert withdrawal_rules() == list(withdrawal.RULES)
    assert problem("WITHDRAWAL_RULE", "strict") is None
    assert "choose one of" in problem("WITHDRAWAL_RULE", "strickt")


def test_dry_runs_help_and_clean_never_record_a_choice(scratch):
    """`make -n`, `make -q`, `make help` and `make clean` leave the record alone."""
    (scratch / ".make").mkdir(exist_ok=True)
    (scratch / RECORD).write_text("no_imputed\n", encoding="utf-8")
    for args in (["-n", "all"], ["-q", "all"], ["help"], ["clean"], ["-n", "clean", "all"]):
        make(scratch, *args, "WITHDRAWAL_RULE=strict")
        assert _record(scratch) == "no_imputed", args
    assert "WITHDRAWAL_RULE" not in make(scratch, "-n", "all").stderr
    assert re.search(r"backlash.pipeline run panels .*WITHDRAWAL_RULE='strict'",
                     make(scratch, "-n", "all", "WITHDRAWAL_RULE=strict").stdout)


def test_a_dry_run_with_a_new_choice_reports_the_build_out_of_date():
    """In the built project, `make -q all` with the recorded rule is up to date; with another rule it
    is not (exit 1), although nothing is recorded."""
    recorded = _record(ROOT)
    other = next(r for r in withdrawal_rules() if r != recorded)
    assert make(ROOT, "-q", "all", f"WITHDRAWAL_RULE={recorded}", *ROOT_PYTHON, python=None).returncode == 0
    assert make(ROOT, "-q", "all", f"WITHDRAWAL_RULE={other}", *ROOT_PYTHON, python=None).returncode == 1
    assert _record(ROOT) == recorded


def test_a_building_run_records_a_change_once_and_later_runs_reuse_it(scratch, python_with_space):
    """`make env WITHDRAWAL_RULE=strict` (a run that builds) records `strict`; running it again does not
    rewrite the record; a later run without the setting uses `strict` (the choice is remembered);
    `make clean` keeps it and `make -n all` still works afterwards. The interpreter's path has a space."""
    res = make(scratch, "env", "WITHDRAWAL_RULE=strict", python=python_with_space)
    assert res.returncode == 0, res.stderr
    assert _record(scratch) == "strict"
    mtime = (scratch / RECORD).stat().st_mtime_ns
    time.sleep(0.01)
    assert make(scratch, "env", "WITHDRAWAL_RULE=strict", python=python_with_space).returncode == 0
    assert make(scratch, "env", python=python_with_space).returncode == 0
    assert (scratch / RECORD).stat().st_mtime_ns == mtime
    dry = make(scratch, "-n", "all")
    assert re.search(r"backlash.pipeline run panels .*WITHDRAWAL_RULE='strict'", dry.stdout)
    assert make(scratch, "clean").returncode == 0 and _record(scratch) == "strict"
    assert make(scratch, "-n", "all").returncode == 0


@pytest.mark.parametrize("value", ["strickt", "default strict", "'; touch PWNED #", "$(shell touch PWNED)",
                                   "`touch PWNED`"])
def test_an_invalid_or_crafted_choice_stops_make_at_once(scratch, value):
    """An unknown rule, or one crafted to run a command, is refused before any work (well under a
    second, nothing created, the record unchanged), with a message listing the rules; even `make -n`."""
    before = _record(scratch)
    for args in (["all"], ["-n", "all"]):
        t0 = time.monotonic()
        res = make(scratch, *args, f"WITHDRAWAL_RULE={value}")
        assert time.monotonic() - t0 < 5
        assert res.returncode != 0
        assert "WITHDRAWAL_RULE" in res.stderr and "choose one of" in res.stderr and "strict" in res.stderr
        assert not (scratch / "PWNED").exists() and not list(scratch.rglob("PWNED"))
        assert not (scratch / ".venv").exists()
        assert _record(scratch) == before


def test_a_checkout_where_the_choice_cannot_be_written_says_so(tmp_path):
    """Where .make cannot be written (here: a file stands in its place, as root ignores
    permissions), a new choice is an error that says it cannot be recorded, not a silent no-op."""
    root = minimal_copy(tmp_path / "ro")
    (root / ".make").write_text("", encoding="utf-8")
    res = make(root, "all", "WITHDRAWAL_RULE=strict")
    assert res.returncode != 0
    assert "cannot record WITHDRAWAL_RULE=strict" in res.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_checkout_says_it_cannot_record(tmp_path):  # pragma: no cover - non-root only
    root = minimal_copy(tmp_path / "ro")
    (root / ".make").mkdir()
    os.chmod(root / ".make", 0o555)
    res = make(root, "all", "WITHDRAWAL_RULE=strict")
    assert res.returncode != 0 and "read-only" in res.stderr
