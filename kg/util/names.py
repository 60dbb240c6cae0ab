"""Person names as printed: whether a given name is spelled out, and whether one printed form
abbreviates another ("D Dai" of "Damai Dai").

Readers use them to keep the full names metadata gives (`is_full_name`); resolution uses them to
attach those full names to the abbreviated forms digests print (`abbreviates`).
"""

from __future__ import annotations

import re

from .textnorm import fold

__all__ = ["is_full_name", "abbreviates"]

_INITIALS_RUN_RE = re.compile(r"^[A-Z]{1,3}$")  # "R", "JM": given names printed as capitals only


def is_full_name(name: str) -> bool:
    """True when some given name is spelled out (not only initials).

    >>> [is_full_name(n) for n in ("Damai Dai", "D Dai", "R P. Adams", "K. Birgitta Whaley", "C. -P. Yuan", "Dai")]
    [True, False, False, True, False, False]
    """
    words = name.split()
    if len(words) < 2:
        return False
    for word in words[:-1]:
        core = word.strip(".,-‐")
        parts = [p for p in re.split(r"[.\-‐]", core) if p]
        if any(len(p) >= 2 and not _INITIALS_RUN_RE.match(p) for p in parts):
            return True
    return False


def abbreviates(printed: str, full: str) -> bool:
    """Whether `printed` can be an abbreviation of `full`: same surname (accents, case and hyphens
    ignored) and each printed given name equal to, or the initial of, the full given name in order.

    Not symmetric: "R Adams" abbreviates "Ryan P. Adams", but "R P. Adams" does not abbreviate
    "Ryan Adams" (an initial the full name lacks).

    >>> abbreviates("D Dai", "Damai Dai"), abbreviates("R P. Adams", "Ryan P. Adams")
    (True, True)
    >>> abbreviates("Y-S Liu", "Yu-Shen Liu"), abbreviates("L van der Maaten", "Laurens van der Maaten")
    (True, True)
    >>> abbreviates("L Dong", "Li Dong"), abbreviates("Li Dong", "Lei Dong"), abbreviates("D Dai", "Damai Da")
    (True, False, False)
    """
    p_words, f_words = printed.split(), full.split()
    if len(p_words) < 2 or len(f_words) < 2:
        return False
    p_all, f_all = fold(printed).split(), fold(full).split()
    # longest shared suffix of folded tokens is the surname (keeps "van der Maaten", "Hernández-Lobato")
    k = 0
    while k < min(len(p_all), len(f_all)) - 1 and p_all[-1 - k] == f_all[-1 - k]:
        k += 1
    if k == 0:
        return False
    p_given = _given_tokens(" ".join(_strip_surname(p_words, k)))
    f_given = _given_tokens(" ".join(_strip_surname(f_words, k)))
    if not p_given or len(p_given) > len(f_given):
        return False
    for p, f in zip(p_given, f_given):  # the full name may have more given names than printed
        if len(p) == 1:
            if f[:1] != p:
                return False
        elif p != f:
            return False
    return True


def _given_tokens(given: str) -> list[str]:
    """Given-name tokens, folded; runs of capitals ("JM") become one token per initial."""
    tokens: list[str] = []
    for raw in re.split(r"[\s.\-‐]+", given):
        if not raw:
            continue
        if _INITIALS_RUN_RE.match(raw) and len(raw) > 1:
            tokens.extend(ch.lower() for ch in raw)
        else:
            tokens.extend(fold(raw).split())
    return tokens


def _strip_surname(words: list[str], k: int) -> list[str]:
    """`words` without its last k folded tokens (a hyphenated surname is one word but two tokens)."""
    out = list(words)
    remaining = k
    while out and remaining > 0:
        remaining -= len(fold(out[-1]).split()) or 1
        out.pop()
    return out
