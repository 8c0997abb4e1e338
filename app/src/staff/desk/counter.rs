//! The form at the counter: the citizen's form steps through the worker's counter channel (`con`
//! at ЦОН, `office` at the provider's own office; the worker's session stands for the applicant's
//! signature, so the signing step becomes "accept"), beside
//! the package checklist of `shared` for the chosen service, reason and relationship, which the
//! worker ticks as the papers are handed over. All ticked: accept (Annex 3); any left: refuse to
//! accept (Annex 4 lists exactly those).

use leptos::prelude::*;
use telnuska_shared::api::{AttachmentKind, Channel, CreateApplicationRequest, RefusalToAccept, RefusalToAcceptRequest};
use telnuska_shared::checklist::{missing_items, package_checklist, ChecklistItem};
use telnuska_shared::i18n::{t, Lang};

use crate::actions::{rejected, STEP_TITLE_ID, SUMMARY_ID};
use crate::api::{ApiError, Method};
use crate::components::error_summary::ErrorSummary;
use crate::fields::cleaned;
use crate::form::{Draft, Step};
use crate::i18n::{tr, use_lang};
use crate::pages::apply::Steps;
use crate::staff::desk::pdf::open_pdf_in;
use crate::staff::desk::stage::Stage;
use crate::staff::session::{use_session, Session};
use crate::state::{provide_form, FormSetup, FormState, SubmitStatus};

/// The counter's form through `channel`: nothing kept on the shared desk computer; the last step
/// is [`AcceptStep`], never the citizen's sending.
fn counter(channel: Channel) -> FormSetup {
    FormSetup { channel, keep: None, send: None, keep_file: None }
}

/// What the checklist holds and what the worker ticked, with the receipts' language.
#[derive(Clone, Copy)]
struct Package {
    checklist: Memo<Vec<ChecklistItem>>,
    ticked: RwSignal<Vec<AttachmentKind>>,
    /// Handed over but out of date: it does not count as given (003 item 52), and the refusal
    /// names it as expired.
    expired: RwSignal<Vec<AttachmentKind>>,
    /// The applicant's language: the receipts and the SMS messages are in it.
    lang: RwSignal<Lang>,
    /// Why the last accept or refuse did not go through (a message to show).
    problem: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
}

impl Package {
    fn missing(self) -> Vec<AttachmentKind> {
        let expired = self.expired.get();
        let valid: Vec<AttachmentKind> = self.ticked.get().into_iter().filter(|k| !expired.contains(k)).collect();
        self.checklist.with(|c| missing_items(c, &valid))
    }
}

/// The request as it goes: cleaned, through the counter's channel, unsigned.
fn counter_request(form: FormState) -> CreateApplicationRequest {
    let mut request = cleaned(&form.request.get_untracked());
    request.channel = form.setup.channel;
    request.signature = None;
    request
}

/// The message of a failed call, in the screen's language.
fn problem_text(lang: Lang, error: &ApiError) -> String {
    match error {
        ApiError::Problem(p) => p.errors.first().map_or_else(|| p.title.clone(), |e| e.message.clone()),
        _ => t(lang, "staff.network").to_string(),
    }
}

/// Opens the outcome's receipt and shows the outcome.
async fn conclude(session: Session, stage: RwSignal<Stage>, outcome: Stage) {
    if let Some((path, lang)) = outcome.receipt() {
        open_pdf_in(session, &path, lang).await;
    }
    stage.set(outcome);
}

