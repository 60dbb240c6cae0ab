"""Background document frequencies of content words, for the topic evidence of author resolution.

The resolver compares two papers by the cosine of their tf-idf vectors (kg.resolve.authors). With
idf counted over the build's own papers every vector changed whenever one paper came or went, so an
update had to cluster every name block again. The idf comes from a fixed background corpus
instead: ``kg/data/author_word_df.tsv.gz``, derived by ``scripts/build_author_word_df.py`` from
abstracts that are not the dev corpus (SciERC's and SemEval-2017 Task 10's; only counts are
shipped, never text). A paper's vector then depends on the paper alone.
"""

from __future__ import annotations

import math
from functools import lru_cache

from ..util.files import open_shipped, table_rows

__all__ = ["WordDF", "load_word_df", "parse_word_df", "WORD_DF_FILE"]

WORD_DF_FILE = "data/author_word_df.tsv.gz"


class WordDF:
    """Document frequencies of words in a background corpus of `n_docs` abstracts, and the
    smoothed idf they give: log((n + 1) / (df + 1)), so a word the background never saw weighs
    most, and a word every abstract has weighs nothing (with no background, every word weighs 1)."""

    __slots__ = ("n_docs", "df", "_idf")

    def __init__(self, n_docs: int, df: dict[str, int]):
        self.n_docs = n_docs
        self.df = df
        self._idf: dict[str, float] = {}

    def idf(self, word: str) -> float:
        value = self._idf.get(word)
        if value is None:
            value = math.log((self.n_docs + 1) / (self.df.get(word, 0) + 1)) if self.n_docs else 1.0
            self._idf[word] = value
        return value


def parse_word_df(lines) -> WordDF:
    """Read the table: a header ``#docs<TAB>N``, then ``word<TAB>df`` rows."""
    header: dict[str, str] = {}
    df = {word: int(count) for word, count in table_rows(lines, header)}
    return WordDF(int(header.get("docs", 0)), df)


@lru_cache(maxsize=1)
def load_word_df() -> WordDF:
    """The shipped table (an empty one when the package was installed without it: every word then
    weighs the same)."""
    with open_shipped(WORD_DF_FILE) as handle:
        return parse_word_df(handle if handle is not None else ())
