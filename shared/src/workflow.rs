//! The workflow of an application as a pure state machine: states, actions, who may do which
//! action, and the time guards of DOMAIN.md ("Time rules"). The server applies exactly this.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::{ApplicationStatus, Channel, CollectionPlace, InternalStep, Role, ServiceCode, WatchedDeadlines};
use crate::calendar::{almaty_date, Calendar};
use crate::deadlines;
use crate::reference::{compiled, RefusalGround};

/// What someone does to an application.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// ЦОН hands the package to the courier.
    Dispatch,
    /// The provider registers the package on arrival, under its own internal registration
    /// number when it keeps one (optional: v1 clients send none).
    Register {
        /// The number in the provider's own register of incoming documents.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        registration_number: Option<String>,
    },
    /// The provider starts the review.
    StartReview,
    /// The provider decides to issue the duplicate (or correction).
    Approve,
    /// The provider notifies a preliminary refusal with the hearing's time and place (or
    /// method), both required, and the ground it intends to refuse on (003 item 58).
    PreliminaryRefuse {
        /// When the hearing is held.
        hearing_at: DateTime<Utc>,
        /// Where, or how (a video call): required; optional on the wire only so that its absence
        /// is answered as a field error rather than a malformed body.
        #[serde(default)]
        place: Option<String>,
        /// The ground of the intended refusal, named in the notice; one the service lists.
        /// Optional so that v1 clients keep working: the notice then names none.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ground: Option<RefusalGround>,
    },
    /// The applicant's objection to a preliminary refusal, received within 2 working days of
    /// the notice (003 item 58) and recorded by whoever received it.
    Object {
        /// What the applicant objects, in short.
        #[serde(default)]
        note: Option<String>,
    },
    /// The final, reasoned refusal after the hearing.
    Refuse {
        /// The ground.
        reason: RefusalGround,
        /// The reasoning shown to the applicant.
        #[serde(default)]
        note: Option<String>,
    },
    /// The ready document, or the letter of a reasoned refusal of an application ЦОН
    /// accepted, reaches ЦОН.
    DeliverToCon,
    /// ЦОН hands the document (or the refusal letter) over against an identity document; for an
    /// application a field worker accepted at the applicant's home, the field worker may take
    /// the document there too.
    HandOver,
    /// Unclaimed for a month: back to the provider.
    ReturnToProvider,
    /// The applicant came later: ЦОН asks the provider to send it back.
    Recall,
    /// A step of the provider's internal procedure done (004 section 4), recorded on the
    /// application without changing its state; the issue journal's entry carries the
    /// duplicate's own series and number.
    RecordStep {
        /// Which step.
        step: InternalStep,
        /// The duplicate's series (the issue journal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        series: Option<String>,
        /// The duplicate's blank number (the issue journal).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        number: Option<String>,
    },
}

impl Action {
    /// The stable code of the action.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Dispatch => "dispatch",
            Self::Register { .. } => "register",
            Self::StartReview => "start_review",
            Self::Approve => "approve",
            Self::PreliminaryRefuse { .. } => "preliminary_refuse",
            Self::Object { .. } => "object",
            Self::Refuse { .. } => "refuse",
            Self::DeliverToCon => "deliver_to_con",
            Self::HandOver => "hand_over",
            Self::ReturnToProvider => "return_to_provider",
            Self::Recall => "recall",
            Self::RecordStep { .. } => "record_step",
        }
    }

    /// Which roles may take it (separation of duties: ЦОН moves paper, the provider decides).
    /// A hand-over is also the provider's when the result is collected from it (then only
    /// theirs), and the field worker's at the home of an applicant served there (see
    /// [`transition`]).
    pub fn roles(&self) -> &'static [Role] {
        match self {
            Self::Dispatch | Self::Recall => &[Role::Operator],
            Self::HandOver => &[Role::Operator, Role::Provider, Role::Field],
            Self::Object { .. } => &[Role::Operator, Role::Provider],
            Self::Register { .. } | Self::StartReview | Self::Approve | Self::PreliminaryRefuse { .. } | Self::Refuse { .. } | Self::RecordStep { .. } => {
                &[Role::Provider]
            }
            Self::DeliverToCon => &[Role::Provider, Role::Operator],
            Self::ReturnToProvider => &[Role::Operator, Role::System],
        }
    }
}

