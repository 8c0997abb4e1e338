//! The state monitoring information system (003 item 64: the provider enters each stage of the
//! service into it). Each stage event is queued in the monitoring outbox in the event's own
//! transaction ([`enqueue`]), and the job reports what is due through a [`MonitoringSink`]
//! ([`drain`]) in event order, with retries and backoff as SMS have: over HTTP when configured,
//! to the log in demo mode, and otherwise kept waiting until a URL is set.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde::Serialize;
use sqlx::{AnyPool, Row};
use telnuska_shared::api::{ApplicationStatus, MonitoringState, StageMonitoring};

use crate::clock::{parse_stored, stored};
use crate::outbound::{backoff, DrainReport, Endpoint};
use crate::store::batch::Batch;

/// Stages reported per job pass.
const BATCH: i64 = 200;

/// One stage as the monitoring system receives it.
#[derive(Debug, Clone, Serialize)]
pub struct Stage {
    /// The event's position in the log: unique, so the system can drop a repeat.
    pub event: i64,
    /// The application's number.
    pub application: String,
    /// Its service.
    pub service: String,
    /// The institution that provides it.
    pub institution: String,
    /// What happened (`submitted`, `dispatch`, `approve` …).
    pub kind: String,
    /// The status reached.
    pub status: String,
    /// When (RFC 3339, UTC).
    pub at: String,
}

/// A boxed future of one report.
pub type Reporting<'a> = Pin<Box<dyn Future<Output = Result<(), String>> + Send + 'a>>;

/// Where stages are reported.
pub trait MonitoringSink: Send + Sync {
    /// Reports one stage; `Ok` once the system has taken it.
    fn report<'a>(&'a self, stage: &'a Stage) -> Reporting<'a>;

    /// Whether reports go anywhere: an unconfigured sink leaves the outbox as it is.
    fn configured(&self) -> bool {
        true
    }
}

/// `POST url` with the [`Stage`] as JSON and `Authorization: Bearer key`.
struct Http(Endpoint);

impl MonitoringSink for Http {
    fn report<'a>(&'a self, stage: &'a Stage) -> Reporting<'a> {
        Box::pin(self.0.post_json(stage))
    }
}

/// Demo mode: a stage is taken at once and logged.
struct Demo;

impl MonitoringSink for Demo {
    fn report<'a>(&'a self, stage: &'a Stage) -> Reporting<'a> {
        tracing::info!(application = %stage.application, status = %stage.status, "demo: stage reported to the monitoring system");
        Box::pin(async { Ok(()) })
    }
}

/// No system configured outside demo mode: stages wait in the outbox.
struct Unconfigured;

impl MonitoringSink for Unconfigured {
    fn report<'a>(&'a self, _: &'a Stage) -> Reporting<'a> {
        Box::pin(async { Err("no monitoring system configured (TELNUSKA_MONITORING_URL)".to_string()) })
    }

    fn configured(&self) -> bool {
        false
    }
}

/// The sink the configuration asks for (like the SMS gateway: a URL wins, else demo mode).
pub fn from_config(demo: bool, url: Option<String>, key: Option<crate::secrets::Secret>) -> Arc<dyn MonitoringSink> {
    match (url, demo) {
        (Some(url), _) => Arc::new(Http(Endpoint::new(url, key))),
        (None, true) => Arc::new(Demo),
        (None, false) => Arc::new(Unconfigured),
    }
}

/// Queues the report of the event at `cursor` of application `application_id`, with the event's
/// row (in its transaction): a stage is never recorded without its report.
pub fn enqueue(writes: &mut Batch, cursor: i64, application_id: &str) {
    writes
        .statement("INSERT INTO monitoring_outbox (cursor, application_id, status, attempts) VALUES (")
        .push_bind(cursor)
        .push(", ")
        .push_bind(application_id.to_owned())
        .push(", 'queued', 0)");
}

/// What one try changes in an outbox row.
struct Mark {
    cursor: i64,
    status: &'static str,
    attempts: i64,
    next_attempt_at: Option<String>,
    last_error: Option<String>,
    reported_at: Option<String>,
}

