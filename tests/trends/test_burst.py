"""Kleinberg's two-state burst detection (kg.trends.burst) on hand-computed count series."""

from math import log

import pytest

from kg.trends.burst import Burst, burst_states, bursts, final_burst, state_costs


def test_costs_are_the_negative_log_likelihoods_of_both_rates():
    # R = 10 of D = 40 documents: p0 = 0.25, p1 = 2 · p0 = 0.5
    costs = state_costs([1, 1, 1, 7], [10, 10, 10, 10])
    assert costs[0] == pytest.approx((-(log(0.25) + 9 * log(0.75)), -10 * log(0.5)))
    assert costs[3] == pytest.approx((-(7 * log(0.25) + 3 * log(0.75)), -10 * log(0.5)))


def test_a_burst_in_the_last_period():
    # the last period saves 7 ln 2 + 3 ln(2/3) = 3.636 nats in the burst state, more than entering it
    # costs (γ ln n = ln 4 = 1.386); the others lose 8 ln 2 + 9 ln(3/4) = 2.956 each
    assert burst_states([1, 1, 1, 7], [10] * 4) == (0, 0, 0, 1)
    assert bursts([1, 1, 1, 7], [10] * 4) == [Burst(3, 3, pytest.approx(7 * log(2) + 3 * log(2 / 3)), 7)]


def test_a_burst_in_the_last_two_periods_is_still_going_on():
    # R = 14 of 40: p0 = 0.35, p1 = 0.7; each period with 6 saves 6 ln 2 + 4 ln(0.3 / 0.65) = 1.066
    burst = final_burst([1, 1, 6, 6], [10] * 4)
    assert (burst.start, burst.end, burst.support) == (2, 3, 12)
    assert burst.weight == pytest.approx(2 * (6 * log(2) + 4 * log(0.3 / 0.65)))
    assert burst.weight == pytest.approx(2.1322, abs=1e-4)


def test_periods_without_documents_after_the_last_do_not_end_a_burst():
    assert burst_states([1, 1, 1, 7, 0], [10, 10, 10, 10, 0]) == (0, 0, 0, 1, 0)
    assert final_burst([1, 1, 1, 7, 0], [10, 10, 10, 10, 0]) == final_burst([1, 1, 1, 7], [10] * 4)
    assert final_burst([1, 1, 1, 7, 0], [10, 10, 10, 10, 10]) is None  # a period of 10 without it does


def test_a_steady_term_never_bursts():
    assert burst_states([2, 2, 2, 2], [10] * 4) == (0, 0, 0, 0)
    assert bursts([2, 2, 2, 2], [10] * 4) == [] and final_burst([2, 2, 2, 2], [10] * 4) is None
    assert burst_states([20, 40, 80], [100, 200, 400]) == (0, 0, 0)  # growing with the corpus: same share


def test_gamma_is_the_price_of_entering_the_burst_state():
    # two periods of 5 in 10 at p0 = 0.25 save 2 · 5 ln(4/3) = 2.877 nats: more than ln 4, less than 3 ln 4
    assert burst_states([0, 5, 5, 0], [10] * 4) == (0, 1, 1, 0)
    assert bursts([0, 5, 5, 0], [10] * 4) == [Burst(1, 2, pytest.approx(10 * log(4 / 3)), 10)]
    assert burst_states([0, 5, 5, 0], [10] * 4, gamma=3) == (0, 0, 0, 0)
    assert final_burst([0, 5, 5, 0], [10] * 4) is None  # over before the last period


def test_s_is_the_burst_rate():
    # at s = 3 the burst state expects 0.75 of the documents: one period of 7 in 10 saves
    # 7 ln 3 + 3 ln(1/3) = 4 ln 3 = 4.394 nats
    assert bursts([1, 1, 1, 7], [10] * 4, s=3) == [Burst(3, 3, pytest.approx(4 * log(3)), 7)]


def test_empty_periods_and_edge_cases():
    assert burst_states([], []) == ()
    assert burst_states([0, 0], [5, 5]) == (0, 0)  # never mentioned
    assert burst_states([1, 1, 0, 7], [10, 10, 0, 10]) == (0, 0, 0, 1)  # a period without documents costs nothing
    assert burst_states([3, 3], [3, 3]) == (0, 0)  # every document: the burst rate is held below 1
    assert burst_states([4], [10]) == (0,)  # one period: its own rate, nothing to burst above
    with pytest.raises(ValueError):
        state_costs([3], [2])
    with pytest.raises(ValueError):
        state_costs([1, 2], [3])
