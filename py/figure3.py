"""Figure 3: vote differences D*_w and D*_l against ex-ante inequality at a fixed gamma.

Drawn under both calibrations: (a) the equations as printed, (b) `reported`, the one
that reproduces the paper's Proposition 3 example.
"""

import pandas as pd

from backlash import model, paths, plots
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="model", report="@fig-realignment", article="Figure 3",
            writes=(paths.FIGURE3_SERIES, *paths.figures("figure3")))

TITLES = {"equations": "(a) the equations as printed", "reported": "(b) the reported calibration"}

with step(*STEP.writes):
    curves = {cal: model_exhibits.realignment_curves(model_exhibits.FIGURE3_PARAMS, calibration=cal) for cal in model.CALIBRATIONS}
    write_csv(pd.concat([c.assign(calibration=cal) for cal, c in curves.items()], ignore_index=True)
              [["calibration", *curves["equations"].columns]], paths.FIGURE3_SERIES)
    fig, axes = plots.new_figure(1, 2, height=3.2, sharey=True)
    for ax, (cal, c) in zip(axes, curves.items()):
        plots.plot_vote_differences(ax, c, model_exhibits.REGIME_NAMES)
        ax.set_title(TITLES[cal], loc="left")
    axes[1].set_ylabel("")
    plots.save_figure(fig, *paths.figures("figure3"))
