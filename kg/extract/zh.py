"""Chinese abstracts → English topic labels, through a glossary the project learns from parallel text.

A Chinese-only entry should give the topic nodes its English original would. The text is segmented
with jieba (words the glossary does not know are split into words it knows: 理论|分析表明); runs of
nominal words (split at punctuation and function words, so "A的B" gives two phrases, as "B of A"
does in English, unless English abstracts write "A B": 复杂的结构 → "complex structure") are
translated into English words (kg.extract.zh_translate: a search over glossary entries and their
translations, scored by the alignment shares and by how often English abstracts use the result:
语义|分割 → "semantic segmentation", 时间|上下文 → "temporal context"). Chinese and English noun
phrases both put modifiers before the head. Latin-script words inside the Chinese (Transformer,
GFNet, BERT) are kept as they are: they are the safest anchors. A run is cut between two words the
aligned English of the training text seldom kept in one topic (估计|相机运动 "estimate camera motion"),
or, for a pair seen too seldom, where one of them seldom shared a topic with any neighbour (缺乏 "lack"),
and a leading noun made from a verb is dropped when only the rest is a phrase English abstracts use. An acronym in brackets after a
phrase ("分布鲁棒优化(DRO)") counts for that phrase, as in English; when English abstracts define it
("unmanned aerial vehicle (UAV)"), for their long form.

The glossary (``kg/data/glossary_zh_en.tsv.gz``) is derived by ``scripts/build_glossary.py`` from
the bilingual digest entries of ``seeds/`` and from ../shared/corpus/parallel.jsonl without the
papers `held_out` selects (kept for measurement): word alignment (IBM model 1, both directions)
of sentence pairs, then phrase pairs consistent with the alignment of each English topic candidate,
and the acronym definitions of the English side."""

from __future__ import annotations

import gzip
import hashlib
import re
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

