"""kg.viz.to_pyvis: the page's positions, colours and sizes in a pyvis Network; corpus text escaped
in the HTML titles pyvis may show with innerHTML."""

from __future__ import annotations

import dataclasses

import pytest

from kg.build import write_corpus
from kg.ingest import read_inputs
from kg.model import Extraction
from kg.resolve import resolve
from kg.viz import page_data, to_pyvis

from ..conftest import SEEDS

HOSTILE = '</script><img src=x onerror="alert(1)"> & Co'


@pytest.fixture(scope="module")
def corpus():
    """The seeds, read and resolved without extraction (no topics: the collaboration map needs none),
    the first entry's first author renamed to a hostile string."""
    entries = list(read_inputs([str(SEEDS)]).entries)
    entries[0] = dataclasses.replace(entries[0], authors=(HOSTILE, *entries[0].authors[1:]))
    return resolve(entries, [Extraction()] * len(entries))


def test_nodes_keep_the_pages_positions_colours_and_labels(corpus):
    data = page_data("collaboration", corpus)
    net = to_pyvis(corpus, "collaboration")
    assert net.options.physics.enabled is False
    nodes = {n["id"]: n for n in net.nodes}
    assert len(nodes) == len(data["nodes"]) > 10 and len(net.edges) == len(data["edges"])
    for node_id, label, x, y, _papers, cluster, *_ in data["nodes"]:
        node = nodes[node_id]
        assert (node["label"], node["x"], node["y"]) == (label, x, y)
        listed = cluster < len(data["clusters"])
        assert node["color"] == (data["clusters"][cluster]["colour"] if listed else data["otherColour"])
        assert node["size"] == 20.5  # every seed author has one paper: the middle of 5–36, as the page draws it
    assert {n["color"] for n in net.nodes} > {data["otherColour"]}  # the listed clusters' colours and grey


def test_sizes_grow_with_the_square_root_of_papers():
    from kg.viz.notebook import NODE_SIZES, _scaled

    assert [_scaled(v, 1, 5, NODE_SIZES) for v in (1, 2, 5)] == [5, 5 + 31 * 0.5, 36]
    assert _scaled(3, 3, 3, NODE_SIZES) == 20.5


def test_a_hostile_name_is_escaped_in_titles_and_inert_in_the_html(corpus):
    net = to_pyvis(corpus, "collaboration")
    (node,) = [n for n in net.nodes if n["label"] == HOSTILE]  # the label is canvas text: as printed
    assert node["title"].startswith("<b>&lt;/script&gt;&lt;img src=x onerror=&quot;alert(1)&quot;&gt; &amp; Co</b><br>")
    titles = [n["title"] for n in net.nodes] + [e["title"] for e in net.edges]
    assert not any("<img" in t or "</script" in t for t in titles)
    assert any('<a href="https://arxiv.org/abs/' in t for t in titles)  # titles are HTML: pyvis shows them so
    page = net.generate_html()
    assert "<img src=x" not in page and "</script><img" not in page


def test_a_build_folder_and_page_data_are_sources_too(corpus, tmp_path):
    write_corpus(corpus, tmp_path / "corpus.json")
    from_folder = to_pyvis(tmp_path, "institutions", max_nodes=5)
    data = page_data("institutions", corpus, max_nodes=5)
    assert [n["id"] for n in from_folder.nodes] == [row[0] for row in data["nodes"]]
    assert [n["id"] for n in to_pyvis(data).nodes] == [row[0] for row in data["nodes"]]


def test_the_topic_maps_kinds_become_shapes():
    from kg.model import Entity

    entries = list(read_inputs([str(SEEDS)]).entries)[:3]
    bert, squad = Entity("BERT", (), "title"), Entity("SQuAD", (), "mentioned")
    qa = Entity("question answering", (), "title")
    extractions = [Extraction(topics=(("language model", 0.9),), methods=(bert,), datasets=(squad,), tasks=(qa,))] * 3
    net = to_pyvis(resolve(entries, extractions), "topics", min_occurrences=1)
    shapes = {n["label"]: n["shape"] for n in net.nodes}
    assert shapes == {"BERT": "square", "SQuAD": "triangle", "question answering": "diamond"}
    # with every term kept, the topic is a dot
    net = to_pyvis(resolve(entries, extractions[:1] + [Extraction(topics=(("language model", 0.9),))] * 2), "topics")
    assert {n["label"]: n["shape"] for n in net.nodes}["language model"] == "dot"
