"""`kg build --date` and the dates a build writes: papers.jsonl, report.json's undated entries, RDF."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from kg.cli import cli

HEADER_DATED = ("LG - 机器学习 CV - 计算机视觉 CL - 计算与语言\n2019-05-25 转自爱可可爱生活\n\n"
                "1、[LG] Learning with Differentiable Algorithms\nF Petersen\n[University of Konstanz]\n"
                "Classic algorithms and neural networks are combined into differentiable sorting networks.\n\n")
UNDATED = ("1、[RO] Robots That Sort Parcels by Hand\nA Author\n[University of Konstanz]\n"
           "A robot arm learns to sort parcels from a few demonstrations.\n\n")


@pytest.mark.parametrize("value", ["2019-02-30", "2019-5-25", "25/05/2019", "yesterday"])
def test_a_date_that_is_not_yyyy_mm_dd_is_a_usage_error(tmp_path, value):
    result = CliRunner().invoke(cli, ["build", str(tmp_path), "--out", str(tmp_path / "out"), "--date", value])
    assert result.exit_code == 2
    assert f"Invalid value for '--date': {value!r} is not a date YYYY-MM-DD" in result.output
    assert not (tmp_path / "out").exists()


@pytest.mark.model
@pytest.mark.slow
def test_date_option_dates_what_nothing_else_dates(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "digest.txt").write_text(HEADER_DATED, encoding="utf-8")
    (tmp_path / "in" / "undated.txt").write_text(UNDATED, encoding="utf-8")

    def dates(out):
        lines = (tmp_path / out / "papers.jsonl").read_text(encoding="utf-8").splitlines()
        return sorted((r["title"], r["year"], r["date"], r["date_source"]) for r in map(json.loads, lines))

    result = CliRunner().invoke(cli, ["build", "in", "--out", "plain", "--no-pages", "--export", "none", "-q"])
    assert result.exit_code == 0, result.output
    assert dates("plain") == [("Learning with Differentiable Algorithms", 2019, "2019-05-25", "document"),
                              ("Robots That Sort Parcels by Hand", None, None, None)]
    report = json.loads((tmp_path / "plain" / "report.json").read_text(encoding="utf-8"))
    assert (report["papers_undated"], report["undated"]) == (
        1, [{"file": "in/undated.txt", "line": 1, "title": "Robots That Sort Parcels by Hand"}])

    result = CliRunner().invoke(cli, ["build", "in", "--out", "dated", "--no-pages", "--export", "none", "-q",
                                      "--date", "2020-01-31"])
    assert result.exit_code == 0, result.output
    # the header's date stays; the undated entry takes the option's, and its year
    assert dates("dated") == [("Learning with Differentiable Algorithms", 2019, "2019-05-25", "document"),
                              ("Robots That Sort Parcels by Hand", 2020, "2020-01-31", "option")]
    report = json.loads((tmp_path / "dated" / "report.json").read_text(encoding="utf-8"))
    assert (report["papers_undated"], report["undated"]) == (0, [])
    turtle = (tmp_path / "dated" / "graph.ttl").read_text(encoding="utf-8")
    assert 'kgo:dateSource "option"' in turtle and 'kgo:firstSeen "2020-01-31"^^xsd:date' in turtle
    # no arXiv id, no publication date: dcterms:issued is the year, as before
    assert 'dcterms:issued "2019"^^xsd:gYear' in turtle and not re.search(r'dcterms:issued "[^"]*"\^\^xsd:date', turtle)
