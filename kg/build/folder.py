"""The output folder of a build: where each of its files is, its lock, its staging folder, and the
commit that moves a finished build into place.

Every command opens one, as sqlite-utils opens ``Database(path)``: ``BuildDir("exports")``. Nothing
is read or made until asked. The layout, each name spelled once below::

    OUT/
      papers.jsonl corpus.json graph.json graph.nq graph.ttl void.ttl report.json
      collaboration.html institutions.html topics.html     (the maps; named by kg.viz)
      neo4j/ ladybug/ graph.graphml …                      (export targets; named by kg.export)
      .kg/                  kept between builds, never an output
        lock                one writer at a time (a build, or a command rebuilding the store)
        extract.sqlite      the caches an update reads: findings, topic forms and ranked results of
                            each text (kg.extract.cache), parsed input files (kg.ingest.cache), the
                            author resolver's name blocks and text vectors (kg.resolve.author_cache),
                            the affiliation matcher's index (kg.resolve.ror_index)
        fragments/          an index of each of graph.graphml, graph.gexf, graph.json and the neo4j/ and
                            ladybug/ CSVs (named like neo4j.nodes_Paper.csv.idx): where each node's and
                            edge group's bytes are, which an update copies (kg.export.fragments);
                            layouts.bin, the maps' component layouts an update reuses (kg.viz.layout_cache)
        staging/            the build being written, laid out like OUT (its store in staging/.kg/store)
        store -> store-N    the current store (kg.build.store): store-N/db, store-N/store.json

A committed store folder is never changed: the next build writes store-(N+1) and turns the link.
A reader pins the store it opens (`pin_store`), and a commit removes an old store only when no
reader holds it any more (Oxigraph calls opening a store read-only while another process writes
it undefined behaviour, so nobody ever does).
"""

from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from ..errors import KgError

__all__ = ["BuildDir", "StorePin"]

# the outputs
PAPERS_JSONL = "papers.jsonl"
CORPUS_JSON = "corpus.json"
GRAPH_JSON = "graph.json"
GRAPH_NQ = "graph.nq"
GRAPH_TTL = "graph.ttl"
VOID_TTL = "void.ttl"
REPORT_JSON = "report.json"
# the state folder
STATE_DIR = ".kg"
LOCK_FILE = "lock"
CACHE_FILE = "extract.sqlite"
STAGING_DIR = "staging"
FRAGMENTS_DIR = "fragments"
STORE_LINK = "store"
STORE_PREFIX = "store-"  # store-1, store-2…: one folder per committed store
# inside a store folder
STORE_DB = "db"
STORE_RECORD = "store.json"
# what older versions of kg left, removed by the next commit
LEGACY_STORE = ".oxigraph-store"  # kg serve's own store of graph.nq (OUT/.oxigraph-store)
LEGACY_RECORD = STORE_RECORD  # the record beside the store, in the state folder (OUT/.kg/store.json)


@dataclass
class StorePin:
    """A store folder held for reading: no commit removes it until `close`."""

    path: Path
    fd: int | None

    @property
    def db(self) -> Path:
        return self.path / STORE_DB

    @property
    def record(self) -> Path:
        return self.path / STORE_RECORD

    def close(self) -> None:
        if self.fd is not None:
            os.close(self.fd)  # the shared lock goes with the descriptor
            self.fd = None


