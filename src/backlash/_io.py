"""Atomic, deterministic writers used by the pipeline scripts in ``py/``.

Every output is written to a temporary file in its destination folder and
renamed into place only when complete, so a failing step never leaves a
half-written file or clobbers the previous good output.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:  # pandas is imported by the caller; fetching needs none of it
    import pandas as pd

#: Float format of every CSV the pipeline writes (fixed, so bytes are reproducible).
CSV_FLOAT_FORMAT = "%.10g"

#: Suffix of every temporary file a writer leaves beside its destination while it works.
TEMP_SUFFIX = ".tmp"


def _pid_alive(pid: int) -> bool:
    """Whether process ``pid`` still runs (a zombie, killed but not yet reaped, counts as gone)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's live process
        return True
    try:
        stat = Path(f"/proc/{pid}/stat").read_text(encoding="utf-8")
    except OSError:
        return True
    return stat.rsplit(")", 1)[-1].split()[0] != "Z"


def remove_stale_temporaries(dest: Path, suffix: str = TEMP_SUFFIX) -> list[Path]:
    """Delete temporary files of ``dest`` left by a process that no longer runs (e.g. one killed by SIGKILL).

    Temporaries are named ``.<name>.<pid>.<random><suffix>`` beside ``dest``; one whose
    process is still alive (a concurrent writer) is left alone.  Returns the deleted paths.
    """
    dest = Path(dest)
    removed = []
    for tmp in dest.parent.glob(f".{dest.name}.*{suffix}"):
        pid = tmp.name[len(dest.name) + 2:].split(".", 1)[0]
        if pid.isdigit() and not _pid_alive(int(pid)):
            tmp.unlink(missing_ok=True)
            removed.append(tmp)
    return removed


def temporary_beside(dest: Path, suffix: str = TEMP_SUFFIX) -> Path:
    """Create an empty temporary file beside ``dest`` (named after it and this process) and return its path."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(dest, suffix)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{dest.name}.{os.getpid()}.", suffix=suffix, dir=dest.parent)
    os.close(fd)
    return Path(tmp_name)


@contextmanager
def atomic_path(dest: Path) -> Iterator[Path]:
    """Yield a temporary path beside ``dest``; rename it onto ``dest`` on success.

    The temporary file is removed on any failure, Ctrl-C or SIGTERM (see
    :func:`terminate_as_interrupt`); one left by SIGKILL is removed by the next
    write of ``dest`` or by ``make clean``.
    """
    dest = Path(dest)
    tmp = None
    try:
        with signals_blocked():  # a signal stops the step once the name is known, so the file is removed
            tmp = temporary_beside(dest)
        yield tmp
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)


@contextmanager
def scratch_folder(prefix: str, dir: Path | None = None) -> Iterator[Path]:
    """Yield a new empty folder (in ``dir``, or the system's temporary folder); remove it when the block ends.

    Like :class:`tempfile.TemporaryDirectory`, but with no moment at which Ctrl-C or SIGTERM can leave the
    folder behind: the folder is created while the two signals are held back, and its name is known before
    they can arrive (``TemporaryDirectory`` raises the interrupt between creating the folder and arming
    its removal when the signal lands just after the folder appears).

    Parameters
    ----------
    prefix : str
        The start of the folder's name (e.g. ``".render-"``, which ``make clean`` and the next render
        recognise).
    dir : Path, optional
        Where to create it.

    Yields
    ------
    Path
        The folder.
    """
    folder = None
    try:
        with signals_blocked():
            folder = Path(tempfile.mkdtemp(prefix=prefix, dir=dir))
        yield folder
    finally:
        if folder is not None:
            shutil.rmtree(folder, ignore_errors=True)


#: The signals that stop a command or a step: Ctrl-C (a terminal sends it to the whole process
#: group) and SIGTERM (a CI time-out, ``kill``, or make and the runner passing it on).
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


def stopping(_signum: int, _frame=None) -> None:
    """The handler of Ctrl-C and SIGTERM in a process that is already stopping: do nothing.

    A handler rather than ``SIG_IGN``: a signal that arrives while the handler is being changed
    then runs this function instead of making Python print "Signal 15 ignored due to race
    condition".
    """


def stop_once(signum: int, _frame=None) -> None:
    """Stop the command: raise ``KeyboardInterrupt``, and ignore every later Ctrl-C or SIGTERM.

    The first signal starts the cleanup (temporary files removed, one line printed, exit status
    130); a second one, e.g. Ctrl-C to the process group followed by SIGTERM passed on by make,
    would otherwise interrupt that cleanup half-way.  SIGKILL still stops the process.
    """
    for sig in STOP_SIGNALS:
        if signal.getsignal(sig) is stop_once:
            signal.signal(sig, stopping)
    raise KeyboardInterrupt(f"stopped by signal {signum}")


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Hold Ctrl-C and SIGTERM back while the block runs; the first one that came is acted on when it ends.

    In the main thread the two signals' handlers are swapped for one that only notes the signal, and
    the block's end calls the handler it replaced (:func:`stop_once` for a handler that is not a Python
    function: SIGTERM is handled like Ctrl-C).  A signal mask alone is not enough: it holds a signal back
    from this thread only, and the kernel then hands it to another thread (NumPy's BLAS threads, a test
    runner's), whose note makes Python raise in the main thread all the same, in the middle of the block.
    (Where a parse calls back into Python from C, as pyreadr does, that exception would be printed and
    ignored and the parse cut short.)  A signal ignored before the block stays ignored.  In another
    thread, where handlers cannot be changed, the signals are masked for that thread.

    Yields
    ------
    None
        While the block runs.
    """
    if threading.current_thread() is not threading.main_thread():
        before = signal.pthread_sigmask(signal.SIG_BLOCK, set(STOP_SIGNALS))
        try:
            yield
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, before)
        return
    received: list[int] = []

    def note(signum: int, _frame=None) -> None:
        received.append(signum)

    previous = {}
    try:
        for sig in STOP_SIGNALS:
            if signal.getsignal(sig) is not signal.SIG_IGN:
                previous[sig] = signal.signal(sig, note)
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    if received:
        handler = previous[received[0]]
        (handler if callable(handler) else stop_once)(received[0], None)


