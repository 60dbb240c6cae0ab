"""Decoding input files: UTF-8 first, then the encodings Chinese digests and Western European
texts come in, never a silent guess.

Every way of reading the bytes other than clean UTF-8 (a legacy encoding, UTF-16 without a BOM, a
truncated last character, replaced bytes or control characters) comes back as a note, which the
caller reports as a warning naming the file, so a wrong guess cannot corrupt names without a trace.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

__all__ = ["DecodeError", "Decoded", "decode_text", "LEGACY_ENCODINGS"]

# Tried when the bytes are not UTF-8; the most plausible wins, a tie goes to the first (mainland
# digests are the common case). GB18030 reads GBK and GB2312 too; cp1252 reads Latin-1 text too.
LEGACY_ENCODINGS = ("gb18030", "big5", "cp1252")
_LABELS = {"gb18030": "GB18030/GBK", "big5": "Big5", "cp1252": "cp1252/Latin-1", "utf-16-le": "UTF-16",
           "utf-16-be": "UTF-16", "utf-32-le": "UTF-32", "utf-32-be": "UTF-32", "utf-8": "UTF-8"}

# Share of a legacy decoding's non-ASCII characters that must be everyday characters of that
# encoding. Measured: the seeds re-encoded score 1.0 in the right encoding and 0.39 in the
# wrong one (Big5 read as GBK); Latin-1 or UTF-8 read as GBK score near 0; random bytes of 16+
# bytes never reach 0.8.
_MIN_COMMON_SHARE = 0.8
# cp1252 maps almost every byte to something, so its reading must look like Western text: accented
# letters inside words with ASCII letters, typographic punctuation beside ASCII. Measured: Latin
# texts in French, German, Portuguese and Spanish score 1.0; the seeds in GBK 0.10-0.13, the Big5
# fixture 0.50, a mostly English digest excerpt in GBK 0.34.
_LATIN_SYMBOLS = frozenset("\xa0¡¢£¥§©«\xad®°±´¶·»¿×÷€‚„…†‡‰‹‘’“”•–—˜™›")
_UTF8_SEQUENCE_RE = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}")
_HIGH_BYTE_RE = re.compile(rb"[\x80-\xff]")
_WORD_RE = re.compile(r"[^\W\d_]+")
_ASCII_LETTER_RE = re.compile(r"[A-Za-z]")
_NON_ASCII_MARK_RE = re.compile(r"[^\x00-\x7f\w]")  # non-ASCII and not part of a word
# What the codecs say of a character cut off by the end of the data (GB18030 and Big5 say it of an
# invalid last byte too); cp1252, one byte a character, never says it
_CUT_OFF_REASONS = frozenset({"unexpected end of data", "incomplete multibyte sequence", "truncated data"})
# Damaged UTF-8 is repaired (bad bytes → U+FFFD) only when valid multi-byte characters outnumber
# the bad spots this many times over: then the file is UTF-8, not a legacy encoding or binary.
_MIN_GOOD_PER_BAD = 10

_BOMS = (  # longest first: the UTF-32-LE mark starts with the UTF-16-LE one
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_MAGIC = (  # what a binary file most likely is, for a clearer reason than "NUL bytes"
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "an executable"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
# C0 and C1 controls other than tab, LF and CR: never meaningful in a digest, invalid in XML, and
# able to drive a terminal that prints a problem's excerpt
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")


class DecodeError(ValueError):
    """The bytes are not text in an encoding we accept."""


@dataclass(frozen=True)
class Decoded:
    """Decoded text, the encoding it was read in, and (line, message) notes on how it was read."""

    text: str
    encoding: str
    notes: tuple[tuple[int | None, str], ...] = ()


def decode_text(data: bytes) -> Decoded:
    """Decode file bytes, saying how.

    Accepted: UTF-8 (with or without BOM), UTF-16/UTF-32 with a BOM, UTF-16 without a BOM (told by
    its NUL bytes), GB18030/GBK, Big5 and cp1252/Latin-1 (when their characters are plausible: the
    most plausible of the three wins, see _legacy), UTF-8 with a few damaged bytes or a truncated
    last character. C0/C1 control characters become spaces. Anything else raises DecodeError with
    the reason.

    Examples
    --------
    >>> decode_text("名字".encode("utf-8")).encoding
    'utf-8'
    >>> d = decode_text("2、[CL] 知识神经元".encode("gbk"))
    >>> d.text, d.encoding
    ('2、[CL] 知识神经元', 'gb18030')
    >>> d = decode_text("Universität Zürich’s “model”".encode("cp1252"))
    >>> d.text, d.encoding
    ('Universität Zürich’s “model”', 'cp1252')
    """
    _reject_known_binary(data)
    if data.startswith(codecs.BOM_UTF8):
        return _finish(_decode(data[len(codecs.BOM_UTF8) :]))
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _finish(_strict(data, encoding, len(bom)))
    return _finish(_decode(data))


def _decode(data: bytes) -> Decoded:
    if b"\x00" in data:
        return _without_nul(data)
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError as exc:
        first_error = exc
    decoded = _truncated(data, "utf-8", first_error) or _legacy(data) or _repaired_utf8(data)
    if decoded is None:
        line = data.count(b"\n", 0, first_error.start) + 1
        raise DecodeError(f"not valid UTF-8 (line {line}, byte {first_error.start})")
    return decoded


def _reject_known_binary(data: bytes) -> None:
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise DecodeError(f"binary data ({what}), not text")


def _line_numbers(text: str, offsets) -> list[int]:
    """1-based line of each of the sorted `offsets`, counting CRLF, LF and lone CR as split_lines does."""
    lines, line, last = [], 1, 0
    for offset in offsets:
        line += text.count("\n", last, offset) + text.count("\r", last, offset) - text.count("\r\n", last, offset)
        lines.append(line)
        last = offset
    return lines


def _finish(decoded: Decoded) -> Decoded:
    """Controls replaced by spaces (with a note); a NUL character means binary whatever the encoding."""
    text = decoded.text
    nul = text.find("\x00")
    if nul >= 0:
        raise DecodeError(f"binary data (NUL character at line {_line_numbers(text, [nul])[0]})")
    first = _CONTROL_RE.search(text)
    if first is None:
        return decoded
    count = len(_CONTROL_RE.findall(text))
    reason = f"{count} control character(s) replaced by spaces (first: U+{ord(first.group()):04X})"
    note = (_line_numbers(text, [first.start()])[0], reason)
    return Decoded(_CONTROL_RE.sub(" ", text), decoded.encoding, decoded.notes + (note,))


def _strict(data: bytes, encoding: str, start: int = 0) -> Decoded:
    """`data[start:]` in `encoding`, tolerating only a truncated last character."""
    try:
        return Decoded(data[start:].decode(encoding), encoding)
    except UnicodeDecodeError as exc:
        truncated = _truncated(data[start:], encoding, exc)
        if truncated is None:
            label = _LABELS.get(encoding, encoding.upper())
            raise DecodeError(f"invalid {label} at byte {start + exc.start}") from None
        return truncated


def _truncated(data: bytes, encoding: str, exc: UnicodeDecodeError) -> Decoded | None:
    """The text without its last, cut-off character, when that is the only fault (a truncated file)."""
    if exc.end != len(data) or len(data) - exc.start > 3:
        return None
    if exc.reason not in _CUT_OFF_REASONS:
        return None  # a last byte that starts no character ("”" in cp1252 read as UTF-8) is no cut-off one
    try:
        text = data[: exc.start].decode(encoding)
    except UnicodeDecodeError:
        return None
    reason = f"file ends inside a character (truncated?): last {len(data) - exc.start} byte(s) dropped"
    return Decoded(text, encoding, ((_line_numbers(text, [len(text)])[0], reason),))


def _without_nul(data: bytes) -> Decoded:
    """UTF-16 without a BOM (ASCII characters leave a NUL in every other byte), else binary."""
    sample = data[: 1 << 16]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    # in UTF-16 the NULs of ASCII characters sit on one side; a CJK character with a zero low byte
    # ("一" is U+4E00) puts a few on the other
    for encoding, own, other in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        if own * 4 >= len(sample) // 2 and other * 16 <= own:
            try:
                decoded = _strict(data, encoding)
            except DecodeError:
                break
            if not _plausible_utf16(decoded.text):
                break
            note = (None, f"no byte-order mark: read as {encoding.upper()}")
            return Decoded(decoded.text, encoding, (note,) + decoded.notes)
    stripped = data.rstrip(b"\x00")
    if stripped and b"\x00" not in stripped:
        # a file cut short by a crash is often padded with NULs up to its old size
        decoded = _decode(stripped)
        note = (None, f"{len(data) - len(stripped)} NUL byte(s) at the end of the file skipped")
        return Decoded(decoded.text, decoded.encoding, (note,) + decoded.notes)
    offset = data.index(b"\x00")
    line = data.count(b"\n", 0, offset) + 1
    raise DecodeError(f"binary data (NUL byte at line {line}, byte {offset})")


def _plausible_utf16(text: str) -> bool:
    """No control character and almost no unassigned or private-use one: binary data read as
    UTF-16 gives both."""
    if _CONTROL_RE.search(text):
        return False
    counts = Counter(text)
    odd = sum(n for ch, n in counts.items() if unicodedata.category(ch) in ("Cn", "Co"))
    return odd * 20 <= len(text)


def _is_common(ch: str, encoding: str) -> bool:
    code = ch.encode(encoding)
    if len(code) == 4:
        return True
    if encoding == "gb18030":
        lead, trail = code
        # A8/A9 hold pinyin, box drawing and GBK's added punctuation ("–" is A843)
        return lead in (0xA8, 0xA9) or trail >= 0xA1 and (lead in (0xA1, 0xA2, 0xA3, 0xA6) or 0xB0 <= lead <= 0xF7)
    value = code[0] << 8 | code[1]
    return 0xA140 <= value <= 0xA3BF or 0xA440 <= value <= 0xC67E


def _common_share(text: str, encoding: str) -> float:
    """Share of the non-ASCII characters of `text` that are everyday characters of `encoding`.

    GB18030: GB2312's symbols, Greek, pinyin and hanzi, GBK's punctuation, plus anything only its
    four-byte form encodes (accented Latin, emoji, rare ideographs: random bytes rarely form that pattern). Big5:
    its symbols and level-1 (frequent) hanzi. Text read in the wrong one of the two lands in the
    other's rare or unassigned ranges.
    """
    counts = Counter(text)
    total = sum(n for ch, n in counts.items() if ch >= "\x80")
    common = sum(n for ch, n in counts.items() if ch >= "\x80" and _is_common(ch, encoding))
    return common / total if total else 0.0


def _latin_share(text: str) -> float:
    """Share of the non-ASCII characters of `text` that read as Western European text does: a letter
    in a word that has an ASCII letter too ("Zürich", "informação") or stands alone between ASCII
    characters ("à"), or a symbol or typographic mark (’ “ – ° €) with an ASCII neighbour. GBK or
    Big5 read as cp1252 gives runs of letters and symbols with no ASCII among them."""
    total = len(_NON_ASCII_RE.findall(text))
    if not total:
        return 0.0

    def ascii_at(k: int) -> bool:  # the text's ends count as ASCII
        return k < 0 or k >= len(text) or text[k].isascii()

    good = 0
    for match in _WORD_RE.finditer(text):
        word, i, j = match.group(), match.start(), match.end()
        if not word.isascii() and (_ASCII_LETTER_RE.search(word) or (len(word) == 1 and ascii_at(i - 1) and ascii_at(j))):
            good += len(_NON_ASCII_RE.findall(word))
    for match in _NON_ASCII_MARK_RE.finditer(text):
        i = match.start()
        good += match.group() in _LATIN_SYMBOLS and (ascii_at(i - 1) or ascii_at(i + 1))
    return good / total


def _utf8_like(sequence: bytes) -> bool:
    try:
        ch = sequence.decode("utf-8")
    except UnicodeDecodeError:  # an overlong form or a surrogate: the pattern is loose
        return False
    return not "\u024f" < ch < "\u2000"


def _share(data: bytes, text: str, encoding: str) -> float:
    if encoding != "cp1252":
        return _common_share(text, encoding)
    # bytes that are mostly UTF-8 sequences of Latin letters or later characters are damaged UTF-8
    # ("Ã¼" is "ü"), not cp1252; "ß”" is one too, of an NKo letter, which Latin text never means
    utf8 = sum(len(m) for m in _UTF8_SEQUENCE_RE.findall(data) if _utf8_like(m))
    if utf8 * 2 >= len(_HIGH_BYTE_RE.findall(data)):
        return 0.0
    return _latin_share(text)


def _inside_latin_words(text: str) -> bool:
    """True when most non-ASCII characters of `text` sit between two ASCII letters: how accented
    letters in pairs ("Größe", "créée") look when read as GB18030 or Big5, never how Chinese does."""
    chars = [m.start() for m in _NON_ASCII_RE.finditer(text)]
    inside = sum(1 for i in chars if 0 < i < len(text) - 1
                 and _ASCII_LETTER_RE.match(text[i - 1]) and _ASCII_LETTER_RE.match(text[i + 1]))
    return inside * 2 > len(chars)


def _legacy(data: bytes) -> Decoded | None:
    """The most plausible legacy decoding, or None when none is plausible.

    Each encoding that decodes the bytes is scored by the share of its non-ASCII characters that
    are everyday ones for it (_common_share for GB18030 and Big5, _latin_share for cp1252); the best
    share of at least _MIN_COMMON_SHARE wins, a tie going to the first of LEGACY_ENCODINGS. When
    cp1252 is plausible, a GB18030 or Big5 reading whose characters mostly sit inside ASCII words
    is not. A Chinese digest scores near 1 in its encoding and low as cp1252; a Latin text mostly
    fails to decode as GB18030 at all (an accented letter before a space is no GB18030 character).
    """
    plausible: list[tuple[float, Decoded]] = []
    for encoding in LEGACY_ENCODINGS:
        try:
            decoded = _strict(data, encoding)
        except DecodeError:
            continue
        share = _share(data, decoded.text, encoding)
        if share >= _MIN_COMMON_SHARE:
            plausible.append((share, decoded))
    if any(d.encoding == "cp1252" for _, d in plausible):
        plausible = [(share, d) for share, d in plausible
                     if d.encoding == "cp1252" or not _inside_latin_words(d.text)]
    if not plausible:
        return None
    decoded = max(plausible, key=lambda c: c[0])[1]  # max keeps the first of equals
    note = (None, f"not UTF-8: read as {_LABELS[decoded.encoding]} (a guess; convert the file to UTF-8 to be sure)")
    return Decoded(decoded.text, decoded.encoding, (note,) + decoded.notes)


def _repaired_utf8(data: bytes) -> Decoded | None:
    """UTF-8 with a few damaged bytes, each bad sequence replaced by U+FFFD; None when it is not UTF-8."""
    # an upper bound of the valid multi-byte characters, to give up early on data that is not UTF-8
    most = len(re.findall(rb"[\xc2-\xf4][\x80-\xbf]+", data))
    view = memoryview(data)
    pieces: list[str] = []
    bad: list[int] = []  # character offsets of the replacements
    size = pos = 0
    while pos < len(data):
        try:
            text, used = codecs.utf_8_decode(view[pos:], "strict", True)
        except UnicodeDecodeError as exc:
            if (len(bad) + 1) * _MIN_GOOD_PER_BAD > most:
                return None
            text, _ = codecs.utf_8_decode(view[pos : pos + exc.start], "strict", True)
            pieces += [text, "\ufffd"]
            bad.append(size + len(text))
            size += len(text) + 1
            pos += exc.end
            continue
        pieces.append(text)
        pos += used
    text = "".join(pieces)
    good = len(_NON_ASCII_RE.findall(text)) - len(bad)
    if good < _MIN_GOOD_PER_BAD * len(bad):
        return None
    lines = sorted(set(_line_numbers(text, bad)))
    shown = ", ".join(map(str, lines[:10])) + (f" and {len(lines) - 10} more" if len(lines) > 10 else "")
    note = (lines[0], f"{len(bad)} invalid UTF-8 sequence(s) replaced by U+FFFD (line {shown})")
    return Decoded(text, "utf-8", (note,))
