"""The node and edge types of the knowledge graph, each with its RDF terms.

One table read by every output: kg.graph.build types the networkx graph (graph.json, GraphML, GEXF)
with it, kg.export.property_graph makes one table per type from it (Neo4j, LadybugDB), and
kg.graph.rdf states each node with its RDF classes and each edge with its RDF property
(prefixes as in kg.graph.rdf.PREFIXES). ENTITY_KINDS lists the typed scientific entities
(kg.model.Entity) a paper links to: tasks, methods, datasets and metrics.

>>> EDGES["HAS_TOPIC"]
EdgeType(name='HAS_TOPIC', source='Paper', target='Topic', rdf_property='dcterms:subject', undirected=False)
"""

from __future__ import annotations

from dataclasses import dataclass

from ..model import Entity, Paper
from ..resolve.entities import merge_entities

__all__ = ["NodeType", "EdgeType", "EntityKind", "NODES", "EDGES", "NODE_TYPES", "EDGE_TYPES", "UNDIRECTED_EDGE_TYPES",
           "ENTITY_KINDS", "ENTITY_EDGE_TYPES", "node_id", "paper_entities"]


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


@dataclass(frozen=True)
class EntityKind:
    """A kind of typed scientific entity (kg.model.Entity) a paper links to: its node type, the
    Paper field holding the paper's entities of that kind, and the edge type of the link.

    Its nodes carry `aliases` (every other name any paper gave it), its edges `via` (how the
    paper's link was found, one of kg.model.VIA); RDF keeps `via` on a kgo:EntityLink."""

    node: str
    field: str
    edge: str


_NODES = (
    NodeType("Paper", ("fabio:Preprint", "schema:ScholarlyArticle")),
    NodeType("Author", ("foaf:Person",)),
    NodeType("Institution", ("org:Organization",)),
    NodeType("Topic", ("skos:Concept",)),
    # typed scientific entities (ENTITY_KINDS), aligned with the W3C ML Schema (mls:)
    NodeType("Task", ("kgo:Task", "mls:Task")),
    NodeType("Method", ("kgo:Method", "mls:Algorithm")),
    NodeType("Dataset", ("kgo:Dataset", "mls:Dataset", "schema:Dataset")),
    NodeType("Metric", ("kgo:Metric", "mls:EvaluationMeasure")),
    NodeType("Code", ("schema:SoftwareSourceCode",)),
    NodeType("Category", ("skos:Concept",)),
)
_EDGES = (
    EdgeType("HAS_AUTHOR", "Paper", "Author", "dcterms:creator"),
    EdgeType("HAS_INSTITUTION", "Paper", "Institution", "kgo:institution"),
    # digests do not say which author belongs where: the link is "signed a paper listing"
    EdgeType("AFFILIATED_WITH", "Author", "Institution", "kgo:affiliatedVia"),
    EdgeType("HAS_TOPIC", "Paper", "Topic", "dcterms:subject"),
    EdgeType("ADDRESSES_TASK", "Paper", "Task", "kgo:addressesTask"),
    EdgeType("USES_METHOD", "Paper", "Method", "kgo:usesMethod"),
    EdgeType("USES_DATASET", "Paper", "Dataset", "kgo:usesDataset"),
    EdgeType("USES_METRIC", "Paper", "Metric", "kgo:usesMetric"),
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

ENTITY_KINDS: tuple[EntityKind, ...] = (
    EntityKind("Task", "tasks", "ADDRESSES_TASK"),
    EntityKind("Method", "methods", "USES_METHOD"),
    EntityKind("Dataset", "datasets", "USES_DATASET"),
    EntityKind("Metric", "metrics", "USES_METRIC"),
)

NODES: dict[str, NodeType] = {t.name: t for t in _NODES}
EDGES: dict[str, EdgeType] = {t.name: t for t in _EDGES}
NODE_TYPES = tuple(NODES)
# relation type → (source node type, target node type); edges are keyed by relation type
EDGE_TYPES = {t.name: (t.source, t.target) for t in _EDGES}
# Each export marks these undirected where its format can (GEXF, GraphML), and graph.json lists
# them in its graph attributes ("undirected_edge_types").
UNDIRECTED_EDGE_TYPES = tuple(t.name for t in _EDGES if t.undirected)
ENTITY_EDGE_TYPES = tuple(k.edge for k in ENTITY_KINDS)


def node_id(kind: str, key: str) -> str:
    """The node id of a topic, task, method, dataset, metric, code or category entity.

    >>> node_id("Method", "CMT"), node_id("Task", "Semantic Segmentation"), node_id("Category", "cs.LG")
    ('method:cmt', 'task:semantic segmentation', 'category:cs.LG')
    """
    if kind == "Category":
        return f"category:{key}"
    if kind == "Code":
        return f"code:{key}"
    return f"{kind.lower()}:{key.lower()}"


def paper_entities(paper: Paper, kind: EntityKind) -> list[tuple[str, Entity]]:
    """(node id, entity) of each entity of `kind` the paper names, once per node, in order of first
    sight: an entity named twice (names equal but for case) keeps its first name, the aliases of
    both and the strongest `via` (title, defined, mentioned). Aliases are kept in order, each once,
    without the name itself.

    >>> from kg.model import Entity, Paper
    >>> p = Paper("p", None, None, None, None, (), (), (), (), (), (Entity("CMT", ("cross-modal",)),
    ...           Entity("cmt", ("C.M.T.", "cross-modal"), "defined")), (), (), (), ())
    >>> paper_entities(p, ENTITY_KINDS[1])
    [('method:cmt', Entity(name='CMT', aliases=('cross-modal', 'C.M.T.'), via='defined'))]
    """
    out = []
    for entity in merge_entities([getattr(paper, kind.field)]):  # node ids fold case as its key does
        aliases = tuple(a for a in dict.fromkeys(entity.aliases) if a != entity.name)
        if aliases != entity.aliases:
            entity = Entity(entity.name, aliases, entity.via)
        out.append((node_id(kind.node, entity.name), entity))
    return out
