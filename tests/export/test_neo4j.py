"""Neo4j export: admin-import header grammar, endpoints that exist, hostile cells, load.cypher shape."""

import csv
import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from kg.export import export, exporter_names
from kg.export.neo4j import write_neo4j
from kg.export.property_graph import CYPHER_QUERIES

from ..fixtures.corpus import EDGE_COUNTS, FSS, HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_TASK, KN, NODE_COUNTS, NOTE, ODD
from .hostile import (
    HOSTILE_ALIAS as HOSTILE_CSV_ALIAS,
    HOSTILE_AUTHOR,
    HOSTILE_SOURCE,
    HOSTILE_TASK as HOSTILE_CSV_TASK,
    HOSTILE_TITLE,
    hostile_corpus,
)

# neo4j-admin import header fields: name[:type], :ID(space), :START_ID(space), :END_ID(space), :LABEL, :TYPE
HEADER_FIELD = re.compile(r"^(\w+)?(:(ID|START_ID|END_ID)\(\w+\)|:LABEL|:TYPE|:(int|long|float|double|boolean|string|date)(\[\])?)?$")


def read_csv(path):
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], [dict(zip(rows[0], row)) for row in rows[1:]]


def validate_export(folder):
    """Check every CSV against the admin-import grammar; returns (ids by ID space, rows by file)."""
    ids: dict[str, set] = defaultdict(set)
    files = {}
    for path in sorted(folder.glob("*.csv")):
        header, rows = read_csv(path)
        files[path.name] = (header, rows)
        for field in header:
            assert HEADER_FIELD.match(field), f"{path.name}: bad header field {field!r}"
        names = [f.split(":")[0] for f in header if f.split(":")[0]]
        assert len(names) == len(set(names)), f"{path.name}: duplicate property"
        for row in rows:
            assert len(row) == len(header)
        if path.name.startswith("nodes_"):
            [id_field] = [f for f in header if ":ID(" in f]
            assert ":LABEL" in header
            space = id_field[id_field.index("(") + 1:-1]
            ids[space].update(r[id_field] for r in rows)
            assert len(ids[space]) == len(rows), f"{path.name}: duplicate ids"
        else:
            assert path.name.startswith("rels_")
            assert sum(":START_ID(" in f for f in header) == 1 and sum(":END_ID(" in f for f in header) == 1
            assert ":TYPE" in header
    for name, (header, rows) in files.items():
        for field in header:
            if field.startswith((":START_ID(", ":END_ID(")):
                space = field[field.index("(") + 1:-1]
                missing = {r[field] for r in rows} - ids[space]
                assert not missing, f"{name}: {field} ids not in any node file: {sorted(missing)[:3]}"
    return ids, files


def test_export_follows_the_admin_import_grammar(fixture_corpus, tmp_path):
    write_neo4j(fixture_corpus, tmp_path)
    ids, files = validate_export(tmp_path / "neo4j")
    assert {space: len(v) for space, v in ids.items() if v} == NODE_COUNTS
    edges = {name[5:-4]: len(rows) for name, (_, rows) in files.items() if name.startswith("rels_") and rows}
    assert edges == EDGE_COUNTS
    header, papers = files["nodes_Paper.csv"]
    assert header[:3] == ["id:ID(Paper)", ":LABEL", "name"]
    assert {"year:int", "lang:string[]", "sources:string[]"} <= set(header)
    assert all(r[":LABEL"] == "Paper" for r in papers)
    assert sorted(r["year:int"] for r in papers) == ["", "2021", "2022", "2022"]
    header, rows = files["rels_HAS_AUTHOR.csv"]
    assert header[:3] == [":START_ID(Paper)", ":END_ID(Author)", ":TYPE"] and "position:int" in header
    assert {r[":TYPE"] for r in rows} == {"HAS_AUTHOR"}
    assert all(float(r["weight:double"]) > 0 for r in files["rels_HAS_TOPIC.csv"][1])
    assert "weight:int" in files["rels_CO_AUTHOR.csv"][0]
    assert [r["lang:string[]"] for r in papers if r["id:ID(Paper)"] == KN] == ["en;zh"]
    _, authors = files["nodes_Author.csv"]
    assert {a["name"] for a in authors} >= {HOSTILE_NAME, "王伟"}  # no formula to neutralise: as printed


