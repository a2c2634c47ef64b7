"""The numbers `make bench` measured, kept in ``bench/results.json``, and the README's words about them.

Every time and ratio the README states (the quick start's `make all` and `make test`, "Machine and run
time", "Benchmark", "Set-up benchmark") is written here from ``bench/results.json``, which the benchmark's
scripts fill (``record``, which then rewrites the README's marked blocks, as ``python bench/results.py`` does),
and ``tests/test_bench.py`` fails when a block no longer matches the recorded numbers (a number typed into
the README by hand).

Usage: python bench/results.py [--check]
"""

from __future__ import annotations

import json
import platform
import re
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench/results.json"
README = ROOT / "README.md"
#: The README's generated blocks: ``<!-- bench:NAME -->`` ... ``<!-- /bench:NAME -->``.
BLOCK = re.compile(r"(<!-- bench:(?P<name>[a-z-]+) -->\n)(?P<body>.*?)(<!-- /bench:(?P=name) -->)", re.S)
#: The goals of issue 22 the README states beside the measures.
TEST_GOAL_S, CPU_RATIO_GOAL = 60, 2.5


def load() -> dict:
    return json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.is_file() else {}


def record(part: str, values: dict) -> None:
    """Store one part of a benchmark run (``pipeline``, ``test``, ``solver``, ``setup``) with the machine's description."""
    import os

    results = load()
    results[part] = values | {"machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores, Python "
                                         f"{platform.python_version()}", "load": round(os.getloadavg()[0], 1)}
    RESULTS.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    main([])  # the README follows at once (a `make test` that runs meanwhile compares the two)


def _s(x: float) -> str:
    return f"{x:.0f} s" if x >= 20 else f"{x:.1f} s"


def blocks(r: dict) -> dict[str, str]:
    """The text of each README block, from the results ``r`` (a block whose part was never measured says so)."""
    p, t, s, u = r.get("pipeline"), r.get("test"), r.get("solver"), r.get("setup")
    out = {}
    all_line = (f"builds everything ({_s(p['all_with_setup_s'])} from a fresh clone, packages included; "
                f"{_s(p['all_s'])} without set-up)" if p and p.get("all_with_setup_s") else "builds everything")
    test_line = f"tests this build ({_s(t['wall_s'])} after make all)" if t else "tests this build"
    scratch_line = (f"tests that rebuild in copies ({_s(t['scratch_wall_s'])})" if t and t.get("scratch_wall_s")
                    else "tests that rebuild in copies of the project")
    out["quick-start"] = (f"```sh\nmake all            # {all_line}\nmake test           # {test_line}\n"
                          f"make test-scratch   # {scratch_line}\n```\n")
    lines = []
    if t:
        scratch = (f" `make test-scratch`, the tests that build, install or run steps in copies of the project "
                   f"(the extension rebuild with other choices and parameters, Quarto on PATH and four "
                   f"interruptions; three installs of `.venv`; the recorded choices; steps run alone), takes "
                   f"{_s(t['scratch_wall_s'])} of wall time and {_s(t['scratch_cpu_s'])} of CPU time "
                   f"({t['scratch_summary']}); CI runs both." if t.get("scratch_wall_s") else "")
        verdict = "met" if t["wall_s"] < TEST_GOAL_S else "not met"
        lines.append(
            f"- **Machine and run time** (`make bench`, {t['machine']}, load average {t['load']} at the start; a shared "
            f"machine varies by up to 2x between runs, so compare ratios measured within one run). `make test` after "
            f"`make all`: {_s(t['wall_s'])} of wall time and {_s(t['cpu_s'])} of CPU time ({t['summary']}; goal under "
            f"{TEST_GOAL_S} s, {verdict}).{scratch}")
    if p:
        setup = (f", {_s(p['all_with_setup_s'])} with it (`make env` {_s(p['setup_s'])}, uv compiling the packages "
                 f"to bytecode)" if p.get("setup_s") else "")
        lines.append(
            f"- **Benchmark** (`bench/bench.py`, one run, {p['machine']}, load average {p['load']}). The pipeline in a "
            f"fresh copy of the working tree: {_s(p['all_s'])} without set-up ({p['steps']} steps in "
            f"{p['interpreters']} interpreter starts){setup}; a second `make all` {p['noop_s']:.2f} s. CPU time: "
            f"{p['cpu_s']:.1f} s for the whole `make all` ({p['groups_cpu_s']:.1f} s in the groups of steps, "
            f"{p['render_cpu_s']:.1f} s in the render) against {p['floor_cpu_s']:.1f} s for the same steps run in one "
            f"process with their tables in memory (`bench/floor.py`, imports not counted): the steps cost "
            f"{p['groups_cpu_s'] / p['floor_cpu_s']:.2f}x the floor, the whole build "
            f"{p['cpu_s'] / (p['floor_cpu_s'] + p['render_cpu_s']):.2f}x the floor and the render (goal at most "
            f"{CPU_RATIO_GOAL}x). The largest step peaks at {p['peak_mb']:.0f} MB (`{p['peak_step']}`, counting the "
            f"packages its group imported before forking it).")
    if s:
        c = (f"against {s['c_s']:.3f} s for the same iteration as a C loop compiled with `gcc -O3` (numpy/C "
             f"{s['core_s'] / s['c_s']:.2f}x, {s['public_s'] / s['c_s']:.2f}x through `equilibrium_share`), "
             if s.get("c_s") else "")
        lines.append(
            f"- **Solver** (same run). Proposition 1 at 10⁶ random points: {s['core_s']:.3f} s for the vectorized "
            f"Newton solver ({s['public_s']:.3f} s through `equilibrium_share` with its input checks), {c}"
            f"{s['loop_s']:.1f} s for a per-point `scipy.optimize.brentq` loop ({s['loop_s'] / s['public_s']:,.0f}x "
            f"slower than `equilibrium_share`); largest difference from brentq {s['max_err']:.1e}. `outcome` at 10⁶ "
            f"points takes {s['outcome_s']:.3f} s, {s['separately_s'] / s['outcome_s']:.2f}x faster than the public "
            f"functions called one by one; 10⁶ exit thresholds take {s['threshold_s']:.3f} s.")
    if u:
        parts = [f"{_s(u[f'{i}_{c}_s'])} with {i} and a {c} cache" for i in ("uv", "pip") for c in ("cold", "warm")
                 if f"{i}_{c}_s" in u]
        lines.append(f"- **Set-up benchmark** (`bench/setup_bench.py`, part of `make bench`; {u['machine']}, load "
                     f"average {u['load']}): `make env` builds `.venv` in " + ", ".join(parts) + ".")
    lines = [textwrap.fill(line, width=100, subsequent_indent="  ", break_on_hyphens=False, break_long_words=False)
             for line in lines]
    out["run-time"] = "\n".join(lines) + "\n" if lines else "- (not measured yet: run `make bench`)\n"
    return out


def rewrite(readme: str, r: dict) -> str:
    """``readme`` with every marked block replaced by its text from the results ``r``."""
    text = blocks(r)
    return BLOCK.sub(lambda m: m.group(1) + text[m.group("name")] + m.group(4), readme)


def main(argv: list[str]) -> int:
    readme = README.read_text(encoding="utf-8")
    new = rewrite(readme, load())
    if new == readme:
        return 0
    if "--check" in argv:
        print("README.md's measured times do not match bench/results.json: run `python bench/results.py`",
              file=sys.stderr)
        return 1
    README.write_text(new, encoding="utf-8")
    print("rewrote the measured times in README.md from bench/results.json")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
