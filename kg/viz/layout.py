"""Clusters and positions computed in Python, so the browser draws a finished map.

* `clusters`: Louvain communities (networkx, seeded), numbered by size.
* `layout`: each connected component is laid out on its own and the components are packed in rows,
  largest first. A component small enough is one ``networkx.spring_layout`` (seeded); a bigger one is
  laid out as a map of its clusters: every cluster gets its own spring layout, scaled to its size, and
  the clusters are placed by a spring layout of the graph *between* clusters, then pushed apart until
  no two overlap. networkx's own layouts cost O(n²) per iteration and need scipy above 500 nodes
  (``spring_layout`` on the 4,700-node component of the dev corpus' top 5,000 authors: 45–50 s;
  ``forceatlas2_layout`` with 20 iterations: 26 s); the cluster map keeps every spring layout under
  `SPRING_LIMIT` nodes and lays out 5,000 nodes in a few seconds, with clusters visibly grouped as
  in VOSviewer.

Everything is deterministic: the graphs come with sorted nodes, every random choice is seeded, and
positions are rounded.
"""

from __future__ import annotations

import math

import networkx as nx

__all__ = ["clusters", "layout", "SPRING_LIMIT", "SEED"]

SEED = 42
SPRING_LIMIT = 300  # largest group laid out by one spring layout (dense numpy, O(n²) per iteration)
UNIT = 90.0  # typical distance between linked nodes, in page pixels (nodes are drawn 5–36 px in radius)
_GAP = UNIT  # space between cluster discs
_PACK_GAP = 2.0 * UNIT  # space between packed components (room for their labels)


def _induced(g: nx.Graph, nodes) -> nx.Graph:
    """The subgraph on `nodes` as a new graph with nodes and edges in sorted order.

    ``g.subgraph`` iterates a *set* of nodes when the subgraph is small, whose order changes with
    Python's string hashing from one process to the next: layouts would too.
    """
    keep = set(nodes)
    h = nx.Graph()
    for n in sorted(keep):
        h.add_node(n, **g.nodes[n])
    for u in sorted(keep):
        for v in sorted(v for v in g.adj[u] if v in keep and u < v):
            h.add_edge(u, v, **g.adj[u][v])
    return h


def clusters(g: nx.Graph, weight: str = "weight", resolution: float = 1.0, seed: int = SEED) -> dict:
    """Node → cluster number (0 = largest cluster), from Louvain communities.

    Ties in size are broken by the smallest node id, so numbering is stable.

    >>> g = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    >>> clusters(g)
    {'c': 0, 'd': 0, 'e': 0, 'a': 1, 'b': 1}
    """
    if g.number_of_nodes() == 0:
        return {}
    communities = nx.community.louvain_communities(g, weight=weight, resolution=resolution, seed=seed)
    ordered = sorted((sorted(c) for c in communities), key=lambda c: (-len(c), c[0]))
    return {n: i for i, members in enumerate(ordered) for n in members}


def _spring(g: nx.Graph, weight: str, seed: int) -> dict:
    """Spring layout of a small connected graph, scaled so that a graph of n nodes has radius
    about UNIT·√n (uniform density whatever its size), centred on (0, 0)."""
    n = g.number_of_nodes()
    if n == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if n == 2:
        a, b = sorted(g)
        return {a: (0.0, -UNIT / 2), b: (0.0, UNIT / 2)}  # one above the other: labels do not collide
    pos = nx.spring_layout(g, weight=weight, seed=seed, iterations=100 if n <= 100 else 60)
    radius = UNIT * math.sqrt(n) * 0.6
    return {node: (float(x) * radius, float(y) * radius) for node, (x, y) in pos.items()}


def _radius(pos: dict) -> float:
    return max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + UNIT / 2


def _separate(centres: list[list[float]], radii: list[float], rounds: int = 200) -> None:
    """Push discs apart (in place) until none overlap, keeping their arrangement."""
    k = len(centres)
    for _ in range(rounds):
        moved = False
        for i in range(k):
            for j in range(i + 1, k):
                dx = centres[j][0] - centres[i][0]
                dy = centres[j][1] - centres[i][1]
                d = math.hypot(dx, dy)
                need = radii[i] + radii[j] + _GAP / 2
                if d < need:
                    if d < 1e-9:
                        dx, dy, d = 1.0, 0.0, 1.0
                    push = (need - d) / 2
                    ux, uy = dx / d * push, dy / d * push
                    # the bigger disc moves less
                    wi = radii[j] / (radii[i] + radii[j])
                    wj = 1.0 - wi
                    centres[i][0] -= 2 * ux * wi
                    centres[i][1] -= 2 * uy * wi
                    centres[j][0] += 2 * ux * wj
                    centres[j][1] += 2 * uy * wj
                    moved = True
        if not moved:
            break


