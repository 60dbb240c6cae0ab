"""Trend quality (issue 25): do the topics `kg trends` flags as of the end of a year really grow after it?

Corpus: ../shared/corpus/dated/ (16.7k ML/CV/NLP conference papers 2015–2022 as numbered digests,
dated by file name), built once into --build (default /tmp/dated-build; reused when its corpus.json
is there):

    kg build ../shared/corpus/dated --out /tmp/dated-build --jobs 2 --export none --no-pages

For each cut-off year Y (2017–2020: the two years after it must be in the corpus):

* kg: the top 20 topics of `kg.trends.trends(corpus, "topic", as_of=Y, method=M)` — by default
  (`--method burst`) Kleinberg bursts still going on in Y; with `--method ratio`, topics whose share in
  Y is surely above their share in the years before (kg.trends.ratio) — from the papers dated up to
  Y-12-31 only;
* baseline: the top 20 topics by last year's growth in share (`kg.trends.growth`: share in Y over
  share in Y−1, same minimum support);
* a topic *really grows* when the share of papers mentioning it in the two years after the cut-off
  (Y+1, Y+2) is at least twice its share in the three years up to it (Y−2..Y). A paper *mentions* a
  topic when the topic is among the paper's own topic labels, or when the label occurs in its
  abstract (case-folded, words separated by spaces or hyphens, the last word also with a plural
  "s"/"es");
* the score of a system is the share of its 20 topics that really grow; "all" is that share over
  every topic with at least min-support papers in Y (the base rate).

Prints a table per cut-off year (each topic: score, share before, share after, grows), the shares
side by side, and their means against the aim (kg ≥ 0.5 and ≥ 0.15 above the baseline).

    python bench/trends_quality.py [--build DIR] [--years 2017 2018 2019 2020] [--top 20]
                                   [--method burst|ratio] [--s 2] [--gamma 1] [--q 0.05]
                                   [--min-support 5] [--after 2] [--before 3]
                                   [--kind topic] [--dates paper|file] [-q]

Dates: each paper's `date` (kg.ingest.dates, from the digest's date line or the file name); with
`--dates file`, or for a paper without one, the earliest date its source files' names start with.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.build import BuildDir  # noqa: E402
from kg.model import Paper  # noqa: E402
from kg.trends import count_series, growth, trends  # noqa: E402
from kg.trends.series import paper_terms  # noqa: E402

DATED = ROOT.parent / "shared" / "corpus" / "dated"
_FILE_DATE = re.compile(r"(\d{4}-\d{2}-\d{2})")
_WORD = re.compile(r"\w+")
_FILE_VENUE = re.compile(r"\d{4}-\d{2}-\d{2}-([a-z]+)-")


def ensure_build(build: Path, jobs: int) -> None:
    if (build / "corpus.json").exists():
        print(f"reusing the build in {build}", file=sys.stderr)
        return
    command = [str(ROOT / ".venv" / "bin" / "kg"), "build", str(DATED), "--out", str(build), "--jobs", str(jobs),
               "--export", "none", "--no-pages", "-q"]
    print("building:", " ".join(command), file=sys.stderr)
    start = time.perf_counter()
    status = subprocess.run(command).returncode
    if status not in (0, 3):  # 3: built, some entries rejected
        sys.exit(f"kg build failed with status {status}")
    print(f"built in {time.perf_counter() - start:.0f} s", file=sys.stderr)


def file_date(paper: Paper) -> str | None:
    """The earliest date the names of the paper's source files start with."""
    found = [m.group(1) for s in paper.sources if (m := _FILE_DATE.match(Path(s.file).name))]
    return min(found, default=None)


def dater(mode: str):
    if mode == "file":
        return file_date
    return lambda paper: paper.date or file_date(paper)


def mention_pattern(label: str) -> re.Pattern:
    """The label in running text: case-folded, words joined by spaces or hyphens, the last one also plural."""
    words = [re.escape(w) for w in re.split(r"[\s-]+", label.casefold()) if w]
    body = r"[\s-]+".join(words[:-1] + [words[-1] + r"(?:s|es)?"]) if words else re.escape(label.casefold())
    return re.compile(rf"(?<!\w){body}(?!\w)")


