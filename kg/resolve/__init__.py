"""Resolve: merge entries into papers, mentions into authors, printed names into institutions.

>>> from kg.resolve import resolve                       # doctest: +SKIP
>>> corpus = resolve(entries, extractions)              # doctest: +SKIP
"""

from __future__ import annotations

import re
from collections import Counter

from ..textnorm import fold
from ..model import Authorship, Corpus, Entry, Extraction, Institution, InstitutionRef, Method, Paper, Problem
from ..ingest.fields import full_names_for
from .authors import AuthorMention, normalise_person_name, resolve_authors
from .categories import category_for_tag
from .institutions import read_in_context
from .papers import canonical_arxiv_id, group_entries, paper_id, paper_keys, year_from_arxiv_id

__all__ = ["resolve", "resolve_institution", "category_for_tag"]


def resolve_institution(printed: str, lexicon) -> tuple[str, str, str | None, bool]:
    """(id, canonical name, ROR id, matched) of a printed institution name."""
    match = lexicon.match(printed)
    if match.ror_id:
        inst_id = f"institution:ror-{match.ror_id}"
    else:
        slug = re.sub(r"[^a-z0-9]+", "-", match.key.split(":", 1)[-1].lower()).strip("-") or "unknown"
        inst_id = f"institution:{slug}"
    return inst_id, match.name, match.ror_id, match.via != "unmatched"


# Printed in place of an affiliation by the paper lists digests copy; no organisation stands behind them.
_PLACEHOLDERS = frozenset({
    "unknown institution", "unknown", "university affiliation not specified", "institution not specified",
    "affiliation not specified", "not specified", "independent researcher", "independent", "n a", "none",
})


def _entity_name(record: dict, lexicon) -> str:
    """An organisation's label: its ROR name when linked (labs fold into their parent's record, so
    "MSR" and "Microsoft" are one node labelled Microsoft), else its most frequent canonical form."""
    if record["ror"]:
        label = lexicon.ror_label(record["ror"])
        if label:
            return label
    return sorted(record["names"].items(), key=lambda kv: (-kv[1], kv[0]))[0][0]


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


def _merge_methods(lists) -> tuple[Method, ...]:
    out: dict[str, Method] = {}
    for methods in lists:
        for method in methods:
            known = out.get(method.name.lower())
            if known is None or (known.long_form is None and method.long_form):
                out[method.name.lower()] = method
    return tuple(out.values())


