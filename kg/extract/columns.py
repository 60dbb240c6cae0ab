"""A Doc's token attributes as plain Python lists, read with one ``doc.to_array`` call.

The kg_ components look at a few attributes of every token. Reached through Token objects, each
access makes a Token and decodes a string from the StringStore (a profile of 1,400 abstracts made
2.7M Token objects); here each attribute of a Doc is read once, as an array, and its string ids
are turned into strings through a cache shared by all Docs.
"""

from __future__ import annotations

import weakref

from spacy.attrs import IDX, IS_ALPHA, IS_PUNCT, LEMMA, LIKE_NUM, LOWER, ORTH, POS, SPACY, TAG
from spacy.tokens import Doc

__all__ = ["Columns", "columns_of", "release"]

_ATTRS = [ORTH, LOWER, POS, TAG, LEMMA, SPACY, IDX, IS_ALPHA, LIKE_NUM, IS_PUNCT]
# Distinct strings kept at most (about 15 MB); past it the cache starts again (its content never
# changes a result). A pass over texts empties it at its end (release).
_CACHE_LIMIT = 100_000


class _Strings(dict):
    """String id -> string. An id is a hash of its string, the same in every vocabulary, so one
    cache serves every Doc; a miss asks the current Doc's StringStore."""

    store = None

    def __missing__(self, key: int) -> str:
        value = self[key] = self.store[key]
        return value


_STRINGS = _Strings()


class Columns:
    """Per-token lists of one Doc: ``text[i]`` is ``doc[i].text``, and so on for lower, pos (the
    coarse tag's name), tag, lemma, ws (``" "`` or ``""``), idx, and 0 or 1 for alpha (is_alpha),
    num (like_num) and punct (is_punct)."""

    __slots__ = ("n", "text", "lower", "pos", "tag", "lemma", "ws", "idx", "alpha", "num", "punct")

    def __init__(self, doc: Doc):
        self.n = len(doc)
        if len(_STRINGS) > _CACHE_LIMIT:
            _STRINGS.clear()
        if self.n:
            orth, lower, pos, tag, lemma, space, idx, alpha, num, punct = doc.to_array(_ATTRS).T.tolist()
        else:
            orth = lower = pos = tag = lemma = space = idx = alpha = num = punct = []
        string = _STRINGS.__getitem__
        _STRINGS.store = doc.vocab.strings
        try:
            self.text = list(map(string, orth))
            self.lower = list(map(string, lower))
            self.pos = list(map(string, pos))
            self.tag = list(map(string, tag))
            self.lemma = list(map(string, lemma))
        finally:
            _STRINGS.store = None  # held, it would keep a vocabulary alive after its pipeline is gone
        self.ws = [" " if s else "" for s in space]
        self.idx = idx
        self.alpha, self.num, self.punct = alpha, num, punct  # 0 or 1

    def span_text(self, start: int, end: int) -> str:
        """``doc[start:end].text``: the tokens with their spaces, less the last token's."""
        start, end = max(0, start), min(self.n, end)
        if start >= end:
            return ""
        text, ws = self.text, self.ws
        return "".join([text[k] + ws[k] for k in range(start, end - 1)] + [text[end - 1]])


# The last Doc read (weakly: it may go) and its columns: the kg_ components run one after another
# on each Doc, and reading the columns costs more than most of them, so they share one reading.
_LAST: tuple = (lambda: None, None)


def columns_of(doc: Doc, fresh: bool = False) -> Columns:
    """The columns of `doc`, shared with the previous caller when it asked for the same Doc.

    `fresh` reads them again (and keeps them for the next caller): the first kg_ component of a
    pipeline asks for it, so annotations changed since an earlier pass are never served stale.
    """
    global _LAST
    last, columns = _LAST
    if fresh or last() is not doc:
        columns = Columns(doc)
        _LAST = (weakref.ref(doc), columns)
    return columns


def release() -> None:
    """Forget the last columns and the cached strings: a pass over texts has ended."""
    global _LAST
    _LAST = (lambda: None, None)
    _STRINGS.clear()
