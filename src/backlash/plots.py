r"""Plot functions and the shared figure style.

Every plot function draws on a matplotlib ``Axes`` it is given and returns it,
so figures can be composed and tested.  Lines differ by dash pattern and
marker as well as by grey level, so every figure reads in greyscale.  Text is set
in STIX, a Times-like serif close to the report's body face, and every symbol is
written as matplotlib mathtext (``$\gamma_L$``, ``$D^*_w$``) so it is typeset as
mathematics, in the same face.
:func:`save_figure` writes a vector PDF and a PNG with fixed metadata, so the
bytes are identical run to run.
"""

from __future__ import annotations

from pathlib import Path

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.axes import Axes  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ._io import atomic_path  # noqa: E402

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


def _moving_average(values: pd.Series, window: int) -> pd.Series:
    """The centred moving average drawn in Figure 1 (the same as ``backlash.exhibits.empirics.moving_average``,
    kept here so that plotting does not import the empirics)."""
    return values.rolling(window, center=True, min_periods=window // 2 + 1).mean()


def apply_style() -> None:
    """Set the shared style (call once per script, before creating figures)."""
    plt.rcParams.update(STYLE)


def save_figure(fig, pdf: Path, png: Path) -> None:
    """Write ``fig`` as a vector PDF and a PNG, atomically, without timestamps or tool versions.

    Parameters
    ----------
    fig : Figure
    pdf, png : Path
        Where to write each format.
    """
    with atomic_path(pdf) as tmp:
        fig.savefig(tmp, format="pdf", metadata={"Creator": None, "Producer": None, "CreationDate": None})
    with atomic_path(png) as tmp:
        fig.savefig(tmp, format="png", metadata={"Software": None})
    plt.close(fig)


# --------------------------------------------------------------------------- the model's exhibits
def plot_thresholds(ax: Axes, curves: pd.DataFrame) -> Axes:
    """Figure 2: gamma_L and gamma_H against alpha_R/(1-alpha_R), exit regions shaded.

    Parameters
    ----------
    ax : Axes
    curves : DataFrame
        :func:`backlash.exhibits.model.threshold_curves`.

    Returns
    -------
    Axes
    """
    x = curves["inequality"].to_numpy()
    ax.fill_between(x, 1.0, curves["gamma_l"], **FILL[3], linewidth=0, label=r"both exit ($\gamma \leq \gamma_L$)")
    ax.fill_between(x, curves["gamma_l"], curves["gamma_h"], **FILL[1], linewidth=0,
                    label=r"only H exits ($\gamma_L < \gamma \leq \gamma_H$)")
    ax.plot(x, curves["gamma_l"], **LINE["L"], label=r"$\gamma_L$ (low-bias leader L)")
    ax.plot(x, curves["gamma_h"], **LINE["H"], label=r"$\gamma_H$ (high-bias leader H)")
    ax.set_xlim(x.min(), x.max())
    top = float(curves["gamma_h"].max())
    ax.set_ylim(1.0, top + 0.12 * (top - 1.0))
    ax.set_xlabel(INEQUALITY_LABEL)
    ax.set_ylabel(r"size of the globalized economy, $\gamma$")
    ax.text(0.98, 0.97, r"both remain ($\gamma > \gamma_H$)", transform=ax.transAxes, ha="right", va="top", fontsize=8)
    ax.legend(loc="upper left")
    return ax


def plot_vote_differences(ax: Axes, curves: pd.DataFrame, regime_names: dict[int, str]) -> Axes:
    """Figure 3: D*_w and D*_l against inequality, one line per regime, jumps left open.

    Parameters
    ----------
    ax : Axes
    curves : DataFrame
        :func:`backlash.exhibits.model.realignment_curves`.
    regime_names : dict of int to str
        The label of each regime.

    Returns
    -------
    Axes
    """
    first = True
    for _, seg in curves.groupby("segment", sort=True):
        ax.plot(seg["inequality"], seg["d_w"], **LINE["w"], label=r"$D^*_w$ (winners)" if first else None)
        ax.plot(seg["inequality"], seg["d_l"], **LINE["l"], label=r"$D^*_\ell$ (losers)" if first else None)
        first = False
    ax.axhline(0.0, color="0.5", linewidth=0.7)
    bounds = curves.groupby("segment").agg(lo=("inequality", "min"), hi=("inequality", "max"),
                                           regime=("regime", "first"))
    ymax = float(np.nanmax(np.abs(curves[["d_w", "d_l"]].to_numpy()))) * 1.25
    for row in bounds.itertuples():
        if row.Index > 0:
            ax.axvline(row.lo, color="0.6", linewidth=0.6, linestyle=":")
        ax.text(0.5 * (row.lo + row.hi), ymax * 0.93, regime_names[row.regime], ha="center", va="top", fontsize=7.5)
    ax.set_ylim(-ymax, ymax)
    ax.set_xlim(curves["inequality"].min(), curves["inequality"].max())
    ax.set_xlabel(INEQUALITY_LABEL)
    ax.set_ylabel("utility difference, L minus H")
    ax.legend(loc="lower left")
    return ax


def plot_phase_diagram(ax: Axes, grid: pd.DataFrame, phases: dict[int, str], thresholds: pd.DataFrame,
                       gamma_line: float | None = None, legend: bool = True) -> Axes:
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
    ax.plot(thresholds["inequality"], thresholds["gamma_l"], **LINE["L"])
    ax.plot(thresholds["inequality"], thresholds["gamma_h"], **LINE["H"])
    if gamma_line is not None:
        ax.axhline(gamma_line, color="black", linewidth=0.6, linestyle=(0, (6, 3)))
        ax.text(xs.max(), gamma_line, rf"$\gamma = {gamma_line:g}$ (Figure 3) ", va="bottom", ha="right", fontsize=7)
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


def plot_reputation(ax: Axes, curves: pd.DataFrame) -> Axes:
    """Exit thresholds against the reputational cost c (appendix extension).

    Parameters
    ----------
    ax : Axes
    curves : DataFrame
        :func:`backlash.exhibits.model.reputation_curves`.

    Returns
    -------
    Axes
    """
    ax.plot(curves["c"], curves["gamma_l"], **LINE["L"], label=r"$\gamma_L$")
    ax.plot(curves["c"], curves["gamma_h"], **LINE["H"], label=r"$\gamma_H$")
    ax.axhline(1.0, color="0.5", linewidth=0.7)
    ax.text(curves["c"].max(), 1.0, r"$\gamma = 1$: below, the leader never exits ", ha="right", va="bottom", fontsize=7)
    ax.set_xlim(curves["c"].min(), curves["c"].max())
    ax.set_xlabel(r"reputational cost of exit, $c$")
    ax.set_ylabel(r"exit threshold $\gamma_d$")
    ax.legend(loc="upper right")
    return ax


# --------------------------------------------------------------------------- empirics
def plot_rate_series(ax: Axes, series: pd.DataFrame, columns: dict[str, str], ylabel: str,
                     smooth: int | None = None) -> Axes:
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

    Returns
    -------
    Axes
    """
    markers = ["o", "s", "D"]
    smoothed = {}
    for col in columns:
        window = smooth or 1
        smoothed[col] = _moving_average(series[col], window)
    top = 1.25 * max(float(np.nanmax(v)) for v in smoothed.values())
    for (col, key), marker in zip(columns.items(), markers):
        style = LINE[key]
        label = series.attrs.get("labels", {}).get(col, col)
        inside = series[col] <= top
        ax.plot(series["year"][inside], series[col][inside], color=style["color"], linewidth=0, marker=marker,
                markersize=2.4, alpha=0.6)
        ax.plot(series["year"], smoothed[col], **style, label=label)
        for year in series["year"][~inside]:
            ax.plot([year], [top], marker="^", markersize=4, markerfacecolor="white", color=style["color"],
                    clip_on=False)
    ax.set_xlim(series["year"].min() - 1, series["year"].max() + 1)
    ax.set_ylim(0, top)
    ax.set_xlabel("year")
    ax.set_ylabel(ylabel)
    # Each series' legend key shows its line and its marker together.
    handles = [Line2D([], [], **LINE[key], marker=marker, markersize=3)
               for key, marker in zip(columns.values(), markers)]
    labels = [series.attrs.get("labels", {}).get(col, col) for col in columns]
    ax.legend(handles, labels, loc="upper right")
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
               Line2D([], [], linestyle="none", marker="^", markerfacecolor="white", **grey)]
    labels = ["yearly value", f"centred {smooth}-year moving average",
              "yearly value above the top of the axis (exact value in the series file)"]
    return handles, labels


def add_regime_key(fig, ylabel: str) -> None:
    """One y label and one key (democracies, nondemocracies) for a grid of :func:`plot_smoothed_rates` panels.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        A figure with ``layout="constrained"``; the key goes below its panels.
    ylabel : str
        The label shared by the panels' y axes.
    """
    fig.supylabel(ylabel, fontsize=8)
    handles = [Line2D([], [], **LINE["dem"]), Line2D([], [], **LINE["nondem"])]
    fig.legend(handles, ["democracies", "nondemocracies"], loc="outside lower center", ncols=2, frameon=False)


def plot_smoothed_rates(ax: Axes, series: pd.DataFrame, smooth: int, title: str) -> Axes:
    """Centred ``smooth``-year moving averages of democracies' and nondemocracies' withdrawal rates.

    One small panel of the robustness companion of Figure 1(a); the caller shares
    the y axis across panels so that their heights compare.

    Parameters
    ----------
    ax : Axes
    series : DataFrame
        Yearly rates by regime type (``year, rate_dem, rate_nondem``).
    smooth : int
        The moving-average window.
    title : str
        The panel's title.

    Returns
    -------
    Axes
    """
    for col, key in (("rate_dem", "dem"), ("rate_nondem", "nondem")):
        smoothed = _moving_average(series[col], smooth)
        ax.plot(series["year"], smoothed, **LINE[key])
    ax.set_xlim(series["year"].min() - 1, series["year"].max() + 1)
    ax.set_title(title, loc="left", fontsize=8)
    ax.tick_params(labelsize=7)
    return ax


# --------------------------------------------------------------------------- beyond the paper: inequality
#: How each regime's band is drawn in the inequality figure (a grey fill, or a hatch without fill).
BAND = {"dem": dict(facecolor="0.82", edgecolor="none", linewidth=0),
        "nondem": dict(facecolor="none", edgecolor="0.55", hatch="////", linewidth=0)}


def plot_inequality_curve(ax: Axes, curve: pd.DataFrame, column: str, xlabel: str, ylabel: str) -> Axes:
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
        ax.plot(part[column], part["rate"], **LINE[key], label=f"{regime}: predicted rate")
    ax.set_ylim(0, 1.05 * float(curve["high"].max()))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax
