"""Names → plugins, by kind: the input readers, export targets, extraction engines and map views kg
knows, and the names the command line offers for them.

A registration is a record (kind, name, where the object lives, a one-line description, aliases
and metadata), not the object: the module is imported on the first `get`, so listing names and
descriptions (`kg --help`, `kg export --help`) imports none of the plugin modules. kg's own plugins
are registered below, all in one table (`_BUILTINS`); anyone else calls `register`.

What each kind's object is (the views over this table keep the old entry points):

- "reader": a parse function ``parse(text, file) -> ReadResult``; option ``detect``: the function
  ``detect(text) -> float`` (confidence in [0, 1]) beside it. See kg.ingest.registry.
- "exporter": a function ``write(corpus, out_dir, base, graph=None) -> list[str]`` (kg.export.ExportFunction);
  option ``reads_tables``. See kg.export.
- "engine": a class making an extraction engine (kg.extract.engines).
- "view": a map view's spec (kg.viz.page.MapView).

>>> "turtle" in names("exporter") and "ttl" in names("exporter")
True
>>> plugin("exporter", "ttl").name
'turtle'
>>> get("engine", "ray")
Traceback (most recent call last):
...
kg.registry.PluginNotFoundError: unknown engine 'ray'; available: dask, local
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Mapping

from .errors import FormatError

__all__ = ["KINDS", "Plugin", "PluginNotFoundError", "register", "unregister", "plugin", "get", "plugins", "names",
           "load"]

# each kind, and what the error message calls one of them ("unknown export target 'x'; available: …")
KINDS = {"reader": "input format", "exporter": "export target", "engine": "engine", "view": "view"}


class PluginNotFoundError(FormatError):
    """No plugin of that kind has that name; the message lists the names there are."""

    def __init__(self, kind: str, name: str, available: list[str]):
        super().__init__(f"unknown {KINDS.get(kind, kind)} {name!r}; available: {', '.join(available)}")
        self.kind, self.name, self.available = kind, name, tuple(available)


@dataclass(frozen=True)
class Plugin:
    """One registration: `target` is "package.module:object" (imported by `load`) or the object itself."""

    kind: str
    name: str
    target: Any
    description: str = ""
    aliases: tuple[str, ...] = ()
    options: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def load(self) -> Any:
        """The plugin's object, its module imported on first use."""
        return load(self.target)


def load(target: Any) -> Any:
    """The object "package.module:name" names (the module imported if need be); any other value as it is."""
    if not isinstance(target, str):
        return target
    module, _, attr = target.partition(":")
    return getattr(importlib.import_module(module), attr)


_TABLE: dict[str, dict[str, Plugin]] = {kind: {} for kind in KINDS}  # kind → name or alias → record


def register(kind: str, name: str, target: Any, description: str = "", *, aliases=(), **options) -> Plugin:
    """Register `target` ("package.module:object", or the object) as the `kind` plugin `name`.

    `aliases` are other names for it; `options` are kind-specific metadata (a reader's ``detect``,
    an exporter's ``reads_tables``). Raises FormatError for an unknown kind or a name already taken.
    """
    if kind not in _TABLE:
        raise FormatError(f"unknown plugin kind {kind!r}; kinds: {', '.join(KINDS)}")
    record = Plugin(kind, name, target, description, tuple(aliases), MappingProxyType(dict(options)))
    table = _TABLE[kind]
    for key in (name, *record.aliases):
        if key in table:
            raise FormatError(f"{kind} {key!r} is registered twice")
    for key in (name, *record.aliases):
        table[key] = record
    return record


def unregister(kind: str, name: str) -> None:
    """Remove the `kind` plugin `name` and its aliases (a test's dummy, say)."""
    record = plugin(kind, name)
    for key in (record.name, *record.aliases):
        _TABLE[kind].pop(key, None)


def plugin(kind: str, name: str) -> Plugin:
    """The record of the `kind` plugin called `name` (or one of its aliases); nothing is imported.
    Raises PluginNotFoundError."""
    try:
        return _TABLE[kind][name]
    except KeyError:
        raise PluginNotFoundError(kind, name, names(kind)) from None


def get(kind: str, name: str) -> Any:
    """The `kind` plugin called `name`, its module imported on first use. Raises PluginNotFoundError."""
    return plugin(kind, name).load()


def plugins(kind: str) -> list[Plugin]:
    """Every `kind` plugin once (aliases are in its record), by name."""
    return sorted({id(p): p for p in _TABLE[kind].values()}.values(), key=lambda p: p.name)


def names(kind: str) -> list[str]:
    """Every name a `kind` plugin answers to, aliases included, sorted."""
    return sorted(_TABLE[kind])


