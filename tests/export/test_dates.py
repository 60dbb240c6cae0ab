"""Dates in the outputs: papers.jsonl's date and date_source, report.json's undated entries, corpus.json,
and RDF (dcterms:issued for publication dates, kgo:firstSeen with kgo:dateSource), valid against the shapes."""

from __future__ import annotations

import json

import pytest
import rdflib

from kg.build import read_corpus, write_corpus
from kg.export import build_report
from kg.export.papers_jsonl import generate_papers_jsonl
from kg.export.rdf import write_rdf
from kg.graph.build import build_graph
from kg.graph.rdf import generate_triples
from kg.model import Entry, Extraction, Source
from kg.resolve import resolve
from kg.sparql.validate import validate_graph

PAPER = "https://example.org/kg/paper/"
DCTERMS = "http://purl.org/dc/terms/"
KGO = "https://w3id.org/kg-digests/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


def _entry(file, line, title, date=None, source=None, format="digest", arxiv_id=None, **kw):
    return Entry(source=Source(file, line), format=format, title=title, authors=("D Dai",),
                 abstract=f"What {title} is about, at some length. " * 8, arxiv_id=arxiv_id,
                 date=date, date_source=source, **kw)


def dated_corpus():
    """A digest entry dated by its header, an arXiv record, a feed entry dated by its file name, an undated one."""
    entries = [
        _entry("digest.txt", 4, "Header Dated Paper", "2019-05-25", "document", arxiv_id="1905.01234"),
        _entry("digest.txt", 11, "Knowledge Neurons", "2021-04-18", "document", format="arxiv", arxiv_id="2104.08696"),
        _entry("2020-01-02-feed.txt", 1, "Named By Its File", "2020-01-02", "filename", format="feed"),
        _entry("feed.txt", 7, "Never Dated", format="feed"),
    ]
    topics = [(("knowledge neuron", 1.0),), (("knowledge neuron", 1.0),), (("file name", 1.0),), (("file name", 1.0),)]
    return resolve(entries, [Extraction(topics=t) for t in topics])


@pytest.fixture(scope="module")
def corpus():
    return dated_corpus()


def test_papers_jsonl_carries_date_and_date_source(corpus):
    records = [json.loads(line) for line in generate_papers_jsonl(corpus)]
    assert [(r["title"], r["year"], r["date"], r["date_source"]) for r in records] == [
        ("Header Dated Paper", 2019, "2019-05-25", "document"),
        ("Knowledge Neurons", 2021, "2021-04-18", "document"),
        ("Named By Its File", 2020, "2020-01-02", "filename"),
        ("Never Dated", None, None, None),
    ]
    # the fields sit after year, before lang
    keys = list(records[0])
    assert keys[keys.index("year"):keys.index("lang") + 1] == ["year", "date", "date_source", "lang"]


def test_report_lists_the_entries_of_undated_papers(corpus):
    report = build_report(corpus, build_graph(corpus), 4, ["digest.txt", "2020-01-02-feed.txt", "feed.txt"])
    assert report["papers"] == 4 and report["papers_undated"] == 1
    assert report["undated"] == [{"file": "feed.txt", "line": 7, "title": "Never Dated"}]
    assert report["inputs"] == {"files": 3, "entries": 4}


def test_corpus_json_round_trips_dates_and_an_older_one_reads_as_undated(corpus, tmp_path):
    path = tmp_path / "corpus.json"
    write_corpus(corpus, path)
    assert read_corpus(path) == corpus
    # written before issue 25: no date fields at all
    data = json.loads(path.read_text(encoding="utf-8"))
    for paper in data["corpus"]["papers"]:
        del paper["date"], paper["date_source"], paper["published"]
    path.write_text(json.dumps(data), encoding="utf-8")
    assert {(p.date, p.date_source, p.published) for p in read_corpus(path).papers} == {(None, None, None)}


def _about(corpus, paper: str) -> set[tuple[str, str, str | None]]:
    """(predicate, value, datatype) of the date triples about one paper."""
    wanted = {DCTERMS + "issued", KGO + "firstSeen", KGO + "dateSource"}
    return {(t.predicate.value, t.object.value, t.object.datatype.value)
            for t in generate_triples(corpus) if t.subject.value == paper and t.predicate.value in wanted}


def test_rdf_issued_is_a_publication_date_and_first_seen_says_its_source(corpus):
    # a digest's date is when the paper was seen; its arXiv id gives the publication month
    assert _about(corpus, PAPER + "arxiv/1905.01234") == {
        (DCTERMS + "issued", "2019-05-01", XSD + "date"),
        (KGO + "firstSeen", "2019-05-25", XSD + "date"),
        (KGO + "dateSource", "document", XSD + "string"),
    }
    # arXiv metadata: the v1 submission date is both
    assert _about(corpus, PAPER + "arxiv/2104.08696") == {
        (DCTERMS + "issued", "2021-04-18", XSD + "date"),
        (KGO + "firstSeen", "2021-04-18", XSD + "date"),
        (KGO + "dateSource", "document", XSD + "string"),
    }
    # no publication date: the year, as before
    [named] = [p.id for p in corpus.papers if p.title == "Named By Its File"]
    assert _about(corpus, PAPER + named.replace(":", "/")) == {
        (DCTERMS + "issued", "2020", XSD + "gYear"),
        (KGO + "firstSeen", "2020-01-02", XSD + "date"),
        (KGO + "dateSource", "filename", XSD + "string"),
    }
    [undated] = [p.id for p in corpus.papers if p.title == "Never Dated"]
    assert _about(corpus, PAPER + undated.replace(":", "/")) == set()


def test_dated_rdf_conforms_to_the_shapes_and_a_wrong_source_does_not(corpus, tmp_path):
    path = tmp_path / "graph.ttl"
    write_rdf(corpus, path, "turtle")
    graph = rdflib.Graph().parse(path, format="turtle")
    assert validate_graph(graph).conforms
    paper = rdflib.URIRef(PAPER + "arxiv/1905.01234")
    graph.set((paper, rdflib.URIRef(KGO + "dateSource"), rdflib.Literal("guessed")))
    graph.set((paper, rdflib.URIRef(KGO + "firstSeen"), rdflib.Literal("2019-05")))
    assert validate_graph(graph).violations == 2
