"""Resolved corpus → RDF quads on the project ontology (ontology/kg.ttl), with pyoxigraph terms.

Standard terms first (FaBiO, DCTERMS, FOAF, W3C ORG, SKOS, schema.org, PROV, OWL, W3C ML Schema);
own terms (prefix ``kgo:``) only for authorships, typed scientific entities (tasks, methods, datasets,
metrics) and the links that say how a paper's link to one was found, and co-authorship weights.

Every fact about a paper is stated in the named graph of each source document the paper came
from, so a quad store keeps provenance; corpus-level facts (co-authorship counts) live in the
graph ``<base>graph/derived``. IRIs are minted under a configurable base from the entity ids,
percent-encoded, so any name gives a valid IRI.
"""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import re
from bisect import bisect_right
from collections import defaultdict
from dataclasses import fields, is_dataclass
from functools import cache, lru_cache
from itertools import chain, combinations, islice
from operator import attrgetter, eq
from pathlib import Path
from typing import Callable, Iterable, Iterator
from urllib.parse import quote

from pyoxigraph import Literal, NamedNode, Quad, RdfFormat, Triple, parse

from ..knowledge.glossary import zh_label
from ..model import Corpus, Paper, record_fields
from ..resolve.categories import CATEGORY_LABELS
from ..util.files import digest_files
from .hierarchy import topic_tree
from .schema import EDGES, ENTITY_KINDS, NODES, paper_entities

__all__ = [
    "DEFAULT_BASE",
    "KGO",
    "PREFIXES",
    "Minter",
    "generate_quads",
    "generate_triples",
    "span_lines",
    "triples_from_lines",
    "quads_from_lines",
    "union_lines",
    "union_batches",
    "source_graph",
    "source_keys",
]

DEFAULT_BASE = "https://example.org/kg/"
KGO = "https://w3id.org/kg-digests/ontology#"
_NS = {
    "kgo": KGO,
    "fabio": "http://purl.org/spar/fabio/",
    "dcterms": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "schema": "https://schema.org/",
    "prov": "http://www.w3.org/ns/prov#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "void": "http://rdfs.org/ns/void#",
    "mls": "http://www.w3.org/ns/mls#",
}
PREFIXES = dict(_NS)


@lru_cache(maxsize=None)  # a handful of vocabulary terms, asked for millions of times
def _t(prefixed: str) -> NamedNode:
    prefix, local = prefixed.split(":", 1)
    return NamedNode(_NS[prefix] + local)


RDF_TYPE = _t("rdf:type")
XSD_INTEGER = _t("xsd:integer")
XSD_GYEAR = _t("xsd:gYear")
XSD_DATE = _t("xsd:date")
XSD_ANYURI = _t("xsd:anyURI")
ARXIV_SCHEME = "scheme/arxiv"
TOPIC_SCHEME = "scheme/topics"
# the RDF classes of each node type and the property of each edge type (kg.graph.schema)
_CLASSES = {kind: tuple(map(_t, t.rdf_classes)) for kind, t in NODES.items()}
_PROPERTY = {rel: _t(t.rdf_property) for rel, t in EDGES.items() if t.rdf_property}
SKOS_NARROWER = _t("skos:narrower")
RDFS_LABEL = _t("rdfs:label")
SKOS_PREFLABEL = _t("skos:prefLabel")
SKOS_ALTLABEL = _t("skos:altLabel")
HAS_ENTITY_LINK = _t("kgo:hasEntityLink")
ENTITY_LINK = _t("kgo:EntityLink")
LINKED_ENTITY = _t("kgo:linkedEntity")
KGO_VIA = _t("kgo:via")


def _typed(node: NamedNode, kind: str) -> Iterator[Triple]:
    """The rdf:type triples of a node of type `kind` (kg.graph.schema)."""
    for cls in _CLASSES[kind]:
        yield Triple(node, RDF_TYPE, cls)


class Minter:
    """Deterministic IRIs under one base, safe for any name (percent-encoded path segments)."""

    def __init__(self, base: str = DEFAULT_BASE):
        if not base.endswith(("/", "#")):
            base += "/"
        self.base = base
        self._minted: dict[tuple[str, ...], NamedNode] = {}
        self.prefixes = dict(PREFIXES)
        self.prefixes["kg"] = base
        for kind in (*(name.lower() for name in NODES), "source"):
            self.prefixes[kind] = f"{base}{kind}/"

    def iri(self, *segments: str) -> NamedNode:
        node = self._minted.get(segments)
        if node is None:  # each IRI is minted once: percent-encoding is a hot path on big corpora
            node = self._minted[segments] = NamedNode(self.base + "/".join(_segment(s) for s in segments))
        return node

    def entity(self, entity_id: str) -> NamedNode:
        """IRI of a graph node id: "arxiv:2104.08696" → <base>paper/arxiv/2104.08696."""
        kind, _, key = entity_id.partition(":")
        if kind in ("arxiv", "title", "text"):
            return self.iri("paper", kind, key)
        if kind == "code":
            return self.iri("code", hashlib.sha1(key.encode("utf-8")).hexdigest()[:16])
        return self.iri(kind, key)


class _PercentEncoding(dict):
    """str.translate's table for ``quote(text, safe="-._~")``: the unreserved ASCII characters stay,
    every other character becomes its UTF-8 bytes as %XX (its entry made when first met; a lone
    surrogate raises UnicodeEncodeError, as quote does). One C pass over the text rather than
    quote's Python loop over its bytes."""

    def __init__(self):
        super().__init__((ord(c), c) for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    def __missing__(self, code: int) -> str:
        escaped = self[code] = "".join(f"%{byte:02X}" for byte in chr(code).encode("utf-8"))
        return escaped


_PERCENT_ENCODING = _PercentEncoding()


@lru_cache(maxsize=1 << 16)  # "paper", "authorship", positions and ids repeat across IRIs
def _segment(text: str) -> str:
    """One percent-encoded path segment (``quote(text, safe="-._~")``). Trailing dots are encoded
    too: Turtle writes a prefixed name ending in "." as "\\." ("source:notes\\."), which rdflib's
    parser rejects, and "." or ".." alone would be a dot segment."""
    quoted = text.translate(_PERCENT_ENCODING)
    stripped = quoted.rstrip(".")
    return stripped + "%2E" * (len(quoted) - len(stripped))


def source_graph(minter: Minter, file: str) -> NamedNode:
    """The named graph holding what was read from one source document."""
    return minter.iri("source", file)


def _lit(value: str, lang: str | None = None) -> Literal:
    return Literal(value, language=lang) if lang else Literal(value)


def _paper_triples(paper: Paper, corpus_index: dict, minter: Minter) -> Iterator[Triple]:
    """Everything one source document says about a paper: the paper, its authorships and authors,
    institutions, topics, tasks, methods, datasets, metrics, code, category and provenance."""
    p = minter.entity(paper.id)
    yield from _typed(p, "Paper")
    if paper.title:
        yield Triple(p, _t("dcterms:title"), _lit(paper.title))
    for lang, text in paper.abstracts:
        yield Triple(p, _t("dcterms:abstract"), _lit(text, lang))
    for lang in paper.lang:
        yield Triple(p, _t("dcterms:language"), _lit(lang))
    if paper.arxiv_id:
        yield Triple(p, _t("fabio:hasArXivId"), _lit(paper.arxiv_id))
        yield Triple(p, _t("owl:sameAs"), NamedNode(f"https://arxiv.org/abs/{quote(paper.arxiv_id, safe='/.')}"))
    # the publication date when known (arXiv metadata, BibTeX, the arXiv id's month), else the year
    if paper.published:
        yield Triple(p, _t("dcterms:issued"), Literal(paper.published, datatype=XSD_DATE))
    elif paper.year:
        yield Triple(p, _t("dcterms:issued"), Literal(str(paper.year), datatype=XSD_GYEAR))
    # the earliest date the paper was seen (papers.jsonl's date) and where that date came from
    if paper.date:
        yield Triple(p, _t("kgo:firstSeen"), Literal(paper.date, datatype=XSD_DATE))
        if paper.date_source:
            yield Triple(p, _t("kgo:dateSource"), _lit(paper.date_source))
    for url in paper.urls:
        yield Triple(p, _t("schema:url"), Literal(url))
    yield from _authorship_triples(paper, p, corpus_index["authors"], minter)
    yield from _institution_triples(paper, p, corpus_index["institutions"], minter)
    yield from _topic_triples(paper, p, minter)
    yield from _mention_triples(paper, p, minter)
    if paper.category:
        cat = minter.iri("category", paper.category)
        yield Triple(p, _PROPERTY["IN_CATEGORY"], cat)
        yield from _category_triples(paper.category, minter)
    for source in paper.sources:
        doc = source_graph(minter, source.file)
        yield Triple(p, _t("prov:wasDerivedFrom"), doc)
        yield Triple(doc, RDF_TYPE, _t("kgo:SourceDocument"))
        yield Triple(doc, _t("dcterms:identifier"), _lit(source.file))
        yield Triple(p, _t("kgo:sourceLocation"), _lit(source.label()))


def _authorship_triples(paper: Paper, p: NamedNode, names: dict, minter: Minter) -> Iterator[Triple]:
    """Each author, and the authorship that holds their place on the byline and the name as printed."""
    raw_affiliation = " & ".join(ref.printed for ref in paper.institutions)
    for a in paper.authorships:
        person = minter.entity(a.author_id)
        # the byline place counted from 1, in kgo:position and in the IRI (…/authorship/1 is the
        # first author); the model counts from 0
        position = str(a.position + 1)
        signature = minter.iri("paper", *paper.id.split(":", 1), "authorship", position)
        yield Triple(p, _PROPERTY["HAS_AUTHOR"], person)
        yield Triple(p, _t("kgo:hasAuthorship"), signature)
        yield Triple(signature, RDF_TYPE, _t("kgo:Authorship"))
        yield Triple(signature, _t("kgo:position"), Literal(position, datatype=XSD_INTEGER))
        yield Triple(signature, _t("kgo:printedName"), _lit(a.printed))
        yield Triple(signature, _t("kgo:author"), person)
        if raw_affiliation:
            yield Triple(signature, _t("kgo:rawAffiliation"), _lit(raw_affiliation))
        yield from _typed(person, "Author")
        yield Triple(person, _t("foaf:name"), _lit(names[a.author_id]))


def _institution_triples(paper: Paper, p: NamedNode, institutions: dict, minter: Minter) -> Iterator[Triple]:
    for ref in paper.institutions:
        inst = institutions[ref.institution_id]
        o = minter.entity(inst.id)
        yield Triple(p, _PROPERTY["HAS_INSTITUTION"], o)
        yield from _typed(o, "Institution")
        yield Triple(o, _t("skos:prefLabel"), _lit(inst.name))
        yield Triple(o, _t("kgo:printedName"), _lit(ref.printed))
        if inst.ror_id:
            yield Triple(o, _t("owl:sameAs"), NamedNode("https://ror.org/" + quote(inst.ror_id, safe="")))
        for a in paper.authorships:
            # what the digest says: this author signed a paper listing this organisation
            yield Triple(minter.entity(a.author_id), _PROPERTY["AFFILIATED_WITH"], o)


def _topic_triples(paper: Paper, p: NamedNode, minter: Minter) -> Iterator[Triple]:
    topic_scheme = minter.iri(*TOPIC_SCHEME.split("/"))
    for label, _score in paper.topics:
        t = minter.entity(f"topic:{label}")
        yield Triple(p, _PROPERTY["HAS_TOPIC"], t)
        yield from _typed(t, "Topic")
        yield Triple(t, _t("skos:prefLabel"), _lit(label, "en"))
        yield Triple(t, _t("skos:inScheme"), topic_scheme)
        label_zh = zh_label(label)
        if label_zh:
            yield Triple(t, _t("skos:altLabel"), _lit(label_zh, "zh"))


def _mention_triples(paper: Paper, p: NamedNode, minter: Minter) -> Iterator[Triple]:
    """The tasks, methods, datasets and metrics the paper names, each with its labels and, when the
    paper names it in its title or defines it, the paper's kgo:EntityLink to it (<paper>/link/<kind>/
    <name>, kgo:via "title" or "defined"; a link without one was "mentioned"), and code."""
    for kind in ENTITY_KINDS:
        for nid, entity in paper_entities(paper, kind):
            e = minter.entity(nid)
            yield Triple(p, _PROPERTY[kind.edge], e)
            yield from _typed(e, kind.node)
            name = _lit(entity.name)
            yield Triple(e, RDFS_LABEL, name)
            yield Triple(e, SKOS_PREFLABEL, name)
            for alias in entity.aliases:
                yield Triple(e, SKOS_ALTLABEL, _lit(alias))
            if entity.via == "mentioned":
                continue  # most links: a qualified link for each would add a fifth of the store
            # qualified as an authorship is: the link's IRI extends the paper's
            link = minter.iri("paper", *paper.id.split(":", 1), "link", *nid.split(":", 1))
            yield Triple(p, HAS_ENTITY_LINK, link)
            yield Triple(link, RDF_TYPE, ENTITY_LINK)
            yield Triple(link, LINKED_ENTITY, e)
            yield Triple(link, KGO_VIA, _lit(entity.via))
    for url in paper.code:
        c = minter.entity(f"code:{url}")
        yield Triple(p, _PROPERTY["HAS_CODE"], c)
        yield from _typed(c, "Code")
        yield Triple(c, _t("schema:codeRepository"), _url_term(url))


def _category_triples(category: str, minter: Minter) -> Iterator[Triple]:
    scheme = minter.iri(*ARXIV_SCHEME.split("/"))
    cat = minter.iri("category", category)
    archive = category.split(".", 1)[0]
    parent = minter.iri("category", archive)
    yield from _typed(cat, "Category")
    yield Triple(cat, _t("skos:notation"), _lit(category))
    yield Triple(cat, _t("skos:prefLabel"), _lit(CATEGORY_LABELS.get(category, category), "en"))
    yield Triple(cat, _t("skos:inScheme"), scheme)
    yield Triple(cat, _t("skos:broader"), parent)
    yield from _typed(parent, "Category")
    yield Triple(parent, _t("skos:notation"), _lit(archive))
    yield Triple(parent, _t("skos:prefLabel"), _lit(archive, "en"))
    yield Triple(parent, _t("skos:inScheme"), scheme)
    yield Triple(parent, _t("skos:topConceptOf"), scheme)
    yield Triple(scheme, RDF_TYPE, _t("skos:ConceptScheme"))
    yield Triple(scheme, _t("skos:prefLabel"), _lit("arXiv category taxonomy", "en"))


_STRAY_PERCENT = re.compile("%(?![0-9A-Fa-f]{2})")
_URL_SAFE = ":/?@!$&'()*+,;=%-._~"


def _iri_safe_url(url: str) -> str:
    """`url` with every character an IRI may not hold percent-encoded: spaces, quotes, brackets, a
    '%' that starts no escape, a second '#' (only the first starts the fragment)."""
    head, hash_, fragment = _STRAY_PERCENT.sub("%25", url).partition("#")
    return quote(head, safe=_URL_SAFE) + hash_ + quote(fragment, safe=_URL_SAFE)


def _url_term(url: str) -> NamedNode | Literal:
    """The IRI of a link; a text that is no absolute IRI (no scheme, a broken host) stays an
    xsd:anyURI literal, kept as printed, rather than failing the whole export."""
    try:
        return NamedNode(_iri_safe_url(url))
    except ValueError:
        return Literal(url, datatype=XSD_ANYURI)


def _derived_triple_lines(corpus: Corpus, minter: Minter) -> list[str]:
    """Corpus-level facts as `triple_line`s, in no particular order: weighted co-authorships and the
    topic scheme.

    The co-authorships (most of a big corpus's derived graph) are written as lines straight from
    their terms' N-Triples forms, each author's and each count's made once: a Triple object per
    quad, made only to be printed, cost more than the rest of the graph."""
    counts: dict[tuple[str, str], int] = defaultdict(int)
    for paper in corpus.papers:
        for a, b in combinations(sorted({x.author_id for x in paper.authorships}), 2):
            counts[(a, b)] += 1
    co_author, co_author_of, paper_count = _PROPERTY["CO_AUTHOR"], _t("kgo:coAuthor"), _t("kgo:paperCount")
    typed = f"{RDF_TYPE} {_t('kgo:CoAuthorship')}"
    person = cache(lambda author_id: str(minter.entity(author_id)))
    number = cache(lambda n: str(Literal(str(n), datatype=XSD_INTEGER)))
    # a link's IRI is minter.iri("coauthorship", a, b) as written, not minted: a NamedNode kept for
    # each of a big corpus's co-authorships cost more than the lines
    segment = cache(lambda author_id: _segment(author_id.split(":", 1)[1]))
    links = f"<{minter.base}coauthorship/"
    lines: list[str] = []
    add = lines.extend  # six lines a link at once: a generator's yield a line cost more than the lines
    for (a, b), n in counts.items():
        link = f"{links}{segment(a)}/{segment(b)}>"
        pa, pb = person(a), person(b)
        add((f"{pa} {co_author} {pb}", f"{pb} {co_author} {pa}",  # undirected: stated both ways
             f"{link} {typed}", f"{link} {co_author_of} {pa}", f"{link} {co_author_of} {pb}",
             f"{link} {paper_count} {number(n)}"))
    scheme = minter.iri(*TOPIC_SCHEME.split("/"))
    lines.append(triple_line(Triple(scheme, RDF_TYPE, _t("skos:ConceptScheme"))))
    lines.append(triple_line(Triple(scheme, _t("skos:prefLabel"), _lit("Topic keywords", "en"))))
    lines += _topic_hierarchy_lines(corpus, minter)
    return lines


def _topic_hierarchy_lines(corpus: Corpus, minter: Minter) -> list[str]:
    """skos:broader from a topic to the topic its label ends with ("semantic segmentation" →
    "segmentation"), and from each root topic to the arXiv category (top concept) of most of its
    papers, as `triple_line`s (each topic's IRI printed once)."""
    broader, roots = topic_tree(corpus)
    # minter.entity(f"topic:{label}") as written, not minted (a NamedNode kept for each of a big
    # corpus's topics costs more than the lines)
    topics = f"<{minter.base}topic/"
    topic = cache(lambda label: f"{topics}{_segment(label)}>")
    broader_term, narrower_term, category_term = _PROPERTY["BROADER"], SKOS_NARROWER, _PROPERTY["BROADER_CATEGORY"]
    lines: list[str] = []
    add = lines.extend
    for label, parent in broader.items():
        t, b = topic(label), topic(parent)
        add((f"{t} {broader_term} {b}", f"{b} {narrower_term} {t}"))
    for label, category in roots.items():
        lines.append(f"{topic(label)} {category_term} {minter.iri('category', category)}")
    return lines


def _sort_key(triple) -> str:
    return str(triple)  # the N-Triples line: one string per triple, a total order


def generate_quads(corpus: Corpus, base: str = DEFAULT_BASE) -> Iterator[Quad]:
    """Every quad, graph by graph (source documents sorted, then the derived graph), each graph's
    triples sorted and unique: the same corpus always gives the same sequence.

    Only one graph's triples are held at a time (a paper printed in several documents is turned
    into triples once per document): all of a big corpus's Triple objects at once cost more
    memory than the rest of the build."""
    minter = Minter(base)
    for graph, triples in _source_graphs(corpus, minter):
        for triple in triples:
            yield Quad(triple.subject, triple.predicate, triple.object, graph)
    derived = minter.iri("graph", "derived")
    for triple in triples_from_lines(_derived_lines(corpus, minter)):
        yield Quad(triple.subject, triple.predicate, triple.object, derived)


PIECE_QUADS = 50_000
"""nquads_blocks gives a big graph in pieces of at most this many quads: a big corpus's derived
graph is hundreds of megabytes of N-Quads, and Oxigraph bulk-loading one such block held five
times its size in memory."""


def nquads_blocks(corpus: Corpus, base: str = DEFAULT_BASE, max_quads: int | None = None,
                  reuse: Callable[[str], bytes | None] | None = None) -> Iterator[tuple[str, bytes]]:
    """(graph IRI, N-Quads bytes): generate_quads serialised, graph by graph, each graph in one
    block or, when it has more than `max_quads` (PIECE_QUADS) quads, in consecutive pieces.

    Each graph's triples are sorted and joined as N-Triples lines (pyoxigraph's own term syntax),
    not made into Quad objects to be serialised: the same bytes, in less time.

    `reuse(graph IRI)`: a source graph's N-Quads as an earlier build wrote them, or None; the caller
    answers only for a graph whose `source_keys` key is the one it had then (kg build --update), so
    those bytes are what making the graph would give, and the graph is not made again."""
    max_quads = max_quads or PIECE_QUADS
    minter = Minter(base)
    index = _index(corpus)
    for file, papers in _papers_by_file(corpus):
        graph = source_graph(minter, file)
        earlier = reuse(graph.value) if reuse is not None else None
        if earlier is not None:
            yield from _pieces(graph.value, earlier, max_quads)
            continue
        # as lines: a Triple's str() is its N-Triples form, which pyoxigraph's N-Quads writer prints
        lines = sorted({str(t) for paper in papers for t in _paper_triples(paper, index, minter)})
        yield from _blocks(graph, lines, max_quads)
    yield from _blocks(minter.iri("graph", "derived"), _derived_lines(corpus, minter), max_quads)


def _blocks(graph: NamedNode, lines: Iterable[str], max_quads: int) -> Iterator[tuple[str, bytes]]:
    """N-Quads blocks of at most `max_quads` lines of one graph from its sorted triple lines."""
    end = f" {graph} .\n"
    lines = iter(lines)
    while piece := list(islice(lines, max_quads)):
        yield graph.value, (end.join(piece) + end).encode("utf-8")


def _pieces(graph: str, nquads: bytes, max_quads: int) -> Iterator[tuple[str, bytes]]:
    """A whole graph's N-Quads in the blocks `_blocks` gives: at most `max_quads` lines each."""
    # each line ends with " <graph> .\n" after a triple: a block too short for more lines is not counted
    if len(nquads) // (len(graph.encode("utf-8")) + 6) <= max_quads or nquads.count(b"\n") <= max_quads:
        yield graph, nquads
        return
    lines = nquads.splitlines(keepends=True)
    for start in range(0, len(lines), max_quads):
        yield graph, b"".join(lines[start:start + max_quads])


# What a source graph's quads are made by, beside the papers: the code and tables its key covers.
_SOURCE_GRAPH_CODE = ("graph/rdf.py", "graph/schema.py", "knowledge/glossary.py", "resolve/categories.py", "model.py",
                      "data/glossary_zh_en.tsv.gz")


@lru_cache(maxsize=1)
def _source_graph_code() -> bytes:
    import pyoxigraph

    digest = hashlib.sha256(pyoxigraph.__version__.encode())
    digest_files(digest, Path(__file__).resolve().parent.parent, _SOURCE_GRAPH_CODE)
    return digest.digest()


def source_keys(corpus: Corpus, base: str = DEFAULT_BASE) -> dict[str, str]:
    """A key of each source graph (by IRI): a digest of everything its quads are made from — its
    papers (each as a whole: its other sources are stated too), the names of their authors, the
    institutions they name, the base, and the code and tables that make quads. Equal keys, equal
    N-Quads; a build records them so that an update makes again only the graphs whose key moved."""
    minter = Minter(base)
    index = _index(corpus)
    keys = {}
    for file, papers in _papers_by_file(corpus):
        digest = hashlib.sha256(_source_graph_code() + base.encode() + b"\0" + file.encode())
        for paper in papers:
            names = [index["authors"][a.author_id] for a in paper.authorships]
            # what _institution_triples reads of each (not its printed forms across the corpus)
            institutions = [(i.id, i.name, i.ror_id) for i in (index["institutions"][ref.institution_id]
                                                              for ref in paper.institutions)]
            digest.update(_key_bytes(paper, names, institutions))
        keys[source_graph(minter, file).value] = digest.hexdigest()
    return keys


_KEY_JSON = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=record_fields).encode
_PLAIN_TYPES = frozenset({str, int, float, bool, type(None)})


def _key_bytes(paper: Paper, names: list, institutions: list) -> bytes:
    """What a source graph's key reads of one paper, as bytes that tell it from any other and end
    where they show: marshal's format 2 (no back-references, so equal values give equal bytes
    whatever objects hold them) of its fields, records inside as tuples of theirs (several times
    faster than JSON); JSON, as keys were made before, for a paper marshal cannot write. A leading
    letter tells the two apart."""
    try:
        return b"m" + marshal.dumps((_fields(paper), names, institutions), 2)
    except (ValueError, TypeError):  # a value marshal does not know, or a record where _plain looks for none
        return b"j" + _KEY_JSON([paper, names, institutions]).encode("utf-8")


def _fields(record) -> list:
    """A record's field values in order; a record, or a tuple of records of one class, among them as
    (class name, field values) — a record deeper down is left for marshal to refuse."""
    values = list(_field_getter(type(record))(record))
    for i, value in enumerate(values):
        kind = type(value)
        if kind is tuple:
            if value and _is_record(type(value[0])):
                if len(set(map(type, value))) != 1:
                    raise TypeError("records of several classes in one field")
                cls = type(value[0])
                values[i] = (cls.__qualname__, tuple(map(_field_getter(cls), value)))
        elif kind not in _PLAIN_TYPES and _is_record(kind):
            values[i] = (kind.__qualname__, _field_getter(kind)(value))
    return values


@lru_cache(maxsize=None)
def _is_record(cls) -> bool:
    return is_dataclass(cls)


@lru_cache(maxsize=None)
def _field_getter(cls) -> Callable[[object], tuple]:
    names = [f.name for f in fields(cls)]  # TypeError for a class that is no dataclass
    if len(names) == 1:
        return lambda record: (getattr(record, names[0]),)
    return attrgetter(*names)


def _index(corpus: Corpus) -> dict:
    return {"authors": {a.id: a.name for a in corpus.authors}, "institutions": {i.id: i for i in corpus.institutions}}


def _papers_by_file(corpus: Corpus) -> list[tuple[str, list[Paper]]]:
    """Each source document (sorted) and the papers read from it."""
    papers_by_file: dict[str, list[Paper]] = defaultdict(list)
    for paper in corpus.papers:
        for file in dict.fromkeys(s.file for s in paper.sources):
            papers_by_file[file].append(paper)
    return sorted(papers_by_file.items())


def _source_graphs(corpus: Corpus, minter: "Minter") -> Iterator[tuple[NamedNode, list[Triple]]]:
    """Each source document's graph and its sorted, unique triples, one document at a time."""
    index = _index(corpus)
    for file, papers in _papers_by_file(corpus):
        triples: set = set()
        for paper in papers:
            triples.update(_paper_triples(paper, index, minter))
        yield source_graph(minter, file), sorted(triples, key=_sort_key)


def _derived_lines(corpus: Corpus, minter: "Minter") -> Iterator[str]:
    """The derived graph's triples as sorted, unique `triple_line`s: most of a big corpus's triples
    are co-authorships, and a line costs a fraction of the memory of a Triple object."""
    lines = _derived_triple_lines(corpus, minter)
    lines.sort()
    if any(map(eq, lines, islice(lines, 1, None))):  # (a comparison a line in C: there are rarely any)
        lines = [line for i, line in enumerate(lines) if not i or line != lines[i - 1]]
    return iter(lines)


def generate_triples(corpus: Corpus, base: str = DEFAULT_BASE) -> Iterator[Triple]:
    """The union of all graphs as sorted, unique triples (for Turtle, N-Triples, JSON-LD).

    Deduplicated and sorted as N-Triples lines, then parsed back by pyoxigraph: a line costs a
    fraction of the memory of a Triple object, and a big corpus has millions."""
    return triples_from_lines(sorted({triple_line(q) for q in generate_quads(corpus, base)}))


def triple_line(quad) -> str:
    """A quad's triple as an N-Triples line without the final " ." (pyoxigraph's own term syntax)."""
    return f"{quad.subject} {quad.predicate} {quad.object}"


def triples_from_lines(lines: Iterable[str | bytes]) -> Iterator[Triple]:
    """The triples of `triple_line` strings (or their UTF-8 bytes), in the order given (callers pass
    them sorted and unique): a generator, parsed back by pyoxigraph a chunk at a time."""
    return (quad.triple for quad in quads_from_lines(lines))


