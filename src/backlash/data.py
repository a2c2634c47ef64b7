"""Ingest: COW IGO v3, COW state system membership and Polity5 into tidy panels.

Pure functions on data frames (the readers are in :mod:`backlash.raw`).

Membership codes of COW IGO v3 (codebook, version 3.0a): 0 no membership,
1 full membership, 2 associate membership, 3 observer, -9 missing, -1 state not
a system member.  In the R file the -1 cells are stored as missing values; the
panel restores them as -1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

FIRST_YEAR, LAST_YEAR = 1945, 2014
ISSUE_AREAS = ("economic", "political", "social")
NOT_SYSTEM_MEMBER = -1
MISSING = -9
STATUS_LABELS = {0: "none", 1: "full", 2: "associate", 3: "observer", MISSING: "missing",
                 NOT_SYSTEM_MEMBER: "not a system member"}
DEMOCRACY_THRESHOLD = 7  # democracy = polity2 >= 7 (the paper's footnote 4)
#: Periods over which the paper's stylized facts are averaged and the count model is split.
PERIODS = {"early": (1951, 1970), "late": (1971, LAST_YEAR), "after1950": (1951, LAST_YEAR), "pre2005": (1995, 2004), "post2005": (2005, LAST_YEAR)}
#: The periods over which democracies' and nondemocracies' withdrawal rates are compared (the count model, the
#: decomposition, the measure robustness and their tables and figure), in their order: "after 1950" (the span
#: its claim is judged on), its sub-period before 1971, "after 1970", and the whole sample.
COMPARISON_PERIODS = {"after1950": PERIODS["after1950"], "early": PERIODS["early"], "late": PERIODS["late"],
                      "all": (FIRST_YEAR, LAST_YEAR)}


def require_columns(df: pd.DataFrame, columns, what: str) -> pd.DataFrame:
    """Raise ``ValueError`` naming ``what`` and every column of ``columns`` that ``df`` lacks.

    Parameters
    ----------
    df : DataFrame
        The table to check.
    columns : iterable of str
        The columns it must have.
    what : str
        The table's name in the message.

    Returns
    -------
    DataFrame
        ``df`` unchanged.

    Raises
    ------
    ValueError
        If a column is missing.
    """
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValueError(f"{what} lacks the column(s) {', '.join(missing)}; is it the right file "
                         "(see data/sources.toml)?")
    return df


#: IGO-level columns of the IGO-year file; every other column is a state.
IGO_COLUMNS = ("ioname", "orgname", "year", "sdate", "deaddate", "dead", "integrated", "replaced",
               "longorgname", "ionum", "igocode", "version", "accuracyofpre1965membershipdates",
               "sourcesandnotes", "imputed", "political", "social", "economic")

#: Polity5 country codes that differ from COW's, mapped all at once (a swap is
#: intended: Polity's 341 is Kosovo, COW's 341 is Montenegro).
POLITY_TO_COW = {
    364: 365,  # USSR -> COW Russia/USSR
    529: 530,  # Ethiopia (Polity code from 1993)
    769: 770,  # Pakistan before 1972
    818: 816,  # Vietnam (unified, from 1976)
    347: 345,  # Yugoslavia / Serbia and Montenegro 1991-2006 -> COW Yugoslavia/Serbia
    342: 345,  # Serbia from 2006
    348: 341,  # Montenegro
    341: 347,  # Kosovo
    525: 626,  # South Sudan
    626: 625,  # Sudan-North from 2011 -> COW Sudan
}


# --------------------------------------------------------------------------- states
def state_columns(igo_year: pd.DataFrame) -> list[str]:
    """The state columns of the IGO-year file (every column that is not IGO-level).

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file (IGO-level columns, then one column per state).

    Returns
    -------
    list of str
        The state names, in file order.
    """
    return [c for c in igo_year.columns if c not in IGO_COLUMNS]


def state_codes(state_year: pd.DataFrame) -> pd.Series:
    """Map each COW IGO state name (``usa``, ``uk``, ...) to its COW country code.

    Parameters
    ----------
    state_year : DataFrame
        The COW state-year file (``state, ccode``).

    Returns
    -------
    Series
        COW code indexed by state name.

    Raises
    ------
    ValueError
        If a name has more than one code in the state-year file.
    """
    require_columns(state_year, ["state", "ccode"], "the state-year file")
    pairs = state_year[["state", "ccode"]].dropna().drop_duplicates()
    dup = pairs[pairs.duplicated("state", keep=False)]
    if not dup.empty:
        raise ValueError(f"state names with several COW codes: {sorted(dup.state.unique())}")
    return pairs.set_index("state")["ccode"].astype("int64").sort_index()


def system_membership(states: pd.DataFrame, *, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    """Expand COW state-system membership spells to (ccode, year) rows within [first, last].

    Parameters
    ----------
    states : DataFrame
        COW State System Membership (``ccode, styear, endyear``).
    first, last : int
        The years to keep.

    Returns
    -------
    DataFrame
        ``ccode, year``, one row per member-year.
    """
    require_columns(states, ["ccode", "styear", "endyear"], "the state system membership file")
    lo = states["styear"].clip(lower=first).to_numpy()
    hi = states["endyear"].clip(upper=last).to_numpy()
    keep = hi >= lo
    n = (hi - lo + 1)[keep]
    ccode = np.repeat(states["ccode"].to_numpy()[keep], n)
    start = np.repeat(lo[keep], n)
    offset = np.arange(n.sum()) - np.repeat(np.cumsum(n) - n, n)
    out = pd.DataFrame({"ccode": ccode.astype("int64"), "year": (start + offset).astype("int64")})
    return out.drop_duplicates().sort_values(["ccode", "year"], ignore_index=True)


# --------------------------------------------------------------------------- IGOs
def igo_attributes(igo_year: pd.DataFrame) -> pd.DataFrame:
    """One row per IGO: names, issue area, first and last year in force, how it ended.

    The last year in force is ``deaddate`` when the IGO died (it is coded dead in
    that year), else the last year with a row.  Each IGO has exactly one of the
    three issue-area dummies set; anything else is an error.

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file; its IGO-level columns are read.

    Returns
    -------
    DataFrame
        ``ioname, orgname, issue_area, first_year, last_year`` and how the IGO ended, one row per IGO.
    """
    require_columns(igo_year, ["ioname", "orgname", "year", "deaddate", "dead", "integrated", "replaced",
                               *ISSUE_AREAS], "the IGO-year file")
    g = igo_year.groupby("ioname", sort=True)
    attrs = g.agg(orgname=("orgname", "first"), first_year=("year", "min"), last_row=("year", "max"),
                  deaddate=("deaddate", "max"), dead=("dead", "max"), integrated=("integrated", "max"),
                  replaced=("replaced", "max"),
                  **{a: (a, "max") for a in ISSUE_AREAS})
    n_areas = attrs[list(ISSUE_AREAS)].sum(axis=1)
    if not (n_areas == 1).all():
        bad = attrs.index[n_areas != 1].tolist()
        raise ValueError(f"IGOs without exactly one issue area (economic/political/social): {bad}")
    attrs["issue_area"] = attrs[list(ISSUE_AREAS)].idxmax(axis=1)
    attrs["last_year"] = attrs["deaddate"].fillna(attrs["last_row"]).clip(upper=attrs["last_row"])
    for c in ("first_year", "last_row", "last_year"):
        attrs[c] = attrs[c].astype("int64")
    for c in ("dead", "integrated", "replaced"):
        attrs[c] = attrs[c].fillna(0).astype(bool)
    return attrs.drop(columns=list(ISSUE_AREAS)).reset_index()


def imputed_igo_years(igo_year: pd.DataFrame) -> pd.DataFrame:
    """``ioname, year, imputed``: whether COW imputed the IGO's membership data that year (pre-1965 only).

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file, with COW's ``imputed`` flag.

    Returns
    -------
    DataFrame
        ``ioname, year, imputed`` (bool).
    """
    require_columns(igo_year, ["ioname", "year", "imputed"], "the IGO-year file")
    out = igo_year[["ioname", "year", "imputed"]].copy()
    out["year"] = out["year"].astype("int64")
    out["imputed"] = out["imputed"].fillna(0).astype(bool)
    return out


def end_of_data(attrs: pd.DataFrame) -> int:
    """The last year of the IGO file: an IGO whose record merely reaches it has not ended.

    Parameters
    ----------
    attrs : DataFrame
        :func:`igo_attributes` (``last_row``, or else ``last_year``).

    Returns
    -------
    int
    """
    return int(attrs["last_row"].max()) if "last_row" in attrs else int(attrs["last_year"].max())


def ends_soon(last_year, year, horizon: int, end: int):
    """Whether an IGO that is in force in ``year`` ends within ``horizon`` years of it.

    The condition of the flag ``igo_ends_soon`` (:func:`backlash.withdrawal.candidate_transitions`)
    and of the IGO-years it hides (:func:`igos_in_force`): ``last_year <= year + horizon``, and
    ``last_year`` is an end, not the end of the data (``last_year < end``).

    Parameters
    ----------
    last_year, year : array-like of int
        Broadcast together.
    horizon : int
        Years ahead.
    end : int
        :func:`end_of_data`.

    Returns
    -------
    array-like of bool
    """
    return (last_year <= year + horizon) & (last_year < end)


def igos_in_force(attrs: pd.DataFrame, imputed: pd.DataFrame | None = None, *, first: int = FIRST_YEAR,
                  last: int = LAST_YEAR, ending_within: int | None = None) -> pd.DataFrame:
    """Number of IGOs in force each year, in total and by issue area (``igo_panel.csv``).

    An IGO is in force in year t when ``first_year <= t <= last_year``.  With
    ``imputed``, also the IGOs in force in t whose membership COW imputed in t-1 or
    t: the IGO-years in which a rule that drops imputed years cannot see a withdrawal
    (the flag ``imputed`` of :func:`backlash.withdrawal.candidate_transitions`).  With
    ``ending_within``, also the IGOs in force in t that end within that many years
    (:func:`ends_soon`, the flag ``igo_ends_soon``), and, with both, the IGOs that are both.

    Parameters
    ----------
    attrs : DataFrame
        :func:`igo_attributes`.
    imputed : DataFrame, optional
        :func:`imputed_igo_years`.
    first, last : int
        The years of the panel.
    ending_within : int, optional
        The horizon of :func:`ends_soon`.

    Returns
    -------
    DataFrame
        ``year, n_igos``, one count per issue area and, with ``imputed``, ``n_igos_imputed``; with
        ``ending_within``, ``n_igos_ending``, and with both, ``n_igos_imputed_ending``.
    """
    years = np.arange(first, last + 1)
    alive = (attrs["first_year"].to_numpy()[:, None] <= years) & (years <= attrs["last_year"].to_numpy()[:, None])
    out = pd.DataFrame({"year": years, "n_igos": alive.sum(axis=0)})
    for area in ISSUE_AREAS:
        out[f"n_{area}"] = alive[(attrs["issue_area"] == area).to_numpy()].sum(axis=0)
    if imputed is not None:
        flags = (imputed[imputed["imputed"]].assign(v=True)
                 .pivot_table(index="ioname", columns="year", values="v", aggfunc="any")
                 .reindex(index=attrs["ioname"], columns=np.arange(first - 1, last + 1)).fillna(False)
                 .to_numpy(dtype=bool))
        imputed_years = alive & (flags[:, 1:] | flags[:, :-1])
        out["n_igos_imputed"] = imputed_years.sum(axis=0)
    if ending_within is not None:
        ending = alive & ends_soon(attrs["last_year"].to_numpy()[:, None], years, ending_within, end_of_data(attrs))
        out["n_igos_ending"] = ending.sum(axis=0)
        if imputed is not None:
            out["n_igos_imputed_ending"] = (ending & imputed_years).sum(axis=0)
    return out


def membership_matrix(igo_year: pd.DataFrame, codes: pd.Series) -> tuple[np.ndarray, list[str], np.ndarray]:
    """The IGO-year file's state columns as one ``int8`` array (rows as in the file).

    Returns the status array (-1 restored where the R file has a missing value),
    the state names of its columns and their COW country codes.

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file, in any row order.
    codes : Series
        :func:`state_codes`.

    Returns
    -------
    (values, states, ccodes) : tuple
        The ``int8`` status array, the state names of its columns and their COW codes.

    Raises
    ------
    ValueError
        If a state column has no COW code in ``codes`` (all such names are listed),
        or a cell holds a code the codebook does not define.
    """
    states = state_columns(igo_year)
    unknown = sorted(set(states) - set(codes.index))
    if unknown:
        raise ValueError(f"state column names with no COW country code: {', '.join(unknown)}. "
                         "Add them to the state-year file's mapping or check the input file.")
    values = igo_year[states].to_numpy(dtype=float)
    values = np.where(np.isnan(values), NOT_SYSTEM_MEMBER, values)
    bad = ~np.isin(values, list(STATUS_LABELS))
    if bad.any():
        raise ValueError(f"unknown membership codes {sorted(np.unique(values[bad]).tolist())} in the IGO-year file")
    return values.astype("int8"), states, codes.loc[states].to_numpy()


def membership_panel(igo_year: pd.DataFrame, codes: pd.Series, status=None) -> pd.DataFrame:
    """Tidy membership panel: one row per IGO, state and year with the COW status code.

    Columns ``ioname, state, ccode, year, status`` (int8; -1 restored where the
    R file has a missing value).  Built by reshaping the whole array at once.
    With ``status`` (a tuple of codes), only the cells with one of those codes are
    kept, in the same order (e.g. ``(1,)``: the full memberships, a tenth of the rows).

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file (one row per IGO and year).
    codes : Series
        COW code of each state column (:func:`state_codes`).
    status : tuple of int, optional
        Keep only cells with one of these codes.

    Returns
    -------
    DataFrame
        ``ioname, state, ccode, year, status``.

    Raises
    ------
    ValueError
        If a state column has no COW code in ``codes`` (all such names are listed).
    """
    values, states, ccodes = membership_matrix(igo_year, codes)
    n_igo_years, n_states = values.shape
    if status is not None:
        rows, cols = np.nonzero(np.isin(values, status))
        return pd.DataFrame({
            "ioname": igo_year["ioname"].to_numpy(dtype=object)[rows],
            "state": np.asarray(states, dtype=object)[cols],
            "ccode": ccodes[cols],
            "year": igo_year["year"].to_numpy().astype("int64")[rows],
            "status": values[rows, cols],
        })
    return pd.DataFrame({
        "ioname": np.repeat(igo_year["ioname"].to_numpy(dtype=object), n_states),
        "state": np.tile(np.asarray(states, dtype=object), n_igo_years),
        "ccode": np.tile(ccodes, n_igo_years),
        "year": np.repeat(igo_year["year"].to_numpy().astype("int64"), n_states),
        "status": values.ravel(),
    })


# --------------------------------------------------------------------------- regimes
def regime_panel(polity: pd.DataFrame, system: pd.DataFrame, *,
                 threshold: float = DEMOCRACY_THRESHOLD) -> tuple[pd.DataFrame, dict]:
    """Regime type of every COW system member-year: ``ccode, year, polity, polity2, democracy``.

    Polity5 codes are mapped to COW codes with :data:`POLITY_TO_COW`; where a
    state changes Polity code within a year (e.g. Ethiopia 1993) the successor
    unit's row is kept.  ``democracy`` is 1 when polity2 >= ``threshold`` (7, the
