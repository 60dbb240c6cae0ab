"""The same paper read from several formats is one paper; metadata full names upgrade printed initials."""

import json
import shutil

import pytest

from kg.export.papers_jsonl import paper_record
from kg.ingest import read_inputs
from kg.model import Extraction
from kg.resolve import resolve

from ..conftest import SEED_DIGEST, SEEDS
from .formats_data import ARXIV, BIBTEX, EXPECTED_FORMAT

PRINTED = ["D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei"]
FULL = ["Damai Dai", "Li Dong", "Yaru Hao", "Zhifang Sui", "Baobao Chang", "Furu Wei"]


def resolved(folder):
    read = read_inputs([str(folder)])
    return read, resolve(read.entries, [Extraction()] * len(read.entries))


def kn_folder(tmp_path):
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "digest.txt")
    (tmp_path / "kn.jsonl").write_text(ARXIV.read_text(encoding="utf-8").splitlines()[0] + "\n", encoding="utf-8")
    return tmp_path


def test_digest_and_arxiv_metadata_are_one_paper_with_full_names(tmp_path):
    read, corpus = resolved(kn_folder(tmp_path))
    assert read.problems == ()
    papers = [p for p in corpus.papers if p.title == "Knowledge Neurons in Pretrained Transformers"]
    assert len(papers) == 1 and len(corpus.papers) == 5  # the digest's 5 papers, none added
    record = paper_record(papers[0])
    assert record["id"] == "arxiv:2104.08696" and record["category"] == "cs.CL" and record["year"] == 2021
    assert [a["name"] for a in record["authors"]] == PRINTED  # the digest's printed form is kept
    assert [a["full_name"] for a in record["authors"]] == FULL
    assert record["institutions"][0]["printed"] == "Peking University"
    assert record["sources"] == [{"file": str(tmp_path / "digest.txt"), "line": 14}, {"file": str(tmp_path / "kn.jsonl"), "line": 1}]
    assert record["lang"] == ["en", "zh"]
    # the other digest papers have no metadata source: no full name is invented
    others = [a.full_name for p in corpus.papers if p is not papers[0] for a in p.authorships]
    assert others and all(name is None for name in others)


def test_every_format_merges_into_one_knowledge_neurons_paper(tmp_path):
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "digest.txt")
    for path in EXPECTED_FORMAT:
        shutil.copy(path, tmp_path / path.name)
    read, corpus = resolved(tmp_path)
    (kn,) = [p for p in corpus.papers if p.arxiv_id == "2104.08696"]
    formats = {e.format for e in read.entries if e.source in kn.sources}
    assert formats == {"digest", "arxiv", "bibtex", "oneline", "readinglist", "frontmatter", "paperpost"}
    assert [a.printed for a in kn.authorships] == PRINTED
    assert [a.full_name for a in kn.authorships] == FULL
    (vit,) = [p for p in corpus.papers if p.arxiv_id == "2109.14124"]
    assert [a.printed for a in vit.authorships] == ["A Seff", "W Zhou", "N Richardson", "R P. Adams"]
    assert [a.full_name for a in vit.authorships] == ["Ari Seff", "Wenda Zhou", "Nick Richardson", "Ryan P. Adams"]
    assert vit.category == "cs.LG"  # arXiv's primary category, over the digest tag
    # a paper only BibTeX knows, without arXiv id: year from the file, category unknown
    (resnet,) = [p for p in corpus.papers if p.title == "Deep Residual Learning for Image Recognition"]
    assert resnet.id.startswith("title:") and resnet.year == 2016 and resnet.category is None
    assert resnet.authorships[0].printed == resnet.authorships[0].full_name == "Kaiming He"


def test_metadata_category_wins_over_digest_tag_and_unknown_categories_do_not_warn(tmp_path):
    read = read_inputs([str(ARXIV), str(BIBTEX)])
    corpus = resolve(read.entries, [Extraction()] * len(read.entries))
    assert {p.arxiv_id: p.category for p in corpus.papers if p.arxiv_id == "0704.0001"} == {"0704.0001": "hep-ph"}
    assert not any("unknown category" in p.reason for p in corpus.problems)


@pytest.mark.model
@pytest.mark.slow
def test_build_writes_full_name_in_papers_jsonl(tmp_path):
    from kg.build import BuildConfig, build

    (tmp_path / "in").mkdir()
    folder = kn_folder(tmp_path / "in")
    build([str(folder)], tmp_path / "out", BuildConfig(targets=()))
    records = [json.loads(s) for s in (tmp_path / "out" / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
    (kn,) = [r for r in records if r["id"] == "arxiv:2104.08696"]
    assert [(a["name"], a["full_name"]) for a in kn["authors"]] == list(zip(PRINTED, FULL))
    assert all(set(a) == {"name", "id", "full_name"} for r in records for a in r["authors"])
