//! "My applications": the ones kept on this device (IndexedDB `submitted`), the one a tracking
//! link of an SMS opens (`/track/<id>#<token>`), and a look-up by number and tracking code; each
//! with its stage history from `GET /api/applications/{id}`, dates in the person's language.

use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::application_number::ApplicationNumber;
use telnuska_shared::i18n::t;
use telnuska_shared::reference::compiled;
use wasm_bindgen::JsCast;

use crate::api::{self, ApiError, Tracking};
use crate::components::{loading, reactive};
use crate::dom;
use crate::i18n::{format_date, format_instant, name_in, text, tr, use_lang};
use crate::router::{take_tracking_link, TRACK_TITLE_ID};
use crate::submitted::{self, SubmittedRecord};

/// The device's list; `None` while IndexedDB answers.
type Records = RwSignal<Option<Vec<SubmittedRecord>>>;

/// The catalogue key saying why a look-up failed: `refused` when the server did not recognise the
/// id or number with that token (a wrong, incomplete or mistyped link or code: 401, 403 and 404
/// alike, as the server does not tell them apart for numbers).
fn failure_key(error: &ApiError, refused: &'static str) -> &'static str {
    match error.status() {
        None => "track.unavailable",
        Some(401 | 403 | 404) => refused,
        Some(429) => "track.too_many",
        Some(_) => "error.internal",
    }
}

/// Whether `text` is non-empty and only letters, digits, `-` and `_`: what ids, numbers and
/// tokens are made of, and so safe in a URL path and a header.
fn is_plain(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A tracking code as typed or pasted: the code itself, or a whole tracking link (the part after
/// `#` is the code).
fn code_of(typed: &str) -> Option<String> {
    let code = typed.trim().rsplit('#').next().unwrap_or_default();
    is_plain(code).then(|| code.to_string())
}

/// The application's current stage and history, newest first.
fn details(tracking: Tracking) -> impl IntoView {
    let lang = use_lang();
    let Tracking { service, status, registered_on, due_on, history, .. } = tracking;
    let history = history
        .into_iter()
        .rev()
        .map(|stage| {
            let at = stage.at;
            view! {
                <li>
                    <time datetime=at.to_rfc3339()>{text(move || format_instant(lang.get(), at))}</time>
                    " — "
                    <span>{text(move || t(lang.get(), &format!("stage.{}", stage.status.tracking_stage())))}</span>
                    {stage.note.map(|note| format!(" ({note})"))}
                </li>
            }
        })
        .collect_view();
    view! {
        <p class="tracked__service">{text(move || name_in(lang.get(), &compiled().service(service).name).to_string())}</p>
        <dl class="confirmation__facts">
            <dt>{tr("track.status")}</dt>
            <dd class="tracked__status">{text(move || t(lang.get(), &format!("stage.{}", status.tracking_stage())))}</dd>
            <dt>{tr("confirmation.registered_on")}</dt>
            <dd><time datetime=registered_on.to_string()>{text(move || format_date(lang.get(), registered_on))}</time></dd>
            <dt>{tr("confirmation.due_on")}</dt>
            <dd><time datetime=due_on.to_string()>{text(move || format_date(lang.get(), due_on))}</time></dd>
        </dl>
        <h3 class="history__title">{tr("track.history")}</h3>
        <ul class="history">{history}</ul>
    }
}

/// Where and how one application shows.
#[derive(Clone)]
struct Shown {
    /// Element id: `tracked-<id>` in the device's list, `track-link`, `track-found`.
    id: String,
    /// Catalogue key for when the server does not recognise the id or number with the token.
    refused: &'static str,
    /// The device's list, to offer "keep on this device" (`None` in the list itself).
    keep: Option<Records>,
    /// Whether focus moves to it once it is loaded (it answers what the person just asked).
    focus: bool,
}

/// One application (`#<id>`, heading `#<id>-number`): its number, then what the server says of
/// it (`GET /api/applications/{id}` with the record's id, or number, and token), or why not
/// (`#<id>-error`); one view for the list, the link and the look-up, so the download carries it once.
fn tracked(record: SubmittedRecord, shown: Shown) -> AnyView {
    let lang = use_lang();
    // `None` while loading; a task and a signal cost less wasm than a resource.
    let state = RwSignal::new(None::<Result<Tracking, &'static str>>);
    let Shown { id, refused, keep, focus } = shown;
    let SubmittedRecord { id: key, number, tracking_token: token, .. } = record;
    let (focus_id, inner_id) = (focus.then(|| id.clone()), id.clone());
    // A link's application has no number until the server answers: no empty heading meanwhile.
    let nameless = number.is_empty();
    let asked = token.clone();
    spawn_local(async move {
        let answer = api::application(&key, &asked, lang.get_untracked()).await;
        state.try_set(Some(answer.map_err(|e| failure_key(&e, refused))));
        if let Some(id) = focus_id {
            dom::focus_later_owned(id);
        }
    });
    view! {
        <div class="tracked__item" id=id.clone() tabindex="-1">
            <h2 class="tracked__number" id=format!("{id}-number") hidden=move || nameless && state.with(|s| !matches!(s, Some(Ok(_))))>
                {text(move || state.with(|s| match s { Some(Ok(tracking)) => tracking.number.clone(), _ => number.clone() }))}
            </h2>
            {reactive(move || Some(match state.get() {
                None => loading(),
                Some(Ok(tracking)) => {
                    let keeper = keep.map(|records| keeper(&inner_id, &tracking, token.clone(), records));
                    view! { {details(tracking)} {keeper} }.into_any()
                }
                Some(Err(key)) => view! { <p class="status status--error" id=format!("{inner_id}-error")>{tr(key)}</p> }.into_any(),
            }))}
        </div>
    }
    .into_any()
}

/// "Keep on this device" (`#<id>-keep`): adds the application to the device's list; once the
/// list has it, `#<id>-kept` says so instead, and focus moves there.
fn keeper(id: &str, tracking: &Tracking, token: String, records: Records) -> impl IntoView {
    let record = SubmittedRecord { id: tracking.id.clone(), number: tracking.number.clone(), tracking_token: token, ..SubmittedRecord::default() };
    let (app_id, kept_id, keep_id) = (record.id.clone(), format!("{id}-kept"), format!("{id}-keep"));
    let failed = RwSignal::new(false);
    let focus_id = kept_id.clone();
    let keep = move |_| {
        let (record, focus_id) = (record.clone(), focus_id.clone());
        spawn_local(async move {
            let saved = submitted::remember_submitted(&record).await.is_ok();
            failed.set(!saved);
            if saved {
                // The list shows it at once (no second read of IndexedDB), so focus can move.
                records.update(|list| list.get_or_insert_with(Vec::new).push(record));
                dom::focus_later_owned(focus_id);
            }
        });
    };
    reactive(move || {
        Some(if records.with(|list| list.iter().flatten().any(|r| r.id == app_id)) {
            view! { <p class="status" id=kept_id.clone() tabindex="-1">{tr("track.kept")}</p> }.into_any()
        } else {
            view! {
                <p class="status status--error" hidden=!failed.get()>{tr("track.keep_failed")}</p>
                <button type="button" class="button button--secondary" id=keep_id.clone() on:click=keep.clone()>{tr("track.keep")}</button>
            }
            .into_any()
        })
    })
}

/// The application asked for, once there is one (a link's, or the look-up's).
fn shown_for(asked: RwSignal<Option<SubmittedRecord>>, shown: Shown) -> impl IntoView {
    reactive(move || asked.get().map(|record| tracked(record, shown.clone())))
}

/// The application of a tracking link, `#track-link`. The token was taken out of the address
/// bar; after a reload, the device's list may still have it. Without one, the server's refusal
/// explains the link (one message for every broken link).
fn linked(id: String, token: Option<String>, records: Records) -> impl IntoView {
    let asked = RwSignal::new(None);
    spawn_local(async move {
        let token = match token {
            Some(token) => Some(token),
            None => submitted::submitted().await.into_iter().find(|r| r.id == id).map(|r| r.tracking_token),
        };
        let tracking_token = token.filter(|t| is_plain(t)).unwrap_or_default();
        asked.try_set(Some(SubmittedRecord { id, tracking_token, ..SubmittedRecord::default() }));
    });
    shown_for(asked, Shown { id: "track-link".into(), refused: "track.bad_link", keep: Some(records), focus: false })
}

/// A labelled input of the look-up form, its hint read with it; `capitals`: whether phones
/// should offer capital letters (the number) or leave the case alone (the code is case-sensitive).
fn code_input(id: &'static str, label: &'static str, hint: &'static str, capitals: &'static str) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label class="label" for=id>{tr(label)}</label>
            <p class="hint" id=hint_id.clone()>{tr(hint)}</p>
            <input class="input" id=id autocomplete="off" autocapitalize=capitals spellcheck="false" aria-describedby=hint_id />
        </div>
    }
}

/// What is typed in the input of `id`.
fn typed(id: &str) -> String {
    let input = web_sys::window().and_then(|w| w.document()).and_then(|d| d.get_element_by_id(id));
    input.and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok()).map(|i| i.value()).unwrap_or_default()
}

/// "Track an application by number" (`#track-find`): number `#track-number`, code `#track-token`;
/// the application shows as `#track-found` (`#track-found-error` if not found), focus moving
/// there; a form not filled in says so in `#track-find-error`.
fn find_by_number(records: Records) -> impl IntoView {
    let asked = RwSignal::new(None);
    let incomplete = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let number = ApplicationNumber::parse(&typed("track-number")).ok().map(|n| n.to_string());
        let code = code_of(&typed("track-token"));
        incomplete.set(number.is_none() || code.is_none());
        match number.zip(code) {
            // A record keyed by the number: the API takes it in place of the id.
            Some((number, tracking_token)) => asked.set(Some(SubmittedRecord { id: number.clone(), number, tracking_token, ..SubmittedRecord::default() })),
            None => dom::focus_later("track-find-error"),
        }
    };
    view! {
        <form class="section" id="track-find" novalidate on:submit=submit aria-labelledby="track-find-title">
            <h2 class="section__title" id="track-find-title">{tr("track.find_title")}</h2>
            {code_input("track-number", "track.number", "track.number_hint", "characters")}
            {code_input("track-token", "track.token", "track.token_hint", "off")}
            <p class="status status--error" id="track-find-error" tabindex="-1" hidden=move || !incomplete.get()>{tr("track.find_incomplete")}</p>
            <button type="submit" class="button" id="track-find-submit">{tr("track.find")}</button>
        </form>
        {shown_for(asked, Shown { id: "track-found".into(), refused: "track.not_found", keep: Some(records), focus: true })}
    }
}

