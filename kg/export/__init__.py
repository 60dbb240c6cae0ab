"""Export: one module per output format, registered by name; each writes atomically and returns the paths.

>>> {"turtle", "nquads", "jsonld"} <= set(exporter_names())
True
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from ..errors import FormatError
from .papers_jsonl import generate_papers_jsonl, write_papers_jsonl
from .report import build_report, write_report

__all__ = [
    "generate_papers_jsonl", "write_papers_jsonl", "build_report", "write_report",
    "Exporter", "register_exporter", "get_exporter", "exporter_names", "export",
]


@dataclass(frozen=True)
class Exporter:
    """A registered export target: `write(corpus, out_dir, base, graph=None) -> paths written`.

    `graph` is the corpus's `build_graph` graph when the caller has it already (kg build does), so
    graph-based targets do not rebuild it each. `reads_tables`: the target is written from
    kg.export.property_graph.graph_tables, which kg build then makes once for all such targets."""

    name: str
    description: str
    write: Callable
    reads_tables: bool = False


_EXPORTERS: dict[str, Exporter] = {}


def register_exporter(name: str, description: str, *aliases: str, reads_tables: bool = False):
    def decorate(write):
        for key in (name, *aliases):
            _EXPORTERS[key] = Exporter(name, description, write, reads_tables)
        return write

    return decorate


def exporter_names() -> list[str]:
    return sorted(_EXPORTERS)


def get_exporter(name: str) -> Exporter:
    try:
        return _EXPORTERS[name]
    except KeyError:
        raise FormatError(f"unknown export target {name!r}; available: {', '.join(exporter_names())}") from None


def export(target: str, corpus, out_dir, base: str | None = None, graph=None) -> list[str]:
    """Write `corpus` in the format `target` into `out_dir`; returns the paths written.

    Pass `graph` (from kg.graph.build.build_graph) when you have it, to spare graph-based targets a rebuild."""
    from ..graph.rdf import DEFAULT_BASE

    exporter = get_exporter(target)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return exporter.write(corpus, out, base or DEFAULT_BASE, graph)


def _register_rdf() -> None:
    from .rdf import ALIASES, RDF_FORMATS, write_rdf

    for name, (_, suffix, quads) in RDF_FORMATS.items():
        what = "quads, one named graph per source document" if quads else "triples, union of all graphs"
        aliases = [alias for alias, target in ALIASES.items() if target == name]
        register_exporter(name, f"RDF {name} ({what}) → graph{suffix}", *aliases)(
            lambda corpus, out, base, graph=None, name=name, suffix=suffix: write_rdf(corpus, out / f"graph{suffix}", name, base)
        )


_register_rdf()
from . import neo4j  # noqa: E402,F401  (registers neo4j)
from . import ladybug  # noqa: E402,F401  (registers ladybug, ladybug-db)
from . import gephi  # noqa: E402,F401  (registers graphml, gexf)
from . import vosviewer  # noqa: E402,F401  (registers vosviewer)
from . import nquads_shards  # noqa: E402,F401  (registers nquads-shards)
