//! The form's reactive state in context: the request being typed, the step, which inputs were
//! left and which steps tried, the errors to show, the progress of the SMS code and of sending;
//! saved to IndexedDB as it changes.

use chrono::{NaiveDate, Utc};
use gloo_timers::future::TimeoutFuture;
use leptos::prelude::*;
use leptos::task::spawn_local;
use telnuska_shared::api::{Channel, CreateApplicationRequest, CreatedApplication, ProblemFieldError};
use telnuska_shared::application::{validate, ValidationContext};
use telnuska_shared::i18n::Lang;
use telnuska_shared::FieldError;

use crate::fields::cleaned;
use crate::form::{owner_of, shown_errors, step_of, uuid_v4, Draft, FileMeta, ShownError, Step, Tried};
use crate::notice::Notice;
use crate::outbox::{Outbox, Receipt};
use crate::reference_cache::ReferenceLists;
use crate::submitted::SubmittedRecord;
use crate::{dom, drafts};

/// Wait after the last change before the draft is written (the brief allows at most 300 ms).
const SAVE_DELAY_MS: u32 = 250;

/// Where asking for an SMS code stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum OtpStatus {
    /// Not asked yet.
    #[default]
    Idle,
    /// The request is on its way.
    Sending,
    /// Sent to this phone (E.164).
    Sent(String),
    /// Not sent, and why.
    Failed(Notice),
}

/// Where sending the application stands.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum SubmitStatus {
    /// Being filled in.
    #[default]
    Idle,
    /// In the outbox, first attempt on its way.
    Sending(Receipt),
    /// In the outbox, waiting for the server to be reachable.
    Queued(Receipt),
    /// Not sent, and why; the draft is kept.
    NotSent(Notice),
    /// Accepted by the server (with the receipt, if it waited in the outbox).
    Done(CreatedApplication, Option<Receipt>),
    /// Sent before (from another tab of this draft): what this device kept of it.
    AlreadySent(SubmittedRecord),
}

/// Who fills the form in, and where what is typed is kept meanwhile: the one seam between the
/// citizen's app and the staff bundle's uses of the same steps (a kiosk keeps nothing, a field
/// worker's device keeps it encrypted, the citizen's app keeps drafts in IndexedDB).
#[derive(Clone, Copy)]
pub struct FormSetup {
    /// The channel the application is sent through (the service step lists only the services
    /// offered there).
    pub channel: Channel,
    /// Keeps the draft, [`SAVE_DELAY_MS`] after the last change; `None` keeps nothing.
    pub keep: Option<fn(Draft)>,
    /// Sends the signed application (the form, its language, the request); `None`: the
    /// citizen's outbox ([`crate::actions::hand_over`]), which keeps it until the server has it.
    pub send: Option<fn(FormState, Lang, &CreateApplicationRequest)>,
    /// Keeps a chosen file on the device instead of uploading it at once; `None` uploads.
    pub keep_file: Option<crate::upload::Keep>,
}

impl FormSetup {
    /// The citizen's app: the portal, drafts in IndexedDB.
    pub const CITIZEN: FormSetup = FormSetup { channel: Channel::Portal, keep: Some(keep_draft), send: None, keep_file: None };
}

/// Writes the citizen's draft; a failure (private mode, quota) is shown with the offer of a copy
/// (the outbox's [`crate::drafts::space::Space`], in context: autosave runs under the form's
/// owner) and the form works on. A form emptied again is no draft to keep.
fn keep_draft(draft: Draft) {
    let Some(Outbox { space, .. }) = use_context::<Outbox>() else { return };
    spawn_local(async move {
        let _ = if draft.has_content() { drafts::save_draft(space, &draft).await } else { drafts::delete_draft(&draft.id).await };
    });
}

