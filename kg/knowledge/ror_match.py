"""Affiliation strings → ROR ids: "Dept. of Physics, Univ. of X, City, Country" → the organisation.

The matcher reads a whole affiliation string as printed in papers or typed into a search box and
answers one ROR id or none (it abstains when unsure). Steps:

1. *Exact*: the cleaned string is a name the lexicon knows (its alias table, a ROR name or
   synonym; :meth:`InstitutionLexicon.strict_match`) → that organisation.
2. *Candidates*: the string is cut into parts (commas, semicolons, brackets, " - ", run-together
   words such as "CONICETUniversidad"), and every run of words of every part is looked up in the
   ROR name index, exactly and in a *loose* form (accents, case and word order ignored, "Univ." /
   "Universität" / "Université" read as "university", "of", "de", "für" dropped), plus acronyms,
   hand-curated aliases, names in CJK script inside a part ("清华大学计算机系"), a fuzzy look-up
   (most of the inverse-document-frequency weight of a part's words is in a name) for parts no name
   covers, aliases learned from ROR's public matching data (``kg/data/ror_learned.tsv``) and the
   organisations a candidate is usually asserted as in that data (its parent, mostly: "Harvard
   Medical School" → Harvard University). Where the index carries countries, cities and parents
   (built from a ROR data dump) the parent is a candidate too, and the string's country or city
   counts for a candidate located there; a country in the string, or else a company's legal form
   ("GmbH", "Inc"), also counts for a company branch whose ROR name ends in that country. A
   company's legal form and the words ROR leaves out before it ("Panasonic Holdings Corporation")
   and a country after a name ("Hindawi Romania") are not part of the name (a name holding the
   country is still looked up: "Weill Cornell Medical College Qatar"); common words of names in
   other languages read as the English ones ("Instituto de Física" = Institute of Physics); a word
   the index does not know is read as the index word one edit away ("Instutute", "Wuerzburg",
   "M?xico"; of several, the one the part's other words share names with: "Ruder Boskovic"), and
   two words as one the index knows ("Hang Kong" → Hangkong).
3. *Scoring*: each candidate organisation gets features (how it matched, how much of its part it
   covers, where its part stands — the organisation is usually the last part before the address —,
   what kind of organisation its name says, how often the training data asserted it when it was a
   candidate) and a logistic model learned from the training data scores it; the best candidate is
   the answer when its score reaches the learned threshold, else the matcher abstains. Where several
   organisations share the name found (a company ROR lists once per country: "Fujitsu"), one of
   them is picked — the one in the country the string names, else the one the training data
   asserted, else the one with the most names in the index (the head office, often), else the one
   in the country the training data meant most for shared names — and scored as if the name were
   its own; the others keep the penalty of a shared name.

Everything learned is derived by ``scripts/build_ror_learned.py`` from ROR's affiliation-matching
training data (MIT licence); ``bench/ror_matching.py`` measures the matcher cross-validated.
"""

from __future__ import annotations

import hashlib
import html
import math
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from .institutions import (
    _COUNTRY_KEYS,
    _FIELD_WORDS,
    InstitutionLexicon,
    _data_path,
    fold_accents,
    load_lexicon,
    normalise_name,
    strip_country_suffix,
)

__all__ = [
    "Affiliation",
    "AffiliationMatcher",
    "Candidate",
    "LearnedTables",
    "load_matcher",
    "load_learned",
    "loose_words",
    "loose_key",
    "split_parts",
    "clean_text",
    "countries_in",
    "name_kind",
    "read_lines",
    "match_lines",
    "format_answer",
    "FEATURES",
    "FORMATS",
    "DEFAULT_WEIGHTS",
]

LEARNED_FILE = "ror_learned.tsv"

# -- normalising ----------------------------------------------------------------------------------

# Words that mean the same in the loose form (after accents are folded and case is dropped).
_SYNONYMS = {
    "university": """univ uni universitat universitaet universite universidad universidade universita
        universiteit universitet universitatea univerzita univerzitet uniwersytet universiti
        universitas universitetet universitaria yliopisto egyetem universitesi universitetas""",
    "institute": "inst institut instituto istituto institutet instytut institutes insitute institue",
    "technical": "technische technischen technischer tecnica tecnico technique tech",
    "technology": "technologie tecnologia tecnologica technologies technol",
    "hospital": "hopital hosp ospedale hospitalier hospitalar hospitales hospitals",
    "center": "centre centro zentrum centrum ctr cntr center centres centers",
    "laboratory": "laboratoire laboratorio lab labs laboratories laboratorium",
    "national": "nacional nationale nazionale nationaal natl",
    "science": "sciences sci scienze ciencias ciencia sciense",
    "research": "recherche investigacion investigaciones pesquisa ricerca res forschung",
    "foundation": "fondation fundacion fundacao fondazione stiftung",
    "school": "ecole escuela scuola sch",
    "college": "colegio coll",
    "academy": "academie akademie academia akademia acad",
    "medical": "medicale medico medica med medizinische",
    "medicine": "medecine medicina medizin",
    "department": "dept dep departement departamento dipartimento",
    "polytechnic": "politecnico polytechnique politecnica polytechnique",
    "st": "saint sankt",
    "federal": "federale federala",
    "state": "estadual estatal",
    "agricultural": "agricultura agricole agraria agrarian",
    "autonomous": "autonoma autonomo autonome",
    "catholic": "catolica catolico cattolica katholieke katholische catholique",
    "pedagogical": "pedagogica pedagogico pedagogique padagogische",
    "technological": "tecnologica tecnologico technologique technologische",
    "normal": "normale",
    "superior": "superiore superieure superieur",
    "council": "consiglio conseil consejo",
    # cities that ROR names in English
    "vienna": "wien", "munich": "munchen", "cologne": "koln", "prague": "praha", "warsaw": "warszawa",
    "rome": "roma", "milan": "milano", "florence": "firenze", "naples": "napoli", "turin": "torino",
    "venice": "venezia", "geneva": "geneve", "lisbon": "lisboa", "seville": "sevilla",
    "brussels": "bruxelles brussel", "copenhagen": "kobenhavn", "gothenburg": "goteborg",
    "moscow": "moskva", "athens": "athina", "nuremberg": "nurnberg",
}
_SYNONYMS["university"] += " hochschule fachhochschule hogeschool"
# Words of research organisations' names in other languages (ROR names most in English only).
for _base, _variants in {
    "physics": "fisica physik physique fizika",
    "chemistry": "chimica quimica chimie chemie",
    "biology": "biologia biologie",
    "mathematics": "matematica matematicas mathematik mathematiques",
    "material": "materiales materiali materiaux materialien materiais materials",
    "engineering": "ingenieria ingegneria engenharia ingenierie",
    "applied": "angewandte aplicada aplicadas aplicado applicata applicate appliquee appliquees",
    "energy": "energia energie",
    "scientific": "cientifica cientificas cientifico cientificos scientifica scientifiche scientifico scientifique",
    "technical": "tecnicas tecnicos",
    "defense": "defensa defesa difesa defence",
    "microelectronics": "mikroelektronik microelectronica microelettronica microelectronique",
    "nanotechnology": "nanotecnologia nanotechnologie",
    "condensed": "condensata condensada",
    "informatics": "informatica informatique informatik",
    "electronics": "electronica elettronica electronique elektronik",
    "telecommunications": "telecomunicaciones telecomunicazioni telecomunicacoes",
    "complex": "complejos complessi complexes",
    "system": "sistemas sistemi systemes systems",
    "interdisciplinary": "interdisciplinar interdisciplinare interdisciplinaire",
    "advanced": "avanzados avanzadas avanzati avanzate avancados avancees",
    "study": "studies estudios studi etudes studien",
    "environmental": "ambiental ambientale ambientali",
    "health": "salud saude sante salute gesundheit",
    "agricultural": "agriculture",
    "science": "wissenschaften",
}.items():
    _SYNONYMS[_base] = f"{_SYNONYMS.get(_base, '')} {_variants}"
