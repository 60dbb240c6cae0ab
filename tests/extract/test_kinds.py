"""Typing topic phrases as tasks, methods and metrics (issue 23, item 2)."""

import pytest

from kg.extract.kinds import entity_kind, parse_lexicon
from kg.extract.specificity import is_boilerplate, parse_boilerplate


def test_heads_phrases_and_known_names_type_a_label():
    labels = ("named entity recognition", "object detection", "image recognition problem", "beam search",
              "graph neural network", "word error rate", "top-1 accuracy", "accuracy", "bleu", "vit",
              "social media", "natural language processing", "image processing", "learning rate",
              "detection", "parsing", "reinforcement learning")
    # coarse tasks alone are task nodes too, as Papers with Code has "Classification"
    assert [entity_kind(x) for x in labels] == [
        "task", "task", "task", "method", "method", "metric", "metric", "metric", "metric", "method",
        None, None, None, None, "task", "task", None]


def test_a_known_tail_decides_before_the_head():
    # "statistical natural language processing" ends in a field, not in a task head
    assert entity_kind("statistical natural language processing") is None
    assert entity_kind("bidirectional beam search") == "method"


def test_lexicon_rows_are_checked_with_their_line():
    lexicon = parse_lexicon(["# comment", "head\tdetection\ttask", "phrase\timage processing\tnone"])
    assert lexicon.heads == {"detection": "task"} and lexicon.phrases == {"image processing": ""}
    with pytest.raises(ValueError, match=r"entity_lexicon.tsv:2: expected"):
        parse_lexicon(["head\tdetection\ttask", "head\tdetection\tthing"])


def test_boilerplate_lists():
    lists = parse_boilerplate(["phrase\tsource code", "head\tresult", "modifier\tfundamental"])
    assert [is_boilerplate(x, lists=lists) for x in (
        "source code", "detection result", "fundamental problem", "fundamental frequency estimation",
        "code search")] == [True, True, True, False, False]
    with pytest.raises(ValueError, match=r"boilerplate.tsv:1:"):
        parse_boilerplate(["suffix\tresult"])


def test_shipped_boilerplate_catches_the_issue_examples():
    for label in ("experimental result", "fundamental problem", "theoretical result", "empirical result",
                  "special case", "source code", "real-world application", "computational cost"):
        assert is_boilerplate(label), label
    for label in ("named entity recognition", "social media", "catastrophic forgetting", "adversarial attack"):
        assert not is_boilerplate(label), label
