"""Entries and their extractions → the resolved Corpus, in three steps: entries merge into paper
drafts, each draft's printed institutions are read (acronyms decided by the paper's authors), then
author mentions are resolved into people and the drafts become Papers.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from ..ingest.dates import DATE_SOURCES, date_from_arxiv_id
from ..model import Authorship, Corpus, Entity, Entry, Extraction, Institution, InstitutionRef, Paper, Problem
from ..util.textnorm import fold
from .authors import AuthorMention, normalise_person_name, resolve_authors
from .categories import category_for_tag
from .entities import canonical_entities, merge_entities
from .institutions import read_in_context
from .names import full_names_for
from .papers import canonical_arxiv_id, group_entries, labelled_keys, paper_id, year_from_arxiv_id

__all__ = ["resolve", "resolve_institution"]


def resolve_institution(printed: str, lexicon) -> tuple[str, str, str | None, bool, str | None]:
    """(id, canonical name, ROR id, matched, route) of a printed institution name; the route is the
    lexicon's (InstitutionMatch.route: "ror-name", "ror-alias", "alias", "matcher" or "unmatched")."""
    match = lexicon.match(printed)
    if match.ror_id:
        inst_id = f"institution:ror-{match.ror_id}"
    else:
        slug = re.sub(r"[^a-z0-9]+", "-", match.key.split(":", 1)[-1].lower()).strip("-") or "unknown"
        inst_id = f"institution:{slug}"
    return inst_id, match.name, match.ror_id, match.via != "unmatched", match.route


# Printed in place of an affiliation by the paper lists digests copy; no organisation stands behind them.
_PLACEHOLDERS = frozenset({
    "unknown institution", "unknown", "university affiliation not specified", "institution not specified",
    "affiliation not specified", "not specified", "independent researcher", "independent", "n a", "none",
})


@dataclass(frozen=True)
class _PaperDraft:
    """A paper as its entries state it, before its authors and institutions are resolved."""

    id: str
    title: str | None
    arxiv_id: str | None
    category: str | None
    year: int | None
    lang: tuple[str, ...]
    abstracts: tuple[tuple[str, str], ...]
    printed_authors: tuple[str, ...]
    full_names: tuple[str | None, ...]  # aligned with printed_authors: "D Dai" → "Damai Dai" from arXiv/BibTeX
    printed_institutions: tuple[str, ...]
    topics: tuple[tuple[str, float], ...]
    methods: tuple[Entity, ...]
    datasets: tuple[Entity, ...]
    code: tuple[str, ...]
    urls: tuple[str, ...]
    sources: tuple
    tasks: tuple[Entity, ...] = ()
    metrics: tuple[Entity, ...] = ()
    date: str | None = None
    date_source: str | None = None
    published: str | None = None

    def author_keys(self) -> list[str]:
        return [normalise_person_name(n) for n in self.printed_authors]

    def english_text(self) -> str:
        return " ".join([self.title or ""] + [t for lang, t in self.abstracts if lang == "en"])


@dataclass
class _InstitutionRecord:
    """One institution entity as the papers print it: its readings' names, counted, and every printed form."""

    ror_id: str | None
    matched: bool
    names: Counter = field(default_factory=Counter)
    printed: dict = field(default_factory=dict)  # printed form -> None, in order of first sight


def resolve(entries, extractions, lexicon=None, max_topics: int = 10, author_cache=None) -> Corpus:
    """Turn entries and their extractions (same order) into a resolved Corpus.

    Papers are sorted by id; authors and institutions by id. Problems found here (unknown category
    tags, titles or texts shared across distinct arXiv ids) are returned on the corpus as warnings.
    `author_cache`: the build's kg.resolve.author_cache.AuthorBlockCache (an update clusters only the
    name blocks whose inputs changed).
    """
    if lexicon is None:
        from ..knowledge.institutions import load_lexicon

        lexicon = load_lexicon()
    entries = list(entries)
    extractions = list(extractions)
    problems: list[Problem] = []
    # distinct arXiv ids never merge; shared titles or texts that did not merge are warned about there
    labelled = [labelled_keys(e) for e in entries]  # read twice: grouping, then each paper's id
    drafts = [
        _draft_paper([entries[i] for i in group], [extractions[i] for i in group], max_topics, problems,
                     [key for i in group for key, _ in labelled[i]])
        for group in group_entries(entries, problems, labelled)
    ]
    del labelled
    drafts = canonical_entities(drafts)  # "CIFAR10" and "CIFAR-10" are one dataset on every paper
    author_keys = [d.author_keys() for d in drafts]
    refs, records = _read_institutions(drafts, author_keys, lexicon)
    assignment, authors = resolve_authors(_author_mentions(drafts, author_keys, refs), cache=author_cache)
    papers = sorted((_paper(d, paper_refs, assignment) for d, paper_refs in zip(drafts, refs, strict=True)),
                    key=lambda p: p.id)
    institutions = tuple(
        Institution(id=i, name=_entity_name(r, lexicon), ror_id=r.ror_id, printed=tuple(sorted(r.printed)),
                    matched=r.matched)
        for i, r in sorted(records.items())
    )
    return Corpus(papers=tuple(papers), authors=tuple(authors), institutions=institutions, problems=tuple(problems))


