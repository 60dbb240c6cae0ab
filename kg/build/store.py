"""The store of a build folder: an on-disk Oxigraph database holding graph.nq's named graphs (one per
source document, plus the derived graph) and, as its default graph, their merge with each triple
once (graph.ttl's triples). `kg query` and `kg serve` read it (kg.sparql.store).

A build makes the store in its staging folder and commits it as a new store folder
(kg.build.folder); a committed store is never changed. `kg build --update` starts from a copy of the
current one (its table files hard-linked: the copy costs no space until it changes) and rewrites
only the graphs whose content changed, which it knows from the digest of each graph's N-Quads in
the store's record (store.json): a new digest adds its graph, a deleted one's graph is dropped, and
a changed graph is patched by its difference from its old block in the previous graph.nq. The
default graph follows: what came into a named graph comes into it, and what left a named graph
leaves it unless another named graph still states it.

The record also names the graph.nq the store holds (its size and modification time), the layout
and the Oxigraph version: a reader rebuilds a store where one of them differs (`store_problem`).
The store folder also keeps what the next build's graph.ttl is made from (kg.export.turtle_chunks):
committed with the store, it always describes the build the folder holds.
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

import pyoxigraph
from pyoxigraph import DefaultGraph, NamedNode, Quad, RdfFormat, Store, parse, serialize

from ..graph import rdf
from .folder import BuildDir

__all__ = ["LAYOUT", "StoreUpdate", "build_store", "graph_blocks", "read_record", "store_problem"]

LAYOUT = "named graphs + merged default graph"
# an update compacts the store when it changed more than 1/COMPACT_SHARE of its graphs, or when
# COMPACT_EVERY updates in a row did not (a week of daily digests); a full build always does
COMPACT_SHARE = 10
COMPACT_EVERY = 7
"""The record's name for what the store holds; a store recorded with another (or none) is rebuilt."""

LOAD_CHUNK = 16 * 1024 * 1024
"""Changed graphs are bulk-loaded together in chunks of about this many bytes of N-Quads: each
``bulk_load`` call has a fixed cost (it writes and ingests new RocksDB files), and bigger chunks cost
memory without loading faster."""

PATCH_LIMIT = 100_000
"""A changed graph losing more quads than this is dropped and loaded whole instead of patched: one
removal per quad then costs more than the drop."""


def read_record(path) -> dict | None:
    """A store's record (BuildDir.store_record, StorePin.record): what it holds; None when there
    is none."""
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def store_problem(folder: BuildDir, record: dict | None) -> str | None:
    """Why the store recorded by `record` cannot answer for `folder`'s graph.nq as it is now, in a
    few words ("from an older kg", "of another graph.nq"…), or None when it can."""
    if record is None or record.get("layout") != LAYOUT:
        return "from an older kg"
    if record.get("oxigraph") != pyoxigraph.__version__:
        return f"from Oxigraph {record.get('oxigraph')}"
    if record.get("nquads") != _identity(folder.graph_nq):
        return "of another graph.nq"
    return None


def _identity(path: Path) -> dict | None:
    """What tells one graph.nq from another without reading it: a build renames the file into
    place, which keeps both."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def graph_blocks(quads: Iterable, max_quads: int | None = None) -> Iterator[tuple[str | None, bytes]]:
    """(graph IRI, N-Quads bytes) for quads that come graph by graph (generate_quads): each graph's
    quads in one block, or consecutive blocks of at most `max_quads` (kg.graph.rdf.PIECE_QUADS) for
    a big one, as kg.graph.rdf.nquads_blocks gives them. The default graph's IRI is None."""
    max_quads = max_quads or rdf.PIECE_QUADS
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        while piece := list(islice(group, max_quads)):
            yield None if isinstance(graph, DefaultGraph) else graph.value, serialize(piece, format=RdfFormat.N_QUADS)


def build_store(nquads, target: BuildDir) -> dict:
    """Make `target`'s store from the N-Quads file `nquads` alone (for a folder whose store is
    missing, out of date or from an older kg). Its record holds no digests, so the next
    ``kg build --update`` makes the store anew rather than patch it."""
    with open(nquads, "rb") as handle, StoreUpdate(target) as update:
        for graph, block in graph_blocks(parse(handle, format=RdfFormat.N_QUADS)):
            update.load(graph, block)
        return update.finish(nquads=nquads)


