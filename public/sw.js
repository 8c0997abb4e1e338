// Service worker: the app opens with no network.
// `cargo xtask build-app` replaces the placeholders: VERSION changes with every build, ASSETS lists
// the hashed files of the citizen's app, SHELLS the other pages (the staff office, the desk, the
// field worker, the kiosk), each by the path it is served at with the files it adds. Hashed files
// never change, so they are served cache-first; a page is network-first with its cached shell as
// the fallback. API calls (and so every piece of staff data) are never cached.
const VERSION = "{{version}}";
const CACHE = `telnuska-shell-${VERSION}`;
const ASSETS = {{assets}};
// Most specific path first, as the server chooses the page.
const SHELLS = new Map({{shells}});
// The citizen's page at `/` carries its first screen (the service choice); every other address
// of the citizen's gets the same page without it, kept under its own name (as the server sends).
const ELSEWHERE = "/{{citizen-elsewhere}}";
const shellOf = (path) => [...SHELLS.keys()].find((p) => path === p || path.startsWith(`${p}/`)) ?? (path === "/" ? "/" : ELSEWHERE);
const cacheShell = (cache, shell) => cache.addAll([shell, ...SHELLS.get(shell)]);

// Another page is installed only on a device that has opened it (it asks with "keep", naming
// its shell), and then kept across updates, so a field worker stays able to work offline.
self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then(async (cache) => {
    await cache.addAll(["/", ELSEWHERE, ...ASSETS]);
    for (const shell of SHELLS.keys()) {
      if (await caches.match(shell)) await cacheShell(cache, shell);
    }
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
  if (SHELLS.has(event.data?.keep)) event.waitUntil(caches.open(CACHE).then((cache) => cacheShell(cache, event.data.keep)));
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith("/api/")) return;

  if (request.mode === "navigate") {
    const shell = shellOf(url.pathname);
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
