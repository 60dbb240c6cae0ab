"""GraphML and GEXF for Gephi (and yEd, Cytoscape, networkx): the knowledge graph with typed attributes.

Attributes keep their types (ints, floats, booleans); lists are joined with "; "; missing values are
left out; text is stripped of characters XML 1.0 cannot hold. Edge `weight` is always a float, as
Gephi reads it. Streamed: one pass over the graph finds each attribute's type, a second has
ElementTree serialize a batch of nodes or edges at a time, so neither a converted copy of the graph
nor the XML tree is held. The bytes are those networkx's writers give for `generate_gephi_graph`
(GraphML: plus `directed="false"`, which networkx does not write).

Co-authorship and topic co-occurrence (kg.graph.schema.UNDIRECTED_EDGE_TYPES) are undirected edges
in a directed graph, as both formats allow: GEXF `type="undirected"`, GraphML `directed="false"`.
Gephi reads such a mixed graph; networkx's readers refuse one, so `read_gephi` reads these files
back for networkx.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator
from xml.etree import ElementTree
from xml.etree.ElementTree import Element, SubElement, tostring

import networkx as nx
from networkx.readwrite.gexf import GEXF
from networkx.readwrite.graphml import GraphML

from ..graph.build import build_graph
from ..graph.schema import UNDIRECTED_EDGE_TYPES
from ..model import Corpus
from .fragments import GraphItems, Section, graph_items, write_indexed

__all__ = ["export_graphml", "export_gexf", "generate_gephi_graph", "generate_graphml", "generate_gexf", "write_graphml", "write_gexf",
           "read_gephi", "LIST_SEPARATOR"]

LIST_SEPARATOR = "; "
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BATCH = 1000  # nodes or edges serialized per ElementTree call
_GEXF_NS = {
    "xmlns": "http://www.gexf.net/1.2draft",
    "xmlns:xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsi:schemaLocation": "http://www.gexf.net/1.2draft http://www.gexf.net/1.2draft/gexf.xsd",
    "version": "1.2",
}


def _plain(value):
    kind = type(value)  # the common cases first: millions of calls
    if kind is str:
        # every character _XML_INVALID drops is unprintable: most text needs no substitution
        return value if value.isprintable() else _XML_INVALID.sub("", value)
    if kind is int or kind is float or kind is bool:
        return value
    if isinstance(value, (list, tuple, set)):
        value = LIST_SEPARATOR.join(map(str, value))
        return value if value.isprintable() else _XML_INVALID.sub("", value)
    if isinstance(value, str):
        return _XML_INVALID.sub("", value)
    if isinstance(value, (bool, int, float)):
        return value
    return _XML_INVALID.sub("", str(value))


def _plain_type(value) -> type:
    """type(_plain(value)) without building the text."""
    return type(value) if isinstance(value, (bool, int, float)) else str


def _xml_ids(nids) -> dict:
    """node id → its XML-safe form (invalid characters dropped); an id that would then equal another
    node's gets "#" and a hash of the original, so no two nodes merge."""
    cleaned = {nid: _plain(str(nid)) for nid in nids}
    clashes = Counter(cleaned.values())
    for nid, text in cleaned.items():
        if text != str(nid) and clashes[text] > 1:
            cleaned[nid] = f"{text}#{hashlib.sha1(str(nid).encode('utf-8', 'surrogatepass')).hexdigest()[:8]}"
    return cleaned


class _Records:
    """The attributes written for the nodes or the edges of one graph, asked in the order the graph
    gives them (one instance per pass).

    Consecutive edges (those of one paper) mostly share one `sources` list object (build_graph
    shares equal lists): its text is made once per run of edges, not once per edge."""

    def __init__(self):
        self.last_list, self.last_text = None, None

    def __call__(self, data: dict, fill: str, fallback: str) -> dict:
        """The attributes written for one node or edge: None left out, `fill` (label, type) never empty."""
        attrs = {}
        for key, value in data.items():
            kind = type(value)  # _plain's common cases inline: millions of values
            if kind is str:
                attrs[key] = value if value.isprintable() else _plain(value)
            elif kind is int or kind is float or kind is bool:
                attrs[key] = value
            elif value is None:
                continue
            elif kind is list:
                if value is not self.last_list:
                    self.last_list, self.last_text = value, _plain(value)
                attrs[key] = self.last_text
            else:
                attrs[key] = _plain(value)
        attrs[fill] = attrs.get(fill) or fallback
        return attrs


