//! Applications: the current-state row, written with its events in one transaction.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde_json::json;
use sqlx::{Any, AnyConnection, AnyPool, Row, Transaction};
use telnuska_shared::api::{ApplicationStatus, ApplicationView, Channel, CollectionPlace, CreateApplicationRequest, HistoryEntry, Role, ServiceCode};
use telnuska_shared::application_number::ApplicationNumber;
use telnuska_shared::calendar::Calendar;
use telnuska_shared::workflow::{Action, Context, Started};

use super::batch::Batch;
use super::view::{decode, view_from_row, VIEW_COLUMNS};
use super::StoreError;
use crate::clock::{parse_stored, stored};

/// A new application, ready to be stored.
pub struct NewApplication<'a> {
    /// Id.
    pub id: String,
    /// The normalised request.
    pub request: &'a CreateApplicationRequest,
    /// Applicant's IIN.
    pub applicant_iin: &'a str,
    /// The phone of the person who applies (E.164): the applicant's, or the representative's
    /// when one acts. Every SMS about the application goes to it (column `applicant_phone`).
    pub contact_phone: &'a str,
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
    /// The college's review deadline, when the application starts at the provider (portal).
    pub review_by: Option<NaiveDate>,
    /// The registered kiosk it was sent from.
    pub kiosk_id: Option<&'a str>,
}

/// The next [`ApplicationNumber`]; the counter row serialises writers.
async fn next_number(tx: &mut Transaction<'_, Any>, year: i32) -> Result<String, StoreError> {
    let value: i64 = sqlx::query_scalar("UPDATE counters SET value = value + 1 WHERE name = 'application_number' RETURNING value").fetch_one(&mut **tx).await?;
    match (u16::try_from(year), u32::try_from(value)) {
        (Ok(year), Ok(sequence)) => Ok(ApplicationNumber::new(year, sequence).to_string()),
        _ => Err(StoreError::NumbersExhausted { year, value }),
    }
}

/// Inserts the application and its first event; returns its number. Reads what numbering and
/// the event log need; the rows join `writes`, which the caller runs (with its own writes) before
/// it commits.
pub async fn insert(
    tx: &mut Transaction<'_, Any>,
    writes: &mut Batch,
    app: &NewApplication<'_>,
    actor: &Actor,
    now: DateTime<Utc>,
) -> Result<String, StoreError> {
    let number = next_number(tx, app.registered_on.year()).await?;
    let institution = app.request.documents.first().map(|d| d.institution.as_str()).unwrap_or_default();
    let request_json = serde_json::to_string(app.request)?;
    let (register_name, routing_region) = super::institutions::intake_columns(app.request);
    let created_at = stored(now);
    writes
        .statement(
            "INSERT INTO applications (id, number, service, channel, status, applicant_iin, applicant_phone, institution, lang, \
             submitted_at, registered_on, due_on, tracking_token_hash, request_json, created_at, updated_at, collection_place, review_by, kiosk_id, \
             register_name, routing_region) VALUES (",
        )
        .push_list(
            [
                app.id.as_str(),
                &number,
                app.request.service.code(),
                app.request.channel.code(),
                app.status.code(),
                app.applicant_iin,
                app.contact_phone,
                institution,
                app.lang,
                &stored(app.submitted_at),
                &app.registered_on.to_string(),
                &app.due_on.to_string(),
                &app.tracking_token_hash,
                &request_json,
                &created_at,
                &created_at,
                app.request.collection.as_ref().map_or(CollectionPlace::Con, |c| c.place).code(),
            ]
            .map(str::to_owned),
        )
        .push(", ")
        .push_list([app.review_by.map(|d| d.to_string()), app.kiosk_id.map(str::to_owned), Some(register_name), routing_region])
        .push(")");
    let mut payload = json!({
        "number": number,
        "registered_on": app.registered_on,
        "due_on": app.due_on,
        "submitted_at": app.submitted_at,
        "request": app.request,
    });
    if let Some(kiosk) = app.kiosk_id {
        payload["kiosk_id"] = json!(kiosk);
    }
    let event = NewEvent { application_id: &app.id, actor, kind: "submitted", status: app.status, note: None, payload: &payload, at: app.submitted_at };
    append_first_event(tx, writes, &event).await?;
    Ok(number)
}

