"""Parse the two R data files of COW IGO once and cache their tables (data/cache/<name>.npz, keyed by sha256)."""

from backlash import paths, raw
from backlash._io import step
from backlash.declaration import Step

STEP = Step(group="inputs", raw=(paths.IGO_YEAR, paths.STATE_YEAR),
            writes=(paths.raw_cache(paths.IGO_YEAR), paths.raw_cache(paths.STATE_YEAR)))

with step(*STEP.writes):
    for relpath in STEP.raw:
        raw.write_cache(relpath)