/// The form and the checklist side by side.
#[component]
pub fn CounterForm(draft: Draft, notice: &'static str, stage: RwSignal<Stage>) -> impl IntoView {
    let lang = use_lang();
    // The ЦОН operator's desk or the provider's office, as the signed-in role takes papers.
    let channel = use_session().current.with_untracked(|s| s.as_ref().and_then(|s| s.role.counter_channel())).unwrap_or(Channel::Con);
    let form = provide_form(draft, SubmitStatus::Idle, counter(channel));
    let checklist = Memo::new(move |_| form.request.with(|r| package_checklist(r.service, r.reason, r.relationship)));
    let package = Package {
        checklist,
        ticked: RwSignal::new(Vec::new()),
        expired: RwSignal::new(Vec::new()),
        lang: RwSignal::new(lang.get_untracked()),
        problem: RwSignal::new(None),
        busy: RwSignal::new(false),
    };
    let accepting = Memo::new(move |_| form.step.get() == Step::Sign);
    let body = move || if accepting.get() { view! { <AcceptStep package=package stage=stage /> }.into_any() } else { view! { <Steps /> }.into_any() };
    let registry_error = notice != "staff.desk.intake.found";
    view! {
        <div class="notice" class:notice--error=registry_error role="status"><p id="desk-registry" tabindex="-1">{tr(notice)}</p></div>
        <div class="desk-intake">
            <div class="desk-intake__form">{body}</div>
            <Checklist package=package stage=stage />
        </div>
    }
}

/// `#desk-checklist`: the receipts' language, a checkbox per document, and "refuse to accept".
#[component]
fn Checklist(package: Package, stage: RwSignal<Stage>) -> impl IntoView {
    let lang = use_lang();
    let form = crate::state::use_form();
    let session = use_session();
    let item = move |item: ChecklistItem| {
        let id = format!("desk-check-{}", item.kind.code());
        let kind = item.kind;
        let label = move || {
            let lang = lang.get();
            let name = |k: AttachmentKind| t(lang, &format!("attachment.kind.{}", k.code()));
            let mut text = name(kind).to_string();
            if !item.alternatives.is_empty() {
                let others: Vec<&str> = item.alternatives.iter().map(|k| name(*k)).collect();
                text = t(lang, "staff.desk.intake.alternative").replace("{kind}", &text).replace("{others}", &others.join(", "));
            }
            text
        };
        let toggle = move |list: RwSignal<Vec<AttachmentKind>>| {
            move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                list.update(|l| {
                    l.retain(|k| *k != kind);
                    if on {
                        l.push(kind);
                    }
                });
            }
        };
        let expired_id = format!("desk-expired-{}", kind.code());
        view! {
            <div class="checkbox">
                <input type="checkbox" id=id.clone() prop:checked=move || package.ticked.with(|t| t.contains(&kind)) on:change=toggle(package.ticked) />
                <label for=id>{label}</label>
            </div>
            // Only a document handed over can be out of date.
            <Show when=move || package.ticked.with(|t| t.contains(&kind))>
                <div class="checkbox desk-expired">
                    <input type="checkbox" id=expired_id.clone() prop:checked=move || package.expired.with(|e| e.contains(&kind))
                        on:change=toggle(package.expired) />
                    <label for=expired_id.clone()>{tr("staff.desk.intake.expired")}</label>
                </div>
            </Show>
        }
    };
    let refuse = move |_| {
        if package.busy.get_untracked() {
            return;
        }
        package.problem.set(None);
        let ticked = package.ticked.get_untracked();
        let expired = package.expired.get_untracked().into_iter().filter(|k| ticked.contains(k)).collect();
        let body = RefusalToAcceptRequest { package: counter_request(form), presented: ticked, expired };
        let Ok(body) = serde_json::to_string(&body) else { return };
        package.busy.set(true);
        leptos::task::spawn_local(async move {
            match session.call::<RefusalToAccept>(Method::POST, "/api/desk/refusals", Some(body)).await {
                Ok(refusal) => conclude(session, stage, Stage::Refused(refusal, package.lang.get_untracked())).await,
                Err(e) => {
                    package.problem.set(Some(problem_text(lang.get_untracked(), &e)));
                    package.busy.set(false);
                    crate::dom::focus_later("desk-problem");
                }
            }
        });
    };
    let languages = Lang::ALL
        .into_iter()
        .map(|option| {
            let id = format!("desk-receipt-lang-{}", option.code());
            view! {
                <div class="radio">
                    <input type="radio" name="desk-receipt-lang" id=id.clone() prop:checked=move || package.lang.get() == option
                        on:change=move |_| package.lang.set(option) />
                    <label for=id lang=option.code()>{t(option, &format!("lang.{}", option.code()))}</label>
                </div>
            }
        })
        .collect_view();
    view! {
        <aside class="desk-checklist" id="desk-checklist" aria-labelledby="desk-checklist-title">
            <fieldset>
                <legend class="legend">{tr("staff.desk.intake.receipt_lang")}</legend>
                {languages}
            </fieldset>
            <h2 id="desk-checklist-title">{tr("staff.desk.intake.checklist")}</h2>
            <p class="hint" id="desk-checklist-hint">{tr("staff.desk.intake.checklist.hint")}</p>
            <fieldset aria-describedby="desk-checklist-hint">
                <legend class="visually-hidden">{tr("staff.desk.intake.checklist")}</legend>
                {move || package.checklist.get().into_iter().map(item).collect_view()}
                {move || package.checklist.with(Vec::is_empty).then(|| view! { <p>{tr("staff.desk.intake.checklist.none")}</p> })}
            </fieldset>
            <p class="error-message field-error" role="alert" id="desk-problem" tabindex="-1" hidden=move || package.problem.with(Option::is_none)>
                {move || package.problem.get()}
            </p>
            <p class="hint" id="desk-refuse-hint">{tr("staff.desk.intake.refuse.hint")}</p>
            <button type="button" class="button button--warning" id="desk-refuse" aria-describedby="desk-refuse-hint" disabled=move || package.busy.get() on:click=refuse>
                {tr("staff.desk.intake.refuse")}
            </button>
        </aside>
    }
}

