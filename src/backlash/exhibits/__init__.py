"""The paper's exhibits as data: what each figure, table and quoted number shows.

Pure functions that take parameters or the derived panels and return pandas
objects or typed records; the scripts in ``py/`` write them to disk, and
:mod:`backlash.plots` draws them.

Modules
-------
model       the model's exhibits: Figures 2 and 3 (:func:`~backlash.exhibits.model.threshold_curves`,
            :func:`~backlash.exhibits.model.realignment_curves`), the phase diagram, the
            reputational-cost figure, the Prop. 3 table, the parameter sets (``FIGURE2_PARAMS``,
            ``PROP3_PARAMS``, ...) and every model number the report quotes
            (:func:`~backlash.exhibits.model.model_numbers`)
empirics    the empirical exhibits: Figure 1's series and its moving average, the paper's own
            counts to compare with, and every empirical number the report quotes
            (:func:`~backlash.exhibits.empirics.empirics_summary`)

The computations they show live elsewhere: the model in :mod:`backlash.model`, the
withdrawal definition and rules in :mod:`backlash.withdrawal`, the count model in
:mod:`backlash.countmodel`.
"""

from __future__ import annotations

import importlib

#: The exhibit modules, imported on first use (``backlash.exhibits.model``).
__all__ = ["model", "empirics"]


def __getattr__(name: str):
    if name not in __all__:
        raise AttributeError(f"module 'backlash.exhibits' has no attribute {name!r}")
    return importlib.import_module(f".{name}", __name__)  # the import system caches it as an attribute
