"""kg.extract.columns reads the same token attributes the kg_ components used to read from Tokens."""

import gc
import weakref

import pytest

from kg.errors import ModelError
from kg.extract import columns as columns_module
from kg.extract.columns import Columns, columns_of, release
from kg.extract.pipeline import load_pipeline

from .test_attributes import TRICKY, _texts

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def nlp():
    try:
        return load_pipeline()
    except ModelError:
        pytest.skip("no English spaCy pipeline installed")


def _tokens(doc):
    return [(t.text, t.lower_, t.pos_, t.tag_, t.lemma_, t.whitespace_, t.idx, t.is_alpha, t.like_num, t.is_punct)
            for t in doc]


def test_columns_are_the_token_attributes(nlp):
    texts = _texts() + ["", "<b>“Quoted”</b> & 'odd' — ünïcödé\u2028line", "x"]
    for doc in nlp.pipe(texts):
        c = Columns(doc)
        got = list(zip(c.text, c.lower, c.pos, c.tag, c.lemma, c.ws, c.idx, map(bool, c.alpha),
                       map(bool, c.num), map(bool, c.punct)))
        assert got == _tokens(doc)
        assert c.n == len(doc)


def test_span_text_is_the_span_text(nlp):
    doc = nlp(TRICKY[2])
    c = Columns(doc)
    n = len(doc)
    for start in range(n + 1):
        for end in range(start, n + 3):
            assert c.span_text(start, end) == doc[start:end].text, (start, end)


def test_columns_are_shared_until_a_fresh_reading(nlp):
    doc = nlp("We train large models.")
    first = columns_of(doc, fresh=True)
    assert columns_of(doc) is first
    assert columns_of(nlp("Another text.")) is not first
    doc[3].tag_ = "VB"  # an annotation changed between two passes
    assert columns_of(doc, fresh=True).tag[3] == "VB"


def test_shared_columns_keep_no_doc_or_vocabulary_alive(nlp):
    doc = nlp("We train large models on ImageNet.")
    columns_of(doc, fresh=True)
    ref = weakref.ref(doc)
    del doc
    gc.collect()
    assert ref() is None
    assert columns_module._STRINGS.store is None
    assert columns_module._STRINGS  # strings cached for the next Doc, until the pass ends
    release()
    assert not columns_module._STRINGS


def test_models_run_on_numpy_blas_and_leave_the_current_backend_alone(nlp):
    from thinc.api import NumpyOps, get_current_ops

    ops = {node.ops.use_blis for name in ("tok2vec", "tagger") for node in nlp.get_pipe(name).model.walk()}
    assert ops == {False}  # numpy's BLAS, not thinc's BLIS
    current = get_current_ops()
    assert type(current) is NumpyOps and current.use_blis  # the process default is unchanged
