"""What kg does not read: files and folders that are plainly not paper documents.

A reader claims a file only on positive evidence of its format (see each reader's ``detect``). Apart
from that, every file kg comes across ends one of three ways:

* **read** — a reader claims it (or ``--format`` names one) and its entries go into the graph;
* **rejected** — it looks like a paper document but cannot be read: reported with file and line in
  ``report.json`` ``rejected`` and on stderr, and the build exits 3;
* **skipped** — it is plainly not a paper document: listed in ``report.json`` ``skipped`` as
  ``{"file", "reason"}``, summarised in one line on stderr, never a reject, never exit 3.

Skipped, checked in this order:

1. Folders (walked into no further; listed once, with a trailing ``/``): the output folder of a kg
   build (it holds ``.kg/``, or both ``report.json`` and ``graph.json``), a kg export folder (it holds
   ``nodes_Paper.csv``), a Python virtual environment (``pyvenv.cfg``), ``__pycache__``,
   ``node_modules``, ``*.egg-info`` and ``*.dist-info``. Hidden files and folders (name starting with
   ``.``) are not read and not listed, as before.
2. By name, without opening the file: source code, configuration, lock files, licence texts and
   package metadata; images, PDF, office documents, archives, fonts, audio and video, compiled and
   other binary files; tabular, RDF and graph data (tables below).
3. By content, after decoding: one of kg's own outputs whatever its name (``papers.jsonl``,
   ``graph.json``, ``corpus.json``, ``report.json``, a VOSviewer map, an N-Quads shard manifest, an
   HTML map page); a script (first line ``#!``); binary content in a file whose extension is not one
   of a text document (a ``.txt``, ``.md``, ``.bib``, ``.json`` … holding binary data stays a reject:
   the file was meant to be text).

Everything else goes to the readers. A project's own documentation (README, CHANGELOG, CONTRIBUTING,
CODE_OF_CONDUCT, AUTHORS, HISTORY, NEWS, CHANGES, SECURITY, any extension) that no reader claims is
skipped too — a paper-list README that a reader does claim is read. Any other text file no reader claims is a reject, "no reader recognises
this file": a ``.txt``, ``.md``, ``.json`` or extension-less file is a document someone may have
meant as input. In markdown files, fenced code blocks and inline code are left out of detection:
an example quoted in documentation is not an entry.

``--format NAME`` forces the reader for every file that is read, but the skip rules above still
apply: kg's own outputs, binaries, code and configuration are never fed to a reader.
"""

from __future__ import annotations

import json
import os
import re

__all__ = ["skipped_folder", "skipped_by_name", "skipped_by_content", "skipped_binary", "detection_text",
           "unclaimed_documentation",
           "TEXT_DOCUMENT_SUFFIXES"]

# Extensions of text documents: binary content in one is a damaged or misnamed file (a reject).
TEXT_DOCUMENT_SUFFIXES = frozenset(
    "txt text md markdown mdown mkd rst org tex bib bibtex json jsonl ndjson html htm xhtml".split()
)
_MARKDOWN_SUFFIXES = frozenset({"md", "markdown", "mdown", "mkd"})


def _kinds(table: dict[str, str]) -> dict[str, str]:
    return {suffix: kind for kind, suffixes in table.items() for suffix in suffixes.split()}


# extension (lower case, without the dot) → what the file is
_BY_SUFFIX = _kinds({
    "source code": "py pyi pyx pxd pyc pyo ipynb c h cc cpp cxx hpp hh m mm java kt kts scala groovy go rs swift "
                   "js mjs cjs jsx ts tsx vue svelte rb php pl pm lua r jl hs ml cs fs vb dart ex exs erl clj "
                   "sh bash zsh fish ps1 bat cmd awk sql rq sparql cypher css scss sass less j2 jinja jinja2 "
                   "tmpl mustache hbs asm zig nim diff patch",
    "configuration": "toml ini cfg conf yaml yml properties env editorconfig plist",
    "lock file": "lock",
    "log file": "log",
    "image": "png jpg jpeg gif bmp tif tiff webp ico icns heic svg psd ai eps",
    "PDF document": "pdf ps djvu",
    "office document": "doc docx odt rtf xls xlsx ods ppt pptx odp epub mobi",
    "archive": "zip gz tgz bz2 xz zst 7z rar tar lz4 whl egg jar war",
    "binary file": "so dylib dll exe o a lib obj class wasm bin pkl pickle npy npz pt pth ckpt safetensors onnx "
                   "h5 hdf5 parquet feather arrow avro orc sqlite sqlite3 db mdb",
    "font": "ttf otf woff woff2 eot",
    "audio or video": "mp3 wav flac ogg m4a mp4 mkv mov avi webm",
    "tabular data": "csv tsv psv",
    "XML data": "xml",
    "RDF or graph data": "rdf owl nt nq ttl trig n3 jsonld graphml gexf gml dot",
})
_BY_NAME = {
    **dict.fromkeys(["Makefile", "makefile", "GNUmakefile", "Dockerfile", "Containerfile", "Vagrantfile", "Procfile",
                     "Jenkinsfile", "Pipfile", "Gemfile", "Rakefile", "Brewfile", "CMakeLists.txt", "MANIFEST.in",
                     "package.json", "tsconfig.json", "jsconfig.json", "composer.json", "go.mod", "CODEOWNERS"],
                    "configuration"),
    **dict.fromkeys(["package-lock.json", "go.sum", "pnpm-lock.yaml"], "lock file"),
    **dict.fromkeys(["PKG-INFO", "METADATA", "RECORD", "WHEEL", "INSTALLER"], "package metadata"),
}
# kinds a user may have meant as input: say how to make them readable
_HINTS = {"PDF document": ": kg reads text files; extract the text first",
          "office document": ": kg reads text files; save it as plain text first"}
