//! The typed client of the HTTP contract (`shared/API.md`) for the citizen app, with gloo-net.

use chrono::{DateTime, NaiveDate, Utc};
use gloo_net::http::{Request, RequestBuilder, Response};
use serde::Deserialize;
use telnuska_shared::api::{ApplicationStatus, CreatedApplication, OtpRequest, Problem, ServiceCode};
use telnuska_shared::i18n::Lang;
use wasm_bindgen::JsValue;

/// How long a reachability probe may take before the server counts as unreachable.
const PROBE_TIMEOUT_MS: u32 = 8_000;

/// Why a call did not succeed.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server could not be reached: offline, connection dropped. The outcome is unknown.
    Network,
    /// The server answered with a problem body.
    Problem(Problem),
    /// The server (or a proxy) answered with another status and no readable problem body.
    Status(u16),
}

impl ApiError {
    /// The HTTP status, if the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            ApiError::Network => None,
            ApiError::Problem(p) => Some(p.status),
            ApiError::Status(s) => Some(*s),
        }
    }

    /// Whether trying the same request again later may succeed (and, with its idempotency key,
    /// cannot do it twice): no answer, a server fault, or "too many requests".
    pub fn is_retryable(&self) -> bool {
        self.status().is_none_or(|s| s >= 500 || s == 429 || s == 408)
    }
}

/// `201` of `POST /api/attachments`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct UploadedAttachment {
    /// Id to refer to in the application.
    pub id: String,
    /// Bytes stored.
    pub size: u64,
}

async fn error_of(response: Response) -> ApiError {
    let status = response.status();
    match response.json::<Problem>().await {
        Ok(problem) => ApiError::Problem(Problem { status, ..problem }),
        Err(_) => ApiError::Status(status),
    }
}

async fn send(request: Result<Request, gloo_net::Error>) -> Result<Response, ApiError> {
    let response = request.map_err(|_| ApiError::Network)?.send().await.map_err(|_| ApiError::Network)?;
    if response.ok() {
        Ok(response)
    } else {
        Err(error_of(response).await)
    }
}

async fn json<T: serde::de::DeserializeOwned>(response: Response) -> Result<T, ApiError> {
    let status = response.status();
    response.json::<T>().await.map_err(|_| ApiError::Status(status))
}

fn post(path: &str, lang: Lang) -> RequestBuilder {
    Request::post(path).header("Accept-Language", lang.code())
}

/// `POST /api/otp`: asks the server to send a one-time code by SMS to `phone`, bound to the
/// answers whose signed content hashes to `content_sha256` (the code signs only those).
pub async fn send_otp(phone: &str, content_sha256: Option<String>, lang: Lang) -> Result<(), ApiError> {
    send(post("/api/otp", lang).json(&OtpRequest { phone: phone.to_string(), content_sha256 })).await.map(drop)
}

/// `GET /api/config` (`ClientConfig`): where NCALayer listens, when this server checks EDS
/// signatures; `None` when it does not or cannot be reached. Read with the browser's JSON parser:
/// a deserializer for two fields would cost more of the download than the whole feature.
pub async fn eds_ncalayer_url() -> Option<String> {
    let response = send(Request::get("/api/config").build()).await.ok()?;
    let config = js_sys::JSON::parse(&response.text().await.ok()?).ok()?;
    let eds = json_field(&config, "eds");
    json_field(&eds, "available").as_bool()?.then(|| json_field(&eds, "ncalayer_url").as_string()).flatten()
}

/// A field of a parsed JSON object (`undefined` when missing or not an object).
pub fn json_field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `POST /api/applications` with the exact body and `Idempotency-Key` kept in the outbox, so
/// that a retry after a lost answer returns the first application instead of making a second.
pub async fn create_application(body: &str, lang: Lang, idempotency_key: &str) -> Result<CreatedApplication, ApiError> {
    let request = post("/api/applications", lang).header("Idempotency-Key", idempotency_key).header("Content-Type", "application/json").body(body);
    json(send(request).await?).await
}

/// `GET /api/health`, bypassing every cache: whether the server answers now (within
/// [`PROBE_TIMEOUT_MS`]). `navigator.onLine` only says a network interface is up.
pub async fn reachable() -> bool {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let timer = controller.map(|c| gloo_timers::callback::Timeout::new(PROBE_TIMEOUT_MS, move || c.abort()));
    let request = Request::get("/api/health").cache(web_sys::RequestCache::NoStore).abort_signal(signal.as_ref()).build();
    let ok = send(request).await.is_ok();
    drop(timer);
    ok
}

