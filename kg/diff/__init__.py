"""What changed between two builds (issue 25): papers, authors, institutions, topics, typed entities,
co-author pairs and source files added and removed, from each build's papers.jsonl, as changes.json
and changes.html. A build into a folder holding a previous build writes both beside its outputs;
`kg diff OLD_DIR NEW_DIR` compares any two builds.

>>> from kg.diff import compute_changes, write_changes     # doctest: +SKIP
>>> changes = compute_changes("exports-monday", "exports")  # doctest: +SKIP
>>> [p["id"] for p in changes["papers"]["added"]]           # doctest: +SKIP
['arxiv:2212.01234', ...]
"""

from ..util.lazy import lazy_exports

__all__ = ["CHANGES_JSON", "CHANGES_HTML", "VERSION", "Snapshot", "build_changes", "changes_text", "compute_changes",
           "format_table", "map_links", "read_snapshot", "remove_changes", "render_changes_html", "write_changes"]

__getattr__, __dir__ = lazy_exports(__name__, {
    ".compute": ["VERSION", "Snapshot", "compute_changes", "read_snapshot"],
    ".output": ["CHANGES_JSON", "CHANGES_HTML", "build_changes", "changes_text", "format_table", "map_links",
                "remove_changes", "write_changes"],
    ".page": ["render_changes_html"],
})
