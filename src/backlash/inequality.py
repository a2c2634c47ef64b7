r"""Domestic income inequality on every COW member-year: the SWIID 9.92 through a crosswalk kept as data.

The paper's mechanism runs through domestic inequality, which its own empirics never
measure; :mod:`backlash.mechanism` tests it with the Standardized World Income
Inequality Database (SWIID 9.92; Solt 2020), put on COW state-years here.

The SWIID names countries; COW numbers states.  The crosswalk is data, committed
in ``data/crosswalk/swiid_cow.csv``: one row per SWIID name (two where a name
covers two COW states over time, with year limits), with the COW code, COW's own
name for it, how the two match (:data:`MATCHES`) and a reason for every match
that is not the same name.  :func:`check_crosswalk` refuses a crosswalk that
misses a name, names a code COW does not have, misspells COW's name, or lacks a
reason; :func:`inequality_panel` puts a Gini on every COW member-year it can and
refuses any state-year matched twice; :func:`coverage` counts what gets a Gini
and names the states that never do, with the reason.

Pure functions on data frames; the readers are in :mod:`backlash.raw`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .data import LAST_YEAR, require_columns, system_membership
from .filedoc import Column, FileDoc

#: The SWIID version pinned in data/sources.toml (its summary file's sha256 is the version's).
SWIID_VERSION = "9.92"
#: How a SWIID name matches a COW state (the crosswalk's ``match`` column).
SAME_NAME, OTHER_NAME, SUCCESSION, NOT_A_STATE = "same name", "other name", "succession", "not a COW state"
MATCHES = (SAME_NAME, OTHER_NAME, SUCCESSION, NOT_A_STATE)
#: The crosswalk's columns, in order.
CROSSWALK_COLUMNS = ("swiid_country", "ccode", "cow_name", "first_year", "last_year", "match", "reason")
#: The SWIID's first year; the coverage report and the analysis start here.
SWIID_FIRST_YEAR = 1960
#: The SWIID columns carried into the panel: each inequality measure and its standard error.
INEQUALITY_MEASURES = ("gini_mkt", "gini_disp", "abs_red")
VALUE_COLUMNS = tuple(c for m in INEQUALITY_MEASURES for c in (m, f"{m}_se"))


def tidy_crosswalk(text: pd.DataFrame) -> pd.DataFrame:
    """The crosswalk as read with ``dtype=str, keep_default_na=False``, with its codes and years as integers.

    Parameters
    ----------
    text : DataFrame
        ``data/crosswalk/swiid_cow.csv``, every cell a string (empty where blank).

    Returns
    -------
    DataFrame
        :data:`CROSSWALK_COLUMNS`; ``ccode, first_year, last_year`` nullable integers (empty: none
        or open), ``cow_name`` and ``reason`` empty strings where blank.

    Raises
    ------
    ValueError
        If a column is missing or a code or year is not a whole number.
    """
    require_columns(text, list(CROSSWALK_COLUMNS), "data/crosswalk/swiid_cow.csv")
    out = text[list(CROSSWALK_COLUMNS)].copy()
    for col in ("ccode", "first_year", "last_year"):
        cells = out[col].str.strip()
        bad = (cells != "") & ~cells.str.fullmatch(r"\d+")
        if bad.any():
            raise ValueError(f"data/crosswalk/swiid_cow.csv: column {col} must hold whole numbers or nothing; "
                             f"row {out.loc[bad, 'swiid_country'].iloc[0]!r} has {cells[bad].iloc[0]!r}")
        out[col] = pd.array([int(c) if c else pd.NA for c in cells], dtype="Int64")
    return out


def _limit(years: pd.Series, open_end: float) -> np.ndarray:
    """A year-limit column as floats, ``open_end`` (minus or plus infinity) where it is empty."""
    return np.nan_to_num(years.astype("float64").to_numpy(), nan=open_end)


def check_crosswalk(crosswalk: pd.DataFrame, swiid_names, states: pd.DataFrame) -> None:
    """Refuse a crosswalk that is incomplete, inconsistent with COW, or unexplained.

    Checks that every SWIID name has at least one row and every row names a SWIID
    name; that a row either carries a COW code that exists in COW's state list,
    with COW's own name for it in ``cow_name``, or is ``not a COW state`` with no
    code; that ``match`` is one of :data:`MATCHES` (``same name`` only where the
    two names are equal); that every row other than ``same name`` gives a reason;
    and that the rows of one name have year limits that do not overlap.

    Parameters
    ----------
    crosswalk : DataFrame
        ``data/crosswalk/swiid_cow.csv`` (columns :data:`CROSSWALK_COLUMNS`).
    swiid_names : iterable of str
        The country names of the SWIID file.
    states : DataFrame
        COW State System Membership (``ccode, statenme``).

    Raises
    ------
    ValueError
        Naming every offending row and what to fix.
    """
    require_columns(crosswalk, list(CROSSWALK_COLUMNS), "data/crosswalk/swiid_cow.csv")
    problems = []
    names = set(swiid_names)
    listed = set(crosswalk["swiid_country"])
    for name in sorted(names - listed):
        problems.append(f"SWIID name {name!r} has no row: map it to a COW code or mark it `{NOT_A_STATE}` "
                        "with a reason")
    for name in sorted(listed - names):
        problems.append(f"{name!r} is not a SWIID name")
    cow = states.drop_duplicates("ccode").set_index("ccode")["statenme"]
    for row in crosswalk.itertuples(index=False):
        where = f"row {row.swiid_country!r}"
        if row.match not in MATCHES:
            problems.append(f"{where}: match {row.match!r} is not one of {', '.join(MATCHES)}")
        reason = row.reason if isinstance(row.reason, str) else ""
        if row.match != SAME_NAME and not reason.strip():
            problems.append(f"{where}: a `{row.match}` row needs a reason")
        if pd.isna(row.ccode):
            if row.match != NOT_A_STATE:
                problems.append(f"{where}: no COW code, so its match must be `{NOT_A_STATE}`")
            continue
        if row.match == NOT_A_STATE:
            problems.append(f"{where}: `{NOT_A_STATE}` but it has COW code {row.ccode}")
        if int(row.ccode) not in cow.index:
            problems.append(f"{where}: {row.ccode} is not a COW country code")
        elif cow[int(row.ccode)] != row.cow_name:
            problems.append(f"{where}: COW calls {row.ccode} {cow[int(row.ccode)]!r}, not {row.cow_name!r}")
        if row.match == SAME_NAME and row.cow_name != row.swiid_country:
            problems.append(f"{where}: `{SAME_NAME}` but COW's name is {row.cow_name!r}")
    for name, part in crosswalk.groupby("swiid_country"):
        if len(part) > 1:
            lo, hi = _limit(part["first_year"], -np.inf), _limit(part["last_year"], np.inf)
            order = np.argsort(lo)
            if np.any(lo[order][1:] <= hi[order][:-1]):
                problems.append(f"{name!r}: its rows' year limits overlap, so a year would go to two states")
    if problems:
        raise ValueError("data/crosswalk/swiid_cow.csv: " + "; ".join(problems))


def matched_rows(swiid: pd.DataFrame, crosswalk: pd.DataFrame) -> pd.DataFrame:
    """Every SWIID row with the COW code the crosswalk gives its name in its year (NaN: none).

    Parameters
    ----------
    swiid : DataFrame
        The SWIID summary (``country, year`` and the values).
    crosswalk : DataFrame
        The checked crosswalk.

    Returns
    -------
    DataFrame
        The SWIID rows with ``ccode`` (nullable) and ``fate``: ``territory`` (a name that is
        not a COW state), ``outside year limits`` (a year none of the name's rows covers),
        or ``matched``.
    """
    m = swiid.merge(crosswalk[["swiid_country", "ccode", "first_year", "last_year", "match"]],
                    left_on="country", right_on="swiid_country", how="left", validate="many_to_many")
    inside = (m["year"] >= _limit(m["first_year"], -np.inf)) & (m["year"] <= _limit(m["last_year"], np.inf))
    territory = m["match"] == NOT_A_STATE
    m = m[inside | territory]
    # a (name, year) outside every row's limits has no row left: add it back as unmatched
    lost = swiid.merge(m[["country", "year"]], on=["country", "year"], how="left", indicator=True)
    lost = lost[lost["_merge"] == "left_only"].drop(columns="_merge").assign(fate="outside year limits")
    m = m.assign(fate=np.where(m["match"] == NOT_A_STATE, "territory", "matched"))
    m.loc[m["fate"] == "territory", "ccode"] = pd.NA
    out = pd.concat([m[[*swiid.columns, "ccode", "fate"]], lost], ignore_index=True)
    out["ccode"] = out["ccode"].astype("Int64")
    return out.sort_values(["country", "year"], ignore_index=True)


def inequality_panel(swiid: pd.DataFrame, crosswalk: pd.DataFrame, states: pd.DataFrame, *,
                     first: int = SWIID_FIRST_YEAR, last: int = LAST_YEAR) -> tuple[pd.DataFrame, dict]:
    """Every COW member-year in ``[first, last]`` with the SWIID's values where the crosswalk gives one.

    Parameters
    ----------
    swiid : DataFrame
        The SWIID summary (:func:`backlash.raw.read_swiid`).
    crosswalk : DataFrame
        ``data/crosswalk/swiid_cow.csv`` (checked here with :func:`check_crosswalk`).
    states : DataFrame
        COW State System Membership.
    first, last : int
        The years of the panel (default 1960, the SWIID's first, to 2014, COW IGO's last).

    Returns
    -------
    panel : DataFrame
        ``ccode, year, swiid_country`` and :data:`VALUE_COLUMNS`, one row per member-year
        (values empty where none).
    rows : dict
        What became of the SWIID's rows: ``total``, ``matched`` (to a member-year),
        ``territory``, ``outside_year_limits``, ``outside_membership`` (a COW code, but not a
        member that year: before independence, e.g. the Soviet republics before 1991) and
        ``outside_years`` (after ``last``).

    Raises
    ------
    ValueError
        If the crosswalk fails :func:`check_crosswalk`, or a COW state-year would get two SWIID rows.
    """
    check_crosswalk(crosswalk, swiid["country"].unique(), states)
    rows = matched_rows(swiid, crosswalk)
    members = system_membership(states, first=first, last=last)
    hit = rows[rows["fate"] == "matched"].copy()
    hit["ccode"] = hit["ccode"].astype("int64")
    twice = hit[hit["year"].between(first, last)].duplicated(["ccode", "year"], keep=False)
    if twice.any():
        pairs = hit[hit["year"].between(first, last)].loc[twice, ["country", "ccode", "year"]]
        raise ValueError("data/crosswalk/swiid_cow.csv matches these COW state-years twice: "
                         + "; ".join(f"{r.ccode} in {r.year} ({r.country})" for r in pairs.itertuples())
                         + ". Give the names' rows year limits that do not overlap.")
    joined = hit.merge(members.assign(_member=True), on=["ccode", "year"], how="left")
    joined["_member"] = joined["_member"].fillna(False).astype(bool)
    in_years = joined["year"].between(first, last)
    accounting = {"total": len(swiid), "matched": int((joined["_member"] & in_years).sum()),
                  "territory": int((rows["fate"] == "territory").sum()),
                  "outside_year_limits": int((rows["fate"] == "outside year limits").sum()),
                  "outside_membership": int((~joined["_member"] & in_years).sum()),
                  "outside_years": int((~in_years).sum())}
    values = joined[joined["_member"] & in_years].rename(columns={"country": "swiid_country"})
    panel = members.merge(values[["ccode", "year", "swiid_country", *VALUE_COLUMNS]], on=["ccode", "year"],
                          how="left", validate="one_to_one")
    if sum(v for k, v in accounting.items() if k != "total") != accounting["total"]:  # pragma: no cover
        raise RuntimeError(f"the SWIID's rows do not add up: {accounting}")
    return panel.sort_values(["ccode", "year"], ignore_index=True), accounting


_GINI_UNIT = "Gini points (0-100)"
#: ``data/derived/inequality_panel.csv`` (written by ``py/inequality_panel.py``).
PANEL_DOC = FileDoc(
    "inequality_panel.csv", "py/inequality_panel.py",
    "Every COW system member-year 1960-2014 with the SWIID 9.92's inequality where the crosswalk "
    "(data/crosswalk/swiid_cow.csv) gives one (one row per state-year; empty cells: no SWIID value).",
    (Column("ccode", "integer", "-", "COW country code", "a code of the COW state system list"),
     Column("year", "integer", "year", "calendar year", "1960-2014"),
     Column("swiid_country", "string", "-", "the SWIID's name for the state in that year (empty: none)",
            "a country of the SWIID", nullable=True),
     Column("gini_mkt", "float", _GINI_UNIT, "Gini index of market income, before taxes and transfers", "0-100",
            nullable=True),
     Column("gini_mkt_se", "float", _GINI_UNIT, "its standard error (SD over the SWIID's imputations)", "> 0",
            nullable=True),
     Column("gini_disp", "float", _GINI_UNIT, "Gini index of disposable income, after taxes and transfers",
            "0-100", nullable=True),
     Column("gini_disp_se", "float", _GINI_UNIT, "its standard error", "> 0", nullable=True),
     Column("abs_red", "float", _GINI_UNIT, "absolute redistribution: gini_mkt minus gini_disp (the SWIID "
            "gives it only where it rests on enough data)", "any real", nullable=True),
     Column("abs_red_se", "float", _GINI_UNIT, "its standard error", "> 0", nullable=True)))

#: ``data/derived/inequality_coverage.json`` (written by ``py/inequality_panel.py``).
COVERAGE_DOC = FileDoc(
    "inequality_coverage.json", "py/inequality_panel.py",
    "How many COW member-years 1960-2014 get a SWIID Gini, by decade, which states never do and why, and "
    "what became of every SWIID row (backlash.inequality.coverage).",
    tuple(Column(k, t, "-", m, "see src/backlash/inequality.py: coverage") for k, t, m in (
        ("first_year", "integer", "first year of the panel"),
        ("last_year", "integer", "last year of the panel"),
        ("member_years", "integer", "COW system member-years in those years"),
        ("states", "integer", "states among them"),
        ("with_gini_mkt", "integer", "member-years with a market-income Gini"),
        ("with_gini_disp", "integer", "member-years with a disposable-income Gini"),
        ("with_abs_red", "integer", "member-years with absolute redistribution"),
        ("share_gini_mkt", "number", "with_gini_mkt / member_years"),
        ("states_with_gini_mkt", "integer", "states with a market-income Gini in at least one member-year"),
        ("by_decade", "object", "per decade: member-years, those with gini_mkt, and the share"),
        ("states_never", "array", "the states with no Gini in any member-year: code, name, member-years, "
         "reason"),
        ("never_no_series", "integer", "of those, states the SWIID has no series for"),
        ("never_outside_years", "integer", "of those, states whose SWIID series misses all their member-years"),
        ("territories", "array", "the SWIID names dropped because they were never COW states"),
        ("swiid_rows", "object", "the SWIID's rows: matched to a member-year, a territory, outside the "
         "crosswalk's year limits, outside the state's membership, after the last year"))))


def coverage(panel: pd.DataFrame, rows: dict, crosswalk: pd.DataFrame, states: pd.DataFrame) -> dict:
    """How many member-years get a Gini, by decade, and which states never do, with the reason.

    Parameters
    ----------
    panel, rows : DataFrame, dict
        :func:`inequality_panel`.
    crosswalk : DataFrame
        The crosswalk (to tell "no SWIID series" from "a series, but only outside the state's
        membership years").
    states : DataFrame
        COW State System Membership (for the states' names).

    Returns
    -------
    dict
        ``first_year, last_year, member_years, states``; per measure of :data:`INEQUALITY_MEASURES`
        ``with_<measure>`` (member-years with a value); ``share_gini_mkt``;
        ``states_with_gini_mkt``; ``by_decade`` (decade -> member-years, with gini_mkt, share);
        ``states_never`` (one dict per state: ``ccode, name, member_years, reason``);
        ``never_no_series`` and ``never_outside_years`` (how many states for each reason);
        ``territories`` (the SWIID names dropped as never COW states); ``swiid_rows`` (``rows``).
    """
    names = states.drop_duplicates("ccode").set_index("ccode")["statenme"]
    has = panel["gini_mkt"].notna()
    out = {"first_year": int(panel["year"].min()), "last_year": int(panel["year"].max()),
           "member_years": len(panel), "states": int(panel["ccode"].nunique())}
    for m in INEQUALITY_MEASURES:
        out[f"with_{m}"] = int(panel[m].notna().sum())
    out["share_gini_mkt"] = out["with_gini_mkt"] / out["member_years"]
    out["states_with_gini_mkt"] = int(panel.loc[has, "ccode"].nunique())
    decade = panel["year"] // 10 * 10
    by = panel.assign(decade=decade, has=has).groupby("decade")["has"].agg(["size", "sum"])
    out["by_decade"] = {str(d): {"member_years": int(r["size"]), "with_gini_mkt": int(r["sum"]),
                                 "share": float(r["sum"] / r["size"])} for d, r in by.iterrows()}
    mapped = set(crosswalk["ccode"].dropna().astype(int))
    never = []
    for ccode, part in panel.groupby("ccode"):
        if part["gini_mkt"].notna().any():
            continue
        if int(ccode) in mapped:
            names_of = sorted(crosswalk.loc[crosswalk["ccode"] == ccode, "swiid_country"])
            reason = (f"SWIID's series ({', '.join(names_of)}) covers none of its member-years "
                      f"{int(part['year'].min())}-{int(part['year'].max())}")
        else:
            reason = "no SWIID series"
        never.append({"ccode": int(ccode), "name": str(names[ccode]), "member_years": len(part), "reason": reason})
    out["states_never"] = never
    out["never_no_series"] = sum(s["reason"] == "no SWIID series" for s in never)
    out["never_outside_years"] = len(never) - out["never_no_series"]
    out["territories"] = sorted(crosswalk.loc[crosswalk["match"] == NOT_A_STATE, "swiid_country"])
    out["swiid_rows"] = dict(rows)
    return out


