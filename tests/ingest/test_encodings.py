"""Files in legacy encodings, read through read_file: cp1252/Latin-1 and GB18030 told apart (issue 21)."""

from pathlib import Path

from kg.ingest import read_file
from kg.model import Problem

ROOT = Path(__file__).resolve().parent.parent.parent
CP1252_LIST = ROOT / "tests" / "data" / "quirks" / "reading_list_cp1252.md"
SEED_DIGEST = ROOT / "seeds" / "000_25fba04581528bc5.txt"
CP1252_NOTE = "not UTF-8: read as cp1252/Latin-1 (a guess; convert the file to UTF-8 to be sure)"
GBK_NOTE = "not UTF-8: read as GB18030/GBK (a guess; convert the file to UTF-8 to be sure)"


def test_cp1252_reading_list_is_read_with_a_warning():
    assert b"Universit\xe4t Z\xfcrich" in CP1252_LIST.read_bytes() and b"models\x92 " in CP1252_LIST.read_bytes()
    result = read_file(str(CP1252_LIST))
    assert list(result.problems) == [Problem(str(CP1252_LIST), None, CP1252_NOTE, "warning")]
    first, second = result.entries
    assert first.authors == ("M Müller", "A Rios", "R Sennrich") and first.institutions == ("Universität Zürich",)
    assert first.abstract == "Measures how far translation models’ quality drops on domains unseen in training – “domain robustness”."
    assert second.title == "What Does BERT Look At? An Analysis of BERT’s Attention"
    assert [e.arxiv_id for e in result.entries] == ["1911.03109", "1906.04341"]


def test_gbk_digest_is_still_read_as_gb18030(tmp_path):
    text = SEED_DIGEST.read_text(encoding="utf-8").replace("É", "E")  # É has no GBK form
    path = tmp_path / "digest_gbk.txt"
    path.write_bytes(text.encode("gbk"))
    result = read_file(str(path))
    assert list(result.problems) == [Problem(str(path), None, GBK_NOTE, "warning")]
    utf8 = tmp_path / "digest_utf8.txt"
    utf8.write_text(text, encoding="utf-8")
    assert [(e.title, e.authors, e.summary_zh) for e in result.entries] == [
        (e.title, e.authors, e.summary_zh) for e in read_file(str(utf8)).entries]
    assert len(result.entries) == 5