__all__ = [
    "held_out", "Glossary", "load_glossary", "zh_candidates", "zh_label", "zh_named", "segment", "GLOSSARY_FILE",
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
# A translation that English abstracts do not use (background df < VERB_LEAD_DF) and that starts with
# a noun made from a verb, before a phrase they do use (df >= VERB_LEAD_DF), is that phrase: the
# Chinese verb was read as a modifier (估计|语言|特征 "estimation linguistic feature" for "estimate
# linguistic features", 分离|音乐|录音 "separation music recording"); chosen on the dev fold
VERB_LEAD_DF = 3
VERB_NOUN_ENDINGS = ("tion", "sion", "ment", "ance", "ysis")
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
MAX_WORDS = 5  # as for English candidates: the head and its closest modifiers
# "A的B" is one phrase when English abstracts use the joined translation this often (background df)
JOIN_DF = 3
# Two translated words are printed as one when English abstracts write the joined word this often
JOINED_WORD_DF = 100
JOIN_MAX = 1  # ... and A is one word (an adjective: 复杂, 巨大), not a phrase of its own
# ... or whatever English abstracts write, when A is one word they use in this many topics and as the
# head of at most this share of them (an adjective: 复杂的决策问题 "complex decision problem", 强大的
# 分层方法 "powerful hierarchical approach"; a noun before 的 is "B of A"); chosen on the dev fold
ADJECTIVE_MIN_USES = 20
ADJECTIVE_HEAD_SHARE = 0.05

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


_ASPECT = frozenset("了着过")
BASED_ON = frozenset(("基于", "基於"))
# "称为X", "名为X", "我们提出了X": the name the paper gives its own method (as kg_named reads
# "named X", "we propose X" in English), a method node rather than a topic
_NAMED_RE = re.compile(
    r"(?:(?:被)?称(?:之)?为|名为|命名为|叫做|我们(?:提出|介绍|引入|设计|开发|构建|发布)了?)"
    r"[^，。；,;A-Za-z]{0,3}?[“\"「《]?([A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*)"
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
    """jieba's words with their character offsets, spaces dropped; a Latin-script word that jieba
    cut at a hyphen is one word again (Short-Term, AP17-OLR), as English candidates keep it.

    >>> [w for w, _ in segment("预训练Transformer的知识神经元")][-3:]
    ['的', '知识', '神经元']
    >>> [w for w, _ in segment("Long Short-Term Memory单元")]
    ['Long', 'Short-Term', 'Memory', '单元']
    """
    out: list[tuple[str, int]] = []
    for word, start, _ in _jieba().tokenize(text):
        if not word.strip():
            continue
        if len(out) >= 2 and out[-1][0] == "-" and is_latin(word) and is_latin(out[-2][0]) and (
            out[-2][1] + len(out[-2][0]) == out[-1][1] == start - 1
        ):
            out[-2:] = [(out[-2][0] + "-" + word, out[-2][1])]
            continue
        out.append((word, start))
    return out


def is_latin(word: str) -> bool:
    return bool(_LATIN_RE.match(word))


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
    from .background import topic_key

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


def zh_named(text: str) -> list[str]:
    """Latin-script names a Chinese text gives its own method, in order.

    >>> zh_named("我们提出了GFNet，一种称为“Dual-ViT”的模型，优于BERT。")
    ['GFNet', 'Dual-ViT']
    """
    out: list[str] = []
    for match in _NAMED_RE.finditer(text):
        if match.group(1) not in out:
            out.append(match.group(1))
    return out


def _latin_label(word: str) -> str:
    """A Latin-script word as an English label word: "CNNs" → "cnn", "Transformer" → "transformer"."""
    if len(word) > 2 and word.endswith("s") and word[:-1].isupper():
        word = word[:-1]
    return word.lower()


def zh_candidates(
    text: str, glossary: Glossary | None = None, skip_modifiers=frozenset(), generic=frozenset(), heads=None,
    known=None,
) -> tuple[list, dict]:
    """English topic candidates of a Chinese text.

    `skip_modifiers` are leading English words dropped (as for English candidates), `generic` single
    words that are no topic, `heads` (when given) a test that the last English word can end a noun
    phrase (a translation ending on an adjective or a verb is not a topic), `known` the number of
    English abstracts that use a phrase (default: the shipped background table), which chooses
    between translations.

    Returns ([(label, character offset, n_words, Chinese span)], {acronym or label (lowercase): label}).
    """
    from .zh_translate import compounds_of, split_unknown, translate_run

    glossary = glossary or load_glossary()
    known = known or _background_df()
    tokens = split_unknown(segment(text), glossary)
    found: list[tuple[str, int, int, str]] = []
    aliases: dict[str, str] = {}
    run: list[tuple[str, int]] = []

    compounds = compounds_of(tokens, glossary)

    def entry_length(i: int) -> int:
        """Length in words of the longest glossary entry starting at token i (0: none)."""
        if "".join(w for w, _ in tokens[i : i + 2]) in compounds and glossary.lookup(tokens[i][0]) is None:
            return 2
        for n in range(min(glossary.max_tokens, len(tokens) - i), 0, -1):
            zh = "".join(w for w, _ in tokens[i : i + n])
            if n == 1 and (zh in ZH_STOP or _NUMBER_RE.match(zh)):
                return 0
            if glossary.lookup(zh) is not None:
                return n
        return 0

    pending: list = []  # the run before a 的, until what follows says whether they are one phrase

    def take_run() -> tuple[list[str], int, str]:
        words = [w for w, _ in run]
        start = run[0][1]
        span = text[start : run[-1][1] + len(run[-1][0])]
        run.clear()
        english = translate_run(words, glossary, known, compounds)
        while english and english[0] in skip_modifiers:
            english.pop(0)
        return english, start, span

    def emit(english: list[str], start: int, span: str) -> str | None:
        if not english:
            return None
        english = _one_word_compounds(english)[-MAX_WORDS:]
        if (len(english) > 1 and english[0].endswith(VERB_NOUN_ENDINGS) and known(" ".join(english)) < VERB_LEAD_DF
                and known(" ".join(english[1:])) >= VERB_LEAD_DF):
            english = english[1:]
        if span.lower().endswith(english[-1]) and english[-1][-1:] == "s":
            english = english[:-1] + [_latin_head(english[-1])]
        label = " ".join(english)
        if len(english) == 1 and (len(label) < 3 or label in skip_modifiers or label in generic):
            return None
        if len(english) > 1 and _generic_key(label, generic):
            return None  # "data set" for 数据集 is the generic "dataset" that English drops
        if heads is not None and not heads(english[-1]):
            return None
        found.append((label, start, len(english), span))
        return label

    def flush() -> str | None:
        current = take_run() if run else None
        held = pending.pop() if pending else None
        if held and held[0] and current and current[0] and (
            held[0][-1].endswith("-based")
            or len(held[0]) <= JOIN_MAX and (known(" ".join(held[0] + current[0])) >= JOIN_DF or _adjective(held[0][0]))
        ):
            # "复杂的结构" is "complex structure", "巨大的潜力" "great potential": English abstracts
            # write the two as one phrase, so A的B is one candidate, not B of A (and 基于A的B is "A-based B")
            return emit(held[0] + current[0], held[1], text[held[1] : current[1] + len(current[2])])
        if held:
            emit(*held)
        return emit(*current) if current else None

    index_of = {start: k for k, (_, start) in enumerate(tokens)}
    i = 0
    last_label = None
    while i < len(tokens):
        word, start = tokens[i]
        if is_latin(word):
            prev = tokens[i - 1][0] if i else ""
            nxt = tokens[i + 1][0] if i + 1 < len(tokens) else ""
            if prev in ("(", "（") and nxt in (")", "）") and not run:
                # "无人机（UAV）": the acronym names the phrase before it. When English abstracts
                # define it ("unmanned aerial vehicle (UAV)"), their long form is the topic, as in
                # the English original, whatever the word-by-word translation gave.
                long = _long_form(word, last_label, glossary)
                if long:
                    short = _latin_label(word)
                    aliases[word.lower()] = aliases[short] = long
                    if last_label and long != last_label and not last_label.endswith(" " + long):
                        aliases[last_label] = long  # the Chinese long form, translated otherwise
                    found.append((short, start, 1, word))  # "(UAV)" counts for its topic, as in English
                    i += 1
                    continue
            n = entry_length(i)
            run.extend(tokens[i : i + max(1, n)])
            i += max(1, n)
            continue
        n = entry_length(i)
        if n:
            if run and glossary.splits(run[-1][0], word):
                # 估计|相机|运动: English keeps the two apart ("estimate camera motion"), the run ends here
                label = flush()
                if label:
                    last_label = label
            run.extend(tokens[i : i + n])
            i += n
            continue
        if word in _ASPECT and len(run) > 1:
            # 实验结果|验证|了 "experimental results verify": a word before an aspect particle is a verb
            # (the glossary may know it as a noun, "verification"), not the phrase's head
            run.pop()
        if word == "的" and run and not pending and i + 1 < len(tokens) and (
            entry_length(i + 1) or is_latin(tokens[i + 1][0])
        ):
            first = index_of[run[0][1]]
            held = take_run()
            if held[0] and first and tokens[first - 1][0] in BASED_ON:
                # 基于注意力的模型 "attention-based model": English writes one phrase, not "model of attention"
                held[0][-1] += "-based"
            pending.append(held)
            i += 1
            continue
        label = flush()
        if label:
            last_label = label
        elif word not in ("(", "（"):
            last_label = None
        i += 1
    label = flush()
    return found, aliases


def _adjective(word: str) -> bool:
    """True for an English word that English abstracts use in topics but seldom as their head: an
    adjective ("complex", "powerful", "hierarchical"), not a noun ("task", "decision", "human")."""
    from .background import load_background
    from .components import GENERIC_NOUNS

    background = load_background()
    used = background.words.get(word, 0)
    return (used >= ADJECTIVE_MIN_USES and background.labels.get(word, 0) <= ADJECTIVE_HEAD_SHARE * used
            and word not in GENERIC_NOUNS)


def _latin_head(word: str) -> str:
    from .components import singular

    return word if word.endswith("ics") else singular(word)


def _long_form(short: str, phrase: str | None, glossary: Glossary) -> str | None:
    """The topic an acronym in brackets after `phrase` (an English translation, None: no phrase)
    stands for: the end of the phrase when its words spell the acronym (Schwartz–Hearst, as for
    English text: "fixed-wing unmanned aerial vehicle (UAV)"), else the long form English abstracts
    define for it, else the whole phrase."""
    from .components import best_long_form

    if phrase:
        long = best_long_form(short, phrase)
        if long and len(long) > len(short) and " " in long:
            return long
    defined = glossary.acronyms.get(_singular_acronym(short))
    if defined:
        return defined
    return phrase


def _generic_key(label: str, generic: frozenset) -> bool:
    from .background import topic_key

    return topic_key(label) in _generic_keys(generic)


@lru_cache(maxsize=4)
def _generic_keys(generic: frozenset) -> frozenset:
    from .background import topic_key

    return frozenset(topic_key(word) for word in generic)


def _one_word_compounds(english: list[str]) -> list[str]:
    """Two words English writes as one, joined ("data set" → "dataset", "hyper parameter" →
    "hyperparameter"): the topic key is the same, but the label is printed as English prints it."""
    from .background import load_background

    words = load_background().words
    out: list[str] = []
    for word in english:
        if out and words.get(out[-1] + word, 0) >= JOINED_WORD_DF:
            out[-1] += word
        else:
            out.append(word)
    return out


def _singular_acronym(word: str) -> str:
    """CNNs → CNN: acronyms are keyed by their singular, as scripts/build_glossary.py wrote them."""
    from .components import singular_short_form

    return singular_short_form(word)


@lru_cache(maxsize=1)
def _background_df():
    """Phrase → number of background English abstracts using it (kg/data/topic_df.tsv.gz)."""
    from .background import load_background, topic_key

    labels = load_background().labels
    return lambda phrase: labels.get(topic_key(phrase), 0)
