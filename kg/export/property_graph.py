"""The knowledge graph as typed tables for property-graph databases (Neo4j, LadybugDB).

One node table per label and one relationship table per type, with typed columns; CSV cells made
safe for spreadsheets; the example Cypher queries both databases answer the same way.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice

import networkx as nx

from ..graph.schema import EDGE_TYPES, ENTITY_KINDS, NODE_TYPES
from ..util.atomic import atomic_open
from ..util.csvsafe import neutralise

__all__ = [
    "Column",
    "NodeTable",
    "RelTable",
    "CypherQuery",
    "CYPHER_QUERIES",
    "generate_tables",
    "graph_tables",
    "tables_memo",
    "choose_array_delimiter",
    "format_cell",
    "write_csv",
    "write_texts",
]

# Column kinds; each database maps them to its own type names.
KINDS = ("string", "int", "float", "bool", "string[]")

# Declared columns: their order, and their kind when a table is empty. An attribute that build_graph
# adds later and is not listed here is still exported, after these, with its kind inferred.
NODE_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "Paper": (("name", "string"), ("title", "string"), ("arxiv_id", "string"), ("category", "string"),
              ("year", "int"), ("lang", "string[]"), ("url", "string"), ("sources", "string[]")),
    "Author": (("name", "string"), ("paper_count", "int"), ("sources", "string[]")),
    "Institution": (("name", "string"), ("ror_id", "string"), ("matched", "bool"), ("printed", "string[]"),
                    ("paper_count", "int"), ("sources", "string[]")),
    "Topic": (("name", "string"), ("paper_count", "int"), ("sources", "string[]")),
    # Task, Method, Dataset, Metric (kg.graph.schema.ENTITY_KINDS)
    **{k.node: (("name", "string"), ("aliases", "string[]"), ("paper_count", "int"), ("sources", "string[]"))
       for k in ENTITY_KINDS},
    "Code": (("name", "string"), ("url", "string"), ("repository", "string"), ("paper_count", "int"),
             ("sources", "string[]")),
    "Category": (("name", "string"), ("notation", "string"), ("paper_count", "int"), ("sources", "string[]")),
}
REL_COLUMNS: dict[str, tuple[tuple[str, str], ...]] = {
    "HAS_AUTHOR": (("position", "int"), ("printed", "string"), ("sources", "string[]")),
    "HAS_INSTITUTION": (("printed", "string"), ("route", "string"), ("sources", "string[]")),
    "AFFILIATED_WITH": (("weight", "int"), ("papers", "string[]"), ("via", "string"), ("sources", "string[]")),
    "HAS_TOPIC": (("weight", "float"), ("rank", "int"), ("sources", "string[]")),
    # ADDRESSES_TASK, USES_METHOD, USES_DATASET, USES_METRIC: how the paper's link was found
    **{k.edge: (("via", "string"), ("sources", "string[]")) for k in ENTITY_KINDS},
    "HAS_CODE": (("sources", "string[]"),),
    "IN_CATEGORY": (("sources", "string[]"),),
    "CO_AUTHOR": (("weight", "int"), ("papers", "string[]"), ("sources", "string[]")),
    "CO_OCCURS": (("weight", "int"), ("papers", "string[]"), ("sources", "string[]")),
}
# graph attribute → column name: `label` (the display name) becomes `name`, which Neo4j Browser and
# LadybugDB Explorer show as the caption; `type` is the node label / relationship type itself.
_RENAMED = {"label": "name"}
_DROPPED = {"type"}
_SOURCE_KEY = {v: k for k, v in _RENAMED.items()}

_DELIMITERS = (";", "|", "\x1f")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # one of KINDS


@dataclass(frozen=True)
class NodeTable:
    """Nodes of one label: rows are (id, *values in column order)."""

    label: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]


@dataclass(frozen=True)
class RelTable:
    """Relationships of one type from `start` nodes to `end` nodes: rows are (start id, end id, *values)."""

    type: str
    start: str
    end: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]


def _kind(value) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, (list, tuple, set)):
        return "string[]"
    return "string"


def _merge_kind(a: str | None, b: str) -> str:
    if a is None or a == b:
        return b
    if {a, b} == {"int", "float"}:
        return "float"
    if "string[]" in (a, b):
        return "string[]"
    return "string"


_KIND_OF_TYPE = {str: "string", bool: "bool", int: "int", float: "float", list: "string[]", tuple: "string[]", set: "string[]"}


def _columns(declared, records: Iterable[dict]) -> tuple[Column, ...]:
    # the distinct (attribute, kind) pairs first, then one merge per column: the merge does not
    # depend on the order the kinds are met in, and a table has millions of values
    pairs = set()
    for data in records:
        for key, value in data.items():
            if value is not None:
                pairs.add((key, _KIND_OF_TYPE.get(type(value)) or _kind(value)))
    kinds: dict[str, str | None] = {name: None for name, _ in declared}
    for key, kind in sorted(pairs):
        if key not in _DROPPED:
            name = _RENAMED.get(key, key)
            kinds[name] = _merge_kind(kinds.get(name), kind)
    default = dict(declared)
    ordered = [name for name, _ in declared] + sorted(set(kinds) - set(default))
    return tuple(Column(name, kinds[name] or default.get(name, "string")) for name in ordered)


def _values(columns: tuple[Column, ...]):
    """A function giving a record's values in column order, typed as the columns say."""
    getters = [(_SOURCE_KEY.get(c.name, c.name), c.kind) for c in columns]

    def values(data: dict) -> tuple:
        out = []
        for key, kind in getters:
            value = data.get(key)
            if value is None:
                pass
            elif kind == "string[]":
                value = tuple(str(v) for v in (value if isinstance(value, (list, tuple, set)) else [value]))
            elif kind == "float":
                value = float(value)
            elif kind == "string" and not isinstance(value, str):
                value = str(value)
            out.append(value)
        return tuple(out)

    return values


