"""`kg explain author ID`: which mentions a resolved author is made of, and why they were merged.

Reads a finished build's corpus (corpus.json): each Author keeps its mentions (paper id, position)
and one evidence line per merge (kg/resolve/authors.py writes them); the papers give the printed
names, full names, titles and source lines, the institutions their names.

Positions are shown counted from 1 (`arxiv:2104.08696#1` is the first author), as in every kg
output; corpus.json and the evidence lines count from 0, and are converted here.
"""

from __future__ import annotations

import re

from ..errors import KgError
from ..model import Author, Corpus
from ..util.textnorm import fold

__all__ = ["explain_author", "explain_author_json", "find_authors"]

_INSTITUTION_RE = re.compile(r"institution (institution:\S+)")
# the head of an evidence line: the pair of mentions, "PAPER#POSITION ~ PAPER#POSITION score …"
_PAIR_RE = re.compile(r"^(\S+)#([0-9]+) ~ (\S+)#([0-9]+)(?= score )")


def _shown_pair(line: str) -> str:
    """An evidence line with its pair's positions counted from 1."""
    return _PAIR_RE.sub(lambda m: f"{m.group(1)}#{int(m.group(2)) + 1} ~ {m.group(3)}#{int(m.group(4)) + 1}", line, count=1)


def find_authors(corpus: Corpus, query: str) -> list[Author]:
    """The author with id `query`; else every author printed (or named) `query`, accents and case ignored."""
    for author in corpus.authors:
        if author.id == query:
            return [author]
    wanted = fold(query)
    printed: dict[str, set[str]] = {}
    for paper in corpus.papers:
        for a in paper.authorships:
            printed.setdefault(a.author_id, set()).update(fold(n) for n in (a.printed, a.full_name) if n)
    return [a for a in corpus.authors if fold(a.name) == wanted or wanted in printed.get(a.id, ())]


def explain_author(corpus: Corpus, query: str) -> str:
    """The explanation text of the author `query` (an author id, or a name that only one author has)."""
    found = _matching(corpus, query)
    if len(found) > 1:
        lines = [f"{len(found)} authors match {query!r}; explain one of them by id:"]
        for a in found:
            lines.append(f"  {a.id}  {a.name}  {len(a.mentions)} mention{'s' if len(a.mentions) != 1 else ''}")
        return "\n".join(lines)
    author = found[0]
    names = {i.id: i.name for i in corpus.institutions}
    lines = [f"{author.id}  {author.name}"]
    count = len(author.mentions)
    lines.append(f"{count} mention{'s' if count != 1 else ''} (paper#position from 1, printed name):")
    for paper_id, position, paper, authorship in _mentions(corpus, author):
        printed = f'"{authorship.printed}"' if authorship else "?"
        if authorship and authorship.full_name and authorship.full_name != authorship.printed:
            printed += f" (full name {authorship.full_name})"
        title = paper.title if paper and paper.title else ""
        where = paper.sources[0].label() if paper and paper.sources else ""
        lines.append(f"  {paper_id}#{position + 1}  {printed}  {title}  [{where}]".rstrip())
    if author.evidence:
        lines.append(f"merged because ({len(author.evidence)} merge{'s' if len(author.evidence) != 1 else ''}, "
                     "each: the strongest pair of mentions, the log-odds of every piece of evidence, the cluster link):")
        for k, line in enumerate(author.evidence, 1):
            line = _INSTITUTION_RE.sub(lambda m: f"institution {names.get(m.group(1), m.group(1))} [{m.group(1)}]", _shown_pair(line))
            lines.append(f"  {k}. {line}")
    elif count == 1:
        lines.append("not merged with any other mention: no compatible name with enough evidence")
    return "\n".join(lines)


def explain_author_json(corpus: Corpus, query: str) -> dict:
    """The explanation of the author `query` as a JSON-ready dict (docs/cli.md lists its fields): the
    same facts as explain_author, positions counted from 1; several matches: {"query", "matches"}."""
    found = _matching(corpus, query)
    if len(found) > 1:
        return {"query": query, "matches": [{"id": a.id, "name": a.name, "mentions": len(a.mentions)} for a in found]}
    author = found[0]
    mentions = []
    for paper_id, position, paper, authorship in _mentions(corpus, author):
        mentions.append({
            "paper": paper_id, "position": position + 1,
            "printed": authorship.printed if authorship else None,
            "full_name": authorship.full_name if authorship else None,
            "title": paper.title if paper else None,
            "source": paper.sources[0].label() if paper and paper.sources else None,
        })
    return {"kind": "author", "id": author.id, "name": author.name, "mentions": mentions,
            "evidence": [_shown_pair(line) for line in author.evidence]}


def _matching(corpus: Corpus, query: str) -> list[Author]:
    """The authors `query` names, most mentions first (then by id); KgError when none does."""
    found = find_authors(corpus, query)
    if not found:
        raise KgError(f"no author {query!r} in this build (give an author id, e.g. from papers.jsonl, or a printed name)")
    return sorted(found, key=lambda a: (-len(a.mentions), a.id))


def _mentions(corpus: Corpus, author: Author):
    """(paper id, position from 0, the paper or None, its authorship at that position or None) of
    each of the author's mentions, in order."""
    papers = {p.id: p for p in corpus.papers}
    for paper_id, position in author.mentions:
        paper = papers.get(paper_id)
        authorship = next((a for a in paper.authorships if a.position == position), None) if paper else None
        yield paper_id, position, paper, authorship
