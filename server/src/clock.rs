//! The server's notion of "now": the system clock, or a fixed instant in demos and tests.

use chrono::{DateTime, NaiveDate, Utc};
use telnuska_shared::calendar::almaty_local;

/// Where "now" comes from.
#[derive(Debug, Clone, Copy)]
pub struct Clock {
    fixed: Option<DateTime<Utc>>,
}

impl Clock {
    /// A clock fixed at `fixed`, or the system clock.
    pub fn new(fixed: Option<DateTime<Utc>>) -> Self {
        Self { fixed }
    }

    /// The current instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed.unwrap_or_else(Utc::now)
    }

    /// Today in Asia/Almaty.
    pub fn today(&self) -> NaiveDate {
        almaty_local(self.now()).date_naive()
    }
}

/// An instant as stored: RFC 3339 in UTC with microseconds, so text order is time order.
pub fn stored(at: DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// Reads an instant stored by [`stored`].
pub fn parse_stored(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&Utc))
}
