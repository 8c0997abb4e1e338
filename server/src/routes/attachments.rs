//! `POST /api/attachments`: one PDF, JPEG or PNG file, recognised by its content (never by its
//! name or declared type), stored in the database, answered idempotently.

use axum::extract::multipart::{Multipart, MultipartError, MultipartRejection};
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::post;
use axum::Router;
use telnuska_shared::api::CreateApplicationRequest;
use telnuska_shared::FieldError;

use crate::error::ApiError;
use crate::extract::{ClientIp, IdempotencyKey};
use crate::routes::idempotent::{caller_of, Idempotent};
use crate::secrets::sha256_hex;
use crate::state::AppState;
use crate::store::intake::{self, AttachmentInfo};
use crate::store::throttle;

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
pub fn router() -> Router<AppState> {
    // The app-wide limit fits JSON; this route alone takes files, so it carries its own.
    Router::new().route("/api/attachments", post(upload_attachment)).layer(DefaultBodyLimit::max(MAX_ATTACHMENT_BYTES + MULTIPART_OVERHEAD_BYTES))
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
        throttle::count_upload(&state.pool, &ip, bytes.len() as u64, state.config.upload_quota, now).await?;
    }
    let info = AttachmentInfo {
        id: uuid::Uuid::new_v4().to_string(),
        sha256: sha256.clone(),
        size: i64::try_from(bytes.len()).map_err(|e| ApiError::Internal(e.to_string()))?,
        content_type: content_type.to_string(),
    };
    let body = serde_json::to_string(&info).map_err(|e| ApiError::Internal(e.to_string()))?;
    let mut tx = state.pool.begin().await?;
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
