//! Reading the event log for sync: every change visible to a caller after a cursor.

use serde::Serialize;
use sqlx::{AnyPool, Row};

use super::{Statement, StoreError};

/// Most events in one pull; the caller pulls again from the returned cursor.
pub const PULL_LIMIT: i64 = 500;

/// One event as a device sees it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SyncEvent {
    /// Position in the log; pull again with the last one.
    pub cursor: String,
    /// The application.
    pub application_id: String,
    /// Its number.
    pub number: String,
    /// When it happened.
    pub at: String,
    /// What happened (`submitted`, `dispatch`, …).
    pub kind: String,
    /// The status it led to.
    pub status: String,
    /// Who did it.
    pub by_role: String,
    /// Through which channel.
    pub channel: String,
    /// Note, if any.
    pub note: Option<String>,
}

/// Which applications' events a caller may see.
pub enum Visibility {
    /// Every application (ЦОН staff, administrators).
    All,
    /// Applications of these institutions (provider staff).
    Institutions(Vec<String>),
    /// One application (its tracking token).
    Application(String),
}

/// Events after `since`, oldest first, at most [`PULL_LIMIT`].
pub async fn pull(pool: &AnyPool, visibility: &Visibility, since: i64) -> Result<Vec<SyncEvent>, StoreError> {
    let mut select = Statement::new(
        "SELECT e.cursor, e.application_id, a.number, e.at, e.kind, e.status, e.actor_role, e.channel, e.note \
         FROM application_events e JOIN applications a ON a.id = e.application_id WHERE e.cursor > ",
    );
    select.push_bind(since);
    match visibility {
        Visibility::All => {}
        Visibility::Institutions(list) if list.is_empty() => return Ok(Vec::new()),
        Visibility::Institutions(list) => {
            select.push(" AND a.institution IN (").push_list(list).push(")");
        }
        Visibility::Application(id) => {
            select.push(" AND e.application_id = ").push_bind(id);
        }
    }
    select.push(format_args!(" ORDER BY e.cursor LIMIT {PULL_LIMIT}"));
    let rows = select.build()?.fetch_all(pool).await?;
    rows.iter()
        .map(|r| {
            Ok(SyncEvent {
                cursor: r.try_get::<i64, _>("cursor")?.to_string(),
                application_id: r.try_get("application_id")?,
                number: r.try_get("number")?,
                at: r.try_get("at")?,
                kind: r.try_get("kind")?,
                status: r.try_get("status")?,
                by_role: r.try_get("actor_role")?,
                channel: r.try_get("channel")?,
                note: r.try_get("note")?,
            })
        })
        .collect()
}

/// The application a tracking token belongs to, if any.
pub async fn application_of_tracking_token(pool: &AnyPool, token_hash: &str) -> Result<Option<String>, StoreError> {
    Ok(sqlx::query_scalar("SELECT id FROM applications WHERE tracking_token_hash = $1").bind(token_hash).fetch_optional(pool).await?)
}
