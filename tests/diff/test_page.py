"""changes.html: offline (no script, nothing fetched), every corpus text inert, links to arXiv, code and
the maps; byte-identical for the same changes."""

from __future__ import annotations

import base64
import hashlib
import re
from dataclasses import replace
from html.parser import HTMLParser

from markupsafe import escape

from kg.diff import compute_changes, render_changes_html, write_changes
from kg.model import Authorship

from ..fixtures.corpus import HOSTILE_NAME, HOSTILE_TITLE
from .builds import FSS, KN, NOTE, ODD, PAPERS, folder, papers

SCRIPT_NAME = "<script>alert(1)</script>"


class _Page(HTMLParser):
    """The tags, attributes and text of a page."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def _changes(tmp_path):
    """ODD and a paper by `<script>alert(1)</script>` are new; FSS is gone."""
    scripted = replace(next(p for p in PAPERS if p.id == KN), id="arxiv:2301.00005", arxiv_id="2301.00005",
                       title=SCRIPT_NAME, authorships=(Authorship(0, SCRIPT_NAME, "author:script"),),
                       code=("javascript:alert(1)", "https://github.com/example/x"))
    return compute_changes(folder(tmp_path / "old", papers(KN, FSS, NOTE)),
                           folder(tmp_path / "new", papers(KN, NOTE, ODD, changed=[scripted])))


def test_hostile_text_is_inert_and_shown_as_text(tmp_path):
    html = render_changes_html(_changes(tmp_path))
    page = _Page(html)
    assert not any(tag == "script" for tag, _ in page.tags)
    assert "<script" not in html.lower() and "<b " not in html  # every < from the corpus is &lt;
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    text = "".join(page.text)
    for shown in (SCRIPT_NAME, HOSTILE_TITLE, HOSTILE_NAME):
        assert shown in text
    assert not any(name.startswith("on") for _, attrs in page.tags for name in attrs)
    # a name's right-to-left override stays inside its own element (no reordering of what follows)
    assert f"<bdi>{escape(HOSTILE_NAME)}</bdi>" in html
    # only http(s) links: javascript: code links are dropped
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert all(h.startswith("https://") for h in hrefs)
    assert "https://arxiv.org/abs/2301.00005" in hrefs and "https://github.com/example/x" in hrefs


def test_the_page_fetches_nothing_and_allows_only_its_own_style(tmp_path):
    html = render_changes_html(_changes(tmp_path))
    page = _Page(html)
    csp = next(attrs["content"] for tag, attrs in page.tags
               if tag == "meta" and attrs.get("http-equiv") == "Content-Security-Policy")
    style = re.search(r"<style>(.*?)</style>", html, re.DOTALL).group(1)
    digest = base64.b64encode(hashlib.sha256(style.encode("utf-8")).digest()).decode("ascii")
    assert csp == f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    assert not any(tag in ("img", "link", "iframe", "object", "embed", "form") for tag, _ in page.tags)
    assert not any("src" in attrs for _, attrs in page.tags)


def test_sections_say_what_is_new_and_link_the_maps(tmp_path):
    changes = _changes(tmp_path)
    html = render_changes_html(changes, {"collaboration": "collaboration.html", "topics": "../b/topics.html"})
    page = _Page(html)
    hrefs = [attrs["href"] for tag, attrs in page.tags if tag == "a"]
    assert {"collaboration.html", "../b/topics.html"} <= set(hrefs) and "institutions.html" not in hrefs
    ids = [attrs["id"] for tag, attrs in page.tags if tag == "section"]
    assert ids == ["papers-added", "topics", "authors", "collaborations", "institutions", "entities", "sources", "removed"]
    text = " ".join("".join(page.text).split())
    assert "New papers (2)" in text and "New authors (3)" in text and "Removed" in text
    assert "<title>What changed — kg</title>" in html
    assert render_changes_html(changes, {"collaboration": "collaboration.html", "topics": "../b/topics.html"}) == html


def test_nothing_changed_says_so(tmp_path):
    one = folder(tmp_path / "one", papers(KN, FSS))
    html = render_changes_html(compute_changes(one, one))
    assert "Nothing changed since the previous build." in html
    assert "<section" not in html


def test_write_changes_writes_both_files(tmp_path):
    changes = _changes(tmp_path)
    written = write_changes(changes, tmp_path / "out")
    assert written == [str(tmp_path / "out" / "changes.json"), str(tmp_path / "out" / "changes.html")]
    assert (tmp_path / "out" / "changes.html").read_text(encoding="utf-8") == render_changes_html(changes)


def test_the_linked_maps_are_those_kg_viz_writes():
    from kg.diff.page import MAP_PAGES
    from kg.viz.page import COLLABORATION, INSTITUTIONS, PAGE_FILES, TOPICS

    assert {view: file for view, (file, _) in MAP_PAGES.items()} == PAGE_FILES
    assert [title for _, title in MAP_PAGES.values()] == [COLLABORATION.title, INSTITUTIONS.title, TOPICS.title]
