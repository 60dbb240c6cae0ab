"""Learn the affiliation matcher's tables and scorer from labelled affiliation strings.

Used by ``scripts/build_ror_learned.py`` (the shipped ``kg/data/ror_learned.tsv``, from all of ROR's
public training data) and by ``bench/ror_matching.py`` (the same learning on training folds only,
measured on the held-out fold). Labelled rows are (affiliation string, set of gold ROR ids; empty
when no ROR record fits, ROR's ``NP``).

What is learned (see :class:`kg.knowledge.ror_match.LearnedTables`):

* aliases: a part of a string ("Centre for Crop Systems Analysis") that the registry does not know,
  asserted as one organisation at least ``MIN_COUNT`` times and in ``MIN_ALIAS_SHARE`` of its
  occurrences;
* related organisations: a candidate asserted as another organisation (its parent, mostly) at least
  ``MIN_COUNT`` times and in ``MIN_RELATED_SHARE`` of the strings where it is a candidate;
* per-organisation counts: how often an organisation was a candidate, and how often the asserted one;
* per-country counts: for candidates sharing their name with other organisations (a company listed
  once per country), how often the one located in each country was the asserted one;
* the logistic scorer's weights, fitted on candidates whose learned features come from other folds
  (cross-fitting, ``inner_folds`` of them, so the weights do not trust tables that already saw the
  string; each dataset's examples weighted by ``BALANCE`` so the small search-log set counts), and
  the threshold that maximises the mean over datasets of F1 on those out-of-fold scores.
"""

from __future__ import annotations

import csv
import random
from collections import Counter, defaultdict
from pathlib import Path

from .institutions import _COUNTRY_KEYS
from .ror_match import FEATURES, AffiliationMatcher, LearnedTables, clean_text

__all__ = ["read_labelled", "prepare", "mine", "fit", "folds", "MIN_COUNT"]

MIN_COUNT = 2
MIN_ALIAS_SHARE = 0.8
MIN_RELATED_SHARE = 0.2
L2 = 1.0
# Each dataset's examples weigh (rows / (datasets × its rows)) ** BALANCE in the scorer's fit, so
# the few search-log strings count for more than their number beside the Crossref ones.
BALANCE = 0.5


def read_labelled(path) -> list[tuple[str, frozenset[str]]]:
    """Rows of a ROR matching CSV (``affiliation``, ``ror_id``): (string, bare gold ids)."""
    out = []
    with Path(path).open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle):
            gold = row["ror_id"].strip()
            ids = frozenset() if gold == "NP" else frozenset(
                g.strip().rstrip("/").rsplit("/", 1)[-1] for g in gold.split(";") if g.strip())
            out.append((row["affiliation"], ids))
    return out


class Prepared:
    """A labelled row with what the registry alone finds in it (computed once)."""

    __slots__ = ("text", "gold", "exact", "parts", "keys", "found", "dataset")

    def __init__(self, text, gold, exact, parts, keys, found, dataset):
        self.text, self.gold, self.exact = text, gold, exact
        self.parts, self.keys, self.found, self.dataset = parts, keys, found, dataset


def prepare(matcher: AffiliationMatcher, rows, dataset: str = "") -> list[Prepared]:
    """Registry candidates of every row; ``exact`` is the id a strict whole-string match gives."""
    out = []
    for text, gold in rows:
        cleaned = clean_text(text)
        strict = matcher.lexicon.strict_match(cleaned) if cleaned else None
        exact = strict.ror_id if strict is not None and strict.ror_id else None
        if exact is not None:
            out.append(Prepared(text, gold, exact, [], [], {}, dataset))
            continue
        parts, keys, found = matcher.registry_candidates(cleaned)
        out.append(Prepared(text, gold, None, parts, keys, found, dataset))
    return out


def mine(rows: list[Prepared], country=None) -> LearnedTables:
    """Aliases, related organisations, per-id and per-country counts from prepared rows (no weights).

    `country` (ROR id → country or None; ``AffiliationMatcher.country``) locates the candidates that
    share their name with other organisations, for the per-country counts; without it there are none.
    """
    key_gold: dict[str, Counter] = defaultdict(Counter)
    key_seen: Counter = Counter()
    rel: dict[str, Counter] = defaultdict(Counter)
    cand_seen: Counter = Counter()
    gold_seen: Counter = Counter()
    country_cand: Counter = Counter()
    country_gold: Counter = Counter()
    for row in rows:
        if row.exact is not None:
            continue
        hit = bool(row.gold & row.found.keys())
        for key in set(row.keys):
            if key and key not in _COUNTRY_KEYS and any(len(w) >= 3 and not w.isdigit() for w in key.split()):
                key_seen[key] += 1
                if row.gold and not hit:
                    key_gold[key][min(row.gold)] += 1
        if country is not None and row.gold & row.found.keys():
            for ror_id, cand in row.found.items():
                if cand.ambiguity > 1:
                    where = country(ror_id)
                    if where:
                        country_cand[where] += 1
                        country_gold[where] += ror_id in row.gold
        for ror_id in row.found:
            cand_seen[ror_id] += 1
            gold_seen[ror_id] += ror_id in row.gold
            if row.gold and not hit:
                rel[ror_id][min(row.gold)] += 1
    tables = LearnedTables()
    for key, golds in key_gold.items():
        ror_id, times = min(golds.items(), key=lambda kv: (-kv[1], kv[0]))
        share = times / key_seen[key]
        if times >= MIN_COUNT and share >= MIN_ALIAS_SHARE:
            tables.aliases[key] = (ror_id, times, round(share, 3))
    for cand, golds in rel.items():
        ror_id, times = min(golds.items(), key=lambda kv: (-kv[1], kv[0]))
        share = times / cand_seen[cand]
        if times >= MIN_COUNT and share >= MIN_RELATED_SHARE:
            tables.related[cand] = (ror_id, times, round(share, 3))
    tables.seen = {ror_id: (cand_seen[ror_id], gold_seen[ror_id]) for ror_id in cand_seen}
    tables.countries = {where: (country_cand[where], country_gold[where]) for where in country_cand}
    return tables