class Mentions:
    """Which papers mention a label (its own labels of the kind, or the label in the abstract), counted
    per (year, venue); the venue is the name in the paper's first source file (2019-06-15-cvpr-00.txt)."""

    def __init__(self, papers: list[tuple[Paper, int]], kind: str, author_names: dict[str, str]):
        self.papers = papers
        self.cells = [(year, venue_of(p)) for p, year in papers]
        self.texts = [" ".join(text for lang, text in p.abstracts if lang == "en").casefold() for p, _ in papers]
        self.labels = [set(paper_terms(p, kind, author_names).values()) for p, _ in papers]
        # word → the papers whose abstract has it (also without a plural "s"/"es"): the regular
        # expression only runs on the abstracts that hold every word of a label
        self.index: dict[str, set[int]] = {}
        for i, text in enumerate(self.texts):
            for word in set(_WORD.findall(text)):
                for form in {word, word[:-1] if word.endswith("s") else word, word[:-2] if word.endswith("es") else word}:
                    self.index.setdefault(form, set()).add(i)
        self.by_label: dict[str, set[int]] = {}
        for i, labels in enumerate(self.labels):
            for label in labels:
                self.by_label.setdefault(label, set()).add(i)
        self.per_cell: dict[tuple[int, str], int] = {}
        for cell in self.cells:
            self.per_cell[cell] = self.per_cell.get(cell, 0) + 1
        self.cache: dict[str, dict[tuple[int, str], int]] = {}

    def per_year(self) -> dict[int, int]:
        years: dict[int, int] = {}
        for (year, _), n in self.per_cell.items():
            years[year] = years.get(year, 0) + n
        return years

    def venues(self, years: range) -> set[str]:
        return {venue for (year, venue), n in self.per_cell.items() if year in years and n}

    def counts(self, label: str) -> dict[tuple[int, str], int]:
        """Papers mentioning `label`, per (year, venue)."""
        if label not in self.cache:
            pattern, counts = mention_pattern(label), {}
            words = _WORD.findall(label.casefold())
            candidates = set.intersection(*(self.index.get(w, set()) for w in words)) if words else set()
            for i in self.by_label.get(label, set()) | {i for i in candidates if pattern.search(self.texts[i])}:
                counts[self.cells[i]] = counts.get(self.cells[i], 0) + 1
            self.cache[label] = counts
        return self.cache[label]

    def share(self, label: str, years: range, venues: set[str] | None = None) -> float:
        """The share of the papers of `years` (of `venues` only, when given) mentioning `label`."""
        def keep(cell):
            return cell[0] in years and (venues is None or cell[1] in venues)

        total = sum(n for cell, n in self.per_cell.items() if keep(cell))
        return sum(n for cell, n in self.counts(label).items() if keep(cell)) / total if total else 0.0


def venue_of(paper: Paper) -> str:
    names = sorted(Path(s.file).name for s in paper.sources)
    match = _FILE_VENUE.match(names[0]) if names else None
    return match.group(1) if match else "?"


def judge(mentions: Mentions, labels: list[str], year: int, before: int, after: int, venues: set[str] | None = None):
    """(label, share before, share after, grows) of each label."""
    rows = []
    for label in labels:
        b = mentions.share(label, range(year - before + 1, year + 1), venues)
        a = mentions.share(label, range(year + 1, year + after + 1), venues)
        rows.append((label, b, a, a >= 2 * b))
    return rows


def grown(rows) -> float:
    return sum(r[3] for r in rows) / len(rows) if rows else 0.0


