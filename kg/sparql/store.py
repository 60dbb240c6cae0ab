"""The store of a build folder, opened for reading by kg query and kg serve (kg.sparql describes
the store and who may open it when).

A folder whose store is missing, out of date with its graph.nq, or from an older version of kg gets
it rebuilt from graph.nq first, with one line saying so for a store that was there. Where that
cannot be done (the folder is not writable, or a build is writing it), `open_store` loads graph.nq
into memory and kg serve into a temporary store.
"""

from __future__ import annotations

import time
from contextlib import ExitStack
from pathlib import Path
from typing import Callable

from pyoxigraph import RdfFormat, Store

from ..build.folder import BuildDir, StorePin
from ..build.store import build_store, read_record, store_problem
from ..errors import InputError, KgError

__all__ = ["GraphNotFoundError", "open_store", "pinned_store"]


class GraphNotFoundError(InputError):
    """No built graph where one was expected."""


# The stores `open_store` opened, pinned while this process lives: a pyoxigraph Store cannot say
# when it is let go, and a build must not remove a store that is still read.
_PINS: dict[Path, StorePin] = {}


def open_store(graph="exports", notify: Callable[[str], None] | None = None) -> Store:
    """An Oxigraph store of the build folder `graph` (its store, read-only), or of the RDF file
    `graph` (loaded into memory). Either way the default graph is the merge of the named graphs,
    each triple once (see kg.sparql).

    `notify` hears one line when the folder's store had to be rebuilt first. Raises
    GraphNotFoundError when there is no built graph there.
    """
    path = Path(graph)
    if path.is_dir():
        folder = BuildDir(path)
        if not folder.graph_nq.is_file():
            raise GraphNotFoundError(f"{path}: no {folder.graph_nq.name} in this folder; run `kg build --out {path}` first")
        pin = pinned_store(folder, notify)
        if pin is not None:
            try:
                store = Store.read_only(str(pin.db))
            except OSError:  # not readable after all: from graph.nq, as for a folder kg cannot write
                pin.close()
            else:
                if _PINS.setdefault(pin.path, pin) is not pin:
                    pin.close()  # pinned already
                return store
        file, fmt = folder.graph_nq, RdfFormat.N_QUADS
    elif path.is_file():
        file, fmt = path, RdfFormat.from_extension(path.suffix.lstrip(".").lower())
        if fmt is None:
            raise GraphNotFoundError(f"{path}: not an RDF file (expected a build folder or a .nq file)")
    else:
        raise GraphNotFoundError(f"{path}: no such folder; run `kg build --out {path}` first")
    store = Store()
    try:
        store.bulk_load(path=str(file), format=fmt)
    except (SyntaxError, ValueError, OSError) as exc:
        raise GraphNotFoundError(f"{file}: cannot load: {exc}") from None
    # the default graph becomes the merge of the named graphs, every triple once
    store.update("INSERT { ?s ?p ?o } WHERE { GRAPH ?g { ?s ?p ?o } }")
    return store


def pinned_store(folder: BuildDir, notify: Callable[[str], None] | None = None) -> StorePin | None:
    """`folder`'s store, pinned for reading (close the pin when done), rebuilt from graph.nq first
    where it is missing, out of date or from an older kg; `notify` hears one line when a store that
    was there is rebuilt. None when a rebuild is needed and cannot be made here: the folder is not
    writable, or a build is writing it (its commit brings a store of its own).

    Raises GraphNotFoundError when graph.nq does not load.
    """
    pin = folder.pin_store()
    if pin is not None:
        problem = store_problem(folder, read_record(pin.record))
        if problem is None:
            return pin
        pin.close()
    else:
        problem = "from an older kg" if folder.legacy_stores else None
    if not folder.writable():
        return None
    started = time.monotonic()
    with ExitStack() as stack:
        try:
            stack.enter_context(folder.lock())
        except KgError:
            return None
        stage = stack.enter_context(folder.staging())
        try:
            build_store(folder.graph_nq, stage)
        except (SyntaxError, ValueError, OSError) as exc:
            raise GraphNotFoundError(f"{folder.graph_nq}: cannot load: {exc}") from None
        folder.commit(stage, [])
    if problem is not None and notify is not None:
        notify(f"{folder.path}/: store {problem} rebuilt from graph.nq ({_seconds(time.monotonic() - started)})")
    return folder.pin_store()


def _seconds(seconds: float) -> str:
    return f"{seconds:.1f} s" if seconds < 10 else f"{seconds:.0f} s"
