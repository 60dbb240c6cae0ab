"""Build kg/data/glossary_zh_en.tsv.gz, the Chinese → English topic glossary, from parallel text.

Sources (both texts written for the same paper):
* the bilingual entries of the digests under seeds/ (Chinese summary + English abstract), and
* ../shared/corpus/parallel.jsonl (English abstract + its Chinese machine translation) without the
  papers kg.knowledge.glossary.held_out reserves for measuring (one in five, by hash of the arXiv id).

Method:
1. Both texts are split into sentences; papers whose sentence counts differ are skipped (about 8%).
2. English side: the project's own topic candidates (kg_candidates) of each sentence, as label
   words ("memory-guided", "domain", "generalization", "method"). Chinese side: jieba words.
3. IBM model 1 in both directions (English word | Chinese word, Chinese word | English word), a few
   EM iterations; each English word is aligned to the Chinese word with the best product of both,
   weighted by a mild preference for the same relative position, when that product is not tiny.
4. For every candidate occurrence, the Chinese words aligned to its words span a contiguous run
   without punctuation: that run (words joined) ↔ the label is a phrase pair; each Chinese word
   aligned to contiguous label words is a word pair (神经网络 ↔ "neural network").
5. For each Chinese form, its most frequent English translations (best first) are kept with their
   counts and the number of times the form occurred at all in the training sentences (so verbs,
   seldom aligned, are not trusted).
6. The acronym definitions of the English texts ("unmanned aerial vehicle (UAV)", found by the
   extraction's own Schwartz–Hearst component): each short form with its most frequent long form.
7. For adjacent Chinese words (a, b): how often they occur next to each other and how often inside
   the Chinese phrase of one English topic occurrence (step 4); pairs seldom kept together (估计|相机
   in "estimate camera motion") are where kg.extract.zh cuts a run.

Only the derived table is written (short phrase pairs and counts, no sentences): rows
``zh<TAB>en<TAB>count<TAB>occurrences<TAB>words`` for count >= --min-count, sorted (several rows
for a Chinese form: its translations, best first); acronym rows ``@SHORT<TAB>long form<TAB>count
<TAB>definitions<TAB>0``; pair rows ``&a<TAB>b<TAB>joined<TAB>adjacent<TAB>0``; gzip without timestamp, so the same input gives the same bytes.

Usage:
    python scripts/build_glossary.py [--parallel ../shared/corpus/parallel.jsonl] [--out kg/data/glossary_zh_en.tsv.gz]
    python scripts/build_glossary.py --dev-fold --out /tmp/gloss_dev.tsv.gz   # for bench/zh_errors.py
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import math
import pickle
import re
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.extract.clean import clean_text  # noqa: E402
from kg.extract.components import singular_head, singular_short_form  # noqa: E402
from kg.extract.pipeline import load_pipeline  # noqa: E402
from kg.extract.zh.segment import ZH_STOP, segment  # noqa: E402
from kg.ingest import read_inputs  # noqa: E402
from kg.knowledge.glossary import ACRONYM_MARK, PAIR_ANY, PAIR_MARK, PAIR_MAX_JOINED, PAIR_MIN_SEEN, held_out  # noqa: E402
from kg.util.words import is_latin  # noqa: E402

DEFAULT_PARALLEL = ROOT.parent / "shared" / "corpus" / "parallel.jsonl"
DEFAULT_TARGET = ROOT / "kg" / "data" / "glossary_zh_en.tsv.gz"
_EN_SENT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\[])")
_ZH_SENT_RE = re.compile(r"(?<=[。！？!?])")
_PUNCT_RE = re.compile(r"^[\W_]+$")
NULL = 0
MAX_ALTERNATIVES = 4  # English translations kept per Chinese form
ALTERNATIVE_RATIO = 10  # ... each seen at least a tenth as often as the best
# Adjacent word pairs written out: seen PAIR_MIN_SEEN times (kg.knowledge.glossary reads no record seen less),
# and joined in one phrase at most 1/PAIR_RATIO of the time
PAIR_RATIO = 2


def sentences_en(text: str) -> list[tuple[int, int]]:
    """Character ranges of the English sentences."""
    spans, start = [], 0
    for m in _EN_SENT_RE.finditer(text):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(text)))
    return [(a, b) for a, b in spans if text[a:b].strip()]


def sentences_zh(text: str) -> list[str]:
    return [s for s in _ZH_SENT_RE.split(text) if s.strip()]


def dev_fold(arxiv_id: str) -> bool:
    """One training paper in five (by another slice of the same hash as `held_out`), left out with
    --dev-fold: a glossary learned without them, for error analysis on papers it has not seen
    (bench/zh_errors.py), so the held-out half is never looked at while tuning."""
    return int(hashlib.sha1(arxiv_id.encode("utf-8")).hexdigest()[8:16], 16) % 5 == 0


def training_pairs(parallel: Path, seeds: Path, leave_out_dev: bool = False) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for entry in read_inputs([str(seeds)]).entries:
        if entry.summary_zh and entry.abstract and entry.lang == "en":
            pairs.append((entry.abstract, entry.summary_zh))
    with parallel.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if not held_out(row["arxiv_id"]) and not (leave_out_dev and dev_fold(row["arxiv_id"])):
                pairs.append((row["en"], row["zh"]))
    return pairs


def long_form_label(long: str) -> str:
    """An acronym's long form as the English extraction labels it (kg.extract.mentions: lowercase,
    last word singular), so a Chinese text counts it under the same topic."""
    words = long.lower().split()
    last = singular_head(words[-1])
    return " ".join(words[:-1] + [last])


def prepare(pairs, nlp):
    """Sentence pairs: (English label words [(word, occurrence id)], occurrences [(label, first, last)],
    Chinese words [(word, is punctuation)]), and the acronym definitions of the English texts
    {short form: Counter(long-form label)}."""
    out = []
    skipped = 0
    acronyms: dict[str, Counter] = defaultdict(Counter)
    texts = [clean_text(en) for en, _ in pairs]
    for (_en_raw, zh), en, doc in zip(pairs, texts, nlp.pipe(texts, batch_size=64)):
        for short, long, _proposed in doc._.kg_acronyms:
            acronyms[singular_short_form(short)][long_form_label(long)] += 1
        en_spans = sentences_en(en)
        zh_sents = sentences_zh(clean_zh(zh))
        if len(en_spans) != len(zh_sents):
            skipped += 1
            continue
        per_sentence: list[list] = [[] for _ in en_spans]
        for label, offset, *_ in doc._.kg_candidates:
            for s, (a, b) in enumerate(en_spans):
                if a <= offset < b:
                    per_sentence[s].append((offset, label))
                    break
        for s, zh_sent in enumerate(zh_sents):
            words: list[tuple[str, int]] = []
            occurrences = []
            for _, label in sorted(per_sentence[s]):
                first = len(words)
                for w in label.split():
                    words.append((w, len(occurrences)))
                occurrences.append((label, first, len(words) - 1))
            zh_words = [(w.lower() if is_latin(w) else w, bool(_PUNCT_RE.match(w))) for w, _ in segment(zh_sent)]
            if words and zh_words:
                out.append((words, occurrences, zh_words))
    return out, skipped, dict(acronyms)


def _free(j: int, zh_words, aligned_to, inside) -> bool:
    """Chinese word j exists, is no punctuation or function word, and translates no English word
    outside `inside` (the label's positions)."""
    return (0 <= j < len(zh_words) and not zh_words[j][1] and zh_words[j][0] not in ZH_STOP
            and not aligned_to[j] - set(inside))


def count_pairs(zh_words, spans, adjacent: Counter, joined: Counter) -> None:
    """Count each pair of adjacent Chinese words (no punctuation or function word) in `adjacent`,
    and in `joined` when one phrase span (first, last word index) covers both.

    >>> adjacent, joined = Counter(), Counter()
    >>> words = [("估计", False), ("相机", False), ("运动", False), ("。", True)]
    >>> count_pairs(words, [(1, 2)], adjacent, joined)
    >>> sorted(adjacent.items()), sorted(joined.items())
    ([(('估计', '相机'), 1), (('相机', '运动'), 1)], [(('相机', '运动'), 1)])
    """
    for j in range(len(zh_words) - 1):
        (a, pa), (b, pb) = zh_words[j], zh_words[j + 1]
        if pa or pb or a in ZH_STOP or b in ZH_STOP:
            continue
        adjacent[(a, b)] += 1
        if any(lo <= j and j + 1 <= hi for lo, hi in spans):
            joined[(a, b)] += 1


def clean_zh(text: str) -> str:
    return re.sub(r"https?://\S+", " ", text)


def ibm1(corpus: list[tuple[list[int], list[int]]], iterations: int = 5) -> dict:
    """t(f | e) for source words e (with NULL = 0) and target words f: IBM model 1 by EM."""
    t: dict[tuple[int, int], float] = defaultdict(lambda: 1.0)
    for _ in range(iterations):
        count: dict[tuple[int, int], float] = defaultdict(float)
        total: dict[int, float] = defaultdict(float)
        for targets, sources in corpus:
            src = [NULL] + sources
            for f in targets:
                probs = [t[(f, e)] for e in src]
                z = sum(probs)
                for e, p in zip(src, probs):
                    c = p / z
                    count[(f, e)] += c
                    total[e] += c
        t = defaultdict(float, {(f, e): c / total[e] for (f, e), c in count.items()})
    return t


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", type=Path, default=DEFAULT_PARALLEL)
    parser.add_argument("--seeds", type=Path, default=ROOT / "seeds")
    parser.add_argument("--out", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--min-count", type=int, default=2)
    parser.add_argument("--iterations", type=int, default=5)
    parser.add_argument("--cache", type=Path, default=None,
                        help="keep the prepared sentence pairs here, the IBM tables beside it "
                             "(trials; delete both after changing the extraction or ZH_STOP)")
    parser.add_argument("--limit", type=int, default=0, help="only the first N training papers (for trials)")
    parser.add_argument("--threshold", type=float, default=0.02, help="smallest alignment score kept")
    parser.add_argument("--grow", type=float, default=0.05, help="smallest t(English | Chinese) to join a neighbour's word")
    parser.add_argument("--no-extend", dest="extend", action="store_false", help="phrase pairs only for fully aligned labels")
    parser.add_argument("--no-grow-zh", dest="grow_zh", action="store_false", help="no Chinese-side growing of phrases")
    parser.add_argument("--grow-zh-min", type=float, default=0.1, help="smallest t(Chinese | English) to join a Chinese neighbour")
    parser.add_argument("--alternatives", type=int, default=MAX_ALTERNATIVES, help="English translations kept per Chinese form")
    parser.add_argument("--alternative-ratio", type=float, default=ALTERNATIVE_RATIO,
                        help="an alternative is kept when seen at least 1/RATIO as often as the best")
    parser.add_argument("--dev-fold", action="store_true", help="also leave out the dev fold (error analysis)")
    args = parser.parse_args()
    t0 = time.perf_counter()
    pairs = training_pairs(args.parallel, args.seeds, args.dev_fold)
    if args.limit:
        pairs = pairs[: args.limit]
    if args.cache and args.cache.exists():
        with args.cache.open("rb") as handle:
            sentences, skipped, acronyms = pickle.load(handle)
    else:
        sentences, skipped, acronyms = prepare(pairs, load_pipeline())
        if args.cache:
            with args.cache.open("wb") as handle:
                pickle.dump((sentences, skipped, acronyms), handle)
    print(f"{len(pairs)} papers ({skipped} skipped: sentence counts differ), {len(sentences)} sentence pairs "
          f"({time.perf_counter() - t0:.0f} s)")

    en_ids: dict[str, int] = {"<null>": NULL}
    zh_ids: dict[str, int] = {"<null>": NULL}
    encoded = []
    for words, _, zh_words in sentences:
        e = [en_ids.setdefault(w, len(en_ids)) for w, _ in words]
        f = [zh_ids.setdefault(w, len(zh_ids)) for w, p in zh_words if not p and w not in ZH_STOP]
        encoded.append((e, f))
    ibm_cache = args.cache.with_suffix(".ibm.pkl") if args.cache else None
    if ibm_cache and ibm_cache.exists():
        with ibm_cache.open("rb") as handle:
            t_zh_en, t_en_zh = pickle.load(handle)
    else:
        t_zh_en = ibm1([(f, e) for e, f in encoded], args.iterations)  # t(zh | en)
        t_en_zh = ibm1([(e, f) for e, f in encoded], args.iterations)  # t(en | zh)
        if ibm_cache:
            with ibm_cache.open("wb") as handle:
                pickle.dump((dict(t_zh_en), dict(t_en_zh)), handle)
    t_zh_en, t_en_zh = defaultdict(float, t_zh_en), defaultdict(float, t_en_zh)
    print(f"IBM model 1 both ways ({time.perf_counter() - t0:.0f} s)")

    pair_counts: dict[str, Counter] = defaultdict(Counter)
    n_tokens: dict[str, int] = {}
    # adjacent Chinese words (a, b): how often they were seen next to each other, and how often inside
    # the Chinese phrase of one English topic occurrence (缺乏|训练: "lack training data" keeps them apart)
    adjacent: Counter = Counter()
    joined: Counter = Counter()
    for words, occurrences, zh_words in sentences:
        n_en, n_zh = len(words), len(zh_words)
        spans: list[tuple[int, int]] = []
        align: list[int | None] = []
        for i, (w, _) in enumerate(words):
            e = en_ids[w]
            best, best_j = args.threshold, None
            for j, (z, punct) in enumerate(zh_words):
                if punct or z in ZH_STOP:
                    continue
                f = zh_ids[z]
                score = t_zh_en[(f, e)] * t_en_zh[(e, f)]
                if z == w:
                    score = max(score, 1.0)
                score *= math.exp(-2.0 * abs((i + 0.5) / n_en - (j + 0.5) / n_zh))
                if score > best:
                    best, best_j = score, j
            align.append(best_j)
        # grow: an unaligned label word next to an aligned one joins its Chinese word when that word
        # readily generates it (神经网络 → "neural" and "network"; jieba keeps such compounds whole)
        for _label, first, last in occurrences:
            changed = True
            while changed:
                changed = False
                for i in range(first, last + 1):
                    if align[i] is not None:
                        continue
                    e = en_ids[words[i][0]]
                    for k in (i - 1, i + 1):
                        if first <= k <= last and align[k] is not None:
                            f = zh_ids[zh_words[align[k]][0]]
                            if t_en_zh[(e, f)] >= args.grow:
                                align[i] = align[k]
                                changed = True
                                break
        aligned_to: list[set] = [set() for _ in zh_words]  # Chinese word -> English words aligned to it
        for i, j in enumerate(align):
            if j is not None:
                aligned_to[j].add(i)
        for label, first, last in occurrences:
            js = [align[i] for i in range(first, last + 1) if align[i] is not None]
            if not js:
                continue
            lo, hi = min(js), max(js)
            if hi - lo > 2 * (last - first + 1) + 1 or any(zh_words[j][1] for j in range(lo, hi + 1)):
                continue
            inside = range(first, last + 1)
            complete = len(js) == last - first + 1
            if not complete and args.extend:
                # leading or trailing label words left unaligned (IBM model 1 prefers the Chinese word
                # it saw most with them elsewhere: 目标 is "target" more often than "object") are
                # covered by the free Chinese word next to the run, as phrase-based translation
                # extracts pairs: 目标|检测 ↔ "object detection" when only "detection" was aligned
                lead = next(k for k in range(first, last + 2) if k > last or align[k] is not None) - first
                trail = last - next(k for k in range(last, first - 2, -1) if k < first or align[k] is not None)
                unaligned_inner = len(js) + lead + trail < last - first + 1
                if (lead or trail) and not unaligned_inner and (not lead or _free(lo - 1, zh_words, aligned_to, inside)) and (
                    not trail or _free(hi + 1, zh_words, aligned_to, inside)
                ):
                    lo, hi = lo - (1 if lead else 0), hi + (1 if trail else 0)
                    complete = True
            if complete and args.grow_zh:
                # the other way round: a free Chinese word next to the run that a label word readily
                # generates (t(zh | en) of IBM model 1) joins it, for what jieba splits and English writes as one word
                # (超|参数 ↔ "hyperparameter", 无|监督 ↔ "unsupervised")
                targets = [en_ids[words[i][0]] for i in inside]
                for j, step in ((lo - 1, "lo"), (hi + 1, "hi")):
                    if _free(j, zh_words, aligned_to, ()):
                        f = zh_ids[zh_words[j][0]]
                        if max(t_zh_en[(f, e)] for e in targets) >= args.grow_zh_min:
                            lo, hi = (j, hi) if step == "lo" else (lo, j)
            # a phrase pair only when every word of the label is covered (else only word pairs below)
            if complete:
                spans.append((lo, hi))
                run = [zh_words[j][0] for j in range(lo, hi + 1)]
                if run[0] not in ZH_STOP and run[-1] not in ZH_STOP:
                    zh = "".join(run)
                    pair_counts[zh][label] += 1
                    n_tokens[zh] = hi - lo + 1
            # word pairs: each Chinese word and the contiguous label words aligned to it
            by_zh: dict[int, list[int]] = defaultdict(list)
            for i in range(first, last + 1):
                if align[i] is not None:
                    by_zh[align[i]].append(i)
            for j, idx in by_zh.items():
                if idx == list(range(idx[0], idx[-1] + 1)):
                    zh = zh_words[j][0]
                    pair_counts[zh][" ".join(words[i][0] for i in idx)] += 1
                    n_tokens.setdefault(zh, 1)
        count_pairs(zh_words, spans, adjacent, joined)
    # how often each Chinese form occurs at all in the training sentences
    forms = {zh for zh, c in pair_counts.items() if sum(c.values()) >= args.min_count}
    max_n = max((n_tokens[zh] for zh in forms), default=1)
    occurrences: Counter = Counter()
    for _, _, zh_words in sentences:
        ws = [w for w, _ in zh_words]
        for n in range(1, max_n + 1):
            for k in range(len(ws) - n + 1):
                zh = "".join(ws[k : k + n])
                if zh in forms:
                    occurrences[zh] += 1
    rows = []
    for zh in sorted(forms):
        # the best English first, then the other translations seen often enough (时间 → "time",
        # "temporal"): the extraction picks the one English abstracts use in that phrase
        ranked = sorted(pair_counts[zh].items(), key=lambda kv: (-kv[1], kv[0]))
        best = ranked[0][1]
        for en, count in ranked[: args.alternatives]:
            if count >= args.min_count and count * args.alternative_ratio >= best:
                rows.append((zh, en, count, max(occurrences[zh], best), n_tokens[zh]))
    # word pairs: rows ``&a<TAB>b<TAB>joined<TAB>adjacent<TAB>0`` for two glossary forms seen next to
    # each other often enough (the extraction cuts a run where English seldom keeps them together),
    # and for each form how often English kept it in one phrase with whatever form followed it
    # (``&a<TAB>*``) or preceded it (``&*<TAB>b``), which the extraction reads for a pair seen too
    # seldom: a verb seldom is in one phrase with its object (缺乏 "lack")
    near: Counter = Counter()  # (a, PAIR_ANY) / (PAIR_ANY, b) -> adjacent, as `adjacent`
    near_joined: Counter = Counter()
    for (a, b), seen in adjacent.items():
        if a in forms and b in forms:
            for key in ((a, PAIR_ANY), (PAIR_ANY, b)):
                near[key] += seen
                near_joined[key] += joined[(a, b)]
    apart = {key for key, seen in near.items() if seen >= PAIR_MIN_SEEN and near_joined[key] <= PAIR_MAX_JOINED * seen}
    n_pairs = 0
    for (a, b), seen in sorted(adjacent.items()):
        # a pair often joined is written too when one of its words is seldom joined to any neighbour
        if seen >= PAIR_MIN_SEEN and a in forms and b in forms and (
            joined[(a, b)] * PAIR_RATIO <= seen or (a, PAIR_ANY) in apart or (PAIR_ANY, b) in apart
        ):
            rows.append((PAIR_MARK + a, b, joined[(a, b)], seen, 0))
            n_pairs += 1
    for (a, b), seen in sorted(near.items()):
        if seen >= PAIR_MIN_SEEN:
            rows.append((PAIR_MARK + a, b, near_joined[(a, b)], seen, 0))
    # acronyms as English abstracts define them (UAV → "unmanned aerial vehicle"): machine
    # translation keeps them in Latin script, often in brackets after the Chinese long form
    n_acronyms = 0
    for short in sorted(acronyms):
        long, count = min(acronyms[short].items(), key=lambda kv: (-kv[1], kv[0]))
        total = sum(acronyms[short].values())
        if count >= args.min_count and count * 2 > total:
            rows.append((ACRONYM_MARK + short, long, count, total, 0))
            n_acronyms += 1
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with open(args.out, "wb") as raw, gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0) as gz:
        gz.write(b"# zh\ten\tcount\toccurrences\twords  (derived by scripts/build_glossary.py)\n")
        for row in rows:
            gz.write(("\t".join(map(str, row)) + "\n").encode("utf-8"))
    print(f"{len(rows)} glossary rows ({n_acronyms} acronyms, {n_pairs} word pairs) -> {args.out} ({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
