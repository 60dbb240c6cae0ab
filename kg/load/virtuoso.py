"""Bulk-load N-Quads shards (``kg export nquads-shards``) into a running Virtuoso with its bulk loader.

Everything goes through Virtuoso's own ``isql`` client (``isql-vt`` in Debian): the manifest's
graphs are cleared, each shard is queued with ``ld_add``, ``rdf_loader_run()`` loads them (in
`jobs` parallel sessions), ``checkpoint`` makes the load durable, and ``DB.DBA.load_list`` gives
the status of every file. The server reads the files itself, so their folder must be in its
``DirsAllowed`` (virtuoso.ini).
"""

from __future__ import annotations

import posixpath
import re
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError, KgError
from ..export.nquads_shards import MANIFEST, SHARD_DIR, read_manifest
from ..util.files import sha256_of

__all__ = ["FileStatus", "LoadResult", "VirtuosoError", "load_virtuoso", "run_isql"]

# ld_add wants a graph for triples that name none; every quad of a shard names its graph
UNNAMED_GRAPH = "urn:kg:unnamed"
_ROW = "kg\t"  # marks result rows in isql's output, which also holds blank lines and messages
_STATES = {0: "waiting", 1: "loading", 2: "done"}
# graphs deleted per statement: each statement scans RDF_QUAD once; emptying the dev corpus's 1028
# graphs took 12 s in batches of 500, and 31-120 s with SPARQL CLEAR GRAPH graph by graph
_CLEAR_BATCH = 1000


class VirtuosoError(KgError):
    """isql could not run a statement (no client, no server, bad login, SQL error)."""


@dataclass(frozen=True)
class FileStatus:
    """One shard's row of DB.DBA.load_list: the path the server read, ll_state and ll_error."""

    file: str
    state: int
    error: str | None

    @property
    def ok(self) -> bool:
        return self.state == 2 and not self.error

    def describe(self) -> str:
        what = "loaded" if self.ok else self.error or f"not loaded (ll_state {self.state}: {_STATES.get(self.state, '?')})"
        return f"{self.file}: {what}"


@dataclass(frozen=True)
class LoadResult:
    """What a load did: per-file status, quads expected (manifest) and found per graph, seconds."""

    files: tuple[FileStatus, ...]
    expected: dict[str, int]
    found: dict[str, int]
    seconds: float
    dropped: tuple[str, ...] = ()  # source graphs in the store the manifest no longer lists, removed

    @property
    def quads(self) -> int:
        return sum(self.found.values())

    @property
    def problems(self) -> list[str]:
        """Every failed file and every graph whose quad count differs from the manifest."""
        out = [f.describe() for f in self.files if not f.ok]
        out += [f"graph <{g}>: {self.found.get(g, 0)} quads in the store, {n} in the manifest"
                for g, n in sorted(self.expected.items()) if self.found.get(g, 0) != n]
        return out

    @property
    def ok(self) -> bool:
        return not self.problems


def run_isql(sql: str, *, host: str = "localhost", port: int = 1111, user: str = "dba", password: str = "dba",
             isql: str = "isql-vt", timeout: float | None = None) -> list[list[str]]:
    """Run `sql` (statements ending in ";") through isql; returns the rows that start with the
    ``'kg' || chr(9)`` marker, split on tabs. Raises VirtuosoError when any statement fails."""
    # MACRO_SUBSTITUTION=OFF: isql would otherwise expand "$name" even inside string literals
    args = [isql, f"{host}:{port}", user, password, "VERBOSE=OFF", "BANNER=OFF", "PROMPT=OFF", "ECHO=OFF",
            "MACRO_SUBSTITUTION=OFF"]
    try:
        done = subprocess.run(args, input=sql, capture_output=True, text=True, encoding="utf-8", errors="replace",
                              timeout=timeout, check=False)
    except FileNotFoundError:
        raise VirtuosoError(f"{isql} not found: install Virtuoso (scripts/install_virtuoso.sh) or give its isql") from None
    except subprocess.TimeoutExpired:
        raise VirtuosoError(f"isql did not finish within {timeout} s") from None
    # isql exits 0 after a failed statement; its errors go to stderr as "*** Error ..."
    if done.returncode != 0 or "*** Error" in done.stderr:
        message = " ".join(done.stderr.split()) or f"isql exited with status {done.returncode}"
        raise VirtuosoError(f"Virtuoso at {host}:{port}: {message[:1000]}")
    return [line[len(_ROW):].split("\t") for line in done.stdout.splitlines() if line.startswith(_ROW)]


def _sql_string(value: str) -> str:
    """A Virtuoso SQL string literal: Virtuoso reads backslash escapes, so both ' and \\ are escaped."""
    if re.search(r"[\x00-\x1f]", value):
        raise InputError(f"control character in {value!r}")
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


def _find_shards(path) -> Path:
    """The shard folder: `path` itself or its nquads/ subfolder (the `kg export --out` folder)."""
    path = Path(path)
    if not (path / MANIFEST).is_file() and (path / SHARD_DIR / MANIFEST).is_file():
        return path / SHARD_DIR
    return path


def _check_files(folder: Path, manifest: dict) -> None:
    for shard in manifest["shards"]:
        path = folder / shard["file"]
        if not path.is_file():
            raise InputError(f"{path} is listed in {MANIFEST} but missing")
        if sha256_of(path) != shard["sha256"]:
            raise InputError(f"{path} differs from {MANIFEST} (sha256): export the shards again")


