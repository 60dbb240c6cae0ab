"""Printed person names (kg.util.names): spelled-out given names, and one form abbreviating another."""

from kg.util.names import abbreviates, is_full_name


def test_abbreviation_rules():
    assert abbreviates("J M Hernández-Lobato", "José Miguel Hernández-Lobato")
    assert abbreviates("JM Hernandez-Lobato", "José Miguel Hernández-Lobato")
    assert abbreviates("R Adams", "Ryan P. Adams")  # fewer initials printed
    assert not abbreviates("R P. Adams", "Ryan Adams")  # an initial the full name lacks
    assert not abbreviates("Adams", "Ryan Adams")


def test_abbreviating_is_one_way():
    # the full form does not abbreviate the printed one: kg.resolve.names.could_be_same_person is the symmetric test
    assert abbreviates("D Dai", "Damai Dai") and not abbreviates("Damai Dai", "D Dai")
    assert abbreviates("Damai Dai", "Damai Dai")


def test_full_names_spell_out_a_given_name():
    assert is_full_name("Damai Dai") and is_full_name("K. Birgitta Whaley")
    assert not is_full_name("JM Hernandez-Lobato") and not is_full_name("Dai")
