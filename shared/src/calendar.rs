//! Working days, the registration day and due dates, in Asia/Almaty time.
//!
//! Holidays and decreed transfers come from data (`shared/data/holidays.csv`, later amended in
//! the server's database); years outside the data are computed from the Labour Code rules and
//! flagged provisional. Rules: docs/DOMAIN.md, "How this system applies the time rules".

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::reference::csv_rows;

const HOLIDAYS_CSV: &str = include_str!("../data/holidays.csv");

/// End of the working day (DOMAIN.md): a submission at or after it registers the next working day.
pub const DEFAULT_CLOSING_TIME: (u32, u32) = (18, 30);

/// What a calendar entry does to its day.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayKind {
    /// A public holiday: a day off.
    Holiday,
    /// A day off moved here by the weekend rule or a decree.
    TransferDayOff,
    /// A weekend day made a working day by decree.
    TransferWorkday,
}

/// One dated entry of the calendar.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CalendarDay {
    /// The day.
    pub date: NaiveDate,
    /// What it is.
    pub kind: DayKind,
    /// Name (Russian, as in the sources).
    pub name: String,
    /// Where the entry comes from (law, decree, calendar).
    pub source: String,
}

/// Whether an answer rests on published data or on the statutory rules alone.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Certainty {
    /// The year is in the data.
    Published,
    /// The year is outside the data: computed from the Labour Code, decrees may still change it.
    Provisional,
}

/// The working-day calendar.
#[derive(Debug, Clone)]
pub struct Calendar {
    days: BTreeMap<NaiveDate, DayKind>,
    first_year: i32,
    last_year: i32,
    closing_time: NaiveTime,
}

/// Asia/Almaty's offset at an instant: UTC+6 until all of Kazakhstan moved to UTC+5 on
/// 2024-03-01 00:00 local time.
pub fn almaty_offset(at: DateTime<Utc>) -> FixedOffset {
    let switch = Utc.with_ymd_and_hms(2024, 2, 29, 18, 0, 0).single().expect("valid instant");
    let hours = if at < switch { 6 } else { 5 };
    FixedOffset::east_opt(hours * 3600).expect("valid offset")
}

/// The Asia/Almaty local date and time of an instant.
pub fn almaty_local(at: DateTime<Utc>) -> DateTime<FixedOffset> {
    at.with_timezone(&almaty_offset(at))
}

/// The Asia/Almaty local date and time of an instant as a plain value. Unlike the accessors of
/// [`almaty_local`]'s result it never panics: at the very end of `chrono`'s range (reachable only
/// from hostile input) it stops at the last representable moment.
pub fn almaty_naive(at: DateTime<Utc>) -> NaiveDateTime {
    at.naive_utc().checked_add_offset(almaty_offset(at)).unwrap_or(NaiveDateTime::MAX)
}

/// The Asia/Almaty calendar date of an instant; never panics (see [`almaty_naive`]).
pub fn almaty_date(at: DateTime<Utc>) -> NaiveDate {
    almaty_naive(at).date()
}

/// Fixed-date public holidays of the Labour Code (art. 84) for a year without published data;
/// `true` where a holiday on a weekend moves its day off to the next working day.
fn statutory_holidays(year: i32) -> Vec<(u32, u32, bool)> {
    let mut days = vec![
        (1, 1, true),
        (1, 2, true),
        (1, 7, false),
        (3, 8, true),
        (3, 21, true),
        (3, 22, true),
        (3, 23, true),
        (5, 1, true),
        (5, 7, true),
        (5, 9, true),
        (7, 6, true),
        (10, 25, true),
        (12, 16, true),
    ];
    // The 2026 Constitution moved Constitution Day from 30 August to 15 March from 2027 on
    // (holidays.csv, note on 2026-08-30).
    days.push(if year >= 2027 { (3, 15, true) } else { (8, 30, true) });
    days
}

impl Calendar {
    /// The calendar of the bundled data.
    pub fn builtin() -> Self {
        Self::from_days(builtin_days())
    }

    /// The calendar with amendments laid over it (a decree adds, moves or cancels a day off):
    /// each amendment replaces whatever the day was, and the published years stay as they were.
    pub fn with_amendments(mut self, amendments: impl IntoIterator<Item = CalendarDay>) -> Self {
        for day in amendments {
            self.days.insert(day.date, day.kind);
        }
        self
    }

    /// The dated entries (holidays, days off, working Saturdays) of one year.
    pub fn entries_in(&self, year: i32) -> Vec<(NaiveDate, DayKind)> {
        let (Some(from), Some(to)) = (NaiveDate::from_ymd_opt(year, 1, 1), NaiveDate::from_ymd_opt(year, 12, 31)) else { return Vec::new() };
        self.days.range(from..=to).map(|(d, k)| (*d, *k)).collect()
    }

