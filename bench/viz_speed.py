"""Speed and legibility of the interactive map pages (kg.viz: sigma.js + WebGL) in headless
Chromium, and the same pages drawn by the previous renderer (vis-network on a 2D canvas, commit
bb459f2), measured side by side in one run.

1. Each view (collaboration, institutions, topics) of a build folder (default /tmp/dev, the dev
   corpus), written at `--max-nodes` (default 5,000, as `kg viz` does): page size, Python write
   time, time to ready (wall clock from `driver.get` until `kgView.ready`), the page's own readyMs
   (performance.now() at its first full draw, i.e. from navigation start), then for the labels
   drawn (`kgView.labels()`): how many, how many pairs overlap (boxes intersecting by more than
   0.5 px in both directions) and how many are cut by the map (`kgView.mapBox()`), in the network
   mode, after `setMode('overlay')` and after `setMode('density')`, and the label count after
   zooming in 4x (camera ratio / 4) in the network mode. A screenshot of each view and mode is
   saved to `--shots` as {view}-{mode}.png (and {view}-network-zoom4.png).
2. Renderers compared on the collaboration view at each of `--sizes` max nodes (default 5,000 and
   50,000; the dev corpus has ~32.5k authors, so 50,000 shows them all). The new page is written by
   this working tree, the old one by commit bb459f2 checked out in a git worktree (`--old-tree`,
   created with `git worktree add --detach` when missing) and imported in a subprocess that puts
   that tree first on sys.path and drops the editable-install finder; both get the same corpus
   (pickled) and options. Each page opens in a fresh headless Chromium (1400 x 900): time to ready
   (wall clock; capped by `--timeout`, "not ready" past it), readyMs as reported (new: from
   navigation start; old: from the start of its script), one full redraw (mean of 5 in one script:
   new `kgView.sigma.refresh()`, old `kgView.network.redraw()`), the same with one pixel of each
   canvas read back after it (so the rasterisation that Chromium defers is counted too), a pan/zoom
   frame (mean of 5: new camera setState with another ratio and position then refresh, and then
   render only, which is what sigma runs on a camera move; old `network.moveTo({scale, position})`
   then redraw), the file size, the JS heap (performance.memory.usedJSHeapSize) and the frames per
   second the page delivers during a 3 s animated zoom in and out (what a reader sees; this machine
   has no GPU, so Chromium rasterises WebGL in software, SwiftShader); the new page
   hides unlinked and paired nodes by default, so its frame costs are measured again with them shown
   (row new+all, after `kgView.setFilters({detached: true})`). Ratios old/new follow. A page of
   50,000 real nodes needs a bigger corpus: `--replica DIR` (a build folder) adds its collaboration
   page at the largest size (bench/scale.py's replica repeats the same authors: ~33k of them), and
   `--copies K` adds one of the corpus copied K times in memory (each copy's authors and papers
   renamed, so the co-authorship graph is K disjoint copies of the real one); otherwise the output
   says how many nodes the largest page has.

    python bench/viz_speed.py [--graph /tmp/dev] [--views collaboration,institutions,topics]
        [--max-nodes 5000] [--sizes 5000,50000 | --quick] [--no-old] [--replica DIR] [--copies K]
        [--timeout 180] [--shots bench/out/viz] [--old-tree /tmp/kg-old]

`--quick` uses size 2,000 only. Needs Debian's chromium and chromium-driver
(scripts/install_browser.sh) and PyPI selenium; the old renderer needs git.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.viz.browser import chromium, unavailable  # noqa: E402

OLD_COMMIT = "bb459f2"
VIEWS = ("collaboration", "institutions", "topics")
MODES = ("network", "overlay", "density")
WIDTH, HEIGHT = 1400, 900
READY = "return !!(window.kgView && window.kgView.ready)"
FRAMES = """var done = arguments[arguments.length - 1];
requestAnimationFrame(function () { requestAnimationFrame(function () { done(true); }); });"""
LABELS = "return [kgView.labels(), kgView.mapBox()]"

# the old page writer, run in a subprocess: argv = old tree, pickled corpus, JSON [[view, path, max_nodes], ...]
OLD_WRITER = r"""
import json, pickle, sys, time
tree = sys.argv[1]
editable = lambda f: str(getattr(f, "__module__", "")).startswith("__editable__")
sys.meta_path[:] = [f for f in sys.meta_path if not editable(f)]
sys.path_hooks[:] = [h for h in sys.path_hooks if not editable(h)]
sys.path_importer_cache.clear()
sys.path.insert(0, tree)
import kg
assert kg.__file__.startswith(tree), kg.__file__
from kg.viz import write_page
with open(sys.argv[2], "rb") as f:
    corpus = pickle.load(f)
