"""The affiliation matcher's index kept in the build's SQLite file, so a build does not make it again.

The matcher (kg.knowledge.ror_match) indexes the ROR registry's 150k names before it can read its
first affiliation string: about 2 s, paid by every build that meets one printed institution the
lexicon does not know by name, which one new digest usually holds. The index depends only on the
matcher's code, the lexicon's files and Python's version (`AffiliationMatcher.index_key`), not on
the corpus, so a full build reads it too. One row, marshalled (21 MB for the shipped registry,
read back in ~0.3 s); a row of another key is replaced.
"""

from __future__ import annotations

import marshal
import sqlite3
from contextlib import contextmanager
from pathlib import Path

__all__ = ["RorIndexCache", "kept_matcher_index"]


@contextmanager
def kept_matcher_index(path):
    """Meanwhile, the shipped lexicon's matcher keeps its index in the SQLite file at `path` (read
    from there when it was kept before)."""
    from ..knowledge.institutions import load_lexicon

    lexicon = load_lexicon()
    with RorIndexCache(path) as cache:
        lexicon.matcher_index_cache = cache
        if lexicon._affiliations is not None:
            lexicon._affiliations.index_cache = cache
        try:
            yield cache
        finally:
            lexicon.matcher_index_cache = None
            if lexicon._affiliations is not None:
                lexicon._affiliations.index_cache = None


class RorIndexCache:
    """`get(key)` → the index tables kept under `key`, or None; `put(key, tables)` keeps them (and
    drops any other key's). Used as a context manager; set as the matcher's ``index_cache``."""

    def __init__(self, path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(self.path)
        self.db.execute("CREATE TABLE IF NOT EXISTS ror_index (key TEXT PRIMARY KEY, data BLOB)")

    def get(self, key: str) -> dict | None:
        row = self.db.execute("SELECT data FROM ror_index WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        try:
            tables = marshal.loads(row[0])
        except (EOFError, ValueError, TypeError):  # a damaged row: made again, and replaced
            return None
        return tables if isinstance(tables, dict) else None

    def put(self, key: str, tables: dict) -> None:
        with self.db:
            self.db.execute("DELETE FROM ror_index")
            self.db.execute("INSERT INTO ror_index VALUES (?, ?)", (key, marshal.dumps(tables)))

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> RorIndexCache:
        return self

    def __exit__(self, *exc) -> None:
        self.close()
