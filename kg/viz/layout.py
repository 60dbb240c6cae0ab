"""Clusters and positions computed in Python, so the browser draws a finished map.

* `clusters`: Leiden communities (kg.graph.communities, seeded), numbered by size.
* `layout`: each connected component is laid out on its own and the components of more than
  `DETACHED_MAX` nodes are packed in rows, largest first: the main map. The `detached` ones (isolated
  nodes and pairs, which the page hides by default) make a compact block of columns at the main map's
  right, top-aligned, about as tall as the map. A component small enough is one
  ``networkx.spring_layout`` (seeded); a bigger one is laid out as a map of its clusters: every cluster
  gets its own spring layout, scaled to its size, and the clusters are placed by a spring layout of the
  graph *between* clusters, then pushed apart until no two overlap. networkx's own layouts cost O(n²)
  per iteration and need scipy above 500 nodes (``spring_layout`` on the 4,700-node component of the
  dev corpus' top 5,000 authors: 45–50 s; ``forceatlas2_layout`` with 20 iterations: 26 s); the
  cluster map keeps every spring layout under `SPRING_LIMIT` nodes and lays out 5,000 nodes in a few
  seconds, with clusters visibly grouped as in VOSviewer. (Placing the clusters by a LinLog
  ``forceatlas2_layout`` of the graph between them instead, with or without hub dissuasion and disc
  sizes, gave the same picture and no shorter links on that graph: the push-apart step decides it.)

Labels take room too. `label_sizes` picks the label font sizes of a page (in page pixels, as the
browser draws them, see ``static/map.js``) from the extent of a first layout, and `footprints` turns
each node into the box its dot and its label cover (the label text width estimated from DejaVu Sans'
advance widths, the widest of the usual ``system-ui, sans-serif`` fonts). Given footprints, `layout`
pushes apart the nodes of a spring layout whose boxes overlap, sizes cluster discs and packed
components by their boxes (labels included), and gives the block of detached nodes columns as
wide as their labels. Only labels big enough to be drawn in the whole view get a box: smaller ones
appear as one zooms in (labels prioritised by size).

Everything is deterministic: the graphs come with sorted nodes, every random choice is seeded, and
positions are rounded.
"""

from __future__ import annotations

import math
import unicodedata

import networkx as nx

from ..graph.communities import leiden_communities
from .layout_cache import MIN_CACHED, LayoutCache

__all__ = ["clusters", "layout", "detached", "detached_limit", "DETACHED_MAX", "SMALL_SHARE", "label_sizes",
           "footprints", "text_width", "node_scale", "SPRING_LIMIT", "SEED"]

SEED = 42
SPRING_LIMIT = 300  # largest group laid out by one spring layout (dense numpy, O(n²) per iteration)
UNIT = 90.0  # typical distance between linked nodes, in page pixels (nodes are drawn 5–36 px in radius)
_GAP = UNIT  # space between cluster discs
_PACK_GAP = 2.0 * UNIT  # space between packed components (room for their labels)
DETACHED_MAX = 2  # components of at most this many nodes are "detached" (isolated nodes and pairs)
SMALL_SHARE = 0.01  # beside a giant component, components under this share of it are detached too
_SIDE_GAP = 2.0 * UNIT  # space between the main map and the block of detached nodes at its right

