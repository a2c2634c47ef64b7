"""Readers of the raw inputs: verify the sha256, read, check the columns.

These are the only functions that read ``data/raw/``.  Each verifies the file
against ``data/sources.toml`` first and raises a ``ValueError`` that names the
file and the missing columns if the content is not what the pipeline expects.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from . import paths
from .sources import verified_path

IGO_YEAR = "cow-igo-v3/igo_year_format3.rda"
STATE_YEAR = "cow-igo-v3/state_year_format3.rda"
STATES = "cow-states/states2016.csv"
POLITY = "polity5/p5v2018.csv"
BMR = "democracy/bmr.rda"
VDEM = "democracy/vdem_simple.rda"
LIED = "democracy/LIED.rda"


def require_columns(df: pd.DataFrame, columns, what: str) -> pd.DataFrame:
    """Raise ``ValueError`` naming ``what`` and every column of ``columns`` that ``df`` lacks."""
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {', '.join(missing)}; is it the right file "
                         "(see data/sources.toml)?")
    return df


def _path(relpath: str, raw_dir: Path | None, manifest: Path | None) -> Path:
    return verified_path(relpath, raw_dir or paths.RAW, manifest or paths.SOURCES_MANIFEST)


def _read_rda(path: Path, name: str) -> pd.DataFrame:
    import pyreadr

    try:
        result = pyreadr.read_r(str(path))
    except Exception as exc:  # pyreadr raises its own LibrdataError and others
        raise ValueError(f"{path} could not be read as an R data file: {exc}") from None
    if name not in result:
        raise ValueError(f"{path} does not hold the object {name!r} (found: {', '.join(result) or 'nothing'})")
    return result[name]


def read_igo_year(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """COW IGO v3, IGO-year format (one row per IGO and year, one column per state)."""
    df = _read_rda(_path(IGO_YEAR, raw_dir, manifest), "igo_year_format3")
    return require_columns(df, ["ioname", "orgname", "year", "sdate", "deaddate", "dead", "integrated",
                                "replaced", "political", "social", "economic"], IGO_YEAR)


def read_state_year(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """COW IGO v3, state-year format (used for each state column's COW country code)."""
    df = _read_rda(_path(STATE_YEAR, raw_dir, manifest), "state_year_format3")
    return require_columns(df, ["ccode", "year", "state"], STATE_YEAR)


def read_states(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """COW State System Membership v2016 (one row per membership spell)."""
    df = pd.read_csv(_path(STATES, raw_dir, manifest))
    return require_columns(df, ["stateabb", "ccode", "statenme", "styear", "endyear"], STATES)


def read_polity(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """Polity5 annual country-year series."""
    df = pd.read_csv(_path(POLITY, raw_dir, manifest), low_memory=False)
    return require_columns(df, ["ccode", "scode", "country", "year", "polity", "polity2"], POLITY)


def read_bmr(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """Boix-Miller-Rosato dichotomous democracy measure (democracyData's copy, with COW codes ``cown``)."""
    df = _read_rda(_path(BMR, raw_dir, manifest), "bmr")
    return require_columns(df, ["bmr_country", "bmr_ccode", "cown", "year", "democracy"], BMR)


def read_vdem(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """V-Dem v15 high-level indices (democracyData's copy, with COW codes ``cown``)."""
    df = _read_rda(_path(VDEM, raw_dir, manifest), "vdem_simple")
    return require_columns(df, ["vdem_country_name", "vdem_cowcode", "cown", "year", "v2x_polyarchy"], VDEM)


def read_lied(raw_dir: Path | None = None, manifest: Path | None = None) -> pd.DataFrame:
    """Lexical Index of Electoral Democracy (democracyData's copy, with COW codes ``cown``)."""
    df = _read_rda(_path(LIED, raw_dir, manifest), "LIED")
    return require_columns(df, ["lied_country", "lied_cow", "cown", "year", "lexical_index"], LIED)
