"""Democracy measures: every COW member-year scored by Polity5, BMR, V-Dem and LIED, with coverage."""

from backlash import data, democracy, paths, raw
from backlash._io import step, write_csv, write_json

with step(paths.DEMOCRACY_MEASURES, paths.DEMOCRACY_COVERAGE):
    polity_regime, polity_counts = data.regime_panel(raw.read_polity(), data.system_membership(raw.read_states()))
    panel, coverage = democracy.measures_panel(polity_regime, raw.read_bmr(), raw.read_vdem(), raw.read_lied())
    coverage["polity"].update(polity_counts)
    write_csv(panel, paths.DEMOCRACY_MEASURES)
    write_json(coverage, paths.DEMOCRACY_COVERAGE)
