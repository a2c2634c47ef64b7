"""The analysis choices of a build, recorded in one file and read through one accessor.

A build makes three analysis choices: the withdrawal rule, the democracy measure and that
measure's cut-off.  They are recorded in one small TOML file,
``.make/choices.toml`` (:data:`backlash.paths.CHOICES`)::

    withdrawal_rule = "no_imputed"
    democracy = "polity"
    democracy_threshold = ""      # empty: the measure's default cut-off

and a step that depends on a choice reads it there through :func:`load`, and declares the
file among its reads (``reads=(paths.CHOICES, ...)``), so that ``make`` reruns exactly those
steps (and what reads their outputs) when a choice changes.  A script run alone
(``PYTHONPATH=src .venv/bin/python py/verdicts.py``) reads the same file; a missing or
malformed record is an error that says how to write one, never a silent default.

``make all WITHDRAWAL_RULE=strict DEMOCRACY=vdem DEMOCRACY_THRESHOLD=0.6`` writes the record:
``make`` runs ``python -m backlash.choices make [--dry-run] NAME=value ...`` (:func:`main`)
when it reads the Makefile, before it creates ``.venv`` or runs a step, with the variables
given on its command line (a choice may also come from the environment).  A choice not given
keeps its recorded value, or takes its default in a new record (:data:`CHOICES`).  Every value
is checked first; one bad value stops ``make`` at once with one line that names the setting and
the accepted values, and the record is left as it was.  The record is rewritten only when a
value changes, and a dry run (``make -n``, ``-q``, ``-t``) writes nothing: it says what it would
record and shows the steps that would rerun.

This module therefore uses the standard library only and imports nothing of the package but
:mod:`backlash.paths`.  The accepted values are read from the declarations in
``withdrawal.py`` (``RULES``, ``DEFAULT_RULE``) and ``democracy.py`` (``MEASURES``,
``DEFAULT_MEASURE``) with :mod:`ast`, without importing them (they load pandas); their entries
spell a rule's ``name`` and a measure's ``key``, ``name``, ``column`` and ``domain`` as literals
for that reason, and a test checks that what is read here is what the modules define.

To add a choice: an entry in :data:`CHOICES`, a field of :class:`Choices` (same name as the
entry's ``key``), and :func:`load` in the steps that use it, each declaring ``paths.CHOICES``.
"""

from __future__ import annotations

import ast
import json
import math
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from pathlib import Path

from . import paths

try:
    import tomllib
except ModuleNotFoundError:  # Python < 3.11: main() says which interpreter to use
    tomllib = None

_HERE = Path(__file__).resolve().parent


# --------------------------------------------------------------------------- what the record holds
@dataclass(frozen=True)
class Choices:
    """The analysis choices of a build, as :func:`load` reads them.

    Attributes
    ----------
    withdrawal_rule : str
        A name of :data:`backlash.withdrawal.RULES` (``make all WITHDRAWAL_RULE=...``).
    democracy : str
        A key of :data:`backlash.democracy.MEASURES` (``make all DEMOCRACY=...``).
    democracy_threshold : float or None
        The measure's cut-off (``make all DEMOCRACY_THRESHOLD=...``); ``None`` for the
        measure's own default.
    """

    withdrawal_rule: str
    democracy: str
    democracy_threshold: float | None

    def is_default(self) -> bool:
        """Whether these are the default choices: the build the README describes (``make all`` with none given).

        Returns
        -------
        bool
            The default rule and measure, at the measure's default cut-off (given or left out).
        """
        from .democracy import DEFAULT_MEASURE, MEASURES
        from .withdrawal import DEFAULT_RULE

        return (self.withdrawal_rule == DEFAULT_RULE and self.democracy == DEFAULT_MEASURE
                and self.democracy_threshold in (None, MEASURES[DEFAULT_MEASURE].threshold))


class ChoicesError(ValueError):
    """The record of the analysis choices is missing or malformed."""


