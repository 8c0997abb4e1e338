//! `GET /api/applications/{id}/receipt?kind=acceptance|refusal`: the receipt of acceptance
//! (Annex 3) or of refusal to accept (Annex 4, 2 copies) as a printable A4 PDF in the caller's
//! language. Whoever may read the application may print its acceptance receipt; the refusal to
//! accept, only staff. The courier register
//! (items 54–55) is built here too, for the operator console.

mod code;
mod font;
pub(crate) mod forms;
pub(crate) mod handover;
pub(crate) mod names;
mod register;
mod render;
mod sheet;

use axum::extract::State;
use axum::http::{header, HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;
use serde::Deserialize;
use telnuska_shared::api::{AttachmentKind, CreateApplicationRequest};
use telnuska_shared::branch::Branch;
use telnuska_shared::calendar::almaty_local;
use telnuska_shared::checklist::{missing_items, package_checklist};
use telnuska_shared::i18n::{t, Lang};
use telnuska_shared::reference::Reference;
use telnuska_shared::FieldError;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, RequestLang};
use crate::routes::applications::authorize_reader;
use crate::state::AppState;
use crate::store::applications as store;
use crate::store::{desk, intake, tracking};

use self::forms::{AcceptanceReceipt, RefusalReceipt};
use self::names::{applicant_name, document_name, organisation, service_name, Placement};
pub use self::register::{courier_register_pdf, CourierRegister, RegisterEntry};

/// The receipt route.
pub fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_receipt))
}

/// A PDF laid out by `build` off the async workers (laying out and subsetting the font is CPU
/// work), sent as `application/pdf` that no shared cache keeps (it holds personal data).
pub(crate) async fn pdf_response<E: std::fmt::Display + Send + 'static>(
    build: impl FnOnce() -> Result<Vec<u8>, E> + Send + 'static,
) -> Result<Response, ApiError> {
    let pdf = tokio::task::spawn_blocking(build).await.map_err(ApiError::internal)?.map_err(|e| ApiError::internal(e.to_string()))?;
    let mut response = pdf.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/pdf"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
struct ReceiptQuery {
    kind: Option<String>,
    /// Refusal only: the presented documents whose validity has expired, as attachment kinds
    /// separated by commas (003 item 52: a reason to refuse acceptance).
    expired: Option<String>,
    /// Refusal only: the items of the package checklist the operator ticked as presented, as
    /// attachment kinds separated by commas; without it, the uploaded attachments count.
    presented: Option<String>,
}

/// The attachment kinds of a comma-separated parameter (`expired`, `presented`).
fn parse_kinds(field: &str, raw: Option<&str>) -> Result<Vec<AttachmentKind>, ApiError> {
    raw.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|code| !code.is_empty())
        .map(|code| {
            let error = if field == "expired" { "receipt.expired_kind" } else { "receipt.presented_kind" };
            AttachmentKind::from_code(code).ok_or_else(|| ApiError::Validation(vec![FieldError::new(field, error)]))
        })
        .collect()
}

/// Which annex.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ReceiptKind {
    Acceptance,
    Refusal,
}

impl ReceiptKind {
    fn parse(raw: Option<&str>) -> Result<Self, ApiError> {
        match raw.map(str::trim) {
            Some("acceptance") => Ok(Self::Acceptance),
            Some("refusal") => Ok(Self::Refusal),
            None | Some("") => Err(ApiError::Validation(vec![FieldError::new("kind", "required")])),
            Some(_) => Err(ApiError::Validation(vec![FieldError::new("kind", "receipt.kind")])),
        }
    }

    fn code(self) -> &'static str {
        match self {
            Self::Acceptance => "acceptance",
            Self::Refusal => "refusal",
        }
    }
}

/// The items of the package checklist (what the service, reason and relationship require) that
/// nothing in `present` meets (Annex 4 lists them by name); an alternative counts (a school's
/// identity card for the birth certificate).
fn missing_documents(request: &CreateApplicationRequest, present: &[AttachmentKind]) -> Vec<AttachmentKind> {
    missing_items(&package_checklist(request.service, request.reason, request.relationship), present)
}

