/* The salon calendar: EventCalendar (vendored) fed by the calendar API.
 *
 * Times travel as the location's wall-clock time: the API sends naive ISO
 * strings ("2030-06-03T10:00") which the widget shows as they are, whatever
 * the browser's time zone; writes send the wall-clock time with the
 * location's UTC offset for that moment (computed with Intl for its IANA zone).
 * Every change goes through the booking API (session + CSRF, one
 * Idempotency-Key per action).
 */
(function () {
  'use strict';

  var config = JSON.parse(document.getElementById('calendar-config').textContent);
  var S = config.strings;
  var zone = config.timeZone;
  var csrfInput = document.querySelector('input[name=csrfmiddlewaretoken]');
  var csrf = csrfInput ? csrfInput.value : (document.cookie.match(/csrftoken=([^;]+)/) || [])[1] || '';

  // Solid colours keep white text at WCAG AA contrast; visits are a light tint.
  var COLOURS = {
    hold: '#7a5200', confirmed: '#1a5fb4', arrived: '#6f42c1', in_progress: '#0f6b63',
    completed: '#2b6a3a', no_show: '#b02a37', cancelled: '#5c636a', expired: '#5c636a'
  };
  var TINTS = {
    hold: '#fbeed0', confirmed: '#dbe7f8', arrived: '#e9e1f7', in_progress: '#d5efec',
    completed: '#dcefe0', no_show: '#f7dde0', cancelled: '#e9ecef', expired: '#e9ecef'
  };

  // --- time -----------------------------------------------------------------

  function pad(n) { return String(n).padStart(2, '0'); }

  // The calendar's Date objects carry the wall-clock time it shows in their
  // local fields (getHours() is the hour on the grid), whatever the browser's
  // zone: events arrive as floating times.
  function wallOf(date) {
    return date.getFullYear() + '-' + pad(date.getMonth() + 1) + '-' + pad(date.getDate()) +
      'T' + pad(date.getHours()) + ':' + pad(date.getMinutes());
  }

  function wallMs(wall) {
    var m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(wall);
    return Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5]);
  }

  function msWall(ms) {
    var d = new Date(ms);
    return d.getUTCFullYear() + '-' + pad(d.getUTCMonth() + 1) + '-' + pad(d.getUTCDate()) +
      'T' + pad(d.getUTCHours()) + ':' + pad(d.getUTCMinutes());
  }

  var zoneFormat = new Intl.DateTimeFormat('en-US', {
    timeZone: zone, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit',
    hour: '2-digit', minute: '2-digit', second: '2-digit'
  });

  function offsetAt(utcMs) {
    var parts = {};
    zoneFormat.formatToParts(new Date(utcMs)).forEach(function (p) { parts[p.type] = p.value; });
    var asUtc = Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour % 24, +parts.minute, +parts.second);
    return Math.round((asUtc - utcMs) / 60000);
  }

  // "2030-06-03T10:00" at the location -> "2030-06-03T10:00:00+02:00".
  function withOffset(wall) {
    var naive = wallMs(wall);
    var offset = offsetAt(naive - offsetAt(naive) * 60000);
    var sign = offset < 0 ? '-' : '+';
    var abs = Math.abs(offset);
    return wall.slice(0, 16) + ':00' + sign + pad(Math.floor(abs / 60)) + ':' + pad(abs % 60);
  }

  var timeFormat = new Intl.DateTimeFormat(config.locale, { timeZone: 'UTC', hour: '2-digit', minute: '2-digit' });
  var dayFormat = new Intl.DateTimeFormat(config.locale, { timeZone: 'UTC', weekday: 'long', day: 'numeric', month: 'long' });

  function showWall(wall, withDay) {
    var d = new Date(wallMs(wall));
    return (withDay ? dayFormat.format(d) + ', ' : '') + timeFormat.format(d);
  }

  // --- requests -------------------------------------------------------------

  function key() {
    if (window.crypto && crypto.randomUUID) { return crypto.randomUUID(); }
    return 'cal-' + Date.now() + '-' + Math.random().toString(36).slice(2);
  }

  function withId(url, id) {
    var at = url.lastIndexOf('/0/');
    return url.slice(0, at) + '/' + id + '/' + url.slice(at + 3);
  }

  function request(method, url, body) {
    var headers = { 'Accept': 'application/json', 'Accept-Language': config.locale };
    if (method !== 'GET') {
      headers['Content-Type'] = 'application/json';
      headers['X-CSRFToken'] = csrf;
      headers['Idempotency-Key'] = key();
    }
    return fetch(url, { method: method, headers: headers, credentials: 'same-origin', body: body ? JSON.stringify(body) : undefined })
      .then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          return { ok: response.ok, status: response.status, data: data };
        });
      }, function () { return { ok: false, status: 0, data: {} }; });
  }

  function errorMessage(result) {
    if (result.status === 0) { return S.network; }
    var error = result.data && result.data.error;
    return (error && error.message) || S.error;
  }

  // --- messages -------------------------------------------------------------

  var messages = document.getElementById('calendar-messages');

  function say(text, kind) {
    var box = document.createElement('div');
    box.className = 'alert alert-' + (kind || 'success') + ' alert-dismissible py-2 mb-2';
    box.setAttribute('role', kind === 'danger' ? 'alert' : 'status');
    box.textContent = text;
    var close = document.createElement('button');
    close.type = 'button';
    close.className = 'btn-close';
    close.setAttribute('aria-label', S.buttons.close);
    close.addEventListener('click', function () { box.remove(); });
    box.appendChild(close);
    messages.replaceChildren(box);
    if (kind !== 'danger') { setTimeout(function () { box.remove(); }, 6000); }
  }

  // --- the calendar ---------------------------------------------------------

  var weekMaster = document.getElementById('calendar-week-master');

  function escapeHtml(text) {
    return String(text).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  }

  function toEvent(raw) {
    var p = raw.extendedProps;
    if (p.kind === 'away' && p.blocked) {
      raw.backgroundColor = '#495057';
      raw.textColor = '#ffffff';
      raw.title = raw.title || S.block_title;
      raw.editable = false;
      raw.startEditable = false;
      raw.durationEditable = false;
    } else if (p.kind === 'away') {
      raw.backgroundColor = '#ced4da';
    } else if (p.kind === 'hours') {
      // Outside working time, breaks, days off: grey, darker when the whole day is off.
      raw.backgroundColor = p.state === 'working' ? '#e9ecef' : '#dee2e6';
    } else if (p.kind === 'resource') {
      raw.backgroundColor = COLOURS[p.status] || '#5c636a';
      raw.textColor = '#ffffff';
      raw.editable = false;
      raw.startEditable = false;
      raw.durationEditable = false;
    } else if (p.kind === 'visit') {
      raw.backgroundColor = TINTS[p.status];
    } else {
      raw.backgroundColor = COLOURS[p.status];
      raw.textColor = '#ffffff';
      raw.editable = config.canManage && p.movable;
      raw.startEditable = config.canManage && p.movable;
      raw.durationEditable = config.canManage && !!p.resizable;
    }
    return raw;
  }

  function fetchEvents(info, success, failure) {
    // A range longer than a day is the week of one master.
    var week = info.end.getTime() - info.start.getTime() > 36 * 3600 * 1000;
    var params = new URLSearchParams({
      location_id: config.locationId,
      start: info.startStr.slice(0, 10),
      end: info.endStr.slice(0, 10)
    });
    if (week && weekMaster) { params.set('master_id', weekMaster.value); }
    request('GET', config.urls.calendar + '?' + params.toString()).then(function (result) {
      if (!result.ok) { say(errorMessage(result), 'danger'); failure(result); return; }
      if (!week) { showColumnNotes(result.data.resources); }
      success(result.data.events.map(toEvent));
    });
  }

  // Each master's column says 'Off today', 'Away today' or 'Salon closed' under the name.
  var notes = {};
  config.resources.forEach(function (r) { notes[r.id] = (r.extendedProps && r.extendedProps.note) || ''; });

  function showColumnNotes(resources) {
    var changed = false;
    resources.forEach(function (r) {
      var note = (r.extendedProps && r.extendedProps.note) || '';
      if (r.id in notes && notes[r.id] !== note) { notes[r.id] = note; changed = true; }
    });
    if (changed && window.solibookCalendar) {
      window.solibookCalendar.setOption('resources', config.resources.map(function (r) {
        return { id: r.id, title: r.title, extendedProps: { note: notes[r.id] || '' } };
      }));
    }
  }

  function resourceLabel(info) {
    var note = notes[info.resource.id] || '';
    return {
      html: '<span class="sb-column-name">' + escapeHtml(info.resource.title) + '</span>' +
        (note ? '<span class="sb-column-note">' + escapeHtml(note) + '</span>' : '')
    };
  }

  function eventContent(info) {
    var p = info.event.extendedProps;
    if (p.kind === 'away' && p.blocked) {
      return { html: '<div class="sb-event"><span class="sb-event-time">' + escapeHtml(info.timeText) + '</span> <strong>' + escapeHtml(info.event.title || S.block_title) + '</strong></div>' };
    }
    if (p.kind === 'resource') {
      return { html: '<div class="sb-event"><span class="sb-event-time">' + escapeHtml(info.timeText) + '</span> ' + escapeHtml(info.event.title || '') + '</div>' };
    }
    if (p.kind !== 'busy') { return ''; }
    return {
      html: '<div class="sb-event"><span class="sb-event-time">' + escapeHtml(info.timeText) + '</span> ' +
        '<strong>' + escapeHtml(p.client || '') + '</strong>' +
        '<span class="sb-event-service">' + escapeHtml(p.service) + '</span>' +
        '<span class="sb-event-status">' + escapeHtml(p.status_label) + '</span></div>'
    };
  }

  function eventDidMount(info) {
    var p = info.event.extendedProps;
    if (p.kind === 'away' && p.blocked) {
      info.el.setAttribute('tabindex', '0');
      info.el.setAttribute('role', 'button');
      info.el.dataset.timeOffId = p.time_off_id;
      info.el.addEventListener('keydown', function (e) {
        if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); unblock(p.time_off_id); }
      });
      return;
    }
    if (p.kind === 'resource') { info.el.dataset.appointmentId = p.appointment_id; return; }
    if (p.kind !== 'busy') { return; }
    // Keyboard: each appointment is a focusable button that opens its panel.
    info.el.setAttribute('tabindex', '0');
    info.el.setAttribute('role', 'button');
    info.el.dataset.appointmentId = p.appointment_id;
    info.el.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); openPanel(p.appointment_id); }
    });
  }

  function onMove(info) {
    var p = info.event.extendedProps;
    if (!p.movable) { info.revert(); say(S.not_movable, 'danger'); return; }
    var shift = wallMs(wallOf(info.event.start)) - wallMs(wallOf(info.oldEvent.start));
    var body = { start: withOffset(msWall(wallMs(p.appointment_start) + shift)) };
    if (info.newResource && info.oldResource && info.newResource.id !== info.oldResource.id) {
      var masters = p.item_masters.slice();
      masters[p.item_index] = +info.newResource.id;
      body.master_ids = masters;
    }
    request('POST', withId(config.urls.reschedule, p.appointment_id), body).then(function (result) {
      if (result.ok) {
        say(S.moved, 'success');
      } else {
        info.revert();
        say(result.status === 409 ? S.conflict : errorMessage(result), 'danger');
      }
      calendar.refetchEvents();
    });
  }

  function onResize(info) {
    var p = info.event.extendedProps;
    if (!p.resizable) { info.revert(); say(S.not_movable, 'danger'); return; }
    var shift = wallMs(wallOf(info.event.end)) - wallMs(wallOf(info.oldEvent.end));
    var body = { end: withOffset(msWall(wallMs(p.appointment_end) + shift)) };
    request('POST', withId(config.urls.resize, p.appointment_id), body).then(function (result) {
      if (result.ok) {
        say(S.resized, 'success');
      } else {
        info.revert();
        say(result.status === 409 ? S.resize_conflict : errorMessage(result), 'danger');
      }
      calendar.refetchEvents();
    });
  }

  function unblock(timeOffId) {
    if (!config.canManage || !window.confirm(S.unblock_confirm)) { return; }
    request('DELETE', withId(config.urls.unblock, timeOffId)).then(function (result) {
      if (result.ok || result.status === 204) { say(S.unblocked, 'success'); } else { say(errorMessage(result), 'danger'); }
      calendar.refetchEvents();
    });
  }

  var calendar = EventCalendar.create(document.getElementById('calendar'), {
    view: 'resourceTimeGridDay',
    date: config.date,
    timeZone: config.nowOffset,
    locale: config.locale,
    firstDay: 1,
    headerToolbar: { start: 'prev,today,next', center: 'title', end: 'resourceTimeGridDay,timeGridWeek' },
    buttonText: function (text) {
      return Object.assign({}, text, {
        today: S.buttons.today, resourceTimeGridDay: S.buttons.resourceTimeGridDay, timeGridWeek: S.buttons.timeGridWeek,
        prev: S.buttons.prev, next: S.buttons.next, close: S.buttons.close
      });
    },
    resources: config.resources,
    resourceLabelContent: resourceLabel,
    eventSources: [{ events: fetchEvents }],
    nowIndicator: true,
    allDaySlot: false,
    slotMinTime: '07:00',
    slotMaxTime: '22:00',
    scrollTime: '08:00',
    slotDuration: '00:15',
    slotLabelInterval: '01:00',
    slotHeight: 20,
    height: '75vh',
    editable: config.canManage,
    eventDurationEditable: config.canManage,
    eventResizableFromStart: false,
    eventStartEditable: config.canManage,
    selectable: false,
    eventTimeFormat: { hour: '2-digit', minute: '2-digit' },
    slotLabelFormat: { hour: '2-digit', minute: '2-digit' },
    eventContent: eventContent,
    eventDidMount: eventDidMount,
    eventDrop: onMove,
    eventResize: onResize,
    eventClick: function (info) {
      var p = info.event.extendedProps;
      if (p.kind === 'busy' || p.kind === 'resource') { openPanel(p.appointment_id); }
      if (p.kind === 'away' && p.blocked) { unblock(p.time_off_id); }
    },
    dateClick: function (info) {
      if (!config.canManage || info.allDay) { return; }
      if (info.resource && String(info.resource.id).indexOf('res-') === 0) { return; }  // a room's column: book from a master's
      openBooking(wallOf(info.date), info.resource ? info.resource.id : (weekMaster && weekMaster.value));
    }
  });
  window.solibookCalendar = calendar;

  // EventCalendar marks its grid up as an ARIA table whose rows hold
  // toolbars and event buttons, which assistive technology cannot make sense
  // of (axe: aria-required-children). Keep it a plain region of buttons, with
  // the columns' and hours' names as text.
  var calendarEl = document.getElementById('calendar');
  function flattenTableRoles() {
    calendarEl.querySelectorAll('[role=table],[role=row],[role=rowgroup],[role=columnheader],[role=rowheader],[role=cell]').forEach(function (node) {
      node.removeAttribute('role');
    });
    // The scrolling grid must be reachable from the keyboard even with no event in it.
    calendarEl.querySelectorAll('.ec-main').forEach(function (node) {
      if (!node.hasAttribute('tabindex')) { node.setAttribute('tabindex', '0'); }
    });
    calendarEl.querySelectorAll('[aria-colindex],[aria-rowindex]').forEach(function (node) {
      node.removeAttribute('aria-colindex');
      node.removeAttribute('aria-rowindex');
    });
  }
  flattenTableRoles();
  new MutationObserver(flattenTableRoles).observe(calendarEl, { childList: true, subtree: true });

  if (weekMaster) {
    weekMaster.addEventListener('change', function () {
      if (calendar.getView().type === 'timeGridWeek') { calendar.refetchEvents(); }
    });
  }

  // --- booking a phone or walk-in client --------------------------------------

  var modalEl = document.getElementById('booking-modal');
  var modal = null;
  var form = document.getElementById('booking-form');

  function field(id) { return document.getElementById(id); }

  // --- the visit's services: one row each, with its master (or any free one) ----

  var itemsBox = document.getElementById('booking-items');
  var itemTemplate = document.getElementById('booking-item-template');
  var itemSeq = 0;

  function itemRows() { return Array.prototype.slice.call(itemsBox.querySelectorAll('.booking-item')); }

  function filterServices(row) {
    var master = row.querySelector('.booking-master').value;
    var allowed = master ? (config.masterServices[master] || []) : null;
    var select = row.querySelector('.booking-service');
    Array.prototype.forEach.call(select.options, function (option) {
      if (!option.value) { return; }
      var ok = !allowed || allowed.indexOf(+option.value) !== -1;
      option.hidden = !ok;
      option.disabled = !ok;
    });
    if (select.selectedOptions[0] && select.selectedOptions[0].disabled) { select.value = ''; }
  }

  function wireRow(row) {
    row.querySelector('.booking-master').addEventListener('change', function () { filterServices(row); });
    var remove = row.querySelector('.booking-item-remove');
    if (remove) {
      remove.addEventListener('click', function () {
        row.remove();
        var last = itemRows().slice(-1)[0];
        if (last) { last.querySelector('.booking-service').focus(); }
      });
    }
  }

  function addRow(serviceId, masterId) {
    var row = itemTemplate.content.firstElementChild.cloneNode(true);
    var n = ++itemSeq;
    ['service', 'master'].forEach(function (name) {
      var control = row.querySelector('[data-field=' + name + ']');
      control.id = 'booking-' + name + '-' + n;
      row.querySelector('[data-for=' + name + ']').setAttribute('for', control.id);
    });
    itemsBox.appendChild(row);
    var previous = itemRows().slice(-2)[0];
    var master = row.querySelector('.booking-master');
    master.value = masterId !== undefined ? String(masterId || '') : previous.querySelector('.booking-master').value;
    wireRow(row);
    filterServices(row);
    if (serviceId) { row.querySelector('.booking-service').value = String(serviceId); }
    return row;
  }

  function resetRows() {
    itemRows().slice(1).forEach(function (row) { row.remove(); });
  }

  function readItems() {
    return itemRows().map(function (row) {
      var master = row.querySelector('.booking-master').value;
      return { service_id: +row.querySelector('.booking-service').value || null, master_id: master ? +master : null };
    });
  }

  // --- a refused time: the nearest free times, one click books one --------------

  function hideAlternatives() {
    field('booking-alternatives').classList.add('d-none');
    field('booking-alternatives-list').replaceChildren();
  }

  function showAlternatives(alternatives) {
    var list = field('booking-alternatives-list');
    list.replaceChildren();
    alternatives.forEach(function (alt) {
      var local = alt.start.slice(0, 16);
      var masters = [];
      alt.items.forEach(function (item) { if (masters.indexOf(item.master_name) === -1) { masters.push(item.master_name); } });
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-sm btn-primary booking-alternative';
      button.dataset.start = local;
      button.textContent = showWall(local, local.slice(0, 10) !== field('booking-date').value) + ' · ' + masters.join(', ');
      button.addEventListener('click', function () {
        field('booking-date').value = local.slice(0, 10);
        field('booking-time').value = local.slice(11, 16);
        itemRows().forEach(function (row, i) {
          if (alt.items[i]) {
            row.querySelector('.booking-master').value = String(alt.items[i].master_id);
            var service = row.querySelector('.booking-service').value;
            filterServices(row);
            row.querySelector('.booking-service').value = service;
          }
        });
        hideAlternatives();
        form.requestSubmit();
      });
      list.appendChild(button);
    });
    field('booking-alternatives').classList.toggle('d-none', !alternatives.length);
  }

  function chooseClient(client) {
    field('booking-client-card').value = client ? (client.card_id || '') : '';
    field('booking-client-name').value = client ? client.name : '';
    field('booking-client-phone').value = client ? client.phone : '';
    field('booking-client-email').value = client ? client.email : '';
    var chosen = field('booking-client-chosen');
    chosen.classList.toggle('d-none', !client);
    chosen.textContent = client ? [client.name, client.phone, client.email].filter(Boolean).join(' · ') : '';
    clearResults();
  }

  function clearResults() {
    field('booking-client-results').replaceChildren();
    field('booking-client-results').hidden = true;
    field('booking-client-search').setAttribute('aria-expanded', 'false');
  }

  var searchTimer = null;
  var searchSeq = 0;

  function search() {
    var q = field('booking-client-search').value.trim();
    var list = field('booking-client-results');
    var count = field('booking-client-count');
    if (q.length < 2) { searchSeq++; clearResults(); count.textContent = ''; return; }
    var seq = ++searchSeq;
    request('GET', config.urls.clients + '?' + new URLSearchParams({ q: q }).toString()).then(function (result) {
      if (seq !== searchSeq) { return; }
      var rows = (result.ok && result.data.results) || [];
      list.replaceChildren();
      rows.forEach(function (client, i) {
        var item = document.createElement('li');
        item.className = 'list-group-item list-group-item-action';
        item.id = 'booking-client-option-' + i;
        item.setAttribute('role', 'option');
        item.tabIndex = -1;
        item.textContent = [client.name, client.phone, client.email].filter(Boolean).join(' · ');
        item.addEventListener('click', function () { chooseClient(client); field('booking-client-name').focus(); });
        item.addEventListener('keydown', function (e) {
          if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); chooseClient(client); field('booking-client-name').focus(); }
          if (e.key === 'ArrowDown' && item.nextSibling) { e.preventDefault(); item.nextSibling.focus(); }
          if (e.key === 'ArrowUp') { e.preventDefault(); (item.previousSibling || field('booking-client-search')).focus(); }
          if (e.key === 'Escape') { e.preventDefault(); clearResults(); field('booking-client-search').focus(); }
        });
        list.appendChild(item);
      });
      list.hidden = !rows.length;
      field('booking-client-search').setAttribute('aria-expanded', rows.length ? 'true' : 'false');
      count.textContent = rows.length ? '' : S.no_clients;
    });
  }

  function openBooking(wall, masterId, preset) {
    if (!modalEl) { return; }
    modal = modal || bootstrap.Modal.getOrCreateInstance(modalEl);
    form.reset();
    resetRows();
    hideAlternatives();
    chooseClient(null);
    field('booking-client-count').textContent = '';
    field('booking-error').classList.add('d-none');
    field('booking-date').value = wall.slice(0, 10);
    field('booking-time').value = wall.slice(11, 16);
    var first = itemRows()[0];
    if (masterId) { field('booking-master').value = String(masterId); }
    filterServices(first);
    if (preset) {
      // Rebook: the same client and services, each with the same master.
      preset.items.forEach(function (item, i) {
        if (i === 0) {
          field('booking-master').value = String(item.master_id);
          filterServices(first);
          field('booking-service').value = String(item.service_id);
        } else {
          addRow(item.service_id, item.master_id);
        }
      });
      if (preset.client_card_id) {
        chooseClient({ card_id: preset.client_card_id, name: preset.client_name || '', phone: preset.phone || '', email: preset.email || '' });
      }
    }
    modal.show();
  }

  if (modalEl) {
    modalEl.addEventListener('shown.bs.modal', function () { field('booking-service').focus(); });
    wireRow(itemRows()[0]);
    field('booking-add-service').addEventListener('click', function () {
      addRow().querySelector('.booking-service').focus();
    });
    field('booking-client-search').addEventListener('input', function () {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(search, 200);
    });
    field('booking-client-search').addEventListener('keydown', function (e) {
      var first = field('booking-client-results').firstChild;
      if (e.key === 'ArrowDown' && first) { e.preventDefault(); first.focus(); }
    });
    ['booking-client-name', 'booking-client-phone', 'booking-client-email'].forEach(function (id) {
      field(id).addEventListener('input', function () { field('booking-client-card').value = ''; });
    });
    field('calendar-new') && field('calendar-new').addEventListener('click', function () {
      var day = calendar.getView().currentStart;
      openBooking(wallOf(day).slice(0, 10) + 'T09:00', weekMaster && weekMaster.value);
    });
    form.addEventListener('submit', function (e) {
      e.preventDefault();
      var error = field('booking-error');
      error.classList.add('d-none');
      var items = readItems();
      var name = field('booking-client-name').value.trim();
      var phone = field('booking-client-phone').value.trim();
      var email = field('booking-client-email').value.trim();
      var missing = items.filter(function (item) { return !item.service_id; }).length;
      var problem = missing ? S.choose_service : (!name && !phone && !email && !field('booking-client-card').value ? S.need_client : '');
      if (!problem && (!field('booking-date').value || !field('booking-time').value)) { problem = S.choose_time; }
      if (problem) { error.textContent = problem; error.classList.remove('d-none'); error.focus(); return; }
      var submit = field('booking-submit');
      submit.disabled = true;
      hideAlternatives();
      request('POST', config.urls.appointments, {
        location_id: config.locationId,
        items: items,
        start: withOffset(field('booking-date').value + 'T' + field('booking-time').value),
        client_card_id: field('booking-client-card').value ? +field('booking-client-card').value : null,
        client_name: name,
        client_phone: phone,
        client_email: email,
        notes: field('booking-notes').value
      }).then(function (result) {
        submit.disabled = false;
        if (result.ok) {
          modal.hide();
          say(S.booked, 'success');
          var day = field('booking-date').value;
          if (calendar.getView().type === 'resourceTimeGridDay' && wallOf(calendar.getView().currentStart).slice(0, 10) !== day) {
            calendar.setOption('date', day);
          } else {
            calendar.refetchEvents();
          }
          return;
        }
        var fields = (result.data.error && result.data.error.fields) || {};
        var details = Object.keys(fields).map(function (k) { return fields[k].join(' '); }).join(' ');
        error.textContent = errorMessage(result) + (details && details !== errorMessage(result) ? ' ' + details : '');
        error.classList.remove('d-none');
        showAlternatives((result.data.error && result.data.error.alternatives) || []);
        error.focus();
      });
    });
  }

  // --- blocked time -----------------------------------------------------------

  var blockModalEl = document.getElementById('block-modal');
  var blockModal = null;

  function openBlock(wall, masterId) {
    blockModal = blockModal || bootstrap.Modal.getOrCreateInstance(blockModalEl);
    document.getElementById('block-form').reset();
    field('block-error').classList.add('d-none');
    field('block-date').value = wall.slice(0, 10);
    field('block-from').value = wall.slice(11, 16);
    var end = msWall(wallMs(wall) + 60 * 60000);
    field('block-to').value = end.slice(11, 16);
    if (masterId) { field('block-master').value = String(masterId); }
    blockModal.show();
  }

  if (blockModalEl) {
    field('calendar-block').addEventListener('click', function () {
      var day = calendar.getView().currentStart;
      openBlock(wallOf(day).slice(0, 10) + 'T12:00', weekMaster && weekMaster.value);
    });
    blockModalEl.addEventListener('shown.bs.modal', function () { field('block-from').focus(); });
    document.getElementById('block-form').addEventListener('submit', function (e) {
      e.preventDefault();
      var error = field('block-error');
      error.classList.add('d-none');
      var day = field('block-date').value;
      var from = field('block-from').value;
      var to = field('block-to').value;
      if (!day || !from || !to || to <= from) {
        error.textContent = S.block_bad_times;
        error.classList.remove('d-none');
        error.focus();
        return;
      }
      var submit = field('block-submit');
      submit.disabled = true;
      request('POST', config.urls.block, {
        master_id: +field('block-master').value,
        starts_at: withOffset(day + 'T' + from),
        ends_at: withOffset(day + 'T' + to),
        note: field('block-note').value
      }).then(function (result) {
        submit.disabled = false;
        if (result.ok) {
          blockModal.hide();
          say(S.blocked, 'success');
          calendar.refetchEvents();
          return;
        }
        error.textContent = errorMessage(result);
        error.classList.remove('d-none');
        error.focus();
      });
    });
  }

  // --- the appointment panel -------------------------------------------------

  var panelEl = document.getElementById('appointment-panel');
  var panel = null;

  function historyLine(row) {
    var data = row.data || {};
    var text = S.history[row.kind] || row.kind;
    var statuses = S.statuses;
    var isTime = (row.kind === 'rescheduled' || row.kind === 'resized') && data.from;
    text = text.replace('%(from)s', isTime ? showWall(data.from, row.kind === 'rescheduled') : (statuses[data.from] || data.from || ''))
      .replace('%(to)s', statuses[data.to] || data.to || '');
    return showWall(row.at, true) + ' — ' + text + ' — ' + (row.actor || S.nobody);
  }

  function renderPanel(a) {
    field('appointment-client').textContent = a.client.name || '—';
    var cardLink = field('appointment-card');
    cardLink.classList.toggle('d-none', !a.client.card_id);
    if (a.client.card_id) { cardLink.href = withId(config.urls.card, a.client.card_id); }
    field('appointment-contacts').textContent = [a.client.phone, a.client.email].filter(Boolean).join(' · ') || '—';
    field('appointment-time').textContent = showWall(a.start, true) + ' – ' + showWall(a.end, false);
    var items = field('appointment-items');
    items.replaceChildren();
    a.items.forEach(function (item) {
      var li = document.createElement('li');
      li.textContent = item.service + ' — ' + item.master + ' (' + showWall(item.start, false) + '–' + showWall(item.end, false) + ', ' + item.price + ')';
      items.appendChild(li);
    });
    field('appointment-price').textContent = a.price || '—';
    var hasDue = a.balance_due !== null && a.balance_due !== undefined;
    document.querySelectorAll('.appointment-due').forEach(function (el) { el.classList.toggle('d-none', !hasDue); });
    field('appointment-due').textContent = hasDue ? (a.desk && a.desk.checked_out ? S.paid : a.balance_due) : '';
    var alerts = field('appointment-alerts');
    alerts.replaceChildren();
    (a.alerts || []).forEach(function (alert) {
      var li = document.createElement('li');
      li.className = 'alert-line mb-1 alert-line-' + alert.level;
      li.dataset.kind = alert.kind;
      li.textContent = alert.text;
      alerts.appendChild(li);
    });
    alerts.classList.toggle('d-none', !(a.alerts || []).length);
    field('appointment-status').textContent = a.status_label;
    field('appointment-notes').textContent = a.notes || '—';
    var actions = field('appointment-actions');
    actions.replaceChildren();
    var desk = a.desk || {};
    var noShowUrl = desk.no_show && config.urls.noShow ? withId(config.urls.noShow, a.id) : '';
    a.next_statuses.forEach(function (next) {
      // Check in and No-show have their own buttons below.
      if ((next.status === 'arrived' && desk.check_in) || (next.status === 'no_show' && noShowUrl)) { return; }
      var button = document.createElement('button');
      button.type = 'button';
      button.className = 'btn btn-sm btn-outline-primary';
      button.textContent = next.label;
      button.dataset.status = next.status;
      button.addEventListener('click', function () { act(a.id, 'status', { status: next.status }, S.status_changed); });
      actions.appendChild(button);
    });
    if (a.can_cancel) {
      var cancel = document.createElement('button');
      cancel.type = 'button';
      cancel.className = 'btn btn-sm btn-outline-danger';
      cancel.textContent = S.statuses.cancelled;
      cancel.dataset.status = 'cancelled';
      cancel.addEventListener('click', function () {
        if (window.confirm(S.cancel_confirm)) { act(a.id, 'cancel', { reason: '' }, S.cancelled); }
      });
      actions.appendChild(cancel);
    }
    renderDesk(a, desk, noShowUrl);
    var history = field('appointment-history');
    history.replaceChildren();
    a.history.forEach(function (row) {
      var li = document.createElement('li');
      li.className = 'mb-1';
      li.textContent = historyLine(row);
      history.appendChild(li);
    });
  }

  function deskButton(label, className, onClick) {
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'btn btn-sm ' + className;
    button.textContent = label;
    button.addEventListener('click', onClick);
    return button;
  }

  function deskLink(label, className, href) {
    var link = document.createElement('a');
    link.className = 'btn btn-sm ' + className;
    link.textContent = label;
    link.href = href;
    return link;
  }

  var shown = null;  // the appointment in the panel

  function renderDesk(a, desk, noShowUrl) {
    shown = a;
    var box = field('appointment-desk');
    box.replaceChildren();
    if (desk.check_in) {
      var checkIn = deskButton(S.check_in, 'btn-primary', function () { act(a.id, 'status', { status: 'arrived' }, S.checked_in); });
      checkIn.dataset.action = 'check-in';
      box.appendChild(checkIn);
    }
    if (desk.check_out) {
      var out = deskLink(S.check_out, 'btn-outline-primary', config.urls.checkout + '?appointment=' + a.id);
      out.dataset.action = 'check-out';
      box.appendChild(out);
    }
    if (noShowUrl) {
      var noShow = deskLink(S.no_show, 'btn-outline-danger', noShowUrl);
      noShow.dataset.action = 'no-show';
      box.appendChild(noShow);
    }
    var form = field('appointment-reschedule');
    form.classList.add('d-none');
    if (desk.reschedule) {
      var move = deskButton(S.reschedule, 'btn-outline-secondary', function () {
        form.classList.toggle('d-none');
        field('reschedule-date').value = a.start.slice(0, 10);
        field('reschedule-time').value = a.start.slice(11, 16);
        field('reschedule-date').focus();
      });
      move.dataset.action = 'reschedule';
      box.appendChild(move);
    }
    if (desk.rebook && a.rebook && modalEl) {
      var again = deskButton(S.rebook, 'btn-outline-secondary', function () {
        panel.hide();
        var day = calendar.getView().currentStart;
        openBooking(wallOf(day).slice(0, 10) + a.start.slice(10, 16), null, a.rebook);
      });
      again.dataset.action = 'rebook';
      box.appendChild(again);
    }
  }

  var rescheduleForm = field('appointment-reschedule');
  if (rescheduleForm) {
    rescheduleForm.addEventListener('submit', function (e) {
      e.preventDefault();
      if (!shown) { return; }
      var day = field('reschedule-date').value;
      var at = field('reschedule-time').value;
      if (!day || !at) {
        var error = field('appointment-error');
        error.textContent = S.choose_time;
        error.classList.remove('d-none');
        return;
      }
      act(shown.id, 'reschedule', { start: withOffset(day + 'T' + at) }, S.moved);
    });
  }

  function openPanel(appointmentId) {
    panel = panel || bootstrap.Offcanvas.getOrCreateInstance(panelEl);
    field('appointment-error').classList.add('d-none');
    request('GET', withId(config.urls.panel, appointmentId)).then(function (result) {
      if (!result.ok) { say(errorMessage(result), 'danger'); return; }
      renderPanel(result.data);
      panel.show();
    });
  }

  function act(appointmentId, action, body, done) {
    request('POST', withId(config.urls[action], appointmentId), body).then(function (result) {
      if (!result.ok) {
        var error = field('appointment-error');
        error.textContent = errorMessage(result);
        error.classList.remove('d-none');
        return;
      }
      say(done, 'success');
      calendar.refetchEvents();
      request('GET', withId(config.urls.panel, appointmentId)).then(function (again) {
        if (again.ok) { renderPanel(again.data); }
      });
    });
  }
})();
