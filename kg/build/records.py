"""What a build keeps of itself for later commands: the resolved corpus (corpus.json, read back by
export, viz and explain) and the networkx graph (graph.json)."""

from __future__ import annotations

import json
from dataclasses import fields
from itertools import islice

import networkx as nx

from ..errors import InputError
from ..model import (
    Author,
    Authorship,
    Corpus,
    Entity,
    Institution,
    InstitutionRef,
    Paper,
    Problem,
    Source,
    record_fields,
)
from ..util.atomic import atomic_open

__all__ = ["write_corpus", "read_corpus", "write_graph_json", "read_graph_json"]

# 2: typed entities (tasks, metrics; methods and datasets as Entity). Papers' date, date_source and
# published (issue 25) are additions read with None as default: a corpus.json written before them
# reads as undated papers, and kg before them ignores them. An institution reference's via (issue 26:
# the route that linked its printed form) is one too: a corpus.json written before it reads with
# via None (kg explain institution says "not recorded"); kg before it cannot read a corpus.json with it
_VERSION = 2


def write_corpus(corpus: Corpus, path) -> list[str]:
    """corpus.json: what ``json.dump({"version": _VERSION, "corpus": asdict(corpus)}, ensure_ascii=False,
    sort_keys=True)`` writes, byte for byte, in a third of its time: json.dump always takes the
    pure-Python encoder (only a one-shot encode uses the C one), and asdict walks and copies every
    tuple and leaf in Python; here the C encoder walks them and asks only for each record's fields.
    Written a thousand records per encode, so the document is never one string in memory."""
    encode = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=record_fields).encode
    with atomic_open(path) as handle:
        handle.write('{"corpus": {')
        for i, name in enumerate(sorted(f.name for f in fields(Corpus))):
            handle.write(f'{", " if i else ""}{encode(name)}: [')
            _write_items(handle, encode, getattr(corpus, name))
            handle.write("]")
        handle.write(f'}}, "version": {encode(_VERSION)}}}\n')
    return [str(path)]


def _write_items(handle, encode, records) -> None:
    """A JSON array's items (without its brackets), a thousand per encoder call."""
    records, separator = iter(records), ""
    for batch in iter(lambda: list(islice(records, 1000)), []):
        handle.write(separator + encode(batch)[1:-1])  # json's own item separator is ", "
        separator = ", "


def _entities(items: list[dict]) -> tuple[Entity, ...]:
    return tuple(Entity(e["name"], tuple(e["aliases"]), e["via"]) for e in items)


def _institution_ref(i: dict) -> InstitutionRef:
    return InstitutionRef(printed=i["printed"], institution_id=i["institution_id"], name=i["name"],
                          context=tuple(i.get("context", ())), via=i.get("via"))


def _paper(d: dict) -> Paper:
    return Paper(
        id=d["id"], title=d["title"], arxiv_id=d["arxiv_id"], category=d["category"], year=d["year"],
        lang=tuple(d["lang"]), abstracts=tuple(tuple(a) for a in d["abstracts"]),
        authorships=tuple(Authorship(**a) for a in d["authorships"]),
        institutions=tuple(_institution_ref(i) for i in d["institutions"]),
        topics=tuple((t, s) for t, s in d["topics"]), methods=_entities(d["methods"]),
        datasets=_entities(d["datasets"]), code=tuple(d["code"]), urls=tuple(d["urls"]),
        sources=tuple(Source(**s) for s in d["sources"]), tasks=_entities(d["tasks"]), metrics=_entities(d["metrics"]),
        date=d.get("date"), date_source=d.get("date_source"), published=d.get("published"),
    )


def read_corpus(path) -> Corpus:
    """Load a corpus written by write_corpus; InputError names the file when it is missing or foreign."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise InputError(f"{path}: no such file; run `kg build` first") from None
    except (OSError, ValueError) as exc:
        raise InputError(f"{path}: cannot read a built corpus: {exc}") from None
    if data.get("version") != _VERSION:
        raise InputError(f"{path}: written by another version of kg; rebuild it")
    c = data["corpus"]
    return Corpus(
        papers=tuple(_paper(p) for p in c["papers"]),
        authors=tuple(Author(id=a["id"], name=a["name"], mentions=tuple(tuple(m) for m in a["mentions"]),
                             evidence=tuple(a["evidence"])) for a in c["authors"]),
        institutions=tuple(Institution(id=i["id"], name=i["name"], ror_id=i["ror_id"], printed=tuple(i["printed"]),
                                       matched=i["matched"]) for i in c["institutions"]),
        problems=tuple(Problem(**p) for p in c["problems"]),
        inputs=tuple(c["inputs"]),
    )


def write_graph_json(graph: nx.MultiDiGraph, path) -> list[str]:
    """The graph as node-link JSON (what ``json.dump(nx.node_link_data(graph, edges="edges"),
    sort_keys=True)`` writes, byte for byte), so later commands need not rebuild it. Written node by
    node and edge by edge: the whole document as Python objects costs more memory than the graph.
    In a build, with its index, and copied where it can be from the previous build's
    (kg.export.fragments)."""
    from ..export.fragments import Section, graph_items, write_indexed  # here: readers of a build need none of it

    dumps = json.JSONEncoder(ensure_ascii=False, sort_keys=True).encode
    items = graph_items(graph)

    def edges(batch: list, first: int) -> list[bytes]:
        return _encoded(dumps, [[{**data, "source": u, "target": v, "key": key}
                                 for v, keyed in adj.items() for key, data in keyed.items()] for u, adj in batch])

    def nodes(batch: list, first: int) -> list[bytes]:
        return _encoded(dumps, [[{**data, "id": n}] for n, data in batch])

    frame = [f'{{"directed": {dumps(graph.is_directed())}, "edges": ['.encode(),
             f'], "graph": {dumps(graph.graph)}, "multigraph": {dumps(graph.is_multigraph())}, "nodes": ['.encode(),
             b"]}\n"]
    sections = [Section("edges", items.groups(), items.group_fps, edges, separator=b", ", counts=items.group_counts),
                Section("nodes", items.nodes(), items.node_fps, nodes, separator=b", ")]
    return write_indexed(path, graph, b"".join(frame), frame, sections)


# Between the items of a batch (`_encoded`): a JSON array's item that is this string alone
_ITEM = "\x01"
_ITEM_JSON = b', "\\u0001", '


def _encoded(encode, items: list[list]) -> list[bytes]:
    """Each item's records as UTF-8 JSON, ", " apart (a JSON array's items without brackets), the
    whole batch in one encoder call. A record holding a list with the separator string in it
    splits the batch's text once too often: that batch is then encoded item by item."""
    records = [record for item in items for record in (*item, _ITEM)]
    pieces = encode(records[:-1])[1:-1].encode().split(_ITEM_JSON)
    if len(pieces) != len(items):
        pieces = [encode(item)[1:-1].encode() for item in items]
    return pieces


def read_graph_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as handle:
        return nx.node_link_graph(json.load(handle), edges="edges", multigraph=True, directed=True)
