"""The validation sample of documented withdrawals and the recall of each withdrawal rule (issue 11)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from backlash import data as D
from backlash import withdrawal
from backlash import paths, raw
from backlash import validation as V


# --------------------------------------------------------------------------- dates
@pytest.mark.parametrize("date, years", [
    ("1984-12-31", (1985,)),   # USA leaves UNESCO at the end of 1984: out from 1985
    ("2019-01-01", (2019,)),   # Qatar leaves OPEC on 1 January 2019
    ("1977-11", (1978,)),      # USA leaves the ILO in November 1977
    ("1995-01", (1995, 1996)),  # a January exit known to the month only
    ("1972", (1972, 1973)),    # known to the year only
])
def test_first_year_out_of_known_dates(date, years):
    """T is the first year whose 1 January finds the state outside; coarse dates leave T open where they must."""
    assert V.allowed_first_years(date) == years


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2030, 12, 31)))
def test_first_year_out_of_any_full_date(d):
    """For a full date d, T is the year after the day before d (an independent derivation of the rule)."""
    assert V.allowed_first_years(d.isoformat()) == ((d - dt.timedelta(days=1)).year + 1,)


@pytest.mark.parametrize("bad", ["84", "1984-13", "1984-02-30", "31/12/1984", ""])
def test_malformed_effective_date_is_an_error(bad):
    """A date that is not YYYY, YYYY-MM or YYYY-MM-DD (or not a real day) is refused with its value named."""
    with pytest.raises(ValueError, match="effective_date"):
        V.allowed_first_years(bad)


# --------------------------------------------------------------------------- the recall computation
def _synthetic():
    """IGO X, 2000-2010; ten states always full members; six documented cases with known COW paths.

    a leaves in 2005 (T 2005); b leaves in 2006 (T 2005, lag +1); c leaves in 2008 (T 2005, lag +3);
    d is coded a member throughout (T 2005); e is never a member (T 2005); g lapses in 2005 only and is
    a member again in 2006 (T 2005); plus an IGO not in COW and an exit after the data end (T 2012).
    """
    years = range(2000, 2011)
    paths_ = {1: lambda y: int(y < 2005), 2: lambda y: int(y < 2006), 3: lambda y: int(y < 2008),
              4: lambda y: 1, 5: lambda y: 0, 6: lambda y: int(y != 2005)}
    paths_.update({c: (lambda y: 1) for c in range(10, 20)})
    panel = pd.DataFrame([("X", f"s{c}", c, y, f(y)) for c, f in paths_.items() for y in years],
                         columns=["ioname", "state", "ccode", "year", "status"])
    attrs = pd.DataFrame({"ioname": ["X"], "orgname": ["X org"], "issue_area": ["economic"],
                          "first_year": [2000], "last_year": [2014]})
    system = pd.DataFrame([(c, y) for c in paths_ for y in range(2000, 2013)], columns=["ccode", "year"])
    imputed = pd.DataFrame({"ioname": "X", "year": list(years), "imputed": False})
    cand = withdrawal.candidate_transitions(panel, attrs, system, imputed, first=2000, last=2010)
    sample = pd.DataFrame([("a", 1, "X", 2005), ("b", 2, "X", 2005), ("c", 3, "X", 2005), ("d", 4, "X", 2005),
                           ("e", 5, "X", 2005), ("g", 6, "X", 2005), ("f", 1, V.NOT_IN_COW, 2005),
                           ("h", 1, "X", 2012)], columns=["case_id", "ccode", "cow_ioname", "first_year_out"])
    sample["state"], sample["organization"] = "s", "o"
    return sample, cand, panel, attrs, system


def test_recall_on_a_synthetic_panel_with_a_known_answer():
    """Default rule: a, b, g found within a year; c found 3 years late; d, e, f, h not shown by COW.
    The no_reentry_1y rule drops g's one-year lapse and says why; nothing else changes."""
    sample, cand, panel, attrs, system = _synthetic()
    out = V.rule_outcomes(sample, cand, panel, attrs, system, rules=["basic", "no_reentry_1y"], first=2000,
                          last=2010)
    got = out.set_index(["rule", "case_id"])
    expect = {"a": ("found", 0), "b": ("found", 1), "c": ("found_lagged", 3), "g": ("found", 0)}
    for cid, (outcome, lag) in expect.items():
        assert (got.loc[("basic", cid), "outcome"], got.loc[("basic", cid), "lag"]) == (outcome, lag)
    reasons = {"d": "coded_continuous", "e": "never_member", "f": "igo_not_in_cow", "h": "outside_years"}
    for rule in ("basic", "no_reentry_1y"):
        for cid, code in reasons.items():
            assert got.loc[(rule, cid), "outcome"] == "not_shown_by_cow"
            assert got.loc[(rule, cid), "reason_code"] == code
    assert got.loc[("no_reentry_1y", "g"), "outcome"] == "dropped_by_rule"
    assert "full member again the next year" in got.loc[("no_reentry_1y", "g"), "reason"]
    assert "2000 to 2010" in got.loc[("basic", "d"), "reason"]
    table = V.recall_table(out).set_index("rule")
    assert table.loc["basic", ["cases", "found", "found_lagged", "dropped_by_rule", "not_shown_by_cow"]].tolist() \
        == [8, 3, 1, 0, 4]
    assert table.loc["no_reentry_1y", ["found", "found_lagged", "dropped_by_rule", "not_shown_by_cow"]].tolist() \
        == [2, 1, 1, 4]
    assert table.loc["basic", "recall"] == pytest.approx(3 / 8)
    assert table.loc["basic", "recall_shown"] == pytest.approx(3 / 4)
    assert table.loc["basic", "mean_lag"] == pytest.approx((0 + 1 + 3 + 0) / 4)
    missed = V.misses(out, sample)
    assert set(missed.loc[missed["rule"] == "basic", "case_id"]) == {"c", "d", "e", "f", "h"}


