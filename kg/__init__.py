"""kg: build one knowledge graph from AI research digests.

The stages are plain functions over frozen dataclasses (kg.model):
read_inputs → extract_entries → resolve → build_graph → write_*.
"""

__version__ = "0.1.0"

from .build import BuildConfig, BuildResult, build  # noqa: E402
from .extract import ExtractConfig, extract_entries  # noqa: E402
from .graph.build import build_graph  # noqa: E402
from .ingest import read_inputs  # noqa: E402
from .resolve import resolve  # noqa: E402

__all__ = ["__version__", "build", "BuildConfig", "BuildResult", "ExtractConfig", "read_inputs",
           "extract_entries", "resolve", "build_graph"]
