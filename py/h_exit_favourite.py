"""Beyond the paper: where only H exits on the phase diagram's grid, how often L is favoured (pi > 1/2)."""

from backlash import formats, paths
from backlash._io import step, write_csv, write_text
from backlash.exhibits import model as model_exhibits
from backlash.declaration import Step

STEP = Step(group="model", report="@tbl-h-exit-favourite",
            writes=(paths.derived("h_exit_favourite.csv"), paths.PAPER_GENERATED / "tbl-h-exit-favourite.md"))

with step(*STEP.writes):
    table = model_exhibits.h_exit_favourite()
    write_csv(table, STEP.writes[0])
    write_text(formats.frame_table_md(table, {
        "panel": ("panel", str), "calibration": ("calibration", lambda c: f"`{c}`"),
        "n_only_h": ("points where only H exits", formats.n), "n_valid": ("with $\\pi$ in $[0,1]$", formats.n),
        "share_l_favoured": ("L favoured ($\\pi>\\tfrac12$)", formats.share),
        "pi_min": ("lowest $\\pi$", formats.f), "pi_max": ("highest $\\pi$", formats.f)}), STEP.writes[1])
