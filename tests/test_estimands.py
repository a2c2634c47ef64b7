"""Each claim on its own estimand: the verdicts against independent recomputations from the derived panels,
the decomposition's identity, and the words that must change when the data change."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from backlash import choices, claims, countmodel, paths, report, withdrawal
from backlash.democracy import MEASURES
from backlash import verdicts as V
from backlash.data import FIRST_YEAR, LAST_YEAR


@pytest.fixture(scope="module")
def built() -> dict:
    """The default build's panels and outputs, and its chosen rule and measure."""
    e = json.loads(paths.EMPIRICS_NUMBERS.read_text(encoding="utf-8"))
    return {"rule": e["figure_rule"], "measure": e["regime_coverage"]["measure"],
            "sy": pd.read_csv(paths.STATE_YEAR_PANEL), "w": pd.read_csv(paths.WITHDRAWALS),
            "regime": pd.read_csv(paths.REGIME_PANEL), "igo": pd.read_csv(paths.IGO_PANEL),
            "verdicts": pd.read_csv(paths.VERDICTS), "decomp": pd.read_csv(paths.REGIME_DECOMPOSITION),
            "count": pd.read_csv(paths.COUNT_MODEL), "series": pd.read_csv(paths.FIGURE1_SERIES)}


def _chosen(frame: pd.DataFrame, b: dict) -> pd.DataFrame:
    return frame[(frame["rule"] == b["rule"]) & (frame["measure"] == b["measure"])]


def _direct_fit(sy: pd.DataFrame, offset: str):
    """statsmodels' own formula interface: withdrawals ~ democracy + C(decade), offset log(offset), clustered."""
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    data = sy.loc[sy["democracy"].notna() & (sy[offset] > 0)].reset_index(drop=True)
    fit = smf.glm("withdrawals ~ democracy + C(decade)", data=data, family=sm.families.Poisson(),
                  offset=np.log(data[offset])).fit(cov_type="cluster", cov_kwds={"groups": data["ccode"].to_numpy()})
    return math.exp(fit.params["democracy"]), float(fit.pvalues["democracy"])


@pytest.mark.parametrize("claim, period", [("dem_more_after_1950", claims.AFTER_1950), ("dem_more_after_1970", claims.LATE)])
def test_regime_verdicts_match_a_direct_fit_of_both_estimands(built, claim, period):
    """The verdict on "democracies exit more often" rests on the rate per state and IGO in force (offset log IGOs
    in force), and its per-membership companion on the offset log memberships in t-1: both recomputed with a
    direct statsmodels fit on data/derived/state_year_panel.csv agree with the verdict table."""
    sy = built["sy"][built["sy"]["year"].between(*period)]
    row = _chosen(built["verdicts"], built).set_index("claim").loc[claim]
    irr, p = _direct_fit(sy, "n_igos")
    assert row["statistic"] == pytest.approx(irr, rel=1e-6) and row["p_value"] == pytest.approx(p, rel=1e-5)
    irr_m, p_m = _direct_fit(sy, "memberships_lag")
    assert row["membership_ratio"] == pytest.approx(irr_m, rel=1e-6)
    assert row["membership_p"] == pytest.approx(p_m, rel=1e-5)
    assert row["estimand"] == "rate ratio per state and IGO in force"
    assert V.format_p(p) in row["evidence"] and V.format_p(p_m) in row["evidence"]


def test_the_paper_estimand_is_figure_1a_pooled(built):
    """Without fixed effects, the rate ratio per state and IGO in force is exactly the ratio of Figure 1(a)'s
    pooled rates (sum of withdrawals over sum of states times IGOs in force), computed from figure1_series.csv,
    and the density ratio is a ratio of sums of the state-year panel."""
    s, sy = built["series"], built["sy"]
    for lo, hi in ((1951, 1970), (1971, LAST_YEAR), (FIRST_YEAR, LAST_YEAR)):
        part = s[s["year"].between(lo, hi)]
        figure = ((part["w_dem"].sum() / (part["n_dem"] * part["n_igos"]).sum())
                  / (part["w_nondem"].sum() / (part["n_nondem"] * part["n_igos"]).sum()))
        row = _chosen(built["decomp"], built).set_index("period").loc[f"{lo}-{hi}"]
        assert row["raw_state"] == pytest.approx(figure, rel=1e-9)
        fit = countmodel.decompose(sy[sy["year"].between(lo, hi)], fixed_effects=())
        assert fit.irr_state == pytest.approx(figure, rel=1e-6)
        g = sy[sy["year"].between(lo, hi)].dropna(subset=["democracy"]).groupby("democracy")[
            ["memberships_lag", "n_igos"]].sum()
        density = (g.loc[1, "memberships_lag"] / g.loc[1, "n_igos"]) / (g.loc[0, "memberships_lag"] / g.loc[0, "n_igos"])
        assert row["density_ratio"] == pytest.approx(density, rel=1e-9)


def test_decomposition_identity_holds_exactly_for_raw_rates_and_nearly_with_decade_effects(built):
    """Per state and IGO in force = per membership x membership density: exactly for the raw rates of every rule
    and measure whose withdrawals all come from state-years with memberships, and within 10% for the Poisson
    rate ratios with decade effects."""
    d = built["decomp"].dropna(subset=["irr_state", "irr_membership"])
    exact = d[~d["rule"].isin(["any_status"])]  # only any_status counts exits from associate or observer status
    assert (exact["raw_state"] - exact["raw_membership"] * exact["density_ratio"]).abs().max() < 1e-9
    assert ((d["irr_state"] / (d["irr_membership"] * d["density_ratio"])).sub(1).abs() < 0.1).all()


def test_count_model_and_decomposition_agree(built):
    """Table 4 (count_model.csv) and the decomposition table give the same rate ratios for the chosen rule and
    measure: one model, two exhibits."""
    c = built["count"][built["count"]["term"] == "democracy"]
    d = _chosen(built["decomp"], built).set_index("period")
    for r in c.itertuples():
        period = r.specification.split(", ")[1]
        col = "irr_state" if r.exposure == "igos_in_force" else "irr_membership"
        assert d.loc[period, col] == pytest.approx(r.irr, rel=1e-9)


