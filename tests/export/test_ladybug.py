"""LadybugDB export, proven by loading it into a real LadybugDB and running Cypher."""

import pytest
import real_ladybug as lb

from kg.errors import KgError
from kg.export import export
from kg.export.ladybug import CSV_OPTIONS, DATABASE_FILE, create_ladybug_database, write_ladybug
from kg.export.property_graph import CYPHER_QUERIES

from .hostile import HOSTILE_AUTHOR, HOSTILE_SOURCE, HOSTILE_TITLE, hostile_corpus

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
def seed_db(seed_build, tmp_path_factory):
    out = tmp_path_factory.mktemp("ladybug")
    written = export("ladybug-db", seed_build.corpus, out)
    db = out / "ladybug" / DATABASE_FILE
    assert str(db) in written and db.is_file()
    return out, open_db(db)


@pytest.mark.model
def test_node_and_relationship_counts_equal_the_graph(seed_build, seed_db):
    _, conn = seed_db
    for label in ("Paper", "Author", "Institution", "Topic"):
        assert rows(conn, f"MATCH (n:{label}) RETURN count(n)") == [[seed_build.report["nodes"][label]]]
    for label, count in seed_build.report["nodes"].items():
        assert rows(conn, f"MATCH (n:{label}) RETURN count(n)") == [[count]]
    for rel, count in seed_build.report["edges"].items():
        assert rows(conn, f"MATCH ()-[r:{rel}]->() RETURN count(r)") == [[count]]


@pytest.mark.model
def test_coauthors_of_d_dai_with_the_documented_query(seed_build, seed_db, tmp_path):
    out, conn = seed_db
    query = next(q for q in CYPHER_QUERIES if q.name == "coauthors")
    # the very text documented for Neo4j (README.md, queries.cypher) runs unchanged on LadybugDB
    export("neo4j", seed_build.corpus, tmp_path)
    for doc in (tmp_path / "neo4j" / "README.md", tmp_path / "neo4j" / "queries.cypher",
                out / "ladybug" / "README.md", out / "ladybug" / "queries.cypher"):
        assert query.text in doc.read_text(encoding="utf-8"), doc
    result = rows(conn, query.text, {"author": "D Dai"})
    assert [name for name, _ in result] == ["B Chang", "F Wei", "L Dong", "Y Hao", "Z Sui"]
    assert all(papers == 1 for _, papers in result)


@pytest.mark.model
def test_every_documented_query_runs(seed_db):
    _, conn = seed_db
    answers = {q.name: rows(conn, q.text, q.params) for q in CYPHER_QUERIES}
    assert answers["author-papers"] == [["arxiv:2104.08696", "Knowledge Neurons in Pretrained Transformers", 2021, 1]]
    assert answers["institution-collaborators"] == [["Microsoft", 1]]
    assert len(answers["top-topics"]) == 20 and answers["related-topics"]
    assert ["arxiv:2104.08696", "Knowledge Neurons in Pretrained Transformers",
            "https://github.com/Hunter-DDM/knowledge-neurons"] in answers["papers-with-code"]


@pytest.mark.model
def test_typed_columns_and_arrays(seed_db):
    _, conn = seed_db
    [[year, lang, sources]] = rows(conn, "MATCH (p:Paper {id: 'arxiv:2104.08696'}) RETURN p.year, p.lang, p.sources")
    assert year == 2021 and lang == ["en", "zh"] and sources == ["seeds/000_25fba04581528bc5.txt:14"]
    weights = rows(conn, "MATCH ()-[r:HAS_TOPIC]->() RETURN r.weight, r.rank")
    assert all(isinstance(w, float) and isinstance(rank, int) for w, rank in weights)
    assert rows(conn, "MATCH (i:Institution {id: 'institution:naver-ai-lab'}) RETURN i.matched, i.ror_id") == [[False, None]]


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
    assert rows(conn, "MATCH (:Paper)-[r:HAS_AUTHOR]->(a:Author) RETURN r.position ORDER BY r.position") == [[0], [1]]


def test_database_is_replaced_and_missing_scripts_are_reported(tmp_path):
    write_ladybug(hostile_corpus(), tmp_path)
    target = tmp_path / "x.lbdb"
    target.write_bytes(b"not a database")
    create_ladybug_database(tmp_path / "ladybug", target, buffer_pool_size=POOL)
    assert rows(open_db(target), "MATCH (p:Paper) RETURN count(p)") == [[1]]
    assert not list(tmp_path.glob(".x.lbdb*"))
    with pytest.raises(KgError, match="kg export ladybug"):
        create_ladybug_database(tmp_path / "nowhere", tmp_path / "y.lbdb")


def test_tables_memo_shares_one_graphs_tables_and_lets_go_after(seed_build, tmp_path):
    """Inside tables_memo, Neo4j and LadybugDB get the same table objects for one graph; the files
    are those each writes alone; outside, every call computes its own."""
    from kg.export.property_graph import graph_tables, tables_memo
    from kg.graph.build import build_graph

    graph = seed_build.graph
    alone = {t: export(t, seed_build.corpus, tmp_path / "alone", graph=graph) for t in ("neo4j", "ladybug")}
    with tables_memo():
        first = graph_tables(graph)
        assert graph_tables(graph) is first
        assert graph_tables(build_graph(seed_build.corpus)) is not first  # another graph, its own tables
        shared = {t: export(t, seed_build.corpus, tmp_path / "shared", graph=graph) for t in ("neo4j", "ladybug")}
    assert graph_tables(graph) is not first
    for target, paths in alone.items():
        for a, b in zip(paths, shared[target]):
            assert open(a, "rb").read() == open(b, "rb").read(), b
