/* The home page's charts, drawn with Chart.js (served from /static/vendor/chart.js/) from the
   data the page carries in <script type="application/json"> elements (json_script): the
   cockpit's indicators by band, completion per agency, predicates against the curve, and the
   sparklines of indicators and of the employee's own values. No inline script, no CDN. */
(function () {
  "use strict";

  function data(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  var STATUS_COLOURS = {
    unplanned: "#b3261e", draft: "#e0822a", returned: "#d9534f",
    submitted: "#c9a227", unrated: "#7aa6c2", rated: "#1e7b34"
  };
  var PREDICATE_COLOURS = ["#1e7b34", "#0b5a7a", "#c9a227", "#e0822a", "#b3261e"];

  function sparkline(canvas, labels, values, colour) {
    if (!values || !values.some(function (v) { return v !== null; })) {
      canvas.setAttribute("data-empty", "1");
      return;
    }
    new Chart(canvas, {
      type: "line",
      data: { labels: labels, datasets: [{ data: values, borderColor: colour, borderWidth: 1.5,
        pointRadius: 0, spanGaps: true, tension: 0.25, fill: false }] },
      options: {
        responsive: false, animation: false, events: [],
        plugins: { legend: { display: false }, tooltip: { enabled: false } },
        scales: { x: { display: false }, y: { display: false } }
      }
    });
  }

  function bar(canvas, config) {
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: config.data,
      options: Object.assign({
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: !!config.legend, position: "bottom",
          labels: { boxWidth: 12, font: { size: 11 } } } },
        scales: { x: { stacked: !!config.stacked, ticks: { precision: 0 } },
          y: { stacked: !!config.stacked, ticks: { precision: 0 } } }
      }, config.options || {})
    });
  }

  function cockpit(d) {
    var ink = css("--brand", "#0b5a7a");
    bar(document.getElementById("chart-bands"), {
      data: { labels: d.bands.labels, datasets: [{ data: d.bands.counts,
        backgroundColor: d.bands.colours }] },
      options: { indexAxis: "y" }
    });
    bar(document.getElementById("chart-completion"), {
      stacked: true, legend: true,
      data: { labels: d.completion.agencies, datasets: d.completion.statuses.map(function (s) {
        return { label: s.label, data: s.counts, backgroundColor: STATUS_COLOURS[s.key] || ink };
      }) },
      options: { indexAxis: "y" }
    });
    bar(document.getElementById("chart-curve"), {
      data: { labels: d.curve.predicates, datasets: [{ data: d.curve.counts,
        backgroundColor: PREDICATE_COLOURS }] }
    });
    document.querySelectorAll("canvas.sparkline[data-series]").forEach(function (canvas) {
      var row = canvas.closest("tr");
      var colour = row && row.classList.contains("is-slipping") ? css("--bad", "#b3261e") : ink;
      sparkline(canvas, d.sparklines.months, d.sparklines.series[canvas.dataset.series], colour);
    });
  }

  function mine(d) {
    document.querySelectorAll("canvas.sparkline[data-mine]").forEach(function (canvas) {
      sparkline(canvas, d.periods, d.series[canvas.dataset.mine], css("--brand", "#0b5a7a"));
    });
  }

  function start() {
    if (typeof Chart === "undefined") { return; }
    var c = data("cockpit-data");
    if (c) { cockpit(c); }
    var m = data("mine-data");
    if (m) { mine(m); }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
