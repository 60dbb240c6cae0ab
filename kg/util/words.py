"""Topic words as every stage compares them: the key under which spelling variants of a topic label
meet (`topic_key`), and Latin-script words inside Chinese text (`is_latin`).

The key merges case, hyphenation and spacing ("meta-learning", "meta learning", "metalearning"),
and derivational variants of a modifier word ("facial image", "face image"), as
``kg/data/topic_variants.tsv`` lists them (derived from the glossary by scripts/build_topic_variants.py).
"""

from __future__ import annotations

import re
from functools import lru_cache

from .files import open_shipped

__all__ = ["topic_key", "load_variants", "is_latin", "VARIANTS_FILE", "VARIANT_ENDINGS"]

VARIANTS_FILE = "data/topic_variants.tsv"
# endings after a common stem that make two words variants of one modifier (face/facial, text/textual,
# robot/robotic, convolution/convolutional, geometry/geometric), when the glossary also aligns both
VARIANT_ENDINGS = frozenset(("", "s", "e", "y", "al", "ial", "ual", "ic", "ics", "ical", "ive", "ous"))
_JOINERS_RE = re.compile(r"[\s\-‐‑‒–—/]+")
_LATIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*$")


@lru_cache(maxsize=1)
def load_variants() -> dict:
    """Modifier word -> the word its variants share a key under (empty when the file is absent)."""
    with open_shipped(VARIANTS_FILE) as handle:
        if handle is None:
            return {}
        return dict(line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1 << 17)
def topic_key(label: str) -> str:
    """The key under which spelling variants of one topic label meet: case, hyphens, spacing, and
    the variants of a modifier word (not of the head: "face" and "facial" alone stay apart).

    >>> topic_key("Memory-Guided  domain") == topic_key("memory guided domain") == topic_key("memoryguided domain")
    True
    """
    words = _JOINERS_RE.split(label.lower())
    if len(words) > 1:
        variants = load_variants()
        if variants:
            words[:-1] = [variants.get(word, word) for word in words[:-1]]
    return "".join(words)


def is_latin(word: str) -> bool:
    """Whether `word` is one Latin-script word (a name or an English word kept inside Chinese text).

    >>> is_latin("GFNet"), is_latin("Short-Term"), is_latin("语义"), is_latin("3D")
    (True, True, False, False)
    """
    return bool(_LATIN_RE.match(word))
