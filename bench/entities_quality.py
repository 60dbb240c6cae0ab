"""Knowledge worth a graph (issue 23): typed entities against SciERC's gold spans, and the biggest
nodes of a real build for a person to read.

1. SciERC.
Each SciERC abstract (../shared/eval/scierc/{train,dev}.json) is written as one entry of an
abstract feed and the feed goes through `kg build` (the real command, in a subprocess). The
distinct strings of each paper's record — topics, methods, datasets, tasks, metrics — are compared
with the distinct gold entity strings of that abstract, Generic excluded, as lowercase alphanumeric
words with a plural s dropped. Figures are micro-averaged over abstracts (all matches over all
strings); typed figures compare methods with gold Method, tasks with gold Task, datasets with gold
Material and metrics with gold Metric.

   Reports precision, recall and F1 (overall and typed) and, with --show, the unmatched strings of
   the first N abstracts for error analysis. Learn only from train; dev checks.
2. With --graph DIR (a `kg build` output folder, e.g. of the whole dev corpus): the 50 biggest topic
   nodes and the 30 biggest task, method, dataset and metric nodes by paper count, from papers.jsonl.

    python bench/entities_quality.py [--split dev|train|both] [--show N] [--kg PATH] [--graph DIR]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCIERC = ROOT.parent / "shared" / "eval" / "scierc"
FIELDS = ("topics", "methods", "datasets", "tasks", "metrics")
TYPED = {"methods": "Method", "tasks": "Task", "datasets": "Material", "metrics": "Metric"}
_SPACE_BEFORE = re.compile(r" ([,.;:!?%)\]}])")
_SPACE_AFTER = re.compile(r"([(\[{]) ")


def detokenize(tokens: list[str]) -> str:
    """SciERC's tokens back to running text ("a ( b ) , c ." → "a (b), c.")."""
    text = " ".join(tokens)
    text = text.replace("-LRB-", "(").replace("-RRB-", ")").replace("-LSB-", "[").replace("-RSB-", "]")
    text = _SPACE_BEFORE.sub(r"\1", text)
    text = _SPACE_AFTER.sub(r"\1", text)
    return text.replace(" 's", "'s").replace(" n't", "n't")


def _singular(word: str) -> str:
    """A plural s dropped: "models" → "model", and the spelling it takes with it ("properties" →
    "property", "approaches" → "approach"), so a label printed in the singular meets its plural."""
    if len(word) <= 3 or not word.endswith("s") or word.endswith("ss"):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]
    return word[:-1]


def norm(text: str) -> str:
    """Lowercase alphanumeric words, a final plural s dropped from each."""
    return " ".join(_singular(w) for w in re.findall(r"[a-z0-9]+", text.lower()))


def load(split: str) -> list[dict]:
    """Documents of one split: text and gold strings by type (Generic excluded)."""
    docs = []
    for line in (SCIERC / f"{split}.json").read_text(encoding="utf-8").splitlines():
        doc = json.loads(line)
        tokens = [t for sentence in doc["sentences"] for t in sentence]
        gold: dict[str, set[str]] = {}
        for sentence in doc["ner"]:
            for start, end, kind in sentence:
                if kind == "Generic":
                    continue
                key = norm(detokenize(tokens[start : end + 1]))
                if key:
                    gold.setdefault(kind, set()).add(key)
        text = " ".join(detokenize(s) for s in doc["sentences"])
        docs.append({"key": doc["doc_key"], "text": text, "gold": gold})
    return docs


def write_feed(docs: list[dict], path: Path) -> list[int]:
    """One feed entry per abstract; returns each entry's first line (1-based)."""
    lines: list[str] = []
    starts = []
    for doc in docs:
        starts.append(len(lines) + 1)
        lines += [doc["text"], "translated by 谷歌翻译", ""]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return starts


def run_build(docs: list[dict], kg: list[str]) -> list[dict]:
    """The papers.jsonl record of each document (in order), from one `kg build` of them all."""
    with tempfile.TemporaryDirectory() as tmp:
        feed = Path(tmp) / "scierc_feed.txt"
        starts = write_feed(docs, feed)
        out = Path(tmp) / "out"
        cmd = kg + ["build", str(feed), "--format", "feed", "--out", str(out), "--export", "none", "--no-pages"]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode not in (0, 3):
            sys.exit(f"kg build failed ({done.returncode}):\n{done.stderr}")
        by_line = {}
        for line in (out / "papers.jsonl").read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            for source in record["sources"]:
                by_line[source["line"]] = record
    return [by_line.get(start, {}) for start in starts]


