"""Reader for markdown reading lists ("awesome" lists, paper-list READMEs).

One paper per list item, under section headings::

    ## Knowledge in Language Models
    - **Knowledge Neurons in Pretrained Transformers**. D Dai, L Dong [Peking University] (2021) [arXiv:2104.08696](https://arxiv.org/abs/2104.08696)
      > Large-scale pretrained language models are surprisingly good at recalling factual knowledge …

The bullet may be ``-``, ``*``, ``+`` or ``1.``; the title may itself be a link (``**[Title](url)**``);
institutions, year and links are optional. Indented or quoted lines under an item are its notes
(English → abstract, Chinese → summary, links → urls). Headings, rules, tables of contents and badges
are layout; any other non-empty line becomes a warning with its line number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Entry, Problem, ReadResult, Source
from .fields import (
    arxiv_id_from_text,
    excerpt,
    full_names,
    split_institutions,
    split_name_list,
    unlink_markdown,
    year_from_text,
)
from .frontmatter import split_front_matter
from .text import arxiv_id_from_urls, detect_lang, find_urls, normalise_space, split_lines

__all__ = ["parse_readinglist", "detect_readinglist", "match_item", "ListItem"]

_ITEM_RE = re.compile(
    r"^\s*(?:[-*+]|\d{1,4}[.)])?\s*\*\*(?P<title>.+?)\*\*\s*[.:,]?\s*(?P<rest>.*?)\s*$"
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


@dataclass
class ListItem:
    """One reading-list item as its line prints it; the notes under it add to `urls`, `en` and `zh`."""

    title: str
    authors: list[str]
    institutions: list[str]
    year: int | None
    urls: list[str]
    arxiv_id: str | None
    line: int = 0  # 1-based line of the item
    en: list[str] = field(default_factory=list)  # English notes
    zh: list[str] = field(default_factory=list)  # Chinese notes

    def entry(self, file: str, number: int) -> Entry:
        abstract = " ".join(self.en) or None
        summary = " ".join(self.zh) or None
        return Entry(
            source=Source(file, self.line),
            format="readinglist",
            number=number,
            title=self.title,
            authors=tuple(self.authors),
            institutions=tuple(self.institutions),
            summary_zh=summary,
            abstract=abstract or summary,
            lang="en" if abstract or not summary else "zh",
            urls=tuple(self.urls),
            arxiv_id=self.arxiv_id or arxiv_id_from_urls(self.urls),
            author_names_full=full_names(self.authors),
            year=self.year,
        )


def match_item(line: str) -> ListItem | None:
    """The fields of one reading-list item, or None.

    >>> item = match_item("- **Deep Sets**. M Zaheer, S Kottur [CMU] (2017) [arXiv:1703.06114](https://arxiv.org/abs/1703.06114)")
    >>> item.title, item.authors, item.institutions, item.year, item.arxiv_id
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
    item = ListItem(
        title=title,
        authors=authors,
        institutions=split_institutions(r.group("inst")) if r and r.group("inst") else [],
        year=year_from_text(r.group("year")) if r else None,
        urls=urls,
        arxiv_id=arxiv_id_from_urls(urls) or arxiv_id_from_text(link_text),
    )
    if not authors and not (item.institutions or item.year or item.arxiv_id):
        return None
    return item


def detect_readinglist(text: str) -> float:
    """Confidence that `text` is a markdown reading list: bold-title items with an author list."""
    items = 0
    for line in split_lines(text)[:3000]:
        if "**" in line:
            item = match_item(line)
            if item and item.authors:
                items += 1
                if items >= 3:
                    return 0.95  # over a blog post's front matter: a list page is a list
    return {0: 0.0, 1: 0.5}.get(items, 0.85)


def _is_layout(line: str) -> bool:
    return any(regex.match(line) for regex in _LAYOUT_RES)


def parse_readinglist(text: str, file: str) -> ReadResult:
    """Parse a markdown reading list; notes under an item attach to it, stray prose is reported."""
    front = split_front_matter(text)  # a list page of a static site: its YAML header is layout
    reader = _ListReader(file)
    for index, line in enumerate(split_lines(text)):
        if index >= (front[2] - 1 if front else 0):
            reader.read(index + 1, line)
    reader.close_item()
    if not reader.entries:
        reader.problems.append(Problem(file, None, "no reading-list item ('**Title**. Authors') found"))
    return ReadResult(tuple(reader.entries), tuple(reader.problems))


class _ListReader:
    """Reads a list line by line: an item stays open for the notes under it until a line that is
    no note (another item, layout, a code fence, stray prose) closes it."""

    def __init__(self, file: str):
        self.file = file
        self.entries: list[Entry] = []
        self.problems: list[Problem] = []
        self.item: ListItem | None = None
        self.in_code = False

    def read(self, number: int, line: str) -> None:
        stripped = line.strip()
        if stripped.startswith("```") or stripped.startswith("~~~"):
            self.in_code = not self.in_code
            self.close_item()
            return
        if not stripped or self.in_code:
            return  # a blank line does not end an item: its notes may follow after one
        item = match_item(line) if "**" in line else None
        if item is not None:
            self.close_item()
            item.line = number
            self.item = item
            return
        if _is_layout(line):
            self.close_item()
            return
        if self.item is not None and (line[:1] in (" ", "\t") or stripped.startswith(">")):
            self._add_note(self.item, stripped)
            return
        self.close_item()
        self.problems.append(Problem(self.file, number, f"unrecognised line skipped: {excerpt(line)!r}", "warning"))

    def close_item(self) -> None:
        item, self.item = self.item, None
        if item is None:
            return
        number = len(self.entries) + 1
        if not item.authors:
            self.problems.append(Problem(self.file, item.line, f"item {number} has no author list", "warning"))
        self.entries.append(item.entry(self.file, number))

    @staticmethod
    def _add_note(item: ListItem, stripped: str) -> None:
        """A note's links join the item's, its prose the item's English or Chinese notes."""
        note = stripped.lstrip(">").strip()
        note = re.sub(r"^(?:[-*+]|\d+[.)])\s+", "", note)
        for url in find_urls(unlink_markdown(note)):
            if url not in item.urls:
                item.urls.append(url)
        prose = normalise_space(_MD_LINK_RE.sub(lambda m: m.group(1), re.sub(r"https?://\S+", " ", note)))
        prose = re.sub(r"^[\w ]{1,12}[:：]\s*$", "", prose)  # "Code:" left after its link
        if prose:
            (item.zh if detect_lang(prose) == "zh" else item.en).append(prose)
