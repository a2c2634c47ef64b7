"""`make bench`: how long the pipeline takes, each step's time and memory, and the solver against its limits.

Everything is measured in one run, so the ratios hold on a noisy, shared machine
even when the absolute times do not. The numbers are stored in ``bench/results.json``
(``bench/results.py``), from which `make bench` writes the README's measured times.

Pipeline
    A copy of the working tree (tracked and new files, nothing git ignores) is
    built in a temporary folder, with the raw data taken from the mirror as in a
    fresh clone.  Set-up is ``make env`` (a new ``.venv`` from requirements.lock;
    skip it with ``BENCH_SETUP=0``); the pipeline is ``make all`` with the
    packages installed, every interpreter make starts run under ``bench/steprun.py``
    and every step inside a group recorded by ``backlash.pipeline``
    (``BACKLASH_STEP_LOG``): wall time, CPU time and peak memory; then a second
    ``make all``, which must do nothing.
Floor
    ``bench/floor.py`` runs the same steps in the copy once more, in one process with their
    tables in memory; the pipeline's CPU time is compared with it (goal: at most 2.5x).
Tests
    ``make test`` in this checkout (after ``make all``), its wall and CPU time.
    ``BENCH_TEST=0`` skips it, ``BENCH_PIPELINE=0`` the pipeline.
Solver
    10^6 random points of Proposition 1 by ``equilibrium_share`` (Newton from the
    cubic's inflection point on arrays), against a per-point ``brentq`` loop and
    against the same Newton iteration as a C loop compiled here with gcc (the
    limit for one core; numpy figures only if there is no compiler).  Also
    ``outcome`` (4 shares solved once) against the public functions called
    separately (8 solves), and ``exit_threshold``.
"""

from __future__ import annotations

import ctypes
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from scipy.optimize import brentq

from backlash import model as M
from backlash import paths

sys.path.insert(0, str(Path(__file__).resolve().parent))
import results  # noqa: E402  (bench/results.py)

N = 1_000_000
SAMPLE = 5_000
MEMORY_LIMIT_MB = 300
_MAKE_VARS = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")  # the outer make's jobserver is not ours

C_NEWTON = r"""
#include <math.h>
#include <float.h>
/* Prop. 1 point by point: Newton from the inflection point (1+s)/3 on
   h = t(1-t)(s-t) - k(t + lam - 1), stopping as the numpy solver does. */
void solve(long n, const double *s, const double *k, const double *lam, double *out) {
    for (long i = 0; i < n; i++) {
        double si = s[i], ki = k[i], lm1 = lam[i] - 1.0, t = (1.0 + si) / 3.0, last = 0.0;
        for (int it = 0; it < 100; it++) {
            double u = 1.0 - t, sm = si - t, tu = t * u, a = tu * sm, e = ki * (t + lm1);
            double dh = (u - t) * sm - tu - ki, h = a - e, step = h / dh;
            t -= step;
            if (fabs(h) <= 8.0 * DBL_EPSILON * (fabs(a) + fabs(e) + fabs(t * dh)) || step * last < 0.0) break;
            last = step;
        }
        out[i] = t;
    }
}

/* A floor rather than a solver: six Newton steps on every point with no test, a
   loop the compiler vectorizes; a few points in a hundred need more steps. */
void six_steps(long n, const double *restrict s, const double *restrict k, const double *restrict lam,
               double *restrict out) {
    for (long i = 0; i < n; i++) out[i] = (1.0 + s[i]) / 3.0;
    for (int it = 0; it < 6; it++)
        for (long i = 0; i < n; i++) {
            double t = out[i], u = 1.0 - t, sm = s[i] - t, tu = t * u, e = k[i] * (t + lam[i] - 1.0);
            out[i] = t - (tu * sm - e) / ((u - t) * sm - tu - k[i]);
        }
}
"""


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def compiled_newton(workdir: Path):
    """The two C loops as Python functions ``(solve, six_steps)``, or None when no C compiler is available."""
    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        return None
    (workdir / "newton.c").write_text(C_NEWTON)
    lib_path = workdir / "libnewton.so"
    built = subprocess.run([gcc, "-O3", "-march=native", "-shared", "-fPIC", "-o", str(lib_path),
                            str(workdir / "newton.c"), "-lm"], capture_output=True, text=True)
    if built.returncode != 0:
        print(f"(could not compile the C loop: {built.stderr.strip()})")
        return None
    lib = ctypes.CDLL(str(lib_path))
    ptr = ctypes.POINTER(ctypes.c_double)
    def wrap(fn):
        fn.argtypes = [ctypes.c_long, ptr, ptr, ptr, ptr]

        def run(s, k, lam):
            out = np.empty_like(s)
            fn(s.size, *(np.ascontiguousarray(a, dtype=float).ctypes.data_as(ptr) for a in (s, k, lam, out)))
            return out

        return run

    return wrap(lib.solve), wrap(lib.six_steps)


