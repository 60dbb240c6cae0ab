"""`kg serve`: the oxigraph SPARQL 1.1 Protocol endpoint over the seeds build, spoken to over HTTP."""

from __future__ import annotations

import csv
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from kg.build import BuildDir
from kg.errors import KgError
from kg.sparql.front import GRACE
from kg.sparql.serve import find_oxigraph, is_loopback, start_server

pytestmark = [pytest.mark.model, pytest.mark.slow]  # the endpoint: kg serve's processes

PREFIXES = """PREFIX kgo: <https://w3id.org/kg-digests/ontology#>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
"""
COAUTHORS = PREFIXES + """SELECT ?name WHERE {
  ?a foaf:name "D Dai" ; kgo:coAuthorWith ?b .
  ?b foaf:name ?name .
} ORDER BY ?name"""
DAI_COAUTHORS = ["B Chang", "F Wei", "L Dong", "Y Hao", "Z Sui"]
JSON = "application/sparql-results+json"
INSERT = "INSERT DATA { <a:b> <a:c> <a:d> }"
ASK_INSERTED = "ASK { <a:b> <a:c> <a:d> }"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


@pytest.fixture(scope="module")
def built(seed_build, seeds_dir) -> Path:
    """The seeds build output folder (graph.nq, graph.ttl, ...)."""
    return seeds_dir / "exports"


@pytest.fixture(scope="module")
def server(built):
    with start_server(built, port=0, timeout=30) as running:
        yield running


def http(url, *, data: bytes | None = None, headers=None, method=None, timeout=30):
    """(status, content type, body) of one request; HTTP errors are returned, not raised."""
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers.get("Content-Type", ""), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def get(server, query, accept=JSON):
    return http(server.url + "?" + urllib.parse.urlencode({"query": query}), headers={"Accept": accept})


def names(body: bytes) -> list[str]:
    return [b["name"]["value"] for b in json.loads(body)["results"]["bindings"]]


def ask(server, query) -> bool:
    status, _, body = get(server, query)
    assert status == 200
    return json.loads(body)["boolean"]


def test_get_query_json_gives_the_coauthors_of_d_dai(server):
    assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/sparql")
    status, ctype, body = get(server, COAUTHORS)
    assert status == 200 and ctype.startswith(JSON)
    assert json.loads(body)["head"]["vars"] == ["name"]
    assert names(body) == DAI_COAUTHORS


def test_post_query_direct_and_form_encoded(server):
    status, ctype, body = http(server.url, data=COAUTHORS.encode(), method="POST",
                               headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    assert status == 200 and ctype.startswith(JSON) and names(body) == DAI_COAUTHORS
    form = urllib.parse.urlencode({"query": COAUTHORS}).encode()
    status, _, body = http(server.url, data=form, method="POST",
                           headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON})
    assert status == 200 and names(body) == DAI_COAUTHORS


def test_csv_by_accept(server):
    status, ctype, body = get(server, COAUTHORS, accept="text/csv")
    assert status == 200 and ctype.startswith("text/csv")
    assert body.decode("utf-8").split("\r\n") == ["name", *DAI_COAUTHORS, ""]


def test_xml_by_accept(server):
    status, ctype, body = get(server, COAUTHORS, accept="application/sparql-results+xml")
    assert status == 200 and ctype.startswith("application/sparql-results+xml")
    ns = {"r": "http://www.w3.org/2005/sparql-results#"}
    root = ET.fromstring(body)
    assert [v.get("name") for v in root.findall("r:head/r:variable", ns)] == ["name"]
    assert [lit.text for lit in root.findall("r:results/r:result/r:binding/r:literal", ns)] == DAI_COAUTHORS


def test_named_graphs_stay_queryable(server):
    query = PREFIXES + """SELECT DISTINCT ?g WHERE { GRAPH ?g { ?a kgo:coAuthorWith ?b } }"""
    status, _, body = get(server, query)
    assert status == 200
    assert [b["g"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["https://example.org/kg/graph/derived"]


def count(server, query) -> int:
    status, _, body = get(server, query)
    assert status == 200
    return int(json.loads(body)["results"]["bindings"][0]["n"]["value"])


def test_default_graph_is_the_merge_each_triple_once(server, built):
    from pyoxigraph import RdfFormat, parse

    quads = list(parse(path=str(built / "graph.nq"), format=RdfFormat.N_QUADS))
    triples = {q.triple for q in quads}
    assert len(triples) < len(quads)  # some facts come from several source documents
    assert count(server, COUNT) == len(triples)
    assert count(server, "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }") == len(quads)
    # a fact stated by two documents: two graphs, one answer
    dataset = "<https://example.org/kg/dataset/imagenet-1k>"
    assert count(server, f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ {dataset} a ?type }} }}") == 2 * count(
        server, f"SELECT (COUNT(*) AS ?n) WHERE {{ {dataset} a ?type }}")


