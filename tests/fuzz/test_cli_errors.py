"""`kg build` on broken input: exit 0 when every entry is in the graph, 3 when something was rejected
(listed in report.json with file, line and reason), 2 for a bad limit option."""

import json
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.ingest.limits import Limits, parse_size

from ..conftest import SEED_DIGEST, SEEDS
from .harness import record

FAST = ["--export", "none", "--no-pages", "-q"]


def _build(tmp_path, monkeypatch, *options):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["build", "in", "--out", "out", *FAST, *options])
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8")) if result.exit_code in (0, 3) else None
    found = {"entries": report["inputs"]["entries"], "problems": len(report["rejected"]) + len(report["warnings"])} if report else {}
    record("cli/build", " ".join(p.name for p in sorted((tmp_path / "in").iterdir())), "parsed" if result.exit_code == 0 else "reported",
           what=f"exit {result.exit_code} {' '.join(options)}".strip(), **found)
    return result, report


@pytest.mark.model
@pytest.mark.slow
def test_good_and_broken_files_exit_3_and_report_the_broken_one(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "in" / SEED_DIGEST)
    ok, report = _build(tmp_path, monkeypatch)
    assert ok.exit_code == 0, ok.output
    assert (report["papers"], report["rejected"]) == (5, [])

    (tmp_path / "in" / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (tmp_path / "in" / "notes.txt").write_bytes(b"ok\n\xff\xfe\xfd bad")
    partial, report = _build(tmp_path, monkeypatch)
    assert partial.exit_code == 3, partial.output
    assert report["papers"] == 5
    assert report["rejected"] == [
        {"file": "in/notes.txt", "line": None, "reason": "cannot decode: not valid UTF-8 (line 2, byte 3)"},
        {"file": "in/scan.txt", "line": None, "reason": "cannot decode: binary data (a PNG image), not text"},
    ]


@pytest.mark.model
@pytest.mark.slow
def test_limits_reject_what_exceeds_them(tmp_path, monkeypatch):
    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "in" / SEED_DIGEST)
    gbk = "".join((SEEDS / SEED_DIGEST).read_text(encoding="utf-8").splitlines(True)[:43])
    (tmp_path / "in" / "gbk.txt").write_bytes(gbk.encode("gbk"))
    result, report = _build(tmp_path, monkeypatch, "--max-file-size", "10k", "--max-entry-length", "2100")
    assert result.exit_code == 3, result.output
    rejected = [(r["file"], r["line"], r["reason"]) for r in report["rejected"]]
    assert rejected == [
        (f"in/{SEED_DIGEST}", None, "file is 13,360 bytes (13 KiB), over the limit of 10,240 bytes (10 KiB): "
                                    "not read (raise the limit with --max-file-size)"),
        ("in/gbk.txt", 24, "entry is 2,233 characters long, over the limit of 2,100: skipped (raise the limit with --max-entry-length)"),
    ]
    assert report["papers"] == 3  # entries 1, 2 and 4 of the GBK file
    assert {"file": "in/gbk.txt", "line": None,
            "reason": "not UTF-8: read as GB18030/GBK (a guess; convert the file to UTF-8 to be sure)"} in report["warnings"]


@pytest.mark.parametrize("options, message", [
    (["--max-file-size", "lots"], "Invalid value for '--max-file-size': 'lots' is not a size"),
    (["--max-file-size", "0"], "Invalid value for '--max-file-size': '0': a size must be at least 1 byte"),
    (["--max-entry-length", "0"], "Invalid value for '--max-entry-length'"),
])
def test_bad_limit_is_a_usage_error(tmp_path, options, message):
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--out", str(tmp_path / "out"), *options])
    assert result.exit_code == 2 and message in result.output, result.output


def test_option_defaults_are_the_library_defaults():
    params = {p.name: p.default for p in cli.commands["build"].params}
    assert (parse_size(params["max_file_size"]), params["max_entry_length"]) == (Limits().max_file_bytes, Limits().max_entry_chars)
