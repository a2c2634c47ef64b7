"""Beyond the paper: the market-income Gini's slopes by regime under every other withdrawal rule and democracy measure."""

import pandas as pd

from backlash import choices, mechanism, paths
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="inequality_grid", report="@tbl-inequality-grid",
            reads=(paths.CHOICES, paths.STATE_YEAR_PANEL, paths.INEQUALITY_PANEL, paths.WITHDRAWAL_CANDIDATES,
                   paths.DEMOCRACY_MEASURES),
            writes=(paths.INEQUALITY_ROBUSTNESS,))

with step(*STEP.writes):
    chosen = choices.load()
    table = mechanism.robustness_models(pd.read_csv(paths.STATE_YEAR_PANEL), pd.read_csv(paths.INEQUALITY_PANEL),
                                        pd.read_csv(paths.WITHDRAWAL_CANDIDATES),
                                        pd.read_csv(paths.DEMOCRACY_MEASURES), rule=chosen.withdrawal_rule,
                                        measure=chosen.democracy)
    write_csv(table, paths.INEQUALITY_ROBUSTNESS)
