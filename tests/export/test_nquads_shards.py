"""N-Quads shards: whole graphs per shard, bounded size, exact manifest, byte-identical rebuilds."""

from __future__ import annotations

import gzip
import hashlib
import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.export import export
from kg.export.nquads_shards import read_manifest, write_manifest, write_nquads_shards, write_shards
from kg.export.rdf import write_rdf

S = ox.NamedNode("http://s.example/a")


def graph_quads(sizes: dict[str, int]) -> list[ox.Quad]:
    return [ox.Quad(S, S, ox.Literal(str(i)), ox.NamedNode(f"http://g.example/{name}"))
            for name, n in sizes.items() for i in range(n)]


def read_shard(path: Path) -> list[ox.Quad]:
    with path.open("rb") as handle:
        return list(ox.parse(gzip.GzipFile(fileobj=handle), ox.RdfFormat.N_QUADS))


def layout(shards) -> list[tuple[str, int, list[tuple[str, int]]]]:
    return [(s.file, s.quads, [(g.rsplit("/", 1)[1], n) for g, n in s.graphs]) for s in shards]


def test_whole_graphs_fill_shards_in_order(tmp_path):
    shards = write_shards(graph_quads({"a": 3, "b": 4, "c": 2, "d": 5, "e": 1, "f": 8, "g": 1}), tmp_path, 6)

    assert layout(shards) == [
        ("part-00000.nq.gz", 3, [("a", 3)]),            # b would make 7
        ("part-00001.nq.gz", 6, [("b", 4), ("c", 2)]),
        ("part-00002.nq.gz", 6, [("d", 5), ("e", 1)]),
        ("part-00003.nq.gz", 8, [("f", 8)]),            # bigger than the bound: alone, never split
        ("part-00004.nq.gz", 1, [("g", 1)]),
    ]
    for shard in shards:  # the files hold what the records say, graph by graph
        quads = read_shard(tmp_path / shard.file)
        assert Counter(q.graph_name.value for q in quads) == dict(shard.graphs)
        assert hashlib.sha256((tmp_path / shard.file).read_bytes()).hexdigest() == shard.sha256
        assert (tmp_path / shard.file).stat().st_size == shard.bytes


def test_split_graphs_continue_in_the_next_shard(tmp_path):
    quads = graph_quads({"derived": 13})
    shards = write_shards(quads, tmp_path, 5, prefix="derived", split_graphs=True)

    assert layout(shards) == [("derived-00000.nq.gz", 5, [("derived", 5)]), ("derived-00001.nq.gz", 5, [("derived", 5)]),
                              ("derived-00002.nq.gz", 3, [("derived", 3)])]
    assert [q for s in shards for q in read_shard(tmp_path / s.file)] == quads  # order kept


def test_bad_input_is_refused(tmp_path):
    apart = graph_quads({"a": 1, "b": 1}) + graph_quads({"a": 1})
    with pytest.raises(ValueError, match=r"the quads of graph <http://g.example/a> are not together"):
        write_shards(apart, tmp_path)
    with pytest.raises(ValueError, match="every quad needs a named graph"):
        write_shards([ox.Quad(S, S, S, ox.DefaultGraph())], tmp_path)
    with pytest.raises(ValueError, match=r"shard prefix 'Part_1'"):
        write_shards([], tmp_path, prefix="Part_1")
    with pytest.raises(ValueError, match="max_quads must be at least 1, not 0"):
        write_shards([], tmp_path, 0)
    one = write_shards(graph_quads({"a": 1}), tmp_path / "x")
    with pytest.raises(ValueError, match="two shards have the same file name"):
        write_manifest(tmp_path / "x", one + one)
    assert write_shards([], tmp_path / "empty") == [] and list((tmp_path / "empty").iterdir()) == []


def test_a_failing_input_leaves_no_temporary_file(tmp_path):
    def quads():
        yield from graph_quads({"a": 2})
        raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError, match="worker lost"):
        write_shards(quads(), tmp_path, 1, split_graphs=True)
    # the finished shards stay, no temporary file and no manifest: a loader sees no build
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-00000.nq.gz", "part-00001.nq.gz"]


