"""Withdrawals: every candidate exit with its flags, and the withdrawals under the chosen rule."""

import pandas as pd

from backlash import choices, data, paths, raw, withdrawal
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="panels", raw=(paths.STATES,),
            reads=(paths.CHOICES, paths.raw_cache(paths.IGO_YEAR), paths.raw_cache(paths.STATE_YEAR),
                   paths.REGIME_PANEL),
            writes=(paths.WITHDRAWAL_CANDIDATES, paths.WITHDRAWALS))

with step(*STEP.writes):
    rule = choices.load().withdrawal_rule
    igo_year = raw.read_igo_year()
    codes = data.state_codes(raw.read_state_year())
    system = data.system_membership(raw.read_states(), last=data.LAST_YEAR + withdrawal.HORIZON)
    candidates = withdrawal.candidate_transitions_wide(igo_year, codes, data.igo_attributes(igo_year), system,
                                                  data.imputed_igo_years(igo_year))
    regime = pd.read_csv(paths.REGIME_PANEL)
    write_csv(candidates, paths.WITHDRAWAL_CANDIDATES)
    write_csv(withdrawal.withdrawals(candidates, regime, rule).assign(rule=rule), paths.WITHDRAWALS)
