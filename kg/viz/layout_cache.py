"""Component layouts kept from one build to the next, so an update lays out only what changed.

`kg.viz.layout` lays out each connected component of a map on its own (and, inside a big one, each
cluster), and what comes out depends only on the component's induced subgraph as `layout` hands it
over: its nodes (sorted), its edges and their weights, the page's cluster of each node, the boxes
its labels take, the seed and the depth of the call. A `LayoutCache` keys each such layout by a
digest of exactly those inputs (`key`); a build that meets the same inputs again takes the earlier
positions, bit for bit, instead of running the spring layouts and Leiden again.

The file (``OUT/.kg/fragments/layouts.bin`` in a build folder, see `kg.viz.page.write_pages`)
holds the layouts the last build used and no others::

    magic (16 bytes) | context digest (16) | body digest (16) | body
    body: per layout, in key order: key (16) | nodes n, children k (2 × uint32)
          | the returned order (n × uint32, indexes into the sorted nodes) | x, y (2n × float64)
          | the keys of the layouts made inside it (k × 16)
    (numbers in the machine's byte order)

The context digest covers the code the positions come from, the numerical libraries' versions and
the machine's kind: a file made by other code, or on another kind of machine, serves nothing. The
body digest catches a file edited or cut short: it then serves nothing either. Positions are
stored as the float64 the layout computed, in the order it returned them (later sums run in that
order), so a layout read back is the one computed. A layout found is kept with everything laid out
inside it, for the next build's misses.
"""

from __future__ import annotations

import functools
import hashlib
import marshal
import platform
import struct
import sys
from array import array
from pathlib import Path

import networkx as nx

from ..util.atomic import atomic_open
from ..util.files import digest_files

__all__ = ["LayoutCache", "LAYOUTS_FILE", "MIN_CACHED"]

LAYOUTS_FILE = "layouts.bin"
MIN_CACHED = 3  # smaller components are laid out without a spring layout: cheaper than their key
_MAGIC = b"kg-layouts-1\0\0\0\0"
_CODE = ("viz/layout.py", "viz/layout_cache.py", "graph/communities.py")  # relative to kg/
_HEAD = struct.Struct("<II")


@functools.lru_cache(maxsize=1)
def _context() -> bytes:
    """The digest of what a layout's positions depend on besides its inputs: this code, the libraries'
    versions, Python's and the machine's kind (floating-point results may differ on another)."""
    import igraph
    import numpy
    import scipy

    digest = hashlib.blake2b(digest_size=16)
    digest_files(digest, Path(__file__).resolve().parent.parent, _CODE)
    digest.update(f"{nx.__version__} {numpy.__version__} {scipy.__version__} {igraph.__version__} "
                  f"{sys.version} {platform.machine()}".encode())
    return digest.digest()


class LayoutCache:
    """The layouts of a previous build (`read`) looked up by `key`; those this build uses, to `write`.

    `begin` a key before laying a component out and `end` it with the positions: layouts begun in
    between are recorded as made inside it."""

    def __init__(self, previous: dict[bytes, tuple] | None = None):
        self._previous = previous or {}
        self._kept: dict[bytes, tuple] = {}  # key → (order, xy, children)
        self._open: list[list[bytes]] = []  # the children of the layouts being made, innermost last
        self.hits = self.misses = 0

    # --- reading and writing the file ------------------------------------------------------------

    @classmethod
    def read(cls, path) -> "LayoutCache":
        """The layouts of the file at `path`; none when it is missing, made by other code, or damaged."""
        try:
            data = Path(path).read_bytes() if path is not None else b""
        except OSError:
            data = b""
        return cls(_parse(data))

    def write(self, path) -> str:
        """Write the layouts this build used (atomically) and return the path."""
        body = bytearray()
        for key in sorted(self._kept):
            order, xy, children = self._kept[key]
            body += key + _HEAD.pack(len(order), len(children)) + order.tobytes() + xy.tobytes() + b"".join(children)
        with atomic_open(path, "wb") as handle:
            handle.write(_MAGIC + _context() + hashlib.blake2b(body, digest_size=16).digest() + body)
        return str(path)

    # --- use ----------------------------------------------------------------------------------------

    @staticmethod
    def key(g: nx.Graph, weight: str, seed: int, depth: int, given: dict | None, boxes: dict | None) -> bytes:
        """The digest of everything `kg.viz.layout._component` reads of its arguments. Cluster
        numbers count by their order only (the layout sorts them, and nothing else): they are taken
        as ranks within the component, so a renumbering of the page's clusters elsewhere changes no key."""
        nodes = list(g)
        index = {n: i for i, n in enumerate(nodes)}
        # g.edges(data=weight)'s edges, in its order, read from the adjacency without the view
        edges = []
        for i, near in enumerate(g._adj.values()):
            edges.extend((i, j, d.get(weight)) for j, d in ((index[v], d) for v, d in near.items()) if j >= i)
        ranks = None
        if given is not None:
            rank = {c: i for i, c in enumerate(sorted({given[n] for n in nodes}))}
            ranks = tuple(rank[given[n]] for n in nodes)
        room = None if boxes is None else tuple(boxes[n] for n in nodes)
        item = (weight, seed, depth, tuple(nodes), tuple(edges), ranks, room)
        return hashlib.blake2b(marshal.dumps(item, 2), digest_size=16).digest()

    def get(self, key: bytes, nodes: list) -> dict | None:
        """The positions laid out for `key` (on the component's sorted `nodes`), in the order they
        were returned; None when the previous build did not lay it out."""
        found = self._previous.get(key)
        if found is None or len(found[0]) != len(nodes):
            self.misses += 1
            return None
        self.hits += 1
        self._keep(key)
        if self._open:
            self._open[-1].append(key)
        order, xy, _ = found
        return {nodes[i]: (xy[2 * k], xy[2 * k + 1]) for k, i in enumerate(order)}

    def begin(self) -> None:
        self._open.append([])

    def end(self, key: bytes, nodes: list, pos: dict) -> None:
        """Record the positions `pos` laid out for `key` (on the sorted `nodes`)."""
        children = self._open.pop()
        index = {n: i for i, n in enumerate(nodes)}
        order = array("I", (index[n] for n in pos))
        xy = array("d")
        for x, y in pos.values():
            xy.append(x)
            xy.append(y)
        self._kept[key] = (order, xy, tuple(children))
        if self._open:
            self._open[-1].append(key)

    def _keep(self, key: bytes) -> None:
        """Keep a previous layout and, for the next build, every layout made inside it."""
        stack = [key]
        while stack:
            k = stack.pop()
            if k in self._kept or k not in self._previous:
                continue
            self._kept[k] = self._previous[k]
            stack.extend(self._previous[k][2])


def _parse(data: bytes) -> dict[bytes, tuple]:
    """The layouts of a file's bytes; {} for bytes that are not a whole file of this code."""
    head = len(_MAGIC) + 32
    if len(data) < head or data[:len(_MAGIC)] != _MAGIC or data[len(_MAGIC):len(_MAGIC) + 16] != _context():
        return {}
    body = memoryview(data)[head:]
    if hashlib.blake2b(body, digest_size=16).digest() != data[len(_MAGIC) + 16:head]:
        return {}
    out: dict[bytes, tuple] = {}
    at = 0
    try:
        while at < len(body):
            key = bytes(body[at:at + 16])
            n, k = _HEAD.unpack_from(body, at + 16)
            at += 16 + _HEAD.size
            order, xy = array("I"), array("d")
            order.frombytes(body[at:at + 4 * n])
            at += 4 * n
            xy.frombytes(body[at:at + 16 * n])
            at += 16 * n
            children = tuple(bytes(body[at + 16 * j:at + 16 * (j + 1)]) for j in range(k))
            at += 16 * k
            if len(order) != n or len(xy) != 2 * n or len(children) != k or any(len(c) != 16 for c in children):
                return {}
            out[key] = (order, xy, children)
    except (struct.error, ValueError):
        return {}
    return out
