"""graph.json, the graph every property-graph and Gephi export is made from: the conventions they share."""

import json

from kg.build import write_graph_json

from ..fixtures.corpus import FSS, HOSTILE_NAME, KN, ODD


def test_author_positions_count_from_1_and_symmetric_relations_are_named(fixture_corpus, fixture_graph, tmp_path):
    write_graph_json(fixture_graph, tmp_path / "graph.json")
    doc = json.loads((tmp_path / "graph.json").read_text(encoding="utf-8"))
    labels = {n["id"]: n["label"] for n in doc["nodes"]}
    bylines = {paper: sorted((e["position"], labels[e["target"]], e["printed"]) for e in doc["edges"]
                             if e["key"] == "HAS_AUTHOR" and e["source"] == paper) for paper in (KN, FSS, ODD)}
    assert bylines == {KN: [(1, "D Dai", "D Dai"), (2, "L Dong", "L Dong"), (3, "Y Hao", "Y Hao")],
                       FSS: [(1, "W Wang", "W Wang"), (2, "D Dai", "D Dai")],
                       ODD: [(1, HOSTILE_NAME, HOSTILE_NAME), (2, "R P. Adams", "R P. Adams")]}
    assert min(e["position"] for e in doc["edges"] if e["key"] == "HAS_AUTHOR") == 1
    # the node-link format has no per-edge direction: the graph attributes name the undirected relations,
    # each stored once per pair, from the smaller id to the larger
    assert doc["directed"] is True and doc["graph"] == {"undirected_edge_types": ["CO_AUTHOR", "CO_OCCURS"]}
    pairs = {key: [(e["source"], e["target"]) for e in doc["edges"] if e["key"] == key]
             for key in doc["graph"]["undirected_edge_types"]}
    assert pairs["CO_AUTHOR"] == [("author:d-dai", "author:l-dong"), ("author:d-dai", "author:y-hao"),
                                  ("author:d-dai", "author:w-wang"), ("author:l-dong", "author:y-hao"),
                                  ("author:r-p-adams", "author:zoe-o-brien-lukasz-u")]
    assert len(pairs["CO_OCCURS"]) == 7
    for found in pairs.values():
        assert all(u < v for u, v in found) and len(set(found)) == len(found)
    # the internal model keeps counting from 0 (corpus.json, kg explain's input)
    paper = next(p for p in fixture_corpus.papers if p.id == FSS)
    assert [(a.position, a.printed) for a in paper.authorships] == [(0, "W Wang"), (1, "D Dai")]
