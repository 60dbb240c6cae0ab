"""The table of input readers: one per format, registered by name where it is defined."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..errors import FormatError
from ..model import ReadResult

__all__ = ["Reader", "register_reader", "get_reader", "reader_names", "detect_format", "MIN_CONFIDENCE"]

# Below this, no reader claims a file and it is reported instead of guessed at.
MIN_CONFIDENCE = 0.3


@dataclass(frozen=True)
class Reader:
    """A registered input format.

    `detect(text)` returns a confidence in [0, 1] that the text is in this format;
    `parse(text, file)` returns the entries and problems of one decoded file.
    """

    name: str
    description: str
    detect: Callable[[str], float]
    parse: Callable[[str, str], ReadResult]


_READERS: dict[str, Reader] = {}


def register_reader(name: str, *, description: str, detect: Callable[[str], float]):
    """Decorator registering a parse function as the reader `name` (also the `--format` value)."""

    def decorate(parse: Callable[[str, str], ReadResult]):
        if name in _READERS:
            raise FormatError(f"reader {name!r} is registered twice")
        _READERS[name] = Reader(name=name, description=description, detect=detect, parse=parse)
        return parse

    return decorate


def reader_names() -> list[str]:
    return sorted(_READERS)


def get_reader(name: str) -> Reader:
    try:
        return _READERS[name]
    except KeyError:
        raise FormatError(f"unknown input format {name!r}; available: {', '.join(reader_names())}") from None


def detect_format(text: str) -> tuple[str | None, float]:
    """The best-scoring reader's name and its confidence; (None, best) when nothing is confident enough."""
    best_name, best = None, 0.0
    for name in reader_names():
        score = _READERS[name].detect(text)
        if score > best:
            best_name, best = name, score
    if best < MIN_CONFIDENCE:
        return None, best
    return best_name, best
