"""kg serve's HTTP front against a scripted stand-in for the Oxigraph server: deadlines, Oxigraph's
cancellation, counting in every format, malformed answers, requests that are not queries."""

from __future__ import annotations

import http.client
import socket
import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.sparql.front import CANCELLED, MAX_QUERY_BYTES, SERVICE_REFUSED, FrontLimits, QueryFront

TEXT = "text/plain; charset=utf-8"
TIMED_OUT = b"the query ran longer than 1 s (kg serve --timeout) and was stopped: narrow it or add LIMIT\n"
CSV_3 = b'x\r\n"a\r\nb"\r\n"c,""d"""\r\n"e\nf"\r\n'  # three solutions, line breaks and quotes inside cells
XML_3 = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#"><head><variable name="x"/>'
         b'</head><results><result/><result/><result><binding name="x"><literal>&lt;/result&gt;</literal></binding>'
         b'</result></results></sparql>')
NT_3 = b'<http://e/a> <http://e/p> "1\\n2" .\n<http://e/a> <http://e/p> "3" .\n<http://e/b> <http://e/p> "4" .\n'
MORE_THAN_2 = b"the answer has more than 2 results (kg serve --max-results): add LIMIT, and OFFSET to page through it\n"
MORE_THAN_100_BYTES = b"the answer has more than 100 bytes: add LIMIT, and OFFSET to page through it\n"


class Oxigraph:
    """Answers every request with `reply` = (status, content type, body, seconds before answering)."""

    def __init__(self):
        self.reply = (200, "text/csv", b"x\r\n", 0.0)
        self.overruns: list[int] = []
        self.requests: list[tuple[str, str, dict]] = []  # (method, path, headers) of what reached it
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                outer.requests.append((self.command, self.path, dict(self.headers)))
                status, ctype, body, delay = outer.reply
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", ctype)
                    self.end_headers()
                    self.wfile.write(body)
                except OSError:
                    pass  # the front gave up waiting

            do_POST = do_GET

        self.http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.http.daemon_threads = True
        threading.Thread(target=self.http.serve_forever, args=(0.02,), daemon=True).start()

    def address(self):
        return "127.0.0.1", self.http.server_address[1], 7

    def overran(self, generation):
        self.overruns.append(generation)


@pytest.fixture
def oxigraph():
    fake = Oxigraph()
    yield fake
    fake.http.shutdown()
    fake.http.server_close()


@contextmanager
def front_for(oxigraph, **limits):
    """A front before `oxigraph`: timeout 1 s, 3 results, unless `limits` say otherwise."""
    front = QueryFront(("127.0.0.1", 0), oxigraph, FrontLimits(**{"timeout": 1, "max_results": 3, **limits}))
    threading.Thread(target=front.serve_forever, args=(0.02,), daemon=True).start()
    try:
        yield front
    finally:
        front.shutdown()
        front.server_close()


@pytest.fixture
def front(oxigraph):
    with front_for(oxigraph, grace=0.2) as running:
        yield running


def ask(front, method="GET", path="/sparql?query=ASK%7B%7D", body=None, headers=None):
    """(status, content type, body, seconds) of one request to the front."""
    connection = http.client.HTTPConnection(*front.server_address[:2], timeout=30)
    started = time.monotonic()
    connection.request(method, path, body=body, headers=headers or {})
    response = connection.getresponse()
    answer = (response.status, response.headers["Content-Type"], response.read(), time.monotonic() - started)
    connection.close()
    return answer


def test_an_answer_oxigraph_cancelled_becomes_503_and_oxigraph_is_kept(oxigraph, front):
    oxigraph.reply = (200, "text/csv", b"n\r\n" + CANCELLED, 0.0)
    assert ask(front)[:3] == (503, TEXT, TIMED_OUT)
    assert oxigraph.overruns == []


def test_silence_past_the_deadline_is_503_and_restarts_that_oxigraph(oxigraph, front):
    oxigraph.reply = (200, "text/csv", b"x\r\n", 5.0)
    status, ctype, body, elapsed = ask(front)
    assert (status, ctype, body) == (503, TEXT, TIMED_OUT)
    assert 1.2 <= elapsed < 2.5  # timeout 1 s + grace 0.2 s
    assert oxigraph.overruns == [7]  # the generation the query ran on


