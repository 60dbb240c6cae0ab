"""The one CSV formula rule (kg.util.csvsafe), shared by the property-graph tables and `kg query --format csv`."""

from kg.util.csvsafe import FORMULA_PREFIXES, neutralise


def test_neutralise_is_reversible():
    for text in ["=1+1", "+x", "-y", "@z", "\tt", "\rr", "'q", "''q", "plain", ""]:
        out = neutralise(text)
        assert out.removeprefix("'") == text
        assert (out != text) == text.startswith(FORMULA_PREFIXES)


def test_no_neutralised_cell_starts_a_formula():
    for text in ["=1+1", "+x", "-y", "@z", "\tt", "\rr", "'q"]:
        assert neutralise(text).startswith("'") and not neutralise(text)[1:].startswith("'") or text.startswith("'")
