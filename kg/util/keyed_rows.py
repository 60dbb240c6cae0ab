"""The two queries the build's SQLite caches share: rows of given keys under a fingerprint, and a
prune that keeps only the keys a build used. Every cache table has the columns (fingerprint, key, data)."""

from __future__ import annotations

import sqlite3
from typing import Iterable, Iterator

__all__ = ["rows_of_keys", "keep_only"]

_CHUNK = 500  # keys per lookup: under SQLite's limit on bound parameters


def rows_of_keys(db: sqlite3.Connection, table: str, fingerprint: str, keys: list) -> Iterator[tuple]:
    """(key, data) of each of `keys` found in `table` under `fingerprint`."""
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        yield from db.execute(
            f"SELECT key, data FROM {table} WHERE fingerprint = ? AND key IN ({','.join('?' * len(chunk))})",
            [fingerprint, *chunk],
        )


def keep_only(db: sqlite3.Connection, table: str, fingerprint: str, keys: Iterable[str]) -> int:
    """Delete the rows of `table` under another fingerprint or of a key not in `keys` (through a
    temporary table: a build's keys are too many to bind); the number deleted. Call inside a transaction."""
    db.execute("CREATE TEMP TABLE IF NOT EXISTS kept_keys (key TEXT PRIMARY KEY)")
    db.execute("DELETE FROM kept_keys")
    db.executemany("INSERT OR IGNORE INTO kept_keys VALUES (?)", ((key,) for key in keys))
    return db.execute(f"DELETE FROM {table} WHERE fingerprint != ? OR key NOT IN (SELECT key FROM kept_keys)",
                      (fingerprint,)).rowcount
