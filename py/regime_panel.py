"""Regime panel: democracy under the chosen measure for every COW system member-year, 1945-2014.

Usage: python py/regime_panel.py [MEASURE [THRESHOLD]]   (default: polity, polity2 >= 7; see
backlash.democracy.MEASURES; an empty THRESHOLD keeps the measure's default cut-off)
"""

import json
import sys

import pandas as pd

from backlash import democracy, paths
from backlash._io import step, write_csv, write_json
from backlash.pipeline import Step

STEP = Step(group="panels", choices=("DEMOCRACY", "DEMOCRACY_THRESHOLD"),
            reads=(paths.DEMOCRACY_MEASURES, paths.DEMOCRACY_COVERAGE), writes=(paths.REGIME_PANEL, paths.REGIME_COVERAGE))

measure = sys.argv[1] if len(sys.argv) > 1 and sys.argv[1] else democracy.DEFAULT_MEASURE
threshold = float(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2] else None
with step(*STEP.writes):
    regime = democracy.apply_measure(pd.read_csv(paths.DEMOCRACY_MEASURES), measure, threshold=threshold)
    coverage = json.loads(paths.DEMOCRACY_COVERAGE.read_text(encoding="utf-8"))
    write_csv(regime, paths.REGIME_PANEL)
    write_json(democracy.regime_coverage(regime, coverage, measure, threshold=threshold), paths.REGIME_COVERAGE)
