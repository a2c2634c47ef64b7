"""Beyond the paper: does inequality predict exit? The count model of withdrawals on the SWIID's observables by regime, on the SWIID's point values, with draws of its uncertainty as sensitivities."""

import pandas as pd

from backlash import choices, mechanism, paths
from backlash._io import step, write_csv, write_json
from backlash.declaration import Step

STEP = Step(group="inequality", report="@tbl-inequality, numbers in @sec-inequality",
            reads=(paths.CHOICES, paths.STATE_YEAR_PANEL, paths.INEQUALITY_PANEL),
            writes=(paths.INEQUALITY_MODELS, paths.INEQUALITY_CURVE, paths.INEQUALITY_NUMBERS))

with step(*STEP.writes):
    chosen = choices.load()
    result = mechanism.main_models(pd.read_csv(paths.STATE_YEAR_PANEL), pd.read_csv(paths.INEQUALITY_PANEL),
                                   rule=chosen.withdrawal_rule, measure=chosen.democracy)
    write_csv(result.models, paths.INEQUALITY_MODELS)
    write_csv(result.curve, paths.INEQUALITY_CURVE)
    write_json(result.numbers, paths.INEQUALITY_NUMBERS)
