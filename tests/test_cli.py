"""The `kg` command through click's CliRunner: exit codes, messages, outputs."""

import json
import re
import shutil

import pytest
from click.testing import CliRunner

from kg.cli import cli

from .conftest import SEED_DIGEST, SEEDS


@pytest.mark.model
@pytest.mark.slow
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


def test_export_and_validate_commands(fixture_corpus, tmp_path):
    from kg.build import BuildDir, write_corpus
    from kg.export.rdf import write_rdf

    runner = CliRunner()
    folder = BuildDir(tmp_path / "exports")
    folder.path.mkdir()
    write_corpus(fixture_corpus, folder.corpus_json)
    write_rdf(fixture_corpus, folder.graph_ttl, "turtle")
    graph = str(folder.path)
    result = runner.invoke(cli, ["export", "nt", "--graph", graph, "--out", str(tmp_path), "--base", "http://b.example/"])
    assert result.exit_code == 0, result.output
    lines = (tmp_path / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == 380
    assert all(line.endswith(" .") for line in lines)
    assert any(x.startswith("<http://b.example/paper/arxiv/2101.00001> ") for x in lines)
    assert not any("<https://example.org/kg/" in x for x in lines)  # the default base
    assert runner.invoke(cli, ["validate", "--graph", graph]).exit_code == 0
    missing = runner.invoke(cli, ["export", "nq", "--graph", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "corpus.json: no such file; run `kg build` first" in missing.output


# A one-entry digest: the summary's counts are all 1.
ONE_ENTRY = ("1、[LG] Learning with Differentiable Algorithms\nF Petersen\n[University of Konstanz]\n"
             "Classic algorithms and neural networks are combined into differentiable sorting networks and renderers.\n"
             "https://arxiv.org/abs/2209.00616\n")


def test_build_summary_agrees_in_number():
    from kg.cli import _build_stats, _build_summary

    one = {"papers": 1, "inputs": {"files": 1, "entries": 1}, "nodes": {"Author": 1, "Paper": 1}}
    assert _build_summary(one) == "1 paper from 1 entry in 1 file: 1 Author, 1 Paper"
    # no node counts: no colon after the files
    none = {"papers": 2, "inputs": {"files": 2, "entries": 3}, "nodes": {}}
    assert _build_summary(none) == "2 papers from 3 entries in 2 files"
    zero = {"papers": 0, "inputs": {"files": 0, "entries": 0}, "nodes": {}}
    assert _build_summary(zero) == "0 papers from 0 entries in 0 files"
    stats = {"files_parsed": 1, "files_reused": 0, "texts_extracted": 1, "texts_reused": 0, "store_changed": 1,
             "store_graphs": 1, "store_removed": 0, "author_blocks_clustered": 1, "author_blocks_reused": 0}
    assert _build_stats(stats) == ("parsed 1 file, reused 0; extracted 1 text, reused 0; "
                                   "clustered 1 name block, reused 0; store: 1 of 1 graph changed, 0 removed")
    stats = {"files_parsed": 0, "files_reused": 3, "texts_extracted": 24, "texts_reused": 1, "store_changed": 0,
             "store_graphs": 4, "store_removed": 2, "author_blocks_clustered": 3, "author_blocks_reused": 8088}
    assert _build_stats(stats) == ("parsed 0 files, reused 3; extracted 24 texts, reused 1; "
                                   "clustered 3 name blocks, reused 8088; store: 0 of 4 graphs changed, 2 removed")


@pytest.mark.model
def test_build_summary_of_the_seeds(seed_build):
    from kg.cli import _build_summary

    assert _build_summary(seed_build.report) == (
        "24 papers from 25 entries in 3 files: 19 Author, 3 Category, 7 Code, 13 Dataset, 11 Institution, "
        "85 Method, 7 Metric, 24 Paper, 32 Task, 215 Topic")


@pytest.mark.model
@pytest.mark.slow
def test_build_of_one_entry_says_one(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one").mkdir()
    (tmp_path / "one" / "digest.txt").write_text(ONE_ENTRY, encoding="utf-8")
    result = CliRunner().invoke(cli, ["build", "one", "--out", "out"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    # the method "differentiable sorting network" and the topic "renderer"
    assert lines[0] == ("1 paper from 1 entry in 1 file: 1 Author, 1 Category, 1 Institution, 1 Method, 1 Paper, "
                        "1 Topic")
    # the file's graph and the derived graph
    # one author: no name block of more than one mention to cluster
    assert lines[1] == ("parsed 1 file, reused 0; extracted 1 text, reused 0; clustered 0 name blocks, reused 0; "
                        "store: 2 of 2 graphs changed, 0 removed")
    assert re.fullmatch(r"wrote \d+ files in out/ \(report: out/report\.json\)", lines[2])
    assert len(lines) == 3


def _run_on_a_terminal(monkeypatch, args) -> tuple[int, str]:
    """`kg ARGS` in this process with stderr on a pseudo-terminal 100 columns wide (tqdm draws nothing
    on a terminal of no width): (exit status, what the terminal received)."""
    import fcntl
    import os
    import pty
    import struct
    import sys
    import termios
    import threading

    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    received = []

    def drain() -> None:  # read as it comes: a full terminal buffer would block the build
        while True:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # EIO: every copy of the other end is closed
                return
            if not chunk:
                return
            received.append(chunk)

    reader = threading.Thread(target=drain, daemon=True)
    reader.start()
    terminal = os.fdopen(slave, "w", encoding="utf-8", buffering=1)
    try:
        with monkeypatch.context() as patch:
            patch.setattr(sys, "stderr", terminal)
            cli.main(args, prog_name="kg", standalone_mode=False)
        status = 0
    except SystemExit as exc:
        status = exc.code
    finally:
        terminal.close()
    reader.join(30)
    os.close(master)
    return status, b"".join(received).decode("utf-8")


@pytest.mark.model
def test_build_progress_names_each_stage_on_a_terminal(seeds_dir, tmp_path, monkeypatch):
    """Under a pseudo-terminal with --jobs 2: one bar per stage, named after it, in the build's order;
    tqdm starts no monitor thread (the output workers are forked after the bars exist); the bars'
    lines are cleared, the summary follows."""
    import tqdm.std

    monitors = []

    def no_monitor(*args):  # tqdm would start this thread unless monitor_interval is 0
        monitors.append(args)
        raise RuntimeError("no monitor thread")

    monkeypatch.setattr(tqdm.std, "TMonitor", no_monitor)
    monkeypatch.setattr(tqdm.std.tqdm, "monitor_interval", 10)  # tqdm's default: kg must turn it off
    monkeypatch.chdir(seeds_dir)
    status, text = _run_on_a_terminal(monkeypatch, ["build", "seeds", "--out", str(tmp_path / "out"), "--jobs", "2"])
    assert status == 0 and monitors == []
    named = re.findall(r"\r([a-z][a-z. ]*[a-z]):", text)
    stages = [name for i, name in enumerate(named) if not i or name != named[i - 1]]
    assert stages[:7] == ["reading", "extracting", "resolving", "writing papers.jsonl", "graph", "writing graph.nq",
                          "writing graph.ttl"]
    assert sorted(stages[7:9]) == ["exports", "maps"]
    assert stages[9:] == ["writing graph.json", "report", "store"]
    assert re.search(r"\rreading: +0%\| +\| 0/3 \[", text) and re.search(r"\rextracting: +0%\| +\| 0/25 \[", text)
    assert re.search(r"\rresolving: 00:00", text)  # a stage without a count: its name and time
    summary = text.split("\n")[-4:]  # the pseudo-terminal ends lines with \r\n
    assert summary[0].endswith("\r24 papers from 25 entries in 3 files: 19 Author, 3 Category, 7 Code, 13 Dataset, "
                               "11 Institution, 85 Method, 7 Metric, 24 Paper, 32 Task, 215 Topic\r")
    # the seeds' 19 authors have 19 distinct name blocks: none of more than one mention to cluster
    assert summary[1] == ("parsed 3 files, reused 0; extracted 24 texts, reused 0; clustered 0 name blocks, reused 0; "
                          "store: 4 of 4 graphs changed, 0 removed\r") and summary[3] == ""


@pytest.mark.model
@pytest.mark.slow
def test_quiet_build_draws_nothing_on_a_terminal(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "one.txt").write_text(ONE_ENTRY, encoding="utf-8")
    assert _run_on_a_terminal(monkeypatch, ["build", "one.txt", "--out", "out", "-q"]) == (0, "")


def test_choices_and_listings_come_from_the_registry():
    """A target registered after kg.cli was imported is listed by kg export --help (with its
    description) and kg --help, and accepted by kg export; --format, --engine and VIEW list the
    registered names."""
    from kg import registry
    from kg.export import register_exporter

    @register_exporter("dummy-target", "a dummy target for this test", "dummy-alias")
    def write_dummy(corpus, out_dir, base, graph=None):
        return []

    try:
        runner = CliRunner()
        listing = runner.invoke(cli, ["export", "--help"])
        assert listing.exit_code == 0
        assert re.search(r"dummy-target, dummy-alias +a dummy target for this test", listing.output)
        assert re.search(r"turtle, ttl +RDF turtle", listing.output)
        overview = runner.invoke(cli, ["--help"])
        assert "dummy-target" in overview.output and "input formats" in overview.output
    finally:
        registry.unregister("exporter", "dummy-target")
    assert "dummy-target" not in CliRunner().invoke(cli, ["--help"]).output
    build_help = CliRunner().invoke(cli, ["build", "--help"]).output
    assert "[arxiv|bibtex|digest|feed|frontmatter|oneline|paperpost|readinglist]" in build_help
    assert "--engine [dask|local]" in build_help
    assert "{collaboration|institutions|topics}" in CliRunner().invoke(cli, ["viz", "--help"]).output


def test_unknown_names_keep_their_messages_and_exit_status(tmp_path):
    from kg.build import write_corpus
    from kg.model import Corpus

    write_corpus(Corpus((), (), ()), tmp_path / "corpus.json")
    runner = CliRunner()
    target = runner.invoke(cli, ["export", "bogus", "--graph", str(tmp_path)])
    assert target.exit_code == 1
    assert target.output.startswith("Error: unknown export target 'bogus'; available: gexf, graphml, json-ld, jsonld,")
    engine = runner.invoke(cli, ["build", "--engine", "ray", "--out", str(tmp_path / "o")])
    assert engine.exit_code == 2 and "'ray' is not one of 'dask', 'local'" in engine.output
    view = runner.invoke(cli, ["viz", "maps", "--graph", str(tmp_path)])
    assert view.exit_code == 2 and "'maps' is not one of 'collaboration', 'institutions', 'topics'" in view.output


def test_a_library_error_is_one_line_and_exit_1_in_every_command(tmp_path):
    runner = CliRunner()
    for args in (["explain", "author", "x"], ["viz", "topics"], ["export", "nt"], ["validate"], ["query", "coauthors"]):
        result = runner.invoke(cli, [*args, "--graph", str(tmp_path / "none")])
        assert result.exit_code == 1, (args, result.output)
        assert result.output.startswith("Error: ") and result.output.count("\n") == 1, (args, result.output)


HEAVY = ("spacy", "pyoxigraph", "networkx", "rdflib", "numpy")


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["query", "--help"], ["export", "--help"]])
def test_the_command_line_starts_without_heavy_imports(args):
    """kg.cli, and kg --help, --version, kg query --help, kg export --help, load none of spaCy,
    pyoxigraph, networkx, rdflib, numpy (checked in a fresh interpreter; no timing)."""
    import subprocess
    import sys

    code = f"""
import sys
import kg.cli
before = [m for m in {HEAVY!r} if m in sys.modules]
try:
    kg.cli.cli({args!r}, prog_name="kg")
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
after = [m for m in {HEAVY!r} if m in sys.modules]
print(before, after, file=sys.stderr)
assert before == after == [], (before, after)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_query_imports_pyoxigraph_but_no_pipeline():
    """kg query --list needs the query catalogue only: pyoxigraph, not spaCy, networkx or numpy."""
    import subprocess
    import sys

    code = """
import sys
import kg.cli
try:
    kg.cli.cli(["query", "--list"], prog_name="kg")
except SystemExit as exc:
    assert exc.code in (0, None), exc.code
print(sorted(m for m in ("spacy", "pyoxigraph", "networkx", "rdflib", "numpy") if m in sys.modules), file=sys.stderr)
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stderr.strip() == "['pyoxigraph']", result.stderr


def test_explain_institution_and_json_for_both_kinds(fixture_folder, tmp_path):
    runner = CliRunner()
    pku = runner.invoke(cli, ["explain", "institution", "北京大学", "--graph", str(fixture_folder)])
    assert pku.exit_code == 0, pku.output
    assert pku.output.splitlines()[:5] == [
        "institution:ror-02v51f717  Peking University",
        "ROR 02v51f717  https://ror.org/02v51f717",
        "counted on 2 papers (a paper counts once, whichever of its forms it prints)",
        # the fixture's corpus.json predates `via`: one link says how (read in context), one cannot
        "by route: read in context on 1 paper, not recorded (older build) on 1 paper",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
    ]
    author = runner.invoke(cli, ["explain", "author", "D Dai", "--graph", str(fixture_folder), "--format", "json"])
    assert author.exit_code == 0, author.output
    assert json.loads(author.output) == {
        "kind": "author", "id": "author:d-dai", "name": "D Dai",
        "evidence": ["arxiv:2101.00001#0 ~ arxiv:2102.00002#1: institution institution:ror-02v51f717"],
        "mentions": [
            {"paper": "arxiv:2101.00001", "position": 1, "printed": "D Dai", "full_name": "Damai Dai",
             "title": "Knowledge neurons in pretrained transformers", "source": "digest.txt:1"},
            {"paper": "arxiv:2102.00002", "position": 2, "printed": "D Dai", "full_name": None,
             "title": "Few-shot semantic segmentation with a cross-modal transformer", "source": "digest.txt:12"},
        ],
    }
    missing = runner.invoke(cli, ["explain", "institution", "x", "--graph", str(tmp_path / "none"), "--format", "json"])
    assert missing.exit_code == 1 and missing.output.startswith("Error: ") and missing.output.count("\n") == 1
