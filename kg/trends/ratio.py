"""A calibrated growth score: how many times its earlier share a term's share in the latest period is,
at least, with 95% confidence (the alternative to Kleinberg's bursts in kg.trends.burst).

A term is named by r1 of the n1 papers of the latest period and by r0 of the n0 papers of all the
periods before it. Taking both counts as Poisson with rates θ · n1 · p and n1 · p (θ the ratio of the
shares), r1 given r1 + r0 is binomial with π = θ n1 / (θ n1 + n0) (the standard conditional test of two
Poisson rates). π gets a Beta prior centred on no change (θ = 1: π0 = n1 / (n0 + n1)) worth one paper
(Beta(π0, 1 − π0)), so its posterior is Beta(r1 + π0, r0 + 1 − π0). The score is the log of θ at the
posterior's q-quantile (q = 0.05): ln(π_q / (1 − π_q) · n0 / n1), in nats. It does not grow with volume,
only with the evidence for a rise: 5 papers of 1,000 after none of 3,000 before score 1.57 (a share at
least 4.8 times the earlier one), 80 of 3,000 after 54 of 8,000 score 1.08 (2.9 times). A term scores above 0 when its share rose with 95% confidence.

>>> round(share_ratio_bound(6, 10, 2, 20), 4)
0.4562
>>> round(share_ratio_bound(6, 10, 8, 30), 4)  # 60% after 27%, on few papers: not sure enough of a rise
-0.1666
"""

from __future__ import annotations

from math import log

from scipy.special import betaincinv

__all__ = ["Q", "PRIOR", "share_ratio_bound"]

Q = 0.05  # the posterior quantile the score is read at: a rise 95% sure
PRIOR = 1.0  # the prior's weight, in papers, centred on an unchanged share


def share_ratio_bound(r1: int, n1: int, r0: int, n0: int, q: float = Q, prior: float = PRIOR) -> float:
    """ln of the ratio of shares (r1 / n1 against r0 / n0) at its posterior q-quantile (module docstring)."""
    if not (n1 > 0 and n0 > 0 and 0 <= r1 <= n1 and 0 <= r0 <= n0):
        raise ValueError("two periods with papers, each named by none to all of them")
    centre = n1 / (n0 + n1)
    pi = float(betaincinv(r1 + prior * centre, r0 + prior * (1 - centre), q))  # the Beta quantile
    return log(pi / (1 - pi)) + log(n0 / n1)
