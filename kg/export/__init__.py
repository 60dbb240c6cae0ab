"""Export: one module per output format, each target registered by name in kg.registry ("exporter").

An export target is a function with ExportFunction's signature: it writes its files into a folder
the caller owns (`export` creates it; kg build passes its staging folder), each atomically, never
outside it, and returns the paths it wrote. Nothing here imports a format module until its target
is asked for.

>>> {"turtle", "nquads", "jsonld"} <= set(exporter_names())
True
>>> get_exporter("ttl").name, get_exporter("neo4j").reads_tables
('turtle', True)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from .. import registry
from ..util.lazy import lazy_exports

if TYPE_CHECKING:
    import networkx as nx

    from ..model import Corpus

__all__ = [
    "generate_papers_jsonl", "write_papers_jsonl", "build_report", "write_report",
    "DEFAULT_TARGETS", "ExportFunction", "Exporter", "register_exporter", "get_exporter", "exporter_names", "export",
]

# What every kg build writes beside papers.jsonl and the RDF (graph databases and analysis tools),
# in this order, unless `kg build --export` names others.
DEFAULT_TARGETS = ("neo4j", "ladybug", "graphml", "gexf", "vosviewer")

__getattr__, __dir__ = lazy_exports(__name__, {
    ".papers_jsonl": ["generate_papers_jsonl", "write_papers_jsonl"],
    ".report": ["build_report", "write_report"],
})


class ExportFunction(Protocol):
    """What an export target is: ``write(corpus, out_dir, base, graph=None) -> paths``.

    Parameters
    ----------
    corpus : the resolved corpus
    out_dir : an existing folder, the caller's: the target writes its files in it (or in a
        subfolder of its own, as neo4j/ and ladybug/), each atomically, and nothing elsewhere
    base : the IRI base of minted resources (RDF targets; the others do not use it)
    graph : the corpus's kg.graph.build.build_graph graph when the caller has it already (kg build
        does), so graph-based targets do not each rebuild it; None: they build it

    Returns
    -------
    list of str
        Every path written, in a stable order.
    """

    def __call__(self, corpus: Corpus, out_dir: Path, base: str, graph: nx.MultiDiGraph | None = None) -> list[str]: ...


@dataclass(frozen=True)
class Exporter:
    """A registered export target: its name (an alias resolves to it), description, `write`
    function (ExportFunction), and `reads_tables`: the target is written from the graph's table
    layout (kg.export.table_files.graph_layout), which kg build then makes once for all such targets."""

    name: str
    description: str
    write: ExportFunction
    reads_tables: bool = False


def register_exporter(name: str, description: str, *aliases: str, reads_tables: bool = False):
    """Decorator registering an ExportFunction as the target `name` (and `aliases`).

    kg's own targets are registered in kg.registry (lazily, by module path); this is for others."""

    def decorate(write: ExportFunction) -> ExportFunction:
        registry.register("exporter", name, write, description, aliases=aliases, reads_tables=reads_tables)
        return write

    return decorate


def exporter_names() -> list[str]:
    """Every target name, aliases included, sorted."""
    return registry.names("exporter")


def get_exporter(name: str) -> Exporter:
    """The target `name` (or an alias), its module imported on first use. Raises FormatError
    (PluginNotFoundError) for an unknown name, listing the names there are."""
    plugin = registry.plugin("exporter", name)
    return Exporter(plugin.name, plugin.description, plugin.load(), bool(plugin.options.get("reads_tables")))


def export(target: str, corpus, out_dir, base: str | None = None, graph=None) -> list[str]:
    """Write `corpus` in the format `target` into `out_dir` (created if need be); returns the paths written.

    Pass `graph` (from kg.graph.build.build_graph) when you have it, to spare graph-based targets a rebuild."""
    from ..graph.rdf import DEFAULT_BASE

    exporter = get_exporter(target)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    return exporter.write(corpus, out, base or DEFAULT_BASE, graph)
