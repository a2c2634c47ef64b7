"""Validation: recall and timing of every withdrawal rule on the documented withdrawals.

Reads data/validation/documented_exits.csv and the candidate transitions built by
py/withdrawals.py; writes data/derived/validation_recall.csv (one row per rule) and
data/derived/validation_misses.csv (every case a rule does not find within a year, with
the reason).  Usage, after `make all`: .venv/bin/python py/validation.py
"""

import pandas as pd

from backlash import data, paths, raw, validation, withdrawal
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="descriptives", report="@tbl-validation, @tbl-misses", raw=(paths.STATES,),
            reads=(paths.VALIDATION_SAMPLE, paths.raw_cache(paths.IGO_YEAR), paths.raw_cache(paths.STATE_YEAR),
                   paths.WITHDRAWAL_CANDIDATES),
            writes=(paths.VALIDATION_RECALL, paths.VALIDATION_MISSES))

with step(*STEP.writes):
    igo_year = raw.read_igo_year()
    attrs = data.igo_attributes(igo_year)
    states = raw.read_states()
    sample = validation.check_sample(pd.read_csv(paths.VALIDATION_SAMPLE, dtype=str, keep_default_na=False),
                                     states["ccode"], attrs.set_index("ioname")["issue_area"])
    recall, misses = validation.validate(
        sample, pd.read_csv(paths.WITHDRAWAL_CANDIDATES),
        # the membership codes are needed only for the sample's organizations (a small part of the panel)
        data.membership_panel(igo_year[igo_year["ioname"].isin(sample["cow_ioname"])].reset_index(drop=True),
                              data.state_codes(raw.read_state_year())), attrs,
        data.system_membership(states, last=data.LAST_YEAR + withdrawal.HORIZON))
    write_csv(recall, paths.VALIDATION_RECALL)
    write_csv(misses, paths.VALIDATION_MISSES)
