"""`kg build` as a library call: ingest → extract → resolve → graph → export."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import networkx as nx

from .export import build_report, export, get_exporter, write_papers_jsonl, write_report
from .export.atomic import atomic_open
from .export.rdf import write_rdf, write_void
from .graph.rdf import DEFAULT_BASE
from .records import CORPUS_FILE, write_corpus
from .viz import write_pages
from .extract import ExtractConfig, extract_entries
from .graph.build import build_graph
from .ingest import iter_input_files, read_inputs
from .model import Corpus
from .resolve import resolve

# Written by every build beside papers.jsonl and the RDF: graph databases and analysis tools.
DEFAULT_TARGETS = ("neo4j", "ladybug", "graphml", "gexf", "vosviewer")

__all__ = ["DEFAULT_TARGETS", "BuildConfig", "BuildResult", "build", "write_graph_json", "read_graph_json"]


@dataclass(frozen=True)
class BuildConfig:
    """Settings of one build."""

    format: str | None = None  # force one reader for every file; None detects per file
    extract: ExtractConfig = field(default_factory=ExtractConfig)
    base: str = DEFAULT_BASE  # IRI base of minted RDF resources
    targets: tuple[str, ...] = DEFAULT_TARGETS  # extra export targets written by every build (kg.export)
    pages: bool = True  # write the interactive maps (collaboration.html, institutions.html, topics.html)


@dataclass(frozen=True)
class BuildResult:
    corpus: Corpus
    graph: nx.MultiDiGraph
    report: dict
    written: tuple[str, ...]

    @property
    def partial(self) -> bool:
        """True when some entry or file was rejected: the graph lacks something the input had."""
        return bool(self.report["rejected"])


def write_graph_json(graph: nx.MultiDiGraph, path) -> list[str]:
    """The graph as node-link JSON, so later commands (query, export, viz) need not rebuild it."""
    data = nx.node_link_data(graph, edges="edges")
    with atomic_open(path) as handle:
        json.dump(data, handle, ensure_ascii=False, sort_keys=True)
        handle.write("\n")
    return [str(path)]


def read_graph_json(path) -> nx.MultiDiGraph:
    with open(path, encoding="utf-8") as handle:
        return nx.node_link_graph(json.load(handle), edges="edges", multigraph=True, directed=True)


def build(inputs, out, config: BuildConfig = BuildConfig(), progress: Callable[[str, int, int], None] | None = None) -> BuildResult:
    """Build the graph of every file under `inputs` and write papers.jsonl, graph.json, corpus.json,
    graph.ttl, graph.nq, void.ttl and report.json to `out`.

    `progress(stage, done, total)` is called as entries are extracted. Raises InputError for a
    missing input path and ModelError when no spaCy pipeline is installed; bad content never raises
    but ends in the report.

    Examples
    --------
    >>> result = build(["seeds"], "exports")            # doctest: +SKIP
    >>> len(result.corpus.papers)                       # doctest: +SKIP
    24
    """
    for target in config.targets:
        get_exporter(target)  # an unknown target fails before any work
    files = iter_input_files(inputs)
    read = read_inputs(inputs, config.format)
    entries = list(read.entries)
    done = 0

    def tick(n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress("extract", done, len(entries))

    extractions = extract_entries(entries, config.extract, progress=tick)
    corpus = resolve(entries, extractions, max_topics=config.extract.max_topics)
    corpus = Corpus(
        papers=corpus.papers,
        authors=corpus.authors,
        institutions=corpus.institutions,
        problems=tuple(read.problems) + corpus.problems,
        inputs=tuple(str(i) for i in inputs),
    )
    graph = build_graph(corpus)
    report = build_report(corpus, graph, len(entries), files)
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    written += write_papers_jsonl(corpus, out / "papers.jsonl")
    written += write_graph_json(graph, out / "graph.json")
    written += write_corpus(corpus, out / CORPUS_FILE)
    written += write_rdf(corpus, out / "graph.ttl", "turtle", config.base)
    written += write_rdf(corpus, out / "graph.nq", "nquads", config.base)
    for target in config.targets:
        written += export(target, corpus, out, config.base, graph)
    if config.pages:
        written += write_pages(corpus, out)
    written += write_void(corpus, out / "void.ttl", config.base, files=written)
    written += write_report(report, out / "report.json")
    return BuildResult(corpus=corpus, graph=graph, report=report, written=tuple(written))
