"""Raw inputs: the pinned manifest, fetching, and sha256 verification.

The manifest (``data/sources.toml``) lists every raw file with its sha256 and
its pinned public URL.  :func:`fetch_all` obtains each *missing* file, trying
the local mirror before the network, and verifies every byte before the file
is moved into place.  A file that is already present but does not match its
checksum is never replaced silently: it is an error, because a raw input that
changed after it was fetched is exactly what a replication must not ignore.

All writes go to a temporary file in the target folder that is renamed only
after its checksum has been verified, so an interrupted or corrupted fetch
leaves nothing half-written behind (a ``.part`` file left by SIGKILL is removed
by the next fetch of that file).  Every manifest path must stay inside
``data/raw``; a download stops at the size the manifest pins (or
:data:`DEFAULT_MAX_BYTES`) and at an overall deadline.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import time
import tomllib
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ._io import ReportedError, os_error_message, remove_stale_temporaries, temporary_beside

_CHUNK = 1 << 20
#: Largest download accepted for a source whose manifest entry gives no ``size``.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024
#: Overall time allowed for one download, in seconds (on top of the per-read ``timeout``).
DEFAULT_DEADLINE = 600.0


class ChecksumError(ReportedError):
    """A raw file's sha256 differs from the one pinned in the manifest."""


class FetchError(ReportedError):
    """A raw file could be obtained from none of its sources."""


@dataclass(frozen=True)
class Source:
    """One raw input as pinned in ``data/sources.toml``.

    Attributes
    ----------
    path : str
        Where the file lies under ``data/raw``.
    sha256 : str
        Its pinned checksum.
    url : str
        The pinned public copy.
    description, licence, citation, homepage : str
        What it is, its terms, how to cite it and its official source.
    size : int or None
        Its size in bytes (a download stops beyond it).
    """

    path: str
    sha256: str
    url: str
    description: str = ""
    licence: str = ""
    citation: str = ""
    homepage: str = ""
    size: int | None = None


def _check_relative(manifest: Path, path: str) -> None:
    """A manifest path must name a file strictly inside ``data/raw`` (relative, no ``..``)."""
    pure = PurePosixPath(path)
    if pure.is_absolute() or "\\" in path or any(part in ("..", "") for part in path.split("/")) \
            or pure.name in (".", ""):
        raise ValueError(f"manifest {manifest}: path {path!r} must be a relative path inside data/raw "
                         "(no leading '/', no '..', no empty part); fix that entry")


def load_manifest(manifest: Path) -> list[Source]:
    """Read and validate the manifest of raw inputs.

    Parameters
    ----------
    manifest : Path
        ``data/sources.toml``.

    Returns
    -------
    list of Source

    Raises
    ------
    ValueError
        If an entry lacks a field, has a malformed sha256, or repeats a path.
    """
    try:
        with open(manifest, "rb") as fh:
            doc = tomllib.load(fh)
    except FileNotFoundError:
        raise FileNotFoundError(f"manifest {manifest} not found: the checkout is incomplete") from None
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"manifest {manifest} is not valid TOML: {exc}") from None
    entries = doc.get("source", [])
    if not entries:
        raise ValueError(f"manifest {manifest} lists no [[source]] entries")
    sources: list[Source] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries, start=1):
        missing = [k for k in ("path", "sha256", "url") if not entry.get(k)]
        if missing:
            raise ValueError(f"manifest {manifest}: source #{i} lacks {', '.join(missing)}")
        sha = entry["sha256"].lower()
        if len(sha) != 64 or any(c not in "0123456789abcdef" for c in sha):
            raise ValueError(f"manifest {manifest}: source {entry['path']!r} has a malformed sha256 {entry['sha256']!r}")
        _check_relative(manifest, entry["path"])
        size = entry.get("size")
        if size is not None and (not isinstance(size, int) or isinstance(size, bool) or size <= 0):
            raise ValueError(f"manifest {manifest}: source {entry['path']!r} has size {size!r}; "
                             "it must be the file's length in bytes, a positive integer")
        if entry["path"] in seen:
            raise ValueError(f"manifest {manifest}: path {entry['path']!r} is listed twice")
        seen.add(entry["path"])
        known = {f for f in Source.__dataclass_fields__}
        sources.append(Source(**{k: v for k, v in entry.items() if k in known} | {"sha256": sha}))
    return sources


