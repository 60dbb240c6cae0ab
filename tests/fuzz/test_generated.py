"""Every reader keeps every entry of a generated document, whatever fields the entries lack.

Documents are written in each format from paper records with any of tag, title, authors,
institutions, Chinese summary, English abstract and arXiv id missing, with LF, CRLF or lone CR line
ends; the reader must return exactly the entries that still carry a title or a text, field for field.
"""

import pytest
from hypothesis import given, strategies as st

from kg.ingest.registry import reader_names

from .documents import RENDERERS, papers, project
from .harness import run_reader

EOLS = st.sampled_from(["\n", "\r\n", "\r"])


def test_every_reader_has_a_document_generator():
    assert sorted(RENDERERS) == reader_names()


@pytest.mark.parametrize("name", sorted(RENDERERS))
@given(ps=papers, eol=EOLS)
def test_reader_keeps_every_entry_that_has_a_title_or_text(name, ps, eol):
    text, expected = RENDERERS[name](ps, eol)
    result = run_reader("generated", name, text, what=f"{len(ps)} generated papers, eol {eol!r}")
    assert [project(e) for e in result.entries] == expected
