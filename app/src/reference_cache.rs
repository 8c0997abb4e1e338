//! The regions and institutions on this device: the last `GET /api/reference` bundle, kept with
//! its ETag in IndexedDB (a database of its own, `telnuska-reference`, so that it never shares a
//! version number with the drafts' database), made into the page's [`Reference`]
//! ([`Reference::from_bundle`]) so that the lists and the validator use it.
//!
//! At every start, without holding up the first render: the stored bundle is installed, then the
//! server is asked with `If-None-Match` (by the citizen's app only once it has drawn its first
//! screen: [`ReferenceLists::launch`]); `304` keeps the stored one, `200` replaces it (and is
//! stored), no answer (offline) keeps the stored one. The browser build carries no lists of its
//! own (why: `telnuska_shared::reference`), so with nothing stored and no network the documents
//! step says so and offers to try again. The body is stored as the server sent it: it is parsed
//! once per start either way, and no serialiser is needed in the download.
//!
//! The lists are published through a signal ([`ReferenceLists`], in context) so that the form's
//! lists redraw, and its validator runs again, when a newer bundle arrives; the stored one is
//! installed before the form appears (IndexedDB answers long before the language's texts and the
//! draft have loaded). Each installed reference is kept for the page's life (a page installs one
//! or two: the stored bundle, then a newer one), so readers hold a plain `&'static Reference`.

use leptos::prelude::*;
use telnuska_shared::reference::{compiled, Institution, InstitutionKind, Names, Reference, ReferenceBundle, Region};
use wasm_bindgen::{JsCast, JsValue};

use crate::api::{self, json_field, Call, Method};
use crate::idb;

const DB_NAME: &str = "telnuska-reference";
/// 1: store `bundle`.
const DB_VERSION: u32 = 1;
const STORE: &str = "bundle";
const CURRENT: &str = "current";

/// Whether the form's lists can be shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lists {
    /// Neither the device nor the server has answered yet.
    Loading,
    /// Regions and institutions are installed.
    Ready,
    /// Nothing stored and the server could not be reached.
    Unavailable,
}

/// The state of the form's lists, set after every install so that the views reading it show the
/// new lists. Made by the page's root component (or the workspace that shows the form) and
/// provided to its screens ([`provide_lists`]).
#[derive(Clone, Copy)]
pub struct ReferenceLists {
    /// The state of the lists and the reference data in force (one signal: each signal type
    /// costs the download its own code).
    current: RwSignal<Current>,
    /// How far the citizen's launch is ([`ReferenceLists::launch`]).
    launch: StoredValue<Launch>,
}

/// The state of the lists, and the reference data in force on the page: this build's catalogues
/// with the regions and institutions of the last bundle installed.
#[derive(Clone, Copy)]
struct Current {
    lists: Lists,
    reference: &'static Reference,
}

/// How far the launch is: the stored bundle read (`Some` of its ETag), the first screen drawn.
#[derive(Default)]
struct Launch {
    stored: Option<Option<String>>,
    drawn: bool,
}

impl Default for ReferenceLists {
    fn default() -> Self {
        Self::new()
    }
}

impl ReferenceLists {
    /// This build's own catalogues (in the browser: no regions or institutions yet), until a
    /// bundle is installed; not provided ([`provide_lists`] does both).
    pub fn new() -> Self {
        let current = Current { lists: Lists::Loading, reference: compiled() };
        Self { current: RwSignal::new(current), launch: StoredValue::new(Launch::default()) }
    }

    /// The state of the lists; a view reading it is redrawn when a bundle is installed.
    pub fn get(self) -> Lists {
        self.current.with(|c| c.lists)
    }

    /// The reference data in force, for the form's lists and its validator; a view or memo
    /// reading it is redrawn when a newer bundle is installed.
    pub fn reference(self) -> &'static Reference {
        self.current.with(|c| c.reference)
    }

    /// [`Self::reference`] without subscribing (in an event handler).
    pub fn reference_untracked(self) -> &'static Reference {
        self.current.with_untracked(|c| c.reference)
    }

    fn publish(self, fallback: Lists) {
        self.current.update(|c| c.lists = if c.reference.has_lists() { Lists::Ready } else { fallback });
    }

    /// Puts the lists of a bundle body in force; false if it does not parse or is incomplete.
    fn take(self, body: &str) -> bool {
        match bundle_of(body).map(Reference::from_bundle) {
            Some(Ok(reference)) => {
                let reference: &'static Reference = Box::leak(Box::new(reference));
                self.current.update(|c| c.reference = reference);
                true
            }
            _ => false,
        }
    }

    /// Starts [`refresh`] in the background (at start, and when the person asks to try again).
    pub fn start(self) {
        self.publish(Lists::Loading);
        wasm_bindgen_futures::spawn_local(refresh(self));
    }

    /// At the citizen's launch: the stored bundle installed at once (before the form appears: a
    /// review opened at its address names the region from it), the server asked only once the
    /// app has drawn its first screen ([`ReferenceLists::drawn`]), so that on a slow link the
    /// bundle's bytes do not share the wire with the wasm and the texts the first screen waits for.
    pub fn launch(self) {
        self.publish(Lists::Loading);
        wasm_bindgen_futures::spawn_local(async move {
            let etag = install_stored(self).await;
            let drawn = self.launch.try_update_value(|launch| {
                launch.stored = Some(etag.clone());
                launch.drawn
            });
            if drawn == Some(true) {
                ask_server(self, etag).await;
            }
        });
    }

    /// The app has drawn its first screen: the server's bundle may come now (once the stored
    /// one is read).
    pub fn drawn(self) {
        let stored = self.launch.try_update_value(|launch| {
            launch.drawn = true;
            launch.stored.take()
        });
        if let Some(Some(etag)) = stored {
            wasm_bindgen_futures::spawn_local(ask_server(self, etag));
        }
    }

    /// Starts [`refresh`] unless the lists are already here (a screen that needs them).
    pub fn start_unless_ready(self) {
        if self.current.with_untracked(|c| c.lists) != Lists::Ready {
            self.start();
        }
    }
}

