r"""Plot functions and the shared figure style.

Every plot function draws on a matplotlib ``Axes`` it is given and returns it,
so figures can be composed and tested.  Lines differ by dash pattern and
marker as well as by grey level, so every figure reads in greyscale.  Text is set
in STIX, a Times-like serif close to the report's body face, and every symbol is
written as matplotlib mathtext (``$\gamma_L$``, ``$D^*_w$``) so it is typeset as
mathematics, in the same face.

Figures are drawn at the size they are printed (:func:`new_figure`: the report's
text width, :data:`TEXT_WIDTH`, or a stated fraction of it), so a font size here
is the printed size, and :func:`save_figure` refuses text smaller than
:data:`MIN_FONT_SIZE`.  It writes every format of
:data:`backlash.paths.FIGURE_FORMATS` (a vector PDF and a PNG) with fixed
metadata, so the bytes are identical run to run.

The look is adjustable from a notebook: :func:`apply_style` takes matplotlib
rcParams, and every plot function takes ``style``, matplotlib line keywords by
series key (e.g. ``style={"dem": {"color": "tab:blue"}}``) laid over :data:`LINE`.
"""

from __future__ import annotations

import contextlib
import math
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402
from matplotlib.text import Text  # noqa: E402
from matplotlib.ticker import MaxNLocator  # noqa: E402

from . import formats  # noqa: E402
from ._io import atomic_path  # noqa: E402
from .countmodel import DENSITY, MEMBERSHIP_RATE, PAPER_RATE  # noqa: E402
from .smoothing import moving_average  # noqa: E402
from .verdicts import z_critical  # noqa: E402

#: One definition of each series' look, used by every figure.
LINE = {
    "L": dict(color="black", linestyle="-", linewidth=1.6),
    "H": dict(color="0.35", linestyle=(0, (1.5, 1.5)), linewidth=1.9),
    "w": dict(color="black", linestyle="-", linewidth=1.6),
    "l": dict(color="0.35", linestyle=(0, (5, 2)), linewidth=1.6),
    "dem": dict(color="black", linestyle="-", linewidth=1.4),
    "nondem": dict(color="0.4", linestyle=(0, (5, 2)), linewidth=1.4),
    "economic": dict(color="black", linestyle="-", linewidth=1.4),
    "political": dict(color="0.35", linestyle=(0, (5, 2)), linewidth=1.4),
    "social": dict(color="0.55", linestyle=(0, (1.2, 1.2)), linewidth=1.7),
}
#: The inequality axis of Figures 2 and 3.
INEQUALITY_LABEL = r"ex-ante inequality under globalization, $\alpha_R/(1-\alpha_R)$"
FILL = {0: dict(facecolor="white", hatch=None), 1: dict(facecolor="0.92", hatch=".."),
        2: dict(facecolor="0.92", hatch="xx"), 3: dict(facecolor="0.80", hatch=None),
        4: dict(facecolor="0.60", hatch=None)}

STYLE = {
    "font.family": "serif",
    "font.serif": ["STIXGeneral", "DejaVu Serif"],
    "mathtext.fontset": "stix",
    "font.size": 9,
    "axes.titlesize": 9.5,
    "axes.labelsize": 9,
    "legend.fontsize": 8,
    "legend.frameon": False,
    "xtick.labelsize": 8,
    "ytick.labelsize": 8,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.linewidth": 0.8,
    "hatch.linewidth": 0.5,
    "hatch.color": "0.45",
    "figure.dpi": 100,
    "savefig.dpi": 200,
    "pdf.fonttype": 42,
    "svg.hashsalt": "backlash",
    "path.simplify": False,
}


#: The report's text width in inches (:data:`backlash.formats.TEXT_WIDTH`). A figure printed at
#: full width is drawn this wide.
TEXT_WIDTH = formats.TEXT_WIDTH
#: The smallest font size, in points at the printed size, that :func:`save_figure` accepts.
MIN_FONT_SIZE = 8.0
#: Metadata that would change the bytes from run to run (dates, tool versions), left out per format.
_METADATA = {"pdf": {"Creator": None, "Producer": None, "CreationDate": None}, "png": {"Software": None},
             "svg": {"Creator": None, "Date": None}}


def apply_style(rc: Mapping[str, object] | None = None) -> None:
    """Set the shared style (call once per script, before creating figures), with ``rc`` laid over it.

    Parameters
    ----------
    rc : mapping, optional
        matplotlib rcParams to change, e.g. ``{"font.family": "sans-serif", "font.size": 10}``.
    """
    plt.rcParams.update(STYLE)
    plt.rcParams.update(dict(rc or {}))


def new_figure(nrows: int = 1, ncols: int = 1, *, height: float, width: float = TEXT_WIDTH, **subplots):
    """A figure of the printed size, in the shared style, with constrained layout.

    Parameters
    ----------
    nrows, ncols : int
        The grid of axes.
    height : float
        Height in inches.
    width : float
        Width in inches (default: the full text width; a figure the report prints at 85% of it is
        ``0.85 * TEXT_WIDTH`` wide).
    **subplots
        Passed to :func:`matplotlib.pyplot.subplots` (``sharex``, ``sharey``, ...).

    Returns
    -------
    (fig, axes)
        As :func:`matplotlib.pyplot.subplots` returns them.
    """
    apply_style()
    return plt.subplots(nrows, ncols, figsize=(width, height), layout="constrained", **subplots)


def small_text(fig, minimum: float = MIN_FONT_SIZE, *, drawn: bool = False) -> list[str]:
    """Every visible text of ``fig`` set smaller than ``minimum`` points, with its size.

    Parameters
    ----------
    fig : Figure
    minimum : float
        The smallest size accepted.
    drawn : bool
        The figure has just been drawn (saved), so its tick labels exist: do not draw it again.

    Returns
    -------
    list of str
        ``"'text' at 7 pt"`` for each; empty when all text is large enough.
    """
    if not drawn:
        fig.draw_without_rendering()  # creates the tick labels
    return [f"{t.get_text()!r} at {t.get_fontsize():g} pt" for t in _visible_text(fig) if t.get_fontsize() < minimum]


def _visible_text(fig) -> list:
    """The figure's visible, non-empty texts (tick labels only once the figure has been drawn)."""
    return [t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()]


def save_figure(fig, *outputs: Path) -> None:
    """Write ``fig`` in each format asked for, atomically, without timestamps or tool versions.

    Parameters
    ----------
    fig : Figure
        Drawn at its printed size (:func:`new_figure`).
    *outputs : Path
        One file per format, the format read from the suffix (``*paths.figures(name)``: every format of
        :data:`backlash.paths.FIGURE_FORMATS`).

    Raises
    ------
    ValueError
        If any text is smaller than :data:`MIN_FONT_SIZE` (nothing is written), or a format is unknown.
    """
    unknown = [Path(o).suffix for o in outputs if Path(o).suffix.lstrip(".") not in _METADATA]
    if unknown:
        plt.close(fig)
        raise ValueError(f"cannot write a figure as {unknown[0]!r}; formats: {', '.join(_METADATA)}")
    # Each format is one drawing (its own renderer); the layout is computed in the first and kept for
    # the others, and the text sizes are checked on the first (its tick labels exist once it is drawn),
    # before any file is in place. The PNG is drawn first: Agg sets text a little wider than the PDF
    # backend, so a layout computed for the PDF clipped the PNG's longest tick label at the figure's edge.
    try:
        with contextlib.ExitStack() as files:
            for n, out in enumerate(sorted(outputs, key=lambda o: Path(o).suffix != ".png")):
                fmt = Path(out).suffix.lstrip(".")
                tmp = files.enter_context(atomic_path(out))
                fig.savefig(tmp, format=fmt, metadata=_METADATA[fmt])
                if n == 0:
                    small = small_text(fig, drawn=True)
                    if small:
                        raise ValueError(f"text below {MIN_FONT_SIZE:g} pt at the printed size: {'; '.join(small)}; "
                                         "enlarge it (backlash.plots.STYLE or the fontsize given)")
                    fig.set_layout_engine("none")
    finally:
        plt.close(fig)


def _line(key: str, style: Mapping[str, Mapping] | None) -> dict:
    """The look of series ``key``: :data:`LINE`'s entry with the caller's keywords laid over it."""
    return {**LINE[key], **(style or {}).get(key, {})}