def load(path: Path | None = None) -> Choices:
    """The analysis choices recorded for this build (the one accessor every step uses).

    Parameters
    ----------
    path : Path, optional
        The record (default: :data:`backlash.paths.CHOICES`).

    Returns
    -------
    Choices

    Raises
    ------
    ChoicesError
        If the record is missing, is not TOML, or lacks a choice; the message says how to
        write it.  Whether a value names an existing rule or measure is checked where it is
        used (:func:`backlash.withdrawal.get_rule`, :func:`backlash.democracy.get_measure`).
    """
    path = paths.CHOICES if path is None else path
    fix = ("run `make all` (add WITHDRAWAL_RULE=, DEMOCRACY= or DEMOCRACY_THRESHOLD= to change a choice), "
           "or `python -m backlash.choices make` to record the current or default choices")
    try:
        record = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ChoicesError(f"no analysis choices are recorded in {_shown(path)}: {fix}") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ChoicesError(f"{_shown(path)} is not a valid record of the analysis choices ({exc}): {fix}") from None
    missing = [c.key for c in CHOICES if not isinstance(record.get(c.key), str)]
    if missing:
        raise ChoicesError(f"{_shown(path)} lacks the choice(s) {', '.join(missing)} (as text): {fix}")
    threshold = record["democracy_threshold"].strip()
    if threshold and not _finite(threshold):
        raise ChoicesError(f"{_shown(path)}: democracy_threshold = {threshold!r} is not a number: {fix}")
    return Choices(withdrawal_rule=record["withdrawal_rule"], democracy=record["democracy"],
                   democracy_threshold=float(threshold) if threshold else None)


def _shown(path: Path) -> str:
    try:
        return str(path.relative_to(paths.ROOT))
    except ValueError:
        return str(path)


def _finite(text: str) -> bool:
    try:
        return math.isfinite(float(text))
    except ValueError:
        return False


# --------------------------------------------------------------------------- the declarations, read with ast
def _assignment(module: str, name: str) -> ast.expr:
    """The value assigned to ``name`` at the top level of ``src/backlash/<module>``, as a syntax tree."""
    file = _HERE / module
    tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == name for t in targets) and node.value is not None:
            return node.value
    raise ValueError(f"{name} is not assigned at the top level of src/backlash/{module}")


