//! The provider's register of issued documents: choose the file (CSV or Excel) and upload it;
//! the answer says how many documents the register now holds, or lists each bad line with what
//! is wrong there (nothing is imported then).

use leptos::prelude::*;
use telnuska_shared::api::{GraduateRegisterImported, ProblemFieldError};
use telnuska_shared::i18n::{t, Lang};

use crate::api::ApiError;
use crate::i18n::{tr, use_lang};
use crate::staff::session::use_session;

/// What the last upload came to.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Imported(usize),
    Refused(Vec<ProblemFieldError>),
    Failed(String),
}

/// The column a field path names (`lines.3.iin` → the IIN), in `lang`.
pub(crate) fn column_name(lang: Lang, column: &str) -> &'static str {
    let key = match column {
        "last_name" => "register.column.last_name",
        "first_name" => "register.column.first_name",
        "patronymic" => "register.column.patronymic",
        "iin" => "register.column.iin",
        "series" => "register.column.series",
        "number" => "register.column.number",
        "registration_number" => "register.column.registration_number",
        "graduation_year" => "register.column.graduation_year",
        "specialty" => "register.column.specialty",
        _ => return "",
    };
    t(lang, key)
}

/// One refused line for people: "Line 3, IIN: the check digit does not match."
fn error_line(lang: Lang, e: &ProblemFieldError) -> String {
    let mut parts = e.field.split('.').skip(1);
    match (parts.next(), parts.next()) {
        (Some(line), column) => {
            let column = column.map(|c| column_name(lang, c)).filter(|c| !c.is_empty()).map(|c| format!(", {c}")).unwrap_or_default();
            format!("{}{column}: {}", t(lang, "register.line").replace("{line}", line), e.message)
        }
        (None, _) => e.message.clone(),
    }
}

/// `#register-upload`: the institution, the file, the button, and the outcome.
#[component]
pub fn RegisterUpload() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let institution = RwSignal::new(String::new());
    let outcome: RwSignal<Option<Outcome>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let file_ref = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let lang = lang.get_untracked();
        let Some(file) = file_ref.get_untracked().and_then(|input| input.files()).and_then(|files| files.get(0)) else {
            outcome.set(Some(Outcome::Failed(t(lang, "register.choose_file").to_string())));
            crate::dom::focus("register-outcome");
            return;
        };
        let code = institution.get_untracked().trim().to_string();
        let path = if code.is_empty() {
            "/api/registers/graduates".to_string()
        } else {
            format!("/api/registers/graduates?institution={}", js_sys::encode_uri_component(&code))
        };
        busy.set(true);
        wasm_bindgen_futures::spawn_local(async move {
            let answer = session.upload::<GraduateRegisterImported>(&path, &file).await;
            outcome.set(Some(match answer {
                Ok(done) => Outcome::Imported(done.records),
                Err(ApiError::Problem(p)) if !p.errors.is_empty() => Outcome::Refused(p.errors),
                Err(ApiError::Problem(p)) => Outcome::Failed(p.title),
                Err(_) => Outcome::Failed(t(lang, "staff.network").to_string()),
            }));
            busy.set(false);
            crate::dom::focus("register-outcome");
        });
    };
    let shown = move || {
        let lang = lang.get();
        outcome.with(|o| match o {
            None => ().into_any(),
            Some(Outcome::Imported(n)) => view! { <p class="notice">{t(lang, "register.done").replace("{n}", &n.to_string())}</p> }.into_any(),
            Some(Outcome::Refused(errors)) => {
                let lines = errors.iter().map(|e| view! { <li>{error_line(lang, e)}</li> }).collect_view();
                view! {
                    <p class="error-message">{t(lang, "register.refused")}</p>
                    <ul class="error-list">{lines}</ul>
                }
                .into_any()
            }
            Some(Outcome::Failed(text)) => view! { <p class="error-message">{text.clone()}</p> }.into_any(),
        })
    };
    view! {
        <form id="register-upload" class="staff-form" on:submit=submit novalidate aria-labelledby="register-title">
            <h2 id="register-title">{tr("register.heading")}</h2>
            <p class="hint" id="register-hint">{tr("register.hint")}</p>
            <div class="field">
                <label class="label" for="register-institution">{tr("register.institution")}</label>
                <p class="hint" id="register-institution-hint">{tr("register.institution_hint")}</p>
                <input class="input" id="register-institution" name="institution" spellcheck="false" aria-describedby="register-institution-hint"
                    prop:value=move || institution.get() on:input=move |ev| institution.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="label" for="register-file">{tr("register.file")}</label>
                <input class="input" id="register-file" name="file" type="file" node_ref=file_ref aria-describedby="register-hint"
                    accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" />
            </div>
            <button type="submit" class="button" id="register-submit" disabled=move || busy.get()>{tr("register.submit")}</button>
            <div id="register-outcome" tabindex="-1" role="status">{shown}</div>
        </form>
    }
}
