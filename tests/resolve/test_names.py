"""Names as resolution compares them (kg.resolve.names): one person or not, and the full name behind a printed form."""

from kg.model import Entry, Source
from kg.resolve.names import could_be_same_person, full_names_for


def entry(authors, full=None):
    return Entry(source=Source("x", 1), format="t", authors=tuple(authors),
                 author_names_full=tuple(full if full is not None else authors))


def test_full_names_by_position_then_unique_abbreviated():
    printed = ("D Dai", "L Dong", "Y Hao")
    meta = entry(["Damai Dai", "Li Dong", "Yaru Hao"])
    assert full_names_for(printed, [meta]) == ("Damai Dai", "Li Dong", "Yaru Hao")
    # another order (a digest that reordered or dropped an author): matched by name, not position
    shuffled = entry(["Yaru Hao", "Damai Dai"])
    assert full_names_for(printed, [shuffled]) == ("Damai Dai", None, "Yaru Hao")


def test_unabbreviated_or_ambiguous_names_get_no_full_name():
    assert full_names_for(("Y Wang", "X Li"), [entry(["Yue Wang", "Xin Liu"])]) == ("Yue Wang", None)
    # two "Y Wang" full names and the printed one at neither position: ambiguous
    assert full_names_for(("A B", "Y Wang"), [entry(["Yi Wang", "Z Q", "Yu Wang"])]) == (None, None)
    assert full_names_for(("D Dai",), [entry(["D Dai"], [None])]) == (None,)


def test_same_person_is_symmetric():
    # unlike kg.util.names.abbreviates: "Ryan P. Adams" and "R Adams" may be one person either way round
    assert could_be_same_person("R Adams", "Ryan P. Adams") and could_be_same_person("Ryan P. Adams", "R Adams")
    assert not could_be_same_person("Yang Liu", "Yu Liu") and not could_be_same_person("Y Liu", "Y Li")
