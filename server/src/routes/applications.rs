//! Applying and reading applications: validate, create (idempotent), read, the staff queue.

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use axum::Json;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use telnuska_shared::api::{
    ApplicationStatus, ApplicationView, Channel, CreateApplicationRequest, CreatedApplication, ProblemFieldError, Role, Signature, StaffApplicationView,
    ValidationOutcome,
};
use telnuska_shared::application::{validate, ValidApplication, ValidationContext};
use telnuska_shared::application_number::ApplicationNumber;
use telnuska_shared::deadlines::Deadlines;
use telnuska_shared::device_time::{self, DeviceTime};
use telnuska_shared::i18n::notice_message;
use telnuska_shared::phone::Phone;
use telnuska_shared::reference::Reference;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{bearer_token, ApiJson, ApiPath, ApiQuery, ClientIp, IdempotencyKey, RequestLang};
use crate::routes::attachments::check_attachments_exist;
use crate::routes::auth::{staff_may_see, staff_of, Staff};
use crate::routes::graduates::register_evidence;
use crate::routes::idempotent::{caller_of, replay, Idempotent};
use crate::routes::kiosks::kiosk_of;
use crate::secrets::{hashes_equal, new_reader_token, sha256_hex};
use crate::state::AppState;
use crate::store::applications::{self as store, Actor, NewApplication};
use crate::store::batch::Batch;
use crate::store::idempotency::StoredResponse;
use crate::store::queue::{queue, QueueFilter};
use crate::store::staff::StaffMember;
use crate::store::{notifications, otp, tracking};

/// Idempotency scope of application creation.
const CREATE_SCOPE: &str = "applications.create";
/// Largest page of the work queue.
const MAX_PAGE: i64 = 100;

/// Its routes, each with its OpenAPI path.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(validate_application)).routes(routes!(create_application, list_queue)).routes(routes!(get_application))
}

/// Today, and the lists in force on this instance (no database read: `AppState::reference`).
fn validation_context<'a>(state: &AppState, reference: &'a Reference) -> ValidationContext<'a> {
    ValidationContext { today: state.clock.today(), reference }
}

#[tracing::instrument(skip_all)]
#[utoipa::path(post, path = "/api/applications/validate", tag = "applying", request_body = telnuska_shared::api::CreateApplicationRequest,
    responses((status = 200, body = telnuska_shared::api::ValidationOutcome), (status = 400, body = telnuska_shared::api::Problem), (status = 422, description = "Every failure at once", body = telnuska_shared::api::Problem)))]
async fn validate_application(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    ApiJson(req): ApiJson<CreateApplicationRequest>,
) -> Result<Json<ValidationOutcome>, ApiError> {
    validate(&req, &validation_context(&state, &state.reference())).map_err(ApiError::Validation)?;
    let notices = telnuska_shared::application::notices(&req)
        .into_iter()
        .map(|n| ProblemFieldError { field: n.field, code: n.code.to_string(), message: notice_message(lang, n.code).to_string() })
        .collect();
    Ok(Json(ValidationOutcome { errors: Vec::new(), notices }))
}

/// Who may submit through a channel: the applicant's signature for portal and kiosk, a staff
/// member of the matching role for ЦОН, field and the provider's office.
fn check_channel_actor(channel: Channel, staff: Option<&StaffMember>) -> Result<Actor, ApiError> {
    let Some(required) = channel.staff_role() else { return Ok(Actor { role: Role::Applicant, id: None, channel }) };
    match staff {
        None => Err(ApiError::Unauthenticated),
        Some(s) if s.role == required => Ok(Actor { role: s.role, id: Some(s.id.clone()), channel }),
        Some(_) => Err(ApiError::Forbidden),
    }
}

