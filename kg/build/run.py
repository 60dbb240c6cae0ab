"""`kg build` as a library call: ingest → extract → resolve → graph → export, into a BuildDir."""

from __future__ import annotations

import gc
import multiprocessing
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import networkx as nx

from ..diff.output import build_changes, remove_changes
from ..errors import KgError
from ..export import DEFAULT_TARGETS, build_report, export, get_exporter, write_papers_jsonl, write_report
from ..export.fragments import fragments_for
from ..export.property_graph import tables_memo
from ..export.rdf import generate_void, write_void
from ..export.turtle_chunks import TurtleState, graphs_key, write_union_turtle
from ..extract import ExtractConfig
from ..extract.engines import can_fork, get_engine
from ..graph.build import build_graph
from ..graph.rdf import DEFAULT_BASE, Minter, nquads_blocks, source_keys, union_batches
from ..ingest import Limits
from ..model import Corpus
from ..util.atomic import atomic_open
from ..util.gcpause import paused_gc, trim_heap
from ..viz import write_pages
from .folder import BuildDir
from .prepare import Prepared, can_isolate, prepare_in_child, prepare_in_process
from .records import write_corpus, write_graph_json
from .store import StoreUpdate

__all__ = ["DEFAULT_TARGETS", "STAGES", "BuildConfig", "BuildResult", "build"]

# The stages build() reports to its `progress` callback, in the order of a one-process build, with
# what their (done, total) count; None: the stage has no count (total is None). Stable names: the
# command line shows them, and callers may match on them.
STAGES = {
    "reading": "file",  # input files looked at, of all found
    "extracting": "entry",  # entries through the extractor (cache hits included), of all read
    "resolving": None,
    "writing papers.jsonl": None,  # and corpus.json
    "writing graph.nq": "graph",  # named graphs written (a source document's, the derived one)
    "writing graph.ttl": None,
    "graph": None,  # the networkx graph
    "exports": "task",  # export tasks done (the property-table targets are one task)
    "maps": "task",  # the HTML maps: one task
    "writing graph.json": None,
    "report": None,  # void.ttl and report.json
    "store": "load",  # the store's background bulk loads waited for, then its compaction
}


@dataclass(frozen=True)
class BuildConfig:
    """Settings of one build."""

    format: str | None = None  # force one reader for every file; None detects per file
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    base: str = DEFAULT_BASE  # IRI base of minted RDF resources
    targets: tuple[str, ...] = DEFAULT_TARGETS  # extra export targets written by every build (kg.export)
    pages: bool = True  # write the interactive maps (collaboration.html, institutions.html, topics.html)
    limits: Limits = field(default_factory=Limits)  # largest input file and entry read (kg.ingest.Limits)
    update: bool = False  # reuse the extraction cache and change only what changed in the store
    engine: str = "local"  # where the spaCy pass runs (kg.extract.engines): "local" or "dask"
    scheduler: str | None = None  # address of a running Dask scheduler; None starts a local cluster
    date: str | None = None  # ISO date given to entries the document, file name and arXiv id leave undated (--date)
    # read, extract and resolve in a forked child (on Linux, local engine), so the objects those
    # stages leave behind never share a heap with the graph and exports (kg.build.prepare)
    isolate: bool = True


@dataclass(frozen=True)
class BuildResult:
    corpus: Corpus
    graph: nx.MultiDiGraph
    report: dict
    written: tuple[str, ...]
    # files parsed and reused, texts extracted, ranked and reused, author name blocks clustered and reused,
    # store graphs changed
    stats: dict = field(default_factory=dict)

    @property
    def partial(self) -> bool:
        """True when some entry or file was rejected: the graph lacks something the input had."""
        return bool(self.report["rejected"])


