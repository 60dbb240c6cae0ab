"""report.json's institution_routes: institution references (a paper counted under an institution)
by the route that linked them, every route listed, from a hand-made corpus and from the seeds (slow)."""

import json

import networkx as nx
import pytest

from kg.export.report import build_report
from kg.model import Corpus, Institution, InstitutionRef, Paper, Source
from kg.resolve.institutions import ROUTES

INST = Institution("institution:ror-05x2bcf33", "Carnegie Mellon University", "05x2bcf33", ("CMU",), True)


def _paper(pid, *vias):
    refs = tuple(InstitutionRef("CMU", f"{INST.id}-{k}", INST.name, (), via) for k, via in enumerate(vias))
    return Paper(id=pid, title=None, arxiv_id=None, category=None, year=None, lang=(), abstracts=(), authorships=(),
                 institutions=refs, topics=(), methods=(), datasets=(), code=(), urls=(), sources=(Source("d.txt", 1),))


def test_institution_routes_count_references_by_route():
    corpus = Corpus(papers=(_paper("p:1", "alias", "ror-name"), _paper("p:2", "alias", "context"), _paper("p:3")),
                    authors=(), institutions=(INST,))
    routes = build_report(corpus, nx.MultiDiGraph(), 3, [])["institution_routes"]
    assert ROUTES == ("ror-name", "ror-alias", "alias", "matcher", "context", "unmatched")
    assert list(routes.items()) == [("ror-name", 1), ("ror-alias", 0), ("alias", 2), ("matcher", 0), ("context", 1),
                                    ("unmatched", 0)]
    # a reference of a corpus an older build wrote has no route
    older = Corpus(papers=(_paper("p:1", None, "alias"),), authors=(), institutions=(INST,))
    assert build_report(older, nx.MultiDiGraph(), 1, [])["institution_routes"] == {
        "ror-name": 0, "ror-alias": 0, "alias": 1, "matcher": 0, "context": 0, "unmatched": 0, "not-recorded": 1}


@pytest.mark.slow
def test_institution_routes_of_the_seeds(seed_build, seeds_dir):
    report = json.loads((seeds_dir / "exports" / "report.json").read_text(encoding="utf-8"))
    assert report["institution_routes"] == {
        "ror-name": 8, "ror-alias": 0, "alias": 2, "matcher": 0, "context": 0, "unmatched": 1}
    corpus = json.loads((seeds_dir / "exports" / "corpus.json").read_text(encoding="utf-8"))["corpus"]
    refs = {(p["id"], r["printed"]): r["via"] for p in corpus["papers"] for r in p["institutions"]}
    assert refs[("arxiv:2204.06340", "CMU")] == "alias"
    assert refs[("arxiv:2204.06340", "Stanford University")] == "ror-name"
    assert refs[("arxiv:2204.03609", "NAVER AI Lab")] == "unmatched"
