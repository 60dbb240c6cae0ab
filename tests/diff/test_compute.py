"""kg.diff.compute: what changed between two papers.jsonl, with exact values on the fixture corpus
(tests/fixtures/corpus.py) and changed versions of it."""

from __future__ import annotations

from dataclasses import replace

import pytest

from kg.diff import changes_text, compute_changes
from kg.errors import InputError
from kg.model import Authorship, Source

from ..fixtures.corpus import HOSTILE_INSTITUTION, HOSTILE_NAME, HOSTILE_TASK, HOSTILE_TITLE, HOSTILE_TOPIC, NOTES
from .builds import FSS, KN, NOTE, ODD, PAPERS, folder, papers

ZOE, ADAMS, DAI, DONG, HAO, WANG = ("author:zoe-o-brien-lukasz-u", "author:r-p-adams", "author:d-dai",
                                    "author:l-dong", "author:y-hao", "author:w-wang")
EMPTY = {"added": [], "removed": [], "grown": []}


def _paper(pid: str):
    return next(p for p in PAPERS if p.id == pid)


def test_a_new_source_file_lists_exactly_its_papers_and_what_they_bring(tmp_path):
    """The old build lacks the notes file (ODD's only source): exactly ODD is new, with its authors,
    their collaboration, institution, topics, entities and the file."""
    old = folder(tmp_path / "old", papers(KN, FSS, NOTE))
    new = folder(tmp_path / "new", papers(KN, FSS, NOTE, ODD))
    changes = compute_changes(old, new)
    assert changes["changed"] is True
    assert changes["old"] == {"papers": 3, "authors": 5, "institutions": 3, "topics": 5, "sources": 2,
                              "dates": {"first": None, "last": None}}
    assert changes["new"] == {"papers": 4, "authors": 7, "institutions": 4, "topics": 7, "sources": 3,
                              "dates": {"first": None, "last": None}}
    assert changes["papers"] == {"added": [{
        "id": ODD, "title": HOSTILE_TITLE, "arxiv_id": "2203.00003", "category": "cs.LG", "year": 2022, "date": None,
        "authors": [{"id": ZOE, "name": HOSTILE_NAME, "new": True}, {"id": ADAMS, "name": "R P. Adams", "new": True}],
        "institutions": [HOSTILE_INSTITUTION], "topics": ["reinforcement learning", HOSTILE_TOPIC], "code": [],
        "sources": [{"file": NOTES, "line": 5}]}], "removed": [], "reidentified": []}
    assert changes["authors"] == {"added": [{"id": ADAMS, "name": "R P. Adams", "papers": 1},
                                            {"id": ZOE, "name": HOSTILE_NAME, "papers": 1}],
                                  "removed": [], "grown": [], "reidentified": []}
    assert changes["collaborations"] == {**EMPTY, "added": [
        {"authors": [ADAMS, ZOE], "names": ["R P. Adams", HOSTILE_NAME], "papers": 1}]}
    assert changes["institutions"] == {**EMPTY, "added": [
        {"id": "institution:lab-o-beijing", "name": HOSTILE_INSTITUTION, "papers": 1}]}
    assert changes["topics"] == {**EMPTY, "added": [{"label": "reinforcement learning", "papers": 1},
                                                    {"label": HOSTILE_TOPIC, "papers": 1}]}
    assert changes["tasks"] == {**EMPTY, "added": [{"name": HOSTILE_TASK, "papers": 1}]}
    assert changes["methods"] == {**EMPTY, "added": [{"name": "A<B>", "papers": 1}]}
    assert changes["datasets"] == {**EMPTY, "added": [{"name": 'Data "set"\n2', "papers": 1}]}
    assert changes["metrics"] == {**EMPTY, "added": [{"name": "F1", "papers": 1}]}
    assert changes["sources"] == {**EMPTY, "added": [{"file": NOTES, "papers": 1}]}
    assert changes["summary"] == {
        "papers": {"added": 1, "removed": 0, "reidentified": 0},
        "authors": {"added": 2, "removed": 0, "grown": 0, "reidentified": 0},
        **{kind: {"added": 1, "removed": 0, "grown": 0} for kind in (
            "institutions", "tasks", "methods", "datasets", "metrics", "collaborations", "sources")},
        "topics": {"added": 2, "removed": 0, "grown": 0},
    }
    assert list(changes) == ["version", "changed", "old", "new", "summary", "papers", "authors", "institutions",
                             "topics", "tasks", "methods", "datasets", "metrics", "collaborations", "sources"]
    assert changes["version"] == 1