# kg's own plugins. Each module named here defines the object and nothing registers it there, so
# importing one never fills a table as a side effect (tests/test_registry.py loads every record).
_BUILTINS = (
    ("reader", "arxiv", "kg.ingest.arxiv_json:parse_arxiv_json",
     "arXiv metadata JSON lines (public snapshot layout: id, title, authors_parsed, categories, abstract, versions)",
     {"detect": "kg.ingest.arxiv_json:detect_arxiv_json"}),
    ("reader", "bibtex", "kg.ingest.bibtex:parse_bibtex",
     "BibTeX from reference managers: @article/@inproceedings/@misc…, LaTeX accents decoded, arXiv ids from eprint/url/journal",
     {"detect": "kg.ingest.bibtex:detect_bibtex"}),
    ("reader", "digest", "kg.ingest.digest:parse_digest",
     "numbered bilingual digest: 'N、[TAG] Title', authors, [institutions], summary, abstract, link",
     {"detect": "kg.ingest.digest:detect_digest"}),
    ("reader", "feed", "kg.ingest.feed:parse_feed",
     "abstract feed: one abstract per entry, each closed by 'translated by 谷歌翻译'",
     {"detect": "kg.ingest.feed:detect_feed"}),
    ("reader", "frontmatter", "kg.ingest.frontmatter:parse_frontmatter",
     "blog post with YAML front matter (title, author, categories) and Abstract / 摘要 sections",
     {"detect": "kg.ingest.frontmatter:detect_frontmatter"}),
    ("reader", "oneline", "kg.ingest.oneline:parse_oneline",
     # (not quoted whole: a quoted post would make this file one the oneline reader claims)
     "one-line paper posts among other posts: 《Title》, authors, [institutions], (year), link",
     {"detect": "kg.ingest.oneline:detect_oneline"}),
    ("reader", "paperpost", "kg.ingest.paperpost:parse_paperpost",
     "single-paper posts: '[TAG]Title Authors[Institution]' glued on one line, Chinese notes, English abstract",
     {"detect": "kg.ingest.paperpost:detect_paperpost"}),
    ("reader", "readinglist", "kg.ingest.readinglist:parse_readinglist",
     "markdown reading list: '- **Title**. A Author, B Author [Inst & Inst] (2019) [arXiv:ID](url)' under headings",
     {"detect": "kg.ingest.readinglist:detect_readinglist"}),
    ("exporter", "turtle", "kg.export.rdf:export_turtle", "RDF turtle (triples, union of all graphs) → graph.ttl",
     {"aliases": ("ttl",)}),
    ("exporter", "ntriples", "kg.export.rdf:export_ntriples", "RDF ntriples (triples, union of all graphs) → graph.nt",
     {"aliases": ("nt",)}),
    ("exporter", "nquads", "kg.export.rdf:export_nquads",
     "RDF nquads (quads, one named graph per source document) → graph.nq", {"aliases": ("nq",)}),
    ("exporter", "jsonld", "kg.export.rdf:export_jsonld", "RDF jsonld (triples, union of all graphs) → graph.jsonld",
     {"aliases": ("json-ld",)}),
    ("exporter", "trig", "kg.export.rdf:export_trig", "RDF trig (quads, one named graph per source document) → graph.trig",
     {}),
    ("exporter", "nquads-shards", "kg.export.nquads_shards:export_nquads_shards",
     "gzip N-Quads shards (a source's graph never split) + manifest.json → nquads/", {}),
    ("exporter", "neo4j", "kg.export.neo4j:export_neo4j",
     "Neo4j: neo4j-admin import CSVs, load.cypher (LOAD CSV), constraints, README → neo4j/", {"reads_tables": True}),
    ("exporter", "ladybug", "kg.export.ladybug:export_ladybug",
     "LadybugDB (Kùzu fork): schema.cypher, COPY CSVs, copy.cypher, README → ladybug/", {"reads_tables": True}),
    ("exporter", "ladybug-db", "kg.export.ladybug:export_ladybug_db",
     "LadybugDB files as `ladybug`, plus the database itself → ladybug/graph.lbdb", {"reads_tables": True}),
    ("exporter", "graphml", "kg.export.gephi:export_graphml",
     "GraphML for Gephi, yEd, Cytoscape (typed attributes) → graph.graphml", {}),
    ("exporter", "gexf", "kg.export.gephi:export_gexf", "GEXF 1.2 for Gephi (typed attributes) → graph.gexf", {}),
    ("exporter", "vosviewer", "kg.export.vosviewer:export_vosviewer",
     "VOSviewer maps: author co-authorship and topic co-occurrence → *.vosviewer.json", {}),
    ("engine", "local", "kg.extract.engines:LocalEngine",
     "this machine: nlp.pipe, with --jobs worker processes", {}),
    ("engine", "dask", "kg.extract.engines:DaskEngine",
     "a Dask cluster (--scheduler ADDRESS, or a local cluster of --jobs workers)", {}),
    ("view", "collaboration", "kg.viz.page:COLLABORATION", "authors linked by the papers they wrote together", {}),
    ("view", "institutions", "kg.viz.page:INSTITUTIONS", "institutions linked by shared papers", {}),
    ("view", "topics", "kg.viz.page:TOPICS",
     "topics linked by co-occurrence (VOSviewer-style association strength)", {}),
)

for _kind, _name, _target, _description, _options in _BUILTINS:
    register(_kind, _name, _target, _description, **_options)
del _kind, _name, _target, _description, _options
