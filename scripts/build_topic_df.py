"""Build kg/data/topic_df.tsv.gz: background document frequencies of topic labels and words.

Input: the dev corpus (../shared/corpus: digests and feeds). Every English abstract (with its
title, as extraction reads it) is run through the project's own extraction pipeline; the table
counts, per topic key (kg.util.words.topic_key), in how many abstracts the label occurs,
and per word in how many abstracts it occurs inside some candidate. Identical texts count once.
Feed papers held out for the cross-lingual measurement (kg.knowledge.glossary.held_out, matched through
../shared/corpus/parallel.jsonl) are left out, so no derived table has seen them.

Only counts are written, never corpus text: rows ``label<TAB>key<TAB>df`` for labels with
df >= --min-df and ``word<TAB>word<TAB>df`` for words with df >= --min-df, after a ``#docs<TAB>N``
header; and ``spread<TAB>key<TAB>ratio`` (``wspread<TAB>word<TAB>ratio`` for words) for labels in at least --spread-df abstracts of known venue:
how evenly the label spreads over the venues of the dated replay (../shared/corpus/dated_gold.jsonl
names the venue of every digest paper: CVPR, ICCV, ACL, NAACL, COLING, NeurIPS, ICML, ICLR, AISTATS),
as the entropy of its per-venue rate (share of the venue's abstracts that hold it) over the entropy
of an even spread: 1.0 for a label every venue uses alike ("experimental result"), low for one
field's term ("dependency parsing"). Rows are sorted and the gzip header carries no timestamp: the same input and pipeline
give the same bytes. Rebuild after any change to candidate extraction (kg/extract/components.py).

Usage:
    python scripts/build_topic_df.py [--corpus ../shared/corpus] [--out kg/data/topic_df.tsv.gz] [--min-df 2]
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.extract.findings import findings_from_doc  # noqa: E402
from kg.extract.mentions import _merged_candidates, _method_and_aliases, english_text, entry_text_key  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402
from kg.ingest import read_inputs  # noqa: E402
from kg.knowledge.glossary import held_out  # noqa: E402

DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_TARGET = ROOT / "kg" / "data" / "topic_df.tsv.gz"


def held_out_texts(parallel: Path) -> set[str]:
    """The first 200 characters of both versions of every held-out parallel paper."""
    out: set[str] = set()
    if not parallel.exists():
        return out
    with parallel.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if held_out(row["arxiv_id"]):
                out.add(row["en"].strip()[:200])
                out.add(row["zh"].strip()[:200])
    return out


def venues_by_title(gold: Path) -> dict[str, str]:
    """Lowercased title -> venue family ("cvpr", "acl", ...) of every paper of the dated replay."""
    out: dict[str, str] = {}
    if gold.exists():
        with gold.open(encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                out[" ".join(row["title"].lower().split())] = row["venue"].split("/", 1)[0]
    return out


def spread_of(per_venue: dict[str, int], sizes: Counter) -> float:
    """Entropy of the per-venue rate of a label over the entropy of an even spread (0..1)."""
    rates = [per_venue.get(v, 0) / n for v, n in sizes.items()]
    total = sum(rates)
    entropy = -sum(r / total * math.log(r / total) for r in rates if r)
    return entropy / math.log(len(sizes))


def count(corpus: Path, model: str | None = None, n_process: int = 1):
    files = sorted((corpus / "digests").glob("*.txt")) + sorted((corpus / "feeds").glob("*.txt"))
    entries = read_inputs([str(f) for f in files]).entries
    skip = held_out_texts(corpus / "parallel.jsonl")
    venue_of = venues_by_title(corpus / "dated_gold.jsonl")
    venues: dict[str, str] = {}
    texts: dict[str, tuple[str, int]] = {}
    excluded = 0
    for entry in entries:
        if entry.lang != "en" or not entry.abstract:
            continue
        if entry.abstract.strip()[:200] in skip:
            excluded += 1
            continue
        text, title_len = english_text(entry)
        key = entry_text_key(entry)
        texts.setdefault(key, (text, title_len))
        venue = venue_of.get(" ".join((entry.title or "").lower().split()))
        if venue:
            venues.setdefault(key, venue)
    nlp = load_pipeline(model)
    labels: Counter = Counter()
    words: Counter = Counter()
    by_venue: dict[str, Counter] = {}
    by_venue_words: dict[str, Counter] = {}
    sizes: Counter = Counter()
    items = ((text, key) for key, (text, _title_len) in texts.items())
    title_lens = {key: title_len for key, (_text, title_len) in texts.items()}
    for doc, key in nlp.pipe(items, as_tuples=True, batch_size=64, n_process=n_process):
        raw = findings_from_doc(doc, title_lens[key])
        _, _, alias = _method_and_aliases(raw)
        merged = _merged_candidates(raw, alias)
        labels.update(merged.keys())
        words.update({w for stats in merged.values() for w in stats[4].split()})
        venue = venues.get(key)
        if venue:
            sizes[venue] += 1
            for label_key in merged:
                by_venue.setdefault(label_key, Counter())[venue] += 1
            for word in {w for stats in merged.values() for w in stats[4].split()}:
                by_venue_words.setdefault(word, Counter())[venue] += 1
    return len(texts), labels, words, excluded, by_venue, by_venue_words, sizes


def write_table(path: Path, n_docs: int, labels: Counter, words: Counter, min_df: int,
                spreads: dict[str, float] | None = None, word_spreads: dict[str, float] | None = None) -> int:
    rows = [("label", k, n) for k, n in labels.items() if n >= min_df]
    rows += [("word", k, n) for k, n in words.items() if n >= min_df]
    rows += [("spread", k, f"{v:.3f}") for k, v in (spreads or {}).items()]
    rows += [("wspread", k, f"{v:.3f}") for k, v in (word_spreads or {}).items()]
    rows.sort()
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(f"#docs\t{n_docs}\n".encode("utf-8"))
        for kind, key, n in rows:
            gz.write(f"{kind}\t{key}\t{n}\n".encode("utf-8"))
    return len(rows)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--out", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--min-df", type=int, default=2)
    parser.add_argument("--model", default=None)
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--spread-df", type=int, default=15)
    args = parser.parse_args()
    t = time.perf_counter()
    n_docs, labels, words, excluded, by_venue, by_venue_words, sizes = count(args.corpus, args.model, args.jobs)

    spreads = {k: spread_of(c, sizes) for k, c in by_venue.items() if sum(c.values()) >= args.spread_df}
    word_spreads = {k: spread_of(c, sizes) for k, c in by_venue_words.items() if sum(c.values()) >= args.spread_df}
    rows = write_table(args.out, n_docs, labels, words, args.min_df, spreads, word_spreads)
    print(f"{n_docs} abstracts ({excluded} held-out feed entries left out), {len(labels)} labels, "
          f"{len(words)} words; {rows} rows with df >= {args.min_df} -> {args.out} ({time.perf_counter() - t:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
