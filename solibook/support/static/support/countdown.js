// SLA countdowns of the support console: each [data-remaining] element holds
// the seconds left (negative when overdue) as the server computed them; this
// ticks them down every second as ±H:MM:SS, digits only, so no text needs
// translating here. The server-rendered "Breached" badge stays the truth.
(function () {
  "use strict";
  function pad(n) { return n < 10 ? "0" + n : String(n); }
  function show(el, seconds) {
    var abs = Math.abs(seconds);
    var h = Math.floor(abs / 3600), m = Math.floor((abs % 3600) / 60), s = abs % 60;
    el.textContent = (seconds < 0 ? "−" : "") + h + ":" + pad(m) + ":" + pad(s);
    if (seconds < 0) { el.classList.add("text-danger", "fw-semibold"); }
  }
  function start() {
    var timers = Array.prototype.slice.call(document.querySelectorAll(".support-timer[data-remaining]"));
    var began = Date.now();
    var initial = timers.map(function (el) { return parseInt(el.getAttribute("data-remaining"), 10) || 0; });
    function tick() {
      var elapsed = Math.floor((Date.now() - began) / 1000);
      timers.forEach(function (el, i) { show(el, initial[i] - elapsed); });
    }
    tick();
    if (timers.length) { window.setInterval(tick, 1000); }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", start); } else { start(); }
})();
