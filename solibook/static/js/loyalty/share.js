// Referral links: copy to the clipboard, and the system share sheet where the
// browser has one (navigator.share). No inline script: wired by data-* attributes.
(function () {
  "use strict";
  document.querySelectorAll("[data-copy-target]").forEach(function (button) {
    button.addEventListener("click", function () {
      var input = document.getElementById(button.dataset.copyTarget);
      if (!input) return;
      var done = function () {
        var label = button.textContent;
        button.textContent = button.dataset.copiedText || label;
        setTimeout(function () { button.textContent = label; }, 2000);
      };
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(input.value).then(done, function () { input.select(); });
      } else {
        input.select();
        try { document.execCommand("copy"); done(); } catch (e) { /* the text stays selected */ }
      }
    });
  });
  if (navigator.share) {
    document.querySelectorAll("[data-share-url]").forEach(function (button) {
      button.classList.remove("d-none");
      button.addEventListener("click", function () {
        navigator.share({ title: document.title, text: button.dataset.shareText, url: button.dataset.shareUrl }).catch(function () {});
      });
    });
  }
})();