def test_updates_are_refused_and_change_nothing(server):
    before = get(server, COUNT)[2]
    attempts = [
        (server.update_url, INSERT.encode(), "application/sparql-update"),
        (server.update_url, urllib.parse.urlencode({"update": INSERT}).encode(), "application/x-www-form-urlencoded"),
        (server.url, INSERT.encode(), "application/sparql-update"),
        (server.url, urllib.parse.urlencode({"update": INSERT}).encode(), "application/x-www-form-urlencoded"),
        (server.url, INSERT.encode(), "application/sparql-query"),  # an update sent as a query
        (server.url, urllib.parse.urlencode({"query": INSERT}).encode(), "application/x-www-form-urlencoded"),
        (server.base_url + "/store?default", b"<a:b> <a:c> <a:d> .\n", "application/n-triples"),
    ]
    for url, data, ctype in attempts:
        status, _, _ = http(url, data=data, method="POST", headers={"Content-Type": ctype})
        assert not 200 <= status < 300, (url, ctype, status)
    status, _, _ = http(server.base_url + "/store?default", data=b"", method="DELETE")
    assert not 200 <= status < 300
    assert get(server, INSERT)[0] >= 400  # and through GET ?query=
    assert ask(server, ASK_INSERTED) is False
    assert get(server, COUNT)[2] == before
    assert names(get(server, COAUTHORS)[2]) == DAI_COAUTHORS


