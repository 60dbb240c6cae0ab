"""A memoising stand-in for spaCy's attribute_ruler: the same rules, applied once per distinct word.

en_core_web_sm's attribute_ruler (tag → POS and morphology, plus lemma exceptions) runs a Matcher
of 179 patterns over every token, a large share of the spaCy pass. Nearly all of its rules look at one token only, and
at attributes fixed by the token's text and tag (TAG, LOWER, ORTH, TEXT, IS_SPACE; DEP, which is
empty without a parser). So the outcome for a token is a function of (text, tag): this component
asks spaCy's own AttributeRuler for it once — on a one-token Doc — and copies the result (tag, POS,
morphology, lemma) onto every later token with the same text and tag.

It falls back to the stock ruler, on the whole Doc, whenever that shortcut could differ:

* a rule spans several tokens and the Doc holds a word its first token could match ("let 's",
  "gon na"); multi-token rules that need a dependency label cannot match before a parser runs;
* the Doc already has POS, morphology, lemmas or dependency labels (the memo assumes a tagged,
  otherwise bare Doc, which is what the tagger leaves);
* a rule tests an attribute outside the list above (then the memo is never used).

tests/extract/test_attributes.py checks token-for-token equality with the stock ruler.
"""

from __future__ import annotations

import re
from typing import Iterable

import numpy
from spacy.attrs import LEMMA, LOWER, MORPH, ORTH, POS, TAG
from spacy.language import Language
from spacy.lookups import Lookups
from spacy.pipeline import AttributeRuler, Lemmatizer
from spacy.tokens import Doc

__all__ = ["MemoAttributeRuler", "MemoLemmatizer", "use_memo_components"]

# token attributes fixed by a token's text and tag when no parser ran (DEP is then "")
_TOKEN_LOCAL = frozenset({"TAG", "LOWER", "ORTH", "TEXT", "IS_SPACE", "DEP"})


def _values(spec) -> tuple[str, object]:
    """("eq" | "in" | "not_in" | "regex" | "other", value) of one attribute's pattern value."""
    if isinstance(spec, dict):
        if set(spec) == {"IN"}:
            return "in", frozenset(spec["IN"])
        if set(spec) == {"NOT_IN"}:
            return "not_in", frozenset(spec["NOT_IN"])
        if set(spec) == {"REGEX"}:
            return "regex", re.compile(spec["REGEX"])
        return "other", spec
    return "eq", spec


def _accepts(parsed: tuple[str, object], value: str) -> bool:
    """Whether `value` meets a pattern value already parsed by _values."""
    kind, want = parsed
    if kind == "eq":
        return value == want
    if kind == "in":
        return value in want
    if kind == "not_in":
        return value not in want
    if kind == "regex":
        return bool(want.search(value))
    return True  # an unknown operator: assume it may match (the caller then uses the stock ruler)


class MemoAttributeRuler:
    """spaCy's AttributeRuler with the per-token outcome memoised by (text, tag); see the module."""

    def __init__(self, vocab, name: str, patterns: Iterable[dict]):
        self.name = name
        self.vocab = vocab
        patterns = list(patterns)
        self.ruler = AttributeRuler(vocab, name=name)
        self.ruler.add_patterns(patterns)
        self._learn(patterns)

    def _learn(self, patterns: list[dict]) -> None:
        """Decide from the rules whether the memo is usable, and which words may start a multi-token rule."""
        self.memo: dict[tuple[int, int], tuple[int, int, int, int]] = {}
        self.usable = True
        triggers = []  # for each multi-token rule, the LOWER spec of one of its tokens
        for rule in patterns:
            for tokens in rule["patterns"]:
                if any(set(token) - _TOKEN_LOCAL for token in tokens):
                    self.usable = False
                if len(tokens) > 1 and not any(self._needs_dependency(token) for token in tokens):
                    lowers = [token["LOWER"] for token in tokens if "LOWER" in token]
                    if lowers:
                        triggers.append(lowers[0])
                    else:
                        self.usable = False  # a contextual rule we could not spot cheaply
        self._exact = frozenset(v for v in triggers if isinstance(v, str))
        # parsed here, once: _contextual tests them on each distinct word
        self._other = [_values(v) for v in triggers if not isinstance(v, str)]
        self._triggers: dict[int, bool] = {}  # lowercase form -> whether a multi-token rule may start there

    @staticmethod
    def _needs_dependency(token: dict) -> bool:
        """True when the token spec cannot match a token whose dependency label is empty."""
        if "DEP" not in token:
            return False
        return not _accepts(_values(token["DEP"]), "")

    def _contextual(self, doc: Doc) -> bool:
        """True when a multi-token rule might match somewhere in `doc`."""
        strings, triggers = doc.vocab.strings, self._triggers
        for key in set(doc.to_array(LOWER).tolist()):  # each word once, each distinct word tested once
            found = triggers.get(key)
            if found is None:
                lower = strings[key]
                found = triggers[key] = lower in self._exact or any(_accepts(spec, lower) for spec in self._other)
            if found:
                return True
        return False

    def __call__(self, doc: Doc) -> Doc:
        if (not self.usable or any(doc.has_annotation(a) for a in ("DEP", "POS", "MORPH", "LEMMA"))
                or self._contextual(doc)):
            return self.ruler(doc)
        if not len(doc):
            return doc
        # read and written as arrays: a Token object per word and attribute costs more than the memo
        memo = self.memo
        keys = list(map(tuple, doc.to_array([ORTH, TAG]).tolist()))
        unseen = [key for key in dict.fromkeys(keys) if key not in memo]
        if unseen:
            memo.update(zip(unseen, self._outcomes(unseen, doc.vocab.strings), strict=True))
        # a bare tagged Doc (checked above) has no POS, morphology or lemma: a 0 outcome leaves it so
        doc.from_array([TAG, POS, MORPH, LEMMA], numpy.array([memo[key] for key in keys], dtype=numpy.uint64))
        return doc

    def _outcomes(self, keys: list[tuple[int, int]], strings) -> list[tuple[int, int, int, int]]:
        """(tag, POS, morphology key, lemma) the stock ruler gives each (text, tag) as a lone token.

        Asked in one Doc of those words: they come from a Doc where no multi-token rule can match
        (_contextual), so none matches among them either, and single-token rules see one token.
        """
        batch = Doc(self.vocab, words=[strings[orth] for orth, _ in keys])
        batch.from_array([TAG], numpy.array([[tag] for _, tag in keys], dtype=numpy.uint64))
        self.ruler(batch)
        return list(map(tuple, batch.to_array([TAG, POS, MORPH, LEMMA]).tolist()))

    # spaCy calls these when the pipeline is copied or saved; the memo is rebuilt as it is used
    def to_bytes(self, **kwargs):
        return self.ruler.to_bytes(**kwargs)

    def from_bytes(self, data, **kwargs):
        self.ruler.from_bytes(data, **kwargs)
        self._learn(self.ruler.patterns)  # the rules it has now (spaCy adds the loaded ones to its own)
        return self


