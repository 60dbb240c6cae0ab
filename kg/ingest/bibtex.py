"""Reader for BibTeX files exported by reference managers (Zotero, Mendeley, Google Scholar, dblp, arXiv).

Parsing is bibtexparser v2's (string macros resolved; co-authors separated and names split into
first/von/last/jr by its BibTeX name rules, after accent macros became letters, so that braces still
protect what they protect); the rest of the LaTeX is then decoded to Unicode.
``author = {Adams, Ryan P. and Seff, Ari}`` gives "Ryan P. Adams", "Ari Seff" in order.
The arXiv id comes from ``eprint`` (with ``archivePrefix = arXiv``), ``arxivId``, ``url``,
``journal`` ("arXiv preprint arXiv:…"), ``doi`` (10.48550/arXiv.…) or ``note``; ``primaryClass`` gives
the category. A block bibtexparser cannot parse is a Problem with its line; the others are still read.
"""

from __future__ import annotations

import logging
import re

from ..model import Entry, Problem, ReadResult, Source
from .dates import iso_date, month_date
from .fields import arxiv_id_from_text, excerpt, full_names, latex_to_text, normalise_arxiv_id, year_from_text
from .text import detect_lang, find_urls, normalise_space, split_lines

__all__ = ["parse_bibtex", "detect_bibtex"]

_ENTRY_START_RE = re.compile(r"^\s*@\s*([A-Za-z]+)\s*[{(]")
_NOT_ENTRIES = {"string", "comment", "preamble"}
# journals that only say "this is a preprint": not a venue
_PREPRINT_JOURNAL_RE = re.compile(r"^\s*(?:arxiv|corr|biorxiv|medrxiv|preprint)\b", re.IGNORECASE)


# an entry opens with its citation key and a comma: "@dataclass(frozen=True)" in Python does not
_KEYED_START_RE = re.compile(r"^\s*@\s*[A-Za-z]+\s*[{(]\s*[^\s,{}()=\"#%'~\\]*\s*,")


def detect_bibtex(text: str) -> float:
    """Confidence that `text` is BibTeX: ``@type{key,`` lines, the first significant line being one
    (or an ``@string``/``@comment``/``@preamble`` block)."""
    starts = 0
    first_significant = None
    for line in split_lines(text)[:5000]:
        stripped = line.strip()
        if not stripped or stripped.startswith("%"):
            continue
        m = _ENTRY_START_RE.match(line)
        keyed = bool(m) and m.group(1).lower() not in _NOT_ENTRIES and _KEYED_START_RE.match(line) is not None
        if first_significant is None:
            first_significant = keyed or bool(m and m.group(1).lower() in _NOT_ENTRIES)
        if keyed:
            starts += 1
    if starts == 0:
        return 0.0
    if first_significant:
        return 0.95
    return 0.7 if starts >= 2 else 0.4


def _field(fields: dict, *names: str):
    for name in names:
        value = fields.get(name)
        if value not in (None, ""):
            return value
    return None


def _text(value) -> str | None:
    if value is None:
        return None
    text = latex_to_text(str(value)).replace("{", "").replace("}", "")
    return normalise_space(text) or None


_BIBLATEX_DATE_RE = re.compile(r"^\s*\{?\s*(\d{4})-(\d{2})(?:-(\d{2}))?")


def _date(fields: dict) -> str | None:
    """A publication date: biblatex ``date`` (``2021-04-18``, or ``2021-04``: the first of the
    month), else ``year`` with ``month`` (``apr``, ``April``, ``4``: the first of the month). A year
    alone is no date.

    >>> _date({"date": "2021-04-18"}), _date({"date": "2021-04/2021-05"}), _date({"year": "2021", "month": "apr"})
    ('2021-04-18', '2021-04-01', '2021-04-01')
    >>> _date({"year": "2021"}), _date({"date": "{2021-04-18}"})
    (None, '2021-04-18')
    """
    value = _field(fields, "date")
    m = _BIBLATEX_DATE_RE.match(str(value)) if value is not None else None
    if m:
        return iso_date(m.group(1), m.group(2), m.group(3)) if m.group(3) else month_date(m.group(1), m.group(2))
    year, month = year_from_text(_field(fields, "year")), _text(_field(fields, "month"))
    return month_date(year, month) if year and month else None


