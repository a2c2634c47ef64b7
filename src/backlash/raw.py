"""Readers of the raw inputs: verify the sha256, read, check the columns.

These are the only functions that read ``data/raw/``.  Each verifies the file
against ``data/sources.toml`` first and raises a ``ValueError`` that names the
file and the missing columns if the content is not what the pipeline expects.

Parsing the two R data files takes seconds, so each is parsed once per sha256
(:func:`write_cache`, run by ``make``) into ``data/cache/<name>.npz``: NumPy
arrays only, loaded with ``allow_pickle=False`` so loading runs no code.  The
cache records the sha256 of the raw file it was parsed from and a sha256 of its
own arrays; a reader uses it only when the first equals the pinned checksum
(otherwise it parses the raw file) and refuses it when the second does not match.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd

from . import paths
from ._io import signals_blocked
from .data import require_columns
from .sources import load_manifest, verified_path

from .paths import BMR, IGO_YEAR, LIED, POLITY, STATE_YEAR, STATES, SWIID, VDEM  # noqa: F401 (the raw inputs)


#: The R object each R data file holds; these files are parsed once per sha256 into a cache.
RDA_OBJECTS = {IGO_YEAR: "igo_year_format3", STATE_YEAR: "state_year_format3"}
_CACHE_FORMAT = 1


def _path(relpath: str, raw_dir: Path | None, manifest: Path | None) -> Path:
    return verified_path(relpath, raw_dir or paths.RAW, manifest or paths.SOURCES_MANIFEST)


def _parse_rda(path: Path, name: str) -> pd.DataFrame:
    import pyreadr

    try:
        # pyreadr parses in C and calls back into Python for every column, and it prints and ignores an
        # exception raised there: a Ctrl-C in the middle would return a truncated table as if complete.
        with signals_blocked():  # so the signal is held until the parse ends, and stops the step then
            result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError and others
        raise ValueError(f"{path} could not be read as an R data file: {exc}") from None
    if name not in result:
        raise ValueError(f"{path} does not hold the object {name!r} (found: {', '.join(result) or 'nothing'})")
    return result[name]


# --------------------------------------------------------------------------- parsed-table cache
def _pinned_sha256(relpath: str, manifest: Path | None) -> str:
    return {s.path: s.sha256 for s in load_manifest(manifest or paths.SOURCES_MANIFEST)}[relpath]


def _digest(arrays: dict[str, np.ndarray]) -> str:
    """sha256 over every array's name, dtype, shape and bytes, in name order."""
    h = hashlib.sha256()
    for key in sorted(arrays):
        a = np.ascontiguousarray(arrays[key])
        h.update(f"{key}|{a.dtype.str}|{a.shape}|".encode())
        h.update(a.tobytes())
    return h.hexdigest()


def _pack_float(v: np.ndarray) -> tuple[np.ndarray, str]:
    """Store a float64 column as int8 or int16 when that loses nothing (NaN as the type's minimum)."""
    nan = np.isnan(v)
    finite = v[~nan]
    for small in (np.int8, np.int16):
        info = np.iinfo(small)
        if (np.isfinite(finite).all() and (finite == np.round(finite)).all()
                and (finite.size == 0 or (finite.min() > info.min and finite.max() <= info.max))
                and not np.signbit(finite[finite == 0]).any()):
            return np.where(nan, info.min, v).astype(small), f"float64<{np.dtype(small).name}"
    return v, "float64"


_FLOAT_KINDS = ("float64", "float64<int8", "float64<int16")


