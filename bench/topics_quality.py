"""Topic keyword quality: SemEval-2017 F1@5/F1@10 against TextRank/PositionRank, and Chinese → English recall.

1. SemEval-2017 Task 10 (493 science paragraphs, ../shared/eval/SemEval2017.zip): F1@5 and F1@10
   with Porter-stemmed exact match (as pke evaluates), macro-averaged over documents, for the
   project's extractor (one `extract_entries` call per paragraph: corpus frequencies come from the
   shipped background table) and, in the same run, pytextrank's PositionRank and TextRank on the
   same spaCy model (full pipeline: pytextrank needs the parser's noun chunks).
2. Cross-lingual: over the held-out part of ../shared/corpus/parallel.jsonl (papers the glossary
   did not learn from, see kg/knowledge/glossary.py), the share of the English abstract's top-10
   topics that its Chinese machine translation also yields (in its own top 10).
3. Throughput: the current and the old extraction (`--baseline-ref`, a git revision of
   kg/extract) side by side on the same dev-corpus files.

    python bench/topics_quality.py [--limit N] [--skip-baselines] [--skip-zh] [--speed-files N]

Needs `pytextrank` and `nltk` (bench only, not project dependencies).
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.extract import ExtractConfig, extract_entries, load_pipeline  # noqa: E402
from kg.model import Entry, Source  # noqa: E402

SHARED = ROOT.parent / "shared"
_TOKEN_RE = re.compile(r"\w+|[^\w\s]")


def load_semeval(path: Path) -> list[tuple[str, str, list[str]]]:
    """(doc id, text, gold keyphrases) for every document of the zip, sorted by id."""
    docs = []
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        texts = {Path(n).stem: n for n in names if "/docsutf8/" in n and n.endswith(".txt")}
        keys = {Path(n).stem: n for n in names if "/keys/" in n and n.endswith(".key")}
        for doc_id in sorted(texts):
            text = archive.read(texts[doc_id]).decode("utf-8")
            gold = [k.strip() for k in io.TextIOWrapper(io.BytesIO(archive.read(keys[doc_id])), encoding="utf-8")]
            docs.append((doc_id, text, [k for k in gold if k]))
    return docs


class Matcher:
    """Porter-stemmed exact match (lowercase, token by token), as pke's evaluation does."""

    def __init__(self):
        from nltk.stem.porter import PorterStemmer
        from spacy.lang.en.stop_words import STOP_WORDS

        self.stemmer = PorterStemmer()
        self.stop = STOP_WORDS
        self.cache: dict[str, str] = {}

    def norm(self, phrase: str) -> str:
        tokens = _TOKEN_RE.findall(phrase.lower())
        while tokens and tokens[0] in self.stop:
            tokens.pop(0)  # "the sign problem" = "sign problem": noun chunks keep determiners
        out = []
        for tok in tokens:
            stem = self.cache.get(tok)
            if stem is None:
                stem = self.cache[tok] = self.stemmer.stem(tok)
            out.append(stem)
        return " ".join(out)

    def f1_at(self, predicted: list[str], gold: list[str], k: int) -> tuple[float, float, float]:
        gold_set = {self.norm(g) for g in gold}
        top: list[str] = []
        for phrase in predicted:
            key = self.norm(phrase)
            if key and key not in top:
                top.append(key)
            if len(top) == k:
                break
        tp = len(set(top) & gold_set)
        p = tp / len(top) if top else 0.0
        r = tp / len(gold_set) if gold_set else 0.0
        return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def macro(matcher: Matcher, runs: dict[str, list[str]], docs, k: int) -> tuple[float, float, float]:
    scores = [matcher.f1_at(runs[doc_id], gold, k) for doc_id, _, gold in docs]
    n = len(scores) or 1
    return tuple(sum(s[i] for s in scores) / n * 100 for i in range(3))


def run_project(docs, nlp, max_topics: int = 10) -> dict[str, list[str]]:
    config = ExtractConfig(max_topics=max_topics)
    out = {}
    for doc_id, text, _ in docs:
        entry = Entry(source=Source(doc_id, 1), format="eval", abstract=text, lang="en")
        (x,) = extract_entries([entry], config, nlp=nlp)
        out[doc_id] = [label for label, _ in x.keyphrases]
    return out


def run_pytextrank(docs, algo: str, model: str | None) -> dict[str, list[str]]:
    import pytextrank  # noqa: F401  (registers the factories)
    import spacy

    from kg.extract.pipeline import MODEL_CANDIDATES

    names = [model] if model else list(MODEL_CANDIDATES)
    for name in names:
        try:
            nlp = spacy.load(name)
            break
        except (OSError, ImportError):
            continue
    nlp.add_pipe(algo)
    out = {}
    for (doc_id, _, _), doc in zip(docs, nlp.pipe(text for _, text, _ in docs)):
        out[doc_id] = [p.text for p in doc._.phrases[:20]]
    return out


