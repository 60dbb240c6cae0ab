"""`kg diff OLD_DIR NEW_DIR`: the table, --format json, --out, and its errors."""

from __future__ import annotations

import json

from click.testing import CliRunner

from kg.cli import cli
from kg.diff import changes_text, compute_changes

from .builds import FSS, KN, NOTE, ODD, folder, papers

TABLE = """\
3 → 3 papers
                  added  removed    grown
papers                1        1
authors               2        1        0
institutions          1        1        0
topics                2        1        0
tasks                 1        2        0
methods               1        1        0
datasets              1        2        0
metrics               1        1        0
collaborations        1        1        0
sources               1        0        0
new papers:
  arxiv:2203.00003  </script><script>alert('x')</script> & a "quoted" title, on two lines
removed papers:
  arxiv:2102.00002  Few-shot semantic segmentation with a cross-modal transformer
"""


def _builds(tmp_path):
    return (folder(tmp_path / "old", papers(KN, FSS, NOTE)), folder(tmp_path / "new", papers(KN, NOTE, ODD)))


def test_the_table_counts_and_lists_the_new_papers(tmp_path):
    old, new = _builds(tmp_path)
    result = CliRunner().invoke(cli, ["diff", str(old), str(new)])
    assert result.exit_code == 0, result.output
    assert result.stdout == TABLE
    assert not (tmp_path / "changes.json").exists() and not (new / "changes.json").exists()  # printed only


def test_json_is_changes_json(tmp_path):
    old, new = _builds(tmp_path)
    result = CliRunner().invoke(cli, ["diff", str(old), str(new / "papers.jsonl"), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stdout == changes_text(compute_changes(old, new))
    assert [p["id"] for p in json.loads(result.stdout)["papers"]["added"]] == [ODD]


def test_out_writes_both_files_linking_the_new_builds_maps(tmp_path):
    old, new = _builds(tmp_path)
    (new / "collaboration.html").write_text("<!DOCTYPE html>", encoding="utf-8")  # only this map was drawn
    result = CliRunner().invoke(cli, ["diff", str(old), str(new), "--out", str(tmp_path / "report"), "--format", "json"])
    assert result.exit_code == 0, result.output
    written = tmp_path / "report" / "changes.json"
    assert written.read_text(encoding="utf-8") == result.stdout
    assert result.stderr == f"wrote {written}, {tmp_path / 'report' / 'changes.html'}\n"
    html = (tmp_path / "report" / "changes.html").read_text(encoding="utf-8")
    assert 'href="../new/collaboration.html"' in html and "topics.html" not in html


def test_a_folder_that_holds_no_build_is_a_one_line_error(tmp_path):
    old, new = _builds(tmp_path)
    (tmp_path / "empty").mkdir()
    result = CliRunner().invoke(cli, ["diff", str(tmp_path / "empty"), str(new)])
    assert result.exit_code == 1
    assert result.output == (f"Error: {tmp_path / 'empty' / 'papers.jsonl'}: no such file; "
                             f"is {tmp_path / 'empty'}/ the folder of a kg build?\n")


def test_kg_build_says_in_one_line_what_changed(tmp_path):
    """The line `kg build` prints when it wrote changes.json (kg.cli._changes_line)."""
    import json

    from kg.cli import _changes_line

    summary = {kind: {"added": 0, "removed": 0} for kind in ("papers", "authors", "collaborations", "topics")}
    summary["papers"]["added"], summary["authors"]["added"], summary["topics"]["removed"] = 5, 1, 2
    (tmp_path / "changes.json").write_text(json.dumps({"summary": summary}), encoding="utf-8")
    written = [str(tmp_path / "papers.jsonl"), str(tmp_path / "changes.json")]
    assert _changes_line(tmp_path, written) == (
        "since the previous build: 5 new papers, 1 new author, 0 new collaborations, 0 new topics (−2) "
        f"(see {tmp_path / 'changes.html'})")
    assert _changes_line(tmp_path, written[:1]) is None  # a stale changes.json is not this build's
