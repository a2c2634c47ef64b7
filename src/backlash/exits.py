"""Withdrawals from IGOs: the rule, its variants, Figure 1's series and a count model.

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
is chosen is :data:`DEFAULT_RULE` (``no_imputed``).
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .data import FIRST_YEAR, ISSUE_AREAS, LAST_YEAR, membership_matrix

SPLIT_YEAR = 1980  # the paper contrasts withdrawals before and after 1980
SEAM_YEAR = 1965  # COW's yearly archival coding replaces the older sources from this year
MASS_EXIT_SHARE = 0.5  # "most of the members leaving at once"
MASS_EXIT_MIN = 3
STATE_MASS_MIN = 4  # a state leaving this many IGOs in one year: succession, suspension or recoding
HORIZON = 2  # years ahead for re-entry, IGO death and state death
SMOOTHING_YEARS = 5  # Figure 1: centred 5-year moving average over the yearly points


def candidate_transitions(panel: pd.DataFrame, attrs: pd.DataFrame, system: pd.DataFrame,
                          imputed: pd.DataFrame, first: int = FIRST_YEAR, last: int = LAST_YEAR) -> pd.DataFrame:
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
                               system: pd.DataFrame, imputed: pd.DataFrame, first: int = FIRST_YEAR,
                               last: int = LAST_YEAR) -> pd.DataFrame:
    """:func:`candidate_transitions` computed on the IGO-year array (same frame, same order).

    The state columns of the IGO-year file form one ``int8`` array (one row per
    IGO and year, one column per state; :func:`backlash.data.membership_matrix`).
    With its rows sorted by IGO and year, the status in t-1, t+1 and t+2 is the
    row one above or below (when it is the same IGO in the adjacent year), so the
    transitions come from comparing shifted rows: about 4 MB of work instead of
    the 4-million-row long panel.
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
    end_of_data = int(attrs["last_row"].max()) if "last_row" in attrs else int(attrs["last_year"].max())
    c["igo_ends_soon"] = (c["last_year"] <= c["year"] + HORIZON) & (c["last_year"] < end_of_data)

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
    c["state_ends_soon"] = ~(is_member(c["year"] + 1) & is_member(c["year"] + 2))

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


@dataclass(frozen=True)
class Rule:
    """A withdrawal rule: a description and the flags that must be True / False."""

    description: str
    require: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()

    def mask(self, c: pd.DataFrame) -> pd.Series:
        m = pd.Series(True, index=c.index)
        for f in self.require:
            m &= c[f]
        for f in self.exclude:
            m &= ~c[f]
        return m


_BASIC = ("from_full", "igo_in_force", "state_member")


_STEPS = ("reentry_1y", "imputed", "seam_1965", "mass_exit", "state_mass_exit", "igo_ends_soon",
          "state_ends_soon")
#: The rules of the sensitivity table.  The main chain (plain, basic, no_reentry_1y,
#: no_imputed, no_mass_exit, no_state_mass_exit, igo_not_ending, strict) adds one
#: filter at a time, so each of its rules is nested in the one before;
#: ``any_status`` contains ``basic`` and ``no_reentry_2y`` is nested in ``no_reentry_1y``.
RULES: "OrderedDict[str, Rule]" = OrderedDict([
    ("any_status", Rule("any membership (full, associate or observer) in t-1, none in t; IGO in force; "
                        "state a system member", require=("igo_in_force", "state_member"))),
    ("plain", Rule("full member in t-1, no membership in t (no other condition)", require=("from_full",))),
    ("basic", Rule("plain, and the IGO is in force and the state a system member in t", require=_BASIC)),
    ("no_reentry_1y", Rule("basic, and not a full member again in t+1", require=_BASIC,
                           exclude=_STEPS[:1])),
    ("no_reentry_2y", Rule("basic, and not a full member again in t+1 or t+2", require=_BASIC,
                           exclude=("reentry_2y",))),
    ("no_imputed", Rule("no_reentry_1y, and neither year imputed by COW nor t = 1965 (the change of sources)",
                        require=_BASIC, exclude=_STEPS[:3])),
    ("no_mass_exit", Rule("no_imputed, and not part of a mass exit (at least half, and 3, of the members)",
                          require=_BASIC, exclude=_STEPS[:4])),
    ("no_state_mass_exit", Rule("no_mass_exit, and the state leaves fewer than 4 IGOs that year",
                                require=_BASIC, exclude=_STEPS[:5])),
    ("igo_not_ending", Rule("no_state_mass_exit, and the IGO does not end within two years",
                            require=_BASIC, exclude=_STEPS[:6])),
    ("strict", Rule("igo_not_ending, and the state does not leave the system within two years",
                    require=_BASIC, exclude=_STEPS[:7])),
])
#: Rules in nesting order: each is contained in the one before.
NESTED_CHAIN = ("plain", "basic", "no_reentry_1y", "no_imputed", "no_mass_exit", "no_state_mass_exit",
                "igo_not_ending", "strict")
