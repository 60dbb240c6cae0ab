"""The input readers, one per format: kg.registry's "reader" kind, seen as Reader records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from .. import registry
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


def register_reader(name: str, *, description: str, detect: Callable[[str], float]):
    """Decorator registering a parse function as the reader `name` (also the `--format` value).

    kg's own readers are registered in kg.registry (lazily, by module path); this is for others."""

    def decorate(parse: Callable[[str, str], ReadResult]):
        registry.register("reader", name, parse, description, detect=detect)
        return parse

    return decorate


def reader_names() -> list[str]:
    return registry.names("reader")


def get_reader(name: str) -> Reader:
    """The reader `name`, its module imported on first use. Raises FormatError (PluginNotFoundError)
    for an unknown name, listing the names there are."""
    plugin = registry.plugin("reader", name)
    return Reader(name=plugin.name, description=plugin.description, detect=registry.load(plugin.options["detect"]),
                  parse=plugin.load())


def detect_format(text: str) -> tuple[str | None, float]:
    """The best-scoring reader's name and its confidence; (None, best) when nothing is confident enough."""
    best_name, best = None, 0.0
    for name in reader_names():
        score = get_reader(name).detect(text)
        if score > best:
            best_name, best = name, score
    if best < MIN_CONFIDENCE:
        return None, best
    return best_name, best
