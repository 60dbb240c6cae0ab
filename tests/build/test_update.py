"""Incremental builds (`--update`), the persistent store, the extraction cache, interrupted builds,
and determinism across --jobs and engines: every path gives the outputs of a full build, byte for byte."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from pyoxigraph import RdfFormat, Store, parse

from kg.build import BuildConfig, BuildDir, build, run as build_run, store as kg_store
from kg.errors import KgError
from kg.extract import ExtractConfig
from kg.extract.cache import FindingsCache
from kg.extract.findings import Findings
from tests.conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS, output_files

pytestmark = pytest.mark.slow  # builds (~27 of them), Dask
FAST = BuildConfig(targets=(), pages=False)  # the core outputs are enough to compare paths


def _seeds(folder: Path, *names: str) -> Path:
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SEEDS / name, folder / "seeds" / name)
    return folder


def _build(folder: Path, out: str, config: BuildConfig = FAST):
    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return build(["seeds"], out, config)
    finally:
        os.chdir(cwd)


def _store_counts(out: Path) -> dict[str, int]:
    store = Store.read_only(str(BuildDir(out).store_db))
    return {g.value: sum(1 for _ in store.quads_for_pattern(None, None, None, g)) for g in store.named_graphs()}


def _nquads_counts(path: Path) -> dict[str, int]:
    counts: dict[str, int] = {}
    for quad in parse(path=str(path), format=RdfFormat.N_QUADS):
        counts[quad.graph_name.value] = counts.get(quad.graph_name.value, 0) + 1
    return counts


@pytest.mark.parametrize("chunk", ["default", 1])  # 1: every changed graph loaded on its own
def test_update_adds_and_removes_sources_like_a_full_build(tmp_path, monkeypatch, chunk):
    if chunk != "default":
        monkeypatch.setattr(kg_store, "LOAD_CHUNK", chunk)
    work = _seeds(tmp_path / "work", SEED_DIGEST, SEED_FEED_1)
    first = _build(work, "out")
    assert first.stats == {"files_parsed": 2, "files_reused": 0, "texts_extracted": 15, "texts_reused": 0,
                           "texts_ranked": 15, "ranks_reused": 0, "author_blocks_clustered": 0, "author_blocks_reused": 0,
                           "store_graphs": 3, "store_changed": 3, "store_removed": 0, "store_patched": 0}
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    added = _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    # the second feed's 10 entries: one repeats a first-feed text (EMO), nine are new
    assert added.stats["texts_extracted"] == 9 and added.stats["texts_reused"] == 15
    assert added.stats["files_parsed"] == 1 and added.stats["files_reused"] == 2
    assert added.stats["store_removed"] == 0 and added.stats["store_graphs"] == 4
    # the derived graph changed (new co-occurrences, hierarchy): patched by its difference, not reloaded
    assert added.stats["store_patched"] >= 1
    (work / "seeds" / SEED_DIGEST).unlink()
    removed = _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    assert removed.stats["texts_extracted"] == 0 and removed.stats["store_removed"] == 1
    assert f"https://example.org/kg/graph/source/seeds/{SEED_DIGEST}" not in _store_counts(work / "out")

    full = _seeds(tmp_path / "full", SEED_FEED_1, SEED_FEED_2)
    _build(full, "out")
    # but changes.json and changes.html, which compare with the folder's previous build (a first build has none)
    updated = output_files(work / "out")
    assert {"changes.json", "changes.html"} <= set(updated)
    assert {k: v for k, v in updated.items() if not k.startswith("changes.")} == output_files(full / "out")
    assert _store_counts(work / "out") == _store_counts(full / "out") == _nquads_counts(work / "out" / "graph.nq")
    assert _store_quads(work / "out") == _store_quads(full / "out")


def _store_quads(out: Path) -> list[str]:
    store = Store.read_only(str(BuildDir(out).store_db))
    return sorted(str(q) for q in store.quads_for_pattern(None, None, None, None))


def test_a_changed_graph_whose_old_block_was_edited_is_reloaded_whole(tmp_path):
    """The store patches a changed graph by its difference from the previous graph.nq only when
    that block is still what the store holds (its digest): an edited graph.nq is not trusted."""
    patched = {}
    for case in ("as written", "edited", "truncated"):
        work = _seeds(tmp_path / case, SEED_DIGEST, SEED_FEED_1)
        _build(work, "out")
        nq = work / "out" / "graph.nq"
        if case == "edited":  # co-authorship counts, in the derived graph only
            nq.write_bytes(nq.read_bytes().replace(b'"1"^^', b'"7"^^'))
        elif case == "truncated":  # the derived graph (last) cut short
            nq.write_bytes(nq.read_bytes()[:-1000])
        shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
        patched[case] = _build(work, "out", BuildConfig(targets=(), pages=False, update=True)).stats["store_patched"]
        if case != "as written":
            assert patched[case] == patched["as written"] - 1  # the derived graph: dropped and loaded whole
            full = _seeds(tmp_path / f"full {case}", SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
            _build(full, "out")
            assert _store_quads(work / "out") == _store_quads(full / "out")


def test_sorted_difference_of_nquads_lines():
    from kg.build.store import _sorted_difference

    assert _sorted_difference([b"a", b"c", b"d"], [b"b", b"c", b"e"], 10) == ([b"a", b"d"], [b"b", b"e"])
    assert _sorted_difference([], [b"a"], 10) == ([], [b"a"])
    assert _sorted_difference([b"a", b"b"], [], 10) == ([b"a", b"b"], [])
    assert _sorted_difference([b"b", b"a"], [b"a"], 10) == (None, [])  # unsorted: no difference trusted
    assert _sorted_difference([b"a"], [b"b", b"b"], 10) == (None, [])  # repeated
    assert _sorted_difference([b"a", b"b", b"c"], [], 2) == (None, [])  # more gone than the limit


@pytest.mark.parametrize("record", ["unreadable", "another layout", "no digests"])
def test_update_over_a_store_it_cannot_trust_makes_the_store_anew(tmp_path, record):
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(work, "out")
    path = BuildDir(work / "out").store_record
    text = path.read_text()
    path.write_text({"unreadable": text[:10], "another layout": text.replace('"named graphs', '"old graphs'),
                     "no digests": text.replace('"graphs": {', '"graphs": null, "was": {')}[record])
    again = _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    assert again.stats["store_changed"] == again.stats["store_graphs"] == 4
    assert _store_counts(work / "out") == _nquads_counts(work / "out" / "graph.nq")


def test_a_build_that_fails_leaves_the_store_as_it_was(tmp_path, monkeypatch):
    """The store changes in the staging folder: a build that dies before its commit leaves the
    previous store, its record and graph.nq as they were, and the next update starts from them."""
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1)
    _build(work, "out")
    out = BuildDir(work / "out")
    before = (_store_quads(work / "out"), out.store_record.read_bytes(), os.readlink(out.store))

    def dies(self, *args, **kwargs):
        raise OSError("disk full")

    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    with monkeypatch.context() as patched:
        patched.setattr(kg_store.StoreUpdate, "finish", dies)
        with pytest.raises(OSError, match="disk full"):
            _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    assert (_store_quads(work / "out"), out.store_record.read_bytes(), os.readlink(out.store)) == before
    assert not out.staging_dir.exists()
    added = _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    assert added.stats["store_patched"] >= 1
    assert _store_counts(work / "out") == _nquads_counts(work / "out" / "graph.nq")


def test_cache_serves_only_its_own_fingerprint(tmp_path):
    findings = Findings({"neural network": [1, 0, 2, True, False]}, [("CMT", "Cross Modal Transformer", True)], ["GFNet"], ["nuScenes"])
    with FindingsCache(tmp_path / "c.sqlite", "aaaa") as cache:
        cache.put_many({"k1": findings})
        assert cache.get_many(["k1", "k2"]) == {"k1": findings}
        assert (cache.hits, cache.misses) == (1, 1)
    with FindingsCache(tmp_path / "c.sqlite", "bbbb") as cache:
        assert cache.get_many(["k1"]) == {}  # another extractor's findings are never served
        assert cache.prune() == 1
    with FindingsCache(tmp_path / "c.sqlite", "aaaa", read=False) as cache:
        assert cache.get_many(["k1"]) == {} and cache.misses == 1


def test_a_second_build_into_the_same_folder_is_refused(tmp_path):
    import fcntl

    work = _seeds(tmp_path, SEED_FEED_1)
    lock = BuildDir(work / "out").lock_file
    lock.parent.mkdir(parents=True)
    with open(lock, "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(KgError, match="another kg build is writing"):
            _build(work, "out")


def test_killed_build_leaves_the_previous_outputs_intact(tmp_path):
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    kg = [sys.executable, "-m", "kg"]
    subprocess.run([*kg, "build", "seeds", "--out", "out", "-q"], cwd=work, check=True)
    before = output_files(work / "out")
    assert len(before) > 40  # the default export set, folders included
    # a changed input, so the killed build would write different files
    (work / "seeds" / SEED_DIGEST).unlink()
    process = subprocess.Popen([*kg, "build", "seeds", "--out", "out", "-q"], cwd=work)
    staging = BuildDir(work / "out").staging_dir
    deadline = time.monotonic() + 120
    while not (staging.exists() and any(staging.iterdir())) and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.005)
    assert process.poll() is None, "the build ended before it could be killed mid-way"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert output_files(work / "out") == before
    # the next build clears the leftovers and completes
    subprocess.run([*kg, "build", "seeds", "--out", "out", "-q"], cwd=work, check=True)
    assert not staging.exists()
    assert output_files(work / "out")["papers.jsonl"] != before["papers.jsonl"]


def test_outputs_do_not_depend_on_jobs_or_engine(tmp_path):
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(work, "one")
    _build(work, "two", BuildConfig(targets=(), pages=False, extract=ExtractConfig(n_process=2)))
    assert output_files(work / "one") == output_files(work / "two")


def _recording_partition(items):
    """kg.extract.engines._forked_partition, noting the process and the partition's size."""
    with open(_SIDE["pids"], "a") as handle:
        handle.write(f"{os.getpid()} {len(items)}\n")
    return _SIDE["partition"](items)


