"""kg.viz.layout: the detached components (isolated nodes and pairs) sit in a compact block at the
right of the main map, pairs kept together, deterministically, and without overlaps given boxes."""

from __future__ import annotations

import importlib

import networkx as nx

L = importlib.import_module("kg.viz.layout")  # kg.viz re-exports the function `layout` under the same name
DETACHED_MAX, UNIT, detached, footprints, label_sizes, layout = (
    L.DETACHED_MAX, L.UNIT, L.detached, L.footprints, L.label_sizes, L.layout)


def mixed(edges_first: bool = True) -> nx.Graph:
    """A triangle, a 4-node path, two pairs and five isolated nodes (with labels and paper counts)."""
    g = nx.Graph()
    nodes = [f"n{i}" for i in range(14)]
    edges = [("n0", "n1"), ("n1", "n2"), ("n0", "n2"),  # triangle
             ("n3", "n4"), ("n4", "n5"), ("n5", "n6"),  # path
             ("n7", "n8"), ("n9", "n10")]  # pairs; n11..n13 isolated, plus n14, n15 below
    if not edges_first:
        nodes, edges = nodes[::-1], edges[::-1]
    for n in nodes + ["n14", "n15"]:
        i = int(n[1:])
        g.add_node(n, label=f"Author number {i}", paper_count=1 + (5 * i) % 7)
    g.add_edges_from((u, v, {"weight": 1 + (int(u[1:]) + int(v[1:])) % 2}) for u, v in edges)
    return g


MAIN = {f"n{i}" for i in range(7)}
SIDE = {f"n{i}" for i in range(7, 16)}


def test_detached_are_isolated_nodes_and_pairs():
    g = nx.Graph([("a", "b"), ("b", "c"), ("a", "c"), ("d", "e")])
    g.add_nodes_from(["f", "g"])
    assert DETACHED_MAX == 2
    assert detached(g) == {"d", "e", "f", "g"}
    assert detached(mixed()) == SIDE
    assert detached(nx.Graph()) == set()
    assert detached(nx.path_graph(3)) == set()


def test_detached_block_sits_right_of_the_main_map():
    pos = layout(mixed())
    assert set(pos) == MAIN | SIDE
    main_right = max(pos[n][0] for n in MAIN)
    # extents: the main map's nodes ± UNIT/2, the block's cells 3·UNIT wide; 2·UNIT between the extents
    assert min(pos[n][0] for n in SIDE) - main_right == UNIT / 2 + 2 * UNIT + 1.5 * UNIT
    assert all(pos[s][0] > pos[m][0] + 2 * UNIT for s in SIDE for m in MAIN)
    # tops aligned: the main map's top extent is its top node - UNIT/2, the block's its top cell - 0.3·UNIT
    assert round(min(pos[n][1] for n in SIDE) - min(pos[n][1] for n in MAIN), 1) == round(-UNIT / 2 + 0.3 * UNIT, 1)


def test_detached_block_about_as_tall_as_the_main_map():
    g = nx.cycle_graph([f"c{i:02d}" for i in range(40)])
    g.add_nodes_from(f"i{i:02d}" for i in range(30))
    g.add_edge("p0", "p1")
    pos = layout(g)
    main = [n for n in g if n.startswith("c")]
    side = sorted(detached(g))
    top, bottom = min(pos[n][1] for n in main), max(pos[n][1] for n in main)
    left, right = min(pos[n][0] for n in main), max(pos[n][0] for n in main)
    assert right - left > 1.5 * (bottom - top) > 600  # the ring is turned to lie wide (screens are wide)
    # 30 cells of 0.6·UNIT and a pair's of 1.6·UNIT: 34 tall, in three even columns
    assert len({pos[n][0] for n in side}) == 3
    assert min(pos[n][1] for n in side) == round(top - 0.5 * UNIT + 0.3 * UNIT, 1)
    assert max(pos[n][1] for n in side) - min(pos[n][1] for n in side) <= 1.7 * (bottom - top)
    assert min(pos[n][0] for n in side) - max(pos[n][0] for n in main) == 4 * UNIT


def test_pairs_stay_together_one_above_the_other():
    pos = layout(mixed())
    for a, b in (("n7", "n8"), ("n10", "n9")):  # sorted: the first on top
        assert pos[a][0] == pos[b][0] and pos[b][1] - pos[a][1] == UNIT
        # no other node between or beside them within a cell
        others = [n for n in SIDE - {a, b} if pos[n][0] == pos[a][0]]
        assert all(not pos[a][1] <= pos[n][1] <= pos[b][1] for n in others)


def test_detached_block_order_and_columns():
    """Pairs first, then isolated nodes by paper count; columns about as tall as the main map."""
    g = nx.Graph()
    for i in range(16):
        g.add_node(f"i{i:02d}", paper_count=i)
    pos = layout(g)  # no main map: a square-ish block, filled column by column, biggest on top
    # 16 cells of 3·UNIT x 0.6·UNIT: about √(16·270·54) = 483 px tall → two columns of eight
    assert sorted({x for x, _ in pos.values()}) == [1.5 * UNIT, 4.5 * UNIT]
    assert [n for n in sorted(pos, key=lambda n: (pos[n][0], pos[n][1]))] == [f"i{i:02d}" for i in range(15, -1, -1)]
    assert sorted({y for _, y in pos.values()}) == [round(0.3 * UNIT + 0.6 * UNIT * k, 1) for k in range(8)]
    g.add_edges_from([("p0", "p1"), ("a", "b"), ("b", "c")])
    pos = layout(g)
    side = detached(g)
    assert side == set(g) - {"a", "b", "c"}
    top = min(pos[n][1] for n in side)
    assert pos["p0"][1] == top and pos["p1"][1] == top + UNIT and pos["p0"][0] == pos["p1"][0]  # the pair tops the block


def test_layout_is_deterministic():
    g = mixed()
    first = layout(g)
    assert first == layout(mixed())
    assert first == layout(mixed(edges_first=False))  # insertion order does not matter
    assert all(isinstance(x, float) and round(x, 1) == x for xy in first.values() for x in xy)


def test_no_overlaps_with_boxes_and_the_gap_holds():
    g = mixed()
    first = layout(g)
    boxes = footprints(g, first, label_sizes(first, big=False))
    pos = layout(g, boxes=boxes)
    assert pos == layout(g, boxes=boxes)

    def box(n):
        return (pos[n][0] + boxes[n][0], pos[n][1] + boxes[n][1], pos[n][0] + boxes[n][2], pos[n][1] + boxes[n][3])

    nodes = sorted(g)
    clashes = [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]
               if min(box(a)[2], box(b)[2]) - max(box(a)[0], box(b)[0]) > 0.2
               and min(box(a)[3], box(b)[3]) - max(box(a)[1], box(b)[1]) > 0.2]
    assert clashes == []
    gap = min(box(n)[0] for n in SIDE) - max(box(n)[2] for n in MAIN)
    assert abs(gap - 2 * UNIT) <= 0.2
    assert abs(min(box(n)[1] for n in SIDE) - min(box(n)[1] for n in MAIN)) <= 0.2  # tops aligned
    for a, b in (("n7", "n8"), ("n10", "n9")):  # pairs: one above the other, boxes touching or close
        assert pos[a][0] == pos[b][0] and 0 < box(b)[1] - box(a)[3] < UNIT


def test_only_main_map_or_empty():
    assert layout(nx.Graph()) == {}
    g = nx.path_graph(4)
    pos = layout(g)
    assert set(pos) == set(g) and not detached(g)
