//! Notifications to applicants: SMS texts in the applicant's language, queued in the outbox in
//! the same transaction as the change they announce (000: an SMS when the result is ready;
//! 003 item 58: the hearing's time and place; the refusal; the return to the provider).

use chrono::{DateTime, Utc};
use sqlx::{Any, Row, Transaction};
use telnuska_shared::api::ApplicationStatus;
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::workflow::Action;

use crate::clock::stored;
use crate::error::ApiError;

/// The catalogue key of the SMS a new status announces, if any.
fn message_key(status: ApplicationStatus) -> Option<&'static str> {
    match status {
        ApplicationStatus::Ready => Some("sms.ready"),
        ApplicationStatus::HearingScheduled => Some("sms.hearing"),
        ApplicationStatus::Refused => Some("sms.refused"),
        ApplicationStatus::ReturnedToProvider => Some("sms.returned"),
        _ => None,
    }
}

/// Queues the SMS that a transition to `status` owes the applicant.
pub async fn enqueue_for_transition(tx: &mut Transaction<'_, Any>, id: &str, status: ApplicationStatus, action: &Action, now: DateTime<Utc>) -> Result<(), ApiError> {
    let Some(key) = message_key(status) else { return Ok(()) };
    let row = sqlx::query("SELECT number, applicant_phone, lang FROM applications WHERE id = $1").bind(id).fetch_one(&mut **tx).await?;
    let lang = Lang::from_code(&row.try_get::<String, _>("lang")?).unwrap_or_default();
    let phone: String = row.try_get("applicant_phone")?;
    let mut text = t(lang, key).replace("{number}", &row.try_get::<String, _>("number")?);
    if let Action::PreliminaryRefuse { hearing_at, place } = action {
        text = text
            .replace("{at}", &almaty_local(*hearing_at).format("%d.%m.%Y %H:%M").to_string())
            .replace("{place}", place.as_deref().unwrap_or(""));
    }
    sqlx::query("INSERT INTO sms_outbox (id, phone, text, code, status, attempts, created_at) VALUES ($1, $2, $3, NULL, 'queued', 0, $4)")
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(phone)
        .bind(text)
        .bind(stored(now))
        .execute(&mut **tx)
        .await?;
    Ok(())
}
