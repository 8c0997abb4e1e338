// Starts the app and registers the service worker (offline); xtask fills in the hashed names.
// The glue is imported only once the texts are on their way (index.html preloads it and the wasm).

// The texts of one language at a time (the app asks through this); the remembered language's
// are fetched at once, alongside the wasm. A failed fetch is forgotten so it can be retried.
// A staff page joins the staff screens' texts to the citizen's (xtask lists the files).
const catalogues = {{catalogues}};
const fetched = {};
const text = (url) => fetch(url).then((r) => (r.ok ? r.text() : Promise.reject(new Error(`HTTP ${r.status}`))));
window.telnuskaCatalogue = (code) => (fetched[code] ??= Promise.all((catalogues[code] ?? catalogues.kk).map(text))
  .then((texts) => texts.join("\n"))
  .catch((err) => { delete fetched[code]; throw err; }));
// The language chosen before, as the citizen's app keeps it in IndexedDB (the drafts' database,
// store `settings`) beside localStorage: a killed browser may lose what localStorage held. Never
// makes the database (an upgrade on a first visit is aborted); null when there is none.
const keptLang = () => new Promise((resolve) => {
  const open = indexedDB.open("telnuska");
  open.onupgradeneeded = () => open.transaction.abort();
  open.onerror = () => resolve(null);
  open.onsuccess = () => {
    const db = open.result;
    if (!db.objectStoreNames.contains("settings")) { db.close(); return resolve(null); }
    const get = db.transaction("settings").objectStore("settings").get("lang");
    get.onsuccess = () => { db.close(); resolve(typeof get.result === "string" ? get.result : null); };
    get.onerror = () => { db.close(); resolve(null); };
  };
});
// The language the app opens in (as i18n.rs chooses it): a tracking link's, else the one chosen
// before, else the first of the browser's languages it speaks, else Kazakh.
let chosen = null;
try { chosen = localStorage.getItem("telnuska.lang"); } catch { /* storage refused */ }
if (!chosen) { try { chosen = await keptLang(); } catch { /* no IndexedDB */ } }
const preferred = [location.pathname.match(/^\/track\/[^/]+\/([a-z]{2})$/)?.[1], chosen, ...(navigator.languages || []).map((l) => l.slice(0, 2))]
  .find((code) => code in catalogues) || "kk";
window.telnuskaLang = preferred;
window.telnuskaCatalogue(preferred).catch(() => {});

try {
  const { default: init } = await import("/{{entry.js}}");
  await init({ module_or_path: "/{{entry_bg.wasm}}" });
} catch (err) {
  // No WebAssembly, or its download failed: the page says what to do instead (its <noscript>).
  const advice = document.getElementById("no-app");
  if (advice) advice.outerHTML = advice.textContent;
  throw err;
}

// Drafts and the outbox must not be evicted under storage pressure (browsers may refuse).
navigator.storage?.persist?.().catch(() => {});

// A new version waits until the person agrees: the app offers it on `telnuska-update-ready` and
// answers `telnuska-update-accept`; the first install, with nothing in control yet, is silent.
if ("serviceWorker" in navigator) {
  const sw = navigator.serviceWorker;
  const offer = () => window.dispatchEvent(new Event("telnuska-update-ready"));
  sw.register("/sw.js", { scope: "/" }).then((registration) => {
    // Another page than the citizen's asks the worker to keep it too (a citizen's device never does).
    const shell = "{{shell}}";
    if (shell !== "/") sw.ready.then((r) => r.active?.postMessage({ keep: shell }));
    if (registration.waiting && sw.controller) offer();
    registration.addEventListener("updatefound", () => {
      const worker = registration.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed" && sw.controller) offer();
      });
    });
    window.addEventListener("telnuska-update-accept", () => {
      if (!registration.waiting) return location.reload();
      sw.addEventListener("controllerchange", () => location.reload());
      registration.waiting.postMessage("skip-waiting");
    });
  }).catch((err) => console.warn("service worker not registered", err));
}
