"""The `kg` command through click's CliRunner: exit codes, messages, outputs."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import SEED_DIGEST, SEEDS


@pytest.mark.model
def test_build_exit_codes_and_rejects(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "in" / SEED_DIGEST)
    runner = CliRunner()
    ok = runner.invoke(cli, ["build", "in", "--out", "out", "-q"])
    assert ok.exit_code == 0, ok.output
    assert len((tmp_path / "out" / "papers.jsonl").read_text(encoding="utf-8").splitlines()) == 5
    (tmp_path / "in" / "broken.txt").write_bytes(b"1\xe3\x80\x81[LG] T\n\xff\xfe\n")
    partial = runner.invoke(cli, ["build", "in", "--out", "out"])
    assert partial.exit_code == 3
    assert "rejected: in/broken.txt: cannot decode: not valid UTF-8 (line 2, byte 11)" in partial.output
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert report["rejected"] == [{"file": "in/broken.txt", "line": None, "reason": "cannot decode: not valid UTF-8 (line 2, byte 11)"}]
    assert report["papers"] == 5


def test_missing_input_is_a_one_line_fatal_error(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(tmp_path / "nope"), "--out", str(tmp_path / "o")])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path / 'nope'}: no such file or folder"


def test_unknown_format_is_fatal(tmp_path):
    result = CliRunner().invoke(cli, ["build", str(SEEDS), "--format", "bogus", "--out", str(tmp_path)])
    assert result.exit_code == 1
    assert re.search(r"unknown input format 'bogus'; available: .*\bdigest, feed\b", result.output)


def test_help_texts():
    result = CliRunner().invoke(cli, ["build", "--help"])
    assert result.exit_code == 0 and "Example: kg build seeds --out exports" in result.output


@pytest.mark.model
def test_export_and_validate_commands(seed_build, seeds_dir, tmp_path):
    runner = CliRunner()
    graph = str(seeds_dir / "exports")
    result = runner.invoke(cli, ["export", "nt", "--graph", graph, "--out", str(tmp_path), "--base", "http://b.example/"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) > 1000
    assert all(line.endswith(" .") for line in lines)
    assert "<http://b.example/paper/arxiv/2104.08696>" in lines[-1] or any("b.example/paper/arxiv/2104.08696" in x for x in lines)
    assert runner.invoke(cli, ["validate", "--graph", graph]).exit_code == 0
    missing = runner.invoke(cli, ["export", "nq", "--graph", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "corpus.json: no such file; run `kg build` first" in missing.output
