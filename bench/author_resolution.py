"""Author disambiguation and institution normalisation on ../shared/corpus, measured against gold.jsonl.

Prints, for the author mentions of the digest entries (gold: `authors[].full`), pairwise precision /
recall / F1 and B³ precision / recall / F1 of

  (a) same printed name  (b) every mention alone  (c) the project's resolver (kg/resolve/authors.py)
  (d) an oracle for scale: gold persons cut where no shared co-author or institution links their
      mentions (perfect use of direct evidence, nothing else; knows gold, so not a method)

on the whole corpus and on each half (even-numbered digests: the half the weights were fitted on;
odd-numbered digests: held out), against gold full names as written and against gold full names
folded (accents, case, punctuation: gold spells one person "Rodola" and "Rodolà"). Then institution
B³ (mentions against gold `norm`) and ROR coverage, with kg.resolve.resolve_institution.

Mentions are built exactly as `kg build` builds them (kg.ingest.read_inputs, kg.resolve.resolve),
without NLP by default (topic evidence then comes from titles and abstracts only; --nlp adds the
extracted topics, slowly).

    python bench/author_resolution.py [--corpus ../shared/corpus] [--cache /tmp/kg_mentions.pkl] [--nlp]
    python bench/author_resolution.py --fit      # refit Weights on the even half (needs numpy)
    python bench/author_resolution.py --fraction 0.5   # a slice: half the papers (stable hash of the id)
    python bench/author_resolution.py --analyse        # what evidence is left for the pairs it misses (needs numpy)

--fraction F resolves only the mentions of a stable share F of the papers (sha1 of the paper id), as a
build of those papers would (every corpus statistic the resolver uses is computed from its mentions):
how the figures move with the size of the corpus.

--fit: a logistic regression of same-gold-person on the pair features and the threshold with the best
B³-F1 on the even half, then a coordinate search of every weight and the threshold on that B³-F1
(the pair model is fitted to pairs, the resolver is judged on clusters: the search moves one number at
a time by ±50/25/10 % while B³ on the even half improves; the odd half is never looked at).

--analyse (issue 26): after the scores, how much each candidate piece of evidence separates same-person
from different-person pairs among the compatible pairs of a block that share no co-author and no
institution (ROC AUC, and the same-person share among the 1,000 pairs it ranks highest), with the
features the resolver weighs and ones it does not (cosine of all content words of the two texts,
title-word overlap, block size, author-list lengths); two bounds (the resolver plus every same-person
link that a shared co-author or institution gives; the resolver's clusters merged per gold person);
the same-person pairs the direct-evidence oracle misses by the size of the smaller of their two pieces;
the resolver's wrong pairs by kind (gold spelling variant, sharing a co-author or institution, neither).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import os
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from corpus_quality import b_cubed, pairwise  # noqa: E402

import kg.resolve.corpus  # noqa: E402,F401
from kg.ingest import read_inputs  # noqa: E402
from kg.knowledge.institutions import load_lexicon  # noqa: E402
from kg.model import Extraction  # noqa: E402
from kg.resolve import resolve_institution  # noqa: E402
from kg.resolve.authors import (  # noqa: E402
    FEATURES,
    WEIGHTS,
    AuthorEvidence,
    _cluster_block,
    baseline_same_name,
    resolve_authors,
    weights_from,
)
from kg.util.textnorm import fold  # noqa: E402

RESOLVE = sys.modules["kg.resolve.corpus"]  # resolve() calls resolve_authors from here


def build_mentions(corpus_dir: Path, nlp: bool, jobs: int):
    """The AuthorMentions `kg build` makes for the corpus, the gold full name of each mention whose
    entry's author list matches gold, and the half (0 even digest, 1 odd) of each paper."""
    files = sorted((corpus_dir / "digests").glob("*.txt")) + sorted((corpus_dir / "feeds").glob("*.txt"))
    read = read_inputs([str(f) for f in files])
    if nlp:
        from kg.extract import ExtractConfig, extract_entries

        extractions = extract_entries(read.entries, ExtractConfig(n_process=jobs))
    else:
        extractions = [Extraction()] * len(read.entries)
    captured = {}
    original = RESOLVE.resolve_authors

    def capture(mentions, *args, **kwargs):
        captured["mentions"] = list(mentions)
        return original(mentions, *args, **kwargs)

    RESOLVE.resolve_authors = capture
    try:
        corpus = RESOLVE.resolve(read.entries, extractions, lexicon=load_lexicon())
    finally:
        RESOLVE.resolve_authors = original
    prefix = str(corpus_dir) + os.sep
    ordinal: dict[str, int] = defaultdict(int)
    ours = {}
    for entry in read.entries:
        rel = entry.source.file.removeprefix(prefix)
        ordinal[rel] += 1
        ours[(rel, ordinal[rel])] = entry
    paper_of = {(s.file, s.line): p for p in corpus.papers for s in p.sources}
    gold, half, mismatched = {}, {}, 0
    for line in open(corpus_dir / "gold.jsonl", encoding="utf-8"):
        g = json.loads(line)
        if g["kind"] != "A":
            continue
        entry = ours.get((g["file"], g["entry"]))
        if entry is None:
            continue
        paper = paper_of[(entry.source.file, entry.source.line)]
        printed = [a["printed"] for a in g["authors"]]
        if list(entry.authors) != printed or [a.printed for a in paper.authorships] != printed:
            mismatched += 1
            continue
        number = int(re.search(r"(\d+)\.txt$", g["file"]).group(1))
        half.setdefault(paper.id, number % 2)
        for a in paper.authorships:
            gold[(paper.id, a.position)] = g["authors"][a.position]["full"]
    return captured["mentions"], gold, half, mismatched


