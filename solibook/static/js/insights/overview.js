// The owner's overview chart (Chart.js, vendored), drawn the way the
// accounting charts are: data from a json_script block, words from data-*
// attributes (no inline script, CSP).
(function () {
  "use strict";

  function minorDigits(currency, locale) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      return 2;
    }
  }

  function init() {
    var node = document.getElementById("overview-data");
    var canvas = document.getElementById("overview-chart");
    var text = (document.getElementById("overview-labels") || {}).dataset || {};
    if (!node || !canvas || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var locale = text.locale || document.documentElement.lang || "en";
    var rtl = document.documentElement.dir === "rtl";
    var scale = Math.pow(10, minorDigits(data.currency, locale));
    var money = new Intl.NumberFormat(locale, { style: "currency", currency: data.currency });
    var day = new Intl.DateTimeFormat(locale, { day: "numeric", month: "short", timeZone: "UTC" });
    var datasets = [
      { type: "bar", label: text.bookings, data: data.bookings, backgroundColor: "#7a2e5a", yAxisID: "count" },
      { type: "bar", label: text.noShows, data: data.no_shows, backgroundColor: "#b5473a", yAxisID: "count" }
    ];
    var scales = {
      x: { reverse: rtl },
      count: { position: rtl ? "right" : "left", beginAtZero: true, ticks: { precision: 0 } }
    };
    if (text.money) {
      datasets.push({ type: "line", label: text.revenue, data: data.revenue.map(function (v) { return v / scale; }), borderColor: "#2e7d5a", backgroundColor: "#2e7d5a", yAxisID: "money" });
      scales.money = { position: rtl ? "left" : "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return money.format(v); } } };
    }
    new window.Chart(canvas, {
      data: { labels: data.labels.map(function (d) { return day.format(new Date(d + "T00:00:00Z")); }), datasets: datasets },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        locale: locale,
        interaction: { mode: "index", intersect: false },
        plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
        scales: scales
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
