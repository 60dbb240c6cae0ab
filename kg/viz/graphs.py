"""The graphs the maps draw: authors by co-authorship, institutions by shared papers, terms (topics,
tasks, methods, datasets, metrics) by co-occurrence. Plain undirected networkx graphs built straight
from a resolved Corpus.

Node ids are the knowledge graph's own (author ids, institution ids, ``node_id("Topic", label)``,
``node_id("Method", name)``…), so a node on a map is the node of ``graph.json`` with the same id.
Every node has ``type``, ``label``, ``paper_count`` and ``papers`` (sorted paper ids); every edge has
``weight`` (papers together) and ``papers``. Nodes and edges are inserted in sorted order, so every
algorithm run on these graphs (layout, Leiden) sees the same order on every run.

The topic map follows VOSviewer (van Eck & Waltman 2010, 2011): terms linked by co-occurrence with
their association strength, an occurrence threshold, then the most relevant share of the terms
(`relevance`, `select_relevant`, `topic_map_graph`).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable
from itertools import combinations

import networkx as nx

from ..graph.build import COOCCURRENCE_TOPICS, node_id
from ..graph.schema import ENTITY_KINDS
from ..model import Corpus
from .layout import _induced, clusters

__all__ = [
    "collaboration_graph",
    "institution_graph",
    "topic_graph",
    "association_strength",
    "topic_threshold",
    "select_top",
    "TopLinks",
    "relevance",
    "select_relevant",
    "topic_map_graph",
    "TOPIC_MAX_NODES",
    "TERM_TYPES",
]

TOPIC_MAX_NODES = 600
"""The topic map's default number of terms after the relevance selection: a map whose labels an
analyst can still read."""

TERM_TYPES = ("Topic",) + tuple(kind.node for kind in ENTITY_KINDS)
"""The kinds of node of the topic map: ``Topic``, ``Task``, ``Method``, ``Dataset``, ``Metric``."""

# node id prefix ("method:") → node type, as kg.graph.schema.node_id makes ids
_TERM_PREFIXES = {node_id(kind, ""): kind for kind in TERM_TYPES}


def _term_type(nid: str) -> str:
    """The node type of a topic map node id, read from its prefix (``"method:bert"`` → ``"Method"``)."""
    return _TERM_PREFIXES[nid[:nid.index(":") + 1]]


def _graph(kind: str | Callable[[str], str], labels: dict[str, str], node_papers: dict[str, set[str]],
           edge_papers: dict[tuple[str, str], set[str]], papers: int | None = None) -> nx.Graph:
    """The graph of these nodes and edges, sorted; `kind` is every node's type, or gives it from the
    node id. With `papers` (the number of papers with terms) each edge also gets its association
    ``strength``.

    The graph's dicts are filled as ``add_nodes_from`` and ``add_edges_from`` fill them (the same
    order, one data dict per edge shared by both ends), without their checks: half the time of
    the collaboration map of the dev corpus (32,000 authors, 110,000 links)."""
    g = nx.Graph()
    node, adj = g._node, g._adj
    counts: dict[str, int] = {}
    for nid in sorted(node_papers):
        linked = node_papers[nid]
        counts[nid] = len(linked)
        node[nid] = {"type": kind(nid) if callable(kind) else kind, "label": labels[nid],
                     "paper_count": len(linked), "papers": sorted(linked)}
        adj[nid] = {}
    for key in sorted(edge_papers):
        u, v = key
        linked = sorted(edge_papers[key])
        data = {"weight": len(linked), "papers": linked}
        if papers is not None:
            data["strength"] = association_strength(len(linked), counts[u], counts[v], papers)
        adj[u][v] = data
        adj[v][u] = data
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
    return _paper_links(corpus, *_members("collaboration", corpus))


def institution_graph(corpus: Corpus) -> nx.Graph:
    """Institutions linked by shared papers; edge ``weight`` = papers on which both appear.

    Examples
    --------
    >>> from kg.model import Corpus
    >>> institution_graph(Corpus((), (), ())).number_of_edges()
    0
    """
    return _paper_links(corpus, *_members("institutions", corpus))


def _members(view: str, corpus: Corpus) -> tuple[str, Callable]:
    """(node type, members) of the ``collaboration`` or ``institutions`` map: `members(paper)`
    yields (id, label) of the paper's authors or institutions."""
    if view == "collaboration":
        authors = {a.id: a.name for a in corpus.authors}
        return "Author", lambda paper: ((a.author_id, authors.get(a.author_id, a.printed)) for a in paper.authorships)
    institutions = {i.id: i.name for i in corpus.institutions}
    return "Institution", lambda paper: (
        (r.institution_id, institutions.get(r.institution_id, r.name)) for r in paper.institutions)


