"""Run a reader or read_file on one fuzz input, check the result's shape, and record the outcome.

Every input tried is kept in RECORDS (kind, description, sha1, size, outcome) and written to
fuzz-report.json / fuzz-report.md at the end of the session (see conftest.py).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kg.ingest import Limits, read_file
from kg.ingest.encoding import DecodeError, decode_text
from kg.ingest.registry import get_reader, reader_names
from kg.ingest.text import split_lines

__all__ = ["RECORDS", "record", "run_reader", "run_read_file", "check_result", "line_count"]

RECORDS: list[dict] = []


def _sha1(data) -> str:
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    return hashlib.sha1(data).hexdigest()


def record(kind: str, data, outcome: str, *, what: str = "", entries: int = 0, problems: int = 0, error: str = "") -> None:
    """Keep one tried input: `outcome` is "parsed" (some entry kept), "reported" (problems only) or "crash"."""
    size = len(data.encode("utf-8", "surrogatepass")) if isinstance(data, str) else len(data)
    what = what or (data[:60] if isinstance(data, str) else repr(bytes(data[:40])))
    RECORDS.append({
        "kind": kind,
        "input": what.encode("utf-8", "backslashreplace").decode("utf-8"),  # lone surrogates stay writable
        "sha1": _sha1(data),
        "bytes": size,
        "outcome": outcome,
        "entries": entries,
        "problems": problems,
        **({"error": error} if error else {}),
    })


def line_count(text: str) -> int:
    return len(split_lines(text))


def check_result(result, file: str, lines: int | None, formats=None) -> None:
    """Every entry and problem names `file` and a line inside it; no reader bug was caught and reported."""
    formats = set(formats or reader_names())
    for entry in result.entries:
        assert entry.source.file == file
        assert entry.format in formats, entry.format
        assert lines is not None and 1 <= entry.source.line <= lines, (entry.source, lines)
        assert entry.title or entry.abstract or entry.summary_zh or entry.arxiv_id, entry
    for problem in result.problems:
        assert problem.file == file, problem
        assert problem.severity in ("error", "warning"), problem
        assert isinstance(problem.reason, str) and problem.reason.strip(), problem
        assert problem.line is None or (lines is not None and 1 <= problem.line <= lines), (problem, lines)
        assert "internal error" not in problem.reason, problem


def run_reader(kind: str, name: str, text: str, file: str = "fuzz.txt", what: str = ""):
    """`detect` and `parse` of the reader `name` on `text`; recorded, shape-checked, exceptions re-raised."""
    reader = get_reader(name)
    try:
        confidence = reader.detect(text)
        result = reader.parse(text, file)
    except Exception as exc:
        record(f"{kind}/{name}", text, "crash", what=what, error=f"{type(exc).__name__}: {exc}"[:300])
        raise
    assert 0.0 <= confidence <= 1.0, confidence
    check_result(result, file, line_count(text), formats={name})
    outcome = "parsed" if result.entries else "reported"
    record(f"{kind}/{name}", text, outcome, what=what, entries=len(result.entries), problems=len(result.problems))
    return result


def run_read_file(kind: str, path: Path, what: str = "", format: str | None = None, limits: Limits = Limits()):
    """read_file on `path`; recorded, shape-checked (lines counted in the text the file decodes to)."""
    data = path.read_bytes() if path.is_file() else b""
    try:
        result = read_file(str(path), format, limits)
    except Exception as exc:
        record(kind, data, "crash", what=what, error=f"{type(exc).__name__}: {exc}"[:300])
        raise
    try:
        lines = line_count(decode_text(data).text)
    except DecodeError:
        lines = None
    check_result(result, str(path), lines)
    outcome = "parsed" if result.entries else "reported"
    record(kind, data, outcome, what=what, entries=len(result.entries), problems=len(result.problems))
    assert result.entries or result.problems or result.skipped, "a file gave neither entries, problems nor a reason to skip it"
    return result
