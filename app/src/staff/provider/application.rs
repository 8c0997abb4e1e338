//! One application as the provider's staff work on it: every answer and document entry, the
//! history with who did what and when, the deadlines that run now, who holds it, and a form for
//! each action the workflow allows this role now. Each action carries the version the screen
//! shows, so a change made meanwhile by a colleague is explained, never overwritten; the screen
//! then shows the fresh state.

use crate::api::Method;
use leptos::prelude::*;
use serde_json::{json, Value};
use telnuska_shared::i18n::{t, Lang};

use super::access_log::AccessLog;
use super::evidence::Evidence;
use super::files::Files;
use super::steps::Checklist;
use super::{colleague_text, day_text, instant_text, problem_text, Event, StaffApplication, QUEUE_PATH};
use crate::form::Step;
use crate::i18n::{tr, use_lang};
use crate::staff::router::link;
use crate::staff::session::use_session;

/// Steps whose answers the screen shows.
const ANSWER_STEPS: [Step; 5] = [Step::Service, Step::Applicant, Step::Documents, Step::Reason, Step::Consents];

/// `<section id="staff-application">`.
#[component]
pub fn Application(id: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let current: RwSignal<Option<StaffApplication>> = RwSignal::new(None);
    let error: RwSignal<Option<String>> = RwSignal::new(None);
    let done: RwSignal<Option<String>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);

    let load = move || {
        wasm_bindgen_futures::spawn_local(async move {
            let path = format!("/api/applications/{}/staff", id.get_value());
            match session.call::<StaffApplication>(Method::GET, &path, None).await {
                Ok(app) => current.set(Some(app)),
                Err(e) => error.set(Some(problem_text(&e, lang.get_untracked()))),
            }
        });
    };
    load();

    // Sends a request that answers with the application; a refusal is said and the fresh state
    // shown.
    let send = move |method: Method, path: String, body: Option<Value>| {
        busy.set(true);
        done.set(None);
        wasm_bindgen_futures::spawn_local(async move {
            let lang = lang.get_untracked();
            match session.call::<Value>(method, &path, body.map(|b| b.to_string())).await {
                Ok(answer) => {
                    error.set(None);
                    if let Some(status) = answer.get("status").and_then(Value::as_str) {
                        done.set(Some(t(lang, "staff.app.done").replace("{status}", t(lang, &format!("stage.{status}")))));
                    }
                    crate::dom::focus("application-message");
                }
                Err(e) => {
                    error.set(Some(problem_text(&e, lang)));
                    crate::dom::focus("application-error");
                }
            }
            busy.set(false);
            load();
        });
    };
    let act = move |action: Value| {
        let version = current.with_untracked(|c| c.as_ref().map(|c| c.version).unwrap_or_default());
        send(Method::POST, format!("/api/applications/{}/actions?expected_version={version}", id.get_value()), Some(action));
    };
    let assignment = move |method: Method| send(method, format!("/api/applications/{}/assignment", id.get_value()), None);

    let body = move || {
        let lang = lang.get();
        current.get().map(|app| {
            let holder = match (&app.assignee, app.assignee.as_ref().is_some_and(|a| Some(a.login.clone()) == session.current.with(|s| s.as_ref().map(|s| s.login.clone())))) {
                (Some(_), true) => t(lang, "staff.app.held_by_you").to_string(),
                (Some(a), false) => t(lang, "staff.app.held_by").replace("{name}", &a.full_name),
                (None, _) => t(lang, "staff.app.free").to_string(),
            };
            let free = app.assignee.is_none();
            let may_release = app.may_release;
            view! {
                <h1 id="application-title">{t(lang, "staff.app.heading").replace("{number}", &app.number)}</h1>
                <p class="staff-stage" id="application-status" data-status=app.status.code()>{t(lang, &format!("stage.{}", app.status.code()))}</p>
                <div class="staff-holder">
                    <p id="application-holder">{holder}</p>
                    {free.then(|| view! {
                        <button type="button" class="button button--secondary" id="application-take" on:click=move |_| assignment(Method::POST)>{tr("staff.app.take")}</button>
                    })}
                    {may_release.then(|| view! {
                        <button type="button" class="button button--secondary" id="application-release" on:click=move |_| assignment(Method::DELETE)>{tr("staff.app.release")}</button>
                    })}
                </div>
                <Deadlines app=app.clone() lang=lang />
                <Actions app=app.clone() lang=lang act=act busy=busy />
                <Checklist app=app.clone() lang=lang act=act busy=busy />
                <Evidence app=app.clone() lang=lang />
                <Answers app=app.clone() lang=lang />
                <Files app_id=app.id.clone() attachments=app.request.attachments.clone() lang=lang />
                <History events=app.events.clone() lang=lang />
                <AccessLog app_id=app.id.clone() lang=lang />
            }
        })
    };
    view! {
        <section class="staff-application" id="staff-application" aria-labelledby="application-title">
            <p>
                <a href=QUEUE_PATH on:click=link(QUEUE_PATH)>{tr("staff.app.back")}</a>
            </p>
            <p class="error-message" id="application-error" tabindex="-1" role="alert" hidden=move || error.with(Option::is_none)>{move || error.get()}</p>
            <p class="notice" id="application-message" tabindex="-1" role="status" hidden=move || done.with(Option::is_none)>{move || done.get()}</p>
            {body}
        </section>
    }
}