def test_fewer_democratic_exits_change_the_verdict_and_the_words(built):
    """Drop half of the democracies' withdrawals from 1971: the claim that they exit more often after 1970 no
    longer holds per state and IGO in force, and the sentence the report prints changes with it."""
    b = built
    if b["rule"] != withdrawal.DEFAULT_RULE or b["measure"] != "polity":
        pytest.skip("the perturbation is calibrated on the default build")
    args = (b["regime"], b["igo"], b["sy"])
    before = {v.claim: v for v in claims.judge_rule(b["w"], *args, rule=b["rule"])}
    assert before["dem_more_after_1970"].status == V.HOLDS
    dem_late = b["w"][(b["w"]["democracy"] == 1) & (b["w"]["year"] > 1970)]
    fewer = b["w"].drop(dem_late.index[::2])
    after = {v.claim: v for v in claims.judge_rule(fewer, *args, rule=b["rule"])}
    assert after["dem_more_after_1970"].status == V.FAILS
    assert after["dem_more_after_1970"].statistic < 1
    assert after["dem_more_after_1970"].evidence != before["dem_more_after_1970"].evidence
    words = {k: V.decomposition_sentence((v.statistic, v.p_value), (v.membership_ratio, v.membership_p),
                                         v.density_ratio)
             for k, v in (("before", before["dem_more_after_1970"]), ("after", after["dem_more_after_1970"]))}
    assert "democracies left 1.4 times as often as nondemocracies" in words["before"]
    assert "democracies held 1.4 times as many memberships" in words["before"]
    assert "the difference is" not in words["before"]
    assert "democracies left 1.4 times" not in words["after"]
    assert after["dem_consistent_after_1970"].status == V.FAILS


def test_decomposition_sentence_follows_the_numbers():
    """The sentence says what each estimand finds and gives the density beside them, never as "the difference"
    (a ratio per membership that is not significant does not show that the two rates differ); the reading
    restricts itself to the claim it judges, keeps a null result as an open question, and names the measures
    it counts."""
    differ = V.decomposition_sentence((1.42, 0.007), (1.01, 0.942), 1.40)
    assert differ.startswith("per state and IGO in force, democracies left 1.4 times as often as nondemocracies")
    assert "per membership, democracies did not leave significantly more or less often" in differ
    # a ratio of densities, not of totals: "per state and IGO in force" comes first
    assert differ.endswith("; per state and IGO in force, democracies held 1.4 times as many memberships as "
                           "nondemocracies.")
    assert "the difference is" not in differ
    agree = V.decomposition_sentence((0.60, 0.001), (0.50, 0.002), 1.2)
    assert "democracies left only 0.60 times as often" in agree and "per membership, too," in agree
    assert "the difference is" not in agree
    assert "no rate ratio" in V.decomposition_sentence((math.nan, math.nan), (math.nan, math.nan), 1.0)
    kw = {"measure": "Polity5", "rule": "no_imputed", "measures": (1, 4), "rules": (10, 10), "period": "1971–2014"}
    differ = V.reading_sentence((1.42, 0.007), (1.01, 0.942, 0.80, 1.27), 1.40, **kw)
    assert differ.startswith("So, with Polity5 and the `no_imputed` rule, the paper's reading that democracies left "
                             "more often holds on the figure's own rate.")
    # a ratio per membership that is not significant leaves the question open; it is not the absence of a difference
    # the identity is exact for raw rates only: with decade effects the product is "about" the ratio
    # the density ratio is defined where it is first named (the report's first page)
    assert ("in point estimates, the ratio per state and IGO in force (1.42) is about the ratio per membership times "
            "the density ratio, democracies' memberships per state and IGO in force relative to nondemocracies' "
            "(1.01 × 1.40 = 1.41)") in differ
    assert ("the ratio per membership (95% CI 0.80 to 1.27) leaves open whether democracies also leave a given IGO "
            "more or less often") in differ
    for overstated in ("absence", "both right", "accounted for", "the difference is", "reading of its figure"):
        assert overstated not in differ
    assert "measures of this report (Polity5; with the `no_imputed` rule)" in V.reading_sentence((1.42, 0.007), (1.01, 0.942, 0.80, 1.27), 1.40,
                                                               **kw, supporting=("Polity5",))
    assert differ.endswith("Democracies left significantly more often per state and IGO in force in 1971–2014 under "
                           "10 of the 10 withdrawal rules (with Polity5) and 1 of the 4 democracy measures of this "
                           "report (with the `no_imputed` rule). The reading therefore rests on the choice of "
                           "democracy measure.")  # (no names given here)
    # the qualifier names what the reading rests on, from the counts, and disappears when every choice agrees
    few_rules = V.reading_sentence((1.42, 0.007), (1.01, 0.942, 0.80, 1.27), 1.40, **{**kw, "rules": (3, 10)})
    assert "under 3 of the 10 withdrawal rules" in few_rules
    assert few_rules.endswith("rests on the choice of withdrawal rule and democracy measure.")
    all_agree = V.reading_sentence((1.42, 0.007), (1.01, 0.942, 0.80, 1.27), 1.40, **{**kw, "measures": (4, 4)})
    assert "rests on the choice" not in all_agree
    assert "rests on the choice" not in V.reading_sentence((1.23, 0.117), (0.98, 0.89, 0.7, 1.3), 1.3, **kw)
    lower = V.reading_sentence((1.42, 0.007), (0.70, 0.01, 0.55, 0.90), 1.9, **kw)
    assert ("democracies' rate per membership is 0.70 times nondemocracies' (95% CI 0.55 to 0.90), significantly "
            "lower") in lower and "rests on their denser membership" in lower
    assert "not significantly different" not in lower
    both = V.reading_sentence((1.42, 0.007), (1.30, 0.01, 1.1, 1.5), 1.1, **kw)
    assert both.startswith("With Polity5 and the `no_imputed` rule, democracies left significantly more often on the paper's own rate, and "
                           "democracies' rate per membership is 1.30 times nondemocracies' (95% CI 1.10 to 1.50), "
                           "significantly higher")
    neither = V.reading_sentence((1.23, 0.117), (0.98, 0.89, 0.7, 1.3), 1.3, **kw)
    assert "gives no evidence that democracies left more often" in neither
    assert "which these data cannot tell apart from an equal rate" in neither
    opposite = V.reading_sentence((0.7, 0.01), (0.5, 0.01, 0.3, 0.8), 1.2, **kw)
    assert "significantly less often" in opposite and "significantly lower" in opposite
    assert "per state and IGO in force in 1951–2014 under" in V.reading_sentence((1.42, 0.007), (1.01, 0.942, 0.80, 1.27), 1.40,
                                                 **{**kw, "period": "1951–2014"})


