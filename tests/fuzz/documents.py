"""Generated documents in every input format, with any field of any entry left out.

`papers` draws paper records whose optional fields (tag, title, authors, institutions, Chinese
summary, English abstract, arXiv id) are each present or missing. RENDERERS[name](papers, eol)
writes them in that format and returns the text plus the projection of every entry the reader
must return: what a reader may not lose.
"""

from __future__ import annotations

import json

from hypothesis import strategies as st

__all__ = ["papers", "RENDERERS", "project"]

_TITLE_FIRST = ["Knowledge", "Learning", "Robust", "Pin", "Vitruvion", "Deep", "Graph", "Attention", "CAD", "Sparse"]
_TITLE_WORDS = ["Neurons", "in", "Pretrained", "Transformers", "with", "Differentiable", "Algorithms", "Models",
                "for", "Semantic", "Segmentation", "Networks", "of", "Vision", "Language", "via", "the", "GAN", "2021"]
_ABSTRACT_WORDS = ["we", "study", "knowledge", "neurons", "in", "pretrained", "transformers", "and", "show", "that",
                   "models", "learn", "robust", "features", "from", "data", "with", "a", "new", "method"]
_ZH_WORDS = ["预训练", "知识", "神经元", "模型", "语言", "学习", "图像", "分割", "鲁棒", "算法", "研究", "方法"]
_INITIALS = ["D", "L", "Y", "Z", "B", "F", "J", "A", "R P", "Y-S"]
_SURNAMES = ["Dai", "Dong", "Hao", "Sui", "Chang", "Wei", "Seff", "Zhou", "Adams", "Petersen", "Kim", "Lee", "Michel"]
_INSTITUTIONS = ["Peking University", "Microsoft Research", "University of Konstanz", "Stanford University", "Google Brain"]


def _optional(strategy):
    return st.none() | strategy


_author = st.builds(lambda i, s: f"{i} {s}", st.sampled_from(_INITIALS), st.sampled_from(_SURNAMES))
_title = st.builds(
    lambda first, rest: " ".join([first, *rest]),
    st.sampled_from(_TITLE_FIRST),
    st.lists(st.sampled_from(_TITLE_WORDS), max_size=8),
)
_abstract = st.lists(st.sampled_from(_ABSTRACT_WORDS), min_size=2, max_size=25).map(lambda w: "We " + " ".join(w) + ".")
_zh = st.lists(st.sampled_from(_ZH_WORDS), min_size=2, max_size=12).map(lambda w: "".join(w) + "。")
_arxiv = st.from_regex(r"2[0-2](0[1-9]|1[0-2])\.[0-9]{5}", fullmatch=True)

papers = st.lists(
    st.fixed_dictionaries({
        "tag": _optional(st.sampled_from(["LG", "CL", "CV", "AS", "RO"])),
        "title": _optional(_title),
        "authors": st.lists(_author, max_size=5, unique=True),
        "institutions": st.lists(st.sampled_from(_INSTITUTIONS), max_size=3, unique=True),
        "zh": _optional(_zh),
        "abstract": _optional(_abstract),
        "arxiv": _optional(_arxiv),
    }),
    min_size=1,
    max_size=6,
)

FIELDS = ("title", "authors", "institutions", "summary_zh", "abstract", "arxiv_id")


def project(entry) -> dict:
    """The fields the generated documents control, for comparing an Entry with what was written."""
    return {
        "title": entry.title,
        "authors": list(entry.authors),
        "institutions": list(entry.institutions),
        "summary_zh": entry.summary_zh,
        "abstract": entry.abstract,
        "arxiv_id": entry.arxiv_id,
    }


def _expect(p, *, title=None, summary=None, abstract=None, institutions=True, authors=True) -> dict:
    return {
        "title": title,
        "authors": list(p["authors"]) if authors else [],
        "institutions": list(p["institutions"]) if institutions else [],
        "summary_zh": summary,
        "abstract": abstract,
        "arxiv_id": p["arxiv"],
    }


def _url(p) -> list[str]:
    return [f"https://arxiv.org/abs/{p['arxiv']}"] if p["arxiv"] else []


def _notes(p) -> tuple[str | None, str | None]:
    """(summary_zh, abstract) of readers that file Chinese notes as the summary and English as the abstract."""
    return p["zh"], p["abstract"] or p["zh"]


def render_digest(ps, eol):
    lines, expected = ["LG - 机器学习 CV - 计算机视觉 CL - 计算与语言", "转自爱可可爱生活"], []
    for number, p in enumerate(ps, 1):
        tag = p["tag"] or ("LG" if not p["title"] else None)  # "3、" alone is a list item, "3、[LG]" an entry
        lines.append(f"{number}、" + (f"[{tag}] " if tag else "") + (p["title"] or ""))
        if p["authors"]:
            lines.append(", ".join(p["authors"]))
        if p["institutions"]:
            lines.append("[" + " & ".join(p["institutions"]) + "]")
        lines += [s for s in (p["zh"], p["abstract"]) if s] + _url(p)
        if p["title"] or p["zh"] or p["abstract"]:
            expected.append(_expect(p, title=p["title"], summary=p["zh"], abstract=p["abstract"] or p["zh"]))
    return eol.join(lines) + eol, expected


def render_feed(ps, eol):
    lines, expected = [], []
    for p in ps:
        body = [s for s in (p["abstract"] or p["zh"],) if s] + _url(p)
        lines += body + ["translated by 谷歌翻译"]
        if body:
            e = _expect(p, abstract=" ".join(body), authors=False, institutions=False)
            expected.append(e)
    return eol.join(lines) + eol, expected


