r"""The model's exhibits as data: Figures 2 and 3, the Prop. 3 table, the phase diagram,
the reputational-cost curves and the numbers the paper quotes.

Pure functions: they take parameters (:class:`backlash.model.ModelParams`, with
``alpha_r=None`` for a family of curves along it) and return pandas objects or typed
records (frozen dataclasses with ``to_dict()``); the scripts in ``py/`` write them to
disk and draw them.

Parameter sets
--------------
``FOOTNOTE9_PARAMS`` the paper's footnote 9: :math:`\lambda=0.6,\ \alpha_E=0.4,\ b=\Psi=1,\ x_H=0.5`.
``FIGURE2_PARAMS``  Figure 2's parameters: footnote 9's, unless a build changes them.
``PROP3_PARAMS``    the example in the proof of Prop. 3: :math:`\lambda=0.5,\ \alpha_E=0.4,\
                    b=\Psi=1,\ x_H=0.125,\ \gamma=1.05`, at :math:`\alpha_R\in\{0.70, 0.71\}`.
``FIGURE3_PARAMS``  the paper does not print Figure 3's parameters. We use the Prop. 3
                    example (unless a build changes them), drawn under both calibrations:
                    under ``equations``, along :math:`\alpha_R\in(0.5, 1)` it passes through all three regimes
                    (both remain; H exits; both exit) and both vote differences change
                    sign at each switch, which is the pattern the paper's Figure 3 shows.
                    With footnote 9's values instead, losers keep favouring L after H
                    exits, so that set cannot illustrate a full realignment.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from .. import model
from ..filedoc import Column, FileDoc
from ..model import ModelParams
from ._record import Record


#: The values the paper prints in its footnote 9 (kept apart, so the report can say whether
#: FIGURE2_PARAMS still are the paper's).
FOOTNOTE9_PARAMS = ModelParams(lam=0.6, alpha_r=None, alpha_e=0.4, x_h=0.5, gamma=None)
FIGURE2_PARAMS = FOOTNOTE9_PARAMS
PROP3_PARAMS = ModelParams(lam=0.5, alpha_r=None, alpha_e=0.4, x_h=0.125, gamma=1.05)
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
    r"""Ex-ante inequality under globalization, :math:`\alpha_R/(1-\alpha_R)` (the figures' x axis).

    Parameters
    ----------
    alpha_r : array_like
        Winners' share :math:`\alpha_R\in[0,1)`.

    Returns
    -------
    ndarray
        :math:`\alpha_R/(1-\alpha_R)`.
    """
    alpha_r = np.asarray(alpha_r, float)
    return alpha_r / (1.0 - alpha_r)


def alpha_from_ratio(ratio):
    r"""Inverse of :func:`inequality_ratio`: :math:`\alpha_R = r/(1+r)`.

    Parameters
    ----------
    ratio : array_like
        Inequality ratios :math:`r\ge0`.

    Returns
    -------
    ndarray
        :math:`\alpha_R`.
    """
    ratio = np.asarray(ratio, float)
    return ratio / (1.0 + ratio)


#: How far above max(1 - lam, alpha_E) the curves start, in alpha_R (the explorer reuses it).
RATIO_FLOOR_OFFSET = 1e-6


def _ratio_floor(p: ModelParams) -> float:
    """Lowest inequality ratio on the curves: alpha_R just above max(1 - lam, alpha_E)."""
    return float(inequality_ratio(max(1 - p.lam, p.alpha_e) + RATIO_FLOOR_OFFSET))


def threshold_curves(p: ModelParams, *, ratio_max: float = 10.0, n: int = 801,
                     calibration: str = "equations") -> pd.DataFrame:
    r"""Figure 2: :math:`\gamma_L` and :math:`\gamma_H` against :math:`\alpha_R/(1-\alpha_R)` (Prop. 2, Cor. 3).

    The grid runs over :math:`\alpha_R` from just above :math:`\max(1-\lambda,\alpha_E)`
    to :math:`\alpha_R = r_{max}/(1+r_{max})`, evenly in the inequality ratio.

    Parameters
    ----------
    p : ModelParams
        A family of curves (``alpha_r`` is the axis).
    ratio_max : float
        The right end of the inequality axis.
    n : int
        Grid points.
    calibration : {"equations", "reported"}

    Returns
    -------
    DataFrame
        ``alpha_r, inequality, gamma_l, gamma_h``, one row per grid point.
    """
    ratio = np.linspace(_ratio_floor(p), ratio_max, n)
    alpha_r = alpha_from_ratio(ratio)
    gamma_l = model.exit_threshold(alpha_r, p.alpha_e, 0.0, p.lam, b=p.b, psi=p.psi, c=p.c, calibration=calibration)
    gamma_h = model.exit_threshold(alpha_r, p.alpha_e, p.x_h, p.lam, b=p.b, psi=p.psi, c=p.c, calibration=calibration)
    return pd.DataFrame({"alpha_r": alpha_r, "inequality": ratio, "gamma_l": gamma_l, "gamma_h": gamma_h})


#: Regimes along Figure 3's axis; 3 (only L exits) cannot occur when gamma_L <= gamma_H (Prop. 2).
REGIME_NAMES = {0: "both remain", 1: "H exits, L remains", 2: "both exit", 3: "L exits, H remains"}


def realignment_curves(p: ModelParams, *, ratio_min: float = 1.0, ratio_max: float = 10.0, n: int = 1801,
                       calibration: str = "equations") -> pd.DataFrame:
    r"""Figure 3: :math:`D^*_w` and :math:`D^*_\ell` along :math:`\alpha_R/(1-\alpha_R)` at fixed :math:`\gamma` (Prop. 3).

    Returns one row per grid point with the regime (0 both remain, 1 only H
    exits, 2 both exit) and a ``segment`` number that increases at each switch,
    so a plot can draw each regime as its own line with the jumps visible.

    Parameters
    ----------
    p : ModelParams
        A family of curves with ``gamma`` set.
    ratio_min, ratio_max : float
        The inequality axis (its left end is raised to where the curves start).
    n : int
        Points on the inequality axis.
    calibration : {"equations", "reported"}

    Returns
    -------
    DataFrame
        ``alpha_r, inequality, regime, segment, d_w, d_l, pi, lemma1_ok``.
    """
    if p.gamma is None:
        raise ValueError("realignment_curves needs a fixed gamma in the parameters")
    lo = max(ratio_min, _ratio_floor(p))
    ratio = np.linspace(lo, ratio_max, n)
    alpha_r = alpha_from_ratio(ratio)
    o = model.outcome(alpha_r, p.alpha_e, p.x_h, p.lam, p.gamma, b=p.b, psi=p.psi, c=p.c, calibration=calibration)
    regime = np.where(o.exit_l & o.exit_h, 2, np.where(o.exit_h, 1, np.where(o.exit_l, 3, 0)))
    segment = np.concatenate([[0], np.cumsum(regime[1:] != regime[:-1])])
    return pd.DataFrame({"alpha_r": alpha_r, "inequality": ratio, "regime": regime, "segment": segment,
                         "d_w": o.d_w, "d_l": o.d_l, "pi": o.pi, "lemma1_ok": o.lemma1_ok})


#: Phase-diagram codes.  Relative to the both-remain pattern (winners favour H, losers L),
#: "switches" counts the groups whose favourite changes once H alone exits.
PHASES = {0: "both remain", 1: "H exits, no group switches", 2: "H exits, one group switches",
          3: "H exits, both groups switch", 4: "both exit"}


def _plane_outcome(p: ModelParams, *, ratio_max: float, gamma_max: float, n_ratio: int, n_gamma: int,
                   calibration: str) -> tuple[np.ndarray, np.ndarray, model.Outcome]:
    """The outcome on the phase diagram's grid: inequality ratios by gamma (both as 2-D arrays)."""
    ratio = np.linspace(_ratio_floor(p), ratio_max, n_ratio)
    gamma = np.linspace(1.0 + 1e-6, gamma_max, n_gamma)
    rr, gg = np.meshgrid(ratio, gamma)
    o = model.outcome(alpha_from_ratio(rr), p.alpha_e, p.x_h, p.lam, gg, b=p.b, psi=p.psi, c=p.c,
                      calibration=calibration)
    return rr, gg, o


#: The phase diagram's grid: the right end of the inequality axis and the points along each axis.
PHASE_GRID = {"ratio_max": 10.0, "n_ratio": 361, "n_gamma": 241}


def phase_grid(p: ModelParams, *, ratio_max: float = PHASE_GRID["ratio_max"], gamma_max: float = 1.15,
               n_ratio: int = PHASE_GRID["n_ratio"], n_gamma: int = PHASE_GRID["n_gamma"], calibration: str = "equations") -> pd.DataFrame:
    r"""Equilibrium regimes over :math:`(\alpha_R/(1-\alpha_R),\ \gamma)`, beyond the paper.

    Phase 0: :math:`\gamma>\gamma_H` (both remain).  Phases 1-3:
    :math:`\gamma_L<\gamma\le\gamma_H` (only H exits), by how many of the two groups
    now favour the other candidate than when both remain, i.e. by how many of
    :math:`D^*_w>0` (winners now favour L) and :math:`D^*_\ell<0` (losers now favour H)
    hold: none (1), one (2) or both, the full realignment of Prop. 3 (3).
    Phase 4: :math:`\gamma\le\gamma_L` (both exit).

    Parameters
    ----------
    p : ModelParams
        A family of curves (``gamma`` is the vertical axis, so ``p.gamma`` is not used).
    ratio_max, gamma_max : float
        The ends of the two axes.
    n_ratio, n_gamma : int
        Grid points along each axis.
    calibration : {"equations", "reported"}

    Returns
    -------
    DataFrame
        ``inequality, gamma, phase`` (:data:`PHASES`), one row per grid point.
    """
    rr, gg, o = _plane_outcome(p, ratio_max=ratio_max, gamma_max=gamma_max, n_ratio=n_ratio, n_gamma=n_gamma,
                               calibration=calibration)
    only_h = o.exit_h & ~o.exit_l
    switched = (o.d_w > 0).astype(int) + (o.d_l < 0).astype(int)
    phase = np.where(o.exit_l, 4, np.where(only_h, 1 + switched, 0))
    return pd.DataFrame({"inequality": rr.ravel(), "gamma": gg.ravel(), "phase": phase.ravel()})


#: Room left above the phase diagram's highest curve, as a share of that curve's height above 1, and the step
#: to which the top of the gamma axis is rounded up.
PHASE_HEADROOM = 0.1
PHASE_TOP_STEP = 0.01


def phase_gamma_max(p: ModelParams, *, ratio_max: float = PHASE_GRID["ratio_max"]) -> float:
    r"""The top of a phase-diagram panel's :math:`\gamma` axis, from the panel's own curves.

    The highest point of :math:`\gamma_H` on the panel's inequality axis (and ``p.gamma``, the slice a
    panel may mark, if higher), raised by :data:`PHASE_HEADROOM` of its height above 1 and rounded up to
    :data:`PHASE_TOP_STEP`, so that the both-remain region shows above the curves whatever the parameters.
    The paper's sets give 1.14 (Proposition 3 example) and 1.40 (footnote 9).

    Parameters
    ----------
    p : ModelParams
        A family of curves (``alpha_r`` is the axis).
    ratio_max : float
        The right end of the inequality axis, as in :func:`phase_grid`.

    Returns
    -------
    float
        At least ``1 + PHASE_TOP_STEP``.
    """
    top = float(threshold_curves(p, ratio_max=ratio_max)["gamma_h"].max())
    if p.gamma is not None:
        top = max(top, p.gamma)
    raised = 1.0 + (1.0 + PHASE_HEADROOM) * max(top - 1.0, 0.0)
    steps = np.ceil(raised / PHASE_TOP_STEP - 1e-9)  # 1.40 stays 1.40 despite rounding error
    return round(float(max(steps * PHASE_TOP_STEP, 1.0 + PHASE_TOP_STEP)), 10)


#: Each phase-diagram panel's paper set, that set's name, and the report's figure that draws the panel's
#: parameters, in words (the figure's own text names no figure by number).
PHASE_PANEL_SOURCES = {"a": (PROP3_PARAMS, "Proposition 3 example", "the realignment figure"),
                       "b": (FOOTNOTE9_PARAMS, "footnote 9", "the exit-threshold figure")}

#: The phase diagram's panels: parameters (those of Figures 3 and 2) and the top of the gamma axis.
PHASE_PANELS = {k: (p, phase_gamma_max(p)) for k, p in (("a", FIGURE3_PARAMS), ("b", FIGURE2_PARAMS))}


def phase_panel_title(panel: str, p: ModelParams) -> str:
    """A phase-diagram panel's title: the paper's name for its parameters only when they are the paper's.

    Parameters
    ----------
    panel : {"a", "b"}
        The panel (:data:`PHASE_PANEL_SOURCES`).
    p : ModelParams
        The parameters it is drawn with.

    Returns
    -------
    str
        ``"(b) footnote 9"`` when ``p`` is footnote 9's set (:func:`same_params`), otherwise
        ``"(b) parameters of the exit-threshold figure"``; likewise for panel (a) and the Proposition 3 example.
    """
    paper, name, figure = PHASE_PANEL_SOURCES[panel]
    return f"({panel}) {name if same_params(p, paper) else 'parameters of ' + figure}"


def h_exit_favourite(*, ratio_max: float = PHASE_GRID["ratio_max"], n_ratio: int = PHASE_GRID["n_ratio"],
                     n_gamma: int = PHASE_GRID["n_gamma"]) -> pd.DataFrame:
    r"""Where only H exits, is L the favourite?  The phase diagram's H-exits region, point by point.

    Beyond the paper; the companion on a grid of :func:`electoral_weakness`, which draws points
    at random.  On the grid of each panel of :func:`phase_grid` (:data:`PHASE_PANELS`) and
    under each calibration, take the points where only H exits,
    :math:`\gamma_L<\gamma\le\gamma_H`; among those where Lemma 1's winning probability of L,
    :math:`\pi`, lies in :math:`[0,1]`, L is favoured where :math:`\pi>\tfrac12`.

    Parameters
    ----------
    ratio_max : float
        The right end of the inequality axis, as in :func:`phase_grid`.
    n_ratio, n_gamma : int
        Grid points along each axis, as in :func:`phase_grid`.

    Returns
    -------
    DataFrame
        One row per panel and calibration (:data:`H_EXIT_FAVOURITE_FILE` describes the columns).
    """
    rows = []
    for panel, (p, gamma_max) in PHASE_PANELS.items():
        for calibration in model.CALIBRATIONS:
            _, _, o = _plane_outcome(p, ratio_max=ratio_max, gamma_max=gamma_max, n_ratio=n_ratio,
                                     n_gamma=n_gamma, calibration=calibration)
            only_h = o.exit_h & ~o.exit_l
            pi = o.pi[only_h & o.lemma1_ok]
            rows.append({"panel": panel, "calibration": calibration, "n_only_h": int(only_h.sum()),
                         "n_valid": int(pi.size),
                         "share_l_favoured": float((pi > 0.5).mean()) if pi.size else float("nan"),
                         "pi_min": float(pi.min()) if pi.size else float("nan"),
                         "pi_max": float(pi.max()) if pi.size else float("nan")})
    return pd.DataFrame(rows)


#: The data file :func:`h_exit_favourite` fills (collected into the data dictionary).
H_EXIT_FAVOURITE_FILE = FileDoc(
    "h_exit_favourite.csv", "py/h_exit_favourite.py",
    "Where only H exits on the phase diagram's grid, how often L is favoured (one row per panel and calibration).",
    (Column("panel", "string", "-", "panel of the phase diagram (PHASE_PANELS)", "a, b"),
     Column("calibration", "string", "-", "calibration of Proposition 1", "equations, reported"),
     Column("n_only_h", "integer", "count", "grid points where only H exits", ">= 0"),
     Column("n_valid", "integer", "count", "of those, points where Lemma 1's pi lies in [0, 1]", "0 to n_only_h"),
     Column("share_l_favoured", "float", "share", "share of the valid points with pi > 1/2 (L favoured); "
            "empty if there are none", "0 to 1", nullable=True),
     Column("pi_min", "float", "probability", "lowest pi among the valid points (empty if none)", "0 to 1",
            nullable=True),
     Column("pi_max", "float", "probability", "highest pi among the valid points (empty if none)", "0 to 1",
            nullable=True)))


def phase_shares(grid: pd.DataFrame) -> PhaseShares:
    """Share of the only-H-exits region (phases 1-3) in which no group, one group or both switch.

    Parameters
    ----------
    grid : DataFrame
        :func:`phase_grid`.

    Returns
    -------
    PhaseShares
    """
    only_h = grid[grid["phase"].between(1, 3)]
    return PhaseShares(**{key: float((only_h["phase"] == k).mean()) if len(only_h) else float("nan")
                          for key, k in (("none", 1), ("one", 2), ("both", 3))})


#: The alpha_R at which the reputational-cost figure (Figure 5) and its numbers are drawn.
REPUTATION_ALPHA_R = 0.7


def reputation_curves(p: ModelParams, *, alpha_r: float = REPUTATION_ALPHA_R, c_max: float = 0.1, n: int = 201,
                      calibration: str = "equations") -> pd.DataFrame:
    r"""How :math:`\gamma_L` and :math:`\gamma_H` fall with the reputational cost :math:`c` (appendix).

    With :math:`Z_d=\Phi_d+c`, :math:`\log\gamma_d` falls one for one with
    :math:`c/(b\Psi)`, so each threshold is :math:`\gamma_d(0)\,e^{-c/(b\Psi)}`.

    Parameters
    ----------
    p : ModelParams
        The parameters; ``p.c`` is replaced by the axis.
    alpha_r : float
        The fixed :math:`\alpha_R`.
    c_max : float
        The right end of the cost axis.
    n : int
        Points on the cost axis.
    calibration : {"equations", "reported"}

    Returns
    -------
    DataFrame
        ``c, gamma_l, gamma_h``.
    """
    c = np.linspace(0.0, c_max, n)
    gamma_l = model.exit_threshold(alpha_r, p.alpha_e, 0.0, p.lam, b=p.b, psi=p.psi, c=c, calibration=calibration)
    gamma_h = model.exit_threshold(alpha_r, p.alpha_e, p.x_h, p.lam, b=p.b, psi=p.psi, c=c, calibration=calibration)
    return pd.DataFrame({"c": c, "gamma_l": gamma_l, "gamma_h": gamma_h})


def deterrence_cost(p: ModelParams, alpha_r: float, x: float, *, calibration: str = "equations") -> float:
    r"""The smallest reputational cost that removes a leader's exit region (:math:`\gamma_d\le1`).

    From :math:`\log\gamma_d(c) = \log\gamma_d(0) - c/(b\Psi)`: :math:`\bar c = b\Psi\,\max(0, \log\gamma_d(0))`.

    Parameters
    ----------
    p : ModelParams
        A family of curves.
    alpha_r : float
        Winners' share under globalization, :math:`\alpha_R`.
    x : float
        The leader's bias (0 for L, ``p.x_h`` for H).
    calibration : {"equations", "reported"}

    Returns
    -------
    float
        :math:`\bar c\ge0`.
    """
    g0 = float(model.exit_threshold(alpha_r, p.alpha_e, x, p.lam, b=p.b, psi=p.psi, c=0.0, calibration=calibration))
    return float(p.b * p.psi * max(0.0, np.log(g0)))


#: Half a unit of the third decimal, the last digit the paper prints (with room for rounding error).
PRINTED_HALF_UNIT = 0.0005 + 1e-12


def matches_printed(value, printed):
    """Whether a computed value rounds to the number the paper prints at three decimals.

    Parameters
    ----------
    value, printed : float or Series
        The computed and the printed number.

    Returns
    -------
    bool or Series of bool
    """
    return abs(value - printed) < PRINTED_HALF_UNIT


def prop3_table() -> pd.DataFrame:
    """Every number printed in the proof of Prop. 3 beside its value under both calibrations.

    Columns: ``alpha_r, quantity, label, printed, equations, reported,
    reported_matches`` (the ``reported`` value rounds to the printed one at three decimals).

    Returns
    -------
    DataFrame
        One row per printed number.
    """
    rows = []
    for alpha_r in PROP3_ALPHA_R:
        values = {}
        for cal in model.CALIBRATIONS:
            p = PROP3_PARAMS
            o = model.outcome(alpha_r, p.alpha_e, p.x_h, p.lam, p.gamma, b=p.b, psi=p.psi, c=p.c, calibration=cal)
            values[cal] = {k: float(getattr(o, k)) for k in QUANTITY_LABELS}
        for q, printed in PRINTED_PROP3[alpha_r].items():
            rep = values["reported"][q]
            rows.append({"alpha_r": alpha_r, "quantity": q, "label": QUANTITY_LABELS[q], "printed": printed,
                         "equations": values["equations"][q], "reported": rep,
                         "reported_matches": bool(matches_printed(rep, printed))})
    return pd.DataFrame(rows)


@dataclass(frozen=True)
class RegimeSummary(Record):
    r"""The equilibrium at one :math:`\alpha_R` near a switch (a row of the report's Prop. 3 text).

    Attributes
    ----------
    alpha_r : float
        :math:`\alpha_R`.
    action_l, action_h : str
        ``"R"`` or ``"E"`` (Proposition 2).
    d_w, d_l : float
        :math:`D^*_w, D^*_\ell` (Proposition 3).
    gamma_l, gamma_h : float
        The exit thresholds (Proposition 2).
    pi : float
        Probability that L wins (Lemma 1).
    """

    alpha_r: float
    action_l: str
    action_h: str
    d_w: float
    d_l: float
    gamma_l: float
    gamma_h: float
    pi: float


@dataclass(frozen=True)
class Switches(Record):
    r"""Where H, then L, switches to exit along :math:`\alpha_R` at a fixed :math:`\gamma`, and the equilibrium around it.

    Attributes
    ----------
    switch_alpha_r_h, switch_alpha_r_l : float or None
        The switch points in :math:`\alpha_R` (:func:`backlash.model.switch_alpha_r`; Corollary 3);
        None where the leader never switches to exit at this :math:`\gamma`.
    switch_ratio_h, switch_ratio_l : float or None
        The same as inequality ratios :math:`\alpha_R/(1-\alpha_R)`.
    before_h_switch, after_h_switch, after_l_switch : RegimeSummary or None
        The equilibrium 0.005 below H's switch, above it, and above L's; None where the
        leader never switches to exit at this :math:`\gamma` (the switch point is NaN).
    """

    switch_alpha_r_h: float | None
    switch_alpha_r_l: float | None
    switch_ratio_h: float | None
    switch_ratio_l: float | None
    before_h_switch: RegimeSummary | None
    after_h_switch: RegimeSummary | None
    after_l_switch: RegimeSummary | None


@dataclass(frozen=True)
class Prop3Mismatch(Record):
    """A number printed in the proof of Prop. 3 that the reported calibration does not reproduce.

    Attributes
    ----------
    alpha_r : float
        The example's :math:`\\alpha_R`.
    quantity : str
        A key of :data:`QUANTITY_LABELS`.
    printed, reported : float
        The paper's number and the reported calibration's value.
    """

    alpha_r: float
    quantity: str
    printed: float
    reported: float


@dataclass(frozen=True)
class Figure2Summary(Record):
    r"""The ranges of Figure 2's curves.

    Attributes
    ----------
    gamma_l_min, gamma_l_max, gamma_h_min, gamma_h_max : float
        The smallest and largest :math:`\gamma_L` and :math:`\gamma_H` on the curves.
    ratio_max : float
        The right end of the inequality axis.
    gap_max : float
        The largest :math:`\gamma_H-\gamma_L`.
    """

    gamma_l_min: float
    gamma_l_max: float
    gamma_h_min: float
    gamma_h_max: float
    ratio_max: float
    gap_max: float


@dataclass(frozen=True)
class Figure2Shift(Record):
    """How far Figure 2's curves move under the reported calibration.

    Attributes
    ----------
    gamma_l_max_shift, gamma_h_max_shift : float
        The largest absolute change of each curve.
    gamma_l_max, gamma_h_max : float
        The largest threshold of each curve under the reported calibration.
    """

    gamma_l_max_shift: float
    gamma_h_max_shift: float
    gamma_l_max: float
    gamma_h_max: float


@dataclass(frozen=True)
class Figure3Summary(Record):
    """What Figure 3 shows.

    Attributes
    ----------
    lemma1_ok_everywhere : bool
        Lemma 1's formula is valid at every point of the curves.
    regimes : list of int
        The regimes along the axis (:data:`REGIME_NAMES`), in the order they appear, under the
        equations as printed.
    ratio_max : float
        The right end of the inequality axis.
    """

    lemma1_ok_everywhere: bool
    regimes: list[int]
    ratio_max: float


@dataclass(frozen=True)
class PhaseShares(Record):
    """Shares of the only-H-exits region of the phase diagram by how many voter groups switch.

    Attributes
    ----------
    none, one, both : float
        Shares of the region (phases 1, 2 and 3 of :data:`PHASES`); ``nan`` where the region is empty.
    """

    none: float
    one: float
    both: float


@dataclass(frozen=True)
class ElectoralWeakness(Record):
    r"""The result of :func:`electoral_weakness`.

    Attributes
    ----------
    n_points : int
        Points drawn.
    n_only_h : int
        Points where only H exits and Lemma 1 is valid.
    n_l_favoured : int
        Those with :math:`\pi>\tfrac12`.
    share_l_favoured, min_pi : float
        Their share, and the lowest :math:`\pi` among the kept points (``nan`` if none).
    """

    n_points: int
    n_only_h: int
    n_l_favoured: int
    share_l_favoured: float
    min_pi: float


@dataclass(frozen=True)
class ReputationSummary(Record):
    r"""The numbers of the reputational-cost figure (appendix extension).

    Attributes
    ----------
    alpha_r : float
        The :math:`\alpha_R` of the figure.
    c_max : float
        The right end of the cost axis.
    gamma_l_at_0, gamma_h_at_0, gamma_l_at_max, gamma_h_at_max : float
        The thresholds at :math:`c=0` and at ``c_max``.
    deterrence_cost_l, deterrence_cost_h : float
        :func:`deterrence_cost` of L and of H.
    """

    alpha_r: float
    c_max: float
    gamma_l_at_0: float
    gamma_h_at_0: float
    gamma_l_at_max: float
    gamma_h_at_max: float
    deterrence_cost_l: float
    deterrence_cost_h: float


#: The parameters of a family of curves as written to ``model_numbers.json``: every parameter but alpha_r,
#: which varies along a curve, and m, which enters only Lemma 1's validity check.
CURVE_FIELDS = tuple(p.name for p in model.PARAMETERS if p.name not in ("alpha_r", "m"))


def same_params(p: ModelParams | dict, q: ModelParams | dict) -> bool:
    """Whether two parameter sets fix the same family of curves (equal in every field of :data:`CURVE_FIELDS`).

    The one test of whether a figure is drawn with the paper's parameters: the report's words on Figures 2
    and 3 (:func:`backlash.report.model_variables`) and the phase diagram's panel titles
    (:func:`phase_panel_title`) both ask it.

    Parameters
    ----------
    p, q : ModelParams or dict
        Parameter sets, or :func:`curve_params` of them (as ``model_numbers.json`` holds them).

    Returns
    -------
    bool
    """
    return (p if isinstance(p, dict) else curve_params(p)) == (q if isinstance(q, dict) else curve_params(q))


def curve_params(p: ModelParams) -> dict:
    """The fields of ``p`` that a family of curves fixes (:data:`CURVE_FIELDS`), as a dict.

    Parameters
    ----------
    p : ModelParams

    Returns
    -------
    dict
        ``{field: value}`` for :data:`CURVE_FIELDS`.
    """
    return {k: getattr(p, k) for k in CURVE_FIELDS}


@dataclass(frozen=True)
class ModelNumbers(Record):
    """Every model number the report quotes; ``to_dict()`` is ``model_numbers.json``.

    Attributes
    ----------
    prop3_params, figure2_params, footnote9_params, figure3_params : ModelParams
        The parameter sets (written as :func:`curve_params`).
    printed_prop3 : dict
        :data:`PRINTED_PROP3` keyed by :math:`\\alpha_R` to two decimals.
    prop3_reported_matches, prop3_printed_count, prop3_equations_matches : int
        How many printed numbers the reported calibration and the equations reproduce, of how many.
    prop3_reported_mismatches : list of Prop3Mismatch
    prop3_equations, prop3_reported : Switches
        The switches in the Prop. 3 example under each calibration.
    figure3_switches : dict of str to Switches
        Figure 3's switches per calibration.
    figure2 : Figure2Summary
    figure3 : Figure3Summary
    figure2_reported : Figure2Shift
    electoral_weakness : dict of str to ElectoralWeakness
        Per calibration.
    phase_shares : dict of str to PhaseShares
        Per phase-diagram panel (:data:`PHASE_PANELS`).
    reputation : ReputationSummary
    """

    prop3_params: ModelParams
    figure2_params: ModelParams
    footnote9_params: ModelParams
    figure3_params: ModelParams
    printed_prop3: dict[str, dict[str, float]]
    prop3_reported_matches: int
    prop3_printed_count: int
    prop3_reported_mismatches: list[Prop3Mismatch]
    prop3_equations_matches: int
    prop3_equations: Switches
    prop3_reported: Switches
    figure3_switches: dict[str, Switches]
    figure2: Figure2Summary
    figure3: Figure3Summary
    figure2_reported: Figure2Shift
    electoral_weakness: dict[str, ElectoralWeakness]
    phase_shares: dict[str, PhaseShares]
    reputation: ReputationSummary

    def to_dict(self) -> dict:
        """The JSON of ``model_numbers.json`` (parameter sets as :func:`curve_params`).

        Returns
        -------
        dict
            Plain JSON data, one key a field.
        """
        out = super().to_dict()
        for key in ("prop3_params", "figure2_params", "footnote9_params", "figure3_params"):
            out[key] = curve_params(getattr(self, key))
        return out


def _regime_summary(p: ModelParams, alpha_r: float, calibration: str) -> RegimeSummary:
    eq = model.solve(replace(p, alpha_r=alpha_r, calibration=calibration))
    return RegimeSummary(alpha_r=alpha_r, action_l=eq.action_l, action_h=eq.action_h, d_w=eq.d_w, d_l=eq.d_l,
                         gamma_l=eq.gamma_l, gamma_h=eq.gamma_h, pi=eq.pi)


def switches(p: ModelParams, *, calibration: str = "equations") -> Switches:
    r"""Where H, then L, switches to exit along :math:`\alpha_R` at ``p.gamma``, and the vote differences around it.

    Each switch point is the root of :math:`\gamma_d(\alpha_R)=\gamma`, unique because
    :math:`\gamma_d` increases in :math:`\alpha_R` (Corollary 3); around H's switch both
    vote differences change sign in the Prop. 3 example (Proposition 3).

    Parameters
    ----------
    p : ModelParams
        A family of curves with ``gamma`` set.
    calibration : {"equations", "reported"}

    Returns
    -------
    Switches
    """
    kw = dict(b=p.b, psi=p.psi, c=p.c, calibration=calibration)
    sw_h = model.switch_alpha_r("H", p.gamma, p.alpha_e, p.x_h, p.lam, **kw)
    sw_l = model.switch_alpha_r("L", p.gamma, p.alpha_e, p.x_h, p.lam, **kw)
    h, l = np.isfinite(sw_h), np.isfinite(sw_l)  # a leader that never switches on this slice has no neighbourhood
    return Switches(switch_alpha_r_h=sw_h if h else None, switch_alpha_r_l=sw_l if l else None,
                    switch_ratio_h=float(inequality_ratio(sw_h)) if h else None,
                    switch_ratio_l=float(inequality_ratio(sw_l)) if l else None,
                    before_h_switch=_regime_summary(p, sw_h - 0.005, calibration) if h else None,
                    after_h_switch=_regime_summary(p, min(sw_h + 0.005, 0.999), calibration) if h else None,
                    after_l_switch=_regime_summary(p, min(sw_l + 0.005, 0.999), calibration) if l else None)


def model_numbers() -> ModelNumbers:
    """Every model number the report quotes (``model_numbers.json``, read by ``py/paper_inputs.py``).

    Returns
    -------
    ModelNumbers
        Write ``model_numbers().to_dict()``.
    """
    table = prop3_table()
    mismatches = table.loc[~table["reported_matches"]]
    f2 = FIGURE2_PARAMS
    curves = threshold_curves(f2)
    fig3 = realignment_curves(FIGURE3_PARAMS)
    rep_curves = threshold_curves(f2, calibration="reported")
    rep = reputation_curves(FIGURE2_PARAMS)
    return ModelNumbers(
        prop3_params=PROP3_PARAMS, figure2_params=FIGURE2_PARAMS, footnote9_params=FOOTNOTE9_PARAMS,
        figure3_params=FIGURE3_PARAMS,
        printed_prop3={f"{a:.2f}": v for a, v in PRINTED_PROP3.items()},
        prop3_reported_matches=int(table["reported_matches"].sum()),
        prop3_printed_count=int(len(table)),
        prop3_reported_mismatches=[Prop3Mismatch(alpha_r=float(r.alpha_r), quantity=r.quantity,
                                                 printed=float(r.printed), reported=float(r.reported))
                                   for r in mismatches.itertuples()],
        prop3_equations_matches=int(matches_printed(table["equations"], table["printed"]).sum()),
        prop3_equations=switches(PROP3_PARAMS, calibration="equations"),
        prop3_reported=switches(PROP3_PARAMS, calibration="reported"),
        figure3_switches={cal: switches(FIGURE3_PARAMS, calibration=cal) for cal in model.CALIBRATIONS},
        figure2=Figure2Summary(gamma_l_min=float(curves.gamma_l.min()), gamma_l_max=float(curves.gamma_l.max()),
                               gamma_h_min=float(curves.gamma_h.min()), gamma_h_max=float(curves.gamma_h.max()),
                               ratio_max=float(curves.inequality.max()),
                               gap_max=float((curves.gamma_h - curves.gamma_l).max())),
        figure3=Figure3Summary(lemma1_ok_everywhere=bool(fig3.lemma1_ok.all()),
                               regimes=[int(r) for r in dict.fromkeys(fig3.regime)],
                               ratio_max=float(fig3.inequality.max())),
        figure2_reported=Figure2Shift(
            gamma_l_max_shift=float((rep_curves.gamma_l - curves.gamma_l).abs().max()),
            gamma_h_max_shift=float((rep_curves.gamma_h - curves.gamma_h).abs().max()),
            gamma_l_max=float(rep_curves.gamma_l.max()), gamma_h_max=float(rep_curves.gamma_h.max())),
        electoral_weakness={cal: electoral_weakness(calibration=cal) for cal in model.CALIBRATIONS},
        phase_shares={k: phase_shares(phase_grid(p, gamma_max=g)) for k, (p, g) in PHASE_PANELS.items()},
        reputation=ReputationSummary(
            alpha_r=REPUTATION_ALPHA_R, c_max=float(rep.c.max()),
            gamma_l_at_0=float(rep.gamma_l.iloc[0]), gamma_h_at_0=float(rep.gamma_h.iloc[0]),
            gamma_l_at_max=float(rep.gamma_l.iloc[-1]), gamma_h_at_max=float(rep.gamma_h.iloc[-1]),
            deterrence_cost_l=deterrence_cost(FIGURE2_PARAMS, REPUTATION_ALPHA_R, 0.0),
            deterrence_cost_h=deterrence_cost(FIGURE2_PARAMS, REPUTATION_ALPHA_R, FIGURE2_PARAMS.x_h)),
    )


#: Ranges of the parameter sample for :func:`electoral_weakness` (log-uniform where marked).
WEAKNESS_SAMPLE = {"lam": (0.05, 0.95), "x_h": (0.01, 1.0), "b_psi_log": (1e-2, 1e2), "gamma_log": (1.0, 2.0)}


def electoral_weakness(*, n: int = 200_000, seed: int = 0, calibration: str = "equations") -> ElectoralWeakness:
    r"""How often L is favoured (:math:`\pi>\tfrac12`) where only H exits: "exit out of weakness".

    The paper argues that H proposes exit from a position of electoral weakness:
    where :math:`\gamma_L<\gamma\le\gamma_H` the low-bias L should be the likelier
    winner.  This is not a theorem of the model, so we measure it: ``n`` points
    drawn (with a fixed ``seed``) uniformly over :math:`\lambda`, :math:`\alpha_R\in(1-\lambda,1)`,
    :math:`\alpha_E\in(0,\alpha_R)` and :math:`x_H` and log-uniformly over :math:`b\Psi`
    and :math:`\gamma` (ranges in :data:`WEAKNESS_SAMPLE`, with :math:`b=1`), kept where
    only H exits and Lemma 1 is valid.

    Parameters
    ----------
    n : int
        Points drawn.
    seed : int
        Seed of ``numpy.random.default_rng``.
    calibration : {"equations", "reported"}

    Returns
    -------
    ElectoralWeakness
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
        o = model.outcome(alpha_r, alpha_e, x_h, lam, gamma, b=1.0, psi=b_psi, calibration=calibration)
    keep = o.exit_h & ~o.exit_l & o.lemma1_ok
    pi = o.pi[keep]
    return ElectoralWeakness(n_points=int(n), n_only_h=int(keep.sum()), n_l_favoured=int((pi > 0.5).sum()),
                             share_l_favoured=float((pi > 0.5).mean()) if keep.any() else float("nan"),
                             min_pi=float(pi.min()) if keep.any() else float("nan"))
