"""Trends: what is emerging in a built corpus as of a date, from the papers dated on or before it.

burst.py: Kleinberg's two-state burst detection on per-period document counts; ratio.py: a calibrated
growth score (the rise in share a term's counts make 95% sure); series.py: paper dates → periods, the
terms of one kind per paper, count series; rank.py: terms ranked by the weight of a burst still going
on at the cut-off (method "burst") or by their calibrated rise (method "ratio"), new collaborations,
newly active institutions, and the growth-in-share baseline; output.py: the JSON list and the table
of `kg trends`.

>>> from kg.trends import trends                                  # doctest: +SKIP
>>> trends(BuildDir("exports").read_corpus(), "topic", as_of="2019").items[0].label  # doctest: +SKIP
"""

from ..util.lazy import lazy_exports

__all__ = ["KINDS", "ALL_KINDS", "PERIODS", "METHODS", "MIN_SUPPORT", "Trend", "Trends", "trends", "growth",
           "emerging", "rising", "count_series", "new_collaborations", "new_institutions", "bursts", "burst_states",
           "final_burst", "share_ratio_bound"]

__getattr__, __dir__ = lazy_exports(__name__, {
    ".burst": ["bursts", "burst_states", "final_burst"],
    ".series": ["KINDS", "PERIODS", "count_series"],
    ".ratio": ["share_ratio_bound"],
    ".rank": ["ALL_KINDS", "METHODS", "MIN_SUPPORT", "Trend", "Trends", "trends", "growth", "emerging", "rising",
              "new_collaborations", "new_institutions"],
})
