"""Every empirical number quoted in the paper, as JSON (read by py/paper_inputs.py)."""

import json

import pandas as pd

from backlash import choices, data, paths, raw
from backlash.exhibits import empirics
from backlash._io import step, write_json
from backlash.declaration import Step

STEP = Step(group="report", report="numbers in @sec-empirics", article="the withdrawal counts quoted in the text",
            reads=(paths.CHOICES, paths.raw_cache(paths.IGO_YEAR), paths.WITHDRAWAL_CANDIDATES, paths.REGIME_PANEL,
                   paths.REGIME_COVERAGE, paths.WITHDRAWAL_SENSITIVITY, paths.FIGURE1_SERIES, paths.COUNT_MODEL,
                   paths.WITHDRAWALS),
            writes=(paths.EMPIRICS_NUMBERS,))

with step(*STEP.writes):
    igo_year = raw.read_igo_year()
    file_facts = {"n_igos": int(igo_year["ioname"].nunique()), "n_state_columns": len(data.state_columns(igo_year))}
    summary = empirics.empirics_summary(
        pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL),
        pd.read_csv(paths.WITHDRAWAL_SENSITIVITY), pd.read_csv(paths.FIGURE1_SERIES),
        pd.read_csv(paths.COUNT_MODEL), json.loads(paths.REGIME_COVERAGE.read_text()),
        empirics.who_1950_status(igo_year),
        figure_rule=choices.load().withdrawal_rule,
        file_facts=file_facts)
    write_json(summary.to_dict(), paths.EMPIRICS_NUMBERS)
