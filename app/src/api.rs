//! The typed client of the HTTP contract (`docs/API.md`) for the citizen app, over the browser's
//! own `fetch`: one non-generic transport ([`fetch`]) that every call goes through, so that the
//! download carries one copy of it (an HTTP client crate would add its own request, header and
//! error types for the same few lines).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use telnuska_shared::api::{ApplicationStatus, CreatedApplication, OtpRequest, Problem, ServiceCode};
use telnuska_shared::i18n::Lang;
use telnuska_shared::wire_time::{parse_date, parse_instant};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AbortSignal, RequestCache, RequestInit};

/// How long a reachability probe may take before the server counts as unreachable.
const PROBE_TIMEOUT_MS: u32 = 8_000;
/// How long sending an application may take before it counts as unanswered (and is sent again
/// under its key): longer than the server gives a client to send a request (15 s), so that a
/// slow network is not cut off while the server would still take it.
const SEND_TIMEOUT_MS: u32 = 20_000;

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
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UploadedAttachment {
    /// Id to refer to in the application.
    pub id: String,
    /// Bytes stored.
    pub size: u64,
}

/// An HTTP method of the staff API (named as in the `http` crate, so calls read the same).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Method(&'static str);

impl Method {
    /// `GET`.
    pub const GET: Method = Method("GET");
    /// `POST`.
    pub const POST: Method = Method("POST");
    /// `PUT`.
    pub const PUT: Method = Method("PUT");
    /// `PATCH`.
    pub const PATCH: Method = Method("PATCH");
    /// `DELETE`.
    pub const DELETE: Method = Method("DELETE");

    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        self.0
    }
}

/// One request: everything a call of this client may set.
pub struct Call<'a> {
    /// The method.
    pub method: Method,
    /// The path (same origin).
    pub path: &'a str,
    /// Headers besides those of the browser.
    pub headers: &'a [(&'a str, &'a str)],
    /// The body, if any (a string or `FormData`).
    pub body: Option<JsValue>,
    /// How the browser's HTTP cache is used (default when `None`).
    pub cache: Option<RequestCache>,
    /// Aborts the request when signalled.
    pub signal: Option<&'a AbortSignal>,
}

impl<'a> Call<'a> {
    /// A call without body, headers or cache mode.
    pub fn new(method: Method, path: &'a str) -> Self {
        Call { method, path, headers: &[], body: None, cache: None, signal: None }
    }
}

/// A response's status, `ETag` and body text.
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `ETag` header, if any.
    pub etag: Option<String>,
    /// The body as text.
    pub text: String,
}

/// Sends `call` with the browser's `fetch` and reads the whole answer, whatever its status;
/// `Err(Network)` when no whole answer came (offline, aborted, refused by CORS or CSP, or cut
/// off on its way: a status whose body never arrived does not say what the server did).
pub async fn fetch(call: Call<'_>) -> Result<Answer, ApiError> {
    let init = RequestInit::new();
    init.set_method(call.method.as_str());
    let headers = web_sys::Headers::new().map_err(|_| ApiError::Network)?;
    for (name, value) in call.headers {
        headers.append(name, value).map_err(|_| ApiError::Network)?;
    }
    init.set_headers(&headers);
    if let Some(body) = &call.body {
        init.set_body(body);
    }
    if let Some(cache) = call.cache {
        init.set_cache(cache);
    }
    init.set_signal(call.signal);
    let window = web_sys::window().ok_or(ApiError::Network)?;
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str_and_init(call.path, &init)).await.map_err(|_| ApiError::Network)?.unchecked_into();
    let etag = response.headers().get("ETag").ok().flatten();
    let body = response.text().map_err(|_| ApiError::Network)?;
    let text = JsFuture::from(body).await.ok().and_then(|t| t.as_string()).ok_or(ApiError::Network)?;
    Ok(Answer { status: response.status(), etag, text })
}

