"""Beyond the paper: the predicted withdrawal rate against market inequality, democracies and nondemocracies, with 95% bands."""

import pandas as pd

from backlash import countmodel, mechanism, paths, plots
from backlash._io import step
from backlash.declaration import Step

STEP = Step(group="inequality", report="@fig-inequality", reads=(paths.INEQUALITY_CURVE,),
            writes=paths.figures("inequality"))

with step(*STEP.writes):
    curve = pd.read_csv(paths.INEQUALITY_CURVE)
    fig, axes = plots.new_figure(1, 2, height=3.4)
    for ax, (letter, key) in zip(axes, (("a", countmodel.PAPER_EXPOSURE), ("b", "memberships"))):
        exposure = countmodel.get_exposure(key)
        plots.plot_inequality_curve(ax, curve[curve["exposure"] == key], "gini_mkt",
                                    rf"market-income Gini in $t-{mechanism.LAG}$ (SWIID)", "predicted withdrawal rate (%)")
        ax.set_title(f"({letter}) withdrawals {exposure.rate}", loc="left")
    handles, labels = axes[0].get_legend_handles_labels()
    order = [0, 2, 1, 3]  # each regime's line beside its band
    fig.legend([handles[i] for i in order], [labels[i] for i in order], loc="outside lower center", ncols=2,
               frameon=False)
    plots.save_figure(fig, *paths.figures("inequality"))
