//! The head's view of an office: per service, the applications still open, at risk and overdue,
//! the share of results delivered on time over the last days, and the median working days from
//! registration to result. Computed from each application's stage events (its audit log), so the
//! figures can be checked against the log.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::api::{ApplicationStatus, ServiceCode, ServiceFigures, WatchedDeadlines};
use crate::calendar::{almaty_date, Calendar};
use crate::deadlines::{deadline_state, DeadlineState};

/// The window of the on-time share and the median: the last 30 days, a month of work.
pub const WINDOW_DAYS: i64 = 30;

/// Statuses in which the result is still owed (the deadline job's list).
pub const OPEN: [ApplicationStatus; 6] = [
    ApplicationStatus::Submitted,
    ApplicationStatus::InTransit,
    ApplicationStatus::Registered,
    ApplicationStatus::InReview,
    ApplicationStatus::HearingScheduled,
    ApplicationStatus::Ready,
];

/// One stage event of an application: when, and the status it led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StageEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
    /// The status it led to.
    pub status: ApplicationStatus,
}

/// One application with its stage events, oldest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// Its service.
    pub service: ServiceCode,
    /// The day its term started.
    pub registered_on: NaiveDate,
    /// The day its result is due.
    pub due_on: NaiveDate,
    /// Whether the applicant collects the result from the provider (else at ЦОН).
    pub collected_at_provider: bool,
    /// The derived deadlines stored as its work reached them.
    pub watched: WatchedDeadlines,
    /// Its stage events, oldest first.
    pub events: Vec<StageEvent>,
}

impl Case {
    /// When the result was delivered: the first event at which it was where it is collected
    /// (at ЦОН, or ready at the provider for a result collected there), or a refusal or an
    /// updated record was decided.
    pub fn delivered_at(&self) -> Option<DateTime<Utc>> {
        use ApplicationStatus::*;
        self.events
            .iter()
            .find(|e| match e.status {
                AtCon | Issued | Refused | RecordUpdated => true,
                Ready => self.collected_at_provider,
                _ => false,
            })
            .map(|e| e.at)
    }

    /// How it stands on `today` if its result is still owed, else `None`. A result ready at the
    /// provider that hands it over is delivered, not open.
    fn open_state(&self, calendar: &Calendar, today: NaiveDate) -> Option<DeadlineState> {
        let status = self.events.last()?.status;
        if !OPEN.contains(&status) || self.delivered_at().is_some() {
            return None;
        }
        let result_made = self.events.iter().any(|e| e.status == ApplicationStatus::Ready);
        Some(deadline_state(calendar, today, status, result_made, self.due_on, &self.watched))
    }
}

/// Working days in `(from, to]`: a result on its registration day took none.
pub fn working_days_between(calendar: &Calendar, from: NaiveDate, to: NaiveDate) -> u32 {
    from.iter_days().skip(1).take_while(|d| *d <= to).filter(|d| calendar.is_working_day(*d)).count() as u32
}

/// The median of `values` (the mean of the two middle ones for an even count), `None` if empty.
pub fn median(values: &mut [u32]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(values[n / 2])),
        _ => Some((f64::from(values[n / 2 - 1]) + f64::from(values[n / 2])) / 2.0),
    }
}

/// The figures of every service on `now`, in catalogue order.
pub fn figures(calendar: &Calendar, now: DateTime<Utc>, cases: &[Case]) -> Vec<ServiceFigures> {
    let today = almaty_date(now);
    let since = now - Duration::days(WINDOW_DAYS);
    ServiceCode::ALL
        .iter()
        .map(|&service| {
            let mut f =
                ServiceFigures { service, open: 0, at_risk: 0, overdue: 0, delivered: 0, delivered_on_time: 0, on_time_share: None, median_working_days: None };
            let mut days = Vec::new();
            for case in cases.iter().filter(|c| c.service == service) {
                let state = case.open_state(calendar, today);
                f.open += u64::from(state.is_some());
                f.at_risk += u64::from(state == Some(DeadlineState::AtRisk));
                f.overdue += u64::from(state == Some(DeadlineState::Overdue));
                if let Some(at) = case.delivered_at().filter(|at| *at > since && *at <= now) {
                    let on = almaty_date(at);
                    f.delivered += 1;
                    f.delivered_on_time += u64::from(on <= case.due_on);
                    days.push(working_days_between(calendar, case.registered_on, on));
                }
            }
            f.on_time_share = (f.delivered > 0).then(|| f.delivered_on_time as f64 / f.delivered as f64);
            f.median_working_days = median(&mut days);
            f
        })
        .collect()
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use ApplicationStatus::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn date(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn case(events: &[(&str, ApplicationStatus)]) -> Case {
        Case {
            service: ServiceCode::HigherDuplicate,
            registered_on: date("2026-11-30"),
            due_on: date("2026-12-22"),
            collected_at_provider: false,
            watched: WatchedDeadlines::default(),
            events: events.iter().map(|(t, status)| StageEvent { at: at(t), status: *status }).collect(),
        }
    }

    #[test]
    fn medians_of_odd_and_even_counts() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [5, 1, 3]), Some(3.0));
        assert_eq!(median(&mut [4, 1, 3, 2]), Some(2.5));
    }

    #[test]
    fn working_days_skip_weekends_and_holidays() {
        let c = Calendar::builtin();
        // Fri 2026-12-04 → Mon 2026-12-07: one working day.
        assert_eq!(working_days_between(&c, date("2026-12-04"), date("2026-12-07")), 1);
        assert_eq!(working_days_between(&c, date("2026-12-04"), date("2026-12-04")), 0);
        // Independence Day, 16 December, is not a working day.
        assert_eq!(working_days_between(&c, date("2026-12-15"), date("2026-12-18")), 2);
    }

    #[test]
    fn figures_count_open_late_and_delivered_results() {
        let c = Calendar::builtin();
        let now = at("2026-12-23T12:00:00+05:00");
        let on_time = case(&[("2026-11-30T10:00:00+05:00", Submitted), ("2026-12-03T15:00:00+05:00", Ready), ("2026-12-04T10:00:00+05:00", AtCon)]);
        let late = case(&[("2026-11-30T10:00:00+05:00", Submitted), ("2026-12-23T09:00:00+05:00", AtCon)]);
        let open = case(&[("2026-11-30T10:00:00+05:00", Submitted), ("2026-12-01T10:00:00+05:00", InReview)]);
        let mut provider = case(&[("2026-11-30T10:00:00+05:00", Registered), ("2026-12-02T10:00:00+05:00", Ready)]);
        provider.collected_at_provider = true;
        let long_ago = case(&[("2026-10-01T10:00:00+05:00", Submitted), ("2026-10-05T10:00:00+05:00", AtCon)]);
        let all = figures(&c, now, &[on_time, late, open, provider, long_ago]);
        let higher = all.iter().find(|f| f.service == ServiceCode::HigherDuplicate).unwrap();
        assert_eq!((higher.open, higher.at_risk, higher.overdue), (1, 0, 1));
        assert_eq!((higher.delivered, higher.delivered_on_time), (3, 2), "the October result is outside the window");
        assert_eq!(higher.on_time_share, Some(2.0 / 3.0));
        // 4 (to 4 Dec), 2 (to 2 Dec, at the provider) and 16 (to 23 Dec, past 16 Dec).
        assert_eq!(higher.median_working_days, Some(4.0));
        let school = all.iter().find(|f| f.service == ServiceCode::SchoolDuplicate).unwrap();
        assert_eq!((school.open, school.delivered, school.on_time_share, school.median_working_days), (0, 0, None, None));
    }
}
