"""Property-graph tables and their CSVs: the column-at-a-time paths give what the row-by-row rules do."""

import networkx as nx
import pytest

import kg.export.property_graph as pg
from kg.export.property_graph import (
    Column,
    NodeTable,
    RelTable,
    choose_array_delimiter,
    format_cell,
    generate_tables,
    write_csv,
    write_table_csv,
)
from kg.graph.build import build_graph

from .hostile import hostile_corpus

HOSTILE_CELLS = ["plain", "=1+1", "+x", "-y", "@z", "\tt", "\rr", "'q", 'a "quoted", comma', "line\nbreak",
                 "cr\ralone", "crlf\r\nend", "", "a;b|c", "\x1fus", "é \U0001F600"]


def _table(rows, kinds, rel=False):
    columns = tuple(Column(f"c{i}", kind) for i, kind in enumerate(kinds))
    return RelTable("R", "A", "B", columns, tuple(rows)) if rel else NodeTable("N", columns, tuple(rows))


def _row_by_row(table, delimiter, constant):
    keys = 1 if isinstance(table, NodeTable) else 2
    for row in table.rows:
        cells = [format_cell(v, "string") for v in row[:keys]]
        if constant is not None:
            cells.append(constant)
        yield cells + [format_cell(v, c.kind, delimiter) for v, c in zip(row[keys:], table.columns, strict=True)]


@pytest.mark.parametrize("batch", [1, 3, 2000])
@pytest.mark.parametrize("constant", [None, "LABEL"])
def test_table_csv_is_write_csv_of_the_cells_row_by_row(tmp_path, monkeypatch, batch, constant):
    monkeypatch.setattr(pg, "_CSV_BATCH", batch)
    shared = ("x.txt:1", "y.txt:2")
    rows = [(f"id{i}", f"end{i}", text, i, i / 3, i % 2 == 0, shared, (text, "ok"), None)
            for i, text in enumerate(HOSTILE_CELLS)]
    rows += [("plain", "plain", "text", None, None, None, shared, (), None)] * 5  # batches that need no quoting
    rows += [(7, "-end", 3, True, 2, 0, ["a", 1], "ab", ("z",))]  # values not of their column's type
    kinds = ["string", "int", "float", "bool", "string[]", "string[]", "string[]"]
    for rel in (False, True):
        table = _table([r if rel else r[1:] for r in rows], kinds, rel)
        for delimiter in (";", "|", "\x1f"):
            fast = write_table_csv(tmp_path / "fast.csv", ["h", "e,ader"], table, delimiter, constant)[1]
            slow = write_csv(tmp_path / "slow.csv", ["h", "e,ader"], _row_by_row(table, delimiter, constant))[1]
            assert (tmp_path / "fast.csv").read_bytes() == (tmp_path / "slow.csv").read_bytes()
            assert fast == slow is True  # the line breaks inside cells are seen either way


def test_plain_rows_are_joined_as_the_csv_writer_writes_them(tmp_path):
    table = _table([(f"id{i}", "a b", i) for i in range(10)], ["string", "int"])
    assert write_table_csv(tmp_path / "t.csv", ["id", "a", "b"], table)[1] is False
    assert (tmp_path / "t.csv").read_text(encoding="utf-8").splitlines()[1] == "id0,a b,0"


def test_generate_tables_types_values_as_the_columns_say():
    graph = build_graph(hostile_corpus())
    shared = ["s.txt:1"]
    graph.add_node("topic:z", type="Topic", label="Z", paper_count=2, sources=shared, extra=1)
    graph.add_node("topic:y", type="Topic", label=5, paper_count=1.5, sources="one.txt:1", extra="x")
    graph.add_edge("topic:y", "topic:z", key="CO_OCCURS", weight=2, papers=["p"], sources=shared)
    nodes, rels = generate_tables(graph)
    topics = next(t for t in nodes if t.label == "Topic")
    kinds = {c.name: c.kind for c in topics.columns}
    assert kinds["name"] == "string" and kinds["paper_count"] == "float" and kinds["extra"] == "string"
    row = dict(zip(["id", *(c.name for c in topics.columns)], next(r for r in topics.rows if r[0] == "topic:y")))
    assert row["name"] == "5" and row["paper_count"] == 1.5 and row["sources"] == ("one.txt:1",) and row["extra"] == "x"
    row = dict(zip(["id", *(c.name for c in topics.columns)], next(r for r in topics.rows if r[0] == "topic:z")))
    assert row["paper_count"] == 2.0 and isinstance(row["paper_count"], float) and row["extra"] == "1"
    assert [r[0] for r in topics.rows] == sorted(r[0] for r in topics.rows)
    co = next(t for t in rels if t.type == "CO_OCCURS")
    assert [(r[0], r[1]) for r in co.rows] == sorted((r[0], r[1]) for r in co.rows)
    # another graph class goes through networkx's views, to the same tables
    class Graph(nx.MultiDiGraph):
        pass

    assert generate_tables(Graph(graph)) == (nodes, rels)


def test_choose_array_delimiter_looks_at_every_element():
    table = _table([("a", ("x", "y;z")), ("b", None), ("c", ())], ["string[]"])
    assert choose_array_delimiter([table]) == "|"
    table = _table([("a", ("x;", "|y")), ("b", ("\x1f",))], ["string[]"])
    assert choose_array_delimiter([table]) == "\x1f"
    assert choose_array_delimiter([_table([("a", ("x",))], ["string[]"])]) == ";"
