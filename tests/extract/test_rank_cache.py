"""The ranked Extractions in the extraction cache (kg.extract.cache, kg.extract.mentions.rank_key):
a hit is what ranking afresh gives, and a change to anything ranking one text reads misses; the
cache's fingerprint covers the code and tables extraction and ranking use."""

from __future__ import annotations

import re
from dataclasses import replace

from kg.extract import ExtractConfig
from kg.extract.background import load_background
from kg.extract.cache import _DATA_FILES, _SHARED_CODE, FindingsCache
from kg.extract.findings import Findings
from kg.extract.mentions import entry_text_key, rank_entries
from kg.model import Entry, Source

from ..conftest import uncovered_kg_modules


def _entry(name: str, title: str, urls=()) -> Entry:
    return Entry(Source(f"{name}.txt", 1), "feed", title=title, abstract=f"Abstract of {name}.", urls=tuple(urls))


def _findings(*labels: str) -> Findings:
    return Findings({label: [2, 10 * i, len(label.split()), False, False] for i, label in enumerate(labels)},
                    [("GNN", "graph neural networks", True)])


A = _entry("a", "Self attention for protein folding", ["https://github.com/acme/fold"])
X = _entry("x", "Graph neural networks for molecules")
FOUND = {entry_text_key(A): _findings("self attention", "protein folding", "structure prediction"),
         entry_text_key(X): _findings("graph neural network", "molecular property prediction")}


def _rank(entries, findings, cache, config=ExtractConfig()):
    out = rank_entries(entries, findings, config, cache)
    return out, (cache.ranked_hits, cache.ranked_misses)


def test_a_hit_is_the_extraction_ranked_afresh(tmp_path):
    fresh = rank_entries([A, X], FOUND)
    with FindingsCache(tmp_path / "c.sqlite", "fp", read=False) as cache:  # a full build stores every one
        assert _rank([A, X], FOUND, cache) == (fresh, (0, 2))
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
        assert _rank([A, X], FOUND, cache) == (fresh, (2, 0))
    with FindingsCache(tmp_path / "c.sqlite", "other") as cache:  # another extractor's are never served
        assert _rank([A, X], FOUND, cache)[1] == (0, 2)


def _stored(tmp_path, entries, findings, config=ExtractConfig()):
    with FindingsCache(tmp_path / "c.sqlite", "fp", read=False) as cache:
        rank_entries(entries, findings, config, cache)


def test_a_changed_title_link_or_topic_count_misses(tmp_path):
    _stored(tmp_path, [A, X], FOUND)
    retitled = replace(A, title="Self attention for protein design")
    relinked = replace(A, urls=("https://github.com/acme/fold2",))
    for changed in (retitled, relinked):
        # the findings are the same (as when a cached text's title changes but spaCy found the same)
        findings = {entry_text_key(changed): FOUND[entry_text_key(A)], entry_text_key(X): FOUND[entry_text_key(X)]}
        with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
            out, counts = _rank([changed, X], findings, cache)
        assert counts == (1, 1) and out == rank_entries([changed, X], findings)
    fewer = ExtractConfig(max_topics=1)
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
        out, counts = _rank([A, X], FOUND, cache, fewer)
    assert counts == (0, 2) and out == rank_entries([A, X], FOUND, fewer)


def test_changed_findings_or_chinese_text_miss(tmp_path):
    _stored(tmp_path, [A, X], FOUND)
    findings = dict(FOUND, **{entry_text_key(A): _findings("self attention", "protein folding")})
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
        assert _rank([A, X], findings, cache)[1] == (1, 1)
    # an entry with no abstract is read through its Chinese summary: another summary, another text
    zh = Entry(Source("z.txt", 1), "digest", title="Self attention", summary_zh="自注意力用于蛋白质折叠。")
    assert entry_text_key(replace(zh, summary_zh="自注意力用于蛋白质设计。")) != entry_text_key(zh)
    findings = {entry_text_key(zh): Findings({"self attention": [1, 0, 2, True, False]}, zh=True)}
    _stored(tmp_path, [zh], findings)
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
        assert _rank([zh], findings, cache)[1] == (1, 0)


