"""kg.export.fragments: graph.graphml, graph.gexf and graph.json written from the previous build's
bytes where items did not change are the bytes of writing them whole; an index that is missing,
stale, corrupt or of another context serves nothing."""

from __future__ import annotations

import os
import shutil

import pytest

from kg.build.records import write_graph_json
from kg.export import fragments
from kg.export.fragments import INDEX_SUFFIX, fragments_for
from kg.export.gephi import _edge_numbers, write_gexf, write_graphml
from kg.graph.build import build_graph

from .hostile import hostile_corpus

WRITERS = {"graph.graphml": write_graphml, "graph.gexf": write_gexf, "graph.json": write_graph_json}



def _graph(fixture_corpus):
    graph = build_graph(fixture_corpus)
    hostile = build_graph(hostile_corpus())  # escaped text, CRs, booleans
    graph.add_nodes_from(hostile.nodes(data=True))
    graph.add_edges_from(hostile.edges(keys=True, data=True))
    return graph


def _write(graph, folder, previous=None) -> dict[str, bytes]:
    """Every indexed output of `graph` in `folder`, as a build writes them (indexes in folder/idx)."""
    folder.mkdir()
    with fragments_for(graph, folder, folder / "idx", previous, previous and previous / "idx"):
        for name, write in WRITERS.items():
            write(graph, folder / name)
    return {name: (folder / name).read_bytes() for name in WRITERS}


def _whole(graph, folder) -> dict[str, bytes]:
    """What the writers give outside a build: every item rendered, no index."""
    folder.mkdir()
    for name, write in WRITERS.items():
        write(graph, folder / name)
    assert not (folder / "idx").exists()
    return {name: (folder / name).read_bytes() for name in WRITERS}


def _change(graph) -> None:
    """One node's label and one edge's weight changed, an edge removed near the start (every
    later XML edge number moves down), and a new node linked from an existing one."""
    nodes = list(graph)
    graph.nodes[nodes[5]]["label"] = "a new label"
    u, v, key = next((u, v, k) for u, v, k, d in graph.edges(keys=True, data=True) if "weight" in d and u != nodes[0])
    graph.edges[u, v, key]["weight"] = 99
    first = next(iter(graph.edges(keys=True)))
    graph.remove_edge(*first)
    graph.add_node("topic:brand new", type="Topic", label="brand new", sources=["new.txt:1"])
    graph.add_edge(nodes[0], "topic:brand new", key="HAS_TOPIC", type="HAS_TOPIC", weight=1.0, sources=["new.txt:1"])


@pytest.mark.parametrize("small", [False, True])  # True: reads of one item and batches of 2, many of both
def test_an_update_writes_the_bytes_of_a_whole_write_rendering_only_what_changed(fixture_corpus, tmp_path, monkeypatch,
                                                                               rendered, small):
    if small:
        monkeypatch.setattr(fragments, "_COPY_BYTES", 1)
        monkeypatch.setattr(fragments, "_BATCH", 2)
    graph = _graph(fixture_corpus)
    first = _write(graph, tmp_path / "first")
    n_nodes, n_groups = len(graph), sum(1 for _, adj in graph.adjacency() if adj)
    assert (n_nodes, n_groups) == (52, 21)
    assert rendered == {"nodes": 3 * n_nodes, "edges": 3 * n_groups}
    assert first == _whole(graph, tmp_path / "whole")
    assert sorted(os.listdir(tmp_path / "first" / "idx")) == [name + INDEX_SUFFIX for name in sorted(WRITERS)]

    _change(graph)
    rendered.clear()
    update = _write(graph, tmp_path / "update", tmp_path / "first")
    # per output: the relabelled node and the new one; the groups of the changed edge, of the
    # removed one and of the node the new edge leaves from (the first node: also the removed edge's)
    assert rendered == {"nodes": 3 * 2, "edges": 3 * 2}
    assert update == _whole(graph, tmp_path / "whole after")
    rendered.clear()
    # an update over the update: nothing changed, nothing rendered
    again = _write(graph, tmp_path / "again", tmp_path / "update")
    assert rendered == {}
    assert again == update


