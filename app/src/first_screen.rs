//! The first screen of `index.html`: the service choice, written into the page by
//! `cargo xtask build-app` from the same components as the app ([`render`], run on the build
//! machine by `examples/first_screen.rs`), so that a person on a slow link reads it and chooses a
//! service before the WebAssembly has arrived; and its hand-over to the app.
//!
//! The page holds it as `<div id="first-screen">`; while it is there, the stylesheet hides the
//! app's own nodes, mounted after it (`#first-screen ~ *`). Once the app has its first screen,
//! [`hand_over`] removes it: the app's appears in the same frame, without a blank page between.
//! A choice made before the app ran is kept ([`chosen`]): a service checked on the first screen
//! opens a new form with it checked, and "continue" pressed before the app ran, which the browser
//! sends as the form's own `GET /?service=<code>`, opens the next step with that service.

use telnuska_shared::api::ServiceCode;
use wasm_bindgen::JsCast;

use crate::dom;
use crate::fields::set_service;
use crate::form::{Draft, Step};
use crate::state::new_id;

/// `id` of the first screen's container.
pub const ID: &str = "first-screen";

/// The path of the choice (the radios' `name`, the address's query).
const SERVICE: &str = "service";

/// The first screen, as the app draws a new form in Kazakh: the header, then the service step.
/// Built on the build machine only (`ssr`); nothing on it works before the app runs but the
/// radios, the links and "continue" (a plain form submission, see [`chosen`]).
#[cfg(not(target_arch = "wasm32"))]
pub fn render() -> String {
    use leptos::prelude::*;
    use telnuska_shared::i18n::Lang;

    use crate::components::header::header;
    use crate::i18n::provide_lang_as;
    use crate::pages::apply::Steps;
    use crate::pages::start::to_start_link;
    use crate::reference_cache::provide_lists;
    use crate::router::Page;
    use crate::state::{provide_form, FormSetup, SubmitStatus};

    let owner = Owner::new();
    owner.with(|| {
        provide_lang_as(Lang::Kk);
        provide_lists();
        // An id of its own: nothing is stored from it (the app makes the form the person keeps).
        let draft = Draft { id: ID.into(), idempotency_key: Some(ID.into()), ..Draft::new() };
        let setup = FormSetup { keep: None, ..FormSetup::CITIZEN };
        let form = provide_form(draft, SubmitStatus::Idle, setup);
        view! {
            <div id=ID>
                {header(RwSignal::new(Page::Apply))}
                <main class="main" id="main" tabindex="-1">
                    {to_start_link(form)}
                    <Steps />
                </main>
            </div>
        }
        .to_html()
    })
}

/// The service of the first screen's choice in `search` (the address's query, `?service=<code>`).
fn service_in(search: &str) -> Option<&str> {
    search.trim_start_matches('?').split('&').find_map(|pair| pair.strip_prefix(SERVICE)?.strip_prefix('='))
}

/// A new draft of the service chosen on the first screen before the app ran (saved by the
/// caller, so a reload keeps it): at the service step with its radio checked, or at the next
/// step after "continue". `None` when nothing was chosen.
pub fn chosen() -> Option<Draft> {
    let window = web_sys::window()?;
    let document = window.document()?;
    let checked = document
        .query_selector(&format!("#{ID} input[name={SERVICE}]:checked"))
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        .map(|input| (input.value(), Step::Service));
    let search = window.location().search().unwrap_or_default();
    let (code, step) = checked.or_else(|| service_in(&search).map(|code| (code.to_string(), Step::Applicant)))?;
    let service = ServiceCode::from_code(&code)?;
    let mut draft = Draft { id: new_id(), idempotency_key: Some(new_id()), step, touched: vec![SERVICE.into()], ..Draft::new() };
    // A new draft names no institution yet: this build's own catalogues say all the service needs.
    set_service(&mut draft.request, service, telnuska_shared::reference::compiled());
    Some(draft)
}

/// Removes the first screen, now that the app shows its own; focus, if the person had it on the
/// first screen, moves to the same element of the app.
pub fn hand_over() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else { return };
    let Some(screen) = document.get_element_by_id(ID) else { return };
    let focused = document.active_element().filter(|e| screen.contains(Some(e))).map(|e| e.id()).filter(|id| !id.is_empty());
    screen.remove();
    if let Some(id) = focused {
        dom::focus_later_owned(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Only with the `ssr` renderer: `cargo test -p telnuska-app --features prerender`.
    #[cfg(feature = "prerender")]
    #[test]
    fn the_first_screen_is_the_service_step_in_kazakh_under_the_header() {
        let html = render();
        for part in [
            r#"<div id="first-screen">"#,
            r#"id="lang-ru""#,
            r#"id="f-service-higher_duplicate""#,
            r#"name="service""#,
            "Сізге қандай қызмет керек?",
            r#"id="step-next""#,
        ] {
            assert!(html.contains(part), "{part} in {html}");
        }
    }

    #[test]
    fn the_service_is_read_from_the_query_the_form_sends() {
        assert_eq!(service_in("?service=higher_duplicate"), Some("higher_duplicate"));
        assert_eq!(service_in("?lang=ru&service=school_duplicate"), Some("school_duplicate"));
        assert_eq!(service_in("?services=x"), None);
        assert_eq!(service_in(""), None);
    }
}
