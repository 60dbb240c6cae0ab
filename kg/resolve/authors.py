"""Author resolution: printed names on papers → person entities, with the evidence of every merge.

Digests print authors as initials: in the dev corpus "Y Wang" stands for 112 different people. Merging
by printed name makes the collaboration map lie; keeping every mention apart makes it empty. The
resolver decides from the evidence a digest gives, and says why.

1. **Blocking.** Mentions are compared only inside a block: surname + first initial ("adams", "r").
   Inside a block two mentions can be one person only when their names are compatible (accents
   stripped, same surname, one initials sequence a prefix of the other, spelled-out given names
   equal: "Y-S Liu" ~ "Yu-Shen Liu", "Yang Liu" ≁ "Yu Liu"; see `forms_compatible` for why two
   *initials* forms must be equal), and never when they sit on the same paper (cannot-link).
2. **Scoring.** Every pair of mentions in a block gets a log-odds score, a sum of evidence terms
   weighted by `Weights`: a name prior (a surname printed with many different initials, and a name
   printed often, are ambiguous: the prior is high for "A Aizawa", low for "Y Wang"); each shared
   co-author, weighted by the rarity of the co-author's name in the build and in the block, and by how
   often the two names publish together; each shared institution, weighted by the institution's size
   and by how many mentions of the block list it, and a penalty when both papers list institutions and
   share none; the arXiv category (same / different); topic similarity (tf-idf cosine of the papers'
   content words and, when the build ran NLP, extracted topics; the idf is a background corpus's,
   kg/resolve/word_df.py, so a paper's vector does not depend on the rest of the build); and the places on the author lists
   (two last authors are often one group leader). Names printed two ways that fold to one form ("C Ré"
   / "C Re") are not told apart: gold keeps such spellings as two people, but in real data they are
   one person. The year is carried on mentions but not weighed: over a few years of papers a year gap
   says nothing, nor does the venue.
3. **Clustering.** Agglomerative, inside each block: the two clusters with the highest link are
   merged while the link exceeds `Weights.threshold`. The link is half the strongest pair score and
   half the mean pair score between the clusters, so one lucky shared co-author cannot chain two
   large groups together (single link) and a large true cluster is not diluted into refusing a
   well-evidenced newcomer (average link). Cannot-links hold at cluster level. Clusters whose name
   forms differ (a full name "Akiko Aizawa" from metadata, the initials "A Aizawa") merge only on
   direct evidence (a shared co-author or institution), never on the name prior alone.
4. **Evidence.** Each merge is kept on the author as one line: the strongest pair (paper#position),
   the log-odds of every piece of its evidence, and the cluster link (`kg explain author ID`).
5. **Reuse.** With the build's cache (kg/resolve/author_cache.py), a block whose mentions and the
   statistics its clustering reads are unchanged gets its stored clusters and lines back instead of
   being clustered again: what `kg build --update` does for the blocks a new digest does not touch.

bench/author_resolution.py measures the result on ../shared/corpus (B³ against gold full names as
written, beside merging by printed name and keeping every mention apart). Author ids are the name
slug plus a hash of the author's first mention, so they do not depend on input order.
"""

from __future__ import annotations

import hashlib
import heapq
import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, fields
from functools import lru_cache

from ..model import Author
from ..util.textnorm import fold
from .author_cache import block_digest
from .names import COMMON_SURNAMES, block_key, could_be_same_person, is_full, name_key, name_parts
from .word_df import WordDF, load_word_df

__all__ = [
    "AuthorMention",
    "Weights",
    "WEIGHTS",
    "FEATURES",
    "AuthorEvidence",
    "normalise_person_name",
    "forms_compatible",
    "resolve_authors",
    "baseline_same_name",
]


