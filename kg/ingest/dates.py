"""When an entry was seen or published: ISO dates (``YYYY-MM-DD``) from what a document prints.

Every entry gets the first date found, in this order, with its source (``Entry.date_source``):

* ``"document"`` — the document itself: a date line in its header (``2019-05-25 转自爱可可爱生活``,
  a post's timestamp line ``2021-4-19 06:12 来自 微博``; a date line dates the entries after it, up to
  the next date line), blog front matter ``date:``, arXiv metadata (the v1 submission date) or a
  BibTeX ``date`` (``year`` + ``month`` give the first of the month; a year alone is no date). The
  readers of metadata formats set these themselves; date lines are found here, for every format.
* ``"filename"`` — the file's name: ``2019-05-25-icra-00.txt``, ``20190525.txt``, ``2019_05_25_digest.txt``.
* ``"arxiv-id"`` — the month an arXiv id encodes: ``2104.08696`` → ``2021-04-01`` (the first of the
  month stands for the month).
* ``"option"`` — ``kg build --date YYYY-MM-DD``, for entries none of the above dates.

Only plain functions of strings; `date_entries` applies them to one file's entries (kg.ingest.read_file).
A date is always a valid calendar date between 1900 and 2099.
"""

from __future__ import annotations

import datetime
import os
import re
from bisect import bisect_right
from dataclasses import replace
from typing import Iterable

from ..model import Entry
from .text import split_lines

__all__ = [
    "DATE_SOURCES",
    "iso_date",
    "date_from_text",
    "date_from_filename",
    "date_from_header",
    "date_lines",
    "date_from_arxiv_id",
    "month_date",
    "parse_iso_date",
    "date_entries",
    "with_date",
]

# The sources of an entry's date, strongest first (the order a date is looked for).
DATE_SOURCES = ("document", "filename", "arxiv-id", "option")

_YEAR = r"(?:19|20)\d\d"
_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}
_MONTH_NAME = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
# in running text: 2019-05-25, 2019/5/25, 2019.05.25 (one separator throughout), 2019年5月25日,
# "2 Apr 2007" (arXiv's version dates), "April 2, 2007"
_TEXT_DATE_RES = (
    re.compile(rf"(?<![\d.])(?P<y>{_YEAR})(?P<sep>[-/.])(?P<m>\d{{1,2}})(?P=sep)(?P<d>\d{{1,2}})(?![\d])"),
    re.compile(rf"(?<!\d)(?P<y>{_YEAR})\s*年\s*(?P<m>\d{{1,2}})\s*月\s*(?P<d>\d{{1,2}})\s*[日号]"),
    re.compile(rf"(?<![\w])(?P<d>\d{{1,2}})\s+(?P<mn>{_MONTH_NAME})\s+(?P<y>{_YEAR})(?!\d)", re.IGNORECASE),
    re.compile(rf"(?<![\w])(?P<mn>{_MONTH_NAME})\s+(?P<d>\d{{1,2}}),?\s+(?P<y>{_YEAR})(?!\d)", re.IGNORECASE),
)
# in a file name: 2019-05-25, 2019_05_25, 2019.05.25 (two digits each), or 20190525 standing alone
_NAME_DATE_RES = (
    re.compile(rf"(?<!\d)(?P<y>{_YEAR})(?P<sep>[-_.])(?P<m>\d\d)(?P=sep)(?P<d>\d\d)(?!\d)"),
    re.compile(rf"(?<![0-9A-Za-z])(?P<y>{_YEAR})(?P<m>\d\d)(?P<d>\d\d)(?![0-9A-Za-z])"),
)
# a date line: a short line that starts with a date (after an optional "Date:" / "日期：" label),
# optionally a time, then a few words ("转自爱可可爱生活", "来自 微博 weibo.com")
_LINE_LABEL_RE = re.compile(r"^\s*(?:(?:date|posted(?: on)?|日期|时间|发布(?:于|时间)?)\s*[:：]?\s*)?", re.IGNORECASE)
_TIME_RE = re.compile(r"^[T\s]*\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")
_MAX_DATE_LINE = 80
_YEAR_NEAR_START_RE = re.compile(_YEAR)  # every date line has one in its first 30 characters
_HEADER_LINES = 10  # date_from_header looks at a document's first non-blank lines
_RECORD_FORMATS = frozenset({"arxiv", "bibtex"})  # readers whose records date themselves (date_entries)
_ISO_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ARXIV_NEW_RE = re.compile(r"^(?:arxiv:)?(\d{2})(\d{2})\.\d{4,5}(?:v\d+)?$", re.IGNORECASE)
_ARXIV_OLD_RE = re.compile(r"^(?:arxiv:)?[a-z][a-z\-]*(?:\.[A-Z]{2})?/(\d{2})(\d{2})\d{3}(?:v\d+)?$", re.IGNORECASE)


