//! `POST /api/attachments`: one PDF, JPEG or PNG file, recognised by its content (never by its
//! name or declared type), stored in the database, answered idempotently; and
//! `GET /api/applications/{id}/attachments/{attachment}`: a file of an application read back by
//! the staff who work on it, each reading recorded in the application's access log.

use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use telnuska_shared::api::{CreateApplicationRequest, Role};
use telnuska_shared::FieldError;
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouterExt};
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiPath, ClientIp, IdempotencyKey};
use crate::routes::auth::{staff_may_see, Staff};
use crate::routes::idempotent::{caller_of, Idempotent};
use crate::secrets::sha256_hex;
use crate::state::AppState;
use crate::store::intake::{self, AttachmentInfo};
use crate::store::throttle;
use crate::store::{applications, provider};

/// Largest attachment accepted: a scan of a few A4 pages at print quality (API.md states the
/// limit in OpenAPI). Larger uploads get 413.
pub const MAX_ATTACHMENT_BYTES: usize = 10 * 1024 * 1024;
/// Room for the multipart framing (boundaries, part headers) around the file.
pub const MULTIPART_OVERHEAD_BYTES: usize = 64 * 1024;
/// Idempotency scope of uploads.
const UPLOAD_SCOPE: &str = "attachments.create";

/// The content types accepted, each with the signature its files start with.
const SIGNATURES: [(&[u8], &str); 3] =
    [(b"%PDF-", "application/pdf"), (&[0xFF, 0xD8, 0xFF], "image/jpeg"), (&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A], "image/png")];

/// The upload route, with a body limit of its own.
pub fn router() -> OpenApiRouter<AppState> {
    // The app-wide limit fits JSON; this route alone takes files, so it carries its own.
    OpenApiRouter::new()
        .routes(routes!(upload_attachment).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD_BYTES)))
        .routes(routes!(read_attachment))
}

/// Who reads an application's files back: the provider's staff of its institution who decide
/// it, ЦОН staff who accepted it and administrators. A field worker carries papers to the
/// door and does not read them back afterwards.
fn may_read_files(role: Role) -> bool {
    matches!(role, Role::Provider | Role::Operator | Role::Admin)
}

#[tracing::instrument(skip(state, staff))]
#[utoipa::path(get, path = "/api/applications/{id}/attachments/{attachment}", tag = "staff",
    params(("id" = String, Path), ("attachment" = String, Path, description = "An attachment id the application's request lists")),
    security(("bearer" = [])),
    responses((status = 200, description = "The file with the content type recognised on upload (`application/pdf`, `image/jpeg` or `image/png`); \
                the reading is recorded in the application's access log", content_type = "application/octet-stream"),
              (status = 401, body = telnuska_shared::api::Problem),
              (status = 403, description = "Not staff who may read the application, or a field worker", body = telnuska_shared::api::Problem),
              (status = 404, description = "No such application, or the application lists no such file", body = telnuska_shared::api::Problem)))]
pub async fn read_attachment(
    State(state): State<AppState>,
    Staff(staff): Staff,
    ApiPath((id, attachment)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    let info = applications::access_info(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    if !may_read_files(staff.role) || !staff_may_see(&staff, &info.institution) {
        return Err(ApiError::Forbidden);
    }
    let view = applications::get(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    // Only a file the application lists: an id alone opens nothing.
    if !view.request.attachments.iter().any(|a| a.id == attachment) {
        return Err(ApiError::NotFound);
    }
    let (content_type, data) = intake::attachment_data(&state.pool, &attachment).await?.ok_or(ApiError::NotFound)?;
    provider::record_access(&state.pool, &state.writes, &id, &staff.id, state.clock.now()).await?;
    let mut response = data.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_str(&content_type).map_err(ApiError::internal)?);
    // Personal data: never kept by a shared cache; shown in the page, never sniffed as another type.
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::CONTENT_DISPOSITION, HeaderValue::from_static("inline"));
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    Ok(response)
}

/// The content type of a file by its first bytes (magic numbers), if it is one we accept.
pub fn sniff_content_type(bytes: &[u8]) -> Option<&'static str> {
    SIGNATURES.iter().find(|(magic, _)| bytes.starts_with(magic)).map(|(_, content_type)| *content_type)
}

