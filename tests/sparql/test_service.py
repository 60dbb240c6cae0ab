"""SERVICE (federation) is refused before evaluation, by `kg query` and by `kg serve`: no request ever
leaves for the address a query names.

Oxigraph itself is the reference: a listener on a free loopback port records every connection, and
each refused form below is first shown to make Oxigraph connect to it when run directly.
"""

from __future__ import annotations

import json
import random
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from click.testing import CliRunner
from pyoxigraph import Literal, NamedNode, Quad, QueryBoolean, Store

from kg.cli import cli
from kg.sparql.front import SERVICE_REFUSED, find_service, service_refusal
from kg.sparql.query import ServiceError, load_query, run_query
from kg.sparql.serve import start_server
from kg.sparql.store import open_store

REFUSED_AT_18 = SERVICE_REFUSED + " (line 1, column 18)"


class Listener:
    """A TCP listener on a free loopback port: records the first line of every connection made to
    it, then closes it (before the client can go on, so a record is there when a query returns)."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}/"
        self.requests: list[str] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self):
        while True:
            try:
                connection, _ = self.sock.accept()
            except OSError:
                return  # closed
            with connection:
                connection.settimeout(5)
                try:
                    data = connection.recv(4096)
                except OSError:
                    data = b""
                self.requests.append(data.split(b"\r\n", 1)[0].decode("latin-1"))

    def close(self):
        self.sock.close()


@pytest.fixture
def listener():
    running = Listener()
    yield running
    running.close()


def one_triple_store() -> Store:
    store = Store()  # SERVICE after a pattern is only called when the pattern has a solution
    store.add(Quad(NamedNode("http://e/a"), NamedNode("http://e/p"), Literal("x")))
    return store


def evaluate(store: Store, query: str) -> None:
    """Run `query` in Oxigraph to the end, whatever it raises."""
    try:
        answer = store.query(query)
        if isinstance(answer, QueryBoolean):
            bool(answer)
        else:
            list(answer)
    except (SyntaxError, OSError, RuntimeError, ValueError):
        pass


def fetches(query: str) -> int:
    """Connections Oxigraph makes running `query` ({url} filled in) against a fresh listener."""
    target = Listener()
    try:
        evaluate(one_triple_store(), query.replace("{url}", target.url))
        return len(target.requests)
    finally:
        target.close()


# Each of these made Oxigraph 0.5 send an HTTP request to {url}. Oxigraph matches keywords without
# a word boundary, hence the glued forms.
HEAD = "PREFIX : <{url}> PREFIX s: <{url}> PREFIX e: <http://e/> "
FETCHING = [
    "SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "select * where { service <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SeRvIcE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE SILENT <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICESILENT<{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE\tSILENT\r<{url}>{ ?s ?p ?o } }",
    "SELECT * WHERE { SERVICE # a comment does not hide it\n <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { # a comment\n SERVICE <{url}> { ?s ?p ?o } }",
    HEAD + "SELECT * WHERE { SERVICE :x { ?s ?p ?o } }",
    HEAD + "SELECT * WHERE { SERVICE:x { ?s ?p ?o } }",
    HEAD + "SELECT * WHERE { ?s ?p ?o services:x { ?s ?p ?o } }",  # SERVICE, then s:x
    "SELECT * WHERE { ?s ?p trueSERVICE <{url}> { } }",
    "SELECT * WHERE { ?s ?p 1SERVICE <{url}> { } }",
    "SELECT * WHERE { ?s ?p 'x'SERVICE <{url}> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { ?s ?p ?o MINUS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { FILTER EXISTS { SERVICE <{url}> { ?s ?p ?o } } }",
    "SELECT * WHERE { { SELECT * WHERE { SERVICE <{url}> { ?s ?p ?o } } } }",
    "SELECT * WHERE { SERVICE <{url}> { SERVICE <{url}> { ?s ?p ?o } } }",
    "ASK { SERVICE <{url}> { ?s ?p ?o } }",
    "CONSTRUCT { ?s ?p ?o } WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "DESCRIBE ?s WHERE { SERVICE <{url}> { ?s ?p ?o } }",
    "BASE <{url}> SELECT * WHERE { SERVICE <sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { FILTER(1<2)SERVICE<{url}>#>\n{ ?s ?p ?o } }",  # less-than just before it
    # "<1)SERVICE:x#>" has the shape of an IRI, yet "<" is less-than and "#>" starts a comment
    HEAD + "SELECT * WHERE { ?s ?p ?o FILTER(0<1)SERVICE:x#>\n{ ?s ?p ?o } }",
    # read as an IRI, "<?y&&'>" would start a string at "'!='" that hides SERVICE
    "SELECT * WHERE { BIND(1 AS ?x) BIND(2 AS ?y) FILTER(?x<?y&&'>)'!='')SERVICE<{url}>{ ?s ?p ?o } }",
]
REFUSED_TOO = [  # no request from Oxigraph 0.5 (unbound variable, syntax error), refused all the same
    "SELECT * WHERE { SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { VALUES ?endpoint { <{url}> } SERVICE ?endpoint { ?s ?p ?o } }",
    "SELECT * WHERE { \\u0053ERVICE <{url}> { ?s ?p ?o } }",  # the grammar allows \u escapes anywhere
    HEAD + "SELECT * WHERE { ?s ?p e:a.SERVICE <{url}> { ?s ?p ?o } }",
]
ALLOWED = [
    'SELECT * WHERE { ?s ?p "SERVICE <http://h/> { ?s ?p ?o }" }',
    "SELECT * WHERE { ?s ?p '''line\nSERVICE <http://h/> { }\n''' }",
    'SELECT * WHERE { ?s ?p """say "SERVICE" \\" SERVICE""" }',
    "SELECT * WHERE { ?s ?p ?o } # SERVICE <http://h/> { ?s ?p ?o }",
    "SELECT * WHERE { ?s <http://x/service> ?o }",
    "SELECT * WHERE { ?s <http://x/service#p> ?o FILTER(?o != <http://x/a#SERVICE>) }",
    "SELECT * WHERE { ?s a <http://www.w3.org/ns/sparql-service-description#Service> }",
    "SELECT ?service WHERE { ?service ?p $SERVICE }",
    "PREFIX schema: <http://schema.org/> SELECT * WHERE { ?s a schema:Service ; schema:serviceType ?t }",
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ex:service ?o ; ex:SERVICE ?o }",
    'SELECT * WHERE { ?s ?p "x"@en FILTER(?o < "SERVICE") }',
]


