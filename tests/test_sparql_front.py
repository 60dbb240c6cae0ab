"""kg serve's HTTP front against a scripted stand-in for the Oxigraph server: deadlines, Oxigraph's
cancellation, counting in every format, malformed answers, requests that are not queries."""

from __future__ import annotations

import http.client
import socket
import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from kg.sparql_front import CANCELLED, MAX_QUERY_BYTES, FrontLimits, QueryFront

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
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
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
    status, ctype, body, _ = ask(front)
    assert (status, ctype) == (502, TEXT) and body.startswith(b"the Oxigraph server did not answer")


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
