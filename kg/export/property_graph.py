"""The knowledge graph as typed tables for property-graph databases (Neo4j, LadybugDB).

One node table per label and one relationship table per type, with typed columns; CSV cells made
safe for spreadsheets; the example Cypher queries both databases answer the same way. The exports
write the tables' files item by item (kg.export.table_files, which makes the same bytes as
`write_table_csv` of `graph_tables`, and on an update copies unchanged rows).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain, islice, repeat
from operator import itemgetter

import networkx as nx

from ..graph.schema import EDGE_TYPES, ENTITY_KINDS, NODE_TYPES
from ..util.atomic import atomic_open
from ..util.csvsafe import FORMULA_PREFIXES, neutralise

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
    "write_table_csv",
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

    @property
    def row_count(self) -> int:
        return len(self.rows)


@dataclass(frozen=True)
class RelTable:
    """Relationships of one type from `start` nodes to `end` nodes: rows are (start id, end id, *values)."""

    type: str
    start: str
    end: str
    columns: tuple[Column, ...]
    rows: tuple[tuple, ...]

    @property
    def row_count(self) -> int:
        return len(self.rows)


def _kind_of_type(kind: type) -> str:
    """The column kind of a value of this type: bool, int, float, string[] (lists, tuples, sets) or
    string (anything else); subclasses count as their base."""
    if issubclass(kind, bool):
        return "bool"
    if issubclass(kind, int):
        return "int"
    if issubclass(kind, float):
        return "float"
    if issubclass(kind, (list, tuple, set)):
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


def _columns(declared, pairs: Iterable[tuple[str, str]]) -> tuple[Column, ...]:
    """The columns of a table from the distinct (attribute, kind) pairs of its records: one merge
    per column, which does not depend on the order the kinds are met in."""
    kinds: dict[str, str | None] = {name: None for name, _ in declared}
    for key, kind in sorted(pairs):
        if key not in _DROPPED:
            name = _RENAMED.get(key, key)
            kinds[name] = _merge_kind(kinds.get(name), kind)
    default = dict(declared)
    ordered = [name for name, _ in declared] + sorted(set(kinds) - set(default))
    return tuple(Column(name, kinds[name] or default.get(name, "string")) for name in ordered)


def infer_columns(declared, records: Sequence[dict]) -> tuple[Column, ...]:
    """The columns of a table whose rows hold `records` (what `_table` gives, without the rows)."""
    keys = set().union(*records) - _DROPPED
    return _columns(declared, {(key, _kind_of_type(kind)) for key in keys
                               for kind in set(map(type, map(dict.get, records, repeat(key)))) if kind is not type(None)})


def _array(value) -> tuple:
    return tuple(map(str, value if isinstance(value, (list, tuple, set)) else [value]))


def _typed(values: list, kind: str) -> list:
    """A column's values (None: missing) typed as its kind says: arrays as tuples of str, floats
    as float, text as str; ints and booleans as they are."""
    if kind == "string[]":
        # build_graph shares equal lists between the nodes and edges of a paper: each list object
        # becomes one tuple, shared by its rows (`values` holds them all meanwhile: ids are stable)
        arrays: dict[int, tuple] = {}
        return [None if v is None else arrays.get(id(v)) or arrays.setdefault(id(v), _array(v)) for v in values]
    if kind == "float":
        return [None if v is None else float(v) for v in values]
    if kind == "string":
        return [v if v is None or isinstance(v, str) else str(v) for v in values]
    return values


def _table(declared, keys: Sequence[Sequence], records: Sequence[dict]) -> tuple[tuple[Column, ...], tuple[tuple, ...]]:
    """The columns of a table whose rows hold `records` (declared ones first), and its rows
    (*keys, *values in column order).

    A column at a time, in C-level steps where there are millions: each attribute's values are
    gathered once, and give both the kinds it has and its column's values."""
    gathered = {key: list(map(dict.get, records, repeat(key))) for key in set().union(*records) if key not in _DROPPED}
    columns = _columns(declared, {(key, _kind_of_type(kind)) for key, values in gathered.items()
                                  for kind in set(map(type, values)) if kind is not type(None)})
    values = []
    for c in columns:
        key = _SOURCE_KEY.get(c.name, c.name)
        column = gathered.pop(key) if key in gathered else list(map(dict.get, records, repeat(key)))
        values.append(_typed(column, c.kind))
    return columns, tuple(zip(*keys, *values))


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
    for label in list(by_label):
        items = by_label.pop(label)  # each table's pairs let go once its rows are made
        items.sort(key=itemgetter(0))
        nids, records = zip(*items) if items else ((), ())
        del items
        columns, rows = _table(NODE_COLUMNS.get(label, (("name", "string"),)), [nids], records)
        node_tables.append(NodeTable(label, columns, rows))

    by_type: dict[str, list] = {rel: [] for rel in EDGE_TYPES}
    multi_di = type(graph) is nx.MultiDiGraph
    if multi_di:  # graph.edges(keys=True, data=True), without the views' steps per edge (read-only)
        for u, nbrs in graph._adj.items():
            for v, keyed in nbrs.items():
                for key, data in keyed.items():
                    (by_type.get(key) or by_type.setdefault(key, [])).append((u, v, data))
    else:
        for u, v, key, data in graph.edges(keys=True, data=True):
            by_type.setdefault(key, []).append((u, v, data))
    rel_tables = []
    for rel in list(by_type):
        items = by_type.pop(rel)
        if rel in EDGE_TYPES:
            start, end = EDGE_TYPES[rel]
        else:  # a relation build_graph adds later: its endpoint types are in the graph
            start, end = graph.nodes[items[0][0]]["type"], graph.nodes[items[0][1]]["type"]
        # a MultiDiGraph has one edge of a key (here: of a table) from u to v: no two (u, v) tie,
        # so the triples sort as their (u, v) do, without a key tuple each
        items.sort(key=None if multi_di else itemgetter(0, 1))
        starts, ends, records = zip(*items) if items else ((), (), ())
        del items
        columns, rows = _table(REL_COLUMNS.get(rel, ()), [starts, ends], records)
        rel_tables.append(RelTable(rel, start, end, columns, rows))
    return tuple(node_tables), tuple(rel_tables)


