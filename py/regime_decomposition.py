"""Per state or per membership: democracies' withdrawal rate relative to nondemocracies' under every rule and measure."""

import pandas as pd

from backlash import choices, claims, democracy, formats, paths, plots, report
from backlash._io import step, write_csv, write_text
from backlash.declaration import Step
from backlash.exhibits import empirics

STEP = Step(group="claims", report="@tbl-decomposition, @fig-decomposition",
            reads=(paths.CHOICES, paths.WITHDRAWAL_CANDIDATES, paths.REGIME_PANEL, paths.STATE_YEAR_PANEL,
                   paths.DEMOCRACY_MEASURES),
            writes=(paths.REGIME_DECOMPOSITION, paths.PAPER_GENERATED / "tbl-decomposition.md",
                    *paths.figures("decomposition")))

with step(*STEP.writes):
    chosen = choices.load()
    rule, measure = chosen.withdrawal_rule, chosen.democracy
    variants = claims.variants(pd.read_csv(paths.WITHDRAWAL_CANDIDATES), pd.read_csv(paths.REGIME_PANEL),
                               pd.read_csv(paths.STATE_YEAR_PANEL), measure=measure,
                               measures_panel=pd.read_csv(paths.DEMOCRACY_MEASURES), rule=rule)
    table = empirics.regime_decomposition(variants)
    write_csv(table, paths.REGIME_DECOMPOSITION)
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    write_text(report.decomposition_table_md(table, rule, measure, names), STEP.writes[1])
    labels = report.variant_labels(table, rule, measure, names, figure=True)
    periods = list(dict.fromkeys(table["period"]))
    fig, axes = plots.new_figure(1, len(periods), height=4.8, sharex=True, sharey=True, squeeze=False)
    axes = axes[0]
    for ax, period in zip(axes, periods):
        part = table[table["period"] == period]
        plots.plot_decomposition(ax, part, [labels[k] for k in zip(part["rule"], part["measure"])],
                                 formats.period_text(period), blocks=report.variant_blocks(part, rule, measure, names))
    axes[len(axes) // 2].set_xlabel("democracies relative to nondemocracies (log scale)")
    plots.decomposition_key(fig)
    plots.save_figure(fig, *paths.figures("decomposition"))
