"""Bulk load of the seed build's N-Quads shards into a private Virtuoso (Debian's virtuoso-t, isql-vt).

A server of our own runs in a temp folder (own virtuoso.ini: a free SQL port on loopback, no HTTP
listener, small buffers, DirsAllowed = the shard folder only) and is stopped after the module.
Without Virtuoso the server tests are skipped, unless KG_REQUIRE_VIRTUOSO is set (CI).
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad

from kg.cli import cli
from kg.errors import InputError
from kg.export.nquads_shards import read_manifest, write_manifest, write_nquads_shards, write_shards
from kg.load import VirtuosoError, load_virtuoso, run_isql

from ..conftest import SEEDS

ROOT = Path(__file__).resolve().parents[2]
VIRTUOSO_T = shutil.which("virtuoso-t")
ISQL = shutil.which("isql-vt")
REASON = None if VIRTUOSO_T and ISQL else "virtuoso-t or isql-vt not on PATH (make virtuoso)"
if REASON is not None and os.environ.get("KG_REQUIRE_VIRTUOSO"):
    # CI sets this so a missing Virtuoso fails the run instead of skipping the load tests quietly
    raise RuntimeError(f"KG_REQUIRE_VIRTUOSO is set but Virtuoso is not installed: {REASON}")
needs_virtuoso = pytest.mark.skipif(REASON is not None, reason=str(REASON))
pytestmark = pytest.mark.slow  # Virtuoso, and the seed build's shards
BASE = "https://example.org/kg/"

INI = """\
[Database]
DatabaseFile = {db}/virtuoso.db
ErrorLogFile = {db}/virtuoso.log
LockFile = {db}/virtuoso.lck
TransactionFile = {db}/virtuoso.trx
xa_persistent_file = {db}/virtuoso.pxa
ErrorLogLevel = 7
FileExtend = 200
MaxCheckpointRemap = 2000
Striping = 0
TempStorage = TempDatabase

[TempDatabase]
DatabaseFile = {db}/virtuoso-temp.db
TransactionFile = {db}/virtuoso-temp.trx
MaxCheckpointRemap = 2000
Striping = 0

[Parameters]
ServerPort = 127.0.0.1:{port}
DisableUnixSocket = 1
ServerThreads = 8
CheckpointInterval = 0
NumberOfBuffers = 2000
MaxDirtyBuffers = 1200
DirsAllowed = {allowed}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def shards(seed_build, tmp_path_factory) -> Path:
    # a quote in the folder name: the loader's SQL literals must carry it to the server intact
    out = tmp_path_factory.mktemp("virtuoso") / "kg's shards"
    write_nquads_shards(seed_build.corpus, out, BASE)
    return out / "nquads"


@pytest.fixture(scope="module")
def virtuoso(shards, tmp_path_factory):
    """A private Virtuoso server; yields isql connection arguments."""
    db = tmp_path_factory.mktemp("virtuoso-db")
    port = free_port()
    ini = db / "virtuoso.ini"
    ini.write_text(INI.format(db=db, port=port, allowed=shards), encoding="utf-8")
    log = (db / "stdout.log").open("wb")
    server = subprocess.Popen([VIRTUOSO_T, "+foreground", "+configfile", str(ini)], cwd=db, stdout=log,
                              stderr=subprocess.STDOUT)
    conn = dict(host="127.0.0.1", port=port, isql=ISQL, timeout=120)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if run_isql("SELECT 'kg' || chr(9) || 'up';\n", **{**conn, "timeout": 10}) == [["up"]]:
                    break
            except VirtuosoError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"Virtuoso did not start: {(db / 'virtuoso.log').read_text(errors='replace')[-2000:]}")
            time.sleep(0.5)
        yield conn
    finally:
        server.terminate()  # Virtuoso shuts down cleanly on SIGTERM
        try:
            server.wait(60)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


def sparql_rows(conn, query: str) -> list[list[str]]:
    return run_isql(f"SPARQL {query};\n", **conn)


def count_quads(conn) -> tuple[int, int]:
    """(quads, graphs) under the base, counted by SPARQL rather than by the loader."""
    rows = sparql_rows(conn, 'SELECT (CONCAT("kg\\t", STR(COUNT(*)), "\\t", STR(COUNT(DISTINCT ?g))) AS ?row) '
                             f'WHERE {{ GRAPH ?g {{ ?s ?p ?o }} FILTER (STRSTARTS(STR(?g), "{BASE}")) }}')
    return int(rows[0][0]), int(rows[0][1])


