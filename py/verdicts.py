"""The verdict table: every empirical claim of the paper judged under every withdrawal rule and measure.

The chosen rule comes from make (an argument: withdrawals.csv may have no rows); the chosen measure is
read from regime_coverage.json, which it shaped.
"""

import json
import sys

import pandas as pd

from backlash import claims, paths
from backlash._io import step, write_csv
from backlash.pipeline import Step

STEP = Step(group="claims", report="@tbl-verdicts, @tbl-verdicts-measures", choices=("WITHDRAWAL_RULE",),
            reads=(paths.WITHDRAWAL_CANDIDATES, paths.WITHDRAWALS, paths.REGIME_PANEL, paths.REGIME_COVERAGE,
                   paths.IGO_PANEL, paths.STATE_YEAR_PANEL, paths.DEMOCRACY_MEASURES),
            writes=(paths.VERDICTS,))

with step(*STEP.writes):
    candidates = pd.read_csv(paths.WITHDRAWAL_CANDIDATES)
    rule = sys.argv[1]  # the chosen withdrawal rule (make passes it; withdrawals.csv may have no rows)
    measure = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))["measure"]
    table = claims.verdict_table(candidates, pd.read_csv(paths.REGIME_PANEL), pd.read_csv(paths.IGO_PANEL),
                                 pd.read_csv(paths.STATE_YEAR_PANEL),
                                 who_1950_coded=claims.who_1950_coded(candidates), measure=measure,
                                 measures_panel=pd.read_csv(paths.DEMOCRACY_MEASURES), rule=rule)
    write_csv(table, paths.VERDICTS)
