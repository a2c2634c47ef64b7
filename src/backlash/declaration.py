"""The declaration of a pipeline step: ``STEP = Step(...)`` at the top of each script in ``py/``.

This module is all a script needs to declare itself, and it needs nothing but the
standard library.  It is kept apart from the runner (:mod:`backlash.pipeline`, a
build tool that reads these declarations, writes the Make rules and runs the
steps), so that a change to the runner reruns no step: a script's rule depends on
the library modules it imports, and a script imports this module, not the runner.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Step:
    """One pipeline step, declared as ``STEP = Step(...)`` at the top of its script in ``py/``.

    Parameters
    ----------
    group : str
        The process the step runs in: Make runs each group's steps in one interpreter, in the
        order their reads require, and different groups in parallel.
    writes : tuple of Path
        Every file the step writes (atomically, through ``backlash._io``).
    reads : tuple of Path, optional
        Every project file it reads: other steps' outputs, tracked inputs such as
        ``data/validation/documented_exits.csv``, the parsed-table caches of the raw files, and
        ``paths.CHOICES`` when it reads an analysis choice (:func:`backlash.choices.load`).
        A folder stands for every other step's output in it.
    raw : tuple of str, optional
        Raw inputs it reads, relative to ``data/raw`` (as in ``data/sources.toml``); a folder
        (ending in ``/``) stands for every file of the manifest in it.
    report : str, optional
        Where the outputs appear in the report, as cross-references (``"@fig-thresholds"``) or
        words; empty for an intermediate file.
    article : str, optional
        The article's own exhibit or passage that the outputs reproduce ("Figure 2", "example in
        the proof of Prop. 3"); empty when they go beyond the article.

    Attributes
    ----------
    name, script, summary : str, Path, str
        Filled in by :func:`backlash.pipeline.load_steps`: the script's stem, its path and its
        docstring's first line.
    """

    group: str
    writes: tuple[Path, ...]
    reads: tuple[Path, ...] = ()
    raw: tuple[str, ...] = ()
    report: str = ""
    article: str = ""
    name: str = field(default="", compare=False)
    script: Path | None = field(default=None, compare=False)
    summary: str = field(default="", compare=False)

    def __post_init__(self) -> None:
        if not self.writes:
            raise ValueError("a step must write at least one file")
