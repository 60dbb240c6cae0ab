"""VOSviewer files written straight from the network's lists: byte for byte what json.dump(indent=1,
ensure_ascii=False) writes of generate_vosviewer's document, and that document the same as the
dict-by-dict algorithm it replaced (kept below as the reference) on graphs with every odd case."""

import io
import json
import random
from collections import defaultdict

import networkx as nx
import pytest

from kg.export.vosviewer import (
    MAX_CLUSTERS,
    NETWORKS,
    SEED,
    _document,
    _network,
    _paper_years,
    _write_document,
    generate_vosviewer,
    write_vosviewer,
)
from kg.graph.build import build_graph
from kg.graph.communities import leiden_partition

from .hostile import hostile_corpus


def reference_document(graph, node_type, relation, weight_name="Documents", terminology=None):
    """generate_vosviewer as it was written before its network was kept as lists (networkx views,
    dicts of tuples, leiden_partition): what the files must still say."""
    strengths = defaultdict(float)
    for u, v, k, data in graph.edges(keys=True, data=True):
        if k != relation or u == v or graph.nodes[u].get("type") != node_type or graph.nodes[v].get("type") != node_type:
            continue
        strengths[(u, v) if u <= v else (v, u)] += data.get("weight", 1)
    ids = {nid: i for i, nid in enumerate(sorted({n for pair in strengths for n in pair}), start=1)}
    links_sorted = sorted(strengths.items())
    links_of, total_of = dict.fromkeys(ids, 0), dict.fromkeys(ids, 0)
    for (a, b), w in links_sorted:
        links_of[a] += 1
        links_of[b] += 1
        total_of[a] += w
        total_of[b] += w
    number = lambda value: int(value) if float(value).is_integer() else float(value)  # noqa: E731
    clusters, cluster_labels = {}, []
    if links_sorted:
        communities = leiden_partition(list(ids), [(ids[a] - 1, ids[b] - 1, w) for (a, b), w in links_sorted], seed=SEED)
        papers = {n: graph.nodes[n].get("paper_count", 0) for n in ids}
        merged = len(communities) > MAX_CLUSTERS
        if merged:
            communities = communities[:MAX_CLUSTERS - 1] + [set().union(*communities[MAX_CLUSTERS - 1:])]
        for k, members in enumerate(communities, start=1):
            for n in members:
                clusters[n] = k
            top = min(members, key=lambda n: (-papers[n], str(graph.nodes[n].get("label", n)), n))
            label = str(graph.nodes[top].get("label", top))
            if merged and k == MAX_CLUSTERS:
                label = f"{len(members)} items of smaller communities"
            cluster_labels.append({"cluster": k, "label": label})
    years = {n: d["year"] for n, d in graph.nodes(data=True) if d.get("type") == "Paper" and d.get("year")}
    items = []
    for nid, i in ids.items():
        data = graph.nodes[nid]
        item = {"id": i, "label": str(data.get("label", nid)), "cluster": clusters[nid],
                "weights": {weight_name: data.get("paper_count", 0), "Links": links_of[nid],
                            "Total link strength": number(total_of[nid])}}
        known = [years[p] for p in graph.pred[nid] if p in years]
        if known:
            item["scores"] = {"Avg. pub. year": round(sum(known) / len(known), 2)}
        items.append(item)
    links = [{"source_id": ids[a], "target_id": ids[b], "strength": number(w)} for (a, b), w in links_sorted]
    doc = {"network": {"items": items, "links": links, "clusters": cluster_labels}}
    return {"config": {"terminology": terminology}, **doc} if terminology else doc


def json_text(doc) -> str:
    return json.dumps(doc, indent=1, ensure_ascii=False)


def written_text(graph, node_type, relation, weight_name="Documents", terminology=None) -> str:
    handle = io.StringIO()
    _write_document(_network(graph, node_type, relation, 1.0, _paper_years(graph)), weight_name, terminology, handle)
    return handle.getvalue()


def odd_graph(seed: int, whole: bool, whole_years: bool) -> nx.MultiDiGraph:
    """Authors with links both ways, self-loops, links to other node types, fractional or whole
    weights, papers with whole or fractional years (or none), odd labels and paper counts."""
    rng = random.Random(seed)
    g = nx.MultiDiGraph()
    authors = [f"author:{rng.choice(['a', 'B', 'ä', 'a-b', 'a.b', '%'])}{i}" for i in range(60)]
    for i, a in enumerate(authors):
        attrs = {"type": "Author", "paper_count": rng.choice([1, 2, 3, 0, 2.5, True, 1e20, 10**30])}
        if i % 7:
            attrs["label"] = rng.choice(['Zoë "Q" <b>', "A\\B\n", "same", "same", "同名", "\u2028x", ""])
        g.add_node(a, **attrs)
    g.add_node("institution:x", type="Institution", label="X")
    for i in range(40):
        year = rng.choice([2019, 2020, 2021, None, 0]) if whole_years else rng.choice([2019.5, 2020, 1e3 / 3])
        g.add_node(f"paper:{i}", type="Paper", **({"year": year} if year is not None else {}))
        for a in rng.sample(authors, 3):
            g.add_edge(f"paper:{i}", a, key="HAS_AUTHOR")
    for _ in range(150):
        u, v = rng.choice(authors), rng.choice(authors + ["institution:x"])
        weight = rng.randint(1, 4) if whole else rng.choice([0.1, 0.2, 0.3, 1, 2.5, 1e-9])
        g.add_edge(u, v, key="CO_AUTHOR", **({"weight": weight} if rng.random() < 0.9 else {}))
        g.add_edge(u, v, key="AFFILIATED_WITH")
    return g


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("whole", [True, False])
def test_network_equals_the_reference_and_the_file_equals_json_dump(seed, whole):
    graph = odd_graph(seed, whole, whole_years=seed % 2 == 0)
    terminology = {"item": "Author", "odd % key": 'va"lue'} if seed % 3 else None
    expected = reference_document(graph, "Author", "CO_AUTHOR", "Docs %s %%", terminology)
    assert expected["network"]["links"]  # the case is not empty
    assert generate_vosviewer(graph, "Author", "CO_AUTHOR", "Docs %s %%", terminology) == expected
    assert written_text(graph, "Author", "CO_AUTHOR", "Docs %s %%", terminology) == json_text(expected)


