"""graph.json, the graph every property-graph and Gephi export is made from: the conventions they share."""

import json

import pytest

PAPER = "arxiv:2104.08696"  # Knowledge Neurons in Pretrained Transformers: D Dai, L Dong, Y Hao, Z Sui, B Chang, F Wei


@pytest.mark.model
def test_author_positions_count_from_1_and_symmetric_relations_are_named(seed_build, seeds_dir):
    doc = json.loads((seeds_dir / "exports" / "graph.json").read_text(encoding="utf-8"))
    labels = {n["id"]: n["label"] for n in doc["nodes"]}
    byline = sorted((e["position"], labels[e["target"]], e["printed"]) for e in doc["edges"]
                    if e["key"] == "HAS_AUTHOR" and e["source"] == PAPER)
    assert byline == [(1, "D Dai", "D Dai"), (2, "L Dong", "L Dong"), (3, "Y Hao", "Y Hao"),
                      (4, "Z Sui", "Z Sui"), (5, "B Chang", "B Chang"), (6, "F Wei", "F Wei")]
    assert min(e["position"] for e in doc["edges"] if e["key"] == "HAS_AUTHOR") == 1
    # the node-link format has no per-edge direction: the graph attributes name the undirected relations,
    # each stored once per pair, from the smaller id to the larger
    assert doc["directed"] is True and doc["graph"] == {"undirected_edge_types": ["CO_AUTHOR", "CO_OCCURS"]}
    for key in doc["graph"]["undirected_edge_types"]:
        pairs = [(e["source"], e["target"]) for e in doc["edges"] if e["key"] == key]
        assert pairs and all(u < v for u, v in pairs) and len(set(pairs)) == len(pairs)
    # the internal model keeps counting from 0 (corpus.json, kg explain's input)
    paper = next(p for p in seed_build.corpus.papers if p.id == PAPER)
    assert [(a.position, a.printed) for a in paper.authorships][:2] == [(0, "D Dai"), (1, "L Dong")]
