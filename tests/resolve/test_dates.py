"""A paper's date: the earliest of its entries' dates, its source, the publication date, the year."""

from __future__ import annotations

from kg.model import Entry, Extraction, Source
from kg.resolve import resolve

TITLE = "Knowledge Neurons in Pretrained Transformers"


def entry(file, line, date=None, source=None, format="digest", arxiv_id="2104.08696", title=TITLE, year=None):
    return Entry(source=Source(file, line), format=format, title=title, authors=("D Dai",),
                 abstract=f"Abstract of {title}. " * 10, arxiv_id=arxiv_id, date=date, date_source=source, year=year)


def paper_of(*entries):
    corpus = resolve(list(entries), [Extraction()] * len(entries))
    assert len(corpus.papers) == 1
    return corpus.papers[0]


def dates(paper):
    return paper.date, paper.date_source, paper.published, paper.year


def test_a_paper_seen_twice_is_dated_by_the_earlier_entry():
    paper = paper_of(entry("2021-04-25-d.txt", 3, "2021-04-25", "filename"),
                     entry("d.txt", 9, "2021-04-20", "document"))
    assert dates(paper) == ("2021-04-20", "document", "2021-04-01", 2021)
    assert [s.line for s in paper.sources] == [3, 9]


def test_an_arxiv_ids_month_yields_to_a_day_of_that_month_not_to_a_later_month():
    # 2104.08696 stands for April 2021: a digest of 2021-04-20 says more
    assert dates(paper_of(entry("a.txt", 1, "2021-04-01", "arxiv-id"), entry("b.txt", 1, "2021-04-20", "document"))) == (
        "2021-04-20", "document", "2021-04-01", 2021)
    # a day in May is later than April, whichever day of April it was
    assert dates(paper_of(entry("a.txt", 1, "2021-04-01", "arxiv-id"), entry("b.txt", 1, "2021-05-03", "document"))) == (
        "2021-04-01", "arxiv-id", "2021-04-01", 2021)


def test_on_a_tie_the_stronger_source_wins():
    paper = paper_of(entry("a.txt", 1, "2021-04-20", "option"), entry("2021-04-20.txt", 1, "2021-04-20", "filename"))
    assert (paper.date, paper.date_source) == ("2021-04-20", "filename")


def test_the_publication_date_comes_from_metadata_and_the_arxiv_id_only():
    # arXiv metadata's v1 date (day) wins over the id's month; a digest date is no publication date
    paper = paper_of(entry("m.jsonl", 1, "2021-04-18", "document", format="arxiv"),
                     entry("d.txt", 1, "2021-04-16", "document"))
    assert dates(paper) == ("2021-04-16", "document", "2021-04-18", 2021)
    # a BibTeX date of the journal version, months after the preprint: the preprint's month
    paper = paper_of(entry("r.bib", 1, "2022-05-22", "document", format="bibtex"))
    assert dates(paper) == ("2022-05-22", "document", "2021-04-01", 2021)
    # no arXiv id: the BibTeX date alone; a blog post's date is when it was seen
    assert dates(paper_of(entry("r.bib", 1, "2022-05-22", "document", format="bibtex", arxiv_id=None))) == (
        "2022-05-22", "document", "2022-05-22", 2022)
    assert dates(paper_of(entry("p.md", 1, "2022-05-22", "document", format="frontmatter", arxiv_id=None))) == (
        "2022-05-22", "document", None, 2022)


def test_the_year_comes_from_the_arxiv_id_then_the_printed_year_then_the_date():
    assert paper_of(entry("a.txt", 1, "2019-05-25", "document")).year == 2021  # the id says 2021
    assert paper_of(entry("a.txt", 1, "2019-05-25", "document", arxiv_id=None, year=2018)).year == 2018
    assert paper_of(entry("a.txt", 1, "2019-05-25", "document", arxiv_id=None)).year == 2019
    assert dates(paper_of(entry("a.txt", 1, arxiv_id=None))) == (None, None, None, None)
