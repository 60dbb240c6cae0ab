"""Error analysis of the Chinese → English topic path, on the dev fold of the training half.

Why does a Chinese translation miss one of its English original's top-10 topics? For each miss,
one cause (the first that applies):

* ``ranked``   the Chinese version has the topic, but not in its top 10;
* ``latin``    the English label is (or contains) a Latin-script word the Chinese keeps as it is;
* ``longer``   a Chinese candidate contains the topic (the run was cut elsewhere);
* ``shorter``  a Chinese candidate is a part of the topic (a word was lost or untranslated);
* ``known``    the glossary has a Chinese name for the whole label and the Chinese text contains it;
* ``other``    none of these (the glossary does not translate it, or translates it differently).

The papers are those `scripts/build_glossary.py --dev-fold` leaves out (one training paper in five),
so the glossary used must be one built with that flag (``--glossary``); the held-out papers of the
bench are never read here.

    python bench/zh_errors.py --glossary /tmp/gloss_dev.tsv.gz [--limit N] [--show N] [--cause ranked]
"""

from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from kg.extract import ExtractConfig, load_pipeline  # noqa: E402
from kg.extract.background import load_background  # noqa: E402
from kg.extract.mentions import entry_text_key, find_entries, rank_entries  # noqa: E402
from kg.extract.zh import candidates as zh_module  # noqa: E402
from kg.knowledge.glossary import held_out, parse_glossary  # noqa: E402
from kg.model import Entry, Source  # noqa: E402
from kg.util.words import topic_key  # noqa: E402

SHARED = ROOT.parent / "shared"


def causes(en_top, zh_ranked, glossary, zh_text):
    """[(English label, cause or None when the Chinese top 10 has it)]."""
    zh_keys = [topic_key(label) for label, _ in zh_ranked]
    top10 = set(zh_keys[:10])
    latin = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)*", zh_text)}
    out = []
    for label, _ in en_top:
        key = topic_key(label)
        if key in top10:
            out.append((label, None))
        elif key in zh_keys:
            out.append((label, f"ranked {zh_keys.index(key) + 1}"))
        elif any(w in latin for w in label.lower().split()) or key in latin:
            out.append((label, "latin"))
        elif any(f" {label} " in f" {z} " for z, _ in zh_ranked):
            out.append((label, "longer"))
        elif any(f" {z} " in f" {label} " for z, _ in zh_ranked):
            out.append((label, "shorter"))
        elif (name := glossary.reverse.get(key)) and name in zh_text:
            out.append((label, "known"))
        else:
            out.append((label, "other"))
    return out


def _leave_out_of_background(findings) -> None:
    """The shipped background table counts the dev papers' English too (it leaves out only the
    held-out papers): without their counts, phrase frequencies that choose translations would know
    the very phrases of the paper measured. Their English candidates are subtracted (about: the
    table read titles too), rows left under 2 dropped, as the table's own threshold would."""
    from kg.extract import background as background_module, mentions
    from kg.extract.background import Background
    from kg.extract.mentions import _merged_candidates, _method_and_aliases

    shipped = background_module.load_background()
    labels, words = dict(shipped.labels), dict(shipped.words)
    n = 0
    for raw in findings:
        n += 1
        _, _, alias = _method_and_aliases(raw)
        keys = set(_merged_candidates(raw, alias))
        for key in keys:
            if key in labels:
                labels[key] -= 1
        for word in {w for label in raw.candidates for w in label.split()}:
            if word in words:
                words[word] -= 1
    reduced = Background(shipped.n_docs - n, {k: v for k, v in labels.items() if v >= 2},
                         {k: v for k, v in words.items() if v >= 2})
    background_module.load_background = mentions.load_background = zh_module.load_background = lambda: reduced
    zh_module._background_df.cache_clear()


def main() -> int:
    from build_glossary import dev_fold

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--parallel", default=str(SHARED / "corpus" / "parallel.jsonl"))
    parser.add_argument("--glossary", required=True, help="a glossary built with --dev-fold")
    parser.add_argument("--limit", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="examples printed per cause")
    parser.add_argument("--cause", default=None, help="only show this cause")
    parser.add_argument("--keep-background", action="store_true", help="do not subtract the dev papers' counts")
    parser.add_argument("--english-cache", default="/tmp/zh_errors_en.pkl")
    args = parser.parse_args()
    with gzip.open(args.glossary, "rt", encoding="utf-8") as handle:
        glossary = parse_glossary(handle)
    zh_module.load_glossary = lambda: glossary  # zh_candidates looks it up at call time

    with open(args.parallel, encoding="utf-8") as handle:
        rows = [json.loads(line) for line in handle]
    rows = [r for r in rows if not held_out(r["arxiv_id"]) and dev_fold(r["arxiv_id"])]
    if args.limit:
        rows = rows[: args.limit]
    en = [Entry(Source(f"en/{r['arxiv_id']}", 1), "feed", abstract=r["en"], lang="en") for r in rows]
    zh = [Entry(Source(f"zh/{r['arxiv_id']}", 1), "feed", abstract=r["zh"], lang="zh") for r in rows]
    config = ExtractConfig(max_topics=10)
    cache = Path(args.english_cache)
    en_unique = {entry_text_key(e): e for e in en}
    if cache.exists():
        found_en = pickle.loads(cache.read_bytes())
    else:
        found_en = find_entries(en_unique, config, nlp=load_pipeline())
        cache.write_bytes(pickle.dumps(found_en))
    if not args.keep_background:
        _leave_out_of_background(found_en.values())
    found = dict(found_en)
    found.update(find_entries({entry_text_key(e): e for e in zh}, config))
    top = rank_entries(en + zh, found, config)
    wide = rank_entries(zh, found, ExtractConfig(max_topics=1000))  # df differs slightly: only for causes
    background = load_background()
    n = len(rows)
    tally: Counter = Counter()
    detail: Counter = Counter()
    shares = []
    examples: dict[str, list] = {}
    for r, a, b, c in zip(rows, top[:n], top[n:], wide):
        ranked = list(b.topics) + [t for t in c.topics if t[0] not in {x for x, _ in b.topics}]
        result = causes(a.topics, ranked, glossary, r["zh"])
        if not result:
            continue
        shares.append(sum(1 for _, cause in result if cause is None) / len(result))
        for label, cause in result:
            kind = "hit" if cause is None else cause.split()[0]
            tally[kind] += 1
            df = background.labels.get(topic_key(label), 0)
            detail[(kind, "known" if df >= 3 else "novel", min(len(label.split()), 3))] += 1
            if cause and (args.cause is None or kind == args.cause):
                examples.setdefault(kind, []).append((r["arxiv_id"], label, cause, r, a, b))
    total = sum(tally.values())
    print(f"{len(rows)} dev papers, share (macro) {sum(shares) / max(1, len(shares)):.3f}")
    for kind, count in tally.most_common():
        print(f"  {kind:<8} {count:6d}  {count / total:.3f}")
    print("  by cause, known term (background df >= 3) or not, words (3: 3 or more):")
    for kind, count in sorted(detail.items()):
        if True:
            print(f"    {' '.join(map(str, kind)):<22} {count:6d}  {count / total:.3f}")
    for _kind, items in examples.items():
        for arxiv_id, label, cause, r, a, b in items[: args.show]:
            print(f"\n[{cause}] {label!r}  ({arxiv_id})")
            print("  zh :", r["zh"][:400])
            print("  en top:", [x for x, _ in a.topics])
            print("  zh top:", [x for x, _ in b.topics])
    return 0


if __name__ == "__main__":
    sys.exit(main())