/// What access checks need to know about an application.
pub struct AccessInfo {
    /// SHA-256 of its tracking token.
    pub tracking_token_hash: String,
    /// The institution it goes to.
    pub institution: String,
}

/// Access information, or `None` for an unknown id.
pub async fn access_info(pool: &AnyPool, id: &str) -> Result<Option<AccessInfo>, StoreError> {
    let row = sqlx::query("SELECT tracking_token_hash, institution FROM applications WHERE id = $1").bind(id).fetch_optional(pool).await?;
    row.map(|r| Ok(AccessInfo { tracking_token_hash: r.try_get("tracking_token_hash")?, institution: r.try_get("institution")? })).transpose()
}

/// The application with its history, or `None`.
pub async fn get(pool: &AnyPool, id: &str) -> Result<Option<ApplicationView>, StoreError> {
    let mut conn = pool.acquire().await?;
    get_in(&mut conn, id).await
}

/// [`get`] on a given connection (inside a transaction, to answer with what it wrote).
pub async fn get_in(conn: &mut AnyConnection, id: &str) -> Result<Option<ApplicationView>, StoreError> {
    let Some(row) = sqlx::query(&format!("SELECT {VIEW_COLUMNS} FROM applications WHERE id = $1")).bind(id).fetch_optional(&mut *conn).await? else {
        return Ok(None);
    };
    // The provider's internal steps keep the stage; the applicant's history shows stages only.
    let events =
        sqlx::query("SELECT at, status, actor_role, note, payload FROM application_events WHERE application_id = $1 AND kind <> 'record_step' ORDER BY seq")
            .bind(id)
            .fetch_all(&mut *conn)
            .await?;
    let history = events
        .iter()
        .map(|e| {
            let at = decode("event time", parse_stored(&e.try_get::<String, _>("at")?))?;
            Ok(HistoryEntry {
                at,
                status: decode("event status", ApplicationStatus::from_code(&e.try_get::<String, _>("status")?))?,
                by_role: decode("event role", Role::from_code(&e.try_get::<String, _>("actor_role")?))?,
                note: e.try_get("note")?,
                performed_at: performed_at_of(e.try_get("payload")?, at),
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
    view_from_row(&row, history).map(Some)
}

/// The key of an event's payload that keeps the device's time of an action done offline.
const PERFORMED_AT: &str = "performed_at";

/// The device's time of an event recorded at `at`, from its stored payload, when it differs.
pub(crate) fn performed_at_of(payload: Option<String>, at: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let payload = serde_json::from_str::<serde_json::Value>(payload.as_deref()?).ok()?;
    payload.get(PERFORMED_AT)?.as_str().and_then(parse_stored).filter(|device| device.timestamp() != at.timestamp())
}

/// What the workflow's guards need of an application.
pub struct WorkflowFacts {
    /// Current status.
    pub status: ApplicationStatus,
    /// The service.
    pub service: ServiceCode,
    /// Where the result is collected.
    pub collection: CollectionPlace,
    /// Until when the applicant may object to a preliminary refusal.
    pub objection_until: Option<DateTime<Utc>>,
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
pub async fn workflow_facts(tx: &mut Transaction<'_, Any>, id: &str) -> Result<Option<WorkflowFacts>, StoreError> {
    let row = sqlx::query(
        "SELECT status, service, collection_place, objection_until, channel, institution, due_on, result_made, hearing_at, at_con_since \
         FROM applications WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some(row) = row else { return Ok(None) };
    let instant = |c: &str| -> Result<Option<DateTime<Utc>>, StoreError> { Ok(row.try_get::<Option<String>, _>(c)?.as_deref().and_then(parse_stored)) };
    Ok(Some(WorkflowFacts {
        status: decode("status", ApplicationStatus::from_code(&row.try_get::<String, _>("status")?))?,
        service: decode("service", ServiceCode::from_code(&row.try_get::<String, _>("service")?))?,
        collection: decode("collection_place", CollectionPlace::from_code(&row.try_get::<String, _>("collection_place")?))?,
        objection_until: instant("objection_until")?,
        channel: decode("channel", Channel::from_code(&row.try_get::<String, _>("channel")?))?,
        institution: row.try_get("institution")?,
        due_on: decode("due_on", row.try_get::<String, _>("due_on")?.parse().ok())?,
        result_made: row.try_get::<i64, _>("result_made")? != 0,
        hearing_at: instant("hearing_at")?,
        at_con_since: instant("at_con_since")?,
    }))
}

impl WorkflowFacts {
    /// The workflow's context for these facts at `now`.
    pub fn context<'a>(&self, now: DateTime<Utc>, calendar: &'a Calendar) -> Context<'a> {
        Context {
            now,
            calendar,
            service: self.service,
            channel: self.channel,
            collection: self.collection,
            objection_until: self.objection_until,
            due_on: self.due_on,
            result_made: self.result_made,
            hearing_at: self.hearing_at,
            at_con_since: self.at_con_since,
        }
    }
}

/// One transition to store: the states, the action, and the deadlines it starts.
pub struct Transition<'a> {
    /// The state it leaves.
    pub from: ApplicationStatus,
    /// The state it reaches.
    pub to: ApplicationStatus,
    /// What was done.
    pub action: &'a Action,
    /// The deadlines it starts.
    pub started: Started,
}

/// Moves an application from `from` to `to` and records the event; fails with a workflow
/// conflict if another request moved it first.
pub async fn apply_transition(tx: &mut Transaction<'_, Any>, id: &str, step: &Transition<'_>, actor: &Actor, now: DateTime<Utc>) -> Result<(), StoreError> {
    apply_transition_noted(tx, id, step, actor, None, None, now).await
}

/// [`apply_transition`] with a note on the event in place of the action's own (the identity
/// document shown at a hand-over, issue 17), and for an action a device did offline, its time by
/// the device's clock `performed_at`: the event is recorded at `now`, the device's time kept
/// beside it in the payload (so the event chain covers it; issue 18).
#[allow(clippy::too_many_arguments)]
pub async fn apply_transition_noted(
    tx: &mut Transaction<'_, Any>,
    id: &str,
    step: &Transition<'_>,
    actor: &Actor,
    extra_note: Option<&str>,
    performed_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Transition { from, to, action, started } = *step;
    let day = |d: Option<NaiveDate>| d.map(|d| d.to_string());
    let hearing_at = match action {
        Action::PreliminaryRefuse { hearing_at, .. } => Some(stored(*hearing_at)),
        _ => None,
    };
    let done = sqlx::query(
        "UPDATE applications SET status = $1, updated_at = $2, \
         result_made = CASE WHEN $1 = 'ready' THEN 1 ELSE result_made END, \
         hearing_at = COALESCE($3, hearing_at), \
         at_con_since = CASE WHEN $1 IN ('at_con', 'refusal_at_con') THEN $2 ELSE at_con_since END, \
         register_by = COALESCE($6, register_by), review_by = COALESCE($7, review_by), recall_by = COALESCE($8, recall_by), \
         objection_by = COALESCE($9, objection_by), objection_until = COALESCE($10, objection_until) \
         WHERE id = $4 AND status = $5",
    )
    .bind(to.code())
    .bind(stored(now))
    .bind(hearing_at)
    .bind(id)
    .bind(from.code())
    .bind(day(started.deadlines.register_by))
    .bind(day(started.deadlines.review_by))
    .bind(day(started.deadlines.recall_by))
    .bind(day(started.deadlines.objection_by))
    .bind(started.objection_until.map(stored))
    .execute(&mut **tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(StoreError::IllegalTransition);
    }
    let note = match action {
        Action::PreliminaryRefuse { place, .. } => place.as_deref(),
        Action::Refuse { note, .. } | Action::Object { note } => note.as_deref(),
        _ => extra_note,
    };
    let mut payload = serde_json::to_value(action)?;
    if let Some(at) = performed_at {
        payload[PERFORMED_AT] = serde_json::Value::String(stored(at));
    }
    append_event(tx, &NewEvent { application_id: id, actor, kind: action.code(), status: to, note, payload: &payload, at: now }).await
}

pub use super::chain::{append_event, append_first_event, Actor, NewEvent};
pub use super::view::watched;
