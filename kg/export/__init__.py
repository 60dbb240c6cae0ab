"""Export: one module per output format; each writes files atomically and returns the paths."""

from .papers_jsonl import generate_papers_jsonl, write_papers_jsonl
from .report import build_report, write_report

__all__ = ["generate_papers_jsonl", "write_papers_jsonl", "build_report", "write_report"]
