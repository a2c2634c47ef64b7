"""Metadata that tools accept, and the portability the README states.

CITATION.cff is valid Citation File Format 1.2.0 and cites the package itself and its sources;
pyproject.toml asks for a setuptools that understands its licence field; the Makefile stops at
once, with a clear message, under a GNU Make older than 4.3.

The schema in ``tests/cff-1.2.0.schema.json`` is the CFF 1.2.0 JSON schema, published at
https://citation-file-format.github.io/1.2.0/schema.json (its ``$id``; source repository
https://github.com/citation-file-format/citation-file-format, file ``schema.json``). The copy
was taken unchanged from the cffconvert 2.0.0 wheel on PyPI (``cffconvert/schemas/1.2.0/
schema.json``, sha256 0b8d2214…169b). An earlier revision of the same file in that repository
is stricter (integer-only ``year``, ``volume``, ``start``, ``end``); CITATION.cff uses integers
there, so it is valid under both.
"""

from __future__ import annotations

import datetime
import json
import re
import subprocess
import tomllib
from pathlib import Path

import jsonschema
import pytest
import yaml

from backlash import paths

SCHEMA = Path(__file__).with_name("cff-1.2.0.schema.json")


def _as_json(node):
    """YAML as JSON would hold it: dates become ISO strings, as the CFF schema asks of validators."""
    if isinstance(node, dict):
        return {k: _as_json(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_as_json(v) for v in node]
    if isinstance(node, (datetime.date, datetime.datetime)):
        return node.isoformat()
    return node


@pytest.fixture(scope="module")
def cff() -> dict:
    return _as_json(yaml.safe_load((paths.ROOT / "CITATION.cff").read_text()))


def test_citation_file_is_valid_cff_1_2(cff):
    """CITATION.cff validates against the CFF 1.2.0 JSON schema (draft 7)."""
    schema = json.loads(SCHEMA.read_text())
    jsonschema.Draft7Validator.check_schema(schema)
    errors = sorted(jsonschema.Draft7Validator(schema).iter_errors(cff), key=lambda e: list(e.path))
    assert errors == [], "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_rejects_a_broken_citation(cff):
    """The check can fail: a citation without authors, or with an unknown key, is invalid."""
    validator = jsonschema.Draft7Validator(json.loads(SCHEMA.read_text()))
    assert not validator.is_valid({k: v for k, v in cff.items() if k != "authors"})
    assert not validator.is_valid({**cff, "no-such-key": "x"})


def test_citation_cites_the_package_and_lists_the_article(cff):
    """The package itself is what CITATION.cff cites (version as in pyproject.toml, abstract, licence),
    the article is under `references`, and no placeholder address stands in for a real one."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())["project"]
    assert cff["type"] == "software" and "preferred-citation" not in cff
    assert cff["version"] == project["version"] and cff["license"] == project["license"]
    assert len(cff["abstract"]) > 200
    titles = [r["title"] for r in cff["references"]]
    assert "Domestic Inequality, Heterogeneous Redistribution, and the Globalization Backlash" in titles
    text = (paths.ROOT / "CITATION.cff").read_text()
    assert not re.search(r"example\.(com|org)|TODO|XXX|<[^>]+>|your-", text, re.I)


def test_build_backend_understands_the_licence_field():
    """`license = "MIT"` (an SPDX string) needs setuptools >= 77; the build requirements say so."""
    pyproject = tomllib.loads((paths.ROOT / "pyproject.toml").read_text())
    assert pyproject["project"]["license"] == "MIT"
    (req,) = [r for r in pyproject["build-system"]["requires"] if r.startswith("setuptools")]
    assert int(re.search(r">=\s*(\d+)", req).group(1)) >= 77


def test_old_make_stops_at_once_with_a_clear_message():
    """A Make without grouped targets (as GNU Make < 4.3, e.g. macOS's 3.81) stops before reading any
    rule and says what to install; `.FEATURES` is emptied on the command line to act as one."""
    res = subprocess.run(["make", ".FEATURES=", "help"], cwd=paths.ROOT, capture_output=True, text=True)
    assert res.returncode != 0
    assert "needs GNU Make 4.3 or newer" in res.stderr and "gmake" in res.stderr
    assert subprocess.run(["make", "help"], cwd=paths.ROOT, capture_output=True, text=True).returncode == 0
