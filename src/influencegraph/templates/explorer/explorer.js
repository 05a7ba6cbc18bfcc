/* influencegraph explorer: name suggestions while typing, and (in a published site) search
   and path lookup over the index embedded in the page. Text reaches the page only through
   textContent, never as markup. */
(function () {
  "use strict";
  var body = document.body;
  var root = body.getAttribute("data-root") || "";
  var isStatic = body.getAttribute("data-mode") === "static";
  var indexNode = document.getElementById("ig-index");
  var index = indexNode ? JSON.parse(indexNode.textContent) : null;

  function normalise(text) {
    return String(text).normalize("NFKC").replace(/[\u2018\u2019\u201b`]/g, "'")
      .replace(/[\u201c\u201d]/g, '"').replace(/[\u2013\u2014]/g, "-")
      .toLowerCase().replace(/\s+/g, " ").trim();
  }

  function bigrams(text) {
    var grams = {};
    for (var i = 0; i < text.length - 1; i++) { grams[text.slice(i, i + 2)] = (grams[text.slice(i, i + 2)] || 0) + 1; }
    return grams;
  }

  function similarity(a, b) {
    if (a.length < 2 || b.length < 2) { return a === b ? 1 : 0; }
    var x = bigrams(a), y = bigrams(b), common = 0, total = 0, k;
    for (k in x) { total += x[k]; if (y[k]) { common += Math.min(x[k], y[k]); } }
    for (k in y) { total += y[k]; }
    return 2 * common / total;
  }

  function score(query, label) {
    if (query === label) { return 1; }
    var at = label.indexOf(query);
    if (at >= 0) { return 0.8 + 0.19 * query.length / label.length; }
    var best = similarity(query, label);
    label.split(" ").forEach(function (word) { best = Math.max(best, 0.95 * similarity(query, word)); });
    return best;
  }

  /* index.entities rows: [label, type, page, other labels...] */
  function searchIndex(text, limit, cutoff) {
    var query = normalise(text), hits = [];
    if (!query || !index) { return hits; }
    index.entities.forEach(function (row) {
      var best = 0;
      for (var i = 0; i < row.length; i++) {
        if (i === 1 || i === 2) { continue; }
        best = Math.max(best, score(query, normalise(row[i])));
      }
      if (best >= cutoff) { hits.push({ label: row[0], type: row[1], page: row[2], score: best }); }
    });
    hits.sort(function (a, b) { return b.score - a.score || a.label.localeCompare(b.label); });
    return hits.slice(0, limit);
  }

  function el(tag, text, cls) {
    var node = document.createElement(tag);
    if (text !== undefined) { node.textContent = text; }
    if (cls) { node.className = cls; }
    return node;
  }

  function fill(list, items) {
    list.replaceChildren.apply(list, items.map(function (item) {
      var option = document.createElement("option");
      option.value = item.label;
      option.textContent = item.type;
      return option;
    }));
  }

  var timer = null;
  function suggest(input) {
    var list = document.getElementById(input.getAttribute("data-suggest"));
    var text = input.value;
    if (!list || text.trim().length < 2) { return; }
    if (index) { fill(list, searchIndex(text, 8, 0.5)); return; }
    if (isStatic) { return; }  /* a published page without the index: nothing to ask */
    clearTimeout(timer);
    timer = setTimeout(function () {
      fetch(root + "suggest?q=" + encodeURIComponent(text), { headers: { Accept: "application/json" } })
        .then(function (r) { return r.ok ? r.json() : []; })
        .then(function (items) { if (input.value === text) { fill(list, items); } })
        .catch(function () { /* suggestions are a convenience: typing still works */ });
    }, 120);
  }
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    input.addEventListener("input", function () { suggest(input); });
  });

  var params = new URLSearchParams(window.location.search);

  function link(item) {
    var li = el("li");
    var a = el("a", item.label);
    a.href = root + item.page;
    li.appendChild(a);
    li.appendChild(document.createTextNode(" "));
    li.appendChild(el("span", item.type, "type"));
    return li;
  }

  /* A published site's search page: results computed here, from the embedded index. */
  var results = document.getElementById("search-results");
  if (isStatic && results && index) {
    var text = params.get("q") || "";
    var box = document.getElementById("search-q");
    if (box) { box.value = text; }
    if (text.trim()) {
      var hits = searchIndex(text, 25, 0.5);
      var parts = [];
      if (hits.length) {
        parts.push(el("p", hits.length + (hits.length === 1 ? " match" : " matches") + " for \u201c" + text + "\u201d"));
        var ol = el("ol", undefined, "hits");
        hits.forEach(function (hit) { ol.appendChild(link(hit)); });
        parts.push(ol);
      } else {
        parts.push(el("p", "No entity matches \u201c" + text + "\u201d."));
        var close = searchIndex(text, 5, 0.3);
        if (close.length) {
          parts.push(el("p", "Did you mean:"));
          var ul = el("ul", undefined, "suggestions");
          close.forEach(function (hit) { ul.appendChild(link(hit)); });
          parts.push(ul);
        }
      }
      results.replaceChildren.apply(results, parts);
    }
  }

  /* A published site's path form: open the path page written for the two names, if any. */
  var form = document.getElementById("path-form");
  if (isStatic && form && index) {
    var message = document.getElementById("path-message");
    var byName = {};
    index.entities.forEach(function (row) {
      for (var i = 0; i < row.length; i++) { if (i !== 1 && i !== 2) { byName[normalise(row[i])] = row[2]; } }
    });
    form.addEventListener("submit", function (event) {
      event.preventDefault();
      var from = byName[normalise(form.elements.from.value)];
      var to = byName[normalise(form.elements.to.value)];
      var mode = form.elements.mode.value;
      if (!from || !to) {
        message.textContent = "No entity is called " + (from ? form.elements.to.value : form.elements.from.value) + "; pick a name from the suggestions.";
        return;
      }
      var key = mode + " " + from + " " + to;
      if (index.paths && index.paths[key]) { window.location.href = root + index.paths[key]; return; }
      message.textContent = "This published copy holds no " + mode + " path between these two; run `influencegraph path` or `influencegraph serve` to trace it.";
    });
  }

  if (!document.getElementById("ig-data")) { body.setAttribute("data-ready", "true"); }
}());
