"""kg.viz.graphs, made faster, gives the graphs it gave: the topic map's terms as
kg.graph.schema.paper_entities names them, the count of co-occurring pairs, the graphs' dicts in
the order networkx's own methods fill them, and the same selection of a page's top nodes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from itertools import combinations

import networkx as nx
import pytest

from kg.graph.build import COOCCURRENCE_TOPICS, node_id
from kg.graph.schema import ENTITY_KINDS, paper_entities
from kg.model import Entity, Entry, Extraction, Source
from kg.resolve import resolve
from kg.viz import collaboration_graph, institution_graph, select_top, topic_graph
from kg.viz.graphs import TopLinks, _graph, _term_type, _topic_parts
from kg.viz.layout import _induced


@pytest.fixture(scope="module")
def corpus():
    entries, extractions = [], []
    for n in range(30):
        team = (f"A{n % 7} Author", f"B{(n * 3) % 11} Author", f"C{(n * 5) % 13} Author")[: 1 + n % 3]
        entries.append(Entry(source=Source("d.txt", n + 1), format="digest", number=n + 1, title=f"Paper {n}",
                             authors=team, institutions=(f"University {n % 4}", f"Lab {n % 3}"),
                             abstract=f"Abstract {n}.", arxiv_id=f"2101.{n:05d}"))
        # topics and entities named in two cases, the paper's first spelling changing along the corpus
        topics = tuple((f"Topic {(n * k) % 9}" if n % 2 else f"topic {(n * k) % 9}", 0.9 - 0.1 * k) for k in range(1, 8))
        extractions.append(Extraction(topics=topics, methods=(Entity(f"GAN{n % 2}"),),
                                      datasets=(Entity(f"Set-{n % 5}"),), tasks=(Entity("Segmentation"),)))
    resolved = resolve(entries, extractions)
    # resolution names each entity one way across the corpus: two cases of one name come back here
    # (a paper's first spelling names the node, the first paper's names it in the map)
    papers = []
    for n, paper in enumerate(resolved.papers):
        first, second = (f"BERT{n % 3}", f"bert{n % 3}") if n % 4 else (f"bert{n % 3}", f"Bert{n % 3}")
        papers.append(replace(paper, methods=(Entity(first), Entity(second), *paper.methods)))
    return replace(resolved, papers=tuple(papers))


def reference_parts(corpus):
    """What _TopicParts gathered before it was made faster (through paper_entities and node_id)."""
    labels, node_papers, paper_terms = {}, defaultdict(set), []
    for paper in corpus.papers:
        for label, _score in paper.topics:
            tid = node_id("Topic", label)
            labels.setdefault(tid, label)
            node_papers[tid].add(paper.id)
        terms = {node_id("Topic", t) for t, _ in paper.topics[:COOCCURRENCE_TOPICS]}
        for kind in ENTITY_KINDS:
            for nid, entity in paper_entities(paper, kind):
                labels.setdefault(nid, entity.name)
                node_papers[nid].add(paper.id)
                terms.add(nid)
        if terms:
            paper_terms.append((paper.id, sorted(terms)))
    return labels, dict(node_papers), paper_terms


def test_topic_parts_are_the_terms_the_graph_names(corpus):
    parts = _topic_parts(corpus)
    labels, node_papers, paper_terms = reference_parts(corpus)
    assert list(parts.labels.items()) == list(labels.items())
    assert list(parts.node_papers.items()) == list(node_papers.items())
    assert parts.paper_terms == paper_terms and parts.with_terms == 30
    assert {labels[f"method:bert{k}"] for k in range(3)} == {"bert0", "BERT1", "BERT2"}


def test_pair_count_counts_each_pair_once(corpus):
    parts = _topic_parts(corpus)
    pairs = {(u, v) for _pid, terms in parts.paper_terms for u, v in combinations(terms, 2)}
    assert parts.pair_count() == len(pairs) == len(parts.edge_papers()) == topic_graph(corpus).number_of_edges()
    empty = _topic_parts(resolve([], []))
    assert empty.pair_count() == 0


def reference_graph(kind, labels, node_papers, edge_papers, papers=None) -> nx.Graph:
    """_graph as it was, through networkx's methods."""
    from kg.viz import association_strength

    g = nx.Graph()
    counts = {nid: len(node_papers[nid]) for nid in node_papers}
    type_of = kind if callable(kind) else (lambda _nid: kind)
    g.add_nodes_from((nid, {"type": type_of(nid), "label": labels[nid], "paper_count": counts[nid],
                            "papers": sorted(node_papers[nid])}) for nid in sorted(node_papers))

    def edge(u, v):
        linked = sorted(edge_papers[(u, v)])
        data = {"weight": len(linked), "papers": linked}
        if papers is not None:
            data["strength"] = association_strength(len(linked), counts[u], counts[v], papers)
        return u, v, data

    g.add_edges_from(edge(u, v) for (u, v) in sorted(edge_papers))
    return g


