"""Turn entries into Extraction records: run the pipeline, then rank topics with corpus frequencies.

Topic ranking, per text: tf × position of the first occurrence × idf × a length bonus (× 1.5 in
the title), where document frequencies are those of a shipped background table
(kg/data/topic_df.tsv.gz), so one abstract alone is ranked as in a whole corpus and a paper's
topics do not depend on the rest of the build; a phrase
whose head word alone is common ranks lower, a phrase other abstracts use too (a known term of
the background) higher. Variants meet under one key (kg.util.words.topic_key: case,
hyphens, spacing; heads are lemmatised by the candidate component) and each topic is printed the
way most entries of the build print it. Chinese texts are translated into the same English
candidates (kg.extract.zh) and ranked the same way.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from typing import Callable, Iterable

from ..knowledge.code_hosts import code_urls
from ..model import Entity, Entry, Extraction
from ..util.gcpause import paused_gc
from ..util.words import topic_key
from .background import KNOWN_TERM_DF, Background, load_background
from .clean import clean_text
from .engines import LocalEngine
from .findings import Findings, TopicForms
from .kinds import entity_kind, load_lexicon
from .phrases import (
    _SKIP_MODIFIERS,
    _WEAK_MODIFIERS,
    GENERIC_NOUNS,
    METHOD_HEADS,
    dataset_gazetteer,
    is_name_shaped,
    singular_head,
    singular_short_form,
    trim_edges,
)
from .pipeline import ExtractConfig
from .selection import Ranked, select
from .zh import zh_candidates, zh_named

__all__ = [
    "extract_entries", "find_entries", "rank_entries", "rank_key", "english_text", "latin_names", "entry_text_key",
    "topic_forms",
]

# Scoring constants, chosen on half of SemEval-2017 (bench/topics_quality.py; the other half agrees)
_LENGTH_BONUS = {1: 1.0, 2: 1.6, 3: 1.8}
_POSITION_WEIGHT = 0.5  # an early first occurrence counts up to 1.5 times
_SPECIFIC_HEAD_IDF = 8.0  # a head word rarer than this (idf) is specific enough for no penalty
# Chinese machine translations are about 3.5 times shorter than their English abstracts, in characters
ZH_OFFSET_SCALE = 3.5
# A translated run this long (or longer) also counts the known terms inside it
_EXPAND_MIN_WORDS = 4
# A phrase other abstracts use too is a topic worth a node (it links papers, and a Chinese text can
# be translated into it); so is a term the paper defines with an acronym, and its title's phrases.
_KNOWN_TERM_BONUS = 5.0
_TITLE_BONUS = 5.0


def entry_text_key(entry: Entry) -> str:
    """A digest of the text extraction reads, so identical texts are processed once: the title, the
    abstract, the urls and, for an entry without an English abstract, the Chinese text read instead
    (a summary two entries print differently is two texts)."""
    data = "\x1f".join([entry.title or "", entry.abstract or "", entry.lang, "\x1e".join(entry.urls),
                        _chinese_text(entry)])
    return hashlib.sha1(data.encode("utf-8")).hexdigest()


# Hardware and generic acronyms that Chinese text keeps in Latin script but that name no method.
_NOT_METHODS = frozenset("GPU GPUS CPU CPUS TPU RAM API AI ML DL FPS FLOPS RGB SOTA PC IOT".split())
_LATIN_RE = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-.+][A-Za-z0-9]+)*")


def latin_names(text: str) -> tuple[list[str], list[str]]:
    """Latin-script names inside Chinese text: (methods, datasets).

    Machine translation keeps coined names (GFNET, MobileNet-V3) and dataset names in Latin script:
    they are the anchors a Chinese-only entry shares with the English world.
    """
    text = re.sub(r"https?://\S+", " ", text)
    gazetteer = dataset_gazetteer()
    methods: list[str] = []
    datasets: list[str] = []
    listed = _listed_datasets(text)
    for match in _LATIN_RE.finditer(text):
        word = match.group(0).rstrip(".")
        if match.start() in listed:
            if len(word) > 2 and word not in datasets:  # not "V2" of "Something-V1&V2"
                datasets.append(word)
            continue
        key = tuple(t.lower() for t in re.findall(r"[A-Za-z0-9]+|[^\sA-Za-z0-9]", word))
        if key in gazetteer:
            if gazetteer[key] not in datasets:
                datasets.append(gazetteer[key])
            continue
        if word.upper() in _NOT_METHODS or len(word) < 3 and not word.isupper():
            continue
        if is_name_shaped(word) or (word.isupper() and len(word) >= 2) or (word[:1].isupper() and len(word) >= 4):
            name = singular_short_form(word)
            if name.lower() not in {m.lower() for m in methods}:
                methods.append(name)
    return methods, datasets


# "六个基准数据集(即,ActivityNet,FCVID,...)": names in brackets right after a dataset word, or in a
# list right before one ("在ImageNet和COCO数据集上")
_ZH_DATASET_WORDS = "(?:数据集|基准测试|基准|语料库)"
_ZH_LIST_AFTER = re.compile(_ZH_DATASET_WORDS + r"\s*[（(]([^）)]{1,200})[）)]")
# a run of Latin names and list separators (no nested repetition: linear time)
_ZH_LIST_BEFORE = re.compile(r"([A-Za-z0-9\-.&+,，、和及与\s]{2,200})" + _ZH_DATASET_WORDS)


def _listed_datasets(text: str) -> set[int]:
    """Start offsets of the Latin names a Chinese text lists as datasets."""
    starts: set[int] = set()
    for pattern in (_ZH_LIST_AFTER, _ZH_LIST_BEFORE):
        for match in pattern.finditer(text):
            for name in _LATIN_RE.finditer(match.group(1)):
                starts.add(match.start(1) + name.start())
    return starts


def english_text(entry: Entry) -> tuple[str, int]:
    """The English text spaCy reads for `entry` (title, then abstract) and the title's length."""
    title = clean_text(entry.title) if entry.title else ""
    body = clean_text(entry.abstract) if entry.abstract and entry.lang == "en" else ""
    if title and body:
        return f"{title}.\n{body}", len(title)
    return title or body, len(title)


