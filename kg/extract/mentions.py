"""Turn entries into Extraction records: run the pipeline, then rank topics with corpus frequencies."""

from __future__ import annotations

import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable, Iterable
from urllib.parse import urlsplit

from ..model import Entry, Extraction, Method
from .clean import clean_text
from .components import METHOD_HEADS, dataset_gazetteer, is_name_shaped, singular, singular_short_form
from .pipeline import ExtractConfig, load_pipeline

__all__ = ["extract_entries", "code_urls", "repository_of", "latin_names", "entry_text_key"]

_CODE_HOSTS = ("github.com", "gitlab.com", "bitbucket.org", "codeberg.org", "gitee.com", "sourceforge.net")
_PAGES_HOSTS = (".github.io", ".gitlab.io")
_LENGTH_BONUS = {1: 1.0, 2: 1.6, 3: 1.8}


def code_urls(urls: Iterable[str]) -> list[str]:
    """Code links among `urls`, in order, unique: repositories (and user or organisation pages) on
    code hosts, and GitHub/GitLab Pages sites, which publish a project from its repository.

    The path is kept as printed (a link into a repository says where the code is); the scheme
    becomes https, the host loses "www." and case, a trailing "/" or ".git" is dropped.

    >>> code_urls(["http://www.github.com/junjie18/CMT.git", "https://muse-model.github.io/", "https://aka.ms/x"])
    ['https://github.com/junjie18/CMT', 'https://muse-model.github.io']
    """
    out: list[str] = []
    for url in urls:
        parts = urlsplit(url)
        host = parts.netloc.lower().removeprefix("www.")
        path = parts.path.rstrip("/").removesuffix(".git").rstrip("/")
        if host in _CODE_HOSTS:
            if not [s for s in path.split("/") if s]:
                continue  # the host's home page
        elif not host.endswith(_PAGES_HOSTS):
            continue
        query = f"?{parts.query}" if parts.query else ""
        link = f"https://{host}{path}{query}"
        if link not in out:
            out.append(link)
    return out


def repository_of(url: str) -> str | None:
    """The repository root of a code-host link ("…/amzn/pecos/tree/main/x" → "…/amzn/pecos"), else None."""
    parts = urlsplit(url)
    segments = [s for s in parts.path.split("/") if s]
    if parts.netloc in _CODE_HOSTS and len(segments) >= 2:
        return f"https://{parts.netloc}/{segments[0]}/{segments[1]}"
    return None


def entry_text_key(entry: Entry) -> str:
    """A digest of the text extraction reads, so identical texts are processed once."""
    data = "\x1f".join([entry.title or "", entry.abstract or "", entry.lang, "\x1e".join(entry.urls)])
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
    for match in _LATIN_RE.finditer(text):
        word = match.group(0).rstrip(".")
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


@dataclass
class _Raw:
    """Per-text findings before corpus-level ranking."""

    candidates: dict = field(default_factory=dict)  # label -> [count, first offset, n_words, in_title]
    acronyms: list = field(default_factory=list)
    named: list = field(default_factory=list)
    datasets: list = field(default_factory=list)
    zh: bool = False


def _english_text(entry: Entry) -> tuple[str, int]:
    title = clean_text(entry.title) if entry.title else ""
    body = clean_text(entry.abstract) if entry.abstract and entry.lang == "en" else ""
    if title and body:
        return f"{title}.\n{body}", len(title)
    return title or body, len(title)


def _raw_from_doc(doc, title_len: int) -> _Raw:
    raw = _Raw()
    for label, offset, n_words in doc._.kg_candidates:
        stats = raw.candidates.get(label)
        if stats is None:
            raw.candidates[label] = [1, offset, n_words, offset < title_len]
        else:
            stats[0] += 1
            stats[3] = stats[3] or offset < title_len
    raw.acronyms = list(doc._.kg_acronyms)
    raw.named = list(doc._.kg_named)
    raw.datasets = list(doc._.kg_datasets)
    return raw


def _is_method(short: str, long: str, proposed: bool) -> bool:
    head = long.split()[-1].lower().rstrip(")")
    return proposed or head in METHOD_HEADS or any(c.islower() for c in short[1:]) and any(c.isupper() for c in short)