def sha256_of(path: Path) -> str:
    """Return the hex sha256 of the file at ``path``.

    Parameters
    ----------
    path : Path

    Returns
    -------
    str
        The hex digest.
    """
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(_CHUNK):
            h.update(chunk)
    return h.hexdigest()


def _mismatch_message(path: Path, expected: str, actual: str, what: str, fix: str | None = None) -> str:
    fix = fix or ("delete the file and run `backlash fetch` (or `make all`) to fetch a verified copy;\n"
                  "  if the new version is intended, update its sha256 in data/sources.toml.")
    return (
        f"checksum mismatch for {path} ({what})\n"
        f"  expected sha256 {expected}\n"
        f"  actual   sha256 {actual}\n"
        "  The file differs from the pinned version, so nothing was built from it.\n"
        f"  Fix: {fix}"
    )


def verify(path: Path, expected_sha256: str) -> Path:
    """Check that ``path`` exists and has the pinned sha256; return the path.

    Parameters
    ----------
    path : Path
    expected_sha256 : str

    Returns
    -------
    Path
        ``path``, once verified.

    Raises
    ------
    FileNotFoundError
        If the file is missing (with the command that fetches it).
    ChecksumError
        If its sha256 differs, naming the expected and actual values.
    """
    path = Path(path)
    if path.exists() and not path.is_file():
        raise FetchError(f"raw input {path} is not a regular file (a folder or a device stands in its place).\n"
                         f"  Fix: remove it (`rm -r '{path}'`) and run `make all` to fetch a verified copy.")
    if not path.is_file():
        raise FileNotFoundError(f"raw input {path} is missing; run `backlash fetch` (or `make all`) to obtain it")
    try:
        actual = sha256_of(path)
    except OSError as exc:
        raise FetchError(f"raw input {path} cannot be read: {os_error_message(exc)}") from None
    if actual != expected_sha256:
        raise ChecksumError(_mismatch_message(path, expected_sha256, actual, "raw input"))
    return path


def _install_verified(write, dest: Path, expected: str, origin: str, fix: str | None = None) -> None:
    """Write via ``write(fh)`` into a temp file beside ``dest``, verify, then rename."""
    tmp = temporary_beside(dest, suffix=".part")
    try:
        with open(tmp, "wb") as fh:
            write(fh)
        actual = sha256_of(tmp)
        if actual != expected:
            raise ChecksumError(_mismatch_message(dest, expected, actual, f"copy obtained from {origin}", fix))
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    finally:
        tmp.unlink(missing_ok=True)


def _from_mirror(src: Source, mirror: Path, dest: Path) -> bool:
    candidate = mirror / src.path
    if not candidate.is_file():
        return False

    def write(fh):
        with open(candidate, "rb") as inp:
            shutil.copyfileobj(inp, fh, _CHUNK)

    fix = (f"the mirror's copy {candidate} is not the pinned file, and nothing was written to data/raw.\n"
           "  Replace it with a good copy, or unset BACKLASH_DATA_MIRROR to download from the pinned URL.")
    _install_verified(write, dest, src.sha256, f"mirror {candidate}", fix)
    return True


def copy_limited(resp, fh, max_bytes: int, deadline: float, url: str) -> int:
    """Copy ``resp`` into ``fh`` in chunks; stop with ``FetchError`` past ``max_bytes`` or the ``deadline``.

    ``deadline`` is a ``time.monotonic()`` value.  Returns the number of bytes copied.

    Parameters
    ----------
    resp
        A readable response.
    fh
        A writable binary file.
    max_bytes : int
        The most it may copy.
    deadline : float
        A ``time.monotonic()`` value.
    url : str
        The source, for the message.

    Returns
    -------
    int
        Bytes copied.
    """
    total = 0
    while chunk := resp.read(_CHUNK):
        total += len(chunk)
        if total > max_bytes:
            raise FetchError(f"download from {url} exceeds {max_bytes} bytes, the size pinned in the manifest; "
                             "stopped (the server is not sending the pinned file)")
        if time.monotonic() > deadline:
            raise FetchError(f"download from {url} did not finish in time; stopped after {total} bytes")
        fh.write(chunk)
    return total


