"""Extract: topics, methods, datasets and code links from each entry's text (spaCy components)."""

from .background import topic_key
from .hierarchy import broader_topics
from .mentions import code_urls, extract_entries, latin_names
from .pipeline import ExtractConfig, load_pipeline
from .zh import zh_label

__all__ = [
    "ExtractConfig",
    "extract_entries",
    "load_pipeline",
    "code_urls",
    "latin_names",
    "topic_key",
    "broader_topics",
    "zh_label",
]
