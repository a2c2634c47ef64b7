"""Raw inputs are fetched in the documented order and verified before anything reads them."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading
from pathlib import Path

import pytest

from backlash import paths
from backlash.sources import (ChecksumError, FetchError, Source, fetch_one, load_manifest, verified_path,
                              verify)

GOOD = b"ccode,year,polity2\n2,2000,10\n"
GOOD_SHA = hashlib.sha256(GOOD).hexdigest()


@pytest.fixture
def server(tmp_path):
    """A local http.server on 127.0.0.1 serving a temporary folder (never the internet)."""
    root = tmp_path / "served"
    root.mkdir()
    (root / "good.csv").write_bytes(GOOD)
    (root / "corrupt.csv").write_bytes(GOOD[:-2] + b"9\n")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _src(url: str, path: str = "x/panel.csv") -> Source:
    return Source(path=path, sha256=GOOD_SHA, url=url)


def test_manifest_pins_every_raw_file_of_the_mirror():
    """The project manifest lists each raw input with a well-formed sha256 and a pinned URL."""
    sources = load_manifest(paths.SOURCES_MANIFEST)
    assert {s.path for s in sources} == {
        "cow-igo-v3/igo_year_format3.rda", "cow-igo-v3/state_year_format3.rda",
        "cow-igo-v3/IGO_Codebook_v3.pdf", "cow-states/states2016.csv", "polity5/p5v2018.csv",
        "democracy/bmr.rda", "democracy/vdem_simple.rda", "democracy/LIED.rda"}
    for s in sources:
        assert len(s.sha256) == 64 and s.url.startswith("https://") and s.licence and s.citation
        # pinned: the URL names a commit, not a branch
        assert any(len(part) == 40 for part in s.url.split("/")), s.url


def test_download_good_file(server, tmp_path):
    """A file absent locally and from the mirror is downloaded, verified and moved into place."""
    raw = tmp_path / "raw"
    assert fetch_one(_src(f"{server}/good.csv"), raw, mirror=None) == "download"
    assert (raw / "x/panel.csv").read_bytes() == GOOD
    assert not list((raw / "x").glob("*.part")), "no temporary file is left behind"


def test_download_corrupted_file_is_rejected(server, tmp_path):
    """A download whose sha256 differs stops with both checksums and leaves no file."""
    raw = tmp_path / "raw"
    with pytest.raises(ChecksumError) as err:
        fetch_one(_src(f"{server}/corrupt.csv"), raw, mirror=None)
    msg = str(err.value)
    assert GOOD_SHA in msg and hashlib.sha256(GOOD[:-2] + b"9\n").hexdigest() in msg
    assert "delete the file" in msg
    assert not (raw / "x/panel.csv").exists()
    assert not list((raw / "x").glob("*")), "the rejected download is removed"


def test_download_missing_file_is_a_clear_error(server, tmp_path):
    """A URL that answers 404 gives a FetchError that says how to fix it."""
    with pytest.raises(FetchError, match="BACKLASH_DATA_MIRROR"):
        fetch_one(_src(f"{server}/missing.csv"), tmp_path / "raw", mirror=None)
    assert not (tmp_path / "raw/x/panel.csv").exists()


def test_mirror_is_preferred_to_the_network(tmp_path):
    """With the file in the mirror, the (unreachable) URL is never used."""
    mirror = tmp_path / "mirror"
    (mirror / "x").mkdir(parents=True)
    (mirror / "x/panel.csv").write_bytes(GOOD)
    origin = fetch_one(_src("http://127.0.0.1:9/unreachable"), tmp_path / "raw", mirror)
    assert origin == "mirror"
    assert (tmp_path / "raw/x/panel.csv").read_bytes() == GOOD


def test_present_file_is_kept_and_a_changed_one_is_never_replaced(tmp_path):
    """A verified local file is used as is; a changed one is an error and is left for the user to inspect."""
    raw, mirror = tmp_path / "raw", tmp_path / "mirror"
    (mirror / "x").mkdir(parents=True)
    (mirror / "x/panel.csv").write_bytes(GOOD)
    assert fetch_one(_src("http://127.0.0.1:9/"), raw, mirror) == "mirror"
    assert fetch_one(_src("http://127.0.0.1:9/"), raw, mirror) == "present"
    flipped = bytearray(GOOD)
    flipped[3] ^= 0x01
    (raw / "x/panel.csv").write_bytes(bytes(flipped))
    with pytest.raises(ChecksumError, match="checksum mismatch"):
        fetch_one(_src("http://127.0.0.1:9/"), raw, mirror)
    assert (raw / "x/panel.csv").read_bytes() == bytes(flipped)


def test_offline_without_mirror_is_a_clear_error(tmp_path):
    """With downloads disabled and no mirror, the error names the file."""
    with pytest.raises(FetchError, match="x/panel.csv"):
        fetch_one(_src("http://127.0.0.1:9/"), tmp_path / "raw", None, allow_download=False)


def test_verify_missing_file_says_how_to_fetch(tmp_path):
    with pytest.raises(FileNotFoundError, match="backlash fetch"):
        verify(tmp_path / "nope.csv", GOOD_SHA)


@pytest.mark.parametrize("text, match", [
    ("", "no \\[\\[source\\]\\]"),
    ('[[source]]\npath = "a"\nurl = "u"\n', "lacks sha256"),
    ('[[source]]\npath = "a"\nurl = "u"\nsha256 = "abc"\n', "malformed sha256"),
    ("[[source]\n", "not valid TOML"),
])
def test_bad_manifest_is_rejected(tmp_path, text, match):
    """A manifest entry that is incomplete or malformed is reported, not skipped."""
    m = tmp_path / "sources.toml"
    m.write_text(text)
    with pytest.raises(ValueError, match=match):
        load_manifest(m)


def test_verified_path_checks_the_real_raw_files():
    """Every raw file of the project verifies against its pinned checksum."""
    for s in load_manifest(paths.SOURCES_MANIFEST):
        assert verified_path(s.path, paths.RAW, paths.SOURCES_MANIFEST) == paths.RAW / s.path
    with pytest.raises(KeyError, match="not listed"):
        verified_path("nope.csv", paths.RAW, paths.SOURCES_MANIFEST)
