"""The RDF side of a finished build: its store, named SPARQL queries (`kg query`), the read-only
endpoint (`kg serve`, behind kg's own HTTP front) and SHACL validation (`kg validate`).

The store
---------
There is one: the Oxigraph database `kg build` keeps in OUT/.kg/store (kg.build.store), changed
graph by graph by ``--update``. It holds graph.nq's named graphs (one per source document, plus
``<base>graph/derived``) and, as its default graph, their merge with each triple once: the triples
of graph.ttl. Queries without ``GRAPH`` see that merge; ``GRAPH ?g { … }`` gives provenance.
Oxigraph's union default graph is not used on purpose: it matches the default graph against every
named graph in turn, so a triple stated in k documents answers k times (duplicate rows, COUNTs
counting documents; oxigraph#1919) and joins multiply: on the 1.46M-triple dev corpus the co-author
pattern of "Y Zhang" went through 3.4M intermediate rows for 734 answers instead of 734.

Reading while a build writes
----------------------------
`kg query` and `kg serve` open the store read-only (pyoxigraph ``Store.read_only``, ``oxigraph
serve-read-only``). Oxigraph calls opening a store read-only while another process writes it
undefined behaviour, and its secondary mode, which follows a writer, is not in pyoxigraph 0.5, so
no store is ever written once readers can see it: a build writes the next store in its staging
folder (an update starts from hard links to the current one's files) and its commit turns
OUT/.kg/store to it (kg.build.folder). A reader pins the store it opens (a shared lock on its
record), and a commit removes an old store only when no reader holds it. So a running `kg serve`
keeps serving the graph it started with, whole, while builds come and go; restart it to serve the
new one. `open_store` pins for the life of the process.

Older output folders
--------------------
A folder whose store is missing, does not match its graph.nq, or was written by an older kg (the
store without the merged default graph, or kg serve's second store in OUT/.oxigraph-store) gets
its store rebuilt from graph.nq on first use, with one line on stderr, e.g. "exports/: store from
an older kg rebuilt from graph.nq (12 s)"; .oxigraph-store is removed. Where the folder is not
writable, or a build holds it, kg query reads graph.nq into memory and kg serve into a temporary
store instead.
"""

from ..util.lazy import lazy_exports

__all__ = ["GraphNotFoundError", "SparqlServer", "format_result", "list_queries", "load_query", "open_store",
           "run_query", "start_server", "validate_file", "validate_graph"]

__getattr__, __dir__ = lazy_exports(__name__, {
    ".query": ["format_result", "list_queries", "load_query", "run_query"],
    ".serve": ["SparqlServer", "start_server"],
    ".store": ["GraphNotFoundError", "open_store"],
    ".validate": ["validate_file", "validate_graph"],
})
