"""Resolved corpus → one networkx MultiDiGraph of typed nodes and edges, provenance on each."""

from __future__ import annotations

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
    """Nodes and edges go straight into networkx's adjacency dicts, in the order they are met (what
    add_node and add_edge would give, without their per-call checks and attribute copies). A node
    or edge met once, as most are, keeps its paper's `sources` list; the rest gather theirs and
    are made final at the end."""

    def __init__(self, corpus: Corpus):
        self.g = nx.MultiDiGraph(undirected_edge_types=list(UNDIRECTED_EDGE_TYPES))
        self.nodes, self.succ, self.pred = self.g._node, self.g._succ, self.g._pred
        # equal lists are one shared list (most nodes and edges have the sources of one paper, and
        # many the one paper): a million small lists cost hundreds of MB on a big corpus. Readers
        # must not change them (kg.export.property_graph and gephi count on the sharing).
        self.shared: dict[tuple, list] = {}
        # node id → the sources lists of the papers naming it (one per mention, made final in `finish`)
        self.node_sources: dict[str, list[list[str]]] = {}
        # id(edge data) → [data, its sources lists, its papers] for edges met more than once
        self.again: dict[int, list] = {}
        self.paper_count: dict[str, int] = {}  # node id → papers linking to it (each mention edge once)
        self.aliases: dict[str, set[str]] = {}  # typed entity node id → every alias given
        self.names = {a.id: a.name for a in corpus.authors}
        self.institutions = {i.id: i for i in corpus.institutions}
        # one string object per node id: ids made again for each mention ("topic:" + label) would
        # each be kept as a key in the adjacency dicts, a million copies on a big corpus
        self.ids: dict[str, str] = {}
        self.labels: dict = {}  # one string object per source line
        self.topics: dict[str, tuple[str, list]] = {}  # topic label → (node id, node_sources entry)

    def the(self, nid: str) -> str:
        """The graph's own string object for node id `nid`."""
        return self.ids.setdefault(nid, nid)

    def add_node(self, nid: str, kind: str, label: str, srcs: list, attrs=None) -> str:
        """The node `nid` (its `attrs` are taken only when it is new), with `srcs` among its sources."""
        nid = self.ids.setdefault(nid, nid)
        mentions = self.node_sources.get(nid)
        if mentions is None:
            self.nodes[nid] = {"type": kind, "label": label, **attrs} if attrs else {"type": kind, "label": label}
            self.succ[nid] = {}
            self.pred[nid] = {}
            self.node_sources[nid] = [srcs]
        else:
            mentions.append(srcs)
        return nid

    def add_edge(self, u: str, v: str, rel: str, srcs: list, papers: list | None = None, attrs=None) -> bool:
        """The edge u → v keyed `rel` (both nodes of the graph already, as the graph's strings):
        `attrs` when it is new, `srcs` among its sources, and the paper of `papers` (a one-paper
        list) among its papers. Whether it is new."""
        keys = self.succ[u].get(v)
        if keys is None:
            keys = self.succ[u][v] = self.pred[v][u] = {}
        else:
            data = keys.get(rel)
            if data is not None:
                more = self.again.get(id(data))
                if more is None:
                    more = self.again[id(data)] = [data, [data["sources"]], list(data.get("papers", ()))]
                more[1].append(srcs)
                if papers:
                    more[2].extend(papers)
                return False
        if papers:
            keys[rel] = {"type": rel, **attrs, "sources": srcs, "papers": papers, "weight": 1} if attrs else {
                "type": rel, "sources": srcs, "papers": papers, "weight": 1}
        else:
            keys[rel] = {"type": rel, **attrs, "sources": srcs} if attrs else {"type": rel, "sources": srcs}
        return True

    def add_mention(self, pid: str, nid: str, kind: str, label: str, rel: str, srcs: list, edge_attrs=None,
                    attrs=None) -> str:
        """A node that `pid` mentions (`attrs` its own when new), and the edge from the paper to it."""
        nid = self.add_node(nid, kind, label, srcs, attrs)
        if self.add_edge(pid, nid, rel, srcs, None, edge_attrs):
            # a node type is linked from papers by one relation: a new edge is one more paper
            self.paper_count[nid] = self.paper_count.get(nid, 0) + 1
        return nid

    def add_paper(self, paper: Paper) -> None:
        """The paper's node, the nodes it mentions and every edge it gives evidence for."""
        labels = [self.labels.setdefault(s, s.label()) for s in paper.sources]
        srcs = _sorted_unique(labels, self.shared)
        pid = paper.id
        label = paper.title or (paper.abstracts[0][1][:80] + "…" if paper.abstracts else pid)
        url = f"https://arxiv.org/abs/{paper.arxiv_id}" if paper.arxiv_id else (paper.urls[0] if paper.urls else None)
        attrs = dict(title=paper.title, arxiv_id=paper.arxiv_id, category=paper.category, year=paper.year,
                     lang=list(paper.lang), url=url)
        pid = self.add_node(pid, "Paper", label, srcs, {k: v for k, v in attrs.items() if v is not None})
        author_ids = self._add_authors(pid, paper, srcs)
        self._add_institutions(pid, paper, srcs, author_ids)
        top = self._add_topics(pid, paper, srcs)
        self._add_mentions(pid, paper, srcs)
        papers = self.shared.setdefault((pid,), [pid])  # the one paper of the edges it gives evidence for
        for a, b in combinations(sorted(set(author_ids)), 2):
            self.add_edge(a, b, "CO_AUTHOR", srcs, papers)
        for a, b in combinations(sorted(set(top)), 2):
            self.add_edge(a, b, "CO_OCCURS", srcs, papers)

    def _add_mentions(self, pid: str, paper: Paper, srcs: list) -> None:
        """The tasks, methods, datasets, metrics, code and category the paper names."""
        for kind in ENTITY_KINDS:
            if not getattr(paper, kind.field):
                continue
            for nid, entity in paper_entities(paper, kind):
                nid = self.add_mention(pid, nid, kind.node, entity.name, kind.edge, srcs, {"via": entity.via})
                if entity.aliases:
                    aliases = self.aliases.get(nid)
                    if aliases is None:
                        aliases = self.aliases[nid] = set()
                    aliases.update(entity.aliases)
        for url in paper.code:
            repo = repository_of(url)
            self.add_mention(pid, node_id("Code", url), "Code", url, "HAS_CODE", srcs,
                             attrs={"url": url, **({"repository": repo} if repo else {})})
        if paper.category:
            self.add_mention(pid, node_id("Category", paper.category), "Category",
                             CATEGORY_LABELS.get(paper.category, paper.category), "IN_CATEGORY", srcs,
                             attrs={"notation": paper.category})

    def _add_authors(self, pid: str, paper: Paper, srcs: list) -> list[str]:
        author_ids = []
        for a in paper.authorships:
            aid = self.add_node(a.author_id, "Author", self.names.get(a.author_id, a.printed), srcs)
            # the model counts from 0 (kg.model.Authorship); every output counts from 1
            if self.add_edge(pid, aid, "HAS_AUTHOR", srcs, None, {"position": a.position + 1, "printed": a.printed}):
                self.paper_count[aid] = self.paper_count.get(aid, 0) + 1
            author_ids.append(aid)
        return author_ids

    def _add_institutions(self, pid: str, paper: Paper, srcs: list, author_ids: list[str]) -> None:
        if not paper.institutions:
            return
        authors = list(dict.fromkeys(author_ids))
        papers = self.shared.setdefault((pid,), [pid])
        for ref in paper.institutions:
            inst = self.institutions[ref.institution_id]
            # a node keeps the attributes it was first given: made only for a new one
            attrs = None if inst.id in self.nodes else {
                "printed": list(inst.printed), "matched": inst.matched, **({"ror_id": inst.ror_id} if inst.ror_id else {})}
            iid = self.add_node(inst.id, "Institution", inst.name, srcs, attrs)
            # route: how the printed name was matched (kg.resolve.institutions.ROUTES), so a link that
            # rests on the affiliation matcher or on context can be told from one on ROR's own name
            if self.add_edge(pid, iid, "HAS_INSTITUTION", srcs, None,
                             {"printed": ref.printed, **({"route": ref.via} if ref.via else {})}):
                self.paper_count[iid] = self.paper_count.get(iid, 0) + 1
            # digests do not say which author belongs where: the link is "on a paper with"
            for aid in authors:
                self.add_edge(aid, iid, "AFFILIATED_WITH", srcs, papers, _VIA_PAPER)

    def _add_topics(self, pid: str, paper: Paper, srcs: list) -> list[str]:
        """The paper's topics and its edges to them; the node ids of the first COOCCURRENCE_TOPICS."""
        tids = []
        for rank, (topic, score) in enumerate(paper.topics):
            known = self.topics.get(topic)
            if known is None:
                label_zh = zh_label(topic)
                tid = self.add_node(node_id("Topic", topic), "Topic", topic, srcs,
                                    {"label_zh": label_zh} if label_zh else None)
                self.topics[topic] = (tid, self.node_sources[tid])
            else:
                tid, mentions = known
                mentions.append(srcs)
            if self.add_edge(pid, tid, "HAS_TOPIC", srcs, None, {"weight": score, "rank": rank}):
                self.paper_count[tid] = self.paper_count.get(tid, 0) + 1
            if rank < COOCCURRENCE_TOPICS:
                tids.append(tid)
        return tids

    def add_topic_hierarchy(self, corpus: Corpus) -> None:
        """BROADER edges between topics whose labels contain one another as a head-final suffix, and
        BROADER_CATEGORY from each root topic to its category; sources: those of the narrower topic."""
        broader, roots = topic_tree(corpus)
        topics = self.topics  # every label of the tree is a topic of a paper
        for label, parent in broader.items():
            u, v = topics[label][0], topics[parent][0]
            if u != v:
                self._add_derived_edge(u, v, "BROADER")
        for label, category in roots.items():
            u, v = topics[label][0], self.the(node_id("Category", category))
            if v in self.nodes:
                self._add_derived_edge(u, v, "BROADER_CATEGORY")

    def _add_derived_edge(self, u: str, v: str, rel: str) -> None:
        keys = self.succ[u].get(v)
        if keys is None or rel not in keys:
            self.add_edge(u, v, rel, self._node_sources(u))

    def _node_sources(self, nid: str) -> list[str]:
        """The node's sources, made final (sorted, unique, shared) on first asking."""
        mentions = self.node_sources[nid]
        if len(mentions) > 1:
            mentions[:] = [_sorted_unique([s for srcs in mentions for s in srcs], self.shared)]
        return mentions[0]

    def finish(self) -> nx.MultiDiGraph:
        """The graph, with the sources, papers and counts of every node and edge made final."""
        g = self.g
        del self.ids
        shared = self.shared
        for data, sources, papers in self.again.values():
            data["sources"] = _sorted_unique([s for srcs in sources for s in srcs], shared)
            if papers:
                data["papers"] = _sorted_unique(papers, shared)
                data["weight"] = len(data["papers"])
        self.again.clear()
        nodes, aliases, paper_count = self.nodes, self.aliases, self.paper_count
        for nid in self.node_sources:
            node = nodes[nid]
            names = aliases.get(nid)
            if names:
                node["aliases"] = sorted(names)
            node["sources"] = self._node_sources(nid)
            if node["type"] != "Paper":
                node["paper_count"] = paper_count.get(nid, 0)
        nx._clear_cache(g)
        return g


_VIA_PAPER = {"via": "paper"}


def _sorted_unique(items: list, shared: dict) -> list:
    """`items` sorted and unique, as the list in `shared` when an equal one was made before."""
    items = sorted(set(items)) if len(items) > 1 else items
    return shared.setdefault(tuple(items), items)
