"""The verdict table: every empirical claim of the paper judged under every withdrawal rule."""

import pandas as pd

from backlash import claims, paths
from backlash._io import step, write_csv

with step(paths.VERDICTS):
    candidates = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    table = claims.verdict_table(candidates, pd.read_csv(paths.REGIME_PANEL), pd.read_csv(paths.IGO_PANEL),
                                 pd.read_csv(paths.STATE_YEAR_PANEL),
                                 who_1950_coded=claims.who_1950_coded(candidates))
    write_csv(table, paths.VERDICTS)
