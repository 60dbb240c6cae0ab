"""The first half of a build — read, extract, resolve — optionally in a process of its own.

Why a process of its own: those stages make and drop most of what a build ever allocates (the
entries' texts, spaCy's working set, the findings, the affiliation matcher's tables), and what
survives them, the resolved corpus, is a small part of it left scattered through the heap.
CPython's allocator only hands an arena back when every object in it is gone, so the scattered
corpus pinned hundreds of MB that the graph and the exports, which come next and are the build's
peak, could not use. A forked child does those stages and sends back only the corpus (pickled,
~3 KB a paper); the building process lays it out compactly and never held the rest.
"""

from __future__ import annotations

import multiprocessing
import traceback
from dataclasses import dataclass, field
from typing import Callable

from ..errors import KgError, NothingFoundError
from ..extract import extract_entries
from ..extract.cache import FindingsCache, extractor_fingerprint
from ..extract.engines import can_fork
from ..ingest import read_inputs
from ..ingest.cache import ParseCache, reader_fingerprint
from ..ingest.dates import with_date
from ..model import Corpus
from ..resolve import resolve
from ..resolve.author_cache import AuthorBlockCache, resolver_fingerprint
from ..resolve.ror_index import kept_matcher_index
from ..util.gcpause import paused_gc, trim_heap

__all__ = ["Prepared", "prepare_in_process", "prepare_in_child", "can_isolate"]

Step = Callable[[str, int, "int | None"], None]


@dataclass
class Prepared:
    """What the writing half of a build needs of the first half."""

    corpus: Corpus  # resolved, with the readers' problems and the inputs in it
    files: list  # input files read
    n_entries: int  # entries read (rejects not counted)
    skipped: tuple  # (file, reason) of files not read
    stats: dict = field(default_factory=dict)  # texts extracted and reused (kg.build.BuildResult.stats)


def can_isolate(config) -> bool:
    """Whether the first half may run in a forked child: on Linux (kg.extract.engines.can_fork),
    with the local engine (a Dask client is left in the process that made it)."""
    return config.isolate and config.engine == "local" and can_fork()


def _stages(inputs, out, config, engine, step: Step):
    """The first half as a generator: reads, then yields the number of entries (the caller takes
    the build folder's lock before asking for more), then extracts and resolves and returns the
    Prepared. Raises NothingFoundError, before yielding, when the inputs hold no entry."""
    # an update parses only the files whose bytes changed; a full build parses all and refills the cache
    with ParseCache(out.cache, reader_fingerprint(config.format, config.limits), read=config.update) as parsed:
        read = read_inputs(inputs, config.format, config.limits, progress=lambda done, total: step("reading", done, total),
                           cache=parsed)
    if not read.entries:
        raise NothingFoundError(_nothing_found(inputs, out.path), read.skipped, read.problems)
    yield len(read.entries)
    parsed.save()  # under the lock now
    parse_stats = {"files_parsed": parsed.misses, "files_reused": parsed.hits}
    del parsed
    files, skipped, problems = list(read.files), tuple(read.skipped), read.problems
    entries = with_date(read.entries, config.date)  # a list
    del read
    total, done = len(entries), 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        # the extractor counts distinct texts, fewer than the entries when some share one
        step("extracting", min(done, total), total)

    step("extracting", 0, total)
    fingerprint = extractor_fingerprint(config.extract.model)
    with FindingsCache(out.cache, fingerprint, read=config.update) as cache:
        extractions = extract_entries(entries, config.extract, progress=tick, cache=cache, engine=engine)
        # every entry is extracted now, whatever the count of distinct texts reached
        step("extracting", total, total)
        stats = {**parse_stats, "texts_extracted": cache.misses, "texts_reused": cache.hits,
                 "texts_ranked": cache.ranked_misses, "ranks_reused": cache.ranked_hits}
        if not config.update:
            cache.prune()
    step("resolving", 0, None)
    # an update clusters again only the name blocks whose inputs changed; a full build refills the cache
    # the affiliation matcher's index is the same for every corpus: kept, and read by full builds too
    with AuthorBlockCache(out.cache, resolver_fingerprint(), read=config.update) as blocks, \
            kept_matcher_index(out.cache), paused_gc():
        # spaCy's docs may hold cycles, resolution makes none worth collecting
        corpus = resolve(entries, extractions, max_topics=config.extract.max_topics, author_cache=blocks)
        if not config.update:
            blocks.prune()
    # name blocks of more than one mention: clustered, or their clusters reused from the cache
    stats.update(author_blocks_clustered=blocks.misses, author_blocks_reused=blocks.hits)
    _release_matchers()
    n_entries = len(entries)
    del entries, extractions  # the corpus holds what outputs need
    trim_heap()
    corpus = Corpus(
        papers=corpus.papers,
        authors=corpus.authors,
        institutions=corpus.institutions,
        problems=tuple(problems) + corpus.problems,
        inputs=tuple(str(i) for i in inputs),
    )
    return Prepared(corpus, files, n_entries, skipped, stats)


