from kg.ingest import read_file
from kg.ingest.digest import parse_digest, split_authors

from ..conftest import SEED_DIGEST, SEEDS


def seed_entries():
    result = read_file(str(SEEDS / SEED_DIGEST))
    assert result.problems == ()
    return result.entries


def test_seed_digest_has_five_entries_with_header_and_trailer_skipped():
    entries = seed_entries()
    assert [e.number for e in entries] == [1, 2, 3, 4, 5]
    assert [e.source.line for e in entries] == [4, 14, 24, 34, 44]
    assert [e.tag for e in entries] == ["LG", "CL", "LG", "CV", "LG"]
    assert all(e.format == "digest" for e in entries)
    # the copyright trailer and comment lines after entry 5 are not part of its text
    assert "版权" not in (entries[-1].summary_zh or "") and "沙发" not in (entries[-1].summary_zh or "")


def test_seed_digest_entry_two_fields():
    e = seed_entries()[1]
    assert e.title == "Knowledge Neurons in Pretrained Transformers"
    assert e.authors == ("D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei")
    assert e.institutions == ("Peking University", "Microsoft Research")
    assert e.arxiv_id == "2104.08696"
    assert e.urls == ("https://github.com/Hunter-DDM/knowledge-neurons", "https://arxiv.org/abs/2104.08696")
    assert e.summary_zh.startswith("预训练Transformer的知识神经元。")
    assert e.abstract.startswith("Large-scale pretrained language models are surprisingly good")
    assert e.lang == "en"


def test_seed_digest_initials_with_dots_and_accented_institutions():
    entries = seed_entries()
    assert entries[2].authors == ("A Seff", "W Zhou", "N Richardson", "R P. Adams")
    assert entries[4].institutions == ("École normale supérieure PSL", "Stanford University", "CMU")
    assert entries[3].institutions == ("Yonsei University", "NAVER AI Lab", "Ewha Womans University")


VARIANTS = """header line
摘要:something

1、[LG] Title With Everything
A Author, B Bauthor
[Some University & Other Lab]
An English abstract that is long enough to be one.
https://arxiv.org/abs/2101.00001

2、Untagged Title
C Cauthor
Abstract without an institution line and without a link.

3、[CV] No Authors Here
[Lonely Institute]
Abstract of an entry without authors.
https://example.org/paper.pdf

内容中包含的图片若涉及版权问题,请及时与我们联系删除
评论
"""


def test_entries_missing_institution_tag_link_or_authors_still_parse():
    result = parse_digest(VARIANTS, "v.txt")
    assert [e.title for e in result.entries] == ["Title With Everything", "Untagged Title", "No Authors Here"]
    a, b, c = result.entries
    assert a.institutions == ("Some University", "Other Lab") and a.arxiv_id == "2101.00001"
    assert b.tag is None and b.institutions == () and b.urls == () and b.authors == ("C Cauthor",)
    assert c.authors == () and c.institutions == ("Lonely Institute",) and c.arxiv_id is None
    assert c.abstract == "Abstract of an entry without authors."
    assert [p.reason for p in result.problems] == ["entry 3 has no author line"]
    assert result.problems[0].line == 14 and result.problems[0].severity == "warning"


def test_numbering_must_increase_so_abstract_lines_are_not_entries():
    text = "1、[LG] First\nA B\n2、this sentence is in the abstract? no: it is entry 2\n1、not an entry\nmore\n"
    titles = [e.title for e in parse_digest(text, "x").entries]
    assert titles == ["First", "this sentence is in the abstract? no: it is entry 2"]


def test_split_authors():
    assert split_authors("D Dai, L Dong, Y Hao") == ["D Dai", "L Dong", "Y Hao"]
    assert split_authors("J van der Berg, M de Souza") == ["J van der Berg", "M de Souza"]
    assert split_authors("In this paper, we study a problem") is None
    assert split_authors("[Peking University]") is None
