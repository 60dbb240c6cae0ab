"""Author resolution: printed names on papers → person entities, with the evidence of each merge.

Rule (sound, deliberately conservative): two mentions with the same normalised printed name are the
same person when they share a co-author (same printed name) or a canonical institution, closed
transitively. Everything else stays apart: one "Y Wang" profile per piece of evidence, never one for
every Y Wang.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..model import Author
from ..textnorm import fold

__all__ = ["AuthorMention", "normalise_person_name", "resolve_authors", "baseline_same_name"]


@dataclass(frozen=True)
class AuthorMention:
    """One printed author name on one paper, with the context resolution may use."""

    paper_id: str
    position: int
    printed: str
    coauthors: tuple[str, ...]  # normalised printed names of the other authors
    institutions: tuple[str, ...]  # canonical institution ids of the paper


def normalise_person_name(name: str) -> str:
    """Accents, case, dots and hyphens ignored: "R P. Adams" → "r p adams".

    >>> normalise_person_name("Y-S Liu")
    'y s liu'
    """
    return fold(name)


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_person_name(name)).strip("-") or "unknown"


def resolve_authors(mentions: list[AuthorMention]) -> tuple[dict[tuple[str, int], str], list[Author]]:
    """Cluster mentions into authors.

    Returns the author id of every (paper id, position) and the authors sorted by id. Ids are the
    name slug plus a hash of the cluster's first mention, so they do not depend on input order.
    """
    blocks: dict[str, list[int]] = defaultdict(list)
    for i, m in enumerate(mentions):
        blocks[normalise_person_name(m.printed)].append(i)
    parent = list(range(len(mentions)))
    evidence: dict[int, list[str]] = defaultdict(list)

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int, why: str) -> None:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
            evidence[min(ra, rb)].append(why)
            evidence[min(ra, rb)].extend(evidence.pop(max(ra, rb), []))

    for name, members in blocks.items():
        if len(members) < 2:
            continue
        by_coauthor: dict[str, int] = {}
        by_institution: dict[str, int] = {}
        for i in members:
            m = mentions[i]
            for co in sorted(set(m.coauthors)):
                if co == name:
                    continue
                if co in by_coauthor:
                    first = mentions[by_coauthor[co]]
                    union(by_coauthor[co], i, f"{first.paper_id} and {m.paper_id} share co-author '{co}'")
                else:
                    by_coauthor[co] = i
            for inst in sorted(set(m.institutions)):
                if inst in by_institution:
                    first = mentions[by_institution[inst]]
                    union(by_institution[inst], i, f"{first.paper_id} and {m.paper_id} share institution {inst}")
                else:
                    by_institution[inst] = i
    clusters: dict[int, list[int]] = defaultdict(list)
    for i in range(len(mentions)):
        clusters[find(i)].append(i)
    assignment: dict[tuple[str, int], str] = {}
    authors: list[Author] = []
    for root, members in clusters.items():
        keys = sorted((mentions[i].paper_id, mentions[i].position) for i in members)
        printed = Counter(mentions[i].printed for i in members)
        name = sorted(printed.items(), key=lambda kv: (-kv[1], -len(kv[0]), kv[0]))[0][0]
        digest = hashlib.sha1(f"{keys[0][0]}#{keys[0][1]}".encode("utf-8")).hexdigest()[:8]
        author_id = f"author:{_slug(name)}-{digest}"
        for key in keys:
            assignment[key] = author_id
        authors.append(Author(id=author_id, name=name, mentions=tuple(keys), evidence=tuple(sorted(set(evidence.get(root, []))))))
    authors.sort(key=lambda a: a.id)
    return assignment, authors


def baseline_same_name(mentions: list[AuthorMention]) -> dict[tuple[str, int], str]:
    """The naive rule kept for comparison: every mention with the same printed name is one person."""
    return {(m.paper_id, m.position): normalise_person_name(m.printed) for m in mentions}