/// Why an action is refused; each has a stable code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum WorkflowError {
    /// The role may never take this action.
    #[error("role {role:?} may not {action}")]
    Forbidden {
        /// Who tried.
        role: Role,
        /// What.
        action: &'static str,
    },
    /// The action does not apply in this state.
    #[error("cannot {action} an application that is {from:?}")]
    IllegalTransition {
        /// The current state.
        from: ApplicationStatus,
        /// What was tried.
        action: &'static str,
    },
    /// The notice comes later than 3 working days before the due date.
    #[error("a preliminary refusal must be notified at least 3 working days before the due date")]
    NoticeTooLate,
    /// The hearing is not within 2 working days of the notice, or is in the past.
    #[error("the hearing must be held after the notice and within 2 working days of it")]
    HearingOutOfRange,
    /// The final refusal comes before the hearing.
    #[error("the final refusal comes after the hearing")]
    RefusalBeforeHearing,
    /// The final refusal comes while the applicant may still object (003 item 58).
    #[error("the final refusal comes after the objection window")]
    RefusalBeforeObjectionDeadline,
    /// An objection after the 2 working days of the window.
    #[error("an objection is received within 2 working days of the notice")]
    ObjectionTooLate,
    /// A hearing notice without its place or method (003 item 58 "уақыты мен орны (тәсілі)").
    #[error("a hearing notice names the place or the method")]
    HearingPlaceRequired,
    /// A refusal ground the service does not list (002 item 9; 003 annex 6 item 9).
    #[error("the service cannot be refused on {ground:?}")]
    GroundNotListed {
        /// The ground given.
        ground: RefusalGround,
    },
    /// The result is collected from the provider: no courier leg to ЦОН.
    #[error("the result is collected from the provider, not at ЦОН")]
    CollectedAtProvider,
    /// The document has not waited a month yet.
    #[error("a ready document is returned only after a month at ЦОН")]
    StorageNotOver,
    /// A step of another procedure: the university's steps belong to its own duplicates (004),
    /// the issue journal to paper duplicates.
    #[error("{step:?} is no step of this service")]
    StepNotForService {
        /// The step given.
        step: InternalStep,
    },
    /// An issue journal entry without the duplicate's series or number.
    #[error("the issue journal names the duplicate's series and number")]
    JournalNumberRequired,
}

impl WorkflowError {
    /// The stable code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Forbidden { .. } => "auth.forbidden",
            Self::IllegalTransition { .. } => "workflow.illegal_transition",
            Self::NoticeTooLate => "workflow.hearing_notice_too_late",
            Self::HearingOutOfRange => "workflow.hearing_out_of_range",
            Self::RefusalBeforeHearing => "workflow.refusal_before_hearing",
            Self::RefusalBeforeObjectionDeadline => "workflow.refusal_before_objection_deadline",
            Self::ObjectionTooLate => "workflow.objection_too_late",
            Self::HearingPlaceRequired => "workflow.hearing_place_required",
            Self::GroundNotListed { .. } => "workflow.ground_not_listed",
            Self::CollectedAtProvider => "workflow.collected_at_provider",
            Self::StorageNotOver => "workflow.storage_not_over",
            // No text of its own: like any action this application has no place for.
            Self::StepNotForService { .. } => "workflow.illegal_transition",
            Self::JournalNumberRequired => "required",
        }
    }
}

/// What the guards need to know about the application and the moment.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Now.
    pub now: DateTime<Utc>,
    /// The working-day calendar.
    pub calendar: &'a Calendar,
    /// The service (its results and refusal grounds steer the workflow).
    pub service: ServiceCode,
    /// The channel it came through (a refusal letter travels back the way the papers came; a
    /// field worker's result may be delivered home).
    pub channel: Channel,
    /// Where the result is collected (ЦОН unless the applicant chose the provider).
    pub collection: CollectionPlace,
    /// Until when the applicant may object to a preliminary refusal, once notified.
    pub objection_until: Option<DateTime<Utc>>,
    /// The application's due date.
    pub due_on: NaiveDate,
    /// Whether the provider has already made the result (a recalled document is on its way back).
    pub result_made: bool,
    /// The scheduled hearing, if any.
    pub hearing_at: Option<DateTime<Utc>>,
    /// Since when the document waits at ЦОН, if it does.
    pub at_con_since: Option<DateTime<Utc>>,
}

/// Every state with no way out. A refusal is final as a decision, but the letter of one that
/// travels through ЦОН ([`refusal_letter_via_con`]) still has its way to the applicant.
pub fn is_terminal(status: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    matches!(status, Issued | RecordUpdated | RefusalIssued | RefusalReturned)
}

/// Whether the decision is made and nothing more is owed by a deadline of the term: the result
/// was collected or finished, or the application was refused.
pub fn is_decided(status: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    is_terminal(status) || matches!(status, Refused | RefusalAtCon)
}

