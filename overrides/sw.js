// Offline use of the guide, only after the reader asks for it on the safety page (offline.js
// registers this worker; nothing else does). It keeps copies of the site's own files, never an
// answer: the quiz holds answers in the page's memory only, and this worker caches nothing but
// the plain GET requests listed in offline.json.
"use strict";

const CACHE = "amparo-offline";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

async function save(language) {
  const manifest = await (await fetch("offline.json", { cache: "no-store" })).json();
  const files = manifest.files[language] || manifest.files[manifest.default];
  await caches.delete(CACHE); // a fresh copy, without files an older version of the site had
  const cache = await caches.open(CACHE);
  await cache.addAll(files);
  return files.length;
}

self.addEventListener("message", (event) => {
  const port = event.ports[0];
  if (!event.data || event.data.type !== "save" || !port) return;
  event.waitUntil(save(event.data.language).then(
    (count) => port.postMessage({ saved: count }),
    (error) => port.postMessage({ failed: String(error) }),
  ));
});

// Pages: the network first, so a reader online always gets the current text, and the saved copy
// when there is no connection. Everything else (styles, scripts, the quiz runtime): the saved copy.
self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== location.origin) return;
  // "Remove all traces" asks the server for this address: its Clear-Site-Data header must come
  // from the network, to the page, never from this worker.
  if (new URL(request.url).pathname.endsWith("/clear-site-data.txt")) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(request, { ignoreSearch: true })
      .then((saved) => saved || Response.error())));
    return;
  }
  event.respondWith(caches.match(request, { ignoreSearch: true }).then((saved) => saved || fetch(request)));
});
