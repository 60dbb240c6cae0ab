"""The maps' data, layout and HTML without a browser: determinism, escaping, offline-only markup,
caps and the VOSviewer-style topic map."""

from __future__ import annotations

import json
import os
import re
from html import unescape as html_unescape

import networkx as nx
import pytest

from kg.model import Corpus, Entry, Extraction, Source
from kg.resolve import resolve
from kg.viz import (
    VIEWS,
    association_strength,
    clusters,
    collaboration_graph,
    layout,
    page_data,
    render_page,
    select_top,
    topic_graph,
    topic_threshold,
    write_page,
    write_pages,
)


def small_corpus() -> Corpus:
    def entry(n, title, authors, insts, arxiv, tag="LG"):
        return Entry(source=Source("t.txt", n), format="digest", number=n, tag=tag, title=title, authors=authors,
                     institutions=insts, abstract=f"Abstract {n}.", urls=(f"https://arxiv.org/abs/{arxiv}",),
                     arxiv_id=arxiv)

    entries = [
        entry(1, "Paper one", ("A Alpha", "B Beta", "C Gamma"), ("Peking University", "Microsoft Research"), "2101.00001"),
        entry(5, "Paper two", ("A Alpha", "B Beta"), ("Peking University",), "2202.00002", "CV"),
        entry(9, "Paper three", ("D Delta",), ("Stanford University",), "2203.00003"),
        entry(13, "</script><!-- x", ("E <b>", "A Alpha"), ("Stanford University", "Peking University"), "2204.00004"),
    ]
    topics = [
        (("graph neural network", 0.9), ("message passing", 0.8), ("benchmark", 0.1)),
        (("graph neural network", 0.9), ("message passing", 0.7)),
        (("diffusion model", 0.9),),
        (("graph neural network", 0.5), ("diffusion model", 0.4)),
    ]
    return resolve(entries, [Extraction(topics=t, code=("https://github.com/a/b", "javascript:x()")) for t in topics])


@pytest.fixture(scope="module")
def corpus():
    return small_corpus()


def data_block(html: str) -> str:
    return html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]


@pytest.mark.parametrize("view", VIEWS)
def test_same_input_gives_byte_identical_html(corpus, view, tmp_path):
    a = write_page(view, corpus, tmp_path / "a" / f"{view}.html")
    b = write_page(view, corpus, tmp_path / "b" / f"{view}.html")
    assert open(a, "rb").read() == open(b, "rb").read()


@pytest.mark.parametrize("view", VIEWS)
def test_page_is_self_contained_and_text_is_data(corpus, view):
    html = render_page(view, corpus)
    head = html.split('<script type="application/json"', 1)[0]
    # no external resource of any kind in the markup or the style
    assert not re.search(r"<(link|iframe|object|embed|img|audio|video|source)\b", head, re.I)
    assert not re.search(r"\bsrc\s*=", head, re.I)
    assert "@import" not in head and "url(" not in head
    assert re.findall(r'href="([^"]+)"', head) == [f"{v}.html" for v in VIEWS if v != view]
    csp = html_unescape(re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html).group(1))
    assert "default-src 'none'" in csp and "'unsafe-inline'" not in csp.split("script-src", 1)[1].split(";")[0]
    block = data_block(html)
    assert not set("<>&") & set(block)
    data = json.loads(block)
    labels = {n[1] for n in data["nodes"]}
    if view == "collaboration":
        assert "E <b>" in labels
    assert "</script><!-- x" in [p[0] for p in data["papers"]]
    assert all(u.startswith("https://") for p in data["papers"] for u in p[4])  # javascript: dropped
    assert all(p[1].startswith("https://arxiv.org/abs/") for p in data["papers"])


def test_write_pages_writes_the_three_views(corpus, tmp_path):
    paths = write_pages(corpus, tmp_path)
    assert [p.rsplit("/", 1)[1] for p in paths] == ["collaboration.html", "institutions.html", "topics.html"]
    assert not list(tmp_path.glob(".*.tmp"))


def test_unknown_view_and_bad_limits(corpus, tmp_path):
    with pytest.raises(ValueError, match="unknown view"):
        write_page("authors", corpus, tmp_path / "x.html")
    with pytest.raises(ValueError):
        write_page("topics", corpus, tmp_path / "x.html", max_nodes=0)
    assert not (tmp_path / "x.html").exists()