_WORD_MAP = {variant: base for base, variants in _SYNONYMS.items() for variant in variants.split()}
# Compounds read as two words: "Universitätsklinikum Tübingen" = University Hospital Tübingen.
_COMPOUNDS = {
    "universitatsklinikum": ("university", "hospital"),
    "uniklinikum": ("university", "hospital"),
    "uniklinik": ("university", "hospital"),
    "universitatsmedizin": ("university", "medicine"),
    "universitatsspital": ("university", "hospital"),
    "universitetssjukhuset": ("university", "hospital"),
    "forschungszentrum": ("research", "center"),
    "klinikum": ("hospital",),
}
_STOP = frozenset(
    """of the de di du der des la le les del della delle dello do da das dos zu fur for and et und y e
    at in l d a an on i von van den het til og och degli dello studi s""".split()
)
# Small words no name starts or ends with ("De Montfort", "La Trobe", "Le Mans" do start with theirs).
_EDGE_STOP = frozenset("of the and for at in on und et y e an a des du der di del della zu fur".split())
# Legal forms of companies, left out of the loose form: "Fujitsu Ltd" is Fujitsu.
_LEGAL = frozenset(
    """ltd limited inc incorporated gmbh corp corporation co llc plc ag sa srl spa bv pvt sarl sas
    kg ev""".split()
)

# Words before a legal form that ROR leaves out of a company's name: "Panasonic Holdings Corporation".
_CORPORATE = frozenset("holdings holding international group company".split())

# Types of organisation that a name's words say, strongest first.
_KIND_WORDS = (
    ("company", "ltd limited inc gmbh corp corporation co company ag sa plc llc srl bv spa kk ab oy as"),
    ("hospital", "hospital hospitals clinic clinics klinikum infirmary clinica"),
    ("university", "university college universities polytechnic"),
    ("institute", "institute academy"),
    ("unit", "department faculty school division program programme group unit section"),
    ("center", "center laboratory observatory station museum"),
    ("agency", "ministry agency council foundation society association service office"),
)
_KIND_OF_WORD = {word: kind for kind, words in _KIND_WORDS for word in words.split()}
KINDS = tuple(kind for kind, _ in _KIND_WORDS)
_COUNTRY_WORDS = frozenset(word for key in _COUNTRY_KEYS for word in key.split())
_COUNTRY_ALIASES = {
    "usa": "united states", "us": "united states", "united states of america": "united states",
    "uk": "united kingdom", "england": "united kingdom", "scotland": "united kingdom",
    "wales": "united kingdom", "great britain": "united kingdom", "korea": "south korea",
    "republic of korea": "south korea", "the netherlands": "netherlands", "holland": "netherlands",
    "prc": "china", "p r china": "china", "pr china": "china", "cn": "china", "czech republic": "czechia",
    "deutschland": "germany", "espana": "spain", "italia": "italy", "brasil": "brazil",
    "turkiye": "turkey", "viet nam": "vietnam", "roc": "taiwan", "hongkong": "hong kong",
    "russian federation": "russia", "the united kingdom": "united kingdom", "the united states": "united states",
}
_COUNTRY_CODES = frozenset({"cn", "usa", "uk", "prc"})
# Legal forms that say which country a company is registered in.
_LEGAL_COUNTRY = {
    "gmbh": ("germany", "austria", "switzerland"), "ag": ("germany", "austria", "switzerland"),
    "kk": ("japan",), "inc": ("united states",), "llc": ("united states",),
    "sas": ("france",), "sarl": ("france",), "bv": ("netherlands",), "spa": ("italy",), "srl": ("italy",),
    "ab": ("sweden",), "oy": ("finland",), "plc": ("united kingdom",), "pty": ("australia",),
    "pvt": ("india",),
}

# Text before the organisation that names none: "Current address: …", "Currently with …".
_PREFIX = re.compile(
    r"^\s*(?:present(?:ly)?|current(?:ly)?|permanent(?:ly)?|also|now)"
    r"(?:\s*:\s*|\s+(?:address(?:es)?|at|with|in)(?:\s*:\s*|\s+|(?-i:(?=[A-Z]))))",
    re.I,
)
_QUOTES = str.maketrans({ch: " " for ch in "\u00a0\"“”„«»"})
_LOST_LETTER = re.compile(r"(?<=[^\W\d_])[?\ufffd](?=[^\W\d_])")
_FOOTNOTE = re.compile(r"(?<=\D)\s\d{1,3}\s*(?=[,.;]|\s[A-Z])")  # "Mayo Clinic 11 , Rochester"
_POSTCODE = re.compile(r"\b[A-Z]{0,2}-?\d[\d\- ]{3,8}\d\b")
_CAMEL = re.compile(r"(?<=[a-z]{2})(?=[A-Z][a-z]{2})|(?<=[A-Z]{3})(?=[A-Z][a-z]{3})")
_PART_SPLIT = re.compile(r"\s*(?:[,;|/()\[\]{}]|\s[-–—]\s|\s-|-\s|–|—|\bc/o\b)\s*")
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z&\-]*[A-Z]\b|\b[A-Z]{2,}[a-z]?\b")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_MAX_SPAN = 12
_MAX_TOKENS = 60
_MAX_FUZZY_PARTS = 8
_MAX_IDS = 16
_MAX_POSTINGS = 1500
_UNSEEN_IDF = 12.0
_MIN_FIX = 5  # the least length of a word read as a misspelling
_COUNTRY_SHRINK = 10.0  # pseudo-counts pulling a country's learned rate towards the mean
# Parts naming a unit, not an organisation: no fuzzy look-up for them.
_UNIT_FIRST = frozenset("department dept departement departamento dipartimento division faculty section unit program programme".split())


_norm = lru_cache(maxsize=1 << 16)(normalise_name)  # the same names and parts come again and again


def _words(text: str) -> list[str]:
    return "".join(ch if ch.isalnum() else " " for ch in text).split()


def loose_words(words) -> list[str]:
    """Content words of a normalised name with synonyms and other-language words merged.

    >>> loose_words("technische universitat munchen".split())
    ['technical', 'university', 'munich']
    >>> loose_words("univ of the basque country".split())
    ['university', 'basque', 'country']
    """
    out: list[str] = []
    for word in words:
        if word in _STOP or word in _LEGAL:
            continue
        compound = _COMPOUNDS.get(word)
        if compound:
            out.extend(compound)
        else:
            word = _WORD_MAP.get(word, word)
            if len(word) > 4 and word[-1] == "s" and word[-2] not in "su" and not word.endswith("is"):
                word = word[:-1]  # a light plural: "Childrens" and "Children s", "Sciences"
            out.append(word)
    return out


def loose_key(words) -> str:
    """The word-order free key of a name: its loose words, sorted, each once."""
    return " ".join(sorted(set(loose_words(words))))