# --------------------------------------------------------------------------- the model's exhibits
def plot_thresholds(ax: Axes, curves: pd.DataFrame, *, style: Mapping[str, Mapping] | None = None) -> Axes:
    """Figure 2: gamma_L and gamma_H against alpha_R/(1-alpha_R), exit regions shaded.

    Parameters
    ----------
    ax : Axes
    curves : DataFrame
        :func:`backlash.exhibits.model.threshold_curves`.
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    x = curves["inequality"].to_numpy()
    ax.fill_between(x, 1.0, curves["gamma_l"], **FILL[3], linewidth=0, label=r"both exit ($\gamma \leq \gamma_L$)")
    ax.fill_between(x, curves["gamma_l"], curves["gamma_h"], **FILL[1], linewidth=0,
                    label=r"only H exits ($\gamma_L < \gamma \leq \gamma_H$)")
    ax.plot(x, curves["gamma_l"], **_line("L", style), label=r"$\gamma_L$ (low-bias leader L)")
    ax.plot(x, curves["gamma_h"], **_line("H", style), label=r"$\gamma_H$ (high-bias leader H)")
    ax.set_xlim(x.min(), x.max())
    top = float(curves["gamma_h"].max())
    ax.set_ylim(1.0, top + 0.12 * (top - 1.0))
    ax.set_xlabel(INEQUALITY_LABEL)
    ax.set_ylabel(r"size of the globalized economy, $\gamma$")
    ax.text(0.98, 0.97, r"both remain ($\gamma > \gamma_H$)", transform=ax.transAxes, ha="right", va="top", fontsize=8)
    ax.legend(loc="upper left")
    return ax


def plot_vote_differences(ax: Axes, curves: pd.DataFrame, regime_names: dict[int, str], *,
                          style: Mapping[str, Mapping] | None = None) -> Axes:
    """Figure 3: D*_w and D*_l against inequality, one line per regime, jumps left open.

    Parameters
    ----------
    ax : Axes
    curves : DataFrame
        :func:`backlash.exhibits.model.realignment_curves`.
    regime_names : dict of int to str
        The label of each regime.
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    first = True
    for _, seg in curves.groupby("segment", sort=True):
        ax.plot(seg["inequality"], seg["d_w"], **_line("w", style), label=r"$D^*_w$ (winners)" if first else None)
        ax.plot(seg["inequality"], seg["d_l"], **_line("l", style), label=r"$D^*_\ell$ (losers)" if first else None)
        first = False
    ax.axhline(0.0, color="0.5", linewidth=0.7)
    bounds = curves.groupby("segment").agg(lo=("inequality", "min"), hi=("inequality", "max"),
                                           regime=("regime", "first"))
    ymax = float(np.nanmax(np.abs(curves[["d_w", "d_l"]].to_numpy()))) * 1.25
    span = float(curves["inequality"].max() - curves["inequality"].min())
    for row in bounds.itertuples():
        if row.Index > 0:
            ax.axvline(row.lo, color="0.6", linewidth=0.6, linestyle=":")
        name = regime_names[row.regime]
        if (row.hi - row.lo) < 0.3 * span:  # a narrow regime's name on two lines
            name = name.replace(", ", ",\n", 1) if ", " in name else name.replace(" ", "\n", 1)
        ax.text(0.5 * (row.lo + row.hi), ymax * 0.93, name, ha="center", va="top", fontsize=8)
    ax.set_ylim(-ymax, ymax)
    ax.set_xlim(curves["inequality"].min(), curves["inequality"].max())
    ax.set_xlabel(INEQUALITY_LABEL)
    ax.set_ylabel("utility difference, L minus H")
    ax.legend(loc="lower left")
    return ax


def set_title_fitted(ax: Axes, title: str, details: str) -> Text:
    """Set ``"title: details"`` as the axes' left title, on one line if it fits over the axes, else with the
    details on a second line.

    The fit is measured, not guessed from the number of characters: the figure is laid out (constrained
    layout included, so the axes have their final width) and the one-line title's drawn width is compared
    with the axes'. Laying out renders nothing, so the saved figure stays the same bytes run to run.

    Parameters
    ----------
    ax : Axes
        An axes of a figure; call this once its tick labels and axis labels are set, as they decide its width.
    title : str
        The panel's name, e.g. ``"(a) Proposition 3 example"``.
    details : str
        What follows it, e.g. the panel's parameters as mathtext.

    Returns
    -------
    matplotlib.text.Text
        The title.
    """
    text = ax.set_title(f"{title}: {details}", loc="left")
    fig = ax.get_figure()
    fig.draw_without_rendering()
    renderer = fig.canvas.get_renderer()
    if text.get_window_extent(renderer).width > ax.get_window_extent(renderer).width:
        text.set_text(f"{title}:\n{details}")
    return text


