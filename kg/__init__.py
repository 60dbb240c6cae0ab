"""kg: build one knowledge graph from AI research digests.

The stages are plain functions over frozen dataclasses (kg.model):
read_inputs → extract_entries → resolve → build_graph → write_*; `kg.build.build` chains them into
an output folder (`BuildDir`).

Names here are imported when first used (PEP 562), so ``import kg`` (and `kg --help`) loads no
pipeline stage. ``kg.build`` and ``kg.resolve`` are the packages (``import kg.build.store`` works);
their stage functions are ``kg.build.build`` and ``kg.resolve.resolve`` (``from kg.build import build``).
"""

__version__ = "0.1.0"

from .util.lazy import lazy_exports  # noqa: E402

__all__ = ["__version__", "BuildConfig", "BuildDir", "BuildResult", "ExtractConfig", "read_inputs",
           "extract_entries", "build_graph"]

__getattr__, __dir__ = lazy_exports(__name__, {
    ".build": ["BuildConfig", "BuildDir", "BuildResult"],
    ".extract": ["ExtractConfig", "extract_entries"],
    ".graph.build": ["build_graph"],
    ".ingest": ["read_inputs"],
})
