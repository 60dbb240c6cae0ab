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
  computing (`Backend.overran`).

Only ``/``, ``/sparql`` and ``/query`` are forwarded; writes anywhere get 403, other paths 404.
"""

from __future__ import annotations

import csv
import http.client
import io
import socket
import time
import urllib.parse
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol

__all__ = ["GRACE", "MAX_BODY", "MAX_QUERY_BYTES", "Backend", "FrontLimits", "QueryFront", "count_items"]

GRACE = 1.0  # seconds the front waits past the timeout, so Oxigraph's own cancellation can answer first
MAX_BODY = 256 * 1024 * 1024  # bytes of one answer kept in memory, whatever its row count
MAX_QUERY_BYTES = 1024 * 1024  # a POSTed query or form larger than this is refused (413)
READ_ONLY = "this endpoint is read-only: SPARQL updates and writes are refused"
CANCELLED = b"The SPARQL operation has been cancelled"  # what Oxigraph appends when --timeout-s fires
QUERY_PATHS = ("/sparql", "/query")
_RESULT_FORMATS = {  # media type → pyoxigraph results format name (CSV cannot be parsed back: csv module)
    "application/sparql-results+json": "JSON",
    "application/json": "JSON",
    "application/sparql-results+xml": "XML",
    "application/xml": "XML",
    "text/tab-separated-values": "TSV",
}


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
        if path not in ("/", *QUERY_PATHS):
            return self._refuse(404, f"no such endpoint: use {QUERY_PATHS[0]}")
        if "update" in urllib.parse.parse_qs(query):
            return self._refuse(403, READ_ONLY)
        self._relay("GET", self.path, None)

    def do_POST(self):
        path = self.path.partition("?")[0]
        if path in ("/update", "/store"):
            return self._refuse(403, READ_ONLY)
        if path not in QUERY_PATHS:
            return self._refuse(404, f"no such endpoint: use {QUERY_PATHS[0]}")
        body = self._request_body()
        if body is None:
            return
        media_type = self.headers.get_content_type()
        if media_type == "application/sparql-update" or (
                media_type == "application/x-www-form-urlencoded"
                and "update" in urllib.parse.parse_qs(body.decode("utf-8", "replace"))):
            return self._refuse(403, READ_ONLY)
        self._relay("POST", self.path, body)

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
        connection = http.client.HTTPConnection(host, port, timeout=max(deadline - time.monotonic(), 0.01))
        try:
            status, content_type, data = self._exchange(connection, method, target, body, headers, deadline)
        except _Overran:
            self.server.backend.overran(generation)  # it may still be evaluating: stop it
            return self._timed_out()
        except _TooLarge as exc:
            size = f"{limits.max_body} bytes" if exc.bytes else f"{limits.max_results} results (kg serve --max-results)"
            return self._refuse(422, f"the answer has more than {size}: add LIMIT, and OFFSET to page through it")
        except (OSError, http.client.HTTPException) as exc:
            return self._refuse(502, f"the Oxigraph server did not answer: {exc}")
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
                raise OSError("it sent a malformed answer") from None
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
