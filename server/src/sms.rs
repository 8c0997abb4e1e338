//! SMS delivery: the outbox is drained by the job through an [`SmsGateway`], with retries and
//! exponential backoff. In demo mode the development outbox keeps messages readable at
//! `/api/dev/sms` instead of sending them.

use std::time::Duration;

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{AnyPool, Row};

use crate::clock::stored;
use crate::error::ApiError;

/// Tries before a message is given up as failed (about 4 hours of backoff in all).
pub const MAX_SMS_ATTEMPTS: i64 = 8;
/// Messages sent per job pass.
const BATCH: i64 = 100;

/// Where SMS messages go.
#[derive(Debug, Clone)]
pub enum SmsGateway {
    /// Demo: nothing leaves the server; messages stay readable in the outbox.
    DevOutbox,
    /// A real HTTP gateway: `POST url` with `{"to","text"}` and `Authorization: Bearer key`.
    Http {
        /// Endpoint.
        url: String,
        /// API key.
        key: String,
        /// Client.
        client: reqwest::Client,
    },
    /// Not configured: messages wait in the outbox until a gateway is set.
    Unconfigured,
}

impl SmsGateway {
    /// The gateway the configuration asks for.
    pub fn from_config(demo: bool, url: Option<String>, key: Option<String>) -> Self {
        match (url, demo) {
            (Some(url), _) => Self::Http {
                url,
                key: key.unwrap_or_default(),
                client: reqwest::Client::builder().timeout(Duration::from_secs(10)).build().unwrap_or_default(),
            },
            (None, true) => Self::DevOutbox,
            (None, false) => Self::Unconfigured,
        }
    }

    async fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        match self {
            Self::DevOutbox => Ok(()),
            Self::Unconfigured => Err("no SMS gateway configured (TELNUSKA_SMS_URL)".into()),
            Self::Http { url, key, client } => {
                let res = client.post(url).bearer_auth(key).json(&json!({ "to": phone, "text": text })).send().await.map_err(|e| e.to_string())?;
                if res.status().is_success() { Ok(()) } else { Err(format!("gateway answered {}", res.status())) }
            }
        }
    }
}

/// Delay before the next try: 1, 2, 4 … minutes.
fn backoff(attempts: i64) -> chrono::Duration {
    chrono::Duration::minutes(1 << attempts.clamp(0, 10))
}

/// Counts of one drain.
#[derive(Debug, Default, Clone, Copy, serde::Serialize, utoipa::ToSchema)]
pub struct DrainReport {
    /// Delivered.
    pub sent: u64,
    /// Will be retried.
    pub retrying: u64,
    /// Given up.
    pub failed: u64,
}

/// Sends what is due in the outbox.
pub async fn drain(pool: &AnyPool, gateway: &SmsGateway, now: DateTime<Utc>) -> Result<DrainReport, ApiError> {
    let mut report = DrainReport::default();
    if matches!(gateway, SmsGateway::Unconfigured) {
        return Ok(report);
    }
    let due = sqlx::query(
        "SELECT id, phone, text, attempts FROM sms_outbox WHERE status = 'queued' AND (next_attempt_at IS NULL OR next_attempt_at <= $1) \
         ORDER BY created_at LIMIT $2",
    )
    .bind(stored(now))
    .bind(BATCH)
    .fetch_all(pool)
    .await?;
    for row in due {
        let id: String = row.try_get("id")?;
        let attempts = row.try_get::<i64, _>("attempts")? + 1;
        match gateway.send(&row.try_get::<String, _>("phone")?, &row.try_get::<String, _>("text")?).await {
            Ok(()) => {
                sqlx::query("UPDATE sms_outbox SET status = 'sent', attempts = $1, sent_at = $2 WHERE id = $3")
                    .bind(attempts)
                    .bind(stored(now))
                    .bind(&id)
                    .execute(pool)
                    .await?;
                report.sent += 1;
            }
            Err(error) => {
                let give_up = attempts >= MAX_SMS_ATTEMPTS;
                tracing::warn!(sms = %id, attempts, %error, "SMS not delivered");
                sqlx::query("UPDATE sms_outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $5")
                    .bind(if give_up { "failed" } else { "queued" })
                    .bind(attempts)
                    .bind(stored(now + backoff(attempts)))
                    .bind(error)
                    .bind(&id)
                    .execute(pool)
                    .await?;
                if give_up { report.failed += 1 } else { report.retrying += 1 }
            }
        }
    }
    Ok(report)
}
