"""Resolved corpus → one networkx MultiDiGraph of typed nodes and edges, provenance on each."""

from __future__ import annotations

from collections import Counter, defaultdict
from itertools import combinations

import networkx as nx

from ..extract.hierarchy import broader_topics, root_categories
from ..extract.mentions import repository_of
from ..extract.zh import zh_label
from ..model import Corpus
from ..resolve.categories import CATEGORY_LABELS

__all__ = ["build_graph", "NODE_TYPES", "EDGE_TYPES", "UNDIRECTED_EDGE_TYPES", "node_id", "COOCCURRENCE_TOPICS"]

NODE_TYPES = ("Paper", "Author", "Institution", "Topic", "Method", "Dataset", "Code", "Category")
# relation type → (source node type, target node type); edges are keyed by relation type
EDGE_TYPES = {
    "HAS_AUTHOR": ("Paper", "Author"),
    "HAS_INSTITUTION": ("Paper", "Institution"),
    "AFFILIATED_WITH": ("Author", "Institution"),
    "HAS_TOPIC": ("Paper", "Topic"),
    "USES_METHOD": ("Paper", "Method"),
    "USES_DATASET": ("Paper", "Dataset"),
    "HAS_CODE": ("Paper", "Code"),
    "IN_CATEGORY": ("Paper", "Category"),
    "CO_AUTHOR": ("Author", "Author"),
    "CO_OCCURS": ("Topic", "Topic"),
    "BROADER": ("Topic", "Topic"),  # "semantic segmentation" → "segmentation" (kg.extract.hierarchy)
    "BROADER_CATEGORY": ("Topic", "Category"),  # a root topic → the arXiv category of most of its papers
}
# Symmetric relations: stored once per pair, from the smaller node id to the larger; the direction
# means nothing. Each export marks them undirected where its format can (GEXF, GraphML), and graph.json
# lists them in its graph attributes ("undirected_edge_types").
UNDIRECTED_EDGE_TYPES = ("CO_AUTHOR", "CO_OCCURS")
# Topic co-occurrence links count only each paper's strongest topics: weaker ones add noise and
# grow the edge count quadratically.
COOCCURRENCE_TOPICS = 5


