"""The affiliation matcher's index kept in the build's SQLite file (kg.resolve.ror_index)."""

import sqlite3

import pytest

from kg.knowledge.institutions import load_lexicon
from kg.knowledge.ror_match import _INDEX_FIELDS, AffiliationMatcher
from kg.resolve.ror_index import RorIndexCache, kept_matcher_index

PRINTED = ["Unitary", "Dept of CS, Tsinghua Univ, Beijing", "Instutute of Physics, Zagreb", "清华大学计算机系"]


def _answers(matcher: AffiliationMatcher) -> list:
    return [matcher.match(p) for p in PRINTED]


class _Kept(dict):
    """An index_cache in memory."""

    def put(self, key, tables):
        self[key] = tables


@pytest.fixture(scope="module")
def made():
    """A matcher of the shipped lexicon with an index made afresh (once: ~2 s), and its tables."""
    matcher = AffiliationMatcher(load_lexicon(), load_lexicon().affiliations.learned)
    matcher.index_cache = _Kept()
    matcher._build()
    (tables,) = matcher.index_cache.values()
    return matcher, tables


def _made_counted(monkeypatch, tables) -> list:
    """_make_index answers `tables` (made once already) and counts its calls."""
    calls = []
    monkeypatch.setattr(AffiliationMatcher, "_make_index", lambda self: calls.append(1) or tables)
    return calls


def test_a_kept_index_is_the_made_one_and_is_read_back(tmp_path, made, monkeypatch):
    matcher, tables = made
    assert set(tables) == set(_INDEX_FIELDS) and len(tables["_keys"]) == len(tables["_loose"]) > 100_000
    path = tmp_path / "extract.sqlite"
    calls = _made_counted(monkeypatch, tables)
    first = AffiliationMatcher(load_lexicon(), matcher.learned)
    with RorIndexCache(path) as cache:
        first.index_cache = cache
        first._build()
    assert calls == [1] and {f: getattr(first, f) for f in _INDEX_FIELDS} == tables
    # a second run reads the kept tables (marshalled): it never makes them
    second = AffiliationMatcher(load_lexicon(), matcher.learned)
    with RorIndexCache(path) as cache:
        second.index_cache = cache
        second._build()
    assert calls == [1] and {f: getattr(second, f) for f in _INDEX_FIELDS} == tables
    assert _answers(second) == _answers(matcher)
    assert [a.ror_id if a else None for a in _answers(second)][1] == "03cve4549"  # Tsinghua University


def test_another_key_or_a_damaged_row_is_made_again_and_replaced(tmp_path, made, monkeypatch):
    matcher, tables = made
    calls = _made_counted(monkeypatch, tables)
    path = tmp_path / "extract.sqlite"
    key = matcher.index_key()
    with RorIndexCache(path) as cache:
        cache.put("0123456789abcdef", {"_loose": {}})  # an older code's index
        fresh = AffiliationMatcher(load_lexicon(), matcher.learned)
        fresh.index_cache = cache
        fresh._build()
        assert calls == [1] and fresh._keys == tables["_keys"]
        assert cache.get("0123456789abcdef") is None and cache.get(key) == tables  # one row: this key's
    with sqlite3.connect(path) as db:
        db.execute("UPDATE ror_index SET data = ?", (b"\x00garbage",))
    with RorIndexCache(path) as cache:
        assert cache.get(key) is None
        again = AffiliationMatcher(load_lexicon(), matcher.learned)
        again.index_cache = cache
        again._build()
        assert calls == [1, 1] and again._idf == tables["_idf"] and cache.get(key) == tables


def test_the_key_follows_the_lexicon_files_and_a_lexicon_of_no_files_keeps_nothing(tmp_path, made):
    matcher, _ = made
    lexicon = load_lexicon()
    assert len(matcher.index_key()) == 16 and matcher.index_key() == AffiliationMatcher(lexicon).index_key()
    aliases = tmp_path / "aliases.tsv"
    aliases.write_bytes(lexicon.source_files[0].read_bytes() + b"\n")
    other = load_lexicon(aliases_path=aliases)
    assert AffiliationMatcher(other).index_key() not in (None, matcher.index_key())
    bare = type(lexicon)({}, {}, {}, {})
    assert AffiliationMatcher(bare).index_key() is None


def test_kept_matcher_index_gives_the_build_s_matcher_its_cache_and_takes_it_back(tmp_path):
    lexicon = load_lexicon()
    with kept_matcher_index(tmp_path / "extract.sqlite") as cache:
        assert lexicon.affiliations.index_cache is cache
    assert lexicon.matcher_index_cache is None and lexicon.affiliations.index_cache is None
