"""English topic candidates of a Chinese text, and the names it gives its own method.

A run of nominal words is cut between two words the aligned English of the training text seldom
kept in one topic (估计|相机运动 "estimate camera motion"), or, for a pair seen too seldom, where
one of them seldom shared a topic with any neighbour (缺乏 "lack"), and a leading noun made from a
verb is dropped when only the rest is a phrase English abstracts use. An acronym in brackets after
a phrase ("分布鲁棒优化(DRO)") counts for that phrase, as in English; when English abstracts define
it ("unmanned aerial vehicle (UAV)"), for their long form.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ...knowledge.glossary import Glossary, load_glossary
from ...util.words import is_latin, topic_key
from ..background import load_background
from ..phrases import GENERIC_NOUNS, best_long_form, singular_head, singular_short_form
from .segment import NUMBER_RE, ZH_STOP, latin_label, segment
from .translate import MAX_WORDS, compounds_of, split_unknown, translate_run

__all__ = ["zh_candidates", "zh_named"]

# A translation that English abstracts do not use (background df < VERB_LEAD_DF) and that starts with
# a noun made from a verb, before a phrase they do use (df >= VERB_LEAD_DF), is that phrase: the
# Chinese verb was read as a modifier (估计|语言|特征 "estimation linguistic feature" for "estimate
# linguistic features", 分离|音乐|录音 "separation music recording"); chosen on the dev fold
VERB_LEAD_DF = 3
VERB_NOUN_ENDINGS = ("tion", "sion", "ment", "ance", "ysis")
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

_ASPECT = frozenset("了着过")
BASED_ON = frozenset(("基于", "基於"))
_OPEN_BRACKETS = ("(", "（")
_CLOSE_BRACKETS = (")", "）")
# "称为X", "名为X", "我们提出了X": the name the paper gives its own method (as kg_named reads
# "named X", "we propose X" in English), a method node rather than a topic
_NAMED_RE = re.compile(
    r"(?:(?:被)?称(?:之)?为|名为|命名为|叫做|我们(?:提出|介绍|引入|设计|开发|构建|发布)了?)"
    r"[^，。；,;A-Za-z]{0,3}?[“\"「《]?([A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*)"
)


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
    reader = _CandidateReader(text, glossary or load_glossary(), known or _background_df(), skip_modifiers,
                              generic, heads)
    return reader.read()


class _CandidateReader:
    """One pass over the words of a Chinese text. Nominal words gather in a run; where the phrase
    ends, the run is translated and emitted as a candidate. A run before 的 is held until what
    follows says whether the two are one English phrase ("复杂的结构" "complex structure") or two
    ("B of A")."""

    def __init__(self, text: str, glossary: Glossary, known, skip_modifiers, generic, heads):
        self.text = text
        self.glossary = glossary
        self.known = known
        self.skip_modifiers = skip_modifiers
        self.generic = generic
        self.heads = heads
        self.tokens = split_unknown(segment(text), glossary)
        self.compounds = compounds_of(self.tokens, glossary)
        self.index_of = {start: k for k, (_, start) in enumerate(self.tokens)}
        self.found: list[tuple[str, int, int, str]] = []
        self.aliases: dict[str, str] = {}
        self.run: list[tuple[str, int]] = []  # (word, offset) of the phrase being read
        self.held: tuple | None = None  # (English words, offset, span) of the run before a 的
        self.last_label: str | None = None  # the candidate just emitted, which an acronym in brackets names

    def read(self) -> tuple[list, dict]:
        i = 0
        while i < len(self.tokens):
            i = self._step(i)
        self._flush()
        return self.found, self.aliases

    def _step(self, i: int) -> int:
        """Read the word at `i`; the index of the next word to read."""
        word = self.tokens[i][0]
        if is_latin(word):
            return self._latin_word(i)
        n = self._entry_length(i)
        if n:
            return self._glossary_entry(i, n)
        if word in _ASPECT and len(self.run) > 1:
            # 实验结果|验证|了 "experimental results verify": a word before an aspect particle is a verb
            # (the glossary may know it as a noun, "verification"), not the phrase's head
            self.run.pop()
        if word == "的" and self._holds_before_de(i):
            self._hold_run()
            return i + 1
        label = self._flush()
        if label:
            self.last_label = label
        elif word not in _OPEN_BRACKETS:
            self.last_label = None
        return i + 1

    def _latin_word(self, i: int) -> int:
        """A Latin-script word: an acronym in brackets after a phrase names it; any other joins the run."""
        word, start = self.tokens[i]
        prev = self.tokens[i - 1][0] if i else ""
        nxt = self.tokens[i + 1][0] if i + 1 < len(self.tokens) else ""
        if prev in _OPEN_BRACKETS and nxt in _CLOSE_BRACKETS and not self.run:
            # "无人机（UAV）": the acronym names the phrase before it. When English abstracts
            # define it ("unmanned aerial vehicle (UAV)"), their long form is the topic, as in
            # the English original, whatever the word-by-word translation gave.
            long = _long_form(word, self.last_label, self.glossary)
            if long:
                short = latin_label(word)
                self.aliases[word.lower()] = self.aliases[short] = long
                last = self.last_label
                if last and long != last and not last.endswith(" " + long):
                    self.aliases[last] = long  # the Chinese long form, translated otherwise
                self.found.append((short, start, 1, word))  # "(UAV)" counts for its topic, as in English
                return i + 1
        n = max(1, self._entry_length(i))
        self.run.extend(self.tokens[i : i + n])
        return i + n

    def _glossary_entry(self, i: int, n: int) -> int:
        """An entry of `n` words joins the run, which first ends where English keeps the two apart."""
        if self.run and self.glossary.splits(self.run[-1][0], self.tokens[i][0]):
            # 估计|相机|运动: English keeps the two apart ("estimate camera motion"), the run ends here
            label = self._flush()
            if label:
                self.last_label = label
        self.run.extend(self.tokens[i : i + n])
        return i + n

    def _entry_length(self, i: int) -> int:
        """Length in words of the longest glossary entry starting at token i (0: none)."""
        tokens, glossary = self.tokens, self.glossary
        if "".join(w for w, _ in tokens[i : i + 2]) in self.compounds and glossary.lookup(tokens[i][0]) is None:
            return 2
        for n in range(min(glossary.max_tokens, len(tokens) - i), 0, -1):
            zh = "".join(w for w, _ in tokens[i : i + n])
            if n == 1 and (zh in ZH_STOP or NUMBER_RE.match(zh)):
                return 0
            if glossary.lookup(zh) is not None:
                return n
        return 0

    def _holds_before_de(self, i: int) -> bool:
        """Whether the 的 at `i` may join the run before it to a phrase after it."""
        return bool(self.run) and self.held is None and i + 1 < len(self.tokens) and bool(
            self._entry_length(i + 1) or is_latin(self.tokens[i + 1][0])
        )

    def _hold_run(self) -> None:
        first = self.index_of[self.run[0][1]]
        held = self._take_run()
        if held[0] and first and self.tokens[first - 1][0] in BASED_ON:
            # 基于注意力的模型 "attention-based model": English writes one phrase, not "model of attention"
            held[0][-1] += "-based"
        self.held = held

    def _take_run(self) -> tuple[list[str], int, str]:
        """The run's English words (leading skipped modifiers dropped), offset and Chinese span; the run is emptied."""
        run = self.run
        words = [w for w, _ in run]
        start = run[0][1]
        span = self.text[start : run[-1][1] + len(run[-1][0])]
        run.clear()
        english = translate_run(words, self.glossary, self.known, self.compounds)
        while english and english[0] in self.skip_modifiers:
            english.pop(0)
        return english, start, span

    def _flush(self) -> str | None:
        """End the phrase: emit the held run and the current one, as one candidate when English
        writes them as one phrase; the label of the last candidate emitted (None: none)."""
        current = self._take_run() if self.run else None
        held, self.held = self.held, None
        if held and held[0] and current and current[0] and self._one_phrase(held[0], current[0]):
            # "复杂的结构" is "complex structure", "巨大的潜力" "great potential": English abstracts
            # write the two as one phrase, so A的B is one candidate, not B of A (and 基于A的B is "A-based B")
            return self._emit(held[0] + current[0], held[1], self.text[held[1] : current[1] + len(current[2])])
        if held:
            self._emit(*held)
        return self._emit(*current) if current else None

    def _one_phrase(self, before: list[str], after: list[str]) -> bool:
        """Whether A的B, A and B translated, is the English phrase "A B"."""
        return before[-1].endswith("-based") or len(before) <= JOIN_MAX and (
            self.known(" ".join(before + after)) >= JOIN_DF or _adjective(before[0])
        )

    def _emit(self, english: list[str], start: int, span: str) -> str | None:
        """Record the candidate `english` unless it is no topic; its label (None: not recorded)."""
        if not english:
            return None
        known = self.known
        english = _one_word_compounds(english)[-MAX_WORDS:]
        if (len(english) > 1 and english[0].endswith(VERB_NOUN_ENDINGS) and known(" ".join(english)) < VERB_LEAD_DF
                and known(" ".join(english[1:])) >= VERB_LEAD_DF):
            english = english[1:]
        if span.lower().endswith(english[-1]) and english[-1][-1:] == "s":
            english = english[:-1] + [singular_head(english[-1])]
        label = " ".join(english)
        if len(english) == 1 and (len(label) < 3 or label in self.skip_modifiers or label in self.generic):
            return None
        if len(english) > 1 and _generic_key(label, self.generic):
            return None  # "data set" for 数据集 is the generic "dataset" that English drops
        if self.heads is not None and not self.heads(english[-1]):
            return None
        self.found.append((label, start, len(english), span))
        return label


