from kg.ingest import read_file
from kg.ingest.readinglist import parse_readinglist

from .formats_data import READINGLIST


def test_items_under_headings():
    es = read_file(str(READINGLIST)).entries
    assert [e.source.line for e in es] == [11, 13, 18, 19]
    assert [e.title for e in es] == [
        "Knowledge Neurons in Pretrained Transformers",
        "Language Models as Knowledge Bases?",
        "Vitruvion: A Generative Model of Parametric CAD Sketches",  # the title was a link
        "Deep Sets",
    ]
    assert [e.arxiv_id for e in es] == ["2104.08696", "1909.01066", "2109.14124", "1703.06114"]
    assert [e.year for e in es] == [2021, 2019, 2022, 2017]


def test_item_fields_and_notes():
    kn, lama, vit, sets = read_file(str(READINGLIST)).entries
    assert kn.authors == ("D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei")
    assert kn.institutions == ("Peking University", "Microsoft Research")
    assert kn.urls == ("https://arxiv.org/abs/2104.08696", "https://github.com/Hunter-DDM/knowledge-neurons")
    assert kn.abstract == "Introduces knowledge neurons and a knowledge attribution method for BERT." and kn.lang == "en"
    assert lama.authors[1] == "T Rocktäschel" and lama.authors[5] == "A H. Miller"
    assert lama.summary_zh.startswith("中文笔记：首次系统评估") and lama.lang == "zh"
    assert vit.urls == ("https://arxiv.org/abs/2109.14124",)
    assert sets.institutions == ("Carnegie Mellon University",)


def test_stray_prose_is_reported_layout_is_not():
    problems = read_file(str(READINGLIST)).problems
    assert [(p.line, p.severity) for p in problems] == [(3, "warning"), (21, "warning"), (24, "warning")]
    assert problems[0].reason.startswith("unrecognised line skipped: 'A curated reading list")


def test_bold_emphasis_is_not_a_paper():
    text = "**Note**: See the list below.\n- **Deep Sets**. M Zaheer, A Smola (2017)\n"
    result = parse_readinglist(text, "r.md")
    assert [e.title for e in result.entries] == ["Deep Sets"]
    assert [p.line for p in result.problems] == [1]


def test_list_page_with_front_matter_is_a_reading_list():
    from kg.ingest.registry import detect_format

    text = ("---\nlayout: page\ntitle: Reading group\nauthor: Jane Doe\n---\n\n"
            "- **Deep Sets**. M Zaheer, A Smola (2017)\n- **Knowledge Neurons in Pretrained Transformers**. D Dai, L Dong (2021)\n"
            "- **Language Models as Knowledge Bases?**. F Petroni, S Riedel (2019)\n")
    assert detect_format(text)[0] == "readinglist"
    result = parse_readinglist(text, "r.md")
    assert [e.source.line for e in result.entries] == [7, 8, 9] and result.problems == ()
