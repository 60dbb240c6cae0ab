"""GraphML and GEXF: read back with networkx to the same counts, types and relation names."""

from collections import Counter
from xml.etree import ElementTree

import networkx as nx
import pytest

from kg.export import export
from kg.export.gephi import write_gexf, write_graphml
from kg.graph.build import build_graph

from .hostile import HOSTILE_TITLE, hostile_corpus


def read_back(path):
    if path.suffix == ".graphml":
        return nx.read_graphml(path, force_multigraph=True)
    return nx.read_gexf(path)  # a MultiDiGraph only when two edges join the same pair


def relations(graph, fmt):
    """Relation name of every edge: `type` in GraphML, the edge label in GEXF."""
    key = "type" if fmt == "graphml" else "label"
    return Counter(d[key] for _, _, d in graph.edges(data=True))


@pytest.mark.model
@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_round_trip_keeps_counts_types_and_relations(seed_build, tmp_path, fmt):
    [path] = export(fmt, seed_build.corpus, tmp_path)
    graph = read_back(tmp_path / path.split("/")[-1])
    original = seed_build.graph
    assert graph.number_of_nodes() == original.number_of_nodes()
    assert graph.number_of_edges() == original.number_of_edges()
    assert relations(graph, fmt) == Counter(k for _, _, k in original.edges(keys=True))
    assert Counter(d["type"] for _, d in graph.nodes(data=True)) == Counter(seed_build.report["nodes"])
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
            assert isinstance(data["position"], int)
        if data[rel] in ("HAS_TOPIC", "CO_AUTHOR", "CO_OCCURS", "AFFILIATED_WITH"):
            assert isinstance(data["weight"], float)
        if data[rel] == "HAS_TOPIC":
            assert isinstance(data["rank"], int)
    paper = graph.nodes["arxiv:2104.08696"]
    assert paper["lang"] == "en; zh" and paper["sources"] == "seeds/000_25fba04581528bc5.txt:14"
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
