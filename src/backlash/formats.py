"""How numbers and tables are written in the report: fixed digits, true minus signs, pipe tables.

Pure and light (pandas only), so an exhibit's step can format its own table without importing
the report's variables and, through them, the empirics.
"""

from __future__ import annotations

import re

import pandas as pd


def f(x: float, digits: int = 3) -> str:
    """Fixed-point number with a true minus sign.

    Parameters
    ----------
    x : float
    digits : int
        Decimals.

    Returns
    -------
    str
        ``−0.067``: the minus is U+2212, not a hyphen.
    """
    return f"{x:.{digits}f}".replace("-", "−")


#: A space a line never breaks at: between an estimate and its parenthesis. Pandoc writes it as Typst's ``~``
#: and as HTML's ``&nbsp;``; Quarto's Typst output is pandoc's.
NBSP = "\u00a0"
#: The word joiner: no line break at it, and it prints nothing. A line may break after an en dash (Unicode's
#: line-breaking class BA) but never before one, so one joiner after the dash keeps an interval whole.
WORD_JOINER = "\u2060"


#: An en dash between two letters or digits: a range of numbers ("1971–2014") or a name joined by dashes
#: ("Boix–Miller–Rosato"), which a line should not break.
RANGE_DASH = re.compile(r"(?<=\w)–(?=\w)")


def unbroken_ranges(text: str) -> str:
    """Every range of numbers and every name joined by en dashes in ``text`` kept on one line: a word joiner
    after each en dash between two letters or digits.

    A line may break after an en dash, so "1971–2014" could print as "1971–" and "2014" on the next
    line, and "Boix–Miller–Rosato" as "Boix–Miller–" and "Rosato"; the joiner prints nothing (in the
    PDF and the HTML) and forbids that break. A dash already followed by a joiner, a dash between
    spaces and a dash standing alone (an empty cell) are left as they are.

    Parameters
    ----------
    text : str

    Returns
    -------
    str
        ``"in 1971–\u20602014"``; prints as ``in 1971–2014``.
    """
    return RANGE_DASH.sub("–" + WORD_JOINER, text)


def unbroken_ranges_in(value):
    """:func:`unbroken_ranges` applied to every string in a nest of dicts and lists (``_variables.yml``).

    Parameters
    ----------
    value : str, dict, list or other
        The nest; values that are not strings, dicts or lists are returned as they are.

    Returns
    -------
    Same type as ``value``
        A copy with every string's ranges and dashed names kept on one line.
    """
    if isinstance(value, str):
        return unbroken_ranges(value)
    if isinstance(value, dict):
        return {k: unbroken_ranges_in(v) for k, v in value.items()}
    if isinstance(value, list):
        return [unbroken_ranges_in(v) for v in value]
    return value


def period_text(period: str | tuple[int, int]) -> str:
    """A period as the report writes it, with an en dash: ``(1951, 2014)`` or ``"1951-2014"`` (as the data
    write it) -> ``"1951–2014"``.

    Parameters
    ----------
    period : tuple of int, or str
        First and last year, or the data's ``"first-last"``.

    Returns
    -------
    str
    """
    if isinstance(period, str):
        return period.replace("-", "–")
    first, last = period
    return f"{first}–{last}"


def period_range(period: str | tuple[int, int]) -> str:
    """:func:`period_text` with an en dash that no line breaks (:func:`unbroken_ranges`).

    Parameters
    ----------
    period : tuple of int, or str

    Returns
    -------
    str
        ``"1951–\u20602014"``.
    """
    return unbroken_ranges(period_text(period))


def interval(low: float, high: float, digits: int = 2, reference: float | None = None) -> str:
    """An interval that no line breaks: ``0.97–1.54`` (an en dash followed by a word joiner).

    Parameters
    ----------
    low, high : float
        Its bounds.
    digits : int
        Decimals.
    reference : float, optional
        The verdict's reference value: a bound that would print as it gets the decimals it needs, the other
        keeps ``digits`` (:func:`backlash.verdicts.bound_digits`).

    Returns
    -------
    str
        ``"0.97–\u20601.54"``; prints as ``0.97–1.54``.
    """
    from .verdicts import bound_digits

    low_text, high_text = (f(b, bound_digits(b, digits, reference)) for b in (low, high))
    return f"{low_text}–{WORD_JOINER}{high_text}"


def with_note(estimate: str, note: str) -> str:
    """An estimate and its parenthesis (a standard error, an interval, a p-value) kept on one line.

    Parameters
    ----------
    estimate : str
        The formatted estimate.
    note : str
        What the parenthesis holds, formatted; its own spaces become non-breaking too.

    Returns
    -------
    str
        ``"1.43\u00a0(0.12)"``; prints as ``1.43 (0.12)``.
    """
    return f"{estimate}{NBSP}({note.replace(' ', NBSP)})"


def estimate_se(estimate: float, se: float, digits: int = 2) -> str:
    """An estimate with its standard error in parentheses, unbreakable: ``1.43 (0.12)``.

    Parameters
    ----------
    estimate, se : float
    digits : int
        Decimals of both.

    Returns
    -------
    str
    """
    return with_note(f(estimate, digits), f(se, digits))


def estimate_interval(estimate: float, low: float, high: float, digits: int = 2,
                      reference: float | None = None) -> str:
    """An estimate with its interval in parentheses, unbreakable: ``1.22 (0.97–1.54)``.

    Parameters
    ----------
    estimate, low, high : float
    digits : int
        Decimals of all three.
    reference : float, optional
        The verdict's reference value (see :func:`interval`).

    Returns
    -------
    str
    """
    return with_note(f(estimate, digits), interval(low, high, digits, reference))


def capitalised(text: str) -> str:
    """``text`` with its first letter upper-case and the rest as it is, for the start of a sentence.

    Parameters
    ----------
    text : str
        ``"per membership"``.

    Returns
    -------
    str
        ``"Per membership"`` (``str.capitalize`` would lower "IGO" in ``"per state and IGO in force"``).
    """
    return text[:1].upper() + text[1:]


def param(x: float) -> str:
    """A model parameter as it was given (0.55 stays 0.55, 1.0 is 1), with a true minus sign.

    Parameters
    ----------
    x : float

    Returns
    -------
    str
        ``0.55``, ``1``.
    """
    return f"{float(x):g}".replace("-", "−")


def n(x: int) -> str:
    """Integer with a thousands separator.

    Parameters
    ----------
    x : int

    Returns
    -------
    str
        ``1,234``.
    """
    return f"{int(x):,}"


def pct(x: float, digits: int = 0) -> str:
    """A share as a percentage: ``0.655`` -> ``"66%"``.

    Parameters
    ----------
    x : float
        A share.
    digits : int
        Decimals of the percentage.

    Returns
    -------
    str
        ``66%``.
    """
    return f"{100 * x:.{digits}f}%"


def share(x: float, digits: int = 1) -> str:
    """A share as a percentage that never rounds a partial share to 0% or 100%.

    Parameters
    ----------
    x : float
        A share in [0, 1] (NaN: no points, written as an en dash).
    digits : int
        Decimals of the percentage.

    Returns
    -------
    str
        ``"99.9%"``, ``"> 99.9%"`` for 0.99995, ``"100%"`` only for 1.
    """
    if x != x:
        return "–"
    if x in (0.0, 1.0):
        return f"{100 * x:.0f}%"
    edge = 10.0 ** -digits
    text = f"{100 * x:.{digits}f}"
    if float(text) >= 100:
        return f"> {100 - edge:.{digits}f}%"
    if float(text) <= 0:
        return f"< {edge:.{digits}f}%"
    return text + "%"


#: How much wider a character of code prints than one of text (monospace against the text face:
#: measured on the report's PDF, 3.9 pt against 3.3 pt a character in a table).
CODE_WIDTH = 1.25
#: The cell's padding, in characters of text, added to every column (about 12 pt in the report's tables).
CELL_PADDING = 3.5
#: The report's text width in inches: an A4 page (210 mm) less two side margins of 2.4 cm
#: (``paper/_metadata.yml``). Figures are drawn this wide (:data:`backlash.plots.TEXT_WIDTH`).
TEXT_WIDTH = (210 - 2 * 24) / 25.4
#: How many characters of table text a line of the report holds: its text width over 3.3 pt a
#: character (8 pt text, the tables' size set in the header of ``paper/paper.qmd``).
TABLE_LINE = TEXT_WIDTH * 72 / 3.3
#: How much wider than the average character (3.3 pt, of :data:`TABLE_LINE`) a word may print (3.9 pt a
#: character measured in "member-years", 3.7 pt in "withdrawals"): the room a word that cannot break gets.
WORD_MARGIN = 1.2
_CODE = re.compile(r"`([^`]*)`")
_MATH = re.compile(r"\$([^$]*)\$")


def shown_width(cell: str) -> float:
    """About how many characters of text a Markdown cell takes once typeset.

    Code prints wider than text (:data:`CODE_WIDTH`), mathematics narrower than its TeX source
    (a command such as ``\\alpha`` is one symbol; braces, ``^`` and ``_`` print nothing), and
    emphasis marks, backslash escapes and word joiners print nothing.

    Parameters
    ----------
    cell : str
        The cell's Markdown.

    Returns
    -------
    float
    """
    cell = cell.replace(WORD_JOINER, "")
    code = sum(len(m) for m in _CODE.findall(cell)) * CODE_WIDTH
    math = sum(len(re.sub(r"[{}^_]", "", re.sub(r"\\[A-Za-z]+", "x", m))) for m in _MATH.findall(cell))
    text = _MATH.sub("", _CODE.sub("", cell))
    return code + math + len(re.sub(r"\\(?=\S)|[*]", "", text))