    /// A calendar of the given entries; the years they span count as published.
    pub fn from_days(entries: impl IntoIterator<Item = CalendarDay>) -> Self {
        let days: BTreeMap<NaiveDate, DayKind> = entries.into_iter().map(|d| (d.date, d.kind)).collect();
        let first_year = days.keys().next().map_or(i32::MAX, |d| d.year());
        let last_year = days.keys().next_back().map_or(i32::MIN, |d| d.year());
        let (h, m) = DEFAULT_CLOSING_TIME;
        let mut calendar = Self { days, first_year, last_year, closing_time: NaiveTime::from_hms_opt(h, m, 0).expect("valid time") };
        calendar.fill_statutory_years();
        calendar
    }

    /// Adds computed entries for a window of years around the data, so lookups stay cheap.
    fn fill_statutory_years(&mut self) {
        let (from, to) = if self.first_year <= self.last_year { (self.first_year - 5, self.last_year + 10) } else { (2000, 2050) };
        let (first, last) = (self.first_year, self.last_year);
        for year in (from..=to).filter(|y| !(first..=last).contains(y)) {
            let mut moved = Vec::new();
            for (month, day, moves) in statutory_holidays(year) {
                let Some(date) = NaiveDate::from_ymd_opt(year, month, day) else { continue };
                self.days.insert(date, DayKind::Holiday);
                if moves && is_weekend(date) {
                    moved.push(date);
                }
            }
            for date in moved {
                let mut next = date + Duration::days(1);
                while is_weekend(next) || self.days.contains_key(&next) {
                    next += Duration::days(1);
                }
                self.days.insert(next, DayKind::TransferDayOff);
            }
        }
    }

    fn is_published_year(&self, year: i32) -> bool {
        (self.first_year..=self.last_year).contains(&year)
    }

    /// Whether answers about `date` rest on published data.
    pub fn certainty(&self, date: NaiveDate) -> Certainty {
        if self.is_published_year(date.year()) {
            Certainty::Published
        } else {
            Certainty::Provisional
        }
    }

    /// Monday–Friday that is not a holiday nor a decreed day off, or a decreed working Saturday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        match self.days.get(&date) {
            Some(DayKind::TransferWorkday) => true,
            Some(DayKind::Holiday | DayKind::TransferDayOff) => false,
            None => !is_weekend(date),
        }
    }

    /// The first working day strictly after `date`. At the end of `chrono`'s range (far beyond
    /// any real term, but reachable from a hostile query) it stops at the last day instead of
    /// overflowing.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while let Some(next) = d.succ_opt() {
            d = next;
            if self.is_working_day(d) {
                break;
            }
        }
        d
    }

    /// The last working day strictly before `date`; stops at the first day of `chrono`'s range.
    pub fn previous_working_day(&self, date: NaiveDate) -> NaiveDate {
        let mut d = date;
        while let Some(previous) = d.pred_opt() {
            d = previous;
            if self.is_working_day(d) {
                break;
            }
        }
        d
    }

    /// The `n`-th working day after `date` (`date` itself not counted).
    pub fn add_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(date, |d, _| self.next_working_day(d))
    }

    /// The working day `n` working days before `date` (`date` itself not counted).
    pub fn subtract_working_days(&self, date: NaiveDate, n: u32) -> NaiveDate {
        (0..n).fold(date, |d, _| self.previous_working_day(d))
    }

    /// The day an application made at `at` is registered: the same day if it was made on a
    /// working day before closing time, otherwise the next working day (003 item 53).
    pub fn registered_on(&self, at: DateTime<Utc>) -> NaiveDate {
        let local = almaty_naive(at);
        let date = local.date();
        if self.is_working_day(date) && local.time() < self.closing_time {
            date
        } else {
            self.next_working_day(date)
        }
    }

    /// The due date: the `term` -th working day after the registration day (003 item 56).
    pub fn due_on(&self, registered_on: NaiveDate, term_working_days: u32) -> NaiveDate {
        self.add_working_days(registered_on, term_working_days)
    }
}

/// The entries of the bundled `holidays.csv`, with their sources.
pub fn builtin_days() -> Vec<CalendarDay> {
    csv_rows(HOLIDAYS_CSV)
        .filter_map(|f| {
            let date = crate::wire_time::parse_date(f.first()?)?;
            let kind = match f.get(1)?.as_str() {
                "holiday" => DayKind::Holiday,
                "transfer_day_off" => DayKind::TransferDayOff,
                "transfer_workday" => DayKind::TransferWorkday,
                _ => return None,
            };
            Some(CalendarDay { date, kind, name: f.get(2).cloned().unwrap_or_default(), source: f.get(3).cloned().unwrap_or_default() })
        })
        .collect()
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests;