#: The rule used when none is chosen (``make all WITHDRAWAL_RULE=...``): the first rule that
#: removes what the COW codebook says is not observed year by year -- memberships imputed
#: between the five-yearly records before 1965, and the change of sources in 1965 -- and
#: one-year lapses.  The later filters (mass exits, succession) are judgement calls, kept
#: as robustness checks.
DEFAULT_RULE = "no_imputed"


def withdrawals(candidates: pd.DataFrame, regime: pd.DataFrame, rule: str = DEFAULT_RULE) -> pd.DataFrame:
    """The withdrawals under ``rule``, with regime type in the first non-member year attached."""
    if rule not in RULES:
        raise ValueError(f"unknown withdrawal rule {rule!r}; choose one of {', '.join(RULES)}")
    w = candidates.loc[RULES[rule].mask(candidates)]
    w = w.merge(regime[["ccode", "year", "polity2", "democracy"]], on=["ccode", "year"], how="left",
                validate="many_to_one")
    cols = ["ioname", "orgname", "state", "ccode", "year", "last_member_year", "issue_area", "polity2",
            "democracy", "prev_status", "reentry_1y", "reentry_2y", "imputed", "seam_1965", "mass_exit",
            "state_mass_exit", "igo_ends_soon", "state_ends_soon", "n_leaving", "n_state_leaving"]
    return w[cols].sort_values(["year", "ioname", "ccode"], ignore_index=True)


def sensitivity_table(candidates: pd.DataFrame, regime: pd.DataFrame) -> pd.DataFrame:
    """Counts under every rule: total, by issue area, by regime type, before and after 1980."""
    rows = []
    for name, rule in RULES.items():
        w = withdrawals(candidates, regime, name)
        before = w["year"] < SPLIT_YEAR
        rows.append({
            "rule": name, "description": rule.description, "total": len(w),
            **{area: int((w["issue_area"] == area).sum()) for area in ISSUE_AREAS},
            "democracy": int((w["democracy"] == 1).sum()), "nondemocracy": int((w["democracy"] == 0).sum()),
            "regime_unknown": int(w["democracy"].isna().sum()),
            "before_1980": int(before.sum()), "from_1980": int((~before).sum()),
            "per_year_before_1980": before.sum() / (SPLIT_YEAR - FIRST_YEAR),
            "per_year_from_1980": (~before).sum() / (LAST_YEAR - SPLIT_YEAR + 1),
        })
    return pd.DataFrame(rows)


