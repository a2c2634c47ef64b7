"""Beyond the paper: how the exit thresholds fall with the reputational cost c (appendix extension)."""

from backlash import paths, plots
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="model", report="@fig-reputation",
            article="the appendix's extension (reputational cost; no exhibit there)",
            writes=(paths.REPUTATION_SERIES, *paths.figures("reputational_cost")))

with step(*STEP.writes):
    curves = model_exhibits.reputation_curves(model_exhibits.FIGURE2_PARAMS)
    write_csv(curves, paths.REPUTATION_SERIES)
    fig, ax = plots.new_figure(width=0.85 * plots.TEXT_WIDTH, height=3.3)  # printed at 85% of the text width
    plots.plot_reputation(ax, curves)
    plots.save_figure(fig, *paths.figures("reputational_cost"))
