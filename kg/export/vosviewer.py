"""VOSviewer maps: the co-authorship network of authors and the co-occurrence network of topics.

Each is a VOSviewer JSON file (`{"network": {"items", "links", "clusters"}, "config": …}`) that
VOSviewer and VOSviewer Online open directly. Items are the authors (topics) with at least one link;
link strength is the number of papers together; clusters are Leiden communities (kg.graph.communities,
as VOSviewer itself clusters; seeded, so the same corpus gives the same file). No coordinates are written: VOSviewer computes its own
layout when it opens the file.
"""

from __future__ import annotations

import json
import math
from itertools import islice
from pathlib import Path
from typing import Iterator

import networkx as nx
import numpy as np

from ..graph.build import build_graph
from ..graph.communities import leiden_membership
from ..model import Corpus
from ..util.atomic import atomic_open

__all__ = ["export_vosviewer", "generate_vosviewer", "write_vosviewer", "NETWORKS", "SEED", "MAX_CLUSTERS"]

SEED = 42
MAX_CLUSTERS = 1000  # VOSviewer numbers clusters 1..1000; communities past the 999th share cluster 1000
# file stem → (node type, relation, what an item's papers are called, terminology)
NETWORKS = {
    "collaboration": ("Author", "CO_AUTHOR", "Documents", {
        "item": "Author", "items": "Authors", "link": "Co-authorship link", "links": "Co-authorship links",
        "link_strength": "Papers together", "total_link_strength": "Total papers with co-authors",
        "cluster": "Community", "clusters": "Communities",
    }),
    "topics": ("Topic", "CO_OCCURS", "Occurrences", {
        "item": "Topic", "items": "Topics", "link": "Co-occurrence link", "links": "Co-occurrence links",
        "link_strength": "Papers with both topics", "total_link_strength": "Total co-occurrences",
        "cluster": "Cluster", "clusters": "Clusters",
    }),
}


def _number(value: float):
    return int(value) if float(value).is_integer() else float(value)


class _Network:
    """One network, item by item (item i has id i + 1) and link by link: what a VOSviewer file says,
    kept as lists for `_document` and `_write_document`."""

    __slots__ = ("nodes", "labels", "papers", "links", "totals", "clusters", "years", "sources", "targets",
                 "strengths", "whole", "cluster_labels")

    def __init__(self):
        self.nodes: list[str] = []  # the items' node ids, sorted
        self.labels: list[str] = []
        self.papers: list = []  # each item's paper_count
        self.links: list[int] = []  # each item's number of links
        self.totals: list = []  # each item's total link strength (_number)
        self.clusters: list[int] = []
        self.years: list[float | None] = []  # each item's average publication year, None when unknown
        self.sources: list[int] = []  # each link's items as 0-based indexes, source < target, sorted
        self.targets: list[int] = []
        self.strengths: list = []  # each link's strength (_number)
        self.whole = True  # every strength and total is an int
        self.cluster_labels: list[str] = []  # cluster k + 1's label


def generate_vosviewer(graph: nx.MultiDiGraph, node_type: str, relation: str, weight_name: str = "Documents",
                       terminology: dict | None = None, resolution: float = 1.0) -> dict:
    """The VOSviewer JSON document of the `relation` network between nodes of `node_type`.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        A graph from `kg.graph.build.build_graph`.
    node_type, relation : str
        E.g. "Author" and "CO_AUTHOR", or "Topic" and "CO_OCCURS".
    weight_name : str
        The item weight holding the node's number of papers ("Documents", "Occurrences").
    terminology : dict, optional
        VOSviewer's config.terminology (what items, links and clusters are called).
    resolution : float
        Leiden resolution: higher gives more, smaller clusters.

    Returns
    -------
    dict
        {"config": …, "network": {"items": […], "links": […], "clusters": […]}}; items have integer
        ids 1..n in node-id order, `weights` (papers, Links, Total link strength) and, when the
        papers' years are known, `scores` {"Avg. pub. year"}.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> for a in "abc":
    ...     g.add_node(a, type="Author", label=a.upper(), paper_count=2)
    >>> _ = g.add_edge("a", "b", key="CO_AUTHOR", weight=2)
    >>> doc = generate_vosviewer(g, "Author", "CO_AUTHOR")
    >>> [i["label"] for i in doc["network"]["items"]], doc["network"]["links"]
    (['A', 'B'], [{'source_id': 1, 'target_id': 2, 'strength': 2}])
    """
    network = _network(graph, node_type, relation, resolution, _paper_years(graph))
    return _document(network, weight_name, terminology)


