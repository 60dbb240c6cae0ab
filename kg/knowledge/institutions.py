"""Institution names: match printed names to canonical labels and ROR ids, split "A & B" lines.

Data files back the matcher: ``kg/data/institution_aliases.tsv`` (hand-curated abbreviations and
short names such as CMU or MSR), ``kg/data/ror_names.tsv.gz`` (names and synonyms of the Research
Organization Registry, CC0, written by ``scripts/build_ror_index.py``; its first line names the ROR
release, :func:`ror_version`) and ``kg/data/ror_labels.tsv`` (names in Chinese, Japanese or Korean
script). What exact look-ups miss, the affiliation matcher (:mod:`kg.knowledge.ror_match`) may still
link (``InstitutionLexicon.match``, under a stricter gate than ``kg match-affiliations``).
"""

from __future__ import annotations

import gzip
import re
import unicodedata
from dataclasses import dataclass, replace
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

__all__ = [
    "InstitutionMatch",
    "InstitutionLexicon",
    "normalise_name",
    "strip_country_suffix",
    "load_lexicon",
    "fold_accents",
    "looks_like_acronym",
    "ror_version",
    "ROUTES",
]

ALIASES_FILE = "institution_aliases.tsv"
ROR_FILE = "ror_names.tsv.gz"
LABELS_FILE = "ror_labels.tsv"

# Statuses in ror_names.tsv.gz, best first. "short" is a ROR name with its " (Country)"
# suffix removed ("Microsoft (United States)" -> "Microsoft"); it is added by the build script.
ROR_STATUSES = ("name", "synonym", "short")

# ROR names companies and national branches "Name (Country)": these suffixes are stripped for
# display. Spelling variants seen in ROR v1.36 are included.
_COUNTRY_NAMES = (
    "Afghanistan|Albania|Algeria|Andorra|Angola|Argentina|Armenia|Australia|Austria|Azerbaijan|"
    "Bahamas|Bahrain|Bangladesh|Barbados|Belarus|Belgium|Belize|Benin|Bermuda|Bhutan|Bolivia|"
    "Bosnia and Herzegovina|Bosnia-Herzegovina|Botswana|Brazil|Brasil|British Virgin Islands|"
    "Brunei|Bulgaria|Burkina Faso|Burundi|Cambodia|Cameroon|Canada|Cape Verde|Cayman Islands|"
    "Chad|Chile|China|Colombia|Costa Rica|Croatia|Cuba|Curacao|Cyprus|Czechia|Czech Republic|"
    "Denmark|Dominican Republic|Ecuador|Egypt|El Salvador|Estonia|Eswatini|Ethiopia|"
    "Faroe Islands|Fiji|Finland|France|Gabon|Gambia|Georgia|Germany|Ghana|Gibraltar|Greece|"
    "Greenland|Guatemala|Guernsey|Guinea|Guyana|Haiti|Honduras|Hong Kong|Hongkong|Hungary|"
    "Iceland|India|Indonesia|Iran|Iraq|Ireland|Isle of Man|Israel|Italy|Ivory Coast|Jamaica|"
    "Japan|Jersey|Jordan|Kazakhstan|Kenya|Kosovo|Kuwait|Kyrgyzstan|Laos|Latvia|Lebanon|Lesotho|"
    "Liberia|Libya|Liechtenstein|Lithuania|Luxembourg|Luxemburg|Macao|Macau|Macedonia|"
    "North Macedonia|Madagascar|Malawi|Malaysia|Maldives|Mali|Malta|Mauritania|Mauritius|"
    "Mexico|Moldova|Monaco|Mongolia|Montenegro|Morocco|Mozambique|Myanmar|Namibia|Nepal|"
    "Netherlands|The Netherlands|New Zealand|Nicaragua|Niger|Nigeria|Norway|Oman|Pakistan|"
    "Palestine|Panama|Papua New Guinea|Paraguay|Peru|Philippines|Poland|Portugal|Puerto Rico|"
    "Qatar|Romania|Russia|Rwanda|Saint Vincent and the Grenadines|Saudi Arabia|Senegal|Serbia|"
    "Seychelles|Sierra Leone|Singapore|Slovakia|Slovenia|Somalia|South Africa|South Korea|"
    "Korea|Spain|Sri Lanka|Sudan|Suriname|Sweden|Switzerland|Syria|Taiwan|Tajikistan|Tanzania|"
    "Thailand|Togo|Trinidad and Tobago|Tunisia|Turkey|Turkiye|Uganda|Ukraine|"
    "United Arab Emirates|United Kingdom|UK|United States|USA|UnitedStates|United Kindgom|"
    "Uruguay|Uzbekistan|Venezuela|Vietnam|Viet Nam|Yemen|Zambia|Zimbabwe"
)

