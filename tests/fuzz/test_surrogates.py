"""Lone surrogates decoded from escapes (JSON or YAML ``\\ud800``) never reach an Entry: read_file
replaces them with U+FFFD and warns, joins escaped pairs, and a build still writes papers.jsonl."""

from __future__ import annotations

import dataclasses
import json
import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kg.ingest import read_file, read_inputs
from kg.ingest.surrogates import clean_text
from kg.model import Problem

from .harness import run_read_file

SURROGATE = re.compile("[\ud800-\udfff]")
LONE = "lone surrogate (an escape such as \\ud800 that is half of a UTF-16 pair, not a character) in {}: replaced with U+FFFD"

ARXIV_LINE = (
    r'{"id": "2104.08696", "title": "Knowledge \ud800 Neurons", "authors_parsed": [["Dai", "Da\ud800mai", ""], '
    r'["Dong", "Li", ""]], "categories": "cs.CL", "abstract": "Large \udc00 pretrained models store facts. '
    r'Emoji \ud83d\ude00 kept.", "versions": [{"version": "v1", "created": "Sun, 18 Apr 2021 06:50:31 GMT"}]}'
)
ARXIV_AUTHORS_STRING = r'{"id": "2104.08697", "title": "Plain title", "authors": "Da\ud800mai Dai and Li Dong", "abstract": "Text."}'
FRONT_MATTER = """---
title: "Knowledge \\ud800 Neurons \\ud83d\\ude00"
author: "Damai Dai, Li \\udfff Dong"
categories: arXiv_CL
date: 2021-04-18
---

##### Abstract
Large-scale pretrained language models store facts; \\ud800 in the body is plain text.
"""


def _strings(entry):
    for f in dataclasses.fields(entry):
        value = getattr(entry, f.name)
        for item in value if isinstance(value, tuple) else (value,):
            if isinstance(item, str):
                yield item


def _writable(result) -> None:
    """Every string of every entry and problem encodes as UTF-8, as every exporter needs."""
    for entry in result.entries:
        for text in _strings(entry):
            assert not SURROGATE.search(text), (entry, text)
        json.dumps(dataclasses.asdict(entry), ensure_ascii=False).encode("utf-8")
    for problem in result.problems:
        problem.reason.encode("utf-8")


# --- exact cases ----------------------------------------------------------------------------------

def test_clean_text_joins_pairs_and_replaces_lone_halves():
    assert clean_text("a\ud800b") == ("a\ufffdb", 1)
    assert clean_text("\ud83d\ude00") == ("😀", 0)
    assert clean_text("\ude00\ud83d") == ("\ufffd\ufffd", 2)  # a low half before a high one is no pair
    assert clean_text("\ud83d\ud83d\ude00") == ("\ufffd😀", 1)
    assert clean_text("名字 😀 \ufffd") == ("名字 😀 \ufffd", 0)


def test_arxiv_line_with_lone_surrogates_keeps_the_entry(tmp_path):
    path = tmp_path / "meta.jsonl"
    path.write_text(ARXIV_LINE + "\n" + ARXIV_AUTHORS_STRING + "\n", encoding="ascii")
    result = run_read_file("read_file/surrogate-exact", path, "arXiv line with \\ud800 in title, author, abstract")
    first, second = result.entries
    assert first.title == "Knowledge \ufffd Neurons"
    assert first.authors == ("Da\ufffdmai Dai", "Li Dong")
    assert first.abstract == "Large \ufffd pretrained models store facts. Emoji 😀 kept."  # json joins the pair
    assert (first.arxiv_id, first.category, first.year) == ("2104.08696", "cs.CL", 2021)
    assert second.authors == ("Da\ufffdmai Dai", "Li Dong")
    assert list(result.problems) == [
        Problem(str(path), 1, LONE.format("title, authors[0], abstract, author_names_full[0]"), "warning"),
        Problem(str(path), 2, LONE.format("authors[0], author_names_full[0]"), "warning"),
    ]
    _writable(result)


def test_arxiv_problem_reasons_carry_no_surrogate(tmp_path):
    path = tmp_path / "meta.jsonl"
    path.write_text(r'{"id": "\ud800", "title": "T", "authors": ""}' + "\n", encoding="ascii")
    result = read_file(str(path))
    assert [e.title for e in result.entries] == ["T"]
    assert "arXiv record \ufffd has no authors" in [p.reason for p in result.problems]
    _writable(result)


