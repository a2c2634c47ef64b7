"""The library as a researcher uses it from a notebook: imports, version, the worked example."""

from __future__ import annotations

import subprocess
import sys
import tomllib

import backlash
from backlash import paths


def _python(code: str, **env: str) -> subprocess.CompletedProcess:
    import os

    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=paths.ROOT,
                          env={**os.environ, **env})


def test_import_exposes_the_public_modules_lazily():
    """`import backlash` loads no heavy package; `backlash.model` etc. are imported on first use."""
    res = _python("import sys, backlash; heavy = [m for m in ('pandas', 'matplotlib', 'scipy') if m in sys.modules];"
                  "assert not heavy, heavy; print(backlash.model.__name__, backlash.withdrawal.__name__)")
    assert res.returncode == 0, res.stderr
    assert res.stdout.split() == ["backlash.model", "backlash.withdrawal"]
    assert set(backlash.__all__) <= set(dir(backlash))


def test_importing_plots_leaves_the_matplotlib_backend_alone():
    """A notebook keeps its inline backend: importing backlash.plots does not switch to Agg."""
    res = _python("import matplotlib; import backlash.plots; print(matplotlib.get_backend())", MPLBACKEND="svg")
    assert res.returncode == 0, res.stderr
    assert res.stdout.strip() == "svg"


def test_version_is_the_package_version():
    """`backlash --version` prints the version that pyproject.toml declares."""
    version = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    assert backlash.__version__ == version
    res = subprocess.run([sys.executable, "-m", "backlash.cli", "--version"], capture_output=True, text=True)
    assert res.returncode == 0 and res.stdout.strip() == f"backlash {version}"


def test_worked_example_runs(tmp_path):
    """examples/explore_model.py computes thresholds on a grid (checking Prop. 2), redraws Figure 2 with
    other parameters, and reads the withdrawals, without error."""
    res = subprocess.run([sys.executable, str(paths.ROOT / "examples/explore_model.py"), str(tmp_path)],
                         capture_output=True, text=True, cwd=paths.ROOT)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "figure2_lambda_055.png").stat().st_size > 10_000
    assert "withdrawals under the" in res.stdout


def test_a_programming_error_keeps_its_traceback(tmp_path):
    """A pipeline step reports bad input in one line, but a programming error (here a KeyError) shows its
    traceback, so its file and line are not hidden behind "FAILED to build"."""
    code = ("from pathlib import Path; from backlash._io import step\n"
            "with step(Path({out!r})):\n    raise {exc}\n")
    out = str(tmp_path / "x.csv")
    bad_input = _python(code.format(out=out, exc="ValueError('column year is missing')"))
    assert bad_input.returncode == 1
    assert "FAILED to build" in bad_input.stderr and "Traceback" not in bad_input.stderr
    bug = _python(code.format(out=out, exc="KeyError('total')"))
    assert bug.returncode == 1
    assert "Traceback" in bug.stderr and "KeyError: 'total'" in bug.stderr


def test_cli_solves_a_grid_of_ranges():
    """`backlash model --alpha-r 0.6:0.9:4 --gamma 1.02:1.1:2` prints one CSV row per combination (8), with
    the same numbers as the library at each point; --json gives a list of records."""
    import csv
    import io
    import json

    import numpy as np

    from backlash import model

    cmd = [sys.executable, "-m", "backlash.cli", "model", "--alpha-r", "0.6:0.9:4", "--gamma", "1.02:1.1:2"]
    res = subprocess.run(cmd, capture_output=True, text=True)
    assert res.returncode == 0, res.stderr
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert len(rows) == 8
    for r in rows:
        o = model.outcome(float(r["alpha_r"]), 0.4, 0.125, 0.5, float(r["gamma"]))
        assert np.isclose(float(r["gamma_h"]), float(o.gamma_h), rtol=1e-9)
        assert r["exit_h"] == str(bool(o.exit_h))
    res = subprocess.run([*cmd, "--json"], capture_output=True, text=True)
    assert len(json.loads(res.stdout)) == 8


