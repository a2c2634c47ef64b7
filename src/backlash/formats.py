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
#: The cell's padding, in characters of text, added to every column (about 10 pt in Typst's tables).
CELL_PADDING = 3
_CODE = re.compile(r"`([^`]*)`")
_MATH = re.compile(r"\$([^$]*)\$")


def shown_width(cell: str) -> float:
    """About how many characters of text a Markdown cell takes once typeset.

    Code prints wider than text (:data:`CODE_WIDTH`), mathematics narrower than its TeX source
    (a command such as ``\\alpha`` is one symbol; braces, ``^`` and ``_`` print nothing), and
    emphasis marks and backslash escapes print nothing.

    Parameters
    ----------
    cell : str
        The cell's Markdown.

    Returns
    -------
    float
    """
    code = sum(len(m) for m in _CODE.findall(cell)) * CODE_WIDTH
    math = sum(len(re.sub(r"[{}^_]", "", re.sub(r"\\[A-Za-z]+", "x", m))) for m in _MATH.findall(cell))
    text = _MATH.sub("", _CODE.sub("", cell))
    return code + math + len(re.sub(r"\\(?=\S)|[*]", "", text))


def pipe_table(header: list[str], rows: list[list[str]], align: str, min_widths: list[int] | None = None) -> str:
    """A pipe table whose separator dashes are proportional to each column's widest cell as printed.

    When a table is wider than a line, pandoc (and so Quarto) sizes its columns by those
    dashes, and a cell that cannot break (a rule's name in code) then runs into the next
    column if its column is too narrow; so each column gets its widest cell's printed width
    (:func:`shown_width`) and the cell's padding. ``min_widths`` keeps a column of short words
    from being squeezed.

    Parameters
    ----------
    header : list of str
    rows : list of list of str
        The cells, already formatted.
    align : str
        One letter per column: ``l``, ``r`` or ``c``.
    min_widths : list of int, optional
        The least number of dashes for each column.

    Returns
    -------
    str
        The table in Markdown.
    """
    widths = [max(4, round(CELL_PADDING + max(shown_width(c) for c in [h, *(r[i] for r in rows)])))
              for i, h in enumerate(header)]
    if min_widths:  # a shorter list leaves the remaining columns as they are
        widths = [max(w, m) for w, m in zip(widths, [*min_widths, *[0] * len(widths)])]
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
