"""One canonical name per task, method, dataset and metric across the corpus.

Papers print one entity many ways: "CIFAR-10" and "CIFAR10", "MS COCO" and "MSCOCO", "Graph Neural
Networks" and "graph neural network", "CNN" on one paper and "convolutional neural network (CNN)"
on another. Names meet under a key (lowercase letters and digits, the last word singular); the
shipped gazetteers (kg.knowledge.entity_names) join known aliases ("COCO = MS COCO")
and fix the spelling of known names ("BERT", "ResNet"); an acronym alone joins the long form the
corpus defines it as when most of its definitions agree. Each key is named the way most papers
print it (a defined long form before a bare acronym), ties broken alphabetically; the other
spellings become aliases.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import replace

from ..knowledge.entity_names import entity_key, load_gazetteer
from ..model import VIA, Entity

__all__ = ["canonical_entities", "merge_entities", "KIND_FIELDS"]

KIND_FIELDS = {"task": "tasks", "method": "methods", "dataset": "datasets", "metric": "metrics"}
# An acronym joins its most common long form when that many of the corpus's definitions agree
_ACRONYM_AGREEMENT = 0.6


def _via_rank(via: str) -> int:
    """Strongest first (kg.model.VIA); a via outside VIA ranks last."""
    return VIA.index(via) if via in VIA else len(VIA)


def merge_entities(lists) -> tuple[Entity, ...]:
    """One entity per name (case-insensitive) over `lists` of one paper's entities, in order of
    first sight: the first name, aliases united in order, the strongest `via` kept (title, then
    defined, then mentioned). Merges a paper's entries (kg.resolve.corpus) and what a paper states
    twice (kg.graph.schema.paper_entities)."""
    out: dict[str, Entity] = {}
    for entities in lists:
        for entity in entities:
            key = entity.name.lower()
            known = out.get(key)
            if known is None:
                out[key] = entity
                continue
            aliases = tuple(dict.fromkeys(known.aliases + entity.aliases))
            out[key] = Entity(known.name, aliases, min(known.via, entity.via, key=_via_rank))
    return tuple(out.values())


def _is_acronym(name: str) -> bool:
    return len(name) <= 12 and " " not in name and sum(c.isupper() for c in name) >= 2


def canonical_entities(papers: list) -> list:
    """`papers` (Papers, or drafts with the same entity fields) with every entity named canonically
    across the corpus (same order, same papers)."""
    entity_key = _Keys()  # a corpus prints the same few thousand spellings hundreds of thousands of times
    names = {fld: _canonical_names(kind, [getattr(p, fld) for p in papers], entity_key)
             for kind, fld in KIND_FIELDS.items()}
    # one copy of each paper with all four fields renamed (a copy per field cost more than the renaming)
    return [replace(p, **{fld: _renamed(getattr(p, fld), names[fld], entity_key) for fld in KIND_FIELDS.values()})
            for p in papers]


class _Keys(dict):
    """entity_key of a name, each name's computed once."""

    def __missing__(self, name: str) -> str:
        key = self[name] = entity_key(name)
        return key

    def __call__(self, name: str) -> str:
        return self[name]


def _canonical_names(kind: str, lists: list[tuple[Entity, ...]],
                     entity_key=entity_key) -> dict[str, tuple[str, tuple[str, ...]]]:
    """Key of every name printed -> (canonical name, aliases) of the entity it belongs to."""
    gazetteer = load_gazetteer(kind)
    # an acronym's long forms over the corpus: "CNN" -> Counter({key of "convolutional neural network": 5})
    expansions: dict[str, Counter] = defaultdict(Counter)
    for entities in lists:
        for e in entities:
            for alias in e.aliases:
                if _is_acronym(alias) and not _is_acronym(e.name):
                    expansions[entity_key(alias)][entity_key(e.name)] += 1
    target: dict[str, str] = {}  # key -> key of the entity it joins
    for short, longs in expansions.items():
        (best, n), total = longs.most_common(1)[0], sum(longs.values())
        if n / total >= _ACRONYM_AGREEMENT:
            target[short] = best

    def root(key: str) -> str:
        if key in gazetteer:
            return entity_key(gazetteer[key][0])
        key = target.get(key, key)
        return entity_key(gazetteer[key][0]) if key in gazetteer else key

    printed: dict[str, Counter] = defaultdict(Counter)  # root -> names printed as the entity's name
    spellings: dict[str, set] = defaultdict(set)  # root -> every spelling seen (names and aliases)
    for entities in lists:
        for e in entities:
            r = root(entity_key(e.name))
            printed[r][e.name] += 1
            spellings[r].update((e.name, *e.aliases))
            for alias in e.aliases:
                spellings[root(entity_key(alias))].add(alias)
    names: dict[str, tuple[str, tuple[str, ...]]] = {}
    for r, counts in printed.items():
        if r in gazetteer:
            name, known = gazetteer[r]
            spellings[r].update(known)
        else:
            # a long form before an acronym, then the most printed, then alphabetical
            name = min(counts, key=lambda n: (_is_acronym(n) and any(not _is_acronym(m) for m in counts),
                                              -counts[n], n))
        aliases = _distinct_aliases(name, spellings[r])
        for spelling in spellings[r]:
            names.setdefault(entity_key(spelling), (name, aliases))
        names[r] = (name, aliases)
    return names


def _distinct_aliases(name: str, spellings: set) -> tuple[str, ...]:
    """Spellings other than `name`, one per case-insensitive form, sorted."""
    seen = {name.lower()}
    out = []
    for s in sorted(spellings, key=lambda s: (s.lower(), s)):
        if s.lower() not in seen:
            seen.add(s.lower())
            out.append(s)
    return tuple(out)


def _renamed(entities: tuple[Entity, ...], names: dict, entity_key=entity_key) -> tuple[Entity, ...]:
    """The entities of one paper under their canonical names; two that became one keep the stronger via."""
    out: dict[str, Entity] = {}
    for e in entities:
        name, aliases = names.get(entity_key(e.name), (e.name, e.aliases))
        known = out.get(name)
        if known is None or _via_rank(e.via) < _via_rank(known.via):
            out[name] = Entity(name, aliases, e.via)
    return tuple(out.values())
