"""Beyond the paper: does inequality predict exit? The count model of withdrawals on the SWIID's observables by regime, with its uncertainty drawn and pooled.

The chosen rule comes from make (an argument); the chosen measure is read from regime_coverage.json.
"""

import json
import sys

import pandas as pd

from backlash import mechanism, paths
from backlash._io import step, write_csv, write_json
from backlash.pipeline import Step

STEP = Step(group="inequality", report="@tbl-inequality, numbers in @sec-inequality", choices=("WITHDRAWAL_RULE",),
            reads=(paths.STATE_YEAR_PANEL, paths.INEQUALITY_PANEL, paths.REGIME_COVERAGE),
            writes=(paths.INEQUALITY_MODELS, paths.INEQUALITY_CURVE, paths.INEQUALITY_NUMBERS))

with step(*STEP.writes):
    measure = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))["measure"]
    result = mechanism.main_models(pd.read_csv(paths.STATE_YEAR_PANEL), pd.read_csv(paths.INEQUALITY_PANEL),
                                   rule=sys.argv[1], measure=measure)
    write_csv(result.models, paths.INEQUALITY_MODELS)
    write_csv(result.curve, paths.INEQUALITY_CURVE)
    write_json(result.numbers, paths.INEQUALITY_NUMBERS)
