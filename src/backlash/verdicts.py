r"""Words from numbers: every verdict the report states is produced here from its result.

A sentence of the report whose truth depends on a result ("democracies left
less often", "the claim holds") is never typed: it is the return value of one
of these small functions, so it changes when the numbers change (another
withdrawal rule, another democracy threshold or measure, other parameters).

Conventions
-----------
* Significance level :data:`ALPHA` = 0.05, two-sided.
* p-values are written one way everywhere (:func:`format_p`): ``p = 0.181``,
  ``p < 0.001``.
* A claim's status is one of :data:`HOLDS`, :data:`FAILS` or
  :data:`UNTESTABLE`.

Pure functions: numbers in, strings and :class:`Verdict` objects out.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

ALPHA = 0.05
HOLDS = "holds"
FAILS = "does not hold"
UNTESTABLE = "not testable here"
STATUSES = (HOLDS, FAILS, UNTESTABLE)


def format_p(p: float) -> str:
    """A p-value as the report writes it: ``"p = 0.181"``, or ``"p < 0.001"`` below 0.001.

    Parameters
    ----------
    p : float

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If ``p`` is not a number in [0, 1].
    """
    if not (isinstance(p, (int, float)) and 0.0 <= p <= 1.0):
        raise ValueError(f"a p-value must lie in [0, 1] (got {p!r})")
    return "p < 0.001" if p < 0.001 else f"p = {p:.3f}"


def format_number(x: float, digits: int = 2) -> str:
    """``x`` rounded to ``digits`` decimals, with a true minus sign; ``"∞"`` or ``"n/a"`` when not finite.

    Parameters
    ----------
    x : float
    digits : int

    Returns
    -------
    str
    """
    if x is None or math.isnan(x):
        return "n/a"
    if math.isinf(x):
        return "∞" if x > 0 else "−∞"
    text = f"{x:.{digits}f}"
    return text.replace("-", "\u2212") if not set(text) <= set("-0.") else text.lstrip("-")


def rate_comparison(ratio: float, p: float, alpha: float = ALPHA) -> str:
    """How a group's rate compares with another's, from a rate ratio and its p-value.

    Returns ``"more often"`` (ratio > 1 and p < alpha), ``"less often"``
    (ratio < 1 and p < alpha) or ``"no evidence of a difference"``.

    Parameters
    ----------
    ratio : float
        The rate ratio.
    p : float
        Its p-value.
    alpha : float
        The significance level.

    Returns
    -------
    str
    """
    if math.isnan(ratio) or math.isnan(p) or p >= alpha or ratio == 1:
        return "no evidence of a difference"
    return "more often" if ratio > 1 else "less often"


def ratio_evidence(ratio: float, p: float, what: str = "rate ratio") -> str:
    """``"rate ratio 0.60, p < 0.001"``: the evidence string for a ratio and its p-value.

    Parameters
    ----------
    ratio : float
    p : float
    what : str
        What the ratio is called.

    Returns
    -------
    str
    """
    return f"{what} {format_number(ratio)}, {format_p(p)}"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim of the paper under one specification.

    Attributes
    ----------
    claim : str
        Key of the claim (see :data:`backlash.claims.CLAIMS`).
    status : str
        :data:`HOLDS`, :data:`FAILS` or :data:`UNTESTABLE`.
    evidence : str
        The number(s) the status rests on, in words (e.g. ``"rate ratio 1.01, p = 0.904"``).
    statistic : float
        The main statistic (a rate ratio, a share, a count), NaN when none.
    p_value : float
        Its p-value, NaN when the verdict is not a test.
    estimand : str
        What the statistic measures, in words ("rate ratio per state and IGO in force").
    membership_ratio, membership_p : float
        For a claim about Figure 1(a)'s rates: the same comparison per membership (NaN otherwise).
    density_ratio : float
        For such a claim: the ratio of memberships per state and IGO in force that links the two.
    """

    claim: str
    status: str
    evidence: str
    statistic: float = math.nan
    p_value: float = math.nan
    estimand: str = ""
    membership_ratio: float = math.nan
    membership_p: float = math.nan
    density_ratio: float = math.nan

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES} (got {self.status!r})")

    def to_dict(self) -> dict:
        """Plain dict (for a CSV row).

        Returns
        -------
        dict
            Every field by name.
        """
        return asdict(self)


def directional(claim: str, ratio: float, p: float, *, expect_above_one: bool = True,
                alpha: float = ALPHA, what: str = "rate ratio") -> Verdict:
    """Verdict on a claim that a rate is higher (or lower) in one group or period than another.

    The claim holds when the ratio lies on the claimed side of 1 with p < alpha,
    and does not hold otherwise (no significant difference, or a significant
    one the other way).  No ratio (no events at all) is not testable.

    Parameters
    ----------
    claim : str
        The claim's key.
    ratio : float
        The rate ratio (second over first).
    p : float
        Its p-value.
    expect_above_one : bool
        True if the claim says the ratio exceeds 1.
    alpha : float
        The significance level.
    what : str
        What the ratio is called in the evidence.

    Returns
    -------
    Verdict
    """
    if math.isnan(ratio) or math.isnan(p):
        return Verdict(claim, UNTESTABLE, f"no {what} (no withdrawals to compare)")
    ok = p < alpha and (ratio > 1 if expect_above_one else ratio < 1)
    return Verdict(claim, HOLDS if ok else FAILS, ratio_evidence(ratio, p, what), float(ratio), float(p))


