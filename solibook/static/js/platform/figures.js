// Charts of the operator console's figures page (Chart.js, vendored), the same
// approach as js/accounting/charts.js: data from json_script, words from
// data-* attributes, so no inline script.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function minorDigits(currency, locale) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      return 2;
    }
  }

  function draw(canvasId, config) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || typeof window.Chart === "undefined") { return null; }
    var chart = new window.Chart(canvas, config);
    canvas.dataset.ready = "1";
    return chart;
  }

  function init() {
    var data = readJson("figures-data");
    var node = document.getElementById("chart-labels");
    if (!data || !node) { return; }
    var text = node.dataset;
    var locale = text.locale || document.documentElement.lang || "en";
    var rtl = document.documentElement.dir === "rtl";
    var scale = Math.pow(10, minorDigits(data.currency, locale));
    var money = new Intl.NumberFormat(locale, { style: "currency", currency: data.currency, maximumFractionDigits: 0 });
    var major = function (values) { return values.map(function (v) { return v / scale; }); };
    var common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } }
    };
    draw("money-chart", {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: text.gross, data: major(data.gross), backgroundColor: "#9aa7b8", yAxisID: "y" },
          { type: "bar", label: text.revenue, data: major(data.revenue), backgroundColor: "#2e7d5a", yAxisID: "y" },
          { type: "line", label: text.takeRate, data: data.take_rate, borderColor: "#7a2e5a", backgroundColor: "#7a2e5a", yAxisID: "rate" }
        ]
      },
      options: Object.assign({}, common, {
        scales: {
          x: { reverse: rtl },
          y: { position: rtl ? "right" : "left", ticks: { callback: function (v) { return money.format(v); } } },
          rate: { position: rtl ? "left" : "right", grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return v + " %"; } } }
        }
      })
    });
    draw("count-chart", {
      data: {
        labels: data.labels,
        datasets: [
          { type: "bar", label: text.bookings, data: data.bookings, backgroundColor: "#7a2e5a", yAxisID: "y" },
          { type: "bar", label: text.marketplace, data: data.marketplace, backgroundColor: "#c58bb0", yAxisID: "y" },
          { type: "line", label: text.joined, data: data.joined, borderColor: "#2e7d5a", backgroundColor: "#2e7d5a", yAxisID: "salons" },
          { type: "line", label: text.lost, data: data.lost, borderColor: "#b5473a", backgroundColor: "#b5473a", yAxisID: "salons" }
        ]
      },
      options: Object.assign({}, common, {
        scales: {
          x: { reverse: rtl },
          y: { position: rtl ? "right" : "left", beginAtZero: true },
          salons: { position: rtl ? "left" : "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { precision: 0 } }
        }
      })
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
