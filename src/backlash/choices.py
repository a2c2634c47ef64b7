"""The build's remembered choices, checked before any work starts.

``make`` runs ``python src/backlash/choices.py NAME VALUE`` when it reads the
Makefile, before it creates ``.venv`` or runs a step, so this file uses the
standard library only and imports nothing from the package (importing
:mod:`backlash.withdrawal` would load pandas).  A valid value prints nothing and
exits 0; an invalid one prints one line naming the setting, the value and the
accepted values, and exits 2.

To add a choice: write a function that returns the accepted values (or raises
``ValueError`` with the reason) and add it to :data:`CHECKS`; then add one
``$(eval $(call remember,...))`` line to the Makefile.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

_HERE = Path(__file__).resolve().parent


def withdrawal_rules(withdrawal_module: Path = _HERE / "withdrawal.py") -> list[str]:
    """Names of the withdrawal rules, read from the ``RULES`` mapping of ``withdrawal.py`` without importing it.

    ``RULES`` is an ``OrderedDict([(name, Rule(...)), ...])`` (or a dict literal);
    a test checks that this list equals ``list(backlash.withdrawal.RULES)``.

    Parameters
    ----------
    withdrawal_module : Path
        The source file that defines ``RULES``.

    Returns
    -------
    list of str
        The rule names in their order.
    """
    tree = ast.parse(withdrawal_module.read_text(encoding="utf-8"), filename=str(withdrawal_module))
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if not any(isinstance(t, ast.Name) and t.id == "RULES" for t in targets) or node.value is None:
            continue
        value = node.value
        if isinstance(value, ast.Dict):
            keys = value.keys
        elif isinstance(value, ast.Call) and value.args and isinstance(value.args[0], (ast.List, ast.Tuple)):
            keys = [elt.elts[0] for elt in value.args[0].elts if isinstance(elt, ast.Tuple) and elt.elts]
        else:
            break
        names = [k.value for k in keys if isinstance(k, ast.Constant) and isinstance(k.value, str)]
        if names:
            return names
    raise ValueError(f"could not read the names of the withdrawal rules from RULES in {withdrawal_module}")


def democracy_measures(democracy_module: Path = _HERE / "democracy.py") -> list[str]:
    """Keys of the democracy measures, read from ``MEASURE_KEYS`` in ``democracy.py`` without importing it.

    Parameters
    ----------
    democracy_module : Path
        The source file that defines ``MEASURE_KEYS``.

    Returns
    -------
    list of str
        The measure keys.
    """
    tree = ast.parse(democracy_module.read_text(encoding="utf-8"), filename=str(democracy_module))
    for node in tree.body:
        targets = [node.target] if isinstance(node, ast.AnnAssign) else getattr(node, "targets", [])
        if any(isinstance(t, ast.Name) and t.id == "MEASURE_KEYS" for t in targets) and node.value is not None:
            return list(ast.literal_eval(node.value))
    raise ValueError(f"could not read MEASURE_KEYS in {democracy_module}")


def democracy_threshold_problem(value: str) -> str | None:
    """An empty value (the measure's default cut-off) or a number; the measure's range is checked later.

    Parameters
    ----------
    value : str
        The cut-off as typed.

    Returns
    -------
    str or None
        What is wrong with it, or ``None`` when it is acceptable.
    """
    if value == "":
        return None
    try:
        number = float(value)
    except ValueError:
        number = float("nan")
    if number != number or number in (float("inf"), float("-inf")):
        return (f"DEMOCRACY_THRESHOLD={value!r} is not a finite number; give the cut-off (e.g. "
                "`make all DEMOCRACY_THRESHOLD=6`) or leave it empty (`DEMOCRACY_THRESHOLD=`) for the "
                "measure's default")
    return None


#: Each remembered choice of the Makefile and the function returning its accepted values.
CHECKS = {
    "WITHDRAWAL_RULE": withdrawal_rules,
    "DEMOCRACY": democracy_measures,
}
#: Choices checked by a function of the value rather than against a list.
VALIDATORS = {"DEMOCRACY_THRESHOLD": democracy_threshold_problem}


def problem(name: str, value: str) -> str | None:
    """Why ``value`` is not accepted for the setting ``name``, or ``None`` when it is.

    Parameters
    ----------
    name : str
        A key of :data:`CHECKS`.
    value : str
        The value to check.

    Returns
    -------
    str or None
        The one-line message, or ``None`` when the value is valid.
    """
    if name in VALIDATORS:
        return VALIDATORS[name](value)
    if name not in CHECKS:
        return f"{name} is not a remembered choice of this build (known: {', '.join([*CHECKS, *VALIDATORS])})"
    try:
        accepted = CHECKS[name]()
    except (OSError, ValueError, SyntaxError) as exc:
        return f"cannot check {name}: {exc}"
    if value not in accepted:
        return (f"{name}={value!r} is not accepted; choose one of: {', '.join(accepted)} "
                f"(e.g. `make all {name}={accepted[0]}`)")
    return None


def main(argv: list[str]) -> int:
    """Check one remembered choice, as ``make`` calls it.

    Parameters
    ----------
    argv : list of str
        ``[NAME, VALUE]``.

    Returns
    -------
    int
        0 when the value is valid; 2 otherwise, after printing one line that says why.
    """
    if len(argv) != 2:
        print("usage: python src/backlash/choices.py NAME VALUE", file=sys.stderr)
        return 2
    message = problem(*argv)
    if message:
        print(message)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
