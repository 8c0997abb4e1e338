//! The interface language: a [`Lang`] signal in context, remembered in localStorage (and by the
//! citizen's app in IndexedDB too, [`keep_lang`]), and formatting that takes its words from the
//! shared catalogue.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use leptos::prelude::*;
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::i18n::{has_catalogue, install_catalogue, t, Lang};
use telnuska_shared::reference::Names;
use wasm_bindgen::{JsCast, JsValue};

/// localStorage key of the chosen language.
const STORAGE_KEY: &str = "telnuska.lang";

/// The language signal every component reads.
#[derive(Clone, Copy)]
struct LangContext(RwSignal<Lang>);

/// Fetches the texts of `lang` (through `telnuskaCatalogue` of boot.js: the service worker answers
/// offline) and installs them; false when they cannot be had now.
pub async fn load_catalogue(lang: Lang) -> bool {
    if has_catalogue(lang) {
        return true;
    }
    let Some(window) = web_sys::window() else { return false };
    let fetch = js_sys::Reflect::get(&window, &JsValue::from_str("telnuskaCatalogue")).ok().and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    let Some(promise) = fetch.and_then(|f| f.call1(&JsValue::NULL, &JsValue::from_str(lang.code())).ok()) else { return false };
    match wasm_bindgen_futures::JsFuture::from(js_sys::Promise::from(promise)).await.ok().and_then(|text| text.as_string()) {
        Some(text) => {
            install_catalogue(lang, text);
            true
        }
        None => false,
    }
}

/// The language to open in, as boot.js chose it (`telnuskaLang`, whose texts it fetches ahead):
/// a tracking link's (`/track/<id>/<lang>`, the applicant's, named by the server), else the one
/// chosen here before, else the first of the browser's languages the app speaks (a first visit),
/// else Kazakh.
fn preferred() -> Lang {
    let window = web_sys::window().map(JsValue::from).unwrap_or_default();
    crate::api::json_field(&window, "telnuskaLang").as_string().and_then(|code| Lang::from_code(&code)).unwrap_or_default()
}

/// Before the first render: the texts of the [`preferred`] language, else Kazakh. False if there
/// are none at all (no network and nothing cached).
pub async fn load_first() -> bool {
    load_catalogue(preferred()).await || load_catalogue(Lang::Kk).await
}

/// Switches to `lang` once its texts are here (a click offline before the service worker has
/// them leaves the language as it is, rather than showing a page of missing texts).
pub fn switch_lang(signal: RwSignal<Lang>, lang: Lang) {
    wasm_bindgen_futures::spawn_local(async move {
        if load_catalogue(lang).await {
            signal.set(lang);
        }
    });
}

/// Provides the language ([`preferred`], else one whose texts are here); the router keeps the
/// page in step with it ([`show_lang`]).
pub fn provide_lang() -> RwSignal<Lang> {
    let first = Some(preferred()).filter(|l| has_catalogue(*l)).unwrap_or_else(|| Lang::ALL.into_iter().find(|l| has_catalogue(*l)).unwrap_or_default());
    provide_lang_as(first)
}

/// Provides `lang` as the language (the first screen is rendered in Kazakh at build time).
pub fn provide_lang_as(lang: Lang) -> RwSignal<Lang> {
    let lang = RwSignal::new(lang);
    provide_context(LangContext(lang));
    lang
}

/// Keeps `<html lang>` and localStorage in step with `lang`.
pub fn show_lang(lang: Lang) {
    remember(lang);
    if let Some(html) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", lang.code());
    }
}

/// The language signal.
pub fn use_lang() -> RwSignal<Lang> {
    expect_context::<LangContext>().0
}

/// A reactive text of the catalogue.
pub fn tr(key: &'static str) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
    let lang = use_lang();
    move || t(lang.get(), key)
}

/// A reactive text of the view. Every such text goes through one closure type ([`text_of`]),
/// so the renderer is compiled once for all of them rather than once per call site, which
/// keeps kilobytes out of the download.
pub fn text<T: Into<String>>(f: impl Fn() -> T + Send + Sync + 'static) -> impl IntoView {
    text_of(std::sync::Arc::new(move || f().into()))
}

fn text_of(f: std::sync::Arc<dyn Fn() -> String + Send + Sync>) -> impl IntoView {
    move || f()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

fn remember(lang: Lang) {
    if let Some(storage) = storage() {
        // Private modes may refuse to store; the language then lasts until the page closes.
        let _ = storage.set_item(STORAGE_KEY, lang.code());
    }
}

/// Keeps the citizen's language with the drafts, in IndexedDB (store `settings`, key `lang`):
/// a killed browser may lose what localStorage held, not what IndexedDB committed, and boot.js
/// reads it from there when localStorage has none, before the first paint.
pub fn keep_lang(lang: Lang) {
    wasm_bindgen_futures::spawn_local(async move {
        let _ = crate::database::put(crate::database::SETTINGS, "lang", JsValue::from_str(lang.code())).await;
    });
}

/// A name of the reference data in `lang`.
pub fn name_in(lang: Lang, names: &Names) -> &str {
    match lang {
        Lang::Kk => &names.kk,
        Lang::Ru => &names.ru,
        Lang::En => &names.en,
    }
}

/// The label of a choice in `lang`: its name, or the catalogue's text for a name that is a key
/// ([`crate::steps::catalogued`]).
pub fn label_in(lang: Lang, names: &Names) -> &str {
    let name = name_in(lang, names);
    name.strip_prefix(crate::steps::KEYED).map_or(name, |key| t(lang, key))
}

/// A calendar date written out as people of `lang` write it (`2026 жылғы 22 желтоқсан`,
/// `22 декабря 2026 г.`, `22 December 2026`).
pub fn format_date(lang: Lang, date: NaiveDate) -> String {
    t(lang, "date.pattern")
        .replace("{d}", &date.day().to_string())
        .replace("{m}", t(lang, &format!("date.month.{}", date.month())))
        .replace("{y}", &date.year().to_string())
}

/// An instant as a date and a time of day in Asia/Almaty (`22 December 2026, 10:05`).
pub fn format_instant(lang: Lang, at: DateTime<Utc>) -> String {
    let local = almaty_local(at);
    format!("{}, {:02}:{:02}", format_date(lang, local.date_naive()), local.hour(), local.minute())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_naturally_in_each_language() {
        let date = NaiveDate::from_ymd_opt(2026, 12, 22).unwrap();
        assert_eq!(format_date(Lang::Kk, date), "2026 жылғы 22 желтоқсан");
        assert_eq!(format_date(Lang::Ru, date), "22 декабря 2026 г.");
        assert_eq!(format_date(Lang::En, date), "22 December 2026");
    }

    #[test]
    fn instants_are_shown_in_almaty_time() {
        let at = DateTime::parse_from_rfc3339("2026-12-22T04:05:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(format_instant(Lang::Ru, at), "22 декабря 2026 г., 09:05");
    }
}