def resolve(entries, extractions, lexicon=None, max_topics: int = 10) -> Corpus:
    """Turn entries and their extractions (same order) into a resolved Corpus.

    Papers are sorted by id; authors and institutions by id. Problems found here (unknown category
    tags, titles or texts shared across distinct arXiv ids) are returned on the corpus as warnings.
    """
    if lexicon is None:
        from ..knowledge.institutions import load_lexicon

        lexicon = load_lexicon()
    entries = list(entries)
    extractions = list(extractions)
    problems: list[Problem] = []
    institutions: dict[str, dict] = {}
    drafts = []
    # distinct arXiv ids never merge; shared titles or texts that did not merge are warned about there
    for group in group_entries(entries, problems):
        members: list[Entry] = [entries[i] for i in group]
        found: list[Extraction] = [extractions[i] for i in group]
        keys = [k for e in members for k in paper_keys(e)]
        pid = paper_id(keys)
        arxiv_ids = sorted({canonical_arxiv_id(e.arxiv_id) for e in members if e.arxiv_id})
        # the richest entry gives the author and institution lists (digests print them, feeds do not)
        # on a tie, an entry that prints names as the digests do (no full names) keeps its printed form
        richest = max(members, key=lambda e: (len(e.authors), len(e.institutions), not e.author_names_full, e.title is not None))
        title = next((e.title for e in members if e.title), None)
        tag = next((e.tag for e in members if e.tag), None)
        # a category stated by metadata (arXiv JSON, BibTeX primaryClass) wins over a digest tag
        category = next((e.category for e in members if e.category), None)
        if tag and category is None:
            category = category_for_tag(tag)
            if category is None:
                problems.append(Problem(members[0].source.file, members[0].source.line, f"unknown category tag [{tag}]", "warning"))
        abstracts: dict[tuple[str, str], None] = {}
        for e in members:
            if e.abstract:
                abstracts.setdefault((e.lang, e.abstract), None)
            if e.summary_zh and e.summary_zh != e.abstract:
                abstracts.setdefault(("zh", e.summary_zh), None)
        lang = tuple(sorted({lang for lang, _ in abstracts}))
        # placeholders ("Unknown Institution") stay on the entry as printed but make no node
        printed_insts = tuple(p for p in richest.institutions if fold(p) not in _PLACEHOLDERS)
        drafts.append(
            dict(
                id=pid,
                title=title,
                arxiv_id=arxiv_ids[0] if arxiv_ids else None,
                category=category,
                year=year_from_arxiv_id(arxiv_ids[0] if arxiv_ids else None) or next((e.year for e in members if e.year), None),
                lang=lang,
                abstracts=tuple(abstracts),
                printed_authors=richest.authors,
                full_names=full_names_for(richest.authors, members),  # "D Dai" → "Damai Dai" from arXiv/BibTeX
                printed_institutions=printed_insts,
                topics=_merge_ranked(x.topics for x in found)[:max_topics],
                methods=_merge_methods(x.methods for x in found),
                datasets=_union(x.datasets for x in found),
                code=_union(x.code for x in found),
                urls=_union(e.urls for e in members),
                sources=tuple(sorted({e.source for e in members})),
            )
        )
    # institutions: the lexicon's reading of each printed name, ambiguous acronyms decided by the
    # paper's authors (kg/resolve/institutions.py)
    printed_lists = [d.pop("printed_institutions") for d in drafts]
    author_keys = [[normalise_person_name(n) for n in d["printed_authors"]] for d in drafts]
    readings = read_in_context(zip(printed_lists, author_keys), lambda printed: resolve_institution(printed, lexicon))
    for d, printed_insts, found in zip(drafts, printed_lists, readings):
        refs: list[InstitutionRef] = []
        for printed, r in zip(printed_insts, found):
            record = institutions.setdefault(r.institution_id, {"names": Counter(), "ror": r.ror_id, "printed": {}, "matched": r.matched})
            record["names"][r.name] += 1
            record["printed"].setdefault(printed, None)
            if not any(ref.institution_id == r.institution_id for ref in refs):
                refs.append(InstitutionRef(printed=printed, institution_id=r.institution_id, name=r.name, context=r.context))
        d["institutions"] = tuple(refs)
    mentions = []
    for d, names in zip(drafts, author_keys):
        inst_ids = tuple(r.institution_id for r in d["institutions"])
        # the paper's category, year, topics and text are evidence too (authors.py weighs them)
        text = " ".join([d["title"] or ""] + [t for lang, t in d["abstracts"] if lang == "en"])
        topics = tuple(label for label, _ in d["topics"])
        for position, printed in enumerate(d["printed_authors"]):
            others = tuple(n for k, n in enumerate(names) if k != position)
            mentions.append(AuthorMention(d["id"], position, printed, others, inst_ids, full_name=d["full_names"][position],
                                          category=d["category"], year=d["year"], topics=topics, text=text))
    assignment, authors = resolve_authors(mentions)
    papers = []
    for d in drafts:
        printed_authors = d.pop("printed_authors")
        full_names = d.pop("full_names")
        authorships = tuple(
            Authorship(position=i, printed=name, author_id=assignment[(d["id"], i)], full_name=full_names[i])
            for i, name in enumerate(printed_authors)
        )
        papers.append(Paper(authorships=authorships, **d))
    papers.sort(key=lambda p: p.id)
    insts = tuple(
        Institution(id=i, name=_entity_name(r, lexicon), ror_id=r["ror"], printed=tuple(sorted(r["printed"])), matched=r["matched"])
        for i, r in sorted(institutions.items())
    )
    return Corpus(papers=tuple(papers), authors=tuple(authors), institutions=insts, problems=tuple(problems))
