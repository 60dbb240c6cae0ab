from pathlib import Path

from kg.ingest import read_file
from kg.model import Entry, Problem, Source
from kg.resolve.papers import group_entries, normalise_title, paper_id, paper_keys, year_from_arxiv_id

DATA = Path(__file__).resolve().parent.parent / "data" / "papers"
SUMMARY = "本文提出一种新的方法来学习图像的表示，它在多个基准数据集上取得了显著的效果，并且计算代价更低，代码和模型均已公开，便于复现。"

ABSTRACT = "We study a problem at length, with enough words to make a fingerprint worth trusting for merging. " * 2


def entry(line, **kw):
    return Entry(source=Source("f.txt", line), format="feed", **kw)


def test_grouping_by_arxiv_title_and_text():
    entries = [
        entry(1, arxiv_id="2101.00001", title="A Title Long Enough"),
        entry(2, title="a title, long enough!"),  # same title → same paper
        entry(3, abstract=ABSTRACT),
        entry(4, abstract="  " + ABSTRACT.upper()),  # same text modulo case/space → same paper
        entry(5, abstract="Another abstract. " * 10),
    ]
    assert group_entries(entries) == [[0, 1], [2, 3], [4]]
    assert paper_id(paper_keys(entries[0]) + paper_keys(entries[1])) == "arxiv:2101.00001"
    assert paper_id(paper_keys(entries[2])).startswith("text:")


def test_short_texts_do_not_merge():
    a, b = entry(1, abstract="Too short."), entry(2, abstract="Too short.")
    assert group_entries([a, b]) == [[0], [1]]


def test_normalise_title_and_year():
    assert normalise_title("Pin the Memory: Learning to Generalize Semantic Segmentation") == (
        "pin the memory learning to generalize semantic segmentation"
    )
    assert [year_from_arxiv_id(i) for i in ("2209.00616", "0704.0001", "cs/9912001", None)] == [2022, 2007, 1999, None]


# ---------------------------------------------------------------- distinct papers stay distinct (issue 21, part 4)

def test_version_suffixes_are_one_paper():
    entries = [entry(1, arxiv_id="2101.00001", title="One Paper Title"), entry(2, arxiv_id="2101.00001v2"),
               entry(3, arxiv_id="arXiv:2101.00001v1")]
    problems = []
    assert group_entries(entries, problems) == [[0, 1, 2]] and problems == []
    assert paper_id(k for e in entries for k in paper_keys(e)) == "arxiv:2101.00001"


def test_distinct_ids_sharing_title_and_abstract_stay_apart():
    entries = [entry(1, arxiv_id="2101.00001", title="A Title Long Enough", abstract=ABSTRACT),
               entry(2, arxiv_id="2101.00002v1", title="A title long enough", abstract=ABSTRACT)]
    problems = []
    assert group_entries(entries, problems) == [[0], [1]]
    assert problems == [Problem("f.txt", 2, "entries with different arXiv ids 2101.00001 and 2101.00002 share a title and "
                                            "an abstract text: kept as separate papers", "warning")]


def test_entry_without_id_joins_the_one_paper_sharing_its_title():
    entries = [entry(1, arxiv_id="2101.00001", title="A Title Long Enough"),
               entry(2, arxiv_id="2101.00002", title="Another Title Entirely"),
               entry(3, title="A title, long enough!")]
    problems = []
    assert group_entries(entries, problems) == [[0, 2], [1]]
    assert problems == []  # one candidate: nothing to warn about


def test_entry_without_id_matching_two_ids_joins_the_stronger_key():
    entries = [entry(1, arxiv_id="2101.00002", abstract=ABSTRACT),
               entry(2, arxiv_id="2101.00001", title="A Title Long Enough"),
               entry(3, title="A title long enough", abstract=ABSTRACT)]
    problems = []
    # the title (2101.00001) beats the abstract (2101.00002), though 2101.00002 comes first
    assert group_entries(entries, problems) == [[0], [1, 2]]
    assert problems == [Problem("f.txt", 3, "entry without an arXiv id matches arXiv 2101.00001 by title and "
                                            "arXiv 2101.00002 by abstract text; joined arXiv 2101.00001", "warning")]


def test_entry_without_id_matching_two_ids_on_a_tie_joins_the_earliest():
    entries = [entry(1, arxiv_id="2101.00002", summary_zh=SUMMARY),
               entry(2, arxiv_id="2101.00001", abstract=ABSTRACT),
               entry(3, abstract=ABSTRACT, summary_zh=SUMMARY)]
    for order in (entries, [entries[2], entries[0], entries[1]]):
        problems = []
        groups = group_entries(order, problems)
        joined = next(g for g in groups if len(g) == 2)
        assert {order[i].arxiv_id for i in joined} == {"2101.00002", None}
        assert [p.reason for p in problems] == ["entry without an arXiv id matches arXiv 2101.00002 by Chinese summary and "
                                                "arXiv 2101.00001 by abstract text; joined arXiv 2101.00002"]
    problems = []
    groups = group_entries([entries[1], entries[0], entries[2]], problems)
    assert groups == [[0, 2], [1]]  # now 2101.00001 comes first
    assert [p.reason for p in problems] == ["entry without an arXiv id matches arXiv 2101.00001 by abstract text and "
                                            "arXiv 2101.00002 by Chinese summary; joined arXiv 2101.00001"]


def test_entries_without_id_chain_to_the_paper_of_their_neighbour():
    entries = [entry(1, summary_zh=SUMMARY),  # a post: only the summary, no link
               entry(2, title="A Title Long Enough", summary_zh=SUMMARY),  # a digest entry without link
               entry(3, arxiv_id="2101.00001", title="A title long enough")]
    problems = []
    assert group_entries(entries, problems) == [[0, 1, 2]] and problems == []


def test_real_arxiv_pair_sharing_an_abstract_stays_two_papers():
    """0704.0026 and 0704.0112 (R. de Marrais) print one abstract in the arXiv metadata snapshot; the
    records are rebuilt from their arXiv listing (the snapshot itself is not in ../shared)."""
    result = read_file(str(DATA / "arxiv_shared_abstract.jsonl"))
    entries = list(result.entries)
    assert entries[0].abstract == entries[1].abstract and result.problems == ()
    problems = []
    assert group_entries(entries, problems) == [[0], [1]]
    assert [(p.line, p.reason, p.severity) for p in problems] == [
        (2, "entries with different arXiv ids 0704.0026 and 0704.0112 share an abstract text: kept as separate papers",
         "warning")]


def test_digest_entries_sharing_a_chinese_summary_with_different_links_stay_two_papers():
    result = read_file(str(DATA / "digest_shared_summary.txt"))
    entries = list(result.entries)
    assert [e.arxiv_id for e in entries] == ["0704.0026", "0704.0112"]  # the v3 link is the same id
    assert entries[0].summary_zh == entries[1].summary_zh
    problems = []
    assert group_entries(entries, problems) == [[0], [1]]
    assert [(p.line, p.reason) for p in problems] == [
        (13, "entries with different arXiv ids 0704.0026 and 0704.0112 share a Chinese summary: kept as separate papers")]
