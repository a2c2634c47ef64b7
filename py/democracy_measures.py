"""Democracy measures: every COW member-year scored by each measure of backlash.democracy.MEASURES, with coverage."""

from backlash import data, democracy, paths, raw
from backlash._io import step, write_csv, write_json
from backlash.declaration import Step

STEP = Step(group="inputs", raw=(paths.POLITY, paths.STATES, paths.DEMOCRACY_RAW),
            writes=(paths.DEMOCRACY_MEASURES, paths.DEMOCRACY_COVERAGE))

with step(*STEP.writes):
    states = raw.read_states()
    polity_regime, polity_counts = data.regime_panel(raw.read_polity(), data.system_membership(states))
    names = states.drop_duplicates("ccode").set_index("ccode")["statenme"]
    polity_counts["transition_without_polity2_cases"] = data.spells(
        polity_regime, (polity_regime["polity"] == -88) & polity_regime["polity2"].isna(), names)
    tables = {k: raw.read_source(m.source) for k, m in democracy.MEASURES.items() if m.source is not None}
    panel, coverage = democracy.measures_panel(polity_regime, tables)
    coverage["polity"].update(polity_counts)
    write_csv(panel, paths.DEMOCRACY_MEASURES)
    write_json(coverage, paths.DEMOCRACY_COVERAGE)
