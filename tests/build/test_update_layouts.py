"""`kg build --update` lays out again only the map components whose inputs changed: the previous
build's layouts are kept in OUT/.kg/fragments/layouts.bin (kg.viz.layout_cache), and the maps are
the same bytes as a full build's."""

from __future__ import annotations

import shutil

import pytest

from kg.build import BuildConfig, BuildDir
from kg.viz import layout_cache
from kg.viz.page import LAYOUTS_FILE
from tests.conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS, build_in, seeds_folder

pytestmark = pytest.mark.slow  # builds

MAPS = ("collaboration.html", "institutions.html", "topics.html")


_build, _seeds = build_in, seeds_folder


@pytest.fixture
def caches(monkeypatch):
    """Every LayoutCache read by the builds, in order."""
    made = []
    original = layout_cache.LayoutCache.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        made.append(self)

    monkeypatch.setattr(layout_cache.LayoutCache, "__init__", init)
    return made


def test_an_update_reuses_the_maps_layouts_and_writes_the_full_build_s_maps(tmp_path, caches):
    config = BuildConfig(targets=())
    work = _seeds(tmp_path / "work", SEED_DIGEST, SEED_FEED_1)
    _build(work, config)
    kept = BuildDir(work / "out").fragments / LAYOUTS_FILE
    assert kept.is_file() and caches[-1].hits == 0 and caches[-1].misses > 0  # a full build reads none
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    _build(work, BuildConfig(targets=(), update=True))
    full = _seeds(tmp_path / "full", SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(full, config)
    assert caches[-1].hits == 0
    for name in MAPS:
        assert (work / "out" / name).read_bytes() == (full / "out" / name).read_bytes(), name
    # a no-change update lays nothing out: every component's layout is the one kept
    _build(work, BuildConfig(targets=(), update=True))
    assert caches[-1].misses == 0 and caches[-1].hits > 0
    for name in MAPS:
        assert (work / "out" / name).read_bytes() == (full / "out" / name).read_bytes(), name
    # a damaged file is ignored: everything is laid out again, to the same pages
    kept.write_bytes(kept.read_bytes()[:-7])
    _build(work, BuildConfig(targets=(), update=True))
    assert caches[-1].hits == 0 and caches[-1].misses > 0
    for name in MAPS:
        assert (work / "out" / name).read_bytes() == (full / "out" / name).read_bytes(), name
