"""The property tables' CSV files (Neo4j, LadybugDB) written an item at a time, indexed as fragments.

A node table's item is one node's row; a relationship table's item is one start node's rows of that
type (its out-edges of the type, by end id), which sit together in the file since rows sort by
(start, end). An item's bytes depend only on its node's data (its out-edges') and on its table's
*context*: the header and constant column, the columns and their kinds (inferred over all rows), the
array delimiter (chosen over all tables) and the code that formats cells (spreadsheet safety
included: it is per cell). So the files are written through kg.export.fragments: a node row's
fingerprint is the node's, a relationship item's is its start node's edge group's (every type
together: coarser than the item, never wrong), both made once per build by `fragments_for`; an
update copies the rows found in the previous index and renders the others, and a table whose
context changed is rendered whole.

`table_layout` is what the files need of the whole graph: each table's columns, its items in row
order (ids and the places of their fingerprints) and the delimiter, never the rows themselves,
which are made a batch at a time as they are written, and only for the items not copied.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import chain, compress, repeat
from operator import itemgetter
from pathlib import Path

import networkx as nx
import numpy as np

from ..graph.schema import EDGE_TYPES, NODE_TYPES
from ..util.files import digest_files
from .fragments import Section, graph_items, previous_rows, write_indexed
from .property_graph import (
    _DELIMITERS,
    _DROPPED,
    _SOURCE_KEY,
    NODE_COLUMNS,
    REL_COLUMNS,
    Column,
    _columns,
    _csv_batches,
    _kind_of_type,
    _plain_batches,
    _typed,
    memoized,
    row_cells,
)

__all__ = ["Edges", "Layout", "NodeItems", "RelItems", "graph_layout", "table_layout", "write_items_csv"]

# the folders of the exports written from these tables (kg.export.neo4j and kg.export.ladybug SUBDIR)
_FOLDERS = ("neo4j", "ladybug")
# the code whose bytes a row is made of (relative to kg/)
_CODE = ("export/table_files.py", "export/property_graph.py")


@dataclass(frozen=True)
class NodeItems:
    """A node table as items, one per row: `ids`, the node ids in row order, and `positions`,
    where each node is in graph order (its fingerprint's place)."""

    label: str
    columns: tuple[Column, ...]
    ids: list
    positions: np.ndarray
    tags: np.ndarray | None = None
    extra: dict | None = None

    @property
    def row_count(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class RelItems:
    """A relationship table as items, one per start node: `edges`, the table's edges (their
    places in `Edges`) in row order; `offsets`, where each item's rows start in it (and the end);
    `positions`, the place of each item's start node among the graph's edge groups."""

    type: str
    start: str
    end: str
    columns: tuple[Column, ...]
    edges: np.ndarray
    offsets: np.ndarray
    positions: np.ndarray
    tags: np.ndarray | None = None
    extra: dict | None = None
    ordered: bool = False  # each item's rows in `edges` by end id already (else sorted as rendered)

    @property
    def row_count(self) -> int:
        return len(self.edges)


@dataclass(frozen=True)
class Edges:
    """The graph's edges in graph.edges() order: their start nodes' places in `ids` (graph order),
    and their (u, v) pairs' places in `pairs` ({key: data} of each) and `targets` (each one's v)."""

    ids: list
    pairs: list
    sources: np.ndarray
    targets: list
    pair: np.ndarray

    def data(self, edges: np.ndarray, key: str) -> list[dict]:
        """The data of these edges, all of type `key`."""
        return list(map(itemgetter(key), map(self.pairs.__getitem__, self.pair[edges].tolist())))


@dataclass(frozen=True)
class Layout:
    """What the table files need of the whole graph (table_layout)."""

    nodes: tuple[NodeItems, ...]
    rels: tuple[RelItems, ...]
    delimiter: str
    edges: Edges


def table_layout(graph: nx.MultiDiGraph, node_fps: np.ndarray | None = None, group_fps: np.ndarray | None = None,
                 previous: Callable[[str], tuple | None] = lambda name: None) -> Layout:
    """The tables of `generate_tables(graph)` as items, and the delimiter `choose_array_delimiter`
    picks for them: the same tables, columns, row order and delimiter, without making the rows.

    The columns and the delimiter are those of the items' tags (`_Shapes`): from the previous
    index of the table's file (`previous(file name)`: kg.export.fragments.previous_rows) for the
    items whose fingerprint (`node_fps`, `group_fps`: the graph's, kg.export.fragments.GraphItems)
    is in it, made from the records of the others. Else a few passes at C level over the nodes and
    the edges, and numpy for the orders."""
    nodes = graph._node
    ids = list(nodes)
    by_id = np.array(sorted(range(len(ids)), key=ids.__getitem__), np.int64)  # the nodes in id order
    rank = np.empty(len(ids), np.int64)  # each node's place in id order
    rank[by_id] = np.arange(len(ids))
    labels = list(map(itemgetter("type"), nodes.values()))
    tables = {label: code for code, label in enumerate(dict.fromkeys([*NODE_TYPES, *dict.fromkeys(labels)]))}
    label_codes = np.fromiter(map(tables.__getitem__, labels), np.int64, len(labels))[by_id]
    del labels
    used: set[str] = set()
    node_tables = []
    for label, code in tables.items():
        positions = by_id[label_codes == code]
        table_ids = [ids[i] for i in positions.tolist()]

        def records_of(items: np.ndarray, table_ids=table_ids) -> tuple[list[dict], None]:
            return [nodes[table_ids[i]] for i in items.tolist()], None

        tags, shapes = _table_tags(len(table_ids), None if node_fps is None else node_fps[positions],
                                   previous(f"nodes_{label}.csv"), records_of)
        columns, delimiters = _context(NODE_COLUMNS.get(label, (("name", "string"),)), tags, shapes,
                                       lambda table_ids=table_ids: [nodes[i] for i in table_ids])
        used |= delimiters
        node_tables.append(NodeItems(label, columns, table_ids, positions, tags, _extra(shapes)))

    adj = list(filter(None, graph._adj.values()))  # the edge groups
    group_nodes = np.flatnonzero(np.fromiter(map(bool, graph._adj.values()), bool, len(ids)))
    pairs = list(chain.from_iterable(map(dict.values, adj)))  # {key: data} of each (u, v), in order
    pair_sizes = np.fromiter(map(len, pairs), np.int64, len(pairs))
    pair_group = np.repeat(np.arange(len(adj)), np.fromiter(map(len, adj), np.int64, len(adj)))
    keys = list(chain.from_iterable(pairs))
    edge_group = np.repeat(pair_group, pair_sizes)
    edges = Edges(ids, pairs, group_nodes[edge_group], list(chain.from_iterable(adj)),
                  np.repeat(np.arange(len(pair_sizes)), pair_sizes))
    del adj
    met = list(dict.fromkeys(keys))
    codes = np.fromiter(map({key: code for code, key in enumerate(met)}.__getitem__, keys), np.int64, len(keys))
    del keys
    rel_tables = []
    target_ranks = None  # each (u, v) pair's v's place in id order, when some table needs them
    for rel in dict.fromkeys([*EDGE_TYPES, *met]):
        members = np.flatnonzero(codes == met.index(rel)) if rel in met else np.zeros(0, np.int64)
        if rel in EDGE_TYPES:
            start, end = EDGE_TYPES[rel]
        else:  # a relation build_graph adds later: its endpoint types are in the graph (its first edge's)
            first = members[0]
            start, end = nodes[ids[edges.sources[first]]]["type"], nodes[edges.targets[edges.pair[first]]]["type"]
        old = previous(f"rels_{rel}.csv")
        if old is None:  # every row rendered (a full build): rows by (start, end) ids, once for both exports
            if target_ranks is None:
                index = dict(zip(ids, range(len(ids))))
                target_ranks = rank[np.fromiter(map(index.__getitem__, edges.targets), np.int64, len(edges.targets))]
                del index
            rows = members[np.lexsort((target_ranks[edges.pair[members]], rank[edges.sources[members]]))]
        else:  # items by start id; an item's rows are sorted by end id as they are rendered (few are)
            rows = members[np.argsort(rank[edges.sources[members]], kind="stable")]
        del members
        starts = np.flatnonzero(np.diff(edges.sources[rows], prepend=-1)) if len(rows) else np.zeros(0, np.int64)
        offsets, positions = np.append(starts, len(rows)), edge_group[rows[starts]]

        def records_of(items: np.ndarray, rows=rows, offsets=offsets, rel=rel) -> tuple[list[dict], np.ndarray]:
            counts = offsets[items + 1] - offsets[items]
            chosen = np.repeat(offsets[items] - np.cumsum(counts) + counts, counts) + np.arange(int(counts.sum()))
            return edges.data(rows[chosen], rel), np.cumsum(counts) - counts

        tags, shapes = _table_tags(len(positions), None if group_fps is None else group_fps[positions], old, records_of)
        columns, delimiters = _context(REL_COLUMNS.get(rel, ()), tags, shapes,
                                       lambda rows=rows, rel=rel: edges.data(rows, rel))
        used |= delimiters
        rel_tables.append(RelItems(rel, start, end, columns, rows, offsets, positions, tags, _extra(shapes), old is None))
    delimiter = next((d for d in _DELIMITERS if d not in used), _DELIMITERS[-1])
    return Layout(tuple(node_tables), tuple(rel_tables), delimiter, edges)


def graph_layout(graph: nx.MultiDiGraph) -> Layout:
    """table_layout(graph), made once per graph inside kg.export.property_graph.tables_memo; within a
    build (kg.export.fragments.fragments_for) with the graph's fingerprints, and on an update the
    tags of the previous build's index of each table's file (of the Neo4j export, else of LadybugDB's)."""
    def make() -> Layout:
        items = graph_items(graph)

        def previous(name: str) -> tuple | None:
            return next(filter(None, (previous_rows(graph, f"{folder}/{name}", "rows") for folder in _FOLDERS)), None)

        return table_layout(graph, items.node_fps, items.group_fps, previous)

    return memoized(graph, "layout", make)


_ARRAYS = (list, tuple, set)
_SHAPE_BITS = 29  # a tag's bits 3…31: the shapes of the item's rows; bits 0…2: the delimiters its arrays hold


class _Shapes:
    """A table's shapes, numbered: the shape of a record is the sorted (attribute, kind) pairs of its
    attributes that are not None (but `type`), what `infer_columns` reads of it. An item's *tag*
    has bit 3 + n for each shape n among its rows' records, and bit d for each delimiter
    _DELIMITERS[d] that an element of their arrays holds (of their attributes whose values are
    lists, tuples or sets: the values of string[] columns, unless a column mixes arrays and not)."""

    def __init__(self, known=None):
        self.numbers: dict[tuple, int] = {}
        for shape in known or ():
            self.numbers.setdefault(tuple(map(tuple, shape)), len(self.numbers))

    def tags(self, records: list[dict]) -> np.ndarray | None:
        """Each record's tag; None when the table has more shapes than tags have bits."""
        raw = list(zip(map(tuple, records), map(tuple, map(map, repeat(type), map(dict.values, records)))))
        number, arrays = {}, set()
        for keys, types in set(raw):
            present = [(key, kind) for key, kind in zip(keys, types) if kind is not type(None) and key not in _DROPPED]
            shape = tuple(sorted({(key, _kind_of_type(kind)) for key, kind in present}))
            number[keys, types] = self.numbers.setdefault(shape, len(self.numbers))
            # ("name" is never a column's values: the `name` column is `label`'s)
            arrays.update(key for key, kind in present if issubclass(kind, _ARRAYS) and key not in _SOURCE_KEY)
        if len(self.numbers) > _SHAPE_BITS:
            return None
        tags = np.left_shift(np.uint32(8), np.fromiter(map(number.__getitem__, raw), np.uint32, len(raw)))
        for key in arrays:
            values = list(map(dict.get, records, repeat(key)))
            for first in range(0, len(values), 50000):
                batch = values[first:first + 50000]
                for bit, holds in enumerate(_holding(batch)):
                    if holds is not None:
                        tags[first:first + len(batch)] |= holds.astype(np.uint32) << bit
        return tags


def _holding(values: list) -> list[np.ndarray | None]:
    """For each delimiter, which of the arrays `values` (None or empty: none; not an array: the
    value) have an element holding it; None: none has. The elements of each value joined by line
    breaks (no delimiter is one), the values by NULs, and each place a delimiter is found mapped to
    its value."""
    present = np.fromiter(map(bool, values), bool, len(values))
    try:
        pieces = list(map("\n".join, compress(values, present)))
    except TypeError:  # elements not text, or values not arrays
        pieces = list(map("\n".join, _typed(list(compress(values, present)), "string[]")))
    text = "\0".join(pieces)
    found: list[np.ndarray | None] = []
    ends = None
    for delimiter in _DELIMITERS:
        if delimiter not in text:
            found.append(None)
            continue
        if ends is None:
            ends = np.cumsum(np.fromiter(map(len, pieces), np.int64, len(pieces)) + 1)
        places = np.fromiter((m.start() for m in re.finditer(re.escape(delimiter), text)), np.int64)
        holds = np.zeros(len(values), bool)
        holds[np.flatnonzero(present)[np.searchsorted(ends, places, side="right")]] = True
        found.append(holds)
    return found


def _table_tags(n: int, fps: np.ndarray | None, old: tuple | None,
                records_of: Callable[[np.ndarray], tuple[list[dict], np.ndarray | None]]) -> tuple:
    """The tags of a table's `n` items and its _Shapes: the previous index's tags (`old`: its rows
    and extra, kg.export.fragments.previous_rows) for the items whose fingerprint it holds, the
    others' made from their records (`records_of(items)`: their records, and where each item's
    start, or None: one each). (None, None) when the table has more shapes than tags have bits."""
    usable = old is not None and fps is not None and isinstance(old[1], dict) and old[1].get("code") == _code_fingerprint().hex()
    known = old[1].get("shapes") if usable else None  # (tags made by other code may mean something else)
    shapes = _Shapes(known)
    tags = np.zeros(n, np.uint32)
    todo = np.arange(n)
    old_bits = int(np.bitwise_or.reduce(old[0]["tag"])) if known is not None and len(old[0]) else 0
    if known is not None and not old_bits >> (3 + len(shapes.numbers)):  # (tags of shapes it does not list: damaged)
        order = np.argsort(old[0]["fp"], kind="stable")
        ordered = old[0]["fp"][order]
        at = np.minimum(np.searchsorted(ordered, fps), max(len(ordered) - 1, 0))
        found = (ordered[at] == fps) & (fps != 0) if len(ordered) else np.zeros(n, bool)
        tags[found] = old[0]["tag"][order[at[found]]]
        todo = np.flatnonzero(~found)
    records, starts = records_of(todo)
    made = shapes.tags(records)
    if made is None:
        return None, None
    tags[todo] = made if starts is None or not len(made) else np.bitwise_or.reduceat(made, starts)
    return tags, shapes


def _context(declared, tags: np.ndarray | None, shapes: _Shapes | None,
             all_records: Callable[[], list[dict]]) -> tuple[tuple[Column, ...], set[str]]:
    """A table's columns and the delimiters its arrays hold: from its items' tags, or (no tags, or a
    string[] column that has values not arrays: tags do not see those) from all its records."""
    if tags is not None:
        mask = int(np.bitwise_or.reduce(tags)) if len(tags) else 0
        pairs = {pair for shape, n in shapes.numbers.items() if mask >> (3 + n) & 1 for pair in shape}
        columns = _columns(declared, pairs)
        kinds = {key: {kind for k, kind in pairs if k == key} for key in {key for key, _ in pairs}}
        if all(kinds.get(_SOURCE_KEY.get(c.name, c.name), set()) <= {"string[]"} for c in columns if c.kind == "string[]"):
            return columns, {d for bit, d in enumerate(_DELIMITERS) if mask >> bit & 1}
    records = _Records(all_records())
    columns = records.columns(declared)
    return columns, records.delimiters(columns)


def _extra(shapes: _Shapes | None) -> dict:
    """What a table's index keeps beside its items' tags: the shapes they number."""
    return {"code": _code_fingerprint().hex(),
            "shapes": None if shapes is None else [list(map(list, shape)) for shape in shapes.numbers]}


class _Records:
    """A table's records (attribute dicts), with the distinct (keys, types of their values) among them."""

    def __init__(self, records: list[dict]):
        self.records = records
        self.shapes = set(zip(map(tuple, records), map(tuple, map(map, repeat(type), map(dict.values, records)))))

    def columns(self, declared) -> tuple[Column, ...]:
        """infer_columns(declared, records)."""
        return _columns(declared, {(key, _kind_of_type(kind)) for keys, kinds in self.shapes
                                   for key, kind in zip(keys, kinds) if kind is not type(None) and key not in _DROPPED})

    def delimiters(self, columns: tuple[Column, ...]) -> set[str]:
        """The delimiters some element of the table's arrays holds (choose_array_delimiter): of the
        values of its string[] columns, each value's elements (a value not an array: the value)."""
        used: set[str] = set()
        for column in columns:
            if column.kind != "string[]":
                continue
            key = _SOURCE_KEY.get(column.name, column.name)
            types = {kind for keys, kinds in self.shapes for k, kind in zip(keys, kinds) if k == key}
            values = list(map(dict.get, self.records, repeat(key)))
            for first in range(0, len(values), 50000):
                batch = values[first:first + 50000]
                try:
                    if not types <= {list, tuple, type(None)}:
                        raise TypeError
                    text = "\n".join(chain.from_iterable(filter(None, batch)))
                except TypeError:  # elements not text, or values not lists
                    text = "\n".join(chain.from_iterable(filter(None, _typed(batch, "string[]"))))
                used.update(d for d in _DELIMITERS if d in text)
        return used


@functools.cache
def _code_fingerprint() -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    digest_files(digest, Path(__file__).resolve().parent.parent, _CODE)
    return digest.digest()


# the types of the values that _typed leaves as they are (and that _format_column takes as they are)
_AS_THEY_ARE = {"string": {str, type(None)}, "float": {float, type(None)}, "string[]": {list, tuple, type(None)}}


def _as_kind(values: list, kind: str) -> list:
    """_typed(values, kind), or `values` when that would format as they do (one look at their types)."""
    return values if set(map(type, values)) <= _AS_THEY_ARE.get(kind, {None}) or kind in ("int", "bool") else _typed(values, kind)


def write_items_csv(path, graph: nx.MultiDiGraph, header: Sequence[str], table: NodeItems | RelItems,
                    layout: Layout, constant: str | None = None) -> tuple[list[str], bool]:
    """What write_table_csv writes for the table `table` is of, with the delimiter of `layout` (the
    same bytes), written through kg.export.fragments.write_indexed: within a build, indexed, and on
    an update copied where the rows did not change. Returns ([path], whether some cell holds a
    line break)."""
    node = isinstance(table, NodeItems)
    keys = 1 if node else 2
    kinds = ["string"] * keys + [c.kind for c in table.columns]
    width = len(kinds) + (constant is not None)
    sources = [_SOURCE_KEY.get(c.name, c.name) for c in table.columns]
    delimiter, edges = layout.delimiter, layout.edges
    head, broken = next(_csv_batches([[header]]))
    breaks = [broken]

    def render(batch: list, first: int) -> list[bytes]:
        if node:
            records = list(map(graph._node.__getitem__, batch))
            columns, counts = [batch], None
        else:  # items batch[0]…batch[-1], one after the other; an item's rows by end id
            offsets = table.offsets[batch[0]: batch[-1] + 2]
            counts = np.diff(offsets).tolist()
            rows = table.edges[offsets[0]: offsets[-1]]
            ends = list(map(edges.targets.__getitem__, edges.pair[rows].tolist()))
            order, at = list(range(len(ends))), 0
            if not table.ordered:
                order = []
                for n in counts:
                    order += sorted(range(at, at + n), key=ends.__getitem__) if n > 1 else [at]
                    at += n
                rows = rows[order]
            records = edges.data(rows, table.type)
            firsts = edges.sources[rows[offsets[:-1] - offsets[0]]].tolist()  # each item's start node
            columns = [list(chain.from_iterable(map(repeat, map(edges.ids.__getitem__, firsts), counts))),
                       list(map(ends.__getitem__, order))]
        columns += [_as_kind(list(map(dict.get, records, repeat(key))), c.kind) for key, c in zip(sources, table.columns)]
        cells = row_cells(columns, kinds, keys, delimiter, constant, [{} for _ in kinds])
        text, broken = next(_plain_batches([cells], width))
        if broken:  # some cell holds a line break: each row on its own
            breaks[0] = True
            lines = [next(_plain_batches([[row]], width))[0].encode()[:-1] for row in cells]
            if counts is None or len(counts) == len(lines):  # (one row an item)
                return lines
            pieces, at = [], 0
            for n in counts:
                pieces.append(b"\n".join(lines[at:at + n]))
                at += n
            return pieces
        # every line break ends a row: the items' lengths from where their last rows end
        data = text.encode()
        ends = np.flatnonzero(np.frombuffer(data, np.uint8) == 10)
        if counts is not None:
            ends = ends[np.cumsum(counts) - 1]
        return data[:-1], np.diff(ends, prepend=-1) - 1

    def copied(data: bytes, rows: int) -> None:
        if not breaks[0] and (data.count(b"\n") > rows - 1 or b"\r" in data):
            breaks[0] = True

    items = graph_items(graph)
    fps = items.node_fps if node else items.group_fps
    section = Section("rows", iter(table.ids) if node else iter(range(len(table.positions))),
                      None if fps is None else fps[table.positions], render, separator=b"\n",
                      counts=None if node else np.diff(table.offsets), copied=copied, tags=table.tags)
    context = repr((tuple(header), constant, table.columns, delimiter)).encode() + _code_fingerprint()
    frame = [head.encode(), b"\n" if table.row_count else b""]
    write_indexed(path, graph, context, frame, [section], table.extra)
    return [str(path)], breaks[0]
