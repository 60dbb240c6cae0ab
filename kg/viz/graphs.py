"""The graphs the maps draw: authors by co-authorship, institutions by shared papers, topics by
co-occurrence. Plain undirected networkx graphs built straight from a resolved Corpus.

Node ids are the knowledge graph's own (author ids, institution ids, ``node_id("Topic", label)``), so a
node on a map is the node of ``graph.json`` with the same id. Every node has ``type``, ``label``,
``paper_count`` and ``papers`` (sorted paper ids); every edge has ``weight`` (papers together) and
``papers``. Nodes and edges are inserted in sorted order, so every algorithm run on these graphs
(layout, Leiden) sees the same order on every run.
"""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from ..graph.build import COOCCURRENCE_TOPICS, node_id
from ..model import Corpus

__all__ = [
    "collaboration_graph",
    "institution_graph",
    "topic_graph",
    "association_strength",
    "topic_threshold",
    "select_top",
]


def _graph(kind: str, labels: dict[str, str], node_papers: dict[str, set[str]],
           edge_papers: dict[tuple[str, str], set[str]], papers: int | None = None) -> nx.Graph:
    """The graph of these nodes and edges, sorted; with `papers` (the number of papers with topics)
    each edge also gets its association ``strength``."""
    g = nx.Graph()
    counts = {nid: len(node_papers[nid]) for nid in node_papers}
    g.add_nodes_from((nid, {"type": kind, "label": labels[nid], "paper_count": counts[nid],
                            "papers": sorted(node_papers[nid])}) for nid in sorted(node_papers))

    def edge(u, v):
        linked = sorted(edge_papers[(u, v)])
        data = {"weight": len(linked), "papers": linked}
        if papers is not None:
            data["strength"] = association_strength(len(linked), counts[u], counts[v], papers)
        return u, v, data

    g.add_edges_from(edge(u, v) for (u, v) in sorted(edge_papers))
    return g


def collaboration_graph(corpus: Corpus) -> nx.Graph:
    """Authors linked by co-authorship; edge ``weight`` = papers written together.

    The same nodes and weights as the knowledge graph's ``Author`` nodes and ``CO_AUTHOR`` edges
    (authors of single-author papers are isolated nodes).

    Examples
    --------
    >>> from kg.model import Corpus
    >>> collaboration_graph(Corpus((), (), ())).number_of_nodes()
    0
    """
    names = {a.id: a.name for a in corpus.authors}
    return _paper_links(corpus, "Author", lambda paper: (
        (a.author_id, names.get(a.author_id, a.printed)) for a in paper.authorships))


def institution_graph(corpus: Corpus) -> nx.Graph:
    """Institutions linked by shared papers; edge ``weight`` = papers on which both appear.

    Examples
    --------
    >>> from kg.model import Corpus
    >>> institution_graph(Corpus((), (), ())).number_of_edges()
    0
    """
    names = {i.id: i.name for i in corpus.institutions}
    return _paper_links(corpus, "Institution", lambda paper: (
        (r.institution_id, names.get(r.institution_id, r.name)) for r in paper.institutions))


def _paper_links(corpus: Corpus, kind: str, members) -> nx.Graph:
    """Entities linked by shared papers: `members(paper)` yields (id, label) of a paper's entities."""
    labels: dict[str, str] = {}
    node_papers: dict[str, set[str]] = defaultdict(set)
    edge_papers: dict[tuple[str, str], set[str]] = defaultdict(set)
    for paper in corpus.papers:
        ids = []
        for entity_id, label in members(paper):
            labels.setdefault(entity_id, label)
            node_papers[entity_id].add(paper.id)
            ids.append(entity_id)
        for u, v in combinations(sorted(set(ids)), 2):
            edge_papers[(u, v)].add(paper.id)
    return _graph(kind, labels, node_papers, edge_papers)


def topic_graph(corpus: Corpus, min_occurrences: int = 1) -> nx.Graph:
    """Topics linked by co-occurrence, VOSviewer style.

    A topic's occurrences (``paper_count``) are the papers that have it; two topics co-occur on a
    paper when both are among its ``COOCCURRENCE_TOPICS`` best topics (as the knowledge graph's
    ``CO_OCCURS`` edges). Topics occurring fewer than `min_occurrences` times are left out. Each edge
    also has ``strength``, its association strength (see `association_strength`).

    Examples
    --------
    >>> from kg.model import Corpus
    >>> topic_graph(Corpus((), (), ())).number_of_nodes()
    0
    """
    return _topic_graph(_topic_parts(corpus), min_occurrences)