/// A provider's office takes papers only for documents its own institutions issued.
pub(crate) fn check_own_office(request: &CreateApplicationRequest, staff: Option<&StaffMember>) -> Result<(), ApiError> {
    let (Channel::Office, Some(staff)) = (request.channel, staff) else { return Ok(()) };
    let errors: Vec<FieldError> = request
        .documents
        .iter()
        .enumerate()
        .filter(|(_, d)| !staff_may_see(staff, &d.institution))
        .map(|(i, _)| FieldError::new(format!("documents.{i}.institution"), "office.other_institution"))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

/// When the term starts: the door-step acceptance time for a field worker (within
/// `shared`'s rule for a device's times), else now.
fn submitted_at(req: &CreateApplicationRequest, now: DateTime<Utc>) -> Result<DateTime<Utc>, ApiError> {
    match req.accepted_at {
        Some(at) => device_time::check(DeviceTime::AcceptedAt, at, now).map_err(|e| ApiError::Validation(vec![FieldError::new(e.field(), e.code())])),
        None => Ok(now),
    }
}

/// An EDS signature must cover this very application as sent (before normalisation: the bytes
/// the person's NCALayer signed) and come from the applicant (or, for a representative, from
/// the representative named in it).
async fn check_eds(state: &AppState, cms: &str, sent: &CreateApplicationRequest, valid: &ValidApplication) -> Result<(), ApiError> {
    let signer = state.signatures.verify(cms, &sent.signed_content()).await.map_err(|e| ApiError::Validation(vec![FieldError::new("signature", e.code())]))?;
    let expected = match (&valid.request.relationship, &valid.request.representative) {
        (Some(telnuska_shared::api::Relationship::Representative), Some(rep)) => rep.iin.as_str(),
        _ => valid.applicant_iin.as_ref(),
    };
    if signer.iin != expected {
        return Err(ApiError::Validation(vec![FieldError::new("signature", "signature.eds_other_person")]));
    }
    Ok(())
}

#[tracing::instrument(skip_all, fields(service = ?req.service, channel = ?req.channel))]
#[utoipa::path(post, path = "/api/applications", tag = "applying", request_body = telnuska_shared::api::CreateApplicationRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "1–100 characters; a repeat with the same body returns the first response"),
           ("X-Kiosk-Token" = Option<String>, Header, description = "A registered kiosk's device token (`channel: kiosk` only): the application records the kiosk; \
               an unknown or revoked token answers 401 `kiosk.token_invalid`")),
    security((), ("bearer" = [])),
    responses((status = 201, body = telnuska_shared::api::CreatedApplication), (status = 400, body = telnuska_shared::api::Problem), (status = 401, body = telnuska_shared::api::Problem),
              (status = 403, body = telnuska_shared::api::Problem), (status = 409, description = "Key reused with another body", body = telnuska_shared::api::Problem),
              (status = 413, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
pub async fn create_application(
    State(state): State<AppState>,
    RequestLang(lang): RequestLang,
    IdempotencyKey(key): IdempotencyKey,
    headers: HeaderMap,
    ApiJson(req): ApiJson<CreateApplicationRequest>,
) -> Result<Response, ApiError> {
    // "The same body" is the same answers (`signed_content`, the request without its
    // signature): a draft's key sent again from a second tab with a fresh SMS code, or signed
    // there with EDS, gets the first answer rather than a conflict. Holding the key (a random
    // UUID kept only with the draft) and every answer is what the replay asks for, after the
    // caller passed the same authorization as the first request.
    let request_hash = sha256_hex(req.signed_content());
    let staff = staff_of(&state, &headers).await?;
    if bearer_token(&headers).is_some() && staff.is_none() && req.channel.staff_role().is_some() {
        return Err(ApiError::InvalidCredentials);
    }
    let actor = check_channel_actor(req.channel, staff.as_ref())?;
    // A registered kiosk names itself with its token; an unknown or revoked one is refused.
    let kiosk = kiosk_of(&state, &headers).await?;
    if kiosk.is_some() && req.channel != Channel::Kiosk {
        return Err(ApiError::Validation(vec![FieldError::new("channel", "kiosk.channel")]));
    }
    // Only now, authorized as the first request was, may the caller see its answer.
    let idempotent = Idempotent::new(CREATE_SCOPE, &caller_of(staff.as_ref()), key.as_deref(), request_hash);
    let now = state.clock.now();
    if let Some(earlier) = idempotent.earlier(&state.pool, now).await? {
        let mut tx = state.begin_write().await?;
        let response = replay_created(&mut tx, earlier, now).await?;
        tx.commit().await?;
        return Ok(response);
    }
    let reference = state.reference();
    let valid = validate(&req, &validation_context(&state, &reference)).map_err(ApiError::Validation)?;
    check_own_office(&valid.request, staff.as_ref())?;
    check_attachments_exist(&state, &valid.request).await?;
    let otp_code = match &valid.request.signature {
        Some(Signature::Eds { cms }) => {
            check_eds(&state, cms, &req, &valid).await?;
            None
        }
        Some(Signature::Otp { phone, code }) => Some((signer_phone(&req, phone)?, code.clone())),
        None => None,
    };
    let submitted_at = submitted_at(&valid.request, now)?;
    let calendar = state.calendar();
    let registered_on = calendar.registered_on(submitted_at);
    let deadlines = Deadlines::new(&calendar, reference.service(req.service), registered_on);
    let due_on = deadlines.due_on;
    // Portal applications and papers taken at the provider's own office are the provider's at
    // once (its review clock starts now); the others wait for ЦОН's courier.
    let status = if matches!(req.channel, Channel::Portal | Channel::Office) { ApplicationStatus::Registered } else { ApplicationStatus::Submitted };
    let review_by = deadlines.review_by.filter(|_| status == ApplicationStatus::Registered);
    let tracking_token = new_reader_token();
    let id = uuid::Uuid::new_v4().to_string();

    let mut tx = state.begin_write().await?;
    if let Some(first) = idempotent.claim_stored(&mut tx, now).await? {
        let response = replay_created(&mut tx, first, now).await?;
        tx.commit().await?;
        return Ok(response);
    }
    if let Some((phone, code)) = otp_code {
        // After the claim: identical requests queue behind the first and replay its answer
        // rather than spend tries of the code.
        if let Err(failure) = otp::check_and_use(&mut tx, phone.as_ref(), &code, &sha256_hex(req.signed_content()), now).await? {
            // The try stays counted; the key is free for a corrected request.
            idempotent.release(&mut tx).await?;
            tx.commit().await?;
            return Err(ApiError::Validation(vec![FieldError::new("signature.code", failure.code())]));
        }
    }
    let ValidApplication { mut request, applicant_iin, contact_phone } = valid;
    // A used code proves nothing later (its row does) and is not kept in clear.
    if let Some(Signature::Otp { code, .. }) = &mut request.signature {
        *code = "*".repeat(code.len());
    }
    let new = NewApplication {
        id: id.clone(),
        request: &request,
        applicant_iin: applicant_iin.as_ref(),
        contact_phone: contact_phone.as_ref(),
        lang: lang.code(),
        submitted_at,
        registered_on,
        due_on,
        tracking_token_hash: sha256_hex(&tracking_token),
        status,
        review_by,
        kiosk_id: kiosk.as_ref().map(|k| k.id.as_str()),
    };
    // The rows are written together once the reads numbering them are done (`Batch`).
    let mut writes = Batch::for_connection(&tx);
    let number = store::insert(&mut tx, &mut writes, &new, &actor, now).await?;
    let to = notifications::Recipient { number: number.clone(), phone: contact_phone.as_ref().to_string(), lang };
    let at_kiosk = (req.channel == Channel::Kiosk).then_some(due_on);
    notifications::enqueue_accepted(&mut writes, state.config.links_base(), &id, &tracking_token, to, at_kiosk, now);
    let mut created = CreatedApplication { id, number, status, registered_on, due_on, tracking_token };
    let sent = serde_json::to_string(&created).map_err(ApiError::internal)?;
    // The stored answer keeps no token (a stolen database must not open applications); a replay
    // gets a fresh one of its own.
    created.tracking_token = String::new();
    let kept = serde_json::to_string(&created).map_err(ApiError::internal)?;
    let response = idempotent.answer_storing(&mut writes, StatusCode::CREATED, kept, sent);
    writes.run(&mut tx).await?;
    tx.commit().await?;
    tracing::info!(number = %created.number, "application created");
    Ok(response)
}

/// An SMS code signs for the person who applies: it must have gone to the application's own phone
/// ([`CreateApplicationRequest::signer_phone`]); a code asked for with a content hash must also
/// have been asked for these very answers (as sent, like EDS), which `otp::check_and_use` checks.
fn signer_phone(sent: &CreateApplicationRequest, phone: &str) -> Result<Phone, ApiError> {
    let signer = Phone::parse(sent.signer_phone()).map_err(|_| ApiError::internal("validated phone"))?;
    let phone = Phone::parse(phone).map_err(|_| ApiError::internal("validated phone"))?;
    if phone != signer {
        return Err(ApiError::Validation(vec![FieldError::new("signature.phone", "otp.other_phone")]));
    }
    Ok(signer)
}

/// The stored answer of a creation, with a fresh tracking token in place of the one the store
/// does not keep.
async fn replay_created(tx: &mut sqlx::Transaction<'_, sqlx::Any>, mut stored: StoredResponse, now: DateTime<Utc>) -> Result<Response, ApiError> {
    if let Ok(mut created) = serde_json::from_str::<CreatedApplication>(&stored.body) {
        created.tracking_token = tracking::issue_token(tx, &created.id, now).await?;
        stored.body = serde_json::to_string(&created).map_err(ApiError::internal)?;
    }
    Ok(replay(stored))
}

#[tracing::instrument(skip(state, headers))]
#[utoipa::path(get, path = "/api/applications/{id}", tag = "applying",
    params(("id" = String, Path, description = "The application's id, or its number (`TN-2026-000123`): with a number, the bearer must be the application's \
        tracking code (or the token of one of its SMS links) or a staff token; a wrong code and an unknown number both answer 404, and an address \
        with too many failed look-ups by number waits (429)")),
    security(("bearer" = [])),
    responses((status = 200, description = "The application; staff see its evidence as well (the match against the issuer's register, the reports to the monitoring system)",
                body = telnuska_shared::api::StaffApplicationView),
              (status = 401, body = telnuska_shared::api::Problem), (status = 403, body = telnuska_shared::api::Problem),
              (status = 404, body = telnuska_shared::api::Problem), (status = 429, body = telnuska_shared::api::Problem)))]