def declared_entries(module: str, table: str, cls: str, keywords: tuple[str, ...]) -> list[dict]:
    """The literal keyword arguments of every ``cls(...)`` call in the assignment to ``table``.

    Parameters
    ----------
    module : str
        A file of the package, e.g. ``"withdrawal.py"``.
    table : str
        The name assigned, e.g. ``"RULES"``.
    cls : str
        The class whose calls declare the entries, e.g. ``"Rule"``.
    keywords : tuple of str
        The arguments to read; each must be written as ``keyword=<literal>``.

    Returns
    -------
    list of dict
        One dict per entry, in order.
    """
    out = []
    for node in ast.walk(_assignment(module, table)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == cls:
            given = {k.arg: k.value for k in node.keywords}
            try:
                out.append({k: ast.literal_eval(given[k]) for k in keywords})
            except (KeyError, ValueError):
                raise ValueError(f"cannot read the entries of {table} in src/backlash/{module}: write "
                                 f"{', '.join(f'{k}=...' for k in keywords)} as literals in each {cls}(...)") from None
    if not out:
        raise ValueError(f"{table} in src/backlash/{module} declares no {cls}(...)")
    return out


def rule_names() -> list[str]:
    """The names of the withdrawal rules, in order (``withdrawal.RULES``).

    Returns
    -------
    list of str
    """
    return [e["name"] for e in declared_entries("withdrawal.py", "RULES", "Rule", ("name",))]


def measure_domains() -> dict[str, tuple[str, str, tuple[float, float]]]:
    """Each democracy measure's name, score column and range (``democracy.MEASURES``).

    Returns
    -------
    dict of str to (str, str, (float, float))
        ``{key: (name, column, (low, high))}`` in order.
    """
    entries = declared_entries("democracy.py", "MEASURES", "Measure", ("key", "name", "column", "domain"))
    return {e["key"]: (e["name"], e["column"], tuple(e["domain"])) for e in entries}


def _constant(module: str, name: str) -> str:
    return ast.literal_eval(_assignment(module, name))


# --------------------------------------------------------------------------- checks
def format_threshold(t: float) -> str:
    """A cut-off as typed: ``7`` not ``7.0``, ``0.55`` not ``0.6``.

    Parameters
    ----------
    t : float
        A cut-off.

    Returns
    -------
    str
    """
    return f"{t:g}" if float(t) != int(t) else str(int(t))


def threshold_problem(value, *, measure: str, column: str, domain: tuple[float, float]) -> str | None:
    """Why ``value`` cannot be the cut-off of a measure, or ``None`` when it can.

    Parameters
    ----------
    value : str or float
        The cut-off asked for.
    measure, column : str
        The measure's name and its score's column (for the message).
    domain : (float, float)
        The score's range; the cut-off must lie in it.

    Returns
    -------
    str or None
        One line that says what is wrong and how to fix it.
    """
    try:
        t = float(value)
    except (TypeError, ValueError):
        t = float("nan")
    if not math.isfinite(t):
        return (f"DEMOCRACY_THRESHOLD={value!r} is not a finite number; give the cut-off (e.g. "
                "`make all DEMOCRACY_THRESHOLD=6`) or leave it empty (`DEMOCRACY_THRESHOLD=`) for the "
                "measure's default")
    lo, hi = domain
    if not lo <= t <= hi:
        return (f"DEMOCRACY_THRESHOLD={format_threshold(t)} is not a cut-off within the range of {measure}'s "
                f"{column} ({lo} to {hi}); choose one in that range, or run `make all DEMOCRACY_THRESHOLD=` to "
                "return to the measure's default. (The cut-off is remembered separately from DEMOCRACY, so it "
                "also applies after a change of measure.)")
    return None


def _one_of(accepted: Callable[[], list[str]]) -> Callable[[str, str, Mapping[str, str]], str | None]:
    def problem(variable: str, value: str, values: Mapping[str, str]) -> str | None:
        names = accepted()
        if value in names:
            return None
        return (f"{variable}={value!r} is not accepted; choose one of: {', '.join(names)} "
                f"(e.g. `make all {variable}={names[0]}`)")
    return problem


def _cut_off(variable: str, value: str, values: Mapping[str, str]) -> str | None:
    if value == "":
        return None
    name, column, domain = measure_domains()[values["democracy"]]
    return threshold_problem(value, measure=name, column=column, domain=domain)


@dataclass(frozen=True)
class Choice:
    """One analysis choice: how ``make`` names it, its key in the record, its default and its check.

    Attributes
    ----------
    variable : str
        The Make variable (``make all WITHDRAWAL_RULE=strict``).
    key : str
        Its key in the record and its field of :class:`Choices`.
    default : callable
        The value a new record takes.
    problem : callable
        ``problem(variable, value, values)``: why ``value`` is refused, or ``None``; ``values``
        holds every choice's value (by key), the ones checked before it already valid.
    """

    variable: str
    key: str
    default: Callable[[], str]
    problem: Callable[[str, str, Mapping[str, str]], str | None]


#: The analysis choices, in the order they are checked and recorded.
CHOICES = (
    Choice("WITHDRAWAL_RULE", "withdrawal_rule", lambda: _constant("withdrawal.py", "DEFAULT_RULE"),
           _one_of(rule_names)),
    Choice("DEMOCRACY", "democracy", lambda: _constant("democracy.py", "DEFAULT_MEASURE"),
           _one_of(lambda: list(measure_domains()))),
    Choice("DEMOCRACY_THRESHOLD", "democracy_threshold", lambda: "", _cut_off),
)
if [c.key for c in CHOICES] != [f.name for f in fields(Choices)]:  # pragma: no cover - a programming error
    raise RuntimeError("CHOICES and the fields of Choices must name the same choices in the same order")


def problem(variable: str, value: str, values: Mapping[str, str] | None = None) -> str | None:
    """Why ``value`` is not accepted for the choice ``variable``, or ``None`` when it is.

    Parameters
    ----------
    variable : str
        A Make variable of :data:`CHOICES`.
    value : str
        The value to check.
    values : mapping of str to str, optional
        The other choices' values by key (default: their defaults).

    Returns
    -------
    str or None
        One line that names the setting and what it accepts.
    """
    by_variable = {c.variable: c for c in CHOICES}
    if variable not in by_variable:
        return f"{variable} is not an analysis choice of this build (choices: {', '.join(by_variable)})"
    values = {c.key: c.default() for c in CHOICES} | dict(values or {})
    choice = by_variable[variable]
    try:
        return choice.problem(variable, value, values | {choice.key: value})
    except (OSError, ValueError, SyntaxError) as exc:
        return f"cannot check {variable}: {exc}"


# --------------------------------------------------------------------------- writing the record
def dumps(values: Mapping[str, str]) -> str:
    """The text of the record for ``values`` (by key, as typed).

    Parameters
    ----------
    values : mapping of str to str

    Returns
    -------
    str
        TOML, one line per choice under a comment that says where it comes from.
    """
    lines = ["# The analysis choices of this build (backlash.choices), written by make from",
             "# `make all WITHDRAWAL_RULE=... DEMOCRACY=... DEMOCRACY_THRESHOLD=...`; a choice left out",
             "# keeps its value here. Every step that uses a choice reads it from this file.",
             *(f"{c.key} = {json.dumps(values[c.key])}" for c in CHOICES)]
    return "\n".join(lines) + "\n"


def update(given: Mapping[str, str], *, dry_run: bool = False, path: Path | None = None) -> str:
    """Check the choices given to ``make`` and record them with the others (what ``make`` runs).

    Parameters
    ----------
    given : mapping of str to str
        Values by Make variable (variables that are not choices are ignored).
    dry_run : bool
        Write nothing; say what would be recorded.
    path : Path, optional
        The record (default: :data:`backlash.paths.CHOICES`).

    Returns
    -------
    str
        What was (or, in a dry run, would be) recorded; empty when the record is current.

    Raises
    ------
    ValueError
        With one line for the first value refused, or when the record cannot be written.
    """
    path = paths.CHOICES if path is None else path
    try:
        old = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError):
        old = {}
    if not old:  # a checkout built before this record existed kept one file per choice (.make/<key>)
        legacy = {c.key: path.parent / c.key for c in CHOICES}
        old = {k: f.read_text(encoding="utf-8").strip("\n") for k, f in legacy.items() if f.is_file()}
    values = {}
    for c in CHOICES:
        recorded = old.get(c.key) if isinstance(old.get(c.key), str) else None
        values[c.key] = given.get(c.variable, recorded if recorded is not None else c.default())
    for c in CHOICES:
        message = problem(c.variable, values[c.key], values)
        if message:
            raise ValueError(message)
    changed = [c for c in CHOICES if old.get(c.key) != values[c.key]]
    text = dumps(values)
    if not changed and path.is_file() and path.read_text(encoding="utf-8") == text:
        return ""
    was = {c.key: old.get(c.key, "") for c in CHOICES}
    done = "would record" if dry_run else "recorded"
    if not old:
        message = (f"{done} " + " ".join(f"{c.variable}={values[c.key]}" for c in CHOICES)
                   + f" in {_shown(path)} (a new record)")
    else:
        message = "; ".join(f"{done} {c.variable}={values[c.key]} in {_shown(path)} (was {was[c.key]!r})"
                            for c in changed) or f"{done} the analysis choices in {_shown(path)}"
    if dry_run:
        return message
    first = (changed or list(CHOICES))[0]
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, path)
    except OSError:
        raise ValueError(f"cannot record {first.variable}={values[first.key]} in {_shown(path)}: the checkout is "
                         f"read-only. Build in a writable copy, or leave {first.variable} out to use the recorded "
                         f"value {was[first.key]!r}") from None
    return message


