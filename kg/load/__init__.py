"""Bulk-load exported shards into a running triple store (one module per store)."""

from .virtuoso import FileStatus, LoadResult, VirtuosoError, load_virtuoso, run_isql

__all__ = ["FileStatus", "LoadResult", "VirtuosoError", "load_virtuoso", "run_isql"]
