"""Tests for kg.knowledge.ror_match (affiliation strings → ROR ids), ror_learn, the ROR index build
script with ROR data dumps, and `kg match-affiliations`."""

import gzip
import importlib.util
import json
import math
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.knowledge.institutions import load_lexicon, ror_version
from kg.knowledge.ror_learn import fit, folds, mine, prepare
from kg.knowledge.ror_match import (
    FEATURES,
    Affiliation,
    AffiliationMatcher,
    LearnedTables,
    clean_text,
    countries_in,
    format_answer,
    load_learned,
    load_matcher,
    loose_key,
    match_lines,
    split_parts,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "kg" / "data"


@pytest.fixture(scope="module")
def matcher() -> AffiliationMatcher:
    return load_matcher()


def _script(name: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- reading the string -------------------------------------------------------------------------


@pytest.mark.parametrize("text, expected", [
    ("Current addressKhalifa University", "Khalifa University"),
    ("Currently atGeorg August Universität", "Georg August Universität"),
    ("Present address: Google, Zürich", "Google, Zürich"),
    ("Nowgong College", "Nowgong College"),  # "Now" is not a prefix here
    ("FGBOU VO &quot;Moscow State University&quot;", "FGBOU VO Moscow State University"),
    ("Mayo Clinic 11 , Rochester, MN, USA", "Mayo Clinic , Rochester, MN, USA"),
])
def test_clean_text(text, expected):
    assert clean_text(text) == expected


def test_split_parts():
    assert split_parts("Dept. of Physics; Univ. of Oslo (UiO) - Oslo, Norway") == [
        "Dept. of Physics", "Univ. of Oslo", "UiO", "Oslo", "Norway"]
    assert split_parts("Helmholtz-Zentrum Dresden-Rossendorf") == ["Helmholtz-Zentrum Dresden-Rossendorf"]


def test_loose_key_reads_languages_word_order_and_abbreviations_alike():
    key = loose_key("university of ulm".split())
    assert key == loose_key("ulm university".split()) == loose_key("universitat ulm".split())
    assert loose_key("univ of ulm".split()) == key
    assert loose_key("technische universitat munchen".split()) == loose_key("technical university of munich".split())
    assert loose_key("boston childrens hospital".split()) == loose_key("boston children s hospital".split())
    assert loose_key("fujitsu ltd".split()) == "fujitsu"


def test_countries_in():
    assert countries_in("Dept. of Physics, Univ. of Oslo, Oslo, Norway") == {"norway"}
    assert countries_in("ams OSRAM USA Inc") == {"united states"}
    assert countries_in("Bruker Optik GmbH") == {"germany", "austria", "switzerland"}
    assert countries_in("Hebei University of Technology CN") == {"china"}


# -- matching -----------------------------------------------------------------------------------


@pytest.mark.parametrize("text, ror_id", [
    # a department inside a university, with city and country
    ("Dept. of Physics, Univ. of Oslo, Oslo, Norway", "01xtthb56"),
    ("Department of Computer Science, University of Toronto, Toronto, ON, Canada", "03dbr7087"),
    ("Dept. of EECS, UC Berkeley", "01an7q238"),
    # German, French, Spanish names of organisations ROR names in English
    ("Institut für Informatik, Universität Wien, Wien, Österreich", "03prydq77"),
    ("Laboratoire d'Informatique, Université de Montréal, Montréal, Québec, Canada", "0161xgx34"),
    ("Universidad Autónoma de Madrid", "01cby8j38"),
    ("Technische Universität München", "02kkvpp62"),
    # an acronym, and the city after it is not the University of Cambridge
    ("MIT CSAIL, Cambridge, MA, USA", "042nb2s44"),
    # Chinese run into the department's name
    ("清华大学计算机科学与技术系", "03cve4549"),
    ("清华大学", "03cve4549"),
    # two organisations: one answer, the university the string ends with (as publishers assert)
    ("CONICET, Universidad de Buenos Aires, Buenos Aires, Argentina", "0081fs513"),
    # a name inside a longer part, a country code glued to the end, run-together words
    ("Nanjing University of Aeronautics and Astronautics & Key Laboratory of Aerospace Materials", "01scyh794"),
    ("Hebei University of Technology CN", "018hded08"),
    ("Current addressKhalifa University of Science and Technology", "05hffr360"),
])
def test_hard_strings(matcher, text, ror_id):
    answer = matcher.match(text)
    assert answer.ror_id == ror_id, answer
    assert answer.via in ("exact", "alias", "acronym", "part", "fuzzy", "learned", "related", "parent")
    assert 0.0 < answer.score <= 1.0


@pytest.mark.parametrize("text", [
    "Optomechatronics Group",
    "Key Laboratory of Infrared System Detection and Imaging Technology",
    "",
    "   ",
])
def test_abstains_when_unsure(matcher, text):
    answer = matcher.match(text)
    assert (answer.ror_id, answer.name, answer.via) == (None, None, None)


def test_exact_names_answer_with_certainty(matcher):
    answer = matcher.match("Cyprus University of Technology")
    assert (answer.ror_id, answer.name, answer.score, answer.via) == (
        "05qt8tf94", "Cyprus University of Technology", 1.0, "exact")
    assert matcher.match("CMU").via == "alias"


def test_institution_lexicon_uses_the_matcher_conservatively():
    lexicon = load_lexicon()
    # what exact look-ups miss, kg build now links
    assert lexicon.match("Institut für Informatik, Universität Wien").ror_id == "03prydq77"
    assert lexicon.match("Università degli Studi di Pavia").name == "University of Pavia"
    # but never a name several organisations share, nor a bare ambiguous acronym
    assert lexicon.match("Soochow University").via == "unmatched"
    assert lexicon.match("NU").via == "unmatched"


def test_countries_named_outweigh_a_legal_form():
    # a country the string names is where it is, whatever the legal form says
    assert countries_in("BMC Software, Inc. Belgium") == {"belgium"}
    assert countries_in("Acme Inc") == {"united states"}


def test_loose_key_reads_other_languages_words():
    assert loose_key("instituto de fisica rosario".split()) == loose_key("institute of physics rosario".split())
    assert loose_key("centro de fisica de materiales".split()) == loose_key("center for materials physics".split())
    assert loose_key("instituto de micro y nanotecnologia".split()) == loose_key(
        "institute of micro and nanotechnology".split())


def test_clean_text_drops_a_lost_letter_mark():
    assert clean_text("Universidad Nacional Autnoma de M?xico") == "Universidad Nacional Autnoma de Mxico"
    assert clean_text("Why? Because") == "Why? Because"


@pytest.mark.parametrize("text, ror_id", [
    # misspellings, a German "ue" for "ü", a letter lost, a name written in two words
    ("University of Wuerzburg", "00fbnyb24"),
    ("SRM Instutute of Science and Technology, Chennai", "050113w36"),
    ("Universidad Nacional Autnoma de M?xico", "01tmp8f25"),
    ("Nanchang Hang Kong University", "0369pvp92"),
    # a country after a name that holds it: "… Medical College in Qatar"
    ("Weill Cornell Medical College Qatar", "05v5hg569"),
    # names in Spanish of organisations ROR names in English only
    ("Instituto de Física Rosario", "03v7tny92"),
    ("Centro de Física de Materiales", "02hpa6m94"),
    # companies listed once per country, with their legal form: the head office's record
    ("Fujitsu Limited", "038e2g226"),
    ("Honeywell International Inc", "02t71h845"),
    ("Panasonic Holdings Corporation", "011tm7n37"),
])
def test_misspelt_foreign_and_company_strings(matcher, text, ror_id):
    answer = matcher.match(text)
    assert answer.ror_id == ror_id, answer


def test_a_company_named_with_another_country_is_not_answered(matcher):
    assert matcher.match("Hindawi Romania").ror_id is None  # Hindawi's record is in the United Kingdom


# -- companies listed once per country -----------------------------------------------------------

ACME = {"de": "00acme0de", "jp": "00acme0jp", "us": "00acme0us"}


@pytest.fixture()
def acme_lexicon(tmp_path):
    rows = [
        ("acme", ACME["de"], "short", ""), ("acme germany", ACME["de"], "name", "Acme (Germany)"),
        ("acme", ACME["jp"], "short", ""), ("acme japan", ACME["jp"], "name", "Acme (Japan)"),
        ("acme kabushiki kaisha", ACME["jp"], "synonym", ""),
        ("acme", ACME["us"], "short", ""), ("acme united states", ACME["us"], "name", "Acme (United States)"),
    ]
    path = tmp_path / "acme.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8") as out:
        out.write("# ror_version=test\nnorm\tror_id\tstatus\tentry_name\n")
        out.writelines("\t".join(row) + "\n" for row in rows)
    return load_lexicon(ror_path=path)


ACME_WEIGHTS = {"bias": -1.0, "k_exact": 1.0, "k_loose": 1.0, "whole_part": 1.0, "ambiguous": -3.0,
                "group_top_multi": 0.5, "hint": 1.0}


@pytest.mark.parametrize("text, country, z", [
    ("Acme GmbH", "de", 2.5),  # the legal form says Germany (or Austria, Switzerland: no record there)
    ("Acme, Tokyo, Japan", "jp", 2.5),  # the string names the country
    ("Acme Inc, Boston, USA", "us", 2.5),
    ("Acme Corp", "jp", 1.5),  # "Corp" says no country: Japanese and Taiwanese companies use it as much
    ("Acme R&D", "jp", 0.5),  # no hint: the record with the most names, the head office's most often
])
def test_a_company_listed_once_per_country_resolves_by_the_country_hint(acme_lexicon, text, country, z):
    matcher = AffiliationMatcher(acme_lexicon, LearnedTables(weights=dict(ACME_WEIGHTS), threshold=0.5))
    answer = matcher.match(text)
    assert (answer.ror_id, answer.name, answer.via, answer.ambiguity) == (
        ACME[country], acme_lexicon.ror_label(ACME[country]), "part", 3)
    # the pick of the group reads as the one organisation of the name: no penalty for ambiguity
    assert answer.score == pytest.approx(1 / (1 + math.exp(-z)))


def test_a_company_listed_once_per_country_resolves_by_the_learned_prior(acme_lexicon):
    # no country in the string: the record the training data asserted for this name wins
    learned = LearnedTables(weights=dict(ACME_WEIGHTS), threshold=0.5, seen={ACME["us"]: (4, 4), ACME["jp"]: (4, 0)})
    matcher = AffiliationMatcher(acme_lexicon, learned)
    assert matcher.match("Acme R&D").ror_id == ACME["us"]
    # the other records of the name stay ambiguous, so they score lower
    parts, cands = matcher.candidates("Acme R&D")
    scores = {c.ror_id: round(matcher.score(f), 4) for c, f in zip(cands, matcher.features(parts, cands), strict=True)}
    assert scores == {ACME["us"]: 0.6225, ACME["jp"]: 0.0474, ACME["de"]: 0.0474}


def test_a_company_leading_a_one_part_string_has_no_penalty_of_its_own(acme_lexicon):
    # "Samsung Semiconductor R&D Center": the company's name before a unit is scored like its name
    # anywhere else (a feature for this case learned from a dozen strings only, and cost F1)
    matcher = AffiliationMatcher(acme_lexicon, LearnedTables(weights=dict(ACME_WEIGHTS), threshold=0.5))
    parts, cands = matcher.candidates("Acme Semiconductor R&D Center")
    feats = dict(zip((c.ror_id for c in cands), matcher.features(parts, cands), strict=True))
    pick = feats[ACME["jp"]]  # the record with the most names
    assert (pick["group_top_multi"], pick["lead"], pick["one_part"]) == (1.0, 1.0, 1.0)
    assert "group_multi_lead" not in FEATURES and set(pick) <= set(FEATURES)


def test_mine_counts_which_countrys_record_of_a_shared_name_is_meant(acme_lexicon):
    base = AffiliationMatcher(acme_lexicon, LearnedTables())
    rows = [("Acme Research, Munich", frozenset({ACME["de"]})), ("Acme Labs", frozenset({ACME["jp"]})),
            ("Acme, Osaka", frozenset({ACME["jp"]})), ("Optomechatronics Group", frozenset())]
    tables = mine(prepare(base, rows), base.country)
    assert tables.countries == {"germany": (3, 1), "japan": (3, 2), "united states": (3, 0)}
    assert mine(prepare(base, rows)).countries == {}  # no way to locate the records: no counts


def test_fit_weighs_the_datasets_and_learns_the_country_counts(acme_lexicon):
    base = AffiliationMatcher(acme_lexicon, LearnedTables())
    rows = prepare(base, [("Acme GmbH", frozenset({ACME["de"]}))] * 6, "a")
    rows += prepare(base, [("Acme, Osaka, Japan", frozenset({ACME["jp"]}))] * 2, "b")
    tables = fit(base, rows, inner_folds=2)
    assert tables.countries == {"germany": (8, 6), "japan": (8, 2), "united states": (8, 0)}
    assert 0.05 <= tables.threshold <= 0.95 and tables.weights["bias"] != 0.0


# -- learning -----------------------------------------------------------------------------------


def test_folds_are_seeded_and_balanced():
    assert folds(10, 5, 0) == folds(10, 5, 0)
    assert sorted(folds(10, 5, 0)) == [0, 0, 1, 1, 2, 2, 3, 3, 4, 4]
    assert folds(10, 5, 0) != folds(10, 5, 1)


def test_mine_learns_aliases_and_related_organisations_from_repeated_assertions():
    base = AffiliationMatcher(load_lexicon(), LearnedTables())
    oslo, ntnu = "01xtthb56", "05xg72x27"
    rows = [
        ("Centre for Quux Studies", frozenset({oslo})),
        ("Centre for Quux Studies", frozenset({oslo})),
        ("Department of X, Centre for Quux Studies", frozenset({oslo})),
        ("Department of Y, Norwegian University of Science and Technology", frozenset({ntnu})),
        ("Optomechatronics Group", frozenset()),
    ]
    tables = mine(prepare(base, rows))
    ((key, (ror_id, times, share)),) = [(k, v) for k, v in tables.aliases.items() if "quux" in k]
    assert (ror_id, times, share) == (oslo, 3, 1.0)
    assert tables.seen  # per-organisation counts


def test_load_learned(tmp_path):
    shipped = load_learned()
    assert shipped.weights and 0.0 < shipped.threshold < 1.0 and shipped.aliases and shipped.related
    assert load_learned(tmp_path / "absent.tsv").weights  # nothing learned: hand-set weights
    bad = tmp_path / "bad.tsv"
    bad.write_text("# comment\nweight\tbias\tnot-a-number\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"bad.tsv:2"):
        load_learned(bad)


def test_shipped_labels_and_learned_ids_are_in_the_index():
    lexicon = load_lexicon()
    for line in (DATA / "ror_labels.tsv").read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, ror_id = line.split("\t")
            assert lexicon.ror_label(ror_id), line
            assert lexicon.match(name).ror_id == ror_id, line
    learned = load_learned()
    assert all(lexicon.ror_label(ror_id) for ror_id, _, _ in learned.aliases.values())


# -- the ROR index: version, dumps --------------------------------------------------------------


def test_shipped_index_version():
    assert ror_version() == "v1.36"
    assert ror_version(DATA / "no-such-file.tsv.gz") == "unknown"


def _v1_record(ror_id, name, country, city, parent=None, aliases=(), acronyms=(), labels=(), status="active"):
    return {
        "id": f"https://ror.org/{ror_id}", "name": name, "status": status, "aliases": list(aliases),
        "acronyms": list(acronyms), "labels": [{"label": label, "iso639": "de"} for label in labels],
        "country": {"country_name": country, "country_code": "XX"}, "addresses": [{"city": city}],
        "relationships": [{"type": "Parent", "id": f"https://ror.org/{parent}", "label": "p"}] if parent else [],
    }


def _v2_record(ror_id, name, country, city, parent=None, others=()):
    return {
        "id": f"https://ror.org/{ror_id}", "status": "active",
        "names": [{"value": name, "types": ["ror_display", "label"], "lang": "en"}]
        + [{"value": v, "types": [t], "lang": None} for v, t in others],
        "locations": [{"geonames_id": 1, "geonames_details": {"name": city, "country_name": country}}],
        "relationships": [{"type": "parent", "id": f"https://ror.org/{parent}", "label": "p"}] if parent else [],
    }


def test_build_ror_index_from_a_v1_dump_zip(tmp_path):
    build = _script("build_ror_index")
    records = [
        _v1_record("0quux0001", "Quux University", "Germany", "Quuxburg", labels=["Universität Quux"],
                   acronyms=["QU"]),
        _v1_record("0quux0002", "Quux Medical School", "Germany", "Quuxburg", parent="0quux0001"),
        _v1_record("0acme0001", "Acme (United States)", "United States", "Springfield"),
        _v1_record("0acme0002", "Acme (Germany)", "Germany", "Berlin", parent="0acme0001"),
        _v1_record("0gone0001", "Gone Institute", "France", "Paris", status="withdrawn"),
    ]
    dump = tmp_path / "v9.87-2030-01-01-ror-data.zip"
    with zipfile.ZipFile(dump, "w") as archive:
        archive.writestr("v9.87-2030-01-01-ror-data.json", json.dumps(records))
    target = tmp_path / "ror.tsv.gz"
    assert build.main([str(dump), str(target)]) == 0
    lines = gzip.decompress(target.read_bytes()).decode("utf-8").splitlines()
    assert lines[0] == "# ror_version=v9.87 licence=CC0-1.0"
    assert lines[1] == "norm\tror_id\tstatus\tentry_name\tcountry\tcity\tparent"
    assert "quux medical school\t0quux0002\tname\tQuux Medical School\tGermany\tQuuxburg\t0quux0001" in lines
    assert "universitat quux\t0quux0001\tsynonym\t\t\t\t" in lines
    assert not any("gone" in line for line in lines)  # withdrawn records are left out
    assert ror_version(target) == "v9.87"

    lexicon = load_lexicon(aliases_path=DATA / "institution_aliases.tsv", ror_path=target)
    assert (lexicon.ror_country("0acme0002"), lexicon.ror_city("0acme0002"), lexicon.ror_parent("0acme0002")) == (
        "Germany", "Berlin", "0acme0001")
    small = AffiliationMatcher(lexicon, load_learned())
    # a country named in the string chooses between same-named branches
    _, cands = small.candidates("Acme, Berlin, Germany")
    feats = {c.ror_id: f for c, f in zip(cands, small.features(["Acme", "Berlin", "Germany"], cands), strict=True)}
    assert feats["0acme0002"]["hint"] == 1.0 and feats["0acme0001"]["hint_other"] == 1.0
    # the parent the dump records is a candidate too
    _, cands = small.candidates("Department of Anatomy, Quux Medical School")
    assert {c.ror_id: c.kind for c in cands}["0quux0001"] == "parent"


def test_build_ror_index_from_a_v2_dump_json(tmp_path):
    build = _script("build_ror_index")
    records = [_v2_record("0quux0001", "Quux University", "Germany", "Quuxburg",
                          others=[("QU", "acronym"), ("Universität Quux", "label")])]
    dump = tmp_path / "ror-data.json"
    dump.write_text(json.dumps(records), encoding="utf-8")
    target = tmp_path / "ror.tsv.gz"
    with pytest.raises(SystemExit):  # no version in the file name: it must be given
        build.main([str(dump), str(target)])
    assert build.main([str(dump), str(target), "--ror-version", "v2.1"]) == 0
    lines = gzip.decompress(target.read_bytes()).decode("utf-8").splitlines()
    assert lines[0] == "# ror_version=v2.1 licence=CC0-1.0"
    assert "quux university\t0quux0001\tname\tQuux University\tGermany\tQuuxburg\t" in lines
    assert "qu\t0quux0001\tsynonym\t\t\t\t" in lines


# -- output and the command line ----------------------------------------------------------------


def test_format_answer_and_match_lines(matcher):
    answers = list(match_lines(["Cyprus University of Technology", "", "Optomechatronics Group"], matcher))
    assert [a.ror_id for a in answers] == ["05qt8tf94", None, None]
    assert json.loads(format_answer(answers[0])) == {
        "input": "Cyprus University of Technology", "ror": "https://ror.org/05qt8tf94",
        "name": "Cyprus University of Technology", "score": 1.0, "via": "exact"}
    assert format_answer(answers[1], "tsv") == "\t\t\t0.0\t"
    assert format_answer(Affiliation("a\tb", None, None, 0.0, None), "tsv") == "a b\t\t\t0.0\t"
    with pytest.raises(ValueError):
        format_answer(answers[0], "xml")


def test_cli_match_affiliations_jsonl_file_and_stdin(tmp_path):
    lines = ["Dept. of Physics, Univ. of Oslo, Oslo, Norway", "", "Optomechatronics Group", "清华大学"]
    source = tmp_path / "affiliations.txt"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    runner = CliRunner()
    from_file = runner.invoke(cli, ["match-affiliations", str(source)])
    assert from_file.exit_code == 0, from_file.output
    rows = [json.loads(line) for line in from_file.output.splitlines()]
    assert [r["input"] for r in rows] == lines  # one answer per line, in order
    assert [r["ror"] for r in rows] == ["https://ror.org/01xtthb56", None, None, "https://ror.org/03cve4549"]
    assert rows[0]["name"] == "University of Oslo" and rows[0]["via"] == "part"
    assert rows[1] == {"input": "", "ror": None, "name": None, "score": 0.0, "via": None}
    from_stdin = runner.invoke(cli, ["match-affiliations", "-"], input="\n".join(lines) + "\n")
    assert from_stdin.exit_code == 0 and from_stdin.output == from_file.output
    default_stdin = runner.invoke(cli, ["match-affiliations"], input="\r\n".join(lines))
    assert default_stdin.output == from_file.output  # CRLF line ends, no final newline


def test_cli_match_affiliations_tsv():
    result = CliRunner().invoke(cli, ["match-affiliations", "-", "--format", "tsv"],
                                input="Cyprus University of Technology\n\nCMU\n")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Cyprus University of Technology\thttps://ror.org/05qt8tf94\tCyprus University of Technology\t1.0\texact",
        "\t\t\t0.0\t",
        "CMU\thttps://ror.org/05x2bcf33\tCarnegie Mellon University\t1.0\talias",
    ]


def test_cli_match_affiliations_errors(tmp_path):
    runner = CliRunner()
    missing = runner.invoke(cli, ["match-affiliations", str(tmp_path / "none.txt")])
    assert missing.exit_code == 1
    assert missing.output.startswith("Error: ") and "none.txt: cannot read" in missing.output
    broken = tmp_path / "broken.txt"
    broken.write_bytes(b"Cyprus University of Technology\n\xff\xfe\n")
    result = runner.invoke(cli, ["match-affiliations", str(broken)])
    assert result.exit_code == 1
    assert "broken.txt:2: not valid UTF-8" in result.output
    bad_format = runner.invoke(cli, ["match-affiliations", "--format", "xml"], input="x\n")
    assert bad_format.exit_code == 2


def test_cli_version_names_the_ror_release():
    result = CliRunner().invoke(cli, ["--version"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("kg, version ")
    assert "ROR registry v1.36" in result.output
