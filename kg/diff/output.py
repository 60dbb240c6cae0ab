"""Writing the changes between two builds: changes.json, changes.html, the table `kg diff` prints,
and what a build writes beside its outputs when its folder held a previous build."""

from __future__ import annotations

import json
import os
from pathlib import Path

from ..errors import InputError
from ..util.atomic import atomic_open
from .compute import ENTITY_KINDS, compute_changes, read_snapshot
from .page import MAP_PAGES, render_changes_html

__all__ = ["CHANGES_JSON", "CHANGES_HTML", "changes_text", "format_table", "write_changes", "build_changes",
           "remove_changes", "map_links"]

CHANGES_JSON = "changes.json"
CHANGES_HTML = "changes.html"

_ROWS = ("papers", "authors", "institutions", "topics", *ENTITY_KINDS, "collaborations", "sources")


def changes_text(changes: dict) -> str:
    """changes.json's text: indented, UTF-8 as it is, keys in the document's own order, a final newline."""
    return json.dumps(changes, ensure_ascii=False, indent=1) + "\n"


def format_table(changes: dict) -> str:
    """What `kg diff` prints: the counts of what was added, removed and grown (more papers now), then
    the new papers, one a line (id, title)."""
    summary = changes["summary"]
    lines = [f"{changes['old']['papers']} → {changes['new']['papers']} papers"]
    width = max(map(len, _ROWS))
    lines.append(f"{'':{width}}  {'added':>7}  {'removed':>7}  {'grown':>7}")
    for row in _ROWS:
        counts = summary[row]
        grown = counts.get("grown")
        lines.append(f"{row:{width}}  {counts['added']:>7}  {counts['removed']:>7}  {'' if grown is None else grown:>7}")
    papers, authors = summary["papers"]["reidentified"], summary["authors"]["reidentified"]
    if papers or authors:
        lines.append(f"known under a new id: {_count(papers, 'paper')}, {_count(authors, 'author')}")
    for key, heading in (("added", "new papers:"), ("removed", "removed papers:")):
        if changes["papers"][key]:
            lines.append(heading)
            # a title on one line, whatever line breaks it holds
            lines += [f"  {p['id']}  {' '.join((p['title'] or '').split())}" for p in changes["papers"][key]]
    return "\n".join(line.rstrip() for line in lines)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def map_links(out_dir, new_dir) -> dict[str, str]:
    """View -> the link from a page in `out_dir` to that map of the build in `new_dir`, for the maps
    that folder holds."""
    new_dir, out_dir = Path(new_dir), Path(out_dir)
    links = {}
    for view, (file, _) in MAP_PAGES.items():
        if (new_dir / file).is_file():
            links[view] = Path(os.path.relpath(new_dir / file, out_dir)).as_posix()
    return links


def write_changes(changes: dict, out_dir, maps: dict[str, str] | None = None) -> list[str]:
    """Write changes.json and changes.html into `out_dir` (atomically; created when missing); the
    paths. `maps`: the links to the maps from there (see render_changes_html)."""
    out_dir = Path(out_dir)
    paths = [out_dir / CHANGES_JSON, out_dir / CHANGES_HTML]
    for path, text in zip(paths, (changes_text(changes), render_changes_html(changes, maps))):
        with atomic_open(path) as handle:
            handle.write(text)
    return [str(path) for path in paths]


def build_changes(previous, staged, out_dir, maps: bool) -> list[str]:
    """The build's hook: changes.json and changes.html in `out_dir` (the staging folder), from the
    papers.jsonl `previous` (the build the output folder holds, about to be replaced) to `staged`
    (the build's own). Nothing, and [], when there is no previous build: no papers.jsonl, or one
    that cannot be read as one. `maps`: the build writes its maps beside (linked from the page)."""
    try:
        old = read_snapshot(previous) if Path(previous).is_file() else None
    except InputError:
        old = None  # not a papers.jsonl kg can read: no previous build to compare with
    if old is None:
        return []
    links = {view: file for view, (file, _) in MAP_PAGES.items()} if maps else {}
    # an update that changed no paper writes the same papers.jsonl: read once, it is both builds
    new = old if _same_bytes(previous, staged) else staged
    return write_changes(compute_changes(old, new), out_dir, links)


def _same_bytes(a, b, chunk: int = 1 << 20) -> bool:
    """Whether the files `a` and `b` hold the same bytes."""
    if os.path.getsize(a) != os.path.getsize(b):
        return False
    with open(a, "rb") as first, open(b, "rb") as second:
        while True:
            block = first.read(chunk)
            if block != second.read(chunk):
                return False
            if not block:
                return True


def remove_changes(folder) -> None:
    """Remove changes.json and changes.html from `folder`: after a build that had no previous build to
    compare with, so the files there always compare the folder's last two builds."""
    for name in (CHANGES_JSON, CHANGES_HTML):
        Path(folder, name).unlink(missing_ok=True)
