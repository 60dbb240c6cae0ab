"""Fixtures of the export tests."""

from collections import Counter

import pytest

from kg.export import fragments


@pytest.fixture
def rendered(monkeypatch):
    """Items kg.export.fragments rendered (not copied) by the writes that follow, per section name
    ("nodes", "edges": groups; "rows" of the CSV tables), every output together; 0 for a section none was."""
    counts: Counter = Counter()
    original = fragments._Writer._rendered

    def counting(self, section, batch, first, fps, counts_=None):
        counts[section.name] += len(batch)
        return original(self, section, batch, first, fps, counts_)

    monkeypatch.setattr(fragments._Writer, "_rendered", counting)
    return counts