def main(argv: list[str] | None = None) -> int:
    """``python -m backlash.choices make [--dry-run] [NAME=value ...]`` or ``show``.

    ``make`` checks and records the choices (each not given on the command line is taken from the
    environment, then from the record, then its default); ``show`` prints the record as read.

    Parameters
    ----------
    argv : list of str, optional
        The arguments (default: ``sys.argv[1:]``).

    Returns
    -------
    int
        0 when done; 2 after one line that says what is wrong.
    """
    if tomllib is None:
        print(f"the analysis choices need Python 3.11 or newer, but {sys.executable} is {sys.version.split()[0]}; "
              "run make with PYTHON=<a Python 3.11+ interpreter>")
        return 2
    args = list(sys.argv[1:] if argv is None else argv)
    command = args.pop(0) if args else ""
    if command == "show" and not args:
        try:
            print(load())
        except ChoicesError as exc:
            print(exc)
            return 2
        return 0
    if command != "make":
        print("usage: python -m backlash.choices make [--dry-run] [NAME=value ...] | show", file=sys.stderr)
        return 2
    dry_run = "--dry-run" in args
    given = dict(a.split("=", 1) for a in args if "=" in a)
    variables = {c.variable for c in CHOICES}
    given = {v: os.environ[v] for v in variables if v in os.environ} | {k: v for k, v in given.items()
                                                                        if k in variables}
    try:
        message = update(given, dry_run=dry_run)
    except ValueError as exc:
        print(exc)
        return 2
    if message:
        print(message)
    return 0


if __name__ == "__main__":
    sys.exit(main())
