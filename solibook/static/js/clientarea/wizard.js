// Booking wizard enhancements (the pages work without them):
// a confirm button that cannot be clicked twice, and the hold's time left.
(function () {
  "use strict";
  var form = document.getElementById("confirm-form");
  if (form) {
    form.addEventListener("submit", function (event) {
      var button = event.submitter;
      if (button && button.value === "confirm") {
        if (form.dataset.sent === "1") { event.preventDefault(); return; }
        form.dataset.sent = "1";
        button.setAttribute("aria-busy", "true");
      }
    });
  }
  var note = document.getElementById("hold-note");
  if (note && note.dataset.expires) {
    var expires = Date.parse(note.dataset.expires);
    var label = note.textContent;
    // "(15 min)" in the page's language, with its plural and digits (the browser's ICU data).
    var lang = document.documentElement.lang || "en";
    var minutes;
    try {
      minutes = new Intl.NumberFormat(lang, { style: "unit", unit: "minute", unitDisplay: "short" });
    } catch (error) {
      minutes = { format: function (n) { return n + " min"; } };
    }
    var tick = function () {
      var left = Math.max(0, Math.round((expires - Date.now()) / 60000));
      note.textContent = label + " (" + minutes.format(left) + ")";
      if (left > 0) { window.setTimeout(tick, 30000); }
    };
    tick();
  }
})();
