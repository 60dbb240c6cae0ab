"""The persistent graph store of a build folder: an on-disk Oxigraph database holding one named
graph per source document plus the derived graph, kept in step with the build.

`kg build` writes it to OUT/.kg/store; `kg build --update` rewrites only the graphs whose content
changed (a new digest adds its graph, a deleted one's graph is dropped, the derived graph follows),
which it knows from the digest of each graph's N-Quads recorded in OUT/.kg/store.json. A build
that dies while changing the store leaves the record marked dirty, and the next build reloads the
store from scratch rather than trust it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from concurrent.futures import Future, ThreadPoolExecutor
from itertools import groupby, islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

from pyoxigraph import NamedNode, RdfFormat, Store, parse, serialize

from .export.atomic import atomic_open
from .graph import rdf

__all__ = ["STATE_DIR", "StoreUpdate", "update_store", "graph_blocks"]

STATE_DIR = ".kg"  # inside the build folder: the store and the extraction cache
STORE_DIR = "store"
RECORD_FILE = "store.json"


def graph_blocks(quads: Iterable, max_quads: int | None = None) -> Iterable[tuple[str, bytes]]:
    """(graph IRI, N-Quads bytes) for quads that come graph by graph (generate_quads): each graph's
    quads in one block, or consecutive blocks of at most `max_quads` (kg.graph.rdf.PIECE_QUADS) for
    a big one, as kg.graph.rdf.nquads_blocks gives them."""
    max_quads = max_quads or rdf.PIECE_QUADS
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        while piece := list(islice(group, max_quads)):
            yield graph.value, serialize(piece, format=RdfFormat.N_QUADS)


LOAD_CHUNK = 16 * 1024 * 1024
"""Changed graphs are bulk-loaded together in chunks of about this many bytes of N-Quads: each
``bulk_load`` call has a fixed cost (it writes and ingests new RocksDB files). A quarter of the dev
corpus (261 graphs, 820k quads), graph by graph: 27 s, in 64 MB chunks: 9.6 s (quiet machine);
on a busy one, graph by graph 31 s, 64 MB chunks 23.8 s and +200 MB peak memory, 16 MB chunks
23.4 s and no more memory than graph by graph."""


class StoreUpdate:
    """Feed it the graph blocks of a build; it changes the store where they differ from the record.

    Loading runs in a background thread (Oxigraph's bulk loader releases the GIL), one chunk at a
    time in order, so the build goes on writing while the store fills; `finish` waits for it. A
    block the caller has written to a file it keeps open (`read_blocks_from`) is read back from
    there when its turn comes, rather than held in memory until then."""

    def __init__(self, state_dir, fresh: bool = False, previous=None):
        self.state_dir = Path(state_dir)
        self.path = self.state_dir / STORE_DIR
        self.record_path = self.state_dir / RECORD_FILE
        record = self._read_record()
        if fresh or record is None or record.get("dirty"):
            shutil.rmtree(self.path, ignore_errors=True)
            record = {"graphs": {}}
        self.old = record["graphs"]
        # where each graph's N-Quads were in the previous build's graph.nq (`previous`): a changed
        # graph whose old block is still there, unaltered, is patched by the difference of the two
        self.old_spans: dict[str, list[int]] = record.get("spans", {}) if previous is not None else {}
        self.previous = Path(previous) if previous is not None else None
        self.spans: dict[str, list[int]] = {}  # each graph's byte range in the file being written
        self.patched: list[str] = []
        self.new: dict[str, str] = {}
        self.changed: list[str] = []
        self._graph: str | None = None  # the graph being added, its digest so far and its parts
        self._digest = None
        self._parts: list[bytes | tuple[int, int]] = []
        self.state_dir.mkdir(parents=True, exist_ok=True)
        self._write_record({"dirty": True, "graphs": self.old})
        self.store = Store(str(self.path))
        self._pending: list[bytes | tuple[int, int]] = []  # changed graphs' blocks (or their file spans) not yet loaded
        self._pending_bytes = 0
        self._fd: int | None = None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store-load")
        self._loads: list[Future] = []

    def _read_record(self) -> dict | None:
        try:
            return json.loads(self.record_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None

    def _write_record(self, record: dict) -> None:
        with atomic_open(self.record_path) as handle:
            json.dump(record, handle, sort_keys=True, indent=1)

    def read_blocks_from(self, fileno: int) -> None:
        """Blocks given to `add` with an `offset` are read back from this open file (the store keeps
        its own descriptor until `finish`); the caller flushes each block before adding it."""
        self._fd = os.dup(fileno)

    def add(self, graph: str, nquads: bytes, offset: int | None = None) -> None:
        """A graph's N-Quads, or the next piece of them (consecutive calls for one graph, as
        graph_blocks gives a big graph); `offset`: where they start in the file of `read_blocks_from`."""
        if graph != self._graph:
            self._end_graph()
            if graph in self.new:
                raise ValueError(f"the quads of graph <{graph}> are not together: give each graph's pieces in one run")
            self._graph, self._digest = graph, hashlib.sha256()
        self._digest.update(nquads)  # the digest of the whole graph's N-Quads, as one block gives
        self._parts.append(nquads if offset is None or self._fd is None else (offset, len(nquads)))
        if offset is not None:
            span = self.spans.setdefault(graph, [offset, offset])
            span[1] = offset + len(nquads)

    def _end_graph(self) -> None:
        """The graph added last is complete: load it if its digest differs from the record's."""
        graph, parts = self._graph, self._parts
        if graph is None:
            return
        self._graph, self._parts = None, []
        digest = self.new[graph] = self._digest.hexdigest()
        if self.old.get(graph) == digest:
            return
        self.changed.append(graph)
        if graph in self.old:
            patch = self._patch(graph, parts)
            if patch is not None:
                self.patched.append(graph)
                parts = [patch] if patch else []
            else:
                self.store.remove_graph(NamedNode(graph))  # now: the graph's new quads load later
        for part in parts:
            self._pending.append(part)
            self._pending_bytes += len(part) if isinstance(part, bytes) else part[1]
            if self._pending_bytes >= LOAD_CHUNK:
                self._load_pending()

    def _patch(self, graph: str, parts: list) -> bytes | None:
        """Bring `graph` from its old quads to its new ones (`parts`) by their difference: removes
        the quads that went (now), returns the N-Quads that came (to load). None when the old
        block cannot be trusted or the difference is too big to be worth it: then the caller
        drops the graph and loads it whole.

        A build's derived graph (co-authorships, topic hierarchy) changes with every new digest,
        but only in a few thousand of its hundreds of thousands of quads; dropping it whole took
        Oxigraph 23 s and 1.2 GB (one transaction) on the dev corpus. Both blocks are read as
        streams (kg.graph.rdf.span_lines), the old one hashed on the way: the difference costs
        memory for what differs only."""
        span, new = self.old_spans.get(graph), self.spans.get(graph)
        if span is None or new is None or self.previous is None or any(isinstance(p, bytes) for p in parts):
            return None
        suffix = f" <{graph}> .".encode("utf-8")
        digest = hashlib.sha256()

        def old_lines(fd: int) -> Iterator[bytes]:
            for line in rdf.span_lines(fd, span[0], span[1], suffix):
                digest.update(line + suffix + b"\n")  # the block's bytes again, as recorded
                yield line

        try:
            with open(self.previous, "rb") as handle:
                gone, came = _sorted_difference(old_lines(handle.fileno()), rdf.span_lines(self._fd, *new, suffix), PATCH_LIMIT)
        except (OSError, ValueError):  # no previous graph.nq, or it is shorter or not the same layout now
            return None
        if gone is None or digest.hexdigest() != self.old[graph]:
            return None  # not the block the store holds (the file was replaced or edited)
        if gone:
            for quad in parse(b"".join(line + suffix + b"\n" for line in gone), format=RdfFormat.N_QUADS):
                self.store.remove(quad)
        return b"".join(line + suffix + b"\n" for line in came)

    def _load_pending(self) -> None:
        if self._pending:
            self._loads.append(self._loader.submit(self._load, self._pending))
        self._pending, self._pending_bytes = [], 0

    def _load(self, parts: list) -> None:
        data = b"".join(part if isinstance(part, bytes) else os.pread(self._fd, part[1], part[0]) for part in parts)
        self.store.bulk_load(data, format=RdfFormat.N_QUADS)

    def __enter__(self) -> "StoreUpdate":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop loading and let go of the store (after `finish`, nothing is left to do). Unfinished,
        the record stays dirty, so the next build reloads the store."""
        self._loader.shutdown(wait=True, cancel_futures=True)
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None
        self.__dict__.pop("store", None)

    def finish(self, progress: Callable[[int, int], None] | None = None) -> dict:
        """Wait for the loads, drop graphs no longer built, flush, record the new state; a summary
        of what changed. Raises what a load raised (the record stays dirty: the next build reloads).
        `progress(done, total)` is called with the bulk loads finished out of all the build started,
        first at once, then as each one it waits for ends."""
        self._end_graph()
        self._load_pending()
        if progress:
            waiting = [load for load in self._loads if not load.done()]  # some ended while the build wrote on
            progress(len(self._loads) - len(waiting), len(self._loads))
            for n, load in enumerate(waiting, len(self._loads) - len(waiting) + 1):
                load.exception()  # waits; what it raised is raised below, in load order as before
                progress(n, len(self._loads))
        for load in self._loads:
            load.result()
        self._loader.shutdown(wait=True)
        removed = sorted(set(self.old) - set(self.new))
        for graph in removed:
            self.store.remove_graph(NamedNode(graph))
        self.store.flush()
        self.close()  # release the database lock before anyone reopens it
        record = {"dirty": False, "graphs": self.new}
        if self.spans.keys() == self.new.keys():  # every graph came from the file: where it is
            record["spans"] = self.spans
        self._write_record(record)
        return {"graphs": len(self.new), "changed": len(self.changed), "removed": len(removed),
                "patched": len(self.patched)}


PATCH_LIMIT = 100_000
"""A changed graph losing more quads than this is dropped and loaded whole instead of patched: one
removal per quad then costs more than the drop."""


def _sorted_difference(old: Iterable[bytes], new: Iterable[bytes], limit: int) -> tuple[list | None, list]:
    """(lines only in `old`, lines only in `new`) of two sorted, unique streams of lines;
    (None, []) when either is not sorted and unique (the difference would be wrong) or more than
    `limit` lines went."""
    gone: list[bytes] = []
    came: list[bytes] = []
    end = object()
    old, new = iter(old), iter(new)
    a, b = next(old, end), next(new, end)
    last_a = last_b = b""
    while a is not end or b is not end:
        if b is end or (a is not end and a < b):
            if a <= last_a:
                return None, []
            gone.append(a)
            if len(gone) > limit:
                return None, []
            last_a, a = a, next(old, end)
        elif a is end or b < a:
            if b <= last_b:
                return None, []
            came.append(b)
            last_b, b = b, next(new, end)
        else:  # the same line in both
            if a <= last_a or b <= last_b:
                return None, []
            last_a, last_b, a, b = a, b, next(old, end), next(new, end)
    return gone, came


def update_store(state_dir, blocks: Iterable[tuple[str, bytes]], fresh: bool = False) -> dict:
    """Bring the store in `state_dir` to exactly `blocks`; see StoreUpdate."""
    with StoreUpdate(state_dir, fresh) as update:
        for graph, data in blocks:
            update.add(graph, data)
        return update.finish()
