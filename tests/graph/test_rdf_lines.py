"""kg.graph.rdf's shortcuts: IRI segments by str.translate, the derived graph's lines written from
term texts rather than Triple objects, source graph keys from marshal rather than JSON, reused
blocks cut without counting their lines. Each is checked against the plain way it replaces."""

import copy
import pickle
import random
from collections import defaultdict
from dataclasses import replace
from itertools import combinations
from urllib.parse import quote

import pytest
from pyoxigraph import Literal, Triple

from kg.graph import rdf
from kg.graph.hierarchy import topic_tree
from kg.model import Entity

from ..export.hostile import hostile_corpus


def quoted_segment(text: str) -> str:
    quoted = quote(text, safe="-._~")
    stripped = quoted.rstrip(".")
    return stripped + "%2E" * (len(quoted) - len(stripped))


def test_segment_is_quote_with_trailing_dots_encoded():
    rng = random.Random(5)
    alphabet = [chr(c) for c in range(160)] + list("éß中文😀\u2028\uffff\U0010ffff%/.~ ")
    texts = ["", ".", "..", "a.", "a b.", "semantic segmentation", "x/y#z?", "中文.", "%41"]
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(0, 14))) for _ in range(20_000)]
    for text in texts:
        assert rdf._segment.__wrapped__(text) == quoted_segment(text), text
    for text in ("\ud800", "a\udfffb"):  # lone surrogates: an error, as quote raises
        with pytest.raises(UnicodeEncodeError):
            quote(text, safe="-._~")
        with pytest.raises(UnicodeEncodeError):
            rdf._segment.__wrapped__(text)


def reference_derived_lines(corpus, base=rdf.DEFAULT_BASE) -> list[str]:
    """The derived graph as Triple objects of minted terms, printed, sorted and unique."""
    minter = rdf.Minter(base)
    counts = defaultdict(int)
    for paper in corpus.papers:
        for a, b in combinations(sorted({x.author_id for x in paper.authorships}), 2):
            counts[(a, b)] += 1
    triples = set()
    for (a, b), n in counts.items():
        pa, pb = minter.entity(a), minter.entity(b)
        link = minter.iri("coauthorship", a.split(":", 1)[1], b.split(":", 1)[1])
        triples |= {Triple(pa, rdf._PROPERTY["CO_AUTHOR"], pb), Triple(pb, rdf._PROPERTY["CO_AUTHOR"], pa),
                    Triple(link, rdf.RDF_TYPE, rdf._t("kgo:CoAuthorship")), Triple(link, rdf._t("kgo:coAuthor"), pa),
                    Triple(link, rdf._t("kgo:coAuthor"), pb),
                    Triple(link, rdf._t("kgo:paperCount"), Literal(str(n), datatype=rdf.XSD_INTEGER))}
    scheme = minter.iri("scheme", "topics")
    triples |= {Triple(scheme, rdf.RDF_TYPE, rdf._t("skos:ConceptScheme")),
                Triple(scheme, rdf._t("skos:prefLabel"), Literal("Topic keywords", language="en"))}
    broader, roots = topic_tree(corpus)
    for label, parent in broader.items():
        t, b = minter.entity(f"topic:{label}"), minter.entity(f"topic:{parent}")
        triples |= {Triple(t, rdf._PROPERTY["BROADER"], b), Triple(b, rdf.SKOS_NARROWER, t)}
    for label, category in roots.items():
        triples.add(Triple(minter.entity(f"topic:{label}"), rdf._PROPERTY["BROADER_CATEGORY"], minter.iri("category", category)))
    return sorted(str(t) for t in triples)


def test_derived_lines_are_the_printed_triples(fixture_corpus):
    hostile = hostile_corpus()
    for corpus in (fixture_corpus, hostile, replace(fixture_corpus, papers=fixture_corpus.papers + hostile.papers)):
        for base in (rdf.DEFAULT_BASE, "https://other.org/ä/kg#"):
            expected = reference_derived_lines(corpus, base)
            assert len(expected) >= 10
            assert list(rdf._derived_lines(corpus, rdf.Minter(base))) == expected


