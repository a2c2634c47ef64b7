"""The `backlash` command line: JSON schema, readable table, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from backlash import paths


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
    assert set(out["theta"]) == {"LR", "LE", "HR", "HE"}
    assert set(out["gamma_threshold"]) == {"L", "H"}
    assert out["action"] == {"L": "R", "H": "E"}
    assert set(out["D"]) == {"w", "l"} and isinstance(out["pi"], float) and out["warnings"] == []
    assert round(out["gamma_threshold"]["H"], 3) == 1.051 and round(out["D"]["w"], 3) == 0.162


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
