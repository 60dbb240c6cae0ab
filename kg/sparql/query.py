"""Named SPARQL queries over a built graph, run with Oxigraph on the build's store (kg.sparql.store).

The named queries are the ``kg/queries/*.rq`` files. Each starts with a comment header::

    # name: coauthors
    # description: Co-authors of an author, with the number of papers together.
    # param: author  Author name, resolved or as printed, e.g. "D Dai"

A parameter is a SPARQL variable of the same name (``?author``). Its value is bound as a plain
string literal through Oxigraph's variable substitution, never pasted into the query text as
text, so any value (quotes, braces, ``DROP ALL``) stays a literal. Because Oxigraph plans a query
before it substitutes, the same literals, serialised by pyoxigraph (escaped), also open the WHERE
group as a one-row ``VALUES`` block, so the planner starts from them (see ``_with_values``). Oxigraph only substitutes variables that
the top-level SELECT clause lists, so a parameter must be projected; it is then left out of the
result columns (its value is the one given). Ad-hoc queries (a ``.rq`` file or SPARQL text) may
declare parameters with the same header; undeclared ``--param`` values are an error.

The store's default graph holds the merge of every named graph (the source documents and
``<base>graph/derived``), each triple once (kg.sparql says why); named graphs stay queryable with
``GRAPH ?g { … }`` for provenance. Queries may use the project prefixes (``kgo:``, ``fabio:``, ``dcterms:``,
``foaf:``, ``org:``, ``skos:``, ``schema:``, ``prov:``, ``owl:``, ``rdf:``, ``rdfs:``, ``xsd:``,
``void:``, ``mls:``) without declaring them.

Results hold plain Python values: IRIs as ``str``, blank nodes as ``"_:id"``, literals as
``int`` (xsd:integer and its subtypes, and xsd:gYear such as ``dcterms:issued``: the year),
``float`` (xsd:decimal, xsd:double, xsd:float), ``bool`` (xsd:boolean) or ``str`` (anything else:
the lexical form, without language tag or datatype), and ``None`` for an unbound variable.

A query holding ``SERVICE`` is refused before it runs (`ServiceError`): Oxigraph would send its inner
query over HTTP to the address it names, and kg never fetches anything (the same check as
``kg serve``'s, `kg.sparql.front.find_service`). A syntax error is reported with its line and
column (`QuerySyntaxError`).

>>> from pyoxigraph import Literal, NamedNode, Quad, Store
>>> store = Store()
>>> store.add(Quad(NamedNode("https://example.org/a"), NamedNode("http://xmlns.com/foaf/0.1/name"), Literal("A")))
>>> q = load_query('''# param: name  A name
... SELECT ?name ?person WHERE { ?person foaf:name ?name }''')
>>> run_query(store, q, {"name": "A"})
QueryResult(columns=('person',), rows=(('https://example.org/a',),))
>>> print(format_result(run_query(store, q, {"name": "A"}), "csv"))
person
https://example.org/a
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable, Mapping, Sequence

from pyoxigraph import (
    BlankNode,
    Literal,
    NamedNode,
    QueryBoolean,
    QuerySolutions,
    Store,
    Triple,
    Variable,
)

from ..errors import FormatError, KgError
from ..graph.rdf import PREFIXES
from ..util.csvsafe import neutralise
from .front import service_refusal

__all__ = [
    "FORMATS",
    "NamedQuery",
    "ParameterError",
    "QueryError",
    "QueryResult",
    "QuerySyntaxError",
    "ServiceError",
    "UnknownQueryError",
    "catalog",
    "format_result",
    "list_queries",
    "load_query",
    "parse_params",
    "query_from_text",
    "run_query",
]

FORMATS = ("table", "json", "csv")
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {
    _XSD + t
    for t in (
        "integer", "int", "long", "short", "byte", "nonNegativeInteger", "nonPositiveInteger",
        "positiveInteger", "negativeInteger", "unsignedLong", "unsignedInt", "unsignedShort", "unsignedByte",
    )
}
_FLOAT_TYPES = {_XSD + t for t in ("decimal", "double", "float")}
_YEAR = re.compile(r"-?[0-9]{4,}\Z")  # an xsd:gYear without time zone
_SYNTAX_ERROR = re.compile(r"error at (\d+):(\d+): (.*)", re.DOTALL)  # how pyoxigraph 0.5 words it
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_HEADER = re.compile(r"#\s*(name|description|param)\s*:\s*(.*?)\s*\Z", re.IGNORECASE)
_SPARQL = re.compile(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", re.IGNORECASE)
class QueryError(KgError):
    """A query cannot be found, is malformed, or failed to run."""


class UnknownQueryError(QueryError):
    """Neither a named query, nor a query file, nor SPARQL text."""


class ParameterError(QueryError):
    """A parameter is missing, not declared by the query, or malformed."""


class QuerySyntaxError(QueryError):
    """The SPARQL text does not parse."""


class ServiceError(QueryError):
    """The query holds SERVICE (a federated query), which would fetch from another server."""


@dataclass(frozen=True)
class NamedQuery:
    """A SPARQL query with its header: ``params`` holds (name, help) pairs in header order."""

    name: str
    description: str
    params: tuple[tuple[str, str], ...]
    text: str

    @property
    def param_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.params)


@dataclass(frozen=True)
class QueryResult:
    """Column names and rows of plain Python values (see the module docstring)."""

    columns: tuple[str, ...]
    rows: tuple[tuple, ...]

    def records(self) -> list[dict]:
        """The rows as dictionaries keyed by column name."""
        return [dict(zip(self.columns, row)) for row in self.rows]


# --- the query library -------------------------------------------------------------------------


def parse_query(text: str, default_name: str = "<inline>") -> NamedQuery:
    """Read the leading comment header of SPARQL text (name, description, params).

    >>> q = parse_query("# name: n\\n# description: d\\n# param: x  the x\\nSELECT ?x WHERE {}")
    >>> q.name, q.description, q.params
    ('n', 'd', (('x', 'the x'),))
    """
    name, description, params = default_name, "", []
    for line in text.splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if not stripped.startswith("#"):
            break
        match = _HEADER.match(stripped)
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2)
        if key == "name":
            name = value or default_name
        elif key == "description":
            description = value
        else:
            pname, _, phelp = value.partition(" ")
            pname = pname.lstrip("?$")
            if not _NAME.match(pname):
                raise QueryError(f"query {name!r}: bad parameter line {stripped!r}; expected '# param: NAME  help'")
            if pname in (p for p, _ in params):
                raise QueryError(f"query {name!r}: parameter {pname!r} declared twice")
            params.append((pname, phelp.strip()))
    return NamedQuery(name=name, description=description, params=tuple(params), text=text)


@lru_cache(maxsize=1)
def _named_queries() -> tuple[NamedQuery, ...]:
    folder = resources.files("kg").joinpath("queries")
    queries = []
    for entry in folder.iterdir():
        if entry.name.endswith(".rq") and entry.is_file():
            stem = entry.name[: -len(".rq")]
            queries.append(parse_query(entry.read_text(encoding="utf-8"), default_name=stem))
    queries.sort(key=lambda q: q.name)
    return tuple(queries)


def list_queries() -> list[NamedQuery]:
    """The named queries shipped in ``kg/queries``, sorted by name."""
    return list(_named_queries())


def catalog() -> QueryResult:
    """The named queries as a result table: name, parameters, description (for ``kg query --list``)."""
    rows = tuple((q.name, " ".join(q.param_names), q.description) for q in list_queries())
    return QueryResult(columns=("name", "parameters", "description"), rows=rows)


def load_query(spec: str) -> NamedQuery:
    """A named query, a query file (``.rq`` or any existing file) or SPARQL text, in that order.

    >>> load_query("coauthors").params[0][0]
    'author'
    >>> load_query("SELECT * WHERE { ?s ?p ?o }").name
    '<inline>'
    """
    if not isinstance(spec, str) or not spec.strip():
        raise UnknownQueryError(f"empty query; available: {', '.join(q.name for q in list_queries())}")
    for query in _named_queries():
        if query.name == spec:
            return query
    if "\n" not in spec and len(spec) < 4096:
        path = Path(spec)
        try:
            is_file = path.is_file()
        except (OSError, ValueError):  # a name too long for the file system, a NUL byte
            is_file = False
        if is_file:
            try:
                text = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError) as exc:
                raise UnknownQueryError(f"{spec}: cannot read query file: {exc}") from None
            return parse_query(text, default_name=path.stem)
        if spec.endswith(".rq"):
            raise UnknownQueryError(f"{spec}: no such query file")
    if _SPARQL.search(spec) and ("{" in spec or "\n" in spec):
        return parse_query(spec)
    names = ", ".join(q.name for q in list_queries())
    raise UnknownQueryError(f"unknown query {spec!r}; available: {names} (or a FILE.rq, or - for stdin)")


def query_from_text(text: str, name: str = "<stdin>") -> NamedQuery:
    """SPARQL text as a query (with its header, if any), whatever it looks like: for ``kg query -``,
    so a mistyped query is reported by the SPARQL parser, with where, not taken for a query name.

    >>> query_from_text("# param: x\\nSELEC ?x {}").params
    (('x', ''),)
    """
    if not text.strip():
        raise UnknownQueryError(f"empty query on {'standard input' if name == '<stdin>' else name}")
    return parse_query(text, default_name=name)


def parse_params(pairs: Iterable[str]) -> dict[str, str]:
    """``["key=value", ...]`` → ``{"key": "value"}``: split at the first ``=``, value kept verbatim.

    >>> parse_params(["author=D Dai", "x=a=b"])
    {'author': 'D Dai', 'x': 'a=b'}
    """
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip().lstrip("?$")
        if not sep or not _NAME.match(key):
            raise ParameterError(f"bad parameter {pair!r}; expected key=value, e.g. author=\"D Dai\"")
        if key in params:
            raise ParameterError(f"parameter {key!r} given twice")
        params[key] = value
    return params


# --- running -----------------------------------------------------------------------------------


def _value(term):
    if term is None:
        return None
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, BlankNode):
        return f"_:{term.value}"
    if isinstance(term, Literal):
        datatype = term.datatype.value if term.datatype is not None else None
        try:
            if datatype in _INTEGER_TYPES:
                return int(term.value)
            if datatype == _XSD + "gYear" and _YEAR.match(term.value):
                return int(term.value)  # "2022" → 2022; with a time zone ("2022Z") it stays text
            if datatype in _FLOAT_TYPES:
                return float(term.value)
        except ValueError:
            return term.value
        if datatype == _XSD + "boolean":
            return term.value in ("true", "1")
        return term.value
    if isinstance(term, Triple):
        return str(term)
    return str(term)


_WORD_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_?$:-")


def where_group_start(text: str) -> int | None:
    """Index just after the ``{`` that opens the query's top-level WHERE group, or None.

    Scans the SPARQL text as tokens would be read: comments, string literals (all four quote
    forms) and ``<IRI>``s are skipped, so a ``WHERE`` or ``{`` inside them does not count, nor does
    a variable or prefixed name that merely reads "where" (``?where``, ``ex:where``). Without a
    WHERE keyword (``SELECT * { … }``, ``ASK { … }``) the first ``{`` opens the group; a query
    without any (``DESCRIBE <x>``) gives None.

    >>> text = 'SELECT ?s WHERE { ?s <http://e/{> "WHERE {" }'
    >>> text[:where_group_start(text)]
    'SELECT ?s WHERE {'
    >>> where_group_start("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    30
    """
    i, n = 0, len(text)
    first_brace = None
    after_where = False
    while i < n:
        ch = text[i]
        if ch == "#":
            end = text.find("\n", i)
            i = n if end < 0 else end + 1
        elif ch in "\"'":
            quote = text[i:i + 3] if text[i:i + 3] in ('"""', "'''") else ch
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if text[j] == "\\" else 1
            i = j + len(quote)
        elif ch == "<" and first_brace is None:
            end = text.find(">", i)  # before the group, "<" only opens an IRI
            i = n if end < 0 else end + 1
        elif ch == "{":
            if after_where:
                return i + 1
            if first_brace is None:
                first_brace = i + 1
            i += 1
        elif ch in _WORD_CHARS:
            j = i
            while j < n and text[j] in _WORD_CHARS:
                j += 1
            if text[i:j].upper() == "WHERE":
                after_where = True
            i = j
        else:
            i += 1
    return None if after_where else first_brace


def _with_values(text: str, substitutions: Mapping) -> str | None:
    """The query with a VALUES row of the parameters opening its WHERE group, or None.

    Oxigraph plans a query before it applies ``substitutions`` (pyoxigraph 0.5), so a pattern
    holding a parameter looks unselective and the co-author query joins every paper's authors
    first, orders of magnitude slower on a big graph (bench/rdf_speed.py). The same values as inline
    data let the planner start from them. The terms are written by pyoxigraph's own serialiser
    (escaped RDF literals), and the substitutions stay, so results are those of the bound query.
    """
    at = where_group_start(text)
    if at is None:
        return None
    names = " ".join(str(variable) for variable in substitutions)
    row = " ".join(str(term) for term in substitutions.values())
    return f"{text[:at]} VALUES ({names}) {{ ({row}) }} {text[at:]}"


def run_query(store: Store, query, params: Mapping[str, str] | None = None) -> QueryResult:
    """Run a query (NamedQuery, or anything ``load_query`` accepts) with its parameters bound.

    Every declared parameter must be given and no other; values are bound as string literals.
    SELECT gives the projected columns minus the parameters; ASK one ``result`` column;
    CONSTRUCT/DESCRIBE ``subject``, ``predicate``, ``object`` columns.
    """
    if not isinstance(query, NamedQuery):
        query = load_query(query)
    refusal = service_refusal(query.text)
    if refusal is not None:
        raise ServiceError(f"query {query.name!r}: {refusal}")
    params = {str(k): str(v) for k, v in (params or {}).items()}
    declared = query.param_names
    missing = [p for p in declared if p not in params]
    extra = sorted(p for p in params if p not in declared)
    if missing:
        helps = "; ".join(f"{p}: {h}" if h else p for p, h in query.params if p in missing)
        raise ParameterError(
            f"query {query.name!r} needs --param {' --param '.join(m + '=...' for m in missing)} ({helps})"
        )
    if extra:
        takes = f"its parameters are {', '.join(declared)}" if declared else "it takes no parameters"
        adhoc = query not in _named_queries()
        hint = " (declare one with a '# param: NAME  help' header line)" if adhoc and not declared else ""
        raise ParameterError(f"query {query.name!r} has no parameter {', '.join(map(repr, extra))}; {takes}{hint}")
    substitutions = {Variable(k): Literal(v) for k, v in params.items()}
    try:
        answer = None
        hinted = _with_values(query.text, substitutions) if substitutions else None
        if hinted is not None and service_refusal(hinted) is not None:
            hinted = None  # not expected (the values are escaped literals): all text that runs is checked
        if hinted is not None:
            try:
                answer = store.query(hinted, prefixes=PREFIXES, substitutions=substitutions)
            except SyntaxError:
                answer = None  # a shape the hint does not fit; the plain bound query below decides
        if answer is None:
            answer = store.query(query.text, prefixes=PREFIXES, substitutions=substitutions or None)
        if isinstance(answer, QueryBoolean):
            return QueryResult(columns=("result",), rows=((bool(answer),),))
        if isinstance(answer, QuerySolutions):
            variables = [v.value for v in answer.variables]
            keep = [i for i, v in enumerate(variables) if v not in params]
            rows = tuple(tuple(_value(solution[i]) for i in keep) for solution in answer)
            return QueryResult(columns=tuple(variables[i] for i in keep), rows=rows)
        rows = tuple((_value(t.subject), _value(t.predicate), _value(t.object)) for t in answer)
        return QueryResult(columns=("subject", "predicate", "object"), rows=rows)
    except SyntaxError as exc:
        raise QuerySyntaxError(f"query {query.name!r}: {_syntax_message(query.text, str(exc))}") from None
    except (RuntimeError, OSError, ValueError, TypeError) as exc:
        message = str(exc)
        if "SELECT projection" in message:
            message = f"every parameter ({', '.join(declared)}) must be listed in the SELECT clause ({message})"
        raise QueryError(f"query {query.name!r}: {message}") from None


def _syntax_message(text: str, message: str) -> str:
    """pyoxigraph's "error at 2:7: expected …" as "SPARQL syntax error at line 2, column 7: expected …
    (near "…")", quoting the text from there on (or saying "at the end of the query"). Oxigraph's
    list of what it expected is kept when short; a long one (up to a hundred alternatives and
    character ranges) is left out.

    >>> _syntax_message("SELECT ?x\\nWHERE { ?x ?p }", "error at 2:15: expected OPTIONAL")
    'SPARQL syntax error at line 2, column 15: expected OPTIONAL (near "}")'
    """
    match = _SYNTAX_ERROR.match(message)
    if match is None:
        return f"SPARQL syntax error: {' '.join(message.split())}"
    line, column = int(match.group(1)), int(match.group(2))
    options = re.sub(r"\[[^\]]*\]", "", match.group(3))  # character classes, e.g. ['A' ..= 'Z' | …]
    options = [o.strip() for o in options.removeprefix("expected ").removeprefix("one of ").split(", ") if o.strip()]
    expected = ""
    if 1 <= len(options) <= 4:
        expected = f": expected {options[0]}" if len(options) == 1 else f": expected one of {', '.join(options)}"
    lines = text.split("\n")
    rest = " ".join("\n".join(lines[line - 1:])[column - 1:].split()) if line <= len(lines) else ""
    if rest:
        where = f'near "{rest[:30]}…"' if len(rest) > 30 else f'near "{rest}"'
    else:
        where = "at the end of the query"
    return f"SPARQL syntax error at line {line}, column {column}{expected} ({where})"


# --- output ------------------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _display(value) -> str:
    text = _cell(value)
    return text.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")


def _width(text: str) -> int:
    return sum(
        0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in ("W", "F") else 1 for c in text
    )


def _table(result: QueryResult) -> str:
    cells = [[_display(v) for v in row] for row in result.rows]
    header = list(result.columns)
    widths = [max([_width(h)] + [_width(row[i]) for row in cells]) for i, h in enumerate(header)]
    numeric = [
        bool(result.rows)
        and all(isinstance(row[i], (int, float)) and not isinstance(row[i], bool) or row[i] is None for row in result.rows)
        for i in range(len(header))
    ]

    def line(values: Sequence[str]) -> str:
        parts = []
        for value, width, right in zip(values, widths, numeric):
            pad = " " * (width - _width(value))
            parts.append(pad + value if right else value + pad)
        return "  ".join(parts).rstrip()

    lines = [line(header), line(["-" * w for w in widths])]
    lines += [line(row) for row in cells]
    return "\n".join(lines)


def _json_value(value):
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return value


def _neutralise(value) -> str:
    text = _cell(value)
    return neutralise(text) if isinstance(value, str) else text  # numbers and booleans are never prefixed


def _csv(result: QueryResult) -> str:
    # "\r\n" as the writer's line end makes it quote any cell holding "\r" or "\n"; rows are then
    # joined with "\n"
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for row in (result.columns, *([_neutralise(v) for v in row] for row in result.rows)):
        buffer.seek(0)
        buffer.truncate()
        writer.writerow(row)
        lines.append(buffer.getvalue()[:-2])
    return "\n".join(lines)


def format_result(result: QueryResult, fmt: str = "table") -> str:
    """Render a result, without a final newline.

    - ``table``: aligned columns under a header (numbers right-aligned, unbound values empty,
      newlines and tabs shown as ``\\n`` and ``\\t``);
    - ``json``: a list of objects, one per row, keyed by column, with JSON numbers, booleans and
      ``null`` for unbound values (not the SPARQL 1.1 JSON results format);
    - ``csv``: RFC 4180 quoting with ``\\n`` line ends and a header row; a text cell starting with
      ``= + - @``, a tab, a carriage return or ``'`` gets a leading ``'`` so spreadsheets do not run it
      (kg.util.csvsafe: the rule of every CSV kg writes).

    >>> r = QueryResult(("name", "n"), (("=1+2", 3), ("b", None)))
    >>> print(format_result(r, "table"))
    name  n
    ----  -
    =1+2  3
    b
    >>> print(format_result(r, "csv"))
    name,n
    '=1+2,3
    b,
    >>> format_result(r, "json").replace("\\n", "").replace(" ", "")
    '[{"name":"=1+2","n":3},{"name":"b","n":null}]'
    """
    if fmt == "table":
        return _table(result)
    if fmt == "json":
        records = [{c: _json_value(v) for c, v in zip(result.columns, row)} for row in result.rows]
        return json.dumps(records, ensure_ascii=False, indent=2)
    if fmt == "csv":
        return _csv(result)
    raise FormatError(f"unknown output format {fmt!r}; available: {', '.join(FORMATS)}")
