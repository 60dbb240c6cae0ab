"""`kg explain institution ID|NAME`: what an institution's paper count is made of (printed forms,
how each was matched, example papers, institutions with close names), read back from corpus.json.

A hand-made corpus gives every route and every close-name relation (and, without its routes, a
corpus.json of an older build); the fixture corpus the hostile names; the seeds (slow: a build) the
values of a real build.
"""

import json
from dataclasses import replace

import pytest
from click.testing import CliRunner

from kg.build import BuildDir, write_corpus
from kg.cli import cli
from kg.model import Corpus, Institution, InstitutionRef, Paper, Source
from kg.resolve.explain_institution import find_institutions, json_text, shown

from ..fixtures.corpus import HOSTILE_INSTITUTION, HOSTILE_TITLE

KAIST = Institution("institution:ror-05apxxy63", "Korea Advanced Institute of Science and Technology", "05apxxy63",
                    ("KAIST", "Korea Advanced Institute of Science and Technology"), True)
# a split: the same name with "&", matched by nothing
KAIST_SPLIT = Institution("institution:korea-advanced-institute-of-science-and-technology",
                          "Korea Advanced Institute of Science & Technology", None,
                          ("Korea Advanced Institute of Science & Technology",), False)
# "Univ. of Michigan" printed only beside "University of Michigan" on one paper: not counted under its own form
MICHIGAN = Institution("institution:ror-00jmfr291", "University of Michigan–Ann Arbor", "00jmfr291",
                       ("UM", "Univ. of Michigan", "University of Michigan"), True)
MACAU = Institution("institution:ror-01r4q9n85", "University of Macau", "01r4q9n85", ("UM", "University of Macau"), True)
MSR = Institution("institution:ror-00d0nc645", "Microsoft", "00d0nc645", ("MSR", "Microsoft"), True)
TSINGHUA = Institution("institution:ror-03cve4549", "Tsinghua University", "03cve4549",
                       ("Dept. of CS, Tsinghua University, Beijing", "Tsinghua University"), True)
HOSPITAL = Institution("institution:tsinghua-university-changgung-hospital", "Tsinghua University Changgung Hospital",
                       None, ("Tsinghua University Changgung Hospital",), False)
FOO = Institution("institution:foo-lab", "Foo Lab", None, ("Foo Lab",), True)  # an alias without a ROR record
EVIL = Institution("institution:evil-lab", "Evil\u202eLab", None, ("Evil\u202eLab\nnext",), False)


def _paper(pid, title, *refs):
    return Paper(id=pid, title=title, arxiv_id=None, category=None, year=None, lang=(), abstracts=(), authorships=(),
                 institutions=tuple(refs), topics=(), methods=(), datasets=(), code=(), urls=(),
                 sources=(Source("d.txt", 1),))


def _ref(printed, inst, via, name=None, context=()):
    return InstitutionRef(printed, inst.id, name or inst.name, context, via)


CORPUS = Corpus(
    papers=(
        _paper("p:01", "One", _ref("KAIST", KAIST, "alias"), _ref("MSR", MSR, "alias", "Microsoft Research")),
        _paper("p:02", "Two", _ref("KAIST", KAIST, "alias")),
        _paper("p:03", "Three", _ref("Korea Advanced Institute of Science and Technology", KAIST, "ror-name")),
        _paper("p:04", "Four", _ref("Korea Advanced Institute of Science & Technology", KAIST_SPLIT, "unmatched")),
        _paper("p:05", "Five", _ref("UM", MICHIGAN, "alias")),
        _paper("p:06", "Six", _ref("University of Michigan", MICHIGAN, "ror-alias")),
        _paper("p:07", "Seven", _ref("UM", MACAU, "context", context=("d wong", "y wan"))),
        _paper("p:08", "Eight", _ref("University of Macau", MACAU, "ror-name")),
        _paper("p:09", "Nine", _ref("Microsoft", MSR, "alias"), _ref("Tsinghua University", TSINGHUA, "ror-name")),
        _paper("p:10", "Ten", _ref("Tsinghua University Changgung Hospital", HOSPITAL, "unmatched"),
               _ref("Foo Lab", FOO, "alias")),
        _paper("p:11", "Eleven\u200b\nline two", _ref("Evil\u202eLab\nnext", EVIL, "unmatched")),
        _paper("p:12", "Twelve", _ref("KAIST", KAIST, "alias")),
        _paper("p:13", "Thirteen", _ref("KAIST", KAIST, "alias")),
        _paper("p:14", "Fourteen", _ref("Dept. of CS, Tsinghua University, Beijing", TSINGHUA, "matcher")),
    ),
    authors=(),
    institutions=tuple(sorted((KAIST, KAIST_SPLIT, MICHIGAN, MACAU, MSR, TSINGHUA, HOSPITAL, FOO, EVIL),
                              key=lambda i: i.id)),
)