@pytest.mark.parametrize("ctype, body", [
    ("text/csv", CSV_3),
    ("text/tab-separated-values", b'?x\n"a\\nb"\n"c"\n<http://e/d>\n'),
    ("application/sparql-results+json",
     b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"]}"}},{},{}]}}'),
    ("application/sparql-results+xml", XML_3),
    ("application/n-triples", NT_3),
])
def test_three_results_pass_a_limit_of_three_and_fail_a_limit_of_two(oxigraph, front, ctype, body):
    oxigraph.reply = (200, ctype, body, 0.0)
    assert ask(front)[:3] == (200, ctype, body)  # byte for byte
    with front_for(oxigraph, max_results=2) as strict:
        assert ask(strict)[:3] == (422, TEXT, MORE_THAN_2)


def test_a_boolean_and_an_error_pass_through(oxigraph, front):
    oxigraph.reply = (200, "application/sparql-results+json", b'{"head":{},"boolean":true}', 0.0)
    assert ask(front)[:3] == (200, "application/sparql-results+json", b'{"head":{},"boolean":true}')
    oxigraph.reply = (400, "text/plain", b"Parser error at 1:1", 0.0)
    assert ask(front)[:3] == (400, "text/plain", b"Parser error at 1:1")


def test_a_malformed_answer_is_502(oxigraph, front):
    oxigraph.reply = (200, "application/sparql-results+json", b'{"head":{"vars":["x"]},"results":{"bindings":[{', 0.0)
    assert ask(front)[:3] == (502, TEXT, b"the Oxigraph server did not answer: it sent a malformed answer\n")


class Gone:
    """A backend whose port nobody listens on."""

    def __init__(self):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]

    def address(self):
        return "127.0.0.1", self.port, 0

    def overran(self, generation):
        pass


def test_a_backend_that_does_not_answer_is_502_without_its_address():
    backend = Gone()
    with front_for(backend) as running:
        status, ctype, body, _ = ask(running)
    assert (status, ctype, body) == (
        502, TEXT, b"the Oxigraph server did not answer; try again (it restarts after a query that ran too long)\n")
    assert str(backend.port).encode() not in body


SERVICE_QUERY = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }"
REFUSED = (400, TEXT, (SERVICE_REFUSED + " (line 1, column 18)\n").encode())
FORM = {"Content-Type": "application/x-www-form-urlencoded"}
SPARQL_QUERY = {"Content-Type": "application/sparql-query"}


def test_service_is_refused_before_anything_reaches_oxigraph(oxigraph, front):
    encoded = urllib.parse.urlencode({"query": SERVICE_QUERY})
    assert ask(front, path="/sparql?" + encoded)[:3] == REFUSED
    assert ask(front, path="/query?default-graph-uri=urn%3Ax&" + encoded)[:3] == REFUSED
    assert ask(front, "POST", "/sparql", SERVICE_QUERY.encode(), SPARQL_QUERY)[:3] == REFUSED
    assert ask(front, "POST", "/query", encoded.encode(), FORM)[:3] == REFUSED
    # Oxigraph takes a form's query from the URL when the body has none: both are read
    assert ask(front, "POST", "/sparql?" + encoded, b"default-graph-uri=urn%3Ax", FORM)[:3] == REFUSED
    assert ask(front, "POST", "/sparql?" + encoded, b"ASK {}", SPARQL_QUERY)[:3] == REFUSED
    assert ask(front, path="/sparql?query=ASK%7B%7D&" + encoded)[:3] == REFUSED  # a second query= too
    assert oxigraph.requests == []
    mention = urllib.parse.urlencode({"query": 'ASK { FILTER("SERVICE" != STR(<http://x/service>)) } # SERVICE'})
    assert ask(front, path="/sparql?" + mention)[0] == 200
    assert [(m, p) for m, p, _ in oxigraph.requests] == [("GET", "/sparql?" + mention)]


def test_what_the_front_cannot_read_exactly_is_not_passed_on(oxigraph, front):
    other = (415, TEXT, b"send the query as application/sparql-query or as a form (application/x-www-form-urlencoded) "
                        b"with query=\n")
    assert ask(front, "POST", "/sparql", SERVICE_QUERY.encode(), {"Content-Type": "text/plain"})[:3] == other
    assert ask(front, "POST", "/sparql", b"ASK {}")[:3] == other  # no Content-Type
    assert ask(front, path="/sparql?query=%FF")[:3] == (400, TEXT, b"the request parameters are not valid UTF-8\n")
    assert ask(front, "POST", "/sparql", b"ASK { \xff }", SPARQL_QUERY)[:3] == (
        400, TEXT, b"the request body is not valid UTF-8\n")
    assert ask(front, "POST", "/sparql", b"query=%C0", FORM)[:3] == (
        400, TEXT, b"the request parameters are not valid UTF-8\n")
    assert oxigraph.requests == []


