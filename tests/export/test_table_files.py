"""kg.export.table_files: the Neo4j and LadybugDB CSVs written item by item through kg.export.fragments
are the bytes of the table writers (graph_tables, write_table_csv); an update renders only the rows
whose node (or start node's edges) changed, a table whose context changed whole, and an index that
is missing, stale or damaged serves nothing."""

from __future__ import annotations

import os

import pytest

from kg.export import fragments, table_files
from kg.export.fragments import fragments_for
from kg.export.ladybug import write_ladybug
from kg.export.neo4j import header_field, write_neo4j
from kg.export.property_graph import graph_tables, tables_memo, write_table_csv
from kg.graph.build import build_graph

from .hostile import hostile_corpus


def _graph(fixture_corpus):
    graph = build_graph(fixture_corpus)
    hostile = build_graph(hostile_corpus())  # quotes, line breaks, formulas, ";" in sources
    graph.add_nodes_from(hostile.nodes(data=True))
    graph.add_edges_from(hostile.edges(keys=True, data=True))
    return graph


def _files(folder) -> dict[str, bytes]:
    return {f"{sub}/{name}": (folder / sub / name).read_bytes()
            for sub in ("neo4j", "ladybug") for name in sorted(os.listdir(folder / sub))}


def _write(graph, folder, previous=None) -> dict[str, bytes]:
    """Both exports of `graph` in `folder`, as a build writes them (indexes in folder/idx)."""
    folder.mkdir()
    with fragments_for(graph, folder, folder / "idx", previous, previous and previous / "idx"), tables_memo():
        write_neo4j(None, folder, graph)
        write_ladybug(None, folder, graph)
    return _files(folder)


def _whole(graph, folder) -> dict[str, bytes]:
    """What the exporters write outside a build: every row rendered, no index."""
    folder.mkdir()
    write_neo4j(None, folder, graph)
    write_ladybug(None, folder, graph)
    assert not (folder / "idx").exists()
    return _files(folder)


def _groups_rows(graph, nodes) -> int:
    """The relationship items of these start nodes: one per type of their out-edges."""
    return sum(len({key for _, _, key in graph.out_edges(u, keys=True)}) for u in nodes)


def test_the_files_are_the_table_writers_bytes(fixture_corpus, tmp_path, rendered):
    graph = _graph(fixture_corpus)
    first = _write(graph, tmp_path / "first")
    assert rendered["rows"] == 2 * (len(graph) + sum(_groups_rows(graph, [u]) for u in graph))
    assert first == _whole(graph, tmp_path / "whole")
    node_tables, rel_tables, delimiter = graph_tables(graph)
    assert delimiter == "|"  # the hostile source name holds a ";"
    for table in node_tables:
        header = [f"id:ID({table.label})", ":LABEL", *(header_field(c) for c in table.columns)]
        write_table_csv(tmp_path / "t.csv", header, table, delimiter, table.label)
        assert first[f"neo4j/nodes_{table.label}.csv"] == (tmp_path / "t.csv").read_bytes()
    for table in rel_tables:
        write_table_csv(tmp_path / "t.csv", ["from_id", "to_id", *(c.name for c in table.columns)], table, delimiter)
        assert first[f"ladybug/rels_{table.type}.csv"] == (tmp_path / "t.csv").read_bytes()
    assert b"PARALLEL=false" in first["ladybug/copy.cypher"]  # the hostile title's line break
    indexes = sorted(os.listdir(tmp_path / "first" / "idx"))
    assert indexes == sorted(f"{name.replace('/', '.')}.idx" for name in first if name.endswith(".csv"))


def _change(graph) -> set:
    """One node's label and one edge's weight changed, an edge removed, and a new node linked from
    an existing one; returns the start nodes whose edges changed."""
    nodes = list(graph)
    graph.nodes[nodes[5]]["label"] = "a new label"
    u, v, key = next((u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if "weight" in d and u != nodes[0])
    graph.edges[u, v, key]["weight"] = 99
    first = next(iter(graph.edges(keys=True)))
    graph.remove_edge(*first)
    graph.add_node("topic:brand new", type="Topic", label="brand new", sources=["new.txt:1"])
    graph.add_edge(nodes[0], "topic:brand new", key="HAS_TOPIC", type="HAS_TOPIC", weight=1.0, sources=["new.txt:1"])
    return {u, first[0], nodes[0]}


@pytest.mark.parametrize("small", [False, True])  # True: reads of one item and batches of 2, many of both
def test_an_update_renders_only_what_changed(fixture_corpus, tmp_path, monkeypatch, rendered, small):
    if small:
        monkeypatch.setattr(fragments, "_COPY_BYTES", 1)
        monkeypatch.setattr(fragments, "_BATCH", 2)
    graph = _graph(fixture_corpus)
    _write(graph, tmp_path / "first")
    changed = _change(graph)
    rendered.clear()
    update = _write(graph, tmp_path / "update", tmp_path / "first")
    rendered_update = dict(rendered)
    # per export: the relabelled node and the new one; every item of the changed groups
    assert rendered_update == {"rows": 2 * (2 + _groups_rows(graph, changed))}
    assert update == _whole(graph, tmp_path / "whole")
    rendered.clear()
    again = _write(graph, tmp_path / "again", tmp_path / "update")  # nothing changed: nothing rendered
    assert rendered == {}
    assert again == update


def test_a_table_whose_columns_change_is_rendered_whole(fixture_corpus, tmp_path, rendered):
    graph = _graph(fixture_corpus)
    _write(graph, tmp_path / "first")
    paper = next(n for n, d in graph.nodes(data=True) if d["type"] == "Paper")
    graph.nodes[paper]["year"] = "MMXXI"  # an int column becomes a string column
    rendered.clear()
    update = _write(graph, tmp_path / "update", tmp_path / "first")
    papers = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "Paper")
    assert rendered == {"rows": 2 * papers}
    assert b"n.year = CASE WHEN row.`year` <> ''" in update["neo4j/load.cypher"]
    assert b"`year` STRING" in update["ladybug/schema.cypher"]
    assert update == _whole(graph, tmp_path / "whole")


