"""Ambiguous acronyms read in context (kg/resolve/institutions.py), on entries cut from the dev corpus.

digest_00404.txt entry 9 prints its only institution as "UM" (gold: University of Macau); two of its
authors, X Liu and D F. Wong, are printed with "University of Macau" in digest_00470.txt entry 5.
"""

import importlib
import json

import pytest

from kg.build import build
from kg.knowledge.institutions import load_lexicon
from kg.model import Entry, Extraction, Source
from kg.resolve import resolve, resolve_institution

context = importlib.import_module("kg.resolve.institutions")

UM_PAPER = (["UM"], ["r zhan", "x liu", "d f wong", "l s chao"])
MACAU_PAPER = (["USYD", "Tencent", "University of Macau", "JD.com"],
               ["l ding", "l wang", "x liu", "d f wong", "d tao", "z tu"])


def read(papers):
    lexicon = load_lexicon()
    return context.read_in_context(papers, lambda printed: resolve_institution(printed, lexicon))


def test_acronym_takes_the_institution_its_authors_are_printed_with_elsewhere():
    um, macau = read([UM_PAPER, MACAU_PAPER])
    assert um == [context.Reading("institution:ror-01r4q9n85", "University of Macau", "01r4q9n85", True,
                                  ("x liu", "d f wong"), "context")]
    # the full names keep the lexicon's reading, its route and no context
    assert [(r.institution_id, r.via) for r in macau] == [
        ("institution:ror-0384j8v12", "alias"), ("institution:ror-00hhjss72", "ror-name"),
        ("institution:ror-01r4q9n85", "ror-name"), ("institution:ror-01dkjkq64", "alias")]
    assert all(r.context == () for r in macau)


def test_without_evidence_the_lexicon_reading_stands():
    (um,) = read([UM_PAPER])
    assert um == [context.Reading("institution:ror-00jmfr291", "University of Michigan–Ann Arbor", "00jmfr291", True,
                                  via="alias")]


def test_a_name_seen_with_many_institutions_is_weak_evidence():
    # "x liu" alone, printed with Macau and with nine other institutions: 1/10 < OVERRIDE
    others = [([name], ["x liu"]) for name in (
        "Peking University", "Tsinghua University", "Zhejiang University", "Fudan University", "Nankai University",
        "Wuhan University", "Xiamen University", "Sichuan University", "Shandong University")]
    (um, *_rest) = read([(["UM"], ["x liu"]), (["University of Macau"], ["x liu"]), *others])
    assert um[0].institution_id == "institution:ror-00jmfr291" and um[0].context == ()


def test_the_same_paper_printing_the_full_name_is_not_evidence():
    (both,) = read([(["UM", "University of Macau"], ["x liu", "d f wong"])])
    assert [r.institution_id for r in both] == ["institution:ror-00jmfr291", "institution:ror-01r4q9n85"]


def test_an_acronym_the_lexicon_leaves_unmatched_is_adopted_on_evidence():
    # "NU" is left out of the alias table (Northwestern / Northeastern / Newcastle / Nagoya)
    nu, _ = read([(["NU"], ["j smith", "k lee"]), (["Newcastle University"], ["k lee"])])
    assert (nu[0].name, nu[0].context, nu[0].via) == ("Newcastle University", ("k lee",), "context")
    (alone,) = read([(["NU"], ["j smith", "k lee"])])
    assert (alone[0].institution_id, alone[0].matched, alone[0].via) == ("institution:nu", False, "unmatched")


def test_a_lookup_without_a_route_gives_readings_without_one():
    (found,) = context.read_in_context([(["CMU"], [])], lambda printed: ("institution:x", "X", None, True))
    assert found == [context.Reading("institution:x", "X", None, True)] and found[0].via is None


def test_spells():
    assert context.spells("NTU", "National Taiwan University")
    assert context.spells("NTU", "Nanyang Technological University")
    assert context.spells("IIT", "Istituto Italiano di Tecnologia")
    assert context.spells("UM", "University of Massachusetts, Amherst")  # the head before the campus
    assert not context.spells("UM", "University of Massachusetts Amherst")
    assert not context.spells("CAS", "Chinese Academy of Sciences Institute of Automation")


def _entry(line, title, authors, institutions):
    return Entry(source=Source("d.txt", line), format="digest", number=line, tag="CL", title=title,
                 authors=tuple(authors), institutions=tuple(institutions), abstract=f"Abstract of {title}. " * 5,
                 urls=())


def test_resolve_keeps_the_evidence():
    entries = [
        _entry(1, "Understanding and Improving Lexical Choice in Non-Autoregressive Translation",
               ["L Ding", "L Wang", "X Liu", "D F. Wong", "D Tao", "Z Tu"], MACAU_PAPER[0]),
        _entry(9, "Is Chinese Spelling Check Ready?", ["R Zhan", "X Liu", "D F. Wong", "L S. Chao"], ["UM"]),
    ]
    corpus = resolve(entries, [Extraction()] * 2)
    paper = next(p for p in corpus.papers if p.title.startswith("Is Chinese"))
    assert [(r.printed, r.name, r.institution_id, r.context, r.via) for r in paper.institutions] == [
        ("UM", "University of Macau", "institution:ror-01r4q9n85", ("x liu", "d f wong"), "context")]
    other = next(p for p in corpus.papers if p.title.startswith("Understanding"))
    assert [(r.printed, r.via) for r in other.institutions] == [
        ("USYD", "alias"), ("Tencent", "ror-name"), ("University of Macau", "ror-name"), ("JD.com", "alias")]
    macau = next(i for i in corpus.institutions if i.id == "institution:ror-01r4q9n85")
    assert macau.printed == ("UM", "University of Macau")


@pytest.mark.model
@pytest.mark.slow
def test_report_and_papers_jsonl_keep_the_evidence(tmp_path):
    digest = tmp_path / "in" / "digest.txt"
    digest.parent.mkdir()
    digest.write_text(
        "1、[CL] Understanding and Improving Lexical Choice in Non-Autoregressive Translation\n"
        "L Ding, L Wang, X Liu, D F. Wong, D Tao, Z Tu\n[USYD & Tencent & University of Macau & JD.com]\n"
        "Knowledge distillation is widely used for non-autoregressive translation models.\n\n"
        "2、[CL] Is Chinese Spelling Check Ready?\nR Zhan, X Liu, D F. Wong, L S. Chao\n[UM]\n"
        "We study whether Chinese spelling check systems are ready for real text.\n",
        encoding="utf-8")
    build([str(digest.parent)], str(tmp_path / "out"))
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    (read_as,) = report["institutions_read_in_context"]
    assert read_as["printed"] == "UM" and read_as["name"] == "University of Macau"
    assert read_as["authors_seen_with_it"] == ["x liu", "d f wong"]
    assert report["institution_routes"] == {
        "ror-name": 2, "ror-alias": 0, "alias": 2, "matcher": 0, "context": 1, "unmatched": 0}
    records = [json.loads(line) for line in (tmp_path / "out" / "papers.jsonl").read_text(encoding="utf-8").splitlines()]
    spelling = next(r for r in records if r["title"] == "Is Chinese Spelling Check Ready?")
    assert spelling["institutions"] == [{"name": "University of Macau", "printed": "UM", "id": "institution:ror-01r4q9n85"}]