# --------------------------------------------------------------------------- the other claims
def test_consistently_reports_the_share_the_reversed_years_and_the_cut_off(built):
    """"Consistently" gives the observed share of years beside the cut-off, and the years in which the order of
    the smoothed series is reversed; it holds only with the cut-off met and the rate higher over the period."""
    row = _chosen(built["verdicts"], built).set_index("claim").loc["dem_consistent_after_1970"]
    above = claims.smoothed_above(built["series"], claims.LATE)
    assert row["statistic"] == pytest.approx(above.mean())
    assert f"{above.mean():.0%} of years ({int(above.sum())} of {len(above)}" in row["evidence"]
    assert f"at least {claims.CONSISTENT_SHARE:.0%}" in row["evidence"]
    if not above.all():
        assert claims.year_runs(above.index[~above]) in row["evidence"]
    assert (row["status"] == V.HOLDS) == (above.mean() >= claims.CONSISTENT_SHARE and _chosen(
        built["verdicts"], built).set_index("claim").loc["dem_more_after_1970", "status"] == V.HOLDS)
    assert claims.year_runs([1973, 1974, 1975, 1976, 1977, 2003]) == "1973–1977, 2003"


def test_exit_is_rare_is_judged_against_a_stated_threshold():
    """Exit is rare when memberships end in a withdrawal in fewer than 1 year in 100 (interval clustered by
    state, the one verdict rule): 50 in 10,000 holds, 300 in 10,000 does not, and 5 in 1,000 held by two states
    cannot tell (0.5%, but too few states and membership-years to rule out 1%)."""
    def judge(w, m, states=20):
        share = np.full(states, 1 / states)
        return claims.rarity_verdict(pd.DataFrame({"ccode": range(states),
                                                   "withdrawals": np.round(w * share).astype(int) if states > 2
                                                   else [w, 0], "memberships_lag": np.round(m * share)}))
    assert judge(50, 10_000).status == V.HOLDS
    assert judge(300, 10_000).status == V.FAILS
    assert judge(5, 1_000, states=2).status == V.CANNOT_TELL
    assert "threshold of 1%" in judge(50, 10_000).evidence
    assert judge(0, 0).status == V.UNTESTABLE


def test_yearly_rates_drop_the_exposure_of_what_a_rule_cannot_see(built):
    """A rule that drops imputed IGO-years and 1965 counts each year before 1980 only for the share of its IGOs it
    can see; a rule that drops neither counts every year in full; the counts of imputed IGOs agree with the
    imputed flag of the candidate transitions."""
    igo = built["igo"]
    before = (FIRST_YEAR, withdrawal.SPLIT_YEAR - 1)
    assert claims.observed_years(igo, before, "basic") == pytest.approx(withdrawal.SPLIT_YEAR - FIRST_YEAR)
    part = igo[igo["year"].between(*before)]
    expected = (1 - part["n_igos_imputed"] / part["n_igos"]).where(part["year"] != withdrawal.SEAM_YEAR, 0).sum()
    assert claims.observed_years(igo, before, "no_imputed") == pytest.approx(expected)
    assert expected < withdrawal.SPLIT_YEAR - FIRST_YEAR - 5
    cand = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    flagged = cand[cand["imputed"] & cand["igo_in_force"]].groupby("year")["ioname"].nunique()
    assert (flagged <= igo.set_index("year").loc[flagged.index, "n_igos_imputed"]).all()
    rows = built["verdicts"].query("claim == 'exits_rise_1980' and measure == @built['measure']").set_index("rule")
    assert "years' worth of IGO-years" in rows.loc["no_imputed", "evidence"]
    assert "years' worth" not in rows.loc["basic", "evidence"]


def test_a_rule_that_drops_ending_igos_leaves_their_last_years_out_of_its_exposure(built):
    """igo_ends_soon depends only on the IGO and the year, so a rule that excludes it (igo_not_ending, strict) can
    see no withdrawal in an ending IGO's last years: its exposure leaves them out, an IGO-year both imputed and
    ending once; the panel's count of ending IGOs covers every flagged candidate; and the caption of the
    sensitivity table names those years for exactly the rules that drop them."""
    igo = built["igo"]
    before = (FIRST_YEAR, withdrawal.SPLIT_YEAR - 1)
    part = igo[igo["year"].between(*before)]
    hidden = (part["n_igos_imputed"] + part["n_igos_ending"] - part["n_igos_imputed_ending"]) / part["n_igos"]
    expected = (1 - hidden).where(part["year"] != withdrawal.SEAM_YEAR, 0).sum()
    assert claims.observed_years(igo, before, "strict") == pytest.approx(expected)
    assert claims.observed_years(igo, before, "strict") < claims.observed_years(igo, before, "no_state_mass_exit")
    # a synthetic year: 10 IGOs, 4 imputed, 3 ending, 1 of them both: 6 of 10 hidden
    toy = pd.DataFrame({"year": [1970], "n_igos": [10], "n_igos_imputed": [4], "n_igos_ending": [3],
                        "n_igos_imputed_ending": [1]})
    assert claims.observed_share(toy, (1970, 1970), "strict")[1970] == pytest.approx(0.4)
    assert claims.observed_share(toy, (1970, 1970), "igo_not_ending")[1970] == pytest.approx(0.4)
    assert claims.observed_share(toy, (1970, 1970), "no_imputed")[1970] == pytest.approx(0.6)
    with pytest.raises(ValueError, match="n_igos_ending"):
        claims.observed_share(toy.drop(columns="n_igos_ending"), (1970, 1970), "strict")
    cand = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    flagged = cand[cand["igo_ends_soon"] & cand["igo_in_force"]].groupby("year")["ioname"].nunique()
    assert (flagged <= igo.set_index("year").loc[flagged.index, "n_igos_ending"]).all()
    clause = report.unobserved_rules_clause()
    ending = [k for k, r in withdrawal.RULES.items() if "igo_ends_soon" in r.exclude]
    assert ending and f"{report.listing([f'`{k}`' for k in ending])} cannot see a withdrawal in imputed IGO-years, " \
        f"in the last {withdrawal.HORIZON + 1} years of an IGO that ends or in {withdrawal.SEAM_YEAR}" in clause