def solver_bench(workdir: Path) -> None:
    rng = np.random.default_rng(2025)
    lam = rng.uniform(0.05, 0.95, N)
    alpha = rng.uniform(0.0, 1.0, N)
    x = rng.uniform(0.0, 1.0, N)
    b, psi = rng.uniform(0.2, 3.0, N), rng.uniform(0.2, 3.0, N)
    alpha_r = rng.uniform(1 - lam + 1e-3, 1.0)
    alpha_e = rng.uniform(0.0, 1.0, N) * alpha_r
    gamma = rng.uniform(1.001, 1.3, N)
    s, k = x + alpha, b * psi

    t_public = best_of(lambda: M.equilibrium_share(alpha, x, lam, b=b, psi=psi))
    t_core = best_of(lambda: M._solve_share(s, k, lam))
    theta = M.equilibrium_share(alpha, x, lam, b=b, psi=psi)

    def loop():
        out = np.empty(SAMPLE)
        for i in range(SAMPLE):
            f = lambda t: k[i] * lam[i] / (1 - t) - k[i] * (1 - lam[i]) / t - (s[i] - t)  # noqa: E731
            out[i] = brentq(f, 1e-300, 1 - 1e-16, xtol=1e-16)
        return out

    t0 = time.perf_counter()
    ref = loop()
    t_loop = (time.perf_counter() - t0) * N / SAMPLE
    err = float(np.max(np.abs(theta[:SAMPLE] - ref)))

    c_solve, c_floor = compiled_newton(workdir) or (None, None)
    t_c = best_of(lambda: c_solve(s, k, lam)) if c_solve else None
    t_floor = best_of(lambda: c_floor(s, k, lam)) if c_floor else None

    t_outcome = best_of(lambda: M.outcome(alpha_r, alpha_e, x + 0.01, lam, gamma, b=b, psi=psi), repeat=3)

    def separately():  # what outcome did before: each share solved again inside each threshold
        for a, xx in ((alpha_r, 0.0), (alpha_e, 0.0), (alpha_r, x + 0.01), (alpha_e, x + 0.01)):
            M.equilibrium_share(a, xx, lam, b=b, psi=psi)
        for xx in (0.0, x + 0.01):
            M.exit_threshold(alpha_r, alpha_e, xx, lam, b=b, psi=psi)

    t_separately = best_of(separately, repeat=3)
    t_thr = best_of(lambda: M.exit_threshold(alpha_r, alpha_e, x, lam, b=b, psi=psi), repeat=3)

    print(f"\nProposition 1, {N:,} random points (best of 5)")
    print(f"  equilibrium_share (with input checks)      {t_public:8.3f} s")
    print(f"  the Newton solver itself (numpy)           {t_core:8.3f} s")
    if c_solve:
        diff = float(np.max(np.abs(c_solve(s, k, lam) - M._solve_share(s, k, lam))))
        print(f"  the same iteration as a compiled C loop    {t_c:8.3f} s   (gcc -O3, one core)")
        print(f"  numpy / C loop: solver {t_core / t_c:5.2f}x, equilibrium_share {t_public / t_c:5.2f}x"
              f"   (goal <= 3x); max |numpy - C| {diff:.1e}")
        short = np.abs(c_floor(s, k, lam) - M._solve_share(s, k, lam)) > 1e-12
        print(f"  floor: 6 Newton steps, no test, vectorized C {t_floor:7.4f} s   (numpy solver {t_core / t_floor:.0f}x"
              f" that; no convergence test, {short.mean():.2%} of points off by more than 1e-12)")
    else:
        print("  no C compiler found: numpy figures only")
    print(f"  per-point brentq loop (from {SAMPLE:,} points) {t_loop:8.1f} s   "
          f"({t_loop / t_public:,.0f}x slower); max |theta - brentq| {err:.1e}")
    print(f"outcome, {N:,} points: {t_outcome:.3f} s (4 solves) against {t_separately:.3f} s for the public "
          f"functions called separately (8 solves): {t_separately / t_outcome:.2f}x")
    print(f"exit_threshold, {N:,} points: {t_thr:.3f} s")
    results.record("solver", {"public_s": t_public, "core_s": t_core, "c_s": t_c, "floor_c_s": t_floor,
                              "loop_s": t_loop, "max_err": err, "outcome_s": t_outcome,
                              "separately_s": t_separately, "threshold_s": t_thr})


