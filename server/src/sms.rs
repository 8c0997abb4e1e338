//! SMS delivery: the outbox is drained by the job through an [`SmsGateway`], with retries and
//! exponential backoff. In demo mode the development outbox keeps messages readable at
//! `/api/dev/sms` instead of sending them. A real gateway's messages are redacted once sent or
//! given up ([`redact`]): the outbox keeps that a message went, not the code or link it carried.

use chrono::{DateTime, Utc};
use serde_json::json;
use sqlx::{AnyPool, Row};

use telnuska_shared::application::OTP_LENGTH;

use crate::clock::stored;
pub use crate::outbound::DrainReport;
use crate::outbound::{backoff, Endpoint};
use crate::store::writes::WriteGate;
use crate::store::StoreError;

/// Messages sent per job pass.
const BATCH: i64 = 100;

/// Where SMS messages go.
#[derive(Clone)]
pub enum SmsGateway {
    /// Demo: nothing leaves the server; messages stay readable in the outbox.
    DevOutbox,
    /// A real HTTP gateway: `POST url` with `{"to","text"}` and `Authorization: Bearer key`
    /// (its `Debug` masks the key).
    Http(Endpoint),
    /// Not configured: messages wait in the outbox until a gateway is set.
    Unconfigured,
}

impl std::fmt::Debug for SmsGateway {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::DevOutbox => f.write_str("DevOutbox"),
            Self::Unconfigured => f.write_str("Unconfigured"),
            Self::Http(endpoint) => f.debug_tuple("Http").field(endpoint).finish(),
        }
    }
}

/// Length of a tracking code written out in an SMS (a kiosk's receipt): 16 random bytes, base64url.
const TRACKING_CODE_CHARS: usize = 22;

/// A sent text as it may be kept: each link without its fragment (the tracking token), each
/// one-time code (a word of exactly [`OTP_LENGTH`] digits) and each tracking code written out (a
/// word of exactly [`TRACKING_CODE_CHARS`] base64url characters) masked.
pub fn redact(text: &str) -> String {
    text.split(' ')
        .map(|word| {
            let bare = word.trim_end_matches(['.', ',', ';', ':', '!', ')']);
            if word.contains("://") {
                word.split('#').next().unwrap_or_default().to_string()
            } else if bare.len() == OTP_LENGTH && bare.bytes().all(|b| b.is_ascii_digit()) {
                format!("{}{}", "*".repeat(OTP_LENGTH), &word[bare.len()..])
            } else if bare.len() == TRACKING_CODE_CHARS && bare.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
                format!("{}{}", "*".repeat(TRACKING_CODE_CHARS), &word[bare.len()..])
            } else {
                word.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

impl SmsGateway {
    /// The gateway the configuration asks for.
    pub fn from_config(demo: bool, url: Option<String>, key: Option<crate::secrets::Secret>) -> Self {
        match (url, demo) {
            (Some(url), _) => Self::Http(Endpoint::new(url, key)),
            (None, true) => Self::DevOutbox,
            (None, false) => Self::Unconfigured,
        }
    }

    async fn send(&self, phone: &str, text: &str) -> Result<(), String> {
        match self {
            Self::DevOutbox => Ok(()),
            Self::Unconfigured => Err("no SMS gateway configured (TELNUSKA_SMS_URL)".into()),
            Self::Http(endpoint) => endpoint.post_json(&json!({ "to": phone, "text": text })).await,
        }
    }
}

/// What one message's try changes in its outbox row.
struct Mark {
    id: String,
    status: &'static str,
    attempts: i64,
    sent_at: Option<String>,
    next_attempt_at: Option<String>,
    last_error: Option<String>,
    text: String,
}

/// Sends what is due in the outbox, then marks the whole batch in one transaction.
pub async fn drain(pool: &AnyPool, writes: &WriteGate, gateway: &SmsGateway, now: DateTime<Utc>) -> Result<DrainReport, StoreError> {
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
    // The development outbox exists to be read; every other gateway's texts are kept redacted.
    let keep_text = matches!(gateway, SmsGateway::DevOutbox);
    let mut marks = Vec::with_capacity(due.len());
    for row in due {
        let id: String = row.try_get("id")?;
        let attempts = row.try_get::<i64, _>("attempts")? + 1;
        let text: String = row.try_get("text")?;
        let kept = if keep_text { text.clone() } else { redact(&text) };
        let mark = match gateway.send(&row.try_get::<String, _>("phone")?, &text).await {
            Ok(()) => {
                report.sent += 1;
                Mark { id, status: "sent", attempts, sent_at: Some(stored(now)), next_attempt_at: None, last_error: None, text: kept }
            }
            Err(error) => {
                tracing::warn!(sms = %id, attempts, %error, "SMS not delivered");
                let give_up = report.count_failure(attempts);
                let (status, text) = if give_up { ("failed", kept) } else { ("queued", text) };
                Mark { id, status, attempts, sent_at: None, next_attempt_at: Some(stored(now + backoff(attempts))), last_error: Some(error), text }
            }
        };
        marks.push(mark);
    }
    // One transaction for the whole batch: on SQLite every commit takes the single write lock
    // and an fsync, so marking messages one by one made submissions (which queue their SMS in
    // their own transaction) wait behind the drain.
    let mut tx = writes.begin(pool).await?;
    for mark in &marks {
        sqlx::query(
            "UPDATE sms_outbox SET status = $1, attempts = $2, sent_at = COALESCE($3, sent_at), next_attempt_at = COALESCE($4, next_attempt_at), \
             last_error = COALESCE($5, last_error), text = $6 WHERE id = $7",
        )
        .bind(mark.status)
        .bind(mark.attempts)
        .bind(mark.sent_at.as_deref())
        .bind(mark.next_attempt_at.as_deref())
        .bind(mark.last_error.as_deref())
        .bind(&mark.text)
        .bind(&mark.id)
        .execute(&mut **tx)
        .await?;
    }
    tx.commit().await?;
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn redaction_drops_link_tokens_and_codes_but_keeps_the_message() {
        assert_eq!(redact("Telnuska: your code is 482915. Do not tell it to anyone."), "Telnuska: your code is ******. Do not tell it to anyone.");
        assert_eq!(
            redact("Telnuska: application TN-2026-000123 is accepted. Status: https://telnuska.kz/track/0f1e#AbC-d_ef0123456789xyzA"),
            "Telnuska: application TN-2026-000123 is accepted. Status: https://telnuska.kz/track/0f1e"
        );
        assert_eq!(redact("Hearing: 01.12.2026 10:00, room 12"), "Hearing: 01.12.2026 10:00, room 12");
        assert_eq!(
            redact("Due by 22.12.2026. Tracking code: AbC-d_ef0123456789xyzA. https://telnuska.kz/track/0f1e#AbC-d_ef0123456789xyzA"),
            "Due by 22.12.2026. Tracking code: **********************. https://telnuska.kz/track/0f1e"
        );
    }
}