def _draft_paper(members: list[Entry], found: list[Extraction], max_topics: int, problems: list[Problem],
                 keys: list[str]) -> _PaperDraft:
    """The draft of the paper the entries `members` (and their extractions `found`) describe;
    `keys`: the members' paper keys (kg.resolve.papers.paper_keys)."""
    arxiv_ids = sorted({canonical_arxiv_id(e.arxiv_id) for e in members if e.arxiv_id})
    arxiv_id = arxiv_ids[0] if arxiv_ids else None
    # the richest entry gives the author and institution lists (digests print them, feeds do not)
    # on a tie, an entry that prints names as the digests do (no full names) keeps its printed form
    richest = max(members, key=lambda e: (len(e.authors), len(e.institutions), not e.author_names_full, e.title is not None))
    abstracts: dict[tuple[str, str], None] = {}
    for e in members:
        if e.abstract:
            abstracts.setdefault((e.lang, e.abstract), None)
        if e.summary_zh and e.summary_zh != e.abstract:
            abstracts.setdefault(("zh", e.summary_zh), None)
    date, date_source = _first_seen(members)
    return _PaperDraft(
        id=paper_id(keys),
        title=next((e.title for e in members if e.title), None),
        arxiv_id=arxiv_id,
        category=_category(members, problems),
        # the arXiv id's year, else the year a source prints, else the year of the paper's date
        year=year_from_arxiv_id(arxiv_id) or next((e.year for e in members if e.year), None)
        or (int(date[:4]) if date else None),
        lang=tuple(sorted({lang for lang, _ in abstracts})),
        abstracts=tuple(abstracts),
        printed_authors=richest.authors,
        full_names=full_names_for(richest.authors, members),
        # placeholders ("Unknown Institution") stay on the entry as printed but make no node
        printed_institutions=tuple(p for p in richest.institutions if fold(p) not in _PLACEHOLDERS),
        topics=_merge_ranked(x.topics for x in found)[:max_topics],
        methods=merge_entities(x.methods for x in found),
        datasets=merge_entities(x.datasets for x in found),
        tasks=merge_entities(x.tasks for x in found),
        metrics=merge_entities(x.metrics for x in found),
        code=_union(x.code for x in found),
        urls=_union(e.urls for e in members),
        sources=tuple(sorted({e.source for e in members})),
        date=date,
        date_source=date_source,
        published=_published(members, arxiv_id),
    )


# Readers whose own dates are publication dates (arXiv metadata's v1 submission, a BibTeX date); a
# digest's or a post's date says when the paper was seen
_PUBLICATION_FORMATS = frozenset({"arxiv", "bibtex"})


def _first_seen(members: list[Entry]) -> tuple[str | None, str | None]:
    """The earliest date among the entries and its source (see _earliest); on a tie the stronger
    source (DATE_SOURCES order)."""
    rank = {source: i for i, source in enumerate(DATE_SOURCES)}
    dated = [(e.date, e.date_source == "arxiv-id", rank.get(e.date_source, len(rank)), e.date_source)
             for e in members if e.date]
    if not dated:
        return None, None
    date, _, _, source = _earliest(dated)
    return date, source


def _published(members: list[Entry], arxiv_id: str | None) -> str | None:
    """The publication date: the earliest of the metadata dates (arXiv, BibTeX) and the arXiv id's month."""
    dates = [(e.date, False) for e in members
             if e.date and e.date_source == "document" and e.format in _PUBLICATION_FORMATS]
    month = date_from_arxiv_id(arxiv_id)
    if month:
        dates.append((month, True))
    return _earliest(dates)[0] if dates else None


def _earliest(dated: list[tuple]):
    """The earliest of (date, month_only, …) tuples, by month first: in the earliest month a day
    beats the month an arXiv id gives (its first day stands for the whole month, so a digest of
    2021-04-20 does not yield to 2104.08696's 2021-04-01), and an earlier month beats any later day."""
    return min(dated, key=lambda d: (d[0][:7], d[1], *d))


