"""GraphML and GEXF: read back with networkx to the same counts, types and relation names."""

from collections import Counter
from xml.etree import ElementTree

import networkx as nx
import pytest

from kg.export import export
from kg.export.gephi import read_gephi, write_gexf, write_graphml
from kg.graph.build import build_graph
from kg.graph.schema import UNDIRECTED_EDGE_TYPES

from ..fixtures.corpus import EDGE_COUNTS, FSS, HOSTILE_ALIAS, HOSTILE_NAME, HOSTILE_TASK, KN, NODE_COUNTS, ODD
from .hostile import HOSTILE_TITLE, hostile_corpus


def read_back(path):
    """networkx's readers refuse the mixed graphs (undirected co-authorship): read_gephi reads them.
    GEXF: a MultiDiGraph only when two edges join the same pair."""
    return read_gephi(path)


def relations(graph, fmt):
    """Relation name of every edge: `type` in GraphML, the edge label in GEXF."""
    key = "type" if fmt == "graphml" else "label"
    return Counter(d[key] for _, _, d in graph.edges(data=True))


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_round_trip_keeps_counts_types_and_relations(fixture_corpus, fixture_graph, tmp_path, fmt):
    [path] = export(fmt, fixture_corpus, tmp_path)
    graph = read_back(tmp_path / path.split("/")[-1])
    original = fixture_graph
    assert graph.number_of_nodes() == original.number_of_nodes() == sum(NODE_COUNTS.values())
    assert graph.number_of_edges() == original.number_of_edges() == sum(EDGE_COUNTS.values())
    assert relations(graph, fmt) == Counter(k for _, _, k in original.edges(keys=True)) == EDGE_COUNTS
    assert Counter(d["type"] for _, d in graph.nodes(data=True)) == NODE_COUNTS
    for nid, data in graph.nodes(data=True):
        assert data["label"], nid
        for value in data.values():
            assert not (isinstance(value, str) and value.startswith("[")), (nid, value)
        if data["type"] == "Institution":
            assert isinstance(data["matched"], bool)
        if data["type"] == "Paper" and "year" in data:
            assert isinstance(data["year"], int)
        if data["type"] != "Paper":
            assert isinstance(data["paper_count"], int)
    rel = "type" if fmt == "graphml" else "label"
    for u, v, data in graph.edges(data=True):
        for value in data.values():
            assert not (isinstance(value, str) and value.startswith("[")), (u, v, value)
        assert "None" not in data.values()
        if data[rel] == "HAS_AUTHOR":
            assert isinstance(data["position"], int) and data["position"] >= 1
        if data[rel] in ("HAS_TOPIC", "CO_AUTHOR", "CO_OCCURS", "AFFILIATED_WITH"):
            assert isinstance(data["weight"], float)
        if data[rel] == "HAS_TOPIC":
            assert isinstance(data["rank"], int)
    paper = graph.nodes[KN]
    assert paper["lang"] == "en; zh" and paper["sources"] == "digest.txt:1; feed.txt:3"
    assert {d["label"] for _, d in graph.nodes(data=True) if d["type"] == "Author"} >= {HOSTILE_NAME, "王伟"}
    assert graph.nodes["topic:language model"]["label_zh"] == "语言模型"
    original_weights = sorted(d["weight"] for _, _, k, d in original.edges(keys=True, data=True) if k == "CO_AUTHOR")
    weights = sorted(d["weight"] for _, _, d in graph.edges(data=True) if d[rel] == "CO_AUTHOR")
    assert weights == [float(w) for w in original_weights]


