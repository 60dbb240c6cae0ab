"""A read-only SPARQL 1.1 Protocol endpoint over a build's graph.nq, served by the Oxigraph server.

Nothing here speaks HTTP itself: the `oxigraph` binary (PyPI package ``oxigraph``, installed next
to the Python interpreter) does, with ``oxigraph serve-read-only``. This module only

1. prepares an on-disk Oxigraph store from ``DIR/graph.nq`` (:func:`prepare_store`),
2. locates the binary (:func:`find_oxigraph`),
3. starts ``oxigraph serve-read-only --location STORE --bind HOST:PORT --timeout-s N`` and waits
   until it answers (:func:`start_server`).

Endpoints (all Oxigraph's own routes, >= 0.5.13):

* ``/sparql`` — SPARQL 1.1 Protocol, query operation: GET ``?query=``, POST
  ``application/sparql-query`` or form-encoded ``query=``; results negotiated by ``Accept``
  (``application/sparql-results+json``, ``…+xml``, ``text/csv``, ``text/tab-separated-values``;
  CONSTRUCT/DESCRIBE: Turtle, N-Triples, RDF/XML…). Oxigraph documents ``/sparql`` as the union of
  ``/query`` and ``/update``; the server being read-only, updates there get 403.
* ``/query`` — the same query operation; ``/update`` and writes to ``/store`` — 403.

The dataset
-----------
Each source document's facts stay in its named graph, and corpus-level facts in
``<base>graph/derived``, so ``GRAPH ?g { … }`` gives provenance. The default graph, which queries
without ``GRAPH`` see, is the RDF merge of all of them, stored once: every triple once, however
many documents state it (the triples of graph.ttl). Oxigraph's ``--union-default-graph`` is not
used on purpose: it matches the default graph against every named graph in turn, so a triple
stated in k documents answers k times — duplicate rows and COUNTs counting documents — and joins
multiply: on the 1.46M-triple dev corpus the co-author pattern of "Y Zhang" went through 3.4M
intermediate rows for 734 answers (1.7 s per query) instead of 734 (13 ms). The protocol's
``default-graph-uri`` / ``named-graph-uri`` parameters still select graphs per request.

The store
---------
Kept in ``DIR/.oxigraph-store/db``, with ``DIR/.oxigraph-store/source.json`` recording the SHA-256
of the graph.nq it was loaded from, the Oxigraph version that wrote it and the store layout. It is
reused while all match, and rebuilt (into a fresh folder, swapped in, stamp written last) when
``kg build`` changed graph.nq or Oxigraph was upgraded; a lock file serialises concurrent
preparations. Loading the 1.73M quads of the dev corpus took 45 s (busy 2-core machine) and 420 MB; the seeds, a
fraction of a second. When DIR is not writable the store goes to a temporary folder removed by
:meth:`SparqlServer.stop`. A server still running on a store that a later ``kg serve`` rebuilds is
serving the old graph and should be restarted.

Limits (Oxigraph 0.5.13)
------------------------
``--timeout-s`` fires Oxigraph's cancellation token after N seconds, which only the evaluation
steps that check it obey. Seen on a 3-way cross join of the seeds (5e9 rows): COUNT / GROUP BY and
DISTINCT stop at the timeout — results being streamed, the response already has status 200 and
its body ends with "The SPARQL operation has been cancelled" instead of a complete results
document; ORDER BY does not stop (it kept sorting, growing in memory, until the process was
stopped); a plain ``SELECT *`` keeps streaming rows as long as the client reads them (it stops when
the client disconnects). The server has no result-size limit option. Upstream: oxigraph/oxigraph#1336, #1874.
"""

from __future__ import annotations

import atexit
import hashlib
import ipaddress
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .errors import KgError

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "SparqlServer",
    "find_oxigraph",
    "free_port",
    "is_loopback",
    "prepare_store",
    "start_server",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30  # seconds per query (Oxigraph's --timeout-s, whole seconds)
STORE_DIR = ".oxigraph-store"
GRAPH_FILE = "graph.nq"
STORE_LAYOUT = "named graphs + merged default graph"  # changing it invalidates existing stores
_CHILD_ENV = {"RUST_BACKTRACE": "0", "RUST_LIB_BACKTRACE": "0"}


# --- the binary ----------------------------------------------------------------------------------

def find_oxigraph(binary: str | os.PathLike | None = None) -> str:
    """Path of the `oxigraph` server binary: `binary` if given, else the one installed beside the
    running Python (a virtualenv's bin/ or Scripts/), else the first on PATH.

    Raises KgError when none is found.
    """
    if binary is not None:
        path = shutil.which(str(binary))
        if path is None:
            raise KgError(f"{binary}: not an executable oxigraph binary")
        return path
    names = ("oxigraph.exe", "oxigraph") if os.name == "nt" else ("oxigraph",)
    here = Path(sys.executable).parent  # not resolved: a venv's python is a symlink out of the venv
    for name in names:
        candidate = here / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    path = shutil.which("oxigraph")
    if path is None:
        raise KgError("the oxigraph server binary was not found next to Python nor on PATH; "
                      "install it with `pip install oxigraph`")
    return path


