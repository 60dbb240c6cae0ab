"""The topic map's graph (kg.viz.graphs): topics and typed entities as terms with the knowledge
graph's ids and types, VOSviewer's relevance (KL divergence over clusters), the relevance selection
and the default threshold, with exact values on a hand-built corpus and on the seeds."""

from __future__ import annotations

import math
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import networkx as nx
import pytest

from kg.graph.build import build_graph, node_id
from kg.model import Corpus, Entity, Paper, Source
from kg.viz.graphs import (
    TERM_TYPES,
    TOPIC_MAX_NODES,
    _threshold,
    _topic_graph,
    _topic_parts,
    relevance,
    select_relevant,
    topic_graph,
    topic_map_graph,
)
from kg.viz.layout import clusters

ROOT = Path(__file__).resolve().parents[2]


def paper(n: int, topics=(), tasks=(), methods=(), datasets=(), metrics=()) -> Paper:
    def entities(names):
        return tuple(Entity(name) for name in names)

    return Paper(id=f"p{n}", title=f"Paper {n}", arxiv_id=None, category=None, year=None, lang=("en",),
                 abstracts=(), authorships=(), institutions=(),
                 topics=tuple((t, round(1.0 - i / 10, 1)) for i, t in enumerate(topics)),
                 methods=entities(methods), datasets=entities(datasets), code=(), urls=(),
                 sources=(Source("t.txt", n),), tasks=entities(tasks), metrics=entities(metrics))


def small_corpus() -> Corpus:
    """Five papers with terms and one without: an NLP pair (language model, BERT, question
    answering), a vision pair (image segmentation, U-Net), and a paper with six topics (the sixth
    occurs but co-occurs with nothing) whose topic "transformer" is also one of its methods."""
    return Corpus(papers=(
        paper(1, ["language model", "pretraining"], ["question answering"], ["BERT"], ["SQuAD"]),
        paper(2, ["language model"], ["question answering"], ["BERT", "bert"], metrics=["F1"]),
        paper(3, ["image segmentation"], methods=["U-Net"], datasets=["COCO"], metrics=["mIoU"]),
        paper(4, ["image segmentation", "benchmark"], methods=["U-Net"]),
        paper(5, ["benchmark", "transformer", "attention", "scaling", "efficiency", "sixth topic"],
              methods=["Transformer"]),
        paper(6),
    ), authors=(), institutions=())


@pytest.fixture(scope="module")
def corpus():
    return small_corpus()


def test_terms_are_the_knowledge_graphs_nodes(corpus):
    g = topic_graph(corpus)
    kg = build_graph(corpus)
    assert Counter(t for _, t in g.nodes(data="type")) == {"Topic": 9, "Method": 3, "Dataset": 2, "Task": 1,
                                                          "Metric": 2}
    assert g.number_of_edges() == 36 and g.graph["papers"] == 5  # paper 6 has no term
    # the same ids, types, labels and occurrences as graph.json
    assert sorted(g) == sorted(n for n, t in kg.nodes(data="type") if t in TERM_TYPES)
    for n, data in g.nodes(data=True):
        assert (data["type"], data["label"], data["paper_count"]) == \
            (kg.nodes[n]["type"], kg.nodes[n]["label"], kg.nodes[n]["paper_count"])
    bert, squad = node_id("Method", "BERT"), node_id("Dataset", "SQuAD")
    assert (bert, squad) == ("method:bert", "dataset:squad")
    assert g.nodes[bert] == {"type": "Method", "label": "BERT", "paper_count": 2, "papers": ["p1", "p2"]}
    assert g.nodes[squad]["type"] == "Dataset" and g.nodes["task:question answering"]["type"] == "Task"
    assert g.nodes["metric:miou"] == {"type": "Metric", "label": "mIoU", "paper_count": 1, "papers": ["p3"]}
    # a topic and a method with the same label are two nodes, linked by their paper
    assert g.nodes["topic:transformer"]["type"] == "Topic" and g.nodes["method:transformer"]["type"] == "Method"
    assert g.edges["method:transformer", "topic:transformer"]["papers"] == ["p5"]
    # the sixth topic occurs but co-occurs with nothing (only the five best topics do)
    assert g.nodes["topic:sixth topic"]["paper_count"] == 1 and g.degree("topic:sixth topic") == 0
    # the topics' own links are the knowledge graph's CO_OCCURS edges, same weights
    co = {(u, v): d["weight"] for u, v, k, d in kg.edges(keys=True, data=True) if k == "CO_OCCURS"}
    assert co and all(g.edges[e]["weight"] == w for e, w in co.items())
    # edges: papers together and association strength (2 × 5 papers / (2 × 2))
    assert g.edges[bert, "topic:language model"] == {"weight": 2, "papers": ["p1", "p2"], "strength": 2.5}
    assert g.edges[bert, squad]["strength"] == 1 * 5 / (2 * 1)