def test_typed_entities_have_aliases_and_their_links_via(fixture_corpus, tmp_path):
    """Task, Method, Dataset, Metric: `aliases:string[]` (sorted, unique over all papers); the four
    paper→entity relationship types: `via`; lookup indexes on the four names."""
    write_neo4j(fixture_corpus, tmp_path)
    folder = tmp_path / "neo4j"
    header, tasks = read_csv(folder / "nodes_Task.csv")
    assert header == ["id:ID(Task)", ":LABEL", "name", "aliases:string[]", "paper_count:int", "sources:string[]"]
    assert [list(r.values()) for r in tasks] == [
        ["task:few-shot semantic segmentation", "Task", "few-shot semantic segmentation", "FSS", "1", "digest.txt:12"],
        ["task:image segmentation", "Task", "image segmentation", "图像分割", "1", "feed.txt:10"],
        ["task:knowledge attribution", "Task", "knowledge attribution", "", "1", "digest.txt:1;feed.txt:3"],
        ["task:semantic segmentation", "Task", "semantic segmentation", "", "1", "digest.txt:12"],
        ["task:" + HOSTILE_TASK, "Task", HOSTILE_TASK, HOSTILE_ALIAS, "1", 'notes/it\'s a "note" #1.md:5'],
        ["task:transfer learning", "Task", "transfer learning", "TL;knowledge transfer", "2",
         "digest.txt:1;digest.txt:12;feed.txt:3"],
    ]
    header, rows = read_csv(folder / "rels_ADDRESSES_TASK.csv")
    assert header == [":START_ID(Paper)", ":END_ID(Task)", ":TYPE", "via", "sources:string[]"]
    assert [(r[":START_ID(Paper)"], r[":END_ID(Task)"], r["via"]) for r in rows] == [
        (KN, "task:knowledge attribution", "defined"), (KN, "task:transfer learning", "mentioned"),
        (FSS, "task:few-shot semantic segmentation", "title"), (FSS, "task:semantic segmentation", "mentioned"),
        (FSS, "task:transfer learning", "mentioned"), (ODD, "task:" + HOSTILE_TASK, "title"),
        (NOTE, "task:image segmentation", "mentioned")]
    _, metrics = read_csv(folder / "nodes_Metric.csv")
    assert [(r["name"], r["aliases:string[]"]) for r in metrics] == [
        ("F1", "F-score;" + HOSTILE_ALIAS), ("mIoU", "mean intersection over union")]
    for rel in ("USES_METHOD", "USES_DATASET", "USES_METRIC"):
        assert read_csv(folder / f"rels_{rel}.csv")[0][3] == "via"
    _, methods = read_csv(folder / "nodes_Method.csv")
    assert [(r["name"], r["aliases:string[]"]) for r in methods] == [
        ("A<B>", 'Alpha "Beta"'), ("CMT", "cross-modal transformer"), ("KN", "knowledge neuron"), ("Transformer", "")]
    load = (folder / "load.cypher").read_text(encoding="utf-8")
    for label in ("Task", "Method", "Dataset", "Metric"):
        assert f"CREATE INDEX {label.lower()}_name IF NOT EXISTS FOR (n:{label}) ON (n.name);" in load
    assert "r.via = CASE WHEN row.`via` <> '' THEN row.`via` END" in load
    assert "n.aliases = CASE WHEN row.`aliases:string[]` <> '' THEN split(row.`aliases:string[]`, ';') END" in load


def test_positions_count_from_1_and_co_authorship_is_documented_undirected(fixture_corpus, tmp_path):
    """Fixture paper KN: D Dai first, position 1."""
    write_neo4j(fixture_corpus, tmp_path)
    folder = tmp_path / "neo4j"
    _, authors = read_csv(folder / "nodes_Author.csv")
    names = {a["id:ID(Author)"]: a["name"] for a in authors}
    _, rows = read_csv(folder / "rels_HAS_AUTHOR.csv")
    byline = sorted((int(r["position:int"]), names[r[":END_ID(Author)"]]) for r in rows if r[":START_ID(Paper)"] == KN)
    assert byline == [(1, "D Dai"), (2, "L Dong"), (3, "Y Hao")]
    assert min(int(r["position:int"]) for r in rows) == 1
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "| `rels_CO_AUTHOR.csv` | `(:Author)-[:CO_AUTHOR]-(:Author)` |" in readme
    assert "| `rels_CO_OCCURS.csv` | `(:Topic)-[:CO_OCCURS]-(:Topic)` |" in readme
    assert "| `rels_HAS_AUTHOR.csv` | `(:Paper)-[:HAS_AUTHOR]->(:Author)` |" in readme
    assert "counted from 1 (the first author is 1)" in readme and "Neo4j\nhas no undirected relationships" in readme
    load = (folder / "load.cypher").read_text(encoding="utf-8")
    assert ("// CO_AUTHOR is undirected: one relationship per pair, from the smaller id to the larger,\n"
            "// whose direction means nothing: match it as (a)-[:CO_AUTHOR]-(b)\n"
            "LOAD CSV WITH HEADERS FROM 'file:///rels_CO_AUTHOR.csv'") in load
    # the documented queries match the symmetric relationships without a direction
    for query in CYPHER_QUERIES:
        assert "[c:CO_AUTHOR]->" not in query.text and "[c:CO_OCCURS]->" not in query.text


