"""Figure 1(a) under every withdrawal rule: what of the figure depends on what counts as a withdrawal."""

import matplotlib.pyplot as plt
import pandas as pd

from backlash import paths, plots, robustness, withdrawal
from backlash.exhibits import empirics
from backlash._io import step, write_csv
from backlash.pipeline import Step

STEP = Step(group="descriptives", report="@fig-withdrawals-rules",
            reads=(paths.WITHDRAWAL_CANDIDATES, paths.REGIME_PANEL, paths.IGO_PANEL),
            writes=(paths.FIGURE1_RULES_SERIES, paths.figure("figure1_rules", "pdf"), paths.figure("figure1_rules", "png")))

with step(*STEP.writes):
    series = robustness.rule_series(pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL),
                                    pd.read_csv(paths.IGO_PANEL))
    write_csv(series, paths.FIGURE1_RULES_SERIES)
    plots.apply_style()
    fig, axes = plt.subplots(2, 5, figsize=(7.6, 3.6), sharex=True, sharey=True, layout="constrained")
    for number, (ax, rule) in enumerate(zip(axes.ravel(), withdrawal.RULES), start=1):
        plots.plot_smoothed_rates(ax, series[series["rule"] == rule], empirics.SMOOTHING_YEARS, f"{number} {rule}")
    plots.add_regime_key(fig, "withdrawals per state and IGO (%)")
    plots.save_figure(fig, paths.figure("figure1_rules", "pdf"), paths.figure("figure1_rules", "png"))
