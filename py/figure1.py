"""Figure 1: withdrawal rates by regime type (a) and by issue area (b), 1945-2014."""

import pandas as pd

from backlash import paths, plots
from backlash.exhibits import empirics
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="descriptives", report="@fig-withdrawals", article="Figure 1",
            reads=(paths.WITHDRAWALS, paths.REGIME_PANEL, paths.IGO_PANEL),
            writes=(paths.FIGURE1_SERIES, *paths.figures("figure1")))

with step(*STEP.writes):
    series = empirics.figure1_series(pd.read_csv(paths.WITHDRAWALS), pd.read_csv(paths.REGIME_PANEL),
                                  pd.read_csv(paths.IGO_PANEL))
    write_csv(series, paths.FIGURE1_SERIES)
    series.attrs["labels"] = {"rate_dem": "democracies", "rate_nondem": "nondemocracies",
                              "rate_economic": "economic", "rate_political": "political", "rate_social": "social"}
    fig, (ax_a, ax_b) = plots.new_figure(1, 2, height=3.5)
    plots.plot_rate_series(ax_a, series, {"rate_dem": "dem", "rate_nondem": "nondem"},
                           empirics.RATE_LABEL, smooth=empirics.SMOOTHING_YEARS)
    ax_a.set_title("(a) by regime type", loc="left")
    plots.plot_rate_series(ax_b, series, {"rate_economic": "economic", "rate_political": "political",
                                          "rate_social": "social"},
                           "withdrawals per IGO in force (%)", smooth=empirics.SMOOTHING_YEARS)
    ax_b.set_title("(b) by issue area of the IGO", loc="left")
    handles, labels = plots.rate_series_key(empirics.SMOOTHING_YEARS)
    fig.legend(handles, labels, loc="outside lower center", ncols=2, frameon=False)
    plots.save_figure(fig, *paths.figures("figure1"))
