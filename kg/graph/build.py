"""Resolved corpus → one networkx MultiDiGraph of typed nodes and edges, provenance on each."""

from __future__ import annotations

from collections import defaultdict
from itertools import combinations

import networkx as nx

from ..knowledge.code_hosts import repository_of
from ..knowledge.glossary import zh_label
from ..model import Corpus, Paper
from ..resolve.categories import CATEGORY_LABELS
from .hierarchy import topic_tree
from .schema import ENTITY_KINDS, UNDIRECTED_EDGE_TYPES, node_id, paper_entities

__all__ = ["build_graph", "node_id", "COOCCURRENCE_TOPICS"]  # node_id is kg.graph.schema's, kept here too

# Topic co-occurrence links count only each paper's strongest topics: weaker ones add noise and
# grow the edge count quadratically.
COOCCURRENCE_TOPICS = 5


def build_graph(corpus: Corpus) -> nx.MultiDiGraph:
    """Build the knowledge graph of a resolved corpus.

    Nodes and edges are typed as kg.graph.schema lists them. Every node has `type`, `label` and
    `sources` (sorted "file:line" strings); every edge has `type` (also its key) and `sources`.
    HAS_AUTHOR's `position` is the place in the byline counted from 1 (the first author is 1), as
    in every output. Task, Method, Dataset and Metric nodes (schema.ENTITY_KINDS) carry `aliases`
    (sorted, unique: every other name any paper gave them; left out when there is none), and the
    paper's edge to each (ADDRESSES_TASK, USES_METHOD, USES_DATASET, USES_METRIC) its `via` (how
    the link was found: "title", "defined" or "mentioned", kg.model.VIA). Symmetric relations
    (UNDIRECTED_EDGE_TYPES: CO_AUTHOR, CO_OCCURS) are stored once, from the smaller node id to the
    larger, with `weight` = number of papers; the graph attribute `undirected_edge_types` names them.

    Examples
    --------
    >>> from kg.model import Corpus
    >>> g = build_graph(Corpus((), (), ()))
    >>> g.number_of_nodes(), g.graph
    (0, {'undirected_edge_types': ['CO_AUTHOR', 'CO_OCCURS']})
    """
    builder = _GraphBuilder(corpus)
    for paper in corpus.papers:
        builder.add_paper(paper)
    builder.add_topic_hierarchy(corpus)
    return builder.finish()


