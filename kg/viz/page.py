"""Self-contained interactive HTML maps of a resolved corpus.

One page per view: ``collaboration`` (authors by co-authorship), ``institutions`` (institutions by
shared papers), ``topics`` (topics and typed entities by co-occurrence, VOSviewer style). A page is
one HTML file with no external script, style, font or image: sigma.js and graphology (WebGL
rendering, vendored in ``kg/viz/static``) and the page's own script are inlined, and everything
taken from the corpus — names, titles, URLs — travels as JSON in a
``<script type="application/json">`` block whose ``<``, ``>`` and ``&`` are escaped as
``\\u003c``…, so no text can close the block or become markup. The script reads it with
``JSON.parse`` and puts text into the page with ``textContent`` or draws it on a canvas. A
Content-Security-Policy allows the three inline scripts (by hash) and no request at all.

Positions and clusters are computed here (see `kg.viz.layout`), so the page draws a finished map at
once; the browser places labels (biggest first, never overlapping, never cut by the map's edge).
Unlinked nodes, pairs and, beside a giant component, small groups (`kg.viz.layout.detached`) lie in
a block at the side and are hidden until the reader asks for them. The same corpus and options give byte-identical
HTML.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import networkx as nx

from .. import registry
from ..model import Corpus
from ..resolve.categories import CATEGORY_LABELS
from ..util.gcpause import paused_gc
from ..util.htmlpage import csp_hash, templates
from .graphs import (
    TOPIC_MAX_NODES,
    TopLinks,
    _threshold,
    _topic_graph,
    _topic_parts,
    collaboration_graph,
    institution_graph,
    select_top,
    topic_map_graph,
)
from .layout import clusters, detached, footprints, label_sizes, layout
from .layout_cache import LAYOUTS_FILE, LayoutCache

__all__ = [
    "VIEWS",
    "MapView",
    "PAGE_FILES",
    "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_EDGES",
    "PHYSICS_LIMIT",
    "default_max_nodes",
    "view_graph",
    "page_data",
    "render_page",
    "write_page",
    "write_pages",
]

VIEWS = ("collaboration", "institutions", "topics")
PAGE_FILES = {view: f"{view}.html" for view in VIEWS}
DEFAULT_MAX_NODES = 5000  # a page of the dev corpus opens in about a second (bench/viz_speed.py)
DEFAULT_MAX_EDGES = 20000  # canvas draws every edge each frame: the heaviest are kept
PHYSICS_LIMIT = 300  # maps up to this size get a second layout pass making room for every label (pyvis: live physics)
CLUSTER_COLOURS = (  # VOSviewer-like, distinguishable; clusters past these are grey
    "#d62728", "#2ca02c", "#1f77b4", "#e6b400", "#9467bd", "#17becf",
    "#ff7f0e", "#8c564b", "#e377c2", "#7f7f00", "#393b79", "#637939",
    "#aec7e8", "#ffbb78", "#98df8a", "#ff9896", "#c5b0d5", "#c49c94", "#f7b6d2", "#dbdb8d", "#9edae5",
    "#843c39",
)
OTHER_COLOUR = "#a0a0a0"
# node kinds of a map: (type, plural noun, colour in the "kind" overlay, ring colour in the network view)
KIND_STYLES = {
    "Topic": ("topics", "#a9a9a9", ""),
    "Task": ("tasks", "#d62728", "#111111"),
    "Method": ("methods", "#1f77b4", "#ffffff"),
    "Dataset": ("datasets", "#2ca02c", "#6a3d9a"),
    "Metric": ("metrics", "#e6b400", "#8c564b"),
}


@dataclass(frozen=True)
class MapView:
    """What a map view's page says about it (kg.registry's "view" kind)."""

    title: str
    node_type: str
    nouns: tuple[str, str]  # (one node, many nodes)
    edge_nouns: tuple[str, str]
    weight_meaning: str
    weight_nouns: tuple[str, str]  # after a number: "1 paper together", "3 papers together"
    size_meaning: str
    search_placeholder: str


COLLABORATION = MapView("Co-authorship network", "Author", ("author", "authors"),
                        ("co-authorship link", "co-authorship links"), "papers written together",
                        ("paper together", "papers together"), "papers", "Find an author…")
INSTITUTIONS = MapView("Institution collaboration", "Institution", ("institution", "institutions"),
                       ("link", "links"), "shared papers",
                       ("shared paper", "shared papers"), "papers", "Find an institution…")
TOPICS = MapView("Topic co-occurrence map", "Topic", ("term", "terms"),
                 ("co-occurrence link", "co-occurrence links"), "papers in which both occur",
                 ("paper with both", "papers with both"), "occurrences (papers)", "Find a topic, task, method…")


def _check_view(view: str) -> MapView:
    """The view's spec, through kg.registry (which names these three); ValueError for another name."""
    if view not in VIEWS:
        raise ValueError(f"unknown view {view!r}; expected one of {', '.join(VIEWS)}")
    return registry.get("view", view)


