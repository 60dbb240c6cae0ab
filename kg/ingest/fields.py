"""Field helpers shared by the metadata readers and the digest variants.

Person names (author lines and lists, the full names metadata gives), arXiv ids
printed in text (``arXiv:2104.08696``, DOIs, bare eprints), printed years, LaTeX accents, and the
post metadata lines (timestamps, counters, hashtags) that social-media digests carry around entries.
"""

from __future__ import annotations

import re
import unicodedata

from ..util.names import is_full_name
from .text import arxiv_id_from_urls, detect_lang, is_url_line, normalise_space

__all__ = [
    "looks_like_name",
    "split_authors",
    "split_institutions",
    "latex_to_text",
    "split_name_list",
    "full_names",
    "arxiv_id_from_text",
    "normalise_arxiv_id",
    "year_from_text",
    "is_post_metadata",
    "excerpt",
    "unlink_markdown",
]


# ---------------------------------------------------------------- LaTeX

_LATEX = None


def latex_to_text(text: str) -> str:
    """LaTeX accents and escapes as Unicode; math between ``$`` kept verbatim; spaces collapsed.

    >>> latex_to_text(r"Bal\\'azs, Schr{\\"o}dinger and {\\AA}ngstr\\"om")
    'Balázs, Schrödinger and Ångström'
    >>> latex_to_text(r"$k$-means for {GAN}s")
    '$k$-means for GANs'
    """
    if "\\" not in text and "{" not in text:
        return normalise_space(text)
    global _LATEX
    if _LATEX is None:
        from pylatexenc.latex2text import LatexNodes2Text

        _LATEX = LatexNodes2Text(math_mode="verbatim")
    try:
        decoded = _LATEX.latex_to_text(text)
    except Exception:  # pylatexenc is lenient; anything it still rejects stays as printed
        decoded = text
    return normalise_space(unicodedata.normalize("NFC", decoded))


# ---------------------------------------------------------------- person names

_NAME_PARTICLES = {
    "de", "da", "di", "del", "della", "der", "den", "van", "von", "la", "le", "du", "dos", "das",
    "bin", "binti", "al", "el", "y", "zu", "ten", "ter", "st", "st.",
}



def looks_like_name(part: str) -> bool:
    """True when one comma-separated part of an author line reads as a person's name."""
    words = part.replace(".", ". ").split()
    if not 1 <= len(words) <= 6 or len(part) > 60:
        return False
    if len(words) <= 4 and re.match(r"^[A-Z]{1,2}(?:[.\-][A-Z]?)*$", words[0]) and all(w[:1].isalpha() or w[:1] in "'’(" for w in words):
        return True  # digests print initials first: "B dey" is a name even with a lowercase surname
    for word in words:
        if word.lower() in _NAME_PARTICLES or re.match(r"^[a-z]{1,3}['’]", word) or not any(c.isalpha() for c in word):
            continue  # "van", "d'Aspremont", "F d’Alché-Buc", stray punctuation such as "("
        first = word.lstrip("'’(\"")[:1]
        if not first or not (first.isupper() or not first.isascii() and first.isalpha()):
            return False
    return True


def split_authors(line: str) -> list[str] | None:
    """The names of an author line, or None when the line is not one.

    >>> split_authors("A Seff, W Zhou, N Richardson, R P. Adams")
    ['A Seff', 'W Zhou', 'N Richardson', 'R P. Adams']
    >>> split_authors("We propose X, a model.") is None
    True
    """
    line = line.strip()
    if not line or line.startswith("[") or is_url_line(line) or detect_lang(line) == "zh":
        return None
    parts = [normalise_space(p) for p in re.split(r"[,，;；]", line)]
    parts = [p for p in parts if p]
    if parts and parts[-1].lower().startswith("and "):
        parts[-1] = parts[-1][4:].strip()
    if not parts or not all(looks_like_name(p) for p in parts):
        return None
    return parts


def split_institutions(inner: str) -> list[str]:
    """The organisations of a bracketed affiliation line ("A & B"), split where the lexicon says a name ends."""
    try:
        from ..knowledge.institutions import load_lexicon
    except ImportError:  # the lexicon is optional knowledge; a blind split still keeps every name
        return [normalise_space(p) for p in inner.split("&") if p.strip()]
    return [normalise_space(p) for p in load_lexicon().split(inner) if p.strip()]


def split_name_list(text: str) -> list[str] | None:
    """Names of an author list separated by commas, semicolons or "and"; None when it is not one.

    >>> split_name_list("Neil Shenvi, Julia Kempe, and K. Birgitta Whaley")
    ['Neil Shenvi', 'Julia Kempe', 'K. Birgitta Whaley']
    >>> split_name_list("Damai Dai and Li Dong")
    ['Damai Dai', 'Li Dong']
    >>> split_name_list("We study transformers.") is None
    True
    """
    text = re.sub(r"\s+(?:and|&)\s+", ", ", text.strip())
    return split_authors(text)


def full_names(authors) -> tuple[str | None, ...]:
    """`Entry.author_names_full` for a list of printed names: the name where it is full, else None;
    () when no name is full (nothing to attach)."""
    found = tuple(name if is_full_name(name) else None for name in authors)
    return found if any(found) else ()


# ---------------------------------------------------------------- arXiv ids and years