def _encode(df: pd.DataFrame) -> dict[str, np.ndarray]:
    """The columns of ``df`` as plain arrays.

    Float columns go into one 2-D block per storage type (int8 or int16 when that
    loses nothing, else float64), string columns into UTF-8 bytes with offsets
    and a mask of missing values; ``columns``, ``kinds`` and ``dtypes`` say how to
    rebuild the frame.
    """
    if not df.index.equals(pd.RangeIndex(len(df))):
        raise ValueError("only frames with the default index 0..n-1 can be cached")
    arrays: dict[str, np.ndarray] = {}
    blocks: dict[str, list[np.ndarray]] = {kind: [] for kind in _FLOAT_KINDS}
    kinds, dtypes = [], []
    for i, name in enumerate(df.columns):
        col = df[name]
        if col.dtype == np.float64:
            packed, kind = _pack_float(col.to_numpy())
            blocks[kind].append(packed)
        elif pd.api.types.is_string_dtype(col.dtype) and col.map(type, na_action="ignore").isin([str]).all():
            encoded = [s.encode("utf-8") for s in col.fillna("")]
            arrays[f"c{i}"] = np.frombuffer(b"".join(encoded), dtype=np.uint8)
            arrays[f"o{i}"] = np.cumsum([0] + [len(b) for b in encoded], dtype=np.int64)
            arrays[f"m{i}"] = col.isna().to_numpy()
            kind = "utf8"
        else:
            raise ValueError(f"column {name!r} has dtype {col.dtype}, which the raw-data cache does not store")
        kinds.append(kind)
        dtypes.append(str(col.dtype))
    for kind, cols in blocks.items():
        if cols:
            arrays[f"block {kind}"] = np.stack(cols)  # one row per column, as pandas lays out a block
    arrays["columns"] = np.array(df.columns, dtype=str)
    arrays["kinds"] = np.array(kinds, dtype=str)
    arrays["dtypes"] = np.array(dtypes, dtype=str)
    arrays["n_rows"] = np.array(len(df), dtype=np.int64)
    return arrays


def _unpack_float(block: np.ndarray) -> np.ndarray:
    if block.dtype == np.float64:
        return block
    return np.where(block == np.iinfo(block.dtype).min, np.nan, block.astype(np.float64))


def _decode_strings(arrays: dict[str, np.ndarray], i: int) -> pd.Series:
    blob, ends = arrays[f"c{i}"].tobytes(), arrays[f"o{i}"]
    values = np.array([blob[a:b].decode("utf-8") for a, b in zip(ends[:-1], ends[1:])], dtype=object)
    values[arrays[f"m{i}"]] = np.nan
    return pd.Series(values, dtype=str(arrays["dtypes"][i]))


def _decode_column(arrays: dict[str, np.ndarray], i: int):
    """Column ``i`` as it was before :func:`_encode` (an array, or a Series for strings)."""
    kinds = arrays["kinds"]
    kind = str(kinds[i])
    if kind == "utf8":
        return _decode_strings(arrays, i)
    return _unpack_float(arrays[f"block {kind}"][int((kinds[:i] == kind).sum())])


def _decode(arrays: dict[str, np.ndarray]) -> pd.DataFrame:
    """The frame :func:`_encode` stored: the float columns as one block, the string columns inserted."""
    names, kinds = arrays["columns"], arrays["kinds"]
    is_float = kinds != "utf8"
    floats = np.empty((int(is_float.sum()), int(arrays["n_rows"])))
    for kind in _FLOAT_KINDS:
        if f"block {kind}" not in arrays:
            continue
        block, rows = arrays[f"block {kind}"], np.flatnonzero(kinds[is_float] == kind)
        if rows[-1] - rows[0] + 1 == rows.size:  # contiguous rows: unpack in place, no temporary copies
            dest = floats[rows[0]:rows[-1] + 1]
            np.copyto(dest, block, casting="unsafe")
            if block.dtype != np.float64:
                dest[block == np.iinfo(block.dtype).min] = np.nan
        else:
            floats[rows] = _unpack_float(block)
    df = pd.DataFrame(floats.T, columns=[str(n) for n in names[is_float]], copy=False)
    for i in np.flatnonzero(~is_float):
        df.insert(int(i), str(names[i]), _decode_strings(arrays, int(i)))
    return df