@dataclass(frozen=True)
class AuthorMention:
    """One printed author name on one paper, with the context resolution may use."""

    paper_id: str
    position: int
    printed: str
    coauthors: tuple[str, ...]  # normalised printed names of the other authors
    institutions: tuple[str, ...]  # canonical institution ids of the paper
    full_name: str | None = None  # full name from metadata of the same paper ("Ryan P. Adams"), when known
    category: str | None = None  # arXiv category of the paper ("cs.CL")
    year: int | None = None  # year of the paper, when known
    topics: tuple[str, ...] = ()  # extracted topic labels of the paper (empty when built without NLP)
    text: str = ""  # title and English abstract, for topic similarity

    @property
    def name(self) -> str:
        """The most complete form known: the full name when metadata gave one, else the printed name."""
        return self.full_name or self.printed


@lru_cache(maxsize=200_000)
def normalise_person_name(name: str) -> str:
    """Accents, case, dots and hyphens ignored: "R P. Adams" → "r p adams".

    >>> normalise_person_name("Y-S Liu")
    'y s liu'
    """
    return fold(name)


# ---------------------------------------------------------------------------------------- model

# Features of a pair of mentions, in the order of Weights' evidence fields.
FEATURES = (
    "bias",  # 1
    "ambiguity",  # log(distinct initial sets the surname is printed with in the build, ≥ 20 for COMMON_SURNAMES)
    "frequency",  # log(mentions of the name, as initials + surname, in the build)
    "coauthors",  # number of shared co-authors (compared as initials + surname)
    "coauthor_frequency",  # Σ log(mentions of each shared co-author's name in the build)
    "collaboration",  # Σ log(mentions of this name that list the shared co-author): a recurring pair
    "institutions",  # number of shared canonical institutions
    "institution_size",  # Σ log(papers of each shared institution in the build)
    "institution_conflict",  # 1 when both papers list institutions and share none
    "category",  # +1 same arXiv category, -1 different, 0 unknown
    "topics",  # tf-idf cosine of the papers' content words and topics
    "coauthor_block",  # Σ log(mentions of the block listing each shared co-author): a name common around this block
    "institution_block",  # Σ log(mentions of the block listing each shared institution)
    "last_authors",  # 1 when both are the last author of a paper with co-authors (a group leader's place)
    "first_authors",  # 1 when both are the first author
    "first_last",  # 1 when one is first author and the other last: a student's and a leader's place
)
COMMON_SURNAME_FLOOR = 20


@dataclass(frozen=True)
class Weights:
    """Log-odds weight of each evidence feature, and the clustering threshold.

    Fitted on the dev corpus (../shared/corpus) with `python bench/author_resolution.py --fit`:
    logistic regression of "same gold person" on the features of every compatible pair of mentions
    inside a block, over the even-numbered digests only, then the threshold with the best B³-F1 on
    those digests (candidates -0.5 … 1.5), then a coordinate search of every weight and the threshold
    on that B³-F1 (pairs are what the regression fits, clusters are what is judged); the
    odd-numbered digests are the held-out half. Seventeen numbers in
    all. `strongest`, COMMON_SURNAME_FLOOR and _TOP_WORDS are design constants, not tuned.
    Read as: a shared co-author whose name is printed f times in the build, listed k times with this
    name and by b mentions of the block, adds coauthors + coauthor_frequency·log f + collaboration·log k
    + coauthor_block·log b.
    """

    bias: float = 3.957
    ambiguity: float = -1.11
    frequency: float = -0.673
    coauthors: float = 4.088
    coauthor_frequency: float = -0.685
    collaboration: float = 3.258
    institutions: float = 2.046
    institution_size: float = -0.542
    institution_conflict: float = -3.149
    category: float = 0.509
    topics: float = 14.284
    coauthor_block: float = -2.385
    institution_block: float = 0.942
    last_authors: float = 1.722
    first_authors: float = -0.231
    first_last: float = -0.627
    threshold: float = 0.0  # minimum cluster link (½ strongest + ½ mean pair score) to merge
    strongest: float = 0.5  # share of the strongest pair score in the cluster link (fixed, not tuned)

    def vector(self) -> tuple[float, ...]:
        return tuple(getattr(self, name) for name in FEATURES)


WEIGHTS = Weights()

