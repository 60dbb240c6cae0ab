"""The HTTP front of `kg serve`: the public port, in front of an Oxigraph server on a private one.

Oxigraph's own ``--timeout-s`` does not stop every evaluation (ORDER BY keeps sorting), and it has
no result limit. The front (standard library ``http.server``) forwards each query operation to the
Oxigraph server and answers for it:

* updates are refused here with 403, before Oxigraph sees them (which refuses them too);
* the answer is read whole before any byte goes to the client, counting solutions (SPARQL JSON,
  XML, TSV with pyoxigraph's parser, CSV with the csv module) or triples (RDF graph formats); past
  `max_results` the reading stops and the client gets 422 and a message — a result is never cut;
* past ``timeout + GRACE`` seconds the client gets 503, and the Oxigraph server is restarted when
  the deadline, not Oxigraph's own cancellation, ended the query, since that one may still be
  computing (`Backend.overran`);
* a query holding ``SERVICE`` (federation) is refused with 400 before Oxigraph sees it, since Oxigraph
  would send a request to any address it names (`find_service`; Oxigraph has no switch to turn
  federation off);
* ``/`` (a short page) and the service description (``GET /sparql`` without a query) are the
  front's own, and Oxigraph is asked with the client's ``Host``, as it resolves relative IRIs
  against the URL it was asked on: no answer names the private port.

Only queries to ``/sparql`` and ``/query`` are forwarded; writes anywhere get 403, other paths 404.
"""

from __future__ import annotations

import bisect
import csv
import html
import http.client
import io
import re
import socket
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

__all__ = ["GRACE", "MAX_BODY", "MAX_QUERY_BYTES", "SERVICE_REFUSED", "Backend", "FrontLimits", "QueryFront",
           "count_items", "find_service", "line_column", "service_refusal"]

GRACE = 1.0  # seconds the front waits past the timeout, so Oxigraph's own cancellation can answer first
MAX_BODY = 256 * 1024 * 1024  # bytes of one answer kept in memory, whatever its row count
MAX_QUERY_BYTES = 1024 * 1024  # a POSTed query or form larger than this is refused (413)
READ_ONLY = "this endpoint is read-only: SPARQL updates and writes are refused"
CANCELLED = b"The SPARQL operation has been cancelled"  # what Oxigraph appends when --timeout-s fires
QUERY_PATHS = ("/sparql", "/query")
SERVICE_REFUSED = "SERVICE (federated query) is not allowed: kg never fetches data from other servers"
_RESULT_FORMATS = {  # media type → pyoxigraph results format name (CSV cannot be parsed back: csv module)
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/tab-separated-values": "TSV",
}


# --- SERVICE ------------------------------------------------------------------------------------
#
# Oxigraph evaluates SERVICE by sending the inner query over HTTP to the IRI it names (any host,
# from the endpoint's machine), and neither `oxigraph serve-read-only` nor pyoxigraph can turn that
# off. So query text holding the keyword is refused before evaluation. A parser would be the exact
# test, but pyoxigraph has no parse-only API and rdflib's parser took 20-40 ms on a named query and
# hit Python's recursion limit on a 50 kB one (2,000 triple patterns); this lexer reads 1 MB
# (the front's limit) in under 0.5 s. It errs on the side of refusing where Oxigraph reads the
# text more loosely than the SPARQL grammar (each case below checked against Oxigraph with a
# recording listener, tests/sparql/test_service.py):
# * Oxigraph matches keywords without a word boundary: "SERVICESILENT<…>", "trueSERVICE <…>",
#   "1SERVICE <…>" and "services:x {…}" (SERVICE, then the prefixed name s:x) all fetched. So a
#   bare word is refused when it contains "service" anywhere, and a prefixed name when its prefix
#   does (or its local part holds ".service", in case a dot ends the name early);
# * "<" opens an IRI in a pattern but is less-than in an expression: in
#   FILTER(?x<?y&&'>)'!='')SERVICE<http://h/>{}  "<?y&&'>" reads as an IRI, and then "'!='" as a
#   string followed by one that hides SERVICE, yet Oxigraph fetched. Where "<…>" could be either
#   and its inside holds ")", "'" or "#" (what could close the expression, or open a string or a
#   comment, and so change what follows), both readings are scanned; a position already scanned is
#   not scanned again, which keeps the work linear;
# * strings (all four quote forms), comments and IRIs are skipped, so "service" in a literal, in an
#   IRI such as <http://x/service>, a variable (?service) or a prefixed name such as
#   schema:serviceType is not refused. \u0053ERVICE escapes are undone first (the SPARQL grammar
#   allows them anywhere; Oxigraph 0.5 does not read them outside strings and IRIs).