def test_every_rule_condition_has_plain_words():
    """Each flag a rule requires or excludes is declared once, in withdrawal.FLAGS, with a sentence for the list
    of misses; a rule built with a flag that is not declared there is refused at once, and says where to declare
    it; so is a flag that says it hides IGO-years of a kind no rate's exposure knows."""
    for name, rule in withdrawal.RULES.items():
        for flag in (*rule.require, *rule.exclude):
            assert withdrawal.FLAGS[flag].dropped_because.strip(), (name, flag)
    with pytest.raises(ValueError, match="'young_igo', which withdrawal.FLAGS does not declare.*declare it there"):
        withdrawal.Rule("mature_igo", "IGO at least 5 years old", "no_imputed, and the IGO 5 years old",
                        require=withdrawal.BASIC_FLAGS, exclude=("imputed", "young_igo"))
    with pytest.raises(ValueError, match="hides='young IGO-years'.*own kind in withdrawal.HIDDEN"):
        withdrawal.Flag("young_igo", "the IGO is under 5 years old", "the IGO is under 5 years old", "exclude",
                        "young IGO-years")
    with pytest.raises(TypeError, match="hides"):  # what a flag hides is stated, never assumed
        withdrawal.Flag("young_igo", "the IGO is under 5 years old", "the IGO is under 5 years old", "exclude")
    # a flag's reason is written for one use: a rule that uses it the other way is refused, not given
    # reasons that say the opposite ("not a full member" for a full member's lapse)
    for use, flags in (("exclude", ("from_full",)), ("require", ("imputed",))):
        with pytest.raises(ValueError, match=f"would {use} the flag '{flags[0]}'"):
            withdrawal.Rule("odd", "odd", "odd", **{use: flags})


def test_unknown_rule_is_an_error():
    """Asking for a rule that does not exist names it and lists the rules."""
    sample, cand, panel, attrs, system = _synthetic()
    with pytest.raises(ValueError, match="lenient.*choose one of any_status"):
        V.rule_outcomes(sample, cand, panel, attrs, system, rules=["lenient"])


# --------------------------------------------------------------------------- the real sample
@pytest.fixture(scope="module")
def cow():
    igo_year = raw.read_igo_year()
    attrs = D.igo_attributes(igo_year)
    states = raw.read_states()
    return dict(igo_year=igo_year, attrs=attrs, states=states,
                areas=attrs.set_index("ioname")["issue_area"])


def _read_sample() -> pd.DataFrame:
    return pd.read_csv(paths.VALIDATION_SAMPLE, dtype=str, keep_default_na=False)


def test_validation_sample_rows_are_sourced_and_valid(cow):
    """Every row has a source, a COW state code, a COW ioname (or 'not in COW') with COW's issue area,
    and a first year out that follows from the date the withdrawal took effect (check_sample)."""
    s = V.check_sample(_read_sample(), cow["states"]["ccode"], cow["areas"])
    assert (s["source"].str.len() > 20).all()
    assert s["source_url"].str.startswith("http").all()


