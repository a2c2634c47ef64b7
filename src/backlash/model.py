r"""The probabilistic-voting model of redistribution and exit (Melnick 2025).

Notation (used throughout the package)
--------------------------------------
``lam``      :math:`\lambda`, share of globalization losers, :math:`0<\lambda<1`.
``alpha_r``  :math:`\alpha_R`, winners' share of income if the country remains (R).
``alpha_e``  :math:`\alpha_E \le \alpha_R`, winners' share after exit (E).
``x``        ideological bias against redistribution, :math:`x_L = 0 < x_H`.
``x_h``      the high-bias leader's :math:`x_H`.
``b``        density of the common popularity shock :math:`\beta\sim U[-1/2b, 1/2b]`.
``m``        density of the individual shocks :math:`\mu_i\sim U[-1/2m, 1/2m]`
             (it enters only the validity check of Lemma 1).
``psi``      :math:`\Psi`, the value of office.
``gamma``    :math:`\gamma>1`, size of the globalized economy (1 after exit).
``c``        reputational cost of exit (appendix extension), :math:`c \ge 0`.
``theta``    :math:`\theta_{da}`, the share of national income a leader
             :math:`d\in\{L,H\}` proposes for winners under action :math:`a\in\{R,E\}`.

Calibrations
------------
``"equations"`` (default) is the model exactly as printed.  ``"reported"``
reproduces the numbers printed in the proof of Proposition 3: the shares solve
Proposition 1 with the electoral weight :math:`b\Psi` halved, while the
thresholds use :math:`\Phi_d` with :math:`b\Psi` as printed (see the paper's
replication notes).  Only the weight in Proposition 1 differs between the two.

All public functions broadcast over NumPy arrays (scalars work too) and raise
``ValueError`` naming the parameter and the violated condition.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CALIBRATIONS",
    "Equilibrium",
    "ModelParams",
    "electoral_weights",
    "equilibrium_share",
    "exit_incentive",
    "exit_threshold",
    "foc_residual",
    "group_vote_share",
    "outcome",
    "second_order_condition",
    "solve",
    "switch_alpha_r",
    "vote_differences",
    "win_probability",
]

Calibration = Literal["equations", "reported"]
CALIBRATIONS: tuple[str, ...] = ("equations", "reported")

_NEWTON_MAX_ITER = 100
# theta lies in (0, 1); rounding in the cubic leaves a noise floor of about 1e-15 on the
# Newton step, so stop there (the accuracy target is 1e-12).
_NEWTON_ATOL = 4e-15


# --------------------------------------------------------------------------- validation
def _check(name: str, value: ArrayLike, ok: NDArray[np.bool_], condition: str) -> None:
    ok = np.asarray(ok)
    if not ok.all():
        arr = np.broadcast_to(np.asarray(value, dtype=float), ok.shape) if ok.shape else np.asarray(value, dtype=float)
        bad = arr[~ok] if ok.shape else arr
        first = float(np.ravel(bad)[0])
        raise ValueError(f"{name} must satisfy {condition} (got {first:g})")


def _as_float(name: str, value: ArrayLike) -> NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (got {value!r})") from None
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (got {float(arr[~np.isfinite(arr)].ravel()[0]) if arr.ndim else float(arr):g})")
    return arr


def _validate_share_inputs(alpha, x, lam, b, psi):
    alpha, x, lam, b, psi = (_as_float(n, v) for n, v in
                             (("alpha", alpha), ("x", x), ("lam", lam), ("b", b), ("psi", psi)))
    _check("lam", lam, (lam > 0) & (lam < 1), "0 < lam < 1")
    _check("alpha", alpha, (alpha >= 0) & (alpha <= 1), "0 <= alpha <= 1")
    _check("x", x, x >= 0, "x >= 0")
    _check("b", b, b > 0, "b > 0")
    _check("psi", psi, psi > 0, "psi > 0")
    return alpha, x, lam, b, psi


def _validate_threshold_inputs(alpha_r, alpha_e, lam, c):
    alpha_r, alpha_e, lam, c = (_as_float(n, v) for n, v in
                                (("alpha_r", alpha_r), ("alpha_e", alpha_e), ("lam", lam), ("c", c)))
    _check("lam", lam, (lam > 0) & (lam < 1), "0 < lam < 1")
    _check("alpha_r", alpha_r, (alpha_r >= 0) & (alpha_r <= 1), "0 <= alpha_r <= 1")
    _check("alpha_e", alpha_e, (alpha_e >= 0) & (alpha_e <= alpha_r), "0 <= alpha_e <= alpha_r")
    _check("alpha_r", alpha_r, alpha_r > 1 - lam, "alpha_r > 1 - lam (winners are richer under globalization)")
    _check("c", c, c >= 0, "c >= 0")
    return alpha_r, alpha_e, lam, c


def electoral_weights(b: ArrayLike, psi: ArrayLike, calibration: str = "equations"):
    r"""Return the weights :math:`(k_\theta, k_\Phi)` that multiply the electoral terms.

    Under ``"equations"`` both equal :math:`b\Psi`.  Under ``"reported"`` the
    weight in Proposition 1 is :math:`b\Psi/2` (this reproduces the printed
    Proposition 3 example) and the weight in :math:`\Phi_d` stays :math:`b\Psi`.
    """
    if calibration not in CALIBRATIONS:
        raise ValueError(f"calibration must be one of {', '.join(CALIBRATIONS)} (got {calibration!r})")
    k = np.asarray(b, dtype=float) * np.asarray(psi, dtype=float)
    return (k / 2.0 if calibration == "reported" else k), k


# --------------------------------------------------------------------------- Proposition 1
def _solve_share(s: NDArray, k: NDArray, lam: NDArray) -> NDArray:
    r"""Vectorized safeguarded Newton for the unique root of the Prop. 1 cubic.

    Solves :math:`g(\theta)=\theta^3-(1+s)\theta^2+(s-k)\theta+k(1-\lambda)=0`,
    which is Proposition 1 multiplied by :math:`-\theta(1-\theta)`, on the bracket
    between :math:`1-\lambda` and :math:`\min(s, 1)` that always holds the root.
    """
    s, k, lam = np.broadcast_arrays(s, k, lam)
    shape = s.shape
    s, k, lam = s.ravel(), k.ravel(), lam.ravel()
    one_minus_lam = 1.0 - lam
    lo = np.minimum(one_minus_lam, s)
    hi = np.minimum(np.maximum(one_minus_lam, s), 1.0)
    # Start from one Newton step on Prop. 1 taken at theta = 1 - lam (exact when x + alpha = 1 - lam).
    theta = np.clip(one_minus_lam + (s - one_minus_lam) / (1.0 + k / (lam * one_minus_lam)), lo, hi)
    c2, c1, c0 = -(1.0 + s), s - k, k * one_minus_lam
    out = theta.copy()
    idx = np.arange(theta.size)
    # Whole-array iterations; once most points have converged, the few that have not
    # are gathered into smaller arrays so the last steps cost almost nothing.
    for _ in range(_NEWTON_MAX_ITER):
        # In-place arithmetic: allocation, not arithmetic, dominates at 1e6 points.
        g = theta + c2
        g *= theta
        g += c1
        g *= theta
        g += c0
        dg = 3.0 * theta
        dg += 2.0 * c2
        dg *= theta
        dg += c1
        left = g > 0  # g > 0 left of the root, < 0 right of it
        np.copyto(lo, theta, where=left)
        np.copyto(hi, theta, where=~left)
        with np.errstate(divide="ignore", invalid="ignore"):
            g /= dg
        new = theta - g
        ok = (new >= lo) & (new <= hi)  # False for nan/inf too
        np.copyto(new, 0.5 * (lo + hi), where=~ok)
        theta -= new
        np.abs(theta, out=theta)
        converged = theta <= _NEWTON_ATOL
        theta = new
        n_left = theta.size - np.count_nonzero(converged)
        if n_left == 0:
            break
        if n_left < theta.size // 4:
            out[idx] = theta
            keep = ~converged
            idx, theta, lo, hi, c2, c1, c0 = (a[keep] for a in (idx, theta, lo, hi, c2, c1, c0))
    out[idx] = theta
    return out.reshape(shape)


def equilibrium_share(alpha: ArrayLike, x: ArrayLike, lam: ArrayLike, b: ArrayLike = 1.0,
                      psi: ArrayLike = 1.0, calibration: str = "equations") -> NDArray[np.float64]:
    r"""Equilibrium share :math:`\theta^*_{da}` proposed for winners (Proposition 1).

    Solves, for :math:`\theta\in(0,1)`,

    .. math::
        b\Psi\,\frac{\lambda}{1-\theta} = b\Psi\,\frac{1-\lambda}{\theta} + (x_d + \alpha_a - \theta).

    The left side is the marginal electoral gain of giving to losers, the right
    side the marginal electoral loss among winners plus the ideological cost.
    Multiplying by :math:`\theta(1-\theta)` gives a cubic with exactly one root
    in (0, 1); it lies between :math:`1-\lambda` and :math:`x_d+\alpha_a`, and a
    bracketed Newton iteration on arrays finds it to machine precision.

    Parameters
    ----------
    alpha : array_like
        Status-quo share of winners :math:`\alpha_a` in [0, 1].
    x : array_like
        Leader's ideological bias :math:`x_d \ge 0`.
    lam : array_like
        Share of losers :math:`\lambda\in(0,1)`.
    b, psi : array_like
        Salience of the common shock and value of office (both > 0).
    calibration : {"equations", "reported"}
        ``"reported"`` halves :math:`b\Psi` here (see module docstring).

    Returns
    -------
    ndarray
        :math:`\theta^*` with the broadcast shape of the inputs.
    """
    alpha, x, lam, b, psi = _validate_share_inputs(alpha, x, lam, b, psi)
    k_theta, _ = electoral_weights(b, psi, calibration)
    out = _solve_share(np.asarray(x + alpha, dtype=float), np.asarray(k_theta, dtype=float), lam)
    return out if out.ndim else out[()]


def foc_residual(theta, alpha, x, lam, b=1.0, psi=1.0, calibration="equations"):
    r"""Residual of Proposition 1, :math:`k\lambda/(1-\theta) - k(1-\lambda)/\theta - (x+\alpha-\theta)`."""
    k, _ = electoral_weights(b, psi, calibration)
    theta = np.asarray(theta, dtype=float)
    return k * lam / (1 - theta) - k * (1 - lam) / theta - (x + alpha - theta)


def second_order_condition(theta, lam, b=1.0, psi=1.0, calibration="equations"):
    r"""Second derivative of a leader's payoff at :math:`\theta` (proof of Prop. 1).

    .. math:: -1 - b\Psi\left(\frac{1-\lambda}{\theta^2} + \frac{\lambda}{(1-\theta)^2}\right) < 0.
    """
    k, _ = electoral_weights(b, psi, calibration)
    theta = np.asarray(theta, dtype=float)
    return -1.0 - k * ((1 - lam) / theta**2 + lam / (1 - theta) ** 2)


# --------------------------------------------------------------------------- Lemma 1
def vote_differences(theta_l, theta_h, size_l=1.0, size_h=1.0):
    r"""Utility differences :math:`(D_w, D_\ell)` between voting for L and for H.

    With log utility over per-capita income (Table 1 of the paper), and the
    economy of size :math:`\gamma` if a leader remains and 1 if she exits,

    .. math::
        D_w = \log\frac{s_L\theta_L}{s_H\theta_H},\qquad
        D_\ell = \log\frac{s_L(1-\theta_L)}{s_H(1-\theta_H)},

    where :math:`s_d` is the size of the economy under leader d's action.  The
    group sizes :math:`1-\lambda` and :math:`\lambda` cancel.
    """
    theta_l, theta_h = np.asarray(theta_l, float), np.asarray(theta_h, float)
    size_l, size_h = np.asarray(size_l, float), np.asarray(size_h, float)
    d_w = np.log(size_l * theta_l) - np.log(size_h * theta_h)
    d_l = np.log(size_l * (1 - theta_l)) - np.log(size_h * (1 - theta_h))
    return d_w, d_l


def win_probability(d_w, d_l, lam, b=1.0):
    r"""Probability that L wins (Lemma 1): :math:`\pi = \tfrac12 + b\,((1-\lambda)D_w + \lambda D_\ell)`.

    The formula is linear; it is a probability only while it lies in [0, 1] and
    the group vote shares at the pivotal shock do (see :func:`group_vote_share`).
    """
    return 0.5 + np.asarray(b, float) * ((1 - np.asarray(lam, float)) * d_w + np.asarray(lam, float) * d_l)


def group_vote_share(d_j, beta, m=1.0):
    r"""Share of group j voting for L given the common shock :math:`\beta` (proof of Lemma 1).

    :math:`P(\mu_i \ge -D_j-\beta) = \tfrac12 + m(D_j+\beta)` for :math:`\mu_i\sim U[-1/2m,1/2m]`,
    the linear expression that is a probability only while it lies in [0, 1].
    """
    return 0.5 + np.asarray(m, float) * (np.asarray(d_j, float) + np.asarray(beta, float))


# --------------------------------------------------------------------------- Proposition 2
def _threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration):
    k_theta, k_phi = electoral_weights(b, psi, calibration)
    theta_r = _solve_share(np.asarray(x + alpha_r, float), np.asarray(k_theta, float), lam)
    theta_e = _solve_share(np.asarray(x + alpha_e, float), np.asarray(k_theta, float), lam)
    # 1/2 (2x + aE + aR - tE - tR)(aE - aR - tE + tR) = 1/2 [(x+aE-tE)^2 - (x+aR-tR)^2]
    ideological = 0.5 * ((x + alpha_e - theta_e) ** 2 - (x + alpha_r - theta_r) ** 2)
    electoral = (1 - lam) * np.log(theta_r / theta_e) + lam * np.log((1 - theta_r) / (1 - theta_e))
    return ideological, electoral, k_phi, theta_r, theta_e


def exit_incentive(gamma, alpha_r, alpha_e, x, lam, b=1.0, psi=1.0, c=0.0, calibration="equations"):
    r"""The payoff gain from remaining over exiting, :math:`Z_d(\gamma)=\Phi_d(\gamma)+c` (Prop. 2).

    .. math::
        \Phi_d(\gamma) = \tfrac12(2x_d+\alpha_E+\alpha_R-\theta^*_{dE}-\theta^*_{dR})
        (\alpha_E-\alpha_R-\theta^*_{dE}+\theta^*_{dR})
        + b(1-\lambda)\Psi\log\frac{\gamma\theta^*_{dR}}{\theta^*_{dE}}
        + b\lambda\Psi\log\frac{\gamma(1-\theta^*_{dR})}{1-\theta^*_{dE}}.

    Leader d prefers to remain when it is positive.  It does not depend on the
    rival's mixing probability, which cancels from the difference in payoffs.
    """
    gamma = _as_float("gamma", gamma)
    _check("gamma", gamma, gamma > 0, "gamma > 0")
    alpha_r, alpha_e, lam, c = _validate_threshold_inputs(alpha_r, alpha_e, lam, c)
    _validate_share_inputs(alpha_r, x, lam, b, psi)
    ideological, electoral, k_phi, _, _ = _threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration)
    return ideological + k_phi * (electoral + np.log(gamma)) + c


def exit_threshold(alpha_r: ArrayLike, alpha_e: ArrayLike, x: ArrayLike, lam: ArrayLike,
                   b: ArrayLike = 1.0, psi: ArrayLike = 1.0, c: ArrayLike = 0.0,
                   calibration: str = "equations") -> NDArray[np.float64]:
    r"""Exit threshold :math:`\gamma_d` of leader d (Proposition 2; extension with ``c``).

    :math:`\Phi_d` is linear in :math:`\log\gamma` with slope :math:`b\Psi`, so
    :math:`Z_d(\gamma_d)=\Phi_d(\gamma_d)+c=0` has the closed form

    .. math::
        \log\gamma_d = -\frac{1}{b\Psi}\Big[\tfrac12\big((x_d+\alpha_E-\theta^*_{dE})^2
        -(x_d+\alpha_R-\theta^*_{dR})^2\big) + c\Big]
        - (1-\lambda)\log\frac{\theta^*_{dR}}{\theta^*_{dE}}
        - \lambda\log\frac{1-\theta^*_{dR}}{1-\theta^*_{dE}}.

    Leader d exits when :math:`\gamma\le\gamma_d` and remains otherwise; a
    threshold below 1 means d always remains (footnote 13).

    Parameters
    ----------
    alpha_r, alpha_e : array_like
        Winners' status-quo shares, :math:`0\le\alpha_E\le\alpha_R\le 1`, :math:`\alpha_R>1-\lambda`.
    x : array_like
        The leader's bias (0 for L, :math:`x_H` for H).
    lam, b, psi : array_like
        As in :func:`equilibrium_share`.
    c : array_like
        Reputational cost of exit, :math:`c\ge0` (appendix extension).
    calibration : {"equations", "reported"}

    Returns
    -------
    ndarray
        :math:`\gamma_d`.
    """
    alpha_r, alpha_e, lam, c = _validate_threshold_inputs(alpha_r, alpha_e, lam, c)
    _, x, _, b, psi = _validate_share_inputs(alpha_r, x, lam, b, psi)
    ideological, electoral, k_phi, _, _ = _threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration)
    out = np.exp(-(ideological + c) / k_phi - electoral)
    return out if out.ndim else out[()]


# --------------------------------------------------------------------------- equilibrium
@dataclass(frozen=True)
class ModelParams:
    """One parameter point of the model (defaults: the paper's Prop. 3 example at alpha_r = 0.70)."""

    lam: float = 0.5
    alpha_r: float = 0.70
    alpha_e: float = 0.40
    x_h: float = 0.125
    b: float = 1.0
    psi: float = 1.0
    gamma: float = 1.05
    c: float = 0.0
    m: float = 1.0
    calibration: str = "equations"

    def __post_init__(self) -> None:
        _validate_threshold_inputs(self.alpha_r, self.alpha_e, self.lam, self.c)
        _validate_share_inputs(self.alpha_r, self.x_h, self.lam, self.b, self.psi)
        _check("x_h", self.x_h, np.asarray(self.x_h > 0), "x_h > 0 (H is the high-bias leader)")
        _check("gamma", self.gamma, np.asarray(self.gamma > 1), "gamma > 1")
        _check("m", self.m, np.asarray(self.m > 0), "m > 0")
        electoral_weights(self.b, self.psi, self.calibration)


def outcome(alpha_r, alpha_e, x_h, lam, gamma, b=1.0, psi=1.0, c=0.0, m=1.0, calibration="equations"):
    r"""Vectorized equilibrium at each parameter point (Props. 1-3, Lemma 1).

    Returns a dict of arrays: the four shares ``theta_lr, theta_le, theta_hr,
    theta_he``; thresholds ``gamma_l, gamma_h``; ``exit_l, exit_h`` (True where
    :math:`\gamma\le\gamma_d`); ``d_w, d_l`` (:math:`D^*_w, D^*_\ell` at the
    equilibrium actions); ``pi`` (Lemma 1); and ``lemma1_ok`` (True where
    :math:`\pi` and both group vote shares at the pivotal shock lie in [0, 1]).
    """
    gamma = _as_float("gamma", gamma)
    _check("gamma", gamma, gamma > 1, "gamma > 1")
    x_h = _as_float("x_h", x_h)
    _check("x_h", x_h, x_h > 0, "x_h > 0 (H is the high-bias leader)")
    m = _as_float("m", m)
    _check("m", m, m > 0, "m > 0")
    args = dict(lam=lam, b=b, psi=psi, calibration=calibration)
    theta_lr = equilibrium_share(alpha_r, 0.0, **args)
    theta_le = equilibrium_share(alpha_e, 0.0, **args)
    theta_hr = equilibrium_share(alpha_r, x_h, **args)
    theta_he = equilibrium_share(alpha_e, x_h, **args)
    gamma_l = exit_threshold(alpha_r, alpha_e, 0.0, lam, b, psi, c, calibration)
    gamma_h = exit_threshold(alpha_r, alpha_e, x_h, lam, b, psi, c, calibration)
    exit_l, exit_h = gamma <= gamma_l, gamma <= gamma_h
    theta_l = np.where(exit_l, theta_le, theta_lr)
    theta_h = np.where(exit_h, theta_he, theta_hr)
    d_w, d_l = vote_differences(theta_l, theta_h, np.where(exit_l, 1.0, gamma), np.where(exit_h, 1.0, gamma))
    pi = win_probability(d_w, d_l, lam, b)
    # At the pivotal shock beta* = -((1-lam) D_w + lam D_l) each group's share must be a probability.
    beta_star = -((1 - np.asarray(lam, float)) * d_w + np.asarray(lam, float) * d_l)
    share_w, share_l = group_vote_share(d_w, beta_star, m), group_vote_share(d_l, beta_star, m)
    lemma1_ok = ((pi >= 0) & (pi <= 1) & (share_w >= 0) & (share_w <= 1) & (share_l >= 0) & (share_l <= 1))
    return dict(theta_lr=theta_lr, theta_le=theta_le, theta_hr=theta_hr, theta_he=theta_he,
                gamma_l=gamma_l, gamma_h=gamma_h, exit_l=exit_l, exit_h=exit_h,
                d_w=d_w, d_l=d_l, pi=pi, share_w=share_w, share_l=share_l, lemma1_ok=lemma1_ok)


@dataclass(frozen=True)
class Equilibrium:
    """The equilibrium at one parameter point, as returned by :func:`solve`."""

    params: ModelParams
    theta: dict[str, float]
    gamma_threshold: dict[str, float]
    action: dict[str, str]
    D: dict[str, float]
    pi: float
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain-JSON form (the ``backlash model --json`` schema)."""
        return {
            "params": {k: getattr(self.params, k) for k in ModelParams.__dataclass_fields__},
            "theta": dict(self.theta),
            "gamma_threshold": dict(self.gamma_threshold),
            "action": dict(self.action),
            "D": dict(self.D),
            "pi": self.pi,
            "warnings": list(self.warnings),
        }


def solve(params: ModelParams) -> Equilibrium:
    """Solve the model at one parameter point (Props. 1-3 and Lemma 1).

    Warnings are attached (not raised) when the equilibrium leaves the region
    where Lemma 1's linear win probability is valid.
    """
    p = params
    o = outcome(p.alpha_r, p.alpha_e, p.x_h, p.lam, p.gamma, p.b, p.psi, p.c, p.m, p.calibration)
    f = {k: float(v) for k, v in o.items()}
    warnings: list[str] = []
    if not 0 <= f["pi"] <= 1:
        warnings.append(f"Lemma 1: pi = {f['pi']:.4f} lies outside [0, 1]; the linear win probability "
                        "is not a probability here (b is too large for these vote differences)")
    for group, key in (("winners", "share_w"), ("losers", "share_l")):
        if not 0 <= f[key] <= 1:
            warnings.append(f"Lemma 1: the share of {group} voting for L at the pivotal shock is "
                            f"{f[key]:.4f}, outside [0, 1] (m = {p.m:g} is too large)")
    if p.calibration == "reported" and f["gamma_l"] > f["gamma_h"]:
        warnings.append("reported calibration: gamma_L > gamma_H, Proposition 2's ranking fails here")
    return Equilibrium(
        params=p,
        theta={"LR": f["theta_lr"], "LE": f["theta_le"], "HR": f["theta_hr"], "HE": f["theta_he"]},
        gamma_threshold={"L": f["gamma_l"], "H": f["gamma_h"]},
        action={"L": "E" if o["exit_l"] else "R", "H": "E" if o["exit_h"] else "R"},
        D={"w": f["d_w"], "l": f["d_l"]},
        pi=f["pi"],
        warnings=warnings,
    )


def switch_alpha_r(leader: str, gamma: float, alpha_e: float, x_h: float, lam: float, b: float = 1.0,
                   psi: float = 1.0, c: float = 0.0, calibration: str = "equations") -> float:
    r"""The :math:`\alpha_R` at which ``leader`` ("L" or "H") switches to exit at a fixed :math:`\gamma`.

    Because :math:`\gamma_d` increases in :math:`\alpha_R` (Corollary 3), the
    switch point is the unique root of :math:`\gamma_d(\alpha_R)=\gamma` on
    :math:`(\max(1-\lambda,\alpha_E), 1]`.  Returns ``nan`` when the leader
    never exits there (:math:`\gamma_d(1)<\gamma`) or always does.
    """
    from scipy.optimize import brentq

    if leader not in ("L", "H"):
        raise ValueError(f"leader must be 'L' or 'H' (got {leader!r})")
    x = 0.0 if leader == "L" else x_h
    lo = max(1.0 - lam, alpha_e) + 1e-12
    f = lambda a: float(np.log(exit_threshold(a, alpha_e, x, lam, b, psi, c, calibration)) - np.log(gamma))  # noqa: E731
    f_lo, f_hi = f(lo), f(1.0)
    if f_lo > 0 or f_hi < 0:
        return float("nan")
    return float(brentq(f, lo, 1.0, xtol=1e-14, rtol=1e-14))