_STOPWORDS = frozenset("""
about above after again against all also among and any are based been before being below between both but
can could does doing down during each even few for from further given had has have having here how however into
its itself just more most much must new not now off once only other our ours out over own paper propose proposed
same several should show shows since some such than that the their theirs them then there these they this those
through thus too under until upon use used uses using very via was well were what when where which while who whom
why will with within without would yet your approach method methods model models results result task tasks work
""".split())
# the place features (last_authors, first_authors, first_last) of two places (0 middle, 1 first, 2 last)
_PLACE_FEATURES = (((0.0, 0.0, 0.0),) * 3, ((0.0, 0.0, 0.0), (0.0, 1.0, 0.0), (0.0, 0.0, 1.0)),
                   ((0.0, 0.0, 0.0), (0.0, 0.0, 1.0), (1.0, 0.0, 0.0)))
_TOP_WORDS = 25  # content words per paper kept for topic similarity (the highest tf-idf)
_LOG = [0.0] + [math.log(k) for k in range(1, 4096)]
_WORD = re.compile(r"[^\W_]{3,}")


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", normalise_person_name(name)).strip("-") or "unknown"


class AuthorEvidence:
    """Corpus-wide statistics the pair features need, computed once from all mentions of a build.
    `cache`: a kg.resolve.author_cache.AuthorBlockCache that keeps the papers' topic vectors."""

    def __init__(self, mentions: list[AuthorMention], cache=None):
        self.mentions = mentions
        self.keys = [name_key(m.name) for m in mentions]
        self.forms = [normalise_person_name(m.name) for m in mentions]
        self.blocks = [block_key(m.name) for m in mentions]
        # co-authors compared as initials + surname, so a full name from metadata meets its initials
        self.coauthors = [frozenset(name_key(c) for c in m.coauthors) - {k} for m, k in zip(mentions, self.keys, strict=True)]
        self.institutions = [frozenset(m.institutions) for m in mentions]
        self.name_count = Counter(self.keys)
        initial_sets: dict[str, set[str]] = defaultdict(set)
        for key in self.name_count:
            given, surname = name_parts(key)
            initial_sets[surname].add(" ".join(given))
        self.initial_sets = {surname: len(sets) for surname, sets in initial_sets.items()}
        self.ambiguity = {
            surname: max(count, COMMON_SURNAME_FLOOR if surname in COMMON_SURNAMES else 1)
            for surname, count in self.initial_sets.items()
        }
        papers: dict[str, AuthorMention] = {}
        for m in mentions:
            papers.setdefault(m.paper_id, m)
        self.institution_papers = Counter(i for m in papers.values() for i in set(m.institutions))
        self.pair_count: Counter = Counter()  # (name key, co-author key) → mentions of the name listing it
        for key, cos in zip(self.keys, self.coauthors, strict=True):
            for c in cos:
                self.pair_count[(key, c)] += 1
        # what each paper's topic vector is made of, digested (the vector's key in `cache`, and in a block's digest)
        self.text_keys = {paper_id: _text_key(m) for paper_id, m in papers.items()}
        self.topic_vectors = _topic_vectors(papers.values(), cache=cache, keys=self.text_keys)
        # per block: how many of its mentions list each co-author name and each institution
        block_co: dict[tuple[str, str], Counter] = defaultdict(Counter)
        block_inst: dict[tuple[str, str], Counter] = defaultdict(Counter)
        for b, cos, insts in zip(self.blocks, self.coauthors, self.institutions, strict=True):
            block_co[b].update(cos)
            block_inst[b].update(insts)
        self.block_coauthors = [block_co[b] for b in self.blocks]
        self.block_institutions = [block_inst[b] for b in self.blocks]
        # author position: 1 first, 2 last (of a paper with co-authors), 0 in between
        self.places = [1 if m.position == 0 else 2 if m.position == len(m.coauthors) and m.coauthors else 0 for m in mentions]
        # per mention, for the pair loop
        self.log_ambiguity = [self._log(self.ambiguity.get(name_parts(k)[1], 1)) for k in self.keys]
        self.log_count = [self._log(self.name_count[k]) for k in self.keys]
        self.categories = [m.category for m in mentions]
        self.vectors = [self.topic_vectors.get(m.paper_id) for m in mentions]

    # -- pair features

    def features(self, a: int, b: int) -> tuple[float, ...]:
        """The feature vector (FEATURES order) of mentions a and b (indices into `mentions`)."""
        key_a, key_b = self.keys[a], self.keys[b]
        shared_co = self.coauthors[a] & self.coauthors[b]
        shared_inst = self.institutions[a] & self.institutions[b]
        co_freq = co_collab = inst_size = co_block = inst_block = 0.0
        if shared_co:
            log, count, pair, block = self._log, self.name_count, self.pair_count, self.block_coauthors[a]
            for c in sorted(shared_co):
                co_freq += log(count[c])
                co_collab += log(min(pair[(key_a, c)], pair[(key_b, c)]))
                co_block += log(block[c])
        if shared_inst:
            block = self.block_institutions[a]
            for i in sorted(shared_inst):
                inst_size += self._log(self.institution_papers[i])
                inst_block += self._log(block[i])
        cat_a, cat_b = self.categories[a], self.categories[b]
        va, vb = self.vectors[a], self.vectors[b]
        topics = 0.0
        if va and vb:
            topics = sum(v * vb[w] for w, v in va.items() if w in vb)
        return (
            1.0,
            self.log_ambiguity[a],
            max(self.log_count[a], self.log_count[b]),
            float(len(shared_co)),
            co_freq,
            co_collab,
            float(len(shared_inst)),
            inst_size,
            1.0 if (self.institutions[a] and self.institutions[b] and not shared_inst) else 0.0,
            (1.0 if cat_a == cat_b else -1.0) if (cat_a and cat_b) else 0.0,
            topics,
            co_block,
            inst_block,
            *_PLACE_FEATURES[self.places[a]][self.places[b]],
        )

    def score(self, a: int, b: int, w: tuple[float, ...], topics: float | None = None) -> tuple[float, bool]:
        """The log-odds score of a pair under weights `w` (Weights.vector()) — the dot product of
        w and features(a, b), computed without building the vector (this runs for every pair of a
        block) — and whether the pair carries direct evidence (a shared co-author or institution).
        `topics`: the pair's topic similarity when the caller computed it already (see topic_overlaps)."""
        total = w[0] + w[1] * self.log_ambiguity[a] + w[2] * max(self.log_count[a], self.log_count[b])
        co_a, co_b = self.coauthors[a], self.coauthors[b]
        direct = False
        log = self._log
        if co_a and co_b and not co_a.isdisjoint(co_b):
            direct = True
            count, pair, key_a, key_b, block = self.name_count, self.pair_count, self.keys[a], self.keys[b], self.block_coauthors[a]
            for c in sorted(co_a & co_b):  # sorted: the same float sum whatever the hash seed
                total += (w[3] + w[4] * log(count[c]) + w[5] * log(min(pair[(key_a, c)], pair[(key_b, c)]))
                          + w[11] * log(block[c]))
        in_a, in_b = self.institutions[a], self.institutions[b]
        if in_a and in_b:
            if in_a.isdisjoint(in_b):
                total += w[8]
            else:
                direct = True
                block = self.block_institutions[a]
                for i in sorted(in_a & in_b):
                    total += w[6] + w[7] * log(self.institution_papers[i]) + w[12] * log(block[i])
        cat_a, cat_b = self.categories[a], self.categories[b]
        if cat_a and cat_b:
            total += w[9] if cat_a == cat_b else -w[9]
        if topics is None:
            va, vb = self.vectors[a], self.vectors[b]
            if va and vb:
                total += w[10] * sum(v * vb[word] for word, v in va.items() if word in vb)
        else:
            total += w[10] * topics
        place_a, place_b = self.places[a], self.places[b]
        if place_a and place_b:
            total += w[13] if place_a == place_b == 2 else w[14] if place_a == place_b == 1 else w[15]
        return total, direct

    def topic_overlaps(self, members: list[int]) -> dict[tuple[int, int], float]:
        """Topic similarity of every pair of `members` (local positions x < y) that shares a word,
        through an inverted index: cheaper than one set intersection per pair in large blocks."""
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        for x, i in enumerate(members):
            vector = self.vectors[i]
            if vector:
                for word, weight in vector.items():
                    postings[word].append((x, weight))
        overlaps: dict[tuple[int, int], float] = defaultdict(float)
        for plist in postings.values():
            for k, (x, wx) in enumerate(plist):
                for y, wy in plist[k + 1:]:
                    overlaps[(x, y)] += wx * wy
        return overlaps

    @staticmethod
    def _log(x: int) -> float:
        return _LOG[x] if x < len(_LOG) else math.log(x)

    def details(self, a: int, b: int) -> dict:
        """What an explanation prints about a pair: the shared items and the name statistics."""
        key_a, key_b = self.keys[a], self.keys[b]
        shared_co = sorted(self.coauthors[a] & self.coauthors[b])
        return dict(
            coauthors=[(c, self.name_count[c], min(self.pair_count[(key_a, c)], self.pair_count[(key_b, c)]),
                        self.block_coauthors[a][c]) for c in shared_co],
            institutions=[(i, self.institution_papers[i], self.block_institutions[a][i])
                          for i in sorted(self.institutions[a] & self.institutions[b])],
            surname=name_parts(key_a)[1],
            count=max(self.name_count[key_a], self.name_count[key_b]),
            key=key_a if self.name_count[key_a] >= self.name_count[key_b] else key_b,
        )

    def compatible(self, a: int, b: int) -> bool:
        """Whether a and b may be one person at all (cannot-link otherwise)."""
        if self.mentions[a].paper_id == self.mentions[b].paper_id:
            return False
        return forms_compatible(self.forms[a], self.forms[b])

    def explain(self, a: int, b: int, weights: Weights = WEIGHTS) -> str:
        """One line: the pair, every evidence term with its contribution, the total score."""
        vector, d = self.features(a, b), self.details(a, b)
        w = dict(zip(FEATURES, weights.vector(), strict=True))
        x = dict(zip(FEATURES, vector, strict=True))
        terms = []
        for co, freq, collab, block in d["coauthors"]:
            part = (w["coauthors"] + w["coauthor_frequency"] * math.log(max(1, freq))
                    + w["collaboration"] * math.log(max(1, collab)) + w["coauthor_block"] * math.log(max(1, block)))
            terms.append(f"co-author '{co}' ({freq}× in build, {collab}× with this name, {block}× in the block) {part:+.2f}")
        for inst, size, block in d["institutions"]:
            part = (w["institutions"] + w["institution_size"] * math.log(max(1, size))
                    + w["institution_block"] * math.log(max(1, block)))
            terms.append(f"institution {inst} ({size} papers, {block} mentions of the block) {part:+.2f}")
        if x["institution_conflict"]:
            terms.append(f"no shared institution {w['institution_conflict']:+.2f}")
        value, cat_a, cat_b = x["category"], self.mentions[a].category, self.mentions[b].category
        if value:
            label = f"same category {cat_a}" if value > 0 else f"categories {cat_a} / {cat_b}"
            terms.append(f"{label} {w['category'] * value:+.2f}")
        if x["topics"] > 0:
            terms.append(f"topic similarity {x['topics']:.2f} {w['topics'] * x['topics']:+.2f}")
        for feature, label in (("last_authors", "both last authors"), ("first_authors", "both first authors"),
                               ("first_last", "one first author, one last")):
            if x[feature]:
                terms.append(f"{label} {w[feature]:+.2f}")
        prior = w["bias"] + w["ambiguity"] * x["ambiguity"] + w["frequency"] * x["frequency"]
        sets = self.initial_sets.get(d["surname"], 1)
        surname = f"surname printed with {sets} initial set{'s' if sets != 1 else ''}"
        if self.ambiguity.get(d["surname"], 1) > sets:
            surname = f"common surname, counted as {self.ambiguity[d['surname']]} initial sets"
        terms.append(f"name prior '{d['key']}' ({surname}, {d['count']} mention{'s' if d['count'] != 1 else ''}) {prior:+.2f}")
        score = sum(w[f] * x[f] for f in FEATURES)
        return f"{_label(self.mentions[a])} ~ {_label(self.mentions[b])} score {score:+.2f}: " + "; ".join(terms)


