import pytest

from kg.ingest.encoding import DecodeError, decode_text
from kg.ingest.text import (
    arxiv_id_from_urls,
    clean_url,
    detect_lang,
    find_urls,
    split_lines,
)


def test_clean_url_cuts_at_first_non_ascii_character():
    assert clean_url("https://github.com/blackfeather-wang/gfnet-pytorch获得。") == (
        "https://github.com/blackfeather-wang/gfnet-pytorch"
    )


@pytest.mark.parametrize(
    "raw, expected",
    [
        ("https://github.com/junjie18/CMT.", "https://github.com/junjie18/CMT"),
        ("https://github.com/yanyachen/xDeepInt.", "https://github.com/yanyachen/xDeepInt"),
        ("https://example.org/a_(b)", "https://example.org/a_(b)"),
        ("https://example.org/x),", "https://example.org/x"),
    ],
)
def test_clean_url_drops_trailing_punctuation(raw, expected):
    assert clean_url(raw) == expected


def test_find_urls_repairs_space_after_github_host():
    text = "The code is available at https://github.com/ Hunter-DDM/knowledge-neurons. More"
    assert find_urls(text) == ["https://github.com/Hunter-DDM/knowledge-neurons"]


def test_find_urls_in_chinese_text_unique_in_order():
    text = "代码在https://github.com/leaplabthu/adafocusv2获得。见https://a.org/x和https://github.com/leaplabthu/adafocusv2。"
    assert find_urls(text) == ["https://github.com/leaplabthu/adafocusv2", "https://a.org/x"]


def test_detect_lang_ratio():
    assert detect_lang("We present GFNet, a network.") == "en"
    assert detect_lang("所提出的浏览和焦点网络(GFNET)首先以低分辨率比例提取输入图像的快速全局表示") == "zh"
    assert detect_lang("We study 知识 neurons in pretrained Transformers and language models") == "en"


def test_arxiv_id_from_abs_and_pdf_links():
    assert arxiv_id_from_urls(["https://arxiv.org/abs/2209.00616"]) == "2209.00616"
    assert arxiv_id_from_urls(["http://x.org", "https://arxiv.org/pdf/2104.08696v2.pdf"]) == "2104.08696"
    assert arxiv_id_from_urls(["https://arxiv.org/abs/cs/0701001v1"]) == "cs/0701001"
    assert arxiv_id_from_urls(["https://aclanthology.org/2022.acl-long.404/"]) is None


def test_decode_bom_crlf_and_utf16():
    assert decode_text("\ufeffa\r\nb".encode("utf-8")).text == "a\r\nb"
    assert decode_text("名字".encode("utf-16")).text == "名字"
    assert split_lines("a\r\nb\rc\nd") == ["a", "b", "c", "d"]


def test_decode_rejects_bad_utf8_with_line():
    with pytest.raises(DecodeError, match="line 2"):
        decode_text(b"ok\n\xff\xfe\xfd bad")
    with pytest.raises(DecodeError, match="binary"):
        decode_text(b"\x00\x01\x02")
