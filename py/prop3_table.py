"""The Prop. 3 example: every printed number beside its value under both calibrations."""

from backlash import paths
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_csv

with step(paths.PROP3_TABLE):
    write_csv(model_exhibits.prop3_table(), paths.PROP3_TABLE)