def test_removed_papers_take_what_only_they_had_and_shrink_the_rest(tmp_path):
    """FSS gone: its first author, the W Wang–D Dai pair, NAVER, its own topics and entities are
    removed; what KN shares with it (D Dai, Peking University, "transformer") only shrinks, which is
    not listed."""
    changes = compute_changes(folder(tmp_path / "old", papers(KN, FSS, NOTE, ODD)),
                              folder(tmp_path / "new", papers(KN, NOTE, ODD)))
    assert [p["id"] for p in changes["papers"]["removed"]] == [FSS]
    assert changes["papers"]["removed"][0]["authors"] == [{"id": WANG, "name": "W Wang"}, {"id": DAI, "name": "D Dai"}]
    assert changes["papers"]["added"] == []
    assert changes["authors"]["removed"] == [{"id": WANG, "name": "W Wang", "papers": 1}]
    assert changes["authors"]["added"] == changes["authors"]["grown"] == []
    assert changes["collaborations"] == {**EMPTY, "removed": [
        {"authors": [DAI, WANG], "names": ["Damai Dai", "W Wang"], "papers": 1}]}
    assert changes["institutions"]["removed"] == [{"id": "institution:naver-ai-lab", "name": "NAVER AI Lab", "papers": 1}]
    assert changes["topics"] == {**EMPTY, "removed": [{"label": "semantic segmentation", "papers": 1}]}
    assert [t["name"] for t in changes["tasks"]["removed"]] == ["few-shot semantic segmentation", "semantic segmentation"]
    assert changes["metrics"]["removed"] == [{"name": "mIoU", "papers": 1}]
    assert changes["sources"] == EMPTY  # the digest still gives KN


def test_known_authors_topics_and_pairs_with_new_papers_have_grown(tmp_path):
    """A new paper by D Dai and L Dong (who wrote KN together) on "transformer": both authors, the
    pair and the topic grow; Y Hao, a new co-author of D Dai's, makes new pairs."""
    again = replace(_paper(KN), id="arxiv:2301.00004", arxiv_id="2301.00004", title="Knowledge neurons again",
                    authorships=(Authorship(0, "D Dai", DAI), Authorship(1, "L Dong", DONG), Authorship(2, "M Li", "author:m-li")),
                    topics=(("transformer", 0.5),), sources=(Source("digest-2.txt", 1),))
    changes = compute_changes(folder(tmp_path / "old", papers(KN, FSS)), folder(tmp_path / "new", papers(KN, FSS, changed=[again])))
    assert [p["id"] for p in changes["papers"]["added"]] == ["arxiv:2301.00004"]
    assert [(a["name"], a["new"]) for a in changes["papers"]["added"][0]["authors"]] == [
        ("D Dai", False), ("L Dong", False), ("M Li", True)]
    assert changes["authors"]["grown"] == [{"id": DAI, "name": "Damai Dai", "papers": 3, "before": 2},
                                           {"id": DONG, "name": "L Dong", "papers": 2, "before": 1}]
    assert changes["collaborations"] == {
        "added": [{"authors": [DAI, "author:m-li"], "names": ["Damai Dai", "M Li"], "papers": 1},
                  {"authors": [DONG, "author:m-li"], "names": ["L Dong", "M Li"], "papers": 1}],
        "removed": [],
        "grown": [{"authors": [DAI, DONG], "names": ["Damai Dai", "L Dong"], "papers": 2, "before": 1}]}
    assert changes["topics"]["grown"] == [{"label": "transformer", "papers": 3, "before": 2}]
    assert changes["sources"]["added"] == [{"file": "digest-2.txt", "papers": 1}]


def test_a_paper_or_author_under_a_new_id_is_reidentified_not_added(tmp_path):
    """NOTE gets an arXiv id (same entry, so the same paper); L Dong's id changes (same place of the
    same byline, same surname); Y Hao's place goes to another surname: a new author, not him."""
    note = replace(_paper(NOTE), id="arxiv:2301.00009", arxiv_id="2301.00009")
    kn = replace(_paper(KN), authorships=(Authorship(0, "D Dai", DAI), Authorship(1, "Li Dong", "author:li-dong"),
                                          Authorship(2, "Y Zhao", "author:y-zhao")))
    changes = compute_changes(folder(tmp_path / "old", papers(KN, NOTE)),
                              folder(tmp_path / "new", papers(KN, changed=[kn, note])))
    assert changes["papers"] == {"added": [], "removed": [], "reidentified": [{"old_id": NOTE, "id": "arxiv:2301.00009"}]}
    assert changes["authors"]["reidentified"] == [{"old_id": DONG, "id": "author:li-dong", "name": "Li Dong"}]
    assert changes["authors"]["added"] == [{"id": "author:y-zhao", "name": "Y Zhao", "papers": 1}]
    assert changes["authors"]["removed"] == [{"id": HAO, "name": "Y Hao", "papers": 1}]
    # the pair D Dai–L Dong is the same under the new id; only Y Hao's pairs go and Y Zhao's come
    assert changes["collaborations"] == {
        "added": [{"authors": [DAI, "author:y-zhao"], "names": ["D Dai", "Y Zhao"], "papers": 1},
                  {"authors": ["author:li-dong", "author:y-zhao"], "names": ["Li Dong", "Y Zhao"], "papers": 1}],
        # a pair that is gone is named as the old build named its authors (a reidentified one: its new name)
        "removed": [{"authors": [DAI, HAO], "names": ["Damai Dai", "Y Hao"], "papers": 1},
                    {"authors": ["author:li-dong", HAO], "names": ["Li Dong", "Y Hao"], "papers": 1}],
        "grown": []}
    assert changes["summary"]["papers"] == {"added": 0, "removed": 0, "reidentified": 1}


