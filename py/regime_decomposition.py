"""Per state or per membership: democracies' withdrawal rate relative to nondemocracies' under every rule and measure.

The chosen rule comes from make (an argument); the chosen measure is read from regime_coverage.json.
"""

import json
import sys

import matplotlib.pyplot as plt
import pandas as pd

from backlash import claims, democracy, paths, plots, report
from backlash._io import step, write_csv, write_text
from backlash.exhibits import empirics
from backlash.pipeline import Step

STEP = Step(group="claims", report="@tbl-decomposition, @fig-decomposition", choices=("WITHDRAWAL_RULE",),
            reads=(paths.WITHDRAWAL_CANDIDATES, paths.REGIME_PANEL, paths.REGIME_COVERAGE, paths.STATE_YEAR_PANEL,
                   paths.DEMOCRACY_MEASURES),
            writes=(paths.REGIME_DECOMPOSITION, paths.PAPER_GENERATED / "tbl-decomposition.md",
                    paths.figure("decomposition", "pdf"), paths.figure("decomposition", "png")))

with step(*STEP.writes):
    rule = sys.argv[1]  # the chosen withdrawal rule (make passes it)
    measure = json.loads(paths.REGIME_COVERAGE.read_text(encoding="utf-8"))["measure"]
    variants = claims.variants(pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL),
                               pd.read_csv(paths.STATE_YEAR_PANEL), measure=measure,
                               measures_panel=pd.read_csv(paths.DEMOCRACY_MEASURES), rule=rule)
    table = empirics.regime_decomposition(variants)
    write_csv(table, paths.REGIME_DECOMPOSITION)
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    write_text(report.decomposition_table_md(table, rule, measure, names), STEP.writes[1])
    labels = report.variant_labels(table, rule, measure, names)
    plots.apply_style()
    periods = list(dict.fromkeys(table["period"]))
    fig, axes = plt.subplots(1, len(periods), figsize=(7.6, 3.9), sharex=True, sharey=True, layout="constrained")
    for ax, period in zip(axes, periods):
        part = table[table["period"] == period]
        plots.plot_decomposition(ax, part, [labels[k].replace("`", "") for k in zip(part["rule"], part["measure"])],
                                 period.replace("-", "–"))
    axes[len(axes) // 2].set_xlabel("democracies relative to nondemocracies (log scale)", fontsize=8)
    plots.decomposition_key(fig)
    plots.save_figure(fig, paths.figure("decomposition", "pdf"), paths.figure("decomposition", "png"))