def institution_scores(corpus_dir: Path):
    """B³ of canonical institution ids against gold `norm`, ROR coverage, unmatched printed names."""
    lexicon = load_lexicon()
    ours, norm, unmatched = {}, {}, set()
    for line in open(corpus_dir / "gold.jsonl", encoding="utf-8"):
        g = json.loads(line)
        if g["kind"] != "A":
            continue
        for k, inst in enumerate(g["institutions"]):
            inst_id, _, _, matched, _ = resolve_institution(inst["printed"], lexicon)
            ours[(g["file"], g["entry"], k)] = inst_id
            norm[(g["file"], g["entry"], k)] = inst["norm"]
            if not matched:
                unmatched.add(inst["printed"])
    ror_norm = {k: (lexicon.ror_lookup(v) or v) for k, v in norm.items()}
    coverage = sum(1 for v in ours.values() if v.startswith("institution:ror-")) / max(1, len(ours))
    return b_cubed(ours, norm), b_cubed(ours, ror_norm), coverage, len(ours), len(unmatched)


def evidence_ceiling(mentions, gold: dict) -> dict:
    """An oracle clustering: each gold person cut into the groups of its mentions that direct evidence
    (a shared co-author or institution, closed transitively) connects. What a resolver that used
    that evidence perfectly, and nothing else, would output."""
    ev = AuthorEvidence(mentions)
    by_person = defaultdict(list)
    for i, m in enumerate(mentions):
        key = (m.paper_id, m.position)
        if key in gold:
            by_person[gold[key]].append(i)
    out = {}
    for person, members in by_person.items():
        parent = {i: i for i in members}

        def find(i, parent=parent):  # this person's forest (bound now: B023)
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if (ev.coauthors[a] & ev.coauthors[b]) or (ev.institutions[a] & ev.institutions[b]):
                    parent[find(a)] = find(b)
        for i in members:
            out[(mentions[i].paper_id, mentions[i].position)] = (person, find(i))
    return out


def sliced(mentions, gold: dict, fraction: float):
    """The mentions and gold of a stable share of the papers: those whose sha1(paper id) falls below it."""
    def keep(paper_id: str) -> bool:
        return int(hashlib.sha1(paper_id.encode("utf-8")).hexdigest()[:8], 16) < fraction * 16**8

    return [m for m in mentions if keep(m.paper_id)], {k: v for k, v in gold.items() if keep(k[0])}


def row(name: str, pred: dict, gold: dict) -> str:
    bp, br, bf = b_cubed(pred, gold)
    pp, pr, pf = pairwise(pred, gold)
    return f"  {name:<34} {pp:7.4f} {pr:7.4f} {pf:7.4f}   {bp:7.4f} {br:7.4f} {bf:7.4f}"


