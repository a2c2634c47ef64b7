"""What a data editor reads: the manifest's provenance, the README's statement, the archive metadata."""

from __future__ import annotations

import datetime as dt
import json
import tomllib

import yaml

from backlash import paths

README = (paths.ROOT / "README.md").read_text(encoding="utf-8")
MANIFEST = tomllib.loads(paths.SOURCES_MANIFEST.read_text(encoding="utf-8"))["source"]
PROVENANCE_FIELDS = ("official", "copy", "checks", "accessed")


def test_every_input_states_its_provenance():
    """Each raw input names its official source, the public copy pinned and who made it, what the
    package checks, and the ISO date on which the pinned copy was accessed (not in the future)."""
    for entry in MANIFEST:
        for f in PROVENANCE_FIELDS:
            assert entry.get(f, "").strip(), f"{entry['path']} lacks `{f}` in data/sources.toml"
        assert "sha256" in entry["checks"], entry["path"]
        assert dt.date.fromisoformat(entry["accessed"]) <= dt.date.today()


def test_readme_lists_every_input_with_its_access_date():
    """The README's data table has one row per manifest entry, with the manifest's access date,
    and the data availability statement, rights statement and codebook links are present."""
    rows = [line for line in README.splitlines() if line.startswith("| `") and "data/raw" not in line]
    for entry in MANIFEST:
        row = [r for r in rows if r.startswith(f"| `{entry['path']}` |")]
        assert len(row) == 1, f"README lacks a data table row for {entry['path']}"
        assert row[0].rstrip().endswith(f"| {entry['accessed']} |"), row[0]
    for phrase in ("legitimate access to and permission to use", "All data **are** publicly available",
                   "p5manualv2018.pdf", "data/derived/README.md"):
        assert phrase in README


def _cff() -> dict:
    return yaml.safe_load((paths.ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def test_zenodo_metadata_agrees_with_citation_cff():
    """.zenodo.json (read by Zenodo on a release) and CITATION.cff give the same title, version,
    authors, licence, abstract and keywords, so the archived record and the suggested citation cannot disagree."""
    cff = _cff()
    zen = json.loads((paths.ROOT / ".zenodo.json").read_text(encoding="utf-8"))
    assert zen["title"] == cff["title"]
    assert zen["version"] == str(cff["version"])
    names = [a.get("name") or f"{a['family-names']}, {a['given-names']}" for a in cff["authors"]]
    assert [c["name"] for c in zen["creators"]] == names
    assert zen["license"].lower() == str(cff["license"]).lower()
    assert zen["upload_type"] == "software"
    assert zen["description"] == " ".join(cff["abstract"].split())
    assert zen["keywords"] == cff["keywords"]


def test_package_version_agrees_with_citation():
    """The version in pyproject.toml is the version cited."""
    project = tomllib.loads((paths.ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["version"] == str(_cff()["version"])
