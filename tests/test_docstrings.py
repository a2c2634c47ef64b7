"""Every public function and class of the library has a NumPy-style docstring.

The walk reads the source of every public module in ``src/backlash`` with :mod:`ast` (nothing is
imported): a public function or method (no leading underscore) needs a docstring, a
``Parameters`` section when it takes arguments and a ``Returns`` section when it returns a
value; a public class needs a docstring, and a dataclass with fields an ``Attributes`` (or
``Parameters``) section.  The failure names each function and the section it lacks.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

from backlash import paths

LIB = paths.ROOT / "src" / "backlash"
#: The public modules (a private one, such as ``_io``, is left out; a package's ``__init__`` is in).
MODULES = sorted(p for p in LIB.rglob("*.py") if not p.name.startswith("_") or p.name == "__init__.py")


def _section(doc: str, *names: str) -> bool:
    """True if the docstring has a NumPy section headed by one of ``names`` (a title underlined with dashes)."""
    return any(re.search(rf"^\s*{name}\n\s*-{{3,}}\s*$", doc, flags=re.M) for name in names)


def _returns_value(node: ast.FunctionDef) -> bool:
    """True if the function returns a value (a ``return x`` in its own body, not in a nested function) or yields."""
    todo = list(node.body)
    while todo:
        n = todo.pop()
        if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(n, ast.Return) and n.value is not None and not (
                isinstance(n.value, ast.Constant) and n.value.value is None):
            return True
        if isinstance(n, (ast.Yield, ast.YieldFrom)):
            return True
        todo.extend(ast.iter_child_nodes(n))
    return False


def _arguments(node: ast.FunctionDef) -> list[str]:
    a = node.args
    names = [x.arg for x in (*a.posonlyargs, *a.args, *a.kwonlyargs)]
    names += [x.arg for x in (a.vararg, a.kwarg) if x is not None]
    return [n for n in names if n not in ("self", "cls")]


def _is_dataclass(node: ast.ClassDef) -> bool:
    return any("dataclass" in ast.unparse(d) for d in node.decorator_list)


def _fields(node: ast.ClassDef) -> list[str]:
    return [s.target.id for s in node.body if isinstance(s, ast.AnnAssign) and isinstance(s.target, ast.Name)]


def problems(path: Path) -> list[str]:
    """What each public function and class of the module at ``path`` lacks, one line each."""
    where = path.relative_to(LIB.parent).with_suffix("").as_posix().replace("/", ".")
    out = []

    def check_function(node: ast.FunctionDef, qualname: str) -> None:
        if node.name.startswith("_"):
            return
        doc = ast.get_docstring(node)
        if not doc:
            out.append(f"{qualname}: no docstring")
            return
        if _arguments(node) and not _section(doc, "Parameters"):
            out.append(f"{qualname}: no Parameters section")
        if _returns_value(node) and not _section(doc, "Returns", "Yields"):
            out.append(f"{qualname}: no Returns section")

    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            check_function(node, f"{where}.{node.name}")
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            doc = ast.get_docstring(node)
            if not doc:
                out.append(f"{where}.{node.name}: no docstring")
            elif _is_dataclass(node) and _fields(node) and not _section(doc, "Attributes", "Parameters"):
                out.append(f"{where}.{node.name}: no Attributes section")
            for item in node.body:
                if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    check_function(item, f"{where}.{node.name}.{item.name}")
    return out


def test_every_public_function_and_class_has_a_numpy_docstring():
    """Each public function and method documents its Parameters and Returns; each public class its fields."""
    missing = [line for path in MODULES for line in problems(path)]
    assert missing == [], "\n".join(missing)


def test_the_check_can_fail(tmp_path):
    """A function without sections, and a dataclass without Attributes, are named."""
    module = tmp_path / "backlash" / "example.py"
    module.parent.mkdir()
    module.write_text('from dataclasses import dataclass\n\n\ndef f(x):\n    """Double."""\n    return 2 * x\n\n\n'
                      '@dataclass\nclass A:\n    """A record."""\n\n    a: int\n', encoding="utf-8")
    global LIB
    saved, LIB = LIB, tmp_path / "backlash"
    try:
        assert problems(module) == ["backlash.example.f: no Parameters section",
                                    "backlash.example.f: no Returns section",
                                    "backlash.example.A: no Attributes section"]
    finally:
        LIB = saved
