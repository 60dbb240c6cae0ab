"""Well-formed topic phrases (issue 23, item 1): invariant heads, clean edges, known compounds kept."""

import pytest

from kg.extract import extract_entries
from kg.extract.phrases import is_edge_word, is_invariant, singular, singular_head, trim_edges
from kg.model import Entity, Entry, Source


def test_invariant_heads_are_not_singularised():
    words = ("media", "data", "news", "series", "species", "physics", "analytics", "graphics",
             "statistics", "multimedia", "metadata", "diabetes")
    assert [singular(w) for w in words] == list(words)
    assert [singular_head(w) for w in ("networks", "strategies", "lens")] == ["network", "strategy", "lens"]
    assert not is_invariant("networks") and not is_invariant("criteria")


def test_edges_lose_determiners_pronouns_and_numbers():
    assert [trim_edges(t) for t in ("a new evaluation metric", "our method", "these 3 networks", "stage 2",
                                    "the", "3d detection", "gpt-3 model")] == [
        "new evaluation metric", "method", "networks", "stage", "", "3d detection", "gpt-3 model"]
    assert [is_edge_word(w) for w in ("An", "their", "1,000", "2.5", "twelve", "one-shot")] == [
        True, True, True, True, True, False]


@pytest.mark.model
def test_topics_of_an_abstract_are_well_formed():
    abstract = (
        "We study the spread of rumours on social media. We propose a new evaluation metric for "
        "named entity recognition and compare it on the news data of three social media platforms. "
        "These analytics reveal the graphics of time series in particle physics."
    )
    (x,) = extract_entries([Entry(Source("x.txt", 1), "feed", title="Rumours in social media", abstract=abstract,
                                  lang="en")])
    assert [label for label, _ in x.topics] == [
        "social media", "rumour", "social media platform", "time series", "news data", "particle physics"]
    # a task, not a topic, and it keeps "named"; "a new evaluation metric" is no node at all: without
    # its edges and rating word it is the boilerplate "evaluation metric" (defined, it is a name: below)
    assert x.tasks == (Entity("named entity recognition"),) and x.metrics == ()


@pytest.mark.model
def test_defined_long_form_and_numbers_lose_their_edges():
    abstract = "We introduce a new evaluation metric (ANEM) for the task. ANEM is robust. Our 3 models use ten layers."
    (x,) = extract_entries([Entry(Source("x.txt", 1), "feed", abstract=abstract, lang="en")])
    # the defined long form keeps "new" (it is a name) and loses "a"; "ten layers" names no topic
    assert x.metrics == (Entity("new evaluation metric", ("ANEM",), "defined"),) and x.topics == ()
