"""VOSviewer JSON maps: items, link strengths, clusters and the documented JSON shape."""

import json

import networkx as nx

from kg.export import export
from kg.export.vosviewer import MAX_CLUSTERS, generate_vosviewer
from kg.graph.build import build_graph

from ..fixtures.corpus import HOSTILE_NAME, NODE_COUNTS
from .hostile import hostile_corpus

ITEM_KEYS = {"id", "label", "description", "url", "x", "y", "cluster", "weights", "scores"}
LINK_KEYS = {"source_id", "target_id", "strength"}


def check_shape(doc):
    """The VOSviewer JSON file format: network.items / network.links / network.clusters."""
    network = doc["network"]
    ids = [item["id"] for item in network["items"]]
    assert len(ids) == len(set(ids))
    for item in network["items"]:
        assert set(item) <= ITEM_KEYS and isinstance(item["label"], str)
        assert all(isinstance(v, (int, float)) and v >= 0 for v in item["weights"].values())
        if "cluster" in item:
            assert isinstance(item["cluster"], int) and 1 <= item["cluster"] <= MAX_CLUSTERS
    for link in network["links"]:
        assert set(link) == LINK_KEYS
        assert {link["source_id"], link["target_id"]} <= set(ids) and link["strength"] > 0
    assert {c["cluster"] for c in network["clusters"]} == {i["cluster"] for i in network["items"] if "cluster" in i}
    assert set(doc["config"]["terminology"]) >= {"item", "items", "link", "links", "link_strength", "total_link_strength"}


def pairs(graph, relation):
    """(label, label) → weight of every `relation` edge, labels sorted."""
    return {tuple(sorted((graph.nodes[u]["label"], graph.nodes[v]["label"]))): d["weight"]
            for u, v, k, d in graph.edges(keys=True, data=True) if k == relation}


def test_collaboration_map_matches_the_co_author_network(fixture_corpus, fixture_graph, tmp_path):
    written = export("vosviewer", fixture_corpus, tmp_path)
    assert sorted(p.split("/")[-1] for p in written) == ["collaboration.vosviewer.json", "topics.vosviewer.json"]
    doc = json.loads((tmp_path / "collaboration.vosviewer.json").read_text(encoding="utf-8"))
    check_shape(doc)
    graph = fixture_graph
    linked = {n for u, v, k in graph.edges(keys=True) if k == "CO_AUTHOR" for n in (u, v)}
    items = doc["network"]["items"]
    # decision: items are the authors with at least one co-author; the author of a single-author
    # paper (王伟) would float alone in the map, unconnected
    assert len(items) == len(linked) == NODE_COUNTS["Author"] - 1
    assert "王伟" not in {i["label"] for i in items}
    by_id = {i["id"]: i["label"] for i in items}
    strengths = {tuple(sorted((by_id[link["source_id"]], by_id[link["target_id"]]))): link["strength"]
                 for link in doc["network"]["links"]}
    assert strengths == pairs(graph, "CO_AUTHOR")
    dai = next(i for i in items if i["label"] == "D Dai")
    assert dai["weights"] == {"Documents": 2, "Links": 3, "Total link strength": 3}
    assert dai["scores"] == {"Avg. pub. year": 2021.5}
    # Leiden: one cluster per connected group of co-authors here
    clusters = {}
    for item in items:
        clusters.setdefault(item["cluster"], set()).add(item["label"])
    assert sorted(clusters.values(), key=len) == [{HOSTILE_NAME, "R P. Adams"}, {"D Dai", "L Dong", "W Wang", "Y Hao"}]
    assert doc["network"]["clusters"] == [{"cluster": 1, "label": "D Dai"}, {"cluster": 2, "label": HOSTILE_NAME}]


def test_topic_map_matches_co_occurrence_and_is_deterministic(fixture_corpus, fixture_graph, tmp_path):
    export("vosviewer", fixture_corpus, tmp_path / "a")
    export("vosviewer", fixture_corpus, tmp_path / "b")
    for name in ("collaboration.vosviewer.json", "topics.vosviewer.json"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes()
    doc = json.loads((tmp_path / "a" / "topics.vosviewer.json").read_text(encoding="utf-8"))
    check_shape(doc)
    graph = fixture_graph
    linked = {n for u, v, k in graph.edges(keys=True) if k == "CO_OCCURS" for n in (u, v)}
    assert len(doc["network"]["items"]) == len(linked) == NODE_COUNTS["Topic"]
    assert len(doc["network"]["links"]) == 7
    occurrences = {i["label"]: i["weights"]["Occurrences"] for i in doc["network"]["items"]}
    assert occurrences == {"knowledge neuron": 1, "language model": 1, "reinforcement learning": 1, "segmentation": 2,
                           "semantic segmentation": 1, 'topic with "quotes", <tags> & a/b#c?': 1, "transformer": 2}
    by_id = {i["id"]: i["label"] for i in doc["network"]["items"]}
    strengths = {tuple(sorted((by_id[link["source_id"]], by_id[link["target_id"]]))): link["strength"]
                 for link in doc["network"]["links"]}
    assert strengths == pairs(graph, "CO_OCCURS")


def test_small_corpus_and_empty_network():
    graph = build_graph(hostile_corpus())
    doc = generate_vosviewer(graph, "Author", "CO_AUTHOR", terminology={"item": "Author"})
    # ids follow the node ids (author:r-p-adams… < author:script-…)
    assert [i["label"] for i in doc["network"]["items"]] == ["R P. Adams", '@"><script>alert(2)</script>']
    assert doc["network"]["links"] == [{"source_id": 1, "target_id": 2, "strength": 1}]
    assert doc["config"] == {"terminology": {"item": "Author"}}
    assert [i["cluster"] for i in doc["network"]["items"]] == [1, 1]
    empty = generate_vosviewer(graph, "Institution", "CO_AUTHOR")
    assert empty == {"network": {"items": [], "links": [], "clusters": []}}


def test_communities_past_the_limit_share_the_last_cluster():
    graph = nx.MultiDiGraph()
    for i in range(MAX_CLUSTERS + 5):  # disjoint pairs: one community each
        a, b = f"author:{i:05d}a", f"author:{i:05d}b"
        graph.add_node(a, type="Author", label=a, paper_count=1)
        graph.add_node(b, type="Author", label=b, paper_count=1)
        graph.add_edge(a, b, key="CO_AUTHOR", weight=1)
    doc = generate_vosviewer(graph, "Author", "CO_AUTHOR", terminology={"item": "Author", "items": "Authors",
                             "link": "l", "links": "ls", "link_strength": "s", "total_link_strength": "t"})
    check_shape(doc)
    sizes = {}
    for item in doc["network"]["items"]:
        sizes[item["cluster"]] = sizes.get(item["cluster"], 0) + 1
    assert len(sizes) == MAX_CLUSTERS and sizes[MAX_CLUSTERS] == 2 * 6
    assert doc["network"]["clusters"][-1] == {"cluster": MAX_CLUSTERS, "label": "12 items of smaller communities"}
