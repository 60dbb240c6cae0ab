"""Building a graph into an output folder: the chain of stages (`build`), the folder and every path
in it (`BuildDir`), the store query and serve read (kg.build.store), and the records later commands
read back (kg.build.records).

>>> from kg.build import BuildDir, build             # doctest: +SKIP
>>> result = build(["seeds"], "exports")            # doctest: +SKIP
>>> BuildDir("exports").read_corpus() == result.corpus  # doctest: +SKIP
True
"""

from .folder import BuildDir
from .records import read_corpus, read_graph_json, write_corpus, write_graph_json
from .run import DEFAULT_TARGETS, STAGES, BuildConfig, BuildResult, build

__all__ = ["BuildDir", "BuildConfig", "BuildResult", "DEFAULT_TARGETS", "STAGES", "build", "read_corpus",
           "read_graph_json", "write_corpus", "write_graph_json"]
