from kg.ingest import read_file
from kg.ingest.paperpost import parse_paperpost, split_glued_header

from .formats_data import POST_GLUED, POST_THREAD


def test_glued_header_single_author():
    result = read_file(str(POST_GLUED))
    assert result.problems == ()
    (e,) = result.entries
    assert e.format == "paperpost" and e.source.line == 1 and e.tag == "LG"
    assert e.title == "Learning with Differentiable Algorithms"
    assert e.authors == ("F Petersen",) and e.institutions == ("University of Konstanz",)
    assert e.arxiv_id == "2209.00616"
    assert e.summary_zh.startswith("基于可微算法的学习。") and "要点" not in e.summary_zh  # label lines dropped
    assert "1. 提出算法监督的概念" in e.summary_zh
    assert e.abstract.startswith("Classic algorithms and machine learning systems") and e.lang == "en"
    assert "来自" not in e.summary_zh and "转发" not in e.summary_zh  # post metadata skipped


def test_thread_spaced_initials_and_glued_full_names():
    result = read_file(str(POST_THREAD))
    kn, vit = result.entries
    assert (kn.source.line, vit.source.line) == (2, 7)
    assert kn.title == "Knowledge Neurons in Pretrained Transformers" and kn.tag == "CL"
    assert kn.authors == ("D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei")
    assert kn.institutions == ("Peking University", "Microsoft Research") and kn.arxiv_id == "2104.08696"
    assert vit.title == "Vitruvion: A Generative Model of Parametric CAD Sketches"
    assert vit.authors == ("Ari Seff", "Wenda Zhou", "Nick Richardson", "Ryan P. Adams")
    assert vit.author_names_full == vit.authors
    assert vit.urls == ("https://github.com/aseff/vitruvion", "https://arxiv.org/abs/2109.14124")
    assert vit.abstract == "Parametric computer-aided design (CAD) tools are the predominant way that engineers specify physical structures."
    assert [(p.line, p.reason) for p in result.problems] == [(1, "unrecognised line skipped: '今日精选两篇：'")]


def test_split_glued_header_variants():
    assert split_glued_header("Deep Sets Manzil Zaheer, Satwik Kottur[CMU]") == (
        "Deep Sets", ["Manzil Zaheer", "Satwik Kottur"], ["CMU"])
    assert split_glued_header("GANs Trained by a Two Time-Scale Update RuleM Heusel, H Ramsauer, B Nessler") == (
        "GANs Trained by a Two Time-Scale Update Rule", ["M Heusel", "H Ramsauer", "B Nessler"], [])
    assert split_glued_header("Probabilistic NumericsRyan P. Adams, Ari Seff")[1] == ["Ryan P. Adams", "Ari Seff"]
    assert split_glued_header("Just a title with no authors") is None


def test_header_with_line_breaks_kept():
    text = ("[CV] Pin the Memory: Learning to Generalize Semantic Segmentation\nJ Kim, J Lee, J Park, D Min, K Sohn\n"
            "[Yonsei University & NAVER AI Lab]\n钉住记忆：语义分割泛化学习。\n")
    (e,) = parse_paperpost(text, "p.txt").entries
    assert e.title == "Pin the Memory: Learning to Generalize Semantic Segmentation"
    assert e.authors == ("J Kim", "J Lee", "J Park", "D Min", "K Sohn")
    assert e.institutions == ("Yonsei University", "NAVER AI Lab")
    assert e.summary_zh == "钉住记忆：语义分割泛化学习。" and e.abstract == e.summary_zh and e.lang == "zh"