class _GraphBuilder:
    """Nodes go into the graph as they are met; edges are collected in plain dicts and handed to
    networkx once (a has_edge/add_edge pair per mention was most of the work on big corpora)."""

    def __init__(self, corpus: Corpus):
        self.g = nx.MultiDiGraph(undirected_edge_types=list(UNDIRECTED_EDGE_TYPES))
        # sources and papers are gathered in lists (a set per edge costs three times the memory, and a
        # big corpus has a million edges), made sorted and unique at the end
        self.node_sources: dict[str, list[str]] = defaultdict(list)
        self.edge_attrs: dict[tuple[str, str, str], dict] = {}
        self.edge_sources: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.edge_papers: dict[tuple[str, str, str], list[str]] = defaultdict(list)
        self.paper_count: dict[str, set[str]] = defaultdict(set)
        self.aliases: dict[str, set[str]] = defaultdict(set)  # typed entity node id → every alias given
        self.names = {a.id: a.name for a in corpus.authors}
        self.institutions = {i.id: i for i in corpus.institutions}
        # one string object per node id: ids made again for each mention ("topic:" + label) would
        # each be kept as a key in the adjacency dicts, a million copies on a big corpus
        self.ids: dict[str, str] = {}
        self.labels: dict = {}  # one string object per source line: a million edges share them

    def the(self, nid: str) -> str:
        """The graph's own string object for node id `nid`."""
        return self.ids.setdefault(nid, nid)

    def add_node(self, nid: str, kind: str, label: str, srcs, **attrs) -> str:
        nid = self.the(nid)
        if nid not in self.g:
            self.g.add_node(nid, type=kind, label=label, **attrs)
        self.node_sources[nid].extend(srcs)
        return nid

    def add_edge(self, u: str, v: str, rel: str, srcs, paper: str | None = None, **attrs) -> None:
        key = (self.the(u), self.the(v), rel)
        if key not in self.edge_attrs:
            self.edge_attrs[key] = {"type": rel, **attrs}
        self.edge_sources[key].extend(srcs)
        if paper:
            self.edge_papers[key].append(paper)

    def add_mention(self, pid: str, nid: str, kind: str, label: str, rel: str, srcs, edge_attrs=None,
                    **attrs) -> None:
        """A node that `pid` mentions (`attrs` its own when new), and the edge from the paper to it."""
        self.add_node(nid, kind, label, srcs, **attrs)
        self.add_edge(pid, nid, rel, srcs, **(edge_attrs or {}))
        self.paper_count[nid].add(pid)

    def add_paper(self, paper: Paper) -> None:
        """The paper's node, the nodes it mentions and every edge it gives evidence for."""
        srcs = [self.labels.setdefault(s, s.label()) for s in paper.sources]
        pid = paper.id
        label = paper.title or (paper.abstracts[0][1][:80] + "…" if paper.abstracts else pid)
        url = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else (paper.urls[0] if paper.urls else None)
        attrs = dict(title=paper.title, arxiv_id=paper.arxiv_id, category=paper.category, year=paper.year,
                     lang=list(paper.lang), url=url)
        self.add_node(pid, "Paper", label, srcs, **{k: v for k, v in attrs.items() if v is not None})
        author_ids = self._add_authors(paper, srcs)
        self._add_institutions(paper, srcs, author_ids)
        self._add_topics(paper, srcs)
        self._add_mentions(paper, srcs)
        for a, b in combinations(sorted(set(author_ids)), 2):
            self.add_edge(a, b, "CO_AUTHOR", srcs, paper=pid)
        top = sorted({node_id("Topic", t) for t, _ in paper.topics[:COOCCURRENCE_TOPICS]})
        for a, b in combinations(top, 2):
            self.add_edge(a, b, "CO_OCCURS", srcs, paper=pid)

    def _add_mentions(self, paper: Paper, srcs) -> None:
        """The tasks, methods, datasets, metrics, code and category the paper names."""
        pid = paper.id
        for kind in ENTITY_KINDS:
            for nid, entity in paper_entities(paper, kind):
                self.add_mention(pid, nid, kind.node, entity.name, kind.edge, srcs, edge_attrs={"via": entity.via})
                if entity.aliases:
                    self.aliases[self.the(nid)].update(entity.aliases)
        for url in paper.code:
            repo = repository_of(url)
            self.add_mention(pid, node_id("Code", url), "Code", url, "HAS_CODE", srcs, url=url,
                             **({"repository": repo} if repo else {}))
        if paper.category:
            self.add_mention(pid, node_id("Category", paper.category), "Category",
                             CATEGORY_LABELS.get(paper.category, paper.category), "IN_CATEGORY", srcs,
                             notation=paper.category)

    def _add_authors(self, paper: Paper, srcs) -> list[str]:
        author_ids = []
        for a in paper.authorships:
            self.add_node(a.author_id, "Author", self.names.get(a.author_id, a.printed), srcs)
            # the model counts from 0 (kg.model.Authorship); every output counts from 1
            self.add_edge(paper.id, a.author_id, "HAS_AUTHOR", srcs, position=a.position + 1, printed=a.printed)
            self.paper_count[a.author_id].add(paper.id)
            author_ids.append(a.author_id)
        return author_ids

    def _add_institutions(self, paper: Paper, srcs, author_ids: list[str]) -> None:
        pid = paper.id
        for ref in paper.institutions:
            inst = self.institutions[ref.institution_id]
            extra = {"ror_id": inst.ror_id} if inst.ror_id else {}
            self.add_node(inst.id, "Institution", inst.name, srcs, printed=list(inst.printed), matched=inst.matched,
                          **extra)
            # route: how the printed name was matched (kg.resolve.institutions.ROUTES), so a link that
            # rests on the affiliation matcher or on context can be told from one on ROR's own name
            self.add_edge(pid, inst.id, "HAS_INSTITUTION", srcs, printed=ref.printed,
                          **({"route": ref.via} if ref.via else {}))
            self.paper_count[inst.id].add(pid)
            # digests do not say which author belongs where: the link is "on a paper with"
            for aid in dict.fromkeys(author_ids):
                self.add_edge(aid, inst.id, "AFFILIATED_WITH", srcs, paper=pid, via="paper")

    def _add_topics(self, paper: Paper, srcs) -> None:
        pid = paper.id
        for rank, (topic, score) in enumerate(paper.topics):
            tid = node_id("Topic", topic)
            label_zh = zh_label(topic)
            self.add_node(tid, "Topic", topic, srcs, **({"label_zh": label_zh} if label_zh else {}))
            self.add_edge(pid, tid, "HAS_TOPIC", srcs, weight=score, rank=rank)
            self.paper_count[tid].add(pid)

    def add_topic_hierarchy(self, corpus: Corpus) -> None:
        """BROADER edges between topics whose labels contain one another as a head-final suffix, and
        BROADER_CATEGORY from each root topic to its category; sources: those of the narrower topic."""
        broader, roots = topic_tree(corpus)
        for label, parent in broader.items():
            u, v = self.the(node_id("Topic", label)), self.the(node_id("Topic", parent))
            if u != v:
                self._add_derived_edge(u, v, "BROADER")
        for label, category in roots.items():
            u, v = self.the(node_id("Topic", label)), self.the(node_id("Category", category))
            if v in self.g:
                self._add_derived_edge(u, v, "BROADER_CATEGORY")

    def _add_derived_edge(self, u: str, v: str, rel: str) -> None:
        if (u, v, rel) not in self.edge_attrs:
            self.edge_attrs[(u, v, rel)] = {"type": rel}
            self.edge_sources[(u, v, rel)].extend(self.node_sources[u])

    def finish(self) -> nx.MultiDiGraph:
        """The graph, with every edge handed over and the sources, papers and counts made final."""
        g = self.g
        del self.ids
        # equal lists are one shared list (most edges have the sources of one paper, and many the one
        # paper): a million small lists cost hundreds of MB on a big corpus. Readers must not change them.
        shared: dict[tuple, list] = {}
        for key, data in self.edge_attrs.items():
            data["sources"] = _sorted_unique(self.edge_sources.pop(key), shared)
            papers = self.edge_papers.pop(key, None)
            if papers:
                data["papers"] = _sorted_unique(papers, shared)
                data["weight"] = len(data["papers"])
        _adopt_edges(g, self.edge_attrs)
        for nid, srcs in self.node_sources.items():
            node = g.nodes[nid]
            aliases = self.aliases.get(nid)
            if aliases:
                node["aliases"] = sorted(aliases)
            node["sources"] = _sorted_unique(srcs, shared)
            if node["type"] != "Paper":
                node["paper_count"] = len(self.paper_count.get(nid, ()))
        return g