def clean_text(text: str) -> str:
    """The affiliation string without HTML entities, line breaks, address prefixes and footnote numbers."""
    text = html.unescape(text)
    text = " ".join(text.translate(_QUOTES).split())
    text = text.strip(" \t\"'`“”‘’«»,;:.")
    text = _PREFIX.sub("", text, count=1) if _PREFIX.match(text) else text
    text = _FOOTNOTE.sub(" ", text)
    text = _LOST_LETTER.sub("", text)  # "M?xico": the word is read with the letter missing
    return text


def split_parts(text: str) -> list[str]:
    """The parts of an affiliation string, in order: "A, B (C); D" → ["A", "B", "C", "D"].

    >>> split_parts("Dept. of Physics, Univ. of Oslo (UiO) - Oslo; Norway")
    ['Dept. of Physics', 'Univ. of Oslo', 'UiO', 'Oslo', 'Norway']
    """
    return [part for part in _PART_SPLIT.split(text) if part and any(ch.isalnum() for ch in part)]


def name_kind(words) -> str | None:
    """The kind of organisation a name's words say: "company", "hospital", "university", …"""
    found = {_KIND_OF_WORD[w] for w in words if w in _KIND_OF_WORD}
    for kind in KINDS:
        if kind in found:
            return kind
    return None


# -- candidates -----------------------------------------------------------------------------------


@dataclass
class Candidate:
    """One organisation a string may name, with the evidence of its best span."""

    ror_id: str
    kind: str  # exact | alias | loose | acronym | learned | related | parent
    part: int  # index of the part of the string it was found in
    start: int
    end: int
    part_len: int
    status: str  # name | synonym | short | alias | learned
    ambiguity: int  # organisations sharing the span
    spans: int = 1  # distinct spans naming it
    share: float = 1.0  # for "related"/"learned": how often the training data asserted it
    from_id: str | None = None
    contained: bool = False  # its span lies inside a longer span naming another organisation
    left: bool = False  # a proper word stands just before its span ("Lendi [Institute of Engineering]")
    right: bool = False  # a proper word follows its span, past small words ("[Nanjing University] of Aeronautics")
    corrected: bool = False  # found once a misspelt word was read as the index word it is nearest to


@dataclass(frozen=True)
class Affiliation:
    """The answer for one affiliation string: ``ror_id`` bare ("05x2bcf33") or None."""

    input: str
    ror_id: str | None
    name: str | None
    score: float
    via: str | None
    ambiguity: int = 1  # organisations sharing the name the answer was found by
    whole: bool = True  # that name is a whole part of the string, not words inside one

    def as_dict(self) -> dict:
        return {
            "input": self.input,
            "ror": f"https://ror.org/{self.ror_id}" if self.ror_id else None,
            "name": self.name,
            "score": round(self.score, 3),
            "via": self.via,
        }


@dataclass
class LearnedTables:
    """What the training data teaches: aliases, related organisations, per-id priors, the scorer.

    ``aliases``: loose key of a part → (ROR id, times, share); ``related``: candidate id → (asserted
    id, times, share) for organisations asserted in place of a candidate (a parent, mostly);
    ``seen``: ROR id → (times it was a candidate, times it was the asserted one);
    ``countries``: country → (times a candidate sharing its name with other organisations was located
    there, times such a candidate was the asserted one): which country's record of a name several
    organisations share (a company listed once per country) is usually meant;
    ``weights``: feature name → weight; ``threshold``: the least score answered.
    """

    aliases: dict = field(default_factory=dict)
    related: dict = field(default_factory=dict)
    seen: dict = field(default_factory=dict)
    countries: dict = field(default_factory=dict)
    weights: dict = field(default_factory=dict)
    threshold: float = 0.5


FEATURES = (
    "bias",
    "k_exact", "k_alias", "k_loose", "k_acronym", "k_learned", "k_related", "k_parent", "k_fuzzy",
    "contained", "left_proper", "right_proper", "fuzzy",
    "whole_part", "coverage", "span_words", "single_word", "tail_of_part",
    "st_name", "st_synonym", "st_short", "log_ambiguity", "ambiguous",
    "spans", "last_org_part", "parts_after", "first_part", "n_candidates",
    *(f"name_{k}" for k in KINDS), "name_none", "uni_unit",
    "prior", "prior_seen", "share", "hint", "hint_other", "hint_ambiguous", "lead", "is_parent",
    "one_part", "whole_exact",
    "group_top", "group_top_multi", "group_tie", "group_names_top", "group_multi_whole",
    "corrected", "tail_other", "legal_form", "left_short",
)


# The matcher's index (AffiliationMatcher._make_index), made from the lexicon alone
_INDEX_FIELDS = ("_loose", "_name_count", "_vocab", "_initials", "_cjk", "_idf", "_keys", "_key_words", "_key_weight",
                 "_postings")