# --------------------------------------------------------------------------- the audit's items
def test_codebook_is_quoted_verbatim():
    """Every sentence the report quotes from the COW codebook is in the codebook's own text."""
    from _report_checks import pdf_text

    text = pdf_text(paths.RAW / "cow-igo-v3/IGO_Codebook_v3.pdf").replace("post- 1965", "post-1965")
    for key, quote in report.CODEBOOK_QUOTES.items():
        assert quote in text, key
        assert f"data.codebook.{key}" in paths.PAPER_QMD.read_text(encoding="utf-8")


def test_paper_row_of_table_2_is_the_papers_own_count():
    """The last row of Table 2 is the paper's count of COW data, not von Borzyskowski and Vabulas'."""
    md = report.sensitivity_table_md(pd.read_csv(paths.WITHDRAWAL_SENSITIVITY),
                                     json.loads(paths.EMPIRICS_NUMBERS.read_text())["paper"])
    last = md.strip().splitlines()[-1]
    assert last.startswith("| paper |") and "vBV" not in md


def test_rule_choice_sentence_names_the_rule():
    """The sentence on the rule in use names it, for the default and for another rule."""
    e = json.loads(paths.EMPIRICS_NUMBERS.read_text())
    for rule in (withdrawal.DEFAULT_RULE, "strict"):
        text = report.rule_variables({**e, "figure_rule": rule})["rule_choice_sentence"]
        assert f"`{rule}`" in text and "uses it" not in text
    assert "the default" in report.rule_variables({**e, "figure_rule": withdrawal.DEFAULT_RULE})["rule_choice_sentence"]


def test_the_abstract_states_both_rates_and_how_far_they_hold():
    """The abstract's regime finding gives the paper's rate and the rate per membership in words decided by the
    estimates, and counts the rules and measures under which democracies leave significantly more often per state:
    change the numbers and the words change."""
    kw = {"rule": "no_imputed", "measure": "Polity5", "period": "1971–2014", "rules": (10, 10), "measures": (1, 4)}
    text = V.abstract_sentence((1.42, 0.007), (1.01, 0.942), **kw)
    assert text.startswith("Under the `no_imputed` rule and Polity5, democracies left 1.4 times as often as "
                           "nondemocracies per state and IGO in force in 1971–2014 (the rate the paper plots), and "
                           "per membership")
    assert "they left neither significantly more nor less often." in text
    assert text.endswith("under 10 of the 10 withdrawal rules and 1 of the 4 democracy measures of this report.")
    assert "they left significantly less often." in V.abstract_sentence((1.42, 0.007), (0.7, 0.01), **kw)
    assert "did not leave significantly more or less often than nondemocracies per state" in V.abstract_sentence(
        (1.1, 0.4), (0.9, 0.5), **kw)
    assert "left only 0.60 times as often" in V.abstract_sentence((0.6, 0.001), (0.5, 0.001), **kw)
    assert "under 3 of the 10 withdrawal rules and 4 of the 4" in V.abstract_sentence(
        (1.42, 0.007), (1.01, 0.942), **{**kw, "rules": (3, 10), "measures": (4, 4)})
    assert "no rate ratio per membership" in V.abstract_sentence((1.42, 0.007), (math.nan, math.nan), **kw)


def test_the_notes_set_the_other_rules_beside_the_chosen_one_never_the_chosen_one_twice():
    """Replication notes 12 and 14 give the economic share and the top exiters under the build's rule, then under
    `basic` and `strict` beside it; a build under `strict` (or `basic`) does not repeat its own rule as "another"."""
    e = json.loads(paths.EMPIRICS_NUMBERS.read_text())
    for rule in (withdrawal.DEFAULT_RULE, "strict", "basic"):
        chosen = report.data_variables({**e, "figure_rule": rule})["chosen"]
        others = [k for k in ("basic", "strict") if k != rule]
        for k in ("basic", "strict"):
            assert (f"under `{k}`" in chosen["economic_others"]) == (k in others), (rule, k)
            assert (f"`{k}`:" in chosen["top_exiters_others"]) == (k in others), (rule, k)


def test_electoral_weakness_numbers_come_from_one_calibration_each():
    """Each count, share and lowest pi is quoted beside the calibration it comes from."""
    w = {"equations": {"n_points": 100, "n_only_h": 40, "n_l_favoured": 39, "share_l_favoured": 0.975,
                       "min_pi": 0.41},
         "reported": {"n_points": 100, "n_only_h": 30, "n_l_favoured": 29, "share_l_favoured": 29 / 30,
                      "min_pi": 0.31}}
    v = report.weakness_variables(w)
    assert (v["weak_only_h_eq"], v["weak_min_pi_eq"]) == ("40", "0.41")
    assert (v["weak_only_h_rep"], v["weak_min_pi_rep"]) == ("30", "0.31")


def test_late_1965_lapses_are_named_in_the_misses_table():
    """Poland's and Czechoslovakia's IMF exits: COW shows no exit near them but a lapse in 1965, 14 and 10 years
    late, and the reason says so."""
    misses = pd.read_csv(paths.VALIDATION_MISSES)
    for case, years in (("imf-poland-1950", 14), ("imf-czechoslovakia-1954", 10)):
        reason = misses.loc[misses["case_id"] == case, "reason"]
        assert not reason.empty
        assert reason.str.contains(f"shows a lapse only in 1965 .*{years} years after the first year out").all()


