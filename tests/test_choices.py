"""The analysis choices (`make all WITHDRAWAL_RULE=strict`): checked before any work, recorded in one
file (.make/choices.toml) only by a run that builds and only when they change, never by `make -n`,
`make -q`, `make help` or `make clean`, safe against values crafted to run shell commands, and read
through one accessor (backlash.choices.load) by every step, also when a script runs alone."""

from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest
from _scratch import ROOT, ROOT_PYTHON, make, minimal_copy

from backlash import choices, democracy, paths, withdrawal
from backlash.choices import problem

RECORD = Path(".make/choices.toml")


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
    """The recorded withdrawal rule."""
    path = root / RECORD
    return choices.load(path).withdrawal_rule if path.exists() else None


def _write_record(root: Path, rule: str) -> None:
    (root / RECORD).parent.mkdir(exist_ok=True)
    (root / RECORD).write_text(choices.dumps({"withdrawal_rule": rule, "democracy": "polity",
                                              "democracy_threshold": ""}), encoding="utf-8")


def test_the_check_reads_the_declarations_without_importing_them():
    """The check before any work (standard library only) reads the same rule names, measures, ranges and
    defaults as backlash.withdrawal and backlash.democracy define, and the record's path is paths.CHOICES."""
    assert choices.rule_names() == list(withdrawal.RULES)
    assert choices.measure_domains() == {k: (m.name, m.column, tuple(m.domain)) for k, m in democracy.MEASURES.items()}
    assert [c.default() for c in choices.CHOICES] == [withdrawal.DEFAULT_RULE, democracy.DEFAULT_MEASURE, ""]
    assert problem("WITHDRAWAL_RULE", "strict") is None
    assert "choose one of" in problem("WITHDRAWAL_RULE", "strickt")
    assert (ROOT / "Makefile").read_text(encoding="utf-8").count(f"CHOICES := {RECORD}") == 1
    assert paths.CHOICES == ROOT / RECORD


def test_a_cut_off_outside_the_measures_range_is_refused_before_any_work():
    """The cut-off is checked against the range of the measure it will apply to (the recorded one or the
    one given with it), with the message the step itself would give."""
    assert problem("DEMOCRACY_THRESHOLD", "6", {"democracy": "lied"}) is None
    bad = problem("DEMOCRACY_THRESHOLD", "7", {"democracy": "lied"})
    with pytest.raises(ValueError) as step_error:
        democracy.check_threshold(democracy.MEASURES["lied"], 7)
    assert bad == str(step_error.value) and "LIED's lexical_index (0 to 6)" in bad
    assert "not a finite number" in problem("DEMOCRACY_THRESHOLD", "seven")


def test_the_accessor_refuses_a_missing_or_broken_record(tmp_path):
    """No silent default: a missing record, a record that is not TOML or that lacks a choice, and a cut-off
    that is not a number each raise ChoicesError saying how to write the record; a good record reads back."""
    with pytest.raises(choices.ChoicesError, match="no analysis choices are recorded.*make all"):
        choices.load(tmp_path / "none.toml")
    for text in ("withdrawal_rule = ", 'withdrawal_rule = "strict"\n',
                 'withdrawal_rule = "strict"\ndemocracy = "vdem"\ndemocracy_threshold = "high"\n'):
        (tmp_path / "c.toml").write_text(text, encoding="utf-8")
        with pytest.raises(choices.ChoicesError, match="make all"):
            choices.load(tmp_path / "c.toml")
    (tmp_path / "c.toml").write_text(choices.dumps({"withdrawal_rule": "strict", "democracy": "vdem",
                                                    "democracy_threshold": "0.55"}), encoding="utf-8")
    assert choices.load(tmp_path / "c.toml") == choices.Choices("strict", "vdem", 0.55)


