"""What one text yields before corpus-level ranking (`Findings`), and the findings of a Doc the
spaCy pipeline processed.

Findings are plain JSON-able values, so they can be cached on disk (kg.extract.cache) and computed
by other processes or machines (kg.extract.engines).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

__all__ = ["Findings", "TopicForms", "findings_from_doc"]


@dataclass
class Findings:
    """What one text yields before corpus-level ranking.

    >>> f = Findings({"knowledge neuron": [2, 0, 2, True, False]}, [("CMT", "Cross Modal Transformer", True)])
    >>> Findings.from_json(f.to_json()) == f
    True
    """

    candidates: dict = field(default_factory=dict)  # label -> [count, first offset, n_words, in_title, weak lead]
    acronyms: list = field(default_factory=list)  # [short, long, proposed]
    named: list = field(default_factory=list)
    datasets: list = field(default_factory=list)
    zh: bool = False  # the text read is Chinese (topics through the glossary)
    zh_aliases: dict = field(default_factory=dict)  # acronym in brackets -> label, from Chinese text

    def to_json(self) -> str:
        return json.dumps([self.candidates, self.acronyms, self.named, self.datasets, self.zh, self.zh_aliases],
                          ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "Findings":
        candidates, acronyms, named, datasets, zh, aliases = json.loads(text)
        return cls(candidates, [tuple(a) for a in acronyms], named, datasets, zh, aliases)

    def copy(self) -> "Findings":
        """A copy whose `datasets` list may be replaced (ranking sets it on Chinese findings; cached findings stay as found)."""
        return Findings(self.candidates, self.acronyms, self.named, list(self.datasets), self.zh, self.zh_aliases)


@dataclass
class TopicForms:
    """What ranking reads of one text before it ranks any (kg.extract.mentions.topic_forms): the
    digest of its findings' JSON, whether it is Chinese, and its topic keys with the form the text
    prints each in, in the order ranking meets them. Cached beside the findings (kg.extract.cache).

    >>> f = TopicForms("ab12", False, ["selfattention"], ["self-attention"])
    >>> TopicForms.from_json(f.to_json()) == f
    True
    """

    digest: str
    zh: bool
    keys: list
    labels: list

    def to_json(self) -> str:
        return json.dumps([self.digest, self.zh, self.keys, self.labels], ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def from_json(cls, text: str) -> "TopicForms":
        return cls(*json.loads(text))


def findings_from_doc(doc, title_len: int) -> Findings:
    """Findings of one English text the pipeline processed (Chinese text is added afterwards)."""
    raw = Findings()
    for label, offset, n_words, weak in doc._.kg_candidates:
        stats = raw.candidates.get(label)
        if stats is None:
            raw.candidates[label] = [1, offset, n_words, offset < title_len, weak]
        else:
            stats[0] += 1
            stats[3] = stats[3] or offset < title_len
    raw.acronyms = list(doc._.kg_acronyms)
    raw.named = list(doc._.kg_named)
    raw.datasets = list(doc._.kg_datasets)
    return raw