def _cached_arrays(cache: Path, source_sha256: str) -> dict[str, np.ndarray] | None:
    """The verified arrays in ``cache`` if it was parsed from the raw file with ``source_sha256``, else None.

    Raises
    ------
    ValueError
        If the cache file is damaged (unreadable, or its arrays do not match their recorded sha256).
    """
    fix = f"delete {cache} and run `make all` to parse the raw file again"
    try:
        with np.load(cache, allow_pickle=False) as z:
            if str(z["source_sha256"]) != source_sha256 or int(z["format"]) != _CACHE_FORMAT:
                return None
            arrays = {k: z[k] for k in z.files}
    except (OSError, ValueError, KeyError, zipfile.BadZipFile) as exc:
        raise ValueError(f"the raw-data cache {cache} cannot be read ({exc}); {fix}") from None
    recorded = str(arrays.pop("digest", ""))
    if _digest(arrays) != recorded:
        raise ValueError(f"the raw-data cache {cache} does not match its own checksum; {fix}")
    return arrays


def write_cache(relpath: str, raw_dir: Path | None = None, manifest: Path | None = None) -> Path:
    """Parse the R data file ``relpath`` once and store its table in ``paths.raw_cache(relpath)``.

    The file is written atomically and read back before it is kept: the cached
    table must equal the parsed one exactly (values, column order and dtypes).

    Parameters
    ----------
    relpath : str
        A key of :data:`RDA_OBJECTS`.
    raw_dir, manifest : Path, optional
        The raw folder and the manifest (default: the project's).

    Returns
    -------
    Path
        The cache file.
    """
    if relpath not in RDA_OBJECTS:
        raise ValueError(f"{relpath!r} is not a cached R data file; choose one of {', '.join(RDA_OBJECTS)}")
    from ._io import atomic_path

    sha = _pinned_sha256(relpath, manifest)
    table = _parse_rda(_path(relpath, raw_dir, manifest), RDA_OBJECTS[relpath])
    arrays = _encode(table)
    arrays |= {"format": np.array(_CACHE_FORMAT), "source": np.array(relpath), "source_sha256": np.array(sha)}
    arrays["digest"] = np.array(_digest(arrays))
    dest = paths.raw_cache(relpath)
    with atomic_path(dest) as tmp:
        with open(tmp, "wb") as fh:
            np.savez(fh, **arrays)
        del arrays
        back = _cached_arrays(tmp, sha)
        try:  # column by column, so the check needs no second copy of the table
            assert list(back["columns"]) == list(table.columns)
            for i, name in enumerate(table.columns):
                pd.testing.assert_series_equal(pd.Series(_decode_column(back, i), name=name), table[name],
                                               check_exact=True)
        except AssertionError as exc:
            raise RuntimeError(f"the cache of {relpath} does not reproduce the parsed table: {exc}") from None
    return dest


def _read_rda(relpath: str, raw_dir: Path | None, manifest: Path | None) -> pd.DataFrame:
    """The table in a verified R data file, from the cache when it was parsed from this very file."""
    path = _path(relpath, raw_dir, manifest)
    cache = paths.raw_cache(relpath)
    if cache.is_file():
        arrays = _cached_arrays(cache, _pinned_sha256(relpath, manifest))
        if arrays is not None:
            return _decode(arrays)
    return _parse_rda(path, RDA_OBJECTS[relpath])