/// Reports the due stages in event order. A failure stops the pass (the stages behind it wait
/// for its retry), so the system receives each application's stages in the order they happened;
/// a stage given up after the last try no longer holds the others back.
pub async fn drain(
    pool: &AnyPool,
    writes: &crate::store::writes::WriteGate,
    sink: &dyn MonitoringSink,
    now: DateTime<Utc>,
) -> Result<DrainReport, sqlx::Error> {
    let mut report = DrainReport::default();
    if !sink.configured() {
        return Ok(report);
    }
    let rows = sqlx::query(
        "SELECT o.cursor, o.attempts, o.next_attempt_at, a.number, a.service, a.institution, e.kind, e.status, e.at \
         FROM monitoring_outbox o JOIN application_events e ON e.cursor = o.cursor JOIN applications a ON a.id = o.application_id \
         WHERE o.status = 'queued' ORDER BY o.cursor LIMIT $1",
    )
    .bind(BATCH)
    .fetch_all(pool)
    .await?;
    let mut marks = Vec::new();
    for row in rows {
        let due = row.try_get::<Option<String>, _>("next_attempt_at")?.and_then(|t| parse_stored(&t)).is_none_or(|t| t <= now);
        if !due {
            break;
        }
        let stage = Stage {
            event: row.try_get("cursor")?,
            application: row.try_get("number")?,
            service: row.try_get("service")?,
            institution: row.try_get("institution")?,
            kind: row.try_get("kind")?,
            status: row.try_get("status")?,
            at: row.try_get("at")?,
        };
        let attempts = row.try_get::<i64, _>("attempts")? + 1;
        match sink.report(&stage).await {
            Ok(()) => {
                report.sent += 1;
                marks.push(Mark { cursor: stage.event, status: "reported", attempts, next_attempt_at: None, last_error: None, reported_at: Some(stored(now)) });
            }
            Err(error) => {
                tracing::warn!(event = stage.event, attempts, %error, "stage not reported to the monitoring system");
                let give_up = report.count_failure(attempts);
                let status = if give_up { "failed" } else { "queued" };
                marks.push(Mark {
                    cursor: stage.event,
                    status,
                    attempts,
                    next_attempt_at: Some(stored(now + backoff(attempts))),
                    last_error: Some(error),
                    reported_at: None,
                });
                if !give_up {
                    break;
                }
            }
        }
    }
    // One transaction for the batch, as the SMS drain does (one write lock, one fsync on SQLite).
    let mut tx = writes.begin(pool).await?;
    for mark in &marks {
        sqlx::query(
            "UPDATE monitoring_outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = COALESCE($4, last_error), reported_at = $5 WHERE cursor = $6",
        )
        .bind(mark.status)
        .bind(mark.attempts)
        .bind(mark.next_attempt_at.as_deref())
        .bind(mark.last_error.as_deref())
        .bind(mark.reported_at.as_deref())
        .bind(mark.cursor)
        .execute(&mut **tx)
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}

/// Each stage of application `id`, oldest first, with whether it reached the monitoring system.
pub async fn stages_of(pool: &AnyPool, id: &str) -> Result<Vec<StageMonitoring>, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT e.at, e.status, o.status AS report, o.reported_at FROM application_events e LEFT JOIN monitoring_outbox o ON o.cursor = e.cursor \
         WHERE e.application_id = $1 ORDER BY e.seq",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut stages = Vec::with_capacity(rows.len());
    for row in rows {
        let (Some(at), Some(status)) = (parse_stored(&row.try_get::<String, _>("at")?), ApplicationStatus::from_code(&row.try_get::<String, _>("status")?))
        else {
            continue;
        };
        let state = match row.try_get::<Option<String>, _>("report")?.as_deref() {
            Some("reported") => MonitoringState::Reported,
            Some("failed") => MonitoringState::Failed,
            Some(_) => MonitoringState::Waiting,
            None => MonitoringState::NotQueued,
        };
        let reported_at = row.try_get::<Option<String>, _>("reported_at")?.and_then(|t| parse_stored(&t));
        stages.push(StageMonitoring { at, status, state, reported_at });
    }
    Ok(stages)
}