def forms_compatible(a: str, b: str) -> bool:
    """Whether two name forms can be one person: the same form; or compatible names (see
    could_be_same_person) of which one is a full name or both have the same initials. Digests print a
    person's initials the same way every time (every person of the dev corpus has one printed form),
    so "R Adams" and "R P. Adams" stay apart, while "Ryan Adams" from metadata, which often drops
    middle names, may join "R P. Adams" on evidence.

    >>> forms_compatible("r adams", "r p adams"), forms_compatible("ryan adams", "r p adams")
    (False, True)
    """
    if a == b:
        return True
    if not could_be_same_person(a, b):
        return False
    return name_key(a) == name_key(b) or is_full(a) or is_full(b)


def _label(m: AuthorMention) -> str:
    return f"{m.paper_id}#{m.position}"


def _words(text: str) -> list[str]:
    # fold() is exact but slow on long texts; ASCII text (nearly every abstract) needs only lowercasing
    tokens = _WORD.findall(text.lower()) if text.isascii() else [t for t in fold(text).split() if len(t) > 2]
    return [t for t in tokens if t not in _STOPWORDS and not t.isdigit()]


def _topic_vectors(papers, background: WordDF | None = None, cache=None,
                   keys: dict[str, str] | None = None) -> dict[str, dict[str, float]]:
    """Per paper, its _TOP_WORDS highest tf-idf content words (title, abstract, topic labels) with
    weights normalised by the whole vector's length, so a dot product is a (truncated) cosine.

    The idf is a background corpus's (kg.resolve.word_df), not the build's: a paper's vector depends
    on the paper alone, so an update reuses the clusters of every block whose mentions did not change
    (kg.resolve.author_cache), and `cache` (an AuthorBlockCache) keeps each vector by the digest of
    its text and topics (`keys`: _text_key of each paper, when the caller has them). A topic label
    counts as common as its rarest word in the background (a phrase is no more common than any of
    its words)."""
    background = background if background is not None else load_word_df()
    label_idf: dict[str, float] = {}
    papers = list(papers)
    if cache is None:
        keys = {}
    elif keys is None:
        keys = {m.paper_id: _text_key(m) for m in papers}
    stored = cache.get_vectors(keys.values()) if cache is not None else {}
    vectors: dict[str, dict[str, float]] = {}
    fresh: dict[str, dict[str, float]] = {}
    for m in papers:
        key = keys.get(m.paper_id)
        vector = stored.get(key) if key is not None else None
        if vector is None:
            vector = _topic_vector(m, background, label_idf)
            if key is not None:
                fresh[key] = vector
                if len(fresh) >= 5000:  # written as it goes (a full build stores every paper's), in few commits
                    cache.put_vectors(fresh)
                    fresh = {}
        if vector:
            vectors[m.paper_id] = vector
    if fresh:
        cache.put_vectors(fresh)
    return vectors


