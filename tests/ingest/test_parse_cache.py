"""The parse cache (kg.ingest.cache): an unchanged file is served as it was read, without parsing;
changed bytes, limits or format parse again; nothing is created before `save`; the fingerprint
covers the code and tables reading uses."""

from __future__ import annotations

import shutil

import kg.ingest as ingest
from kg.ingest import Limits, read_inputs
from kg.ingest.cache import _DATA_FILES, _SHARED_CODE, ParseCache, reader_fingerprint

from ..conftest import ROOT, SEED_DIGEST, SEED_FEED_1, SEEDS, uncovered_kg_modules

FORMATS = ROOT / "tests" / "data" / "formats"


def _inputs(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in (SEED_DIGEST, SEED_FEED_1):
        shutil.copy(SEEDS / name, folder / name)
    shutil.copy(FORMATS / "references.bib", folder / "references.bib")
    (folder / "notes.txt").write_text("Nothing here is a paper.\n", encoding="utf-8")  # a problem, cached too
    return folder


def _counting(monkeypatch) -> list[str]:
    """The files parsed from now on (kg.ingest._read_data is everything past reading the bytes)."""
    parsed: list[str] = []
    original = ingest._read_data

    def counted(data, path, reader, limits):
        parsed.append(path.rsplit("/", 1)[-1])
        return original(data, path, reader, limits)

    monkeypatch.setattr(ingest, "_read_data", counted)
    return parsed


def _read(folder, db, read=True, limits=Limits(), format=None):
    with ParseCache(db, reader_fingerprint(format, limits), read=read) as cache:
        result = read_inputs([str(folder)], format, limits, cache=cache)
        cache.save()
    return result, (cache.hits, cache.misses)


def test_unchanged_files_are_served_without_parsing_and_read_the_same(tmp_path, monkeypatch):
    folder, db = _inputs(tmp_path), tmp_path / "out" / "cache.sqlite"
    plain = read_inputs([str(folder)])
    assert _read(folder, db, read=False) == (plain, (0, 4))  # a full build looks nothing up
    parsed = _counting(monkeypatch)
    assert _read(folder, db) == (plain, (4, 0))
    assert parsed == []


def test_changed_bytes_are_parsed_again(tmp_path, monkeypatch):
    folder, db = _inputs(tmp_path), tmp_path / "cache.sqlite"
    _read(folder, db, read=False)
    feed = folder / SEED_FEED_1
    feed.write_bytes(feed.read_bytes().replace(b"Transformer", b"Transformers", 1))
    parsed = _counting(monkeypatch)
    result, counts = _read(folder, db)
    assert parsed == [SEED_FEED_1] and counts == (3, 1)
    assert result == read_inputs([str(folder)])
    assert _read(folder, db)[1] == (4, 0)  # the update saved the new parse


def test_other_limits_or_format_miss(tmp_path):
    folder, db = _inputs(tmp_path), tmp_path / "cache.sqlite"
    _read(folder, db, read=False)
    tight = Limits(max_entry_chars=200)  # rejects entries the default kept
    assert _read(folder, db, limits=tight) == (read_inputs([str(folder)], limits=tight), (0, 4))
    assert _read(folder, db, format="feed")[1] == (0, 4)


def test_nothing_is_created_before_save_and_a_full_build_drops_files_gone(tmp_path):
    folder, db = _inputs(tmp_path), tmp_path / "out" / ".kg" / "cache.sqlite"
    with ParseCache(db, "fp") as cache:
        read_inputs([str(folder)], cache=cache)
    assert not db.parent.exists()  # a build that finds nothing must leave no folder behind
    _read(folder, db, read=False)
    (folder / "notes.txt").unlink()
    _read(folder, db, read=False)
    import sqlite3

    with sqlite3.connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM parsed").fetchone() == (3,)


def test_a_cache_file_without_the_table_is_no_error(tmp_path):
    import sqlite3

    folder, db = _inputs(tmp_path), tmp_path / "cache.sqlite"
    sqlite3.connect(db).close()  # an older build's cache: findings only
    assert _read(folder, db)[1] == (0, 4)
    assert _read(folder, db)[1] == (4, 0)


# kg modules loaded with reading that change no ReadResult
_INERT = {"kg", "kg.errors", "kg.util", "kg.util.lazy", "kg.knowledge"}


def test_the_fingerprint_covers_every_kg_module_reading_imports():
    script = (
        "from kg.ingest import read_inputs, reader_names, get_reader\n"
        f"read_inputs([{str(SEEDS)!r}, {str(FORMATS)!r}])\n"
        "for name in reader_names(): get_reader(name)\n"
    )
    assert uncovered_kg_modules(script, "kg.ingest", _SHARED_CODE, _INERT) == []


def test_the_fingerprint_covers_the_tables_institution_names_are_split_with():
    from kg.knowledge import institutions

    named = {value for attr, value in vars(institutions).items() if attr.endswith("_FILE") and isinstance(value, str)}
    assert named and named <= set(_DATA_FILES)
