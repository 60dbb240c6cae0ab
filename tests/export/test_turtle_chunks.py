"""graph.ttl written chunk by chunk (kg.export.turtle_chunks): the bytes of one serialisation of the
union, VoID's counts, and what an update copies from the previous build's graph.ttl — or not, when
that state is missing or stale."""

from __future__ import annotations

import os
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.export import turtle_chunks
from kg.export.rdf import VoidCounts
from kg.export.turtle_chunks import STATE_FILE, TurtleState, chunks, write_union_turtle
from kg.graph.rdf import DEFAULT_BASE, Minter, nquads_blocks, triples_from_lines, union_batches, union_lines

PREFIXES = Minter(DEFAULT_BASE).prefixes


def _nquads(path: Path, blocks) -> list[tuple[str, int, int]]:
    """Write (graph, N-Quads) blocks to `path`; each graph's (IRI, start, end)."""
    spans, offset = [], 0
    with open(path, "wb") as handle:
        for graph, block in blocks:
            handle.write(block)
            spans.append((graph, offset, offset + len(block)))
            offset += len(block)
    return spans


def _changed(corpus):
    """The fixture corpus with its first paper retitled and its last paper gone."""
    from dataclasses import replace

    papers = list(corpus.papers)
    papers[0] = replace(papers[0], title=papers[0].title + " (revised)")
    return replace(corpus, papers=tuple(papers[:-1]))


def _union(tmp_path: Path, corpus, name: str) -> tuple[Path, list]:
    path = tmp_path / f"{name}.nq"
    return path, _nquads(path, nquads_blocks(corpus, DEFAULT_BASE))


def _at_once(path: Path, spans: list) -> bytes:
    """graph.ttl as one pyoxigraph serialisation of the whole union (what builds wrote before chunks)."""
    return ox.serialize(triples_from_lines(union_lines(path, spans)), format=ox.RdfFormat.TURTLE, prefixes=PREFIXES)


@pytest.mark.parametrize("bits", [0, 1, 3, 8])
def test_chunked_turtle_is_one_serialisation_of_the_union_and_counts_as_void(tmp_path, fixture_corpus, monkeypatch, bits):
    monkeypatch.setattr(turtle_chunks, "CHUNK_BITS", bits)
    path, spans = _union(tmp_path, fixture_corpus, "a")
    totals, stats = write_union_turtle(tmp_path / "graph.ttl", union_batches(path, spans), PREFIXES, tmp_path / "state")
    assert (tmp_path / "graph.ttl").read_bytes() == _at_once(path, spans)
    counts = VoidCounts()
    for line in union_lines(path, spans):
        counts.add(line)
    assert (totals.triples, totals.subjects, totals.entities, totals.objects) == (counts.triples, counts.subjects,
                                                                                  counts.entities, counts.objects)
    assert totals.properties == counts.properties and totals.classes == counts.classes
    assert stats["reused"] == 0 and stats["chunks"] == len(list(chunks(union_batches(path, spans), bits)))
    if bits == 0:  # a chunk per subject
        assert stats["chunks"] == counts.subjects


def test_chunks_are_whole_subject_blocks_however_the_batches_fall():
    lines = sorted(f"<s{i // 3}> <p> <o{i}>".encode() for i in range(30))
    batches = [lines[:4], lines[4:5], lines[5:17], [], lines[17:]]
    cut = list(chunks(batches, bits=0))
    assert [line for chunk in cut for line in chunk] == lines
    assert [{line.split(b" ")[0] for line in chunk} for chunk in cut] == [{f"<s{i}>".encode()} for i in sorted(range(10), key=str)]


def test_an_update_copies_the_chunks_it_shares_and_writes_the_rest(tmp_path, fixture_corpus, monkeypatch):
    monkeypatch.setattr(turtle_chunks, "CHUNK_BITS", 1)
    old, old_spans = _union(tmp_path, fixture_corpus, "old")
    write_union_turtle(tmp_path / "old.ttl", union_batches(old, old_spans), PREFIXES, tmp_path / "old-state", graphs="A")
    new, new_spans = _union(tmp_path, _changed(fixture_corpus), "new")
    fresh, fresh_stats = write_union_turtle(tmp_path / "fresh.ttl", union_batches(new, new_spans), PREFIXES, tmp_path / "fresh-state")

    earlier = TurtleState.read(tmp_path / "old-state", tmp_path / "old.ttl", PREFIXES)
    updated, stats = write_union_turtle(tmp_path / "updated.ttl", union_batches(new, new_spans), PREFIXES,
                                        tmp_path / "updated-state", earlier, graphs="B")
    assert (tmp_path / "updated.ttl").read_bytes() == (tmp_path / "fresh.ttl").read_bytes() == _at_once(new, new_spans)
    assert updated == fresh
    assert 0 < stats["reused"] < stats["chunks"] == fresh_stats["chunks"] and stats["copied"] == 0

    # the state an update leaves serves the next one: nothing changed, graph.ttl is copied whole
    earlier = TurtleState.read(tmp_path / "updated-state", tmp_path / "updated.ttl", PREFIXES)
    again, stats = write_union_turtle(tmp_path / "again.ttl", iter(()), PREFIXES, tmp_path / "again-state", earlier, graphs="B")
    assert (tmp_path / "again.ttl").read_bytes() == (tmp_path / "fresh.ttl").read_bytes()
    assert again == fresh and stats == {"chunks": fresh_stats["chunks"], "reused": fresh_stats["chunks"], "copied": 1}
    assert TurtleState.read(tmp_path / "again-state", tmp_path / "again.ttl", PREFIXES) is not None