_MEMO: dict[tuple, tuple] | None = None  # (what, graph id) → (graph, what of the graph), inside `tables_memo`


@contextmanager
def tables_memo():
    """Within it, `graph_tables` computes a graph's tables once, and kg.export.table_files.graph_layout
    their layout: kg build writes Neo4j and LadybugDB from the same unchanged graph (making them takes
    seconds on a big corpus). The graph must not change while the memo is open; what it holds is
    released when it closes."""
    global _MEMO
    outer, _MEMO = _MEMO, ({} if _MEMO is None else _MEMO)
    try:
        yield
    finally:
        if outer is None:
            _MEMO = None


def graph_tables(graph: nx.MultiDiGraph) -> tuple[tuple[NodeTable, ...], tuple[RelTable, ...], str]:
    """generate_tables(graph) and the array delimiter its values allow (choose_array_delimiter)."""
    def make():
        node_tables, rel_tables = generate_tables(graph)
        return node_tables, rel_tables, choose_array_delimiter([*node_tables, *rel_tables])

    return memoized(graph, "tables", make)


def memoized(graph: nx.MultiDiGraph, what: str, make):
    """make(), what of `graph`: inside `tables_memo`, made once per graph."""
    key = (what, id(graph))
    if _MEMO is not None and key in _MEMO and _MEMO[key][0] is graph:
        return _MEMO[key][1]
    result = make()
    if _MEMO is not None:
        _MEMO[key] = (graph, result)  # the graph held too, so its id is not reused
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
        for i, c in enumerate(table.columns):
            if c.kind != "string[]":
                continue
            # each array object once (generate_tables shares them between rows); the elements of a
            # batch of arrays joined by a line break, which no delimiter is, then one search per delimiter
            arrays = list({id(a): a for a in map(itemgetter(i + offset), table.rows) if a}.values())
            for first in range(0, len(arrays), 10000):
                text = "\n".join(chain.from_iterable(arrays[first:first + 10000]))
                used.update(d for d in _DELIMITERS if d in text)
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
        return delimiter.join([neutralise(str(v).replace(delimiter, " ")) for v in value])
    return neutralise(str(value))


