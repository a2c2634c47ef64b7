"""Figure 1(a) under every democracy measure: what of the figure depends on how democracy is measured."""

import matplotlib.pyplot as plt
import pandas as pd

from backlash import democracy, paths, plots, robustness
from backlash.exhibits import empirics
from backlash._io import step, write_csv
from backlash.pipeline import Step

STEP = Step(group="descriptives", report="@fig-withdrawals-measures",
            reads=(paths.WITHDRAWALS, paths.DEMOCRACY_MEASURES, paths.IGO_PANEL),
            writes=(paths.FIGURE1_MEASURES_SERIES, paths.figure("figure1_measures", "pdf"), paths.figure("figure1_measures", "png")))

with step(*STEP.writes):
    series = robustness.measure_series(pd.read_csv(paths.WITHDRAWALS), pd.read_csv(paths.DEMOCRACY_MEASURES),
                                       pd.read_csv(paths.IGO_PANEL))
    write_csv(series, paths.FIGURE1_MEASURES_SERIES)
    plots.apply_style()
    fig, axes = plt.subplots(1, 4, figsize=(7.6, 2.4), sharex=True, sharey=True, layout="constrained")
    for ax, (key, m) in zip(axes, democracy.MEASURES.items()):
        plots.plot_smoothed_rates(ax, series[series["measure"] == key], empirics.SMOOTHING_YEARS,
                                  f"{m.name}: {m.rule()}")
    plots.add_regime_key(fig, "withdrawals per state\nand IGO (%)")
    plots.save_figure(fig, paths.figure("figure1_measures", "pdf"), paths.figure("figure1_measures", "png"))