def test_hostile_text_is_valid_xml_and_bytes_are_deterministic(tmp_path):
    graph = build_graph(hostile_corpus())
    for write, suffix in ((write_graphml, "graphml"), (write_gexf, "gexf")):
        write(graph, tmp_path / f"a.{suffix}")
        write(build_graph(hostile_corpus()), tmp_path / f"b.{suffix}")
        data = (tmp_path / f"a.{suffix}").read_bytes()
        assert data == (tmp_path / f"b.{suffix}").read_bytes()
        assert b"lastmodifieddate" not in data
        ElementTree.fromstring(data)  # well-formed although the title held a control character
        back = read_back(tmp_path / f"a.{suffix}")
        [title] = [d["title"] for _, d in back.nodes(data=True) if d["type"] == "Paper"]
        # XML 1.0 cannot hold the bell: dropped; the CR of "\r\n" is written "&#13;", so it survives
        assert title == HOSTILE_TITLE.replace("\x07", "")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_tasks_and_metrics_with_aliases_and_via(fixture_corpus, tmp_path, fmt):
    [path] = export(fmt, fixture_corpus, tmp_path)
    text = (tmp_path / path.split("/")[-1]).read_text(encoding="utf-8")
    # the node types as attribute values: GraphML <data>Task</data>, GEXF <attvalue value="Task" />
    typed = ">{}<" if fmt == "graphml" else 'value="{}"'
    assert all(typed.format(t) in text for t in ("Task", "Metric", "ADDRESSES_TASK", "USES_METRIC"))
    graph = read_back(tmp_path / path.split("/")[-1])
    assert {k: v for k, v in graph.nodes["task:transfer learning"].items() if k != "id"} == {
        "type": "Task", "label": "transfer learning", "aliases": "TL; knowledge transfer",
        "sources": "digest.txt:1; digest.txt:12; feed.txt:3", "paper_count": 2}
    assert "aliases" not in graph.nodes["task:knowledge attribution"]
    hostile = graph.nodes["task:" + HOSTILE_TASK]
    assert (hostile["label"], hostile["aliases"]) == (HOSTILE_TASK, HOSTILE_ALIAS)  # quotes, <>, line breaks intact
    assert graph.nodes["metric:f1"]["aliases"] == "F-score; " + HOSTILE_ALIAS
    rel = "type" if fmt == "graphml" else "label"
    via = sorted((u, v, d[rel], d["via"]) for u, v, d in graph.edges(data=True) if "via" in d and d[rel] != "AFFILIATED_WITH")
    assert [e for e in via if e[0] == FSS] == [
        (FSS, "dataset:coco", "USES_DATASET", "mentioned"), (FSS, "dataset:pascal voc", "USES_DATASET", "mentioned"),
        (FSS, "method:cmt", "USES_METHOD", "defined"), (FSS, "method:transformer", "USES_METHOD", "mentioned"),
        (FSS, "metric:miou", "USES_METRIC", "mentioned"),
        (FSS, "task:few-shot semantic segmentation", "ADDRESSES_TASK", "title"),
        (FSS, "task:semantic segmentation", "ADDRESSES_TASK", "mentioned"),
        (FSS, "task:transfer learning", "ADDRESSES_TASK", "mentioned")]
    assert len(via) == sum(EDGE_COUNTS[k] for k in ("ADDRESSES_TASK", "USES_METHOD", "USES_DATASET", "USES_METRIC"))
    assert (ODD, "task:" + HOSTILE_TASK, "ADDRESSES_TASK", "title") in via


def test_graphml_booleans_are_xml_schema_booleans(tmp_path):
    write_graphml(build_graph(hostile_corpus()), tmp_path / "g.graphml")
    text = (tmp_path / "g.graphml").read_text(encoding="utf-8")
    assert 'attr.name="matched" attr.type="boolean"' in text
    assert ">false<" in text and ">False<" not in text


def _networkx_bytes(graph, fmt):
    """What networkx's own (in-memory) writers give for generate_gephi_graph, as the exporter used to write."""
    import io

    from networkx.readwrite.gexf import GEXFWriter
    from networkx.readwrite.graphml import GraphMLWriter

    from kg.export.gephi import generate_gephi_graph

    class BooleanGraphMLWriter(GraphMLWriter):
        def add_data(self, name, element_type, value, scope="all", default=None):
            element = super().add_data(name, element_type, value, scope, default)
            if element_type is bool:
                element.text = element.text.lower()
            return element

        def add_attributes(self, scope, xml_obj, data, default):
            # networkx writes no per-edge direction; kg marks the symmetric relations undirected
            if scope == "edge" and data.get("type") in UNDIRECTED_EDGE_TYPES:
                xml_obj.set("directed", "false")
            return super().add_attributes(scope, xml_obj, data, default)

    buffer = io.BytesIO()
    if fmt == "graphml":
        writer = BooleanGraphMLWriter(encoding="utf-8", prettyprint=True)
        writer.add_graph_element(generate_gephi_graph(graph, edge_keys="ids"))
        writer.dump(buffer)
    else:
        writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
        writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
        writer.add_graph(generate_gephi_graph(graph, edge_keys="types"))
        writer.write(buffer)
    return buffer.getvalue().replace(b"\r", b"&#13;")


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_streamed_bytes_equal_networkx_writers(tmp_path, fmt):
    graph = build_graph(hostile_corpus())
    # ids that clash once cleaned, empty and non-text labels, mixed and non-finite values
    graph.add_node("odd\x01", label="", year=2020, score=float("inf"), flag=True)
    graph.add_node("odd\x02", label=7, year="unknown", score=2, tags=("a", 1))
    graph.add_edge("odd\x01", "odd\x02", key="REL\x03", type="", weight=3, note=None, ratio=float("nan"))
    graph.add_edge("odd\x02", "odd\x01", key="REL", label="ignored", weight=0.5, flag=False)
    write = write_graphml if fmt == "graphml" else write_gexf
    write(graph, tmp_path / f"g.{fmt}")
    assert (tmp_path / f"g.{fmt}").read_bytes() == _networkx_bytes(graph, fmt)


