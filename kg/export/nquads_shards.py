"""Sharded N-Quads for bulk loaders: gzip-compressed shards of bounded size plus a manifest.

OUT/nquads/ holds part-00000.nq.gz, … (source-document graphs, each wholly inside one shard, so
the facts of one source can be replaced or dropped graph by graph), derived-00000.nq.gz, … (the
corpus-level graph ``<base>graph/derived``) and manifest.json (files, quad counts, sha256, graphs).
"""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import re
from dataclasses import dataclass
from itertools import groupby, islice
from pathlib import Path
from typing import Iterable, Iterator

from pyoxigraph import NamedNode, Quad, RdfFormat, serialize

from ..graph.rdf import DEFAULT_BASE, Minter, generate_quads
from ..model import Corpus
from ..util.atomic import atomic_open

__all__ = ["export_nquads_shards", "DEFAULT_MAX_QUADS", "MANIFEST", "SHARD_DIR", "Shard", "write_shards", "write_manifest",
           "read_manifest", "write_nquads_shards"]

DEFAULT_MAX_QUADS = 1_000_000
SHARD_DIR = "nquads"
MANIFEST = "manifest.json"
_SHARD_NAME = re.compile(r"[a-z0-9-]+-\d{5}\.nq\.gz")


@dataclass(frozen=True)
class Shard:
    """One written shard: file name (inside the shard folder), quads, sha256 of the file's bytes, and
    the quads of each graph in it as (graph IRI, quads) pairs, in file order."""

    file: str
    quads: int
    bytes: int
    sha256: str
    graphs: tuple[tuple[str, int], ...]


def write_shards(quads: Iterable[Quad], out_dir, max_quads: int = DEFAULT_MAX_QUADS, *, prefix: str = "part",
                 split_graphs: bool = False) -> list[Shard]:
    """Write `quads` as gzip-compressed N-Quads shards ``<prefix>-00000.nq.gz``, … into `out_dir`.

    Parameters
    ----------
    quads : iterable of pyoxigraph.Quad
        Graph by graph: the quads of each named graph together (``generate_quads`` gives them so,
        sorted). The order is kept, so the same input gives byte-identical shards.
    out_dir : path
        Shard folder (created). Each shard is written atomically.
    max_quads : int
        Quads per shard at most. A shard holds whole graphs; a graph with more quads than this gets
        a shard of its own, above the bound, unless `split_graphs`.
    prefix : str
        File name prefix: distributed writers give each partition its own (``part-00003``).
    split_graphs : bool
        Let a graph continue in the next shard (for the derived graph, never dropped per source).

    Returns
    -------
    list of Shard
        What was written, for ``write_manifest``.

    Examples
    --------
    >>> import tempfile
    >>> from pyoxigraph import Literal
    >>> g, s = NamedNode("http://g.example/1"), NamedNode("http://s.example/a")
    >>> quads = [Quad(s, s, Literal(str(i)), g) for i in range(3)]
    >>> [(x.file, x.quads) for x in write_shards(quads, tempfile.mkdtemp(), 2, split_graphs=True)]
    [('part-00000.nq.gz', 2), ('part-00001.nq.gz', 1)]
    """
    if max_quads < 1:
        raise ValueError(f"max_quads must be at least 1, not {max_quads}")
    if not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", prefix):
        raise ValueError(f"shard prefix {prefix!r}: use lowercase letters, digits and '-'")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    shards = _Shards(out, prefix)
    seen: set[str] = set()
    for graph, group in groupby(quads, key=lambda q: q.graph_name):
        if not isinstance(graph, NamedNode):
            raise ValueError("every quad needs a named graph: shards are grouped by graph")
        if graph.value in seen:
            raise ValueError(f"the quads of graph <{graph.value}> are not together: give each graph's quads in one run")
        seen.add(graph.value)
        if split_graphs:
            while chunk := list(islice(group, max_quads - shards.current.quads)):
                shards.current.add(graph.value, chunk)
                if shards.current.quads == max_quads:
                    shards.close_current()
        else:
            whole = list(group)
            if shards.current.quads and shards.current.quads + len(whole) > max_quads:
                shards.close_current()
            shards.current.add(graph.value, whole)
    shards.close_current()
    return shards.written


class _Shards:
    """The shards written so far under `out` and the one being filled, numbered in order."""

    def __init__(self, out: Path, prefix: str):
        self.out = out
        self.prefix = prefix
        self.written: list[Shard] = []
        self.current = _OpenShard()

    def close_current(self) -> None:
        """Write the shard being filled (unless empty) and start a new one."""
        if self.current.quads:
            self.written.append(self.current.write(self.out / f"{self.prefix}-{len(self.written):05d}.nq.gz"))
        self.current = _OpenShard()


