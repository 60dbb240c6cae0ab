"""Read, rejected or skipped: readers claim files on evidence of their format; files that are plainly
not paper documents are skipped with a reason, never rejected (kg.ingest.skip)."""

import shutil

import pytest

from kg.ingest import read_file, read_inputs, scan_inputs
from kg.ingest.registry import detect_format, get_reader
from kg.ingest.skip import skipped_by_name
from kg.model import Problem

from ..conftest import ROOT, SEED_DIGEST, SEED_FEED_1, SEEDS

UNRECOGNISED = "no reader recognises this file (formats: arxiv, bibtex, digest, feed, frontmatter, oneline, paperpost, readinglist)"


@pytest.mark.parametrize("name, reason", [
    ("kg/build.py", "source code (.py)"),
    ("map.js", "source code (.js)"),
    ("queries/top.rq", "source code (.rq)"),
    ("pyproject.toml", "configuration (.toml)"),
    ("Makefile", "configuration (Makefile)"),
    ("requirements-dev.txt", "configuration (requirements-dev.txt)"),
    ("package.json", "configuration (package.json)"),
    ("uv.lock", "lock file (.lock)"),
    ("package-lock.json", "lock file (package-lock.json)"),
    ("LICENSE", "licence text"),
    ("vis-network.LICENSE-MIT", "licence text"),
    ("figure.PNG", "image (.png)"),
    ("paper.pdf", "PDF document (.pdf): kg reads text files; extract the text first"),
    ("digest.docx", "office document (.docx): kg reads text files; save it as plain text first"),
    ("data.tar.gz", "archive (.gz)"),
    ("neo4j/nodes_Paper.csv", "tabular data (.csv)"),
    ("graph.nq", "RDF or graph data (.nq)"),
    ("graph.graphml", "RDF or graph data (.graphml)"),
])
def test_files_skipped_by_name(name, reason):
    assert skipped_by_name(name) == reason


@pytest.mark.parametrize("name", ["digest.txt", "notes.md", "refs.bib", "meta.jsonl", "meta.json", "digest",
                                  "page.html", "licensed_papers.txt", "README.md"])
def test_documents_go_to_the_readers(name):
    assert skipped_by_name(name) is None


def test_a_skipped_file_is_not_opened(tmp_path):
    (tmp_path / "scan.pdf").mkdir()  # opening it would fail: a skipped name is never opened
    assert read_file(str(tmp_path / "scan.pdf")).skipped == ((str(tmp_path / "scan.pdf"), skipped_by_name("x.pdf")),)


