"""BuildDir: every path of an output folder, its lock, staging and commit, and the store pins."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from kg.build import BuildDir
from kg.build.store import build_store
from kg.errors import KgError
from kg.viz import VIEWS

from ..conftest import ROOT

QUAD = '<http://x/s> <http://x/p> "{}" <http://x/g> .\n'


def test_every_path_of_a_build_comes_from_its_build_dir(seed_build, seeds_dir):
    written = set(seed_build.written)  # as the build was given its folder: "exports/…"
    named = BuildDir("exports")
    outputs = [named.papers_jsonl, named.corpus_json, named.graph_json, named.graph_nq, named.graph_ttl,
               named.void_ttl, named.report_json, *(named.map_page(view) for view in VIEWS)]
    assert {str(path) for path in outputs} <= written
    folder = BuildDir(seeds_dir / "exports")
    assert folder.cache.is_file() and folder.lock_file.is_file()
    assert folder.store.is_symlink() and folder.store_db.is_dir() and folder.store_record.is_file()
    assert folder.store.resolve().parent == folder.state
    assert not folder.staging_dir.exists() and folder.legacy_stores == []
    assert folder.read_corpus() == seed_build.corpus
    assert sorted(folder.read_graph().nodes) == sorted(seed_build.graph.nodes)


def test_the_modules_that_read_or_write_a_build_folder_spell_no_file_name_of_their_own():
    """The names live in kg/build/folder.py; the build, the store, the commands ask a BuildDir."""
    names = re.compile(r"""["'](graph\.nq|graph\.ttl|graph\.json|corpus\.json|papers\.jsonl|report\.json|void\.ttl|"""
                       r"""\.kg|\.oxigraph-store|staging|store\.json|extract\.sqlite|lock)["']""")
    modules = [*(ROOT / "kg" / "build").glob("*.py"), *(ROOT / "kg" / "sparql").glob("*.py"), ROOT / "kg" / "cli.py"]
    found = {f"{path.relative_to(ROOT)}: {match.group(0)}" for path in modules if path.name != "folder.py"
             for match in names.finditer(path.read_text(encoding="utf-8"))}
    assert found == set()


def _graph_only(folder: Path, value: str = "a") -> BuildDir:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "graph.nq").write_text(QUAD.format(value), encoding="utf-8")
    return BuildDir(folder)


def _new_store(folder: BuildDir) -> None:
    with folder.lock(), folder.staging() as stage:
        build_store(folder.graph_nq, stage)
        folder.commit(stage, [])


def test_a_commit_removes_an_old_store_only_once_no_reader_holds_it(tmp_path):
    folder = _graph_only(tmp_path / "out")
    _new_store(folder)
    first = folder.store.resolve()
    assert first.name == "store-1"
    pin = folder.pin_store()
    assert pin.path.resolve() == first
    _new_store(folder)
    assert folder.store.resolve().name == "store-2"
    assert (first / "db").is_dir()  # pinned: kept, whole
    pin.close()
    _new_store(folder)
    assert sorted(p.name for p in folder.state.glob("store-*")) == ["store-3"]


def test_a_commit_never_changes_a_store_in_place(tmp_path):
    """Readers may have a store open: a new one is a new folder, and the link turns to it."""
    folder = _graph_only(tmp_path / "out")
    _new_store(folder)
    db = folder.store.resolve() / "db"
    before = {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size) for p in db.iterdir()}
    pin = folder.pin_store()
    _graph_only(tmp_path / "out", "b")
    _new_store(folder)
    assert {p.name: (p.stat().st_ino, p.stat().st_mtime_ns, p.stat().st_size) for p in db.iterdir()} == before
    pin.close()


def test_one_writer_at_a_time(tmp_path):
    folder = _graph_only(tmp_path / "out")
    with folder.lock():
        with pytest.raises(KgError, match="another kg build is writing this folder"):
            with folder.lock():
                pass


def test_staging_is_a_build_dir_removed_afterwards(tmp_path):
    folder = BuildDir(tmp_path / "out")
    with folder.lock(), pytest.raises(RuntimeError):
        with folder.staging() as stage:
            assert stage.path == folder.staging_dir and stage.path.is_dir()
            stage.graph_nq.write_text("", encoding="utf-8")
            raise RuntimeError
    assert not folder.staging_dir.exists()


def test_commit_moves_outputs_then_the_store_and_clears_older_stores(tmp_path):
    folder = _graph_only(tmp_path / "out")
    (folder.path / ".oxigraph-store" / "db").mkdir(parents=True)  # kg serve's own store, before
    folder.store.mkdir(parents=True)  # the store of an older kg: the database itself at .kg/store
    (folder.store / "CURRENT").write_text("MANIFEST-000001\n", encoding="utf-8")
    (folder.state / "store.json").write_text('{"dirty": false, "graphs": {}}', encoding="utf-8")
    assert sorted(p.name for p in folder.legacy_stores) == [".oxigraph-store", "store", "store.json"]
    with folder.lock(), folder.staging() as stage:
        stage.report_json.write_text("{}\n", encoding="utf-8")
        build_store(folder.graph_nq, stage)
        written = folder.commit(stage, [str(stage.report_json)])
    assert written == [str(folder.report_json)] and folder.report_json.read_text() == "{}\n"
    assert folder.legacy_stores == [] and folder.store.is_symlink() and os.readlink(folder.store) == "store-1"
