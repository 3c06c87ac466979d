/* The curve page's chart: each predicate's share of the unit's rated employees, drawn with
   Chart.js (served from /static/vendor/chart.js/) from the page's json_script data; the
   predicates in a broken rule of the curve in red. The table below keeps the exact numbers. */
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("curve-data");
    var canvas = document.getElementById("curve-chart");
    if (!source || !canvas || typeof Chart === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "bar",
      data: {
        labels: d.predicates,
        datasets: [{
          data: d.shares,
          backgroundColor: d.broken.map(function (b) { return b ? "#b3261e" : "#0b5a7a"; })
        }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: {
          legend: { display: false },
          tooltip: { callbacks: { label: function (item) {
            return d.counts[item.dataIndex] + " (" + item.formattedValue + " %)";
          } } }
        },
        scales: { y: { beginAtZero: true, suggestedMax: 100, ticks: {
          callback: function (value) { return value + " %"; } } } }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