# SPARQL 1.1 character classes (https://www.w3.org/TR/sparql11-query/#rPN_CHARS_BASE)
_PN_CHARS_BASE = ("A-Za-z\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02FF\u0370-\u037D\u037F-\u1FFF\u200C-\u200D"
                  "\u2070-\u218F\u2C00-\u2FEF\u3001-\uD7FF\uF900-\uFDCF\uFDF0-\uFFFD\U00010000-\U000EFFFF")
_PN_CHARS = _PN_CHARS_BASE + "_\\-0-9\u00B7\u0300-\u036F\u203F-\u2040"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<comment>\#)"
    r"|(?P<quote>'''|" + '"""' + r"""|'|")"""
    r"|(?P<iri><)"
    rf"|(?P<var>[?$][{_PN_CHARS_BASE}_0-9\u00B7\u0300-\u036F\u203F-\u2040]+)"
    # a prefixed name, blank node label or bare word (keyword, function name), without a final dot;
    # a language tag reads as "@" and a word, a split that can only refuse more
    rf"|(?P<word>(?:[{_PN_CHARS_BASE}_:]|{_PLX})(?:[{_PN_CHARS}.:]|{_PLX})*(?<!\.))"
    r"|(?P<number>[0-9]+)"  # digits only: "1SERVICE" is 1, then SERVICE
    r"|(?P<other>[\s\S])"
)
_STRING_REST = {
    "'": re.compile(r"(?:[^'\\\n\r]|\\[\s\S])*'"),
    '"': re.compile(r'(?:[^"\\\n\r]|\\[\s\S])*"'),
    "'''": re.compile(r"(?:[^'\\]|\\[\s\S]|'(?!''))*'''"),
    '"""': re.compile(r'(?:[^"\\]|\\[\s\S]|"(?!""))*"""'),
}
_IRIREF = re.compile(r'<([^<>"{}|^`\\\x00-\x20]*)>')
_LINE_END = re.compile(r"[\r\n]")
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _may_be_service(word: str) -> bool:
    prefix, colon, local = word.casefold().partition(":")
    return "service" in prefix or (bool(colon) and ".service" in local)


def find_service(text: str) -> int | None:
    """Index in `text` of a SERVICE keyword Oxigraph could read, or None (see the notes above).

    >>> find_service('SELECT * WHERE { ?s ?p ?o . service <http://h/> { ?s ?p ?o } }')
    28
    >>> find_service('SELECT * WHERE { ?service <http://x/service> "SERVICE" } # SERVICE') is None
    True
    """
    found = _scan_for_service(text)
    if found is None and ("\\u" in text or "\\U" in text):
        unescaped = _CODEPOINT.sub(_codepoint, text)
        found = _scan_for_service(unescaped)
        if found is not None:  # back to an index in `text`: add what the escapes before it lost
            shift = 0
            for escape in _CODEPOINT.finditer(text):
                if escape.start() - shift >= found:
                    break
                shift += len(escape.group()) - len(_codepoint(escape))
            found += shift
    return found


def _codepoint(match: re.Match) -> str:
    code = int(match.group(1) or match.group(2), 16)
    return chr(code) if code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else match.group()