@pytest.fixture(scope="module")
def graph(tmp_path_factory):
    out = tmp_path_factory.mktemp("graph")
    write_corpus(CORPUS, BuildDir(out).corpus_json)
    return out


def explain(graph, ident, *options):
    return CliRunner().invoke(cli, ["explain", "institution", ident, "--graph", str(graph), *options])


def test_forms_counts_routes_examples_and_close_names(graph):
    result = explain(graph, "kaist")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "institution:ror-05apxxy63  Korea Advanced Institute of Science and Technology",
        "ROR 05apxxy63  https://ror.org/05apxxy63",
        "counted on 5 papers (a paper counts once, whichever of its forms it prints)",
        "by route: alias table on 4 papers, ROR name on 1 paper",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
        '  "KAIST"  4 papers  alias table, linked to the ROR organisation Korea Advanced Institute of Science and Technology',
        "    p:01  One",
        "    p:02  Two",
        "    p:12  Twelve",
        "    … and 1 more",
        '  "Korea Advanced Institute of Science and Technology"  1 paper  the ROR name',
        "    p:03  Three",
        "1 institution with a close name (a wrong merge or split would show here):",
        "  institution:korea-advanced-institute-of-science-and-technology  Korea Advanced Institute of Science & Technology"
        '  1 paper  same normalised name "korea advanced institute of science and technology" '
        '(its "Korea Advanced Institute of Science & Technology")',
    ]


def test_an_acronym_read_in_context_a_form_not_counted_and_acronym_relations(graph):
    macau = explain(graph, "University of Macau").output.splitlines()
    assert macau[3:9] == [
        "by route: ROR name on 1 paper, read in context on 1 paper",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
        '  "UM"  1 paper  read in context: authors of the paper print this institution on other papers (d wong, y wan)',
        "    p:07  Seven",
        '  "University of Macau"  1 paper  the ROR name',
        "    p:08  Eight",
    ]
    assert macau[9:] == [
        "1 institution with a close name (a wrong merge or split would show here):",
        '  institution:ror-00jmfr291  University of Michigan–Ann Arbor  2 papers  also counts the printed form "UM"',
    ]
    michigan = explain(graph, "https://ror.org/00jmfr291").output.splitlines()
    assert michigan[0] == "institution:ror-00jmfr291  University of Michigan–Ann Arbor"
    assert michigan[3:9] == [
        "by route: ROR synonym on 1 paper, alias table on 1 paper",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
        '  "UM"  1 paper  alias table, linked to the ROR organisation University of Michigan–Ann Arbor',
        "    p:05  Five",
        '  "University of Michigan"  1 paper  a ROR synonym (an alias, acronym or label ROR lists for the organisation)',
        "    p:06  Six",
    ]
    assert michigan[-3:] == [
        'also printed, only on papers counted under another of its forms (which papers is not recorded): "Univ. of Michigan"',
        "1 institution with a close name (a wrong merge or split would show here):",
        '  institution:ror-01r4q9n85  University of Macau  2 papers  also counts the printed form "UM"',
    ]
    listed = explain(graph, "UM")
    assert listed.exit_code == 0
    assert listed.output.splitlines() == [
        "2 institutions match 'UM'; explain one of them by id:",
        "  institution:ror-00jmfr291  University of Michigan–Ann Arbor  2 papers",
        "  institution:ror-01r4q9n85  University of Macau  2 papers",
    ]


