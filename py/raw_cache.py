"""Parse one R data file once and cache its table (data/cache/<name>.npz, keyed by the file's sha256).

Usage: python py/raw_cache.py RELPATH   (RELPATH as in data/sources.toml, e.g. cow-igo-v3/igo_year_format3.rda)
"""

import sys

from backlash import paths, raw
from backlash._io import step

relpath = sys.argv[1]
with step(paths.raw_cache(relpath)):
    raw.write_cache(relpath)