def _unify(pairs: Iterable[tuple[str, type]], forced_float=()) -> dict[str, type]:
    """One Python type per attribute name, in order of first appearance: int and float mix to float,
    anything else mixed to str."""
    types: dict[str, set] = {}
    for key, kind in pairs:
        types.setdefault(key, set()).add(kind)
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


def _attribute_types(records: Iterable[dict], fill: str) -> Iterator[tuple[str, type]]:
    """The distinct (name, type) pairs of the attributes `_record` gives over all `records`, in
    order of first appearance, without converting the values. An empty `fill` attribute counts as
    text: `_record` replaces it by the (str) fallback.

    The records have a few shapes (names, value types, and whether `fill` is empty), collected in
    C-level steps per record, in order of first appearance; a pair first appears with the first
    shape that has it, so the shapes give the pairs in the records' order."""
    seen: dict[tuple[str, type], None] = {}
    none = type(None)
    shapes = dict.fromkeys((tuple(data), tuple(map(type, data.values())), not data.get(fill)) for data in records)
    for keys, kinds, unfilled in shapes:
        filled = False
        for key, kind in zip(keys, kinds):
            if kind is none:
                continue
            if key == fill:
                filled = True
                kind = str if unfilled else _plain_kind(kind)  # type(_plain(value) or "")
            elif kind is not str:
                kind = _plain_kind(kind)
            seen.setdefault((key, kind))
        if not filled:
            seen.setdefault((fill, str))
    return iter(seen)


def _plain_kind(kind: type) -> type:
    """_plain_type of a value of this type."""
    return kind if issubclass(kind, (bool, int, float)) else str


def _edge_records(graph: nx.MultiDiGraph) -> Iterator[dict]:
    """The data of graph.edges(data=True), in its order, without the views' steps per edge."""
    if type(graph) is not nx.MultiDiGraph:
        return (data for *_, data in graph.edges(data=True))
    return (data for nbrs in graph._adj.values() for keyed in nbrs.values() for data in keyed.values())


def _edges(graph: nx.MultiDiGraph) -> Iterator[tuple]:
    """graph.edges(keys=True, data=True), without the views' steps per edge (read-only)."""
    if type(graph) is not nx.MultiDiGraph:
        return iter(graph.edges(keys=True, data=True))
    return ((u, v, key, data) for u, nbrs in graph._adj.items() for v, keyed in nbrs.items() for key, data in keyed.items())


def _node_types(graph: nx.MultiDiGraph) -> dict[str, type]:
    return _unify(_attribute_types((data for _, data in graph.nodes(data=True)), "label"))


def _edge_types(graph: nx.MultiDiGraph) -> dict[str, type]:
    return _unify(_attribute_types(_edge_records(graph), "type"), forced_float=("weight",))


