"""The translation search of Chinese topic candidates: a run of jieba words → English topic words.

Pieces are glossary entries (several translations each, best first); the search scores each
segmentation and choice by the log share of the translations and by how English the result reads
(background document frequencies of its phrases), so the word English abstracts use in that
phrase wins ("temporal context", not "time context"). Also here: jieba words the glossary does not
know, split into words it knows, and prefix compounds (多|视角 → "multi-view").
"""

from __future__ import annotations

import math
from itertools import pairwise

from ...knowledge.glossary import Glossary
from ...util.words import is_latin
from .segment import NUMBER_RE, ZH_STOP, latin_label

__all__ = ["compounds_of", "split_unknown", "translate_run", "MAX_WORDS"]

MAX_WORDS = 5  # as for English candidates: the head and its closest modifiers
# Hypotheses kept per position, and the weight of "reads like English abstracts" against the
# translation shares; chosen on the dev fold (bench/zh_errors.py), not on the held-out papers.
BEAM = 8
PHRASE_WEIGHT = 4.0
# The share a prefix compound (compounds_of) is given in the search
COMPOUND_SHARE = 0.5


def _overlaps(a: str, b: str) -> bool:
    """True when one English word repeats the other ("unsupervised"/"supervised", "data"/"dataset")."""
    return a == b or (len(a) > 3 and len(b) > 3 and (a in b or b in a))


def _same_stem(a: str, b: str) -> bool:
    """Two forms of one English word ("adaptive", "adaptation")."""
    return len(a) >= 6 and len(b) >= 6 and a[:5] == b[:5] and "-" not in a + b


def _merge(english: tuple, piece: list[str]) -> tuple:
    """`piece` appended to `english`, two Chinese words aligned to one English word counted once:
    无|监督 → "unsupervised", 数据|集 → "dataset", 现实|世界 → "real-world"."""
    if english and piece and _overlaps(english[-1], piece[0]):
        last = piece[0] if len(piece[0]) > len(english[-1]) else english[-1]
        return english[:-1] + (last,) + tuple(piece[1:])
    if english and piece and len(piece) == 1 and _same_stem(english[-1], piece[0]):
        return english  # 自|适应 → "adaptive" + "adaptation": the modifier already says it

    return english + tuple(piece)


def _phrase_score(english: tuple, known) -> float:
    """How English the word sequence reads: the background frequencies of its phrases of 2-5 words
    (English abstracts write "temporal context", not "time context")."""
    score = 0.0
    for n in range(2, min(MAX_WORDS, len(english)) + 1):
        for i in range(len(english) - n + 1):
            df = known(" ".join(english[i : i + n]))
            if df:
                score += math.log1p(df)
    return score


def translate_run(words: list[str], glossary: Glossary, known=None, compounds=None) -> list[str]:
    """English words of a run of jieba words (every word is covered by some glossary entry).

    A beam search over segmentations into glossary entries and over their translations: each piece
    scores the log share of its translation (so one entry for 实验结果 beats 实验 + 结果, and the usual
    translation beats a rare one), plus `PHRASE_WEIGHT` × how English the result reads (`known`:
    background document frequency of an English phrase). Greedy longest match chose a long prefix
    even when it left a poor rest, and always the most frequent translation of a word, whatever
    its neighbours ("time context" for "temporal context", "experiment result").
    """
    known = known or (lambda phrase: 0)
    lm_cache: dict[tuple, float] = {}

    def lm(english: tuple) -> float:
        value = lm_cache.get(english)
        if value is None:
            value = lm_cache[english] = PHRASE_WEIGHT * _phrase_score(english, known)
        return value

    beams: dict[int, dict[tuple, float]] = {0: {(): 0.0}}
    for i in range(len(words)):
        hyps = beams.pop(i, None)
        if not hyps:
            continue
        best = sorted(hyps.items(), key=lambda kv: (-kv[1], kv[0]))[:BEAM]
        for n in range(1, min(max(glossary.max_tokens, 2), len(words) - i) + 1):  # 2: prefix compounds
            zh = "".join(words[i : i + n])
            if n == 1 and (zh in ZH_STOP or NUMBER_RE.match(zh)):
                continue
            options = glossary.translations(zh) or (compounds or {}).get(zh, ())
            if not options and n == 1 and is_latin(zh):
                options = ((latin_label(zh), 1.0),)
            for en, share in options:
                piece = en.split()
                cost = math.log(max(share, 1e-3))
                target = beams.setdefault(i + n, {})
                for english, score in best:
                    merged = _merge(english, piece)
                    # only the phrases across the join count: those inside the piece are what the
                    # glossary aligned it to, and rewarding them would favour long translations of
                    # one word (长时间 was once aligned to "long short-term memory")
                    value = score + cost + lm(merged) - lm(english) - lm(tuple(piece))
                    if value > target.get(merged, -math.inf):
                        target[merged] = value
    final = beams.get(len(words))
    if not final:
        return []
    return list(min(final.items(), key=lambda kv: (-kv[1], kv[0]))[0])


