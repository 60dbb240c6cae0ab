"""graph.ttl written chunk by chunk from the sorted union of a build's triples, with what the next
build needs to copy the chunks it shares instead of writing them again (kg build --update).

The sorted union is a sequence of subject blocks, and pyoxigraph's Turtle for a run of whole
subject blocks depends on those triples alone once the prefix header is written: graph.ttl is the
header, then each chunk's Turtle without it (the same bytes as one serialisation of the whole
union, tested). A chunk ends before a subject whose CRC-32 has its low CHUNK_BITS bits zero, so
the boundaries depend on the subjects around them only, and a change to a few subjects leaves
every other chunk as it was. VoID's counts are taken chunk by chunk too: a subject's triples all
sit in one chunk, so triples, subjects, entities, classes and properties add up; distinct objects
do not, so each chunk keeps the 128-bit digests of its distinct objects and the build counts the
distinct digests of all chunks.

What the next build reads (`TurtleState`), in the store folder, committed with the store: for
each chunk the digest of its triple lines, where its Turtle sits in graph.ttl and the digest of
those bytes, its counts, and where its objects' digests sit in a file beside it; and the digest of
every graph's N-Quads the union was made from (when they are all unchanged, graph.ttl is copied
whole). A state of another kg, Oxigraph or prefixes, or one whose graph.ttl is not the file it
describes, is not read: the build writes every chunk, as a full build does.
"""

from __future__ import annotations

import hashlib
import json
import os
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from hashlib import blake2b
from pathlib import Path
from typing import Iterable, Iterator
from zlib import crc32

import numpy as np
import pyoxigraph
from pyoxigraph import NamedNode, RdfFormat, Triple, parse, serialize

from ..util.atomic import atomic_open

__all__ = ["CHUNK_BITS", "STATE_FILE", "OBJECTS_FILE", "TurtleState", "UnionTotals", "write_union_turtle"]

CHUNK_BITS = 6
"""A chunk ends before a subject whose CRC-32 has this many low bits zero: ~1 subject in 64, some
400 triples a chunk (6,500 chunks) on the dev corpus. One new digest there left 93% of the chunks
as they were (78% with 8 bits); 4 bits made no less work than 6."""

STATE_FILE = "turtle.json"
OBJECTS_FILE = "turtle-objects.bin"
_VERSION = 1  # of the state's layout and of what it counts
_DIGEST = 16  # bytes of every digest kept
_RDF_TYPE_TERM = b"<http://www.w3.org/1999/02/22-rdf-syntax-ns#type>"


@dataclass
class UnionTotals:
    """What VoID states about the union's size (kg.export.rdf.generate_void reads these)."""

    triples: int = 0
    subjects: int = 0
    entities: int = 0
    objects: int = 0
    properties: Counter = field(default_factory=Counter)  # predicate line term ("<iri>") → triples
    classes: Counter = field(default_factory=Counter)  # class line term → typed subjects


def chunk_counts(lines: list[bytes]) -> tuple[list, bytes]:
    """([triples, subjects, entities, {property: triples}, {class: subjects}], the digests of the
    distinct objects) of one chunk's sorted, unique triple lines (whole subject blocks)."""
    parts = [line.split(b" ", 2) for line in lines]
    typed = [part for part in parts if part[1] == _RDF_TYPE_TERM]
    properties = Counter([part[1] for part in parts])
    classes = Counter([part[2] for part in typed])
    objects = b"".join(blake2b(o, digest_size=_DIGEST).digest() for o in {part[2] for part in parts})
    counts = [len(parts), len({part[0] for part in parts}), len({part[0] for part in typed}),
              {k.decode("utf-8"): n for k, n in properties.items()}, {k.decode("utf-8"): n for k, n in classes.items()}]
    return counts, objects