def generate_tables(graph: nx.MultiDiGraph) -> tuple[tuple[NodeTable, ...], tuple[RelTable, ...]]:
    """Split a graph from `kg.graph.build.build_graph` into typed node and relationship tables.

    Every node type and edge type gets a table, empty or not, so a schema never depends on what one
    corpus happens to contain. Rows are sorted by id (nodes) and by (start, end) (relationships).

    Examples
    --------
    >>> from kg.graph.build import build_graph
    >>> from kg.model import Corpus
    >>> nodes, rels = generate_tables(build_graph(Corpus((), (), ())))
    >>> [t.label for t in nodes][:3], nodes[0].columns[0]
    (['Paper', 'Author', 'Institution'], Column(name='name', kind='string'))
    """
    by_label: dict[str, list] = {label: [] for label in NODE_TYPES}
    for nid, data in graph.nodes(data=True):
        by_label.setdefault(data["type"], []).append((nid, data))
    node_tables = []
    for label, items in by_label.items():
        items.sort(key=lambda item: item[0])
        columns = _columns(NODE_COLUMNS.get(label, (("name", "string"),)), (d for _, d in items))
        values = _values(columns)
        rows = tuple((nid, *values(d)) for nid, d in items)
        node_tables.append(NodeTable(label, columns, rows))

    by_type: dict[str, list] = {rel: [] for rel in EDGE_TYPES}
    for u, v, key, data in graph.edges(keys=True, data=True):
        by_type.setdefault(key, []).append((u, v, data))
    rel_tables = []
    for rel, items in by_type.items():
        if rel in EDGE_TYPES:
            start, end = EDGE_TYPES[rel]
        else:  # a relation build_graph adds later: its endpoint types are in the graph
            start, end = graph.nodes[items[0][0]]["type"], graph.nodes[items[0][1]]["type"]
        items.sort(key=lambda item: (item[0], item[1]))
        columns = _columns(REL_COLUMNS.get(rel, ()), (d for _, _, d in items))
        values = _values(columns)
        rows = tuple((u, v, *values(d)) for u, v, d in items)
        rel_tables.append(RelTable(rel, start, end, columns, rows))
    return tuple(node_tables), tuple(rel_tables)


