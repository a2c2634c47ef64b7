"""The fast paths give the same answers: the Prop. 1 solver, the wide withdrawal array, the raw cache.

Each faster computation is checked against the definition it replaces: the
solver against a 60-digit reference at the edges of the parameter space, the
withdrawal candidates on the wide array against the long-panel definition (real
and synthetic data), the cached raw tables against a fresh parse.
"""

from __future__ import annotations

import shutil
import subprocess
import zipfile
from decimal import Decimal, localcontext

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from pandas.testing import assert_frame_equal

from backlash import data as D
from backlash import withdrawal
from backlash import model as M
from backlash import paths, raw

EPS = np.finfo(float).eps


# --------------------------------------------------------------------------- Proposition 1 solver
def _reference_share(s: float, k: float, lam: float) -> float:
    """Prop. 1's root to 60 digits, by bisection on the (increasing) first-order condition."""
    with localcontext() as ctx:
        ctx.prec = 60
        s, k, lam = Decimal(s), Decimal(k), Decimal(lam)
        lo, hi = Decimal(0), Decimal(1)
        for _ in range(220):
            mid = (lo + hi) / 2
            if k * lam / (1 - mid) - k * (1 - lam) / mid - (s - mid) > 0:
                hi = mid
            else:
                lo = mid
        return float((lo + hi) / 2)


def _rounding_bound(theta, s, k, lam):
    """8 eps times the sensitivity of Prop. 1's root to rounding its terms (the best a float can do).

    Never below one unit in the last place of the root; where the root rounds to
    0 or 1 (within 1e-16 of it), that unit is the bound.
    """
    with np.errstate(divide="ignore", invalid="ignore"):
        to_losers, to_winners = k * lam / (1 - theta), k * (1 - lam) / theta
        slope = 1 + to_losers / (1 - theta) + to_winners / theta
        bound = 8 * EPS * (to_losers + to_winners + s + theta) / slope
    return np.maximum(np.nan_to_num(bound, nan=0.0), np.spacing(np.asarray(theta, dtype=float)))


def _closed_form_share(s, k, lam):
    """The middle root of the cubic by the trigonometric formula (the alternative to Newton)."""
    a, b, c = -(1.0 + s), s - k, k * (1.0 - lam)
    p = (3 * b - a * a) / 3
    q = (2 * a**3 - 9 * a * b + 27 * c) / 27
    r = np.sqrt(-p / 3)
    phi = np.arccos(np.clip(3 * q / (2 * p) / r, -1, 1)) / 3
    return 2 * r * np.cos(phi - 2 * np.pi / 3) - a / 3


EDGES = np.meshgrid([1e-12, 1e-6, 0.3, 0.5, 1 - 1e-6, 1 - 1e-12],  # lam -> 0 and -> 1
                    [1e-16, 1e-12, 1e-8, 1e-4, 1.0, 1e4, 1e8, 1e12, 1e16],  # b*Psi tiny to huge
                    [0.0, 1e-12, 0.3, 0.7, 1 - 1e-12, 1.0, 1 + 1e-12, 1.5, 2.0, 10.0],  # x + alpha
                    indexing="ij")


@pytest.fixture(scope="module")
def edge_grid():
    lam, k, s = (a.ravel() for a in EDGES)
    ref = np.array([_reference_share(*p) for p in zip(s, k, lam)])
    return s, k, lam, ref


def test_solver_is_exact_to_rounding_at_the_edges(edge_grid):
    """At lam -> 0 or 1 and b*Psi from 1e-16 to 1e16, the share is within the rounding bound of the true root."""
    s, k, lam, ref = edge_grid
    theta = M._solve_share(s, k, lam)
    err = np.abs(theta - ref)
    assert (err <= _rounding_bound(ref, s, k, lam)).all(), np.max(err)
    assert err.max() <= 2.3e-16


def test_newton_beats_the_closed_form_at_the_edges(edge_grid):
    """The reason for the choice in ``_solve_share``: the closed form loses up to ~5e-8 where Newton loses nothing."""
    s, k, lam, ref = edge_grid
    closed = np.abs(_closed_form_share(s, k, lam) - ref)
    newton = np.abs(M._solve_share(s, k, lam) - ref)
    assert closed.max() > 1e-8 > 1e3 * newton.max()
    big_k = k >= 1e8
    assert closed[big_k].max() > 1e-9 and newton[big_k].max() <= 2.3e-16


@given(s=st.floats(0, 3), k=st.floats(1e-6, 1e6), lam=st.floats(1e-6, 1 - 1e-6))
def test_solver_matches_the_reference_anywhere(s, k, lam):
    """Anywhere in the valid space the share is within the rounding bound of the 60-digit root."""
    ref = _reference_share(s, k, lam)
    assert abs(float(M._solve_share(s, k, lam)) - ref) <= _rounding_bound(ref, s, k, lam)


def test_unconverged_points_raise(monkeypatch):
    """A point still moving when the step budget runs out is an error, not a silent answer."""
    monkeypatch.setattr(M, "_NEWTON_MAX_ITER", M._NEWTON_BLIND_STEPS + 1)
    # x + alpha = 1 with a tiny b*Psi: two roots almost meet at 1 and Newton crawls towards them.
    with pytest.raises(RuntimeError, match="did not converge at 1 point"):
        M._solve_share(np.array([0.5, 1.0]), np.array([1.0, 1e-16]), np.array([0.5, 0.5]))


def test_a_share_outside_the_unit_interval_is_an_error(monkeypatch):
    """Should an iteration ever produce nan or leave [0, 1], the solver says so instead of returning it."""
    monkeypatch.setattr(M, "_polish", lambda theta, *rest: theta.__setitem__(1, np.nan))
    with pytest.raises(RuntimeError, match="outside \\[0, 1\\]"):
        M._solve_share(np.array([0.5, 0.7]), np.array([1.0, 1.0]), np.array([0.5, 0.5]))


def test_outcome_solves_each_share_once_and_agrees_with_the_parts(monkeypatch):
    """outcome: 4 solves for 4 shares, and the same shares and thresholds as the public functions give."""
    rng = np.random.default_rng(3)
    lam = rng.uniform(0.1, 0.9, 500)
    alpha_r = rng.uniform(1 - lam + 1e-3, 1.0)
    alpha_e = rng.uniform(0, 1, 500) * alpha_r
    x_h, gamma, b, psi = rng.uniform(0.01, 1, 500), rng.uniform(1.01, 1.5, 500), rng.uniform(0.2, 3, 500), 1.3
    calls = []
    solver = M._solve_share
    monkeypatch.setattr(M, "_solve_share", lambda *a: calls.append(1) or solver(*a))
    o = M.outcome(alpha_r, alpha_e, x_h, lam, gamma, b=b, psi=psi, c=0.01, calibration="reported")
    assert len(calls) == 4
    monkeypatch.setattr(M, "_solve_share", solver)
    args = dict(b=b, psi=psi, calibration="reported")
    for key, alpha, x in (("theta_lr", alpha_r, 0.0), ("theta_le", alpha_e, 0.0), ("theta_hr", alpha_r, x_h),
                          ("theta_he", alpha_e, x_h)):
        np.testing.assert_array_equal(getattr(o, key), M.equilibrium_share(alpha, x, lam, **args))
    for key, x in (("gamma_l", 0.0), ("gamma_h", x_h)):
        np.testing.assert_array_equal(getattr(o, key), M.exit_threshold(alpha_r, alpha_e, x, lam, b=b, psi=psi, c=0.01,
                                                                         calibration="reported"))


# --------------------------------------------------------------------------- withdrawal candidates
@pytest.fixture(scope="module")
def igo_inputs():
    igo_year = raw.read_igo_year()
    return dict(igo_year=igo_year, codes=D.state_codes(raw.read_state_year()), attrs=D.igo_attributes(igo_year),
                system=D.system_membership(raw.read_states(), last=D.LAST_YEAR + withdrawal.HORIZON),
                imputed=D.imputed_igo_years(igo_year))


def test_wide_candidates_equal_the_long_definition_on_cow(igo_inputs):
    """On COW IGO v3, the wide-array transitions are the long-panel ones: same rows, order, values and dtypes."""
    i = igo_inputs
    wide = withdrawal.candidate_transitions_wide(i["igo_year"], i["codes"], i["attrs"], i["system"], i["imputed"])
    panel = D.membership_panel(i["igo_year"], i["codes"])
    long = withdrawal.candidate_transitions(panel, i["attrs"], i["system"], i["imputed"])
    assert len(wide) > 1000
    assert_frame_equal(wide, long, check_exact=True)


def _synthetic(rng: np.random.Generator, n_igos: int, n_states: int, years: range):
    """A small IGO-year file: random statuses (NaN as not a system member), gaps in years, rows shuffled."""
    rows = []
    for i in range(n_igos):
        span = [y for y in years if rng.random() > 0.15]  # some IGO-years missing: gaps
        for y in span:
            rows.append({"ioname": f"IGO{i}", "year": float(y)})
    frame = pd.DataFrame(rows)
    codes = rng.choice([0, 1, 1, 1, 2, 3, -9, np.nan], size=(len(frame), n_states))
    states = [f"s{j}" for j in range(n_states)]
    frame = pd.concat([frame, pd.DataFrame(codes, columns=states)], axis=1)
    frame = frame.sample(frac=1.0, random_state=int(rng.integers(1 << 30))).reset_index(drop=True)
    ccode = pd.Series(np.arange(10, 10 + n_states) * 5, index=states, name="ccode")
    last = {f"IGO{i}": int(rng.integers(years.start + 2, years.stop + 2)) for i in range(n_igos)}
    attrs = pd.DataFrame({"ioname": list(last), "orgname": [f"org {k}" for k in last],
                          "issue_area": rng.choice(list(D.ISSUE_AREAS), n_igos),
                          "first_year": years.start, "last_year": list(last.values())})
    system = pd.DataFrame([(c, y) for c in ccode for y in range(years.start, years.stop + 3) if rng.random() > 0.1],
                          columns=["ccode", "year"])
    imputed = frame[["ioname", "year"]].astype({"year": "int64"}).assign(imputed=rng.random(len(frame)) < 0.2)
    return frame, ccode, attrs, system, imputed


@pytest.mark.parametrize("seed", range(6))
def test_wide_candidates_equal_the_long_definition_on_synthetic_panels(seed):
    """On shuffled synthetic files with gaps, missing codes and mass exits, both definitions agree exactly."""
    rng = np.random.default_rng(seed)
    frame, codes, attrs, system, imputed = _synthetic(rng, n_igos=4 + seed, n_states=9, years=range(1990, 2004))
    kw = dict(first=1991, last=2003)
    wide = withdrawal.candidate_transitions_wide(frame, codes, attrs, system, imputed, **kw)
    long = withdrawal.candidate_transitions(D.membership_panel(frame, codes), attrs, system, imputed, **kw)
    assert len(wide) > 10
    assert_frame_equal(wide, long, check_exact=True)


def test_full_membership_panel_is_the_long_panel_filtered(igo_inputs):
    """membership_panel(..., status=(1,)) keeps exactly the full-membership rows of the long panel, in order."""
    i = igo_inputs
    full = D.membership_panel(i["igo_year"], i["codes"], status=(1,))
    panel = D.membership_panel(i["igo_year"], i["codes"])
    assert_frame_equal(full, panel[panel["status"] == 1].reset_index(drop=True), check_exact=True)


# --------------------------------------------------------------------------- raw-data cache
@pytest.mark.parametrize("relpath", sorted(raw.RDA_OBJECTS))
def test_cached_table_equals_a_fresh_parse(relpath):
    """The cache gives back the parsed table exactly: values, missing values, column order, dtypes."""
    if not paths.raw_cache(relpath).is_file():
        pytest.skip("no cache yet (make all builds it)")
    cached = raw._read_rda(relpath, None, None)
    parsed = raw._parse_rda(raw._path(relpath, None, None), raw.RDA_OBJECTS[relpath])
    assert_frame_equal(cached, parsed, check_exact=True)
    with np.load(paths.raw_cache(relpath), allow_pickle=False) as z:  # plain arrays only, no pickles
        assert all(z[k].dtype != object for k in z.files)


@pytest.fixture
def cache_copy(tmp_path, monkeypatch):
    """A copy of the IGO-year cache that the readers use instead of data/cache."""
    src = paths.raw_cache(raw.IGO_YEAR)
    if not src.is_file():
        pytest.skip("no cache yet (make all builds it)")
    dest = tmp_path / src.name
    shutil.copy2(src, dest)
    monkeypatch.setattr(paths, "raw_cache", lambda relpath: dest)
    return dest


def test_damaged_cache_is_refused_with_the_fix(cache_copy):
    """A cache whose arrays changed after it was written is an error that says to delete it and rebuild."""
    with zipfile.ZipFile(cache_copy) as z:
        members = {n: z.read(n) for n in z.namelist()}
    name = next(n for n in members if n.startswith("block"))
    blob = bytearray(members[name])
    blob[-1] ^= 0x01
    members[name] = bytes(blob)
    with zipfile.ZipFile(cache_copy, "w") as z:
        for n, b in members.items():
            z.writestr(n, b)
    with pytest.raises(ValueError, match="does not match its own checksum.*delete"):
        raw.read_igo_year()


def test_cache_of_another_file_version_is_not_used(cache_copy, monkeypatch):
    """A cache recorded for another sha256 is ignored: the reader parses the raw file instead."""
    with np.load(cache_copy, allow_pickle=False) as z:
        arrays = {k: z[k] for k in z.files}
    arrays["source_sha256"] = np.array("0" * 64)
    with open(cache_copy, "wb") as fh:
        np.savez(fh, **arrays)
    parsed = []
    monkeypatch.setattr(raw, "_parse_rda", lambda path, name: parsed.append(name) or pd.DataFrame())
    with pytest.raises(ValueError, match="lacks the column"):
        raw.read_igo_year()
    assert parsed == ["igo_year_format3"]


def test_cache_folder_is_ignored_by_git_and_cleaned():
    """The parsed tables are build products: git ignores them and `make clean` removes them."""
    if not (paths.ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    rel = [str(paths.raw_cache(r).relative_to(paths.ROOT)) for r in raw.RDA_OBJECTS]
    ignored = subprocess.run(["git", "check-ignore", "--no-index", *rel], cwd=paths.ROOT, capture_output=True,
                             text=True).stdout.split()
    assert sorted(ignored) == sorted(rel)
    dry_run = subprocess.run(["make", "-n", "clean"], cwd=paths.ROOT, capture_output=True, text=True).stdout
    assert str(paths.RAW_CACHE.relative_to(paths.ROOT)) in dry_run
