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

from dataclasses import dataclass, field, fields
from typing import Literal

import numpy as np
from numpy.typing import ArrayLike, NDArray

__all__ = [
    "CALIBRATIONS",
    "Domain",
    "ELECTORAL_WEIGHT",
    "PrecisionError",
    "ModelParams",
    "OUTCOME_FIELDS",
    "PARAMETERS",
    "Parameter",
    "Slider",
    "Outcome",
    "Equilibrium",
    "check_signature",
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
# Newton steps taken on every point before convergence is checked: from the inflection
# point, six steps settle 98% of a wide random sample; the rest continue on a smaller array.
_NEWTON_BLIND_STEPS = 6
# Points per block in those steps: a block's scratch arrays stay in the CPU cache.
_BLOCK = 8192
_EPS = float(np.finfo(float).eps)


# --------------------------------------------------------------------------- validation
def _check(name: str, value: ArrayLike, ok: NDArray[np.bool_], condition: str, what: str = "") -> None:
    ok = np.asarray(ok)
    if not ok.all():
        arr = np.broadcast_to(np.asarray(value, dtype=float), ok.shape) if ok.shape else np.asarray(value, dtype=float)
        bad = arr[~ok] if ok.shape else arr
        first = float(np.ravel(bad)[0])
        raise ValueError(f"{name} must satisfy {condition} (got {what}{first:g})")


def _as_float(name: str, value: ArrayLike) -> NDArray[np.float64]:
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number (got {value!r})") from None
    if not np.isfinite(arr).all():
        raise ValueError(f"{name} must be finite (got {float(arr[~np.isfinite(arr)].ravel()[0]) if arr.ndim else float(arr):g})")
    return arr


@dataclass(frozen=True)
class Domain:
    """Where one parameter may lie: an interval, each end open or closed or absent.

    Attributes
    ----------
    lower, upper : float or None
        The ends (``None``: unbounded on that side).
    lower_open, upper_open : bool
        Whether an end is excluded.
    note : str
        Why, in a few words, shown after the condition.
    """

    lower: float | None = None
    upper: float | None = None
    lower_open: bool = False
    upper_open: bool = False
    note: str = ""

    def condition(self, name: str) -> str:
        """The condition in the form the error messages use: ``0 < lam < 1``, ``c >= 0``.

        Parameters
        ----------
        name : str
            The parameter's name.

        Returns
        -------
        str
        """
        lo = "<" if self.lower_open else "<="
        hi = "<" if self.upper_open else "<="
        if self.lower is not None and self.upper is not None:
            text = f"{self.lower:g} {lo} {name} {hi} {self.upper:g}"
        elif self.lower is not None:
            text = f"{name} {'>' if self.lower_open else '>='} {self.lower:g}"
        else:
            text = f"{name} {hi} {self.upper:g}"
        return f"{text} ({self.note})" if self.note else text

    def contains(self, value: NDArray) -> NDArray[np.bool_]:
        """Where ``value`` lies in the domain.

        Parameters
        ----------
        value : ndarray

        Returns
        -------
        ndarray of bool
        """
        ok = np.ones(np.shape(value), dtype=bool)
        if self.lower is not None:
            ok &= (value > self.lower) if self.lower_open else (value >= self.lower)
        if self.upper is not None:
            ok &= (value < self.upper) if self.upper_open else (value <= self.upper)
        return ok


class PrecisionError(ValueError):
    """A point inside the model's domain whose results double precision cannot resolve (a result is NaN).

    Attributes
    ----------
    point : dict of str to float
        The first such point's parameters, by name.
    results : list of str
        What could not be computed there (``theta`` for a share of Proposition 1, else the
        results' names in :data:`OUTCOME_FIELDS`).
    """

    def __init__(self, point: dict, results: list[str]) -> None:
        self.point, self.results = dict(point), list(results)
        where = ", ".join(f"{k}={v:g}" for k, v in self.point.items())
        super().__init__(f"no finite result at {where}: {', '.join(self.results)} "
                         f"{'is' if len(self.results) == 1 else 'are'} not a number, because these values are beyond "
                         "what double precision resolves (a share rounds to 0 or 1, or a term overflows); choose "
                         "less extreme values")


#: The domains of the share functions' own arguments (any leader's bias, either status-quo share).
_ARGUMENT_DOMAINS = {"alpha": Domain(0, 1), "x": Domain(0)}
#: Where the electoral weight b*psi may lie in double precision.  Below 1e-16 the exit thresholds
#: (Prop. 2) are lost to rounding: their ideological term, a difference of squares of O(b*psi) gaps,
#: is divided by b*psi, so rounding errors of 1e-16 grow to O(1e-32 / (b*psi)) (gamma_L drifts from
#: 1e-25 on at the default point and is 0 from 1e-40 on); above 1e300 the shares' cubic overflows.
ELECTORAL_WEIGHT = Domain(1e-16, 1e300, note="the electoral weight that double precision resolves")
#: Conditions that join parameters, checked after each parameter's own domain, in this order:
#: (the parameter named in the message, the parameters needed, the test, the condition in words, and
#: what value the message shows: the named parameter's, or a product's).
_JOINT = (
    ("alpha_e", ("alpha_r", "alpha_e"), lambda v: v["alpha_e"] <= v["alpha_r"], "0 <= alpha_e <= alpha_r", None),
    ("alpha_r", ("alpha_r", "lam"), lambda v: v["alpha_r"] > 1 - v["lam"],
     "alpha_r > 1 - lam (winners are richer under globalization)", None),
    ("b", ("b", "psi"), lambda v: ELECTORAL_WEIGHT.contains(v["b"] * v["psi"]), ELECTORAL_WEIGHT.condition("b*psi"),
     "b*psi"),
)


def _validated(**values: ArrayLike) -> dict[str, NDArray[np.float64]]:
    """Each value as a float array checked against its domain (in the order given), then the joint conditions.

    The one validator of the module: every public function checks its inputs through it. A name is a
    parameter of :class:`ModelParams` (its declared domain) or ``alpha``/``x`` (any share, any bias).
    """
    out = {}
    for name, value in values.items():
        arr = _as_float(name, value)
        domain = _DOMAINS.get(name) or _ARGUMENT_DOMAINS[name]
        _check(name, arr, domain.contains(arr), domain.condition(name))
        out[name] = arr
    with np.errstate(over="ignore", under="ignore"):
        for name, needs, test, condition, shown in _JOINT:
            if all(n in out for n in needs):
                if shown is None:
                    _check(name, out[name], test(out), condition)
                else:
                    value = out[needs[0]] * out[needs[1]]
                    _check(name, value, test(out), condition, what=f"{shown} = ")
    return out


def first_bad_point(bad: dict, inputs: dict) -> tuple[dict, list[str]] | None:
    """The first point (in C order of the broadcast arrays) where any result is flagged, and which results are.

    Parameters
    ----------
    bad : dict of str to array_like of bool
        Per result, where it is unusable (NaN; or, for the command line, not finite).
    inputs : dict of str to array_like
        The parameters, broadcastable against the flags.

    Returns
    -------
    (point, names) or None
        The parameters at that point (by name, as floats) and the names of the flagged results there;
        None when nothing is flagged.
    """
    flags = {n: np.asarray(f, dtype=bool) for n, f in bad.items()}
    shape = np.broadcast_shapes(*(f.shape for f in flags.values()))
    any_bad = np.zeros(shape, dtype=bool)
    for f in flags.values():
        any_bad = any_bad | f
    if not any_bad.any():
        return None
    i = int(np.flatnonzero(np.ravel(any_bad))[0])
    point = {n: float(np.ravel(np.broadcast_to(np.asarray(v, dtype=float), shape))[i]) for n, v in inputs.items()}
    return point, [n for n, f in flags.items() if np.ravel(np.broadcast_to(f, shape))[i]]


def _refuse_nan(results: dict, inputs: dict) -> None:
    """Raise :class:`PrecisionError` naming the first point where a result is NaN (never return one)."""
    found = first_bad_point({n: np.isnan(np.asarray(a, dtype=float)) for n, a in results.items()}, inputs)
    if found is not None:
        raise PrecisionError(*found)


def electoral_weights(b: ArrayLike, psi: ArrayLike, *, calibration: str = "equations"):
    r"""Return the weights :math:`(k_\theta, k_\Phi)` that multiply the electoral terms.

    Under ``"equations"`` both equal :math:`b\Psi`.  Under ``"reported"`` the
    weight in Proposition 1 is :math:`b\Psi/2` (this reproduces the printed
    Proposition 3 example) and the weight in :math:`\Phi_d` stays :math:`b\Psi`.

    Parameters
    ----------
    b, psi : array_like
        Density of the popularity shock and value of office (both > 0).
    calibration : {"equations", "reported"}

    Returns
    -------
    k_theta, k_phi : ndarray
        The weight in Proposition 1 and the weight in :math:`\Phi_d` (Proposition 2).
    """
    if calibration not in CALIBRATIONS:
        raise ValueError(f"calibration must be one of {', '.join(CALIBRATIONS)} (got {calibration!r})")
    k = np.asarray(b, dtype=float) * np.asarray(psi, dtype=float)
    return (k / 2.0 if calibration == "reported" else k), k


# --------------------------------------------------------------------------- Proposition 1
def _newton_step(theta, s, k, lam_minus_1, step, noise, buf):
    r"""One Newton step on :math:`h(\theta)=\theta(1-\theta)(s-\theta)-k(\theta-(1-\lambda))`, in place.

    Subtracts the step :math:`h/h'` from ``theta`` and stores it in ``step``; if
    ``noise`` is an array, stores there the size below which a step is rounding
    noise, :math:`8\epsilon\,[(|\theta(1-\theta)(s-\theta)|+|k(\theta-1+\lambda)|)/|h'|+|\theta|]`
    (the rounding error of ``h`` over the slope, plus a few units in the last place
    of :math:`\theta`).  ``buf`` holds four scratch arrays shaped like ``theta``;
    working in place keeps a block's arrays in the CPU cache.
    """
    u, s_minus, tu, dh = buf
    np.subtract(1.0, theta, out=u)
    np.subtract(s, theta, out=s_minus)
    np.multiply(theta, u, out=tu)
    np.subtract(u, theta, out=dh)  # h' = (1 - 2 theta)(s - theta) - theta (1 - theta) - k
    dh *= s_minus
    dh -= tu
    dh -= k
    tu *= s_minus  # the ideological term theta (1 - theta)(s - theta)
    np.add(theta, lam_minus_1, out=u)  # theta - (1 - lam), exact where it is small
    u *= k  # the electoral term
    np.subtract(tu, u, out=step)
    step /= dh
    theta -= step
    if noise is not None:
        np.abs(tu, out=noise)
        noise += np.abs(u, out=u)
        noise /= np.abs(dh, out=dh)
        noise += np.abs(theta, out=u)
        noise *= 8.0 * _EPS


def _solve_share(s: NDArray, k: NDArray, lam: NDArray) -> NDArray:
    r"""Unique root in (0, 1) of the Prop. 1 cubic, by Newton from its inflection point.

    Proposition 1 multiplied by :math:`\theta(1-\theta)` is the cubic

    .. math::
        h(\theta) = \theta(1-\theta)(s-\theta) - k\,(\theta-(1-\lambda)) = 0,
        \qquad s = x_d+\alpha_a,\ k = b\Psi .

    Since :math:`h(0)=k(1-\lambda)>0` and :math:`h(1)=-k\lambda<0`, it has three
    real roots, one below 0, one in (0, 1) and one above 1, so the root we want is
    the middle one.  Newton's method started at the inflection point
    :math:`(1+s)/3` needs no bracket: between the inflection point and the middle
    root the cubic is monotone and does not change curvature, so every step moves
    towards the middle root without passing it (Fourier's condition).  When the
    inflection point lies beyond 1 (:math:`s>2`) the start is 1 instead, which lies
    between the two (the root is below 1): the same argument holds, and the first
    step lands within rounding of the root however large :math:`s` is (from the
    inflection point, Newton would cut the distance by only a third a step, too
    slowly to arrive when :math:`x_H` is :math:`10^{20}`).

    Why Newton rather than the closed form (the trigonometric formula for the
    middle root)?  Both take about as long on arrays, but the closed form adds
    :math:`(1+s)/3` to a term of size :math:`\sqrt{k}` to get a root near
    :math:`1-\lambda` when :math:`b\Psi` is large, which loses about
    :math:`\epsilon\sqrt{k}` (5e-8 at :math:`k=10^{16}`), and its arccos loses
    accuracy where two roots nearly meet (:math:`b\Psi` tiny, :math:`s` near 0 or
    1).  Newton on ``h`` evaluated in the product form above, with
    :math:`\theta-(1-\lambda)` computed as :math:`\theta+(\lambda-1)`, stays within
    a few units in the last place at those edges and as :math:`\lambda\to0` or
    :math:`\lambda\to1`, where the expanded cubic :math:`\theta^3-(1+s)\theta^2+\dots`
    cancels to noise (``tests/test_perf_equivalence.py`` checks both against a
    60-digit reference).

    Every point takes :data:`_NEWTON_BLIND_STEPS` steps, block by block; then a
    point has converged when its last step is within the rounding noise of ``h``
    or changes direction (which exact arithmetic never does here).  The other
    points continue on a smaller array.  Where :math:`\theta(1-\theta)` is small
    the cubic's slope is small too, so :func:`_polish` ends with Newton steps on
    Proposition 1 itself.  A point still moving after :data:`_NEWTON_MAX_ITER`
    steps, or a result outside [0, 1], raises ``RuntimeError``: nothing
    unconverged is returned.  Only where the cubic itself overflows is the share NaN,
    which every public function refuses (:class:`PrecisionError`).
    """
    s, k, lam = np.broadcast_arrays(np.asarray(s, dtype=float), np.asarray(k, dtype=float),
                                    np.asarray(lam, dtype=float))
    shape = s.shape
    s, k = s.ravel(), k.ravel()
    lam_minus_1 = lam.ravel() - 1.0
    theta = 1.0 + s
    theta /= 3.0
    np.minimum(theta, 1.0, out=theta)
    step, noise = np.empty_like(theta), np.empty_like(theta)
    buf = np.empty((4, min(theta.size, _BLOCK)))
    for i in range(0, theta.size, _BLOCK):
        block = slice(i, i + _BLOCK)
        args = (theta[block], s[block], k[block], lam_minus_1[block], step[block])
        scratch = buf[:, :args[0].size]
        for _ in range(_NEWTON_BLIND_STEPS - 1):
            _newton_step(*args, None, scratch)
        _newton_step(*args, noise[block], scratch)
    idx = np.flatnonzero(np.abs(step) > noise)
    if idx.size:
        sub = (a[idx] for a in (theta, s, k, lam_minus_1, step))
        theta[idx], noise[idx] = _newton_rest(*sub)
    _polish(theta, s, k, lam.ravel(), noise)
    outside = ~((theta >= 0.0) & (theta <= 1.0))  # also catches nan
    if outside.any():
        i = np.flatnonzero(outside)[0]
        with np.errstate(over="ignore", invalid="ignore"):
            overflow = not np.isfinite(s[i] * s[i] + k[i] * s[i])
        if overflow:  # the cubic overflows at such points: NaN, which every public function refuses
            with np.errstate(over="ignore", invalid="ignore"):
                beyond = ~np.isfinite(s * s + k * s)
            if not (outside & ~beyond).any():
                return theta.reshape(shape)
            i = np.flatnonzero(outside & ~beyond)[0]
        raise RuntimeError(f"Proposition 1: the solver left {np.count_nonzero(outside)} share(s) outside [0, 1], "
                           f"e.g. {theta[i]!r} at x + alpha = {s[i]:.17g}, b*psi = {k[i]:.17g}, "
                           f"lam = {lam.ravel()[i]:.17g}; please report these parameters")
    return theta.reshape(shape)


def _newton_rest(theta, s, k, lam_minus_1, last):
    """Newton steps on the points not yet converged; returns their roots and step noise."""
    out, out_noise, idx = theta.copy(), np.empty_like(theta), np.arange(theta.size)
    for _ in range(_NEWTON_MAX_ITER - _NEWTON_BLIND_STEPS):
        step, noise = np.empty_like(theta), np.empty_like(theta)
        _newton_step(theta, s, k, lam_minus_1, step, noise, np.empty((4, theta.size)))
        out[idx], out_noise[idx] = theta, noise
        moving = (np.abs(step) > noise) & (step * last > 0)
        if not moving.any():
            return out, out_noise
        idx, theta, s, k, lam_minus_1, last = (a[moving] for a in (idx, theta, s, k, lam_minus_1, step))
    raise RuntimeError(
        f"Proposition 1: Newton did not converge at {idx.size} point(s) in {_NEWTON_MAX_ITER} steps, "
        f"e.g. x + alpha = {s[0]:.17g}, b*psi = {k[0]:.17g}, lam = {lam_minus_1[0] + 1:.17g}; "
        "please report these parameters")


def _polish(theta, s, k, lam, noise):
    r"""Newton steps on Proposition 1 itself where the cubic may have left more than rounding error.

    The cubic is Proposition 1 times :math:`\theta(1-\theta)`, so near
    :math:`\theta\to0` or 1 its slope shrinks with that factor (and
    :math:`\theta-(1-\lambda)` inherits the rounding of :math:`1-\lambda`), while the
    slope of Proposition 1, :math:`1+k\lambda/(1-\theta)^2+k(1-\lambda)/\theta^2`,
    stays at least 1.  Up to two steps on it, each kept only where it stays in
    (0, 1) and lowers the residual, remove that error.  In place; on ordinary
    parameters almost no point qualifies and this costs a few comparisons.
    """
    idx = np.flatnonzero((theta * (1.0 - theta) < 1.0 / 256) | (noise > 64.0 * _EPS * np.abs(theta)))
    if not idx.size:
        return
    t, s, k, lam = theta[idx], s[idx], k[idx], lam[idx]

    def residual(t):
        to_losers, to_winners = k * lam / (1.0 - t), k * (1.0 - lam) / t
        return to_losers - to_winners - (s - t), 1.0 + to_losers / (1.0 - t) + to_winners / t

    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        f, df = residual(t)
        for _ in range(2):
            new = t - f / df
            f_new, df_new = residual(new)
            better = (new > 0) & (new < 1) & (np.abs(f_new) < np.abs(f))
            t, f, df = np.where(better, new, t), np.where(better, f_new, f), np.where(better, df_new, df)
    theta[idx] = t


def equilibrium_share(alpha: ArrayLike, x: ArrayLike, lam: ArrayLike, *, b: ArrayLike = 1.0,
                      psi: ArrayLike = 1.0, calibration: str = "equations") -> NDArray[np.float64]:
    r"""Equilibrium share :math:`\theta^*_{da}` proposed for winners (Proposition 1).

    Solves, for :math:`\theta\in(0,1)`,

    .. math::
        b\Psi\,\frac{\lambda}{1-\theta} = b\Psi\,\frac{1-\lambda}{\theta} + (x_d + \alpha_a - \theta).

    The left side is the marginal electoral gain of giving to losers, the right
    side the marginal electoral loss among winners plus the ideological cost.
    Multiplying by :math:`\theta(1-\theta)` gives a cubic with exactly one root
    in (0, 1), between :math:`1-\lambda` and :math:`x_d+\alpha_a`; Newton's method
    started at the cubic's inflection point finds it on whole arrays to a few
    units in the last place (see ``_solve_share``) or raises ``RuntimeError``.

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
    v = _validated(lam=lam, alpha=alpha, x=x, b=b, psi=psi)
    alpha, x, lam, b, psi = v["alpha"], v["x"], v["lam"], v["b"], v["psi"]
    k_theta, _ = electoral_weights(b, psi, calibration=calibration)
    out = _solve_share(np.asarray(x + alpha, dtype=float), np.asarray(k_theta, dtype=float), lam)
    _refuse_nan({"theta": out}, v)
    return out if out.ndim else out[()]


def foc_residual(theta, alpha, x, lam, *, b=1.0, psi=1.0, calibration="equations"):
    r"""Residual of Proposition 1, :math:`k\lambda/(1-\theta) - k(1-\lambda)/\theta - (x+\alpha-\theta)`.

    Parameters
    ----------
    theta : array_like
        A candidate share :math:`\theta\in(0,1)`.
    alpha, x, lam, b, psi, calibration
        As in :func:`equilibrium_share`.

    Returns
    -------
    ndarray
        Zero at :math:`\theta^*` (Proposition 1).
    """
    k, _ = electoral_weights(b, psi, calibration=calibration)
    theta = np.asarray(theta, dtype=float)
    return k * lam / (1 - theta) - k * (1 - lam) / theta - (x + alpha - theta)


def second_order_condition(theta, lam, *, b=1.0, psi=1.0, calibration="equations"):
    r"""Second derivative of a leader's payoff at :math:`\theta` (proof of Prop. 1).

    .. math:: -1 - b\Psi\left(\frac{1-\lambda}{\theta^2} + \frac{\lambda}{(1-\theta)^2}\right) < 0.

    Parameters
    ----------
    theta : array_like
        The share at which the second derivative is taken.
    lam, b, psi, calibration
        As in :func:`equilibrium_share`.

    Returns
    -------
    ndarray
        The second derivative, negative everywhere on (0, 1), so :math:`\theta^*` is a maximum.
    """
    k, _ = electoral_weights(b, psi, calibration=calibration)
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

    Parameters
    ----------
    theta_l, theta_h : array_like
        The winners' shares L and H propose.
    size_l, size_h : array_like
        The size of the economy under each leader's action (:math:`\gamma` if she remains, 1 if she exits).

    Returns
    -------
    d_w, d_l : ndarray
        :math:`D_w` and :math:`D_\ell`.
    """
    theta_l, theta_h = np.asarray(theta_l, float), np.asarray(theta_h, float)
    size_l, size_h = np.asarray(size_l, float), np.asarray(size_h, float)
    d_w = np.log(size_l * theta_l) - np.log(size_h * theta_h)
    d_l = np.log(size_l * (1 - theta_l)) - np.log(size_h * (1 - theta_h))
    return d_w, d_l


def win_probability(d_w, d_l, lam, *, b=1.0):
    r"""Probability that L wins (Lemma 1): :math:`\pi = \tfrac12 + b\,((1-\lambda)D_w + \lambda D_\ell)`.

    The formula is linear; it is a probability only while it lies in [0, 1] and
    the group vote shares at the pivotal shock do (see :func:`group_vote_share`).

    Parameters
    ----------
    d_w, d_l : array_like
        The vote differences of winners and losers (:func:`vote_differences`).
    lam : array_like
        Share of losers :math:`\lambda`.
    b : array_like
        Density of the common popularity shock.

    Returns
    -------
    ndarray
        :math:`\pi`.
    """
    return 0.5 + np.asarray(b, float) * ((1 - np.asarray(lam, float)) * d_w + np.asarray(lam, float) * d_l)


def group_vote_share(d_j, beta, *, m=1.0):
    r"""Share of group j voting for L given the common shock :math:`\beta` (proof of Lemma 1).

    :math:`P(\mu_i \ge -D_j-\beta) = \tfrac12 + m(D_j+\beta)` for :math:`\mu_i\sim U[-1/2m,1/2m]`,
    the linear expression that is a probability only while it lies in [0, 1].

    Parameters
    ----------
    d_j : array_like
        The group's vote difference :math:`D_j`.
    beta : array_like
        The common shock :math:`\beta`.
    m : array_like
        Density of the individual shocks.

    Returns
    -------
    ndarray
        The share of the group voting for L.
    """
    return 0.5 + np.asarray(m, float) * (np.asarray(d_j, float) + np.asarray(beta, float))


# --------------------------------------------------------------------------- Proposition 2
def _threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration, shares=None):
    r"""The pieces of :math:`\Phi_d`; ``shares = (theta_r, theta_e)`` skips solving them again."""
    k_theta, k_phi = electoral_weights(b, psi, calibration=calibration)
    if shares is None:
        theta_r = _solve_share(np.asarray(x + alpha_r, float), np.asarray(k_theta, float), lam)
        theta_e = _solve_share(np.asarray(x + alpha_e, float), np.asarray(k_theta, float), lam)
    else:
        theta_r, theta_e = shares
    # 1/2 (2x + aE + aR - tE - tR)(aE - aR - tE + tR) = 1/2 [(x+aE-tE)^2 - (x+aR-tR)^2]
    # Overflow (inf) or inf - inf (NaN) at extreme inputs is not warned of here: the callers refuse NaN, naming
    # the parameters, and return an infinite threshold as infinite (tests/test_model.py).
    with np.errstate(over="ignore", invalid="ignore"):
        ideological = 0.5 * ((x + alpha_e - theta_e) ** 2 - (x + alpha_r - theta_r) ** 2)
    with np.errstate(divide="ignore", invalid="ignore"):  # a share rounded to 0 or 1: the callers refuse NaN
        electoral = (1 - lam) * np.log(theta_r / theta_e) + lam * np.log((1 - theta_r) / (1 - theta_e))
    return ideological, electoral, k_phi, theta_r, theta_e