# Letters that NFKD does not decompose into a base letter plus accents.
_FOLD = str.maketrans(
    {
        "ø": "o", "Ø": "O", "ł": "l", "Ł": "L", "đ": "d", "Đ": "D", "ð": "d", "Ð": "D",
        "ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ı": "i", "þ": "th", "Þ": "Th",
    }
)
# Spacing accents left by PDF extraction: "Universit ´e de Montr ´eal".
_SPACING_ACCENT = re.compile(r"\s?[\u00b4\u00a8\u02c6\u02dc\u02d8\u02c7\u02da](?=[^\W\d_])")
_PARENTHETICAL = re.compile(r"\s*\(([^()]*)\)")
_AMP_SPLIT = re.compile(r"\s+[&\uff06]\s+")

# Words that can stand on both sides of an "&" inside one name: "University of Science &
# Technology", "Boeing Research & Technology", "Oregon Health & Science University".
_FIELD_WORDS = frozenset(
    """
    ai analytics applied arts astronomy automation bioinformatics biology biomedical business
    chemistry communication communications computation computational computer computing control
    data design development economics education educational electronics energy engineering
    environment environmental finance healthcare humanities industrial informatica informatics
    information innovation intelligence intelligent law linguistics machine management
    manufacturing materials mathematics medicine mining physics policy psychology research
    robotics science sciences security society statistics systems technologies technology
    telecommunications
    """.split()
)
# Words that end the left part of such a name without being field words themselves.
_LEFT_ONLY_WORDS = frozenset(
    """
    aeronautics aerospace agriculture electrical health human mechanical monitoring recognition
    technological signal
    """.split()
)
# "D. E. Shaw & Co.", "Johnson & Sons".
_FIRM_TAILS = frozenset({"co", "company", "sons", "partners", "associates", "cie"})
# Words that do not make a name distinctive on their own.
_GENERIC_WORDS = frozenset(
    """
    academy advanced and at center centre college department dept division faculty for group
    in institute international key lab laboratories laboratory labs national of program
    programme school state the university
    """.split()
)
_UNIT_WORDS = frozenset(
    "department dept faculty school college division program programme lab laboratory group".split()
)
_NAME_PREPOSITIONS = frozenset({"of", "for", "de", "di", "du", "der", "des", "at"})
_MAX_JOIN = 4
# The least score of an affiliation-matcher answer that InstitutionLexicon.match takes (kg build);
# `kg match-affiliations` answers from the matcher's own learned threshold.
AFFILIATION_MIN_SCORE = 0.5
# Which list InstitutionLexicon.match linked a printed name through (InstitutionMatch.route).
ROUTES = ("ror-name", "ror-alias", "alias", "matcher", "unmatched")