def test_alias_and_matcher_routes_unmatched_names_and_one_name_inside_another(graph):
    msr = explain(graph, "MSR").output.splitlines()
    assert msr[3:9] == [
        "by route: alias table on 2 papers",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
        '  "MSR"  1 paper  alias table: read as "Microsoft Research", linked to the ROR organisation Microsoft',
        "    p:01  One",
        '  "Microsoft"  1 paper  alias table, linked to the ROR organisation Microsoft',
        "    p:09  Nine",
    ]
    tsinghua = explain(graph, "Tsinghua University").output.splitlines()
    assert tsinghua[3:9] == [
        "by route: ROR name on 1 paper, affiliation matcher on 1 paper",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
        '  "Dept. of CS, Tsinghua University, Beijing"  1 paper  affiliation matcher: a name of the ROR organisation '
        "Tsinghua University found as a whole part of it, no other organisation sharing that name",
        "    p:14  Fourteen",
        '  "Tsinghua University"  1 paper  the ROR name',
        "    p:09  Nine",
    ]
    hospital = explain(graph, "institution:tsinghua-university-changgung-hospital").output.splitlines()
    assert hospital[1] == "no ROR record: matched no alias and no ROR name (its id is its normalised name)"
    assert hospital[3] == "by route: no match on 1 paper"
    assert hospital[5] == ('  "Tsinghua University Changgung Hospital"  1 paper  '
                           "unmatched: no alias and no ROR name; counted under its own name")
    assert hospital[-1] == ('  institution:ror-03cve4549  Tsinghua University  2 papers  its name "Tsinghua University" '
                            'is part of "Tsinghua University Changgung Hospital" (a name here)')
    foo = explain(graph, "foo lab").output.splitlines()
    assert foo[1] == "no ROR record: named by the alias table"
    assert foo[5] == '  "Foo Lab"  1 paper  alias table (an organisation without a ROR record)'
    assert foo[-1] == ("no institution with a close name (same printed form, normalised name, acronym, "
                       "or one name in the other)")


@pytest.fixture(scope="module")
def older_graph(tmp_path_factory):
    """The hand-made corpus as a build before routes were recorded wrote it: no "via" on any reference."""
    out = tmp_path_factory.mktemp("older")
    path = BuildDir(out).corpus_json
    write_corpus(CORPUS, path)
    data = json.loads(path.read_text(encoding="utf-8"))
    for paper in data["corpus"]["papers"]:
        for ref in paper["institutions"]:
            del ref["via"]
    path.write_text(json.dumps(data), encoding="utf-8")
    return out


def test_an_older_build_without_routes_says_they_are_not_recorded(older_graph):
    corpus = BuildDir(older_graph).read_corpus()
    assert corpus == replace(CORPUS, papers=tuple(
        replace(p, institutions=tuple(replace(r, via=None) for r in p.institutions)) for p in CORPUS.papers))
    msr = explain(older_graph, "MSR").output.splitlines()
    not_recorded = ("not recorded (older build; rebuild to record whether the alias table, a ROR name or synonym, "
                    "or the affiliation matcher linked it)")
    assert msr[3:9] == [
        "by route: not recorded (older build) on 2 papers",
        "2 printed forms (papers counted under it, how it was matched, example papers):",
        f'  "MSR"  1 paper  {not_recorded}; read as "Microsoft Research"',
        "    p:01  One",
        f'  "Microsoft"  1 paper  {not_recorded}',
        "    p:09  Nine",
    ]
    # what the record itself shows stays: an acronym read in context, an unmatched name
    macau = json.loads(explain(older_graph, "University of Macau", "--format", "json").output)
    assert macau["routes"] == {"context": 1, "not-recorded": 1}
    assert [f["routes"] for f in macau["printed"]] == [{"context": 1}, {"not-recorded": 1}]
    hospital = explain(older_graph, "institution:tsinghua-university-changgung-hospital").output.splitlines()
    assert hospital[3] == "by route: no match on 1 paper"