def view_graph(view: str, corpus: Corpus, min_occurrences: int | None = None,
               max_nodes: int = DEFAULT_MAX_NODES) -> tuple[nx.Graph, nx.Graph]:
    """(the whole graph of a view, the same with the topic occurrence threshold applied).

    For ``collaboration`` and ``institutions`` both are the same graph. For ``topics``,
    `min_occurrences` None picks the smallest threshold leaving at most `max_nodes` topics
    (`kg.viz.graphs.topic_threshold`).
    """
    _check_view(view)
    if view != "topics":
        g = collaboration_graph(corpus) if view == "collaboration" else institution_graph(corpus)
        return g, g
    parts = _topic_parts(corpus)
    full = _topic_graph(parts, 1)
    k = min_occurrences if min_occurrences is not None else _threshold(parts.node_papers, max_nodes)
    kept = _topic_graph(parts, k) if k > 1 else full
    kept.graph["min_occurrences"] = k
    return full, kept


def _shown_graph(view: str, corpus: Corpus, min_occurrences: int | None, max_nodes: int, max_edges: int,
                 min_weight: int) -> tuple[int, int, int, dict, nx.Graph, int]:
    """(nodes, edges of the whole graph of a view, nodes and attributes of the graph a page draws
    from, what the page shows of it (`select_top`), the edges of weight `min_weight` or more
    between the nodes shown). For ``topics`` the graph drawn from is the terms (topics and typed
    entities) over the occurrence threshold, then the most relevant of them (VOSviewer's selection,
    `kg.viz.graphs.topic_map_graph`); for the others the whole graph, which is not made
    (`kg.viz.graphs.TopLinks`)."""
    if view != "topics":
        top = TopLinks(view, corpus, max_nodes, max_edges, min_weight)
        return top.nodes, top.edges, top.nodes, {}, top.shown, top.candidate_edges
    total_nodes, total_edges, g = topic_map_graph(corpus, max_nodes=max_nodes, min_occurrences=min_occurrences)
    shown = select_top(g, max_nodes, max_edges, min_weight)
    adj = g._adj  # not the view: hundreds of nodes
    candidate_edges = sum(1 for u in shown for v, d in adj[u].items()
                          if v in shown._node and u <= v and d["weight"] >= min_weight)
    return total_nodes, total_edges, g.number_of_nodes(), g.graph, shown, candidate_edges


def default_max_nodes(view: str) -> int:
    """The page size of a view when none is asked for: a topic map is read term by term, so it keeps
    the `TOPIC_MAX_NODES` most relevant terms (VOSviewer's default maps hold a few hundred); the
    other maps hold up to `DEFAULT_MAX_NODES`."""
    return TOPIC_MAX_NODES if view == "topics" else DEFAULT_MAX_NODES


def _paper_row(paper, categories: dict[str, int]) -> list:
    title = paper.title or (paper.abstracts[0][1][:80] + "…" if paper.abstracts else paper.id)
    arxiv = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else ""
    code = [u for u in paper.code if u.startswith(("https://", "http://"))]
    # the year the paper was first seen (its date), else the year its source printed
    year = int(paper.date[:4]) if getattr(paper, "date", None) else (paper.year or 0)
    return [title, arxiv, categories.get(paper.category, -1) if paper.category else -1, year, code]


def page_data(view: str, corpus: Corpus, *, max_nodes: int | None = None,
              max_edges: int = DEFAULT_MAX_EDGES, min_weight: int = 1,
              min_occurrences: int | None = None, cache: LayoutCache | None = None) -> dict:
    """Everything a page shows, as plain JSON-ready data (nodes with positions and clusters, edges,
    the papers they refer to, categories, years, totals). `cache`: component layouts to take
    instead of computing them again, and to record those computed (`kg.viz.layout_cache`)."""
    spec = _check_view(view)
    if max_nodes is None:
        max_nodes = default_max_nodes(view)
    with paused_gc():  # a third of the pages' time went to full collections on the dev corpus
        return _page_data(spec, view, corpus, max_nodes, max_edges, min_weight, min_occurrences, cache)


