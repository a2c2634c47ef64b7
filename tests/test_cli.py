"""The `backlash` command line: JSON schema, readable table, clean errors."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys

import pytest

from backlash import paths
from backlash.model import OUTCOME_FIELDS


def _cli(*args: str) -> subprocess.CompletedProcess:
    """`backlash ARGS` run in this process (as ``backlash.cli.main``, the console script's entry): its exit
    status, output and error output, to which any Python warning it raised is added as Python prints one."""
    import contextlib
    import signal
    import warnings

    from backlash import cli

    out, err = io.StringIO(), io.StringIO()
    sigterm = signal.getsignal(signal.SIGTERM)
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        try:
            code = cli.main(list(args))
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            signal.signal(signal.SIGTERM, sigterm)
    errors = err.getvalue() + "".join(warnings.formatwarning(x.message, x.category, x.filename, x.lineno) for x in w)
    return subprocess.CompletedProcess(["backlash", *args], code, out.getvalue(), errors)


def _cli_process(*args: str) -> subprocess.CompletedProcess:
    """`python -m backlash.cli ARGS` as its own process."""
    return subprocess.run([sys.executable, "-m", "backlash.cli", *args], capture_output=True, text=True,
                          cwd=paths.ROOT)


def test_help_lists_every_subcommand():
    """`backlash --help` (run as its own process) lists the subcommands."""
    out = _cli_process("--help").stdout
    for cmd in ("fetch", "model", "paper"):
        assert cmd in out


def test_model_json_has_the_documented_keys():
    """`backlash model --json` prints exactly one JSON object with the documented keys."""
    res = _cli("model", "--lam", "0.5", "--alpha-r", "0.71", "--alpha-e", "0.4", "--x-h", "0.125", "--b", "1",
               "--psi", "1", "--gamma", "1.05", "--calibration", "reported", "--json")
    assert res.returncode == 0, res.stderr
    lines = [line for line in res.stdout.splitlines() if line.strip()]
    assert len(lines) == 1
    out = json.loads(lines[0])
    assert set(out) == {"params", *OUTCOME_FIELDS, "action_l", "action_h", "warnings"} - {"exit_l", "exit_h"}
    assert out["action_l"] == "R" and out["action_h"] == "E"
    assert isinstance(out["pi"], float) and out["warnings"] == [] and out["lemma1_ok"] is True
    assert round(out["gamma_h"], 3) == 1.051 and round(out["d_w"], 3) == 0.162


def test_model_table_is_readable():
    res = _cli("model")
    assert res.returncode == 0
    assert "gamma_H" in res.stdout and "D_w*" in res.stdout and "calibration=equations" in res.stdout


@pytest.mark.parametrize("args, fragment", [
    (["--lam", "1.5"], "lam must satisfy 0 < lam < 1"),
    (["--gamma", "abc"], "gamma must be a number"),
    (["--gamma", "0.9"], "gamma must satisfy gamma > 1"),
    (["--alpha-r", "0.45", "--alpha-e", "0.2"], "alpha_r must satisfy alpha_r > 1 - lam"),
    (["--c", "-1"], "c must satisfy c >= 0"),
    (["--b", "inf"], "b must be finite"),
    (["--calibration", "printed"], "invalid choice"),
])
def test_invalid_input_exits_2_with_one_line(args, fragment):
    """Invalid or non-numeric parameters: exit status 2, one line naming the parameter and condition, no traceback."""
    res = _cli("model", *args)
    assert res.returncode == 2
    assert fragment in res.stderr
    assert "Traceback" not in res.stderr
    assert len(res.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("args, fragment", [
    (["--c", "-1e-3"], "argument --c: c must satisfy c >= 0 (got -0.001)"),
    (["--x-h", "-0.1"], "argument --x-h: x_h must satisfy"),
    (["--alpha-r", "-1E+2"], "argument --alpha-r: alpha_r must satisfy"),
    (["--b", "1e-170", "--psi", "1e-170"], "argument --b: b must satisfy 1e-16 <= b*psi <= 1e+300 (the electoral "
                                           "weight that double precision resolves) (got b*psi = 0)"),
    (["--b", "1e160", "--psi", "1e160"], "(got b*psi = inf)"),
    (["--b", "1e-20"], "(got b*psi = 1e-20)"),
    (["--x-h", "1e300"], "no finite equilibrium at --x-h 1e+300: gamma_h, share_l are not a finite number"),
    (["--x-h", "1e10"], "no finite equilibrium at --x-h 1e+10: gamma_h is not a finite number"),
])
def test_extreme_or_negative_input_is_refused_naming_the_option(args, fragment):
    """Negative values in exponent form parse as values; out-of-range or extreme parameters
    (a product that under- or overflows, a result that is not finite) exit 2 with one line that
    names the option as typed: no NaN or infinity is ever printed as an answer."""
    for extra in ([], ["--json"]):
        res = _cli("model", *args, *extra)
        assert res.returncode == 2, res.stdout
        assert fragment in res.stderr and "Traceback" not in res.stderr and "Warning" not in res.stderr
        assert len(res.stderr.strip().splitlines()) == 1 and res.stdout == ""


@pytest.mark.parametrize("option, point, grid", [
    ("--x-h", "1e300", "0.1:1e300:3"),
    ("--x-h", "1e10", "1e10:2e10:2"),
    ("--b", "1e-20", "1e-20:1:3"),
    ("--c", "-1", "-1:0:3"),
    ("--lam", "1", "0.5:1:2"),
])
def test_a_point_and_a_grid_holding_it_are_refused_alike(option, point, grid):
    """One validation for a point and a grid: a grid whose range holds a refused point is refused with
    the same single line and exit status 2, before any output (a range may start with a minus sign)."""
    alone = _cli("model", option, point)
    ranged = _cli("model", option, grid)
    assert alone.returncode == ranged.returncode == 2, (alone, ranged)
    assert alone.stderr == ranged.stderr and len(alone.stderr.strip().splitlines()) == 1, (alone.stderr, ranged.stderr)
    assert "Traceback" not in ranged.stderr and ranged.stdout == ""


def test_the_grid_is_streamed_in_chunks_and_matches_the_model(monkeypatch, capsys):
    """A grid larger than a chunk (here 7 points a chunk, 36 points) prints every point once, in order,
    with the values `model.outcome` gives on the whole grid at once: chunks change memory, not results."""
    import numpy as np
    import pandas as pd

    from backlash import cli
    from backlash.model import outcome

    monkeypatch.setattr(cli, "GRID_CHUNK", 7)
    assert cli.main(["model", "--alpha-r", "0.6:0.9:4", "--gamma", "1.01:1.1:3", "--x-h", "0.1:0.5:3"]) == 0
    grid = pd.read_csv(io.StringIO(capsys.readouterr().out))
    # (the grid runs over the ranges in the order of the parameters: alpha_r, x_h, gamma)
    a, x, g = np.meshgrid(np.linspace(0.6, 0.9, 4), np.linspace(0.1, 0.5, 3), np.linspace(1.01, 1.1, 3), indexing="ij")
    o = outcome(a.ravel(), 0.4, x.ravel(), 0.5, g.ravel())
    assert len(grid) == 36
    np.testing.assert_allclose(grid["alpha_r"], a.ravel(), rtol=1e-9)
    for k in ("theta_hr", "gamma_h", "d_w", "pi"):
        np.testing.assert_allclose(grid[k], np.broadcast_to(getattr(o, k), (36,)), rtol=1e-9, err_msg=k)
    assert grid["exit_h"].tolist() == np.broadcast_to(o.exit_h, (36,)).tolist()


def test_a_refusal_reads_the_same_from_its_own_process():
    """The tests above call the command line in this process; as its own process it exits and writes
    the same (one line, status 2, no warning, nothing on stdout)."""
    for args in (["model", "--x-h", "1e300", "--json"], ["model", "--b", "1e-20:1:3"]):
        alone, here = _cli_process(*args), _cli(*args)
        assert (alone.returncode, alone.stdout, alone.stderr) == (here.returncode, here.stdout, here.stderr) \
            == (2, "", here.stderr), (alone, here)
        assert len(here.stderr.strip().splitlines()) == 1


def _strict_json(text: str):
    def refuse(name):
        raise ValueError(f"not JSON: {name}")
    return json.loads(text, parse_constant=refuse)


@pytest.mark.parametrize("b, psi", [("1e150", "1e150"), ("1e-8", "1e-8"), ("3", "0.2")])
def test_json_is_valid_and_finite_at_accepted_extremes(b, psi):
    """At accepted but extreme points the JSON is strict (no NaN/Infinity), every share is in [0, 1],
    and the thresholds are positive and ranked 0 < gamma_L <= gamma_H (Prop. 2), not lost to rounding."""
    res = _cli("model", "--b", b, "--psi", psi, "--json")
    assert res.returncode == 0, res.stderr
    out = _strict_json(res.stdout)
    assert all(0 <= out[k] <= 1 for k in ("theta_lr", "theta_le", "theta_hr", "theta_he"))
    assert 0 < out["gamma_l"] <= out["gamma_h"]


def test_closed_output_pipe_is_quiet():
    """`backlash model | head -0`: the reader goes away; no BrokenPipe traceback."""
    proc = subprocess.Popen([sys.executable, "-m", "backlash.cli", "model"], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, cwd=paths.ROOT)
    proc.stdout.close()
    err = proc.stderr.read().decode()
    proc.wait()
    assert "Traceback" not in err and "BrokenPipe" not in err


@pytest.mark.parametrize("value, fragment", [("no/such/folder", "relative path"),
                                             ("/no/such/folder", "is not a folder")])
def test_a_bad_mirror_setting_is_an_error_not_ignored(value, fragment):
    """A relative or mistyped BACKLASH_DATA_MIRROR stops `backlash fetch` with a message naming it."""
    env = {**os.environ, "BACKLASH_DATA_MIRROR": value}
    res = subprocess.run([sys.executable, "-m", "backlash.cli", "fetch", "--offline"], capture_output=True,
                         text=True, cwd=paths.ROOT, env=env)
    assert res.returncode == 1
    assert "BACKLASH_DATA_MIRROR" in res.stderr and fragment in res.stderr and "Traceback" not in res.stderr


def test_render_leftovers_are_removed(tmp_path):
    """Scratch files of a killed render (`.render-*/`, `.paper.*`) are removed before the next render."""
    from backlash.render import remove_render_leftovers

    (tmp_path / ".render-abc").mkdir()
    (tmp_path / ".render-abc/out.pdf").write_bytes(b"%PDF")
    (tmp_path / ".paper.typ").write_text("x", encoding="utf-8")
    (tmp_path / "paper.qmd").write_text("x", encoding="utf-8")
    remove_render_leftovers(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["paper.qmd"]
