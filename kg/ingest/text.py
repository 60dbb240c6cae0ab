"""Text helpers shared by the readers: line splitting, URL cleaning, language, arXiv ids."""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "split_lines",
    "find_urls",
    "clean_url",
    "detect_lang",
    "arxiv_id_from_urls",
    "is_url_line",
    "normalise_space",
]


def split_lines(text: str) -> list[str]:
    """Split on CRLF, LF or lone CR, without keeping the line ends."""
    return re.split(r"\r\n|\r|\n", text)


# A URL runs until whitespace or a character that never belongs to one in these texts.
# A URL is printable ASCII up to whitespace, a quote, a brace (LaTeX \href{…}{…}) or an angle bracket:
# it ends where Chinese text begins.
# (case-insensitive on the scheme only: with IGNORECASE the non-ASCII range would swallow "i" via "İ")
_URL_RE = re.compile(r"(?i:https?)://[^\s<>\"'`{}\x80-\U0010ffff]+")
# "https://github.com/ Hunter-DDM/x": digests break GitHub links with a space after the host.
_BROKEN_HOST_RE = re.compile(
    r"(https?://(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org|huggingface\.co)/)\s+(?=[A-Za-z0-9])",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}>'\"*<`"


def clean_url(url: str) -> str:
    """Cut a raw URL at the first non-ASCII character and drop trailing punctuation.

    >>> clean_url("https://github.com/blackfeather-wang/gfnet-pytorch获得。")
    'https://github.com/blackfeather-wang/gfnet-pytorch'
    >>> clean_url("https://github.com/junjie18/CMT.")
    'https://github.com/junjie18/CMT'
    """
    for i, ch in enumerate(url):
        if ord(ch) > 127:
            url = url[:i]
            break
    while url and url[-1] in _TRAILING:
        # keep a closing bracket that balances one inside the URL (wikipedia-style links)
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


# "available at: github.com/lilt/tec": code-host links printed without a scheme
_BARE_CODE_RE = re.compile(
    r"(?<![\w/.@-])(?:www\.)?(?:github\.com|gitlab\.com|bitbucket\.org)/[A-Za-z0-9_.\-]+(?:/[A-Za-z0-9_.\-]+)*"
)


def find_urls(text: str) -> list[str]:
    """Every cleaned URL in `text`, in order of appearance, without repeats.

    >>> find_urls("code: github.com/lilt/tec. Data at https://x.org/d.")
    ['https://github.com/lilt/tec', 'https://x.org/d']
    """
    text = _BROKEN_HOST_RE.sub(r"\1", text)
    found: list[tuple[int, str]] = []
    for match in _URL_RE.finditer(text):
        url = clean_url(match.group(0))
        if re.match(r"https?://[^/\s]+\.[^/\s]+", url, re.IGNORECASE):
            found.append((match.start(), url))
    for match in _BARE_CODE_RE.finditer(text):
        found.append((match.start(), "https://" + clean_url(match.group(0))))
    seen: dict[str, None] = {}
    for _, url in sorted(found):
        seen.setdefault(url, None)
    return list(seen)


def is_url_line(line: str) -> bool:
    """True when a line holds only URLs."""
    stripped = _BROKEN_HOST_RE.sub(r"\1", line.strip())
    return bool(stripped) and all(_URL_RE.fullmatch(part) for part in stripped.split())


_CJK_RE = re.compile("[\u4e00-\u9fff\u3400-\u4dbf\U00020000-\U0002a6df]")
_ASCII_LETTER_RE = re.compile("[A-Za-z]")


def detect_lang(text: str) -> str:
    """'zh' when CJK ideographs make up a real share of the letters, else 'en'.

    Chinese machine translations keep Latin names (GFNet, ImageNet) and URLs, so the test is a ratio,
    not the presence of one ideograph.
    """
    # the opening decides: translations start in Chinese even when they quote a long foreign passage
    head = _URL_RE.sub(" ", text)[:400]
    cjk = len(_CJK_RE.findall(head))
    if cjk == 0:
        return "en"
    latin = len(_ASCII_LETTER_RE.findall(head))
    # one ideograph carries about as much as a short English word (~3 letters)
    return "zh" if cjk * 3 >= latin else "en"


_ARXIV_RE = re.compile(
    r"arxiv\.org/(?:abs|pdf)/((?:\d{4}\.\d{4,5})|(?:[a-z\-]+(?:\.[A-Z]{2})?/\d{7}))(?:v\d+)?(?:\.pdf)?",
    re.IGNORECASE,
)


def arxiv_id_from_urls(urls) -> str | None:
    """The arXiv id of the first arxiv.org/abs or /pdf link, version suffix dropped.

    >>> arxiv_id_from_urls(["https://arxiv.org/pdf/2104.08696v2.pdf"])
    '2104.08696'
    """
    for url in urls:
        match = _ARXIV_RE.search(url)
        if match:
            return match.group(1)
    return None


def normalise_space(text: str) -> str:
    """Collapse runs of whitespace and strip; NFC so that composed and decomposed accents compare equal."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()