def generate_gephi_graph(graph: nx.MultiDiGraph, edge_keys: str = "ids") -> nx.MultiDiGraph:
    """A copy of a `build_graph` graph whose attributes every GraphML/GEXF reader understands.

    `write_graphml` and `write_gexf` stream the same content without making this copy.

    Parameters
    ----------
    graph : networkx.MultiDiGraph
        The knowledge graph.
    edge_keys : "ids" or "types"
        "ids": edges are keyed e0, e1, … (unique GraphML edge ids) and keep their relation in `type`.
        "types": edges stay keyed by relation and carry it as `label`; `type` is GEXF's own edge
        type, "undirected" on the symmetric relations (UNDIRECTED_EDGE_TYPES), else absent.

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
    node_types, edge_types = _node_types(graph), _edge_types(graph)
    out = nx.MultiDiGraph()
    node_record, edge_record = _Records(), _Records()
    for nid, data in graph.nodes(data=True):
        attrs = node_record(data, "label", ids[nid])
        out.add_node(ids[nid], **{k: _cast(v, node_types[k]) for k, v in attrs.items()})
    for i, (u, v, key, data) in enumerate(graph.edges(keys=True, data=True)):
        key = _plain(str(key))
        attrs = {k: _cast(val, edge_types[k]) for k, val in edge_record(data, "type", key).items()}
        if edge_keys == "types":
            attrs["label"] = attrs.pop("type")
            if attrs["label"] in UNDIRECTED_EDGE_TYPES:
                attrs["type"] = "undirected"
            out.add_edge(ids[u], ids[v], key=key, **attrs)
        else:
            out.add_edge(ids[u], ids[v], key=f"e{i}", **attrs)
    return out


# --- streaming: the layout networkx's prettyprint gives, each element written by ElementTree ------

def _keep_carriage_returns(xml: bytes) -> bytes:
    """A parser turns a raw CR (or CR LF) in element text into LF; "&#13;" keeps it. ElementTree
    already writes it so in attributes, and indentation is LF only: every raw CR is from the data."""
    return xml.replace(b"\r", b"&#13;")


def _indent(element: Element, level: int) -> None:
    """Indent `element`'s descendants as networkx's writers do (two spaces a level)."""
    if len(element):
        inner = "\n" + "  " * (level + 1)
        element.text = inner
        for child in element:
            _indent(child, level + 1)
            child.tail = inner
        element[-1].tail = inner[:-2]


def _open_tag(tag: str, attrib: dict, declaration: bool = False) -> bytes:
    """`<tag …>` (after the XML declaration when `declaration`), as ElementTree writes it."""
    xml = tostring(Element(tag, attrib), encoding="utf-8", xml_declaration=declaration,
                   short_empty_elements=False)
    return xml[: -len(f"</{tag}>")]


# ElementTree's own escaping, so the bytes are those of tostring(); absent (another Python), tostring
_ESCAPE_TEXT = getattr(ElementTree, "_escape_cdata", None)
_ESCAPE_ATTRIBUTE = getattr(ElementTree, "_escape_attrib", None)


def _write_xml(element: Element, write) -> None:
    """`element` as ElementTree's tostring() writes it, for the plain elements built here (no
    namespaces, comments or processing instructions). tostring() first walks the whole tree for
    namespaces and then serializes through a general recursion, most of the GraphML and GEXF time."""
    tag, text = element.tag, element.text
    write("<" + tag)
    for key, value in element.items():
        write(f' {key}="{_ESCAPE_ATTRIBUTE(value)}"')
    if text or len(element):
        write(">")
        if text:
            write(_ESCAPE_TEXT(text))
        for child in element:
            _write_xml(child, write)
        write("</" + tag + ">")
    else:
        write(" />")
    if element.tail:
        write(_ESCAPE_TEXT(element.tail))


def _serialized(wrapper: Element) -> bytes:
    """The children of `wrapper` (and its text first), as tostring(wrapper) writes them between
    the wrapper's own tags."""
    if _ESCAPE_TEXT is None or _ESCAPE_ATTRIBUTE is None:
        return tostring(wrapper, encoding="utf-8")[len(b"<_>"): -len(b"</_>")]
    parts: list[str] = [_ESCAPE_TEXT(wrapper.text)] if wrapper.text else []
    for element in wrapper:
        _write_xml(element, parts.append)
    return "".join(parts).encode("utf-8", "xmlcharrefreplace")


def _lines(elements: Iterable[Element], level: int) -> Iterator[bytes]:
    """Each element on a new line at `level`; ElementTree serializes a batch of them at a time in a
    throwaway wrapper element, whose own tags are cut off."""
    newline = "\n" + "  " * level
    wrapper = Element("_")
    for batch in iter(lambda: list(itertools.islice(elements, _BATCH)), []):
        wrapper[:] = batch
        wrapper.text = newline
        for element in batch:
            _indent(element, level)
            element.tail = newline
        batch[-1].tail = None
        yield _keep_carriage_returns(_serialized(wrapper))


