"""Does inequality predict exit? The library's inequality analysis, as a researcher would use it from a notebook.

Run after `make all` (it reads the built panels):

    .venv/bin/python examples/inequality_exit.py [OUTPUT_FOLDER]

1. the crosswalk at work: which COW state gets SWIID's Germany before and after unification;
2. the count model with another choice than the report's: the market-income Gini lagged two years;
3. the same model over draws of the SWIID's uncertainty, pooled by Rubin's rules, with its verdict in words;
4. the figure's curve for that model, drawn on an Axes and saved as a PNG in OUTPUT_FOLDER.
"""

import sys
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from backlash import mechanism, paths, plots

out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("examples-output")
out.mkdir(parents=True, exist_ok=True)

# 1. The SWIID on COW member-years: one row per state-year, through data/crosswalk/swiid_cow.csv.
panel = pd.read_csv(paths.INEQUALITY_PANEL)
germany = panel[panel["swiid_country"] == "Germany"].groupby("ccode")["year"].agg(["min", "max"])
print("SWIID's Germany by COW code (260 West Germany, 255 Germany):")
print(germany.to_string())

# 2. Withdrawals in t on the market-income Gini of t-2, by regime, per state and IGO in force.
state_year = pd.read_csv(paths.STATE_YEAR_PANEL)
frame = mechanism.analysis_frame(state_year, panel, "gini_mkt", lag=2)
pooled, point = mechanism.estimate(frame, "gini_mkt", exposure="igos_in_force")
rows = pd.DataFrame(mechanism.result_rows(pooled, point, "gini_mkt", draws=0))
print("\nRate ratios per 10 Gini points, market-income Gini of t-2 (one fit on the SWIID's values):")
print(rows[["quantity", "irr", "ci_low", "ci_high", "p_value", "n_obs"]].round(3).to_string(index=False))

# 3. Five draws of the SWIID's uncertainty (the report uses more), pooled by Rubin's rules.
draws = mechanism.draw_values(panel, n_draws=5, seed=1)
pooled, point = mechanism.estimate(frame, "gini_mkt", exposure="igos_in_force", draws=draws)
estimate = pd.DataFrame(mechanism.result_rows(pooled, point, "gini_mkt", draws=5)).set_index("quantity")
print("\n" + mechanism.mechanism_sentence(estimate, "gini_mkt", lag=2, exposure="igos_in_force"))

# 4. The predicted rates with their bands, drawn with the report's plot function.
plots.apply_style()
fig, ax = plt.subplots(figsize=(5.0, 3.4), layout="constrained")
plots.plot_inequality_curve(ax, mechanism.predicted_curve(pooled, point, frame, "gini_mkt"), "gini_mkt",
                            r"market-income Gini in $t-2$ (SWIID)", "predicted withdrawal rate (%)")
ax.legend(loc="upper left", fontsize=7)
fig.savefig(out / "inequality_lag2.png")
print(f"\nwrote {out / 'inequality_lag2.png'}")