def test_cli_refuses_a_malformed_range():
    """A range without a count, or a point outside the model's domain, is refused with exit 2 and the option."""
    res = subprocess.run([sys.executable, "-m", "backlash.cli", "model", "--alpha-r", "0.6:0.9"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "--alpha-r" in res.stderr and "start:stop:count" in res.stderr
    res = subprocess.run([sys.executable, "-m", "backlash.cli", "model", "--lam", "0.2:1.2:3"],
                         capture_output=True, text=True)
    assert res.returncode == 2 and "--lam" in res.stderr


def test_figure1_smoothing_is_one_definition():
    """The moving average the figures draw and the one the verdicts read ("smoothed rate higher") are one
    function (backlash.smoothing), not two copies kept in step."""
    from backlash import claims, plots, smoothing
    from backlash.exhibits import empirics

    assert plots.moving_average is smoothing.moving_average is empirics.moving_average
    assert claims.empirics.moving_average is smoothing.moving_average
    assert empirics.SMOOTHING_YEARS == smoothing.SMOOTHING_YEARS


def test_small_multiples_label_their_scale_with_at_least_three_ticks():
    """The appendix figures' short panels got two y ticks from matplotlib's default (0.00 and 0.05, on series
    reaching 0.09): the shared scale carries three to four labelled ticks, whatever its range."""
    import numpy as np
    import pandas as pd

    from backlash import plots

    years = np.arange(1945, 2015)
    for top in (0.095, 0.37, 12.0):
        rates = top * (0.5 + 0.5 * np.sin(years / 3.0))
        panel = pd.DataFrame({"year": years, "rate_dem": rates, "rate_nondem": rates / 2})
        fig = plots.small_multiples({"a": panel, "b": panel}, 5, "rate")
        ax = fig.axes[0]
        low, high = ax.get_ylim()
        shown = [t for t in ax.get_yticks() if low <= t <= high]
        assert 3 <= len(shown) <= 4, (top, shown)
        plots.plt.close(fig)


def test_decomposition_marks_do_not_overlap_and_a_rule_parts_rules_from_measures():
    """In the decomposition figure the density ratio's cross sat on the rate ratio's dot (both near 1.4, a sixth
    of a row apart), and the democracy measures' rows ran on from the rules' with nothing between: each of the
    three marks of a row now has its own line, further apart at the printed size than a mark is wide, and each
    block of rows has its heading, below a thin rule after the first block."""
    import numpy as np
    import pandas as pd
    import pytest

    from backlash import plots

    n_rules, n_measures = 4, 2
    part = pd.DataFrame({"irr_state": 1.4, "se_state": 0.1, "irr_membership": 1.0, "se_membership": 0.1,
                         "density_ratio": 1.4}, index=range(n_rules + n_measures))
    fig, ax = plots.new_figure(height=2.6)
    plots.plot_decomposition(ax, part, [f"row {k}" for k in range(len(part))], "1951–2014",
                             blocks=[("rules", n_rules), ("measures", n_measures)])
    fig.canvas.draw()
    points = 72 / fig.dpi
    marks = [line for line in ax.get_lines() if line.get_marker() in ("o", "x")]
    assert len(marks) == 3
    ys = np.array([ax.transData.transform(np.column_stack([m.get_xdata(), m.get_ydata()]))[:, 1] for m in marks])
    gaps = np.abs(np.diff(np.sort(ys, axis=0), axis=0)) * points
    widest = max(m.get_markersize() for m in marks)
    assert gaps.min() > widest, (gaps.min(), widest)
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[:2] == ["rules", "measures"] and labels[2:] == [f"row {k}" for k in range(len(part))]
    rows, headings, rules = plots.decomposition_rows([("rules", n_rules), ("measures", n_measures)])
    drawn = [line.get_ydata()[0] for line in ax.get_lines() if line.get_marker() in ("None", "") and
             len(set(line.get_ydata())) == 1 and line.get_xdata()[0] == 0]
    assert list(rules) == drawn and rows[n_rules - 1] > rules[0] > headings[1]
    with pytest.raises(ValueError, match="cover 5 rows"):
        plots.plot_decomposition(ax, part, [""] * len(part), "", blocks=[("rules", 5)])
    plots.plt.close(fig)


def test_small_multiples_keep_short_panels_readable_beside_a_tall_one():
    """Figure 8's common scale ran to 0.35 for five rules' post-war spike, which flattened the other five panels
    (highest 0.06-0.09) into their lowest quarter, and its panel titles were set at 8 pt beside the 9 pt labels.
    Where one panel reaches more than 1.5 times the median panel's height, the common scale is cut near the 95th
    percentile of the values drawn, the line cut at the top and each run above it marked by one open triangle on
    the edge; titles take the style's label size; the layout holds (no collapsed axes)."""
    import warnings

    import numpy as np
    import pandas as pd
    import pytest

    from backlash import plots

    years = np.arange(1945, 2015)
    low = pd.DataFrame({"year": years, "rate_dem": 0.05 + 0.02 * np.sin(years / 3.0), "rate_nondem": 0.04})
    tall = low.assign(rate_nondem=np.where(years < 1951, 0.4, 0.04))
    panels = {"1 a rule\n(a)": tall, "2 another\n(b)": tall, "3 a third\n(c)": low, "4 a fourth\n(d)": low,
              "5 a fifth\n(e)": low}
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # matplotlib warns when the constrained layout collapses
        fig = plots.small_multiples(panels, 5, "rate")
        fig.canvas.draw()
    axes = [ax for ax in fig.axes if ax.get_visible()]
    top = axes[0].get_ylim()[1]
    assert 0.07 / top > 0.4, top  # the short panels use more than 40% of the scale
    marks = [[line for line in ax.get_lines() if line.get_marker() == "^"] for ax in axes]
    assert [len(m) for m in marks] == [1, 1, 0, 0, 0] and all(len(m[0].get_xdata()) == 1 for m in marks[:2])
    titles = [t for ax in axes for t in ax.get_children()
              if isinstance(t, plots.Text) and t.get_text() == ax.get_title(loc="left")]
    assert len(titles) == len(panels) and {t.get_fontsize() for t in titles} == {plots.STYLE["axes.labelsize"]}
    assert plots.common_top([0.09, 0.08, 0.1], np.array([0.0, 0.1])) == pytest.approx(0.105)
    plots.plt.close(fig)
