"""Outputs of the graph that an update writes from the previous build's bytes where nothing changed.

graph.graphml, graph.gexf and graph.json list the graph's nodes and its edges. Each node's element,
and the elements of one node's out-edges together (a *group*: what ``graph._adj[u]`` holds), are
bytes that depend only on that item's data and on the output's *context* (its attribute
declarations and types, the XML ids of nodes whose ids clash once cleaned, the code that writes
it), but for the XML edges' numbers (``id="e17"``), which count edges in file order. So:

* every build writes, beside each of these outputs, an index (OUT/.kg/fragments/<name>.idx): per
  item a 64-bit fingerprint of its data (BLAKE2b of ``marshal.dumps(item, 2)``: version 2 writes
  no back-references, so equal data gives equal bytes whatever shares it), where its bytes start in
  the file, their length, how many numbered elements they hold and a tag its writer keeps
  (`Section.tags`, given back by `previous_rows`); and the fingerprint of the output's context,
  the file's size, inode and mtime, and what else its writer keeps (`extra`). Its rows are written as the output is,
  a batch at a time, so a full build holds no more than a batch of them.
* an update looks each item's fingerprint up in the previous index and copies the bytes of the
  items found from the previous file (those that sit together there in one read), renumbering XML
  edges, and renders only the others. An index made in another context, or that does not describe
  the file now there (another size, inode or mtime: a build that died between its commit's
  renames, a file edited by hand), serves nothing: everything is rendered.

Either way the file's bytes are those of rendering every item. The fingerprints of the graph's items
are made once per build (`fragments_for`, before the forked output workers start) for every output.
The CSV files of the Neo4j and LadybugDB exports are written so too, a table row (or a node's rows
of one relationship type) an item (kg.export.table_files).
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import sys
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import islice
from pathlib import Path
from typing import Callable, Iterable, Iterator

import networkx as nx
import numpy as np

from ..util.atomic import atomic_open
from ..util.files import digest_files

__all__ = ["INDEX_SUFFIX", "GraphItems", "Section", "fragments_for", "graph_items", "previous_rows", "write_indexed"]

INDEX_SUFFIX = ".idx"
_MAGIC = b"kg-fragments-1\0\0"  # the index's last 16 bytes: this, then its trailer's length
# count: the item's numbered (or counted) elements; tag: what its writer notes of it (Section.tags).
# (Once count was 8 bytes: little-endian, an index of then reads as count and a tag 0.)
_ROW = np.dtype([("fp", "<u8"), ("start", "<u8"), ("length", "<u8"), ("count", "<u4"), ("tag", "<u4")])
_BATCH = 1000  # items (or edges of groups) rendered together
_COPY_BYTES = 1 << 20  # the most read from the previous file at once (more is slower: fresh pages)
# the code whose bytes an item's fragment is made of (relative to kg/)
_CODE = ("export/fragments.py", "export/gephi.py", "build/records.py", "graph/schema.py")
_POWERS = 10 ** np.arange(1, 19, dtype=np.uint64)  # _digits


# --- the items of a graph and their fingerprints -----------------------------------------------------

class GraphItems:
    """A graph's items in output order: its nodes, `(nid, data)`, and its edges grouped by source
    node, `(u, {v: {key: data}})`, one group per node with out-edges (in graph.edges() order), with
    the number of edges of each group; and, once `fingerprint` has run, each item's fingerprint.
    `memo` keeps what writers derive from the whole graph, for the next writer in this process."""

    def __init__(self, graph: nx.MultiDiGraph):
        self.graph = graph
        self.node_fps: np.ndarray | None = None
        self.group_fps: np.ndarray | None = None
        self._counts: np.ndarray | None = None
        self.memo: dict = {}

    def memoized(self, key, make: Callable):
        if key not in self.memo:
            self.memo[key] = make()
        return self.memo[key]

    def nodes(self) -> Iterator[tuple]:
        return iter(self.graph.nodes(data=True))

    def groups(self) -> Iterator[tuple]:
        graph = self.graph
        if type(graph) is nx.MultiDiGraph:
            return ((u, adj) for u, adj in graph._adj.items() if adj)
        return _grouped(graph.edges(keys=True, data=True))

    @property
    def group_counts(self) -> np.ndarray:
        if self._counts is None:
            self._counts = np.fromiter((sum(map(len, adj.values())) for _, adj in self.groups()), np.int64)
        return self._counts

    def fingerprint(self) -> "GraphItems":
        self.node_fps = _fingerprints(self.nodes())
        self.group_fps = _fingerprints(self.groups())
        self.group_counts  # noqa: B018 (made now, before the workers fork, once for all)
        return self


def _grouped(edges: Iterable[tuple]) -> Iterator[tuple]:
    """(u, v, key, data) edges as groups (u, {v: {key: data}}) of consecutive edges from one u."""
    u, adj = None, None
    for source, v, key, data in edges:
        if adj is None or source != u:
            if adj is not None:
                yield u, adj
            u, adj = source, {}
        adj.setdefault(v, {})[key] = data
    if adj is not None:
        yield u, adj


def _fingerprints(items: Iterable) -> np.ndarray:
    """The fingerprint of each item: 8 bytes of BLAKE2b of its marshal (version 2) bytes; 0 for an
    item marshal cannot write (never looked up: such an item is always rendered)."""
    items, parts = iter(items), []
    for chunk in iter(lambda: list(islice(items, 8192)), []):
        try:
            digests = b"".join([hashlib.blake2b(marshal.dumps(item, 2), digest_size=8).digest() for item in chunk])
        except ValueError:
            digests = b"".join(map(_fingerprint, chunk))
        parts.append(np.frombuffer(digests, "<u8"))
    return np.concatenate(parts) if parts else np.zeros(0, "<u8")


def _fingerprint(item) -> bytes:
    try:
        return hashlib.blake2b(marshal.dumps(item, 2), digest_size=8).digest()
    except ValueError:
        return bytes(8)


# --- the build's session: where indexes go and which previous build they come from ---------------------

@dataclass
class _Session:
    items: GraphItems
    folder: Path  # where the outputs are written (kg build's staging folder)
    index_dir: Path  # where their indexes are written
    previous: Path | None  # the previous build's folder, whose outputs may be copied from
    previous_index_dir: Path | None


_SESSION: _Session | None = None


@contextmanager
def fragments_for(graph: nx.MultiDiGraph, folder, index_dir, previous=None, previous_index_dir=None):
    """Meanwhile, the indexed outputs of `graph` written into `folder` (graph.graphml, graph.gexf,
    graph.json) write their indexes into `index_dir`, and, with `previous` (an update), copy what
    did not change from the same files in `previous`, indexed in `previous_index_dir`. The items'
    fingerprints are made here, so processes forked meanwhile share them."""
    global _SESSION
    items = GraphItems(graph).fingerprint()
    _SESSION = _Session(items, Path(folder), Path(index_dir), previous and Path(previous),
                        previous_index_dir and Path(previous_index_dir))
    try:
        yield
    finally:
        _SESSION = None


def _session(graph, path: Path) -> tuple[_Session, Path] | tuple[None, None]:
    """The build's session for `graph` and `path`'s place in its folder (path relative to the
    folder: an output in it or in a subfolder of it, such as neo4j/nodes_Paper.csv)."""
    session = _SESSION
    if session is None or session.items.graph is not graph:
        return None, None
    for folder in list(path.parents)[:2]:
        try:
            if os.path.samefile(folder, session.folder):
                return session, path.relative_to(folder)
        except OSError:  # not there (yet: atomic_open makes an output's folder)
            continue
    return None, None


def _index_name(relative: Path) -> str:
    """An output's index file name: its path in the build folder, "/" made "." (the indexes sit
    side by side in one folder: neo4j/nodes_Paper.csv → neo4j.nodes_Paper.csv.idx)."""
    return ".".join(relative.parts) + INDEX_SUFFIX


def graph_items(graph: nx.MultiDiGraph) -> GraphItems:
    """The graph's items: fingerprinted when a build's session (`fragments_for`) is for this graph."""
    session = _SESSION
    return session.items if session is not None and session.items.graph is graph else GraphItems(graph)


# --- writing an indexed output ---------------------------------------------------------------------

@dataclass
class Section:
    """A run of items in an output: their `items` (an iterator), their fingerprints `fps` (None:
    not indexed), `render(items, first) -> [bytes of each]` (`first`: the number of the first
    counted element; or -> (their bytes `separator` apart, an array of each one's length)),
    written `separator` apart. Items of several elements (edge groups) give
    their `counts`: a batch rendered together holds _BATCH elements, not items. Numbered sections
    (XML edges, numbered in file order) give `renumber(data, old_first, new_first, count)`: `data`
    (the bytes of items whose `count` elements are numbered from `old_first`) numbered from
    `new_first`, or None when `data` does not hold those numbers. `copied(data, elements)`, when
    given, is told of the bytes copied from the previous file (items holding `elements` counted
    elements, or items when not counted): what a writer learns from rendering, it learns there.
    `tags`: a number per item kept in the index (`previous_rows` gives them back)."""

    name: str
    items: Iterator
    fps: np.ndarray | None
    render: Callable[[list, int], list[bytes]]
    separator: bytes = b""
    counts: np.ndarray | None = None
    renumber: Callable[[bytes, int, int, int], bytes | None] | None = None
    copied: Callable[[bytes, int], None] | None = None
    tags: np.ndarray | None = None


def write_indexed(path, graph: nx.MultiDiGraph, context: bytes, frame: list[bytes], sections: list[Section],
                  extra=None) -> list[str]:
    """Write `frame[0]`, the first section, `frame[1]`, …, `frame[-1]` to `path` (atomically); with a
    build's session for `graph` and this folder, the file's index beside, and on an update, the
    items found in the previous index copied from the previous file. `context`: everything besides
    an item's data that its bytes depend on; `extra`: JSON kept in the index (`previous_rows`).
    Returns [path]."""
    path = Path(path)
    session, relative = _session(graph, path)
    if session is None or any(section.fps is None for section in sections):
        with atomic_open(path, "wb") as handle:
            _Writer(handle).write_all(frame, sections)
        return [str(path)]
    context = _context_fingerprint(context)
    with ExitStack() as stack:
        index = stack.enter_context(atomic_open(session.index_dir / _index_name(relative), "wb"))
        previous = None
        if session.previous is not None:
            previous = _Previous.open(session.previous / relative, session.previous_index_dir / _index_name(relative), context)
            if previous is not None:
                stack.callback(previous.close)
        with atomic_open(path, "wb") as handle:
            writer = _Writer(handle, index, previous)
            writer.write_all(frame, sections)
        status = os.stat(path)  # as the commit's rename keeps it
        trailer = json.dumps({"context": context, "sections": writer.rows, "extra": extra,
                              "output": {"size": status.st_size, "ino": status.st_ino, "mtime_ns": status.st_mtime_ns}})
        index.write(trailer.encode())
        index.write(_MAGIC + len(trailer.encode()).to_bytes(8, "little"))
    return [str(path)]


@functools.cache
def _code_fingerprint() -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{sys.version}\0{nx.__version__}\0".encode())
    digest_files(digest, Path(__file__).resolve().parent.parent, _CODE)
    return digest.digest()


def _context_fingerprint(context: bytes) -> str:
    return hashlib.blake2b(_code_fingerprint() + context, digest_size=16).hexdigest()


def _read_index(index: Path) -> tuple[dict, dict[str, np.ndarray]] | None:
    """An index's trailer and its rows by section; None when there is none or it is damaged."""
    try:
        data = index.read_bytes()
        if len(data) < 24 or data[-24:-8] != _MAGIC:
            return None
        size = int.from_bytes(data[-8:], "little")
        trailer = json.loads(data[-24 - size: -24])
        sections = [(str(name), int(count)) for name, count in trailer["sections"]]
        if not isinstance(trailer, dict) or sum(n for _, n in sections) * _ROW.itemsize != len(data) - 24 - size:
            return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    rows = np.frombuffer(data, _ROW, count=sum(n for _, n in sections))
    by_name, at = {}, 0
    for name, n in sections:
        by_name[name] = rows[at: at + n]
        at += n
    return trailer, by_name


def previous_rows(graph: nx.MultiDiGraph, relative: str, section: str) -> tuple[np.ndarray, object] | None:
    """On an update, the rows (fingerprint, tag, …) of `section` in the previous build's index of
    its output `relative` (a path in the build's folder), and the index's `extra`, whatever its
    context and whether or not it still describes the previous file: what the index says of items
    is so of any item with their fingerprint. None when there is no such index (or it is damaged)."""
    session = _SESSION
    if session is None or session.items.graph is not graph or session.previous_index_dir is None:
        return None
    read = _read_index(session.previous_index_dir / _index_name(Path(relative)))
    if read is None or section not in read[1]:
        return None
    return read[1][section], read[0].get("extra")


class _Previous:
    """The previous build's file and its index, when the index describes that file in this context."""

    def __init__(self, fd: int, sections: dict[str, np.ndarray]):
        self.fd = fd
        self.sections = sections

    @classmethod
    def open(cls, output: Path, index: Path, context: str) -> "_Previous | None":
        """None when there is no index, or it is damaged, of another context or of another file."""
        read = _read_index(index)
        if read is None or read[0]["context"] != context:
            return None
        trailer, by_name = read
        try:
            described = tuple(trailer["output"][k] for k in ("size", "ino", "mtime_ns"))
            fd = os.open(output, os.O_RDONLY)
        except (OSError, KeyError, TypeError):
            return None
        status = os.fstat(fd)
        if (status.st_size, status.st_ino, status.st_mtime_ns) != described:
            os.close(fd)
            return None
        return cls(fd, by_name)

    def close(self) -> None:
        os.close(self.fd)

    def read(self, start: int, end: int) -> bytes:
        data = os.pread(self.fd, end - start, start)
        if len(data) != end - start:
            raise OSError(f"the previous output ended before byte {end}")
        return data


class _Writer:
    """Writes an output's frame and sections, and (with `index`) each item's row in its index."""

    def __init__(self, handle, index=None, previous: _Previous | None = None):
        self.handle, self.index, self.previous = handle, index, previous
        self.position = 0
        self.rows: list[tuple[str, int]] = []  # (section, rows), as written to the index

    def write(self, data: bytes) -> None:
        self.handle.write(data)
        self.position += len(data)

    def write_all(self, frame: list[bytes], sections: list[Section]) -> None:
        self.write(frame[0])
        for section, after in zip(sections, frame[1:]):
            self.section(section)
            self.write(after)

    def section(self, section: Section) -> None:
        self.first = True
        self.rows.append((section.name, 0))
        numbers = None  # the number of each item's first numbered element
        if section.counts is not None:
            numbers = np.zeros(len(section.counts) + 1, np.int64)
            np.cumsum(section.counts, out=numbers[1:])
        if section.fps is None:  # not indexed: every item rendered, as they come
            i = 0
            while batch := list(islice(section.items, _batch_end(numbers, i, sys.maxsize) - i)):
                self._rendered(section, batch, int(numbers[i]) if numbers is not None else 0, None)
                i += len(batch)
            return
        old = self.previous.sections.get(section.name) if self.previous is not None else None
        if old is None:
            segments = [(0, len(section.fps), -1)]
        else:
            segments = _segments(section.fps, old["fp"])
            ends = old["start"] + old["length"]
            old_numbers = np.zeros(len(old) + 1, np.int64)
            np.cumsum(old["count"], out=old_numbers[1:])
        for i0, i1, j0 in segments:
            if j0 < 0:
                b0 = i0
                while b0 < i1:
                    b1 = _batch_end(numbers, b0, i1)
                    self._rendered(section, list(islice(section.items, b1 - b0)), int(numbers[b0]) if numbers is not None else 0,
                                   section.fps[b0:b1], section.counts[b0:b1] if numbers is not None else None)
                    b0 = b1
                continue
            c0 = i0
            while c0 < i1:  # reads of at most _COPY_BYTES (or of one item)
                k0 = j0 + c0 - i0
                k1 = int(np.searchsorted(ends, old["start"][k0] + _COPY_BYTES, side="right"))
                c1 = min(i1, c0 + max(1, k1 - k0))
                self._copied(section, old, k0, c0, c1, numbers, old_numbers)
                c0 = c1

    def _rendered(self, section: Section, batch: list, first: int, fps, counts=None) -> None:
        pieces = section.render(batch, first)
        if isinstance(pieces, tuple):  # the items' bytes already `separator` apart, and their lengths
            self._emit(section, *pieces, fps, counts)
            return
        lengths = np.fromiter(map(len, pieces), np.int64, len(pieces))
        self._emit(section, section.separator.join(pieces), lengths, fps, counts)

    def _copied(self, section: Section, old: np.ndarray, k0: int, c0: int, c1: int, numbers, old_numbers) -> None:
        """Items c0…c1 of this section from the previous file, where they are its items k0…; made
        anew if the bytes there are not what the index says."""
        rows = old[k0: k0 + c1 - c0]
        counts = section.counts[c0:c1] if section.counts is not None else None
        lengths = rows["length"].astype(np.int64)
        start, end = int(rows["start"][0]), int(rows["start"][-1] + rows["length"][-1])
        data = None
        if end - start == int(lengths.sum()) + (len(rows) - 1) * len(section.separator):  # back to back
            data = self.previous.read(start, end)
        if data is not None and section.renumber is not None and numbers[c0] != old_numbers[k0]:
            new_first, old_first, edges = int(numbers[c0]), int(old_numbers[k0]), int(numbers[c1] - numbers[c0])
            data = section.renumber(data, old_first, new_first, edges)
            # the digits each number gains or loses, summed over each item's numbers
            change = np.zeros(edges + 1, np.int64)
            np.cumsum(_digits(np.arange(new_first, new_first + edges)) - _digits(np.arange(old_first, old_first + edges)),
                      out=change[1:])
            bounds = numbers[c0:c1 + 1] - numbers[c0]
            lengths += change[bounds[1:]] - change[bounds[:-1]]
        if data is None:
            self._rendered(section, list(islice(section.items, c1 - c0)), int(numbers[c0]) if numbers is not None else 0,
                           section.fps[c0:c1], counts)
            return
        _skip(section.items, c1 - c0)
        if section.copied is not None:
            section.copied(data, int(counts.sum()) if counts is not None else c1 - c0)
        self._emit(section, data, lengths, section.fps[c0:c1], counts)

    def _emit(self, section: Section, data: bytes, lengths: np.ndarray, fps, counts) -> None:
        """Write `data` (items of these `lengths`, `separator` apart) after the section's items so far."""
        first, self.first = self.first, False
        if fps is not None and self.index is not None:
            rows = np.zeros(len(lengths), _ROW)
            rows["fp"] = fps
            before = np.zeros(len(lengths), np.int64)
            np.cumsum(lengths[:-1] + len(section.separator), out=before[1:])
            rows["start"] = self.position + len(section.separator) * (not first) + before
            rows["length"] = lengths
            if counts is not None:
                rows["count"] = counts
            if section.tags is not None:
                rows["tag"] = section.tags[self.rows[-1][1]: self.rows[-1][1] + len(lengths)]
            self.index.write(rows.tobytes())
        if not first:
            self.write(section.separator)
        self.write(data)
        name, written = self.rows[-1]
        self.rows[-1] = (name, written + len(lengths))


def _segments(fps: np.ndarray, old_fps: np.ndarray) -> list[tuple[int, int, int]]:
    """The items as (i0, i1, j0): items i0…i1 are the previous items j0… in a row (a copy), or
    (j0 = -1) are not in the previous index (rendered)."""
    if not len(old_fps):
        return [(0, len(fps), -1)]
    order = np.argsort(old_fps, kind="stable")
    ordered = old_fps[order]
    at = np.minimum(np.searchsorted(ordered, fps), len(ordered) - 1)
    found = (ordered[at] == fps) & (fps != 0)
    match = np.where(found, order[at], -1)
    breaks = np.ones(len(fps), bool)
    breaks[1:] = (found[1:] != found[:-1]) | (found[1:] & (match[1:] != match[:-1] + 1))
    starts = np.flatnonzero(breaks)
    ends = np.append(starts[1:], len(fps))
    return list(zip(starts.tolist(), ends.tolist(), match[starts].tolist()))


def _batch_end(numbers: np.ndarray | None, i0: int, i1: int) -> int:
    """Where a batch of items from i0 (up to i1) ends: after _BATCH items, or with counted items
    (`numbers`: where each item's count starts) after _BATCH counted elements, or one item."""
    if numbers is None:
        return min(i0 + _BATCH, i1)
    end = int(np.searchsorted(numbers, numbers[i0] + _BATCH, side="right")) - 1
    return min(i1, max(i0 + 1, end), len(numbers) - 1)


def _digits(numbers: np.ndarray) -> np.ndarray:
    """How many decimal digits each (non-negative) number has."""
    return np.searchsorted(_POWERS, numbers.astype(np.uint64), side="right") + 1


def _skip(items: Iterator, n: int) -> None:
    next(islice(items, n, n), None)