_MEMO: dict[int, tuple] | None = None  # graph id → (graph, graph_tables(graph)), inside `tables_memo`


@contextmanager
def tables_memo():
    """Within it, `graph_tables` computes a graph's tables once: kg build writes Neo4j and LadybugDB
    from the same unchanged graph (making the tables takes seconds on a big corpus). The graph must not change
    while the memo is open; the tables are released when it closes."""
    global _MEMO
    outer, _MEMO = _MEMO, ({} if _MEMO is None else _MEMO)
    try:
        yield
    finally:
        if outer is None:
            _MEMO = None


def graph_tables(graph: nx.MultiDiGraph) -> tuple[tuple[NodeTable, ...], tuple[RelTable, ...], str]:
    """generate_tables(graph) and the array delimiter its values allow (choose_array_delimiter)."""
    if _MEMO is not None and id(graph) in _MEMO and _MEMO[id(graph)][0] is graph:
        return _MEMO[id(graph)][1]
    node_tables, rel_tables = generate_tables(graph)
    result = (node_tables, rel_tables, choose_array_delimiter([*node_tables, *rel_tables]))
    if _MEMO is not None:
        _MEMO[id(graph)] = (graph, result)  # the graph held too, so its id is not reused
    return result


def choose_array_delimiter(tables: Iterable) -> str:
    """The first of ";", "|", U+001F that no array element contains (";" unless a value forces otherwise).

    >>> t = NodeTable("Paper", (Column("sources", "string[]"),), (("p", ("a;b.txt:1",)),))
    >>> choose_array_delimiter([t])
    '|'
    """
    used: set[str] = set()
    for table in tables:
        offset = 1 if isinstance(table, NodeTable) else 2
        arrays = [i + offset for i, c in enumerate(table.columns) if c.kind == "string[]"]
        for row in table.rows:
            for i in arrays:
                for element in row[i] or ():
                    used.update(d for d in _DELIMITERS if d in element)
    for delimiter in _DELIMITERS:
        if delimiter not in used:
            return delimiter
    return _DELIMITERS[-1]  # format_cell replaces U+001F inside elements


def format_cell(value, kind: str, delimiter: str = ";") -> str:
    """One CSV cell: "" for None, true/false, the shortest exact float, arrays joined, text
    neutralised (kg.util.csvsafe).

    Numbers and booleans are never prefixed (their columns are typed); strings and array elements are.

    >>> format_cell(None, "int"), format_cell(True, "bool"), format_cell(0.1, "float")
    ('', 'true', '0.1')
    >>> format_cell(("en", "zh"), "string[]"), format_cell("+1 idea", "string")
    ('en;zh', "'+1 idea")
    >>> format_cell(("a.txt:1", "-b.txt:2"), "string[]")
    "a.txt:1;'-b.txt:2"
    """
    if value is None:
        return ""
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    if kind == "float":
        return repr(float(value))
    if kind == "string[]":
        if not value:
            return ""
        # each element on its own: a database splits the cell, and every element must undo the same way
        return delimiter.join(neutralise(str(v).replace(delimiter, " ")) for v in value)
    return neutralise(str(value))


