"""Reader for single-paper posts whose header was flattened onto one line.

Pages that show a digest entry one paper per post often lose the line breaks of its header when
copied, so tag, title, authors and institutions arrive glued::

    [CL]Knowledge Neurons in Pretrained TransformersD Dai, L Dong, Y Hao, Z Sui, B Chang, F Wei[Peking University & Microsoft Research]
    预训练Transformer的知识神经元。要点：……
    Large-scale pretrained language models are surprisingly good at …
    https://arxiv.org/abs/2104.08696

The header may also keep spaces ("[CL] Title D Dai, L Dong [PKU]") or its line breaks (title line,
author line, ``[institution]`` line, as in a digest without numbers). The Chinese notes become
``summary_zh``, the English paragraphs the abstract. A file may hold several such posts; post
metadata (time, counters, hashtags) is skipped, and text before the first header is reported.
"""

from __future__ import annotations

import re

from ..model import Entry, Problem, ReadResult, Source
from .fields import (
    arxiv_id_from_text,
    excerpt,
    full_names,
    is_post_metadata,
    looks_like_name,
    split_authors,
    split_institutions,
)
from .text import arxiv_id_from_urls, detect_lang, find_urls, is_url_line, normalise_space, split_lines

__all__ = ["parse_paperpost", "detect_paperpost", "split_glued_header"]

_TAG_RE = re.compile(r"^\s*\[(?P<tag>[A-Za-z][A-Za-z0-9.\-]{0,15})\]\s*(?P<rest>.*?)\s*$")
_INST_TAIL_RE = re.compile(r"^(?P<head>.*?)\s*\[(?P<inst>[^\[\]]{2,})\]\s*$")
_INITIAL_RE = re.compile(r"^(?:[A-Z]{1,2}|[A-Z]\.|[A-Z]\.?-[A-Z]\.?)$")  # "D", "JM", "P.", "Y-S"
# a label line of the notes, with or without its link: "论文链接：", "Paper: https://…"
_LABEL_ONLY_RE = re.compile(r"^\s*[\w\u4e00-\u9fff ]{1,12}\s*[:：]\s*$")


def _initials_style(names: list[str]) -> bool | None:
    """True when the names print given names as initials ("L Dong"), False when spelled out, None when unknown."""
    if not names:
        return None
    initials = sum(1 for n in names if all(_INITIAL_RE.match(w) for w in n.split()[:-1]))
    return initials * 2 >= len(names)


def _first_author(chunk: str, initials: bool | None) -> tuple[str, str] | None:
    """Split "Title…FirstAuthor" into (title, first author).

    A glue point (a lowercase letter or digit directly followed by a capital: "TransformersD Dai")
    is tried first, rightmost first; then a space, taking the initials ("R P. Adams") or one given
    name plus initials ("Ryan P. Adams") before the surname.
    """
    chunk = chunk.rstrip()
    glue = [m.start() for m in re.finditer(r"(?<=[a-z0-9)?!:.’'])(?=[A-Z])", chunk)]
    for cut in reversed(glue):
        name = chunk[cut:].strip()
        words = name.split()
        if 2 <= len(words) <= 5 and looks_like_name(name) and chunk[:cut].strip():
            if initials is None or initials == all(_INITIAL_RE.match(w) for w in words[:-1]):
                return chunk[:cut].strip(), name
    words = chunk.split()
    if len(words) < 3:
        return None
    if initials is not False and re.fullmatch(r"[A-Z0-9\-]{2,}[A-Z]", words[-2]) and looks_like_name(f"{words[-2][-1]} {words[-1]}"):
        # a title ending in an acronym glued to an initial: "… for NLPN Houlsby" → "NLP", "N Houlsby"
        # (a capital run of 3+ letters is no given name; a 2-letter initial such as "JM" stays ambiguous)
        return " ".join([*words[:-2], words[-2][:-1]]), f"{words[-2][-1]} {words[-1]}"
    k = 1  # surname
    while k < len(words) - 1 and _INITIAL_RE.match(words[-1 - k]):
        k += 1
    if initials is False or (initials is None and k == 1):
        k += 1  # one spelled-out given name before any initials
    if k < 2 or k >= len(words):
        return None
    name = " ".join(words[-k:])
    if not looks_like_name(name):
        return None
    return " ".join(words[:-k]), name


