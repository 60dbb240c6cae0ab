"""LadybugDB export, proven by loading it into a real LadybugDB and running Cypher."""

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import real_ladybug as lb

from kg.errors import KgError
from kg.export import export
from kg.export.ladybug import (
    CSV_OPTIONS,
    DATABASE_FILE,
    STAMP_SUFFIX,
    create_ladybug_database,
    database_state,
    keep_databases,
    write_ladybug,
)
from kg.export.property_graph import CYPHER_QUERIES

from ..fixtures.corpus import BYLINE, DAI, EDGE_COUNTS, FSS, HOSTILE_ALIAS, HOSTILE_TASK, KN, NODE_COUNTS
from .hostile import (
    HOSTILE_ALIAS as HOSTILE_CSV_ALIAS,
    HOSTILE_AUTHOR,
    HOSTILE_SOURCE,
    HOSTILE_TASK as HOSTILE_CSV_TASK,
    HOSTILE_TITLE,
    hostile_corpus,
)

POOL = 256 * 1024 * 1024  # keep test databases small


def rows(conn, query, params=None):
    result = conn.execute(query, params or {})
    out = []
    while result.has_next():
        out.append(result.get_next())
    return out


def open_db(path):
    return lb.Connection(lb.Database(str(path), read_only=True, buffer_pool_size=POOL))


@pytest.fixture(scope="module")
def fixture_db(fixture_corpus, tmp_path_factory):
    out = tmp_path_factory.mktemp("ladybug")
    written = export("ladybug-db", fixture_corpus, out)
    db = out / "ladybug" / DATABASE_FILE
    assert str(db) in written and db.is_file()
    return out, open_db(db)


def test_node_and_relationship_counts_equal_the_graph(fixture_db):
    _, conn = fixture_db
    for label, count in NODE_COUNTS.items():
        assert rows(conn, f"MATCH (n:{label}) RETURN count(n)") == [[count]]
    for rel, count in EDGE_COUNTS.items():
        assert rows(conn, f"MATCH ()-[r:{rel}]->() RETURN count(r)") == [[count]]


def test_coauthors_of_d_dai_with_the_documented_query(fixture_corpus, fixture_db, tmp_path):
    out, conn = fixture_db
    query = next(q for q in CYPHER_QUERIES if q.name == "coauthors")
    # the very text documented for Neo4j (README.md, queries.cypher) runs unchanged on LadybugDB
    export("neo4j", fixture_corpus, tmp_path)
    for doc in (tmp_path / "neo4j" / "README.md", tmp_path / "neo4j" / "queries.cypher",
                out / "ladybug" / "README.md", out / "ladybug" / "queries.cypher"):
        assert query.text in doc.read_text(encoding="utf-8"), doc
    result = rows(conn, query.text, {"author": "D Dai"})
    assert result == [["L Dong", 1], ["W Wang", 1], ["Y Hao", 1]]


def test_every_documented_query_runs(fixture_db):
    """Each query with its documented example parameters (D Dai, knowledge neuron, Peking University)."""
    _, conn = fixture_db
    answers = {q.name: rows(conn, q.text, q.params) for q in CYPHER_QUERIES}
    assert answers["author-papers"] == [[FSS, "Few-shot semantic segmentation with a cross-modal transformer", 2022, 2],
                                        [KN, "Knowledge neurons in pretrained transformers", 2021, 1]]
    assert answers["institution-collaborators"] == [["Microsoft", 1], ["NAVER AI Lab", 1]]
    assert answers["top-topics"][:2] == [["segmentation", 2], ["transformer", 2]] and len(answers["top-topics"]) == 7
    assert answers["related-topics"] == [["language model", 1], ["transformer", 1]]
    assert answers["methods-for-task"] == [["CMT", 1], ["Transformer", 1]]  # "semantic segmentation"
    assert rows(conn, next(q for q in CYPHER_QUERIES if q.name == "methods-for-task").text, {"task": "transfer learning"}) == [
        ["Transformer", 2], ["CMT", 1], ["KN", 1]]
    assert answers["papers-with-code"] == [
        [KN, "Knowledge neurons in pretrained transformers", "https://github.com/example/knowledge-neurons"],
        [FSS, "Few-shot semantic segmentation with a cross-modal transformer", "https://github.com/example/cmt/tree/main/src"]]


