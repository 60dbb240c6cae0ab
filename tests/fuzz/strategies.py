"""Hypothesis strategies for the fuzz tests: hostile text, token soup, mutated fixture files, bytes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import strategies as st

from kg.ingest.registry import detect_format

ROOT = Path(__file__).resolve().parent.parent.parent
FIXTURE_PATHS = sorted(
    [*(ROOT / "seeds").glob("*.txt"), *(ROOT / "tests/data/formats").iterdir(), *(ROOT / "tests/data/authors").iterdir()]
)
# (name, text, reader that claims it)
FIXTURES = [(p.name, p.read_text(encoding="utf-8"), detect_format(p.read_text(encoding="utf-8"))[0]) for p in FIXTURE_PATHS]

# pieces of every format's syntax, so random documents reach past the first regex of each reader
TOKENS = [
    "1、", "2、", "12、", "3. ", "[LG] ", "[CL]", "[cs.CL] ", "《", "》", "【", "】", "**", "- ", "* ", "1. ", "> ",
    "---\n", "...\n", "title: ", "author: ", "authors:\n  - ", "categories: arXiv_CL\n", "date: 2021-04-18\n",
    "@article{", "@misc(", "@string{j = \"J\"}\n", "@comment{", "}", "{", "(", ")", ",", "=", '"', "\\", "\\'", "{\\\"o}", "$",
    "translated by 谷歌翻译", "translated by Google Translate", "\n", "\r\n", "\r", "\n\n", " ", "\t", "\u3000", "\u2028",
    "\ufeff", "\x0b", "\x85", "https://arxiv.org/abs/2104.08696", "http://arxiv.org/pdf/2104.08696v2.pdf",
    "https://github.com/ Hunter-DDM/knowledge-neurons", "github.com/lilt/tec", "arXiv:2104.08696", "10.48550/arXiv.2204.06340",
    "D Dai, L Dong, Y Hao", "R P. Adams", "and ", "[Peking University & Microsoft Research]", "[", "]", "(2020)", "（2021）",
    "##### Abstract\n", "## Section\n", "#机器学习#", "2020-9-5 06:12 来自 微博 weibo.com", "转发 23 ǀ 评论 5 ǀ 赞 87",
    '{"id": "2104.08696", "title": "T", "authors_parsed": [["Dai", "D", ""]]}', '{"id": ', "[[", "null", "1e999",
    "：", "。", "，", "、", "知识神经元", "预训练语言模型", "Knowledge Neurons in Pretrained Transformers", "We propose X.",
    "İ", "ß", "ﬁ", "𝔘", "\u200b", "\u202e", "😀", "\U0010ffff", "\ufffd",
]

hostile_text = st.text(max_size=600)
token_soup = st.lists(st.sampled_from(TOKENS) | st.text(max_size=8), max_size=60).map("".join)


@st.composite
def mutated_fixture(draw, reader: str | None = None):
    """(description, fixture name, mutated text): a real file cut, spliced, repeated or re-ended;
    a file of `reader`'s own format half the time, so the mutations reach past its detection."""
    own = [f for f in FIXTURES if f[2] == reader]
    name, text, _ = draw(st.sampled_from(own) | st.sampled_from(FIXTURES) if own else st.sampled_from(FIXTURES))
    op = draw(st.sampled_from(["truncate", "delete", "insert", "repeat", "eol", "drop-lines"]))
    n = len(text)
    a = draw(st.integers(0, n))
    b = draw(st.integers(a, min(n, a + 400)))
    if op == "truncate":
        out = text[:a]
    elif op == "delete":
        out = text[:a] + text[b:]
    elif op == "insert":
        out = text[:a] + draw(token_soup) + text[a:]
    elif op == "repeat":
        out = text[:b] + text[a:b] * draw(st.integers(1, 3)) + text[b:]
    elif op == "eol":
        out = text.replace("\n", draw(st.sampled_from(["\r\n", "\r", "\n\n", "\u2028"])))
    else:  # lines removed: entries missing a field (author line, title, link, separator…)
        lines = text.split("\n")
        drop = set(draw(st.lists(st.integers(0, max(0, len(lines) - 1)), max_size=6)))
        out = "\n".join(line for i, line in enumerate(lines) if i not in drop)
    return f"{op} {name} at {a}:{b}", name, out


any_bytes = st.binary(max_size=2000)


@st.composite
def damaged_bytes(draw):
    """(description, bytes): a fixture encoded, then bytes flipped, cut or spliced in."""
    name, text, _ = draw(st.sampled_from(FIXTURES))
    encoding = draw(st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "gb18030"]))
    data = bytearray(text.encode(encoding))
    op = draw(st.sampled_from(["flip", "truncate", "splice", "nul-pad"]))
    at = draw(st.integers(0, len(data)))
    if op == "flip":
        for _ in range(draw(st.integers(1, 4))):
            i = draw(st.integers(0, max(0, len(data) - 1)))
            if data:
                data[i] = draw(st.integers(0, 255))
    elif op == "truncate":
        del data[at:]
    elif op == "splice":
        data[at:at] = draw(st.binary(min_size=1, max_size=64))
    else:
        data += b"\x00" * draw(st.integers(1, 512))
    return f"{op} {name} as {encoding} at {at}", bytes(data)
