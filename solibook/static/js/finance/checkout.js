// Checkout page: shows how much of the total the tenders typed so far cover,
// and fills the remainder into a tender on double-click. No inline script:
// the amount to pay comes from a json_script element.
(function () {
  "use strict";
  const form = document.getElementById("checkout-form");
  const source = document.getElementById("checkout-to-pay");
  const status = document.getElementById("split-status");
  if (!form || !source || !status) return;
  const toPayMinor = JSON.parse(source.textContent || "0");
  if (!toPayMinor) return;
  const currency = form.dataset.currency || "EUR";
  const digits = new Intl.NumberFormat(undefined, { style: "currency", currency }).resolvedOptions().maximumFractionDigits;
  const scale = Math.pow(10, digits);
  const format = (minor) => new Intl.NumberFormat(document.documentElement.lang || undefined, { style: "currency", currency }).format(minor / scale);
  const tenders = Array.from(form.querySelectorAll("input[data-tender='1']"));
  const toMinor = (value) => {
    const n = Number(String(value).replace(",", "."));
    return Number.isFinite(n) ? Math.round(n * scale) : 0;
  };
  // The page carries these messages already translated (no JS catalogue).
  const say = status.dataset;
  function update() {
    const paid = tenders.reduce((sum, input) => sum + toMinor(input.value || 0), 0);
    const left = toPayMinor - paid;
    if (left === 0) {
      status.textContent = say.balanced;
      status.classList.remove("text-danger");
    } else {
      status.textContent = (left > 0 ? say.short : say.over) + " " + format(Math.abs(left));
      status.classList.add("text-danger");
    }
  }
  tenders.forEach((input) => {
    input.addEventListener("input", update);
    input.addEventListener("dblclick", () => {
      const others = tenders.filter((t) => t !== input).reduce((sum, t) => sum + toMinor(t.value || 0), 0);
      const rest = Math.max(0, toPayMinor - others);
      input.value = (rest / scale).toFixed(digits);
      update();
    });
  });
  update();
})();
