"""Reader for markdown reading lists ("awesome" lists, paper-list READMEs).

One paper per list item, under section headings::

    ## Knowledge in Language Models
    - **Knowledge Neurons in Pretrained Transformers**. D Dai, L Dong, Y Hao [Peking University & Microsoft Research] (2021) [arXiv:2104.08696](https://arxiv.org/abs/2104.08696) [[code](https://github.com/Hunter-DDM/knowledge-neurons)]
      > Large-scale pretrained language models are surprisingly good at recalling factual knowledge …

The bullet may be ``-``, ``*``, ``+`` or ``1.``; the title may itself be a link (``**[Title](url)**``);
institutions, year and links are optional. Indented or quoted lines under an item are its notes
(English → abstract, Chinese → summary, links → urls). Headings, rules, tables of contents and badges
are layout; any other non-empty line becomes a warning with its line number.
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .fields import arxiv_id_from_text, excerpt, full_names, split_institutions, split_name_list, unlink_markdown, year_from_text
from .frontmatter import split_front_matter
from .registry import register_reader
from .text import arxiv_id_from_urls, detect_lang, find_urls, normalise_space, split_lines

__all__ = ["parse_readinglist", "detect_readinglist", "match_item"]

_ITEM_RE = re.compile(
    r"^(?P<indent>\s*)(?:[-*+]|\d{1,4}[.)])?\s*\*\*(?P<title>.+?)\*\*\s*[.:,]?\s*(?P<rest>.*?)\s*$"
)
_REST_RE = re.compile(
    r"^(?P<authors>(?:(?!https?://)[^\[\]()])*?)\s*(?=\[|\(|https?://|$)(?:\[(?P<inst>[^\[\]]+)\](?!\())?\s*"
    r"(?:\(\s*(?P<year>(?:19|20)\d\d)\s*\))?\s*(?P<tail>.*)$"
)
_MD_LINK_RE = re.compile(r"\[([^\[\]]*)\]\(([^()\s]+)\)")
_LAYOUT_RES = [
    re.compile(r"^\s{0,3}#{1,6}\s"),  # headings
    re.compile(r"^\s{0,3}(?:[-*_]\s*){3,}$"),  # rules
    re.compile(r"^\s*(?:[-*+]|\d+[.)])\s*\[[^\]]+\]\(#[^)]*\)\s*$"),  # table-of-contents items
    re.compile(r"^\s*(?:\[!\[[^\]]*\]\([^)]*\)\]\([^)]*\)\s*|!\[[^\]]*\]\([^)]*\)\s*)+$"),  # badges, images
    re.compile(r"^\s*<!--.*-->\s*$"),  # HTML comments
    re.compile(r"^\s*\[[^\]]+\]:\s*\S+"),  # reference-style link definitions
]


def match_item(line: str):
    """The fields of one reading-list item, or None.

    >>> item = match_item("- **Deep Sets**. M Zaheer, S Kottur [CMU] (2017) [arXiv:1703.06114](https://arxiv.org/abs/1703.06114)")
    >>> item["title"], item["authors"], item["institutions"], item["year"], item["arxiv_id"]
    ('Deep Sets', ['M Zaheer', 'S Kottur'], ['CMU'], 2017, '1703.06114')
    """
    m = _ITEM_RE.match(line)
    if not m:
        return None
    title = m.group("title").strip()
    urls: list[str] = []
    link = _MD_LINK_RE.fullmatch(title)
    if link:
        title = link.group(1)
        urls.extend(find_urls(link.group(2)))
    title = normalise_space(title.strip(" .*_"))
    r = _REST_RE.match(m.group("rest"))
    authors_text = normalise_space(r.group("authors")).rstrip(".,;") if r else ""
    authors = split_name_list(authors_text) if authors_text else []
    # "**Note**: See below" is emphasis, not a paper: names have a given name and a surname
    if authors is None or not title or any(len(a.split()) < 2 for a in authors):
        return None
    # a stray "]" or ")" before any link leaves no author list to read: the whole rest is the tail
    tail = r.group("tail") if r else m.group("rest")
    for url in find_urls(unlink_markdown(tail)):
        if url not in urls:
            urls.append(url)
    link_text = " ".join(label for label, _ in _MD_LINK_RE.findall(tail)) + " " + _MD_LINK_RE.sub(" ", tail)
    item = {
        "indent": len(m.group("indent").expandtabs(4)),
        "title": title,
        "authors": authors,
        "institutions": split_institutions(r.group("inst")) if r and r.group("inst") else [],
        "year": year_from_text(r.group("year")) if r else None,
        "urls": urls,
        "arxiv_id": arxiv_id_from_urls(urls) or arxiv_id_from_text(link_text),
    }
    if not authors and not (item["institutions"] or item["year"] or item["arxiv_id"]):
        return None
    return item


def detect_readinglist(text: str) -> float:
    """Confidence that `text` is a markdown reading list: bold-title items with an author list."""
    items = 0
    for line in split_lines(text)[:3000]:
        if "**" in line:
            item = match_item(line)
            if item and item["authors"]:
                items += 1
                if items >= 3:
                    return 0.95  # over a blog post's front matter: a list page is a list
    return {0: 0.0, 1: 0.5}.get(items, 0.85)


def _is_layout(line: str) -> bool:
    return any(regex.match(line) for regex in _LAYOUT_RES)


@register_reader(
    "readinglist",
    description="markdown reading list: '- **Title**. A Author, B Author [Inst & Inst] (2019) [arXiv:ID](url)' under headings",
    detect=detect_readinglist,
)
def parse_readinglist(text: str, file: str) -> ReadResult:
    """Parse a markdown reading list; notes under an item attach to it, stray prose is reported."""
    lines = split_lines(text)
    entries: list[Entry] = []
    problems: list[Problem] = []
    current: dict | None = None
    in_code = False
    front = split_front_matter(text)  # a list page of a static site: its YAML header is layout
    skip_to = front[2] - 1 if front else 0

    def close() -> None:
        nonlocal current
        if current is None:
            return
        c, current = current, None
        number = len(entries) + 1
        if not c["authors"]:
            problems.append(Problem(file, c["line"], f"item {number} has no author list", "warning"))
        abstract = " ".join(c["en"]) or None
        summary = " ".join(c["zh"]) or None
        entries.append(
            Entry(
                source=Source(file, c["line"]),
                format="readinglist",
                number=number,
                title=c["title"],
                authors=tuple(c["authors"]),
                institutions=tuple(c["institutions"]),
                summary_zh=summary,
                abstract=abstract or summary,
                lang="en" if abstract or not summary else "zh",
                urls=tuple(c["urls"]),
                arxiv_id=c["arxiv_id"] or arxiv_id_from_urls(c["urls"]),
                author_names_full=full_names(c["authors"]),
                year=c["year"],
            )
        )

    for index, line in enumerate(lines):
        if index < skip_to:
            continue
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            in_code = not in_code
            close()
            continue
        if not stripped or in_code:
            continue  # a blank line does not end an item: its notes may follow after one
        item = match_item(line) if "**" in line else None
        if item is not None:
            close()
            current = dict(item, line=index + 1, en=[], zh=[])
            continue
        if _is_layout(line):
            close()
            continue
        if current is not None and (line[:1] in (" ", "\t") or stripped.startswith(">")):
            note = stripped.lstrip(">").strip()
            note = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", note)
            for url in find_urls(unlink_markdown(note)):
                if url not in current["urls"]:
                    current["urls"].append(url)
            prose = normalise_space(_MD_LINK_RE.sub(lambda m: m.group(1), re.sub(r"https?://\S+", " ", note)))
            prose = re.sub(r"^[\w ]{1,12}[:：]\s*$", "", prose)  # "Code:" left after its link
            if prose:
                (current["zh"] if detect_lang(prose) == "zh" else current["en"]).append(prose)
            continue
        close()
        problems.append(Problem(file, index + 1, f"unrecognised line skipped: {excerpt(line)!r}", "warning"))
    close()
    if not entries:
        problems.append(Problem(file, None, "no reading-list item ('**Title**. Authors') found"))
    return ReadResult(tuple(entries), tuple(problems))