def _person(parts) -> str | None:
    """"First von Last Jr" from bibtexparser's NameParts, LaTeX decoded; None for "others"."""
    words = [*parts.first, *parts.von, *parts.last]
    if not words:
        return None
    name = " ".join(words)
    if parts.jr:
        name += " " + " ".join(parts.jr)
    if name.strip().lower() == "others":
        return None  # "and others": et al.
    return _text(name)


_ACCENT = (
    r"\\(?:[`'^\"~=.]\s*(?:\{\s*\\?[A-Za-z]\s*\}|\\?[A-Za-z])"
    r"|[uvHckbdrt](?:\s*\{\s*\\?[A-Za-z]\s*\}|\s+\\?[A-Za-z])"
    r"|(?:ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z]))"
)
_ACCENT_RE = re.compile(r"\{\s*" + _ACCENT + r"\s*\}|" + _ACCENT)


def _decode_accents(text: str) -> str:
    """Accent macros (``\\"O``, ``{\\~a}``, ``\\c{c}``, ``\\o``) as Unicode letters, braces elsewhere kept.

    Name splitting reads ``~`` as a tie and drops a bare backslash, so ``Jo\\~ao`` and ``\\"Oktem``
    must be letters before names are split.

    >>> _decode_accents(r'Sedoc, Jo\\~ao and \\"Oktem, Ozan and {\\'E}cole, {Google Brain}')
    'Sedoc, João and Öktem, Ozan and École, {Google Brain}'
    """
    return _ACCENT_RE.sub(lambda m: latex_to_text(m.group(0)), text)


def _names(value) -> list[str]:
    """Person names of an author field, in order."""
    from bibtexparser.middlewares.names import parse_single_name_into_parts, split_multiple_persons_names

    names = []
    for raw in split_multiple_persons_names(_decode_accents(str(value))):
        try:
            name = _person(parse_single_name_into_parts(raw))
        except Exception:  # InvalidNameError: keep the name as printed
            name = _text(raw)
        if name:
            names.append(name)
    return names


def _arxiv_id(fields: dict) -> str | None:
    prefix = str(_field(fields, "archiveprefix", "eprinttype") or "").lower()
    eprint = _field(fields, "eprint", "arxivid", "arxiv")
    if eprint is not None:
        found = normalise_arxiv_id(str(eprint))
        if found and (prefix in ("", "arxiv") or "arxiv" in str(eprint).lower()):
            return found
    for name in ("url", "journal", "doi", "note", "howpublished", "pdf", "eprint"):
        value = fields.get(name)
        if value:
            found = arxiv_id_from_text(str(value))
            if found:
                return found
    return None


