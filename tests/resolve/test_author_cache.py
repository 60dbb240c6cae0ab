"""The author block cache (kg/resolve/author_cache.py): an update reuses the clusters of the name
blocks whose inputs did not change, and gives exactly what resolving everything afresh gives.

Mentions are those of the digest excerpt of test_authors.py (eight papers: G Hu on 1-3, two Y Wangs
on 4-5, A Aizawa on 6-8), resolved as `kg build` resolves them."""

from __future__ import annotations

import ast
import dataclasses
import shutil
import sqlite3
from pathlib import Path

import pytest

from kg.resolve import author_cache
from kg.resolve.author_cache import _CODE, _DATA_FILES, AuthorBlockCache, block_digest, resolver_fingerprint
from kg.resolve.authors import WEIGHTS, AuthorEvidence, AuthorMention, _topic_vectors, resolve_authors, weights_from
from kg.resolve.word_df import WORD_DF_FILE, WordDF, load_word_df

from .test_authors import CLOZE, excerpt_mentions

KG = Path(author_cache.__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def mentions():
    return excerpt_mentions()


def _resolved(mentions, cache=None):
    assignment, authors = resolve_authors(mentions, cache=cache)
    return assignment, authors


def test_a_paper_added_reuses_the_unchanged_blocks_and_gives_a_fresh_resolution(mentions, tmp_path):
    before = [m for m in mentions if m.paper_id != CLOZE]  # paper 3 comes with the update
    with AuthorBlockCache(tmp_path / "cache.sqlite", "f1", read=False) as cache:
        first = _resolved(before, cache)
        # blocks of two mentions or more: G Hu (1, 2), Y Wang (4, 5), A Aizawa (6-8), S Sugawara (6, 7)
        assert (cache.hits, cache.misses) == (0, 4)
        cache.prune()
    assert first == _resolved(before)
    with AuthorBlockCache(tmp_path / "cache.sqlite", "f1", read=True) as cache:
        update = _resolved(mentions, cache)
        # paper 3 changes G Hu's block and makes six new ones (W Ma, Y Cui, T Liu, S Wang, W Che, Z Chen)
        assert (cache.hits, cache.misses) == (3, 7)
        assert (cache.vector_hits, cache.vector_misses) == (7, 1)  # only paper 3's topic vector is computed
    fresh = _resolved(mentions)
    assert update == fresh
    hu = next(a for a in fresh[1] if (CLOZE, 7) in a.mentions)
    assert len(hu.mentions) == 3 and len(hu.evidence) == 2  # the evidence lines come back too
    # a second update with nothing new clusters nothing; the stored vectors are the computed ones, bit for bit
    with AuthorBlockCache(tmp_path / "cache.sqlite", "f1", read=True) as cache:
        assert _resolved(mentions, cache) == fresh
        assert (cache.hits, cache.misses, cache.vector_hits, cache.vector_misses) == (10, 0, 8, 0)
        assert AuthorEvidence(mentions, cache).vectors == AuthorEvidence(mentions).vectors


def test_a_statistic_outside_the_block_changes_its_digest(mentions, tmp_path):
    # A Aizawa's papers 6 and 7 share co-author S Sugawara: a new paper of S Sugawara changes how
    # common that name is, which their pair score reads, though the block has no new mention
    newcomer = AuthorMention("title:new", 0, "S Sugawara", ("K Inui",), (), category="cs.CL", text="Reading comprehension")
    other = AuthorMention("title:new", 1, "K Inui", ("S Sugawara",), (), category="cs.CL", text="Reading comprehension")
    grown = [*mentions, newcomer, other]
    old, new = AuthorEvidence(mentions), AuthorEvidence(grown)
    aizawa_old = [i for i, b in enumerate(old.blocks) if b == ("aizawa", "a")]
    aizawa_new = [i for i, b in enumerate(new.blocks) if b == ("aizawa", "a")]
    assert [mentions[i] for i in aizawa_old] == [grown[i] for i in aizawa_new]
    assert block_digest(old, aizawa_old, WEIGHTS) != block_digest(new, aizawa_new, WEIGHTS)
    # and a block no statistic of which moved keeps its digest: the two Y Wangs
    wang_old = [i for i, b in enumerate(old.blocks) if b == ("wang", "y")]
    wang_new = [i for i, b in enumerate(new.blocks) if b == ("wang", "y")]
    assert block_digest(old, wang_old, WEIGHTS) == block_digest(new, wang_new, WEIGHTS)
    # other weights, another digest
    assert block_digest(old, wang_old, weights_from({"threshold": 0.5})) != block_digest(old, wang_old, WEIGHTS)
    with AuthorBlockCache(tmp_path / "cache.sqlite", "f1", read=False) as cache:
        _resolved(mentions, cache)
    with AuthorBlockCache(tmp_path / "cache.sqlite", "f1", read=True) as cache:
        assert _resolved(grown, cache) == _resolved(grown)
        # S Sugawara's block gains a mention and A Aizawa's reads the new count: both clustered again
        assert (cache.hits, cache.misses) == (8, 2)


def test_a_cache_of_another_fingerprint_is_not_used_and_a_full_build_prunes_it(mentions, tmp_path):
    path = tmp_path / "cache.sqlite"
    with AuthorBlockCache(path, "old", read=False) as cache:
        _resolved(mentions, cache)
    # a stored row made wrong on purpose: were it read, G Hu's three mentions would be three authors
    db = sqlite3.connect(path)
    with db:
        rows = db.execute("SELECT key FROM author_blocks").fetchall()
        db.executemany("UPDATE author_blocks SET data = '[[[0],[]],[[1],[]],[[2],[]]]' WHERE key = ?", rows)
    db.close()
    with AuthorBlockCache(path, "new", read=True) as cache:
        assert _resolved(mentions, cache) == _resolved(mentions)
        assert (cache.hits, cache.misses) == (0, 10)
    with AuthorBlockCache(path, "new", read=False) as cache:  # a full build: looks nothing up, keeps its own rows
        _resolved(mentions, cache)
        assert (cache.hits, cache.prune()) == (0, 10 + 8)  # the old blocks and papers' vectors
    db = sqlite3.connect(path)
    assert db.execute("SELECT DISTINCT fingerprint FROM author_blocks").fetchall() == [("new",)]
    db.close()


def test_a_full_build_prunes_the_blocks_that_are_gone(mentions, tmp_path):
    path = tmp_path / "cache.sqlite"
    with AuthorBlockCache(path, "f1", read=False) as cache:
        _resolved(mentions, cache)
    with AuthorBlockCache(path, "f1", read=False) as cache:
        _resolved([m for m in mentions if m.paper_id != CLOZE], cache)
        assert cache.prune() == 7 + 1  # G Hu's old block, the six only paper 3 made, and paper 3's vector


def test_the_fingerprint_covers_every_kg_module_the_resolver_imports():
    """The transitive kg imports of kg/resolve/authors.py are in _CODE (but kg/model.py: rows hold no records)."""
    seen, todo = set(), ["resolve/authors.py"]
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        path = KG / name
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level:
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                target = base.joinpath(*node.module.split(".")) if node.module else base
                module = target.with_suffix(".py") if target.with_suffix(".py").exists() else target / "__init__.py"
                todo.append(module.relative_to(KG).as_posix())
    assert sorted(seen - {"model.py"}) == sorted(_CODE)
    assert _DATA_FILES == (WORD_DF_FILE.rsplit("/", 1)[-1],)


def test_the_fingerprint_changes_with_the_code_and_the_table(tmp_path, monkeypatch):
    copy = tmp_path / "kg"
    for name in (*_CODE, *(f"data/{n}" for n in _DATA_FILES)):
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(KG / name, copy / name)
    monkeypatch.setattr(author_cache, "_KG", copy)
    assert resolver_fingerprint() == resolver_fingerprint()
    base = resolver_fingerprint()
    with (copy / "resolve/authors.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    changed_code = resolver_fingerprint()
    (copy / "data" / _DATA_FILES[0]).write_bytes(b"")
    assert len({base, changed_code, resolver_fingerprint()}) == 3


def test_a_papers_topic_vector_does_not_depend_on_the_other_papers(mentions):
    papers = list({m.paper_id: m for m in mentions}.values())
    together = _topic_vectors(papers)
    for paper in papers:
        assert _topic_vectors([paper]) == {paper.paper_id: together[paper.paper_id]}


def test_topic_vectors_weigh_words_by_the_background_idf():
    background = WordDF(9, {"neural": 9, "network": 4, "parsing": 1})
    paper = AuthorMention("p", 0, "A B", (), (), text="Neural parsing parsing network zyzzyva",
                          topics=("dependency parsing",))
    vector = _topic_vectors([paper], background)["p"]
    # tf (1 + log count) × log((9 + 1) / (df + 1)); the label as rare as its rarest word ("dependency", unseen)
    raw = {"neural": 0.0, "parsing": (1 + 0.6931471805599453) * 1.6094379124341003, "network": 0.6931471805599453,
           "zyzzyva": 2.302585092994046, "topic:dependency parsing": 2.302585092994046}
    norm = sum(v * v for v in raw.values()) ** 0.5
    assert list(vector) == ["parsing", "zyzzyva", "topic:dependency parsing", "network", "neural"]
    assert vector == pytest.approx({w: v / norm for w, v in raw.items()}, rel=1e-12)
    assert (load_word_df().n_docs, len(load_word_df().df)) == (893, 11245)


def test_a_mention_whose_paper_text_changed_changes_its_blocks_digest(mentions):
    ev = AuthorEvidence(mentions)
    members = [i for i, b in enumerate(ev.blocks) if b == ("hu", "g")]
    before = block_digest(ev, members, WEIGHTS)
    edited = [dataclasses.replace(m, text=m.text + " Erratum.") if m.paper_id == CLOZE else m for m in mentions]
    after = AuthorEvidence(edited)
    assert after.vectors != ev.vectors and block_digest(after, members, WEIGHTS) != before
    retopiced = [dataclasses.replace(m, topics=("reading comprehension",)) if m.paper_id == CLOZE else m for m in mentions]
    assert block_digest(AuthorEvidence(retopiced), members, WEIGHTS) != before
