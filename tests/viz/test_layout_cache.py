"""kg.viz.layout_cache: a layout taken from the cache is the one computed, bit for bit and in the same
order; an update lays out again only the components whose inputs changed; a state file that is
missing, made by other code, edited or cut short serves nothing; the maps written with a previous
build's state are the bytes written without one."""

from __future__ import annotations

import importlib

import networkx as nx
import pytest

from kg.model import Entity, Entry, Extraction, Source
from kg.resolve import resolve
from kg.viz import VIEWS, clusters, write_pages
from kg.viz.layout_cache import LAYOUTS_FILE, LayoutCache

L = importlib.import_module("kg.viz.layout")  # kg.viz re-exports the function `layout` under the same name
C = importlib.import_module("kg.viz.layout_cache")


@pytest.fixture(autouse=True)
def small_spring_limit(monkeypatch):
    """Cluster maps (Leiden inside a component, clusters laid out apart) from 13 nodes on, not 301."""
    monkeypatch.setattr(L, "SPRING_LIMIT", 12)


def communities(name: str, sizes: list[int], seed: int) -> nx.Graph:
    """A component of dense groups of `sizes` nodes linked in a ring, weights 1–3."""
    g = nx.random_partition_graph(sizes, 0.6, 0.02, seed=seed)
    g = nx.relabel_nodes(g, {n: f"{name}{n:02d}" for n in g})
    groups = sorted(g)
    for k in range(len(sizes)):  # connected whatever the draw
        start = sum(sizes[:k])
        g.add_edge(groups[start], groups[(start + sizes[k]) % len(groups)])
        for i in range(start, start + sizes[k] - 1):
            g.add_edge(groups[i], groups[i + 1])
    for u, v in g.edges:
        g.edges[u, v]["weight"] = 1 + (int(u[-2:]) + int(v[-2:])) % 3
    return g


def a_map() -> nx.Graph:
    """A big component (4 groups: a cluster map), two spring-sized ones, a pair and isolated nodes."""
    g = nx.union_all([communities("a", [10, 9, 8, 7], 1), communities("b", [6], 2), communities("c", [5], 3)])
    g.add_edge("p0", "p1", weight=1)
    g.add_nodes_from(["i0", "i1"])
    for n in g:
        g.nodes[n].update(label=f"Node {n}", paper_count=1 + sum(map(ord, n)) % 5)
    return sorted_graph(g)


def sorted_graph(g: nx.Graph) -> nx.Graph:
    return L._induced(g, g)


def lay_out(g: nx.Graph, cache: LayoutCache | None = None) -> list:
    """The layout as (node, position) in the order it comes, as the page and the cache see it."""
    return list(L.layout(g, groups=clusters(g), cache=cache).items())


def test_a_cached_layout_is_the_computed_one(tmp_path):
    g = a_map()
    fresh = lay_out(g)
    first = LayoutCache()
    assert lay_out(g, first) == fresh
    # the big component and its 4 clusters, b's and c's components: 7 layouts; the pair and isolated nodes are not kept
    assert (first.hits, first.misses) == (0, 7)
    first.write(tmp_path / LAYOUTS_FILE)
    again = LayoutCache.read(tmp_path / LAYOUTS_FILE)
    assert lay_out(g, again) == fresh
    assert (again.hits, again.misses) == (3, 0)  # the three components; what is inside the big one goes along
    again.write(tmp_path / "next.bin")
    assert (tmp_path / "next.bin").read_bytes() == (tmp_path / LAYOUTS_FILE).read_bytes()


def test_an_update_lays_out_only_what_changed(tmp_path):
    g = a_map()
    cache = LayoutCache()
    lay_out(g, cache)
    cache.write(tmp_path / LAYOUTS_FILE)
    changed = g.copy()
    changed.add_edge("b00", "b03", weight=5)  # in component b only
    changed = sorted_graph(changed)
    update = LayoutCache.read(tmp_path / LAYOUTS_FILE)
    assert lay_out(changed, update) == lay_out(changed)
    assert (update.hits, update.misses) == (2, 1)


def test_a_change_inside_the_big_component_keeps_its_unchanged_clusters(tmp_path):
    g = a_map()
    groups = clusters(g)
    cache = LayoutCache()
    L.layout(g, groups=groups, cache=cache)
    cache.write(tmp_path / LAYOUTS_FILE)
    # one link more inside one cluster, the page's clusters as they were: that cluster and the
    # component are laid out again, the three other clusters and the small components are found
    members = sorted(n for n in g if groups[n] == groups["a00"])
    changed = g.copy()
    changed.add_edge(members[0], members[-1], weight=7)
    changed = sorted_graph(changed)
    update = LayoutCache.read(tmp_path / LAYOUTS_FILE)
    assert list(L.layout(changed, groups=groups, cache=update).items()) == \
        list(L.layout(changed, groups=groups).items())
    assert (update.hits, update.misses) == (5, 2)


def test_clusters_count_by_their_order_only(tmp_path):
    g = a_map()
    groups = clusters(g)
    first = LayoutCache()
    L.layout(g, groups=groups, cache=first)
    cache = LayoutCache.read(first.write(tmp_path / LAYOUTS_FILE))
    renumbered = {n: 10 + 2 * c for n, c in groups.items()}  # same order, other numbers
    assert list(L.layout(g, groups=renumbered, cache=cache).items()) == list(L.layout(g, groups=renumbered).items())
    assert cache.hits == 3
    swapped = {n: {0: 1, 1: 0}.get(c, c) for n, c in groups.items()}  # another order: another layout
    assert cache.key(g, "weight", 42, 0, swapped, None) != cache.key(g, "weight", 42, 0, groups, None)


