"""Raw inputs are fetched in the documented order and verified before anything reads them."""

from __future__ import annotations

import functools
import hashlib
import http.server
import threading

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
        "democracy/bmr.rda", "democracy/vdem_simple.rda", "democracy/LIED.rda", "inequality/swiid_summary.csv"}
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


@pytest.mark.parametrize("path", ["../outside.csv", "/etc/passwd", "a/../../b.csv", "a//b.csv", "a\\\\..\\\\b"])
def test_manifest_paths_must_stay_inside_data_raw(tmp_path, path):
    """A manifest path that is absolute or climbs out with `..` is rejected before anything is written."""
    m = tmp_path / "sources.toml"
    m.write_text(f'[[source]]\npath = "{path}"\nurl = "u"\nsha256 = "{GOOD_SHA}"\n', encoding="utf-8")
    with pytest.raises(ValueError, match="inside data/raw"):
        load_manifest(m)


def test_download_larger_than_the_pinned_size_is_stopped(server, tmp_path):
    """A server sending more bytes than the manifest's `size` is cut off; nothing is kept."""
    raw = tmp_path / "raw"
    src = Source(path="x/panel.csv", sha256=GOOD_SHA, url=f"{server}/good.csv", size=len(GOOD) - 1)
    with pytest.raises(FetchError, match="exceeds"):
        fetch_one(src, raw, mirror=None)
    assert not list((raw / "x").glob("*"))


def test_download_past_its_deadline_is_stopped(server, tmp_path):
    """A download that runs past the overall deadline stops with a clear error, whatever the per-read timeout."""
    with pytest.raises(FetchError, match="did not finish in time"):
        fetch_one(_src(f"{server}/good.csv"), tmp_path / "raw", mirror=None, deadline=-1.0)
    assert not list((tmp_path / "raw/x").glob("*"))


def test_a_folder_in_place_of_a_raw_file_is_named_as_such(tmp_path):
    """A raw file replaced by a folder is reported as not a regular file (not as missing)."""
    (tmp_path / "raw/x/panel.csv").mkdir(parents=True)
    with pytest.raises(FetchError, match="not a regular file"):
        fetch_one(_src("http://127.0.0.1:9/"), tmp_path / "raw", None, allow_download=False)


def test_an_unreadable_raw_file_is_a_message_not_a_traceback(tmp_path, monkeypatch):
    """A raw file that cannot be read (permissions) gives a FetchError naming the file and the fix."""
    import backlash.sources as sources

    f = tmp_path / "panel.csv"
    f.write_bytes(GOOD)

    def denied(path):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(sources, "sha256_of", denied)
    with pytest.raises(FetchError, match="(?s)cannot be read.*Permission denied.*Fix: give your user read"):
        verify(f, GOOD_SHA)


def test_a_bad_copy_in_the_mirror_gets_advice_about_the_mirror(tmp_path):
    """A corrupted file in the mirror: the message names the mirror's copy and says nothing was written
    to data/raw (it does not ask to delete a file there)."""
    mirror = tmp_path / "mirror"
    (mirror / "x").mkdir(parents=True)
    (mirror / "x/panel.csv").write_bytes(GOOD[:-2] + b"9\n")
    with pytest.raises(ChecksumError) as err:
        fetch_one(_src("http://127.0.0.1:9/"), tmp_path / "raw", mirror, allow_download=False)
    msg = str(err.value)
    assert str(mirror / "x/panel.csv") in msg and "nothing was written to data/raw" in msg
    assert "delete the file" not in msg
    assert not (tmp_path / "raw/x/panel.csv").exists()


def test_a_part_file_left_by_a_killed_fetch_is_removed_by_the_next(tmp_path):
    """A `.part` of a fetch killed by SIGKILL (its process is gone) is removed when the file is fetched again."""
    mirror = tmp_path / "mirror"
    (mirror / "x").mkdir(parents=True)
    (mirror / "x/panel.csv").write_bytes(GOOD)
    stale = tmp_path / "raw/x/.panel.csv.999999999.abcd.part"
    stale.parent.mkdir(parents=True)
    stale.write_bytes(GOOD[:5])
    assert fetch_one(_src("http://127.0.0.1:9/"), tmp_path / "raw", mirror) == "mirror"
    assert sorted(p.name for p in (tmp_path / "raw/x").iterdir()) == ["panel.csv"]


def test_manifest_sizes_match_the_raw_files():
    """Each pinned `size` (the download cap) is the length of the verified raw file."""
    for s in load_manifest(paths.SOURCES_MANIFEST):
        assert s.size == (paths.RAW / s.path).stat().st_size, s.path


@pytest.mark.parametrize("linked", ["file", "folder"])
def test_a_symbolic_link_out_of_the_raw_folder_is_named_as_such(tmp_path, linked):
    """A raw file (or its folder) that is a symbolic link to a place outside data/raw is refused with a
    message that names the link and its target and says what to do, not one that blames the manifest."""
    raw, outside = tmp_path / "raw", tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "panel.csv").write_bytes(GOOD)
    (raw / "x").mkdir(parents=True) if linked == "file" else raw.mkdir()
    link = raw / "x/panel.csv" if linked == "file" else raw / "x"
    link.symlink_to(outside / "panel.csv" if linked == "file" else outside)
    with pytest.raises(ValueError) as err:
        fetch_one(_src("https://example.invalid/never"), raw, mirror=None, allow_download=False)
    message = str(err.value)
    assert f"{link} is a symbolic link to {outside}" in message and "make fetch" in message
    assert "manifest" not in message