def semeval(args) -> None:
    path = Path(args.semeval)
    if not path.exists():
        print(f"SemEval: skipped, no {path}")
        return
    docs = load_semeval(path)
    if args.limit:
        docs = docs[: args.limit]
    matcher = Matcher()
    systems: dict[str, dict[str, list[str]]] = {}
    timings = {}
    nlp = load_pipeline(args.model)
    t = time.perf_counter()
    systems["kg (project)"] = run_project(docs, nlp)
    timings["kg (project)"] = time.perf_counter() - t
    if not args.skip_baselines:
        for algo, name in (("positionrank", "PositionRank (pytextrank)"), ("textrank", "TextRank (pytextrank)")):
            t = time.perf_counter()
            systems[name] = run_pytextrank(docs, algo, args.model)
            timings[name] = time.perf_counter() - t
    print(f"SemEval-2017: {len(docs)} documents, Porter-stemmed exact match, macro average")
    print(f"{'system':<28} {'P@5':>6} {'R@5':>6} {'F1@5':>6}  {'P@10':>6} {'R@10':>6} {'F1@10':>6}  docs/s")
    for name, runs in systems.items():
        p5, r5, f5 = macro(matcher, runs, docs, 5)
        p10, r10, f10 = macro(matcher, runs, docs, 10)
        rate = len(docs) / timings[name]
        print(f"{name:<28} {p5:6.1f} {r5:6.1f} {f5:6.1f}  {p10:6.1f} {r10:6.1f} {f10:6.1f}  {rate:6.1f}")
    if args.show:
        for doc_id, text, gold in docs[: args.show]:
            print("\n#", doc_id, text[:300])
            print("  gold:", sorted(matcher.norm(g) for g in gold))
            for name, runs in systems.items():
                gold_set = {matcher.norm(g) for g in gold}
                print(f"  {name}:", [("+" if matcher.norm(p) in gold_set else "") + p for p in runs[doc_id][:10]])


def crosslingual(args) -> None:
    """Share of the English abstract's top-10 topics that the Chinese translation also yields."""
    import json

    from kg.knowledge.glossary import held_out
    from kg.util.words import topic_key

    path = Path(args.parallel)
    if not path.exists():
        print(f"cross-lingual: skipped, no {path}")
        return
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    rows = [r for r in rows if held_out(r["arxiv_id"])]
    if args.limit_zh:
        rows = rows[: args.limit_zh]
    en = [Entry(Source(f"en/{r['arxiv_id']}", 1), "feed", abstract=r["en"], lang="en") for r in rows]
    zh = [Entry(Source(f"zh/{r['arxiv_id']}", 1), "feed", abstract=r["zh"], lang="zh") for r in rows]
    nlp = load_pipeline(args.model)
    t = time.perf_counter()
    out = extract_entries(en + zh, ExtractConfig(max_topics=10), nlp=nlp)
    wide = extract_entries(en + zh, ExtractConfig(max_topics=100), nlp=nlp)
    elapsed = time.perf_counter() - t
    x_en, x_zh, wide_zh = out[: len(rows)], out[len(rows) :], wide[len(rows) :]
    shares, wide_shares, hit, total = [], [], 0, 0
    from kg.knowledge.entity_names import entity_key

    def key(label: str) -> str:
        # as the graph's nodes meet: topics by topic key, typed entities by entity key (resolution
        # makes "Graph Neural Networks" and "graph neural network" one method)
        return entity_key(topic_key(label))

    for a, b, c in zip(x_en, x_zh, wide_zh):
        keys_en = [key(label) for label, _ in a.keyphrases]
        if not keys_en:
            continue
        keys_zh = {key(label) for label, _ in b.keyphrases}
        keys_wide = {key(label) for label, _ in c.keyphrases}
        common = sum(1 for k in keys_en if k in keys_zh)
        shares.append(common / len(keys_en))
        wide_shares.append(sum(1 for k in keys_en if k in keys_wide) / len(keys_en))
        hit += common
        total += len(keys_en)
    print(f"\nCross-lingual ({len(rows)} held-out papers of {path.name}, glossary learned on the others):")
    print(f"  share of the English top-10 topics the Chinese version yields in its top 10: "
          f"{sum(shares) / max(1, len(shares)):.3f} (macro), {hit / max(1, total):.3f} (micro)")
    # typed entities (issue 23, item 5): the same task/method/dataset/metric nodes from both versions,
    # names compared as resolution keys them (kg.knowledge.entity_names)
    for kind in ("tasks", "methods", "datasets", "metrics"):
        found = common_typed = 0
        for a, b in zip(x_en, x_zh):
            keys_zh = {entity_key(n) for e in getattr(b, kind) for n in (e.name, *e.aliases)}
            for e in getattr(a, kind):
                found += 1
                common_typed += any(entity_key(n) in keys_zh for n in (e.name, *e.aliases))
        print(f"  English {kind:<8} the Chinese version also yields: {common_typed / max(1, found):.3f} of {found}")
    print(f"  ... anywhere in its top 100: {sum(wide_shares) / max(1, len(wide_shares)):.3f}   "
          f"({2 * len(rows) / elapsed * 2:.0f} texts/s, both runs)")
    if args.show:
        for r, a, b in list(zip(rows, x_en, x_zh))[: args.show]:
            keys_zh = {topic_key(label) for label, _ in b.keyphrases}
            print("\n#", r["arxiv_id"], r["zh"][:200])
            print("  en:", [("+" if topic_key(label) in keys_zh else "") + label for label, _ in a.keyphrases])
            print("  zh:", [label for label, _ in b.keyphrases])


