from kg.model import Entry, Source
from kg.resolve.papers import group_entries, normalise_title, paper_id, paper_keys, year_from_arxiv_id

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
