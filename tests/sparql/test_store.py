"""One store: kg query and kg serve read the store kg build keeps; an older folder's store is rebuilt
with one line; --update keeps the merged default graph right."""

from __future__ import annotations

import fcntl
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pyoxigraph import DefaultGraph, RdfFormat, Store, parse

from kg.build import BuildConfig, BuildDir, build
from kg.sparql import load_query, open_store, run_query

from ..conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS

pytestmark = [pytest.mark.model, pytest.mark.slow]  # builds, kg serve

FAST = BuildConfig(targets=(), pages=False)
DAI = ["coauthors", "--param", "author=D Dai", "--format", "csv"]
DAI_ROWS = "coauthor,papers\nB Chang,1\nF Wei,1\nL Dong,1\nY Hao,1\nZ Sui,1\n"


def kg(*args, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kg", *args], cwd=cwd, capture_output=True, text=True)


def _state(folder: BuildDir) -> dict:
    """Every file of the store folder and the link: inode, size and modification time."""
    files = {"link": (os.readlink(folder.store), folder.store.lstat().st_ino)}
    for path in sorted(folder.store.resolve().rglob("*")):
        stat = path.stat()
        files[str(path)] = (stat.st_ino, stat.st_size, stat.st_mtime_ns)
    return files


def _build(work: Path, *names: str, update: bool = False) -> BuildDir:
    (work / "seeds").mkdir(parents=True, exist_ok=True)
    for old in (work / "seeds").iterdir():
        if old.name not in names:
            old.unlink()
    for name in names:
        shutil.copy(SEEDS / name, work / "seeds" / name)
    cwd = os.getcwd()
    os.chdir(work)
    try:
        build(["seeds"], "out", BuildConfig(targets=(), pages=False, update=update))
    finally:
        os.chdir(cwd)
    return BuildDir(work / "out")


def test_kg_query_reads_the_build_store_and_changes_nothing(seed_build, seeds_dir):
    folder = BuildDir(seeds_dir / "exports")
    before = _state(folder)
    for _ in range(2):
        done = kg("query", *DAI, "--graph", str(folder.path))
        assert (done.returncode, done.stdout, done.stderr) == (0, DAI_ROWS, "")
    assert _state(folder) == before
    assert not (folder.path / ".oxigraph-store").exists()
    # the store's default graph is graph.ttl's triples, its named graphs graph.nq's quads
    store = Store.read_only(str(folder.store_db))
    assert {q.triple for q in store.quads_for_pattern(None, None, None, DefaultGraph())} == {
        q.triple for q in parse(path=str(folder.graph_ttl), format=RdfFormat.TURTLE)}
    assert {q for q in store if q.graph_name != DefaultGraph()} == set(parse(path=str(folder.graph_nq), format=RdfFormat.N_QUADS))


def _make_old(folder: BuildDir, how: str) -> None:
    """The folder as an older kg left it."""
    nquads = folder.graph_nq.read_bytes()
    if how == "old layout":  # the database itself at .kg/store, named graphs only; kg serve's own store beside
        target = folder.store.resolve()
        folder.store.unlink()
        shutil.rmtree(target)
        old = Store(str(folder.store))
        old.bulk_load(nquads, format=RdfFormat.N_QUADS)
        old.flush()
        del old
        (folder.state / "store.json").write_text(json.dumps({"dirty": False, "graphs": {}}), encoding="utf-8")
        serve = folder.path / ".oxigraph-store"
        shutil.copytree(folder.store, serve / "db")
        (serve / "source.json").write_text('{"layout": "named graphs + merged default graph, compacted"}', encoding="utf-8")
    else:  # the link, but a record of another layout
        record = json.loads(folder.store_record.read_text())
        record["layout"] = "named graphs"
        folder.store_record.write_text(json.dumps(record), encoding="utf-8")


@pytest.mark.parametrize("how", ["old layout", "old stamp"])
def test_a_folder_of_an_older_kg_gets_its_store_rebuilt_with_one_line(tmp_path, how):
    folder = _build(tmp_path, SEED_DIGEST)
    _make_old(folder, how)
    done = kg("query", *DAI, "--graph", "out", cwd=tmp_path)
    assert done.returncode == 0 and done.stdout == DAI_ROWS, done.stderr
    assert re.fullmatch(r"out/: store from an older kg rebuilt from graph\.nq \(\d+\.\d s\)\n", done.stderr), done.stderr
    assert not (folder.path / ".oxigraph-store").exists() and not (folder.state / "store.json").exists()
    assert folder.store.is_symlink() and folder.legacy_stores == []
    again = kg("query", *DAI, "--graph", "out", cwd=tmp_path)
    assert (again.stdout, again.stderr) == (DAI_ROWS, "")
    # the store a later update starts from: made anew (the rebuilt one holds no digests), then patched
    _build(tmp_path, SEED_DIGEST, SEED_FEED_1, update=True)
    assert kg("query", *DAI, "--graph", "out", cwd=tmp_path).stderr == ""


def test_kg_serve_rebuilds_an_older_store_too(tmp_path):
    folder = _build(tmp_path, SEED_DIGEST)
    _make_old(folder, "old layout")
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", "out", "--port", "0"], cwd=tmp_path,
                               stderr=subprocess.PIPE, text=True)
    try:
        assert re.fullmatch(r"out/: store from an older kg rebuilt from graph\.nq \(\d+\.\d s\)\n", process.stderr.readline())
        assert process.stderr.readline().startswith("SPARQL endpoint: http://127.0.0.1:")
        assert not (folder.path / ".oxigraph-store").exists() and folder.store.is_symlink()
    finally:
        process.terminate()
        process.wait(20)
        process.stderr.close()