paper's footnote 4), 0 below it,
    and missing when the state has no polity2 that year: states Polity5 does not
    cover (mostly micro-states) and foreign-occupation years (polity = -66, which
    polity2 leaves missing).  Interregnum (-77) and transition (-88) years keep
    the polity2 value Polity5 assigns (0 and an interpolation).

    Parameters
    ----------
    polity : DataFrame
        The Polity5 file.
    system : DataFrame
        :func:`system_membership`.
    threshold : float
        The polity2 cut-off for a democracy.

    Returns
    -------
    panel : DataFrame
    counts : dict
        How many member-years fall in each of those cases (for the paper).
    """
    require_columns(polity, ["ccode", "year", "polity", "polity2", "scode"], "the Polity5 file")
    p = polity[["ccode", "scode", "year", "polity", "polity2"]].copy()
    p["ccode"] = p["ccode"].replace(POLITY_TO_COW).astype("int64")
    starts = p.groupby("scode")["year"].transform("min")
    p = (p.assign(_start=starts).sort_values(["ccode", "year", "_start"])
          .drop_duplicates(["ccode", "year"], keep="last"))
    panel = system.merge(p[["ccode", "year", "polity", "polity2"]], on=["ccode", "year"], how="left",
                         validate="one_to_one")
    panel["democracy"] = (panel["polity2"] >= threshold).astype("Int64")
    panel.loc[panel["polity2"].isna(), "democracy"] = pd.NA
    counts = {
        "member_years": int(len(panel)),
        "states": int(panel["ccode"].nunique()),
        "no_polity_row": int(panel["polity"].isna().sum()),
        "states_never_scored": int(panel.groupby("ccode")["polity"].apply(lambda s: s.isna().all()).sum()),
        "foreign_occupation_minus66": int((panel["polity"] == -66).sum()),
        "interregnum_minus77": int((panel["polity"] == -77).sum()),
        "transition_minus88": int((panel["polity"] == -88).sum()),
        "transition_without_polity2": int(((panel["polity"] == -88) & panel["polity2"].isna()).sum()),
        "missing_polity2": int(panel["polity2"].isna().sum()),
        "democracy_years": int((panel["democracy"] == 1).sum()),
        "nondemocracy_years": int((panel["democracy"] == 0).sum()),
        "polity_codes_remapped": len(POLITY_TO_COW),
    }
    panel = panel.sort_values(["ccode", "year"], ignore_index=True)
    return panel[["ccode", "year", "polity", "polity2", "democracy"]], counts


def spells(panel: pd.DataFrame, mask: pd.Series, names: pd.Series) -> list[str]:
    """The state-years selected by ``mask`` as runs of consecutive years: ``["India 1947-1951", ...]``.

    ``names`` maps COW codes to state names.

    Parameters
    ----------
    panel : DataFrame
        Rows with ``ccode, year``.
    mask : Series of bool
        The rows to report.
    names : Series
        State name indexed by COW code.

    Returns
    -------
    list of str
        ``"<state> <first>-<last>"`` per run (one year alone as ``"<state> <year>"``).
    """
    rows = panel.loc[mask, ["ccode", "year"]].sort_values(["ccode", "year"])
    out = []
    for ccode, g in rows.groupby("ccode", sort=False):
        years = g["year"].to_numpy()
        breaks = np.flatnonzero(np.diff(years) != 1) + 1
        for run in np.split(years, breaks):
            span = f"{run[0]}" if len(run) == 1 else f"{run[0]}-{run[-1]}"
            out.append(f"{names.get(ccode, str(ccode))} {span}")
    return out
