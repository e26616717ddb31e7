// Salon page: the Leaflet map of the addresses and the Pannellum 360° tour.
// Data comes from data-* attributes and json_script blocks (no inline code).
// Neither library is in the page: each (script and styles, named by the element's
// data-script and data-style) is fetched when its element comes near the screen,
// so a phone spends nothing on them before anyone scrolls there (issue #24).
(function () {
  "use strict";

  var loading = {};

  function load(url, tag) {
    if (!url) return Promise.resolve();
    if (!loading[url]) {
      loading[url] = new Promise(function (resolve, reject) {
        var node = document.createElement(tag);
        if (tag === "link") { node.rel = "stylesheet"; node.href = url; } else { node.src = url; }
        node.onload = resolve;
        node.onerror = reject;
        document.head.appendChild(node);
      });
    }
    return loading[url];
  }

  function withLibrary(el, start) {
    Promise.all([load(el.dataset.style, "link"), load(el.dataset.script, "script")]).then(start);
  }

  // Starts `start` once `el` is within 200 px of the screen (at once without IntersectionObserver).
  function whenSeen(el, start) {
    if (!el) return;
    if (!("IntersectionObserver" in window)) return withLibrary(el, start);
    var observer = new IntersectionObserver(function (entries) {
      if (!entries.some(function (entry) { return entry.isIntersecting; })) return;
      observer.disconnect();
      withLibrary(el, start);
    }, { rootMargin: "200px" });
    observer.observe(el);
  }

  function initMap() {
    var el = document.getElementById("salon-map");
    var data = document.getElementById("salon-map-points");
    if (!el || !data || typeof L === "undefined") return;
    var points = JSON.parse(data.textContent);
    if (!points.length) return;
    var map = L.map(el, { scrollWheelZoom: false, zoomControl: false });
    map.attributionControl.setPrefix(false);  // the prefix is a link inside text (axe: link-in-text-block)
    // Leaflet's own words are English: the page gives them in the reader's language.
    L.control.zoom({ zoomInTitle: el.dataset.zoomIn, zoomOutTitle: el.dataset.zoomOut }).addTo(map);
    map.on("popupopen", function (event) {
      var close = event.popup.getElement().querySelector(".leaflet-popup-close-button");
      if (close) close.setAttribute("aria-label", el.dataset.closePopup);
    });
    L.tileLayer(el.dataset.tiles, { maxZoom: 19, attribution: el.dataset.attribution }).addTo(map);
    // Leaflet guesses its default icon's folder from its CSS, which fails once
    // static files carry a content hash (a 404): the page names the files.
    var icon = L.icon({
      iconUrl: el.dataset.icon,
      iconRetinaUrl: el.dataset.icon2x,
      shadowUrl: el.dataset.shadow,
      iconSize: [25, 41],
      iconAnchor: [12, 41],
      popupAnchor: [1, -34],
      tooltipAnchor: [16, -28],
      shadowSize: [41, 41]
    });
    var bounds = [];
    points.forEach(function (p) {
      L.marker([p.lat, p.lng], { title: p.name, alt: p.name, icon: icon }).addTo(map).bindPopup(document.createTextNode(p.name).textContent);
      bounds.push([p.lat, p.lng]);
    });
    if (bounds.length === 1) map.setView(bounds[0], 16);
    else map.fitBounds(bounds, { padding: [24, 24] });
  }

  function initTour() {
    var el = document.getElementById("salon-tour");
    if (!el || typeof pannellum === "undefined") return;
    var viewer = pannellum.viewer(el, { type: "equirectangular", panorama: el.dataset.panorama, title: el.dataset.title || undefined, autoLoad: true, showControls: true });
    document.querySelectorAll("[data-panorama-switch]").forEach(function (button) {
      button.addEventListener("click", function () {
        viewer.destroy();
        viewer = pannellum.viewer(el, { type: "equirectangular", panorama: button.dataset.panoramaSwitch, autoLoad: true });
      });
    });
  }

  // The tour's WebGL start costs the main thread ~400 ms and the map's tiles are
  // a dozen requests: both wait until they scroll into view.
  // This script starts after the first paint (js/core/after-paint.js): the page is parsed.
  whenSeen(document.getElementById("salon-map"), initMap);
  whenSeen(document.getElementById("salon-tour"), initTour);
})();
