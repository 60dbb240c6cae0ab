"""kg.registry: lazy records, one table for the four kinds, the error an unknown name gets, and the
old entry points (readers, exporters, engines) as views over it."""

from __future__ import annotations

import subprocess
import sys

import pytest

from kg import registry
from kg.errors import FormatError, KgError

BUILTINS = {
    "reader": {"arxiv", "bibtex", "digest", "feed", "frontmatter", "oneline", "paperpost", "readinglist"},
    "exporter": {"turtle", "ntriples", "nquads", "jsonld", "trig", "nquads-shards", "neo4j", "ladybug", "ladybug-db",
                 "graphml", "gexf", "vosviewer"},
    "engine": {"local", "dask"},
    "view": {"collaboration", "institutions", "topics"},
}


@pytest.mark.parametrize("kind", sorted(BUILTINS))
def test_each_kind_lists_the_builtins(kind):
    assert {p.name for p in registry.plugins(kind)} == BUILTINS[kind]
    assert all(p.description and "\n" not in p.description for p in registry.plugins(kind))


@pytest.mark.parametrize("kind, name", sorted((k, n) for k, names in BUILTINS.items() for n in names))
def test_every_builtin_record_loads(kind, name):
    """The table names modules by path: a typo shows here, not at a user's run."""
    found = registry.get(kind, name)
    assert found is not None
    if kind == "reader":
        assert callable(found) and callable(registry.load(registry.plugin(kind, name).options["detect"]))
    if kind == "exporter":
        assert callable(found)


def test_aliases_are_names_of_the_same_record():
    assert registry.plugin("exporter", "ttl") is registry.plugin("exporter", "turtle")
    assert {"ttl", "nt", "nq", "json-ld"} <= set(registry.names("exporter"))
    assert [p.name for p in registry.plugins("exporter")].count("turtle") == 1


@pytest.mark.parametrize("kind, label", [("reader", "input format"), ("exporter", "export target"),
                                         ("engine", "engine"), ("view", "view")])
def test_an_unknown_name_names_the_kind_and_lists_what_there_is(kind, label):
    with pytest.raises(registry.PluginNotFoundError) as caught:
        registry.get(kind, "nope")
    assert str(caught.value) == f"unknown {label} 'nope'; available: {', '.join(registry.names(kind))}"
    assert isinstance(caught.value, FormatError) and isinstance(caught.value, KgError)
    assert (caught.value.kind, caught.value.name) == (kind, "nope")


def test_a_name_is_registered_once():
    with pytest.raises(FormatError, match="exporter 'ttl' is registered twice"):
        registry.register("exporter", "my-turtle", "kg.export.rdf:export_turtle", aliases=("ttl",))
    assert "my-turtle" not in registry.names("exporter")  # nothing half-registered


def test_registering_and_listing_import_no_plugin_module():
    """Listing (what kg --help shows) and registering import nothing; get() imports the module."""
    code = """
import sys
from kg import registry
registry.register("exporter", "dummy", "kg_dummy_plugin_nowhere:write", "a dummy", reads_tables=True)
listed = [(p.name, p.description) for kind in registry.KINDS for p in registry.plugins(kind)]
record = registry.plugin("exporter", "gexf")
loaded = [m for m in ("kg.ingest.digest", "kg.export.gephi", "kg.export.rdf", "kg.extract.engines", "kg.viz.page",
                      "kg_dummy_plugin_nowhere") if m in sys.modules]
assert not loaded, loaded
registry.get("exporter", "gexf")
assert "kg.export.gephi" in sys.modules
print("ok")
"""
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0 and result.stdout == "ok\n", result.stderr


def test_register_and_unregister_an_object():
    def write(corpus, out_dir, base, graph=None):
        return []

    registry.register("exporter", "dummy-object", write, "a dummy", aliases=("dummy-alias",))
    try:
        assert registry.get("exporter", "dummy-alias") is write
    finally:
        registry.unregister("exporter", "dummy-alias")
    assert not {"dummy-object", "dummy-alias"} & set(registry.names("exporter"))


def test_the_old_entry_points_are_views_of_the_registry():
    from kg.export import exporter_names, get_exporter
    from kg.extract.engines import LocalEngine, engine_names, get_engine
    from kg.ingest import get_reader, reader_names

    assert reader_names() == registry.names("reader")
    reader = get_reader("digest")
    assert (reader.name, reader.description) == ("digest", registry.plugin("reader", "digest").description)
    assert exporter_names() == registry.names("exporter")
    assert get_exporter("nt").name == "ntriples" and not get_exporter("nt").reads_tables
    assert {n for n in exporter_names() if get_exporter(n).reads_tables} == {"neo4j", "ladybug", "ladybug-db"}
    assert engine_names() == ["dask", "local"] and isinstance(get_engine("local"), LocalEngine)


def test_views_resolve_to_the_page_specs():
    from kg.viz import VIEWS
    from kg.viz.page import COLLABORATION, MapView

    assert set(VIEWS) == set(registry.names("view"))
    assert registry.get("view", "collaboration") is COLLABORATION
    assert all(isinstance(registry.get("view", v), MapView) for v in VIEWS)