def test_fractional_strengths_keep_the_reference_summation_order():
    # 0.1 + 0.2 + 0.3 differs from 0.1 + (0.2 + 0.3): totals are summed link by link, in link order
    g = nx.MultiDiGraph()
    for a in "abcd":
        g.add_node(a, type="Author", paper_count=1)
    g.add_edge("a", "b", key="CO_AUTHOR", weight=0.1)
    g.add_edge("c", "b", key="CO_AUTHOR", weight=0.2)
    g.add_edge("b", "d", key="CO_AUTHOR", weight=0.3)
    doc = generate_vosviewer(g, "Author", "CO_AUTHOR")
    assert doc == reference_document(g, "Author", "CO_AUTHOR")
    assert doc["network"]["items"][1]["weights"]["Total link strength"] == (0 + 0.1) + 0.2 + 0.3 == 0.6000000000000001
    assert written_text(g, "Author", "CO_AUTHOR") == json_text(doc)


def test_communities_past_the_limit_match_the_reference():
    graph = nx.MultiDiGraph()
    for i in range(MAX_CLUSTERS + 3):
        a, b = f"author:{i:05d}a", f"author:{i:05d}b"
        graph.add_node(a, type="Author", label=f"L{i % 5}", paper_count=i % 3)
        graph.add_node(b, type="Author", label=f"L{i % 4}", paper_count=1)
        graph.add_edge(a, b, key="CO_AUTHOR", weight=1 + i % 2)
    expected = reference_document(graph, "Author", "CO_AUTHOR")
    assert expected["network"]["clusters"][-1] == {"cluster": MAX_CLUSTERS, "label": "8 items of smaller communities"}
    assert generate_vosviewer(graph, "Author", "CO_AUTHOR") == expected
    assert written_text(graph, "Author", "CO_AUTHOR") == json_text(expected)


def test_empty_networks_with_and_without_terminology():
    graph = build_graph(hostile_corpus())
    for terminology in (None, {}, {"item": "Institution"}):
        doc = generate_vosviewer(graph, "Institution", "CO_AUTHOR", terminology=terminology)
        assert doc == reference_document(graph, "Institution", "CO_AUTHOR", terminology=terminology)
        assert written_text(graph, "Institution", "CO_AUTHOR", terminology=terminology) == json_text(doc)


def test_files_of_the_fixture_and_hostile_graphs_equal_json_dump(fixture_graph, tmp_path):
    for graph, folder in ((fixture_graph, tmp_path / "fixture"), (build_graph(hostile_corpus()), tmp_path / "hostile")):
        folder.mkdir()
        write_vosviewer(graph, folder)
        for stem, (node_type, relation, weight_name, terminology) in NETWORKS.items():
            expected = reference_document(graph, node_type, relation, weight_name, terminology)
            assert expected["network"]["items"]
            assert (folder / f"{stem}.vosviewer.json").read_text(encoding="utf-8") == json_text(expected) + "\n"


def test_document_of_a_network_lists_every_item():
    graph = odd_graph(1, True, True)
    net = _network(graph, "Author", "CO_AUTHOR", 1.0, _paper_years(graph))
    doc = _document(net, "Documents", None)
    assert [item["id"] for item in doc["network"]["items"]] == list(range(1, len(net.nodes) + 1))
    assert net.nodes == sorted(net.nodes) and len(doc["network"]["links"]) == len(net.sources)


def test_fractional_years_are_averaged_in_predecessor_order():
    # float sums depend on their order: (1e16 + 1.0) - 1e16 == 0.0, (1e16 - 1e16) + 1.0 == 1.0
    g = nx.MultiDiGraph()
    g.add_node("author:a", type="Author", paper_count=3)
    g.add_node("author:b", type="Author", paper_count=3)
    g.add_edge("author:a", "author:b", key="CO_AUTHOR", weight=1)
    for i, year in enumerate([1e16, 1.0, -1e16, 3.0, 1e16, 0.5, -1e16, 2.0]):
        g.add_node(f"paper:{i}", type="Paper", year=year)
        g.add_edge(f"paper:{i}", "author:a", key="HAS_AUTHOR")
    doc = generate_vosviewer(g, "Author", "CO_AUTHOR")
    assert doc == reference_document(g, "Author", "CO_AUTHOR")
    assert doc["network"]["items"][0]["scores"] == {"Avg. pub. year": round((((((1e16 + 1.0) - 1e16) + 3.0 + 1e16) + 0.5 - 1e16) + 2.0) / 8, 2)}
    assert "scores" not in doc["network"]["items"][1]
