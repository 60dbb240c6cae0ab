"""Property tests of every registered reader on hostile, broken and rearranged text.

For any text, detect and parse return without raising, every entry and problem names the file and
a line inside it (checked by harness.run_reader). On the real fixture files: line ends do not
change what is read, cutting a file keeps the entries before the cut, and a file pasted twice
gives every entry twice.
"""

import dataclasses

import pytest
from hypothesis import given, strategies as st

from kg.ingest.registry import get_reader, reader_names

from .harness import line_count, run_reader
from .strategies import FIXTURES, hostile_text, mutated_fixture, token_soup

READERS = reader_names()
BY_NAME = {name: (text, reader) for name, text, reader in FIXTURES}
# a frontmatter post is one entry per file: a second post pasted below is prose of the first
MULTI_ENTRY = [name for name, _, reader in FIXTURES if reader != "frontmatter"]


def test_fixtures_cover_every_reader():
    assert sorted({reader for _, _, reader in FIXTURES}) == READERS


@pytest.mark.parametrize("name", READERS)
@given(text=hostile_text)
def test_any_text(name, text):
    run_reader("text", name, text)


@pytest.mark.parametrize("name", READERS)
@given(text=token_soup)
def test_token_soup(name, text):
    run_reader("tokens", name, text)


@pytest.mark.parametrize("name", READERS)
@given(data=st.data())
def test_mutated_fixture(name, data):
    what, _, text = data.draw(mutated_fixture(name), label="case")
    run_reader("mutated", name, text, what=what)


def _shifted(entry, lines: int):
    return dataclasses.replace(entry, source=dataclasses.replace(entry.source, line=entry.source.line + lines))


@pytest.mark.parametrize("eol", ["\r\n", "\r"])
@pytest.mark.parametrize("fixture", sorted(BY_NAME))
def test_line_ends_do_not_change_what_is_read(fixture, eol):
    text, reader = BY_NAME[fixture]
    lf = run_reader("eol", reader, text, what=f"{fixture} LF")
    other = run_reader("eol", reader, text.replace("\n", eol), what=f"{fixture} {eol!r}")
    assert lf.entries and other.entries == lf.entries
    assert other.problems == lf.problems


@given(fixture=st.sampled_from(sorted(BY_NAME)), data=st.data())
def test_truncation_keeps_the_entries_before_the_cut(fixture, data):
    text, reader = BY_NAME[fixture]
    full = get_reader(reader).parse(text, "fuzz.txt").entries
    cut = data.draw(st.integers(0, len(text)), label="cut")
    result = run_reader("truncated", reader, text[:cut], what=f"{fixture}[:{cut}]")
    cut_line = line_count(text[:cut])
    # an entry is whole when the entry after next starts before the cut line: the next one is then
    # whole too, so nothing of the cut region can be taken for part of it
    whole = [e for e, after_next in zip(full, full[2:]) if after_next.source.line < cut_line]
    assert result.entries[: len(whole)] == tuple(whole)


@pytest.mark.parametrize("fixture", sorted(MULTI_ENTRY))
def test_a_file_pasted_twice_gives_every_entry_twice(fixture):
    text, reader = BY_NAME[fixture]
    once = run_reader("duplicated", reader, text, what=fixture).entries
    twice = run_reader("duplicated", reader, text + "\n" + text, what=f"{fixture} twice").entries
    offset = line_count(text)

    def key(entry):
        return dataclasses.replace(entry, number=None)

    assert [key(e) for e in twice] == [key(e) for e in once] + [key(_shifted(e, offset)) for e in once]
