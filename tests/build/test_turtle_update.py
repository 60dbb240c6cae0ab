"""graph.ttl and void.ttl of `kg build --update`, written from the chunks the previous build recorded
(kg.export.turtle_chunks): byte for byte a full build's, with an input added, an input changed,
nothing changed, and with the previous build's state missing."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.build import BuildConfig, BuildDir, run as build_run
from kg.export import turtle_chunks
from tests.build.test_update import FAST, _build, _seeds
from tests.conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS

pytestmark = pytest.mark.slow  # builds

UPDATE = BuildConfig(targets=(), pages=False, update=True)
RDF = ("graph.nq", "graph.ttl", "void.ttl")


def _rdf(out: Path) -> dict[str, bytes]:
    return {name: (out / name).read_bytes() for name in RDF}


def _digests(out: Path) -> dict[str, str]:
    """The digest of each graph's N-Quads, as the store's record keeps them."""
    return json.loads(BuildDir(out).store_record.read_text(encoding="utf-8"))["graphs"]


def _full(tmp_path: Path, name: str, files: dict[str, bytes]) -> dict[str, bytes]:
    folder = tmp_path / name
    (folder / "seeds").mkdir(parents=True)
    for file, data in files.items():
        (folder / "seeds" / file).write_bytes(data)
    _build(folder, "out")
    return _rdf(folder / "out")


def test_update_writes_the_rdf_of_a_full_build_from_the_chunks_it_shares(tmp_path, monkeypatch):
    monkeypatch.setattr(turtle_chunks, "CHUNK_BITS", 2)  # many chunks, even in the seeds
    written: list[dict] = []
    write = build_run.write_union_turtle

    def spying(*args, **kwargs):
        totals, stats = write(*args, **kwargs)
        written.append(stats)
        return totals, stats

    monkeypatch.setattr(build_run, "write_union_turtle", spying)
    work = _seeds(tmp_path / "work", SEED_DIGEST, SEED_FEED_1)
    _build(work, "out", FAST)
    assert written[-1]["reused"] == 0 and written[-1]["chunks"] > 20

    # an input added
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    _build(work, "out", UPDATE)
    assert 0 < written[-1]["reused"] < written[-1]["chunks"] and written[-1]["copied"] == 0
    inputs = {name: (work / "seeds" / name).read_bytes() for name in (SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)}
    assert _rdf(work / "out") == _full(tmp_path, "added", inputs)

    # an input changed: the second feed without its first entry (an abstract and its translator's line)
    inputs[SEED_FEED_2] = b"\n".join(inputs[SEED_FEED_2].split(b"\n")[2:])
    (work / "seeds" / SEED_FEED_2).write_bytes(inputs[SEED_FEED_2])
    _build(work, "out", UPDATE)
    assert 0 < written[-1]["reused"] < written[-1]["chunks"]
    expected = _full(tmp_path, "changed", inputs)
    assert _rdf(work / "out") == expected

    # nothing changed: graph.ttl copied whole, void.ttl the same; the graphs copied from the previous
    # graph.nq keep the digests it was checked against
    _build(work, "out", UPDATE)
    assert written[-1]["copied"] == 1
    assert _rdf(work / "out") == expected
    assert _digests(work / "out") == _digests(tmp_path / "changed" / "out")

    # the state missing, or of a graph.ttl that is not there any more: everything written again
    (BuildDir(work / "out").store / turtle_chunks.STATE_FILE).unlink()
    _build(work, "out", UPDATE)
    assert written[-1]["reused"] == 0 and _rdf(work / "out") == expected
    (work / "out" / "graph.ttl").write_bytes(b"")
    _build(work, "out", UPDATE)
    assert written[-1]["reused"] == 0 and _rdf(work / "out") == expected
