r"""The model's exhibits as data: Figures 2 and 3, the Prop. 3 table, the phase diagram,
the reputational-cost curves and the numbers the paper quotes.

Pure functions: they take parameters and return pandas objects or dicts; the
scripts in ``py/`` write them to disk and draw them.

Parameter sets
--------------
``FIGURE2_PARAMS``  the paper's footnote 9: :math:`\lambda=0.6,\ \alpha_E=0.4,\ b=\Psi=1,\ x_H=0.5`.
``PROP3_PARAMS``    the example in the proof of Prop. 3: :math:`\lambda=0.5,\ \alpha_E=0.4,\
                    b=\Psi=1,\ x_H=0.125,\ \gamma=1.05`, at :math:`\alpha_R\in\{0.70, 0.71\}`.
``FIGURE3_PARAMS``  the paper does not print Figure 3's parameters. We use the Prop. 3
                    example, drawn under both calibrations: under ``equations``, along
                    :math:`\alpha_R\in(0.5, 1)` it passes through all three regimes
                    (both remain; H exits; both exit) and both vote differences change
                    sign at each switch, which is the pattern the paper's Figure 3 shows.
                    With footnote 9's values instead, losers keep favouring L after H
                    exits, so that set cannot illustrate a full realignment.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from . import model


@dataclass(frozen=True)
class Params:
    """Parameters shared by a family of curves (alpha_r varies along the curve)."""

    lam: float
    alpha_e: float
    x_h: float
    b: float = 1.0
    psi: float = 1.0
    gamma: float | None = None
    c: float = 0.0


#: The values the paper prints in its footnote 9 (kept apart, so the report can say whether
#: FIGURE2_PARAMS still are the paper's).
FOOTNOTE9_PARAMS = Params(lam=0.6, alpha_e=0.4, x_h=0.5)
FIGURE2_PARAMS = FOOTNOTE9_PARAMS
PROP3_PARAMS = Params(lam=0.5, alpha_e=0.4, x_h=0.125, gamma=1.05)
FIGURE3_PARAMS = PROP3_PARAMS
PROP3_ALPHA_R = (0.70, 0.71)

#: The numbers printed in the proof of Proposition 3 (three decimals).
PRINTED_PROP3: dict[float, dict[str, float]] = {
    0.70: {"theta_lr": 0.566, "theta_le": 0.467, "theta_he": 0.508, "theta_hr": 0.605,
           "gamma_h": 1.048, "gamma_l": 1.013, "d_w": -0.067, "d_l": 0.095},
    0.71: {"theta_lr": 0.569, "theta_le": 0.468, "theta_he": 0.508, "theta_hr": 0.608,
           "gamma_h": 1.051, "gamma_l": 1.015, "d_w": 0.162, "d_l": -0.083},
}
QUANTITY_LABELS = {
    "theta_lr": "θ*_LR", "theta_le": "θ*_LE", "theta_hr": "θ*_HR", "theta_he": "θ*_HE",
    "gamma_l": "γ_L", "gamma_h": "γ_H", "d_w": "D*_w", "d_l": "D*_ℓ",
}


def inequality_ratio(alpha_r):
    r"""Ex-ante inequality under globalization, :math:`\alpha_R/(1-\alpha_R)` (the figures' x axis)."""
    alpha_r = np.asarray(alpha_r, float)
    return alpha_r / (1.0 - alpha_r)


def alpha_from_ratio(ratio):
    r"""Inverse of :func:`inequality_ratio`: :math:`\alpha_R = r/(1+r)`."""
    ratio = np.asarray(ratio, float)
    return ratio / (1.0 + ratio)


#: How far above max(1 - lam, alpha_E) the curves start, in alpha_R (the explorer reuses it).
RATIO_FLOOR_OFFSET = 1e-6


def _ratio_floor(p: Params) -> float:
    """Lowest inequality ratio on the curves: alpha_R just above max(1 - lam, alpha_E)."""
    return float(inequality_ratio(max(1 - p.lam, p.alpha_e) + RATIO_FLOOR_OFFSET))


def threshold_curves(p: Params, ratio_max: float = 10.0, n: int = 801,
                     calibration: str = "equations") -> pd.DataFrame:
    r"""Figure 2: :math:`\gamma_L` and :math:`\gamma_H` against :math:`\alpha_R/(1-\alpha_R)` (Prop. 2, Cor. 3).

    The grid runs over :math:`\alpha_R` from just above :math:`\max(1-\lambda,\alpha_E)`
    to :math:`\alpha_R = r_{max}/(1+r_{max})`, evenly in the inequality ratio.
    """
    ratio = np.linspace(_ratio_floor(p), ratio_max, n)
    alpha_r = alpha_from_ratio(ratio)
    gamma_l = model.exit_threshold(alpha_r, p.alpha_e, 0.0, p.lam, p.b, p.psi, p.c, calibration)
    gamma_h = model.exit_threshold(alpha_r, p.alpha_e, p.x_h, p.lam, p.b, p.psi, p.c, calibration)
    return pd.DataFrame({"alpha_r": alpha_r, "inequality": ratio, "gamma_l": gamma_l, "gamma_h": gamma_h})


#: Regimes along Figure 3's axis; 3 (only L exits) cannot occur when gamma_L <= gamma_H (Prop. 2).
REGIME_NAMES = {0: "both remain", 1: "H exits, L remains", 2: "both exit", 3: "L exits, H remains"}


def realignment_curves(p: Params, ratio_min: float = 1.0, ratio_max: float = 10.0, n: int = 1801,
                       calibration: str = "equations") -> pd.DataFrame:
    r"""Figure 3: :math:`D^*_w` and :math:`D^*_\ell` along :math:`\alpha_R/(1-\alpha_R)` at fixed :math:`\gamma` (Prop. 3).

    Returns one row per grid point with the regime (0 both remain, 1 only H
    exits, 2 both exit) and a ``segment`` number that increases at each switch,
    so a plot can draw each regime as its own line with the jumps visible.
    """
    if p.gamma is None:
        raise ValueError("realignment_curves needs a fixed gamma in the parameters")
    lo = max(ratio_min, _ratio_floor(p))
    ratio = np.linspace(lo, ratio_max, n)
    alpha_r = alpha_from_ratio(ratio)
    o = model.outcome(alpha_r, p.alpha_e, p.x_h, p.lam, p.gamma, p.b, p.psi, p.c, calibration=calibration)
    regime = np.where(o["exit_l"] & o["exit_h"], 2, np.where(o["exit_h"], 1, np.where(o["exit_l"], 3, 0)))
    segment = np.concatenate([[0], np.cumsum(regime[1:] != regime[:-1])])
    return pd.DataFrame({"alpha_r": alpha_r, "inequality": ratio, "regime": regime, "segment": segment,
                         "d_w": o["d_w"], "d_l": o["d_l"], "pi": o["pi"], "lemma1_ok": o["lemma1_ok"]})


#: Phase-diagram codes.  Relative to the both-remain pattern (winners favour H, losers L),
#: "switches" counts the groups whose favourite changes once H alone exits.
PHASES = {0: "both remain", 1: "H exits, no group switches", 2: "H exits, one group switches",
          3: "H exits, both groups switch", 4: "both exit"}


def phase_grid(p: Params, ratio_max: float = 10.0, gamma_max: float = 1.15, n_ratio: int = 361,
               n_gamma: int = 241, calibration: str = "equations") -> pd.DataFrame:
    r"""Equilibrium regimes over :math:`(\alpha_R/(1-\alpha_R),\ \gamma)`, beyond the paper.

    Phase 0: :math:`\gamma>\gamma_H` (both remain).  Phases 1-3:
    :math:`\gamma_L<\gamma\le\gamma_H` (only H exits), by how many of the two groups
    now favour the other candidate than when both remain, i.e. by how many of
    :math:`D^*_w>0` (winners now favour L) and :math:`D^*_\ell<0` (losers now favour H)
    hold: none (1), one (2) or both, the full realignment of Prop. 3 (3).
    Phase 4: :math:`\gamma\le\gamma_L` (both exit).
    """
    ratio = np.linspace(_ratio_floor(p), ratio_max, n_ratio)
    gamma = np.linspace(1.0 + 1e-6, gamma_max, n_gamma)
    rr, gg = np.meshgrid(ratio, gamma)
    o = model.outcome(alpha_from_ratio(rr), p.alpha_e, p.x_h, p.lam, gg, p.b, p.psi, p.c,
                      calibration=calibration)
    only_h = o["exit_h"] & ~o["exit_l"]
    switched = (o["d_w"] > 0).astype(int) + (o["d_l"] < 0).astype(int)
    phase = np.where(o["exit_l"], 4, np.where(only_h, 1 + switched, 0))
    return pd.DataFrame({"inequality": rr.ravel(), "gamma": gg.ravel(), "phase": phase.ravel()})


#: The phase diagram's panels: parameters and the top of the gamma axis.
PHASE_PANELS = {"a": (FIGURE3_PARAMS, 1.12), "b": (FIGURE2_PARAMS, 1.40)}


def phase_shares(grid: pd.DataFrame) -> dict[str, float]:
    """Share of the only-H-exits region (phases 1-3) in which no group, one group or both switch."""
    only_h = grid[grid["phase"].between(1, 3)]
    return {key: float((only_h["phase"] == k).mean()) if len(only_h) else float("nan")
            for key, k in (("none", 1), ("one", 2), ("both", 3))}


#: The alpha_R at which the reputational-cost figure (Figure 5) and its numbers are drawn.
REPUTATION_ALPHA_R = 0.7


def reputation_curves(p: Params, alpha_r: float = REPUTATION_ALPHA_R, c_max: float = 0.1, n: int = 201,
                      calibration: str = "equations") -> pd.DataFrame:
    r"""How :math:`\gamma_L` and :math:`\gamma_H` fall with the reputational cost :math:`c` (appendix).

    With :math:`Z_d=\Phi_d+c`, :math:`\log\gamma_d` falls one for one with
    :math:`c/(b\Psi)`, so each threshold is :math:`\gamma_d(0)\,e^{-c/(b\Psi)}`.
    """
    c = np.linspace(0.0, c_max, n)
    gamma_l = model.exit_threshold(alpha_r, p.alpha_e, 0.0, p.lam, p.b, p.psi, c, calibration)
    gamma_h = model.exit_threshold(alpha_r, p.alpha_e, p.x_h, p.lam, p.b, p.psi, c, calibration)
    return pd.DataFrame({"c": c, "gamma_l": gamma_l, "gamma_h": gamma_h})


def deterrence_cost(p: Params, alpha_r: float, x: float, calibration: str = "equations") -> float:
    r"""The smallest reputational cost that removes a leader's exit region (:math:`\gamma_d\le1`).

    From :math:`\log\gamma_d(c) = \log\gamma_d(0) - c/(b\Psi)`: :math:`\bar c = b\Psi\,\max(0, \log\gamma_d(0))`.
    """
    g0 = float(model.exit_threshold(alpha_r, p.alpha_e, x, p.lam, p.b, p.psi, 0.0, calibration))
    return float(p.b * p.psi * max(0.0, np.log(g0)))


def prop3_table() -> pd.DataFrame:
    """Every number printed in the proof of Prop. 3 beside its value under both calibrations.

    Columns: ``alpha_r, quantity, label, printed, equations, reported,
    reported_matches`` (the ``reported`` value rounds to the printed one at three decimals).
    """
    rows = []
    for alpha_r in PROP3_ALPHA_R:
        values = {}
        for cal in model.CALIBRATIONS:
            p = PROP3_PARAMS
            o = model.outcome(alpha_r, p.alpha_e, p.x_h, p.lam, p.gamma, p.b, p.psi, p.c, calibration=cal)
            values[cal] = {k: float(o[k]) for k in QUANTITY_LABELS}
        for q, printed in PRINTED_PROP3[alpha_r].items():
            rep = values["reported"][q]
            rows.append({"alpha_r": alpha_r, "quantity": q, "label": QUANTITY_LABELS[q], "printed": printed,
                         "equations": values["equations"][q], "reported": rep,
                         "reported_matches": bool(abs(rep - printed) < 0.0005 + 1e-12)})
    return pd.DataFrame(rows)


def _regime_summary(p: Params, alpha_r: float, calibration: str) -> dict:
    eq = model.solve(model.ModelParams(lam=p.lam, alpha_r=alpha_r, alpha_e=p.alpha_e, x_h=p.x_h, b=p.b,
                                       psi=p.psi, gamma=p.gamma, c=p.c, calibration=calibration))
    return {"alpha_r": alpha_r, "action_l": eq.action["L"], "action_h": eq.action["H"],
            "d_w": eq.D["w"], "d_l": eq.D["l"], "gamma_l": eq.gamma_threshold["L"],
            "gamma_h": eq.gamma_threshold["H"], "pi": eq.pi}


def _switches(p: Params, calibration: str) -> dict:
    """Where H, then L, switches to exit along alpha_R at p.gamma, and the vote differences around it."""
    sw_h = model.switch_alpha_r("H", p.gamma, p.alpha_e, p.x_h, p.lam, p.b, p.psi, p.c, calibration)
    sw_l = model.switch_alpha_r("L", p.gamma, p.alpha_e, p.x_h, p.lam, p.b, p.psi, p.c, calibration)
    return {"switch_alpha_r_h": sw_h, "switch_alpha_r_l": sw_l,
            "switch_ratio_h": float(inequality_ratio(sw_h)), "switch_ratio_l": float(inequality_ratio(sw_l)),
            "before_h_switch": _regime_summary(p, sw_h - 0.005, calibration),
            "after_h_switch": _regime_summary(p, sw_h + 0.005, calibration),
            "after_l_switch": _regime_summary(p, min(sw_l + 0.005, 0.999), calibration)}


def model_numbers() -> dict:
    """Every model number the report quotes (``model_numbers.json``, read by ``py/paper_inputs.py``)."""
    out: dict = {}
    p3 = PROP3_PARAMS
    out["prop3_params"] = asdict(p3)
    out["figure2_params"] = asdict(FIGURE2_PARAMS)
    out["footnote9_params"] = asdict(FOOTNOTE9_PARAMS)
    out["figure3_params"] = asdict(FIGURE3_PARAMS)
    table = prop3_table()
    out["printed_prop3"] = {f"{a:.2f}": v for a, v in PRINTED_PROP3.items()}
    out["prop3_reported_matches"] = int(table["reported_matches"].sum())
    out["prop3_printed_count"] = int(len(table))
    mismatches = table.loc[~table["reported_matches"]]
    out["prop3_reported_mismatches"] = [
        {"alpha_r": float(r.alpha_r), "quantity": r.quantity, "printed": float(r.printed), "reported": float(r.reported)}
        for r in mismatches.itertuples()]
    out["prop3_equations_matches"] = int((abs(table["equations"] - table["printed"]) < 0.0005).sum())
    for cal in model.CALIBRATIONS:
        out[f"prop3_{cal}"] = _switches(p3, cal)
    out["figure3_switches"] = {cal: _switches(FIGURE3_PARAMS, cal) for cal in model.CALIBRATIONS}
    f2 = FIGURE2_PARAMS
    curves = threshold_curves(f2)
    out["figure2"] = {"gamma_l_min": float(curves.gamma_l.min()), "gamma_l_max": float(curves.gamma_l.max()),
                      "gamma_h_min": float(curves.gamma_h.min()), "gamma_h_max": float(curves.gamma_h.max()),
                      "ratio_max": float(curves.inequality.max()),
                      "gap_max": float((curves.gamma_h - curves.gamma_l).max())}
    fig3 = realignment_curves(FIGURE3_PARAMS)
    out["figure3"] = {"lemma1_ok_everywhere": bool(fig3.lemma1_ok.all()),
                      "regimes": sorted(int(r) for r in fig3.regime.unique())}
    rep_curves = threshold_curves(f2, calibration="reported")
    out["figure2_reported"] = {
        "gamma_l_max_shift": float((rep_curves.gamma_l - curves.gamma_l).abs().max()),
        "gamma_h_max_shift": float((rep_curves.gamma_h - curves.gamma_h).abs().max()),
        "gamma_l_max": float(rep_curves.gamma_l.max()), "gamma_h_max": float(rep_curves.gamma_h.max())}
    out["electoral_weakness"] = {cal: electoral_weakness(calibration=cal) for cal in model.CALIBRATIONS}
    out["phase_shares"] = {k: phase_shares(phase_grid(p, gamma_max=g)) for k, (p, g) in PHASE_PANELS.items()}
    rep = reputation_curves(FIGURE2_PARAMS)
    out["reputation"] = {
        "alpha_r": REPUTATION_ALPHA_R, "c_max": float(rep.c.max()),
        "gamma_l_at_0": float(rep.gamma_l.iloc[0]), "gamma_h_at_0": float(rep.gamma_h.iloc[0]),
        "gamma_l_at_max": float(rep.gamma_l.iloc[-1]), "gamma_h_at_max": float(rep.gamma_h.iloc[-1]),
        "deterrence_cost_l": deterrence_cost(FIGURE2_PARAMS, REPUTATION_ALPHA_R, 0.0),
        "deterrence_cost_h": deterrence_cost(FIGURE2_PARAMS, REPUTATION_ALPHA_R, FIGURE2_PARAMS.x_h),
    }
    return out


#: Ranges of the parameter sample for :func:`electoral_weakness` (log-uniform where marked).
WEAKNESS_SAMPLE = {"lam": (0.05, 0.95), "x_h": (0.01, 1.0), "b_psi_log": (1e-2, 1e2), "gamma_log": (1.0, 2.0)}


def electoral_weakness(n: int = 200_000, seed: int = 0, calibration: str = "equations") -> dict:
    r"""How often L is favoured (:math:`\pi>\tfrac12`) where only H exits: "exit out of weakness".

    The paper argues that H proposes exit from a position of electoral weakness:
    where :math:`\gamma_L<\gamma\le\gamma_H` the low-bias L should be the likelier
    winner.  This is not a theorem of the model, so we measure it: ``n`` points
    drawn (with a fixed ``seed``) uniformly over :math:`\lambda`, :math:`\alpha_R\in(1-\lambda,1)`,
    :math:`\alpha_E\in(0,\alpha_R)` and :math:`x_H` and log-uniformly over :math:`b\Psi`
    and :math:`\gamma` (ranges in :data:`WEAKNESS_SAMPLE`, with :math:`b=1`), kept where
    only H exits and Lemma 1 is valid.

    Returns
    -------
    dict
        ``n_points`` drawn, ``n_only_h`` kept, ``n_l_favoured`` with :math:`\pi>\tfrac12`,
        ``share_l_favoured`` and ``min_pi`` among the kept points.
    """
    rng = np.random.default_rng(seed)
    r = WEAKNESS_SAMPLE
    lam = rng.uniform(*r["lam"], n)
    alpha_r = rng.uniform(1 - lam, 1.0)
    alpha_e = rng.uniform(0.0, alpha_r)
    x_h = rng.uniform(*r["x_h"], n)
    b_psi = np.exp(rng.uniform(*np.log(r["b_psi_log"]), n))
    gamma = np.exp(rng.uniform(*np.log(r["gamma_log"]), n))
    gamma = np.maximum(gamma, 1.0 + 1e-9)
    with np.errstate(over="ignore"):
        o = model.outcome(alpha_r, alpha_e, x_h, lam, gamma, 1.0, b_psi, calibration=calibration)
    keep = o["exit_h"] & ~o["exit_l"] & o["lemma1_ok"]
    pi = o["pi"][keep]
    return {"n_points": int(n), "n_only_h": int(keep.sum()), "n_l_favoured": int((pi > 0.5).sum()),
            "share_l_favoured": float((pi > 0.5).mean()) if keep.any() else float("nan"),
            "min_pi": float(pi.min()) if keep.any() else float("nan")}
