"""GraphML and GEXF for Gephi (and yEd, Cytoscape, networkx): the knowledge graph with typed attributes.

Attributes keep their types (ints, floats, booleans); lists are joined with "; "; missing values are
left out; text is stripped of characters XML 1.0 cannot hold. Edge `weight` is always a float, as
Gephi reads it. Written with networkx's writers, byte-identical for the same corpus.
"""

from __future__ import annotations

import hashlib
import io
import re
from collections import Counter
from pathlib import Path

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter
from networkx.readwrite.graphml import GraphMLWriter

from ..graph.build import build_graph
from ..model import Corpus
from . import register_exporter
from .atomic import atomic_open

__all__ = ["generate_gephi_graph", "write_graphml", "write_gexf", "LIST_SEPARATOR"]

LIST_SEPARATOR = "; "
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _plain(value):
    if isinstance(value, (list, tuple, set)):
        value = LIST_SEPARATOR.join(str(v) for v in value)
    if isinstance(value, str):
        return _XML_INVALID.sub("", value)
    if isinstance(value, (bool, int, float)):
        return value
    return _XML_INVALID.sub("", str(value))


def _xml_ids(nids) -> dict:
    """node id → its XML-safe form (invalid characters dropped); an id that would then equal another
    node's gets "#" and a hash of the original, so no two nodes merge."""
    cleaned = {nid: _plain(str(nid)) for nid in nids}
    clashes = Counter(cleaned.values())
    for nid, text in cleaned.items():
        if text != str(nid) and clashes[text] > 1:
            cleaned[nid] = f"{text}#{hashlib.sha1(str(nid).encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return cleaned


def _unify(records, forced_float=()) -> dict[str, type]:
    """One Python type per attribute name: int and float mix to float, anything else mixed to str."""
    types: dict[str, set] = {}
    for data in records:
        for key, value in data.items():
            types.setdefault(key, set()).add(type(value))
    out = {}
    for key, seen in types.items():
        if key in forced_float and seen <= {int, float}:
            out[key] = float
        elif len(seen) == 1:
            out[key] = next(iter(seen))
        elif seen <= {int, float}:
            out[key] = float
        else:
            out[key] = str
    return out


def _cast(value, kind: type):
    if kind is str and isinstance(value, bool):
        return str(value).lower()
    return kind(value)


def generate_gephi_graph(graph: nx.MultiDiGraph, edge_keys: str = "ids") -> nx.MultiDiGraph:
    """A copy of a `build_graph` graph whose attributes every GraphML/GEXF reader understands.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The knowledge graph.
    edge_keys : "ids" or "types"
        "ids": edges are keyed e0, e1, … (unique GraphML edge ids) and keep their relation in `type`.
        "types": edges stay keyed by relation and carry it as `label` (GEXF reserves `type` for
        directed/undirected).

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", type="Paper", label="A", lang=["en", "zh"], year=None)
    >>> g.add_node("b", type="Author", label="B")
    >>> _ = g.add_edge("a", "b", key="CO_AUTHOR", type="CO_AUTHOR", weight=2)
    >>> h = generate_gephi_graph(g)
    >>> h.nodes["a"], list(h.edges(keys=True, data=True))
    ({'type': 'Paper', 'label': 'A', 'lang': 'en; zh'}, [('a', 'b', 'e0', {'type': 'CO_AUTHOR', 'weight': 2.0})])
    """
    ids = _xml_ids(graph.nodes)
    nodes = []
    for nid, data in graph.nodes(data=True):
        attrs = {k: _plain(v) for k, v in data.items() if v is not None}
        attrs["label"] = attrs.get("label") or ids[nid]
        nodes.append((ids[nid], attrs))
    edges = []
    for u, v, key, data in graph.edges(keys=True, data=True):
        attrs = {k: _plain(val) for k, val in data.items() if val is not None}
        attrs["type"] = attrs.get("type") or _plain(str(key))
        edges.append((ids[u], ids[v], _plain(str(key)), attrs))
    node_types = _unify(a for _, a in nodes)
    edge_types = _unify((a for *_, a in edges), forced_float=("weight",))
    out = nx.MultiDiGraph()
    for nid, attrs in nodes:
        out.add_node(nid, **{k: _cast(v, node_types[k]) for k, v in attrs.items()})
    for i, (u, v, key, attrs) in enumerate(edges):
        attrs = {k: _cast(val, edge_types[k]) for k, val in attrs.items()}
        if edge_keys == "types":
            attrs["label"] = attrs.pop("type")
            out.add_edge(u, v, key=key, **attrs)
        else:
            out.add_edge(u, v, key=f"e{i}", **attrs)
    return out


def _keep_carriage_returns(xml: bytes) -> bytes:
    """A parser turns a raw CR (or CR LF) in element text into LF; "&#13;" keeps it. ElementTree
    already writes it so in attributes, and indentation is LF only: every raw CR is from the data."""
    return xml.replace(b"\r", b"&#13;")


class _GraphMLWriter(GraphMLWriter):
    def add_data(self, name, element_type, value, scope="all", default=None):
        element = super().add_data(name, element_type, value, scope, default)
        if element_type is bool:  # xs:boolean is lower case; str(True) is not
            element.text = element.text.lower()
        return element


def write_graphml(graph: nx.MultiDiGraph, path) -> list[str]:
    """Write the knowledge graph as GraphML (atomically); returns [path]."""
    writer = _GraphMLWriter(encoding="utf-8", prettyprint=True)
    writer.add_graph_element(generate_gephi_graph(graph, edge_keys="ids"))
    buffer = io.BytesIO()
    writer.dump(buffer)
    with atomic_open(path, "wb") as handle:
        handle.write(_keep_carriage_returns(buffer.getvalue()))
    return [str(path)]


def write_gexf(graph: nx.MultiDiGraph, path) -> list[str]:
    """Write the knowledge graph as GEXF 1.2 (atomically); returns [path].

    networkx stamps the writing date into <meta>; it is removed so the same corpus gives the same bytes.
    """
    writer = GEXFWriter(encoding="utf-8", prettyprint=True, version="1.2draft")
    writer.xml.find("meta").attrib.pop("lastmodifieddate", None)
    writer.add_graph(generate_gephi_graph(graph, edge_keys="types"))
    buffer = io.BytesIO()
    writer.write(buffer)
    with atomic_open(path, "wb") as handle:
        handle.write(_keep_carriage_returns(buffer.getvalue()))
    return [str(path)]


@register_exporter("graphml", "GraphML for Gephi, yEd, Cytoscape (typed attributes) → graph.graphml")
def _write_graphml(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    return write_graphml(graph if graph is not None else build_graph(corpus), Path(out_dir) / "graph.graphml")


@register_exporter("gexf", "GEXF 1.2 for Gephi (typed attributes) → graph.gexf")
def _write_gexf(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    return write_gexf(graph if graph is not None else build_graph(corpus), Path(out_dir) / "graph.gexf")
