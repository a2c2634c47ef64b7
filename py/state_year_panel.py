"""State-year panel for the count model: withdrawals, full memberships in t-1, IGOs in force, regime."""

import pandas as pd

from backlash import countmodel, data, paths, raw
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="panels",
            reads=(paths.raw_cache(paths.IGO_YEAR), paths.raw_cache(paths.STATE_YEAR), paths.WITHDRAWALS,
                   paths.REGIME_PANEL, paths.IGO_PANEL),
            writes=(paths.STATE_YEAR_PANEL,))

with step(*STEP.writes):
    # Only the full memberships matter here (memberships at risk), a tenth of the long panel.
    panel = data.membership_panel(raw.read_igo_year(), data.state_codes(raw.read_state_year()), status=(1,))
    out = countmodel.state_year_panel(panel, pd.read_csv(paths.WITHDRAWALS), pd.read_csv(paths.REGIME_PANEL),
                                      pd.read_csv(paths.IGO_PANEL))
    write_csv(out, paths.STATE_YEAR_PANEL)