@dataclass(frozen=True)
class InstitutionMatch:
    """The institution behind one printed name.

    ``name`` is the canonical display label, ``ror_id`` the bare ROR id (``"05x2bcf33"``) or
    None, ``key`` the clustering key (``"ror:<id>"`` when linked, else ``"name:<normalised
    name>"``), ``via`` how it was found: ``"alias"``, ``"ror"`` or ``"unmatched"``, and ``route``
    which list linked it, one of :data:`ROUTES`: ``"ror-name"`` (the name of the ROR record it
    links to, or that name without its " (Country)" suffix), ``"ror-alias"`` (a ROR synonym: an
    alias, acronym or label of the record, or its name in CJK script from ``ror_labels.tsv``) —
    both whether the ROR index or the alias table found it, as long as the ROR index alone links
    the name to that organisation —, ``"alias"`` (the hand-curated alias table, for a name the
    ROR index alone does not link there: "CMU", "MSR", "Microsoft", which ROR gives every branch),
    ``"matcher"`` (the affiliation matcher: a ROR organisation found as a whole part of the name,
    shared by no other) or ``"unmatched"``. The look-ups may read the whole name, the name without
    parenthetical acronyms or one of its comma-separated parts; the route names the list, not the
    part. None on a match made without one.
    """

    name: str
    ror_id: str | None
    key: str
    via: str
    route: str | None = None


def fold_accents(text: str) -> str:
    """`text` with accents and spacing accents dropped, case kept ("Zürich" → "Zurich")."""
    if text.isascii():
        return text
    text = _SPACING_ACCENT.sub("", text).translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in text if not unicodedata.combining(ch))


_ALNUM_RUN = re.compile(r"[^\W_]+")  # runs of characters for which str.isalnum() holds


def _words(text: str) -> list[str]:
    return _ALNUM_RUN.findall(text)


def normalise_name(text: str) -> str:
    """Return the matching form of an institution name.

    Accents are stripped (NFKD), letters lowercased, ``&`` read as "and", every other
    non-alphanumeric character becomes a space, spaces collapse and a leading "the" goes.

    Parameters
    ----------
    text : str
        A printed institution name.

    Returns
    -------
    str
        The normalised name ("" for a name without letters or digits).

    Examples
    --------
    >>> normalise_name("The Université de Montréal")
    'universite de montreal'
    >>> normalise_name("Texas A&M University")
    'texas a and m university'
    """
    words = _words(fold_accents(text).lower().replace("&", " and "))
    if len(words) > 1 and words[0] == "the":
        words = words[1:]
    return " ".join(words)


def _acronym_key(text: str) -> str:
    # Case-sensitive form for all-caps aliases: "MPI-IS" and "MPI IS" meet, "Cmu" and "CMU" do not.
    return " ".join(_words(fold_accents(text).replace("&", " and ")))


def _is_acronym(alias: str) -> bool:
    folded = fold_accents(alias)
    return any(ch.isupper() for ch in folded) and not any(ch.islower() for ch in folded)


_COUNTRY_KEYS = frozenset(normalise_name(name) for name in _COUNTRY_NAMES.split("|"))


def strip_country_suffix(name: str) -> str:
    """Remove a trailing ``" (Country)"`` as ROR writes company branches.

    Examples
    --------
    >>> strip_country_suffix("Microsoft (United States)")
    'Microsoft'
    >>> strip_country_suffix("China University of Petroleum (East China)")
    'China University of Petroleum (East China)'
    """
    match = re.search(r"\s*\(([^()]*)\)\s*$", name)
    if match and match.start() > 0 and normalise_name(match.group(1)) in _COUNTRY_KEYS:
        return name[: match.start()].rstrip()
    return name


def _clean(printed: str) -> str:
    text = " ".join(printed.split())
    text = text.strip(" \t[]{}<>\"'`,;:|/·•*")
    return text


def looks_like_acronym(text: str) -> bool:
    """One token with at least two capitals: "KTH", "EPFL", "CityU", "ServiceNow"."""
    letters = [ch for ch in text if ch.isalpha()]
    return (
        2 <= len(letters) <= 12
        and not any(ch.isspace() for ch in text.strip())
        and sum(ch.isupper() for ch in letters) >= 2
    )


