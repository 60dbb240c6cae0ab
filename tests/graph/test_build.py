"""build_graph (kg.graph.build) on the fixture corpus: every node and edge, and the attributes outputs read."""

from collections import Counter

from kg.graph.schema import EDGE_TYPES, NODE_TYPES

from ..fixtures.corpus import DAI, EDGE_COUNTS, FSS, HOSTILE_NAME, HOSTILE_TITLE, KN, NODE_COUNTS, NOTE, ODD


def test_every_node_and_edge_type_with_its_count(fixture_graph):
    assert set(NODE_COUNTS) == set(NODE_TYPES) and set(EDGE_COUNTS) == set(EDGE_TYPES)  # every type is there
    assert Counter(t for _, t in fixture_graph.nodes(data="type")) == NODE_COUNTS
    assert Counter(k for *_, k in fixture_graph.edges(keys=True)) == EDGE_COUNTS


def test_papers_carry_what_outputs_read(fixture_graph):
    g = fixture_graph
    assert g.nodes[KN] == {
        "type": "Paper", "label": "Knowledge neurons in pretrained transformers",
        "title": "Knowledge neurons in pretrained transformers", "arxiv_id": "2101.00001", "category": "cs.CL",
        "year": 2021, "lang": ["en", "zh"], "url": "https://arxiv.org/abs/2101.00001",
        "sources": ["digest.txt:1", "feed.txt:3"]}
    # no title: the label is the start of the abstract; no arXiv id: the first link
    assert g.nodes[NOTE] == {"type": "Paper", "label": "本文讨论图像分割。…", "lang": ["zh"],
                             "url": "https://example.org/note", "sources": ["feed.txt:10"]}
    assert (g.nodes[ODD]["label"], g.nodes[ODD]["category"], g.nodes[ODD]["year"]) == (HOSTILE_TITLE, "cs.LG", 2022)


def test_authors_institutions_and_mentions(fixture_graph):
    g = fixture_graph
    assert g.nodes[DAI] == {"type": "Author", "label": "D Dai", "sources": ["digest.txt:1", "digest.txt:12", "feed.txt:3"],
                            "paper_count": 2}
    assert g.nodes["author:zoe-o-brien-lukasz-u"]["label"] == HOSTILE_NAME
    assert [(u, d["position"], d["printed"]) for u, _, k, d in g.in_edges(DAI, keys=True, data=True) if k == "HAS_AUTHOR"] == [
        (KN, 1, "D Dai"), (FSS, 2, "D Dai")]
    pku = g.nodes["institution:ror-02v51f717"]
    assert (pku["label"], pku["ror_id"], pku["printed"], pku["matched"], pku["paper_count"]) == (
        "Peking University", "02v51f717", ["Peking University", "北京大学"], True, 2)
    assert g.edges[KN, "institution:ror-02v51f717", "HAS_INSTITUTION"]["printed"] == "北京大学"
    # digests do not say which author belongs where: every author of a paper is affiliated "via" it
    assert sorted(v for _, v, k in g.out_edges(DAI, keys=True) if k == "AFFILIATED_WITH") == [
        "institution:naver-ai-lab", "institution:ror-00d0nc645", "institution:ror-02v51f717"]
    assert g.nodes["method:cmt"] == {"type": "Method", "label": "CMT", "long_form": "cross-modal transformer",
                                     "sources": ["digest.txt:12"], "paper_count": 1}
    code = g.nodes["code:https://github.com/example/cmt/tree/main/src"]
    assert code["repository"] == "https://github.com/example/cmt"
    assert g.nodes["category:cs.CV"]["label"] == "Computer Vision and Pattern Recognition"
    assert g.edges["author:d-dai", "author:l-dong", "CO_AUTHOR"] == {
        "type": "CO_AUTHOR", "sources": ["digest.txt:1", "feed.txt:3"], "papers": [KN], "weight": 1}
