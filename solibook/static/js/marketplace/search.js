// Search page: "Near me" and "use my location" read the browser's position
// (Geolocation API, asked only on a click); compare allows 2 to 4 salons.
(function () {
  "use strict";

  function show(form, name) {
    ["data-locate-wait", "data-locate-denied", "data-locate-failed"].forEach(function (attr) {
      var el = form.querySelector("[" + attr + "]");
      if (el) el.hidden = attr !== name;
    });
  }

  function locate(form, done) {
    show(form, "data-locate-wait");
    navigator.geolocation.getCurrentPosition(
      function (position) {
        show(form, null);
        form.querySelector("[name=lat]").value = position.coords.latitude.toFixed(5);
        form.querySelector("[name=lng]").value = position.coords.longitude.toFixed(5);
        var radius = form.querySelector("[name=radius_km]");
        if (!radius.value) radius.value = "25";
        done();
      },
      function (error) {
        show(form, error.code === 1 ? "data-locate-denied" : "data-locate-failed");
      },
      { timeout: 15000, maximumAge: 600000 }
    );
  }

  document.addEventListener("DOMContentLoaded", function () {
    var search = document.querySelector("form[role=search]");
    if (search && navigator.geolocation) {
      var near = search.querySelector("[data-near-me]");
      if (near) {
        near.hidden = false;
        near.addEventListener("click", function () {
          locate(search, function () {
            // Near me: the nearest first, wherever the city field points.
            search.querySelector("[name=city]").value = "";
            search.querySelector("[name=sort]").value = "distance";
            search.submit();
          });
        });
      }
      var fill = search.querySelector("[data-locate]");
      if (fill) {
        fill.hidden = false;
        fill.addEventListener("click", function () { locate(search, function () {}); });
      }
    }
    var form = document.getElementById("compare-form");
    if (!form) return;
    var boxes = form.querySelectorAll("input[name=salon]");
    function update() {
      var ticked = form.querySelectorAll("input[name=salon]:checked").length;
      boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= 4; });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
  }, { once: true });  // js/core/after-paint.js announces DOMContentLoaded a second time
})();
