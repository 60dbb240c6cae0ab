"""`kg query` and kg.sparql.query: every named query on the seeds (exact rows), formats, errors, binding.

The expected rows were read off the seed files and exports/papers.jsonl / corpus.json of a seed
build, then written down here; they are not recomputed with the code under test.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildDir
from kg.cli import cli
from kg.errors import KgError
from kg.sparql.query import (
    NamedQuery,
    ParameterError,
    QueryResult,
    QuerySyntaxError,
    UnknownQueryError,
    catalog,
    format_result,
    list_queries,
    load_query,
    parse_params,
    run_query,
    where_group_start,
)
from kg.sparql.store import GraphNotFoundError, open_store

from ..fixtures import corpus as fixture

ROOT = Path(__file__).resolve().parent.parent.parent
PAPER = "https://example.org/kg/paper/"
KN = PAPER + "arxiv/2104.08696"  # Knowledge Neurons in Pretrained Transformers
VITRUVION = PAPER + "arxiv/2109.14124"
PIN = PAPER + "arxiv/2204.03609"
DRO = PAPER + "arxiv/2204.06340"
DIFF = PAPER + "arxiv/2209.00616"

QUERY_PARAMS = {
    "author-papers": ("author",),
    "category-papers": ("category",),
    "coauthors": ("author",),
    "datasets-of-task": ("task",),
    "first-authors-by-institution": (),
    "institution-collaborators": ("institution",),
    "methods-for-task": ("task",),
    "paper-authors": ("paper",),
    "paper-entities": ("paper",),
    "paper-methods-datasets": ("paper",),
    "papers-in-period": ("from", "to"),
    "papers-with-code": (),
    "related-topics": ("topic",),
    "similar-papers": ("paper",),
    "tasks-of-institution": ("institution",),
    "top-topics": (),
    "topic-papers": ("topic",),
    "topics-in-period": ("from", "to"),
}

# (query name, params, columns, rows) on the seed build
CASES = [
    ("coauthors", {"author": "D Dai"}, ("coauthor", "papers"),
     [("B Chang", 1), ("F Wei", 1), ("L Dong", 1), ("Y Hao", 1), ("Z Sui", 1)]),
    ("coauthors", {"author": "R P. Adams"}, ("coauthor", "papers"),
     [("A Seff", 1), ("N Richardson", 1), ("W Zhou", 1)]),
    ("coauthors", {"author": "F Petersen"}, ("coauthor", "papers"), []),
    ("coauthors", {"author": "d dai"}, ("coauthor", "papers"), []),  # names match exactly
    ("author-papers", {"author": "F Petersen"}, ("title", "year", "position", "paper"),
     [("Learning with Differentiable Algorithms", 2022, 1, DIFF)]),
    ("author-papers", {"author": "G Neubig"}, ("title", "year", "position", "paper"),
     [("Distributionally Robust Models with Parametric Likelihood Ratios", 2022, 3, DRO)]),
    ("author-papers", {"author": "Nobody"}, ("title", "year", "position", "paper"), []),
    ("institution-collaborators", {"institution": "Yonsei University"}, ("partner", "ror", "papers"),
     [("Ewha Womans University", "https://ror.org/053fp5c05", 1), ("NAVER AI Lab", None, 1)]),
    ("institution-collaborators", {"institution": "Peking University"}, ("partner", "ror", "papers"),
     [("Microsoft", "https://ror.org/00d0nc645", 1)]),
    # printed as "Microsoft Research" in the digest, resolved to the ROR name "Microsoft"
    ("institution-collaborators", {"institution": "Microsoft Research"}, ("partner", "ror", "papers"),
     [("Peking University", "https://ror.org/02v51f717", 1)]),
    ("institution-collaborators", {"institution": "CMU"}, ("partner", "ror", "papers"),
     [("Stanford University", "https://ror.org/00f54p054", 1),
      ("École Normale Supérieure - PSL", "https://ror.org/05a0dhs15", 1)]),
    ("institution-collaborators", {"institution": "University of Konstanz"}, ("partner", "ror", "papers"), []),
    ("top-topics", {}, ("topic", "papers"), [
        # topics as ranked since background frequencies and Chinese topics (kg/extract): the two
        # Chinese-only feed entries share "spatial redundancy" and "video frame"; the Chinese Adafocus
        # entry's 强化学习 is "reinforcement learning", as the English OPNDQN abstract writes it. Since
        # issue 23 boilerplate ("computational cost", "real-world dataset") is no topic, and typed
        # entities are not topics: "markov decision process" is the method "Markov Decision Process"
        # (alias MDP), "deep neural network" an alias of the method DNN, "attack success rate" a metric,
        # "automatic music generation" a task, "backbone model" and "black-box il model" methods, and
        # "adafocus" the method Adafocus; "leaplabthu" (a GitHub user of a code link) no topic
        ("reinforcement learning", 2), ("spatial redundancy", 2), ("video frame", 2),
        ("310k class vocabulary", 1), ("6-dof", 1), ("adjacency descriptor", 1),
        ("algorithmic supervision", 1), ("animal few-shot learning", 1), ("arbitrary unseen domain", 1),
        ("artificial intelligence", 1), ("asr score", 1), ("automation system", 1), ("backdoor attack", 1),
        ("bit-wise interaction", 1), ("bounded order", 1), ("bounding box", 1), ("broader class", 1),
        ("church-turing thesis", 1), ("classification label", 1), ("clip score", 1),
    ]),
    # topics of two papers, the label in any case ("markov decision process" and "deep neural network",
    # used here until issue 23, are now a method and a method's alias: no topics)
    ("topic-papers", {"topic": "Reinforcement Learning"}, ("title", "year", "paper"),
     [(None, None, PAPER + "text/0110419323bbc7bf"), (None, None, PAPER + "text/b4cc57d9bfd1afdf")]),
    ("topic-papers", {"topic": "spatial redundancy"}, ("title", "year", "paper"),
     [(None, None, PAPER + "text/0110419323bbc7bf"), (None, None, PAPER + "text/5aafeada96e5357c")]),
    ("topic-papers", {"topic": "knowledge neuron"}, ("title", "year", "paper"),
     [("Knowledge Neurons in Pretrained Transformers", 2021, KN)]),
    # a paper read from two digests: its triples are in two named graphs, yet one row
    # ("inverted residual mobile block" itself is the paper's method, so no topic)
    ("topic-papers", {"topic": "modern inverted residual mobile block"}, ("title", "year", "paper"),
     [(None, None, PAPER + "text/8872a9c53485897c")]),
    # a topic of two papers (the Chinese Adafocus entry and the English OPNDQN one): both papers' topics
    ("related-topics", {"topic": "reinforcement learning"}, ("related", "papers"), [
        ("6-dof", 1), ("computation efficiency", 1), ("convergence rate", 1),
        ("execution time adaptive computation", 1), ("exponential growth", 1),
        ("multi-agent reinforcement learning", 1), ("mutual influence", 1), ("nash equilibrium", 1),
        ("neighboring intersection", 1), ("patch selection operation", 1), ("phase training pipeline", 1),
        ("raw adafocus", 1), ("simulation of urban mobility simulator", 1), ("spatial redundancy", 1),
        ("state information", 1), ("state-action space", 1), ("training stability", 1), ("video frame", 1),
    ]),
    # "generative modeling" is a task since issue 23, no topic
    ("related-topics", {"topic": "vitruvion"}, ("related", "papers"), [
        ("computer-aided design", 1), ("design process", 1), ("generative model", 1),
        ("geometric primitive", 1), ("hand-drawn sketch", 1), ("machine learning", 1),
        ("modern mechanical design", 1), ("parametric cad sketch", 1), ("parametric computer-aided design", 1),
    ]),
    # no two seed papers share two topics: the only shared ones are single
    ("similar-papers", {"paper": "2204.03609"}, ("title", "similar_paper", "shared_topics"), []),
    ("similar-papers", {"paper": "Knowledge Neurons in Pretrained Transformers"},
     ("title", "similar_paper", "shared_topics"), []),
    # "Distributionally Robust Optimization (DRO)": named by its long form since issue 23, the acronym
    # an alias; typed phrases of the abstract are methods too
    ("paper-methods-datasets", {"paper": "2204.06340"}, ("kind", "name", "alias"), [
        ("method", "Distributionally Robust Optimization", "DRO"), ("method", "importance sampling", None),
        ("method", "mini-batch level normalization", None), ("method", "re-weighting scheme", None),
    ]),
    ("paper-methods-datasets", {"paper": "Vitruvion: A Generative Model of Parametric CAD Sketches"},
     ("kind", "name", "alias"), [("dataset", "SketchGraphs", None)]),
    # "六个基准数据集(即,ActivityNet,FCVID,Mini-Kinetics,Something-V1&V2和Jesters)": since issue 23
    # all datasets ("V2" is no name), "Jesters" under the known name Jester
    ("paper-methods-datasets", {"paper": PAPER + "text/0110419323bbc7bf"}, ("kind", "name", "alias"), [
        ("method", "Adafocus", None), ("dataset", "ActivityNet", None), ("dataset", "FCVID", None),
        ("dataset", "Jester", "Jesters"), ("dataset", "Mini-Kinetics", None), ("dataset", "Something-V1", None),
    ]),
    # EMO and iRMB named by their long forms since issue 23, the acronyms aliases; known methods and
    # datasets (kg/data/methods.txt, datasets.txt) with their known other names
    ("paper-methods-datasets", {"paper": PAPER + "text/8872a9c53485897c"}, ("kind", "name", "alias"), [
        ("method", "Efficient MOdel", "EMO"), ("method", "Inverted Residual Mobile Block", "iRMB"),
        ("method", "ResNet", "ResNets"), ("method", "ResNet", "residual network"),
        ("method", "ResNet", "residual networks"), ("method", "ViT", "Vision Transformer"),
        ("method", "ViT", "vision transformers"), ("method", "cnn-based lightweight method", None),
        ("method", "resnet-like 4-phase efficient model", None),
        ("dataset", "ADE20K", None), ("dataset", "COCO2017", None), ("dataset", "ImageNet-1K", "ImageNet 1K"),
        ("dataset", "ImageNet-1K", "ImageNet1K"),
    ]),
    # none until issue 23; now BERT (with its long form from kg/data/methods.txt) and typed phrases
    ("paper-methods-datasets", {"paper": "2104.08696"}, ("kind", "name", "alias"), [
        ("method", "BERT", "Bidirectional Encoder Representations from Transformers"),
        ("method", "knowledge attribution method", None), ("method", "large-scale pretrained language model", None),
        ("method", "pretrained transformer", None),
    ]),
    ("paper-authors", {"paper": "Knowledge Neurons in Pretrained Transformers"},
     ("position", "printed_name", "name", "author"), [
        (1, "D Dai", "D Dai", "https://example.org/kg/author/d-dai-5a6d67c1"),
        (2, "L Dong", "L Dong", "https://example.org/kg/author/l-dong-d39719c4"),
        (3, "Y Hao", "Y Hao", "https://example.org/kg/author/y-hao-30c08d4f"),
        (4, "Z Sui", "Z Sui", "https://example.org/kg/author/z-sui-9561a129"),
        (5, "B Chang", "B Chang", "https://example.org/kg/author/b-chang-59b8d065"),
        (6, "F Wei", "F Wei", "https://example.org/kg/author/f-wei-3176502d"),
    ]),
    ("paper-authors", {"paper": DIFF}, ("position", "printed_name", "name", "author"),
     [(1, "F Petersen", "F Petersen", "https://example.org/kg/author/f-petersen-24e92c87")]),
    ("first-authors-by-institution", {}, ("institution", "first_author", "papers"), [
        ("Carnegie Mellon University", "P Michel", 1),
        ("Ewha Womans University", "J Kim", 1),
        ("Microsoft", "D Dai", 1),
        ("NAVER AI Lab", "J Kim", 1),
        ("New York University", "A Seff", 1),
        ("Peking University", "D Dai", 1),
        ("Princeton University", "A Seff", 1),
        ("Stanford University", "P Michel", 1),
        ("University of Konstanz", "F Petersen", 1),
        ("Yonsei University", "J Kim", 1),
        ("École Normale Supérieure - PSL", "P Michel", 1),
    ]),
    ("papers-with-code", {}, ("title", "repository", "paper"), [
        (None, "https://github.com/leaplabthu/adafocusv2", PAPER + "text/0110419323bbc7bf"),
        (None, "https://github.com/LeapLabTHU/Model-Assembling", PAPER + "text/1216274af45bf0b8"),
        (None, "https://github.com/blackfeather-wang/gfnet-pytorch", PAPER + "text/5aafeada96e5357c"),
        (None, "https://github.com/yanyachen/xDeepInt", PAPER + "text/a1751451e42209cb"),
        (None, "https://muse-model.github.io", PAPER + "text/d4cec0115d84da9e"),
        (None, "https://github.com/junjie18/CMT", PAPER + "text/ec43802e17632f33"),
        ("Knowledge Neurons in Pretrained Transformers", "https://github.com/Hunter-DDM/knowledge-neurons", KN),
    ]),
    ("category-papers", {"category": "cs.LG"}, ("title", "year", "notation", "paper"), [
        ("Distributionally Robust Models with Parametric Likelihood Ratios", 2022, "cs.LG", DRO),
        ("Learning with Differentiable Algorithms", 2022, "cs.LG", DIFF),
        ("Vitruvion: A Generative Model of Parametric CAD Sketches", 2021, "cs.LG", VITRUVION),
    ]),
    ("category-papers", {"category": "cs"}, ("title", "year", "notation", "paper"), [
        ("Distributionally Robust Models with Parametric Likelihood Ratios", 2022, "cs.LG", DRO),
        ("Learning with Differentiable Algorithms", 2022, "cs.LG", DIFF),
        ("Pin the Memory: Learning to Generalize Semantic Segmentation", 2022, "cs.CV", PIN),
        ("Knowledge Neurons in Pretrained Transformers", 2021, "cs.CL", KN),
        ("Vitruvion: A Generative Model of Parametric CAD Sketches", 2021, "cs.LG", VITRUVION),
    ]),
    ("category-papers", {"category": "cs.AI"}, ("title", "year", "notation", "paper"), []),
    # the seeds are dated by their arXiv ids only (the month's first day); the feeds' papers are undated
    ("papers-in-period", {"from": "2021-01-01", "to": "2022-04-30"}, ("date", "source", "title", "paper"), [
        ("2021-04-01", "arxiv-id", "Knowledge Neurons in Pretrained Transformers", KN),
        ("2021-09-01", "arxiv-id", "Vitruvion: A Generative Model of Parametric CAD Sketches", VITRUVION),
        ("2022-04-01", "arxiv-id", "Distributionally Robust Models with Parametric Likelihood Ratios", DRO),
        ("2022-04-01", "arxiv-id", "Pin the Memory: Learning to Generalize Semantic Segmentation", PIN),
    ]),
    ("papers-in-period", {"from": "2022-09-01", "to": "2022-09-01"}, ("date", "source", "title", "paper"), [
        ("2022-09-01", "arxiv-id", "Learning with Differentiable Algorithms", DIFF),  # both days included
    ]),
    ("papers-in-period", {"from": "2022", "to": "2022-12-31"}, ("date", "source", "title", "paper"), []),  # not a date
    ("topics-in-period", {"from": "2021-09-01", "to": "2021-09-30"}, ("topic", "papers"), [
        ("computer-aided design", 1), ("design process", 1), ("generative model", 1), ("geometric primitive", 1),
        ("hand-drawn sketch", 1), ("machine learning", 1), ("modern mechanical design", 1), ("parametric cad sketch", 1),
        ("parametric computer-aided design", 1), ("vitruvion", 1),
    ]),
    ("topics-in-period", {"from": "2023-01-01", "to": "2023-12-31"}, ("topic", "papers"), []),
]

# (query name, params, columns, rows) on the fixture corpus (tests/fixtures/corpus.py): the queries
# over typed entities (tasks, methods, datasets, metrics), whose rows the seeds' extraction decides
FIXTURE_PAPER = "https://example.org/kg/paper/arxiv/"
FIXTURE_CASES = [
    # KN and FSS both list Peking University (FSS as printed "Peking University", KN as "北京大学")
    ("tasks-of-institution", {"institution": "Peking University"}, ("task", "papers"), [
        ("transfer learning", 2), ("few-shot semantic segmentation", 1), ("knowledge attribution", 1),
        ("semantic segmentation", 1)]),
    ("tasks-of-institution", {"institution": "北京大学"}, ("task", "papers"), [
        ("transfer learning", 2), ("few-shot semantic segmentation", 1), ("knowledge attribution", 1),
        ("semantic segmentation", 1)]),
    # printed "Microsoft Research", resolved to the ROR name "Microsoft"
    ("tasks-of-institution", {"institution": "Microsoft Research"}, ("task", "papers"),
     [("knowledge attribution", 1), ("transfer learning", 1)]),
    ("tasks-of-institution", {"institution": fixture.HOSTILE_INSTITUTION}, ("task", "papers"),
     [(fixture.HOSTILE_TASK, 1)]),
    ("tasks-of-institution", {"institution": "peking university"}, ("task", "papers"), []),  # names match exactly
    # the task by name or alias, ignoring case; KN and FSS both use Transformer
    ("methods-for-task", {"task": "Transfer Learning"}, ("method", "papers"),
     [("Transformer", 2), ("CMT", 1), ("KN", 1)]),
    ("methods-for-task", {"task": "fss"}, ("method", "papers"), [("CMT", 1), ("Transformer", 1)]),
    ("methods-for-task", {"task": fixture.HOSTILE_ALIAS}, ("method", "papers"), [("A<B>", 1)]),
    ("methods-for-task", {"task": "image segmentation"}, ("method", "papers"), []),  # the note names no method
    ("datasets-of-task", {"task": "transfer learning"}, ("dataset", "papers"),
     [("COCO", 1), ("PARAREL", 1), ("PASCAL VOC", 1)]),
    ("datasets-of-task", {"task": "TL"}, ("dataset", "papers"), [("COCO", 1), ("PARAREL", 1), ("PASCAL VOC", 1)]),
    ("datasets-of-task", {"task": "semantic segmentation"}, ("dataset", "papers"), [("COCO", 1), ("PASCAL VOC", 1)]),
    ("datasets-of-task", {"task": fixture.HOSTILE_TASK.upper()}, ("dataset", "papers"), [('Data "set"\n2', 1)]),
    ("paper-entities", {"paper": "2102.00002"}, ("kind", "name", "via"), [
        ("task", "few-shot semantic segmentation", "title"), ("task", "semantic segmentation", "mentioned"),
        ("task", "transfer learning", "mentioned"), ("method", "CMT", "defined"), ("method", "Transformer", "mentioned"),
        ("dataset", "COCO", "mentioned"), ("dataset", "PASCAL VOC", "mentioned"), ("metric", "mIoU", "mentioned")]),
    ("paper-entities", {"paper": FIXTURE_PAPER + "2203.00003"}, ("kind", "name", "via"), [
        ("task", fixture.HOSTILE_TASK, "title"), ("method", "A<B>", "defined"), ("dataset", 'Data "set"\n2', "mentioned"),
        ("metric", "F1", "mentioned")]),
    ("paper-entities", {"paper": "Knowledge neurons in pretrained transformers"}, ("kind", "name", "via"), [
        ("task", "knowledge attribution", "defined"), ("task", "transfer learning", "mentioned"),
        ("method", "KN", "defined"), ("method", "Transformer", "mentioned"), ("dataset", "PARAREL", "mentioned")]),
    # one row per alias, from every paper that gave one
    ("paper-methods-datasets", {"paper": "2102.00002"}, ("kind", "name", "alias"), [
        ("method", "CMT", "cross-modal transformer"), ("method", "Transformer", None), ("dataset", "COCO", None),
        ("dataset", "PASCAL VOC", "VOC")]),
]

NASTY = [
    '"} . DROP ALL',
    '" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o . FILTER("',
    "D Dai\" || true || \"",
    "x' . ?s ?p ?o }",
    "line\nbreak\r\n} DROP ALL #",
    "<https://example.org/kg/author/d-dai-5a6d67c1>",
    "?author",
    "",
]

# A tiny hand-written graph (no spaCy needed): two papers share two topics; odd titles for CSV.
MINI_NQ = """\
<http://x/p1> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/spar/fabio/Preprint> <http://x/g1> .
<http://x/p1> <http://purl.org/dc/terms/title> "=HYPERLINK(\\"http://evil\\")" <http://x/g1> .
<http://x/p1> <http://purl.org/dc/terms/subject> <http://x/t1> <http://x/g1> .
<http://x/p1> <http://purl.org/dc/terms/subject> <http://x/t2> <http://x/g1> .
<http://x/p1> <http://purl.org/dc/terms/subject> <http://x/t3> <http://x/g1> .
<http://x/p2> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/spar/fabio/Preprint> <http://x/g2> .
<http://x/p2> <http://purl.org/dc/terms/title> "-2+3" <http://x/g2> .
<http://x/p2> <http://purl.org/dc/terms/title> "-2+3" <http://x/g1> .
<http://x/p2> <http://purl.org/dc/terms/subject> <http://x/t1> <http://x/g1> .
<http://x/p2> <http://purl.org/dc/terms/subject> <http://x/t1> <http://x/g2> .
<http://x/p2> <http://purl.org/dc/terms/subject> <http://x/t2> <http://x/g2> .
<http://x/p3> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/spar/fabio/Preprint> <http://x/g2> .
<http://x/p3> <http://purl.org/dc/terms/title> "@SUM(A1)\\tand, \\"quotes\\"\\nnext line" <http://x/g2> .
<http://x/p3> <http://purl.org/dc/terms/subject> <http://x/t1> <http://x/g2> .
<http://x/p3> <http://purl.org/dc/terms/subject> <http://x/t2> <http://x/g2> .
<http://x/p3> <http://purl.org/dc/terms/subject> <http://x/t3> <http://x/g2> .
<http://x/p4> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <http://purl.org/spar/fabio/Preprint> <http://x/g2> .
<http://x/p4> <http://purl.org/dc/terms/subject> <http://x/t3> <http://x/g2> .
<http://x/t1> <http://www.w3.org/2004/02/skos/core#prefLabel> "alpha"@en <http://x/g1> .
<http://x/t2> <http://www.w3.org/2004/02/skos/core#prefLabel> "beta"@en <http://x/g1> .
<http://x/t3> <http://www.w3.org/2004/02/skos/core#prefLabel> "+gamma"@en <http://x/g2> .
"""


# --- fixtures ----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def graph_dir(seed_build, seeds_dir) -> Path:
    return seeds_dir / "exports"


@pytest.fixture(scope="module")
def store(graph_dir):
    return open_store(graph_dir)


@pytest.fixture(scope="module")
def fixture_store(fixture_corpus, tmp_path_factory):
    """The fixture corpus's graph.nq, loaded into memory as kg query loads an RDF file (no build)."""
    from kg.export.rdf import write_rdf

    path = tmp_path_factory.mktemp("fixture-rdf") / "graph.nq"
    write_rdf(fixture_corpus, path, "nquads")
    return open_store(path)