def _topic_parts(corpus: Corpus) -> tuple:
    """(labels, papers of each topic, papers of each co-occurring pair, papers with topics): what
    `topic_graph` and `topic_threshold` count, gathered in one pass."""
    labels: dict[str, str] = {}
    node_papers: dict[str, set[str]] = defaultdict(set)
    edge_papers: dict[tuple[str, str], set[str]] = defaultdict(set)
    with_topics = 0
    for paper in corpus.papers:
        if paper.topics:
            with_topics += 1
        for label, _score in paper.topics:
            tid = node_id("Topic", label)
            labels.setdefault(tid, label)
            node_papers[tid].add(paper.id)
        top = sorted({node_id("Topic", t) for t, _ in paper.topics[:COOCCURRENCE_TOPICS]})
        for u, v in combinations(top, 2):
            edge_papers[(u, v)].add(paper.id)
    return labels, node_papers, edge_papers, with_topics


def _topic_graph(parts: tuple, min_occurrences: int) -> nx.Graph:
    labels, node_papers, edge_papers, with_topics = parts
    if min_occurrences > 1:
        keep = {t for t, papers in node_papers.items() if len(papers) >= min_occurrences}
        node_papers = {t: node_papers[t] for t in keep}
        edge_papers = {e: p for e, p in edge_papers.items() if e[0] in keep and e[1] in keep}
    g = _graph("Topic", labels, node_papers, edge_papers, papers=with_topics)
    g.graph["papers"] = with_topics
    return g


def association_strength(cooccurrences: int, occ_i: int, occ_j: int, papers: int) -> float:
    """Association strength of a link: ``cooccurrences / (occ_i × occ_j)``, scaled by the number of
    papers so that 1.0 means "as often together as chance predicts" and 3.0 three times as often.

    This is the normalisation VOSviewer uses for co-occurrence maps (van Eck & Waltman 2009): raw
    counts favour frequent topics, which co-occur with everything.

    >>> association_strength(2, 2, 4, 100)
    25.0
    """
    if not occ_i or not occ_j:
        return 0.0
    return cooccurrences * papers / (occ_i * occ_j)


def topic_threshold(corpus: Corpus, max_nodes: int) -> int:
    """The smallest minimum occurrence count that leaves at most `max_nodes` topics (at least 1).

    VOSviewer asks the user for this threshold; this picks the one that shows as many topics as the
    page can take, so a small corpus keeps every topic and the dev corpus keeps its frequent ones.

    >>> from kg.model import Corpus
    >>> topic_threshold(Corpus((), (), ()), 100)
    1
    """
    return _threshold(_topic_parts(corpus)[1], max_nodes)


def _threshold(node_papers: dict[str, set[str]], max_nodes: int) -> int:
    """The smallest k ≥ 1 with at most `max_nodes` topics of k papers or more."""
    occurrences = sorted((len(p) for p in node_papers.values()), reverse=True)
    return occurrences[max_nodes] + 1 if len(occurrences) > max_nodes else 1


def select_top(g: nx.Graph, max_nodes: int, max_edges: int, min_weight: int = 1) -> nx.Graph:
    """The part of `g` a page shows: edges lighter than `min_weight` dropped, then the `max_nodes`
    nodes of highest degree (ties: more papers, then id), then the `max_edges` heaviest edges among
    them (ties: the edge's ids). Returns a new graph with nodes and edges in sorted order.

    Examples
    --------
    >>> g = nx.Graph()
    >>> g.add_node("a", paper_count=1); g.add_node("b", paper_count=1); g.add_node("c", paper_count=5)
    >>> g.add_edge("a", "b", weight=1)
    >>> sorted(select_top(g, 2, 10))
    ['a', 'b']
    """
    heavy = [(u, v) for u, v, w in g.edges(data="weight") if w >= min_weight]
    degree: dict = defaultdict(int)
    for u, v in heavy:
        degree[u] += 1
        degree[v] += 1
    ranked = sorted(g.nodes, key=lambda n: (-degree[n], -g.nodes[n].get("paper_count", 0), n))
    keep = set(ranked[:max_nodes])
    edges = [(u, v) if u <= v else (v, u) for u, v in heavy if u in keep and v in keep]
    edges.sort(key=lambda e: (-g.edges[e]["weight"], e))
    out = nx.Graph(**g.graph)
    out.add_nodes_from((n, g.nodes[n]) for n in sorted(keep))
    adj = g.adj
    out.add_edges_from((u, v, adj[u][v]) for u, v in sorted(edges[:max_edges]))
    return out
