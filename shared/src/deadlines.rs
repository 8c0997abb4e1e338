//! Derived deadlines of an application, as pure functions of its registration day, due date and
//! the working-day calendar (DOMAIN.md, "How this system applies the time rules"; 003 items
//! 58–62). The server tracks them and warns staff before they pass.

use chrono::{DateTime, Months, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::api::{ApplicationStatus, ServiceCode, WatchedDeadlines};
use crate::calendar::{almaty_local, Calendar};
use crate::reference::{ResultKind, Service};

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

/// The deadlines fixed at registration.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadlines {
    /// The registration day (not counted in the term, 003 item 56).
    pub registered_on: NaiveDate,
    /// The last day of the term.
    pub due_on: NaiveDate,
    /// TVET only: the college's review is done by this day (5 working days, 003 item 58).
    pub review_by: Option<NaiveDate>,
    /// Services with a paper result: the result reaches ЦОН by this day (003 items 58–59).
    pub send_to_con_by: Option<NaiveDate>,
    /// The last day a preliminary refusal and the hearing may be notified (003 item 58).
    pub hearing_notice_by: NaiveDate,
}

impl Deadlines {
    /// The deadlines of an application of `service` registered on `registered_on`, taking the
    /// registration day as the day the provider registers it too (true of portal requests; for a
    /// package that arrives later by courier see [`review_by`]).
    pub fn new(calendar: &Calendar, service: &Service, registered_on: NaiveDate) -> Self {
        let due_on = calendar.due_on(registered_on, service.term_working_days);
        let send_to_con_by = service.results.contains(&ResultKind::PaperDuplicate).then(|| send_to_con_by(calendar, due_on));
        let review_by = (service.code == ServiceCode::TvetDuplicate).then(|| review_by(calendar, registered_on, due_on));
        Self { registered_on, due_on, review_by, send_to_con_by, hearing_notice_by: hearing_notice_by(calendar, due_on) }
    }
}

/// The day a college's review is due: 5 working days after it registered the package, but never
/// later than the day the result must leave for ЦОН.
pub fn review_by(calendar: &Calendar, registered_at_provider: NaiveDate, due_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(registered_at_provider, REVIEW_WORKING_DAYS).min(send_to_con_by(calendar, due_on))
}

/// The last day the result may be sent to ЦОН: 1 working day before `due_on`.
pub fn send_to_con_by(calendar: &Calendar, due_on: NaiveDate) -> NaiveDate {
    calendar.subtract_working_days(due_on, SEND_TO_CON_WORKING_DAYS_BEFORE_DUE)
}

/// The last day a preliminary refusal may be notified: 3 working days before `due_on`.
pub fn hearing_notice_by(calendar: &Calendar, due_on: NaiveDate) -> NaiveDate {
    calendar.subtract_working_days(due_on, HEARING_NOTICE_WORKING_DAYS_BEFORE_DUE)
}

/// The last day the hearing may be held: 2 working days after the notice.
pub fn hearing_by(calendar: &Calendar, notified_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(notified_on, HEARING_WITHIN_WORKING_DAYS)
}

/// The last day the applicant may object: 2 working days after the notice.
pub fn objection_by(calendar: &Calendar, notified_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(notified_on, OBJECTION_WORKING_DAYS)
}

/// Until when the applicant may object to a preliminary refusal notified at `notified_at`: the
/// same time of day, 2 working days later (003 item 58, "2 (екі) жұмыс күнінен кешіктірілмейтін
/// мерзімде"). The final refusal waits for this moment.
pub fn objection_until(calendar: &Calendar, notified_at: DateTime<Utc>) -> DateTime<Utc> {
    let notified_on = almaty_local(notified_at).date_naive();
    notified_at + chrono::Duration::days((objection_by(calendar, notified_on) - notified_on).num_days())
}

/// The day a package dispatched at `dispatched_at` must be registered by the provider: the day
/// it arrives (003 item 57), which is the day of dispatch (ЦОН sends twice a day, items 54–55),
/// or the next working day when it leaves after hours.
pub fn register_by(calendar: &Calendar, dispatched_at: DateTime<Utc>) -> NaiveDate {
    calendar.registered_on(dispatched_at)
}

/// How an application stands against a deadline (`deadline_state` of the API).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DeadlineState {
    /// Nothing is due soon.
    OnTime,
    /// A deadline is today (or, for the term, the result is due at ЦОН).
    AtRisk,
    /// A deadline has passed.
    Overdue,
}

impl DeadlineState {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::OnTime => "on_time",
            Self::AtRisk => "at_risk",
            Self::Overdue => "overdue",
        }
    }
}

