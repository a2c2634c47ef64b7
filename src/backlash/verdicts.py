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
* One verdict rule for every claim about the direction of a quantity
  (:data:`VERDICT_RULE`, :func:`interval_status`): a claim *does not hold* when the 95%
  interval of its estimate lies wholly on the other side of the reference value, or wholly
  short of the claim's margin where the claim states one (even if it also lies wholly on the
  claimed side of the reference: significant, but too small to count); otherwise it *holds*
  when the interval lies wholly on the claimed side of the reference; otherwise the data
  *cannot tell*.
* A claim's status is one of :data:`STATUSES`.

Pure functions: numbers in, strings and :class:`Verdict` objects out.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

ALPHA = 0.05
HOLDS = "holds"
FAILS = "does not hold"
CANNOT_TELL = "cannot tell"
UNTESTABLE = "not testable here"
STATUSES = (HOLDS, FAILS, CANNOT_TELL, UNTESTABLE)
#: The one rule every directional claim is judged by (the report prints it; :func:`interval_status` applies it).
VERDICT_RULE = (
    "A claim that a quantity lies above (or below) a reference value does not hold when the {level:.0%} "
    "confidence interval of its estimate lies wholly on the other side of the reference, or, for a claim with a "
    "stated margin (the smallest departure from the reference that counts as support), wholly short of that "
    "margin, even where the interval also excludes the reference: a departure too small to count is no support. "
    "Otherwise the claim holds when the interval lies wholly on the claimed side of the reference, and these data "
    "cannot tell when it holds the reference. "
    "Withdrawals are treated as the outcomes of a random process, so a claim about their rates, shares or "
    "yearly counts rests on an interval; a claim about a count with no such process behind it (the number of "
    "IGOs in force) holds or does not hold as the count says, and a claim the data cannot speak to is not "
    "testable here.").format(level=1 - ALPHA)


def z_critical(alpha: float = ALPHA) -> float:
    """The two-sided normal critical value of level ``alpha`` (1.96 at 0.05).

    Parameters
    ----------
    alpha : float

    Returns
    -------
    float
    """
    from scipy.special import ndtri  # what scipy.stats.norm.ppf computes, without importing scipy.stats (0.5 s)

    return float(ndtri(1 - alpha / 2))


def wald_p(z: float) -> float:
    r"""The two-sided p-value of a Wald z statistic, :math:`2\,P(N(0, 1) > |z|)` (what
    ``2 * scipy.stats.norm.sf(abs(z))`` computes, without importing scipy.stats).

    Parameters
    ----------
    z : float

    Returns
    -------
    float
    """
    return math.erfc(abs(z) / math.sqrt(2.0))


def wald_interval(ratio: float, se_log: float, alpha: float = ALPHA) -> tuple[float, float]:
    """The Wald interval of a ratio from the standard error of its logarithm: ``ratio * exp(-/+ z * se)``.

    Parameters
    ----------
    ratio : float
    se_log : float
        Standard error of ``log(ratio)``.
    alpha : float

    Returns
    -------
    (low, high) : tuple of float
        NaN when ``ratio`` or ``se_log`` is not a finite positive number.
    """
    if not (ratio > 0 and math.isfinite(ratio) and se_log >= 0 and math.isfinite(se_log)):
        return math.nan, math.nan
    z = z_critical(alpha)
    return ratio * math.exp(-z * se_log), ratio * math.exp(z * se_log)


def interval_status(low: float, high: float, *, reference: float = 1.0, above: bool = True,
                    margin: float | None = None) -> str:
    """The verdict rule (:data:`VERDICT_RULE`) on a confidence interval: holds, does not hold, cannot tell.

    The margin is checked first: an interval wholly short of it does not hold even when it lies wholly on
    the claimed side of ``reference`` (a departure that is significant but smaller than the claim needs).
    Of the rest, an interval wholly on the claimed side holds, one wholly on the other side does not,
    and any other cannot tell.

    Parameters
    ----------
    low, high : float
        The interval of the estimate (at level 1 - :data:`ALPHA`).
    reference : float
        The value the claim compares with (1 for a ratio, one half for a share, a threshold).
    above : bool
        True if the claim says the quantity exceeds ``reference``, False if it says it falls short.
    margin : float, optional
        The smallest value (for a claim ``above``; the largest otherwise) that counts as support:
        an interval wholly short of it refutes the claim, whichever side of ``reference`` it lies on.
        None: no margin.

    Returns
    -------
    str
        :data:`HOLDS`, :data:`FAILS` or :data:`CANNOT_TELL`; :data:`UNTESTABLE` without an interval.

    Raises
    ------
    ValueError
        If the margin lies on the wrong side of the reference.
    """
    if margin is not None and (margin <= reference if above else margin >= reference):
        raise ValueError(f"a margin must lie on the claimed side of the reference {reference} (got {margin})")
    if math.isnan(low) or math.isnan(high):
        return UNTESTABLE
    lo, hi = (low, high) if above else (-high, -low)
    ref = reference if above else -reference
    if hi < ref or (margin is not None and hi < (margin if above else -margin)):
        return FAILS  # the other side, or short of the margin: checked before "holds"
    if lo > ref:
        return HOLDS
    return CANNOT_TELL


