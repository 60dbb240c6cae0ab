"""Tests for kg.knowledge.institutions: normalising, matching and splitting institution names."""

import gzip
import importlib.util
from pathlib import Path

import pytest

from kg.knowledge.institutions import (
    InstitutionLexicon,
    InstitutionMatch,
    load_lexicon,
    normalise_name,
    strip_country_suffix,
)

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def lexicon() -> InstitutionLexicon:
    return load_lexicon()


def _load_build_script():
    spec = importlib.util.spec_from_file_location("build_ror_index", ROOT / "scripts" / "build_ror_index.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# -- normalising ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The Université de Montréal", "universite de montreal"),
        ("Texas A&M University", "texas a and m university"),
        ("Technion – Israel Institute of Technology", "technion israel institute of technology"),
        ("King’s College London", "king s college london"),
        ("Universit ´e de Montr ´eal", "universite de montreal"),
        ("Bosch Center for Artiﬁcial Intelligence", "bosch center for artificial intelligence"),
        ("Technical University of Denmark (DTU)", "technical university of denmark dtu"),
        ("The", "the"),
        ("  ", ""),
    ],
)
def test_normalise_name(text, expected):
    assert normalise_name(text) == expected


def test_strip_country_suffix():
    assert strip_country_suffix("Microsoft (United States)") == "Microsoft"
    assert strip_country_suffix("Naver (South Korea)") == "Naver"
    assert strip_country_suffix("China University of Petroleum (East China)") == (
        "China University of Petroleum (East China)"
    )


# -- matching -----------------------------------------------------------------------------------


def test_cmu_alias(lexicon):
    assert lexicon.match("CMU") == InstitutionMatch(
        name="Carnegie Mellon University", ror_id="05x2bcf33", key="ror:05x2bcf33", via="alias", route="alias"
    )


def test_full_name_and_alias_share_the_key(lexicon):
    full = lexicon.match("Carnegie Mellon University")
    assert full.name == "Carnegie Mellon University"
    assert full.key == lexicon.match("CMU").key == "ror:05x2bcf33"
    assert lexicon.match("Peking University") == InstitutionMatch(
        name="Peking University", ror_id="02v51f717", key="ror:02v51f717", via="alias", route="ror-name"
    )
    assert lexicon.match("PKU").key == "ror:02v51f717"


def test_microsoft_names(lexicon):
    research = lexicon.match("Microsoft Research")
    assert research.name == "Microsoft Research"
    assert lexicon.match("MSR") == research
    microsoft = lexicon.match("Microsoft")
    assert microsoft.name == "Microsoft"
    # Microsoft Research has no ROR record of its own; it is linked to the company.
    assert research.key == microsoft.key == "ror:00d0nc645"
    assert lexicon.match("MSRA").key == "ror:0300m5276"


@pytest.mark.parametrize(
    "printed, via, route, ror_id",
    [
        # the ROR record's name, whether the ROR index or the alias table (which lists it) found it
        ("École normale supérieure PSL", "ror", "ror-name", "05a0dhs15"),
        ("Stanford University", "alias", "ror-name", "00f54p054"),
        ("Department of Computer Science, Stanford University", "alias", "ror-name", "00f54p054"),  # a comma part
        ("Netflix", "alias", "ror-name", "0197qw696"),  # ROR's "Netflix (United States)" without its country
        # a ROR synonym: an alias, a name in Chinese script (kg/data/ror_labels.tsv)
        ("Royal Institute of Technology (KTH)", "ror", "ror-alias", "026vcq606"),
        ("清华大学", "ror", "ror-alias", "03cve4549"),
        ("Oxford University", "alias", "ror-alias", "052gg0110"),
        # the hand-curated alias table where the ROR index alone does not link the name there:
        # acronyms, short names, labs folded into their ROR parent, a name ROR gives every branch
        ("CMU", "alias", "alias", "05x2bcf33"),
        ("PKU", "alias", "alias", "02v51f717"),
        ("MSR", "alias", "alias", "00d0nc645"),
        ("Microsoft Research", "alias", "alias", "00d0nc645"),
        ("Microsoft", "alias", "alias", "00d0nc645"),
        ("Northeastern University", "alias", "alias", None),  # an alias without a ROR record
        # the affiliation matcher: a ROR name found as a whole part, no other organisation sharing it
        ("Dept. of Physics, Univ. of Oslo", "ror", "matcher", "01xtthb56"),
        ("Soochow University", "unmatched", "unmatched", None),
    ],
)
def test_match_records_its_route(lexicon, printed, via, route, ror_id):
    found = lexicon.match(printed)
    assert (found.via, found.route, found.ror_id) == (via, route, ror_id)