def iso_date(year, month, day=1) -> str | None:
    """``YYYY-MM-DD`` of a valid calendar date between 1900 and 2099, else None.

    >>> iso_date(2019, 5, 25), iso_date("2021", "4", "1"), iso_date(2019, 2, 30), iso_date(1850, 1, 1)
    ('2019-05-25', '2021-04-01', None, None)
    """
    try:
        value = datetime.date(int(year), int(month), int(day))
    except (TypeError, ValueError):
        return None
    return value.isoformat() if 1900 <= value.year <= 2099 else None


def month_date(year, month) -> str | None:
    """The first of a month, standing for the month: year and month as numbers or names.

    >>> month_date(2021, "apr"), month_date("2021", "April"), month_date(2021, "4"), month_date(2021, "spring")
    ('2021-04-01', '2021-04-01', '2021-04-01', None)
    """
    month = str(month).strip().lower().rstrip(".")
    number = _MONTHS.get(month[:3]) if month[:3] in _MONTHS and month.isalpha() else month
    return iso_date(year, number, 1) if str(number).isdigit() else None


def parse_iso_date(value: str) -> str | None:
    """`value` if it is an ISO date ``YYYY-MM-DD`` (a valid one), else None: what ``--date`` accepts.

    >>> parse_iso_date("2019-05-25"), parse_iso_date("2019-5-25"), parse_iso_date("2019-02-30")
    ('2019-05-25', None, None)
    """
    value = value.strip()
    if not _ISO_RE.match(value):
        return None
    return iso_date(value[:4], value[5:7], value[8:10])


def _from_match(m: re.Match) -> str | None:
    month = _MONTHS[m.group("mn")[:3].lower()] if "mn" in m.re.groupindex else m.group("m")
    return iso_date(m.group("y"), month, m.group("d"))


def date_from_text(text: str | None) -> str | None:
    """The first valid date written in `text`: ISO-like (one separator throughout), Chinese, or with
    an English month name (arXiv prints version dates as ``Mon, 2 Apr 2007 19:18:42 GMT``).

    >>> date_from_text("2019-05-25 转自爱可可爱生活"), date_from_text("2021-4-19 06:12 来自 微博")
    ('2019-05-25', '2021-04-19')
    >>> date_from_text("Mon, 2 Apr 2007 19:18:42 GMT"), date_from_text("2019年5月25日"), date_from_text("April 2, 2007")
    ('2007-04-02', '2019-05-25', '2007-04-02')
    >>> date_from_text("2019-13-01"), date_from_text("v1.2.3"), date_from_text(None)
    (None, None, None)
    """
    if not text:
        return None
    found = []
    for regex in _TEXT_DATE_RES:
        for m in regex.finditer(text):
            date = _from_match(m)
            if date:
                found.append((m.start(), date))
                break
    return min(found)[1] if found else None


def date_from_filename(name: str) -> str | None:
    """The date in a file's name (the folders above it are not read): ``2019-05-25``, ``2019_05_25``,
    ``2019.05.25``, or ``20190525`` not glued to other letters or digits.

    >>> date_from_filename("corpus/dated/2019-05-25-icra-00.txt"), date_from_filename("20190525.txt")
    ('2019-05-25', '2019-05-25')
    >>> date_from_filename("2019_05_25_digest.txt"), date_from_filename("digest-20190525-am.md")
    ('2019-05-25', '2019-05-25')
    >>> date_from_filename("000_25fba04581528bc5.txt"), date_from_filename("2019-05/notes.txt"), date_from_filename("a20190525.txt")
    (None, None, None)
    """
    base = os.path.basename(name.replace("\\", "/"))
    for regex in _NAME_DATE_RES:
        for m in regex.finditer(base):
            date = _from_match(m)
            if date:
                return date
    return None


def _date_of_line(line: str) -> str | None:
    """The date of a date line (a short line that starts with a date), else None."""
    if len(line) > _MAX_DATE_LINE or not _YEAR_NEAR_START_RE.search(line, 0, 30):
        return None
    rest = line[_LINE_LABEL_RE.match(line).end():]
    for regex in _TEXT_DATE_RES:
        m = regex.match(rest)
        if m:
            date = _from_match(m)
            if date is None:
                return None
            tail = rest[m.end():]
            time = _TIME_RE.match(tail)
            tail = tail[time.end():] if time else tail
            # words may follow ("转自爱可可爱生活", "来自 微博"), not a number ("2019-05-25, 2020-01-01")
            glued = tail and not (tail[0].isspace() or tail[0] in ",，|·")
            return None if glued or re.search(r"\d", tail[:12]) else date
    return None


def date_lines(text: str) -> list[tuple[int, str]]:
    """(line number, date) of every date line of `text`, in order: a line of at most 80 characters
    that starts with a date (after an optional ``Date:`` or ``日期：``), maybe a time, then a few words.

    >>> date_lines("LG - 机器学习 CV - 计算机视觉\\n2019-05-25 转自爱可可爱生活\\n\\n1、[LG] Title\\n2019-05-25" + " x" * 40)
    [(2, '2019-05-25')]
    >>> date_lines("爱可可-爱生活\\n2021-4-19 06:12 来自 微博 weibo.com\\nDate: 2020-09-05\\n2019-05-25, 2020-01-01")
    [(2, '2021-04-19'), (3, '2020-09-05')]
    """
    return [(i, date) for i, line in enumerate(split_lines(text), 1) if (date := _date_of_line(line))]


