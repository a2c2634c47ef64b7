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
