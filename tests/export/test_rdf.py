"""RDF exports: parse back in rdflib and pyoxigraph, named graphs, SHACL, hostile literals, --base."""

import json
from dataclasses import replace

import pyoxigraph as ox
import pytest
import rdflib

from kg.export.rdf import write_rdf
from kg.graph.rdf import Minter
from kg.model import Entity, Entry, Extraction, Source
from kg.resolve import resolve
from kg.sparql.validate import validate_graph

from ..fixtures import corpus as fixture
from ..fixtures.corpus import BYLINE, HOSTILE_NAME, KN

HOSTILE_TITLE = 'A "quoted" title\nwith a newline, a back\\slash, <b>markup</b> & emoji 😀 𝔘 and a tab\t.'
HOSTILE_AUTHOR = '"><script>alert(2)</script>'
HOSTILE_TASK = 'task "quoted" <b>x</b> & a back\\slash\nsecond line'
HOSTILE_ALIAS = "alias 'one' \"two\" <three>\n"


def hostile_corpus():
    entry = Entry(
        source=Source("weird dir/fi'le #1.txt", 3), format="digest", number=1, tag="LG", title=HOSTILE_TITLE,
        authors=(HOSTILE_AUTHOR, "R P. Adams"), institutions=("Univ. \"X\" <Lab>",),
        abstract="An abstract with \\u0000-like text \\n and \"quotes\" " * 3, urls=("https://arxiv.org/abs/2101.00001",),
        arxiv_id="2101.00001",
    )
    extraction = Extraction(topics=(('topic with "quotes" > and spaces', 1.0), ("x/y#z?", 0.5)),
                            methods=(Entity("A<B>", ("Alpha \"Beta\"",), "defined"),), datasets=(Entity("Data set\n2"),),
                            code=("https://github.com/a/b",))
    corpus = resolve([entry], [extraction])
    # the typed entities as given, whatever entity resolution would make of them: these test the exporters
    paper = replace(corpus.papers[0], tasks=(Entity(HOSTILE_TASK, (HOSTILE_ALIAS,), "title"),), metrics=(Entity("F1 <&>"),))
    return replace(corpus, papers=(paper,))


@pytest.mark.parametrize("fmt, rdflib_format", [("turtle", "turtle"), ("ntriples", "nt"), ("nquads", "nquads"), ("jsonld", "json-ld")])
def test_hostile_literals_round_trip(tmp_path, fmt, rdflib_format):
    corpus = hostile_corpus()
    path = tmp_path / f"g.{fmt}"
    write_rdf(corpus, path, fmt)
    graph = rdflib.Dataset() if fmt == "nquads" else rdflib.Graph()
    graph.parse(path, format=rdflib_format)

    def values(predicate):
        quads = graph.quads((None, rdflib.URIRef(predicate), None, None)) if fmt == "nquads" else (
            (s, p, o, None) for s, p, o in graph.triples((None, rdflib.URIRef(predicate), None)))
        return {str(o) for _, _, o, _ in quads}

    assert values("http://purl.org/dc/terms/title") == {HOSTILE_TITLE}
    assert values("http://xmlns.com/foaf/0.1/name") == {HOSTILE_AUTHOR, "R P. Adams"}
    assert 'topic with "quotes" > and spaces' in values("http://www.w3.org/2004/02/skos/core#prefLabel")
    printed = values("https://w3id.org/kg-digests/ontology#printedName")
    assert {'Univ. "X" <Lab>', HOSTILE_AUTHOR} <= printed
    assert {HOSTILE_TASK, "F1 <&>"} <= values("http://www.w3.org/2004/02/skos/core#prefLabel")
    assert HOSTILE_ALIAS in values("http://www.w3.org/2004/02/skos/core#altLabel")
    # only links named in a title or defined are qualified ("mentioned" is what no EntityLink means)
    assert values("https://w3id.org/kg-digests/ontology#via") == {"title", "defined"}


