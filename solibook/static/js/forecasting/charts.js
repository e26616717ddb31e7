// Charts of the forecasting pages (Chart.js, vendored). Data comes from
// json_script blocks, labels from data-* attributes: no inline script (CSP).
// Every chart has a table with the same figures beside it.
(function () {
  "use strict";

  function readJson(id) {
    var node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function labels() {
    var node = document.getElementById("chart-labels");
    return node ? node.dataset : {};
  }

  function base(locale, rtl, extra) {
    var options = {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale,
      interaction: { mode: "index", intersect: false },
      plugins: { legend: { rtl: rtl, position: "bottom" }, tooltip: { rtl: rtl } },
      scales: { x: { reverse: rtl }, y: { position: rtl ? "right" : "left", beginAtZero: true } }
    };
    if (extra) { extra(options); }
    return options;
  }

  function draw(canvasId, config) {
    var canvas = document.getElementById(canvasId);
    if (!canvas || typeof window.Chart === "undefined") { return null; }
    var chart = new window.Chart(canvas, config);
    canvas.dataset.ready = "1";
    return chart;
  }

  function init() {
    var text = labels();
    var locale = text.locale || document.documentElement.lang || "en";
    var rtl = document.documentElement.dir === "rtl";
    var forecast = readJson("forecast-data");
    if (forecast) {
      draw("forecast-chart", {
        type: "line",
        data: {
          labels: forecast.labels,
          datasets: [
            { label: text.high, data: forecast.hi, borderColor: "rgba(122,46,90,0.25)", backgroundColor: "rgba(122,46,90,0.15)", fill: "+1", pointRadius: 0 },
            { label: text.low, data: forecast.lo, borderColor: "rgba(122,46,90,0.25)", backgroundColor: "rgba(122,46,90,0.15)", fill: false, pointRadius: 0 },
            { label: text.expected, data: forecast.mean, borderColor: "#7a2e5a", backgroundColor: "#7a2e5a", fill: false }
          ]
        },
        options: base(locale, rtl)
      });
    }
    var staffing = readJson("staffing-data");
    if (staffing) {
      draw("staffing-chart", {
        type: "bar",
        data: {
          labels: staffing.labels,
          datasets: [
            { label: text.expected, data: staffing.expected, backgroundColor: "#b5473a" },
            { label: text.scheduled, data: staffing.scheduled, backgroundColor: "#2e7d5a" }
          ]
        },
        options: base(locale, rtl)
      });
    }
    var occupancy = readJson("occupancy-data");
    if (occupancy) {
      var colours = ["#d8a15a", "#7a2e5a", "#2e5a7a"];
      draw("occupancy-chart", {
        type: "bar",
        data: {
          labels: occupancy.labels,
          datasets: occupancy.series.map(function (s, i) {
            return { label: s.label, data: s.data, backgroundColor: colours[i % colours.length] };
          })
        },
        options: base(locale, rtl, function (o) {
          o.scales.y.max = 100;
          o.scales.y.ticks = { callback: function (v) { return v + "%"; } };
        })
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
