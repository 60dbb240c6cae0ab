from kg.ingest.fields import full_names_for, latex_to_text, names_compatible
from kg.model import Entry, Source


def entry(authors, full=None):
    return Entry(source=Source("x", 1), format="t", authors=tuple(authors),
                 author_names_full=tuple(full if full is not None else authors))


def test_full_names_by_position_then_unique_compatible():
    printed = ("D Dai", "L Dong", "Y Hao")
    meta = entry(["Damai Dai", "Li Dong", "Yaru Hao"])
    assert full_names_for(printed, [meta]) == ("Damai Dai", "Li Dong", "Yaru Hao")
    # another order (a digest that reordered or dropped an author): matched by name, not position
    shuffled = entry(["Yaru Hao", "Damai Dai"])
    assert full_names_for(printed, [shuffled]) == ("Damai Dai", None, "Yaru Hao")


def test_incompatible_or_ambiguous_names_get_no_full_name():
    assert full_names_for(("Y Wang", "X Li"), [entry(["Yue Wang", "Xin Liu"])]) == ("Yue Wang", None)
    # two "Y Wang" full names and the printed one at neither position: ambiguous
    assert full_names_for(("A B", "Y Wang"), [entry(["Yi Wang", "Z Q", "Yu Wang"])]) == (None, None)
    assert full_names_for(("D Dai",), [entry(["D Dai"], [None])]) == (None,)


def test_name_matching_rules():
    assert names_compatible("J M Hernández-Lobato", "José Miguel Hernández-Lobato")
    assert names_compatible("JM Hernandez-Lobato", "José Miguel Hernández-Lobato")
    assert names_compatible("R Adams", "Ryan P. Adams")  # fewer initials printed
    assert not names_compatible("R P. Adams", "Ryan Adams")  # an initial the full name lacks
    assert not names_compatible("Adams", "Ryan Adams")


def test_latex_decoding_keeps_math():
    assert latex_to_text(r"{\"U}ber $\mathcal{O}(n)$ Sch\"{o}n") == r"Über $\mathcal{O}(n)$ Schön"
