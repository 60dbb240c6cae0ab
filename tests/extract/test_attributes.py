"""The memoising attribute_ruler and lemmatizer (kg.extract.attributes) give spaCy's own results."""

import pytest
import spacy

from kg.extract.attributes import MemoAttributeRuler, MemoLemmatizer, use_memo_components
from kg.extract.pipeline import MODEL_CANDIDATES
from kg.ingest import read_inputs

from ..conftest import SEEDS

pytestmark = pytest.mark.model

# words the stock rules treat specially: multi-token lemma rules ("let 's", "gon na", "y' all",
# "ai n't"), base forms kept by their morphology ("data"), spaces, odd Unicode, one-letter words
TRICKY = [
    "Let's see: we're gonna train, y'all ain't gotta worry. C'mon, it's done.",
    "The data is split; these data are noisy. A datum, two criteria, one criterion.",
    "Tabs\tand  double  spaces\n\nand newlines \u00a0 no-break, \u200bzero-width, emoji \U0001F600 ok.",
    "We propose LLaMA-2-7B; it outperforms GPT-4 on MMLU (by 3.2%) and does so at 1/10 the cost.",
    "I did it. You did. It did. There is a model; there are models; there's one.",
]


def _texts():
    entries = read_inputs([str(SEEDS)]).entries
    return [f"{e.title}\n{e.abstract}" for e in entries if e.abstract] + TRICKY


def _annotations(nlp, texts):
    names = [n for n in ("tok2vec", "tagger", "attribute_ruler", "lemmatizer") if n in nlp.pipe_names]
    with nlp.select_pipes(enable=names):
        return [[(t.text, t.tag_, t.pos_, str(t.morph), t.lemma_) for t in doc] for doc in nlp.pipe(texts)]


@pytest.fixture(scope="module")
def pipelines():
    for name in MODEL_CANDIDATES:
        try:
            stock = spacy.load(name, exclude=["parser", "ner", "senter"])
            memo = use_memo_components(spacy.load(name, exclude=["parser", "ner", "senter"]))
            return stock, memo
        except OSError:
            continue
    pytest.skip("no English spaCy pipeline installed")


def test_memo_components_replace_the_stock_ones_under_the_same_names(pipelines):
    stock, memo = pipelines
    assert memo.pipe_names == stock.pipe_names == ["tok2vec", "tagger", "attribute_ruler", "lemmatizer"]
    assert isinstance(memo.get_pipe("attribute_ruler"), MemoAttributeRuler)
    assert isinstance(memo.get_pipe("lemmatizer"), MemoLemmatizer)
    assert memo.get_pipe("attribute_ruler").usable  # the model's rules are all of the kinds it handles


def test_same_tags_pos_morphology_and_lemmas_as_spacy_token_for_token(pipelines):
    stock, memo = pipelines
    texts = _texts()
    expected = _annotations(stock, texts)
    assert _annotations(memo, texts) == expected
    assert _annotations(memo, texts) == expected  # again, now from the memos
    # the examples do reach the special cases
    tricky = {(text, lemma) for doc in expected[-len(TRICKY):] for text, _, _, _, lemma in doc}
    assert {("'s", "us"), ("na", "to"), ("data", "data"), ("criteria", "criterion"), ("ai", "be")} <= tricky


def test_a_multi_token_rule_sends_the_doc_to_the_stock_ruler(pipelines):
    _, memo = pipelines
    ruler = memo.get_pipe("attribute_ruler")
    assert ruler._contextual(memo.make_doc("let 's go"))
    assert not ruler._contextual(memo.make_doc("we train a transformer on data"))


def test_lemmatizer_without_a_stock_lemmatizer_says_so():
    nlp = spacy.blank("en")
    component = nlp.add_pipe("kg_lemmatizer")
    with pytest.raises(ValueError, match="no lemmatizer to memoise"):
        component(nlp.make_doc("x"))


def test_the_memo_lemmatizer_asks_an_index_of_sets(pipelines):
    _, memo = pipelines
    stock = memo.get_pipe("lemmatizer").stock
    index = stock.lookups.get_table("lemma_index")
    assert index and all(isinstance(words, frozenset) for words in index.values())
    # the other tables are the model's own
    assert stock.lookups.get_table("lemma_exc") is not None


def test_loading_other_rules_relearns_which_words_start_a_multi_token_rule(pipelines):
    _, memo = pipelines
    ruler = memo.get_pipe("attribute_ruler")
    other = spacy.blank("en").add_pipe("attribute_ruler")
    other.add([[{"LOWER": "foo"}, {"LOWER": "bar"}]], {"LEMMA": "foobar"})
    copy = MemoAttributeRuler(memo.vocab, "copy", ruler.ruler.patterns)
    assert not copy._contextual(memo.make_doc("foo bar"))
    copy.from_bytes(other.to_bytes())
    assert copy._contextual(memo.make_doc("foo bar"))
    assert copy._contextual(memo.make_doc("let 's go"))  # spaCy's from_bytes adds to the rules it had
