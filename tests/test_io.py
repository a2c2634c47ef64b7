"""The atomic writers: UTF-8 whatever the locale, cleanup after interruptions, messages on disk errors."""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time

import pytest

from backlash import paths
from backlash._io import remove_stale_temporaries, scratch_folder, step, stop_once, write_text


@pytest.fixture(autouse=True)
def _signal_handlers_restored():
    """Each test starts with the handlers of Ctrl-C and SIGTERM this process had, and leaves them so: a step
    installs :func:`stop_once`, which hands over to ``stopping`` once it has fired."""
    before = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    yield
    for s, handler in before.items():
        signal.signal(s, handler)


def test_text_is_written_as_utf8_under_an_ascii_locale(tmp_path):
    """With a locale whose encoding cannot hold U+2212 (the C locale, UTF-8 mode off), the writers
    still write UTF-8: no 'codec can't encode' error."""
    dest = tmp_path / "out.md"
    code = f"from backlash._io import write_text; write_text('\\u2212 1.5 \\u03b3', {str(dest)!r})"
    env = {**os.environ, "LC_ALL": "C", "LANG": "C", "PYTHONUTF8": "0", "PYTHONCOERCECLOCALE": "0",
           "PYTHONPATH": str(paths.ROOT / "src")}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert res.returncode == 0, res.stderr
    assert dest.read_bytes() == "\u2212 1.5 \u03b3".encode()


def test_stale_temporaries_are_removed_and_live_ones_kept(tmp_path):
    """A temporary file of a dead process (killed by SIGKILL) is removed; one of a live process is not."""
    dead = tmp_path / ".x.csv.999999999.ab.tmp"
    live = tmp_path / f".x.csv.{os.getpid()}.cd.tmp"
    other = tmp_path / ".y.csv.999999999.ef.tmp"
    for p in (dead, live, other):
        p.write_text("partial", encoding="utf-8")
    assert remove_stale_temporaries(tmp_path / "x.csv") == [dead]
    write_text("done\n", tmp_path / "x.csv")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, other.name, "x.csv"])


@pytest.mark.parametrize("exc, fragment", [
    (OSError(errno.ENOSPC, "No space left on device", "data/derived/x.csv"), "free disk space"),
    (PermissionError(errno.EACCES, "Permission denied", "data/derived/x.csv"), "read and write access"),
])
def test_a_disk_error_in_a_step_is_one_message_with_the_fix(capsys, exc, fragment):
    """A full disk or a permission error inside a step: exit 1, the file and the fix named, no traceback."""
    with pytest.raises(SystemExit) as stop:
        with step(paths.DERIVED / "x.csv"):
            raise exc
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "data/derived/x.csv" in err and fragment in err and "earlier outputs are unchanged" in err


def test_an_interrupted_step_exits_130_with_one_line(capsys):
    """Ctrl-C (or SIGTERM, turned into the same exception) inside a step: exit 130, one line, no traceback."""
    with pytest.raises(SystemExit) as stop:
        with step(paths.DERIVED / "x.csv"):
            raise KeyboardInterrupt
    assert stop.value.code == 130
    assert "interrupted while building data/derived/x.csv" in capsys.readouterr().err


def test_a_killed_but_unreaped_writer_counts_as_gone(tmp_path):
    """A temporary of a process that was killed but not yet reaped (a zombie) is removed too."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    while True:  # wait until it has exited, without reaping it
        try:
            state = open(f"/proc/{proc.pid}/stat", encoding="utf-8").read().rsplit(")", 1)[-1].split()[0]
        except FileNotFoundError:  # pragma: no cover - no /proc
            pytest.skip("no /proc")
        if state == "Z":
            break
        time.sleep(0.005)
    stale = tmp_path / f".x.csv.{proc.pid}.ab.tmp"
    stale.write_text("partial", encoding="utf-8")
    assert remove_stale_temporaries(tmp_path / "x.csv") == [stale]
    proc.wait()


@pytest.mark.parametrize("other_thread", [False, True], ids=["one thread", "another thread running"])
def test_ctrl_c_during_an_r_parse_waits_for_the_whole_parse(other_thread):
    """pyreadr ignores an exception raised in its C callbacks, so a Ctrl-C (or SIGTERM) in the middle of
    parsing an R file would return a truncated table as if complete. The readers hold such a signal
    until the parse has finished, then stop with KeyboardInterrupt; also when another thread is running
    (as NumPy's BLAS threads are), which the kernel hands a signal to when this thread masks it."""
    from backlash._io import signals_blocked

    done = threading.Event()
    waiter = threading.Thread(target=done.wait, daemon=True)
    if other_thread:
        waiter.start()
    finished = []
    try:
        for sig in (signal.SIGINT, signal.SIGTERM):
            with pytest.raises(KeyboardInterrupt):
                with signals_blocked():
                    os.kill(os.getpid(), sig)
                    time.sleep(0.05)  # the signal arrives here, and must not interrupt the block
                    finished.append(sig)
    finally:
        done.set()
    assert finished == [signal.SIGINT, signal.SIGTERM]
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "Ctrl-C"])
def test_a_signal_just_after_a_scratch_folder_appears_leaves_nothing(tmp_path, monkeypatch, sig):
    """A stop signal that lands the moment the scratch folder exists (before the caller holds its name: where
    the render test's SIGTERM lands when it fires as soon as `.render-*` appears) still removes the folder.
    With ``tempfile.TemporaryDirectory`` the interrupt escaped from its constructor and the folder stayed;
    with a signal mask alone, the signal went to another thread (here pytest-xdist's) and did the same."""
    real_mkdtemp = tempfile.mkdtemp

    def mkdtemp_then_signal(*args, **kwargs):
        name = real_mkdtemp(*args, **kwargs)
        os.kill(os.getpid(), sig)  # delivered now unless held back
        return name

    monkeypatch.setattr(tempfile, "mkdtemp", mkdtemp_then_signal)
    for s in (signal.SIGINT, signal.SIGTERM):
        signal.signal(s, stop_once)
    with pytest.raises(KeyboardInterrupt):
        with scratch_folder(".render-", tmp_path):
            time.sleep(1)  # not reached: the held signal arrives as the folder is handed over
    assert list(tmp_path.iterdir()) == []
