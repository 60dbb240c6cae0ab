"""kg.trends on a small dated corpus (synthetic.py): burst rankings, the cut-off, new collaborations and
institutions, the growth baseline, and the output contract."""

import json
from math import log

import pytest

from kg.trends import count_series, growth, trends
from kg.trends.output import summary, to_json, to_table
from kg.trends.series import as_of_bound

from .synthetic import CORPUS, date_of

YEARS = {"2016": 1, "2017": 1, "2018": 6, "2019": 6}  # "rising"


def test_a_term_bursting_in_the_last_two_years_leads_and_steady_or_past_bursts_are_left_out():
    result = trends(CORPUS, "topic", as_of="2019", date_of=date_of)
    assert (result.as_of, result.periods, result.documents) == ("2019-12-31", ("2016", "2017", "2018", "2019"),
                                                                (10, 10, 10, 10))
    assert (result.undated, result.later) == (1, 1)
    [rising] = result.items  # "steady" never bursts, "old burst" (0, 5, 5, 0) ended in 2018
    assert (rising.label, rising.kind, rising.first_seen, rising.counts, rising.since) == (
        "rising", "topic", "2016-06-10", YEARS, "2018")
    # p0 = 14/40, p1 = 0.7: each year of 6 papers in 10 saves 6 ln 2 + 4 ln(0.3/0.65)
    assert rising.score == pytest.approx(2 * (6 * log(2) + 4 * log(0.3 / 0.65)))
    assert rising.as_json() == {"label": "rising", "kind": "topic", "score": 2.1322, "first_seen": "2016-06-10",
                                "counts": YEARS}


def test_only_papers_dated_up_to_the_cut_off_are_read():
    result = trends(CORPUS, "topic", as_of="2018-12-31", date_of=date_of)
    assert (result.periods, result.later, result.undated) == (("2016", "2017", "2018"), 11, 1)
    [rising] = result.items
    # p0 = 8/30, p1 = 16/30: 2018 alone saves 6 ln 2 + 4 ln(7/11), more than ln 3
    assert rising.score == pytest.approx(6 * log(2) + 4 * log(7 / 11))
    assert rising.counts == {"2016": 1, "2017": 1, "2018": 6}
    latest = trends(CORPUS, "topic", date_of=date_of)  # default: up to the latest date
    assert (latest.as_of, latest.periods[-1], latest.later) == ("2020-01-05", "2020", 0)


def test_minimum_support_and_top():
    assert trends(CORPUS, "topic", as_of="2019", min_support=13, date_of=date_of).items == ()
    assert trends(CORPUS, "topic", as_of="2019", min_support=12, date_of=date_of).items[0].label == "rising"
    assert trends(CORPUS, "institution", as_of="2019", date_of=date_of).items == ()  # New Lab: 3 papers
    [lab] = trends(CORPUS, "institution", as_of="2019", min_support=3, date_of=date_of).items
    assert (lab.label, lab.score) == ("New Lab", pytest.approx(3 * log(2) + 7 * log(0.85 / 0.925)))
    assert len(trends(CORPUS, "topic", as_of="2019", top=1, min_support=1, date_of=date_of).items) == 1


def test_authors_are_counted_by_id_and_labelled_by_name():
    series = count_series(CORPUS, "author", as_of="2019", date_of=date_of)
    assert series.labels["author:a"] == "Ann A"
    assert series.mentions["author:a"] == [1, 1, 0, 3]
    assert series.first_seen["author:a"] == "2016-06-10"


def test_new_collaborations():
    [pair] = trends(CORPUS, "collaboration", as_of="2019", date_of=date_of).items
    # Cid and Dan first publish in 2019; Ann and Eve wrote together in 2017 already
    assert pair.as_json() == {"label": "Ann A & Bob B", "kind": "collaboration", "score": 2.0,
                              "first_seen": "2019-06-10", "counts": {"2016": 0, "2017": 0, "2018": 0, "2019": 2}}
    [pair] = trends(CORPUS, "collaboration", as_of="2018", date_of=date_of).items
    assert (pair.label, pair.score, pair.first_seen) == ("Bob B & Eve E", 1.0, "2018-06-10")


def test_newly_active_institutions():
    [lab] = trends(CORPUS, "new-institution", as_of="2019", date_of=date_of).items
    assert lab.as_json() == {"label": "New Lab", "kind": "new-institution", "score": 3.0, "first_seen": "2019-06-10",
                             "counts": {"2016": 0, "2017": 0, "2018": 0, "2019": 3}}
    assert trends(CORPUS, "new-institution", as_of="2018", date_of=date_of).items == ()