/// The form's signals, shared through context with every field.
#[derive(Clone, Copy)]
pub struct FormState {
    /// Who fills it in and where it is kept.
    pub setup: FormSetup,
    /// The lists of regions and institutions the form offers and validates against.
    pub lists: ReferenceLists,
    /// The draft's key in IndexedDB.
    pub id: RwSignal<String>,
    /// The server refused it once: shown as "needs correction" until it is sent again.
    pub needs_correction: RwSignal<bool>,
    /// The request as typed.
    pub request: RwSignal<CreateApplicationRequest>,
    /// The step on screen.
    pub step: RwSignal<Step>,
    /// Paths of inputs left at least once (and `service` once chosen).
    pub touched: RwSignal<Vec<String>>,
    /// Steps whose "continue" (or "send") was pressed: their errors all show.
    pub attempted: RwSignal<Tried>,
    /// After a "change" link from the review, "continue" goes back to the review.
    pub back_to_review: RwSignal<bool>,
    /// Names of attached files.
    pub files: RwSignal<Vec<FileMeta>>,
    /// The draft's `Idempotency-Key`, made with the draft and kept with it: every tab, device
    /// and retry that sends this draft sends it under this key, so the server makes one
    /// application of it.
    pub idempotency_key: RwSignal<String>,
    /// Errors of the last 422, until the person edits that field.
    pub server_errors: RwSignal<Vec<ProblemFieldError>>,
    /// Errors the shared validator finds now (plus "choose a service" until one is chosen).
    pub local_errors: Memo<Vec<FieldError>>,
    /// The errors to show now.
    pub shown: Memo<Vec<ShownError>>,
    /// SMS code progress.
    pub otp: RwSignal<OtpStatus>,
    /// The phone the last code went to (shown while a new one is asked for, or fails).
    pub code_sent_to: RwSignal<Option<String>>,
    /// Seconds until a new code may be asked for.
    pub resend_in: RwSignal<u32>,
    /// Sending progress.
    pub submit: RwSignal<SubmitStatus>,
}

impl FormState {
    /// The state of a restored (or new) draft, kept again after every change as `setup` says,
    /// validated as of `today` against the lists `lists` holds at each moment.
    pub fn new(mut draft: Draft, today: NaiveDate, lists: ReferenceLists, submit: SubmitStatus, setup: FormSetup) -> Self {
        draft.request.channel = setup.channel;
        let request = RwSignal::new(draft.request);
        let touched = RwSignal::new(draft.touched);
        let attempted = RwSignal::new(Tried::default());
        let server_errors = RwSignal::new(draft.server_errors);
        let local_errors = Memo::new(move |_| {
            // The lists in force, tracked: a newer bundle arriving validates the answers again.
            let ctx = ValidationContext { today, reference: lists.reference() };
            let mut errors = request.with(|r| validate(&cleaned(r), &ctx).err().unwrap_or_default());
            // The request always names a service; the person has chosen only once they clicked one.
            if !touched.with(|t| t.iter().any(|p| p == "service")) {
                errors.insert(0, FieldError::new("service", "required"));
            }
            errors
        });
        let shown = Memo::new(move |_| request.with(|r| shown_errors(&local_errors.read(), &server_errors.read(), r, &touched.read(), attempted.get())));
        let id = if draft.id.is_empty() { new_id() } else { draft.id };
        // A draft kept by an earlier version has no key yet: it gets one now, kept from the next save.
        let key = draft.idempotency_key.unwrap_or_else(new_id);
        let state = Self {
            setup,
            lists,
            id: RwSignal::new(id),
            needs_correction: RwSignal::new(draft.needs_correction),
            request,
            step: RwSignal::new(draft.step),
            touched,
            attempted,
            back_to_review: RwSignal::new(false),
            files: RwSignal::new(draft.files),
            idempotency_key: RwSignal::new(key),
            server_errors,
            local_errors,
            shown,
            otp: RwSignal::new(OtpStatus::Idle),
            code_sent_to: RwSignal::new(None),
            resend_in: RwSignal::new(0),
            submit: RwSignal::new(submit),
        };
        if let Some(keep) = setup.keep {
            state.autosave(keep);
        }
        state
    }

    /// The draft as it stands, saved now.
    pub fn draft(&self) -> Draft {
        Draft {
            id: self.id.get(),
            updated_at: Some(Utc::now()),
            server_errors: self.server_errors.get(),
            needs_correction: self.needs_correction.get(),
            request: self.request.get(),
            touched: self.touched.get(),
            idempotency_key: Some(self.idempotency_key.get()),
            step: self.step.get(),
            files: self.files.get(),
            ..Draft::new()
        }
    }

    /// Subscribes the running effect to every signal [`Self::draft`] reads.
    fn track_draft(&self) {
        self.id.track();
        self.server_errors.track();
        self.needs_correction.track();
        self.request.track();
        self.touched.track();
        self.idempotency_key.track();
        self.step.track();
        self.files.track();
    }

