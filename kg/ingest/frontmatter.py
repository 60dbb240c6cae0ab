"""Reader for blog posts with YAML front matter, one paper per post (Jekyll/Hugo arXiv blogs).

::

    ---
    layout: post
    title: "Knowledge Neurons in Pretrained Transformers"
    date: 2021-04-18 06:50:31
    categories: arXiv_CL
    author: Damai Dai, Li Dong, Yaru Hao, Zhifang Sui, Baobao Chang, Furu Wei
    ---

    ##### Abstract
    Large-scale pretrained language models are …

    ##### Abstract (translated by Google)
    大规模预训练语言模型……

    ##### URL
    [https://arxiv.org/abs/2104.08696](https://arxiv.org/abs/2104.08696)

Front matter that is not valid YAML as a whole is read item by item (a line at column 0 with its
indented lines): items that are not ``key: value`` are skipped with a warning naming their lines, as
long as the title is read; otherwise the post is rejected at the YAML error.

``title`` and ``author``/``authors`` (a string "A, B and C" or a YAML list) come from the front
matter, the category from ``categories``/``tags`` (``arXiv_CL`` → tag CL, ``cs.CL`` → category), the
date and year from ``date``. Sections named Abstract / 摘要 / Summary / TL;DR hold the texts (English → abstract,
Chinese → summary, whatever the heading says), URL / PDF / Code / Links sections the links. Other
sections and prose outside sections are reported as warnings, one per paragraph.
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .dates import date_from_text
from .fields import (
    arxiv_id_from_text,
    excerpt,
    full_names,
    normalise_arxiv_id,
    split_institutions,
    split_name_list,
    unlink_markdown,
    year_from_text,
)
from .text import arxiv_id_from_urls, detect_lang, find_urls, is_url_line, normalise_space, split_lines

__all__ = ["parse_frontmatter", "detect_frontmatter", "split_front_matter"]

_FENCE_RE = re.compile(r"^---\s*$")
_KEY_RE = re.compile(r"^(title|authors?)\s*:", re.IGNORECASE)
_HEADING_RE = re.compile(r"^\s{0,3}#{1,6}\s*(?P<name>.*?)\s*#*\s*$")
_TEXT_SECTION_RE = re.compile(r"^(?:abstract|摘要|中文摘要|英文摘要|summary|tl;?dr|概要|简介)\b", re.IGNORECASE)
_LINK_SECTION_RE = re.compile(r"^(?:url|urls|pdf|links?|code|paper|project|链接|论文链接|论文地址|代码)\b", re.IGNORECASE)
_LAYOUT_RE = re.compile(r"^\s*(?:\*\s+content|\{:\s*toc\s*\}|<!--.*-->|\{%.*%\}|\s*[-*_]{3,})\s*$")
_ARXIV_CATEGORY_RE = re.compile(r"^(?:arxiv[_\-\s]?)?([a-z\-]+\.[A-Za-z\-]{2,})$", re.IGNORECASE)
_ARXIV_TAG_RE = re.compile(r"^arxiv[_\-\s]([A-Za-z][A-Za-z\-]{0,15})$", re.IGNORECASE)


def split_front_matter(text: str):
    """(first line of the front matter, its YAML text, the 1-based line where the body starts, body lines),
    or None when `text` does not open with a ``---`` block."""
    lines = split_lines(text)
    start = 0
    while start < len(lines) and not lines[start].strip():
        start += 1
    if start >= len(lines) or not _FENCE_RE.match(lines[start]):
        return None
    for end in range(start + 1, min(len(lines), start + 200)):
        if _FENCE_RE.match(lines[end]) or lines[end].strip() == "...":
            return start + 1, "\n".join(lines[start + 1 : end]), end + 2, lines[end + 1 :]
    return None


def detect_frontmatter(text: str) -> float:
    """Confidence that `text` is a paper blog post: YAML front matter with a title and an author key,
    or a title and an Abstract section."""
    split = split_front_matter(text[:100_000])
    if split is None:
        return 0.0
    _, yaml_text, _, body = split
    keys = {m.group(1).lower() for m in map(_KEY_RE.match, yaml_text.splitlines()) if m}
    if "title" not in keys:
        return 0.0
    if "author" in keys or "authors" in keys:
        return 0.9
    for line in body[:400]:
        m = _HEADING_RE.match(line)
        if m and line.lstrip().startswith("#") and _TEXT_SECTION_RE.match(m.group("name")):
            return 0.9
    return 0.0


# YAML aliases let ten short lines expand to a billion values ("billion laughs"); real front
# matter has a few dozen
_MAX_VALUES = 10_000


def _expands_beyond(value, limit: int) -> bool:
    """True when walking `value` (aliases expanded, as _strings walks it) visits more than `limit` nodes."""
    stack, seen = [value], 0
    while stack:
        seen += 1
        if seen > limit:
            return True
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
    return False


def _strings(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        return [s for v in value for s in _strings(v)]
    if isinstance(value, dict):
        name = value.get("name") or value.get("full_name")
        return [str(name)] if name else []
    return [str(value)]


def _authors(meta: dict) -> list[str]:
    """A YAML list holds one name per item; a string holds "A, B and C"."""
    values = [normalise_space(v) for v in _strings(meta.get("authors", meta.get("author"))) if v.strip()]
    if len(values) == 1:
        return split_name_list(values[0]) or [normalise_space(p) for p in re.split(r",|;|\band\b", values[0]) if p.strip()]
    return values


def _category(meta: dict) -> tuple[str | None, str | None]:
    """(digest-style tag, arXiv category) from categories/tags/category."""
    for key in ("categories", "category", "tags", "subjects"):
        for value in _strings(meta.get(key)):
            for word in re.split(r"[\s,]+", value.strip()):
                m = _ARXIV_TAG_RE.match(word)
                if m and "." not in m.group(1):
                    return m.group(1).upper(), None
                m = _ARXIV_CATEGORY_RE.match(word)
                if m and m.group(1).split(".")[0].lower() in ("cs", "stat", "eess", "math", "q-bio", "econ", "physics", "q-fin"):
                    archive, sub = m.group(1).split(".", 1)
                    return None, f"{archive.lower()}.{sub.upper() if len(sub) <= 3 else sub}"
    return None, None


# libyaml's refusal of a \u escape of a surrogate, even of a pair JSON would join ("\ud83d\ude00")
_SURROGATE_ESCAPE = "found invalid Unicode character escape code"


def _load_yaml(yaml_text: str):
    """The YAML as plain strings, lists and mappings. Raises yaml.YAMLError or RecursionError."""
    import yaml

    # BaseLoader keeps every scalar a string: titles such as "1984" or "No" stay text; libyaml's
    # C version reads a long scalar 100 times faster than the pure-Python one
    if hasattr(yaml, "CBaseLoader"):
        try:
            return yaml.load(yaml_text, Loader=yaml.CBaseLoader)
        except yaml.YAMLError as exc:
            if getattr(exc, "problem", None) != _SURROGATE_ESCAPE:
                raise
    # the pure-Python loader keeps surrogate escapes; read_file joins pairs and replaces lone ones
    try:
        return yaml.load(yaml_text, Loader=yaml.BaseLoader)
    except ValueError:  # its chr() of an escape beyond U+10FFFF ("\U00110000"), which it does not locate
        raise yaml.YAMLError("an escape of a code point beyond U+10FFFF") from None


def _top_level_blocks(yaml_text: str) -> list[tuple[int, list[str]]]:
    """(0-based first line, lines) of each top-level item: a line at column 0 and the indented lines,
    comments and ``- item`` lines after it."""
    blocks: list[tuple[int, list[str]]] = []
    for i, line in enumerate(yaml_text.split("\n")):
        starts = line[:1] not in ("", " ", "\t", "#") and not re.match(r"^-(?:\s|$)", line)
        if starts or not blocks:
            blocks.append((i, [line]))
        else:
            blocks[-1][1].append(line)
    return blocks


def _salvage_yaml(yaml_text: str):
    """(mapping, 0-based lines skipped) read from front matter that does not parse as a whole: each
    top-level item is read on its own, and an item that fails or is not a ``key: value`` is skipped.
    None when no title survives: a post without its title is not worth keeping (the caller rejects it)."""
    import yaml

    meta: dict = {}
    skipped: list[int] = []
    for first, lines in _top_level_blocks(yaml_text):
        try:
            value = _load_yaml("\n".join(lines))
        except yaml.YAMLError:
            value = False
        if isinstance(value, dict):
            meta.update(value)
        elif value is not None:  # None: only blank lines and comments
            skipped.extend(first + k for k, line in enumerate(lines) if line.strip() and not line.lstrip().startswith("#"))
    if not _strings(meta.get("title")):
        return None
    return meta, skipped


class _Rejected(Exception):
    """The post is not read: `problem` says why."""

    def __init__(self, problem: Problem):
        super().__init__(problem.reason)
        self.problem = problem


def parse_frontmatter(text: str, file: str) -> ReadResult:
    """Parse one blog post into one entry."""
    split = split_front_matter(text)
    if split is None:
        return ReadResult((), (Problem(file, 1, "no YAML front matter ('---' … '---') at the top of the post"),))
    first_line, yaml_text, body_start, body = split
    try:
        meta, problems = _read_meta(yaml_text, file, first_line)
    except _Rejected as rejected:
        return ReadResult((), (rejected.problem,))
    texts, urls = _read_sections(body, body_start, file, problems)
    return _entry(meta, texts, urls, file, first_line, problems)


def _read_meta(yaml_text: str, file: str, first_line: int) -> tuple[dict, list[Problem]]:
    """The front matter as a mapping, and the warnings about lines skipped to read it. Raises
    _Rejected when it cannot be read, is no mapping, or expands beyond _MAX_VALUES values."""
    import yaml

    problems: list[Problem] = []
    try:
        meta = _load_yaml(yaml_text) or {}
    except RecursionError:
        raise _Rejected(Problem(file, first_line, "invalid YAML front matter: nested too deeply")) from None
    except yaml.YAMLError as exc:
        meta, problems = _salvage_meta(yaml_text, exc, file, first_line)
    if not isinstance(meta, dict):
        raise _Rejected(Problem(file, first_line, "YAML front matter is not a mapping"))
    if _expands_beyond(meta, _MAX_VALUES):
        raise _Rejected(Problem(file, first_line, f"YAML front matter expands to more than {_MAX_VALUES} values (aliases)"))
    return meta, problems


def _salvage_meta(yaml_text: str, error, file: str, first_line: int) -> tuple[dict, list[Problem]]:
    """What front matter that failed to parse (`error`) still says, item by item, and a warning per
    line skipped: one stray line (a bare "[arXiv_CV,Video Indexing]") should not cost the whole post.
    Raises _Rejected at the YAML error when no title survives."""
    mark = getattr(error, "problem_mark", None)
    line = first_line + 1 + mark.line if mark is not None else first_line
    try:
        salvaged = _salvage_yaml(yaml_text)
    except RecursionError:
        raise _Rejected(Problem(file, first_line, "invalid YAML front matter: nested too deeply")) from None
    if salvaged is None:
        raise _Rejected(Problem(file, line, f"invalid YAML front matter: {getattr(error, 'problem', None) or error}"))
    meta, skipped = salvaged
    lines = yaml_text.split("\n")
    return meta, [Problem(file, first_line + 1 + k, f"front matter line not understood, skipped: {excerpt(lines[k], 60)}",
                          "warning") for k in skipped]


def _read_sections(body: list[str], body_start: int, file: str, problems: list[Problem]):
    """({"en": [...], "zh": [...]} prose of the text sections, links of the text and link sections)
    of the post's body; a warning is added to `problems` for each paragraph of any other section,
    and of text outside sections."""
    texts: dict[str, list[str]] = {"en": [], "zh": []}
    urls: list[str] = []
    section: str | None = None  # "text", "links", "other:<heading>"; None before the first heading
    paragraph_start: int | None = None
    for offset, line in enumerate(body):
        number = body_start + offset
        stripped = line.strip()
        if not stripped:
            paragraph_start = None
            continue
        heading = _HEADING_RE.match(line) if stripped.startswith("#") else None
        if heading:
            section = _section_kind(heading.group("name"))
            paragraph_start = None
            continue
        if _LAYOUT_RE.match(line):
            continue
        line = unlink_markdown(line)
        found = find_urls(line)
        if section in ("text", "links"):
            urls.extend(u for u in found if u not in urls)
            if section == "text" and not is_url_line(line):
                prose = normalise_space(line)
                (texts["zh"] if detect_lang(prose) == "zh" else texts["en"]).append(prose)
            continue
        if paragraph_start is None:
            paragraph_start = number
            where = f"section {section[6:]!r}" if section else "text outside an Abstract section"
            problems.append(Problem(file, number, f"{where} skipped: {excerpt(line)!r}", "warning"))
    return texts, urls


def _section_kind(name: str) -> str:
    if _TEXT_SECTION_RE.match(name):
        return "text"
    if _LINK_SECTION_RE.match(name):
        return "links"
    return f"other:{name}"


def _arxiv_id(meta: dict, urls: list[str]) -> str | None:
    arxiv_id = None
    for key in ("arxiv", "arxiv_id", "arxivid", "eprint"):
        for value in _strings(meta.get(key)):
            arxiv_id = arxiv_id or normalise_arxiv_id(value) or arxiv_id_from_text(value)
    return arxiv_id or arxiv_id_from_urls(urls) or arxiv_id_from_text(" ".join(_strings(meta.get("link"))))


def _institutions(meta: dict) -> list[str]:
    institutions: list[str] = []
    for key in ("institutions", "institution", "affiliations", "affiliation"):
        for value in _strings(meta.get(key)):
            institutions.extend(split_institutions(value) if "&" in value else [p.strip() for p in value.split(";") if p.strip()])
    return institutions


def _entry(meta: dict, texts: dict, urls: list[str], file: str, first_line: int, problems: list[Problem]) -> ReadResult:
    """The post's entry from its front matter and sections, or its rejection when it has neither title nor text."""
    title = normalise_space(" ".join(_strings(meta.get("title")))) or None
    authors = _authors(meta)
    tag, category = _category(meta)
    arxiv_id = _arxiv_id(meta, urls)
    institutions = _institutions(meta)
    abstract = " ".join(texts["en"]) or None
    summary = " ".join(texts["zh"]) or None
    if not title and not abstract and not summary:
        return ReadResult((), (*problems, Problem(file, first_line, "post has no title and no abstract")))
    if not authors:
        problems.append(Problem(file, first_line, "post has no author", "warning"))
    date = date_from_text(" ".join(_strings(meta.get("date")))[:40])
    entry = Entry(
        source=Source(file, first_line),
        format="frontmatter",
        number=1,
        tag=tag,
        title=title,
        authors=tuple(authors),
        institutions=tuple(dict.fromkeys(institutions)),
        summary_zh=summary,
        abstract=abstract or summary,
        lang="en" if abstract or not summary else "zh",
        urls=tuple(urls),
        arxiv_id=arxiv_id,
        author_names_full=full_names(authors),
        category=category,
        year=year_from_text(" ".join(_strings(meta.get("date")))[:10]),
        date=date,
        date_source="document" if date else None,
    )
    return ReadResult((entry,), tuple(problems))