def _page_data(spec: MapView, view: str, corpus: Corpus, max_nodes: int, max_edges: int, min_weight: int,
               min_occurrences: int | None, cache: LayoutCache | None) -> dict:
    total_nodes, total_edges, drawn_from, attrs, shown, candidate_edges = _shown_graph(
        view, corpus, min_occurrences, max_nodes, max_edges, min_weight)
    weight = "strength" if view == "topics" else "weight"
    groups = clusters(shown, weight=weight)
    # a first layout gives the map's extent, hence the label sizes; the second makes room for the labels.
    # Not on big pages: there most labels are hidden until zoomed in, and pushing thousands of label
    # boxes apart squeezed the collaboration map of the dev corpus into vertical slivers with no
    # label readable (screenshots compared; bench/viz_speed.py)
    big = shown.number_of_nodes() > PHYSICS_LIMIT
    first = layout(shown, weight=weight, groups=groups, cache=cache)
    fonts = label_sizes(first, big)
    pos = first if big else layout(shown, weight=weight, groups=groups, boxes=footprints(shown, first, fonts),
                                   cache=cache)

    # papers referred to by the shown nodes, in id order
    by_id = {p.id: p for p in corpus.papers}
    paper_ids = sorted({pid for n in shown for pid in shown.nodes[n]["papers"]})
    cats = sorted({by_id[pid].category for pid in paper_ids if by_id[pid].category})
    cat_index = {c: i for i, c in enumerate(cats)}
    paper_index = {pid: i for i, pid in enumerate(paper_ids)}
    papers = [_paper_row(by_id[pid], cat_index) for pid in paper_ids]
    cat_counts = [0] * len(cats)
    for row in papers:
        if row[2] >= 0:
            cat_counts[row[2]] += 1

    nodes = list(shown.nodes)
    node_index = {n: i for i, n in enumerate(nodes)}
    sizes: dict[int, list] = {}
    for n in nodes:
        sizes.setdefault(groups[n], []).append(n)
    cluster_info = []
    for c in sorted(sizes):
        members = sizes[c]
        if c >= len(CLUSTER_COLOURS) or len(members) < 2:
            break
        top = sorted(members, key=lambda n: (-shown.nodes[n]["paper_count"], shown.nodes[n]["label"], n))[:3]
        cluster_info.append({"colour": CLUSTER_COLOURS[c], "size": len(members),
                             "top": [shown.nodes[n]["label"] for n in top]})
    types = sorted({shown.nodes[n].get("type", spec.node_type) for n in nodes} | {spec.node_type},
                   key=lambda t: (t != spec.node_type, list(KIND_STYLES).index(t) if t in KIND_STYLES else 99, t))
    kinds = [[t, *KIND_STYLES.get(t, (t.lower() + "s", OTHER_COLOUR, ""))] for t in types]
    if len(kinds) == 1:
        kinds[0][3] = ""  # one kind: no ring needed
    kind_index = {t: i for i, t in enumerate(types)}
    apart = detached(shown)  # at the side of the map, hidden until asked for
    node_rows = [[n, shown.nodes[n]["label"], pos[n][0], pos[n][1], shown.nodes[n]["paper_count"], groups[n],
                  [paper_index[p] for p in shown.nodes[n]["papers"]],
                  kind_index[shown.nodes[n].get("type", spec.node_type)], 1 if n in apart else 0] for n in nodes]
    edge_rows = []
    for u, v, d in shown.edges(data=True):
        a, b = sorted((node_index[u], node_index[v]))
        row = [a, b, d["weight"], [paper_index[p] for p in d["papers"]]]
        if "strength" in d:
            row.append(round(d["strength"], 3))
        edge_rows.append(row)
    edge_rows.sort(key=lambda r: (r[0], r[1]))

    notes = []
    if view == "topics" and attrs.get("min_occurrences", 1) > 1:
        notes.append(f"{attrs['candidates']:,} of {total_nodes:,} terms occur at least "
                     f"{attrs['min_occurrences']} times")
    if view == "topics" and drawn_from < attrs.get("candidates", 0):
        notes.append(f"the {drawn_from:,} most relevant of them (VOSviewer's relevance: terms linked "
                     f"evenly to every part of the map are left out)")
    if shown.number_of_nodes() < drawn_from:
        notes.append(f"the page holds the top {shown.number_of_nodes():,} of {drawn_from:,} "
                     f"{spec.nouns[1]} by number of links")
    if shown.number_of_edges() < candidate_edges:
        notes.append(f"the {shown.number_of_edges():,} heaviest of their {candidate_edges:,} {spec.edge_nouns[1]}")
    if min_weight > 1:
        notes.append(f"links of weight below {min_weight} left out")
    return {
        "view": view,
        "title": spec.title,
        "nodeType": spec.node_type,
        "nouns": list(spec.nouns),
        "edgeNouns": list(spec.edge_nouns),
        "weightMeaning": spec.weight_meaning,
        "weightNouns": list(spec.weight_nouns),
        "sizeMeaning": spec.size_meaning,
        "total": {"nodes": total_nodes, "edges": total_edges},
        "minWeight": min_weight,
        "kinds": kinds,
        "clusters": cluster_info,
        "clusterCount": len(sizes),
        "otherColour": OTHER_COLOUR,
        "categories": [[c, CATEGORY_LABELS.get(c, c), cat_counts[i]] for i, c in enumerate(cats)],
        "years": sorted({row[3] for row in papers if row[3]}),
        "papers": papers,
        "nodes": node_rows,
        "edges": edge_rows,
        "notes": notes,
    }