def terminate_as_interrupt() -> None:
    """Handle SIGTERM (what a CI time-out or ``kill`` sends) like Ctrl-C, so cleanup code runs.

    Without this, SIGTERM ends Python at once and ``finally`` blocks that remove
    temporary files never run.  SIGTERM gets :func:`stop_once` (unless the process was started
    with it ignored); Ctrl-C keeps its handler (the runner gives its steps :func:`stop_once` for
    both).  Call it once, from the main thread of a command.
    """
    if signal.getsignal(signal.SIGTERM) not in (signal.SIG_IGN, stopping):  # (stopping: already stopping)
        signal.signal(signal.SIGTERM, stop_once)


def write_csv(df: pd.DataFrame, dest: Path) -> Path:
    """Write ``df`` without index, fixed float format and ``\\n`` line ends, atomically."""
    with atomic_path(dest) as tmp:
        df.to_csv(tmp, index=False, float_format=CSV_FLOAT_FORMAT, lineterminator="\n", encoding="utf-8")
    return Path(dest)


def write_json(obj, dest: Path) -> Path:
    """Write ``obj`` as sorted, indented JSON, atomically."""
    with atomic_path(dest) as tmp:
        tmp.write_text(json.dumps(obj, indent=2, sort_keys=True, allow_nan=False) + "\n", encoding="utf-8")
    return Path(dest)


def write_text(text: str, dest: Path) -> Path:
    """Write ``text`` as UTF-8 with ``\\n`` line ends, atomically."""
    with atomic_path(dest) as tmp:
        tmp.write_text(text, encoding="utf-8", newline="\n")
    return Path(dest)


def say(line: str, stream=None) -> None:
    """Write ``line`` and its newline in one call (default: to stdout) and flush it.

    ``print`` writes the newline separately, so a signal between the two writes would leave the
    line unended and glue the next process's line to it.
    """
    stream = sys.stdout if stream is None else stream
    stream.write(line + "\n")
    stream.flush()


def relative(path: Path) -> str:
    """``path`` relative to the project root when possible (for log lines)."""
    from .paths import ROOT

    try:
        return str(Path(path).resolve().relative_to(ROOT))
    except ValueError:
        return str(path)


def os_error_message(exc: OSError) -> str:
    """One paragraph for an ``OSError``: what failed, on which file, and the fix."""
    import errno

    where = f" ({exc.filename})" if getattr(exc, "filename", None) else ""
    what = f"{exc.strerror or exc}{where}"
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "free disk space, then run `make all` again"
    elif exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "give your user read and write access to that path (or build in a writable copy), then run `make all` again"
    else:
        fix = "correct the problem with that path, then run `make all` again"
    return f"{what}.\n  Fix: {fix}; earlier outputs are unchanged."


class ReportedError(RuntimeError):
    """A failure the project explains itself (a raw file that fails its checksum or cannot be
    fetched): a pipeline step prints its message without a traceback."""


@contextmanager
def step(*outputs: Path) -> Iterator[None]:
    """Time a pipeline step and print one line naming what it built.

    On a failure the project reports (bad input: ``ValueError``, a missing file,
    a raw file that fails its checksum or cannot be fetched), print the message
    without a traceback and exit with status 1; on Ctrl-C or SIGTERM, say so and
    exit with status 130.  Any other exception is a programming error and keeps
    its traceback.  Either way the outputs are left as they were, because every
    writer is atomic.
    """

    terminate_as_interrupt()
    t0 = time.perf_counter()
    names = ", ".join(relative(p) for p in outputs)
    try:
        yield
    except (ValueError, FileNotFoundError, ReportedError) as exc:
        say(f"FAILED to build {names}:\n{exc}", sys.stderr)
        raise SystemExit(1) from None
    except KeyboardInterrupt:
        say(f"interrupted while building {names}; earlier outputs are unchanged", sys.stderr)
        raise SystemExit(130) from None
    except OSError as exc:  # disk full, permission denied, read-only folder
        say(f"FAILED to build {names}: {os_error_message(exc)}", sys.stderr)
        raise SystemExit(1) from None
    dt = time.perf_counter() - t0
    say(f"built {names} ({dt:.2f} s)")
