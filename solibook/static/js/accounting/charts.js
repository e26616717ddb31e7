// Charts of the accounting pages (Chart.js, vendored). Data comes from
// json_script blocks; labels from data-* attributes, so no inline script.
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

  function minorDigits(currency, locale) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency: currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      return 2;
    }
  }

  function moneyFormatter(currency, locale) {
    var digits = minorDigits(currency, locale);
    var format = new Intl.NumberFormat(locale, { style: "currency", currency: currency });
    return function (minor) { return format.format(minor / Math.pow(10, digits)); };
  }

  function toMajor(values, currency, locale) {
    var scale = Math.pow(10, minorDigits(currency, locale));
    return values.map(function (v) { return v / scale; });
  }

  function options(currency, locale, rtl) {
    var format = moneyFormatter(currency, locale);
    var digits = minorDigits(currency, locale);
    return {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: locale,
      interaction: { mode: "index", intersect: false },
      plugins: {
        legend: { rtl: rtl, position: "bottom" },
        tooltip: {
          rtl: rtl,
          callbacks: {
            label: function (ctx) { return ctx.dataset.label + ": " + format(Math.round(ctx.parsed.y * Math.pow(10, digits))); }
          }
        }
      },
      scales: {
        x: { reverse: rtl },
        y: { position: rtl ? "right" : "left", ticks: { callback: function (v) { return format(Math.round(v * Math.pow(10, digits))); } } }
      }
    };
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
    var pnl = readJson("pnl-data");
    if (pnl) {
      draw("pnl-chart", {
        data: {
          labels: pnl.labels,
          datasets: [
            { type: "bar", label: text.revenue, data: toMajor(pnl.revenue, pnl.currency, locale), backgroundColor: "#2e7d5a" },
            { type: "bar", label: text.expenses, data: toMajor(pnl.expenses, pnl.currency, locale), backgroundColor: "#b5473a" },
            { type: "line", label: text.net, data: toMajor(pnl.net, pnl.currency, locale), borderColor: "#7a2e5a", backgroundColor: "#7a2e5a" }
          ]
        },
        options: options(pnl.currency, locale, rtl)
      });
    }
    var flow = readJson("flow-data");
    if (flow) {
      draw("flow-chart", {
        data: {
          labels: flow.labels,
          datasets: [
            { type: "bar", label: text.inflow, data: toMajor(flow.inflow, flow.currency, locale), backgroundColor: "#2e7d5a" },
            { type: "bar", label: text.outflow, data: toMajor(flow.outflow, flow.currency, locale), backgroundColor: "#b5473a" },
            { type: "line", label: text.balance, data: toMajor(flow.balance, flow.currency, locale), borderColor: "#1f4e8c", backgroundColor: "#1f4e8c" }
          ]
        },
        options: options(flow.currency, locale, rtl)
      });
    }
    var budget = readJson("budget-data");
    if (budget) {
      draw("budget-chart", {
        type: "bar",
        data: {
          labels: budget.labels,
          datasets: [
            { label: text.planned, data: toMajor(budget.planned, budget.currency, locale), backgroundColor: "#9aa7b8" },
            { label: text.actual, data: toMajor(budget.actual, budget.currency, locale), backgroundColor: "#7a2e5a" }
          ]
        },
        options: options(budget.currency, locale, rtl)
      });
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
