"""Shared fixtures: the seeds, a once-per-session build of them, the fixture corpus (plain
dataclasses, tests/fixtures/corpus.py), paths to ../shared; and the `slow` marker's rule.

Slow (left out of the fast lane, `pytest -m "not slow"`): every test that runs a build. Tests that
use the seed build's fixtures are marked here; modules that build, start kg serve, drive a browser,
Virtuoso or Dask mark themselves (`pytestmark = pytest.mark.slow`); any other test that runs a build
fails with a message saying to mark it.
"""

from __future__ import annotations

import importlib
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SEED_DIGEST = "000_25fba04581528bc5.txt"
SEED_FEED_1 = "001_2c5e3b2e6839104e.txt"
SEED_FEED_2 = "002_fb597934ba27845b.txt"
# a test that uses one of these fixtures waits on a build of the seeds (spaCy over every entry)
BUILD_FIXTURES = {"seeds_dir", "seed_build", "seed_papers"}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if BUILD_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


@pytest.fixture(autouse=True)
def _builds_are_slow(request, monkeypatch):
    """A test not marked slow that runs a build (kg.build.build past reading its inputs, in this
    process or the child it forks for the first half) fails: the fast lane stays fast as tests are
    added."""
    if request.node.get_closest_marker("slow") is None:
        def refuse(*args, **kwargs):
            pytest.fail(f"{request.node.nodeid} runs a build: mark it @pytest.mark.slow", pytrace=False)

        # by module object: `kg.build` is also the name of the build function kg/__init__ exports
        monkeypatch.setattr(importlib.import_module("kg.build.prepare"), "extract_entries", refuse)
    yield


@pytest.fixture(scope="session")
def seeds_dir(tmp_path_factory) -> Path:
    """A copy of seeds/ so paths in outputs are stable ("seeds/<file>") whatever the cwd."""
    base = tmp_path_factory.mktemp("work")
    shutil.copytree(SEEDS, base / "seeds")
    return base


@pytest.fixture(scope="session")
def seed_build(seeds_dir):
    """One build of the seeds shared by the tests that only read its results."""
    import os

    from kg.build import build

    cwd = os.getcwd()
    os.chdir(seeds_dir)
    try:
        result = build(["seeds"], "exports")
    finally:
        os.chdir(cwd)
    return result


@pytest.fixture(scope="session")
def seed_papers(seed_build):
    return {p.title or p.id: p for p in seed_build.corpus.papers}


@pytest.fixture(scope="session")
def fixture_corpus():
    """The fixture corpus (tests/fixtures/corpus.py): four papers as plain dataclasses, no build."""
    from .fixtures.corpus import CORPUS

    return CORPUS


@pytest.fixture(scope="session")
def fixture_folder(fixture_corpus, tmp_path_factory) -> Path:
    """A build folder holding only the fixture corpus's corpus.json: what `kg export --graph` reads."""
    from kg.build import BuildDir, write_corpus

    folder = BuildDir(tmp_path_factory.mktemp("fixture") / "exports")
    folder.path.mkdir()
    write_corpus(fixture_corpus, folder.corpus_json)
    return folder.path


@pytest.fixture
def fixture_graph(fixture_corpus):
    """The knowledge graph of the fixture corpus, made anew for each test (a test may change it)."""
    from kg.graph.build import build_graph

    return build_graph(fixture_corpus)


def seeds_folder(folder: Path, *names: str) -> Path:
    """`folder` with the seed files `names` copied into its seeds/ (made when missing); the folder."""
    (folder / "seeds").mkdir(parents=True, exist_ok=True)
    for name in names:
        shutil.copy(SEEDS / name, folder / "seeds" / name)
    return folder


def build_in(folder: Path, config):
    """`kg build seeds --out out` run from `folder` (relative inputs, as a user types them): the BuildResult."""
    import os

    from kg.build import build

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        return build(["seeds"], "out", config)
    finally:
        os.chdir(cwd)


def prepare_in(folder: Path, config):
    """The first half of `kg build seeds --out out` (read, extract, resolve) run in this process from
    `folder` (paths as the user gives them: "seeds/<file>"): its kg.build.prepare.Prepared."""
    import os

    from kg.build import BuildDir
    from kg.build.prepare import prepare_in_process
    from kg.extract.engines import get_engine

    cwd = os.getcwd()
    os.chdir(folder)
    try:
        out = BuildDir("out")
        with prepare_in_process(["seeds"], out, config, get_engine("local", None), lambda *step: None) as half:
            half.read()
            with out.lock():
                return half.finish()
    finally:
        os.chdir(cwd)


def output_files(folder: Path) -> dict[str, bytes]:
    """Every output file of a build folder by relative path, without the state folder .kg/ (cache and
    store are working state, not outputs)."""
    folder = Path(folder)
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != ".kg"
    }


def uncovered_kg_modules(script: str, package: str, covered: tuple[str, ...], inert: set[str]) -> list[str]:
    """The kg modules that running `script` in a fresh interpreter imports outside `package` and
    outside the files a cache's fingerprint `covered` (paths under kg/), but for `inert` ones: what
    that fingerprint misses (kg.extract.cache, kg.ingest.cache)."""
    import subprocess
    import sys

    script += "\nimport sys\nprint(' '.join(sorted(m for m in sys.modules if m == 'kg' or m.startswith('kg.'))))\n"
    loaded = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout.split()
    names = {"kg." + name[:-3].replace("/", ".") for name in covered}
    return [m for m in loaded if not m.startswith(package) and m not in names | inert]