/// Whether the reasoned refusal reaches the applicant as a paper letter through ЦОН: when ЦОН
/// accepted the papers, at its counter or at the applicant's home, and the result is collected
/// there (003 item 58: the provider sends "the duplicate or the reasoned refusal" to the State
/// Corporation by courier; 000, 001: the State Corporation issues the result and keeps it a
/// month). A portal or kiosk application, signed by the applicant, gets its refusal in the
/// personal cabinet (003 item 58: "портал арқылы … бас тарту туралы дәлелді жауап жібереді");
/// one made at the provider's own office, or collected there, is collected from the provider.
pub fn refusal_letter_via_con(channel: Channel, collection: CollectionPlace) -> bool {
    matches!(channel, Channel::Con | Channel::Field) && collection == CollectionPlace::Con
}

/// Whether an approval finishes the application electronically: the result is the updated
/// record of the document, with nothing to print or collect (002 items 4–5).
pub fn finishes_electronically(service: ServiceCode) -> bool {
    !compiled().service(service).collected_on_paper()
}

/// The last day a preliminary refusal may be notified.
pub fn hearing_notice_deadline(calendar: &Calendar, due_on: NaiveDate) -> NaiveDate {
    deadlines::hearing_notice_by(calendar, due_on)
}

/// The day from which an unclaimed document goes back to the provider.
pub fn storage_ends(at_con_since: DateTime<Utc>) -> NaiveDate {
    deadlines::storage_ends(almaty_date(at_con_since))
}

/// Whether the provider publishes the duplicate to the "Digital documents" service before it
/// is ready (a college's diploma, 003 item 59).
pub fn publishes_digital_diploma(service: ServiceCode) -> bool {
    compiled().service(service).results.contains(&crate::reference::ResultKind::DigitalDiploma)
}

/// Whether `step` is part of the work on `service`: the university's own procedure (004) for its
/// duplicates, the issue journal for every duplicate printed on a blank.
pub fn step_applies(step: InternalStep, service: ServiceCode) -> bool {
    match step {
        InternalStep::IssueJournal => compiled().service(service).collected_on_paper(),
        _ => service == ServiceCode::HigherDuplicate,
    }
}

/// Whether `step` may be recorded in state `status`: the procedure's steps while the
/// application is worked on, the journal once the duplicate is approved.
fn step_in_time(step: InternalStep, status: ApplicationStatus) -> bool {
    use ApplicationStatus::*;
    match step {
        InternalStep::IssueJournal => status == Ready,
        _ => matches!(status, Registered | InReview | HearingScheduled),
    }
}

