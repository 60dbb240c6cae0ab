"""What is emerging as of a date: terms ranked by the weight of a burst still going on in the cut-off's
period (kg.trends.burst, method "burst") or by how surely their share in that period exceeds their
earlier share (kg.trends.ratio, method "ratio"), new collaborations and newly active institutions of
that period, and the baseline the benchmark compares them with (last period's growth in share).

Only papers dated on or before the cut-off are read; every ranking is deterministic (ties go by
label, then key).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ..model import Corpus, Paper
from .burst import GAMMA, S, final_burst
from .ratio import Q, share_ratio_bound
from .series import KINDS, Series, count_series, dated_papers, paper_date, period_of, periods_between

__all__ = ["NEW_KINDS", "ALL_KINDS", "METHODS", "MIN_SUPPORT", "Trend", "Trends", "trends", "emerging", "rising",
           "growth", "new_collaborations", "new_institutions"]

# beside the burst kinds: author pairs whose first joint paper is in the cut-off's period, and
# institutions whose first paper is
NEW_KINDS = ("collaboration", "new-institution")
ALL_KINDS = KINDS + NEW_KINDS
MIN_SUPPORT = 5  # papers naming a term during its burst (or, for "ratio" and growth, in the last period)
# how terms are ranked: Kleinberg bursts still going on, or the calibrated rise of their share
METHODS = ("burst", "ratio")


@dataclass(frozen=True)
class Trend:
    """One ranked item: `label`, `kind`, `score` (a burst's weight in nats; by "ratio" the log of the
    rise in share it is 95% sure of; for the new kinds the papers of the cut-off's period),
    `first_seen` (the date of the first paper naming it), `counts` (papers per period, every period of
    the range, empty ones too); `since`: the period its burst began (by "ratio" the period compared),
    `key`: its key (an id for authors, institutions and pairs) — these two are not in the JSON."""

    label: str
    kind: str
    score: float
    first_seen: str
    counts: dict[str, int]
    since: str | None = None
    key: str = ""

    def as_json(self) -> dict:
        return {"label": self.label, "kind": self.kind, "score": round(self.score, 4), "first_seen": self.first_seen,
                "counts": dict(self.counts)}


@dataclass(frozen=True)
class Trends:
    """A ranking, best first, with what it was computed on: the cut-off (YYYY-MM-DD), its periods and
    the dated papers of each, the undated papers ignored and the papers dated after the cut-off."""

    kind: str
    period: str
    as_of: str
    periods: tuple[str, ...]
    documents: tuple[int, ...]
    items: tuple[Trend, ...]
    undated: int
    later: int


def _ranked(items: list[Trend], top: int | None) -> tuple[Trend, ...]:
    items.sort(key=lambda t: (-t.score, t.label.casefold(), t.label, t.key))
    return tuple(items if top is None else items[:top])


def emerging(series: Series, kind: str, s: float = S, gamma: float = GAMMA,
             min_support: int = MIN_SUPPORT) -> list[Trend]:
    """Every term of the series with a burst still going on in the last period that at least
    `min_support` papers name, scored by the burst's weight (unsorted)."""
    found = []
    for term, counts in series.mentions.items():
        if sum(counts) < min_support:  # no burst of it can have the support
            continue
        burst = final_burst(counts, series.documents, s, gamma)
        if burst is None or burst.support < min_support or burst.weight <= 0:
            continue
        found.append(Trend(series.labels[term], kind, burst.weight, series.first_seen[term],
                           dict(zip(series.periods, counts)), series.periods[burst.start], term))
    return found


def rising(series: Series, kind: str, min_support: int = MIN_SUPPORT, q: float = Q) -> list[Trend]:
    """Every term at least `min_support` papers of the last period with papers name whose share there
    surely exceeds its share in all the periods before (kg.trends.ratio: the ratio at the posterior's
    `q`-quantile is above 1), scored by the log of that ratio (unsorted; `since` is that period)."""
    last = max((t for t, d in enumerate(series.documents) if d), default=-1)
    n1, n0 = (series.documents[last], sum(series.documents[:last])) if last >= 0 else (0, 0)
    found = []
    if not n0:  # nothing before to compare with
        return found
    for term, counts in series.mentions.items():
        if counts[last] < min_support:
            continue
        score = share_ratio_bound(counts[last], n1, sum(counts[:last]), n0, q)
        if score > 0:
            found.append(Trend(series.labels[term], kind, score, series.first_seen[term],
                               dict(zip(series.periods, counts)), series.periods[last], term))
    return found


def growth(series: Series, kind: str, min_support: int = MIN_SUPPORT) -> list[Trend]:
    """The baseline: every term at least `min_support` papers of the last period name, scored by the
    growth of its share from the period before to the last one, share_T / share_(T-1), the earlier
    count plus one (a term new in the last period is finite: as if one paper had named it)."""
    if len(series.periods) < 2 or not series.documents[-2] or not series.documents[-1]:
        return []
    d_before, d_last = series.documents[-2], series.documents[-1]
    found = []
    for term, counts in series.mentions.items():
        if counts[-1] < min_support:
            continue
        score = (counts[-1] / d_last) / ((counts[-2] + 1) / d_before)
        found.append(Trend(series.labels[term], kind, score, series.first_seen[term],
                           dict(zip(series.periods, counts)), None, term))
    return found


def _dated(corpus: Corpus, as_of: str | None, period: str, date_of: Callable[[Paper], str | None]):
    kept, bound, undated, later = dated_papers(corpus, as_of, period, date_of)
    periods = periods_between(min(key for _, _, key in kept), period_of(bound, period), period) if kept else ()
    return kept, bound, undated, later, periods


def _documents(kept, periods) -> tuple[int, ...]:
    index = {p: i for i, p in enumerate(periods)}
    documents = [0] * len(periods)
    for _, _, key in kept:
        documents[index[key]] += 1
    return tuple(documents)


def new_collaborations(corpus: Corpus, as_of: str | None = None, period: str = "year",
                       date_of: Callable[[Paper], str | None] = paper_date) -> Trends:
    """Pairs of authors whose first joint paper is in the cut-off's period while both had published
    before it, scored by their joint papers in that period (ties: the pair's earlier papers, more
    first). Labelled "A & B" (names in alphabetical order)."""
    kept, bound, undated, later, periods = _dated(corpus, as_of, period, date_of)
    items: list[Trend] = []
    if periods:
        last = periods[-1]
        names = {a.id: a.name for a in corpus.authors}
        earlier: dict[str, int] = {}  # papers before the last period, per author
        pairs: dict[tuple[str, str], dict[str, int]] = {}
        first: dict[tuple[str, str], str] = {}
        for paper, date, key in kept:
            authors = sorted({a.author_id for a in paper.authorships})
            if key != last:
                for a in authors:
                    earlier[a] = earlier.get(a, 0) + 1
            for i, a in enumerate(authors):
                for b in authors[i + 1:]:
                    counts = pairs.setdefault((a, b), {})
                    counts[key] = counts.get(key, 0) + 1
                    if date < first.get((a, b), "\uffff"):
                        first[(a, b)] = date
        ranked = []
        for (a, b), counts in pairs.items():
            if set(counts) != {last} or a not in earlier or b not in earlier:
                continue
            label = " & ".join(sorted((names.get(a, a), names.get(b, b)), key=lambda n: (n.casefold(), n)))
            trend = Trend(label, "collaboration", float(counts[last]), first[(a, b)],
                          {p: counts.get(p, 0) for p in periods}, last, f"{a} {b}")
            ranked.append((-trend.score, -(earlier[a] + earlier[b]), label.casefold(), label, trend.key, trend))
        items = [entry[-1] for entry in sorted(ranked)]
    return Trends("collaboration", period, bound, periods, _documents(kept, periods), tuple(items), undated, later)


def new_institutions(corpus: Corpus, as_of: str | None = None, period: str = "year",
                     date_of: Callable[[Paper], str | None] = paper_date) -> Trends:
    """Institutions whose first paper is in the cut-off's period, scored by their papers in it."""
    series = count_series(corpus, "institution", as_of, period, date_of)
    items = []
    if series.periods:
        for term, counts in series.mentions.items():
            if counts[-1] and not any(counts[:-1]):
                items.append(Trend(series.labels[term], "new-institution", float(counts[-1]), series.first_seen[term],
                                   dict(zip(series.periods, counts)), series.periods[-1], term))
    return Trends("new-institution", period, series.as_of, series.periods, tuple(series.documents),
                  _ranked(items, None), series.undated, series.later)


def trends(corpus: Corpus, kind: str = "topic", as_of: str | None = None, top: int | None = 20, period: str = "year",
           s: float = S, gamma: float = GAMMA, min_support: int = MIN_SUPPORT,
           date_of: Callable[[Paper], str | None] = paper_date, method: str = "burst", q: float = Q) -> Trends:
    """The `top` items of `kind` emerging as of `as_of` (YYYY-MM-DD, YYYY-MM or YYYY: its last day;
    default the latest date of the corpus), best first, from the papers dated on or before it.

    `kind` is one of KINDS (terms ranked by `method`: "burst", the weight of a Kleinberg burst still
    going on, with `s` and `gamma`; or "ratio", the rise of their share in the last period, at the
    `q`-quantile), "collaboration" or "new-institution"; `period` "year", "month" or "week" (ISO weeks);
    `date_of` gives a paper's ISO date (default its `date`)."""
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}: one of {', '.join(METHODS)}")
    if kind == "collaboration":
        found = new_collaborations(corpus, as_of, period, date_of)
    elif kind == "new-institution":
        found = new_institutions(corpus, as_of, period, date_of)
    elif kind in KINDS:
        series = count_series(corpus, kind, as_of, period, date_of)
        items = (emerging(series, kind, s, gamma, min_support) if method == "burst"
                 else rising(series, kind, min_support, q))
        found = Trends(kind, period, series.as_of, series.periods, tuple(series.documents), _ranked(items, None),
                       series.undated, series.later)
    else:
        raise ValueError(f"unknown kind {kind!r}: one of {', '.join(ALL_KINDS)}")
    if top is not None:
        found = Trends(found.kind, found.period, found.as_of, found.periods, found.documents, found.items[:top],
                       found.undated, found.later)
    return found
