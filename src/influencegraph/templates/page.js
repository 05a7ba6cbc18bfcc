/* influencegraph page script: draws the graph data embedded in #ig-data with vis-network.
   Every text from the graph reaches the screen through textContent (never innerHTML). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ig-data").textContent);
  var container = document.getElementById("ig-network");
  var main = document.getElementById("ig-main");
  var tip = document.getElementById("ig-tip");
  var groups = data.options.groups || {};
  var HIGHLIGHT = data.style.highlight, PATH = 1, DIM = 2, INFERRED = 4;

  function text(index) { return index === null ? null : data.strings[index]; }

  /* Rows (see render.NODE_FIELDS / EDGE_FIELDS) -> vis-network items. */
  var nodes = new vis.DataSet(data.nodes.map(function (row, i) {
    var type = data.types[row[2]];
    var colour = groups[type] ? groups[type].color.background : data.style.other;
    var item = { id: i, iri: row[0], label: row[1], type: type, year: row[3],
                 rank: row[4], size: row[5] };
    if (groups[type]) { item.group = type; } else { item.color = { background: colour, border: "#555555" }; }
    if (row[6] & PATH) { item.borderWidth = 5; item.color = { background: colour, border: HIGHLIGHT }; }
    else if (row[6] & DIM) { item.opacity = 0.35; }
    return item;
  }));
  var edges = new vis.DataSet(data.edges.map(function (row, j) {
    var kind = data.kinds[row[2]];
    var item = { id: j, from: row[0], to: row[1], kind: kind[0],
                 relation: row[3] === null ? kind[1] : text(row[3]),
                 evidence: row[4], source: text(row[5]), claimant: text(row[6]), reason: row[7],
                 width: kind[3], color: { color: kind[2], highlight: kind[2], hover: kind[2] } };
    if (data.labelEdges) { item.label = item.relation; }
    if (row[8] & INFERRED) { item.dashes = true; }
    if (row[8] & PATH) { item.width = 6; item.color = { color: HIGHLIGHT, highlight: HIGHLIGHT, hover: HIGHLIGHT }; }
    else if (row[8] & DIM) { item.color.opacity = 0.25; }
    return item;
  }));
  var network = new vis.Network(container, { nodes: nodes, edges: edges }, data.options);

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined) { node.textContent = String(text); }
    return node;
  }

  function field(parent, name, value) {
    if (value === undefined || value === null || value === "") { return; }
    var row = el("div", "ig-tip-field");
    row.appendChild(el("b", "", name + ": "));
    row.appendChild(document.createTextNode(String(value)));
    parent.appendChild(row);
  }

  function nodeTip(item) {
    var box = el("div", "ig-tip-node");
    box.appendChild(el("div", "ig-tip-title", item.label));
    field(box, "type", item.type);
    field(box, "year", item.year);
    field(box, "PageRank", item.rank);
    return box;
  }

  function edgeTip(item) {
    var box = el("div", "ig-tip-edge");
    var from = nodes.get(item.from), to = nodes.get(item.to);
    box.appendChild(el("div", "ig-tip-title",
      (from ? from.label : "?") + " \u2192 " + (to ? to.label : "?")));
    field(box, "relation", item.relation);
    if (item.evidence) { box.appendChild(el("blockquote", "ig-evidence", "\u201c" + item.evidence + "\u201d")); }
    field(box, "source", item.source);
    field(box, "claimant", item.claimant);
    if (item.dashes) { field(box, "inferred", item.reason || "yes"); }
    return box;
  }

  function show(content, x, y) {
    tip.replaceChildren(content);
    tip.hidden = false;
    var width = main.clientWidth, height = main.clientHeight;
    var left = Math.min(x + 14, Math.max(0, width - tip.offsetWidth - 4));
    var top = y + 14 + tip.offsetHeight > height ? Math.max(0, y - tip.offsetHeight - 10) : y + 14;
    tip.style.left = left + "px";
    tip.style.top = top + "px";
  }

  function hide() { tip.hidden = true; tip.replaceChildren(); }

  function showNode(id, pointer) {
    var item = nodes.get(id);
    if (!item) { return; }
    var at = pointer || network.canvasToDOM(network.getPosition(id));
    show(nodeTip(item), at.x, at.y);
  }

  function showEdge(id, pointer) {
    var item = edges.get(id);
    if (!item) { return; }
    var at = pointer;
    if (!at) {
      var a = network.getPosition(item.from), b = network.getPosition(item.to);
      at = network.canvasToDOM({ x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 });
    }
    show(edgeTip(item), at.x, at.y);
  }

  network.on("hoverNode", function (params) { showNode(params.node, params.pointer.DOM); });
  network.on("hoverEdge", function (params) { showEdge(params.edge, params.pointer.DOM); });
  network.on("blurNode", hide);
  network.on("blurEdge", hide);
  network.on("dragStart", hide);
  network.on("zoom", hide);
  network.on("click", function (params) {
    if (params.nodes.length) { showNode(params.nodes[0], params.pointer.DOM); }
    else if (params.edges.length) { showEdge(params.edges[0], params.pointer.DOM); }
    else { hide(); }
  });

  var status = document.getElementById("ig-status");
  network.on("stabilizationProgress", function (params) {
    status.textContent = "Laying out " + data.nodes.length + " entities: " +
      Math.round(100 * params.iterations / params.total) + "%";
  });

  function ready() {
    status.hidden = true;
    network.setOptions({ physics: { enabled: false } });
    network.fit();
    document.body.setAttribute("data-ready", "true");
  }
  if (data.options.physics && data.options.physics.enabled === false) {
    network.once("afterDrawing", ready);
  } else {
    network.once("stabilizationIterationsDone", ready);
  }

  window.influencegraph = {
    network: network, nodes: nodes, edges: edges,
    showNode: showNode, showEdge: showEdge, hideTip: hide
  };
}());
