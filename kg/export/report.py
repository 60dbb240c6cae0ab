"""report.json: counts by node and edge type, warnings, rejected entries, files skipped as not paper
documents, unmatched institutions and acronyms read in context."""

from __future__ import annotations

import json
from collections import Counter

from ..model import Corpus, Problem
from ..util.atomic import atomic_open

__all__ = ["build_report", "write_report"]


def _problem(p: Problem) -> dict:
    return {"file": p.file, "line": p.line, "reason": p.reason}


def build_report(corpus: Corpus, graph, entries_read: int, files: list[str], skipped=()) -> dict:
    """The build report as plain data. Deterministic: no timestamps, no absolute paths added.

    `files` are the files read; `skipped` the (file, reason) pairs of what was not read because it
    is not a paper document (kg.ingest.skip): listed, sorted, under "skipped", never as rejects."""
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
    return {
        "inputs": {"files": len(files), "entries": entries_read},
        "papers": len(corpus.papers),
        "nodes": dict(sorted(nodes.items())),
        "edges": dict(sorted(edges.items())),
        "rejected": [_problem(p) for p in problems if p.severity == "error"],
        "warnings": [_problem(p) for p in problems if p.severity != "error"],
        "skipped": [{"file": file, "reason": reason} for file, reason in sorted(set(skipped))],
        "institutions_unmatched": unmatched,
        "institutions_read_in_context": in_context,
    }


def write_report(report: dict, path) -> list[str]:
    with atomic_open(path) as handle:
        json.dump(report, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return [str(path)]