/// Makes the state of the lists and provides it to the page's components.
pub fn provide_lists() -> ReferenceLists {
    let lists = ReferenceLists::new();
    provide_context(lists);
    lists
}

/// The state of the form's lists of the page.
pub fn use_lists() -> ReferenceLists {
    expect_context::<ReferenceLists>()
}

/// Installs the stored bundle, then the server's if it has a newer one.
async fn refresh(lists: ReferenceLists) {
    ask_server(lists, install_stored(lists).await).await;
}

/// Installs the stored bundle; its ETag.
async fn install_stored(lists: ReferenceLists) -> Option<String> {
    let stored = load().await;
    let etag = stored.and_then(|(etag, body)| lists.take(&body).then_some(etag));
    lists.publish(Lists::Loading);
    etag
}

/// Installs the server's bundle if it has another than `etag`.
async fn ask_server(lists: ReferenceLists, etag: Option<String>) {
    if let Some((etag, body)) = fetch(etag.as_deref()).await {
        if lists.take(&body) {
            // A device that refuses to store simply asks again next time.
            let _ = save(&etag, &body).await;
        }
    }
    lists.publish(Lists::Unavailable);
}

/// Reads a `GET /api/reference` body with the browser's own `JSON.parse`: serde's code for the
/// bundle's types would add kilobytes to the download for the same result. An entry that is
/// not as the contract says (say, an unknown kind of institution) is left out.
fn bundle_of(body: &str) -> Option<ReferenceBundle> {
    let json = js_sys::JSON::parse(body).ok()?;
    let regions = entries(&json, "regions").map(|r| Region { code: text(&r, "code"), name: names(&r) }).collect();
    let institutions = entries(&json, "institutions")
        .filter_map(|i| {
            let kind = InstitutionKind::from_code(&text(&i, "kind"))?;
            Some(Institution {
                code: text(&i, "code"),
                name: names(&i),
                region: text(&i, "region"),
                kind,
                aliases: entries(&i, "aliases").filter_map(|a| a.as_string()).collect(),
            })
        })
        .collect();
    Some(ReferenceBundle { version: text(&json, "version"), regions, institutions })
}

fn text(value: &JsValue, key: &str) -> String {
    json_field(value, key).as_string().unwrap_or_default()
}

fn names(value: &JsValue) -> Names {
    let name = json_field(value, "name");
    Names { kk: text(&name, "kk"), ru: text(&name, "ru"), en: text(&name, "en") }
}

/// The entries of the array `key` of `value` (none if it is not an array).
fn entries(value: &JsValue, key: &str) -> impl Iterator<Item = JsValue> {
    json_field(value, key).dyn_into::<js_sys::Array>().map(|array| array.to_vec()).unwrap_or_default().into_iter()
}

/// `GET /api/reference` past the HTTP cache (so a `304` reaches the app): `Some((etag, body))`
/// when the server has another bundle than `etag`, `None` when it has the same or did not answer.
async fn fetch(etag: Option<&str>) -> Option<(String, String)> {
    let headers = etag.map(|etag| [("If-None-Match", etag)]);
    let call = Call {
        headers: headers.as_ref().map_or(&[], |h| h.as_slice()),
        cache: Some(web_sys::RequestCache::NoStore),
        ..Call::new(Method::GET, "/api/reference")
    };
    let answer = api::fetch(call).await.ok()?;
    (answer.status == 200).then_some(())?;
    Some((answer.etag.unwrap_or_default(), answer.text))
}

/// The stored `(etag, body)`, if any.
async fn load() -> Option<(String, String)> {
    let db = idb::open(DB_NAME, DB_VERSION, &[STORE]).await.ok()?;
    let value = idb::get(&db, STORE, CURRENT).await?;
    let field = |name: &str| json_field(&value, name).as_string();
    Some((field("etag")?, field("body")?))
}

/// Stores `(etag, body)` over the previous bundle.
async fn save(etag: &str, body: &str) -> Result<(), String> {
    let record = js_sys::Object::new();
    for (name, text) in [("etag", etag), ("body", body)] {
        js_sys::Reflect::set(&record, &JsValue::from_str(name), &JsValue::from_str(text)).map_err(|_| "Reflect.set failed".to_string())?;
    }
    let db = idb::open(DB_NAME, DB_VERSION, &[STORE]).await?;
    idb::put(&db, STORE, CURRENT, record.into()).await
}