def test_top_exiters_show_ties():
    """A tie at the last place shown is shown, not cut: [[a, 5], [b, 4], [c, 3], [d, 3], [e, 2]] lists four."""
    from backlash.exhibits.empirics import top_exiters, with_ties

    ranked = [["a", 5], ["b", 4], ["c", 3], ["d", 3], ["e", 2]]
    assert with_ties(ranked, 3) == ranked[:4]
    assert report._exiters([["usa", 5], ["uk", 4], ["canada", 3], ["cuba", 3]]) == \
        "United States (5), United Kingdom (4), Canada (3), Cuba (3)"
    w = pd.DataFrame({"state": ["b", "a", "b", "a", "c", "d", "e", "e"]})
    assert top_exiters(w, 2) == [["a", 2], ["b", 2], ["e", 2]]


# --------------------------------------------------------------------------- the words under changed inputs
def test_rules_caption_follows_the_rules():
    """Table 1's caption is generated from the rules: an appended rule is described with the rule it builds on,
    or as standing apart, and the chain is named by its ends."""
    from backlash.withdrawal import RULES, Rule

    default = report.rules_caption()
    for key in RULES:
        assert f"`{key}`" in default or key in withdrawal.NESTED_CHAIN[1:-1]
    extended = dict(RULES, strict_1970=Rule("strict_1970", "strict from 1970", "strict, and from 1970 only", require=("from_full",)),
                    observers=Rule("observers", "observers leaving", "observer in t-1, none in t", require=("igo_in_force",)))
    text = report.rules_caption(extended)
    assert "`strict_1970` builds on `strict` outside the chain" in text
    assert "`observers` stands apart from the chain: observer in $t-1$, none in $t$" in text
    assert "Rules after `basic` add one filter each" not in text
    blind = dict(RULES, late=Rule("late", "strict, late", "strict, and late", require=("from_full",), exclude=("imputed",)))
    assert "`late`" in report.unobserved_rules_clause(blind)
    seam = dict(RULES, seam=Rule("seam", "seam only", "basic, and t is not 1965", require=("from_full",),
                                 exclude=("seam_1965",)))
    clause = report.unobserved_rules_clause(seam)  # a seam-only rule is not said to miss imputed years
    assert "`seam` cannot see a withdrawal in 1965," in clause and "`strict` cannot see a withdrawal in imputed" in clause
    assert "every rule can see" in report.unobserved_rules_clause({"plain": RULES["plain"]})


def test_regime_words_follow_the_measure_and_cut_off():
    """With another cut-off (polity2 >= 8) or measure, the report names the rule in use and drops "as in the paper";
    the count model under every measure uses the chosen cut-off for the chosen measure and labels it so."""
    from backlash import robustness

    cov = json.loads(paths.REGIME_COVERAGE.read_text())
    v = report.regime_variables({**cov, "measure": "polity", "threshold": 8, "rule": "polity2 ≥ 8"})
    assert v["regime_rule"] == "polity2 ≥ 8" and "as in the paper" not in v["regime_rule_note"]
    sy = pd.read_csv(paths.STATE_YEAR_PANEL)
    sy8 = sy.assign(democracy=(sy["polity2"] >= 8).astype(float).where(sy["polity2"].notna()))
    table = robustness.measure_count_models(sy8, pd.read_csv(paths.DEMOCRACY_MEASURES), measure="polity",
                                            cutoff="polity2 ≥ 8")
    polity = table[table["measure"] == "polity"]
    assert set(polity["cutoff"]) == {"polity2 ≥ 8"} and set(table.loc[table["measure"] == "vdem", "cutoff"]) == {
        "v2x_polyarchy > 0.5"}
    row = polity[(polity["exposure"] == "igos_in_force") & (polity["period"] == f"{FIRST_YEAR}-{LAST_YEAR}")].iloc[0]
    assert row["irr"] == pytest.approx(countmodel.fit_count_model(sy8, "democracy", exposure="igos_in_force")["irr"])
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    for label in ("tbl-sensitivity", "tbl-verdicts", "tbl-count", "tbl-decomposition", "fig-decomposition",
                  "fig-withdrawals", "fig-withdrawals-rules"):
        caption = next(line for line in qmd.splitlines() if "{#" + label + "}" in line)
        assert "data.regime_rule" in caption, label



def test_figure_across_measures_draws_the_chosen_measure_at_the_build_cut_off(built):
    """One rule sets the cut-offs of the figure of Figure 1(a) under every measure, as of the tables across
    measures: with V-Dem chosen at v2x_polyarchy > 0.6, its panel is Figure 1(a) of that build (fewer democracies
    than at 0.5) and is titled with 0.6, while every other measure's rows and titles stay at their defaults;
    without a chosen measure every measure is at its default; the figure's caption names the build's cut-off."""
    import matplotlib.pyplot as plt

    from backlash import democracy, plots, robustness
    from backlash.exhibits import empirics

    panel, igo = pd.read_csv(paths.DEMOCRACY_MEASURES), built["igo"]
    candidates = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    vdem6 = democracy.apply_measure(panel, "vdem", threshold=0.6)
    w6 = withdrawal.withdrawals(candidates, vdem6, built["rule"])
    rule6 = MEASURES["vdem"].rule(0.6)
    chosen = robustness.measure_series(w6, panel, igo, regime=vdem6, measure="vdem", cutoff=rule6)
    default = robustness.measure_series(w6, panel, igo)
    cols = ["year", "n_dem", "n_nondem", "w_dem", "w_nondem", "rate_dem", "rate_nondem"]
    at = lambda frame, key: frame[frame["measure"] == key].reset_index(drop=True)  # noqa: E731
    pd.testing.assert_frame_equal(at(chosen, "vdem")[cols], empirics.figure1_series(w6, vdem6, igo)[cols])
    assert at(chosen, "vdem")["n_dem"].sum() < at(default, "vdem")["n_dem"].sum()
    assert set(at(chosen, "vdem")["cutoff"]) == {rule6} and set(at(default, "vdem")["cutoff"]) == {"v2x_polyarchy > 0.5"}
    vdem5 = democracy.apply_measure(panel, "vdem")
    pd.testing.assert_frame_equal(at(default, "vdem")[cols], empirics.figure1_series(
        withdrawal.withdrawals(candidates, vdem5, built["rule"]), vdem5, igo)[cols])
    for key, m in MEASURES.items():
        if key != "vdem":
            pd.testing.assert_frame_equal(at(chosen, key), at(default, key))
            assert set(at(chosen, key)["cutoff"]) == {m.rule()}
    fig = plots.small_multiples(robustness.measure_panels(chosen), 5, "rate")
    titles = {ax.get_title(loc="left") for ax in fig.axes if ax.get_visible()}
    plt.close(fig)
    assert "V-Dem\n(v2x_polyarchy > 0.6)" in titles and "V-Dem\n(v2x_polyarchy > 0.5)" not in titles
    assert {f"{m.name}\n({m.rule()})" for k, m in MEASURES.items() if k != "vdem"} <= titles
    with pytest.raises(ValueError, match="regime panel"):
        robustness.measure_series(w6, panel, igo, measure="vdem", cutoff=rule6)
    # the build's own figure: the chosen measure's rows are Figure 1(a)
    built_series = pd.read_csv(paths.FIGURE1_MEASURES_SERIES)
    pd.testing.assert_frame_equal(at(built_series, built["measure"])[cols], built["series"][cols])
    qmd = paths.PAPER_QMD.read_text(encoding="utf-8")
    caption = next(line for line in qmd.splitlines() if "{#fig-withdrawals-measures}" in line)
    assert "data.regime_rule" in caption and "each measure at its default cut-off" not in caption