def _chinese_text(entry: Entry) -> str:
    """The Chinese text read when no English abstract is there: a Chinese abstract, else a Chinese summary."""
    if entry.abstract and entry.lang == "en":
        return ""
    if entry.abstract and entry.lang == "zh":
        return entry.abstract
    return entry.summary_zh or ""


def _add_chinese(raw: Findings, text: str, base: int, background: Background) -> None:
    """Candidates of a Chinese text, through the glossary; offsets scaled to English lengths.

    A translation must end on a word English abstracts use as a noun-phrase head (a one-word
    topic of the background table), or on a Latin-script name kept from the Chinese."""

    def head_ok(word: str) -> bool:
        return (not background.n_docs or background.labels.get(topic_key(word), 0) >= 2 or word in GENERIC_NOUNS
                or word in latin)

    latin = {w.lower() for w in re.findall(r"[A-Za-z][A-Za-z0-9\-]*", text)}
    found, aliases = zh_candidates(text, skip_modifiers=_SKIP_MODIFIERS, generic=GENERIC_NOUNS, heads=head_ok)
    raw.zh = True
    raw.zh_aliases = aliases
    expanded = []
    for label, offset, n_words, _span in found:
        expanded.append((label, offset, n_words))
        words = label.split()
        # a long translated run may hold what English writes as a separate phrase ("多任务张量分解
        # 技术" → "multi-task tensor factorization technique", where English has "tensor
        # factorization"): known terms inside it are candidates too. Not inside runs of two or
        # three words: those are mostly right as they are ("deep canonical correlation analysis"),
        # and the known part would be one more candidate the English does not have (dev fold)
        if n_words < _EXPAND_MIN_WORDS or background.labels.get(topic_key(label), 0) >= KNOWN_TERM_DF:
            continue
        parts = [
            " ".join(words[start : start + size])
            for size in range(n_words - 1, 1, -1)
            for start in range(n_words - size, -1, -1)
        ]
        known = [p for p in parts if background.labels.get(topic_key(p), 0) >= KNOWN_TERM_DF]
        if known:
            expanded.append((known[0], offset, len(known[0].split())))
    for label, offset, n_words in expanded:
        offset = base + int(offset * ZH_OFFSET_SCALE)
        stats = raw.candidates.get(label)
        if stats is None:
            first = label.split(" ", 1)[0]
            weak = n_words > 1 and (first in _WEAK_MODIFIERS or first.endswith(("ed", "ing")) and "-" not in first)
            raw.candidates[label] = [1, offset, n_words, False, weak]
        else:
            stats[0] += 1


def _long_label(long: str) -> str:
    """The candidate label of an acronym's long form: lowercase, the head singular ("Graph Neural
    Networks" → "graph neural network")."""
    words = long.lower().split()
    return " ".join(words[:-1] + [singular_head(words[-1].rstrip(")"))])