def test_a_changed_printed_form_of_one_topic_misses_only_its_texts(tmp_path):
    _stored(tmp_path, [A, X], FOUND)
    # two new texts print "self attention" as "self-attention": the build's form of A's topic changes
    new = [_entry(n, f"Paper {n}") for n in ("b", "c")]
    findings = dict(FOUND, **{entry_text_key(e): _findings("self-attention", "vision transformer") for e in new})
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
        out, counts = _rank([A, X, *new], findings, cache)
    assert counts == (1, 3)  # X only: A's form changed, b and c are new
    assert out == rank_entries([A, X, *new], findings)
    assert "self-attention" in dict(out[0].keyphrases)


def test_without_the_background_nothing_is_cached(tmp_path):
    config = ExtractConfig(background=False)  # weights from the build's own frequencies: each depends on all
    with FindingsCache(tmp_path / "c.sqlite", "fp", read=False) as cache:
        assert _rank([A, X], FOUND, cache, config) == (rank_entries([A, X], FOUND, config), (0, 0))


def test_prune_keeps_only_what_the_full_build_stored(tmp_path):
    _stored(tmp_path, [A, X], FOUND)
    retitled = replace(A, title="New")
    findings = {entry_text_key(retitled): FOUND[entry_text_key(A)], entry_text_key(X): FOUND[entry_text_key(X)]}
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:  # an update stores A retitled beside the old A
        rank_entries([retitled, X], findings, cache=cache)
        assert cache.db.execute("SELECT COUNT(*) FROM ranked").fetchone() == (3,)
    with FindingsCache(tmp_path / "c.sqlite", "fp", read=False) as cache:
        rank_entries([A, X], FOUND, cache=cache)
        assert cache.prune() == 1  # the retitled A
    with FindingsCache(tmp_path / "c.sqlite", "fp") as cache:
        assert _rank([A, X], FOUND, cache)[1] == (2, 0)


# --- the fingerprint covers what extraction and ranking read ---------------------------------------------

# kg modules loaded with extraction that change neither findings nor rankings
_INERT = {"kg", "kg.errors", "kg.registry", "kg.util", "kg.util.lazy", "kg.util.gcpause", "kg.knowledge"}


def test_the_fingerprint_covers_every_kg_module_extraction_imports():
    script = (
        "from kg.extract import ExtractConfig, extract_entries\n"
        "from kg.extract.findings import Findings\n"
        "from kg.extract.mentions import rank_entries, entry_text_key\n"
        "from kg.model import Entry, Source\n"
        "import kg.extract.engines, kg.extract.pipeline, kg.extract.zh\n"
        "e = Entry(Source('a.txt', 1), 'feed', title='T', abstract='基于注意力的模型', lang='zh', urls=('https://github.com/a/b',))\n"
        "rank_entries([e], {entry_text_key(e): Findings({'attention model': [1, 0, 2, True, False]}, zh=True)})\n"
    )
    assert uncovered_kg_modules(script, "kg.extract", _SHARED_CODE, _INERT) == []


def test_the_fingerprint_covers_every_table_the_covered_code_names():
    import importlib

    modules = [importlib.import_module("kg." + name[:-3].replace("/", ".")) for name in _SHARED_CODE]
    modules += [importlib.import_module(f"kg.extract.{name}") for name in
                ("background", "components", "kinds", "specificity", "mentions", "selection")]
    named = set()
    for module in modules:
        for attr, value in vars(module).items():
            if attr.endswith("_FILE") and isinstance(value, str):
                named.add(value.rsplit("/", 1)[-1])
            if attr == "GAZETTEERS":
                named.update(path.rsplit("/", 1)[-1] for path in value.values())
        source = open(module.__file__, encoding="utf-8").read()
        named.update(re.findall(r'joinpath\("data/([^"]+)"\)', source))
    assert named and named <= set(_DATA_FILES)


# --- topic forms: what an update reads of each cached text instead of its findings ---------------------


class _Engine:
    """Findings from a table instead of spaCy; notes the texts asked for."""

    def __init__(self, table):
        self.table, self.asked = table, []

    def find(self, texts, config, progress=None):
        self.asked += sorted(texts)
        return {key: Findings.from_json(self.table[key].to_json()) for key in texts}


def _extract(tmp_path, entries, table, read=True):
    from kg.extract.mentions import extract_entries

    engine = _Engine(table)
    with FindingsCache(tmp_path / "c.sqlite", "fp", read=read) as cache:
        out = extract_entries(entries, cache=cache, engine=engine)
        counts = (cache.hits, cache.misses, cache.ranked_hits, cache.ranked_misses)
    return out, counts, engine.asked


def _forms_rows(tmp_path) -> int:
    import sqlite3

    return sqlite3.connect(tmp_path / "c.sqlite").execute("SELECT COUNT(*) FROM forms").fetchone()[0]


def test_topic_forms_are_the_topic_keys_and_printed_forms_ranking_merges():
    from kg.extract.findings import TopicForms
    from kg.extract.mentions import topic_forms

    forms = topic_forms(FOUND[entry_text_key(X)], "d1", load_background())
    assert forms == TopicForms("d1", False, ["graphneuralnetwork", "molecularpropertyprediction"],
                               ["graph neural network", "molecular property prediction"])


def test_an_update_reads_topic_forms_not_findings(tmp_path):
    fresh = rank_entries([A, X], FOUND)
    full, counts, asked = _extract(tmp_path, [A, X], FOUND, read=False)
    assert (full, counts, len(asked), _forms_rows(tmp_path)) == (fresh, (0, 2, 0, 2), 2, 2)
    update, counts, asked = _extract(tmp_path, [A, X], FOUND)
    assert (update, counts, asked) == (fresh, (2, 0, 2, 0), [])


def test_a_cache_without_topic_forms_makes_and_stores_them(tmp_path):
    import sqlite3

    _extract(tmp_path, [A, X], FOUND, read=False)
    with sqlite3.connect(tmp_path / "c.sqlite") as db:  # a cache written before forms were
        db.execute("DELETE FROM forms")
    update, counts, asked = _extract(tmp_path, [A, X], FOUND)
    assert (update, counts, asked, _forms_rows(tmp_path)) == (rank_entries([A, X], FOUND), (2, 0, 2, 0), [], 2)


def test_a_text_served_by_its_forms_and_ranked_afresh_reads_its_findings(tmp_path):
    import sqlite3

    _extract(tmp_path, [A, X], FOUND, read=False)
    # two new texts print "self attention" as "self-attention": the build's form of A's topic
    # changes, and A is ranked again, from the findings the cache holds
    new = [_entry(n, f"Paper {n}") for n in ("b", "c")]
    table = dict(FOUND, **{entry_text_key(e): _findings("self-attention", "vision transformer") for e in new})
    update, counts, asked = _extract(tmp_path, [A, X, *new], table)
    assert update == rank_entries([A, X, *new], table)
    assert counts == (2, 2, 1, 3) and asked == sorted(entry_text_key(e) for e in new)
    with sqlite3.connect(tmp_path / "c.sqlite") as db:  # findings lost, forms kept: A is extracted again
        db.execute("DELETE FROM findings WHERE key = ?", (entry_text_key(A),))
        db.execute("DELETE FROM ranked")
    update, counts, asked = _extract(tmp_path, [A, X, *new], table)
    assert update == rank_entries([A, X, *new], table) and asked == [entry_text_key(A)]


def test_a_build_whose_texts_are_all_cached_never_imports_spacy():
    """spaCy (a second to import) is imported when a text must go through the pipeline, not before."""
    import subprocess
    import sys

    script = (
        "import sys\n"
        "import kg.build.run, kg.build.prepare, kg.extract.engines\n"
        "from kg.extract.findings import Findings\n"
        "from kg.extract.mentions import rank_entries, entry_text_key\n"
        "from kg.model import Entry, Source\n"
        "e = Entry(Source('a.txt', 1), 'feed', title='T', abstract='Graph neural networks.')\n"
        "rank_entries([e], {entry_text_key(e): Findings({'graph neural network': [1, 0, 3, False, False]})})\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('spacy', 'thinc')))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout == "[]\n"