def _text_key(m: AuthorMention) -> str:
    """What a paper's topic vector is made of: its text and topic labels, digested."""
    return hashlib.sha1("\x1f".join((str(len(m.text)), m.text, *m.topics)).encode("utf-8")).hexdigest()


def _topic_vector(m: AuthorMention, background: WordDF, label_idf: dict[str, float]) -> dict[str, float]:
    """The topic vector of one paper (see _topic_vectors); empty when it has no content word."""
    idf = background.idf
    bag = Counter(_words(m.text))
    weights = {w: (1.0 + math.log(c)) * idf(w) for w, c in bag.items()}
    for label, c in Counter(f"topic:{fold(t)}" for t in m.topics).items():
        value = label_idf.get(label)
        if value is None:
            words = _words(label[6:])
            value = label_idf[label] = max(map(idf, words)) if words else idf(label)
        weights[label] = (1.0 + math.log(c)) * value
    norm = math.sqrt(sum(v * v for v in weights.values()))
    if not norm:
        return {}
    top = sorted(((v, w) for w, v in weights.items()), reverse=True)[:_TOP_WORDS]
    return {w: v / norm for v, w in top}


# ----------------------------------------------------------------------------------- clustering


class _Link:
    """What is known between two clusters: sum and count of pair scores, the strongest pair, and
    whether any pair is a cannot-link or carries direct evidence (a shared co-author or institution)."""

    __slots__ = ("total", "pairs", "best", "best_pair", "cannot", "direct")

    def __init__(self, total=0.0, pairs=0, best=-math.inf, best_pair=None, cannot=False, direct=False):
        self.total, self.pairs, self.best, self.best_pair = total, pairs, best, best_pair
        self.cannot, self.direct = cannot, direct

    def merged(self, other: "_Link") -> "_Link":
        # the strongest pair; on a tie the first in mention order, so results do not depend on merge order
        if other.best > self.best or (other.best == self.best and other.best_pair is not None
                                      and (self.best_pair is None or other.best_pair < self.best_pair)):
            best, best_pair = other.best, other.best_pair
        else:
            best, best_pair = self.best, self.best_pair
        return _Link(self.total + other.total, self.pairs + other.pairs, best, best_pair,
                     self.cannot or other.cannot, self.direct or other.direct)

    def value(self, strongest: float) -> float:
        return strongest * self.best + (1.0 - strongest) * self.total / self.pairs


