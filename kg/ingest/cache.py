"""The parse cache: what reading each input file gave (its ReadResult), so `kg build --update`
parses only the files whose bytes changed. Parsing, not reading bytes, is what reading costs (the
dev corpus: 0.04 s to read its 1,027 files, 0.1 s to hash them, ~10 s to parse them).

A row is keyed by the file's path as given (entries and problems name it) and the SHA-256 of its
bytes, within a fingerprint of everything else a ReadResult depends on: the reader code and the
code and tables it uses (institution names are split with the ROR index), the registered readers,
the forced format, the limits and the Python version (rows are pickled records of kg.model, whose
code is in the fingerprint too). Kept in the build's SQLite file beside the extraction cache
(kg.build.folder: BuildDir.cache), in a table of its own.

Reading happens before the build folder is locked (inputs with no entry must leave it alone), so
lookups open the file read-only and only when it exists; what was parsed is held in memory and
written by `save`, which the build calls under the lock.
"""

from __future__ import annotations

import hashlib
import inspect
import pickle
import sqlite3
import sys
from pathlib import Path

from .. import registry
from ..model import ReadResult
from ..util.files import digest_files
from .limits import Limits

__all__ = ["ParseCache", "reader_fingerprint", "content_digest"]

_KG = Path(__file__).resolve().parent.parent
# The code outside kg/ingest/ a ReadResult depends on (tests/ingest/test_parse_cache.py checks this
# list against what reading imports)
_SHARED_CODE = ("model.py", "registry.py", "knowledge/institutions.py", "util/names.py", "util/textnorm.py",
                "util/files.py")
# The tables reading uses: institution names are split against the alias table and the ROR index
_DATA_FILES = ("institution_aliases.tsv", "ror_names.tsv.gz", "ror_labels.tsv")
_PICKLE = 5


def reader_fingerprint(format: str | None, limits: Limits) -> str:
    """A digest of the reader code, its tables, the registered readers, `format` and `limits`."""
    digest = hashlib.sha256()
    code = sorted(path.relative_to(_KG).as_posix() for path in (_KG / "ingest").rglob("*.py"))
    digest_files(digest, _KG, [*code, *_SHARED_CODE])
    digest_files(digest, _KG / "data", _DATA_FILES)
    for plugin in registry.plugins("reader"):  # detection tries every reader, others' too
        digest.update(f"{plugin.name}\0{plugin.aliases}\0".encode())
        for target in (plugin.target, plugin.options.get("detect")):
            digest.update(_plugin_code(target))
    digest.update(f"{format}\0{limits.max_file_bytes}\0{limits.max_entry_chars}\0".encode())
    digest.update(f"python-{sys.version_info[0]}.{sys.version_info[1]}".encode())
    return digest.hexdigest()[:16]


def _plugin_code(target) -> bytes:
    """What identifies a reader's function: its dotted name, and its module's source when that
    module is not kg's own (kg's is in the fingerprint already)."""
    if isinstance(target, str):
        module, _, name = target.partition(":")
    else:
        module, name = getattr(target, "__module__", ""), getattr(target, "__qualname__", repr(target))
    source = b""
    if module and module.split(".", 1)[0] != "kg":
        try:
            source = Path(inspect.getsourcefile(sys.modules[module]) or "").read_bytes()
        except (KeyError, TypeError, OSError):  # not imported yet, or no source: its name must do
            source = b""
    return f"{module}:{name}\0".encode() + source


def content_digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class ParseCache:
    """ReadResults by (path, content digest) in table `parsed` of the SQLite file at `path`.

    With ``read=False`` (a full build) nothing is looked up, and `save` replaces the table with
    what this build parsed; with ``read=True`` (an update) `save` adds what was parsed afresh.
    """

    def __init__(self, path, fingerprint: str, read: bool = True):
        self.path = Path(path)
        self.fingerprint = fingerprint
        self.read = read
        self.pending: dict[str, tuple[str, ReadResult]] = {}  # path -> (digest, result) to save
        self.hits = 0
        self.misses = 0
        self._db = self._open_for_reading() if read else None

    def _open_for_reading(self) -> sqlite3.Connection | None:
        if not self.path.is_file():  # nothing cached yet; and nothing may be created before the lock
            return None
        try:
            db = sqlite3.connect(f"{self.path.resolve().as_uri()}?mode=ro", uri=True)
            db.execute("SELECT 1 FROM parsed LIMIT 1")
        except sqlite3.Error:  # no table yet (an older build), or an unreadable file: parse everything
            return None
        return db

    def get(self, path: str, digest: str) -> ReadResult | None:
        """The ReadResult of the file at `path` when its bytes had this digest, or None."""
        row = None
        if self._db is not None:
            try:
                row = self._db.execute(
                    "SELECT data FROM parsed WHERE fingerprint = ? AND path = ? AND digest = ?",
                    (self.fingerprint, path, digest),
                ).fetchone()
            except sqlite3.Error:  # busy or damaged: the cache only ever saves time
                row = None
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        return pickle.loads(row[0])

    def put(self, path: str, digest: str, result: ReadResult) -> None:
        """Note a fresh ReadResult, written by `save`."""
        self.pending[path] = (digest, result)

    def save(self) -> None:
        """Write what was parsed (call under the build folder's lock). A full build drops every
        other row: files gone, older contents, other fingerprints."""
        self.close()
        if self.read and not self.pending:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path)
        try:
            with db:
                db.execute("CREATE TABLE IF NOT EXISTS parsed (fingerprint TEXT, path TEXT, digest TEXT, data BLOB, "
                           "PRIMARY KEY (fingerprint, path))")
                if not self.read:
                    db.execute("DELETE FROM parsed")
                db.executemany(  # one pickle at a time: a full build saves every file's entries
                    "INSERT OR REPLACE INTO parsed VALUES (?, ?, ?, ?)",
                    ((self.fingerprint, path, digest, pickle.dumps(result, protocol=_PICKLE))
                     for path, (digest, result) in self.pending.items()),
                )
        finally:
            db.close()
        self.pending = {}

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
