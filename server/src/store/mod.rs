//! Storage: one module per table group; SQL is portable between SQLite and PostgreSQL.

pub mod applications;
pub mod batch;
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
pub mod statement;
pub mod throttle;
pub mod tracking;
pub mod view;
pub mod writes;

pub use statement::Statement;

/// Why a storage operation failed: the database's own error, a stored value that cannot be read
/// back, or one of the refusals storage itself decides (a rate limit counted in a table, a reused
/// idempotency key, wrong credentials, a transition that lost a race). The HTTP edge maps it
/// (`From<StoreError> for ApiError` in `error.rs`); storage never speaks HTTP.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed, or refused a write (see [`StoreError::constraint`]).
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A stored value cannot be read back (a corrupt or foreign row).
    #[error("stored {0} cannot be read")]
    Unreadable(std::borrow::Cow<'static, str>),
    /// A value does not (de)serialise as JSON.
    #[error("stored JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// A password could not be hashed.
    #[error("password hash: {0}")]
    PasswordHash(argon2::password_hash::Error),
    /// The application number counter ran out of its range.
    #[error("no application number for year {year}, counter {value}")]
    NumbersExhausted {
        /// The year of the number.
        year: i32,
        /// The counter's value.
        value: i64,
    },
    /// Too many attempts counted in the window: wait this long.
    #[error("rate limited for {retry_after_secs} s")]
    RateLimited {
        /// Seconds until a retry may succeed.
        retry_after_secs: u64,
    },
    /// The idempotency key was used before for a different request.
    #[error("idempotency key reused with a different request")]
    IdempotencyConflict,
    /// Wrong login or password, or an account that may not sign in.
    #[error("invalid credentials")]
    InvalidCredentials,
    /// The application changed since its state was read: the transition no longer applies.
    #[error("the application changed: transition refused")]
    IllegalTransition,
}

impl StoreError {
    /// A stored value that cannot be read back, named for the log.
    pub fn unreadable(what: impl Into<std::borrow::Cow<'static, str>>) -> Self {
        Self::Unreadable(what.into())
    }

    /// Which integrity constraint the database refused a write for, if that is what happened.
    pub fn constraint(&self) -> Option<Constraint> {
        let Self::Database(sqlx::Error::Database(db)) = self else { return None };
        match db.kind() {
            sqlx::error::ErrorKind::UniqueViolation => Some(Constraint::Unique),
            sqlx::error::ErrorKind::ForeignKeyViolation => Some(Constraint::ForeignKey),
            sqlx::error::ErrorKind::CheckViolation | sqlx::error::ErrorKind::NotNullViolation => Some(Constraint::Check),
            _ => None,
        }
    }
}

/// An integrity constraint of the schema (the same on SQLite and PostgreSQL).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Constraint {
    /// A `UNIQUE` or primary key: the row exists already (a concurrent duplicate).
    Unique,
    /// A `REFERENCES`: the row refers to one that does not exist.
    ForeignKey,
    /// A `CHECK` or `NOT NULL`: the value is not allowed.
    Check,
}

/// What storage functions return.
pub type StoreResult<T> = Result<T, StoreError>;
