"""VOSviewer maps: the co-authorship network of authors and the co-occurrence network of topics.

Each is a VOSviewer JSON file (`{"network": {"items", "links", "clusters"}, "config": …}`) that
VOSviewer and VOSviewer Online open directly. Items are the authors (topics) with at least one link;
link strength is the number of papers together; clusters are networkx Louvain communities (seeded,
so the same corpus gives the same file). No coordinates are written: VOSviewer computes its own
layout when it opens the file.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import networkx as nx

from ..graph.build import build_graph
from ..model import Corpus
from . import register_exporter
from .atomic import atomic_open

__all__ = ["generate_vosviewer", "write_vosviewer", "NETWORKS", "SEED", "MAX_CLUSTERS"]

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
        Louvain resolution: higher gives more, smaller clusters.

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
    net = nx.Graph()
    strengths: dict[tuple[str, str], float] = defaultdict(float)
    for u, v, key, data in graph.edges(keys=True, data=True):
        if key != relation or u == v:
            continue
        if graph.nodes[u].get("type") != node_type or graph.nodes[v].get("type") != node_type:
            continue
        a, b = sorted((u, v))
        strengths[(a, b)] += data.get("weight", 1)
    ids = {nid: i for i, nid in enumerate(sorted({n for pair in strengths for n in pair}), start=1)}
    net.add_nodes_from(ids)
    net.add_weighted_edges_from((a, b, w) for (a, b), w in sorted(strengths.items()))

    clusters: dict[str, int] = {}
    cluster_labels = []
    if net.number_of_edges():
        communities = nx.community.louvain_communities(net, weight="weight", resolution=resolution, seed=SEED)
        papers = {n: graph.nodes[n].get("paper_count", 0) for n in net}
        # biggest community first; ties by its first node id, so numbering does not depend on set order
        communities = sorted(communities, key=lambda c: (-len(c), min(c)))
        merged = len(communities) > MAX_CLUSTERS
        if merged:  # VOSviewer's limit: the smallest communities share the last cluster
            rest = set().union(*communities[MAX_CLUSTERS - 1:])
            communities = communities[:MAX_CLUSTERS - 1] + [rest]
        for number, members in enumerate(communities, start=1):
            for n in members:
                clusters[n] = number
            top = min(members, key=lambda n: (-papers[n], str(graph.nodes[n].get("label", n)), n))
            label = str(graph.nodes[top].get("label", top))
            if merged and number == MAX_CLUSTERS:
                label = f"{len(members)} items of smaller communities"
            cluster_labels.append({"cluster": number, "label": label})

    years = _paper_years(graph)
    items = []
    for nid, number in ids.items():
        data = graph.nodes[nid]
        item = {"id": number, "label": str(data.get("label", nid)), "cluster": clusters[nid]}
        item["weights"] = {
            weight_name: data.get("paper_count", 0),
            "Links": net.degree(nid),
            "Total link strength": _number(net.degree(nid, weight="weight")),
        }
        known = [years[p] for p in _papers_of(graph, nid) if p in years]
        if known:
            item["scores"] = {"Avg. pub. year": round(sum(known) / len(known), 2)}
        items.append(item)
    links = [{"source_id": ids[a], "target_id": ids[b], "strength": _number(w)} for (a, b), w in sorted(strengths.items())]
    doc = {"network": {"items": items, "links": links, "clusters": cluster_labels}}
    if terminology:
        doc = {"config": {"terminology": terminology}, **doc}
    return doc


def _paper_years(graph: nx.MultiDiGraph) -> dict[str, int]:
    return {n: d["year"] for n, d in graph.nodes(data=True) if d.get("type") == "Paper" and d.get("year")}


def _papers_of(graph: nx.MultiDiGraph, nid: str):
    """Papers linked to a node (its HAS_AUTHOR / HAS_TOPIC / … in-edges from Paper nodes)."""
    for u in graph.predecessors(nid):
        if graph.nodes[u].get("type") == "Paper":
            yield u


def write_vosviewer(graph: nx.MultiDiGraph, out_dir) -> list[str]:
    """Write collaboration.vosviewer.json and topics.vosviewer.json into `out_dir`; returns the paths."""
    written = []
    for stem, (node_type, relation, weight_name, terminology) in NETWORKS.items():
        doc = generate_vosviewer(graph, node_type, relation, weight_name, terminology)
        path = Path(out_dir) / f"{stem}.vosviewer.json"
        with atomic_open(path) as handle:
            json.dump(doc, handle, ensure_ascii=False, indent=1)
            handle.write("\n")
        written.append(str(path))
    return written


@register_exporter("vosviewer", "VOSviewer maps: author co-authorship and topic co-occurrence → *.vosviewer.json")
def _write(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    return write_vosviewer(graph if graph is not None else build_graph(corpus), out_dir)