def test_forked_extraction_workers_find_what_one_process_finds(tmp_path, monkeypatch):
    """--jobs 2 on Linux: the texts go to forked workers a partition at a time, and the outputs
    are those of one process, byte for byte."""
    from kg.extract import engines

    pids = tmp_path / "pids"
    monkeypatch.setitem(_SIDE, "pids", pids)
    monkeypatch.setitem(_SIDE, "partition", engines._forked_partition)
    monkeypatch.setattr(engines, "_forked_partition", _recording_partition)
    monkeypatch.setattr(engines.LocalEngine, "partition_size", 5)
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(work, "one", BuildConfig(targets=(), pages=False))
    assert not pids.exists()  # one process: no partitions
    result = _build(work, "two", BuildConfig(targets=(), pages=False, extract=ExtractConfig(n_process=2)))
    runs = [line.split() for line in pids.read_text().splitlines()]
    # the 20 English texts of the 24 entries (Chinese ones are read without spaCy), 5 a partition
    assert [int(n) for _, n in runs] == [5, 5, 5, 5]
    assert str(os.getpid()) not in {pid for pid, _ in runs}
    assert result.stats["texts_extracted"] == 24
    assert output_files(work / "one") == output_files(work / "two")


def _dying_partition(items):
    os._exit(1)  # as a worker killed by the kernel's OOM killer ends