def test_collaboration_data_matches_the_corpus(corpus):
    data = page_data("collaboration", corpus)
    ids = {n[0]: n for n in data["nodes"]}
    alpha = next(a.id for a in corpus.authors if a.name == "A Alpha")
    beta = next(a.id for a in corpus.authors if a.name == "B Beta")
    assert ids[alpha][4] == 3  # paper count
    i, j = sorted((list(ids).index(alpha), list(ids).index(beta)))
    edge = next(e for e in data["edges"] if e[:2] == [i, j])
    assert edge[2] == 2  # papers together
    assert data["total"] == {"nodes": 5, "edges": 4} and data["notes"] == []
    assert [c[0] for c in data["categories"]] == ["cs.CV", "cs.LG"]
    assert data["years"] == [2021, 2022]


def test_cap_keeps_top_nodes_by_degree_and_says_so(corpus):
    data = page_data("collaboration", corpus, max_nodes=3, max_edges=2)
    assert len(data["nodes"]) == 3 and len(data["edges"]) == 2
    assert data["total"]["nodes"] == 5
    assert "top 3 of 5 authors" in data["notes"][0] and "2 heaviest" in data["notes"][1]
    assert next(a.id for a in corpus.authors if a.name == "A Alpha") in {n[0] for n in data["nodes"]}
    assert "Showing part of the graph" in render_page("collaboration", corpus, max_nodes=3)


def test_topic_map_association_strength_and_threshold(corpus):
    g = topic_graph(corpus)
    assert g.graph["papers"] == 4
    gnn, mp = "topic:graph neural network", "topic:message passing"
    assert g.nodes[gnn]["paper_count"] == 3 and g.edges[gnn, mp]["weight"] == 2
    assert g.edges[gnn, mp]["strength"] == pytest.approx(2 * 4 / (3 * 2))
    assert association_strength(1, 0, 5, 10) == 0.0
    kept = topic_graph(corpus, min_occurrences=2)
    assert sorted(kept) == ["topic:diffusion model", "topic:graph neural network", "topic:message passing"]
    assert topic_threshold(corpus, 3) == 2 and topic_threshold(corpus, 100) == 1
    data = page_data("topics", corpus, min_occurrences=2)
    # 3 terms occur twice or more; VOSviewer's relevance keeps 60% of them (ceil: 2)
    assert data["total"]["nodes"] == 4 and [n[0] for n in data["nodes"]] == [
        "topic:diffusion model", "topic:graph neural network"]
    assert "3 of 4 terms occur at least 2 times" in data["notes"][0]
    assert "the 2 most relevant of them" in data["notes"][1]
    assert all(len(e) == 5 for e in data["edges"])  # association strength travels with each link


def test_layout_and_clusters_are_deterministic_and_spread():
    g = nx.connected_caveman_graph(12, 30)  # 360 nodes: bigger than one spring layout
    g = nx.relabel_nodes(g, {n: f"n{n:03d}" for n in g})
    h = nx.Graph()
    h.add_nodes_from(sorted(g))
    h.add_edges_from(sorted(tuple(sorted(e)) for e in g.edges))
    groups = clusters(h)
    assert groups == clusters(h) and len(set(groups.values())) >= 6
    pos = layout(h, groups=groups)
    assert pos == layout(h, groups=groups) and set(pos) == set(h)
    assert len(set(pos.values())) == len(pos)  # no two nodes on the same spot
    # a cave's nodes sit closer to each other than to another cave's
    def spread(nodes):
        xs = [pos[n][0] for n in nodes]
        ys = [pos[n][1] for n in nodes]
        return max(xs) - min(xs) + max(ys) - min(ys)
    whole = spread(list(h))
    assert spread([f"n{i:03d}" for i in range(30)]) < whole / 3


def test_select_top_counts_min_weight():
    g = nx.Graph()
    for n in "abcd":
        g.add_node(n, paper_count=1)
    g.add_edge("a", "b", weight=3, papers=["p"])
    g.add_edge("b", "c", weight=1, papers=["q"])
    out = select_top(g, 10, 10, min_weight=2)
    assert sorted(out.edges) == [("a", "b")] and sorted(out) == ["a", "b", "c", "d"]
    assert list(select_top(g, 2, 10)) == ["a", "b"]


def test_empty_corpus_pages(tmp_path):
    for path in write_pages(Corpus((), (), ()), tmp_path):
        data = json.loads(data_block(open(path, encoding="utf-8").read()))
        assert data["nodes"] == [] and data["total"] == {"nodes": 0, "edges": 0}


