"""Resolve: merge entries into papers, mentions into authors, printed names into institutions.

>>> from kg.resolve import resolve                       # doctest: +SKIP
>>> corpus = resolve(entries, extractions)              # doctest: +SKIP
"""

from .categories import category_for_tag
from .corpus import resolve, resolve_institution

__all__ = ["resolve", "resolve_institution", "category_for_tag"]
