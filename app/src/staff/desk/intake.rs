//! Intake at the counter (issue 17; 003 items 50–52): the applicant's IIN, typed or scanned,
//! asks the identity registry for the name (when it is down or knows no one, the worker types it
//! from the identity document); then the citizen's form steps and the package checklist
//! ([`counter`]); then the acceptance receipt (Annex 3) or the refusal to accept (Annex 4), each
//! opened as a PDF in the applicant's language.

use leptos::prelude::*;
use telnuska_shared::api::{AttachmentKind, IdentityPerson};
use telnuska_shared::error::ErrorCode;
use telnuska_shared::i18n::{error_message, t};
use telnuska_shared::iin::Iin;

use crate::api::Method;
use crate::form::Draft;
use crate::i18n::{format_date, tr, use_lang};
use crate::staff::desk::counter::CounterForm;
use crate::staff::desk::pdf::open_pdf_in;
use crate::staff::desk::stage::Stage;
use crate::staff::session::use_session;

/// The screen's path.
pub const PATH: &str = "/staff/desk/intake";

/// The desk's own layout (two columns at a desk's 1280 px), adopted once.
const DESK_CSS: &str = include_str!("desk.css");

/// `#desk-intake`: one applicant after another.
#[component]
pub fn IntakeScreen() -> impl IntoView {
    static ADOPTED: std::sync::Once = std::sync::Once::new();
    ADOPTED.call_once(|| crate::kiosk::device::adopt_css(DESK_CSS));
    // The form's lists (regions, institutions), as the field worker's and the kiosk's.
    crate::reference_cache::use_lists().start_unless_ready();
    let stage = RwSignal::new(Stage::LookUp);
    let body = move || match stage.get() {
        Stage::LookUp => view! { <LookUp stage=stage /> }.into_any(),
        Stage::Form(draft, notice) => view! { <CounterForm draft=*draft notice=notice stage=stage /> }.into_any(),
        outcome => view! { <Outcome outcome=outcome stage=stage /> }.into_any(),
    };
    view! { <div id="desk-intake">{body}</div> }
}

/// The applicant's IIN: the form starts with the registry's answer, or with the IIN alone.
#[component]
fn LookUp(stage: RwSignal<Stage>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let owner = StoredValue::new(Owner::current().unwrap_or_default());
    let typed = RwSignal::new(String::new());
    let error: RwSignal<Option<&'static str>> = RwSignal::new(None);
    let busy = RwSignal::new(false);
    let find = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if busy.get_untracked() {
            return;
        }
        let iin = match Iin::parse(&typed.get_untracked()) {
            Ok(iin) => iin,
            Err(e) => {
                error.set(Some(error_message(lang.get_untracked(), e.code())));
                crate::dom::focus("desk-iin");
                return;
            }
        };
        error.set(None);
        busy.set(true);
        owner.with_value(|o| {
            o.with(|| {
                leptos::task::spawn_local_scoped(async move {
                    let mut draft = Draft::new();
                    draft.request.applicant.iin = iin.as_ref().to_string();
                    let notice = match session.call::<IdentityPerson>(Method::GET, &format!("/api/identity/{}", iin.as_ref()), None).await {
                        Ok(person) => {
                            let applicant = &mut draft.request.applicant;
                            (applicant.last_name, applicant.first_name, applicant.patronymic) = (person.last_name, person.first_name, person.patronymic);
                            "staff.desk.intake.found"
                        }
                        Err(e) if e.status() == Some(404) => "staff.desk.intake.unknown",
                        Err(e) if e.status() == Some(401) => return busy.set(false),
                        Err(_) => "staff.desk.intake.unavailable",
                    };
                    stage.set(Stage::Form(Box::new(draft), notice));
                    crate::dom::focus_later("desk-registry");
                });
            })
        });
    };
    let invalid = move || error.get().is_some().then_some("true");
    view! {
        <h1 id="desk-intake-title">{tr("staff.desk.intake.title")}</h1>
        <p>{tr("staff.desk.intake.intro")}</p>
        <form class="form" novalidate on:submit=find>
            <div class="field" class:field--error=move || error.get().is_some()>
                <label class="label" for="desk-iin">{tr("staff.desk.intake.iin")}</label>
                <p class="hint" id="desk-iin-hint">{tr("staff.desk.intake.iin.hint")}</p>
                <p class="field-error" id="desk-iin-error" hidden=move || error.get().is_none()>{move || error.get()}</p>
                <input
                    class="input desk-iin"
                    id="desk-iin"
                    name="iin"
                    inputmode="numeric"
                    autocomplete="off"
                    maxlength="14"
                    aria-describedby="desk-iin-hint desk-iin-error"
                    aria-invalid=invalid
                    prop:value=move || typed.get()
                    on:input=move |ev| typed.set(event_target_value(&ev))
                />
            </div>
            <button type="submit" class="button" id="desk-find" disabled=move || busy.get()>{tr("staff.desk.intake.find")}</button>
        </form>
    }
}

