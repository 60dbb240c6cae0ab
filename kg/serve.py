"""A read-only SPARQL 1.1 Protocol endpoint over a build's graph.nq, served by the Oxigraph server.

The `oxigraph` binary (PyPI package ``oxigraph``, installed next to the Python interpreter) answers
queries, with ``oxigraph serve-read-only``; kg's own front (`kg.sparql_front`) listens on the public
address and enforces the limits Oxigraph lacks. This module

1. prepares an on-disk Oxigraph store from ``DIR/graph.nq`` (:func:`prepare_store`),
2. locates the binary (:func:`find_oxigraph`),
3. starts ``oxigraph serve-read-only --location STORE --bind 127.0.0.1:PRIVATE --timeout-s N``,
   then the front on HOST:PORT (loopback unless ``public``), and waits until both answer
   (:func:`start_server`).

Endpoints:

* ``/sparql`` — SPARQL 1.1 Protocol, query operation: GET ``?query=``, POST
  ``application/sparql-query`` or form-encoded ``query=``; results negotiated by ``Accept``
  (``application/sparql-results+json``, ``…+xml``, ``text/csv``, ``text/tab-separated-values``;
  CONSTRUCT/DESCRIBE: Turtle, N-Triples, RDF/XML…).
* ``/query`` — the same. ``GET /sparql`` (or ``/query``) without a query — the SPARQL service
  description (Turtle, or the RDF format ``Accept`` names), with the public endpoint URL.
* ``/`` — a short HTML page of kg's own: the endpoint URL, the limits below and a query form.
* A query holding ``SERVICE`` — 400 and a one-line text, before it is evaluated: Oxigraph would send
  its inner query to whatever address it names (the endpoint's host probing its network), and has
  no option to turn federation off (``oxigraph serve-read-only --help``, 0.5). See
  `kg.sparql_front.find_service` for how the keyword is found.
* Updates (``application/sparql-update``, an ``update=`` form or parameter), POSTs to ``/update`` or
  ``/store``, and any PUT, DELETE or PATCH — 403; a POST of another media type — 415; any other
  path — 404 (``GET /store`` too: a dump of the whole store would pass every limit). The private
  Oxigraph server refuses updates as well.

No answer names the private Oxigraph port: the front writes its own page, service description and
error texts, and asks Oxigraph with the client's ``Host``, the base against which Oxigraph resolves
relative IRIs (``IRI("x")`` gives ``http://HOST:PORT/x``, the public address).

Limits
------
* **Results**: an answer holding more than ``max_results`` solutions (SELECT) or triples
  (CONSTRUCT/DESCRIBE) — default 10,000, ``kg serve --max-results`` — is refused with
  ``422`` and a text/plain message saying so; it is never cut short, so a 200 answer is always
  complete. Page with ``LIMIT``/``OFFSET``. The front reads the whole answer before sending any byte
  (at most 256 MB), which is what lets it give that status.
* **Time**: Oxigraph's ``--timeout-s`` stops COUNT / GROUP BY / DISTINCT evaluation itself (its
  answer then ends in "The SPARQL operation has been cancelled"), but not ORDER BY, which kept
  sorting (one core busy, 1.5 GB resident on a 3-way cross join of the seeds) after the client had
  gone; a plain ``SELECT *`` stops only when its reader does (oxigraph/oxigraph#1336, #1874). So the
  front also keeps a wall clock: past ``timeout`` + 1 s it answers ``503`` and replaces the Oxigraph
  process by a fresh one (about 0.1 s; queries then in flight get 502). Either way the client gets
  ``503`` and a message within ``timeout`` + 1 s (plus the restart).

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
preparations. Loading the 1.73M quads of the dev corpus took 23–45 s and 420 MB, then compacting it 4 s; the seeds, a
fraction of a second. When DIR is not writable the store goes to a temporary folder removed by
:meth:`SparqlServer.stop`. A server still running on a store that a later ``kg serve`` rebuilds is
serving the old graph and should be restarted.
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
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from .errors import KgError
from .sparql_front import FrontLimits, QueryFront

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_RESULTS",
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
DEFAULT_MAX_RESULTS = 10_000  # solutions or triples per answer; more is refused (422)
STORE_DIR = ".oxigraph-store"
GRAPH_FILE = "graph.nq"
STORE_LAYOUT = "named graphs + merged default graph, compacted"  # changing it invalidates existing stores
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
    # Compacted once, as a store only ever read never compacts itself: on the dev corpus (1.5M
    # triples) the co-author query then took 0.22 ms instead of 0.32 ms (typical author) and 18 ms
    # instead of 37 ms (busiest); compacting took 4 s.
    compacted = subprocess.run([binary, "optimize", "--location", str(location)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.PIPE, text=True, env={**os.environ, **_CHILD_ENV})
    if compacted.returncode != 0:
        raise KgError(f"{graph}: cannot compact the Oxigraph store: {_first_error(compacted.stderr)}")


def _stamp_of(graph: Path, binary: str) -> dict:
    return {"graph": str(graph.resolve()), "sha256": _sha256(graph), "oxigraph": oxigraph_version(binary),
            "layout": STORE_LAYOUT}


def _is_current(root: Path, stamp: dict) -> bool:
    try:
        current = json.loads((root / "source.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return all(current.get(k) == stamp[k] for k in ("sha256", "oxigraph", "layout")) and (root / "db").is_dir()


def current_store(graph_dir, store_dir=None, binary: str | None = None) -> Path | None:
    """The database folder of `graph_dir`'s prepared store if it holds the present graph.nq, else None.

    Only reads (graph.nq's digest and the stamp): for callers that want the store when it is
    there and would rather not spend a load on it otherwise (``kg query`` on a small graph).
    """
    graph_dir = Path(graph_dir)
    graph = graph_dir / GRAPH_FILE
    root = Path(store_dir) if store_dir is not None else graph_dir / STORE_DIR
    if not graph.is_file() or not (root / "source.json").is_file():
        return None
    return root / "db" if _is_current(root, _stamp_of(graph, find_oxigraph(binary))) else None


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
        stamp = _stamp_of(graph, binary)
        if _is_current(root, stamp):
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


def store_writable(folder: Path) -> bool:
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


class _Oxigraph:
    """The private `oxigraph serve-read-only` behind the front, on a free loopback port.

    `overran` replaces it with a fresh process: a query past the deadline may still be sorting or
    joining (measured on the seeds: an ORDER BY over a 3-way cross join kept one core busy and 1.5 GB
    resident after the client had gone). The store is opened read-only, so killing it loses nothing."""

    HOST = "127.0.0.1"

    def __init__(self, binary: str, store: Path, timeout: int, log_path: Path, startup_timeout: float):
        self.binary, self.store, self.timeout = binary, store, timeout
        self.log_path, self.startup_timeout = log_path, startup_timeout
        self.process: subprocess.Popen | None = None
        self.port = 0
        self.generation = 0
        self.restarts = 0
        self._lock = threading.Lock()
        self._stopped = False

    def start(self) -> None:
        with self._lock:
            self._start()

    def _start(self) -> None:
        for attempt in range(3):  # the free port may be taken before oxigraph binds it
            self.port = free_port(self.HOST)
            offset = self.log_path.stat().st_size  # this start's lines follow
            command = [self.binary, "serve-read-only", "--location", str(self.store),
                       "--bind", _authority(self.HOST, self.port), "--timeout-s", str(self.timeout)]
            with open(self.log_path, "ab") as log:
                self.process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                                                env={**os.environ, **_CHILD_ENV}, start_new_session=True)
            try:
                _wait_until_ready(self, offset)
                return
            except KgError:
                self._kill()
                if attempt == 2 or "Address already in use" not in self.log(offset):
                    raise

    def address(self) -> tuple[str, int, int]:
        with self._lock:
            return self.HOST, self.port, self.generation

    def overran(self, generation: int) -> None:
        with self._lock:
            if generation != self.generation or self._stopped:
                return  # another overrun restarted it already
            self._kill()
            self.generation += 1
            self.restarts += 1
            try:
                self._start()
            except KgError:
                pass  # left stopped: wait() returns its exit status, and kg serve ends with the log

    def wait(self, timeout: float) -> int | None:
        """The exit status if the current process ended on its own within `timeout` seconds, else None."""
        process = self.process
        try:
            status = process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None
        with self._lock:
            return status if process is self.process and not self._stopped else None

    def log(self, offset: int = 0) -> str:
        """What the processes wrote, from byte `offset` of the log on."""
        try:
            with open(self.log_path, "rb") as handle:
                handle.seek(offset)
                return handle.read().decode("utf-8", "replace")
        except OSError:
            return ""

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            self._kill()

    def _kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class SparqlServer:
    """A running endpoint: the front on HOST:PORT and the Oxigraph server behind it. Use as a
    context manager, or call stop()."""

    def __init__(self, front: QueryFront, backend: _Oxigraph, store: Path, log_path: Path, cleanup: list[Path]):
        self.front = front
        self.backend = backend
        self.host = front.server_address[0]
        self.port = front.server_address[1]
        self.store = store
        self.log_path = log_path
        self.timeout = front.limits.timeout
        self.max_results = front.limits.max_results
        self._cleanup = cleanup
        self._thread = threading.Thread(target=front.serve_forever, kwargs={"poll_interval": 0.1}, name="kg-serve-front",
                                        daemon=True)
        self._stopped = threading.Event()
        self.base_url = f"http://{_authority(self.host, self.port)}"
        #: the SPARQL 1.1 Protocol endpoint (queries; updates are refused)
        self.url = f"{self.base_url}/sparql"
        self.query_url = f"{self.base_url}/query"
        self.update_url = f"{self.base_url}/update"
        atexit.register(self.stop)

    @property
    def process(self) -> subprocess.Popen:
        """The current Oxigraph process (a new one after each restart)."""
        return self.backend.process

    @property
    def pid(self) -> int:
        return self.backend.process.pid

    @property
    def running(self) -> bool:
        return not self._stopped.is_set() and self.backend.process.poll() is None

    def wait(self, timeout: float | None = None) -> int | None:
        """Block until stop() or until the Oxigraph server dies on its own (its exit status), or
        `timeout` seconds pass (None)."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._stopped.is_set():
            status = self.backend.wait(0.2)  # short waits: Ctrl-C stays responsive
            if status is not None:
                return status
            if deadline is not None and time.monotonic() > deadline:
                return None
        return None

    def log(self) -> str:
        """What the Oxigraph server processes wrote to stdout/stderr so far."""
        return self.backend.log()

    def stop(self) -> None:
        """Stop the front and the Oxigraph server, and remove temporary files."""
        if not self._stopped.is_set():
            self._stopped.set()
            if self._thread.is_alive():
                self.front.shutdown()
            self.front.server_close()
            self.backend.stop()
        _remove(self._cleanup)
        self._cleanup = []
        atexit.unregister(self.stop)

    def __enter__(self) -> SparqlServer:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def __repr__(self) -> str:
        state = "running" if self.running else "stopped"
        return f"<SparqlServer {self.url} oxigraph pid={self.pid} {state}>"


def start_server(
    graph_dir="exports",
    host: str = DEFAULT_HOST,
    port: int | None = DEFAULT_PORT,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    max_results: int = DEFAULT_MAX_RESULTS,
    public: bool = False,
    store_dir=None,
    binary: str | None = None,
    startup_timeout: float = 60.0,
) -> SparqlServer:
    """Serve `graph_dir`/graph.nq read-only at http://HOST:PORT/sparql and return once it answers.

    `port` None or 0 picks a free port. A `host` that is not loopback is refused unless `public`.
    `timeout` is the per-query limit in whole seconds and `max_results` the most solutions (or
    triples) one answer may hold (see the module notes for what happens past either).
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
    if max_results < 1:
        raise KgError("the result limit must be at least 1")
    binary = find_oxigraph(binary)
    graph_dir = Path(graph_dir)
    cleanup: list[Path] = []
    if store_dir is None and graph_dir.is_dir() and not store_writable(graph_dir):
        store_dir = Path(tempfile.mkdtemp(prefix="kg-oxigraph-"))
        cleanup.append(store_dir)
    try:
        store = prepare_store(graph_dir, store_dir, binary)
    except BaseException:
        _remove(cleanup)
        raise
    fd, log_name = tempfile.mkstemp(prefix="kg-serve-", suffix=".log")
    os.close(fd)
    log_path = Path(log_name)
    cleanup.append(log_path)
    backend = _Oxigraph(binary, store, timeout, log_path, startup_timeout)
    try:
        front = QueryFront((host.strip("[]"), port or 0), backend, FrontLimits(timeout, max_results))
    except OSError as exc:
        _remove(cleanup)
        raise KgError(f"cannot listen on {_authority(host, port or 0)}: {exc.strerror or exc}") from None
    server = SparqlServer(front, backend, store, log_path, cleanup)
    try:
        backend.start()
        server._thread.start()
    except BaseException:
        server.stop()
        raise
    return server


def _remove(paths: list[Path]) -> None:
    for path in paths:
        if path.is_dir():
            shutil.rmtree(path, ignore_errors=True)
        else:
            path.unlink(missing_ok=True)


def _wait_until_ready(backend: _Oxigraph, log_offset: int) -> None:
    """Return once the process says it listens and a test query on /sparql succeeds.

    Waiting for "Listening for requests" (printed after the port is bound) first means a test query
    cannot be answered by some other server already holding the port."""
    url = f"http://{_authority(backend.HOST, backend.port)}/sparql"
    probe = url + "?" + urllib.parse.urlencode({"query": "ASK {}"})
    request = urllib.request.Request(probe, headers={"Accept": "application/sparql-results+json"})
    deadline = time.monotonic() + backend.startup_timeout
    delay = 0.02
    while True:
        if backend.process.poll() is not None:
            raise KgError(f"oxigraph exited with status {backend.process.returncode}: "
                          f"{_first_error(backend.log(log_offset))}")
        if "Listening for requests" in backend.log(log_offset) and _answers(request):
            return
        if time.monotonic() > deadline:
            raise KgError(f"oxigraph did not answer on {url} within {backend.startup_timeout:.0f} s")
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
