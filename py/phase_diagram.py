"""Beyond the paper: equilibrium regimes over (inequality, gamma), realignments marked.

Panel (a) uses Figure 3's parameters (by default the Prop. 3 example's), panel (b) Figure 2's (by default
footnote 9's); each title names the paper's set only when the panel uses it. Where only H exits, the shading
says how many voter groups switch candidate.
"""

import pandas as pd

from backlash import paths, plots
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="model", report="@fig-phase",
            writes=(paths.PHASE_DIAGRAM, *paths.figures("phase_diagram")))

with step(*STEP.writes):
    panels = {k: (p, model_exhibits.phase_panel_title(k, p), gmax)
              for k, (p, gmax) in model_exhibits.PHASE_PANELS.items()}
    grids = {k: model_exhibits.phase_grid(p, gamma_max=gmax) for k, (p, _, gmax) in panels.items()}
    write_csv(pd.concat([g.assign(panel=k) for k, g in grids.items()], ignore_index=True), paths.PHASE_DIAGRAM)
    fig, axes = plots.new_figure(1, 2, height=3.4)
    for ax, (k, (p, title, _)) in zip(axes, panels.items()):
        plots.plot_phase_diagram(ax, grids[k], model_exhibits.PHASES, model_exhibits.threshold_curves(p), gamma_line=p.gamma,
                                 legend=False)
        plots.set_title_fitted(ax, title, rf"$\lambda = {p.lam:g}$, $x_H = {p.x_h:g}$")  # values below if too long
    handles, labels = plots.phase_legend_handles(model_exhibits.PHASES)
    fig.legend(handles, labels, loc="outside lower center", ncols=3, frameon=False)
    plots.save_figure(fig, *paths.figures("phase_diagram"))
