//! Unit and property tests of the calendar: the DOMAIN.md examples, decreed transfers,
//! provisional years, the time zone switch, and due dates that are working days, never early
//! and monotonic.

use super::*;
use proptest::prelude::*;

fn date(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn instant(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
}

#[test]
fn domain_example_monday_morning_is_due_on_22_december() {
    let c = Calendar::builtin();
    let at = instant("2026-11-30T10:00:00+05:00");
    assert_eq!(c.registered_on(at), date("2026-11-30"));
    assert_eq!(c.due_on(date("2026-11-30"), 15), date("2026-12-22"));
}

#[test]
fn after_closing_time_weekends_and_holidays_register_next_working_day() {
    let c = Calendar::builtin();
    assert_eq!(c.registered_on(instant("2026-11-30T18:45:00+05:00")), date("2026-12-01"));
    assert_eq!(c.registered_on(instant("2026-11-30T18:29:59+05:00")), date("2026-11-30"));
    assert_eq!(c.registered_on(instant("2026-11-28T11:00:00+05:00")), date("2026-11-30"));
    assert_eq!(c.registered_on(instant("2026-12-16T11:00:00+05:00")), date("2026-12-17"));
}

#[test]
fn decreed_transfers_are_honoured() {
    let c = Calendar::builtin();
    assert!(c.is_working_day(date("2024-05-04")), "decreed working Saturday");
    assert!(!c.is_working_day(date("2024-05-08")), "decreed day off");
    assert!(!c.is_working_day(date("2025-01-03")));
    assert!(c.is_working_day(date("2025-01-05")));
}

#[test]
fn years_outside_the_data_are_provisional_and_follow_the_weekend_rule() {
    let c = Calendar::builtin();
    assert_eq!(c.certainty(date("2026-12-01")), Certainty::Published);
    assert_eq!(c.certainty(date("2027-01-04")), Certainty::Provisional);
    // 2027-03-21 is a Sunday: Nauryz 21–23 March, the Sunday's day off moves to 24 March.
    assert!(!c.is_working_day(date("2027-03-22")));
    assert!(!c.is_working_day(date("2027-03-24")));
    assert!(c.is_working_day(date("2027-03-25")));
    // Orthodox Christmas is not moved: 2028-01-07 is a Friday anyway; 2029-01-07 a Sunday.
    assert!(c.is_working_day(date("2029-01-08")) || c.days.get(&date("2029-01-08")) == Some(&DayKind::TransferDayOff));
}

#[test]
fn almaty_was_utc_plus_6_before_march_2024() {
    assert_eq!(almaty_offset(instant("2024-02-01T00:00:00Z")).local_minus_utc(), 6 * 3600);
    assert_eq!(almaty_offset(instant("2024-03-01T00:00:00Z")).local_minus_utc(), 5 * 3600);
}

proptest! {
    #[test]
    fn due_dates_are_working_days_never_early_and_monotonic(
        secs in 1_704_067_200i64..1_830_297_600, delta in 0i64..1_000_000, term in prop::sample::select(vec![3u32, 15]),
    ) {
        let c = Calendar::builtin();
        let a = DateTime::from_timestamp(secs, 0).unwrap();
        let b = DateTime::from_timestamp(secs + delta, 0).unwrap();
        let (ra, rb) = (c.registered_on(a), c.registered_on(b));
        let (da, db) = (c.due_on(ra, term), c.due_on(rb, term));
        prop_assert!(c.is_working_day(ra) && c.is_working_day(da));
        prop_assert!(ra <= rb && da <= db);
        prop_assert!(da >= ra + Duration::days(i64::from(term)));
        prop_assert!(ra >= almaty_local(a).date_naive());
    }
}
