"""Regime panel: democracy under the chosen measure and cut-off for every COW system member-year, 1945-2014."""

import json

import pandas as pd

from backlash import choices, democracy, paths
from backlash._io import step, write_csv, write_json
from backlash.declaration import Step

STEP = Step(group="panels", reads=(paths.CHOICES, paths.DEMOCRACY_MEASURES, paths.DEMOCRACY_COVERAGE),
            writes=(paths.REGIME_PANEL, paths.REGIME_COVERAGE))

with step(*STEP.writes):
    chosen = choices.load()
    measure, threshold = chosen.democracy, chosen.democracy_threshold
    regime = democracy.apply_measure(pd.read_csv(paths.DEMOCRACY_MEASURES), measure, threshold=threshold)
    coverage = json.loads(paths.DEMOCRACY_COVERAGE.read_text(encoding="utf-8"))
    write_csv(regime, paths.REGIME_PANEL)
    write_json(democracy.regime_coverage(regime, coverage, measure, threshold=threshold), paths.REGIME_COVERAGE)