def _scan_for_service(text: str) -> int | None:
    n = len(text)
    line_ends = [m.start() for m in _LINE_END.finditer(text)] if "#" in text else []
    # A reading is (start, quiet_end). In the less-than reading of "<…>", the expression stays open up
    # to the first ")" inside, so a word before it cannot be the SERVICE keyword: words before
    # quiet_end are not checked (an IRI such as <http://www.w3.org/ns/sparql-service-description#>
    # after a variable stays allowed). Quiet regions of different "<" never overlap.
    loud, quiet = 1, 2
    scanned = bytearray(n + 1)  # how each position was read: a reading stops where one at least as loud went on
    starts = [(0, 0)]
    while starts:
        i, quiet_end = starts.pop()
        while i < n:
            mode = quiet if i < quiet_end else loud
            if scanned[i] & (loud | mode):
                break
            scanned[i] |= mode
            token = _TOKEN.match(text, i)
            kind = token.lastgroup
            if kind == "comment":
                at = bisect.bisect_left(line_ends, i)
                i = line_ends[at] + 1 if at < len(line_ends) else n
            elif kind == "quote":
                rest = _STRING_REST[token.group()].match(text, token.end())
                i = rest.end() if rest else i + 1  # unterminated (a syntax error): read on as code
            elif kind == "iri":
                iri = _IRIREF.match(text, i)
                if iri is None:
                    i += 1
                else:
                    inside = iri.group(1)
                    if any(c in inside for c in ")'#"):  # the less-than reading
                        starts.append((i + 1, i + 1 + inside.index(")") if ")" in inside else iri.end()))
                    i = iri.end()
            elif kind == "word" and mode == loud and _may_be_service(token.group()):
                return i
            else:
                i = token.end()
    return None


def line_column(text: str, index: int) -> tuple[int, int]:
    """1-based (line, column) of `index` in `text`, in characters, as Oxigraph counts them."""
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


def service_refusal(text: str) -> str | None:
    """The one-line refusal of a query that holds SERVICE, with where, or None."""
    at = find_service(text)
    if at is None:
        return None
    line, column = line_column(text, at)
    return f"{SERVICE_REFUSED} (line {line}, column {column})"


class Backend(Protocol):
    """What the front needs of the Oxigraph server behind it."""

    def address(self) -> tuple[str, int, int]:
        """(host, port, generation) of the running server; blocks while it restarts."""

    def overran(self, generation: int) -> None:
        """A query on server `generation` passed the deadline: restart it, unless already restarted."""


@dataclass(frozen=True)
class FrontLimits:
    timeout: float  # seconds per query (Oxigraph's --timeout-s); the front cuts at timeout + grace
    max_results: int  # solutions (SELECT) or triples (CONSTRUCT/DESCRIBE) per answer
    grace: float = GRACE
    max_body: int = MAX_BODY


class _Overran(Exception):
    """The deadline passed while waiting for the backend."""


class _Malformed(Exception):
    """The backend's answer did not parse in the format it announced."""


class _TooLarge(Exception):
    """The answer passed the result limit (or, with `bytes`, the byte cap)."""

    def __init__(self, bytes: bool = False):
        super().__init__()
        self.bytes = bytes


class _Body(io.RawIOBase):
    """The backend's answer as it arrives, kept in `data`; reading stops at the deadline or the byte cap."""

    def __init__(self, response: http.client.HTTPResponse, sock: socket.socket, deadline: float, max_body: int):
        super().__init__()
        self.response, self.sock, self.deadline, self.max_body = response, sock, deadline, max_body
        self.data = bytearray()
        self.problem: Exception | None = None  # kept: a parser reading this may wrap what read raised

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        if self.response.isclosed():  # the whole answer is in (and the socket may be closed)
            return 0
        remaining = self.deadline - time.monotonic()
        try:
            if remaining <= 0:
                raise _Overran()
            self.sock.settimeout(remaining)
            n = self.response.readinto(buffer)
        except TimeoutError:  # socket.timeout is TimeoutError since Python 3.10
            self.problem = _Overran()
        except _Overran as exc:
            self.problem = exc
        else:
            self.data += memoryview(buffer)[:n]
            if len(self.data) > self.max_body:
                self.problem = _TooLarge(bytes=True)
            else:
                return n
        raise self.problem


