"""Figure 1(a) under every democracy measure: what of the figure depends on how democracy is measured."""

import pandas as pd

from backlash import democracy, paths, plots, robustness
from backlash.declaration import Step
from backlash.exhibits import empirics
from backlash._io import step, write_csv

STEP = Step(group="descriptives", report="@fig-withdrawals-measures",
            reads=(paths.WITHDRAWALS, paths.DEMOCRACY_MEASURES, paths.IGO_PANEL),
            writes=(paths.FIGURE1_MEASURES_SERIES, *paths.figures("figure1_measures")))

with step(*STEP.writes):
    series = robustness.measure_series(pd.read_csv(paths.WITHDRAWALS), pd.read_csv(paths.DEMOCRACY_MEASURES),
                                       pd.read_csv(paths.IGO_PANEL))
    write_csv(series, paths.FIGURE1_MEASURES_SERIES)
    panels = {f"{m.name}\n({m.rule()})": series[series["measure"] == key] for key, m in democracy.MEASURES.items()}
    fig = plots.small_multiples(panels, empirics.SMOOTHING_YEARS, empirics.RATE_LABEL)
    plots.save_figure(fig, *paths.figures("figure1_measures"))
