"""Every file location the project uses, in one place.

Scripts in ``py/`` and the command-line interface import their paths from here;
no other module spells out a directory.  The project root is the folder that
holds ``pyproject.toml``; set ``BACKLASH_ROOT`` to point the package at another
checkout (the paper tests do this to build in a temporary copy).
"""

from __future__ import annotations

import os
from pathlib import Path


def _find_root() -> Path:
    env = os.environ.get("BACKLASH_ROOT")
    if env:
        return Path(env).resolve()
    here = Path(__file__).resolve().parents[2]
    if (here / "pyproject.toml").exists():
        return here
    return Path.cwd().resolve()


ROOT = _find_root()

DATA = ROOT / "data"
RAW = DATA / "raw"
DERIVED = DATA / "derived"
SOURCES_MANIFEST = DATA / "sources.toml"
FIGURES = ROOT / "figures"
PAPER = ROOT / "paper"
PAPER_GENERATED = PAPER / "generated"
PAPER_QMD = PAPER / "paper.qmd"
#: The Quarto project is the repository root: its ``_quarto.yml`` and the generated
#: ``_variables.yml`` (Quarto reads variables only from the project directory) live there.
QUARTO_PROJECT = ROOT / "_quarto.yml"
PAPER_VARIABLES = ROOT / "_variables.yml"
#: Parsed copies of the R data files (``backlash.raw``), keyed by their sha256; git-ignored.
RAW_CACHE = DATA / "cache"

#: The analysis choices of the build (withdrawal rule, democracy measure, cut-off), written by
#: make and read through ``backlash.choices.load``; git-ignored, kept by ``make clean``.
CHOICES = ROOT / ".make" / "choices.toml"
#: The git commit the tree is at, as the report names it: recorded by make (Makefile, "The source's state").
SOURCE_STATE = ROOT / ".make" / "source-state"

#: Default local mirror of the raw inputs (``BACKLASH_DATA_MIRROR`` overrides it).
DEFAULT_MIRROR = ROOT.parent / "shared" / "data"


def data_mirror() -> Path | None:
    """Return the local mirror directory of raw inputs, or ``None`` if there is none.

    Returns
    -------
    Path or None
    """
    env = os.environ.get("BACKLASH_DATA_MIRROR")
    if env:
        return Path(env)
    return DEFAULT_MIRROR if DEFAULT_MIRROR.is_dir() else None


# Raw inputs, relative to data/raw (pinned in data/sources.toml; read only through backlash.raw) ----
IGO_YEAR = "cow-igo-v3/igo_year_format3.rda"
STATE_YEAR = "cow-igo-v3/state_year_format3.rda"
STATES = "cow-states/states2016.csv"
POLITY = "polity5/p5v2018.csv"
BMR = "democracy/bmr.rda"
VDEM = "democracy/vdem_simple.rda"
LIED = "democracy/LIED.rda"
#: The folder of the alternative democracy measures' files (a step's ``raw`` may name a folder).
DEMOCRACY_RAW = "democracy/"
#: The SWIID 9.92 summary (income inequality by country name and year; backlash.inequality).
SWIID = "inequality/swiid_summary.csv"

# Derived panels ---------------------------------------------------------------
REGIME_PANEL = DERIVED / "regime_panel.csv"
REGIME_COVERAGE = DERIVED / "regime_coverage.json"
#: Every member-year's score under each democracy measure, and their coverage (backlash.democracy).
DEMOCRACY_MEASURES = DERIVED / "democracy_measures.csv"
DEMOCRACY_COVERAGE = DERIVED / "democracy_coverage.json"
#: The count model under every democracy measure (backlash.robustness).
MEASURE_ROBUSTNESS = DERIVED / "measure_robustness.csv"
IGO_PANEL = DERIVED / "igo_panel.csv"
WITHDRAWAL_CANDIDATES = DERIVED / "withdrawal_candidates.csv"
WITHDRAWALS = DERIVED / "withdrawals.csv"
STATE_YEAR_PANEL = DERIVED / "state_year_panel.csv"
WITHDRAWAL_SENSITIVITY = DERIVED / "withdrawal_sensitivity.csv"
FIGURE1_SERIES = DERIVED / "figure1_series.csv"
#: Figure 1(a) under every withdrawal rule (backlash.robustness.rule_series).
FIGURE1_RULES_SERIES = DERIVED / "figure1_rules_series.csv"
#: Figure 1(a) under every democracy measure (backlash.robustness.measure_series).
FIGURE1_MEASURES_SERIES = DERIVED / "figure1_measures_series.csv"
COUNT_MODEL = DERIVED / "count_model.csv"
#: Democracies' rate per state and IGO in force and per membership, and the density ratio (exhibits.empirics).
REGIME_DECOMPOSITION = DERIVED / "regime_decomposition.csv"
EMPIRICS_NUMBERS = DERIVED / "empirics_numbers.json"
#: The data dictionary of data/derived/ (generated from backlash.dictionary and the files).
DATA_DICTIONARY = DERIVED / "README.md"
#: Every empirical claim of the paper judged under every withdrawal rule (backlash.claims).
VERDICTS = DERIVED / "verdicts.csv"