def parse_bibtex(text: str, file: str) -> ReadResult:
    """Parse a BibTeX file into entries, in file order."""
    import bibtexparser

    logger = logging.getLogger("bibtexparser")
    level = logger.level
    logger.setLevel(logging.CRITICAL)  # failed blocks are reported as Problems below, not logged
    try:
        # bibtexparser counts lines by LF only: a file with lone CR line ends would be all "line 1"
        library = bibtexparser.parse_string("\n".join(split_lines(text)))
    finally:
        logger.setLevel(level)
    entries: list[Entry] = []
    problems: list[Problem] = []
    bibs = [(bib, None) for bib in library.entries]
    for block in library.failed_blocks:
        line = (block.start_line + 1) if getattr(block, "start_line", None) is not None else None
        if type(block).__name__ == "DuplicateBlockKeyBlock" and _is_entry(block.ignore_error_block):
            # two papers exported under one key ("wang2021learning") are both kept; a true duplicate
            # is merged later like any paper seen twice
            bibs.append((_finish_block(block.ignore_error_block, library), block.previous_block))
            continue
        error = getattr(block, "error", None)
        reason = getattr(error, "abort_reason", None) or getattr(error, "message", None) or str(error or "")
        reason = " ".join(reason.split()) or type(block).__name__
        problems.append(Problem(file, line, f"BibTeX block not parsed: {excerpt(reason, 120)}"))
    for block in library.comments:
        # text between entries is a comment to BibTeX; "%" lines are meant as such, anything else is reported
        if type(block).__name__ == "ImplicitComment":
            stray = [s for s in str(block.comment).splitlines() if s.strip() and not s.lstrip().startswith("%")]
            if stray:
                problems.append(Problem(file, block.start_line + 1, f"text outside BibTeX entries skipped: {excerpt(stray[0])!r}", "warning"))
    bibs.sort(key=lambda pair: pair[0].start_line)
    for number, (bib, first) in enumerate(bibs, start=1):
        if first is not None:
            reason = f"duplicate BibTeX key {bib.key!r} (first at line {first.start_line + 1}): kept"
            problems.append(Problem(file, bib.start_line + 1, reason, "warning"))
        entry, found = _entry(bib, file, number)
        problems.extend(found)
        if entry is not None:
            entries.append(entry)
    if not entries and not problems:
        problems.append(Problem(file, None, "no BibTeX entry found"))
    return ReadResult(tuple(entries), tuple(sorted(problems, key=lambda p: p.line or 0)))


def _is_entry(block) -> bool:
    return type(block).__name__ == "Entry"


def _finish_block(block, library):
    """A duplicate-key entry through the same middlewares (string macros, enclosing braces) as the others."""
    from bibtexparser import Library
    from bibtexparser.middlewares import default_parse_stack

    alone = Library([*library.strings, block])
    for middleware in default_parse_stack():
        alone = middleware.transform(library=alone)
    return alone.entries[0] if alone.entries else block


def _entry(bib, file: str, number: int) -> tuple[Entry | None, list[Problem]]:
    """The Entry of one parsed BibTeX entry, or None with the reason it was rejected."""
    line = bib.start_line + 1
    fields = {f.key.lower(): f.value for f in bib.fields}
    title = _text(_field(fields, "title"))
    authors = _names(fields["author"]) if fields.get("author") else []
    arxiv_id = _arxiv_id(fields)
    abstract = _text(_field(fields, "abstract"))
    if not title and not arxiv_id and not abstract:
        return None, [Problem(file, line, f"BibTeX entry {bib.key!r} has no title")]
    problems = []
    if not authors:
        problems.append(Problem(file, line, f"BibTeX entry {bib.key!r} has no author", "warning"))
    urls: list[str] = []
    for name in ("url", "pdf"):
        for url in find_urls(str(fields.get(name) or "")):
            urls.append(url)
    doi = _field(fields, "doi")
    if doi:
        doi = re.sub(r"^https?://(?:dx\.)?doi\.org/", "", str(doi).strip(), flags=re.IGNORECASE)
        urls.append(f"https://doi.org/{doi}")
    if arxiv_id:
        urls.append(f"https://arxiv.org/abs/{arxiv_id}")
    venue = _text(_field(fields, "booktitle", "journal", "journaltitle"))
    if venue and _PREPRINT_JOURNAL_RE.match(venue):
        venue = None
    date = _date(fields)
    entry = Entry(
        source=Source(file, line),
        format="bibtex",
        number=number,
        title=title,
        authors=tuple(authors),
        abstract=abstract,
        lang=detect_lang(abstract or title or ""),
        urls=tuple(dict.fromkeys(urls)),
        arxiv_id=arxiv_id,
        author_names_full=full_names(authors),
        category=_text(_field(fields, "primaryclass", "eprintclass")),
        year=year_from_text(_field(fields, "year", "date")),
        venue=venue,
        date=date,
        date_source="document" if date else None,
    )
    return entry, problems