def test_derived_lines_are_unique_when_made_twice(fixture_corpus, monkeypatch):
    made = rdf._derived_triple_lines
    monkeypatch.setattr(rdf, "_derived_triple_lines", lambda corpus, minter: made(corpus, minter) * 2)
    assert list(rdf._derived_lines(fixture_corpus, rdf.Minter())) == reference_derived_lines(fixture_corpus)


def test_key_bytes_tell_papers_apart_and_not_their_objects(fixture_corpus):
    paper = next(p for p in fixture_corpus.papers if p.methods and p.authorships)
    names, institutions = ["A"], [("institution:x", "X", None)]
    key = rdf._key_bytes(paper, names, institutions)
    assert key.startswith(b"m")  # marshal, not JSON, for a paper of the model's types
    # the same values in other objects (a corpus read back, copied): the same bytes
    assert rdf._key_bytes(pickle.loads(pickle.dumps(paper)), list(names), list(institutions)) == key
    assert rdf._key_bytes(copy.deepcopy(paper), names, institutions) == key
    method = paper.methods[0]
    changed = [
        replace(paper, methods=(replace(method, aliases=method.aliases + ("x",)),) + paper.methods[1:]),
        replace(paper, methods=(replace(method, via="title" if method.via != "title" else "defined"),) + paper.methods[1:]),
        replace(paper, authorships=(replace(paper.authorships[0], full_name="Someone"),) + paper.authorships[1:]),
        replace(paper, authorships=(replace(paper.authorships[0], position=7),) + paper.authorships[1:]),
        replace(paper, topics=tuple((t, s + 1e-12) for t, s in paper.topics) or (("t", 1.0),)),
        replace(paper, year=(paper.year or 0) + 1),
        replace(paper, title=None if paper.title else "T"),
        replace(paper, tasks=(Entity(method.name, method.aliases, method.via),)),  # the same entity as a task
    ]
    keys = {rdf._key_bytes(p, names, institutions) for p in changed}
    assert len(keys) == len(changed) and key not in keys
    assert rdf._key_bytes(paper, ["B"], institutions) != key
    assert rdf._key_bytes(paper, names, [("institution:x", "X", "0abc")]) != key


class Name(str):
    """A str subclass: marshal does not write it, JSON does."""


def test_key_bytes_fall_back_to_json(fixture_corpus):
    paper = fixture_corpus.papers[0]
    odd = replace(paper, title=Name(paper.title or "t"))
    mixed = replace(paper, methods=(Entity("m"), paper.sources[0]))  # records of two classes in one field
    for p in (odd, mixed):
        key = rdf._key_bytes(p, ["A"], [])
        assert key.startswith(b"j") and key == rdf._key_bytes(copy.deepcopy(p), ["A"], [])
    assert rdf._key_bytes(odd, ["A"], []) != rdf._key_bytes(replace(paper, title=paper.title or "t"), ["A"], [])


def test_source_keys_are_those_of_the_corpus_read_back(fixture_corpus, tmp_path):
    from kg.build import read_corpus, write_corpus

    write_corpus(fixture_corpus, tmp_path / "corpus.json")
    assert rdf.source_keys(read_corpus(tmp_path / "corpus.json")) == rdf.source_keys(fixture_corpus)


@pytest.mark.parametrize("max_quads", [1, 2, 3, 1000])
def test_reused_graphs_come_in_the_pieces_made_graphs_do(max_quads):
    graph = "https://example.org/kg/source/a"
    lines = [f"<https://example.org/s{i}> <https://example.org/p> \"{'x' * (i % 3)}\"" for i in range(7)]
    made = list(rdf._blocks(rdf.NamedNode(graph), lines, max_quads))
    assert list(rdf._pieces(graph, b"".join(b for _, b in made), max_quads)) == made
    assert all(block.count(b"\n") <= max_quads for _, block in made)