/// The state an action leads to, if the role may take it now.
pub fn transition(from: ApplicationStatus, action: &Action, role: Role, ctx: &Context<'_>) -> Result<ApplicationStatus, WorkflowError> {
    use ApplicationStatus::*;
    if !action.roles().contains(&role) {
        return Err(WorkflowError::Forbidden { role, action: action.code() });
    }
    let at_provider = ctx.collection == CollectionPlace::Provider;
    // The document is handed over by whoever holds it: ЦОН, or the provider it is collected from.
    // A field worker takes a result waiting at ЦОН to the home of an applicant whose papers a
    // field worker accepted there (003 annex 6 item 10: they cannot come to collect it either).
    let holder = match from {
        AtCon | RefusalAtCon => Some(Role::Operator),
        Ready if at_provider => Some(Role::Provider),
        _ => None,
    };
    let home_delivery = role == Role::Field && from == AtCon && ctx.channel == Channel::Field;
    if matches!(action, Action::HandOver) && (role == Role::Field && !home_delivery || role != Role::Field && holder.is_some_and(|h| h != role)) {
        return Err(WorkflowError::Forbidden { role, action: action.code() });
    }
    let illegal = || WorkflowError::IllegalTransition { from, action: action.code() };
    let today = almaty_date(ctx.now);
    let service = compiled().service(ctx.service);
    let listed = |ground: RefusalGround| if service.refuses_on(ground) { Ok(()) } else { Err(WorkflowError::GroundNotListed { ground }) };
    // 003 item 62: whatever waits at ЦОН goes back to the provider after a month.
    let stored_a_month = |to: ApplicationStatus| match ctx.at_con_since {
        Some(since) if today >= storage_ends(since) => Ok(to),
        _ => Err(WorkflowError::StorageNotOver),
    };
    match (from, action) {
        (Submitted, Action::Dispatch) => Ok(InTransit),
        (InTransit, Action::Register { .. }) if !ctx.result_made => Ok(Registered),
        (Registered, Action::StartReview) => Ok(InReview),
        (InReview | HearingScheduled, Action::Approve) if finishes_electronically(ctx.service) => Ok(RecordUpdated),
        (InReview | HearingScheduled, Action::Approve) => Ok(Ready),
        (InReview, Action::PreliminaryRefuse { hearing_at, place, ground }) => {
            if today > hearing_notice_deadline(ctx.calendar, ctx.due_on) {
                return Err(WorkflowError::NoticeTooLate);
            }
            let latest = deadlines::hearing_by(ctx.calendar, today);
            let hearing_day = almaty_date(*hearing_at);
            if *hearing_at <= ctx.now || hearing_day > latest {
                return Err(WorkflowError::HearingOutOfRange);
            }
            if place.as_deref().is_none_or(|p| p.trim().is_empty()) {
                return Err(WorkflowError::HearingPlaceRequired);
            }
            ground.map_or(Ok(()), listed)?;
            Ok(HearingScheduled)
        }
        (HearingScheduled, Action::Object { .. }) => match ctx.objection_until {
            Some(until) if ctx.now > until => Err(WorkflowError::ObjectionTooLate),
            _ => Ok(HearingScheduled),
        },
        (HearingScheduled, Action::Refuse { reason, .. }) => {
            match ctx.hearing_at {
                Some(h) if h <= ctx.now => {}
                _ => return Err(WorkflowError::RefusalBeforeHearing),
            }
            if ctx.objection_until.is_some_and(|until| ctx.now <= until) {
                return Err(WorkflowError::RefusalBeforeObjectionDeadline);
            }
            listed(*reason)?;
            Ok(Refused)
        }
        (Ready, Action::DeliverToCon) if at_provider => Err(WorkflowError::CollectedAtProvider),
        (Ready, Action::DeliverToCon) => Ok(AtCon),
        (InTransit, Action::DeliverToCon) if ctx.result_made => Ok(AtCon),
        (AtCon, Action::HandOver) => Ok(Issued),
        (Ready, Action::HandOver) if at_provider => Ok(Issued),
        (AtCon, Action::ReturnToProvider) => stored_a_month(ReturnedToProvider),
        // The refusal letter of an application ЦОН accepted goes back the same way.
        (Refused, Action::DeliverToCon) if at_provider => Err(WorkflowError::CollectedAtProvider),
        (Refused, Action::DeliverToCon) if refusal_letter_via_con(ctx.channel, ctx.collection) => Ok(RefusalAtCon),
        (RefusalAtCon, Action::HandOver) => Ok(RefusalIssued),
        (RefusalAtCon, Action::ReturnToProvider) => stored_a_month(RefusalReturned),
        (ReturnedToProvider, Action::Recall) => Ok(InTransit),
        (_, Action::RecordStep { step, .. }) if !step_applies(*step, ctx.service) => Err(WorkflowError::StepNotForService { step: *step }),
        (_, Action::RecordStep { step, series, number }) if step_in_time(*step, from) => {
            let given = |v: &Option<String>| v.as_deref().is_some_and(|v| !v.trim().is_empty());
            if *step == InternalStep::IssueJournal && !(given(series) && given(number)) {
                return Err(WorkflowError::JournalNumberRequired);
            }
            Ok(from)
        }
        _ => Err(illegal()),
    }
}