def _escapes():
    """ElementTree's attribute and text escaping, so the bytes are those tostring() writes; from
    tostring() itself where this Python's ElementTree lacks the private functions."""
    if _ESCAPE_TEXT is not None and _ESCAPE_ATTRIBUTE is not None:
        return _ESCAPE_ATTRIBUTE, _ESCAPE_TEXT

    def attribute(value: str) -> str:
        return tostring(Element("a", v=value), encoding="unicode")[len('<a v="'): -len('" />')]

    def text(value: str) -> str:
        element = Element("a")
        element.text = value
        return tostring(element, encoding="unicode")[len("<a>"): -len("</a>")]

    return attribute, text


# Marks each value in the text of an element (`_marked`): the values of a batch are then escaped in
# one call. No value holds it: XML 1.0 cannot, and _plain and _xml_ids drop it.
_MARK = "\x00"


def _marked(value: str) -> str:
    return _MARK + value + _MARK


# Between the items of a batch (`_escaped`): no text holds it, as none holds _MARK.
_ITEM = "\x01"


def _escaped(texts: list[str], escape) -> list[bytes]:
    """Each item's text (its elements, each led by its newline and indentation) as UTF-8, with raw
    CRs kept as ElementTree's path keeps them (`_lines`). Writing the few tags of a node or edge
    directly is much faster than building and serializing ElementTree elements.

    The values marked in the texts (`_marked`) are escaped (ElementTree's attribute or text
    escaping), all of them in one call: escaping replaces characters one by one and leaves the
    mark, so the escaped values, joined by marks, split back apart; so do the items."""
    if not texts:
        return []
    text = _ITEM.join(texts)
    pieces = text.split(_MARK)  # markup, value, markup, …, markup
    values = _MARK.join(pieces[1::2])
    escaped = escape(values)
    if escaped != values:
        pieces[1::2] = escaped.split(_MARK)
    text = "".join(pieces)
    items = _keep_carriage_returns(text.encode("utf-8", "xmlcharrefreplace")).split(_ITEM.encode())
    assert len(items) == len(texts)
    return items


def _container(tag: str, attrib: dict, parts: Iterable[bytes], level: int) -> Iterator[bytes]:
    """`parts` (the children, already on their lines) inside `<tag>`; `<tag />` when there are none."""
    parts = iter(parts)
    first = next(parts, None)
    if first is None:
        yield b"\n" + b"  " * level + tostring(Element(tag, attrib), encoding="utf-8")
        return
    yield (b"\n" + b"  " * level if level else b"") + _open_tag(tag, attrib, declaration=not level)
    yield first
    yield from parts
    yield b"\n" + b"  " * level + f"</{tag}>".encode() + (b"" if level else b"\n")


def _framed(document: Callable[[Callable[[str], list[bytes]]], Iterable[bytes]], names: list[str]) -> list[bytes]:
    """The bytes of `document(place)` around the sections `names`, in order: `place(name)` is what
    a container holds of that section (nothing when it is empty, which `names` then leaves out)."""
    marks = {name: b"\0" + name.encode() + b"\0" for name in names}
    data = b"".join(document(lambda name: [marks[name]] if name in marks else []))
    frame = []
    for name in names:
        head, data = data.split(marks[name])
        frame.append(head)
    return [*frame, data]


def _xml_type_names(table) -> dict[type, str]:
    table.construct_types()  # networkx's own Python type → XML type name tables
    return table.xml_type


def _edge_numbers(pattern: bytes):
    """Fragments' `renumber` for XML edges whose number follows `pattern` (their tag up to it)."""
    split = re.compile(b"(" + pattern + b")([0-9]+)").split

    def renumber(data: bytes, old_first: int, new_first: int, count: int) -> bytes | None:
        pieces = split(data)  # text, tag, number, text, …
        numbers = pieces[2::3]
        if len(numbers) != count or (count and (int(numbers[0]) != old_first or int(numbers[-1]) != old_first + count - 1)):
            return None
        pieces[2::3] = "\n".join(map(str, range(new_first, new_first + count))).encode().split(b"\n")
        return b"".join(pieces)

    return renumber


