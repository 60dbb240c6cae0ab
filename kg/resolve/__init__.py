"""Resolve: merge entries into papers, mentions into authors, printed names into institutions.

>>> from kg.resolve import resolve                       # doctest: +SKIP
>>> corpus = resolve(entries, extractions)              # doctest: +SKIP
"""

from ..util.lazy import lazy_exports

__all__ = ["resolve", "resolve_institution", "category_for_tag"]

__getattr__, __dir__ = lazy_exports(__name__, {
    ".categories": ["category_for_tag"],
    ".corpus": ["resolve", "resolve_institution"],
})