def test_binary_content_is_skipped_unless_the_name_says_text(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"
    (tmp_path / "scan.txt").write_bytes(png)
    (tmp_path / "scan").write_bytes(png)
    named_text = read_file(str(tmp_path / "scan.txt"))
    assert named_text.problems == (Problem(str(tmp_path / "scan.txt"), None, "cannot decode: binary data (a PNG image), not text"),)
    assert named_text.skipped == ()
    unnamed = read_file(str(tmp_path / "scan"))
    assert (unnamed.problems, unnamed.skipped) == ((), ((str(tmp_path / "scan"), "binary data (a PNG image), not text"),))


def test_a_script_without_extension_is_skipped(tmp_path):
    (tmp_path / "run").write_text("#!/bin/sh\necho 1、[LG] Title\necho D Dai, L Dong\n", encoding="utf-8")
    assert read_file(str(tmp_path / "run")).skipped == ((str(tmp_path / "run"), "script (starts with #!)"),)


def test_kg_outputs_are_skipped_by_content_whatever_their_name(seed_build, seeds_dir, tmp_path):
    exports = seeds_dir / "exports"
    expected = {
        "papers.jsonl": "kg output: papers.jsonl",
        "graph.json": "kg output: graph.json",
        "corpus.json": "kg output: corpus.json",
        "report.json": "kg output: report.json",
        "topics.vosviewer.json": "kg output: VOSviewer map",
        "collaboration.html": "kg output: HTML map page",
    }
    for name, reason in expected.items():
        renamed = tmp_path / f"renamed-{name}.txt"
        shutil.copy(exports / name, renamed)
        assert read_file(str(exports / name)).skipped == ((str(exports / name), reason),)
        assert read_file(str(renamed)).skipped == ((str(renamed), reason),)
        # a forced reader does not read them either
        assert read_file(str(renamed), format="arxiv").skipped == ((str(renamed), reason),)


def test_folders_that_hold_no_documents_are_not_walked(tmp_path):
    (tmp_path / "in" / "digests").mkdir(parents=True)
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "in" / "digests" / SEED_DIGEST)
    layout = {
        "old-build/.kg/cache.sqlite": "", "old-build/papers.jsonl": "{}\n",
        "copied-build/report.json": "{}", "copied-build/graph.json": "{}", "copied-build/notes.txt": "x",
        "neo4j/nodes_Paper.csv": "id\n", "neo4j/README.md": "# kg graph for Neo4j\n",
        "venv/pyvenv.cfg": "home = /usr/bin\n", "venv/lib/site.py": "",
        "pkg/__pycache__/m.cpython-312.pyc": "", "kg_digests.egg-info/PKG-INFO": "Name: kg\n",
        ".git/HEAD": "ref: refs/heads/main\n", "node_modules/x/index.js": "",
    }
    for name, text in layout.items():
        (tmp_path / "in" / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / "in" / name).write_text(text, encoding="utf-8")
    files, folders = scan_inputs([str(tmp_path / "in")])
    base = str(tmp_path / "in")
    assert files == [f"{base}/digests/{SEED_DIGEST}"]
    assert folders == [
        (f"{base}/copied-build/", "output folder of a kg build (holds report.json and graph.json)"),
        (f"{base}/kg_digests.egg-info/", "Python package metadata"),
        (f"{base}/neo4j/", "kg export folder (holds nodes_Paper.csv)"),
        (f"{base}/node_modules/", "JavaScript packages (node_modules)"),
        (f"{base}/old-build/", "output folder of a kg build (holds .kg/)"),
        (f"{base}/pkg/__pycache__/", "Python bytecode cache"),
        (f"{base}/venv/", "Python virtual environment"),
    ]
    result = read_inputs([str(tmp_path / "in")])
    assert len(result.entries) == 5 and result.problems == () and result.skipped == tuple(folders)
    # a kg build folder given as the input is not read either
    assert read_inputs([f"{base}/old-build"]).skipped == ((f"{base}/old-build/", "output folder of a kg build (holds .kg/)"),)


def test_forced_format_still_skips_code_binaries_and_kg_outputs(tmp_path, seed_build, seeds_dir):
    shutil.copy(SEEDS / SEED_DIGEST, tmp_path / "digest.txt")
    shutil.copy(seeds_dir / "exports" / "papers.jsonl", tmp_path / "papers.jsonl")
    (tmp_path / "tool.py").write_text('"""1、[LG] Title\nD Dai, L Dong\n"""\n', encoding="utf-8")
    (tmp_path / "scan.pdf").write_bytes(b"%PDF-1.4\n")
    result = read_inputs([str(tmp_path)], format="digest")
    assert {e.source.file for e in result.entries} == {str(tmp_path / "digest.txt")}
    assert [(file.rsplit("/", 1)[1], reason) for file, reason in result.skipped] == [
        ("papers.jsonl", "kg output: papers.jsonl"),
        ("scan.pdf", "PDF document (.pdf): kg reads text files; extract the text first"),
        ("tool.py", "source code (.py)"),
    ]


DOC = """# Input formats

* **oneline** — one-line posts `《Knowledge Neurons》D Dai, L Dong [PKU] (2021) https://arxiv.org/abs/2104.08696`
* **feed** — abstracts closed by `translated by 谷歌翻译`

```
1、[CL] Knowledge Neurons in Pretrained Transformers
D Dai, L Dong, Y Hao
https://arxiv.org/abs/2104.08696
```
"""


def test_examples_quoted_as_code_in_markdown_are_not_entries(tmp_path):
    (tmp_path / "inputs.md").write_text(DOC, encoding="utf-8")
    result = read_file(str(tmp_path / "inputs.md"))
    assert (result.entries, result.skipped) == ((), ())
    assert result.problems == (Problem(str(tmp_path / "inputs.md"), 1, UNRECOGNISED),)
    # the same lines outside markdown are what they look like
    (tmp_path / "inputs.txt").write_text(DOC, encoding="utf-8")
    assert read_file(str(tmp_path / "inputs.txt")).entries


