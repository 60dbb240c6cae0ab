"""The extraction cache: findings of each text on disk, so a rebuild or `kg build --update` runs
spaCy only over texts it has not seen, and each text's ranked Extraction, so an update re-ranks only
the texts whose ranking inputs changed.

Findings are keyed by the text's digest (kg.extract.mentions.entry_text_key), and so are its topic
forms (kg.extract.findings.TopicForms: what ranking reads of every text before it ranks any, so an
update reads those instead of decoding and merging every text's findings); Extractions are keyed
by a digest of everything ranking one text reads (kg.extract.mentions.rank_key), all within a
fingerprint of everything they depend on — the extraction and ranking code, its data tables, the
spaCy model and its version — so a changed extractor never serves stale results: a new
fingerprint starts empty tables.
SQLite, because it is in the standard library, crash-safe, and fast at keyed lookups.
"""

from __future__ import annotations

import hashlib
import pickle
import sqlite3
import sys
from importlib import metadata
from pathlib import Path

from ..util.files import digest_files
from ..util.keyed_rows import keep_only, rows_of_keys
from .findings import Findings, TopicForms

__all__ = ["FindingsCache", "extractor_fingerprint"]

_HERE = Path(__file__).resolve().parent
_KG = _HERE.parent
_DATA = _KG / "data"
# The code outside kg/extract/ that findings and ranking depend on: the glossary, the topic key,
# the entity gazetteers, code links, how shipped tables are read, and the records (the ranked
# Extractions are pickled). tests/extract/test_rank_cache.py checks this list against what kg.extract imports.
_SHARED_CODE = ("knowledge/glossary.py", "util/words.py", "knowledge/entity_names.py", "knowledge/code_hosts.py",
                "util/files.py", "model.py")
# The data tables extraction and ranking read (others, like institution names, only matter after
# extraction); tests/extract/test_rank_cache.py checks every table the code above names is here.
_DATA_FILES = ("topic_df.tsv.gz", "glossary_zh_en.tsv.gz", "topic_variants.tsv", "datasets.txt", "methods.txt",
               "metrics.txt", "entity_lexicon.tsv", "boilerplate.tsv")
_PICKLE = 5


def extractor_fingerprint(model: str | None, nlp=None) -> str:
    """A digest of the extraction code, its data tables and the spaCy pipeline used."""
    digest = hashlib.sha256()
    code = sorted(path.relative_to(_KG).as_posix() for path in _HERE.rglob("*.py"))
    digest_files(digest, _KG, [*code, *_SHARED_CODE])
    digest_files(digest, _DATA, _DATA_FILES)
    if nlp is not None:
        digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    else:
        digest.update((model or "default").encode())
    for package in ("spacy", "jieba"):  # tokenisation and Chinese segmentation change findings too
        try:
            digest.update(f"{package}-{metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            pass
    digest.update(f"python-{sys.version_info[0]}.{sys.version_info[1]}".encode())  # the pickled Extractions
    return digest.hexdigest()[:16]


class FindingsCache:
    """Findings and topic forms by text key and ranked Extractions by rank key, stored in one
    SQLite file; rows of other fingerprints are ignored (and dropped by `prune`). With
    ``read=False`` nothing is looked up, only stored: a full build extracts and ranks every text
    afresh and leaves the cache ready for the next update."""

    def __init__(self, path, fingerprint: str, read: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        self.read = read
        self.db = sqlite3.connect(self.path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS findings (fingerprint TEXT, key TEXT, data TEXT, PRIMARY KEY (fingerprint, key))"
        )
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS ranked (fingerprint TEXT, key TEXT, data BLOB, PRIMARY KEY (fingerprint, key))"
        )
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS forms (fingerprint TEXT, key TEXT, data TEXT, PRIMARY KEY (fingerprint, key))"
        )
        self.hits = 0
        self.misses = 0
        self.ranked_hits = 0
        self.ranked_misses = 0
        # text key -> digest of its findings' JSON, for the rank keys (kg.extract.mentions.rank_key)
        self.digests: dict[str, str] = {}
        self._ranked_keys: set[str] = set()  # rank keys stored by this build, kept by `prune`

    def get_many(self, keys, count: bool = True) -> dict:
        """The findings stored under these text keys (those found); counted as hits and misses
        unless ``count`` is false (findings read again for ranking, of texts counted already)."""
        keys = list(keys)
        out = {}
        for key, data in self._rows("findings", keys):
            out[key] = Findings.from_json(data)
            self.digests[key] = _digest(data)
        if count:
            self.hits += len(out)
            self.misses += len(keys) - len(out)
        return out

    def put_many(self, findings: dict) -> None:
        rows = []
        for key, found in findings.items():
            data = found.to_json()
            self.digests[key] = _digest(data)
            rows.append((self.fingerprint, key, data))
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO findings VALUES (?, ?, ?)", rows)

    def findings_digest(self, key: str, findings: Findings) -> str:
        """The digest of a text's findings: the one noted when they were read or stored, else computed."""
        digest = self.digests.get(key)
        return digest if digest is not None else _digest(findings.to_json())

    def get_forms(self, keys) -> dict:
        """The TopicForms stored under these text keys (those found), counted as hits: a text's
        forms are stored with its findings."""
        keys = list(keys)
        out = {key: TopicForms.from_json(data) for key, data in self._rows("forms", keys)}
        self.hits += len(out)
        return out

    def put_forms(self, forms: dict) -> None:
        with self.db:
            self.db.executemany("INSERT OR REPLACE INTO forms VALUES (?, ?, ?)",
                                ((self.fingerprint, key, f.to_json()) for key, f in forms.items()))

    def get_ranked(self, keys) -> dict:
        """The Extractions stored under these rank keys (those found)."""
        keys = list(keys)
        out = {key: pickle.loads(data) for key, data in self._rows("ranked", keys)}
        self.ranked_hits += len(out)
        self.ranked_misses += len(keys) - len(out)
        return out

    def put_ranked(self, extractions: dict) -> None:
        self._ranked_keys.update(extractions)
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO ranked VALUES (?, ?, ?)",
                ((self.fingerprint, key, pickle.dumps(x, protocol=_PICKLE)) for key, x in extractions.items()),
            )

    def prune(self) -> int:
        """Drop the rows of other fingerprints (an older extractor), and the ranked Extractions
        this build did not store (a full build stores every one it uses; the others were ranked
        with display forms or titles that are gone); the number of rows dropped."""
        with self.db:
            dropped = self.db.execute("DELETE FROM findings WHERE fingerprint != ?", (self.fingerprint,)).rowcount
            dropped += self.db.execute("DELETE FROM forms WHERE fingerprint != ?", (self.fingerprint,)).rowcount
            dropped += keep_only(self.db, "ranked", self.fingerprint, self._ranked_keys)
        return dropped

    def _rows(self, table: str, keys: list):
        """(key, data) of the given keys found in `table` under this fingerprint; none unless reading."""
        return rows_of_keys(self.db, table, self.fingerprint, keys if self.read else [])

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def _digest(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()
