// The live dashboard of a stream: draws the charts as SVG from the JSON the server renders
// into the page, then polls the data endpoint every few seconds and redraws — no reload, no
// inline script or style (the CSP forbids both), no library. Polling stops while the tab is
// hidden and resumes at once when it is shown again.
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var root, labels, numbers, decimals, timer = null, inFlight = false, showOfficer = false;

  function el(tag, attrs, parent) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs || {}).forEach(function (key) { node.setAttribute(key, attrs[key]); });
    if (parent) parent.appendChild(node);
    return node;
  }

  function text(parent, x, y, content, cls) {
    var node = el("text", { x: x, y: y, "class": cls || "axis-label" }, parent);
    node.textContent = content;
    return node;
  }

  function tip(node, content) {
    el("title", {}, node).textContent = content;
  }

  function fmt(value) {
    return value === null || value === undefined ? "–" : numbers.format(value);
  }

  function pct(value) {
    return value === null || value === undefined ? "–" : decimals.format(value) + " %";
  }

  function niceMax(value) {
    if (value <= 5) return 5;
    var power = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 2.5, 5, 10];
    for (var i = 0; i < steps.length; i++) {
      if (steps[i] * power >= value) return steps[i] * power;
    }
    return 10 * power;
  }

  function canvas(id, width, height) {
    var box = document.getElementById(id);
    var svg = el("svg", { viewBox: "0 0 " + width + " " + height, "class": "chart-svg", focusable: "false" });
    box.replaceChildren(svg);
    return svg;
  }

  // Horizontal grid lines with their values on the left.
  function yAxis(svg, plot, max, format) {
    for (var i = 0; i <= 4; i++) {
      var value = max * i / 4;
      var y = plot.bottom - (plot.bottom - plot.top) * i / 4;
      el("line", { x1: plot.left, x2: plot.right, y1: y, y2: y, "class": "grid" }, svg);
      text(svg, plot.left - 6, y + 4, format(value), "axis-label axis-y");
    }
  }

  function drawPerDay(days) {
    var width = 640, height = 220;
    var plot = { left: 44, right: width - 8, top: 10, bottom: height - 26 };
    var svg = canvas("chart-per-day", width, height);
    var max = niceMax(Math.max.apply(null, days.map(function (d) { return Math.max(d.started, d.completed); }).concat([1])));
    yAxis(svg, plot, max, function (v) { return fmt(Math.round(v)); });
    var slot = (plot.right - plot.left) / days.length;
    var bar = Math.max(1, slot / 2 - 1);
    days.forEach(function (d, i) {
      var x = plot.left + i * slot;
      [["started", d.started, 0], ["completed", d.completed, 1]].forEach(function (s) {
        var h = (plot.bottom - plot.top) * s[1] / max;
        var rect = el("rect", { x: x + s[2] * bar + 1, y: plot.bottom - h, width: bar, height: h, "class": "bar bar-" + s[0] }, svg);
        tip(rect, d.label + ": " + fmt(s[1]) + " " + labels[s[0]]);
      });
      if (i % 5 === 0 || i === days.length - 1) text(svg, x + slot / 2, height - 8, d.label, "axis-label axis-x");
    });
  }

  function drawDurations(durations) {
    var width = 640, height = 220;
    var plot = { left: 44, right: width - 8, top: 16, bottom: height - 26 };
    var svg = canvas("chart-durations", width, height);
    var bins = durations.bins;
    var max = niceMax(Math.max.apply(null, bins.map(function (b) { return b.cases; }).concat([1])));
    yAxis(svg, plot, max, function (v) { return fmt(Math.round(v)); });
    var slot = (plot.right - plot.left) / bins.length;
    var span = bins[bins.length - 1].from_seconds; // the open last bin takes one slot too
    var xOf = function (seconds) { return plot.left + (plot.right - plot.left - slot) * seconds / span; };
    bins.forEach(function (b, i) {
      var h = (plot.bottom - plot.top) * b.cases / max;
      var over = durations.sla_seconds > 0 && b.from_seconds >= durations.sla_seconds;
      var rect = el("rect", { x: plot.left + i * slot + 1, y: plot.bottom - h, width: slot - 2, height: h, "class": "bar " + (over ? "bar-over" : "bar-within") }, svg);
      tip(rect, fmt(b.cases) + " " + labels.cases);
    });
    durations.ticks.forEach(function (t) {
      text(svg, xOf(t.seconds), height - 8, t.label, "axis-label axis-x");
    });
    text(svg, plot.right - slot / 2, height - 8, bins[bins.length - 1].label, "axis-label axis-x");
    if (durations.sla_seconds > 0) {
      var x = xOf(durations.sla_seconds);
      el("line", { x1: x, x2: x, y1: plot.top - 6, y2: plot.bottom, "class": "sla-line" }, svg);
      text(svg, x + 4, plot.top + 4, labels.sla, "axis-label sla-label");
    }
  }

  function drawSla(days, target) {
    var width = 640, height = 220;
    var plot = { left: 44, right: width - 8, top: 10, bottom: height - 26 };
    var svg = canvas("chart-sla", width, height);
    yAxis(svg, plot, 100, function (v) { return Math.round(v) + " %"; });
    var slot = (plot.right - plot.left) / days.length;
    days.forEach(function (d, i) {
      var x = plot.left + i * slot;
      if (d.within_sla_pct !== null) {
        var h = (plot.bottom - plot.top) * d.within_sla_pct / 100;
        var cls = d.within_sla_pct >= target ? "bar bar-within" : "bar bar-over";
        var rect = el("rect", { x: x + 1, y: plot.bottom - h, width: Math.max(1, slot - 2), height: h, "class": cls }, svg);
        tip(rect, d.label + ": " + pct(d.within_sla_pct) + " " + labels.within_sla + " (" + fmt(d.completed) + " " + labels.completed + ")");
      }
      if (i % 5 === 0 || i === days.length - 1) text(svg, x + slot / 2, height - 8, d.label, "axis-label axis-x");
    });
    var y = plot.bottom - (plot.bottom - plot.top) * target / 100;
    el("line", { x1: plot.left, x2: plot.right, y1: y, y2: y, "class": "target-line" }, svg);
    text(svg, plot.right - 4, y - 4, labels.target + " " + decimals.format(target) + " %", "axis-label target-label");
  }

  function drawOpenAge(buckets) {
    var row = 30, width = 640, height = buckets.length * row + 8;
    var plot = { left: 120, right: width - 60 };
    if (!buckets.some(function (b) { return b.cases > 0; })) {
      var empty = document.createElement("p");
      empty.className = "empty-chart";
      empty.id = "open-age-empty";
      empty.textContent = labels.no_open;
      document.getElementById("chart-open-age").replaceChildren(empty);
      return;
    }
    var svg = canvas("chart-open-age", width, height);
    var max = Math.max.apply(null, buckets.map(function (b) { return b.cases; }).concat([1]));
    buckets.forEach(function (b, i) {
      var y = 4 + i * row;
      text(svg, plot.left - 8, y + row / 2 + 4, b.label, "axis-label axis-y");
      var w = (plot.right - plot.left) * b.cases / max;
      var rect = el("rect", { x: plot.left, y: y + 4, width: w, height: row - 10, "class": "bar " + (b.past_sla ? "bar-over" : "bar-open"), "data-bucket": b.key }, svg);
      tip(rect, b.label + ": " + fmt(b.cases) + " " + labels.cases);
      text(svg, plot.left + w + 6, y + row / 2 + 4, fmt(b.cases), "axis-label value-label");
    });
  }

  function cell(tr, content, label, cls) {
    var td = document.createElement("td");
    td.textContent = content === null || content === undefined || content === "" ? "–" : content;
    td.setAttribute("data-label", label);
    if (cls) td.className = cls;
    tr.appendChild(td);
  }

  function drawBreached(breached) {
    document.getElementById("breached-total").textContent = fmt(breached.total);
    var body = document.getElementById("breached-rows");
    var heads = Array.prototype.map.call(document.querySelectorAll("#breached-table thead th"), function (th) { return th.textContent; });
    var rows = breached.cases.map(function (c) {
      var tr = document.createElement("tr");
      var k = 0;
      cell(tr, c.case, heads[k++]);
      cell(tr, c.unit_name, heads[k++]);
      if (showOfficer) cell(tr, c.officer_name, heads[k++]);
      cell(tr, c.completed_label, heads[k++]);
      cell(tr, c.duration_label, heads[k++], "num");
      cell(tr, c.sla_duration_label, heads[k++], "num");
      return tr;
    });
    if (!rows.length) {
      var tr = document.createElement("tr");
      tr.className = "empty-row";
      var td = document.createElement("td");
      td.colSpan = heads.length;
      td.textContent = labels.no_breached;
      tr.appendChild(td);
      rows = [tr];
    }
    body.replaceChildren.apply(body, rows);
  }

  function render(data) {
    var h = data.headline;
    document.getElementById("headline-cases-today").textContent = fmt(h.cases_today);
    document.getElementById("headline-completed-today").textContent = fmt(h.completed_today);
    document.getElementById("headline-open-now").textContent = fmt(h.open_now);
    document.getElementById("headline-median").textContent = h.median_label || "–";
    document.getElementById("headline-p90").textContent = h.p90_label || "–";
    var within = document.getElementById("headline-within-sla");
    within.textContent = pct(h.within_sla_pct);
    within.classList.toggle("below-target", h.within_sla_pct !== null && h.within_sla_pct < data.sla.target_pct);
    var updated = document.getElementById("updated-at");
    updated.textContent = labels.updated_at.replace("%(when)s", data.updated_label);
    updated.setAttribute("data-computed-at", data.computed_at);
    drawPerDay(data.per_day);
    drawDurations(data.durations);
    drawSla(data.per_day, data.sla.target_pct);
    drawOpenAge(data.open_by_age);
    drawBreached(data.breached);
  }

  function status(message) {
    var node = document.getElementById("refresh-status");
    node.textContent = message || "";
    node.hidden = !message;
    root.classList.toggle("is-stale", !!message);
  }

  function schedule() {
    clearTimeout(timer);
    timer = null;
    if (!document.hidden) timer = setTimeout(refresh, Number(root.getAttribute("data-refresh-ms")) || 2500);
  }

  function refresh() {
    if (inFlight) return;
    inFlight = true;
    var controller = window.AbortController ? new AbortController() : null;
    var guard = controller ? setTimeout(function () { controller.abort(); }, 10000) : null;
    fetch(root.getAttribute("data-url"), {
      credentials: "same-origin",
      cache: "no-store",
      headers: { Accept: "application/json" },
      signal: controller ? controller.signal : undefined
    }).then(function (response) {
      var type = response.headers.get("Content-Type") || "";
      // A redirect to the sign-in page (the session ended) is a failure too.
      if (!response.ok || type.indexOf("application/json") !== 0) throw new Error("HTTP " + response.status);
      return response.json();
    }).then(function (data) {
      render(data);
      status("");
    }).catch(function () {
      status(labels.refresh_failed);
    }).then(function () {
      clearTimeout(guard);
      inFlight = false;
      schedule();
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    root = document.getElementById("stream-dashboard");
    if (!root) return;
    labels = JSON.parse(document.getElementById("dashboard-labels").textContent);
    var lang = document.documentElement.lang || "id";
    numbers = new Intl.NumberFormat(lang, { maximumFractionDigits: 0 });
    decimals = new Intl.NumberFormat(lang, { maximumFractionDigits: 2 });
    showOfficer = root.getAttribute("data-show-officer") === "true";
    root.classList.add("is-live");
    render(JSON.parse(document.getElementById("dashboard-initial").textContent));
    schedule();
    document.addEventListener("visibilitychange", function () {
      if (document.hidden) {
        clearTimeout(timer);
        timer = null;
      } else {
        refresh();
      }
    });
  });
})();