def _same_acronym(printed: str, label: str) -> bool:
    # Case-sensitive for short acronyms ("HFT" is not "Hft"), case-insensitive from five
    # letters on ("SYSTRAN" is "Systran").
    if _acronym_key(printed) == _acronym_key(label):
        return True
    letters = sum(ch.isalpha() for ch in printed)
    return letters >= 5 and normalise_name(printed) == normalise_name(label)


def _is_unit_name(text: str) -> bool:
    # "Computer Science Department", "Faculty", "School of Software": a unit of some
    # institution, which ROR may list under the same generic name for an unrelated one.
    if _has_proper_word(text):
        return False
    words = [word.casefold() for word in _words(text)]
    return len(words) == 1 or words[0] in _UNIT_WORDS or words[-1] in _UNIT_WORDS


def _has_proper_word(text: str) -> bool:
    return any(
        word not in _GENERIC_WORDS and word not in _FIELD_WORDS and word not in _LEFT_ONLY_WORDS
        for word in (w.casefold() for w in _words(text))
    )


class InstitutionLexicon:
    """Known institution names: the alias table and the ROR name index.

    Build one with :func:`load_lexicon`; the object is immutable and cheap to share.

    Parameters
    ----------
    aliases : mapping of str to (canonical name, ROR id or None), case-sensitive
        acronym aliases keyed by their acronym form; see :func:`load_lexicon`.
    folded_aliases : mapping of str to (canonical name, ROR id or None)
        Case-insensitive aliases keyed by :func:`normalise_name`.
    ror_names : mapping of normalised name to tuple of (ROR id, status)
    ror_labels : mapping of ROR id to its ROR name
    ror_places : mapping of ROR id to (country, city, parent ROR id), optional
        Filled when the index was built from a ROR data dump (empty for the gilda export).
    """

    def __init__(
        self,
        aliases: Mapping[str, tuple[str, str | None]],
        folded_aliases: Mapping[str, tuple[str, str | None]],
        ror_names: Mapping[str, tuple[tuple[str, str], ...]],
        ror_labels: Mapping[str, str],
        ror_places: Mapping[str, tuple[str, str, str]] | None = None,
    ) -> None:
        self._aliases = MappingProxyType(dict(aliases))
        self._folded = MappingProxyType(dict(folded_aliases))
        self._ror = MappingProxyType(dict(ror_names))
        self._labels = MappingProxyType(dict(ror_labels))
        self._places = MappingProxyType(dict(ror_places or {}))
        self._affiliations = None
        self._use_affiliations = True
        # the files it was read from, when load_lexicon read it (what a kept matcher index is checked against)
        self.source_files: tuple[Path, ...] = ()
        self.matcher_index_cache = None  # given to the matcher it makes (AffiliationMatcher.index_cache)

    def __repr__(self) -> str:
        return (
            f"InstitutionLexicon({len(self._aliases) + len(self._folded)} aliases, "
            f"{len(self._labels)} ROR organisations)"
        )

    # -- lookups ---------------------------------------------------------------------------

    @property
    def ror_names(self) -> Mapping[str, tuple[tuple[str, str], ...]]:
        """The ROR name index: normalised name → ((ROR id, status), ...)."""
        return self._ror

    def acronym_alias(self, acronym: str) -> str | None:
        """The ROR id of a hand-curated all-caps alias ("CMU" → 05x2bcf33), else None."""
        entry = self._aliases.get(_acronym_key(acronym))
        if entry is None:
            return None
        return entry[1] if entry[1] else self.ror_lookup(entry[0])

    def ror_country(self, ror_id: str) -> str | None:
        """The country of a ROR organisation where the index records it (built from a ROR dump)."""
        place = self._places.get(ror_id)
        return place[0] or None if place else None

    def ror_city(self, ror_id: str) -> str | None:
        """The city of a ROR organisation where the index records it (built from a ROR dump)."""
        place = self._places.get(ror_id)
        return place[1] or None if place else None

    def ror_parent(self, ror_id: str) -> str | None:
        """The ROR id of an organisation's parent where the index records it (built from a ROR dump)."""
        place = self._places.get(ror_id)
        return place[2] or None if place else None

    def folded_alias(self, norm: str) -> str | None:
        """The ROR id of a hand-curated alias whose normalised form is `norm`, else None."""
        entry = self._folded.get(norm)
        if entry is None:
            return None
        return entry[1] if entry[1] else self.ror_lookup(entry[0])

    def strict_match(self, text: str) -> InstitutionMatch | None:
        """The alias or ROR organisation `text` names exactly (parenthetical acronyms aside), else None."""
        return self._strict_match(_clean(text))

    def ror_label(self, ror_id: str) -> str | None:
        """Return the display label of a ROR organisation (country suffix removed), or None."""
        entry = self._labels.get(ror_id)
        return strip_country_suffix(entry) if entry is not None else None

    def ror_lookup(self, name: str) -> str | None:
        """Return the single ROR id whose name or synonym normalises like ``name``, else None.

        A name shared by several organisations is ambiguous (None) unless exactly one of them
        carries it as its primary name.
        """
        found = self._ror_lookup(name)
        return found[0] if found else None

    def _ror_lookup(self, name: str) -> tuple[str, str] | None:
        # (ROR id, the status it was found under: "name", "synonym" or "short"), as ror_lookup decides
        rows = self._ror.get(normalise_name(name))
        if not rows:
            return None
        for status in ROR_STATUSES:
            ids = {ror_id for ror_id, row_status in rows if row_status == status}
            if ids:
                return (next(iter(ids)), status) if len(ids) == 1 else None
        return None

    def _alias_match(self, text: str) -> InstitutionMatch | None:
        entry = self._aliases.get(_acronym_key(text))
        if entry is None:
            entry = self._folded.get(normalise_name(text))
        if entry is None:
            return None
        canonical, ror_id = entry
        if ror_id is None:
            ror_id = self.ror_lookup(canonical)
        return _make_match(canonical, ror_id, "alias", "alias")

    def _exact_match(self, text: str) -> InstitutionMatch | None:
        if not normalise_name(text):
            return None
        found = self._alias_match(text)
        if found is not None:
            registry = self._ror_match(text) if found.ror_id else None
            if registry is not None and registry.ror_id == found.ror_id:
                # the table lists a name ROR gives the same organisation ("Stanford University",
                # "Oxford University"): ROR's own record is the evidence, the route says so
                found = replace(found, route=registry.route)
            return found
        return self._ror_match(text)

    def _ror_match(self, text: str) -> InstitutionMatch | None:
        # The ROR index alone: a name or synonym only one organisation has, not a unit's generic name
        found = self._ror_lookup(text)
        if found is None:
            return None
        ror_id, status = found
        if _is_unit_name(text):
            return None
        label = self.ror_label(ror_id) or text
        if looks_like_acronym(text) and not _same_acronym(text, label):
            # ROR synonyms include acronyms of organisations all over the world ("TTI" is
            # Techtronic Industries there); a bare acronym only links to a ROR entry named so.
            return None
        return _make_match(label, ror_id, "ror", "ror-alias" if status == "synonym" else "ror-name")

    def _strict_match(self, text: str) -> InstitutionMatch | None:
        # Exact match, then the name without parenthetical acronyms: "Royal Institute of
        # Technology (KTH)", "Eidgenössische Technische Hochschule (ETH) Zürich".
        found = self._exact_match(text)
        if found is not None:
            return found
        stripped = _PARENTHETICAL.sub(
            lambda m: "" if looks_like_acronym(m.group(1)) else m.group(0), text
        ).strip()
        if stripped and stripped != text:
            return self._exact_match(stripped)
        return None

    def _comma_match(self, text: str) -> InstitutionMatch | None:
        # "Department of Computer Science, University of California, Berkeley": try the
        # trailing runs of two or more comma parts (longest first), then each part alone, left
        # to right, so "Microsoft Research, Redmond" stays Microsoft Research.
        parts = [part.strip() for part in text.split(",") if part.strip()]
        if len(parts) < 2:
            return None
        candidates = [", ".join(parts[start:]) for start in range(1, len(parts) - 1)] + parts
        for candidate in candidates:
            if normalise_name(candidate) in _COUNTRY_KEYS:
                continue
            found = self._strict_match(candidate)
            if found is not None:
                return found
        return None

    # -- public API --------------------------------------------------------------------------

    def match(self, printed: str) -> InstitutionMatch:
        """Return the institution behind a printed name; never fails.

        Order: alias table (case-sensitive for all-caps acronyms, otherwise on the normalised
        form), then the ROR index (primary names before synonyms before country-stripped
        names; ambiguous names stay unmatched), then the same lookups on the name without
        parenthetical acronyms, then on its comma-separated parts, then the affiliation matcher
        (an answer scoring at least ``AFFILIATION_MIN_SCORE``, found as a whole part of the name,
        shared by no other organisation, neither fuzzy nor a bare acronym; via ``"ror"``).
        Unmatched names keep their cleaned printed form and a ``name:`` key. ``route`` says which
        of these linked it (:class:`InstitutionMatch`).

        Parameters
        ----------
        printed : str
            One institution name as printed ("CMU", "Peking University").

        Returns
        -------
        InstitutionMatch

        Examples
        --------
        >>> lexicon = load_lexicon()
        >>> lexicon.match("CMU").key
        'ror:05x2bcf33'
        >>> lexicon.match("Unknown Lab of Nowhere").via
        'unmatched'
        """
        text = _clean(printed)
        found = self._strict_match(text) or self._comma_match(text) or self._affiliation_match(text)
        if found is not None:
            return found
        norm = normalise_name(text)
        return InstitutionMatch(text, None, f"name:{norm or text.casefold()}", "unmatched", "unmatched")

    @property
    def affiliations(self):
        """The affiliation-string matcher over this lexicon (kg.knowledge.ror_match), built on first use."""
        if self._affiliations is None:
            from .ror_match import AffiliationMatcher, load_learned

            self._affiliations = AffiliationMatcher(self, load_learned())
            self._affiliations.index_cache = self.matcher_index_cache
        return self._affiliations

    def release_affiliations(self) -> None:
        """Drop the affiliation matcher (about 230 MB of tables); it is built again on next use. A build
        calls this once institutions are resolved, so the matcher does not add to the peak of the
        later stages (the 50k-paper replica peaked 230 MB higher with it kept)."""
        self._affiliations = None

    def _affiliation_match(self, text: str) -> InstitutionMatch | None:
        # What the exact look-ups miss, the affiliation matcher may still find: "Dept. of Physics,
        # Univ. of Oslo", "Technische Universität München", "Fujitsu Ltd". It abstains when unsure.
        if not self._use_affiliations or not normalise_name(text):
            return None
        # Stricter than the matcher's own threshold: a name that several organisations share, a
        # bare acronym, a fuzzy match or a learned parent is left to the corpus (resolve/institutions.py),
        # and so is an organisation named inside a longer name ("NTT" in "NTT Communication Science
        # Laboratories"): a lab stays a node of its own, as the digests' gold keeps it.
        answer = self.affiliations.match(text)
        if (answer.ror_id is None or answer.score < AFFILIATION_MIN_SCORE or answer.ambiguity > 1
                or answer.via not in ("part", "alias", "learned") or not answer.whole):
            return None
        return _make_match(answer.name, answer.ror_id, "ror", "matcher")

    def is_known(self, printed: str) -> bool:
        """Return True when :meth:`match` links ``printed`` to an alias or a ROR entry."""
        return self.match(printed).via != "unmatched"

    def _joinable(self, left: str, right: str) -> bool:
        # Sound rules for an "&" inside one name; see split().
        left_words = [word.casefold() for word in _words(left)]
        right_words = [word.casefold() for word in _words(right)]
        if not left_words or not right_words:
            return False
        if right_words[0] in _FIRM_TAILS and len(right_words) <= 3:
            return True
        if right_words[0] not in _FIELD_WORDS:
            return False
        if left_words[-1] not in _FIELD_WORDS and left_words[-1] not in _LEFT_ONLY_WORDS:
            return False
        if any(word in _NAME_PREPOSITIONS for word in right_words[1:]):
            return False  # "... & Information Research Center of Military Science"
        if len(right_words) > 1 and right_words[-1] in _FIELD_WORDS and len(left_words) > 1:
            return False  # two disciplines: "Computer Science & Biomedical Data Science"
        # Either side standing as a distinctive name of its own ("California Institute of
        # Technology & Statistics") makes a list, not one name. Generic names that happen to be
        # in ROR ("Institute of Engineering", "Data Management") do not count.
        return not any(
            _has_proper_word(side) and self._strict_match(side) is not None
            for side in (left, right)
        )

    def split(self, line: str) -> list[str]:
        """Split an institution line on " & " without breaking names that contain "&".

        A run of parts is kept together when the joined text is a known name (longest run
        first, up to four parts) or when each "&" sits between field words ("University of
        Science & Technology", "Boeing Research & Technology", "D. E. Shaw & Co."). An "&"
        without surrounding spaces ("R&D", "Texas A&M") never splits.

        Parameters
        ----------
        line : str
            Names joined by " & ", optionally inside square brackets.

        Returns
        -------
        list of str
            The names, stripped, in order; empty parts are dropped.

        Examples
        --------
        >>> load_lexicon().split("Texas A&M University & Huazhong University of Science & Technology")
        ['Texas A&M University', 'Huazhong University of Science & Technology']
        """
        text = line.strip()
        if text.startswith("[") and text.endswith("]"):
            text = text[1:-1]
        pieces = [piece.strip() for piece in _AMP_SPLIT.split(text)]
        pieces = [piece for piece in pieces if piece]
        names: list[str] = []
        i = 0
        while i < len(pieces):
            end = i + 1
            for j in range(min(len(pieces), i + _MAX_JOIN), i + 1, -1):
                if self._strict_match(" & ".join(pieces[i:j])) is not None:
                    end = j
                    break
            else:
                while end < len(pieces) and self._joinable(pieces[end - 1], pieces[end]):
                    end += 1
            names.append(" & ".join(pieces[i:end]))
            i = end
        return names


