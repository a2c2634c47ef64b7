"""Shared fixtures: the project root, a pytest-friendly view of paths, hypothesis profile."""

from __future__ import annotations

import os
import signal

import _scratch
import pytest
from hypothesis import HealthCheck, settings

# A shell starts a background job (`make test &`, `nohup make test`) with SIGINT ignored, and a child
# inherits an ignored signal through exec. The tests that press Ctrl-C on a build (a signal to its
# process group) model a terminal, where SIGINT is not ignored: restore Python's handler here so that
# their children start with the default action, wherever the suite itself was started from.
if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
    signal.signal(signal.SIGINT, signal.default_int_handler)

settings.register_profile(
    "ci", max_examples=int(os.environ.get("HYPOTHESIS_MAX_EXAMPLES", "200")), deadline=None,
    derandomize=True, suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("ci")


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item) -> None:
    """Tell tests/_scratch.py whether this test may build in a copy of the project (before its fixtures run)."""
    _scratch.MARKED = item.get_closest_marker("scratch") is not None


@pytest.hookimpl(hookwrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Keep the stack of fixtures being set up, so that tests/_scratch.py can record which ones build copies."""
    _scratch.FIXTURES.append(fixturedef.argname)
    try:
        yield
    finally:
        _scratch.FIXTURES.pop()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_call(item) -> None:
    """Refuse an unmarked test that uses a copy a marked test built earlier (a shared fixture is built once, by
    whichever test needs it first, so without this the refusal would depend on the order of the tests)."""
    if not _scratch.MARKED:
        used = sorted(_scratch.BUILT_BY.intersection(item.fixturenames))
        if used:
            _scratch.require_scratch_mark(f"use a copy of the project built by the fixture {', '.join(used)}")