def _graph_facts(items: GraphItems) -> tuple[dict, dict, dict, dict]:
    """What both formats need of the whole graph, made once per process for a build's graph: the
    nodes' XML ids and those escaped as an attribute value (edges name nodes again and again),
    each only where it is not the node's id itself (`ids.get(nid, nid)`: the kept dicts are small),
    and the node and edge attributes' types."""
    def make():
        graph = items.graph
        attr, _ = _escapes()
        ids, escaped = {}, {}
        for nid, xml_id in _xml_ids(graph.nodes).items():
            if xml_id is not nid:
                ids[nid] = xml_id
            escaped_id = attr(xml_id)
            if escaped_id is not nid:
                escaped[nid] = escaped_id
        return ids, escaped, _node_types(graph), _edge_types(graph)

    return items.memoized("gephi", make)


def _has_edges(graph: nx.MultiDiGraph) -> bool:
    return next(iter(graph.edges()), None) is not None


def _clashes(ids: dict) -> bytes:
    """The XML ids that are not the node's own id (cleaned, or told apart), for the context: an
    item's fingerprint has the node's id, not the XML id it gets."""
    return repr([(repr(nid), xml_id) for nid, xml_id in ids.items()]).encode("utf-8", "surrogatepass")


def _types_text(*tables: dict) -> bytes:
    return repr([{name: kind.__name__ for name, kind in table.items()} for table in tables]).encode()


def generate_graphml(graph: nx.MultiDiGraph) -> Iterator[bytes]:
    """The knowledge graph as GraphML, in chunks of UTF-8 bytes.

    Each attribute has one `<key>`: ids d0, d1, … in order of first use (node keys first), listed
    last first, as networkx writes them; edges have ids e0, e1, … and their relation in `type`;
    those of the symmetric relations (UNDIRECTED_EDGE_TYPES) are `directed="false"`.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", type="Paper", label="A & B")
    >>> print(b"".join(generate_graphml(g)).decode())  # doctest: +NORMALIZE_WHITESPACE
    <?xml version='1.0' encoding='utf-8'?>
    <graphml xmlns="http://graphml.graphdrawing.org/xmlns"
      xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
      xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">
      <key id="d1" for="node" attr.name="label" attr.type="string" />
      <key id="d0" for="node" attr.name="type" attr.type="string" />
      <graph edgedefault="directed">
        <node id="a">
          <data key="d0">Paper</data>
          <data key="d1">A &amp; B</data>
        </node>
      </graph>
    </graphml>
    """
    return _chunks(*_graphml(graph)[1:])