/// [`fetch`], with any status but 2xx turned into its [`ApiError`].
async fn send(call: Call<'_>) -> Result<Answer, ApiError> {
    let answer = fetch(call).await?;
    if (200..300).contains(&answer.status) {
        Ok(answer)
    } else {
        Err(match serde_json::from_str::<Problem>(&answer.text) {
            Ok(problem) => ApiError::Problem(Problem { status: answer.status, ..problem }),
            Err(_) => ApiError::Status(answer.status),
        })
    }
}

/// The answer's body read as `T` (an empty body reads as `null`, which `()` accepts).
fn json<T: serde::de::DeserializeOwned>(answer: &Answer) -> Result<T, ApiError> {
    let text = if answer.text.is_empty() { "null" } else { &answer.text };
    serde_json::from_str(text).map_err(|_| ApiError::Status(answer.status))
}

/// The answer's body read by the browser's `JSON.parse`, then by `read`, for the answers the
/// citizen's app reads: serde's code for each type would be more of the download than these
/// few lines. A body that is not what `read` needs is `Status`, as a serde error would be.
fn parsed<T>(answer: &Answer, read: fn(&JsValue) -> Option<T>) -> Result<T, ApiError> {
    js_sys::JSON::parse(&answer.text).ok().and_then(|json| read(&json)).ok_or(ApiError::Status(answer.status))
}

/// The string field `name` of a parsed JSON object.
fn string(object: &JsValue, name: &str) -> Option<String> {
    json_field(object, name).as_string()
}

/// The code field `name` (a `snake_case` code on the wire) read by `from_code`.
fn code<T>(object: &JsValue, name: &str, from_code: fn(&str) -> Option<T>) -> Option<T> {
    from_code(&string(object, name)?)
}

/// `value` as a JSON body.
fn body_of<T: Serialize>(value: &T) -> Option<JsValue> {
    serde_json::to_string(value).ok().map(JsValue::from)
}

/// `POST path` in `lang` with a JSON body.
async fn post_json(path: &str, lang: Lang, body: Option<JsValue>) -> Result<Answer, ApiError> {
    let headers = [("Accept-Language", lang.code()), ("Content-Type", "application/json")];
    send(Call { headers: &headers, body, ..Call::new(Method::POST, path) }).await
}

/// `POST /api/otp`: asks the server to send a one-time code by SMS to `phone`, bound to the
/// answers whose signed content hashes to `content_sha256` (the code signs only those).
pub async fn send_otp(phone: &str, content_sha256: Option<String>, lang: Lang) -> Result<(), ApiError> {
    post_json("/api/otp", lang, body_of(&OtpRequest { phone: phone.to_string(), content_sha256 })).await.map(drop)
}

/// `GET /api/config` (`ClientConfig`): where NCALayer listens, when this server checks EDS
/// signatures; `None` when it does not or cannot be reached. Read with the browser's JSON parser:
/// a deserializer for two fields would cost more of the download than the whole feature.
pub async fn eds_ncalayer_url() -> Option<String> {
    let answer = send(Call::new(Method::GET, "/api/config")).await.ok()?;
    let config = js_sys::JSON::parse(&answer.text).ok()?;
    let eds = json_field(&config, "eds");
    json_field(&eds, "available").as_bool()?.then(|| json_field(&eds, "ncalayer_url").as_string()).flatten()
}

