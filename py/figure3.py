"""Figure 3: vote differences D*_w and D*_l against ex-ante inequality at a fixed gamma."""

import matplotlib.pyplot as plt

from backlash import paths, plots, theory
from backlash._io import step, write_csv

with step(paths.FIGURE3_SERIES, paths.figure("figure3", "pdf"), paths.figure("figure3", "png")):
    curves = theory.realignment_curves(theory.FIGURE3_PARAMS)
    write_csv(curves, paths.FIGURE3_SERIES)
    plots.apply_style()
    fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
    plots.plot_vote_differences(ax, curves, theory.REGIME_NAMES)
    plots.save_figure(fig, paths.figure("figure3", "pdf"), paths.figure("figure3", "png"))
