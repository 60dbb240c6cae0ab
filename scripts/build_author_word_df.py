"""Build kg/data/author_word_df.tsv.gz: background document frequencies of the content words
author resolution compares papers by (kg.resolve.word_df, kg.resolve.authors._words).

Input: abstracts that are not the dev corpus, so the table says how common a word is in AI and
science writing without having seen the papers it is measured on: SciERC's train and dev abstracts
(../shared/eval/scierc/*.json, 400 AI abstracts) and the SemEval-2017 Task 10 paragraphs
(../shared/eval/SemEval2017.zip, docsutf8/*.txt, 493 science paragraphs). Each text is split into
words exactly as the resolver splits a paper's title and abstract; identical texts count once.

Only counts are written, never text: ``word<TAB>df`` rows sorted by word after a ``#docs<TAB>N``
header, every word seen (the resolver's idf is smoothed: log((N + 1) / (df + 1))). The gzip header
carries no timestamp: the same inputs give the same bytes. Rebuild after changing how
kg.resolve.authors._words splits text.

Usage:
    python scripts/build_author_word_df.py [--eval ../shared/eval] [--out kg/data/author_word_df.tsv.gz]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import zipfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.resolve.authors import _words  # noqa: E402

DEFAULT_EVAL = ROOT.parent / "shared" / "eval"
DEFAULT_TARGET = ROOT / "kg" / "data" / "author_word_df.tsv.gz"


def background_texts(eval_dir: Path) -> list[str]:
    """The distinct texts of SciERC (train, dev) and SemEval-2017 Task 10, in a fixed order."""
    texts: dict[str, None] = {}
    for part in ("train", "dev"):
        with (eval_dir / "scierc" / f"{part}.json").open(encoding="utf-8") as handle:
            for line in handle:
                doc = json.loads(line)
                texts.setdefault(" ".join(token for sentence in doc["sentences"] for token in sentence), None)
    with zipfile.ZipFile(eval_dir / "SemEval2017.zip") as archive:
        for name in sorted(archive.namelist()):
            if "/docsutf8/" in name and name.endswith(".txt"):
                texts.setdefault(archive.read(name).decode("utf-8", "replace"), None)
    return list(texts)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval", default=str(DEFAULT_EVAL))
    parser.add_argument("--out", default=str(DEFAULT_TARGET))
    args = parser.parse_args()
    texts = background_texts(Path(args.eval))
    df = Counter(word for text in texts for word in set(_words(text)))
    lines = [f"#docs\t{len(texts)}\n"] + [f"{word}\t{count}\n" for word, count in sorted(df.items())]
    with open(args.out, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0, filename="") as handle:
        handle.write("".join(lines).encode("utf-8"))
    print(f"{args.out}: {len(texts)} texts, {len(df)} words")
    return 0


if __name__ == "__main__":
    sys.exit(main())
