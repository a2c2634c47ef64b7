r"""Democracy by the measures of :data:`MEASURES`: Polity5 (the paper's), Boix–Miller–Rosato, V-Dem and LIED.

The paper calls a state a democracy when its Polity5 ``polity2`` score is at
least 7.  Polity5 ends in 2018 and is no longer updated, so the package can
rebuild every regime-type result under other common measures, each keyed by
COW country codes.  Each measure is declared once, as an entry of
:data:`MEASURES`: its name, score, default cut-off and the reason for it, the
score's range, how the data dictionary describes it, and the raw file and
columns it is read from.  The choice check of ``make``, the measures panel,
the robustness tables, Figure 7, the verdicts and the data dictionary iterate
over that mapping, so a new measure is one entry (and, when it reads a new
file, that file's entry in ``data/sources.toml``).

Why the default cut-offs (the ``reason`` of each entry): 0.5 on V-Dem's
polyarchy index is the necessary condition for an electoral democracy in the
Regimes of the World classification (Lührmann, Tannenberg and Lindberg 2018);
level 5 of LIED is the first level with competitive multiparty elections for
both branches and universal male suffrage (level 6 adds female suffrage, which
would make Switzerland a nondemocracy until 1971).  LIED codes the United
States at level 4 until 1965, because of the restrictions on voting in the
South, so under LIED the United States is a nondemocracy in 1945-1964.  A user
can move any cut-off (``make all DEMOCRACY=vdem DEMOCRACY_THRESHOLD=0.6``).

The alternative files come from the democracyData R package, which adds a
harmonized COW code (``cown``) to each.  Where two units share a COW code in a
year (e.g. North and South Vietnam before 1976 in LIED, Serbia and the Federal
Republic of Yugoslavia in 2006 in BMR), the unit whose own code equals the COW
code is kept; rows without a COW code (e.g. Somaliland, Palestine) are left
out.  Both are counted and reported.

Pure functions on data frames; the readers are in :mod:`backlash.raw`.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from . import paths
from .choices import format_threshold, threshold_problem  # noqa: F401 (format_threshold re-exported)
from .data import DEMOCRACY_THRESHOLD, FIRST_YEAR, LAST_YEAR


@dataclass(frozen=True)
class Source:
    """Where a measure's scores come from: an R data file pinned in ``data/sources.toml``.

    Attributes
    ----------
    raw : str
        The file, relative to ``data/raw`` (e.g. :data:`backlash.paths.VDEM`).
    table : str
        The R object the file holds.
    label : str
        The column naming each unit (for the report's crosswalk sentence).
    unit : str
        The provider's own country code; where two units share a COW code in a year, the one
        whose own code equals it is kept.
    score : str
        The column holding the score.
    """

    raw: str
    table: str
    label: str
    unit: str
    score: str

    @property
    def columns(self) -> list[str]:
        """The columns read: ``label, unit, cown, year, score``.

        Returns
        -------
        list of str
        """
        return [self.label, self.unit, "cown", "year", self.score]


@dataclass(frozen=True)
class Measure:
    """A democracy measure and the rule that dichotomizes it, declared once in :data:`MEASURES`.

    The choice check of ``make`` reads ``key``, ``name``, ``column`` and ``domain`` from the
    source without importing this module, so each entry writes them as literals.

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
    domain : (float, float)
        Range of the score; a cut-off must lie in it.
    reason : str
        Why the default cut-off, in one sentence.
    description : str
        The score in words (the data dictionary's description of ``column``).
    dtype : {"integer", "float"}
        The score's type in the data dictionary.
    unit : str
        The score's unit in the data dictionary.
    source : Source or None
        The raw file and columns it is read from; ``None`` for Polity5, which comes with the
        regime panel (:func:`backlash.data.regime_panel`, with Polity's own crosswalk).
    """

    key: str
    name: str
    column: str
    threshold: float
    strict: bool
    domain: tuple[float, float]
    reason: str
    description: str
    dtype: str = "float"
    unit: str = "-"
    source: Source | None = None

    @property
    def dichotomous(self) -> bool:
        """Whether the score is already 0 or 1.

        Returns
        -------
        bool
        """
        return self.dtype == "integer" and tuple(self.domain) == (0, 1)

    @property
    def scale(self) -> str:
        """The score's range in words (``"0 to 6"``, ``"0 or 1"``).

        Returns
        -------
        str
        """
        lo, hi = self.domain
        return f"{lo} or {hi}" if self.dichotomous else f"{lo} to {hi}"

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
        if self.dichotomous and float(t) == 1 and not self.strict:
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


def measure_table(*measures: Measure) -> "OrderedDict[str, Measure]":
    """The measures keyed by ``key``, in the order given (keys and columns must be unique).

    Parameters
    ----------
    *measures : Measure

    Returns
    -------
    OrderedDict of str to Measure
    """
    table = OrderedDict((m.key, m) for m in measures)
    if len(table) != len(measures) or len({m.column for m in measures}) != len(measures):
        raise ValueError("two democracy measures share a key or a score column")
    return table


#: The measures, in the order the report lists them; each is declared here and nowhere else.
MEASURES: "OrderedDict[str, Measure]" = measure_table(
    Measure(key="polity", name="Polity5", column="polity2", threshold=DEMOCRACY_THRESHOLD, strict=False,
            domain=(-10, 10), reason="the paper's definition (its footnote 4)",
            description="Polity5 combined polity score", unit="Polity scale"),
    Measure(key="bmr", name="Boix–Miller–Rosato", column="bmr", threshold=1, strict=False, domain=(0, 1),
            reason="the measure is dichotomous as published (contested elections and a majority of men "
                   "enfranchised)",
            description="Boix-Miller-Rosato democracy indicator", dtype="integer",
            source=Source(paths.BMR, "bmr", label="bmr_country", unit="bmr_ccode", score="democracy")),
    Measure(key="vdem", name="V-Dem", column="v2x_polyarchy", threshold=0.5, strict=True, domain=(0, 1),
            reason="above 0.5 is the necessary condition for an electoral democracy in the Regimes of the World "
                   "classification",
            description="V-Dem electoral democracy index", unit="index",
            source=Source(paths.VDEM, "vdem_simple", label="vdem_country_name", unit="vdem_cowcode",
                          score="v2x_polyarchy")),
    Measure(key="lied", name="LIED", column="lexical_index", threshold=5, strict=False, domain=(0, 6),
            reason="level 5 is the first with competitive multiparty elections and universal male suffrage",
            description="LIED lexical index of electoral democracy", dtype="integer", unit="level",
            source=Source(paths.LIED, "LIED", label="lied_country", unit="lied_cow", score="lexical_index")),
)
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

    The same check, with the same message, stops ``make`` before any work
    (:func:`backlash.choices.threshold_problem`).

    Parameters
    ----------
    measure : Measure
    threshold : float
        The cut-off asked for.

    Returns
    -------
    float
    """
    problem = threshold_problem(threshold, measure=measure.name, column=measure.column, domain=measure.domain)
    if problem:
        raise ValueError(problem)
    return float(threshold)


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


def measures_panel(polity_regime: pd.DataFrame, tables: Mapping[str, pd.DataFrame]) -> tuple[pd.DataFrame, dict]:
    """Every COW system member-year with its score under each measure.

    Parameters
    ----------
    polity_regime : DataFrame
        :func:`backlash.data.regime_panel`'s panel (``ccode, year, polity, polity2``
        for every member-year; Polity's own crosswalk already applied).
    tables : mapping of str to DataFrame
        The file of each measure that has a :class:`Source`, by key, as read by
        :func:`backlash.raw.read_source`.

    Returns
    -------
    panel : DataFrame
        ``ccode, year, polity, polity2`` and the score of every other measure (its ``column``).
    coverage : dict
        Per measure: ``member_years_with_score``, ``states_never_scored`` and the
        crosswalk cases of :func:`cow_keyed`.
    """
    panel = polity_regime[["ccode", "year", "polity", "polity2"]].copy()
    coverage = {}
    for key, m in MEASURES.items():
        if m.source is None:
            continue
        keyed, cases = cow_keyed(tables[key], m.source.unit, m.source.score, m.column)
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