def test_parts_keep_their_shape(corpus):
    parts = _topic_parts(corpus)
    labels, node_papers, edge_papers = parts.labels, parts.node_papers, parts.edge_papers()
    assert labels["method:bert"] == "BERT" and node_papers["method:bert"] == {"p1", "p2"}
    assert edge_papers[("method:bert", "task:question answering")] == {"p1", "p2"}
    assert parts.with_terms == 5 and len(labels) == len(node_papers) == 17 and len(edge_papers) == 36
    assert parts.pair_count() == 36
    assert _threshold(node_papers, 6) == 2 and _threshold(node_papers, 5) == 3 and _threshold(node_papers, 17) == 1
    # pairs of the kept terms only: those of a term under the threshold are never made
    kept_terms = {t for t, papers in node_papers.items() if len(papers) >= 2}
    kept_pairs = parts.edge_papers(kept_terms)
    assert {(u, v): p for (u, v), p in edge_papers.items() if u in kept_terms and v in kept_terms} == kept_pairs
    kept = _topic_graph(parts, 2)
    assert sorted(kept) == ["method:bert", "method:u-net", "task:question answering", "topic:benchmark",
                            "topic:image segmentation", "topic:language model"]
    assert kept.number_of_edges() == len(kept_pairs) and kept.graph["papers"] == 5


def tiny_graph() -> tuple[nx.Graph, dict]:
    """Two clusters {a, b, x} and {c, d}; x links one term of each."""
    g = nx.Graph()
    for n, count in (("a", 1), ("b", 1), ("c", 1), ("d", 3), ("x", 1)):
        g.add_node(n, paper_count=count)
    g.add_edge("a", "b", weight=2)
    g.add_edge("c", "d", weight=2)
    g.add_edge("b", "c", weight=1)
    g.add_edge("a", "x", weight=1)
    g.add_edge("d", "x", weight=1)
    return g, {"a": 0, "b": 0, "x": 0, "c": 1, "d": 1}


def test_relevance_is_the_kl_divergence_over_clusters():
    g, groups = tiny_graph()
    rel = relevance(g, groups=groups)
    # co-occurrences on each cluster, each link at both ends: cluster 0 gets a 3, b 2, c 1, d 1, x 1 = 8,
    # cluster 1 gets b 1, c 2, d 2, x 1 = 6: q = (4/7, 3/7)
    q0, q1 = 4 / 7, 3 / 7
    assert rel == {
        "a": round(math.log(1 / q0), 6),  # all its links in cluster 0
        "b": round(2 / 3 * math.log(2 / 3 / q0) + 1 / 3 * math.log(1 / 3 / q1), 6),
        "c": round(1 / 3 * math.log(1 / 3 / q0) + 2 / 3 * math.log(2 / 3 / q1), 6),
        "d": round(1 / 3 * math.log(1 / 3 / q0) + 2 / 3 * math.log(2 / 3 / q1), 6),
        "x": round(1 / 2 * math.log(1 / 2 / q0) + 1 / 2 * math.log(1 / 2 / q1), 6),
    }
    assert rel == {"a": 0.559616, "b": 0.018996, "c": 0.11489, "d": 0.11489, "x": 0.01031}
    # spread evenly over both clusters: less relevant than a term inside one
    assert rel["x"] < rel["a"]
    g.add_node("lonely", paper_count=9)
    assert relevance(g, groups={**groups, "lonely": 2})["lonely"] == 0.0


def test_relevance_clusters_with_leiden_unless_told():
    g = nx.Graph()
    for u, v in [("a", "b"), ("b", "c"), ("a", "c"), ("d", "e"), ("e", "f"), ("d", "f"), ("c", "d")]:
        g.add_edge(u, v, weight=1, strength=1.0)
    groups = clusters(g, weight="strength")
    assert groups == {"a": 0, "b": 0, "c": 0, "d": 1, "e": 1, "f": 1}
    rel = relevance(g)
    assert rel == relevance(g, groups=groups)
    # q = (1/2, 1/2); a: all in cluster 0 → ln 2; c: 2 of its 3 links in cluster 0
    assert rel["a"] == rel["f"] == round(math.log(2), 6) == 0.693147
    assert rel["c"] == rel["d"] == round(2 / 3 * math.log(4 / 3) + 1 / 3 * math.log(2 / 3), 6) == 0.056633