def moving_average(values: pd.Series, window: int = SMOOTHING_YEARS) -> pd.Series:
    """Figure 1's smoothing: a centred ``window``-year mean, over at least half the window at the edges."""
    return values.rolling(window, center=True, min_periods=window // 2 + 1).mean()


def figure1_series(w: pd.DataFrame, regime: pd.DataFrame, igo_panel: pd.DataFrame) -> pd.DataFrame:
    r"""Figure 1's yearly series, in percent.

    Panel (a): :math:`100\,W^{dem}_t/(N^{dem}_t\,I_t)` and the same for
    nondemocracies, where :math:`W` counts withdrawals by states of that regime
    type in year t, :math:`N` the system members of that type, :math:`I_t` the
    IGOs in force.  Panel (b): :math:`100\,W^{area}_t/I_t` for each issue area.
    Withdrawals by states with no regime score count in panel (b) only.
    """
    years = igo_panel[["year", "n_igos"]].copy()
    n_regime = regime.dropna(subset=["democracy"]).groupby(["year", "democracy"]).size().unstack(fill_value=0)
    years["n_dem"] = years["year"].map(n_regime.get(1, pd.Series(dtype=int))).fillna(0).astype("int64")
    years["n_nondem"] = years["year"].map(n_regime.get(0, pd.Series(dtype=int))).fillna(0).astype("int64")
    count = lambda mask: years["year"].map(w.loc[mask].groupby("year").size()).fillna(0).astype("int64")  # noqa: E731
    years["w_total"] = count(pd.Series(True, index=w.index))
    years["w_dem"] = count(w["democracy"] == 1)
    years["w_nondem"] = count(w["democracy"] == 0)
    for area in ISSUE_AREAS:
        years[f"w_{area}"] = count(w["issue_area"] == area)
    with np.errstate(divide="ignore", invalid="ignore"):
        years["rate_dem"] = 100 * years["w_dem"] / (years["n_dem"] * years["n_igos"])
        years["rate_nondem"] = 100 * years["w_nondem"] / (years["n_nondem"] * years["n_igos"])
        for area in ISSUE_AREAS:
            years[f"rate_{area}"] = 100 * years[f"w_{area}"] / years["n_igos"]
    return years


def state_year_panel(panel: pd.DataFrame, w: pd.DataFrame, regime: pd.DataFrame) -> pd.DataFrame:
    """State-year panel for the count model: withdrawals, memberships at risk, regime.

    ``memberships_lag`` counts the state's full IGO memberships in t-1 (the set it
    could leave in t); rows are every COW system member-year, with ``polity2`` and
    ``democracy`` missing where the state has no score (the count model drops
    those rows for the regressor it uses, so another democracy measure can be
    swapped in without rebuilding the panel).
    """
    full = panel.loc[panel["status"] == 1].groupby(["ccode", "year"]).size().rename("memberships")
    lag = full.copy()
    lag.index = lag.index.set_levels(lag.index.levels[1] + 1, level=1)
    out = regime.copy()
    out = out.join(lag.rename("memberships_lag"), on=["ccode", "year"])
    out["memberships_lag"] = out["memberships_lag"].fillna(0).astype("int64")
    out = out.join(w.groupby(["ccode", "year"]).size().rename("withdrawals"), on=["ccode", "year"])
    out["withdrawals"] = out["withdrawals"].fillna(0).astype("int64")
    out["democracy"] = out["democracy"].astype("Int64")
    out["decade"] = (out["year"] // 10 * 10).astype("int64")
    return out[["ccode", "year", "decade", "polity2", "democracy", "memberships_lag", "withdrawals"]] \
        .sort_values(["ccode", "year"], ignore_index=True)


def fit_count_model(data: pd.DataFrame, var: str) -> dict:
    """Fit the count model of withdrawals on ``var`` for the state-years in ``data``.

    Poisson GLM with ``log(memberships_lag)`` as offset and decade effects,
    standard errors clustered by state; rows without memberships at risk or
    without a value of ``var`` are dropped.  Returns ``term, coef, se, p_value, irr, n_obs, n_states,
    n_withdrawals`` for ``var``.
    """
    import statsmodels.api as sm
    import statsmodels.formula.api as smf

    data = data.loc[(data["memberships_lag"] > 0) & data[var].notna()].reset_index(drop=True)
    data[var] = data[var].astype(float)
    model = smf.glm(f"withdrawals ~ {var} + C(decade)", data=data, family=sm.families.Poisson(),
                    offset=np.log(data["memberships_lag"]))
    fit = model.fit(cov_type="cluster", cov_kwds={"groups": data["ccode"].to_numpy()})
    return {"term": var, "coef": float(fit.params[var]), "se": float(fit.bse[var]),
            "p_value": float(fit.pvalues[var]), "irr": float(np.exp(fit.params[var])), "n_obs": int(fit.nobs),
            "n_states": int(data["ccode"].nunique()), "n_withdrawals": int(data["withdrawals"].sum())}


def count_model(sy: pd.DataFrame) -> pd.DataFrame:
    """Poisson GLM of withdrawals with log memberships as offset, decade effects, SEs clustered by state.

    Specifications: the democracy indicator on 1945-2014 and on the two periods
    of the paper's claims (:data:`PERIODS`: 1951-1970, "after 1950", and
    1971-2014, "after 1970"); and Polity5's polity2 instead of the indicator
    (:func:`fit_count_model`).
    Returns one row per specification and reported coefficient.
    """
    (early_lo, early_hi), (late_lo, late_hi) = PERIODS["early"], PERIODS["late"]
    specs = [
        (f"democracy, {FIRST_YEAR}-{LAST_YEAR}", "democracy", sy),
        (f"democracy, {early_lo}-{early_hi}", "democracy", sy[sy["year"].between(early_lo, early_hi)]),
        (f"democracy, {late_lo}-{late_hi}", "democracy", sy[sy["year"].between(late_lo, late_hi)]),
        (f"polity2, {FIRST_YEAR}-{LAST_YEAR}", "polity2", sy),
    ]
    return pd.DataFrame([{"specification": label, **fit_count_model(data, var)} for label, var, data in specs])


# --------------------------------------------------------------------------- numbers for the paper
#: What the paper reports (from von Borzyskowski and Vabulas 2019, not available here).
PAPER_COUNTS = {"total": 188, "economic": 127, "security_incl_who": 42, "political": 19,
                "per_year_before_1980": 2.0, "per_year_from_1980": 3.5,
                "top_exiters": [["usa", 10], ["canada", 9], ["uk", 7]]}
#: What von Borzyskowski and Vabulas (2019, abstract) say of their own dataset: 493 IGOs since 1945,
#: "about 200 cases of withdrawal" (the dataset is not public).
VBV_DATASET = {"igos": 493, "withdrawals_about": 200}
#: Withdrawals named in the paper and SOURCES.md that the basic rule must find.
KNOWN_CASES = [("IATTC", "canada", 1985), ("ICSG", "norway", 2000), ("UMOA", "mauritania", 1974),
               ("ILO", "usa", 1978), ("UNESCO", "uk", 1986)]
#: The five Soviet-bloc exits from the WHO in 1950 that the paper names.
WHO_1950_STATES = ("albania", "bulgaria", "czechoslovakia", "poland", "romania")
WHO_EXIT_YEAR = 1950
#: Examples of economic exits named in the paper, with the year it gives.
PAPER_EXAMPLES = [("UMOA", "mauritania", 1973), ("IATTC", "canada", 1984), ("ICSG", "norway", 2000)]
#: Periods over which the stylized facts are averaged.
PERIODS = {"early": (1951, 1970), "late": (1971, LAST_YEAR), "pre2005": (1995, 2004), "post2005": (2005, LAST_YEAR)}


def who_1950_status(igo_year: pd.DataFrame) -> dict[str, list[int]]:
    """COW status codes of the five Soviet-bloc states in the WHO, 1949-1951."""
    rows = igo_year[(igo_year["ioname"] == "WHO")
                    & igo_year["year"].between(WHO_EXIT_YEAR - 1, WHO_EXIT_YEAR + 1)].sort_values("year")
    return {s: [int(v) if v == v else -1 for v in rows[s]] for s in WHO_1950_STATES}


def _mean(series: pd.DataFrame, col: str, lo: int, hi: int) -> float:
    return float(series.loc[series["year"].between(lo, hi), col].mean())


def empirics_summary(candidates: pd.DataFrame, regime: pd.DataFrame, sensitivity: pd.DataFrame,
                     series: pd.DataFrame, count: pd.DataFrame, coverage: dict,
                     who_1950: dict[str, list[int]], figure_rule: str, file_facts: dict) -> dict:
    """Every empirical number the paper quotes, with the paper's own figures beside ours.

    ``figure_rule`` is the rule behind Figure 1 and the count model (``withdrawals.csv``);
    ``file_facts`` holds counts read off the IGO file (IGOs, state columns).
    """
    out: dict = {"paper": {**PAPER_COUNTS, "vbv_dataset": VBV_DATASET}, "regime_coverage": coverage, "who_1950_status": who_1950,
                 "figure_rule": figure_rule, "file_facts": file_facts, "who_exit_year": WHO_EXIT_YEAR,
                 "periods": {k: list(v) for k, v in PERIODS.items()},
                 "who_1950_coded_as_exit": any(v[0] == 1 and v[1] == 0 for v in who_1950.values())}
    sens = sensitivity.set_index("rule")
    for key, rule in (("basic", "basic"), ("strict", "strict"), ("chosen", figure_rule)):
        row = sens.loc[rule]
        w = withdrawals(candidates, regime, rule)
        total = int(row["total"])
        out[key] = {
            "total": total, **{a: int(row[a]) for a in ISSUE_AREAS},
            **{f"share_{a}": float(row[a] / total) for a in ISSUE_AREAS},
            "democracy": int(row["democracy"]), "nondemocracy": int(row["nondemocracy"]),
            "regime_unknown": int(row["regime_unknown"]),
            "per_year_before_1980": float(row["per_year_before_1980"]),
            "per_year_from_1980": float(row["per_year_from_1980"]),
            "top_exiters": [[s, int(n)] for s, n in w["state"].value_counts().head(5).items()],
            "usa": int((w["state"] == "usa").sum()), "canada": int((w["state"] == "canada").sum()),
            "uk": int((w["state"] == "uk").sum()),
            "known_cases_found": int(sum(((w["ioname"] == i) & (w["state"] == s) & (w["year"] == y)).any()
                                         for i, s, y in KNOWN_CASES)),
        }
    out["totals"] = {str(r): int(t) for r, t in zip(sensitivity["rule"], sensitivity["total"])}
    basic = withdrawals(candidates, regime, "basic")
    early = basic[basic["year"] <= SEAM_YEAR]
    out["basic_early"] = {"n": int(len(early)), "imputed_or_seam": int((early["imputed"] | early["seam_1965"]).sum()),
                          "seam": int(early["seam_1965"].sum()), "n_known_cases": len(KNOWN_CASES)}
    out["sensitivity_range"] = {"min_total": int(sensitivity["total"].min()),
                                "max_total": int(sensitivity["total"].max())}
    post = series[series["year"].between(*PERIODS["late"])]
    out["facts"] = {
        "years_after_1970": int(len(post)),
        "years_dem_above_nondem_after_1970": int((post["rate_dem"] > post["rate_nondem"]).sum()),
        "mean_rate_dem_1971_2014": _mean(series, "rate_dem", *PERIODS["late"]),
        "mean_rate_nondem_1971_2014": _mean(series, "rate_nondem", *PERIODS["late"]),
        "mean_rate_dem_1951_1970": _mean(series, "rate_dem", *PERIODS["early"]),
        "mean_rate_nondem_1951_1970": _mean(series, "rate_nondem", *PERIODS["early"]),
        "mean_rate_dem_1995_2004": _mean(series, "rate_dem", *PERIODS["pre2005"]),
        "mean_rate_dem_2005_2014": _mean(series, "rate_dem", *PERIODS["post2005"]),
        "mean_withdrawals_1995_2004": _mean(series, "w_total", *PERIODS["pre2005"]),
        "mean_withdrawals_2005_2014": _mean(series, "w_total", *PERIODS["post2005"]),
        "n_igos_1945": int(series["n_igos"].iloc[0]), "n_igos_2014": int(series["n_igos"].iloc[-1]),
        "smoothing_years": SMOOTHING_YEARS,
    }
    before = withdrawals(candidates, regime, "no_mass_exit")
    mass = (before[before["state_mass_exit"]].groupby(["state", "year"]).size().rename("n").reset_index()
            .sort_values(["n", "year"], ascending=[False, True]).drop_duplicates("state").head(3))
    out["state_mass_examples"] = [[r.state, int(r.year), int(r.n)] for r in mass.itertuples()]
    basic_rows = basic
    examples = []
    for ioname, state, year in PAPER_EXAMPLES:
        hits = basic_rows[(basic_rows["ioname"] == ioname) & (basic_rows["state"] == state)]
        near = hits.iloc[(hits["year"] - year).abs().argsort()[:1]]
        examples.append({"ioname": ioname, "state": state, "paper_year": year,
                         "last_member_year": int(near["last_member_year"].iloc[0]) if len(near) else None,
                         "first_year_out": int(near["year"].iloc[0]) if len(near) else None})
    out["paper_examples"] = examples
    out["count_model"] = {r.specification: {"coef": r.coef, "se": r.se, "p_value": r.p_value, "irr": r.irr,
                                            "n_obs": int(r.n_obs), "n_states": int(r.n_states)}
                          for r in count.itertuples()}
    return out
