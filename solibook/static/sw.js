// Solibook's service worker (served at /sw.js, scope /): shows web push
// messages and opens their link when tapped. The payload is JSON written by
// solibook/notifications/push.py: {title, body, url, lang, tag}.
"use strict";

self.addEventListener("install", function () { self.skipWaiting(); });
self.addEventListener("activate", function (event) { event.waitUntil(self.clients.claim()); });

self.addEventListener("push", function (event) {
  var data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {body: event.data ? event.data.text() : ""}; }
  var title = data.title || "Solibook";
  event.waitUntil(self.registration.showNotification(title, {
    body: data.body || "",
    lang: data.lang || "",
    dir: data.lang === "ar" ? "rtl" : "auto",
    tag: data.tag || undefined,
    icon: "/static/notifications/icon-192.png",
    badge: "/static/notifications/icon-192.png",
    data: {url: data.url || "/"},
  }));
});

self.addEventListener("notificationclick", function (event) {
  event.notification.close();
  var url = (event.notification.data && event.notification.data.url) || "/";
  event.waitUntil(self.clients.matchAll({type: "window", includeUncontrolled: true}).then(function (list) {
    for (var i = 0; i < list.length; i++) {
      if (list[i].url === url && "focus" in list[i]) return list[i].focus();
    }
    return self.clients.openWindow ? self.clients.openWindow(url) : undefined;
  }));
});
