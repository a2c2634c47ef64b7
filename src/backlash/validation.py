"""How many documented withdrawals does each withdrawal rule find, and when?

Pure functions on data frames: the validation sample
(``data/validation/documented_exits.csv``, see its README), the candidate
transitions of :func:`backlash.withdrawal.candidate_transitions`, the membership
panel and the state-system years of :mod:`backlash.data`.

Notation
--------
A documented case is a state s (COW code), an IGO i (COW ``ioname``) and
T, the first calendar year of non-membership: the first year whose 1 January
finds s outside i.  A rule r records withdrawals (i, s, t), t being the first
year COW codes s as a non-member (``year`` in :mod:`backlash.withdrawal`).  The
*lag* of a match is t - T.

Outcome of a case under a rule (one of four, in this order):

``found``            r records (i, s, t) with |t - T| <= 1 (:data:`TIMELY_LAG`);
``found_lagged``     r records one with 1 < |t - T| <= :data:`MAX_LAG`, none closer;
``dropped_by_rule``  COW shows a lapse of s from i (a candidate transition, any
                     membership status to none) within :data:`MAX_LAG` years of T,
                     but r drops it; the reason names the conditions it fails;
``not_shown_by_cow`` COW shows no such lapse at all; the reason says why (the
                     IGO is not in COW, the exit falls outside the years covered,
                     the state is coded as a member straight through the exit,
                     is never coded as a member, and so on).

Recall under r is the share of cases ``found``.  Lapses further than
:data:`MAX_LAG` years from T are treated as other events, not as this exit.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
import pandas as pd

from .data import FIRST_YEAR, ISSUE_AREAS, LAST_YEAR, require_columns
from .withdrawal import FLAGS, RULES, SEAM_YEAR, Rule, get_rule

TIMELY_LAG = 1  # |t - T| <= 1 counts as finding the exit in time
MAX_LAG = 5  # beyond this distance a coded lapse is taken to be another event
NOT_IN_COW = "not in COW"
SAMPLE_COLUMNS = ("case_id", "ccode", "state", "organization", "cow_ioname", "effective_date", "first_year_out",
                  "rejoined", "rejoin_year", "issue_area", "region", "source", "source_url", "notes")
REGIONS = ("Africa", "Americas", "Asia", "Europe", "Middle East", "Oceania")
#: Years a documented exit may fall in (the sample is not limited to COW's years).
SAMPLE_YEARS = (1900, 2030)
OUTCOMES = ("found", "found_lagged", "dropped_by_rule", "not_shown_by_cow")


_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def allowed_first_years(effective_date: str) -> tuple[int, ...]:
    """First calendar years of non-membership consistent with the date a withdrawal took effect.

    T is the first year whose 1 January finds the state outside the IGO, so a
    full date d in year Y gives T = Y when d is 1 January and T = Y + 1
    otherwise.  A date known only to the month or year leaves both Y and Y + 1
    open, except a month after January, which gives Y + 1.

    Parameters
    ----------
    effective_date : str
        ``YYYY-MM-DD``, ``YYYY-MM`` or ``YYYY``.

    Returns
    -------
    tuple of int
        One or two years.

    Raises
    ------
    ValueError
        If ``effective_date`` is not ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, or not a real date.
    """
    m = _DATE.match(str(effective_date).strip())
    if not m:
        raise ValueError(f"effective_date {effective_date!r} is not YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    if month is None:
        return (year, year + 1)
    try:
        pd.Timestamp(year=year, month=int(month), day=int(day or 1))
    except ValueError:
        raise ValueError(f"effective_date {effective_date!r} is not a real date") from None
    if day is None:
        return (year, year + 1) if int(month) == 1 else (year + 1,)
    return (year,) if (int(month), int(day)) == (1, 1) else (year + 1,)


def check_sample(sample: pd.DataFrame, ccodes: Iterable[int], igo_areas: pd.Series) -> pd.DataFrame:
    """Check every row of the validation sample and return it with typed columns.

    ``ccodes`` are the COW state codes (State System Membership); ``igo_areas``
    maps each COW ``ioname`` to its issue area.  Checks: unique case ids; a COW
    state code; a COW ``ioname`` or ``"not in COW"``; an issue area equal to COW's
    for IGOs in COW; a known region; a valid effective date with a consistent
    first year out (:func:`allowed_first_years`) inside :data:`SAMPLE_YEARS`;
    ``rejoined`` yes/no with a rejoin year exactly when yes, not before the first
    year out; a source for every row, and every URL given starting with http.

    Parameters
    ----------
    sample : DataFrame
        ``data/validation/documented_exits.csv``.
    ccodes : iterable of int
        The COW state codes.
    igo_areas : Series
        Issue area indexed by ``ioname``.

    Returns
    -------
    DataFrame
        The sample with typed columns.

    Raises
    ------
    ValueError
        Listing every bad row and what is wrong with it.
    """
    missing = [c for c in SAMPLE_COLUMNS if c not in sample.columns]
    if missing:
        raise ValueError(f"the validation sample lacks the column(s) {', '.join(missing)} "
                         "(data/validation/README.md lists the columns)")
    s = sample[list(SAMPLE_COLUMNS)].copy()
    s = s.fillna("").astype(str).apply(lambda col: col.str.strip())
    known_ccodes = {int(c) for c in ccodes}
    problems: list[str] = []
    dup = s["case_id"][s["case_id"].duplicated()].tolist()
    if dup:
        problems.append(f"duplicate case_id: {', '.join(sorted(set(dup)))}")
    lo, hi = SAMPLE_YEARS
    for r in s.itertuples(index=False):
        cid = r.case_id or "(no case_id)"
        bad = []
        if not r.ccode.isdigit() or int(r.ccode) not in known_ccodes:
            bad.append(f"ccode {r.ccode!r} is not a COW state code")
        if r.cow_ioname != NOT_IN_COW and r.cow_ioname not in igo_areas.index:
            bad.append(f"cow_ioname {r.cow_ioname!r} is not an ioname of COW v3 (or write {NOT_IN_COW!r})")
        elif r.cow_ioname in igo_areas.index and igo_areas[r.cow_ioname] != r.issue_area:
            bad.append(f"issue_area {r.issue_area!r} differs from COW's {igo_areas[r.cow_ioname]!r}")
        if r.issue_area not in ISSUE_AREAS:
            bad.append(f"issue_area {r.issue_area!r} is not one of {', '.join(ISSUE_AREAS)}")
        if r.region not in REGIONS:
            bad.append(f"region {r.region!r} is not one of {', '.join(REGIONS)}")
        if not r.first_year_out.isdigit() or not lo <= int(r.first_year_out) <= hi:
            bad.append(f"first_year_out {r.first_year_out!r} is not a year in {lo}-{hi}")
        else:
            try:
                allowed = allowed_first_years(r.effective_date)
                if int(r.first_year_out) not in allowed:
                    bad.append(f"first_year_out {r.first_year_out} does not follow from effective_date "
                               f"{r.effective_date} (allowed: {', '.join(map(str, allowed))})")
            except ValueError as exc:
                bad.append(str(exc))
        if r.rejoined not in ("yes", "no"):
            bad.append(f"rejoined {r.rejoined!r} is not yes or no")
        elif (r.rejoined == "yes") != (r.rejoin_year != ""):
            bad.append("rejoin_year must be given exactly when rejoined is yes")
        elif r.rejoin_year and (not r.rejoin_year.isdigit() or not r.first_year_out.isdigit()
                                or not int(r.first_year_out) <= int(r.rejoin_year) <= hi):
            bad.append(f"rejoin_year {r.rejoin_year!r} is not a year from first_year_out to {hi}")
        if not r.source:
            bad.append("no source")
        urls = [u.strip() for u in r.source_url.split(";") if u.strip()]
        if any(not u.startswith(("http://", "https://")) for u in urls):
            bad.append(f"source_url {r.source_url!r} holds something that is not an http(s) URL")
        for b in bad:
            problems.append(f"{cid}: {b}")
    if problems:
        raise ValueError("the validation sample (data/validation/documented_exits.csv) has problems:\n  "
                         + "\n  ".join(problems))
    s["ccode"] = s["ccode"].astype("int64")
    s["first_year_out"] = s["first_year_out"].astype("int64")
    s["rejoin_year"] = pd.to_numeric(s["rejoin_year"].replace("", np.nan)).astype("Int64")
    return s


def _nearest(matches: pd.DataFrame) -> pd.DataFrame:
    """Per case, the match with the smallest |lag| (the earlier one on a tie)."""
    if matches.empty:
        return matches
    m = matches.assign(_abs=matches["lag"].abs()).sort_values(["case_id", "_abs", "lag"])
    return m.drop_duplicates("case_id").drop(columns="_abs")


def _dropped_reason(row: pd.Series, r: Rule) -> str:
    why = [FLAGS[f].dropped_because for f in r.require if not row[f]]
    why += [FLAGS[f].dropped_because for f in r.exclude if row[f]]
    return (f"COW shows a lapse in {int(row['year'])} (lag {int(row['lag']):+d}) but the rule drops it: "
            + "; ".join(why))


def _run(years: np.ndarray, year: int) -> tuple[int, int]:
    """The run of consecutive years in sorted ``years`` that contains ``year``."""
    i = int(np.searchsorted(years, year))
    lo = hi = i
    while lo > 0 and years[lo - 1] == years[lo] - 1:
        lo -= 1
    while hi + 1 < len(years) and years[hi + 1] == years[hi] + 1:
        hi += 1
    return int(years[lo]), int(years[hi])


def cow_gap_reason(case: pd.Series, codes: pd.Series, attrs: pd.DataFrame, system_years: set[int], *,
                   first: int = FIRST_YEAR, last: int = LAST_YEAR) -> tuple[str, str]:
    """Why COW shows no lapse of the case's state from its IGO near T: ``(code, plain words)``.

    ``codes`` are COW's membership codes of (i, s) indexed by year, ``attrs``
    the IGO's row of :func:`backlash.data.igo_attributes` (empty when the IGO is
    not in COW), ``system_years`` the years the state is a COW system member.
    The first reason that applies, in the order of the branches below, is given.

    Parameters
    ----------
    case : Series
        A row of the checked sample.
    codes : Series
        COW's membership codes of the case's state in its IGO, indexed by year.
    attrs : DataFrame
        The IGO's row of :func:`backlash.data.igo_attributes`.
    system_years : set of int
        The years the state is a COW system member.
    first, last : int
        The sample's years.

    Returns
    -------
    (code, words) : tuple of str
    """
    t = int(case["first_year_out"])
    if case["cow_ioname"] == NOT_IN_COW:
        return "igo_not_in_cow", "COW v3 does not include this organization"
    if not first <= t <= last:
        return "outside_years", (f"the first year out ({t}) lies outside {first}–{last}, "
                                 "the years COW and the rules cover")
    a = attrs.iloc[0]
    if a["first_year"] >= t:
        return "igo_not_yet_coded", f"COW's record of the organization starts in {a['first_year']}, after the exit"
    if a["last_year"] < t:
        return "igo_record_ends", (f"COW's record of the organization ends in {a['last_year']}, "
                                   "before the first year out")
    if t - 1 not in system_years:
        return "state_not_in_system", f"the state is not a COW system member in {t - 1}"
    member = np.sort(codes.index[codes.isin((1, 2, 3))].to_numpy())
    if member.size == 0:
        return "never_member", "COW never codes the state as a member of this organization"
    if member.min() > t:
        return "member_only_later", f"COW codes the state as a member only from {member.min()}, after the exit"
    if t in member:
        a0, b0 = _run(member, t)
        end = f"{b0} (the end of the data)" if b0 >= last else str(b0)
        words = f"COW codes the state as a member in every year from {a0} to {end}, straight through the exit"
        if b0 < last and codes.get(b0 + 1) == 0:  # the lapse COW does show, too late to be this exit
            seam = " (the year where COW's older data meet its later data)" if b0 + 1 == SEAM_YEAR else ""
            words += (f", and shows a lapse only in {b0 + 1}{seam}, {b0 + 1 - t} years after the first year out")
        return "coded_continuous", words
    before = member[member < t]
    if before.size and t - before.max() - 1 > MAX_LAG:
        return "coded_out_earlier", (f"COW already codes the state as a non-member from {before.max() + 1}, "
                                     f"{t - before.max() - 1} years before the first year out")
    near = codes[(codes.index >= t - MAX_LAG) & (codes.index <= t + MAX_LAG)]
    missing = near.index[near == -9].tolist()
    if missing:
        return "code_missing", f"COW's membership code is missing (-9) in {', '.join(map(str, missing))}"
    seq = ", ".join(f"{y}: {int(v)}" for y, v in near.items())
    return "other", f"no direct lapse from membership to none near the exit; COW's codes: {seq}"


def rule_outcomes(sample: pd.DataFrame, candidates: pd.DataFrame, panel: pd.DataFrame, attrs: pd.DataFrame,
                  system: pd.DataFrame, *, rules: Iterable[str] | None = None,
                  first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
    """One row per documented case and rule: the outcome, COW's year, the lag and the reason.

    ``sample`` is the output of :func:`check_sample`; ``candidates`` of
    :func:`backlash.withdrawal.candidate_transitions`; ``panel`` of
    :func:`backlash.data.membership_panel`; ``attrs`` of
    :func:`backlash.data.igo_attributes`; ``system`` the (ccode, year) rows of
    COW system membership.  The outcomes are defined in the module docstring.

    Parameters
    ----------
    sample : DataFrame
        :func:`check_sample`.
    candidates : DataFrame
        :func:`backlash.withdrawal.candidate_transitions`.
    panel : DataFrame
        :func:`backlash.data.membership_panel`.
    attrs : DataFrame
        :func:`backlash.data.igo_attributes`.
    system : DataFrame
        :func:`backlash.data.system_membership`.
    rules : iterable of str or Rule, optional
        Default: every rule of :data:`backlash.withdrawal.RULES`.
    first, last : int
        The sample's years.

    Returns
    -------
    DataFrame
    """
    rules = [get_rule(r) for r in (RULES if rules is None else rules)]
    require_columns(candidates, ["ioname", "ccode", "year", *FLAGS],
                    "the candidate transitions")
    keys = sample[["case_id", "cow_ioname", "ccode", "first_year_out"]].rename(columns={"cow_ioname": "ioname"})
    near = keys.merge(candidates, on=["ioname", "ccode"], how="inner")
    near["lag"] = near["year"] - near["first_year_out"]
    near = near[near["lag"].abs() <= MAX_LAG]
    any_lapse = _nearest(near).set_index("case_id")

    # Rule-independent: why COW shows nothing, for the cases without any lapse near T.
    unseen = sample[~sample["case_id"].isin(any_lapse.index)]
    dyads = panel.merge(unseen[["cow_ioname", "ccode"]].drop_duplicates().rename(columns={"cow_ioname": "ioname"}),
                        on=["ioname", "ccode"])
    codes = {k: g.set_index("year")["status"].sort_index() for k, g in dyads.groupby(["ioname", "ccode"])}
    in_system = system.groupby("ccode")["year"].apply(set)
    gap = {}
    for case in unseen.itertuples(index=False):
        c = pd.Series(case._asdict())
        gap[case.case_id] = cow_gap_reason(
            c, codes.get((case.cow_ioname, case.ccode), pd.Series(dtype="int8")),
            attrs[attrs["ioname"] == case.cow_ioname], in_system.get(case.ccode, set()), first=first, last=last)

    rows = []
    for rule in rules:
        hit = _nearest(near[rule.mask(near)]).set_index("case_id")
        for case in sample.itertuples(index=False):
            cid = case.case_id
            out = {"rule": rule.name, "case_id": cid, "cow_year": pd.NA, "lag": pd.NA}
            if cid in hit.index:
                h = hit.loc[cid]
                lagged = abs(int(h["lag"])) > TIMELY_LAG
                out.update(outcome="found_lagged" if lagged else "found", cow_year=int(h["year"]),
                           lag=int(h["lag"]), reason_code="lagged" if lagged else "",
                           reason=(f"COW's lapse is {abs(int(h['lag']))} years "
                                   f"{'after' if h['lag'] > 0 else 'before'} the first year out") if lagged else "")
            elif cid in any_lapse.index:
                c = any_lapse.loc[cid]
                out.update(outcome="dropped_by_rule", cow_year=int(c["year"]), lag=int(c["lag"]),
                           reason_code="dropped", reason=_dropped_reason(c, rule))
            else:
                code, words = gap[cid]
                out.update(outcome="not_shown_by_cow", reason_code=code, reason=words)
            rows.append(out)
    out = pd.DataFrame(rows)
    out["cow_year"] = out["cow_year"].astype("Int64")
    out["lag"] = out["lag"].astype("Int64")
    return out[["rule", "case_id", "outcome", "cow_year", "lag", "reason_code", "reason"]]


def recall_table(outcomes: pd.DataFrame) -> pd.DataFrame:
    """Per rule: how many cases it finds in time, late or early, drops, or COW cannot show; recall and lag.

    ``recall`` = found / cases; ``recall_any_lag`` = (found + found_lagged) / cases;
    ``recall_shown`` = found / cases COW shows a lapse for (all but
    ``not_shown_by_cow``); ``mean_lag`` is the mean signed lag t - T of the found
    cases (both kinds), ``mean_abs_lag`` its absolute counterpart.

    Parameters
    ----------
    outcomes : DataFrame
        :func:`rule_outcomes`.

    Returns
    -------
    DataFrame
        One row per rule.
    """
    rows = []
    for rule, g in outcomes.groupby("rule", sort=False):
        n = {o: int((g["outcome"] == o).sum()) for o in OUTCOMES}
        found = g[g["outcome"].isin(("found", "found_lagged"))]["lag"].astype(float)
        shown = len(g) - n["not_shown_by_cow"]
        rows.append({"rule": rule, "cases": len(g), **n,
                     "recall": n["found"] / len(g),
                     "recall_any_lag": (n["found"] + n["found_lagged"]) / len(g),
                     "recall_shown": n["found"] / shown if shown else np.nan,
                     "mean_lag": found.mean() if len(found) else np.nan,
                     "mean_abs_lag": found.abs().mean() if len(found) else np.nan})
    return pd.DataFrame(rows)


def misses(outcomes: pd.DataFrame, sample: pd.DataFrame) -> pd.DataFrame:
    """Every (rule, case) that is not found within one year, with the case's details and the reason.

    Parameters
    ----------
    outcomes : DataFrame
        :func:`rule_outcomes`.
    sample : DataFrame
        :func:`check_sample`.

    Returns
    -------
    DataFrame
    """
    m = outcomes[outcomes["outcome"] != "found"].merge(
        sample[["case_id", "state", "organization", "cow_ioname", "first_year_out"]], on="case_id",
        validate="many_to_one")
    return m[["rule", "case_id", "state", "organization", "cow_ioname", "first_year_out", "outcome", "cow_year",
              "lag", "reason_code", "reason"]]


def validate(sample: pd.DataFrame, candidates: pd.DataFrame, panel: pd.DataFrame, attrs: pd.DataFrame,
             system: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The recall table and the list of misses for every rule in :data:`backlash.withdrawal.RULES`.

    Parameters
    ----------
    sample, candidates, panel, attrs, system : DataFrame
        As in :func:`rule_outcomes`.

    Returns
    -------
    (recall, misses) : tuple of DataFrame
        :func:`recall_table` and :func:`misses`.
    """
    outcomes = rule_outcomes(sample, candidates, panel, attrs, system)
    return recall_table(outcomes), misses(outcomes, sample)