@pytest.mark.scratch
def test_dry_runs_help_and_clean_never_record_a_choice(scratch):
    """`make -n`, `make -q`, `make help` and `make clean` leave the record alone; a dry run with a new
    value says what it would record and shows the steps that read the choices as out of date."""
    _write_record(scratch, "no_imputed")
    for args in (["-n", "all"], ["-q", "all"], ["help"], ["clean"], ["-n", "clean", "all"]):
        make(scratch, *args, "WITHDRAWAL_RULE=strict")
        assert _record(scratch) == "no_imputed", args
    assert "WITHDRAWAL_RULE" not in make(scratch, "-n", "all").stderr
    dry = make(scratch, "-n", "all", "WITHDRAWAL_RULE=strict").stdout
    assert "would record WITHDRAWAL_RULE=strict in .make/choices.toml (was 'no_imputed')" in dry
    assert re.search(r"backlash.choices make .*'WITHDRAWAL_RULE=strict'", dry)
    assert "backlash.pipeline run panels" in dry


def test_a_dry_run_with_a_new_choice_reports_the_build_out_of_date():
    """In the built project, `make -q all` with the recorded rule is up to date; with another rule it
    is not (exit 1), although nothing is recorded."""
    recorded = _record(ROOT)
    other = next(r for r in choices.rule_names() if r != recorded)
    assert make(ROOT, "-q", "all", f"WITHDRAWAL_RULE={recorded}", *ROOT_PYTHON, python=None).returncode == 0
    assert make(ROOT, "-q", "all", f"WITHDRAWAL_RULE={other}", *ROOT_PYTHON, python=None).returncode == 1
    assert _record(ROOT) == recorded


@pytest.mark.scratch
def test_a_building_run_records_a_change_once_and_later_runs_reuse_it(scratch, python_with_space):
    """`make env WITHDRAWAL_RULE=strict` (a run that builds) records `strict`; running it again does not
    rewrite the record; a later run without the setting uses `strict` (the choice is remembered), and so
    does a later change of another choice; `make clean` keeps it and `make -n all` still works afterwards.
    The interpreter's path has a space."""
    res = make(scratch, "env", "WITHDRAWAL_RULE=strict", python=python_with_space)
    assert res.returncode == 0, res.stderr
    assert _record(scratch) == "strict"
    mtime = (scratch / RECORD).stat().st_mtime_ns
    time.sleep(0.01)
    assert make(scratch, "env", "WITHDRAWAL_RULE=strict", python=python_with_space).returncode == 0
    assert make(scratch, "env", python=python_with_space).returncode == 0
    assert (scratch / RECORD).stat().st_mtime_ns == mtime
    assert make(scratch, "env", "DEMOCRACY=lied", "DEMOCRACY_THRESHOLD=6", python=python_with_space).returncode == 0
    assert choices.load(scratch / RECORD) == choices.Choices("strict", "lied", 6.0)
    assert make(scratch, "-n", "all").returncode == 0
    assert make(scratch, "clean").returncode == 0 and _record(scratch) == "strict"
    assert make(scratch, "-n", "all").returncode == 0


@pytest.mark.scratch
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
        assert "WITHDRAWAL_RULE" in res.stderr and "choose one of" in res.stderr and "strict" in res.stderr, res.stderr
        assert not (scratch / "PWNED").exists() and not list(scratch.rglob("PWNED"))
        assert not (scratch / ".venv").exists()
        assert _record(scratch) == before


@pytest.mark.scratch
def test_a_checkout_where_the_choice_cannot_be_written_says_so(tmp_path):
    """Where .make cannot be written (here: a file stands in its place, as root ignores
    permissions), a new choice is an error that says it cannot be recorded, not a silent no-op."""
    root = minimal_copy(tmp_path / "ro")
    (root / ".make").write_text("", encoding="utf-8")
    res = make(root, "all", "WITHDRAWAL_RULE=strict")
    assert res.returncode != 0
    assert "cannot record WITHDRAWAL_RULE=strict" in res.stderr


@pytest.mark.scratch
@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_a_read_only_checkout_says_it_cannot_record(tmp_path):  # pragma: no cover - non-root only
    root = minimal_copy(tmp_path / "ro")
    (root / ".make").mkdir()
    os.chmod(root / ".make", 0o555)
    res = make(root, "all", "WITHDRAWAL_RULE=strict")
    assert res.returncode != 0 and "read-only" in res.stderr