def node_id(kind: str, key: str) -> str:
    """The node id of a topic, method, dataset, code or category entity.

    >>> node_id("Method", "CMT"), node_id("Category", "cs.LG")
    ('method:cmt', 'category:cs.LG')
    """
    if kind == "Category":
        return f"category:{key}"
    if kind == "Code":
        return f"code:{key}"
    return f"{kind.lower()}:{key.lower()}"


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Build the knowledge graph of a resolved corpus.

    Every node has `type`, `label` and `sources` (sorted "file:line" strings); every edge has
    `type` (also its key) and `sources`. HAS_AUTHOR's `position` is the place in the byline counted
    from 1 (the first author is 1), as in every output. Symmetric relations (UNDIRECTED_EDGE_TYPES:
    CO_AUTHOR, CO_OCCURS) are stored once, from the smaller node id to the larger, with `weight` =
    number of papers; the graph attribute `undirected_edge_types` names them.

    Examples
    --------
    >>> from kg.model import Corpus
    >>> g = build_graph(Corpus((), (), ()))
    >>> g.number_of_nodes(), g.graph
    (0, {'undirected_edge_types': ['CO_AUTHOR', 'CO_OCCURS']})
    """
    g = nx.MultiDiGraph(undirected_edge_types=list(UNDIRECTED_EDGE_TYPES))
    # sources and papers are gathered in lists (a set per edge costs three times the memory, and a
    # big corpus has a million edges), made sorted and unique at the end
    node_sources: dict[str, list[str]] = defaultdict(list)
    # edges are collected in plain dicts and handed to networkx once: a has_edge/add_edge pair per
    # mention dominated the build on big corpora
    edge_attrs: dict[tuple[str, str, str], dict] = {}
    edge_sources: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    edge_papers: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    paper_count: dict[str, set[str]] = defaultdict(set)
    names = {a.id: a.name for a in corpus.authors}
    insts = {i.id: i for i in corpus.institutions}
    topic_categories: dict[str, Counter] = defaultdict(Counter)

    # one string object per node id: ids made again for each mention ("topic:" + label) would
    # each be kept as a key in the adjacency dicts, a million copies on a big corpus
    ids: dict[str, str] = {}

    def the(nid: str) -> str:
        return ids.setdefault(nid, nid)

    def add_node(nid: str, kind: str, label: str, srcs, **attrs) -> None:
        nid = the(nid)
        if nid not in g:
            g.add_node(nid, type=kind, label=label, **attrs)
        node_sources[nid].extend(srcs)

    def add_edge(u: str, v: str, rel: str, srcs, paper: str | None = None, **attrs) -> None:
        key = (the(u), the(v), rel)
        if key not in edge_attrs:
            edge_attrs[key] = {"type": rel, **attrs}
        edge_sources[key].extend(srcs)
        if paper:
            edge_papers[key].append(paper)

    labels: dict = {}  # one string object per source line: a million edges share them
    for paper in corpus.papers:
        srcs = [labels.setdefault(s, s.label()) for s in paper.sources]
        pid = paper.id
        label = paper.title or (paper.abstracts[0][1][:80] + "…" if paper.abstracts else pid)
        url = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else (paper.urls[0] if paper.urls else None)
        attrs = dict(title=paper.title, arxiv_id=paper.arxiv_id, category=paper.category, year=paper.year,
                     lang=list(paper.lang), url=url)
        add_node(pid, "Paper", label, srcs, **{k: v for k, v in attrs.items() if v is not None})
        author_ids = []
        for a in paper.authorships:
            add_node(a.author_id, "Author", names.get(a.author_id, a.printed), srcs)
            # the model counts from 0 (kg.model.Authorship); every output counts from 1
            add_edge(pid, a.author_id, "HAS_AUTHOR", srcs, position=a.position + 1, printed=a.printed)
            paper_count[a.author_id].add(pid)
            author_ids.append(a.author_id)
        for ref in paper.institutions:
            inst = insts[ref.institution_id]
            extra = {"ror_id": inst.ror_id} if inst.ror_id else {}
            add_node(inst.id, "Institution", inst.name, srcs, printed=list(inst.printed), matched=inst.matched, **extra)
            add_edge(pid, inst.id, "HAS_INSTITUTION", srcs, printed=ref.printed)
            paper_count[inst.id].add(pid)
            # digests do not say which author belongs where: the link is "on a paper with"
            for aid in dict.fromkeys(author_ids):
                add_edge(aid, inst.id, "AFFILIATED_WITH", srcs, paper=pid, via="paper")
        for rank, (topic, score) in enumerate(paper.topics):
            tid = node_id("Topic", topic)
            label_zh = zh_label(topic)
            add_node(tid, "Topic", topic, srcs, **({"label_zh": label_zh} if label_zh else {}))
            topic_categories[topic].update([paper.category] if paper.category else [])
            add_edge(pid, tid, "HAS_TOPIC", srcs, weight=score, rank=rank)
            paper_count[tid].add(pid)
        for method in paper.methods:
            mid = node_id("Method", method.name)
            add_node(mid, "Method", method.name, srcs)
            if method.long_form and "long_form" not in g.nodes[mid]:
                g.nodes[mid]["long_form"] = method.long_form
            add_edge(pid, mid, "USES_METHOD", srcs)
            paper_count[mid].add(pid)
        for dataset in paper.datasets:
            did = node_id("Dataset", dataset)
            add_node(did, "Dataset", dataset, srcs)
            add_edge(pid, did, "USES_DATASET", srcs)
            paper_count[did].add(pid)
        for url in paper.code:
            cid = node_id("Code", url)
            repo = repository_of(url)
            add_node(cid, "Code", url, srcs, url=url, **({"repository": repo} if repo else {}))
            add_edge(pid, cid, "HAS_CODE", srcs)
            paper_count[cid].add(pid)
        if paper.category:
            catid = node_id("Category", paper.category)
            add_node(catid, "Category", CATEGORY_LABELS.get(paper.category, paper.category), srcs, notation=paper.category)
            add_edge(pid, catid, "IN_CATEGORY", srcs)
            paper_count[catid].add(pid)
        for a, b in combinations(sorted(set(author_ids)), 2):
            add_edge(a, b, "CO_AUTHOR", srcs, paper=pid)
        top = sorted({node_id("Topic", t) for t, _ in paper.topics[:COOCCURRENCE_TOPICS]})
        for a, b in combinations(top, 2):
            add_edge(a, b, "CO_OCCURS", srcs, paper=pid)

    _add_topic_hierarchy(g, topic_categories, node_sources, edge_attrs, edge_sources, the)
    del ids
    # equal lists are one shared list (most edges have the sources of one paper, and many the one
    # paper): a million small lists cost hundreds of MB on a big corpus. Readers must not change them.
    shared: dict[tuple, list] = {}
    for key, data in edge_attrs.items():
        data["sources"] = _sorted_unique(edge_sources.pop(key), shared)
        papers = edge_papers.pop(key, None)
        if papers:
            data["papers"] = _sorted_unique(papers, shared)
            data["weight"] = len(data["papers"])
    g.add_edges_from(_handed_over(edge_attrs))
    for nid, srcs in node_sources.items():
        node = g.nodes[nid]
        node["sources"] = _sorted_unique(srcs, shared)
        if node["type"] != "Paper":
            node["paper_count"] = len(paper_count.get(nid, ()))
    return g


def _sorted_unique(items: list, shared: dict) -> list:
    """`items` sorted and unique, as the list in `shared` when an equal one was made before."""
    items = sorted(set(items)) if len(items) > 1 else items
    return shared.setdefault(tuple(items), items)


def _handed_over(edge_attrs: dict):
    """(u, v, relation, data) for networkx, each data dict emptied once networkx has copied it,
    so the graph's million edges are not held twice."""
    for (u, v, rel), data in edge_attrs.items():
        yield u, v, rel, data
        data.clear()


def _add_topic_hierarchy(g, topic_categories, node_sources, edge_attrs, edge_sources, the) -> None:
    """BROADER edges between topics whose labels contain one another as a head-final suffix, and
    BROADER_CATEGORY from each root topic to its category; sources: those of the narrower topic.
    `the(id)` gives the graph's own string object for a node id."""
    broader = broader_topics(topic_categories)
    for label, parent in broader.items():
        u, v = the(node_id("Topic", label)), the(node_id("Topic", parent))
        if u != v and (u, v, "BROADER") not in edge_attrs:
            edge_attrs[(u, v, "BROADER")] = {"type": "BROADER"}
            edge_sources[(u, v, "BROADER")].extend(node_sources[u])
    for label, category in root_categories(topic_categories, broader).items():
        u, v = the(node_id("Topic", label)), the(node_id("Category", category))
        if v in g and (u, v, "BROADER_CATEGORY") not in edge_attrs:
            edge_attrs[(u, v, "BROADER_CATEGORY")] = {"type": "BROADER_CATEGORY"}
            edge_sources[(u, v, "BROADER_CATEGORY")].extend(node_sources[u])