def plot_phase_diagram(ax: Axes, grid: pd.DataFrame, phases: dict[int, str], thresholds: pd.DataFrame,
                       gamma_line: float | None = None, legend: bool = True, *,
                       style: Mapping[str, Mapping] | None = None) -> Axes:
    """Regimes over (inequality, gamma) with the two threshold curves drawn on top.

    Parameters
    ----------
    ax : Axes
    grid : DataFrame
        :func:`backlash.exhibits.model.phase_grid`.
    phases : dict of int to str
        The label of each phase.
    thresholds : DataFrame
        :func:`backlash.exhibits.model.threshold_curves` of the same parameters, drawn as the boundaries.
    gamma_line : float, optional
        A gamma to mark with a horizontal line.
    legend : bool
        Whether to draw the legend in the panel.
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    xs = np.sort(grid["inequality"].unique())
    ys = np.sort(grid["gamma"].unique())
    z = grid.pivot(index="gamma", columns="inequality", values="phase").loc[ys, xs].to_numpy()
    codes = sorted(phases)
    levels = [k - 0.5 for k in codes] + [codes[-1] + 0.5]
    ax.contourf(xs, ys, z, levels=levels, colors=[FILL[k]["facecolor"] for k in codes],
                hatches=[FILL[k]["hatch"] for k in codes])
    ax.plot(thresholds["inequality"], thresholds["gamma_l"], **_line("L", style))
    ax.plot(thresholds["inequality"], thresholds["gamma_h"], **_line("H", style))
    if gamma_line is not None:
        ax.axhline(gamma_line, color="black", linewidth=0.6, linestyle=(0, (6, 3)))
        # At the left edge, where the line crosses no threshold curve (on the right it ran over gamma_L's).
        ax.annotate(rf"$\gamma = {gamma_line:g}$", (xs.min(), gamma_line), xytext=(3, 2), textcoords="offset points",
                    va="bottom", ha="left", fontsize=8,
                    bbox={"boxstyle": "square,pad=0.1", "facecolor": "white", "edgecolor": "none"})
    ax.set_xlim(xs.min(), xs.max())
    ax.set_ylim(ys.min(), ys.max())
    ax.set_xlabel(r"ex-ante inequality, $\alpha_R/(1-\alpha_R)$")
    ax.set_ylabel(r"size of the globalized economy, $\gamma$")
    if legend:
        handles, _ = phase_legend_handles(phases)
        ax.legend(handles=handles, loc="upper left", frameon=True, framealpha=0.9, edgecolor="0.8")
    return ax


def phase_legend_handles(phases: dict[int, str]):
    """Legend patches for the phase diagram (shared by its panels).

    Parameters
    ----------
    phases : dict of int to str
        The label of each phase.

    Returns
    -------
    (handles, labels) : tuple of list
    """
    handles = [Patch(facecolor=FILL[k]["facecolor"], hatch=FILL[k]["hatch"], edgecolor="0.4", label=phases[k])
               for k in sorted(phases)]
    return handles, [phases[k] for k in sorted(phases)]


def plot_reputation(ax: Axes, curves: pd.DataFrame, *, style: Mapping[str, Mapping] | None = None) -> Axes:
    """Exit thresholds against the reputational cost c (appendix extension).

    Parameters
    ----------
    ax : Axes
    curves : DataFrame
        :func:`backlash.exhibits.model.reputation_curves`.
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    ax.plot(curves["c"], curves["gamma_l"], **_line("L", style), label=r"$\gamma_L$")
    ax.plot(curves["c"], curves["gamma_h"], **_line("H", style), label=r"$\gamma_H$")
    ax.axhline(1.0, color="0.5", linewidth=0.7)
    ax.text(curves["c"].max(), 1.0, r"$\gamma = 1$: below, the leader never exits ", ha="right", va="bottom", fontsize=8)
    ax.set_xlim(curves["c"].min(), curves["c"].max())
    ax.set_xlabel(r"reputational cost of exit, $c$")
    ax.set_ylabel(r"exit threshold $\gamma_d$")
    ax.legend(loc="upper right")
    return ax


