//! An application's row as the API shows it: the columns read and their decoding, shared by
//! the single read, the queue and the routing queue.

use chrono::NaiveDate;
use sqlx::any::AnyRow;
use sqlx::Row;
use telnuska_shared::api::{ApplicationStatus, ApplicationView, Channel, HistoryEntry, ServiceCode, WatchedDeadlines};

use super::StoreError;
use crate::clock::parse_stored;

/// A decoded stored value, or the error naming `field` when it cannot be read.
pub(super) fn decode<T>(field: &str, value: Option<T>) -> Result<T, StoreError> {
    value.ok_or_else(|| StoreError::unreadable(field.to_string()))
}

/// An application as the API shows it, from a row of [`VIEW_COLUMNS`].
pub(super) fn view_from_row(row: &AnyRow, history: Vec<HistoryEntry>) -> Result<ApplicationView, StoreError> {
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
        request: serde_json::from_str(&text("request_json")?)?,
        deadline_state: Some(text("deadline_state")?),
        register_name: Some(text("register_name")?).filter(|n| !n.is_empty()),
        deadlines: Some(watched(row)?),
        kiosk_id: row.try_get("kiosk_id")?,
    })
}

/// The derived deadlines stored on an application row.
pub fn watched(row: &AnyRow) -> Result<WatchedDeadlines, StoreError> {
    let date = |c: &str| -> Result<Option<NaiveDate>, StoreError> { Ok(row.try_get::<Option<String>, _>(c)?.and_then(|d| d.parse().ok())) };
    Ok(WatchedDeadlines {
        register_by: date("register_by")?,
        review_by: date("review_by")?,
        recall_by: date("recall_by")?,
        objection_by: date("objection_by")?,
    })
}

/// The columns [`view_from_row`] reads.
pub(super) const VIEW_COLUMNS: &str =
    "id, number, service, channel, status, registered_on, due_on, submitted_at, request_json, deadline_state, register_name, register_by, review_by, recall_by, objection_by, kiosk_id";
