"""Beyond the paper: how the exit thresholds fall with the reputational cost c (appendix extension)."""

import matplotlib.pyplot as plt

from backlash import paths, plots
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.pipeline import Step

STEP = Step(group="model", report="@fig-reputation",
            writes=(paths.REPUTATION_SERIES, paths.figure("reputational_cost", "pdf"), paths.figure("reputational_cost", "png")))

with step(*STEP.writes):
    curves = model_exhibits.reputation_curves(model_exhibits.FIGURE2_PARAMS)
    write_csv(curves, paths.REPUTATION_SERIES)
    plots.apply_style()
    fig, ax = plt.subplots(figsize=(5.0, 3.2), layout="constrained")
    plots.plot_reputation(ax, curves)
    plots.save_figure(fig, paths.figure("reputational_cost", "pdf"), paths.figure("reputational_cost", "png"))
