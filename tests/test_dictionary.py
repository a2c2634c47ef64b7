"""The data dictionary: every column of every derived file is documented, and nothing else is."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from backlash import dictionary, paths
from backlash.dictionary import Column, FileDoc, UndocumentedData

_DERIVED_FILES = sorted(p for p in paths.DERIVED.glob("*.*")
                        if not p.name.startswith(".") and p.suffix in (".csv", ".json"))


def test_every_derived_file_is_built_and_declared():
    """The files the pipeline writes and the files the dictionary declares are the same set."""
    assert {p.name for p in _DERIVED_FILES} == set(dictionary.DERIVED)


@pytest.mark.parametrize("path", _DERIVED_FILES, ids=lambda p: p.name)
def test_columns_match_their_declaration(path):
    """Every column (CSV) or top-level key (JSON) is documented, in the order written, and no
    documented column is missing; every CSV value has its declared type."""
    if path.suffix == ".json":
        dictionary.check_documented(path.name, list(json.loads(path.read_text(encoding="utf-8"))))
    else:
        frame = pd.read_csv(path, keep_default_na=False, na_values=[""])
        dictionary.check_documented(path.name, list(frame.columns))
        dictionary.check_types(path.name, frame)


def test_every_column_says_what_it_is():
    """No declaration leaves its type, unit, meaning or allowed values empty."""
    for doc in dictionary.DERIVED.values():
        assert doc.written_by.startswith("py/") and doc.description
        for col in doc.columns:
            assert col.dtype and col.unit and col.meaning and col.allowed, (doc.name, col.name)


def test_generated_dictionary_lists_every_file():
    """`make all` writes data/derived/README.md with one section per derived file."""
    text = paths.DATA_DICTIONARY.read_text(encoding="utf-8")
    for p in _DERIVED_FILES:
        assert f"## {p.name}" in text


_DOCS = {"t.csv": FileDoc("t.csv", "py/t.py", "test", (
    Column("year", "integer", "year", "calendar year", "1945-2014"),
    Column("rate", "float", "percent", "a rate", ">= 0", nullable=True)))}


def test_undocumented_and_vanished_columns_are_errors():
    """A new column, or a documented column that is no longer written, stops the build with its name."""
    with pytest.raises(UndocumentedData, match=r"undocumented column\(s\) \['extra'\]"):
        dictionary.check_documented("t.csv", ["year", "rate", "extra"], _DOCS)
    with pytest.raises(UndocumentedData, match=r"no longer written \['rate'\]"):
        dictionary.check_documented("t.csv", ["year"], _DOCS)
    with pytest.raises(UndocumentedData, match="not in the data dictionary"):
        dictionary.check_documented("other.csv", ["year"], _DOCS)


def test_types_and_empty_cells_are_checked():
    """Text in an integer column, or an empty cell in a column not declared nullable, is an error;
    an integer column read back as float without fractions is accepted."""
    ok = pd.DataFrame({"year": [1945.0, 1946.0], "rate": [0.5, None]})
    dictionary.check_types("t.csv", ok, _DOCS)
    with pytest.raises(UndocumentedData, match="declared integer"):
        dictionary.check_types("t.csv", pd.DataFrame({"year": ["x", "y"], "rate": [0.1, 0.2]}), _DOCS)
    with pytest.raises(UndocumentedData, match="not declared nullable"):
        dictionary.check_types("t.csv", pd.DataFrame({"year": [1945, None], "rate": [0.1, 0.2]}), _DOCS)


def test_markdown_reports_observed_values():
    """The generated table shows each column's observed range and count of empty cells."""
    frame = pd.DataFrame({"year": [1945, 2014], "rate": [0.25, None]})
    text = dictionary.dictionary_markdown({"t.csv": frame}, _DOCS)
    assert "| `year` | integer | year | calendar year | 1945-2014 | 1945 to 2014 |" in text
    assert "0.25 to 0.25; 1 empty" in text
