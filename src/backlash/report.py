"""Numbers and tables for the paper, formatted from the pipeline's outputs.

Pure functions: they take the loaded JSON/CSV outputs and return the nested
dict written to ``_variables.yml`` (at the Quarto project root) (read with ``{{< var key.sub >}}``) and
Markdown pipe tables written to ``paper/generated/`` (read with
``{{< include ... >}}``).  No number in the paper is typed by hand.
"""

from __future__ import annotations

import re

import pandas as pd

from .data import DEMOCRACY_THRESHOLD, FIRST_YEAR, LAST_YEAR
from .exits import RULES, SEAM_YEAR, SPLIT_YEAR

#: Each model quantity of the Prop. 3 example as inline TeX math (read by pandoc and Quarto alike).
QUANTITY_MATH = {
    "theta_lr": r"$\theta^*_{LR}$", "theta_le": r"$\theta^*_{LE}$", "theta_hr": r"$\theta^*_{HR}$",
    "theta_he": r"$\theta^*_{HE}$", "gamma_l": r"$\gamma_L$", "gamma_h": r"$\gamma_H$", "d_w": r"$D^*_w$",
    "d_l": r"$D^*_\ell$",
}

STATE_NAMES = {"usa": "United States", "mauritania": "Mauritania", "norway": "Norway", "vietnam": "Vietnam", "uk": "United Kingdom", "canada": "Canada", "taiwan": "Taiwan",
               "yugoslaviaserb": "Yugoslavia/Serbia", "china": "China", "brazil": "Brazil", "cuba": "Cuba",
               "mexico": "Mexico"}


def f(x: float, digits: int = 3) -> str:
    """Fixed-point number with a true minus sign."""
    return f"{x:.{digits}f}".replace("-", "−")


def n(x: int) -> str:
    """Integer with a thousands separator."""
    return f"{int(x):,}"


def pval(p: float) -> str:
    """p-value with three decimals, or "<0.001"."""
    return "<0.001" if p < 0.0005 else f(p, 3)


def pct(x: float, digits: int = 0) -> str:
    return f"{100 * x:.{digits}f}%"


def _state(name: str) -> str:
    return STATE_NAMES.get(name, name.capitalize())


def _exiters(top: list) -> str:
    return ", ".join(f"{_state(s)} ({k})" for s, k in top[:3])


def model_variables(m: dict) -> dict:
    """Variables of the theory sections from ``model_numbers.json``."""
    p3, f2 = m["prop3_params"], m["figure2_params"]
    eq, rep = m["prop3_equations"], m["prop3_reported"]
    out = {
        "p3_lam": f(p3["lam"], 1), "p3_alpha_e": f(p3["alpha_e"], 1), "p3_x_h": f(p3["x_h"], 3),
        "p3_gamma": f(p3["gamma"], 2), "p3_b": f(p3["b"], 0), "p3_psi": f(p3["psi"], 0),
        "f2_lam": f(f2["lam"], 1), "f2_alpha_e": f(f2["alpha_e"], 1), "f2_x_h": f(f2["x_h"], 1),
        "prop3_matches": str(m["prop3_reported_matches"]), "prop3_count": str(m["prop3_printed_count"]),
        "prop3_equations_matches": str(m["prop3_equations_matches"]),
        "eq_switch_h": f(eq["switch_alpha_r_h"], 4), "eq_switch_l": f(eq["switch_alpha_r_l"], 4),
        "eq_switch_ratio_h": f(eq["switch_ratio_h"], 2), "eq_switch_ratio_l": f(eq["switch_ratio_l"], 2),
        "rep_switch_h": f(rep["switch_alpha_r_h"], 4), "rep_switch_l": f(rep["switch_alpha_r_l"], 4),
        "f2_gamma_h_max": f(m["figure2"]["gamma_h_max"], 3), "f2_gamma_l_max": f(m["figure2"]["gamma_l_max"], 3),
        "f2_ratio_max": f(m["figure2"]["ratio_max"], 0),
        "rep_alpha_r": f(m["reputation"]["alpha_r"], 1), "rep_c_max": f(m["reputation"]["c_max"], 2),
        "rep_gamma_h0": f(m["reputation"]["gamma_h_at_0"], 3), "rep_gamma_l0": f(m["reputation"]["gamma_l_at_0"], 3),
        "rep_cbar_h": f(m["reputation"]["deterrence_cost_h"], 3),
        "rep_cbar_l": f(m["reputation"]["deterrence_cost_l"], 3),
    }
    for when in ("before_h_switch", "after_h_switch", "after_l_switch"):
        for key in ("d_w", "d_l"):
            out[f"eq_{when}_{key}"] = f(eq[when][key], 3)
    out["printed_le"] = " and ".join(f(v["theta_le"]) for v in m["printed_prop3"].values())
    out["alpha_r_pair"] = " and ".join(f"{float(a):.2f}" for a in m["printed_prop3"])
    mism = m["prop3_reported_mismatches"]
    out["prop3_mismatch"] = "; ".join(
        f"{QUANTITY_MATH[x['quantity']]} at $\\alpha_R = {x['alpha_r']:.2f}$ (printed {x['printed']:.3f}, "
        f"computed {x['reported']:.3f})" for x in mism) or "none"
    return out


