from kg.ingest import read_file
from kg.ingest.feed import parse_feed

from ..conftest import SEED_FEED_1, SEED_FEED_2, SEEDS


def test_seed_feed_001_entries_languages_and_lines():
    result = read_file(str(SEEDS / SEED_FEED_1))
    assert result.problems == ()
    entries = result.entries
    assert len(entries) == 10
    assert [e.source.line for e in entries] == [1, 3, 5, 7, 9, 11, 13, 15, 17, 19]
    assert [e.lang for e in entries] == ["en", "zh", "zh", "en", "en", "en", "en", "en", "en", "en"]
    assert all(e.format == "feed" and e.title is None for e in entries)


def test_seed_feed_urls_cleaned():
    entries = read_file(str(SEEDS / SEED_FEED_1)).entries
    assert entries[1].urls == ("https://github.com/blackfeather-wang/gfnet-pytorch",)
    assert entries[2].urls == ("https://github.com/leaplabthu/adafocusv2",)
    assert entries[0].urls == ("https://github.com/LeapLabTHU/Model-Assembling",)
    assert entries[7].urls == ("https://muse-model.github.io",)
    entries2 = read_file(str(SEEDS / SEED_FEED_2)).entries
    assert entries2[2].urls == ("https://github.com/junjie18/CMT",)


def test_truncated_feed_keeps_last_entry_and_reports_empty_ones():
    text = "First abstract.\ntranslated by 谷歌翻译\n\ntranslated by 谷歌翻译\r\nLast abstract, cut off"
    result = parse_feed(text, "f.txt")
    assert [e.abstract for e in result.entries] == ["First abstract.", "Last abstract, cut off"]
    assert [e.source.line for e in result.entries] == [1, 5]
    assert [(p.line, p.reason) for p in result.problems] == [(4, "empty entry before separator")]