class StoreUpdate:
    """Feed it the graph blocks of a build; it makes the store of `target` (a staging folder) from
    `previous`'s, changed where the blocks differ from what `previous`'s record says it holds, or
    from nothing when `previous` is None or has no store of this layout.

    Loading runs in a background thread (Oxigraph's bulk loader releases the GIL), one chunk at a
    time in order, so the build goes on writing while the store fills; `finish` waits for it. A
    block the caller has written to a file it keeps open (`read_blocks_from`) is read back from
    there when its turn comes, rather than held in memory until then."""

    def __init__(self, target: BuildDir, previous: BuildDir | None = None):
        self.target = target
        record = read_record(previous.store_record) if previous is not None else None
        # a store of this layout and Oxigraph, with the digests of its graphs; its graph.nq may have
        # changed since (a patch checks the old block against its digest)
        reusable = (record is not None and record.get("layout") == LAYOUT and record.get("oxigraph") == pyoxigraph.__version__
                    and isinstance(record.get("graphs"), dict) and previous.store_db.is_dir())
        target.store.mkdir(parents=True)
        if reusable:
            _link_copy(previous.store_db, target.store_db)
        self.old: dict[str, str] = record["graphs"] if reusable else {}
        # updates committed since the store was last compacted (see finish: small updates do not compact)
        self.uncompacted: int | None = record.get("uncompacted", 0) if reusable else None
        # where each graph's N-Quads were in the previous build's graph.nq: a changed graph whose
        # old block is still there, unaltered, is patched by the difference of the two
        self.old_spans: dict[str, list[int]] = record.get("spans", {}) if reusable else {}
        self.previous = previous.graph_nq if reusable else None
        # the key each graph was made from (kg.graph.rdf.source_keys), where the previous build
        # recorded them and its graph.nq is still the one the record names: such a graph, its key
        # unchanged, is read back from there rather than made again (`earlier`)
        same_file = reusable and record.get("nquads") == _identity(previous.graph_nq)
        self.old_keys: dict[str, str] = record.get("keys", {}) if same_file else {}
        self.keys: dict[str, str] = {}
        # the folder of state other writers keep beside the store, committed with it
        # (kg.export.turtle_chunks), and the previous build's, with the graph.ttl it describes
        self.state_folder: Path = target.store
        self.earlier_state: Path | None = previous.store if previous is not None else None
        self.earlier_turtle: Path | None = previous.graph_ttl if previous is not None else None
        self._previous_fd: int | None = None  # the previous graph.nq, opened by `earlier` once
        self._verified: tuple[str, bytes] | None = None  # the graph `earlier` gave last, and its N-Quads
        self._known: tuple[str, bytes] | None = None  # the same, while that graph is the one being added
        self.spans: dict[str, list[int]] = {}  # each graph's byte range in the file being written
        self.patched: list[str] = []
        self.new: dict[str, str] = {}
        self.changed: list[str] = []
        self.digests = True  # False once a block was loaded without its digest (`load`)
        self.left: set = set()  # triples that left a named graph: the default graph may lose them
        self._graph: str | None = None  # the graph being added, its digest so far and its parts
        self._digest = None
        self._parts: list[bytes | tuple[int, int]] = []
        self.store = Store(str(target.store_db))
        self._pending: list[tuple[str | None, bytes | tuple[int, int]]] = []  # (graph, block or file span) to load
        self._pending_bytes = 0
        self._fd: int | None = None
        self._loader = ThreadPoolExecutor(max_workers=1, thread_name_prefix="kg-store-load")
        self._loads: list[Future] = []

    def read_blocks_from(self, fileno: int) -> None:
        """Blocks given to `add` with an `offset` are read back from this open file (the store keeps
        its own descriptor until `finish`); the caller flushes each block before adding it."""
        self._fd = os.dup(fileno)

    def earlier(self, graph: str, key: str) -> bytes | None:
        """`graph`'s N-Quads from the previous build's graph.nq when that build made it from `key`
        too (and the bytes there are still the ones it recorded); else None."""
        span = self.old_spans.get(graph)
        if span is None or self.old_keys.get(graph) != key:
            return None
        try:
            if self._previous_fd is None:  # once for all the graphs an update copies
                self._previous_fd = os.open(self.previous, os.O_RDONLY)
            nquads = os.pread(self._previous_fd, span[1] - span[0], span[0])
        except OSError:
            return None
        if hashlib.sha256(nquads).hexdigest() != self.old.get(graph):
            return None
        self._verified = (graph, nquads)  # `add` knows its digest when given it whole
        return nquads

    def graph_digests(self) -> dict[str, str]:
        """The digest of each graph's N-Quads given to `add` (call once the last block is added)."""
        self._end_graph()
        return dict(self.new)

    def add(self, graph: str, nquads: bytes, offset: int | None = None, key: str | None = None) -> None:
        """A graph's N-Quads, or the next piece of them (consecutive calls for one graph, as
        graph_blocks gives a big graph); `offset`: where they start in the file of `read_blocks_from`;
        `key`: what the graph was made from (recorded for the next update's `earlier`)."""
        if key is not None:
            self.keys[graph] = key
        if graph != self._graph:
            self._end_graph()
            if graph in self.new:
                raise ValueError(f"the quads of graph <{graph}> are not together: give each graph's pieces in one run")
            self._graph, self._digest = graph, hashlib.sha256()
            verified, self._verified = self._verified, None
            if verified is not None and verified[0] == graph and verified[1] is nquads:
                self._known = verified  # the whole graph as `earlier` read it: its digest is the recorded one
        elif self._known is not None:  # more of a graph than `earlier` gave: hashed after all
            self._digest.update(self._known[1])
            self._known = None
        if self._known is None:
            self._digest.update(nquads)  # the digest of the whole graph's N-Quads, as one block gives
        self._parts.append(nquads if offset is None or self._fd is None else (offset, len(nquads)))
        if offset is not None:
            span = self.spans.setdefault(graph, [offset, offset])
            span[1] = offset + len(nquads)

    def load(self, graph: str | None, nquads: bytes) -> None:
        """Load quads of `graph` (None: the default graph) as they are, without a digest: the record
        then holds none, and the next update starts from an empty store."""
        self.digests = False
        self._queue(graph, [nquads])

    def _end_graph(self) -> None:
        """The graph added last is complete: load it if its digest differs from the record's."""
        graph, parts = self._graph, self._parts
        if graph is None:
            return
        self._graph, self._parts = None, []
        digest = self.new[graph] = self.old[graph] if self._known is not None else self._digest.hexdigest()
        self._known = None
        if self.old.get(graph) == digest:
            return
        self.changed.append(graph)
        if graph in self.old:
            patch = self._patch(graph, parts)
            if patch is not None:
                self.patched.append(graph)
                parts = [patch] if patch else []
            else:
                self._drop(graph)  # now: the graph's new quads load later
        self._queue(graph, parts)

    def _queue(self, graph: str | None, parts: list) -> None:
        for part in parts:
            self._pending.append((graph, part))
            self._pending_bytes += len(part) if isinstance(part, bytes) else part[1]
            if self._pending_bytes >= LOAD_CHUNK:
                self._load_pending()

    def _drop(self, graph: str) -> None:
        """Remove a named graph; its triples may leave the default graph too."""
        name = NamedNode(graph)
        self.left.update(quad.triple for quad in self.store.quads_for_pattern(None, None, None, name))
        self.store.remove_graph(name)

    def _patch(self, graph: str, parts: list) -> bytes | None:
        """Bring `graph` from its old quads to its new ones (`parts`) by their difference: removes
        the quads that went (now), returns the N-Quads that came (to load). None when the old
        block cannot be trusted or the difference is too big to be worth it: then the caller
        drops the graph and loads it whole.

        A build's derived graph (co-authorships, topic hierarchy) changes with every new digest,
        but only in a few thousand of its hundreds of thousands of quads, and dropping a graph is
        one transaction as big as the graph. Both blocks are read as streams
        (kg.graph.rdf.span_lines), the old one hashed on the way: the difference costs memory for
        what differs only."""
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
                self.left.add(quad.triple)
        return b"".join(line + suffix + b"\n" for line in came)

    def _load_pending(self) -> None:
        if self._pending:
            self._loads.append(self._loader.submit(self._load, self._pending))
        self._pending, self._pending_bytes = [], 0

    def _load(self, parts: list) -> None:
        """Each named graph's quads, then each of its triples once more in the default graph (two
        loads: one of twice the size takes as long and more memory)."""
        quads = [part if isinstance(part, bytes) else os.pread(self._fd, part[1], part[0]) for _, part in parts]
        self.store.bulk_load(b"".join(quads), format=RdfFormat.N_QUADS)
        merged = b"".join(_in_default_graph(block, graph) for (graph, _), block in zip(parts, quads) if graph is not None)
        del quads
        if merged:
            self.store.bulk_load(merged, format=RdfFormat.N_QUADS)

    def _settle_default_graph(self) -> None:
        """Remove from the default graph each triple that left a named graph and that no named
        graph states now."""
        default = DefaultGraph()
        for triple in self.left:
            stated = self.store.quads_for_pattern(triple.subject, triple.predicate, triple.object)
            if all(quad.graph_name == default for quad in stated):
                self.store.remove(Quad(triple.subject, triple.predicate, triple.object, default))
        self.left = set()

    def __enter__(self) -> "StoreUpdate":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        """Stop loading and let go of the store (after `finish`, nothing is left to do). Unfinished,
        the store has no record, and its staging folder is removed with it."""
        self._loader.shutdown(wait=True, cancel_futures=True)
        for name in ("_fd", "_previous_fd"):
            if getattr(self, name) is not None:
                os.close(getattr(self, name))
                setattr(self, name, None)
        self.__dict__.pop("store", None)

    def finish(self, progress: Callable[[int, int], None] | None = None, nquads=None) -> dict:
        """Wait for the loads, drop graphs no longer built, settle the default graph, flush, and
        write the record (`nquads`: the graph.nq the store now holds); a summary of what changed.
        Raises what a load raised. `progress(done, total)` is called with the bulk loads finished
        out of all the build started, first at once, then as each one it waits for ends."""
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
            self._drop(graph)
        self._settle_default_graph()
        self.store.flush()
        uncompacted = self._compact(len(self.changed) + len(removed))
        self.close()  # release the database lock before anyone reopens it
        record = {"layout": LAYOUT, "oxigraph": pyoxigraph.__version__, "nquads": _identity(Path(nquads)) if nquads else None,
                  "graphs": self.new if self.digests else None}
        if uncompacted:
            record["uncompacted"] = uncompacted
        if self.digests and self.spans.keys() == self.new.keys():  # every graph came from the file: where it is
            record["spans"] = self.spans
            record["keys"] = self.keys
        with open(self.target.store_record, "w", encoding="utf-8") as handle:
            json.dump(record, handle, sort_keys=True, indent=1)
        return {"graphs": len(self.new), "changed": len(self.changed), "removed": len(removed),
                "patched": len(self.patched)}


    def _compact(self, changed: int) -> int:
        """Compact the store (RocksDB's full compaction: a store only ever read never compacts itself,
        and queries on a compacted one run faster) unless this is an update that changed few graphs of
        a store compacted at most COMPACT_EVERY - 1 updates ago: compacting rewrites most of the store
        (~10 s of a one-digest update of the dev corpus, whose derived graph's changes touch keys all
        over it). Returns the updates committed since the last compaction, this one included."""
        small = changed <= max(1, len(self.new) // COMPACT_SHARE)
        if self.uncompacted is not None and small and self.uncompacted + 1 < COMPACT_EVERY:
            return self.uncompacted + 1
        self.store.optimize()
        return 0


def _in_default_graph(nquads: bytes, graph: str) -> bytes:
    """N-Quads lines of `graph` as lines of the default graph (the same triples, without the graph)."""
    end = f" <{graph}> .\n".encode("utf-8")
    triples = nquads.replace(end, b" .\n")  # a line ends at its only raw newline: nothing else matches
    if len(nquads) - len(triples) != nquads.count(b"\n") * (len(end) - 3):
        raise ValueError(f"N-Quads lines outside their graph <{graph}>")
    return triples


def _link_copy(source: Path, target: Path) -> None:
    """A copy of the database at `source` to change at `target`: the table files (*.sst), which
    RocksDB never changes once written, hard-linked; the rest (manifest, logs, options) copied."""
    target.mkdir()
    for item in source.iterdir():
        if item.is_dir():
            shutil.copytree(item, target / item.name)
            continue
        if item.suffix == ".sst":
            try:
                os.link(item, target / item.name)
                continue
            except OSError:  # a file system without hard links
                pass
        shutil.copy2(item, target / item.name)


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
