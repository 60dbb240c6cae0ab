"""A topic hierarchy from the labels themselves: "semantic segmentation" is narrower than "segmentation".

English noun phrases put the head last, so a label's word suffix names a broader concept of the
same kind ("memory-guided domain generalization method" → "domain generalization method" →
"generalization method"); a prefix does not ("segmentation network" is no kind of "segmentation").
Each topic gets at most one broader topic, the longest proper suffix that is itself a topic of the
graph, so the hierarchy is a forest; each tree's root hangs under the arXiv category its papers
are most often in (the category is the top concept).
"""

from __future__ import annotations

import weakref
from collections import Counter
from typing import Iterable, Mapping

from ..model import Corpus
from ..util.words import topic_key

__all__ = ["broader_topics", "root_categories", "topic_tree"]


def topic_tree(corpus: Corpus) -> tuple[dict[str, str], dict[str, str]]:
    """The corpus's topic hierarchy: (topic label → its broader label, root label → its category).

    The categories are those of the papers that have each topic (see `root_categories`); topics
    are taken in the order the papers give them.

    The last corpus's tree is kept (while that corpus lives): a build asks twice, for graph.nq's
    derived graph and for the networkx graph, and it takes ~1 s at 25k papers. Callers must not
    change the dicts.

    >>> from kg.model import Corpus
    >>> topic_tree(Corpus((), (), ()))
    ({}, {})
    """
    global _LAST_TREE
    if _LAST_TREE is not None and _LAST_TREE[0]() is corpus:  # a Corpus is immutable: the same object, the same tree
        return _LAST_TREE[1]
    tree = _topic_tree(corpus)
    _LAST_TREE = (weakref.ref(corpus), tree)
    return tree


_LAST_TREE: tuple[weakref.ref, tuple[dict[str, str], dict[str, str]]] | None = None


def _topic_tree(corpus: Corpus) -> tuple[dict[str, str], dict[str, str]]:
    categories: dict[str, Counter] = {}
    for paper in corpus.papers:
        category = paper.category
        for label, _ in paper.topics:
            counts = categories.get(label)
            if counts is None:  # (not defaultdict and update: a million calls on a big corpus)
                counts = categories[label] = Counter()
            if category:
                counts[category] = counts.get(category, 0) + 1
    broader = broader_topics(categories)
    return broader, root_categories(categories, broader)


def broader_topics(labels: Iterable[str]) -> dict[str, str]:
    """Map each label to its broader label (the longest proper word suffix that is also a label).

    Variants (case, hyphens) meet through `topic_key`.

    >>> broader_topics(["few-shot semantic segmentation", "semantic segmentation", "segmentation", "network"])
    {'few-shot semantic segmentation': 'semantic segmentation', 'semantic segmentation': 'segmentation'}
    """
    keys = {label: topic_key(label) for label in labels}  # each label once, in order
    by_key: dict[str, str] = {}
    for label in sorted(keys):
        by_key.setdefault(keys[label], label)
    out: dict[str, str] = {}
    for label, key in keys.items():
        words = label.split()
        for i in range(1, len(words)):
            parent = by_key.get(topic_key(" ".join(words[i:])))
            if parent is not None and keys[parent] != key:
                out[label] = parent
                break
    return out


def root_categories(topic_categories: Mapping[str, Counter], broader: Mapping[str, str]) -> dict[str, str]:
    """For each topic with no broader topic: the category most of its tree's papers are in.

    `topic_categories` counts, per topic label, the categories of the papers that have it.
    Ties go to the alphabetically first category; topics whose papers have no category get none.

    >>> root_categories({"segmentation": Counter({"cs.CV": 2}), "semantic segmentation": Counter({"cs.LG": 1})},
    ...                 {"semantic segmentation": "segmentation"})
    {'segmentation': 'cs.CV'}
    """
    def root(label: str) -> str:
        seen = set()
        while label in broader and label not in seen:
            seen.add(label)
            label = broader[label]
        return label

    totals: dict[str, Counter] = {}
    for label, counts in topic_categories.items():
        top = root(label)
        total = totals.get(top)
        if total is None:
            totals[top] = Counter(counts)
        else:
            for category, n in counts.items():
                total[category] = total.get(category, 0) + n
    out = {}
    for label, counts in totals.items():
        if label in broader or not counts:
            continue
        out[label] = min(counts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
    return out