def bound_digits(bound: float, digits: int = 2, reference: float | None = None) -> int:
    """The decimals to print an interval's bound with: more than ``digits`` while it would print as ``reference``.

    A verdict turns on which side of the reference (1 for a rate ratio) an interval lies; a bound of 1.0005
    printed as "1.00" would make "holds" look contradicted by its own interval. Only that bound gets the
    extra decimals; the other keeps the usual ones ("1.0005 to 2.43", not "1.0005 to 2.4280").

    Parameters
    ----------
    bound : float
        One bound of the interval.
    digits : int
        The decimals otherwise used.
    reference : float, optional
        The value the verdict compares the interval with.

    Returns
    -------
    int
    """
    if reference is None:
        return digits
    for extra in range(4):  # at most three more decimals
        if f"{bound:.{digits + extra}f}" != f"{reference:.{digits + extra}f}" or bound == reference:
            return digits + extra
    return digits + 3


def interval_text(low: float, high: float, digits: int = 2, alpha: float = ALPHA,
                  reference: float | None = None) -> str:
    """``"95% CI 1.10 to 1.83"``: an interval in words.

    Parameters
    ----------
    low, high : float
    digits : int
    alpha : float
    reference : float, optional
        The verdict's reference value: a bound that would print as it gets more decimals, the other bound
        keeps ``digits`` (:func:`bound_digits`).

    Returns
    -------
    str
    """
    return (f"{1 - alpha:.0%} CI {format_number(low, bound_digits(low, digits, reference))} "
            f"to {format_number(high, bound_digits(high, digits, reference))}")


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
    if p < 0.001:
        return "p < 0.001"
    # one more decimal where three would print the significance level itself (0.0497 is not "0.050")
    return f"p = {p:.4f}" if f"{p:.3f}" == f"{ALPHA:.3f}" and p != ALPHA else f"p = {p:.3f}"


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


def ratio_evidence(ratio: float, p: float, what: str = "rate ratio", low: float = math.nan,
                   high: float = math.nan) -> str:
    """``"rate ratio 0.60, p < 0.001"``, or with an interval ``"rate ratio 0.60 (95% CI 0.45 to 0.80, p < 0.001)"``.

    Parameters
    ----------
    ratio : float
    p : float
    what : str
        What the ratio is called.
    low, high : float
        Its interval (NaN: none given).

    Returns
    -------
    str
    """
    if math.isnan(low) or math.isnan(high):
        return f"{what} {format_number(ratio)}, {format_p(p)}"
    return f"{what} {format_number(ratio)} ({interval_text(low, high, reference=1.0)}, {format_p(p)})"


