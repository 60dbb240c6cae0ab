"""The word lists and string rules that the spaCy components (kg.extract.components) and the
ranking (kg.extract.mentions, kg.extract.zh) share: plain Python, so ranking cached findings never
imports spaCy."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

__all__ = [
    "GENERIC_NOUNS",
    "METHOD_HEADS",
    "INVARIANT_NOUNS",
    "EDGE_WORDS",
    "best_long_form",
    "dataset_gazetteer",
    "is_edge_word",
    "is_invariant",
    "is_name_shaped",
    "singular_short_form",
    "singular",
    "singular_head",
    "trim_edges",
]

# Heads so general that alone they name no topic; corpus frequency catches the rest.
GENERIC_NOUNS = frozenset(
    """
    approach approaches method methods model models paper papers work works result results performance
    task tasks problem problems data framework frameworks experiment experiments study studies analysis
    way ways number numbers set sets system systems technique techniques algorithm algorithms state art
    art-of-the-state issue issues challenge challenges application applications scenario scenarios
    setting settings variety range effectiveness efficiency superiority advantage advantages fact
    case cases example examples term terms part parts type types kind kinds lot use usage order
    paradigm aspect aspects insight insights solution solutions question questions manner end step steps
    time times level levels amount amounts quality improvement improvements gain gains domain domains
    baseline baselines benchmark benchmarks dataset datasets field fields literature researcher researchers
    people practitioner practitioners user users need needs limitation limitations property properties
    evaluation evaluations finding findings idea ideas concept concepts design designs component components
    module modules stage stages process processes strategy strategies mechanism mechanisms scheme schemes
    factor factors feature features information knowledge representation representations input inputs
    output outputs sample samples instance instances object objects image images text texts code
    accuracy cost costs resource resources impact role form forms context contexts structure structures
    version versions extension extensions variant variants comparison comparisons art. sota
    fig figs figure figures table tables eq eqs section sections ref refs appendix chapter
    """.split()
)
# Leading words that evaluate rather than name ("novel framework", "existing methods").
_SKIP_MODIFIERS = frozenset(
    """
    novel new proposed existing various different several many such other same previous recent current
    prior extensive comprehensive simple effective efficient strong significant important key main
    further additional certain specific particular general overall typical standard conventional
    traditional popular common large small good better best high higher low lower first second third
    single multiple numerous promising remarkable superior competitive challenging difficult
    state-of-the-art impressive satisfying original whole entire major minor wide broad
    own real practical potential possible unified our their its this these those
    most more much less least fewer only able next following above aforementioned given corresponding
    respective various
    """.split()
)
# Leading words that a candidate keeps only when the whole phrase is a known term ("supervised
# learning", "pretrained transformer"), else drops ("grouped network data" → "network data"):
# participles, and adjectives that rate or place rather than name.
_WEAK_MODIFIERS = frozenset(
    """
    few early earlier late later careful enough final initial expected estimated related made increased
    decreased limited improved reduced enhanced resulting obtained considered certain relevant suitable
    appropriate accurate detailed
    """.split()
)
_NAMING_WORDS = frozenset({"named", "called", "dubbed", "termed", "coined", "namely"})
# Participles that are the verb of the clause, not a modifier ("graphs using convex hulls").
_VERB_WORDS = frozenset(
    """
    using including involving containing comparing considering regarding concerning showing making
    leading providing yielding allowing enabling achieving requiring having being giving taking
    """.split()
) | _NAMING_WORDS
# Heads of long forms that name a method rather than a field or a task.
METHOD_HEADS = frozenset(
    """
    network networks net nets transformer transformers model models framework frameworks algorithm
    algorithms method methods block blocks module modules layer layers architecture architectures
    mechanism mechanisms attention encoder encoders decoder decoders autoencoder autoencoders
    estimator estimators loss optimization optimizer optimisation strategy technique procedure
    operator policy search sampling sampler regularization regularisation pruning distillation
    machine machines classifier classifiers detector detectors generator generators descriptor
    descriptors embedding embeddings tree trees filter filters approach pipeline system scheme
    unit units kernel kernels
    """.split()
)
_HYPHENS = frozenset("-‐‑–")
_NAME_RE = re.compile(r"^[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*\+*$")
_PROPOSE_LEMMAS = frozenset({"propose", "present", "introduce", "design", "develop", "devise", "build", "release"})
_DATASET_WORDS = frozenset({"dataset", "datasets", "benchmark", "benchmarks", "corpus", "corpora", "suite", "database"})


def is_name_shaped(text: str) -> bool:
    """True for tokens that look like coined names: GFNet, iRMB, CMT, COCO2017, R2RISE, ImageNet-1K.

    >>> [is_name_shaped(t) for t in ("GFNet", "CMT", "Transformer", "model", "A")]
    [True, True, False, False, False]
    """
    if len(text) < 2 or not _NAME_RE.match(text):
        return False
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False
    inner_upper = any(c.isupper() for c in text[1:])
    has_digit = any(c.isdigit() for c in text)
    return inner_upper or (has_digit and any(c.isupper() for c in text))


def singular_short_form(short: str) -> str:
    """GNNs → GNN, MDPs → MDP; other forms unchanged."""
    if len(short) > 2 and short.endswith("s") and short[:-1].isupper():
        return short[:-1]
    if len(short) > 3 and short.endswith("S") and short[:-1].isupper() and short[-2] in "NPL":
        return short[:-1]  # DNNS → DNN in machine-translated text; only after letters where a plural is usual
    return short


def best_long_form(short: str, long: str) -> str | None:
    """Schwartz–Hearst: the shortest suffix of `long` whose letters spell `short` in order, or None.

    >>> best_long_form("CMT", "a robust 3D detector, named Cross Modal Transformer")
    'Cross Modal Transformer'
    """
    s_idx, l_idx = len(short) - 1, len(long) - 1
    while s_idx >= 0:
        c = short[s_idx].lower()
        if not c.isalnum():
            s_idx -= 1
            continue
        while (l_idx >= 0 and long[l_idx].lower() != c) or (
            s_idx == 0 and l_idx > 0 and long[l_idx - 1].isalnum()
        ):
            l_idx -= 1
        if l_idx < 0:
            return None
        l_idx -= 1
        s_idx -= 1
    start = long.rfind(" ", 0, l_idx + 1) + 1
    return long[start:].strip()


def _valid_short_form(text: str) -> bool:
    return (
        2 <= len(text) <= 12
        and text[0].isalnum()
        and any(c.isupper() for c in text)
        and sum(c.isalpha() for c in text) >= 2
        and len(text.split()) <= 2
    )


@lru_cache(maxsize=1)
def dataset_gazetteer() -> dict[tuple[str, ...], str]:
    """Known dataset names keyed by their lowercased token sequence (as spaCy splits hyphens): every
    spelling of a line (``COCO | MS COCO | MSCOCO``) maps to its canonical first name."""
    table: dict[tuple[str, ...], str] = {}
    text = resources.files("kg").joinpath("data/datasets.txt").read_text(encoding="utf-8")
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            names = [n.strip() for n in line.split("|") if n.strip()]
            for name in names:
                key = tuple(t.lower() for t in re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]", name))
                table.setdefault(key, names[0])
    return table


@lru_cache(maxsize=1)
def _gazetteer_starts() -> dict[str, tuple[int, ...]]:
    """First word of each gazetteer name → the lengths (in tokens) of the names it starts, longest
    first: the scan then tries a token only against names that can match there."""
    lengths: dict[str, set[int]] = {}
    for key in dataset_gazetteer():
        lengths.setdefault(key[0], set()).add(len(key))
    return {word: tuple(sorted(ns, reverse=True)) for word, ns in lengths.items()}


# Head words that are the same in singular and plural, or have no singular a topic would use:
# mass and plural-only nouns ("social media", "time series", "news", "species", "k-means"), kept as
# written (a lemmatiser turns "media" into "medium", "series" into "serie"). Words in "-ics"
# (physics, statistics, analytics, graphics, robotics, semantics, ...) and in "-media"/"-data"
# (multimedia, metadata) are kept by rule. Real Latin/Greek plurals with a singular in use
# (criteria, phenomena, corpora) are lemmatised like any plural ("criterion").
INVARIANT_NOUNS = frozenset(
    """
    data media news series species means diabetes measles rabies herpes lens
    """.split()
)
_DATA_WORDS = {"datum": "data"}
# Words a topic phrase never starts or ends with: articles and other determiners, pronouns, numbers.
EDGE_WORDS = frozenset(
    """
    a an the this that these those each every some any such no all both either neither another
    it its we our ours us they their theirs them he his him she her i my me you your one ones
    which who whom whose what
    two three four five six seven eight nine ten eleven twelve twenty thirty fifty hundred
    hundreds thousand thousands million millions billion billions dozen dozens
    """.split()
)
_NUMBER_RE = re.compile(r"^[+-]?(?:\d+(?:[.,]\d+)*%?|\d*\.\d+%?)$")


def is_edge_word(word: str) -> bool:
    """True for a word a topic phrase must not start or end with: a determiner, a pronoun, a number.

    >>> [is_edge_word(w) for w in ("the", "our", "3", "1.5", "ten", "3d", "gpt-3")]
    [True, True, True, True, True, False, False]
    """
    word = word.lower()
    return word in EDGE_WORDS or bool(_NUMBER_RE.match(word))


def trim_edges(label: str) -> str:
    """A label without determiners, pronouns and numbers at either edge ("" when nothing is left).

    >>> trim_edges("a new evaluation metric"), trim_edges("the 3 stages"), trim_edges("stage 2")
    ('new evaluation metric', 'stages', 'stage')
    """
    words = label.split()
    while words and is_edge_word(words[0]):
        words.pop(0)
    while words and is_edge_word(words[-1]):
        words.pop()
    return " ".join(words)


def is_invariant(word: str) -> bool:
    """True for a lowercase head word with no plural to strip: physics, analytics, media, data, series.

    >>> [is_invariant(w) for w in ("media", "series", "robotics", "metadata", "networks", "criteria")]
    [True, True, True, True, False, False]
    """
    return word in INVARIANT_NOUNS or word.endswith(("ics", "media", "data"))


def singular(word: str) -> str:
    """A plain English singular for a lowercase plural head ("networks" → "network").

    Used for heads the tagger marks as proper nouns (title-case titles), where its lemmatiser does
    not apply; common nouns use the lemmatiser itself. Invariant nouns (is_invariant) stay.
    """
    if len(word) <= 3 or not word.endswith("s") or is_invariant(word):
        return word
    if word.endswith(("ss", "us", "is", "ous", "as", "ens", "ws")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zes")):
        return word[:-2]
    return word[:-1]


def singular_head(word: str) -> str:
    """The singular of a lowercase head word; invariant nouns (physics, media, series) stay.

    >>> singular_head("networks"), singular_head("dynamics"), singular_head("media")
    ('network', 'dynamics', 'media')
    """
    return singular(word)
