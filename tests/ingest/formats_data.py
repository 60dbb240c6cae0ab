"""Paths of the format fixtures under tests/data/formats (small files written for these tests)."""

from pathlib import Path

FORMATS = Path(__file__).resolve().parent.parent / "data" / "formats"
ARXIV = FORMATS / "arxiv_metadata.jsonl"
BIBTEX = FORMATS / "references.bib"
ONELINE = FORMATS / "oneline_posts.txt"
READINGLIST = FORMATS / "reading_list.md"
BLOG_EN_ZH = FORMATS / "2021-04-18-Knowledge-Neurons-in-Pretrained-Transformers.md"
BLOG_ZH = FORMATS / "2022-04-07-Pin-the-Memory.md"
POST_GLUED = FORMATS / "paperpost_glued.txt"
POST_THREAD = FORMATS / "paperpost_thread.txt"

# fixture → the reader that must claim it
EXPECTED_FORMAT = {
    ARXIV: "arxiv",
    BIBTEX: "bibtex",
    ONELINE: "oneline",
    READINGLIST: "readinglist",
    BLOG_EN_ZH: "frontmatter",
    BLOG_ZH: "frontmatter",
    POST_GLUED: "paperpost",
    POST_THREAD: "paperpost",
}
