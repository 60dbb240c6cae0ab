"""A small dated corpus for the trends tests: ten papers a year, 2016–2019, plus one undated paper and
one dated 2020-01-05.

Topics per year (papers naming them): "rising" 1, 1, 6, 6 (bursts in the last two years), "steady"
2, 2, 2, 2, "old burst" 0, 5, 5, 0 (a burst that ended). Authors: A (ann), B (bob) and E (eve)
publish before 2019, A with E in 2017 and 2019, A with B first in 2019 (two papers): the one new
collaboration of 2019; C and D first publish in 2019, together. Institutions: "Old Lab" on every
paper, "New Lab" first on three papers of 2019. Each paper has its `date`; `DATES` (paper id → date)
and `date_of` give the same dates without it.
"""

from __future__ import annotations

from kg.model import Author, Authorship, Corpus, InstitutionRef, Paper, Source

__all__ = ["YEARS", "RISING", "STEADY", "OLD_BURST", "CORPUS", "DATES", "date_of"]

YEARS = (2016, 2017, 2018, 2019)
RISING, STEADY, OLD_BURST = (1, 1, 6, 6), (2, 2, 2, 2), (0, 5, 5, 0)
NAMES = {"author:a": "Ann A", "author:b": "Bob B", "author:c": "Cid C", "author:d": "Dan D", "author:e": "Eve E"}


def _authors(year: int, i: int) -> list[str]:
    named = {(2016, 0): ["author:a"], (2016, 1): ["author:b"], (2017, 3): ["author:a", "author:e"],
             (2018, 0): ["author:b", "author:e"], (2019, 0): ["author:a", "author:b"],
             (2019, 1): ["author:a", "author:b"], (2019, 2): ["author:c", "author:d"],
             (2019, 4): ["author:a", "author:e"]}
    return named.get((year, i), []) + [f"author:u-{year}-{i}"]


def _paper(pid: str, date: str | None, topics: list[str], authors: list[str], institutions: list[str]) -> Paper:
    return Paper(
        id=pid, title=f"Paper {pid}", arxiv_id=None, category="cs.LG", year=int(date[:4]) if date else None,
        lang=("en",), abstracts=(("en", f"The abstract of {pid}."),),
        authorships=tuple(Authorship(k, NAMES.get(a, a), a) for k, a in enumerate(authors)),
        institutions=tuple(InstitutionRef(name, "institution:" + name.lower().replace(" ", "-"), name)
                           for name in institutions),
        topics=tuple((t, 1.0) for t in topics), methods=(), datasets=(), code=(), urls=(),
        sources=(Source(f"{date or 'undated'}-venue.txt", 1),), date=date)


def _papers() -> tuple[tuple[Paper, ...], dict[str, str | None]]:
    papers, dates = [], {}
    for y, year in enumerate(YEARS):
        for i in range(10):
            pid, date = f"p{year}-{i}", f"{year}-06-{i + 10}"
            topics = [name for name, counts in (("rising", RISING), ("steady", STEADY), ("old burst", OLD_BURST))
                      if i < counts[y]]
            institutions = ["Old Lab"] + (["New Lab"] if year == 2019 and i < 3 else [])
            papers.append(_paper(pid, date, topics, _authors(year, i), institutions))
            dates[pid] = date
    papers.append(_paper("undated", None, ["rising"], ["author:a"], ["Old Lab"]))
    papers.append(_paper("p2020", "2020-01-05", ["rising"], ["author:c"], ["Old Lab"]))
    dates["undated"], dates["p2020"] = None, "2020-01-05"
    return tuple(papers), dates


PAPERS, DATES = _papers()


def date_of(paper: Paper) -> str | None:
    return DATES[paper.id]


def _all_authors() -> tuple[Author, ...]:
    mentions: dict[str, list[tuple[str, int]]] = {}
    for paper in PAPERS:
        for a in paper.authorships:
            mentions.setdefault(a.author_id, []).append((paper.id, a.position))
    return tuple(Author(aid, NAMES.get(aid, aid), tuple(sorted(m))) for aid, m in sorted(mentions.items()))


CORPUS = Corpus(papers=PAPERS, authors=_all_authors(), institutions=())
