//! Applications: the current-state row and the append-only, hash-chained event log.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::json;
use sqlx::any::AnyRow;
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};
use telnuska_shared::api::{ApplicationStatus, ApplicationView, Channel, CreateApplicationRequest, HistoryEntry, Role, ServiceCode};
use telnuska_shared::workflow::Action;

use crate::clock::{parse_stored, stored};
use crate::error::ApiError;
use crate::secrets::sha256_hex;

/// The `prev_hash` of an application's first event.
const GENESIS_HASH: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Who did something, as recorded in an event.
#[derive(Debug, Clone)]
pub struct Actor {
    /// Role.
    pub role: Role,
    /// Staff id, if staff.
    pub id: Option<String>,
    /// Through which channel.
    pub channel: Channel,
}

/// A new application, ready to be stored.
pub struct NewApplication<'a> {
    /// Id.
    pub id: String,
    /// The normalised request.
    pub request: &'a CreateApplicationRequest,
    /// Applicant's IIN.
    pub applicant_iin: &'a str,
    /// Applicant's phone (E.164).
    pub applicant_phone: &'a str,
    /// Language for notifications.
    pub lang: &'a str,
    /// When the papers were handed over.
    pub submitted_at: DateTime<Utc>,
    /// Registration day.
    pub registered_on: NaiveDate,
    /// Due day.
    pub due_on: NaiveDate,
    /// SHA-256 of the tracking token.
    pub tracking_token_hash: String,
    /// Initial status.
    pub status: ApplicationStatus,
}

/// The next human-readable number, `TN-<year>-<6 digits>`; the counter row serialises writers.
async fn next_number(tx: &mut Transaction<'_, Any>, year: i32) -> Result<String, ApiError> {
    let value: i64 = sqlx::query_scalar("UPDATE counters SET value = value + 1 WHERE name = 'application_number' RETURNING value")
        .fetch_one(&mut **tx)
        .await?;
    Ok(format!("TN-{year}-{value:06}"))
}

/// Inserts the application and its first event; returns its number.
pub async fn insert(tx: &mut Transaction<'_, Any>, app: &NewApplication<'_>, actor: &Actor, now: DateTime<Utc>) -> Result<String, ApiError> {
    let number = next_number(tx, app.registered_on.year()).await?;
    let institution = app.request.documents.first().map(|d| d.institution.as_str()).unwrap_or_default();
    let request_json = serde_json::to_string(app.request).map_err(|e| ApiError::Internal(e.to_string()))?;
    sqlx::query(
        "INSERT INTO applications (id, number, service, channel, status, applicant_iin, applicant_phone, institution, lang, \
         submitted_at, registered_on, due_on, tracking_token_hash, request_json, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15)",
    )
    .bind(&app.id)
    .bind(&number)
    .bind(app.request.service.code())
    .bind(app.request.channel.code())
    .bind(app.status.code())
    .bind(app.applicant_iin)
    .bind(app.applicant_phone)
    .bind(institution)
    .bind(app.lang)
    .bind(stored(app.submitted_at))
    .bind(app.registered_on.to_string())
    .bind(app.due_on.to_string())
    .bind(&app.tracking_token_hash)
    .bind(&request_json)
    .bind(stored(now))
    .execute(&mut **tx)
    .await?;
    let payload = json!({
        "number": number,
        "registered_on": app.registered_on,
        "due_on": app.due_on,
        "submitted_at": app.submitted_at,
        "request": app.request,
    });
    append_event(tx, &app.id, actor, "submitted", app.status, None, &payload, app.submitted_at).await?;
    Ok(number)
}

/// What an event's hash covers, as stored.
pub struct EventFields<'a> {
    /// The application.
    pub application_id: &'a str,
    /// When (as stored).
    pub at: &'a str,
    /// Role code.
    pub actor_role: &'a str,
    /// Staff id.
    pub actor_id: Option<&'a str>,
    /// Channel code.
    pub channel: &'a str,
    /// Event kind.
    pub kind: &'a str,
    /// Status code reached.
    pub status: &'a str,
    /// Note.
    pub note: Option<&'a str>,
    /// Payload.
    pub payload: &'a serde_json::Value,
}