/// The deadlines that run now.
#[component]
fn Deadlines(app: StaffApplication, lang: Lang) -> impl IntoView {
    let rows = app
        .deadlines_now
        .iter()
        .map(|d| view! { <dt>{t(lang, &format!("staff.deadline.{}", d.code))}</dt><dd data-deadline=d.code.clone()>{day_text(lang, &d.by)}</dd> })
        .collect_view();
    view! {
        <section aria-labelledby="application-deadlines-title">
            <h2 id="application-deadlines-title">{t(lang, "staff.app.deadlines")}</h2>
            <dl class="review__list" id="application-deadlines">{rows}</dl>
        </section>
    }
}

/// Every answer as the applicant gave it, step by step (the citizen's review rows).
#[component]
fn Answers(app: StaffApplication, lang: Lang) -> impl IntoView {
    let lists = crate::reference_cache::use_lists();
    let sections = ANSWER_STEPS
        .into_iter()
        .map(|step| {
            let rows = crate::steps::review::rows(lang, lists.reference_untracked(), step, &app.request, &[])
                .into_iter()
                .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                .collect_view();
            let heading = format!("answers-{}-title", step.code());
            let labelled = heading.clone();
            view! {
                <section class="review__section" aria-labelledby=labelled>
                    <h3 class="review__title" id=heading>{t(lang, &format!("step.{}", step.code()))}</h3>
                    <dl class="review__list">{rows}</dl>
                </section>
            }
        })
        .collect_view();
    view! {
        <div id="application-answers">
            <h2 id="application-answers-title">{t(lang, "staff.app.applicant")}</h2>
            {sections}
        </div>
    }
}

/// Who did what, and when.
#[component]
pub(crate) fn History(events: Vec<Event>, lang: Lang) -> impl IntoView {
    let rows = events
        .into_iter()
        .map(|e| {
            let when = instant_text(lang, &e.at);
            let who = colleague_text(lang, e.by.as_ref(), e.by_role);
            let what = if e.kind == "submitted" { t(lang, "stage.submitted").to_string() } else { t(lang, &format!("staff.action.{}", e.kind)).to_string() };
            let step = e.step.map(|s| super::steps::step_name(lang, s).to_string());
            let journal = e.series.zip(e.number).map(|(series, number)| format!("{series} {number}"));
            let detail = [step, journal, e.registration_number, e.note].into_iter().flatten().collect::<Vec<_>>().join("; ");
            view! {
                <tr data-kind=e.kind.clone()>
                    <td>{when}</td>
                    <td>{who}</td>
                    <td>{what}{(!detail.is_empty()).then(|| format!(": {detail}"))}<br /><span class="staff-muted">{t(lang, &format!("stage.{}", e.status.code()))}</span></td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section aria-labelledby="application-history-title">
            <h2 id="application-history-title">{t(lang, "staff.app.history")}</h2>
            <div class="staff-table-wrap">
                <table class="staff-table" id="application-history" aria-labelledby="application-history-title">
                    <thead>
                        <tr>
                            <th scope="col">{t(lang, "staff.app.when")}</th>
                            <th scope="col">{t(lang, "staff.app.who")}</th>
                            <th scope="col">{t(lang, "staff.app.what")}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </section>
    }
}

/// A form for each action the server allows now.
#[component]
fn Actions(app: StaffApplication, lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    let forms = app
        .allowed_actions
        .iter()
        .map(|code| match code.as_str() {
            "register" => view! { <RegisterForm lang=lang act=act busy=busy /> }.into_any(),
            "preliminary_refuse" => view! { <HearingForm app=app.clone() lang=lang act=act busy=busy /> }.into_any(),
            "refuse" => view! { <RefuseForm app=app.clone() lang=lang act=act busy=busy /> }.into_any(),
            // Each step has its own line in the checklist.
            "record_step" => ().into_any(),
            other => {
                let code = other.to_string();
                let action = json!({ "action": code });
                view! {
                    <button type="button" class="button" id=format!("action-{code}") disabled=move || busy.get() on:click=move |_| act(action.clone())>
                        {t(lang, &format!("staff.action.{code}"))}
                    </button>
                }
                .into_any()
            }
        })
        .collect_view();
    let none = app.allowed_actions.iter().all(|a| a == "record_step");
    view! {
        <section aria-labelledby="application-actions-title" class="staff-actions" id="application-actions">
            <h2 id="application-actions-title">{t(lang, "staff.app.actions")}</h2>
            {none.then(|| view! { <p>{t(lang, "staff.app.no_actions")}</p> })}
            {forms}
        </section>
    }
}

/// Register, with the internal registration number.
#[component]
fn RegisterForm(lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    let number = RwSignal::new(String::new());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let n = number.get_untracked().trim().to_string();
        act(if n.is_empty() { json!({"action": "register"}) } else { json!({"action": "register", "registration_number": n}) });
    };
    view! {
        <form class="staff-action" id="form-register" on:submit=submit>
            <div class="field">
                <label class="label" for="register-number">{t(lang, "staff.form.registration_number")}</label>
                <input class="input" id="register-number" spellcheck="false" prop:value=move || number.get() on:input=move |ev| number.set(event_target_value(&ev)) />
            </div>
            <button type="submit" class="button" id="action-register" disabled=move || busy.get()>{t(lang, "staff.action.register")}</button>
        </form>
    }
}

/// A ground of the service's list.
fn ground_options(app: &StaffApplication, lang: Lang) -> impl IntoView {
    app.refusal_grounds.iter().map(|g| view! { <option value=g.code()>{t(lang, &format!("refusal_ground.{}", g.code()))}</option> }).collect_view()
}

/// A preliminary refusal: the hearing's day (only the days the rules leave), time and place,
/// and the ground.
#[component]
fn HearingForm(app: StaffApplication, lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    let day = RwSignal::new(app.hearing_days.first().cloned().unwrap_or_default());
    let time = RwSignal::new("11:00".to_string());
    let place = RwSignal::new(String::new());
    let ground = RwSignal::new(app.refusal_grounds.first().map(|g| g.code().to_string()).unwrap_or_default());
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let offset = telnuska_shared::calendar::almaty_offset(chrono::Utc::now());
        let hearing_at = format!("{}T{}:00{offset}", day.get_untracked(), time.get_untracked());
        act(json!({"action": "preliminary_refuse", "hearing_at": hearing_at, "place": place.get_untracked().trim(), "ground": ground.get_untracked()}));
    };
    let days = app.hearing_days.iter().map(|d| view! { <option value=d.clone()>{day_text(lang, d)}</option> }).collect_view();
    let no_days = app.hearing_days.is_empty();
    view! {
        <form class="staff-action" id="form-preliminary_refuse" on:submit=submit>
            <h3>{t(lang, "staff.action.preliminary_refuse")}</h3>
            {no_days.then(|| view! { <p>{t(lang, "staff.form.no_days")}</p> })}
            <div class="field">
                <label class="label" for="hearing-day">{t(lang, "staff.form.hearing_day")}</label>
                <select class="select" id="hearing-day" prop:value=move || day.get() on:change=move |ev| day.set(event_target_value(&ev))>{days}</select>
            </div>
            <div class="field">
                <label class="label" for="hearing-time">{t(lang, "staff.form.hearing_time")}</label>
                <input class="input" id="hearing-time" type="time" prop:value=move || time.get() on:input=move |ev| time.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="label" for="hearing-place">{t(lang, "staff.form.place")}</label>
                <input class="input" id="hearing-place" prop:value=move || place.get() on:input=move |ev| place.set(event_target_value(&ev)) />
            </div>
            <div class="field">
                <label class="label" for="hearing-ground">{t(lang, "staff.form.ground")}</label>
                <select class="select" id="hearing-ground" prop:value=move || ground.get() on:change=move |ev| ground.set(event_target_value(&ev))>{ground_options(&app, lang)}</select>
            </div>
            <button type="submit" class="button" id="action-preliminary_refuse" disabled=move || busy.get() || no_days>{t(lang, "staff.action.preliminary_refuse")}</button>
        </form>
    }
}