/// The actions `role` may take now on an application in state `from`: each kind of action that
/// [`transition`] takes, or refuses only for what the person still has to give (the hearing's
/// time and place, a ground). A staff screen offers exactly these, so it hard-codes no rule.
pub fn allowed_actions(from: ApplicationStatus, role: Role, ctx: &Context<'_>) -> Vec<&'static str> {
    action_kinds(ctx.now)
        .iter()
        .filter(|action| match action {
            Action::RecordStep { .. } => !steps_allowed(from, role, ctx).is_empty(),
            _ => match transition(from, action, role, ctx) {
                Ok(_) => true,
                Err(e) => matches!(e, WorkflowError::HearingOutOfRange | WorkflowError::HearingPlaceRequired | WorkflowError::GroundNotListed { .. }),
            },
        })
        .map(Action::code)
        .collect()
}

/// The internal steps `role` may record now (the journal's series and number still to be given).
pub fn steps_allowed(from: ApplicationStatus, role: Role, ctx: &Context<'_>) -> Vec<InternalStep> {
    InternalStep::ALL
        .iter()
        .copied()
        .filter(|step| match transition(from, &Action::RecordStep { step: *step, series: None, number: None }, role, ctx) {
            Ok(_) => true,
            Err(e) => e == WorkflowError::JournalNumberRequired,
        })
        .collect()
}

/// The days a hearing notified now may be held on (003 item 58): working days from today to
/// [`deadlines::hearing_by`] — none once the notice would come later than 3 working days before
/// `due_on`. A time on one of them later than now passes [`transition`]'s guard.
pub fn hearing_days(calendar: &Calendar, now: DateTime<Utc>, due_on: NaiveDate) -> Vec<NaiveDate> {
    let today = almaty_date(now);
    if today > hearing_notice_deadline(calendar, due_on) {
        return Vec::new();
    }
    let latest = deadlines::hearing_by(calendar, today);
    today.iter_days().take_while(|d| *d <= latest).filter(|d| calendar.is_working_day(*d)).collect()
}

/// The staff deadlines that run for an application in state `status` (DOMAIN.md, "Time rules"),
/// as (code, last day), soonest first: registration on arrival, a college's review, the last day
/// to notify a preliminary refusal, the applicant's objection window, the recall, the result at
/// ЦОН 1 working day before `due_on`, and the term itself.
pub fn deadlines_now(ctx: &Context<'_>, status: ApplicationStatus, watched: &WatchedDeadlines) -> Vec<(&'static str, NaiveDate)> {
    use ApplicationStatus::*;
    if is_decided(status) {
        return Vec::new();
    }
    let mut now: Vec<(&'static str, Option<NaiveDate>)> = match status {
        InTransit if ctx.result_made => vec![("recall_by", watched.recall_by)],
        InTransit => vec![("register_by", watched.register_by)],
        Registered => vec![("review_by", watched.review_by)],
        InReview => vec![("review_by", watched.review_by), ("hearing_notice_by", Some(hearing_notice_deadline(ctx.calendar, ctx.due_on)))],
        HearingScheduled => vec![("objection_by", watched.objection_by)],
        _ => Vec::new(),
    };
    if matches!(status, Submitted | InTransit | Registered | InReview | HearingScheduled | Ready)
        && ctx.collection == CollectionPlace::Con
        && !finishes_electronically(ctx.service)
    {
        now.push(("send_to_con_by", Some(deadlines::send_to_con_by(ctx.calendar, ctx.due_on))));
    }
    now.push(("due_on", Some(ctx.due_on)));
    let mut now: Vec<(&'static str, NaiveDate)> = now.into_iter().filter_map(|(code, day)| day.map(|d| (code, d))).collect();
    now.sort_by_key(|(_, day)| *day);
    now
}

/// The deadlines an action starts, stored with the transition and watched by the job
/// (DOMAIN.md, audit item 8), and the end of the objection window a notice opens.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Started {
    /// The derived deadlines that start now (the others are `None`: unchanged).
    pub deadlines: WatchedDeadlines,
    /// Until when the applicant may object (a preliminary refusal).
    pub objection_until: Option<DateTime<Utc>>,
}

/// What [`transition`]ing by `action` now starts.
pub fn deadlines_started(action: &Action, ctx: &Context<'_>) -> Started {
    let today = almaty_date(ctx.now);
    let mut started = Started::default();
    let d = &mut started.deadlines;
    match action {
        Action::Dispatch => d.register_by = Some(deadlines::register_by(ctx.calendar, ctx.now)),
        Action::Register { .. } if ctx.service == ServiceCode::TvetDuplicate => d.review_by = Some(deadlines::review_by(ctx.calendar, today, ctx.due_on)),
        Action::Recall => d.recall_by = Some(deadlines::recall_by(ctx.calendar, today)),
        Action::PreliminaryRefuse { .. } => {
            d.objection_by = Some(deadlines::objection_by(ctx.calendar, today));
            started.objection_until = Some(deadlines::objection_until(ctx.calendar, ctx.now));
        }
        _ => {}
    }
    started
}

/// Sample actions of every kind, for menus and exhaustive tests.
pub fn action_kinds(now: DateTime<Utc>) -> Vec<Action> {
    vec![
        Action::Dispatch,
        Action::Register { registration_number: None },
        Action::StartReview,
        Action::Approve,
        Action::PreliminaryRefuse { hearing_at: now, place: Some("каб. 1".into()), ground: None },
        Action::Object { note: None },
        Action::Refuse { reason: RefusalGround::NonCompliant, note: None },
        Action::DeliverToCon,
        Action::HandOver,
        Action::ReturnToProvider,
        Action::Recall,
        Action::RecordStep { step: InternalStep::DocumentationRegistered, series: None, number: None },
    ]
}

#[cfg(test)]
mod tests;
