"""`kg trends` output: the JSON list (the contract: `label, kind, score, first_seen, counts`, best
first) and the table a person reads."""

from __future__ import annotations

import json
import re

from .rank import Trends

__all__ = ["to_json", "to_table", "summary"]

_SHOWN_PERIODS = 5  # the table's count columns: the last periods of the range
_WIDTH = 60  # longest label shown in full in the table
_TITLES = {"topic": "Emerging topics", "task": "Emerging tasks", "method": "Emerging methods",
           "dataset": "Emerging datasets", "author": "Emerging authors", "institution": "Emerging institutions",
           "collaboration": "New collaborations", "new-institution": "Newly active institutions"}


def to_json(result: Trends) -> str:
    return json.dumps([t.as_json() for t in result.items], ensure_ascii=False, indent=2)


def _cell(label: str) -> str:
    label = re.sub(r"\s+", " ", label).strip()
    return label if len(label) <= _WIDTH else label[:_WIDTH - 1] + "…"


def to_table(result: Trends, how: str = "") -> str:
    """A title line, then one row per item: rank, score, label, the period its burst (or newness)
    began, the first date seen, and its papers in the last periods."""
    periods = result.periods[-_SHOWN_PERIODS:]
    period_word = {"year": "yearly", "month": "monthly", "week": "weekly"}[result.period]
    # no dated paper and no --as-of: no date to name ("as of  (yearly…" read as a missing value)
    when = f" as of {result.as_of}" if result.as_of else ", no dated paper"
    lines = [f"{_TITLES[result.kind]}{when} ({period_word}{'; ' + how if how else ''})"]
    if not result.items:
        lines.append("  none")
        return "\n".join(lines)
    header = ["rank", "score", "label", "since", "first seen", *periods]
    rows = [[str(i), f"{t.score:.2f}", _cell(t.label), t.since or "", t.first_seen,
             *(str(t.counts.get(p, 0)) for p in periods)] for i, t in enumerate(result.items, 1)]
    widths = [max(len(r[c]) for r in [header, *rows]) for c in range(len(header))]
    right = {0, 1, *range(5, len(header))}
    for row in [header, *rows]:
        lines.append("  ".join(cell.rjust(w) if c in right else cell.ljust(w)
                               for c, (cell, w) in enumerate(zip(row, widths))).rstrip())
    return "\n".join(lines)


def summary(result: Trends) -> str:
    """The line on what was read, e.g. "13,074 dated papers up to 2019-12-31 in 5 periods (2015–2019);
    3 undated papers ignored; 5,629 papers dated later left out"."""
    if not result.periods:
        line = f"no dated paper up to {result.as_of}" if result.as_of else "no dated paper"
    else:
        span = result.periods[0] if len(result.periods) == 1 else f"{result.periods[0]}–{result.periods[-1]}"
        n = len(result.periods)
        line = (f"{sum(result.documents):,} dated papers up to {result.as_of} in {n} "
                f"{'period' if n == 1 else 'periods'} ({span})")
    line += f"; {result.undated:,} undated {'paper' if result.undated == 1 else 'papers'} ignored"
    if result.later:
        line += f"; {result.later:,} {'paper' if result.later == 1 else 'papers'} dated later left out"
    return line
