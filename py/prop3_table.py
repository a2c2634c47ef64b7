"""The Prop. 3 example: every printed number beside its value under both calibrations."""

from backlash import paths, theory
from backlash._io import step, write_csv

with step(paths.PROP3_TABLE):
    write_csv(theory.prop3_table(), paths.PROP3_TABLE)
