"""What changed between two builds: papers, authors, institutions, topics, typed entities, co-author
pairs and source files added and removed, compared by their stable ids in each build's papers.jsonl.

Both builds are read from papers.jsonl, the stable contract (docs/outputs.md), line by line: a
build written by an older kg can be compared, and no build's whole corpus is held in memory. What
one build keeps of its file (`Snapshot`) is the byline of each paper as author ids, the paper
counts of every author, institution, topic and entity, and where each paper was read; the records
of the papers added and removed are read again at the end, only those.

Ids are stable across builds of the same inputs, but resolution may give a known paper or author
another id when new inputs arrive: a paper read from a digest without its arXiv link becomes
``arxiv:…`` once a source gives it; an author id hashes the author's first mention and slugs their
fullest name, so an earlier paper or a fuller name changes it. Such an id is matched to its new id
(papers: the new paper read from one of the same entries; authors: the new author at the same
place of the same paper's byline, with the same surname) and listed as ``reidentified`` instead of
removed and added.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Iterator

from ..errors import InputError
from ..util.textnorm import fold

__all__ = ["VERSION", "ENTITY_KINDS", "Snapshot", "read_records", "read_snapshot", "compute_changes", "papers_file"]

VERSION = 1  # of changes.json
ENTITY_KINDS = ("tasks", "methods", "datasets", "metrics")  # papers.jsonl's typed-entity lists
PAPERS_JSONL = "papers.jsonl"


def papers_file(path) -> Path:
    """The papers.jsonl of a build folder (or the file itself when `path` is one)."""
    path = Path(path)
    return path if path.is_file() else path / PAPERS_JSONL


def read_records(path) -> Iterator[dict]:
    """The records of a papers.jsonl, one per line; InputError names the file (and line) when it is
    missing or is not a papers.jsonl."""
    path = Path(path)
    try:
        handle = open(path, encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; is {path.parent}/ the folder of a kg build?") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read it: {exc.strerror or exc}") from None
    with handle:
        try:
            for number, line in enumerate(handle, 1):
                if not line.strip():
                    continue
                try:
                    record = json.loads(line)
                except ValueError:
                    record = None
                if not isinstance(record, dict) or not isinstance(record.get("id"), str):
                    raise InputError(f"{path}:{number}: not a papers.jsonl record")
                yield record
        except UnicodeDecodeError:
            raise InputError(f"{path}: not UTF-8 text; not a papers.jsonl") from None


@dataclass
class Snapshot:
    """What a diff needs of one build (see the module's docstring)."""

    path: Path
    bylines: dict[str, tuple[str, ...]] = field(default_factory=dict)  # paper id -> author ids, in order
    entries: dict[tuple[str, int], str] = field(default_factory=dict)  # (file, line) of a source -> paper id
    names: dict[str, tuple] = field(default_factory=dict)  # author id -> the sort key of its best name
    titles: dict[str, str] = field(default_factory=dict)  # paper id -> its title, folded (papers with one)
    institution_names: dict[str, str] = field(default_factory=dict)
    counts: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))  # kind -> key -> papers
    dates: list = field(default_factory=list)  # [first, last] of the papers' dates, when they have one

    def author_name(self, author_id: str) -> str:
        return self.names[author_id][2]

    def totals(self) -> dict:
        first, last = self.dates or (None, None)
        return {"papers": len(self.bylines), "authors": len(self.counts["authors"]),
                "institutions": len(self.counts["institutions"]), "topics": len(self.counts["topics"]),
                "sources": len(self.counts["sources"]), "dates": {"first": first, "last": last}}


def _name_key(author: dict) -> tuple:
    """Orders the names one author is given: a full name from metadata first, then the longest
    printed form, then the first alphabetically (whatever the order the papers are read in)."""
    name = author.get("full_name") or author.get("name") or author.get("id", "")
    return (not author.get("full_name"), -len(name), name)


