"""The interactive maps in a real headless Chromium (Debian's chromium + chromium-driver via Selenium;
WebGL through SwiftShader).

Each seed page loads from file: with no console error and no request leaving the file, shows as
many nodes as the knowledge graph has (isolates and pairs hidden until asked for), finds "D Dai"
from the search box, filters, switches between the network, overlay and density views, places
labels without overlap inside the map (more on zoom), and exports a PNG; a corpus of hostile names
and titles opens no dialog and injects no element. A screenshot of every
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

from kg.viz import VIEWS, detached, write_page, write_pages

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


def page_errors(driver, levels=("SEVERE", "WARNING")) -> list:
    """What the page logged at these levels; the software WebGL driver's performance notes
    ("GL Driver Message … GPU stall due to ReadPixels": sigma reads its picking buffer) are not
    the page's."""
    return [e for e in driver.get_log("browser") if e["level"] in levels and "GL Driver Message" not in e["message"]]


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
    assert page_errors(browser) == []
    urls = browser.execute_script(
        "return performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".map(function (e) { return e.name; })")
    assert urls and all(u.split(":", 1)[0] in ("file", "data", "blob") for u in urls), urls
    assert browser.execute_script("return window.__dialogs") == []
    info = browser.execute_script("return [kgView.renderer, kgView.readyMs, !!document.querySelector('#map canvas')]")
    assert info[0] == "sigma" and info[1] > 0 and info[2]
    png = browser.get_screenshot_as_png()
    for folder in screenshot_dirs(tmp_path):
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{view}.png").write_bytes(png)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def shown_graph(seed_build, view):
    """The graph a seed page draws, as page.py selects it (all nodes on the seeds; topics: the relevant terms)."""
    from kg.viz import view_graph
    from kg.viz.graphs import topic_map_graph

    if view == "topics":
        return topic_map_graph(seed_build.corpus)[2]
    return view_graph(view, seed_build.corpus)[1]


@pytest.mark.parametrize("view", VIEWS)
def test_node_and_edge_counts_equal_the_graph(browser, seed_pages, seed_build, view):

    open_page(browser, seed_pages[view])
    g = seed_build.graph
    nodes = sum(1 for _, t in g.nodes(data="type") if t == NODE_TYPE[view])
    drawn = shown_graph(seed_build, view)
    apart = len(detached(drawn))
    info = browser.execute_script(
        "var p = document.querySelector('#shown');"
        "return [kgView.nodeCount, kgView.totalNodes, Number(p.dataset.nodes), p.textContent,"
        " kgView.edgeCount, kgView.totalEdges, kgView.detachedCount]")
    if view == "topics":  # every term of the knowledge graph counts; the page draws the relevant ones
        nodes = sum(1 for _, t in g.nodes(data="type") if t in ("Topic", "Task", "Method", "Dataset", "Metric"))
    assert info[1] == nodes and info[6] == apart
    assert info[0] == info[2] == drawn.number_of_nodes() - apart
    assert f"Showing {drawn.number_of_nodes() - apart:,} of {nodes:,}" in info[3]
    if apart:
        assert f"{apart:,} unlinked or in small groups hidden" in info[3]
    assert info[4] == sum(1 for u, v in drawn.edges if u not in detached(drawn))
    if view == "collaboration":
        assert info[5] == sum(1 for *_, k in g.edges(keys=True) if k == "CO_AUTHOR")
    # the unlinked and paired nodes come back with the toggle
    got = browser.execute_script("return kgView.setFilters({detached: true})")
    assert got == {"nodes": drawn.number_of_nodes(), "edges": drawn.number_of_edges()}


def test_search_focuses_d_dai(browser, seed_pages, seed_build):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    dai = next(a for a in seed_build.corpus.authors if a.name == "D Dai")
    open_page(browser, seed_pages["collaboration"])
    box = browser.find_element(By.ID, "search")
    box.send_keys("D Dai", Keys.ENTER)
    settle(browser)
    state = browser.execute_script("return [kgView.selected, document.querySelector('#details h2').textContent]")
    assert state == [dai.id, "D Dai"]
    # neighbourhood highlight: D Dai and the co-authors drawn at full strength, the rest faded
    co = sorted(v for u, v, k in seed_build.graph.edges(dai.id, keys=True) if k == "CO_AUTHOR") + \
        sorted(u for u, v, k in seed_build.graph.in_edges(dai.id, keys=True) if k == "CO_AUTHOR")
    assert co and browser.execute_script("return kgView.highlighted()") == sorted(co + [dai.id])
    labelled = browser.execute_script("return kgView.labels().map(function (l) { return l.label; })")
    assert "D Dai" in labelled  # the selection is labelled first
    # paper titles are text; the only links go to arXiv or code
    hrefs = browser.execute_script(
        "return Array.from(document.querySelectorAll('#details a')).map(function (a) { return a.href; })")
    assert "https://arxiv.org/abs/2104.08696" in hrefs
    assert all(h.startswith(("https://arxiv.org/abs/", "https://github.com/", "http")) for h in hrefs)
    assert browser.execute_script("return kgView.search('no such author at all')") is None
    assert "No author matches" in browser.find_element(By.ID, "search-status").text
    browser.execute_script("kgView.select(null)")
    assert len(browser.execute_script("return kgView.highlighted()")) == browser.execute_script("return kgView.nodeCount")


def test_filters_change_what_is_shown(browser, seed_pages, seed_build):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import Select

    corpus = seed_build.corpus
    open_page(browser, seed_pages["collaboration"])
    browser.execute_script("kgView.setFilters({detached: true})")
    Select(browser.find_element(By.ID, "category")).select_by_visible_text(
        next(o.text for o in Select(browser.find_element(By.ID, "category")).options if o.text.startswith("cs.CL")))
    expected = {a.author_id for p in corpus.papers if p.category == "cs.CL" for a in p.authorships}
    counts = browser.execute_script("return [kgView.nodeCount, Number(document.querySelector('#shown').dataset.nodes)]")
    assert counts == [len(expected), len(expected)] and 0 < len(expected) < len(corpus.authors)
    assert "(filtered)" in browser.find_element(By.ID, "shown").text
    browser.find_element(By.ID, "reset").click()  # resets the unlinked toggle too
    drawn = shown_graph(seed_build, "collaboration")
    apart = len(detached(drawn))
    assert browser.execute_script("return kgView.nodeCount") == len(corpus.authors) - apart
    heavy = sum(1 for *_, k, w in seed_build.graph.edges(keys=True, data="weight") if k == "CO_AUTHOR" and w >= 2)
    assert browser.execute_script("return kgView.setFilters({minWeight: 2, detached: true}).edges") == heavy
    assert browser.execute_script("return kgView.setFilters({minWeight: 1}).nodes") == len(corpus.authors)
    # years, where known
    def seen(p):  # the page's year of a paper: first seen (its date), else the year printed
        return int(p.date[:4]) if p.date else p.year

    years = sorted({seen(p) for p in corpus.papers if seen(p) and p.authorships})
    Select(browser.find_element(By.ID, "year-from")).select_by_value(str(years[-1]))
    recent = {a.author_id for p in corpus.papers if seen(p) and seen(p) >= years[-1] for a in p.authorships}
    assert browser.execute_script("return kgView.nodeCount") == len(recent) < len(corpus.authors)


# pixels of a canvas of the map that are not white (or transparent)
INKED = """
var c = document.querySelector(arguments[0]), g = c.getContext('2d'), d = g.getImageData(0, 0, c.width, c.height).data, n = 0;
for (var i = 0; i < d.length; i += 4) if (d[i + 3] > 0 && (d[i] < 250 || d[i + 1] < 250 || d[i + 2] < 250)) n++;
return n;
"""


def test_network_overlay_and_density_views(browser, seed_pages, seed_build):
    from selenium.webdriver.common.by import By

    open_page(browser, seed_pages["topics"])
    assert browser.execute_script("return kgView.mode") == "network"
    assert browser.execute_script(INKED, "canvas.kg-density") == 0
    legend = browser.find_element(By.ID, "legend").text
    assert "Kinds (ring colour)" in legend and "tasks" in legend and "methods" in legend
    # density: a heat map under the labels, its legend says what it means
    assert browser.execute_script("return kgView.setMode('density')") == "density"
    assert browser.execute_script(INKED, "canvas.kg-density") > 10000
    assert "Density" in browser.find_element(By.ID, "legend").text
    # overlay by kind, then by main category: the legend lists what the colours mean
    browser.execute_script("kgView.setMode('overlay', 'kind')")
    assert browser.execute_script(INKED, "canvas.kg-density") == 0
    kinds = browser.find_element(By.ID, "legend").text
    assert "Kind" in kinds and "datasets" in kinds
    browser.execute_script("kgView.setMode('overlay', 'category')")
    cats = browser.find_element(By.ID, "legend").text
    top = max({p.category for p in seed_build.corpus.papers if p.category},
              key=lambda c: (sum(1 for p in seed_build.corpus.papers if p.category == c), c))
    assert "Main category" in cats and top in cats
    browser.find_element(By.CSS_SELECTOR, '#modes button[data-mode="network"]').click()
    assert browser.execute_script("return kgView.mode") == "network"
    assert page_errors(browser, ("SEVERE",)) == []


def test_png_of_the_view(browser, seed_pages, tmp_path):
    from selenium.webdriver.common.by import By

    open_page(browser, seed_pages["topics"])
    url = browser.execute_script("return kgView.png()")
    assert url.startswith("data:image/png;base64,")
    png = base64.b64decode(url.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000
    # the WebGL layers are in it: the image holds the clusters' colours, not only dark labels on white
    coloured = browser.execute_async_script("""
        var img = new Image(), done = arguments[arguments.length - 1];
        img.onload = function () {
          var c = document.createElement('canvas'); c.width = img.width; c.height = img.height;
          var g = c.getContext('2d'); g.drawImage(img, 0, 0);
          var d = g.getImageData(0, 0, c.width, c.height).data, n = 0;
          for (var i = 0; i < d.length; i += 4) if (Math.max(d[i], d[i + 1], d[i + 2]) - Math.min(d[i], d[i + 1], d[i + 2]) > 60) n++;
          done(n);
        };
        img.src = arguments[0];""", url)
    assert coloured > 500
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    browser.find_element(By.ID, "png").click()
    deadline = time.monotonic() + 10
    while not (tmp_path / "topics-network.png").exists():
        assert time.monotonic() < deadline, "the PNG button downloaded nothing"
        time.sleep(0.1)
    time.sleep(0.3)
    assert (tmp_path / "topics-network.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


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
    assert dom["scripts"] == 4, dom  # the JSON data block, graphology, sigma, the page's script
    for href in dom["links"]:
        assert href.endswith(".html") or href.startswith(("https://arxiv.org/abs/", "https://", "http://")), href
        assert not href.lower().startswith("javascript:")


@pytest.mark.parametrize("view", VIEWS)
def test_hostile_corpus_opens_no_dialog_and_injects_nothing(browser, hostile_pages, view):
    html = hostile_pages[view].read_text(encoding="utf-8")
    block = html.split('<script type="application/json" id="kg-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in block and ">" not in block and "&" not in block
    assert json.loads(block)["nodes"]  # the names travel as data, unchanged
    assert html.count("<script") == 4 and "<img" not in html.split('id="kg-data">', 1)[0]
    open_page(browser, hostile_pages[view])
    assert page_errors(browser, ("SEVERE",)) == []
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
    # hover the node: the tooltip holds text only
    from selenium.webdriver.common.action_chains import ActionChains

    xy = browser.execute_script("return kgView.position(arguments[0])", found)
    ActionChains(browser).move_by_offset(0, 0).perform()
    body = browser.find_element("css selector", "body")
    ActionChains(browser).move_to_element_with_offset(body, 0, 0).perform()
    ActionChains(browser).move_by_offset(0, 0).perform()
    browser.execute_cdp_cmd("Input.dispatchMouseEvent", {"type": "mouseMoved", "x": xy[0], "y": xy[1]})
    time.sleep(0.4)
    tip = browser.execute_script(
        "var t = document.querySelector('#map .kg-tooltip'); return t ? [t.textContent, t.style.visibility,"
        " t.querySelectorAll('*').length] : null")
    assert tip is not None and label in tip[0] and tip[1] == "visible" and tip[2] == 0
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
    assert ran is False  # only the page's own three scripts (by hash) may run
    time.sleep(0.3)
    violations = [e["message"] for e in browser.get_log("browser") if "Content Security Policy" in e["message"]]
    assert any("script" in m for m in violations)  # the browser says what it refused
    assert any("x.png" in m and "img-src" in m for m in violations)


def _overlap(a, b) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > 0.5 and min(a[3], b[3]) - max(a[1], b[1]) > 0.5


def drawn_labels(driver) -> tuple[list, list]:
    return driver.execute_script("return [kgView.labels(), kgView.mapBox()]")


def cut_and_clashes(labels, box) -> tuple[list, list]:
    cut = [x["label"] for x in labels
           if x["box"][0] < box[0] or x["box"][1] < box[1] or x["box"][2] > box[2] or x["box"][3] > box[3]]
    clashes = [(a["label"], b["label"]) for i, a in enumerate(labels) for b in labels[i + 1:] if _overlap(a["box"], b["box"])]
    return cut, clashes


@pytest.mark.parametrize("view", VIEWS)
def test_labels_never_overlap_nor_leave_the_map_and_more_appear_on_zoom(browser, seed_pages, view):
    """`kgView.labels()` is what is drawn: the biggest node's label first, none overlapping another,
    none cut by the map's edge; zooming in on the biggest node shows labels that had no room (the
    topics page has more terms than room for labels at first)."""
    open_page(browser, seed_pages[view])
    labels, box = drawn_labels(browser)
    assert box[2] - box[0] > 300 and box[3] - box[1] > 300
    assert len(labels) >= min(15, browser.execute_script("return kgView.nodeCount")), [x["label"] for x in labels]
    assert cut_and_clashes(labels, box) == ([], [])
    assert all(a["size"] >= b["size"] for a, b in zip(labels, labels[1:]))  # biggest first
    before = {x["label"] for x in labels}
    browser.execute_script("""
        var s = kgView.sigma, c = s.getCamera(), id = kgView.labels()[0].id, p = kgView.position(id), r = s.getContainer().getBoundingClientRect();
        var f = s.viewportToFramedGraph({x: p[0] - r.left, y: p[1] - r.top});
        c.setState({x: f.x, y: f.y, ratio: c.ratio / 4}); s.refresh();""")
    zoomed, box = drawn_labels(browser)
    assert cut_and_clashes(zoomed, box) == ([], [])
    if len(before) < browser.execute_script("return kgView.nodeCount"):  # some had no room: zooming makes some
        assert {x["label"] for x in zoomed} - before, "zooming in showed no new label"
    for mode in ("overlay", "density"):
        browser.execute_script("kgView.setMode(arguments[0]); kgView.fit()", mode)
        labels, box = drawn_labels(browser)
        assert labels and cut_and_clashes(labels, box) == ([], [])
