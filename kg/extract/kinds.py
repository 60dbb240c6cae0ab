"""What kind of research concept a topic label names: a task, a method, a metric, or none (a plain topic).

A phrase is typed by its head word and, for a few heads that serve several kinds, by the phrase
itself, from word lists written for this project (and the known names of kg.knowledge.entity_names) (kg/data/entity_lexicon.tsv: facts about how
AI papers name things, no third-party list copied). A typed phrase becomes a Task, Method or
Metric node instead of a Topic. Datasets are found by their own component (kg_datasets) and the
dataset gazetteer (kg/data/datasets.txt).

>>> [entity_kind(x) for x in ("named entity recognition", "beam search", "word error rate", "social media")]
['task', 'method', 'metric', None]
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..knowledge.entity_names import entity_key, load_gazetteer
from ..util.files import open_shipped

__all__ = ["Lexicon", "load_lexicon", "entity_kind", "KINDS", "LEXICON_FILE"]

LEXICON_FILE = "data/entity_lexicon.tsv"
KINDS = ("task", "method", "dataset", "metric")


@dataclass(frozen=True)
class Lexicon:
    """Word lists that type a phrase.

    `heads`: head word -> kind, for phrases of two words or more ("object detection" is a task);
    `phrases`: whole phrase -> kind (or "" for "not typed"), deciding before the head does
    ("beam search" is a method, "principal component analysis" too; "image processing" is a field);
    `words`: a single word -> kind ("accuracy" and "BLEU" are metrics; "detection" alone is no node).
    """

    heads: dict
    phrases: dict
    words: dict


def parse_lexicon(lines) -> Lexicon:
    """Rows ``head|phrase|word<TAB>text<TAB>kind``; '#' starts a comment."""
    tables: dict[str, dict] = {"head": {}, "phrase": {}, "word": {}}
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        parts = line.split("\t")
        if len(parts) != 3 or parts[0] not in tables or parts[2] not in KINDS + ("none",):
            raise ValueError(f"{LEXICON_FILE}:{number}: expected 'head|phrase|word<TAB>text<TAB>kind', got {line!r}")
        tables[parts[0]][parts[1].lower()] = "" if parts[2] == "none" else parts[2]
    return Lexicon(tables["head"], tables["phrase"], tables["word"])


@lru_cache(maxsize=1)
def load_lexicon() -> Lexicon:
    with open_shipped(LEXICON_FILE) as handle:
        return Lexicon({}, {}, {}) if handle is None else parse_lexicon(handle)


def entity_kind(label: str, lexicon: Lexicon | None = None) -> str | None:
    """The kind of entity `label` (a lowercase topic label) names, or None for a plain topic."""
    lexicon = lexicon or load_lexicon()
    label = label.lower()
    if label in lexicon.phrases:
        return lexicon.phrases[label] or None
    key = entity_key(label)
    for kind in ("method", "metric"):  # a known name or spelling: "vit", "word error rate"
        if key in load_gazetteer(kind):
            return kind
    words = label.split()
    if len(words) == 1:
        return lexicon.words.get(label) or None
    # the longest known tail decides: "word error rate" (metric) before "rate"
    for start in range(1, len(words)):
        tail = " ".join(words[start:])
        if tail in lexicon.phrases:
            return lexicon.phrases[tail] or None
    return lexicon.heads.get(words[-1]) or None
