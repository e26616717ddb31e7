// Web push on the "How we notify you" page: subscribe this device with the
// server's VAPID key, send the subscription to the API, or remove it.
(function () {
  "use strict";
  var box = document.getElementById("push");
  if (!box) return;
  var on = document.getElementById("push-on");
  var off = document.getElementById("push-off");
  var status = document.getElementById("push-status");
  var api = box.dataset.api;

  function say(key) { status.textContent = status.dataset[key] || ""; }
  function csrf() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function keyBytes(base64url) {
    var padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    var raw = atob(padded), out = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) out[i] = raw.charCodeAt(i);
    return out;
  }
  function send(method, body, query) {
    return fetch(api + (query || ""), {
      method: method, credentials: "same-origin",
      headers: {"Content-Type": "application/json", "X-CSRFToken": csrf()},
      body: body ? JSON.stringify(body) : undefined,
    }).then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r; });
  }
  function show(subscribed) {
    on.hidden = subscribed; off.hidden = !subscribed;
    say(subscribed ? "on" : "off");
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    say("unsupported");
    return;
  }
  var ready = navigator.serviceWorker.register(box.dataset.sw, {scope: "/"}).then(function () {
    return navigator.serviceWorker.ready;
  });
  ready.then(function (reg) { return reg.pushManager.getSubscription(); })
    .then(function (sub) { show(!!sub); })
    .catch(function () { say("failed"); });

  on.addEventListener("click", function () {
    Notification.requestPermission().then(function (permission) {
      if (permission !== "granted") { say("denied"); return null; }
      return ready.then(function (reg) {
        return reg.pushManager.subscribe({userVisibleOnly: true, applicationServerKey: keyBytes(box.dataset.vapidKey)});
      }).then(function (sub) {
        var json = sub.toJSON();
        return send("POST", {endpoint: json.endpoint, p256dh: json.keys.p256dh, auth: json.keys.auth}).then(function () { show(true); });
      });
    }).catch(function () { say("failed"); });
  });

  off.addEventListener("click", function () {
    ready.then(function (reg) { return reg.pushManager.getSubscription(); }).then(function (sub) {
      if (!sub) { show(false); return null; }
      var endpoint = sub.endpoint;
      return sub.unsubscribe().then(function () {
        return send("DELETE", null, "?endpoint=" + encodeURIComponent(endpoint));
      }).then(function () { show(false); });
    }).catch(function () { say("failed"); });
  });
})();