def render_arxiv(ps, eol):
    lines, expected = [], []
    for p in ps:
        record = {"id": p["arxiv"], "title": p["title"], "abstract": p["abstract"]}
        record = {k: v for k, v in record.items() if v is not None}
        if p["authors"]:  # [last, first, suffix]
            record["authors_parsed"] = [[a.rsplit(" ", 1)[1], a.rsplit(" ", 1)[0], ""] for a in p["authors"]]
        lines.append(json.dumps(record, ensure_ascii=False))
        if p["title"] or p["abstract"]:
            expected.append(_expect(p, title=p["title"], abstract=p["abstract"], institutions=False))
    return eol.join(lines) + eol, expected


def render_bibtex(ps, eol):
    lines, expected = ["% exported by a reference manager"], []
    for number, p in enumerate(ps, 1):
        fields = []
        if p["title"]:
            fields.append(f"  title = {{{p['title']}}}")
        if p["authors"]:
            fields.append("  author = {" + " and ".join(f"{a.rsplit(' ', 1)[1]}, {a.rsplit(' ', 1)[0]}" for a in p["authors"]) + "}")
        if p["abstract"]:
            fields.append(f"  abstract = {{{p['abstract']}}}")
        if p["arxiv"]:
            fields += [f"  eprint = {{{p['arxiv']}}}", "  archivePrefix = {arXiv}"]
        lines += [f"@article{{key{number},", *[f + "," for f in fields], "}", ""]
        if p["title"] or p["abstract"] or p["arxiv"]:
            expected.append(_expect(p, title=p["title"], abstract=p["abstract"], institutions=False))
    return eol.join(lines), expected


def render_oneline(ps, eol):
    lines, expected = [], []
    for p in ps:
        if not p["title"]:
            continue  # a post without 《title》 is just a post, reported as an unrecognised line
        line = (f"[{p['tag']}] " if p["tag"] else "") + f"《{p['title']}》" + ", ".join(p["authors"])
        if p["institutions"]:
            line += " [" + " & ".join(p["institutions"]) + "]"
        line += "".join(" " + u for u in _url(p))
        lines += [line, "转发 23 ǀ 评论 5 ǀ 赞 87"]
        if p["authors"] or p["institutions"] or p["arxiv"]:
            expected.append(_expect(p, title=p["title"]))
    return eol.join(lines) + eol, expected


def render_readinglist(ps, eol):
    lines, expected = ["# Reading list", "", "## Papers"], []
    for p in ps:
        if not p["title"]:
            continue
        line = f"- **{p['title']}**. " + ", ".join(p["authors"])
        if p["institutions"]:
            line += " [" + " & ".join(p["institutions"]) + "]"
        if p["arxiv"]:
            line += f" [arXiv:{p['arxiv']}](https://arxiv.org/abs/{p['arxiv']})"
        lines.append(line)
        lines += [f"  > {s}" for s in (p["abstract"], p["zh"]) if s]
        if p["authors"] or p["institutions"] or p["arxiv"]:
            summary, abstract = _notes(p)
            expected.append(_expect(p, title=p["title"], summary=summary, abstract=abstract))
    return eol.join(lines) + eol, expected


def render_frontmatter(ps, eol):
    p = ps[0]  # one post per file
    lines = ["---", "layout: post"]
    if p["title"]:
        lines.append(f'title: "{p["title"]}"')
    if p["authors"]:
        lines.append("author: " + ", ".join(p["authors"]))
    if p["institutions"]:
        lines.append("institutions: " + "; ".join(p["institutions"]))
    lines += ["---", ""]
    if p["abstract"] or p["zh"]:
        lines += ["##### Abstract", *[s for s in (p["abstract"], p["zh"]) if s], ""]
    if p["arxiv"]:
        lines += ["##### URL", f"[{_url(p)[0]}]({_url(p)[0]})"]
    expected = []
    if p["title"] or p["abstract"] or p["zh"]:
        summary, abstract = _notes(p)
        expected.append(_expect(p, title=p["title"], summary=summary, abstract=abstract))
    return eol.join(lines) + eol, expected


def render_paperpost(ps, eol):
    lines, expected = ["爱可可-爱生活", "2021-4-19 06:12 来自 微博 weibo.com"], []
    for p in ps:
        if not (p["title"] and (p["authors"] or p["institutions"])):
            continue  # "[CL] Title" alone is not told from a bracketed note: the author or institution line makes it a post
        lines.append(f"[{p['tag'] or 'CL'}] {p['title']}")
        if p["authors"]:
            lines.append(", ".join(p["authors"]))
        if p["institutions"]:
            lines.append("[" + " & ".join(p["institutions"]) + "]")
        lines += [s for s in (p["zh"], p["abstract"]) if s] + _url(p) + ["转发 3 ǀ 评论 1 ǀ 赞 7"]
        summary, abstract = _notes(p)
        expected.append(_expect(p, title=p["title"], summary=summary, abstract=abstract))
    return eol.join(lines) + eol, expected


RENDERERS = {
    "digest": render_digest,
    "feed": render_feed,
    "arxiv": render_arxiv,
    "bibtex": render_bibtex,
    "oneline": render_oneline,
    "readinglist": render_readinglist,
    "frontmatter": render_frontmatter,
    "paperpost": render_paperpost,
}
