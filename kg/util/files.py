"""Reading files whole: digests of big files, and the data tables shipped in kg/data."""

from __future__ import annotations

import gzip
import hashlib
import io
from contextlib import contextmanager
from importlib import resources
from pathlib import Path
from typing import Iterator

__all__ = ["sha256_of", "open_shipped", "digest_files", "table_rows"]


def sha256_of(path) -> str:
    """The hex SHA-256 of the file at `path`, read a megabyte at a time."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def digest_files(digest, folder: Path, names) -> None:
    """Feed `digest` each file's name and bytes (name, NUL, bytes), `names` relative to `folder`, in
    the order given; a file that is not there is left out (a package installed without an optional
    table). What the caches' fingerprints are made of: the code and tables a result depends on."""
    for name in names:
        path = folder / name
        if path.exists():
            digest.update(name.encode() + b"\0" + path.read_bytes())


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


def table_rows(lines, header: dict) -> Iterator[list[str]]:
    """The tab-separated fields of each row of a shipped table's `lines`, blank lines skipped; its
    ``#name<TAB>value`` lines go into `header` (name → value text) as they are met."""
    for line in lines:
        line = line.rstrip("\n")
        if not line:
            continue
        if line.startswith("#"):
            name, _, value = line[1:].partition("\t")
            header[name] = value
            continue
        yield line.split("\t")