def build(inputs, out, config: BuildConfig = BuildConfig(), progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build the graph of every file under `inputs` and write papers.jsonl, graph.json, corpus.json,
    graph.ttl, graph.nq, void.ttl and report.json to `out` (a folder, or its BuildDir); when `out`
    holds a previous build, changes.json and changes.html say what changed since (kg.diff).

    Everything is written into a staging folder first and moved into `out` at the end, so a build
    that fails or is killed leaves the previous outputs as they were (kg.build.folder). Beside the
    outputs, `out/.kg/` keeps the extraction cache and the store that kg query and kg serve read
    (kg.build.store); with ``config.update`` the cache is read, so only texts not seen before go
    through spaCy, and the store changes only where graphs changed. Either way the outputs are
    those of a full build of `inputs`, byte for byte.

    Reading, extraction and resolution run in a forked child process (``config.isolate``, on
    Linux with the local engine; kg.build.prepare), which sends back only the resolved corpus, so
    what those stages allocate and drop never shares a heap with the graph and the exports.

    `progress(stage, done, total)` is called as the build goes: as each stage starts and as it
    advances, with `done` of `total`; `total` is None for a stage that has no count (done is then
    0), and may be 0 for a stage with nothing to do. The stages (STAGES, with what they count), in
    order: "reading" (files), "extracting" (entries), "resolving", "writing papers.jsonl",
    "writing graph.nq" (named graphs), "writing graph.ttl", "graph", "exports" (export tasks; only
    when there are targets), "maps" (one task; only with ``config.pages``), "writing graph.json",
    "report", "store" (the store's bulk loads). With ``config.extract.n_process`` > 1 where fork is
    available, "graph" comes before "writing graph.nq", and worker processes write the exports and
    maps while this one writes the RDF: after "writing graph.ttl", "maps" and "exports" are
    reported as this process takes over a task no worker has started (the maps first) and as it
    collects the workers' results. The callback is only called from the calling process.

    Raises InputError for a missing input path, ModelError when no spaCy pipeline is installed and
    KgError when another build is writing `out`; bad content never raises but ends in the report.
    When the inputs hold no entry at all (an empty folder, only files that are not paper documents,
    only rejects), raises NothingFoundError before anything is written: `out` (outputs, store,
    cache) is left as it was, and not created when it did not exist.

    Examples
    --------
    >>> result = build(["seeds"], "exports")            # doctest: +SKIP
    >>> len(result.corpus.papers)                       # doctest: +SKIP
    24
    """
    for target in config.targets:
        get_exporter(target)  # an unknown target fails before any work
    engine = get_engine(config.engine, config.scheduler)
    out = out if isinstance(out, BuildDir) else BuildDir(out)
    step = progress or _no_progress
    prepare = prepare_in_child if can_isolate(config) else prepare_in_process
    with prepare(inputs, out, config, engine, step) as first_half:
        # read before `out` is touched: inputs with no entry must not replace a good build
        first_half.read()
        with out.lock():
            prepared = first_half.finish()
            with paused_gc():  # the graph and outputs make millions of small acyclic objects
                return _write(out, config, prepared, step)


def _no_progress(stage: str, done: int, total: int | None) -> None:
    pass


def _write(out: BuildDir, config: BuildConfig, prepared: Prepared, step=_no_progress) -> BuildResult:
    """Everything after resolution: the graph, and every output through the staging folder.
    `step` is build()'s progress."""
    corpus, files, n_entries, skipped, stats = (prepared.corpus, prepared.files, prepared.n_entries,
                                                prepared.skipped, prepared.stats)
    tasks = [*_export_tasks(config.targets), *((("pages", ()),) if config.pages else ())]
    previous = out if config.update else None  # whose kept state the side outputs may read
    workers = config.extract.n_process - 1 if can_fork() else 0
    with out.staging() as stage, ExitStack() as stack:
        step("writing papers.jsonl", 0, None)
        papers_jsonl = write_papers_jsonl(corpus, stage.papers_jsonl)
        corpus_json = write_corpus(corpus, stage.corpus_json)

        def open_store() -> StoreUpdate:  # loads in the background until finish(); see kg.build.store
            return stack.enter_context(StoreUpdate(stage, previous=out if config.update else None))

        if workers:
            # the graph first, for the forked workers; they start before the store opens, so none
            # holds it, and write the exports and maps while this process writes the RDF
            step("graph", 0, None)
            graph = build_graph(corpus)
            stack.enter_context(_fragments(out, stage, config, graph))
            with _side_outputs(tasks, workers, (corpus, stage, config.base, graph, previous), step) as side:
                store = open_store()
                rdf, void = _write_rdf_outputs(corpus, stage, config.base, store, step)
                side_written = [path for paths in side for path in paths]
        else:
            # one process: the RDF before the graph exists, so the two largest things the build
            # holds (the graph, the RDF writers' working set) are never in memory together
            store = open_store()
            rdf, void = _write_rdf_outputs(corpus, stage, config.base, store, step)
            trim_heap()
            step("graph", 0, None)
            graph = build_graph(corpus)
            stack.enter_context(_fragments(out, stage, config, graph))
            with _side_outputs(tasks, 0, (corpus, stage, config.base, graph, previous), step) as side:
                side_written = [path for paths in side for path in paths]
        step("writing graph.json", 0, None)
        graph_json = write_graph_json(graph, stage.graph_json)
        step("report", 0, None)
        report = build_report(corpus, graph, n_entries, files, skipped)
        written = [*papers_jsonl, *graph_json, *corpus_json, *rdf, *side_written]
        written += write_void(corpus, stage.void_ttl, config.base, files=written, void=void)
        written += write_report(report, stage.report_json)
        # changes.json and changes.html, from the build `out` holds (before the commit replaces it) to this one
        changes = build_changes(out.papers_jsonl, stage.papers_jsonl, stage.path, maps=config.pages)
        written += changes
        step("store", 0, None)  # the loads' count is known once the last graph is handed over
        finished = store.finish(progress=lambda done, total: step("store", done, total), nquads=stage.graph_nq)
        stats.update(("store_" + k, v) for k, v in finished.items())
        written = out.commit(stage, written)
        if not changes:
            remove_changes(out.path)  # no previous build: no changes files, not even stale ones
    return BuildResult(corpus=corpus, graph=graph, report=report, written=tuple(written), stats=stats)


def _write_rdf_outputs(corpus: Corpus, stage: BuildDir, base: str, store: StoreUpdate,
                       step=_no_progress) -> tuple[list[str], list]:
    """graph.nq and graph.ttl, and the store's loads started; their paths and the VoID triples."""
    spans: list[tuple[str, int, int]] = []
    written = _write_nquads(corpus, stage.graph_nq, base, store, spans,
                            progress=lambda done, total: step("writing graph.nq", done, total))
    # graph.ttl is the union of graph.nq's graphs, merged back from the file, written chunk by
    # chunk with VoID's counts; an update copies the chunks the previous build wrote (or the whole
    # file, when no graph changed) from its graph.ttl (kg.export.turtle_chunks)
    step("writing graph.ttl", 0, None)
    prefixes = Minter(base).prefixes
    earlier = TurtleState.read(store.earlier_state, store.earlier_turtle, prefixes)
    counts, _ = write_union_turtle(stage.graph_ttl, union_batches(stage.graph_nq, spans), prefixes, store.state_folder,
                                   earlier, graphs_key(store.graph_digests()))
    written.append(str(stage.graph_ttl))
    return written, generate_void(corpus, base, counts=counts)


def _write_nquads(corpus: Corpus, path: Path, base: str, store: StoreUpdate, spans: list,
                  progress: Callable[[int, int], None] = lambda done, total: None) -> list[str]:
    """graph.nq and the store from one pass over the quads, graph by graph (the
    concatenated blocks are exactly what serialising all quads at once gives); appends each
    graph's (IRI, start, end) byte range in the file to `spans`, for union_lines. `progress(done,
    total)`: the graphs written so far, of one per source document plus the derived one."""
    # nquads_blocks makes a graph of each source file a paper came from, then the derived graph
    total = len({source.file for paper in corpus.papers for source in paper.sources}) + 1
    graphs = 0
    progress(graphs, total)
    # a source graph whose key is the one the previous build recorded is copied from its graph.nq
    keys = source_keys(corpus, base)
    with atomic_open(path, "wb") as handle:
        store.read_blocks_from(handle.fileno())
        offset, last = 0, None
        for graph, block in nquads_blocks(corpus, base, reuse=lambda graph: store.earlier(graph, keys[graph])):
            if graph != last:  # a big graph comes in several blocks: counted once, when it ends
                if last is not None:
                    graphs += 1
                    progress(graphs, total)
                last = graph
            handle.write(block)
            handle.flush()  # the store's loader reads the block back from the file
            spans.append((graph, offset, offset + len(block)))
            store.add(graph, block, offset, keys.get(graph))
            offset += len(block)
    progress(total, total)  # the derived graph is left out when empty: done is the total all the same
    return [str(path)]


# What forked output workers read: set before the pool forks, inherited, never pickled.
_SHARED: tuple | None = None


def _fragments(out: BuildDir, stage: BuildDir, config: BuildConfig, graph: nx.MultiDiGraph):
    """While it is entered, graph.graphml, graph.gexf and graph.json are written with their indexes,
    and on an update copied where they can be from the previous build's (kg.export.fragments). It
    is entered before the output workers fork, so they have the graph's fingerprints and the
    previous build's folder as the building process has them."""
    previous = out if config.update else None
    return fragments_for(graph, stage.path, stage.fragments, previous and previous.path, previous and previous.fragments)


def _export_tasks(targets) -> list[tuple[str, tuple[str, ...]]]:
    """("export", targets) tasks in the order given; the table targets together, where the first is.
    A target named twice is written once."""
    targets = list(dict.fromkeys(targets))
    # targets written from one set of property tables (graph_tables): one task writes them all, so
    # the tables are made once and let go as soon as the last of them is written
    tables = tuple(t for t in targets if get_exporter(t).reads_tables)
    tasks = []
    for target in targets:
        if target not in tables:
            tasks.append(("export", (target,)))
        elif target == tables[0]:
            tasks.append(("export", tables))
    return tasks


def _write_side_output(task: tuple[str, tuple[str, ...]]) -> list[str]:
    """The export targets (or the HTML maps) of one task from the shared (corpus, stage, base, graph).

    The task's garbage is collected as it ends: the cyclic collector is paused during a build, and
    networkx graphs (the maps and VOSviewer make some) are reference cycles, which only it frees."""
    corpus, stage, base, graph, previous = _SHARED
    kind, targets = task
    try:
        if kind == "pages":
            # the maps' component layouts are kept beside the fragment indexes (kg.viz.layout_cache)
            return write_pages(corpus, stage.path, state=stage.fragments,
                               previous_state=previous.fragments if previous is not None else None)
        with tables_memo():
            return [path for target in targets for path in export(target, corpus, stage.path, base, graph)]
    finally:
        gc.collect()  # cheap: what existed before the tasks is frozen (_side_outputs)
        trim_heap()


@contextmanager
def _side_outputs(tasks: list, workers: int, shared: tuple, step=_no_progress):
    """Yields the paths each task writes, in task order. With `workers` ≥ 1 (``--jobs`` beyond the
    first process) on Linux (fork is unsafe on macOS), the tasks run in that many forked processes
    while the caller writes the RDF (they share nothing but the staging folder; each writes its own
    files), and the caller, when it iterates, runs those still waiting itself (`_collect`); else
    they run one by one as the caller iterates.

    Forking shares the corpus and graph without pickling them (copy-on-write). Workers end with
    os._exit, so nothing the parent opened is finalised in them; the pool is made before the
    parent opens the store, so no store handle crosses the fork at all.

    `step` (build()'s progress) hears of each task as the caller runs it or waits for it, and as
    it ends (_TaskSteps); only from the caller, so nothing is drawn from a worker."""
    global _SHARED
    _SHARED = shared
    pool = None
    # the corpus and graph to the permanent generation: the collections after each task skip them
    gc.freeze()
    try:
        if workers >= 1 and len(tasks) > 0 and can_fork():
            pool = ProcessPoolExecutor(max_workers=min(workers, len(tasks)), mp_context=multiprocessing.get_context("fork"))
            futures = [pool.submit(_write_side_output, task) for task in tasks]
            yield _collect(tasks, futures, _TaskSteps(tasks, step))
        else:
            yield _in_turn(tasks, _TaskSteps(tasks, step))
    finally:
        gc.unfreeze()
        _SHARED = None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)


class _TaskSteps:
    """The progress of the side-output tasks: "maps" for the pages task, "exports" for the others,
    each counted on its own. Called from the building process only, never in a worker."""

    def __init__(self, tasks: list, step) -> None:
        self.stages = ["maps" if kind == "pages" else "exports" for kind, _ in tasks]
        self.totals = {stage: self.stages.count(stage) for stage in self.stages}
        self.done = dict.fromkeys(self.totals, 0)
        self.step = step

    def start(self, i: int) -> None:
        stage = self.stages[i]
        self.step(stage, self.done[stage], self.totals[stage])

    def end(self, i: int) -> None:
        stage = self.stages[i]
        self.done[stage] += 1
        self.step(stage, self.done[stage], self.totals[stage])


def _in_turn(tasks: list, steps: _TaskSteps):
    """The paths of every task, in task order, each task run here as the caller asks for it."""
    for i, task in enumerate(tasks):
        steps.start(i)
        paths = _write_side_output(task)
        steps.end(i)
        yield paths


def _collect(tasks: list, futures: list, steps: _TaskSteps | None = None):
    """The paths of every task, in task order. The caller first takes over the tasks no worker has
    started, from the last one back (the workers take them from the first), so neither side idles
    while the other still has a queue."""
    steps = steps or _TaskSteps(tasks, _no_progress)
    done = {}
    for i in reversed(range(len(tasks))):
        if futures[i].cancel():
            steps.start(i)
            done[i] = _write_side_output(tasks[i])
            steps.end(i)
    for i, future in enumerate(futures):
        if i in done:
            yield done[i]
            continue
        steps.start(i)  # waiting for a worker's task
        try:
            paths = future.result()
        except BrokenProcessPool:
            raise KgError("an output worker process died (killed, or out of memory?); try fewer --jobs") from None
        steps.end(i)
        yield paths