def _network(graph: nx.MultiDiGraph, node_type: str, relation: str, resolution: float,
             years: dict[str, int]) -> _Network:
    """generate_vosviewer's network; `years`: `_paper_years(graph)`, made once for both networks."""
    nodes, adj, pred = graph._node, graph._adj, graph._pred  # read-only: the views cost ~1 µs a step
    typed = sorted(n for n, data in nodes.items() if data.get("type") == node_type)
    count = len(typed)
    rank = dict(zip(typed, range(count)))
    # each pair of nodes as one integer, which sorts as the pair of node ids does; its strength is
    # its one or two edges' (u → v, v → u) weights summed as 0.0 + w, in either order the same
    strengths: dict[int, float] = {}
    for u in typed:
        ru = rank[u]
        for v, keyed in adj[u].items():
            data = keyed.get(relation)
            if data is None:
                continue
            rv = rank.get(v)
            if rv is None or rv == ru:
                continue
            pair = ru * count + rv if ru < rv else rv * count + ru
            strengths[pair] = strengths.get(pair, 0.0) + data.get("weight", 1)
    net = _Network()
    if not strengths:
        return net
    pairs = np.fromiter(strengths, dtype=np.int64, count=len(strengths))
    by_pair = np.argsort(pairs, kind="stable")
    pairs = pairs[by_pair]
    weights = np.fromiter(strengths.values(), dtype=np.float64, count=len(strengths))[by_pair]
    # the items: the nodes with a link, numbered in node-id order
    linked = np.unique(np.concatenate([pairs // count, pairs % count]))
    sources, targets = np.searchsorted(linked, pairs // count), np.searchsorted(linked, pairs % count)
    order = net.nodes = [typed[r] for r in linked.tolist()]
    n = len(order)
    net.sources, net.targets = sources.tolist(), targets.tolist()
    weight_list = weights.tolist()
    net.links = (np.bincount(sources, minlength=n) + np.bincount(targets, minlength=n)).tolist()
    if np.all(np.floor(weights) == weights) and float(np.abs(weights).sum()) * 2 < 2 ** 53:
        # whole strengths: every total is exact, summed in any order
        totals = np.bincount(sources, weights, minlength=n) + np.bincount(targets, weights, minlength=n)
        net.strengths, net.totals = weights.astype(np.int64).tolist(), totals.astype(np.int64).tolist()
    else:  # summed from 0 in link order, each link to its source, then to its target
        net.whole = False
        sums = [0] * n
        for a, b, w in zip(net.sources, net.targets, weight_list, strict=True):
            sums[a] += w
            sums[b] += w
        net.strengths, net.totals = [_number(w) for w in weight_list], [_number(t) for t in sums]

    membership = leiden_membership(n, np.stack([sources, targets], axis=1), weight_list, resolution, SEED)
    data = [nodes[nid] for nid in order]
    net.labels = [str(d.get("label", nid)) for nid, d in zip(order, data)]
    net.papers = [d.get("paper_count", 0) for d in data]
    net.clusters, net.cluster_labels = _clusters(membership, net.labels, net.papers, order)
    net.years = _average_years(order, pred, years)
    return net


def _average_years(order: list[str], pred: dict, years: dict[str, int]) -> list[float | None]:
    """Each node's papers' average year (round(…, 2)), None when none is known; a node's papers are
    its predecessors among `years`' Paper nodes."""
    averages: list[float | None] = []
    if all(type(year) is int for year in years.values()):  # whole years: an exact sum in any order
        year_of, has_year = years.__getitem__, years.keys()
        for nid in order:
            known = pred[nid].keys() & has_year
            averages.append(round(sum(map(year_of, known)) / len(known), 2) if known else None)
        return averages
    for nid in order:
        known = [years[p] for p in pred[nid] if p in years]
        averages.append(round(sum(known) / len(known), 2) if known else None)
    return averages


def _clusters(membership: list[int], labels: list[str], papers: list, order: list[str]) -> tuple[list[int], list[str]]:
    """Each item's cluster number and each cluster's label: the communities numbered biggest first,
    ties by their first node id (numbering that does not depend on igraph's), past MAX_CLUSTERS - 1
    sharing the last; a cluster is labelled by its item with the most papers (ties: label, node id)."""
    groups = np.asarray(membership, dtype=np.int64)
    sizes = np.bincount(groups)
    present, first = np.unique(groups, return_index=True)  # first: each community's smallest item
    ranked = present[np.lexsort((first, -sizes[present]))]
    number = np.zeros(len(sizes), dtype=np.int64)
    number[ranked] = np.minimum(np.arange(1, len(ranked) + 1), MAX_CLUSTERS)
    clusters = number[groups].tolist()
    count = min(len(ranked), MAX_CLUSTERS)
    best: list = [None] * count
    top = [0] * count
    for i, c in enumerate(clusters):
        key = (-papers[i], labels[i], order[i])
        if best[c - 1] is None or key < best[c - 1]:
            best[c - 1], top[c - 1] = key, i
    names = [labels[i] for i in top]
    if len(ranked) > MAX_CLUSTERS:  # VOSviewer's limit: the smallest communities share the last cluster
        names[-1] = f"{int(sizes[ranked[MAX_CLUSTERS - 1:]].sum())} items of smaller communities"
    return clusters, names


def _document(net: _Network, weight_name: str, terminology: dict | None) -> dict:
    """generate_vosviewer's document of `net`."""
    items = []
    for i, (label, cluster, papers, links, total, year) in enumerate(
            zip(net.labels, net.clusters, net.papers, net.links, net.totals, net.years), start=1):
        item = {"id": i, "label": label, "cluster": cluster,
                "weights": {weight_name: papers, "Links": links, "Total link strength": total}}
        if year is not None:
            item["scores"] = {"Avg. pub. year": year}
        items.append(item)
    links = [{"source_id": a + 1, "target_id": b + 1, "strength": w}
             for a, b, w in zip(net.sources, net.targets, net.strengths)]
    clusters = [{"cluster": k, "label": label} for k, label in enumerate(net.cluster_labels, start=1)]
    doc = {"network": {"items": items, "links": links, "clusters": clusters}}
    if terminology:
        doc = {"config": {"terminology": terminology}, **doc}
    return doc


def _paper_years(graph: nx.MultiDiGraph) -> dict[str, int]:
    return {n: d["year"] for n, d in graph._node.items() if d.get("type") == "Paper" and d.get("year")}


_encode_str = json.encoder.encode_basestring  # the C one when available, as json.dump(ensure_ascii=False)


def _scalar(value) -> str:
    if isinstance(value, str):
        return _encode_str(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if type(value) is int or (type(value) is float and math.isfinite(value)):
        return repr(value)
    return json.dumps(value, ensure_ascii=False)


def _dump_into(value, newline: str, parts: list[str]) -> None:
    """json.dump(indent=1)'s text of `value` into `parts`, on a line indented as `newline` says."""
    if isinstance(value, dict):
        opener, closer = "{", "}"
        members = ((_key(key) + ": ", item) for key, item in value.items())
    elif isinstance(value, list):
        opener, closer = "[", "]"
        members = (("", item) for item in value)
    else:
        parts.append(_scalar(value))
        return
    if not value:
        parts.append(opener + closer)
        return
    inner = newline + " "
    separator = opener + inner
    for prefix, item in members:
        parts.append(separator + prefix)
        separator = "," + inner
        if isinstance(item, (dict, list)):
            _dump_into(item, inner, parts)
        else:
            parts.append(_scalar(item))
    parts.append(newline + closer)


def _key(key) -> str:
    return _encode_str(key) if isinstance(key, str) else json.dumps({key: 0})[1:-4]  # json's key text


def _write_document(net: _Network, weight_name: str, terminology: dict | None, handle) -> None:
    """``json.dump(_document(net, weight_name, terminology), handle, ensure_ascii=False, indent=1)``,
    byte for byte, written straight from `net`'s lists a few thousand entries at a time: the
    document's dicts (a big corpus's networks have hundreds of thousands of items and links) and
    json's pure-Python indenting encoder cost several times the text."""
    write = handle.write
    write("{")
    if terminology:
        parts: list[str] = []
        _dump_into({"terminology": terminology}, "\n ", parts)
        write('\n "config": ' + "".join(parts) + ",")
    write('\n "network": {\n  "items": ')
    if not net.nodes:
        write('[],\n  "links": [],\n  "clusters": []\n }\n}')
        return
    weight_key = _key(weight_name).replace("%", "%%")  # in the template below
    number = "%d" if net.whole else "%s"  # strengths and totals: ints as they are, else _number_text
    item = ('\n   {\n    "id": %d,\n    "label": %s,\n    "cluster": %d,\n    "weights": {\n     '
            + weight_key + ': %s,\n     "Links": %d,\n     "Total link strength": ' + number + '\n    }%s\n   }')
    score = ',\n    "scores": {\n     "Avg. pub. year": %s\n    }'
    papers = [str(p) if type(p) is int else _value(p, "\n     ") for p in net.papers]
    years = ["" if y is None else score % _scalar(y) for y in net.years]
    totals = net.totals if net.whole else map(_number_text, net.totals)
    _write_list(write, (item % fields for fields in zip(
        range(1, len(net.nodes) + 1), map(_encode_str, net.labels), net.clusters, papers, net.links, totals, years)))
    write(',\n  "links": ')
    link = '\n   {\n    "source_id": %d,\n    "target_id": %d,\n    "strength": ' + number + '\n   }'
    strengths = net.strengths if net.whole else map(_number_text, net.strengths)
    _write_list(write, (link % (a + 1, b + 1, w) for a, b, w in zip(net.sources, net.targets, strengths)))
    write(',\n  "clusters": ')
    cluster = '\n   {\n    "cluster": %d,\n    "label": %s\n   }'
    _write_list(write, (cluster % (k, _encode_str(label)) for k, label in enumerate(net.cluster_labels, start=1)))
    write("\n }\n}")


def _write_list(write, entries: Iterator[str], batch: int = 4096) -> None:
    """A JSON list at depth 2 of indent=1 from its entries' texts (each starting with its newline)."""
    first = True
    while chunk := list(islice(entries, batch)):
        write(("[" if first else ",") + ",".join(chunk))
        first = False
    write("[]" if first else "\n  ]")


def _number_text(value) -> str:
    return str(value) if type(value) is int else _scalar(value)


def _value(value, newline: str) -> str:
    """A value's JSON text as json.dump(indent=1) writes it on a line indented as `newline` says."""
    parts: list[str] = []
    _dump_into(value, newline, parts)
    return "".join(parts)


def write_vosviewer(graph: nx.MultiDiGraph, out_dir) -> list[str]:
    """Write collaboration.vosviewer.json and topics.vosviewer.json into `out_dir`; returns the paths."""
    written = []
    years = _paper_years(graph)
    for stem, (node_type, relation, weight_name, terminology) in NETWORKS.items():
        network = _network(graph, node_type, relation, 1.0, years)
        path = Path(out_dir) / f"{stem}.vosviewer.json"
        with atomic_open(path) as handle:
            _write_document(network, weight_name, terminology, handle)
            handle.write("\n")
        written.append(str(path))
    return written


def export_vosviewer(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `vosviewer` target (kg.export.ExportFunction): write_vosviewer into out_dir."""
    return write_vosviewer(graph if graph is not None else build_graph(corpus), out_dir)
