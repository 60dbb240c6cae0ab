"""Build kg/data/ror_names.tsv.gz, the compact ROR name index the institution matcher reads.

Input: the gilda export of the Research Organization Registry (CC0), a TSV with the columns
``norm_text, text, db, id, entry_name, status, ...``. Output: a gzipped TSV with the columns
``norm, ror_id, status, entry_name``: one row per distinct (normalised name, organisation),
best status kept (name > synonym > short), ``entry_name`` filled only on the organisation's
"name" row, plus "short" rows for names without their " (Country)" suffix. Rows are sorted and
the gzip header carries no timestamp, so the same input always gives the same bytes.

Usage:
    python scripts/build_ror_index.py ../shared/ror/rorio.gilda.tsv.gz kg/data/ror_names.tsv.gz
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import sys
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


def build_rows(records) -> list[tuple[str, str, str, str]]:
    """Turn gilda records into sorted index rows (see the module docstring)."""
    rank = {status: position for position, status in enumerate(ROR_STATUSES)}
    best: dict[tuple[str, str], str] = {}
    entry_names: dict[str, str] = {}

    def offer(norm: str, ror_id: str, status: str) -> None:
        if not norm:
            return
        current = best.get((norm, ror_id))
        if current is None or rank[status] < rank[current]:
            best[(norm, ror_id)] = status

    for text, ror_id, entry_name, status in records:
        if status not in ("name", "synonym"):
            continue
        entry_names.setdefault(ror_id, entry_name)
        offer(normalise_name(text), ror_id, status)
    for ror_id, entry_name in entry_names.items():
        offer(normalise_name(entry_name), ror_id, "name")
        short = strip_country_suffix(entry_name)
        if short != entry_name:
            offer(normalise_name(short), ror_id, "short")

    name_norm = {ror_id: normalise_name(entry) for ror_id, entry in entry_names.items()}
    rows = []
    for (norm, ror_id), status in best.items():
        label = entry_names[ror_id] if status == "name" and norm == name_norm[ror_id] else ""
        rows.append((norm, ror_id, status, label))
    rows.sort(key=lambda row: (row[0], row[1], rank[row[2]]))
    return rows


def write_index(rows, target: Path) -> None:
    """Write rows as a gzipped TSV with a fixed header and no timestamp (stable bytes)."""
    text = io.StringIO()
    text.write("\t".join(HEADER) + "\n")
    for row in rows:
        if any("\t" in field or "\n" in field for field in row):
            raise ValueError(f"tab or newline inside a field: {row!r}")
        text.write("\t".join(row) + "\n")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("wb") as raw:
        with gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as out:
            out.write(text.getvalue().encode("utf-8"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", nargs="?", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET)
    args = parser.parse_args(argv)
    rows = build_rows(read_gilda(args.source))
    write_index(rows, args.target)
    organisations = len({row[1] for row in rows})
    print(f"wrote {len(rows)} rows for {organisations} organisations to {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