def folds(n: int, k: int, seed: int) -> list[int]:
    """Fold number of each of `n` rows: a seeded shuffle dealt round-robin into `k` folds."""
    order = list(range(n))
    random.Random(seed).shuffle(order)
    out = [0] * n
    for position, index in enumerate(order):
        out[index] = position % k
    return out


def _examples(matcher: AffiliationMatcher, rows: list[Prepared], tables: LearnedTables):
    """(row, candidates, feature dicts) of the rows that reach the scorer, under `tables`."""
    saved = matcher.learned
    matcher.learned = tables
    try:
        out = []
        for row in rows:
            if row.exact is not None:
                continue
            cands = matcher.with_learned(row.keys, row.found, tables)
            out.append((row, cands, matcher.features(row.parts, cands)))
        return out
    finally:
        matcher.learned = saved


def _fit_logistic(X, y, l2: float = L2, iterations: int = 40, sample_weight=None):
    import numpy as np

    X = np.asarray(X, dtype=float)
    y = np.asarray(y, dtype=float)
    sw = np.ones(len(y)) if sample_weight is None else np.asarray(sample_weight, dtype=float)
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 1e-6  # the bias is not shrunk
    for _ in range(iterations):
        z = np.clip(X @ w, -30, 30)
        p = 1.0 / (1.0 + np.exp(-z))
        grad = X.T @ (sw * (p - y)) + reg * w
        hess = (X * (sw * p * (1 - p))[:, None]).T @ X + np.diag(reg)
        step = np.linalg.solve(hess, grad)
        w -= step
        if np.max(np.abs(step)) < 1e-6:
            break
    return w


def _f1(tp: int, fp: int, fn: int) -> float:
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def best_threshold(scored, datasets) -> float:
    """The threshold maximising the mean F1 over `datasets` of (dataset, gold, exact, prediction, score) rows."""
    best, best_value = 0.5, -1.0
    for step in range(5, 96):
        t = step / 100
        values = []
        for name in datasets:
            tp = fp = fn = 0
            for dataset, gold, predicted, score in scored:
                if dataset != name:
                    continue
                if predicted is not None and score >= t:
                    if predicted in gold:
                        tp += 1
                    else:
                        fp += 1
                elif gold:
                    fn += 1
            values.append(_f1(tp, fp, fn))
        value = sum(values) / len(values)
        if value > best_value + 1e-9:
            best, best_value = t, value
    return best


def fit(matcher: AffiliationMatcher, rows: list[Prepared], inner_folds: int = 10, seed: int = 0) -> LearnedTables:
    """Learn every table and the scorer from prepared rows (cross-fitted; see the module docstring)."""
    assignment = folds(len(rows), inner_folds, seed)
    examples = []
    for k in range(inner_folds):
        train = [r for r, f in zip(rows, assignment, strict=True) if f != k]
        held = [r for r, f in zip(rows, assignment, strict=True) if f == k]
        examples.extend(_examples(matcher, held, mine(train, matcher.country)))
    X, y, sw = [], [], []
    sizes = Counter(row.dataset for row in rows)
    balance = {name: (len(rows) / (len(sizes) * size)) ** BALANCE for name, size in sizes.items()}
    for row, cands, feats in examples:
        for cand, f in zip(cands, feats, strict=True):
            X.append([f.get(name, 0.0) for name in FEATURES])
            y.append(1.0 if cand.ror_id in row.gold else 0.0)
            sw.append(balance[row.dataset])
    w = _fit_logistic(X, y, sample_weight=sw) if X else [0.0] * len(FEATURES)
    tables = mine(rows, matcher.country)
    tables.weights = {name: round(float(v), 4) for name, v in zip(FEATURES, w, strict=True) if abs(v) > 1e-9}
    # the threshold, on the cross-fitted candidates scored with the fitted weights
    scorer = LearnedTables(weights=tables.weights)
    saved = matcher.learned
    matcher.learned = scorer
    try:
        scored = [(r.dataset, r.gold, r.exact, 1.0) for r in rows if r.exact is not None]
        for row, cands, feats in examples:
            if cands:
                scores = [matcher.score(f) for f in feats]
                top = max(range(len(cands)), key=lambda i: (scores[i], cands[i].ror_id))
                scored.append((row.dataset, row.gold, cands[top].ror_id, scores[top]))
            else:
                scored.append((row.dataset, row.gold, None, 0.0))
    finally:
        matcher.learned = saved
    datasets = sorted({r.dataset for r in rows})
    tables.threshold = best_threshold(scored, datasets)
    return tables