def test_ror_name_with_country_suffix_is_displayed_without_it(lexicon):
    assert lexicon.ror_label("00d0nc645") == "Microsoft"
    assert lexicon.match("Netflix").name == "Netflix"


def test_ror_match_by_name_and_synonym(lexicon):
    ens = lexicon.match("École normale supérieure PSL")
    assert (ens.via, ens.ror_id, ens.key) == ("ror", "05a0dhs15", "ror:05a0dhs15")
    assert ens.name == "École Normale Supérieure - PSL"
    # "Oxford University" is a ROR synonym of the University of Oxford.
    assert lexicon.match("Oxford University").key == lexicon.match("University of Oxford").key
    assert lexicon.match("University of Oxford").key == "ror:052gg0110"


def test_ambiguous_ror_name_stays_unmatched(lexicon):
    # Two ROR organisations are called "Soochow University" (Suzhou and Taipei).
    assert lexicon.ror_lookup("Soochow University") is None
    assert lexicon.match("Soochow University") == InstitutionMatch(
        name="Soochow University", ror_id=None, key="name:soochow university", via="unmatched", route="unmatched"
    )
    # Likewise "Northeastern University" (Boston and Shenyang): the alias NEU and the full name
    # stay unlinked and share one name key.
    assert lexicon.match("NEU") == lexicon.match("Northeastern University") == InstitutionMatch(
        name="Northeastern University", ror_id=None, key="name:northeastern university", via="alias", route="alias"
    )


def test_ambiguous_abbreviations_are_left_out(lexicon):
    for printed in ("NU", "TUD", "CU", "IIT"):
        match = lexicon.match(printed)
        assert match.via == "unmatched"
        assert match.key == f"name:{printed.lower()}"


def test_dominant_reading_of_some_ambiguous_abbreviations(lexicon):
    assert lexicon.match("NTU").name == "Nanyang Technological University"
    assert lexicon.match("UM").key == lexicon.match("University of Michigan").key == "ror:00jmfr291"


def test_acronyms_are_case_sensitive(lexicon):
    assert lexicon.match("Cmu").via == "unmatched"
    assert lexicon.match("UvA").name == "University of Amsterdam"
    assert lexicon.match("UVA").name == "University of Virginia"


def test_bare_acronym_does_not_link_to_an_unrelated_ror_synonym(lexicon):
    # In ROR, "TTI" is a synonym of Techtronic Industries and "USC" of the University of the
    # Sunshine Coast; neither is what AI papers mean.
    assert lexicon.match("TTI").via == "unmatched"
    assert lexicon.match("USC").name == "University of Southern California"


def test_fallbacks(lexicon):
    assert lexicon.match("The Chinese University of Hong Kong").key == "ror:00t33hh48"
    assert lexicon.match("Ecole Normale Supérieure (ENS)").key == lexicon.match("ENS").key == "ror:01dp7jr64"
    berkeley = lexicon.match("Department of Computer Science, University of California, Berkeley")
    assert (berkeley.name, berkeley.key) == ("University of California, Berkeley", "ror:01an7q238")
    fudan = lexicon.match("School of Computer Science, Fudan University, Shanghai, China")
    assert fudan.key == "ror:013q1eq08"
    assert lexicon.match("  [Tsinghua University]  ").key == "ror:03cve4549"
    # A single trailing part is tried after the leading ones: a city is not an institution.
    assert lexicon.match("Microsoft Research, Redmond").name == "Microsoft Research"