times = []
for view, path, max_nodes in json.loads(sys.argv[3]):
    t = time.perf_counter()
    write_page(view, corpus, path, max_nodes=max_nodes)
    times.append(time.perf_counter() - t)
print(json.dumps(times))
"""

NEW_REDRAW = """
var s = kgView.sigma, gls = Object.values(s.webGLContexts || {}), px = new Uint8Array(4), i, t;
t = performance.now();
for (i = 0; i < 5; i++) s.refresh();
var plain = (performance.now() - t) / 5;
t = performance.now();
for (i = 0; i < 5; i++) { s.refresh(); gls.forEach(function (gl) { gl.readPixels(0, 0, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px); }); }
var synced = (performance.now() - t) / 5;
var c = s.getCamera(), st = c.getState();
t = performance.now();
for (i = 0; i < 5; i++) {
  c.setState({x: st.x + (i % 2 ? 0.02 : -0.02), y: st.y, ratio: st.ratio * (i % 2 ? 0.8 : 1.25), angle: st.angle});
  s.refresh();
}
var zoom = (performance.now() - t) / 5;
t = performance.now();
for (i = 0; i < 5; i++) {
  c.setState({x: st.x + (i % 2 ? 0.02 : -0.02), y: st.y, ratio: st.ratio * (i % 2 ? 0.8 : 1.25), angle: st.angle});
  s.render();
}
var zoomRender = (performance.now() - t) / 5;
c.setState(st); s.refresh();
return {redraw: plain, synced: synced, zoom: zoom, zoomRender: zoomRender};
"""

OLD_REDRAW = """
var n = kgView.network, i, t, ctx = null;
try { ctx = n.canvas.frame.canvas.getContext("2d"); } catch (e) {}
t = performance.now();
for (i = 0; i < 5; i++) n.redraw();
var plain = (performance.now() - t) / 5;
t = performance.now();
for (i = 0; i < 5; i++) { n.redraw(); if (ctx) ctx.getImageData(0, 0, 1, 1); }
var synced = (performance.now() - t) / 5;
var scale = n.getScale(), at = n.getViewPosition(), step = 0.02 * Math.max(window.innerWidth, 1) / scale;
t = performance.now();
for (i = 0; i < 5; i++) {
  n.moveTo({scale: scale * (i % 2 ? 0.8 : 1.25), position: {x: at.x + (i % 2 ? step : -step), y: at.y}, animation: false});
  n.redraw();
}
var zoom = (performance.now() - t) / 5;
n.moveTo({scale: scale, position: at, animation: false}); n.redraw();
return {redraw: plain, synced: synced, zoom: zoom, zoomRender: null};
"""

# what a reader sees while zooming: frames the page delivers during a 3 s animated zoom in and out
# (requestAnimationFrame callbacks; every frame is a full draw of the map, labels included)
ANIMATE_NEW = """
var done = arguments[arguments.length - 1], s = kgView.sigma, c = s.getCamera(), st = c.getState(), frames = 0;
var t0 = performance.now();
function tick() { frames++; if (performance.now() - t0 < 3000) requestAnimationFrame(tick); }
requestAnimationFrame(tick);
c.animate({ratio: st.ratio / 3}, {duration: 1500}).then(function () { return c.animate(st, {duration: 1500}); });
setTimeout(function () { done(frames / ((performance.now() - t0) / 1000)); }, 3050);
"""
ANIMATE_OLD = """
var done = arguments[arguments.length - 1], n = kgView.network, scale = n.getScale(), at = n.getViewPosition(), frames = 0;
var t0 = performance.now();
function tick() { frames++; if (performance.now() - t0 < 3000) requestAnimationFrame(tick); }
requestAnimationFrame(tick);
n.moveTo({scale: scale * 3, animation: {duration: 1500, easingFunction: "linear"}});
setTimeout(function () { n.moveTo({scale: scale, position: at, animation: {duration: 1450, easingFunction: "linear"}}); }, 1550);
setTimeout(function () { done(frames / ((performance.now() - t0) / 1000)); }, 3050);
"""

INFO = """return {nodes: kgView.nodeCount, edges: kgView.edgeCount, totalNodes: kgView.totalNodes,
    totalEdges: kgView.totalEdges, readyMs: kgView.readyMs,
    heap: (performance.memory ? performance.memory.usedJSHeapSize : null)}"""


# ---- helpers -------------------------------------------------------------------------------------

def console(driver) -> list[dict]:
    """Every browser console entry of this driver so far (Chromium hands each out once)."""
    kept = driver.__dict__.setdefault("_kg_console", [])
    try:
        kept.extend(driver.get_log("browser"))
    except Exception:  # the page's thread busy
        pass
    return kept


def wait_ready(driver, timeout: float, start: float) -> float | None:
    """Seconds from `start` until the page says it is ready, or None once `timeout` has passed or
    the page's script has died (an uncaught error before kgView exists)."""
    checked = start
    while time.perf_counter() - start < timeout:
        try:
            if driver.execute_script(READY):
                return time.perf_counter() - start
            if time.perf_counter() - checked > 1:
                checked = time.perf_counter()
                if driver.execute_script("return !window.kgView") and any(
                        "Uncaught" in str(e.get("message")) for e in console(driver)):
                    return None
        except Exception:  # still loading, or the page's thread busy past the script timeout
            pass
        time.sleep(0.02)
    return None