class _OpenShard:
    """The shard being filled, compressed as graphs come in (N-Quads shrink about 13-fold)."""

    def __init__(self):
        self.quads = 0
        self.graphs: dict[str, int] = {}
        self._blob = io.BytesIO()
        # mtime=0 and no file name in the header: the same quads give the same bytes
        self._gz = gzip.GzipFile(filename="", mode="wb", fileobj=self._blob, mtime=0, compresslevel=6)

    def add(self, graph: str, quads: list[Quad]) -> None:
        self._gz.write(serialize(quads, format=RdfFormat.N_QUADS))
        self.graphs[graph] = self.graphs.get(graph, 0) + len(quads)
        self.quads += len(quads)

    def write(self, path: Path) -> Shard:
        self._gz.close()
        data = self._blob.getvalue()
        with atomic_open(path, "wb") as handle:
            handle.write(data)
        return Shard(path.name, self.quads, len(data), hashlib.sha256(data).hexdigest(), tuple(self.graphs.items()))


def write_manifest(out_dir, shards: Iterable[Shard], max_quads: int = DEFAULT_MAX_QUADS,
                   source_graph_prefix: str | None = None) -> list[str]:
    """Write ``manifest.json`` for `shards` (from one or several ``write_shards`` calls) into `out_dir`,
    then remove shard files of an earlier build that it does not list; returns the paths written.

    The manifest is written last: it is the commit point a loader reads. `source_graph_prefix`
    (``<base>source/``) says which graphs of a store belong to this knowledge graph's sources:
    a loader drops those the manifest does not list (sources deleted since the last load).
    """
    out = Path(out_dir)
    shards = sorted(shards, key=lambda s: s.file)
    files = [s.file for s in shards]
    if len(set(files)) != len(files):
        raise ValueError("two shards have the same file name: give each write_shards call its own prefix")
    graphs = {g for s in shards for g, _ in s.graphs}
    doc = {
        "format": "application/n-quads",
        "compression": "gzip",
        "max_quads": max_quads,
        "quads": sum(s.quads for s in shards),
        "graphs": len(graphs),
        **({"source_graph_prefix": source_graph_prefix} if source_graph_prefix else {}),
        "shards": [{"file": s.file, "quads": s.quads, "bytes": s.bytes, "sha256": s.sha256,
                    "graphs": dict(s.graphs)} for s in shards],
    }
    path = out / MANIFEST
    with atomic_open(path) as handle:
        json.dump(doc, handle, ensure_ascii=False, indent=1)
        handle.write("\n")
    for stale in out.iterdir():
        if _SHARD_NAME.fullmatch(stale.name) and stale.name not in files:
            stale.unlink()
    return [str(path)] + [str(out / f) for f in files]


def read_manifest(shard_dir) -> dict:
    """The manifest of a shard folder, as written by ``write_manifest``."""
    from ..errors import InputError

    path = Path(shard_dir) / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"no {MANIFEST} in {shard_dir}: write the shards with `kg export nquads-shards`") from None


def _source_and_derived(quads: Iterable[Quad], derived: NamedNode, kept: list) -> Iterator[Quad]:
    """Yield the source-graph quads; keep the derived graph's in `kept` for shards of their own."""
    for quad in quads:
        if quad.graph_name == derived:
            kept.append(quad)
        else:
            yield quad


def write_nquads_shards(corpus: Corpus, out_dir, base: str = DEFAULT_BASE,
                        max_quads: int = DEFAULT_MAX_QUADS) -> list[str]:
    """Write the corpus's quads as shards into ``out_dir/nquads/``; returns the paths written.

    Source-document graphs go to ``part-NNNNN.nq.gz`` (each graph wholly in one shard), the derived
    graph to ``derived-NNNNN.nq.gz``, then ``manifest.json``.
    """
    shard_dir = Path(out_dir) / SHARD_DIR
    derived: list[Quad] = []
    minter = Minter(base)
    quads = _source_and_derived(generate_quads(corpus, base), minter.iri("graph", "derived"), derived)
    shards = write_shards(quads, shard_dir, max_quads)
    shards += write_shards(derived, shard_dir, max_quads, prefix="derived", split_graphs=True)
    return write_manifest(shard_dir, shards, max_quads, source_graph_prefix=minter.iri("source", "").value)


def export_nquads_shards(corpus: Corpus, out_dir: Path, base: str, graph=None) -> list[str]:
    """The `nquads-shards` target (kg.export.ExportFunction): write_nquads_shards into out_dir."""
    return write_nquads_shards(corpus, out_dir, base)