def test_decomposition_uses_the_build_cut_off_for_its_measure_and_defaults_for_the_others(built):
    """The decomposition's variants follow the same rule as the tables across measures: with V-Dem chosen at 0.6,
    the rule rows carry the build's regime (0.6) and the other measures their default cut-offs."""
    from backlash import democracy

    panel = pd.read_csv(paths.DEMOCRACY_MEASURES)
    vdem6 = democracy.apply_measure(panel, "vdem", threshold=0.6)
    sy6 = built["sy"].drop(columns="democracy").merge(vdem6[["ccode", "year", "democracy"]], on=["ccode", "year"],
                                                      how="left", validate="one_to_one")
    out = {v.measure: v for v in claims.variants(pd.read_csv(paths.WITHDRAWAL_CANDIDATES), vdem6, sy6,
                                                 rules=[built["rule"]], measure="vdem", measures_panel=panel,
                                                 rule=built["rule"])}
    assert set(out) == set(MEASURES)
    pd.testing.assert_series_equal(out["vdem"].regime["democracy"], vdem6["democracy"])
    pd.testing.assert_series_equal(out["vdem"].state_year["democracy"], sy6["democracy"], check_index=False)
    for key in MEASURES:
        if key != "vdem":
            expected = democracy.apply_measure(panel, key)["democracy"]
            pd.testing.assert_series_equal(out[key].regime["democracy"], expected)

def test_decomposition_words_follow_the_rule_and_measure(built):
    """The decomposition's numbers and labels follow the chosen rule and measure: another measure's row is named
    by its rule number, another rule's by the measure."""
    d, names = built["decomp"], {k: m.name for k, m in MEASURES.items()}
    v = report.decomposition_variables(d, built["rule"], built["measure"], names)
    late = _chosen(d, built).set_index("period").loc["1971-2014"]
    assert v["late"]["state"] == report.f(late["irr_state"], 2)
    assert v["late"]["sentence"] == V.decomposition_sentence((late["irr_state"], late["p_state"]),
                                                             (late["irr_membership"], late["p_membership"]),
                                                             late["density_ratio"])
    labels = report.variant_labels(d, built["rule"], built["measure"], names)
    assert labels[(built["rule"], built["measure"])].endswith(f"`{built['rule']}`")
    other = next(m for m in names if m != built["measure"])
    assert labels[(built["rule"], other)] == names[other]
    n_rules = len(d[(d["measure"] == built["measure"]) & (d["period"] == "1971-2014")])
    assert f" of {n_rules} rules (with {names[built['measure']]})" in v["late"]["counts"]


# --------------------------------------------------------------------------- the model's parameter sets
@pytest.fixture(scope="module")
def model_numbers() -> dict:
    return json.loads(paths.MODEL_NUMBERS.read_text(encoding="utf-8"))


def _with_figure3(m: dict, **change) -> dict:
    """model_numbers.json as if FIGURE3_PARAMS were the Prop. 3 example's with ``change``."""
    from dataclasses import replace

    from backlash import model
    from backlash.exhibits import model as mx

    p = replace(mx.PROP3_PARAMS, **change)
    curves = mx.realignment_curves(p)
    return {**m, "figure3_params": mx.curve_params(p),
            "figure3_switches": {c: mx.switches(p, calibration=c).to_dict() for c in model.CALIBRATIONS},
            "figure3": {**m["figure3"], "regimes": [int(r) for r in dict.fromkeys(curves["regime"])],
                        "ratio_max": float(curves["inequality"].max())}}


def test_figure3_words_when_l_never_switches(model_numbers):
    """With Figure 3's lambda = 0.3, L never switches to exit on the slice: the report says so (and where H's
    switch lies), calls the shape not reproduced, and does not claim the Prop. 3 example's parameters."""
    v = report.model_variables(_with_figure3(model_numbers, lam=0.3))["f3"]
    assert "L never switches to exit at this $\\gamma$" in v["switch_text"]
    assert "beyond the right end of the figure's axis" in v["switch_text"]
    assert v["shape"].startswith("Not reproduced in shape")
    assert "Proposition 3 example's" in v["note_source"] and not v["note_source"].startswith("ours are those")
    assert v["lam"] == "0.3"


