// The calendar's appointment panel: loads "Suggestions for this visit" (services and
// home-care products, rendered by the server) for the appointment the panel shows.
// The calendar marks each appointment with data-appointment-id; we remember the last one
// chosen and fetch its suggestions when the panel opens.
(function () {
  'use strict';
  var box = document.getElementById('appointment-suggestions');
  var panel = document.getElementById('appointment-panel');
  if (!box || !panel) { return; }
  var chosen = null;
  function remember(event) {
    var el = event.target.closest && event.target.closest('[data-appointment-id]');
    if (el) { chosen = el.dataset.appointmentId; }
  }
  document.addEventListener('click', remember, true);
  document.addEventListener('keydown', function (event) {
    if (event.key === 'Enter' || event.key === ' ') { remember(event); }
  }, true);
  panel.addEventListener('show.bs.offcanvas', function () {
    box.replaceChildren();
    if (!chosen) { return; }
    var url = box.dataset.url.replace('/' + box.dataset.slot + '/', '/' + encodeURIComponent(chosen) + '/');
    fetch(url, { headers: { 'X-Requested-With': 'fetch' }, credentials: 'same-origin' })
      .then(function (response) { return response.ok ? response.text() : ''; })
      .then(function (html) {
        var link = document.createElement('a');
        link.href = url;
        link.className = 'small';
        link.textContent = box.dataset.more;
        box.innerHTML = html;
        if (html) { box.appendChild(link); }
      });
  });
})();