def test_oxigraph_is_asked_with_the_clients_host(oxigraph, front):
    """Oxigraph resolves relative IRIs against http://HOST/…: the public address, never its own."""
    ask(front, headers={"Host": "kg.example.org:8080"})
    ask(front, headers={"Host": "bad host/x"})  # not an authority: the front's own address instead
    with socket.create_connection(front.server_address[:2], timeout=30) as raw:  # HTTP/1.0, no Host
        raw.sendall(b"GET /sparql?query=ASK%7B%7D HTTP/1.0\r\n\r\n")
        assert raw.makefile("rb").readline().split(b" ", 2)[1] == b"200"
    own = f"127.0.0.1:{front.server_address[1]}"
    assert [headers["Host"] for _, _, headers in oxigraph.requests] == ["kg.example.org:8080", own, own]


def test_the_home_page_and_the_service_description_are_the_fronts(oxigraph, front):
    import pyoxigraph as ox

    own = f"127.0.0.1:{front.server_address[1]}"
    status, ctype, body, _ = ask(front, path="/")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    page = body.decode("utf-8")
    assert f"<code>http://{own}/sparql</code>" in page and '<form action="/sparql" method="get">' in page
    assert "more than 3 results is refused (422)" in page and "longer than 1 s is stopped (503)" in page
    assert "<code>SERVICE</code> (400)" in page

    status, ctype, body, _ = ask(front, path="/sparql", headers={"Host": "kg.example.org"})
    assert (status, ctype) == (200, "text/turtle; charset=utf-8")
    sd = "http://www.w3.org/ns/sparql-service-description#"
    triples = {(t.predicate.value, t.object.value) for t in ox.parse(body, format=ox.RdfFormat.TURTLE)}
    assert (sd + "endpoint", "http://kg.example.org/sparql") in triples
    assert (sd + "feature", sd + "UnionDefaultGraph") in triples
    assert (sd + "feature", sd + "BasicFederatedQuery") not in triples
    assert {o for p, o in triples if p == sd + "supportedLanguage"} == {sd + "SPARQL10Query", sd + "SPARQL11Query"}
    status, ctype, body, _ = ask(front, path="/query", headers={"Accept": "text/html, application/n-triples;q=0.9"})
    assert (status, ctype) == (200, "application/n-triples; charset=utf-8")
    assert f"<{sd}endpoint> <http://{own}/query> .".encode() in body
    assert oxigraph.requests == []  # neither comes from Oxigraph, whose own name its private port


def test_an_answer_past_the_byte_cap_is_refused(oxigraph):
    oxigraph.reply = (200, "text/tab-separated-values", b"?x\n" + b'"a"\n' * 50, 0.0)
    with front_for(oxigraph, max_results=1000, max_body=100) as capped:
        assert ask(capped)[:3] == (422, TEXT, MORE_THAN_100_BYTES)


def test_requests_that_are_no_query_are_answered_by_the_front(front):
    assert ask(front, path="/store?default")[:2] == (404, TEXT)
    assert ask(front, "PUT", "/store?default", b"<a:b> <a:c> <a:d> .")[:2] == (403, TEXT)
    assert ask(front, "DELETE", "/sparql")[:2] == (403, TEXT)
    # an oversize query is refused from its Content-Length, before its body is read (sending the body
    # would race the front closing the connection: a client may see a broken pipe instead of the 413)
    with socket.create_connection(front.server_address[:2], timeout=30) as raw:
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                    + f"Content-Length: {MAX_QUERY_BYTES + 1}\r\n\r\n".encode())
        assert raw.makefile("rb").readline().split(b" ", 2)[1] == b"413"
    with socket.create_connection(front.server_address[:2], timeout=30) as raw:  # http.client adds a length
        raw.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n\r\n")
        assert raw.makefile("rb").readline() == b"HTTP/1.0 411 Length Required\r\n"