def open_page(driver, page: Path, timeout: float) -> float | None:
    """Navigate to `page`; wall-clock seconds from `driver.get` until kgView.ready, or None."""
    driver.set_page_load_timeout(timeout)
    driver.set_script_timeout(timeout)
    start = time.perf_counter()
    try:
        driver.get(page.as_uri())
    except Exception:  # page load timeout: the wait below gives up too
        pass
    return wait_ready(driver, timeout, start)


def settle(driver) -> None:
    """Let two animation frames pass (labels are drawn after each sigma render)."""
    driver.execute_async_script(FRAMES)


def label_stats(driver) -> dict:
    """Labels drawn now: count, overlapping pairs (> 0.5 px both ways) and labels not wholly in the map."""
    labels, (mx0, my0, mx1, my1) = driver.execute_script(LABELS)
    boxes = sorted(tuple(label["box"]) for label in labels)
    overlaps = 0
    for i, (x0, y0, x1, y1) in enumerate(boxes):  # sweep along x: boxes sorted by their left edge
        for u0, v0, u1, v1 in boxes[i + 1:]:
            if u0 >= x1 - 0.5:
                break
            if min(x1, u1) - max(x0, u0) > 0.5 and min(y1, v1) - max(y0, v0) > 0.5:
                overlaps += 1
    cut = sum(1 for x0, y0, x1, y1 in boxes
              if x0 < mx0 - 0.5 or y0 < my0 - 0.5 or x1 > mx1 + 0.5 or y1 > my1 + 0.5)
    return {"labels": len(boxes), "overlaps": overlaps, "cut": cut}


def uncaught(driver) -> str:
    """The page's first uncaught script error, or ''."""
    return next((str(e["message"]) for e in console(driver) if "Uncaught" in str(e.get("message"))), "")