@pytest.fixture()
def fresh_mini(tmp_path) -> Path:
    """A graph folder holding MINI_NQ's graph.nq only."""
    (tmp_path / "graph.nq").write_text(MINI_NQ, encoding="utf-8")
    return tmp_path


@pytest.fixture(scope="module")
def mini(tmp_path_factory) -> Path:
    """The same folder shared by the tests that only read it: its store is made once, by the first."""
    folder = tmp_path_factory.mktemp("mini")
    (folder / "graph.nq").write_text(MINI_NQ, encoding="utf-8")
    return folder


def invoke(*args, input=None):
    return CliRunner().invoke(cli, ["query", *args], input=input)


# --- the library of named queries (no build needed) --------------------------------------------


def test_named_queries_and_their_parameters():
    queries = list_queries()
    assert {q.name: q.param_names for q in queries} == QUERY_PARAMS
    assert [q.name for q in queries] == sorted(QUERY_PARAMS)
    for q in queries:
        assert isinstance(q, NamedQuery)
        assert q.description and "\n" not in q.description
        assert all(help_ for _, help_ in q.params), q.name
        assert "ORDER BY" in q.text, q.name
        for param in q.param_names:  # Oxigraph substitutes projected variables only
            select = q.text[q.text.index("SELECT"): q.text.index("WHERE")]
            assert f"?{param}" in select, (q.name, param)
    with pytest.raises(dataclasses.FrozenInstanceError):
        queries[0].name = "x"


