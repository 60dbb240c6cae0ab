"""Group entries that describe the same paper: arXiv id, else normalised title, else abstract fingerprint."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..model import Entry
from ..textnorm import fold

__all__ = ["normalise_title", "text_fingerprint", "paper_keys", "group_entries", "paper_id", "year_from_arxiv_id"]


def normalise_title(title: str) -> str:
    """Lowercase, accents and punctuation dropped, spaces collapsed: the form titles are compared in.

    >>> normalise_title("Pin the Memory:  Learning to Generalize")
    'pin the memory learning to generalize'
    """
    return fold(title)


def text_fingerprint(text: str) -> str:
    """A digest of an abstract that ignores case, punctuation, spacing and width variants."""
    norm = re.sub(r"[\W_]+", "", unicodedata.normalize("NFKC", text).lower())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def paper_keys(entry: Entry) -> list[str]:
    """Every identity key an entry offers; entries sharing any key are one paper."""
    keys = []
    if entry.arxiv_id:
        keys.append(f"arxiv:{entry.arxiv_id}")
    if entry.title and len(normalise_title(entry.title)) >= 10:
        keys.append(f"title:{normalise_title(entry.title)}")
    # a short text says too little to identify a paper by
    if entry.abstract and len(entry.abstract) >= 100:
        keys.append(f"text:{text_fingerprint(entry.abstract)}")
    if entry.summary_zh and len(entry.summary_zh) >= 60:
        keys.append(f"text:{text_fingerprint(entry.summary_zh)}")
    if not keys:
        # too little text to merge on safely: the entry is a paper of its own, keyed by its words
        text = entry.title or entry.abstract or entry.summary_zh or f"{entry.source.file}:{entry.source.line}"
        keys.append(f"text:{text_fingerprint(text)}#{entry.source.file}:{entry.source.line}")
    return keys


def paper_id(keys) -> str:
    """The id of a paper from the keys of its entries: the arXiv id when known, else a stable hash."""
    keys = sorted(set(keys))
    arxiv = [k for k in keys if k.startswith("arxiv:")]
    if arxiv:
        return arxiv[0]
    for prefix in ("title:", "text:"):
        chosen = [k for k in keys if k.startswith(prefix)]
        if chosen:
            kind = prefix[:-1]
            return f"{kind}:{hashlib.sha1(chosen[0].encode('utf-8')).hexdigest()[:16]}"
    raise ValueError("an entry with no identity key cannot become a paper")


def group_entries(entries: list[Entry]) -> list[list[int]]:
    """Indices of `entries` grouped by shared identity keys (union–find), each group in input order,
    groups ordered by their first entry."""
    parent = list(range(len(entries)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for i, entry in enumerate(entries):
        for key in paper_keys(entry):
            if key in owner:
                a, b = find(owner[key]), find(i)
                if a != b:
                    parent[max(a, b)] = min(a, b)
            else:
                owner[key] = i
    groups: dict[int, list[int]] = {}
    for i in range(len(entries)):
        groups.setdefault(find(i), []).append(i)
    return [groups[root] for root in sorted(groups)]


def year_from_arxiv_id(arxiv_id: str | None) -> int | None:
    """The submission year an arXiv id encodes: 2209.00616 → 2022, cs/0701001 → 2007."""
    if not arxiv_id:
        return None
    match = re.match(r"^(\d{2})(\d{2})\.\d{4,5}$", arxiv_id) or re.match(r"^[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}$", arxiv_id)
    if not match:
        return None
    yy = int(match.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy
