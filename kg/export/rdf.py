"""RDF exports: Turtle, N-Triples, N-Quads (a named graph per source document), JSON-LD, TriG.

Serialisation is pyoxigraph's (fast, escapes every literal and IRI correctly); the terms come
from kg.graph.rdf.
"""

from __future__ import annotations

from collections import Counter
from hashlib import blake2b
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import RdfFormat, serialize

from .. import registry
from ..graph.rdf import DEFAULT_BASE, PREFIXES, Minter, generate_quads, generate_triples, triple_line
from ..model import Corpus
from ..util.atomic import atomic_open

__all__ = ["RDF_FORMATS", "VoidCounts", "generate_void", "write_rdf", "write_void", "export_turtle", "export_ntriples",
           "export_nquads", "export_jsonld", "export_trig"]

# name → (pyoxigraph format, file suffix, quads?)
RDF_FORMATS = {
    "turtle": (RdfFormat.TURTLE, ".ttl", False),
    "ntriples": (RdfFormat.N_TRIPLES, ".nt", False),
    "nquads": (RdfFormat.N_QUADS, ".nq", True),
    "jsonld": (RdfFormat.JSON_LD, ".jsonld", False),
    "trig": (RdfFormat.TRIG, ".trig", True),
}


def write_rdf(corpus: Corpus, path, format: str = "turtle", base: str = DEFAULT_BASE, triples=None) -> list[str]:
    """Write the corpus as RDF in `format` (a name of RDF_FORMATS, or its export target's alias:
    "ttl", "nt"…) to `path` (atomically); returns the paths written.

    `triples`: the corpus's sorted unique triples when the caller has them already (a build makes
    them while writing graph.nq), for a triple format: Triples, or Quads in the default graph."""
    name = format if format in RDF_FORMATS else registry.plugin("exporter", format).name
    rdf_format, _, quads = RDF_FORMATS[name]
    minter = Minter(base)
    if quads:
        data = generate_quads(corpus, base)
    else:
        data = triples if triples is not None else generate_triples(corpus, base)
    prefixes = minter.prefixes if name in ("turtle", "trig", "jsonld") else None
    if name == "jsonld":
        return _write_compact_jsonld(data, path, minter.prefixes)
    with atomic_open(path, "wb") as handle:
        serialize(data, handle, rdf_format, prefixes=prefixes)
    return [str(path)]


def _write_compact_jsonld(triples, path, prefixes: dict) -> list[str]:
    """JSON-LD with an @context of the prefixes: pyoxigraph writes expanded JSON-LD, and compact IRIs
    ("foaf:name") under a prefix context are the same graph, readable by people."""
    import json

    expanded = json.loads(serialize(triples, format=RdfFormat.JSON_LD))
    ordered = sorted(prefixes.items(), key=lambda kv: -len(kv[1]))  # longest namespace wins

    def compact(iri: str) -> str:
        for prefix, ns in ordered:
            if iri.startswith(ns) and len(iri) > len(ns):
                return f"{prefix}:{iri[len(ns):]}"
        return iri

    def walk(node):
        if isinstance(node, list):
            return [walk(x) for x in node]
        if isinstance(node, dict):
            out = {}
            for key, value in node.items():
                if key == "@id" or key == "@type":
                    out[key] = [compact(x) for x in value] if isinstance(value, list) else compact(value)
                elif key.startswith("@"):
                    out[key] = walk(value)
                else:
                    out[compact(key)] = walk(value)
            return out
        return node

    graph = expanded if isinstance(expanded, list) else expanded.get("@graph", [expanded])
    doc = {"@context": dict(sorted(prefixes.items())), "@graph": walk(graph)}
    with atomic_open(path) as handle:
        json.dump(doc, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    return [str(path)]


def _rdf_target(name: str):
    """The export target of the RDF format `name`: graph<suffix> in the folder given."""
    suffix = RDF_FORMATS[name][1]

    def export(corpus: Corpus, out_dir, base: str = DEFAULT_BASE, graph=None) -> list[str]:
        return write_rdf(corpus, Path(out_dir) / f"graph{suffix}", name, base)

    export.__name__ = export.__qualname__ = f"export_{name}"
    export.__doc__ = f"The `{name}` target (kg.export.ExportFunction): out_dir/graph{suffix}."
    return export


export_turtle = _rdf_target("turtle")
export_ntriples = _rdf_target("ntriples")
export_nquads = _rdf_target("nquads")
export_jsonld = _rdf_target("jsonld")
export_trig = _rdf_target("trig")


class VoidCounts:
    """What VoID states about a graph's size, counted in one pass over its sorted, unique triple
    lines (UTF-8 `triple_line`s, as kg.graph.rdf.union_lines gives them).

    Sorted lines keep each subject's triples together, so distinct subjects (and typed ones,
    VoID's entities) are counted as runs; only distinct objects need a set."""

    def __init__(self) -> None:
        self.triples = 0
        self.subjects = 0
        self.entities = 0
        self.properties: Counter = Counter()  # predicate line term ("<iri>") → triples
        self.classes: Counter = Counter()  # class line term → typed subjects
        self._objects: set[bytes] = set()
        self._subject = self._last = None
        self._typed = False

    @property
    def objects(self) -> int:
        return len(self._objects)

    def counting(self, lines: Iterable[bytes]) -> Iterator[bytes]:
        """`lines`, passed through unchanged and counted on the way (so the counting rides along
        with another pass, such as the Turtle writer's)."""
        add = self.add
        for line in lines:
            add(line)
            yield line

    def add(self, line: bytes) -> None:
        if self._last is not None and line <= self._last:
            raise ValueError(f"VoID counts need sorted, unique triple lines; got {line[:200]!r} after {self._last[:200]!r}")
        self._last = line
        subject, predicate, obj = line.split(b" ", 2)
        self.triples += 1
        self.properties[predicate] += 1
        # a long object (an abstract) is kept as its 128-bit digest: distinct as the term itself
        # but for a collision no one has found, and a fraction of the memory
        self._objects.add(obj if len(obj) <= _SHORT else b"\0" + blake2b(obj, digest_size=16).digest())
        if subject != self._subject:
            self._subject, self._typed = subject, False
            self.subjects += 1
        if predicate == _RDF_TYPE_TERM:
            self.classes[obj] += 1
            if not self._typed:
                self._typed = True
                self.entities += 1


_SHORT = 32  # bytes; no N-Triples term starts with a NUL, so a digest never equals a short term
_RDF_TYPE_TERM = f"<{PREFIXES['rdf']}type>".encode("utf-8")


def generate_void(corpus: Corpus, base: str = DEFAULT_BASE, triples=None, counts=None):
    """A VoID description of one build: sizes, class and property partitions, vocabularies, and one
    subset per source document (its named graph), as sorted triples.

    `counts`: the counts of the corpus's triples when the caller took them on another pass (a
    VoidCounts, or the UnionTotals kg.export.turtle_chunks gives with graph.ttl); else they are
    counted from `triples` (sorted and unique, as generate_triples gives them)."""
    from pyoxigraph import Literal, NamedNode, Triple

    from ..graph.rdf import RDF_TYPE, XSD_INTEGER, source_graph

    void = PREFIXES["void"]
    minter = Minter(base)
    dataset = minter.iri("void", "dataset")
    if counts is None:
        counts = VoidCounts()
        for t in triples if triples is not None else generate_triples(corpus, base):
            counts.add(triple_line(t).encode("utf-8"))
    classes = Counter({term.decode("utf-8")[1:-1]: n for term, n in counts.classes.items()})
    properties = Counter({term.decode("utf-8")[1:-1]: n for term, n in counts.properties.items()})

    def n(value: int) -> Literal:
        return Literal(str(value), datatype=XSD_INTEGER)

    def v(local: str) -> NamedNode:
        return NamedNode(void + local)

    out = [
        Triple(dataset, RDF_TYPE, v("Dataset")),
        Triple(dataset, NamedNode(PREFIXES["dcterms"] + "title"), Literal("kg build of AI research digests")),
        Triple(dataset, v("triples"), n(counts.triples)),
        Triple(dataset, v("entities"), n(counts.entities)),
        Triple(dataset, v("distinctSubjects"), n(counts.subjects)),
        Triple(dataset, v("distinctObjects"), n(counts.objects)),
        Triple(dataset, v("classes"), n(len(classes))),
        Triple(dataset, v("properties"), n(len(properties))),
        Triple(dataset, v("uriSpace"), Literal(minter.base)),
        Triple(dataset, v("feature"), NamedNode("http://www.w3.org/ns/formats/Turtle")),
        Triple(dataset, v("feature"), NamedNode("http://www.w3.org/ns/formats/N-Quads")),
    ]
    vocabularies = {ns for ns in PREFIXES.values() if any(p.startswith(ns) for p in properties) or any(c.startswith(ns) for c in classes)}
    out += [Triple(dataset, v("vocabulary"), NamedNode(ns)) for ns in sorted(vocabularies)]
    def short(iri: str) -> str:
        for prefix, ns in sorted(PREFIXES.items()):
            if iri.startswith(ns):
                return f"{prefix}-{iri[len(ns):]}"
        return iri

    for cls, count in sorted(classes.items()):
        part = minter.iri("void", "class", short(cls))
        out += [Triple(dataset, v("classPartition"), part), Triple(part, v("class"), NamedNode(cls)),
                Triple(part, v("entities"), n(count))]
    for prop, count in sorted(properties.items()):
        part = minter.iri("void", "property", short(prop))
        out += [Triple(dataset, v("propertyPartition"), part), Triple(part, v("property"), NamedNode(prop)),
                Triple(part, v("triples"), n(count))]
    for file in sorted({s.file for p in corpus.papers for s in p.sources}):
        graph = source_graph(minter, file)
        out += [Triple(dataset, v("subset"), graph), Triple(graph, RDF_TYPE, v("Dataset")),
                Triple(graph, NamedNode(PREFIXES["dcterms"] + "source"), Literal(file))]
    return sorted(set(out), key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))


def write_void(corpus: Corpus, path, base: str = DEFAULT_BASE, files=(), triples=None, void=None) -> list[str]:
    """Write void.ttl describing the build; `files` (the dumps written beside it) become void:dataDump;
    `triples` as for write_rdf; `void`: what generate_void gave, when the caller made it earlier."""
    from pathlib import Path

    from pyoxigraph import NamedNode, Triple

    from ..graph.rdf import PREFIXES

    minter = Minter(base)
    triples = list(void) if void is not None else generate_void(corpus, base, triples)
    dataset = minter.iri("void", "dataset")
    for name in sorted(Path(f).name for f in files):
        if name.endswith((".ttl", ".nq", ".nt", ".jsonld", ".trig")):
            # dumps sit beside void.ttl; relative to the base they are <base>dump/<name>
            triples.append(Triple(dataset, NamedNode(PREFIXES["void"] + "dataDump"), minter.iri("dump", name)))
    with atomic_open(path, "wb") as handle:
        serialize(triples, handle, RdfFormat.TURTLE, prefixes={"void": PREFIXES["void"], "kg": minter.base,
                                                                 "dcterms": PREFIXES["dcterms"], "xsd": PREFIXES["xsd"]})
    return [str(path)]