def count_items(stream, media_type: str, limit: int) -> int:
    """Solutions or triples in an answer read from `stream`; raises _TooLarge past `limit`.

    A boolean (ASK) counts 0; a media type that is neither results nor RDF is read but not counted."""
    import pyoxigraph as ox

    if media_type == "text/csv":
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        try:
            return max(_count(csv.reader(text), limit + 1) - 1, 0)  # less the header row
        finally:
            text.detach()  # else closing the wrapper closes `stream`
    if media_type in _RESULT_FORMATS:
        items = ox.parse_query_results(stream, getattr(ox.QueryResultsFormat, _RESULT_FORMATS[media_type]))
        return 0 if isinstance(items, ox.QueryBoolean) else _count(items, limit)
    rdf_format = ox.RdfFormat.from_media_type(media_type)
    if rdf_format is None:
        stream.read()
        return 0
    return _count(ox.parse(stream, format=rdf_format), limit)


def _count(items, limit: int) -> int:
    count = 0
    for _ in items:
        count += 1
        if count > limit:
            raise _TooLarge()
    return count


_AUTHORITY = re.compile(r"(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::[0-9]{1,5})?")
_SERVED_FORMATS = ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
                   "Turtle", "N-Triples", "RDF_XML", "N-Quads", "TriG")
