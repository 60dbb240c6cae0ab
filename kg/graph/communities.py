"""Communities of a weighted undirected graph: the Leiden algorithm, run by igraph's C library.

Leiden (Traag, Waltman & van Eck 2019) improves on Louvain: every community it returns is
connected, and it reaches higher modularity. It is also what VOSviewer clusters with, so the
VOSviewer files and the maps group items the way VOSviewer users expect. networkx ships Louvain
only, in Python; on the dev corpus's co-authorship network (32k authors, 109k links) it took 5.9 s
and the topic network (49k topics, 242k links) 19.6 s, where igraph's Leiden takes 0.5 s and
4.5 s with higher modularity (0.890 vs 0.885, 0.515 vs 0.491).

Results are deterministic: nodes enter igraph in sorted order, edges in sorted order, and igraph's
random number generator is a ``random.Random(seed)`` for the duration of the call.

>>> import networkx as nx
>>> g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("c", "d"), ("d", "e"), ("e", "f"), ("d", "f")])
>>> [sorted(c) for c in leiden_communities(g)]
[['a', 'b', 'c'], ['d', 'e', 'f']]
"""

from __future__ import annotations

import random
import threading

import networkx as nx

__all__ = ["leiden_communities", "SEED"]

SEED = 42
_RNG_LOCK = threading.Lock()  # igraph's generator is process-wide: one seeded call at a time


def leiden_communities(g: nx.Graph, weight: str | None = "weight", resolution: float = 1.0,
                       seed: int = SEED) -> list[set]:
    """The communities of `g` maximising modularity at `resolution` (higher gives more, smaller
    communities), iterated until no node moves; sorted by size, largest first, ties by smallest
    node. Edges without `weight` count 1; self-loops count as igraph counts them."""
    import igraph

    nodes = sorted(g)
    if not nodes:
        return []
    index = {node: i for i, node in enumerate(nodes)}
    edges = sorted(
        (min(index[u], index[v]), max(index[u], index[v]), float(data.get(weight, 1)) if weight else 1.0)
        for u, v, data in g.edges(data=True)
    )
    h = igraph.Graph(n=len(nodes), edges=[(a, b) for a, b, _ in edges])
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))
        try:
            membership = h.community_leiden(objective_function="modularity", weights=[w for _, _, w in edges],
                                            resolution=resolution, n_iterations=-1).membership
        finally:
            igraph.set_random_number_generator(random)
    groups: dict[int, set] = {}
    for node, group in zip(nodes, membership):
        groups.setdefault(group, set()).add(node)
    return sorted(groups.values(), key=lambda members: (-len(members), min(members)))
