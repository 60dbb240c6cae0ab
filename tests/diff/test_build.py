"""A build into a folder holding a previous build writes changes.json and changes.html (issue 25's
measure: a one-digest update lists exactly that digest's new papers); a first build writes neither."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from kg.build import BuildConfig
from kg.diff import changes_text, compute_changes
from kg.ingest import read_file
from tests.conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS, build_in

pytestmark = pytest.mark.slow  # five builds of the seeds (each text through spaCy once: --update)

UPDATE = BuildConfig(targets=(), pages=False, update=True)
# the seed digest's five papers, by their arXiv ids: none is in the two feeds
DIGEST_PAPERS = ["arxiv:2104.08696", "arxiv:2109.14124", "arxiv:2204.03609", "arxiv:2204.06340", "arxiv:2209.00616"]


def _build(work: Path, config: BuildConfig = UPDATE):
    return build_in(work, config)


def _ids(papers_jsonl: Path) -> set[str]:
    return {json.loads(line)["id"] for line in papers_jsonl.read_text(encoding="utf-8").splitlines()}


def test_each_build_over_a_previous_one_lists_what_it_added(tmp_path):
    work = tmp_path / "work"
    (work / "seeds").mkdir(parents=True)
    out = work / "out"
    shutil.copy(SEEDS / SEED_FEED_1, work / "seeds")
    first = _build(work)
    assert not (out / "changes.json").exists() and not (out / "changes.html").exists()  # no previous build
    assert not any(Path(p).name.startswith("changes.") for p in first.written)

    # a second feed: its papers not already in the graph (one of its ten texts repeats the first feed's)
    before = _ids(out / "papers.jsonl")
    shutil.copy(SEEDS / SEED_FEED_2, work / "seeds")
    second = _build(work)
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    from_feed = {p.id for p in second.corpus.papers if any(s.file == f"seeds/{SEED_FEED_2}" for s in p.sources)}
    assert [p["id"] for p in changes["papers"]["added"]] == sorted(from_feed - before)
    assert len(from_feed) == 10 and len(from_feed - before) == 9
    assert changes["papers"]["removed"] == [] and changes["sources"]["added"] == [
        {"file": f"seeds/{SEED_FEED_2}", "papers": 10}]
    assert second.written[-2:] == ("out/changes.json", "out/changes.html")  # as the build was given its folder

    # the measure: a one-digest update lists exactly that digest's new papers, read from its entries
    shutil.copytree(out, tmp_path / "previous", ignore=shutil.ignore_patterns(".kg"))
    shutil.copy(SEEDS / SEED_DIGEST, work / "seeds")
    _build(work, BuildConfig(targets=(), update=True))  # with the maps, which the page links
    changes = json.loads((out / "changes.json").read_text(encoding="utf-8"))
    entries = read_file(str(SEEDS / SEED_DIGEST)).entries
    expected = {f"arxiv:{e.arxiv_id}" for e in entries} - _ids(tmp_path / "previous" / "papers.jsonl")
    assert [p["id"] for p in changes["papers"]["added"]] == sorted(expected) == DIGEST_PAPERS
    assert [p["sources"] for p in changes["papers"]["added"]] == [
        [{"file": f"seeds/{SEED_DIGEST}", "line": line}] for line in (14, 24, 34, 44, 4)]
    assert changes["summary"]["papers"] == {"added": 5, "removed": 0, "reidentified": 0}
    assert changes["old"]["papers"] == 19 and changes["new"]["papers"] == 24
    # what the build wrote is what kg diff gives for the two folders
    assert (out / "changes.json").read_text(encoding="utf-8") == changes_text(compute_changes(tmp_path / "previous", out))
    html = (out / "changes.html").read_text(encoding="utf-8")
    assert all(f'href="{view}.html"' in html for view in ("collaboration", "institutions", "topics"))
    assert "Knowledge Neurons in Pretrained Transformers" in html

    # the same inputs again: nothing changed
    _build(work)
    assert json.loads((out / "changes.json").read_text(encoding="utf-8"))["changed"] is False

    # a folder whose previous build cannot be read: no changes files, and none left from before
    (out / "papers.jsonl").unlink()
    _build(work)
    assert not (out / "changes.json").exists() and not (out / "changes.html").exists()
