"""report.json: counts by node and edge type, warnings, rejected entries, files skipped as not paper
documents, entries of papers left without a date, unmatched institutions, acronyms read in context
and the routes that linked papers' institution references."""

from __future__ import annotations

import json
from collections import Counter

from ..knowledge.institutions import ror_version
from ..model import Corpus, Problem
from ..resolve.institutions import ROUTES
from ..util.atomic import atomic_open

__all__ = ["build_report", "write_report"]


def _problem(p: Problem) -> dict:
    return {"file": p.file, "line": p.line, "reason": p.reason}


def build_report(corpus: Corpus, graph, entries_read: int, files: list[str], skipped=()) -> dict:
    """The build report as plain data. Deterministic: no timestamps, no absolute paths added.

    `files` are the files read; `skipped` the (file, reason) pairs of what was not read because it
    is not a paper document (kg.ingest.skip): listed, sorted, under "skipped", never as rejects.
    "undated" lists the entries (file, line, the paper's title) of every paper no entry dated, sorted,
    and "papers_undated" counts those papers."""
    nodes = Counter(data["type"] for _, data in graph.nodes(data=True))
    edges = Counter(key for _, _, key in graph.edges(keys=True))
    problems = sorted(corpus.problems, key=lambda p: (p.file, p.line or 0, p.reason))
    unmatched = sorted(
        ({"id": i.id, "name": i.name, "printed": list(i.printed)} for i in corpus.institutions if not i.matched),
        key=lambda d: d["id"],
    )
    # acronyms the paper's authors decided ("UM" read as University of Macau): what and on which evidence
    in_context = [
        {"paper": paper.id, "printed": ref.printed, "id": ref.institution_id, "name": ref.name,
         "authors_seen_with_it": list(ref.context)}
        for paper in corpus.papers for ref in paper.institutions if ref.context
    ]
    undated = [paper for paper in corpus.papers if not paper.date]
    # what the institution counts rest on: references (a paper counted under an institution) by route
    routes = Counter(ref.via or "not-recorded" for paper in corpus.papers for ref in paper.institutions)
    return {
        "inputs": {"files": len(files), "entries": entries_read},
        "papers": len(corpus.papers),
        "papers_undated": len(undated),
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "rejected": [_problem(p) for p in problems if p.severity == "error"],
        "warnings": [_problem(p) for p in problems if p.severity != "error"],
        "skipped": [{"file": file, "reason": reason} for file, reason in sorted(set(skipped))],
        "undated": sorted(({"file": s.file, "line": s.line, "title": paper.title} for paper in undated
                           for s in paper.sources), key=lambda d: (d["file"], d["line"])),
        "ror_version": ror_version(),  # the ROR release institutions were matched against
        "institutions_unmatched": unmatched,
        "institutions_read_in_context": in_context,
        # every route, 0 included, in ROUTES order (a reference without one, from a corpus of an older build, "not-recorded")
        "institution_routes": {route: routes[route] for route in (*ROUTES, *sorted(set(routes) - set(ROUTES)))},
    }


def write_report(report: dict, path) -> list[str]:
    with atomic_open(path) as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return [str(path)]
