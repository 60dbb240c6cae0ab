"""The maps as pyvis networks, for notebooks: a page's nodes (precomputed positions, cluster colours,
sizes by papers) and edges, drawn by pyvis (``net.show("map.html")``, or inline in Jupyter) instead
of kg's own page.

pyvis renders its page with autoescaping off, and shows a node's title as HTML once any title holds
a link (its popup sets innerHTML), so every text taken from the corpus is HTML-escaped into the
titles here; labels are drawn on the canvas, as text, and are left as they are.
"""

from __future__ import annotations

import html
import math
from pathlib import Path
from typing import TYPE_CHECKING

from ..model import Corpus
from .page import page_data

if TYPE_CHECKING:
    from pyvis.network import Network

__all__ = ["to_pyvis"]

# as kg's page draws them (kg/viz/static/map.js): node sizes 5–36 by the square root of the paper
# count, edge widths 1–8 by weight
NODE_SIZES = (5, 36)
KIND_SHAPES = {"Task": "diamond", "Method": "square", "Dataset": "triangle", "Metric": "star"}
EDGE_WIDTHS = (1, 8)
PAPERS_LISTED = 5  # paper titles in a node's tooltip


def to_pyvis(source, view: str = "collaboration", *, notebook: bool = False, **options) -> Network:
    """A pyvis Network of one map, laid out as kg's page lays it out, physics off.

    Parameters
    ----------
    source : the folder of a finished build (a path or a kg.build.BuildDir), a Corpus, or the
        page data of a view (`kg.viz.page_data`; `view` and `options` are then not used)
    view : "collaboration", "institutions" or "topics"
    notebook : for Jupyter (pyvis's ``notebook``); the page inlines vis-network either way, so
        it opens with no network access
    options : those of `kg.viz.page_data` (max_nodes, max_edges, min_weight, min_occurrences)

    Returns
    -------
    pyvis.network.Network
        Nodes with our ids, labels, x/y positions, sizes and cluster colours; edges with widths and
        the colour of their larger end; HTML titles (tooltips) with every corpus text escaped.

    Examples
    --------
    >>> net = to_pyvis("exports", "topics", min_occurrences=3)   # doctest: +SKIP
    >>> net.show("topics.html", notebook=False)                    # doctest: +SKIP
    """
    from pyvis.network import Network

    data = _page_data(source, view, options)
    net = Network(height="750px", width="100%", notebook=notebook, cdn_resources="in_line")
    net.toggle_physics(False)
    nodes, edges, papers = data["nodes"], data["edges"], data["papers"]
    colours = [_colour(data, row[5]) for row in nodes]
    degree = [0] * len(nodes)
    for a, b, *_ in edges:
        degree[a] += 1
        degree[b] += 1
    counts = [row[4] for row in nodes]
    kinds = data.get("kinds", [])
    for i, row in enumerate(nodes):
        node_id, label, x, y, count = row[:5]
        # the topic map's kinds as shapes (the page draws rings): topics dots, tasks diamonds, methods
        # squares, datasets triangles, metrics stars
        kind = kinds[row[7]][0] if len(row) > 7 and row[7] < len(kinds) else ""
        net.add_node(node_id, label=label, x=x, y=y, color=colours[i], title=_node_title(data, row, degree[i], papers),
                     size=round(_scaled(count, min(counts), max(counts), NODE_SIZES), 2),
                     shape=KIND_SHAPES.get(kind, "dot"))
    weights = [row[2] for row in edges]
    for a, b, weight, _papers, *strength in edges:
        end = a if nodes[a][4] >= nodes[b][4] else b  # the page colours an edge as its end with more papers
        net.add_edge(nodes[a][0], nodes[b][0], color=colours[end], title=_edge_title(data, nodes[a], nodes[b], weight, strength),
                     width=round(_scaled(weight, min(weights), max(weights), EDGE_WIDTHS, sqrt=False), 2))
    return net


def _page_data(source, view: str, options: dict) -> dict:
    if isinstance(source, dict):
        return source
    if not isinstance(source, Corpus):
        from ..build import BuildDir

        folder = source if isinstance(source, BuildDir) else BuildDir(Path(source))
        source = folder.read_corpus()
    return page_data(view, source, **options)


def _colour(data: dict, cluster: int) -> str:
    """A cluster's colour as the page shows it: the listed clusters have theirs, the rest are grey."""
    return data["clusters"][cluster]["colour"] if cluster < len(data["clusters"]) else data["otherColour"]


def _scaled(value: float, low: float, high: float, sizes: tuple[int, int], sqrt: bool = True) -> float:
    """vis-network's scaling as the page sets it up: the middle size when every value is the same."""
    if high == low:
        scale = 0.5
    else:
        scale = (value - low) / (high - low)
        scale = math.sqrt(scale) if sqrt else scale
    return sizes[0] + (sizes[1] - sizes[0]) * scale


def _plural(n: int, nouns) -> str:
    return f"{n:,} {nouns[0] if n == 1 else nouns[1]}"


def _node_title(data: dict, row: list, degree: int, papers: list) -> str:
    """The tooltip: the name, papers and links, the first papers' titles (linked to arXiv); HTML,
    every text from the corpus escaped."""
    lines = [f"<b>{html.escape(row[1])}</b>",
             f"{_plural(row[4], ('paper', 'papers'))} · {_plural(degree, data['edgeNouns'])}"]
    for index in row[6][:PAPERS_LISTED]:
        title, arxiv = papers[index][0], papers[index][1]
        text = html.escape(title)
        link = f'<a href="{html.escape(arxiv)}" target="_blank" rel="noopener">{text}</a>' if arxiv else text
        lines.append(f"• {link}")
    if len(row[6]) > PAPERS_LISTED:
        lines.append(f"… and {len(row[6]) - PAPERS_LISTED:,} more")
    return "<br>".join(lines)


def _edge_title(data: dict, a: list, b: list, weight: int, strength: list) -> str:
    lines = [f"{html.escape(a[1])} — {html.escape(b[1])}", _plural(weight, data["weightNouns"])]
    if strength:
        lines.append(f"association strength {strength[0]:.2f}")
    return "<br>".join(lines)
