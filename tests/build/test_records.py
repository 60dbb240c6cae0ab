from kg.build import read_corpus, write_corpus


def test_corpus_json_round_trips_exactly(fixture_corpus, tmp_path):
    """Every field of the model (full names, institution context, evidence, problems, inputs), with
    markup, quotes, line breaks, odd Unicode and Chinese in the values."""
    write_corpus(fixture_corpus, tmp_path / "c.json")
    assert read_corpus(tmp_path / "c.json") == fixture_corpus
