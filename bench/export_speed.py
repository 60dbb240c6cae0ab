"""Export the dev corpus (../shared/corpus) to every graph-database and analysis target; print the
seconds and megabytes each takes.

The corpus is read and resolved without the NLP step (no topics, methods or datasets: empty
extractions), so the bench measures the exporters, not spaCy. Times include building the networkx
graph, which each exporter does from the corpus.

    python bench/export_speed.py [--corpus ../shared/corpus] [--targets neo4j,ladybug-db,...] [--keep DIR]

With --build DIR (a kg build's folder, e.g. the dev corpus build), the corpus is read from its
corpus.json and its graph built once, and the targets are written as kg build writes them: from that
graph, the table targets (neo4j, ladybug) inside one tables_memo, so the tables are made once
(their time is in the first table target's). Seconds are wall-clock and CPU.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.export import export  # noqa: E402
from kg.graph.build import build_graph  # noqa: E402
from kg.ingest import read_inputs  # noqa: E402
from kg.model import Extraction  # noqa: E402
from kg.resolve import resolve  # noqa: E402

TARGETS = ("neo4j", "ladybug", "ladybug-db", "graphml", "gexf", "vosviewer", "nquads", "ntriples")


def size_of(paths) -> int:
    total = 0
    for p in map(Path, paths):
        if p.is_dir():
            total += sum(f.stat().st_size for f in p.rglob("*") if f.is_file())
        elif p.exists():
            total += p.stat().st_size
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--targets", default=",".join(TARGETS))
    parser.add_argument("--keep", default=None, help="write the exports here instead of a temporary folder")
    parser.add_argument("--build", default=None, help="time the targets on this kg build's corpus, as kg build writes them")
    args = parser.parse_args(argv)
    if args.build:
        return _from_build(Path(args.build), [t.strip() for t in args.targets.split(",") if t.strip()], args.keep)
    corpus_dir = Path(args.corpus)
    if not corpus_dir.exists():
        print(f"skipped: no dev corpus at {corpus_dir}")
        return 0
    inputs = [str(p) for p in (corpus_dir / "digests", corpus_dir / "feeds") if p.exists()] or [str(corpus_dir)]

    start = time.perf_counter()
    read = read_inputs(inputs)
    entries = list(read.entries)
    corpus = resolve(entries, [Extraction()] * len(entries))
    resolved = time.perf_counter() - start
    start = time.perf_counter()
    graph = build_graph(corpus)
    graphed = time.perf_counter() - start
    print(f"corpus: {len(entries)} entries → {len(corpus.papers)} papers, {len(corpus.authors)} authors, "
          f"{len(corpus.institutions)} institutions (read + resolve {resolved:.1f} s)")
    print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges (build_graph {graphed:.1f} s, "
          f"included in every time below)")
    print(f"{'target':<12} {'seconds':>8} {'MB':>8} {'files':>6}")
    out_root = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="kg-export-bench-"))
    try:
        for target in [t.strip() for t in args.targets.split(",") if t.strip()]:
            out = out_root / target
            if out.exists():
                shutil.rmtree(out)
            start = time.perf_counter()
            written = export(target, corpus, out)
            seconds = time.perf_counter() - start
            print(f"{target:<12} {seconds:>8.2f} {size_of(written) / 1e6:>8.1f} {len(written):>6}", flush=True)
    finally:
        if not args.keep:
            shutil.rmtree(out_root, ignore_errors=True)
    return 0


def _from_build(build: Path, targets: list[str], keep: str | None) -> int:
    from kg.build import BuildDir
    from kg.export import DEFAULT_TARGETS
    from kg.export.property_graph import tables_memo
    from kg.util.gcpause import paused_gc

    if not (build / "corpus.json").exists():
        print(f"skipped: no kg build at {build}")
        return 0
    if targets == list(TARGETS):
        targets = list(DEFAULT_TARGETS)
    start = time.perf_counter()
    corpus = BuildDir(build).read_corpus()
    with paused_gc():  # as kg build: the collector is paused while outputs are made
        graph = build_graph(corpus)
        print(f"corpus and graph: {len(corpus.papers)} papers, {graph.number_of_nodes()} nodes, "
              f"{graph.number_of_edges()} edges ({time.perf_counter() - start:.1f} s)")
        print(f"{'target':<12} {'seconds':>8} {'cpu':>8} {'MB':>8} {'files':>6}")
        out_root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="kg-export-bench-"))
        try:
            with tables_memo():
                for target in targets:
                    out = out_root / target
                    if out.exists():
                        shutil.rmtree(out)
                    start, cpu = time.perf_counter(), time.process_time()
                    written = export(target, corpus, out, None, graph)
                    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
                    print(f"{target:<12} {seconds:>8.2f} {cpu:>8.2f} {size_of(written) / 1e6:>8.1f} {len(written):>6}",
                          flush=True)
        finally:
            if not keep:
                shutil.rmtree(out_root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
