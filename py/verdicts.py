"""The verdict table: every empirical claim of the paper judged under every withdrawal rule and measure."""

import pandas as pd

from backlash import choices, claims, paths
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="claims", report="@tbl-verdicts, @tbl-verdicts-measures",
            article="the empirical claims in the text on Figure 1",
            reads=(paths.CHOICES, paths.WITHDRAWAL_CANDIDATES, paths.WITHDRAWALS, paths.REGIME_PANEL,
                   paths.IGO_PANEL, paths.STATE_YEAR_PANEL, paths.DEMOCRACY_MEASURES),
            writes=(paths.VERDICTS,))

with step(*STEP.writes):
    chosen = choices.load()
    candidates = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    table = claims.verdict_table(candidates, pd.read_csv(paths.REGIME_PANEL), pd.read_csv(paths.IGO_PANEL),
                                 pd.read_csv(paths.STATE_YEAR_PANEL),
                                 who_1950_coded=claims.who_1950_coded(candidates), measure=chosen.democracy,
                                 measures_panel=pd.read_csv(paths.DEMOCRACY_MEASURES), rule=chosen.withdrawal_rule)
    write_csv(table, paths.VERDICTS)