def read_snapshot(path) -> Snapshot:
    """The Snapshot of the papers.jsonl at `path` (a build folder or the file)."""
    path = papers_file(path)
    snap = Snapshot(path)
    intern: dict[str, str] = {}  # one string object per id, however many papers name it
    # each kind's keys, once per paper, counted at the end (a Counter.update per paper and kind
    # was most of the reading)
    seen: dict[str, list] = {kind: [] for kind in ("authors", "institutions", "topics", *ENTITY_KINDS, "sources")}
    for record in read_records(path):
        pid = record["id"]
        authors = [a for a in record.get("authors") or () if isinstance(a, dict) and a.get("id")]
        byline = tuple(intern.setdefault(a["id"], a["id"]) for a in authors)
        snap.bylines[pid] = byline
        if isinstance(record.get("title"), str) and record["title"].strip():
            snap.titles[pid] = fold(record["title"])
        for author in authors:
            key = _name_key(author)
            if author["id"] not in snap.names or key < snap.names[author["id"]]:
                snap.names[intern[author["id"]]] = key
        seen["authors"].extend(set(byline))
        institutions = {i["id"]: i.get("name") or i["id"] for i in record.get("institutions") or ()
                        if isinstance(i, dict) and i.get("id")}
        for iid, name in institutions.items():
            snap.institution_names.setdefault(iid, name)
        seen["institutions"].extend(institutions)
        for kind in ("topics", *ENTITY_KINDS):
            seen[kind].extend({str(label) for label in record.get(kind) or ()})
        files = set()
        for source in record.get("sources") or ():
            if isinstance(source, dict) and "file" in source:
                snap.entries[(source["file"], source.get("line"))] = pid
                files.add(source["file"])
        seen["sources"].extend(files)
        date = record.get("date")
        if isinstance(date, str) and date:
            snap.dates = [min(snap.dates[0], date), max(snap.dates[1], date)] if snap.dates else [date, date]
    for kind, keys in seen.items():
        snap.counts[kind] = Counter(keys)
    return snap


def _most_shared(targets: list[str]) -> str:
    """The target named most often, the smallest id of those on a tie."""
    counts = Counter(targets)
    return min(counts, key=lambda t: (-counts[t], t))


def _reidentified_papers(old: Snapshot, new: Snapshot) -> dict[str, str]:
    """Old paper id -> new paper id, for the old papers whose id is gone but one of whose entries
    (file, line) a new paper was read from, under the same title when both have one (an edited file
    whose entries moved to other lines gives another paper there)."""
    targets: dict[str, list[str]] = defaultdict(list)
    for entry, pid in old.entries.items():
        if pid not in new.bylines and entry in new.entries:
            now = new.entries[entry]
            if pid not in old.titles or now not in new.titles or old.titles[pid] == new.titles[now]:
                targets[pid].append(now)
    return {pid: _most_shared(found) for pid, found in targets.items()}


def _surname(name: str) -> str:
    words = fold(name).split()
    return words[-1] if words else ""


def _reidentified_authors(old: Snapshot, new: Snapshot, papers: dict[str, str]) -> dict[str, str]:
    """Old author id -> new author id, for the old authors whose id is gone but who stand, under
    the same surname, at the same place of the same paper's byline in the new build."""
    gone = {a for a in old.counts["authors"] if a not in new.counts["authors"]}
    targets: dict[str, list[str]] = defaultdict(list)
    if gone:
        for pid, byline in old.bylines.items():
            now = new.bylines.get(papers.get(pid, pid))
            for position, author in enumerate(byline):
                if author in gone and now is not None and position < len(now):
                    if _surname(old.author_name(author)) == _surname(new.author_name(now[position])):
                        targets[author].append(now[position])
    return {author: _most_shared(found) for author, found in targets.items()}


def _pairs(authors) -> Iterator[tuple[str, str]]:
    return combinations(sorted(set(authors)), 2)


def _collaborations(old: Snapshot, new: Snapshot, papers: dict[str, str], authors: dict[str, str]):
    """(pair -> papers together in the old build, the same in the new) for every co-author pair whose
    count may differ: the pairs of papers added, removed, reidentified or whose byline changed. Old
    author ids count as the new ids they were matched to."""
    merged = set(papers.values())

    def old_byline(pid: str) -> set[str]:
        return {authors.get(a, a) for a in old.bylines[pid]}

    def same(pid: str) -> bool:
        return (pid in old.bylines and pid in new.bylines and pid not in merged
                and old_byline(pid) == set(new.bylines[pid]))

    candidates = {pair for pid in old.bylines if not same(pid) for pair in _pairs(old_byline(pid))}
    candidates |= {pair for pid, byline in new.bylines.items() if not same(pid) for pair in _pairs(byline)}
    members = {a for pair in candidates for a in pair}

    def count(bylines) -> Counter:
        counted: Counter = Counter()
        for byline in bylines:
            counted.update(p for p in _pairs(a for a in byline if a in members) if p in candidates)
        return counted

    return count(old_byline(pid) for pid in old.bylines), count(new.bylines.values())