def test_unit_names_do_not_link_to_unrelated_ror_entries(lexicon):
    # ROR lists an unrelated organisation called "Computer Science Department".
    assert lexicon.match("Computer Science Department").via == "unmatched"
    assert lexicon.match("Faculty").via == "unmatched"
    assert lexicon.match("International Computer Science Institute").key == "ror:01ewh7m12"


def test_unknown_name_keeps_its_printed_form(lexicon):
    match = lexicon.match("  Quux  Lab of  Applied Nothing ")
    assert match == InstitutionMatch(
        name="Quux Lab of Applied Nothing",
        ror_id=None,
        key="name:quux lab of applied nothing",
        via="unmatched",
        route="unmatched",
    )
    assert not lexicon.is_known("Quux Lab of Applied Nothing")
    assert lexicon.is_known("CMU")


def test_keys_are_deterministic(lexicon):
    names = ["CMU", "Microsoft Research", "NTU", "Université de Montréal", "Quux Lab", "ETHZ", "Meta"]
    first = [lexicon.match(name).key for name in names]
    assert [lexicon.match(name).key for name in names] == first
    fresh = load_lexicon(
        aliases_path=ROOT / "kg" / "data" / "institution_aliases.tsv",
        ror_path=ROOT / "kg" / "data" / "ror_names.tsv.gz",
    )
    assert fresh is not lexicon
    assert [fresh.match(name).key for name in names] == first
    assert first[3] == "ror:0161xgx34"


# -- splitting ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "line, expected",
    [
        (
            "Yonsei University & NAVER AI Lab & Ewha Womans University",
            ["Yonsei University", "NAVER AI Lab", "Ewha Womans University"],
        ),
        (
            "Texas A&M University & Huazhong University of Science & Technology",
            ["Texas A&M University", "Huazhong University of Science & Technology"],
        ),
        ("Peking University & Microsoft Research", ["Peking University", "Microsoft Research"]),
        ("[Xiamen University & NetEase Inc.]", ["Xiamen University", "NetEase Inc."]),
        (
            "Centrum Wiskunde & Informatica & University of Amsterdam",
            ["Centrum Wiskunde & Informatica", "University of Amsterdam"],
        ),
        ("Boeing Research & Technology & MIT", ["Boeing Research & Technology", "MIT"]),
        ("Samsung R&D Institute & KAIST", ["Samsung R&D Institute", "KAIST"]),
        ("D. E. Shaw & Co. & Columbia University", ["D. E. Shaw & Co.", "Columbia University"]),
        (
            "Oregon Health & Science University & Intel",
            ["Oregon Health & Science University", "Intel"],
        ),
        ("USTC & iFLYTEK", ["USTC", "iFLYTEK"]),
        (
            "Stanford University & Computer Science & Biomedical Data Science",
            ["Stanford University", "Computer Science", "Biomedical Data Science"],
        ),
        ("CMU", ["CMU"]),
        ("", []),
    ],
)
def test_split(lexicon, line, expected):
    assert lexicon.split(line) == expected


# -- data files -----------------------------------------------------------------------------------


def test_alias_ror_ids_exist_in_the_ror_index(lexicon):
    path = ROOT / "kg" / "data" / "institution_aliases.tsv"
    rows = [
        line.split("\t")
        for line in path.read_text(encoding="utf-8").splitlines()
        if line and not line.startswith("#")
    ]
    assert rows[0] == ["alias", "canonical", "ror_id"]
    assert len(rows) > 300
    for row in rows[1:]:
        assert len(row) == 3, row
        if row[2]:
            assert lexicon.ror_label(row[2]) is not None, row


def test_conflicting_aliases_are_rejected(tmp_path):
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text(
        "alias\tcanonical\tror_id\nXU\tX University\t\nXU\tY University\t\n", encoding="utf-8"
    )
    with pytest.raises(ValueError, match="XU"):
        load_lexicon(aliases_path=aliases)