def _finish(entry: Entry, raw: _Raw, df: Counter, n_docs: int, config: ExtractConfig) -> Extraction:
    code = tuple(code_urls(entry.urls))
    if raw.zh:
        methods, datasets = latin_names(" ".join(filter(None, [entry.title, entry.abstract])))
        return Extraction(topics=(), methods=tuple(Method(m) for m in methods), datasets=tuple(datasets), code=code)
    datasets = list(raw.datasets)
    dataset_keys = {d.lower() for d in datasets}
    methods: list[Method] = []
    method_keys: set[str] = set()
    alias: dict[str, str] = {}  # short-form label -> long-form label, so "CMT" counts for its topic
    for short, long, proposed in raw.acronyms:
        name = singular_short_form(short)
        words = long.lower().split()
        long_label = " ".join(words[:-1] + [singular(words[-1])])
        alias[short.lower()] = long_label
        alias[name.lower()] = long_label
        if name.lower() in dataset_keys or short.lower() in dataset_keys:
            continue
        if _is_method(short, long, proposed) and name.lower() not in method_keys:
            methods.append(Method(name, long))
            method_keys.add(name.lower())
    for name in raw.named:
        key = singular_short_form(name).lower()
        if key not in method_keys and key not in dataset_keys:
            methods.append(Method(singular_short_form(name)))
            method_keys.add(key)
    # rank topics
    merged: dict[str, list] = {}
    for label, (count, offset, n_words, in_title) in raw.candidates.items():
        label = alias.get(label, label)
        stats = merged.get(label)
        if stats is None:
            merged[label] = [count, offset, len(label.split()), in_title]
        else:
            stats[0] += count
            stats[1] = min(stats[1], offset)
            stats[3] = stats[3] or in_title
    scored = []
    for label, (count, offset, n_words, in_title) in merged.items():
        if label in method_keys:
            continue  # a bare method name is a method node, not a topic
        idf = math.log((n_docs + 1) / (df.get(label, 0) + 1)) + 1.0
        score = (1.0 + math.log(count)) * (1.0 + 1.0 / (1.0 + offset / 60.0)) * idf
        score *= _LENGTH_BONUS.get(n_words, 1.6) * (1.5 if in_title else 1.0)
        scored.append((round(score, 4), label))
    scored.sort(key=lambda item: (-item[0], item[1]))
    topics = tuple((label, score) for score, label in scored[: config.max_topics])
    return Extraction(topics=topics, methods=tuple(methods), datasets=tuple(datasets), code=code)


def extract_entries(
    entries: Iterable[Entry],
    config: ExtractConfig = ExtractConfig(),
    nlp=None,
    progress: Callable[[int], None] | None = None,
) -> list[Extraction]:
    """Extract topics, methods, datasets and code links from every entry, in the order given.

    Identical texts are processed once. Topic scores use the document frequency of each label over
    the entries given, so a word found in most abstracts ranks low.
    """
    entries = list(entries)
    keys = [entry_text_key(e) for e in entries]
    unique: dict[str, Entry] = {}
    for key, entry in zip(keys, entries):
        unique.setdefault(key, entry)
    raws: dict[str, _Raw] = {}
    english: list[tuple[str, tuple[str, int]]] = []
    for key, entry in unique.items():
        text, title_len = _english_text(entry)
        if text:
            english.append((text, (key, title_len)))
        else:
            raws[key] = _Raw(zh=True)
    if english:
        nlp = nlp or load_pipeline(config.model)
        for doc, (key, title_len) in nlp.pipe(
            english, as_tuples=True, batch_size=config.batch_size, n_process=config.n_process
        ):
            raws[key] = _raw_from_doc(doc, title_len)
            if progress:
                progress(1)
    df: Counter = Counter()
    for raw in raws.values():
        df.update(raw.candidates.keys())
    n_docs = max(1, sum(1 for r in raws.values() if not r.zh))
    finished = {key: _finish(unique[key], raw, df, n_docs, config) for key, raw in raws.items()}
    return [finished[key] for key in keys]
