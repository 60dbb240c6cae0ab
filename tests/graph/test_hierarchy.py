"""The topic hierarchy (kg.graph.hierarchy), and how graph.json and RDF state it."""

from collections import Counter

import pytest

from kg.graph.hierarchy import broader_topics, root_categories
from kg.util.words import topic_key


def test_broader_topics_follow_the_head():
    labels = ["semantic segmentation", "segmentation", "few-shot semantic segmentation", "segmentation network",
              "Domain Generalization", "memory-guided domain generalization"]
    assert broader_topics(labels) == {
        "semantic segmentation": "segmentation",
        "few-shot semantic segmentation": "semantic segmentation",
        "memory-guided domain generalization": "Domain Generalization",
    }
    roots = root_categories(
        {"segmentation": Counter({"cs.CV": 1}), "semantic segmentation": Counter({"cs.CV": 2, "cs.LG": 1}),
         "segmentation network": Counter({"cs.LG": 1}), "loner": Counter()},
        {"semantic segmentation": "segmentation"},
    )
    assert roots == {"segmentation": "cs.CV", "segmentation network": "cs.LG"}

@pytest.mark.model
def test_seed_graph_has_a_topic_hierarchy_under_categories(seed_build):
    g = seed_build.graph
    broader = [(u, v) for u, v, k in g.edges(keys=True) if k == "BROADER"]
    assert broader
    for u, v in broader:
        narrow, wide = g.nodes[u]["label"], g.nodes[v]["label"]
        assert topic_key(narrow).endswith(topic_key(wide)) and narrow.split()[-1] == wide.split()[-1]
    tops = [(u, v) for u, v, k in g.edges(keys=True) if k == "BROADER_CATEGORY"]
    assert tops and all(g.nodes[v]["type"] == "Category" for _, v in tops)
    assert not any(u in {x for x, _ in broader} for u, _ in tops)  # only roots hang under a category
    assert any("label_zh" in data for _, data in g.nodes(data=True) if data["type"] == "Topic")

@pytest.mark.model
def test_seed_rdf_states_broader_and_chinese_labels(seed_build, seeds_dir):
    text = (seeds_dir / "exports" / "graph.ttl").read_text(encoding="utf-8")
    assert "skos:broader" in text and "@zh" in text