_SPEED_SNIPPET = """
import json, sys, time
from kg.extract import ExtractConfig, extract_entries
from kg.graph.build import build_graph
from kg.ingest import read_inputs
from kg.resolve import resolve
files = sys.argv[1:]
t = time.perf_counter()
read = read_inputs(files)
extractions = extract_entries(read.entries, ExtractConfig())
corpus = resolve(read.entries, extractions)
build_graph(corpus)
print(json.dumps({"papers": len(corpus.papers), "entries": len(read.entries), "seconds": time.perf_counter() - t}))
"""


def speed(args) -> None:
    """Build throughput (ingest, extract, resolve, graph) of the working tree with kg/extract as
    committed (git HEAD) and of the working tree itself, alternately in fresh processes on the same files; the best of the rounds is shown."""
    import json
    import os
    import shutil
    import subprocess
    import tempfile

    corpus = SHARED / "corpus"
    n = args.speed_files // 2
    files = sorted((corpus / "digests").glob("*.txt"))[:n] + sorted((corpus / "feeds").glob("*.txt"))[:n]
    if not files:
        print("throughput: skipped, no corpus")
        return
    with tempfile.TemporaryDirectory() as tmp:
        # the working tree with the extraction stage (and the topic code of kg/graph) as committed:
        # only this change is measured, not what others are editing elsewhere
        if args.baseline_whole:  # the whole package as it was (a ref far back: other stages changed too)
            paths = ["kg"]
        else:
            shutil.copytree(ROOT / "kg", Path(tmp) / "kg", ignore=shutil.ignore_patterns("__pycache__"))
            shutil.rmtree(Path(tmp) / "kg" / "extract")
            paths = ["kg/extract", "kg/graph/build.py", "kg/graph/rdf.py"]
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", args.baseline_ref, *paths], capture_output=True, check=True)
        subprocess.run(["tar", "-x", "-C", tmp], input=archive.stdout, check=True)
        trees = {f"before ({args.baseline_ref})": tmp, "after (working tree)": str(ROOT)}
        best: dict[str, dict] = {}
        for _ in range(args.speed_rounds):
            for name, tree in trees.items():
                env = dict(os.environ, PYTHONPATH=tree, OMP_NUM_THREADS="1")
                out = subprocess.run([sys.executable, "-c", _SPEED_SNIPPET, *map(str, files)], env=env, cwd=tree,
                                     capture_output=True, text=True, check=True)
                result = json.loads(out.stdout.strip().splitlines()[-1])
                if name not in best or result["seconds"] < best[name]["seconds"]:
                    best[name] = result
    print(f"\nBuild throughput on {len(files)} dev-corpus files (ingest+extract+resolve+graph, best of {args.speed_rounds}):")
    rates = {}
    for name, r in best.items():
        rates[name] = r["papers"] / r["seconds"]
        print(f"  {name:<24} {r['papers']} papers, {r['entries']} entries in {r['seconds']:.1f} s: {rates[name]:.1f} papers/s")
    before, after = rates.values()
    print(f"  change: {100 * (after / before - 1):+.1f}%")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--semeval", default=str(SHARED / "eval" / "SemEval2017.zip"))
    parser.add_argument("--parallel", default=str(SHARED / "corpus" / "parallel.jsonl"))
    parser.add_argument("--model", default=None)
    parser.add_argument("--limit", type=int, default=0, help="only the first N SemEval documents")
    parser.add_argument("--skip-baselines", action="store_true")
    parser.add_argument("--skip-semeval", action="store_true")
    parser.add_argument("--skip-zh", action="store_true")
    parser.add_argument("--speed-files", type=int, default=100, help="dev-corpus files for throughput (0: skip)")
    parser.add_argument("--speed-rounds", type=int, default=2)
    parser.add_argument("--baseline-ref", default="HEAD", help="git revision whose kg/ is the 'before' pipeline")
    parser.add_argument("--baseline-whole", action="store_true",
                        help="take all of kg/ from --baseline-ref, not only the extraction stage (e.g. 8fb916b^, "
                             "the core pipeline before the topic work)")
    parser.add_argument("--limit-zh", type=int, default=0, help="only the first N held-out parallel papers")
    parser.add_argument("--show", type=int, default=0, help="print N documents with gold and predictions")
    args = parser.parse_args()
    if not args.skip_semeval:
        semeval(args)
    if not args.skip_zh:
        crosslingual(args)
    if args.speed_files:
        speed(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