# ---- room for labels, in the geometry vis-network drew them with (the pages before sigma.js; pyvis
# still does). static/map.js now places labels itself and skips those without room; this model
# only spreads small maps (page.PHYSICS_LIMIT) so that most labels find room ----------------------
REFERENCE_VIEW = (1080.0, 660.0)  # the map's canvas in a 1400 x 900 window (the side panel is 320 px)
NODE_SIZE = (5.0, 36.0)  # dot radius of the smallest and the biggest node (map.js: scaling min, max)
LABEL_SCREEN = (9.0, 18.0)  # on-screen font size of the smallest (small maps) and biggest label in the whole view
LABEL_LIMITS = (12.0, 24.0, 30.0, 800.0)  # smallest label font: at least, at most; biggest: at least, at most
LABEL_DRAWN = 5.0  # vis-network draws a label when its font is at least drawThreshold - 1 px on screen
LABEL_MARGIN = 6.0  # page pixels kept free around a dot and its label
_DECLUTTER_LIMIT = 1500  # nodes pushed apart at once (pairwise numpy arrays)
# advance widths of DejaVu Sans (em/100), measured in Chromium's canvas: wider than the other usual
# system-ui / sans-serif fonts, so the estimate errs on the side of room
_WIDTHS = dict(zip(
    " !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~",
    (32, 41, 46, 84, 64, 96, 78, 28, 40, 40, 50, 84, 32, 37, 32, 34, 64, 64, 64, 64, 64, 64, 64, 64, 64, 64,
     34, 34, 84, 84, 84, 54, 100, 69, 69, 70, 78, 64, 58, 78, 76, 30, 30, 66, 56, 87, 75, 79, 61, 79, 70, 64,
     62, 74, 69, 99, 69, 62, 69, 40, 34, 40, 84, 50, 50, 62, 64, 55, 64, 62, 36, 64, 64, 28, 28, 58, 28, 98,
     64, 62, 64, 64, 42, 53, 40, 64, 60, 82, 60, 60, 53, 64, 34, 64, 84)))


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of one line of `text` drawn at font `size` (pixels).

    >>> round(text_width("Ewha Womans University", 100))  # Chromium measures 1266 in DejaVu Sans
    1285
    """
    total = 0
    for ch in text:
        w = _WIDTHS.get(ch)
        if w is None:
            base = unicodedata.normalize("NFD", ch)[:1]
            if base in _WIDTHS:
                w = _WIDTHS[base]
            elif unicodedata.east_asian_width(ch) in ("W", "F"):
                w = 100
            elif unicodedata.combining(ch) or unicodedata.category(ch) in ("Mn", "Me", "Cf"):
                w = 0
            else:
                w = 80
        total += w
    return total * size / 100.0


def node_scale(value: float, low: float, high: float) -> float:
    """0..1 size of a node of `value` among values from `low` to `high` (map.js' sizeScale)."""
    if high == low:
        return 0.5
    return math.sqrt(max(0.0, value - low) / (high - low))


def _view_scale(pos: dict, view: tuple[float, float]) -> float:
    """Zoom (at most 1) at which the whole layout `pos`, with a 50 px margin each side, fits `view`."""
    if len(pos) < 2:
        return 1.0
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    return min(1.0, view[0] / (max(xs) - min(xs) + 100), view[1] / (max(ys) - min(ys) + 100))


def label_sizes(pos: dict, big: bool, view: tuple[float, float] = REFERENCE_VIEW) -> tuple[int, int]:
    """(smallest, biggest) label font size in page pixels for a layout `pos` (without label room):
    in the whole view of a `view`-sized canvas the biggest labels are about 18 px on screen, and the
    smallest about 9 px on a small map (`big` False); the page keeps these sizes at the first view."""
    scale = _view_scale(pos, view)
    lo_min, lo_max, hi_min, hi_max = LABEL_LIMITS
    small = lo_min if big else min(lo_max, max(lo_min, LABEL_SCREEN[0] / scale))
    large = min(hi_max, max(hi_min, LABEL_SCREEN[1] / scale))
    return round(small), round(max(large, small + 6))


def footprints(g: nx.Graph, pos: dict, fonts: tuple[float, float], value: str = "paper_count",
               label: str = "label", view: tuple[float, float] = REFERENCE_VIEW) -> dict:
    """Node → (left, top, right, bottom): the box its dot and label cover around its centre, in page
    pixels, for the label font sizes `fonts` (`label_sizes`). vis-network draws a dot's label centred
    under it, its top ``size/2 + 4`` px below the dot. A label too small to be drawn in the whole view
    (of `pos`, on a canvas up to twice `view`) gets no room: only its dot counts."""
    if not g:
        return {}
    values = [g.nodes[n].get(value, 0) for n in g]
    low, high = min(values), max(values)
    scale = _view_scale(pos, view)
    out = {}
    for n in g:
        t = node_scale(g.nodes[n].get(value, 0), low, high)
        r = NODE_SIZE[0] + (NODE_SIZE[1] - NODE_SIZE[0]) * t
        size = fonts[0] + (fonts[1] - fonts[0]) * t
        half, bottom = r, r
        text = str(g.nodes[n].get(label, n))
        if size * scale * 2 >= LABEL_DRAWN and text:
            half = max(r, text_width(text, size) / 2 + 2)  # + the white outline (strokeWidth 3)
            bottom = r + 1.5 * size + 6
        m = LABEL_MARGIN
        out[n] = (-half - m, -r - m, half + m, bottom + m)
    return out


def _declutter(pos: dict, boxes: dict, rounds: int = 300) -> dict:
    """Push apart (along the shorter way out) the nodes whose boxes overlap, keeping the arrangement."""
    import numpy as np

    nodes = list(pos)
    if len(nodes) > _DECLUTTER_LIMIT:  # pairwise arrays: only the widest boxes (the biggest labels)
        keep = sorted(range(len(nodes)), key=lambda k: (-(boxes[nodes[k]][2] - boxes[nodes[k]][0]), k))
        keep = sorted(keep[:_DECLUTTER_LIMIT])
        moved = _declutter({nodes[k]: pos[nodes[k]] for k in keep}, boxes, rounds)
        return {n: moved.get(n, pos[n]) for n in nodes}
    if len(nodes) < 2:
        return pos
    xy = np.array([pos[n] for n in nodes], dtype=float)
    b = np.array([boxes[n] for n in nodes], dtype=float)
    idx = np.arange(len(nodes))
    for step in range(rounds + 40):
        if step >= rounds:  # still overlapping: spread the whole group a little and go on
            xy *= 1.1
        left = xy[:, 0] + b[:, 0]
        top = xy[:, 1] + b[:, 1]
        right = xy[:, 0] + b[:, 2]
        bottom = xy[:, 1] + b[:, 3]
        ox = np.minimum(right[:, None], right[None, :]) - np.maximum(left[:, None], left[None, :])
        oy = np.minimum(bottom[:, None], bottom[None, :]) - np.maximum(top[:, None], top[None, :])
        hit = (ox > 0) & (oy > 0) & (idx[:, None] < idx[None, :])
        if not hit.any():
            break
        i, j = np.nonzero(hit)
        dx = xy[j, 0] - xy[i, 0]
        dy = xy[j, 1] - xy[i, 1]
        along_x = ox[i, j] <= oy[i, j]
        # which way: from i towards j (ties: by index, so the same input moves the same way)
        sx = np.where(dx > 0, 1.0, np.where(dx < 0, -1.0, 1.0))
        sy = np.where(dy > 0, 1.0, np.where(dy < 0, -1.0, 1.0))
        push = np.zeros_like(xy)
        half_x = np.where(along_x, ox[i, j] / 2 + 0.5, 0.0) * sx
        half_y = np.where(along_x, 0.0, oy[i, j] / 2 + 0.5) * sy
        np.add.at(push, (i, 0), -half_x)
        np.add.at(push, (i, 1), -half_y)
        np.add.at(push, (j, 0), half_x)
        np.add.at(push, (j, 1), half_y)
        xy += push * 0.6  # a node hit from several sides moves by less than the sum
    return {n: (float(x), float(y)) for n, (x, y) in zip(nodes, xy)}


def _extent(pos: dict, boxes: dict | None) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of the nodes, their boxes included when given."""
    if boxes is None:
        h = UNIT / 2
        return (min(x for x, _ in pos.values()) - h, min(y for _, y in pos.values()) - h,
                max(x for x, _ in pos.values()) + h, max(y for _, y in pos.values()) + h)
    return (min(x + boxes[n][0] for n, (x, _) in pos.items()), min(y + boxes[n][1] for n, (_, y) in pos.items()),
            max(x + boxes[n][2] for n, (x, _) in pos.items()), max(y + boxes[n][3] for n, (_, y) in pos.items()))


def _induced(g: nx.Graph, nodes) -> nx.Graph:
    """The subgraph on `nodes` as a new graph with nodes and edges in sorted order.

    ``g.subgraph`` iterates a *set* of nodes when the subgraph is small, whose order changes with
    Python's string hashing from one process to the next: layouts would too.
    """
    keep = set(nodes)
    order = sorted(keep)
    h = nx.Graph()
    # the dicts filled as add_node and add_edge fill them (copies of the data, one per edge shared
    # by both ends), without their checks: this runs for every component and cluster of a map
    node, adj, g_node, g_adj = h._node, h._adj, g._node, g._adj
    for n in order:
        node[n] = dict(g_node[n])
        adj[n] = {}
    for u in order:
        near = g_adj[u]
        for v in sorted(v for v in near if v in keep and u < v):
            adj[u][v] = adj[v][u] = dict(near[v])
    return h


def clusters(g: nx.Graph, weight: str = "weight", resolution: float = 1.0, seed: int = SEED) -> dict:
    """Node → cluster number (0 = largest cluster), from Leiden communities.

    Ties in size are broken by the smallest node id, so numbering is stable.

    >>> g = nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])
    >>> clusters(g)
    {'c': 0, 'd': 0, 'e': 0, 'a': 1, 'b': 1}
    """
    if g.number_of_nodes() == 0:
        return {}
    communities = leiden_communities(g, weight=weight, resolution=resolution, seed=seed)
    return {n: i for i, members in enumerate(communities) for n in sorted(members)}


def _spring(g: nx.Graph, weight: str, seed: int, boxes: dict | None = None) -> dict:
    """Spring layout of a small connected graph, scaled so that a graph of n nodes has radius
    about UNIT·√n (uniform density whatever its size), centred on (0, 0); with `boxes`, nodes whose
    boxes (dot and label) overlap are then pushed apart."""
    n = g.number_of_nodes()
    if n == 1:
        return {next(iter(g)): (0.0, 0.0)}
    if n == 2:
        a, b = sorted(g)
        pos = {a: (0.0, -UNIT / 2), b: (0.0, UNIT / 2)}  # one above the other: labels do not collide
    else:
        pos = nx.spring_layout(g, weight=weight, seed=seed, iterations=100 if n <= 100 else 60)
        radius = UNIT * math.sqrt(n) * 0.6
        pos = {node: (float(x) * radius, float(y) * radius) for node, (x, y) in pos.items()}
    return pos if boxes is None else _declutter(pos, boxes)


def _radius(pos: dict, boxes: dict | None = None) -> float:
    if boxes is None:
        return max((math.hypot(x, y) for x, y in pos.values()), default=0.0) + UNIT / 2
    return max((max(math.hypot(x + bx, y + by) for bx in (b[0], b[2]) for by in (b[1], b[3]))
                for n, (x, y) in pos.items() for b in (boxes[n],)), default=0.0)


def _separate(centres: list[list[float]], radii: list[float], rounds: int = 200) -> None:
    """Push discs apart (in place) until none overlap, keeping their arrangement."""
    k = len(centres)
    xs = [c[0] for c in centres]
    ys = [c[1] for c in centres]
    hypot, half_gap = math.hypot, _GAP / 2
    for _ in range(rounds):
        moved = False
        for i in range(k):
            ri = radii[i]
            for j in range(i + 1, k):
                need = ri + radii[j] + half_gap
                # discs further apart than `need` along one axis are further apart than that: skipped
                # before the distance (most pairs; the arithmetic of the others is unchanged)
                dx = xs[j] - xs[i]
                if dx >= need or -dx >= need:
                    continue
                dy = ys[j] - ys[i]
                if dy >= need or -dy >= need:
                    continue
                d = hypot(dx, dy)
                if d < need:
                    if d < 1e-9:
                        dx, dy, d = 1.0, 0.0, 1.0
                    push = (need - d) / 2
                    ux, uy = dx / d * push, dy / d * push
                    # the bigger disc moves less
                    wi = radii[j] / (ri + radii[j])
                    wj = 1.0 - wi
                    xs[i] -= 2 * ux * wi
                    ys[i] -= 2 * uy * wi
                    xs[j] += 2 * ux * wj
                    ys[j] += 2 * uy * wj
                    moved = True
        if not moved:
            break
    for c, x, y in zip(centres, xs, ys):
        c[0], c[1] = x, y


def _cluster_map(g: nx.Graph, weight: str, seed: int, depth: int = 0, given: dict | None = None,
                 boxes: dict | None = None, cache: LayoutCache | None = None) -> dict:
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
    if len(members) == 1:  # Leiden could not split it
        if given is not None or depth < 3:
            return _cluster_map(g, weight, seed + 1, depth + 1 if given is None else depth, boxes=boxes, cache=cache)
        pos = nx.forceatlas2_layout(g, weight=weight, seed=seed, max_iter=60) if hasattr(nx, "forceatlas2_layout") \
            else nx.circular_layout(g)
        radius = UNIT * math.sqrt(g.number_of_nodes()) * 0.6
        pos = {node: (float(x) * radius, float(y) * radius) for node, (x, y) in nx.rescale_layout_dict(pos).items()}
        return pos if boxes is None else _declutter(pos, boxes)
    inner: dict[int, dict] = {}
    for c in sorted(members):
        sub = _induced(g, members[c])
        inner[c] = _component(sub, weight, seed, depth + 1, boxes=boxes, cache=cache)
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
    radii = [_radius(inner[c], boxes) for c in sorted(members)]
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


def _component(g: nx.Graph, weight: str, seed: int, depth: int = 0, given: dict | None = None,
               boxes: dict | None = None, cache: LayoutCache | None = None) -> dict:
    """The layout of a connected graph (`_induced`: sorted), or the one `cache` holds for the same inputs."""
    if cache is None or g.number_of_nodes() < MIN_CACHED:
        return _lay_out(g, weight, seed, depth, given, boxes, cache)
    big = g.number_of_nodes() > SPRING_LIMIT  # a spring layout reads neither the depth nor the clusters
    key = cache.key(g, weight, seed, depth if big else 0, given if big else None, boxes)
    nodes = list(g)
    pos = cache.get(key, nodes)
    if pos is None:
        cache.begin()
        pos = _lay_out(g, weight, seed, depth, given, boxes, cache)
        cache.end(key, nodes, pos)
    return pos


def _lay_out(g: nx.Graph, weight: str, seed: int, depth: int, given: dict | None, boxes: dict | None,
             cache: LayoutCache | None) -> dict:
    if g.number_of_nodes() <= SPRING_LIMIT:
        return _spring(g, weight, seed, boxes)
    return _cluster_map(g, weight, seed, depth, given, boxes, cache)


def _centre(pos: dict, boxes: dict | None = None) -> tuple[dict, float, float]:
    """`pos` moved so that its extent (boxes included) is centred on (0, 0), with its width and height."""
    x0, y0, x1, y1 = _extent(pos, boxes)
    cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
    return {n: (x - cx, y - cy) for n, (x, y) in pos.items()}, x1 - x0, y1 - y0


def _landscape(pos: dict) -> dict:
    """`pos` turned about its centre so that its longest axis (the principal axis of the points) lies
    along x: screens are wider than tall, and a map stood upright used a third of the page. Left as
    it is when the points have no clear long axis (variance ratio under 1.2)."""
    n = len(pos)
    if n < 3:
        return pos
    mx = sum(x for x, _ in pos.values()) / n
    my = sum(y for _, y in pos.values()) / n
    sxx = sum((x - mx) ** 2 for x, _ in pos.values()) / n
    syy = sum((y - my) ** 2 for _, y in pos.values()) / n
    sxy = sum((x - mx) * (y - my) for x, y in pos.values()) / n
    root = math.sqrt(((sxx - syy) / 2) ** 2 + sxy * sxy)
    big, small = (sxx + syy) / 2 + root, (sxx + syy) / 2 - root
    if small > 0 and big / small < 1.2:
        return pos
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)  # of the principal axis
    c, s = math.cos(-angle), math.sin(-angle)
    return {k: (mx + (x - mx) * c - (y - my) * s, my + (x - mx) * s + (y - my) * c) for k, (x, y) in pos.items()}


def detached_limit(sizes) -> int:
    """The size up to which a connected component is *detached* (set beside the map, hidden by
    default), given the sizes of all components: isolated nodes and pairs always (`DETACHED_MAX`);
    and, when one component holds half the nodes or more, every component under `SMALL_SHARE` of
    it too. At 32,000 authors, thousands of one-paper teams of 3–10 otherwise packed a grey band
    as big as the map under it; a corpus without a giant component (the seeds: one clique per
    paper) keeps its teams on the map.

    >>> detached_limit([4694, 26, 17, 3, 2, 1]), detached_limit([8, 6, 5, 2])
    (46, 2)
    """
    sizes = list(sizes)
    largest, total = max(sizes, default=0), sum(sizes)
    if largest * 2 >= total:
        return max(DETACHED_MAX, int(largest * SMALL_SHARE))
    return DETACHED_MAX


def detached(g: nx.Graph) -> set:
    """The nodes of the detached components (`detached_limit`): the page hides them by default and
    `layout` puts them in a block beside the map.

    >>> sorted(detached(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")])))
    ['a', 'b']
    """
    comps = list(nx.connected_components(g))
    limit = detached_limit(len(c) for c in comps)
    return {n for c in comps if len(c) <= limit for n in c}


def _pack_rows(placed: list, gap: float) -> dict:
    """Centred layouts with their (width, height) packed in rows from (0, 0), the rows about as wide as
    the whole is tall; positions not rounded."""
    area = sum((w + gap) * (h + gap) for _, w, h in placed)
    row_width = max(max(w for _, w, _ in placed), math.sqrt(area) * 1.3)
    out: dict = {}
    x = y = 0.0
    row_h = 0.0
    for pos, w, h in placed:
        if x > 0 and x + w > row_width:
            x = 0.0
            y += row_h + gap
            row_h = 0.0
        for node, (px, py) in pos.items():
            out[node] = (px + x + w / 2, py + y + h / 2)
        x += w + gap
        row_h = max(row_h, h)
    return out


def _pack_columns(placed: list, gap: float, height: float) -> dict:
    """Centred layouts with their (width, height) stacked in columns from (0, 0), left to right, each
    column at most `height` tall (unless one item is taller) and as wide as its widest item."""
    out: dict = {}
    x = y = 0.0
    col_w = 0.0
    column: list = []

    def flush():
        for pos, _, h, top in column:
            for node, (px, py) in pos.items():
                out[node] = (px + x + col_w / 2, py + top + h / 2)

    for pos, w, h in placed:
        if column and y + h > height:
            flush()
            x += col_w + gap
            y, col_w, column = 0.0, 0.0, []
        column.append((pos, w, h, y))
        y += h + gap
        col_w = max(col_w, w)
    flush()
    return out


def layout(g: nx.Graph, weight: str = "weight", seed: int = SEED, groups: dict | None = None,
           boxes: dict | None = None, cache: LayoutCache | None = None) -> dict:
    """Node → (x, y) in page pixels, rounded to 0.1.

    The main map: the connected components of more than `DETACHED_MAX` nodes, laid out apart and
    packed in rows (largest first, rows about as wide as the whole is tall); without `boxes`, each
    component is turned to lie along its longest axis (`_landscape`). The `detached` components
    (isolated nodes, pairs — one node above the other — and, beside a giant component, the small
    ones: `detached_limit`) make one compact block of columns at
    the main map's right, `_SIDE_GAP` away, its top aligned with the map's top, biggest first, about
    as tall as the main map (square without one, and never much wider than tall).
    `boxes` (`footprints`) are the room each node's dot and label take: no two overlap within a
    component, and components and detached nodes are packed by their boxes.

    >>> pos = layout(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")]))
    >>> sorted(pos) == ["a", "b", "c", "d", "e"] and pos == layout(nx.Graph([("a", "b"), ("c", "d"), ("d", "e")]))
    True
    >>> min(pos["a"][0], pos["b"][0]) > max(pos["c"][0], pos["d"][0], pos["e"][0])
    True
    """
    comps = sorted((sorted(c) for c in nx.connected_components(g)), key=lambda c: (-len(c), c[0]))
    limit = detached_limit(len(c) for c in comps)
    main = [c for c in comps if len(c) > limit]
    # detached: pairs, then isolated nodes, each biggest node (paper count) first
    side = sorted((c for c in comps if len(c) <= limit),
                  key=lambda c: (-len(c), -max(g.nodes[n].get("paper_count", 0) for n in c), c[0]))
    out: dict = {}
    if main:
        gap = _PACK_GAP if boxes is None else UNIT  # boxes hold the labels already
        # without label boxes (big maps) each component is turned to lie wide; with boxes, turning
        # would make the labels the boxes kept apart collide
        turn = _landscape if boxes is None else (lambda pos: pos)
        out = _pack_rows([_centre(turn(_component(_induced(g, c), weight, seed, given=groups, boxes=boxes,
                                                  cache=cache)), boxes)
                          for c in main], gap)
    if side:
        # detached components as cells; without boxes, wide cells so their labels stay apart
        cell = boxes if boxes is not None else \
            {n: (-1.5 * UNIT, -0.3 * UNIT, 1.5 * UNIT, 0.3 * UNIT) for c in side for n in c}
        cells = [_centre(_component(_induced(g, c), weight, seed, boxes=boxes, cache=cache), cell) for c in side]
        gap = 0.0 if boxes is None else UNIT / 3
        height = math.sqrt(sum((w + gap) * (h + gap) for _, w, h in cells))  # a square block...
        if out:
            left, top, right, bottom = _extent(out, boxes)
            height = max(bottom - top, height)  # ...or as tall as the main map
        # as many columns as that height needs, filled about evenly (no last column of a few cells)
        stack = sum(h + gap for _, _, h in cells)
        columns = max(1, math.ceil(stack / height))
        block = _pack_columns(cells, gap, min(height, stack / columns + max(h for _, _, h in cells)))
        # the block's left edge _SIDE_GAP right of the main map's right edge, tops aligned
        bl, bt, _, _ = _extent(block, cell)
        dx, dy = (right + _SIDE_GAP - bl, top - bt) if out else (-bl, -bt)
        out.update({n: (x + dx, y + dy) for n, (x, y) in block.items()})
    return {n: (round(x, 1), round(y, 1)) for n, (x, y) in out.items()}
