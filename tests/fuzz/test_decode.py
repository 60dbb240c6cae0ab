"""Decoding file bytes: every accepted encoding reads back exactly, everything else is a DecodeError."""

import codecs
import re

import pytest
from hypothesis import assume, given, strategies as st

from kg.ingest.encoding import DecodeError, decode_text

from .harness import record
from .strategies import FIXTURES, ROOT, any_bytes, damaged_bytes

CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SEED_DIGEST = ROOT / "seeds" / "000_25fba04581528bc5.txt"
BIG5 = ROOT / "tests" / "fuzz" / "data" / "000_entries1-4_big5.txt"
GBK_NOTE = (None, "not UTF-8: read as GB18030/GBK (a guess; convert the file to UTF-8 to be sure)")
BIG5_NOTE = (None, "not UTF-8: read as Big5 (a guess; convert the file to UTF-8 to be sure)")
CP1252_NOTE = (None, "not UTF-8: read as cp1252/Latin-1 (a guess; convert the file to UTF-8 to be sure)")


def _try(kind, data, what=""):
    """decode_text, recorded; only DecodeError may come out of it."""
    try:
        decoded = decode_text(data)
    except DecodeError as exc:
        assert str(exc), "a DecodeError must say why"
        record(kind, data, "reported", what=what, problems=1)
        return None
    except Exception as exc:
        record(kind, data, "crash", what=what, error=f"{type(exc).__name__}: {exc}")
        raise
    record(kind, data, "parsed", what=what, entries=1, problems=len(decoded.notes))
    assert not CONTROLS.search(decoded.text), "control characters must be replaced"
    return decoded


@given(data=any_bytes)
def test_random_bytes_decode_or_give_a_reason(data):
    _try("decode/random-bytes", data)


@given(case=damaged_bytes())
def test_damaged_files_decode_or_give_a_reason(case):
    what, data = case
    _try("decode/damaged", data, what)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-32"])
@given(text=st.text(max_size=300))
def test_text_reads_back_exactly_in_every_unicode_encoding(encoding, text):
    text = CONTROLS.sub("", text)
    assume(not (encoding == "utf-8" and text.startswith("\ufeff")))  # that is a BOM, by definition
    decoded = _try(f"decode/{encoding}", text.encode(encoding))
    assert decoded is not None and (decoded.text, decoded.notes) == (text, ())


@given(data=st.data())
def test_a_utf8_file_cut_anywhere_keeps_everything_before_the_cut(data):
    _, text, _ = data.draw(st.sampled_from(FIXTURES), label="fixture")
    raw = text.encode("utf-8")
    cut = data.draw(st.integers(0, len(raw)), label="cut")
    decoded = _try("decode/truncated-utf8", raw[:cut], f"cut at {cut}")
    kept = raw[:cut].decode("utf-8", "ignore")  # only the last character can be incomplete
    assert decoded.text == kept
    assert len(decoded.notes) == (len(kept.encode("utf-8")) < cut)


def test_seed_in_gb18030_and_utf16_without_bom_reads_back_exactly():
    text = SEED_DIGEST.read_text(encoding="utf-8")
    assert "É" in text  # not in GBK: the four-byte GB18030 form
    for encoding, note in (("gb18030", GBK_NOTE), ("utf-16-le", (None, "no byte-order mark: read as UTF-16-LE")),
                           ("utf-16-be", (None, "no byte-order mark: read as UTF-16-BE"))):
        decoded = _try(f"decode/seed-{encoding}", text.encode(encoding), f"seed digest in {encoding}")
        assert (decoded.text, decoded.encoding, decoded.notes) == (text, encoding, (note,))


@given(data=st.data())
def test_gbk_and_big5_windows_of_real_text_read_back_exactly(data):
    """Any run of lines holding Chinese, re-encoded, decodes to the same text in the same encoding."""
    encoding = data.draw(st.sampled_from(["gbk", "big5"]), label="encoding")
    source = BIG5.read_bytes().decode("big5") if encoding == "big5" else SEED_DIGEST.read_text(encoding="utf-8")
    lines = source.split("\n")
    start = data.draw(st.integers(0, len(lines) - 1), label="start")
    window = "\n".join(lines[start : start + data.draw(st.integers(1, 12), label="lines")])
    assume(not window.isascii())
    try:
        raw = window.encode(encoding)
    except UnicodeEncodeError:
        assume(False)  # "É" has no GBK form
    decoded = _try(f"decode/window-{encoding}", raw, f"lines {start}+ of the {encoding} seed")
    assert (decoded.text, decoded.notes) == (window, (GBK_NOTE if encoding == "gbk" else BIG5_NOTE,))


def test_big5_fixture_is_the_seed_in_traditional_characters():
    decoded = _try("decode/big5-fixture", BIG5.read_bytes(), BIG5.name)
    assert decoded.encoding == "big5" and decoded.notes == (BIG5_NOTE,)
    assert decoded.text.splitlines()[13:15] == ["2、[CL] Knowledge Neurons in Pretrained Transformers", "D Dai, L Dong, Y Hao, Z Sui, B Chang, F Wei"]
    assert decoded.text.splitlines()[16].startswith("預訓練Transformer的知識神經元。")


