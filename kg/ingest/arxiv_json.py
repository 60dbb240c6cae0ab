"""Reader for arXiv metadata as JSON lines, in the layout of the public arXiv metadata snapshot.

One object per line: ``id``, ``title``, ``authors`` (LaTeX, as submitted), ``authors_parsed``
(``[last, first, suffix, affiliation…]``, already Unicode), ``categories`` (space-separated, primary
first), ``abstract``, ``versions`` (``[{"version": "v1", "created": "Mon, 2 Apr 2007 …"}]``),
``update_date``, and optional ``doi``, ``journal-ref``. Lines are read one at a time: a bad line is
a Problem with its line number and the other lines are still read.
"""

from __future__ import annotations

import json
import re
from typing import Iterable, Iterator

from ..model import Entry, Problem, ReadResult, Source
from .dates import date_from_text
from .fields import full_names, latex_to_text, normalise_arxiv_id, split_name_list
from .text import detect_lang, find_urls, normalise_space

__all__ = ["parse_arxiv_json", "detect_arxiv_json", "iter_lines", "read_arxiv_lines", "entry_from_record"]

_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
_CJK_RE = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\U00020000-\U0002a6df]")


def iter_lines(text: str) -> Iterator[tuple[int, str]]:
    """(1-based number, line) of `text`, lazily: no list of a multi-gigabyte snapshot's lines is built."""
    number = 0
    for match in _LINE_RE.finditer(text):
        line = match.group(0)
        if not line:
            break  # the empty match at the very end
        number += 1
        yield number, line.rstrip("\r\n")


def _loads(line: str):
    """json.loads, with every way hostile JSON fails as a ValueError: nesting deeper than the
    interpreter's recursion limit, integers longer than int() accepts."""
    try:
        return json.loads(line)
    except RecursionError:
        raise ValueError("JSON nested too deeply") from None
    except json.JSONDecodeError:
        raise
    except ValueError:  # int() refuses more than sys.get_int_max_str_digits() digits
        raise ValueError("a number with too many digits") from None


def _looks_like_record(obj) -> bool:
    return isinstance(obj, dict) and "id" in obj and ("title" in obj or "abstract" in obj) and (
        "authors" in obj or "authors_parsed" in obj
    )


# an arXiv identifier as the snapshot prints it, version optional
_SNAPSHOT_ID_RE = re.compile(r"^(?:\d{3,4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Za-z\-]{2,})?/\d{7})(?:v\d+)?$")


def _evidence(obj) -> int:
    """2: a snapshot record (an arXiv ``id``, a ``title``, authors); 1: a paper record whose id is no
    arXiv id (the reader keeps it without one); 0: no paper record."""
    if not (_looks_like_record(obj) and isinstance(obj.get("title"), str) and obj["title"].strip()):
        return 0
    ident = obj["id"]
    if isinstance(ident, (int, float)) and not isinstance(ident, bool):
        ident = str(ident)  # 704.0001 from a spreadsheet
    return 2 if isinstance(ident, str) and _SNAPSHOT_ID_RE.match(ident.strip()) else 1


def detect_arxiv_json(text: str) -> float:
    """Confidence that `text` is arXiv metadata JSON lines: the first non-blank lines are objects with
    an ``id``, a ``title`` and authors. Without a single arXiv id among them, the claim is weak."""
    seen = good = arxiv = 0
    for _, line in iter_lines(text[:200_000]):
        if not line.strip():
            continue
        seen += 1
        if line.lstrip().startswith("{"):
            try:
                evidence = _evidence(_loads(line))
                good += evidence > 0
                arxiv += evidence == 2
            except ValueError:
                pass
        if seen >= 5:
            break
    if good == 0:
        return 0.0
    if arxiv == 0:
        return 0.4
    return 0.97 if good * 2 > seen else 0.5


def _person(parts) -> tuple[str, tuple[str, ...]]:
    """("First Last Suffix", affiliations) from one ``authors_parsed`` item."""
    parts = [normalise_space(str(p)) for p in parts if p is not None]
    last = parts[0] if parts else ""
    first = parts[1] if len(parts) > 1 else ""
    suffix = parts[2] if len(parts) > 2 else ""
    name = " ".join(p for p in (first, last, suffix) if p)
    # the parser that made authors_parsed leaves LaTeX in a few names
    name = latex_to_text(name) if "\\" in name or "{" in name else name
    affiliations = tuple(a for a in parts[3:] if a)
    return name, affiliations


def _category(value) -> str | None:
    if isinstance(value, list):
        value = " ".join(str(v) for v in value)
    if not isinstance(value, str) or not value.strip():
        return None
    return value.split()[0]


def _year(record: dict, arxiv_id: str | None) -> int | None:
    for version in record.get("versions") or ():
        if isinstance(version, dict) and version.get("version") == "v1":
            m = re.search(r"\b(19|20)\d\d\b", str(version.get("created", "")))
            if m:
                return int(m.group(0))
    m = re.match(r"^(\d{4})-", str(record.get("update_date") or ""))
    return int(m.group(1)) if m and not arxiv_id else None


