"""Build kg/data/ror_names.tsv.gz, the compact ROR name index the institution matcher reads.

Input, either:

* a ROR data dump as ROR publishes it on Zenodo (https://doi.org/10.5281/zenodo.6347574, always the
  latest release; files ``vX.Y-YYYY-MM-DD-ror-data.zip``), the zip itself or the JSON inside it, in
  the v1 or the v2 schema (a zip holding both is read in v2). Active records only; names are the
  display name, aliases, labels (other languages) and acronyms; country, city and parent are kept;
* or the gilda export of the registry (``rorio.gilda.tsv.gz``: ``norm_text, text, db, id, entry_name,
  status, ...``; names and synonyms only), as ``../shared/ror`` has it for ROR v1.36.

Output: a gzipped TSV whose first line is ``# ror_version=vX.Y licence=CC0-1.0``, then
the columns ``norm, ror_id, status, entry_name`` (plus ``country, city, parent`` when the source has
them): one row per distinct (normalised name, organisation), best status kept (name > synonym >
short), ``entry_name`` (and the location columns) filled only on the organisation's "name" row, plus
"short" rows for names without their " (Country)" suffix. Rows are sorted and the gzip header
carries no timestamp, so the same input always gives the same bytes.

The ROR version is read from the input's file name (``v1.36-2023-11-14-ror-data.zip``) or given
with ``--ror-version``. After refreshing the index, rebuild what the matcher learned, whose
candidates come from it: ``python scripts/build_ror_learned.py``.

Usage:
    python scripts/build_ror_index.py ../shared/ror/rorio.gilda.tsv.gz kg/data/ror_names.tsv.gz --ror-version v1.36
    python scripts/build_ror_index.py ~/Downloads/v1.60-2025-01-28-ror-data.zip
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import json
import re
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.knowledge.institutions import (  # noqa: E402
    ROR_STATUSES,
    normalise_name,
    strip_country_suffix,
)

DEFAULT_SOURCE = ROOT.parent / "shared" / "ror" / "rorio.gilda.tsv.gz"
DEFAULT_TARGET = ROOT / "kg" / "data" / "ror_names.tsv.gz"
HEADER = ("norm", "ror_id", "status", "entry_name")
LOCATION = ("country", "city", "parent")
_VERSION = re.compile(r"(?<![\w.])v(\d+(?:\.\d+)+)")


class Record:
    """One organisation: its display name, other names, and where it is."""

    __slots__ = ("ror_id", "name", "synonyms", "country", "city", "parent")

    def __init__(self, ror_id, name, synonyms, country="", city="", parent=""):
        self.ror_id, self.name, self.synonyms = ror_id, name, synonyms
        self.country, self.city, self.parent = country, city, parent


def _bare(ror_id: str) -> str:
    return ror_id.strip().rstrip("/").rsplit("/", 1)[-1]


def read_gilda(path: Path) -> list[tuple[str, str, str, str]]:
    """Return (text, ror_id, entry_name, status) for every row of the gilda TSV."""
    csv.field_size_limit(1 << 20)
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            (row["text"], row["id"], row["entry_name"], row["status"])
            for row in reader
            if row.get("db", "ror") == "ror" and row["id"]
        ]


def records_from_gilda(rows) -> list[Record]:
    """Gilda rows grouped into records (no locations)."""
    by_id: dict[str, Record] = {}
    for text, ror_id, entry_name, status in rows:
        if status not in ("name", "synonym"):
            continue
        record = by_id.setdefault(ror_id, Record(ror_id, entry_name, []))
        if text != entry_name:
            record.synonyms.append(text)
    return list(by_id.values())


def record_from_json(item: dict) -> Record | None:
    """A ROR record in the v1 or v2 schema; None for an inactive or withdrawn one."""
    if item.get("status", "active") != "active":
        return None
    ror_id = _bare(item["id"])
    if "names" in item:  # v2
        name, synonyms = "", []
        for entry in item["names"]:
            if "ror_display" in entry.get("types", ()):
                name = entry["value"]
            else:
                synonyms.append(entry["value"])
        location = (item.get("locations") or [{}])[0].get("geonames_details") or {}
        country, city = location.get("country_name", ""), location.get("name", "")
        parents = [r for r in item.get("relationships", ()) if r.get("type", "").lower() == "parent"]
    else:  # v1
        name = item["name"]
        synonyms = list(item.get("aliases", ())) + list(item.get("acronyms", ()))
        synonyms += [label["label"] for label in item.get("labels", ()) if label.get("label")]
        country = (item.get("country") or {}).get("country_name", "")
        city = ((item.get("addresses") or [{}])[0] or {}).get("city") or ""
        parents = [r for r in item.get("relationships", ()) if r.get("type", "").lower() == "parent"]
    if not name:
        return None
    parent = _bare(parents[0]["id"]) if parents else ""
    return Record(ror_id, name, [s for s in synonyms if s and s != name], country or "", city or "", parent)


def read_dump(path: Path) -> list[Record]:
    """Records of a ROR data dump: the Zenodo zip, or a (gzipped) JSON file from it."""
    if zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            names = sorted(n for n in archive.namelist() if n.endswith(".json"))
            if not names:
                raise ValueError(f"{path}: no JSON file inside")
            v2 = [n for n in names if "schema_v2" in n]
            with archive.open((v2 or names)[0]) as handle:
                items = json.load(io.TextIOWrapper(handle, encoding="utf-8"))
    elif path.name.endswith(".gz"):
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            items = json.load(handle)
    else:
        with path.open(encoding="utf-8") as handle:
            items = json.load(handle)
    records = [record_from_json(item) for item in items]
    return [r for r in records if r is not None]


def is_gilda(path: Path) -> bool:
    if zipfile.is_zipfile(path):
        return False
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return handle.read(64).startswith("norm_text\t")


def build_rows(records) -> list[tuple[str, ...]]:
    """Turn records into sorted index rows (see the module docstring)."""
    rank = {status: position for position, status in enumerate(ROR_STATUSES)}
    best: dict[tuple[str, str], str] = {}
    entries: dict[str, Record] = {}

    def offer(norm: str, ror_id: str, status: str) -> None:
        if not norm:
            return
        current = best.get((norm, ror_id))
        if current is None or rank[status] < rank[current]:
            best[(norm, ror_id)] = status

    for record in records:
        entries.setdefault(record.ror_id, record)
        for text in record.synonyms:
            offer(normalise_name(text), record.ror_id, "synonym")
    for ror_id, record in entries.items():
        offer(normalise_name(record.name), ror_id, "name")
        short = strip_country_suffix(record.name)
        if short != record.name:
            offer(normalise_name(short), ror_id, "short")

    located = any(r.country or r.city or r.parent for r in entries.values())
    name_norm = {ror_id: normalise_name(r.name) for ror_id, r in entries.items()}
    rows = []
    for (norm, ror_id), status in best.items():
        record = entries[ror_id]
        first = status == "name" and norm == name_norm[ror_id]
        row = (norm, ror_id, status, record.name if first else "")
        if located:
            row += (record.country, record.city, record.parent) if first else ("", "", "")
        rows.append(row)
    rows.sort(key=lambda row: (row[0], row[1], rank[row[2]]))
    return rows


def write_index(rows, target: Path, version: str = "") -> None:
    """Write rows as a gzipped TSV with a fixed header and no timestamp (stable bytes)."""
    text = io.StringIO()
    text.write(f"# ror_version={version or 'unknown'} licence=CC0-1.0\n")
    columns = HEADER + (LOCATION if rows and len(rows[0]) > len(HEADER) else ())
    text.write("\t".join(columns) + "\n")
    for row in rows:
        if any("\t" in field or "\n" in field for field in row):
            raise ValueError(f"tab or newline inside a field: {row!r}")
        text.write("\t".join(row) + "\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
            out.write(text.getvalue().encode("utf-8"))


def version_of(path: Path) -> str | None:
    """The ROR version a dump's file name carries: "v1.36-2023-11-14-ror-data.zip" → "v1.36"."""
    match = _VERSION.search(path.name)
    return f"v{match.group(1)}" if match else None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE,
                        help="a ROR data dump (zip or JSON, schema v1 or v2) or the gilda TSV export")
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--ror-version", default=None,
                        help="ROR release, e.g. v1.36 (default: read from the source's file name)")
    args = parser.parse_args(argv)
    if not args.source.is_file():
        parser.error(f"{args.source}: no such file")
    version = args.ror_version or version_of(args.source)
    if version is None and args.source.resolve() == DEFAULT_SOURCE.resolve():
        version = "v1.36"  # ../shared/ror/rorio.gilda.tsv.gz
    if version is None:
        parser.error("cannot tell the ROR version from the file name: give --ror-version vX.Y")
    if is_gilda(args.source):
        records = records_from_gilda(read_gilda(args.source))
    else:
        records = read_dump(args.source)
    rows = build_rows(records)
    write_index(rows, args.target, version)
    organisations = len({row[1] for row in rows})
    print(f"wrote {len(rows)} rows for {organisations} organisations (ROR {version}) to {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