def _json_for_script(data) -> str:
    """JSON that is inert inside <script>: no '<', '>' or '&' at all, so neither '</script' nor
    '<!--' can appear whatever the strings hold (JSON.parse reads the \\u escapes back)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@lru_cache(maxsize=None)
def _static(name: str) -> str:
    text = resources.files("kg.viz").joinpath("static", name).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "<!--" in lowered:
        raise RuntimeError(f"kg/viz/static/{name} cannot be inlined in a <script> element")
    return text


def render_page(view: str, corpus: Corpus, **options) -> str:
    """The HTML of one page (see `write_page` for the options)."""
    from markupsafe import Markup

    data = page_data(view, corpus, **options)
    graphology_js = _static("graphology.umd.min.js")
    sigma_js = _static("sigma.min.js")
    app_js = _static("map.js")
    csp = "; ".join([
        "default-src 'none'",
        f"script-src {csp_hash(graphology_js)} {csp_hash(sigma_js)} {csp_hash(app_js)}",
        "style-src 'unsafe-inline'",  # sigma and the page's script style their own elements
        "img-src data: blob:",
        "base-uri 'none'",
        "form-action 'none'",
    ])
    template = templates("kg.viz").get_template("page.html.j2")
    return template.render(
        view=view,
        title=data["title"],
        views=[(v, PAGE_FILES[v], _check_view(v).title) for v in VIEWS],
        search_placeholder=_check_view(view).search_placeholder,
        nouns=data["nouns"],
        notes=data["notes"],
        csp=csp,
        css=Markup(_static("map.css")),
        data=Markup(_json_for_script(data)),
        graphology_js=Markup(graphology_js),
        sigma_js=Markup(sigma_js),
        app_js=Markup(app_js),
    )


def write_page(view: str, corpus: Corpus, out_path, *, max_nodes: int | None = None,
               max_edges: int = DEFAULT_MAX_EDGES, min_weight: int = 1,
               min_occurrences: int | None = None, cache: LayoutCache | None = None) -> str:
    """Write one interactive map and return its path.

    Parameters
    ----------
    view : "collaboration", "institutions" or "topics"
    corpus : the resolved corpus (e.g. ``kg.build.BuildDir("exports").read_corpus()``)
    out_path : the HTML file to write (atomically; folders are created)
    max_nodes : the page keeps the nodes of highest degree up to this many ("showing N of M");
        None: `default_max_nodes` (600 terms for ``topics``, 5,000 nodes for the others)
    max_edges : and the heaviest edges among them up to this many
    min_weight : edges of smaller weight (papers together) are left out
    min_occurrences : topics only: minimum papers per topic; None picks the smallest threshold
        that leaves at most `max_nodes` topics
    cache : layouts of components to reuse and to record (`kg.viz.layout_cache.LayoutCache`); the
        page is the same with or without

    Raises
    ------
    ValueError
        For an unknown view or a negative limit.
    """
    from ..util.atomic import atomic_open

    if (max_nodes is not None and max_nodes < 1) or max_edges < 0 or min_weight < 1 or (min_occurrences is not None and min_occurrences < 1):
        raise ValueError("max_nodes, min_weight and min_occurrences must be at least 1, max_edges at least 0")
    html = render_page(view, corpus, max_nodes=max_nodes, max_edges=max_edges, min_weight=min_weight,
                       min_occurrences=min_occurrences, cache=cache)
    with atomic_open(out_path) as handle:
        handle.write(html)
    return str(out_path)


def write_pages(corpus: Corpus, out_dir, *, state=None, previous_state=None, **options) -> list[str]:
    """Write every view as ``<out_dir>/<view>.html`` (collaboration, institutions, topics); returns
    the paths. `options` are those of `write_page`.

    With a `state` folder (a build's ``.kg/fragments``), the layouts of the maps' components are
    also written there (`LAYOUTS_FILE`, kg.viz.layout_cache), not among the returned paths; those
    of `previous_state` (the previous build's), when it holds any made by this code, are taken
    where a component's inputs are unchanged. The pages are the same bytes either way."""
    out = Path(out_dir)
    if state is None:
        return [write_page(view, corpus, out / PAGE_FILES[view], **options) for view in VIEWS]
    cache = LayoutCache.read(Path(previous_state) / LAYOUTS_FILE if previous_state is not None else None)
    written = [write_page(view, corpus, out / PAGE_FILES[view], cache=cache, **options) for view in VIEWS]
    cache.write(Path(state) / LAYOUTS_FILE)
    return written

