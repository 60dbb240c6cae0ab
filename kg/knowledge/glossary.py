"""The Chinese–English topic glossary the project learns from parallel text, and what it answers:
the English words of a Chinese form (`Glossary.translations`), and the Chinese name of an English
topic label (`zh_label`).

The glossary (``kg/data/glossary_zh_en.tsv.gz``) is derived by ``scripts/build_glossary.py`` from
the bilingual digest entries of ``seeds/`` and from ../shared/corpus/parallel.jsonl without the
papers `held_out` selects (kept for measurement): word alignment (IBM model 1, both directions)
of sentence pairs, then phrase pairs consistent with the alignment of each English topic candidate,
and the acronym definitions of the English side. Extraction reads it to translate Chinese text
(kg.extract.zh); the graph reads it to name topics in Chinese.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from functools import lru_cache

from ..util.files import open_shipped
from ..util.words import is_latin, topic_key

__all__ = [
    "Glossary", "parse_glossary", "load_glossary", "zh_label", "held_out", "GLOSSARY_FILE",
    "ACRONYM_MARK", "PAIR_MARK", "PAIR_ANY", "PAIR_MIN_SEEN", "PAIR_MAX_JOINED",
]

GLOSSARY_FILE = "data/glossary_zh_en.tsv.gz"
# Rows of the glossary that are English acronym definitions ("@UAV  unmanned aerial vehicle").
ACRONYM_MARK = "@"
# Rows of adjacent Chinese words and how often the English kept them in one phrase ("&缺乏  训练  0  9")
PAIR_MARK = "&"
PAIR_ANY = "*"  # "&a  *": a and whatever form follows it; "&*  b": whatever precedes b
# A run is cut between two adjacent words seen next to each other this often in the training text
# and joined in the Chinese phrase of one English topic at most this share of the time
# (缺乏|训练数据 "lack training data", 估计|相机运动 "estimate camera motion"); chosen on the dev fold
PAIR_MIN_SEEN = 3
PAIR_MAX_JOINED = 0.2
# One paper in five of ../shared/corpus/parallel.jsonl is kept out of every table the project
# derives (glossary, background frequencies), so the cross-lingual figure is measured on unseen papers.
HELD_OUT_MODULUS = 5
# A glossary entry is trusted when it was aligned to English topic words at least this often,
# and in at least this share of its occurrences (verbs and function words rarely are).
MIN_COUNT = 2
MIN_SHARE = 0.25
# ... or, for an entry of several jieba words, in this share: a phrase aligned to a phrase is seldom
# chance (时间|序列 ↔ "time series" in 14% of its occurrences, word alignment missing the rest)
MIN_SHARE_PHRASE = 0.1
# A word's alignments as the head of a longer entry count towards MIN_SHARE too: 方法 is "method" in
# 21% of its occurrences and the "method"/"approach" ending a phrase entry (深度学习方法 "deep
# learning method") in 8% more, a noun; a verb (增加 "increase") or modifier (相关 "relevant") seldom heads one


def held_out(arxiv_id: str) -> bool:
    """True for the papers of the parallel corpus reserved for measurement (one in five, by hash).

    >>> held_out("2104.08696"), held_out("1604.07513")
    (False, False)
    """
    return int(hashlib.sha1(arxiv_id.encode("utf-8")).hexdigest()[:8], 16) % HELD_OUT_MODULUS == 0


@dataclass(frozen=True)
class Glossary:
    """Chinese word sequences (joined without spaces) → English topic words, and back."""

    entries: dict = field(default_factory=dict)  # zh -> (best en, count, share, jieba words)
    reverse: dict = field(default_factory=dict)  # English topic key -> zh (whole-label entries)
    max_tokens: int = 1
    options: dict = field(default_factory=dict)  # zh -> ((en, share), ...): trusted translations, best first
    acronyms: dict = field(default_factory=dict)  # short form (as written, singular) -> long-form label
    pairs: dict = field(default_factory=dict)  # (zh word, next zh word) -> (joined in one phrase, seen)
    head_share: dict = field(default_factory=dict)  # zh word -> share of its occurrences heading a longer entry

    def splits(self, a: str, b: str) -> bool:
        """True when English seldom keeps adjacent Chinese words a, b in one phrase (a verb and its object)."""
        verdict = self._seldom_joined((a, b))
        if verdict is not None:
            return verdict
        # a pair seen too seldom: what each word did with any neighbour (缺乏 "lack", 方法 "method"
        # before a word, 提出 after one seldom share an English phrase with it)
        return any(self._seldom_joined(key) for key in ((a, PAIR_ANY), (PAIR_ANY, b)))

    def _seldom_joined(self, key: tuple[str, str]) -> bool | None:
        """Whether the pair record `key` was joined in one phrase at most PAIR_MAX_JOINED of the
        time; None when it was seen fewer than PAIR_MIN_SEEN times (no verdict)."""
        joined, seen = self.pairs.get(key, (0, 0))
        return joined <= PAIR_MAX_JOINED * seen if seen >= PAIR_MIN_SEEN else None

    def lookup(self, zh: str) -> str | None:
        """The best English translation of `zh` when the glossary trusts it, else None."""
        entry = self.entries.get(zh)
        if entry is None or entry[1] < MIN_COUNT:
            return None
        if entry[2] < MIN_SHARE_PHRASE if entry[3] > 1 else entry[2] + self.head_share.get(zh, 0.0) < MIN_SHARE:
            return None
        return entry[0]

    def translations(self, zh: str, trusted: bool = True) -> tuple:
        """The (trusted) English translations of `zh` with their shares, best first (empty: none)."""
        if zh not in self.entries or trusted and self.lookup(zh) is None:
            return ()
        return self.options.get(zh) or ((self.entries[zh][0], self.entries[zh][2]),)


def parse_glossary(lines) -> Glossary:
    """Rows ``zh<TAB>en<TAB>count<TAB>occurrences<TAB>tokens``: English translations of each Chinese
    form (best first), how often the pair was aligned, how often the Chinese form occurred, its jieba
    words; and rows ``@SHORT<TAB>long form<TAB>count<TAB>definitions<TAB>0`` for acronyms."""
    entries: dict[str, tuple[str, int, float, int]] = {}
    options: dict[str, list] = {}
    acronyms: dict[str, str] = {}
    pairs: dict[tuple[str, str], tuple[int, int]] = {}
    reverse: dict[str, tuple[int, str]] = {}
    max_tokens = 1
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        zh, en, count, occurrences, tokens = line.split("\t")
        count, occurrences, tokens = int(count), int(occurrences), int(tokens)
        if zh.startswith(ACRONYM_MARK):
            acronyms[zh[len(ACRONYM_MARK) :]] = en
            continue
        if zh.startswith(PAIR_MARK) and len(zh) > len(PAIR_MARK):
            pairs[(zh[len(PAIR_MARK) :], en)] = (count, occurrences)
            continue
        share = count / max(1, occurrences)
        if zh in entries:  # another translation of a form already read (rows are best first)
            if count >= MIN_COUNT:
                options[zh].append((en, share))
            continue
        entries[zh] = (en, count, share, tokens)
        options[zh] = [(en, share)]
        max_tokens = max(max_tokens, tokens)
        # a Chinese name for the whole English label (skos:altLabel): seen often, not one character
        # standing for several words ("框" was aligned to "bounding box")
        if count >= 3 and share >= MIN_SHARE and not is_latin(zh) and len(zh) >= 2 and zh[-1] not in "上中里":
            key = topic_key(en)
            best = reverse.get(key)
            if best is None or (count, -len(zh)) > (best[0], -len(best[1])):
                reverse[key] = (count, zh)
    head_share = _head_shares(entries, options)
    options = {zh: tuple(alts) for zh, alts in options.items() if len(alts) > 1}
    return Glossary(entries, {k: zh for k, (_, zh) in reverse.items()}, max_tokens, options, acronyms, pairs,
                    head_share)


def _head_shares(entries: dict, options: dict) -> dict:
    """For one-word entries short of MIN_SHARE: the share of their occurrences aligned as the head of
    a longer entry (the Chinese ends with the word, the English with one of its translations)."""
    short = {zh: {en for en, _ in options[zh]} for zh, (_, count, share, tokens) in entries.items()
             if tokens == 1 and count >= MIN_COUNT and share < MIN_SHARE}
    heads: dict[str, int] = {}
    for zh, (en, count, _, tokens) in entries.items():
        if tokens < 2:
            continue
        last = en.rsplit(" ", 1)[-1]
        for k in range(1, min(4, len(zh) - 1) + 1):
            if last in short.get(zh[-k:], ()):
                heads[zh[-k:]] = heads.get(zh[-k:], 0) + count
    # occurrences of a word: count / share of its best translation
    return {zh: n * entries[zh][2] / entries[zh][1] for zh, n in heads.items()}


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The shipped glossary (empty when the file is absent)."""
    with open_shipped(GLOSSARY_FILE) as handle:
        return Glossary() if handle is None else parse_glossary(handle)


def zh_label(label: str, glossary: Glossary | None = None) -> str | None:
    """The Chinese name of an English topic label, when the glossary learned one for the whole label.

    >>> zh_label("no such topic in any glossary") is None
    True
    """
    glossary = glossary or load_glossary()
    return glossary.reverse.get(topic_key(label))
