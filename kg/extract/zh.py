"""Chinese abstracts → English topic labels, through a glossary the project learns from parallel text.

A Chinese-only entry should give the topic nodes its English original would. The text is segmented
with jieba; runs of nominal words (split at punctuation and function words, so "A的B" gives two
phrases, as "B of A" does in English) are translated piece by piece with the longest glossary
entries, in order (Chinese and English noun phrases both put modifiers before the head:
语义|分割 → "semantic segmentation", 记忆|引导|域|泛化|方法 → "memory-guided domain generalization
method"). Latin-script words inside the Chinese (Transformer, GFNet, BERT) are kept as they are:
they are the safest anchors. An acronym in brackets after a phrase ("分布鲁棒优化(DRO)") counts
for that phrase, as in English.

The glossary (``kg/data/glossary_zh_en.tsv.gz``) is derived by ``scripts/build_glossary.py`` from
the bilingual digest entries of ``seeds/`` and from ../shared/corpus/parallel.jsonl without the
papers `held_out` selects (kept for measurement): word alignment (IBM model 1, both directions)
of sentence pairs, then phrase pairs consistent with the alignment of each English topic candidate.
"""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = ["held_out", "Glossary", "load_glossary", "zh_candidates", "zh_label", "segment", "GLOSSARY_FILE"]

GLOSSARY_FILE = "data/glossary_zh_en.tsv.gz"
# One paper in five of ../shared/corpus/parallel.jsonl is kept out of every table the project
# derives (glossary, background frequencies), so the cross-lingual figure is measured on unseen papers.
HELD_OUT_MODULUS = 5
# A glossary entry is trusted when it was aligned to English topic words at least this often,
# and in at least this share of its occurrences (verbs and function words rarely are).
MIN_COUNT = 2
MIN_SHARE = 0.25
MAX_WORDS = 5  # as for English candidates: the head and its closest modifiers

_LATIN_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*$")
_NUMBER_RE = re.compile(r"^[0-9０-９]+(?:\.[0-9]+)?[A-Za-z]?$")
# Function words that end a phrase even when a bad alignment gave them a translation.
ZH_STOP = frozenset(
    """
    的 之 和 与 及 以及 或 或者 并 并且 而 而且 但 但是 在 是 对 对于 将 把 被 为 为了 由 由于 从 到 向 以 用 使用
    通过 基于 根据 其 该 这 这些 那 那些 此 每 各 一个 一种 一些 一 个 种 中 上 下 内 时 后 前 等 如 例如 即
    我们 本文 他们 它们 它 我 你 了 也 都 还 又 就 则 可以 能够 可 能 会 不 没有 非常 很 更 最 所 所有 其他
    该方法 这种 这个 这项 一项 已经 已 仍 仍然 同时 以便 从而 因此 然而 此外 另外 首先 其次 最后 具有 进行 提出
    表明 显示 证明 实现 提供 使 让 得到 获得 包括 包含 作为 成为 存在 需要 如何 什么 哪些 不同 相同 更多 较
    """.split()
)


def held_out(arxiv_id: str) -> bool:
    """True for the papers of the parallel corpus reserved for measurement (one in five, by hash).

    >>> held_out("2104.08696"), held_out("1604.07513")
    (False, False)
    """
    return int(hashlib.sha1(arxiv_id.encode("utf-8")).hexdigest()[:8], 16) % HELD_OUT_MODULUS == 0


@lru_cache(maxsize=1)
def _jieba():
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba


def segment(text: str) -> list[tuple[str, int]]:
    """jieba's words with their character offsets, spaces dropped.

    >>> [w for w, _ in segment("预训练Transformer的知识神经元")][-3:]
    ['的', '知识', '神经元']
    """
    return [(word, start) for word, start, _ in _jieba().tokenize(text) if word.strip()]


def is_latin(word: str) -> bool:
    return bool(_LATIN_RE.match(word))


@dataclass(frozen=True)
class Glossary:
    """Chinese word sequences (joined without spaces) → English topic words, and back."""

    entries: dict = field(default_factory=dict)  # zh -> (en, count, share)
    reverse: dict = field(default_factory=dict)  # English topic key -> zh (whole-label entries)
    max_tokens: int = 1

    def lookup(self, zh: str) -> str | None:
        entry = self.entries.get(zh)
        if entry is None or entry[1] < MIN_COUNT or entry[2] < MIN_SHARE:
            return None
        return entry[0]


def parse_glossary(lines) -> Glossary:
    """Rows ``zh<TAB>en<TAB>count<TAB>occurrences<TAB>tokens``: the best English for each Chinese
    form, how often the pair was aligned, how often the Chinese form occurred, its jieba words."""
    from .background import topic_key

    entries: dict[str, tuple[str, int, float]] = {}
    reverse: dict[str, tuple[int, str]] = {}
    max_tokens = 1
    for line in lines:
        line = line.rstrip("\n")
        if not line or line.startswith("#"):
            continue
        zh, en, count, occurrences, tokens = line.split("\t")
        count, occurrences, tokens = int(count), int(occurrences), int(tokens)
        share = count / max(1, occurrences)
        entries[zh] = (en, count, share)
        max_tokens = max(max_tokens, tokens)
        # a Chinese name for the whole English label (skos:altLabel): seen often, not one character
        # standing for several words ("框" was aligned to "bounding box")
        if count >= 3 and share >= MIN_SHARE and not is_latin(zh) and len(zh) >= 2 and zh[-1] not in "上中里":
            key = topic_key(en)
            best = reverse.get(key)
            if best is None or (count, -len(zh)) > (best[0], -len(best[1])):
                reverse[key] = (count, zh)
    return Glossary(entries, {k: zh for k, (_, zh) in reverse.items()}, max_tokens)