def chunks(batches: Iterable[list[bytes]], bits: int | None = None) -> Iterator[list[bytes]]:
    """The sorted union's lines (given in sorted batches, kg.graph.rdf.union_batches) cut into chunks
    of whole subject blocks, each ending before a subject whose CRC-32 has its low `bits` bits zero."""
    mask = (1 << (CHUNK_BITS if bits is None else bits)) - 1
    chunk: list[bytes] = []
    last = None  # the subject the previous batch ended with: a batch may begin in its block
    for batch in batches:
        if not batch:
            continue
        subjects = dict.fromkeys([line[:line.find(b" ")] for line in batch])  # in order: the lines are sorted
        start = 0
        for subject in subjects:
            if crc32(subject) & mask or subject == last:
                continue
            # where the subject's block begins: its lines are the ones starting "<subject> "
            i = bisect_left(batch, subject + b" ", start)
            if i > start or chunk:
                chunk += batch[start:i]
                yield chunk
                chunk, start = [], i
        chunk += batch[start:]
        last = batch[-1][:batch[-1].find(b" ")]
    if chunk:
        yield chunk


def _fingerprint(prefixes: dict) -> str:
    """What a chunk's Turtle and counts are made by, beside its lines."""
    return hashlib.sha256(json.dumps([_VERSION, CHUNK_BITS, pyoxigraph.__version__, sorted(prefixes.items())]).encode()).hexdigest()


def _identity(path: Path) -> dict | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def graphs_key(digests: dict[str, str]) -> str:
    """One digest of every graph's N-Quads digest (kg.build.store.StoreUpdate.graph_digests): equal keys,
    equal union."""
    return hashlib.sha256(json.dumps(sorted(digests.items())).encode()).hexdigest()


class TurtleState:
    """What a previous build recorded of its graph.ttl, when it can be trusted for `prefixes`: the
    chunks by the digest of their lines, read back from that graph.ttl (each checked against its
    digest). `TurtleState.read` gives None for a missing, unreadable or stale state."""

    def __init__(self, record: dict, turtle: Path, objects: bytes):
        self.record = record
        self.turtle = turtle
        self.objects = objects
        self.by_key = {entry[0]: entry for entry in record["chunks"]}

    @classmethod
    def read(cls, folder: Path | None, turtle: Path | None, prefixes: dict) -> "TurtleState | None":
        if folder is None or turtle is None:
            return None
        try:
            record = json.loads((folder / STATE_FILE).read_text(encoding="utf-8"))
            objects = (folder / OBJECTS_FILE).read_bytes()
        except (OSError, ValueError):
            return None
        if (not isinstance(record, dict) or record.get("fingerprint") != _fingerprint(prefixes)
                or record.get("turtle") != _identity(turtle)
                or record.get("objects") != _digest(objects)):
            return None
        return cls(record, turtle, objects)

    def chunk(self, fd: int, key: str) -> tuple[list, bytes, str, bytes] | None:
        """(counts, Turtle bytes, their digest, object digests) of the chunk whose lines have digest
        `key`, or None when there was none or its bytes in graph.ttl are not the ones recorded."""
        entry = self.by_key.get(key)
        if entry is None:
            return None
        _, start, length, digest, counts, objects_start, objects_length = entry
        try:
            data = os.pread(fd, length, start)
        except OSError:
            return None
        if _digest(data) != digest:
            return None
        return counts, data, digest, self.objects[objects_start:objects_start + objects_length]


def _digest(data: bytes) -> str:
    """The digest kept of a chunk's lines, its Turtle, the objects file (SHA-256 runs on the CPU's
    own instructions here: twice as fast as BLAKE2 on big inputs)."""
    return hashlib.sha256(data).hexdigest()


def _turtle_header(prefixes: dict) -> bytes:
    """The prefix lines pyoxigraph's Turtle writer starts every document with."""
    node = NamedNode("https://example.org/")
    text = serialize([Triple(node, node, node)], format=RdfFormat.TURTLE, prefixes=prefixes)
    return text[:text.index(b"\n", text.rindex(b"@prefix ")) + 1]