def same_graph(a: nx.Graph, b: nx.Graph) -> bool:
    """Equal nodes, adjacency and data, in the same orders, one data dict per edge shared by its ends."""
    return (list(a.nodes(data=True)) == list(b.nodes(data=True))
            and [(n, list(d.items())) for n, d in a.nodes(data=True)] == [(n, list(d.items())) for n, d in b.nodes(data=True)]
            and [(u, [(v, list(d.items())) for v, d in nbrs.items()]) for u, nbrs in a.adj.items()]
            == [(u, [(v, list(d.items())) for v, d in nbrs.items()]) for u, nbrs in b.adj.items()]
            and all(a.adj[u][v] is a.adj[v][u] for u, v in a.edges) and a.graph == b.graph)


def test_graph_is_what_networkx_methods_make(corpus):
    parts = _topic_parts(corpus)
    made = _graph(_term_type, parts.labels, parts.node_papers, parts.edge_papers(), papers=parts.with_terms)
    assert same_graph(made, reference_graph(_term_type, parts.labels, parts.node_papers, parts.edge_papers(),
                                            papers=parts.with_terms))
    labels = {"a": "A", "b": "B", "c": "C"}
    node_papers = {"c": {"p2", "p1"}, "a": {"p1"}, "b": {"p1", "p3"}}
    edge_papers = {("b", "c"): {"p1"}, ("a", "b"): {"p1"}, ("a", "c"): {"p1"}}
    made = _graph("Author", labels, node_papers, edge_papers)
    assert same_graph(made, reference_graph("Author", labels, node_papers, edge_papers))
    assert list(made.adj["c"]) == ["a", "b"] and made.nodes["c"]["papers"] == ["p1", "p2"]


def reference_select_top(g, max_nodes, max_edges, min_weight=1):
    """select_top as it was, through networkx's views."""
    heavy = [(u, v) for u, v, w in g.edges(data="weight") if w >= min_weight]
    degree = defaultdict(int)
    for u, v in heavy:
        degree[u] += 1
        degree[v] += 1
    ranked = sorted(g.nodes, key=lambda n: (-degree[n], -g.nodes[n].get("paper_count", 0), n))
    keep = set(ranked[:max_nodes])
    edges = [(u, v) if u <= v else (v, u) for u, v in heavy if u in keep and v in keep]
    edges.sort(key=lambda e: (-g.edges[e]["weight"], e))
    out = nx.Graph(**g.graph)
    out.add_nodes_from((n, g.nodes[n]) for n in sorted(keep))
    out.add_edges_from((u, v, g.adj[u][v]) for u, v in sorted(edges[:max_edges]))
    return out


@pytest.mark.parametrize("limits", [(1000, 1000, 1), (8, 1000, 1), (12, 9, 1), (10, 5, 2), (3, 0, 1)])
def test_select_top_keeps_what_it_kept(corpus, limits):
    for g in (collaboration_graph(corpus), institution_graph(corpus), topic_graph(corpus)):
        assert same_graph(select_top(g, *limits), reference_select_top(g, *limits))


def reference_induced(g, nodes):
    """_induced as it was, through add_node and add_edge."""
    keep = set(nodes)
    h = nx.Graph()
    for n in sorted(keep):
        h.add_node(n, **g.nodes[n])
    for u in sorted(keep):
        for v in sorted(v for v in g.adj[u] if v in keep and u < v):
            h.add_edge(u, v, **g.adj[u][v])
    return h


def test_induced_subgraph_is_what_add_node_and_add_edge_make(corpus):
    g = collaboration_graph(corpus)
    first = sorted(g)[0]
    g.add_edge(first, first, weight=3, papers=[])  # a self-loop is left out
    for nodes in (list(g), sorted(g)[::3], [n for n in g if len(g.adj[n]) > 2], []):
        made = _induced(g, nodes)
        assert same_graph(made, reference_induced(g, nodes))
        assert all(made.nodes[n] is not g.nodes[n] for n in made)  # copies: the caller may add to them
    assert not _induced(g, [first]).has_edge(first, first)


@pytest.mark.parametrize("limits", [(1000, 1000, 1), (8, 1000, 1), (12, 9, 1), (10, 5, 2), (3, 0, 1), (5, 3, 9)])
def test_top_links_are_the_top_of_the_whole_graph(corpus, limits):
    for view, whole in (("collaboration", collaboration_graph(corpus)), ("institutions", institution_graph(corpus))):
        top = TopLinks(view, corpus, *limits)
        shown = reference_select_top(whole, *limits)
        assert same_graph(top.shown, shown)
        assert (top.nodes, top.edges) == (whole.number_of_nodes(), whole.number_of_edges())
        assert top.candidate_edges == sum(1 for u, v, w in whole.edges(data="weight")
                                          if u in shown and v in shown and w >= limits[2])


def test_top_links_counts(corpus):
    top = TopLinks("collaboration", corpus, 12, 9)
    assert (top.nodes, top.edges, top.candidate_edges, top.shown.number_of_nodes(), top.shown.number_of_edges()) == (
        28, 40, 10, 12, 9)