def _is_method(short: str, long: str, proposed: bool) -> bool:
    """Whether an acronym definition names a method: the paper proposes it, its head is a method's,
    or the short form is a coined mixed-case name ("GFNet"); not when the lexicon types the long
    form as a task, a metric or a field ("word sense disambiguation (WSD)")."""
    label = _long_label(long)
    kind = entity_kind(label)
    if kind is not None or label in load_lexicon().phrases:  # typed, or a field ("natural language processing")
        return kind == "method"
    short = singular_short_form(short)
    return proposed or long.lower().split()[-1].rstrip(")") in METHOD_HEADS or (
        any(c.islower() for c in short[1:]) and any(c.isupper() for c in short))


def _method_and_aliases(raw: Findings) -> tuple[list[Entity], set[str], dict[str, str]]:
    """Methods named by acronym definitions and naming phrases, and short form → long-form label."""
    dataset_keys = {d.lower() for d in raw.datasets}
    methods: list[Entity] = []
    method_keys: set[str] = set()
    alias: dict[str, str] = {}  # short-form label -> long-form label, so "CMT" counts for its topic
    for short, long_label in raw.zh_aliases.items():
        alias[short] = long_label
        alias[singular_short_form(short.upper()).lower()] = long_label
    for short, long, proposed in raw.acronyms:
        name = singular_short_form(short)
        long_label = _long_label(long)
        alias[short.lower()] = long_label
        alias[name.lower()] = long_label
        if name.lower() in dataset_keys or short.lower() in dataset_keys:
            continue
        if _is_method(short, long, proposed) and name.lower() not in method_keys:
            methods.append(Entity(long, (name,), "defined"))
            method_keys.add(name.lower())
    for name in raw.named:
        key = singular_short_form(name).lower()
        if key not in method_keys and key not in dataset_keys:
            methods.append(Entity(singular_short_form(name), (), "defined"))
            method_keys.add(key)
    return methods, method_keys, alias


def _merged_candidates(raw: Findings, alias: dict[str, str], background: Background | None = None) -> dict[str, list]:
    """Occurrences grouped by topic key (acronyms counted for their long form):
    key -> [count, first offset, n_words, in_title, label].

    With a background table, a weak leading word (participle, rating adjective) is dropped unless
    the whole phrase is a known term there: "grouped network data" → "network data", while
    "supervised learning" stays.
    """
    merged: dict[str, list] = {}
    for label, (count, offset, _n_words, in_title, weak) in raw.candidates.items():
        label = alias.get(label, label)
        trimmed = trim_edges(label)  # long forms and translations too: "a new evaluation metric (ANEM)"
        if not trimmed:
            continue
        # "few shot object detection": "few" leads a compound here, not a rating
        weak, label = weak and trimmed == label and not trimmed.startswith("few shot "), trimmed
        if weak and background is not None and background.labels.get(topic_key(label), 0) < KNOWN_TERM_DF:
            label = label.split(" ", 1)[1]
        key = topic_key(label)
        stats = merged.get(key)
        if stats is None:
            merged[key] = [count, offset, len(label.split()), in_title, label]
        else:
            stats[0] += count
            stats[1] = min(stats[1], offset)
            stats[3] = stats[3] or in_title
    return merged


def _idf(key: str, df: Counter, n_docs: int, background: Background) -> float:
    n = n_docs + background.n_docs
    return math.log((n + 1) / (df.get(key, 0) + background.labels.get(key, 0) + 1)) + 1.0


def _score(count: int, offset: int, n_words: int, in_title: bool, idf: float, head_idf: float) -> float:
    """tf × position × idf × length, a title bonus, and for phrases a penalty when the head word
    alone is common ("early attempt", "larger study": the head says little)."""
    score = (1.0 + math.log(count)) * (1.0 + _POSITION_WEIGHT / (1.0 + offset / 60.0)) * idf
    score *= _LENGTH_BONUS.get(n_words, 1.6) * (_TITLE_BONUS if in_title else 1.0)
    if n_words > 1:
        score *= min(1.0, head_idf / _SPECIFIC_HEAD_IDF)
    return score