def _graphml(graph: nx.MultiDiGraph) -> tuple[bytes, list[bytes], list[Section]]:
    """GraphML as kg.export.fragments writes it: its context, frame and sections (nodes, then the
    edges of each node)."""
    xml_types = _xml_type_names(GraphML())
    items = graph_items(graph)
    ids, escaped_ids, node_types, edge_types = _graph_facts(items)
    types = {"node": node_types, "edge": edge_types}
    keys = {(scope, name): f"d{i}" for i, (scope, name) in
            enumerate((scope, name) for scope in ("node", "edge") for name in types[scope])}

    attr, text = _escapes()
    # "<data key=…" at the data elements' depth (3), per (scope, name)
    opens = {scope_name: f'\n      <data key="{attr(key_id)}"' for scope_name, key_id in keys.items()}

    def data(parts, scope, attrs):
        """The `<data>` of each attribute, its value marked (`_escaped` escapes it)."""
        kinds = types[scope]
        for name, value in attrs.items():
            kind = kinds[name]
            if kind is not str or type(value) is not str:  # else str(_cast(value, str)) is value
                value = str(_cast(value, kind))
                if kind is bool:
                    value = value.lower()
            head = opens[scope, name]
            parts.append(f"{head}>{_MARK}{value}{_MARK}</data>" if value else head + " />")

    node_record, edge_record = _Records(), _Records()

    def nodes(batch: list, first: int) -> list[bytes]:
        texts = []
        for nid, attrs in batch:
            parts = [f'\n    <node id="{escaped_ids.get(nid, nid)}">']
            data(parts, "node", node_record(attrs, "label", ids.get(nid, nid)))
            parts.append("\n    </node>")
            texts.append("".join(parts))
        return _escaped(texts, text)

    relations: dict = {}  # edge key → its text

    def edges(batch: list, first: int) -> list[bytes]:
        texts, i = [], first
        for u, adj in batch:
            parts, source = [], escaped_ids.get(u, u)
            for v, keyed in adj.items():
                for key, attrs in keyed.items():
                    relation = relations.get(key) or relations.setdefault(key, _plain(str(key)))
                    attrs = edge_record(attrs, "type", relation)
                    undirected = ' directed="false"' if attrs["type"] in UNDIRECTED_EDGE_TYPES else ""
                    parts.append(f'\n    <edge source="{source}" target="{escaped_ids.get(v, v)}" id="e{i}"{undirected}>')
                    data(parts, "edge", attrs)
                    parts.append("\n    </edge>")
                    i += 1
            texts.append("".join(parts))
        return _escaped(texts, text)

    def document(place):
        declarations = [Element("key", {"id": key_id, "for": scope, "attr.name": name,
                                        "attr.type": xml_types[types[scope][name]]})
                        for (scope, name), key_id in reversed(keys.items())]
        graph_part = _container("graph", {"edgedefault": "directed"}, itertools.chain(place("nodes"), place("edges")), 1)
        root = {"xmlns": GraphML.NS_GRAPHML, "xmlns:xsi": GraphML.NS_XSI, "xsi:schemaLocation": GraphML.SCHEMALOCATION}
        return _container("graphml", root, itertools.chain(_lines(iter(declarations), 1), graph_part), 0)

    sections = [Section("nodes", items.nodes(), items.node_fps, nodes),
                Section("edges", items.groups(), items.group_fps, edges, counts=items.group_counts,
                        renumber=_edge_numbers(rb'<edge source="[^"]*" target="[^"]*" id="e'))]
    sections = sections[:2 if _has_edges(graph) else 1] if len(graph) else []
    frame = _framed(document, [section.name for section in sections])
    return b"".join([*frame, _types_text(node_types, edge_types), _clashes(ids)]), frame, sections


def _chunks(frame: list[bytes], sections: list[Section]) -> Iterator[bytes]:
    """The bytes of a frame and its sections, every item rendered, a batch at a time."""
    yield frame[0]
    for section, after in zip(sections, frame[1:]):
        first = 0
        while batch := list(itertools.islice(section.items, _BATCH)):
            yield section.separator.join(section.render(batch, first))
            if section.counts is not None:
                first += sum(sum(map(len, adj.values())) for _, adj in batch)
        yield after


def _gexf_value(value, kind: type) -> str:
    if kind is bool:
        return str(value).lower()
    text = str(value)
    if kind is float:
        text = {"inf": "INF", "nan": "NaN", "-inf": "-INF"}.get(text, text)
    return text


def generate_gexf(graph: nx.MultiDiGraph) -> Iterator[bytes]:
    """The knowledge graph as GEXF 1.2draft, in chunks of UTF-8 bytes.

    Nodes carry `label`, edges their relation as `label` and `weight` as XML attributes; the rest
    are `<attvalue>`s, the edge's relation also as `networkx_key`, as networkx writes them. The
    graph's default edge type is directed; the symmetric relations' edges (UNDIRECTED_EDGE_TYPES)
    are `type="undirected"`.

    Examples
    --------
    >>> g = nx.MultiDiGraph()
    >>> g.add_node("a", type="Paper", label="A")
    >>> _ = g.add_edge("a", "a", key="CITES", type="CITES", weight=1)
    >>> print(b"".join(generate_gexf(g)).decode())  # doctest: +ELLIPSIS, +NORMALIZE_WHITESPACE
    <?xml version='1.0' encoding='utf-8'?>
    <gexf ... version="1.2">
    ...
        <edges>
          <edge source="a" target="a" id="0" label="CITES" weight="1.0">
            <attvalues>
              <attvalue for="1" value="CITES" />
            </attvalues>
          </edge>
        </edges>
      </graph>
    </gexf>
    """
    return _chunks(*_gexf(graph)[1:])


