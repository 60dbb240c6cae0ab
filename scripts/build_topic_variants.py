"""Build kg/data/topic_variants.tsv: derivational variants of a modifier word that name one topic.

Input: the shipped glossary (kg/data/glossary_zh_en.tsv.gz, scripts/build_glossary.py). Two English
words are variants when the glossary aligns one Chinese word to both (each at least --min-count
times: 面部 → "facial" and "face", 文本 → "text" and "textual", 机器人 → "robot" and "robotic") and
they differ only by an inflectional or adjectival ending after a common stem of 3+ letters
(kg.util.words.VARIANT_ENDINGS: "" s e y al ial ual ic ics ical ive ous). Variants are
joined transitively; each group is written under its alphabetically first word. `topic_key` maps
every word but the last (the head) through this table, so "facial image" and "face image" are one
topic, while "face" and "facial" alone stay apart.

Rows ``word<TAB>key word``, sorted; the same glossary gives the same bytes.

    python scripts/build_topic_variants.py [--glossary kg/data/glossary_zh_en.tsv.gz] [--out kg/data/topic_variants.tsv]
"""

from __future__ import annotations

import argparse
import gzip
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kg.knowledge.glossary import ACRONYM_MARK, PAIR_MARK  # noqa: E402
from kg.util.words import VARIANT_ENDINGS  # noqa: E402

DEFAULT_GLOSSARY = ROOT / "kg" / "data" / "glossary_zh_en.tsv.gz"
DEFAULT_TARGET = ROOT / "kg" / "data" / "topic_variants.tsv"


def variants(a: str, b: str) -> bool:
    stem = os.path.commonprefix([a, b])
    return a != b and len(stem) >= 3 and a[len(stem):] in VARIANT_ENDINGS and b[len(stem):] in VARIANT_ENDINGS


def derive(lines, min_count: int = 5) -> dict[str, str]:
    """word -> key word, from glossary rows (one-word Chinese entries with one-word translations)."""
    options: dict[str, list[str]] = defaultdict(list)
    for line in lines:
        if line.startswith("#"):
            continue
        zh, en, count, _occurrences, words = line.rstrip("\n").split("\t")
        if zh.startswith((ACRONYM_MARK, PAIR_MARK)) or words != "1" or not en.isalpha() or int(count) < min_count:
            continue
        options[zh].append(en)
    parent: dict[str, str] = {}

    def root(word: str) -> str:
        while parent.get(word, word) != word:
            word = parent[word]
        return word

    for zh in sorted(options):
        found = options[zh]
        for i, a in enumerate(found):
            for b in found[i + 1 :]:
                if variants(a, b):
                    ra, rb = root(a), root(b)
                    if ra != rb:
                        parent[max(ra, rb)] = min(ra, rb)
    return {word: root(word) for word in parent if root(word) != word}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--glossary", type=Path, default=DEFAULT_GLOSSARY)
    parser.add_argument("--out", type=Path, default=DEFAULT_TARGET)
    parser.add_argument("--min-count", type=int, default=5, help="times each English word was aligned to the Chinese one")
    args = parser.parse_args()
    with gzip.open(args.glossary, "rt", encoding="utf-8") as handle:
        table = derive(handle, args.min_count)
    with open(args.out, "w", encoding="utf-8") as out:
        out.write("# word\tkey word  (derived by scripts/build_topic_variants.py from the glossary)\n")
        for word in sorted(table):
            out.write(f"{word}\t{table[word]}\n")
    print(f"{len(table)} variant words -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
