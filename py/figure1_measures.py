"""Figure 1(a) under every democracy measure: what of the figure depends on how democracy is measured.

The measure of this build is drawn at this build's cut-off, the others at their defaults
(:func:`backlash.robustness.every_measure`, the rule of the tables across measures); each panel
is titled with the cut-off it was drawn at.
"""

import json

import pandas as pd

from backlash import paths, plots, robustness
from backlash.declaration import Step
from backlash.exhibits import empirics
from backlash._io import step, write_csv

STEP = Step(group="descriptives", report="@fig-withdrawals-measures",
            reads=(paths.WITHDRAWALS, paths.DEMOCRACY_MEASURES, paths.IGO_PANEL, paths.REGIME_PANEL,
                   paths.REGIME_COVERAGE),
            writes=(paths.FIGURE1_MEASURES_SERIES, *paths.figures("figure1_measures")))

with step(*STEP.writes):
    chosen = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))
    series = robustness.measure_series(pd.read_csv(paths.WITHDRAWALS), pd.read_csv(paths.DEMOCRACY_MEASURES),
                                       pd.read_csv(paths.IGO_PANEL), regime=pd.read_csv(paths.REGIME_PANEL),
                                       measure=chosen["measure"], cutoff=chosen["rule"])
    write_csv(series, paths.FIGURE1_MEASURES_SERIES)
    fig = plots.small_multiples(robustness.measure_panels(series), empirics.SMOOTHING_YEARS, empirics.RATE_LABEL)
    plots.save_figure(fig, *paths.figures("figure1_measures"))