def test_a_folder_a_build_is_writing_is_read_from_graph_nq(tmp_path):
    """No rebuild while another process holds the folder: kg query reads graph.nq into memory."""
    folder = _build(tmp_path, SEED_DIGEST)
    _make_old(folder, "old layout")
    with open(folder.lock_file, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        done = kg("query", *DAI, "--graph", "out", cwd=tmp_path)
        assert (done.returncode, done.stdout, done.stderr) == (0, DAI_ROWS, "")
        assert (folder.path / ".oxigraph-store").exists() and not folder.store.is_symlink()


def _ask(folder: BuildDir, triple: str) -> bool:
    return run_query(open_store(folder.path), load_query(f"ASK {{ {triple} }}"), {}).rows == ((True,),)


def _only_in(folder: BuildDir, file: str) -> str:
    """A triple that the named graph of seed `file` states and no other graph does, as SPARQL text."""
    store = Store.read_only(str(folder.store_db))
    graph = next(g for g in store.named_graphs() if g.value.endswith(file))
    for quad in store.quads_for_pattern(None, None, None, graph):
        if all(q.graph_name in (graph, DefaultGraph()) for q in store.quads_for_pattern(quad.subject, quad.predicate, quad.object)):
            return f"{quad.subject} {quad.predicate} {quad.object}"
    raise AssertionError(f"no triple of {file} alone")


def test_update_keeps_the_default_graph_right(tmp_path):
    folder = _build(tmp_path, SEED_DIGEST, SEED_FEED_1)
    removed = _only_in(folder, SEED_DIGEST)
    assert _ask(folder, removed)
    folder = _build(tmp_path, SEED_FEED_1, SEED_FEED_2, update=True)  # the digest goes, the second feed comes
    added = _only_in(folder, SEED_FEED_2)
    assert not _ask(folder, removed) and _ask(folder, added)
    store = Store.read_only(str(folder.store_db))
    assert {q.triple for q in store.quads_for_pattern(None, None, None, DefaultGraph())} == {
        q.triple for q in parse(path=str(folder.graph_ttl), format=RdfFormat.TURTLE)}
