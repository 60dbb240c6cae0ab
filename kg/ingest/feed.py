"""Reader for abstract feeds (seeds 001/002 layout).

Each entry is one abstract, English or a Chinese machine translation, closed by a line
`translated by 谷歌翻译`. Code links inside the text are cleaned (see text.find_urls).
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .registry import register_reader
from .text import arxiv_id_from_urls, detect_lang, find_urls, normalise_space, split_lines

__all__ = ["parse_feed", "detect_feed"]

_SEPARATOR_RE = re.compile(r"^\s*translated\s+by\s+(谷歌翻译|google\s*translate?)\s*$", re.IGNORECASE)


def detect_feed(text: str) -> float:
    """Confidence that `text` is an abstract feed."""
    separators = sum(1 for line in split_lines(text)[:5000] if _SEPARATOR_RE.match(line))
    return 0.95 if separators >= 1 else 0.0


@register_reader(
    "feed",
    description="abstract feed: one abstract per entry, each closed by 'translated by 谷歌翻译'",
    detect=detect_feed,
)
def parse_feed(text: str, file: str) -> ReadResult:
    """Parse an abstract feed into entries, in file order."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    chunk: list[tuple[int, str]] = []

    def close(separator_line: int | None) -> None:
        lines = [(n, s.strip()) for n, s in chunk if s.strip()]
        chunk.clear()
        if not lines:
            if separator_line is not None:
                problems.append(Problem(file, separator_line, "empty entry before separator", "warning"))
            return
        body = normalise_space(" ".join(s for _, s in lines))
        urls = find_urls(body)
        entries.append(
            Entry(
                source=Source(file, lines[0][0]),
                format="feed",
                number=len(entries) + 1,
                abstract=body,
                lang=detect_lang(body),
                urls=tuple(urls),
                arxiv_id=arxiv_id_from_urls(urls),
            )
        )

    for index, line in enumerate(split_lines(text)):
        if _SEPARATOR_RE.match(line):
            close(index + 1)
        else:
            chunk.append((index + 1, line))
    close(None)  # a last entry without its separator line (truncated feed) is still an entry
    return ReadResult(tuple(entries), tuple(problems))
