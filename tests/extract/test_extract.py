"""Extraction on seed entries: exact methods, datasets, code links; topics without noise."""

import pytest

from kg.extract import extract_entries, latin_names
from kg.extract.clean import clean_text
from kg.extract.components import best_long_form, is_name_shaped, singular
from kg.ingest import read_inputs
from kg.model import Entity

from ..conftest import SEEDS

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def seed_extractions():
    entries = read_inputs([str(SEEDS)]).entries
    return {(e.source.file.rsplit("/", 1)[-1][:3], e.source.line): x for e, x in zip(entries, extract_entries(entries))}


def test_cmt_is_a_method_and_nuscenes_a_dataset(seed_extractions):
    x = seed_extractions[("002", 5)]
    assert x.methods == (Entity("Cross Modal Transformer", ("CMT",), "defined"),)
    assert x.datasets == (Entity("nuScenes"),)
    assert x.code == ("https://github.com/junjie18/CMT",)
    # a method is a method node, not also a topic
    assert "cross modal transformer" not in [label for label, _ in x.topics]
    assert x.keyphrases[0][0] == "Cross Modal Transformer"


def test_emo_methods_and_benchmarks_through_latex(seed_extractions):
    x = seed_extractions[("001", 7)]
    assert [(m.name, m.aliases, m.via) for m in x.methods][:2] == [
        ("Inverted Residual Mobile Block", ("iRMB",), "defined"), ("Efficient MOdel", ("EMO",), "defined")]
    assert [d.name for d in x.datasets] == ["COCO2017", "ImageNet-1K", "ADE20K"]
    assert [t.name for t in x.tasks] == ["dense prediction"] and [m.name for m in x.metrics] == ["accuracy"]
    labels = [label for label, _ in x.topics]
    # the defined method is not also a topic; its longer variant stays one
    assert "inverted residual mobile block" not in labels and "modern inverted residual mobile block" in labels
    assert not any("textbf" in label or "\\" in label for label in labels)


def test_topics_have_no_citations_determiners_or_plural_duplicates(seed_extractions):
    x = seed_extractions[("000", 14)]  # Knowledge Neurons
    labels = [label for label, _ in x.topics]
    # ("hunter-ddm", the GitHub user of its code link, is no topic)
    assert labels == ["knowledge neuron", "factual knowledge", "erase", "fine-tuning"]
    # "pretrained transformer" (in the title) is a method now, not also a topic
    assert x.methods[0] == Entity("pretrained transformer", (), "title")
    assert all(label == label.lower() for label in labels)
    assert not any("et al" in label or "jiang" in label or "petroni" in label for label in labels)
    assert not any(label.split()[0] in ("such", "the", "a", "these") for label in labels)
    assert "knowledge neurons" not in labels
    scores = [score for _, score in x.topics]
    assert scores == sorted(scores, reverse=True)


def test_named_methods(seed_extractions):
    assert [m.name for m in seed_extractions[("001", 15)].methods][:2] == ["large language model", "Muse"]
    assert [(m.name, m.aliases) for m in seed_extractions[("002", 13)].methods][:3] == [
        ("Graph Neural Networks", ("GNN",)), ("Knowledge Distillation", ("KD",)), ("RELIANT", ())]
    assert [m.name for m in seed_extractions[("002", 7)].methods] == ["NAIVEATTACK", "DOORPING", "dataset distillation"]
    assert seed_extractions[("002", 7)].metrics == (Entity("attack success rate", ("ASR",), "defined"),)


def test_chinese_entry_gets_latin_names_and_code(seed_extractions):
    x = seed_extractions[("001", 3)]
    # Chinese-only entries get English topics through the learned glossary
    labels = [label for label, _ in x.topics]
    assert "spatial redundancy" in labels and len(labels) == 10
    assert all(label.isascii() and label == label.lower() for label in labels)
    assert "GFNET" in [m.name for m in x.methods] and "MobileNet-V3" in [m.name for m in x.methods]
    assert [t.name for t in x.tasks] == ["visual recognition", "image recognition", "video recognition", "manual annotation"]
    assert x.code == ("https://github.com/blackfeather-wang/gfnet-pytorch",)
    y = seed_extractions[("001", 5)]
    # "六个基准数据集(即,ActivityNet,FCVID,Mini-Kinetics,Something-V1&V2和Jesters)": the listed names are datasets
    assert [d.name for d in y.datasets] == ["ActivityNet", "FCVID", "Mini-Kinetics", "Something-V1", "Jesters"]
    assert [m.name for m in y.methods] == ["Adafocus"]
    assert y.code == ("https://github.com/leaplabthu/adafocusv2",)


def test_chinese_summary_alone_yields_the_english_topics(seed_extractions):
    from dataclasses import replace

    entry = next(e for e in read_inputs([str(SEEDS)]).entries if e.source.line == 14 and e.summary_zh)
    zh_only = replace(entry, title=None, abstract=entry.summary_zh, lang="zh", summary_zh=None)
    (x,) = extract_entries([zh_only])
    labels = [label for label, _ in x.topics]
    english = [label for label, _ in seed_extractions[("000", 14)].topics]
    assert "knowledge neuron" in labels and all(label.isascii() for label in labels)
    assert len(set(labels) & set(english)) >= 3


def test_same_text_twice_gives_identical_extraction(seed_extractions):
    assert seed_extractions[("001", 7)] == seed_extractions[("002", 15)]


def test_latin_names_without_model():
    methods, datasets = latin_names("在ImageNet上,GFNET和MobileNet-V3用GPU训练")
    assert methods == ["GFNET", "MobileNet-V3"] and datasets == ["ImageNet"]


def test_helpers():
    assert best_long_form("DRO", "The Distributionally Robust Optimization") == "Distributionally Robust Optimization"
    assert best_long_form("XYZ", "nothing matching here") is None
    assert [is_name_shaped(t) for t in ("iRMB", "COCO2017", "ImageNet-1K", "Hello")] == [True, True, True, False]
    assert [singular(w) for w in ("networks", "strategies", "processes", "analysis", "dynamics")] == [
        "network", "strategy", "process", "analysis", "dynamics"]
    assert clean_text("as in (Dai et al., 2021) and [3, 4].") == "as in and ."
