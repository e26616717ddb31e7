// Scripts a page needs only once it is on screen (the menu's toggle, htmx, the page's
// own behaviour) start after the first paint instead of before it: on a phone their
// download and start-up no longer hold back the first and largest paints (issue #24,
// point 5). A page lists each as a data block, which the browser neither fetches nor
// runs:  <script type="text/x-after-paint" data-src="…"></script>
// They are added in document order and run in that order, as `defer` ran them; added
// before the page's load event, they hold it back until they have run. Written for
// `defer`, which runs a script before DOMContentLoaded, they hear that event once the
// last of them has run: htmx, started after it while the page is still loading its
// images, would otherwise wait for it forever and never take over the page's hx-
// attributes (the chat panel, the wizard's "booked together" box).
// A press on a control that only a script can answer (a button[type=button], a
// Bootstrap toggle) before they have run is not lost: it starts them at once and is
// pressed again when the last of them has run. Links and forms work without them.
(function () {
  "use strict";
  var blocks = document.querySelectorAll('script[type="text/x-after-paint"]');
  if (!blocks.length) return;
  var started = false;
  var ready = false;
  var pressed = null;

  function holdPress(event) {
    if (ready || !event.target.closest) return;
    var control = event.target.closest('button[type="button"], [data-bs-toggle]');
    if (!control) return;
    event.preventDefault();
    event.stopImmediatePropagation();
    pressed = control;
    start();
  }
  document.addEventListener("click", holdPress, true);

  function announce() {
    if (ready) return;
    ready = true;
    document.removeEventListener("click", holdPress, true);
    document.dispatchEvent(new Event("DOMContentLoaded"));
    if (pressed) pressed.click();
  }

  function start() {
    if (started) return;
    started = true;
    var last = null;
    blocks.forEach(function (block) {
      last = document.createElement("script");
      last.src = block.dataset.src;
      last.async = false;
      document.body.appendChild(last);
    });
    last.addEventListener("load", announce);
    last.addEventListener("error", announce);
  }

  // The task after the first frame is painted. A tab opened in the background paints
  // no frame until it is shown, so there the page's load event starts them.
  if (document.visibilityState === "hidden") {
    window.addEventListener("load", start);
  } else {
    requestAnimationFrame(function () { setTimeout(start, 0); });
  }
})();