def test_figure3_words_with_other_parameters(model_numbers):
    """With lambda = 0.45 the switches are computed anew and note 3 no longer says the parameters are the
    Prop. 3 example's; with the default set it does, and the shape is reproduced."""
    default = report.model_variables(model_numbers)["f3"]
    assert default["note_source"] == "ours are those of the Proposition 3 example"
    assert default["shape"].startswith("Reproduced in shape")
    v = report.model_variables(_with_figure3(model_numbers, lam=0.45))["f3"]
    assert v["note_source"] != default["note_source"] and v["switch_text"] != default["switch_text"]
    assert "H switches to exit at" in v["switch_text"]


def test_prop3_words_when_h_never_switches(model_numbers):
    """If the Prop. 3 parameters gave no switch of H, the clauses say so instead of printing NaN."""
    from dataclasses import replace

    from backlash.exhibits import model as mx

    sw = mx.switches(replace(mx.PROP3_PARAMS, lam=0.3, gamma=1.5)).to_dict()
    assert sw["before_h_switch"] is None
    clauses = report.prop3_clauses({**model_numbers, "prop3_equations": sw})
    assert clauses["eq_switch_clause"] == "H never switches to exit at these parameters"
    assert clauses["eq_realignment_clause"] == "no realignment, because H never switches to exit"


def test_prop3_note_follows_the_table():
    """Replication note 4 counts the printed numbers each calibration reproduces from ``prop3_table.csv`` and names
    the exceptions: one exception with both values, a few by name, many by number; none or all said as such."""
    t = pd.read_csv(paths.PROP3_TABLE)
    missed = t.loc[~t["reported_matches"]]
    note = report.prop3_note(t)
    k, total = int(t["reported_matches"].sum()), len(t)
    if len(missed) == 1:
        assert f"for {k} of {total} numbers* (the exception is {report.QUANTITY_MATH[missed['quantity'].iloc[0]]}" \
            in note
    # One exception: it is named with its values, in the singular.
    one = t.assign(reported_matches=True)
    one.loc[9, "reported_matches"] = False
    one_note = report.prop3_note(one)
    assert f"for {total - 1} of {total} numbers* (the exception is {report.QUANTITY_MATH[one.loc[9, 'quantity']]} " \
        f"at $\\alpha_R = {one.loc[9, 'alpha_r']:.2f}$, computed as {report.f(one.loc[9, 'reported'])} where the " \
        f"paper prints {report.f(one.loc[9, 'printed'])}; see @sec-figure3)" in one_note
    # None: reproduced without exception.
    assert report.prop3_note(t.assign(reported_matches=True)).startswith(
        f"*Reproduced under the `reported` calibration* (all {total} printed numbers); ")
    # Several: named in the plural; many: counted.
    two = t.assign(reported_matches=True)
    two.loc[[0, 3], "reported_matches"] = False
    assert f"for {total - 2} of {total} numbers* (the exceptions are {report.QUANTITY_MATH[two.loc[0, 'quantity']]}" \
        in report.prop3_note(two)
    many = t.assign(reported_matches=True)
    many.loc[:5, "reported_matches"] = False
    assert "(the 6 exceptions are listed in @sec-figure3)" in report.prop3_note(many)
    assert report.prop3_note(t.assign(reported_matches=False)).startswith(
        f"*Not reproduced under the `reported` calibration* (none of the {total} printed numbers); not under the "
        "equations as printed either")
    # The equations' side follows the table too.
    assert "; not under the equations as printed (@tbl-prop3)." in note or "under the equations as printed, " in note
    assert report.prop3_note(t.assign(equations=t["printed"])).endswith("; also under the equations as printed "
                                                                         "(@tbl-prop3).")
    some = t.copy()
    some.loc[:2, "equations"] = some.loc[:2, "printed"]
    assert report.prop3_note(some).endswith(f"; under the equations as printed, 3 of {total} (@tbl-prop3).")


def test_who_status_follows_the_codes():
    """Replication note 15 says, from COW's status codes of the five states in the WHO in 1949-51, which states COW
    codes as members throughout and which otherwise; change the codes and the words change."""
    codes = {"albania": [1, 1, 1], "bulgaria": [1, 1, 1], "czechoslovakia": [0, 1, 1], "poland": [1, 1, 1],
             "romania": [1, 1, 1]}
    assert report.who_status(codes, 1950) == ("Not in COW v3, which codes Albania, Bulgaria, Poland and Romania as "
                                              "members throughout 1949–1951 and Czechoslovakia as joining in 1950")
    assert report.who_status({**codes, "czechoslovakia": [1, 1, 1]}, 1950) == \
        "Not in COW v3, which codes them all as members throughout 1949–1951"
    assert report.who_status({s: [1, 0, 0] for s in codes}, 1950) == \
        "Coded in COW v3, which codes them all as leaving in 1950"
    mixed = report.who_status({**codes, "poland": [1, 0, 0], "romania": [1, -1, 1]}, 1950)
    assert mixed == ("Coded in COW v3 for Poland only; COW v3 codes Albania and Bulgaria as members throughout "
                     "1949–1951; Czechoslovakia as joining in 1950; Poland as leaving in 1950; and Romania with the "
                     "status codes 1, missing and 1 in 1949, 1950 and 1951")
    # The build's own codes give the sentence the report prints.
    e = json.loads(paths.EMPIRICS_NUMBERS.read_text(encoding="utf-8"))
    assert report.data_variables(e)["who_status"] == report.who_status(e["who_1950_status"], e["who_exit_year"])


def test_partial_status_clause_names_the_rules_counting_every_status():
    """The rules table's caption says which rules count exits from associate or observer status while their rates
    per membership take full memberships as exposure, from the rule declarations; none, one or several."""
    from backlash.withdrawal import RULES, Rule

    assert "`any_status` also counts exits from associate or observer status, but its rates per membership" \
        in report.rules_caption()
    full_only = {k: r for k, r in RULES.items() if "from_full" in r.require}
    assert report.partial_status_clause(full_only) == ""
    assert "associate" not in report.rules_caption(full_only)
    two = dict(RULES, observers=Rule("observers", "observers leaving", "observer in t-1, none in t",
                                     require=("igo_in_force",)))
    assert report.partial_status_clause(two).startswith(
        " `any_status` and `observers` also count exits from associate or observer status, but their rates")


