"""Person names as author resolution compares them: surname, given-name initials, whether two
printed forms could name one person, and the full name behind each printed form of a paper.

Digests print initials ("R P. Adams"), metadata gives full names ("Ryan P. Adams"). Both reduce to
the same *key* ("r p adams") and the same *block* (surname + first initial: ("adams", "r")), the unit
inside which mentions are compared at all.

>>> name_key("Ryan P. Adams"), name_key("R P. Adams"), block_key("Y-S Liu")
('r p adams', 'r p adams', ('liu', 'y'))
"""

from __future__ import annotations

from functools import lru_cache

from ..util.names import abbreviates
from ..util.textnorm import fold

__all__ = [
    "name_parts", "name_key", "block_key", "could_be_same_person", "is_full", "full_names_for", "COMMON_SURNAMES",
]


@lru_cache(maxsize=200_000)
def name_parts(name: str) -> tuple[tuple[str, ...], str]:
    """(given-name tokens, surname) of a name, accents, case, dots and hyphens folded away.

    The surname is the last token ("van der Maaten" keeps "maaten"; particles count as given tokens,
    so "L van der Maaten" and "Laurens van der Maaten" still agree).

    >>> name_parts("Yu-Shen Liu"), name_parts("Mausam")
    ((('yu', 'shen'), 'liu'), ((), 'mausam'))
    """
    tokens = fold(name).split()
    if not tokens:
        return (), ""
    return tuple(tokens[:-1]), tokens[-1]


@lru_cache(maxsize=200_000)
def name_key(name: str) -> str:
    """Initials and surname: the form in which a full name and its abbreviation are equal."""
    given, surname = name_parts(name)
    return " ".join([t[0] for t in given] + [surname]).strip()


def block_key(name: str) -> tuple[str, str]:
    """Surname and first initial: mentions in different blocks are never the same person."""
    given, surname = name_parts(name)
    return surname, (given[0][0] if given else "")


def is_full(name: str) -> bool:
    """Whether a name spells out a given name ("Ryan P. Adams"), not only initials ("R P. Adams")."""
    return any(len(t) > 1 for t in name_parts(name)[0])


def could_be_same_person(a: str, b: str) -> bool:
    """Can `a` and `b` name the same person? Same surname, one initials sequence a prefix of the
    other, and wherever both spell a given name out, the same given name. Symmetric (unlike
    kg.util.names.abbreviates, which asks whether one printed form shortens the other).

    >>> could_be_same_person("Y-S Liu", "Yu-Shen Liu"), could_be_same_person("R Adams", "Ryan P. Adams")
    (True, True)
    >>> could_be_same_person("Yang Liu", "Yu Liu"), could_be_same_person("Y S Liu", "Y W Liu")
    (False, False)
    >>> could_be_same_person("Y Liu", "Y Li")
    False
    """
    given_a, surname_a = name_parts(a)
    given_b, surname_b = name_parts(b)
    if surname_a != surname_b or not surname_a:
        return False
    for x, y in zip(given_a, given_b):  # one initials sequence may be longer
        if x[0] != y[0]:
            return False
        if len(x) > 1 and len(y) > 1 and x != y:
            return False
    return True


def full_names_for(printed_authors, entries) -> tuple[str | None, ...]:
    """The full name behind each printed author of a merged paper, from the entries that give full names.

    An entry's full name at the same position is preferred; otherwise the only full name in that
    entry's list that the printed name abbreviates. None where no entry offers one ("D Dai" → "Damai
    Dai" from arXiv metadata or BibTeX).
    """
    sources = [e.author_names_full for e in entries if getattr(e, "author_names_full", ())]
    out: list[str | None] = []
    used: list[set[int]] = [set() for _ in sources]
    for i, printed in enumerate(printed_authors):
        found = None
        for s, fulls in enumerate(sources):
            candidates = [j for j, full in enumerate(fulls) if full and j not in used[s] and abbreviates(printed, full)]
            pick = i if i in candidates else (candidates[0] if len(candidates) == 1 else None)
            if pick is not None:
                found = fulls[pick]
                used[s].add(pick)
                break
        out.append(found)
    return tuple(out)


# Surnames shared by very many people worldwide (public lists of the most frequent surnames in China,
# Korea, Vietnam, India, Japan and Western countries). The resolver estimates how ambiguous a surname
# is from the build itself (how many different initials it is printed with); a small build sees "Wang"
# with one set of initials and would take every "Y Wang" for one person, so these never count as rarer
# than COMMON_SURNAME_FLOOR distinct initial sets (see authors.py).
COMMON_SURNAMES = frozenset("""
wang li zhang liu chen yang huang zhao wu zhou xu sun ma zhu hu guo he gao lin luo zheng liang xie song tang
han feng deng cao peng zeng xiao tian dong pan yuan cai jiang yu du ye cheng wei su lu ding ren shen yao jin
fu zhong cui tan lv lyu shi qian qiu qin hou xiong meng yan xue bai kong mao hao gu fan shao wan dai fang
jia xia wen lei long duan zhan kang hong yin mo chang chu
kim lee park choi jung jeong kang cho yoon jang lim im han oh seo shin kwon hwang ahn an song yoo hong jeon ko
moon son bae baek heo nam
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly
kumar singh sharma gupta patel shah reddy rao das jain mehta agarwal verma mishra iyer joshi
sato suzuki takahashi tanaka watanabe ito yamamoto nakamura kobayashi kato
smith johnson williams brown jones miller davis garcia rodriguez martinez wilson anderson taylor thomas moore
martin jackson white harris clark lewis robinson walker young allen king wright scott green baker adams
muller mueller schmidt schneider fischer weber meyer wagner becker schulz hoffmann
""".split())
