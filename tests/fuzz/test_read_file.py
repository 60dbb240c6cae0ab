"""read_file / read_inputs on hostile files: bytes, encodings, sizes, special files, thousands of files."""

import dataclasses
import os
import re
import tempfile
import time
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from kg.ingest import Limits, read_file, read_inputs
from kg.ingest.limits import entry_chars
from kg.model import Problem

from .harness import record, run_read_file
from .strategies import FIXTURE_PATHS, any_bytes, damaged_bytes
from .test_decode import BIG5, BIG5_NOTE, GBK_NOTE, SEED_DIGEST

KNOWLEDGE_NEURONS = ("Knowledge Neurons in Pretrained Transformers", ("D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei"))


def _write(folder: Path, name: str, data: bytes) -> Path:
    path = folder / name
    path.write_bytes(data)
    return path


def _same_file(entries, file: str):
    """Entries as if read from `file`: to compare reads of one text stored in two files."""
    return [dataclasses.replace(e, source=dataclasses.replace(e.source, file=file)) for e in entries]


@given(data=any_bytes)
def test_any_bytes_give_entries_or_problems(data):
    with tempfile.TemporaryDirectory() as folder:
        run_read_file("read_file/random-bytes", _write(Path(folder), "input.txt", data))


@given(case=damaged_bytes())
def test_damaged_files_give_entries_or_problems(case):
    what, data = case
    with tempfile.TemporaryDirectory() as folder:
        run_read_file("read_file/damaged", _write(Path(folder), "input.txt", data), what)


ENCODINGS = {  # how the file is written → the warning read_file must give (None: none)
    "utf-8-sig": None,
    "utf-16": None,
    "utf-32": None,
    "utf-16-le": (None, "no byte-order mark: read as UTF-16-LE"),
    "utf-16-be": (None, "no byte-order mark: read as UTF-16-BE"),
    "gb18030": GBK_NOTE,
}


@pytest.mark.parametrize("encoding", sorted(ENCODINGS))
@pytest.mark.parametrize("fixture", FIXTURE_PATHS, ids=lambda p: p.name)
def test_every_fixture_reads_the_same_in_every_encoding_and_line_end(tmp_path, fixture, encoding):
    text = fixture.read_text(encoding="utf-8")
    utf8 = run_read_file("read_file/utf-8", _write(tmp_path, "utf8.txt", text.encode()), fixture.name)
    for eol in ("\n", "\r\n"):
        path = _write(tmp_path, "other.txt", text.replace("\n", eol).encode(encoding))
        other = run_read_file(f"read_file/{encoding}", path, f"{fixture.name} {eol!r}")
        note = ENCODINGS[encoding] if not (encoding == "gb18030" and text.isascii()) else None
        assert utf8.entries and _same_file(other.entries, str(tmp_path / "utf8.txt")) == list(utf8.entries)
        notes = [Problem(str(path), *note, "warning")] if note else []
        assert list(other.problems) == notes + [dataclasses.replace(p, file=str(path)) for p in utf8.problems]


def test_gbk_digest_gives_the_same_entries_and_names_the_encoding(tmp_path):
    text = "".join(SEED_DIGEST.read_text(encoding="utf-8").splitlines(True)[:43])  # entries 1-4: all in GBK
    utf8 = read_file(str(_write(tmp_path, "utf8.txt", text.encode())))
    path = _write(tmp_path, "gbk.txt", text.encode("gbk"))
    gbk = run_read_file("read_file/gbk-seed", path, "seed 000 entries 1-4 in GBK")
    second = gbk.entries[1]
    assert (second.title, second.authors) == KNOWLEDGE_NEURONS
    assert second.summary_zh.startswith("预训练Transformer的知识神经元。")
    assert _same_file(gbk.entries, str(tmp_path / "utf8.txt")) == list(utf8.entries)
    assert gbk.problems[0] == Problem(str(path), *GBK_NOTE, "warning")


