// Starts the WebAssembly app and registers the service worker that lets it open offline.
// Placeholders in double braces are replaced with hashed file names by `cargo xtask build-app`.
import init from "/{{app.js}}";

await init({ module_or_path: "/{{app_bg.wasm}}" });

if ("serviceWorker" in navigator) {
  navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch((err) => {
    console.warn("service worker not registered", err);
  });
}
