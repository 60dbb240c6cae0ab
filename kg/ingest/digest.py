"""Reader for numbered digests (seed 000 layout).

An entry is `N、[TAG] Title`, then an author line, an optional `[Institution & Institution]` line,
an optional Chinese summary, the English abstract and the paper link(s). A header before the first
entry and boilerplate after the last are skipped.
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .fields import split_authors, split_institutions
from .text import arxiv_id_from_urls, detect_lang, find_urls, is_url_line, normalise_space, split_lines

__all__ = ["parse_digest", "detect_digest", "split_authors"]

# "1、[LG] Title"; the tag is optional. A "1. [LG] Title" variant needs the tag, since abstracts
# and lists can start with "1." themselves.
_HEADER_RE = re.compile(r"^\s*(\d{1,4})\s*[、，,]\s*(?:\[([A-Za-z][A-Za-z0-9.\-]{0,15})\]\s*)?(.*?)\s*$")
_HEADER_DOT_RE = re.compile(r"^\s*(\d{1,4})\s*[.．]\s*\[([A-Za-z][A-Za-z0-9.\-]{0,15})\]\s*(.*?)\s*$")
# trailer lines, and the tag legend and the (dated) credit line that open a digest ("LG - 机器学习 CV -
# 计算机视觉 …", "2019-05-25 转自爱可可爱生活"): after the last entry they start the next digest pasted
# into the same file
_BOILERPLATE_RE = re.compile(
    r"^\s*(?:(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\s*)?(内容中包含的图片|评论\s*$|沙发等你来抢|转自爱可可爱生活|(?:[A-Z]{2,4}\s*-\s*[\u4e00-\u9fff]+\s*){3,}$)"
)
def _header(line: str):
    return _HEADER_RE.match(line) or _HEADER_DOT_RE.match(line)


_LETTER_RE = re.compile(r"[^\W\d_]")
_LINK_RE = re.compile(r"https?://|\barxiv\.org/|\bgithub\.com/", re.IGNORECASE)


def _has_evidence(body: list[str]) -> bool:
    """An entry's lines after its header hold a digest's evidence: an author line first, or a link."""
    if body and len(body[0]) <= 1000:  # an author line is short; this also keeps detection linear
        names = split_authors(body[0])
        if names and all(_LETTER_RE.search(n) for n in names):  # "64, 64, 42" is no author list
            return True
    return any(_LINK_RE.search(line) for line in body)


def detect_digest(text: str) -> float:
    """Confidence that `text` is a numbered digest: entries `N、[TAG] Title` whose header is followed by
    an author line or that carry a link. A number list alone ("62, 64, 42" in code) is no evidence."""
    lines = split_lines(text)[:2000]
    headers = [(i, m) for i, m in ((i, _header(line)) for i, line in enumerate(lines))
               if m and m.group(3) and _LETTER_RE.search(m.group(3))]
    tagged = untagged = 0
    for k, (i, m) in enumerate(headers):
        end = min(headers[k + 1][0] if k + 1 < len(headers) else len(lines), i + 40)
        if not _has_evidence([s.strip() for s in lines[i + 1 : end] if s.strip()]):
            continue
        if m.group(2):
            tagged += 1
        else:
            untagged += 1
    if tagged >= 1:
        return 0.95
    if untagged >= 2:
        return 0.6
    return 0.0


def _parse_entry(lines: list[tuple[int, str]], file: str, number: int, tag, title) -> tuple[Entry | None, list[Problem]]:
    problems: list[Problem] = []
    header_line = lines[0][0]
    body = [(n, line.strip()) for n, line in lines[1:] if line.strip()]
    authors: list[str] = []
    institutions: list[str] = []
    i = 0
    if i < len(body):
        names = split_authors(body[i][1])
        if names is not None:
            authors = names
            i += 1
    if i < len(body) and body[i][1].startswith("[") and body[i][1].endswith("]"):
        institutions = split_institutions(body[i][1][1:-1])
        i += 1
    zh_parts: list[str] = []
    en_parts: list[str] = []
    urls: list[str] = []
    for _, line in body[i:]:
        for url in find_urls(line):
            if url not in urls:
                urls.append(url)
        if is_url_line(line):
            continue
        (zh_parts if detect_lang(line) == "zh" else en_parts).append(normalise_space(line))
    title = normalise_space(title) if title else None
    abstract = " ".join(en_parts) or None
    summary = " ".join(zh_parts) or None
    if not title and not abstract and not summary:
        problems.append(Problem(file, header_line, f"entry {number} has no title and no text", "error"))
        return None, problems
    if not title:
        problems.append(Problem(file, header_line, f"entry {number} has no title", "warning"))
    if not authors:
        problems.append(Problem(file, header_line, f"entry {number} has no author line", "warning"))
    lang = "en" if abstract else "zh"
    entry = Entry(
        source=Source(file, header_line),
        format="digest",
        number=number,
        tag=tag,
        title=title or None,
        authors=tuple(authors),
        institutions=tuple(institutions),
        summary_zh=summary,
        abstract=abstract or summary,
        lang=lang,
        urls=tuple(urls),
        arxiv_id=arxiv_id_from_urls(urls),
    )
    return entry, problems


def parse_digest(text: str, file: str) -> ReadResult:
    """Parse a numbered digest into entries, in file order."""
    lines = split_lines(text)
    headers: list[tuple[int, int, str | None, str]] = []  # (index, number, tag, title)
    entries: list[Entry] = []
    problems: list[Problem] = []
    last_number = 0
    for index, line in enumerate(lines):
        m = _header(line)
        if not m or not (m.group(3) or m.group(2)):
            continue  # "3、" alone is a list item; "3、[LG]" is an entry whose title was lost
        number = int(m.group(1))
        # numbering must increase: a sentence starting "2、" inside an abstract is not a new entry;
        # a tagged header is one all the same (two digests pasted into one file, a repeated number)
        if number <= last_number:
            if not m.group(2):
                continue
            problems.append(Problem(file, index + 1, f"entry {number} follows entry {last_number}: numbering restarts", "warning"))
        headers.append((index, number, m.group(2), m.group(3)))
        last_number = number
    for k, (index, number, tag, title) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        block: list[tuple[int, str]] = []
        for j in range(index, end):
            if j > index and _BOILERPLATE_RE.match(lines[j]):
                break  # the trailer after the last entry
            block.append((j + 1, lines[j]))
        entry, found = _parse_entry(block, file, number, tag, title)
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    if not headers:
        problems.append(Problem(file, None, "no numbered digest entry found", "error"))
    return ReadResult(tuple(entries), tuple(problems))
