// The dashboards' charts (Chart.js, vendored), drawn like the overview's:
// data from a json_script block, words from data-* attributes (no inline
// script, CSP). Every chart has its figures in a table or text beside it.
(function () {
  "use strict";

  var PLUM = "#7a2e5a", RED = "#b5473a", GREEN = "#2e7d5a", BLUE = "#2e6f9e", SAND = "#8a5a2b", VIOLET = "#6b4fa3";

  function minorDigits(currency, locale) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      return 2;
    }
  }

  function draw(id, config) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new window.Chart(canvas, config);
    canvas.dataset.ready = "1";
  }

  function init() {
    var node = document.getElementById("dash-data");
    var text = (document.getElementById("dash-labels") || {}).dataset || {};
    if (!node || typeof window.Chart === "undefined") { return; }
    var data = JSON.parse(node.textContent);
    var locale = text.locale || document.documentElement.lang || "en";
    var rtl = document.documentElement.dir === "rtl";
    var scale = Math.pow(10, minorDigits(data.currency, locale));
    var money = new Intl.NumberFormat(locale, { style: "currency", currency: data.currency, maximumFractionDigits: 0 });
    var dayFormat = data.grain === "month" ? { month: "short", year: "2-digit", timeZone: "UTC" } : { day: "numeric", month: "short", timeZone: "UTC" };
    var day = new Intl.DateTimeFormat(locale, dayFormat);
    var common = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale,
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } }
    };

    draw("dash-time", {
      data: {
        labels: data.labels.map(function (d) { return day.format(new Date(d + "T00:00:00Z")); }),
        datasets: [
          { type: "bar", label: text.bookings, data: data.bookings, backgroundColor: PLUM, yAxisID: "count" },
          { type: "bar", label: text.noShows, data: data.no_shows, backgroundColor: RED, yAxisID: "count" },
          { type: "line", label: text.revenue, data: data.revenue.map(function (v) { return v / scale; }), borderColor: GREEN, backgroundColor: GREEN, yAxisID: "money" }
        ]
      },
      options: Object.assign({}, common, {
        interaction: { mode: "index", intersect: false },
        scales: {
          x: { reverse: rtl },
          count: { position: rtl ? "right" : "left", beginAtZero: true, ticks: { precision: 0 } },
          money: { position: rtl ? "left" : "right", beginAtZero: true, grid: { drawOnChartArea: false }, ticks: { callback: function (v) { return money.format(v); } } }
        }
      })
    });

    draw("dash-masters", {
      type: "bar",
      data: { labels: data.masters, datasets: [{ label: text.occupancy, data: data.occupancy, backgroundColor: PLUM }] },
      options: Object.assign({}, common, {
        indexAxis: "y",
        scales: { x: { reverse: rtl, min: 0, max: 100, ticks: { callback: function (v) { return v + " %"; } } }, y: { position: rtl ? "right" : "left" } }
      })
    });

    draw("dash-clients", {
      type: "bar",
      data: {
        labels: [text.now, text.before],
        datasets: [
          { label: text["new"], data: [data.clients[0], data.clients_before[0]], backgroundColor: PLUM },
          { label: text.returning, data: [data.clients[1], data.clients_before[1]], backgroundColor: BLUE }
        ]
      },
      options: Object.assign({}, common, {
        scales: { x: { stacked: true, reverse: rtl }, y: { stacked: true, beginAtZero: true, position: rtl ? "right" : "left", ticks: { precision: 0 } } }
      })
    });

    draw("dash-sources", {
      type: "doughnut",
      data: { labels: data.sources, datasets: [{ data: data.source_bookings, backgroundColor: [PLUM, BLUE, GREEN, SAND, VIOLET, RED, "#555", "#999"] }] },
      options: common
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