def _clean_env(**extra) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in _MAKE_VARS}
    return env | extra


def _copy_worktree(dest: Path) -> None:
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                            cwd=paths.ROOT, capture_output=True, text=True)
    if listed.returncode == 0:
        for rel in filter(None, listed.stdout.split("\0")):
            src = paths.ROOT / rel
            if src.is_file():
                (dest / rel).parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(src, dest / rel)
    else:  # not a git checkout: copy what is not built or installed
        shutil.copytree(paths.ROOT, dest, dirs_exist_ok=True, ignore=shutil.ignore_patterns(
            ".venv", ".make", "raw", "derived", "cache", "*.pdf", "*.png", "generated", "__pycache__"))


def pipeline_bench(workdir: Path) -> None:
    tree = workdir / "project"
    tree.mkdir()
    _copy_worktree(tree)
    mirror = paths.data_mirror() or paths.RAW
    env = _clean_env(BACKLASH_DATA_MIRROR=str(mirror))
    setup = os.environ.get("BENCH_SETUP", "1") != "0"
    t_setup = None
    python = sys.executable
    if setup:
        t0 = time.perf_counter()
        made = subprocess.run(["make", "env"], cwd=tree, env=env, capture_output=True, text=True)
        t_setup = time.perf_counter() - t0
        if made.returncode != 0:
            print(f"`make env` failed in the copy; timing the pipeline with this interpreter\n{made.stderr[-2000:]}")
            t_setup = None
        else:
            python = str(tree / ".venv/bin/python")
    log = workdir / "steps.jsonl"
    env["BACKLASH_STEP_LOG"] = str(log)  # each step of a group, as backlash.pipeline runs it
    wrapped = f"{python} {tree / 'bench/steprun.py'} {log} {python}"
    # Only the steps' interpreter (PY) is wrapped, so the build takes the same path as `make all` after
    # set-up; without set-up, PYTHON names this interpreter (an external environment, as with conda).
    interpreter = [f"PY={wrapped}"] + ([] if t_setup is not None else [f"PYTHON={python}"])
    t0 = time.perf_counter()
    made = subprocess.run(["make", "all", *interpreter], cwd=tree, env=env, capture_output=True, text=True)
    t_all = time.perf_counter() - t0
    if made.returncode != 0:
        raise SystemExit(f"`make all` failed in the copy {tree}:\n{made.stdout[-2000:]}\n{made.stderr[-2000:]}")
    t0 = time.perf_counter()
    again = subprocess.run(["make", "all", *interpreter], cwd=tree, env=env, capture_output=True, text=True)
    t_noop = time.perf_counter() - t0

    records = [json.loads(line) for line in log.read_text().splitlines()]
    processes = [r for r in records if not r.get("forked")]
    steps = [r for r in records if r.get("forked")]
    cores = os.cpu_count()
    print(f"Pipeline from a fresh copy of the working tree ({cores} cores, `make all` uses all of them)")
    if t_setup is not None:
        print(f"  set-up, `make env` (new .venv from requirements.lock)  {t_setup:7.1f} s")
        print(f"  with set-up (make env + make all)                      {t_setup + t_all:7.1f} s")
    print(f"  without set-up (`make all`, packages installed)        {t_all:7.1f} s   (goal < 25 s)")
    print(f"  {len(steps)} steps in {len(processes)} interpreter starts; their CPU time "
          f"{sum(r['cpu_s'] for r in processes):.1f} s, wall time summed {sum(r['wall_s'] for r in processes):.1f} s")
    status = "nothing rebuilt" if again.returncode == 0 and "built" not in again.stdout else "REBUILT something"
    print(f"  second `make all`: {t_noop:.2f} s ({status})")
    print(f"\n  {'interpreter (make recipe)':42s} {'wall s':>7s} {'CPU s':>7s} {'peak MB':>8s}")
    for r in processes:
        name = "check the packages" if r["args"][0] == "-c" else r["step"]
        print(f"  {name:42s} {r['wall_s']:7.2f} {r['cpu_s']:7.2f} {r['peak_mb']:8.0f}")
        for s in (x for x in steps if r["args"][:3] == ["-m", "backlash.pipeline", "run"] and x["group"] == r["args"][3]):
            flag = "  over the limit" if s["peak_mb"] > MEMORY_LIMIT_MB else ""
            print(f"    {s['step']:40s} {s['wall_s']:7.2f} {s['cpu_s']:7.2f} {s['peak_mb']:8.0f}{flag}")
    peak = max(records, key=lambda s: s["peak_mb"])
    print(f"  largest peak: {peak['peak_mb']:.0f} MB ({peak['step']}; goal < {MEMORY_LIMIT_MB} MB; a step's peak "
          "includes the packages its group imported before forking it)")

    # The floor: the same steps once more in the copy, in one process, their tables in memory.
    floor_out = workdir / "floor.json"
    floor_env = _clean_env(PYTHONPATH=str(tree / "src"), BACKLASH_ROOT=str(tree), PYTHONHASHSEED="0",
                           SOURCE_DATE_EPOCH="0", MPLBACKEND="Agg", OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1",
                           MKL_NUM_THREADS="1", PYTHONUTF8="1")
    subprocess.run([python, str(tree / "bench/floor.py"), str(floor_out)], cwd=tree, env=floor_env, check=True)
    floor = json.loads(floor_out.read_text())
    cpu = sum(r["cpu_s"] for r in processes)
    groups = sum(r["cpu_s"] for r in processes if r["args"][:3] == ["-m", "backlash.pipeline", "run"])
    render = sum(r["cpu_s"] for r in processes if r["args"][:3] == ["-m", "backlash.cli", "paper"])
    print(f"\n  CPU time of `make all` {cpu:.1f} s: the groups of steps {groups:.1f} s, the render {render:.1f} s,"
          f" the rest (fetch, checks) {cpu - groups - render:.1f} s")
    print(f"  the same steps in one process, tables in memory (bench/floor.py): {floor['cpu_s']:.1f} s"
          f" (+ {floor['imports_cpu_s']:.1f} s of imports, not counted)")
    print(f"  steps / floor {groups / floor['cpu_s']:.2f}x; whole build / (floor + render) "
          f"{cpu / (floor['cpu_s'] + render):.2f}x   (goal <= {results.CPU_RATIO_GOAL}x)")
    print(f"  {'step':40s} {'pipeline CPU s':>14s} {'floor CPU s':>12s} {'ratio':>6s}")
    for r in sorted(steps, key=lambda r: -r["cpu_s"]):
        name = Path(r["step"]).stem
        f = floor["steps"].get(name)
        if f:
            print(f"    {r['step']:38s} {r['cpu_s']:14.2f} {f:12.2f} {r['cpu_s'] / f:6.1f}")
    results.record("pipeline", {
        "setup_s": t_setup, "all_s": t_all, "all_with_setup_s": (t_setup + t_all) if t_setup is not None else None,
        "noop_s": t_noop, "steps": len(steps), "interpreters": len(processes), "cpu_s": cpu, "groups_cpu_s": groups,
        "render_cpu_s": render, "floor_cpu_s": floor["cpu_s"], "floor_imports_cpu_s": floor["imports_cpu_s"],
        "peak_mb": peak["peak_mb"], "peak_step": peak["step"]})