class AffiliationMatcher:
    """Match affiliation strings to ROR ids; see the module docstring.

    Parameters
    ----------
    lexicon : InstitutionLexicon
    learned : LearnedTables, optional
        Defaults to nothing learned: hand-set weights (``DEFAULT_WEIGHTS``).
    """

    def __init__(self, lexicon: InstitutionLexicon, learned: LearnedTables | None = None) -> None:
        self.lexicon = lexicon
        self.learned = learned if learned is not None else LearnedTables(weights=dict(DEFAULT_WEIGHTS), threshold=0.5)
        self._loose: dict[str, dict[str, str]] = {}
        self._built = False
        # where the built index may be kept between runs (kg.resolve.ror_index: a build's cache)
        self.index_cache = None
        self._rates_of: dict | None = None
        self._fixes: dict[str, tuple[str, ...]] = {}
        self._rates_base = 0.5

    def country(self, ror_id: str) -> str | None:
        """The country of an organisation: the index's country column, else its label's "(Country)"."""
        country = self.lexicon.ror_country(ror_id)
        if country:
            return _COUNTRY_ALIASES.get(_norm(country), _norm(country))
        return label_country(self.lexicon._labels.get(ror_id, ""))

    def with_tables(self, learned: LearnedTables) -> AffiliationMatcher:
        """A matcher sharing this one's lexicon and indexes, with other learned tables."""
        other = AffiliationMatcher(self.lexicon, learned)
        if not self._built:
            self._build()
        other.__dict__.update({k: v for k, v in self.__dict__.items() if k not in ("learned",)})
        return other

    # -- index ---------------------------------------------------------------------------------

    def index_key(self) -> str | None:
        """A digest of everything the index is made from (this code, the lexicon's files, the
        Python that marshals it), or None for a lexicon not read from files."""
        files = self.lexicon.source_files
        if not files:
            return None
        digest = hashlib.sha256(f"python-{sys.version_info[0]}.{sys.version_info[1]}".encode())
        for path in (Path(__file__), Path(__file__).with_name("institutions.py"), *files):
            digest.update(str(path.name).encode() + b"\0" + Path(path).read_bytes())
        return digest.hexdigest()[:16]

    def _build(self) -> None:
        # building the index takes ~2 s; a build keeps it (index_cache) so an update that meets one
        # new affiliation does not pay that again
        key = self.index_key() if self.index_cache is not None else None
        index = self.index_cache.get(key) if key is not None else None
        if index is None or set(index) != set(_INDEX_FIELDS):
            index = self._make_index()
            if key is not None:
                self.index_cache.put(key, index)
        self.__dict__.update(index)
        import numpy as np

        self._key_weight_array = np.asarray(self._key_weight, dtype=float)
        self._acc = np.zeros(len(self._keys), dtype=float)
        self._arrays: dict[str, object] = {}
        self._built = True

    def _make_index(self) -> dict:
        """The index's tables (_INDEX_FIELDS), from the lexicon: plain dicts, lists, tuples, strings
        and numbers, so marshal keeps them."""
        rank = {"name": 0, "synonym": 1, "short": 2}
        loose: dict[str, dict[str, str]] = defaultdict(dict)
        names: Counter = Counter()  # names in the index of each organisation
        vocab: Counter = Counter()  # words of the index's names, how many names hold each
        for norm, rows in self.lexicon.ror_names.items():
            split = norm.split()
            vocab.update(set(split))
            names.update(ror_id for ror_id, _status in rows)
            key = loose_key(split)
            if not key:
                continue
            bucket = loose[key]
            for ror_id, status in rows:
                if ror_id not in bucket or rank[status] < rank[bucket[ror_id]]:
                    bucket[ror_id] = status
        initials: dict[str, set[str]] = defaultdict(set)
        for ror_id, label in self.lexicon._labels.items():
            words = [w for w in _norm(strip_country_suffix(label)).split() if w not in _STOP]
            if len(words) >= 4:
                initials["".join(w[0] for w in words)].add(ror_id)
        # the fuzzy index: loose keys by word, with inverse document frequencies
        keys = list(loose)
        postings: dict[str, list[int]] = defaultdict(list)
        for number, key in enumerate(keys):
            for word in key.split():
                postings[word].append(number)
        total = len(keys) + 1
        idf = {word: math.log(total / len(ids)) for word, ids in postings.items()}
        key_words = [tuple(key.split()) for key in keys]
        return {
            "_loose": dict(loose),
            "_name_count": dict(names),
            "_vocab": dict(vocab),
            "_initials": {key: tuple(sorted(ids)) for key, ids in initials.items() if len(ids) <= 3},
            "_cjk": [(norm, sorted({r for r, _ in rows})) for norm, rows in self.lexicon.ror_names.items()
                     if len(norm) >= 2 and _CJK.search(norm) and " " not in norm],
            "_idf": idf,
            "_keys": keys,
            "_key_words": key_words,
            "_key_weight": [sum(idf[w] for w in words) for words in key_words],
            "_postings": dict(postings),
        }

    # -- candidates ----------------------------------------------------------------------------

    def _lookup(self, words: list[str]) -> tuple[str, dict[str, str]] | None:
        """(kind, {id: status}) for a run of normalised words: exact, then alias, then loose."""
        norm = " ".join(words)
        rows = self.lexicon.ror_names.get(norm)
        if rows:
            best: dict[str, str] = {}
            for ror_id, status in rows:
                best.setdefault(ror_id, status)
            return "exact", best
        alias = self.lexicon.folded_alias(norm)
        if alias is not None:
            return "alias", {alias: "alias"}
        key = loose_key(words)
        if key and key in self._loose:
            if " " in key or (len(words) > 1 and all(w in _LEGAL for w in words[1:])):
                return "loose", self._loose[key]  # "Fujitsu Ltd": Fujitsu
        return None

    def _known(self, word: str) -> bool:
        if (word in self._vocab or word in _WORD_MAP or word in _STOP or word in _LEGAL or word in _COMPOUNDS
                or word in _COUNTRY_WORDS or word in _COUNTRY_ALIASES):
            return True
        loose = loose_words([word])
        return bool(loose) and all(w in self._idf for w in loose)

    def _spelling(self, word: str, context: list[str] = ()) -> str | None:
        """The index word a word the index does not know is a misspelling of: German "ue" for "ü"
        ("Wuerzburg"), else one letter left out, added, changed or two swapped ("Instutute"): of
        several such words, the one most names share with the `context` words ("Ruder Boskovic" →
        Rudjer, not the more frequent Rider), then the most frequent; None when there is none (or
        the word is short, a number or known)."""
        near = self._near(word)
        if len(near) > 1 and context:
            together = self._together(near, context)
            if together is not None:
                return together
        return near[0] if near else None

    def _near(self, word: str) -> tuple[str, ...]:
        """The index words a word the index does not know may be a misspelling of, most frequent first."""
        if word in self._fixes:
            return self._fixes[word]
        near: tuple[str, ...] = ()
        if len(word) >= _MIN_FIX and word.isascii() and word.isalpha() and not self._known(word):
            umlaut = word.replace("ue", "u").replace("oe", "o").replace("ae", "a")
            if umlaut != word and self._known(umlaut):
                near = (umlaut,)
            else:
                letters = "abcdefghijklmnopqrstuvwxyz"
                splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
                edits = {a + b[1:] for a, b in splits if b}
                edits.update(a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1)
                edits.update(a + c + b[1:] for a, b in splits if b for c in letters)
                edits.update(a + c + b for a, b in splits for c in letters)
                edits.discard(word)
                vocab = self._vocab
                near = tuple(sorted((w for w in edits if w in vocab), key=lambda w: (vocab[w], w), reverse=True))
        if len(self._fixes) < 100_000:
            self._fixes[word] = near
        return near

    def _together(self, near: tuple[str, ...], context: list[str]) -> str | None:
        """Of `near`, the word whose names share most with the names of the (rarer) `context` words;
        None when none shares any."""
        postings = self._postings
        keys: set[int] = set()
        for word in loose_words(context):
            ids = postings.get(word)
            if ids is not None and len(ids) <= _MAX_POSTINGS:
                keys.update(ids)
        if not keys:
            return None
        best, best_shared = None, 0
        for word in near:
            loose = loose_words([word])
            ids = postings.get(loose[0]) if loose else None
            if ids is None or len(ids) > _MAX_POSTINGS:
                continue
            shared = sum(1 for i in ids if i in keys)
            if shared > best_shared:
                best, best_shared = word, shared
        return best

    def _corrected(self, words: list[str]) -> tuple[list[str], list[int]] | None:
        """`words` with misspelt words read as the index words they are nearest to, and two words
        run together where the index knows them as one ("Hang Kong" → "hangkong"), with the
        positions changed; None when nothing changes."""
        if len(words) > _MAX_SPAN:
            return None
        out: list[str] = []
        changed: list[int] = []
        i = 0
        while i < len(words):
            word = words[i]
            if i + 1 < len(words):
                joined = word + words[i + 1]
                if (len(joined) >= 6 and joined in self._vocab and word not in _STOP
                        and words[i + 1] not in _STOP and joined.isalpha()):
                    changed.append(len(out))
                    out.append(joined)
                    i += 2
                    continue
            fix = self._spelling(word, words[:i] + words[i + 1 :])
            if fix is not None:
                changed.append(len(out))
            out.append(fix or word)
            i += 1
        return (out, changed) if changed else None

    def _cjk_inside(self, part: str) -> list[tuple[str, str]]:
        """Registry names in CJK script that `part` contains, the longest of nested ones only."""
        text = _norm(part).replace(" ", "")
        hits = [(label, ids) for label, ids in self._cjk if label in text]
        out = []
        for label, ids in hits:
            if any(label != other and label in other for other, _ in hits):
                continue
            out.extend((label, ror_id) for ror_id in ids if len(ids) == 1)
        return out

    def _posting_array(self, word: str):
        array = self._arrays.get(word)
        if array is None:
            import numpy as np

            array = self._arrays[word] = np.asarray(self._postings[word], dtype=np.int64)
        return array

    def _fuzzy(self, words: list[str], limit: int = 3) -> list[tuple[float, float, str]]:
        """Loose keys sharing most of the weight of `words` (inverse document frequency of their
        words): (share of the key's weight covered, share of the part's weight covered, key), best first."""
        query = sorted(set(loose_words(words)))  # one order: float sums, hence ties, the same every run
        if len(query) < 2:
            return []
        idf = self._idf
        known = [w for w in query if w in idf]
        if len(known) < 2:
            return []
        import numpy as np

        frequent, rare = [], []
        for word in known:
            ids = self._postings[word]
            (frequent if len(ids) > _MAX_POSTINGS else rare).append(word)
        if not rare:
            return []
        acc = self._acc
        arrays = [self._posting_array(word) for word in rare]
        for word, ids in zip(rare, arrays, strict=True):
            acc[ids] += idf[word]
        touched = np.unique(np.concatenate(arrays)) if len(arrays) > 1 else arrays[0]
        common = acc[touched]
        acc[touched] = 0.0
        q_weight = sum(idf.get(w, _UNSEEN_IDF) for w in query)
        frequent_weight = sum(idf[w] for w in frequent)
        k_weight = self._key_weight_array[touched]
        keep = (common + frequent_weight >= 0.6 * k_weight) & (common + frequent_weight >= 0.5 * q_weight)
        out = []
        key_words = self._key_words
        for number, shared, weight in zip(touched[keep].tolist(), common[keep].tolist(),
                                          k_weight[keep].tolist(), strict=True):
            kw = key_words[number]
            if len(kw) < 2:
                continue
            if frequent:
                shared += sum(idf[w] for w in frequent if w in kw)
            name_cov, part_cov = shared / weight, shared / q_weight
            if name_cov >= 0.6 and part_cov >= 0.5:
                out.append((name_cov, part_cov, self._keys[number]))
        out.sort(key=lambda t: (-(t[0] + t[1]), t[2]))
        return out[:limit]

    def candidates(self, text: str) -> tuple[list[str], list[Candidate]]:
        """The parts of `text` and every organisation its words may name (one Candidate per id)."""
        parts, keys, found = self.registry_candidates(text)
        return parts, self.with_learned(keys, found, self.learned)

    def registry_candidates(self, text: str) -> tuple[list[str], list[str], dict[str, Candidate]]:
        """Parts, their loose keys, and the candidates the registry and alias table give (id → Candidate)."""
        if not self._built:
            self._build()
        parts = split_parts(text)
        keys: list[str] = []
        found: dict[str, Candidate] = {}
        spans: dict[str, set] = defaultdict(set)
        runs: list[tuple[int, int, int, str]] = []  # (part, start, end, id) of every span

        def offer(cand: Candidate) -> None:
            spans[cand.ror_id].add((cand.part, cand.start, cand.end))
            runs.append((cand.part, cand.start, cand.end, cand.ror_id))
            old = found.get(cand.ror_id)
            if old is None or _evidence(cand) > _evidence(old):
                found[cand.ror_id] = cand

        previous_words: list[str] = []
        named = False  # a part so far is wholly the name of one organisation
        for index, part in enumerate(parts):
            raw = _norm(part).split()[:_MAX_TOKENS]
            words = _without_legal_tail(_without_country_tail(raw))
            keys.append(loose_key(words))
            joined = " ".join(words)
            if not words or joined in _COUNTRY_KEYS or joined in _COUNTRY_ALIASES:
                continue
            n = len(words)
            # an acronym standing after the name it abbreviates adds nothing: "… Meteorology (IITM)"
            if n == 1 and _ACRONYM.fullmatch(part.strip()) and _spells(part, previous_words):
                previous_words = words
                continue
            previous_words = words
            # a city after the organisation, before the country: "MIT CSAIL, Cambridge, MA, USA"
            if found and n <= 2 and index > 0 and all(_address_like(p) for p in parts[index + 1 :]) \
                    and index + 1 < len(parts):
                continue
            # or ending the string, after a part that names one organisation whole: "University of
            # South Carolina, Columbia" (Columbia is a city here, not Columbia University)
            if named and n == 1 and index + 1 == len(parts):
                continue
            alias = self.lexicon._alias_match(part)
            if alias is not None and alias.ror_id:
                offer(Candidate(alias.ror_id, "alias", index, 0, n, n, "alias", 1))
            whole = False
            # (words, the positions a span must cover or None, read with corrected spelling)
            variants: list[tuple[list[str], range | list[int] | None, bool]] = [(words, None, False)]
            camel = _CAMEL.sub(" ", part)
            if camel != part:
                split_words = _without_country_tail(_norm(camel).split()[:_MAX_TOKENS])
                if split_words != words:
                    variants.append((split_words, None, False))
            if n < len(raw) <= _MAX_SPAN and _without_country_tail(raw) != raw:  # the country left on: "Air China"
                variants.append((raw, range(n, len(raw)), False))
            corrected_words = self._corrected(words)
            fixed = None
            if corrected_words is not None:
                fixed = corrected_words[0]
                variants.append((fixed, corrected_words[1], True))
            for run_words, needed, corrected in variants:
                m = len(run_words)
                for size in range(min(m, _MAX_SPAN), 0, -1):
                    for start in range(0, m - size + 1):
                        if needed is not None and not any(start <= i < start + size for i in needed):
                            continue  # found from the first variant already
                        run = run_words[start : start + size]
                        if size < m and (run[0] in _EDGE_STOP or run[-1] in _EDGE_STOP):
                            continue  # no name starts or ends with "of", "the", "and"
                        if size == 1 and (len(run[0]) < 4 or run[0] in _STOP or run[0] in _KIND_OF_WORD
                                          or run[0] in _WORD_MAP or run[0] in _LEGAL):
                            continue
                        hit = self._lookup(run)
                        if hit is None:
                            continue
                        kind, ids = hit
                        if len(ids) > _MAX_IDS:
                            ids = self._located(ids, text)
                        if not ids or (size > 1 and size < m and not _worth_a_span(run, kind)):
                            continue
                        if size == 1 and (kind != "exact" or (len(ids) > 3 and start > 0)):
                            continue
                        whole = whole or size == m
                        named = named or (size == m and len(ids) == 1 and kind != "loose" and not corrected)
                        left, right = _proper_around(run_words, start, start + size)
                        for ror_id, status in ids.items():
                            offer(Candidate(ror_id, kind, index, start, start + size, m, status, len(ids),
                                            left=left, right=right, corrected=corrected))
            # names in Chinese, Japanese or Korean script run into the words around them: "清华大学计算机系"
            if _CJK.search(part):
                for _label, ror_id in self._cjk_inside(part):
                    offer(Candidate(ror_id, "exact", index, 0, n, n, "synonym", 1))
            # acronyms as printed (case-sensitive): "EMBL", "SZTE", "UFJF"
            for acronym in _ACRONYM.findall(part):
                if not 3 <= len(acronym) <= 10:
                    continue
                at = _position(words, acronym)
                entry = self.lexicon.acronym_alias(acronym)
                if entry is not None:
                    offer(Candidate(entry, "alias", index, at, at + 1, n, "alias", 1))
                    continue
                rows = self.lexicon.ror_names.get(_norm(acronym))
                ids = {r for r, _ in rows} if rows else set()
                if not ids and len(acronym) >= 4 and acronym.isupper():
                    ids = set(self._initials.get(acronym.lower(), ()))  # "EMBL": its name's initials
                if 0 < len(ids) <= 3:
                    for ror_id in sorted(ids):  # one order every run (the scorer's fit sums in it)
                        offer(Candidate(ror_id, "acronym", index, at, at + 1, n, "synonym", len(ids)))
            if not whole and index < _MAX_FUZZY_PARTS and len(words) <= 16 and words[0] not in _UNIT_FIRST:
                for name_cov, part_cov, key in self._fuzzy(fixed or words):
                    ids = self._loose[key]
                    if len(ids) > 3:
                        continue
                    for ror_id, status in ids.items():
                        offer(Candidate(ror_id, "fuzzy", index, 0, n, n, status, len(ids),
                                        share=round(name_cov * part_cov, 3)))
        for index in range(len(parts) - 1):
            pair = _norm(parts[index] + " " + parts[index + 1]).split()
            if 2 < len(pair) <= _MAX_SPAN:
                hit = self._lookup(pair)
                if hit is not None and hit[0] != "loose" and len(hit[1]) <= 3:
                    for ror_id, status in hit[1].items():
                        offer(Candidate(ror_id, hit[0], index, 0, len(pair), len(pair), status, len(hit[1])))
        # parents the index records (built from a ROR dump): "Harvard Medical School" → Harvard University
        for cand in list(found.values()):
            parent = self.lexicon.ror_parent(cand.ror_id)
            if parent and parent not in found:
                offer(Candidate(parent, "parent", cand.part, cand.start, cand.end, cand.part_len, "name", 1,
                                from_id=cand.ror_id))
        for ror_id, cand in found.items():
            cand.spans = len(spans[ror_id])
            cand.contained = any(
                p == cand.part and other != ror_id and s <= cand.start and cand.end <= e
                and (e - s) > (cand.end - cand.start)
                for p, s, e, other in runs
            )
        return parts, keys, found

    def _located(self, ids: dict[str, str], text: str) -> dict[str, str]:
        """Of a name too many organisations share to weigh them all (a company ROR lists once per
        country, "AstraZeneca"), the ones in a country the string names; none when it names none."""
        hints = countries_in(text)
        if not hints:
            return {}
        kept = {ror_id: status for ror_id, status in ids.items() if self.country(ror_id) in hints}
        return kept if len(kept) <= _MAX_IDS else {}

    @staticmethod
    def with_learned(keys: list[str], found: dict[str, Candidate], learned: LearnedTables) -> list[Candidate]:
        """`found` plus the candidates learned tables add: aliases of whole parts, related organisations."""
        out = dict(found)
        for index, key in enumerate(keys):
            hit = learned.aliases.get(key)
            if hit is not None:
                ror_id, _times, share = hit
                cand = Candidate(ror_id, "learned", index, 0, 1, 1, "learned", 1, share=share)
                old = out.get(ror_id)
                if old is None or _evidence(cand) > _evidence(old):
                    out[ror_id] = replace(cand, spans=old.spans + 1 if old else 1)
        for cand in list(out.values()):
            rel = learned.related.get(cand.ror_id)
            if rel is not None and rel[0] not in out:
                ror_id, _times, share = rel
                out[ror_id] = Candidate(ror_id, "related", cand.part, cand.start, cand.end, cand.part_len,
                                        "learned", 1, share=share, from_id=cand.ror_id)
        return list(out.values())

    # -- scoring ---------------------------------------------------------------------------------

    def features(self, parts: list[str], cands: list[Candidate]) -> list[dict[str, float]]:
        """The feature values of each candidate (see FEATURES)."""
        if not cands:
            return []
        org_parts = sorted({c.part for c in cands if c.kind not in ("related",)})
        last = org_parts[-1] if org_parts else 0
        first = org_parts[0] if org_parts else 0
        seen = self.learned.seen
        text = " , ".join(parts)
        hints = countries_in(text)
        words = set(_norm(text).split())
        parents = {self.lexicon.ror_parent(c.ror_id) for c in cands}
        countries = {c.ror_id: self.country(c.ror_id) for c in cands}
        tails = [_tail_country(part) for part in parts]
        legal = float(any(w in _LEGAL for w in _norm(parts[-1]).split()[-3:])) if parts else 0.0
        groups = self._groups(cands, countries, hints, _legal_home(text))
        distinct = max(1, len(cands) - sum(1 for g in groups.values() if not g[0]))  # a group counts once
        out = []
        for c in cands:
            size = c.end - c.start
            label_words = _norm(self.lexicon.ror_label(c.ror_id) or "").split()
            nk = name_kind(label_words)
            f = {"bias": 1.0, f"k_{c.kind}": 1.0}
            f["whole_part"] = float(size == c.part_len)
            f["coverage"] = size / max(c.part_len, 1)
            f["span_words"] = min(size, 8) / 8
            f["single_word"] = float(size == 1)
            f["tail_of_part"] = float(c.end == c.part_len and c.start > 0)
            f[f"st_{c.status}"] = 1.0
            f["log_ambiguity"] = math.log(c.ambiguity)
            f["ambiguous"] = float(c.ambiguity > 1)
            f["spans"] = min(c.spans - 1, 3)
            f["last_org_part"] = float(c.part == last)
            f["parts_after"] = min(sum(1 for p in org_parts if p > c.part), 3)
            f["first_part"] = float(c.part == first)
            f["n_candidates"] = math.log(distinct)
            f[f"name_{nk}" if nk else "name_none"] = 1.0
            f["uni_unit"] = float("university" in label_words and any(
                w in label_words for w in ("hospital", "school", "medicine", "medical", "faculty", "college")))
            cand_times, gold_times = seen.get(c.ror_id, (0, 0))
            f["prior"] = math.log((gold_times + 1) / (cand_times + 2)) + math.log(2)
            f["prior_seen"] = float(cand_times > 0)
            f["share"] = c.share if c.kind in ("related", "learned") else 0.0
            f["fuzzy"] = c.share if c.kind == "fuzzy" else 0.0
            f["contained"] = float(c.contained)
            f["corrected"] = float(c.corrected)
            f["legal_form"] = legal
            tail = tails[c.part] if c.part < len(tails) else None
            f["tail_other"] = float(tail is not None and countries[c.ror_id] not in (None, tail))
            f["left_proper"] = float(c.left)
            # a company's name, country left out, ending a longer name: "Standard [Optics Technology] Ltd"
            f["left_short"] = float(c.left and c.status == "short")
            f["right_proper"] = float(c.right)
            country = countries[c.ror_id]
            city = self.lexicon.ror_city(c.ror_id)
            f["hint"] = float((country is not None and country in hints)
                              or (city is not None and set(_norm(city).split()) <= words))
            f["is_parent"] = float(c.ror_id in parents)
            f["hint_other"] = float(country is not None and bool(hints) and country not in hints)
            f["hint_ambiguous"] = f["hint"] * float(c.ambiguity > 1)
            f["lead"] = float(c.start == 0 and size < c.part_len)
            f["one_part"] = float(len(parts) == 1)
            f["whole_exact"] = float(size == c.part_len and c.kind in ("exact", "alias", "loose"))
            if c.ambiguity > 1:
                top, tie, names_top, multi = groups.get(c.ror_id, (False, False, False, False))
                f["group_top"] = float(top and not multi)
                f["group_top_multi"] = float(top and multi)
                f["group_tie"] = float(tie)
                f["group_names_top"] = float(names_top)
                f["group_multi_whole"] = f["group_top_multi"] * f["whole_part"]
                if top and not tie:  # the group's pick reads as the one organisation of that name
                    f["log_ambiguity"] = f["ambiguous"] = f["hint_ambiguous"] = 0.0
            out.append(f)
        return out

    def _country_rate(self, country: str | None) -> float:
        """How often a candidate located in `country` that shares its name with other organisations
        was the one meant, in the training data: shrunk towards the rate over all countries (None)."""
        table = self.learned.countries
        if self._rates_of is not table:
            cands = sum(c for c, _ in table.values())
            golds = sum(g for _, g in table.values())
            self._rates_base = (golds + 1) / (cands + 2)
            self._rates_of = table
        c_times, g_times = table.get(country or "", (0, 0)) if country else (0, 0)
        return (g_times + _COUNTRY_SHRINK * self._rates_base) / (c_times + _COUNTRY_SHRINK)

    def _groups(self, cands: list[Candidate], countries: dict, hints: frozenset,
                home: str | None = None) -> dict[str, tuple]:
        """For candidates found by a name several organisations share (a company listed once per
        country, "Fujitsu"): id → (ranked first of its group, tied with another on every count, has
        the most names in the index of its group, the group's organisations are each in another
        country). The rank: the string names its country (or a legal form says it), then the
        country the legal form names first (`home`: "GmbH", Germany), then how often the training
        data asserted it, then the most names in the index (the head office's record
        has its names in other languages, often), then how often the training data meant the record
        located in its country when a name was shared."""
        by_span: dict[tuple, list[Candidate]] = defaultdict(list)
        for c in cands:
            if c.ambiguity > 1 and c.kind in ("exact", "loose", "acronym", "fuzzy"):
                by_span[(c.part, c.start, c.end, c.kind)].append(c)
        seen = self.learned.seen
        names = self._name_count
        out: dict[str, tuple] = {}
        for group in by_span.values():
            if len(group) < 2:
                continue
            counts = [names.get(c.ror_id, 0) for c in group]
            most = max(counts)
            unique_most = counts.count(most) == 1
            ranks = {}
            for c, count in zip(group, counts, strict=True):
                cand_times, gold_times = seen.get(c.ror_id, (0, 0))
                ranks[c.ror_id] = (countries[c.ror_id] in hints, countries[c.ror_id] == home,
                                   (gold_times + 1) / (cand_times + 2),
                                   count if unique_most else 0, self._country_rate(countries[c.ror_id]))
            ranked = sorted(group, key=lambda c: (ranks[c.ror_id], c.ror_id), reverse=True)
            tie = ranks[ranked[1].ror_id] == ranks[ranked[0].ror_id]
            located = [countries[c.ror_id] for c in group]
            multi = None not in located and len(set(located)) == len(located)
            for c, count in zip(group, counts, strict=True):
                first = c.ror_id == ranked[0].ror_id
                names_top = unique_most and count == most
                old = out.get(c.ror_id)
                if old is None or (first, names_top) > (old[0], old[2]):
                    out[c.ror_id] = (first, first and tie, names_top, multi)
        return out

    def score(self, f: dict[str, float]) -> float:
        w = self.learned.weights
        z = sum(w.get(name, 0.0) * value for name, value in f.items())
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def match(self, text: str) -> Affiliation:
        """The ROR organisation an affiliation string names, or an abstention (``ror_id`` None).

        >>> matcher = load_matcher()
        >>> matcher.match("Dept. of Physics, Univ. of Oslo, Oslo, Norway").name
        'University of Oslo'
        >>> matcher.match("Optomechatronics Group").ror_id is None
        True
        """
        cleaned = clean_text(text or "")
        if not _norm(cleaned):
            return Affiliation(text, None, None, 0.0, None)
        exact = self.lexicon.strict_match(cleaned)
        if exact is not None and exact.ror_id:
            return Affiliation(text, exact.ror_id, exact.name, 1.0,
                               "alias" if exact.via == "alias" else "exact")
        best = self.best(cleaned)
        if best is None:
            return Affiliation(text, None, None, 0.0, None)
        cand, prob = best
        if prob < self.learned.threshold:
            return Affiliation(text, None, None, prob, None)
        name = self.lexicon.ror_label(cand.ror_id) or cand.ror_id
        return Affiliation(text, cand.ror_id, name, prob, _VIA[cand.kind], cand.ambiguity,
                           cand.end - cand.start == cand.part_len)

    def best(self, cleaned: str) -> tuple[Candidate, float] | None:
        """The best-scored candidate of a cleaned string and its score, or None."""
        parts, cands = self.candidates(cleaned)
        if not cands:
            return None
        scored = [(self.score(f), c) for f, c in zip(self.features(parts, cands), cands, strict=True)]
        prob, cand = max(scored, key=lambda pc: (pc[0], pc[1].ror_id))
        return cand, prob


