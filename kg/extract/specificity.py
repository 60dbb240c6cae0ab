"""Whether a topic phrase names a research concept or is academic boilerplate.

Two sources decide, both shipped with the package:

- a curated list (kg/data/boilerplate.tsv): phrases that never make a node ("experimental result",
  "source code"), heads that make none ("detection performance", "recent advance") and evaluative
  modifiers ("fundamental problem", "principled way": every modifier is such a word);
- what the background corpus says (kg/data/topic_df.tsv.gz, built from the dev corpus by
  scripts/build_topic_df.py): the `spread` of a word, how evenly the abstracts holding it spread
  over the venues of the corpus (CVPR, ACL, NeurIPS, ...; 1.0: every venue uses it alike,
  "meantime", "robust"; low: one field's word, "parser"). A single word every venue uses alike is
  no topic on its own, and a modifier every venue uses alike does not make "<modifier> model" a
  method. Phrases are not judged by their spread: machine-learning concepts that every venue studies
  spread as evenly as boilerplate ("adversarial attack" 0.98, "training data" 0.98 on the dev corpus).

A single word is a node only when it is specific (is_specific_word) or a typed entity of the
lexicon ("accuracy", "BERT").
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from ..util.files import open_shipped
from .background import Background

__all__ = ["Boilerplate", "load_boilerplate", "is_boilerplate", "BOILERPLATE_FILE", "GENERAL_SPREAD"]

BOILERPLATE_FILE = "data/boilerplate.tsv"
# A word spread at least this evenly over the categories (normalised entropy ratio) is general
GENERAL_SPREAD = 0.95
# A single word in more background abstracts than this is too common to be a topic on its own
_SINGLE_WORD_MAX_DF = 40


@dataclass(frozen=True)
class Boilerplate:
    phrases: frozenset
    heads: frozenset
    modifiers: frozenset


def parse_boilerplate(lines) -> Boilerplate:
    tables: dict[str, set] = {"phrase": set(), "head": set(), "modifier": set()}
    for number, line in enumerate(lines, 1):
        line = line.split("#", 1)[0].rstrip()
        if not line.strip():
            continue
        kind, _, text = line.partition("\t")
        if kind not in tables or not text:
            raise ValueError(f"{BOILERPLATE_FILE}:{number}: expected 'phrase|head|modifier<TAB>text', got {line!r}")
        tables[kind].add(text.lower())
    return Boilerplate(frozenset(tables["phrase"]), frozenset(tables["head"]), frozenset(tables["modifier"]))


@lru_cache(maxsize=1)
def load_boilerplate() -> Boilerplate:
    with open_shipped(BOILERPLATE_FILE) as handle:
        return Boilerplate(frozenset(), frozenset(), frozenset()) if handle is None else parse_boilerplate(handle)


def is_boilerplate(label: str, lists: Boilerplate | None = None) -> bool:
    """True when `label` (a lowercase topic label) is no research concept.

    >>> is_boilerplate("experimental result"), is_boilerplate("fundamental problem"), is_boilerplate("named entity recognition")
    (True, True, False)
    """
    lists = lists or load_boilerplate()
    if label in lists.phrases:
        return True
    words = label.split()
    if len(words) == 1:
        return False  # a single word is judged by is_specific_word
    if words[-1] in lists.heads:
        return True
    if len(words) > 1 and all(w in lists.modifiers for w in words[:-1]):
        return True
    return False


def is_specific_word(word: str, in_title: bool, background: Background) -> bool:
    """Whether a one-word label names a topic on its own: a word the title uses (a coined name,
    "Vitruvion"), or a word few background abstracts use ("paraphrase", "RANSAC", "perovskite") and
    that not every venue uses alike. Common words ("sentence", "language") name nothing alone.
    (Requiring instead that the background use the word alone often, to keep out ordinary English
    like "meantime", lost 2 points of SemEval-2017 F1@10: most rare words of science text are terms.)"""
    if in_title or not background.n_docs:
        return True
    if background.words.get(word, 0) > _SINGLE_WORD_MAX_DF:
        return False
    return max(background.spread.get(word, 0.0), background.word_spread.get(word, 0.0)) < GENERAL_SPREAD