@Language.factory(
    "kg_attribute_ruler",
    default_config={"patterns": []},
    assigns=["token.tag", "token.pos", "token.morph", "token.lemma"],
)
def make_memo_attribute_ruler(nlp: Language, name: str, patterns: list):
    return MemoAttributeRuler(nlp.vocab, name, patterns)


class MemoLemmatizer:
    """A pipeline's own lemmatizer (``stock``) with its per-token work memoised by (text, POS, morphology).

    A rule lemmatizer's answer is a function of those three (spaCy caches it under text and POS,
    except for words its ``is_base_form`` keeps as they are, which depends on the morphology); the
    memo asks the stock lemmatizer on a miss, so the lemmas are the same. spaCy still spends several
    Python calls per token to reach its cache, where a token here costs one dict lookup.
    """

    def __init__(self, name: str):
        self.name = name
        self.stock = None  # set by use_memo_components
        self.memo: dict[tuple[int, int, int], int] = {}

    def __call__(self, doc: Doc) -> Doc:
        if self.stock is None:
            raise ValueError(f"{self.name}: no lemmatizer to memoise; build it with use_memo_components()")
        if not len(doc):
            return doc
        memo, overwrite, lemmatize = self.memo, self.stock.overwrite, self.stock.lemmatize
        strings = doc.vocab.strings
        lemmas = []
        for i, (orth, pos, morph, lemma) in enumerate(doc.to_array([ORTH, POS, MORPH, LEMMA]).tolist()):
            if overwrite or lemma == 0:
                key = (orth, pos, morph)
                lemma = memo.get(key)
                if lemma is None:
                    lemma = memo[key] = strings.add(lemmatize(doc[i])[0])
            lemmas.append(lemma)
        doc.from_array([LEMMA], numpy.array(lemmas, dtype=numpy.uint64).reshape(-1, 1))
        return doc


@Language.factory("kg_lemmatizer", assigns=["token.lemma"])
def make_memo_lemmatizer(nlp: Language, name: str):
    return MemoLemmatizer(name)


def use_memo_components(nlp: Language) -> Language:
    """Swap the attribute_ruler and lemmatizer of a loaded pipeline for their memoising versions
    (same names, same rules and tables, same results)."""
    if "attribute_ruler" in nlp.pipe_names and isinstance(nlp.get_pipe("attribute_ruler"), AttributeRuler):
        patterns = nlp.get_pipe("attribute_ruler").patterns
        nlp.replace_pipe("attribute_ruler", "kg_attribute_ruler", config={"patterns": patterns})
    if "lemmatizer" in nlp.pipe_names and isinstance(nlp.get_pipe("lemmatizer"), Lemmatizer):
        stock = nlp.get_pipe("lemmatizer")
        nlp.replace_pipe("lemmatizer", "kg_lemmatizer").stock = stock
        stock.lookups = _indexed_by_sets(stock.lookups)  # stock is ours alone now, out of the pipeline
    return nlp


def _indexed_by_sets(lookups: Lookups) -> Lookups:
    """The same tables, with each part of speech's word list in ``lemma_index`` as a frozenset.

    The rule lemmatizer asks ``form in index`` for every suffix rule that applies, and the English
    noun index is a list of 57k words: scanning it is most of the lemmatizer's time on a memo miss.
    Membership answers are the same.
    """
    fast = Lookups()
    for name in lookups.tables:
        table = lookups.get_table(name)
        if name == "lemma_index":
            table = {key: frozenset(words) for key, words in table.items()}
            fast.add_table(name, table)
        else:
            fast.set_table(name, table)
    return fast