_VIA = {"exact": "part", "loose": "part", "fuzzy": "fuzzy", "alias": "alias", "acronym": "acronym", "learned": "learned",
        "related": "related", "parent": "parent"}


def _evidence(c: Candidate) -> tuple:
    order = {"exact": 5, "alias": 5, "learned": 4, "loose": 3, "acronym": 2, "fuzzy": 2, "parent": 1, "related": 1}
    return (order[c.kind], c.end - c.start == c.part_len, c.end - c.start, -c.ambiguity, c.part)


def _position(words: list[str], acronym: str) -> int:
    token = _norm(acronym).split()
    for i in range(len(words)):
        if words[i : i + len(token)] == token:
            return i
    return 0


def _without_country_tail(words: list[str]) -> list[str]:
    # "Zhejiang Normal University China", "Hebei University of Technology CN", "Hindawi Romania"
    while len(words) > 1:
        if " ".join(words[-2:]) in _COUNTRY_KEYS and len(words) > 3 and words[-3] not in _STOP:
            words = words[:-2]
        elif (words[-1] in _COUNTRY_KEYS or words[-1] in _COUNTRY_CODES) and words[-2] not in _STOP:
            words = words[:-1]
        elif words[-1] in _COUNTRY_KEYS and words[-2] == "of" and len(words) > 3:
            words = words[:-2]  # "National Research Council of Italy"; the raw words are looked up too
        else:
            break
    return words