def _release_matchers() -> None:
    """Free the affiliation matcher resolution used (kg.knowledge.institutions.release_affiliations)
    and its normalisation cache before the graph and the outputs are built."""
    from ..knowledge import ror_match
    from ..knowledge.institutions import load_lexicon

    load_lexicon().release_affiliations()
    ror_match.load_matcher.cache_clear()
    ror_match._norm.cache_clear()


def _nothing_found(inputs, out) -> str:
    """The one-line message of a build that found no entry: the inputs, and what became of `out`."""
    names = [str(given) for given in inputs]
    shown = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
    kept = "left as it was" if out.exists() else "not created"
    return f"no paper entries found in {shown or 'no input'}; {out}/ {kept}"


class prepare_in_process:
    """The first half in this process. ``read()`` reads (NothingFoundError when there is nothing);
    ``finish()``, called under the build folder's lock, does the rest and returns the Prepared."""

    def __init__(self, inputs, out, config, engine, step: Step):
        self.stages = _stages(inputs, out, config, engine, step)

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.stages.close()

    def read(self) -> int:
        return next(self.stages)

    def finish(self) -> Prepared:
        try:
            next(self.stages)
        except StopIteration as done:
            return done.value
        raise AssertionError("the first half yields once")


class prepare_in_child(prepare_in_process):
    """The first half in a forked child, driven the same way; progress comes over a pipe and is
    handed to `step` here, so the callback is only ever called from this process. An error in the
    child is raised here (a KgError as it was; anything else with the child's traceback as its
    cause); a child that dies (killed, out of memory) is a KgError."""

    def __init__(self, inputs, out, config, engine, step: Step):
        context = multiprocessing.get_context("fork")
        self.step = step
        self.conn, child_end = context.Pipe(duplex=True)
        self.process = context.Process(target=_child, args=(child_end, inputs, out, config, engine), daemon=False,
                                       name="kg-prepare")
        self.process.start()
        child_end.close()

    def __exit__(self, *exc) -> None:
        self.conn.close()
        if self.process.is_alive():  # the build stopped early (an error here, Ctrl-C): the child goes too
            self.process.terminate()
        self.process.join()

    def read(self) -> int:
        return self._until("read")

    def finish(self) -> Prepared:
        self.conn.send("go")
        # unpickling the corpus makes millions of objects: with the collector on, its passes over
        # them took longer than the unpickling itself (2.1 s against 0.6 s for the dev corpus)
        with paused_gc():
            return self._until("done")

    def _until(self, wanted: str):
        while True:
            try:
                kind, *payload = self.conn.recv()
            except EOFError:
                raise KgError("the process reading and resolving the inputs died (killed, or out of memory?)") from None
            if kind == "step":
                self.step(*payload)
            elif kind == wanted:
                return payload[0]
            elif kind == "nothing":
                raise NothingFoundError(*payload)
            elif kind == "error":
                error, remote = payload
                if isinstance(error, KgError):
                    raise error
                raise error from _RemoteTraceback(remote)
            else:
                raise AssertionError(f"unexpected message from the child: {kind}")


class _RemoteTraceback(Exception):
    """The child's traceback, as the cause of an error it sent (as concurrent.futures does)."""

    def __str__(self) -> str:
        return "\n" + self.args[0]


def _child(conn, inputs, out, config, engine) -> None:
    """The child's side: run the stages, sending progress, the entry count, then the Prepared."""

    def step(stage: str, done: int, total: int | None) -> None:
        conn.send(("step", stage, done, total))

    try:
        with prepare_in_process(inputs, out, config, engine, step) as first_half:
            conn.send(("read", first_half.read()))
            if conn.recv() != "go":
                return
            prepared = first_half.finish()
            with paused_gc():  # pickling the corpus with the collector on took twice as long (2.0 s against 1.0)
                conn.send(("done", prepared))
    except NothingFoundError as error:
        conn.send(("nothing", str(error), error.skipped, error.problems))
    except EOFError:  # the building process went away
        pass
    except BaseException as error:  # noqa: BLE001 — every failure is the parent's to raise
        conn.send(("error", _sendable(error), traceback.format_exc()))
    finally:
        conn.close()


def _sendable(error: BaseException) -> BaseException:
    """`error` if it survives pickling, else a KgError of the same message."""
    import pickle

    try:
        pickle.loads(pickle.dumps(error))
        return error
    except Exception:  # noqa: BLE001
        return KgError(f"{type(error).__name__}: {error}")