/// The state of one staff deadline on `today`: at risk on its last day, overdue after it.
pub fn against(today: NaiveDate, by: NaiveDate) -> DeadlineState {
    match today.cmp(&by) {
        std::cmp::Ordering::Less => DeadlineState::OnTime,
        std::cmp::Ordering::Equal => DeadlineState::AtRisk,
        std::cmp::Ordering::Greater => DeadlineState::Overdue,
    }
}

/// How an application that still owes its result stands on `today`: the worst of its term (at
/// risk once the result is due at ЦОН, 003 item 58) and of the derived deadlines that run in its
/// status. The objection deadline is the applicant's: once it is reached the final decision is
/// owed, so it puts the application at risk, never overdue on its own.
pub fn deadline_state(
    calendar: &Calendar,
    today: NaiveDate,
    status: ApplicationStatus,
    result_made: bool,
    due_on: NaiveDate,
    w: &WatchedDeadlines,
) -> DeadlineState {
    use ApplicationStatus::*;
    let term = if today > due_on {
        DeadlineState::Overdue
    } else if today >= send_to_con_by(calendar, due_on) {
        DeadlineState::AtRisk
    } else {
        DeadlineState::OnTime
    };
    let running = match status {
        InTransit if result_made => w.recall_by,
        InTransit => w.register_by,
        Registered | InReview => w.review_by,
        _ => None,
    };
    let objection = match (status, w.objection_by) {
        (HearingScheduled, Some(by)) if today >= by => DeadlineState::AtRisk,
        _ => DeadlineState::OnTime,
    };
    [term, running.map_or(DeadlineState::OnTime, |by| against(today, by)), objection].into_iter().max().unwrap_or(DeadlineState::OnTime)
}

/// The day from which an unclaimed document goes back to the provider: one calendar month after
/// it arrived at ЦОН (a month, not working days: 000, 001, 003 item 62).
pub fn storage_ends(at_con_since: NaiveDate) -> NaiveDate {
    at_con_since.checked_add_months(Months::new(STORAGE_MONTHS)).unwrap_or(NaiveDate::MAX)
}