def test_yaml_front_matter_with_lone_surrogates_keeps_the_entry(tmp_path):
    # libyaml refuses every surrogate escape, even a pair: the reader falls back to PyYAML's own loader
    path = tmp_path / "post.md"
    path.write_text(FRONT_MATTER, encoding="ascii")
    result = run_read_file("read_file/surrogate-exact", path, "front matter with \\ud800 in title and author")
    (entry,) = result.entries
    assert entry.title == "Knowledge \ufffd Neurons 😀"
    assert entry.authors == ("Damai Dai", "Li \ufffd Dong")
    assert entry.abstract == "Large-scale pretrained language models store facts; \\ud800 in the body is plain text."
    assert (entry.tag, entry.year) == ("CL", 2021)
    assert list(result.problems) == [
        Problem(str(path), 1, LONE.format("title, authors[1], author_names_full[1]"), "warning"),
    ]
    _writable(result)


def test_yaml_escape_beyond_unicode_is_a_problem_not_a_crash(tmp_path):
    path = tmp_path / "post.md"
    path.write_text('---\ntitle: "A \\ud800 \\U00110000"\nauthor: A B\n---\n\n# Abstract\nText.\n', encoding="ascii")
    result = run_read_file("read_file/surrogate-exact", path, "front matter with \\U00110000")
    assert list(result.problems) == [
        Problem(str(path), 1, "invalid YAML front matter: an escape of a code point beyond U+10FFFF"),
    ]


@pytest.mark.model
@pytest.mark.slow
def test_build_writes_papers_jsonl_from_surrogate_escapes(tmp_path):
    from kg.build import BuildConfig, build

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "meta.jsonl").write_text(ARXIV_LINE + "\n", encoding="ascii")
    (folder / "post.md").write_text(FRONT_MATTER.replace("Knowledge", "Other"), encoding="ascii")
    result = build([str(folder)], str(tmp_path / "out"), BuildConfig(targets=(), pages=False))
    lines = (tmp_path / "out" / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    titles = sorted(json.loads(line)["title"] for line in lines)
    assert titles == ["Knowledge \ufffd Neurons", "Other \ufffd Neurons 😀"]
    assert result.report["rejected"] == []
    assert len(read_inputs([str(folder)]).problems) == 2  # the two warnings, nothing else


# --- property: random escapes in JSON lines and YAML front matter ----------------------------------

# text with surrogates of every kind: lone high, lone low, pairs, reversed pairs, beside ordinary text
_pieces = st.lists(
    st.text(max_size=6)
    | st.integers(0xD800, 0xDFFF).map(chr)
    | st.tuples(st.integers(0xD800, 0xDBFF), st.integers(0xDC00, 0xDFFF)).map(lambda p: chr(p[0]) + chr(p[1]))
    | st.sampled_from(["\\", '"', "\\u", "\\ud800", "😀", "\U0010ffff", "名字", " and ", ", "]),
    min_size=1,
    max_size=12,
).map("".join)


def _yaml_quoted(text: str) -> str:
    """`text` as a YAML double-quoted scalar of ASCII, every other code point (surrogates too) escaped."""
    out = []
    for c in text:
        if c in '"\\':
            out.append("\\" + c)
        elif " " <= c <= "~":
            out.append(c)
        elif ord(c) <= 0xFFFF:
            out.append(f"\\u{ord(c):04x}")
        else:
            out.append(f"\\U{ord(c):08x}")
    return '"' + "".join(out) + '"'


@given(title=_pieces, author=_pieces, affiliation=_pieces, abstract=_pieces, category=_pieces, raw_id=_pieces)
def test_json_lines_with_random_escapes_give_no_surrogate(title, author, affiliation, abstract, category, raw_id):
    records = [
        {"id": "2104.08696", "title": title, "authors_parsed": [["Dai", author, "", affiliation]],
         "categories": category, "abstract": abstract},
        {"id": raw_id, "title": abstract, "authors": author, "journal-ref": title, "doi": category},
    ]
    text = "".join(json.dumps(r) + "\n" for r in records)  # ensure_ascii: every surrogate becomes \\uXXXX
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "meta.jsonl"
        path.write_text(text, encoding="ascii")
        result = run_read_file("read_file/surrogate-json", path, text[:60], format="arxiv")
    _writable(result)


@given(title=_pieces, authors=st.lists(_pieces, min_size=1, max_size=3), other=_pieces)
def test_yaml_front_matter_with_random_escapes_gives_no_surrogate(title, authors, other):
    names = "\n".join(f"  - {_yaml_quoted(a)}" for a in authors)
    text = (f"---\ntitle: {_yaml_quoted(title)}\nauthors:\n{names}\ncategories: {_yaml_quoted(other)}\n"
            f"institution: {_yaml_quoted(other)}\narxiv: {_yaml_quoted(other)}\n---\n\n# Abstract\nText.\n")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "post.md"
        path.write_text(text, encoding="ascii")
        result = run_read_file("read_file/surrogate-yaml", path, text[:60], format="frontmatter")
    _writable(result)
    assert result.entries, result.problems  # "Text." is an abstract: the post is always kept