def oxigraph_version(binary: str) -> str:
    """`oxigraph --version` output, e.g. "oxigraph 0.5.13"."""
    try:
        done = subprocess.run([binary, "--version"], check=False, capture_output=True, text=True, timeout=30,
                              env={**os.environ, **_CHILD_ENV})
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise KgError(f"cannot run {binary}: {exc}") from None
    if done.returncode != 0:
        raise KgError(f"{binary} --version failed: {_first_error(done.stderr)}")
    return done.stdout.strip()


def _first_error(stderr: str) -> str:
    """The informative line of an Oxigraph error output (it may add a stack backtrace)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("Error", "error")):
            return line
    return lines[-1] if lines else "no message"


# --- the store -----------------------------------------------------------------------------------

def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def _locked(path: Path):
    """An exclusive advisory lock on `path` (no-op where fcntl is missing)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load(binary: str, graph: Path, location: Path) -> None:
    """Bulk-load graph.nq's quads into a new store at `location`, plus each triple once more in the
    default graph, which thereby holds the RDF merge of all named graphs.

    One ``oxigraph load`` reads N-Quads from stdin; pyoxigraph streams graph.nq into it with a
    default-graph copy of every quad (the store keeps a set, so repeats collapse).
    """
    from pyoxigraph import DefaultGraph, Quad, RdfFormat, parse, serialize

    def with_merge(quads):
        for quad in quads:
            yield quad
            yield Quad(quad.subject, quad.predicate, quad.object, DefaultGraph())

    with tempfile.TemporaryFile() as errors:
        process = subprocess.Popen([binary, "load", "--location", str(location), "--format", "nq"],
                                   stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=errors,
                                   env={**os.environ, **_CHILD_ENV})
        problem = None
        try:
            with open(graph, "rb") as source:  # a handle, not path=: parse(path=…) reads it all into memory
                serialize(with_merge(parse(source, format=RdfFormat.N_QUADS)), process.stdin, RdfFormat.N_QUADS)
            process.stdin.close()
        except (SyntaxError, ValueError, OSError) as exc:  # bad graph.nq, or the loader died (broken pipe)
            problem = exc
            process.kill()
        finally:
            process.wait()
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    if problem is not None and not isinstance(problem, (BrokenPipeError, ConnectionError)):
        raise KgError(f"{graph}: cannot read: {problem}")
    # oxigraph load also reports failures on stderr ("Error while loading …", "Failed to save …")
    if problem is not None or process.returncode != 0 or "Error while loading" in stderr or "Failed to save" in stderr:
        raise KgError(f"{graph}: cannot load into an Oxigraph store: {_first_error(stderr)}")


