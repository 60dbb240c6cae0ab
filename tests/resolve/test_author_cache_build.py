"""The author block cache inside a build (kg.build.prepare): a full build fills it, an update clusters
only the name blocks that changed and resolves the authors a full build resolves, and a cache of
another resolver (a stale fingerprint) is not used.

Inputs: the digest excerpt of test_authors.py cut in two files, its paper 3 (G Hu's third paper,
which adds six names of two mentions) in the second, added by the update."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest

import kg.build.prepare as prepare
import kg.resolve.authors as authors
from kg.build import BuildConfig, BuildDir
from kg.resolve.author_cache import resolver_fingerprint
from tests.conftest import prepare_in

EXCERPT = Path(__file__).resolve().parent.parent / "data" / "authors" / "digest_excerpt.txt"

pytestmark = pytest.mark.slow  # spaCy over the seeds


def _inputs(folder: Path, with_paper_3: bool) -> None:
    """seeds/a.txt: the excerpt without its paper 3; seeds/b.txt: the header and paper 3, or absent."""
    header, *entries = re.split(r"\n(?=\d+、)", EXCERPT.read_text(encoding="utf-8"))
    (folder / "seeds").mkdir(exist_ok=True)
    (folder / "seeds" / "a.txt").write_text("\n".join([header, *entries[:2], *entries[3:]]), encoding="utf-8")
    if with_paper_3:
        (folder / "seeds" / "b.txt").write_text("\n".join([header, entries[2]]), encoding="utf-8")


def _prepare(folder: Path, config: BuildConfig):
    return prepare_in(folder, config)


def _clustered(monkeypatch) -> list[int]:
    """The sizes of the blocks clustered from now on."""
    sizes: list[int] = []
    cluster = authors._cluster_block

    def counted(ev, members, *args, **kwargs):
        sizes.append(len(members))
        return cluster(ev, members, *args, **kwargs)

    monkeypatch.setattr(authors, "_cluster_block", counted)
    return sizes


def _rows(folder: Path) -> dict[str, int]:
    db = sqlite3.connect(BuildDir(folder / "out").cache)
    try:
        return {table: db.execute(f"SELECT COUNT(*) FROM {table} WHERE fingerprint = ?",
                                  (resolver_fingerprint(),)).fetchone()[0]
                for table in ("author_blocks", "author_vectors")}
    finally:
        db.close()


def test_an_update_clusters_only_the_changed_blocks_and_resolves_as_a_full_build(tmp_path, monkeypatch):
    _inputs(tmp_path, with_paper_3=False)
    clustered = _clustered(monkeypatch)
    full = _prepare(tmp_path, BuildConfig())
    # blocks of two mentions or more: G Hu (1, 2), Y Wang (4, 5), A Aizawa (6-8), S Sugawara (6, 7)
    assert sorted(clustered) == [2, 2, 2, 3]
    assert _rows(tmp_path) == {"author_blocks": 4, "author_vectors": 7}

    clustered.clear()
    same = _prepare(tmp_path, BuildConfig(update=True))
    assert clustered == [] and same.corpus == full.corpus  # nothing new: every block reused

    _inputs(tmp_path, with_paper_3=True)
    added = _prepare(tmp_path, BuildConfig(update=True))
    # G Hu's block and the six new ones; Y Wang's, A Aizawa's and S Sugawara's are reused
    assert sorted(clustered) == [2, 2, 2, 2, 2, 2, 3]
    clustered.clear()
    fresh = _prepare(tmp_path, BuildConfig())
    assert added.corpus == fresh.corpus and len(clustered) == 10
    # the full build pruned G Hu's block of two mentions
    assert _rows(tmp_path) == {"author_blocks": 10, "author_vectors": 8}


def test_a_stale_cache_is_not_used(tmp_path, monkeypatch):
    _inputs(tmp_path, with_paper_3=True)
    full = _prepare(tmp_path, BuildConfig())
    # rows made wrong on purpose: read, they would split every author of several mentions
    db = sqlite3.connect(BuildDir(tmp_path / "out").cache)
    with db:
        db.execute("UPDATE author_blocks SET data = '[]'")
    db.close()
    monkeypatch.setattr(prepare, "resolver_fingerprint", lambda: "another-resolver")
    clustered = _clustered(monkeypatch)
    update = _prepare(tmp_path, BuildConfig(update=True))
    assert len(clustered) == 10 and update.corpus == full.corpus
