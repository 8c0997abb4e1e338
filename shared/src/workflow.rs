//! The workflow of an application as a pure state machine: states, actions, who may do which
//! action, and the time guards of DOMAIN.md ("Time rules"). The server applies exactly this.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::api::{ApplicationStatus, Role};
use crate::calendar::{almaty_local, Calendar};

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

/// The grounds for refusal (003 annex 6 item 9; 002 item 9).
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

/// What someone does to an application.
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
    calendar.subtract_working_days(due_on, HEARING_NOTICE_WORKING_DAYS_BEFORE_DUE)
}

/// The day from which an unclaimed document goes back to the provider.
pub fn storage_ends(at_con_since: DateTime<Utc>) -> NaiveDate {
    let day = almaty_local(at_con_since).date_naive();
    day.checked_add_months(Months::new(STORAGE_MONTHS)).unwrap_or(day)
}

/// The state an action leads to, if the role may take it now.
pub fn transition(from: ApplicationStatus, action: &Action, role: Role, ctx: &Context<'_>) -> Result<ApplicationStatus, WorkflowError> {
    use ApplicationStatus::*;
    if !action.roles().contains(&role) {
        return Err(WorkflowError::Forbidden { role, action: action.code() });
    }
    let illegal = || WorkflowError::IllegalTransition { from, action: action.code() };
    let today = almaty_local(ctx.now).date_naive();
    match (from, action) {
        (Submitted, Action::Dispatch) => Ok(InTransit),
        (InTransit, Action::Register) if !ctx.result_made => Ok(Registered),
        (Registered, Action::StartReview) => Ok(InReview),
        (InReview | HearingScheduled, Action::Approve) => Ok(Ready),
        (InReview, Action::PreliminaryRefuse { hearing_at, .. }) => {
            if today > hearing_notice_deadline(ctx.calendar, ctx.due_on) {
                return Err(WorkflowError::NoticeTooLate);
            }
            let latest = ctx.calendar.add_working_days(today, HEARING_WITHIN_WORKING_DAYS);
            let hearing_day = almaty_local(*hearing_at).date_naive();
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
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn ctx<'a>(calendar: &'a Calendar, now: &str) -> Context<'a> {
        Context {
            now: at(now),
            calendar,
            due_on: NaiveDate::from_ymd_opt(2026, 12, 22).unwrap(),
            result_made: false,
            hearing_at: None,
            at_con_since: None,
        }
    }

    #[test]
    fn the_happy_path_reaches_issued() {
        let c = Calendar::builtin();
        let x = ctx(&c, "2026-12-01T10:00:00+05:00");
        let mut s = ApplicationStatus::Submitted;
        for (action, role) in [
            (Action::Dispatch, Role::Operator),
            (Action::Register, Role::Provider),
            (Action::StartReview, Role::Provider),
            (Action::Approve, Role::Provider),
            (Action::DeliverToCon, Role::Provider),
            (Action::HandOver, Role::Operator),
        ] {
            s = transition(s, &action, role, &x).unwrap();
        }
        assert_eq!(s, ApplicationStatus::Issued);
        assert!(is_terminal(s));
    }

    #[test]
    fn roles_are_separated() {
        let c = Calendar::builtin();
        let x = ctx(&c, "2026-12-01T10:00:00+05:00");
        assert!(matches!(transition(ApplicationStatus::Registered, &Action::StartReview, Role::Operator, &x), Err(WorkflowError::Forbidden { .. })));
        assert!(matches!(transition(ApplicationStatus::AtCon, &Action::HandOver, Role::Provider, &x), Err(WorkflowError::Forbidden { .. })));
        assert!(matches!(transition(ApplicationStatus::Submitted, &Action::HandOver, Role::Operator, &x), Err(WorkflowError::IllegalTransition { .. })));
    }

    #[test]
    fn hearing_rules_are_enforced() {
        let c = Calendar::builtin();
        // Due 2026-12-22: the notice may come up to 3 working days before, i.e. on 2026-12-17.
        assert_eq!(hearing_notice_deadline(&c, NaiveDate::from_ymd_opt(2026, 12, 22).unwrap()), NaiveDate::from_ymd_opt(2026, 12, 17).unwrap());
        let x = ctx(&c, "2026-12-17T10:00:00+05:00");
        let ok = Action::PreliminaryRefuse { hearing_at: at("2026-12-21T11:00:00+05:00"), place: None };
        assert_eq!(transition(ApplicationStatus::InReview, &ok, Role::Provider, &x), Ok(ApplicationStatus::HearingScheduled));
        let too_far = Action::PreliminaryRefuse { hearing_at: at("2026-12-22T11:00:00+05:00"), place: None };
        assert_eq!(transition(ApplicationStatus::InReview, &too_far, Role::Provider, &x), Err(WorkflowError::HearingOutOfRange));
        let past = Action::PreliminaryRefuse { hearing_at: at("2026-12-17T09:00:00+05:00"), place: None };
        assert_eq!(transition(ApplicationStatus::InReview, &past, Role::Provider, &x), Err(WorkflowError::HearingOutOfRange));
        let late = ctx(&c, "2026-12-18T10:00:00+05:00");
        assert_eq!(transition(ApplicationStatus::InReview, &ok, Role::Provider, &late), Err(WorkflowError::NoticeTooLate));
        let mut before = ctx(&c, "2026-12-18T10:00:00+05:00");
        before.hearing_at = Some(at("2026-12-21T11:00:00+05:00"));
        let refuse = Action::Refuse { reason: RefusalGround::Unreliable, note: None };
        assert_eq!(transition(ApplicationStatus::HearingScheduled, &refuse, Role::Provider, &before), Err(WorkflowError::RefusalBeforeHearing));
        before.now = at("2026-12-21T12:00:00+05:00");
        assert_eq!(transition(ApplicationStatus::HearingScheduled, &refuse, Role::Provider, &before), Ok(ApplicationStatus::Refused));
    }

    #[test]
    fn an_unclaimed_document_returns_after_a_month_and_can_be_recalled() {
        let c = Calendar::builtin();
        let mut x = ctx(&c, "2027-01-14T10:00:00+05:00");
        x.at_con_since = Some(at("2026-12-15T10:00:00+05:00"));
        assert_eq!(transition(ApplicationStatus::AtCon, &Action::ReturnToProvider, Role::System, &x), Err(WorkflowError::StorageNotOver));
        x.now = at("2027-01-15T10:00:00+05:00");
        assert_eq!(transition(ApplicationStatus::AtCon, &Action::ReturnToProvider, Role::System, &x), Ok(ApplicationStatus::ReturnedToProvider));
        let s = transition(ApplicationStatus::ReturnedToProvider, &Action::Recall, Role::Operator, &x).unwrap();
        x.result_made = true;
        assert_eq!(transition(s, &Action::Register, Role::Provider, &x).map_err(|e| e.code()), Err("workflow.illegal_transition"));
        assert_eq!(transition(s, &Action::DeliverToCon, Role::Provider, &x), Ok(ApplicationStatus::AtCon));
    }

    #[test]
    fn every_state_is_reachable_and_terminal_states_have_no_exits() {
        let c = Calendar::builtin();
        let now = Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap();
        let permissive = |result_made| Context {
            now,
            calendar: &c,
            due_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
            result_made,
            hearing_at: Some(now - Duration::hours(1)),
            at_con_since: Some(now - Duration::days(40)),
        };
        let roles = [Role::Operator, Role::Field, Role::Provider, Role::Admin, Role::System, Role::Applicant];
        let mut actions = action_kinds(now);
        actions[4] = Action::PreliminaryRefuse { hearing_at: now + Duration::hours(2), place: None };
        let mut seen = vec![ApplicationStatus::Submitted];
        let mut frontier = seen.clone();
        while let Some(s) = frontier.pop() {
            for result_made in [false, true] {
                for a in &actions {
                    for r in roles {
                        if let Ok(next) = transition(s, a, r, &permissive(result_made)) {
                            assert!(!is_terminal(s), "{s:?} is terminal but {a:?} leaves it");
                            if !seen.contains(&next) {
                                seen.push(next);
                                frontier.push(next);
                            }
                        }
                    }
                }
            }
        }
        for s in ApplicationStatus::ALL {
            assert!(seen.contains(s), "{s:?} unreachable");
        }
    }
}