def prepare_store(graph_dir, store_dir=None, binary: str | None = None) -> Path:
    """The Oxigraph store (a folder) holding `graph_dir`/graph.nq, loading it only when needed.

    `store_dir` defaults to `graph_dir`/.oxigraph-store; the database is its ``db`` subfolder and
    ``source.json`` records the SHA-256 of graph.nq and the Oxigraph version that loaded it. A
    matching store is reused as is. Raises KgError when graph.nq is missing or does not load.
    """
    graph_dir = Path(graph_dir)
    graph = graph_dir / GRAPH_FILE
    if not graph.is_file():
        raise KgError(f"{graph}: no such file; run `kg build` first (or pass the build's output folder)")
    binary = find_oxigraph(binary)
    root = Path(store_dir) if store_dir is not None else graph_dir / STORE_DIR
    root.mkdir(parents=True, exist_ok=True)
    db, stamp_path = root / "db", root / "source.json"
    with _locked(root / ".lock"):
        stamp = {"graph": str(graph.resolve()), "sha256": _sha256(graph), "oxigraph": oxigraph_version(binary),
                 "layout": STORE_LAYOUT}
        try:
            current = json.loads(stamp_path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            current = None
        same = current is not None and all(current.get(k) == stamp[k] for k in ("sha256", "oxigraph", "layout"))
        if same and db.is_dir():
            return db
        stamp_path.unlink(missing_ok=True)  # a store without a valid stamp is always rebuilt
        fresh = Path(tempfile.mkdtemp(prefix="db.loading-", dir=root))
        try:
            _load(binary, graph, fresh)
            if db.exists():
                shutil.rmtree(db)
            fresh.rename(db)
            db.chmod(0o755)  # mkdtemp makes it owner-only
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        tmp = stamp_path.with_suffix(".json.tmp")
        tmp.write_text(json.dumps(stamp, indent=1) + "\n", encoding="utf-8")
        os.replace(tmp, stamp_path)
    return db


def _writable(folder: Path) -> bool:
    target = folder / STORE_DIR
    return os.access(target if target.exists() else folder, os.W_OK)


# --- the server ----------------------------------------------------------------------------------

def is_loopback(host: str) -> bool:
    """True for "localhost" and loopback addresses (127.0.0.0/8, ::1)."""
    if host.lower() in ("localhost", "localhost."):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def free_port(host: str = DEFAULT_HOST) -> int:
    """A TCP port free on `host` right now (the OS picks it)."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as sock:
        sock.bind((host.strip("[]"), 0))
        return sock.getsockname()[1]


def _authority(host: str, port: int) -> str:
    host = host.strip("[]")
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


class SparqlServer:
    """A running `oxigraph serve-read-only` process. Use as a context manager, or call stop()."""

    def __init__(self, process: subprocess.Popen, host: str, port: int, store: Path, log_path: Path,
                 timeout: int, cleanup: list[Path]):
        self.process = process
        self.host = host
        self.port = port
        self.store = store
        self.log_path = log_path
        self.timeout = timeout
        self._cleanup = cleanup
        self.base_url = f"http://{_authority(host, port)}"
        #: the SPARQL 1.1 Protocol endpoint (queries; updates are refused)
        self.url = f"{self.base_url}/sparql"
        self.query_url = f"{self.base_url}/query"
        self.update_url = f"{self.base_url}/update"
        self._exit_hook = atexit.register(self.stop)

    @property
    def pid(self) -> int:
        return self.process.pid

    @property
    def running(self) -> bool:
        return self.process.poll() is None

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until the server process ends (or `timeout` seconds pass); its exit status or None."""
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def log(self) -> str:
        """What the server process wrote to stdout/stderr so far."""
        try:
            return self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""

    def stop(self, grace: float = 5.0) -> None:
        """Stop the server (SIGTERM, then SIGKILL after `grace` seconds) and remove temporary files."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(grace)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        for path in self._cleanup:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        self._cleanup = []
        atexit.unregister(self.stop)

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else f"exited {self.process.returncode}"
        return f"<SparqlServer {self.url} pid={self.pid} {state}>"


def start_server(
    graph_dir="exports",
    host: str = DEFAULT_HOST,
    port: int | None = DEFAULT_PORT,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    public: bool = False,
    store_dir=None,
    binary: str | None = None,
    startup_timeout: float = 60.0,
) -> SparqlServer:
    """Serve `graph_dir`/graph.nq read-only at http://HOST:PORT/sparql and return once it answers.

    `port` None or 0 picks a free port. A `host` that is not loopback is refused unless `public`.
    `timeout` is the per-query limit in whole seconds (see the module notes for what it cuts).
    Raises KgError when graph.nq or the oxigraph binary is missing, or the server does not start.

    >>> with start_server("exports", port=0) as server:      # doctest: +SKIP
    ...     print(server.url)
    http://127.0.0.1:41234/sparql
    """
    if not is_loopback(host) and not public:
        raise KgError(f"{host} is not a loopback address: the endpoint would be reachable from the network; "
                      "pass public=True (kg serve --public) to allow it")
    timeout = int(timeout)
    if timeout < 1:
        raise KgError("the query timeout must be at least 1 second")
    binary = find_oxigraph(binary)
    graph_dir = Path(graph_dir)
    cleanup: list[Path] = []
    if store_dir is None and graph_dir.is_dir() and not _writable(graph_dir):
        store_dir = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
        cleanup.append(store_dir)
    try:
        store = prepare_store(graph_dir, store_dir, binary)
    except BaseException:
        for path in cleanup:
            shutil.rmtree(path, ignore_errors=True)
        raise
    port = port or free_port(host)
    fd, log_name = tempfile.mkstemp(prefix="kg-serve-", suffix=".log")
    log_path = Path(log_name)
    cleanup.append(log_path)
    command = [binary, "serve-read-only", "--location", str(store), "--bind", _authority(host, port),
               "--timeout-s", str(timeout)]
    with os.fdopen(fd, "wb") as log:
        process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                   env={**os.environ, **_CHILD_ENV}, start_new_session=True)
    server = SparqlServer(process, host, port, store, log_path, timeout, cleanup)
    try:
        _wait_until_ready(server, startup_timeout)
    except BaseException:
        server.stop()
        raise
    return server


def _wait_until_ready(server: SparqlServer, limit: float) -> None:
    """Return once the process says it listens and a test query on /sparql succeeds.

    Waiting for "Listening for requests" (printed after the port is bound) first means a test query
    cannot be answered by some other server already holding the port."""
    probe = server.url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
    deadline = time.monotonic() + limit
    delay = 0.02
    while True:
        if server.process.poll() is not None:
            raise KgError(f"oxigraph exited with status {server.process.returncode}: {_first_error(server.log())}")
        if "Listening for requests" in server.log() and _answers(request):
            return
        if time.monotonic() > deadline:
            raise KgError(f"oxigraph did not answer on {server.url} within {limit:.0f} s")
        time.sleep(delay)
        delay = min(delay * 2, 0.25)


def _answers(request: urllib.request.Request) -> bool:
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status == 200
    except urllib.error.HTTPError as exc:
        if exc.code == 404:
            raise KgError("this oxigraph has no /sparql route; upgrade it (pip install 'oxigraph>=0.5.13')") from None
        raise KgError(f"oxigraph answered {exc.code} to a test query on /sparql") from None
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False