_HOME_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>kg SPARQL endpoint</title></head>
<body>
<h1>kg SPARQL endpoint</h1>
<p>A read-only SPARQL 1.1 endpoint over a kg build: <code>{endpoint}</code> (also <code>/query</code>).
Send a query with <code>GET ?query=</code>, or <code>POST</code> it as <code>application/sparql-query</code>
or as a form with <code>query=</code>; results come as JSON, XML, CSV or TSV (CONSTRUCT and DESCRIBE: Turtle,
N-Triples, RDF/XML) by the <code>Accept</code> header. <code>GET {endpoint}</code> without a query gives
the service description.</p>
<ul>
<li>Queries without <code>GRAPH</code> see the merge of all named graphs, each triple once; each source
document's facts are also in their own named graph.</li>
<li>An answer of more than {max_results} results is refused (422), never cut: page with LIMIT and OFFSET.</li>
<li>A query running longer than {timeout} s is stopped (503).</li>
<li>Updates are refused (403), and so is <code>SERVICE</code> (400): this endpoint never fetches from
other servers.</li>
</ul>
<form action="/sparql" method="get">
<p><textarea name="query" rows="10" cols="80">SELECT ?name WHERE {{
  ?person a &lt;http://xmlns.com/foaf/0.1/Person&gt; ;
          &lt;http://xmlns.com/foaf/0.1/name&gt; ?name .
}} ORDER BY ?name LIMIT 20</textarea></p>
<p><button type="submit">Run</button></p>
</form>
</body>
</html>
"""


def _negotiate_rdf(accept: str):
    """The RDF format `accept` prefers among those pyoxigraph writes, Turtle when it names none."""
    import pyoxigraph as ox

    choices = []
    for n, item in enumerate(accept.split(",")):
        media_type, *params = (part.strip() for part in item.split(";"))
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        rdf_format = ox.RdfFormat.from_media_type(media_type.lower()) if media_type else None
        if rdf_format is not None and q > 0:
            choices.append((-q, n, rdf_format))
    return min(choices, key=lambda c: c[:2])[2] if choices else ox.RdfFormat.TURTLE


class QueryFront(ThreadingHTTPServer):
    """A threading HTTP server answering SPARQL query operations through `backend` within `limits`."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], backend: Backend, limits: FrontLimits):
        self.address_family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
        self.backend = backend
        self.limits = limits
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    server: QueryFront
    server_version = "kg-serve"

    def log_message(self, format, *args):  # http.server's signature
        pass  # quiet: kg serve prints its own one-line status

    def do_GET(self):
        path, _, query = self.path.partition("?")
        if path == "/":
            return self._send(200, "text/html; charset=utf-8", self._home_page())
        if path not in QUERY_PATHS:
            return self._refuse(404, f"no such endpoint: use {QUERY_PATHS[0]}")
        params = self._params(query)
        if params is None:
            return
        if "update" in params:
            return self._refuse(403, READ_ONLY)
        if "query" not in params:  # the protocol's service description, ours: Oxigraph's names its port
            return self._describe(path)
        if self._holds_service(params["query"]):
            return
        self._relay("GET", self.path, None)

    def do_POST(self):
        path, _, query = self.path.partition("?")
        if path in ("/update", "/store"):
            return self._refuse(403, READ_ONLY)
        if path not in QUERY_PATHS:
            return self._refuse(404, f"no such endpoint: use {QUERY_PATHS[0]}")
        body = self._request_body()
        if body is None:
            return
        params = self._params(query)
        if params is None:
            return
        media_type = self.headers.get_content_type()
        if media_type == "application/sparql-update" or "update" in params:
            return self._refuse(403, READ_ONLY)
        # the query Oxigraph would run: the body, or a form's query= (Oxigraph falls back on the URL's)
        texts = params.get("query", [])
        if media_type not in ("application/sparql-query", "application/x-www-form-urlencoded"):
            # refused here rather than passed on: what the front does not read, it cannot check for SERVICE
            return self._refuse(415, "send the query as application/sparql-query or as a form "
                                     "(application/x-www-form-urlencoded) with query=")
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            return self._refuse(400, "the request body is not valid UTF-8")
        if media_type == "application/sparql-query":
            texts = [*texts, text]
        else:
            form = self._params(text)
            if form is None:
                return
            if "update" in form:
                return self._refuse(403, READ_ONLY)
            texts = [*texts, *form.get("query", [])]
        if self._holds_service(texts):
            return
        self._relay("POST", self.path, body)

    def _params(self, encoded: str) -> dict[str, list[str]] | None:
        """URL or form parameters, or None (and a 400) when they are not UTF-8: a query the front cannot
        read exactly is not passed on."""
        try:
            return urllib.parse.parse_qs(encoded, keep_blank_values=True, errors="strict")
        except UnicodeError:
            self._refuse(400, "the request parameters are not valid UTF-8")
            return None

    def _holds_service(self, texts: list[str]) -> bool:
        """Refuse (400) a query with SERVICE: Oxigraph would fetch from the address it names."""
        for text in texts:
            refusal = service_refusal(text)
            if refusal is not None:
                self._refuse(400, refusal)
                return True
        return False

    def _authority(self) -> str:
        """host:port the client asked (its Host header), else the front's own address."""
        host = self.headers.get("Host", "")
        if _AUTHORITY.fullmatch(host):
            return host
        address, port = self.server.server_address[:2]
        return f"[{address}]:{port}" if ":" in address else f"{address}:{port}"

    def _home_page(self) -> bytes:
        limits = self.server.limits
        endpoint = html.escape(f"http://{self._authority()}{QUERY_PATHS[0]}")
        return _HOME_PAGE.format(endpoint=endpoint, max_results=limits.max_results,
                                 timeout=f"{limits.timeout:g}").encode("utf-8")

    def _describe(self, path: str) -> None:
        """The SPARQL service description of this endpoint, in the RDF format the client accepts
        (Turtle by default)."""
        import pyoxigraph as ox

        limits = self.server.limits
        sd, formats = "http://www.w3.org/ns/sparql-service-description#", "http://www.w3.org/ns/formats/"
        service = ox.BlankNode("service")
        facts = [
            ("http://www.w3.org/1999/02/22-rdf-syntax-ns#type", ox.NamedNode(sd + "Service")),
            (sd + "endpoint", ox.NamedNode(f"http://{self._authority()}{path}")),
            *((sd + "supportedLanguage", ox.NamedNode(sd + name)) for name in ("SPARQL10Query", "SPARQL11Query")),
            *((sd + "resultFormat", ox.NamedNode(formats + name)) for name in _SERVED_FORMATS),
            # queries without GRAPH see the merge of the named graphs (kg.sparql); no BasicFederatedQuery
            (sd + "feature", ox.NamedNode(sd + "UnionDefaultGraph")),
            (sd + "defaultEntailmentRegime", ox.NamedNode("http://www.w3.org/ns/entailment/Simple")),
            ("http://www.w3.org/2000/01/rdf-schema#comment", ox.Literal(
                f"Read-only SPARQL 1.1 query endpoint over a kg build. Refused: updates (403), SERVICE (400), "
                f"answers of more than {limits.max_results} results (422), queries running longer than "
                f"{limits.timeout:g} s (503).")),
        ]
        rdf_format = _negotiate_rdf(self.headers.get("Accept", ""))
        body = ox.serialize([ox.Triple(service, ox.NamedNode(p), o) for p, o in facts], format=rdf_format,
                            prefixes={"sd": sd, "rdfs": "http://www.w3.org/2000/01/rdf-schema#"})
        self._send(200, f"{rdf_format.media_type}; charset=utf-8", body)

    def _write_refused(self):
        self._refuse(403, READ_ONLY)

    do_PUT = do_DELETE = do_PATCH = _write_refused

    def _request_body(self) -> bytes | None:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            self._refuse(411, "a POST needs a Content-Length")
            return None
        if int(length) > MAX_QUERY_BYTES:
            self._refuse(413, f"a query may hold at most {MAX_QUERY_BYTES} bytes")
            return None
        return self.rfile.read(int(length))

    def _relay(self, method: str, target: str, body: bytes | None) -> None:
        limits = self.server.limits
        deadline = time.monotonic() + limits.timeout + limits.grace
        host, port, generation = self.server.backend.address()
        headers = {name: self.headers[name] for name in ("Accept", "Content-Type") if self.headers[name]}
        # Oxigraph resolves relative IRIs (and IRI("x")) against http://HOST/path: the public address, not its own
        headers["Host"] = self._authority()
        connection = http.client.HTTPConnection(host, port, timeout=max(deadline - time.monotonic(), 0.01))
        try:
            status, content_type, data = self._exchange(connection, method, target, body, headers, deadline)
        except _Overran:
            self.server.backend.overran(generation)  # it may still be evaluating: stop it
            return self._timed_out()
        except _TooLarge as exc:
            size = f"{limits.max_body} bytes" if exc.bytes else f"{limits.max_results} results (kg serve --max-results)"
            return self._refuse(422, f"the answer has more than {size}: add LIMIT, and OFFSET to page through it")
        except _Malformed:
            return self._refuse(502, "the Oxigraph server did not answer: it sent a malformed answer")
        except (OSError, http.client.HTTPException):  # its text may name the private address: not passed on
            return self._refuse(502, "the Oxigraph server did not answer; try again (it restarts after a query "
                                     "that ran too long)")
        finally:
            connection.close()
        if data.endswith(CANCELLED):
            return self._timed_out()
        self._send(status, content_type, bytes(data))

    def _exchange(self, connection, method, target, body, headers, deadline) -> tuple[int, str, bytearray]:
        """(status, content type, whole body) of the backend's answer, counted on the way in."""
        try:
            connection.request(method, target, body=body, headers=headers)
            sock = connection.sock  # getresponse() lets go of it when the answer ends the connection
            response = connection.getresponse()
        except TimeoutError:  # socket.timeout is TimeoutError since Python 3.10
            raise _Overran() from None
        reader = _Body(response, sock, deadline, self.server.limits.max_body)
        media_type = response.headers.get_content_type()
        try:
            if response.status == 200:
                count_items(reader, media_type, self.server.limits.max_results)
            while reader.read(1 << 16):  # the rest: error texts, bytes a parser left
                pass
        except (_Overran, _TooLarge):
            raise
        except (SyntaxError, ValueError, OSError, csv.Error):  # what the parsers raise on a bad answer
            if reader.problem is not None:
                raise reader.problem from None
            if not reader.data.endswith(CANCELLED):
                raise _Malformed() from None
        return response.status, response.headers.get("Content-Type", "application/octet-stream"), reader.data

    def _timed_out(self) -> None:
        self._refuse(503, f"the query ran longer than {self.server.limits.timeout:g} s (kg serve --timeout) and was "
                          "stopped: narrow it or add LIMIT")

    def _refuse(self, status: int, message: str) -> None:
        self._send(status, "text/plain; charset=utf-8", (message + "\n").encode("utf-8"))

    def _send(self, status: int, content_type: str, body: bytes) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except OSError:
            pass  # the client went away
