"""Build kg/data/ror_learned.tsv: what the affiliation matcher learns from ROR's public matching data.

Input: ROR's affiliation-matching training files (MIT licence; ``../shared/eval/ror-affiliations``:
Crossref publisher-asserted strings and ROR search logs, columns ``affiliation, ror_id``). Output: a
TSV of rows ``kind, key, value, ...`` (``alias``: loose key of a part → ROR id, times, share;
``related``: ROR id → the id asserted in its place, times, share; ``seen``: ROR id → times a
candidate, times asserted; ``country``: country → times a candidate sharing its name with other
organisations was located there, times it was asserted; ``weight``: feature → weight of the logistic scorer; ``threshold``), as
kg.knowledge.ror_learn.fit derives them. Only derived keys, ids and counts are written, never a
whole training string unless it is itself one part naming an organisation. Rows are sorted, so the
same inputs always give the same bytes. ``bench/ror_matching.py`` measures the same learning
cross-validated.

Usage:
    python scripts/build_ror_learned.py [DATA_DIR] [TARGET]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.knowledge.institutions import load_lexicon  # noqa: E402
from kg.knowledge.ror_learn import fit, prepare, read_labelled  # noqa: E402
from kg.knowledge.ror_match import AffiliationMatcher, LearnedTables  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "eval" / "ror-affiliations"
DEFAULT_TARGET = ROOT / "kg" / "data" / "ror_learned.tsv"
FILES = {
    "crossref": "20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs_train.csv",
    "search-logs": "20230903_affiliation_matching_logs_train.csv",
}
HEADER = """\
# What kg's affiliation matcher (kg/knowledge/ror_match.py) learned from ROR's public affiliation-matching
# training data (https://github.com/ror-community, MIT licence: Copyright (c) ROR, Research Organization
# Registry), Crossref publisher-asserted strings and ROR search logs; ROR ids from the ROR registry (CC0).
# Derived by scripts/build_ror_learned.py (kg.knowledge.ror_learn.fit); do not edit by hand.
# Rows: alias <loose key> <ror id> <times> <share> | related <ror id> <ror id> <times> <share> |
#       seen <ror id> <times a candidate> <times asserted> | country <country> <times a candidate sharing
#       its name with other organisations was there> <times asserted> | weight <feature> <value> |
#       threshold - <value>
"""


def write_tables(tables: LearnedTables, target: Path) -> int:
    rows = []
    for key, (ror_id, times, share) in tables.aliases.items():
        rows.append(("alias", key, ror_id, str(times), f"{share:g}"))
    for key, (ror_id, times, share) in tables.related.items():
        rows.append(("related", key, ror_id, str(times), f"{share:g}"))
    for key, (cand, gold) in tables.seen.items():
        rows.append(("seen", key, str(cand), str(gold)))
    for key, (cand, gold) in tables.countries.items():
        rows.append(("country", key, str(cand), str(gold)))
    for name, value in tables.weights.items():
        rows.append(("weight", name, f"{value:g}"))
    rows.append(("threshold", "-", f"{tables.threshold:g}"))
    rows.sort()
    for row in rows:
        if any("\t" in field or "\n" in field for field in row):
            raise ValueError(f"tab or newline inside a field: {row!r}")
    target.parent.mkdir(parents=True, exist_ok=True)
    with target.open("w", encoding="utf-8", newline="\n") as out:
        out.write(HEADER)
        for row in rows:
            out.write("\t".join(row) + "\n")
    return len(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("target", nargs="?", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    matcher = AffiliationMatcher(load_lexicon(), LearnedTables())
    prepared = []
    for name, file in FILES.items():
        path = args.data / file
        if not path.is_file():
            parser.error(f"{path} not found")
        prepared.extend(prepare(matcher, read_labelled(path), name))
    tables = fit(matcher, prepared, seed=args.seed)
    count = write_tables(tables, args.target)
    print(f"wrote {count} rows ({len(tables.aliases)} aliases, {len(tables.related)} related, "
          f"{len(tables.seen)} organisations, threshold {tables.threshold}) to {args.target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
