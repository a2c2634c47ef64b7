"""Beyond the paper: the market-income Gini's slopes by regime under every other withdrawal rule and democracy measure.

The chosen rule comes from make (an argument); the chosen measure is read from regime_coverage.json.
"""

import json
import sys

import pandas as pd

from backlash import mechanism, paths
from backlash._io import step, write_csv
from backlash.pipeline import Step

STEP = Step(group="inequality_grid", report="@tbl-inequality-grid", choices=("WITHDRAWAL_RULE",),
            reads=(paths.STATE_YEAR_PANEL, paths.INEQUALITY_PANEL, paths.REGIME_COVERAGE, paths.WITHDRAWAL_CANDIDATES,
                   paths.DEMOCRACY_MEASURES),
            writes=(paths.INEQUALITY_ROBUSTNESS,))

with step(*STEP.writes):
    measure = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))["measure"]
    table = mechanism.robustness_models(pd.read_csv(paths.STATE_YEAR_PANEL), pd.read_csv(paths.INEQUALITY_PANEL),
                                        pd.read_csv(paths.WITHDRAWAL_CANDIDATES),
                                        pd.read_csv(paths.DEMOCRACY_MEASURES), rule=sys.argv[1], measure=measure)
    write_csv(table, paths.INEQUALITY_ROBUSTNESS)
