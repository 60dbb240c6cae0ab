from kg.ingest import read_file
from kg.ingest.frontmatter import parse_frontmatter

from .formats_data import BLOG_EN_ZH, BLOG_ZH


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
