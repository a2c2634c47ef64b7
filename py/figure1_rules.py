"""Figure 1(a) under every withdrawal rule: what of the figure depends on what counts as a withdrawal."""

import pandas as pd

from backlash import paths, plots, robustness, withdrawal
from backlash.declaration import Step
from backlash.exhibits import empirics
from backlash._io import step, write_csv

STEP = Step(group="descriptives", report="@fig-withdrawals-rules",
            reads=(paths.WITHDRAWAL_CANDIDATES, paths.REGIME_PANEL, paths.IGO_PANEL),
            writes=(paths.FIGURE1_RULES_SERIES, *paths.figures("figure1_rules")))

with step(*STEP.writes):
    series = robustness.rule_series(pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL),
                                    pd.read_csv(paths.IGO_PANEL))
    write_csv(series, paths.FIGURE1_RULES_SERIES)
    panels = {withdrawal.rule_title(rule): series[series["rule"] == rule] for rule in withdrawal.RULES}
    fig = plots.small_multiples(panels, empirics.SMOOTHING_YEARS, empirics.RATE_LABEL)
    plots.save_figure(fig, *paths.figures("figure1_rules"))
