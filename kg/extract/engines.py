"""Where the spaCy pass runs: in this process (nlp.pipe, optionally with worker processes) or on a
Dask cluster. An engine maps {key: (English text, title length)} to {key: Findings}; everything
after it (Chinese text, ranking) is cheap and runs locally.

Engines are registered by name in kg.registry (`kg build --engine NAME`), so another distributed
engine is one class away. Results never depend on the engine or on the number of workers: each
text's findings depend on that text alone.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Callable

from .. import registry
from ..errors import KgError
from .findings import Findings, findings_from_doc
from .pipeline import ExtractConfig, load_pipeline

__all__ = ["LocalEngine", "DaskEngine", "get_engine", "engine_names", "find_texts", "can_fork"]

Texts = dict  # key -> (English text, title length)


def find_texts(nlp, items: list[tuple[str, tuple[str, int]]], batch_size: int, n_process: int = 1):
    """(key, Findings) for each (text, (key, title_len)) item, in order, through nlp.pipe."""
    from .columns import release  # (spaCy's: imported once there is a pipeline)

    try:
        for doc, (key, title_len) in nlp.pipe(items, as_tuples=True, batch_size=batch_size, n_process=n_process):
            yield key, findings_from_doc(doc, title_len)
    finally:
        release()  # the components' string cache, no longer needed


def _items(texts: Texts) -> list[tuple[str, tuple[str, int]]]:
    return [(text, (key, title_len)) for key, (text, title_len) in texts.items()]


def can_fork() -> bool:
    """Whether worker processes may be forked from a process that has loaded everything: on Linux
    (fork is unsafe on macOS)."""
    return sys.platform.startswith("linux")


PARTITION_SIZE = 256  # texts per worker task: big enough to amortise the round trip, small enough to balance


def _partitions(texts: Texts, size: int) -> list[list]:
    items = _items(texts)
    return [items[i : i + size] for i in range(0, len(items), size)]


def _findings_json(nlp, items: list, batch_size: int) -> list[tuple[str, str]]:
    """What a worker sends back for a partition: (key, findings as JSON), plain text across processes."""
    return [(key, findings.to_json()) for key, findings in find_texts(nlp, items, batch_size)]


def _decoded(found: list[tuple[str, str]]):
    return ((key, Findings.from_json(data)) for key, data in found)


class LocalEngine:
    """nlp.pipe in this process; with `config.n_process` > 1, that many worker processes, each
    single-threaded.

    On Linux the workers are forked from this process once it has loaded the pipeline, take the
    texts a partition at a time and send back only the findings (JSON), as the Dask engine's do.
    spaCy's own ``n_process`` (used where fork is unavailable) sends every Doc back to this process,
    which then deserialises 25k Docs and runs the findings itself: on two cores that process
    becomes the bottleneck."""

    name = "local"
    distributed = False
    partition_size = PARTITION_SIZE

    def __init__(self, nlp=None):
        self.nlp = nlp

    def find(self, texts: Texts, config: ExtractConfig, progress: Callable[[int], None] | None = None) -> dict:
        if config.n_process > 1:
            # BLAS threads per worker: two workers with two threads each on two cores only contend
            os.environ.setdefault("OMP_NUM_THREADS", "1")
        nlp = self.nlp or load_pipeline(config.model)
        if config.n_process > 1 and can_fork():
            return self._find_forked(nlp, texts, config, progress)
        from threadpoolctl import threadpool_limits

        out = {}
        # one BLAS thread, as in each worker: --jobs 1 is one core, and results match the workers'
        with threadpool_limits(1):
            for key, findings in find_texts(nlp, _items(texts), config.batch_size, config.n_process):
                out[key] = findings
                if progress:
                    progress(1)
        return out

    def _find_forked(self, nlp, texts: Texts, config: ExtractConfig, progress) -> dict:
        global _FORKED
        parts = _partitions(texts, self.partition_size)
        out = {}
        _FORKED = (nlp, config.batch_size)
        try:
            with ProcessPoolExecutor(max_workers=min(config.n_process, max(1, len(parts))),
                                     mp_context=multiprocessing.get_context("fork"),
                                     initializer=_single_threaded) as pool:
                for found in pool.map(_forked_partition, parts):  # in order: the same dict as one process gives
                    out.update(_decoded(found))
                    if progress:
                        progress(len(found))
        except BrokenProcessPool:
            raise KgError("an extraction worker process died (killed, or out of memory?); "
                          "try fewer --jobs") from None
        finally:
            _FORKED = None
        return out


# What forked extraction workers use: (pipeline, nlp.pipe batch size), set before the pool forks,
# inherited (the loaded pipeline is shared copy-on-write, never pickled or loaded again).
_FORKED: tuple | None = None


def _single_threaded() -> None:
    """In each worker: one BLAS thread (OMP_NUM_THREADS set now is too late for a BLAS library
    this process has loaded already)."""
    from threadpoolctl import threadpool_limits

    threadpool_limits(1)


def _forked_partition(items: list) -> list[tuple[str, str]]:
    nlp, batch_size = _FORKED
    return _findings_json(nlp, items, batch_size)


# One pipeline per Dask worker process, loaded by its first task.
_WORKER_NLP: dict = {}


def _dask_partition(items: list, spacy_model: str | None, pipe_batch: int) -> list[tuple[str, str]]:
    """Run on a Dask worker: findings of one partition, as JSON (plain bytes cross the wire)."""
    nlp = _WORKER_NLP.get(spacy_model)
    if nlp is None:
        nlp = _WORKER_NLP[spacy_model] = load_pipeline(spacy_model)
    return _findings_json(nlp, items, pipe_batch)


class DaskEngine:
    """The spaCy pass as Dask tasks, one per partition of texts.

    `address` names a running scheduler ("tcp://host:8786"); None starts a LocalCluster of
    `config.n_process` single-threaded worker processes on this machine. Each worker needs the
    project and the spaCy model installed.
    """

    name = "dask"
    distributed = True
    partition_size = PARTITION_SIZE

    def __init__(self, address: str | None = None):
        self.address = address

    def find(self, texts: Texts, config: ExtractConfig, progress: Callable[[int], None] | None = None) -> dict:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise KgError("the dask engine needs Dask: pip install 'dask[distributed]'") from None
        parts = _partitions(texts, self.partition_size)
        cluster = None
        if self.address is None:
            cluster = LocalCluster(n_workers=max(1, config.n_process), threads_per_worker=1, processes=True,
                                   silence_logs=logging.WARNING,
                                   dashboard_address=None, env={"OMP_NUM_THREADS": "1"})
        try:
            with Client(self.address or cluster) as client:
                # (keyword names differ from Client.map's own: its batch_size would swallow ours)
                futures = client.map(_dask_partition, parts, spacy_model=config.model, pipe_batch=config.batch_size,
                                     pure=False)
                out = {}
                for future in as_completed(futures):
                    found = future.result()
                    out.update(_decoded(found))
                    if progress:
                        progress(len(found))
        finally:
            if cluster is not None:
                cluster.close()
        return out


def engine_names() -> list[str]:
    return registry.names("engine")


def get_engine(name: str, address: str | None = None):
    """An engine by name (kg.registry's "engine" kind); `address` is the scheduler of a distributed
    engine (one whose class has ``distributed = True``). Raises KgError for an unknown name (listing
    the names there are) or an address given to an engine that takes none."""
    engine = registry.get("engine", name)
    if not engine.distributed:
        if address:
            raise KgError("--scheduler only applies to a distributed engine (--engine dask)")
        return engine()
    return engine(address)
