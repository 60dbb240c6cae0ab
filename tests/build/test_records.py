import pytest

from kg.build import read_corpus, write_corpus


@pytest.mark.model
def test_corpus_json_round_trips_exactly(seed_build, tmp_path):
    write_corpus(seed_build.corpus, tmp_path / "c.json")
    again = read_corpus(tmp_path / "c.json")
    assert again.papers == seed_build.corpus.papers
    assert again.authors == seed_build.corpus.authors
    assert again.institutions == seed_build.corpus.institutions
