"""The one table of node and edge types (kg.graph.schema): graph.json's graph and the RDF both follow it."""

from pyoxigraph import NamedNode

from kg.graph.build import build_graph
from kg.graph.rdf import PREFIXES, Minter, generate_triples
from kg.graph.schema import EDGE_TYPES, EDGES, NODE_TYPES, NODES, UNDIRECTED_EDGE_TYPES
from kg.model import Entity, Entry, Extraction, Source
from kg.resolve import resolve


def _corpus():
    """Two papers that between them give every node and edge type (no spaCy needed)."""
    entries = [
        Entry(Source("a.txt", 1), "digest", tag="CV", title="Few-shot semantic segmentation",
              authors=("A Author", "B Author"), institutions=("Carnegie Mellon University",), arxiv_id="2101.00001"),
        Entry(Source("b.txt", 1), "digest", tag="CV", title="Segmentation", authors=("A Author",),
              institutions=("Carnegie Mellon University",), arxiv_id="2101.00002"),
    ]
    extractions = [
        Extraction(topics=(("semantic segmentation", 2.0), ("segmentation", 1.0)),
                   methods=(Entity("CMT", ("cross-modal transformer",), "defined"),), datasets=(Entity("COCO"),),
                   code=("https://github.com/a/b",), tasks=(Entity("few-shot segmentation", (), "title"),),
                   metrics=(Entity("mIoU"),)),
        Extraction(topics=(("segmentation", 1.0),)),
    ]
    return resolve(entries, extractions)


def _iri(term: str) -> NamedNode:
    prefix, local = term.split(":", 1)
    return NamedNode(PREFIXES[prefix] + local)


def test_the_table_names_each_type_once_with_rdf_terms_of_known_vocabularies():
    assert NODE_TYPES == tuple(NODES) and set(EDGE_TYPES) == set(EDGES)
    assert all(EDGE_TYPES[name] == (t.source, t.target) for name, t in EDGES.items())
    assert all(t.source in NODES and t.target in NODES for t in EDGES.values())
    assert UNDIRECTED_EDGE_TYPES == ("CO_AUTHOR", "CO_OCCURS")
    for term in [c for t in NODES.values() for c in t.rdf_classes] + [t.rdf_property for t in EDGES.values() if t.rdf_property]:
        assert term.split(":", 1)[0] in PREFIXES, term


def test_graph_types_follow_the_table():
    g = build_graph(_corpus())
    assert {d["type"] for _, d in g.nodes(data=True)} == set(NODE_TYPES)
    assert {k for _, _, k in g.edges(keys=True)} == set(EDGE_TYPES)
    for u, v, k in g.edges(keys=True):
        assert (g.nodes[u]["type"], g.nodes[v]["type"]) == EDGE_TYPES[k]
    assert g.graph["undirected_edge_types"] == list(UNDIRECTED_EDGE_TYPES)


def test_rdf_states_each_node_with_its_classes_and_each_edge_with_its_property():
    corpus = _corpus()
    g = build_graph(corpus)
    minter = Minter()
    triples = {(t.subject, t.predicate, t.object) for t in generate_triples(corpus)}
    rdf_type = _iri("rdf:type")

    def resource(node_id: str) -> NamedNode:
        return minter.iri("category", node_id.split(":", 1)[1]) if node_id.startswith("category:") else minter.entity(node_id)

    for nid, data in g.nodes(data=True):
        for cls in NODES[data["type"]].rdf_classes:
            assert (resource(nid), rdf_type, _iri(cls)) in triples, (nid, cls)
    for u, v, k in g.edges(keys=True):
        prop = EDGES[k].rdf_property
        if prop is None:
            assert k == "CO_OCCURS"
            continue
        stated = (resource(u), _iri(prop), resource(v))
        assert stated in triples, (u, v, k)
        if EDGES[k].undirected:
            assert (resource(v), _iri(prop), resource(u)) in triples
