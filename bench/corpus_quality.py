"""Build ../shared/corpus and measure every field against gold.jsonl, plus throughput.

Prints precision / recall / F1 per field (title, authors as printed, institutions as printed and
canonical B³, category, URLs, code URLs, feed entry split, merging of repeated feed entries), the
author-cluster B³-F1 and pairwise F1 of the project's resolver next to the naive same-printed-name
rule and the every-mention-alone rule, and papers per second, all in one run.

    python bench/corpus_quality.py [--corpus ../shared/corpus] [--limit-files N] [--jobs N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import ExtractConfig, code_urls, extract_entries  # noqa: E402
from kg.graph.build import build_graph  # noqa: E402
from kg.ingest import read_inputs  # noqa: E402
from kg.knowledge.institutions import load_lexicon  # noqa: E402
from kg.model import Extraction  # noqa: E402
from kg.resolve import resolve, resolve_institution  # noqa: E402
from kg.resolve.authors import normalise_person_name  # noqa: E402


def prf(tp: int, predicted: int, gold: int) -> tuple[float, float, float]:
    p = tp / predicted if predicted else 1.0
    r = tp / gold if gold else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def set_prf(pred: set, gold: set) -> tuple[float, float, float]:
    return prf(len(pred & gold), len(pred), len(gold))


def b_cubed(pred: dict, gold: dict) -> tuple[float, float, float]:
    """B³ precision, recall, F1 of clusterings given as mention → cluster label (same mentions)."""
    keys = [k for k in gold if k in pred]
    joint = Counter((pred[k], gold[k]) for k in keys)
    psize = Counter(pred[k] for k in keys)
    gsize = Counter(gold[k] for k in keys)
    n = len(keys) or 1
    p = sum(c * c / psize[pc] for (pc, _), c in joint.items()) / n
    r = sum(c * c / gsize[gc] for (_, gc), c in joint.items()) / n
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def pairwise(pred: dict, gold: dict) -> tuple[float, float, float]:
    keys = [k for k in gold if k in pred]
    pairs = lambda counts: sum(c * (c - 1) // 2 for c in counts.values())  # noqa: E731
    tp = pairs(Counter((pred[k], gold[k]) for k in keys))
    return prf(tp, pairs(Counter(pred[k] for k in keys)), pairs(Counter(gold[k] for k in keys)))


def _url_key(url: str) -> str:
    """Scheme, case of the host and a trailing slash do not make a different repository."""
    return url.split("://", 1)[-1].rstrip("/").removesuffix(".git").lower().removeprefix("www.")


def row(name: str, scores, note: str = "") -> str:
    p, r, f = scores
    return f"{name:<44} {p:7.4f} {r:7.4f} {f:7.4f}  {note}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--limit-files", type=int, default=0, help="only the first N digest and N feed files")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--no-extract", action="store_true",
                        help="skip topic/method/dataset extraction (about a minute instead of a quarter of an hour)")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N", help="print N missed and N spurious items per field")
    args = parser.parse_args()
    corpus_dir = Path(args.corpus)
    if not (corpus_dir / "gold.jsonl").exists():
        print(f"skipped: no corpus at {corpus_dir}")
        return 0
    if args.jobs > 1:
        os.environ.setdefault("OMP_NUM_THREADS", "1")
    files = sorted((corpus_dir / "digests").glob("*.txt")) + sorted((corpus_dir / "feeds").glob("*.txt"))
    if args.limit_files:
        files = sorted((corpus_dir / "digests").glob("*.txt"))[: args.limit_files] + sorted(
            (corpus_dir / "feeds").glob("*.txt")
        )[: args.limit_files]
    inputs = [str(f) for f in files]
    prefix = str(corpus_dir) + os.sep

    timings = {}
    t0 = time.perf_counter()
    read = read_inputs(inputs)
    timings["ingest"] = time.perf_counter() - t0
    t = time.perf_counter()
    if args.no_extract:
        # code links need no NLP: the extraction takes them from the entry's URLs (kg.knowledge.code_hosts.code_urls)
        extractions = [Extraction(code=tuple(code_urls(e.urls))) for e in read.entries]
    else:
        extractions = extract_entries(read.entries, ExtractConfig(n_process=args.jobs))
    timings["extract"] = time.perf_counter() - t
    t = time.perf_counter()
    lexicon = load_lexicon()
    corpus = resolve(read.entries, extractions, lexicon=lexicon)
    timings["resolve"] = time.perf_counter() - t
    t = time.perf_counter()
    graph = build_graph(corpus)
    timings["graph"] = time.perf_counter() - t
    total = time.perf_counter() - t0

    # our entries, keyed like gold: (file relative to the corpus, 1-based ordinal in the file)
    ordinal: dict[str, int] = defaultdict(int)
    ours = {}
    for entry in read.entries:
        rel = entry.source.file.removeprefix(prefix)
        ordinal[rel] += 1
        ours[(rel, ordinal[rel])] = entry
    paper_of = {}
    for paper in corpus.papers:
        for source in paper.sources:
            paper_of[(source.file, source.line)] = paper
    gold_rows = [json.loads(line) for line in open(corpus_dir / "gold.jsonl", encoding="utf-8")]
    wanted = {f.removeprefix(prefix) for f in inputs}
    gold_rows = [g for g in gold_rows if g["file"] in wanted]
    parallel = {}
    with open(corpus_dir / "parallel.jsonl", encoding="utf-8") as handle:
        for line in handle:
            rec = json.loads(line)
            parallel[rec["arxiv_id"]] = rec

    counts = Counter()
    title_pred, title_gold = set(), set()
    auth_pred, auth_gold = set(), set()
    inst_pred, inst_gold = set(), set()
    cat_pred, cat_gold = set(), set()
    url_pred, url_gold = set(), set()
    code_pred, code_gold = set(), set()
    inst_lexicon = {}
    split_pred, split_gold = set(), set()
    inst_ours, inst_norm = {}, {}
    author_ours, author_gold, author_naive, author_alone = {}, {}, {}, {}
    feed_paper, feed_gold_id = {}, {}
    file_text: dict[str, str] = {}
    code_entries: set = set()
    for g in gold_rows:
        key = (g["file"], g["entry"])
        entry = ours.get(key)
        if g["kind"] == "A":
            counts["digest entries"] += 1
            title_gold.add((key, g["title"]))
            auth_gold.update((key, i, a["printed"]) for i, a in enumerate(g["authors"]))
            inst_gold.update((key, i["printed"]) for i in g["institutions"])
            cat_gold.add((key, "cs." + g["category"]))
            if g["url"]:
                url_gold.add((key, g["url"]))  # the paper link; other links of the text are not annotated
            if g.get("github"):
                text = file_text.setdefault(g["file"], (corpus_dir / g["file"]).read_text(encoding="utf-8"))
                if g["github"] in text:  # only what the digest actually prints can be extracted
                    code_gold.add((key, _url_key(g["github"])))
                    code_entries.add(key)
            paper = paper_of[(entry.source.file, entry.source.line)] if entry is not None else None
            # the build's reading of each printed name on this paper (acronyms are read in context);
            # a name whose institution the paper already lists under another printed form, or an
            # entry we did not read, falls back to the context-free lexicon lookup
            read_as = {r.printed: r.institution_id for r in paper.institutions} if paper else {}
            for k, inst in enumerate(g["institutions"]):
                inst_norm[(key, k)] = inst["norm"]
                inst_ours[(key, k)] = read_as.get(inst["printed"]) or resolve_institution(inst["printed"], lexicon)[0]
                inst_lexicon[(key, k)] = resolve_institution(inst["printed"], lexicon)[0]
            if entry is None:
                continue
            if entry.title:
                title_pred.add((key, entry.title))
            auth_pred.update((key, i, a) for i, a in enumerate(entry.authors))
            inst_pred.update((key, p) for p in entry.institutions)
            if paper.category:
                cat_pred.add((key, paper.category))
            if entry.urls:
                url_pred.add((key, entry.urls[-1]))  # digests print the paper link last
            if key in code_entries:  # gold annotates one repository per entry, where it has one
                code_pred.update((key, _url_key(c)) for c in extractions_by_entry(entry, read, extractions))
            gold_printed = [a["printed"] for a in g["authors"]]
            if list(entry.authors) == gold_printed and [a.printed for a in paper.authorships] == gold_printed:
                for authorship in paper.authorships:
                    mention = (paper.id, authorship.position)
                    author_ours[mention] = authorship.author_id
                    author_gold[mention] = g["authors"][authorship.position]["full"]
                    author_naive[mention] = normalise_person_name(authorship.printed)
                    author_alone[mention] = mention
            else:
                counts["digest entries with author list mismatch (excluded from author B³)"] += 1
        else:
            counts["feed entries"] += 1
            rec = parallel.get(g["arxiv_id"])
            gold_text = rec[g["lang"]] if rec else None
            split_gold.add((key, g["lang"]))
            url_gold.update((key, u) for u in g["urls"])
            feed_gold_id[key] = g["arxiv_id"]
            if entry is None:
                continue
            if gold_text is None or " ".join(gold_text.split()) == entry.abstract:
                split_pred.add((key, entry.lang))
            else:
                split_pred.add((key, "text differs"))
            url_pred.update((key, u) for u in entry.urls)
            feed_paper[key] = paper_of[(entry.source.file, entry.source.line)].id
    # feed entries of our own that gold does not know (over-splitting)
    for key, entry in ours.items():
        if entry.format == "feed" and key not in feed_gold_id:
            split_pred.add((key, "extra"))

    repeated = defaultdict(list)
    for key, arxiv_id in feed_gold_id.items():
        repeated[arxiv_id].append(key)
    groups = [keys for keys in repeated.values() if len(keys) > 1]
    merged = sum(1 for keys in groups if len({feed_paper.get(k) for k in keys}) == 1 and None not in {feed_paper.get(k) for k in keys})

    print(f"corpus: {corpus_dir}  files: {len(inputs)}  entries read: {len(read.entries)}  "
          f"problems: {len(read.problems)}  papers: {len(corpus.papers)}")
    print(f"graph: {graph.number_of_nodes()} nodes, {graph.number_of_edges()} edges")
    for name, value in sorted(counts.items()):
        print(f"  {name}: {value}")
    print()
    print(f"{'field':<44} {'prec':>7} {'recall':>7} {'F1':>7}")
    print(row("title (digests)", set_prf(title_pred, title_gold)))
    print(row("authors as printed (digests, with position)", set_prf(auth_pred, auth_gold)))
    print(row("institutions as printed (digests)", set_prf(inst_pred, inst_gold)))
    print(row("category (digests)", set_prf(cat_pred, cat_gold)))
    print(row("URLs (digest paper link, every feed URL)", set_prf(url_pred, url_gold)))
    print(row("code URLs (digests whose repo link is printed)", set_prf(code_pred, code_gold)))
    print(row("feed entry split (text and language)", set_prf(split_pred, split_gold)))
    print(row("institutions canonical, B³ vs gold norm", b_cubed(inst_ours, inst_norm),
              f"ROR-linked mentions: {sum(1 for v in inst_ours.values() if v.startswith('institution:ror-')) / max(1, len(inst_ours)):.3f}"))
    print(row("  (each printed name alone, no context)", b_cubed(inst_lexicon, inst_norm)))
    # Gold keeps spelling variants of one organisation apart ("KAIST" / "Korea Advanced Institute of
    # Science and Technology"); this second figure unifies gold norms that the ROR registry alone
    # (not the project's alias table) files under one record, so the two can be told apart.
    ror_norm = {k: (lexicon.ror_lookup(v) or v) for k, v in inst_norm.items()}
    print(row("institutions canonical, B³ vs gold norm∘ROR", b_cubed(inst_ours, ror_norm),
              "gold norms unified by the ROR registry only"))
    print(f"{'repeated feed entries merged':<44} {merged}/{len(groups)}")
    if args.show_errors:
        for name, pred, gold in (("authors", auth_pred, auth_gold), ("institutions", inst_pred, inst_gold),
                                 ("urls", url_pred, url_gold), ("code", code_pred, code_gold),
                                 ("split", split_pred, split_gold), ("title", title_pred, title_gold)):
            print(f"--- {name}: missed", sorted(gold - pred, key=str)[: args.show_errors])
            print(f"--- {name}: spurious", sorted(pred - gold, key=str)[: args.show_errors])
    print()
    print(f"{'author clusters (digest mentions)':<44} {'B³-P':>7} {'B³-R':>7} {'B³-F1':>7}  pairwise P / R / F1")
    for name, pred in (("project resolver (scored evidence, agglomerative)", author_ours),
                       ("baseline: same printed name", author_naive),
                       ("baseline: every mention alone", author_alone)):
        p, r, f = pairwise(pred, author_gold)
        print(row(name, b_cubed(pred, author_gold), f"{p:.4f} / {r:.4f} / {f:.4f}"))
    print()
    print("timings (s): " + ", ".join(f"{k} {v:.1f}" for k, v in timings.items()) + f", total {total:.1f}")
    print(f"throughput: {len(corpus.papers) / total:.1f} papers/s, {len(read.entries) / total:.1f} entries/s "
          f"(jobs={args.jobs})")
    return 0


_EXTRACTION_INDEX: dict = {}


def extractions_by_entry(entry, read, extractions):
    if not _EXTRACTION_INDEX:
        for e, x in zip(read.entries, extractions):
            _EXTRACTION_INDEX[(e.source.file, e.source.line)] = x
    return _EXTRACTION_INDEX[(entry.source.file, entry.source.line)].code


if __name__ == "__main__":
    sys.exit(main())
