"""The explorer's parameter presets and figure grids, from backlash.exhibits.model, as a script for paper.html."""

from backlash import explorer, paths
from backlash._io import step, write_text
from backlash.declaration import Step

STEP = Step(group="model", report="@sec-explorer (HTML)", writes=(paths.EXPLORER_PRESETS,))

with step(*STEP.writes):
    write_text(explorer.presets_script(explorer.explorer_presets()), paths.EXPLORER_PRESETS)
