//! Unit tests of the workflow: the happy path, roles, the hearing rules, storage and recall,
//! and that every state is reachable while terminal states have no exits.

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
