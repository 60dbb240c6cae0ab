"""Bulk-load exported shards into a running triple store (one module per store)."""

from ..util.lazy import lazy_exports

__all__ = ["FileStatus", "LoadResult", "VirtuosoError", "load_virtuoso", "run_isql"]

__getattr__, __dir__ = lazy_exports(__name__, {
    ".virtuoso": ["FileStatus", "LoadResult", "VirtuosoError", "load_virtuoso", "run_isql"],
})