def test_a_dead_extraction_worker_is_a_clear_error(tmp_path, monkeypatch):
    from kg.extract import engines

    monkeypatch.setattr(engines, "_forked_partition", _dying_partition)
    work = _seeds(tmp_path, SEED_FEED_1)
    with pytest.raises(KgError, match="an extraction worker process died"):
        _build(work, "out", BuildConfig(targets=(), pages=False, extract=ExtractConfig(n_process=2)))


def _dying_side_output(task):
    """Dies in a forked worker (as one the OOM killer ends); in this process, writes as usual."""
    if os.getpid() != _SIDE["caller"]:
        os._exit(1)
    return _SIDE["write"](task)


def test_a_dead_output_worker_is_a_clear_error(tmp_path, monkeypatch):
    build_module = build_run
    monkeypatch.setitem(_SIDE, "caller", os.getpid())
    monkeypatch.setitem(_SIDE, "write", build_module._write_side_output)
    monkeypatch.setattr(build_module, "_write_side_output", _dying_side_output)
    work = _seeds(tmp_path, SEED_FEED_1)
    # the worker takes the first task as it starts, long before the RDF is written here
    with pytest.raises(KgError, match="an output worker process died"):
        _build(work, "out", BuildConfig(targets=("graphml", "gexf"), pages=False, extract=ExtractConfig(n_process=2)))
    assert not (work / "out" / "papers.jsonl").exists()  # nothing half-written is committed


