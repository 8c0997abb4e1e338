//! The append-only event log of applications, chained twice: every event's SHA-256 covers the
//! previous one of its application, so a changed, removed or reordered event is found by
//! [`verify_chains`]; and its `log_hash` covers the previous event of the whole log in commit
//! order, so an application deleted with all its events, or the log's tail cut off, is found by
//! [`verify_log`]. [`verify_rows`] replays each application's events against its row.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{Any, AnyPool, Row, Transaction};
use telnuska_shared::api::{ApplicationStatus, Channel, Role};

use super::batch::Batch;
use super::StoreError;
use crate::clock::stored;
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

/// The last event of the whole log: its position and its `log_hash`, which covers every event
/// before it in commit order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LogHead {
    /// The event's cursor.
    pub cursor: i64,
    /// Its `log_hash`.
    pub hash: String,
}

/// The log's head now (`None` while it is empty).
pub async fn log_head(pool: &AnyPool) -> Result<Option<LogHead>, sqlx::Error> {
    let row: Option<(i64, Option<String>)> =
        sqlx::query_as("SELECT cursor, log_hash FROM application_events ORDER BY cursor DESC LIMIT 1").fetch_optional(pool).await?;
    Ok(row.and_then(|(cursor, hash)| Some(LogHead { cursor, hash: hash? })))
}

/// The `log_hash` of the event at `cursor`, if there is one.
pub async fn log_hash_at(pool: &AnyPool, cursor: i64) -> Result<Option<String>, sqlx::Error> {
    let row: Option<(Option<String>,)> = sqlx::query_as("SELECT log_hash FROM application_events WHERE cursor = $1").bind(cursor).fetch_optional(pool).await?;
    Ok(row.and_then(|(hash,)| hash))
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
pub async fn verify_chains(pool: &AnyPool) -> Result<(u64, Vec<BrokenChain>), StoreError> {
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

/// An event about to be appended: what happened to which application, by whom, when.
pub struct NewEvent<'a> {
    /// The application.
    pub application_id: &'a str,
    /// Who did it.
    pub actor: &'a Actor,
    /// Event kind (an action's code, `submitted`, `route`).
    pub kind: &'a str,
    /// The status the application reached.
    pub status: ApplicationStatus,
    /// A note shown with the event (a place, a reason).
    pub note: Option<&'a str>,
    /// What the event carries.
    pub payload: &'a serde_json::Value,
    /// When it happened.
    pub at: DateTime<Utc>,
}

/// Appends an event to an application's chain.
pub async fn append_event(tx: &mut Transaction<'_, Any>, new: &NewEvent<'_>) -> Result<(), StoreError> {
    let prev_hash: String = sqlx::query_scalar("SELECT hash FROM application_events WHERE application_id = $1 ORDER BY seq DESC LIMIT 1")
        .bind(new.application_id)
        .fetch_optional(&mut **tx)
        .await?
        .unwrap_or_else(|| GENESIS_HASH.to_string());
    let mut writes = Batch::for_connection(tx);
    append_after(tx, &mut writes, prev_hash, new).await?;
    Ok(writes.run(tx).await?)
}

/// Appends the first event of an application stored in the same transaction: its chain starts
/// at the genesis hash, so there is nothing to read (intake is the busiest path). Its rows join
/// `writes`, which the caller runs.
pub async fn append_first_event(tx: &mut Transaction<'_, Any>, writes: &mut Batch, new: &NewEvent<'_>) -> Result<(), StoreError> {
    append_after(tx, writes, GENESIS_HASH.to_string(), new).await
}

/// Appends an event after the one whose hash is `prev_hash`: reads what the log-wide chain
/// needs, and adds the event's row and its report to the monitoring system to `writes`.
async fn append_after(tx: &mut Transaction<'_, Any>, writes: &mut Batch, prev_hash: String, new: &NewEvent<'_>) -> Result<(), StoreError> {
    let NewEvent { application_id, actor, kind, status, note, payload, at } = *new;
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
    // The counter row stays locked until this transaction commits, so cursors are handed out in
    // commit order without gaps and the previous cursor's event is committed (or our own).
    let cursor: i64 = sqlx::query_scalar("UPDATE counters SET value = value + 1 WHERE name = 'event_cursor' RETURNING value").fetch_one(&mut **tx).await?;
    let prev_log_hash: Option<String> =
        sqlx::query_scalar("SELECT log_hash FROM application_events WHERE cursor = $1").bind(cursor - 1).fetch_optional(&mut **tx).await?.flatten();
    let log_hash = log_chain_hash(prev_log_hash.as_deref().unwrap_or(GENESIS_HASH), cursor, &hash);
    writes
        .statement(
            "INSERT INTO application_events (application_id, at, actor_role, actor_id, channel, kind, status, note, payload, prev_hash, hash, cursor, log_hash) \
             VALUES (",
        )
        .push_list([application_id, &stored(at), actor.role.code()].map(str::to_owned))
        .push(", ")
        .push_bind(actor.id.clone())
        .push(", ")
        .push_list([actor.channel.code(), kind, status.code()].map(str::to_owned))
        .push(", ")
        .push_bind(note.map(str::to_owned))
        .push(", ")
        .push_list([payload.to_string(), prev_hash, hash])
        .push(", ")
        .push_bind(cursor)
        .push(", ")
        .push_bind(log_hash)
        .push(")");
    crate::monitoring::enqueue(writes, cursor, application_id);
    Ok(())
}

/// The log-wide link of the event with `cursor` and hash `event_hash` after the event whose log
/// hash is `prev_log_hash`.
fn log_chain_hash(prev_log_hash: &str, cursor: i64, event_hash: &str) -> String {
    sha256_hex(format!("{prev_log_hash}{cursor}{event_hash}"))
}

/// A break in the log-wide chain.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LogBreak {
    /// The cursor where the chain breaks (for a cut-off tail, the counter's value).
    pub at_cursor: i64,
    /// What is wrong: `missing_events` (a gap in the cursors), `changed` (a hash does not
    /// follow from the one before), `tail_missing` (the log ends before the counter does).
    pub reason: &'static str,
}

