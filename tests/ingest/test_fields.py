from kg.ingest.fields import full_names, latex_to_text


def test_full_names_keep_only_spelled_out_names():
    assert full_names(["Damai Dai", "L Dong"]) == ("Damai Dai", None)
    assert full_names(["D Dai", "L Dong"]) == ()  # nothing to attach


def test_latex_decoding_keeps_math():
    assert latex_to_text(r"{\"U}ber $\mathcal{O}(n)$ Sch\"{o}n") == r"Über $\mathcal{O}(n)$ Schön"
