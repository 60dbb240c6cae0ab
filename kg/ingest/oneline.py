"""Reader for one-line paper posts, as social-media digests print them.

One paper per line: ``[LG] 【中文题目】《Title》A Author, B Author [Inst & Inst] (2020) http://… view:http://… #机器学习#``
— the tag, the Chinese headline, the institutions, the year and the links are optional. Such posts
come mixed with unrelated posts and with the page's post metadata (poster name, time and client,
repost/comment/like counters, hashtags, link stubs). Metadata lines are skipped; every other line
that is not a paper post becomes a warning with its line number, so nothing is dropped silently.
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .fields import (
    arxiv_id_from_text,
    excerpt,
    full_names,
    is_post_metadata,
    split_authors,
    split_institutions,
    year_from_text,
)
from .text import arxiv_id_from_urls, detect_lang, find_urls, normalise_space, split_lines

__all__ = ["parse_oneline", "detect_oneline", "match_post"]

_POST_RE = re.compile(
    r"^\s*(?:\[(?P<tag>[A-Za-z][A-Za-z0-9.\-]{0,15})\]\s*)?(?P<pre>[^《》]*?)《(?P<title>[^《》]+)》\s*(?P<rest>.*?)\s*$"
)
_REST_RE = re.compile(
    r"^(?P<authors>(?:(?!https?://)[^\[\]()（）])*?)\s*(?=\[|[(（]|https?://|$)(?:\[(?P<inst>[^\[\]]+)\]\s*)?"
    r"(?:[(（]\s*(?P<year>(?:19|20)\d\d)\s*[)）]\s*)?(?P<tail>.*)$"
)
_LABEL_RE = re.compile(r"(?i)\b(?:view|code|pdf|paper|project|github|arxiv)\s*[:：]")


def match_post(line: str):
    """The parts of a one-line paper post, or None when the line is not one.

    A post needs a Latin-script title in 《》 followed by an author list, an ``[institution]``, a
    ``(year)`` or a link: a Chinese book title in 《》 inside an unrelated post is not a paper.

    >>> match_post("《Learning to Summarize from Human Feedback》N Stiennon, L Ouyang [OpenAI] (2020) https://arxiv.org/abs/2009.01325")["authors"]
    ['N Stiennon', 'L Ouyang']
    >>> match_post("推荐一本书《深度学习》，写得很好") is None
    True
    """
    m = _POST_RE.match(line)
    if not m:
        return None
    title = normalise_space(m.group("title"))
    if not title or detect_lang(title) != "en" or not re.search(r"[A-Za-z]{2}", title):
        return None
    r = _REST_RE.match(m.group("rest"))
    authors_text = normalise_space(r.group("authors")) if r else ""
    authors = split_authors(authors_text) if authors_text else []
    tail = r.group("tail") if r else m.group("rest")
    if authors is not None and any(len(a.split()) < 2 for a in authors):
        authors = None  # names have a given name and a surname; "Great read" is a comment
    if authors is None or r is None:  # the text after the title is not an author list
        authors, tail = [], m.group("rest")
        inst = year = None
    else:
        inst, year = r.group("inst"), r.group("year")
    urls = find_urls(tail)
    if not (authors or inst or year or urls):
        return None
    return {
        "tag": m.group("tag"),
        "pre": m.group("pre"),
        "title": title,
        "authors": authors,
        "institutions": split_institutions(inst) if inst else [],
        "year": year_from_text(year),
        "tail": tail,
        "urls": urls,
    }


def detect_oneline(text: str) -> float:
    """Confidence that `text` holds one-line paper posts."""
    posts = sum(1 for line in split_lines(text)[:3000] if "《" in line and match_post(line))
    if posts >= 2:
        return 0.85
    return 0.6 if posts == 1 else 0.0


def _zh_text(*parts: str) -> str | None:
    """The Chinese prose of a post around its paper fields: headline, comment (links, labels, hashtags dropped)."""
    texts = []
    for part in parts:
        if not part:
            continue
        part = re.sub(r"https?://\S+", " ", part)
        part = re.sub(r"#[^#]+#", " ", part)
        part = _LABEL_RE.sub(" ", part)
        part = re.sub(r"O?网页链接", " ", part)
        part = normalise_space(part.replace("【", " ").replace("】", " "))
        if part and detect_lang(part) == "zh":
            texts.append(part)
    return " ".join(texts) or None


def _post_header_lines(lines: list[str]) -> set[int]:
    """Indices of poster-name lines: a short line directly followed by a timestamp line."""
    found = set()
    for i in range(len(lines) - 1):
        line = lines[i].strip()
        if line and len(line) <= 30 and not find_urls(line) and "《" not in line and is_post_metadata(lines[i + 1]) \
                and re.match(r"^\s*(?:\d|今天|昨天)", lines[i + 1]):
            found.add(i)
    return found


def parse_oneline(text: str, file: str) -> ReadResult:
    """Parse one-line posts; unrelated lines become warnings, post metadata is skipped."""
    lines = split_lines(text)
    posters = _post_header_lines(lines)
    entries: list[Entry] = []
    problems: list[Problem] = []
    for index, line in enumerate(lines):
        if not line.strip() or index in posters or is_post_metadata(line):
            continue
        post = match_post(line) if "《" in line else None
        if post is None:
            problems.append(Problem(file, index + 1, f"unrecognised line skipped: {excerpt(line)!r}", "warning"))
            continue
        number = len(entries) + 1
        if not post["authors"]:
            problems.append(Problem(file, index + 1, f"post {number} has no author list", "warning"))
        urls = post["urls"]
        summary = _zh_text(post["pre"], post["tail"])
        entries.append(
            Entry(
                source=Source(file, index + 1),
                format="oneline",
                number=number,
                tag=post["tag"],
                title=post["title"],
                authors=tuple(post["authors"]),
                institutions=tuple(post["institutions"]),
                summary_zh=summary,
                abstract=summary,
                lang="zh" if summary else "en",
                urls=tuple(urls),
                arxiv_id=arxiv_id_from_urls(urls) or arxiv_id_from_text(post["tail"]),
                author_names_full=full_names(post["authors"]),
                year=post["year"],
            )
        )
    if not entries:
        problems.append(Problem(file, None, "no one-line paper post found"))
    return ReadResult(tuple(entries), tuple(problems))
