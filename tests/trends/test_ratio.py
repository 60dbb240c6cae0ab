"""The calibrated growth score (kg.trends.ratio) on closed forms, and `trends(..., method="ratio")` on the
synthetic corpus."""

from math import log

import pytest

from kg.trends import trends
from kg.trends.ratio import share_ratio_bound

from .synthetic import CORPUS, date_of


def test_the_score_is_the_log_share_ratio_at_the_posterior_quantile():
    # without the prior, r1 = 5 papers after r0 = 1 before: π ~ Beta(5, 1), π_q = q^(1/5)
    pi = 0.05 ** (1 / 5)
    assert share_ratio_bound(5, 10, 1, 30, prior=0) == pytest.approx(log(pi / (1 - pi) * 30 / 10), rel=1e-10)
    # the prior (one paper, centred on an unchanged share: π0 = 10 / 40) pulls the ratio down
    assert share_ratio_bound(5, 10, 1, 30) < share_ratio_bound(5, 10, 1, 30, prior=0)
    # relative, not absolute: the same shares on ten times the papers are surer, not ten times the score
    assert 0 < share_ratio_bound(6, 10, 2, 20) < share_ratio_bound(60, 100, 20, 200) < log(6 / 1)
    assert share_ratio_bound(2, 10, 6, 30) < 0  # an unchanged share: no sure rise
    with pytest.raises(ValueError):
        share_ratio_bound(3, 10, 1, 0)


def test_a_term_whose_share_surely_rose_in_the_last_period():
    result = trends(CORPUS, "topic", as_of="2018", date_of=date_of, method="ratio")
    [rising] = result.items  # 6 of 10 papers in 2018 after 2 of 20 before; "steady" 2 of 10, "old burst" 5 of 10
    assert rising.as_json() == {"label": "rising", "kind": "topic", "score": 0.4562, "first_seen": "2016-06-10",
                                "counts": {"2016": 1, "2017": 1, "2018": 6}}
    assert rising.since == "2018" and rising.score == pytest.approx(share_ratio_bound(6, 10, 2, 20))
    assert share_ratio_bound(5, 10, 5, 20) < 0  # "old burst" in 2018: a burst by Kleinberg, no sure rise here
    # as of 2019 "rising" holds its 2018 share: 6 of 10 after 8 of 30 is not sure enough of a rise
    assert trends(CORPUS, "topic", as_of="2019", date_of=date_of, method="ratio").items == ()
    assert trends(CORPUS, "topic", as_of="2018", date_of=date_of, method="ratio", min_support=7).items == ()


def test_the_last_period_with_papers_is_compared_with_all_before():
    [rising] = trends(CORPUS, "topic", as_of="2018-12", period="month", date_of=date_of, method="ratio").items
    assert rising.since == "2018-06" and rising.score == pytest.approx(share_ratio_bound(6, 10, 2, 20))
    assert rising.counts["2018-12"] == 0
    # one period with papers: nothing before to compare with
    assert trends(CORPUS, "topic", as_of="2016", date_of=date_of, method="ratio").items == ()


def test_methods():
    burst = trends(CORPUS, "topic", as_of="2019", date_of=date_of)
    assert trends(CORPUS, "topic", as_of="2019", date_of=date_of, method="burst") == burst
    with pytest.raises(ValueError, match="unknown method"):
        trends(CORPUS, "topic", date_of=date_of, method="kleinberg")