@needs_virtuoso
@pytest.mark.model
def test_seed_shards_bulk_load_into_virtuoso(virtuoso, shards, seeds_dir):
    manifest = read_manifest(shards)
    graph_nq = (seeds_dir / "exports" / "graph.nq").read_bytes().splitlines()
    assert manifest["quads"] == len(graph_nq)  # the shards hold the build's graph.nq, quad for quad

    result = load_virtuoso(shards, jobs=2, **virtuoso)

    assert result.problems == []
    assert [(Path(f.file).name, f.state, f.error) for f in result.files] == [
        ("derived-00000.nq.gz", 2, None), ("part-00000.nq.gz", 2, None)]
    assert result.files[0].file == f"{shards}/derived-00000.nq.gz"
    assert result.quads == manifest["quads"]
    # every seed file is a named graph, plus <base>graph/derived
    assert count_quads(virtuoso) == (manifest["quads"], len(list(SEEDS.iterdir())) + 1) == (len(graph_nq), 4)


@needs_virtuoso
@pytest.mark.model
def test_coauthors_query_runs_on_virtuoso(virtuoso, shards):
    load_virtuoso(shards, **virtuoso)
    # the project's own named query, unchanged, as a subquery; "D Dai" chosen outside it
    lines = [line for line in (ROOT / "kg" / "queries" / "coauthors.rq").read_text().splitlines()
             if not line.startswith("#")]
    prologue = "\n".join(line for line in lines if line.startswith("PREFIX"))
    body = "\n".join(line for line in lines if not line.startswith("PREFIX"))
    rows = sparql_rows(virtuoso, f'{prologue}\nSELECT (CONCAT("kg\\t", ?coauthor, "\\t", STR(?papers)) AS ?row)\n'
                                 f'WHERE {{ {{ {body} }} FILTER (?author = "D Dai") }} ORDER BY ?row')
    assert rows == [["B Chang", "1"], ["F Wei", "1"], ["L Dong", "1"], ["Y Hao", "1"], ["Z Sui", "1"]]


@needs_virtuoso
@pytest.mark.model
def test_reload_replaces_the_graphs(virtuoso, shards):
    load_virtuoso(shards, **virtuoso)
    manifest = read_manifest(shards)
    graph = sorted(manifest["shards"][-1]["graphs"])[0]
    sparql_rows(virtuoso, f'INSERT DATA {{ GRAPH <{graph}> {{ <{BASE}stale> <{BASE}p> "left from an older build" }} }}')
    assert count_quads(virtuoso)[0] == manifest["quads"] + 1

    result = load_virtuoso(shards, **virtuoso)

    assert result.problems == [] and result.quads == manifest["quads"]
    assert count_quads(virtuoso) == (manifest["quads"], 4)


def _insert(conn, graph: str) -> None:
    sparql_rows(conn, f'INSERT DATA {{ GRAPH <{graph}> {{ <{BASE}s> <{BASE}p> "from elsewhere" }} }}')


def _quads_in(conn, graph: str) -> int:
    rows = sparql_rows(conn, f'SELECT (CONCAT("kg\\t", STR(COUNT(*))) AS ?row) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}')
    return int(rows[0][0])


@needs_virtuoso
@pytest.mark.model
def test_a_deleted_sources_graph_is_dropped_and_no_other_graph(virtuoso, shards):
    manifest = read_manifest(shards)
    assert manifest["source_graph_prefix"] == f"{BASE}source/"
    load_virtuoso(shards, **virtuoso)
    # a source of an earlier load, deleted since ("%" and "_" are no wildcards), and a graph of someone else
    deleted, other = f"{BASE}source/old_100%25.txt", "http://other.example/graph"
    _insert(virtuoso, deleted)
    _insert(virtuoso, other)

    kept = load_virtuoso(shards, prune=False, **virtuoso)
    assert kept.problems == [] and kept.dropped == ()
    assert count_quads(virtuoso) == (manifest["quads"] + 1, 5)

    path = shards / "manifest.json"
    text = path.read_text(encoding="utf-8")
    try:  # a manifest written before the prefix was recorded prunes nothing
        path.write_text(json.dumps({k: v for k, v in manifest.items() if k != "source_graph_prefix"}), encoding="utf-8")
        assert load_virtuoso(shards, **virtuoso).dropped == ()
    finally:
        path.write_text(text, encoding="utf-8")

    result = CliRunner().invoke(cli, ["load", "virtuoso", str(shards), "--host", virtuoso["host"],
                                      "--port", str(virtuoso["port"]), "--isql", virtuoso["isql"]])
    assert result.exit_code == 0, result.output
    assert result.stderr.endswith(f"graphs of deleted sources dropped: 1 (<{deleted}>)\n")
    assert count_quads(virtuoso) == (manifest["quads"], 4)
    assert _quads_in(virtuoso, deleted) == 0 and _quads_in(virtuoso, other) == 1
    sparql_rows(virtuoso, f"CLEAR GRAPH <{other}>")


