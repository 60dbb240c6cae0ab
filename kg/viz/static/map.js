/* kg interactive map: reads the page's JSON data block and draws it with sigma.js (WebGL) on a
 * graphology graph; labels, the density view and the kind markers are drawn by this script on 2D
 * canvases over sigma's.
 *
 * Text from the data is only ever put in the page with textContent or drawn on a canvas (fillText);
 * URLs become links only when they are arXiv or http(s) code URLs.
 *
 * Labels: after every frame, the nodes in view are taken biggest first (the selection and its
 * neighbours before all) and a label is drawn only where its box lies wholly inside the map and
 * overlaps no label already drawn, so labels never overlap and are never cut; zooming in makes room
 * for more. `kgView.labels()` returns what is drawn, in CSS pixels of the page. */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("kg-data").textContent);
  var $ = function (id) { return document.getElementById(id); };
  var NF = new Intl.NumberFormat("en");
  var fmt = function (n) { return NF.format(n); };
  var PAPERS = D.papers;   // [title, arXiv URL or "", category index or -1, year or 0, [code URLs]]
  var NODES = D.nodes;     // [id, label, x, y, paper count, cluster, [paper indexes], kind, detached]
  var EDGES = D.edges;     // [node index, node index, weight, [paper indexes], (association strength)]
  var KINDS = D.kinds;     // [[type, plural noun, colour, ring colour or ""], …]; a node's kind indexes this
  var N = NODES.length, E = EDGES.length;
  var t0 = performance.now();
  var FADED = "#e4e4e4", NO_DATA = "#c8c8c8";
  var YEAR_RAMP = ["#440154", "#3b528b", "#21918c", "#5ec962", "#fde725"];  // viridis
  var DENSITY_RAMP = [[255, 255, 255], [70, 110, 230], [60, 190, 120], [240, 230, 60], [220, 40, 30]];
  var CATEGORY_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#17becf",
                          "#e6b400", "#8c564b", "#e377c2", "#7f7f00", "#393b79"];
  var LABEL_FONT = "system-ui, -apple-system, \"Segoe UI\", Roboto, \"Noto Sans\", Arial, sans-serif";
  var LABEL_PX = [11, 18];  // font size of the smallest and the biggest node's label (CSS px)
  var NODE_PX = [2.5, 16];  // dot radius of the smallest and the biggest node at the first view
  var LABEL_GAP = 3;        // CSS px kept free around a label
  var MAX_SCAN = 6000;      // nodes tried per frame for a label (biggest first)

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
  function hexRgb(hex) { var v = parseInt(hex.slice(1), 16); return [(v >> 16) & 255, (v >> 8) & 255, v & 255]; }
  function rgbHex(c) { return "#" + c.map(function (v) { return ("0" + Math.round(v).toString(16)).slice(-2); }).join(""); }
  function ramp(stops, t) {  // colour at t in [0, 1] along hex or rgb stops
    t = Math.max(0, Math.min(1, t));
    var s = t * (stops.length - 1), i = Math.min(stops.length - 2, Math.floor(s)), f = s - i;
    var a = typeof stops[i] === "string" ? hexRgb(stops[i]) : stops[i];
    var b = typeof stops[i + 1] === "string" ? hexRgb(stops[i + 1]) : stops[i + 1];
    return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f];
  }
  function clusterColour(i) {
    var c = NODES[i][5];
    return c < D.clusters.length ? D.clusters[c].colour : D.otherColour;
  }

  // ---- what each node is: average year, main category ----------------------------------------
  var yearOf = new Float32Array(N), catOf = new Int32Array(N), yearMin = Infinity, yearMax = -Infinity;
  for (var i0 = 0; i0 < N; i0++) {
    var ps0 = NODES[i0][6], sum = 0, known = 0, counts = {}, best = -1, bestN = 0;
    for (var j0 = 0; j0 < ps0.length; j0++) {
      var q0 = PAPERS[ps0[j0]];
      if (q0[3]) { sum += q0[3]; known++; }
      if (q0[2] >= 0) {
        counts[q0[2]] = (counts[q0[2]] || 0) + 1;
        if (counts[q0[2]] > bestN || (counts[q0[2]] === bestN && q0[2] < best)) { best = q0[2]; bestN = counts[q0[2]]; }
      }
    }
    yearOf[i0] = known ? sum / known : 0;
    if (known) { yearMin = Math.min(yearMin, yearOf[i0]); yearMax = Math.max(yearMax, yearOf[i0]); }
    catOf[i0] = best;
  }
  // categories coloured by rank (most papers first); the rest grey
  // the overlay offered first: kinds on a map of several, else years when most papers have one
  var dated = 0;
  PAPERS.forEach(function (q) { if (q[3]) dated++; });
  var defaultOverlay = D.kinds.length > 1 ? "kind" : (dated * 2 >= PAPERS.length && D.years.length) || !D.categories.length ? "year" : "category";
  var catRank = D.categories.map(function (c, k) { return k; });
  catRank.sort(function (a, b) { return D.categories[b][2] - D.categories[a][2] || a - b; });
  var catColour = {};
  catRank.forEach(function (c, r) { catColour[c] = r < CATEGORY_COLOURS.length ? CATEGORY_COLOURS[r] : D.otherColour; });

  // ---- adjacency --------------------------------------------------------------------------
  var adj = [];
  for (var i = 0; i < N; i++) adj.push([]);
  EDGES.forEach(function (e, k) { adj[e[0]].push(k); adj[e[1]].push(k); });
  var index = new Map();
  NODES.forEach(function (n, i) { index.set(n[0], i); });
  var detachedCount = 0;
  NODES.forEach(function (n) { detachedCount += n[8] ? 1 : 0; });

  // ---- filters ----------------------------------------------------------------------------
  var state = { cat: "", y0: 0, y1: 0, minW: D.minWeight, selected: -1, detached: false,
                mode: "network", overlay: defaultOverlay };
  var nodeVis = new Uint8Array(N), nodeW = new Int32Array(N);
  var edgeVis = new Uint8Array(E), edgeW = new Int32Array(E);
  var lit = null;  // when a node is selected: Uint8Array, 1 for it and its neighbours

  function paperOk(p) {
    var q = PAPERS[p];
    if (state.cat !== "" && q[2] !== Number(state.cat)) return false;
    if (state.y0 && (!q[3] || q[3] < state.y0)) return false;
    if (state.y1 && (!q[3] || q[3] > state.y1)) return false;
    return true;
  }
  function filtering() { return state.cat !== "" || state.y0 || state.y1; }
  var wMin = 0, wMax = 1;
  function compute() {
    var f = filtering(), ok = null, i, k, j, c;
    if (f) { ok = new Uint8Array(PAPERS.length); for (j = 0; j < PAPERS.length; j++) ok[j] = paperOk(j) ? 1 : 0; }
    wMin = Infinity; wMax = -Infinity;
    for (i = 0; i < N; i++) {
      if (f) { c = 0; var ps = NODES[i][6]; for (j = 0; j < ps.length; j++) c += ok[ps[j]]; } else c = NODES[i][4];
      nodeW[i] = c; nodeVis[i] = c > 0 && (state.detached || !NODES[i][8]) ? 1 : 0;
      wMin = Math.min(wMin, c); wMax = Math.max(wMax, c);
    }
    for (k = 0; k < E; k++) {
      var e = EDGES[k];
      if (f) { c = 0; for (j = 0; j < e[3].length; j++) c += ok[e[3][j]]; } else c = e[2];
      edgeW[k] = c;
      edgeVis[k] = nodeVis[e[0]] && nodeVis[e[1]] && c > 0 && c >= state.minW ? 1 : 0;
    }
  }
  function scaleOf(i) {  // 0..1: the node's size among the nodes (square root, as VOSviewer)
    return wMax === wMin ? 0.5 : Math.sqrt(Math.max(0, nodeW[i] - wMin) / (wMax - wMin));
  }
  var edgeMax = 1;
  EDGES.forEach(function (e) { if (e[2] > edgeMax) edgeMax = e[2]; });

  // ---- colours ----------------------------------------------------------------------------
  function nodeColour(i) {
    if (state.mode !== "overlay") return clusterColour(i);
    if (state.overlay === "year") {
      if (!yearOf[i] || yearMax === yearMin) return yearOf[i] ? YEAR_RAMP[2] : NO_DATA;
      return rgbHex(ramp(YEAR_RAMP, (yearOf[i] - yearMin) / (yearMax - yearMin)));
    }
    if (state.overlay === "category") return catOf[i] >= 0 ? catColour[catOf[i]] : NO_DATA;
    return KINDS[NODES[i][7]][2];
  }
  // the more edges, the fainter each: a hairball of opaque lines hides the nodes
  var edgeAlpha = Math.max(0.1, Math.min(0.5, 0.5 * Math.sqrt(400 / Math.max(E, 1))));
  function edgeColour(k) {
    var e = EDGES[k], a = NODES[e[0]][4] >= NODES[e[1]][4] ? e[0] : e[1];
    var c = hexRgb(nodeColour(a));
    return "rgba(" + c[0] + "," + c[1] + "," + c[2] + "," + edgeAlpha.toFixed(3) + ")";
  }

  // ---- the graph and the renderer -----------------------------------------------------------
  var graph = new graphology.Graph({ type: "undirected", multi: false, allowSelfLoops: false });
  for (var i1 = 0; i1 < N; i1++) graph.addNode(String(i1), { x: NODES[i1][2], y: -NODES[i1][3], size: 1, color: "#999" });
  for (var k1 = 0; k1 < E; k1++) graph.addEdgeWithKey("e" + k1, String(EDGES[k1][0]), String(EDGES[k1][1]), { size: 1, color: "#ccc" });
  var ringed = KINDS.some(function (k) { return k[3]; });
  var programs = {};
  if (ringed) {
    programs.ring = Sigma.rendering.createNodeBorderProgram({ borders: [
      { size: { value: 0.3 }, color: { attribute: "ring" } },
      { size: { fill: true }, color: { attribute: "color" } }] });
  }
  var container = $("map");
  var renderer = new Sigma(graph, container, {
    renderLabels: false, renderEdgeLabels: false, zIndex: true, enableCameraRotation: false,
    itemSizesReference: "screen", autoRescale: true, stagePadding: 20, minCameraRatio: 0.005, maxCameraRatio: 4,
    defaultEdgeType: "line", minEdgeThickness: 0.6, nodeProgramClasses: programs,
    hideEdgesOnMove: E > 8000,  // big maps pan and zoom without their edges, drawn again when still
    nodeReducer: function (key, attr) {
      var i = +key, out = { x: attr.x, y: attr.y, label: null };
      out.hidden = !nodeVis[i];
      out.size = NODE_PX[0] + (NODE_PX[1] - NODE_PX[0]) * scaleOf(i);
      var c = nodeColour(i), ring = KINDS[NODES[i][7]][3];
      if (lit && !lit[i]) { out.color = FADED; out.zIndex = 0; if (ring) { out.type = "ring"; out.ring = FADED; } return out; }
      out.color = c; out.zIndex = lit ? 2 : 1;
      if (ring && state.mode === "network") { out.type = "ring"; out.ring = ring; }
      else if (ringed) { out.type = "ring"; out.ring = c; }
      return out;
    },
    edgeReducer: function (key, attr) {
      var k = +key.slice(1), e = EDGES[k];
      var out = { hidden: !edgeVis[k] || state.mode === "density" };
      out.size = 0.5 + 3 * Math.sqrt(edgeW[k] / edgeMax);
      if (lit) {
        if (e[0] === state.selected || e[1] === state.selected) { out.color = "rgba(40,40,40,0.85)"; out.zIndex = 2; }
        else out.hidden = true;
      } else out.color = edgeColour(k);
      return out;
    },
  });
  var camera = renderer.getCamera();

  // ---- overlay canvases: density under the labels, labels on top ----------------------------
  function layer(cls, z) {
    var c = document.createElement("canvas");
    c.className = cls; c.style.position = "absolute"; c.style.left = "0"; c.style.top = "0";
    c.style.pointerEvents = "none"; c.style.zIndex = String(z);
    container.appendChild(c);
    return c;
  }
  var densityCanvas = layer("kg-density", 5), labelCanvas = layer("kg-labels", 6);
  var tooltip = el("div", null, "kg-tooltip");
  container.appendChild(tooltip);
  function fitCanvas(c) {
    var w = container.clientWidth, h = container.clientHeight, r = window.devicePixelRatio || 1;
    if (c.width !== Math.round(w * r) || c.height !== Math.round(h * r)) {
      c.width = Math.round(w * r); c.height = Math.round(h * r); c.style.width = w + "px"; c.style.height = h + "px";
    }
    var g = c.getContext("2d");
    g.setTransform(r, 0, 0, r, 0, 0);
    g.clearRect(0, 0, w, h);
    return g;
  }

  // label candidates: nodes ranked once per filter change (selection first, then bigger, then name)
  var ranked = [];
  function rank() {
    ranked = [];
    for (var i = 0; i < N; i++) if (nodeVis[i]) ranked.push(i);
    ranked.sort(function (a, b) {
      return (lit ? lit[b] - lit[a] : 0) || (b === state.selected) - (a === state.selected) ||
        nodeW[b] - nodeW[a] || (NODES[a][1] < NODES[b][1] ? -1 : NODES[a][1] > NODES[b][1] ? 1 : a - b);
    });
  }
  function shortLabel(s) { return s.length > 48 ? s.slice(0, 46) + "…" : s; }
  var measure = document.createElement("canvas").getContext("2d");
  var widthCache = new Map();
  function textWidth(text, px) {
    var key = px + "|" + text, w = widthCache.get(key);
    if (w === undefined) { measure.font = px + "px " + LABEL_FONT; w = measure.measureText(text).width; widthCache.set(key, w); }
    return w;
  }
  var drawn = [];  // [{i, label, box: [x0, y0, x1, y1]}] in map (container) pixels
  function drawLabels() {
    var g = fitCanvas(labelCanvas), W = container.clientWidth, H = container.clientHeight;
    drawn = [];
    if (!W || !H) return;
    var cell = 64, cols = Math.ceil(W / cell) + 1, grid = new Map();
    var limit = Math.max(30, Math.min(400, Math.round(W * H / 6000)));
    var sizeRatio = 1 / Math.sqrt(camera.ratio);
    for (var r = 0, tried = 0; r < ranked.length && drawn.length < limit && tried < MAX_SCAN; r++) {
      var i = ranked[r];
      var p = renderer.graphToViewport({ x: NODES[i][2], y: -NODES[i][3] });
      if (p.x < 0 || p.y < 0 || p.x > W || p.y > H) continue;
      tried++;
      var t = scaleOf(i), px = Math.round(LABEL_PX[0] + (LABEL_PX[1] - LABEL_PX[0]) * t);
      var text = shortLabel(NODES[i][1]), w = textWidth(text, px);
      var rad = (NODE_PX[0] + (NODE_PX[1] - NODE_PX[0]) * t) * sizeRatio;
      // centred under the dot when the dot is big, on it when small (VOSviewer puts labels on the dot)
      var cy = rad > 7 ? p.y + rad + px * 0.6 + 1 : p.y;
      var box = [p.x - w / 2 - 2, cy - px * 0.62, p.x + w / 2 + 2, cy + px * 0.62];
      if (box[0] < 1 || box[1] < 1 || box[2] > W - 1 || box[3] > H - 1) continue;
      var gx0 = Math.floor((box[0] - LABEL_GAP) / cell), gx1 = Math.floor((box[2] + LABEL_GAP) / cell);
      var gy0 = Math.floor((box[1] - LABEL_GAP) / cell), gy1 = Math.floor((box[3] + LABEL_GAP) / cell);
      var clash = false;
      for (var gx = gx0; gx <= gx1 && !clash; gx++) {
        for (var gy = gy0; gy <= gy1 && !clash; gy++) {
          var bucket = grid.get(gy * cols + gx);
          if (!bucket) continue;
          for (var b = 0; b < bucket.length; b++) {
            var o = bucket[b];
            if (box[0] < o[2] + LABEL_GAP && o[0] < box[2] + LABEL_GAP && box[1] < o[3] + LABEL_GAP && o[1] < box[3] + LABEL_GAP) { clash = true; break; }
          }
        }
      }
      if (clash) continue;
      for (gx = gx0; gx <= gx1; gx++) for (gy = gy0; gy <= gy1; gy++) {
        var key = gy * cols + gx, list = grid.get(key);
        if (!list) grid.set(key, list = []);
        list.push(box);
      }
      drawn.push({ i: i, text: text, px: px, x: p.x, y: cy, box: box });
    }
    g.textAlign = "center"; g.textBaseline = "middle"; g.lineJoin = "round";
    for (var d = drawn.length - 1; d >= 0; d--) {  // biggest last, on top
      var L = drawn[d], faded = lit && !lit[L.i];
      g.font = (L.i === state.selected ? "600 " : "") + L.px + "px " + LABEL_FONT;
      g.lineWidth = 3; g.strokeStyle = faded ? "rgba(255,255,255,0.5)" : "rgba(255,255,255,0.92)";
      g.strokeText(L.text, L.x, L.y);
      g.fillStyle = faded ? "rgba(60,60,60,0.35)" : "#1d1d1d";
      g.fillText(L.text, L.x, L.y);
    }
  }

  // VOSviewer's density view: a Gaussian kernel per node, weighted by its papers, summed on a grid
  // of 4 px cells and coloured from blue (sparse) to red (dense)
  function drawDensity() {
    var g = fitCanvas(densityCanvas), W = container.clientWidth, H = container.clientHeight;
    if (state.mode !== "density" || !W || !H) return;
    var S = 4, gw = Math.ceil(W / S), gh = Math.ceil(H / S), acc = new Float32Array(gw * gh);
    var unit = renderer.graphToViewport({ x: 90, y: 0 }).x - renderer.graphToViewport({ x: 0, y: 0 }).x;
    var sigma = Math.max(6, Math.min(80, Math.abs(unit) * 1.2)) / S, reach = Math.ceil(sigma * 2.5);
    var kernel = [];
    for (var dy = -reach; dy <= reach; dy++) for (var dx = -reach; dx <= reach; dx++) kernel.push(Math.exp(-(dx * dx + dy * dy) / (2 * sigma * sigma)));
    var peak = 0, i, x, y;
    for (i = 0; i < N; i++) {
      if (!nodeVis[i]) continue;
      var p = renderer.graphToViewport({ x: NODES[i][2], y: -NODES[i][3] });
      var cx = Math.round(p.x / S), cy = Math.round(p.y / S);
      if (cx < -reach || cy < -reach || cx >= gw + reach || cy >= gh + reach) continue;
      var wgt = Math.sqrt(nodeW[i]), kk = 0;
      for (y = cy - reach; y <= cy + reach; y++) {
        if (y < 0 || y >= gh) { kk += 2 * reach + 1; continue; }
        for (x = cx - reach; x <= cx + reach; x++, kk++) if (x >= 0 && x < gw) acc[y * gw + x] += wgt * kernel[kk];
      }
    }
    for (i = 0; i < acc.length; i++) if (acc[i] > peak) peak = acc[i];
    var small = document.createElement("canvas");
    small.width = gw; small.height = gh;
    var sg = small.getContext("2d"), img = sg.createImageData(gw, gh);
    for (i = 0; i < acc.length; i++) {
      var c = ramp(DENSITY_RAMP, peak ? Math.pow(acc[i] / peak, 0.6) : 0);
      img.data[4 * i] = c[0]; img.data[4 * i + 1] = c[1]; img.data[4 * i + 2] = c[2]; img.data[4 * i + 3] = 255;
    }
    sg.putImageData(img, 0, 0);
    g.imageSmoothingEnabled = true;
    g.drawImage(small, 0, 0, gw * S, gh * S);
  }
  renderer.on("afterRender", function () { drawDensity(); drawLabels(); });

  // ---- counts -----------------------------------------------------------------------------
  var view = (window.kgView = {
    view: D.view, renderer: "sigma", totalNodes: D.total.nodes, totalEdges: D.total.edges,
    nodeCount: 0, edgeCount: 0, selected: null, ready: false, readyMs: null, sigma: renderer, graph: graph,
    mode: state.mode, detachedCount: detachedCount,
  });
  function showCounts() {
    var n = 0, m = 0, i;
    for (i = 0; i < N; i++) n += nodeVis[i];
    for (i = 0; i < E; i++) m += edgeVis[i];
    view.nodeCount = n; view.edgeCount = m;
    var p = $("shown");
    p.textContent = "Showing " + fmt(n) + " of " + plural(D.total.nodes, D.nouns) + " and " + fmt(m) + " of " +
      plural(D.total.edges, D.edgeNouns) + (filtering() || state.minW > D.minWeight ? " (filtered)" : "") +
      (detachedCount && !state.detached ? "; " + fmt(detachedCount) + " unlinked or in small groups hidden" : "") + ".";
    p.dataset.nodes = n; p.dataset.edges = m;
    p.dataset.totalNodes = D.total.nodes; p.dataset.totalEdges = D.total.edges;
  }
  function redraw() { rank(); renderer.refresh(); showCounts(); }

  // ---- tooltips ---------------------------------------------------------------------------
  function nodeTitle(i) {
    var n = NODES[i], kind = KINDS[n[7]][0];
    var lines = [n[1], (KINDS.length > 1 ? kind + " · " : "") + plural(n[4], ["paper", "papers"]) + " · " + plural(adj[i].length, D.edgeNouns)];
    if (yearOf[i]) lines.push("average year " + yearOf[i].toFixed(1));
    var ps = n[6];
    for (var j = 0; j < Math.min(ps.length, 5); j++) lines.push("• " + PAPERS[ps[j]][0]);
    if (ps.length > 5) lines.push("… and " + fmt(ps.length - 5) + " more (click for the list)");
    return lines.join("\n");
  }
  renderer.on("enterNode", function (ev) {
    var i = +ev.node, p = renderer.graphToViewport({ x: NODES[i][2], y: -NODES[i][3] });
    tooltip.textContent = nodeTitle(i);
    tooltip.style.left = Math.min(p.x + 12, Math.max(0, container.clientWidth - 430)) + "px";
    tooltip.style.top = (p.y + 12) + "px";
    tooltip.style.visibility = "visible";
    container.style.cursor = "pointer";
  });
  renderer.on("leaveNode", function () { tooltip.style.visibility = "hidden"; container.style.cursor = ""; });

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
    if (i < 0) lit = null;
    else {
      lit = new Uint8Array(N); lit[i] = 1;
      neighbours(i).forEach(function (x) { lit[x[0]] = 1; });
    }
    showDetails(i);
    redraw();
  }
  function showDetails(i) {
    var box = $("details");
    box.replaceChildren();
    if (i < 0) { box.appendChild(el("p", "Click a node to see its papers and links; click the background to clear.", "hint")); return; }
    var n = NODES[i];
    box.appendChild(el("h2", n[1]));
    var c = n[5];
    box.appendChild(el("p", KINDS[n[7]][0] + " · " + plural(n[4], ["paper", "papers"]) +
      (c < D.clusters.length ? " · cluster " + (c + 1) : "") + (yearOf[i] ? " · average year " + yearOf[i].toFixed(1) : "") +
      (filtering() ? " · " + fmt(nodeW[i]) + " in the filter" : ""), "muted"));
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
  renderer.on("clickNode", function (ev) { select(+ev.node); });
  renderer.on("clickStage", function () { select(-1); });

  // ---- camera -----------------------------------------------------------------------------
  // the visible nodes (or `only`) in view with a margin; the camera state is found by measuring
  // the box at the current state and scaling (the projection is linear in the ratio)
  function fitTo(only, animate) {
    var x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity, i, any = false;
    for (i = 0; i < N; i++) {
      if (only ? !only[i] : !nodeVis[i]) continue;
      any = true;
      x0 = Math.min(x0, NODES[i][2]); x1 = Math.max(x1, NODES[i][2]);
      y0 = Math.min(y0, -NODES[i][3]); y1 = Math.max(y1, -NODES[i][3]);
    }
    if (!any) { camera.setState({ x: 0.5, y: 0.5, ratio: 1, angle: 0 }); return; }
    var W = container.clientWidth || 1, H = container.clientHeight || 1, pad = 40;
    var f0 = renderer.normalizationFunction({ x: x0, y: y0 }), f1 = renderer.normalizationFunction({ x: x1, y: y1 });
    var st = { x: (f0.x + f1.x) / 2, y: (f0.y + f1.y) / 2, ratio: 1, angle: 0 };
    var a = renderer.framedGraphToViewport(f0, { cameraState: st }), b = renderer.framedGraphToViewport(f1, { cameraState: st });
    var need = Math.max(Math.abs(b.x - a.x) / Math.max(W - 2 * pad, 50), Math.abs(b.y - a.y) / Math.max(H - 2 * pad, 50));
    st.ratio = Math.max(need, 0.02);
    if (animate) camera.animate(st, { duration: 300 }); else camera.setState(st);
  }
  function focusNode(i) {
    $("search-status").textContent = "";
    if (!nodeVis[i]) {
      if (NODES[i][8] && !state.detached) { state.detached = true; $("detached").checked = true; }
      resetFilters();
      $("search-status").textContent = "Filters were reset to show " + NODES[i][1] + ".";
    }
    select(i);
    var f = renderer.normalizationFunction({ x: NODES[i][2], y: -NODES[i][3] });
    camera.animate({ x: f.x, y: f.y, ratio: Math.min(camera.ratio, 0.25) }, { duration: 300 });
  }

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
  function search(q) {
    var i = find(q);
    if (i < 0) { $("search-status").textContent = "No " + D.nouns[0] + " matches “" + q.trim() + "”."; return null; }
    focusNode(i);
    return NODES[i][0];
  }
  $("search-form").addEventListener("submit", function (ev) { ev.preventDefault(); search($("search").value); });
  var dl = $("search-labels"), seen = new Set(), order = NODES.map(function (n, i) { return i; });
  order.sort(function (a, b) { return NODES[b][4] - NODES[a][4] || lowered[a].localeCompare(lowered[b]); });
  order.slice(0, 5000).forEach(function (i) {
    if (seen.has(NODES[i][1])) return;
    seen.add(NODES[i][1]);
    var o = document.createElement("option"); o.value = NODES[i][1]; dl.appendChild(o);
  });

  // ---- filter and view controls ------------------------------------------------------------
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
  var slider = $("min-weight");
  slider.min = String(D.minWeight); slider.max = String(Math.max(edgeMax, D.minWeight)); slider.value = String(D.minWeight);
  $("min-weight-value").textContent = String(D.minWeight);
  var detachedBox = $("detached");
  if (!detachedCount) { $("detached-label").hidden = true; }
  $("detached-count").textContent = fmt(detachedCount);
  var overlaySel = $("overlay");
  [["kind", "kind"], ["year", "average year (first seen)"], ["category", "main category"]].forEach(function (o) {
    if (o[0] === "kind" && KINDS.length < 2) return;
    if (o[0] === "year" && !D.years.length) return;
    if (o[0] === "category" && !D.categories.length) return;
    var opt = el("option", o[1]); opt.value = o[0]; overlaySel.appendChild(opt);
  });
  if (overlaySel.options.length) overlaySel.value = state.overlay; else state.overlay = "";
  function apply() {
    state.cat = catSel.value;
    state.y0 = $("year-from") ? Number($("year-from").value) || 0 : 0;
    state.y1 = $("year-to") ? Number($("year-to").value) || 0 : 0;
    state.minW = Number(slider.value) || 1;
    state.detached = detachedBox.checked;
    $("min-weight-value").textContent = String(state.minW);
    compute();
    if (state.selected >= 0 && !nodeVis[state.selected]) select(-1);
    else if (state.selected >= 0) select(state.selected);
    else redraw();
    legend();
  }
  function resetFilters() {
    catSel.value = "";
    if ($("year-from")) { $("year-from").value = ""; $("year-to").value = ""; }
    slider.value = String(D.minWeight);
    apply();
  }
  function setMode(mode, overlay) {
    if (["network", "overlay", "density"].indexOf(mode) < 0) throw new Error("unknown view mode " + mode);
    if (mode === "overlay" && !overlaySel.options.length) mode = "network";
    state.mode = mode; view.mode = mode;
    if (overlay && overlay !== state.overlay) { state.overlay = overlay; overlaySel.value = overlay; }
    document.querySelectorAll("#modes button").forEach(function (b) { b.setAttribute("aria-pressed", String(b.dataset.mode === mode)); });
    overlaySel.disabled = mode !== "overlay";
    redraw();
    legend();
    return mode;
  }
  document.querySelectorAll("#modes button").forEach(function (b) {
    if (b.dataset.mode === "overlay" && !overlaySel.options.length) b.disabled = true;
    b.addEventListener("click", function () { setMode(b.dataset.mode); });
  });
  overlaySel.addEventListener("change", function () { setMode("overlay", overlaySel.value); });
  catSel.addEventListener("change", apply);
  if ($("year-from")) { $("year-from").addEventListener("change", apply); $("year-to").addEventListener("change", apply); }
  slider.addEventListener("input", function () { $("min-weight-value").textContent = slider.value; });
  slider.addEventListener("change", apply);
  detachedBox.addEventListener("change", function () { apply(); fitTo(null, true); });
  $("reset").addEventListener("click", function () {
    detachedBox.checked = false; resetFilters(); select(-1); setMode("network"); fitTo(null, false);
  });
  document.addEventListener("keydown", function (ev) { if (ev.key === "Escape") select(-1); });

  // ---- legend -----------------------------------------------------------------------------
  function swatchRow(box, colour, text, ring) {
    var r = el("div", null, "legend-row"), s = el("span", null, "swatch");
    s.style.background = colour;
    if (ring) s.style.boxShadow = "inset 0 0 0 3px " + ring;
    r.appendChild(s); r.appendChild(el("span", text));
    box.appendChild(r);
  }
  function legend() {
    var box = $("legend");
    box.replaceChildren();
    box.appendChild(el("h3", "Legend"));
    swatchRow(box, D.otherColour, (KINDS.length > 1 ? "term" : D.nodeType) + " — size: " + D.sizeMeaning);
    var row = el("div", null, "legend-row");
    row.appendChild(el("span", null, "line"));
    row.appendChild(el("span", "link — width: " + D.weightMeaning));
    box.appendChild(row);
    if (state.mode === "density") {
      box.appendChild(el("h3", "Density"));
      var bar = el("div", null, "ramp");
      bar.style.background = "linear-gradient(to right," + DENSITY_RAMP.map(function (c) { return rgbHex(c); }).join(",") + ")";
      box.appendChild(bar);
      box.appendChild(el("p", "where many " + D.nouns[1] + " with many papers lie close together (blue: few, red: many)", "muted"));
    } else if (state.mode === "overlay" && state.overlay === "year") {
      box.appendChild(el("h3", "Average year the papers were first seen"));
      var bar2 = el("div", null, "ramp");
      bar2.style.background = "linear-gradient(to right," + YEAR_RAMP.join(",") + ")";
      box.appendChild(bar2);
      box.appendChild(el("p", (isFinite(yearMin) ? yearMin.toFixed(0) + " → " + yearMax.toFixed(0) : "no years") + "; grey: no year known", "muted"));
    } else if (state.mode === "overlay" && state.overlay === "category") {
      box.appendChild(el("h3", "Main category of the papers"));
      catRank.slice(0, CATEGORY_COLOURS.length).forEach(function (c) {
        swatchRow(box, catColour[c], D.categories[c][0] + (D.categories[c][1] !== D.categories[c][0] ? " — " + D.categories[c][1] : ""));
      });
      swatchRow(box, NO_DATA, "other or unknown");
    } else if (state.mode === "overlay") {
      box.appendChild(el("h3", "Kind"));
      KINDS.forEach(function (k) { swatchRow(box, k[2], k[1]); });
    } else {
      if (ringed) {
        box.appendChild(el("h3", "Kinds (ring colour)"));
        KINDS.forEach(function (k) { swatchRow(box, "#8c8c8c", k[1] + (k[3] ? "" : " (no ring)"), k[3]); });
      }
      box.appendChild(el("h3", "Clusters (Leiden)"));
      D.clusters.forEach(function (c, i) { swatchRow(box, c.colour, (i + 1) + ". " + c.top.join(", ") + " (" + fmt(c.size) + ")"); });
      var rest = D.clusterCount - D.clusters.length;
      if (rest > 0) swatchRow(box, D.otherColour, "other: " + plural(rest, ["smaller cluster", "smaller clusters"]) + " (unlinked " + D.nouns[1] + " included)");
    }
  }

  // ---- PNG: sigma's WebGL layers drawn right after a render, then density and labels -------------
  function snapshot() {
    renderer.render();
    var W = container.clientWidth, H = container.clientHeight, r = window.devicePixelRatio || 1;
    var c = document.createElement("canvas");
    c.width = Math.round(W * r); c.height = Math.round(H * r);
    var g = c.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, c.width, c.height);
    var layers = renderer.getCanvases();
    ["edges", "nodes"].forEach(function (name) { if (layers[name]) g.drawImage(layers[name], 0, 0, c.width, c.height); });
    if (state.mode === "density") g.drawImage(densityCanvas, 0, 0, c.width, c.height);
    g.drawImage(labelCanvas, 0, 0, c.width, c.height);
    return c;
  }
  view.png = function () { return snapshot().toDataURL("image/png"); };
  $("png").addEventListener("click", function () {
    snapshot().toBlob(function (blob) {
      var a = document.createElement("a");
      a.href = URL.createObjectURL(blob); a.download = D.view + "-" + state.mode + ".png";
      document.body.appendChild(a); a.click();
      setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
    }, "image/png");
  });

  // ---- the test contract ---------------------------------------------------------------------
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
    if ("yearFrom" in f && $("year-from")) $("year-from").value = f.yearFrom ? String(f.yearFrom) : "";
    if ("yearTo" in f && $("year-to")) $("year-to").value = f.yearTo ? String(f.yearTo) : "";
    if ("detached" in f) detachedBox.checked = !!f.detached;
    apply();
    return { nodes: view.nodeCount, edges: view.edgeCount };
  };
  view.setMode = setMode;
  view.fit = function () { fitTo(null, false); };
  // the labels drawn now: [{label, box: [x0, y0, x1, y1]}] in CSS pixels of the page (full text in `label`)
  view.labels = function () {
    var r = container.getBoundingClientRect();
    return drawn.map(function (L) {
      return { label: NODES[L.i][1], id: NODES[L.i][0], size: L.px,
               box: [L.box[0] + r.left, L.box[1] + r.top, L.box[2] + r.left, L.box[3] + r.top] };
    });
  };
  // the nodes drawn at full strength now: the selection and its neighbours, or every visible node
  view.highlighted = function () {
    var out = [];
    for (var i = 0; i < N; i++) if (nodeVis[i] && (!lit || lit[i])) out.push(NODES[i][0]);
    return out.sort();
  };
  // where a node is drawn, in CSS pixels of the page (null when it is not)
  view.position = function (id) {
    var i = index.get(id);
    if (i === undefined || !nodeVis[i]) return null;
    var p = renderer.graphToViewport({ x: NODES[i][2], y: -NODES[i][3] }), r = container.getBoundingClientRect();
    return [p.x + r.left, p.y + r.top];
  };
  view.mapBox = function () { var r = container.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };

  compute();
  rank();
  legend();
  showCounts();
  fitTo(null, false);
  renderer.once("afterRender", function () {
    view.ready = true;
    view.readyMs = performance.now();  // from navigation start (performance.now() counts from it)
    view.scriptMs = performance.now() - t0;
    document.body.dataset.ready = "true";
  });
  renderer.refresh();
})();