def _category(members: list[Entry], problems: list[Problem]) -> str | None:
    """The paper's arXiv category: one stated by metadata (arXiv JSON, BibTeX primaryClass) wins
    over a digest tag; an unknown tag is warned about."""
    category = next((e.category for e in members if e.category), None)
    tag = next((e.tag for e in members if e.tag), None)
    if tag and category is None:
        category = category_for_tag(tag)
        if category is None:
            problems.append(Problem(members[0].source.file, members[0].source.line, f"unknown category tag [{tag}]", "warning"))
    return category


def _read_institutions(drafts: list[_PaperDraft], author_keys: list[list[str]], lexicon):
    """Each draft's institution references, and the institution records by id: the lexicon's
    reading of each printed name, ambiguous acronyms decided by the paper's authors (kg/resolve/institutions.py)."""
    printed_lists = [d.printed_institutions for d in drafts]
    readings = read_in_context(zip(printed_lists, author_keys, strict=True),
                               lambda printed: resolve_institution(printed, lexicon))
    records: dict[str, _InstitutionRecord] = {}
    refs: list[tuple[InstitutionRef, ...]] = []
    for printed_insts, found in zip(printed_lists, readings, strict=True):
        paper_refs: list[InstitutionRef] = []
        for printed, r in zip(printed_insts, found, strict=True):
            record = records.setdefault(r.institution_id, _InstitutionRecord(r.ror_id, r.matched))
            record.names[r.name] += 1
            record.printed.setdefault(printed, None)
            if not any(ref.institution_id == r.institution_id for ref in paper_refs):
                paper_refs.append(InstitutionRef(printed=printed, institution_id=r.institution_id, name=r.name,
                                                 context=r.context, via=r.via))
        refs.append(tuple(paper_refs))
    return refs, records


def _author_mentions(drafts: list[_PaperDraft], author_keys: list[list[str]], refs) -> list[AuthorMention]:
    """Every printed author of every draft, with what the paper says about them: co-authors,
    institutions, and the paper's category, year, topics and text (authors.py weighs them)."""
    mentions = []
    for d, names, paper_refs in zip(drafts, author_keys, refs, strict=True):
        inst_ids = tuple(r.institution_id for r in paper_refs)
        text = d.english_text()
        # what the paper is about: its topics and the tasks, methods and datasets it names
        topics = tuple(label for label, _ in d.topics) + tuple(
            e.name for e in (*d.tasks, *d.methods, *d.datasets))
        for position, (printed, full_name) in enumerate(zip(d.printed_authors, d.full_names, strict=True)):
            others = tuple(n for k, n in enumerate(names) if k != position)
            mentions.append(AuthorMention(d.id, position, printed, others, inst_ids, full_name=full_name,
                                          category=d.category, year=d.year, topics=topics, text=text))
    return mentions


def _paper(d: _PaperDraft, refs: tuple[InstitutionRef, ...], assignment: dict) -> Paper:
    authorships = tuple(
        Authorship(position=i, printed=name, author_id=assignment[(d.id, i)], full_name=full_name)
        for i, (name, full_name) in enumerate(zip(d.printed_authors, d.full_names, strict=True))
    )
    return Paper(
        id=d.id, title=d.title, arxiv_id=d.arxiv_id, category=d.category, year=d.year, lang=d.lang,
        abstracts=d.abstracts, authorships=authorships, institutions=refs, topics=d.topics, methods=d.methods,
        datasets=d.datasets, code=d.code, urls=d.urls, sources=d.sources, tasks=d.tasks, metrics=d.metrics,
        date=d.date, date_source=d.date_source, published=d.published,
    )


def _entity_name(record: _InstitutionRecord, lexicon) -> str:
    """An organisation's label: its ROR name when linked (labs fold into their parent's record, so
    "MSR" and "Microsoft" are one node labelled Microsoft), else its most frequent canonical form."""
    if record.ror_id:
        label = lexicon.ror_label(record.ror_id)
        if label:
            return label
    return sorted(record.names.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


def _merge_ranked(lists) -> tuple[tuple[str, float], ...]:
    best: dict[str, float] = {}
    for topics in lists:
        for label, score in topics:
            best[label] = max(score, best.get(label, 0.0))
    return tuple(sorted(best.items(), key=lambda kv: (-kv[1], kv[0])))


def _union(lists) -> tuple:
    out: dict = {}
    for items in lists:
        for item in items:
            out.setdefault(item, None)
    return tuple(out)