/// The application of a tracking link if the address is one, then `#tracked` (a list of
/// `#tracked-<id>`) or `#track-empty`, then the look-up by number; made anew, and so read again,
/// each time the page opens.
#[component]
pub fn TrackPage() -> impl IntoView {
    let records: Records = RwSignal::new(None);
    spawn_local(async move {
        let list = submitted::submitted().await;
        records.try_set(Some(list));
    });
    let link = take_tracking_link().map(|(id, token)| linked(id, token, records));
    view! {
        <h1 class="title" id=TRACK_TITLE_ID tabindex="-1">{tr("title.track")}</h1>
        {link}
        {reactive(move || Some(match records.get() {
            None => loading(),
            Some(list) if list.is_empty() => view! { <p id="track-empty">{tr("track.empty")}</p> }.into_any(),
            Some(list) => view! {
                <ul class="tracked" id="tracked">
                    {list.into_iter().map(|record| {
                        let shown = Shown { id: format!("tracked-{}", record.id), refused: "track.not_found", keep: None, focus: false };
                        view! { <li>{tracked(record, shown)}</li> }
                    }).collect_view()}
                </ul>
            }
            .into_any(),
        }))}
        {find_by_number(records)}
    }
}

#[cfg(test)]
mod tests {
    use super::code_of;

    #[test]
    fn a_code_is_read_from_itself_or_from_a_pasted_link() {
        assert_eq!(code_of(" abc-DEF_123 ").as_deref(), Some("abc-DEF_123"));
        assert_eq!(code_of("https://telnuska.kz/track/0b9c-41#abc-DEF_123").as_deref(), Some("abc-DEF_123"));
        assert_eq!(code_of(""), None);
        assert_eq!(code_of("https://telnuska.kz/track/0b9c-41#"), None);
        assert_eq!(code_of("abc def"), None);
    }
}
