"""`kg trends` through click's CliRunner, on build folders holding only a corpus.json."""

import json

import pytest
from click.testing import CliRunner

from kg.build import BuildDir, write_corpus
from kg.cli import cli

from .synthetic import CORPUS


def _folder(corpus, path):
    folder = BuildDir(path / "exports")
    folder.path.mkdir()
    write_corpus(corpus, folder.corpus_json)
    return str(folder.path)


def test_a_corpus_without_dates_gives_an_empty_list_and_says_why(fixture_folder):
    result = CliRunner().invoke(cli, ["trends", "--graph", str(fixture_folder), "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == []
    assert result.stderr.strip() == "no dated paper; 4 undated papers ignored"
    table = CliRunner().invoke(cli, ["trends", "--graph", str(fixture_folder)])
    assert table.exit_code == 0 and "  none" in table.stdout
    assert table.stdout.splitlines()[0] == ("Emerging topics, no dated paper (yearly; Kleinberg bursts still going on, "
                                            "at least 5 papers)")


def test_bad_values_are_usage_errors(fixture_folder, tmp_path):
    runner = CliRunner()
    bad = runner.invoke(cli, ["trends", "--graph", str(fixture_folder), "--as-of", "2019-02-30"])
    assert bad.exit_code == 2 and "--as-of" in bad.output and "day is out of range" in bad.output
    assert runner.invoke(cli, ["trends", "--graph", str(fixture_folder), "--kind", "venue"]).exit_code == 2
    missing = runner.invoke(cli, ["trends", "--graph", str(tmp_path / "none")])
    assert missing.exit_code == 1 and "run `kg build` first" in missing.output


def test_trends_of_a_dated_build(tmp_path):
    graph = _folder(CORPUS, tmp_path)
    if BuildDir(graph).read_corpus().papers[0].date is None:
        pytest.skip("corpus.json does not keep Paper.date yet")
    runner = CliRunner()
    result = runner.invoke(cli, ["trends", "--graph", graph, "--as-of", "2019", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == [{"label": "rising", "kind": "topic", "score": 2.1322,
                                          "first_seen": "2016-06-10",
                                          "counts": {"2016": 1, "2017": 1, "2018": 6, "2019": 6}}]
    assert result.stderr == ("40 dated papers up to 2019-12-31 in 4 periods (2016–2019); 1 undated paper ignored; "
                             "1 paper dated later left out\n")
    pairs = runner.invoke(cli, ["trends", "--graph", graph, "--as-of", "2019", "--kind", "collaboration",
                                "--format", "json"])
    assert [p["label"] for p in json.loads(pairs.stdout)] == ["Ann A & Bob B"]
    table = runner.invoke(cli, ["trends", "--graph", graph, "--as-of", "2019-12-31", "--top", "5"])
    assert table.exit_code == 0
    blocks = table.stdout.split("\n\n")
    assert [b.splitlines()[0] for b in blocks] == [
        "Emerging topics as of 2019-12-31 (yearly; Kleinberg bursts still going on, at least 5 papers)",
        "New collaborations as of 2019-12-31 (yearly; new in the period)",
        "Newly active institutions as of 2019-12-31 (yearly; new in the period)",
    ]
    assert "Ann A & Bob B" in blocks[1] and "New Lab" in blocks[2]
    months = runner.invoke(cli, ["trends", "--graph", graph, "--as-of", "2019-06", "--period", "month",
                                 "--min-support", "1", "--kind", "new-institution", "--format", "json"])
    assert json.loads(months.stdout)[0]["counts"]["2019-06"] == 3


def test_trends_by_share_ratio(tmp_path):
    graph = _folder(CORPUS, tmp_path)
    runner = CliRunner()
    result = runner.invoke(cli, ["trends", "--graph", graph, "--as-of", "2018", "--method", "ratio", "--format", "json"])
    assert result.exit_code == 0, result.output
    # 6 of 10 papers in 2018 after 2 of 20 before (tests/trends/test_ratio.py)
    assert json.loads(result.stdout) == [{"label": "rising", "kind": "topic", "score": 0.4562,
                                          "first_seen": "2016-06-10", "counts": {"2016": 1, "2017": 1, "2018": 6}}]
    table = runner.invoke(cli, ["trends", "--graph", graph, "--as-of", "2018", "--method", "ratio", "--top", "5"])
    assert table.stdout.splitlines()[0] == ("Emerging topics as of 2018-12-31 (yearly; share surely risen over its "
                                            "earlier share, at least 5 papers)")
    assert runner.invoke(cli, ["trends", "--graph", graph, "--method", "counts"]).exit_code == 2
