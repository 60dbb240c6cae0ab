from kg.ingest import read_file
from kg.ingest.bibtex import parse_bibtex

from .formats_data import BIBTEX


def entries():
    return read_file(str(BIBTEX)).entries


def test_entries_in_file_order_with_start_lines():
    es = entries()
    assert [e.source.line for e in es] == [6, 13, 23, 32, 50]
    assert [e.title for e in es] == [
        "Knowledge Neurons in Pretrained Transformers",
        "Vitruvion: A Generative Model of Parametric CAD Sketches",  # {Vitruvion}, {CAD}: braces dropped
        "Training data-efficient image transformers & distillation through attention",  # \& decoded
        "Pin the Memory: Learning to Generalize Semantic Segmentation",
        "Deep Residual Learning for Image Recognition",
    ]
    assert all(e.format == "bibtex" for e in es)


def test_last_first_names_in_order_and_latex_accents():
    es = entries()
    assert es[1].authors == ("Ari Seff", "Wenda Zhou", "Nick Richardson", "Ryan P. Adams")
    assert es[1].author_names_full == es[1].authors
    assert es[2].authors[-1] == "Hervé Jégou"  # J{\'e}gou, Herv{\'e}


def test_arxiv_ids_from_journal_eprint_url_and_doi():
    assert [e.arxiv_id for e in entries()] == ["2104.08696", "2109.14124", "2012.12877", "2204.03609", None]


def test_category_year_venue_abstract():
    kn, vit, deit, pin, resnet = entries()
    assert vit.category == "cs.LG" and kn.category is None
    assert [e.year for e in entries()] == [2021, 2022, 2021, 2022, 2016]
    assert vit.venue == "International Conference on Learning Representations"  # @string macro resolved
    assert kn.venue is None  # "arXiv preprint arXiv:…" is not a venue
    assert pin.abstract.startswith("The rise of deep neural networks") and pin.lang == "en"
    assert pin.urls == ("https://doi.org/10.48550/ARXIV.2204.03609", "https://arxiv.org/abs/2204.03609")


def test_broken_block_and_untitled_entry_are_reported_and_the_rest_read():
    problems = read_file(str(BIBTEX)).problems
    assert [(p.line, p.severity) for p in problems] == [(41, "error"), (58, "error")]
    assert problems[0].reason.startswith("BibTeX block not parsed: Expected a `=` after entry key")
    assert problems[1].reason == "BibTeX entry 'untitled2023' has no title"


def test_von_part_and_others():
    text = "@article{k, title={T}, author={van der Maaten, Laurens and Hinton, Geoffrey and others}, year=2008}"
    e = parse_bibtex(text, "x.bib").entries[0]
    assert e.authors == ("Laurens van der Maaten", "Geoffrey Hinton")
    assert e.source.line == 1


def test_stray_text_between_entries_is_reported_comments_are_not():
    text = "% exported\n\n@article{a, title={T}, author={Doe, Jane}}\nCopied from Google Scholar:\n@article{b, title={U}, author={Roe, Rick}}\n"
    result = parse_bibtex(text, "x.bib")
    assert [e.source.line for e in result.entries] == [3, 5]
    assert [(p.line, p.severity, p.reason) for p in result.problems] == [
        (4, "warning", "text outside BibTeX entries skipped: 'Copied from Google Scholar:'")]


def test_accents_outside_braces_survive_name_splitting():
    text = r'@misc{k, title={T}, author={Sedoc, Jo\~ao and \"Oktem, Ozan and M{\"u}ller, J\"{o}rg and {Google Brain Team}}}'
    assert parse_bibtex(text, "x.bib").entries[0].authors == ("João Sedoc", "Ozan Öktem", "Jörg Müller", "Google Brain Team")
