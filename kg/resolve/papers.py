"""Group entries that describe the same paper: arXiv id, else normalised title, else abstract fingerprint.

The merge rule (group_entries):

1. Entries with one arXiv id (version suffix ignored: 2101.00001v2 is 2101.00001) are one paper.
   Entries with distinct arXiv ids are never one paper, whatever else they share.
2. Then, key by key, strongest first (title, then text: an abstract or a Chinese summary), entries
   sharing a key merge when their arXiv ids do not conflict. So an entry without an id joins the paper
   whose entries share its title or text; id-less entries sharing a key are one paper among themselves.
3. An id-less entry (or group of id-less entries already merged by a stronger key) whose keys match
   papers of two or more ids joins the one it matches by the strongest key; on a tie, the paper that
   comes first in input order. A direct match decides before a match through other id-less entries.

Shared keys that did not merge are reported as warnings: distinct ids sharing a title or a text
("entries with different arXiv ids A and B share an abstract text: kept as separate papers"), and
id-less entries that matched more than one id ("entry without an arXiv id matches arXiv A by title and
arXiv B by abstract text; joined arXiv A").
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from ..model import Entry, Problem
from ..util.textnorm import fold

__all__ = ["normalise_title", "text_fingerprint", "labelled_keys", "paper_keys", "group_entries", "paper_id", "canonical_arxiv_id",
           "year_from_arxiv_id"]


def normalise_title(title: str) -> str:
    """Lowercase, accents and punctuation dropped, spaces collapsed: the form titles are compared in.

    >>> normalise_title("Pin the Memory:  Learning to Generalize")
    'pin the memory learning to generalize'
    """
    return fold(title)


_NOT_WORD = re.compile(r"[\W_]+")


def text_fingerprint(text: str) -> str:
    """A digest of an abstract that ignores case, punctuation, spacing and width variants."""
    norm = _NOT_WORD.sub("", unicodedata.normalize("NFKC", text).lower())
    return hashlib.sha1(norm.encode("utf-8")).hexdigest()


def canonical_arxiv_id(value: str | None) -> str | None:
    """An arXiv id as papers are keyed by: ``arXiv:`` prefix and version suffix dropped.

    >>> canonical_arxiv_id("2101.00001v2"), canonical_arxiv_id("arXiv:cs/0701001v1"), canonical_arxiv_id(None)
    ('2101.00001', 'cs/0701001', None)
    """
    if not value:
        return None
    value = re.sub(r"(?i)^arxiv:", "", value.strip())
    return re.sub(r"v\d+$", "", value) or None


def labelled_keys(entry: Entry) -> list[tuple[str, str]]:
    """(key, what the key is, as warnings name it) for every identity key of `entry`."""
    keys = []
    arxiv_id = canonical_arxiv_id(entry.arxiv_id)
    if arxiv_id:
        keys.append((f"arxiv:{arxiv_id}", "arXiv id"))
    if entry.title and len(normalise_title(entry.title)) >= 10:
        keys.append((f"title:{normalise_title(entry.title)}", "title"))
    # a short text says too little to identify a paper by
    if entry.abstract and len(entry.abstract) >= 100:
        keys.append((f"text:{text_fingerprint(entry.abstract)}", "abstract text"))
    if entry.summary_zh and len(entry.summary_zh) >= 60:
        key = f"text:{text_fingerprint(entry.summary_zh)}"
        if all(k != key for k, _ in keys):
            keys.append((key, "Chinese summary"))
    if not keys:
        # too little text to merge on safely: the entry is a paper of its own, keyed by its words
        text = entry.title or entry.abstract or entry.summary_zh or f"{entry.source.file}:{entry.source.line}"
        keys.append((f"text:{text_fingerprint(text)}#{entry.source.file}:{entry.source.line}", "text"))
    return keys


def paper_keys(entry: Entry) -> list[str]:
    """Every identity key an entry offers (``arxiv:``, ``title:``, ``text:``); group_entries says which merge."""
    return [key for key, _ in labelled_keys(entry)]


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


def group_entries(entries: list[Entry], problems: list[Problem] | None = None,
                  labelled: list[list[tuple[str, str]]] | None = None) -> list[list[int]]:
    """Indices of `entries` grouped into papers by the rule in this module's docstring, each group in
    input order, groups ordered by their first entry. Its warnings, in input order of the entry each
    names, are appended to `problems` when given. `labelled`: each entry's `labelled_keys`, when the
    caller has them already."""
    if labelled is None:
        labelled = [labelled_keys(e) for e in entries]
    parent = list(range(len(entries)))
    members = {i: [i] for i in range(len(entries))}
    ids: dict[int, str | None] = {i: canonical_arxiv_id(e.arxiv_id) for i, e in enumerate(entries)}

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(a: int, b: int) -> None:
        a, b = find(a), find(b)
        if a == b:
            return
        # the root is the group's first entry, so "earliest in input order" is the smallest root
        lo, hi = min(a, b), max(a, b)
        assert not (ids[lo] and ids[hi] and ids[lo] != ids[hi]), "distinct arXiv ids never merge"
        parent[hi] = lo
        members[lo].extend(members.pop(hi))
        hi_id = ids.pop(hi)
        ids[lo] = ids[lo] or hi_id

    carriers: dict[str, list[int]] = {}
    for i, keys in enumerate(labelled):
        for key, _ in keys:
            carriers.setdefault(key, []).append(i)
    for key, holders in carriers.items():
        if key.startswith("arxiv:"):
            for j in holders[1:]:
                union(holders[0], j)
    for prefix in ("title:", "text:"):
        level = {k: v for k, v in carriers.items() if k.startswith(prefix) and len(v) > 1}
        if not level:
            continue

        def level_keys(root: int) -> set[str]:  # called in this iteration only
            return {k for m in members[root] for k, _ in labelled[m] if k in level}  # noqa: B023

        waiting = sorted({find(j) for holders in level.values() for j in holders})
        # id-less groups join a paper with an id: nearest first, each round deciding on the state it
        # started from, so the result does not depend on the order the groups are visited in
        while True:
            joins = []
            waiting = [r for r in waiting if r in members and not ids[r]]
            for root in waiting:
                found = {find(j) for k in level_keys(root) for j in level[k]}
                with_id = sorted(r for r in found if ids[r])
                if with_id:
                    joins.append((root, with_id[0]))
            if not joins:
                break
            for root, target in joins:
                union(root, target)
        # what is left shares this level's keys with id-less groups only: those merge freely
        for holders in level.values():
            roots = sorted({find(j) for j in holders})
            if all(not ids[r] for r in roots):
                for r in roots[1:]:
                    union(roots[0], r)
    if problems is not None:
        problems.extend(_problems(entries, labelled, carriers, find, ids))
    return [sorted(members[root]) for root in sorted(members)]


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _problems(entries, labelled, carriers, find, ids) -> list[Problem]:
    """Warnings for the keys that matched across distinct arXiv ids (see the module docstring)."""
    found: list[tuple[int, str]] = []
    # distinct ids sharing a title or a text: a warning at the first entry of the second id carrying the
    # key, naming every key shared there
    shared: dict[tuple[tuple[str, ...], int], dict[str, None]] = {}
    for key, holders in carriers.items():
        if key.startswith("arxiv:") or len(holders) < 2:
            continue
        first: dict[str, int] = {}
        for j in holders:
            aid = canonical_arxiv_id(entries[j].arxiv_id)
            if aid:
                first.setdefault(aid, j)
        if len(first) > 1:
            order = tuple(sorted(first, key=first.get))
            label = next(lab for k, lab in labelled[first[order[0]]] if k == key)
            shared.setdefault((order, first[order[1]]), {})[label] = None
    for (order, where), labels in shared.items():
        what = _and([("an " if lab == "abstract text" else "a ") + lab for lab in labels])
        found.append((where, f"entries with different arXiv ids {_and(list(order))} share {what}: kept as separate papers"))
    # an id-less entry whose keys matched papers of more than one id
    for i, keys in enumerate(labelled):
        if canonical_arxiv_id(entries[i].arxiv_id):
            continue
        matched: dict[str, tuple[int, int, str]] = {}
        for key, label in keys:
            strength = 0 if key.startswith("title:") else 1
            for j in carriers.get(key, ()):
                aid = ids.get(find(j))
                if j != i and aid:
                    best = (strength, find(j), label)
                    matched[aid] = min(matched.get(aid, best), best)
        if len(matched) > 1:
            ranked = sorted(matched.items(), key=lambda kv: kv[1][:2])
            said = _and([f"arXiv {aid} by {label}" for aid, (_, _, label) in ranked])
            found.append((i, f"entry without an arXiv id matches {said}; joined arXiv {ids[find(i)]}"))
    found.sort(key=lambda f: f[0])
    return [Problem(entries[i].source.file, entries[i].source.line, reason, "warning") for i, reason in found]


def year_from_arxiv_id(arxiv_id: str | None) -> int | None:
    """The submission year an arXiv id encodes: 2209.00616 → 2022, cs/0701001 → 2007."""
    if not arxiv_id:
        return None
    match = re.match(r"^(\d{2})(\d{2})\.\d{4,5}$", arxiv_id) or re.match(r"^[a-z\-]+(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}$", arxiv_id)
    if not match:
        return None
    yy = int(match.group(1))
    return 1900 + yy if yy >= 91 else 2000 + yy
