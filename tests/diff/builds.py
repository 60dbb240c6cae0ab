"""Build folders made of a papers.jsonl only (what kg.diff reads), written from the fixture corpus
(tests/fixtures/corpus.py) or changed versions of it: no extraction, no build."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from kg.export import write_papers_jsonl
from kg.model import Corpus

from ..fixtures.corpus import CORPUS, FSS, KN, NOTE, ODD, PAPERS

__all__ = ["folder", "papers", "CORPUS", "FSS", "KN", "NOTE", "ODD", "PAPERS"]


def papers(*ids: str, changed=()) -> Corpus:
    """The fixture corpus with only the papers `ids` (in the fixture's order), each of `changed` (a
    Paper) in place of the paper of its id or, when its id is new, after them."""
    by_id = {p.id: p for p in changed}
    kept = [by_id.pop(p.id, p) for p in PAPERS if p.id in ids]
    return replace(CORPUS, papers=tuple(kept) + tuple(by_id.values()))


def folder(path: Path, corpus: Corpus, **extra) -> Path:
    """A build folder holding the papers.jsonl of `corpus`; `extra`: paper id -> fields added to its
    record (a `date`, as a newer kg writes)."""
    path.mkdir(parents=True, exist_ok=True)
    write_papers_jsonl(corpus, path / "papers.jsonl")
    if extra:
        lines = [json.loads(line) for line in (path / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
        text = "".join(json.dumps({**r, **extra.get(r["id"], {})}, ensure_ascii=False) + "\n" for r in lines)
        (path / "papers.jsonl").write_text(text, encoding="utf-8")
    return path