    /// The answers as they will be sent, without a signature: what the EDS signs, and what an
    /// SMS code is asked for (its hash binds the code to them).
    pub fn unsigned(&self) -> CreateApplicationRequest {
        CreateApplicationRequest { signature: None, ..cleaned(&self.request.get_untracked()) }
    }

    /// Whether the form is handed over (to the outbox or the server): no more saving.
    pub fn is_handed_over(&self) -> bool {
        // A form that is no longer on the page (the person went to the list) saves nothing more.
        !matches!(self.submit.try_get_untracked(), Some(SubmitStatus::Idle | SubmitStatus::NotSent(_)))
    }

    /// Keeps the draft [`SAVE_DELAY_MS`] after the last change (debounced by a generation count).
    /// A keystroke only notes the change: the draft is copied once the delay is over, not at
    /// every key.
    fn autosave(self, keep: fn(Draft)) {
        let generation = StoredValue::new(0_u64);
        Effect::new(move |first_run_done: Option<bool>| {
            self.track_draft();
            if first_run_done.is_none() || self.is_handed_over() {
                return true;
            }
            generation.update_value(|g| *g += 1);
            let mine = generation.get_value();
            // `keep` runs under the form's owner (not as part of this effect), so that it finds
            // what the page provides.
            let owner = Owner::current().unwrap_or_default();
            spawn_local(async move {
                TimeoutFuture::new(SAVE_DELAY_MS).await;
                if generation.try_get_value() == Some(mine) && !self.is_handed_over() {
                    owner.with(move || keep(self.draft()));
                }
            });
            true
        });
    }

    /// Edits the request from the input at `path`; the server's verdict on that input is then stale.
    pub fn edit(&self, path: &str, edit: impl FnOnce(&mut CreateApplicationRequest)) {
        self.request.update(edit);
        let stale = |errors: &Vec<ProblemFieldError>| self.request.with_untracked(|req| errors.iter().any(|e| owner_of(&e.field, req) == path));
        if self.server_errors.with_untracked(stale) {
            let req = self.request.get_untracked();
            self.server_errors.update(|errors| errors.retain(|e| owner_of(&e.field, &req) != path));
        }
    }

    /// One value read from the request, as a memo: what shows it is redrawn when that value
    /// changes, not at every keystroke elsewhere in the form.
    pub fn value_of<T>(&self, read: impl Fn(&CreateApplicationRequest) -> T + Send + Sync + 'static) -> Memo<T>
    where
        T: PartialEq + Send + Sync + 'static,
    {
        let request = self.request;
        Memo::new(move |_| request.with(|r| read(r)))
    }

    /// Marks the input at `path` as left once: its errors show from now on.
    pub fn touch(&self, path: &str) {
        // `try_`: a blur that completes after the form left the page changes nothing.
        if self.touched.try_with_untracked(|t| !t.iter().any(|p| p == path)) == Some(true) {
            self.touched.update(|t| t.push(path.to_string()));
        }
    }

    /// [`Self::touch`] when the input loses focus, held back until a click in progress is done.
    pub fn left(&self, path: &'static str) {
        let form = *self;
        dom::after_pointer_release(move || form.touch(path));
    }

    /// The errors shown at the input of `owner`.
    pub fn errors_at(&self, owner: &str) -> Vec<ShownError> {
        self.shown.with(|shown| shown.iter().filter(|e| e.owner == owner).cloned().collect())
    }

    /// Whether the validator finds anything wrong on `step` (the review: on any step before it;
    /// signing: anywhere).
    pub fn step_has_errors(&self, step: Step) -> bool {
        let req = self.request.get_untracked();
        self.local_errors.with_untracked(|errors| {
            errors.iter().any(|e| {
                let on = step_of(&owner_of(&e.field, &req));
                match step {
                    Step::Review => on < Step::Review,
                    Step::Sign => true,
                    _ => on == step,
                }
            })
        })
    }
}

/// A new draft id or idempotency key (a random UUID).
pub fn new_id() -> String {
    uuid_v4(dom::random_bytes())
}

/// Provides the form state to the page's components; it validates against the page's lists
/// ([`crate::reference_cache::provide_lists`]) as of today.
pub fn provide_form(draft: Draft, submit: SubmitStatus, setup: FormSetup) -> FormState {
    let state = FormState::new(draft, crate::form::today(), crate::reference_cache::use_lists(), submit, setup);
    provide_context(state);
    state
}

/// The form state of the page.
pub fn use_form() -> FormState {
    expect_context::<FormState>()
}