def print_summary(title: str, summary: list[tuple]) -> None:
    """One line per cut-off: kg's share (and how many topics it flagged), the baseline's, the base rate."""
    print(f"\n{title}")
    print(f"{'cut-off':>7}  {'kg (n)':>10}  {'baseline':>8}  {'kg − baseline':>13}  {'all (n)':>14}")
    for year, kg, flagged, base, pool, n in summary:
        print(f"{year:>7}  {kg:5.2f} ({flagged:>2})  {base:8.2f}  {kg - base:+13.2f}  {pool:6.2f} ({n:>5})")
    if not summary:
        return
    mean_kg = sum(r[1] for r in summary) / len(summary)
    mean_base = sum(r[3] for r in summary) / len(summary)
    mean_pool = sum(r[4] for r in summary) / len(summary)
    print(f"{'mean':>7}  {mean_kg:5.2f}       {mean_base:8.2f}  {mean_kg - mean_base:+13.2f}  {mean_pool:6.2f}")
    met = [y for y, kg, _, base, _, _ in summary if kg >= 0.5 and kg - base >= 0.15]
    print(f"aim (kg ≥ 0.50 and ≥ 0.15 above the baseline): met for {len(met)} of {len(summary)} cut-offs"
          + (f" ({', '.join(map(str, met))})" if met else "")
          + f"; on the means: {'met' if mean_kg >= 0.5 and mean_kg - mean_base >= 0.15 else 'not met'}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--build", default="/tmp/dated-build", help="build folder of ../shared/corpus/dated")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--years", type=int, nargs="+", default=[2017, 2018, 2019, 2020])
    parser.add_argument("--top", type=int, default=20)
    parser.add_argument("--method", choices=["burst", "ratio"], default="burst",
                        help="kg's ranking: Kleinberg bursts, or the calibrated rise in share")
    parser.add_argument("--s", type=float, default=2.0)
    parser.add_argument("--gamma", type=float, default=1.0)
    parser.add_argument("--q", type=float, default=0.05, help="--method ratio: the posterior quantile read")
    parser.add_argument("--min-support", type=int, default=5)
    parser.add_argument("--after", type=int, default=2, help="years after the cut-off whose share is compared")
    parser.add_argument("--before", type=int, default=3, help="years up to the cut-off whose share is compared")
    parser.add_argument("--kind", default="topic")
    parser.add_argument("--period", choices=["year", "month"], default="year", help="the periods of the bursts")
    parser.add_argument("--dates", choices=["paper", "file"], default="paper")
    parser.add_argument("-q", "--quiet", action="store_true", help="only the summary table")
    args = parser.parse_args()

    build = Path(args.build)
    ensure_build(build, args.jobs)
    start = time.perf_counter()
    corpus = BuildDir(build).read_corpus()
    date_of = dater(args.dates)
    own = sum(1 for p in corpus.papers if p.date)
    agree = sum(1 for p in corpus.papers if p.date and p.date == file_date(p))
    dated = [(p, int(d[:4])) for p in corpus.papers if (d := date_of(p))]
    print(f"{len(corpus.papers):,} papers, {len(dated):,} dated ({own:,} by their own date, {agree:,} of them equal "
          f"to their file name's; dates: {args.dates}); read in {time.perf_counter() - start:.1f} s")
    author_names = {a.id: a.name for a in corpus.authors}
    mentions = Mentions(dated, args.kind, author_names)
    last_year = max(y for _, y in dated)
    print("papers per year:", ", ".join(f"{y} {n:,}" for y, n in sorted(mentions.per_year().items())))
    how = f"s = {args.s}, γ = {args.gamma}" if args.method == "burst" else f"q = {args.q}"
    print(f"parameters: method {args.method} ({how}), min support {args.min_support}, top {args.top}; grows: "
          f"share in Y+1..Y+{args.after} ≥ 2 × share in Y-{args.before - 1}..Y")

    summary, matched = [], []
    for year in args.years:
        if year + args.after > last_year:
            print(f"\n{year}: skipped, the corpus ends in {last_year}")
            continue
        t0 = time.perf_counter()
        ranked = trends(corpus, args.kind, as_of=str(year), top=args.top, s=args.s, gamma=args.gamma,
                        min_support=args.min_support, period=args.period, date_of=date_of, method=args.method,
                        q=args.q)
        seconds = time.perf_counter() - t0
        series = count_series(corpus, args.kind, as_of=str(year), date_of=date_of)
        base = sorted(growth(series, args.kind, args.min_support), key=lambda t: (-t.score, t.label.casefold(), t.key))
        pool = [series.labels[k] for k, c in series.mentions.items() if c[-1] >= args.min_support]
        systems = {"kg": [t.label for t in ranked.items], "baseline": [t.label for t in base[:args.top]]}
        scores = {name: {t.label: t.score for t in items} for name, items in (("kg", ranked.items), ("baseline", base))}
        before, after = range(year - args.before + 1, year + 1), range(year + 1, year + args.after + 1)
        venues = mentions.venues(before) & mentions.venues(after)
        for name, labels in systems.items():
            if args.quiet:
                continue
            rows = judge(mentions, labels, year, args.before, args.after)
            print(f"\n{year} {name}: top {len(rows)} {args.kind}s"
                  + (f" (trends in {seconds:.1f} s)" if name == "kg" else " (growth of share in the last year)"))
            print(f"  {'score':>7}  {'before':>6}  {'after':>6}  grows  label")
            for label, b, a, grows in rows:
                print(f"  {scores[name][label]:7.2f}  {b:6.4f}  {a:6.4f}  {'yes' if grows else 'no':>5}  {label}")
        for target, only in ((summary, None), (matched, venues)):
            if only is not None and not only:
                continue
            shares = {name: grown(judge(mentions, labels, year, args.before, args.after, only))
                      for name, labels in {**systems, "all": pool}.items()}
            target.append((year, shares["kg"], len(systems["kg"]), shares["baseline"], shares["all"], len(pool)))
        print(f"\n{year}: venues before {sorted(mentions.venues(before))}, after {sorted(mentions.venues(after))}, "
              f"in both {sorted(venues) or 'none'}")

    print_summary(f"share of the top {args.top} {args.kind}s that really grow", summary)
    print_summary("the same, counting only the papers of venues both before and after the cut-off (a cut-off "
                  "without such venues is left out)", matched)


if __name__ == "__main__":
    main()