def _without_legal_tail(words: list[str]) -> list[str]:
    # a company's legal form and the words before it that ROR leaves out of its name:
    # "Fujitsu Ltd", "Panasonic Holdings Corporation", "Honeywell International Inc" name the company
    if len(words) < 2 or words[-1] not in _LEGAL:
        return words
    end = len(words)
    while end > 1 and (words[end - 1] in _LEGAL or words[end - 1] in _CORPORATE):
        end -= 1
    return words[:end]


def _tail_country(part: str) -> str | None:
    """The country a part ends with, after the name: "Hindawi Romania" → "romania"."""
    words = _norm(part).split()
    kept = _without_country_tail(words)
    if len(kept) == len(words):
        return None
    tail = " ".join(words[len(kept):])
    return _COUNTRY_ALIASES.get(tail, tail if tail in _COUNTRY_KEYS else None)


def countries_in(text: str) -> frozenset[str]:
    """Countries an affiliation string names, by name, code or a company's legal form.

    >>> sorted(countries_in("Bruker Optik GmbH, Ettlingen"))
    ['austria', 'germany', 'switzerland']
    >>> sorted(countries_in("Dept. of Physics, Univ. of Oslo, Norway"))
    ['norway']
    """
    words = _norm(text).split()
    found = set()
    for size in (1, 2, 3):
        for start in range(len(words) - size + 1):
            phrase = " ".join(words[start : start + size])
            country = _COUNTRY_ALIASES.get(phrase)
            if country is not None:
                found.add(country)
            elif phrase in _COUNTRY_KEYS:
                found.add(phrase)
    for code in re.findall(r"\b(?:USA|UK|US|PRC|CN|P\.R\. China|ROC)\b", text):
        found.add(_COUNTRY_ALIASES[_norm(code)])
    if not found:  # a legal form tells where a company is registered, unless the string names a country
        for word in words[-3:] if words else ():
            found.update(_LEGAL_COUNTRY.get(word, ()))
    return frozenset(found)