def _scalar(a: NDArray) -> NDArray:
    """A 0-d result as a NumPy scalar (as the public functions return it), arrays unchanged."""
    return a if a.ndim else a[()]


def _threshold(ideological, electoral, k_phi, c):
    r""":math:`\gamma_d` from the pieces of :math:`\Phi_d` (the closed form in :func:`exit_threshold`)."""
    with np.errstate(over="ignore"):  # a threshold beyond the largest float is infinite, and said so by the callers
        return np.exp(-(ideological + c) / k_phi - electoral)


def exit_incentive(gamma, alpha_r, alpha_e, x, lam, *, b=1.0, psi=1.0, c=0.0, calibration="equations"):
    r"""The payoff gain from remaining over exiting, :math:`Z_d(\gamma)=\Phi_d(\gamma)+c` (Prop. 2).

    .. math::
        \Phi_d(\gamma) = \tfrac12(2x_d+\alpha_E+\alpha_R-\theta^*_{dE}-\theta^*_{dR})
        (\alpha_E-\alpha_R-\theta^*_{dE}+\theta^*_{dR})
        + b(1-\lambda)\Psi\log\frac{\gamma\theta^*_{dR}}{\theta^*_{dE}}
        + b\lambda\Psi\log\frac{\gamma(1-\theta^*_{dR})}{1-\theta^*_{dE}}.

    Leader d prefers to remain when it is positive.  It does not depend on the
    rival's mixing probability, which cancels from the difference in payoffs.

    Parameters
    ----------
    gamma : array_like
        Size of the globalized economy, :math:`\gamma>0`.
    alpha_r, alpha_e, x, lam, b, psi, c, calibration
        As in :func:`exit_threshold`.

    Returns
    -------
    ndarray
        :math:`Z_d(\gamma)`.
    """
    gamma = _as_float("gamma", gamma)
    _check("gamma", gamma, gamma > 0, "gamma > 0")
    v = _validated(lam=lam, alpha_r=alpha_r, alpha_e=alpha_e, c=c, x=x, b=b, psi=psi)
    alpha_r, alpha_e, lam, c = v["alpha_r"], v["alpha_e"], v["lam"], v["c"]
    ideological, electoral, k_phi, _, _ = _threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration)
    with np.errstate(invalid="ignore"):
        out = ideological + k_phi * (electoral + np.log(gamma)) + c
    _refuse_nan({"Z": out}, {**v, "gamma": gamma})
    return out


