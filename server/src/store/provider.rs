//! What the provider's console keeps beside the workflow: who holds an application, who opened
//! whose personal data, the head of an office, and the history with the names of who acted.

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{AnyConnection, AnyPool, Row};
use telnuska_shared::api::{ApplicationStatus, InternalStep, Role};

use super::writes::WriteGate;
use super::{Statement, StoreError};
use crate::clock::{parse_stored, stored};

/// A staff member as colleagues see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Colleague {
    /// Staff id.
    pub id: String,
    /// Login.
    pub login: String,
    /// Full name.
    pub full_name: String,
}

/// One event of an application with who did it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StaffHistoryEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// What happened: `submitted` or an action's code.
    pub kind: String,
    /// The status it led to.
    pub status: ApplicationStatus,
    /// The role of who did it.
    pub by_role: Role,
    /// Who did it, when staff.
    pub by: Option<Colleague>,
    /// The note (hearing place, reasoning).
    pub note: Option<String>,
    /// The internal registration number given on registration.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub registration_number: Option<String>,
    /// The internal step recorded (`record_step`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub step: Option<InternalStep>,
    /// The duplicate's series written in the issue journal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub series: Option<String>,
    /// The duplicate's blank number written in the issue journal.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// When it was done by the clock of the field device that queued it offline, when that
    /// differs from `at` (the server's time of recording it).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub performed_at: Option<DateTime<Utc>>,
}

/// One opening of an application's personal data.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessEntry {
    /// When.
    pub at: DateTime<Utc>,
    /// Who.
    pub by: Colleague,
}

fn colleague(row: &sqlx::any::AnyRow, prefix: &str) -> Result<Option<Colleague>, StoreError> {
    let id: Option<String> = row.try_get(format!("{prefix}id").as_str())?;
    let Some(id) = id else { return Ok(None) };
    Ok(Some(Colleague {
        id,
        login: row.try_get::<Option<String>, _>(format!("{prefix}login").as_str())?.unwrap_or_default(),
        full_name: row.try_get::<Option<String>, _>(format!("{prefix}full_name").as_str())?.unwrap_or_default(),
    }))
}

/// Who holds the application, if anyone.
pub async fn holder(conn: &mut AnyConnection, id: &str) -> Result<Option<Colleague>, StoreError> {
    let row = sqlx::query(
        "SELECT s.id AS s_id, s.login AS s_login, s.full_name AS s_full_name FROM applications a JOIN staff s ON s.id = a.assigned_to WHERE a.id = $1",
    )
    .bind(id)
    .fetch_optional(&mut *conn)
    .await?;
    match row {
        Some(row) => colleague(&row, "s_"),
        None => Ok(None),
    }
}

/// The holders of several applications, by application id.
pub async fn holders(pool: &AnyPool, ids: &[String]) -> Result<Vec<(String, Colleague)>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut held = Statement::new(
        "SELECT a.id AS application_id, s.id AS s_id, s.login AS s_login, s.full_name AS s_full_name \
         FROM applications a JOIN staff s ON s.id = a.assigned_to WHERE a.id IN (",
    );
    held.push_list(ids).push(")");
    let mut out = Vec::new();
    for row in held.build()?.fetch_all(pool).await? {
        if let Some(c) = colleague(&row, "s_")? {
            out.push((row.try_get("application_id")?, c));
        }
    }
    Ok(out)
}

/// Takes the application for `staff_id` unless a colleague holds it; returns the holder after
/// the attempt (the caller, or the colleague who keeps it).
pub async fn take(pool: &AnyPool, writes: &WriteGate, id: &str, staff_id: &str) -> Result<Option<Colleague>, StoreError> {
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("UPDATE applications SET assigned_to = $1 WHERE id = $2 AND (assigned_to IS NULL OR assigned_to = $1)")
        .bind(staff_id)
        .bind(id)
        .execute(written.conn())
        .await?;
    let holder = holder(written.conn(), id).await?;
    written.finish().await?;
    Ok(holder)
}

/// Releases the application, whoever holds it.
pub async fn release(pool: &AnyPool, writes: &WriteGate, id: &str) -> Result<(), StoreError> {
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("UPDATE applications SET assigned_to = NULL WHERE id = $1").bind(id).execute(written.conn()).await?;
    Ok(written.finish().await?)
}

/// Makes `login` the head of their office, or not; returns whether the account exists.
pub async fn set_head(pool: &AnyPool, login: &str, head: bool) -> Result<bool, StoreError> {
    let done = sqlx::query("UPDATE staff SET head = $1 WHERE login = $2").bind(i64::from(head)).bind(login).execute(pool).await?;
    Ok(done.rows_affected() == 1)
}

/// Records that `staff_id` opened the application's personal data.
pub async fn record_access(pool: &AnyPool, writes: &WriteGate, id: &str, staff_id: &str, now: DateTime<Utc>) -> Result<(), StoreError> {
    let mut written = writes.autocommit(pool).await?;
    sqlx::query("INSERT INTO personal_data_access (application_id, staff_id, at) VALUES ($1, $2, $3)")
        .bind(id)
        .bind(staff_id)
        .bind(stored(now))
        .execute(written.conn())
        .await?;
    Ok(written.finish().await?)
}

