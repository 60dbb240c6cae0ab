"""`kg explain author ID`: the mentions of a resolved author and the evidence of each merge, read
back from a build's corpus.json (built here from tests/data/authors without NLP)."""

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import BuildDir, write_corpus
from kg.cli import cli
from kg.ingest import read_inputs
from kg.model import Extraction
from kg.resolve import resolve

DATA = Path(__file__).resolve().parent.parent / "data" / "authors"


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    read = read_inputs([str(DATA / "digest_excerpt.txt"), str(DATA / "aizawa_linked.bib")])
    corpus = resolve(read.entries, [Extraction()] * len(read.entries))
    out = tmp_path_factory.mktemp("graph")
    write_corpus(corpus, BuildDir(out).corpus_json)
    return out


def explain(graph, ident):
    return CliRunner().invoke(cli, ["explain", "author", ident, "--graph", str(graph)])


def test_evidence_survives_corpus_json(graph):
    corpus = BuildDir(graph).read_corpus()
    hu = next(a for a in corpus.authors if a.id == "author:g-hu-feff11fb")
    assert len(hu.evidence) == 2 and hu.evidence[1].endswith("| cluster link +9.88 over 2 pairs")


def test_explain_author_prints_mentions_and_merges(graph):
    result = explain(graph, "author:akiko-aizawa-edd68bc3")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "author:akiko-aizawa-edd68bc3  Akiko Aizawa",
        "2 mentions (paper#position from 1, printed name):",
        '  title:0a92a8563540d00a#4  "A Aizawa" (full name Akiko Aizawa)  '
        f"Embracing Ambiguity: Shifting the Training Target of NLI Models  [{DATA}/aizawa_linked.bib:3]",
        '  title:39baf8581bfc17cd#4  "A Aizawa"  '
        f"Constructing A Multi-hop QA Dataset for Comprehensive Evaluation of Reasoning Steps  [{DATA}/digest_excerpt.txt:45]",
        "merged because (1 merge, each: the strongest pair of mentions, the log-odds of every piece of evidence, the cluster link):",
        "  1. title:0a92a8563540d00a#4 ~ title:39baf8581bfc17cd#4 score +11.99: "
        "co-author 's sugawara' (2× in build, 2× with this name, 2× in the block) +4.22; "
        "institution National Institute of Informatics [institution:ror-04ksd4g47] (2 papers, 2 mentions of the block) +2.32; "
        "same category cs.CL +0.51; both last authors +1.72; "
        "name prior 'a aizawa' (surname printed with 1 initial set, 3 mentions) +3.22",
    ]


def test_explain_a_lone_mention_and_an_ambiguous_name(graph):
    lone = explain(graph, "author:y-wang-f6cb83ea")
    assert lone.exit_code == 0
    assert lone.output.splitlines()[1:] == [
        "1 mention (paper#position from 1, printed name):",
        lone.output.splitlines()[2],
        "not merged with any other mention: no compatible name with enough evidence",
    ]
    assert lone.output.splitlines()[2].startswith('  title:3b25933dffeb87d5#1  "Y Wang"  Analyzing the Robustness')
    listed = explain(graph, "Y Wang")
    assert listed.exit_code == 0
    assert listed.output.splitlines() == [
        "2 authors match 'Y Wang'; explain one of them by id:",
        "  author:y-wang-a5c65a72  Y Wang  1 mention",
        "  author:y-wang-f6cb83ea  Y Wang  1 mention",
    ]
    by_name = explain(graph, "g hu")  # a name only one author has: explained directly
    assert by_name.output.splitlines()[0] == "author:g-hu-feff11fb  G Hu"


def test_explain_unknown_author_and_missing_build(graph, tmp_path):
    unknown = explain(graph, "author:nobody")
    assert unknown.exit_code == 1
    assert unknown.output.strip() == (
        "Error: no author 'author:nobody' in this build (give an author id, e.g. from papers.jsonl, or a printed name)")
    missing = explain(tmp_path, "author:x")
    assert missing.exit_code == 1 and "run `kg build` first" in missing.output