def date_from_header(text: str) -> str | None:
    """The date of a document's header: the first date line among its first ten non-blank lines.

    >>> date_from_header("LG - 机器学习 CV - 计算机视觉 CL - 计算与语言\\n2019-05-25 转自爱可可爱生活\\n\\n1、[LG] A title")
    '2019-05-25'
    >>> date_from_header("转自爱可可爱生活\\n1、[LG] A title\\nD Dai"), date_from_header("日期：2019年5月25日")
    (None, '2019-05-25')
    """
    seen = 0
    for line in split_lines(text):
        if not line.strip():
            continue
        date = _date_of_line(line)
        if date:
            return date
        seen += 1
        if seen >= _HEADER_LINES:
            break
    return None


def date_from_arxiv_id(arxiv_id: str | None) -> str | None:
    """The first of the month an arXiv id encodes (the month it was submitted): new ids ``YYMM.NNNNN``
    (from 2007), old ids ``archive/YYMMNNN`` (1991–2007); a version suffix is ignored.

    >>> date_from_arxiv_id("2104.08696"), date_from_arxiv_id("0704.0001v2"), date_from_arxiv_id("hep-th/9901001")
    ('2021-04-01', '2007-04-01', '1999-01-01')
    >>> date_from_arxiv_id("cs/0112017"), date_from_arxiv_id("2113.00001"), date_from_arxiv_id(None)
    ('2001-12-01', None, None)
    """
    if not arxiv_id:
        return None
    arxiv_id = arxiv_id.strip()
    m = _ARXIV_NEW_RE.match(arxiv_id)
    if m:
        return iso_date(2000 + int(m.group(1)), m.group(2)) if int(m.group(1)) >= 7 else None
    m = _ARXIV_OLD_RE.match(arxiv_id)
    if m:
        yy = int(m.group(1))
        return iso_date(1900 + yy if yy >= 91 else 2000 + yy, m.group(2))
    return None


def date_entries(entries: Iterable[Entry], text: str, path: str) -> tuple[Entry, ...]:
    """One file's entries, each dated (date and date_source) unless its reader dated it already:
    the last date line at or above the entry's first line (``"document"``), else the file name's
    date (``"filename"``), else its arXiv id's month (``"arxiv-id"``). An entry none of them dates
    is left undated (``kg build --date`` may date it: `with_date`).

    >>> from kg.model import Source
    >>> text = "2019-05-25 转自爱可可爱生活\\n1、[LG] A\\nD Dai\\n"
    >>> [(e.date, e.date_source) for e in date_entries([Entry(Source("x.txt", 2), "digest")], text, "x.txt")]
    [('2019-05-25', 'document')]
    >>> [(e.date, e.date_source) for e in date_entries([Entry(Source("2020_01_02.txt", 1), "feed")], "text", "2020_01_02.txt")]
    [('2020-01-02', 'filename')]
    >>> e = Entry(Source("x.txt", 1), "feed", arxiv_id="2104.08696")
    >>> [(e.date, e.date_source) for e in date_entries([e], "text", "x.txt")]
    [('2021-04-01', 'arxiv-id')]
    """
    entries = tuple(entries)
    if all(e.date for e in entries):
        return entries
    # records of metadata formats (a JSON line, a BibTeX entry) hold no date line: a multi-gigabyte
    # arXiv snapshot is not split into lines for nothing
    lines = date_lines(text) if any(not e.date and e.format not in _RECORD_FORMATS for e in entries) else []
    starts = [line for line, _ in lines]
    by_name = date_from_filename(path)
    dated = []
    for entry in entries:
        if not entry.date:
            above = bisect_right(starts, entry.source.line)  # the date lines at or above the entry
            if above:
                entry = replace(entry, date=lines[above - 1][1], date_source="document")
            elif by_name:
                entry = replace(entry, date=by_name, date_source="filename")
            elif (month := date_from_arxiv_id(entry.arxiv_id)) is not None:
                entry = replace(entry, date=month, date_source="arxiv-id")
        dated.append(entry)
    return tuple(dated)


def with_date(entries: Iterable[Entry], date: str | None) -> list[Entry]:
    """`entries`, those without a date given `date` (``kg build --date``, source ``"option"``).

    >>> from kg.model import Source
    >>> [(e.date, e.date_source) for e in with_date([Entry(Source("x", 1), "feed")], "2019-05-25")]
    [('2019-05-25', 'option')]
    """
    if not date:
        return list(entries)
    return [e if e.date else replace(e, date=date, date_source="option") for e in entries]
