"""Size limits on what ingest reads: a file too large to hold in memory, an entry too long to analyse."""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Limits", "parse_size", "format_size", "entry_chars"]

_UNITS = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30, "t": 1 << 40}


@dataclass(frozen=True)
class Limits:
    """Limits applied by `read_file` / `read_inputs`.

    `max_file_bytes` (default 64 MiB): a file is decoded whole, and text takes up to 4 bytes a
    character in memory, so a 64 MiB file can cost a few hundred MB; digests are 10–100 KB, so this
    is thousands of digests in one file. A larger file is reported and not read.

    `max_entry_chars` (default 100 000): the text of one entry (title, abstract, summary, names).
    An arXiv abstract is at most 1 920 characters; an entry 50 times longer is a file whose entry
    separators were lost, and spaCy needs about 1 GB of memory per 100 000 characters (and refuses
    1 000 000). A longer entry is reported and skipped; the other entries of its file are kept.
    """

    max_file_bytes: int = 64 << 20
    max_entry_chars: int = 100_000

    def __post_init__(self):
        for name in ("max_file_bytes", "max_entry_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"{name} must be a positive integer, not {value!r}")


def parse_size(text: str) -> int:
    """Bytes in a size such as ``67108864``, ``64M``, ``200k``, ``1.5GiB`` (K, M, G, T are powers of 1024).

    >>> parse_size("64M"), parse_size("200k"), parse_size("1000"), parse_size("1.5 GiB")
    (67108864, 204800, 1000, 1610612736)
    """
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(?:i?b)?\s*", str(text), re.IGNORECASE)
    if not m:
        raise ValueError(f"{text!r} is not a size: give bytes or a number with K, M or G (e.g. 64M)")
    value = int(float(m.group(1)) * _UNITS[m.group(2).lower()])
    if value < 1:
        raise ValueError(f"{text!r}: a size must be at least 1 byte")
    return value


def format_size(size: int) -> str:
    """A byte count for messages: exact bytes plus a rounded binary unit.

    >>> format_size(67108864), format_size(1000)
    ('67,108,864 bytes (64 MiB)', '1,000 bytes')
    """
    for unit, factor in (("TiB", 1 << 40), ("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= factor:
            return f"{size:,} bytes ({size / factor:.3g} {unit})"
    return f"{size:,} bytes"


def entry_chars(entry) -> int:
    """Characters of an entry's text: title, abstract and summary (each distinct text once), names, URLs."""
    texts = {t for t in (entry.title, entry.abstract, entry.summary_zh) if t}
    return sum(map(len, texts)) + sum(map(len, (*entry.authors, *entry.institutions, *entry.urls)))
