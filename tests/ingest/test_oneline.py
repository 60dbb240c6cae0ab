from kg.ingest import read_file
from kg.ingest.oneline import match_post, parse_oneline

from .formats_data import ONELINE


def test_posts_among_unrelated_posts_and_metadata():
    result = read_file(str(ONELINE))
    es = result.entries
    assert [e.source.line for e in es] == [3, 13, 17, 19]
    assert [e.title for e in es] == [
        "Knowledge Neurons in Pretrained Transformers",
        "Learning to summarize from human feedback",
        "Vitruvion: A Generative Model of Parametric CAD Sketches",
        "Distributionally Robust Models with Parametric Likelihood Ratios",
    ]
    assert all(e.format == "oneline" for e in es)


def test_fields_of_a_post():
    kn, summ, vit, dro = read_file(str(ONELINE)).entries
    assert kn.tag == "CL" and summ.tag is None
    assert kn.authors == ("D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei")
    assert kn.institutions == ("Peking University", "Microsoft Research")
    assert kn.year == 2021 and kn.arxiv_id == "2104.08696"
    assert kn.urls == ("https://arxiv.org/abs/2104.08696", "https://weibo.com/1402400261/KbQxWz2")
    assert kn.summary_zh == "预训练Transformer的知识神经元" and kn.lang == "zh"
    assert summ.authors[3] == "D M. Ziegler" and summ.institutions == ("OpenAI",) and summ.arxiv_id is None
    assert summ.summary_zh == "基于人类反馈的摘要学习"
    assert vit.authors == ("A Seff", "W Zhou", "N Richardson", "R P. Adams") and vit.urls == ()
    assert dro.institutions == ("École normale supérieure PSL", "Stanford University", "CMU")
    assert dro.arxiv_id == "2204.06340" and dro.lang == "en" and dro.abstract is None


def test_unrelated_lines_are_warnings_with_line_numbers_and_metadata_is_skipped():
    problems = read_file(str(ONELINE)).problems
    assert [(p.line, p.severity) for p in problems] == [(8, "warning"), (16, "warning"), (18, "warning")]
    assert all(p.reason.startswith("unrecognised line skipped: ") for p in problems)
    assert "推荐一本书《深度学习》" in problems[1].reason


def test_a_chinese_book_title_is_not_a_paper():
    assert match_post("推荐一本书《深度学习》，入门必读。") is None
    assert match_post("《Attention Is All You Need》 is a great read") is None
    result = parse_oneline("just chatter\n", "x.txt")
    assert result.entries == () and result.problems[-1].reason == "no one-line paper post found"