def _make_match(name: str, ror_id: str | None, via: str, route: str) -> InstitutionMatch:
    key = f"ror:{ror_id}" if ror_id else f"name:{normalise_name(name)}"
    return InstitutionMatch(name, ror_id, key, via, route)


# -- loading -------------------------------------------------------------------------------------


def _data_path(filename: str):
    try:
        return resources.files("kg") / "data" / filename
    except (ModuleNotFoundError, TypeError):  # pragma: no cover - kg without package metadata
        return Path(__file__).resolve().parent.parent / "data" / filename


def _read_aliases(path) -> tuple[dict, dict]:
    exact: dict[str, tuple[str, str | None]] = {}
    folded: dict[str, tuple[str, str | None]] = {}
    canonicals: dict[str, tuple[str, str | None]] = {}
    with path.open("r", encoding="utf-8") as handle:
        rows = [line.rstrip("\n").split("\t") for line in handle]
    header_seen = False
    for number, row in enumerate(rows, start=1):
        if not row[0].strip() or row[0].lstrip().startswith("#"):
            continue
        if not header_seen:
            header_seen = True
            if row[0].strip().lower() == "alias":
                continue
        if len(row) < 2 or not row[1].strip():
            raise ValueError(f"{path}:{number}: expected alias<TAB>canonical name<TAB>ror_id")
        alias, canonical = row[0].strip(), row[1].strip()
        ror_id = row[2].strip() if len(row) > 2 and row[2].strip() else None
        entry = (canonical, ror_id)
        if _is_acronym(alias):
            table, key = exact, _acronym_key(alias)
        else:
            table, key = folded, normalise_name(alias)
        if table.get(key, entry) != entry:
            raise ValueError(f"{path}:{number}: alias {alias!r} already maps to {table[key][0]!r}")
        table[key] = entry
        canonical_key = normalise_name(canonical)
        if canonicals.get(canonical_key, entry) != entry:
            raise ValueError(f"{path}:{number}: {canonical!r} has two different ROR ids")
        canonicals[canonical_key] = entry
    # Every canonical name is an alias of itself ("Microsoft Research" -> Microsoft Research).
    for key, entry in canonicals.items():
        folded.setdefault(key, entry)
    return exact, folded


