// Search page: "use my location" fills the point; compare allows 2 to 4 salons.
(function () {
  "use strict";

  document.addEventListener("DOMContentLoaded", function () {
    var locate = document.querySelector("[data-locate]");
    if (locate && navigator.geolocation) {
      locate.hidden = false;
      locate.addEventListener("click", function () {
        navigator.geolocation.getCurrentPosition(function (position) {
          document.getElementById("id_lat").value = position.coords.latitude.toFixed(5);
          document.getElementById("id_lng").value = position.coords.longitude.toFixed(5);
          var radius = document.getElementById("id_radius_km");
          if (!radius.value) radius.value = "10";
        });
      });
    }
    var form = document.getElementById("compare-form");
    if (!form) return;
    var boxes = form.querySelectorAll("input[name=salon]");
    function update() {
      var ticked = form.querySelectorAll("input[name=salon]:checked").length;
      boxes.forEach(function (box) { box.disabled = !box.checked && ticked >= 4; });
    }
    boxes.forEach(function (box) { box.addEventListener("change", update); });
  });
})();
