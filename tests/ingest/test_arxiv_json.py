import json

from kg.ingest import read_file
from kg.ingest.arxiv_json import iter_lines, parse_arxiv_json

from .formats_data import ARXIV

KN_FULL = ("Damai Dai", "Li Dong", "Yaru Hao", "Zhifang Sui", "Baobao Chang", "Furu Wei")


def test_snapshot_lines_become_entries_with_line_numbers():
    result = read_file(str(ARXIV))
    assert [e.source.line for e in result.entries] == [1, 2, 5]
    assert [e.number for e in result.entries] == [1, 2, 3]
    assert [e.arxiv_id for e in result.entries] == ["2104.08696", "0704.0001", "2109.14124"]
    assert all(e.format == "arxiv" for e in result.entries)


def test_knowledge_neurons_record():
    e = read_file(str(ARXIV)).entries[0]
    assert e.title == "Knowledge Neurons in Pretrained Transformers"
    assert e.authors == KN_FULL and e.author_names_full == KN_FULL
    assert e.category == "cs.CL" and e.tag is None
    assert e.year == 2021 and e.lang == "en"
    # the snapshot wraps abstracts with a newline and two spaces: one paragraph here
    assert e.abstract.startswith("Large-scale pretrained language models are surprisingly good at recalling factual")
    assert "\n" not in e.abstract and "  " not in e.abstract
    assert e.urls == ("https://arxiv.org/abs/2104.08696", "https://github.com/Hunter-DDM/knowledge-neurons")


def test_old_ids_wrapped_titles_initials_and_doi():
    e = read_file(str(ARXIV)).entries[1]
    assert e.title == "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    assert e.authors == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C. -P. Yuan")
    assert e.author_names_full == ()  # initials only: nothing to upgrade another entry with
    assert e.category == "hep-ph" and e.year == 2007
    assert e.venue == "Phys.Rev.D76:013009,2007"
    assert e.urls == ("https://arxiv.org/abs/0704.0001", "https://doi.org/10.1103/PhysRevD.76.013009")


def test_affiliations_in_authors_parsed_become_institutions_in_order():
    e = read_file(str(ARXIV)).entries[2]
    assert e.authors == ("Ari Seff", "Wenda Zhou", "Nick Richardson", "Ryan P. Adams")
    assert e.institutions == ("Princeton University", "New York University")
    assert e.category == "cs.LG"  # primary category: the first of "cs.LG cs.CV"


def test_bad_lines_are_problems_and_the_rest_is_read():
    problems = read_file(str(ARXIV)).problems
    assert [(p.line, p.severity) for p in problems] == [(4, "error"), (6, "error"), (7, "error")]
    assert problems[0].reason.startswith("invalid JSON: Unterminated string")
    assert problems[1].reason == "not an arXiv metadata object (a JSON list)"
    assert problems[2].reason == "arXiv record has no title and no abstract"
    assert all(p.file == str(ARXIV) for p in problems)


def test_authors_string_used_when_authors_parsed_is_missing():
    line = json.dumps({"id": "1706.03762", "title": "Attention Is All You Need", "abstract": "The dominant models.",
                       "authors": "Ashish Vaswani, Noam Shazeer and {\\L}ukasz Kaiser", "categories": "cs.CL cs.LG"})
    e = parse_arxiv_json(line + "\n", "x.jsonl").entries[0]
    assert e.authors == ("Ashish Vaswani", "Noam Shazeer", "Łukasz Kaiser")
    assert e.year is None  # no versions: resolve takes the year from the id


def test_crlf_and_spreadsheet_mangled_ids():
    text = '{"id":"704.0002","title":"Sparsity-certifying Graph Decompositions","authors_parsed":[["Streinu","Ileana",""]]}\r\n'
    result = parse_arxiv_json(text, "x.jsonl")
    assert result.problems == ()
    assert result.entries[0].arxiv_id == "0704.0002"
    assert list(iter_lines("a\r\nb\rc\n")) == [(1, "a"), (2, "b"), (3, "c")]
