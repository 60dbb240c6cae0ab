"""Institutions in context: an ambiguous acronym read as the organisation its authors are seen with.

Digests print "UM", "NTU", "UW" or "NU" where several organisations carry the acronym. The lexicon
gives each one reading at most (the one that dominates in AI papers, or none). Here the corpus
decides instead, per paper: a full name printed elsewhere in the corpus whose initials spell the
acronym ("University of Macau" for "UM") is a candidate, and the paper's authors are the evidence —
an author printed with that full name on another paper. Evidence from a name seen with many
institutions ("Y Wang") counts for little: each author adds 1 / (number of institutions their printed
name appears with). The lexicon's own reading is replaced only when a candidate scores at least
``OVERRIDE`` and more than it; an acronym without a reading takes a candidate scoring ``ADOPT``.
Both thresholds were chosen on the even-numbered dev digests, the odd ones held out
(bench/corpus_quality.py measures institution B³ against gold).

Each reading records its route (``ROUTES``): the lexicon's (``InstitutionMatch.route``: "ror-name",
"ror-alias", "alias", "matcher", "unmatched") or "context" when the authors decided it.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from ..knowledge.institutions import fold_accents, looks_like_acronym

__all__ = ["ROUTES", "Reading", "is_acronym_form", "spells", "read_in_context"]

# Every route a paper's institution reference can have (InstitutionRef.via), in the order reports list them:
# the lexicon's, then "context" (an acronym read as the institution the paper's authors are seen with)
ROUTES = ("ror-name", "ror-alias", "alias", "matcher", "context", "unmatched")

OVERRIDE = 0.2
ADOPT = 0.1

# Words acronyms usually skip: "University of Macau" is UM, "Institute for Advanced Study" IAS.
_SKIPPED = frozenset("of for and the at de di du der des in on la le et und y e".split())
# An acronym may stop before a campus or location: "TTI" for "Toyota Technological Institute at Chicago".
_TAIL = re.compile(r",| at | in | - | – ")


@dataclass(frozen=True)
class Reading:
    """The institution one printed name stands for on one paper.

    ``context`` names the paper's authors whose other papers carry this institution, when the
    reading was chosen from them (empty when the lexicon alone decided); ``via`` the route (``ROUTES``).
    """

    institution_id: str
    name: str
    ror_id: str | None
    matched: bool
    context: tuple[str, ...] = ()
    via: str | None = None


def is_acronym_form(printed: str) -> bool:
    """True for a printed name that is one acronym-like token ("UM", "NTU", "CityU"), not a name."""
    text = printed.strip()
    return looks_like_acronym(text) and text[:1].isupper()


def spells(acronym: str, name: str) -> bool:
    """True when the initials of `name` spell `acronym`, with or without its small words.

    >>> spells("UM", "University of Macau"), spells("TTI", "Toyota Technological Institute at Chicago")
    (True, True)
    >>> spells("NTU", "National University of Singapore")
    False
    """
    letters = _letters(acronym)
    return len(letters) >= 2 and letters in _initials(name)


def _letters(acronym: str) -> str:
    return "".join(ch for ch in acronym if ch.isalpha()).upper()


def _initials(name: str) -> set[str]:
    # the initials of every word, and of the words acronyms keep, of the name and of its head
    out = set()
    for head in dict.fromkeys((name, _TAIL.split(name)[0])):
        words = re.findall(r"[^\W\d_]+", fold_accents(head))
        out.add("".join(w[0] for w in words).upper())
        out.add("".join(w[0] for w in words if w.casefold() not in _SKIPPED).upper())
    return out


def read_in_context(papers, resolve_one) -> list[list[Reading]]:
    """Readings of every printed institution of every paper, acronyms decided by their authors.

    Parameters
    ----------
    papers : sequence of (printed institutions, author keys)
        Per paper, its institution names as printed and its authors (normalised printed names).
    resolve_one : callable
        printed name -> (id, canonical name, ROR id, matched, route), the context-free lexicon lookup
        (the route may be left off: the reading then records none).

    Returns
    -------
    list of list of Reading, aligned with `papers` and their printed names.
    """
    papers = [(tuple(printed), tuple(dict.fromkeys(authors))) for printed, authors in papers]
    cache: dict[str, Reading] = {}

    def lookup(name: str) -> Reading:
        if name not in cache:
            inst_id, canonical, ror_id, matched, *route = resolve_one(name)
            cache[name] = Reading(inst_id, canonical, ror_id, matched, via=route[0] if route else None)
        return cache[name]

    readings = [[lookup(name) for name in printed] for printed, _ in papers]
    # what full names say: author -> papers per institution; institution -> its full printed names
    seen_with: dict[str, Counter] = defaultdict(Counter)
    full_names: dict[str, set[str]] = defaultdict(set)
    full_of_paper: list[set[str]] = []
    for (printed, authors), found in zip(papers, readings, strict=True):
        ids = set()
        for name, r in zip(printed, found, strict=True):
            if not is_acronym_form(name):
                ids.add(r.institution_id)
                full_names[r.institution_id].add(name)
        for author in authors:
            seen_with[author].update(ids)
        full_of_paper.append(ids)
    spelled: dict[str, list[str]] = defaultdict(list)  # initials -> institutions, in id order
    for inst_id in sorted(full_names):
        for initials in sorted(set().union(*(_initials(name) for name in full_names[inst_id]))):
            spelled[initials].append(inst_id)
    acronyms = {name for printed, _ in papers for name in printed if is_acronym_form(name)}
    candidates = {a: spelled.get(_letters(a), []) if len(_letters(a)) >= 2 else [] for a in acronyms}
    labels = {inst_id: lookup(sorted(names)[0]) for inst_id, names in full_names.items()}

    for (printed, authors), found, own in zip(papers, readings, full_of_paper, strict=True):
        for k, name in enumerate(printed):
            if not is_acronym_form(name) or not candidates.get(name):
                continue
            default = found[k]
            options = list(candidates[name])
            if default.matched and default.institution_id not in options:
                options.append(default.institution_id)
            score: dict[str, float] = {}
            support: dict[str, list[str]] = {}
            for inst_id in options:
                for author in authors:
                    # papers other than this one that print the institution in full
                    elsewhere = seen_with[author][inst_id] - (inst_id in own)
                    if elsewhere > 0:
                        score[inst_id] = score.get(inst_id, 0.0) + 1.0 / len(seen_with[author])
                        support.setdefault(inst_id, []).append(author)
            if not score:
                continue
            best = min(score, key=lambda i: (-score[i], i))
            if best == default.institution_id:
                continue
            threshold = OVERRIDE if default.matched else ADOPT
            if score[best] >= threshold and score[best] > score.get(default.institution_id, 0.0):
                label = labels[best]
                found[k] = Reading(best, label.name, label.ror_id, label.matched, tuple(support[best]), "context")
    return readings