@pytest.mark.filterwarnings("ignore")
def test_dask_engine_on_a_local_cluster_gives_the_same_outputs(tmp_path):
    pytest.importorskip("distributed")
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(work, "local")
    result = _build(work, "dask", BuildConfig(targets=(), pages=False, engine="dask", extract=ExtractConfig(n_process=2)))
    assert result.stats["texts_extracted"] == 24
    assert output_files(work / "local") == output_files(work / "dask")


def test_a_file_in_the_way_of_an_output_folder_is_replaced(tmp_path):
    work = _seeds(tmp_path, SEED_FEED_1)
    (work / "out").mkdir()
    (work / "out" / "neo4j").write_text("not a folder")
    _build(work, "out", BuildConfig(targets=("neo4j",), pages=False))
    assert (work / "out" / "neo4j" / "load.cypher").is_file()


def test_engine_names_and_misuse_are_clear():
    from kg.extract.engines import DaskEngine, LocalEngine, engine_names, get_engine

    assert engine_names() == ["dask", "local"]
    assert isinstance(get_engine("local"), LocalEngine)
    assert get_engine("dask", "tcp://10.0.0.1:8786").address == "tcp://10.0.0.1:8786"
    assert isinstance(get_engine("dask"), DaskEngine)
    with pytest.raises(KgError, match="--scheduler only applies to a distributed engine"):
        get_engine("local", "tcp://10.0.0.1:8786")
    with pytest.raises(KgError, match="unknown engine 'ray'; available: dask, local"):
        get_engine("ray")


_SIDE = {}  # the real side-output writer and the file its recording wrapper appends to


def _recording_side_output(task):
    """kg.build.run._write_side_output, noting which process ran it (module level: the pool pickles it)."""
    with open(_SIDE["pids"], "a") as handle:
        handle.write(f"{task[0]} {os.getpid()}\n")
    return _SIDE["write"](task)


def test_exports_and_maps_written_beside_the_rdf_are_the_same(tmp_path, monkeypatch):
    """--jobs 2 also writes the export targets and maps in a forked worker while the RDF is written:
    every file, byte for byte, as one process writes them."""
    build_module = build_run
    pids = tmp_path / "pids"
    monkeypatch.setitem(_SIDE, "pids", pids)
    monkeypatch.setitem(_SIDE, "write", build_module._write_side_output)
    monkeypatch.setattr(build_module, "_write_side_output", _recording_side_output)
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    one = _build(work, "one", BuildConfig())
    assert set(pids.read_text().split()) == {"export", "pages", str(os.getpid())}
    pids.unlink()
    two = _build(work, "two", BuildConfig(extract=ExtractConfig(n_process=2)))
    # the worker starts the first tasks; this process takes over those still waiting after the RDF
    assert len(set(pids.read_text().split()) - {"export", "pages", str(os.getpid())}) <= 1
    files = output_files(work / "one")
    assert {"neo4j/load.cypher", "collaboration.html", "topics.html", "graph.gexf", "graph.graphml",
            "collaboration.vosviewer.json", "void.ttl"} <= set(files)
    assert files == output_files(work / "two")
    assert [Path(p).relative_to("one") for p in one.written] == [Path(p).relative_to("two") for p in two.written]