@pytest.mark.parametrize("text", [
    # numbers in code: "62, 64, 64, 42" is no digest header, "64, 64, 42" no author line
    "colours = [\n    62, 64, 64, 42,\n    64, 64, 42, 3,\n    12, 15, 18, 20,\n    13, 16, 19, 21,\n]\n",
    # a numbered list without author lines or links
    "1、第一点：数据要干净\n2、第二点：模型要简单\n3、[LG] 不是论文\n没有作者\n",
    # Python decorators are not BibTeX entries
    "@dataclass(frozen=True)\nclass A:\n    x: int\n\n@lru_cache(maxsize=None)\ndef f(): pass\n@given(ps=papers, eol=EOLS)\n",
    # JSON objects that are no paper records
    '{"id": 1, "name": "x", "authors": []}\n{"id": "2104.08696", "abstract": "no title", "authors": ""}\n',
])
def test_text_without_a_formats_evidence_is_not_claimed(text):
    assert detect_format(text)[0] is None


def test_paper_records_without_an_arxiv_id_are_a_weak_claim():
    # the arxiv reader keeps such records (without an id), but only claims them weakly; kg's own
    # papers.jsonl looks like this and is skipped by content before any detection
    text = '{"id": "text:4f2a", "title": "T", "authors": []}\n' * 3
    assert detect_format(text) == ("arxiv", 0.4)
    assert get_reader("arxiv").detect('{"id": "2104.08696", "title": "T", "authors": []}\n' + text) == 0.97


@pytest.mark.parametrize("text, name", [
    ("1、[LG] Title\nD Dai, L Dong\nAbstract.\n", "digest"),
    ("1、[LG] Title\n这是摘要\nhttps://arxiv.org/abs/2104.08696\n", "digest"),
    ("1、Title One\nD Dai, L Dong\n\n2、Title Two\nhttps://arxiv.org/abs/2104.08696\n", "digest"),
    ("@article{dai2022knowledge,\n  title={Knowledge Neurons},\n}\n", "bibtex"),
    ("@string{acl = \"ACL\"}\n@inproceedings{dai2022,\n title = {K},\n}\n", "bibtex"),
    ('{"id": "2104.08696", "title": "Knowledge Neurons", "authors": "D Dai"}\n', "arxiv"),
    ('{"id": "hep-th/9901001v2", "title": "Strings", "authors_parsed": [["Witten", "E", ""]]}\n', "arxiv"),
])
def test_a_formats_evidence_is_claimed(text, name):
    assert detect_format(text)[0] == name


def test_source_code_of_kg_is_claimed_by_no_reader():
    # kg/ingest's docstrings quote real entries of their formats; any other module claims nothing
    for path in sorted((ROOT / "kg").rglob("*.py")):
        if path.parent.name != "ingest":
            assert detect_format(path.read_text(encoding="utf-8"))[0] is None, path


def test_seeds_still_read_with_nothing_skipped():
    result = read_inputs([str(SEEDS)])
    assert len(result.entries) == 25 and result.problems == () and result.skipped == ()
    assert read_file(str(SEEDS / SEED_FEED_1)).skipped == ()


def test_project_documentation_no_reader_claims_is_skipped_but_a_paper_list_readme_is_read(tmp_path):
    project, papers = tmp_path / "project", tmp_path / "papers"
    project.mkdir()
    papers.mkdir()
    (project / "README.md").write_text("# mytool\n\nInstall it with pip, then run `mytool --help`.\n", encoding="utf-8")
    (project / "CHANGELOG").write_text("0.2: faster\n0.1: first release\n", encoding="utf-8")
    (project / "notes.md").write_text("Some notes about nothing in particular.\n", encoding="utf-8")
    shutil.copy(ROOT / "tests" / "data" / "formats" / "reading_list.md", papers / "README.md")
    docs = read_inputs([str(project)])
    assert docs.skipped == (
        (str(project / "CHANGELOG"), "project documentation (CHANGELOG), not a paper document"),
        (str(project / "README.md"), "project documentation (README.md), not a paper document"),
    )
    assert docs.problems == (Problem(str(project / "notes.md"), 1, UNRECOGNISED),)  # any other document: a reject
    listed = read_inputs([str(papers)])
    assert listed.skipped == () and [p for p in listed.problems if p.severity == "error"] == []
    assert len(listed.entries) == len(read_file(str(ROOT / "tests" / "data" / "formats" / "reading_list.md")).entries) > 0
