"""Text folding shared by every stage that compares names: accents, case and punctuation ignored."""

from __future__ import annotations

import re
import unicodedata

__all__ = ["fold"]


def fold(text: str) -> str:
    """NFKD with accents dropped, lowercase, runs of non-word characters as one space.

    >>> fold("  École—Normale: Supérieure ")
    'ecole normale superieure'
    """
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return re.sub(r"[\W_]+", " ", text).strip()