def _read_ror(path) -> tuple[dict, dict, dict]:
    names: dict[str, list[tuple[str, str]]] = {}
    labels: dict[str, str] = {}
    places: dict[str, tuple[str, str, str]] = {}
    with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
        header = handle.readline().rstrip("\n").split("\t")
        while header and header[0].startswith("#"):
            header = handle.readline().rstrip("\n").split("\t")
        if header[:4] != ["norm", "ror_id", "status", "entry_name"]:
            raise ValueError(f"{path}: unexpected header {header!r}")
        located = header[4:7] == ["country", "city", "parent"]
        for line in handle:
            row = line.rstrip("\n").split("\t")
            norm, ror_id, status, entry_name = row[:4]
            names.setdefault(norm, []).append((ror_id, status))
            if entry_name:
                labels[ror_id] = entry_name
                if located and any(row[4:7]):
                    places[ror_id] = (row[4], row[5], row[6])
    return {norm: tuple(rows) for norm, rows in names.items()}, labels, places


def ror_version(ror_path=None) -> str:
    """The ROR release the name index was built from ("v1.36"), read from its first line only.

    >>> ror_version()
    'v1.36'
    """
    path = Path(ror_path) if ror_path is not None else _data_path(ROR_FILE)
    try:
        with path.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as handle:
            first = handle.readline()
    except (OSError, EOFError):
        return "unknown"
    fields = dict(item.split("=", 1) for item in first.lstrip("# ").split() if "=" in item)
    return fields.get("ror_version", "unknown")