def test_fast_serializer_writes_the_bytes_of_elementtree(monkeypatch):
    from xml.etree.ElementTree import Element, SubElement, tostring

    import kg.export.gephi as gephi

    wrapper = Element("_")
    wrapper.text = "\n  "
    for i, value in enumerate(["A & B <c> \"q\" 'a'", "tab\tnew\nline\r\nCR", "", "\U0001F600 é \u200b", "\ud800 lone"]):
        node = SubElement(wrapper, "node", {"id": f"n{i}", "label": value})
        SubElement(node, "data", key="d0").text = value
        SubElement(node, "data", key="d1")
        node.text, node.tail = "\n    ", "\n  "
    assert gephi._serialized(wrapper) == tostring(wrapper, encoding="utf-8")[len(b"<_>"): -len(b"</_>")]
    graph = build_graph(hostile_corpus())
    fast = b"".join(gephi.generate_graphml(graph)), b"".join(gephi.generate_gexf(graph))
    monkeypatch.setattr(gephi, "_ESCAPE_TEXT", None)  # the fallback: ElementTree's tostring itself
    assert (b"".join(gephi.generate_graphml(graph)), b"".join(gephi.generate_gexf(graph))) == fast


def _edges(path):
    """(relation, XML attributes) of every edge element of a GraphML or GEXF file, and the <graph> attributes."""
    root = ElementTree.parse(path).getroot()
    graph = next(e for e in root.iter() if e.tag.endswith("}graph"))
    if path.suffix == ".graphml":
        [key] = [k.get("id") for k in root if k.tag.endswith("}key") and k.get("for") == "edge" and k.get("attr.name") == "type"]
        relation = lambda e: next(d.text for d in e if d.get("key") == key)  # noqa: E731
    else:
        relation = lambda e: e.get("label")  # noqa: E731
    return [(relation(e), e.attrib) for e in graph.iter() if e.tag.endswith("}edge")], graph.attrib


def test_co_authorship_is_undirected_and_positions_count_from_1(fixture_corpus, fixture_graph, tmp_path):
    """Fixture paper KN: D Dai is its first author, position 1; CO_AUTHOR and CO_OCCURS edges are
    undirected, every other edge directed."""
    graph = fixture_graph
    paper, dai = KN, next(n for n, d in graph.nodes(data=True) if d["type"] == "Author" and d["label"] == "D Dai")
    counts = Counter(k for *_, k in graph.edges(keys=True))
    for fmt in ("graphml", "gexf"):
        [path] = export(fmt, fixture_corpus, tmp_path, graph=graph)
        edges, graph_attrib = _edges(tmp_path / path.split("/")[-1])
        if fmt == "graphml":
            assert graph_attrib["edgedefault"] == "directed"
            undirected = Counter(r for r, a in edges if a.get("directed") == "false")
            assert {a.get("directed") for _, a in edges} == {"false", None}
        else:
            assert graph_attrib["defaultedgetype"] == "directed"
            undirected = Counter(r for r, a in edges if a.get("type") == "undirected")
            assert {a.get("type") for _, a in edges} == {"undirected", None}
        assert undirected == {"CO_AUTHOR": counts["CO_AUTHOR"], "CO_OCCURS": counts["CO_OCCURS"]}
        assert (counts["CO_AUTHOR"], counts["CO_OCCURS"]) == (5, 7)
        back = read_back(tmp_path / path.split("/")[-1])
        rel = "type" if fmt == "graphml" else "label"
        byline = sorted((d["position"], back.nodes[v]["label"]) for u, v, d in back.edges(data=True)
                        if u == paper and d[rel] == "HAS_AUTHOR")
        assert byline == [(1, "D Dai"), (2, "L Dong"), (3, "Y Hao")]
        assert any(u == paper and v == dai for u, v, d in back.edges(data=True) if d[rel] == "HAS_AUTHOR")


def test_networkx_refuses_the_mixed_graph_that_read_gephi_reads(tmp_path):
    graph = build_graph(hostile_corpus())  # two authors: one CO_AUTHOR edge
    write_graphml(graph, tmp_path / "g.graphml")
    write_gexf(graph, tmp_path / "g.gexf")
    with pytest.raises(nx.NetworkXError, match="directed=false edge found in directed graph"):
        nx.read_graphml(tmp_path / "g.graphml")
    with pytest.raises(nx.NetworkXError, match="Undirected edge found in directed graph"):
        nx.read_gexf(tmp_path / "g.gexf")
    for path, rel in ((tmp_path / "g.graphml", "type"), (tmp_path / "g.gexf", "label")):
        back = read_gephi(path)
        assert Counter(d[rel] for *_, d in back.edges(data=True)) == Counter(k for *_, k in graph.edges(keys=True))
    with pytest.raises(ValueError, match="not a .graphml or .gexf file"):
        read_gephi(tmp_path / "g.json")