def _compare(old: Counter, new: Counter, describe) -> dict[str, list]:
    """added, removed and grown (more papers now) keys of two paper counts, each sorted by key;
    `describe(key, side)` gives an item's fields but its counts."""
    added = [{**describe(k, "new"), "papers": new[k]} for k in sorted(new.keys() - old.keys())]
    removed = [{**describe(k, "old"), "papers": old[k]} for k in sorted(old.keys() - new.keys())]
    grown = [{**describe(k, "new"), "papers": new[k], "before": old[k]}
             for k in sorted(k for k in new.keys() & old.keys() if new[k] > old[k])]
    return {"added": added, "removed": removed, "grown": grown}


def _paper_entry(record: dict, new_authors: set[str] | None = None) -> dict:
    """A paper of `papers.added` or `papers.removed`: its papers.jsonl record, shortened."""
    entry = {key: record.get(key) for key in ("id", "title", "arxiv_id", "category", "year", "date")}
    authors = []
    for author in record.get("authors") or ():
        item = {"id": author.get("id"), "name": author.get("name")}
        if new_authors is not None:
            item["new"] = author.get("id") in new_authors
        authors.append(item)
    entry["authors"] = authors
    entry["institutions"] = list(dict.fromkeys(i.get("name") for i in record.get("institutions") or ()))
    entry["topics"] = list(record.get("topics") or ())
    entry["code"] = list(record.get("code") or ())
    entry["sources"] = [{"file": s.get("file"), "line": s.get("line")} for s in record.get("sources") or ()]
    return entry


def _records(snap: Snapshot, ids: set[str]) -> list[dict]:
    """The papers.jsonl records of the papers `ids`, read again, sorted by id."""
    if not ids:
        return []
    found = [record for record in read_records(snap.path) if record["id"] in ids]
    return sorted(found, key=lambda r: r["id"])


def compute_changes(old, new) -> dict:
    """The changes from the build `old` to the build `new` (build folders, papers.jsonl files or
    Snapshots), as changes.json holds them (docs/outputs.md). Every list is sorted by its key, so
    the same two builds give the same document, byte for byte, once written."""
    old = old if isinstance(old, Snapshot) else read_snapshot(old)
    new = new if isinstance(new, Snapshot) else read_snapshot(new)
    papers = _reidentified_papers(old, new)
    authors = _reidentified_authors(old, new, papers)

    # an old author matched to a new id counts under it (a byline counts an author once per paper)
    old_authors: Counter = Counter()
    for byline in old.bylines.values():
        old_authors.update({authors.get(a, a) for a in byline})

    def author(a: str, side: str) -> dict:
        # an old id matched to a new one is known by its new name
        first, other = (new, old) if side == "new" else (old, new)
        return {"id": a, "name": (first if a in first.names else other).author_name(a)}

    result_authors = _compare(old_authors, new.counts["authors"], author)
    added_authors = {item["id"] for item in result_authors["added"]}

    old_ids = {papers.get(pid, pid) for pid in old.bylines}
    added_ids = {pid for pid in new.bylines if pid not in old_ids}
    removed_ids = {pid for pid in old.bylines if papers.get(pid, pid) not in new.bylines}

    def institution(i: str, side: str) -> dict:
        return {"id": i, "name": (new if side == "new" else old).institution_names[i]}

    changes = {
        "version": VERSION,
        "changed": False,
        "old": old.totals(),
        "new": new.totals(),
        "summary": {},
        "papers": {
            "added": [_paper_entry(r, added_authors) for r in _records(new, added_ids)],
            "removed": [_paper_entry(r) for r in _records(old, removed_ids)],
            "reidentified": [{"old_id": pid, "id": papers[pid]} for pid in sorted(papers)],
        },
        "authors": {**result_authors, "reidentified": [
            {"old_id": a, "id": authors[a], "name": new.author_name(authors[a])} for a in sorted(authors)]},
        "institutions": _compare(old.counts["institutions"], new.counts["institutions"], institution),
        "topics": _compare(old.counts["topics"], new.counts["topics"], lambda t, side: {"label": t}),
    }
    for kind in ENTITY_KINDS:
        changes[kind] = _compare(old.counts[kind], new.counts[kind], lambda e, side: {"name": e})
    before, after = _collaborations(old, new, papers, authors)

    def pair(p: tuple[str, str], side: str) -> dict:
        return {"authors": list(p), "names": [author(a, side)["name"] for a in p]}

    changes["collaborations"] = _compare(+before, +after, pair)
    changes["sources"] = _compare(old.counts["sources"], new.counts["sources"], lambda f, side: {"file": f})
    summary = {kind: {key: len(items) for key, items in changes[kind].items()}
               for kind in ("papers", "authors", "institutions", "topics", *ENTITY_KINDS, "collaborations", "sources")}
    changes["summary"] = summary
    changes["changed"] = any(n for counts in summary.values() for n in counts.values())
    return changes
