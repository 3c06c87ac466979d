/* The indicator page's trend: the year's monthly values that count, drawn with Chart.js (served
   from /static/vendor/chart.js/) from the page's json_script data. The table below keeps the
   exact numbers, their state and their evidence. */
(function () {
  "use strict";

  function start() {
    var source = document.getElementById("trend-data");
    var canvas = document.getElementById("trend-chart");
    if (!source || !canvas || typeof Chart === "undefined") { return; }
    var d = JSON.parse(source.textContent);
    new Chart(canvas, {
      type: "line",
      data: {
        labels: d.months,
        datasets: [{ label: d.unit, data: d.values, borderColor: "#0b5a7a",
          backgroundColor: "#0b5a7a", pointRadius: 3, spanGaps: false, tension: 0.2 }]
      },
      options: {
        responsive: true, maintainAspectRatio: false, animation: false,
        plugins: { legend: { display: false } },
        scales: { y: { title: { display: !!d.unit, text: d.unit } } }
      }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