@lru_cache(maxsize=4)
def load_lexicon(aliases_path=None, ror_path=None) -> InstitutionLexicon:
    """Load the alias table and the ROR index (cached per pair of paths).

    Parameters
    ----------
    aliases_path, ror_path : str or Path, optional
        Override the files shipped in ``kg/data``; ``ror_path`` must have the columns
        ``norm, ror_id, status, entry_name`` written by ``scripts/build_ror_index.py``.

    Returns
    -------
    InstitutionLexicon

    Raises
    ------
    ValueError
        When the alias table maps one alias to two different institutions.

    Examples
    --------
    >>> load_lexicon().match("Peking University").name
    'Peking University'
    """
    alias_file = Path(aliases_path) if aliases_path is not None else _data_path(ALIASES_FILE)
    ror_file = Path(ror_path) if ror_path is not None else _data_path(ROR_FILE)
    exact, folded = _read_aliases(alias_file)
    ror_names, ror_labels, ror_places = _read_ror(ror_file)
    if ror_path is None:  # names in their own script, for the shipped index (kg/data/ror_labels.tsv)
        for norm, ror_id in _read_labels(_data_path(LABELS_FILE)):
            if ror_id in ror_labels and (ror_id, "synonym") not in ror_names.get(norm, ()):
                ror_names[norm] = ror_names.get(norm, ()) + ((ror_id, "synonym"),)
    lexicon = InstitutionLexicon(exact, folded, ror_names, ror_labels, ror_places)
    lexicon.source_files = (alias_file, ror_file, *(() if ror_path is not None else (_data_path(LABELS_FILE),)))
    return lexicon


def _read_labels(path) -> list[tuple[str, str]]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return []
    rows = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 2 or not fields[1].strip():
            raise ValueError(f"{path}:{number}: expected name<TAB>ROR id")
        rows.append((normalise_name(fields[0]), fields[1].strip()))
    return rows