# --------------------------------------------------------------------------- empirics
#: The mark of a value above the top of an axis, set on its edge (an open triangle, in the series' colour).
EDGE_MARK = dict(marker="^", markersize=4, markerfacecolor="white")


def plot_rate_series(ax: Axes, series: pd.DataFrame, columns: dict[str, str], ylabel: str,
                     smooth: int | None = None, *, style: Mapping[str, Mapping] | None = None) -> Axes:
    """Yearly withdrawal rates as markers and a centred ``smooth``-year moving average as lines.

    ``columns`` maps a column of ``series`` to its style key in :data:`LINE`.  The
    y axis stops a little above the highest moving average; yearly points above
    it are drawn on the top edge as open triangles (their values are in the series file).

    Parameters
    ----------
    ax : Axes
    series : DataFrame
        Figure 1's series (:func:`backlash.exhibits.empirics.figure1_series`).
    columns : dict of str to str
        The columns to draw and their labels.
    ylabel : str
        The axis label.
    smooth : int, optional
        The moving-average window; ``None`` draws the yearly values only.
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    markers = ["o", "s", "D"]
    smoothed = {}
    for col in columns:
        window = smooth or 1
        smoothed[col] = moving_average(series[col], window)
    top = 1.25 * max(float(np.nanmax(v)) for v in smoothed.values())
    for (col, key), marker in zip(columns.items(), markers):
        look = _line(key, style)
        label = series.attrs.get("labels", {}).get(col, col)
        inside = series[col] <= top
        ax.plot(series["year"][inside], series[col][inside], color=look["color"], linewidth=0, marker=marker,
                markersize=2.4, alpha=0.6)
        ax.plot(series["year"], smoothed[col], **look, label=label)
        for year in series["year"][~inside]:
            ax.plot([year], [top], **EDGE_MARK, color=look["color"], clip_on=False)
    ax.set_xlim(series["year"].min() - 1, series["year"].max() + 1)
    ax.set_ylim(0, top)
    ax.set_xlabel("year")
    ax.set_ylabel(ylabel)
    # Each series' legend key shows its line and its marker together.
    handles = [Line2D([], [], **_line(key, style), marker=marker, markersize=3)
               for key, marker in zip(columns.values(), markers)]
    labels = [series.attrs.get("labels", {}).get(col, col) for col in columns]
    # Where it covers the fewest points and lines, on a white ground (panel (b)'s upper right held data).
    ax.legend(handles, labels, loc="best", frameon=True, framealpha=0.9, edgecolor="none", handlelength=1.6,
              borderpad=0.2)
    return ax


def rate_series_key(smooth: int) -> tuple[list, list[str]]:
    """Legend entries that explain how :func:`plot_rate_series` draws values (shared by the panels).

    Parameters
    ----------
    smooth : int
        The moving-average window.

    Returns
    -------
    (handles, labels) : tuple of list
    """
    grey = dict(color="0.3", markersize=4)
    handles = [Line2D([], [], linestyle="none", marker="o", alpha=0.6, **grey),
               Line2D([], [], color="0.3", linewidth=1.4),
               Line2D([], [], linestyle="none", **EDGE_MARK, color=grey["color"])]
    labels = ["yearly value", f"centred {smooth}-year moving average",
              "yearly value above the top of the axis (exact value in the series file)"]
    return handles, labels


def add_regime_key(fig, ylabel: str, *, style: Mapping[str, Mapping] | None = None) -> None:
    """One y label and one key (democracies, nondemocracies) for a grid of :func:`plot_smoothed_rates` panels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure with ``layout="constrained"``; the key goes below its panels.
    ylabel : str
        The label shared by the panels' y axes.
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.
    """
    label = fig.supylabel(ylabel, fontsize=plt.rcParams["axes.labelsize"])
    # On a figure of one row the label can be taller than the figure: set it on as many lines as it needs
    # (the width of a character taken as half its size, the label given 80% of the figure's height).
    per_line = int(0.8 * fig.get_figheight() * 72 / (0.5 * label.get_fontsize()))
    if len(ylabel) > per_line:
        label.set_text(textwrap.fill(ylabel, width=max(per_line, math.ceil(len(ylabel) / 3))))
    handles = [Line2D([], [], **_line("dem", style)), Line2D([], [], **_line("nondem", style))]
    fig.legend(handles, ["democracies", "nondemocracies"], loc="outside lower center", ncols=2, frameon=False)


def plot_smoothed_rates(ax: Axes, series: pd.DataFrame, smooth: int, title: str, *, top: float | None = None,
                        style: Mapping[str, Mapping] | None = None) -> Axes:
    """Centred ``smooth``-year moving averages of democracies' and nondemocracies' withdrawal rates.

    One small panel of the robustness companion of Figure 1(a); the caller shares
    the y axis across panels so that their heights compare. The title is set at the shared style's
    label size (a panel a quarter of the text wide has no room for the title size of a half-width
    panel), the tick labels at its tick size, as in the other figures.

    Parameters
    ----------
    ax : Axes
    series : DataFrame
        Yearly rates by regime type (``year, rate_dem, rate_nondem``).
    smooth : int
        The moving-average window.
    title : str
        The panel's title.
    top : float, optional
        The top of the (shared) scale: each run of years whose moving average lies above it gets an
        open triangle on the top edge, at its highest year, as in :func:`plot_rate_series` (the line
        itself is cut there).
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    for col, key in (("rate_dem", "dem"), ("rate_nondem", "nondem")):
        look = _line(key, style)
        smoothed = moving_average(series[col], smooth)
        ax.plot(series["year"], smoothed, **look)
        over = (smoothed > top).to_numpy() if top is not None else np.zeros(len(series), bool)
        runs = np.cumsum(np.diff(over.astype(int), prepend=0) == 1) * over  # each run of years above, 1, 2, ...
        peaks = [int(smoothed[runs == k].idxmax()) for k in range(1, runs.max() + 1)]
        if peaks:  # one triangle per run, at its peak; an empty line outside the axes would break the layout
            ax.plot(series["year"][peaks], np.full(len(peaks), top), linestyle="none", **EDGE_MARK,
                    color=look["color"], clip_on=False)
    ax.set_xlim(series["year"].min() - 1, series["year"].max() + 1)
    ax.set_title(title, loc="left", fontsize=plt.rcParams["axes.labelsize"])
    return ax


