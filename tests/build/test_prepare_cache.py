"""The first half of an update (kg.build.prepare) through the parse cache and the ranked
Extractions: an unchanged input is neither parsed nor ranked again, and the corpus is the one a
full build prepares."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import kg.extract.mentions as mentions
import kg.ingest as ingest
from kg.build import BuildConfig
from tests.conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS, prepare_in

pytestmark = pytest.mark.slow  # spaCy over the seeds


def _prepare(folder: Path, config: BuildConfig):
    return prepare_in(folder, config)


def _counting(monkeypatch) -> tuple[list, list]:
    """The files parsed and the texts ranked from now on."""
    parsed, ranked = [], []
    read_data, finish = ingest._read_data, mentions._finish

    def counted_read(data, path, *args):
        parsed.append(path)
        return read_data(data, path, *args)

    def counted_finish(entry, *args):
        ranked.append(entry.title)
        return finish(entry, *args)

    monkeypatch.setattr(ingest, "_read_data", counted_read)
    monkeypatch.setattr(mentions, "_finish", counted_finish)
    return parsed, ranked


def test_an_update_parses_and_ranks_only_what_changed(tmp_path, monkeypatch):
    (tmp_path / "seeds").mkdir()
    for name in (SEED_DIGEST, SEED_FEED_1):
        shutil.copy(SEEDS / name, tmp_path / "seeds" / name)
    full = _prepare(tmp_path, BuildConfig())
    parsed, ranked = _counting(monkeypatch)
    same = _prepare(tmp_path, BuildConfig(update=True))
    assert (parsed, ranked) == ([], [])
    assert same.corpus == full.corpus and same.stats == full.stats | {"files_parsed": 0, "files_reused": 2,
                                                                     "texts_extracted": 0, "texts_reused": 15,
                                                                     "texts_ranked": 0, "ranks_reused": 15}

    shutil.copy(SEEDS / SEED_FEED_2, tmp_path / "seeds" / SEED_FEED_2)
    added = _prepare(tmp_path, BuildConfig(update=True))
    assert parsed == [f"seeds/{SEED_FEED_2}"]
    # the new feed's texts (one repeats a first-feed text), and texts whose topics the new ones print otherwise
    assert 9 <= len(ranked) < 24
    monkeypatch.undo()
    assert added.corpus == _prepare(tmp_path, BuildConfig()).corpus
