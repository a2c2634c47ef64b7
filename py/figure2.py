"""Figure 2: exit thresholds gamma_L and gamma_H against ex-ante inequality (footnote 9 parameters)."""

import matplotlib.pyplot as plt

from backlash import paths, plots
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.pipeline import Step

STEP = Step(group="model", report="@fig-thresholds",
            writes=(paths.FIGURE2_SERIES, paths.figure("figure2", "pdf"), paths.figure("figure2", "png")))

with step(*STEP.writes):
    curves = model_exhibits.threshold_curves(model_exhibits.FIGURE2_PARAMS)
    write_csv(curves, paths.FIGURE2_SERIES)
    plots.apply_style()
    fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    plots.plot_thresholds(ax, curves)
    plots.save_figure(fig, paths.figure("figure2", "pdf"), paths.figure("figure2", "png"))