def severe_logs(driver) -> tuple[int, bool]:
    """(console errors, whether Chromium warned about the SwiftShader fallback)."""
    logs = console(driver)
    errors = sum(1 for e in logs if e.get("level") == "SEVERE")
    swiftshader = any("swiftshader" in str(e.get("message", "")).lower() for e in logs)
    return errors, swiftshader


def fmt_s(x: float | None) -> str:
    return "not ready" if x is None else f"{x:.2f}s"


def fmt_ms(x: float | None) -> str:
    return "-" if x is None else f"{x:.0f}ms" if x >= 10 else f"{x:.1f}ms"


def fmt_fps(x: float | None) -> str:
    return "-" if x is None else f"{x:.1f}"


def mb(n: float | None) -> str:
    return "-" if n is None else f"{n / 1e6:.1f}MB"


def ratio(old: float | None, new: float | None) -> str:
    return "-" if old is None or not new else f"{old / new:.1f}x"


def replicate(corpus, copies: int):
    """The corpus `copies` times over, each copy's papers and authors renamed (disjoint copies)."""
    replace = dataclasses.replace
    papers, authors = [], []
    for k in range(copies):
        tag = f"~{k}" if k else ""
        for p in corpus.papers:
            papers.append(replace(p, id=p.id + tag, authorships=tuple(
                replace(a, author_id=a.author_id + tag) for a in p.authorships)))
        for a in corpus.authors:
            authors.append(replace(a, id=a.id + tag, name=a.name + (f" ({k + 1})" if k else ""),
                                   mentions=tuple((pid + tag, pos) for pid, pos in a.mentions)))
    return replace(corpus, papers=tuple(papers), authors=tuple(authors))


