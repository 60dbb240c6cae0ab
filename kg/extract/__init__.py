"""Extract: topics, methods, datasets and code links from each entry's text (spaCy components)."""

from ..knowledge.code_hosts import code_urls
from .mentions import extract_entries, latin_names
from .pipeline import ExtractConfig, load_pipeline

__all__ = [
    "ExtractConfig",
    "extract_entries",
    "load_pipeline",
    "code_urls",
    "latin_names",
]