impl EventFields<'_> {
    /// SHA-256 over the previous hash and this event's canonical JSON (keys sorted), so that
    /// changing, removing or reordering any stored event breaks every later hash.
    pub fn chain_hash(&self, prev_hash: &str) -> String {
        let body = json!({
            "application_id": self.application_id,
            "at": self.at,
            "actor_role": self.actor_role,
            "actor_id": self.actor_id,
            "channel": self.channel,
            "kind": self.kind,
            "status": self.status,
            "note": self.note,
            "payload": self.payload,
        });
        sha256_hex(format!("{prev_hash}{body}"))
    }
}

/// An application whose stored chain does not verify.
#[derive(Debug, Clone, serde::Serialize)]
pub struct BrokenChain {
    /// The application.
    pub application_id: String,
    /// The first event (log cursor) whose hash does not match.
    pub at_cursor: i64,
}

/// Recomputes every application's hash chain; returns (events checked, broken chains).
pub async fn verify_chains(pool: &AnyPool) -> Result<(u64, Vec<BrokenChain>), ApiError> {
    let rows = sqlx::query(
        "SELECT application_id, at, actor_role, actor_id, channel, kind, status, note, payload, prev_hash, hash, cursor \
         FROM application_events ORDER BY application_id, seq",
    )
    .fetch_all(pool)
    .await?;
    let (mut checked, mut broken) = (0, Vec::new());
    let mut expected_prev = String::new();
    let mut current = String::new();
    let mut skip = false;
    for r in &rows {
        let id: String = r.try_get("application_id")?;
        if id != current {
            current = id.clone();
            expected_prev = GENESIS_HASH.to_string();
            skip = false;
        }
        checked += 1;
        if skip {
            continue;
        }
        let (at, role, channel, kind, status): (String, String, String, String, String) =
            (r.try_get("at")?, r.try_get("actor_role")?, r.try_get("channel")?, r.try_get("kind")?, r.try_get("status")?);
        let (actor_id, note): (Option<String>, Option<String>) = (r.try_get("actor_id")?, r.try_get("note")?);
        let payload: serde_json::Value = serde_json::from_str(&r.try_get::<String, _>("payload")?).unwrap_or(serde_json::Value::Null);
        let event = EventFields {
            application_id: &id,
            at: &at,
            actor_role: &role,
            actor_id: actor_id.as_deref(),
            channel: &channel,
            kind: &kind,
            status: &status,
            note: note.as_deref(),
            payload: &payload,
        };
        let (prev, hash): (String, String) = (r.try_get("prev_hash")?, r.try_get("hash")?);
        if prev != expected_prev || event.chain_hash(&prev) != hash {
            broken.push(BrokenChain { application_id: id, at_cursor: r.try_get("cursor")? });
            skip = true;
        }
        expected_prev = hash;
    }
    Ok((checked, broken))
}

