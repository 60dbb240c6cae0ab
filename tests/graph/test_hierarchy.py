"""The topic hierarchy (kg.graph.hierarchy), and how graph.json and RDF state it."""

from collections import Counter

from kg.export.rdf import write_rdf
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


def test_graph_has_a_topic_hierarchy_under_categories(fixture_graph):
    g = fixture_graph
    broader = [(u, v) for u, v, k in g.edges(keys=True) if k == "BROADER"]
    assert broader == [("topic:semantic segmentation", "topic:segmentation")]
    for u, v in broader:
        narrow, wide = g.nodes[u]["label"], g.nodes[v]["label"]
        assert topic_key(narrow).endswith(topic_key(wide)) and narrow.split()[-1] == wide.split()[-1]
    tops = sorted((u, v) for u, v, k in g.edges(keys=True) if k == "BROADER_CATEGORY")
    # a root topic goes under the category of most of its papers (the first on a tie: transformer)
    assert tops == [("topic:knowledge neuron", "category:cs.CL"), ("topic:language model", "category:cs.CL"),
                    ("topic:reinforcement learning", "category:cs.LG"), ("topic:segmentation", "category:cs.CV"),
                    ('topic:topic with "quotes", <tags> & a/b#c?', "category:cs.LG"), ("topic:transformer", "category:cs.CL")]
    assert all(g.nodes[v]["type"] == "Category" for _, v in tops)
    assert not any(u in {x for x, _ in broader} for u, _ in tops)  # only roots hang under a category
    assert {data["label"]: data["label_zh"] for _, data in g.nodes(data=True) if "label_zh" in data} == {
        "language model": "语言模型", "transformer": "变换器", "semantic segmentation": "语义分割", "segmentation": "分割",
        "reinforcement learning": "强化学习"}


def test_rdf_states_broader_and_chinese_labels(fixture_corpus, tmp_path):
    write_rdf(fixture_corpus, tmp_path / "graph.ttl", "turtle")
    text = (tmp_path / "graph.ttl").read_text(encoding="utf-8")
    assert "skos:broader topic:segmentation" in text and 'skos:altLabel "语义分割"@zh' in text


def test_topic_tree_is_made_once_per_corpus(fixture_corpus, monkeypatch):
    import gc
    import weakref

    from kg.graph import hierarchy
    from kg.model import Corpus

    made = []
    monkeypatch.setattr(hierarchy, "_LAST_TREE", None)
    original = hierarchy._topic_tree
    monkeypatch.setattr(hierarchy, "_topic_tree", lambda corpus: made.append(corpus) or original(corpus))
    first = hierarchy.topic_tree(fixture_corpus)
    assert hierarchy.topic_tree(fixture_corpus) is first and len(made) == 1  # graph.nq, then the graph
    assert first == original(fixture_corpus) and first[0]  # the tree itself, not an empty one
    # another corpus, even an equal one, is read anew
    twin = Corpus(fixture_corpus.papers, fixture_corpus.authors, fixture_corpus.institutions)
    assert hierarchy.topic_tree(twin) == first and len(made) == 2
    # the tree kept does not keep its corpus alive
    gone = weakref.ref(twin)
    del twin
    made.clear()
    gc.collect()
    assert gone() is None