def fit(mentions, gold, half, l2: float = 1e-3):
    """Logistic regression of same-gold-person on the pair features (even half), then the threshold
    with the best B³-F1 on the even half. Prints a Weights(...) to paste into authors.py."""
    import numpy as np

    ev = AuthorEvidence(mentions)
    groups = defaultdict(list)
    for i, m in enumerate(mentions):
        key = (m.paper_id, m.position)
        if key in gold and half.get(m.paper_id) == 0:
            groups[ev.blocks[i]].append(i)
    xs, ys = [], []
    for members in groups.values():
        for x in range(len(members)):
            for y in range(x + 1, len(members)):
                a, b = members[x], members[y]
                if not ev.compatible(a, b):
                    continue
                xs.append(ev.features(a, b))
                ma, mb = mentions[a], mentions[b]
                ys.append(gold[(ma.paper_id, ma.position)] == gold[(mb.paper_id, mb.position)])
    X, y = np.array(xs), np.array(ys, dtype=float)
    w = np.zeros(X.shape[1])
    for _ in range(50):
        p = 1 / (1 + np.exp(-X @ w))
        gradient = X.T @ (p - y) + l2 * w
        hessian = (X * (p * (1 - p))[:, None]).T @ X + l2 * np.eye(len(w))
        w -= np.linalg.solve(hessian, gradient)
    print(f"fitted on {len(y)} pairs of the even half ({int(y.sum())} same person)")
    values = {name: round(float(v), 3) for name, v in zip(FEATURES, w)}
    even = {k: v for k, v in gold.items() if half.get(k[0]) == 0}
    best = None
    for threshold in (-0.5, 0.0, 0.25, 0.5, 0.75, 1.0, 1.5):
        assignment, _ = resolve_authors(mentions, weights_from(dict(values, threshold=threshold)))
        f1 = b_cubed({k: assignment[k] for k in even}, even)[2]
        print(f"  threshold {threshold:+.2f}: B³-F1 on the even half {f1:.4f}")
        if best is None or f1 > best[0]:
            best = (f1, threshold)
    values["threshold"] = best[1]
    print("Weights(" + ", ".join(f"{k}={v}" for k, v in values.items()) + ")")
    return weights_from(values)


class BlockPairs:
    """The features of every compatible pair of every block, computed once, so that the clusters under
    another weight vector cost one matrix product per block and the clustering (the resolver's own
    _cluster_block, as resolve_authors runs it)."""

    def __init__(self, mentions):
        import numpy as np

        self.mentions = mentions
        self.ev = ev = AuthorEvidence(mentions)
        blocks = defaultdict(list)
        for i, block in enumerate(ev.blocks):
            blocks[block].append(i)
        self.blocks = []
        for block in sorted(blocks):
            members = sorted(blocks[block], key=lambda i: (mentions[i].paper_id, mentions[i].position))
            if len(members) < 2:
                continue
            pairs, feats, direct = [], [], []
            for x, a in enumerate(members):
                for y in range(x + 1, len(members)):
                    b = members[y]
                    if ev.compatible(a, b):
                        pairs.append((x, y))
                        feats.append(ev.features(a, b))
                        direct.append(bool(ev.coauthors[a] & ev.coauthors[b]) or bool(ev.institutions[a] & ev.institutions[b]))
            matrix = np.array(feats, dtype=float).reshape(len(feats), len(FEATURES))
            self.blocks.append((members, pairs, matrix, direct))

    def assignment(self, weights) -> dict:
        import numpy as np

        w = np.array(weights.vector())
        key = lambda i: (self.mentions[i].paper_id, self.mentions[i].position)  # noqa: E731
        out = {key(i): i for i in range(len(self.mentions))}
        for members, pairs, matrix, direct in self.blocks:
            scores = dict(zip(pairs, zip((matrix @ w).tolist(), direct)))
            for group, _ in _cluster_block(self.ev, members, weights, scores):
                label = min(group)
                for i in group:
                    out[key(i)] = label
        return out