def test_select_relevant_keeps_the_most_relevant_share():
    g, groups = tiny_graph()
    g.graph["papers"] = 7
    kept = select_relevant(g, 0.6, groups=groups)  # ceil(0.6 × 5) = 3: a, then c and d (tied)
    assert list(kept) == ["a", "c", "d"] and list(kept.edges) == [("c", "d")]
    assert kept.graph == {"papers": 7}
    assert kept.nodes["a"] == {"paper_count": 1, "relevance": 0.559616}
    assert "relevance" not in g.nodes["a"]  # the input is left as it was
    # ties: more papers first (d has 3, c 1)
    assert list(select_relevant(g, 0.4, groups=groups)) == ["a", "d"]
    assert list(select_relevant(g, 0.6, groups=groups, max_nodes=2)) == ["a", "d"]
    assert list(select_relevant(g, 1.0, groups=groups)) == ["a", "b", "c", "d", "x"]
    assert select_relevant(nx.Graph()).number_of_nodes() == 0
    with pytest.raises(ValueError):
        select_relevant(g, 0)


def test_topic_map_graph_threshold_then_relevance(corpus):
    assert TOPIC_MAX_NODES == 600
    terms, links, g = topic_map_graph(corpus)  # 17 terms: no threshold, keeps ceil(0.6 × 17) = 11
    assert (terms, links, g.number_of_nodes()) == (17, 36, 11)
    assert g.graph == {"papers": 5, "min_occurrences": 1, "relevance_share": 0.6, "candidates": 17}
    assert "topic:sixth topic" not in g  # no links: relevance 0
    assert all(isinstance(d, float) for _, d in g.nodes(data="relevance"))

    # at most ceil(4 / 0.6) = 7 candidates: the 6 terms of 2 papers or more, two triangles
    # {language model, BERT, question answering} (12 co-occurrences at their ends) and
    # {image segmentation, U-Net, benchmark} (8): relevances ln(20/12) and ln(20/8)
    terms, links, g = topic_map_graph(corpus, max_nodes=4)
    assert (terms, links) == (17, 36)
    assert g.graph == {"papers": 5, "min_occurrences": 2, "relevance_share": 0.6, "candidates": 6}
    assert dict(g.nodes(data="relevance")) == {
        "method:bert": round(math.log(20 / 12), 6),  # tied with the other two: "method:bert" is the smallest id
        "method:u-net": round(math.log(20 / 8), 6),
        "topic:benchmark": round(math.log(20 / 8), 6),
        "topic:image segmentation": round(math.log(20 / 8), 6),
    }
    assert list(g.edges) == [("method:u-net", "topic:benchmark"), ("method:u-net", "topic:image segmentation"),
                             ("topic:benchmark", "topic:image segmentation")]

    assert topic_map_graph(corpus, min_occurrences=2, share=1.0)[2].number_of_nodes() == 6
    with pytest.raises(ValueError):
        topic_map_graph(corpus, share=1.5)


def test_topic_map_does_not_depend_on_string_hashing():
    script = ("from tests.viz.test_topic_map import small_corpus; from tests.fixtures.corpus import CORPUS;"
              "from kg.viz.graphs import topic_map_graph, relevance, topic_graph\n"
              "for c in (small_corpus(), CORPUS):\n"
              "    n, m, g = topic_map_graph(c, max_nodes=5)\n"
              "    print(n, m, list(g.nodes(data=True)), list(g.edges(data=True)), relevance(topic_graph(c)))")
    outs = {subprocess.run([sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True,
                           env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(outs) == 1


@pytest.mark.model
def test_seed_topic_graph_has_every_typed_entity(seed_build):
    corpus = seed_build.corpus
    g = topic_graph(corpus)
    assert Counter(t for _, t in g.nodes(data="type")) == {"Topic": 215, "Method": 85, "Task": 32, "Dataset": 13,
                                                          "Metric": 7}
    assert (g.number_of_nodes(), g.number_of_edges(), g.graph["papers"]) == (352, 1401, 24)
    kg = build_graph(corpus)
    assert sorted(g) == sorted(n for n, t in kg.nodes(data="type") if t in TERM_TYPES)
    assert all(g.nodes[n]["paper_count"] == kg.nodes[n]["paper_count"] for n in g)

    terms, links, shown = topic_map_graph(corpus)
    assert (terms, links, shown.number_of_nodes()) == (352, 1401, 212)  # ceil(0.6 × 352)
    assert shown.graph == {"papers": 24, "min_occurrences": 1, "relevance_share": 0.6, "candidates": 352}