def common_top(highest: Sequence[float], values: np.ndarray) -> float:
    """The top of a scale shared by panels whose highest values are ``highest``.

    The highest value of all, with a little room, unless one panel reaches more than 1.5 times as
    high as the median panel: a scale set by it would flatten the others, so the top is then set a
    little above the 95th percentile of all the drawn ``values`` (the rest are marked on the edge).

    Parameters
    ----------
    highest : sequence of float
        Each panel's highest value.
    values : array of float
        Every value drawn, in all panels (NaN ignored).

    Returns
    -------
    float
    """
    tallest, middle = max(highest), float(np.median(highest))
    if tallest <= 1.5 * middle:
        return 1.05 * tallest
    return 1.1 * float(np.nanquantile(values, 0.95))


def small_multiples(panels: Mapping[str, pd.DataFrame], smooth: int, ylabel: str, *, ncols: int = 4,
                    panel_height: float = 1.6, style: Mapping[str, Mapping] | None = None):
    """One :func:`plot_smoothed_rates` panel per entry of ``panels``, on a common scale, as many rows as needed.

    The grid is sized from the number of panels (``ncols`` to a row), so none is left out;
    unused cells of the last row are hidden. The common scale's top is :func:`common_top`: where one
    panel would flatten the others, it is cut and the years above it are marked on its edge.

    Parameters
    ----------
    panels : mapping of str to DataFrame
        Each panel's title and its yearly rates by regime type.
    smooth : int
        The moving-average window.
    ylabel : str
        The label shared by the panels' y axes.
    ncols : int
        Panels to a row.
    panel_height : float
        Height of a row, in inches (its two-line title, its axes and its year labels).
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key, laid over :data:`LINE`.

    Returns
    -------
    Figure
        At the full text width; the key below the panels.
    """
    if not panels:
        raise ValueError("small_multiples needs at least one panel")
    ncols = min(ncols, len(panels))
    nrows = math.ceil(len(panels) / ncols)
    fig, axes = new_figure(nrows, ncols, height=0.6 + panel_height * nrows, sharex=True, sharey=True,
                           squeeze=False)
    cells = axes.ravel()
    smoothed = [np.concatenate([moving_average(series[col], smooth).to_numpy(dtype=float)
                                for col in ("rate_dem", "rate_nondem")]) for series in panels.values()]
    top = common_top([float(np.nanmax(v)) for v in smoothed], np.concatenate(smoothed))
    for ax, (title, series) in zip(cells, panels.items()):
        plot_smoothed_rates(ax, series, smooth, title, top=top, style=style)
    cells[0].set_ylim(0, top)
    # a short panel would get two ticks from matplotlib's default; three or four read the scale (shared by all)
    cells[0].yaxis.set_major_locator(MaxNLocator(nbins=3, steps=[1, 2, 4, 5, 10], min_n_ticks=3))
    for ax in cells[len(panels):]:
        ax.set_visible(False)
    for ax in axes[-1]:  # the last row's hidden cells leave their column's year axis to the row above
        if not ax.get_visible():
            axes[-2][list(axes[-1]).index(ax)].xaxis.set_tick_params(labelbottom=True)
    add_regime_key(fig, ylabel, style=style)
    return fig