def test_load_cypher_loads_every_file_in_batches(fixture_corpus, tmp_path):
    written = write_neo4j(fixture_corpus, tmp_path)
    folder = tmp_path / "neo4j"
    assert {p.split("/")[-1] for p in written} >= {"load.cypher", "constraints.cypher", "README.md", "queries.cypher"}
    load = (folder / "load.cypher").read_text(encoding="utf-8")
    loaded = re.findall(r"LOAD CSV WITH HEADERS FROM 'file:///([^']+)' AS row", load)
    assert sorted(loaded) == sorted(p.name for p in folder.glob("*.csv"))
    assert load.count("CALL {") == load.count("} IN TRANSACTIONS OF 10000 ROWS;") == len(loaded)
    assert load.count("{") == load.count("}")
    for label in NODE_COUNTS:
        assert f"CREATE CONSTRAINT {label.lower()}_id IF NOT EXISTS FOR (n:{label}) REQUIRE n.id IS UNIQUE;" in load
    assert "CREATE INDEX author_name IF NOT EXISTS FOR (n:Author) ON (n.name);" in load
    assert "split(row.`lang:string[]`, ';')" in load and "toInteger(row.`year:int`)" in load
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "neo4j-admin database import full \\\n" in readme and readme.count(" \\\n  neo4j\n```") == 1
    for name in loaded:
        assert f"={name}" in readme  # every file is on the import command line
    assert "cypher-shell -u neo4j -p PASSWORD -f load.cypher" in readme
    for query in CYPHER_QUERIES:  # the documented queries are the ones run on LadybugDB in test_ladybug
        assert query.text in readme and query.text in (folder / "queries.cypher").read_text(encoding="utf-8")


def test_hostile_values_survive_the_csv_module_neutralised(tmp_path):
    write_neo4j(hostile_corpus(), tmp_path)
    folder = tmp_path / "neo4j"
    validate_export(folder)
    _, papers = read_csv(folder / "nodes_Paper.csv")
    [paper] = papers
    assert paper["title"] == "'" + HOSTILE_TITLE  # formula neutralised, quotes, commas and line breaks intact
    assert paper["title"].startswith("'=HYPERLINK(")
    _, authors = read_csv(folder / "nodes_Author.csv")
    assert "'" + HOSTILE_AUTHOR in {a["name"] for a in authors}
    _, topics = read_csv(folder / "nodes_Topic.csv")
    assert "'-topic with, comma; semicolon | pipe" in {t["name"] for t in topics}
    # a source file name holds ";", so arrays are joined with "|" and every script says so
    assert paper["sources:string[]"] == f"{HOSTILE_SOURCE}:3"
    assert paper["lang:string[]"] == "en"
    assert "split(row.`sources:string[]`, '|')" in (folder / "load.cypher").read_text(encoding="utf-8")
    _, tasks = read_csv(folder / "nodes_Task.csv")
    assert [(t["name"], t["aliases:string[]"]) for t in tasks] == [("'" + HOSTILE_CSV_TASK, f"'{HOSTILE_CSV_ALIAS}|'@other")]
    _, metrics = read_csv(folder / "nodes_Metric.csv")
    assert [(m["name"], m["aliases:string[]"]) for m in metrics] == [("'+F1", "F-score")]
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert '--array-delimiter="|"' in readme and "--multiline-fields=true" in readme
    # no cell a spreadsheet would run
    for path in folder.glob("*.csv"):
        _, rows = read_csv(path)
        for row in rows:
            for field, cell in row.items():
                if not re.search(r":(int|double|boolean)$", field):
                    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), (path.name, field, cell)


def test_targets_are_registered_and_output_is_deterministic(tmp_path):
    assert {"neo4j", "ladybug", "ladybug-db", "graphml", "gexf", "vosviewer"} <= set(exporter_names())
    corpus = hostile_corpus()
    first = export("neo4j", corpus, tmp_path / "a")
    second = export("neo4j", corpus, tmp_path / "b")
    assert Counter(p.split("/")[-1] for p in first) == Counter(p.split("/")[-1] for p in second)
    for a in first:
        b = a.replace(str(tmp_path / "a"), str(tmp_path / "b"))
        assert Path(a).read_bytes() == Path(b).read_bytes(), a


@pytest.mark.parametrize("target, expected", [
    ("neo4j", "neo4j/load.cypher"), ("ladybug", "ladybug/copy.cypher"), ("ladybug-db", "ladybug/graph.lbdb"),
    ("graphml", "graph.graphml"), ("gexf", "graph.gexf"), ("vosviewer", "collaboration.vosviewer.json"),
])
def test_kg_export_command_writes_each_target(fixture_folder, tmp_path, target, expected):
    from click.testing import CliRunner

    from kg.cli import cli

    result = CliRunner().invoke(cli, ["export", target, "--graph", str(fixture_folder), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / expected).is_file()
    assert str(tmp_path / expected) in result.output
