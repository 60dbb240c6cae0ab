"""A read-only SPARQL 1.1 Protocol endpoint over a build's store, served by the Oxigraph server.

The `oxigraph` binary (PyPI package ``oxigraph``, installed next to the Python interpreter) answers
queries, with ``oxigraph serve-read-only``; kg's own front (`kg.sparql.front`) listens on the public
address and enforces the limits Oxigraph lacks. This module

1. pins the build folder's store (kg.sparql.store; a temporary one from graph.nq where the folder's
   own cannot be made),
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
  `kg.sparql.front.find_service` for how the keyword is found.
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
``<base>graph/derived``, so ``GRAPH ?g { … }`` gives provenance. Queries without ``GRAPH`` see the
default graph, the merge of all of them with each triple once (kg.sparql says why); the protocol's
``default-graph-uri`` / ``named-graph-uri`` parameters still select graphs per request. The server
serves the store as it was when it started: restart it after a build to serve the new graph.
"""

from __future__ import annotations

import atexit
import ipaddress
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
from pathlib import Path
from typing import Callable

from ..build.folder import BuildDir, StorePin
from ..build.store import build_store
from ..errors import KgError
from .front import FrontLimits, QueryFront
from .store import pinned_store

__all__ = [
    "DEFAULT_HOST",
    "DEFAULT_MAX_RESULTS",
    "DEFAULT_PORT",
    "DEFAULT_TIMEOUT",
    "SparqlServer",
    "find_oxigraph",
    "free_port",
    "is_loopback",
    "start_server",
]

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 7878
DEFAULT_TIMEOUT = 30  # seconds per query (Oxigraph's --timeout-s, whole seconds)
DEFAULT_MAX_RESULTS = 10_000  # solutions or triples per answer; more is refused (422)
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


def _first_error(stderr: str) -> str:
    """The informative line of an Oxigraph error output (it may add a stack backtrace)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    for line in lines:
        if line.startswith(("Error", "error")):
            return line
    return lines[-1] if lines else "no message"


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

    def __init__(self, front: QueryFront, backend: _Oxigraph, store: Path, log_path: Path, cleanup: list[Path],
                 pin: StorePin | None = None):
        self.front = front
        self.backend = backend
        self.host = front.server_address[0]
        self.port = front.server_address[1]
        self.store = store
        self.log_path = log_path
        self.timeout = front.limits.timeout
        self.max_results = front.limits.max_results
        self._cleanup = cleanup
        self._pin = pin  # the build folder's store, held until stop()
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
        if self._pin is not None:
            self._pin.close()
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
    binary: str | None = None,
    startup_timeout: float = 60.0,
    notify: Callable[[str], None] | None = None,
) -> SparqlServer:
    """Serve the build folder `graph_dir` read-only at http://HOST:PORT/sparql and return once it
    answers.

    `port` None or 0 picks a free port. A `host` that is not loopback is refused unless `public`.
    `timeout` is the per-query limit in whole seconds and `max_results` the most solutions (or
    triples) one answer may hold (see the module notes for what happens past either). `notify`
    hears one line when the folder's store had to be rebuilt first (kg.sparql.store).
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
    folder = BuildDir(graph_dir)
    if not folder.graph_nq.is_file():
        raise KgError(f"{folder.graph_nq}: no such file; run `kg build` first (or pass the build's output folder)")
    cleanup: list[Path] = []
    pin = pinned_store(folder, notify)
    if pin is not None:
        store = pin.db
    else:  # the folder's own store cannot be made now: a temporary one, removed by stop()
        temporary = BuildDir(tempfile.mkdtemp(prefix="kg-oxigraph-"))
        cleanup.append(temporary.path)
        try:
            build_store(folder.graph_nq, temporary)
        except BaseException as exc:
            _remove(cleanup)
            if isinstance(exc, (SyntaxError, ValueError, OSError)):
                raise KgError(f"{folder.graph_nq}: cannot load: {exc}") from None
            raise
        store = temporary.store_db
    fd, log_name = tempfile.mkstemp(prefix="kg-serve-", suffix=".log")
    os.close(fd)
    log_path = Path(log_name)
    cleanup.append(log_path)
    backend = _Oxigraph(binary, store, timeout, log_path, startup_timeout)
    try:
        front = QueryFront((host.strip("[]"), port or 0), backend, FrontLimits(timeout, max_results))
    except OSError as exc:
        _remove(cleanup)
        if pin is not None:
            pin.close()
        raise KgError(f"cannot listen on {_authority(host, port or 0)}: {exc.strerror or exc}") from None
    server = SparqlServer(front, backend, store, log_path, cleanup, pin)
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