def test_a_missing_or_stale_state_is_not_read(tmp_path, fixture_corpus):
    path, spans = _union(tmp_path, fixture_corpus, "a")
    write_union_turtle(tmp_path / "graph.ttl", union_batches(path, spans), PREFIXES, tmp_path / "state", graphs="A")
    assert TurtleState.read(tmp_path / "state", tmp_path / "graph.ttl", PREFIXES) is not None
    assert TurtleState.read(None, None, PREFIXES) is None
    assert TurtleState.read(tmp_path / "nothing", tmp_path / "graph.ttl", PREFIXES) is None
    assert TurtleState.read(tmp_path / "state", tmp_path / "graph.ttl", Minter("https://other.org/").prefixes) is None
    stat = (tmp_path / "graph.ttl").stat()
    os.utime(tmp_path / "graph.ttl", ns=(stat.st_atime_ns, stat.st_mtime_ns + 1))  # another graph.ttl
    assert TurtleState.read(tmp_path / "state", tmp_path / "graph.ttl", PREFIXES) is None
    os.utime(tmp_path / "graph.ttl", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (tmp_path / "state" / turtle_chunks.OBJECTS_FILE).write_bytes(b"\0" * 16)
    assert TurtleState.read(tmp_path / "state", tmp_path / "graph.ttl", PREFIXES) is None
    (tmp_path / "state" / STATE_FILE).write_text("{", encoding="utf-8")
    assert TurtleState.read(tmp_path / "state", tmp_path / "graph.ttl", PREFIXES) is None


def test_a_graph_ttl_edited_in_place_is_not_copied(tmp_path, fixture_corpus, monkeypatch):
    """Bytes changed without changing the file's size or time: the chunks (and the whole file) are
    checked against their digests, and what fails is written again."""
    monkeypatch.setattr(turtle_chunks, "CHUNK_BITS", 1)
    path, spans = _union(tmp_path, fixture_corpus, "a")
    write_union_turtle(tmp_path / "graph.ttl", union_batches(path, spans), PREFIXES, tmp_path / "state", graphs="A")
    expected = (tmp_path / "graph.ttl").read_bytes()
    stat = (tmp_path / "graph.ttl").stat()
    edited = bytearray(expected)
    at = edited.rindex(b"foaf:")
    edited[at:at + 5] = b"f0af:"
    (tmp_path / "graph.ttl").write_bytes(edited)
    os.utime(tmp_path / "graph.ttl", ns=(stat.st_atime_ns, stat.st_mtime_ns))
    earlier = TurtleState.read(tmp_path / "state", tmp_path / "graph.ttl", PREFIXES)
    assert earlier is not None
    for graphs in ("A", "B"):  # the same graphs (a whole copy was due) or not
        _, stats = write_union_turtle(tmp_path / f"{graphs}.ttl", union_batches(path, spans), PREFIXES, tmp_path / graphs,
                                      earlier, graphs=graphs)
        assert (tmp_path / f"{graphs}.ttl").read_bytes() == expected
        assert stats["copied"] == 0 and stats["reused"] == stats["chunks"] - 1


def test_an_empty_union_is_an_empty_file(tmp_path):
    totals, stats = write_union_turtle(tmp_path / "graph.ttl", iter(()), PREFIXES, tmp_path / "state")
    assert (tmp_path / "graph.ttl").read_bytes() == b""
    assert (totals.triples, totals.objects, stats["chunks"]) == (0, 0, 0)


@pytest.mark.parametrize("buffer", [1, 300, 1 << 20])
def test_union_batches_are_the_sorted_unique_union_in_order(tmp_path, fixture_corpus, buffer):
    path, spans = _union(tmp_path, fixture_corpus, "a")
    expected = sorted({line.rsplit(b" ", 2)[0] for line in path.read_bytes().splitlines()})
    batches = list(union_batches(path, spans, buffer=buffer))
    assert [line for batch in batches for line in batch] == expected
    if buffer == 1:
        assert len(batches) > 1
