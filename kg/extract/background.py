"""Background document frequencies of topic labels, so one abstract alone can still be ranked.

`extract_entries` counts in how many entries of the build each label occurs: "model" is in most
abstracts and names no topic. A build of a handful of files (or one SemEval paragraph) has too few
documents for that, so the counts of a background corpus are added: ``kg/data/topic_df.tsv.gz``,
derived by ``scripts/build_topic_df.py`` from the English abstracts of the dev corpus (the corpus
text itself is not shipped, only the counts). Labels are compared by `topic_key`, which merges
spelling variants: case, hyphenation and spacing ("meta-learning", "meta learning", "metalearning"),
and derivational variants of a modifier word ("facial image", "face image"), as
``kg/data/topic_variants.tsv`` lists them (derived from the glossary by scripts/build_topic_variants.py).
"""

from __future__ import annotations

import gzip
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["Background", "load_background", "load_variants", "topic_key", "BACKGROUND_FILE", "VARIANTS_FILE"]

BACKGROUND_FILE = "data/topic_df.tsv.gz"
VARIANTS_FILE = "data/topic_variants.tsv"
# endings after a common stem that make two words variants of one modifier (face/facial, text/textual,
# robot/robotic, convolution/convolutional, geometry/geometric), when the glossary also aligns both
VARIANT_ENDINGS = frozenset(("", "s", "e", "y", "al", "ial", "ual", "ic", "ics", "ical", "ive", "ous"))
_JOINERS_RE = re.compile(r"[\s\-‐‑‒–—/]+")


@lru_cache(maxsize=1)
def load_variants() -> dict:
    """Modifier word -> the word its variants share a key under (empty when the file is absent)."""
    path = resources.files("kg").joinpath(VARIANTS_FILE)
    if not path.is_file():
        return {}
    with path.open("r", encoding="utf-8") as handle:
        return dict(line.rstrip("\n").split("\t") for line in handle if line.strip() and not line.startswith("#"))


@lru_cache(maxsize=1 << 17)
def topic_key(label: str) -> str:
    """The key under which spelling variants of one topic label meet: case, hyphens, spacing, and
    the variants of a modifier word (not of the head: "face" and "facial" alone stay apart).

    >>> topic_key("Memory-Guided  domain") == topic_key("memory guided domain") == topic_key("memoryguided domain")
    True
    """
    words = _JOINERS_RE.split(label.lower())
    if len(words) > 1:
        variants = load_variants()
        if variants:
            words[:-1] = [variants.get(word, word) for word in words[:-1]]
    return "".join(words)


@dataclass(frozen=True)
class Background:
    """Document frequencies of a background corpus: `labels` by topic key, `words` by lowercase word."""

    n_docs: int = 0
    labels: dict = field(default_factory=dict)
    words: dict = field(default_factory=dict)


def parse_background(lines) -> Background:
    """Read the table: a header ``#docs<TAB>N``, then ``label|word<TAB>key<TAB>df`` rows."""
    n_docs = 0
    labels: dict[str, int] = {}
    words: dict[str, int] = {}
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        if line.startswith("#"):
            name, _, value = line[1:].partition("\t")
            if name == "docs":
                n_docs = int(value)
            continue
        kind, key, df = line.split("\t")
        (labels if kind == "label" else words)[key] = int(df)
    return Background(n_docs, labels, words)


@lru_cache(maxsize=1)
def load_background() -> Background:
    """The shipped background table (empty when the file is absent)."""
    path = resources.files("kg").joinpath(BACKGROUND_FILE)
    if not path.is_file():
        return Background()
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        return parse_background(handle)