def test_the_growth_baseline_is_last_years_growth_in_share():
    series = count_series(CORPUS, "topic", as_of="2019", date_of=date_of)
    scores = {t.label: t.score for t in growth(series, "topic", min_support=1)}
    # share 2019 / share 2018 with one more paper in 2018; "old burst" has no paper in 2019
    assert scores == {"rising": pytest.approx(0.6 / 0.7), "steady": pytest.approx(0.2 / 0.3)}
    assert [t.label for t in growth(series, "topic")] == ["rising"]  # at least 5 papers in 2019


def test_months():
    result = trends(CORPUS, "topic", as_of="2019-06", period="month", date_of=date_of)
    assert result.periods[0] == "2016-06" and result.periods[-1] == "2019-06" and len(result.periods) == 37
    # entering a burst costs ln 37 = 3.61 nats, more than the two Junes of 6 papers save (2.13)
    assert sum(result.documents) == 40 and result.items == ()
    [rising] = trends(CORPUS, "topic", as_of="2019-06", period="month", gamma=0.5, date_of=date_of).items
    assert (rising.since, rising.score) == ("2018-06", pytest.approx(2 * (6 * log(2) + 4 * log(0.3 / 0.65))))
    assert rising.counts["2018-06"] == rising.counts["2019-06"] == 6 and rising.counts["2019-01"] == 0


def test_undated_papers_are_counted_and_a_corpus_without_dates_gives_nothing():
    result = trends(CORPUS, "topic", date_of=lambda paper: None)
    assert (result.items, result.periods, result.undated) == ((), (), 42)
    assert summary(result) == "no dated paper; 42 undated papers ignored"
    assert to_json(result) == "[]"


def test_output():
    result = trends(CORPUS, "topic", as_of="2019", date_of=date_of)
    assert summary(result) == ("40 dated papers up to 2019-12-31 in 4 periods (2016–2019); 1 undated paper ignored; "
                               "1 paper dated later left out")
    assert json.loads(to_json(result)) == [{"label": "rising", "kind": "topic", "score": 2.1322,
                                            "first_seen": "2016-06-10", "counts": YEARS}]
    assert to_table(result, "how").splitlines() == [
        "Emerging topics as of 2019-12-31 (yearly; how)",
        "rank  score  label   since  first seen  2016  2017  2018  2019",
        "   1   2.13  rising  2018   2016-06-10     1     1     6     6",
    ]


def test_as_of_values():
    assert as_of_bound("2020-02") == "2020-02-29"
    for bad in ("2019-13", "2019-02-30", "19", "last year"):
        with pytest.raises(ValueError, match="--as-of"):
            as_of_bound(bad)
    with pytest.raises(ValueError, match="unknown kind"):
        trends(CORPUS, "venue", date_of=date_of)


def test_methods_are_one_term_whatever_their_case_as_in_the_graph():
    """"CMT" and "cmt" are one graph node (method:cmt), so one term, labelled as first seen."""
    from dataclasses import replace

    from kg.model import Corpus, Entity

    papers = [replace(p, methods=(Entity("CMT" if i % 2 else "cmt"),))
              for i, p in enumerate(p for p in CORPUS.papers if p.date and p.date.startswith("2019"))]
    series = count_series(Corpus(tuple(papers), (), ()), "method", as_of="2019", date_of=date_of)
    assert list(series.mentions) == ["method:cmt"] and series.mentions["method:cmt"] == [len(papers)]
    first = min(papers, key=lambda p: p.date)
    assert series.labels["method:cmt"] == first.methods[0].name


def test_weeks():
    """ISO weeks, Monday to Sunday: the synthetic papers are dated a few days apart within each year,
    so a weekly series has empty weeks between them, and a burst still needs its support."""
    from kg.trends.series import period_of

    result = trends(CORPUS, "topic", as_of="2019-12-31", period="week", date_of=date_of, min_support=1)
    weeks = result.periods
    assert weeks[-1] == "2020-W01"  # 31 December 2019 is in ISO week 1 of 2020
    assert weeks[0] == period_of(min(d for p in CORPUS.papers if (d := date_of(p))), "week")
    assert all(a < b for a, b in zip(weeks, weeks[1:], strict=False))  # one key per week, in order, none skipped
    assert len(weeks) == len(set(weeks))
    assert sum(result.documents) == 40
    assert len(weeks) == 187 and weeks[0] == "2016-W23"  # 10 June 2016 was a Friday
    assert [w for w, n in zip(weeks, result.documents, strict=True) if n] == [
        "2016-W23", "2016-W24", "2017-W23", "2017-W24", "2017-W25", "2018-W23", "2018-W24", "2018-W25",
        "2019-W24", "2019-W25"]
    assert to_table(result).splitlines()[0] == "Emerging topics as of 2019-12-31 (weekly)"
