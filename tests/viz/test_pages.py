"""The interactive maps in a real headless Chromium (Debian's chromium + chromium-driver via Selenium).

Each seed page loads from file: with no console error and no request leaving the file, shows as
many nodes as the knowledge graph has, finds "D Dai" from the search box, filters, and exports a PNG;
a corpus of hostile names and titles opens no dialog and injects no element. A screenshot of every
seed page is written to the test's tmp dir and copied to exports/screenshots/ (KG_SCREENSHOT_DIR
overrides the folder; set it empty to skip the copy).
"""

from __future__ import annotations

import base64
import json
import os
import time
from pathlib import Path

import pytest

from kg.viz import VIEWS, write_page, write_pages

from .browser import chromium, unavailable

ROOT = Path(__file__).resolve().parents[2]
REASON = unavailable()
if REASON is not None and os.environ.get("KG_REQUIRE_BROWSER"):
    # CI sets this so a missing browser fails the run instead of skipping the map tests quietly
    raise RuntimeError(f"KG_REQUIRE_BROWSER is set but no headless Chromium is usable: {REASON}")
pytestmark = [
    pytest.mark.model,
    pytest.mark.slow,  # a browser
    pytest.mark.skipif(REASON is not None, reason=f"no headless Chromium: {REASON}"),
]
NODE_TYPE = {"collaboration": "Author", "institutions": "Institution", "topics": "Topic"}
HOSTILE_TITLE = "<img src=x onerror=alert(1)>"
HOSTILE_AUTHOR = '"><script>alert(2)</script>'
# records every dialog the page tries to open (runs before the page's own scripts)
ALERT_TRAP = """
window.__dialogs = [];
['alert', 'confirm', 'prompt'].forEach(function (name) {
  window[name] = function (message) { window.__dialogs.push(name + ':' + String(message)); };
});
"""


@pytest.fixture(scope="session")
def browser():
    with chromium(1400, 900) as driver:
        driver.set_page_load_timeout(60)
        driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": ALERT_TRAP})
        yield driver


@pytest.fixture(scope="session")
def seed_pages(seed_build, tmp_path_factory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("viz")
    paths = write_pages(seed_build.corpus, out)
    return {Path(p).stem: Path(p) for p in paths}


def open_page(driver, path: Path) -> None:
    driver.get_log("browser")  # drop what earlier pages logged
    driver.get(path.as_uri())
    deadline = time.monotonic() + 30
    while not driver.execute_script("return !!(window.kgView && window.kgView.ready)"):
        assert time.monotonic() < deadline, f"{path.name} was not drawn within 30 s"
        time.sleep(0.05)


def settle(driver, seconds: float = 0.5) -> None:
    time.sleep(seconds)  # focus animations last 300 ms


def screenshot_dirs(tmp_path: Path) -> list[Path]:
    dirs = [tmp_path]
    extra = os.environ.get("KG_SCREENSHOT_DIR", str(ROOT / "exports" / "screenshots"))
    if extra:
        dirs.append(Path(extra))
    return dirs


@pytest.mark.parametrize("view", VIEWS)
def test_page_loads_offline_without_errors(browser, seed_pages, view, tmp_path):
    open_page(browser, seed_pages[view])
    logs = browser.get_log("browser")
    assert [e for e in logs if e["level"] in ("SEVERE", "WARNING")] == []
    urls = browser.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(function (e) { return e.name; })")
    assert urls and all(u.split(":", 1)[0] in ("file", "data", "blob") for u in urls), urls
    assert browser.execute_script("return window.__dialogs") == []
    png = browser.get_screenshot_as_png()
    for folder in screenshot_dirs(tmp_path):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{view}.png").write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize("view", VIEWS)
def test_node_and_edge_counts_equal_the_graph(browser, seed_pages, seed_build, view):
    open_page(browser, seed_pages[view])
    g = seed_build.graph
    nodes = sum(1 for _, t in g.nodes(data="type") if t == NODE_TYPE[view])
    info = browser.execute_script(
        "var p = document.querySelector('#shown');"
        "return [kgView.nodeCount, kgView.totalNodes, Number(p.dataset.nodes), p.textContent,"
        " kgView.edgeCount, kgView.totalEdges]")
    assert info[0] == info[1] == info[2] == nodes
    assert f"Showing {nodes:,} of {nodes:,}" in info[3]
    relation = {"collaboration": "CO_AUTHOR", "topics": "CO_OCCURS"}.get(view)
    if relation:
        edges = sum(1 for *_, k in g.edges(keys=True) if k == relation)
        assert info[4] == info[5] == edges


def test_search_focuses_d_dai(browser, seed_pages, seed_build):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    dai = next(a for a in seed_build.corpus.authors if a.name == "D Dai")
    open_page(browser, seed_pages["collaboration"])
    box = browser.find_element(By.ID, "search")
    box.send_keys("D Dai", Keys.ENTER)
    settle(browser)
    state = browser.execute_script(
        "return [kgView.selected, kgView.network.getSelectedNodes(), document.querySelector('#details h2').textContent]")
    assert state == [dai.id, [dai.id], "D Dai"]
    # neighbourhood highlight: D Dai's co-authors keep full opacity, the rest are faded
    co = sorted(v for u, v, k in seed_build.graph.edges(dai.id, keys=True) if k == "CO_AUTHOR") + \
        sorted(u for u, v, k in seed_build.graph.in_edges(dai.id, keys=True) if k == "CO_AUTHOR")
    opacity = browser.execute_script(
        "var b = kgView.network.body; return Object.keys(b.nodes).reduce(function (o, id) {"
        " o[id] = b.nodes[id].options.opacity; return o; }, {})")
    assert co and all(opacity[n] == 1 for n in co + [dai.id])
    assert all(opacity[n] < 1 for n in opacity if n not in co and n != dai.id)
    # paper titles are text; the only links go to arXiv or code
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('#details a')).map(function (a) { return a.href; })")
    assert "https://arxiv.org/abs/2104.08696" in hrefs
    assert all(h.startswith(("https://arxiv.org/abs/", "https://github.com/", "http")) for h in hrefs)
    assert browser.execute_script("return kgView.search('no such author at all')") is None
    assert "No author matches" in browser.find_element(By.ID, "search-status").text