@dataclass(frozen=True)
class Verdict:
    """The verdict on one claim of the paper under one specification.

    Attributes
    ----------
    claim : str
        Key of the claim (see :data:`backlash.claims.CLAIMS`).
    status : str
        One of :data:`STATUSES`.
    evidence : str
        The number(s) the status rests on, in words (e.g. ``"rate ratio 1.01, p = 0.904"``).
    statistic : float
        The main statistic (a rate ratio, a share, a count), NaN when none.
    p_value : float
        Its p-value, NaN when the verdict is not a test.
    ci_low, ci_high : float
        Its 95% interval, on which the status rests (:func:`interval_status`); NaN when none.
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
    ci_low: float = math.nan
    ci_high: float = math.nan
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


def directional(claim: str, ratio: float, p: float, low: float, high: float, *, expect_above_one: bool = True,
                margin: float | None = None, what: str = "rate ratio") -> Verdict:
    """Verdict on a claim that a rate is higher (or lower) in one group or period than another.

    Applies :func:`interval_status` (the one rule, :data:`VERDICT_RULE`) to the ratio's
    interval with reference 1.  No finite ratio (no events in a group) is not testable.

    Parameters
    ----------
    claim : str
        The claim's key.
    ratio : float
        The rate ratio (second over first).
    p : float
        Its p-value (reported; the status rests on the interval).
    low, high : float
        Its 95% interval.
    expect_above_one : bool
        True if the claim says the ratio exceeds 1.
    margin : float, optional
        The claim's margin (see :func:`interval_status`).
    what : str
        What the ratio is called in the evidence.

    Returns
    -------
    Verdict
        When the data cannot tell but the ratio itself lies on the other side of one from the claim, the
        evidence says so ("below one, the other way from the claim, but not significantly"): "cannot tell"
        alone would hide which way the estimate points.
    """
    if not math.isfinite(ratio) or math.isnan(p):
        return Verdict(claim, UNTESTABLE, f"no {what} (no withdrawals to compare)")
    status = interval_status(low, high, above=expect_above_one, margin=margin)
    evidence = ratio_evidence(ratio, p, what, low, high)
    if status == CANNOT_TELL and (ratio < 1 if expect_above_one else ratio > 1):
        side = "below" if expect_above_one else "above"
        evidence += f", {side} one, the other way from the claim, but not significantly"
    return Verdict(claim, status, evidence, float(ratio), float(p), float(low), float(high))


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


def comparison_clause(ratio: float, p: float, subject: str, other: str, alpha: float = ALPHA, *,
                      numbers: bool = True) -> str:
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
    numbers : bool
        Whether to end with the rate ratio and its p-value in parentheses.

    Returns
    -------
    str
    """
    if math.isnan(ratio) or math.isnan(p):
        return "there is no rate ratio (no withdrawals in one group)"
    words = rate_comparison(ratio, p, alpha)
    after = f" ({ratio_evidence(ratio, p)})" if numbers else ""
    if words == "no evidence of a difference":
        return f"{subject} did not leave significantly more or less often than {other}{after}"
    only = "" if ratio > 1 else "only "
    return f"{subject} left {only}{times(ratio)} as often as {other}{after}"


def _rate_words() -> tuple[str, str, str]:
    """The two rates and the membership density in words, as :mod:`backlash.countmodel` declares them.

    Imported when a sentence is written: :mod:`backlash.countmodel` imports this module.
    """
    from .countmodel import DENSITY, MEMBERSHIP_RATE, PAPER_RATE

    return PAPER_RATE, MEMBERSHIP_RATE, DENSITY


def density_clause(density: float, subject: str, other: str) -> str:
    """``"per state and IGO in force, democracies held 1.4 times as many memberships as nondemocracies"``.

    The ratio is of densities (memberships per state and IGO in force), not of the groups' totals: a group
    of fewer states can hold fewer memberships in all and still more per state.

    Parameters
    ----------
    density : float
        The ratio of memberships per state and IGO in force, ``subject`` over ``other``.
    subject, other : str

    Returns
    -------
    str
    """
    paper_rate, _, density_words = _rate_words()
    if math.isnan(density):
        return f"{density_words} cannot be compared between {subject} and {other}"
    return f"{paper_rate}, {subject} held {times(density)} as many memberships as {other}"