def test_hostile_names_and_titles_are_escaped(graph, fixture_folder):
    evil = explain(graph, "institution:evil-lab")
    assert evil.exit_code == 0
    assert evil.output.splitlines()[:7] == [
        "institution:evil-lab  Evil\\u202eLab",
        "no ROR record: matched no alias and no ROR name (its id is its normalised name)",
        "counted on 1 paper (a paper counts once, whichever of its forms it prints)",
        "by route: no match on 1 paper",
        "1 printed form (papers counted under it, how it was matched, example papers):",
        '  "Evil\\u202eLab\\nnext"  1 paper  unmatched: no alias and no ROR name; counted under its own name',
        "    p:11  Eleven\\u200b\\nline two",
    ]
    assert "\u202e" not in evil.output and "\u200b" not in evil.output
    odd = explain(fixture_folder, "institution:lab-o-beijing").output.splitlines()
    assert odd[0] == f"institution:lab-o-beijing  {HOSTILE_INSTITUTION}"  # quotes, markup and CJK are printable
    assert odd[6] == "    arxiv:2203.00003  " + HOSTILE_TITLE.replace("\n", "\\n")
    as_json = explain(graph, "institution:evil-lab", "--format", "json").output
    assert "\u202e" not in as_json and "\\u202e" in as_json
    assert json.loads(as_json)["printed"][0]["printed"] == "Evil\u202eLab\nnext"


def test_shown_and_json_text_escape_what_is_not_printable():
    assert shown("Zoë 北京 \"q\"") == "Zoë 北京 \"q\""
    assert shown("a\nb\x07c\u2028d\u00a0e") == "a\\nb\\x07c\\u2028d\\xa0e"
    assert shown(None) == ""
    text = json_text({"name": "a\u202eb 𝔘 é", "t": "x\ny"})
    assert text == '{\n  "name": "a\\u202eb 𝔘 é",\n  "t": "x\\ny"\n}'
    assert json.loads(json_text({"k": "\U000e0001"})) == {"k": "\U000e0001"}  # a non-printable outside the BMP


def test_json_output_fields(graph):
    result = explain(graph, "institution:ror-01r4q9n85", "--format", "json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data == {
        "kind": "institution", "id": "institution:ror-01r4q9n85", "name": "University of Macau",
        "ror_id": "01r4q9n85", "ror_url": "https://ror.org/01r4q9n85", "matched": True, "papers": 2,
        "routes": {"ror-name": 1, "context": 1},
        "printed": [
            {"printed": "UM", "papers": 1, "routes": {"context": 1}, "read_as": {},
             "context_authors": ["d wong", "y wan"], "paper_ids": ["p:07"], "examples": [{"id": "p:07", "title": "Seven"}]},
            {"printed": "University of Macau", "papers": 1, "routes": {"ror-name": 1}, "read_as": {},
             "context_authors": [], "paper_ids": ["p:08"], "examples": [{"id": "p:08", "title": "Eight"}]},
        ],
        "printed_not_counted": [],
        "close": [{"id": "institution:ror-00jmfr291", "name": "University of Michigan–Ann Arbor", "ror_id": "00jmfr291",
                   "papers": 2, "relation": "same-printed-form", "why": 'also counts the printed form "UM"'}],
    }
    listed = json.loads(explain(graph, "UM", "--format", "json").output)
    assert listed == {"query": "UM", "matches": [
        {"id": "institution:ror-00jmfr291", "name": "University of Michigan–Ann Arbor", "ror_id": "00jmfr291", "papers": 2},
        {"id": "institution:ror-01r4q9n85", "name": "University of Macau", "ror_id": "01r4q9n85", "papers": 2}]}