def test_filters_change_what_is_shown(browser, seed_pages, seed_build):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    corpus = seed_build.corpus
    open_page(browser, seed_pages["collaboration"])
    Select(browser.find_element(By.ID, "category")).select_by_visible_text(
        next(o.text for o in Select(browser.find_element(By.ID, "category")).options if o.text.startswith("cs.CL")))
    expected = {a.author_id for p in corpus.papers if p.category == "cs.CL" for a in p.authorships}
    counts = browser.execute_script("return [kgView.nodeCount, Number(document.querySelector('#shown').dataset.nodes)]")
    assert counts == [len(expected), len(expected)] and 0 < len(expected) < len(corpus.authors)
    assert "(filtered)" in browser.find_element(By.ID, "shown").text
    browser.find_element(By.ID, "reset").click()
    heavy = sum(1 for *_, k, w in seed_build.graph.edges(keys=True, data="weight") if k == "CO_AUTHOR" and w >= 2)
    assert browser.execute_script("return kgView.setFilters({minWeight: 2}).edges") == heavy
    assert browser.execute_script("return kgView.setFilters({minWeight: 1}).nodes") == len(corpus.authors)
    # years, where known
    years = sorted({p.year for p in corpus.papers if p.year and p.authorships})
    Select(browser.find_element(By.ID, "year-from")).select_by_value(str(years[-1]))
    recent = {a.author_id for p in corpus.papers if p.year and p.year >= years[-1] for a in p.authorships}
    assert browser.execute_script("return kgView.nodeCount") == len(recent) < len(corpus.authors)


def test_physics_toggle_on_small_maps(browser, seed_pages):
    from selenium.webdriver.common.by import By

    open_page(browser, seed_pages["collaboration"])
    before = browser.execute_script("return kgView.network.getPositions()")
    browser.find_element(By.ID, "physics").click()
    time.sleep(1.5)
    after = browser.execute_script("return kgView.network.getPositions()")
    assert before != after  # live forces moved the nodes
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []


def test_png_of_the_view(browser, seed_pages, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, seed_pages["topics"])
    url = browser.execute_script("return kgView.png()")
    assert url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.ID, "png").click()
    deadline = time.monotonic() + 10
    while not (tmp_path / "topics.png").exists():
        assert time.monotonic() < deadline, "the PNG button downloaded nothing"
        time.sleep(0.1)
    time.sleep(0.3)
    assert (tmp_path / "topics.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def hostile_pages(tmp_path_factory) -> dict[str, Path]:
    from kg.model import Entry, Extraction, Source
    from kg.resolve import resolve

    entries = [
        Entry(source=Source("hostile.txt", 1), format="digest", number=1, tag="LG", title=HOSTILE_TITLE,
              authors=(HOSTILE_AUTHOR, "D Dai", "<b onmouseover=alert(3)>B</b>"),
              institutions=('"><svg onload=alert(4)>', "</script><!--"),
              abstract="An abstract.", urls=("https://arxiv.org/abs/2104.08696", "javascript:alert(5)"),
              arxiv_id="2104.08696"),
        Entry(source=Source("hostile.txt", 20), format="digest", number=2, tag="CL",
              title="</script><script>alert(6)</script>", authors=(HOSTILE_AUTHOR, "&lt;i&gt;"),
              institutions=('"><svg onload=alert(4)>', "Peking University"), abstract="Another.",
              urls=("https://arxiv.org/abs/2201.00001",), arxiv_id="2201.00001"),
    ]
    extractions = [
        Extraction(topics=(("<img src=x onerror=alert(7)>", 0.9), ("</script><script>alert(8)</script>", 0.8),
                           ("<!--", 0.7)), code=("javascript:alert(9)", "https://github.com/x/<y>")),
        Extraction(topics=(("<img src=x onerror=alert(7)>", 0.9), ("\u2028line", 0.5))),
    ]
    corpus = resolve(entries, extractions)
    assert any(a.name == HOSTILE_AUTHOR for a in corpus.authors)
    out = tmp_path_factory.mktemp("hostile")
    return {view: Path(write_page(view, corpus, out / f"{view}.html")) for view in VIEWS}


def assert_nothing_injected(driver) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        text = driver.switch_to.alert.text
    except NoAlertPresentException:
        text = None
    assert text is None, f"a dialog opened: {text}"
    assert driver.execute_script("return window.__dialogs") == []
    dom = driver.execute_script("""
        return {
          img: document.querySelectorAll('img').length,
          imgx: Array.from(document.querySelectorAll('img')).filter(function (i) { return i.getAttribute('src') === 'x'; }).length,
          scripts: document.querySelectorAll('script').length,
          svg: document.querySelectorAll('svg').length,
          handlers: document.querySelectorAll('[onerror],[onload],[onmouseover]').length,
          bold: document.querySelectorAll('b, i').length,
          links: Array.from(document.querySelectorAll('a[href]')).map(function (a) { return a.getAttribute('href'); })
        };""")
    assert dom["img"] == dom["imgx"] == dom["svg"] == dom["handlers"] == dom["bold"] == 0, dom
    assert dom["scripts"] == 3, dom  # the JSON data block, vis-network, the page's script
    for href in dom["links"]:
        assert href.endswith(".html") or href.startswith(("https://arxiv.org/abs/", "https://", "http://")), href
        assert not href.lower().startswith("javascript:")


@pytest.mark.parametrize("view", VIEWS)
def test_hostile_corpus_opens_no_dialog_and_injects_nothing(browser, hostile_pages, view):
    html = hostile_pages[view].read_text(encoding="utf-8")
    block = html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["nodes"]  # the names travel as data, unchanged
    assert html.count("<script") == 3 and "<img" not in html.split('id="kg-data">', 1)[0]
    open_page(browser, hostile_pages[view])
    assert [e for e in browser.get_log("browser") if e["level"] == "SEVERE"] == []
    assert_nothing_injected(browser)
    label = {"collaboration": HOSTILE_AUTHOR, "institutions": "svg onload=alert(4)",
             "topics": "<img src=x onerror=alert(7)>"}[view]
    found = browser.execute_script("return kgView.search(arguments[0])", label)
    assert found is not None
    settle(browser)
    details = browser.execute_script(
        "var d = document.querySelector('#details'); return [d.querySelector('h2').textContent, d.textContent,"
        " d.querySelectorAll('*').length, document.querySelectorAll('#search-labels option').length]")
    assert label in details[0]
    if view != "topics":
        assert HOSTILE_TITLE in details[1]  # shown as text
    # hover the node: vis-network's tooltip holds text only
    from selenium.webdriver.common.action_chains import ActionChains

    xy = browser.execute_script(
        "var n = kgView.network, p = n.canvasToDOM(n.getPositions([arguments[0]])[arguments[0]]),"
        " c = document.querySelector('#map canvas').getBoundingClientRect(); return [p.x, p.y, c.width, c.height]", found)
    canvas = browser.find_element("css selector", "#map canvas")
    ActionChains(browser).move_to_element_with_offset(canvas, int(xy[0] - xy[2] / 2), int(xy[1] - xy[3] / 2)).pause(0.6).perform()
    tip = browser.execute_script(
        "var t = document.querySelector('div.vis-tooltip'); return t ? [t.textContent,"
        " Array.from(t.querySelectorAll('*')).map(function (e) { return e.tagName; })] : null")
    # innerText turns line breaks into <br>: nothing else may appear
    assert tip is not None and label in tip[0] and set(tip[1]) <= {"BR"}
    assert_nothing_injected(browser)


def test_content_security_policy_blocks_injected_scripts(browser, seed_pages):
    open_page(browser, seed_pages["collaboration"])
    ran = browser.execute_script("""
        window.__injected = false;
        var s = document.createElement('script');
        s.textContent = 'window.__injected = true;';
        document.body.appendChild(s);
        var img = document.createElement('img');
        img.src = 'https://example.org/x.png';
        document.body.appendChild(img);
        return window.__injected;""")
    assert ran is False  # only the page's own two scripts (by hash) may run
    time.sleep(0.3)
    violations = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert any("script" in m for m in violations)  # the browser says what it refused
    assert any("x.png" in m and "img-src" in m for m in violations)


# Every label vis-network draws in the first view, as vis-network places it: centred under its dot,
# its top size/2 + 4 px below the dot, at the node's scaled font size (clamped by maxVisible), its
# width and height measured by vis-network's own label code on the page's canvas. Boxes are in
# pixels of the map's canvas, with the node's paper count.
DRAWN_LABELS = """
var net = kgView.network, scale = net.getScale(), at = net.getPositions();
var canvas = document.querySelector('#map canvas'), ctx = canvas.getContext('2d'), out = [];
Object.keys(net.body.nodes).forEach(function (id) {
  var node = net.body.nodes[id], o = node.options, lab = node.labelModule;
  if (o.hidden || !o.label || !(id in at)) return;
  var size = lab.fontOptions.size, drawn = size * scale;
  if (drawn < o.scaling.label.drawThreshold - 1) return;
  if (drawn >= o.scaling.label.maxVisible) size = o.scaling.label.maxVisible / scale;
  var text = lab.getTextSize(ctx, false, false), r = o.size, p = at[id];
  var a = net.canvasToDOM({x: p.x - text.width / 2, y: p.y + r + size / 2 + 4});
  var b = net.canvasToDOM({x: p.x + text.width / 2, y: p.y + r + size / 2 + 4 + text.height});
  out.push({id: id, label: o.label, value: o.value, px: size * scale, box: [a.x, a.y, b.x, b.y]});
});
return {labels: out, width: canvas.clientWidth, height: canvas.clientHeight};
"""


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


@pytest.mark.parametrize("view", VIEWS)
def test_first_view_labels_inside_the_map_and_big_labels_apart(browser, seed_pages, view):
    """After the first fit, no drawn label is cut by the map's edge (the institutions page used to
    cut "Ewha Womans University" at the left), and no two drawn labels overlap (the topics page
    used to put the labels of its biggest single topics on top of each other)."""
    open_page(browser, seed_pages[view])
    got = browser.execute_script(DRAWN_LABELS)
    labels, width, height = got["labels"], got["width"], got["height"]
    assert labels and width > 300 and height > 300
    cut = [(x["label"], [round(v) for v in x["box"]]) for x in labels
           if x["box"][0] < 0 or x["box"][1] < 0 or x["box"][2] > width or x["box"][3] > height]
    assert cut == [], f"labels cut by the edge of the {width}x{height} map: {cut}"
    assert all(x["px"] >= 8 for x in labels if x["value"] == max(y["value"] for y in labels))  # readable
    # the largest nodes' labels first, each against every drawn label (which on the seed pages
    # means: no two drawn labels overlap at all)
    labels.sort(key=lambda x: (-x["value"], x["label"]))
    clashes = [(a["label"], b["label"]) for i, a in enumerate(labels) for b in labels[i + 1:]
               if _overlap(a["box"], b["box"])]
    assert clashes == [], f"drawn labels overlap (largest node's first): {clashes}"