def decomposition_sentence(state: tuple[float, float], membership: tuple[float, float], density: float,
                           subject: str = "democracies", other: str = "nondemocracies",
                           alpha: float = ALPHA) -> str:
    """The two estimands side by side, and the membership density that links them, as one sentence.

    The rate per state and IGO in force (Figure 1(a)'s) is the rate per membership times
    the memberships per state and IGO in force, so the density ratio links the two
    comparisons: "per state and IGO in force, democracies left 1.4 times as often as
    nondemocracies (...); per membership, democracies did not leave significantly more or
    less often than nondemocracies (...); democracies held 1.4 times as many memberships per
    IGO in force as nondemocracies."  The density is stated beside the two comparisons, not
    as what separates them: a comparison that is not significant does not show that the two
    rates differ.

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
    paper_rate, membership_rate, _ = _rate_words()
    return (f"{paper_rate}, {first}; {membership_rate}, {'too, ' if same else ''}{second}; "
            f"{density_clause(density, subject, other)}.")


def membership_clause(membership: tuple[float, float, float, float], alpha: float = ALPHA) -> str:
    """What the rate per membership says, in words that never read a null result as a fact.

    ``"democracies' rate per membership is 1.01 times nondemocracies' (95% CI 0.80 to 1.27), which these data
    cannot tell apart from an equal rate"``; ``"... significantly lower than ..."`` or ``"... significantly
    higher than ..."`` when the ratio differs from one at level ``alpha``.

    Parameters
    ----------
    membership : tuple of float
        ``(rate ratio, p-value, low, high)`` of democracies to nondemocracies per membership.
    alpha : float
        The significance level.

    Returns
    -------
    str
    """
    ratio, p, low, high = membership
    membership_rate = _rate_words()[1]
    if math.isnan(ratio) or math.isnan(p):
        return f"there is no rate ratio {membership_rate} (no withdrawals in one group)"
    numbers = (f"democracies' rate {membership_rate} is {format_number(ratio)} times nondemocracies' "
               f"({interval_text(low, high, alpha=alpha, reference=1.0)})")
    words = rate_comparison(ratio, p, alpha)
    if words == "more often":
        return f"{numbers}, significantly higher"
    if words == "less often":
        return f"{numbers}, significantly lower"
    return f"{numbers}, which these data cannot tell apart from an equal rate"


def reading_sentence(state: tuple[float, float], membership: tuple[float, float, float, float], density: float, *,
                     measure: str, rule: str, measures: tuple[int, int], rules: tuple[int, int], period: str,
                     supporting: tuple[str, ...] = (), alpha: float = ALPHA) -> str:
    """What the two estimands together say about the claim that democracies exit more often, qualified by the
    withdrawal rule and the democracy measure.

    It speaks of that one claim (the paper reads others off its figure, judged one by one in the verdict
    list).  A result that is not significant is written as the absence of evidence, with its interval,
    never as the absence of a difference; the membership density is given as the identity's third term
    in point estimates, not as an explanation of a gap that the rate per membership cannot rule out.  The
    sentence names the rule and measure of its estimates and counts under how many of the other rules and
    measures democracies leave significantly more often on the paper's rate; a reading that holds on this
    build's rule and measure but not under all others says that it rests on that choice.

    Parameters
    ----------
    state : tuple of float
        ``(rate ratio, p-value)`` of democracies to nondemocracies per state and IGO in force.
    membership : tuple of float
        ``(rate ratio, p-value, low, high)`` per membership, with its 95% interval.
    density : float
        The membership-density ratio that links the two.
    measure : str
        The democracy measure of the estimates, in words ("Polity5").
    rule : str
        The withdrawal rule of the estimates (its key, "no_imputed").
    measures : tuple of int
        Under how many democracy measures (with ``rule``) democracies leave significantly more often per
        state and IGO in force in ``period``, and of how many.
    rules : tuple of int
        Under how many withdrawal rules (with ``measure``) they do, and of how many.
    period : str
        The period of the estimates and of that count, in words ("1971–2014").
    supporting : tuple of str
        The names of those measures (named when some but not all support the claim).
    alpha : float
        The significance level.

    Returns
    -------
    str
    """
    s, m = rate_comparison(*state, alpha), rate_comparison(*membership[:2], alpha)
    (k, n), (k_rules, n_rules) = measures, rules
    member = membership_clause(membership, alpha)
    named = [listing(supporting)] if supporting and 0 < k < n else []
    paper_rate, membership_rate, density_words = _rate_words()
    across = (f"Democracies left significantly more often {paper_rate} in {period} under {k_rules} of the "
              f"{n_rules} withdrawal rules (with {measure}) and {k} of the {n} democracy measures of this "
              f"report ({'; '.join(named + [f'with the `{rule}` rule'])}).")
    short = [what for what, (got, of) in (("withdrawal rule", rules), ("democracy measure", measures)) if got < of]
    if s == "more often" and short:
        across += f" The reading therefore rests on the choice of {listing(short)}."
    build = f"{measure} and the `{rule}` rule"
    # with decade effects the identity of the raw rates holds only approximately
    identity = (f"in point estimates, the ratio {paper_rate} ({format_number(state[0])}) is about the "
                f"ratio {membership_rate} times the density ratio, democracies' {density_words} "
                f"relative to nondemocracies' ({format_number(membership[0])} × "
                f"{format_number(density)} = {format_number(membership[0] * density)})")
    if s == "more often" and m == "no evidence of a difference":
        return (f"So, with {build}, the paper's reading that democracies left more often holds on the figure's "
                f"own rate. The rate {membership_rate} answers another question: {identity}, and the ratio "
                f"{membership_rate} ({interval_text(*membership[2:], alpha=alpha, reference=1.0)}) leaves open whether democracies also "
                f"leave a given IGO more or less often than nondemocracies. {across}")
    if s == "more often" and m == "less often":
        return (f"So, with {build}, the paper's reading that democracies left more often holds on the figure's "
                f"own rate, although {member}: {identity}, so the higher rate per state rests on their denser "
                f"membership. {across}")
    if s == "more often":
        return (f"With {build}, democracies left significantly more often on the paper's own rate, and {member}: "
                f"{identity}, so the difference per state is not only a matter of how many IGOs they belong to. "
                f"{across}")
    if s == "less often":
        return (f"With {build}, on the paper's own rate, democracies left significantly less often, the opposite "
                f"of the paper's reading; {member}. {across}")
    return (f"With {build}, even the paper's own rate gives no evidence that democracies left more often (the "
            f"difference is not significant), and {member}. {across}")


def abstract_sentence(state: tuple[float, float], membership: tuple[float, float], *, rule: str, measure: str,
                      period: str, rules: tuple[int, int], measures: tuple[int, int], alpha: float = ALPHA) -> str:
    """The regime-type finding for the report's abstract: both rates, in words decided by
    :func:`rate_comparison`, under the build's rule and measure, and how many rules and measures agree.

    ``"Under the `no_imputed` rule and Polity5, democracies left 1.4 times as often as nondemocracies per state
    and IGO in force in 1971–2014 (the rate the paper plots), and per membership, the rate at which a member
    leaves a given IGO, they left neither significantly more nor less often. Democracies left significantly
    more often per state and IGO in force under 10 of the 10 withdrawal rules and 1 of the 4 democracy
    measures."``

    Parameters
    ----------
    state, membership : tuple of float
        ``(rate ratio, p-value)`` of democracies to nondemocracies per state and IGO in force, and per
        membership.
    rule : str
        The withdrawal rule's key.
    measure : str
        The democracy measure, in words.
    period : str
        The period, in words.
    rules, measures : tuple of int
        Under how many withdrawal rules (with ``measure``) and democracy measures (with ``rule``) democracies
        left significantly more often per state and IGO in force in ``period``, and of how many.
    alpha : float
        The significance level.

    Returns
    -------
    str
    """
    paper_rate, membership_rate, _ = _rate_words()
    m = rate_comparison(*membership, alpha)
    across = (f" Democracies left significantly more often {paper_rate} under {rules[0]} of the {rules[1]} "
              f"withdrawal rules and {measures[0]} of the {measures[1]} democracy measures of this report.")
    if math.isnan(state[0]) or math.isnan(state[1]):
        first = f"there is no rate ratio of democracies to nondemocracies {paper_rate} in {period}"
    else:
        first = comparison_clause(*state, "democracies", f"nondemocracies {paper_rate} in {period}", alpha,
                                  numbers=False) + " (the rate the paper plots)"
    if math.isnan(membership[0]) or math.isnan(membership[1]):
        return f"Under the `{rule}` rule and {measure}, {first}; there is no rate ratio {membership_rate}.{across}"
    second = {"more often": "significantly more often", "less often": "significantly less often"}.get(
        m, "neither significantly more nor less often")
    return (f"Under the `{rule}` rule and {measure}, {first}, and {membership_rate}, the rate at which a member "
            f"leaves a given IGO, they left {second}.{across}")


def listing(items, word: str = "and") -> str:
    """Items joined as a list in words: ``"a"``, ``"a and b"``, ``"a, b and c"`` (``""`` for none).

    Parameters
    ----------
    items : iterable of str
    word : str
        The word before the last item (``"and"``, ``"or"``).

    Returns
    -------
    str
    """
    items = list(items)
    if not items:
        return ""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} {word} {items[-1]}"
