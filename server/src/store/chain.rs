//! The append-only event log of applications: every event's SHA-256 covers the previous one of
//! its application, so a changed, removed or reordered event is found by [`verify_chains`].

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{Any, AnyPool, Row, Transaction};
use telnuska_shared::api::{ApplicationStatus, Channel, Role};

use crate::clock::stored;
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