@pytest.mark.parametrize("direction", ["away", "back"])
def test_the_delimiter_follows_the_elements_of_every_table(fixture_corpus, tmp_path, rendered, direction):
    """The ";" in the hostile sources makes "|" the delimiter: when the last such element goes (an
    item the update never reads) every table is rendered with ";", and when one comes back with "|"."""
    with_semicolon = _graph(fixture_corpus)
    without = _graph(fixture_corpus)
    for _, data in [*without.nodes(data=True), *((None, d) for *_, d in without.edges(data=True))]:
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = [str(v).replace(";", ",") for v in value]
    before, after = (with_semicolon, without) if direction == "away" else (without, with_semicolon)
    _write(before, tmp_path / "first")
    rendered.clear()
    update = _write(after, tmp_path / "update", tmp_path / "first")
    assert table_files.graph_layout(after).delimiter == graph_tables(after)[2] == (";" if direction == "away" else "|")
    assert rendered == {"rows": 2 * (len(after) + sum(_groups_rows(after, [u]) for u in after))}
    assert update == _whole(after, tmp_path / "whole")


def test_arrays_and_not_arrays_in_one_column_are_read_whole(fixture_corpus, tmp_path, rendered):
    """A string[] column that also holds text: the tags do not see the text's delimiters."""
    graph = _graph(fixture_corpus)
    _write(graph, tmp_path / "first")
    for _, data in [*graph.nodes(data=True), *((None, d) for *_, d in graph.edges(data=True))]:
        for key, value in data.items():
            if isinstance(value, list):
                data[key] = [str(v).replace(";", ",") for v in value]
    graph.add_node("topic:text sources", type="Topic", label="text sources", sources="one;text")
    update = _write(graph, tmp_path / "update", tmp_path / "first")
    assert table_files.graph_layout(graph).delimiter == graph_tables(graph)[2] == "|"  # the text's ";"
    assert update == _whole(graph, tmp_path / "whole")


def test_a_table_of_more_shapes_than_tags_hold(fixture_corpus, tmp_path, monkeypatch, rendered):
    monkeypatch.setattr(table_files, "_SHAPE_BITS", 1)  # no table gets tags: each is read whole, and copied all the same
    graph = _graph(fixture_corpus)
    _write(graph, tmp_path / "first")
    _change(graph)
    update = _write(graph, tmp_path / "update", tmp_path / "first")
    assert update == _whole(graph, tmp_path / "whole")


@pytest.mark.parametrize("case", ["no index", "output edited", "index truncated", "index of another layout", "tags damaged"])
def test_an_index_that_cannot_be_trusted_serves_nothing(fixture_corpus, tmp_path, rendered, case):
    graph = _graph(fixture_corpus)
    _write(graph, tmp_path / "first")
    index = tmp_path / "first" / "idx" / "neo4j.nodes_Paper.csv.idx"
    output = tmp_path / "first" / "neo4j" / "nodes_Paper.csv"
    if case == "no index":
        index.unlink()
    elif case == "output edited":  # in place: same size and inode, another mtime
        status = output.stat()
        with open(output, "r+b") as handle:
            handle.seek(status.st_size - 2)
            handle.write(b"X")
        os.utime(output, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    elif case == "index truncated":
        index.write_bytes(index.read_bytes()[:-30])
    elif case == "index of another layout":
        index.write_bytes(b"[1, 2]" + fragments._MAGIC + (6).to_bytes(8, "little"))
    else:  # tags naming shapes the index does not list: the table's tags are made anew (the file is copied)
        data = bytearray(index.read_bytes())
        data[28:32] = (1 << 31).to_bytes(4, "little")  # the first row's tag
        index.write_bytes(bytes(data))
    rendered.clear()
    after = _write(graph, tmp_path / "update", tmp_path / "first")
    papers = sum(1 for _, d in graph.nodes(data=True) if d["type"] == "Paper")
    # neo4j's Paper table whole (the layout's tags come from LadybugDB's index when neo4j's is gone)
    assert rendered == ({} if case == "tags damaged" else {"rows": papers})
    assert after == _whole(graph, tmp_path / "whole")