def test_iris_are_safe_and_follow_the_base():
    minter = Minter("http://data.example.com/kg")
    iri = minter.entity('topic:a "b" <c> d/e#f').value
    assert iri == "http://data.example.com/kg/topic/a%20%22b%22%20%3Cc%3E%20d%2Fe%23f"
    assert minter.entity("arxiv:2104.08696").value == "http://data.example.com/kg/paper/arxiv/2104.08696"


def test_base_option_changes_every_minted_iri(tmp_path):
    corpus = hostile_corpus()
    write_rdf(corpus, tmp_path / "a.nt", "ntriples", base="http://one.example/")
    text = (tmp_path / "a.nt").read_text(encoding="utf-8")
    assert "http://one.example/paper/arxiv/2101.00001" in text and "example.org/kg" not in text


@pytest.fixture(scope="module")
def fixture_rdf(fixture_corpus, tmp_path_factory):
    """graph.ttl and graph.nq of the fixture corpus, as a build names them."""
    folder = tmp_path_factory.mktemp("rdf")
    write_rdf(fixture_corpus, folder / "graph.ttl", "turtle")
    write_rdf(fixture_corpus, folder / "graph.nq", "nquads")
    return folder


def test_turtle_parses_in_rdflib_and_pyoxigraph_to_same_count(fixture_rdf):
    ttl = fixture_rdf / "graph.ttl"
    g = rdflib.Graph().parse(ttl, format="turtle")
    store = ox.Store()
    store.load(path=str(ttl), format=ox.RdfFormat.TURTLE)
    assert len(g) == len(store) == 380
    papers = set(g.subjects(rdflib.RDF.type, rdflib.URIRef("http://purl.org/spar/fabio/Preprint")))
    assert sorted(papers) == [rdflib.URIRef(f"https://example.org/kg/paper/{p}") for p in (
        "arxiv/2101.00001", "arxiv/2102.00002", "arxiv/2203.00003", "title/5f1d0c3b9a7e2d41")]
    assert rdflib.Literal(HOSTILE_NAME) in set(g.objects(None, rdflib.FOAF.name))
    assert rdflib.Literal("语言模型", lang="zh") in set(g.objects(None, rdflib.SKOS.altLabel))


