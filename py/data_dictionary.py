"""The data dictionary: data/derived/README.md, every derived file's columns checked against the data."""

import json

import pandas as pd

from backlash import dictionary, paths
from backlash._io import step, write_text
from backlash.declaration import Step

STEP = Step(group="report", report="data/derived/README.md (not in the report)", reads=(paths.DERIVED,),
            writes=(paths.DATA_DICTIONARY,))

with step(*STEP.writes):
    frames = {}
    for path in sorted(paths.DERIVED.glob("*.*")):
        name = path.name
        if name.startswith(".") or path.suffix not in (".csv", ".json"):
            continue
        if name.endswith(".json"):
            frames[name] = json.loads(path.read_text(encoding="utf-8"))
        else:
            frames[name] = pd.read_csv(path, keep_default_na=False, na_values=[""])
    write_text(dictionary.dictionary_markdown(frames), paths.DATA_DICTIONARY)
