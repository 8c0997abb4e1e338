//! The workflow of an application as a pure state machine: states, actions, who may do which
//! action, and the time guards of DOMAIN.md ("Time rules"). The server applies exactly this.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::{ApplicationStatus, Role};
use crate::calendar::{almaty_date, Calendar};
use crate::deadlines;

/// Working days before `due_on` by which a preliminary refusal must be notified (003 item 58).
pub const HEARING_NOTICE_WORKING_DAYS_BEFORE_DUE: u32 = 3;
/// Working days after the notice within which the hearing is held (003 item 58).
pub const HEARING_WITHIN_WORKING_DAYS: u32 = 2;
/// Working days the applicant has to object after the hearing notice (003 item 58).
pub const OBJECTION_WORKING_DAYS: u32 = 2;
/// Months a ready document waits at ЦОН before it goes back to the provider (003 item 62).
pub const STORAGE_MONTHS: u32 = 1;
/// Working days the provider has to return a recalled document (003 item 62).
pub const RECALL_WORKING_DAYS: u32 = 1;
/// Working days a college has to review a package (003 item 58).
pub const REVIEW_WORKING_DAYS: u32 = 5;
/// Working days before `due_on` by which the result must reach ЦОН (003 items 58–59: "no later
/// than one day before the term ends"; DOMAIN.md counts it in working days).
pub const SEND_TO_CON_WORKING_DAYS_BEFORE_DUE: u32 = 1;

/// The grounds for refusal (003 annex 6 item 9; 002 item 9).
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RefusalGround {
    /// 1. The documents or the data in them are unreliable.
    Unreliable,
    /// 2. The documents do not meet the requirements of the rules.
    NonCompliant,
    /// 3. No consent to access personal data of limited access.
    NoConsent,
}

impl RefusalGround {
    /// Every ground, in the order of the rules.
    pub const ALL: [RefusalGround; 3] = [RefusalGround::Unreliable, RefusalGround::NonCompliant, RefusalGround::NoConsent];

    /// The stable code (as serialised).
    pub fn code(self) -> &'static str {
        match self {
            Self::Unreliable => "unreliable",
            Self::NonCompliant => "non_compliant",
            Self::NoConsent => "no_consent",
        }
    }
}

/// What someone does to an application.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "snake_case", deny_unknown_fields)]
pub enum Action {
    /// ЦОН hands the package to the courier.
    Dispatch,
    /// The provider registers the package on arrival.
    Register,
    /// The provider starts the review.
    StartReview,
    /// The provider decides to issue the duplicate (or correction).
    Approve,
    /// The provider notifies a preliminary refusal with the hearing's time and place.
    PreliminaryRefuse {
        /// When the hearing is held.
        hearing_at: DateTime<Utc>,
        /// Where.
        #[serde(default)]
        place: Option<String>,
    },
    /// The final, reasoned refusal after the hearing.
    Refuse {
        /// The ground.
        reason: RefusalGround,
        /// The reasoning shown to the applicant.
        #[serde(default)]
        note: Option<String>,
    },
    /// The ready document (or refusal) goes to ЦОН.
    DeliverToCon,
    /// ЦОН hands the document over against an identity document.
    HandOver,
    /// Unclaimed for a month: back to the provider.
    ReturnToProvider,
    /// The applicant came later: ЦОН asks the provider to send it back.
    Recall,
}