def _adjective(word: str) -> bool:
    """True for an English word that English abstracts use in topics but seldom as their head: an
    adjective ("complex", "powerful", "hierarchical"), not a noun ("task", "decision", "human")."""
    background = load_background()
    used = background.words.get(word, 0)
    return (used >= ADJECTIVE_MIN_USES and background.labels.get(word, 0) <= ADJECTIVE_HEAD_SHARE * used
            and word not in GENERIC_NOUNS)


def _long_form(short: str, phrase: str | None, glossary: Glossary) -> str | None:
    """The topic an acronym in brackets after `phrase` (an English translation, None: no phrase)
    stands for: the end of the phrase when its words spell the acronym (Schwartz–Hearst, as for
    English text: "fixed-wing unmanned aerial vehicle (UAV)"), else the long form English abstracts
    define for it, else the whole phrase."""
    if phrase:
        long = best_long_form(short, phrase)
        if long and len(long) > len(short) and " " in long:
            return long
    # acronyms are keyed by their singular (CNNs → CNN), as scripts/build_glossary.py wrote them
    defined = glossary.acronyms.get(singular_short_form(short))
    if defined:
        return defined
    return phrase


def _generic_key(label: str, generic: frozenset) -> bool:
    return topic_key(label) in _generic_keys(generic)


@lru_cache(maxsize=4)
def _generic_keys(generic: frozenset) -> frozenset:
    return frozenset(topic_key(word) for word in generic)


def _one_word_compounds(english: list[str]) -> list[str]:
    """Two words English writes as one, joined ("data set" → "dataset", "hyper parameter" →
    "hyperparameter"): the topic key is the same, but the label is printed as English prints it."""
    words = load_background().words
    out: list[str] = []
    for word in english:
        if out and words.get(out[-1] + word, 0) >= JOINED_WORD_DF:
            out[-1] += word
        else:
            out.append(word)
    return out


@lru_cache(maxsize=1)
def _background_df():
    """Phrase → number of background English abstracts using it (kg/data/topic_df.tsv.gz)."""
    labels = load_background().labels
    return lambda phrase: labels.get(topic_key(phrase), 0)