def test_nquads_has_one_named_graph_per_source(fixture_rdf):
    store = ox.Store()
    store.load(path=str(fixture_rdf / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    graphs = sorted(g.value for g in store.named_graphs())
    assert graphs == [
        "https://example.org/kg/graph/derived",
        "https://example.org/kg/source/digest.txt",
        "https://example.org/kg/source/feed.txt",
        "https://example.org/kg/source/notes%2Fit%27s%20a%20%22note%22%20%231.md",
    ]
    # paper KN was read from two files, so both graphs state it
    kn = [q for q in store.quads_for_pattern(None, ox.NamedNode("https://w3id.org/kg-digests/ontology#usesMethod"),
                                             ox.NamedNode("https://example.org/kg/method/kn"), None)]
    assert sorted(q.graph_name.value for q in kn) == ["https://example.org/kg/source/digest.txt",
                                                      "https://example.org/kg/source/feed.txt"]


def test_graph_conforms_to_shapes_and_a_broken_graph_does_not(fixture_rdf):
    g = rdflib.Graph().parse(fixture_rdf / "graph.ttl", format="turtle")
    assert validate_graph(g).conforms
    kgo = rdflib.Namespace("https://w3id.org/kg-digests/ontology#")
    authorship = next(g.subjects(rdflib.RDF.type, kgo.Authorship))
    g.remove((authorship, kgo.position, None))
    person = next(g.subjects(rdflib.RDF.type, rdflib.FOAF.Person))
    g.add((person, rdflib.FOAF.name, rdflib.Literal("Second Name")))
    g.add((rdflib.URIRef("https://example.org/kg/paper/x"), rdflib.RDF.type, rdflib.URIRef("http://purl.org/spar/fabio/Preprint")))
    result = validate_graph(g)
    assert not result.conforms
    assert result.violations == 5  # no position; two names; the stray paper: no ScholarlyArticle type, no source, no location
    # positions count from 1: a 0 breaks sh:minInclusive 1
    other = next(a for a in g.subjects(rdflib.RDF.type, kgo.Authorship) if a != authorship)
    g.set((other, kgo.position, rdflib.Literal(0)))
    assert validate_graph(g).violations == 6


def test_authorship_positions_and_iris_count_from_1(fixture_rdf):
    """Fixture paper KN: D Dai is the first author, kgo:position 1, authorship
    <…/paper/arxiv/2101.00001/authorship/1>."""
    store = ox.Store()
    store.load(path=str(fixture_rdf / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    paper = "https://example.org/kg/paper/arxiv/2101.00001"
    answer = store.query(f"""
        PREFIX kgo: <https://w3id.org/kg-digests/ontology#>
        SELECT DISTINCT ?signature ?position ?printed WHERE {{
          GRAPH ?g {{ <{paper}> kgo:hasAuthorship ?signature .
                     ?signature kgo:position ?position ; kgo:printedName ?printed }}
        }} ORDER BY ?position""")
    got = [(row["signature"].value, row["position"].value, row["position"].datatype.value, row["printed"].value) for row in answer]
    names = BYLINE[KN]
    assert got == [(f"{paper}/authorship/{k}", str(k), "http://www.w3.org/2001/XMLSchema#integer", name)
                   for k, name in enumerate(names, 1)]
    first = store.query("PREFIX kgo: <https://w3id.org/kg-digests/ontology#> ASK { ?s kgo:position 0 }")
    assert not bool(first)


def test_void_and_jsonld_context(fixture_corpus, fixture_rdf, tmp_path):
    from kg.export.rdf import write_void

    write_void(fixture_corpus, tmp_path / "void.ttl", files=[fixture_rdf / "graph.ttl", fixture_rdf / "graph.nq"])
    void = rdflib.Graph().parse(tmp_path / "void.ttl", format="turtle")
    triples = rdflib.Graph().parse(fixture_rdf / "graph.ttl", format="turtle")
    dataset = rdflib.URIRef("https://example.org/kg/void/dataset")
    count = void.value(dataset, rdflib.URIRef("http://rdfs.org/ns/void#triples"))
    assert int(count) == len(triples)
    assert sorted(void.objects(dataset, rdflib.URIRef("http://rdfs.org/ns/void#dataDump"))) == [
        rdflib.URIRef("https://example.org/kg/dump/graph.nq"), rdflib.URIRef("https://example.org/kg/dump/graph.ttl")]
    write_rdf(fixture_corpus, tmp_path / "g.jsonld", "jsonld")
    doc = json.loads((tmp_path / "g.jsonld").read_text(encoding="utf-8"))
    assert doc["@context"]["foaf"] == "http://xmlns.com/foaf/0.1/"
    assert len(rdflib.Graph().parse(tmp_path / "g.jsonld", format="json-ld")) == len(triples)


@pytest.mark.model
def test_void_counts_equal_rdflib_counts_of_graph_ttl(seed_build, seeds_dir):
    """void.ttl's sizes (counted on the Turtle writer's pass over the merged graphs) against rdflib's
    own count of graph.ttl: subjects, objects, typed subjects, per-class and per-property counts."""
    void = rdflib.Graph().parse(seeds_dir / "exports" / "void.ttl", format="turtle")
    g = rdflib.Graph().parse(seeds_dir / "exports" / "graph.ttl", format="turtle")
    vd = rdflib.Namespace("http://rdfs.org/ns/void#")
    dataset = rdflib.URIRef("https://example.org/kg/void/dataset")
    assert int(void.value(dataset, vd.distinctSubjects)) == len(set(g.subjects()))
    assert int(void.value(dataset, vd.distinctObjects)) == len(set(g.objects()))
    assert int(void.value(dataset, vd.entities)) == len(set(g.subjects(rdflib.RDF.type, None)))
    for part in void.objects(dataset, vd.classPartition):
        cls = void.value(part, vd["class"])
        assert int(void.value(part, vd.entities)) == len(set(g.subjects(rdflib.RDF.type, cls)))
    for part in void.objects(dataset, vd.propertyPartition):
        prop = void.value(part, vd.property)
        assert int(void.value(part, vd.triples)) == len(list(g.triples((None, prop, None))))


def test_union_lines_merges_sorted_graph_blocks_into_sorted_unique_triples(tmp_path):
    from kg.export.rdf import VoidCounts
    from kg.graph.rdf import triple_line, union_lines

    a, b, c = (ox.NamedNode(f"https://example.org/{x}") for x in ("a", "b", "c"))
    triples = [ox.Triple(a, b, c), ox.Triple(a, b, ox.Literal('x "y"\n<z>', language="en")),
               ox.Triple(b, a, ox.Literal("é")), ox.Triple(c, a, a)]
    graphs = {"https://example.org/g1": triples[:3], "https://example.org/g%202": triples[1:]}
    path, spans, offset = tmp_path / "g.nq", [], 0
    with open(path, "wb") as handle:
        for iri, group in graphs.items():
            group = sorted(group, key=str)
            block = ox.serialize([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri)) for t in group],
                                 format=ox.RdfFormat.N_QUADS)
            handle.write(block)
            spans.append((iri, offset, offset + len(block)))
            offset += len(block)
    lines = list(union_lines(path, spans))
    assert lines == sorted({triple_line(t).encode("utf-8") for t in triples})
    counts = VoidCounts()
    assert list(counts.counting(lines)) == lines
    assert (counts.triples, counts.subjects, counts.objects) == (4, 3, 4)
    with pytest.raises(ValueError, match="sorted, unique"):
        list(VoidCounts().counting(lines[::-1]))
    with pytest.raises(ValueError, match="outside its graph"):
        list(union_lines(path, [("https://example.org/other", 0, spans[0][2])]))


def test_void_counts_long_objects_by_digest_as_distinct_as_the_terms():
    """Objects longer than 32 bytes are kept as digests: equal ones still count once, and ones that
    differ only after a long common prefix (or only in language tag) still count apart."""
    from kg.export.rdf import VoidCounts

    long = '"' + "x" * 100
    objects = [f'{long}"', f'{long}"', f'{long}y"', f'{long}"@en', '"short"', f'{long}"@en']
    lines = sorted({f"<https://example.org/s{i}> <https://example.org/p> {o}".encode() for i, o in enumerate(objects)})
    counts = VoidCounts()
    for line in lines:
        counts.add(line)
    assert (counts.triples, counts.subjects, counts.objects) == (6, 6, 4)


@pytest.mark.parametrize("max_quads", [None, 1, 3])
def test_nquads_blocks_are_the_quads_serialised_graph_by_graph(fixture_corpus, max_quads):
    """What kg build writes to graph.nq and the store: generate_quads serialised by pyoxigraph, byte
    for byte (the derived graph's lines are written directly), each block one graph's (or a piece
    of at most `max_quads` quads of one graph), every graph's blocks together."""
    from itertools import groupby

    from kg.build.store import graph_blocks
    from kg.graph.rdf import generate_quads, nquads_blocks

    for corpus in (fixture_corpus, hostile_corpus()):
        blocks = list(nquads_blocks(corpus, max_quads=max_quads))
        assert b"".join(b for _, b in blocks) == ox.serialize(generate_quads(corpus), format=ox.RdfFormat.N_QUADS)
        assert blocks == list(graph_blocks(generate_quads(corpus), max_quads))
        runs = [g for g, _ in groupby(g for g, _ in blocks)]
        assert len(runs) == len(set(runs))  # no graph comes back after another
        assert runs[-1] == "https://example.org/kg/graph/derived"
        if max_quads:
            assert all(block.count(b"\n") <= max_quads for _, block in blocks)


KGO = "https://w3id.org/kg-digests/ontology#"
MLS = "http://www.w3.org/ns/mls#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_LABEL = "http://www.w3.org/2000/01/rdf-schema#label"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def _statements(store, subject: str, graph=None) -> set[tuple[str, str]]:
    """(predicate, object) of every triple about `subject` in the store's default graph (or `graph`)."""
    graph = ox.DefaultGraph() if graph is None else ox.NamedNode(graph)
    return {(q.predicate.value, q.object.value) for q in store.quads_for_pattern(ox.NamedNode(subject), None, None, graph)}


@pytest.fixture(scope="module")
def fixture_store(fixture_rdf):
    store = ox.Store()
    store.load(path=str(fixture_rdf / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")  # the union, as kg query has it
    return store


def test_a_task_its_labels_and_the_link_that_says_how_the_paper_found_it(fixture_store):
    """FSS names "few-shot semantic segmentation" in its title (alias FSS): the task, the direct
    kgo:addressesTask, and the kgo:EntityLink <paper>/link/task/<name> with kgo:via "title"."""
    paper = "https://example.org/kg/paper/arxiv/2102.00002"
    task = "https://example.org/kg/task/few-shot%20semantic%20segmentation"
    link = paper + "/link/task/few-shot%20semantic%20segmentation"
    assert _statements(fixture_store, task) == {
        (RDF_TYPE, KGO + "Task"), (RDF_TYPE, MLS + "Task"), (RDFS_LABEL, "few-shot semantic segmentation"),
        (SKOS + "prefLabel", "few-shot semantic segmentation"), (SKOS + "altLabel", "FSS")}
    assert _statements(fixture_store, link) == {
        (RDF_TYPE, KGO + "EntityLink"), (KGO + "linkedEntity", task), (KGO + "via", "title")}
    about_paper = _statements(fixture_store, paper)
    assert (KGO + "addressesTask", task) in about_paper and (KGO + "hasEntityLink", link) in about_paper
    # stated in the named graph of the document the paper was read from
    assert _statements(fixture_store, link, "https://example.org/kg/source/digest.txt") == _statements(fixture_store, link)
    # only the links named in the title or defined are qualified; the others were mentioned
    links = {o for p, o in about_paper if p == KGO + "hasEntityLink"}
    assert sorted(link.removeprefix(paper + "/link/") for link in links) == [
        "method/cmt", "task/few-shot%20semantic%20segmentation"]
    assert (KGO + "usesDataset", "https://example.org/kg/dataset/coco") in about_paper


def test_every_entity_type_with_its_ml_schema_class_and_the_aliases_of_every_paper(fixture_store):
    method = "https://example.org/kg/method/cmt"
    assert _statements(fixture_store, method) == {
        (RDF_TYPE, KGO + "Method"), (RDF_TYPE, MLS + "Algorithm"), (RDFS_LABEL, "CMT"), (SKOS + "prefLabel", "CMT"),
        (SKOS + "altLabel", "cross-modal transformer")}
    dataset = "https://example.org/kg/dataset/pascal%20voc"
    assert _statements(fixture_store, dataset) == {
        (RDF_TYPE, KGO + "Dataset"), (RDF_TYPE, MLS + "Dataset"), (RDF_TYPE, "https://schema.org/Dataset"),
        (RDFS_LABEL, "PASCAL VOC"), (SKOS + "prefLabel", "PASCAL VOC"), (SKOS + "altLabel", "VOC")}
    metric = "https://example.org/kg/metric/f1"
    assert _statements(fixture_store, metric) == {
        (RDF_TYPE, KGO + "Metric"), (RDF_TYPE, MLS + "EvaluationMeasure"), (RDFS_LABEL, "F1"), (SKOS + "prefLabel", "F1"),
        (SKOS + "altLabel", "F-score"), (SKOS + "altLabel", fixture.HOSTILE_ALIAS)}
    # KN and FSS give "transfer learning" different aliases: each document states its own, the union has both
    task = "https://example.org/kg/task/transfer%20learning"
    alt = SKOS + "altLabel"
    assert {o for p, o in _statements(fixture_store, task) if p == alt} == {"TL", "knowledge transfer"}
    assert {o for p, o in _statements(fixture_store, task, "https://example.org/kg/source/feed.txt") if p == alt} == {"TL"}
    # the hostile task: name and alias as given, in a percent-encoded IRI
    hostile = Minter().entity("task:" + fixture.HOSTILE_TASK.lower()).value
    assert (SKOS + "prefLabel", fixture.HOSTILE_TASK) in _statements(fixture_store, hostile)
    assert (SKOS + "altLabel", fixture.HOSTILE_ALIAS) in _statements(fixture_store, hostile)


def test_how_each_link_was_found_is_queryable(fixture_store):
    answer = fixture_store.query(f"""
        PREFIX kgo: <{KGO}>
        PREFIX skos: <{SKOS}>
        SELECT ?paper ?kind ?name ?via WHERE {{
          ?paper kgo:hasEntityLink ?link .
          ?link kgo:linkedEntity ?entity ; kgo:via ?via .
          ?entity a ?class ; skos:prefLabel ?name .
          VALUES (?class ?kind) {{ (kgo:Task "task") (kgo:Method "method") (kgo:Dataset "dataset") (kgo:Metric "metric") }}
          FILTER (?via != "mentioned")
        }} ORDER BY ?paper ?kind ?name""")
    rows = [(r["paper"].value.rsplit("/", 1)[1], r["kind"].value, r["name"].value, r["via"].value) for r in answer]
    assert rows == [
        ("2101.00001", "method", "KN", "defined"), ("2101.00001", "task", "knowledge attribution", "defined"),
        ("2102.00002", "method", "CMT", "defined"), ("2102.00002", "task", "few-shot semantic segmentation", "title"),
        ("2203.00003", "method", "A<B>", "defined"), ("2203.00003", "task", fixture.HOSTILE_TASK, "title"),
    ]


def test_typed_entities_and_links_conform_and_broken_ones_do_not(fixture_rdf):
    original = rdflib.Graph().parse(fixture_rdf / "graph.ttl", format="turtle")
    assert validate_graph(original).conforms
    kgo, mls, skos = rdflib.Namespace(KGO), rdflib.Namespace(MLS), rdflib.SKOS
    link = rdflib.URIRef("https://example.org/kg/paper/arxiv/2102.00002/link/task/few-shot%20semantic%20segmentation")
    task = rdflib.URIRef("https://example.org/kg/task/few-shot%20semantic%20segmentation")
    metric = rdflib.URIRef("https://example.org/kg/metric/miou")
    topic = rdflib.URIRef("https://example.org/kg/topic/segmentation")
    breakages = {
        "a via that is not title, defined or mentioned": lambda g: g.set((link, kgo.via, rdflib.Literal("guessed"))),
        "a second via": lambda g: g.add((link, kgo.via, rdflib.Literal("mentioned"))),
        "a link to nothing": lambda g: g.remove((link, kgo.linkedEntity, None)),
        "a link to a topic": lambda g: g.set((link, kgo.linkedEntity, topic)),
        "a task without its ML Schema class": lambda g: g.remove((task, rdflib.RDF.type, mls.Task)),
        "two canonical names": lambda g: g.add((task, skos.prefLabel, rdflib.Literal("another name"))),
        "a link no paper has": lambda g: g.remove((None, kgo.hasEntityLink, link)),
        "an entity no paper names": lambda g: g.remove((None, kgo.usesMetric, metric)),
    }
    for what, break_it in breakages.items():
        g = rdflib.Graph()
        for triple in original:
            g.add(triple)
        break_it(g)
        assert not validate_graph(g).conforms, what