def test_positions_count_from_1(fixture_db):
    """Fixture paper KN: D Dai first, position 1."""
    _, conn = fixture_db
    byline = rows(conn, f"MATCH (p:Paper {{id: '{KN}'}})-[r:HAS_AUTHOR]->(a:Author) RETURN r.position, a.name ORDER BY r.position")
    assert byline == [[k, name] for k, name in enumerate(BYLINE[KN], 1)]
    assert rows(conn, f"MATCH (p:Paper)-[r:HAS_AUTHOR]->(a:Author {{id: '{DAI}'}}) RETURN p.id, r.position ORDER BY p.id") == [
        [KN, 1], [FSS, 2]]
    assert rows(conn, "MATCH ()-[r:HAS_AUTHOR]->() RETURN min(r.position)") == [[1]]


def test_typed_columns_and_arrays(fixture_db):
    _, conn = fixture_db
    [[year, lang, sources]] = rows(conn, f"MATCH (p:Paper {{id: '{KN}'}}) RETURN p.year, p.lang, p.sources")
    assert year == 2021 and lang == ["en", "zh"] and sources == ["digest.txt:1", "feed.txt:3"]
    weights = rows(conn, "MATCH ()-[r:HAS_TOPIC]->() RETURN r.weight, r.rank")
    assert all(isinstance(w, float) and isinstance(rank, int) for w, rank in weights)
    assert rows(conn, "MATCH (i:Institution {id: 'institution:naver-ai-lab'}) RETURN i.matched, i.ror_id") == [[False, None]]


def test_typed_entities_load_with_aliases_and_via(fixture_db):
    _, conn = fixture_db
    assert rows(conn, "MATCH (t:Task) RETURN t.name, t.aliases, t.paper_count ORDER BY t.id")[:3] == [
        ["few-shot semantic segmentation", ["FSS"], 1], ["image segmentation", ["图像分割"], 1],
        ["knowledge attribution", None, 1]]
    assert rows(conn, "MATCH (t:Task {name: 'transfer learning'}) RETURN t.aliases") == [[["TL", "knowledge transfer"]]]
    assert rows(conn, "MATCH (p:Paper)-[r:ADDRESSES_TASK]->(t:Task) WHERE r.via = 'title' RETURN p.id, t.name ORDER BY p.id") == [
        [FSS, "few-shot semantic segmentation"], ["arxiv:2203.00003", HOSTILE_TASK]]
    assert rows(conn, "MATCH (p:Paper)-[r:USES_METRIC]->(m:Metric) RETURN p.id, m.name, m.aliases, r.via ORDER BY p.id") == [
        [FSS, "mIoU", ["mean intersection over union"], "mentioned"],
        ["arxiv:2203.00003", "F1", ["F-score", HOSTILE_ALIAS], "mentioned"]]
    assert rows(conn, "MATCH ()-[r:USES_METHOD]->() RETURN r.via, count(r) ORDER BY r.via") == [["defined", 3], ["mentioned", 2]]


def test_hostile_values_load_into_ladybug(tmp_path):
    written = write_ladybug(hostile_corpus(), tmp_path)
    folder = tmp_path / "ladybug"
    assert str(folder / "schema.cypher") in written
    copy = (folder / "copy.cypher").read_text(encoding="utf-8")
    assert f"FROM 'nodes_Paper.csv' ({CSV_OPTIONS}, PARALLEL=false)" in copy  # the title holds a line break
    assert "string_split(`sources`, '|')" in copy  # a file name holds ";"
    db = create_ladybug_database(tmp_path, tmp_path / "h.lbdb", buffer_pool_size=POOL)
    conn = open_db(db)
    [[title, sources]] = rows(conn, "MATCH (p:Paper) RETURN p.title, p.sources")
    assert title == "'" + HOSTILE_TITLE and sources == [f"{HOSTILE_SOURCE}:3"]
    names = {name for [name] in rows(conn, "MATCH (a:Author) RETURN a.name")}
    assert names == {"'" + HOSTILE_AUTHOR, "R P. Adams"}
    assert rows(conn, "MATCH (:Paper)-[r:HAS_AUTHOR]->(a:Author) RETURN r.position ORDER BY r.position") == [[1], [2]]
    # a task name and aliases that start like formulas, hold ";" (the array delimiter is "|") and a line break
    assert rows(conn, "MATCH (:Paper)-[r:ADDRESSES_TASK]->(t:Task) RETURN t.name, t.aliases, r.via") == [
        ["'" + HOSTILE_CSV_TASK, ["'" + HOSTILE_CSV_ALIAS, "'@other"], "title"]]