def test_every_named_query_is_documented():
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    for name, params in QUERY_PARAMS.items():
        row = next((line for line in doc.splitlines() if line.startswith(f"| `{name}` |")), None)
        assert row is not None, name
        # the example names every parameter: `kg query papers-in-period --param from=… --param to=…`
        example = row[row.find(f"`kg query {name}"):]
        assert example.startswith(f"`kg query {name}"), name
        for p in params:
            assert f"`{p}`" in row and f" --param {p}=" in example.split("`")[1], name


def test_every_named_query_has_an_exact_case():
    assert {case[0] for case in CASES + FIXTURE_CASES} == set(QUERY_PARAMS)
    # the queries over typed entities have theirs on the fixture corpus
    assert {"tasks-of-institution", "methods-for-task", "datasets-of-task", "paper-entities"} <= {
        case[0] for case in FIXTURE_CASES}


def test_load_query_forms(tmp_path):
    assert load_query("coauthors").name == "coauthors"
    text = load_query("SELECT ?s WHERE { ?s ?p ?o }")
    assert text.name == "<inline>" and text.params == ()
    rq = tmp_path / "mine.rq"
    rq.write_text("# description: mine\n# param: who  somebody\n# param: ?what  something\nSELECT ?who ?what {}\n")
    q = load_query(str(rq))
    assert (q.name, q.description, q.params) == ("mine", "mine", (("who", "somebody"), ("what", "something")))
    with pytest.raises(UnknownQueryError, match=r"unknown query 'coauthor'; available: author-papers, .*coauthors"):
        load_query("coauthor")
    with pytest.raises(UnknownQueryError, match="no such query file"):
        load_query(str(tmp_path / "missing.rq"))