@lru_cache(maxsize=1)
def load_glossary() -> Glossary:
    """The shipped glossary (empty when the file is absent)."""
    path = resources.files("kg").joinpath(GLOSSARY_FILE)
    if not path.is_file():
        return Glossary()
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        return parse_glossary(handle)


def zh_label(label: str, glossary: Glossary | None = None) -> str | None:
    """The Chinese name of an English topic label, when the glossary learned one for the whole label.

    >>> zh_label("no such topic in any glossary") is None
    True
    """
    from .background import topic_key

    glossary = glossary or load_glossary()
    return glossary.reverse.get(topic_key(label))


def _latin_label(word: str) -> str:
    """A Latin-script word as an English label word: "CNNs" → "cnn", "Transformer" → "transformer"."""
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        word = word[:-1]
    return word.lower()


def _overlaps(a: str, b: str) -> bool:
    """True when one English word repeats the other ("unsupervised"/"supervised", "data"/"dataset")."""
    return a == b or (len(a) > 3 and len(b) > 3 and (a in b or b in a))


def _translate_run(words: list[str], glossary: Glossary) -> list[tuple[str, int]]:
    """Greedy longest-match translation of a run of jieba words: [(English piece, index of its first word)]."""
    pieces: list[tuple[str, int]] = []
    i = 0
    while i < len(words):
        for n in range(min(glossary.max_tokens, len(words) - i), 0, -1):
            en = glossary.lookup("".join(words[i : i + n]))
            if en is None and n == 1 and is_latin(words[i]):
                en = _latin_label(words[i])
            if en is not None:
                pieces.append((en, i))
                i += n
                break
        else:
            i += 1  # cannot happen for words the caller checked; skip defensively
    return pieces


def zh_candidates(
    text: str, glossary: Glossary | None = None, skip_modifiers=frozenset(), generic=frozenset(), heads=None
) -> tuple[list, dict]:
    """English topic candidates of a Chinese text.

    `skip_modifiers` are leading English words dropped (as for English candidates), `generic` single
    words that are no topic, `heads` (when given) a test that the last English word can end a noun
    phrase (a translation ending on an adjective or a verb is not a topic).

    Returns ([(label, character offset, n_words, Chinese span)], {acronym (lowercase): label}).
    """
    glossary = glossary or load_glossary()
    tokens = segment(text)
    found: list[tuple[str, int, int, str]] = []
    aliases: dict[str, str] = {}
    run: list[tuple[str, int]] = []

    def known(i: int) -> int:
        """Length in words of the longest glossary entry starting at token i (0: none)."""
        for n in range(min(glossary.max_tokens, len(tokens) - i), 0, -1):
            zh = "".join(w for w, _ in tokens[i : i + n])
            if n == 1 and (zh in ZH_STOP or _NUMBER_RE.match(zh)):
                return 0
            if glossary.lookup(zh) is not None:
                return n
        return 0

    def flush() -> str | None:
        if not run:
            return None
        words = [w for w, _ in run]
        start = run[0][1]
        span = text[start : run[-1][1] + len(run[-1][0])]
        run.clear()
        english: list[str] = []
        for piece, _ in _translate_run(words, glossary):
            piece_words = piece.split()
            if english and _overlaps(english[-1], piece_words[0]):
                # two Chinese words aligned to one English word: 无|监督 → "unsupervised" once,
                # 数据|集 → "dataset", 现实|世界 → "real-world"
                if len(piece_words[0]) > len(english[-1]):
                    english[-1] = piece_words[0]
                piece_words = piece_words[1:]
            english.extend(piece_words)
        while english and english[0] in skip_modifiers:
            english.pop(0)
        if not english:
            return None
        english = english[-MAX_WORDS:]
        label = " ".join(english)
        if len(english) == 1 and (len(label) < 3 or label in skip_modifiers or label in generic):
            return None
        if heads is not None and not heads(english[-1]):
            return None
        found.append((label, start, len(english), span))
        return label

    i = 0
    last_label = None
    while i < len(tokens):
        word, start = tokens[i]
        if is_latin(word):
            # "(DRO)" right after a phrase names that phrase
            prev = tokens[i - 1][0] if i else ""
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if prev in ("(", "（") and nxt in (")", "）") and last_label and not run:
                aliases[word.lower()] = last_label
                i += 1
                continue
            n = known(i)
            run.extend(tokens[i : i + max(1, n)])
            i += max(1, n)
            continue
        n = known(i)
        if n:
            run.extend(tokens[i : i + n])
            i += n
            continue
        label = flush()
        if label:
            last_label = label
        elif word not in ("(", "（"):
            last_label = None
        i += 1
    label = flush()
    return found, aliases
