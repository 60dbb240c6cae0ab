"""How fast the collaboration map of the dev corpus becomes usable in headless Chromium, next to the
same graph written by plain pyvis defaults.

Builds the Corpus of ../shared/corpus without NLP (ingest + resolve with empty extractions: the
co-authorship graph needs no topics), writes `collaboration.html` with kg.viz, opens it in headless
Chromium and prints: nodes/edges shown, file size, Python build time, time until the map is drawn
(positions are precomputed, so drawn = stable), time for the page to answer a search (focus +
neighbourhood highlight + redraw) and the time of one full redraw (what a pan or zoom costs).
Then the same shown graph goes through ``pyvis.network.Network.from_nx`` + ``write_html`` with
pyvis' defaults (physics on, stabilisation of 1,000 iterations) and the wait for its stabilisation
is capped (default 120 s: "did not stabilise" past it).

    python bench/viz_speed.py [--corpus ../shared/corpus] [--max-nodes 5000 ...] [--pyvis-timeout 120]
                              [--no-pyvis] [--out bench/out/viz]

Needs Debian's chromium and chromium-driver (scripts/install_browser.sh) and PyPI selenium.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.viz.browser import chromium, unavailable  # noqa: E402

READY = "return !!(window.kgView && window.kgView.ready)"


def build_corpus(path: Path):
    from kg.ingest import read_inputs
    from kg.model import Extraction
    from kg.resolve import resolve

    entries = list(read_inputs([str(path)]).entries)
    return resolve(entries, [Extraction()] * len(entries))


def wait(driver, script: str, timeout: float, poll: float = 0.05) -> float | None:
    """Seconds until `script` returns true, or None after `timeout`."""
    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            if driver.execute_script(script):
                return time.perf_counter() - start
        except Exception:  # page still loading
            pass
        time.sleep(poll)
    return None


def measure_kg(driver, page: Path) -> dict:
    start = time.perf_counter()
    driver.get(page.as_uri())
    if wait(driver, READY, 120) is None:
        return {"ready_s": None}
    ready = time.perf_counter() - start
    info = driver.execute_script(
        "return {nodes: kgView.nodeCount, edges: kgView.edgeCount, totalNodes: kgView.totalNodes,"
        " totalEdges: kgView.totalEdges, readyMs: kgView.readyMs}")
    # the biggest node's label: search it, wait for the redraw that shows the highlight
    respond = driver.execute_async_script("""
        var done = arguments[arguments.length - 1], net = kgView.network;
        var ids = net.body.nodeIndices, best = ids[0], size = -1;
        ids.forEach(function (id) { var v = net.body.nodes[id].options.value; if (v > size) { size = v; best = id; } });
        var label = net.body.nodes[best].options.label, t = performance.now();
        net.once('afterDrawing', function () { done([performance.now() - t, label, kgView.selected === best]); });
        kgView.search(label);
    """)
    frame = driver.execute_script("""
        var net = kgView.network, t = performance.now();
        for (var i = 0; i < 5; i++) net.redraw();
        return (performance.now() - t) / 5;
    """)
    logs = [e for e in driver.get_log("browser") if e.get("level") == "SEVERE"]
    return {**info, "ready_s": ready, "search_ms": respond[0], "search_ok": respond[2], "frame_ms": frame,
            "errors": len(logs)}


def measure_pyvis(driver, shown, out: Path, timeout: float) -> dict:
    from pyvis.network import Network

    g = shown.copy()
    for n, d in g.nodes(data=True):  # only what pyvis can take: label, title, size
        for key in list(d):
            if key not in ("label",):
                del d[key]
        d["title"] = g.nodes[n]["label"]
    for _u, _v, d in g.edges(data=True):
        for key in list(d):
            if key != "weight":
                del d[key]
    cwd = os.getcwd()
    work = out / "pyvis"
    work.mkdir(parents=True, exist_ok=True)
    os.chdir(work)  # pyvis copies its lib/ folder into the working directory
    try:
        t = time.perf_counter()
        net = Network()
        net.from_nx(g)
        net.write_html("collaboration_pyvis.html")
        build = time.perf_counter() - t
    finally:
        os.chdir(cwd)
    page = work / "collaboration_pyvis.html"
    driver.set_script_timeout(timeout + 30)
    start = time.perf_counter()
    driver.get(page.as_uri())
    # pyvis hides its loading bar on stabilizationIterationsDone; vis keeps `stabilized` false until then
    hook = """
        if (typeof network === 'undefined' || !network) return false;
        if (!window.__kgHooked) { window.__kgHooked = true; window.__kgStable = false;
            network.on('stabilizationIterationsDone', function () { window.__kgStable = true; });
            network.on('stabilized', function () { window.__kgStable = true; }); }
        return window.__kgStable || (network.physics && network.physics.stabilized === true);
    """
    stable = wait(driver, hook, timeout, poll=0.5)
    total = time.perf_counter() - start if stable is not None else None
    external = driver.execute_script(
        "return performance.getEntriesByType('resource').map(function (e) { return e.name; })"
        ".filter(function (u) { return !/^(file|data|blob):/.test(u); }).length")
    return {"build_s": build, "size": page.stat().st_size, "stable_s": total, "external": external}


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=ROOT.parent / "shared" / "corpus")
    ap.add_argument("--max-nodes", type=int, nargs="+", default=[5000])
    ap.add_argument("--pyvis-timeout", type=float, default=120.0)
    ap.add_argument("--no-pyvis", action="store_true")
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "out" / "viz")
    args = ap.parse_args(argv)
    if not args.corpus.is_dir():
        print(f"skipped: {args.corpus} not found (the dev corpus lives in ../shared/corpus)")
        return 0
    reason = unavailable()
    if reason:
        print(f"skipped: {reason}")
        return 0
    from kg.viz import DEFAULT_MAX_EDGES, select_top, write_page
    from kg.viz.graphs import collaboration_graph

    t = time.perf_counter()
    corpus = build_corpus(args.corpus)
    print(f"corpus: {len(corpus.papers):,} papers, {len(corpus.authors):,} authors "
          f"(ingest + resolve, no NLP: {time.perf_counter() - t:.1f} s)")
    args.out.mkdir(parents=True, exist_ok=True)
    print(f"{'page':<28} {'nodes':>13} {'edges':>15} {'size':>9} {'build':>7} {'drawn':>7} {'search':>8} {'frame':>7}")
    results = []
    with chromium(1400, 900) as driver:
        for max_nodes in args.max_nodes:
            page = args.out / f"collaboration_{max_nodes}.html"
            t = time.perf_counter()
            write_page("collaboration", corpus, page, max_nodes=max_nodes)
            build = time.perf_counter() - t
            r = measure_kg(driver, page)
            results.append((max_nodes, r))
            if r["ready_s"] is None:
                print(f"kg.viz max_nodes={max_nodes}: not drawn within 120 s")
                continue
            print(f"{'kg.viz max_nodes=' + str(max_nodes):<28} {r['nodes']:>6,}/{r['totalNodes']:<6,} "
                  f"{r['edges']:>7,}/{r['totalEdges']:<7,} {page.stat().st_size / 1e6:>7.1f}MB {build:>6.1f}s "
                  f"{r['ready_s']:>6.2f}s {r['search_ms']:>6.0f}ms {r['frame_ms']:>5.0f}ms"
                  + ("" if r["search_ok"] and not r["errors"] else f"  (search ok: {r['search_ok']}, console errors: {r['errors']})"))
        if not args.no_pyvis:
            max_nodes = args.max_nodes[0]
            shown = select_top(collaboration_graph(corpus), max_nodes, DEFAULT_MAX_EDGES)
            p = measure_pyvis(driver, shown, args.out, args.pyvis_timeout)
            stable = f"{p['stable_s']:.1f}s" if p["stable_s"] is not None else f"did not stabilise in {args.pyvis_timeout:.0f} s"
            print(f"{'pyvis defaults (same graph)':<28} {shown.number_of_nodes():>6,}{'':7} {shown.number_of_edges():>7,}{'':8} "
                  f"{p['size'] / 1e6:>7.1f}MB {p['build_s']:>6.1f}s  stable: {stable}; "
                  f"requests leaving the file: {p['external']}")
    print("drawn = from navigation until the map is drawn (kg.viz: layout precomputed, physics off);"
          " search = search + focus + neighbourhood highlight + redraw; frame = one full redraw (pan/zoom)")
    ok = any(n >= 5000 and r["ready_s"] is not None and r["ready_s"] + r["search_ms"] / 1000 <= 3.0
             for n, r in results)
    print(f"target (>= 5,000 nodes interactive within 3 s): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