def _paper_links(corpus: Corpus, kind: str, members) -> nx.Graph:
    """Entities linked by shared papers: `members(paper)` yields (id, label) of a paper's entities."""
    return _graph(kind, *_paper_link_parts(corpus, members))


def _paper_link_parts(corpus: Corpus, members) -> tuple[dict, dict, dict]:
    """(labels, node_papers, edge_papers) of `_paper_links`: each entity's label and papers, each
    linked pair's (u < v) papers."""
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
    return labels, node_papers, edge_papers


class TopLinks:
    """What a page of the collaboration or institution map draws, made without the graph of every
    node: ``shown``, ``select_top(graph, max_nodes, max_edges, min_weight)`` of the `view`'s whole
    graph (``"collaboration"`` or ``"institutions"``), node for node and dict for dict; the whole
    graph's ``nodes`` and ``edges``; and ``candidate_edges``, its edges of weight `min_weight` or
    more between the nodes kept (before `max_edges`). The whole graph of the dev corpus (32,000
    authors, 110,000 links, each with its sorted papers) took half the collaboration map's time."""

    def __init__(self, view: str, corpus: Corpus, max_nodes: int, max_edges: int, min_weight: int = 1):
        kind, members = _members(view, corpus)
        labels, node_papers, edge_papers = _paper_link_parts(corpus, members)
        self.nodes, self.edges = len(node_papers), len(edge_papers)
        # as select_top ranks them: (-weight, u, v) of each edge heavy enough, u < v (combinations)
        heavy = [(-len(linked), u, v) for (u, v), linked in edge_papers.items() if len(linked) >= min_weight]
        degree: dict = defaultdict(int)
        for _, u, v in heavy:
            degree[u] += 1
            degree[v] += 1
        ranked = sorted(node_papers, key=lambda n: (-degree[n], -len(node_papers[n]), n))
        keep = set(ranked[:max_nodes])
        edges = [e for e in heavy if e[1] in keep and e[2] in keep]
        edges.sort()
        self.candidate_edges = len(edges)
        # _graph of the kept nodes and edges: sorted, as select_top adds them
        self.shown = _graph(kind, labels, {n: node_papers[n] for n in keep},
                            {(u, v): edge_papers[(u, v)] for _, u, v in edges[:max_edges]})


def topic_graph(corpus: Corpus, min_occurrences: int = 1) -> nx.Graph:
    """Terms linked by co-occurrence, VOSviewer style: topics and the typed entities (tasks,
    methods, datasets, metrics) papers name.

    A paper's terms are its ``COOCCURRENCE_TOPICS`` best topics and every task, method, dataset and
    metric it names; two terms co-occur on a paper when both are among its terms. A term's
    occurrences (``paper_count``) are the papers that have it (a topic anywhere in the paper's
    topics). Node ``type`` is ``Topic``, ``Task``, ``Method``, ``Dataset`` or ``Metric`` and node
    ids are the knowledge graph's (a Topic "x" and a Method "x" are two nodes). Terms occurring fewer
    than `min_occurrences` times are left out. Each edge also has ``strength``, its association
    strength (see `association_strength`); the graph attribute ``papers`` is the number of papers
    with at least one term.

    Examples
    --------
    >>> from kg.model import Corpus
    >>> topic_graph(Corpus((), (), ())).number_of_nodes()
    0
    """
    return _topic_graph(_topic_parts(corpus), min_occurrences)


