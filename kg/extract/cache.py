"""The extraction cache: findings of each text on disk, so a rebuild or `kg build --update` runs
spaCy only over texts it has not seen.

Keyed by the text's digest (kg.extract.mentions.entry_text_key) within a fingerprint of everything
findings depend on — the extraction code, its data tables, the spaCy model and its version — so a
changed extractor never serves stale findings: a new fingerprint starts an empty table.
SQLite, because it is in the standard library, crash-safe, and fast at keyed lookups.
"""

from __future__ import annotations

import hashlib
import sqlite3
from importlib import metadata
from pathlib import Path

from .findings import Findings

__all__ = ["FindingsCache", "extractor_fingerprint"]

_HERE = Path(__file__).resolve().parent
_KG = _HERE.parent
_DATA = _KG / "data"
# The code outside kg/extract/ that findings depend on: the glossary and the topic key.
_SHARED_CODE = ("knowledge/glossary.py", "util/words.py")
# The data tables extraction reads (others, like institution names, only matter after extraction).
_DATA_FILES = ("topic_df.tsv.gz", "glossary_zh_en.tsv.gz", "topic_variants.tsv", "datasets.txt")


def extractor_fingerprint(model: str | None, nlp=None) -> str:
    """A digest of the extraction code, its data tables and the spaCy pipeline used."""
    digest = hashlib.sha256()
    code = sorted(path.relative_to(_KG).as_posix() for path in _HERE.rglob("*.py"))
    for name in [*code, *_SHARED_CODE]:
        digest.update(name.encode() + b"\0" + (_KG / name).read_bytes())
    for name in _DATA_FILES:
        path = _DATA / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())
    if nlp is not None:
        digest.update(f"{nlp.meta.get('name')}-{nlp.meta.get('version')}".encode())
    else:
        digest.update((model or "default").encode())
    for package in ("spacy", "jieba"):  # tokenisation and Chinese segmentation change findings too
        try:
            digest.update(f"{package}-{metadata.version(package)}".encode())
        except metadata.PackageNotFoundError:  # pragma: no cover - both are dependencies
            pass
    return digest.hexdigest()[:16]


class FindingsCache:
    """Findings by text key, stored in one SQLite file; entries of other fingerprints are ignored
    (and dropped by `prune`). With ``read=False`` nothing is looked up, only stored: a full build
    extracts every text afresh and leaves the cache ready for the next update."""

    def __init__(self, path, fingerprint: str, read: bool = True):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.fingerprint = fingerprint
        self.read = read
        self.db = sqlite3.connect(self.path)
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS findings (fingerprint TEXT, key TEXT, data TEXT, PRIMARY KEY (fingerprint, key))"
        )
        self.hits = 0
        self.misses = 0

    def get_many(self, keys) -> dict:
        keys = list(keys)
        out = {}
        for start in range(0, len(keys) if self.read else 0, 500):  # SQLite's limit on bound parameters
            chunk = keys[start : start + 500]
            rows = self.db.execute(
                f"SELECT key, data FROM findings WHERE fingerprint = ? AND key IN ({','.join('?' * len(chunk))})",
                [self.fingerprint, *chunk],
            )
            out.update((key, Findings.from_json(data)) for key, data in rows)
        self.hits += len(out)
        self.misses += len(keys) - len(out)
        return out

    def put_many(self, findings: dict) -> None:
        with self.db:
            self.db.executemany(
                "INSERT OR REPLACE INTO findings VALUES (?, ?, ?)",
                [(self.fingerprint, key, f.to_json()) for key, f in findings.items()],
            )

    def prune(self) -> int:
        """Drop the findings of other fingerprints (an older extractor); the number dropped."""
        with self.db:
            return self.db.execute("DELETE FROM findings WHERE fingerprint != ?", (self.fingerprint,)).rowcount

    def close(self) -> None:
        self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