@pytest.mark.parametrize("case", ["no index", "output replaced", "output edited", "index truncated", "index of another layout",
                                  "another context"])
def test_an_index_that_cannot_be_trusted_serves_nothing(fixture_corpus, tmp_path, rendered, case):
    graph = _graph(fixture_corpus)
    _write(graph, tmp_path / "first")
    index = tmp_path / "first" / "idx" / ("graph.gexf" + INDEX_SUFFIX)
    output = tmp_path / "first" / "graph.gexf"
    if case == "no index":
        index.unlink()
    elif case == "output replaced":  # same bytes, another file (inode)
        shutil.copy(output, tmp_path / "copy")
        os.replace(tmp_path / "copy", output)
    elif case == "output edited":  # in place: same size and inode, another mtime
        status = output.stat()
        with open(output, "r+b") as handle:  # an edge's number, were its bytes copied
            handle.seek(output.read_bytes().rindex(b' id="') + 5)
            handle.write(b"7")
        os.utime(output, ns=(status.st_atime_ns, status.st_mtime_ns + 10**9))
    elif case == "index truncated":
        index.write_bytes(index.read_bytes()[:-30])
    elif case == "index of another layout":
        index.write_bytes(b"[1, 2]" + fragments._MAGIC + (6).to_bytes(8, "little"))
    else:  # a new attribute: a new <key>/<attribute> declaration, every item's bytes may differ
        graph.nodes[next(iter(graph))]["brand_new"] = 1
    rendered.clear()
    after = _write(graph, tmp_path / "update", tmp_path / "first")
    # graph.gexf rendered whole (with the new attribute graph.graphml too, and in graph.json the node that has it)
    assert rendered == ({"nodes": 52 * 2 + 1, "edges": 21 * 2} if case == "another context" else {"nodes": 52, "edges": 21})
    assert after == _whole(graph, tmp_path / "whole")


def test_renumbering_checks_the_numbers_it_replaces():
    renumber = _edge_numbers(rb'<edge source="[^"]*" target="[^"]*" id="e')
    data = (b'\n<edge source="a" target="b" id="e9"><data key="d1">x" id="e5</data></edge>'
            b'\n<edge source="a" target="c" id="e10" />')
    assert renumber(data, 9, 99, 2) == data.replace(b'id="e9"', b'id="e99"').replace(b'id="e10"', b'id="e100"')
    assert renumber(data, 8, 99, 2) is None  # not the numbers the index says
    assert renumber(data, 9, 99, 3) is None  # nor as many edges


def test_unmarshallable_data_is_always_rendered(tmp_path, rendered):
    import networkx as nx

    graph = nx.MultiDiGraph()
    graph.add_node("a", type="Paper", label="A", odd=range(3))  # marshal cannot write a range
    graph.add_node("b", type="Paper", label="B")
    graph.add_edge("a", "b", key="CITES", type="CITES")
    fps = fragments.GraphItems(graph).fingerprint().node_fps
    assert fps[0] == 0 and fps[1] != 0
    (tmp_path / "first").mkdir()
    with fragments_for(graph, tmp_path / "first", tmp_path / "first" / "idx"):
        write_graphml(graph, tmp_path / "first" / "graph.graphml")
    rendered.clear()
    (tmp_path / "update").mkdir()
    with fragments_for(graph, tmp_path / "update", tmp_path / "update" / "idx", tmp_path / "first", tmp_path / "first" / "idx"):
        write_graphml(graph, tmp_path / "update" / "graph.graphml")
    assert rendered == {"nodes": 1}
    data = (tmp_path / "update" / "graph.graphml").read_bytes()
    assert data == (tmp_path / "first" / "graph.graphml").read_bytes() and b">range(0, 3)</data>" in data
