"""Affiliation strings → ROR ids, scored as ROR scores matchers, on ROR's public matching data.

For each string: the predicted id is a gold id → true positive; another id (or any id where the
gold is ``NP``, no ROR record fits) → false positive; no id where a gold id exists → false negative.
P = TP / (TP + FP), R = TP / (TP + FN). Strings with several gold ids (a few search-log strings name
two organisations) count a prediction of any of them as right.

Two measurements on ``../shared/eval/ror-affiliations/*_train.csv`` (Crossref publisher-asserted,
ROR search logs):

* ``--baseline``: the registry lexicon alone (``InstitutionLexicon.match``, what kg build used before
  issue 26), nothing learned;
* cross-validated (default): the rows of both files are dealt into ``--folds`` seeded folds; for each
  fold, everything learned (aliases, related organisations, per-organisation counts, the scorer and
  its threshold: kg.knowledge.ror_learn.fit) comes from the other folds only, and the fold is matched
  with it. Figures are summed over the folds.

It also times the shipped matcher (kg/data/ror_learned.tsv, learned from all the rows: figures on
those rows would be training figures, so they are not printed) in strings per second, one process.

    python bench/ror_matching.py [--data ../shared/eval/ror-affiliations] [--folds 5] [--seed 0]
                                 [--baseline] [--errors N]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.knowledge.institutions import load_lexicon  # noqa: E402
from kg.knowledge.ror_learn import fit, folds, prepare, read_labelled  # noqa: E402
from kg.knowledge.ror_match import AffiliationMatcher, LearnedTables, load_matcher  # noqa: E402

DATA = ROOT.parent / "shared" / "eval" / "ror-affiliations"
FILES = {
    "crossref": "20230628_Crossref_publisher_asserted_affiliation_string_ROR_IDs_train.csv",
    "search-logs": "20230903_affiliation_matching_logs_train.csv",
}


class Score:
    def __init__(self) -> None:
        self.tp = self.fp = self.fn = self.n = 0

    def add(self, predicted: str | None, gold: frozenset) -> str:
        self.n += 1
        if predicted is None:
            if gold:
                self.fn += 1
                return "FN"
            return "TN"
        if predicted in gold:
            self.tp += 1
            return "TP"
        self.fp += 1
        return "FP"

    def line(self) -> str:
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return f"P {p:.3f}  R {r:.3f}  F1 {f:.3f}  (TP {self.tp}, FP {self.fp}, FN {self.fn}; {self.n} strings)"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DATA)
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--baseline", action="store_true", help="the registry lexicon alone, nothing learned")
    parser.add_argument("--errors", type=int, default=0, help="print N wrong answers per set")
    args = parser.parse_args(argv)
    missing = [name for name in FILES.values() if not (args.data / name).is_file()]
    if missing:
        print(f"skipped: {args.data} lacks {', '.join(missing)}")
        return 0
    data = {name: read_labelled(args.data / file) for name, file in FILES.items()}
    lexicon = load_lexicon()
    errors = defaultdict(list)
    scores = {name: Score() for name in data}
    if args.baseline:
        print("baseline: InstitutionLexicon.match without the affiliation matcher (registry names, synonyms, "
              "hand-curated aliases, comma parts: kg build before issue 26)")
        lexicon._use_affiliations = False
        try:
            for name, rows in data.items():
                for text, gold in rows:
                    predicted = lexicon.match(text).ror_id
                    if scores[name].add(predicted, gold) in ("FP", "FN"):
                        errors[name].append((text, gold, predicted))
        finally:
            lexicon._use_affiliations = True
    else:
        matcher = AffiliationMatcher(lexicon, LearnedTables())
        prepared = []
        for name, rows in data.items():
            prepared.extend(prepare(matcher, rows, name))
        assignment = folds(len(prepared), args.folds, args.seed)
        print(f"{args.folds}-fold cross-validation, seed {args.seed}: learned on the other folds, measured on each")
        for k in range(args.folds):
            train = [r for r, f in zip(prepared, assignment, strict=True) if f != k]
            tables = fit(matcher, train, seed=args.seed)
            fold_matcher = matcher.with_tables(tables)
            for row, f in zip(prepared, assignment, strict=True):
                if f != k:
                    continue
                answer = fold_matcher.match(row.text)
                if scores[row.dataset].add(answer.ror_id, row.gold) in ("FP", "FN"):
                    errors[row.dataset].append((row.text, row.gold, answer.ror_id, answer.via, round(answer.score, 2)))
            print(f"  fold {k}: {len(tables.aliases)} aliases, {len(tables.related)} related, threshold {tables.threshold}")
    for name in data:
        print(f"{name:12s} {scores[name].line()}")
        for err in errors[name][: args.errors]:
            gold = ", ".join(sorted(lexicon.ror_label(g) or g for g in err[1])) or "NP"
            got = (lexicon.ror_label(err[2]) or err[2]) if err[2] else None
            print(f"    {err[0][:100]!r}\n        gold {gold} | got {got} {err[3:]}")
    # speed of the shipped matcher, index loaded
    matcher = load_matcher()
    strings = [text for rows in data.values() for text, _ in rows]
    # warm up past the exact look-up, so the timing leaves out building the matcher's indexes
    matcher.match("Dept. of Physics, Univ. of Oslo, Oslo, Norway")
    start = time.perf_counter()
    for text in strings:
        matcher.match(text)
    elapsed = time.perf_counter() - start
    print(f"speed: {len(strings) / elapsed:,.0f} strings/s ({len(strings)} strings, one process, shipped tables)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
