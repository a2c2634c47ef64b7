"""The `backlash` command line: JSON schema, readable table, clean errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from backlash import paths
from backlash.model import OUTCOME_FIELDS


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "backlash.cli", *args], capture_output=True, text=True,
                          cwd=paths.ROOT)


def test_help_lists_every_subcommand():
    """`backlash --help` lists the subcommands."""
    out = _cli("--help").stdout
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
    (["--b", "1e-170", "--psi", "1e-170"], "--b/--psi: the product b*psi = 1e-170*1e-170 underflows"),
    (["--b", "1e160", "--psi", "1e160"], "--b/--psi: the product b*psi = 1e+160*1e+160 overflows"),
    (["--b", "1e-20"], "--b/--psi: the product b*psi = 1e-20*1 is below 1e-16"),
    (["--x-h", "1e300"], "no finite equilibrium at this point"),
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