def search(pairs: BlockPairs, gold, half, start, steps=(0.5, 0.25, 0.1)):
    """Coordinate search of the weights and the threshold on B³-F1 of the even half (see --fit)."""
    even = {k: v for k, v in gold.items() if half.get(k[0]) == 0}
    names = list(FEATURES) + ["threshold"]
    values = {name: getattr(start, name) for name in names}

    def f1(v):
        assignment = pairs.assignment(weights_from(v))
        return b_cubed({k: assignment[k] for k in even}, even)[2]

    best = f1(values)
    print(f"  coordinate search from B³-F1 {best:.4f} on the even half")
    for step in steps:
        improved = True
        while improved:
            improved = False
            for name in names:
                for sign in (1, -1):
                    trial = dict(values)
                    scale = 1.0 if name in ("bias", "threshold") else max(0.3, abs(values[name]))
                    trial[name] = round(values[name] + sign * step * scale, 3)
                    score = f1(trial)
                    if score > best + 1e-5:
                        best, values, improved = score, trial, True
                        print(f"    {name} {values[name]:+.3f}: {best:.4f}", flush=True)
                        break
    print("Weights(" + ", ".join(f"{k}={v}" for k, v in values.items()) + ")")
    return weights_from(values)


def _auc(scores, labels) -> float:
    """ROC AUC with tied scores sharing their mean rank."""
    import numpy as np

    order = np.argsort(scores, kind="mergesort")
    ranks = np.empty(len(scores))
    sorted_scores = scores[order]
    _, start, counts = np.unique(sorted_scores, return_index=True, return_counts=True)
    for first, count in zip(start, counts, strict=True):
        ranks[order[first:first + count]] = first + (count + 1) / 2
    positives = labels.sum()
    negatives = len(labels) - positives
    return float((ranks[labels].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def _text_vectors(mentions) -> dict[str, dict[str, float]]:
    """Per paper, the unit tf-idf vector of all its content words seen in two papers or more (the
    resolver keeps only the top _TOP_WORDS of each)."""
    from kg.resolve.authors import _words

    bags: dict[str, Counter] = {}
    for m in mentions:
        if m.paper_id not in bags:
            bags[m.paper_id] = Counter(_words(m.text))
    df = Counter(w for bag in bags.values() for w in bag)
    vectors = {}
    for pid, bag in bags.items():
        weights = {w: (1 + math.log(c)) * math.log(len(bags) / df[w]) for w, c in bag.items() if df[w] > 1}
        norm = math.sqrt(sum(v * v for v in weights.values())) or 1.0
        vectors[pid] = {w: v / norm for w, v in weights.items()}
    return vectors


def analyse(mentions, gold, assignment) -> None:
    """--analyse: see the module docstring."""
    import numpy as np

    from kg.resolve.authors import _words

    ev = AuthorEvidence(mentions)
    keys = [(m.paper_id, m.position) for m in mentions]
    text = _text_vectors(mentions)
    titles: dict[str, frozenset] = {}
    for m in mentions:
        titles.setdefault(m.paper_id, frozenset(_words(m.text[:120])))
    blocks = defaultdict(list)
    for i, block in enumerate(ev.blocks):
        if keys[i] in gold:
            blocks[block].append(i)
    extra_names = ("text cosine (all words)", "title-word overlap", "block size", "authors on the two papers")
    rows, labels, bands = [], [], []
    band_counts: dict[str, Counter] = defaultdict(Counter)
    for members in blocks.values():
        size = len(members)
        band = "2-9" if size < 10 else "10-49" if size < 50 else "50+"
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if not ev.compatible(a, b):
                    continue
                same = gold[keys[a]] == gold[keys[b]]
                direct = bool(ev.coauthors[a] & ev.coauthors[b]) or bool(ev.institutions[a] & ev.institutions[b])
                band_counts[band].update(pairs=1, same=same, same_without_direct=same and not direct)
                if direct:
                    continue
                va, vb = text[mentions[a].paper_id], text[mentions[b].paper_id]
                if len(va) > len(vb):
                    va, vb = vb, va
                ta, tb = titles[mentions[a].paper_id], titles[mentions[b].paper_id]
                rows.append((*ev.features(a, b), sum(v * vb.get(w, 0.0) for w, v in va.items()),
                             len(ta & tb) / max(1, len(ta | tb)), size,
                             len(mentions[a].coauthors) + len(mentions[b].coauthors) + 2))
                labels.append(same)
                bands.append(band)
    print("\ncompatible pairs of a block, by block size (mentions with gold)")
    for band in ("2-9", "10-49", "50+"):
        c = band_counts[band]
        print(f"  block {band:>5}: {c['pairs']:8d} pairs, {c['same']:7d} same person, "
              f"{c['same_without_direct']:6d} of them sharing no co-author and no institution")
    X, y = np.array(rows, dtype=float), np.array(labels, dtype=bool)
    print(f"\npairs sharing no co-author and no institution: {len(y)}, same person {int(y.sum())} ({y.mean():.3f})")
    print(f"  {'evidence':<34} {'AUC':>6} {'mean same':>10} {'mean diff':>10} {'same in top 1000':>17}")
    for k, name in enumerate(FEATURES + extra_names):
        column = X[:, k]
        if column.min() == column.max():
            continue
        top = np.argsort(-column, kind="mergesort")[:1000]
        print(f"  {name:<34} {_auc(column, y):6.3f} {column[y].mean():10.3f} {column[~y].mean():10.3f} {y[top].mean():17.3f}")
    # bounds
    parent = list(range(len(mentions)))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[str, int] = {}
    for i, key in enumerate(keys):
        label = assignment[key]
        if label in first:
            parent[find(i)] = find(first[label])
        else:
            first[label] = i
    by_person = defaultdict(list)
    for i, key in enumerate(keys):
        if key in gold:
            by_person[gold[key]].append(i)
    for members in by_person.values():
        for x, a in enumerate(members):
            for b in members[x + 1:]:
                if (ev.coauthors[a] & ev.coauthors[b]) or (ev.institutions[a] & ev.institutions[b]):
                    parent[find(a)] = find(b)
    plus_direct = {key: find(i) for i, key in enumerate(keys) if key in gold}
    members_of = defaultdict(list)
    for key in gold:
        members_of[assignment[key]].append(key)
    majority = {label: Counter(gold[k] for k in ks).most_common(1)[0][0] for label, ks in members_of.items()}
    print("\nbounds (B³ P / R / F1, all digests)")
    for name, pred in (("resolver + every same-person direct link", plus_direct),
                       ("resolver clusters merged per gold person", {k: majority[assignment[k]] for k in gold})):
        p, r, f = b_cubed(pred, gold)
        print(f"  {name:<44} {p:.4f} {r:.4f} {f:.4f}")
    # what the oracle misses, by the smaller piece
    pieces = defaultdict(Counter)
    for person, root in evidence_ceiling(mentions, gold).values():
        pieces[person][root] += 1
    missed: Counter = Counter()
    for counts in pieces.values():
        sizes = list(counts.values())
        for x, a in enumerate(sizes):
            for b in sizes[x + 1:]:
                small = min(a, b)
                missed["1" if small == 1 else "2" if small == 2 else "3-4" if small <= 4 else "5+"] += a * b
    total = sum(missed.values()) or 1
    print("\nsame-person pairs the direct-evidence oracle leaves apart, by the size of the smaller piece: "
          + ", ".join(f"{k}: {v} ({v / total:.0%})" for k, v in sorted(missed.items())))
    # the resolver's wrong pairs
    wrong: Counter = Counter()
    index = {key: i for i, key in enumerate(keys)}
    block_size = Counter(ev.blocks)
    for ks in members_of.values():
        for x, ka in enumerate(ks):
            for kb in ks[x + 1:]:
                if gold[ka] == gold[kb]:
                    continue
                a, b = index[ka], index[kb]
                if " ".join(fold(gold[ka]).split()) == " ".join(fold(gold[kb]).split()):
                    kind = "gold spelling variant"
                elif (ev.coauthors[a] & ev.coauthors[b]) or (ev.institutions[a] & ev.institutions[b]):
                    kind = "shared co-author or institution"
                else:
                    kind = "neither"
                size = block_size[ev.blocks[a]]
                wrong[(kind, "2-9" if size < 10 else "10-49" if size < 50 else "50+")] += 1
    total = sum(wrong.values()) or 1
    print("resolver's wrong pairs (different gold names in one cluster):")
    for kind in ("gold spelling variant", "shared co-author or institution", "neither"):
        parts = [f"block {band} {wrong[(kind, band)]}" for band in ("2-9", "10-49", "50+")]
        share = sum(wrong[(kind, band)] for band in ("2-9", "10-49", "50+")) / total
        print(f"  {kind:<34} {share:4.0%}  ({', '.join(parts)})")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--cache", default=None, help="pickle the built mentions here and reuse them when present")
    parser.add_argument("--nlp", action="store_true", help="run topic extraction so mentions carry topics (slow)")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--fraction", type=float, default=1.0, help="resolve only this share of the papers (a stable slice)")
    parser.add_argument("--fit", action="store_true", help="refit the weights on the even half first (needs numpy)")
    parser.add_argument("--analyse", action="store_true",
                        help="then: how each candidate evidence separates the pairs without direct evidence (needs numpy)")
    args = parser.parse_args()
    corpus_dir = Path(args.corpus)
    if not (corpus_dir / "gold.jsonl").exists():
        print(f"skipped: no corpus at {corpus_dir}")
        return 0
    t0 = time.perf_counter()
    if args.cache and Path(args.cache).exists():
        with open(args.cache, "rb") as handle:
            mentions, gold, half, mismatched = pickle.load(handle)
    else:
        mentions, gold, half, mismatched = build_mentions(corpus_dir, args.nlp, args.jobs)
        if args.cache:
            with open(args.cache, "wb") as handle:
                pickle.dump((mentions, gold, half, mismatched), handle)
    build_time = time.perf_counter() - t0
    if args.fraction < 1.0:
        mentions, gold = sliced(mentions, gold, args.fraction)
    weights = WEIGHTS
    if args.fit:
        weights = search(BlockPairs(mentions), gold, half, fit(mentions, gold, half))
    t = time.perf_counter()
    assignment, authors = resolve_authors(mentions, weights)
    resolve_time = time.perf_counter() - t
    naive = baseline_same_name(mentions)
    alone = {(m.paper_id, m.position): f"{m.paper_id}#{m.position}" for m in mentions}

    if args.fraction < 1.0:
        print(f"slice: {args.fraction:g} of the papers ({len({m.paper_id for m in mentions})} papers)")
    print(f"corpus: {corpus_dir}  mentions: {len(mentions)} ({len(gold)} with gold; {mismatched} digest entries "
          f"left out: author list differs from gold)  topics: {'extracted' if args.nlp else 'none (titles, abstracts only)'}")
    print(f"authors: {len(authors)} resolved, {len(set(naive.values()))} printed names, {len(set(gold.values()))} gold full names")
    folded = {k: " ".join(fold(v).split()) for k, v in gold.items()}
    ceiling = evidence_ceiling(mentions, gold)
    print()
    print(f"  {'author clusters':<34} {'pair-P':>7} {'pair-R':>7} {'pair-F1':>7}   {'B³-P':>7} {'B³-R':>7} {'B³-F1':>7}")
    for title, labels in (("gold full names as written", gold), ("gold full names folded", folded)):
        for scope, keep in (("all digests", lambda k: True), ("even half (fitted)", lambda k: half.get(k[0]) == 0),
                            ("odd half (held out)", lambda k: half.get(k[0]) == 1)):
            subset = {k: v for k, v in labels.items() if keep(k)}
            print(f" {title}, {scope} ({len(subset)} mentions)")
            print(row("(a) same printed name", naive, subset))
            print(row("(b) every mention alone", alone, subset))
            print(row("(c) resolver", assignment, subset))
            if title == "gold full names as written" and scope == "all digests":
                print(row("(d) oracle: direct evidence only", ceiling, subset))
    (ip, ir, i_f), (rp, rr, rf), coverage, n_inst, n_unmatched = institution_scores(corpus_dir)
    print()
    print(f"  {'institutions (digest mentions)':<34} {'B³-P':>7} {'B³-R':>7} {'B³-F1':>7}")
    print(f"  {'canonical id vs gold norm':<34} {ip:7.4f} {ir:7.4f} {i_f:7.4f}")
    print(f"  {'canonical id vs gold norm∘ROR':<34} {rp:7.4f} {rr:7.4f} {rf:7.4f}   (gold norms the ROR registry files under one record unified)")
    print(f"  ROR coverage: {coverage:.4f} of {n_inst} institution mentions link to a ROR record; "
          f"{n_unmatched} distinct printed names matched no alias and no ROR record")
    print()
    print(f"timings (s): mentions {build_time:.1f}, resolver {resolve_time:.1f}")
    if args.analyse:
        analyse(mentions, gold, assignment)
    return 0


if __name__ == "__main__":
    sys.exit(main())
