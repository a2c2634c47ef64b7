"""Every model number quoted in the paper, as JSON (read by py/paper_inputs.py)."""

from backlash import paths, theory
from backlash._io import step, write_json

with step(paths.MODEL_NUMBERS):
    write_json(theory.model_numbers(), paths.MODEL_NUMBERS)