class Score:
    def __init__(self):
        self.tp_pred = self.n_pred = self.tp_gold = self.n_gold = 0

    def add(self, predicted: set[str], gold: set[str]) -> None:
        self.n_pred += len(predicted)
        self.n_gold += len(gold)
        self.tp_pred += len(predicted & gold)
        self.tp_gold += len(gold & predicted)

    def figures(self) -> tuple[float, float, float]:
        p = self.tp_pred / self.n_pred if self.n_pred else 0.0
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f

    def line(self, name: str) -> str:
        p, r, f = self.figures()
        return f"{name:<22} P {p:.3f}  R {r:.3f}  F1 {f:.3f}   ({self.n_pred} predicted, {self.n_gold} gold)"


def strings(record: dict, field: str) -> set[str]:
    return {k for k in (norm(s) for s in record.get(field) or []) if k}


def evaluate(docs: list[dict], records: list[dict], show: int = 0) -> dict[str, Score]:
    scores = {"all": Score(), **{field: Score() for field in TYPED}}
    per_field = Counter()
    for i, (doc, record) in enumerate(zip(docs, records, strict=True)):
        gold_all = set().union(*doc["gold"].values()) if doc["gold"] else set()
        predicted = set().union(*(strings(record, f) for f in FIELDS))
        scores["all"].add(predicted, gold_all)
        for field, kind in TYPED.items():
            scores[field].add(strings(record, field), doc["gold"].get(kind, set()))
        for field in FIELDS:
            per_field[field] += len(strings(record, field))
            per_field[field + "_hit"] += len(strings(record, field) & gold_all)
        if i < show:
            print(f"\n## {doc['key']}\n{doc['text'][:300]}…")
            for field in FIELDS:
                print(f"  {field:<9} not gold:", sorted(strings(record, field) - gold_all))
            print("  predicted and gold: ", sorted(predicted & gold_all))
            print("  gold, missed:       ", sorted(gold_all - predicted))
    print("\nstrings per field (matching any gold type):")
    for field in FIELDS:
        n, hit = per_field[field], per_field[field + "_hit"]
        print(f"  {field:<9} {n:5d} strings, {hit / n if n else 0:.3f} of them gold")
    return scores


def biggest_nodes(folder: Path) -> None:
    """Print the biggest topic and entity nodes of a build, by number of papers."""
    counts = {field: Counter() for field in FIELDS}
    n = 0
    for line in (folder / "papers.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        n += 1
        for field in FIELDS:
            counts[field].update(set(record.get(field) or []))
    print(f"\n# biggest nodes of {folder} ({n} papers), by papers")
    for field, top in (("topics", 50), ("tasks", 30), ("methods", 30), ("datasets", 30), ("metrics", 30)):
        print(f"\n{field} ({len(counts[field])} nodes):")
        print("  " + "; ".join(f"{label} {c}" for label, c in counts[field].most_common(top)))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", choices=("dev", "train", "both"), default="both")
    parser.add_argument("--show", type=int, default=0, help="print the errors of the first N abstracts")
    parser.add_argument("--kg", default=str(ROOT / ".venv" / "bin" / "kg"), help="the kg command")
    parser.add_argument("--graph", type=Path, help="a build folder whose biggest nodes to print")
    parser.add_argument("--skip-scierc", action="store_true")
    args = parser.parse_args(argv)
    if args.graph:
        biggest_nodes(args.graph)
    if args.skip_scierc:
        return 0
    if not SCIERC.is_dir():
        print(f"skipped: {SCIERC} not found")
        return 0
    splits = ("train", "dev") if args.split == "both" else (args.split,)
    for split in splits:
        docs = load(split)
        records = run_build(docs, [args.kg])
        missing = sum(1 for r in records if not r)
        print(f"\n# SciERC {split}: {len(docs)} abstracts through kg build ({missing} without a record)")
        scores = evaluate(docs, records, args.show)
        print(scores["all"].line("all strings"))
        for field, kind in TYPED.items():
            print(scores[field].line(f"{field} vs {kind}"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