/// Appends an event to an application's chain.
#[allow(clippy::too_many_arguments)]
pub async fn append_event(
    tx: &mut Transaction<'_, Any>,
    application_id: &str,
    actor: &Actor,
    kind: &str,
    status: ApplicationStatus,
    note: Option<&str>,
    payload: &serde_json::Value,
    at: DateTime<Utc>,
) -> Result<(), ApiError> {
    let prev_hash: String = sqlx::query_scalar("SELECT hash FROM application_events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1")
        .bind(application_id)
        .fetch_optional(&mut **tx)
        .await?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let event = EventFields {
        application_id,
        at: &stored(at),
        actor_role: actor.role.code(),
        actor_id: actor.id.as_deref(),
        channel: actor.channel.code(),
        kind,
        status: status.code(),
        note,
        payload,
    };
    let hash = event.chain_hash(&prev_hash);
    let cursor: i64 = sqlx::query_scalar("UPDATE counters SET value = value + 1 WHERE name = 'event_cursor' RETURNING value")
        .fetch_one(&mut **tx)
        .await?;
    sqlx::query(
        "INSERT INTO application_events (application_id, at, actor_role, actor_id, channel, kind, status, note, payload, prev_hash, hash, cursor) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
    )
    .bind(application_id)
    .bind(stored(at))
    .bind(actor.role.code())
    .bind(actor.id.as_deref())
    .bind(actor.channel.code())
    .bind(kind)
    .bind(status.code())
    .bind(note)
    .bind(payload.to_string())
    .bind(prev_hash)
    .bind(hash)
    .bind(cursor)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// What access checks need to know about an application.
pub struct AccessInfo {
    /// SHA-256 of its tracking token.
    pub tracking_token_hash: String,
    /// The institution it goes to.
    pub institution: String,
}

/// Access information, or `None` for an unknown id.
pub async fn access_info(pool: &AnyPool, id: &str) -> Result<Option<AccessInfo>, ApiError> {
    let row = sqlx::query("SELECT tracking_token_hash, institution FROM applications WHERE id = $1").bind(id).fetch_optional(pool).await?;
    row.map(|r| Ok(AccessInfo { tracking_token_hash: r.try_get("tracking_token_hash")?, institution: r.try_get("institution")? }))
        .transpose()
}

fn decode<T>(field: &str, value: Option<T>) -> Result<T, ApiError> {
    value.ok_or_else(|| ApiError::Internal(format!("stored {field} cannot be read")))
}

fn view_from_row(row: &AnyRow, history: Vec<HistoryEntry>) -> Result<ApplicationView, ApiError> {
    let text = |c: &str| row.try_get::<String, _>(c);
    Ok(ApplicationView {
        id: text("id")?,
        number: text("number")?,
        service: decode("service", ServiceCode::from_code(&text("service")?))?,
        channel: decode("channel", Channel::from_code(&text("channel")?))?,
        status: decode("status", ApplicationStatus::from_code(&text("status")?))?,
        registered_on: decode("registered_on", text("registered_on")?.parse().ok())?,
        due_on: decode("due_on", text("due_on")?.parse().ok())?,
        submitted_at: decode("submitted_at", parse_stored(&text("submitted_at")?))?,
        history,
        request: serde_json::from_str(&text("request_json")?).map_err(|e| ApiError::Internal(e.to_string()))?,
        deadline_state: Some(text("deadline_state")?),
    })
}

const VIEW_COLUMNS: &str = "id, number, service, channel, status, registered_on, due_on, submitted_at, request_json, deadline_state";

/// The application with its history, or `None`.
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<ApplicationView>, ApiError> {
    let mut conn = pool.acquire().await?;
    get_in(&mut conn, id).await
}

/// [`get`] on a given connection (inside a transaction, to answer with what it wrote).
pub async fn get_in(conn: &mut AnyConnection, id: &str) -> Result<Option<ApplicationView>, ApiError> {
    let Some(row) = sqlx::query(&format!("SELECT {VIEW_COLUMNS} FROM applications WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    let events = sqlx::query("SELECT at, status, actor_role, note FROM application_events WHERE application_id = $1 ORDER BY seq")
        .bind(id)
        .fetch_all(&mut *conn)
        .await?;
    let history = events
        .iter()
        .map(|e| {
            Ok(HistoryEntry {
                at: decode("event time", parse_stored(&e.try_get::<String, _>("at")?))?,
                status: decode("event status", ApplicationStatus::from_code(&e.try_get::<String, _>("status")?))?,
                by_role: decode("event role", Role::from_code(&e.try_get::<String, _>("actor_role")?))?,
                note: e.try_get("note")?,
            })
        })
        .collect::<Result<Vec<_>, ApiError>>()?;
    view_from_row(&row, history).map(Some)
}

/// What the workflow's guards need of an application.
pub struct WorkflowFacts {
    /// Current status.
    pub status: ApplicationStatus,
    /// Channel it came through.
    pub channel: Channel,
    /// Institution it goes to.
    pub institution: String,
    /// Due date.
    pub due_on: NaiveDate,
    /// Whether the provider has made the result.
    pub result_made: bool,
    /// The scheduled hearing.
    pub hearing_at: Option<DateTime<Utc>>,
    /// Since when it waits at ЦОН.
    pub at_con_since: Option<DateTime<Utc>>,
}

/// The workflow facts of an application, read inside the transaction that changes it.
pub async fn workflow_facts(tx: &mut Transaction<'_, Any>, id: &str) -> Result<Option<WorkflowFacts>, ApiError> {
    let row = sqlx::query("SELECT status, channel, institution, due_on, result_made, hearing_at, at_con_since FROM applications WHERE id = $1")
        .bind(id)
        .fetch_optional(&mut **tx)
        .await?;
    let Some(row) = row else { return Ok(None) };
    let instant = |c: &str| -> Result<Option<DateTime<Utc>>, ApiError> { Ok(row.try_get::<Option<String>, _>(c)?.as_deref().and_then(parse_stored)) };
    Ok(Some(WorkflowFacts {
        status: decode("status", ApplicationStatus::from_code(&row.try_get::<String, _>("status")?))?,
        channel: decode("channel", Channel::from_code(&row.try_get::<String, _>("channel")?))?,
        institution: row.try_get("institution")?,
        due_on: decode("due_on", row.try_get::<String, _>("due_on")?.parse().ok())?,
        result_made: row.try_get::<i64, _>("result_made")? != 0,
        hearing_at: instant("hearing_at")?,
        at_con_since: instant("at_con_since")?,
    }))
}

/// Moves an application from `from` to `to` and records the event; fails with a workflow
/// conflict if another request moved it first.
pub async fn apply_transition(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    from: ApplicationStatus,
    to: ApplicationStatus,
    action: &Action,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let hearing_at = match action {
        Action::PreliminaryRefuse { hearing_at, .. } => Some(stored(*hearing_at)),
        _ => None,
    };
    let done = sqlx::query(
        "UPDATE applications SET status = $1, updated_at = $2, \
         result_made = CASE WHEN $1 = 'ready' THEN 1 ELSE result_made END, \
         hearing_at = COALESCE($3, hearing_at), \
         at_con_since = CASE WHEN $1 = 'at_con' THEN $2 ELSE at_con_since END \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(stored(now))
    .bind(hearing_at)
    .bind(id)
    .bind(from.code())
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ApiError::Workflow("workflow.illegal_transition"));
    }
    let note = match action {
        Action::PreliminaryRefuse { place, .. } => place.as_deref(),
        Action::Refuse { note, .. } => note.as_deref(),
        _ => None,
    };
    let payload = serde_json::to_value(action).map_err(|e| ApiError::Internal(e.to_string()))?;
    append_event(tx, id, actor, action.code(), to, note, &payload, now).await
}

/// A page of the work queue, soonest deadline first.
pub struct QueuePage {
    /// Applications on this page (without history).
    pub items: Vec<ApplicationView>,
    /// Cursor of the next page.
    pub next_cursor: Option<String>,
}

/// Filters of the work queue.
#[derive(Debug, Default)]
pub struct QueueFilter {
    /// Only this status.
    pub status: Option<ApplicationStatus>,
    /// Only due before this day.
    pub due_before: Option<NaiveDate>,
    /// Only these institutions (`None`: all).
    pub institutions: Option<Vec<String>>,
    /// Continue after this cursor (`due_on|id`).
    pub cursor: Option<(String, String)>,
    /// Page size.
    pub limit: i64,
}

/// The work queue.
pub async fn queue(pool: &AnyPool, filter: &QueueFilter) -> Result<QueuePage, ApiError> {
    let mut sql = format!("SELECT {VIEW_COLUMNS} FROM applications WHERE 1 = 1");
    let mut binds: Vec<String> = Vec::new();
    // Pushes a bound value and returns its `$n` placeholder.
    let mut bind = |value: String| {
        binds.push(value);
        format!("${}", binds.len())
    };
    if let Some(status) = filter.status {
        sql.push_str(&format!(" AND status = {}", bind(status.code().to_string())));
    }
    if let Some(day) = filter.due_before {
        sql.push_str(&format!(" AND due_on < {}", bind(day.to_string())));
    }
    if let Some(institutions) = &filter.institutions {
        if institutions.is_empty() {
            return Ok(QueuePage { items: Vec::new(), next_cursor: None });
        }
        let placeholders: Vec<String> = institutions.iter().map(|i| bind(i.clone())).collect();
        sql.push_str(&format!(" AND institution IN ({})", placeholders.join(", ")));
    }
    if let Some((due, id)) = &filter.cursor {
        let (due, id) = (bind(due.clone()), bind(id.clone()));
        sql.push_str(&format!(" AND (due_on > {due} OR (due_on = {due} AND id > {id}))"));
    }
    sql.push_str(&format!(" ORDER BY due_on, id LIMIT {}", filter.limit + 1));
    let mut query = sqlx::query(&sql);
    for value in &binds {
        query = query.bind(value);
    }
    let rows = query.fetch_all(pool).await?;
    let mut items = rows.iter().map(|r| view_from_row(r, Vec::new())).collect::<Result<Vec<_>, _>>()?;
    let next_cursor = if items.len() as i64 > filter.limit {
        items.truncate(filter.limit as usize);
        items.last().map(|last| format!("{}|{}", last.due_on, last.id))
    } else {
        None
    };
    Ok(QueuePage { items, next_cursor })
}
