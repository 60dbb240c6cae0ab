"""A bad input never replaces a good build: a build that reads no paper entry exits 1 and writes
nothing; files that are not paper documents are skipped (report.json "skipped"), never rejected."""

import json
import os
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.build import build
from kg.cli import cli
from kg.errors import NothingFoundError

from ..conftest import ROOT, SEEDS, output_files

pytestmark = [pytest.mark.model, pytest.mark.slow]  # builds

PDF_REASON = "PDF document (.pdf): kg reads text files; extract the text first"
UNRECOGNISED = "no reader recognises this file (formats: arxiv, bibtex, digest, feed, frontmatter, oneline, paperpost, readinglist)"


def _kg(cwd: Path, *args: str):
    before = os.getcwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, list(args))
    finally:
        os.chdir(before)


def _state(folder: Path) -> dict:
    """Every file under `folder`, .kg/ (store, cache, lock) included: bytes and modification time."""
    return {str(p.relative_to(folder)): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def work(tmp_path_factory) -> Path:
    """seeds/ and exports/, a full build of them: the good build no bad input may replace."""
    base = tmp_path_factory.mktemp("nothing-found")
    shutil.copytree(SEEDS, base / "seeds")
    (base / "empty").mkdir()
    (base / "only-pdf").mkdir()
    (base / "only-pdf" / "paper.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    result = _kg(base, "build", "seeds", "--out", "exports", "-q")
    assert result.exit_code == 0, result.output
    assert len(output_files(base / "exports")) > 40  # the default export set and the maps
    return base


@pytest.mark.parametrize("update", [[], ["--update"]], ids=["build", "update"])
def test_an_empty_folder_exits_1_and_leaves_the_previous_build_byte_identical(work, update):
    before, outputs = _state(work / "exports"), output_files(work / "exports")
    result = _kg(work, "build", "empty", "--out", "exports", *update)
    assert result.exit_code == 1
    assert result.output == "Error: no paper entries found in empty; exports/ left as it was\n"
    assert output_files(work / "exports") == outputs
    assert _state(work / "exports") == before  # the store and the extraction cache too (not pruned)


def test_a_folder_holding_only_a_pdf_exits_1_and_names_it(work):
    before = _state(work / "exports")
    result = _kg(work, "build", "only-pdf", "--out", "exports")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        "skipped 1 file that is not a paper document:",
        f"  only-pdf/paper.pdf: {PDF_REASON}",
        "Error: no paper entries found in only-pdf; exports/ left as it was",
    ]
    assert _state(work / "exports") == before
    # the library raises the same, with what it skipped
    with pytest.raises(NothingFoundError) as caught:
        build([str(work / "only-pdf")], work / "exports")
    assert str(caught.value) == f"no paper entries found in {work / 'only-pdf'}; {work / 'exports'}/ left as it was"
    assert caught.value.skipped == ((str(work / "only-pdf" / "paper.pdf"), PDF_REASON),)
    assert caught.value.problems == ()
    assert _state(work / "exports") == before


def test_nothing_found_without_a_previous_build_creates_nothing(work):
    result = _kg(work, "build", "empty", "only-pdf", "--out", "fresh/exports", "-q")
    assert result.exit_code == 1
    assert result.output == "Error: no paper entries found in empty, only-pdf; fresh/exports/ not created\n"
    assert not (work / "fresh").exists()


def test_only_rejected_files_exit_1_and_list_the_rejects(work):
    (work / "prose").mkdir()
    (work / "prose" / "notes.txt").write_text("Nothing here is a paper.\n", encoding="utf-8")
    before = _state(work / "exports")
    result = _kg(work, "build", "prose", "--out", "exports")
    assert result.exit_code == 1
    assert result.output.splitlines() == [
        f"rejected: prose/notes.txt:1: {UNRECOGNISED}",
        "Error: no paper entries found in prose; exports/ left as it was",
    ]
    assert _state(work / "exports") == before


def test_code_and_a_kg_output_beside_the_seeds_are_skipped_not_rejected(work):
    mixed = work / "mixed"
    shutil.copytree(SEEDS, mixed)
    (mixed / "tool.py").write_text('"""1、[LG] A Title\nD Dai, L Dong\n"""\nprint(62, 64, 64, 42)\n', encoding="utf-8")
    shutil.copy(work / "exports" / "papers.jsonl", mixed / "papers.jsonl")
    result = _kg(work, "build", "mixed", "--out", "mixed-out", "--export", "none", "--no-pages")
    assert result.exit_code == 0, result.output
    report = json.loads((work / "mixed-out" / "report.json").read_text(encoding="utf-8"))
    assert report["skipped"] == [
        {"file": "mixed/papers.jsonl", "reason": "kg output: papers.jsonl"},
        {"file": "mixed/tool.py", "reason": "source code (.py)"},
    ]
    assert (report["rejected"], report["papers"], report["inputs"]) == ([], 24, {"files": 3, "entries": 25})
    lines = result.output.splitlines()
    assert "skipped 2 files that are not paper documents (see mixed-out/report.json)" in lines
    assert not [line for line in lines if line.startswith("rejected:")]
    titles = {json.loads(line)["title"] for line in (work / "mixed-out" / "papers.jsonl").read_text(encoding="utf-8").splitlines()}
    assert titles == {json.loads(line)["title"] for line in (work / "exports" / "papers.jsonl").read_text(encoding="utf-8").splitlines()}


def _source_tree(work: Path) -> Path:
    """The project as a fresh checkout holds it (no .venv), without its paper documents (seeds/ and the
    test fixtures tests/data, tests/fuzz/data, which kg rightly reads), plus kg outputs lying around."""
    tree = work / "tree"
    fixtures = {str(ROOT / "tests" / "data"), str(ROOT / "tests" / "fuzz" / "data")}
    for name in ("kg", "tests", "docs"):
        shutil.copytree(ROOT / name, tree / name,
                        ignore=lambda folder, names: [n for n in names if os.path.join(folder, n) in fixtures])
    for name in ("README.md", "pyproject.toml", "Makefile"):
        shutil.copy(ROOT / name, tree / name)
    shutil.copytree(work / "exports", tree / "exports")  # a previous build, .kg/ included
    for name in ("papers.jsonl", "graph.json", "corpus.json", "graph.nq", "graph.ttl"):
        shutil.copy(work / "exports" / name, tree / name)
    (tree / "old").mkdir()
    for name in ("report.json", "topics.html", "topics.vosviewer.json"):
        shutil.copy(work / "exports" / name, tree / "old" / name)
    return tree


def test_the_projects_own_source_tree_gives_no_paper(work):
    tree = _source_tree(work)
    result = _kg(work, "build", "tree", "--out", "tree-out")
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[-1] == "Error: no paper entries found in tree; tree-out/ not created"
    assert not (work / "tree-out").exists()
    # what is rejected is only documentation no reader recognises: no code, no kg output
    rejected = [line for line in lines if line.startswith("rejected: ")]
    assert rejected and all(line.endswith(f":1: {UNRECOGNISED}") for line in rejected)
    assert {Path(line.split(": ", 2)[1].rsplit(":", 1)[0]).suffix for line in rejected} <= {".md", ".txt"}
    with pytest.raises(NothingFoundError) as caught:
        build([str(tree)], work / "tree-out")
    skipped = dict(caught.value.skipped)
    assert skipped[f"{tree}/exports/"] == "output folder of a kg build (holds .kg/)"
    assert {skipped[f"{tree}/{name}"] for name in ("papers.jsonl", "graph.json", "corpus.json", "old/report.json",
                                                    "old/topics.html", "old/topics.vosviewer.json")} == {
        "kg output: papers.jsonl", "kg output: graph.json", "kg output: corpus.json", "kg output: report.json",
        "kg output: HTML map page", "kg output: VOSviewer map"}
    assert skipped[f"{tree}/graph.nq"] == "RDF or graph data (.nq)"
    assert skipped[f"{tree}/kg/build/run.py"] == "source code (.py)"
    assert skipped[f"{tree}/pyproject.toml"] == "configuration (.toml)"
    assert skipped[f"{tree}/Makefile"] == "configuration (Makefile)"
    py = sorted(str(p) for p in tree.rglob("*.py") if "__pycache__" not in p.parts)
    assert len(py) > 100 and all(skipped[path] == "source code (.py)" for path in py)
    assert not (work / "tree-out").exists()