async fn get_application(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
) -> Result<Json<StaffApplicationView>, ApiError> {
    let id = if let Ok(number) = ApplicationNumber::parse(&id) {
        read_by_number(&state, &headers, &number.to_string(), &ip).await?
    } else {
        authorize_reader(&state, &headers, &id).await?;
        id
    };
    let application = store::get(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    // The applicant's answer is the application alone (the evidence fields are left out).
    if staff_of(&state, &headers).await?.is_none() {
        return Ok(Json(StaffApplicationView { application, register: None, monitoring: Vec::new() }));
    }
    let institution = store::access_info(&state.pool, &id).await?.ok_or(ApiError::NotFound)?.institution;
    let register = register_evidence(&state, &institution, &application).await?;
    let monitoring = crate::monitoring::stages_of(&state.pool, &id).await?;
    Ok(Json(StaffApplicationView { application, register, monitoring }))
}

/// The id of the application numbered `number`, once [`authorize_reader`] lets the caller read
/// it. To anyone but staff an unknown number and a wrong code look the same (404), since numbers
/// are sequential and must not be probed; such failures count against the caller's address.
async fn read_by_number(state: &AppState, headers: &HeaderMap, number: &str, ip: &str) -> Result<String, ApiError> {
    bearer_token(headers).ok_or(ApiError::Unauthenticated)?;
    if staff_of(state, headers).await?.is_some() {
        let id = tracking::id_of_number(&state.pool, number).await?.ok_or(ApiError::NotFound)?;
        authorize_reader(state, headers, &id).await?;
        return Ok(id);
    }
    let now = state.clock.now();
    tracking::check_failures(&state.pool, ip, now).await?;
    let readable = match tracking::id_of_number(&state.pool, number).await? {
        Some(id) => match authorize_reader(state, headers, &id).await {
            Ok(_) => Some(id),
            Err(ApiError::Forbidden) => None,
            Err(other) => return Err(other),
        },
        None => None,
    };
    match readable {
        Some(id) => Ok(id),
        None => {
            tracking::record_failure(&state.pool, &state.writes, ip, now).await?;
            Err(ApiError::NotFound)
        }
    }
}

/// Who may read an application (and its receipts): a staff member who may see its institution,
/// or the holder of its tracking token or of the token of one of its SMS links. Returns the staff member, if staff.
pub async fn authorize_reader(state: &AppState, headers: &HeaderMap, id: &str) -> Result<Option<StaffMember>, ApiError> {
    let token_hash = sha256_hex(bearer_token(headers).ok_or(ApiError::Unauthenticated)?);
    let info = store::access_info(&state.pool, id).await?.ok_or(ApiError::NotFound)?;
    match staff_of(state, headers).await? {
        Some(staff) if staff_may_see(&staff, &info.institution) => Ok(Some(staff)),
        None if hashes_equal(&info.tracking_token_hash, &token_hash) || tracking::link_opens(&state.pool, id, &token_hash).await? => Ok(None),
        _ => Err(ApiError::Forbidden),
    }
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct QueueQuery {
    status: Option<String>,
    due_before: Option<String>,
    institution: Option<String>,
    /// A service code.
    service: Option<String>,
    /// The start of a number, an IIN, or the start of the applicant's surname.
    q: Option<String>,
    cursor: Option<String>,
    limit: Option<i64>,
}

/// An application in the queue, with who holds it.
#[derive(Debug, Serialize, utoipa::ToSchema)]
struct QueueItem {
    #[serde(flatten)]
    view: ApplicationView,
    /// The colleague who took it, if anyone.
    assignee: Option<crate::store::provider::Colleague>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
struct QueueResponse {
    items: Vec<QueueItem>,
    next_cursor: Option<String>,
    /// How many applications each status holds under the other filters (status code → count).
    counts: std::collections::BTreeMap<String, i64>,
    /// The institutions the caller may see that have applications (the filter's choices).
    institutions: Vec<String>,
}

/// The deadline mark of a queued application on `today`, by shared's rule (`deadline_state`), so
/// the mark is as fresh as the answer; a recall deadline is stored only once the result was made.
fn mark_now(view: &ApplicationView, calendar: &telnuska_shared::calendar::Calendar, today: chrono::NaiveDate) -> Option<String> {
    if !crate::jobs::OWED.contains(&view.status.code()) {
        return view.deadline_state.clone();
    }
    let watched = view.deadlines.unwrap_or_default();
    let state = telnuska_shared::deadlines::deadline_state(calendar, today, view.status, watched.recall_by.is_some(), view.due_on, &watched);
    Some(state.code().to_string())
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/applications", tag = "staff", params(QueueQuery), security(("bearer" = [])),
    responses((status = 200, description = "The work queue the caller may see, soonest deadline first", body = QueueResponse), (status = 401, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn list_queue(State(state): State<AppState>, Staff(staff): Staff, ApiQuery(q): ApiQuery<QueueQuery>) -> Result<Json<QueueResponse>, ApiError> {
    let mut errors = Vec::new();
    let mut filter = QueueFilter { limit: q.limit.unwrap_or(50).clamp(1, MAX_PAGE), ..QueueFilter::default() };
    if let Some(s) = q.status.as_deref().filter(|s| !s.is_empty()) {
        filter.status = ApplicationStatus::from_code(s).or_else(|| {
            errors.push(FieldError::new("status", "reference.unknown_status"));
            None
        });
    }
    if let Some(code) = q.service.as_deref().filter(|s| !s.is_empty()) {
        filter.service = telnuska_shared::api::ServiceCode::from_code(code).or_else(|| {
            errors.push(FieldError::new("service", "reference.unknown_service"));
            None
        });
    }
    filter.text = q.q.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_string);
    if let Some(d) = q.due_before.as_deref().filter(|s| !s.is_empty()) {
        filter.due_before = d.parse().map_err(|_| errors.push(FieldError::new("due_before", "date.format"))).ok();
    }
    if let Some(c) = q.cursor.as_deref().filter(|s| !s.is_empty()) {
        filter.cursor = c.split_once('|').map(|(d, i)| (d.to_string(), i.to_string()));
        if filter.cursor.is_none() {
            errors.push(FieldError::new("cursor", "cursor.invalid"));
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::Validation(errors));
    }
    let wanted = q.institution.filter(|s| !s.is_empty());
    filter.institutions = match (staff.role, wanted) {
        (Role::Provider, Some(i)) if staff.institutions.contains(&i) => Some(vec![i]),
        (Role::Provider, Some(_)) => return Err(ApiError::Forbidden),
        (Role::Provider, None) => Some(staff.institutions.clone()),
        (_, Some(i)) => Some(vec![i]),
        (_, None) => None,
    };
    let page = queue(&state.pool, &filter).await?;
    let ids: Vec<String> = page.items.iter().map(|v| v.id.clone()).collect();
    let mut holders: std::collections::HashMap<String, _> = crate::store::provider::holders(&state.pool, &ids).await?.into_iter().collect();
    let (calendar, today) = (state.calendar(), state.clock.today());
    let items = page
        .items
        .into_iter()
        .map(|mut view| {
            view.deadline_state = mark_now(&view, &calendar, today);
            QueueItem { assignee: holders.remove(&view.id), view }
        })
        .collect();
    Ok(Json(QueueResponse { items, next_cursor: page.next_cursor, counts: page.counts.into_iter().collect(), institutions: page.institutions }))
}