def test_label_boxes_are_part_of_the_key(tmp_path):
    g = a_map()
    pos = L.layout(g)
    boxes = L.footprints(g, pos, L.label_sizes(pos, False))
    first = LayoutCache()
    assert L.layout(g, boxes=boxes, cache=first) == L.layout(g, boxes=boxes)
    cache = LayoutCache.read(first.write(tmp_path / LAYOUTS_FILE))
    assert list(L.layout(g, boxes=boxes, cache=cache).items()) == list(L.layout(g, boxes=boxes).items())
    assert (cache.hits, cache.misses) == (3, 0)
    wider = {n: (b[0] - 5, b[1], b[2] + 5, b[3]) for n, b in boxes.items()}
    assert list(L.layout(g, boxes=wider, cache=cache).items()) == list(L.layout(g, boxes=wider).items())
    assert (cache.hits, cache.misses) == (3, 7)


def written(tmp_path) -> bytes:
    cache = LayoutCache()
    lay_out(a_map(), cache)
    return bytes(open(cache.write(tmp_path / LAYOUTS_FILE), "rb").read())


@pytest.mark.parametrize("damage", ["missing", "empty", "edited", "cut", "appended", "other code"])
def test_a_state_file_not_made_by_this_code_serves_nothing(tmp_path, damage, monkeypatch):
    data = written(tmp_path)
    path = tmp_path / LAYOUTS_FILE
    if damage == "missing":
        path.unlink()
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "edited":  # a coordinate's last byte
        path.write_bytes(data[:-1] + bytes([data[-1] ^ 1]))
    elif damage == "cut":
        path.write_bytes(data[:-9])
    elif damage == "appended":
        path.write_bytes(data + b"\0" * 16)
    else:
        monkeypatch.setattr(C, "_context", lambda: b"\1" * 16)
    cache = LayoutCache.read(path)
    assert lay_out(a_map(), cache) == lay_out(a_map())
    assert (cache.hits, cache.misses) == (0, 7)
    assert (len(LayoutCache.read(None)._previous), len(LayoutCache.read(tmp_path / "nowhere")._previous)) == (0, 0)


def test_the_file_is_whole_or_absent(tmp_path):
    written(tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [LAYOUTS_FILE]
    assert len(LayoutCache.read(tmp_path / LAYOUTS_FILE)._previous) == 7


# --- the maps -------------------------------------------------------------------------------------


def corpus(papers: int):
    """`papers` papers by authors and institutions of small pools (one big co-authorship component
    and a few small ones), with topics and typed entities."""
    entries, extractions = [], []
    for n in range(papers):
        team = (f"A{n % 23:02d} Author", f"B{(n * 7) % 19:02d} Author", f"C{(n * 5) % 17:02d} Author")
        if n % 6 == 5:
            team = (f"S{n:02d} Solo", f"T{n:02d} Solo") if n % 12 == 5 else (f"S{n:02d} Solo",)
        insts = (f"University {n % 9}", f"Institute {(n * 3) % 7}")
        entries.append(Entry(source=Source("d.txt", n + 1), format="digest", number=n + 1, tag="LG",
                             title=f"Paper {n}", authors=team, institutions=insts, abstract=f"Abstract {n}.",
                             arxiv_id=f"2101.{n:05d}", urls=(f"https://arxiv.org/abs/2101.{n:05d}",)))
        topics = tuple((f"topic {(n * k) % 13}", 0.9 - 0.1 * k) for k in range(1, 5))
        extractions.append(Extraction(topics=topics, methods=(Entity(f"Method{n % 5}"), Entity(f"method{n % 5}")),
                                      datasets=(Entity(f"Set-{n % 4}"),)))
    return resolve(entries, extractions)


def pages(folder) -> dict[str, bytes]:
    return {view: (folder / f"{view}.html").read_bytes() for view in VIEWS}


def test_maps_written_with_the_previous_state_are_the_maps_written_without(tmp_path):
    before, after = corpus(40), corpus(46)
    write_pages(before, tmp_path / "plain-before")
    write_pages(before, tmp_path / "before", state=tmp_path / "state-before")
    assert pages(tmp_path / "before") == pages(tmp_path / "plain-before")
    assert sorted(p.name for p in (tmp_path / "state-before").iterdir()) == [LAYOUTS_FILE]
    write_pages(after, tmp_path / "plain-after")
    write_pages(after, tmp_path / "after", state=tmp_path / "state-after", previous_state=tmp_path / "state-before")
    assert pages(tmp_path / "after") == pages(tmp_path / "plain-after")
    assert pages(tmp_path / "after") != pages(tmp_path / "before")
    # a previous state edited by hand serves nothing: the same maps all the same
    damaged = (tmp_path / "state-before" / LAYOUTS_FILE).read_bytes()
    (tmp_path / "state-before" / LAYOUTS_FILE).write_bytes(damaged[:-1] + bytes([damaged[-1] ^ 0xFF]))
    write_pages(after, tmp_path / "again", state=tmp_path / "state-again", previous_state=tmp_path / "state-before")
    assert pages(tmp_path / "again") == pages(tmp_path / "plain-after")
    assert (tmp_path / "state-again" / LAYOUTS_FILE).read_bytes() == (tmp_path / "state-after" / LAYOUTS_FILE).read_bytes()


def test_unchanged_maps_are_found_whole(tmp_path, monkeypatch):
    maps = corpus(40)
    write_pages(maps, tmp_path / "first", state=tmp_path / "state")
    write_pages(maps, tmp_path / "plain")
    monkeypatch.setattr(L.nx, "spring_layout", lambda *args, **kwargs: pytest.fail("laid out again"))
    write_pages(maps, tmp_path / "second", state=tmp_path / "state-2", previous_state=tmp_path / "state")
    assert pages(tmp_path / "second") == pages(tmp_path / "first") == pages(tmp_path / "plain")