/// Recomputes the log-wide chain over every event that has one (those written since it was
/// introduced), in cursor order; the first break only, since every later link depends on it.
pub async fn verify_log(pool: &AnyPool) -> Result<Option<LogBreak>, StoreError> {
    let rows = sqlx::query("SELECT cursor, hash, log_hash FROM application_events WHERE log_hash IS NOT NULL ORDER BY cursor").fetch_all(pool).await?;
    let mut prev: Option<(i64, String)> = None;
    for r in &rows {
        let (cursor, hash, log_hash): (i64, String, String) = (r.try_get("cursor")?, r.try_get("hash")?, r.try_get("log_hash")?);
        let prev_log_hash = match &prev {
            Some((prev_cursor, _)) if cursor != prev_cursor + 1 => return Ok(Some(LogBreak { at_cursor: prev_cursor + 1, reason: "missing_events" })),
            Some((_, prev_log_hash)) => prev_log_hash.as_str(),
            None => GENESIS_HASH,
        };
        if log_chain_hash(prev_log_hash, cursor, &hash) != log_hash {
            return Ok(Some(LogBreak { at_cursor: cursor, reason: "changed" }));
        }
        prev = Some((cursor, log_hash));
    }
    let counter: i64 = sqlx::query_scalar("SELECT value FROM counters WHERE name = 'event_cursor'").fetch_one(pool).await?;
    let last: Option<i64> = sqlx::query_scalar("SELECT MAX(cursor) FROM application_events").fetch_one(pool).await?;
    if last.unwrap_or(0) < counter {
        return Ok(Some(LogBreak { at_cursor: counter, reason: "tail_missing" }));
    }
    Ok(None)
}

/// An application whose row says something its events do not.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RowMismatch {
    /// The application.
    pub application_id: String,
    /// The column that differs from what the events say.
    pub column: &'static str,
}

/// Replays each application's events against its row: the row's status is the last event's,
/// and its number, service, channel, dates and request are those its first event recorded, so
/// editing the row alone (events untouched) is found.
pub async fn verify_rows(pool: &AnyPool) -> Result<Vec<RowMismatch>, StoreError> {
    let rows = sqlx::query(
        "SELECT a.id, a.number, a.service, a.channel, a.status, a.registered_on, a.due_on, a.request_json, \
         (SELECT e.payload FROM application_events e WHERE e.application_id = a.id ORDER BY e.seq LIMIT 1) AS first_payload, \
         (SELECT e.status FROM application_events e WHERE e.application_id = a.id ORDER BY e.seq DESC LIMIT 1) AS last_status \
         FROM applications a ORDER BY a.id",
    )
    .fetch_all(pool)
    .await?;
    let mut mismatches = Vec::new();
    for r in &rows {
        let id: String = r.try_get("id")?;
        let (first_payload, last_status): (Option<String>, Option<String>) = (r.try_get("first_payload")?, r.try_get("last_status")?);
        let Some(created) = first_payload.and_then(|p| serde_json::from_str::<serde_json::Value>(&p).ok()) else {
            mismatches.push(RowMismatch { application_id: id, column: "events" });
            continue;
        };
        let request: serde_json::Value = serde_json::from_str(&r.try_get::<String, _>("request_json")?).unwrap_or(serde_json::Value::Null);
        let text = |v: &serde_json::Value| v.as_str().map(str::to_string);
        let checks: [(&'static str, Option<String>, Option<String>); 6] = [
            ("status", Some(r.try_get("status")?), last_status),
            ("number", Some(r.try_get("number")?), text(&created["number"])),
            ("service", Some(r.try_get("service")?), text(&created["request"]["service"])),
            ("channel", Some(r.try_get("channel")?), text(&created["request"]["channel"])),
            ("registered_on", Some(r.try_get("registered_on")?), text(&created["registered_on"])),
            ("due_on", Some(r.try_get("due_on")?), text(&created["due_on"])),
        ];
        mismatches.extend(checks.into_iter().filter(|(_, row, events)| row != events).map(|(column, ..)| RowMismatch { application_id: id.clone(), column }));
        if request != created["request"] {
            mismatches.push(RowMismatch { application_id: id.clone(), column: "request_json" });
        }
    }
    Ok(mismatches)
}