def _cluster_block(ev: AuthorEvidence, members: list[int], weights: Weights,
                   scores: dict[tuple[int, int], tuple[float, bool]] | None = None) -> list[tuple[list[int], list[str]]]:
    """Agglomerative clustering of one block (mention indices sorted by paper id and position).

    Returns the clusters, each with the evidence lines of its merges (earliest first). `scores`:
    (score, direct) of every compatible pair of local positions x < y (a pair not in it is a
    cannot-link) when the caller computed them already: the bench's weight search scores all pairs
    of a block at once with numpy; the evidence lines are then left empty.
    """
    w = weights.vector()
    n = len(members)
    clusters: dict[int, list[int]] = {k: [k] for k in range(n)}  # local positions in `members`
    forms: dict[int, frozenset[str]] = {k: frozenset([ev.forms[i]]) for k, i in enumerate(members)}
    evidence: dict[int, list[str]] = {k: [] for k in range(n)}
    links: dict[int, dict[int, _Link]] = {k: {} for k in range(n)}
    heap: list = []
    overlaps = ev.topic_overlaps(members) if scores is None else {}
    for x in range(n):
        a = members[x]
        for y in range(x + 1, n):
            b = members[y]
            if scores is None:
                pair = ev.score(a, b, w, overlaps.get((x, y), 0.0)) if ev.compatible(a, b) else None
            else:
                pair = scores.get((x, y))  # the caller left incompatible pairs out
            if pair is None:
                link = _Link(cannot=True, pairs=1)
            else:
                score, direct = pair
                link = _Link(score, 1, score, (x, y), False, direct)
                if score > weights.threshold:
                    heapq.heappush(heap, (-score, x, y))
            links[x][y] = links[y][x] = link
    next_id = n
    while heap:
        negative, x, y = heapq.heappop(heap)
        if x not in clusters or y not in clusters:
            continue
        link = links[x][y]
        union_forms = forms[x] | forms[y]
        if len(union_forms) > 1:
            # a full name and initials (or two spellings) join only on direct evidence, all compatible
            if not link.direct or not all(forms_compatible(p, q) for p in union_forms for q in union_forms if p < q):
                continue
        z = next_id
        next_id += 1
        a, b = link.best_pair
        line = ""
        if scores is None:  # the evidence lines (not needed by the bench's weight search)
            line = ev.explain(members[a], members[b], weights)
            if link.pairs > 1:
                line += f" | cluster link {link.value(weights.strongest):+.2f} over {link.pairs} pairs"
        clusters[z] = sorted(clusters.pop(x) + clusters.pop(y))
        forms[z] = union_forms
        evidence[z] = evidence.pop(x) + evidence.pop(y) + [line]
        links[z] = {}
        for other in clusters:
            if other == z:
                continue
            merged = links[x][other].merged(links[y][other])
            links[z][other] = links[other][z] = merged
            del links[other][x], links[other][y]
            if not merged.cannot:
                value = merged.value(weights.strongest)
                if value > weights.threshold:
                    heapq.heappush(heap, (-value, min(z, other), max(z, other)))
        del links[x], links[y]
    # local positions → mention indices
    out = []
    for k in sorted(clusters, key=lambda k: min(clusters[k])):
        out.append(([members[i] for i in clusters[k]], evidence[k]))
    return out