@needs_virtuoso
@pytest.mark.model
def test_failed_files_are_errors(virtuoso, tmp_path):
    # a shard the manifest vouches for (sha256 matches) whose N-Quads the server cannot parse
    graph = NamedNode(f"{BASE}source/broken")
    write_manifest(tmp_path, write_shards([Quad(graph, graph, Literal("x"), graph)], tmp_path))
    broken = gzip.compress(f'<{BASE}a> <{BASE}b> "unterminated <{graph.value}> .\n'.encode(), mtime=0)
    (tmp_path / "part-00000.nq.gz").write_bytes(broken)
    manifest = read_manifest(tmp_path)
    manifest["shards"][0]["sha256"] = hashlib.sha256(broken).hexdigest()
    (tmp_path / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    args = ["load", "virtuoso", str(tmp_path), "--host", virtuoso["host"], "--port", str(virtuoso["port"]),
            "--isql", virtuoso["isql"]]

    result = CliRunner().invoke(cli, args)

    assert result.exit_code == 1
    parse_error = f"{tmp_path}/part-00000.nq.gz: 37000 [Vectorized Turtle loader] SP029: NQuads RDF loader, line "
    assert result.stdout.startswith(parse_error)
    assert result.stderr == (f"Error: {result.stdout.strip()}; "
                             f"graph <{graph.value}>: 0 quads in the store, 1 in the manifest\n")

    # a folder the server does not see: the file is queued and never loaded
    missing = CliRunner().invoke(cli, args + ["--server-dir", "/nonexistent/kg"])

    assert missing.exit_code == 1
    assert missing.stdout == "/nonexistent/kg/part-00000.nq.gz: not loaded (ll_state 0: waiting)\n"


@needs_virtuoso
@pytest.mark.model
def test_load_command_prints_every_file(virtuoso, shards):
    runner = CliRunner()
    result = runner.invoke(cli, ["load", "virtuoso", str(shards.parent), "--host", virtuoso["host"],
                                 "--port", str(virtuoso["port"]), "--isql", virtuoso["isql"], "--jobs", "2"])
    assert result.exit_code == 0, result.output
    assert result.stdout == f"{shards}/derived-00000.nq.gz: loaded\n{shards}/part-00000.nq.gz: loaded\n"
    quads = read_manifest(shards)["quads"]
    assert result.stderr.startswith(f"{quads} quads in 4 graphs loaded in ")


def test_no_isql_client_is_a_clear_error(tmp_path):
    (tmp_path / "manifest.json").write_text('{"shards": []}', encoding="utf-8")
    with pytest.raises(VirtuosoError, match=r"^/nonexistent/isql-vt not found: install Virtuoso"):
        load_virtuoso(tmp_path, isql="/nonexistent/isql-vt")


def test_a_shard_changed_after_the_manifest_is_refused(tmp_path):
    g = NamedNode("http://g.example/1")
    shards = write_shards([Quad(g, g, Literal("x"), g)], tmp_path)
    write_manifest(tmp_path, shards)
    (tmp_path / "part-00000.nq.gz").write_bytes(b"changed")
    # refused before any isql call: the client below does not exist
    with pytest.raises(InputError, match=r"part-00000.nq.gz differs from manifest.json \(sha256\)"):
        load_virtuoso(tmp_path, isql="/nonexistent/isql-vt")
    (tmp_path / "part-00000.nq.gz").unlink()
    with pytest.raises(InputError, match=r"part-00000.nq.gz is listed in manifest.json but missing"):
        load_virtuoso(tmp_path, isql="/nonexistent/isql-vt")