def test_side_outputs_run_in_a_worker_and_the_caller_takes_over_the_rest(tmp_path, monkeypatch):
    """kg.build.run._side_outputs with one worker: the first task runs in a forked process; tasks still
    waiting when the caller collects run in the caller, from the last back; results in task order."""
    build_module = build_run
    pids = tmp_path / "pids"
    monkeypatch.setitem(_SIDE, "pids", pids)
    caller = os.getpid()
    # the worker's tasks are slow, the caller's quick: the caller then has tasks left to take over
    monkeypatch.setitem(_SIDE, "write", lambda task: time.sleep(0.5 * (os.getpid() != caller)) or [f"{task[1]}.out"])
    monkeypatch.setattr(build_module, "_write_side_output", _recording_side_output)
    tasks = [("export", str(i)) for i in range(6)]
    with build_module._side_outputs(tasks, 1, ()) as side:
        deadline = time.monotonic() + 60
        while not pids.exists() and time.monotonic() < deadline:  # the worker has started a task
            time.sleep(0.01)
        results = list(side)
    assert results == [[f"{i}.out"] for i in range(6)]
    ran = [line.split() for line in pids.read_text().splitlines()]
    here = [pid for _, pid in ran if pid == str(os.getpid())]
    assert len(ran) == 6 and len({pid for _, pid in ran}) == 2 and 1 <= len(here) <= 5


def test_graphs_in_pieces_give_the_same_files_store_and_record(tmp_path, monkeypatch):
    """A big graph goes to graph.nq and the store in pieces (kg.graph.rdf.PIECE_QUADS): the files, the
    store and its record (one digest per whole graph) are those of one block per graph."""
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(work, "whole")
    monkeypatch.setattr(sys.modules["kg.graph.rdf"], "PIECE_QUADS", 7)
    monkeypatch.setattr(kg_store, "LOAD_CHUNK", 5000)
    monkeypatch.setattr(sys.modules["kg.graph.rdf"], "MERGE_BUFFER", 1)  # the smallest read-ahead
    pieces = _build(work, "pieces")
    assert pieces.stats["store_graphs"] == pieces.stats["store_changed"] == 4
    assert output_files(work / "whole") == output_files(work / "pieces")
    def record(out):  # what the store holds; "nquads" names the file (its time) it holds it from
        return {k: v for k, v in json.loads(BuildDir(work / out).store_record.read_text()).items() if k != "nquads"}

    assert record("whole") == record("pieces")
    assert _store_counts(work / "whole") == _store_counts(work / "pieces") == _nquads_counts(work / "pieces" / "graph.nq")
    # the record of whole blocks is the record of pieces: an update of the same files changes nothing
    again = _build(work, "whole", BuildConfig(targets=(), pages=False, update=True))
    assert again.stats["store_changed"] == 0


def test_a_graph_given_in_two_runs_is_refused(tmp_path):
    from kg.build.store import StoreUpdate

    quad = b"<https://example.org/a> <https://example.org/b> <https://example.org/c> <https://example.org/g> .\n"
    with StoreUpdate(BuildDir(tmp_path)) as update:
        update.add("https://example.org/g", quad)
        update.add("https://example.org/h", quad.replace(b"/g>", b"/h>"))
        with pytest.raises(ValueError, match="quads of graph <https://example.org/g> are not together"):
            update.add("https://example.org/g", quad)


def test_table_targets_are_one_task_where_the_first_of_them_is():
    """Neo4j and LadybugDB are written from one set of property tables: one task writes both, so the
    tables are let go as soon as both are written, not held while the other targets are written."""
    tasks = build_run._export_tasks
    assert tasks(("graphml", "neo4j", "gexf", "ladybug-db", "vosviewer")) == [
        ("export", ("graphml",)), ("export", ("neo4j", "ladybug-db")), ("export", ("gexf",)), ("export", ("vosviewer",))]
    assert tasks(("neo4j", "ladybug", "graphml")) == [("export", ("neo4j", "ladybug")), ("export", ("graphml",))]
    assert tasks(("ttl", "gexf")) == [("export", ("ttl",)), ("export", ("gexf",))]
    assert tasks(("neo4j", "gexf", "neo4j")) == [("export", ("neo4j",)), ("export", ("gexf",))]


def test_exporters_say_whether_they_read_the_property_tables():
    from kg.export import exporter_names, get_exporter

    readers = sorted(name for name in exporter_names() if get_exporter(name).reads_tables)
    assert readers == ["ladybug", "ladybug-db", "neo4j"]