def quads_from_lines(lines: Iterable[str | bytes]) -> Iterator[Quad]:
    """As triples_from_lines, but the quads pyoxigraph parses (each in the default graph), as they
    come: a triple format's writer takes them as they are, and a Triple object made from each of a
    big corpus's millions of quads costs as much as the parsing."""
    lines = iter(lines)
    while True:
        chunk = [line if isinstance(line, bytes) else line.encode("utf-8") for line in islice(lines, 50_000)]
        if not chunk:
            return
        yield from parse(b" .\n".join(chunk) + b" .\n", format=RdfFormat.N_TRIPLES)


MERGE_BUFFER = 16 << 20  # bytes read ahead by union_batches, over all its graphs


def union_lines(path, spans: Iterable[tuple[str, int, int]]) -> Iterator[bytes]:
    """The union of the named graphs of an N-Quads file as sorted, unique triple lines (UTF-8
    `triple_line`), read back from disk: `spans` are (graph IRI, start, end) byte ranges, each a
    graph's quads sorted by their triple (as generate_quads writes them). One by one, from
    `union_batches`."""
    return chain.from_iterable(union_batches(path, spans))


def union_batches(path, spans: Iterable[tuple[str, int, int]], buffer: int = MERGE_BUFFER) -> Iterator[list[bytes]]:
    """`union_lines` in consecutive sorted lists: a k-way merge done by C's sort a range at a time,
    never with all the millions of lines in memory.

    Each graph's block is read ahead in pieces (about `buffer` bytes in all, shared by size); each
    round takes as its bound the median of the last lines read ahead, reads on in the graphs whose
    lines end before it (a bounded number of lines, else the bound comes down to where it stopped),
    and sorts everything up to it from every graph (Python's sort merges the
    graphs' sorted runs; a heap in Python cost a comparison in the interpreter per line and level).
    UTF-8 bytes sort as their code points do, so the order is that of sorting the lines as strings."""
    spans = list(spans)
    total = max(1, sum(end - start for _, start, end in spans))
    with open(path, "rb") as handle:
        fd = handle.fileno()
        runs = [_Run(fd, start, end, f" <{iri}> .".encode("utf-8"), max(4096, buffer * (end - start) // total))
                for iri, start, end in spans]
        runs = [run for run in runs if run.read()]
        most = max(1, buffer // 256)  # lines one graph may read ahead for a round (~ a quarter of the buffer)
        while runs:
            bound = sorted(run.lines[-1] for run in runs)[len(runs) // 2]
            for run in runs:
                while run.lines[-1] < bound:
                    if len(run.lines) >= most:
                        # a graph dense where the others are sparse (the derived graph's co-authorships)
                        # brings the bound down rather than read on: the others hold lines up to it already
                        bound = run.lines[-1]
                        break
                    if not run.read():
                        break
            batch: list[bytes] = []
            waiting = []
            for run in runs:
                cut = bisect_right(run.lines, bound)
                batch += run.lines[:cut]
                del run.lines[:cut]
                if run.lines or run.read():
                    waiting.append(run)
            runs = waiting
            yield sorted(set(batch))


class _Run:
    """The triple lines of one graph's block of an N-Quads file, read ahead a piece at a time."""

    __slots__ = ("fd", "start", "end", "end_of_line", "size", "rest", "lines")

    def __init__(self, fd: int, start: int, end: int, suffix: bytes, size: int):
        self.fd, self.start, self.end, self.size = fd, start, end, size
        self.end_of_line = suffix + b"\n"
        self.rest = b""
        self.lines: list[bytes] = []

    def read(self) -> bool:
        """Append the next piece's lines (each without its graph); False when the block has ended."""
        while self.start < self.end:
            chunk = os.pread(self.fd, min(self.size, self.end - self.start), self.start)
            if not chunk:
                raise ValueError(f"N-Quads file ends before byte {self.end}")
            self.start += len(chunk)
            data = self.rest + chunk
            cut = data.rfind(b"\n") + 1
            if not cut:
                self.rest = data
                continue
            data, self.rest = data[:cut], data[cut:]
            lines = data.split(self.end_of_line)
            if len(lines) != data.count(b"\n") + 1 or lines[-1]:  # a newline without the graph before it
                line = next((x for x in data.split(b"\n") if x and not x.endswith(self.end_of_line[:-1])), data)
                raise ValueError(f"N-Quads line outside its graph{self.end_of_line[:-1].decode('utf-8', 'replace')}: {line[:200]!r}")
            lines.pop()
            self.lines += lines
            return True
        if self.rest:
            raise ValueError(f"N-Quads graph block does not end with a newline: {self.rest[:200]!r}")
        return False


def span_lines(fd: int, start: int, end: int, suffix: bytes, size: int = 1 << 16) -> Iterator[bytes]:
    """The triple part of each N-Quads line in bytes [start, end) of `fd` (each ends with `suffix`)."""
    cut, rest = len(suffix), b""
    while start < end:
        chunk = os.pread(fd, min(size, end - start), start)
        if not chunk:
            raise ValueError(f"N-Quads file ends before byte {end}")
        start += len(chunk)
        lines = (rest + chunk).split(b"\n")
        rest = lines.pop()
        for line in lines:
            if not line.endswith(suffix):
                raise ValueError(f"N-Quads line outside its graph{suffix.decode('utf-8', 'replace')}: {line[:200]!r}")
            yield line[:-cut]
    if rest:
        raise ValueError(f"N-Quads graph block does not end with a newline: {rest[:200]!r}")