class BuildDir:
    """An output folder of `kg build`, whether or not it holds a build yet."""

    def __init__(self, path):
        self.path = Path(path)

    def __repr__(self) -> str:
        return f"BuildDir({str(self.path)!r})"

    # --- the outputs -------------------------------------------------------------------------------

    @property
    def papers_jsonl(self) -> Path:
        return self.path / PAPERS_JSONL

    @property
    def corpus_json(self) -> Path:
        """The resolved corpus, read back by export, viz and explain (kg.build.records)."""
        return self.path / CORPUS_JSON

    @property
    def graph_json(self) -> Path:
        return self.path / GRAPH_JSON

    @property
    def graph_nq(self) -> Path:
        """One named graph per source document plus the derived graph; the store holds the same."""
        return self.path / GRAPH_NQ

    @property
    def graph_ttl(self) -> Path:
        """The union of graph.nq's graphs, each triple once: the store's default graph."""
        return self.path / GRAPH_TTL

    @property
    def void_ttl(self) -> Path:
        return self.path / VOID_TTL

    @property
    def report_json(self) -> Path:
        return self.path / REPORT_JSON

    def map_page(self, view: str) -> Path:
        """The HTML map of `view` ("collaboration", "institutions" or "topics")."""
        from ..viz import PAGE_FILES

        return self.path / PAGE_FILES[view]

    def read_corpus(self):
        """The corpus of the build (corpus.json); InputError when there is none."""
        from .records import read_corpus

        return read_corpus(self.corpus_json)

    def read_graph(self):
        """The networkx graph of the build (graph.json)."""
        from .records import read_graph_json

        return read_graph_json(self.graph_json)

    # --- the state folder --------------------------------------------------------------------------

    @property
    def state(self) -> Path:
        return self.path / STATE_DIR

    @property
    def cache(self) -> Path:
        """The caches file: findings and ranked results (kg.extract.cache), parsed files (kg.ingest.cache)."""
        return self.state / CACHE_FILE

    @property
    def lock_file(self) -> Path:
        return self.state / LOCK_FILE

    @property
    def staging_dir(self) -> Path:
        """Inside the state folder: hidden from readers of OUT, and on its file system."""
        return self.state / STAGING_DIR

    @property
    def fragments(self) -> Path:
        """The outputs' indexes (kg.export.fragments), committed with the outputs they describe."""
        return self.state / FRAGMENTS_DIR

    @property
    def store(self) -> Path:
        """The store folder: in a build folder, a link to the current store-N."""
        return self.state / STORE_LINK

    @property
    def store_db(self) -> Path:
        """The Oxigraph database."""
        return self.store / STORE_DB

    @property
    def store_record(self) -> Path:
        """What the database holds (kg.build.store.read_record)."""
        return self.store / STORE_RECORD

    @property
    def legacy_stores(self) -> list[Path]:
        """What older versions of kg kept of a store here, if anything: the next commit removes it."""
        found = [path for path in (self.path / LEGACY_STORE, self.state / LEGACY_RECORD) if path.exists()]
        if self.store.is_dir() and not self.store.is_symlink():
            found.append(self.store)  # the database itself at .kg/store
        return found

    def writable(self) -> bool:
        """True when a store can be made here (the state folder, or the folder to hold it)."""
        for folder in (self.state, self.path):
            if folder.exists():
                return os.access(folder, os.W_OK)
        return False

    # --- writing -----------------------------------------------------------------------------------

    @contextmanager
    def lock(self) -> Iterator[None]:
        """One writer at a time per folder (an advisory lock, released when the process dies);
        KgError when another holds it."""
        self.state.mkdir(parents=True, exist_ok=True)
        with open(self.lock_file, "w") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise KgError(f"{self.path}: another kg build is writing this folder") from None
            yield

    @contextmanager
    def staging(self) -> Iterator["BuildDir"]:
        """A fresh, empty staging folder, as a BuildDir of its own (on the same file system, so
        committing is renaming); removed afterwards whatever happens, as is one a killed build left
        behind. Call with the lock held."""
        stage = self.staging_dir
        shutil.rmtree(stage, ignore_errors=True)
        stage.mkdir(parents=True)
        try:
            yield BuildDir(stage)
        finally:
            shutil.rmtree(stage, ignore_errors=True)

    def commit(self, stage: "BuildDir", written: list[str]) -> list[str]:
        """Move each staged output file or folder into this folder by rename, then the staged store
        (if any) into place; the paths `written`, as they are here. Call with the lock held.

        Files replace their old versions atomically; a folder (neo4j/, ladybug/) replaces the old
        one by two renames, so it is never a mix of old and new files. The outputs go first: a
        store whose record names another graph.nq than the one here is rebuilt by its next reader,
        and an index of fragments that does not describe the file here serves nothing."""
        from ..export.ladybug import SUBDIR as LADYBUG_SUBDIR, keep_databases  # here: readers of a folder need neither

        for item in sorted(stage.path.iterdir()):
            if item.name == STATE_DIR:
                continue
            target = self.path / item.name
            if target.is_dir() and not target.is_symlink():
                if item.name == LADYBUG_SUBDIR and item.is_dir():
                    keep_databases(target, item)  # a database the user edited there is kept, and said so
                os.replace(target, stage.path / f".old-{item.name}")  # removed with the staging folder
            elif item.is_dir() and (target.exists() or target.is_symlink()):
                target.unlink()  # a file where the new build writes a folder
            os.replace(item, target)
        if stage.fragments.is_dir():
            self.fragments.mkdir(parents=True, exist_ok=True)
            for index in sorted(stage.fragments.iterdir()):
                os.replace(index, self.fragments / index.name)
        if stage.store.is_dir():
            self._commit_store(stage.store)
        prefix = str(stage.path)
        return [str(self.path) + path[len(prefix):] if path.startswith(prefix) else path for path in written]

    def _commit_store(self, staged: Path) -> None:
        """The staged store becomes store-N and the link turns to it; stores no reader holds go."""
        numbers = [int(p.name[len(STORE_PREFIX):]) for p in self.state.glob(STORE_PREFIX + "*")
                   if p.name[len(STORE_PREFIX):].isdigit()]
        folder = self.state / f"{STORE_PREFIX}{max(numbers, default=0) + 1}"
        os.rename(staged, folder)
        for legacy in self.legacy_stores:
            shutil.rmtree(legacy) if legacy.is_dir() else legacy.unlink()
        link = self.state / f".{STORE_LINK}.new"
        link.unlink(missing_ok=True)
        link.symlink_to(folder.name)
        os.replace(link, self.store)
        self._remove_old_stores()

    def _remove_old_stores(self) -> None:
        current = os.readlink(self.store)
        for folder in self.state.glob(STORE_PREFIX + "*"):
            if folder.name == current:
                continue
            try:
                fd = os.open(folder / STORE_RECORD, os.O_RDONLY)
            except FileNotFoundError:
                shutil.rmtree(folder, ignore_errors=True)  # never finished
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                continue  # a reader still has it open: a later commit removes it
            else:
                shutil.rmtree(folder, ignore_errors=True)
            finally:
                os.close(fd)

    # --- reading the store -------------------------------------------------------------------------

    def pin_store(self) -> StorePin | None:
        """The current store folder, held for reading (a shared lock on its record) until the pin
        is closed; None when there is no store, or it is not of this layout (no link)."""
        for _ in range(10):  # a commit may remove the store between finding it and locking it
            try:
                folder = self.state / os.readlink(self.store)
            except OSError:  # no link: no store, or an older kg's
                return None
            try:
                fd = os.open(folder / STORE_RECORD, os.O_RDONLY)
            except FileNotFoundError:
                continue
            fcntl.flock(fd, fcntl.LOCK_SH)
            try:
                held = os.stat(folder / STORE_RECORD).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                held = False
            if held:  # still there, and no commit can remove it now
                return StorePin(folder, fd)
            os.close(fd)
        return None