def test_parse_params():
    assert parse_params(["author=D Dai", "x==1", "e="]) == {"author": "D Dai", "x": "=1", "e": ""}
    with pytest.raises(ParameterError, match="expected key=value"):
        parse_params(["author"])
    with pytest.raises(ParameterError, match="expected key=value"):
        parse_params(["bad key=1"])
    with pytest.raises(ParameterError, match="given twice"):
        parse_params(["a=1", "a=2"])


def test_catalog_and_list_command():
    assert catalog().columns == ("name", "parameters", "description")
    result = invoke("--list", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[0] == ["name", "parameters", "description"]
    assert {r[0]: r[1] for r in rows[1:]} == {k: " ".join(v) for k, v in QUERY_PARAMS.items()}
    table = invoke("--list")
    assert table.exit_code == 0
    lines = table.output.splitlines()
    assert lines[0].split() == ["name", "parameters", "description"]
    assert any(line.startswith("coauthors ") and " author " in line and "Co-authors of an author" in line for line in lines)
    assert len(lines) == 2 + len(QUERY_PARAMS)


def test_help_text():
    result = invoke("--help")
    assert result.exit_code == 0 and 'Example: kg query coauthors --param author="D Dai"' in result.output


# --- the store -------------------------------------------------------------------------------


def test_a_folder_of_graph_nq_alone_gets_a_store_made_once(fresh_mini):
    """A folder kg build did not write (graph.nq alone) gets the store a build keeps, made once,
    quietly, and opened read-only; it is made anew when graph.nq changes, and says so."""
    mini = fresh_mini
    everything = load_query("SELECT ?s ?o WHERE { ?s dcterms:title ?o } ORDER BY ?s ?o")
    in_memory = run_query(open_store(mini / "graph.nq"), everything, {})  # a file, not a build folder
    assert not (mini / ".kg").exists()
    heard = []
    store = open_store(mini, notify=heard.append)
    folder = BuildDir(mini)
    assert folder.store_db.is_dir() and heard == [] and not (mini / ".oxigraph-store").exists()
    # same answers, the default graph the merge with each triple once (p2's title is in two graphs)
    assert run_query(store, everything, {}) == in_memory
    assert [row[0] for row in in_memory.rows] == ["http://x/p1", "http://x/p2", "http://x/p3"]
    with pytest.raises(RuntimeError, match="read-write"):  # opened read-only
        store.update('INSERT DATA { <http://x/a> <http://x/b> "c" }')
    made = folder.store.resolve()
    open_store(mini, notify=heard.append)
    assert folder.store.resolve() == made and heard == []  # graph.nq unchanged: the same store
    with open(mini / "graph.nq", "a", encoding="utf-8") as handle:
        handle.write('<http://x/p4> <http://purl.org/dc/terms/title> "delta" <http://x/g2> .\n')
    assert run_query(open_store(mini, notify=heard.append), everything, {}).rows[-1] == ("http://x/p4", "delta")
    assert folder.store.resolve() != made
    assert len(heard) == 1 and re.fullmatch(rf"{re.escape(str(mini))}/: store of another graph\.nq rebuilt from graph\.nq \(\d+\.\d s\)", heard[0])


# --- errors ------------------------------------------------------------------------------------


def test_graph_folder_without_graph_nq(tmp_path):
    with pytest.raises(GraphNotFoundError, match=r"no graph\.nq .*run `kg build"):
        open_store(tmp_path)
    with pytest.raises(GraphNotFoundError, match="no such folder"):
        open_store(tmp_path / "nope")
    result = invoke("top-topics", "--graph", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {tmp_path}: no graph.nq in this folder; run `kg build --out {tmp_path}` first"


def test_unknown_query_name(mini):
    result = invoke("co-authors", "--graph", str(mini))
    assert result.exit_code == 1
    assert result.output.startswith("Error: unknown query 'co-authors'; available: author-papers, category-papers, coauthors,")


def test_missing_and_extra_parameters(mini):
    store = open_store(mini)
    with pytest.raises(ParameterError, match=r"query 'similar-papers' needs --param paper=\.\.\."):
        run_query(store, load_query("similar-papers"), {})
    with pytest.raises(ParameterError, match=r"has no parameter 'topic'; its parameters are paper"):
        run_query(store, load_query("similar-papers"), {"paper": "x", "topic": "y"})
    with pytest.raises(ParameterError, match="it takes no parameters"):
        run_query(store, load_query("top-topics"), {"limit": "3"})
    result = invoke("coauthors", "--graph", str(mini))
    assert result.exit_code == 1
    assert result.output.strip() == (
        "Error: query 'coauthors' needs --param author=... (author: Author name, resolved or as printed, e.g. \"D Dai\")"
    )
    assert invoke("coauthors", "--graph", str(mini), "--param", "author").exit_code == 1


def test_syntax_error(mini):
    with pytest.raises(QuerySyntaxError) as caught:
        run_query(open_store(mini), load_query("SELECT ?s WHERE { ?s ?p "), {})
    # Oxigraph's long list of what it expected there is left out
    assert str(caught.value) == "query '<inline>': SPARQL syntax error at line 1, column 25 (at the end of the query)"
    result = invoke("-", "--graph", str(mini), input="SELECT ?s WHERE { ?s ?p }")
    assert (result.exit_code, result.output) == (
        1, "Error: query '<stdin>': SPARQL syntax error at line 1, column 26: expected one of LATERAL, SERVICE "
           "(at the end of the query)\n")


def test_invalid_sparql_on_stdin_is_a_syntax_error_with_line_and_column(mini):
    """Text on stdin is always SPARQL: a typo is the parser's error, with where, not "unknown query"."""
    cases = [
        ("SELEC ?x WHERE {}", 'at line 1, column 10: expected CONSTRUCT (near "WHERE {}")'),
        ("# name: typo\nSELECT ?title\nWHER {\n  ?p dcterms:title ?title .\n}\n",
         'at line 3, column 6: expected WHERE (near "{ ?p dcterms:title ?title . }")'),
        ("coauthors", "at line 1, column 10: expected CONSTRUCT (at the end of the query)"),  # not the named query
    ]
    for text, where in cases:
        result = invoke("-", "--graph", str(mini), input=text)
        name = "typo" if text.startswith("# name: typo") else "<stdin>"
        assert (result.exit_code, result.output) == (1, f"Error: query '{name}': SPARQL syntax error {where}\n")
    result = invoke("-", "--graph", str(mini), input=" \n")
    assert (result.exit_code, result.output) == (1, "Error: empty query on standard input\n")


def test_parameter_must_be_projected(mini):
    q = load_query("# param: x  an x\nSELECT ?s WHERE { ?s ?p ?x }")
    with pytest.raises(KgError, match="must be listed in the SELECT clause"):
        run_query(open_store(mini), q, {"x": "1"})


def test_no_query_is_a_usage_error():
    result = invoke()
    assert result.exit_code == 2 and "give a query NAME, a FILE.rq or -" in result.output


# --- formats and binding on a hand-written graph -----------------------------------------------


def test_similar_papers_on_a_graph_with_shared_topics(mini):
    store = open_store(mini)
    result = run_query(store, load_query("similar-papers"), {"paper": "http://x/p1"})
    assert result == QueryResult(
        columns=("title", "similar_paper", "shared_topics"),
        rows=(('@SUM(A1)\tand, "quotes"\nnext line', "http://x/p3", 3), ("-2+3", "http://x/p2", 2)),
    )
    by_title = run_query(store, load_query("similar-papers"), {"paper": "-2+3"})
    assert by_title.rows == (('=HYPERLINK("http://evil")', "http://x/p1", 2), ('@SUM(A1)\tand, "quotes"\nnext line', "http://x/p3", 2))
    assert run_query(store, load_query("similar-papers"), {"paper": "http://x/p4"}).rows == ()


def test_csv_neutralises_formulas(mini):
    result = invoke("similar-papers", "--graph", str(mini), "--param", "paper=http://x/p4", "--format", "csv")
    assert result.exit_code == 0 and result.output == "title,similar_paper,shared_topics\n"
    result = invoke("top-topics", "--graph", str(mini), "--format", "csv")
    assert result.output == "topic,papers\n'+gamma,3\nalpha,3\nbeta,3\n"
    result = invoke("similar-papers", "--graph", str(mini), "--param", "paper=http://x/p2", "--format", "csv")
    assert result.exit_code == 0
    assert result.output == (
        "title,similar_paper,shared_topics\n"
        '"\'=HYPERLINK(""http://evil"")",http://x/p1,2\n'
        '"\'@SUM(A1)\tand, ""quotes""\nnext line",http://x/p3,2\n'
    )
    rows = list(csv.reader(io.StringIO(result.output)))
    assert rows[1:] == [["'=HYPERLINK(\"http://evil\")", "http://x/p1", "2"], ["'@SUM(A1)\tand, \"quotes\"\nnext line", "http://x/p3", "2"]]
    text = format_result(QueryResult(("a", "n"), (("-1", -1), ("+", 2.5), ("\tx", None), ("\rx", True), ("a=b", 0))), "csv")
    assert text == "a,n\n'-1,-1\n'+,2.5\n'\tx,\n\"'\rx\",true\na=b,0"
    assert list(csv.reader(io.StringIO(text, newline=""))) == [
        ["a", "n"], ["'-1", "-1"], ["'+", "2.5"], ["'\tx", ""], ["'\rx", "true"], ["a=b", "0"]
    ]


def test_table_and_json_formats(mini):
    result = invoke("similar-papers", "--graph", str(mini), "--param", "paper=http://x/p2")
    assert result.exit_code == 0
    assert result.output.splitlines() == [
        "title                               similar_paper  shared_topics",
        "----------------------------------  -------------  -------------",
        '=HYPERLINK("http://evil")           http://x/p1                2',
        '@SUM(A1)\\tand, "quotes"\\nnext line  http://x/p3                2',
    ]
    data = json.loads(invoke("top-topics", "--graph", str(mini), "--format", "json").output)
    assert data == [{"topic": "+gamma", "papers": 3}, {"topic": "alpha", "papers": 3}, {"topic": "beta", "papers": 3}]
    wide = format_result(QueryResult(("名", "n"), (("知识神经元", 1), (None, 22))), "table")
    assert wide.splitlines() == ["名           n", "----------  --", "知识神经元   1", "            22"]
    assert format_result(QueryResult(("x",), ()), "json") == "[]"
    with pytest.raises(KgError, match="unknown output format 'xml'"):
        format_result(QueryResult(("x",), ()), "xml")


def test_values_are_plain_python(mini):
    store = open_store(mini)
    result = run_query(store, """SELECT ?iri ?s ?i ?d ?b ?lang ?unbound WHERE {
        BIND (<http://x/p1> AS ?iri) BIND ("s" AS ?s) BIND (42 AS ?i) BIND (1.5 AS ?d)
        BIND (true AS ?b) BIND ("chat"@fr AS ?lang) }""", {})
    assert result.rows == (("http://x/p1", "s", 42, 1.5, True, "chat", None),)
    assert run_query(store, "ASK { ?s ?p ?o }", {}) == QueryResult(("result",), ((True,),))
    constructed = run_query(store, "CONSTRUCT { ?p <http://x/t> ?t } WHERE { ?p dcterms:title ?t FILTER(?p = <http://x/p2>) }", {})
    assert constructed == QueryResult(("subject", "predicate", "object"), (("http://x/p2", "http://x/t", "-2+3"),))


def test_years_are_numbers(mini):
    """dcterms:issued is an xsd:gYear: a number in results (and JSON), like counts and positions."""
    result = run_query(open_store(mini), """SELECT ?year ?bc ?zoned ?text WHERE {
        BIND ("2022"^^xsd:gYear AS ?year) BIND ("-0044"^^xsd:gYear AS ?bc) BIND ("2022Z"^^xsd:gYear AS ?zoned)
        BIND (STR("2022"^^xsd:gYear) AS ?text) }""", {})
    assert result.rows == ((2022, -44, "2022Z", "2022"),)
    assert json.loads(format_result(result, "json")) == [{"year": 2022, "bc": -44, "zoned": "2022Z", "text": "2022"}]


@pytest.mark.parametrize("value", NASTY)
def test_parameter_values_stay_literals(mini, value):
    store = open_store(mini)
    size = len(store)
    assert run_query(store, load_query("similar-papers"), {"paper": value}).rows == ()
    assert run_query(store, load_query("topic-papers"), {"topic": value}).rows == ()
    assert len(store) == size
    result = invoke("similar-papers", "--graph", str(mini), "--param", f"paper={value}", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == []


def test_query_from_file_and_stdin(mini, tmp_path):
    rq = tmp_path / "alpha.rq"
    rq.write_text(
        "# name: titled-on-topic\n# param: label  a topic label\n"
        "SELECT ?label ?title WHERE { ?p dcterms:subject/skos:prefLabel ?l ; dcterms:title ?title "
        "FILTER(STR(?l) = ?label) } ORDER BY ?title\n",
        encoding="utf-8",
    )
    result = invoke(str(rq), "--graph", str(mini), "--param", "label=+gamma", "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"title": '=HYPERLINK("http://evil")'}, {"title": '@SUM(A1)\tand, "quotes"\nnext line'}]
    stdin = invoke("-", "--graph", str(mini), "--format", "csv",
                   input="PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\nSELECT ?l WHERE { ?t skos:prefLabel ?l } ORDER BY ?l")
    assert stdin.exit_code == 0, stdin.output
    assert stdin.output == "l\n'+gamma\nalpha\nbeta\n"
    extra = invoke("-", "--graph", str(mini), "--param", "x=1", input="SELECT ?x WHERE { }")
    assert extra.exit_code == 1
    assert "query '<stdin>' has no parameter 'x'; it takes no parameters (declare one with a '# param: NAME  help' header line)" in extra.output


# --- the named queries on the seeds ------------------------------------------------------------


@pytest.mark.model
@pytest.mark.parametrize("name, params, columns, rows", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_named_query_on_seeds(store, name, params, columns, rows):
    result = run_query(store, load_query(name), params)
    assert result.columns == columns
    assert list(result.rows) == rows


@pytest.mark.parametrize("name, params, columns, rows", FIXTURE_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(FIXTURE_CASES)])
def test_named_query_on_the_fixture_corpus(fixture_store, name, params, columns, rows):
    result = run_query(fixture_store, load_query(name), params)
    assert result.columns == columns
    assert list(result.rows) == rows
    # the planner's VALUES row changes speed, never answers (as test_bound_queries_… checks on the seeds)
    assert (result.columns, result.rows) == _rows_by_substitution(fixture_store, load_query(name), params)


@pytest.mark.parametrize("name", sorted({c[0] for c in FIXTURE_CASES}))
def test_injection_attempts_are_harmless_on_the_fixture_corpus(fixture_store, name):
    size = len(fixture_store)
    q = load_query(name)
    for value in NASTY:
        assert run_query(fixture_store, q, {p: value for p in q.param_names}).rows == (), (name, value)
    assert len(fixture_store) == size


def test_the_documented_via_example_runs_on_the_fixture_corpus(fixture_store):
    doc = (ROOT / "docs" / "queries.md").read_text(encoding="utf-8")
    [text] = [block.removeprefix("sparql\n") for block in doc.split("```")[1::2] if 'kgo:via "title"' in block]
    result = run_query(fixture_store, load_query(text), {})
    assert result.rows == (("few-shot semantic segmentation", 1), (fixture.HOSTILE_TASK, 1))


def test_task_queries_on_the_cli(tmp_path, fixture_corpus):
    from kg.export.rdf import write_rdf

    write_rdf(fixture_corpus, tmp_path / "graph.nq", "nquads")
    result = invoke("methods-for-task", "--graph", str(tmp_path / "graph.nq"), "-p", "task=transfer learning",
                    "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == "method,papers\nTransformer,2\nCMT,1\nKN,1\n"


@pytest.mark.model
def test_paper_can_be_named_by_title_arxiv_id_or_iri(store):
    expected = run_query(store, load_query("paper-authors"), {"paper": "2104.08696"})
    assert len(expected.rows) == 6
    for ref in ("Knowledge Neurons in Pretrained Transformers", KN):
        assert run_query(store, load_query("paper-authors"), {"paper": ref}) == expected


@pytest.mark.model
@pytest.mark.parametrize("name", [n for n, p in QUERY_PARAMS.items() if p])
def test_injection_attempts_are_harmless_on_seeds(store, name):
    size = len(store)
    q = load_query(name)
    for value in NASTY:
        result = run_query(store, q, {p: value for p in q.param_names})
        assert result.rows == (), (name, value)
    assert len(store) == size


@pytest.mark.model
def test_cli_formats_on_seeds(graph_dir):
    args = ["coauthors", "--graph", str(graph_dir), "--param", "author=D Dai"]
    table = invoke(*args)
    assert table.exit_code == 0, table.output
    assert table.output == (
        "coauthor  papers\n"
        "--------  ------\n"
        "B Chang        1\n"
        "F Wei          1\n"
        "L Dong         1\n"
        "Y Hao          1\n"
        "Z Sui          1\n"
    )
    as_json = invoke(*args, "--format", "json")
    assert json.loads(as_json.output) == [
        {"coauthor": "B Chang", "papers": 1}, {"coauthor": "F Wei", "papers": 1}, {"coauthor": "L Dong", "papers": 1},
        {"coauthor": "Y Hao", "papers": 1}, {"coauthor": "Z Sui", "papers": 1},
    ]
    as_csv = invoke(*args, "--format", "csv")
    assert as_csv.output == "coauthor,papers\nB Chang,1\nF Wei,1\nL Dong,1\nY Hao,1\nZ Sui,1\n"
    papers = invoke("author-papers", "--graph", str(graph_dir), "-p", "author=F Petersen", "--format", "json")
    assert json.loads(papers.output) == [
        {"title": "Learning with Differentiable Algorithms", "year": 2022, "position": 1, "paper": DIFF}
    ]


@pytest.mark.model
def test_cli_file_and_stdin_on_seeds(graph_dir, tmp_path):
    rq = tmp_path / "method-papers.rq"  # the example of docs/queries.md
    rq.write_text(
        "# name: method-papers\n# description: Papers using a method, by its name or an alias.\n"
        '# param: method  Method name or alias as written, e.g. "DRO"\n'
        "SELECT DISTINCT ?method ?title ?paper\nWHERE {\n  { ?m rdfs:label ?method } UNION { ?m skos:altLabel ?method }\n"
        "  ?paper kgo:usesMethod ?m .\n  OPTIONAL { ?paper dcterms:title ?title }\n}\nORDER BY ?title ?paper\n",
        encoding="utf-8",
    )
    result = invoke(str(rq), "--graph", str(graph_dir), "--param", "method=DRO", "--format", "csv")
    assert result.exit_code == 0, result.output
    assert result.output == f"title,paper\nDistributionally Robust Models with Parametric Likelihood Ratios,{DRO}\n"
    stdin = invoke("-", "--graph", str(graph_dir), "--format", "csv",
                   input="SELECT ?name WHERE { ?p a foaf:Person ; foaf:name ?name } ORDER BY ?name LIMIT 3")
    assert stdin.exit_code == 0, stdin.output
    assert stdin.output == "name\nA Seff\nB Chang\nD Dai\n"
    named = invoke(str(ROOT / "kg" / "queries" / "coauthors.rq"), "--graph", str(graph_dir), "-p", "author=Z Sui")
    assert named.exit_code == 0
    assert [line.split()[:2] for line in named.output.splitlines()[2:]] == [
        ["B", "Chang"], ["D", "Dai"], ["F", "Wei"], ["L", "Dong"], ["Y", "Hao"]
    ]


@pytest.mark.model
def test_union_default_graph_counts_each_paper_once(seed_build, seeds_dir):
    from kg.sparql import load_query, open_store, run_query

    store = open_store(seeds_dir / "exports")
    count = run_query(store, load_query("SELECT (COUNT(*) AS ?n) WHERE { ?p a fabio:Preprint }"), {})
    assert count.rows == ((24,),)
    # EMO: the method "Efficient MOdel" since issue 23 (named by its long form, "EMO" an alias)
    graphs = run_query(store, load_query(
        "SELECT ?g WHERE { GRAPH ?g { ?p kgo:usesMethod <https://example.org/kg/method/efficient%20model> } } "
        "ORDER BY ?g"), {})
    assert [r[0].rsplit("/", 1)[-1] for r in graphs.rows] == ["seeds%2F001_2c5e3b2e6839104e.txt", "seeds%2F002_fb597934ba27845b.txt"]


# --- parameters as inline data for the planner (kg.sparql.query._with_values) --------------------------


@pytest.mark.parametrize("text, prefix", [
    ("SELECT ?s WHERE { ?s ?p ?o }", "SELECT ?s WHERE {"),
    ("select ?s where{ ?s ?p ?o }", "select ?s where{"),
    ("SELECT * { ?s ?p ?o }", "SELECT * {"),
    ("ASK { ?s ?p ?o }", "ASK {"),
    ("# WHERE { in a comment\nSELECT ?where WHERE { ?where ?p ?o }", "# WHERE { in a comment\nSELECT ?where WHERE {"),
    ('PREFIX ex: <http://e/{where}> SELECT ?s WHERE { ?s ex:p "WHERE {" }', "PREFIX ex: <http://e/{where}> SELECT ?s WHERE {"),
    ('SELECT ?s WHERE { ?s ?p """x WHERE { y""" }', "SELECT ?s WHERE {"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE {"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE {"),
    ("SELECT ?s WHERE { ?s ex:where ?o }", "SELECT ?s WHERE {"),
])
def test_where_group_start(text, prefix):
    assert text[: where_group_start(text)] == prefix


def test_where_group_start_without_a_group():
    assert where_group_start("DESCRIBE <http://e/x>") is None


def _rows_by_substitution(store, q, params):
    """(columns, rows) of Oxigraph's plain variable substitution, converted as run_query converts."""
    from pyoxigraph import Literal, Variable

    from kg.sparql.query import PREFIXES, _value

    plain = store.query(q.text, prefixes=PREFIXES, substitutions={Variable(p): Literal(v) for p, v in params.items()})
    names = [v.value for v in plain.variables]
    keep = [i for i, v in enumerate(names) if v not in params]
    return tuple(names[i] for i in keep), tuple(tuple(_value(row[i]) for i in keep) for row in plain)


@pytest.mark.model
@pytest.mark.parametrize("name", [n for n, p in QUERY_PARAMS.items() if p])
def test_bound_queries_answer_as_oxigraph_substitution_alone_does(store, mini, fixture_store, name):
    """The VALUES row given to the planner changes speed, never answers: every parameterised named
    query gives the rows of Oxigraph's plain variable substitution, for real and hostile values."""
    q = load_query(name)
    cases = [(store, params) for case, params, *_ in CASES if case == name]
    cases += [(fixture_store, params) for case, params, *_ in FIXTURE_CASES if case == name]
    cases += [(store, {p: v for p in q.param_names}) for v in NASTY]
    if name == "similar-papers":  # the seeds' papers share fewer than two topics
        cases += [(open_store(mini), {"paper": paper}) for paper in ("http://x/p1", "-2+3", "http://x/p4")]
    answered = 0
    for where, params in cases:
        columns, expected = _rows_by_substitution(where, q, params)
        got = run_query(where, q, params)
        assert (got.columns, got.rows) == (columns, expected), (name, params)
        answered += bool(expected)
    assert answered >= 1, name  # real values find something: the comparison is not between empty answers
