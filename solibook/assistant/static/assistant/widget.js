// The chat widget: open and close the panel (Escape closes, focus returns to the
// button), load it once through htmx, keep the log scrolled to the newest line,
// clear the field after sending, and fetch staff answers every few seconds.
(function () {
  "use strict";
  const root = document.querySelector("[data-assistant]");
  if (!root) return;
  const toggle = root.querySelector("[data-assistant-toggle]");
  const panel = root.querySelector("#assistant-panel");
  let timer = null;

  function log() { return panel.querySelector("#assistant-log"); }
  function scrollDown() { const l = log(); if (l) l.scrollTop = l.scrollHeight; }
  function lastId() {
    const lines = panel.querySelectorAll("[data-id]");
    return lines.length ? lines[lines.length - 1].dataset.id : "0";
  }
  // A poll answered just after a message was sent brings the lines the send's
  // own answer brings too: each line (its message id) is shown once.
  function dedupe() {
    const seen = new Set();
    panel.querySelectorAll("[data-id]").forEach(function (line) {
      if (seen.has(line.dataset.id)) line.remove(); else seen.add(line.dataset.id);
    });
  }
  function poll() {
    const l = log();
    if (!l || panel.hidden) return;
    fetch(l.dataset.poll + "?after=" + encodeURIComponent(lastId()), { credentials: "same-origin" })
      .then(function (r) { return r.status === 200 ? r.text() : ""; })
      .then(function (html) {
        if (html) { l.insertAdjacentHTML("beforeend", html); dedupe(); if (window.htmx) window.htmx.process(l); scrollDown(); }
      })
      .catch(function () {});
  }
  function open() {
    panel.hidden = false;
    toggle.setAttribute("aria-expanded", "true");
    if (window.htmx) window.htmx.trigger(panel, "assistant-open");
    const field = panel.querySelector("#assistant-text");
    if (field) field.focus();
    if (!timer) timer = window.setInterval(poll, 5000);
  }
  function close() {
    panel.hidden = true;
    toggle.setAttribute("aria-expanded", "false");
    toggle.focus();
  }
  toggle.addEventListener("click", function () { panel.hidden ? open() : close(); });
  panel.addEventListener("click", function (e) { if (e.target.closest("[data-assistant-close]")) close(); });
  panel.addEventListener("keydown", function (e) { if (e.key === "Escape") close(); });
  document.body.addEventListener("htmx:afterSwap", function (e) {
    if (!panel.contains(e.target) && e.target !== panel) return;
    dedupe();
    scrollDown();
    const field = panel.querySelector("#assistant-text");
    if (field && e.target === panel) field.focus();
  });
  document.body.addEventListener("htmx:afterRequest", function (e) {
    const form = e.target.closest && e.target.closest("[data-assistant-form]");
    if (form && e.detail.successful) { form.reset(); form.querySelector("#assistant-text").focus(); }
  });
})();
