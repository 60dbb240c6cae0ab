"""Leiden communities (kg.graph.communities): deterministic, connected, the same from a graph or its links."""

import networkx as nx

from kg.graph.communities import leiden_communities, leiden_partition


def _two_cliques_and_a_bridge() -> nx.Graph:
    g = nx.Graph()
    g.add_weighted_edges_from([("a", "b", 3), ("b", "c", 3), ("a", "c", 3), ("d", "e", 2), ("e", "f", 2),
                               ("d", "f", 2), ("c", "d", 1), ("x", "y", 1)])
    return g


def test_communities_of_two_cliques_a_bridge_and_a_pair():
    assert leiden_communities(_two_cliques_and_a_bridge()) == [{"a", "b", "c"}, {"d", "e", "f"}, {"x", "y"}]


def test_partition_from_links_equals_communities_from_the_graph():
    g = _two_cliques_and_a_bridge()
    nodes = sorted(g)
    index = {n: i for i, n in enumerate(nodes)}
    # links in any order and either direction: the partition sorts them as leiden_communities does
    links = [(index[v], index[u], float(w)) for u, v, w in reversed(list(g.edges(data="weight")))]
    assert leiden_partition(nodes, links) == leiden_communities(g)
    assert leiden_partition([], []) == []


def test_same_seed_same_partition_and_every_community_connected():
    g = nx.connected_caveman_graph(12, 6)
    nx.set_edge_attributes(g, 1, "weight")
    first = leiden_communities(g, seed=7)
    assert first == leiden_communities(g, seed=7)
    assert all(nx.is_connected(g.subgraph(c)) for c in first)
    assert len(first) == 12