def _longest_word(cell: str) -> float:
    """The printed width of a cell's widest piece that cannot break: a word (a line may break after a
    slash, as in "dem./nondem."; never at a non-breaking space, so an estimate with its parenthesis
    is one piece), a code span or a formula."""
    keep = _MATH.sub(lambda m: m.group(0).replace(" ", ""), _CODE.sub(lambda m: m.group(0).replace(" ", "_"), cell))
    pieces = re.split(r"[^\S\u00a0]+|(?<=[^\s`$]/)(?=[^\W\d_])", keep)
    return max(((1.0 if _CODE.fullmatch(piece) else WORD_MARGIN) * shown_width(piece) for piece in pieces if piece),
               default=0.0)


def _share_line(least: list[float], body: list[float]) -> list[float]:
    """Column widths that share :data:`TABLE_LINE`: each column its widest unbreakable piece (``least``); then,
    the column nearest to it first, as many columns as the line allows their body cells on one line
    (``body``; a header may wrap); what is left goes to the columns that still wrap, in proportion to
    what they lack."""
    widths, spare = list(least), max(0.0, TABLE_LINE - sum(least))
    for i in sorted(range(len(widths)), key=lambda i: body[i] - least[i]):
        if body[i] - widths[i] <= spare:
            spare -= body[i] - widths[i]
            widths[i] = body[i]
    lack = [b - w for b, w in zip(body, widths)]
    return [w + spare * x / sum(lack) for w, x in zip(widths, lack)] if sum(lack) > 0 else widths


def pipe_table(header: list[str], rows: list[list[str]], align: str, min_widths: list[int] | None = None) -> str:
    """A pipe table whose separator dashes give each column the width it needs as printed.

    A table narrower than a line gets each column's widest cell as printed (:func:`shown_width`)
    and the cell's padding. When a table is wider than a line, pandoc (and so Quarto) gives each
    column the share of the line its dashes have of all dashes, and the cells wrap at spaces; a
    piece that cannot break (a word, a rule's name in code, a year) then runs into the next column,
    or is hyphenated, if its column is narrower than it. So each column first gets its widest
    unbreakable piece (and the padding), and what is left of the line (:data:`TABLE_LINE`) goes to
    setting as many columns' cells on one line as it can (:func:`_share_line`).

    Parameters
    ----------
    header : list of str
    rows : list of list of str
        The cells, already formatted.
    align : str
        One letter per column: ``l``, ``r`` or ``c``.
    min_widths : list of int, optional
        The least width, in characters, of each column (a shorter list leaves the remaining columns
        as they are): keeps a column of short words from being squeezed.

    Returns
    -------
    str
        The table in Markdown.
    """
    columns = [[h, *(r[i] for r in rows)] for i, h in enumerate(header)]
    least = [CELL_PADDING + max(_longest_word(c) for c in cells) for cells in columns]
    full = [max(4.0, CELL_PADDING + max(shown_width(c) for c in cells)) for cells in columns]
    if min_widths:
        floor = [*min_widths, *[0] * len(columns)]
        least, full = [max(w, m) for w, m in zip(least, floor)], [max(w, m) for w, m in zip(full, floor)]
    if sum(full) > TABLE_LINE:
        full = _share_line(least, [max(m, CELL_PADDING + max(shown_width(c) for c in cells[1:]))
                                   for m, cells in zip(least, columns)])
    widths = [max(4, round(w)) for w in full]
    sep = [("-" * (w - 1) + ":") if a == "r" else (":" + "-" * (w - 1)) if a == "l" else (":" + "-" * (w - 2) + ":")
           for a, w in zip(align, widths)]
    lines = ["| " + " | ".join(header) + " |", "| " + " | ".join(sep) + " |"]
    lines += ["| " + " | ".join(r) + " |" for r in rows]
    return "\n".join(lines) + "\n"


def frame_table_md(frame: pd.DataFrame, columns: dict[str, tuple[str, object]]) -> str:
    """A pipe table of ``frame``: the given columns, in order, each with its header and formatter.

    Parameters
    ----------
    frame : DataFrame
    columns : dict of str to (str, callable)
        Column name to ``(header, format)``; ``format`` turns a value into the cell's text.
        Numeric columns are right-aligned, the others left-aligned.

    Returns
    -------
    str
        Markdown, ready for ``{{< include >}}`` in the report.
    """
    header = [h for h, _ in columns.values()]
    rows = [[fmt(row[c]) for c, (_, fmt) in columns.items()] for _, row in frame.iterrows()]
    align = "".join("r" if pd.api.types.is_numeric_dtype(frame[c]) else "l" for c in columns)
    return pipe_table(header, rows, align)
