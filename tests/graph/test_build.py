"""build_graph (kg.graph.build) on the fixture corpus: every node and edge, and the attributes outputs read."""

from collections import Counter

from kg.graph.build import build_graph
from kg.graph.schema import EDGE_TYPES, ENTITY_EDGE_TYPES, NODE_TYPES
from kg.model import Author, Authorship, Corpus, Entity, Paper, Source

from ..fixtures.corpus import (
    DAI,
    EDGE_COUNTS,
    FSS,
    HOSTILE_ALIAS,
    HOSTILE_NAME,
    HOSTILE_TASK,
    HOSTILE_TITLE,
    KN,
    NODE_COUNTS,
    NOTE,
    ODD,
)


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
    # the long form is an alias now: no `long_form` attribute (issue 23)
    assert g.nodes["method:cmt"] == {"type": "Method", "label": "CMT", "aliases": ["cross-modal transformer"],
                                     "sources": ["digest.txt:12"], "paper_count": 1}
    code = g.nodes["code:https://github.com/example/cmt/tree/main/src"]
    assert code["repository"] == "https://github.com/example/cmt"
    assert g.nodes["category:cs.CV"]["label"] == "Computer Vision and Pattern Recognition"
    assert g.edges["author:d-dai", "author:l-dong", "CO_AUTHOR"] == {
        "type": "CO_AUTHOR", "sources": ["digest.txt:1", "feed.txt:3"], "papers": [KN], "weight": 1}


def test_typed_entities_carry_their_aliases_sorted_and_unique_over_all_papers(fixture_graph):
    g = fixture_graph
    # KN gives "TL", FSS "knowledge transfer" and "TL" again
    assert g.nodes["task:transfer learning"] == {
        "type": "Task", "label": "transfer learning", "aliases": ["TL", "knowledge transfer"],
        "sources": ["digest.txt:1", "digest.txt:12", "feed.txt:3"], "paper_count": 2}
    # no alias on any paper: no `aliases` attribute at all
    assert g.nodes["method:transformer"] == {
        "type": "Method", "label": "Transformer", "sources": ["digest.txt:1", "digest.txt:12", "feed.txt:3"],
        "paper_count": 2}
    assert g.nodes["task:image segmentation"]["aliases"] == ["图像分割"]
    assert g.nodes["dataset:pascal voc"] == {"type": "Dataset", "label": "PASCAL VOC", "aliases": ["VOC"],
                                             "sources": ["digest.txt:12"], "paper_count": 1}
    assert g.nodes["metric:miou"] == {"type": "Metric", "label": "mIoU", "aliases": ["mean intersection over union"],
                                      "sources": ["digest.txt:12"], "paper_count": 1}
    hostile = g.nodes["task:" + HOSTILE_TASK.lower()]
    assert (hostile["label"], hostile["aliases"]) == (HOSTILE_TASK, [HOSTILE_ALIAS])
    assert g.nodes["metric:f1"]["aliases"] == ["F-score", HOSTILE_ALIAS]
    assert {t: sorted(n for n, d in g.nodes(data=True) if d["type"] == t) for t in ("Task", "Metric")} == {
        "Task": ["task:few-shot semantic segmentation", "task:image segmentation", "task:knowledge attribution",
                 "task:semantic segmentation", "task:" + HOSTILE_TASK.lower(), "task:transfer learning"],
        "Metric": ["metric:f1", "metric:miou"]}


def test_each_paper_to_entity_edge_says_how_the_link_was_found(fixture_graph):
    assert ENTITY_EDGE_TYPES == ("ADDRESSES_TASK", "USES_METHOD", "USES_DATASET", "USES_METRIC")
    g = fixture_graph
    via = {(u, v, k): d["via"] for u, v, k, d in g.edges(keys=True, data=True)
           if k in ENTITY_EDGE_TYPES}
    assert via == {
        (KN, "task:knowledge attribution", "ADDRESSES_TASK"): "defined",
        (KN, "task:transfer learning", "ADDRESSES_TASK"): "mentioned",
        (KN, "method:kn", "USES_METHOD"): "defined",
        (KN, "method:transformer", "USES_METHOD"): "mentioned",
        (KN, "dataset:pararel", "USES_DATASET"): "mentioned",
        (FSS, "task:few-shot semantic segmentation", "ADDRESSES_TASK"): "title",
        (FSS, "task:semantic segmentation", "ADDRESSES_TASK"): "mentioned",
        (FSS, "task:transfer learning", "ADDRESSES_TASK"): "mentioned",
        (FSS, "method:cmt", "USES_METHOD"): "defined",
        (FSS, "method:transformer", "USES_METHOD"): "mentioned",
        (FSS, "dataset:coco", "USES_DATASET"): "mentioned",
        (FSS, "dataset:pascal voc", "USES_DATASET"): "mentioned",
        (FSS, "metric:miou", "USES_METRIC"): "mentioned",
        (ODD, "task:" + HOSTILE_TASK.lower(), "ADDRESSES_TASK"): "title",
        (ODD, "method:a<b>", "USES_METHOD"): "defined",
        (ODD, 'dataset:data "set"\n2', "USES_DATASET"): "mentioned",
        (ODD, "metric:f1", "USES_METRIC"): "mentioned",
        (NOTE, "task:image segmentation", "ADDRESSES_TASK"): "mentioned",
    }
    assert g.edges[FSS, "task:few-shot semantic segmentation", "ADDRESSES_TASK"] == {
        "type": "ADDRESSES_TASK", "via": "title", "sources": ["digest.txt:12"]}