def _legal_home(text: str) -> str | None:
    """The country a company's legal form says first, where the string names none: "GmbH" → Germany
    (before Austria and Switzerland)."""
    words = _norm(text).split()[-3:]
    for word in words:
        if word in _LEGAL_COUNTRY:
            return None if countries_in(text) - set(_LEGAL_COUNTRY[word]) else _LEGAL_COUNTRY[word][0]
    return None


def label_country(label: str) -> str | None:
    """The country of a ROR label written "Name (Country)", normalised."""
    match = re.search(r"\(([^()]*)\)\s*$", label)
    if match:
        country = _norm(match.group(1))
        country = _COUNTRY_ALIASES.get(country, country)
        if country in _COUNTRY_KEYS:
            return country
    return None


def _address_like(part: str) -> bool:
    # a country, a state or postcode: "USA", "MA", "CA 94305", "Germany"
    words = _norm(part).split()
    if not words or len(words) > 3:
        return False
    joined = " ".join(words)
    if joined in _COUNTRY_KEYS or joined in _COUNTRY_ALIASES:
        return True
    return all(w.isdigit() or len(w) <= 3 for w in words)


def _is_proper(word: str) -> bool:
    return (len(word) >= 3 and not word.isdigit() and word not in _STOP and word not in _KIND_OF_WORD
            and word not in _WORD_MAP and word not in _FIELD_WORDS and word not in _LEGAL
            and word not in _COUNTRY_WORDS)


