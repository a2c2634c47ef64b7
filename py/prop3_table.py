"""The Prop. 3 example: every printed number beside its value under both calibrations."""

from backlash import paths
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="model", report="@tbl-prop3", article="example in the proof of Prop. 3", writes=(paths.PROP3_TABLE,))

with step(*STEP.writes):
    write_csv(model_exhibits.prop3_table(), paths.PROP3_TABLE)
