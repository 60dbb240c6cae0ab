"""`kg explain institution ID|NAME`: what an institution's paper count is made of, to trust it or not.

Reads a finished build's corpus (corpus.json) only: the Institution record (canonical name, ROR id,
every printed form, matched or not) and each paper's institution references (the form the paper
printed, the name the form was read as, and — for an acronym its authors decided — the authors seen
with the institution on other papers). kg/resolve/corpus.py writes both.

How a printed form was matched is the route the build recorded on each paper's reference
(InstitutionRef.via, kg.resolve.institutions.ROUTES): the ROR record's name, a ROR synonym, the
alias table ("MSR" read as Microsoft Research, whose ROR organisation is Microsoft), the affiliation
matcher, the paper's authors (an acronym read in context) or nothing (unmatched). A corpus.json
written before routes were recorded says only what its record shows (read in context, unmatched);
any other route is "not recorded (older build)".

Institutions whose names are close are listed too, strongest relation first, so a wrong merge or a
split shows: the same printed form counted under both ("UM"), the same normalised name, an acronym
of one spelling a name of the other ("KAIST"), or one name inside the other ("Tsinghua University"
in "Tsinghua University Changgung Hospital").

Names and titles are printed with control, format (bidirectional marks, zero-width characters) and
separator characters escaped (`\\u202e`), so a hostile name cannot rewrite the terminal line.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from ..errors import KgError
from ..knowledge.institutions import normalise_name
from ..model import Corpus, Institution
from ..util.textnorm import fold
from .institutions import ROUTES, is_acronym_form, spells

__all__ = ["explain_institution", "explain_institution_json", "find_institutions", "shown", "json_text"]

EXAMPLES = 3  # example papers per printed form
MAX_FORMS = 12  # printed forms listed in the text
MAX_CLOSE = 10  # close institutions listed in the text
MAX_CONTEXT_AUTHORS = 5

ROR_URL = "https://ror.org/"

# The relations of a close institution, strongest first (JSON "relation" values).
RELATIONS = ("same-printed-form", "same-normalised-name", "acronym", "name-inside")

# Generic words: a name made of these alone ("University", "Research Lab") says nothing as part of another.
_GENERIC = frozenset(
    "academy advanced ai and at center centre college department dept division faculty for group in institute "
    "international key lab laboratories laboratory labs national of program research school science sciences "
    "state technology the university".split()
)


def shown(text: str | None) -> str:
    """`text` safe for a terminal line: every character Python does not call printable (controls,
    line and paragraph separators, bidirectional and zero-width format characters, non-ASCII spaces)
    is written as its escape, `\\n`, `\\x07`, `\\u202e`; None is ""."""
    if not text:
        return ""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in text)


def json_text(data) -> str:
    """`data` as indented JSON, non-ASCII letters kept, every character that is not printable escaped
    (\\uXXXX, inside strings: the only place such characters can be), so the document is as safe to
    print as the text output."""
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return "".join(c if c.isprintable() or c == "\n" else _json_escape(c) for c in text)


def _json_escape(c: str) -> str:
    code = ord(c)
    if code > 0xFFFF:  # a surrogate pair
        code -= 0x10000
        return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"
    return f"\\u{code:04x}"


def _plural(n: int, word: str) -> str:
    return f"{n:,} {word}{'' if n == 1 else 's'}"


@dataclass
class _Form:
    """One printed form of the institution: the papers counted under it, how each was read."""

    printed: str
    papers: list[str] = field(default_factory=list)
    routes: Counter = field(default_factory=Counter)
    read_as: Counter = field(default_factory=Counter)  # reading names other than the canonical one
    context_authors: dict = field(default_factory=dict)  # author key -> None, in order of first sight


def _paper_counts(corpus: Corpus) -> Counter:
    return Counter(ref.institution_id for paper in corpus.papers for ref in paper.institutions)


def _ror_id(query: str) -> str | None:
    match = re.fullmatch(r"(?:https?://ror\.org/|ror[-:])?(0[a-z0-9]{6}[0-9]{2})", query.strip(), re.IGNORECASE)
    return match.group(1).lower() if match else None


def find_institutions(corpus: Corpus, query: str) -> list[Institution]:
    """The institution with id `query` (or ROR id, bare or as its https://ror.org/ link); else every
    institution named or printed `query`, accents, case and punctuation ignored."""
    for inst in corpus.institutions:
        if inst.id == query:
            return [inst]
    ror = _ror_id(query)
    if ror:
        found = [i for i in corpus.institutions if i.ror_id == ror]
        if found:
            return found
    wanted = fold(query)
    if not wanted:
        return []
    read_as: dict[str, set[str]] = defaultdict(set)
    for paper in corpus.papers:
        for ref in paper.institutions:
            read_as[ref.institution_id].add(fold(ref.name))
    return [i for i in corpus.institutions
            if wanted == fold(i.name) or wanted in {fold(p) for p in i.printed} or wanted in read_as.get(i.id, ())]


NOT_RECORDED = "not-recorded"  # the route of a reference in a corpus.json written before routes were recorded


def _route(inst: Institution, via: str | None, context: tuple[str, ...]) -> str:
    """How one paper's printed form came to count under `inst`: the route the build recorded (one of
    ROUTES); for an older build's reference, "context" or "unmatched" when its record shows it, else
    NOT_RECORDED."""
    if via:
        return via
    if context:
        return "context"
    if not inst.matched:
        return "unmatched"
    return NOT_RECORDED


_ROUTE_TEXT = {
    "ror-name": "the ROR name",
    "ror-alias": "a ROR synonym (an alias, acronym or label ROR lists for the organisation)",
    "unmatched": "unmatched: no alias and no ROR name; counted under its own name",
}

# Routes in a few words, for an institution's summary line
_ROUTE_SHORT = {
    "ror-name": "ROR name", "ror-alias": "ROR synonym", "alias": "alias table", "matcher": "affiliation matcher",
    "context": "read in context", "unmatched": "no match", NOT_RECORDED: "not recorded (older build)",
}
_ROUTE_ORDER = {route: k for k, route in enumerate((*ROUTES, NOT_RECORDED))}


def _forms(corpus: Corpus, inst: Institution) -> tuple[list[_Form], list[str]]:
    """The printed forms counted under `inst` (most papers first), and the forms of its record no
    paper is counted under (printed on a paper counted under another of its forms)."""
    forms: dict[str, _Form] = {}
    for paper in corpus.papers:
        for ref in paper.institutions:
            if ref.institution_id != inst.id:
                continue
            form = forms.setdefault(ref.printed, _Form(ref.printed))
            form.papers.append(paper.id)
            route = _route(inst, ref.via, ref.context)
            form.routes[route] += 1
            if ref.name and ref.name != inst.name:
                form.read_as[ref.name] += 1
            for author in ref.context:
                form.context_authors.setdefault(author, None)
    ordered = sorted(forms.values(), key=lambda f: (-len(f.papers), f.printed))
    uncounted = [p for p in inst.printed if p not in forms]
    return ordered, uncounted


def _route_text(inst: Institution, form: _Form) -> str:
    parts = []
    for route, n in sorted(form.routes.items(), key=lambda kv: (-kv[1], kv[0])):
        if route == "context":
            authors = list(form.context_authors)
            shown_authors = ", ".join(shown(a) for a in authors[:MAX_CONTEXT_AUTHORS])
            if len(authors) > MAX_CONTEXT_AUTHORS:
                shown_authors += f", … and {len(authors) - MAX_CONTEXT_AUTHORS} more"
            text = f"read in context: authors of the paper print this institution on other papers ({shown_authors})"
        elif route == "alias":
            text = "alias table"
            if form.read_as and set(form.read_as) != {form.printed}:
                text += ": read as " + _read_as(form)
            elif form.read_as:
                text += " name"
            if inst.ror_id:
                text += f", linked to the ROR organisation {shown(inst.name)}"
            else:
                text += " (an organisation without a ROR record)"
        elif route == "matcher":
            text = (f"affiliation matcher: a name of the ROR organisation {shown(inst.name)} found as a whole part "
                    "of it, no other organisation sharing that name")
        elif route == NOT_RECORDED:
            text = ("not recorded (older build; rebuild to record whether the alias table, a ROR name or synonym, "
                    "or the affiliation matcher linked it)")
            if form.read_as:
                text += "; read as " + _read_as(form)
        elif route in _ROUTE_TEXT:
            text = _ROUTE_TEXT[route]
        else:  # a route this kg does not know (a corpus.json from a later build)
            text = f"route {shown(route)}"
        parts.append(text if len(form.routes) == 1 else f"{text} on {n:,}")
    return "; ".join(parts)


def _read_as(form: _Form) -> str:
    return " / ".join(f'"{shown(name)}"' for name, _ in form.read_as.most_common())


def _routes(forms: list[_Form]) -> Counter:
    """References (papers) by route over every form."""
    total: Counter = Counter()
    for form in forms:
        total.update(form.routes)
    return total


def _by_route(routes: Counter) -> dict:
    return {route: routes[route] for route in sorted(routes, key=lambda r: (_ROUTE_ORDER.get(r, len(_ROUTE_ORDER)), r))}


@dataclass
class _Names:
    """Every name of one institution (canonical, printed, counted forms), each with its normalised words."""

    forms: set[str]
    normalised: dict[str, str]  # normalised name -> one name that gives it
    acronyms: list[str]  # forms that are one acronym ("UM"), sorted
    full: list[tuple[str, tuple[str, ...]]]  # the other names and their normalised words, sorted


def _names(inst: Institution, counted: set[str]) -> _Names:
    forms = counted | set(inst.printed)
    normalised: dict[str, str] = {}
    full = []
    for name in sorted(forms | {inst.name}):
        norm = normalise_name(name)
        if norm:
            normalised.setdefault(norm, name)
        if not is_acronym_form(name):
            full.append((name, tuple(norm.split())))
    return _Names(forms, normalised, sorted(n for n in forms if is_acronym_form(n)), full)


def _inside(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    """True when the words `short` are a run of the words `long`, and say something on their own (a
    word that is not generic, three letters at least)."""
    if not short or len(short) >= len(long) or all(w in _GENERIC for w in short) or sum(map(len, short)) < 3:
        return False
    n = len(short)
    return any(long[k:k + n] == short for k in range(len(long) - n + 1))


def _relation(mine: _Names, theirs: _Names) -> tuple[int, str] | None:
    """The strongest relation between two institutions' names (index in RELATIONS, what it is), or None;
    "its" is the other institution, "here" the one explained."""
    shared = sorted(mine.forms & theirs.forms)
    if shared:
        return 0, "also counts the printed form " + ", ".join(f'"{shown(p)}"' for p in shared[:3])
    same = sorted(mine.normalised.keys() & theirs.normalised.keys())
    if same:
        return 1, f'same normalised name "{shown(same[0])}" (its "{shown(theirs.normalised[same[0]])}")'
    for acronym in mine.acronyms:
        for name, _ in theirs.full:
            if spells(acronym, name):
                return 2, f'"{shown(acronym)}" (a form here) spells its name "{shown(name)}"'
    for acronym in theirs.acronyms:
        for name, _ in mine.full:
            if spells(acronym, name):
                return 2, f'its form "{shown(acronym)}" spells "{shown(name)}" (a name here)'
    for a, a_words in mine.full:
        for b, b_words in theirs.full:
            if _inside(a_words, b_words):
                return 3, f'"{shown(a)}" (a name here) is part of its name "{shown(b)}"'
            if _inside(b_words, a_words):
                return 3, f'its name "{shown(b)}" is part of "{shown(a)}" (a name here)'
    return None


def _close(corpus: Corpus, inst: Institution, counts: Counter) -> list[dict]:
    counted: dict[str, set[str]] = defaultdict(set)
    for paper in corpus.papers:
        for ref in paper.institutions:
            counted[ref.institution_id].add(ref.printed)
    mine = _names(inst, counted.get(inst.id, set()))
    found = []
    for other in corpus.institutions:
        if other.id == inst.id:
            continue
        rel = _relation(mine, _names(other, counted.get(other.id, set())))
        if rel is not None:
            found.append((rel[0], -counts.get(other.id, 0), other.id, other, rel[1]))
    found.sort(key=lambda r: r[:3])
    return [{"id": other.id, "name": other.name, "ror_id": other.ror_id, "papers": counts.get(other.id, 0),
             "relation": RELATIONS[rank], "why": why} for rank, _, _, other, why in found]


def _choose(corpus: Corpus, query: str, counts: Counter) -> Institution | list[Institution]:
    found = find_institutions(corpus, query)
    if not found:
        raise KgError(f"no institution {query!r} in this build (give an institution id, e.g. institution:ror-00f54p054, "
                      "a ROR id, or a name or printed form)")
    if len(found) > 1:
        return sorted(found, key=lambda i: (-counts.get(i.id, 0), i.id))
    return found[0]


def explain_institution_json(corpus: Corpus, query: str) -> dict:
    """The explanation of the institution `query` as a JSON-ready dict (docs/cli.md lists its fields);
    several matches: {"query", "matches": [{"id", "name", "ror_id", "papers"}]}."""
    counts = _paper_counts(corpus)
    chosen = _choose(corpus, query, counts)
    if isinstance(chosen, list):
        return {"query": query, "matches": [{"id": i.id, "name": i.name, "ror_id": i.ror_id,
                                             "papers": counts.get(i.id, 0)} for i in chosen]}
    inst = chosen
    titles = {p.id: p.title for p in corpus.papers}
    forms, uncounted = _forms(corpus, inst)
    return {
        "kind": "institution",
        "id": inst.id,
        "name": inst.name,
        "ror_id": inst.ror_id,
        "ror_url": ROR_URL + inst.ror_id if inst.ror_id else None,
        "matched": inst.matched,
        "papers": counts.get(inst.id, 0),
        "routes": _by_route(_routes(forms)),
        "printed": [
            {"printed": f.printed, "papers": len(f.papers),
             "routes": dict(sorted(f.routes.items(), key=lambda kv: (-kv[1], kv[0]))),
             "read_as": dict(f.read_as.most_common()), "context_authors": list(f.context_authors),
             "paper_ids": sorted(f.papers),
             "examples": [{"id": pid, "title": titles.get(pid)} for pid in sorted(f.papers)[:EXAMPLES]]}
            for f in forms
        ],
        "printed_not_counted": uncounted,
        "close": _close(corpus, inst, counts),
    }


def explain_institution(corpus: Corpus, query: str) -> str:
    """The explanation text of the institution `query` (an id, a ROR id, or a name only one institution has)."""
    counts = _paper_counts(corpus)
    chosen = _choose(corpus, query, counts)
    if isinstance(chosen, list):
        lines = [f"{len(chosen)} institutions match {query!r}; explain one of them by id:"]
        for i in chosen:
            lines.append(f"  {i.id}  {shown(i.name)}  {_plural(counts.get(i.id, 0), 'paper')}")
        return "\n".join(lines)
    inst = chosen
    titles = {p.id: p.title for p in corpus.papers}
    forms, uncounted = _forms(corpus, inst)
    total = counts.get(inst.id, 0)
    lines = [f"{inst.id}  {shown(inst.name)}"]
    if inst.ror_id:
        lines.append(f"ROR {inst.ror_id}  {ROR_URL}{inst.ror_id}")
    elif inst.matched:
        lines.append("no ROR record: named by the alias table")
    else:
        lines.append("no ROR record: matched no alias and no ROR name (its id is its normalised name)")
    lines.append(f"counted on {_plural(total, 'paper')} (a paper counts once, whichever of its forms it prints)")
    routes = _routes(forms)
    if routes:
        lines.append("by route: " + ", ".join(
            f"{_ROUTE_SHORT.get(route, shown(route))} on {_plural(n, 'paper')}"
            for route, n in sorted(routes.items(), key=lambda kv: (-kv[1], _ROUTE_ORDER.get(kv[0], len(_ROUTE_ORDER)), kv[0]))))
    lines.append(f"{_plural(len(forms), 'printed form')} (papers counted under it, how it was matched, example papers):")
    for form in forms[:MAX_FORMS]:
        lines.append(f'  "{shown(form.printed)}"  {_plural(len(form.papers), "paper")}  {_route_text(inst, form)}')
        papers = sorted(form.papers)
        for pid in papers[:EXAMPLES]:
            lines.append(f"    {pid}  {shown(titles.get(pid))}".rstrip())
        if len(papers) > EXAMPLES:
            lines.append(f"    … and {len(papers) - EXAMPLES:,} more")
    if len(forms) > MAX_FORMS:
        rest = forms[MAX_FORMS:]
        lines.append(f"  … and {len(rest):,} more forms on {_plural(sum(len(f.papers) for f in rest), 'paper')}")
    if uncounted:
        lines.append("also printed, only on papers counted under another of its forms (which papers is not recorded): "
                     + ", ".join(f'"{shown(p)}"' for p in uncounted))
    close = _close(corpus, inst, counts)
    if close:
        lines.append(f"{_plural(len(close), 'institution')} with a close name (a wrong merge or split would show here):")
        for c in close[:MAX_CLOSE]:
            lines.append(f"  {c['id']}  {shown(c['name'])}  {_plural(c['papers'], 'paper')}  {c['why']}")
        if len(close) > MAX_CLOSE:
            lines.append(f"  … and {len(close) - MAX_CLOSE:,} more")
    else:
        lines.append("no institution with a close name (same printed form, normalised name, acronym, or one name in the other)")
    return "\n".join(lines)