def test_no_answer_names_the_private_oxigraph_port(server):
    """Oxigraph's own service description, query page and relative-IRI base name the address it was
    asked on; through the front, every answer names the public one (or none)."""
    _, private, _ = server.backend.address()
    public = f"127.0.0.1:{server.port}"
    relative = "SELECT ?x ?y WHERE { BIND(IRI('x') AS ?x) BIND(<y> AS ?y) }"
    requests = [
        (server.base_url + "/", None, {}),
        (server.url, None, {"Accept": "text/turtle"}),  # the service description
        (server.url, None, {"Accept": "application/n-triples"}),
        (server.query_url, None, {"Accept": "application/rdf+xml"}),
        (server.url + "?" + urllib.parse.urlencode({"query": relative}), None, {"Accept": "text/csv"}),
        (server.url + "?" + urllib.parse.urlencode({"query": "DESCRIBE <z>"}), None, {"Accept": "text/turtle"}),
        (server.url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { ?s ?p"}), None, {}),  # syntax error
        (server.url + "?" + urllib.parse.urlencode({"query": "SELECT * WHERE { SERVICE <x> {} }"}), None, {}),
        (server.base_url + "/store", None, {}),
        (server.update_url, INSERT.encode(), {"Content-Type": "application/sparql-update"}),
        (server.url, b"ASK {}", {"Content-Type": "text/plain"}),
    ]
    answers = []
    for url, data, headers in requests:
        request = urllib.request.Request(url, data=data, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                answers.append((response.status, str(response.headers), response.read()))
        except urllib.error.HTTPError as exc:
            answers.append((exc.code, str(exc.headers), exc.read()))
    assert [status for status, _, _ in answers] == [200, 200, 200, 200, 200, 200, 400, 400, 404, 403, 415]
    for (url, _, _), (_, headers, body) in zip(requests, answers):
        assert str(private) not in headers and str(private).encode() not in body, url
    assert answers[4][2].decode().split("\r\n") == ["x,y", f"http://{public}/x,http://{public}/y", ""]
    assert f"<http://{public}/sparql>".encode() in answers[2][2]


def test_the_home_page_describes_the_endpoint(server):
    status, ctype, body = http(server.base_url + "/")
    assert (status, ctype) == (200, "text/html; charset=utf-8")
    page = body.decode("utf-8")
    assert f"<code>{server.url}</code>" in page
    assert "An answer of more than 10000 results is refused (422)" in page
    assert "A query running longer than 30 s is stopped (503)" in page
    # its form sends a query the endpoint answers
    query = page.split('<textarea name="query" rows="10" cols="80">')[1].split("</textarea>")[0]
    query = query.replace("&lt;", "<").replace("&gt;", ">")
    status, _, body = get(server, query)
    assert status == 200 and names(body)[:3] == ["A Seff", "B Chang", "D Dai"]


# --- limits: a second server with a 1 s timeout and a 50-result limit ---------------------------

LIMIT = 50
CROSS_JOIN = "?a ?b ?c . ?d ?e ?f . ?g ?h ?i"  # ~5e9 rows on the seeds
TIMED_OUT = b"the query ran longer than 1 s (kg serve --timeout) and was stopped: narrow it or add LIMIT\n"
TOO_MANY = b"the answer has more than 50 results (kg serve --max-results): add LIMIT, and OFFSET to page through it\n"
READ_ONLY = b"this endpoint is read-only: SPARQL updates and writes are refused\n"
TEXT = "text/plain; charset=utf-8"
XML, CSV, TSV = "application/sparql-results+xml", "text/csv", "text/tab-separated-values"


@pytest.fixture(scope="module")
def quick(built):
    with start_server(built, port=0, timeout=1, max_results=LIMIT) as running:
        yield running


def post(server, query, timeout=60):
    started = time.monotonic()
    answer = http(server.url, data=query.encode(), method="POST", timeout=timeout,
                  headers={"Content-Type": "application/sparql-query", "Accept": JSON})
    return (*answer, time.monotonic() - started)


def test_an_order_by_oxigraph_does_not_cancel_is_cut_off_and_its_process_replaced(quick):
    old_pid, restarts = quick.pid, quick.backend.restarts
    status, ctype, body, elapsed = post(quick, f"SELECT * WHERE {{ {CROSS_JOIN} }} ORDER BY ?i ?c ?f ?a")
    assert (status, ctype, body) == (503, TEXT, TIMED_OUT)
    assert 1 + GRACE <= elapsed < 1 + GRACE + 3  # the deadline, then a fresh oxigraph (~0.1 s)
    assert quick.backend.restarts == restarts + 1 and quick.pid != old_pid
    with pytest.raises(ProcessLookupError):
        os.kill(old_pid, 0)  # the process that was sorting is gone
    assert names(get(quick, COAUTHORS)[2]) == DAI_COAUTHORS  # and the endpoint still serves


def test_a_count_oxigraph_cancels_itself_gets_the_same_answer(quick):
    status, ctype, body, elapsed = post(quick, f"SELECT (COUNT(*) AS ?n) WHERE {{ {CROSS_JOIN} }}")
    assert (status, ctype, body) == (503, TEXT, TIMED_OUT)  # not a 200 ending in Oxigraph's message
    assert elapsed < 1 + GRACE + 3


def result_rows(body: bytes, accept: str) -> int:
    """Solutions in a results document, counted with each format's own reader."""
    if accept == JSON:
        return len(json.loads(body)["results"]["bindings"])
    if accept == XML:
        return len(ET.fromstring(body).findall("{http://www.w3.org/2005/sparql-results#}results/*"))
    if accept == CSV:
        return len(list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))) - 1
    return len(body.decode("utf-8").splitlines()) - 1  # TSV: one line per solution


@pytest.mark.parametrize("accept", [JSON, XML, CSV, TSV])
def test_an_answer_within_max_results_is_whole_and_a_bigger_one_refused(quick, accept):
    everything = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
    status, ctype, body = get(quick, f"{everything} ORDER BY ?s ?p ?o LIMIT {LIMIT}", accept)
    assert status == 200 and ctype.startswith(accept) and result_rows(body, accept) == LIMIT
    assert get(quick, f"{everything} LIMIT {LIMIT + 1}", accept) == (422, TEXT, TOO_MANY)
    assert get(quick, everything, accept) == (422, TEXT, TOO_MANY)
    status, _, body = get(quick, f"{everything} ORDER BY ?s ?p ?o LIMIT {LIMIT} OFFSET {LIMIT}", accept)
    assert status == 200 and result_rows(body, accept) == LIMIT  # the next page


def test_construct_counts_triples(quick):
    construct = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    status, _, body = get(quick, f"{construct} LIMIT {LIMIT}", "application/n-triples")
    assert status == 200 and len(body.decode("utf-8").splitlines()) == LIMIT
    assert get(quick, construct, "text/turtle") == (422, TEXT, TOO_MANY)


def test_insert_data_is_refused_by_the_front(quick):
    form = urllib.parse.urlencode({"update": INSERT}).encode()
    for url, data, ctype in [(quick.url, INSERT.encode(), "application/sparql-update"),
                             (quick.url, form, "application/x-www-form-urlencoded"),
                             (quick.update_url, INSERT.encode(), "application/sparql-update")]:
        assert http(url, data=data, method="POST", headers={"Content-Type": ctype}) == (403, TEXT, READ_ONLY)
    assert http(quick.url + "?" + urllib.parse.urlencode({"update": INSERT}))[0] == 403
    assert http(quick.base_url + "/store?default", data=b"<a:b> <a:c> <a:d> .\n", method="PUT")[0] == 403
    assert http(quick.base_url + "/store?default")[0] == 404  # no dump past the result limit
    assert ask(quick, ASK_INSERTED) is False


def test_the_front_listens_on_loopback_and_oxigraph_on_a_private_port(quick):
    host, port, _ = quick.backend.address()
    assert quick.url == f"http://127.0.0.1:{quick.port}/sparql"
    assert host == "127.0.0.1" and port != quick.port


def test_the_build_store_is_served_as_it_is(server, built):
    """kg serve reads the store kg build keeps, read-only: no second store beside it."""
    assert server.store.resolve() == BuildDir(built).store_db.resolve()
    assert not (built / ".oxigraph-store").exists()


def test_a_folder_of_graph_nq_alone_is_served_from_a_store_made_for_it(built, tmp_path):
    graph_dir = tmp_path / "build"
    graph_dir.mkdir()
    shutil.copy(built / "graph.nq", graph_dir / "graph.nq")
    heard = []
    with start_server(graph_dir, port=0, notify=heard.append) as running:
        assert names(get(running, COAUTHORS)[2]) == DAI_COAUTHORS
    folder = BuildDir(graph_dir)
    made = folder.store.resolve()
    assert folder.store_db.is_dir() and heard == []  # no store was there: made without a word
    with open(graph_dir / "graph.nq", "a", encoding="utf-8") as handle:  # a triple of the default graph
        handle.write('<https://example.org/x> <https://example.org/y> "z" .\n')
    with start_server(graph_dir, port=0, notify=heard.append) as running:
        assert ask(running, 'ASK { <https://example.org/x> <https://example.org/y> "z" }') is True
    assert folder.store.resolve() != made and len(heard) == 1
    assert heard[0].startswith(f"{graph_dir}/: store of another graph.nq rebuilt from graph.nq (")


def test_refusals_without_a_server(tmp_path):
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.2") and not is_loopback("example.org")
    with pytest.raises(KgError, match="loopback"):
        start_server(tmp_path, host="0.0.0.0")
    with pytest.raises(KgError, match="graph.nq"):
        start_server(tmp_path, port=0)
    with pytest.raises(KgError, match="not an executable"):
        find_oxigraph(tmp_path / "no-such-oxigraph")
    assert Path(find_oxigraph()).name.startswith("oxigraph")


def test_cli_serve_prints_the_endpoint_and_stops_on_ctrl_c(built, tmp_path):
    graph_dir = tmp_path / "build"
    graph_dir.mkdir()
    shutil.copy(built / "graph.nq", graph_dir / "graph.nq")
    process = subprocess.Popen([sys.executable, "-m", "kg", "serve", "--graph", str(graph_dir), "--port", "0"],
                               stderr=subprocess.PIPE, text=True)
    try:
        line = process.stderr.readline()
        assert line.startswith("SPARQL endpoint: http://127.0.0.1:"), line
        url = line.split()[2]
        status, _, body = http(url + "?" + urllib.parse.urlencode({"query": COAUTHORS}), headers={"Accept": JSON})
        assert status == 200 and names(body) == DAI_COAUTHORS
        process.send_signal(signal.SIGINT)
        assert process.wait(20) == 0
        assert "stopped" in process.stderr.read()
        with pytest.raises(urllib.error.URLError):
            urllib.request.urlopen(url + "?query=ASK%7B%7D", timeout=5)
    finally:
        if process.poll() is None:
            process.kill()
        process.stderr.close()