@pytest.mark.parametrize(
    "data, reason",
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary data (a PNG image), not text"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "binary data (a JPEG image), not text"),
        (b"PK\x03\x04\x14\x00\x06\x00", "binary data (a ZIP archive (or DOCX/XLSX/EPUB)), not text"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", "binary data (a PDF document), not text"),
        (b"title\nauthors\x00\x01\x02\x03 more", "binary data (NUL byte at line 2, byte 13)"),
        (b"ok\n\xff\xfe\xfd bad", "not valid UTF-8 (line 2, byte 3)"),
        (b"Caf\xe9 \x81 au lait", "not valid UTF-8 (line 1, byte 3)"),  # 0x81: no cp1252 character
        ("Zürich".encode() + b" Caf\xe9 au lait", "not valid UTF-8 (line 1, byte 11)"),  # UTF-8 and Latin-1 mixed
        (b"\xff\xfea\x00\x00\xdcb\x00", "invalid UTF-16 at byte 4"),  # a lone low surrogate
    ],
)
def test_binary_and_unknown_encodings_are_rejected_with_the_reason(data, reason):
    with pytest.raises(DecodeError) as info:
        decode_text(data)
    record("decode/rejected", data, "reported", problems=1)
    assert str(info.value) == reason


@pytest.mark.parametrize(
    "data, text, notes",
    [
        (codecs.BOM_UTF8 + "名字\r\n".encode(), "名字\r\n", ()),
        (codecs.BOM_UTF32_LE + "名字".encode("utf-32-le"), "名字", ()),
        ("名字\n".encode() + b"\x00" * 7, "名字\n", ((None, "7 NUL byte(s) at the end of the file skipped"),)),
        ("a\n名".encode()[:-1], "a\n", ((2, "file ends inside a character (truncated?): last 2 byte(s) dropped"),)),
        (b"a\x1b[31m\nb\x07", "a [31m\nb ", ((1, "2 control character(s) replaced by spaces (first: U+001B)"),)),
        ("知识神经元\n".encode() * 3 + b"\xff\n" + "预训练".encode(), "知识神经元\n" * 3 + "\ufffd\n预训练",
         ((4, "1 invalid UTF-8 sequence(s) replaced by U+FFFD (line 4)"),)),
    ],
)
def test_what_is_repaired_is_said(data, text, notes):
    decoded = _try("decode/repaired", data)
    assert (decoded.text, decoded.notes) == (text, notes)


LATIN_TEXTS = [
    "Schrödinger, Balázs",
    "M Müller, A Rios, R Sennrich [Universität Zürich] – models’ “domain robustness”",
    "L’équipe de l’Université Paris-Saclay a présenté « un modèle » à côté de la méthode déjà connue.",
    "Die Äußerung über Größe und Maß: süß, Fußgänger, Öl, Übung.",
    "A ação da informação não é simples; coração, mãe, órgão. ¿Qué pasó? 5 µm at 20 °C, 1º, €10…",
    "Größe",  # as GB18030 a rare character between ASCII letters, also plausible: cp1252 wins
    "créée",
]


@pytest.mark.parametrize("text", LATIN_TEXTS)
def test_latin_text_in_cp1252_or_latin1_reads_back_with_a_note(text):
    for encoding in ("cp1252", "latin-1"):
        try:
            raw = text.encode(encoding)
        except UnicodeEncodeError:
            continue  # typographic quotes, € and … are cp1252 only
        decoded = _try(f"decode/{encoding}", raw, text[:30])
        assert (decoded.text, decoded.encoding, decoded.notes) == (text, "cp1252", (CP1252_NOTE,))


_LATIN_WORDS = ["Universität", "Zürich", "café", "informação", "Größe", "süß", "Noël", "été", "São", "Paulo",
                "Schrödinger", "Balázs", "naïve", "Ångström", "Œuvre", "the", "model", "of", "BERT", "2021"]


@given(words=st.lists(st.sampled_from(_LATIN_WORDS), min_size=1, max_size=40),
       gaps=st.lists(st.sampled_from([" ", ", ", ". ", "\n", " – ", " “", "” ", "’s ", " (", ") ", " à "]),
                     min_size=40, max_size=40))
def test_latin_sentences_in_cp1252_read_back_exactly(words, gaps):
    text = "".join(w + g for w, g in zip(words, gaps))
    assume(not text.isascii())
    decoded = _try("decode/cp1252-sentences", text.encode("cp1252"), text[:40])
    assert (decoded.text, decoded.encoding, decoded.notes) == (text, "cp1252", (CP1252_NOTE,))


@given(data=st.data())
def test_chinese_windows_are_never_read_as_cp1252(data):
    """GBK and Big5 text that fails its own encoding (a byte cut out) is not taken for Latin text."""
    encoding = data.draw(st.sampled_from(["gbk", "big5"]), label="encoding")
    source = BIG5.read_bytes().decode("big5") if encoding == "big5" else SEED_DIGEST.read_text(encoding="utf-8")
    lines = source.split("\n")
    start = data.draw(st.integers(0, len(lines) - 1), label="start")
    window = "\n".join(lines[start : start + data.draw(st.integers(1, 12), label="lines")])
    try:
        raw = window.encode(encoding)
    except UnicodeEncodeError:
        assume(False)
    cut = data.draw(st.integers(0, len(raw)), label="cut")
    decoded = _try(f"decode/cut-{encoding}", raw[:cut] + raw[cut + 1 :], f"lines {start}+ of the {encoding} seed, byte {cut} cut")
    assert decoded is None or decoded.encoding != "cp1252" or decoded.text.isascii()