def exit_threshold(alpha_r: ArrayLike, alpha_e: ArrayLike, x: ArrayLike, lam: ArrayLike, *,
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
        :math:`\gamma_d`; ``inf`` where it exceeds the largest double (the leader exits at every
        :math:`\gamma`).

    Raises
    ------
    ValueError
        A parameter outside its domain (:class:`ModelParams`), or :class:`PrecisionError` where the
        threshold cannot be computed in double precision (it would be NaN).
    """
    v = _validated(lam=lam, alpha_r=alpha_r, alpha_e=alpha_e, c=c, x=x, b=b, psi=psi)
    alpha_r, alpha_e, lam, c, x, b, psi = (v[k] for k in ("alpha_r", "alpha_e", "lam", "c", "x", "b", "psi"))
    ideological, electoral, k_phi, _, _ = _threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration)
    out = _threshold(ideological, electoral, k_phi, c)
    _refuse_nan({"gamma_d": out}, v)
    return out if out.ndim else out[()]


# --------------------------------------------------------------------------- the parameters
@dataclass(frozen=True)
class Slider:
    """How the browser explorer (``paper/explorer/explorer.js``) sets a parameter: a slider and a box.

    Attributes
    ----------
    low, high, step : float
        The slider's range and step (the box takes any value).
    key : str
        The explorer's name for it, when not the parameter's own.
    times : str
        A parameter the explorer folds into this one and holds at 1 (b's slider is bΨ, Ψ held at 1).
    text, label : str
        The explorer's symbol and words, when not the parameter's own.
    """

    low: float
    high: float
    step: float
    key: str = ""
    times: str = ""
    text: str = ""
    label: str = ""


@dataclass(frozen=True)
class Parameter:
    """One parameter of the model, as its field of :class:`ModelParams` declares it.

    Attributes
    ----------
    name : str
        The field's name, also the keyword of :func:`outcome` and the key of every output.
    symbol : str
        The paper's symbol as (matplotlib or LaTeX) math, without dollars: ``\alpha_R``.
    text : str
        The symbol in plain text: ``α_R``.
    label : str
        What it is, in words.
    default : float or None
        The default (the Proposition 3 example).
    domain : Domain
        Where it may lie; :func:`outcome`, :class:`ModelParams`, the command line and the explorer
        check it.
    slider : Slider or None
        How the explorer sets it (``None``: the explorer holds it at its default).
    """

    name: str
    symbol: str
    text: str
    label: str
    default: float | None
    domain: Domain
    slider: Slider | None = None

    @property
    def flag(self) -> str:
        """The command-line option that sets it: ``--alpha-r``.

        Returns
        -------
        str
        """
        return "--" + self.name.replace("_", "-")

    @property
    def condition(self) -> str:
        """Its domain in words, with the conditions that join it to other parameters.

        Returns
        -------
        str
        """
        joint = [text for name, _, _, text, _ in _JOINT if name == self.name]
        return "; ".join([self.domain.condition(self.name), *joint])


def _parameter(default, symbol: str, text: str, label: str, domain: Domain, slider: Slider | None = None):
    """A field of :class:`ModelParams` that carries its :class:`Parameter` metadata."""
    return field(default=default, metadata={"parameter": dict(symbol=symbol, text=text, label=label, domain=domain,
                                                              slider=slider)})


@dataclass(frozen=True, kw_only=True)
class ModelParams:
    r"""One parameter point of the model, or a family of points along :math:`\alpha_R`.

    Each parameter is declared once, as a field here with its metadata (symbol, words, domain,
    default, how the explorer sets it); :data:`PARAMETERS` collects them, and the command line,
    the validation, the explorer's presets and the report iterate over it.

    Defaults: the paper's Prop. 3 example at :math:`\alpha_R = 0.70`.  The exhibits
    (:mod:`backlash.exhibits.model`) draw curves along :math:`\alpha_R` and leave it
    ``None``; Figure 2 needs no :math:`\gamma` and leaves that ``None`` too.
    :func:`solve` needs both.  The values are checked on construction: each must be a real
    number in its domain.

    Parameters
    ----------
    lam : float
        Share of globalization losers :math:`\lambda\in(0,1)`.
    alpha_r : float or None
        Winners' share if the country remains, :math:`\alpha_R>1-\lambda` (``None`` for a family of curves).
    alpha_e : float
        Winners' share after exit, :math:`0\le\alpha_E\le\alpha_R`.
    x_h : float
        The high-bias leader's bias :math:`x_H>0`.
    b, psi : float
        Density of the popularity shock and value of office (both > 0).
    gamma : float or None
        Size of the globalized economy, :math:`\gamma>1` (``None`` where a curve needs none).
    c : float
        Reputational cost of exit, :math:`c\ge0` (appendix extension).
    m : float
        Density of the individual shocks (only Lemma 1's validity check uses it).
    calibration : {"equations", "reported"}
        See the module docstring.
    """

    lam: float = _parameter(0.5, r"\lambda", "λ", "share of globalization losers", Domain(0, 1, True, True),
                            Slider(0.01, 0.99, 0.01))
    alpha_r: float | None = _parameter(0.70, r"\alpha_R", "α_R", "winners' share if the country remains",
                                       Domain(0, 1), Slider(0, 0.99, 0.001))
    alpha_e: float = _parameter(0.40, r"\alpha_E", "α_E", "winners' share after exit", Domain(0, 1),
                                Slider(0, 0.99, 0.001))
    x_h: float = _parameter(0.125, "x_H", "x_H", "ideological bias of the high-bias leader H",
                            Domain(0, lower_open=True, note="H is the high-bias leader"), Slider(0.005, 1.5, 0.005))
    b: float = _parameter(1.0, "b", "b", "density of the common popularity shock", Domain(0, lower_open=True),
                          Slider(0.05, 4, 0.05, key="b_psi", times="psi", text="bΨ", label="weight of the election"))
    psi: float = _parameter(1.0, r"\Psi", "Ψ", "value of office", Domain(0, lower_open=True))
    gamma: float | None = _parameter(1.05, r"\gamma", "γ", "size of the globalized economy",
                                     Domain(1, lower_open=True, note="globalization enlarges the economy"),
                                     Slider(1.001, 1.4, 0.001))
    c: float = _parameter(0.0, "c", "c", "reputational cost of exit (appendix extension)", Domain(0),
                          Slider(0, 0.2, 0.001))
    m: float = _parameter(1.0, "m", "m", "density of the individual shocks (Lemma 1 validity check only)",
                          Domain(0, lower_open=True))
    calibration: str = "equations"

    def __post_init__(self) -> None:
        for p in PARAMETERS:
            value = getattr(self, p.name)
            if value is None and p.name not in _MAY_BE_NONE:
                raise ValueError(f"{p.name} must be a real number (got None)")
            if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float, np.integer,
                                                                                       np.floating))):
                raise ValueError(f"{p.name} must be a real number (got {value!r})")
        values = {p.name: getattr(self, p.name) for p in PARAMETERS if getattr(self, p.name) is not None}
        if self.alpha_r is None:  # a family of curves is checked at the smallest alpha_r it can take
            values["alpha_r"] = max(self.alpha_e, 1.0 - self.lam + 1e-12)
        _validated(**{p.name: values[p.name] for p in PARAMETERS if p.name in values})
        electoral_weights(self.b, self.psi, calibration=self.calibration)

    def to_dict(self) -> dict:
        """Plain-JSON form: every field by name.

        Returns
        -------
        dict
            ``{field: value}`` in the order of the fields.
        """
        return {k: getattr(self, k) for k in self.__dataclass_fields__}

    def arguments(self) -> dict:
        """The point as keyword arguments of :func:`outcome` (every parameter and the calibration).

        Returns
        -------
        dict
        """
        return {**{p.name: getattr(self, p.name) for p in PARAMETERS}, "calibration": self.calibration}


#: Every parameter of the model, in the order of :class:`ModelParams`' fields.
PARAMETERS: tuple[Parameter, ...] = tuple(
    Parameter(name=f.name, default=f.default, **f.metadata["parameter"]) for f in fields(ModelParams)
    if "parameter" in f.metadata)
#: Parameters a family of curves may leave unset (``None``).
_MAY_BE_NONE = ("alpha_r", "gamma")
_DOMAINS = {p.name: p.domain for p in PARAMETERS}


#: The results of the model at a point, in the order of :class:`Outcome` (the CLI's grid columns).
OUTCOME_FIELDS = ("theta_lr", "theta_le", "theta_hr", "theta_he", "gamma_l", "gamma_h", "exit_l", "exit_h",
                  "d_w", "d_l", "pi", "share_w", "share_l", "lemma1_ok")


@dataclass(frozen=True)
class Outcome:
    r"""The equilibrium at each parameter point, as returned by :func:`outcome` (arrays or scalars).

    One naming scheme for the CLI's JSON and CSV, the exhibits' files and the tests;
    the names spell the paper's symbols.  The first letter after ``theta_`` is the
    leader (``l`` the low-bias L, ``h`` the high-bias H), the second the action
    (``r`` remain, ``e`` exit); ``w`` is the winners of globalization and ``l`` after
    ``d_`` or ``share_`` the losers.

    Attributes
    ----------
    theta_lr, theta_le, theta_hr, theta_he : ndarray
        :math:`\theta^*_{LR}, \theta^*_{LE}, \theta^*_{HR}, \theta^*_{HE}`, the winners' shares each
        leader proposes if she remains or exits (Proposition 1).
    gamma_l, gamma_h : ndarray
        The exit thresholds :math:`\gamma_L, \gamma_H` (Proposition 2).
    exit_l, exit_h : ndarray of bool
        True where the leader exits, :math:`\gamma\le\gamma_d`.
    d_w, d_l : ndarray
        :math:`D^*_w, D^*_\ell`, the utility differences between voting for L and for H of
        winners and losers at the equilibrium actions (Lemma 1, Proposition 3).
    pi : ndarray
        Probability that L wins, :math:`\pi=\tfrac12+b((1-\lambda)D^*_w+\lambda D^*_\ell)` (Lemma 1).
    share_w, share_l : ndarray
        Share of winners and of losers voting for L at the pivotal shock.
    lemma1_ok : ndarray of bool
        True where :math:`\pi` and both shares lie in [0, 1] (Lemma 1's formula is valid).
    """

    theta_lr: NDArray
    theta_le: NDArray
    theta_hr: NDArray
    theta_he: NDArray
    gamma_l: NDArray
    gamma_h: NDArray
    exit_l: NDArray
    exit_h: NDArray
    d_w: NDArray
    d_l: NDArray
    pi: NDArray
    share_w: NDArray
    share_l: NDArray
    lemma1_ok: NDArray

    def to_dict(self) -> dict:
        """The fields by name, in the order of :data:`OUTCOME_FIELDS`.

        Returns
        -------
        dict
            ``{name: array}``.
        """
        return {k: getattr(self, k) for k in OUTCOME_FIELDS}


def outcome(alpha_r, alpha_e, x_h, lam, gamma, *, b=1.0, psi=1.0, c=0.0, m=1.0, calibration="equations") -> Outcome:
    r"""Vectorized equilibrium at each parameter point (Props. 1-3, Lemma 1).

    Solves the four shares of Proposition 1 once each, the two thresholds of
    Proposition 2 from them, the equilibrium actions (leader d exits where
    :math:`\gamma\le\gamma_d`), the vote differences :math:`D^*_w, D^*_\ell` at those
    actions (Proposition 3) and Lemma 1's win probability.

    Parameters
    ----------
    alpha_r, alpha_e, x_h, lam, gamma : array_like
        The parameter points (broadcast together); see :class:`ModelParams`.
    b, psi, c, m : array_like
        As in :class:`ModelParams`.
    calibration : {"equations", "reported"}

    Returns
    -------
    Outcome
        Arrays of the broadcast shape (NumPy scalars for scalar inputs).  A threshold beyond the
        largest double is ``inf`` (that leader exits at every :math:`\gamma`); no result is NaN.

    Raises
    ------
    ValueError
        A parameter outside its domain or a joint condition violated (naming the parameter), or
        :class:`PrecisionError` (naming the first point and the results) where double precision
        cannot resolve a result.
    """
    # One check of every parameter, in the order of ModelParams; each share is then solved once
    # and reused by both thresholds.
    v = _validated(lam=lam, alpha_r=alpha_r, alpha_e=alpha_e, x_h=x_h, b=b, psi=psi, gamma=gamma, c=c, m=m)
    lam, alpha_r, alpha_e, x_h, b, psi, gamma, c, m = v.values()
    # A share rounded to 0 or 1 makes a log infinite and a later sum NaN: refused below, so not warned of.
    with np.errstate(divide="ignore", invalid="ignore"):
        k_theta = np.asarray(electoral_weights(b, psi, calibration=calibration)[0], dtype=float)
        theta_lr, theta_le, theta_hr, theta_he = (
            _scalar(_solve_share(np.asarray(x + alpha, float), k_theta, lam))
            for x, alpha in ((0.0, alpha_r), (0.0, alpha_e), (x_h, alpha_r), (x_h, alpha_e)))
        gamma_l, gamma_h = (
            _scalar(_threshold(*_threshold_parts(alpha_r, alpha_e, x, lam, b, psi, calibration, shares)[:3], c))
            for x, shares in ((0.0, (theta_lr, theta_le)), (x_h, (theta_hr, theta_he))))
        exit_l, exit_h = gamma <= gamma_l, gamma <= gamma_h
        theta_l = np.where(exit_l, theta_le, theta_lr)
        theta_h = np.where(exit_h, theta_he, theta_hr)
        d_w, d_l = vote_differences(theta_l, theta_h, np.where(exit_l, 1.0, gamma), np.where(exit_h, 1.0, gamma))
        pi = win_probability(d_w, d_l, lam, b=b)
        # At the pivotal shock beta* = -((1-lam) D_w + lam D_l) each group's share must be a probability.
        beta_star = -((1 - np.asarray(lam, float)) * d_w + np.asarray(lam, float) * d_l)
        share_w, share_l = group_vote_share(d_w, beta_star, m=m), group_vote_share(d_l, beta_star, m=m)
        lemma1_ok = ((pi >= 0) & (pi <= 1) & (share_w >= 0) & (share_w <= 1) & (share_l >= 0) & (share_l <= 1))
    _refuse_nan({"theta_lr": theta_lr, "theta_le": theta_le, "theta_hr": theta_hr, "theta_he": theta_he,
                 "gamma_l": gamma_l, "gamma_h": gamma_h, "d_w": d_w, "d_l": d_l, "pi": pi, "share_w": share_w,
                 "share_l": share_l}, v)
    return Outcome(theta_lr=theta_lr, theta_le=theta_le, theta_hr=theta_hr, theta_he=theta_he,
                   gamma_l=gamma_l, gamma_h=gamma_h, exit_l=exit_l, exit_h=exit_h,
                   d_w=d_w, d_l=d_l, pi=pi, share_w=share_w, share_l=share_l, lemma1_ok=lemma1_ok)


def check_signature(func, parameters=None) -> None:
    """Refuse a parameter that ``func`` (by default :func:`outcome`) cannot take.

    A field declared in :class:`ModelParams` enters the command line, the figures' parameter sets and
    :meth:`ModelParams.arguments`, which call :func:`outcome` with every parameter by name; a field the
    equations do not take would fail there, far from its cause. This runs when the module is imported.

    Parameters
    ----------
    func : callable
        The function every parameter must be a keyword of.
    parameters : sequence of Parameter, optional
        Default :data:`PARAMETERS`.

    Raises
    ------
    TypeError
        Naming each parameter ``func`` does not take, and what to do.
    """
    import inspect

    taken = inspect.signature(func).parameters
    missing = [p.name for p in (PARAMETERS if parameters is None else parameters) if p.name not in taken]
    if missing:
        raise TypeError(f"ModelParams declares {', '.join(missing)}, but {func.__name__}() takes no such argument: "
                        f"add it to {func.__name__}'s signature and to the equations it enters (and to "
                        "paper/explorer/explorer.js if it has a slider), or remove the field from ModelParams")


check_signature(outcome)


@dataclass(frozen=True)
class Equilibrium:
    r"""The equilibrium at one parameter point, as returned by :func:`solve`.

    The fields of :class:`Outcome` as floats (same names), the actions and the
    warnings about Lemma 1's validity.

    Attributes
    ----------
    params : ModelParams
        The parameter point.
    theta_lr, theta_le, theta_hr, theta_he, gamma_l, gamma_h, d_w, d_l, pi, share_w, share_l : float
        As in :class:`Outcome`.
    action_l, action_h : str
        ``"R"`` (remain) or ``"E"`` (exit), each leader's equilibrium action (Proposition 2).
    lemma1_ok : bool
        As in :class:`Outcome`.
    warnings : list of str
        Why Lemma 1's linear win probability is not valid here, if it is not.
    """

    params: ModelParams
    theta_lr: float
    theta_le: float
    theta_hr: float
    theta_he: float
    gamma_l: float
    gamma_h: float
    action_l: str
    action_h: str
    d_w: float
    d_l: float
    pi: float
    share_w: float
    share_l: float
    lemma1_ok: bool
    warnings: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain-JSON form (the ``backlash model --json`` schema).

        Returns
        -------
        dict
            ``params`` (a dict of :class:`ModelParams`' fields), then every other field by name.
        """
        out = {k: getattr(self, k) for k in self.__dataclass_fields__}
        out["params"] = self.params.to_dict()
        out["warnings"] = list(self.warnings)
        return out


def solve(params: ModelParams) -> Equilibrium:
    """Solve the model at one parameter point (Props. 1-3 and Lemma 1).

    Warnings are attached (not raised) when the equilibrium leaves the region
    where Lemma 1's linear win probability is valid.

    Parameters
    ----------
    params : ModelParams
        The point; ``alpha_r`` and ``gamma`` must be set.

    Returns
    -------
    Equilibrium
        The shares, thresholds, actions, vote differences and win probability at the point.
    """
    p = params
    if p.alpha_r is None or p.gamma is None:
        raise ValueError("solve needs one point: set alpha_r and gamma in the ModelParams")
    o = outcome(**p.arguments())
    f = {k: float(v) for k, v in o.to_dict().items() if k not in ("exit_l", "exit_h", "lemma1_ok")}
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
    return Equilibrium(params=p, action_l="E" if o.exit_l else "R", action_h="E" if o.exit_h else "R",
                       lemma1_ok=bool(o.lemma1_ok), warnings=warnings, **f)


def switch_alpha_r(leader: str, gamma: float, alpha_e: float, x_h: float, lam: float, *, b: float = 1.0,
                   psi: float = 1.0, c: float = 0.0, calibration: str = "equations") -> float:
    r"""The :math:`\alpha_R` at which ``leader`` ("L" or "H") switches to exit at a fixed :math:`\gamma`.

    Because :math:`\gamma_d` increases in :math:`\alpha_R` (Corollary 3), the
    switch point is the unique root of :math:`\gamma_d(\alpha_R)=\gamma` on
    :math:`(\max(1-\lambda,\alpha_E), 1]`.  Returns ``nan`` when the leader
    never exits there (:math:`\gamma_d(1)<\gamma`) or always does.

    Parameters
    ----------
    leader : {"L", "H"}
    gamma : float
        The fixed size of the globalized economy, :math:`\gamma>1`.
    alpha_e, x_h, lam, b, psi, c, calibration
        As in :func:`outcome`.

    Returns
    -------
    float
        The switch point in :math:`\alpha_R`, or ``nan``.
    """
    from scipy.optimize import brentq

    if leader not in ("L", "H"):
        raise ValueError(f"leader must be 'L' or 'H' (got {leader!r})")
    x = 0.0 if leader == "L" else x_h
    lo = max(1.0 - lam, alpha_e) + 1e-12
    f = lambda a: float(np.log(exit_threshold(a, alpha_e, x, lam, b=b, psi=psi, c=c, calibration=calibration))
                         - np.log(gamma))  # noqa: E731
    f_lo, f_hi = f(lo), f(1.0)
    if f_lo > 0 or f_hi < 0:
        return float("nan")
    return float(brentq(f, lo, 1.0, xtol=1e-14, rtol=1e-14))
