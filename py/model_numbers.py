"""Every model number quoted in the paper, as JSON (read by py/paper_inputs.py)."""

from backlash import paths
from backlash.exhibits import model as model_exhibits
from backlash._io import step, write_json
from backlash.declaration import Step

STEP = Step(group="model", report="numbers in @sec-model, @sec-theory",
            article="numbers in the text on the model (footnote 9, the proof of Prop. 3)", writes=(paths.MODEL_NUMBERS,))

with step(*STEP.writes):
    write_json(model_exhibits.model_numbers().to_dict(), paths.MODEL_NUMBERS)
