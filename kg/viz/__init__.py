"""Interactive HTML maps of a resolved corpus: co-authorship, institution collaboration and topic
co-occurrence, one self-contained page each (no network access needed to open them); and the same
maps as pyvis networks for notebooks (`to_pyvis`).

>>> from kg.viz import write_pages                     # doctest: +SKIP
>>> write_pages(corpus, "exports")                     # doctest: +SKIP
['exports/collaboration.html', 'exports/institutions.html', 'exports/topics.html']
"""

# imported eagerly, unlike the other packages: `layout` is both a module here and the function
# re-exported from it, and only an import in this file binds the name to the function for good
# (every user of kg.viz needs networkx anyway, and pyvis is imported by to_pyvis when called)
from .graphs import (
    TOPIC_MAX_NODES,
    association_strength,
    collaboration_graph,
    institution_graph,
    relevance,
    select_relevant,
    select_top,
    topic_graph,
    topic_map_graph,
    topic_threshold,
)
from .layout import DETACHED_MAX, clusters, detached, layout
from .notebook import to_pyvis
from .page import (
    DEFAULT_MAX_EDGES,
    DEFAULT_MAX_NODES,
    PAGE_FILES,
    PHYSICS_LIMIT,
    VIEWS,
    MapView,
    default_max_nodes,
    page_data,
    render_page,
    view_graph,
    write_page,
    write_pages,
)

__all__ = [
    "VIEWS",
    "PAGE_FILES",
    "DEFAULT_MAX_NODES",
    "DEFAULT_MAX_EDGES",
    "PHYSICS_LIMIT",
    "TOPIC_MAX_NODES",
    "DETACHED_MAX",
    "MapView",
    "default_max_nodes",
    "write_page",
    "write_pages",
    "render_page",
    "page_data",
    "view_graph",
    "to_pyvis",
    "collaboration_graph",
    "institution_graph",
    "topic_graph",
    "association_strength",
    "topic_threshold",
    "topic_map_graph",
    "relevance",
    "select_relevant",
    "select_top",
    "clusters",
    "detached",
    "layout",
]
