"""Building a graph into an output folder: the chain of stages (`build`), the folder and every path
in it (`BuildDir`), the store query and serve read (kg.build.store), and the records later commands
read back (kg.build.records).

>>> from kg.build import BuildDir, build             # doctest: +SKIP
>>> result = build(["seeds"], "exports")            # doctest: +SKIP
>>> BuildDir("exports").read_corpus() == result.corpus  # doctest: +SKIP
True
"""

from ..util.lazy import lazy_exports

__all__ = ["BuildDir", "BuildConfig", "BuildResult", "DEFAULT_TARGETS", "STAGES", "build", "read_corpus",
           "read_graph_json", "write_corpus", "write_graph_json"]

# imported when first used (PEP 562): opening a BuildDir (kg query) loads no pipeline stage
__getattr__, __dir__ = lazy_exports(__name__, {
    ".folder": ["BuildDir"],
    ".records": ["read_corpus", "read_graph_json", "write_corpus", "write_graph_json"],
    ".run": ["STAGES", "BuildConfig", "BuildResult", "build"],
    "..export": ["DEFAULT_TARGETS"],
})