#[tracing::instrument(skip(state, headers, query))]
#[utoipa::path(get, path = "/api/applications/{id}/receipt", tag = "staff", params(("id" = String, Path), ReceiptQuery), security(("bearer" = [])),
    responses((status = 200, description = "Annex 3 (acceptance) or Annex 4 (refusal, 2 copies) as A4 PDF", content_type = "application/pdf"), (status = 401, body = telnuska_shared::api::Problem),
              (status = 403, body = telnuska_shared::api::Problem), (status = 404, body = telnuska_shared::api::Problem), (status = 422, body = telnuska_shared::api::Problem)))]
async fn get_receipt(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
    RequestLang(lang): RequestLang,
    headers: HeaderMap,
    query: Result<ApiQuery<ReceiptQuery>, ApiError>,
) -> Result<Response, ApiError> {
    let caller = authorize_reader(&state, &headers, &id).await?;
    let ApiQuery(query) = query?;
    let kind = ReceiptKind::parse(query.kind.as_deref())?;
    // Annex 4 is the desk's refusal to accept a package; every application stored here was
    // accepted, so only staff (at the desk) print it, never the holder of a tracking code.
    if kind == ReceiptKind::Refusal && caller.is_none() {
        return Err(ApiError::Forbidden);
    }
    let expired = parse_kinds("expired", query.expired.as_deref())?;
    let ticked = query.presented.as_deref().map(|raw| parse_kinds("presented", Some(raw))).transpose()?;
    let view = store::get(&state.pool, &id).await?.ok_or(ApiError::NotFound)?;
    let request = &view.request;
    // "Received" means uploaded and still stored, not merely named in the request.
    let ids: Vec<&str> = request.attachments.iter().map(|a| a.id.as_str()).collect();
    let stored = intake::existing_attachment_ids(&state.pool, &ids).await?;
    // An expired document was presented but does not count as given (003 item 52).
    let received = request.attachments.iter().filter(|a| stored.contains(&a.id)).map(|a| a.kind);
    let present: Vec<AttachmentKind> = ticked.unwrap_or_else(|| received.collect()).into_iter().filter(|k| !expired.contains(k)).collect();
    let branch = desk::accepting_branch(&state.pool, &id).await?;
    let accepted_by = intake::accepted_by(&state.pool, &id).await?;
    let caller_name = match &caller {
        Some(staff) => intake::staff_full_name(&state.pool, &staff.id).await?,
        None => None,
    };
    let number = view.number.clone();
    let mut response = match kind {
        ReceiptKind::Acceptance => {
            let receipt = AcceptanceReceipt {
                lang,
                number,
                organisation: organisation(request, &state.reference(), branch.as_ref(), lang, Placement::OwnLine),
                applicant: applicant_name(request),
                service: service_name(view.service, lang),
                documents: present.iter().map(|k| document_name(*k, lang)).collect(),
                worker: accepted_by,
                due_on: view.due_on,
                date: almaty_local(view.submitted_at).date_naive(),
                home_service: request.home_service_ground.map(|g| t(lang, &format!("home_service_ground.{}", g.code())).to_string()),
                tracking: Some(tracking_on_paper(&state, &id, lang).await?),
            };
            pdf_response(move || forms::acceptance_pdf(&receipt)).await?
        }
        ReceiptKind::Refusal => {
            let receipt = RefusalReceipt {
                number,
                worker: accepted_by.or_else(|| caller_name.clone()),
                executor: caller_name,
                date: state.clock.today(),
                ..refusal_of(request, &state.reference(), &present, &expired, branch.as_ref(), lang)
            };
            pdf_response(move || forms::refusal_pdf(&receipt)).await?
        }
    };
    let disposition = format!("inline; filename=\"{}-{}.pdf\"", view.number, kind.code());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        response.headers_mut().insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(response)
}