def test_big5_digest_gives_its_entries_and_names_the_encoding(tmp_path):
    big5 = run_read_file("read_file/big5-seed", BIG5, "seed 000 entries 1-4, traditional characters, Big5")
    utf8 = read_file(str(_write(tmp_path, "utf8.txt", BIG5.read_bytes().decode("big5").encode())))
    second = big5.entries[1]
    assert (second.title, second.authors, second.institutions) == (*KNOWLEDGE_NEURONS, ("Peking University", "Microsoft Research"))
    assert second.summary_zh.startswith("預訓練Transformer的知識神經元。")
    assert _same_file(big5.entries, str(tmp_path / "utf8.txt")) == list(utf8.entries)
    assert big5.problems[0] == Problem(str(BIG5), *BIG5_NOTE, "warning")


@given(cut=st.integers(0, SEED_DIGEST.stat().st_size))
def test_a_digest_cut_anywhere_keeps_its_whole_entries(cut):
    data = SEED_DIGEST.read_bytes()
    full = read_file(str(SEED_DIGEST)).entries
    with tempfile.TemporaryDirectory() as folder:
        path = _write(Path(folder), SEED_DIGEST.name, data[:cut])
        result = run_read_file("read_file/truncated-digest", path, f"seed digest cut at byte {cut}")
    headers = [i for i, line in enumerate(data.split(b"\n")) if re.match(rb"\d+\xe3\x80\x81\[", line)]
    whole = sum(1 for h in headers[1:] if h < data.count(b"\n", 0, cut))  # entry k is whole once header k+1 is
    assert _same_file(result.entries[:whole], str(SEED_DIGEST)) == list(full[:whole])


@pytest.mark.parametrize("data", [b"", b"  \n\r\n\t", b"\xef\xbb\xbf", b"\xff\xfe", "\u3000\n".encode()])
def test_empty_files_are_a_warning(tmp_path, data):
    path = _write(tmp_path, "empty.txt", data)
    assert run_read_file("read_file/empty", path, repr(data)).problems == (Problem(str(path), None, "empty file", "warning"),)


def test_binary_file_is_rejected_with_the_reason(tmp_path):
    path = _write(tmp_path, "figure.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00")
    result = run_read_file("read_file/binary", path, "PNG image")
    assert result.problems == (Problem(str(path), None, "cannot decode: binary data (a PNG image), not text"),)


def test_file_over_the_size_limit_is_not_read(tmp_path):
    path = _write(tmp_path, "digest.txt", SEED_DIGEST.read_bytes())
    result = run_read_file("read_file/limits", path, "13 KB digest, 1000-byte limit", limits=Limits(max_file_bytes=1000))
    reason = "file is 13,360 bytes (13 KiB), over the limit of 1,000 bytes: not read (raise the limit with --max-file-size)"
    assert result.problems == (Problem(str(path), None, reason),)
    assert len(read_file(str(path), limits=Limits(max_file_bytes=13_360)).entries) == 5


def test_entry_over_the_length_limit_is_rejected_and_the_others_kept():
    full = read_file(str(SEED_DIGEST))
    longest = max(full.entries, key=lambda e: len(e.abstract))
    limit = entry_chars(longest) - 1
    assert sorted(entry_chars(e) for e in full.entries)[-2] <= limit  # exactly one entry is too long
    result = run_read_file("read_file/limits", SEED_DIGEST, "seed digest, entry limit below its longest entry",
                           limits=Limits(max_entry_chars=limit))
    assert result.entries == tuple(e for e in full.entries if e is not longest)
    reason = (f"entry is {limit + 1:,} characters long, over the limit of {limit:,}: "
              "skipped (raise the limit with --max-entry-length)")
    assert result.problems == full.problems + (Problem(str(SEED_DIGEST), longest.source.line, reason),)


@pytest.mark.parametrize("kind, make", [
    ("ascii line", lambda: ("word " * 2_000_000).encode()),
    ("chinese line", lambda: ("知识神经元" * 700_000).encode()),
    ("digest entry with a 10 MB title", lambda: ("1、[LG] " + "Knowledge " * 1_000_000).encode()),
])
def test_a_10_mb_single_line_is_read_in_linear_time(tmp_path, kind, make):
    path = _write(tmp_path, "long.txt", make())
    start = time.perf_counter()
    result = run_read_file("read_file/10MB-line", path, kind)
    elapsed = time.perf_counter() - start
    assert elapsed < 30, f"{kind}: {elapsed:.1f}s (a quadratic step takes hours at 10 MB)"
    assert not result.entries and all(p.line in (None, 1) for p in result.problems)


