"""Write the paper's generated inputs: _variables.yml (project root) and the tables in paper/generated/.

Also records the computational environment, read now, at build time: package versions, this
package's version and the git commit of the source tree.
"""

import importlib.metadata
import json
import os
import platform
import tomllib

import pandas as pd
import yaml

from backlash import choices, democracy, paths, report
from backlash.formats import unbroken_ranges, unbroken_ranges_in
from backlash._io import step, write_text
from backlash.declaration import Step

STEP = Step(group="report", report="every number, sentence and table of the report",
            reads=(paths.CHOICES, paths.MODEL_NUMBERS, paths.EMPIRICS_NUMBERS, paths.PROP3_TABLE,
                   paths.WITHDRAWAL_SENSITIVITY, paths.COUNT_MODEL, paths.VERDICTS, paths.VALIDATION_RECALL, paths.VALIDATION_MISSES,
                   paths.MEASURE_ROBUSTNESS, paths.DEMOCRACY_COVERAGE, paths.REGIME_DECOMPOSITION,
                   paths.SOURCES_MANIFEST,
                   paths.INEQUALITY_MODELS, paths.INEQUALITY_ROBUSTNESS, paths.INEQUALITY_COVERAGE,
                   paths.INEQUALITY_NUMBERS,
                   paths.ROOT / "requirements.lock", paths.SOURCE_STATE),
            writes=(paths.PAPER_VARIABLES, *(paths.PAPER_GENERATED / f"{name}.md" for name in (
                "tbl-prop3", "tbl-sensitivity", "tbl-rules", "tbl-count", "tbl-verdicts", "tbl-verdicts-measures",
                "tbl-validation", "tbl-misses", "tbl-measures", "tbl-provenance",
                "inequality-map", "tbl-inequality", "tbl-inequality-grid"))))

TABLES = {p.stem: p for p in STEP.writes if p.parent == paths.PAPER_GENERATED}


def source_commit() -> str:
    """The git commit the report is built from, as make recorded it in .make/source-state (the Makefile's
    "source's state": the commit, "with uncommitted changes" when tracked files differ from it, or
    ``BACKLASH_SOURCE_COMMIT`` for a build from an archive without git history)."""
    try:
        state = paths.SOURCE_STATE.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise FileNotFoundError(f"{paths.SOURCE_STATE.relative_to(paths.ROOT)} is missing: make records the "
                                "source's git commit there before any step runs; run `make all`") from None
    if not state:
        raise ValueError(f"{paths.SOURCE_STATE.relative_to(paths.ROOT)} is empty; run `make all` to record the "
                         "source's git commit again")
    return state


def write_table(markdown: str, path) -> None:
    """Write a generated table, its ranges of numbers kept on one line (:func:`backlash.formats.unbroken_ranges`)."""
    write_text(unbroken_ranges(markdown), path)


PACKAGES = ("numpy", "scipy", "pandas", "matplotlib", "statsmodels", "pyreadr", "pypandoc-binary", "typst")

with step(*STEP.writes):
    model = json.loads(paths.MODEL_NUMBERS.read_text())
    empirics = json.loads(paths.EMPIRICS_NUMBERS.read_text())
    env = {"python": platform.python_version(), "platform": f"{platform.system()} {platform.machine()}",
           "cores": str(os.cpu_count()),
           "package_version": importlib.metadata.version("backlash"), "commit": source_commit(), **{p.replace("-", "_"): importlib.metadata.version(p) for p in PACKAGES}}
    variables = {"model": report.model_variables(model), "data": report.data_variables(empirics), "env": env}
    variables["model"]["prop3_note"] = report.prop3_note(pd.read_csv(paths.PROP3_TABLE))
    verdicts = pd.read_csv(paths.VERDICTS)
    chosen = choices.load()
    rule, measure = chosen.withdrawal_rule, chosen.democracy
    variables["data"]["claims"] = report.verdict_variables(verdicts, rule, measure)
    variables["data"]["multiplicity"] = report.multiplicity_sentence(verdicts, measure)
    variables["data"]["measure_free_claims"] = report.measure_free_claims()
    variables["data"].update(report.validation_variables(pd.read_csv(paths.VALIDATION_RECALL),
                                                         pd.read_csv(paths.VALIDATION_MISSES), rule))
    names = {k: m.name for k, m in democracy.MEASURES.items()}
    coverage = json.loads(paths.DEMOCRACY_COVERAGE.read_text(encoding="utf-8"))
    variables["data"]["crosswalk_sentence"] = report.crosswalk_sentence(coverage, names)
    variables["data"]["decomp"] = report.decomposition_variables(pd.read_csv(paths.REGIME_DECOMPOSITION), rule,
                                                                 measure, names)
    variables["data"]["rules_caption"] = report.rules_caption()
    variables["data"]["rates"] = report.rate_variables()  # the rates in words, for the prose of paper.qmd
    # Beyond the paper: does inequality predict exit? (backlash.mechanism)
    inequality_models = pd.read_csv(paths.INEQUALITY_MODELS)
    inequality_robustness = pd.read_csv(paths.INEQUALITY_ROBUSTNESS)
    variables["data"]["inequality"] = report.inequality_variables(
        inequality_models, inequality_robustness, json.loads(paths.INEQUALITY_COVERAGE.read_text(encoding="utf-8")),
        json.loads(paths.INEQUALITY_NUMBERS.read_text(encoding="utf-8")))
    # Ranges of numbers ("1971–2014") are not broken at their en dash, in the text and in the tables.
    variables = unbroken_ranges_in(variables)
    write_text(yaml.safe_dump(variables, sort_keys=True, allow_unicode=True), paths.PAPER_VARIABLES)
    write_table(report.prop3_table_md(pd.read_csv(paths.PROP3_TABLE)), TABLES["tbl-prop3"])
    write_table(report.sensitivity_table_md(pd.read_csv(paths.WITHDRAWAL_SENSITIVITY), empirics["paper"]),
               TABLES["tbl-sensitivity"])
    write_table(report.rules_table_md(), TABLES["tbl-rules"])
    write_table(report.count_model_md(pd.read_csv(paths.COUNT_MODEL)), TABLES["tbl-count"])
    write_table(report.verdict_grid_md(verdicts, measure), TABLES["tbl-verdicts"])
    write_table(report.provenance_md(tomllib.loads(paths.SOURCES_MANIFEST.read_text(encoding="utf-8"))["source"]),
               TABLES["tbl-provenance"])
    write_table(report.verdict_measures_md(verdicts, rule, names), TABLES["tbl-verdicts-measures"])
    write_table(report.validation_table_md(pd.read_csv(paths.VALIDATION_RECALL)), TABLES["tbl-validation"])
    write_table(report.misses_md(pd.read_csv(paths.VALIDATION_MISSES), rule), TABLES["tbl-misses"])
    write_table(report.measure_table_md(pd.read_csv(paths.MEASURE_ROBUSTNESS), coverage, names),
               TABLES["tbl-measures"])
    write_table(report.inequality_map_md(), TABLES["inequality-map"])
    write_table(report.inequality_table_md(inequality_models), TABLES["tbl-inequality"])
    write_table(report.inequality_grid_md(inequality_models, inequality_robustness, names), TABLES["tbl-inequality-grid"])