/// Annex 4 for `request`: who refuses (the accepting branch, or the organisation), the applicant
/// with the address and phone the form's addressee line asks for, and exactly the checklist items
/// that nothing in `present` meets, the `expired` ones listed apart (003 item 52). The number,
/// the people and the day are the caller's.
pub(crate) fn refusal_of(
    request: &CreateApplicationRequest,
    reference: &Reference,
    present: &[AttachmentKind],
    expired: &[AttachmentKind],
    branch: Option<&Branch>,
    lang: Lang,
) -> RefusalReceipt {
    RefusalReceipt {
        lang,
        number: String::new(),
        number_key: "receipt.application_number",
        organisation: organisation(request, reference, branch, lang, Placement::InText),
        applicant: applicant_name(request),
        service: service_name(request.service, lang),
        address: [request.applicant.address.as_deref().unwrap_or_default(), request.signer_phone()]
            .into_iter()
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(", "),
        missing: missing_documents(request, present).into_iter().filter(|k| !expired.contains(k)).map(|k| document_name(k, lang)).collect(),
        expired: expired.iter().map(|k| document_name(*k, lang)).collect(),
        worker: None,
        executor: None,
        date: NaiveDate::MIN,
    }
}

/// A new tracking code of application `id` and the link it opens in `lang`, for a receipt: the
/// server keeps only hashes, so each print issues its own code (like each SMS its own link).
async fn tracking_on_paper(state: &AppState, id: &str, lang: Lang) -> Result<(String, String), ApiError> {
    let now = state.clock.now();
    let mut tx = state.begin_write().await?;
    let code = tracking::issue_token(&mut tx, id, now).await?;
    tx.commit().await?;
    let link = tracking::link(state.config.links_base(), id, lang, &code);
    Ok((code, link))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expired_documents_are_attachment_kinds() {
        assert_eq!(
            parse_kinds("expired", Some("power_of_attorney, identity_card")).unwrap(),
            vec![AttachmentKind::PowerOfAttorney, AttachmentKind::IdentityCard]
        );
        assert_eq!(parse_kinds("expired", None).unwrap(), vec![]);
        assert!(parse_kinds("presented", Some("passport")).is_err());
    }

    #[test]
    fn missing_documents_are_the_required_ones_not_received() {
        let request: CreateApplicationRequest = serde_json::from_value(serde_json::json!({
            "service": "higher_duplicate", "channel": "con", "reason": "name_change", "relationship": "representative",
        }))
        .unwrap();
        let required = telnuska_shared::application::required_attachments(&request);
        assert!(required.contains(&AttachmentKind::PowerOfAttorney) && required.contains(&AttachmentKind::NameChangeCertificate), "{required:?}");
        let missing = missing_documents(&request, &[AttachmentKind::OriginalDocument, AttachmentKind::Other]);
        assert!(!missing.contains(&AttachmentKind::OriginalDocument), "{missing:?}");
        assert!(missing.contains(&AttachmentKind::PowerOfAttorney) && missing.contains(&AttachmentKind::NameChangeCertificate), "{missing:?}");
        assert_eq!(missing_documents(&request, &required), Vec::new());
    }

    #[test]
    fn the_kind_is_required_and_must_be_known() {
        assert_eq!(ReceiptKind::parse(Some("acceptance")).unwrap(), ReceiptKind::Acceptance);
        assert_eq!(ReceiptKind::parse(Some(" refusal ")).unwrap(), ReceiptKind::Refusal);
        for (raw, code) in [(None, "required"), (Some(""), "required"), (Some("register"), "receipt.kind")] {
            match ReceiptKind::parse(raw) {
                Err(ApiError::Validation(errors)) => assert_eq!((errors[0].field.as_str(), errors[0].code), ("kind", code)),
                other => panic!("{raw:?}: {other:?}"),
            }
        }
    }
}
