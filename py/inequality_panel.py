"""Beyond the paper: the SWIID's Ginis on every COW member-year 1960-2014, through the committed crosswalk, and their coverage."""

import pandas as pd

from backlash import inequality, paths, raw
from backlash._io import step, write_csv, write_json
from backlash.declaration import Step

STEP = Step(group="inputs", report="coverage numbers in @sec-inequality", raw=(paths.SWIID, paths.STATES),
            reads=(paths.SWIID_CROSSWALK,), writes=(paths.INEQUALITY_PANEL, paths.INEQUALITY_COVERAGE))

with step(*STEP.writes):
    states = raw.read_states()
    crosswalk = inequality.tidy_crosswalk(pd.read_csv(paths.SWIID_CROSSWALK, dtype=str, keep_default_na=False))
    panel, rows = inequality.inequality_panel(raw.read_swiid(), crosswalk, states)
    write_csv(panel, paths.INEQUALITY_PANEL)
    write_json(inequality.coverage(panel, rows, crosswalk, states), paths.INEQUALITY_COVERAGE)
