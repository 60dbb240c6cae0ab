"""Property-based tests of every exporter on corpora with hostile text in every field (tests/fuzz/corpora.py).

Each output is read back with a real parser (pyoxigraph and rdflib for RDF, the csv module for the
property-graph CSVs, networkx and ElementTree for GraphML/GEXF, json, html.parser for the maps, a
real LadybugDB) and compared with what went in, after the normalisation each format documents in
docs/exports.md ("Hostile text"). Every corpus tried goes to the fuzz report (tests/fuzz/conftest.py).
"""

from __future__ import annotations

import csv
import functools
import json
import re
import tempfile
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import given, settings

from kg.build import read_corpus, read_graph_json, write_corpus, write_graph_json
from kg.export import export, exporter_names, get_exporter, write_papers_jsonl
from kg.export.gephi import read_gephi, write_gexf, write_graphml
from kg.export.ladybug import create_ladybug_database, write_ladybug
from kg.export.neo4j import write_neo4j
from kg.export.papers_jsonl import paper_record
from kg.export.rdf import RDF_FORMATS, write_rdf, write_void
from kg.export.vosviewer import NETWORKS, write_vosviewer
from kg.graph.build import build_graph
from kg.graph.rdf import DEFAULT_BASE, Minter, generate_quads, generate_triples, source_graph
from kg.model import Corpus
from kg.util.csvsafe import FORMULA_PREFIXES
from kg.viz import VIEWS, page_data, render_page

from ..export.test_ladybug import rows as ladybug_rows
from ..export.test_neo4j import validate_export
from .corpora import corpora
from .harness import record

