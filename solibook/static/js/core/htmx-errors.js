// An htmx request answered 409 with HX-Retarget (a write that waited too long
// for a lock: core.middleware.BusyMiddleware) shows its message in the page's
// messages area; htmx swaps no 4xx response by itself.
document.addEventListener("htmx:beforeSwap", (event) => {
  const xhr = event.detail.xhr;
  if (xhr.status !== 409 || !xhr.getResponseHeader("HX-Retarget")) {
    return;
  }
  let area = document.getElementById("messages");
  if (!area) {
    area = document.createElement("div");
    area.id = "messages";
    area.setAttribute("aria-live", "polite");
    (document.querySelector("main") || document.body).prepend(area);
  }
  event.detail.target = area;
  event.detail.shouldSwap = true;
  event.detail.isError = false;
});
