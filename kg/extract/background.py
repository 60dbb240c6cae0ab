"""Background document frequencies of topic labels, so one abstract alone can still be ranked.

`extract_entries` counts in how many entries of the build each label occurs: "model" is in most
abstracts and names no topic. A build of a handful of files (or one SemEval paragraph) has too few
documents for that, so the counts of a background corpus are added: ``kg/data/topic_df.tsv.gz``,
derived by ``scripts/build_topic_df.py`` from the English abstracts of the dev corpus (the corpus
text itself is not shipped, only the counts). Labels are compared by their topic key
(kg.util.words.topic_key), under which spelling variants meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..util.files import open_shipped, table_rows

__all__ = ["Background", "load_background", "parse_background", "BACKGROUND_FILE", "KNOWN_TERM_DF"]

BACKGROUND_FILE = "data/topic_df.tsv.gz"
# A phrase seen in this many background abstracts is a known term
KNOWN_TERM_DF = 3


@dataclass(frozen=True)
class Background:
    """Document frequencies of a background corpus: `labels` by topic key, `words` by lowercase word;
    `spread` by lowercase word: how evenly the abstracts holding it spread over the corpus's arXiv
    categories (normalised entropy, 1.0 = as evenly as all abstracts; kg.extract.specificity)."""

    n_docs: int = 0
    labels: dict = field(default_factory=dict)
    words: dict = field(default_factory=dict)
    spread: dict = field(default_factory=dict)
    word_spread: dict = field(default_factory=dict)  # the same for words inside candidates


def parse_background(lines) -> Background:
    """Read the table: a header ``#docs<TAB>N``, then ``label|word<TAB>key<TAB>df`` rows and
    ``spread<TAB>key<TAB>ratio`` and ``wspread<TAB>word<TAB>ratio`` rows."""
    header: dict[str, str] = {}
    labels: dict[str, int] = {}
    words: dict[str, int] = {}
    spread: dict[str, float] = {}
    word_spread: dict[str, float] = {}
    for kind, key, value in table_rows(lines, header):
        if kind == "spread":
            spread[key] = float(value)
        elif kind == "wspread":
            word_spread[key] = float(value)
        else:
            (labels if kind == "label" else words)[key] = int(value)
    return Background(int(header.get("docs", 0)), labels, words, spread, word_spread)


@lru_cache(maxsize=1)
def load_background() -> Background:
    """The shipped background table (empty when the file is absent)."""
    with open_shipped(BACKGROUND_FILE) as handle:
        return Background() if handle is None else parse_background(handle)
