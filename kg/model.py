"""Plain frozen dataclasses passed between the stages ingest → extract → resolve → graph → export.

They hold only plain values and ids, never library objects (spaCy docs, graphs).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, is_dataclass
from functools import lru_cache

__all__ = [
    "Source",
    "Problem",
    "Entry",
    "ReadResult",
    "Entity",
    "VIA",
    "Extraction",
    "Authorship",
    "InstitutionRef",
    "Paper",
    "Author",
    "Institution",
    "Corpus",
    "record_fields",
]


@dataclass(frozen=True, order=True)
class Source:
    """Where an entry was read: the path as given by the user and the entry's first line (1-based)."""

    file: str
    line: int

    def label(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True, order=True)
class Problem:
    """Something wrong with the input: a rejected entry, an unreadable file, or a warning."""

    file: str
    line: int | None
    reason: str
    severity: str = "error"  # "error": the entry/file is not in the graph; "warning": it is, with caveats


@dataclass(frozen=True)
class Entry:
    """One paper as one document printed it, before any interpretation beyond layout."""

    source: Source
    format: str  # name of the reader that produced it ("digest", "feed", ...)
    number: int | None = None  # entry number printed in a numbered digest
    tag: str | None = None  # digest category tag as printed ("LG", "CV", ...)
    title: str | None = None
    authors: tuple[str, ...] = ()  # as printed, in order
    institutions: tuple[str, ...] = ()  # as printed, in order
    summary_zh: str | None = None  # Chinese summary of a bilingual digest
    abstract: str | None = None  # the abstract in its own language (see lang)
    lang: str = "en"  # language of `abstract`
    urls: tuple[str, ...] = ()  # cleaned, in order of appearance, unique
    arxiv_id: str | None = None
    # given by metadata sources (arXiv JSON, BibTeX, blog front matter); the defaults leave other readers unchanged
    author_names_full: tuple[str | None, ...] = ()  # full name per author (aligned with `authors`), None where printed abbreviated
    category: str | None = None  # arXiv category stated by the source ("cs.CL"), preferred to the digest tag
    year: int | None = None  # year printed by the source (BibTeX year, "(2020)", post date)
    venue: str | None = None  # journal or proceedings printed by the source
    # when the entry was seen or published, ISO "YYYY-MM-DD" (a month alone: its first day), and where
    # that came from: "document", "filename", "arxiv-id" or "option" (kg.ingest.dates)
    date: str | None = None
    date_source: str | None = None


@dataclass(frozen=True)
class ReadResult:
    """What a reader returns for one file (or read_inputs for many)."""

    entries: tuple[Entry, ...]
    problems: tuple[Problem, ...] = ()
    # (file, reason) of what was not read because it is not a paper document (kg.ingest.skip)
    skipped: tuple[tuple[str, str], ...] = ()
    # read_inputs only: the files looked at and not skipped, in the order read
    files: tuple[str, ...] = ()


# How a paper's link to a typed entity was found, strongest first: named in the title; defined in
# the abstract (an acronym definition "long form (SHORT)", or the paper naming its own method); mentioned.
VIA = ("title", "defined", "mentioned")


@dataclass(frozen=True)
class Entity:
    """A typed scientific entity one paper names (a task, method, dataset or metric).

    `name` is the canonical name (after resolution, the same for every paper of the corpus),
    `aliases` the other names the text gave it (an acronym, a long form, another spelling), `via`
    how the paper's link to it was found (one of VIA).
    """

    name: str
    aliases: tuple[str, ...] = ()
    via: str = "mentioned"


@dataclass(frozen=True)
class Extraction:
    """What extraction found in one entry's text."""

    topics: tuple[tuple[str, float], ...] = ()  # (canonical label, score), best first
    methods: tuple[Entity, ...] = ()  # named methods and models
    datasets: tuple[Entity, ...] = ()
    code: tuple[str, ...] = ()  # code repository URLs
    tasks: tuple[Entity, ...] = ()  # problems the paper addresses
    metrics: tuple[Entity, ...] = ()  # evaluation measures it reports
    # every label of the text the paper links to (topics and typed phrases), best first, with its score
    keyphrases: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True)
class Authorship:
    """An author's place on one paper: position (0-based), the name as printed, the resolved entity."""

    position: int
    printed: str
    author_id: str
    full_name: str | None = None  # full name given by another source of the same paper (arXiv metadata, BibTeX)


@dataclass(frozen=True)
class InstitutionRef:
    """An institution as one paper printed it, with the canonical entity it resolved to."""

    printed: str
    institution_id: str
    name: str
    # authors of the paper seen with this institution on other papers, when they decided what an
    # ambiguous acronym stands for ("UM" -> University of Macau); empty when the lexicon alone did
    context: tuple[str, ...] = ()
    # the route that linked the printed form (kg.resolve.institutions.ROUTES): "ror-name", "ror-alias",
    # "alias" (the hand-curated table), "matcher" (the affiliation matcher), "context" (read by the
    # paper's authors) or "unmatched"; None in a corpus.json written before routes were recorded
    via: str | None = None


@dataclass(frozen=True)
class Paper:
    """One unique paper after merging every entry that describes it."""

    id: str
    title: str | None
    arxiv_id: str | None
    category: str | None  # arXiv category, e.g. "cs.LG"
    year: int | None
    lang: tuple[str, ...]
    abstracts: tuple[tuple[str, str], ...]  # (lang, text)
    authorships: tuple[Authorship, ...]
    institutions: tuple[InstitutionRef, ...]
    topics: tuple[tuple[str, float], ...]  # research concepts that are not a typed entity below
    methods: tuple[Entity, ...]
    datasets: tuple[Entity, ...]
    code: tuple[str, ...]
    urls: tuple[str, ...]
    sources: tuple[Source, ...]
    tasks: tuple[Entity, ...] = ()
    metrics: tuple[Entity, ...] = ()
    # the earliest date among its entries' (ISO "YYYY-MM-DD"; in the earliest month a day wins over the
    # first of the month an arXiv id gives) and that entry's date source (Entry.date_source)
    date: str | None = None
    date_source: str | None = None
    # the publication date, when one is known: the earliest of arXiv metadata's submission date, a
    # BibTeX date and the month of the arXiv id (its first day); RDF's dcterms:issued
    published: str | None = None


@dataclass(frozen=True)
class Author:
    """A resolved person; `evidence` says why its mentions were merged."""

    id: str
    name: str  # the most complete printed form
    mentions: tuple[tuple[str, int], ...]  # (paper id, position)
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True)
class Institution:
    """A canonical institution and every form in which it was printed."""

    id: str
    name: str
    ror_id: str | None
    printed: tuple[str, ...]
    matched: bool  # False when the printed name matched no alias and no ROR record


@dataclass(frozen=True)
class Corpus:
    """The resolved corpus: the input of graph building and of every exporter."""

    papers: tuple[Paper, ...]
    authors: tuple[Author, ...]
    institutions: tuple[Institution, ...]
    problems: tuple[Problem, ...] = ()
    inputs: tuple[str, ...] = field(default=())


def record_fields(record) -> dict:
    """A record (one of these dataclasses) as the dict of its fields, unconverted — the `default` hook
    with which json's C encoder writes records without dataclasses.asdict's slow deep copy. Raises
    TypeError for anything else, as the hook must."""
    if not is_dataclass(record):
        raise TypeError(f"{type(record).__name__} is not JSON serializable")
    return {name: getattr(record, name) for name in _field_names(type(record))}


@lru_cache(maxsize=None)
def _field_names(cls) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))
