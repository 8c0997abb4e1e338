//! Storage: one module per table group; SQL is portable between SQLite and PostgreSQL.

pub mod applications;
pub mod calendar;
pub mod chain;
pub mod desk;
pub mod events;
pub mod graduates;
pub mod idempotency;
pub mod institutions;
pub mod intake;
pub mod kiosks;
pub mod notifications;
pub mod otp;
pub mod oversight;
pub mod provider;
pub mod queue;
pub mod refusals;
pub mod retention;
pub mod staff;
pub mod throttle;
pub mod tracking;

/// Whether an error is a unique-constraint violation (a concurrent duplicate).
pub fn is_unique_violation(error: &sqlx::Error) -> bool {
    matches!(error, sqlx::Error::Database(db) if db.is_unique_violation())
}
