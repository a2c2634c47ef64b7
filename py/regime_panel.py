"""Regime panel: polity2 and democracy (polity2 >= 7) for every COW system member-year, 1945-2014."""

from backlash import data, paths, raw
from backlash._io import step, write_csv, write_json

with step(paths.REGIME_PANEL, paths.REGIME_COVERAGE):
    panel, coverage = data.regime_panel(raw.read_polity(), data.system_membership(raw.read_states()))
    write_csv(panel, paths.REGIME_PANEL)
    write_json(coverage, paths.REGIME_COVERAGE)
