"""Extract: topics, methods, datasets and code links from each entry's text (spaCy components)."""

from ..util.lazy import lazy_exports

__all__ = [
    "ExtractConfig",
    "extract_entries",
    "load_pipeline",
    "code_urls",
    "latin_names",
]

__getattr__, __dir__ = lazy_exports(__name__, {
    "..knowledge.code_hosts": ["code_urls"],
    ".mentions": ["extract_entries", "latin_names"],
    ".pipeline": ["ExtractConfig", "load_pipeline"],
})
