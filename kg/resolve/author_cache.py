"""The author block cache: each name block's clusters and evidence lines, so `kg build --update`
clusters again only the blocks whose inputs changed.

A block's clustering (kg.resolve.authors._cluster_block) reads its mentions and a few corpus-wide
statistics of the names and institutions they carry. A row is keyed by a digest of all of it
(`block_digest`): the mentions in order, each with its paper, place, name form and key, co-author
keys, institutions, category and topic vector (as the digest of the text and topics it is made
of); the statistics the scores and the evidence lines read (the surname's initial sets and
ambiguity, the count of each name of the block, and for every co-author name and institution that
two mentions of the block share, its count in the build, with the name and in the block); and the
weights. Equal digests give equal clusters and lines, so a reused block is exactly what clustering
would give. The topic vectors do not depend on the build's size (kg.resolve.word_df), or no block
could ever be reused.

Rows live in the build's SQLite file (kg.build.folder: BuildDir.cache), in a table of their own,
within a fingerprint of the resolver code and its table: a changed resolver starts afresh. Resolution
runs under the build folder's lock, so the file is opened for writing directly; a full build looks
nothing up and `prune` keeps only the rows it used.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from functools import lru_cache
from pathlib import Path

from ..util.files import digest_files
from ..util.keyed_rows import keep_only, rows_of_keys
from .names import name_parts

__all__ = ["AuthorBlockCache", "resolver_fingerprint", "block_digest"]

_KG = Path(__file__).resolve().parent.parent
# What a block's clusters and evidence lines depend on: the resolver, the name rules, the folding
# of names and texts, the topic vectors' table, and this file (the digest); not kg/model.py (rows
# hold positions and lines, not records). tests/resolve/test_author_cache.py checks this list
# against what kg/resolve/authors.py imports.
_CODE = ("resolve/authors.py", "resolve/names.py", "resolve/word_df.py", "resolve/author_cache.py",
         "util/names.py", "util/textnorm.py", "util/files.py", "util/keyed_rows.py")
_DATA_FILES = ("author_word_df.tsv.gz",)


def resolver_fingerprint() -> str:
    """A digest of the author resolver's code and the table its topic vectors read."""
    digest = hashlib.sha256()
    digest_files(digest, _KG, _CODE)
    digest_files(digest, _KG / "data", _DATA_FILES)
    return digest.hexdigest()[:16]


def block_digest(ev, members: list[int], weights) -> str:
    """The digest of everything clustering the block `members` (mention indices, in clustering
    order) reads from `ev` (a kg.resolve.authors.AuthorEvidence) under `weights`. A topic vector is
    a function of its paper's text and topics, so their digest (ev.text_keys) stands for it."""
    parts: list = [_weights_repr(weights)]
    seen_co: set[str] = set()
    shared_co: set[str] = set()
    seen_inst: set[str] = set()
    shared_inst: set[str] = set()
    keys: set[str] = set()
    text_keys = ev.text_keys
    for i in members:
        m = ev.mentions[i]
        coauthors, institutions = sorted(ev.coauthors[i]), sorted(ev.institutions[i])
        parts.append((m.paper_id, m.position, ev.forms[i], ev.keys[i], coauthors, institutions, ev.categories[i],
                      ev.places[i], text_keys[m.paper_id]))
        shared_co.update(seen_co.intersection(coauthors))
        seen_co.update(coauthors)
        shared_inst.update(seen_inst.intersection(institutions))
        seen_inst.update(institutions)
        keys.add(ev.keys[i])
    # the statistics the scores and the explanations read (kg.resolve.authors.AuthorEvidence.score, .explain)
    surnames = sorted({name_parts(k)[1] for k in keys})
    parts.append([(s, ev.initial_sets.get(s), ev.ambiguity.get(s)) for s in surnames])
    keys = sorted(keys)
    parts.append([(k, ev.name_count[k]) for k in keys])
    block_co, block_inst = ev.block_coauthors[members[0]], ev.block_institutions[members[0]]
    parts.append([(c, ev.name_count[c], block_co[c], [ev.pair_count[(k, c)] for k in keys]) for c in sorted(shared_co)])
    parts.append([(i, ev.institution_papers[i], block_inst[i]) for i in sorted(shared_inst)])
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, separators=(",", ":")).encode("utf-8")).hexdigest()


@lru_cache(maxsize=8)
def _weights_repr(weights) -> str:
    return repr(tuple(getattr(weights, name) for name in weights.__dataclass_fields__))


class AuthorBlockCache:
    """Clusters by block digest (table `author_blocks`) and topic vectors by paper text digest
    (table `author_vectors`: a vector is a function of the paper's text and topics alone) in the
    SQLite file at `path`; rows of other fingerprints are ignored (and dropped by `prune`). With
    ``read=False`` (a full build) nothing is looked up, only stored. A block's value is its clusters
    as (local positions in the block, evidence lines), in the order clustering returns them."""

    def __init__(self, path, fingerprint: str, read: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        self.read = read
        self.db = sqlite3.connect(self.path)
        for table in ("author_blocks", "author_vectors"):
            self.db.execute(f"CREATE TABLE IF NOT EXISTS {table} (fingerprint TEXT, key TEXT, data TEXT, "
                            "PRIMARY KEY (fingerprint, key))")
        self.hits = 0  # blocks reused
        self.misses = 0  # blocks clustered
        self.vector_hits = 0
        self.vector_misses = 0
        # keys looked up or stored by this build, kept by `prune`
        self._used: dict[str, set[str]] = {"author_blocks": set(), "author_vectors": set()}

    def get_many(self, keys) -> dict[str, list[tuple[list[int], list[str]]]]:
        """The clusters stored under these block digests (those found)."""
        keys = list(keys)
        out = {key: [(positions, lines) for positions, lines in value] for key, value in self._get("author_blocks", keys)}
        self.hits += len(out)
        self.misses += len(keys) - len(out)
        return out

    def put_many(self, clusters: dict[str, list[tuple[list[int], list[str]]]]) -> None:
        self._put("author_blocks", clusters)

    def get_vectors(self, keys) -> dict[str, dict[str, float]]:
        """The topic vectors stored under these text digests (those found)."""
        keys = list(keys)
        out = {key: dict(items) for key, items in self._get("author_vectors", keys)}
        self.vector_hits += len(out)
        self.vector_misses += len(keys) - len(out)
        return out

    def put_vectors(self, vectors: dict[str, dict[str, float]]) -> None:
        self._put("author_vectors", {key: list(vector.items()) for key, vector in vectors.items()})

    def _get(self, table: str, keys: list[str]):
        self._used[table].update(keys)
        for key, data in rows_of_keys(self.db, table, self.fingerprint, keys if self.read else []):
            yield key, json.loads(data)  # JSON floats round-trip exactly

    def _put(self, table: str, values: dict) -> None:
        self._used[table].update(values)
        with self.db:
            self.db.executemany(
                f"INSERT OR REPLACE INTO {table} VALUES (?, ?, ?)",
                ((self.fingerprint, key, json.dumps(value, ensure_ascii=False, separators=(",", ":")))
                 for key, value in values.items()),
            )

    def prune(self) -> int:
        """Drop the rows of other fingerprints and those this build did not use (a full build
        resolves every block and paper; the other rows are of ones that are gone); the number dropped."""
        with self.db:
            return sum(keep_only(self.db, table, self.fingerprint, used) for table, used in self._used.items())

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