def test_custom_alias_table(tmp_path):
    aliases = tmp_path / "aliases.tsv"
    aliases.write_text(
        "# a comment\nalias\tcanonical\tror_id\nQLAB\tQuux Lab\t\nPekingU\tPeking University\t\n",
        encoding="utf-8",
    )
    custom = load_lexicon(aliases_path=aliases)
    assert custom.match("QLAB") == InstitutionMatch("Quux Lab", None, "name:quux lab", "alias", "alias")
    # An empty ROR id is filled in by looking the canonical name up in ROR.
    assert custom.match("PekingU").key == "ror:02v51f717"
    assert custom.match("CMU").via == "unmatched"


def test_build_ror_index_is_deterministic(tmp_path):
    build = _load_build_script()
    source = tmp_path / "gilda.tsv.gz"
    header = "norm_text\ttext\tdb\tid\tentry_name\tstatus\tsource\torganism\tsource_db\tsource_id\n"
    rows = [
        ("acme (united states)", "Acme (United States)", "0acme0001", "Acme (United States)", "name"),
        ("acme corp", "Acme Corp", "0acme0001", "Acme (United States)", "synonym"),
        ("acme (germany)", "Acme (Germany)", "0acme0002", "Acme (Germany)", "name"),
        ("the x university", "The X University", "0xuni0003", "The X University", "name"),
        ("x university", "X University", "0xuni0003", "The X University", "synonym"),
    ]
    with gzip.open(source, "wt", encoding="utf-8") as handle:
        handle.write(header)
        for norm, text, ror_id, entry, status in rows:
            handle.write(f"{norm}\t{text}\tror\t{ror_id}\t{entry}\t{status}\tror\t\t\t\n")
    first, second = tmp_path / "a.tsv.gz", tmp_path / "b.tsv.gz"
    build.main([str(source), str(first), "--ror-version", "v9.99"])
    build.main([str(_reversed_copy(source, tmp_path)), str(second), "--ror-version", "v9.99"])
    assert first.read_bytes() == second.read_bytes()
    assert first.read_bytes()[4:8] == b"\x00\x00\x00\x00"  # gzip mtime
    lines = gzip.decompress(first.read_bytes()).decode("utf-8").splitlines()
    assert lines == [
        "# ror_version=v9.99 licence=CC0-1.0",
        "norm\tror_id\tstatus\tentry_name",
        "acme\t0acme0001\tshort\t",
        "acme\t0acme0002\tshort\t",
        "acme corp\t0acme0001\tsynonym\t",
        "acme germany\t0acme0002\tname\tAcme (Germany)",
        "acme united states\t0acme0001\tname\tAcme (United States)",
        "x university\t0xuni0003\tname\tThe X University",
    ]
    small = load_lexicon(aliases_path=ROOT / "kg" / "data" / "institution_aliases.tsv", ror_path=first)
    assert small.match("Acme Corp").key == "ror:0acme0001"
    assert small.match("Acme").via == "unmatched"  # two branches, no primary name: ambiguous
    assert small.match("The X University").name == "The X University"


def _reversed_copy(source: Path, directory: Path) -> Path:
    lines = gzip.decompress(source.read_bytes()).decode("utf-8").splitlines(keepends=True)
    target = directory / "reversed.tsv.gz"
    target.write_bytes(gzip.compress("".join(lines[:1] + lines[:0:-1]).encode("utf-8")))
    return target


def test_a_build_can_release_the_affiliation_matcher():
    """kg build drops the matcher (about 230 MB) once institutions are resolved; it comes back on use."""
    from kg.knowledge.institutions import load_lexicon

    lexicon = load_lexicon()
    first = lexicon.affiliations
    assert lexicon.affiliations is first  # built once
    lexicon.release_affiliations()
    assert lexicon._affiliations is None
    again = lexicon.affiliations
    assert again is not first and again.match("Dept. of Physics, Univ. of Oslo, Oslo, Norway").name == "University of Oslo"
