"""Withdrawals from IGOs: the definition, its candidate transitions and the rules.

Pure functions on the panels built by :mod:`backlash.data`.

The ``basic`` rule (codebook meaning of the codes)
--------------------------------------------------
State s withdraws from IGO i in year t (``year``; ``last_member_year = t - 1``)
when s is a full member (1) in t-1 and coded "no membership" (0) in t, the IGO is
still in force in t, and s is still a COW system member in t.

Candidate transitions carry one flag per feature that may separate a voluntary
exit from coding noise, succession or expulsion.  The main chain of
:data:`RULES` (:data:`NESTED_CHAIN`) adds one filter at a time to ``plain`` and
``basic``, so each of its rules keeps a subset of the one before; ``any_status``
(all statuses) and ``no_reentry_2y`` are side variants.  The rule used when none
is chosen is :data:`DEFAULT_RULE` (``no_imputed``).  The counts under every rule
are :func:`sensitivity_table` (the report's Table 1).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import FIRST_YEAR, ISSUE_AREAS, LAST_YEAR, end_of_data, ends_soon, membership_matrix

SPLIT_YEAR = 1980  # the paper contrasts withdrawals before and after 1980
SEAM_YEAR = 1965  # the first year of COW's post-1965 data, merged with the older (archival or imputed) data
MASS_EXIT_SHARE = 0.5  # "most of the members leaving at once"
MASS_EXIT_MIN = 3
STATE_MASS_MIN = 4  # a state leaving this many IGOs in one year: succession, suspension or recoding
HORIZON = 2  # years ahead for re-entry, IGO death and state death


def candidate_transitions(panel: pd.DataFrame, attrs: pd.DataFrame, system: pd.DataFrame,
                          imputed: pd.DataFrame, *, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    """Every move from a membership status (1, 2 or 3) in t-1 to no membership (0) in t, with flags.

    This is the definition, on the long panel of :func:`backlash.data.membership_panel`
    (one row per IGO, state and year).  The pipeline uses
    :func:`candidate_transitions_wide`, which returns the same frame from the
    IGO-year array without building the long panel.

    Flags (True means the transition has the feature):

    ``from_full``        status 1 in t-1 (else associate 2 or observer 3)
    ``igo_in_force``     the IGO is in force in t (``first_year <= t <= last_year``)
    ``state_member``     the state is a COW system member in t
    ``reentry_1y``       the state is a full member again in t+1
    ``reentry_2y``       ... in t+1 or t+2
    ``imputed``          COW imputed the IGO's pre-1965 membership in t-1 or t (``imputed`` in the data)
    ``seam_1965``        t = 1965, the year COW's yearly archival coding replaces the older sources
    ``mass_exit``        at least half (and at least 3) of the IGO's full members in t-1 leave in t
    ``state_mass_exit``  the state leaves at least 4 IGOs (from full membership) in the same year
    ``igo_ends_soon``    the IGO's last year in force is at most t+2 and before the end of the
                         data (it dies or is replaced; reaching the file's last year is not an end)
    ``state_ends_soon``  the state is not a system member in t+1 or t+2 (state succession)

    Parameters
    ----------
    panel : DataFrame
        The long membership panel (``ioname, state, ccode, year, status``).
    attrs : DataFrame
        IGO attributes (:func:`backlash.data.igo_attributes`).
    system : DataFrame
        COW system membership by ``ccode`` and ``year`` (:func:`backlash.data.system_membership`).
    imputed : DataFrame
        IGO-years whose membership COW imputed (:func:`backlash.data.imputed_igo_years`).
    first, last : int
        First and last year ``t`` of a transition.

    Returns
    -------
    DataFrame
        One row per transition, sorted by year, IGO and state, with the flags above.
    """
    io_code = pd.factorize(panel["ioname"])[0].astype(np.int64)
    st_code = pd.factorize(panel["state"])[0].astype(np.int64)
    key = io_code * (st_code.max() + 1) + st_code
    order = np.lexsort((panel["year"].to_numpy(), key))
    p = panel.iloc[order].reset_index(drop=True)
    key = key[order]
    status = p["status"].to_numpy()
    year = p["year"].to_numpy()
    same_prev = np.r_[False, (key[1:] == key[:-1]) & (year[1:] == year[:-1] + 1)]
    prev = np.r_[0, status[:-1]]

    def ahead(k: int) -> np.ndarray:
        ok = np.zeros(len(p), dtype=bool)
        ok[:-k] = (key[k:] == key[:-k]) & (year[k:] == year[:-k] + k)
        nxt = np.full(len(p), -99, dtype=np.int16)
        nxt[:-k] = status[k:]
        return np.where(ok, nxt, -99)

    is_exit = same_prev & np.isin(prev, (1, 2, 3)) & (status == 0) & (year >= first) & (year <= last)
    idx = np.flatnonzero(is_exit)
    t1, t2 = ahead(1)[idx], ahead(2)[idx]
    c = p.loc[idx, ["ioname", "state", "ccode", "year"]].reset_index(drop=True)
    c["prev_status"] = prev[idx]
    # Full members of each IGO in each year (for mass exits), indexed by the following year.
    full_prev = pd.Series(status == 1).groupby([p["ioname"], p["year"]]).sum()
    full_prev.index = full_prev.index.set_levels(full_prev.index.levels[1] + 1, level=1)
    return _flag_transitions(c, t1, t2, full_prev, attrs, system, imputed, last)


def candidate_transitions_wide(igo_year: pd.DataFrame, codes: pd.Series, attrs: pd.DataFrame,
                               system: pd.DataFrame, imputed: pd.DataFrame, *, first: int = FIRST_YEAR,
                               last: int = LAST_YEAR) -> pd.DataFrame:
    """:func:`candidate_transitions` computed on the IGO-year array (same frame, same order).

    The state columns of the IGO-year file form one ``int8`` array (one row per
    IGO and year, one column per state; :func:`backlash.data.membership_matrix`).
    With its rows sorted by IGO and year, the status in t-1, t+1 and t+2 is the
    row one above or below (when it is the same IGO in the adjacent year), so the
    transitions come from comparing shifted rows: about 4 MB of work instead of
    the 4-million-row long panel.

    Parameters
    ----------
    igo_year : DataFrame
        The IGO-year file as read (:func:`backlash.raw.read_igo_year`).
    codes : Series
        COW country code of each state column (:func:`backlash.data.state_codes`).
    attrs, system, imputed, first, last
        As in :func:`candidate_transitions`.

    Returns
    -------
    DataFrame
        The same frame as :func:`candidate_transitions`.
    """
    values, states, ccodes = membership_matrix(igo_year, codes)
    io_names = igo_year["ioname"].to_numpy(dtype=object)
    io_code = pd.factorize(igo_year["ioname"])[0].astype(np.int64)
    year = igo_year["year"].to_numpy().astype("int64")
    order = np.lexsort((year, io_code))
    values, io_code, year, io_names = values[order], io_code[order], year[order], io_names[order]
    n = len(year)

    def row_ahead(k: int) -> np.ndarray:
        """True where row r + k holds the same IGO k years later."""
        ok = np.zeros(n, dtype=bool)
        ok[:n - k] = (io_code[k:] == io_code[:n - k]) & (year[k:] == year[:n - k] + k)
        return ok

    has_prev = np.r_[False, row_ahead(1)[:-1]]
    in_window = (year >= first) & (year <= last)
    prev = np.zeros_like(values)
    prev[1:] = values[:-1]
    is_exit = (values == 0) & (prev >= 1) & (prev <= 3)
    is_exit &= (has_prev & in_window)[:, None]
    rows, cols = np.nonzero(is_exit)

    def ahead(k: int) -> np.ndarray:
        ok = row_ahead(k)[rows] if k < n else np.zeros(len(rows), dtype=bool)
        nxt = values[np.minimum(rows + k, n - 1), cols].astype(np.int16)
        return np.where(ok, nxt, -99)

    t1, t2 = ahead(1), ahead(2)
    # The long definition lists transitions by IGO, state and year before its final sort.
    first_seen = np.lexsort((year[rows], cols, io_code[rows]))
    rows, cols, t1, t2 = rows[first_seen], cols[first_seen], t1[first_seen], t2[first_seen]
    c = pd.DataFrame({"ioname": io_names[rows], "state": np.asarray(states, dtype=object)[cols],
                      "ccode": ccodes[cols], "year": year[rows]})
    c["prev_status"] = prev[rows, cols]
    full = pd.Series((values == 1).sum(axis=1), dtype="int64")
    full_prev = full.groupby([pd.Series(io_names, name="ioname"), pd.Series(year, name="year")]).sum()
    full_prev.index = full_prev.index.set_levels(full_prev.index.levels[1] + 1, level=1)
    return _flag_transitions(c, t1, t2, full_prev, attrs, system, imputed, last)


def _flag_transitions(c: pd.DataFrame, t1: np.ndarray, t2: np.ndarray, full_prev: pd.Series,
                      attrs: pd.DataFrame, system: pd.DataFrame, imputed: pd.DataFrame,
                      last: int) -> pd.DataFrame:
    """The flags of :func:`candidate_transitions` on the transitions ``c`` (status ahead ``t1, t2``)."""
    c["last_member_year"] = c["year"] - 1
    c["from_full"] = c["prev_status"] == 1
    c["reentry_1y"] = t1 == 1
    c["reentry_2y"] = (t1 == 1) | (t2 == 1)

    c = c.merge(attrs[["ioname", "orgname", "issue_area", "first_year", "last_year"]], on="ioname", how="left",
                validate="many_to_one")
    c["igo_in_force"] = (c["first_year"] <= c["year"]) & (c["year"] <= c["last_year"])
    # An IGO whose record simply reaches the end of the file is not ending: the end of the data is no event.
    c["igo_ends_soon"] = ends_soon(c["last_year"], c["year"], HORIZON, end_of_data(attrs))

    imp = imputed.set_index(["ioname", "year"])["imputed"].fillna(0).astype(bool)
    imp = imp[~imp.index.duplicated()]

    def imputed_in(years: pd.Series) -> np.ndarray:
        return imp.reindex(pd.MultiIndex.from_arrays([c["ioname"], years])).fillna(False).to_numpy(dtype=bool)

    c["imputed"] = imputed_in(c["year"] - 1) | imputed_in(c["year"])
    c["seam_1965"] = c["year"] == SEAM_YEAR

    if system["year"].max() < last + HORIZON:
        raise ValueError(f"system membership must run to {last + HORIZON} to judge state succession "
                         f"(it ends in {system['year'].max()})")
    members = pd.MultiIndex.from_frame(system[["ccode", "year"]])

    def is_member(years: pd.Series) -> np.ndarray:
        return pd.MultiIndex.from_arrays([c["ccode"], years]).isin(members)

    c["state_member"] = is_member(c["year"])
    c["state_ends_soon"] = ~np.logical_and.reduce([is_member(c["year"] + k) for k in range(1, HORIZON + 1)])

    # Mass exits: share of the IGO's full members in t-1 that drop to 0 in t.
    leaving = c[c["from_full"]].groupby(["ioname", "year"]).size()
    share = (leaving / full_prev.reindex(leaving.index)).rename("share")
    n_leave = leaving.rename("n_leaving")
    c = c.join(n_leave, on=["ioname", "year"]).join(share, on=["ioname", "year"])
    c["n_leaving"] = c["n_leaving"].fillna(0).astype("int64")
    c["mass_exit"] = (c["n_leaving"] >= MASS_EXIT_MIN) & (c["share"] >= MASS_EXIT_SHARE)
    c = c.drop(columns=["share"])
    per_state = c[c["from_full"]].groupby(["ccode", "year"]).size().rename("n_state_leaving")
    c = c.join(per_state, on=["ccode", "year"])
    c["n_state_leaving"] = c["n_state_leaving"].fillna(0).astype("int64")
    c["state_mass_exit"] = c["n_state_leaving"] >= STATE_MASS_MIN
    return c.sort_values(["year", "ioname", "ccode"], ignore_index=True)


#: What a rule that excludes a flag can hide from a rate's exposure (:attr:`Flag.hides`), and where, in words
#: (after "cannot see a withdrawal in"); :func:`backlash.claims.observed_share` has a case for each.
HIDDEN = {
    "event": None,
    "imputed IGO-years": "imputed IGO-years",
    "ending IGO-years": f"the last {HORIZON + 1} years of an IGO that ends",
    "seam year": str(SEAM_YEAR),
}
#: How a rule uses a flag (:attr:`Flag.use`).
USES = ("require", "exclude")


@dataclass(frozen=True)
class Flag:
    """A flag of :func:`candidate_transitions`: what it means, why a rule drops a lapse for it, what it hides.

    Declared once, in :data:`FLAGS`: the data dictionary, the validation's reasons, the caption of
    the sensitivity table and the exposure of the verdict on the rise from 1980
    (:func:`backlash.claims.observed_share`) read it.

    Attributes
    ----------
    name : str
        The column of the candidate transitions.
    meaning : str
        What True means (the data dictionary).
    dropped_because : str
        Why a rule drops a lapse COW shows on this flag (the validation's words): the flag False,
        for a flag rules require; True, for one they exclude.
    use : str
        ``"require"`` or ``"exclude"``: how every rule uses the flag (:class:`Rule` refuses the
        other use, for which ``dropped_because`` would say the opposite of the truth).
    hides : str
        What a rule that uses the flag cannot see, and so leaves out of the exposure of a rate (a
        key of :data:`HIDDEN`): ``"event"`` (only the lapse itself: every IGO-year stays
        observable), ``"imputed IGO-years"`` (each year's IGOs whose membership COW imputed),
        ``"ending IGO-years"`` (each year's IGOs that end within :data:`HORIZON` years) or
        ``"seam year"`` (the whole of :data:`SEAM_YEAR`).  Stated for every flag: a flag that
        hides other IGO-years needs a kind here and its case in
        :func:`backlash.claims.observed_share` and :func:`backlash.data.igos_in_force`.

    Raises
    ------
    ValueError
        For a ``use`` or ``hides`` not among :data:`USES` or :data:`HIDDEN`.
    """

    name: str
    meaning: str
    dropped_because: str
    use: str
    hides: str

    def __post_init__(self) -> None:
        if self.use not in USES:
            raise ValueError(f"flag {self.name!r}: use={self.use!r} is not one of {', '.join(USES)}")
        if self.hides not in HIDDEN:
            raise ValueError(f"flag {self.name!r}: hides={self.hides!r} is not one of {', '.join(HIDDEN)}; a flag "
                             "that hides other IGO-years needs its own kind in withdrawal.HIDDEN and its case in "
                             "backlash.claims.observed_share and backlash.data.igos_in_force")


#: Every flag of :func:`candidate_transitions`, declared once.
FLAGS: dict[str, Flag] = {f.name: f for f in (
    Flag("from_full", "status 1 (full member) in the last member year; otherwise associate (2) or observer (3)",
         "the state was an associate member or observer, not a full member, before the lapse", "require", "event"),
    Flag("igo_in_force", "the IGO is in force in `year`", "COW has the organization out of force that year",
         "require", "event"),
    Flag("state_member", "the state is a COW system member in `year`", "the state is not a COW system member that year",
         "require", "event"),
    Flag("reentry_1y", "the state is a full member again in `year`+1",
         "COW codes the state as a full member again the next year", "exclude", "event"),
    Flag("reentry_2y", "the state is a full member again in `year`+1 or `year`+2",
         "COW codes the state as a full member again within two years", "exclude", "event"),
    Flag("imputed", "COW imputed the IGO's pre-1965 membership in the last member year or in `year`",
         "COW imputed the organization's pre-1965 membership in that year or the year before", "exclude",
         "imputed IGO-years"),
    Flag("seam_1965", f"`year` is {SEAM_YEAR}, when COW's yearly coding replaces the five-yearly sources",
         f"the lapse falls in {SEAM_YEAR}, the year COW's sources change", "exclude", "seam year"),
    Flag("mass_exit", f"at least {MASS_EXIT_SHARE:.0%} (and at least {MASS_EXIT_MIN}) of the IGO's full members "
         "leave in the same year",
         f"at least {MASS_EXIT_SHARE:.0%} (and {MASS_EXIT_MIN}) of the organization's full members lapse the same year",
         "exclude", "event"),
    Flag("state_mass_exit", f"the state leaves at least {STATE_MASS_MIN} IGOs (from full membership) in the same year",
         f"the state lapses from {STATE_MASS_MIN} or more organizations the same year", "exclude", "event"),
    Flag("igo_ends_soon", f"the IGO's last year in force is at most `year`+{HORIZON}, before the end of the data",
         f"COW's record of the organization ends within {HORIZON} years (reaching the end of the data, "
         f"{LAST_YEAR}, is not an end)", "exclude", "ending IGO-years"),
    Flag("state_ends_soon", f"the state is not a system member in one of the {HORIZON} years after `year`",
         f"the state is not a COW system member in one of the next {HORIZON} years (state succession or the end of "
         "the state's record)", "exclude", "event"),
)}


@dataclass(frozen=True)
class Rule:
    """A withdrawal rule: its names, a description and the flags that must be True / False.

    A rule is declared once, as an entry of :data:`RULES`; the choice check of ``make``, the
    tables, Figure 6 and the verdicts iterate over that mapping.  A rule need not be in it
    to be used: the analysis's functions that take a rule (the withdrawals, the sensitivity table,
    the figures' series and titles, the verdicts, the validation) also take a ``Rule`` built in a
    notebook.  Its flags must be declared in :data:`FLAGS`.

    Attributes
    ----------
    name : str
        The code name (``make all WITHDRAWAL_RULE=<name>``, the ``rule`` column of the data).
    label : str
        A readable name for figures and tables ("observed years only").
    description : str
        The rule in words (Table 1).
    require, exclude : tuple of str
        Flags of :func:`candidate_transitions` (:data:`FLAGS`) that must be True, and that must be False.

    Raises
    ------
    ValueError
        For a flag that :data:`FLAGS` does not declare, or declares for the other use.
    """

    name: str
    label: str
    description: str
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        unknown = [f for f in (*self.require, *self.exclude) if f not in FLAGS]
        if unknown:
            raise ValueError(f"rule {self.name!r} uses the flag {unknown[0]!r}, which withdrawal.FLAGS does not "
                             f"declare (it has {', '.join(FLAGS)}); declare it there: what it means, why a rule "
                             "drops a lapse for it, and what it hides from a rate's exposure")
        for use, flags in (("require", self.require), ("exclude", self.exclude)):
            wrong = [f for f in flags if FLAGS[f].use != use]
            if wrong:
                raise ValueError(f"rule {self.name!r} would {use} the flag {wrong[0]!r}, which withdrawal.FLAGS "
                                 f"declares for rules to {FLAGS[wrong[0]].use}: its reasons and what it hides are "
                                 "stated for that use")

    def hidden(self) -> set[str]:
        """The kinds of IGO-year in which the rule cannot see a withdrawal (:attr:`Flag.hides` of its flags).

        Returns
        -------
        set of str
            Keys of :data:`HIDDEN` other than ``"event"``; empty for a rule that drops only events.
        """
        return {FLAGS[f].hides for f in (*self.require, *self.exclude)} - {"event"}

    def mask(self, c: pd.DataFrame) -> pd.Series:
        """Which candidate transitions the rule keeps.

        Parameters
        ----------
        c : DataFrame
            :func:`candidate_transitions`.

        Returns
        -------
        Series of bool
            True where every flag of ``require`` is True and every flag of ``exclude`` False.
        """
        m = pd.Series(True, index=c.index)
        for f in self.require:
            m &= c[f]
        for f in self.exclude:
            m &= ~c[f]
        return m


def rule_table(*rules: Rule) -> "OrderedDict[str, Rule]":
    """The rules keyed by name, in the order given (names must be unique).

    Parameters
    ----------
    *rules : Rule

    Returns
    -------
    OrderedDict of str to Rule
    """
    table = OrderedDict((r.name, r) for r in rules)
    if len(table) != len(rules):
        raise ValueError("two withdrawal rules share a name")
    return table


#: The flags of the ``basic`` rule (the codebook meaning of the codes).
BASIC_FLAGS = ("from_full", "igo_in_force", "state_member")
_STEPS = ("reentry_1y", "imputed", "seam_1965", "mass_exit", "state_mass_exit", "igo_ends_soon",
          "state_ends_soon")
#: The rules of the sensitivity table, each declared once here (the choice check of ``make`` reads
#: the names without importing this module, so each entry spells ``name="..."`` as a literal).
#: The main chain (plain, basic, no_reentry_1y, no_imputed, no_mass_exit, no_state_mass_exit,
#: igo_not_ending, strict) adds one filter at a time, so each of its rules is nested in the one
#: before; ``any_status`` contains ``basic`` and ``no_reentry_2y`` is nested in ``no_reentry_1y``.
RULES: "OrderedDict[str, Rule]" = rule_table(
    Rule(name="any_status", label="any membership status",
         description="any membership (full, associate or observer) in t-1, none in t; IGO in force; state a "
                     "system member", require=("igo_in_force", "state_member")),
    Rule(name="plain", label="full membership ends",
         description="full member in t-1, no membership in t (no other condition)", require=("from_full",)),
    Rule(name="basic", label="codebook definition",
         description="plain, and the IGO is in force and the state a system member in t", require=BASIC_FLAGS),
    Rule(name="no_reentry_1y", label="no re-entry next year",
         description="basic, and not a full member again in t+1", require=BASIC_FLAGS, exclude=_STEPS[:1]),
    Rule(name="no_reentry_2y", label="no re-entry in two years",
         description="basic, and not a full member again in t+1 or t+2", require=BASIC_FLAGS,
         exclude=("reentry_2y",)),
    Rule(name="no_imputed", label="observed years only",
         description="no_reentry_1y, and neither year imputed by COW nor t = 1965 (the change of sources)",
         require=BASIC_FLAGS, exclude=_STEPS[:3]),
    Rule(name="no_mass_exit", label="no mass exit",
         description="no_imputed, and not part of a mass exit (at least half, and 3, of the members)",
         require=BASIC_FLAGS, exclude=_STEPS[:4]),
    Rule(name="no_state_mass_exit", label="no state leaving 4+ IGOs",
         description="no_mass_exit, and the state leaves fewer than 4 IGOs that year",
         require=BASIC_FLAGS, exclude=_STEPS[:5]),
    Rule(name="igo_not_ending", label="IGO not ending soon",
         description="no_state_mass_exit, and the IGO does not end within two years",
         require=BASIC_FLAGS, exclude=_STEPS[:6]),
    Rule(name="strict", label="state not ending soon",
         description="igo_not_ending, and the state does not leave the system within two years",
         require=BASIC_FLAGS, exclude=_STEPS[:7]),
)
#: Rules in nesting order: each is contained in the one before.
NESTED_CHAIN = ("plain", "basic", "no_reentry_1y", "no_imputed", "no_mass_exit", "no_state_mass_exit",
                "igo_not_ending", "strict")
#: The rule used when none is chosen (``make all WITHDRAWAL_RULE=...``): the first rule that
#: removes what the COW codebook says was not observed year by year -- pre-1965 memberships
#: imputed from the five-yearly v1.1 records where archival research found none, and 1965,
#: where the older data meet the post-1965 data -- and one-year lapses.  The later filters (mass exits, succession) are judgement calls, kept
#: as robustness checks.
DEFAULT_RULE = "no_imputed"


def get_rule(rule: str | Rule) -> Rule:
    """The rule named ``rule`` in :data:`RULES`, or ``rule`` itself when it is a :class:`Rule`.

    Parameters
    ----------
    rule : str or Rule
        A name of :data:`RULES` or a rule declared elsewhere (e.g. in a notebook).

    Returns
    -------
    Rule

    Raises
    ------
    ValueError
        For a name that is not in :data:`RULES`, listing the names.
    """
    if isinstance(rule, Rule):
        return rule
    if rule not in RULES:
        raise ValueError(f"unknown withdrawal rule {rule!r}; choose one of {', '.join(RULES)}, or pass a "
                         "withdrawal.Rule")
    return RULES[rule]


def rule_title(rule: str | Rule, sep: str = "\n") -> str:
    """How a figure names a rule: its number in :data:`RULES` (as in the report's tables; none for a rule built
    elsewhere), its readable label, and its code name in parentheses (by default on a second line).

    Parameters
    ----------
    rule : str or Rule
        A name of :data:`RULES`, or a rule.
    sep : str
        What goes between the label and the code name.

    Returns
    -------
    str
        ``"6 observed years only\\n(no_imputed)"``.
    """
    r = get_rule(rule)
    number = f"{list(RULES).index(r.name) + 1} " if RULES.get(r.name) == r else ""
    return f"{number}{r.label}{sep}({r.name})"


def withdrawals(candidates: pd.DataFrame, regime: pd.DataFrame, rule: str | Rule = DEFAULT_RULE) -> pd.DataFrame:
    """The withdrawals under ``rule``, with regime type in the first non-member year attached.

    Parameters
    ----------
    candidates : DataFrame
        :func:`candidate_transitions` (or ``_wide``).
    regime : DataFrame
        The regime panel (``ccode, year, polity2, democracy``).
    rule : str or Rule
        A name of :data:`RULES`, or a :class:`Rule` (see :func:`get_rule`).

    Returns
    -------
    DataFrame
        The withdrawals, sorted by year, IGO and state.
    """
    w = candidates.loc[get_rule(rule).mask(candidates)]
    w = w.merge(regime[["ccode", "year", "polity2", "democracy"]], on=["ccode", "year"], how="left",
                validate="many_to_one")
    cols = ["ioname", "orgname", "state", "ccode", "year", "last_member_year", "issue_area", "polity2",
            "democracy", "prev_status", "reentry_1y", "reentry_2y", "imputed", "seam_1965", "mass_exit",
            "state_mass_exit", "igo_ends_soon", "state_ends_soon", "n_leaving", "n_state_leaving"]
    return w[cols].sort_values(["year", "ioname", "ccode"], ignore_index=True)


def sensitivity_table(candidates: pd.DataFrame, regime: pd.DataFrame,
                      rules: Iterable[str | Rule] | None = None) -> pd.DataFrame:
    """Counts under every rule: total, by issue area, by regime type, before and after 1980.

    Parameters
    ----------
    candidates : DataFrame
        :func:`candidate_transitions`.
    regime : DataFrame
        The regime panel.
    rules : iterable of str or Rule, optional
        The rules to count (default: every rule of :data:`RULES`).

    Returns
    -------
    DataFrame
        One row per rule.
    """
    rows = []
    for rule in map(get_rule, RULES if rules is None else rules):
        w = withdrawals(candidates, regime, rule)
        before = w["year"] < SPLIT_YEAR
        rows.append({
            "rule": rule.name, "description": rule.description, "total": len(w),
            **{area: int((w["issue_area"] == area).sum()) for area in ISSUE_AREAS},
            "democracy": int((w["democracy"] == 1).sum()), "nondemocracy": int((w["democracy"] == 0).sum()),
            "regime_unknown": int(w["democracy"].isna().sum()),
            "before_1980": int(before.sum()), "from_1980": int((~before).sum()),
            "per_year_before_1980": before.sum() / (SPLIT_YEAR - FIRST_YEAR),
            "per_year_from_1980": (~before).sum() / (LAST_YEAR - SPLIT_YEAR + 1),
        })
    return pd.DataFrame(rows)