def test_collaboration_graph_equals_the_knowledge_graph(corpus):
    from kg.graph.build import build_graph

    kg = build_graph(corpus)
    g = collaboration_graph(corpus)
    assert set(g) == {n for n, t in kg.nodes(data="type") if t == "Author"}
    co = {(u, v): d["weight"] for u, v, k, d in kg.edges(keys=True, data=True) if k == "CO_AUTHOR"}
    assert {tuple(sorted(e)): w for *e, w in g.edges(data="weight")} == co


@pytest.mark.model
def test_pages_do_not_depend_on_string_hashing(seed_build, tmp_path):
    """networkx subgraph views iterate sets when small: the layout must not see that order."""
    import subprocess
    import sys
    from pathlib import Path

    from kg.build import write_corpus

    write_corpus(seed_build.corpus, tmp_path / "corpus.json")
    script = ("import hashlib, sys; from kg.build import read_corpus; from kg.viz import VIEWS, render_page;"
              "c = read_corpus(sys.argv[1]);"
              "print([hashlib.sha256(render_page(v, c).encode()).hexdigest() for v in VIEWS])")
    root = Path(__file__).resolve().parents[2]
    outs = {subprocess.run([sys.executable, "-c", script, str(tmp_path / "corpus.json")], cwd=root, check=True,
                           capture_output=True, text=True, env={**os.environ, "PYTHONHASHSEED": seed}).stdout
            for seed in ("1", "2", "3")}
    assert len(outs) == 1


def test_layout_leaves_room_for_labels():
    """With footprints, no two nodes' boxes (dot and label, as the page draws them) overlap: within
    a spring layout, between packed components, and in the block of isolated nodes."""
    from kg.viz.layout import footprints, label_sizes, text_width

    g = nx.Graph()
    names = ["Ewha Womans University", "École Normale Supérieure - PSL", "computational cost",
             "deep neural network", "real-world dataset", "markov decision process", "X", "中文 标签"]
    for i in range(60):
        g.add_node(f"n{i:02d}", label=f"{names[i % len(names)]} {i}", paper_count=1 + (7 * i) % 11)
    for k in range(6):  # six 5-cliques; the other 30 nodes are isolated
        members = [f"n{5 * k + j:02d}" for j in range(5)]
        g.add_edges_from((u, v, {"weight": 1}) for u in members for v in members if u < v)
    first = layout(g)
    fonts = label_sizes(first, big=False)
    boxes = footprints(g, first, fonts)
    pos = layout(g, boxes=boxes)
    assert pos == layout(g, boxes=footprints(g, layout(g), label_sizes(layout(g), big=False)))

    def clashes(at):
        def box(n):
            return (at[n][0] + boxes[n][0], at[n][1] + boxes[n][1], at[n][0] + boxes[n][2], at[n][1] + boxes[n][3])
        return [(a, b) for i, a in enumerate(nodes) for b in nodes[i + 1:]
                if min(box(a)[2], box(b)[2]) - max(box(a)[0], box(b)[0]) > 0.2
                and min(box(a)[3], box(b)[3]) - max(box(a)[1], box(b)[1]) > 0.2]
    nodes = sorted(g)
    assert clashes(pos) == []
    assert clashes(layout(g))  # without footprints the same labels overlap (the defect this guards against)
    # every box is at least as wide as its label at its font size
    top = max(d["paper_count"] for _, d in g.nodes(data=True))
    biggest = next(n for n in nodes if g.nodes[n]["paper_count"] == top)
    assert boxes[biggest][2] - boxes[biggest][0] >= text_width(g.nodes[biggest]["label"], fonts[1])


def test_papers_are_placed_in_time_by_the_date_they_were_first_seen():
    """A digest paper with no arXiv id carries no year of its own: the date the digest gives it is
    what the maps' year filter and year overlay read."""
    entries = [Entry(source=Source("2019-05-25-digest.txt", 3), format="digest", number=1, title="A paper",
                     authors=("A One", "B Two", "C Three"), abstract="Text.", date="2019-05-25", date_source="filename"),
               Entry(source=Source("2021-01-04-digest.txt", 3), format="digest", number=1, title="Another paper",
                     authors=("A One", "D Four", "E Five"), abstract="Text.", date="2021-01-04", date_source="filename")]
    corpus = resolve(entries, [Extraction()] * 2)
    assert [p.year for p in corpus.papers] == [2019, 2021]  # from the date
    data = page_data("collaboration", corpus)
    assert data["years"] == [2019, 2021] and sorted(row[3] for row in data["papers"]) == [2019, 2021]
