"""changes.html: what changed between two builds, as one static page a browser opens offline.

Rendered from the changes document (kg.diff.compute) with a jinja2 template, autoescaped: every
name, title and URL from the corpus is text, never markup. The page has no script, and its
Content-Security-Policy allows its one inline style (by hash) and nothing else: no request at all.
Links go to arXiv and code pages (plain links; the browser follows them only when clicked) and to
the build's maps, by relative paths. The same changes and links give byte-identical HTML.
"""

from __future__ import annotations

from importlib import resources
from urllib.parse import quote

from ..util.htmlpage import csp_hash, templates
from .compute import ENTITY_KINDS

__all__ = ["MAP_PAGES", "PAPERS_SHOWN", "ITEMS_SHOWN", "render_changes_html"]

# the maps of a build folder (kg.viz.PAGE_FILES, with their titles; not imported: kg diff needs
# none of kg.viz) in the order the page links them
MAP_PAGES = {
    "collaboration": ("collaboration.html", "Co-authorship network"),
    "institutions": ("institutions.html", "Institution collaboration"),
    "topics": ("topics.html", "Topic co-occurrence map"),
}
PAPERS_SHOWN = 1000  # new or removed papers listed on the page; changes.json lists all
ITEMS_SHOWN = 200  # entries of every other list


def _css() -> str:
    text = resources.files("kg.diff").joinpath("templates", "changes.css").read_text(encoding="utf-8")
    if "</" in text:
        raise RuntimeError("kg/diff/templates/changes.css cannot be inlined in a <style> element")
    return text


def _web_link(url) -> str | None:
    """`url` when it is an http(s) address, else None: nothing else becomes a link."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


def _paper(entry: dict) -> dict:
    arxiv = entry.get("arxiv_id")
    return {
        **entry,
        "shown_title": entry.get("title") or entry.get("id"),
        "arxiv_url": f"https://arxiv.org/abs/{quote(arxiv, safe='./')}" if arxiv else None,
        "code": [url for url in map(_web_link, entry.get("code") or ()) if url],
        "topics": (entry.get("topics") or [])[:5],
        # what the line under the byline says: category, date (or year), institutions
        "facts": [str(fact) for fact in (entry.get("category"), entry.get("date") or entry.get("year"),
                                         "; ".join(str(i) for i in entry.get("institutions") or ())) if fact],
    }


def _first_source(entry: dict) -> tuple:
    sources = entry.get("sources") or [{}]
    return (str(sources[0].get("file") or ""), sources[0].get("line") or 0, entry.get("id") or "")


def _by_source(entries: list[dict]) -> list[tuple[str, list[dict]]]:
    """The papers grouped by the file of their first source, in file order, each in line order
    (the order a reader of the digests met them)."""
    groups: dict[str, list[dict]] = {}
    for entry in sorted(entries, key=_first_source)[:PAPERS_SHOWN]:
        groups.setdefault(_first_source(entry)[0], []).append(_paper(entry))
    return list(groups.items())


def _most(items: list[dict], name: str) -> list[dict]:
    """Most papers first, then by name; at most ITEMS_SHOWN."""
    return sorted(items, key=lambda i: (-i["papers"], str(i[name])))[:ITEMS_SHOWN]


def _most_grown(items: list[dict], name: str) -> list[dict]:
    """Grown most first, then by name; at most ITEMS_SHOWN."""
    return sorted(items, key=lambda i: (i["before"] - i["papers"], str(i[name])))[:ITEMS_SHOWN]


def _collaborations(items: list[dict]) -> list[dict]:
    return sorted(items, key=lambda i: (-i["papers"], [str(n) for n in i["names"]]))[:ITEMS_SHOWN]


def render_changes_html(changes: dict, maps: dict[str, str] | None = None) -> str:
    """The HTML of changes.html. `maps`: view ("collaboration", "institutions", "topics") -> the
    relative link to that map of the new build; views left out get no link."""
    from markupsafe import Markup

    maps = maps or {}
    css = _css()
    csp = "; ".join(["default-src 'none'", f"style-src {csp_hash(css)}", "base-uri 'none'", "form-action 'none'"])
    c = changes
    sections = {
        "authors_added": _most(c["authors"]["added"], "name"),
        "authors_grown": _most_grown(c["authors"]["grown"], "name"),
        "authors_removed": _most(c["authors"]["removed"], "name"),
        "topics_added": _most(c["topics"]["added"], "label"),
        "topics_grown": _most_grown(c["topics"]["grown"], "label"),
        "topics_removed": _most(c["topics"]["removed"], "label"),
        "institutions_added": _most(c["institutions"]["added"], "name"),
        "institutions_grown": _most_grown(c["institutions"]["grown"], "name"),
        "institutions_removed": _most(c["institutions"]["removed"], "name"),
        "collaborations_added": _collaborations(c["collaborations"]["added"]),
        "collaborations_grown": _collaborations(c["collaborations"]["grown"]),
        "collaborations_removed": _collaborations(c["collaborations"]["removed"]),
        "entities": [(kind, _most(c[kind]["added"], "name"), _most(c[kind]["removed"], "name"))
                     for kind in ENTITY_KINDS],
    }
    template = templates("kg.diff", trim=True).get_template("changes.html.j2")
    return template.render(
        c=c,
        s=sections,
        papers_added=_by_source(c["papers"]["added"]),
        papers_removed=[_paper(e) for e in sorted(c["papers"]["removed"], key=_first_source)[:PAPERS_SHOWN]],
        maps=[(maps[view], title) for view, (_, title) in MAP_PAGES.items() if maps.get(view)],
        map_link={view: maps.get(view) for view in MAP_PAGES},
        papers_shown=PAPERS_SHOWN,
        items_shown=ITEMS_SHOWN,
        csp=csp,
        css=Markup(css),
    )
