"""Replication package for Melnick (2025), "Domestic Inequality, Heterogeneous
Redistribution, and the Globalization Backlash".

Modules (each is imported on first use, e.g. ``backlash.model``)
-------
model       the probabilistic-voting model (Lemma 1, Props. 1-3, the reputational-cost extension)
exhibits    the exhibits as data: ``exhibits.model`` (Figures 2 and 3, the Prop. 3 table, phase
            diagram, parameter sets, model numbers) and ``exhibits.empirics`` (Figure 1's series,
            the paper's comparison constants, empirical numbers)
data        ingest of COW IGO v3, COW state membership and Polity5 into tidy panels
withdrawal  the withdrawal definition (candidate transitions), the rules and the sensitivity table
countmodel  the state-year panel and the count model of exit on democracy
democracy   the democracy measures (Polity5, BMR, V-Dem, LIED), each declared once, and their cut-offs
claims      the paper's empirical claims, judged under every rule and measure
verdicts    the words a result allows (p-values, "more often", "holds")
robustness  results under every democracy measure and withdrawal rule
validation  documented withdrawals against COW's coding
plots       plot functions (each takes a matplotlib Axes) and the shared figure style
raw         the only readers of the raw files (after sha256 verification)
sources     the pinned manifest of raw inputs, fetching and sha256 verification
dictionary  the data dictionary of data/derived/
report      the report's numbers, sentences and tables, from the pipeline's outputs
formats     how numbers and tables are written (digits, minus signs, pipe tables)
render      the paper renderer (Quarto when installed, otherwise pandoc + typst)
paths       every file location of the project
declaration the declaration of a pipeline step (``STEP = Step(...)`` in each script)
choices     the analysis choices of a build (rule, measure, cut-off): their record and its accessor
smoothing   Figure 1's moving average, used by the exhibits, the verdicts and the plots
pipeline    the build tool: the generated Make rules and the runner of the steps
"""

from __future__ import annotations

import importlib

__version__ = "1.0.0"

#: The public modules, imported lazily so that ``import backlash`` stays cheap.
__all__ = ["model", "exhibits", "data", "withdrawal", "countmodel", "democracy", "claims", "verdicts",
           "robustness", "validation", "plots", "raw", "sources", "dictionary", "report", "formats", "render",
           "paths", "pipeline", "declaration", "choices", "smoothing"]


def __getattr__(name: str):
    if name in __all__:
        module = importlib.import_module(f".{name}", __name__)
        globals()[name] = module
        return module
    raise AttributeError(f"module 'backlash' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