def write_union_turtle(path, batches: Iterable[list[bytes]], prefixes: dict, state_folder: Path,
                       earlier: TurtleState | None = None, graphs: str | None = None) -> tuple[UnionTotals, dict]:
    """Write graph.ttl at `path` from the sorted union's lines (`batches`: sorted, unique, as
    kg.graph.rdf.union_batches gives them), and its state into `state_folder` for the next build;
    (its VoID totals, {"chunks", "reused", "copied"}).

    `earlier`: the previous build's state; its chunks are copied where the lines are the same.
    `graphs`: the `graphs_key` of the graphs the union is made from; when it is the one `earlier`
    recorded, the union is the same and graph.ttl is copied whole (the batches are not read)."""
    if earlier is not None and graphs is not None and earlier.record.get("graphs") == graphs:
        if _copy_whole(path, earlier):
            record = dict(earlier.record, turtle=_identity(Path(path)))
            _write_state(state_folder, record, earlier.objects)
            return _totals(record["totals"]), {"chunks": len(record["chunks"]), "reused": len(record["chunks"]), "copied": 1}
    header = None
    entries: list = []
    objects = bytearray()
    totals = UnionTotals()
    whole = hashlib.sha256()
    reused = 0
    try:
        old = os.open(earlier.turtle, os.O_RDONLY) if earlier is not None else None
    except OSError:  # gone since the state was read
        old = None
    try:
        with atomic_open(path, "wb") as handle:
            offset = 0
            for lines in chunks(batches):
                key = _digest(b"\n".join(lines))
                found = earlier.chunk(old, key) if old is not None else None
                if found is not None:
                    counts, data, digest, digests = found
                    reused += 1
                else:
                    counts, digests = chunk_counts(lines)
                    header = header if header is not None else _turtle_header(prefixes)
                    text = serialize(parse(b" .\n".join(lines) + b" .\n", format=RdfFormat.N_TRIPLES), format=RdfFormat.TURTLE, prefixes=prefixes)
                    if not text.startswith(header):
                        raise ValueError("pyoxigraph's Turtle writer began a chunk with other prefix lines")
                    data = text[len(header):]
                    digest = _digest(data)
                if offset == 0:  # the header, once, before the first chunk (an empty union is an empty file)
                    header = header if header is not None else _turtle_header(prefixes)
                    handle.write(header)
                    whole.update(header)
                    offset = len(header)
                handle.write(data)
                whole.update(data)
                entries.append([key, offset, len(data), digest, counts, len(objects), len(digests)])
                offset += len(data)
                objects += digests
                _add(totals, counts)
    finally:
        if old is not None:
            os.close(old)
    totals.objects = len(np.unique(np.frombuffer(bytes(objects), dtype=f"V{_DIGEST}")))
    record = {"fingerprint": _fingerprint(prefixes), "graphs": graphs, "turtle": _identity(Path(path)),
              "whole": whole.hexdigest(), "objects": _digest(objects),
              "totals": _record_totals(totals), "chunks": entries}
    _write_state(state_folder, record, bytes(objects))
    return totals, {"chunks": len(entries), "reused": reused, "copied": 0}


def _copy_whole(path, earlier: TurtleState) -> bool:
    """Copy the previous graph.ttl to `path` if its bytes are the ones recorded (else write nothing)."""
    whole = hashlib.sha256()
    try:
        with open(earlier.turtle, "rb") as old, atomic_open(path, "wb") as handle:
            while block := old.read(16 << 20):
                whole.update(block)
                handle.write(block)
            if whole.hexdigest() != earlier.record.get("whole"):
                raise _Edited
    except (OSError, _Edited):
        return False
    return True


class _Edited(Exception):
    """The previous graph.ttl is not the one its state describes."""


def _add(totals: UnionTotals, counts: list) -> None:
    triples, subjects, entities, properties, classes = counts
    totals.triples += triples
    totals.subjects += subjects
    totals.entities += entities
    totals.properties.update({k.encode("utf-8"): n for k, n in properties.items()})
    totals.classes.update({k.encode("utf-8"): n for k, n in classes.items()})


def _record_totals(totals: UnionTotals) -> list:
    return [totals.triples, totals.subjects, totals.entities, totals.objects,
            {k.decode("utf-8"): n for k, n in sorted(totals.properties.items())},
            {k.decode("utf-8"): n for k, n in sorted(totals.classes.items())}]


def _totals(record: list) -> UnionTotals:
    triples, subjects, entities, objects, properties, classes = record
    return UnionTotals(triples, subjects, entities, objects, Counter({k.encode("utf-8"): n for k, n in properties.items()}),
                       Counter({k.encode("utf-8"): n for k, n in classes.items()}))


def _write_state(folder: Path, record: dict, objects: bytes) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / OBJECTS_FILE).write_bytes(objects)
    with open(folder / STATE_FILE, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(record, separators=(",", ":")))  # the C encoder: dump() is the Python one

