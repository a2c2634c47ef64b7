"""IGO panel: the IGOs in force each year 1945-2014, in total, by issue area, imputed, and ending soon."""

from backlash import data, paths, raw, withdrawal
from backlash._io import step, write_csv
from backlash.declaration import Step

STEP = Step(group="inputs", reads=(paths.raw_cache(paths.IGO_YEAR),), writes=(paths.IGO_PANEL,))

with step(*STEP.writes):
    igo_year = raw.read_igo_year()
    write_csv(data.igos_in_force(data.igo_attributes(igo_year), data.imputed_igo_years(igo_year),
                                 ending_within=withdrawal.HORIZON), paths.IGO_PANEL)