/// Who opened the application's personal data and when, oldest first.
pub async fn access_log(pool: &AnyPool, id: &str) -> Result<Vec<AccessEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT p.at, s.id AS s_id, s.login AS s_login, s.full_name AS s_full_name FROM personal_data_access p JOIN staff s ON s.id = p.staff_id \
         WHERE p.application_id = $1 ORDER BY p.seq",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    rows.iter()
        .map(|r| {
            let at = parse_stored(&r.try_get::<String, _>("at")?).ok_or_else(|| StoreError::unreadable("stored access time"))?;
            Ok(AccessEntry { at, by: colleague(r, "s_")?.ok_or_else(|| StoreError::unreadable("access without staff"))? })
        })
        .collect()
}

/// The application's events with who did them, oldest first; their number is the application's
/// version (each change is one event).
pub async fn history(conn: &mut AnyConnection, id: &str) -> Result<Vec<StaffHistoryEntry>, StoreError> {
    let rows = sqlx::query(
        "SELECT e.at, e.kind, e.status, e.actor_role, e.note, e.payload, s.id AS s_id, s.login AS s_login, s.full_name AS s_full_name \
         FROM application_events e LEFT JOIN staff s ON s.id = e.actor_id WHERE e.application_id = $1 ORDER BY e.seq",
    )
    .bind(id)
    .fetch_all(&mut *conn)
    .await?;
    rows.iter()
        .map(|r| {
            let bad = |what: &str| StoreError::unreadable(format!("event {what}"));
            let stored_payload: Option<String> = r.try_get("payload")?;
            let payload = stored_payload.as_deref().and_then(|p| serde_json::from_str::<serde_json::Value>(p).ok()).unwrap_or_default();
            let text = |name: &str| payload.get(name).and_then(|n| n.as_str()).map(str::to_string);
            let at = parse_stored(&r.try_get::<String, _>("at")?).ok_or_else(|| bad("time"))?;
            Ok(StaffHistoryEntry {
                at,
                kind: r.try_get("kind")?,
                status: ApplicationStatus::from_code(&r.try_get::<String, _>("status")?).ok_or_else(|| bad("status"))?,
                by_role: Role::from_code(&r.try_get::<String, _>("actor_role")?).ok_or_else(|| bad("role"))?,
                by: colleague(r, "s_")?,
                note: r.try_get("note")?,
                registration_number: text("registration_number"),
                step: text("step").as_deref().and_then(InternalStep::from_code),
                series: text("series"),
                number: text("number"),
                performed_at: super::applications::performed_at_of(stored_payload, at),
            })
        })
        .collect()
}

/// One line of the issue journal: a duplicate's own series and number as written when it was
/// approved (004 section 4 step 7).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct JournalLine {
    /// The application's id.
    pub application_id: String,
    /// The application's number.
    pub application_number: String,
    /// The institution that issued the duplicate.
    pub institution: String,
    /// The duplicate's series.
    pub series: String,
    /// The duplicate's blank number.
    pub number: String,
    /// When it was written.
    pub at: DateTime<Utc>,
    /// Who wrote it.
    pub by: Option<Colleague>,
}

/// The issue journal of `institutions`, oldest first: one line per entry (a corrected entry is
/// a line of its own, as in a paper journal).
pub async fn journal(pool: &AnyPool, institutions: &[String]) -> Result<Vec<JournalLine>, StoreError> {
    if institutions.is_empty() {
        return Ok(Vec::new());
    }
    let mut entries = Statement::new(
        "SELECT e.application_id, a.number, a.institution, e.at, e.payload, s.id AS s_id, s.login AS s_login, s.full_name AS s_full_name \
         FROM application_events e JOIN applications a ON a.id = e.application_id LEFT JOIN staff s ON s.id = e.actor_id \
         WHERE e.kind = 'record_step' AND a.institution IN (",
    );
    entries.push_list(institutions).push(") ORDER BY e.seq");
    let mut lines = Vec::new();
    for r in entries.build()?.fetch_all(pool).await? {
        let payload: Option<String> = r.try_get("payload")?;
        let payload = payload.and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok()).unwrap_or_default();
        let text = |name: &str| payload.get(name).and_then(|n| n.as_str()).map(str::to_string);
        let (Some(InternalStep::IssueJournal), Some(series), Some(number)) =
            (text("step").as_deref().and_then(InternalStep::from_code), text("series"), text("number"))
        else {
            continue;
        };
        lines.push(JournalLine {
            application_id: r.try_get("application_id")?,
            application_number: r.try_get("number")?,
            institution: r.try_get("institution")?,
            series,
            number,
            at: parse_stored(&r.try_get::<String, _>("at")?).ok_or_else(|| StoreError::unreadable("stored journal time"))?,
            by: colleague(&r, "s_")?,
        });
    }
    Ok(lines)
}