def write_csv(path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> tuple[list[str], bool]:
    """Write a UTF-8 CSV (RFC 4180 quoting, "\\n" line ends) atomically; returns ([path], multiline?).

    `multiline` says whether some cell holds a line break (quoted, so the file stays valid): some
    loaders need to be told (neo4j-admin --multiline-fields, LadybugDB PARALLEL=false).
    """
    multiline = False
    with atomic_open(path) as handle:
        for text, breaks in _csv_batches(chain([header], rows)):
            handle.write(text)
            multiline = multiline or breaks
    return [str(path)], multiline


_CSV_BATCH = 2000  # rows per csv.writer call


def _csv_batches(rows: Iterable[Sequence[str]]):
    """(CSV text of a batch of rows, each ending in "\n"; whether a cell holds a line break).

    The writer's own line end is "\r\n" so that it quotes a cell holding a lone "\r" (before
    Python 3.13 it does not when the line end is "\n": the row would split); the line ends are then
    made "\n". When no cell of a batch holds a "\r", every "\r\n" in it is a line end and one
    replace does it; else the batch is redone row by row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
    rows = iter(rows)
    for batch in iter(lambda: list(islice(rows, _CSV_BATCH)), []):
        writer.writerows(batch)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        if text.count("\r") == len(batch):
            yield text.replace("\r\n", "\n"), text.count("\n") > len(batch)
            continue
        lines = []
        for row in batch:
            writer.writerow(row)
            lines.append(buffer.getvalue()[:-2] + "\n")
            buffer.seek(0)
            buffer.truncate()
        yield "".join(lines), any("\r" in line or line.count("\n") > 1 for line in lines)


@dataclass(frozen=True)
class CypherQuery:
    """A read query in the Cypher subset that Neo4j 5 and LadybugDB both run unchanged."""

    name: str
    description: str
    text: str
    params: dict  # example parameters (seeds)


CYPHER_QUERIES: tuple[CypherQuery, ...] = (
    CypherQuery(
        "coauthors", "Co-authors of an author, with the number of papers together.",
        "MATCH (a:Author {name: $author})-[c:CO_AUTHOR]-(b:Author)\n"
        "RETURN b.name AS coauthor, c.weight AS papers\n"
        "ORDER BY papers DESC, coauthor",
        {"author": "D Dai"},
    ),
    CypherQuery(
        "author-papers", "Papers of an author, newest first, with the place in the byline (1 = first).",
        "MATCH (p:Paper)-[r:HAS_AUTHOR]->(a:Author {name: $author})\n"
        "RETURN p.id AS paper, p.title AS title, p.year AS year, r.position AS position\n"
        "ORDER BY year DESC, paper",
        {"author": "D Dai"},
    ),
    CypherQuery(
        "top-topics", "The 20 topics on the most papers.",
        "MATCH (p:Paper)-[:HAS_TOPIC]->(t:Topic)\n"
        "RETURN t.name AS topic, count(p) AS papers\n"
        "ORDER BY papers DESC, topic\n"
        "LIMIT 20",
        {},
    ),
    CypherQuery(
        "related-topics", "Topics that co-occur with a topic among papers' top topics.",
        "MATCH (t:Topic {name: $topic})-[c:CO_OCCURS]-(u:Topic)\n"
        "RETURN u.name AS topic, c.weight AS papers\n"
        "ORDER BY papers DESC, topic\n"
        "LIMIT 20",
        {"topic": "knowledge neuron"},
    ),
    CypherQuery(
        "institution-collaborators", "Institutions listed on the same papers as an institution.",
        "MATCH (i:Institution {name: $institution})<-[:HAS_INSTITUTION]-(p:Paper)-[:HAS_INSTITUTION]->(j:Institution)\n"
        "WHERE j.id <> i.id\n"
        "RETURN j.name AS institution, count(DISTINCT p) AS papers\n"
        "ORDER BY papers DESC, institution",
        {"institution": "Peking University"},
    ),
    CypherQuery(
        "methods-for-task", "Methods used by the papers addressing a task, with the number of such papers.",
        "MATCH (t:Task {name: $task})<-[:ADDRESSES_TASK]-(p:Paper)-[:USES_METHOD]->(m:Method)\n"
        "RETURN m.name AS method, count(DISTINCT p) AS papers\n"
        "ORDER BY papers DESC, method",
        {"task": "semantic segmentation"},
    ),
    CypherQuery(
        "papers-with-code", "Papers that link a code repository.",
        "MATCH (p:Paper)-[:HAS_CODE]->(c:Code)\n"
        "RETURN p.id AS paper, p.title AS title, c.url AS code\n"
        "ORDER BY paper, code",
        {},
    ),
)


def write_texts(folder, texts: dict[str, str]) -> list[str]:
    """Write each named script or README into `folder` atomically; returns the paths written."""
    written = []
    for name, text in texts.items():
        with atomic_open(folder / name) as handle:
            handle.write(text)
        written.append(str(folder / name))
    return written
