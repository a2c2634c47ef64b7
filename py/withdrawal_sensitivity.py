"""Sensitivity table: withdrawal counts under every rule variant."""

import pandas as pd

from backlash import paths, withdrawal
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="panels", report="@tbl-sensitivity", article="the withdrawal counts quoted in the text",
            reads=(paths.WITHDRAWAL_CANDIDATES, paths.REGIME_PANEL),
            writes=(paths.WITHDRAWAL_SENSITIVITY,))

with step(*STEP.writes):
    table = withdrawal.sensitivity_table(pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL))
    write_csv(table, paths.WITHDRAWAL_SENSITIVITY)
