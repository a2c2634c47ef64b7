r"""Democracy by four measures: Polity5 (the paper's), Boix–Miller–Rosato, V-Dem and LIED.

The paper calls a state a democracy when its Polity5 ``polity2`` score is at
least 7.  Polity5 ends in 2018 and is no longer updated, so the package can
rebuild every regime-type result under three other common measures, each keyed
by COW country codes:

========  ==========================================  =====================================
key       measure (column)                            democracy when
========  ==========================================  =====================================
polity    Polity5 combined score (``polity2``)        polity2 >= 7 (the paper, footnote 4)
bmr       Boix–Miller–Rosato (``democracy``, 0/1)     coded 1 (dichotomous as published)
vdem      V-Dem electoral democracy (``v2x_polyarchy``)  polyarchy > 0.5
lied      Lexical Index of Electoral Democracy         lexical_index >= 5
========  ==========================================  =====================================

Why these cut-offs: 0.5 on V-Dem's polyarchy index is the necessary condition
for an electoral democracy in the Regimes of the World classification
(Lührmann, Tannenberg and Lindberg 2018); level 5 of LIED is the first level
with competitive multiparty elections for both branches and universal male
suffrage (level 6 adds female suffrage, which would make Switzerland a
nondemocracy until 1971).  LIED codes the United States at level 4 until 1965,
because of the restrictions on voting in the South, so under LIED the United
States is a nondemocracy in 1945-1964.  A user can move any cut-off
(``make all DEMOCRACY=vdem DEMOCRACY_THRESHOLD=0.6``).

All three alternative files come from the democracyData R package, which adds a
harmonized COW code (``cown``) to each.  Where two units share a COW code in a
year (e.g. North and South Vietnam before 1976 in LIED, Serbia and the Federal
Republic of Yugoslavia in 2006 in BMR), the unit whose own code equals the COW
code is kept; rows without a COW code (e.g. Somaliland, Palestine) are left
out.  Both are counted and reported.

Pure functions on data frames; the readers are in :mod:`backlash.raw`.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import DEMOCRACY_THRESHOLD, FIRST_YEAR, LAST_YEAR


@dataclass(frozen=True)
class Measure:
    """A democracy measure and the rule that dichotomizes it.

    Attributes
    ----------
    key : str
        Short name used by ``make all DEMOCRACY=<key>``.
    name : str
        Name as the report writes it.
    column : str
        Column of :func:`measures_panel` holding the score.
    threshold : float
        Default cut-off.
    strict : bool
        Democracy when the score is above the cut-off (``True``) or at or above it.
    scale : str
        Range of the score, in words.
    reason : str
        Why this cut-off, in one sentence.
    """

    key: str
    name: str
    column: str
    threshold: float
    strict: bool
    scale: str
    reason: str

    def rule(self, threshold: float | None = None) -> str:
        """The dichotomization in words, at the precision given: ``"polity2 ≥ 7"``, ``"v2x_polyarchy > 0.5"``.

        Parameters
        ----------
        threshold : float, optional
            The cut-off (default: the measure's own).

        Returns
        -------
        str
        """
        t = self.threshold if threshold is None else threshold
        if self.scale == "0 or 1" and float(t) == 1 and not self.strict:
            return f"{self.column} = 1"
        return f"{self.column} {'>' if self.strict else '≥'} {format_threshold(t)}"

    def indicator(self, score: pd.Series, threshold: float | None = None) -> pd.Series:
        """1 where ``score`` meets the rule, 0 where it does not, missing where the score is.

        Parameters
        ----------
        score : Series
            The measure's scores.
        threshold : float, optional
            The cut-off (default: the measure's own).

        Returns
        -------
        Series
            Nullable integer 0/1.
        """
        t = self.threshold if threshold is None else threshold
        values = score.to_numpy(dtype=float)
        with np.errstate(invalid="ignore"):
            hit = values > t if self.strict else values >= t
        out = pd.Series(hit.astype("int64"), index=score.index).astype("Int64")
        out[np.isnan(values)] = pd.NA
        return out


def format_threshold(t: float) -> str:
    """A cut-off as typed: ``7`` not ``7.0``, ``0.55`` not ``0.6``.

    Parameters
    ----------
    t : float
        A cut-off.

    Returns
    -------
    str
    """
    return f"{t:g}" if float(t) != int(t) else str(int(t))


#: The keys of the measures (``make all DEMOCRACY=<key>``; read by ``choices.py`` without an import).
MEASURE_KEYS = ("polity", "bmr", "vdem", "lied")

#: The measures, in the order the report lists them.
MEASURES: "OrderedDict[str, Measure]" = OrderedDict((m.key, m) for m in (
    Measure("polity", "Polity5", "polity2", DEMOCRACY_THRESHOLD, False, "-10 to 10",
            "the paper's definition (its footnote 4)"),
    Measure("bmr", "Boix–Miller–Rosato", "bmr", 1, False, "0 or 1",
            "the measure is dichotomous as published (contested elections and a majority of men enfranchised)"),
    Measure("vdem", "V-Dem", "v2x_polyarchy", 0.5, True, "0 to 1",
            "above 0.5 is the necessary condition for an electoral democracy in the Regimes of the World "
            "classification"),
    Measure("lied", "LIED", "lexical_index", 5, False, "0 to 6",
            "level 5 is the first with competitive multiparty elections and universal male suffrage"),
))
if tuple(MEASURES) != MEASURE_KEYS:  # pragma: no cover - a programming error, caught at import
    raise RuntimeError("MEASURE_KEYS must list the keys of MEASURES in order")
DEFAULT_MEASURE = "polity"


def get_measure(key: str) -> Measure:
    """The measure named ``key``; ``ValueError`` listing the choices otherwise.

    Parameters
    ----------
    key : str
        A key of :data:`MEASURES`.

    Returns
    -------
    Measure
    """
    if key not in MEASURES:
        raise ValueError(f"unknown democracy measure {key!r}; choose one of {', '.join(MEASURES)} "
                         "(make all DEMOCRACY=<measure>)")
    return MEASURES[key]


def check_threshold(measure: Measure, threshold: float) -> float:
    """``threshold`` as a float inside the measure's range; ``ValueError`` naming the range otherwise.

    Parameters
    ----------
    measure : Measure
    threshold : float
        The cut-off asked for.

    Returns
    -------
    float
    """
    lo, hi = {"polity": (-10, 10), "bmr": (0, 1), "vdem": (0, 1), "lied": (0, 6)}[measure.key]
    try:
        t = float(threshold)
    except (TypeError, ValueError):
        t = float("nan")
    if not lo <= t <= hi:  # False for NaN too
        shown = format_threshold(t) if t == t and abs(t) != float("inf") else repr(threshold)
        raise ValueError(f"DEMOCRACY_THRESHOLD={shown} is not a cut-off within the range of {measure.name}'s "
                         f"{measure.column} ({lo} to {hi}); choose one in that range, or run "
                         "`make all DEMOCRACY_THRESHOLD=` to return to the measure's default. (The cut-off is "
                         "remembered separately from DEMOCRACY, so it also applies after a change of measure.)")
    return t


def cow_keyed(table: pd.DataFrame, own_code: str, column: str, name: str, first: int = FIRST_YEAR,
              last: int = LAST_YEAR) -> tuple[pd.DataFrame, dict]:
    """One row per COW code and year with the measure's ``column``, and what the crosswalk did.

    Parameters
    ----------
    table : DataFrame
        The measure's file, with ``cown`` (COW code), ``year``, ``own_code`` and ``column``.
    own_code : str
        The provider's own country code; where two units share a COW code in a
        year, the one whose own code equals it is kept (else the first listed).
    column : str
        The score.
    name : str
        Column name of the score in the result.

    Returns
    -------
    frame : DataFrame
        ``ccode, year, <name>``.
    cases : dict
        ``rows_without_cow_code`` and ``units_without_cow_code`` (names of the
        first column), ``duplicate_rows_dropped`` and ``duplicate_units``.
    """
    t = table[table["year"].between(first, last)].copy()
    label = t.columns[0]
    no_code = t["cown"].isna()
    cases = {"rows_without_cow_code": int(no_code.sum()),
             "units_without_cow_code": sorted(map(str, t.loc[no_code, label].unique()))}
    t = t[~no_code]
    t["ccode"] = t["cown"].astype("int64")
    t["year"] = t["year"].astype("int64")
    t["_own"] = (t[own_code] == t["cown"]).astype(int)
    t = t.sort_values(["ccode", "year", "_own"], ascending=[True, True, False], kind="stable")
    dup = t.duplicated(["ccode", "year"], keep="first")
    cases["duplicate_rows_dropped"] = int(dup.sum())
    cases["duplicate_units"] = sorted(map(str, t.loc[dup, label].unique()))
    out = t.loc[~dup, ["ccode", "year", column]].rename(columns={column: name})
    return out.reset_index(drop=True), cases


def measures_panel(polity_regime: pd.DataFrame, bmr: pd.DataFrame, vdem: pd.DataFrame,
                   lied: pd.DataFrame) -> tuple[pd.DataFrame, dict]:
    """Every COW system member-year with its score under each measure.

    Parameters
    ----------
    polity_regime : DataFrame
        :func:`backlash.data.regime_panel`'s panel (``ccode, year, polity, polity2``
        for every member-year; Polity's own crosswalk already applied).
    bmr, vdem, lied : DataFrame
        The three files as read by :mod:`backlash.raw`.

    Returns
    -------
    panel : DataFrame
        ``ccode, year, polity, polity2, bmr, v2x_polyarchy, lexical_index``.
    coverage : dict
        Per measure: ``member_years_with_score``, ``states_never_scored`` and the
        crosswalk cases of :func:`cow_keyed`.
    """
    panel = polity_regime[["ccode", "year", "polity", "polity2"]].copy()
    coverage = {}
    for key, table, own, col in (("bmr", bmr, "bmr_ccode", "democracy"), ("vdem", vdem, "vdem_cowcode", "v2x_polyarchy"),
                                 ("lied", lied, "lied_cow", "lexical_index")):
        name = MEASURES[key].column
        keyed, cases = cow_keyed(table, own, col, name)
        panel = panel.merge(keyed, on=["ccode", "year"], how="left", validate="one_to_one")
        coverage[key] = cases
    for key, m in MEASURES.items():
        has = panel[m.column].notna()
        coverage.setdefault(key, {})
        coverage[key].update({
            "member_years_with_score": int(has.sum()),
            "member_years_without_score": int((~has).sum()),
            "states_never_scored": int((~has).groupby(panel["ccode"]).all().sum()),
        })
    return panel.sort_values(["ccode", "year"], ignore_index=True), coverage


def apply_measure(panel: pd.DataFrame, key: str = DEFAULT_MEASURE, *, threshold: float | None = None) -> pd.DataFrame:
    """The regime panel under one measure: ``ccode, year, polity, polity2, democracy``.

    ``polity`` and ``polity2`` stay Polity5's scores (the count model's
    continuous specification uses them); ``democracy`` follows the chosen measure
    and cut-off, and is missing where that measure has no score.

    Parameters
    ----------
    panel : DataFrame
        The measures panel (:func:`measures_panel`).
    key : str
        The measure.
    threshold : float, optional
        Its cut-off (default: the measure's own).

    Returns
    -------
    DataFrame
    """
    m = get_measure(key)
    t = m.threshold if threshold is None else check_threshold(m, threshold)
    out = panel[["ccode", "year", "polity", "polity2"]].copy()
    out["democracy"] = m.indicator(panel[m.column], t)
    return out


def indicators(panel: pd.DataFrame) -> pd.DataFrame:
    """``ccode, year`` and one 0/1 column per measure at its default cut-off (named by the key).

    Parameters
    ----------
    panel : DataFrame
        The measures panel (:func:`measures_panel`).

    Returns
    -------
    DataFrame
    """
    out = panel[["ccode", "year"]].copy()
    for key, m in MEASURES.items():
        out[key] = m.indicator(panel[m.column])
    return out


def regime_coverage(regime: pd.DataFrame, coverage: dict, key: str = DEFAULT_MEASURE, *,
                    threshold: float | None = None) -> dict:
    """The report's regime accounting under the chosen measure (``regime_coverage.json``).

    Keeps Polity5's accounting (``coverage["polity"]``, from
    :func:`backlash.data.regime_panel`) and adds the chosen measure, its rule,
    and how many member-years are democracies, nondemocracies and unscored.

    Parameters
    ----------
    regime : DataFrame
        The regime panel under the chosen measure (:func:`apply_measure`).
    coverage : dict
        The accounting of :func:`backlash.data.regime_panel`.
    key : str
        The chosen measure.
    threshold : float, optional
        Its cut-off.

    Returns
    -------
    dict
    """
    m = get_measure(key)
    t = m.threshold if threshold is None else check_threshold(m, threshold)
    polity = {k: v for k, v in coverage["polity"].items()
              if k not in ("democracy_years", "nondemocracy_years", "member_years_with_score",
                           "member_years_without_score")}
    return {**polity, "measure": m.key, "measure_name": m.name, "rule": m.rule(t), "threshold": t,
            "democracy_years": int((regime["democracy"] == 1).sum()),
            "nondemocracy_years": int((regime["democracy"] == 0).sum()),
            "missing_democracy": int(regime["democracy"].isna().sum())}