def test_long_lists_are_capped(tmp_path):
    big = Institution("institution:ror-00njsd438", "Google", "00njsd438",
                      tuple(f"Google Team {k:02d}" for k in range(14)), True)
    papers = tuple(_paper(f"p:{k:02d}", f"T{k}", _ref(f"Google Team {k % 14:02d}", big, "ror-alias")) for k in range(30))
    write_corpus(Corpus(papers, (), (big,)), BuildDir(tmp_path).corpus_json)
    lines = explain(tmp_path, "google").output.splitlines()
    assert lines[2] == "counted on 30 papers (a paper counts once, whichever of its forms it prints)"
    assert lines[3] == "by route: ROR synonym on 30 papers"
    assert lines[5:10] == [
        '  "Google Team 00"  3 papers  a ROR synonym (an alias, acronym or label ROR lists for the organisation)',
        "    p:00  T0",
        "    p:14  T14",
        "    p:28  T28",
        '  "Google Team 01"  3 papers  a ROR synonym (an alias, acronym or label ROR lists for the organisation)',
    ]
    assert "  … and 2 more forms on 4 papers" in lines


def test_unknown_institution_and_lookup(graph):
    unknown = explain(graph, "Nowhere Institute")
    assert unknown.exit_code == 1
    assert unknown.output.strip() == (
        "Error: no institution 'Nowhere Institute' in this build (give an institution id, e.g. "
        "institution:ror-00f54p054, a ROR id, or a name or printed form)")
    corpus = BuildDir(graph).read_corpus()
    assert [i.id for i in find_institutions(corpus, "00D0NC645")] == [MSR.id]  # a bare ROR id, any case
    assert [i.id for i in find_institutions(corpus, "microsoft research")] == [MSR.id]  # the name a form was read as
    assert find_institutions(corpus, "  ") == []


def test_explain_institution_on_the_seeds(seed_build, seeds_dir):
    graph = seeds_dir / "exports"
    cmu = explain(graph, "Carnegie Mellon University")
    assert cmu.exit_code == 0, cmu.output
    assert cmu.output.splitlines() == [
        "institution:ror-05x2bcf33  Carnegie Mellon University",
        "ROR 05x2bcf33  https://ror.org/05x2bcf33",
        "counted on 1 paper (a paper counts once, whichever of its forms it prints)",
        "by route: alias table on 1 paper",
        "1 printed form (papers counted under it, how it was matched, example papers):",
        '  "CMU"  1 paper  alias table, linked to the ROR organisation Carnegie Mellon University',
        "    arxiv:2204.06340  Distributionally Robust Models with Parametric Likelihood Ratios",
        "no institution with a close name (same printed form, normalised name, acronym, or one name in the other)",
    ]
    msr = explain(graph, "institution:ror-00d0nc645").output.splitlines()
    assert msr[:7] == [
        "institution:ror-00d0nc645  Microsoft",
        "ROR 00d0nc645  https://ror.org/00d0nc645",
        "counted on 1 paper (a paper counts once, whichever of its forms it prints)",
        "by route: alias table on 1 paper",
        "1 printed form (papers counted under it, how it was matched, example papers):",
        '  "Microsoft Research"  1 paper  alias table name, linked to the ROR organisation Microsoft',
        "    arxiv:2104.08696  Knowledge Neurons in Pretrained Transformers",
    ]
    naver = json.loads(explain(graph, "NAVER AI Lab", "--format", "json").output)
    assert (naver["id"], naver["matched"], naver["ror_url"], naver["papers"]) == ("institution:naver-ai-lab", False, None, 1)
    assert naver["printed"][0]["routes"] == naver["routes"] == {"unmatched": 1}
    # a name the alias table lists is ROR's evidence when it is the ROR record's name
    stanford = json.loads(explain(graph, "Stanford University", "--format", "json").output)
    assert (stanford["routes"], stanford["printed"][0]["printed"]) == ({"ror-name": 1}, "Stanford University")
    assert naver["printed"][0]["examples"] == [
        {"id": "arxiv:2204.03609", "title": "Pin the Memory: Learning to Generalize Semantic Segmentation"}]
