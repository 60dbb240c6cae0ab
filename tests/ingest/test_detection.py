"""Each format is claimed by its own reader; the new readers claim nothing of the old formats."""

import pytest

from kg.ingest import read_inputs, reader_names
from kg.ingest.registry import MIN_CONFIDENCE, detect_format, get_reader

from ..conftest import SEED_DIGEST, SEED_FEED_1, SEED_FEED_2, SEEDS, SHARED
from .formats_data import EXPECTED_FORMAT

NEW = ("arxiv", "bibtex", "frontmatter", "oneline", "paperpost", "readinglist")


def test_new_readers_registered():
    assert set(NEW) <= set(reader_names())


@pytest.mark.parametrize("path", sorted(EXPECTED_FORMAT), ids=lambda p: p.name)
def test_fixture_detected_as_its_format(path):
    name, confidence = detect_format(path.read_text(encoding="utf-8"))
    assert name == EXPECTED_FORMAT[path] and confidence >= MIN_CONFIDENCE


@pytest.mark.parametrize("seed,expected", [(SEED_DIGEST, "digest"), (SEED_FEED_1, "feed"), (SEED_FEED_2, "feed")])
def test_seeds_not_claimed_by_new_readers(seed, expected):
    text = (SEEDS / seed).read_text(encoding="utf-8")
    assert detect_format(text)[0] == expected
    assert all(get_reader(n).detect(text) < MIN_CONFIDENCE for n in NEW)


@pytest.mark.parametrize("path", sorted(EXPECTED_FORMAT), ids=lambda p: p.name)
def test_fixtures_not_claimed_by_other_new_readers(path):
    text = path.read_text(encoding="utf-8")
    own = get_reader(EXPECTED_FORMAT[path]).detect(text)
    assert all(get_reader(n).detect(text) < own for n in reader_names() if n != EXPECTED_FORMAT[path])


@pytest.mark.parametrize("text", ["", "just some prose\nwith two lines", "---\ntitle: Hello\n---\nNo paper here.\n",
                                  '{"name": "not arxiv"}\n', "@someone said hi\n"])
def test_ordinary_text_is_not_claimed(text):
    assert detect_format(text)[0] is None


def test_mixed_folder_reads_every_file_with_its_reader(tmp_path):
    for path in EXPECTED_FORMAT:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "prose.txt").write_text("Nothing to see.\n", encoding="utf-8")
    result = read_inputs([str(tmp_path)])
    formats = {e.source.file.rsplit("/", 1)[-1]: e.format for e in result.entries}
    assert formats == {p.name: f for p, f in EXPECTED_FORMAT.items()}
    unread = [p for p in result.problems if p.file.endswith("prose.txt")]
    assert len(unread) == 1 and unread[0].reason.startswith("no reader recognises this file")


@pytest.mark.corpus
def test_dev_corpus_files_keep_their_readers():
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip("../shared/corpus is absent")
    for kind, expected in (("digests", "digest"), ("feeds", "feed")):
        for path in sorted((corpus / kind).glob("*.txt"))[::10]:
            assert detect_format(path.read_text(encoding="utf-8"))[0] == expected, path.name
