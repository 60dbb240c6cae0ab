"""`kg build --update` writes graph.graphml, graph.gexf and graph.json from the previous build's bytes
where nodes and edges did not change (kg.export.fragments): the same bytes as a full build, with
and without output workers, and everything made anew when the previous build's indexes are gone."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from kg.build import BuildConfig, BuildDir
from kg.export import fragments
from kg.extract import ExtractConfig
from tests.conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS, build_in, output_files, seeds_folder

pytestmark = pytest.mark.slow  # builds

TARGETS = ("graphml", "gexf")
INDEXED = ["graph.gexf", "graph.graphml", "graph.json"]


_build, _seeds = build_in, seeds_folder


def _outputs(folder: Path) -> dict[str, bytes]:
    """output_files but changes.json and changes.html, which only a build over another writes."""
    return {k: v for k, v in output_files(folder).items() if not k.startswith("changes.")}


@pytest.fixture
def copied(monkeypatch):
    """Items copied from the previous file, all indexed outputs together, per section."""
    counts: dict[str, int] = {}
    original = fragments._Writer._emit

    def counting(self, section, data, lengths, fps, counts_):
        if self.previous is not None:
            counts[section.name] = counts.get(section.name, 0) + len(lengths)
        return original(self, section, data, lengths, fps, counts_)

    monkeypatch.setattr(fragments._Writer, "_emit", counting)
    return counts


@pytest.mark.parametrize("jobs", [1, 2])
def test_update_copies_unchanged_fragments_and_equals_a_full_build(tmp_path, copied, jobs):
    config = BuildConfig(targets=TARGETS, pages=False, extract=ExtractConfig(n_process=jobs))
    work = _seeds(tmp_path / "work", SEED_DIGEST, SEED_FEED_1)
    _build(work, config)
    out = BuildDir(work / "out")
    assert sorted(p.name for p in out.fragments.iterdir()) == [name + fragments.INDEX_SUFFIX for name in INDEXED]
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    _build(work, BuildConfig(targets=TARGETS, pages=False, update=True, extract=ExtractConfig(n_process=jobs)))
    if jobs == 1:  # (the workers' counts stay in the workers)
        assert copied["nodes"] > 0 and copied["edges"] > 0
    full = _seeds(tmp_path / "full", SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(full, config)
    updated = _outputs(work / "out")
    assert updated == output_files(full / "out")
    # the update's own indexes describe its files: a no-change update copies every item
    copied.clear()
    _build(work, BuildConfig(targets=TARGETS, pages=False, update=True, extract=ExtractConfig(n_process=jobs)))
    assert _outputs(work / "out") == updated
    if jobs == 1:
        graph = BuildDir(work / "out").read_graph()
        groups = sum(1 for _, adj in graph.adjacency() if adj)
        assert copied == {"nodes": 3 * len(graph), "edges": 3 * groups}


def test_update_without_the_previous_indexes_writes_everything(tmp_path, copied):
    config = BuildConfig(targets=TARGETS, pages=False)
    work = _seeds(tmp_path / "work", SEED_DIGEST, SEED_FEED_1)
    _build(work, config)
    shutil.rmtree(BuildDir(work / "out").fragments)
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    _build(work, BuildConfig(targets=TARGETS, pages=False, update=True))
    assert copied == {}
    assert sorted(p.name for p in BuildDir(work / "out").fragments.iterdir()) == [name + fragments.INDEX_SUFFIX for name in INDEXED]
    full = _seeds(tmp_path / "full", SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(full, config)
    assert _outputs(work / "out") == output_files(full / "out")