_REQUIREMENTS_RE = re.compile(r"^(?:requirements|constraints)[\w.\-]*\.(?:txt|in)$", re.IGNORECASE)
_LICENCE_RE = re.compile(r"(?:^|[.\-_])licen[cs]e(?:[.\-_]|$)|^(?:copying|notice)(?:[.\-_]|$)", re.IGNORECASE)


_PROJECT_DOC_RE = re.compile(
    r"^(?:readme|changelog|changes|history|news|contributing|code_of_conduct|authors|security)(?:[.\-_].*)?$",
    re.IGNORECASE)


def unclaimed_documentation(path: str) -> str | None:
    """Why a file no reader claimed is skipped rather than rejected: a project's own documentation
    (README.md, CHANGELOG…), or None. Asked only after detection, as reading-list READMEs are input."""
    name = os.path.basename(path)
    return f"project documentation ({name}), not a paper document" if _PROJECT_DOC_RE.match(name) else None


def _suffix(name: str) -> str:
    stem, dot, suffix = name.rpartition(".")
    return suffix.lower() if dot and stem else ""


def skipped_folder(folder: str, dirs, names) -> str | None:
    """Why the folder `folder` (holding sub-folders `dirs` and files `names`) is not walked, or None."""
    base = os.path.basename(os.path.normpath(folder))
    names = set(names)
    if ".kg" in dirs:
        return "output folder of a kg build (holds .kg/)"
    if {"report.json", "graph.json"} <= names:
        return "output folder of a kg build (holds report.json and graph.json)"
    if "nodes_Paper.csv" in names:
        return "kg export folder (holds nodes_Paper.csv)"
    if "pyvenv.cfg" in names:
        return "Python virtual environment"
    if base == "__pycache__":
        return "Python bytecode cache"
    if base == "node_modules":
        return "JavaScript packages (node_modules)"
    if base.endswith((".egg-info", ".dist-info")):
        return "Python package metadata"
    return None


def skipped_by_name(path: str) -> str | None:
    """Why the file at `path` is not read, from its name alone, or None."""
    name = os.path.basename(path)
    if name in _BY_NAME:
        return f"{_BY_NAME[name]} ({name})"
    if _REQUIREMENTS_RE.match(name):
        return f"configuration ({name})"
    if _LICENCE_RE.search(name):
        return "licence text"
    suffix = _suffix(name)
    kind = _BY_SUFFIX.get(suffix)
    return f"{kind} (.{suffix}){_HINTS.get(kind, '')}" if kind else None


# kg's own outputs, told by how they begin (kg.export, kg.build.records, kg.viz): (reason, pattern)
_KG_OUTPUTS = (
    ("kg output: report.json", re.compile(r'\A\{\s*"inputs":\s*\{\s*"files":')),
    ("kg output: graph.json", re.compile(r'\A\{\s*"directed":\s*(?:true|false),\s*"edges":\s*\[')),
    ("kg output: corpus.json", re.compile(r'\A\{\s*"corpus":\s*\{\s*"authors":')),
    ("kg output: VOSviewer map", re.compile(r'\A\{\s*"config":\s*\{\s*"terminology":')),
    ("kg output: N-Quads shard manifest", re.compile(r'\A\{\s*"format":\s*"application/n-quads"')),
    ("kg output: HTML map page", re.compile(r"\A\s*<!DOCTYPE html>.{0,4000}?<title>[^<]{0,300} — kg</title>", re.DOTALL)),
)
_PAPER_RECORD_KEYS = frozenset({"id", "title", "authors", "lang", "sources"})


def _is_papers_jsonl(text: str) -> bool:
    """The first line is a papers.jsonl record (kg.export.papers_jsonl): its keys and a prefixed id."""
    if not text.startswith('{"id": '):
        return False
    first = text[: text.find("\n")] if "\n" in text[:1_000_000] else text[:1_000_000]
    try:
        record = json.loads(first)
    except (ValueError, RecursionError):
        return False
    return (isinstance(record, dict) and _PAPER_RECORD_KEYS <= record.keys() and isinstance(record["id"], str)
            and re.match(r"^[a-z]+:\S", record["id"]) is not None)


def skipped_by_content(text: str) -> str | None:
    """Why the decoded file is not read though its name allowed it, or None: one of kg's outputs, a script."""
    head = text.lstrip("\ufeff")
    if _is_papers_jsonl(head):
        return "kg output: papers.jsonl"
    for reason, pattern in _KG_OUTPUTS:
        if pattern.match(head[:8000]):
            return reason
    if head.startswith("#!"):
        return "script (starts with #!)"
    return None


def skipped_binary(path: str, reason: str) -> str | None:
    """`reason` ("binary data (…)", from decoding) when the file's extension is not a text document's, else None."""
    if _suffix(os.path.basename(path)) in TEXT_DOCUMENT_SUFFIXES:
        return None  # meant as text: a reject, so the user hears of it
    return reason


_FENCE_RE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_INLINE_CODE_RE = re.compile(r"`+[^`\n]*`+")


def detection_text(text: str, path: str) -> str:
    """What format detection looks at: in a markdown file, the text without fenced code blocks and
    inline code (examples quoted in documentation); any other file as it is."""
    if _suffix(os.path.basename(path)) not in _MARKDOWN_SUFFIXES:
        return text
    kept, fence = [], None
    for line in text.split("\n"):
        m = _FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group(1)
        elif fence is not None and m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence) \
                and not line.strip().strip(fence[0]):
            fence = None
        elif fence is None:
            kept.append(_INLINE_CODE_RE.sub(" ", line))
            continue
        kept.append("")  # blank, so line numbers stay where they were
    return "\n".join(kept)