#: How the decomposition figure draws each quantity (filled, open, cross), readable in greyscale, and where
#: within its row: each on a line of its own, so that no mark covers another.
DECOMPOSITION_MARKS = {
    "state": (dict(marker="o", color="black", markersize=4, linestyle="none"), PAPER_RATE),
    "membership": (dict(marker="o", color="0.35", markerfacecolor="white", markersize=4, linestyle="none"),
                   MEMBERSHIP_RATE),
    "density": (dict(marker="x", color="0.2", markersize=4, linestyle="none"),
                f"{DENSITY} (ratio)"),
}
DECOMPOSITION_SHIFT = {"state": 0.3, "membership": 0.0, "density": -0.3}


def decomposition_rows(blocks: Sequence[tuple[str, int]]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Where :func:`plot_decomposition` puts each row, each block's heading, and the rules between blocks.

    Rows run top to bottom on a y axis counting down from 0, one unit apart; each block opens with its
    heading on a row of its own, and a block after the first starts half a row further down, with a rule
    in that gap.

    Parameters
    ----------
    blocks : sequence of (str, int)
        Each block's heading and its number of rows, top to bottom.

    Returns
    -------
    (rows, headings, rules) : arrays of float
        The y of every row, of every heading, and of every rule between two blocks.
    """
    rows, headings, rules, y = [], [], [], 0.0
    for k, (_, n) in enumerate(blocks):
        if k:
            rules.append(y + 0.25)
            y -= 0.5
        headings.append(y)
        rows += [y - 1 - i for i in range(n)]
        y -= n + 1
    return np.array(rows), np.array(headings), np.array(rules)


def plot_decomposition(ax: Axes, part: pd.DataFrame, labels: list[str], title: str, *,
                       blocks: Sequence[tuple[str, int]] | None = None) -> Axes:
    """Democracies' rate ratios per state and IGO in force and per membership, and the density ratio, by row.

    One panel per period; rows top to bottom in the order of ``part`` (one per rule or
    measure); a log x axis with a line at 1, the two rate ratios with their 95% Wald
    intervals (clustered SEs) and the density ratio as a cross, each on its own line within the row
    (:data:`DECOMPOSITION_SHIFT`). The rows may come in blocks (the withdrawal rules, then the democracy
    measures), each under a heading and separated from the one above by a thin rule.

    Parameters
    ----------
    ax : Axes
    part : DataFrame
        Rows of ``regime_decomposition.csv`` for one period (``irr_state, se_state,
        irr_membership, se_membership, density_ratio``).
    labels : list of str
        One label per row.
    title : str
    blocks : sequence of (str, int), optional
        Each block's heading and number of rows, top to bottom, covering every row (default: one block
        without a heading).

    Returns
    -------
    Axes
    """
    blocks = list(blocks) if blocks is not None else [("", len(part))]
    if sum(n for _, n in blocks) != len(part):
        raise ValueError(f"the blocks cover {sum(n for _, n in blocks)} rows, the panel has {len(part)}")
    y, heads, rules = decomposition_rows(blocks)
    if not blocks[0][0] and len(blocks) == 1:  # no heading: the rows close up
        y, heads = y + 1, heads[:0]
    ax.axvline(1.0, color="0.6", linewidth=0.8, zorder=0)
    for rule_y in rules:
        ax.axhline(rule_y, color="0.55", linewidth=0.6, zorder=0)
    z = z_critical()  # the report's 95% Wald interval
    for key, col in (("state", "irr_state"), ("membership", "irr_membership")):
        est = part[col].to_numpy(dtype=float)
        se = part[col.replace("irr_", "se_")].to_numpy(dtype=float)
        style, at = DECOMPOSITION_MARKS[key][0], y + DECOMPOSITION_SHIFT[key]
        ax.hlines(at, est * np.exp(-z * se), est * np.exp(z * se), color=style["color"], linewidth=0.9)
        ax.plot(est, at, **style)
    ax.plot(part["density_ratio"].to_numpy(dtype=float), y + DECOMPOSITION_SHIFT["density"],
            **DECOMPOSITION_MARKS["density"][0])
    ax.set_xscale("log")
    from matplotlib.ticker import FixedLocator, FuncFormatter

    ax.xaxis.set_major_locator(FixedLocator([0.125, 0.25, 0.5, 1, 2, 4, 8]))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))
    ax.xaxis.set_minor_locator(FixedLocator([]))
    ax.set_yticks(np.concatenate([heads, y]), [name for name, _ in blocks][:len(heads)] + list(labels))
    ax.tick_params(axis="y", length=0)  # the labels name rows; a heading's tick would mark a row that is not
    for label in ax.get_yticklabels()[:len(heads)]:
        label.set_fontstyle("italic")
    ax.set_ylim(y.min() - 0.7, (heads.max() if len(heads) else y.max()) + 0.7)
    ax.set_title(title, loc="left")
    return ax


def decomposition_key(fig) -> None:
    """The key of :func:`plot_decomposition`, below a figure with ``layout="constrained"``.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
    """
    handles = [Line2D([], [], **style) for style, _ in DECOMPOSITION_MARKS.values()]
    fig.legend(handles, [label for _, label in DECOMPOSITION_MARKS.values()], loc="outside lower center",
               ncols=3, frameon=False)


# --------------------------------------------------------------------------- beyond the paper: inequality
#: How each regime's band is drawn in the inequality figure (a grey fill, or a hatch without fill).
BAND = {"dem": dict(facecolor="0.82", edgecolor="none", linewidth=0),
        "nondem": dict(facecolor="none", edgecolor="0.55", hatch="////", linewidth=0)}


def plot_inequality_curve(ax: Axes, curve: pd.DataFrame, column: str, xlabel: str, ylabel: str, *,
                          style: Mapping[str, Mapping] | None = None) -> Axes:
    """Predicted withdrawal rate against inequality, democracies and nondemocracies, with 95% bands.

    Parameters
    ----------
    ax : Axes
    curve : DataFrame
        One exposure of :func:`backlash.mechanism.predicted_curve` (``regime, <column>, rate, low, high``).
    column : str
        The inequality column on the horizontal axis (``gini_mkt``).
    xlabel : str
        Its axis label.
    ylabel : str
        The axis label (the rate and its unit).
    style : mapping of str to mapping, optional
        matplotlib line keywords by series key (``dem``, ``nondem``), laid over :data:`LINE`.

    Returns
    -------
    Axes
    """
    regimes = (("democracies", "dem"), ("nondemocracies", "nondem"))
    for regime, key in regimes:  # bands first (the hatch over the grey fill), then the lines on top
        part = curve[curve["regime"] == regime]
        ax.fill_between(part[column], part["low"], part["high"], **BAND[key], label=f"{regime}: 95% band")
    for regime, key in regimes:
        part = curve[curve["regime"] == regime]
        ax.plot(part[column], part["rate"], **_line(key, style), label=f"{regime}: predicted rate")
    ax.set_ylim(0, 1.05 * float(curve["high"].max()))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax
