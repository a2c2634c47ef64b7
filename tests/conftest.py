"""Shared fixtures: the project root, a pytest-friendly view of paths, hypothesis profile."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "200")), deadline=None,
    derandomize=True, suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")


#: Test files that rebuild the project (or its environment) in a scratch copy: they run first, so that
#: with `make test`'s parallel workers (pytest-xdist, one file per worker at a time) the short files
#: fill the time around them instead of waiting behind them.
SCRATCH_BUILDS = ("test_extension.py", "test_setup.py")


def pytest_collection_modifyitems(session, config, items):
    """Put the tests of :data:`SCRATCH_BUILDS` first (in that order), the others in their usual order."""
    def rank(item) -> int:
        name = item.path.name
        return SCRATCH_BUILDS.index(name) if name in SCRATCH_BUILDS else len(SCRATCH_BUILDS)

    items.sort(key=rank)