def _from_url(src: Source, dest: Path, timeout: float, deadline: float) -> None:
    max_bytes = src.size or DEFAULT_MAX_BYTES
    stop = time.monotonic() + deadline

    def write(fh):
        req = urllib.request.Request(src.url, headers={"User-Agent": "backlash-replication"})
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            copy_limited(resp, fh, max_bytes, stop, src.url)

    retry = (f"  Fix: connect to the internet, or point BACKLASH_DATA_MIRROR at a folder that holds "
             f"{src.path}, then run `backlash fetch` again.")
    try:
        _install_verified(write, dest, src.sha256, src.url)
    except FetchError as exc:
        raise FetchError(f"could not download {src.path}: {exc}\n{retry}") from None
    except (urllib.error.URLError, TimeoutError, OSError) as exc:  # a ChecksumError passes through
        raise FetchError(f"could not download {src.path} from {src.url}: {exc}\n{retry}") from None


def fetch_one(src: Source, raw_dir: Path, mirror: Path | None, *, allow_download: bool = True,
              timeout: float = 60.0, deadline: float = DEFAULT_DEADLINE) -> str:
    """Make ``raw_dir / src.path`` present and verified; return where it came from.

    Order: the file already in ``raw_dir`` (must match), then ``mirror``, then ``src.url``.

    Parameters
    ----------
    src : Source
    raw_dir : Path
        The raw folder.
    mirror : Path or None
        A local folder with copies of the raw files.
    allow_download : bool
        Whether the pinned URL may be used.
    timeout, deadline : float
        Per read, and for the whole download (``time.monotonic()`` seconds from now).

    Returns
    -------
    str
        ``"present"``, ``"mirror"`` or ``"download"``.
    """
    dest = raw_dir / src.path
    if not dest.resolve().is_relative_to(Path(raw_dir).resolve()):
        link = next((p for p in (dest, *dest.parents) if p.is_symlink() and p.is_relative_to(raw_dir)), None)
        if link is not None:  # the manifest's path is fine (checked on loading): a link in data/raw leads out
            raise ValueError(f"{link} is a symbolic link to {os.readlink(link)}, outside {raw_dir}; the raw files "
                             f"must lie inside {raw_dir}. Replace the link by a copy of the file it points to, or "
                             "delete it and run `make fetch` to fetch and verify the file again")
        raise ValueError(f"{src.path!r} leads outside {raw_dir}; manifest paths must stay inside it")
    if dest.exists() or dest.is_symlink():
        verify(dest, src.sha256)
        remove_stale_temporaries(dest, suffix=".part")
        return "present"
    if mirror is not None and _from_mirror(src, mirror, dest):
        return "mirror"
    if not allow_download:
        raise FetchError(f"{src.path} is neither in {raw_dir} nor in the mirror {mirror}, and downloads are disabled")
    _from_url(src, dest, timeout, deadline)
    return "download"


def fetch_all(sources: list[Source], raw_dir: Path, mirror: Path | None, **kwargs) -> dict[str, str]:
    """Fetch and verify every source; return ``{path: origin}``. Stops at the first error.

    Parameters
    ----------
    sources : list of Source
    raw_dir : Path
    mirror : Path or None
    **kwargs
        Passed to :func:`fetch_one`.

    Returns
    -------
    dict of str to str
        Where each file came from, by path.
    """
    return {src.path: fetch_one(src, raw_dir, mirror, **kwargs) for src in sources}


def verified_path(relpath: str, raw_dir: Path, manifest: Path) -> Path:
    """Return ``raw_dir / relpath`` after checking it against its pinned sha256.

    Every reader of a raw file goes through this function, so no byte is read
    from an unverified input.

    Parameters
    ----------
    relpath : str
        The file's path under ``raw_dir``.
    raw_dir : Path
    manifest : Path

    Returns
    -------
    Path
    """
    by_path = {s.path: s for s in load_manifest(manifest)}
    if relpath not in by_path:
        raise KeyError(f"{relpath!r} is not listed in {manifest}")
    return verify(raw_dir / relpath, by_path[relpath].sha256)