def test_database_is_replaced_and_missing_scripts_are_reported(tmp_path, caplog):
    write_ladybug(hostile_corpus(), tmp_path)
    target = tmp_path / "x.lbdb"
    target.write_bytes(b"not a database")
    create_ladybug_database(tmp_path / "ladybug", target, buffer_pool_size=POOL)
    assert rows(open_db(target), "MATCH (p:Paper) RETURN count(p)") == [[1]]
    assert not list(tmp_path.glob(".x.lbdb*"))
    # the file kg did not write is kept aside, and one warning names it
    assert (tmp_path / "x.lbdb.bak-1").read_bytes() == b"not a database"
    assert [r.getMessage() for r in caplog.records] == [f"{target} was not written by kg: kept as {target}.bak-1"]
    with pytest.raises(KgError, match="kg export ladybug"):
        create_ladybug_database(tmp_path / "nowhere", tmp_path / "y.lbdb")


def test_tables_memo_shares_one_graphs_tables_and_lets_go_after(fixture_corpus, fixture_graph, tmp_path):
    """Inside tables_memo, Neo4j and LadybugDB get the same table objects for one graph; the files
    are those each writes alone; outside, every call computes its own."""
    from kg.export.property_graph import graph_tables, tables_memo
    from kg.graph.build import build_graph

    graph = fixture_graph
    alone = {t: export(t, fixture_corpus, tmp_path / "alone", graph=graph) for t in ("neo4j", "ladybug")}
    with tables_memo():
        first = graph_tables(graph)
        assert graph_tables(graph) is first
        assert graph_tables(build_graph(fixture_corpus)) is not first  # another graph, its own tables
        shared = {t: export(t, fixture_corpus, tmp_path / "shared", graph=graph) for t in ("neo4j", "ladybug")}
    assert graph_tables(graph) is not first
    for target, paths in alone.items():
        for a, b in zip(paths, shared[target]):
            assert open(a, "rb").read() == open(b, "rb").read(), b


# --- a database a user may have loaded and edited is never deleted silently --------------------------

def _kg_database(folder, corpus=None):
    """write_ladybug + create_ladybug_database into `folder`/ladybug; the database path."""
    write_ladybug(corpus or hostile_corpus(), folder)
    return Path(create_ladybug_database(folder / "ladybug", folder / "ladybug" / DATABASE_FILE, buffer_pool_size=POOL))


def _edit(db):
    """What a user does: open the database read-write and add a node."""
    database = lb.Database(str(db), buffer_pool_size=POOL)
    conn = lb.Connection(database)
    conn.execute("CREATE (:Topic {id: 'topic:my own', name: 'my own'})")
    conn.close()
    database.close()


def _topics(db):
    database = lb.Database(str(db), read_only=True, buffer_pool_size=POOL)
    conn = lb.Connection(database)
    names = sorted(name for [name] in rows(conn, "MATCH (t:Topic) RETURN t.name"))
    conn.close()
    database.close()
    return names


def test_database_state_and_digest_record(tmp_path):
    db = _kg_database(tmp_path)
    stamp = db.with_name(DATABASE_FILE + STAMP_SUFFIX)
    # sha256sum's format: `sha256sum -c graph.lbdb.sha256` checks it
    assert stamp.read_text(encoding="ascii") == f"{hashlib.sha256(db.read_bytes()).hexdigest()}  {DATABASE_FILE}\n"
    assert database_state(db) == "kg"
    assert database_state(tmp_path / "none.lbdb") == "missing"
    _topics(db)  # opened read-only: unchanged
    assert database_state(db) == "kg"
    db.with_name(DATABASE_FILE + ".wal").write_bytes(b"")  # open for writing elsewhere
    assert database_state(db) == "changed"
    db.with_name(DATABASE_FILE + ".wal").unlink()
    _edit(db)
    assert database_state(db) == "changed"
    stamp.unlink()
    assert database_state(db) == "foreign"


