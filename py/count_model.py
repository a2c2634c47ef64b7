"""Does democracy predict exit? Poisson GLM per state and IGO in force and per membership, decade effects, clustered SEs."""

import pandas as pd

from backlash import countmodel, paths
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="regressions", report="@tbl-count", reads=(paths.STATE_YEAR_PANEL,), writes=(paths.COUNT_MODEL,))

with step(*STEP.writes):
    write_csv(countmodel.count_models(pd.read_csv(paths.STATE_YEAR_PANEL)), paths.COUNT_MODEL)