# Beyond the paper: does domestic inequality predict exit? (backlash.inequality) ----------
#: The committed crosswalk from SWIID country names to COW codes (data, with a reason per non-obvious match).
SWIID_CROSSWALK = DATA / "crosswalk" / "swiid_cow.csv"
INEQUALITY_PANEL = DERIVED / "inequality_panel.csv"
INEQUALITY_COVERAGE = DERIVED / "inequality_coverage.json"
#: The count model of exit on inequality by regime (backlash.mechanism), its figure's curves and its facts.
INEQUALITY_MODELS = DERIVED / "inequality_models.csv"
INEQUALITY_ROBUSTNESS = DERIVED / "inequality_robustness.csv"
INEQUALITY_CURVE = DERIVED / "inequality_curve.csv"
INEQUALITY_NUMBERS = DERIVED / "inequality_numbers.json"

# Model outputs ----------------------------------------------------------------
PROP3_TABLE = DERIVED / "prop3_table.csv"
FIGURE2_SERIES = DERIVED / "figure2_series.csv"
FIGURE3_SERIES = DERIVED / "figure3_series.csv"
PHASE_DIAGRAM = DERIVED / "phase_diagram.csv"
REPUTATION_SERIES = DERIVED / "reputational_cost.csv"
MODEL_NUMBERS = DERIVED / "model_numbers.json"

# Validation against documented withdrawals (issue 11) ------------------------
VALIDATION = DATA / "validation"
VALIDATION_SAMPLE = VALIDATION / "documented_exits.csv"
VALIDATION_RECALL = DERIVED / "validation_recall.csv"
VALIDATION_MISSES = DERIVED / "validation_misses.csv"

# The report's interactive explorer ---------------------------------------------
EXPLORER = PAPER / "explorer"
EXPLORER_PRESETS = PAPER_GENERATED / "explorer_presets.js"


def raw_cache(relpath: str) -> Path:
    """Cache file of the parsed raw input ``relpath`` (e.g. ``cow-igo-v3/igo_year_format3.rda``).

    Parameters
    ----------
    relpath : str
        The raw file's path under ``data/raw``.

    Returns
    -------
    Path
    """
    return RAW_CACHE / f"{Path(relpath).stem}.npz"


def derived(name: str) -> Path:
    """Path of the derived file ``name`` in data/derived/.

    Parameters
    ----------
    name : str
        File name, e.g. ``"figure2_series.csv"``.

    Returns
    -------
    Path
    """
    return DERIVED / name


def figure(name: str, ext: str) -> Path:
    """Path of figure ``name`` (e.g. ``"figure2"``) with extension ``ext`` (``"pdf"``/``"png"``).

    Parameters
    ----------
    name : str
        The figure's name (``figure2``).
    ext : str
        One of :data:`FIGURE_FORMATS`.

    Returns
    -------
    Path
    """
    return FIGURES / f"{name}.{ext}"


#: The formats every figure is written in (``backlash.plots.save_figure``), in order.
FIGURE_FORMATS = ("pdf", "png")


def figures(name: str) -> tuple[Path, ...]:
    """Every file of figure ``name``, one per format of :data:`FIGURE_FORMATS` (what its step writes).

    Parameters
    ----------
    name : str
        The figure's name (``figure2``).

    Returns
    -------
    tuple of Path
    """
    return tuple(figure(name, ext) for ext in FIGURE_FORMATS)
