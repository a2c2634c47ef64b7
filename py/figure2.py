"""Figure 2: exit thresholds gamma_L and gamma_H against ex-ante inequality (footnote 9 parameters)."""

from backlash import paths, plots
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="model", report="@fig-thresholds", article="Figure 2",
            writes=(paths.FIGURE2_SERIES, *paths.figures("figure2")))

with step(*STEP.writes):
    curves = model_exhibits.threshold_curves(model_exhibits.FIGURE2_PARAMS)
    write_csv(curves, paths.FIGURE2_SERIES)
    fig, ax = plots.new_figure(width=0.85 * plots.TEXT_WIDTH, height=3.3)  # printed at 85% of the text width
    plots.plot_thresholds(ax, curves)
    plots.save_figure(fig, *paths.figures("figure2"))
