"""Text folding shared by every stage that compares names: accents, case and punctuation ignored."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["fold"]


_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1 << 18)  # names and titles are folded again and again while resolving
def fold(text: str) -> str:
    """NFKD with accents dropped, lowercase, runs of non-word characters as one space.

    >>> fold("  École—Normale: Supérieure ")
    'ecole normale superieure'
    """
    if not text.isascii():  # ASCII is its own NFKD form, with nothing to drop
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    return _NON_WORD.sub(" ", text.lower()).strip()
