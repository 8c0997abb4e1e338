//! Unit tests of the workflow: the happy path, roles, the hearing rules, storage and recall,
//! and that every state is reachable while terminal states have no exits.

use super::*;
use crate::api::{Channel, CollectionPlace, ServiceCode};
use chrono::{Duration, TimeZone};

fn at(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

fn ctx<'a>(calendar: &'a Calendar, now: &str) -> Context<'a> {
    Context {
        now: at(now),
        calendar,
        service: ServiceCode::HigherDuplicate,
        channel: Channel::Con,
        collection: CollectionPlace::Con,
        objection_until: None,
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
        (Action::Register { registration_number: None }, Role::Provider),
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
    let ok = Action::PreliminaryRefuse { hearing_at: at("2026-12-21T11:00:00+05:00"), place: Some("каб. 204".into()), ground: None };
    assert_eq!(transition(ApplicationStatus::InReview, &ok, Role::Provider, &x), Ok(ApplicationStatus::HearingScheduled));
    let too_far = Action::PreliminaryRefuse { hearing_at: at("2026-12-22T11:00:00+05:00"), place: Some("каб. 204".into()), ground: None };
    assert_eq!(transition(ApplicationStatus::InReview, &too_far, Role::Provider, &x), Err(WorkflowError::HearingOutOfRange));
    let past = Action::PreliminaryRefuse { hearing_at: at("2026-12-17T09:00:00+05:00"), place: Some("каб. 204".into()), ground: None };
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
    assert_eq!(transition(s, &Action::Register { registration_number: None }, Role::Provider, &x).map_err(|e| e.code()), Err("workflow.illegal_transition"));
    assert_eq!(transition(s, &Action::DeliverToCon, Role::Provider, &x), Ok(ApplicationStatus::AtCon));
}