def data_variables(e: dict) -> dict:
    """Variables of the empirical sections from ``empirics_numbers.json``."""
    d, s, paper, facts, cov = e["default"], e["strict"], e["paper"], e["facts"], e["regime_coverage"]
    out = {
        "first_year": str(FIRST_YEAR), "last_year": str(LAST_YEAR), "split_year": str(SPLIT_YEAR),
        "democracy_threshold": str(DEMOCRACY_THRESHOLD),
        "paper_total": str(paper["total"]), "paper_economic": str(paper["economic"]),
        "paper_security": str(paper["security_incl_who"]), "paper_political": str(paper["political"]),
        "paper_per_year_before": f(paper["per_year_before_1980"], 1),
        "paper_per_year_after": f(paper["per_year_from_1980"], 1),
        "paper_economic_share": pct(paper["economic"] / paper["total"]),
        "min_total": n(e["sensitivity_range"]["min_total"]), "max_total": n(e["sensitivity_range"]["max_total"]),
        "n_rules": str(len(RULES)),
        "who_coded": "yes" if e["who_1950_coded_as_exit"] else "no",
        "n_igos_1945": str(facts["n_igos_1945"]), "n_igos_2014": str(facts["n_igos_2014"]),
        "years_after_1970": str(facts["years_after_1970"]),
        "years_dem_above": str(facts["years_dem_above_nondem_after_1970"]),
        "rate_dem_post1970": f(facts["mean_rate_dem_1971_2014"], 3),
        "rate_nondem_post1970": f(facts["mean_rate_nondem_1971_2014"], 3),
        "rate_dem_1951_1970": f(facts["mean_rate_dem_1951_1970"], 3),
        "rate_nondem_1951_1970": f(facts["mean_rate_nondem_1951_1970"], 3),
        "rate_dem_1995_2004": f(facts["mean_rate_dem_1995_2004"], 3),
        "rate_dem_2005_2014": f(facts["mean_rate_dem_2005_2014"], 3),
        "w_1995_2004": f(facts["mean_withdrawals_1995_2004"], 1),
        "w_2005_2014": f(facts["mean_withdrawals_2005_2014"], 1),
        "smoothing_years": str(facts["smoothing_years"]),
        "figure_rule": e["figure_rule"],
        "n_igos_file": str(e["file_facts"]["n_igos"]), "n_state_columns": str(e["file_facts"]["n_state_columns"]),
        "who_year": str(e["who_exit_year"]), "seam_year": str(SEAM_YEAR),
        **{f"period_{k}": f"{lo}–{hi}" for k, (lo, hi) in e["periods"].items()},
        "period_late_start": str(e["periods"]["late"][0]), "period_post2005_start": str(e["periods"]["post2005"][0]),
        "state_mass_examples": ", ".join(f"{_state(s)} in {y}" for s, y, _ in e["state_mass_examples"]),
        "paper_examples": ", ".join(f"{_state(x['state'])}–{x['ioname']} {x['paper_year']}" for x in e["paper_examples"]),
        "our_examples": "; ".join(f"{_state(x['state'])}–{x['ioname']}: last member year {x['last_member_year']}, "
                                  f"first year out {x['first_year_out']}" for x in e["paper_examples"]),
        "paper_top_exiters": _exiters(e["paper"]["top_exiters"]),
        "dem_above_words": ("in most" if 2 * facts["years_dem_above_nondem_after_1970"] > facts["years_after_1970"]
                            else "in fewer than half of the"),
        "rise_word": "higher" if facts["mean_rate_dem_2005_2014"] > facts["mean_rate_dem_1995_2004"] else "lower",
        "count_rise_word": ("more" if facts["mean_withdrawals_2005_2014"] > facts["mean_withdrawals_1995_2004"]
                            else "fewer"),
        "cov_member_years": n(cov["member_years"]), "cov_states": str(cov["states"]),
        "cov_no_polity": n(cov["no_polity_row"]), "cov_never_scored": str(cov["states_never_scored"]),
        "cov_minus66": str(cov["foreign_occupation_minus66"]), "cov_minus77": str(cov["interregnum_minus77"]),
        "cov_minus88": str(cov["transition_minus88"]), "cov_missing_polity2": n(cov["missing_polity2"]),
        "cov_dem_years": n(cov["democracy_years"]), "cov_nondem_years": n(cov["nondemocracy_years"]),
        "cov_remapped": str(cov["polity_codes_remapped"]),
    }
    for name, r in (("default", d), ("strict", s)):
        out[name] = {
            "total": n(r["total"]), "economic": n(r["economic"]), "political": n(r["political"]),
            "social": n(r["social"]), "economic_share": pct(r["share_economic"]),
            "political_share": pct(r["share_political"]), "social_share": pct(r["share_social"]),
            "per_year_before": f(r["per_year_before_1980"], 1), "per_year_after": f(r["per_year_from_1980"], 1),
            "top_exiters": _exiters(r["top_exiters"]), "usa": str(r["usa"]), "canada": str(r["canada"]),
            "uk": str(r["uk"]), "known_found": str(r["known_cases_found"]),
            "democracy": n(r["democracy"]), "nondemocracy": n(r["nondemocracy"]),
        }
    cm = e["count_model"]
    for key, label in (("all", "democracy, 1945-2014"), ("pre", "democracy, 1945-1969"),
                       ("post", "democracy, 1970-2014"), ("polity", "polity2, 1945-2014")):
        r = cm[label]
        out[f"cm_{key}"] = {"coef": f(r["coef"], 3), "se": f(r["se"], 3), "p": pval(r["p_value"]),
                            "irr": f(r["irr"], 2), "n": n(r["n_obs"]), "states": str(r["n_states"])}
    return out


