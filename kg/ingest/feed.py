"""Reader for abstract feeds (seeds 001/002 layout).

Each entry is one abstract, English or a Chinese machine translation, closed by a line
`translated by 谷歌翻译`. Code links inside the text are cleaned (see text.find_urls).
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .text import arxiv_id_from_urls, detect_lang, find_urls, normalise_space, split_lines

__all__ = ["parse_feed", "detect_feed"]

_SEPARATOR_RE = re.compile(r"^\s*translated\s+by\s+(谷歌翻译|google\s*translate?)\s*$", re.IGNORECASE)


def detect_feed(text: str) -> float:
    """Confidence that `text` is an abstract feed."""
    separators = sum(1 for line in split_lines(text)[:5000] if _SEPARATOR_RE.match(line))
    return 0.95 if separators >= 1 else 0.0


def parse_feed(text: str, file: str) -> ReadResult:
    """Parse an abstract feed into entries, in file order."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for chunk, separator_line in _chunks(split_lines(text)):
        lines = [(n, s.strip()) for n, s in chunk if s.strip()]
        if lines:
            entries.append(_entry(lines, file, len(entries) + 1))
        elif separator_line is not None:
            problems.append(Problem(file, separator_line, "empty entry before separator", "warning"))
    return ReadResult(tuple(entries), tuple(problems))


def _chunks(lines: list[str]):
    """The (1-based number, line) lines of each entry, with the line number of the separator that
    closes it; a last entry without its separator line (a truncated feed) is still an entry (None)."""
    chunk: list[tuple[int, str]] = []
    for index, line in enumerate(lines):
        if _SEPARATOR_RE.match(line):
            yield chunk, index + 1
            chunk = []
        else:
            chunk.append((index + 1, line))
    yield chunk, None


def _entry(lines: list[tuple[int, str]], file: str, number: int) -> Entry:
    body = normalise_space(" ".join(s for _, s in lines))
    urls = find_urls(body)
    return Entry(
        source=Source(file, lines[0][0]),
        format="feed",
        number=number,
        abstract=body,
        lang=detect_lang(body),
        urls=tuple(urls),
        arxiv_id=arxiv_id_from_urls(urls),
    )