/// The last day the provider may send a recalled document back to ЦОН: 1 working day after the
/// request.
pub fn recall_by(calendar: &Calendar, requested_on: NaiveDate) -> NaiveDate {
    calendar.add_working_days(requested_on, RECALL_WORKING_DAYS)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::reference::compiled;
    use proptest::prelude::*;

    fn date(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Working days in `(from, to]`.
    fn working_days_between(c: &Calendar, from: NaiveDate, to: NaiveDate) -> usize {
        from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| c.is_working_day(*d)).count()
    }

    #[test]
    fn domain_example_gives_every_deadline() {
        let c = Calendar::builtin();
        let tvet = compiled().service(ServiceCode::TvetDuplicate);
        let d = Deadlines::new(&c, tvet, date("2026-11-30"));
        assert_eq!(d.due_on, date("2026-12-22"));
        assert_eq!(d.review_by, Some(date("2026-12-07")));
        assert_eq!(d.send_to_con_by, Some(date("2026-12-21")));
        // 16 December is Independence Day: three working days before the 22nd are 21, 18, 17.
        assert_eq!(d.hearing_notice_by, date("2026-12-17"));
        assert_eq!(hearing_by(&c, date("2026-12-17")), date("2026-12-21"));
        assert_eq!(objection_by(&c, date("2026-12-15")), date("2026-12-18"));
    }

    #[test]
    fn review_is_tvet_only_and_correction_has_no_courier_leg() {
        let c = Calendar::builtin();
        let higher = Deadlines::new(&c, compiled().service(ServiceCode::HigherDuplicate), date("2026-11-30"));
        assert_eq!(higher.review_by, None);
        assert!(higher.send_to_con_by.is_some());
        let correction = Deadlines::new(&c, compiled().service(ServiceCode::Correction), date("2026-11-30"));
        assert_eq!((correction.due_on, correction.send_to_con_by), (date("2026-12-03"), None));
        assert_eq!(correction.hearing_notice_by, date("2026-11-30"));
    }

    #[test]
    fn a_late_package_is_reviewed_by_the_send_deadline_at_the_latest() {
        let c = Calendar::builtin();
        assert_eq!(review_by(&c, date("2026-12-17"), date("2026-12-22")), date("2026-12-21"));
    }

    #[test]
    fn storage_lasts_a_calendar_month_and_recall_one_working_day() {
        let c = Calendar::builtin();
        assert_eq!(storage_ends(date("2026-12-15")), date("2027-01-15"));
        assert_eq!(storage_ends(date("2027-01-31")), date("2027-02-28"));
        // Requested on Friday 2026-12-11: Monday the 14th; on Tuesday the 15th: the 17th (16th off).
        assert_eq!(recall_by(&c, date("2026-12-11")), date("2026-12-14"));
        assert_eq!(recall_by(&c, date("2026-12-15")), date("2026-12-17"));
    }

    /// Item 8 of the conformance audit: each stored deadline is flagged in the status where it
    /// runs, like the term.
    #[test]
    fn watched_deadlines_flag_the_status_they_run_in() {
        use ApplicationStatus::*;
        let c = Calendar::builtin();
        let due = date("2026-12-22");
        let w = WatchedDeadlines {
            register_by: Some(date("2026-12-01")),
            review_by: Some(date("2026-12-08")),
            recall_by: Some(date("2026-12-10")),
            objection_by: Some(date("2026-12-03")),
        };
        let state = |today: &str, status, made| deadline_state(&c, date(today), status, made, due, &w);
        assert_eq!(state("2026-12-01", InTransit, false), DeadlineState::AtRisk, "registration is due on the day of arrival");
        assert_eq!(state("2026-12-02", InTransit, false), DeadlineState::Overdue);
        assert_eq!(state("2026-12-02", Registered, false), DeadlineState::OnTime, "registered: the registration deadline no longer runs");
        assert_eq!(state("2026-12-08", InReview, false), DeadlineState::AtRisk);
        assert_eq!(state("2026-12-09", InReview, false), DeadlineState::Overdue, "college review within 5 working days");
        assert_eq!(state("2026-12-11", InTransit, true), DeadlineState::Overdue, "a recall within 1 working day");
        assert_eq!(state("2026-12-02", HearingScheduled, false), DeadlineState::OnTime);
        assert_eq!(state("2026-12-04", HearingScheduled, false), DeadlineState::AtRisk, "the objection window is over: the decision is owed");
        assert_eq!(state("2026-12-21", Ready, true), DeadlineState::AtRisk, "the term as before");
        assert_eq!(state("2026-12-23", Ready, true), DeadlineState::Overdue);
    }

    #[test]
    fn objections_run_until_the_same_time_two_working_days_later() {
        let c = Calendar::builtin();
        let at = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
        assert_eq!(objection_until(&c, at("2026-12-01T10:00:00+05:00")), at("2026-12-03T10:00:00+05:00"));
        // Notified on Tuesday 15 December: the 16th is Independence Day, so Friday the 18th.
        assert_eq!(objection_until(&c, at("2026-12-15T17:00:00+05:00")), at("2026-12-18T17:00:00+05:00"));
        assert_eq!(register_by(&c, at("2026-12-04T19:00:00+05:00")), date("2026-12-07"), "dispatched after hours on Friday");
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]
        #[test]
        fn deadlines_are_working_days_in_order_and_exactly_counted(
            days in 0i64..3_000, service in prop::sample::select(ServiceCode::ALL.to_vec()),
        ) {
            let c = Calendar::builtin();
            let registered_on = c.registered_on(chrono::DateTime::from_timestamp(1_704_067_200 + days * 86_400, 0).unwrap());
            let s = compiled().service(service);
            let d = Deadlines::new(&c, s, registered_on);
            let all = [Some(d.due_on), d.review_by, d.send_to_con_by, Some(d.hearing_notice_by)];
            prop_assert!(all.iter().flatten().all(|x| c.is_working_day(*x)));
            prop_assert_eq!(working_days_between(&c, registered_on, d.due_on), s.term_working_days as usize);
            prop_assert_eq!(working_days_between(&c, d.hearing_notice_by, d.due_on), 3);
            prop_assert!(d.hearing_notice_by >= registered_on);
            if let Some(send) = d.send_to_con_by {
                prop_assert_eq!(working_days_between(&c, send, d.due_on), 1);
            }
            if let Some(review) = d.review_by {
                prop_assert!(review > registered_on && Some(review) <= d.send_to_con_by);
            }
            // A notice on the last allowed day still leaves the hearing and objections inside the term.
            let hearing = hearing_by(&c, d.hearing_notice_by);
            prop_assert!(c.is_working_day(hearing) && hearing < d.due_on);
            prop_assert!(objection_by(&c, d.hearing_notice_by) < d.due_on);
            let recall = recall_by(&c, d.due_on);
            prop_assert!(c.is_working_day(recall) && working_days_between(&c, d.due_on, recall) == 1);
            prop_assert!(storage_ends(d.due_on) > d.due_on);
        }
    }
}