def _gexf(graph: nx.MultiDiGraph) -> tuple[bytes, list[bytes], list[Section]]:
    """GEXF as kg.export.fragments writes it: its context, frame and sections (nodes, then the
    edges of each node)."""
    xml_types = _xml_type_names(GEXF())
    items = graph_items(graph)
    ids, escaped_ids, node_types, edge_types = _graph_facts(items)
    # attribute ids in networkx's order of first use: nodes', then edges' (the relation, as
    # "networkx_key", after each edge's own attributes); label, weight are XML attributes instead
    node_names = [name for name in node_types if name != "label"]
    # edges' attribute names in order of first use, "networkx_key" right after the first edge's own
    inline = ("type", "label", "weight")
    first_edge = next(iter(graph.edges(data=True)), None)
    edge_names = {} if first_edge is None else dict.fromkeys(itertools.chain(
        (k for k, _ in _attribute_types([first_edge[2]], "type") if k not in inline), ("networkx_key",),
        (k for k in edge_types if k not in inline)))
    attr_ids = {(scope, name): str(i) for i, (scope, name) in
                enumerate(itertools.chain((("node", n) for n in node_names), (("edge", n) for n in edge_names)))}
    edge_kinds = {**edge_types, "networkx_key": str}
    attr, _ = _escapes()
    # '<attvalue for="…"' at the attvalue elements' depth (5), per (scope, name)
    opens = {scope_name: f'\n          <attvalue for="{attr(i)}"' for scope_name, i in attr_ids.items()}

    def element(parts, tag, head, scope, kinds, attrs):
        """`head` (the open tag without its ">") and the attvalues, closed as ElementTree does."""
        if not attrs:
            parts.append(head + " />")
            return
        parts.append(head + ">\n        <attvalues>")
        for name, value in attrs.items():
            parts.append(f'{opens[scope, name]} value="{_MARK}{_gexf_value(value, kinds[name])}{_MARK}" />')
        parts.append(f"\n        </attvalues>\n      </{tag}>")

    node_record, edge_record = _Records(), _Records()

    def nodes(batch: list, first: int) -> list[bytes]:
        texts = []
        for nid, data in batch:
            attrs = {k: v if type(v) is node_types[k] else _cast(v, node_types[k])
                     for k, v in node_record(data, "label", ids.get(nid, nid)).items()}
            parts: list[str] = []
            element(parts, "node", f'\n      <node id="{escaped_ids.get(nid, nid)}" label="{_marked(str(attrs.pop("label")))}"', "node",
                    node_types, attrs)
            texts.append("".join(parts))
        return _escaped(texts, attr)

    relations: dict = {}  # edge key → its text

    def edges(batch: list, first: int) -> list[bytes]:
        texts, i = [], first
        for u, adj in batch:
            parts: list[str] = []
            source = escaped_ids.get(u, u)
            for v, keyed in adj.items():
                for key, data in keyed.items():
                    key = relations.get(key) or relations.setdefault(key, _plain(str(key)))
                    attrs = {k: val if type(val) is edge_types[k] else _cast(val, edge_types[k])
                             for k, val in edge_record(data, "type", key).items()}
                    relation = str(attrs.pop("type"))
                    head = f'\n      <edge source="{source}" target="{escaped_ids.get(v, v)}" id="{i}" label="{_marked(relation)}"'
                    attrs.pop("label", None)  # the relation is the label
                    if "weight" in attrs:
                        head += f' weight="{_marked(str(attrs.pop("weight")))}"'
                    if relation in UNDIRECTED_EDGE_TYPES:
                        head += ' type="undirected"'
                    attrs["networkx_key"] = key
                    element(parts, "edge", head, "edge", edge_kinds, attrs)
                    i += 1
            texts.append("".join(parts))
        return _escaped(texts, attr)

    def declarations():
        for scope, kinds, names in (("edge", edge_kinds, edge_names), ("node", node_types, node_names)):
            if names:
                element = Element("attributes", {"mode": "static", "class": scope})
                for name in names:
                    SubElement(element, "attribute", id=attr_ids[scope, name], title=name, type=xml_types[kinds[name]])
                yield element

    def document(place):
        meta = Element("meta")
        SubElement(meta, "creator").text = f"NetworkX {nx.__version__}"
        graph_part = itertools.chain(
            _lines(declarations(), 2),
            _container("nodes", {}, place("nodes"), 2),
            _container("edges", {}, place("edges"), 2),
        )
        head = _lines(iter([meta]), 1)
        graph_attrib = {"defaultedgetype": "directed", "mode": "static", "name": ""}
        return _container("gexf", _GEXF_NS, itertools.chain(head, _container("graph", graph_attrib, graph_part, 1)), 0)

    sections = [Section("nodes", items.nodes(), items.node_fps, nodes),
                Section("edges", items.groups(), items.group_fps, edges, counts=items.group_counts,
                        renumber=_edge_numbers(rb'<edge source="[^"]*" target="[^"]*" id="'))]
    sections = sections[:2 if _has_edges(graph) else 1] if len(graph) else []
    frame = _framed(document, [section.name for section in sections])
    return b"".join([*frame, _types_text(node_types, edge_kinds), _clashes(ids)]), frame, sections


