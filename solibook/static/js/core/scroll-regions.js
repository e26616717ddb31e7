// A table wider than a phone scrolls inside its `.table-responsive` box. A box that
// scrolls must be reachable with the keyboard (WCAG 2.1.1): give it a tab stop, and
// only while it actually scrolls, so wide screens keep their tab order unchanged.
function markScrollRegions() {
  for (const region of document.querySelectorAll(".table-responsive")) {
    if (region.scrollWidth > region.clientWidth + 1) {
      region.setAttribute("tabindex", "0");
    } else if (region.getAttribute("tabindex") === "0") {
      region.removeAttribute("tabindex");
    }
  }
}
// Run with `defer` (before DOMContentLoaded) or after the first paint (js/core/after-paint.js).
if (document.readyState === "loading") {
  document.addEventListener("DOMContentLoaded", markScrollRegions);
} else {
  markScrollRegions();
}
document.addEventListener("htmx:afterSettle", markScrollRegions);
window.addEventListener("resize", markScrollRegions);
