"""Read a mixed folder of every input format and report, per format, what was parsed and rejected.

The folder (default /tmp/kg_formats_bench, rebuilt on each run) holds:

* fixtures/  the hand-written fixtures of tests/data/formats (one or two files per format);
* seeds/     the three seed files;
* corpus/    every K-th digest and feed of ../shared/corpus;
* generated/ files in the new formats written from ../shared/corpus/gold.jsonl for the papers of
  corpus/ (so the same paper arrives through several formats): BibTeX with full names (accents as
  LaTeX), arXiv metadata JSON lines (with a few truncated lines), one-line posts mixed with
  unrelated posts and post metadata, a markdown reading list, single-paper posts with glued headers,
  and blog posts with YAML front matter (English or Chinese abstracts from parallel.jsonl).

It prints, per format: files, entries parsed, entries/files rejected, warnings and entries per
second; files not read by the reader they were written for; field accuracy of the generated files
against gold (title, authors in order, institutions, arXiv id); and, after merging papers (no topic
extraction), how many papers were seen in several formats and how many printed initials received a
full name, checked against gold.

    python bench/formats.py [--corpus ../shared/corpus] [--out /tmp/kg_formats_bench] [--every 20] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import sys
import textwrap
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.ingest import iter_input_files, read_file  # noqa: E402
from kg.ingest.fields import latex_to_text  # noqa: E402
from kg.ingest.registry import detect_format  # noqa: E402
from kg.model import Extraction  # noqa: E402
from kg.resolve import resolve  # noqa: E402
from kg.util.textnorm import fold  # noqa: E402

FIXTURES = ROOT / "tests" / "data" / "formats"
FIXTURE_FORMATS = {
    "arxiv_metadata.jsonl": "arxiv", "references.bib": "bibtex", "oneline_posts.txt": "oneline",
    "reading_list.md": "readinglist", "paperpost_glued.txt": "paperpost", "paperpost_thread.txt": "paperpost",
}
UNRELATED = [
    "今天北京下雪了，路上注意安全。",
    "Call for papers: workshop on efficient deep learning, deadline next Friday.",
    "推荐一本书《深度学习》，入门必读。",
    "转发抽奖：送三本机器学习教材！",
]


def _latex(text: str) -> str:
    from pylatexenc.latexencode import unicode_to_latex

    return text if text.isascii() else unicode_to_latex(text, non_ascii_only=True)


def _year(venue: str) -> int | None:
    digits = "".join(ch for ch in venue.split("/")[-1] if ch.isdigit())
    return int(digits[:4]) if len(digits) >= 4 else None


def _split_full(full: str) -> tuple[str, str]:
    words = full.split()
    return " ".join(words[:-1]), words[-1]


def prepare(corpus: Path, out: Path, every: int, seed: int = 7):
    """Write the mixed folder; returns {path: intended format} and the expectations of generated files."""
    if out.exists():
        shutil.rmtree(out)
    intended: dict[str, str] = {}
    for sub in ("fixtures", "seeds", "corpus", "generated/posts", "generated/blog"):
        (out / sub).mkdir(parents=True, exist_ok=True)
    for path in sorted(FIXTURES.iterdir()):
        shutil.copy(path, out / "fixtures" / path.name)
        intended[str(out / "fixtures" / path.name)] = FIXTURE_FORMATS.get(path.name, "frontmatter")
    for path in sorted((ROOT / "seeds").iterdir()):
        shutil.copy(path, out / "seeds" / path.name)
        intended[str(out / "seeds" / path.name)] = "digest" if path.name.startswith("000") else "feed"
    digests = sorted((corpus / "digests").glob("*.txt"))[::every]
    feeds = sorted((corpus / "feeds").glob("*.txt"))[::every]
    for path, fmt in [(p, "digest") for p in digests] + [(p, "feed") for p in feeds]:
        shutil.copy(path, out / "corpus" / path.name)
        intended[str(out / "corpus" / path.name)] = fmt
    chosen = {f"digests/{p.name}" for p in digests} | {f"feeds/{p.name}" for p in feeds}
    gold_a, gold_b = [], []
    with open(corpus / "gold.jsonl", encoding="utf-8") as handle:
        for line in handle:
            g = json.loads(line)
            if g["file"] in chosen:
                (gold_a if g["kind"] == "A" else gold_b).append(g)
    parallel = {}
    with open(corpus / "parallel.jsonl", encoding="utf-8") as handle:
        for line in handle:
            p = json.loads(line)
            parallel[p["arxiv_id"]] = p
    rng = random.Random(seed)
    expect: dict[str, list[dict]] = defaultdict(list)  # file → expected entries in order

    def expected(file, g, full=False):
        expect[file].append({
            "title": g["title"],
            "authors": [a["full"] if full else a.get("printed", a["full"]) for a in g["authors"]],
            "institutions": [i["printed"] for i in g.get("institutions", [])] if not full else None,
            "arxiv_id": g.get("arxiv_id"),
        })

    # BibTeX: half the digest papers, full names "Last, First", accents as LaTeX
    bib = out / "generated" / "references.bib"
    with open(bib, "w", encoding="utf-8") as handle:
        handle.write("% generated from gold.jsonl\n\n")
        for k, g in enumerate(gold_a[::2]):
            names = " and ".join(f"{_latex(last)}, {_latex(first)}" if first else _latex(last)
                                 for first, last in (_split_full(a["full"]) for a in g["authors"]))
            year = _year(g["venue"])
            handle.write(f"@inproceedings{{ref{k},\n  title = {{{_latex(g['title'])}}},\n  author = {{{names}}},\n"
                         f"  booktitle = {{{g['venue'].split('/')[0].upper()}}},\n"
                         + (f"  year = {{{year}}},\n" if year else "") + f"  url = {{{g['url']}}}\n}}\n\n")
            expected(str(bib), g, full=True)
        handle.write("@misc{broken,\n  title = {An entry whose closing brace was lost\n")
    intended[str(bib)] = "bibtex"
    # arXiv metadata: every feed paper, one record per line, every 97th line cut short
    meta = out / "generated" / "arxiv_metadata.jsonl"
    with open(meta, "w", encoding="utf-8") as handle:
        for k, g in enumerate(gold_b):
            aid = g["arxiv_id"]
            record = {
                "id": aid, "submitter": g["authors"][0]["full"] if g["authors"] else None,
                "authors": ", ".join(_latex(a["full"]) for a in g["authors"]), "title": g["title"],
                "comments": None, "journal-ref": None, "doi": None, "report-no": None,
                "categories": "cs." + g["category"].split("_", 1)[-1] if g.get("category") else "cs.LG",
                "license": None,
                "abstract": "  " + "\n".join(textwrap.wrap(parallel.get(aid, {}).get("en", ""), 78)) + "\n",
                "versions": [{"version": "v1", "created": f"Mon, 1 Jan 20{aid[:2]} 00:00:00 GMT"}],
                "update_date": f"20{aid[:2]}-{aid[2:4]}-01",
                "authors_parsed": [[_split_full(a["full"])[1], _split_full(a["full"])[0], ""] for a in g["authors"]],
            }
            line = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            if k % 97 == 96:
                handle.write(line[: len(line) // 2] + "\n")
            else:
                handle.write(line + "\n")
                expected(str(meta), g, full=True)
    intended[str(meta)] = "arxiv"
    # one-line posts: the other half of the digest papers, with metadata and unrelated posts
    posts = out / "generated" / "oneline_posts.txt"
    warnings_expected = 0
    with open(posts, "w", encoding="utf-8") as handle:
        for k, g in enumerate(gold_a[1::2]):
            handle.write(f"爱可可-爱生活\n2021-{k % 12 + 1}-{k % 28 + 1} 08:{k % 60:02d} 来自 微博 weibo.com\n")
            if k % 10 == 9:
                handle.write(UNRELATED[k % len(UNRELATED)] + "\n转发 3 ǀ 评论 1 ǀ 赞 9\n\n")
                warnings_expected += 1
                continue
            tag = f"[{g['category']}]" if g.get("category") else ""
            insts = " & ".join(i["printed"] for i in g["institutions"])
            year = _year(g["venue"])
            handle.write(f"{tag}《{g['title']}》{', '.join(a['printed'] for a in g['authors'])}"
                         + (f" [{insts}]" if insts else "") + (f" ({year})" if year else "") + f" {g['url']} #机器学习#\n")
            handle.write(f"转发 {k} ǀ 评论 {k % 7} ǀ 赞 {k * 3}\n\n")
            expected(str(posts), g)
    intended[str(posts)] = "oneline"
    # reading list: every third digest paper under venue headings
    md = out / "generated" / "reading_list.md"
    with open(md, "w", encoding="utf-8") as handle:
        handle.write("# Papers we read\n\nA list kept by our reading group.\n")
        by_venue = defaultdict(list)
        for g in gold_a[::3]:
            by_venue[g["venue"]].append(g)
        for venue in sorted(by_venue):
            handle.write(f"\n## {venue}\n\n")
            for g in by_venue[venue]:
                insts = " & ".join(i["printed"] for i in g["institutions"])
                year = _year(venue)
                handle.write(f"- **{g['title']}**. {', '.join(a['printed'] for a in g['authors'])}"
                             + (f" [{insts}]" if insts else "") + (f" ({year})" if year else "") + f" [paper]({g['url']})\n")
                expected(str(md), g)
    intended[str(md)] = "readinglist"
    # single-paper posts with glued headers: 40 digest papers, with Chinese notes
    for k, g in enumerate(rng.sample(gold_a, min(40, len(gold_a)))):
        path = out / "generated" / "posts" / f"post_{k:03d}.txt"
        insts = " & ".join(i["printed"] for i in g["institutions"])
        header = f"[{g['category']}]{g['title']}{', '.join(a['printed'] for a in g['authors'])}" + (f"[{insts}]" if insts else "")
        path.write_text(f"{header}\n要点：\n1. 本文提出了一种新方法。\n论文链接：{g['url']}\n2022-3-{k % 28 + 1} 07:44 来自 微博 weibo.com\n",
                        encoding="utf-8")
        intended[str(path)] = "paperpost"
        expected(str(path), g)
    # blog posts: 40 feed papers, English abstract or the Chinese translation
    for k, g in enumerate(rng.sample(gold_b, min(40, len(gold_b)))):
        path = out / "generated" / "blog" / f"20{g['arxiv_id'][:2]}-{g['arxiv_id'][2:4]}-01-post-{k:03d}.md"
        text = parallel.get(g["arxiv_id"], {})
        body = ((f"##### Abstract\n{text.get('en', '')}\n\n" if k % 2 == 0 else "")
                + f"##### Abstract (translated by Google)\n{text.get('zh', '')}\n\n")
        title = g["title"].replace('"', "'")
        path.write_text(f"---\nlayout: post\ntitle: \"{title}\"\ndate: 20{g['arxiv_id'][:2]}-{g['arxiv_id'][2:4]}-01 00:00:00\n"
                        f"categories: {g.get('category') or 'arXiv_LG'}\nauthor: {', '.join(a['full'] for a in g['authors'])}\n---\n\n"
                        f"{body}##### URL\n[https://arxiv.org/abs/{g['arxiv_id']}](https://arxiv.org/abs/{g['arxiv_id']})\n",
                        encoding="utf-8")
        intended[str(path)] = "frontmatter"
        expected(str(path), g, full=True)
    return intended, dict(expect), gold_a, warnings_expected


def run(args) -> dict:
    corpus = Path(args.corpus)
    out = Path(args.out)
    intended, expect, gold_a, unrelated = prepare(corpus, out, args.every)
    per_format: dict[str, Counter] = defaultdict(Counter)
    seconds: dict[str, float] = defaultdict(float)
    misread, entries, problems = [], [], []
    by_file: dict[str, list] = defaultdict(list)
    for path in iter_input_files([str(out)]):
        text = Path(path).read_text(encoding="utf-8")
        fmt, _ = detect_format(text)
        started = time.perf_counter()
        result = read_file(path)
        name = fmt or "(unrecognised)"
        seconds[name] += time.perf_counter() - started
        c = per_format[name]
        c["files"] += 1
        c["entries"] += len(result.entries)
        for p in result.problems:
            if p.severity == "error":
                c["rejected files" if p.line is None or (fmt is None) else "rejected"] += 1
            else:
                c["warnings"] += 1
        if fmt != intended.get(path):
            misread.append((path, intended.get(path), fmt))
        entries.extend(result.entries)
        problems.extend(result.problems)
        by_file[path] = list(result.entries)
    # field accuracy of generated files
    accuracy: dict[str, Counter] = defaultdict(Counter)
    for path, wanted in expect.items():
        fmt = intended[path]
        got = by_file.get(path, [])
        got_by_title = {fold(e.title or ""): e for e in got}  # gold titles keep LaTeX (H\\"{o}lderian): compare decoded
        for w in wanted:
            a = accuracy[fmt]
            a["expected"] += 1
            e = got_by_title.get(fold(w["title"])) or got_by_title.get(fold(latex_to_text(w["title"])))
            if e is None:
                continue
            a["title"] += 1
            a["authors in order"] += list(e.authors) == w["authors"]
            if w["institutions"] is not None:
                a["institutions checked"] += 1
                a["institutions"] += list(e.institutions) == w["institutions"]
            if w["arxiv_id"]:
                a["arxiv ids checked"] += 1
                a["arxiv id"] += e.arxiv_id == w["arxiv_id"]
    # merge papers across formats (no topic extraction: resolution only)
    started = time.perf_counter()
    corpus_r = resolve(entries, [Extraction()] * len(entries))
    resolve_s = time.perf_counter() - started
    fmt_of = {e.source: e.format for e in entries}
    multi = Counter(len({fmt_of[s] for s in p.sources}) for p in corpus_r.papers)
    gold_full = {fold(g["title"]): [a["full"] for a in g["authors"]] for g in gold_a}
    attach = Counter()
    for p in corpus_r.papers:
        formats = {fmt_of[s] for s in p.sources}
        if "digest" not in formats or not (formats & {"bibtex", "arxiv", "frontmatter"}):
            continue
        truth = gold_full.get(fold(p.title or ""))
        for a in p.authorships:
            attach["authorships"] += 1
            if a.full_name:
                attach["full name attached"] += 1
                if truth and a.position < len(truth):
                    attach["checked"] += 1
                    attach["agrees with gold"] += fold(a.full_name) == fold(truth[a.position])
    return {
        "folder": str(out),
        "per_format": {k: dict(v, seconds=round(seconds[k], 3)) for k, v in sorted(per_format.items())},
        "misread": misread,
        "accuracy": {k: dict(v) for k, v in sorted(accuracy.items())},
        "unrelated_posts_written": unrelated,
        "papers": len(corpus_r.papers),
        "entries": len(entries),
        "papers_by_number_of_formats": dict(sorted(multi.items())),
        "full_names": dict(attach),
        "resolve_seconds": round(resolve_s, 2),
        "problem_reasons": Counter(p.reason.split(":")[0] for p in problems).most_common(12),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--out", default="/tmp/kg_formats_bench")
    parser.add_argument("--every", type=int, default=20, help="take every K-th corpus digest and feed")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    if not Path(args.corpus).is_dir():
        sys.exit(f"{args.corpus}: no corpus folder")
    r = run(args)
    print(f"mixed folder: {r['folder']}")
    print(f"\n{'format':16} {'files':>6} {'entries':>8} {'rejected':>9} {'rej.files':>9} {'warnings':>9} {'entries/s':>10}")
    for name, c in r["per_format"].items():
        rate = c.get("entries", 0) / c["seconds"] if c["seconds"] else 0
        print(f"{name:16} {c['files']:>6} {c.get('entries', 0):>8} {c.get('rejected', 0):>9} {c.get('rejected files', 0):>9} "
              f"{c.get('warnings', 0):>9} {rate:>10.0f}")
    print(f"\nfiles not read by the reader they were written for: {len(r['misread'])}")
    for path, want, got in r["misread"][:10]:
        print(f"  {path}: written as {want}, detected {got}")
    print("\ngenerated files against gold (entries found / fields exact):")
    for name, a in r["accuracy"].items():
        n = a.get("expected", 0)
        line = f"  {name:12} {a.get('title', 0)}/{n} titles, {a.get('authors in order', 0)}/{n} author lists"
        if a.get("institutions checked"):
            line += f", {a.get('institutions', 0)}/{a['institutions checked']} institution lists"
        if a.get("arxiv ids checked"):
            line += f", {a.get('arxiv id', 0)}/{a['arxiv ids checked']} arXiv ids"
        print(line)
    print(f"\n{r['entries']} entries → {r['papers']} papers (resolve {r['resolve_seconds']} s); "
          f"papers by number of formats: {r['papers_by_number_of_formats']}")
    f = r["full_names"]
    print(f"digest papers also in BibTeX/arXiv/blog: {f.get('authorships', 0)} authorships, "
          f"{f.get('full name attached', 0)} with a full name, {f.get('agrees with gold', 0)}/{f.get('checked', 0)} agree with gold")
    print(f"problem reasons: {r['problem_reasons']}")
    if args.json:
        Path(args.json).write_text(json.dumps(r, ensure_ascii=False, indent=1, default=list), encoding="utf-8")


if __name__ == "__main__":
    main()
