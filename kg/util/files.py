"""Reading files whole: digests of big files, and the data tables shipped in kg/data."""

from __future__ import annotations

import gzip
import hashlib
import io
from contextlib import contextmanager
from importlib import resources
from typing import Iterator

__all__ = ["sha256_of", "open_shipped"]


def sha256_of(path) -> str:
    """The hex SHA-256 of the file at `path`, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@contextmanager
def open_shipped(name: str) -> Iterator[io.TextIOBase | None]:
    """The shipped table kg/`name` as UTF-8 text (gunzipped when it ends in .gz), or None when the
    package was installed without it (callers then use an empty table)."""
    path = resources.files("kg").joinpath(name)
    if not path.is_file():
        yield None
        return
    with path.open("rb") as raw:
        with (gzip.open(raw, "rt", encoding="utf-8") if name.endswith(".gz")
              else io.TextIOWrapper(raw, encoding="utf-8")) as handle:
            yield handle
