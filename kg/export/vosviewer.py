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
from collections import defaultdict
from pathlib import Path

import networkx as nx

from ..graph.build import build_graph
from ..graph.communities import leiden_partition
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
    nodes, adj, pred = graph._node, graph._adj, graph._pred  # read-only: the views cost ~1 µs a step
    strengths: dict[tuple[str, str], float] = defaultdict(float)
    for u, nbrs in adj.items():  # graph.edges(keys=True, data=True) order, without the views
        if nodes[u].get("type") != node_type:
            continue
        for v, keyed in nbrs.items():
            data = keyed.get(relation)
            if data is None or u == v or nodes[v].get("type") != node_type:
                continue
            a, b = (u, v) if u <= v else (v, u)
            strengths[(a, b)] += data.get("weight", 1)
    ids = {nid: i for i, nid in enumerate(sorted({n for pair in strengths for n in pair}), start=1)}
    links_sorted = sorted(strengths.items())
    # links and total strength of each item, summed in the order networkx's degree() would
    links_of: dict[str, int] = dict.fromkeys(ids, 0)
    total_of: dict[str, float] = dict.fromkeys(ids, 0)
    for (a, b), w in links_sorted:
        links_of[a] += 1
        links_of[b] += 1
        total_of[a] += w
        total_of[b] += w

    clusters: dict[str, int] = {}
    cluster_labels = []
    if links_sorted:
        # biggest community first; ties by its first node id, so numbering does not depend on set order
        communities = leiden_partition(list(ids), [(ids[a] - 1, ids[b] - 1, w) for (a, b), w in links_sorted],
                                       resolution=resolution, seed=SEED)
        papers = {n: nodes[n].get("paper_count", 0) for n in ids}
        merged = len(communities) > MAX_CLUSTERS
        if merged:  # VOSviewer's limit: the smallest communities share the last cluster
            rest = set().union(*communities[MAX_CLUSTERS - 1:])
            communities = communities[:MAX_CLUSTERS - 1] + [rest]
        for number, members in enumerate(communities, start=1):
            for n in members:
                clusters[n] = number
            top = min(members, key=lambda n: (-papers[n], str(nodes[n].get("label", n)), n))
            label = str(nodes[top].get("label", top))
            if merged and number == MAX_CLUSTERS:
                label = f"{len(members)} items of smaller communities"
            cluster_labels.append({"cluster": number, "label": label})

    years = _paper_years(graph)
    items = []
    for nid, number in ids.items():
        data = nodes[nid]
        item = {"id": number, "label": str(data.get("label", nid)), "cluster": clusters[nid]}
        item["weights"] = {
            weight_name: data.get("paper_count", 0),
            "Links": links_of[nid],
            "Total link strength": _number(total_of[nid]),
        }
        known = [years[p] for p in pred[nid] if p in years]  # years holds Paper nodes only
        if known:
            item["scores"] = {"Avg. pub. year": round(sum(known) / len(known), 2)}
        items.append(item)
    links = [{"source_id": ids[a], "target_id": ids[b], "strength": _number(w)} for (a, b), w in links_sorted]
    doc = {"network": {"items": items, "links": links, "clusters": cluster_labels}}
    if terminology:
        doc = {"config": {"terminology": terminology}, **doc}
    return doc


def _paper_years(graph: nx.MultiDiGraph) -> dict[str, int]:
    return {n: d["year"] for n, d in graph.nodes(data=True) if d.get("type") == "Paper" and d.get("year")}


_encode_str = json.encoder.encode_basestring  # the C one when available, as json.dump(ensure_ascii=False)


def _dump(doc, handle) -> None:
    """``json.dump(doc, handle, ensure_ascii=False, indent=1)``, byte for byte, in about 60% of the
    time: json's indenting encoder is pure Python generators; this writes the same text in one
    recursive pass, to `handle` a few thousand pieces at a time (a big map has millions). Anything
    but dict, list, str, int, float, bool and None goes to json."""
    parts: list[str] = []

    def flush() -> None:
        handle.write("".join(parts))
        parts.clear()

    _dump_into(doc, "\n", parts, flush)
    flush()


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



def _dump_into(value, newline: str, parts: list[str], flush=None) -> None:
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
            _dump_into(item, inner, parts, flush)
        else:
            parts.append(_scalar(item))
        if flush is not None and len(parts) >= 8192:
            flush()
    parts.append(newline + closer)


def _key(key) -> str:
    return _encode_str(key) if isinstance(key, str) else json.dumps({key: 0})[1:-4]  # json's key text


def write_vosviewer(graph: nx.MultiDiGraph, out_dir) -> list[str]:
    """Write collaboration.vosviewer.json and topics.vosviewer.json into `out_dir`; returns the paths."""
    written = []
    for stem, (node_type, relation, weight_name, terminology) in NETWORKS.items():
        doc = generate_vosviewer(graph, node_type, relation, weight_name, terminology)
        path = Path(out_dir) / f"{stem}.vosviewer.json"
        with atomic_open(path) as handle:
            _dump(doc, handle)
            handle.write("\n")
        written.append(str(path))
    return written


def export_vosviewer(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `vosviewer` target (kg.export.ExportFunction): write_vosviewer into out_dir."""
    return write_vosviewer(graph if graph is not None else build_graph(corpus), out_dir)
