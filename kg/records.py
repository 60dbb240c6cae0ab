"""Save and load a resolved Corpus as JSON, so query, export and serve work on a finished build."""

from __future__ import annotations

import json
from dataclasses import asdict

from .errors import InputError
from .model import Author, Authorship, Corpus, Institution, InstitutionRef, Method, Paper, Problem, Source

__all__ = ["write_corpus", "read_corpus", "CORPUS_FILE"]

CORPUS_FILE = "corpus.json"
_VERSION = 1


def write_corpus(corpus: Corpus, path) -> list[str]:
    from .export.atomic import atomic_open

    with atomic_open(path) as handle:
        json.dump({"version": _VERSION, "corpus": asdict(corpus)}, handle, ensure_ascii=False, sort_keys=True)
        handle.write("\n")
    return [str(path)]


def _paper(d: dict) -> Paper:
    return Paper(
        id=d["id"], title=d["title"], arxiv_id=d["arxiv_id"], category=d["category"], year=d["year"],
        lang=tuple(d["lang"]), abstracts=tuple(tuple(a) for a in d["abstracts"]),
        authorships=tuple(Authorship(**a) for a in d["authorships"]),
        institutions=tuple(InstitutionRef(**{**i, "context": tuple(i.get("context", ()))}) for i in d["institutions"]),
        topics=tuple((t, s) for t, s in d["topics"]), methods=tuple(Method(**m) for m in d["methods"]),
        datasets=tuple(d["datasets"]), code=tuple(d["code"]), urls=tuple(d["urls"]),
        sources=tuple(Source(**s) for s in d["sources"]),
    )


def read_corpus(path) -> Corpus:
    """Load a corpus written by write_corpus; InputError names the file when it is missing or foreign."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; run `kg build` first") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read a built corpus: {exc}") from None
    if data.get("version") != _VERSION:
        raise InputError(f"{path}: written by another version of kg; rebuild it")
    c = data["corpus"]
    return Corpus(
        papers=tuple(_paper(p) for p in c["papers"]),
        authors=tuple(Author(id=a["id"], name=a["name"], mentions=tuple(tuple(m) for m in a["mentions"]),
                             evidence=tuple(a["evidence"])) for a in c["authors"]),
        institutions=tuple(Institution(id=i["id"], name=i["name"], ror_id=i["ror_id"], printed=tuple(i["printed"]),
                                       matched=i["matched"]) for i in c["institutions"]),
        problems=tuple(Problem(**p) for p in c["problems"]),
        inputs=tuple(c["inputs"]),
    )
