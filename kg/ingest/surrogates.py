"""Surrogate code points in what readers return: an escape such as JSON's or YAML's ``\\ud800``
decodes to half of a UTF-16 pair, which no UTF-8 output can hold.

read_file passes every reader's result through `clean_result`, so no reader has to remember it: a
surrogate pair becomes the character it encodes, a lone surrogate becomes U+FFFD with a warning
naming the entry's fields, and problem reasons are cleaned the same way.
"""

from __future__ import annotations

import dataclasses
import re

from ..model import Entry, Problem, ReadResult

__all__ = ["clean_text", "clean_entry", "clean_result"]

# A high surrogate followed by a low one is a pair (joined); any other surrogate is lone (replaced).
_SURROGATE_RE = re.compile("[\ud800-\udbff][\udc00-\udfff]|[\ud800-\udfff]")
_UNIQUE_FIELDS = ("institutions", "urls")  # tuples the readers keep free of repeats
_ENTRY_FIELDS = tuple(f.name for f in dataclasses.fields(Entry) if f.name != "source")  # file: checked by read_file


def _join_or_replace(match: re.Match) -> str:
    pair = match.group(0)
    if len(pair) == 1:
        return "\ufffd"
    return chr(0x10000 + ((ord(pair[0]) - 0xD800) << 10) + (ord(pair[1]) - 0xDC00))


def clean_text(text: str) -> tuple[str, int]:
    """`text` with surrogate pairs joined and lone surrogates replaced by U+FFFD; and how many were lone.

    >>> clean_text("a \\ud800 b \\ud83d\\ude00")
    ('a \\ufffd b 😀', 1)
    >>> clean_text("plain")
    ('plain', 0)
    """
    if text.isascii() or not _SURROGATE_RE.search(text):
        return text, 0
    lone = 0

    def fix(match: re.Match) -> str:
        nonlocal lone
        lone += len(match.group(0)) == 1
        return _join_or_replace(match)

    return _SURROGATE_RE.sub(fix, text), lone


def _clean_value(value, name: str, lone_in: list[str]):
    if isinstance(value, str):
        cleaned, lone = clean_text(value)
        if lone:
            lone_in.append(name)
        return cleaned
    if isinstance(value, tuple) and any(isinstance(v, str) for v in value):
        cleaned = tuple(_clean_value(v, f"{name}[{i}]", lone_in) for i, v in enumerate(value))
        if name in _UNIQUE_FIELDS and cleaned != value:
            cleaned = tuple(dict.fromkeys(cleaned))
        return cleaned
    return value


def clean_entry(entry: Entry) -> tuple[Entry, Problem | None]:
    """`entry` with every string field cleaned by `clean_text`, and a warning naming the fields that
    held a lone surrogate (None when none did). Tuple fields are named with a 0-based index (``authors[1]``)."""
    lone_in: list[str] = []
    changes = {}
    for name in _ENTRY_FIELDS:
        value = getattr(entry, name)
        cleaned = _clean_value(value, name, lone_in)
        if cleaned != value:
            changes[name] = cleaned
    if not changes:
        return entry, None
    warning = None
    if lone_in:
        fields = ", ".join(dict.fromkeys(lone_in))
        warning = Problem(
            entry.source.file,
            entry.source.line,
            f"lone surrogate (an escape such as \\ud800 that is half of a UTF-16 pair, not a character) in {fields}: "
            "replaced with U+FFFD",
            "warning",
        )
    return dataclasses.replace(entry, **changes), warning


def _clean_problem(problem: Problem) -> Problem:
    reason, _ = clean_text(problem.reason)
    return problem if reason == problem.reason else dataclasses.replace(problem, reason=reason)


def clean_result(result: ReadResult) -> ReadResult:
    """`result` with every entry cleaned by `clean_entry` (its warning after the reader's problems) and
    every problem reason by `clean_text`."""
    entries, warnings = [], []
    for entry in result.entries:
        cleaned, warning = clean_entry(entry)
        entries.append(cleaned)
        if warning is not None:
            warnings.append(warning)
    problems = [_clean_problem(p) for p in result.problems]
    return ReadResult(tuple(entries), tuple(problems) + tuple(warnings), result.skipped)
