"""Hypothesis strategies for resolved corpora (kg.model) whose every text field is hostile.

The corpora keep the invariants that `kg.resolve.resolve` guarantees and exporters rely on: ids unique
per kind and prefixed by it ("author:", "institution:", "arxiv:"/"title:"/"text:"), every authorship
and institution reference pointing at a record of the corpus, languages "en"/"zh", topic labels unique
per paper, finite scores, years of four digits. Everything else is free: names, titles, abstracts,
printed forms, topics, tasks, methods, datasets, metrics and their aliases, URLs, source file names and
the keys inside ids.

Strings are Unicode scalar values: lone surrogates (``"\\ud800"``) are left out because a Corpus
read from UTF-8 or written to corpus.json cannot hold them.
"""

from __future__ import annotations

from hypothesis import strategies as st

from kg.model import VIA, Author, Authorship, Corpus, Entity, Institution, InstitutionRef, Paper, Source

__all__ = ["SNIPPETS", "corpora", "hostile_text", "urls"]

SNIPPETS = (
    # HTML and XML
    "<script>alert(1)</script>", "</script><script>alert(2)</script>", "<!--", "-->", "]]>", "<![CDATA[x]]>",
    "<img src=x onerror=alert(3)>", "&amp;", "&#0;", "&lt;", "<?xml version='1.0'?>",
    # quotes and escapes of every format
    '"', "'", "`", "``", "\\", "\\'", '\\"', '""', "''", '"""', "'''", "\\u0041", "\\n",
    # line breaks, controls, invisible and direction-changing characters
    "\n", "\r", "\r\n", "\t", "\x00", "\x01", "\x07", "\x0b", "\x0c", "\x1b[31m", "\x1c", "\x1e", "\x1f", "\x7f",
    "\x85", "\xa0", "\u2028", "\u2029", "\u202e", "\u2066", "\u200b", "\u200d", "\ufeff", "\ufffd", "\ufffe", "\uffff",
    # outside the BMP, combining marks, CJK
    "😀", "👨\u200d👩\u200d👧", "𝕏", "\U0010fffd", "e\u0301", "语义分割",
    # spreadsheet formulas (CSV injection)
    '=HYPERLINK("http://evil.example/?x","click")', "=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "'=1", "＝1",
    # Cypher and SQL
    "'}) DETACH DELETE n //", "; MATCH (n) DETACH DELETE n", "` DROP TABLE Paper //", "$author", "{a: 1}", "//",
    # RDF syntaxes
    '" .\n<a:b> <a:c> "', "@prefix x: <y> .", "_:b0", "^^<x>", "@en", "<http://evil.example/>", "{", "}",
    # IRI and path pieces
    " ", "%20", "%zz", "%", "#", "?", "/", "..", "a b", ";", "|", ",", ":", "&",
)

_CHARS = st.characters(exclude_categories=("Cs",))  # every code point but surrogates
_PIECE = st.one_of(st.sampled_from(SNIPPETS), st.text(_CHARS, max_size=6))


def hostile_text(max_pieces: int = 5) -> st.SearchStrategy[str]:
    """Text made of hostile snippets and random characters; now and then one piece repeated into a
    long string (hundreds to thousands of characters)."""
    short = st.lists(_PIECE, max_size=max_pieces).map("".join)
    long = st.builds(lambda piece, n: piece * n, _PIECE.filter(bool), st.integers(100, 500))
    return st.one_of(short, short, short, short, short, long)


def urls() -> st.SearchStrategy[str]:
    """Links as a code host prints them, with hostile paths, and text that is no URL at all."""
    hosts = st.sampled_from(["github.com", "gitlab.com", "example.org", "schema.org/", "[::1]", "a@b@c", "xn--ls8h.la"])
    return st.one_of(st.builds(lambda h, p: f"https://{h}/{p}", hosts, hostile_text(3)), hostile_text(3))


_TEXT = hostile_text()
_OPTIONAL = st.none() | _TEXT
_SCORES = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False, allow_infinity=False) | st.sampled_from(
    [0.0, -0.0, 1e-300, 5e-324, 0.1])


def _ids(prefix: str, max_size: int):
    # the index makes ids unique; the hostile key after it is what exporters have to carry
    return st.lists(_TEXT, max_size=max_size).map(lambda keys: [f"{prefix}{i}{k}" for i, k in enumerate(keys)])


_ENTITY = st.builds(Entity, _TEXT, st.lists(_TEXT, max_size=2).map(tuple), st.sampled_from(VIA))


def _entities(draw) -> tuple[Entity, ...]:
    """Tasks, methods, datasets or metrics: hostile names and aliases, any `via`."""
    return tuple(draw(st.lists(_ENTITY, max_size=3)))


@st.composite
def _paper(draw, index: int, authors: list[Author], institutions: list[Institution]) -> Paper:
    kind = draw(st.sampled_from(["arxiv", "title", "text"]))
    authorships = ()
    if authors:
        chosen = draw(st.lists(st.sampled_from(authors), max_size=4))
        authorships = tuple(Authorship(i, draw(_TEXT), a.id, draw(_OPTIONAL)) for i, a in enumerate(chosen))
    refs = ()
    if institutions:
        chosen = draw(st.lists(st.sampled_from(institutions), max_size=3))
        refs = tuple(InstitutionRef(draw(_TEXT), i.id, i.name) for i in chosen)
    topics = draw(st.lists(st.tuples(_TEXT, _SCORES), max_size=6, unique_by=lambda t: t[0].lower()))
    return Paper(
        id=f"{kind}:{index}{draw(_TEXT)}",
        title=draw(_OPTIONAL),
        arxiv_id=draw(_OPTIONAL),
        category=draw(st.none() | st.sampled_from(["cs.LG", "cs.CL", "eess.AS"]) | _TEXT),
        year=draw(st.none() | st.integers(1000, 9999)),
        lang=tuple(draw(st.lists(st.sampled_from(["en", "zh"]), unique=True, max_size=2))),
        abstracts=tuple(draw(st.lists(st.tuples(st.sampled_from(["en", "zh"]), _TEXT), max_size=2))),
        authorships=authorships,
        institutions=refs,
        topics=tuple(topics),
        methods=_entities(draw),
        datasets=_entities(draw),
        code=tuple(draw(st.lists(urls(), max_size=2))),
        urls=tuple(draw(st.lists(urls(), max_size=2))),
        sources=tuple(draw(st.lists(st.builds(Source, _TEXT, st.integers(1, 10**9)), min_size=1, max_size=3))),
        tasks=_entities(draw),
        metrics=_entities(draw),
    )


@st.composite
def corpora(draw, max_papers: int = 4) -> Corpus:
    """A small resolved corpus with hostile text in every field (see the module notes)."""
    authors = [Author(i, draw(_TEXT), ()) for i in draw(_ids("author:", 5))]
    institutions = [Institution(i, draw(_TEXT), draw(st.none() | _TEXT), tuple(draw(st.lists(_TEXT, max_size=2))),
                                draw(st.booleans())) for i in draw(_ids("institution:", 3))]
    count = draw(st.integers(1, max_papers))
    papers = tuple(draw(_paper(i, authors, institutions)) for i in range(count))
    return Corpus(papers, tuple(authors), tuple(institutions))
