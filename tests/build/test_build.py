"""End-to-end: `kg build` on the seeds, checked against exact values read from the seed files."""

import json
import os

import pytest

from kg.build import BuildConfig, build, read_graph_json
from tests.conftest import output_files

pytestmark = [pytest.mark.model, pytest.mark.slow]  # builds


def records(seeds_dir):
    lines = (seeds_dir / "exports" / "papers.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines]


def by_title(seeds_dir, title):
    return next(r for r in records(seeds_dir) if r["title"] == title)


def test_seeds_give_24_unique_papers_from_25_entries(seed_build, seeds_dir):
    assert seed_build.report["inputs"] == {"files": 3, "entries": 25}
    assert seed_build.report["papers"] == 24
    recs = records(seeds_dir)
    assert len(recs) == 24
    assert [r["id"] for r in recs] == sorted(r["id"] for r in recs)
    assert seed_build.report["rejected"] == [] and seed_build.report["warnings"] == []


def test_knowledge_neurons_record(seeds_dir):
    r = by_title(seeds_dir, "Knowledge Neurons in Pretrained Transformers")
    assert r["id"] == "arxiv:2104.08696" and r["arxiv_id"] == "2104.08696"
    assert r["category"] == "cs.CL" and r["year"] == 2021 and r["lang"] == ["en", "zh"]
    assert [a["name"] for a in r["authors"]] == ["D Dai", "L Dong", "Y Hao", "Z Sui", "B Chang", "F Wei"]
    assert all(a["id"].startswith("author:") for a in r["authors"])
    assert [(i["name"], i["printed"]) for i in r["institutions"]] == [
        ("Peking University", "Peking University"),
        ("Microsoft Research", "Microsoft Research"),
    ]
    assert r["institutions"][0]["id"] == "institution:ror-02v51f717"
    assert r["code"] == ["https://github.com/Hunter-DDM/knowledge-neurons"]
    assert r["sources"] == [{"file": "seeds/000_25fba04581528bc5.txt", "line": 14}]
    # "pretrained transformer", a term many abstracts use, may now rank first (known-term bonus)
    assert "knowledge neuron" in r["topics"][:2]


def test_cmu_resolves_to_carnegie_mellon(seeds_dir):
    r = by_title(seeds_dir, "Distributionally Robust Models with Parametric Likelihood Ratios")
    assert [i["printed"] for i in r["institutions"]] == ["École normale supérieure PSL", "Stanford University", "CMU"]
    assert r["institutions"][2]["name"] == "Carnegie Mellon University"
    assert r["institutions"][2]["id"] == "institution:ror-05x2bcf33"
    assert r["authors"][2]["name"] == "G Neubig"


def test_code_links_methods_and_datasets(seeds_dir):
    recs = records(seeds_dir)
    code = {url for r in recs for url in r["code"]}
    assert {"https://github.com/Hunter-DDM/knowledge-neurons", "https://github.com/blackfeather-wang/gfnet-pytorch",
            "https://github.com/leaplabthu/adafocusv2", "https://github.com/junjie18/CMT",
            "https://github.com/LeapLabTHU/Model-Assembling", "https://github.com/yanyachen/xDeepInt",
            "https://muse-model.github.io"} == code
    cmt = next(r for r in recs if "https://github.com/junjie18/CMT" in r["code"])
    # "Cross Modal Transformer (CMT)": since issue 23 a defined method is named by its long form, the
    # acronym an alias (papers.jsonl lists names only)
    assert cmt["methods"] == ["Cross Modal Transformer"] and cmt["datasets"] == ["nuScenes"]
    assert cmt["title"] is None and cmt["lang"] == ["en"]


def test_emo_paper_is_one_node_with_two_sources(seeds_dir):
    # "\textbf{E}fficient \textbf{MO}del (EMO)": named by its long form since issue 23, "EMO" an alias
    emo = [r for r in records(seeds_dir) if "Efficient MOdel" in r["methods"]]
    assert len(emo) == 1
    assert emo[0]["sources"] == [
        {"file": "seeds/001_2c5e3b2e6839104e.txt", "line": 7},
        {"file": "seeds/002_fb597934ba27845b.txt", "line": 15},
    ]


def test_graph_types_provenance_and_counts(seed_build, seeds_dir):
    g = seed_build.graph
    assert g.number_of_nodes() == sum(seed_build.report["nodes"].values())
    assert g.number_of_edges() == sum(seed_build.report["edges"].values())
    assert seed_build.report["nodes"]["Paper"] == 24
    assert seed_build.report["nodes"]["Category"] == 3
    for _, data in g.nodes(data=True):
        assert data["sources"] and all(":" in s for s in data["sources"])
    for _, _, data in g.edges(data=True):
        assert data["sources"]
    dai = next(n for n, d in g.nodes(data=True) if d["type"] == "Author" and d["label"] == "D Dai")
    coauthors = sorted(g.nodes[v]["label"] for u, v, k in g.edges(dai, keys=True) if k == "CO_AUTHOR") + sorted(
        g.nodes[u]["label"] for u, v, k in g.in_edges(dai, keys=True) if k == "CO_AUTHOR")
    assert sorted(coauthors) == ["B Chang", "F Wei", "L Dong", "Y Hao", "Z Sui"]
    paper = "arxiv:2104.08696"
    assert g.edges[paper, dai, "HAS_AUTHOR"]["position"] == 1  # counted from 1, as in every output
    assert g.nodes["category:cs.CL"]["notation"] == "cs.CL"
    assert g.edges[paper, "category:cs.CL", "IN_CATEGORY"]["sources"] == ["seeds/000_25fba04581528bc5.txt:14"]
    reread = read_graph_json(seeds_dir / "exports" / "graph.json")
    assert reread.number_of_nodes() == g.number_of_nodes() and reread.number_of_edges() == g.number_of_edges()


def test_rebuild_is_byte_identical(seed_build, seeds_dir, monkeypatch):
    monkeypatch.chdir(seeds_dir)
    build(["seeds"], "again")
    first, second = output_files(seeds_dir / "exports"), output_files(seeds_dir / "again")
    assert sorted(first) == sorted(second)
    assert {"papers.jsonl", "graph.ttl", "graph.nq", "void.ttl", "graph.graphml", "graph.gexf"} <= set(first)
    for rel in first:
        assert first[rel] == second[rel], rel


def test_first_half_in_this_process_gives_the_same_outputs(seed_build, seeds_dir, monkeypatch):
    """isolate=False (read, extract and resolve here, not in a forked child) writes the same bytes."""
    monkeypatch.chdir(seeds_dir)
    result = build(["seeds"], "here", BuildConfig(isolate=False))
    assert len(result.corpus.papers) == 24
    first, second = output_files(seeds_dir / "exports"), output_files(seeds_dir / "here")
    assert sorted(first) == sorted(second)
    for rel in first:
        assert first[rel] == second[rel], rel


def test_an_error_in_the_first_half_is_raised_by_build(seeds_dir, tmp_path, monkeypatch):
    """A failure in the forked child comes back as the same exception, with the child's traceback as
    its cause, and the build folder is not written; a child that dies is a KgError naming it."""
    import kg.build.prepare as prepare
    from kg.errors import KgError

    monkeypatch.chdir(seeds_dir)

    def broken(*args, **kwargs):
        raise ValueError("resolver <broken>")

    monkeypatch.setattr(prepare, "resolve", broken)
    with pytest.raises(ValueError, match="resolver <broken>") as caught:
        build(["seeds"], tmp_path / "broken")
    assert "def broken" not in str(caught.value) and "in broken" in str(caught.value.__cause__)
    assert not (tmp_path / "broken" / "papers.jsonl").exists()

    def killed(*args, **kwargs):
        os._exit(9)  # as the kernel's OOM killer would leave it

    monkeypatch.setattr(prepare, "resolve", killed)
    with pytest.raises(KgError, match="died"):
        build(["seeds"], tmp_path / "killed")


ONE_PROCESS_STAGES = ["reading", "extracting", "resolving", "writing papers.jsonl", "writing graph.nq",
                      "writing graph.ttl", "graph", "exports", "maps", "writing graph.json", "report", "store"]


def _by_stage(calls) -> dict[str, list[tuple]]:
    """Each stage's (done, total) calls, stages in the order they first came."""
    stages: dict[str, list[tuple]] = {}
    for stage, done, total, *_ in calls:
        stages.setdefault(stage, []).append((done, total))
    return stages


def test_progress_names_every_stage_in_order(seed_build, seeds_dir, monkeypatch):
    """One process: every stage of STAGES, in that order, each once (a stage never comes back), with
    its count where it has one; and a build with progress writes the same files as one without."""
    from kg.build import STAGES

    monkeypatch.chdir(seeds_dir)
    calls = []
    build(["seeds"], "progress", progress=lambda stage, done, total: calls.append((stage, done, total)))
    stages = _by_stage(calls)
    assert list(stages) == ONE_PROCESS_STAGES == list(STAGES)
    assert [c[0] for c in calls] == [s for s in stages for _ in stages[s]]  # each stage's calls together
    assert stages["reading"] == [(0, 3), (1, 3), (2, 3), (3, 3)]  # the 3 seed files
    # 25 entries; the extractor counts distinct texts, so the count may jump, but ends at every entry
    assert stages["extracting"][0] == (0, 25) and stages["extracting"][-1] == (25, 25)
    assert [d for d, _ in stages["extracting"]] == sorted(d for d, _ in stages["extracting"])
    assert {t for _, t in stages["extracting"]} == {25}
    # the three seed files' graphs and the derived graph
    assert stages["writing graph.nq"] == [(0, 4), (1, 4), (2, 4), (3, 4), (4, 4)]
    # four export tasks (neo4j and ladybug are one: they share the property tables), then the maps
    assert stages["exports"] == [(0, 4), (1, 4), (1, 4), (2, 4), (2, 4), (3, 4), (3, 4), (4, 4)]
    assert stages["maps"] == [(0, 1), (1, 1)]
    # the seeds' store is one bulk load, which may have ended before the build waits for it
    assert stages["store"][0] == (0, None) and stages["store"][-1] == (1, 1)
    assert set(stages["store"][1:]) <= {(0, 1), (1, 1)}
    for stage in ("resolving", "writing papers.jsonl", "writing graph.ttl", "graph", "writing graph.json", "report"):
        assert stages[stage] == [(0, None)], stage
    assert output_files(seeds_dir / "progress") == output_files(seeds_dir / "exports")


def test_progress_with_jobs_comes_from_the_building_process_only(seeds_dir, tmp_path, monkeypatch):
    """--jobs 2: the graph comes before the RDF (the forked workers need it); the exports and maps are
    reported as this process takes a task over or collects a worker's result, never from a worker."""
    from kg.extract import ExtractConfig

    monkeypatch.chdir(seeds_dir)
    calls = []
    config = BuildConfig(extract=ExtractConfig(n_process=2))
    build(["seeds"], tmp_path / "two", config,
          progress=lambda stage, done, total: calls.append((stage, done, total, os.getpid())))
    stages = _by_stage(calls)
    order = list(stages)
    assert order[:7] == ["reading", "extracting", "resolving", "writing papers.jsonl", "graph", "writing graph.nq",
                         "writing graph.ttl"]
    assert sorted(order[7:9]) == ["exports", "maps"]  # the maps first when this process took them over
    assert order[9:] == ["writing graph.json", "report", "store"]
    assert {pid for *_, pid in calls} == {os.getpid()}
    assert stages["reading"][-1] == (3, 3) and stages["extracting"][-1] == (25, 25)
    assert stages["writing graph.nq"][-1] == (4, 4)
    assert stages["exports"][-1] == (4, 4) and stages["maps"][-1] == (1, 1) and stages["store"][-1] == (1, 1)