@pytest.mark.parametrize("query", FETCHING)
def test_each_form_that_makes_oxigraph_fetch_is_refused(query):
    assert fetches(query) >= 1  # the form is real: run as is, Oxigraph sends a request
    assert find_service(query.replace("{url}", "http://127.0.0.1:9/")) is not None


@pytest.mark.parametrize("query", REFUSED_TOO)
def test_service_with_a_variable_or_an_escape_is_refused_too(query):
    assert find_service(query.replace("{url}", "http://127.0.0.1:9/")) is not None


@pytest.mark.parametrize("query", ALLOWED)
def test_service_in_strings_iris_comments_and_names_is_not_refused(query):
    assert find_service(query) is None
    Store().query(query)  # and each is valid SPARQL


def test_the_refusal_is_one_line_with_where():
    assert service_refusal("SELECT * WHERE { ?s ?p ?o }") is None
    assert service_refusal("SELECT * WHERE { SERVICE <http://h/> {} }") == REFUSED_AT_18
    assert SERVICE_REFUSED == "SERVICE (federated query) is not allowed: kg never fetches data from other servers"
    text = "SELECT *\nWHERE {\n  ?s ?p '\\u0041' .\n  OPTIONAL { \\u0053ERVICE <http://h/> {} }\n}"
    assert service_refusal(text) == SERVICE_REFUSED + " (line 4, column 14)"  # the escape's place in the text