class _TopicParts:
    """What `topic_graph`, `topic_threshold` and `topic_map_graph` count, gathered in one pass:
    ``labels`` and ``node_papers`` (the papers of each term), keyed by node id (a node's type is
    `_term_type` of its id); ``with_terms``, the papers with terms; and each paper's terms, from
    which `edge_papers` pairs them up for the terms a map keeps. Pairing every term of every paper
    up front held a set per co-occurring pair, most of them pairs of rare terms no map keeps: 370 MB
    of the dev corpus build's peak."""

    def __init__(self, corpus: Corpus):
        self.labels: dict[str, str] = {}
        self.node_papers: dict[str, set[str]] = defaultdict(set)
        self.paper_terms: list[tuple[str, list[str]]] = []  # (paper id, its co-occurring terms, sorted)
        labels, node_papers = self.labels, self.node_papers
        topic = node_id("Topic", "")
        # the ids and names graph.json has (kg.graph.schema.paper_entities: node ids fold case, and the
        # first of a paper's names equal but for case names the node), made here without the entities
        kinds = [(node_id(kind.node, ""), kind.field) for kind in ENTITY_KINDS]
        for paper in corpus.papers:
            pid = paper.id
            tids = []
            for label, _score in paper.topics:
                tid = topic + label.lower()
                if tid not in labels:
                    labels[tid] = label
                node_papers[tid].add(pid)
                tids.append(tid)
            terms = set(tids[:COOCCURRENCE_TOPICS])
            for prefix, field in kinds:
                for entity in getattr(paper, field):
                    nid = prefix + entity.name.lower()
                    if nid not in labels:
                        labels[nid] = entity.name
                    node_papers[nid].add(pid)
                    terms.add(nid)
            if terms:
                self.paper_terms.append((pid, sorted(terms)))
        self.with_terms = len(self.paper_terms)

    def edge_papers(self, keep: set[str] | None = None) -> dict[tuple[str, str], set[str]]:
        """The papers of each pair of terms found together in a paper; only pairs of `keep`'s terms
        when given."""
        pairs: dict[tuple[str, str], set[str]] = defaultdict(set)
        for pid, terms in self.paper_terms:
            if keep is not None:
                terms = [t for t in terms if t in keep]
            for u, v in combinations(terms, 2):
                pairs[(u, v)].add(pid)
        return pairs

    def pair_count(self) -> int:
        """The number of distinct pairs of terms found together, counted as integers: the pairs of
        the papers with k terms made at once, as ``i × n + j`` of the terms' indexes, sorted."""
        import numpy as np

        index = {t: i for i, t in enumerate(self.node_papers)}
        n = len(index)
        by_size: dict[int, list[int]] = defaultdict(list)  # k → the term indexes of its papers, one after another
        for _pid, terms in self.paper_terms:
            if len(terms) > 1:
                by_size[len(terms)].extend([index[t] for t in terms])
        chunks = []
        for k, flat in by_size.items():
            ids = np.array(flat, dtype=np.int64).reshape(-1, k)
            first, second = np.triu_indices(k, 1)
            chunks.append((ids[:, first] * n + ids[:, second]).ravel())
        if not chunks:
            return 0
        keys = np.concatenate(chunks)
        keys.sort()
        return int(np.count_nonzero(keys[1:] != keys[:-1])) + 1


def _topic_parts(corpus: Corpus) -> _TopicParts:
    return _TopicParts(corpus)


def _topic_graph(parts: _TopicParts, min_occurrences: int) -> nx.Graph:
    node_papers, keep = parts.node_papers, None
    if min_occurrences > 1:
        keep = {t for t, papers in node_papers.items() if len(papers) >= min_occurrences}
        node_papers = {t: node_papers[t] for t in keep}
    g = _graph(_term_type, parts.labels, node_papers, parts.edge_papers(keep), papers=parts.with_terms)
    g.graph["papers"] = parts.with_terms
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
    """The smallest minimum occurrence count that leaves at most `max_nodes` terms (at least 1).

    VOSviewer asks the user for this threshold; this picks the one that shows as many terms as the
    page can take, so a small corpus keeps every term and the dev corpus keeps its frequent ones.

    >>> from kg.model import Corpus
    >>> topic_threshold(Corpus((), (), ()), 100)
    1
    """
    return _threshold(_topic_parts(corpus).node_papers, max_nodes)


def _threshold(node_papers: dict[str, set[str]], max_nodes: int) -> int:
    """The smallest k ≥ 1 with at most `max_nodes` terms of k papers or more."""
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
    adj, nodes = g._adj, g._node  # read straight: the views cost more than the work on big graphs
    # each edge once, as (-weight, u, v) with u ≤ v
    heavy = [(-d["weight"], u, v) for u, nbrs in adj.items() for v, d in nbrs.items()
             if u <= v and d["weight"] >= min_weight]
    degree: dict = defaultdict(int)
    for _, u, v in heavy:
        degree[u] += 1
        degree[v] += 1
    ranked = sorted(nodes, key=lambda n: (-degree[n], -nodes[n].get("paper_count", 0), n))
    keep = set(ranked[:max_nodes])
    edges = [e for e in heavy if e[1] in keep and e[2] in keep]
    edges.sort()  # heaviest first, ties by ids
    out = nx.Graph(**g.graph)
    out.add_nodes_from((n, nodes[n]) for n in sorted(keep))
    out.add_edges_from((u, v, adj[u][v]) for u, v in sorted((u, v) for _, u, v in edges[:max_edges]))
    return out


def _ceil(x: float) -> int:
    """ceil(x), blind to float noise (0.7 × 10 is 7.000000000000001, not more than 7)."""
    return math.ceil(round(x, 9))