def resolve_authors(mentions: list[AuthorMention], weights: Weights = WEIGHTS,
                    cache=None) -> tuple[dict[tuple[str, int], str], list[Author]]:
    """Cluster mentions into authors.

    Returns the author id of every (paper id, position) and the authors sorted by id. Ids are the
    name slug plus a hash of the cluster's first mention, so they do not depend on input order.
    `cache`: a kg.resolve.author_cache.AuthorBlockCache; a block whose digest it holds is not
    clustered again, and the clusters of every other block are stored in it.
    """
    mentions = list(mentions)
    ev = AuthorEvidence(mentions, cache)
    blocks: dict[tuple[str, str], list[int]] = defaultdict(list)
    for i, block in enumerate(ev.blocks):
        blocks[block].append(i)
    ordered = [sorted(blocks[block], key=lambda i: (mentions[i].paper_id, mentions[i].position))
               for block in sorted(blocks)]
    del blocks
    digests: dict[int, str] = {}
    stored: dict = {}
    if cache is not None:
        digests = {k: block_digest(ev, members, weights) for k, members in enumerate(ordered) if len(members) > 1}
        stored = cache.get_many(digests.values())
    fresh: dict = {}
    assignment: dict[tuple[str, int], str] = {}
    authors: list[Author] = []
    for k, members in enumerate(ordered):
        if len(members) == 1:
            groups = [(members, [])]
        elif k in digests and digests[k] in stored:
            groups = [([members[x] for x in positions], lines) for positions, lines in stored[digests[k]]]
        else:
            groups = _cluster_block(ev, members, weights)
            if k in digests:
                local = {i: x for x, i in enumerate(members)}
                fresh[digests[k]] = [([local[i] for i in group], evidence) for group, evidence in groups]
                if len(fresh) >= 2000:  # written as it goes (a full build stores every block), in few commits
                    cache.put_many(fresh)
                    fresh = {}
        for group, evidence in groups:
            keys = sorted((mentions[i].paper_id, mentions[i].position) for i in group)
            name = _display_name([mentions[i] for i in group])
            digest = hashlib.sha1(f"{keys[0][0]}#{keys[0][1]}".encode("utf-8")).hexdigest()[:8]
            author_id = f"author:{_slug(name)}-{digest}"
            for key in keys:
                assignment[key] = author_id
            authors.append(Author(id=author_id, name=name, mentions=tuple(keys), evidence=tuple(evidence)))
    if fresh:
        cache.put_many(fresh)
    authors.sort(key=lambda a: a.id)
    return assignment, authors


def _display_name(group: list[AuthorMention]) -> str:
    """The most complete form: a spelled-out name (metadata's full name, or a printed one) over
    initials, then the most frequent, the longest, the first alphabetically."""
    counts = Counter(m.name for m in group)
    return sorted(counts.items(), key=lambda kv: (not is_full(kv[0]), -kv[1], -len(kv[0]), kv[0]))[0][0]


def baseline_same_name(mentions: list[AuthorMention]) -> dict[tuple[str, int], str]:
    """The naive rule kept for comparison: every mention with the same printed name is one person."""
    return {(m.paper_id, m.position): normalise_person_name(m.printed) for m in mentions}


def weights_from(values: dict) -> Weights:
    """Weights with some fields replaced (bench and tests)."""
    known = {f.name for f in fields(Weights)}
    return Weights(**{k: v for k, v in values.items() if k in known})
