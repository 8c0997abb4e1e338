//! The administrator's screens over the admin API: staff accounts and the institutions a
//! provider serves (`/staff/admin/staff`), and amendments of the working-day calendar with the
//! decree's reference, saved only after the dry run has shown which open applications would get
//! another due date (`/staff/admin/calendar`).

mod calendar;
mod staff_accounts;

use leptos::prelude::*;
use telnuska_shared::api::{ProblemFieldError, Role};
use telnuska_shared::i18n::{t, Lang};

use crate::api::ApiError;
use crate::staff::section::Section;

/// Only administrators.
pub const ROLES: &[Role] = &[Role::Admin];

/// Staff accounts.
pub const STAFF: Section = Section { path: "/staff/admin/staff", title: "staff.section.admin_staff", roles: ROLES };
/// Amendments of the working-day calendar.
pub const CALENDAR: Section = Section { path: "/staff/admin/calendar", title: "staff.section.admin_calendar", roles: ROLES };

/// The screen at `/staff/admin/staff`.
pub fn staff_screen() -> AnyView {
    view! { <staff_accounts::StaffAccounts /> }.into_any()
}

/// The screen at `/staff/admin/calendar`.
pub fn calendar_screen() -> AnyView {
    view! { <calendar::CalendarAmendment /> }.into_any()
}

/// An answer's errors for people: each field error's message, or the problem's title, or "no
/// connection".
fn error_texts(lang: Lang, error: &ApiError) -> Vec<String> {
    match error {
        ApiError::Problem(p) if !p.errors.is_empty() => p.errors.iter().map(|ProblemFieldError { message, .. }| message.clone()).collect(),
        ApiError::Problem(p) => vec![p.title.clone()],
        _ => vec![t(lang, "staff.network").to_string()],
    }
}

/// A labelled text input bound to `value`.
#[component]
fn TextInput(id: &'static str, label: &'static str, value: RwSignal<String>, #[prop(optional)] kind: Option<&'static str>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>{crate::i18n::tr(label)}</label>
            <input class="input" id=id type=kind.unwrap_or("text") spellcheck="false"
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev)) />
        </div>
    }
}

/// `role="status"` outcome of a form, focused when it changes: a success line or the errors.
#[component]
fn Outcome(id: &'static str, outcome: RwSignal<Option<Result<String, Vec<String>>>>) -> impl IntoView {
    let shown = move || {
        outcome.with(|o| match o {
            None => ().into_any(),
            Some(Ok(text)) => view! { <p class="notice">{text.clone()}</p> }.into_any(),
            Some(Err(errors)) => view! { <ul class="error-message">{errors.iter().map(|e| view! { <li>{e.clone()}</li> }).collect_view()}</ul> }.into_any(),
        })
    };
    view! { <div id=id tabindex="-1" role="status">{shown}</div> }
}
