// The review trend chart (Chart.js, vendored): data from a json_script block,
// words from data-* attributes (no inline script, CSP); the table below it
// carries the same figures for screen readers.
(function () {
  "use strict";

  function init() {
    var node = document.getElementById("review-trend-data");
    var canvas = document.getElementById("review-trend");
    var text = (document.getElementById("review-trend-labels") || {}).dataset || {};
    if (!node || !canvas || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var locale = text.locale || document.documentElement.lang || "en";
    var rtl = document.documentElement.dir === "rtl";
    var month = new Intl.DateTimeFormat(locale, { month: "short", year: "2-digit", timeZone: "UTC" });
    new window.Chart(canvas, {
      data: {
        labels: data.labels.map(function (d) { return month.format(new Date(d + "T00:00:00Z")); }),
        datasets: [
          { type: "bar", label: text.positive, data: data.positive_share, backgroundColor: "#2e7d5a", yAxisID: "share" },
          { type: "bar", label: text.negative, data: data.negative_share, backgroundColor: "#b5473a", yAxisID: "share" },
          { type: "line", label: text.rating, data: data.average_rating, borderColor: "#7a2e5a", backgroundColor: "#7a2e5a", spanGaps: true, yAxisID: "stars" }
        ]
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
        scales: {
          x: { reverse: rtl },
          share: { position: rtl ? "right" : "left", min: 0, max: 100 },
          stars: { position: rtl ? "left" : "right", min: 1, max: 5, grid: { drawOnChartArea: false } }
        }
      }
    });
    canvas.dataset.ready = "1";
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