def compounds_of(tokens: list[tuple[str, int]], glossary: Glossary) -> dict[str, tuple]:
    """Chinese bound prefixes and the word after them, as English writes them in one word.

    jieba splits 多|视角, 非|参数, 跨|模态, and alignment gave the prefix alone the compounds it was
    seen in ("multi-view", "nonparametric", "cross-modal"), each too seldom to be trusted. Before a
    word whose translation the compound contains ("view", "parameter", "modality"), that
    translation is the pair's: {joined Chinese: ((English, share),)}.
    """
    out: dict[str, tuple] = {}
    for (prefix, _), (word, _) in pairwise(tokens):
        if len(prefix) != 1 or prefix in ZH_STOP or is_latin(prefix) or glossary.lookup(word) is None:
            continue
        heads = [en.split()[0] for en, _ in glossary.translations(word)]
        for en, _ in glossary.translations(prefix, trusted=False):
            if " " not in en and any(len(h) >= 4 and h[:5] in en and not en.startswith(h[:5]) for h in heads):
                out[prefix + word] = ((en, COMPOUND_SHARE),)
                break
    return out


def split_unknown(tokens: list[tuple[str, int]], glossary: Glossary) -> list[tuple[str, int]]:
    """Words the glossary does not know, split into parts it knows when they make the whole word:
    jieba glues a noun to the verb after it or to a postposition (理论|分析表明 "theoretical analysis
    shows", 数据|集上 "on the dataset"), words it keeps apart elsewhere, as the glossary learned them."""
    out: list[tuple[str, int]] = []
    for word, start in tokens:
        if len(word) < 2 or is_latin(word) or word in ZH_STOP or word in glossary.entries:
            # a word the glossary has seen whole is a word, though one seldom aligned to a topic:
            # 流行 is "popular", not 流|行 "stream line"; 集成 not 集|成 "dataset pairwise"
            out.append((word, start))
            continue
        parts = _known_parts(word, glossary)
        if parts is None:
            out.append((word, start))
            continue
        offset = start
        for part in parts:
            out.append((part, offset))
            offset += len(part)
    return out


def _known_parts(word: str, glossary: Glossary) -> list[str] | None:
    """The fewest parts of `word` that are each a glossary entry or a function word, at least one
    an entry (None: no such split)."""
    best: list = [None] * (len(word) + 1)  # best[k]: (parts, entries) for word[:k]
    best[0] = ([], 0)
    for end in range(1, len(word) + 1):
        for begin in range(end):
            if best[begin] is None:
                continue
            part = word[begin:end]
            entry = glossary.lookup(part) is not None
            if not entry and part not in ZH_STOP:
                continue
            parts, entries = best[begin]
            candidate = (parts + [part], entries + entry)
            if best[end] is None or (len(candidate[0]), -candidate[1]) < (len(best[end][0]), -best[end][1]):
                best[end] = candidate
    if best[-1] is None or not best[-1][1] or len(best[-1][0]) < 2:
        return None
    return best[-1][0]
