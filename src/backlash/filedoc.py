"""How a derived file is documented: one :class:`FileDoc` per file, one :class:`Column` per column.

The declarations of most files are in :mod:`backlash.dictionary`; an exhibit may declare the
file it fills beside its function (in :mod:`backlash.exhibits`), and the dictionary collects
those too.  Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: Types a CSV column may have, and the pandas kinds each admits (JSON keys use JSON's
#: types: object, array, integer, number, boolean, string).
TYPES = {"integer": "iu", "float": "fiu", "boolean": "b", "string": "O"}


@dataclass(frozen=True)
class Column:
    """One documented column.

    Parameters
    ----------
    name : str
        Column name as written.
    dtype : {"integer", "float", "boolean", "string"}
        Logical type.  An integer column with missing values is read back as
        float; declare it ``"integer"`` and set ``nullable``.
    unit : str
        Unit ("year", "percent", "count", "share of national income", ...) or
        ``"-"`` for codes and labels.
    meaning : str
        What one value says.
    allowed : str
        Admissible values, in words ("0 or 1", "1945-2014", ...).
    nullable : bool
        Whether empty cells are allowed, and what they mean (in ``meaning``).
    """

    name: str
    dtype: str
    unit: str
    meaning: str
    allowed: str
    nullable: bool = False


@dataclass(frozen=True)
class FileDoc:
    """One derived file: what it holds, the step that writes it, its columns (or JSON keys).

    Attributes
    ----------
    name : str
        The file's name under ``data/derived``.
    written_by : str
        The script that writes it.
    description : str
        What it holds.
    columns : tuple of Column
        Its columns (or JSON keys).
    """

    name: str
    written_by: str
    description: str
    columns: tuple[Column, ...] = field(default_factory=tuple)