def relevance(g: nx.Graph, weight: str = "strength", groups: dict | None = None) -> dict:
    """Node → relevance of each term of a co-occurrence graph, as VOSviewer ranks terms (van Eck &
    Waltman 2011; van Eck et al. 2010, "Automatic term identification for bibliometric mapping").

    A term whose co-occurrences spread evenly over the map is general ("result", "method"); one
    whose co-occurrences concentrate on a few clusters is specific. The terms are clustered
    (`kg.viz.layout.clusters`, Leiden on the edge attribute `weight`) unless `groups` (node →
    cluster) is given. For each term, p(c) is the share of its co-occurrences (edge ``weight``:
    papers together; 1 when missing) with the terms of cluster c; q(c) the share of all
    co-occurrences of all terms falling on cluster c (each link counted at both its ends). The
    relevance is the Kullback-Leibler divergence KL(p ‖ q) = Σ p(c) ln(p(c) / q(c)), rounded to 6
    decimals; 0 for a term without links. Sums run in sorted order: the same graph gives the same
    values on every run.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> relevance(g, groups={"a": 0, "b": 0, "c": 1, "d": 1})
    {'a': 0.693147, 'b': 0.0, 'c': 0.0, 'd': 0.693147}
    """
    if groups is None:
        groups = clusters(g, weight=weight)
    nodes = sorted(g)
    spread: dict = {}
    overall: dict = defaultdict(float)
    for n in nodes:
        adj = g.adj[n]
        mine: dict = defaultdict(float)
        for m in sorted(adj):
            if m != n:
                mine[groups[m]] += adj[m].get("weight", 1)
        spread[n] = mine
        for c in sorted(mine):
            overall[c] += mine[c]
    grand = sum(overall[c] for c in sorted(overall))
    out = {}
    for n in nodes:
        mine = spread[n]
        total = sum(mine[c] for c in sorted(mine))
        kl = 0.0
        if total > 0:
            for c in sorted(mine):
                p = mine[c] / total
                if p > 0:
                    kl += p * math.log(p / (overall[c] / grand))
        out[n] = round(kl, 6) + 0.0  # + 0.0: no "-0.0" from rounding noise
    return out


def select_relevant(g: nx.Graph, share: float = 0.6, weight: str = "strength", *,
                    max_nodes: int | None = None, groups: dict | None = None) -> nx.Graph:
    """The ``ceil(share × n)`` most relevant of the `n` nodes of `g` (`relevance`, clustering on
    `weight` unless `groups` is given), as VOSviewer keeps 60% of the terms by default; at most
    `max_nodes` when given. Ties: more papers, then the node id. Returns the induced subgraph as a new graph with nodes and edges
    in sorted order, the graph attributes of `g`, and node attribute ``relevance`` on each node.

    >>> g = nx.Graph([("a", "b"), ("b", "c"), ("c", "d")])
    >>> sorted(select_relevant(g, 0.5))
    ['a', 'd']
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share!r}")
    scores = relevance(g, weight=weight, groups=groups)
    nodes = g.nodes
    ranked = sorted(nodes, key=lambda n: (-scores[n], -nodes[n].get("paper_count", 0), n))
    count = _ceil(share * len(ranked))
    if max_nodes is not None:
        count = min(count, max_nodes)
    out = _induced(g, ranked[:count])
    out.graph.update(g.graph)
    for n, data in out.nodes(data=True):
        data["relevance"] = scores[n]
    return out


def topic_map_graph(corpus: Corpus, max_nodes: int = TOPIC_MAX_NODES, min_occurrences: int | None = None,
                    share: float = 0.6) -> tuple[int, int, nx.Graph]:
    """(terms of the whole co-occurrence graph, its links, the graph the topic map draws).

    VOSviewer's steps: the terms occurring at least k times (`min_occurrences`, or else the smallest
    k that leaves at most ``ceil(max_nodes / share)`` terms), then the `share` most relevant of them
    (`select_relevant`, at most `max_nodes`). Graph attributes: ``min_occurrences`` (k),
    ``relevance_share``, ``candidates`` (terms before the relevance selection), ``papers`` (papers
    with terms); node attribute ``relevance``.

    >>> from kg.model import Corpus
    >>> terms, links, g = topic_map_graph(Corpus((), (), ()))
    >>> terms, links, g.number_of_nodes(), g.graph["min_occurrences"], g.graph["candidates"]
    (0, 0, 0, 1, 0)
    """
    if not 0 < share <= 1:
        raise ValueError(f"share must be in (0, 1], not {share!r}")
    if max_nodes < 1:
        raise ValueError(f"max_nodes must be at least 1, not {max_nodes!r}")
    parts = _topic_parts(corpus)
    k = min_occurrences if min_occurrences is not None else _threshold(parts.node_papers, _ceil(max_nodes / share))
    candidates = _topic_graph(parts, k)
    g = select_relevant(candidates, share, max_nodes=max_nodes)
    g.graph.update(min_occurrences=k, relevance_share=share, candidates=candidates.number_of_nodes(),
                   papers=parts.with_terms)
    return len(parts.node_papers), parts.pair_count(), g