# --------------------------------------------------------------------------- readers
def read_igo_year(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """COW IGO v3, IGO-year format (one row per IGO and year, one column per state).

    Parameters
    ----------
    raw_dir, manifest : Path, optional
        The raw folder and the manifest (default: the project's); the other readers take the same.

    Returns
    -------
    DataFrame
        One row per IGO and year; the IGO-level columns checked.
    """
    df = _read_rda(IGO_YEAR, raw_dir, manifest)
    return require_columns(df, ["ioname", "orgname", "year", "sdate", "deaddate", "dead", "integrated",
                                "replaced", "political", "social", "economic"], IGO_YEAR)


def read_state_year(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """COW IGO v3, state-year format (used for each state column's COW country code).

    Parameters
    ----------
    raw_dir, manifest : Path, optional
        Where ``cow-igo-v3/state_year_format3.rda`` and its pinned checksum are found (default: the project's).

    Returns
    -------
    DataFrame
        One row per state and year: ``ccode, year, state`` checked.
    """
    df = _read_rda(STATE_YEAR, raw_dir, manifest)
    return require_columns(df, ["ccode", "year", "state"], STATE_YEAR)


def read_states(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """COW State System Membership v2016 (one row per membership spell).

    Parameters
    ----------
    raw_dir, manifest : Path, optional
        Where ``cow-states/states2016.csv`` and its pinned checksum are found (default: the project's).

    Returns
    -------
    DataFrame
        One row per spell: ``stateabb, ccode, statenme, styear, endyear`` checked.
    """
    df = pd.read_csv(_path(STATES, raw_dir, manifest))
    return require_columns(df, ["stateabb", "ccode", "statenme", "styear", "endyear"], STATES)


def read_polity(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """Polity5 annual country-year series.

    Parameters
    ----------
    raw_dir, manifest : Path, optional
        Where ``polity5/p5v2018.csv`` and its pinned checksum are found (default: the project's).

    Returns
    -------
    DataFrame
        Country-years with ``polity`` and ``polity2``.
    """
    df = pd.read_csv(_path(POLITY, raw_dir, manifest), low_memory=False)
    return require_columns(df, ["ccode", "scode", "country", "year", "polity", "polity2"], POLITY)


def read_source(source, raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """The columns a democracy measure reads from its R data file (democracyData's copies, with COW codes).

    Parameters
    ----------
    source : backlash.democracy.Source
        The file (``source.raw``, e.g. ``democracy/vdem_simple.rda``), the R object it holds and the
        columns to read.
    raw_dir, manifest : Path, optional
        Where the file and its pinned checksum are found (default: the project's).

    Returns
    -------
    DataFrame
        ``source.columns``: the unit's name and own code, ``cown``, ``year`` and the score.
    """
    df = _parse_rda(_path(source.raw, raw_dir, manifest), source.table)
    return require_columns(df, source.columns, source.raw)[source.columns]


#: The SWIID summary's columns: the Ginis and redistribution, each with its standard error.
SWIID_VALUES = ("gini_disp", "gini_mkt", "abs_red", "rel_red")


def read_swiid(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """The SWIID 9.92 summary: income inequality by country name and year, with standard errors.

    Besides the columns, checks what the analysis relies on: one row per name and
    year, both Ginis present in every row and within 0-100, and every standard
    error positive where its value is given (the SEs are the SD over the SWIID's
    imputations; :mod:`backlash.inequality` draws from them).

    Parameters
    ----------
    raw_dir, manifest : Path, optional
        Where ``inequality/swiid_summary.csv`` and its pinned checksum are found (default: the project's).

    Returns
    -------
    DataFrame
        ``country, year`` and ``gini_disp, gini_mkt, abs_red, rel_red`` with their ``_se``.

    Raises
    ------
    ValueError
        If a column is missing or a check fails (the message names the rows).
    """
    df = pd.read_csv(_path(SWIID, raw_dir, manifest), encoding="utf-8")
    cols = ["country", "year", *(f"{v}{s}" for v in SWIID_VALUES for s in ("", "_se"))]
    df = require_columns(df, cols, SWIID)
    dup = df.duplicated(["country", "year"], keep=False)
    if dup.any():
        raise ValueError(f"{SWIID}: {int(dup.sum())} rows repeat a country and year, e.g. "
                         f"{df.loc[dup, ['country', 'year']].iloc[0].tolist()}; the file is not the SWIID summary")
    for v in ("gini_disp", "gini_mkt"):
        bad = df[v].isna() | ~df[v].between(0, 100)
        if bad.any():
            raise ValueError(f"{SWIID}: {v} is missing or outside 0-100 in {int(bad.sum())} rows, e.g. "
                             f"{df.loc[bad, ['country', 'year']].iloc[0].tolist()}")
    for v in SWIID_VALUES:
        bad = df[v].notna() & ~(df[f"{v}_se"] > 0)
        if bad.any():
            raise ValueError(f"{SWIID}: {v}_se is not positive where {v} is given in {int(bad.sum())} rows, e.g. "
                             f"{df.loc[bad, ['country', 'year']].iloc[0].tolist()}")
    return df[cols]
