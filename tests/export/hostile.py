"""A one-paper corpus full of values that break naive CSV, XML and Cypher writers (no spaCy needed)."""

from dataclasses import replace

from kg.model import Entity, Entry, Extraction, Source
from kg.resolve import resolve

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?q=1", "click") ; a "quoted" title,\nwith a newline\r\nand a tab\tand a bell\x07'
HOSTILE_AUTHOR = '@"><script>alert(2)</script>'
HOSTILE_INSTITUTION = '+Univ. "X"; <Lab>, \'Dept\''
HOSTILE_SOURCE = "weird dir/fi;le, #1.txt"
HOSTILE_TOPIC = "-topic with, comma; semicolon | pipe"
HOSTILE_TASK = '=SUM(A1) "task", <b>\nline two'
HOSTILE_ALIAS = "-alias, with; semicolon"


def hostile_corpus():
    entry = Entry(
        source=Source(HOSTILE_SOURCE, 3), format="digest", number=1, tag="LG", title=HOSTILE_TITLE,
        authors=(HOSTILE_AUTHOR, "R P. Adams"), institutions=(HOSTILE_INSTITUTION,),
        abstract="An abstract with \"quotes\", commas; and semicolons.", urls=("https://arxiv.org/abs/2101.00001",),
        arxiv_id="2101.00001",
    )
    extraction = Extraction(topics=((HOSTILE_TOPIC, 1.0), ("x/y#z?", 0.5)),
                            methods=(Entity("A<B>", ("Alpha \"Beta\"",), "defined"),), datasets=(Entity("Data set\n2"),),
                            code=("https://github.com/a/b",))
    corpus = resolve([entry], [extraction])
    # the typed entities as given, whatever entity resolution would make of them: these test the exporters
    paper = replace(corpus.papers[0], tasks=(Entity(HOSTILE_TASK, (HOSTILE_ALIAS, "@other"), "title"),),
                    metrics=(Entity("+F1", ("F-score",)),))
    return replace(corpus, papers=(paper,))
