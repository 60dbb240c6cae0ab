"""kg.ingest.dates and the dates read_file gives entries: the document, the file name, the arXiv id."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kg.ingest import read_file, read_inputs
from kg.ingest.dates import (
    date_entries,
    date_from_arxiv_id,
    date_from_filename,
    date_from_header,
    date_from_text,
    date_lines,
    parse_iso_date,
    with_date,
)
from kg.model import Entry, Source

ROOT = Path(__file__).resolve().parent.parent.parent
SHARED = ROOT.parent / "shared"
DATED = SHARED / "corpus" / "dated"

LEGEND = "LG - 机器学习 CV - 计算机视觉 CL - 计算与语言 AS - 音频与语音 RO - 机器人"


def digest(*entries: tuple[int, str, str], header: str = "") -> str:
    """A numbered digest: the legend, an optional header line, then (number, title, arXiv id) entries."""
    lines = [LEGEND] + ([header] if header else []) + [""]
    for number, title, arxiv_id in entries:
        lines += [f"{number}、[LG] {title}", "D Dai, L Dong", "[Peking University]",
                  f"We study {title.lower()} at some length, with results.", f"https://arxiv.org/abs/{arxiv_id}", "", ""]
    return "\n".join(lines) + "\n"


# --- the functions -------------------------------------------------------------------------------


@pytest.mark.parametrize("name, date", [
    ("2019-05-25-icra-00.txt", "2019-05-25"),
    ("../shared/corpus/dated/2015-06-15-cvpr-03.txt", "2015-06-15"),
    ("20190525.txt", "2019-05-25"),
    ("2019_05_25_digest.txt", "2019-05-25"),
    ("digest.2019.05.25.md", "2019-05-25"),
    ("digest-20190525-am.txt", "2019-05-25"),
    ("2019-02-30-x.txt", None),  # not a calendar date
    ("000_25fba04581528bc5.txt", None),  # the seeds: a hash
    ("a20190525.txt", None),  # eight digits glued to a letter: a hash, not a date
    ("2019-05-25/notes.txt", None),  # a folder's name is not the file's
    ("2019-0525.txt", None),  # mixed separators
    ("digest_00012.txt", None),
])
def test_date_from_filename(name, date):
    assert date_from_filename(name) == date


@pytest.mark.parametrize("text, date", [
    ("2019-05-25 转自爱可可爱生活", "2019-05-25"),
    ("2021-4-19 06:12 来自 微博 weibo.com", "2021-04-19"),
    ("2019/05/25", "2019-05-25"),
    ("2019年5月25日 星期六", "2019-05-25"),
    ("Mon, 2 Apr 2007 19:18:42 GMT", "2007-04-02"),
    ("posted April 2, 2007", "2007-04-02"),
    ("2019-05-25T10:00:00Z", "2019-05-25"),
    ("2019-13-25", None),
    ("version 1.2.3", None),
    ("", None),
])
def test_date_from_text(text, date):
    assert date_from_text(text) == date


def test_date_from_header_reads_the_header_only():
    assert date_from_header(digest((1, "A Title", "2104.08696"), header="2019-05-25 转自爱可可爱生活")) == "2019-05-25"
    assert date_from_header(digest((1, "A Title", "2104.08696"), header="转自爱可可爱生活")) is None
    # a date printed in an abstract (a long line) or after the tenth line is no header date
    late = "\n".join(["line"] * 10 + ["2019-05-25 转自爱可可爱生活"])
    assert date_from_header(late) is None
    assert date_from_header("We release the code on 2019-05-25 under the MIT licence, with every model.") is None


def test_date_lines_are_short_lines_that_start_with_a_date():
    text = "\n".join([
        "2019-05-25 转自爱可可爱生活",  # 1
        "Date: 2019-05-26",  # 2
        "2019-05-27 12:30 来自 微博",  # 3
        "2019-05-28, 2019-05-29 and more",  # 4: a list of dates, not a date line
        "2019-05-30" + " word" * 20,  # 5: too long
        "see 2019-05-31",  # 6: does not start with the date
        "2019-05-32 x",  # 7: no such day
    ])
    assert date_lines(text) == [(1, "2019-05-25"), (2, "2019-05-26"), (3, "2019-05-27")]


@pytest.mark.parametrize("arxiv_id, date", [
    ("2104.08696", "2021-04-01"), ("2209.00616v3", "2022-09-01"), ("0704.0001", "2007-04-01"),
    ("hep-th/9901001", "1999-01-01"), ("math.GT/0309136", "2003-09-01"), ("cs/0112017v2", "2001-12-01"),
    ("2113.00001", None), ("0612.0001", None), ("not an id", None), (None, None),
])
def test_date_from_arxiv_id(arxiv_id, date):
    assert date_from_arxiv_id(arxiv_id) == date


def test_iso_dates_for_the_option():
    assert [parse_iso_date(v) for v in ("2019-05-25", " 2019-05-25 ", "2019-5-25", "2019-02-29", "2020-02-29", "x")] == [
        "2019-05-25", "2019-05-25", None, None, "2020-02-29", None]


def test_the_order_of_sources_and_the_option():
    header = "2019-05-25 转自爱可可爱生活\n1、[LG] A\nD Dai\n2、[LG] B\nD Dai\n"
    entries = [Entry(Source("2020-01-02-x.txt", 2), "digest", arxiv_id="2104.08696"),
               Entry(Source("2020-01-02-x.txt", 4), "digest", date="2018-01-01", date_source="document")]
    # the document's date line first; a date a reader gave is kept
    assert [(e.date, e.date_source) for e in date_entries(entries, header, "2020-01-02-x.txt")] == [
        ("2019-05-25", "document"), ("2018-01-01", "document")]
    # no date line: the file name; no date in the name either: the arXiv id's month
    assert [(e.date, e.date_source) for e in date_entries(entries[:1], "1、[LG] A\nD Dai\n", "2020-01-02-x.txt")] == [
        ("2020-01-02", "filename")]
    assert [(e.date, e.date_source) for e in date_entries(entries[:1], "1、[LG] A\nD Dai\n", "x.txt")] == [
        ("2021-04-01", "arxiv-id")]
    # nothing: undated, until the option dates it; a dated entry keeps its own
    undated = date_entries([Entry(Source("x.txt", 1), "feed")], "text", "x.txt")
    assert (undated[0].date, undated[0].date_source) == (None, None)
    given = with_date([*undated, entries[1]], "2019-01-31")
    assert [(e.date, e.date_source) for e in given] == [("2019-01-31", "option"), ("2018-01-01", "document")]
    assert with_date(undated, None) == list(undated)


# --- read_file: each format's entries dated ------------------------------------------------------


def _dates(path) -> list[tuple[int, str | None, str | None]]:
    result = read_file(str(path))
    return [(e.source.line, e.date, e.date_source) for e in result.entries]


def test_a_header_dated_digest(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(digest((1, "First Paper Title", "2104.08696"), (2, "Second Paper Title", "1901.00001"),
                           header="2019-05-25 转自爱可可爱生活"), encoding="utf-8")
    assert _dates(path) == [(4, "2019-05-25", "document"), (11, "2019-05-25", "document")]


def test_two_digests_pasted_into_one_file_keep_their_dates(tmp_path):
    path = tmp_path / "2020-01-01-two.txt"
    path.write_text(digest((1, "First Paper Title", "2104.08696"), header="2019-05-25 转自爱可可爱生活")
                    + digest((1, "Second Paper Title", "1901.00001"), header="2019-05-26 转自爱可可爱生活"), encoding="utf-8")
    result = read_file(str(path))
    assert [(e.title, e.date, e.date_source) for e in result.entries] == [
        ("First Paper Title", "2019-05-25", "document"), ("Second Paper Title", "2019-05-26", "document")]
    # the second header line is not read into the first digest's last entry
    assert "转自" not in (result.entries[0].abstract or "") and result.entries[0].summary_zh is None


@pytest.mark.parametrize("name", ["2019-05-25-icra-00.txt", "20190525.txt", "2019_05_25_digest.txt"])
def test_a_digest_dated_by_its_file_name(tmp_path, name):
    path = tmp_path / name
    path.write_text(digest((1, "First Paper Title", "2104.08696"), header="转自爱可可爱生活"), encoding="utf-8")
    assert _dates(path) == [(4, "2019-05-25", "filename")]


def test_a_digest_dated_by_its_arxiv_ids(tmp_path):
    path = tmp_path / "digest.txt"
    path.write_text(digest((1, "First Paper Title", "2104.08696"), (2, "Second Paper Title", "hep-th/9901001")),
                    encoding="utf-8")
    assert _dates(path) == [(3, "2021-04-01", "arxiv-id"), (10, "1999-01-01", "arxiv-id")]


def test_a_feed_without_any_date_is_undated(tmp_path):
    path = tmp_path / "feed.txt"
    path.write_text("We study a problem at some length, with a method and its results on benchmarks.\n"
                    "translated by 谷歌翻译\n", encoding="utf-8")
    assert _dates(path) == [(1, None, None)]


def test_metadata_formats_date_their_entries(tmp_path):
    data = Path(__file__).resolve().parent.parent / "data" / "formats"
    # arXiv metadata: v1's submission date; a record without versions: its arXiv id's month
    assert _dates(data / "arxiv_metadata.jsonl") == [
        (1, "2021-04-18", "document"), (2, "2007-04-02", "document"), (5, "2021-09-29", "document")]
    # front matter `date: 2021-04-18 03:38:26`
    assert _dates(data / "2021-04-18-Knowledge-Neurons-in-Pretrained-Transformers.md") == [(1, "2021-04-18", "document")]
    # a post's timestamp line dates the posts below it
    assert _dates(data / "oneline_posts.txt") == [
        (3, "2021-04-19", "document"), (13, "2020-09-05", "document"), (17, "2020-09-05", "document"),
        (19, "2020-09-05", "document")]
    # BibTeX: a `date`, `year` + `month`; a year alone is no date (the arXiv id's month then, or none)
    bib = tmp_path / "refs.bib"
    bib.write_text("@article{a, title={Paper A}, author={Dai, Damai}, date={2021-04-18}}\n"
                   "@article{b, title={Paper B}, author={Dai, Damai}, year={2021}, month=apr}\n"
                   "@article{c, title={Paper C}, author={Dai, Damai}, year={2021}, eprint={2104.08696}, archivePrefix={arXiv}}\n"
                   "@article{d, title={Paper D}, author={Dai, Damai}, year={2021}}\n", encoding="utf-8")
    assert _dates(bib) == [(1, "2021-04-18", "document"), (2, "2021-04-01", "document"),
                           (3, "2021-04-01", "arxiv-id"), (4, None, None)]


def test_the_seeds_carry_no_dates_but_their_arxiv_ids():
    entries = read_inputs([str(ROOT / "seeds")]).entries
    assert {(e.date_source, e.date is None) for e in entries} == {("arxiv-id", False), (None, True)}
    assert all(e.date == date_from_arxiv_id(e.arxiv_id) for e in entries)


# --- the dated replay ----------------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.corpus
@pytest.mark.skipif(not DATED.is_dir(), reason="../shared/corpus/dated is not there")
def test_every_entry_of_the_dated_replay_has_its_files_date():
    """97 files YYYY-MM-DD-<venue>-NN.txt whose header line is `YYYY-MM-DD 转自爱可可爱生活`: every entry
    is dated by the header (the document), with the file's date."""
    result = read_inputs([str(DATED)])
    assert len(result.files) == 97 and len(result.entries) > 16000
    for e in result.entries:
        name = os.path.basename(e.source.file)
        assert re.match(r"\d{4}-\d{2}-\d{2}-", name)
        assert (e.date, e.date_source) == (name[:10], "document"), e.source