def test_the_check_reads_a_megabyte_in_linear_time():
    """The front's largest query (1 MB), in the shapes that make the lexer read "<…>" twice."""
    shapes = [
        "?s <http://e/p> 'abc' . ",
        "?s <http://e/service#p> ?o . ",  # both readings of every IRI
        "FILTER(?a<#)> || ",  # a comment to the end of a 1 MB line at every "#"
        "FILTER(?a<')'>||",
        "?s ?p '''x''' . ",
        "?s ?p '\\u0041' . ",  # a second pass over the unescaped text
    ]
    for shape in shapes:
        text = "SELECT * WHERE { " + shape * (1_000_000 // len(shape)) + "}"
        started = time.perf_counter()
        assert find_service(text) is None
        assert time.perf_counter() - started < 5, shape  # ~0.3 s each on one core


def test_random_queries_that_make_oxigraph_fetch_are_all_refused():
    """Differential check: random mixes of the pieces above, run by Oxigraph against a listener;
    every query Oxigraph sent a request for must be refused by find_service."""
    target = Listener()
    store = one_triple_store()
    pieces = [
        "?s ?p ?o", "?s ?p ?o .", "FILTER(1<2)", "FILTER(?s<?o)", "FILTER(?o<'z')", "BIND(1 AS ?z)", "?s ?p 'x'@en",
        '?s ?p "service"', "?s <http://e/service> ?o", "?s ?p e:a.", "?s ?p 1.", "?s ?p true", "{}",
        "OPTIONAL{?s ?p ?o}", "?s ?p e:a", '?s ?p ?o FILTER(?o<"#")', "FILTER(1<2&&'>')", "?s ?p _:b",
        "FILTER(?s<e:b)", "?s ?p '''a'''", "{ SELECT * { ?s ?p ?o } }", "FILTER EXISTS {?s ?p ?o}", "MINUS{}",
        "?s <http://e/service#x> ?o", "FILTER(?o<'#')", "?s ?p <http://e/a'b>", "FILTER(?s<?o&&'>)'!='')",
        "?s a <http://www.w3.org/ns/sparql-service-description#Service>", "?s ?p ?oSERVICE", "FILTER(?s<?o)#",
    ]
    keywords = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "SERVICESILENT", "SERVICE\tSILENT"]
    targets = ["<{base}>", ":x", "s:", "?x"]
    separators = [" ", "", "\n", "#c\n", "\t", "#>\n"]
    shapes = ["SELECT * WHERE {%s}", "ASK {%s}", "SELECT * { { SELECT * {%s} } }", "SELECT * { OPTIONAL {%s} }",
              "CONSTRUCT { ?s ?p ?o } WHERE {%s}", "SELECT * { ?s ?p ?o FILTER EXISTS {%s} }"]
    rng = random.Random(21)
    queries = []
    for k in range(400):
        base = f"{target.url}q{k}/"  # the request path tells which query fetched
        parts = [rng.choice(pieces) for _ in range(rng.randint(0, 3))]
        if rng.random() < 0.9:
            service = rng.choice(keywords) + rng.choice(separators) + rng.choice(targets) + rng.choice(separators)
            parts.insert(rng.randint(0, len(parts)), service + "{ ?s ?p ?o }")
        body = "".join(p + rng.choice(separators) for p in parts).replace("{base}", base)
        queries.append(f"PREFIX : <{base}> PREFIX s: <{base}> PREFIX e: <http://e/> " + rng.choice(shapes) % body)
    try:
        for query in queries:
            evaluate(store, query)
        time.sleep(0.2)
        fetched = {int(line.split("/q", 1)[1].split("/", 1)[0]) for line in target.requests}
    finally:
        target.close()
    assert len(fetched) >= 50  # the mix does reach Oxigraph's federation
    assert [queries[k] for k in sorted(fetched) if find_service(queries[k]) is None] == []


