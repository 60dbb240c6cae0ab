"""From a resolved corpus to count series: each paper's date and period, the terms of one kind it
names, and per term the papers of each period that name it.

Periods are years ("2019"), months ("2019-06") or ISO weeks ("2019-W26", Monday to Sunday: what a
reader of daily digests looks back on), cut from the paper's ISO date. A paper without a date (or,
by month, without a month; by week, without a day) belongs to no period: it is counted as undated
and left out.

>>> as_of_bound("2019"), as_of_bound("2020-02"), as_of_bound("2019-06-30")
('2019-12-31', '2020-02-29', '2019-06-30')
>>> period_of("2019-06-30", "year"), period_of("2019-06-30", "month"), period_of("2019", "month")
('2019', '2019-06', None)
>>> period_of("2019-06-30", "week"), period_of("2019-12-30", "week"), period_of("2019-06", "week")
('2019-W26', '2020-W01', None)
>>> periods_between("2018-11", "2019-02", "month")
('2018-11', '2018-12', '2019-01', '2019-02')
>>> periods_between("2019-W51", "2020-W02", "week")
('2019-W51', '2019-W52', '2020-W01', '2020-W02')
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from datetime import date as Date
from typing import Callable

from ..graph.schema import ENTITY_KINDS, node_id, paper_entities
from ..model import Corpus, Paper

__all__ = ["KINDS", "PERIODS", "Series", "paper_date", "as_of_bound", "period_of", "periods_between",
           "paper_terms", "dated_papers", "count_series"]

# the kinds of term a trend is computed for
KINDS = ("topic", "task", "method", "dataset", "author", "institution")
PERIODS = ("year", "month", "week")
_WIDTH = {"year": 4, "month": 7, "week": 10}  # the date characters a period needs
_ENTITY_KINDS = {k.field[:-1]: k for k in ENTITY_KINDS}  # "method" → the kind whose field is "methods"
_AS_OF = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def paper_date(paper: Paper) -> str | None:
    """The paper's ISO date (YYYY-MM-DD: the earliest its entries give, kg.ingest.dates), or None."""
    return paper.date or None


def as_of_bound(text: str) -> str:
    """The last day an --as-of value covers, as YYYY-MM-DD: a year means its last day, a month too."""
    match = _AS_OF.fullmatch(text.strip())
    if not match:
        raise ValueError(f"--as-of {text!r}: not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
    year, month, day = (int(g) if g else None for g in match.groups())
    try:
        if month is None:
            return Date(year, 12, 31).isoformat()
        if day is None:
            return Date(year, month, calendar.monthrange(year, month)[1]).isoformat()
        return Date(year, month, day).isoformat()
    except ValueError as exc:
        raise ValueError(f"--as-of {text!r}: {exc}") from None


def period_of(date: str, period: str) -> str | None:
    """The period of an ISO date: its year, its month or its ISO week; None when the date is too
    short for it."""
    width = _WIDTH[period]
    key = date[:width]
    if len(key) != width or not key[:4].isdigit():
        return None
    if period == "week":
        try:
            year, week, _ = Date.fromisoformat(key).isocalendar()
        except ValueError:
            return None
        return f"{year:04d}-W{week:02d}"
    return key


def periods_between(first: str, last: str, period: str) -> tuple[str, ...]:
    """Every period from `first` to `last`, both included, empty ones too."""
    if period == "year":
        return tuple(str(y) for y in range(int(first), int(last) + 1))
    if period == "week":
        day, end = (Date.fromisocalendar(int(p[:4]), int(p[6:8]), 1) for p in (first, last))
        return tuple(f"{y:04d}-W{w:02d}" for y, w, _ in
                     (Date.fromordinal(o).isocalendar() for o in range(day.toordinal(), end.toordinal() + 1, 7)))
    year, month = int(first[:4]), int(first[5:7])
    found = []
    while f"{year:04d}-{month:02d}" <= last:
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return tuple(found)


def paper_terms(paper: Paper, kind: str, author_names: dict[str, str]) -> dict[str, str]:
    """The terms of `kind` the paper names: key → label. Every term is keyed by its node id in the
    graph (kg.graph.schema.node_id: topics, tasks, methods and datasets fold case there, so "CMT"
    and "cmt" are one term, as they are one node), labelled with its canonical name; authors and
    institutions by their resolved ids, labelled with their names."""
    if kind == "topic":
        return {node_id("Topic", label): label for label, _ in paper.topics}
    if kind in ("task", "method", "dataset"):
        return {nid: entity.name for nid, entity in paper_entities(paper, _ENTITY_KINDS[kind])}
    if kind == "author":
        return {a.author_id: author_names.get(a.author_id, a.printed) for a in paper.authorships}
    if kind == "institution":
        return {i.institution_id: i.name for i in paper.institutions}
    raise ValueError(f"unknown kind {kind!r}: one of {', '.join(KINDS)}")


@dataclass
class Series:
    """The periods up to the cut-off, the papers of each (`documents`) and, per term key, the papers of
    each period naming it (`mentions`), its label and its first date; `undated` papers had no
    date for the period, `later` ones were dated after the cut-off."""

    period: str
    as_of: str
    periods: tuple[str, ...]
    documents: list[int]
    mentions: dict[str, list[int]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    first_seen: dict[str, str] = field(default_factory=dict)
    undated: int = 0
    later: int = 0


def dated_papers(corpus: Corpus, as_of: str | None, period: str,
                 date_of: Callable[[Paper], str | None] = paper_date) -> tuple[list[tuple[Paper, str, str]], str, int, int]:
    """(paper, date, period) of the papers dated on or before the cut-off, the cut-off (YYYY-MM-DD:
    `as_of`'s last day, or the latest date of the corpus), the number of undated papers and of
    papers dated after the cut-off."""
    if period not in PERIODS:
        raise ValueError(f"unknown period {period!r}: one of {', '.join(PERIODS)}")
    dated, undated = [], 0
    for paper in corpus.papers:
        date = date_of(paper)
        key = period_of(date, period) if date else None
        if key is None:
            undated += 1
        else:
            dated.append((paper, date, key))
    bound = as_of_bound(as_of) if as_of else max((date for _, date, _ in dated), default="")
    kept = [item for item in dated if item[1] <= bound]
    return kept, bound, undated, len(dated) - len(kept)


def count_series(corpus: Corpus, kind: str, as_of: str | None = None, period: str = "year",
                 date_of: Callable[[Paper], str | None] = paper_date) -> Series:
    """The count series of every term of `kind` over the periods up to the cut-off (`as_of`, default
    the latest date), from the first period holding a dated paper to the cut-off's period."""
    kept, bound, undated, later = dated_papers(corpus, as_of, period, date_of)
    if not kept:
        return Series(period, bound, (), [], undated=undated, later=later)
    last = period_of(bound, period)
    periods = periods_between(min(key for _, _, key in kept), last, period)
    index = {p: i for i, p in enumerate(periods)}
    series = Series(period, bound, periods, [0] * len(periods), undated=undated, later=later)
    author_names = {a.id: a.name for a in corpus.authors} if kind == "author" else {}
    for paper, date, key in kept:
        t = index[key]
        series.documents[t] += 1
        for term, label in paper_terms(paper, kind, author_names).items():
            counts = series.mentions.get(term)
            if counts is None:
                counts = series.mentions[term] = [0] * len(periods)
                series.labels[term], series.first_seen[term] = label, date
            counts[t] += 1
            if date < series.first_seen[term]:
                series.first_seen[term] = date
    return series
