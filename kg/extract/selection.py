"""From one text's ranked candidates to what its paper links to: typed entities (tasks, methods,
datasets, metrics) and plain topics, without boilerplate.

Each ranked candidate is typed (kg.extract.kinds); boilerplate and unspecific single words are
dropped (kg.extract.specificity); a typed phrase becomes an entity of its kind and never also a
topic; what is left are the topics, best first. Every entity keeps how the paper's link to it was
found (kg.model.VIA): named in the title, defined in the text (an acronym definition, or the paper
naming its own method), or mentioned.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import VIA, Entity
from ..util.words import topic_key
from .background import KNOWN_TERM_DF, Background
from .kinds import entity_kind, load_lexicon
from .phrases import _DATASET_WORDS
from .specificity import is_boilerplate, is_specific_word, load_boilerplate

__all__ = ["Ranked", "select", "MAX_PER_KIND"]

# Entities kept per paper and kind, best first: an abstract names a few tasks and metrics, more methods
MAX_PER_KIND = {"task": 4, "method": 6, "dataset": 8, "metric": 4}
# "the task of X" / "X problem": the entity is X when X itself names a task
_FRAME_HEADS = ("task", "problem")
# Heads that make a method of any modifier ("robust model", "training framework"): the phrase names
# a method only when its modifiers are specific (kg.extract.specificity)
_GENERIC_METHOD_HEADS = frozenset(
    """model models method approach technique framework algorithm architecture module mechanism strategy
    scheme procedure network networks system layer heuristic pipeline solution""".split()
)
# Modifiers that say where a metric was measured, not which metric it is
_GENERIC_METRIC_MODIFIERS = frozenset(
    "model final overall average mean test testing training validation prediction classification high".split()
)
# A modifier spread this evenly over the venues (kg.extract.specificity) makes no method or task specific
_GENERAL_MODIFIER_SPREAD = 0.9


@dataclass(frozen=True)
class Ranked:
    """One candidate of a text after ranking."""

    label: str  # as printed in the build (kg.extract.mentions: the most common form)
    key: str  # topic key
    score: float
    in_title: bool
    defined: bool  # the long form of an acronym the text defines


def _name_key(name: str) -> str:
    return re.sub(r"[^0-9a-z]+", "", name.lower())


def _via(in_title: bool, defined: bool) -> str:
    return "title" if in_title else "defined" if defined else "mentioned"


def _without_evaluation(label: str) -> str:
    """The label without leading evaluative words: "decent attack success rate" → "attack success rate"."""
    words = label.split()
    modifiers = load_boilerplate().modifiers
    while len(words) > 1 and words[0] in modifiers and words[:2] != ["few", "shot"]:
        words.pop(0)  # ("few shot object detection" is a name: "few" leads a compound there)
    return " ".join(words)


def _specific_modifiers(words: list[str], background: Background) -> bool:
    """Whether some modifier of a phrase is specific: not an evaluative word, and not a word every
    venue of the background corpus uses alike ("robust", "training", "deep")."""
    spread = background.word_spread
    modifiers = load_boilerplate().modifiers
    return any(w not in modifiers and spread.get(w, 0.0) < _GENERAL_MODIFIER_SPREAD for w in words[:-1])


def _typed_label(label: str, kind: str, background: Background) -> str | None:
    """The entity a typed phrase names, or None when the phrase is too general to be one."""
    words = label.split()
    if len(words) > 1 and words[-1] in _FRAME_HEADS:
        rest = " ".join(words[:-1])
        if entity_kind(rest) == "task":
            return rest  # "image recognition problem" → "image recognition"
        if rest in load_lexicon().phrases:
            return None  # "computer vision task": a field, no task
        if background.n_docs and (
            background.labels.get(topic_key(rest), 0) < KNOWN_TERM_DF or not _specific_modifiers(words, background)
        ):
            return None  # "address problem", "complex task": nothing specific names the task
    if kind == "method" and len(words) > 1 and words[-1] in _GENERIC_METHOD_HEADS:
        if len(words) == 2 and len(words[0]) <= 4:
            return None  # "rl approach", "dnn model": the acronym is the entity, the phrase adds nothing
        if not _specific_modifiers(words, background):
            return None  # "robust model", "classic algorithm"
    if kind == "metric" and len(words) > 1 and all(w in _GENERIC_METRIC_MODIFIERS for w in words[:-1]):
        return words[-1]  # "model accuracy", "final accuracy" → "accuracy" ("recognition accuracy" stays)
    return label


def select(
    ranked: list[Ranked],
    methods: list[Entity],
    datasets: list[str],
    shorts: dict[str, str],
    title: str,
    background: Background,
    max_topics: int,
    urls: tuple[str, ...] = (),
) -> tuple[tuple[tuple[str, float], ...], dict[str, tuple[Entity, ...]], tuple[tuple[str, float], ...]]:
    """(topics, {kind: entities}, keyphrases) of one text: keyphrases are the labels of every topic
    and typed phrase kept, best first (at most `max_topics`).

    `ranked` is best first; `methods` the methods the text names or defines (already entities);
    `datasets` the dataset names found; `shorts` maps the topic key of a defined long form to its
    acronym ("word sense disambiguation" → "WSD"); `title` the text's title.
    """
    title_lower = title.lower()
    # words of the text's links ("github.com/hunter-ddm/..."): a user or repository name is no topic
    url_words = {w for url in urls for w in re.split(r"[/.?=&#:_]+", url.lower()) if w}
    typed: dict[str, dict[str, Entity]] = {kind: {} for kind in MAX_PER_KIND}
    for method in methods:
        in_title = any(n.lower() in title_lower for n in (method.name, *method.aliases) if len(n) > 2)
        via = "title" if in_title else method.via
        typed["method"].setdefault(_name_key(method.name), Entity(method.name, method.aliases, via))
    for name in datasets:
        via = "title" if name.lower() in title_lower else "mentioned"
        typed["dataset"].setdefault(_name_key(name), Entity(name, (), via))
    dataset_keys = set(typed["dataset"])
    method_aliases = {_name_key(a): m.name for m in typed["method"].values() for a in (m.name, *m.aliases)}
    topics: list[tuple[str, float]] = []
    kept: dict[str, float] = {}  # every label linked, topic or typed, best first (the text's keyphrases)
    for cand in ranked:
        label = cand.label
        words = label.split()
        if _name_key(label) in dataset_keys or (
            len(words) > 1 and words[-1] in _DATASET_WORDS and _name_key(" ".join(words[:-1])) in dataset_keys
        ):
            continue  # "ImageNet", "COCO dataset": the dataset node says it
        if not cand.defined:
            label = _without_evaluation(label)  # a defined long form is a name: "new evaluation metric (NEM)"
        words = label.split()
        if len(words) == 1 and label.lower() in url_words:
            continue
        key = _name_key(label)
        if key in method_aliases:
            kept.setdefault(method_aliases[key], cand.score)  # the method the text names or defines
            continue
        kind = entity_kind(label)
        if is_boilerplate(label):
            continue
        if len(words) == 1 and kind is None and not is_specific_word(topic_key(label), cand.in_title, background):
            continue
        if kind is None:
            if len(topics) < max_topics and label not in (t for t, _ in topics):
                topics.append((label, cand.score))
                kept.setdefault(label, cand.score)
            continue
        label = _typed_label(label, kind, background)
        if label is None:
            continue
        key = _name_key(label)
        if key in method_aliases:
            kept.setdefault(method_aliases[key], cand.score)
            continue
        if key in typed[kind]:
            continue
        short = shorts.get(cand.key)
        typed[kind][key] = Entity(label, (short,) if short else (), _via(cand.in_title, cand.defined))
        kept.setdefault(label, cand.score)
    entities = {
        kind: tuple(sorted(found.values(), key=lambda e: VIA.index(e.via))[: MAX_PER_KIND[kind]])
        for kind, found in typed.items()
    }
    keyphrases = tuple(sorted(kept.items(), key=lambda kv: (-kv[1], kv[0]))[:max_topics])
    return tuple(topics), entities, keyphrases