def test_validation_sample_spans_decades_regions_and_areas(cow):
    """At least 40 cases, at least 10 with a first year out before 1965, six decades, five regions,
    all three issue areas and some IGOs that COW does not include."""
    s = V.check_sample(_read_sample(), cow["states"]["ccode"], cow["areas"])
    assert len(s) >= 40
    assert (s["first_year_out"] < 1965).sum() >= 10
    assert (s["first_year_out"] // 10).nunique() >= 6
    assert s["region"].nunique() >= 5 and set(s["issue_area"]) == set(D.ISSUE_AREAS)
    assert (s["cow_ioname"] == V.NOT_IN_COW).any()


def test_bad_sample_rows_are_all_named(cow):
    """A broken sample is refused with one line per problem, each naming the case."""
    s = _read_sample()
    s.loc[0, "ccode"] = "9999"
    s.loc[1, "cow_ioname"] = "UNESKO"
    s.loc[2, "first_year_out"] = str(int(s.loc[2, "first_year_out"]) + 3)
    s.loc[3, "source"] = ""
    s.loc[4, "rejoined"] = "maybe"
    with pytest.raises(ValueError) as err:
        V.check_sample(s, cow["states"]["ccode"], cow["areas"])
    msg = str(err.value)
    for i, what in enumerate(["is not a COW state code", "is not an ioname of COW v3", "does not follow from",
                              "no source", "is not yes or no"]):
        assert f"{s.loc[i, 'case_id']}: " in msg and what in msg


@pytest.fixture(scope="module")
def real_outcomes(cow):
    sample = V.check_sample(_read_sample(), cow["states"]["ccode"], cow["areas"])
    panel = D.membership_panel(cow["igo_year"], D.state_codes(raw.read_state_year()))
    system = D.system_membership(cow["states"], last=D.LAST_YEAR + withdrawal.HORIZON)
    cand = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    return V.rule_outcomes(sample, cand, panel, cow["attrs"], system)


def test_known_cases_in_the_real_data(real_outcomes):
    """UK-UNESCO (out from 1986) and USA-ILO (out from 1978) are found in time by every rule of the main
    chain; COW codes the USSR as a WHO member straight through 1949 (SOURCES.md); ICSID is not in COW."""
    o = real_outcomes.set_index(["rule", "case_id"])
    for rule in withdrawal.NESTED_CHAIN:
        assert o.loc[(rule, "unesco-uk-1985"), "outcome"] == "found"
        assert o.loc[(rule, "ilo-usa-1977"), "lag"] == 0
    assert o.loc[("basic", "who-ussr-1949"), "reason_code"] == "coded_continuous"
    assert o.loc[("basic", "icsid-venezuela-2012"), "reason_code"] == "igo_not_in_cow"


def test_recall_falls_along_the_nested_rules(real_outcomes):
    """A rule nested in another finds no more cases (in time, or at any lag), and whether COW can show a
    case at all does not depend on the rule."""
    t = V.recall_table(real_outcomes).set_index("rule")
    for wider, narrower in zip(withdrawal.NESTED_CHAIN, withdrawal.NESTED_CHAIN[1:]):
        assert t.loc[narrower, "found"] <= t.loc[wider, "found"]
        assert t.loc[narrower, "recall_any_lag"] <= t.loc[wider, "recall_any_lag"]
    assert t["not_shown_by_cow"].nunique() == 1
    assert (t[list(V.OUTCOMES)].sum(axis=1) == t["cases"]).all()


def test_validation_table_names_what_its_column_counts():
    """Table 8's column of cases COW cannot show is headed with what it counts, not "not in COW": most of those
    cases are in COW (coded as a member straight through the exit, say), and its caption says the same."""
    from backlash import report

    misses = pd.read_csv(paths.VALIDATION_MISSES)
    unseen = misses[misses["outcome"] == "not_shown_by_cow"]
    header = report.validation_table_md(pd.read_csv(paths.VALIDATION_RECALL)).splitlines()[0]
    assert "COW cannot show" in header and "not in COW" not in header
    # The old header would be wrong on these data: some cases it counts are in COW.
    assert (unseen["reason_code"] != "igo_not_in_cow").any()
    qmd = (paths.ROOT / "paper" / "paper.qmd").read_text(encoding="utf-8")
    caption = next(line for line in qmd.splitlines() if line.endswith("{#tbl-validation}"))
    assert "cases COW's coding cannot show" in caption
