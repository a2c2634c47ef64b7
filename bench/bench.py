"""`make bench`: speed of the model solvers, measured against a per-point brentq loop.

Ratios are measured in one run, so they are meaningful on a noisy machine even
when the absolute times are not.  Also times a no-op `make all`.
"""

from __future__ import annotations

import subprocess
import time

import numpy as np
from scipy.optimize import brentq

from backlash import model as M
from backlash import paths

N = 1_000_000
SAMPLE = 5_000


def best_of(fn, repeat=3):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def main() -> None:
    rng = np.random.default_rng(2025)
    lam = rng.uniform(0.05, 0.95, N)
    alpha = rng.uniform(0.0, 1.0, N)
    x = rng.uniform(0.0, 1.0, N)
    b, psi = rng.uniform(0.2, 3.0, N), rng.uniform(0.2, 3.0, N)
    alpha_r = rng.uniform(1 - lam + 1e-3, 1.0)
    alpha_e = rng.uniform(0.0, 1.0, N) * alpha_r

    t_vec = best_of(lambda: M.equilibrium_share(alpha, x, lam, b, psi))
    theta = M.equilibrium_share(alpha, x, lam, b, psi)

    def loop():
        out = np.empty(SAMPLE)
        for i in range(SAMPLE):
            k = b[i] * psi[i]
            f = lambda t: k * lam[i] / (1 - t) - k * (1 - lam[i]) / t - (x[i] + alpha[i] - t)  # noqa: E731
            out[i] = brentq(f, 1e-300, 1 - 1e-16, xtol=1e-16)
        return out

    t0 = time.perf_counter()
    ref = loop()
    t_loop = (time.perf_counter() - t0) * N / SAMPLE
    err = float(np.max(np.abs(theta[:SAMPLE] - ref)))

    t_thr = best_of(lambda: M.exit_threshold(alpha_r, alpha_e, x, lam, b, psi))

    t0 = time.perf_counter()
    noop = subprocess.run(["make", "-s", "all"], cwd=paths.ROOT, capture_output=True, text=True)
    t_make = time.perf_counter() - t0

    print(f"equilibrium_share, {N:,} points (vectorized, best of 3): {t_vec:8.3f} s")
    print(f"same work as a per-point brentq loop (extrapolated from {SAMPLE:,}): {t_loop:8.1f} s")
    print(f"speed-up of the vectorized solver: {t_loop / t_vec:8.0f}x   (goal >= 100x)")
    print(f"max |theta - brentq| on the sample: {err:.2e}   (goal <= 1e-12)")
    print(f"exit_threshold, {N:,} points (4 shares + closed form, best of 3): {t_thr:8.3f} s")
    status = "nothing rebuilt" if noop.returncode == 0 and "built" not in noop.stdout else "REBUILT something"
    print(f"no-op `make all`: {t_make:6.2f} s ({status}; goal < 2 s)")


if __name__ == "__main__":
    main()