/// `POST /api/attachments` of one prepared file (multipart field `file`).
pub async fn upload_attachment(file: &web_sys::Blob, name: &str, idempotency_key: &str, lang: Lang) -> Result<UploadedAttachment, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("file", file, name).map_err(|_| ApiError::Network)?;
    let request = post("/api/attachments", lang).header("Idempotency-Key", idempotency_key).body(JsValue::from(form));
    json(send(request).await?).await
}

/// One stage of an application's history.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Stage {
    /// When.
    #[serde(deserialize_with = "telnuska_shared::wire_time::instant")]
    pub at: DateTime<Utc>,
    /// The stage reached.
    pub status: ApplicationStatus,
    /// A note, if any.
    #[serde(default)]
    pub note: Option<String>,
}

/// What "my applications" shows of `GET /api/applications/{id}` (the other fields are not
/// read: every field parsed is code in the download).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Tracking {
    /// Id (what a tracking link or a look-up by number keeps on the device).
    pub id: String,
    /// Human-readable number.
    pub number: String,
    /// Service.
    pub service: ServiceCode,
    /// Current stage.
    pub status: ApplicationStatus,
    /// Registration day.
    #[serde(deserialize_with = "telnuska_shared::wire_time::date")]
    pub registered_on: NaiveDate,
    /// Due day.
    #[serde(deserialize_with = "telnuska_shared::wire_time::date")]
    pub due_on: NaiveDate,
    /// Stages, oldest first.
    pub history: Vec<Stage>,
}

/// `GET /api/applications/{id}` with the tracking token; `id` may also be the application's
/// number (`TN-…`), with its tracking code as the token.
pub async fn application(id: &str, token: &str, lang: Lang) -> Result<Tracking, ApiError> {
    let request = Request::get(&format!("/api/applications/{id}"))
        .header("Accept-Language", lang.code())
        .header("Authorization", &format!("Bearer {token}"))
        .cache(web_sys::RequestCache::NoCache)
        .build();
    json(send(request).await?).await
}

/// A call of the staff API with the session's bearer token (`Authorization: Bearer …`) and a JSON
/// body, if any; the answer is read as `T` (`()` reads any body as nothing).
pub async fn staff_call<T: serde::de::DeserializeOwned>(
    method: gloo_net::http::Method,
    path: &str,
    token: &str,
    body: Option<String>,
    lang: Lang,
) -> Result<T, ApiError> {
    let builder = RequestBuilder::new(path)
        .method(method)
        .header("Accept-Language", lang.code())
        .header("Authorization", &format!("Bearer {token}"))
        .cache(web_sys::RequestCache::NoStore);
    let request = match body {
        Some(body) => builder.header("Content-Type", "application/json").body(body),
        None => builder.build(),
    };
    let response = send(request).await?;
    let status = response.status();
    let text = response.text().await.map_err(|_| ApiError::Status(status))?;
    serde_json::from_str(if text.is_empty() { "null" } else { &text }).map_err(|_| ApiError::Status(status))
}

/// `POST /api/auth/login`: a staff session for `login` and `password`.
pub async fn staff_login(request: &telnuska_shared::api::LoginRequest, lang: Lang) -> Result<telnuska_shared::api::LoginResponse, ApiError> {
    json(send(post("/api/auth/login", lang).json(request)).await?).await
}

/// A call of a kiosk (`/kiosk`): `builder` with the kiosk's device token in `X-Kiosk-Token`,
/// never cached; the answer read as `T`. A kiosk sends straight to the server: nothing of a
/// stranger's waits on the shared device.
pub async fn kiosk_call<T: serde::de::DeserializeOwned>(builder: RequestBuilder, token: &str, body: Option<String>, lang: Lang) -> Result<T, ApiError> {
    let builder = builder.header("Accept-Language", lang.code()).header("X-Kiosk-Token", token).cache(web_sys::RequestCache::NoStore);
    let request = match body {
        Some(body) => builder.header("Content-Type", "application/json").body(body),
        None => builder.build(),
    };
    json(send(request).await?).await
}