def test_export_replaces_its_own_database_silently_and_keeps_an_edited_one(tmp_path, caplog):
    db = _kg_database(tmp_path)
    before = _topics(db)
    _kg_database(tmp_path)  # unchanged since kg wrote it: replaced, nothing said
    assert caplog.records == [] and sorted(p.name for p in db.parent.glob("graph.lbdb*")) == ["graph.lbdb", "graph.lbdb.sha256"]
    _edit(db)
    written = export("ladybug-db", hostile_corpus(), tmp_path)
    assert str(db) in written and str(db) + STAMP_SUFFIX in written
    assert [r.getMessage() for r in caplog.records] == [f"{db} changed since kg wrote it: kept as {db}.bak-1"]
    assert caplog.records[0].levelname == "WARNING" and caplog.records[0].name == "kg.export.ladybug"
    assert _topics(db.with_name("graph.lbdb.bak-1")) == sorted([*before, "my own"])  # the edit is kept
    assert _topics(db) == before and database_state(db) == "kg"
    caplog.clear()
    _edit(db)
    _kg_database(tmp_path)
    assert [r.getMessage() for r in caplog.records] == [f"{db} changed since kg wrote it: kept as {db}.bak-2"]
    assert sorted(p.name for p in db.parent.glob("graph.lbdb*")) == [
        "graph.lbdb", "graph.lbdb.bak-1", "graph.lbdb.bak-2", "graph.lbdb.sha256"]


def _commit(old, new):
    """What kg build's commit does with a staged folder: keep_databases, then the new folder replaces the old."""
    lines = keep_databases(old, new)
    shutil.rmtree(old)
    os.replace(new, old)
    return lines


def test_rebuild_keeps_an_edited_or_foreign_database_and_earlier_backups(tmp_path, caplog):
    out, stage = tmp_path / "out", tmp_path / "stage"
    db = _kg_database(out)
    _kg_database(stage)
    assert _commit(out / "ladybug", stage / "ladybug") == [] and caplog.records == []  # unchanged: replaced silently
    assert sorted(p.name for p in (out / "ladybug").glob("graph.lbdb*")) == ["graph.lbdb", "graph.lbdb.sha256"]
    _edit(db)
    _kg_database(stage)
    line = f"{db} changed since kg wrote it: kept as {db}.bak-1"
    assert _commit(out / "ladybug", stage / "ladybug") == [line]
    assert [r.getMessage() for r in caplog.records] == [line]
    assert "my own" in _topics(out / "ladybug" / "graph.lbdb.bak-1") and "my own" not in _topics(db)
    # a database kg did not write (no digest record), with an earlier backup beside it
    db.with_name(DATABASE_FILE + STAMP_SUFFIX).unlink()
    _kg_database(stage)
    assert _commit(out / "ladybug", stage / "ladybug") == [f"{db} was not written by kg: kept as {db}.bak-2"]
    assert sorted(p.name for p in (out / "ladybug").glob("graph.lbdb*")) == [
        "graph.lbdb", "graph.lbdb.bak-1", "graph.lbdb.bak-2", "graph.lbdb.sha256"]
    assert "my own" in _topics(out / "ladybug" / "graph.lbdb.bak-1")


def test_rebuild_without_a_database_says_it_removed_the_unchanged_one(tmp_path):
    out, stage = tmp_path / "out", tmp_path / "stage"
    db = _kg_database(out)
    write_ladybug(hostile_corpus(), stage)  # target `ladybug`: no database
    assert _commit(out / "ladybug", stage / "ladybug") == [
        f"removed {db}: made from the previous graph and unchanged since; "
        "this build wrote no database (`kg export ladybug-db` makes one)"]
    assert not list((out / "ladybug").glob("graph.lbdb*"))
    assert keep_databases(tmp_path / "nowhere", stage / "ladybug") == []


def test_build_commit_keeps_an_edited_database(tmp_path, caplog):
    from kg.build import BuildDir

    out, stage = tmp_path / "out", tmp_path / "stage"
    db = _kg_database(out)
    _edit(db)
    _kg_database(stage)
    BuildDir(out).commit(BuildDir(stage), [])
    assert [r.getMessage() for r in caplog.records] == [f"{db} changed since kg wrote it: kept as {db}.bak-1"]
    assert "my own" in _topics(out / "ladybug" / "graph.lbdb.bak-1")


def test_kg_export_prints_one_line_naming_the_kept_database(fixture_folder, tmp_path):
    """The command as a user runs it: no logging configured, the warning is one plain line on stderr."""
    kg = Path(sys.executable).with_name("kg")
    command = [str(kg), "export", "ladybug-db", "--graph", str(fixture_folder), "--out", str(tmp_path)]
    db = tmp_path / "ladybug" / DATABASE_FILE
    first = subprocess.run(command, capture_output=True, text=True, check=True)
    assert first.stderr.splitlines()[0].startswith("wrote ")
    _edit(db)
    second = subprocess.run(command, capture_output=True, text=True, check=True)
    assert second.stderr.splitlines()[0] == f"{db} changed since kg wrote it: kept as {db}.bak-1"
    assert second.stderr.splitlines()[1].startswith("wrote ") and len(second.stderr.splitlines()) == 2