def test_figure2_words_with_other_parameters(model_numbers):
    """Figure 2 drawn with another lambda is "not comparable" and names the paper's footnote 9 values."""
    f2 = {**model_numbers["figure2_params"], "lam": 0.55}
    v = report.model_variables({**model_numbers, "figure2_params": f2})
    assert v["f2_status"].startswith("Not comparable") and "footnote 9 has" in v["f2_source"]
    assert report.model_variables(model_numbers)["f2_status"] == "Reproduced"


def test_reading_is_qualified_by_the_measures_that_support_it(built):
    """The headline reading of the decomposition says under which measure it holds and under how many of the
    measures democracies leave more often per state; make every measure significant in the data and the count
    says all of them; make the chosen one insignificant and the reading no longer says the paper is right."""
    from backlash import democracy, report

    names = {k: m.name for k, m in democracy.MEASURES.items()}
    d = built["decomp"]
    late = d["period"] == f"{claims.LATE[0]}-{claims.LATE[1]}"
    base = report.decomposition_variables(d, built["rule"], built["measure"], names)["late"]["reading"]
    k = int(((d[late & (d["rule"] == built["rule"])]["irr_state"] > 1)
             & (d[late & (d["rule"] == built["rule"])]["p_state"] < V.ALPHA)).sum())
    n = int((late & (d["rule"] == built["rule"])).sum())
    from backlash.data import COMPARISON_PERIODS

    lo, hi = COMPARISON_PERIODS["late"]
    rows = d[late & (d["rule"] == built["rule"])]
    named = [names[m] for m in rows.loc[(rows["irr_state"] > 1) & (rows["p_state"] < V.ALPHA), "measure"]]
    which = f"{V.listing(named)}; " if 0 < k < n else ""
    by_rule = d[late & (d["measure"] == built["measure"])]
    k_rules = int(((by_rule["irr_state"] > 1) & (by_rule["p_state"] < V.ALPHA)).sum())
    assert f"Democracies left significantly more often per state and IGO in force in {lo}–{hi} under {k_rules} of " \
        f"the {len(by_rule)} withdrawal rules (with {names[built['measure']]}) and {k} of the {n} democracy " \
        f"measures of this report ({which}with the `{built['rule']}` rule)." in base
    assert f"with {names[built['measure']]} and the `{built['rule']}` rule" in base.replace("With", "with")
    stronger = d.copy()
    stronger.loc[late, ["irr_state", "p_state"]] = [1.5, 0.001]
    text = report.decomposition_variables(stronger, built["rule"], built["measure"], names)["late"]["reading"]
    assert f"under {len(by_rule)} of the {len(by_rule)} withdrawal rules" in text
    assert f"and {n} of the {n} democracy measures" in text and "rests on the choice" not in text
    # a rule under which democracies no longer leave significantly more often is counted, and the reading says
    # that it rests on the rule
    other_rule = by_rule.loc[by_rule["rule"] != built["rule"], "rule"].iloc[0]
    fewer = stronger.copy()
    fewer.loc[late & (d["rule"] == other_rule) & (d["measure"] == built["measure"]), ["irr_state", "p_state"]] = [1.1, 0.5]
    text = report.decomposition_variables(fewer, built["rule"], built["measure"], names)["late"]["reading"]
    assert f"under {len(by_rule) - 1} of the {len(by_rule)} withdrawal rules" in text
    assert text.endswith("The reading therefore rests on the choice of withdrawal rule.")
    chosen = late & (d["rule"] == built["rule"]) & (d["measure"] == built["measure"])
    weaker = d.copy()
    weaker.loc[chosen, ["irr_state", "p_state"]] = [1.1, 0.4]
    text = report.decomposition_variables(weaker, built["rule"], built["measure"], names)["late"]["reading"]
    assert "gives no evidence that democracies left more often" in text and "holds on the figure's own rate" not in text


def test_the_decomposition_figures_blocks_follow_the_rows():
    """The figure's two blocks (every rule under the chosen measure, then every other measure under the chosen rule)
    are counted from the table's rows and headed by the choices; rows of the two blocks mixed are refused."""
    from backlash import democracy

    names = {k: m.name for k, m in democracy.MEASURES.items()}
    table = pd.read_csv(paths.REGIME_DECOMPOSITION)
    part = table[table["period"] == table["period"].iloc[0]]
    chosen = choices.load()
    blocks = report.variant_blocks(part, chosen.withdrawal_rule, chosen.democracy, names)
    assert blocks == [(f"withdrawal rules, {names[chosen.democracy]}", len(withdrawal.RULES)),
                      (f"democracy measures, {chosen.withdrawal_rule} rule", len(democracy.MEASURES) - 1)]
    with pytest.raises(ValueError, match="must come before"):
        report.variant_blocks(part.iloc[::-1], chosen.withdrawal_rule, chosen.democracy, names)


def test_a_comparison_of_two_periods_counts_only_the_igo_years_the_rule_can_see():
    """Two periods can differ in how much exposure a rule hides (imputed IGO-years are all before 1965), so the
    claims that compare one regime type across periods (the post-war spike, the rise from 2005) count each year
    only for the share of its IGO-years the rule can see, as the rise from 1980 does: with half of the first
    period hidden, the same withdrawals give twice the first period's rate, and the evidence says so."""
    rng = np.random.default_rng(0)
    years = np.arange(1950, 1970)
    rows = [{"ccode": c, "year": y, "democracy": 0, "n_igos": 50, "memberships_lag": 20,
             "withdrawals": int(rng.poisson(1.0))} for c in range(30) for y in years]
    sy = pd.DataFrame(rows)
    before, after = (1950, 1959), (1960, 1969)
    share = pd.Series(np.where(years < 1960, 0.5, 1.0), index=years)
    full = claims.period_comparison(sy, 0, before, after)
    seen = claims.period_comparison(sy, 0, before, after, share)
    assert seen.irr_state == pytest.approx(full.irr_state / 2, rel=1e-6)
    assert seen.irr_membership == pytest.approx(full.irr_membership / 2, rel=1e-6)
    assert claims.seen_note(share, before, after).startswith("; each year counts only for the IGO-years")
    assert claims.seen_note(share, after) == ""