def times(x: float) -> str:
    """A ratio as a multiple in words: ``"1.4 times"`` (one decimal; two below 0.95 or when it would read 1.0).

    Parameters
    ----------
    x : float

    Returns
    -------
    str
    """
    digits = 1 if x >= 0.95 and round(x, 1) != 1.0 else 2
    return f"{format_number(x, digits)} times"


def comparison_clause(ratio: float, p: float, subject: str, other: str, alpha: float = ALPHA) -> str:
    """How often ``subject`` left compared with ``other``, with the numbers: one clause.

    ``"democracies left 1.4 times as often as nondemocracies (rate ratio 1.42, p = 0.007)"``,
    ``"... only 0.6 times as often ..."``, or ``"democracies did not leave significantly more
    or less often than nondemocracies (rate ratio 1.01, p = 0.942)"`` (:func:`rate_comparison`
    decides which); ``"there is no rate ratio (no withdrawals in one group)"`` without one.

    Parameters
    ----------
    ratio, p : float
        The rate ratio of ``subject`` to ``other`` and its p-value.
    subject, other : str
        The two groups (or one group in two periods) in words.
    alpha : float
        The significance level.

    Returns
    -------
    str
    """
    if math.isnan(ratio) or math.isnan(p):
        return "there is no rate ratio (no withdrawals in one group)"
    words = rate_comparison(ratio, p, alpha)
    numbers = f"({ratio_evidence(ratio, p)})"
    if words == "no evidence of a difference":
        return f"{subject} did not leave significantly more or less often than {other} {numbers}"
    only = "" if ratio > 1 else "only "
    return f"{subject} left {only}{times(ratio)} as often as {other} {numbers}"


def density_clause(density: float, subject: str, other: str) -> str:
    """``"democracies held 1.4 times as many memberships per IGO in force as nondemocracies"``.

    Parameters
    ----------
    density : float
        The ratio of memberships per state and IGO in force, ``subject`` over ``other``.
    subject, other : str

    Returns
    -------
    str
    """
    if math.isnan(density):
        return f"memberships per IGO in force cannot be compared between {subject} and {other}"
    return f"{subject} held {times(density)} as many memberships per IGO in force as {other}"


def decomposition_sentence(state: tuple[float, float], membership: tuple[float, float], density: float,
                           subject: str = "democracies", other: str = "nondemocracies",
                           alpha: float = ALPHA) -> str:
    """The two estimands side by side, and the membership density that links them, as one sentence.

    The rate per state and IGO in force (Figure 1(a)'s) is the rate per membership times
    the memberships per state and IGO in force, so when the two comparisons differ the
    density ratio is what separates them: "per state and IGO in force, democracies left
    1.4 times as often as nondemocracies (...); per membership, there is no evidence ...
    (...): the difference is that democracies held 1.4 times as many memberships per IGO
    in force as nondemocracies."

    Parameters
    ----------
    state, membership : tuple of float
        ``(rate ratio, p-value)`` per state and IGO in force, and per membership.
    density : float
        The membership-density ratio.
    subject, other : str
        The groups compared.
    alpha : float
        The significance level.

    Returns
    -------
    str
        A clause that follows a colon ("In 1971-2014: per state and IGO in force, ..."), ending
        with a full stop.
    """
    first = comparison_clause(*state, subject, other, alpha)
    second = comparison_clause(*membership, subject, other, alpha)
    same = rate_comparison(*state, alpha) == rate_comparison(*membership, alpha)
    link = ("; " + density_clause(density, subject, other) if same else
            ": the difference is that " + density_clause(density, subject, other))
    return f"per state and IGO in force, {first}; per membership, {'too, ' if same else ''}{second}{link}."


def reading_sentence(state: tuple[float, float], membership: tuple[float, float], alpha: float = ALPHA) -> str:
    """What the two estimands together say about the claim that democracies exit more often, as one sentence.

    Parameters
    ----------
    state, membership : tuple of float
        ``(rate ratio, p-value)`` of democracies to nondemocracies per state and IGO in force, and per
        membership.
    alpha : float
        The significance level.

    Returns
    -------
    str
    """
    s, m = rate_comparison(*state, alpha), rate_comparison(*membership, alpha)
    if s == "more often" and m != "more often":
        return ("So the paper's reading of its figure and the absence of a higher rate per membership are both "
                "right: they answer different questions. Democracies leave more IGOs per state because they "
                "belong to more, not because a democratic member leaves a given IGO more often.")
    if s == "more often":
        return ("Both rates find democracies leaving more often, so the difference per state is not only a matter "
                "of how many IGOs they belong to.")
    if s == "less often":
        return "On the paper's own rate, democracies left less often, the opposite of the paper's reading."
    return ("Here even the paper's own rate does not show democracies leaving significantly more often, whatever "
            "the membership density.")