def test_an_entity_a_paper_names_twice_is_one_node_and_one_edge_with_the_strongest_via():
    paper = Paper("arxiv:1", "T", "1", None, None, ("en",), (), (), (), (), (), (), (), (), (Source("a.txt", 1),),
                  tasks=(Entity("Segmentation", ("seg", "Segmentation")), Entity("segmentation", ("SEG", "seg"), "title"),
                         Entity("Depth", (), "defined")))
    g = build_graph(Corpus((paper,), (), ()))
    assert g.nodes["task:segmentation"] == {"type": "Task", "label": "Segmentation", "aliases": ["SEG", "seg"],
                                            "sources": ["a.txt:1"], "paper_count": 1}
    assert [(v, d["via"]) for _, v, d in g.out_edges("arxiv:1", data=True)] == [("task:segmentation", "title"),
                                                                              ("task:depth", "defined")]


def test_the_adjacency_is_what_networkx_itself_would_make(fixture_graph):
    """kg.graph.build fills networkx's adjacency dicts itself: one key dict per node pair shared by
    both directions, and the same graph and views as networkx's own add_nodes_from/add_edges_from."""
    import networkx as nx

    g = fixture_graph
    for u, v in g.edges():
        assert g._succ[u][v] is g._pred[v][u]
    expected = nx.MultiDiGraph(**g.graph)
    expected.add_nodes_from(g.nodes(data=True))
    expected.add_edges_from(g.edges(keys=True, data=True))
    assert list(g.nodes(data=True)) == list(expected.nodes(data=True))
    assert list(g.edges(keys=True, data=True)) == list(expected.edges(keys=True, data=True))
    assert nx.utils.graphs_equal(g, expected)
    assert all(sorted(g.in_edges(n, keys=True)) == sorted(expected.in_edges(n, keys=True)) for n in g)


def test_nodes_and_edges_met_again_gather_sources_and_papers_in_the_order_first_met():
    """Node and edge order is the order first met (every output's order); a node or edge met again
    gathers its sources and papers, sorted and unique; an author printed twice on one paper is one
    HAS_AUTHOR edge (the first position) and counts that paper once."""
    a, b, c = (Authorship(0, "B Bee", "author:b"), Authorship(1, "A Ay", "author:a"),
               Authorship(2, "B Bee", "author:b"))

    def paper(pid, authorships, sources, topics=()):
        return Paper(pid, pid.upper(), None, None, None, ("en",), (), authorships, (), topics, (), (), (), (),
                     tuple(Source(f, n) for f, n in sources))

    p2 = paper("p2", (Authorship(0, "A Ay", "author:a"), Authorship(1, "B Bee", "author:b")),
               [("z.txt", 3), ("a.txt", 1)], (("graph", 1.0),))
    p1 = paper("p1", (a, b, c), [("b.txt", 2), ("b.txt", 2)], (("graph", 2.0), ("net", 1.0)))
    g = build_graph(Corpus((p2, p1), (Author("author:a", "A Ay", ()), Author("author:b", "B Bee", ())), ()))
    assert list(g) == ["p2", "author:a", "author:b", "topic:graph", "p1", "topic:net"]
    assert [(u, v, k) for u, v, k in g.edges(keys=True)] == [
        ("p2", "author:a", "HAS_AUTHOR"), ("p2", "author:b", "HAS_AUTHOR"), ("p2", "topic:graph", "HAS_TOPIC"),
        ("author:a", "author:b", "CO_AUTHOR"), ("topic:graph", "topic:net", "CO_OCCURS"),
        ("p1", "author:b", "HAS_AUTHOR"), ("p1", "author:a", "HAS_AUTHOR"), ("p1", "topic:graph", "HAS_TOPIC"),
        ("p1", "topic:net", "HAS_TOPIC")]
    assert list(g.in_edges("author:b", keys=True)) == [("p2", "author:b", "HAS_AUTHOR"),
                                                        ("author:a", "author:b", "CO_AUTHOR"),
                                                        ("p1", "author:b", "HAS_AUTHOR")]
    assert g.nodes["author:b"] == {"type": "Author", "label": "B Bee", "sources": ["a.txt:1", "b.txt:2", "z.txt:3"],
                                   "paper_count": 2}
    assert g.nodes["p1"]["sources"] == ["b.txt:2"] and g.nodes["p2"]["sources"] == ["a.txt:1", "z.txt:3"]
    assert g.edges["p1", "author:b", "HAS_AUTHOR"] == {"type": "HAS_AUTHOR", "position": 1, "printed": "B Bee",
                                                       "sources": ["b.txt:2"]}
    assert g.edges["author:a", "author:b", "CO_AUTHOR"] == {
        "type": "CO_AUTHOR", "sources": ["a.txt:1", "b.txt:2", "z.txt:3"], "papers": ["p1", "p2"], "weight": 2}
    assert g.edges["topic:graph", "topic:net", "CO_OCCURS"] == {
        "type": "CO_OCCURS", "sources": ["b.txt:2"], "papers": ["p1"], "weight": 1}
    assert g.nodes["topic:graph"]["paper_count"] == 2 and g.nodes["topic:net"]["paper_count"] == 1