def load_virtuoso(shard_dir, *, host: str = "localhost", port: int = 1111, user: str = "dba", password: str = "dba",
                  isql: str = "isql-vt", server_dir: str | None = None, jobs: int = 1,
                  timeout: float | None = None, prune: bool = True) -> LoadResult:
    """Bulk-load the shards of `shard_dir` into the Virtuoso at `host`:`port`, replacing their graphs.

    Parameters
    ----------
    shard_dir : path
        Folder holding manifest.json and the shards, or the export folder above it (``nquads/``).
        Every shard is checked against the manifest's sha256 first.
    host, port, user, password : connection of isql (SQL port, default 1111, dba/dba).
    isql : str
        Virtuoso's isql client (Debian: ``isql-vt``).
    server_dir : str, optional
        The shard folder as the server sees it (a container's mount); default its absolute path.
        It must be listed in DirsAllowed.
    jobs : int
        Parallel ``rdf_loader_run()`` sessions (Virtuoso's advice: one per core).
    timeout : float, optional
        Seconds each isql call may take.
    prune : bool
        Drop the graphs under the manifest's ``source_graph_prefix`` (``<base>source/``) that it
        does not list: the sources deleted since the last load. Graphs outside that prefix are
        never touched; a manifest without the prefix (written before it was recorded) prunes nothing.

    Returns
    -------
    LoadResult
        ``ok`` is False when a file failed (``ll_error``, or never loaded) or a graph's quad count in
        the store differs from the manifest; ``problems`` lists them.

    Notes
    -----
    Each graph of the manifest is emptied before the load, so a rebuilt source replaces its old
    facts, and (with `prune`) a deleted source's graph goes, as ``kg build --update`` does in its
    own store. Quads are counted with one scan of DB.DBA.RDF_QUAD.
    """
    folder = _find_shards(shard_dir)
    manifest = read_manifest(folder)
    _check_files(folder, manifest)
    expected: dict[str, int] = {}
    for shard in manifest["shards"]:
        for graph, n in shard["graphs"].items():
            expected[graph] = expected.get(graph, 0) + n
    remote = server_dir or str(folder.resolve())
    files = [posixpath.join(remote, shard["file"]) for shard in manifest["shards"]]
    conn = dict(host=host, port=port, user=user, password=password, isql=isql, timeout=timeout)

    started = time.perf_counter()
    prefix = manifest.get("source_graph_prefix") if prune else None
    dropped = _graphs_under(prefix, conn) - set(expected) if prefix else set()
    # log_enable(3, 1): no transaction log, autocommit per row — the bulk loader's own mode; the
    # checkpoint below makes it durable
    queue = ["log_enable(3, 1);"]
    graphs = sorted(set(expected) | dropped)
    for i in range(0, len(graphs), _CLEAR_BATCH):
        ids = ", ".join(f"iri_to_id({_sql_string(g)}, 0)" for g in graphs[i:i + _CLEAR_BATCH])
        queue.append(f"DELETE FROM DB.DBA.RDF_QUAD WHERE G IN ({ids});")
    for file in files:
        # ld_add ignores a file already in load_list, so a reload first forgets the old row
        queue.append(f"DELETE FROM DB.DBA.load_list WHERE ll_file = {_sql_string(file)};")
        queue.append(f"ld_add({_sql_string(file)}, {_sql_string(UNNAMED_GRAPH)});")
    run_isql("\n".join(queue) + "\n", **conn)
    _run_loaders(max(1, jobs), conn)
    run_isql("checkpoint;\n", **conn)
    seconds = time.perf_counter() - started

    wanted = ", ".join(_sql_string(f) for f in files)
    rows = run_isql(
        "SELECT 'kg' || chr(9) || ll_file || chr(9) || cast(ll_state AS varchar) || chr(9) || "
        f"coalesce(replace(replace(ll_error, chr(10), ' '), chr(9), ' '), '') FROM DB.DBA.load_list WHERE ll_file IN ({wanted});\n", **conn)
    status = {file: FileStatus(file, int(state), " ".join(error.split()) or None) for file, state, error in rows}
    statuses = tuple(status.get(f, FileStatus(f, -1, "not in DB.DBA.load_list")) for f in files)
    counts = run_isql("SELECT 'kg' || chr(9) || cast(count(*) AS varchar) || chr(9) || id_to_iri(G) "
                      "FROM DB.DBA.RDF_QUAD GROUP BY G;\n", **conn)
    found = {graph: int(n) for n, *parts in counts if (graph := "\t".join(parts)) in expected}
    return LoadResult(statuses, expected, found, seconds, tuple(sorted(dropped)))


def _graphs_under(prefix: str, conn: dict) -> set[str]:
    """The graphs of the store whose IRI starts with `prefix` (compared here: a SQL LIKE pattern
    would read "%" and "_" in an IRI as wildcards)."""
    rows = run_isql("SELECT 'kg' || chr(9) || id_to_iri(G) FROM (SELECT DISTINCT G FROM DB.DBA.RDF_QUAD) AS graphs;\n",
                    **conn)
    return {graph for (graph,) in rows if graph.startswith(prefix)}


def _run_loaders(jobs: int, conn: dict) -> None:
    """`jobs` sessions of rdf_loader_run() at once; each takes queued files until none is left."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(jobs) as pool:
        for future in [pool.submit(run_isql, "rdf_loader_run();\n", **conn) for _ in range(jobs)]:
            future.result()