def _proper_around(words: list[str], start: int, end: int) -> tuple[bool, bool]:
    left = start > 0 and _is_proper(words[start - 1])
    right = False
    for word in words[end:]:
        if word in _STOP:
            continue
        right = _is_proper(word)
        break
    return left, right


def _spells(acronym: str, words: list[str]) -> bool:
    letters = "".join(ch for ch in fold_accents(acronym) if ch.isalpha()).lower()
    if len(letters) < 2 or not words:
        return False
    every = "".join(w[0] for w in words)
    content = "".join(w[0] for w in words if w not in _STOP)
    return letters in (every, content) or (len(letters) >= 3 and (letters in every or letters in content))


def _worth_a_span(run: list[str], kind: str) -> bool:
    # a run inside a part must name an organisation of its own: an organisation word and a proper
    # word ("Peking University" inside "Peking University Center for …"), or several words
    has_kind = any(w in _KIND_OF_WORD or _WORD_MAP.get(w) in _KIND_OF_WORD or w in _COMPOUNDS for w in run)
    content = [w for w in run if w not in _STOP]
    if has_kind:
        return len(content) >= 2
    return len(content) >= 2 and kind == "exact"


DEFAULT_WEIGHTS = {
    "bias": -2.0, "k_exact": 1.0, "k_alias": 1.5, "whole_part": 2.0, "coverage": 1.0,
    "last_org_part": 1.0, "log_ambiguity": -2.0, "name_unit": -1.5,
}


# -- files of affiliation strings ------------------------------------------------------------------

FORMATS = ("jsonl", "tsv")


def read_lines(source, name: str):
    """The lines of a binary stream as text, without line ends (a UTF-8 BOM dropped).

    Raises InputError naming `name` and the line when a line is not valid UTF-8.
    """
    from ..errors import InputError

    for number, raw in enumerate(source, start=1):
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(f"{name}:{number}: not valid UTF-8 (byte {exc.start + 1})") from None
        if number == 1:
            line = line.lstrip("\ufeff")
        yield line.rstrip("\r\n")


def match_lines(lines, matcher: AffiliationMatcher | None = None):
    """One Affiliation per line, in order; an empty line is an abstention (``ror_id`` None)."""
    matcher = matcher or load_matcher()
    for line in lines:
        if not line.strip():
            yield Affiliation(line, None, None, 0.0, None)
        else:
            yield matcher.match(line)


def format_answer(answer: Affiliation, fmt: str = "jsonl") -> str:
    """One output line: a JSON object (input, ror, name, score, via) or the same as tab-separated
    fields (empty for null; tabs inside the input become spaces).

    >>> format_answer(Affiliation("CMU", "05x2bcf33", "Carnegie Mellon University", 1.0, "alias"), "tsv").split()
    ['CMU', 'https://ror.org/05x2bcf33', 'Carnegie', 'Mellon', 'University', '1.0', 'alias']
    """
    import json

    data = answer.as_dict()
    if fmt == "jsonl":
        return json.dumps(data, ensure_ascii=False)
    if fmt == "tsv":
        return "\t".join("" if v is None else " ".join(str(v).split("\t")) for v in data.values())
    raise ValueError(f"unknown format {fmt!r}: one of {', '.join(FORMATS)}")


# -- loading -------------------------------------------------------------------------------------


def load_learned(path=None) -> LearnedTables:
    """Read ``kg/data/ror_learned.tsv`` (or `path`); an absent file means nothing learned."""
    file = Path(path) if path is not None else _data_path(LEARNED_FILE)
    tables = LearnedTables()
    try:
        handle = file.open("r", encoding="utf-8")
    except FileNotFoundError:
        return LearnedTables(weights=dict(DEFAULT_WEIGHTS), threshold=0.5)
    with handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip() or line.startswith("#"):
                continue
            row = line.rstrip("\n").split("\t")
            try:
                kind = row[0]
                if kind == "weight":
                    tables.weights[row[1]] = float(row[2])
                elif kind == "threshold":
                    tables.threshold = float(row[2])
                elif kind == "alias":
                    tables.aliases[row[1]] = (row[2], int(row[3]), float(row[4]))
                elif kind == "related":
                    tables.related[row[1]] = (row[2], int(row[3]), float(row[4]))
                elif kind == "seen":
                    tables.seen[row[1]] = (int(row[2]), int(row[3]))
                elif kind == "country":
                    tables.countries[row[1]] = (int(row[2]), int(row[3]))
                elif kind != "kind":
                    raise ValueError(kind)
            except (IndexError, ValueError) as exc:
                raise ValueError(f"{file}:{number}: unreadable row ({exc})") from None
    return tables


@lru_cache(maxsize=2)
def load_matcher(learned_path=None) -> AffiliationMatcher:
    """The matcher over the shipped lexicon and learned tables (cached; the one kg build uses)."""
    if learned_path is None:
        return load_lexicon().affiliations
    return AffiliationMatcher(load_lexicon(), load_learned(learned_path))
