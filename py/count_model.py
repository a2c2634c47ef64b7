"""Does democracy predict exit? Poisson GLM with membership exposure, decade effects, clustered SEs."""

import pandas as pd

from backlash import countmodel, paths
from backlash._io import step, write_csv

with step(paths.COUNT_MODEL):
    write_csv(countmodel.count_model(pd.read_csv(paths.STATE_YEAR_PANEL)), paths.COUNT_MODEL)