def split_glued_header(rest: str) -> tuple[str, list[str], list[str]] | None:
    """(title, authors, institutions) of a header after its tag, or None when no author list is found.

    >>> split_glued_header("Knowledge Neurons in Pretrained TransformersD Dai, L Dong, F Wei[Peking University & Microsoft Research]")
    ('Knowledge Neurons in Pretrained Transformers', ['D Dai', 'L Dong', 'F Wei'], ['Peking University', 'Microsoft Research'])
    >>> split_glued_header("Attention Is All You Need Ashish Vaswani, Noam Shazeer")
    ('Attention Is All You Need', ['Ashish Vaswani', 'Noam Shazeer'], [])
    """
    institutions: list[str] = []
    m = _INST_TAIL_RE.match(rest)
    if m:
        rest, institutions = m.group("head"), split_institutions(m.group("inst"))
    parts = [p.strip() for p in re.split(r"[,，]", rest)]
    tail = [p for p in parts[1:] if p]
    if parts and len(parts) > 1 and parts[-1].lower().startswith("and "):
        tail[-1] = tail[-1][4:].strip()
    if tail and split_authors(", ".join(tail)) is None:
        return None
    if not tail and not institutions:
        return None  # one name and no institution: too little to tell a title from an author
    split = _first_author(parts[0], _initials_style(tail))
    if split is None:
        return None
    title, first = split
    return normalise_space(title), [first, *tail], institutions


def _header(line: str, following: list[str]):
    """(tag, title, authors, institutions, lines used after the header) or None."""
    m = _TAG_RE.match(line)
    if not m or not m.group("rest") or "《" in line:
        return None
    rest = m.group("rest")
    # the header kept its line breaks: title line, then an author line and/or an [institution] line
    nxt = [s.strip() for s in following[:2]]
    if nxt and (split_authors(nxt[0]) is not None or (nxt[0].startswith("[") and nxt[0].endswith("]"))):
        authors, institutions, used = [], [], 0
        if split_authors(nxt[0]) is not None:
            authors, used = split_authors(nxt[0]), 1
        if used < len(nxt) and nxt[used].startswith("[") and nxt[used].endswith("]"):
            institutions, used = split_institutions(nxt[used][1:-1]), used + 1
        return m.group("tag"), normalise_space(rest), authors, institutions, used
    glued = split_glued_header(rest)
    if glued is None:
        return None
    return (m.group("tag"), *glued, 0)


def _headers(lines: list[str]) -> list[tuple[int, tuple]]:
    found = []
    for i, line in enumerate(lines):
        if line.lstrip().startswith("["):
            following = [s for s in lines[i + 1 : i + 4] if s.strip()]
            h = _header(line, following)
            if h is not None:
                found.append((i, h))
    return found


def detect_paperpost(text: str) -> float:
    """Confidence that `text` holds single-paper posts: a ``[TAG]`` header with an author list among
    the first lines."""
    lines = split_lines(text)[:400]
    firsts = [i for i, s in enumerate(lines) if s.strip()][:12]
    if not firsts:
        return 0.0
    head = lines[: firsts[-1] + 4]
    for i, line in enumerate(head):
        if i in firsts and line.lstrip().startswith("[") and _header(line, [s for s in head[i + 1 : i + 4] if s.strip()]):
            return 0.8
    return 0.0


def parse_paperpost(text: str, file: str) -> ReadResult:
    """Parse one or more single-paper posts."""
    lines = split_lines(text)
    headers = _headers(lines)
    entries: list[Entry] = []
    problems: list[Problem] = []
    if not headers:
        return ReadResult((), (Problem(file, None, "no paper post header ('[TAG] Title Authors [Institution]') found"),))
    for index in range(headers[0][0]):
        if lines[index].strip() and not is_post_metadata(lines[index]):
            problems.append(Problem(file, index + 1, f"unrecognised line skipped: {excerpt(lines[index])!r}", "warning"))
    for k, (index, (tag, title, authors, institutions, used)) in enumerate(headers):
        end = headers[k + 1][0] if k + 1 < len(headers) else len(lines)
        body = [s for s in lines[index + 1 : end] if s.strip()][used:]
        zh: list[str] = []
        en: list[str] = []
        urls: list[str] = []
        for line in body:
            for url in find_urls(line):
                if url not in urls:
                    urls.append(url)
            if is_url_line(line) or is_post_metadata(line):
                continue
            prose = normalise_space(re.sub(r"https?://\S+", " ", line))
            if not prose or _LABEL_ONLY_RE.match(prose):
                continue  # "论文链接：" before its link
            (zh if detect_lang(prose) == "zh" else en).append(prose)
        number = len(entries) + 1
        if not authors:
            problems.append(Problem(file, index + 1, f"post {number} has no author list", "warning"))
        abstract = " ".join(en) or None
        summary = " ".join(zh) or None
        entries.append(
            Entry(
                source=Source(file, index + 1),
                format="paperpost",
                number=number,
                tag=tag,
                title=title or None,
                authors=tuple(authors),
                institutions=tuple(institutions),
                summary_zh=summary,
                abstract=abstract or summary,
                lang="en" if abstract else "zh",
                urls=tuple(urls),
                arxiv_id=arxiv_id_from_urls(urls) or arxiv_id_from_text(" ".join(body)),
                author_names_full=full_names(authors),
            )
        )
    return ReadResult(tuple(entries), tuple(problems))