def _cluster_map(g: nx.Graph, weight: str, seed: int, depth: int = 0, given: dict | None = None) -> dict:
    """Layout of a connected graph too big for one spring layout: clusters laid out apart, then
    placed by the links between them. `given` are the page's clusters (so colours and groups agree);
    clusters still too big are split again at a higher resolution."""
    if given is not None:
        groups = {n: given[n] for n in g}
    else:
        groups = clusters(g, weight=weight, resolution=1.0 + depth, seed=seed)
    members: dict[int, list] = {}
    for node, c in groups.items():
        members.setdefault(c, []).append(node)
    if len(members) == 1:  # Louvain could not split it
        if given is not None or depth < 3:
            return _cluster_map(g, weight, seed + 1, depth + 1 if given is None else depth)
        pos = nx.forceatlas2_layout(g, weight=weight, seed=seed, max_iter=60) if hasattr(nx, "forceatlas2_layout") \
            else nx.circular_layout(g)
        radius = UNIT * math.sqrt(g.number_of_nodes()) * 0.6
        return {node: (float(x) * radius, float(y) * radius) for node, (x, y) in nx.rescale_layout_dict(pos).items()}
    inner: dict[int, dict] = {}
    for c in sorted(members):
        sub = _induced(g, members[c])
        inner[c] = _component(sub, weight, seed, depth + 1)
    # the graph between clusters, with the summed weight of the links across
    q = nx.Graph()
    q.add_nodes_from(sorted(members))
    for u, v, w in g.edges(data=weight, default=1):
        cu, cv = groups[u], groups[v]
        if cu != cv:
            a, b = min(cu, cv), max(cu, cv)
            q.add_edge(a, b, weight=(q.edges[a, b]["weight"] if q.has_edge(a, b) else 0) + (w or 1))
    # links between clusters normalised by cluster sizes (association strength): otherwise the
    # biggest clusters pull everything to them
    for a, b, d in q.edges(data=True):
        d["weight"] = d["weight"] / (len(members[a]) * len(members[b]))
    radii = [_radius(inner[c]) for c in sorted(members)]
    qpos = nx.spring_layout(q, weight="weight", seed=seed, iterations=100)
    # start packed too tight and let the discs push each other apart: a compact map, arrangement kept
    spread = math.sqrt(sum(r * r for r in radii)) * 0.5
    centres = [[float(qpos[c][0]) * spread, float(qpos[c][1]) * spread] for c in sorted(members)]
    _separate(centres, radii, rounds=500)
    out = {}
    for c, (cx, cy) in zip(sorted(members), centres):
        for node, (x, y) in inner[c].items():
            out[node] = (x + cx, y + cy)
    return out


def _component(g: nx.Graph, weight: str, seed: int, depth: int = 0, given: dict | None = None) -> dict:
    if g.number_of_nodes() <= SPRING_LIMIT:
        return _spring(g, weight, seed)
    return _cluster_map(g, weight, seed, depth, given)


def _centre(pos: dict) -> dict:
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {n: (x - cx, y - cy) for n, (x, y) in pos.items()}


def layout(g: nx.Graph, weight: str = "weight", seed: int = SEED, groups: dict | None = None) -> dict:
    """Node → (x, y) in page pixels, rounded to 0.1.

    Connected components are laid out apart and packed in rows (largest first, rows about as wide
    as the whole is tall); isolated nodes make one block of rows at the end, biggest first.

    >>> pos = layout(nx.Graph([("a", "b"), ("c", "d")]))
    >>> sorted(pos) == ["a", "b", "c", "d"] and pos == layout(nx.Graph([("a", "b"), ("c", "d")]))
    True
    """
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    placed = []
    for members in comps:
        if len(members) == 1:
            continue
        pos = _centre(_component(_induced(g, members), weight, seed, given=groups))
        xs = [x for x, _ in pos.values()]
        ys = [y for _, y in pos.values()]
        placed.append((pos, max(xs) - min(xs) + UNIT, max(ys) - min(ys) + UNIT))
    # isolated nodes: one block of rows, biggest first; wide cells so their labels stay apart
    alone = sorted((c[0] for c in comps if len(c) == 1),
                   key=lambda n: (-g.nodes[n].get("paper_count", 0), n))
    if alone:
        step_x, step_y = UNIT * 3.0, UNIT * 0.6
        cols = max(1, min(len(alone), math.ceil(math.sqrt(len(alone) * step_y / step_x))))
        rows = math.ceil(len(alone) / cols)
        pos = _centre({n: ((i % cols) * step_x, (i // cols) * step_y) for i, n in enumerate(alone)})
        placed.append((pos, (cols - 1) * step_x + UNIT, (rows - 1) * step_y + UNIT))
    if not placed:
        return {}
    area = sum((w + _PACK_GAP) * (h + _PACK_GAP) for _, w, h in placed)
    row_width = max(max(w for _, w, _ in placed), math.sqrt(area) * 1.3)
    out: dict = {}
    x = y = 0.0
    row_h = 0.0
    for pos, w, h in placed:
        if x > 0 and x + w > row_width:
            x = 0.0
            y += row_h + _PACK_GAP
            row_h = 0.0
        for node, (px, py) in pos.items():
            out[node] = (round(px + x + w / 2, 1), round(py + y + h / 2, 1))
        x += w + _PACK_GAP
        row_h = max(row_h, h)
    return out
