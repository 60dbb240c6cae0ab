from pathlib import Path

from kg.ingest import read_file
from kg.ingest.frontmatter import parse_frontmatter
from kg.model import Problem

from .formats_data import BLOG_EN_ZH, BLOG_ZH

QUIRKS = Path(__file__).resolve().parent.parent / "data" / "quirks"


def test_english_and_chinese_abstract_sections():
    result = read_file(str(BLOG_EN_ZH))
    assert result.problems == ()
    (e,) = result.entries
    assert e.format == "frontmatter" and e.source.line == 1
    assert e.title == "Knowledge Neurons in Pretrained Transformers"
    assert e.authors == ("Damai Dai", "Li Dong", "Yaru Hao", "Zhifang Sui", "Baobao Chang", "Furu Wei")
    assert e.author_names_full == e.authors
    assert e.tag == "CL" and e.category is None  # categories: arXiv_CL
    assert e.year == 2021 and e.arxiv_id == "2104.08696"
    assert e.lang == "en" and e.abstract.startswith("Large-scale pretrained language models")
    assert e.summary_zh.startswith("大规模预训练语言模型")
    assert e.urls == ("https://github.com/Hunter-DDM/knowledge-neurons", "http://arxiv.org/abs/2104.08696",
                      "http://arxiv.org/pdf/2104.08696")


def test_chinese_only_post_with_yaml_lists():
    result = read_file(str(BLOG_ZH))
    (e,) = result.entries
    assert e.title == "Pin the Memory: Learning to Generalize Semantic Segmentation"
    assert e.authors == ("Jin Kim", "Jiyoung Lee", "Jungin Park", "Dongbo Min", "Kwanghoon Sohn")
    assert e.institutions == ("Yonsei University", "NAVER AI Lab", "Ewha Womans University")
    assert e.category == "cs.CV" and e.tag is None
    assert e.arxiv_id == "2204.03609" and e.year == 2022
    assert e.lang == "zh" and e.abstract == e.summary_zh and e.abstract.startswith("深度神经网络的兴起")
    # the note before the sections and the comment section are reported, once per paragraph
    assert [(p.line, p.severity) for p in result.problems] == [(16, "warning"), (24, "warning")]
    assert result.problems[0].reason.startswith("text outside an Abstract section skipped")
    assert result.problems[1].reason.startswith("section '个人评论' skipped")


def test_invalid_yaml_is_an_error_with_its_line():
    text = "---\nlayout: post\ntitle: 钉住记忆: (Pin the Memory: x)\nauthor: A B\n---\n##### Abstract\nText.\n"
    result = parse_frontmatter(text, "p.md")
    assert result.entries == ()
    assert [(p.line, p.severity) for p in result.problems] == [(3, "error")]
    assert result.problems[0].reason.startswith("invalid YAML front matter")


def test_stray_front_matter_line_is_skipped_with_a_warning_and_the_post_kept():
    """Issue 21: a bare ``[arXiv_CV,Video Indexing]`` between ``key: value`` lines (line 6 of the post)."""
    path = QUIRKS / "2021-04-18-Knowledge-Neurons-stray-front-matter-line.md"
    result = read_file(str(path))
    assert list(result.problems) == [
        Problem(str(path), 6, "front matter line not understood, skipped: [arXiv_CV,Video Indexing]", "warning"),
    ]
    (e,) = result.entries
    assert e.title == "Knowledge Neurons in Pretrained Transformers"
    assert e.authors == ("Damai Dai", "Li Dong", "Yaru Hao", "Zhifang Sui", "Baobao Chang", "Furu Wei")
    assert e.tag == "CL" and e.year == 2021 and e.arxiv_id == "2104.08696"
    assert e.abstract.startswith("Large-scale pretrained language models") and e.summary_zh.startswith("大规模预训练语言模型")


def test_salvage_skips_each_line_of_an_item_that_fails_and_keeps_lists():
    text = ("---\n# a comment\ntitle: A Post Title\nabstract: \"never closed\n  still the same item\n\n"
            "authors:\n- Ann Lee\n- Bo Chen\nnot a key\n---\n##### Abstract\nText.\n")
    result = parse_frontmatter(text, "p.md")
    (e,) = result.entries
    assert e.title == "A Post Title" and e.authors == ("Ann Lee", "Bo Chen") and e.abstract == "Text."
    assert [(p.line, p.reason, p.severity) for p in result.problems] == [
        (4, 'front matter line not understood, skipped: abstract: "never closed', "warning"),
        (5, "front matter line not understood, skipped: still the same item", "warning"),
        (10, "front matter line not understood, skipped: not a key", "warning"),
    ]


def test_front_matter_whose_title_line_fails_is_still_rejected():
    text = "---\ntitle: \"never closed\nauthor: A B\n[x, y]\n---\n##### Abstract\nText.\n"
    result = parse_frontmatter(text, "p.md")
    assert result.entries == ()
    assert [(p.line, p.severity) for p in result.problems] == [(4, "error")]
    assert result.problems[0].reason.startswith("invalid YAML front matter")