# the profile tests/fuzz/conftest.py loaded: few derandomised examples in CI, KG_FUZZ_EXAMPLES=N for long runs
FUZZ = settings()
FEWER = settings(max_examples=max(5, FUZZ.max_examples // 2))  # rdflib's parsers, every target: the slow ones
SLOW = settings(max_examples=max(3, FUZZ.max_examples // 6))  # a LadybugDB per example takes ~1 s


def recorded(kind: str):
    """Keep every corpus a test tries in the fuzz report: "parsed" when its outputs read back as
    expected, "crash" with the error otherwise."""
    def decorate(test):
        @functools.wraps(test)
        def run(corpus):
            data = repr(corpus)
            what = (f"{len(corpus.papers)} papers, {len(corpus.authors)} authors, {len(corpus.institutions)} "
                    f"institutions, {len(data)} chars: {data[:60]}")
            try:
                test(corpus)
            except Exception as exc:
                record(f"export/{kind}", data, "crash", what=what, error=f"{type(exc).__name__}: {exc}"[:300])
                raise
            record(f"export/{kind}", data, "parsed", what=what)
        return run
    return decorate


# --- RDF -------------------------------------------------------------------------------------------

RDFLIB_FORMATS = {"turtle": "turtle", "ntriples": "nt", "nquads": "nquads", "trig": "trig", "jsonld": "json-ld"}
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


def _ox_term(term) -> tuple:
    if isinstance(term, ox.Literal):
        return ("literal", term.value, term.language, term.datatype.value)
    if isinstance(term, ox.DefaultGraph):
        return ("default",)
    return ("iri" if isinstance(term, ox.NamedNode) else "blank", term.value)


def _rdflib_term(term) -> tuple:
    if isinstance(term, rdflib.Literal):
        datatype = str(term.datatype) if term.datatype else (RDF_LANG_STRING if term.language else XSD_STRING)
        return ("literal", str(term), term.language, datatype)
    return ("iri" if isinstance(term, rdflib.URIRef) else "blank", str(term))


def _parse_rdflib(path: Path, name: str, quads: bool) -> set[tuple]:
    if quads:
        dataset = rdflib.Dataset()
        dataset.parse(path, format=RDFLIB_FORMATS[name])
        return {tuple(_rdflib_term(t) for t in q) for q in dataset.quads() if q[3] is not None}
    graph = rdflib.Graph()
    graph.parse(path, format=RDFLIB_FORMATS[name])
    return {tuple(_rdflib_term(t) for t in triple) for triple in graph}


def _stated_literals(corpus: Corpus) -> set[tuple]:
    """(subject IRI, predicate, literal) the corpus must give, worked out from the records alone."""
    minter = Minter(DEFAULT_BASE)
    dc, foaf = "http://purl.org/dc/terms/", "http://xmlns.com/foaf/0.1/"
    skos = "http://www.w3.org/2004/02/skos/core#"
    names = {a.id: a.name for a in corpus.authors}
    out = set()
    for paper in corpus.papers:
        subject = minter.entity(paper.id).value
        if paper.title:
            out.add((subject, dc + "title", ("literal", paper.title, None, XSD_STRING)))
        for lang, text in paper.abstracts:
            out.add((subject, dc + "abstract", ("literal", text, lang, RDF_LANG_STRING)))
        for a in paper.authorships:
            out.add((minter.entity(a.author_id).value, foaf + "name", ("literal", names[a.author_id], None, XSD_STRING)))
        for source in paper.sources:
            graph = source_graph(minter, source.file).value
            out.add((graph, dc + "identifier", ("literal", source.file, None, XSD_STRING)))
        for kind, entities in (("task", paper.tasks), ("method", paper.methods), ("dataset", paper.datasets),
                               ("metric", paper.metrics)):
            first = {}  # an entity named twice (names equal but for case) keeps its first name
            for entity in entities:
                first.setdefault(entity.name.lower(), entity)
            for key, entity in first.items():
                iri = minter.entity(f"{kind}:{key}").value
                out.add((iri, skos + "prefLabel", ("literal", entity.name, None, XSD_STRING)))
                out |= {(iri, skos + "altLabel", ("literal", a, None, XSD_STRING)) for a in entity.aliases if a != entity.name}
    return out


# slow: rdflib's parsers on every example (tests/export/test_rdf.py round-trips one hostile corpus in the fast lane)
@pytest.mark.slow
@pytest.mark.filterwarnings("ignore:.*(ConjunctiveGraph|default_context).*:DeprecationWarning")  # rdflib's own
@FEWER
@given(corpora())
@recorded("rdf")
def test_rdf_formats_parse_back_identical_in_pyoxigraph_and_rdflib(corpus):
    expected_triples = {_triple_key(t) for t in generate_triples(corpus)}
    expected_quads = {_triple_key(q) + (_ox_term(q.graph_name),) for q in generate_quads(corpus)}
    stated = _stated_literals(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        for name, (ox_format, suffix, quads) in RDF_FORMATS.items():
            path = Path(tmp) / f"graph{suffix}"
            write_rdf(corpus, path, name)
            expected = expected_quads if quads else expected_triples
            parsed = {_triple_key(t) + ((_ox_term(t.graph_name),) if quads else ())
                      for t in ox.parse(path=str(path), format=ox_format)}
            assert parsed == expected, name
            assert _parse_rdflib(path, name, quads) == expected, name
            found = {(s[1], p[1], o) for s, p, o, *_ in parsed}
            assert stated <= found, (name, sorted(stated - found)[:3])
        write_void(corpus, Path(tmp) / "void.ttl")
        void = {_triple_key(t) for t in ox.parse(path=str(Path(tmp) / "void.ttl"), format=ox.RdfFormat.TURTLE)}
        assert _parse_rdflib(Path(tmp) / "void.ttl", "turtle", False) == void
        files = {o[1] for _, p, o in void if p[1] == "http://purl.org/dc/terms/source"}
        assert files == {s.file for paper in corpus.papers for s in paper.sources}


def _triple_key(t) -> tuple:
    return (_ox_term(t.subject), _ox_term(t.predicate), _ox_term(t.object))


# --- property-graph CSVs and Cypher scripts ---------------------------------------------------------

ADMIN_TYPES = {"int": int, "long": int, "double": float, "float": float, "boolean": lambda c: c == "true"}


def _read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    return rows[0], rows[1:]


def _unneutralise(cell: str) -> str:
    return cell.removeprefix("'")


def _decode(cell: str, field: str, delimiter: str):
    """A neo4j-admin CSV cell back to its value (empty → None); text loses the spreadsheet apostrophe."""
    kind = field.partition(":")[2]
    if cell == "":
        return None
    if kind.endswith("[]"):
        return [_unneutralise(element) for element in cell.split(delimiter)]
    if kind in ADMIN_TYPES:
        return ADMIN_TYPES[kind](cell)
    return _unneutralise(cell)


def _normalised(value, delimiter: str):
    """What a value of the graph should read back as: empty text, empty lists and [""] are the empty
    cell; inside list elements the delimiter becomes a space (only when ";", "|" and U+001F all occur)."""
    if isinstance(value, (list, tuple)):
        value = [str(v).replace(delimiter, " ") for v in value]
        return None if value in ([], [""]) else value
    if value == "":
        return None
    return str(value) if not isinstance(value, (bool, int, float)) else value


def _array_delimiter(graph: nx.MultiDiGraph) -> str:
    """The documented rule: the first of ";", "|", U+001F that no list element in the graph holds."""
    elements = {str(e) for _, d in graph.nodes(data=True) for v in d.values() if isinstance(v, list) for e in v}
    elements |= {str(e) for *_, d in graph.edges(data=True) for v in d.values() if isinstance(v, list) for e in v}
    return next((d for d in (";", "|", "\x1f") if not any(d in e for e in elements)), "\x1f")


def _expected_rows(graph: nx.MultiDiGraph, delimiter: str) -> Counter:
    """Every node and relationship as (kind, key, property, value), from the graph itself."""
    rows: Counter = Counter()
    for nid, data in graph.nodes(data=True):
        for key, value in data.items():
            if key != "type" and _normalised(value, delimiter) is not None:
                rows[("node", data["type"], nid, "name" if key == "label" else key, _freeze(_normalised(value, delimiter)))] += 1
    for u, v, rel, data in graph.edges(keys=True, data=True):
        for key, value in data.items():
            if key != "type" and _normalised(value, delimiter) is not None:
                rows[("rel", rel, (u, v), key, _freeze(_normalised(value, delimiter)))] += 1
    return rows


def _freeze(value):
    return tuple(value) if isinstance(value, list) else value


def _read_rows(folder: Path, delimiter: str) -> Counter:
    """The same tuples as _expected_rows, decoded from the neo4j-admin CSV files."""
    rows: Counter = Counter()
    for path in folder.glob("*.csv"):
        header, body = _read_csv(path)
        for cells in body:
            record_ = dict(zip(header, cells))
            if path.name.startswith("nodes_"):
                kind, owner = "node", (record_[":LABEL"], _unneutralise(cells[0]))
            else:
                kind, owner = "rel", (record_[":TYPE"], (_unneutralise(cells[0]), _unneutralise(cells[1])))
            for field, cell in record_.items():
                value = _decode(cell, field, delimiter)
                if not field.startswith(":") and ":ID(" not in field and value is not None:
                    rows[(kind, *owner, field.partition(":")[0], _freeze(value))] += 1
    return rows


# A Cypher script written by the exporters, as tokens; data never enters it, so its string literals
# are file names and the array delimiter, and nothing else can end a statement.
CYPHER_TOKEN = re.compile(r"""//[^\n]*|'(?:[^'\\\n]|\\.)*'|`(?:[^`\n]|``)*`|\$?[A-Za-z_][A-Za-z0-9_]*|\d+|<>|[-+*/=<>(){}\[\]:.,;|]|\s+""")


def _cypher_tokens(text: str) -> list[str]:
    tokens, at = [], 0
    while at < len(text):
        match = CYPHER_TOKEN.match(text, at)
        assert match, f"no Cypher token at {text[at:at + 40]!r}"
        tokens.append(match.group(0))
        at = match.end()
    return tokens


def _cypher_literal(token: str) -> str:
    inner = token[1:-1]
    return re.sub(r"\\u([0-9A-Fa-f]{4})|\\(.)", lambda m: chr(int(m.group(1), 16)) if m.group(1) else m.group(2), inner)


def _check_script(path: Path, delimiter: str, csv_files: set[str]) -> None:
    tokens = _cypher_tokens(path.read_text(encoding="utf-8"))
    allowed = csv_files | {f"file:///{f}" for f in csv_files} | {delimiter, ""} | {",", '"'}  # + the CSV dialect
    literals = {_cypher_literal(t) for t in tokens if t.startswith("'")}
    assert literals <= allowed, (path.name, sorted(literals - allowed)[:3])
    statements = [t for t in tokens if t == ";"]
    assert len(statements) == sum(line.rstrip().endswith(";") for line in path.read_text(encoding="utf-8").splitlines())


@FUZZ
@given(corpora())
@recorded("property-graph")
def test_property_graph_csvs_give_back_every_value_neutralised_and_scripts_hold_no_data(corpus):
    graph = build_graph(corpus)
    delimiter = _array_delimiter(graph)
    with tempfile.TemporaryDirectory() as tmp:
        write_neo4j(corpus, tmp, graph)
        write_ladybug(corpus, tmp, graph)
        neo4j, ladybug = Path(tmp) / "neo4j", Path(tmp) / "ladybug"
        validate_export(neo4j)  # admin-import header grammar, unique ids, every endpoint exists
        assert _read_rows(neo4j, delimiter) == _expected_rows(graph, delimiter)
        csv_files = {p.name for p in neo4j.glob("*.csv")}
        for path in sorted(neo4j.glob("*.csv")):
            header, body = _read_csv(path)
            typed = [i for i, f in enumerate(header) if re.search(r":(int|long|double|float|boolean)$", f)]
            for cells in body:
                assert not [c for i, c in enumerate(cells) if i not in typed and c.startswith(FORMULA_PREFIXES[:-1])]
            # LadybugDB gets the same cells, without the :LABEL / :TYPE column
            lb_header, lb_body = _read_csv(ladybug / path.name)
            keep = [i for i, f in enumerate(header) if f not in (":LABEL", ":TYPE")]
            assert lb_header == [header[i].split(":")[0] or ("from_id", "to_id")[i] for i in keep]
            assert lb_body == [[cells[i] for i in keep] for cells in body]
        for script in [*neo4j.glob("*.cypher"), *ladybug.glob("*.cypher")]:
            _check_script(script, delimiter, csv_files)


POOL = 64 * 1024 * 1024


# slow: a LadybugDB per example (tests/export/test_ladybug.py loads one hostile corpus in the fast lane)
@pytest.mark.slow
@SLOW
@given(corpora(max_papers=2))
@recorded("ladybug-db")
def test_hostile_values_load_into_a_real_ladybugdb_unchanged(corpus):
    import real_ladybug as lb

    graph = build_graph(corpus)
    delimiter = _array_delimiter(graph)
    with tempfile.TemporaryDirectory() as tmp:
        write_ladybug(corpus, tmp, graph)
        db = create_ladybug_database(tmp, Path(tmp) / "fuzz.lbdb", buffer_pool_size=POOL)
        database = lb.Database(db, read_only=True, buffer_pool_size=POOL, max_db_size=POOL)
        conn = lb.Connection(database)
        try:
            for label in {d["type"] for _, d in graph.nodes(data=True)}:
                stored = sorted(ladybug_rows(conn, f"MATCH (n:{label}) RETURN n.id, n.name, n.sources"), key=str)
                expected = sorted((_stored_node(n, d, delimiter) for n, d in graph.nodes(data=True)
                                   if d["type"] == label), key=str)
                assert stored == expected, label
            assert ladybug_rows(conn, "MATCH ()-[r]->() RETURN count(r)") == [[graph.number_of_edges()]]
        finally:  # each open database maps max_db_size of address space
            conn.close()
            database.close()


def _stored_node(nid: str, data: dict, delimiter: str) -> list:
    """[id, name, sources] as LadybugDB should hold them: cells as written, "" as null."""
    sources = [_written(s.replace(delimiter, " ")) for s in data["sources"]]
    return [_written(nid), _written(data["label"]) or None, sources]


def _written(text: str) -> str:
    """A text cell as the CSV holds it (and the database receives it): the spreadsheet apostrophe added."""
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


# --- GraphML and GEXF ------------------------------------------------------------------------------

XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _xml_text(value) -> str:
    """The documented normalisation: lists joined with "; ", characters XML 1.0 cannot hold dropped."""
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    return XML_INVALID.sub("", str(value))


@FUZZ
@given(corpora())
@recorded("gephi")
def test_graphml_and_gexf_read_back_every_node_and_edge(corpus):
    graph = build_graph(corpus)
    clean_ids = Counter(_xml_text(n) for n in graph)
    expected = {_xml_text(n): (_xml_text(d["label"]) or _xml_text(n), _xml_text(d["sources"]))
                for n, d in graph.nodes(data=True) if clean_ids[_xml_text(n)] == 1}
    edge_types = Counter(k for *_, k in graph.edges(keys=True))
    with tempfile.TemporaryDirectory() as tmp:
        write_graphml(graph, Path(tmp) / "g.graphml")
        write_gexf(graph, Path(tmp) / "g.gexf")
        # networkx's own readers refuse the undirected co-authorship edges in a directed graph
        back_graphml = read_gephi(Path(tmp) / "g.graphml")
        back_gexf = read_gephi(Path(tmp) / "g.gexf")
        for back, rel in ((back_graphml, "type"), (back_gexf, "label")):
            assert back.number_of_nodes() == graph.number_of_nodes()  # no two ids merged
            got = {n: (d["label"], d["sources"]) for n, d in back.nodes(data=True) if n in expected}
            assert got == expected
            assert Counter(d[rel] for *_, d in back.edges(data=True)) == edge_types


# --- JSON outputs ------------------------------------------------------------------------------------

@FUZZ
@given(corpora())
@recorded("json")
def test_json_outputs_read_back_identical(corpus):
    """corpus.json, papers.jsonl, graph.json and the VOSviewer maps."""
    graph = build_graph(corpus)
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        write_corpus(corpus, out / "corpus.json")
        assert read_corpus(out / "corpus.json") == corpus
        write_papers_jsonl(corpus, out / "papers.jsonl")
        lines = (out / "papers.jsonl").read_text(encoding="utf-8").split("\n")
        assert lines[-1] == "" and len(lines) == len(corpus.papers) + 1  # a raw line break in no record
        records = [json.loads(line) for line in lines[:-1]]
        assert [r["id"] for r in records] == sorted(p.id for p in corpus.papers)
        by_id = {p.id: p for p in corpus.papers}
        for r in records:
            paper = by_id[r["id"]]
            assert (r["title"], [a["name"] for a in r["authors"]], r["sources"]) == (
                paper.title, [a.printed for a in paper.authorships], [{"file": s.file, "line": s.line} for s in paper.sources])
            assert r == json.loads(json.dumps(paper_record(paper)))
        write_graph_json(graph, out / "graph.json")
        back = read_graph_json(out / "graph.json")
        assert dict(back.nodes(data=True)) == dict(graph.nodes(data=True))
        assert sorted(back.edges(keys=True, data=True), key=repr) == sorted(graph.edges(keys=True, data=True), key=repr)
        write_vosviewer(graph, out)
        for stem, (_node_type, relation, *_) in NETWORKS.items():
            doc = json.loads((out / f"{stem}.vosviewer.json").read_text(encoding="utf-8"))
            linked = {n for u, v, k in graph.edges(keys=True) if k == relation and u != v for n in (u, v)}
            assert sorted(i["label"] for i in doc["network"]["items"]) == sorted(graph.nodes[n]["label"] for n in linked)


# --- HTML maps -------------------------------------------------------------------------------------

class _Elements(HTMLParser):
    """Start tags, script bodies and event-handler attributes of a page, as a browser tokenises them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: Counter = Counter()
        self.scripts: list[list] = []  # [id attribute, text] per script element
        self.handlers: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags[(tag, dict(attrs).get("id"))] += 1
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        if tag == "script":
            self._in_script = True
            self.scripts.append([dict(attrs).get("id"), ""])

    def handle_endtag(self, tag):
        self._in_script = self._in_script and tag != "script"

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1][1] += data


def _elements(html: str) -> _Elements:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser


EMPTY_PAGES = {view: _elements(render_page(view, Corpus((), (), ()))) for view in VIEWS}


@FUZZ
@given(corpora())
@recorded("html")
def test_html_maps_carry_hostile_text_as_data_only(corpus):
    for view in VIEWS:
        page = _elements(render_page(view, corpus))
        template = EMPTY_PAGES[view]
        assert page.tags["script", None] == template.tags["script", None]  # no script element from data
        extra = set(page.tags) - set(template.tags) - {("p", "cap")}  # the cap note is the template's own
        assert not extra and not page.handlers
        [data] = [text for script_id, text in page.scripts if script_id == "kg-data"]
        assert json.loads(data) == json.loads(json.dumps(page_data(view, corpus)))


# --- every registered exporter -----------------------------------------------------------------------

def _parses(path: Path) -> None:
    """Read one written file with the parser its suffix calls for."""
    name = path.name
    if name.endswith(".gz"):
        import gzip

        with gzip.open(path, "rb") as handle:
            list(ox.parse(handle, format=ox.RdfFormat.N_QUADS))
    elif path.suffix in (".ttl", ".nt", ".nq", ".trig", ".jsonld"):
        list(ox.parse(path=str(path), format=ox.RdfFormat.from_extension(path.suffix[1:])))
    elif path.suffix == ".csv":
        _read_csv(path)
    elif path.suffix == ".json":
        json.loads(path.read_text(encoding="utf-8"))
    elif path.suffix in (".graphml", ".gexf"):
        import xml.etree.ElementTree as ET

        ET.parse(path)
    elif path.suffix == ".cypher":
        _cypher_tokens(path.read_text(encoding="utf-8"))
    else:
        path.read_text(encoding="utf-8") if path.suffix in (".md", ".txt") else path.stat()


@FEWER
@given(corpora())
@recorded("all-exporters")
def test_every_registered_exporter_writes_files_that_parse(corpus):
    graph = build_graph(corpus)
    targets = sorted({get_exporter(name).name for name in exporter_names()} - {"ladybug-db"})
    with tempfile.TemporaryDirectory() as tmp:
        for target in targets:
            written = export(target, corpus, Path(tmp) / target, graph=graph)
            assert written, target
            for path in written:
                _parses(Path(path))
