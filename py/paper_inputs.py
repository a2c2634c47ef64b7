"""Write the paper's generated inputs: paper/_variables.yml and the tables in paper/generated/.

Also records the computational environment (package versions read now, at build time).
"""

import importlib.metadata
import json
import os
import platform

import pandas as pd
import yaml

from backlash import paths, report
from backlash._io import step, write_text

TABLES = {name: paths.PAPER_GENERATED / f"{name}.md" for name in ("tbl-prop3", "tbl-sensitivity", "tbl-rules",
                                                                  "tbl-count")}
PACKAGES = ("numpy", "scipy", "pandas", "matplotlib", "statsmodels", "pyreadr", "pypandoc-binary", "typst")

with step(paths.PAPER_VARIABLES, *TABLES.values()):
    model = json.loads(paths.MODEL_NUMBERS.read_text())
    empirics = json.loads(paths.EMPIRICS_NUMBERS.read_text())
    env = {"python": platform.python_version(), "platform": f"{platform.system()} {platform.machine()}",
           "cores": str(os.cpu_count()), **{p.replace("-", "_"): importlib.metadata.version(p) for p in PACKAGES}}
    variables = {"model": report.model_variables(model), "data": report.data_variables(empirics), "env": env}
    write_text(yaml.safe_dump(variables, sort_keys=True, allow_unicode=True), paths.PAPER_VARIABLES)
    write_text(report.prop3_table_md(pd.read_csv(paths.PROP3_TABLE)), TABLES["tbl-prop3"])
    write_text(report.sensitivity_table_md(pd.read_csv(paths.WITHDRAWAL_SENSITIVITY), empirics["paper"]),
               TABLES["tbl-sensitivity"])
    write_text(report.rules_table_md(), TABLES["tbl-rules"])
    write_text(report.count_model_md(pd.read_csv(paths.COUNT_MODEL)), TABLES["tbl-count"])