/// Every attachment an application refers to must have been uploaded first (API.md: uploaded
/// before the application that refers to it); each unknown id is reported at its index.
pub async fn check_attachments_exist(state: &AppState, request: &CreateApplicationRequest) -> Result<(), ApiError> {
    let ids: Vec<&str> = request.attachments.iter().map(|a| a.id.as_str()).collect();
    let stored = intake::existing_attachment_ids(&state.pool, &ids).await?;
    let errors: Vec<FieldError> = request
        .attachments
        .iter()
        .enumerate()
        .filter(|(_, a)| !stored.contains(&a.id))
        .map(|(i, _)| FieldError::new(format!("attachments.{i}.id"), "attachment.unknown"))
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(errors))
    }
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge
    } else {
        ApiError::Malformed(e.body_text())
    }
}

/// Reads the one part named `file`; past the limit it stops keeping bytes but reads on (up to
/// the body limit), because answering 413 while the client is still sending would reset the
/// connection and the client would never see the answer.
async fn read_file(mut multipart: Multipart) -> Result<Vec<u8>, ApiError> {
    let mut file: Option<Vec<u8>> = None;
    let mut too_large = false;
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_error)? {
        if field.name() != Some("file") || file.is_some() {
            return Err(ApiError::Malformed("expected exactly one part, named `file`".into()));
        }
        let mut bytes = Vec::new();
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            if too_large || bytes.len() + chunk.len() > MAX_ATTACHMENT_BYTES {
                too_large = true;
                bytes = Vec::new();
                continue;
            }
            bytes.extend_from_slice(&chunk);
        }
        file = Some(bytes);
    }
    if too_large {
        return Err(ApiError::TooLarge);
    }
    file.ok_or_else(|| ApiError::Validation(vec![FieldError::new("file", "required")]))
}

#[tracing::instrument(skip_all)]
#[utoipa::path(post, path = "/api/attachments", tag = "applying", params(("Idempotency-Key" = Option<String>, Header)),
    request_body(content_type = "multipart/form-data", description = "One part named `file`: PDF, JPEG or PNG (checked by content), at most 10 MiB"),
    responses((status = 201, body = crate::store::intake::AttachmentInfo), (status = 413, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem),
        (status = 429, description = "Over the hourly upload quota of this address or of everyone (anonymous callers); `Retry-After` says when", body = telnuska_shared::api::Problem)))]
async fn upload_attachment(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    IdempotencyKey(key): IdempotencyKey,
    headers: axum::http::HeaderMap,
    multipart: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let multipart = multipart.map_err(|rejection| ApiError::Malformed(rejection.body_text()))?;
    let bytes = read_file(multipart).await?;
    let content_type = sniff_content_type(&bytes).ok_or_else(|| ApiError::Validation(vec![FieldError::new("file", "attachment.type")]))?;
    // The same bytes under the same key are the same request, whatever the file was called.
    let sha256 = sha256_hex(&bytes);
    let staff = crate::routes::auth::staff_of(&state, &headers).await?;
    let caller = caller_of(staff.as_ref());
    let idempotent = Idempotent::new(UPLOAD_SCOPE, &caller, key.as_deref(), sha256.clone());
    let now = state.clock.now();
    if let Some(earlier) = idempotent.earlier_answer(&state.pool, now).await? {
        return Ok(earlier);
    }
    // Staff upload what people hand over at the desk; anonymous uploads have an hourly quota.
    if staff.is_none() {
        throttle::count_upload(&state.pool, &state.writes, &ip, bytes.len() as u64, state.config.upload_quota, now).await?;
    }
    let info = AttachmentInfo {
        id: uuid::Uuid::new_v4().to_string(),
        sha256: sha256.clone(),
        size: i64::try_from(bytes.len()).map_err(ApiError::internal)?,
        content_type: content_type.to_string(),
    };
    let body = serde_json::to_string(&info).map_err(ApiError::internal)?;
    let mut tx = state.begin_write().await?;
    if let Some(first) = idempotent.claim(&mut tx, now).await? {
        return Ok(first);
    }
    intake::insert_attachment(&mut tx, &info, bytes, now).await?;
    let response = idempotent.answer(&mut tx, StatusCode::CREATED, body).await?;
    tx.commit().await?;
    tracing::info!(id = %info.id, size = info.size, content_type, "attachment stored");
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_recognised_by_their_first_bytes_only() {
        let cases: [(&[u8], Option<&str>); 8] = [
            (b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n", Some("application/pdf")),
            (&[0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x10, b'J', b'F'], Some("image/jpeg")),
            (&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0], Some("image/png")),
            (b"just text, saved as scan.pdf", None),
            (b" %PDF-1.7", None),
            (&[0x89, b'P', b'N', b'G'], None),
            (b"GIF89a", None),
            (b"", None),
        ];
        for (bytes, expected) in cases {
            assert_eq!(sniff_content_type(bytes), expected, "{bytes:?}");
        }
    }
}