/// A field of a parsed JSON object (`undefined` when missing or not an object).
pub fn json_field(object: &JsValue, name: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// `POST /api/applications` with the exact body and `Idempotency-Key` kept in the outbox, so
/// that a retry after a lost answer returns the first application instead of making a second;
/// given up after [`SEND_TIMEOUT_MS`] (a connection that died without a word never answers).
pub async fn create_application(body: &str, lang: Lang, idempotency_key: &str) -> Result<CreatedApplication, ApiError> {
    let headers = [("Accept-Language", lang.code()), ("Idempotency-Key", idempotency_key), ("Content-Type", "application/json")];
    let call = Call { headers: &headers, body: Some(JsValue::from_str(body)), ..Call::new(Method::POST, "/api/applications") };
    parsed(&send_within(SEND_TIMEOUT_MS, call).await?, created_of)
}

/// A `CreatedApplication` (`201` of `POST /api/applications`).
fn created_of(json: &JsValue) -> Option<CreatedApplication> {
    Some(CreatedApplication {
        id: string(json, "id")?,
        number: string(json, "number")?,
        status: code(json, "status", ApplicationStatus::from_code)?,
        registered_on: code(json, "registered_on", parse_date)?,
        due_on: code(json, "due_on", parse_date)?,
        tracking_token: string(json, "tracking_token")?,
    })
}

/// [`send`], given up after `ms` milliseconds: an answer, or its body, not come by then is
/// `Err(Network)`.
async fn send_within(ms: u32, call: Call<'_>) -> Result<Answer, ApiError> {
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(web_sys::AbortController::signal);
    let timer = controller.map(|c| gloo_timers::callback::Timeout::new(ms, move || c.abort()));
    let answer = send(Call { signal: signal.as_ref(), ..call }).await;
    drop(timer);
    answer
}

/// `GET /api/health`, bypassing every cache: whether the server answers now (within
/// [`PROBE_TIMEOUT_MS`]). `navigator.onLine` only says a network interface is up.
pub async fn reachable() -> bool {
    send_within(PROBE_TIMEOUT_MS, Call { cache: Some(RequestCache::NoStore), ..Call::new(Method::GET, "/api/health") }).await.is_ok()
}

/// `POST /api/attachments` of one prepared file (multipart field `file`).
pub async fn upload_attachment(
    file: &web_sys::Blob,
    name: &str,
    idempotency_key: &str,
    token: Option<&str>,
    lang: Lang,
) -> Result<UploadedAttachment, ApiError> {
    let form = web_sys::FormData::new().map_err(|_| ApiError::Network)?;
    form.append_with_blob_and_filename("file", file, name).map_err(|_| ApiError::Network)?;
    let authorization = token.map(|t| format!("Bearer {t}"));
    let mut headers = vec![("Accept-Language", lang.code()), ("Idempotency-Key", idempotency_key)];
    if let Some(authorization) = &authorization {
        headers.push(("Authorization", authorization));
    }
    let uploaded = |json: &JsValue| Some(UploadedAttachment { id: string(json, "id")?, size: json_field(json, "size").as_f64()? as u64 });
    parsed(&send(Call { headers: &headers, body: Some(JsValue::from(form)), ..Call::new(Method::POST, "/api/attachments") }).await?, uploaded)
}

/// One stage of an application's history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stage {
    /// When.
    pub at: DateTime<Utc>,
    /// The stage reached.
    pub status: ApplicationStatus,
    /// A note, if any.
    pub note: Option<String>,
}

/// What "my applications" shows of `GET /api/applications/{id}` (the other fields are not
/// read: every field parsed is code in the download).
#[derive(Debug, Clone, PartialEq, Eq)]
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
    pub registered_on: NaiveDate,
    /// Due day.
    pub due_on: NaiveDate,
    /// Stages, oldest first.
    pub history: Vec<Stage>,
}

/// A `Tracking` of a parsed `GET /api/applications/{id}` answer.
fn tracking_of(json: &JsValue) -> Option<Tracking> {
    let stage = |stage: JsValue| {
        let note = json_field(&stage, "note");
        Some(Stage {
            at: code(&stage, "at", parse_instant)?,
            status: code(&stage, "status", ApplicationStatus::from_code)?,
            // Absent or `null` is no note; anything else is not the contract's.
            note: if note.is_null() || note.is_undefined() { None } else { Some(note.as_string()?) },
        })
    };
    Some(Tracking {
        id: string(json, "id")?,
        number: string(json, "number")?,
        service: code(json, "service", ServiceCode::from_code)?,
        status: code(json, "status", ApplicationStatus::from_code)?,
        registered_on: code(json, "registered_on", parse_date)?,
        due_on: code(json, "due_on", parse_date)?,
        history: json_field(json, "history").dyn_into::<js_sys::Array>().ok()?.iter().map(stage).collect::<Option<_>>()?,
    })
}

