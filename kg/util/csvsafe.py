"""One rule for CSV cells a spreadsheet would otherwise run as a formula, for every CSV kg writes
(the Neo4j and LadybugDB tables, `kg query --format csv`).

A cell starting with one of FORMULA_PREFIXES gets one leading apostrophe, which spreadsheets read
as "text follows" and hide. A cell that already starts with an apostrophe gets one too, so the rule
can be undone exactly: drop one leading "'" from any cell that has one.
"""

from __future__ import annotations

__all__ = ["FORMULA_PREFIXES", "neutralise"]

# "=", "+", "-", "@" start a formula; a tab or carriage return is stripped before one; "'" is the escape itself
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "'")


def neutralise(text: str) -> str:
    """`text` with one apostrophe in front when a spreadsheet would run it as a formula or strip its start.

    >>> neutralise('=HYPERLINK("x")'), neutralise("-1"), neutralise("'quoted"), neutralise("plain")
    ('\\'=HYPERLINK("x")', "'-1", "''quoted", 'plain')
    """
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
