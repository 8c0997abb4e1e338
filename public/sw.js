// Service worker: the app opens with no network.
// `cargo xtask build-app` replaces the placeholders: VERSION changes with every build, ASSETS lists
// the hashed files of the citizen's app, STAFF_ASSETS those the staff bundle adds. Hashed files
// never change, so they are served cache-first; a page is network-first with its cached shell as
// the fallback. API calls (and so every piece of staff data) are never cached.
const VERSION = "{{version}}";
const CACHE = `telnuska-shell-${VERSION}`;
const ASSETS = {{assets}};
const STAFF_ASSETS = {{staff_assets}};
// The staff bundle's page (served for /staff/… and /kiosk…), as it is kept here.
const STAFF_SHELL = "/staff";
const isStaffPath = (path) => /^\/(staff|kiosk)(\/|$)/.test(path);
const cacheStaff = (cache) => cache.addAll([STAFF_SHELL, ...STAFF_ASSETS]);

// The staff bundle is installed only on a device that has opened it (it asks with
// "cache-staff"), and then kept across updates, so a field worker stays able to work offline.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    await cache.addAll(["/", ...ASSETS]);
    if (await caches.match(STAFF_SHELL)) await cacheStaff(cache);
  }));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("telnuska-shell-") && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

// The page asks a waiting worker to take over once the person agrees to reload.
self.addEventListener("message", (event) => {
  if (event.data === "skip-waiting") self.skipWaiting();
  if (event.data === "cache-staff") event.waitUntil(caches.open(CACHE).then(cacheStaff));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    const shell = isStaffPath(url.pathname) ? STAFF_SHELL : "/";
    event.respondWith(
      fetch(request)
        .then((response) => {
          if (response.ok) {
            const copy = response.clone();
            caches.open(CACHE).then((cache) => cache.put(shell, copy));
          }
          return response;
        })
        .catch(() => caches.match(shell, { cacheName: CACHE }).then((r) => r || caches.match(shell))),
    );
    return;
  }

  event.respondWith(
    caches.match(request).then((cached) => cached || fetch(request).then((response) => {
      if (response.ok && url.pathname.startsWith("/assets/")) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(request, copy));
      }
      return response;
    })),
  );
});