def old_tree_ready(tree: Path) -> str | None:
    """Make sure `tree` is a checkout of OLD_COMMIT; why not, or None."""
    if not (tree / "kg" / "viz" / "page.py").is_file():
        done = subprocess.run(["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), OLD_COMMIT],
                              capture_output=True, text=True)
        if done.returncode:
            return f"git worktree add {tree} {OLD_COMMIT} failed: {done.stderr.strip()}"
    head = subprocess.run(["git", "-C", str(tree), "rev-parse", "HEAD"], capture_output=True, text=True).stdout
    want = subprocess.run(["git", "-C", str(ROOT), "rev-parse", OLD_COMMIT], capture_output=True, text=True).stdout
    if head.strip() != want.strip():
        return f"{tree} is at {head.strip()[:12]}, not {OLD_COMMIT}"
    return None


def write_old(tree: Path, corpus, jobs: list[tuple[str, Path, int]], tmp: Path) -> list[float]:
    """Write pages with the old kg.viz (subprocess importing `tree`); their write times."""
    pickled = tmp / "corpus.pickle"
    with open(pickled, "wb") as f:
        pickle.dump(corpus, f, protocol=pickle.HIGHEST_PROTOCOL)
    done = subprocess.run([sys.executable, "-c", OLD_WRITER, str(tree), str(pickled),
                           json.dumps([[v, str(p), n] for v, p, n in jobs])],
                          cwd=tmp, capture_output=True, text=True)
    pickled.unlink()
    if done.returncode:
        raise RuntimeError(f"old writer failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# ---- 1. views, modes, labels -----------------------------------------------------------------

def bench_views(corpus, views: list[str], max_nodes: int, pages: Path, shots: Path, timeout: float) -> bool:
    from kg.viz import write_page

    print(f"\n## 1. Views at max {max_nodes:,} nodes (new renderer: sigma.js / WebGL)")
    print("labels: drawn / overlapping pairs / cut by the map; ready = wall clock from driver.get")
    print(f"{'view':<14} {'nodes':>13} {'edges':>15} {'size':>8} {'write':>7} {'ready':>9} {'readyMs':>8}"
          f" {'network':>13} {'overlay':>13} {'density':>13} {'zoom4x':>7} {'errors':>6}")
    warned = False
    for view in views:
        page = pages / f"{view}.html"
        t = time.perf_counter()
        write_page(view, corpus, page, max_nodes=max_nodes)
        write = time.perf_counter() - t
        with chromium(WIDTH, HEIGHT) as driver:
            ready = open_page(driver, page, timeout)
            if ready is None:
                print(f"{view:<14} {'':>13} {'':>15} {mb(page.stat().st_size):>8} {write:>6.1f}s {'not ready':>9}"
                      f"  {uncaught(driver)}")
                continue
            info = driver.execute_script(INFO)
            settle(driver)
            counts = {}
            for mode in MODES:
                driver.execute_script("kgView.setMode(arguments[0])", mode)
                settle(driver)
                counts[mode] = label_stats(driver)
                driver.save_screenshot(str(shots / f"{view}-{mode}.png"))
            driver.execute_script("kgView.setMode('network')")
            driver.execute_script("var s = kgView.sigma, c = s.getCamera();"
                                  " c.setState({ratio: c.getState().ratio / 4}); s.refresh();")
            settle(driver)
            zoom = label_stats(driver)
            driver.save_screenshot(str(shots / f"{view}-network-zoom4.png"))
            errors, swiftshader = severe_logs(driver)
            warned = warned or swiftshader

        def cell(c: dict) -> str:
            return f"{c['labels']}/{c['overlaps']}/{c['cut']}"

        print(f"{view:<14} {info['nodes']:>6,}/{info['totalNodes']:<6,} {info['edges']:>7,}/{info['totalEdges']:<7,}"
              f" {mb(page.stat().st_size):>8} {write:>6.1f}s {fmt_s(ready):>9} {fmt_ms(info['readyMs']):>8}"
              f" {cell(counts['network']):>13} {cell(counts['overlay']):>13} {cell(counts['density']):>13}"
              f" {zoom['labels']:>7} {errors:>6}")
    print(f"screenshots: {shots}/{{view}}-{{mode}}.png and {{view}}-network-zoom4.png")
    return warned


# ---- 2. renderers compared -------------------------------------------------------------------

def measure(page: Path, old: bool, timeout: float) -> dict:
    """One page in a fresh browser: ready, readyMs, counts, redraw and pan/zoom costs, heap."""
    out = {"size": page.stat().st_size}
    with chromium(WIDTH, HEIGHT) as driver:
        out["ready"] = open_page(driver, page, timeout)
        if out["ready"] is None:
            out["died"] = uncaught(driver)
            return out
        settle(driver)
        out.update(driver.execute_script(INFO))
        frames(driver, out, OLD_REDRAW if old else NEW_REDRAW)
        if not old and out["nodes"] < out["totalNodes"]:
            # the new page hides unlinked and paired nodes by default: the same again with them shown
            driver.execute_script("kgView.setFilters({detached: true})")
            settle(driver)
            out["all"] = {"size": out["size"], "ready": None, **driver.execute_script(INFO)}
            out["all"]["readyMs"] = None
            frames(driver, out["all"], NEW_REDRAW)
        out["errors"], out["swiftshader"] = severe_logs(driver)
    return out


def frames(driver, out: dict, script: str) -> None:
    """Redraw and pan/zoom costs, and frames per second while zooming, into `out` (or why they could
    not be measured)."""
    try:
        out.update(driver.execute_script(script))
        driver.set_script_timeout(60)
        out["fps"] = driver.execute_async_script(ANIMATE_OLD if script is OLD_REDRAW else ANIMATE_NEW)
    except Exception as exc:  # a frame slower than the script timeout
        out["failed"] = type(exc).__name__


def print_row(name: str, renderer: str, r: dict, write: float | None, timeout: float) -> None:
    """One page's figures; `write` None: the same page again (another state), no load figures."""
    shown = (f"{r['nodes']:>6,}/{r['totalNodes']:<6,} {r['edges']:>7,}/{r['totalEdges']:<7,}"
             if "nodes" in r else f"{'':>13} {'':>15}")
    load = (f"{'':>8} {'':>7} {'':>9}" if write is None else
            f"{mb(r['size']):>8} {write:>6.1f}s {fmt_s(r['ready']):>9}")
    line = (f"{name:<26} {renderer:<8} {shown} {load} {fmt_ms(r.get('readyMs')):>8} {fmt_ms(r.get('redraw')):>8}"
            f" {fmt_ms(r.get('synced')):>8} {fmt_ms(r.get('zoom')):>8} {fmt_ms(r.get('zoomRender')):>8}"
            f" {mb(r.get('heap')):>8} {fmt_fps(r.get('fps')):>5} {r.get('errors', '-'):>6}")
    if "failed" in r:
        line += f"  (frame measurement failed: {r['failed']})"
    elif write is not None and r["ready"] is None:
        line += f"  ({r.get('died') or f'not ready within {timeout:.0f} s'})"
    print(line)


def bench_renderers(cases: list[tuple[str, object, int]], pages: Path, old_tree: Path | None,
                    timeout: float) -> bool:
    from kg.viz import write_page

    print("\n## 2. Renderers on the collaboration view: new (sigma.js / WebGL) vs old (vis-network, "
          f"{OLD_COMMIT})" if old_tree else "\n## 2. Collaboration view, new renderer (sigma.js / WebGL)")
    print("ready = wall clock from driver.get; readyMs as reported (new: from navigation start, old: from its"
          " script start); redraw = one full redraw; +px = with one pixel read back per canvas; zoom = camera"
          " change + redraw (new: + refresh; render = + render only); new+all = the new page after"
          " setFilters({detached: true}) (it hides unlinked and paired nodes by default, the old page draws them)")
    print(f"{'page':<26} {'renderer':<8} {'nodes':>13} {'edges':>15} {'size':>8} {'write':>7} {'ready':>9}"
          f" {'readyMs':>8} {'redraw':>8} {'+px':>8} {'zoom':>8} {'render':>8} {'heap':>8} {'fps':>5} {'errors':>6}")
    results, warned = [], False
    with tempfile.TemporaryDirectory(prefix="kg-viz-bench-") as tmp:
        for name, corpus, max_nodes in cases:
            stem = name.replace(" ", "_").replace(",", "")
            new_page, old_page = pages / f"collab-{stem}-new.html", pages / f"collab-{stem}-old.html"
            t = time.perf_counter()
            write_page("collaboration", corpus, new_page, max_nodes=max_nodes)
            rows = [("new", new_page, time.perf_counter() - t)]
            if old_tree:
                (old_write,) = write_old(old_tree, corpus, [("collaboration", old_page, max_nodes)], Path(tmp))
                rows.append(("old", old_page, old_write))
            row = {}
            for renderer, page, write in rows:
                r = measure(page, renderer == "old", timeout)
                warned = warned or r.get("swiftshader", False)
                row[renderer] = r
                print_row(name, renderer, r, write, timeout)
                if "all" in r:
                    row["new+all"] = r.pop("all")
                    print_row(name, "new+all", row["new+all"], None, timeout)
            results.append((name, row))
    if old_tree:
        print("\nold/new ratios (higher = new faster):")
        print(f"{'page':<26} {'new':<8} {'ready':>7} {'redraw':>7} {'+px':>7} {'zoom':>7} {'fps':>7}")
        for name, row in results:
            o = row["old"]
            for key in ("new", "new+all"):
                if key not in row:
                    continue
                n = row[key]
                print(f"{name:<26} {key:<8} {ratio(o.get('ready'), n.get('ready')):>7}"
                      f" {ratio(o.get('redraw'), n.get('redraw')):>7} {ratio(o.get('synced'), n.get('synced')):>7}"
                      f" {ratio(o.get('zoom'), n.get('zoom')):>7} {ratio(n.get('fps'), o.get('fps')):>7}")
    largest = max((r.get("nodes") or 0 for _name, row in results for r in row.values()), default=0)
    if largest < 50000:
        print(f"the largest page drawn has {largest:,} nodes (no 50,000-node page: give --copies 2 or a"
              " --replica build with more authors)")
    return warned


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--graph", type=Path, default=Path("/tmp/dev"), help="a `kg build` output folder")
    ap.add_argument("--views", default=",".join(VIEWS), help="views for part 1 (comma-separated; '' skips it)")
    ap.add_argument("--max-nodes", type=int, default=5000, help="page size of part 1")
    ap.add_argument("--sizes", default="5000,50000", help="max nodes of the collaboration pages of part 2")
    ap.add_argument("--quick", action="store_true", help="part 2 at size 2,000 only")
    ap.add_argument("--no-old", action="store_true", help="skip the old vis-network renderer")
    ap.add_argument("--replica", type=Path, help="a bigger build folder: its collaboration page at the largest size")
    ap.add_argument("--copies", type=int, default=0, help="also the corpus copied K times in memory, at the largest size")
    ap.add_argument("--timeout", type=float, default=180.0, help="seconds a page may take to be ready")
    ap.add_argument("--shots", type=Path, default=ROOT / "bench" / "out" / "viz")
    ap.add_argument("--old-tree", type=Path, default=Path("/tmp/kg-old"))
    args = ap.parse_args(argv)
    views = [v for v in args.views.split(",") if v]
    unknown = sorted(set(views) - set(VIEWS))
    if unknown:
        ap.error(f"unknown views: {', '.join(unknown)}")
    sizes = [2000] if args.quick else sorted({int(s) for s in args.sizes.split(",") if s})
    if not (args.graph / "corpus.json").is_file():
        print(f"skipped: {args.graph} is not a kg build folder (no corpus.json)")
        return 0
    reason = unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    old_tree = None
    if not args.no_old:
        reason = old_tree_ready(args.old_tree)
        if reason:
            print(f"old renderer skipped: {reason}")
        else:
            old_tree = args.old_tree
    from kg.build import BuildDir

    print(f"machine: {os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.2f} at the start"
          " (timings are wall clock: other work on the machine inflates them)")
    t = time.perf_counter()
    corpus = BuildDir(args.graph).read_corpus()
    print(f"corpus {args.graph}: {len(corpus.papers):,} papers, {len(corpus.authors):,} authors,"
          f" {len(corpus.institutions):,} institutions (read in {time.perf_counter() - t:.1f} s)")
    args.shots.mkdir(parents=True, exist_ok=True)
    pages = args.shots / "pages"
    pages.mkdir(exist_ok=True)
    warned = False
    if views:
        warned = bench_views(corpus, views, args.max_nodes, pages, args.shots, args.timeout)
    cases: list[tuple[str, object, int]] = [(f"dev max {n:,}", corpus, n) for n in sizes]
    if args.replica:
        t = time.perf_counter()
        replica = BuildDir(args.replica).read_corpus()
        print(f"\nreplica {args.replica}: {len(replica.papers):,} papers, {len(replica.authors):,} authors"
              f" (read in {time.perf_counter() - t:.1f} s)")
        cases.append((f"replica max {max(sizes):,}", replica, max(sizes)))
    if args.copies > 1:
        copied = replicate(corpus, args.copies)
        print(f"\n{args.copies} copies in memory: {len(copied.papers):,} papers, {len(copied.authors):,} authors")
        cases.append((f"{args.copies} copies max {max(sizes):,}", copied, max(sizes)))
    warned = bench_renderers(cases, pages, old_tree, args.timeout) or warned
    print(f"\nload average {os.getloadavg()[0]:.2f} at the end")
    if warned:
        print("\nnote: Chromium warned about the automatic SwiftShader fallback (browser.py could pass"
              " --enable-unsafe-swiftshader)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