impl Action {
    /// The stable code of the action.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Dispatch => "dispatch",
            Self::Register => "register",
            Self::StartReview => "start_review",
            Self::Approve => "approve",
            Self::PreliminaryRefuse { .. } => "preliminary_refuse",
            Self::Refuse { .. } => "refuse",
            Self::DeliverToCon => "deliver_to_con",
            Self::HandOver => "hand_over",
            Self::ReturnToProvider => "return_to_provider",
            Self::Recall => "recall",
        }
    }

    /// Which roles may take it (separation of duties: ЦОН moves paper, the provider decides).
    pub fn roles(&self) -> &'static [Role] {
        match self {
            Self::Dispatch | Self::HandOver | Self::Recall => &[Role::Operator],
            Self::Register | Self::StartReview | Self::Approve | Self::PreliminaryRefuse { .. } | Self::Refuse { .. } => &[Role::Provider],
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
    /// The document has not waited a month yet.
    #[error("a ready document is returned only after a month at ЦОН")]
    StorageNotOver,
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
            Self::StorageNotOver => "workflow.storage_not_over",
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
    /// The application's due date.
    pub due_on: NaiveDate,
    /// Whether the provider has already made the result (a recalled document is on its way back).
    pub result_made: bool,
    /// The scheduled hearing, if any.
    pub hearing_at: Option<DateTime<Utc>>,
    /// Since when the document waits at ЦОН, if it does.
    pub at_con_since: Option<DateTime<Utc>>,
}

/// Every state with no way out.
pub fn is_terminal(status: ApplicationStatus) -> bool {
    matches!(status, ApplicationStatus::Issued | ApplicationStatus::Refused)
}

/// The last day a preliminary refusal may be notified.
pub fn hearing_notice_deadline(calendar: &Calendar, due_on: NaiveDate) -> NaiveDate {
    deadlines::hearing_notice_by(calendar, due_on)
}

/// The day from which an unclaimed document goes back to the provider.
pub fn storage_ends(at_con_since: DateTime<Utc>) -> NaiveDate {
    deadlines::storage_ends(almaty_date(at_con_since))
}

/// The state an action leads to, if the role may take it now.
pub fn transition(from: ApplicationStatus, action: &Action, role: Role, ctx: &Context<'_>) -> Result<ApplicationStatus, WorkflowError> {
    use ApplicationStatus::*;
    if !action.roles().contains(&role) {
        return Err(WorkflowError::Forbidden { role, action: action.code() });
    }
    let illegal = || WorkflowError::IllegalTransition { from, action: action.code() };
    let today = almaty_date(ctx.now);
    match (from, action) {
        (Submitted, Action::Dispatch) => Ok(InTransit),
        (InTransit, Action::Register) if !ctx.result_made => Ok(Registered),
        (Registered, Action::StartReview) => Ok(InReview),
        (InReview | HearingScheduled, Action::Approve) => Ok(Ready),
        (InReview, Action::PreliminaryRefuse { hearing_at, .. }) => {
            if today > hearing_notice_deadline(ctx.calendar, ctx.due_on) {
                return Err(WorkflowError::NoticeTooLate);
            }
            let latest = deadlines::hearing_by(ctx.calendar, today);
            let hearing_day = almaty_date(*hearing_at);
            if *hearing_at <= ctx.now || hearing_day > latest {
                return Err(WorkflowError::HearingOutOfRange);
            }
            Ok(HearingScheduled)
        }
        (HearingScheduled, Action::Refuse { .. }) => match ctx.hearing_at {
            Some(h) if h <= ctx.now => Ok(Refused),
            _ => Err(WorkflowError::RefusalBeforeHearing),
        },
        (Ready, Action::DeliverToCon) => Ok(AtCon),
        (InTransit, Action::DeliverToCon) if ctx.result_made => Ok(AtCon),
        (AtCon, Action::HandOver) => Ok(Issued),
        (AtCon, Action::ReturnToProvider) => match ctx.at_con_since {
            Some(since) if today >= storage_ends(since) => Ok(ReturnedToProvider),
            _ => Err(WorkflowError::StorageNotOver),
        },
        (ReturnedToProvider, Action::Recall) => Ok(InTransit),
        _ => Err(illegal()),
    }
}

/// Sample actions of every kind, for menus and exhaustive tests.
pub fn action_kinds(now: DateTime<Utc>) -> Vec<Action> {
    vec![
        Action::Dispatch,
        Action::Register,
        Action::StartReview,
        Action::Approve,
        Action::PreliminaryRefuse { hearing_at: now, place: None },
        Action::Refuse { reason: RefusalGround::NonCompliant, note: None },
        Action::DeliverToCon,
        Action::HandOver,
        Action::ReturnToProvider,
        Action::Recall,
    ]
}

#[cfg(test)]
mod tests;
