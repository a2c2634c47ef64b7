r"""What the report's interactive explorer needs from the library: its presets and grids.

The explorer (``paper/explorer/explorer.js``) ports the model to JavaScript; the
parameter values it starts from and resets to, and the grids on which it redraws
Figures 2 and 3, are taken from here so that none of them is typed into the page.

Presets
-------
``footnote9``  the paper's footnote 9 (:math:`\lambda=0.6,\ \alpha_E=0.4,\ x_H=0.5,\
               b\Psi=1`, ``FOOTNOTE9_PARAMS``), the parameters of the article's Figure 2.
               Footnote 9 fixes no :math:`\alpha_R` or :math:`\gamma` (they are the
               figure's axes), so the point takes :math:`\alpha_R` and :math:`\gamma`
               from the Proposition 3 example.
``prop3``      the example in the proof of Proposition 3 (``PROP3_PARAMS``) at its
               first :math:`\alpha_R`.

Both are the paper's sets even when a build draws its figures with others (``FIGURE2_PARAMS``,
``FIGURE3_PARAMS``): the buttons return a reader to the paper's parameters, as the report says.

Parameters
----------
``parameters`` lists the explorer's sliders, one per parameter of
:data:`backlash.model.PARAMETERS` that declares a :class:`backlash.model.Slider`, with
its symbol, words, range, step and domain: the page builds its sliders, checks and
address from this list, so none of them is typed into the page either.  The explorer
has one electoral parameter, :math:`b\Psi` (b's slider folds in :math:`\Psi` and holds
it at 1), so the :math:`b` of Lemma 1's win probability equals :math:`b\Psi`.
"""

from __future__ import annotations

import inspect
import json

from .exhibits import model as model_exhibits
from .model import ELECTORAL_WEIGHT, PARAMETERS, ModelParams

__all__ = ["DEFAULT_PRESET", "explorer_parameters", "explorer_presets", "presets_script"]

#: The preset the explorer shows when the URL names no state.
DEFAULT_PRESET = "prop3"


def _default(func, name: str):
    return inspect.signature(func).parameters[name].default


def _sliders():
    return [p for p in PARAMETERS if p.slider is not None]


def _preset(label: str, p: ModelParams, alpha_r: float, gamma: float) -> dict:
    values = {}
    for q in _sliders():
        value = {"alpha_r": alpha_r, "gamma": gamma}.get(q.name, getattr(p, q.name))
        values[q.slider.key or q.name] = value * getattr(p, q.slider.times) if q.slider.times else value
    return {"label": label, **values, "calibration": "equations"}


def explorer_parameters() -> list[dict]:
    """The explorer's sliders, in order: key, symbol (as text and as mathematics), words, range and step, and
    the domain it checks.

    Returns
    -------
    list of dict
        One per parameter of :data:`backlash.model.PARAMETERS` with a slider.
    """
    out = []
    for q in _sliders():
        # A slider that folds another parameter in (bΨ: b times Ψ) sets the electoral weight itself.
        s, d = q.slider, (ELECTORAL_WEIGHT if q.slider.times else q.domain)
        times = next((t.symbol for t in PARAMETERS if t.name == s.times), "")
        out.append({"key": s.key or q.name, "text": s.text or q.text, "symbol": q.symbol + times,
                    "label": s.label or q.label,
                    "min": s.low, "max": s.high, "step": s.step, "lower": d.lower, "upper": d.upper,
                    "lower_open": d.lower_open, "upper_open": d.upper_open, "note": d.note})
    return out


def explorer_presets() -> dict:
    """The explorer's presets and figure grids, as plain JSON-ready data.

    Returns
    -------
    dict
        ``parameters`` (:func:`explorer_parameters`), ``presets`` (name -> parameter point
        with a ``label``), ``default`` (a preset name) and ``grid``: the ratio range and number of points of
        :func:`backlash.exhibits.model.threshold_curves` (Figure 2) and
        :func:`backlash.exhibits.model.realignment_curves` (Figure 3), and the offset that starts
        both curves just above :math:`\\max(1-\\lambda, \\alpha_E)`.
    """
    p3, fn9 = model_exhibits.PROP3_PARAMS, model_exhibits.FOOTNOTE9_PARAMS
    alpha_r = model_exhibits.PROP3_ALPHA_R[0]
    if p3.gamma is None:
        raise ValueError("exhibits.model.PROP3_PARAMS needs a gamma for the explorer's presets")
    grid = {
        "ratio_max": float(_default(model_exhibits.threshold_curves, "ratio_max")),
        "figure2_n": int(_default(model_exhibits.threshold_curves, "n")),
        "figure3_ratio_min": float(_default(model_exhibits.realignment_curves, "ratio_min")),
        "figure3_n": int(_default(model_exhibits.realignment_curves, "n")),
        "floor_offset": float(model_exhibits.RATIO_FLOOR_OFFSET),
    }
    if _default(model_exhibits.realignment_curves, "ratio_max") != grid["ratio_max"]:
        raise ValueError("Figures 2 and 3 must share ratio_max for the explorer's common axis")
    return {
        "presets": {
            "footnote9": _preset("footnote 9 (the article's Figure 2)", fn9, alpha_r, p3.gamma),
            "prop3": _preset("Proposition 3 example (the article's Figure 3)", p3, alpha_r, p3.gamma),
        },
        "default": DEFAULT_PRESET,
        "grid": grid,
        "parameters": explorer_parameters(),
    }


def presets_script(presets: dict) -> str:
    """``presets`` as a JavaScript file that defines ``BACKLASH_EXPLORER_PRESETS`` (browser and node).

    Parameters
    ----------
    presets : dict
        :func:`explorer_presets`.

    Returns
    -------
    str
        The script's text.
    """
    body = json.dumps(presets, indent=1, sort_keys=True, allow_nan=False)
    return ("/* Written by py/explorer_presets.py from src/backlash/exhibits/model.py and backlash.model.PARAMETERS; "
            "do not edit. */\n"
            f"var BACKLASH_EXPLORER_PRESETS = {body};\n"
            'if (typeof module !== "undefined" && module.exports) module.exports = BACKLASH_EXPLORER_PRESETS;\n')