#[test]
fn every_state_is_reachable_and_terminal_states_have_no_exits() {
    let c = Calendar::builtin();
    let now = Utc.with_ymd_and_hms(2026, 12, 1, 5, 0, 0).unwrap();
    let permissive = |result_made, service, channel, collection| Context {
        now,
        calendar: &c,
        service,
        channel,
        collection,
        objection_until: Some(now - Duration::hours(1)),
        due_on: NaiveDate::from_ymd_opt(2026, 12, 31).unwrap(),
        result_made,
        hearing_at: Some(now - Duration::hours(1)),
        at_con_since: Some(now - Duration::days(40)),
    };
    let roles = [Role::Operator, Role::Field, Role::Provider, Role::Admin, Role::System, Role::Applicant];
    let mut actions = action_kinds(now);
    actions[4] = Action::PreliminaryRefuse { hearing_at: now + Duration::hours(2), place: Some("каб. 1".into()), ground: None };
    actions.push(Action::Refuse { reason: RefusalGround::Unreliable, note: None });
    let contexts: Vec<_> = [false, true]
        .into_iter()
        .flat_map(|made| ServiceCode::ALL.iter().flat_map(move |s| [CollectionPlace::Con, CollectionPlace::Provider].map(|p| (made, *s, p))))
        .flat_map(|(made, s, p)| Channel::ALL.iter().map(move |ch| (made, s, *ch, p)))
        .collect();
    let mut seen = vec![ApplicationStatus::Submitted];
    let mut frontier = seen.clone();
    while let Some(s) = frontier.pop() {
        for &(result_made, service, channel, collection) in &contexts {
            for a in &actions {
                for r in roles {
                    if let Ok(next) = transition(s, a, r, &permissive(result_made, service, channel, collection)) {
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

/// Item 1 of the conformance audit: a correction's approval finishes it, electronically; it
/// has no courier leg, shelf or hand-over (002 items 4–5).
#[test]
fn an_approved_correction_finishes_as_record_updated() {
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-01T10:00:00+05:00");
    x.service = ServiceCode::Correction;
    let s = transition(ApplicationStatus::InReview, &Action::Approve, Role::Provider, &x).unwrap();
    assert_eq!(s, ApplicationStatus::RecordUpdated);
    assert!(is_terminal(s));
    for action in action_kinds(x.now) {
        for role in Role::ALL {
            assert!(transition(s, &action, *role, &x).is_err(), "{action:?} leaves a finished correction");
        }
    }
    x.service = ServiceCode::TvetDuplicate;
    assert_eq!(transition(ApplicationStatus::InReview, &Action::Approve, Role::Provider, &x), Ok(ApplicationStatus::Ready));
}

/// Item 3: a result collected from the provider never goes to ЦОН; the provider hands it over.
#[test]
fn a_result_collected_from_the_provider_skips_the_courier_leg() {
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-01T10:00:00+05:00");
    x.collection = CollectionPlace::Provider;
    assert_eq!(transition(ApplicationStatus::Ready, &Action::DeliverToCon, Role::Provider, &x), Err(WorkflowError::CollectedAtProvider));
    assert!(matches!(transition(ApplicationStatus::Ready, &Action::HandOver, Role::Operator, &x), Err(WorkflowError::Forbidden { .. })));
    assert_eq!(transition(ApplicationStatus::Ready, &Action::HandOver, Role::Provider, &x), Ok(ApplicationStatus::Issued));
    x.collection = CollectionPlace::Con;
    assert_eq!(transition(ApplicationStatus::Ready, &Action::DeliverToCon, Role::Provider, &x), Ok(ApplicationStatus::AtCon));
    assert!(matches!(transition(ApplicationStatus::Ready, &Action::HandOver, Role::Provider, &x), Err(WorkflowError::IllegalTransition { .. })));
    assert!(matches!(transition(ApplicationStatus::AtCon, &Action::HandOver, Role::Provider, &x), Err(WorkflowError::Forbidden { .. })));
}

/// Item 4: a hearing has a place, objections come within the window, and the final refusal
/// waits for both the hearing and the end of the window.
#[test]
fn a_hearing_has_a_place_an_objection_window_and_then_the_refusal() {
    let c = Calendar::builtin();
    let x = ctx(&c, "2026-12-01T10:00:00+05:00");
    let notice = |place: Option<&str>, ground| Action::PreliminaryRefuse { hearing_at: at("2026-12-02T11:00:00+05:00"), place: place.map(Into::into), ground };
    for place in [None, Some("  ")] {
        assert_eq!(transition(ApplicationStatus::InReview, &notice(place, None), Role::Provider, &x), Err(WorkflowError::HearingPlaceRequired));
    }
    let online = notice(Some("видеобайланыс"), Some(RefusalGround::Unreliable));
    assert_eq!(transition(ApplicationStatus::InReview, &online, Role::Provider, &x), Ok(ApplicationStatus::HearingScheduled));
    let mut after = ctx(&c, "2026-12-02T12:00:00+05:00");
    after.hearing_at = Some(at("2026-12-02T11:00:00+05:00"));
    after.objection_until = Some(deadlines::objection_until(&c, x.now));
    let object = Action::Object { note: Some("Диплом тізілімде бар".into()) };
    for role in [Role::Provider, Role::Operator] {
        assert_eq!(transition(ApplicationStatus::HearingScheduled, &object, role, &after), Ok(ApplicationStatus::HearingScheduled));
    }
    let refuse = Action::Refuse { reason: RefusalGround::Unreliable, note: None };
    assert_eq!(transition(ApplicationStatus::HearingScheduled, &refuse, Role::Provider, &after), Err(WorkflowError::RefusalBeforeObjectionDeadline));
    after.now = at("2026-12-03T10:00:01+05:00");
    assert_eq!(transition(ApplicationStatus::HearingScheduled, &object, Role::Operator, &after), Err(WorkflowError::ObjectionTooLate));
    assert_eq!(transition(ApplicationStatus::HearingScheduled, &refuse, Role::Provider, &after), Ok(ApplicationStatus::Refused));
}

/// Item 5: a refusal (and the ground a notice names) must be one the service lists; a
/// correction is refused only for unreliable data (002 item 9).
#[test]
fn a_ground_the_service_does_not_list_is_refused() {
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-03T12:00:00+05:00");
    x.service = ServiceCode::Correction;
    x.hearing_at = Some(at("2026-12-03T11:00:00+05:00"));
    for ground in RefusalGround::ALL {
        let got = transition(ApplicationStatus::HearingScheduled, &Action::Refuse { reason: ground, note: None }, Role::Provider, &x);
        let want = if ground == RefusalGround::Unreliable { Ok(ApplicationStatus::Refused) } else { Err(WorkflowError::GroundNotListed { ground }) };
        assert_eq!(got, want, "{ground:?}");
    }
    let mut early = ctx(&c, "2026-11-30T10:00:00+05:00");
    early.service = ServiceCode::Correction;
    early.due_on = NaiveDate::from_ymd_opt(2026, 12, 8).unwrap();
    let notice =
        Action::PreliminaryRefuse { hearing_at: at("2026-12-01T11:00:00+05:00"), place: Some("онлайн".into()), ground: Some(RefusalGround::NoConsent) };
    assert_eq!(
        transition(ApplicationStatus::InReview, &notice, Role::Provider, &early),
        Err(WorkflowError::GroundNotListed { ground: RefusalGround::NoConsent })
    );
}

/// Item 8: each action starts the deadline it owes.
#[test]
fn actions_start_their_deadlines() {
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-04T19:00:00+05:00");
    let d = |a: &Action, x: &Context<'_>| deadlines_started(a, x).deadlines;
    assert_eq!(d(&Action::Dispatch, &x).register_by, NaiveDate::from_ymd_opt(2026, 12, 7), "after hours on Friday: Monday");
    assert_eq!(d(&Action::Register { registration_number: None }, &x).review_by, None, "a university has no 5-day review");
    x.service = ServiceCode::TvetDuplicate;
    x.now = at("2026-12-01T10:00:00+05:00");
    assert_eq!(d(&Action::Register { registration_number: None }, &x).review_by, NaiveDate::from_ymd_opt(2026, 12, 8));
    assert_eq!(d(&Action::Recall, &x).recall_by, NaiveDate::from_ymd_opt(2026, 12, 2));
    let notice = Action::PreliminaryRefuse { hearing_at: at("2026-12-02T11:00:00+05:00"), place: Some("каб. 1".into()), ground: None };
    let started = deadlines_started(&notice, &x);
    assert_eq!(started.deadlines.objection_by, NaiveDate::from_ymd_opt(2026, 12, 3));
    assert_eq!(started.objection_until, Some(at("2026-12-03T10:00:00+05:00")));
    assert_eq!(deadlines_started(&Action::Approve, &x), Started::default());
}

#[test]
fn allowed_actions_are_the_transitions_of_the_role_in_the_state() {
    let c = Calendar::builtin();
    let x = ctx(&c, "2026-12-17T10:00:00+05:00");
    assert_eq!(allowed_actions(ApplicationStatus::InTransit, Role::Provider, &x), ["register"]);
    assert_eq!(allowed_actions(ApplicationStatus::InTransit, Role::Operator, &x), Vec::<&str>::new());
    // A university's duplicate also has its own steps to record (004 section 4).
    assert_eq!(allowed_actions(ApplicationStatus::InReview, Role::Provider, &x), ["approve", "preliminary_refuse", "record_step"]);
    // A day later the notice would be too late: no preliminary refusal is offered.
    let late = ctx(&c, "2026-12-18T10:00:00+05:00");
    assert_eq!(allowed_actions(ApplicationStatus::InReview, Role::Provider, &late), ["approve", "record_step"]);
    assert_eq!(allowed_actions(ApplicationStatus::Ready, Role::Provider, &x), ["deliver_to_con", "record_step"]);
    assert!(allowed_actions(ApplicationStatus::Issued, Role::Provider, &x).is_empty());
}

#[test]
fn hearing_days_are_the_working_days_the_rules_leave() {
    let c = Calendar::builtin();
    let due = NaiveDate::from_ymd_opt(2026, 12, 22).unwrap();
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    // Thursday 17 December: notice today, hearing by Monday 21 (Friday 18 is a working day, the
    // weekend is not).
    assert_eq!(hearing_days(&c, at("2026-12-17T10:00:00+05:00"), due), [day(17), day(18), day(21)]);
    assert!(hearing_days(&c, at("2026-12-18T10:00:00+05:00"), due).is_empty(), "too late to notify");
    // Every offered day passes the guard at a time after now.
    let x = ctx(&c, "2026-12-17T10:00:00+05:00");
    for d in hearing_days(&c, x.now, due) {
        let hearing_at = crate::calendar::almaty_offset(x.now).from_local_datetime(&d.and_hms_opt(17, 0, 0).unwrap()).unwrap().with_timezone(&Utc);
        let action = Action::PreliminaryRefuse { hearing_at, place: Some("каб. 204".into()), ground: None };
        assert_eq!(transition(ApplicationStatus::InReview, &action, Role::Provider, &x), Ok(ApplicationStatus::HearingScheduled), "{d}");
    }
}

#[test]
fn the_deadlines_that_apply_now_follow_the_state() {
    let c = Calendar::builtin();
    let x = ctx(&c, "2026-12-17T10:00:00+05:00");
    let day = |d: u32| NaiveDate::from_ymd_opt(2026, 12, d).unwrap();
    let watched = WatchedDeadlines::default();
    assert_eq!(deadlines_now(&x, ApplicationStatus::InReview, &watched), [("hearing_notice_by", day(17)), ("send_to_con_by", day(21)), ("due_on", day(22))]);
    let registered = WatchedDeadlines { register_by: Some(day(2)), ..watched };
    assert_eq!(deadlines_now(&x, ApplicationStatus::InTransit, &registered)[0], ("register_by", day(2)));
    assert!(deadlines_now(&x, ApplicationStatus::Issued, &watched).is_empty());
}

/// 004 section 4: the university's steps are recorded while it works on its own duplicate and
/// keep the stage; the issue journal comes after the approval, with the duplicate's series and
/// number, for every duplicate printed on a blank; a correction has neither.
#[test]
fn internal_steps_keep_the_stage_and_the_journal_follows_the_approval() {
    use crate::api::InternalStep::*;
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-01T10:00:00+05:00");
    let step = |step, series: Option<&str>, number: Option<&str>| Action::RecordStep { step, series: series.map(Into::into), number: number.map(Into::into) };
    for s in [ApplicationStatus::Registered, ApplicationStatus::InReview, ApplicationStatus::HearingScheduled] {
        assert_eq!(transition(s, &step(RectorDecision, None, None), Role::Provider, &x), Ok(s));
        assert!(transition(s, &step(IssueJournal, Some("BD"), Some("1")), Role::Provider, &x).is_err(), "{s:?}: no journal before the approval");
    }
    assert_eq!(
        transition(ApplicationStatus::Registered, &step(RectorDecision, None, None), Role::Operator, &x),
        Err(WorkflowError::Forbidden { role: Role::Operator, action: "record_step" })
    );
    assert_eq!(transition(ApplicationStatus::Ready, &step(IssueJournal, Some("BD"), None), Role::Provider, &x), Err(WorkflowError::JournalNumberRequired));
    assert_eq!(transition(ApplicationStatus::Ready, &step(IssueJournal, Some("BD"), Some("0099001")), Role::Provider, &x), Ok(ApplicationStatus::Ready));
    assert!(transition(ApplicationStatus::Ready, &step(RectorDecision, None, None), Role::Provider, &x).is_err(), "the decision comes before the approval");
    assert_eq!(steps_allowed(ApplicationStatus::Ready, Role::Provider, &x), vec![IssueJournal]);
    assert!(allowed_actions(ApplicationStatus::Ready, Role::Provider, &x).contains(&"record_step"));

    x.service = ServiceCode::TvetDuplicate;
    assert_eq!(
        transition(ApplicationStatus::Registered, &step(RectorDecision, None, None), Role::Provider, &x),
        Err(WorkflowError::StepNotForService { step: RectorDecision })
    );
    assert_eq!(steps_allowed(ApplicationStatus::Registered, Role::Provider, &x), Vec::<InternalStep>::new());
    assert!(!allowed_actions(ApplicationStatus::Registered, Role::Provider, &x).contains(&"record_step"), "a college's own procedure is not the university's");
    assert_eq!(steps_allowed(ApplicationStatus::Ready, Role::Provider, &x), vec![IssueJournal]);
    x.service = ServiceCode::Correction;
    assert!(steps_allowed(ApplicationStatus::InReview, Role::Provider, &x).is_empty(), "a correction is no blank to journal");
}

/// Issue 17: the reasoned refusal of an application ЦОН accepted (at its counter or at the
/// applicant's home) travels back to ЦОН as a letter, waits on the shelf and is handed over
/// like a duplicate, but in states of its own, so that `at_con` and `issued` keep meaning a
/// duplicate (003 items 58, 62).
#[test]
fn a_refusal_letter_of_a_con_application_reaches_the_shelf_and_is_handed_over() {
    use ApplicationStatus::*;
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-21T12:00:00+05:00");
    for channel in [Channel::Con, Channel::Field] {
        x.channel = channel;
        for role in [Role::Provider, Role::Operator] {
            assert_eq!(transition(Refused, &Action::DeliverToCon, role, &x), Ok(RefusalAtCon), "{channel:?} {role:?}");
        }
        assert_eq!(allowed_actions(Refused, Role::Operator, &x), ["deliver_to_con"], "{channel:?}");
        assert_eq!(allowed_actions(RefusalAtCon, Role::Operator, &x), ["hand_over"], "{channel:?}: not yet a month");
        assert_eq!(transition(RefusalAtCon, &Action::HandOver, Role::Operator, &x), Ok(RefusalIssued));
    }
    assert!(is_terminal(RefusalIssued) && is_decided(Refused) && !is_terminal(Refused));
    for action in action_kinds(x.now) {
        for role in Role::ALL {
            assert!(transition(RefusalIssued, &action, *role, &x).is_err(), "{action:?} leaves a handed-over refusal letter");
        }
    }
    assert!(deadlines_now(&x, Refused, &WatchedDeadlines::default()).is_empty(), "a refusal owes no term");
    assert!(deadlines_now(&x, RefusalAtCon, &WatchedDeadlines::default()).is_empty());
}

#[test]
fn a_refusal_letter_is_moved_only_by_con_and_held_only_by_its_operator() {
    use ApplicationStatus::*;
    let c = Calendar::builtin();
    let x = ctx(&c, "2026-12-21T12:00:00+05:00");
    for role in [Role::Field, Role::Admin, Role::Applicant] {
        assert!(matches!(transition(Refused, &Action::DeliverToCon, role, &x), Err(WorkflowError::Forbidden { .. })), "{role:?}");
    }
    assert!(matches!(transition(RefusalAtCon, &Action::HandOver, Role::Provider, &x), Err(WorkflowError::Forbidden { .. })), "ЦОН holds the letter");
    assert!(matches!(transition(Refused, &Action::HandOver, Role::Operator, &x), Err(WorkflowError::IllegalTransition { .. })), "not at ЦОН yet");
    assert!(matches!(transition(RefusalAtCon, &Action::DeliverToCon, Role::Provider, &x), Err(WorkflowError::IllegalTransition { .. })));
}

/// A portal or kiosk application's refusal goes to the personal cabinet, an office
/// application's is collected at the provider: no letter travels to ЦОН.
#[test]
fn a_refusal_of_another_channel_or_collected_at_the_provider_never_goes_to_con() {
    use ApplicationStatus::*;
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-21T12:00:00+05:00");
    for channel in [Channel::Portal, Channel::Kiosk, Channel::Office] {
        x.channel = channel;
        assert!(matches!(transition(Refused, &Action::DeliverToCon, Role::Provider, &x), Err(WorkflowError::IllegalTransition { .. })), "{channel:?}");
        assert!(allowed_actions(Refused, Role::Operator, &x).is_empty(), "{channel:?}");
        assert!(!refusal_letter_via_con(channel, CollectionPlace::Con));
    }
    x.channel = Channel::Con;
    x.collection = CollectionPlace::Provider;
    assert_eq!(transition(Refused, &Action::DeliverToCon, Role::Provider, &x), Err(WorkflowError::CollectedAtProvider));
}

/// 003 item 62: a refusal letter unclaimed for a month goes back to the provider, which keeps it.
#[test]
fn an_unclaimed_refusal_letter_returns_to_the_provider_after_a_month() {
    use ApplicationStatus::*;
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2027-01-14T10:00:00+05:00");
    x.at_con_since = Some(at("2026-12-15T10:00:00+05:00"));
    assert_eq!(transition(RefusalAtCon, &Action::ReturnToProvider, Role::System, &x), Err(WorkflowError::StorageNotOver));
    x.now = at("2027-01-15T10:00:00+05:00");
    assert_eq!(transition(RefusalAtCon, &Action::ReturnToProvider, Role::Operator, &x), Ok(RefusalReturned));
    assert_eq!(transition(RefusalAtCon, &Action::ReturnToProvider, Role::System, &x), Ok(RefusalReturned));
    assert!(matches!(transition(RefusalAtCon, &Action::ReturnToProvider, Role::Provider, &x), Err(WorkflowError::Forbidden { .. })));
    assert!(is_terminal(RefusalReturned));
    assert!(transition(RefusalReturned, &Action::Recall, Role::Operator, &x).is_err(), "a refusal letter is not recalled");
}

#[test]
fn the_citizen_reads_a_collected_or_returned_refusal_letter_as_any_result() {
    use ApplicationStatus::*;
    assert_eq!(RefusalIssued.tracking_stage(), "issued");
    assert_eq!(RefusalReturned.tracking_stage(), "returned_to_provider");
    assert_eq!(RefusalAtCon.tracking_stage(), "refusal_at_con");
    assert_eq!(AtCon.tracking_stage(), "at_con");
}

#[test]
fn a_field_worker_hands_over_at_home_only_what_a_field_worker_accepted_and_waits_at_con() {
    let c = Calendar::builtin();
    let mut x = ctx(&c, "2026-12-01T10:00:00+05:00");
    x.channel = Channel::Field;
    assert_eq!(transition(ApplicationStatus::AtCon, &Action::HandOver, Role::Field, &x), Ok(ApplicationStatus::Issued));
    assert_eq!(allowed_actions(ApplicationStatus::AtCon, Role::Field, &x), ["hand_over"], "the only action a field worker has");
    assert_eq!(transition(ApplicationStatus::AtCon, &Action::HandOver, Role::Operator, &x), Ok(ApplicationStatus::Issued), "or at the ЦОН counter");
    for from in [ApplicationStatus::Ready, ApplicationStatus::InTransit, ApplicationStatus::ReturnedToProvider, ApplicationStatus::Issued] {
        assert!(transition(from, &Action::HandOver, Role::Field, &x).is_err(), "{from:?}: nothing to take home");
    }
    x.collection = CollectionPlace::Provider;
    assert!(matches!(transition(ApplicationStatus::Ready, &Action::HandOver, Role::Field, &x), Err(WorkflowError::Forbidden { .. })), "the provider's own");
    for channel in [Channel::Portal, Channel::Con, Channel::Kiosk, Channel::Office] {
        x.channel = channel;
        assert!(matches!(transition(ApplicationStatus::AtCon, &Action::HandOver, Role::Field, &x), Err(WorkflowError::Forbidden { .. })), "{channel:?}");
        assert!(allowed_actions(ApplicationStatus::AtCon, Role::Field, &x).is_empty());
    }
    assert!(matches!(transition(ApplicationStatus::Submitted, &Action::Dispatch, Role::Field, &x), Err(WorkflowError::Forbidden { .. })));
}