# --------------------------------------------------------------------------- tables
def _pipe_table(header: list[str], rows: list[list[str]], align: str) -> str:
    """A pipe table whose separator dashes are proportional to each column's widest cell.

    When a table is wider than a line, pandoc sizes its columns by those dashes.
    """
    widths = [max(4, len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(header)]
    sep = [("-" * (w - 1) + ":") if a == "r" else (":" + "-" * (w - 1)) if a == "l" else (":" + "-" * (w - 2) + ":")
           for a, w in zip(align, widths)]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def prop3_table_md(t: pd.DataFrame) -> str:
    """The Prop. 3 example: printed value, value under each calibration, and whether `reported` matches."""
    rows = [[f"{r.alpha_r:.2f}", QUANTITY_MATH[r.quantity], f(r.printed), f(r.equations), f(r.reported),
             "yes" if r.reported_matches else "**no**"] for r in t.itertuples()]
    return _pipe_table([r"$\alpha_R$", "quantity", "printed", "equations", "reported", "reported = printed"], rows,
                       "rlrrrc")


def sensitivity_table_md(t: pd.DataFrame, paper: dict) -> str:
    """Withdrawal counts under each rule, with the paper's counts in the last row."""
    rows = [[f"`{r.rule}`", n(r.total), n(r.economic), n(r.political), n(r.social), n(r.democracy),
             n(r.nondemocracy), n(r.regime_unknown), f(r.per_year_before_1980, 1), f(r.per_year_from_1980, 1)]
            for r in t.itertuples()]
    rows.append(["paper (vBV 2019)", str(paper["total"]), str(paper["economic"]), str(paper["political"]),
                 f"{paper['security_incl_who']}†", "–", "–", "–", f(paper["per_year_before_1980"], 1),
                 f(paper["per_year_from_1980"], 1)])
    return _pipe_table(["rule", "total", "econ.", "polit.", "social", "dem.", "nondem.", "n/a",
                        f"/yr <{SPLIT_YEAR}", f"/yr ≥{SPLIT_YEAR}"], rows, "lrrrrrrrrr")


def _year_math(text: str) -> str:
    """Years relative to t in a rule's description ("t-1", "t+2", "t") typeset as math ($t-1$)."""
    return re.sub(r"(?<![\w$])t(?:([+-])(\d+))?(?![\w$])",
                  lambda m: f"$t{m[1]}{m[2]}$" if m[1] else "$t$", text)


def rules_table_md() -> str:
    """What each withdrawal rule keeps."""
    rows = []
    for k, r in RULES.items():
        text = _year_math(r.description)
        first = text.split(",")[0]
        if first in RULES:  # "no_mass_exit, and ...": the rule it builds on, as code
            text = f"`{first}`" + text[len(first):]
        rows.append([f"`{k}`", text])
    return _pipe_table(["rule", "what it counts"], rows, "ll")


def count_model_md(t: pd.DataFrame) -> str:
    """The count-model estimates: coefficient (clustered SE), incidence-rate ratio, N."""
    rows = [[r.specification, f"{f(r.coef)} ({f(r.se)})", pval(r.p_value), f(r.irr, 2), n(r.n_obs), str(r.n_states),
             n(r.n_withdrawals)] for r in t.itertuples()]
    return _pipe_table(["specification", "coefficient (SE)", "p", "rate ratio", "state-years", "states",
                        "withdrawals"], rows, "lrrrrrr")
