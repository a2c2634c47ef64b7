"""A worked example of the library, as a researcher would use it from a notebook or a script.

Run after `make all` (it reads the built withdrawals):

    .venv/bin/python examples/explore_model.py [OUTPUT_FOLDER]

1. the exit thresholds of both leaders on a grid of inequality, at the paper's footnote 9;
2. Figure 2 redrawn with another share of losers, saved as a PNG in OUTPUT_FOLDER;
3. the withdrawals of the chosen rule, counted by decade and regime type.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

import backlash
from backlash import model, paths, plots
from backlash.exhibits import model as model_exhibits

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples-output")
out.mkdir(parents=True, exist_ok=True)

# 1. Thresholds on a grid: exit_threshold broadcasts over NumPy arrays.
p = model_exhibits.FIGURE2_PARAMS
alpha_r = np.linspace(0.65, 0.95, 7)
gamma_l = model.exit_threshold(alpha_r, p.alpha_e, 0.0, p.lam, b=p.b, psi=p.psi)
gamma_h = model.exit_threshold(alpha_r, p.alpha_e, p.x_h, p.lam, b=p.b, psi=p.psi)
grid = pd.DataFrame({"alpha_r": alpha_r, "gamma_L": gamma_l, "gamma_H": gamma_h})
print(f"backlash {backlash.__version__}: exit thresholds at footnote 9's parameters")
print(grid.round(4).to_string(index=False))
assert (grid["gamma_L"] <= grid["gamma_H"]).all()  # Proposition 2

# 2. Figure 2 with 55% losers instead of 60%.
other = model.ModelParams(lam=0.55, alpha_r=None, alpha_e=p.alpha_e, x_h=p.x_h, gamma=None)
plots.apply_style()
fig, ax = plt.subplots(figsize=(6.0, 3.6), layout="constrained")
plots.plot_thresholds(ax, model_exhibits.threshold_curves(other))
ax.set_title(rf"Figure 2 with $\lambda = {other.lam:g}$", loc="left")
fig.savefig(out / "figure2_lambda_055.png")
plt.close(fig)
print(f"wrote {out / 'figure2_lambda_055.png'}")

# 3. The withdrawals of the chosen rule, by decade and regime type.
w = pd.read_csv(paths.WITHDRAWALS)
table = (w.assign(decade=w["year"] // 10 * 10, regime=w["democracy"].map({1: "democracy", 0: "nondemocracy"}))
         .pivot_table(index="decade", columns="regime", values="ioname", aggfunc="count", fill_value=0))
print(f"withdrawals under the `{w['rule'].iloc[0]}` rule, by decade")
print(table.to_string())
