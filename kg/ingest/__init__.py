"""Ingest: read input files into Entry records, one registered reader per format.

A file is read (a reader claims it on evidence of its format), rejected (it looks like a paper
document but cannot be read: a Problem with file and line) or skipped (plainly not a paper document:
code, configuration, binaries, kg's own outputs; a (file, reason) pair in ReadResult.skipped). The
rule is in kg.ingest.skip.

>>> from kg.ingest import read_inputs
>>> result = read_inputs(["seeds"])            # doctest: +SKIP
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Callable

from ..errors import InputError
from ..model import Problem, ReadResult
from .cache import content_digest
from .dates import date_entries
from .encoding import DecodeError, decode_text
from .limits import Limits, entry_chars, format_size
from .registry import detect_format, get_reader, reader_names, register_reader
from .skip import (
    detection_text,
    skipped_binary,
    skipped_by_content,
    skipped_by_name,
    skipped_folder,
    unclaimed_documentation,
)
from .surrogates import clean_result

__all__ = ["read_inputs", "read_file", "iter_input_files", "scan_inputs", "register_reader", "get_reader",
           "reader_names", "Limits"]


def scan_inputs(inputs) -> tuple[list[str], list[tuple[str, str]]]:
    """(every file named by `inputs`, the folders not walked with the reason): files given, or found by
    walking the folders given, as the user would spell them.

    Hidden files and folders are left out unlisted; folders that are plainly not documents (a kg build's
    output folder, a virtual environment…: kg.ingest.skip.skipped_folder) are listed as "folder/" with
    the reason and not walked. Order is sorted, so builds are deterministic. A folder that cannot be
    listed is returned among the files, for read_file to report. Raises InputError for a path that does
    not exist.
    """
    files: list[str] = []
    folders: list[tuple[str, str]] = []

    def unlisted(error: OSError) -> None:
        files.append(error.filename)

    for given in inputs:
        path = Path(given)
        if path.is_dir():
            for root, dirs, names in os.walk(path, onerror=unlisted):
                reason = skipped_folder(root, dirs, names)
                if reason is not None:
                    folders.append((_printable(root).rstrip("/") + "/", reason))
                    dirs[:] = []
                    continue
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(names):
                    if not name.startswith("."):
                        files.append(os.path.join(root, name))
        elif path.is_file():
            files.append(str(given))
        else:
            raise InputError(f"{given}: no such file or folder")
    return sorted(dict.fromkeys(files)), sorted(dict.fromkeys(folders))


def iter_input_files(inputs) -> list[str]:
    """The files of scan_inputs(inputs): every file a build looks at (read_file may still skip some)."""
    return scan_inputs(inputs)[0]


def read_file(path: str, format: str | None = None, limits: Limits = Limits(), cache=None) -> ReadResult:
    """Read one file with the named reader, or the reader that recognises it.

    Never raises for bad content: an unreadable, oversized, undecodable or unrecognised file comes
    back as a Problem, and so does an entry longer than `limits.max_entry_chars` (the file's other
    entries are kept). How the bytes were decoded, when not plain UTF-8, comes back as warnings, and
    so does a lone surrogate a reader decoded from an escape (``\\ud800`` in JSON or YAML): it is
    replaced with U+FFFD, since no output could encode it (see kg.ingest.surrogates).
    A file that is plainly not a paper document (kg.ingest.skip) is neither read nor a Problem: it
    comes back in `skipped` with the reason, with a forced `format` too.
    Every entry its reader left undated is dated where the file says when (kg.ingest.dates.date_entries:
    a date line of the document, else the file name's date, else the month of its arXiv id).
    With a `cache` (kg.ingest.cache.ParseCache), a file whose bytes it holds a result for is not
    parsed again, and what is parsed is put in it.
    Raises FormatError for an unknown `format` name.
    """
    reader = get_reader(format) if format is not None else None
    # before opening: a 1 GB PDF is not a file over the size limit (a name that is not UTF-8 is
    # reported by _read_bytes, whatever it ends with)
    reason = skipped_by_name(path) if path == _printable(path) else None
    if reason is not None:
        return ReadResult((), (), ((path, reason),))
    data, problem = _read_bytes(path, limits)
    if problem is not None:
        return ReadResult((), (problem,))
    if cache is None:
        return _read_data(data, path, reader, limits)
    digest = content_digest(data)
    result = cache.get(path, digest)
    if result is None:
        result = _read_data(data, path, reader, limits)
        cache.put(path, digest, result)
    return result


def _read_data(data: bytes, path: str, reader, limits: Limits) -> ReadResult:
    """read_file past reading the bytes: what depends only on them, the path, the reader and the limits."""
    try:
        decoded = decode_text(data)
    except DecodeError as exc:
        binary = skipped_binary(path, str(exc)) if str(exc).startswith("binary data") else None
        if binary is not None:
            return ReadResult((), (), ((path, binary),))
        return ReadResult((), (Problem(path, None, f"cannot decode: {exc}"),))
    reason = skipped_by_content(decoded.text)
    if reason is not None:
        return ReadResult((), (), ((path, reason),))
    notes = tuple(Problem(path, line, reason, "warning") for line, reason in decoded.notes)
    result = clean_result(_parse(decoded.text, path, reader))
    entries, too_long = _within_limits(result.entries, path, limits)
    if entries:  # a date line of the document, else the file name's date, else the arXiv id's month
        entries = date_entries(entries, decoded.text, path)
    return ReadResult(entries, notes + result.problems + too_long, result.skipped)


def _read_bytes(path: str, limits: Limits) -> tuple[bytes | None, Problem | None]:
    if path != _printable(path):
        # undecodable bytes in the name would reach every output file; the user can rename it
        return None, Problem(_printable(path), None, "file name is not valid UTF-8: skipped (rename the file)")
    try:
        info = os.stat(path)
        if stat.S_ISDIR(info.st_mode):  # a folder iter_input_files could not list
            return None, _unlisted_folder(path)
        if not stat.S_ISREG(info.st_mode):
            # opening a FIFO would wait for a writer forever
            return None, Problem(path, None, "not a regular file (a FIFO, socket or device): skipped")
        if info.st_size > limits.max_file_bytes:
            return None, _too_large(path, info.st_size, limits)
        with open(path, "rb") as handle:
            data = handle.read(limits.max_file_bytes + 1)  # the file may have grown since stat
    except OSError as exc:
        return None, Problem(path, None, f"cannot read file: {exc.strerror or exc}")
    if len(data) > limits.max_file_bytes:
        return None, _too_large(path, len(data), limits)
    return data, None


def _unlisted_folder(path: str) -> Problem:
    try:
        os.listdir(path)
        why = "it changed while being listed"
    except OSError as exc:
        why = exc.strerror or str(exc)
    return Problem(path, None, f"cannot list folder ({why}): its files were not read")


def _printable(path: str) -> str:
    return path.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def _too_large(path: str, size: int, limits: Limits) -> Problem:
    return Problem(
        path,
        None,
        f"file is {format_size(size)}, over the limit of {format_size(limits.max_file_bytes)}: "
        "not read (raise the limit with --max-file-size)",
    )


def _parse(text: str, path: str, reader) -> ReadResult:
    if not text.strip():
        return ReadResult((), (Problem(path, None, "empty file", "warning"),))
    name = reader.name if reader is not None else "format detection"
    try:
        if reader is None:
            format, _ = detect_format(detection_text(text, path))
            if format is None:
                if (doc := unclaimed_documentation(path)) is not None:
                    return ReadResult((), (), ((path, doc),))
                names = ", ".join(reader_names())
                return ReadResult((), (Problem(path, 1, f"no reader recognises this file (formats: {names})"),))
            reader = get_reader(format)
            name = reader.name
        result = reader.parse(text, path)
    except Exception as exc:  # a reader's bug must cost one file, not the build; the fuzz tests look for these
        reason = f"internal error in the {name} reader ({type(exc).__name__}: {exc}); please report it"
        return ReadResult((), (Problem(path, None, reason),))
    if not result.entries and not result.problems:
        return ReadResult((), (Problem(path, None, f"no entry found by the {name} reader"),))
    return result


def _within_limits(entries, path: str, limits: Limits) -> tuple[tuple, tuple]:
    kept, rejected = [], []
    for entry in entries:
        size = entry_chars(entry)
        if size > limits.max_entry_chars:
            rejected.append(Problem(
                path,
                entry.source.line,
                f"entry is {size:,} characters long, over the limit of {limits.max_entry_chars:,}: "
                "skipped (raise the limit with --max-entry-length)",
            ))
        else:
            kept.append(entry)
    return tuple(kept), tuple(rejected)


def read_inputs(inputs, format: str | None = None, limits: Limits = Limits(),
                progress: Callable[[int, int], None] | None = None, cache=None) -> ReadResult:
    """Read every file under `inputs`; entries in file then position order, problems collected.

    `limits` caps the size of a file and the length of an entry (see Limits); what exceeds them is
    reported as a Problem, never raised. What is not a paper document is in `skipped`, sorted; the
    other files looked at are in `files`.
    `progress(done, total)` is called with the files looked at so far (skipped ones included) out
    of every file found: once before the first, then after each.
    `cache` (kg.ingest.cache.ParseCache) serves the files parsed before with the same bytes.
    """
    if format is not None:
        get_reader(format)  # fail early on an unknown name
    entries, problems, read = [], [], []
    files, skipped = scan_inputs(inputs)
    if progress:
        progress(0, len(files))
    for done, path in enumerate(files, 1):
        result = read_file(path, format, limits, cache)
        entries.extend(result.entries)
        problems.extend(result.problems)
        skipped.extend(result.skipped)
        if not result.skipped:
            read.append(path)
        if progress:
            progress(done, len(files))
    return ReadResult(tuple(entries), tuple(problems), tuple(sorted(skipped)), tuple(read))