def _timed_make(target: str) -> tuple[float, float, str]:
    """``make target`` in this checkout, timed: wall and CPU seconds, and pytest's summary line."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    made = subprocess.run(["make", target], cwd=paths.ROOT, env=_clean_env(), capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if made.returncode != 0:
        raise SystemExit(f"`make {target}` failed:\n{made.stdout[-3000:]}\n{made.stderr[-2000:]}")
    summary = next((line.strip("= ") for line in reversed(made.stdout.splitlines()) if " passed" in line), "?")
    return wall, cpu, summary.split(" in ")[0]


def make_test_bench() -> None:
    """`make test` and `make test-scratch` in this checkout (built by `make all` first), each timed."""
    wall, cpu, summary = _timed_make("test")
    print(f"\n`make test` (after `make all`): {wall:.1f} s wall, {cpu:.1f} s CPU, {summary}"
          f"   (goal < {results.TEST_GOAL_S} s)")
    s_wall, s_cpu, s_summary = _timed_make("test-scratch")
    print(f"`make test-scratch`: {s_wall:.1f} s wall, {s_cpu:.1f} s CPU, {s_summary}")
    results.record("test", {"wall_s": wall, "cpu_s": cpu, "summary": summary,
                            "scratch_wall_s": s_wall, "scratch_cpu_s": s_cpu, "scratch_summary": s_summary})


def main() -> None:
    load = os.getloadavg()
    print(f"load average at the start: {load[0]:.1f} (1 min) on {os.cpu_count()} cores; a shared machine is noisy, "
          "so compare the ratios\n")
    with tempfile.TemporaryDirectory(prefix="backlash-bench-") as tmp:
        if os.environ.get("BENCH_PIPELINE", "1") != "0":
            pipeline_bench(Path(tmp))
        solver_bench(Path(tmp))
    if os.environ.get("BENCH_TEST", "1") != "0":
        make_test_bench()


if __name__ == "__main__":
    main()
