import json
from dataclasses import asdict, replace

from kg.build import read_corpus, write_corpus


def test_corpus_json_round_trips_exactly(fixture_corpus, tmp_path):
    """Every field of the model (full names, institution context, evidence, problems, inputs), with
    markup, quotes, line breaks, odd Unicode and Chinese in the values."""
    write_corpus(fixture_corpus, tmp_path / "c.json")
    assert read_corpus(tmp_path / "c.json") == fixture_corpus


def test_corpus_json_is_json_dump_of_the_records_byte_for_byte(fixture_corpus, tmp_path):
    """The batched writer gives what one json.dump of asdict gives (the format corpus.json always had),
    across the batch boundaries of a thousand records."""
    papers = fixture_corpus.papers * 700  # several batches of a thousand
    corpus = replace(fixture_corpus, papers=papers)
    write_corpus(corpus, tmp_path / "c.json")
    expected = json.dumps({"version": 2, "corpus": asdict(corpus)}, ensure_ascii=False, sort_keys=True) + "\n"
    assert (tmp_path / "c.json").read_text(encoding="utf-8") == expected
    empty = replace(fixture_corpus, papers=(), problems=())
    write_corpus(empty, tmp_path / "e.json")
    assert (tmp_path / "e.json").read_text(encoding="utf-8") == json.dumps(
        {"version": 2, "corpus": asdict(empty)}, ensure_ascii=False, sort_keys=True) + "\n"
