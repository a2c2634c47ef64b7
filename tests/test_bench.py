"""The README's measured times are written from `make bench`'s results, never typed."""

from __future__ import annotations

import re
import sys

from backlash import paths

sys.path.insert(0, str(paths.ROOT / "bench"))
import results  # noqa: E402  (bench/results.py)

#: A time in the README's prose: "12.3 s", "88 s", "1.5 minutes".
TIME = re.compile(r"\b\d+(\.\d+)? ?(s|seconds?|minutes?)\b")


def test_the_readmes_times_are_the_recorded_measures():
    """Each marked block of the README (the quick start's times, "Machine and run time", "Benchmark", "Solver",
    "Set-up benchmark") is exactly what bench/results.py writes from bench/results.json, and no time is stated
    outside those blocks (the set-up's heartbeat interval and the data editors' run-time checkboxes aside)."""
    readme = results.README.read_text(encoding="utf-8")
    assert {m.group("name") for m in results.BLOCK.finditer(readme)} == set(results.blocks({}))
    assert results.rewrite(readme, results.load()) == readme, "run `python bench/results.py` (or `make bench`)"
    outside = results.BLOCK.sub("", readme).replace("a line at least every 5 s", "")
    outside = "\n".join(line for line in outside.splitlines() if not line.startswith(("- [ ]", "- [x]")))
    assert [m.group(0) for m in TIME.finditer(outside)] == []


def test_the_blocks_follow_the_numbers():
    """Another measure gives other words: the blocks are computed from the results, and a part never measured
    says so instead of keeping an old number."""
    r = results.load()
    assert r, "bench/results.json is missing: run `make bench`"
    faster = {**r, "pipeline": {**r["pipeline"], "all_s": r["pipeline"]["all_s"] / 2}}
    assert results.blocks(faster)["quick-start"] != results.blocks(r)["quick-start"]
    assert results.blocks(faster)["run-time"] != results.blocks(r)["run-time"]
    assert "not measured yet" in results.blocks({})["run-time"]


def test_the_test_goal_verdict_follows_the_measured_time():
    """The README says the goal for `make test` (under 60 s) is met only when the recorded wall time is under it,
    and states `make test-scratch`'s time only when it was measured."""
    base = {"machine": "m", "load": 1.0, "cpu_s": 90.0, "summary": "1 passed"}
    fast = results.blocks({"test": {**base, "wall_s": results.TEST_GOAL_S - 1}})["run-time"]
    slow = results.blocks({"test": {**base, "wall_s": results.TEST_GOAL_S + 1}})["run-time"]
    assert "s, met)" in fast and "not met" not in fast
    assert "not met" in slow
    assert "make test-scratch" not in fast
    scratch = {**base, "wall_s": 50.0, "scratch_wall_s": 70.0, "scratch_cpu_s": 120.0, "scratch_summary": "9 passed"}
    both = results.blocks({"test": scratch})
    assert "70 s of wall time" in both["run-time"] and "9 passed" in both["run-time"]
    assert "(70 s)" in both["quick-start"]