/// `GET /api/applications/{id}` with the tracking token; `id` may also be the application's
/// number (`TN-…`), with its tracking code as the token.
pub async fn application(id: &str, token: &str, lang: Lang) -> Result<Tracking, ApiError> {
    let (path, authorization) = (format!("/api/applications/{id}"), format!("Bearer {token}"));
    let headers = [("Accept-Language", lang.code()), ("Authorization", &authorization)];
    parsed(&send(Call { headers: &headers, cache: Some(RequestCache::NoCache), ..Call::new(Method::GET, &path) }).await?, tracking_of)
}

/// A call of the staff API with the session's bearer token (`Authorization: Bearer …`) and a JSON
/// body, if any; the answer is read as `T` (`()` reads any body as nothing).
pub async fn staff_call<T: serde::de::DeserializeOwned>(method: Method, path: &str, token: &str, body: Option<String>, lang: Lang) -> Result<T, ApiError> {
    let authorization = format!("Bearer {token}");
    authorized_call(method, path, ("Authorization", &authorization), None, body, lang).await
}

/// `POST /api/applications` as a staff member accepting papers at a counter: under the form's
/// `Idempotency-Key` (a second press makes no second application), in the applicant's language
/// (their SMS messages follow it).
pub async fn staff_create_application(body: String, token: &str, idempotency_key: &str, lang: Lang) -> Result<CreatedApplication, ApiError> {
    let authorization = format!("Bearer {token}");
    authorized_call(Method::POST, "/api/applications", ("Authorization", &authorization), Some(idempotency_key), Some(body), lang).await
}

/// A call with a credential header (`(name, value)`) and, for a new application, its
/// `Idempotency-Key`; never cached; a JSON body, if any; the answer read as `T`.
async fn authorized_call<T: serde::de::DeserializeOwned>(
    method: Method,
    path: &str,
    credential: (&str, &str),
    idempotency_key: Option<&str>,
    body: Option<String>,
    lang: Lang,
) -> Result<T, ApiError> {
    let mut headers = vec![("Accept-Language", lang.code()), credential];
    headers.extend(idempotency_key.map(|key| ("Idempotency-Key", key)));
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    let call = Call { headers: &headers, body: body.map(JsValue::from), cache: Some(RequestCache::NoStore), ..Call::new(method, path) };
    json(&send(call).await?)
}

/// A staff upload: `file` as the body, as it is (its own type, else `application/octet-stream`),
/// with the session's bearer token, never cached; the answer is read as `T`.
pub async fn staff_upload<T: serde::de::DeserializeOwned>(path: &str, token: &str, file: &web_sys::File, lang: Lang) -> Result<T, ApiError> {
    let authorization = format!("Bearer {token}");
    let content_type = Some(file.type_()).filter(|t| !t.is_empty()).unwrap_or_else(|| "application/octet-stream".to_string());
    let headers = [("Accept-Language", lang.code()), ("Authorization", &authorization), ("Content-Type", &content_type)];
    json(&send(Call { headers: &headers, body: Some(JsValue::from(file.clone())), cache: Some(RequestCache::NoStore), ..Call::new(Method::POST, path) }).await?)
}

/// `POST /api/auth/login`: a staff session for `login` and `password`.
pub async fn staff_login(request: &telnuska_shared::api::LoginRequest, lang: Lang) -> Result<telnuska_shared::api::LoginResponse, ApiError> {
    json(&post_json("/api/auth/login", lang, body_of(request)).await?)
}

/// A call of a kiosk (`/kiosk`): `method path` (with its `Idempotency-Key` when it sends an
/// application) with the kiosk's device token in `X-Kiosk-Token`,
/// never cached; the answer read as `T`. A kiosk sends straight to the server: nothing of a
/// stranger's waits on the shared device.
pub async fn kiosk_call<T: serde::de::DeserializeOwned>(
    method: Method,
    path: &str,
    idempotency_key: Option<&str>,
    token: &str,
    body: Option<String>,
    lang: Lang,
) -> Result<T, ApiError> {
    authorized_call(method, path, ("X-Kiosk-Token", token), idempotency_key, body, lang).await
}
