"""Ingest: read input files into Entry records, one registered reader per format.

>>> from kg.ingest import read_inputs
>>> result = read_inputs(["seeds"])            # doctest: +SKIP
"""

from __future__ import annotations

import os
from pathlib import Path

from ..errors import InputError
from ..model import Problem, ReadResult
from . import digest, feed  # noqa: F401  (registers the built-in readers)
from . import arxiv_json  # noqa: F401  (arXiv metadata JSON lines)
from . import bibtex  # noqa: F401  (BibTeX)
from . import oneline  # noqa: F401  (one-line paper posts)
from . import readinglist  # noqa: F401  (markdown reading lists)
from . import frontmatter  # noqa: F401  (blog posts with YAML front matter)
from . import paperpost  # noqa: F401  (single-paper posts with a glued header)
from .registry import detect_format, get_reader, reader_names, register_reader
from .text import DecodeError, decode_bytes

__all__ = ["read_inputs", "read_file", "iter_input_files", "register_reader", "get_reader", "reader_names"]


def iter_input_files(inputs) -> list[str]:
    """Every file named by `inputs` (files, or folders walked recursively), as the user would spell it.

    Hidden files and folders are skipped; order is sorted, so builds are deterministic.
    Raises InputError for a path that does not exist.
    """
    files: list[str] = []
    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for root, dirs, names in os.walk(path):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith("."):
                        files.append(os.path.join(root, name))
        elif path.is_file():
            files.append(str(given))
        else:
            raise InputError(f"{given}: no such file or folder")
    return sorted(dict.fromkeys(files))


def read_file(path: str, format: str | None = None) -> ReadResult:
    """Read one file with the named reader, or the reader that recognises it.

    Never raises for bad content: an undecodable or unrecognised file comes back as a Problem.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return ReadResult((), (Problem(path, None, f"cannot read file: {exc.strerror or exc}"),))
    try:
        text = decode_bytes(data)
    except DecodeError as exc:
        return ReadResult((), (Problem(path, None, f"cannot decode: {exc}"),))
    if format is None:
        format, confidence = detect_format(text)
        if format is None:
            if not text.strip():
                return ReadResult((), (Problem(path, None, "empty file", "warning"),))
            return ReadResult(
                (), (Problem(path, 1, f"no reader recognises this file (formats: {', '.join(reader_names())})"),)
            )
    return get_reader(format).parse(text, path)


def read_inputs(inputs, format: str | None = None) -> ReadResult:
    """Read every file under `inputs`; entries in file then position order, problems collected."""
    if format is not None:
        get_reader(format)  # fail early on an unknown name
    entries, problems = [], []
    for path in iter_input_files(inputs):
        result = read_file(path, format)
        entries.extend(result.entries)
        problems.extend(result.problems)
    return ReadResult(tuple(entries), tuple(problems))