def test_folder_of_3000_files_with_duplicates_and_broken_ones(tmp_path):
    folder = tmp_path / "many"
    for i in range(3000):
        sub = folder / f"d{i // 500}"
        sub.mkdir(parents=True, exist_ok=True)
        text = f"We study robust model number {i % 2900}.\ntranslated by 谷歌翻译\n"  # the last 100 repeat earlier ones
        _write(sub, f"f{i:04}.txt", text.encode())
    _write(folder, "broken.txt", b"\xff\xfe\x00\xdc\x00\xdc")
    _write(folder, "image.png", b"\x89PNG\r\n\x1a\n")
    start = time.perf_counter()
    result = read_inputs([str(folder)])
    elapsed = time.perf_counter() - start
    record("read_inputs/3000-files", b"", "parsed", what=f"3002 files in {elapsed:.1f}s", entries=len(result.entries),
           problems=len(result.problems))
    assert len(result.entries) == 3000 and len({e.source.file for e in result.entries}) == 3000
    assert [(Path(p.file).name, p.line) for p in result.problems] == [("broken.txt", None)]
    assert result.skipped == ((f"{folder}/image.png", "image (.png)"),)  # not a paper document: no reject
    assert elapsed < 60


def test_special_and_unnamable_files_are_reported_not_read(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    _write(folder, "good.txt", b"We study robust models.\ntranslated by \xe8\xb0\xb7\xe6\xad\x8c\xe7\xbf\xbb\xe8\xaf\x91\n")
    os.mkfifo(folder / "pipe.txt")  # reading it would wait forever for a writer
    os.symlink(folder / "gone.txt", folder / "dangling.txt")
    fd = os.open(os.fsencode(folder) + b"/bad\xffname.txt", os.O_CREAT | os.O_WRONLY)
    os.close(fd)
    result = read_inputs([str(folder)])
    record("read_inputs/special-files", b"", "parsed", what="FIFO, dangling symlink, non-UTF-8 name",
           entries=len(result.entries), problems=len(result.problems))
    assert [e.abstract for e in result.entries] == ["We study robust models."]
    assert result.problems == (
        Problem(f"{folder}/bad\ufffdname.txt", None, "file name is not valid UTF-8: skipped (rename the file)"),
        Problem(f"{folder}/dangling.txt", None, "cannot read file: No such file or directory"),
        Problem(f"{folder}/pipe.txt", None, "not a regular file (a FIFO, socket or device): skipped"),
    )


def test_a_folder_that_cannot_be_listed_is_reported(tmp_path, monkeypatch):
    (tmp_path / "in" / "locked").mkdir(parents=True)
    _write(tmp_path / "in", "a.txt", b"We study robust models.\ntranslated by \xe8\xb0\xb7\xe6\xad\x8c\xe7\xbf\xbb\xe8\xaf\x91\n")
    walk, listdir = os.walk, os.listdir

    def denied(path):
        if str(path).endswith("locked"):
            raise PermissionError(13, "Permission denied", str(path))
        return listdir(path)

    def walk_denied(top, onerror=None, **options):  # what os.walk does without read permission (root has it)
        for root, dirs, names in walk(top, onerror=onerror, **options):
            if "locked" in dirs:
                dirs.remove("locked")
                onerror(PermissionError(13, "Permission denied", os.path.join(root, "locked")))
            yield root, dirs, names

    monkeypatch.setattr(os, "walk", walk_denied)
    monkeypatch.setattr(os, "listdir", denied)
    result = read_inputs([str(tmp_path / "in")])
    assert len(result.entries) == 1
    locked = str(tmp_path / "in" / "locked")
    assert result.problems == (Problem(locked, None, "cannot list folder (Permission denied): its files were not read"),)


@pytest.mark.parametrize("options, message", [
    ({"max_file_bytes": 0}, "max_file_bytes must be a positive integer, not 0"),
    ({"max_entry_chars": 1.5}, "max_entry_chars must be a positive integer, not 1.5"),
])
def test_limits_must_be_positive_integers(options, message):
    with pytest.raises(ValueError) as info:
        Limits(**options)
    assert str(info.value) == message