/// The result at the counter: the numbers the applicant needs, the receipt to print, and the
/// next applicant.
#[component]
fn Outcome(outcome: Stage, stage: RwSignal<Stage>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let failed = RwSignal::new(false);
    let receipt = outcome.receipt();
    let open = move |_| {
        let Some((path, receipt_lang)) = receipt.clone() else { return };
        leptos::task::spawn_local(async move {
            failed.set(!open_pdf_in(session, &path, receipt_lang).await);
        });
    };
    let facts = match outcome {
        Stage::Accepted(created, _) => {
            let due = created.due_on;
            view! {
                <h1 id="desk-outcome-title" tabindex="-1">{tr("staff.desk.intake.accepted")}</h1>
                <dl class="confirmation__facts">
                    <dt>{tr("confirmation.number")}</dt>
                    <dd><strong id="desk-number">{created.number}</strong></dd>
                    <dt>{tr("confirmation.due_on")}</dt>
                    <dd><time id="desk-due" datetime=due.to_string()>{move || format_date(lang.get(), due)}</time></dd>
                    <dt>{tr("track.token")}</dt>
                    <dd><code id="desk-tracking">{created.tracking_token}</code></dd>
                </dl>
                <p>{tr("staff.desk.intake.accepted.hint")}</p>
            }
            .into_any()
        }
        Stage::Refused(refusal, _) => {
            let number = refusal.number.clone();
            let missing: Vec<AttachmentKind> = refusal.missing.iter().chain(&refusal.expired).copied().collect();
            view! {
                <h1 id="desk-outcome-title" tabindex="-1">{tr("staff.desk.intake.refused")}</h1>
                <p id="desk-refused-number">{move || t(lang.get(), "staff.desk.intake.refused.number").replace("{number}", &number)}</p>
                <p>{tr("staff.desk.intake.refused.missing")}</p>
                <ul id="desk-refused-missing">
                    {missing.into_iter().map(|k| view! { <li>{move || t(lang.get(), &format!("attachment.kind.{}", k.code()))}</li> }).collect_view()}
                </ul>
            }
            .into_any()
        }
        _ => ().into_any(),
    };
    crate::dom::focus_later("desk-outcome-title");
    view! {
        <section class="confirmation" id="desk-outcome" aria-labelledby="desk-outcome-title">
            {facts}
            <p class="error-message" role="alert" id="desk-receipt-failed" hidden=move || !failed.get()>{tr("staff.desk.intake.receipt_failed")}</p>
            <div class="staff-actions">
                <button type="button" class="button" id="desk-open-receipt" on:click=open>{tr("staff.desk.intake.open_receipt")}</button>
                <button type="button" class="button button--secondary" id="desk-next" on:click=move |_| {
                    stage.set(Stage::LookUp);
                    crate::dom::focus_later("desk-iin");
                }>{tr("staff.desk.intake.next")}</button>
            </div>
        </section>
    }
}
