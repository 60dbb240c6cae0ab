"""papers.jsonl: one unique paper per line, sorted by id — the public record contract (see README)."""

from __future__ import annotations

import json
from typing import Iterator

from ..model import Corpus, Paper
from ..util.atomic import atomic_open

__all__ = ["paper_record", "generate_papers_jsonl", "write_papers_jsonl"]


def paper_record(paper: Paper) -> dict:
    """The contract fields of one paper (plus `year`, `date` and `date_source`, additions)."""
    return {
        "id": paper.id,
        "title": paper.title,
        "arxiv_id": paper.arxiv_id,
        "category": paper.category,
        "year": paper.year,
        "date": paper.date,
        "date_source": paper.date_source,
        "lang": list(paper.lang),
        "authors": [{"name": a.printed, "id": a.author_id, "full_name": a.full_name} for a in paper.authorships],
        "institutions": [{"name": i.name, "printed": i.printed, "id": i.institution_id} for i in paper.institutions],
        "topics": [label for label, _ in paper.topics],
        "methods": [m.name for m in paper.methods],
        "datasets": [d.name for d in paper.datasets],
        "tasks": [t.name for t in paper.tasks],
        "metrics": [m.name for m in paper.metrics],
        "code": list(paper.code),
        "sources": [{"file": s.file, "line": s.line} for s in paper.sources],
    }


def generate_papers_jsonl(corpus: Corpus) -> Iterator[str]:
    """Yield one JSON line (with its newline) per paper, sorted by id."""
    for paper in sorted(corpus.papers, key=lambda p: p.id):
        # ensure_ascii=False keeps names readable; json escapes quotes, control characters and newlines
        yield json.dumps(paper_record(paper), ensure_ascii=False, sort_keys=False) + "\n"


def write_papers_jsonl(corpus: Corpus, path) -> list[str]:
    """Write papers.jsonl atomically; returns the paths written."""
    with atomic_open(path) as handle:
        for line in generate_papers_jsonl(corpus):
            handle.write(line)
    return [str(path)]