def test_an_update_makes_again_only_the_source_graphs_whose_papers_changed(tmp_path, monkeypatch):
    """Each source graph's key (kg.graph.rdf.source_keys) is recorded with the store; an update copies
    a graph whose key it finds unchanged from the previous graph.nq instead of making its quads."""
    from kg.graph import rdf as kg_rdf

    made: list[str] = []
    paper_triples = kg_rdf._paper_triples

    def recording(paper, index, minter):
        made.append(paper.sources[0].file)
        return paper_triples(paper, index, minter)

    monkeypatch.setattr(kg_rdf, "_paper_triples", recording)
    work = _seeds(tmp_path / "work", SEED_DIGEST, SEED_FEED_1)
    _build(work, "out")
    assert sorted(set(made)) == [f"seeds/{SEED_DIGEST}", f"seeds/{SEED_FEED_1}"]
    made.clear()
    again = _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    assert made == [] and again.stats["store_changed"] == 0  # nothing changed: every graph copied
    record = json.loads(BuildDir(work / "out").store_record.read_text(encoding="utf-8"))
    assert set(record["keys"]) == set(record["graphs"]) - {"https://example.org/kg/graph/derived"}
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    _build(work, "out", BuildConfig(targets=(), pages=False, update=True))
    # the new feed is made; so is the first feed, which shares a paper (EMO) with it: that paper
    # now names both sources; the digest's graph is copied
    assert f"seeds/{SEED_DIGEST}" not in {file for file in made}
    assert {f"seeds/{SEED_FEED_1}", f"seeds/{SEED_FEED_2}"} <= set(made)
    full = _seeds(tmp_path / "full", SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(full, "out")
    assert (work / "out" / "graph.nq").read_bytes() == (full / "out" / "graph.nq").read_bytes()
    assert _store_quads(work / "out") == _store_quads(full / "out")


def test_source_keys_move_with_what_a_graph_is_made_from(fixture_corpus):
    from dataclasses import replace

    from kg.graph.rdf import Minter, source_graph, source_keys

    keys = source_keys(fixture_corpus)
    assert source_keys(fixture_corpus) == keys and len(keys) == len({s.file for p in fixture_corpus.papers for s in p.sources})
    assert set(source_keys(fixture_corpus, "https://other.org/").values()).isdisjoint(keys.values())
    # an author renamed by resolution changes the graphs of that author's papers, and only those
    author = fixture_corpus.papers[0].authorships[0].author_id
    renamed = replace(fixture_corpus, authors=tuple(replace(a, name=a.name + " X") if a.id == author else a
                                                    for a in fixture_corpus.authors))
    moved = {g for g, k in source_keys(renamed).items() if keys[g] != k}
    named = {s.file for p in fixture_corpus.papers if any(a.author_id == author for a in p.authorships) for s in p.sources}
    assert moved and moved == {source_graph(Minter(), file).value for file in named}


def test_small_updates_leave_compaction_to_every_seventh(tmp_path, monkeypatch):
    """A full build compacts the store; an update that changes few graphs does not (compacting
    rewrites most of the store), until COMPACT_EVERY updates in a row have not; an update that
    changes many graphs does. The store holds the same quads either way."""
    monkeypatch.setattr(kg_store, "COMPACT_EVERY", 3)
    work = _seeds(tmp_path, SEED_DIGEST, SEED_FEED_1)
    update = BuildConfig(targets=(), pages=False, update=True)

    def uncompacted() -> int | None:
        return json.loads(BuildDir(work / "out").store_record.read_text(encoding="utf-8")).get("uncompacted")

    _build(work, "out")
    full = _store_quads(work / "out")
    assert uncompacted() is None
    assert [(_build(work, "out", update).stats["store_changed"], uncompacted()) for _ in range(3)] == [(0, 1), (0, 2), (0, None)]
    assert _store_quads(work / "out") == full
    # 3 of 4 graphs changed (the new feed's; the first feed's, which shares a paper with it; the
    # derived one): more than a tenth, compacted at once
    _build(work, "out", update)
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds" / SEED_FEED_2)
    added = _build(work, "out", update)
    assert (added.stats["store_changed"], uncompacted()) == (3, None)
    fresh = _seeds(tmp_path / "fresh", SEED_DIGEST, SEED_FEED_1, SEED_FEED_2)
    _build(fresh, "out")
    assert _store_quads(work / "out") == _store_quads(fresh / "out")
