"""spaCy pipeline components that find topic candidates, acronym definitions, named methods and datasets.

Each is a stateless function registered under a ``kg_`` name; it reads the tagger's POS tags and
writes plain Python values to a ``Doc._`` extension, which ``mentions.py`` turns into dataclasses.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from .columns import Columns, columns_of
from .phrases import (
    _DATA_WORDS,
    _DATASET_WORDS,
    _HYPHENS,
    _NAMING_WORDS,
    _PROPOSE_LEMMAS,
    _SKIP_MODIFIERS,
    _VERB_WORDS,
    _WEAK_MODIFIERS,
    GENERIC_NOUNS,
    METHOD_HEADS,
    _gazetteer_starts,
    _valid_short_form,
    best_long_form,
    dataset_gazetteer,
    is_edge_word,
    is_invariant,
    is_name_shaped,
    singular,
    singular_head,
    singular_short_form,
    trim_edges,
)

__all__ = [
    "GENERIC_NOUNS",
    "METHOD_HEADS",
    "best_long_form",
    "dataset_gazetteer",
    "is_name_shaped",
    "singular_short_form",
    "singular",
    "singular_head",
    "trim_edges",
]

for _name in ("kg_candidates", "kg_acronyms", "kg_named", "kg_datasets"):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=None)

def _candidate_token(c: Columns, i: int) -> bool:
    pos = c.pos[i]
    if pos in ("NOUN", "PROPN", "ADJ"):
        return c.alpha[i] or _word_like(c.text[i])
    if pos == "VERB" and c.tag[i] in ("VBN", "VBG"):
        return c.alpha[i]
    return False


def _head_label(c: Columns, head: int) -> str:
    text, lower = c.text[head], c.lower[head]
    if text.isupper() or any(ch.isdigit() for ch in text):
        return lower  # acronyms and coined names keep their form ("FSIS", "3D")
    if len(text) > 2 and text.endswith("s") and text[:-1].isupper():
        return lower[:-1]  # "GNNs" → "gnn"
    if is_invariant(lower):
        return lower  # physics, media, series: no plural to strip ("social media", not "social medium")
    if c.pos[head] == "NOUN":
        lemma = c.lemma[head].lower()
        if lemma == lower and c.tag[head] == "NN" and lemma.endswith("s"):
            lemma = singular(lemma)  # a plural the tagger took for a singular ("Classic algorithms")
        return _DATA_WORDS.get(lemma, lemma)
    return singular(lower)


def _words(c: Columns, run: list[int]) -> list[list[int]]:
    """Group token indices into words, gluing tokens written without spaces ("large - scale" → one word)."""
    words: list[list[int]] = []
    glue = False
    for i in run:
        if glue and words:
            words[-1].append(i)
        else:
            words.append([i])
        glue = not c.ws[i]
    return words


def _strip_leading(c: Columns, word: list[int], previous: int | None) -> bool:
    first = word[0]
    text = "".join(c.text[i] + c.ws[i] for i in word).strip().lower()
    if text in _SKIP_MODIFIERS or is_edge_word(text) or c.text[first] in _HYPHENS:
        return True
    if text in _NAMING_WORDS:
        # "named X": the naming verb, unless it starts a known compound ("tagging, named entity
        # recognition"): kept as a weak lead, which mentions.py drops unless the background table
        # knows the phrase, wherever it stands
        return False
    if c.pos[first] == "VERB" and c.tag[first] == "VBG" and len(word) == 1:
        return True  # "designing efficient models": a gerund here is the verb of the clause
    if c.pos[first] == "VERB" and c.tag[first] == "VBN" and len(word) == 1 and previous is not None:
        # "have achieved remarkable success", ", named X": a participle after an auxiliary or a comma
        return c.pos[previous] == "AUX" or c.text[previous] in (",", ";") or c.lower[previous] in _NAMING_WORDS
    return False


@Language.component("kg_candidates", assigns=["doc._.kg_candidates"], requires=["token.pos", "token.lemma"])
def kg_candidates(doc: Doc) -> Doc:
    """Noun-phrase topic candidates from POS patterns: (ADJ|NOUN|PROPN|participle)* (NOUN|PROPN).

    Writes a list of (label, character offset, n_words, weak lead) per occurrence (weak lead: the
    first word is a participle or a rating adjective, dropped later unless the phrase is a known term); labels are lowercase with the
    head lemmatised, so "Knowledge Neurons" and "knowledge neuron" meet.
    """
    c = columns_of(doc, fresh=True)  # the first kg_ component: the others reuse this reading
    found = [candidate for run in _runs(c) if (candidate := _candidate(c, run)) is not None]
    doc._.kg_candidates = found
    return doc


def _runs(c: Columns):
    """The runs of candidate tokens (lists of token indices), in order: a run ends at a token that
    cannot be in a noun phrase, at a verb of the clause ("graphs using convex hulls") and at citations."""
    text, ws, pos, n = c.text, c.ws, c.pos, c.n
    run: list[int] = []
    for i in range(n):
        lower = c.lower[i]
        glued_hyphen = text[i] in _HYPHENS and run and not ws[run[-1]] and not ws[i] and i + 1 < n
        # "zero-shot", "3D": numbers glued to a following word belong to it
        glued_number = (
            (c.num[i] or pos[i] == "NUM") and not ws[i] and i + 1 < n and (text[i + 1] == "-" or c.alpha[i + 1])
        )
        if lower in ("et", "al", "al.", "i.e.", "e.g.") or (lower in _VERB_WORDS and run):
            ends = True
        elif glued_hyphen or glued_number or _candidate_token(c, i):
            run.append(i)
            ends = False
        else:
            ends = True
        if ends and run:
            yield run
            run = []
    if run:
        yield run


def _candidate(c: Columns, run: list[int]) -> tuple[str, int, int, bool] | None:
    """(label, character offset, n_words, weak lead) of the noun phrase in a run, or None when it holds none."""
    text, lower, ws, pos = c.text, c.lower, c.ws, c.pos
    previous = run[0] - 1 if run[0] > 0 else None
    words = _words(c, run)
    if previous is not None and text[previous] in _HYPHENS and not ws[previous] and words:
        previous = words[0][-1]
        words.pop(0)  # the tail of a broken compound: "state-of-the-art models" gives no "art model"
    while words and _strip_leading(c, words[0], previous):
        previous = words[0][-1]
        words.pop(0)
    while words and (
        pos[words[-1][-1]] not in ("NOUN", "PROPN") or text[words[-1][-1]] in _HYPHENS
        or (len(words[-1]) == 1 and is_edge_word(text[words[-1][0]]))
    ):
        words.pop()  # the head is a noun, not a number or a pronoun ("stage 2" → "stage")
    if not words:
        return None
    words = words[-5:]  # the head and its closest modifiers
    head = words[-1][-1]
    texts = ["".join(lower[i] + ws[i] for i in w).strip() for w in words]
    texts[-1] = texts[-1][: len(texts[-1]) - len(lower[head])] + _head_label(c, head)
    label = " ".join(texts)
    if len(texts) == 1 and (label in GENERIC_NOUNS or len(label) < 3 or texts[0] in _SKIP_MODIFIERS):
        return None
    if not any(ch.isalpha() for ch in label):
        return None
    first = words[0]
    leading = len(words) > 1 and len(first) == 1 and (
        c.tag[first[0]] in ("VBN", "VBG", "VBD") or lower[first[0]] in _WEAK_MODIFIERS
        or lower[first[0]] in _NAMING_WORDS
    )
    return label, c.idx[words[0][0]], len(texts), leading


def _word_like(text: str) -> bool:
    return bool(re.match(r"^[A-Za-z][A-Za-z0-9]*$", text))


@Language.component("kg_acronyms", assigns=["doc._.kg_acronyms"])
def kg_acronyms(doc: Doc) -> Doc:
    """Acronym definitions `long form (SHORT)` found with Schwartz–Hearst.

    Writes (short, long, proposed) triples; `proposed` is True when the sentence introduces the
    paper's own method ("we propose ... X (ABBR)", "named X (ABBR)").
    """
    c = columns_of(doc)
    text, n = c.text, c.n
    found: list[tuple[str, str, bool]] = []
    seen: set[str] = set()
    for i in range(n):
        if text[i] != "(":
            continue
        close = next((k for k in range(i + 1, min(i + 5, n)) if text[k] == ")"), None)
        if close is None:
            continue
        short = c.span_text(i + 1, close).strip()
        if not _valid_short_form(short) or short in seen:
            continue
        window_start = i
        limit = min(len(short) + 5, len(short) * 2)
        words = 0
        while window_start > 0 and words < limit:
            prev = window_start - 1
            if text[prev] in (".", ";", "(", ")", ":", ",") and text[prev] != "-":
                break
            window_start -= 1
            if not c.punct[prev]:
                words += 1
        window = c.span_text(window_start, i)
        long = best_long_form(short, window)
        if not long or len(long) <= len(short) or short.lower() in long.lower().split():
            continue
        if len(long.split()) > limit:
            continue
        seen.add(short)
        context = range(max(0, window_start - 12), i)
        proposed = any(c.lemma[k].lower() in _PROPOSE_LEMMAS or c.lower[k] in _NAMING_WORDS for k in context) and any(
            c.lower[k] in ("we", "our", "this", "named", "called", "dubbed", "termed") for k in context
        )
        found.append((short, long, proposed))
    doc._.kg_acronyms = found
    return doc


_NOT_NAMES = frozenset({"a", "an", "the", "new", "novel", "method", "model", "framework", "two", "types", "of", ",", "and"})


@Language.component("kg_named", assigns=["doc._.kg_named"])
def kg_named(doc: Doc) -> Doc:
    """Names the paper gives its own method: "we present Muse", "named RELIANT", "namely X and Y"."""
    c = columns_of(doc)
    text, lower, n = c.text, c.lower, c.n
    found: list[str] = []
    for i in range(n):
        trigger = lower[i] in _NAMING_WORDS or (
            c.lemma[i].lower() in _PROPOSE_LEMMAS and any(lower[k] == "we" for k in range(max(0, i - 3), i))
        )
        if not trigger:
            continue
        for k in range(i + 1, min(i + 8, n)):
            if lower[k] in _NOT_NAMES:
                continue
            name = text[k]
            if is_name_shaped(name) or (
                c.pos[k] == "PROPN" and name[:1].isupper() and name.isalpha() and len(name) > 2
                and not c.span_text(k + 1, k + 2)[:1].isupper()
            ):
                if name not in found:
                    found.append(name)
                if k + 2 < n and lower[k + 1] in ("and", "or") and is_name_shaped(text[k + 2]) and text[k + 2] not in found:
                    found.append(text[k + 2])
            break
    doc._.kg_named = found
    return doc


def _dataset_name_token(c: Columns, i: int) -> bool:
    text = c.text[i]
    return bool(text) and (is_name_shaped(text) or text[:1].isupper() and c.alpha[i])


@Language.component("kg_datasets", assigns=["doc._.kg_datasets"])
def kg_datasets(doc: Doc) -> Doc:
    """Dataset and benchmark names: the gazetteer, "<Name> dataset|benchmark", lists before such a
    word ("ImageNet-1K, COCO2017, and ADE20K benchmarks"), and "<score> on <Name>"."""
    c = columns_of(doc)
    found = _Names()
    covered = _gazetteer_datasets(c, found)
    _datasets_before_dataset_words(c, covered, found)
    _datasets_after_scores(c, covered, found)
    doc._.kg_datasets = found.names
    return doc


class _Names:
    """Names in order of first sight, one per case-insensitive spelling."""

    def __init__(self):
        self.names: list[str] = []
        self._keys: set[str] = set()

    def add(self, name: str) -> None:
        if name.lower() not in self._keys:
            self._keys.add(name.lower())
            self.names.append(name)


def _gazetteer_datasets(c: Columns, found: _Names) -> set[int]:
    """Gazetteer names: distinctive ones anywhere, plain words only before a dataset word. Returns
    the indices of the tokens they cover."""
    lowered, n = c.lower, c.n
    gazetteer = dataset_gazetteer()
    starts = _gazetteer_starts()
    covered: set[int] = set()
    i = 0
    while i < n:
        match = None
        for size in starts.get(lowered[i], ()):  # only names starting with this word, longest first
            if i + size > n:
                continue
            key = tuple(lowered[i : i + size])
            if key in gazetteer:
                match = (size, gazetteer[key])
                break
        if not match:
            i += 1
            continue
        size, canonical = match
        printed = c.span_text(i, i + size)
        distinctive = any(ch.isdigit() for ch in printed) or any(ch.isupper() for ch in printed[1:])
        next_word = lowered[i + size] if i + size < n else ""
        if distinctive or next_word in _DATASET_WORDS:
            found.add(canonical)
            covered.update(range(i, i + size))
        i += size
    return covered


def _datasets_before_dataset_words(c: Columns, covered: set[int], found: _Names) -> None:
    """"<Names> dataset(s)|benchmark(s)", walking left across lists ("A, B and C benchmarks")."""
    text, lowered = c.text, c.lower
    for i in range(c.n):
        if lowered[i] not in _DATASET_WORDS:
            continue
        j = i - 1
        names: list[str] = []
        current: list[int] = []
        while j >= 0:
            if j in covered:
                current = []
                j -= 1
                continue
            if _dataset_name_token(c, j) or (text[j] == "-" and current):
                current.insert(0, j)
            elif text[j] == "," or lowered[j] in ("and", "or"):
                if current:
                    names.append(_words_text(c, current))
                    current = []
            else:
                break
            j -= 1
        if current:
            names.append(_words_text(c, current))
        for name in reversed(names):
            if _plausible_dataset(name):
                found.add(name)


def _datasets_after_scores(c: Columns, covered: set[int], found: _Names) -> None:
    """"<number>% <metric> on <Name>"."""
    text, lowered, n = c.text, c.lower, c.n
    for i in range(n):
        if lowered[i] != "on" or i + 1 >= n:
            continue
        if not any(c.num[k] or text[k] == "%" for k in range(max(0, i - 4), i)):
            continue
        k = i + 1
        if lowered[k] == "the" and i + 2 < n:
            k = i + 2
        if is_name_shaped(text[k]) and k not in covered:
            found.add(text[k])


def _words_text(c: Columns, indices: list[int]) -> str:
    return "".join(c.text[i] + c.ws[i] for i in indices).strip()


def _plausible_dataset(name: str) -> bool:
    words = name.split()
    if not words or len(words) > 6:
        return False
    if len(words) == 1 and not is_name_shaped(words[0]) and not (words[0].isupper() and len(words[0]) >= 2):
        return False  # a lone capitalised word ("Moreover", "Large") is not a name
    if len(words) == 1 and words[0].upper() in _TASK_ACRONYMS:
        return False  # "QA datasets": a task, not a dataset's name
    return words[0].lower() not in _SKIP_MODIFIERS and words[0].lower() not in ("the", "a", "an", "our", "this", "we")


# Acronyms of tasks that stand before "dataset(s)"/"benchmark(s)" without naming one
_TASK_ACRONYMS = frozenset("QA NLI NER MT ASR OCR TTS RE IE VQA? SRL POS NLP CV RL".replace("VQA? ", "").split())