/// The last step at the counter, in place of signing: everything checked and every document on
/// the checklist ticked, the application goes to the server under the worker's session.
#[component]
fn AcceptStep(package: Package, stage: RwSignal<Stage>) -> impl IntoView {
    let form = crate::state::use_form();
    let lang = use_lang();
    let session = use_session();
    let accept = move |_| {
        if package.busy.get_untracked() {
            return;
        }
        form.attempted.update(|a| a.insert(Step::Sign));
        if form.step_has_errors(Step::Sign) {
            crate::dom::focus_later(SUMMARY_ID);
            return;
        }
        if !package.missing().is_empty() {
            let ticked = package.ticked.get_untracked();
            let out_of_date = package.expired.with_untracked(|e| e.iter().any(|k| ticked.contains(k)));
            let key = if out_of_date { "staff.desk.intake.expired.blocks" } else { "staff.desk.intake.incomplete" };
            package.problem.set(Some(t(lang.get_untracked(), key).to_string()));
            crate::dom::focus_later("desk-problem");
            return;
        }
        package.problem.set(None);
        let Ok(body) = serde_json::to_string(&counter_request(form)) else { return };
        let key = form.idempotency_key.get_untracked();
        let applicant_lang = package.lang.get_untracked();
        package.busy.set(true);
        leptos::task::spawn_local(async move {
            match session.create_application(body, &key, applicant_lang).await {
                Ok(created) => conclude(session, stage, Stage::Accepted(created, applicant_lang)).await,
                Err(ApiError::Problem(problem)) if problem.status == 422 && !problem.errors.is_empty() => {
                    package.busy.set(false);
                    rejected(form, problem);
                }
                Err(e) => {
                    package.busy.set(false);
                    package.problem.set(Some(problem_text(lang.get_untracked(), &e)));
                    crate::dom::focus_later("desk-problem");
                }
            }
        });
    };
    view! {
        <h1 class="title" id=STEP_TITLE_ID tabindex="-1">{tr("staff.desk.intake.accept.heading")}</h1>
        <ErrorSummary />
        <p class="hint" id="desk-accept-hint">{tr("staff.desk.intake.accept.hint")}</p>
        <div class="step-nav">
            <button type="button" class="button" id="desk-accept" aria-describedby="desk-accept-hint" disabled=move || package.busy.get() on:click=accept>
                {tr("staff.desk.intake.accept")}
            </button>
            <button type="button" class="button button--secondary" id="step-back" on:click=move |_| crate::actions::back(form)>
                {tr("button.back")}
            </button>
        </div>
    }
}