def _sorted_unique(items: list, shared: dict) -> list:
    """`items` sorted and unique, as the list in `shared` when an equal one was made before."""
    items = sorted(set(items)) if len(items) > 1 else items
    return shared.setdefault(tuple(items), items)


def _adopt_edges(g: nx.MultiDiGraph, edge_attrs: dict) -> None:
    """Every (u, v, relation) → data of `edge_attrs` as an edge of `g` keyed by its relation, in
    order, the data dict itself becoming the edge's (`edge_attrs` is emptied).

    What ``g.add_edges_from((u, v, rel, data) …)`` gives, node for node and edge for edge, without
    its copy of each data dict: on a 50k-paper corpus (two million edges) the copies, made while
    the originals still exist, were a few hundred MB of the build's peak and a third of the graph
    stage's time. It fills the adjacency networkx documents for a MultiDiGraph (``G.succ[u][v][key]
    is G.pred[v][u][key]``, one key dict per node pair); both endpoints are nodes of `g` already.
    """
    succ, pred = g._succ, g._pred
    for (u, v, rel), data in edge_attrs.items():
        keys = succ[u].get(v)
        if keys is None:
            keys = succ[u][v] = pred[v][u] = g.edge_key_dict_factory()
        keys[rel] = data
    edge_attrs.clear()
    nx._clear_cache(g)