_ID = r"(\d{4}\.\d{4,5}|[a-z][a-z\-]*(?:\.[A-Z]{2})?/\d{7})"
_ARXIV_TEXT_RE = re.compile(r"(?i:arxiv)(?:\s*(?:preprint|e-?print|abs))?\s*[:.]?\s*" + _ID + r"(?:v\d+)?\b")
_ARXIV_DOI_RE = re.compile(r"10\.48550/arxiv\." + _ID, re.IGNORECASE)
_BARE_ID_RE = re.compile(r"^\s*(?:arxiv:)?" + _ID + r"(?:v\d+)?\s*$", re.IGNORECASE)


def normalise_arxiv_id(value: str) -> str | None:
    """An arXiv id given alone (``2104.08696v2``, ``arXiv:cs/0701001``), version dropped; None otherwise.

    Ids read from spreadsheets lose the leading zero of 0704.0001; a 3+4 digit form is repaired.

    >>> normalise_arxiv_id("2104.08696v2"), normalise_arxiv_id("704.0001"), normalise_arxiv_id("nope")
    ('2104.08696', '0704.0001', None)
    """
    value = value.strip()
    if re.match(r"^\d{3}\.\d{4}$", value):
        value = "0" + value
    m = _BARE_ID_RE.match(value)
    return m.group(1) if m else None


def arxiv_id_from_text(text: str) -> str | None:
    """The first arXiv id printed in `text`: an arxiv.org link, ``arXiv:ID``, ``arXiv preprint arXiv:ID``
    or an arXiv DOI.

    >>> arxiv_id_from_text("arXiv preprint arXiv:2104.08696")
    '2104.08696'
    >>> arxiv_id_from_text("see https://arxiv.org/pdf/1901.00001v3.pdf"), arxiv_id_from_text("10.48550/arXiv.2204.06340")
    ('1901.00001', '2204.06340')
    """
    if not text:
        return None
    found = []
    for regex in (_ARXIV_TEXT_RE, _ARXIV_DOI_RE):
        m = regex.search(text)
        if m:
            found.append((m.start(), m.group(1)))
    from_url = arxiv_id_from_urls([text])
    if from_url:
        found.append((text.lower().find("arxiv.org"), from_url))
    return min(found)[1] if found else None


def year_from_text(text: str | None) -> int | None:
    """A plausible publication year (1950–2099) at the start of `text`, e.g. BibTeX ``{2021}`` or a date.

    >>> year_from_text("2021"), year_from_text("2002-10-10 00:06:30"), year_from_text("n.d.")
    (2021, 2002, None)
    """
    if not text:
        return None
    m = re.match(r"^\s*\{?\s*((?:19[5-9]|20\d)\d)\b", str(text))
    return int(m.group(1)) if m else None


# ---------------------------------------------------------------- post metadata

_POST_METADATA_RES = [
    # timestamps, optionally "来自 <client>": "2020-9-5 06:12 来自 微博 weibo.com", "9月5日 06:12", "今天 08:30"
    re.compile(r"^\s*(?:\d{4}[-/.年]\d{1,2}[-/.月]\d{1,2}日?|\d{1,2}月\d{1,2}日|今天|昨天|\d+\s*(?:分钟|小时)前)"
               r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*(?:来自\s*.*)?$"),
    # counters: "转发 23 ǀ 评论 5 ǀ 赞 87", "收藏", "♥ 12"
    re.compile(r"^\s*(?:(?:转发|评论|赞|收藏|分享|阅读|点赞|在看)\s*[:：]?\s*\d*\s*[|ǀ│·｜/]?\s*)+$"),
    # hashtag-only lines: "#机器学习# #论文#"
    re.compile(r"^\s*(?:#[^#\s][^#]*#\s*)+$"),
    # link stubs and folding controls of social media pages
    re.compile(r"^\s*(?:O?网页链接|展开全文c?|收起全文d?|显示地图|原图|查看图片|[>›»]+)\s*$"),
]


def is_post_metadata(line: str) -> bool:
    """True for the lines a social-media page prints around a post: time and client, counters,
    hashtags, link stubs.

    >>> [is_post_metadata(s) for s in ("2020-9-5 06:12 来自 微博 weibo.com", "转发 23 ǀ 评论 5 ǀ 赞 87", "#机器学习#", "Deep nets")]
    [True, True, True, False]
    """
    return any(regex.match(line) for regex in _POST_METADATA_RES)


_MD_LINK_RE = re.compile(r"!?\[([^\[\]]*)\]\(\s*<?([^()\s<>]+)>?(?:\s+\"[^\"]*\")?\s*\)")


def unlink_markdown(text: str) -> str:
    """Markdown links ``[label](url)`` as "label url", so that URLs can be found in them.

    >>> unlink_markdown("[http://arxiv.org/abs/2104.08696](http://arxiv.org/abs/2104.08696)")
    'http://arxiv.org/abs/2104.08696 http://arxiv.org/abs/2104.08696'
    """
    return _MD_LINK_RE.sub(lambda m: f"{m.group(1)} {m.group(2)}".strip(), text)


def excerpt(line: str, limit: int = 40) -> str:
    """A short quotable form of a skipped line, for problem reasons."""
    line = normalise_space(line)
    return line if len(line) <= limit else line[: limit - 1] + "…"
