"""Shared fixtures: the seeds, a once-per-session build of them, and paths to ../shared."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED = ROOT.parent / "shared"
SEED_DIGEST = "000_25fba04581528bc5.txt"
SEED_FEED_1 = "001_2c5e3b2e6839104e.txt"
SEED_FEED_2 = "002_fb597934ba27845b.txt"


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


def output_files(folder: Path) -> dict[str, bytes]:
    """Every output file of a build folder by relative path, without the state folder .kg/ (cache and
    store are working state, not outputs)."""
    folder = Path(folder)
    return {
        str(p.relative_to(folder)): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and p.relative_to(folder).parts[0] != ".kg"
    }
