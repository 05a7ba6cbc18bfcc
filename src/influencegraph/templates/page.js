/* influencegraph page script: draws the graph data embedded in #ig-data with vis-network.
   Every text from the graph reaches the screen through textContent (never innerHTML). */
(function () {
  "use strict";
  var data = JSON.parse(document.getElementById("ig-data").textContent);
  var container = document.getElementById("ig-network");
  var main = document.getElementById("ig-main");
  var tip = document.getElementById("ig-tip");
  var nodes = new vis.DataSet(data.nodes);
  var edges = new vis.DataSet(data.edges);
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

  function ready() {
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