_UNDIRECTED_MARK = {
    ".graphml": re.compile(rb'(<edge [^>]*?) directed="false"'),
    ".gexf": re.compile(rb'(<edge [^>]*?) type="undirected"'),
}


def read_gephi(path) -> nx.DiGraph:
    """Read a graph.graphml or graph.gexf kg wrote into a networkx graph (GraphML: a MultiDiGraph;
    GEXF: what `networkx.read_gexf` gives, a MultiDiGraph when two edges join one pair).

    networkx's readers refuse a graph that mixes directed and undirected edges ("directed=false
    edge found in directed graph"); here the undirected edges are read as networkx's directed ones,
    once per pair, from the smaller id to the larger, as in `kg.graph.build.build_graph`. Their
    relation (GraphML `type`, GEXF `label`) says they are undirected (UNDIRECTED_EDGE_TYPES).
    For networkx, graph.json (kg.build.read_graph_json, or BuildDir.read_graph) is the simpler input.
    """
    path = Path(path)
    if path.suffix not in _UNDIRECTED_MARK:
        raise ValueError(f"not a .graphml or .gexf file: {path}")
    # an attribute value holds no raw ">" and element text no raw "<": "<edge " starts a tag
    data = io.BytesIO(_UNDIRECTED_MARK[path.suffix].sub(rb"\1", path.read_bytes()))
    if path.suffix == ".graphml":
        return nx.read_graphml(data, force_multigraph=True)
    return nx.read_gexf(data)


def write_graphml(graph: nx.MultiDiGraph, path) -> list[str]:
    """Write the knowledge graph as GraphML (atomically, streamed); returns [path]. In a build,
    with its index, and copied where it can be from the previous build's (kg.export.fragments)."""
    return write_indexed(path, graph, *_graphml(graph))


def write_gexf(graph: nx.MultiDiGraph, path) -> list[str]:
    """Write the knowledge graph as GEXF 1.2 (atomically, streamed); returns [path].

    Unlike networkx, no writing date in <meta>, so the same corpus gives the same bytes. In a
    build, with its index, and copied where it can be from the previous build's (kg.export.fragments).
    """
    return write_indexed(path, graph, *_gexf(graph))


def export_graphml(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `graphml` target (kg.export.ExportFunction): out_dir/graph.graphml."""
    return write_graphml(graph if graph is not None else build_graph(corpus), Path(out_dir) / "graph.graphml")


def export_gexf(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `gexf` target (kg.export.ExportFunction): out_dir/graph.gexf."""
    return write_gexf(graph if graph is not None else build_graph(corpus), Path(out_dir) / "graph.gexf")
