"""Robustness to the democracy measure: the count model under every measure of backlash.democracy.MEASURES."""

import json

import pandas as pd

from backlash import paths, robustness
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="regressions", report="@tbl-measures",
            reads=(paths.STATE_YEAR_PANEL, paths.DEMOCRACY_MEASURES, paths.REGIME_COVERAGE),
            writes=(paths.MEASURE_ROBUSTNESS,))

with step(*STEP.writes):
    chosen = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))
    table = robustness.measure_count_models(pd.read_csv(paths.STATE_YEAR_PANEL),
                                            pd.read_csv(paths.DEMOCRACY_MEASURES), measure=chosen["measure"],
                                            cutoff=chosen["rule"])
    write_csv(table, paths.MEASURE_ROBUSTNESS)