# --- kg query ----------------------------------------------------------------------------------

MINI_NQ = '<http://x/a> <http://x/p> "x" <http://x/g> .\n'


@pytest.fixture
def mini(tmp_path) -> Path:
    (tmp_path / "graph.nq").write_text(MINI_NQ, encoding="utf-8")
    return tmp_path


def test_kg_query_refuses_service_and_connects_nowhere(mini, listener, tmp_path):
    url = listener.url + "sparql"
    store = open_store(mini)
    for query in FETCHING[:8]:
        with pytest.raises(ServiceError, match=r"^query '<inline>': SERVICE \(federated query\) is not allowed"):
            run_query(store, load_query(query.replace("{url}", url)), {})
    result = CliRunner().invoke(cli, ["query", "-", "--graph", str(mini)],
                                input=f"SELECT * WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }}")
    assert (result.exit_code, result.output) == (1, f"Error: query '<stdin>': {REFUSED_AT_18}\n")
    rq = tmp_path / "federated.rq"
    rq.write_text(f"# name: federated\nSELECT * WHERE {{\n  ?s ?p ?o .\n  SERVICE SILENT <{url}> {{ ?s ?p ?o }}\n}}\n",
                  encoding="utf-8")
    result = CliRunner().invoke(cli, ["query", str(rq), "--graph", str(mini)])
    assert (result.exit_code, result.output) == (
        1, f"Error: query 'federated': {SERVICE_REFUSED} (line 4, column 3)\n")
    time.sleep(0.2)
    assert listener.requests == []


# --- kg serve ----------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def server(seed_build, seeds_dir):
    with start_server(seeds_dir / "exports", port=0, timeout=30) as running:
        yield running


def http(url, *, data=None, headers=None, method=None):
    """(status, content type, body); HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


@pytest.mark.model
def test_kg_serve_refuses_service_before_evaluation_and_connects_nowhere(server, listener):
    url = listener.url + "sparql"
    refused = (400, "text/plain; charset=utf-8", (REFUSED_AT_18 + "\n").encode())
    for query in [q.replace("{url}", url) for q in FETCHING if q.startswith("SELECT * WHERE { SERVICE")]:
        accept = {"Accept": "application/sparql-results+json"}
        assert http(server.url + "?" + urllib.parse.urlencode({"query": query}), headers=accept) == refused
        assert http(server.query_url, data=query.encode(), method="POST",
                    headers={**accept, "Content-Type": "application/sparql-query"}) == refused
        assert http(server.url, data=urllib.parse.urlencode({"query": query}).encode(), method="POST",
                    headers={**accept, "Content-Type": "application/x-www-form-urlencoded"}) == refused
    # the other forms, nested, glued, hidden behind a "<" that is less-than: refused all the same
    for query in FETCHING + REFUSED_TOO:
        status, _, body = http(server.url + "?" + urllib.parse.urlencode({"query": query.replace("{url}", url)}))
        assert status == 400 and body.startswith(SERVICE_REFUSED.encode()), query
    # a query whose URL says one thing and form another is checked in both places
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    target = server.url + "?" + urllib.parse.urlencode({"query": f"SELECT * WHERE {{ SERVICE <{url}> {{}} }}"})
    assert http(target, data=form, method="POST",
                headers={"Content-Type": "application/x-www-form-urlencoded"}) == refused
    time.sleep(0.5)
    assert listener.requests == []  # neither the front nor Oxigraph sent anything
    # and the endpoint still answers ordinary queries that merely mention "service"
    status, _, body = http(server.url + "?" + urllib.parse.urlencode(
        {"query": 'ASK { FILTER("SERVICE" != STR(<http://x/service>)) }  # SERVICE'}),
        headers={"Accept": "application/sparql-results+json"})
    assert (status, json.loads(body)["boolean"]) == (200, True)