def _most_printed(surfaces: Counter) -> str:
    """The form printed most often; ties broken alphabetically."""
    return min(surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _finish(
    entry: Entry, raw: Findings, df: Counter, n_docs: int, config: ExtractConfig,
    display: dict[str, str], background: Background,
) -> Extraction:
    code = tuple(code_urls(entry.urls))
    if raw.zh:
        chinese = " ".join(filter(None, [entry.title, _chinese_text(entry)]))
        names, datasets = latin_names(chinese)
        raw.datasets = datasets
        methods = [Entity(m) for m in names]
        _, _, alias = _method_and_aliases(raw)
        # as in English, only the names the paper gives its own method are not topics ("RANSAC",
        # "WordNet" used by the paper stay topics, as their English originals do)
        method_keys = {singular_short_form(m).lower() for m in zh_named(chinese)} - set(alias)
    else:
        methods, method_keys, alias = _method_and_aliases(raw)
    # "Cross Modal Transformer (CMT)": the acronym of each long form the text defines, keyed as the
    # candidates are, without "a"/"the" at the edges
    shorts = {topic_key(trim_edges(long_label)): singular_short_form(short.upper() if raw.zh else short)
              for short, long_label in _defined_shorts(raw)}
    defined = shorts.keys()
    ranked = []
    for key, (count, offset, n_words, in_title, label) in _merged_candidates(raw, alias, background).items():
        if label in method_keys:
            continue  # a bare method name is a method node, not a topic
        head_idf = _idf(topic_key(label.rsplit(" ", 1)[-1]), df, n_docs, background)
        score = _score(count, offset, n_words, in_title, _idf(key, df, n_docs, background), head_idf)
        if (n_words > 1 and background.labels.get(key, 0) >= KNOWN_TERM_DF) or key in defined:
            score *= _KNOWN_TERM_BONUS
        ranked.append(Ranked(display.get(key, label), key, round(score, 4), in_title, key in defined))
    ranked.sort(key=lambda r: (-r.score, r.label))
    topics, typed, keyphrases = select(ranked, methods, raw.datasets, shorts, entry.title or "", background,
                                       config.max_topics, entry.urls)
    return Extraction(topics=topics, methods=typed["method"], datasets=typed["dataset"], code=code,
                      tasks=typed["task"], metrics=typed["metric"], keyphrases=keyphrases)


def _defined_shorts(raw: Findings):
    """(short form, long-form label) of every acronym the text defines."""
    for short, long_label in raw.zh_aliases.items():
        yield short, long_label
    for short, long, _proposed in raw.acronyms:
        yield short, _long_label(long)


def add_chinese_findings(findings: Findings, entry: Entry, background: Background) -> None:
    """Add the candidates of `entry`'s Chinese text (if it is read) to `findings`."""
    chinese = _chinese_text(entry)
    if chinese:
        text, _ = english_text(entry)
        _add_chinese(findings, chinese, len(text) + 1 if text else 0, background)


def find_entries(
    unique: dict[str, Entry],
    config: ExtractConfig = ExtractConfig(),
    nlp=None,
    progress: Callable[[int], None] | None = None,
    engine=None,
) -> dict[str, Findings]:
    """Findings of each entry (keyed by entry_text_key): spaCy over the English texts, through
    `engine` (kg.extract.engines; default: nlp.pipe in this process), then the Chinese texts."""
    english = {}
    for key, entry in unique.items():
        text, title_len = english_text(entry)
        if text:
            english[key] = (text, title_len)
    found = {}
    if english:
        engine = engine or LocalEngine(nlp=nlp)
        found = engine.find(english, config, progress)
    background = load_background() if config.background else Background()
    out: dict[str, Findings] = {}
    for key, entry in unique.items():
        findings = found.get(key) or Findings()
        add_chinese_findings(findings, entry, background)
        out[key] = findings
    return out


def rank_entries(
    entries: list[Entry], findings: dict[str, Findings], config: ExtractConfig = ExtractConfig(), cache=None
) -> list[Extraction]:
    """Corpus-level ranking: topic scores (idf from the shipped background table; from the build's own
    document frequencies only when the background is off), one printed form per topic across the
    build. Pure function of the findings, so it is redone on every build and update; with the
    background on, each text's Extraction is looked up in `cache` (kg.extract.cache.FindingsCache)
    under its rank_key first, and stored there when it had to be ranked."""
    return _rank(entries, [entry_text_key(e) for e in entries], findings, {}, config, cache)


def topic_forms(raw: Findings, digest: str, background: Background) -> TopicForms:
    """The TopicForms of a text's findings (`digest`: of their JSON): the topic keys ranking gives
    it and the form it prints each in, as `_finish` merges them."""
    _, _, alias = _method_and_aliases(raw)
    merged = _merged_candidates(raw, alias, background)
    return TopicForms(digest, raw.zh, list(merged), [stats[4] for stats in merged.values()])


_FORMS_BATCH = 1000  # TopicForms stored at a time: a full build holds no more of them


def _rank(entries: list[Entry], keys: list[str], findings: dict[str, Findings], forms: dict[str, TopicForms],
          config: ExtractConfig, cache, more_findings=None) -> list[Extraction]:
    """rank_entries of `entries`, whose text keys are `keys`. Each text's TopicForms is taken from
    `forms` (read from the cache) or made from its findings in `findings` (and stored in `cache`);
    the findings of a text served by its forms are only needed when it is ranked afresh, and
    are then asked of `more_findings(keys)` (default: read from `cache`)."""
    unique: dict[str, Entry] = {}
    for key, entry in zip(keys, entries, strict=True):
        unique.setdefault(key, entry)
    if not config.background:
        return _rank_by_build(entries, keys, unique, findings, config)
    surfaces: dict[str, dict] = {}
    zh_surfaces: dict[str, dict] = {}  # printed by the glossary for Chinese-only entries
    topic_keys: dict[str, list[str]] = {}  # text key -> its topic keys (the display forms its rank key covers)
    digests: dict[str, str] = {}  # text key -> the digest of its findings
    fresh: dict[str, TopicForms] = {}
    # texts are read in key order, so the result does not depend on which entry came first
    for key in sorted(unique):
        text = forms.get(key)
        if text is None:
            raw = findings[key]
            text = topic_forms(raw, cache.findings_digest(key, raw) if cache is not None else "", load_background())
            if cache is not None:
                fresh[key] = text
                if len(fresh) >= _FORMS_BATCH:
                    cache.put_forms(fresh)
                    fresh = {}
        printed = zh_surfaces if text.zh else surfaces
        for topic, label in zip(text.keys, text.labels):
            counts = printed.get(topic)
            if counts is None:  # (a dict, not a Counter, per topic: hundreds of thousands of them)
                printed[topic] = {label: 1}
            else:
                counts[label] = counts.get(label, 0) + 1
        topic_keys[key], digests[key] = text.keys, text.digest
    if fresh:
        cache.put_forms(fresh)
    # one printed form per topic across the build: the most common in English entries (the glossary's
    # choice among variants, "text data" for "textual data", only where no English entry has the topic),
    # ties broken alphabetically.
    # A paper's topic weights come from the shipped background table alone, not from the rest of
    # the build: what one paper contributes does not depend on the corpus (issue 25's decision for
    # fast updates). Measured: SemEval-2017 F1@10 35.0 either way, SciERC dev F1 0.505 → 0.503,
    # Chinese top-10 agreement 0.478 → 0.483
    display = _display(zh_surfaces, surfaces)
    del surfaces, zh_surfaces
    if more_findings is None and cache is not None:
        def more_findings(wanted):
            return cache.get_many(wanted, count=False)
    # (the background table is read only if a text is ranked afresh: an update may rank none)
    finished = _finish_all(unique, findings, Counter(), 0, config, display, None, topic_keys, digests, cache,
                           more_findings)
    return [finished[key] for key in keys]


def _display(zh_surfaces: dict[str, dict], surfaces: dict[str, dict]) -> dict[str, str]:
    """Topic key -> its printed form: the most common in English texts, else in Chinese ones."""
    display = {key: _most_printed(c) if len(c) > 1 else next(iter(c)) for key, c in zh_surfaces.items()}
    display.update((key, _most_printed(c) if len(c) > 1 else next(iter(c))) for key, c in surfaces.items())
    return display


def _rank_by_build(entries: list[Entry], keys: list[str], unique: dict[str, Entry], findings: dict[str, Findings],
                   config: ExtractConfig) -> list[Extraction]:
    """Ranking with the background table off: idf from the build's own document frequencies, so
    every text's weights depend on the whole build and nothing is cached."""
    background = Background()
    df: Counter = Counter()
    surfaces: dict[str, dict] = {}
    zh_surfaces: dict[str, dict] = {}
    topic_keys: dict[str, list[str]] = {}
    for key in sorted(unique):
        text = topic_forms(findings[key], "", background)
        df.update(text.keys)
        printed = zh_surfaces if text.zh else surfaces
        for topic, label in zip(text.keys, text.labels):
            counts = printed.setdefault(topic, {})
            counts[label] = counts.get(label, 0) + 1
        topic_keys[key] = text.keys
    display = _display(zh_surfaces, surfaces)
    n_docs = sum(1 for key in unique if findings[key].candidates)
    finished = _finish_all(unique, findings, df, n_docs, config, display, background, topic_keys, {}, None)
    return [finished[key] for key in keys]


def rank_key(entry: Entry, findings_digest: str, config: ExtractConfig, display: dict[str, str],
             topic_keys: list[str]) -> str:
    """A digest of everything `_finish` reads of one text when topic weights come from the background
    table alone (the code and tables are the cache's fingerprint): its findings, the entry's title,
    links and Chinese text, the topics kept, and the build's printed form of each of its topics.
    The topic keys themselves follow from the findings, so their forms are listed in their order."""
    data = [findings_digest, entry.title, entry.urls, _chinese_text(entry), config.max_topics,
            [display[key] for key in topic_keys]]
    return hashlib.sha1(json.dumps(data, ensure_ascii=False).encode("utf-8")).hexdigest()


def _finish_all(
    unique: dict[str, Entry], findings: dict[str, Findings], df: Counter, n_docs: int, config: ExtractConfig,
    display: dict[str, str], background: Background | None, topic_keys: dict[str, list[str]],
    digests: dict[str, str], cache, more_findings=None,
) -> dict[str, Extraction]:
    """`_finish` of each text, served from `cache` where the text's rank key is stored (only given
    when weights come from the background alone); what had to be ranked is stored. The findings
    of a text ranked afresh that `findings` lacks come from `more_findings(keys)`; `background`
    None is the shipped table."""

    def finish(key: str, entry: Entry, raw: Findings) -> Extraction:
        return _finish(entry, raw.copy(), df, n_docs, config, display, background or load_background())

    if cache is None:
        return {key: finish(key, entry, findings[key]) for key, entry in unique.items()}
    ranks = {
        key: rank_key(entry, digests[key], config, display, topic_keys[key])
        for key, entry in unique.items()
    }
    stored = cache.get_ranked(ranks.values())
    wanted = [key for key in unique if ranks[key] not in stored and key not in findings]
    more = more_findings(wanted) if wanted else {}
    finished, fresh = {}, {}
    for key, entry in unique.items():
        extraction = stored.get(ranks[key])
        if extraction is None:
            extraction = fresh[ranks[key]] = finish(key, entry, findings.get(key) or more[key])
        finished[key] = extraction
    if fresh:
        cache.put_ranked(fresh)
    return finished


def extract_entries(
    entries: Iterable[Entry],
    config: ExtractConfig = ExtractConfig(),
    nlp=None,
    progress: Callable[[int], None] | None = None,
    cache=None,
    engine=None,
) -> list[Extraction]:
    """Extract topics, methods, datasets and code links from every entry, in the order given.

    Identical texts are processed once, and texts found in `cache` (kg.extract.cache.FindingsCache)
    not at all; with the background table on, a text whose ranking inputs are unchanged is not
    re-ranked either (rank_key). Topic scores use the document frequency of each label in the
    shipped background table (``config.background``; else over the entries given), so a word found
    in most abstracts ranks low. Chinese-only entries get English topics through the glossary.
    """
    entries = list(entries)
    keys = [entry_text_key(entry) for entry in entries]
    unique: dict[str, Entry] = {}
    for key, entry in zip(keys, entries, strict=True):
        unique.setdefault(key, entry)
    # reading the cache and ranking make hundreds of thousands of small acyclic objects: the cyclic
    # collector, which would walk them again and again, is paused meanwhile (not for spaCy)
    with paused_gc():
        # a text whose topic forms are cached needs its findings only if it must be ranked afresh
        forms = cache.get_forms(unique) if cache is not None and config.background else {}
        needed = [key for key in unique if key not in forms]
        findings = cache.get_many(needed) if cache is not None else {}
    missing = {key: unique[key] for key in needed if key not in findings}
    if progress and len(unique) > len(missing):
        progress(len(unique) - len(missing))
    if missing:
        found = find_entries(missing, config, nlp, progress, engine)
        if cache is not None:
            cache.put_many(found)
        findings.update(found)

    def more_findings(wanted: list[str]) -> dict[str, Findings]:
        """The findings of texts served by their forms, to rank them afresh: read from the cache
        (a cache that lost them, edited by hand, has them found again)."""
        out = cache.get_many(wanted, count=False)
        lost = {key: unique[key] for key in wanted if key not in out}
        if lost:
            found = find_entries(lost, config, nlp, None, engine)
            cache.put_many(found)
            out.update(found)
        return out

    with paused_gc():
        return _rank(entries, keys, findings, forms, config, cache, more_findings)