/// The final refusal: a ground of the service's list and the reasons, required.
#[component]
fn RefuseForm(app: StaffApplication, lang: Lang, act: impl Fn(Value) + Copy + Send + Sync + 'static, busy: RwSignal<bool>) -> impl IntoView {
    let ground = RwSignal::new(app.refusal_grounds.first().map(|g| g.code().to_string()).unwrap_or_default());
    let reason = RwSignal::new(String::new());
    let missing = RwSignal::new(false);
    let submit = move |ev: web_sys::SubmitEvent| {
        ev.prevent_default();
        let note = reason.get_untracked().trim().to_string();
        missing.set(note.is_empty());
        if note.is_empty() {
            crate::dom::focus("refuse-reason");
            return;
        }
        act(json!({"action": "refuse", "reason": ground.get_untracked(), "note": note}));
    };
    view! {
        <form class="staff-action" id="form-refuse" on:submit=submit novalidate>
            <h3>{t(lang, "staff.action.refuse")}</h3>
            <div class="field">
                <label class="label" for="refuse-ground">{t(lang, "staff.form.ground")}</label>
                <select class="select" id="refuse-ground" prop:value=move || ground.get() on:change=move |ev| ground.set(event_target_value(&ev))>{ground_options(&app, lang)}</select>
            </div>
            <div class="field" class:field--error=move || missing.get()>
                <label class="label" for="refuse-reason">{t(lang, "staff.form.reason")}</label>
                <p class="error-message" id="refuse-reason-error" hidden=move || !missing.get()>{t(lang, "staff.form.reason_required")}</p>
                <textarea class="input" id="refuse-reason" rows="4" required aria-describedby="refuse-reason-error" aria-invalid=move || missing.get().to_string()
                    prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
            </div>
            <button type="submit" class="button" id="action-refuse" disabled=move || busy.get()>{t(lang, "staff.action.refuse")}</button>
        </form>
    }
}