def write_csv(path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> tuple[list[str], bool]:
    """Write a UTF-8 CSV (RFC 4180 quoting, "\\n" line ends) atomically; returns ([path], multiline?).

    `multiline` says whether some cell holds a line break (quoted, so the file stays valid): some
    loaders need to be told (neo4j-admin --multiline-fields, LadybugDB PARALLEL=false).
    """
    rows = iter(rows)
    return _write_texts(path, _csv_batches(chain([[header]], iter(lambda: list(islice(rows, _CSV_BATCH)), []))))


def write_table_csv(path, header: Sequence[str], table: NodeTable | RelTable, delimiter: str = ";",
                    constant: str | None = None) -> tuple[list[str], bool]:
    """write_csv of a table: each row's id (start and end ids), then `constant` when given (Neo4j's
    :LABEL or :TYPE, as it is), then its values, every cell made by format_cell.

    The same bytes as write_csv of the rows formatted one by one, made a batch of rows at a time:
    the cells column by column (_format_column), and the batch's CSV text by joining the cells when
    none holds a character the csv writer would quote (_plain_batches)."""
    width = (1 if isinstance(table, NodeTable) else 2) + (constant is not None) + len(table.columns)
    return _write_texts(path, chain(_csv_batches([[header]]),
                                    _plain_batches(_table_cells(table, delimiter, constant), width)))


def _write_texts(path, texts: Iterable[tuple[str, bool]]) -> tuple[list[str], bool]:
    multiline = False
    with atomic_open(path) as handle:
        for text, breaks in texts:
            handle.write(text)
            multiline = multiline or breaks
    return [str(path)], multiline


_CSV_BATCH = 2000  # rows per csv.writer call
_CACHED_ARRAYS = 100_000  # array cells remembered per column (_format_column) before starting afresh
# a cell starting with one of FORMULA_PREFIXES (neutralise changes it), in cells each led by "\n";
# a search for "\n" first, then a check of what follows: much quicker than "^" in MULTILINE mode
_FORMULA_START = re.compile("\n(?:" + "|".join(map(re.escape, FORMULA_PREFIXES)) + ")")


def _table_cells(table: NodeTable | RelTable, delimiter: str, constant: str | None) -> Iterator[list[tuple]]:
    """Batches of the CSV rows of `table` (write_table_csv), every cell a str."""
    keys = 1 if isinstance(table, NodeTable) else 2
    kinds = ["string"] * keys + [c.kind for c in table.columns]
    caches: list[dict[int, str]] = [{} for _ in kinds]
    rows = iter(table.rows)
    for batch in iter(lambda: list(islice(rows, _CSV_BATCH)), []):
        yield row_cells(list(zip(*batch, strict=True)), kinds, keys, delimiter, constant, caches)


def row_cells(values: list[Sequence], kinds: Sequence[str], keys: int, delimiter: str, constant: str | None,
              caches: list[dict[int, str]]) -> list[tuple]:
    """The CSV rows (every cell a str) of rows given as their columns' `values` (the first `keys`
    of them ids), `constant` after the ids when given. `caches`: one dict per column (_format_column)."""
    if len(values) != len(kinds):
        raise ValueError(f"{len(values)} values in a row of {len(kinds)} columns")
    cells: list = [_format_column(v, kind, delimiter, cache) for v, kind, cache in zip(values, kinds, caches)]
    if constant is not None:
        cells.insert(keys, repeat(constant, len(values[0]) if values else 0))
    return list(zip(*cells))


def _format_column(values: Sequence, kind: str, delimiter: str, cache: dict[int, str]) -> Sequence[str]:
    """[format_cell(v, kind, delimiter) for v in values], in as few Python steps per cell as can be.

    Text (and array elements) is looked at a column at a time: joined by line breaks, one search
    tells that no cell starts as a formula, and no element holds the delimiter; then neutralise and
    the delimiter's replacement leave every cell as it is. `cache` keeps the cells of arrays that
    rows share (generate_tables), by the array's id: the table holds them all while it is used."""
    if kind == "string":
        try:
            text = "\n" + "\n".join(values)
        except TypeError:  # a None, or a value not text
            return [neutralise(v) if type(v) is str else format_cell(v, kind) for v in values]
        return [neutralise(v) for v in values] if _FORMULA_START.search(text) else values
    if kind == "int":
        return [str(v) if type(v) is int else format_cell(v, kind) for v in values]
    if kind == "float":
        return [repr(v) if type(v) is float else format_cell(v, kind) for v in values]
    if kind == "bool":
        return ["" if v is None else "true" if v else "false" for v in values]
    if kind == "string[]":
        try:
            text = "\n" + "\n".join(chain.from_iterable(filter(None, values)))
        except TypeError:  # an element not text
            text = None
        if text is not None and delimiter not in text and not _FORMULA_START.search(text):
            return [delimiter.join(v) if v else "" for v in values]
        if len(cache) > _CACHED_ARRAYS:
            cache.clear()
        return [cache.get(id(v)) or cache.setdefault(id(v), format_cell(v, kind, delimiter)) for v in values]
    return [format_cell(v, kind, delimiter) for v in values]


_DELIMITER, _QUOTE, _LINE_END = ",", '"', "\r\n"


def _csv_writer(buffer):
    """The writer of every CSV here. Its line end is "\\r\\n" so that it quotes a cell holding a
    lone "\\r" (before Python 3.13 it does not when the line end is "\\n": the row would split);
    the line ends are then made "\\n"."""
    return csv.writer(buffer, delimiter=_DELIMITER, quotechar=_QUOTE, lineterminator=_LINE_END, quoting=csv.QUOTE_MINIMAL)


def _csv_batches(batches: Iterable[list[Sequence[str]]]):
    """(CSV text of a batch of rows, each ending in "\n"; whether a cell holds a line break).

    When no cell of a batch holds a "\r", every "\r\n" the writer wrote is a line end and one
    replace does it; else the batch is redone row by row."""
    buffer = io.StringIO()
    writer = _csv_writer(buffer)
    for batch in batches:
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


def _plain_batches(batches: Iterable[list[Sequence[str]]], width: int):
    """_csv_batches of batches of rows of `width` cells, each a str.

    The csv writer (QUOTE_MINIMAL) quotes a cell holding its delimiter, its quote character or a
    character of its line end (or a row of one empty cell), and writes any other row as its cells
    joined by the delimiter. A batch's rows are so joined, and counting the delimiters and line
    ends in the text tells whether that is what the writer gives; where not, the rows that need it
    go through the writer, one by one."""
    if width < 2:
        yield from _csv_batches(batches)
        return
    quoted = _QUOTE + _LINE_END
    for batch in batches:
        text = "\n".join(map(_DELIMITER.join, batch)) + "\n"
        if (text.count(_DELIMITER) == len(batch) * (width - 1) and text.count("\n") == len(batch)
                and not any(c in text for c in quoted if c != "\n")):
            yield text, False
            continue
        lines, breaks = [], False
        for row, line in zip(batch, map(_DELIMITER.join, batch)):
            if line.count(_DELIMITER) == width - 1 and not any(c in line for c in quoted):
                lines.append(line + "\n")
            else:
                line, broken = next(_csv_batches([[row]]))
                lines.append(line)
                breaks = breaks or broken
        yield "".join(lines), breaks


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
