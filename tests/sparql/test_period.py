"""The period queries on a corpus dated by a digest header, arXiv metadata and a file name (no build)."""

from __future__ import annotations

import pytest

from kg.export.rdf import write_rdf
from kg.sparql.query import load_query, run_query
from kg.sparql.store import open_store

from ..export.test_dates import dated_corpus

PAPER = "https://example.org/kg/paper/"


@pytest.fixture(scope="module")
def dated_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("dated") / "graph.nq"
    write_rdf(dated_corpus(), path, "nquads")
    return open_store(path)


@pytest.mark.parametrize("period, rows", [
    (("2019-01-01", "2021-12-31"), [
        ("2019-05-25", "document", "Header Dated Paper", PAPER + "arxiv/1905.01234"),
        ("2020-01-02", "filename", "Named By Its File", None),
        ("2021-04-18", "document", "Knowledge Neurons", PAPER + "arxiv/2104.08696"),
    ]),
    # both days included; the first-seen date counts, not the publication date (2019-05-01)
    (("2019-05-25", "2019-05-25"), [("2019-05-25", "document", "Header Dated Paper", PAPER + "arxiv/1905.01234")]),
    (("2019-05-01", "2019-05-24"), []),
    (("2021-12-31", "2019-01-01"), []),  # an empty period
])
def test_papers_in_period(dated_store, period, rows):
    result = run_query(dated_store, load_query("papers-in-period"), {"from": period[0], "to": period[1]})
    assert result.columns == ("date", "source", "title", "paper")
    # papers without an arXiv id have a hashed IRI: None stands for it
    got = [(d, s, t, p if p.startswith(PAPER + "arxiv/") else None) for d, s, t, p in result.rows]
    assert got == rows


@pytest.mark.parametrize("period, rows", [
    (("2019-01-01", "2021-12-31"), [("knowledge neuron", 2), ("file name", 1)]),  # the undated paper is in no period
    (("2020-01-01", "2020-12-31"), [("file name", 1)]),
    (("2022-01-01", "2022-12-31"), []),
])
def test_topics_in_period_counts_the_papers_of_the_period(dated_store, period, rows):
    result = run_query(dated_store, load_query("topics-in-period"), {"from": period[0], "to": period[1]})
    assert (result.columns, list(result.rows)) == (("topic", "papers"), rows)