SOURCE = "https://example.org/kg/source/"


def test_shards_hold_graph_nq_exactly(fixture_corpus, tmp_path):
    graph_nq = tmp_path / "graph.nq"
    write_rdf(fixture_corpus, graph_nq, "nquads")
    expected = Counter(q.graph_name.value for q in ox.parse(path=graph_nq, format=ox.RdfFormat.N_QUADS))
    assert expected == {SOURCE + "digest.txt": 233, SOURCE + "feed.txt": 155,
                        SOURCE + "notes%2Fit%27s%20a%20%22note%22%20%231.md": 92, "https://example.org/kg/graph/derived": 40}

    written = write_nquads_shards(fixture_corpus, tmp_path, max_quads=300)

    folder = tmp_path / "nquads"
    manifest = read_manifest(folder)
    files = [s["file"] for s in manifest["shards"]]
    # the derived graph alone; digest.txt's 233 quads leave no room for feed.txt's 155, which
    # share a shard with the notes' 92
    assert files == ["derived-00000.nq.gz", "part-00000.nq.gz", "part-00001.nq.gz"]
    assert [len(s["graphs"]) for s in manifest["shards"]] == [1, 1, 2]
    assert written == [str(folder / "manifest.json")] + [str(folder / f) for f in files]
    assert manifest["quads"] == sum(expected.values()) == len(graph_nq.read_bytes().splitlines())
    assert manifest["graphs"] == len(expected) == 4
    assert manifest["max_quads"] == 300
    where = Counter()
    loaded = set()
    for shard in manifest["shards"]:
        quads = read_shard(folder / shard["file"])
        loaded.update(quads)
        assert shard["quads"] == len(quads) <= 300
        assert shard["graphs"] == dict(Counter(q.graph_name.value for q in quads))
        assert shard["sha256"] == hashlib.sha256((folder / shard["file"]).read_bytes()).hexdigest()
        where.update(shard["graphs"].keys())
    assert all(n == 1 for n in where.values())  # no graph in two shards
    assert loaded == set(ox.parse(path=graph_nq, format=ox.RdfFormat.N_QUADS))
    derived = "https://example.org/kg/graph/derived"
    assert manifest["shards"][0]["graphs"] == {derived: expected[derived]}


def test_rebuild_is_byte_identical_and_drops_stale_shards(fixture_corpus, tmp_path):
    write_nquads_shards(fixture_corpus, tmp_path / "one", max_quads=200)
    write_nquads_shards(fixture_corpus, tmp_path / "two", max_quads=200)
    one, two = tmp_path / "one" / "nquads", tmp_path / "two" / "nquads"
    assert sorted(p.name for p in one.iterdir()) == sorted(p.name for p in two.iterdir())
    assert all((one / p.name).read_bytes() == (two / p.name).read_bytes() for p in one.iterdir())
    header = (one / "part-00000.nq.gz").read_bytes()[:10]
    assert header[3] == 0 and header[4:8] == b"\0\0\0\0"  # no file name, no time stamp

    (one / "notes.txt").write_text("mine", encoding="utf-8")
    written = export("nquads-shards", fixture_corpus, tmp_path / "one")  # default bound: fewer shards

    assert sorted(p.name for p in one.iterdir()) == ["derived-00000.nq.gz", "manifest.json", "notes.txt", "part-00000.nq.gz"]
    assert [Path(p).name for p in written] == ["manifest.json", "derived-00000.nq.gz", "part-00000.nq.gz"]
    assert json.loads((one / "manifest.json").read_text())["max_quads"] == 1_000_000


def test_export_command_writes_the_shards(fixture_folder, tmp_path):
    result = CliRunner().invoke(cli, ["export", "nquads-shards", "--graph", str(fixture_folder), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    manifest = read_manifest(tmp_path / "nquads")
    assert [s["file"] for s in manifest["shards"]] == ["derived-00000.nq.gz", "part-00000.nq.gz"]
    assert manifest["quads"] == 233 + 155 + 92 + 40
