import pytest

from kg.errors import FormatError
from kg.ingest import read_file, read_inputs, reader_names
from kg.ingest.registry import detect_format, get_reader

from ..conftest import SEED_DIGEST, SEED_FEED_1, SEEDS


def test_builtin_readers_registered():
    assert {"digest", "feed"} <= set(reader_names())


def test_detect_format_of_seeds():
    digest = (SEEDS / SEED_DIGEST).read_text(encoding="utf-8")
    feed = (SEEDS / SEED_FEED_1).read_text(encoding="utf-8")
    assert detect_format(digest)[0] == "digest"
    assert detect_format(feed)[0] == "feed"
    assert detect_format("just some prose\nwith two lines")[0] is None


def test_unknown_format_lists_available():
    with pytest.raises(FormatError, match=r"available: .*\bdigest, feed\b"):
        get_reader("nope")


def test_bad_files_are_reported_and_others_still_read(tmp_path):
    (tmp_path / "a_digest.txt").write_bytes((SEEDS / SEED_DIGEST).read_bytes())
    (tmp_path / "b_latin1.txt").write_bytes("1、[LG] Caf".encode("utf-8") + b"\xe9\nA B\n")
    (tmp_path / "c_prose.txt").write_text("Nothing here is a digest.\n", encoding="utf-8")
    (tmp_path / "d_bom_crlf.txt").write_bytes(b"\xef\xbb\xbf" + (SEEDS / SEED_FEED_1).read_bytes().replace(b"\n", b"\r\n"))
    (tmp_path / "e_empty.txt").write_bytes(b"")
    result = read_inputs([str(tmp_path)])
    assert len(result.entries) == 15
    by_file = {p.file.rsplit("/", 1)[-1]: p for p in result.problems}
    assert by_file["b_latin1.txt"].reason == "cannot decode: not valid UTF-8 (line 1, byte 12)"
    assert by_file["c_prose.txt"].reason.startswith("no reader recognises this file")
    assert by_file["e_empty.txt"].severity == "warning"
    crlf = [e for e in result.entries if e.source.file.endswith("d_bom_crlf.txt")]
    assert [e.source.line for e in crlf][:3] == [1, 3, 5]


def test_forced_format(tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("One abstract only, with no separator line.", encoding="utf-8")
    assert read_file(str(path)).entries == ()
    assert [e.abstract for e in read_file(str(path), "feed").entries] == ["One abstract only, with no separator line."]
