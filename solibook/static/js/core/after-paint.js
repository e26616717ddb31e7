// Scripts a page needs only once it is on screen (the menu's toggle, htmx, the page's
// own behaviour) start after the first paint instead of before it: on a phone their
// download and start-up no longer hold back the first and largest paints (issue #24,
// point 5). A page lists each as a data block, which the browser neither fetches nor
// runs:  <script type="text/x-after-paint" data-src="…"></script>
// They are added in document order and run in that order, as `defer` ran them; added
// before the page's load event, they hold it back until they have run.
(function () {
  "use strict";
  var started = false;

  function start() {
    if (started) return;
    started = true;
    document.querySelectorAll('script[type="text/x-after-paint"]').forEach(function (block) {
      var script = document.createElement("script");
      script.src = block.dataset.src;
      script.async = false;
      document.body.appendChild(script);
    });
  }

  // The task after the first frame is painted. A tab opened in the background paints
  // no frame until it is shown, so there the page's load event starts them.
  if (document.visibilityState === "hidden") {
    window.addEventListener("load", start);
  } else {
    requestAnimationFrame(function () { setTimeout(start, 0); });
  }
})();