def _date(record: dict, arxiv_id: str | None) -> str | None:
    """The submission date of v1 ("Mon, 2 Apr 2007 19:18:42 GMT"), else (a record without an id)
    its update_date: as _year reads the year."""
    for version in record.get("versions") or ():
        if isinstance(version, dict) and version.get("version") == "v1":
            date = date_from_text(str(version.get("created", "")))
            if date:
                return date
    return None if arxiv_id else date_from_text(str(record.get("update_date") or "")[:10])


def entry_from_record(record: dict, file: str, line: int, number: int) -> tuple[Entry | None, list[Problem]]:
    """The Entry of one decoded metadata object, or None with the reason it was rejected."""
    problems: list[Problem] = []
    if not isinstance(record, dict):
        return None, [Problem(file, line, f"not an arXiv metadata object (a JSON {type(record).__name__})")]
    raw_id = record.get("id")
    arxiv_id = normalise_arxiv_id(str(raw_id)) if raw_id is not None else None
    if raw_id is not None and arxiv_id is None:
        problems.append(Problem(file, line, f"arXiv id {str(raw_id)[:40]!r} is not an arXiv identifier; kept without it", "warning"))
    title = record.get("title")
    title = latex_to_text(title) if isinstance(title, str) and title.strip() else None
    abstract = record.get("abstract")
    abstract = normalise_space(abstract) if isinstance(abstract, str) and abstract.strip() else None
    if not title and not abstract:
        return None, problems + [Problem(file, line, "arXiv record has no title and no abstract")]
    authors: list[str] = []
    institutions: dict[str, None] = {}
    parsed = record.get("authors_parsed")
    if isinstance(parsed, list) and parsed and all(isinstance(p, list) for p in parsed):
        for item in parsed:
            name, affiliations = _person(item)
            if name:
                authors.append(name)
            for affiliation in affiliations:
                institutions.setdefault(affiliation, None)
    elif isinstance(record.get("authors"), str):
        # the submitted string: LaTeX accents, "A, B and C", sometimes "(1) Affiliation" notes
        text = latex_to_text(re.sub(r"\([^()]*\)", " ", record["authors"]))
        authors = split_name_list(text) or [normalise_space(p) for p in re.split(r",|\band\b", text) if p.strip()]
    if not authors:
        problems.append(Problem(file, line, f"arXiv record {arxiv_id or raw_id} has no authors", "warning"))
    doi = record.get("doi")
    urls = [f"https://arxiv.org/abs/{arxiv_id}"] if arxiv_id else []
    if isinstance(doi, str) and doi.strip():
        urls.append(f"https://doi.org/{doi.split()[0]}")
    if abstract:
        urls += [u for u in find_urls(abstract) if u not in urls]
    comments = record.get("comments")
    if isinstance(comments, str):
        urls += [u for u in find_urls(comments) if u not in urls]
    # detect_lang counts ideographs of the opening only: without any ideograph the answer is "en"
    lang = detect_lang(abstract[:2000]) if abstract and _CJK_RE.search(abstract) else "en"
    journal = record.get("journal-ref")
    date = _date(record, arxiv_id)
    entry = Entry(
        source=Source(file, line),
        format="arxiv",
        number=number,
        title=title,
        authors=tuple(authors),
        institutions=tuple(institutions),
        abstract=abstract,
        lang=lang,
        urls=tuple(urls),
        arxiv_id=arxiv_id,
        author_names_full=full_names(authors),
        category=_category(record.get("categories")),
        year=_year(record, arxiv_id),
        venue=normalise_space(journal) if isinstance(journal, str) and journal.strip() else None,
        date=date,
        date_source="document" if date else None,
    )
    return entry, problems


def read_arxiv_lines(lines: Iterable[tuple[int, str]], file: str) -> Iterator[Entry | Problem]:
    """Entries and problems of numbered JSON lines, one at a time (for streaming a large snapshot)."""
    number = 0
    for line_no, line in lines:
        if not line.strip():
            continue
        try:
            record = _loads(line)
        except ValueError as exc:
            where = f" (column {exc.colno})" if isinstance(exc, json.JSONDecodeError) else ""
            yield Problem(file, line_no, f"invalid JSON: {getattr(exc, 'msg', None) or exc}{where}")
            continue
        number += 1
        entry, problems = entry_from_record(record, file, line_no, number)
        yield from problems
        if entry is not None:
            yield entry


def parse_arxiv_json(text: str, file: str) -> ReadResult:
    """Parse arXiv metadata JSON lines; each bad line is reported and skipped."""
    entries: list[Entry] = []
    problems: list[Problem] = []
    for item in read_arxiv_lines(iter_lines(text), file):
        (entries if isinstance(item, Entry) else problems).append(item)
    if not entries and not problems:
        problems.append(Problem(file, None, "no arXiv metadata record found"))
    return ReadResult(tuple(entries), tuple(problems))
