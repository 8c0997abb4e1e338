//! Times a field device took by its own clock while offline: the moment papers were accepted at
//! the door (`accepted_at`) and the moment a staff action was done there (`performed_at`, a
//! hand-over at home). The server trusts such a time within one rule, the same for both: a few
//! minutes ahead of its own clock (a device's clock drifts), and no older than a device may hold
//! an item (30 days; idempotency answers are kept 31).

use chrono::{DateTime, Duration, Utc};
use thiserror::Error;

/// How far ahead of the server's clock a device's time may be.
pub const MAX_AHEAD_MINUTES: i64 = 10;
/// How old a device's time may be when it finally syncs.
pub const MAX_AGE_DAYS: i64 = 30;

/// Which time of the device: each has its own field and codes on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DeviceTime {
    /// When the papers were accepted at the door (`POST /api/applications`, channel `field`).
    AcceptedAt,
    /// When an action was done on the device (an action item of `POST /api/sync/push`).
    PerformedAt,
}

impl DeviceTime {
    /// The field of the request that carries it.
    pub fn field(self) -> &'static str {
        match self {
            Self::AcceptedAt => "accepted_at",
            Self::PerformedAt => "performed_at",
        }
    }
}

/// Why a device's time is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum DeviceTimeError {
    /// Further ahead of the server's clock than [`MAX_AHEAD_MINUTES`].
    #[error("{} is in the future", .0.field())]
    Future(DeviceTime),
    /// Older than [`MAX_AGE_DAYS`].
    #[error("{} is older than {MAX_AGE_DAYS} days", .0.field())]
    TooOld(DeviceTime),
}

impl DeviceTimeError {
    /// The stable code.
    pub fn code(self) -> &'static str {
        match self {
            Self::Future(DeviceTime::AcceptedAt) => "accepted_at.future",
            Self::TooOld(DeviceTime::AcceptedAt) => "accepted_at.too_old",
            Self::Future(DeviceTime::PerformedAt) => "performed_at.future",
            Self::TooOld(DeviceTime::PerformedAt) => "performed_at.too_old",
        }
    }

    /// The field it is reported at.
    pub fn field(self) -> &'static str {
        match self {
            Self::Future(time) | Self::TooOld(time) => time.field(),
        }
    }
}

/// Checks the device's time `at` of kind `time` against the server's `now`.
pub fn check(time: DeviceTime, at: DateTime<Utc>, now: DateTime<Utc>) -> Result<DateTime<Utc>, DeviceTimeError> {
    if at > now + Duration::minutes(MAX_AHEAD_MINUTES) {
        Err(DeviceTimeError::Future(time))
    } else if at < now - Duration::days(MAX_AGE_DAYS) {
        Err(DeviceTimeError::TooOld(time))
    } else {
        Ok(at)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_time_is_taken_within_minutes_ahead_and_thirty_days_back() {
        let now: DateTime<Utc> = "2026-12-02T11:00:00Z".parse().unwrap();
        for time in [DeviceTime::AcceptedAt, DeviceTime::PerformedAt] {
            for ok in [now, now + Duration::minutes(10), now - Duration::days(30)] {
                assert_eq!(check(time, ok, now), Ok(ok));
            }
            assert_eq!(check(time, now + Duration::minutes(11), now), Err(DeviceTimeError::Future(time)));
            assert_eq!(check(time, now - Duration::days(30) - Duration::seconds(1), now), Err(DeviceTimeError::TooOld(time)));
        }
        assert_eq!(DeviceTimeError::Future(DeviceTime::PerformedAt).code(), "performed_at.future");
        assert_eq!(DeviceTimeError::TooOld(DeviceTime::AcceptedAt).field(), "accepted_at");
    }
}
