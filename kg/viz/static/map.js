/* kg interactive map: reads the page's JSON data block and draws it with vis-network.
 * Text from the data is only ever put in the page with textContent (or given to vis-network as a
 * plain string, which it draws on the canvas or sets with innerText); URLs become links only when
 * they are arXiv or http(s) code URLs. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var NF = new Intl.NumberFormat("en");
  var fmt = function (n) { return NF.format(n); };
  var PAPERS = D.papers;   // [title, arXiv URL or "", category index or -1, year or 0, [code URLs]]
  var NODES = D.nodes;     // [id, label, x, y, paper count, cluster, [paper indexes]]
  var EDGES = D.edges;     // [node index, node index, weight, [paper indexes], (association strength)]
  var N = NODES.length, E = EDGES.length;
  var BIG = !D.physicsAllowed;
  var FADED_NODE_OPACITY = 0.15, FADED_EDGE_OPACITY = 0.04;
  var t0 = performance.now();

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }
  function plural(n, nouns) { return fmt(n) + " " + (n === 1 ? nouns[0] : nouns[1]); }
  function safeUrl(u, arxivOnly) {
    if (typeof u !== "string") return null;
    if (arxivOnly) return /^https:\/\/arxiv\.org\/abs\/[^\s"'<>]+$/.test(u) ? u : null;
    return /^https?:\/\/[^\s"'<>]+$/.test(u) ? u : null;
  }
  function link(url, text) {
    var a = el("a", text);
    a.href = url; a.target = "_blank"; a.rel = "noopener noreferrer";
    return a;
  }
  function rgba(hex, alpha) {
    var v = parseInt(hex.slice(1), 16);
    return "rgba(" + ((v >> 16) & 255) + "," + ((v >> 8) & 255) + "," + (v & 255) + "," + alpha + ")";
  }
  function colourOf(i) {
    var c = NODES[i][5];
    return c < D.clusters.length ? D.clusters[c].colour : D.otherColour;
  }

  // ---- adjacency --------------------------------------------------------------------------
  var adj = [];
  for (var i = 0; i < N; i++) adj.push([]);
  EDGES.forEach(function (e, k) { adj[e[0]].push(k); adj[e[1]].push(k); });
  var index = new Map();
  NODES.forEach(function (n, i) { index.set(n[0], i); });

  // ---- filters ----------------------------------------------------------------------------
  var state = { cat: "", y0: 0, y1: 0, minW: D.minWeight, selected: -1 };
  var nodeVis = new Uint8Array(N), nodeW = new Int32Array(N);
  var edgeVis = new Uint8Array(E), edgeW = new Int32Array(E);

  function paperOk(p) {
    var q = PAPERS[p];
    if (state.cat !== "" && q[2] !== Number(state.cat)) return false;
    if (state.y0 && (!q[3] || q[3] < state.y0)) return false;
    if (state.y1 && (!q[3] || q[3] > state.y1)) return false;
    return true;
  }
  function filtering() { return state.cat !== "" || state.y0 || state.y1; }
  function compute() {
    var f = filtering(), ok = null, i, k, j, c;
    if (f) { ok = new Uint8Array(PAPERS.length); for (j = 0; j < PAPERS.length; j++) ok[j] = paperOk(j) ? 1 : 0; }
    for (i = 0; i < N; i++) {
      if (f) { c = 0; var ps = NODES[i][6]; for (j = 0; j < ps.length; j++) c += ok[ps[j]]; } else c = NODES[i][4];
      nodeW[i] = c; nodeVis[i] = c > 0 ? 1 : 0;
    }
    for (k = 0; k < E; k++) {
      var e = EDGES[k];
      if (f) { c = 0; for (j = 0; j < e[3].length; j++) c += ok[e[3][j]]; } else c = e[2];
      edgeW[k] = c;
      edgeVis[k] = nodeVis[e[0]] && nodeVis[e[1]] && c > 0 && c >= state.minW ? 1 : 0;
    }
  }

  // ---- tooltips (plain text: vis-network shows strings with innerText) ----------------------
  function nodeTitle(i) {
    var n = NODES[i], lines = [n[1], plural(n[4], ["paper", "papers"]) + " · " + plural(adj[i].length, D.edgeNouns)];
    var ps = n[6];
    for (var j = 0; j < Math.min(ps.length, 5); j++) lines.push("• " + PAPERS[ps[j]][0]);
    if (ps.length > 5) lines.push("… and " + fmt(ps.length - 5) + " more (click for the list)");
    return lines.join("\n");
  }
  function edgeTitle(k) {
    var e = EDGES[k];
    var s = NODES[e[0]][1] + " — " + NODES[e[1]][1] + "\n" + plural(e[2], D.weightNouns);
    if (e.length > 4) s += "\nassociation strength " + e[4].toFixed(2);
    return s;
  }

  // ---- vis data ---------------------------------------------------------------------------
  // the more edges, the fainter each: a hairball of opaque lines hides the nodes
  var edgeAlpha = Math.max(0.08, Math.min(0.5, 0.5 * Math.sqrt(400 / Math.max(E, 1))));
  var edgeColour = [];
  for (var k0 = 0; k0 < E; k0++) {
    var e0 = EDGES[k0];
    edgeColour.push(colourOf(NODES[e0[0]][4] >= NODES[e0[1]][4] ? e0[0] : e0[1]));
  }
  compute();
  // Filters change `hidden` and `value` of the items whose state changed. The neighbourhood
  // highlight does not touch every item (slow with thousands): it lowers the global opacity of
  // nodes and edges and gives the few highlighted items their own.
  var nodeSig = new Array(N), edgeSig = new Array(E);
  var nodeItems = [], edgeItems = [];
  for (var i1 = 0; i1 < N; i1++) {
    var c1 = colourOf(i1), n1 = NODES[i1];
    nodeItems.push({ id: n1[0], label: n1[1], x: n1[2], y: n1[3], title: nodeTitle(i1), hidden: !nodeVis[i1], value: nodeW[i1],
      color: { background: c1, border: "rgba(0,0,0,0.35)", highlight: { background: c1, border: "#000" },
               hover: { background: c1, border: "#000" } } });
    nodeSig[i1] = nodeVis[i1] + "|" + nodeW[i1];
  }
  for (var k1 = 0; k1 < E; k1++) {
    edgeItems.push({ id: k1, from: NODES[EDGES[k1][0]][0], to: NODES[EDGES[k1][1]][0], title: edgeTitle(k1),
      hidden: !edgeVis[k1], value: edgeW[k1], color: { color: edgeColour[k1], highlight: "#333", hover: "#333" } });
    edgeSig[k1] = edgeVis[k1] + "|" + edgeW[k1];
  }
  var nodes = new vis.DataSet(nodeItems);
  var edges = new vis.DataSet(edgeItems);

  function refresh() {
    var nu = [], eu = [], i, k, g;
    for (i = 0; i < N; i++) {
      g = nodeVis[i] + "|" + nodeW[i];
      if (g !== nodeSig[i]) { nodeSig[i] = g; nu.push({ id: NODES[i][0], hidden: !nodeVis[i], value: nodeW[i] }); }
    }
    for (k = 0; k < E; k++) {
      g = edgeVis[k] + "|" + edgeW[k];
      if (g !== edgeSig[k]) { edgeSig[k] = g; eu.push({ id: k, hidden: !edgeVis[k], value: edgeW[k] }); }
    }
    if (nu.length) nodes.update(nu);
    if (eu.length) edges.update(eu);
    showCounts();
  }

  // Each DataSet update makes vis-network rescan every node and edge (~200 ms at 5,000 nodes), so
  // the highlight sets the few items' options directly on the drawn objects and redraws once.
  var lit = { nodes: [], edges: [] }; // items that carry their own opacity
  function setItem(kind, id, opts) {
    var obj = network.body[kind][id];
    if (obj && typeof obj.setOptions === "function") obj.setOptions(opts);
    else (kind === "nodes" ? nodes : edges).update(Object.assign({ id: id }, opts));
  }
  function unlight() {
    lit.nodes.forEach(function (i) { setItem("nodes", NODES[i][0], { opacity: null, font: { color: null, strokeColor: null } }); });
    lit.edges.forEach(function (k) {
      setItem("edges", k, { color: { color: edgeColour[k], highlight: "#333", hover: "#333", opacity: null } });
    });
    lit = { nodes: [], edges: [] };
  }
  function light(i, nb) {
    unlight();
    network.setOptions({ nodes: { opacity: FADED_NODE_OPACITY, font: { color: "rgba(34,34,34,0.12)", strokeColor: "rgba(255,255,255,0.12)" } },
                         edges: { color: { opacity: FADED_EDGE_OPACITY } } });
    lit.nodes = [i].concat(nb.map(function (x) { return x[0]; }));
    lit.edges = nb.map(function (x) { return x[2]; });
    lit.nodes.forEach(function (j) { setItem("nodes", NODES[j][0], { opacity: 1, font: { color: "#222", strokeColor: "#fff" } }); });
    lit.edges.forEach(function (k) {
      setItem("edges", k, { color: { color: "#444", highlight: "#000", hover: "#000", opacity: 0.85 } });
    });
    network.redraw();
  }
  function unhighlight() {
    unlight();
    network.setOptions({ nodes: { opacity: 1, font: { color: "#222", strokeColor: "#fff" } }, edges: { color: { opacity: edgeAlpha } } });
    network.redraw();
  }

  // ---- the network ------------------------------------------------------------------------
  var sizeScale = function (min, max, total, value) {
    if (max === min) return 0.5;
    return Math.sqrt(Math.max(0, value - min) / (max - min));
  };
  // labels prioritised by size: label font sizes (in page pixels, from the smallest node's to the
  // biggest's) come with the data, and the precomputed layout leaves room for every label big enough
  // to be drawn in the whole view (kg/viz/layout.py: the biggest are about 18 px on screen there);
  // smaller ones appear as one zooms in (drawThreshold). Labels zoom with the map, except that the
  // largest size shrinks when zooming in so that no label grows past ~30 px on screen
  // (vis-network's own maxVisible is not applied)
  var labelMin = D.labelSize[0], labelTop = D.labelSize[1];
  function labelMaxFor(scale) { return Math.round(Math.min(labelTop, Math.max(labelMin + 6, 30 / scale))); }
  var labelMax = labelTop;
  var options = {
    autoResize: true,
    layout: { improvedLayout: false, randomSeed: 1 },
    physics: false,
    nodes: {
      shape: "dot", borderWidth: 1, borderWidthSelected: 3,
      scaling: { min: 5, max: 36, customScalingFunction: sizeScale,
                 label: { enabled: true, min: labelMin, max: labelMax, maxVisible: 30, drawThreshold: 6 } },
      font: { face: "system-ui, sans-serif", color: "#222", strokeWidth: 3, strokeColor: "#fff" },
    },
    edges: { smooth: false, color: { opacity: edgeAlpha }, scaling: { min: 1, max: 8, label: { enabled: false } }, selectionWidth: 1, hoverWidth: 0.5 },
    interaction: { hover: !BIG, tooltipDelay: 150, hideEdgesOnDrag: BIG && E > 4000,
                   hideEdgesOnZoom: BIG && E > 4000, multiselect: false, keyboard: false },
  };
  var network = new vis.Network($("map"), { nodes: nodes, edges: edges }, options);

  // ---- counts -----------------------------------------------------------------------------
  var view = (window.kgView = {
    view: D.view, totalNodes: D.total.nodes, totalEdges: D.total.edges,
    nodeCount: 0, edgeCount: 0, selected: null, ready: false, readyMs: null, network: network,
  });
  function showCounts() {
    var n = 0, m = 0, i;
    for (i = 0; i < N; i++) n += nodeVis[i];
    for (i = 0; i < E; i++) m += edgeVis[i];
    view.nodeCount = n; view.edgeCount = m;
    var p = $("shown");
    p.textContent = "Showing " + fmt(n) + " of " + plural(D.total.nodes, D.nouns) + " and " + fmt(m) + " of " +
      plural(D.total.edges, D.edgeNouns) + (filtering() || state.minW > D.minWeight ? " (filtered)" : "") + ".";
    p.dataset.nodes = n; p.dataset.edges = m;
    p.dataset.totalNodes = D.total.nodes; p.dataset.totalEdges = D.total.edges;
  }

  // ---- selection, neighbourhood, details ---------------------------------------------------
  function neighbours(i) {
    var out = [];
    adj[i].forEach(function (k) { if (edgeVis[k]) { var e = EDGES[k]; out.push([e[0] === i ? e[1] : e[0], edgeW[k], k]); } });
    out.sort(function (a, b) { return b[1] - a[1] || NODES[a[0]][1].localeCompare(NODES[b[0]][1]); });
    return out;
  }
  function select(i) {
    state.selected = i;
    view.selected = i < 0 ? null : NODES[i][0];
    if (i < 0) { unhighlight(); network.unselectAll(); showDetails(-1); return; }
    light(i, neighbours(i));
    network.selectNodes([NODES[i][0]], false);
    showDetails(i);
  }
  function showDetails(i) {
    var box = $("details");
    box.replaceChildren();
    if (i < 0) { box.appendChild(el("p", "Click a node to see its papers and links; click the background to clear.", "hint")); return; }
    var n = NODES[i];
    box.appendChild(el("h2", n[1]));
    var c = n[5];
    box.appendChild(el("p", D.nodeType + " · " + plural(n[4], ["paper", "papers"]) +
      (c < D.clusters.length ? " · cluster " + (c + 1) : "") + (filtering() ? " · " + fmt(nodeW[i]) + " in the filter" : ""), "muted"));
    var nb = neighbours(i);
    box.appendChild(el("h3", "Linked " + D.nouns[1] + " (" + fmt(nb.length) + ")"));
    if (nb.length) {
      var ul = el("ul");
      nb.slice(0, 20).forEach(function (x) {
        var li = el("li"), b = el("button", NODES[x[0]][1], "neighbour");
        b.type = "button";
        b.addEventListener("click", function () { focusNode(x[0]); });
        li.appendChild(b);
        li.appendChild(document.createTextNode(" — " + plural(x[1], D.weightNouns)));
        ul.appendChild(li);
      });
      box.appendChild(ul);
      if (nb.length > 20) box.appendChild(el("p", "… and " + fmt(nb.length - 20) + " more", "muted"));
    } else {
      box.appendChild(el("p", "none shown", "muted"));
    }
    var ps = n[6].filter(function (p) { return !filtering() || paperOk(p); });
    box.appendChild(el("h3", "Papers (" + fmt(ps.length) + ")"));
    var list = el("ul");
    ps.slice(0, 50).forEach(function (p) {
      var q = PAPERS[p], li = el("li");
      li.appendChild(el("span", q[0], "paper-title"));
      var meta = [];
      if (q[2] >= 0) meta.push(D.categories[q[2]][0]);
      if (q[3]) meta.push(String(q[3]));
      if (meta.length) li.appendChild(el("span", " (" + meta.join(", ") + ")", "muted"));
      var links = el("span", null, "links"), u = safeUrl(q[1], true);
      if (u) links.appendChild(link(u, "arXiv"));
      q[4].forEach(function (cu) { var v = safeUrl(cu, false); if (v) links.appendChild(link(v, "code")); });
      li.appendChild(links);
      list.appendChild(li);
    });
    box.appendChild(list);
    if (ps.length > 50) box.appendChild(el("p", "… and " + fmt(ps.length - 50) + " more", "muted"));
  }
  network.on("click", function (params) {
    if (params.nodes.length) select(index.get(params.nodes[0]));
    else if (!params.edges.length) select(-1);
  });

  // ---- search -----------------------------------------------------------------------------
  var lowered = NODES.map(function (n) { return n[1].toLowerCase(); });
  function find(q) {
    q = q.trim().toLowerCase();
    if (!q) return -1;
    var best = -1, bestRank = 9;
    for (var i = 0; i < N; i++) {
      var l = lowered[i];
      var r = l === q ? 0 : l.indexOf(q) === 0 ? 1 : l.indexOf(q) > 0 ? 2 : 9;
      if (r < bestRank || (r === bestRank && r < 9 && NODES[i][4] > NODES[best][4])) { best = i; bestRank = r; }
    }
    return best;
  }
  function focusNode(i) {
    $("search-status").textContent = "";
    if (!nodeVis[i]) { resetFilters(); $("search-status").textContent = "Filters were reset to show " + NODES[i][1] + "."; }
    select(i);
    network.focus(NODES[i][0], { scale: Math.max(network.getScale(), 0.8), animation: { duration: 300 } });
  }
  function search(q) {
    var i = find(q);
    if (i < 0) { $("search-status").textContent = "No " + D.nouns[0] + " matches “" + q.trim() + "”."; return null; }
    focusNode(i);
    return NODES[i][0];
  }
  $("search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search($("search").value); });
  var dl = $("search-labels"), seen = new Set(), order = NODES.map(function (n, i) { return i; });
  order.sort(function (a, b) { return NODES[b][4] - NODES[a][4] || lowered[a].localeCompare(lowered[b]); });
  order.forEach(function (i) {
    if (seen.has(NODES[i][1])) return;
    seen.add(NODES[i][1]);
    var o = document.createElement("option"); o.value = NODES[i][1]; dl.appendChild(o);
  });

  // ---- filter controls --------------------------------------------------------------------
  var catSel = $("category");
  D.categories.forEach(function (c, i) {
    var o = el("option", c[0] + (c[1] !== c[0] ? " — " + c[1] : "") + " (" + fmt(c[2]) + ")");
    o.value = String(i); catSel.appendChild(o);
  });
  if (!D.categories.length) catSel.disabled = true;
  if (!D.years.length) {
    $("year-filter").replaceChildren(el("span", "Year: unknown", "muted"));
  } else {
    ["year-from", "year-to"].forEach(function (id) {
      D.years.forEach(function (y) { var o = el("option", y); o.value = String(y); $(id).appendChild(o); });
    });
  }
  var maxW = 1;
  EDGES.forEach(function (e) { if (e[2] > maxW) maxW = e[2]; });
  var slider = $("min-weight");
  slider.min = String(D.minWeight); slider.max = String(Math.max(maxW, D.minWeight)); slider.value = String(D.minWeight);
  $("min-weight-value").textContent = String(D.minWeight);
  function apply() {
    state.cat = catSel.value;
    state.y0 = $("year-from") ? Number($("year-from").value) || 0 : 0;
    state.y1 = $("year-to") ? Number($("year-to").value) || 0 : 0;
    state.minW = Number(slider.value) || 1;
    $("min-weight-value").textContent = String(state.minW);
    compute();
    refresh();
    if (state.selected >= 0) select(nodeVis[state.selected] ? state.selected : -1);
  }
  function resetFilters() {
    catSel.value = "";
    if ($("year-from")) { $("year-from").value = ""; $("year-to").value = ""; }
    slider.value = String(D.minWeight);
    apply();
  }
  catSel.addEventListener("change", apply);
  if ($("year-from")) { $("year-from").addEventListener("change", apply); $("year-to").addEventListener("change", apply); }
  slider.addEventListener("input", function () { $("min-weight-value").textContent = slider.value; });
  slider.addEventListener("change", apply);
  $("reset").addEventListener("click", function () { resetFilters(); select(-1); fitView(); });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") select(-1); });

  // ---- legend -----------------------------------------------------------------------------
  (function legend() {
    var box = $("legend");
    box.appendChild(el("h3", "Legend"));
    var row = el("div", null, "legend-row"), sw = el("span", null, "swatch");
    sw.style.background = D.otherColour; sw.style.border = "1px solid #666";
    row.appendChild(sw); row.appendChild(el("span", D.nodeType + " — size: " + D.sizeMeaning));
    box.appendChild(row);
    row = el("div", null, "legend-row");
    row.appendChild(el("span", null, "line"));
    row.appendChild(el("span", "link — width: " + D.weightMeaning));
    box.appendChild(row);
    box.appendChild(el("h3", "Clusters (Leiden)"));
    D.clusters.forEach(function (c, i) {
      var r = el("div", null, "legend-row"), s = el("span", null, "swatch");
      s.style.background = c.colour;
      r.appendChild(s);
      r.appendChild(el("span", (i + 1) + ". " + c.top.join(", ") + " (" + fmt(c.size) + ")"));
      box.appendChild(r);
    });
    var rest = D.clusterCount - D.clusters.length;
    if (rest > 0) {
      var r2 = el("div", null, "legend-row"), s2 = el("span", null, "swatch");
      s2.style.background = D.otherColour;
      r2.appendChild(s2);
      r2.appendChild(el("span", "other: " + plural(rest, ["smaller cluster", "smaller clusters"]) + " (unlinked " + D.nouns[1] + " included)"));
      box.appendChild(r2);
    }
  })();

  // ---- physics: off by default (the precomputed layout is the map), offered on small maps -----
  var physicsBox = $("physics");
  if (BIG) {
    physicsBox.disabled = true;
    $("physics-label").title = "Physics is offered on maps of at most " + fmt(D.physicsLimit) + " nodes";
  }
  physicsBox.addEventListener("change", function () {
    network.setOptions({ physics: physicsBox.checked ? {
      enabled: true, solver: "barnesHut",
      barnesHut: { gravitationalConstant: -3000, centralGravity: 0.05, springLength: 90, springConstant: 0.03,
                   damping: 0.4, avoidOverlap: 0.3 },
      stabilization: false, minVelocity: 0.75 } : false });
  });

  // ---- PNG --------------------------------------------------------------------------------
  function snapshot() {
    var src = $("map").querySelector("canvas");
    var c = document.createElement("canvas");
    c.width = src.width; c.height = src.height;
    var g = c.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, c.width, c.height); g.drawImage(src, 0, 0);
    return c;
  }
  view.png = function () { return snapshot().toDataURL("image/png"); };
  $("png").addEventListener("click", function () {
    snapshot().toBlob(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = D.view + ".png";
      document.body.appendChild(a); a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }, "image/png");
  });

  view.search = search;
  view.select = function (id) { var i = index.get(id); select(i === undefined ? -1 : i); return view.selected; };
  view.setFilters = function (f) {
    if ("category" in f) {
      var ci = D.categories.findIndex(function (c) { return c[0] === f.category; });
      catSel.value = ci < 0 ? "" : String(ci);
    }
    if ("minWeight" in f) {
      if (Number(slider.max) < f.minWeight) slider.max = String(f.minWeight);
      slider.value = String(f.minWeight);
    }
    apply();
    return { nodes: view.nodeCount, edges: view.edgeCount };
  };
  showCounts();

  var labelTimer = null;
  function setLabelMax(m) {
    if (m !== labelMax) {
      labelMax = m;
      network.setOptions({ nodes: { scaling: { label: { max: m } } } });
      if (N) nodes.update([{ id: NODES[0][0] }]); // label sizes are recomputed on a data update only
    }
  }
  function rescaleLabels() {
    var m = labelMaxFor(network.getScale());
    if (m === labelTop || Math.abs(m - labelMax) / labelMax > 0.1) setLabelMax(m);
  }
  network.on("zoom", function () { clearTimeout(labelTimer); labelTimer = setTimeout(rescaleLabels, 150); });
  network.on("animationFinished", rescaleLabels);

  function markReady() {
    network.once("afterDrawing", function () {
      view.ready = true; view.readyMs = performance.now() - t0;
      document.body.dataset.ready = "true";
    });
    network.redraw();
  }
  // the whole map in view, labels included (vis-network's fit ignores labels it has not drawn yet):
  // a dot's label is drawn centred under it, its top size/2 + 4 px below the dot (vis-network)
  var measure = document.createElement("canvas").getContext("2d");
  function fitView() {
    setLabelMax(labelTop);
    var vmin = Infinity, vmax = -Infinity, i;  // vis-network scales by the values of all nodes, hidden too
    for (i = 0; i < N; i++) { vmin = Math.min(vmin, nodeW[i]); vmax = Math.max(vmax, nodeW[i]); }
    var at = network.getPositions(), x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
    for (i = 0; i < N; i++) {
      if (!nodeVis[i]) continue;
      var p = at[NODES[i][0]], t = sizeScale(vmin, vmax, 0, nodeW[i]);
      var r = 5 + 31 * t, f = labelMin + (labelMax - labelMin) * t;
      measure.font = f + "px system-ui, sans-serif";
      var half = Math.max(r, measure.measureText(NODES[i][1]).width / 2 + 2);
      x0 = Math.min(x0, p.x - half); x1 = Math.max(x1, p.x + half);
      y0 = Math.min(y0, p.y - r); y1 = Math.max(y1, p.y + r + 1.5 * f + 6);
    }
    if (x0 === Infinity) { network.fit({ animation: false }); return; }
    var c = $("map").getBoundingClientRect(), pad = 16;
    var scale = Math.min(1, (Math.max(c.width, 100) - 2 * pad) / (x1 - x0), (Math.max(c.height, 100) - 2 * pad) / (y1 - y0));
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: scale, animation: false });
    rescaleLabels();
  }
  fitView();
  markReady();
})();
