"""The node and edge types of the knowledge graph, each with its RDF terms.

One table read by every output: kg.graph.build types the networkx graph (graph.json, GraphML, GEXF)
with it, kg.export.property_graph makes one table per type from it (Neo4j, LadybugDB), and
kg.graph.rdf states each node with its RDF classes and each edge with its RDF property
(prefixes as in kg.graph.rdf.PREFIXES).

>>> EDGES["HAS_TOPIC"]
EdgeType(name='HAS_TOPIC', source='Paper', target='Topic', rdf_property='dcterms:subject', undirected=False)
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NodeType", "EdgeType", "NODES", "EDGES", "NODE_TYPES", "EDGE_TYPES", "UNDIRECTED_EDGE_TYPES"]


@dataclass(frozen=True)
class NodeType:
    """A kind of node: its name (the node's `type`, a property-graph label) and the RDF classes of its resources."""

    name: str
    rdf_classes: tuple[str, ...]


@dataclass(frozen=True)
class EdgeType:
    """A kind of edge from `source` to `target` nodes: its name (the edge's `type` and key, a
    relationship type) and the RDF property that states it (None: RDF does not state it).

    An undirected edge type is symmetric: stored once per pair, from the smaller node id to the
    larger, the direction meaning nothing; RDF states it both ways."""

    name: str
    source: str
    target: str
    rdf_property: str | None
    undirected: bool = False


_NODES = (
    NodeType("Paper", ("fabio:Preprint", "schema:ScholarlyArticle")),
    NodeType("Author", ("foaf:Person",)),
    NodeType("Institution", ("org:Organization",)),
    NodeType("Topic", ("skos:Concept",)),
    NodeType("Method", ("kgo:Method",)),
    NodeType("Dataset", ("kgo:Dataset", "schema:Dataset")),
    NodeType("Code", ("schema:SoftwareSourceCode",)),
    NodeType("Category", ("skos:Concept",)),
)
_EDGES = (
    EdgeType("HAS_AUTHOR", "Paper", "Author", "dcterms:creator"),
    EdgeType("HAS_INSTITUTION", "Paper", "Institution", "kgo:institution"),
    # digests do not say which author belongs where: the link is "signed a paper listing"
    EdgeType("AFFILIATED_WITH", "Author", "Institution", "kgo:affiliatedVia"),
    EdgeType("HAS_TOPIC", "Paper", "Topic", "dcterms:subject"),
    EdgeType("USES_METHOD", "Paper", "Method", "kgo:usesMethod"),
    EdgeType("USES_DATASET", "Paper", "Dataset", "kgo:usesDataset"),
    EdgeType("HAS_CODE", "Paper", "Code", "kgo:hasCode"),
    EdgeType("IN_CATEGORY", "Paper", "Category", "kgo:category"),
    EdgeType("CO_AUTHOR", "Author", "Author", "kgo:coAuthorWith", undirected=True),
    # topics of one paper: a graph-analysis link, no statement about either topic
    EdgeType("CO_OCCURS", "Topic", "Topic", None, undirected=True),
    # "semantic segmentation" → "segmentation" (kg.graph.hierarchy)
    EdgeType("BROADER", "Topic", "Topic", "skos:broader"),
    # a root topic → the arXiv category of most of its papers
    EdgeType("BROADER_CATEGORY", "Topic", "Category", "skos:broader"),
)

NODES: dict[str, NodeType] = {t.name: t for t in _NODES}
EDGES: dict[str, EdgeType] = {t.name: t for t in _EDGES}
NODE_TYPES = tuple(NODES)
# relation type → (source node type, target node type); edges are keyed by relation type
EDGE_TYPES = {t.name: (t.source, t.target) for t in _EDGES}
# Each export marks these undirected where its format can (GEXF, GraphML), and graph.json lists
# them in its graph attributes ("undirected_edge_types").
UNDIRECTED_EDGE_TYPES = tuple(t.name for t in _EDGES if t.undirected)