def test_the_same_build_twice_changes_nothing_and_writes_the_same_bytes(tmp_path):
    one = folder(tmp_path / "one", papers(KN, FSS, NOTE, ODD))
    two = folder(tmp_path / "two", papers(KN, FSS, NOTE, ODD))
    changes = compute_changes(one, two)
    assert changes["changed"] is False
    assert all(n == 0 for counts in changes["summary"].values() for n in counts.values())
    assert changes["old"] == changes["new"]
    old = folder(tmp_path / "old", papers(KN, NOTE))
    assert changes_text(compute_changes(old, one)) == changes_text(compute_changes(old / "papers.jsonl", two))


def test_dates_come_from_the_records_when_they_have_them(tmp_path):
    old = folder(tmp_path / "old", papers(KN), **{KN: {"date": "2021-01-04"}})
    new = folder(tmp_path / "new", papers(KN, FSS), **{KN: {"date": "2021-01-04"}, FSS: {"date": "2022-02-01"}})
    changes = compute_changes(old, new)
    assert changes["old"]["dates"] == {"first": "2021-01-04", "last": "2021-01-04"}
    assert changes["new"]["dates"] == {"first": "2021-01-04", "last": "2022-02-01"}
    assert changes["papers"]["added"][0]["date"] == "2022-02-01"


def test_a_folder_without_a_papers_jsonl_or_with_another_file_is_an_input_error(tmp_path):
    good = folder(tmp_path / "good", papers(KN))
    with pytest.raises(InputError, match=r"nope/papers\.jsonl: no such file; is .*nope/ the folder of a kg build\?"):
        compute_changes(tmp_path / "nope", good)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "papers.jsonl").write_text('{"id": "a"}\n[1, 2]\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"bad/papers\.jsonl:2: not a papers\.jsonl record"):
        compute_changes(good, tmp_path / "bad")


def test_another_paper_on_the_line_of_a_gone_one_is_not_the_same_paper(tmp_path):
    """An edited digest: FSS's line now holds another title; FSS is removed and that paper added."""
    other = replace(_paper(FSS), id="arxiv:2301.00007", arxiv_id="2301.00007", title="Another paper")
    changes = compute_changes(folder(tmp_path / "old", papers(KN, FSS)), folder(tmp_path / "new", papers(KN, changed=[other])))
    assert changes["papers"]["reidentified"] == []
    assert [p["id"] for p in changes["papers"]["added"]] == ["arxiv:2301.00007"]
    assert [p["id"] for p in changes["papers"]["removed"]] == [FSS]


def test_build_changes_reads_an_unchanged_papers_jsonl_once_and_writes_what_two_reads_give(tmp_path, monkeypatch):
    """An update that changed no paper: the previous papers.jsonl and the staged one hold the same
    bytes, are read once, and the files written are those comparing two equal builds; a file that
    differs in one byte is read as well."""
    from kg.diff import compute as compute_module, output

    one = folder(tmp_path / "one", papers(KN, FSS, NOTE, ODD))
    two = folder(tmp_path / "two", papers(KN, FSS, NOTE, ODD))
    expected = changes_text(compute_changes(one, two))
    reads, real = [], compute_module.read_snapshot

    def counted(path):
        reads.append(path)
        return real(path)

    monkeypatch.setattr(output, "read_snapshot", counted)
    monkeypatch.setattr(compute_module, "read_snapshot", counted)
    written = output.build_changes(one / "papers.jsonl", two / "papers.jsonl", tmp_path / "out", maps=False)
    assert len(reads) == 1 and (tmp_path / "out" / "changes.json").read_text(encoding="utf-8") == expected
    assert written == [str(tmp_path / "out" / "changes.json"), str(tmp_path / "out" / "changes.html")]
    edited = tmp_path / "edited.jsonl"
    edited.write_bytes((two / "papers.jsonl").read_bytes().replace(b'"title"', b'"title" ', 1))
    reads.clear()
    output.build_changes(one / "papers.jsonl", edited, tmp_path / "out2", maps=False)
    assert len(reads) == 2
    assert (tmp_path / "out2" / "changes.json").read_text(encoding="utf-8") == changes_text(compute_changes(one, edited))
