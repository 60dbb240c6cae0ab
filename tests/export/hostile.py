"""A one-paper corpus full of values that break naive CSV, XML and Cypher writers (no spaCy needed)."""

from kg.model import Entry, Extraction, Method, Source
from kg.resolve import resolve

HOSTILE_TITLE = '=HYPERLINK("http://evil.example/?q=1", "click") ; a "quoted" title,\nwith a newline\r\nand a tab\tand a bell\x07'
HOSTILE_AUTHOR = '@"><script>alert(2)</script>'
HOSTILE_INSTITUTION = '+Univ. "X"; <Lab>, \'Dept\''
HOSTILE_SOURCE = "weird dir/fi;le, #1.txt"
HOSTILE_TOPIC = "-topic with, comma; semicolon | pipe"


def hostile_corpus():
    entry = Entry(
        source=Source(HOSTILE_SOURCE, 3), format="digest", number=1, tag="LG", title=HOSTILE_TITLE,
        authors=(HOSTILE_AUTHOR, "R P. Adams"), institutions=(HOSTILE_INSTITUTION,),
        abstract="An abstract with \"quotes\", commas; and semicolons.", urls=("https://arxiv.org/abs/2101.00001",),
        arxiv_id="2101.00001",
    )
    extraction = Extraction(topics=((HOSTILE_TOPIC, 1.0), ("x/y#z?", 0.5)),
                            methods=(Method("A<B>", "Alpha \"Beta\""),), datasets=("Data set\n2",),
                            code=("https://github.com/a/b",))
    return resolve([entry], [extraction])
