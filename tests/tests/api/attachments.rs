//! Uploading attachments: PDF, JPEG and PNG recognised by content, the 10 MiB limit,
//! idempotency, and applications that refer to files never uploaded.

use reqwest::header::HeaderMap;
use serde_json::{json, Value};
use telnuska_tests::server::valid_application;
use telnuska_tests::{Backend, TestApp};

const PHONE: &str = "+77011234567";
/// The server's limit (`MAX_ATTACHMENT_BYTES`).
const LIMIT: usize = 10 * 1024 * 1024;

/// The first bytes of a real PNG: its signature and IHDR chunk of a 1×1 image.
pub const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89";
/// A JFIF header, as every camera JPEG starts.
pub const JPEG: &[u8] = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00\xff\xd9";
/// A minimal PDF.
pub const PDF: &[u8] = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// Posts `bytes` as the multipart part `file`, named and typed as a browser would send it.
pub async fn upload_as(app: &TestApp, filename: &str, declared_type: &str, bytes: &[u8], key: Option<&str>) -> (u16, Value, HeaderMap) {
    send_upload(app, filename, declared_type, bytes, key, &[]).await
}

/// [`upload_as`] with extra headers (the address behind the proxy, a staff token).
async fn send_upload(app: &TestApp, filename: &str, declared_type: &str, bytes: &[u8], key: Option<&str>, headers: &[(&str, &str)]) -> (u16, Value, HeaderMap) {
    let boundary = "telnuska-test-boundary-5b1f0c";
    let mut body =
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{filename}\"\r\nContent-Type: {declared_type}\r\n\r\n").into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let mut req = app
        .client
        .post(app.url("/api/attachments"))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .header("accept-language", "ru")
        .body(body);
    if let Some(k) = key {
        req = req.header("Idempotency-Key", k);
    }
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let res = req.send().await.expect("POST /api/attachments");
    let (status, headers) = (res.status().as_u16(), res.headers().clone());
    (status, res.json().await.unwrap_or(Value::Null), headers)
}

/// Uploads a file and returns its id.
pub async fn upload(app: &TestApp, bytes: &[u8]) -> String {
    let (status, body, _) = upload_as(app, "scan.pdf", "application/pdf", bytes, None).await;
    assert_eq!(status, 201, "{body}");
    body["id"].as_str().expect("id").to_string()
}

async fn pdf_jpeg_and_png_are_accepted_and_typed_by_their_content(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    for (name, declared, bytes, expected) in [
        ("diploma.pdf", "application/pdf", PDF, "application/pdf"),
        ("photo.jpg", "image/jpeg", JPEG, "image/jpeg"),
        ("scan.png", "image/png", PNG, "image/png"),
        // A photo saved under a PDF name is still a photo.
        ("photo.pdf", "application/pdf", PNG, "image/png"),
    ] {
        let (status, body, _) = upload_as(&app, name, declared, bytes, None).await;
        assert_eq!(status, 201, "{name}: {body}");
        assert_eq!(body["content_type"], expected, "{name}");
        assert_eq!(body["size"], bytes.len(), "{name}");
        let sha = body["sha256"].as_str().unwrap();
        assert!(sha.len() == 64 && sha.chars().all(|c| c.is_ascii_hexdigit()), "{sha}");
        assert!(!body["id"].as_str().unwrap().is_empty());
    }
}

async fn a_text_file_renamed_pdf_is_refused_with_the_field_and_code(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, problem, _) = upload_as(&app, "diploma.pdf", "application/pdf", b"I am a text file, honest.", None).await;
    assert_eq!(status, 422, "{problem}");
    assert_eq!(problem["code"], "validation.failed");
    assert_eq!(problem["errors"][0]["field"], "file");
    assert_eq!(problem["errors"][0]["code"], "attachment.type");
    assert_eq!(problem["errors"][0]["message"], "Прикрепите файл PDF, JPEG или PNG.");
    let (status, problem, _) = upload_as(&app, "empty.png", "image/png", b"", None).await;
    assert_eq!((status, problem["errors"][0]["code"].as_str()), (422, Some("attachment.type")));
}

async fn a_file_over_10_mib_is_refused_and_one_of_exactly_10_mib_is_not(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let mut big = PDF.to_vec();
    big.resize(LIMIT, b' ');
    let (status, body, _) = upload_as(&app, "big.pdf", "application/pdf", &big, None).await;
    assert_eq!((status, body["size"].as_u64()), (201, Some(LIMIT as u64)), "{body}");
    big.push(b' ');
    let (status, problem, _) = upload_as(&app, "bigger.pdf", "application/pdf", &big, None).await;
    assert_eq!(status, 413, "{problem}");
    assert_eq!(problem["code"], "request.too_large");
}

async fn the_same_key_and_bytes_return_the_first_response(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (s1, first, _) = upload_as(&app, "a.pdf", "application/pdf", PDF, Some("upload-1")).await;
    let (s2, second, headers) = upload_as(&app, "renamed.pdf", "application/pdf", PDF, Some("upload-1")).await;
    assert_eq!((s1, s2), (201, 201), "{first} {second}");
    assert_eq!(first, second);
    assert_eq!(headers.get("idempotent-replay").and_then(|v| v.to_str().ok()), Some("true"));
    let (s3, conflict, _) = upload_as(&app, "a.png", "image/png", PNG, Some("upload-1")).await;
    assert_eq!((s3, conflict["code"].as_str()), (409, Some("idempotency.conflict")), "{conflict}");
    let (_, other, _) = upload_as(&app, "a.pdf", "application/pdf", PDF, Some("upload-2")).await;
    assert_ne!(other["id"], first["id"], "another key is another upload");
}

async fn a_request_without_the_file_part_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let res = app.client.post(app.url("/api/attachments")).header("content-type", "multipart/form-data; boundary=b").body("--b--\r\n").send().await.unwrap();
    assert_eq!(res.status().as_u16(), 422);
    let problem: Value = res.json().await.unwrap();
    assert_eq!((problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()), (Some("file"), Some("required")));
    let (status, problem) = app.post("/api/attachments", &json!({"file": "base64…"}), None, None).await;
    assert_eq!((status, problem["code"].as_str()), (400, Some("request.malformed")), "{problem}");
}

async fn an_application_referring_to_an_unknown_attachment_is_refused(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let uploaded = upload(&app, PDF).await;
    let code = app.otp_code(PHONE).await;
    let mut body = valid_application(PHONE, &code);
    body["attachments"] = json!([{"kind": "other", "id": uploaded}, {"kind": "other", "id": "never-uploaded"}]);
    let (status, problem) = app.post("/api/applications", &body, Some("with-unknown"), None).await;
    assert_eq!(status, 422, "{problem}");
    let errors = problem["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 1, "{problem}");
    assert_eq!((errors[0]["field"].as_str(), errors[0]["code"].as_str()), (Some("attachments.1.id"), Some("attachment.unknown")));

    body["attachments"] = json!([{"kind": "other", "id": uploaded}]);
    let (status, created) = app.post("/api/applications", &body, Some("with-known"), None).await;
    assert_eq!(status, 201, "{created}");
}

/// Uploads `bytes` (a PDF) with extra headers: the address behind the proxy, a staff token.
async fn upload_with(app: &TestApp, bytes: &[u8], headers: &[(&str, &str)]) -> (u16, Value, HeaderMap) {
    send_upload(app, "scan.pdf", "application/pdf", bytes, None, headers).await
}

async fn anonymous_uploads_have_an_hourly_quota_per_address_and_in_total(backend: Backend) {
    // A PDF of 4 KiB; an address may upload 10 KiB an hour, everyone 18 KiB.
    let file = [PDF, &[b' '; 4096 - PDF.len()]].concat();
    let env = [("TELNUSKA_TRUST_PROXY", "1"), ("TELNUSKA_UPLOAD_BYTES_PER_ADDRESS_HOUR", "10240"), ("TELNUSKA_UPLOAD_BYTES_PER_HOUR", "18432")];
    let app = TestApp::spawn_with(backend, &env).await;
    let from = |ip: &'static str| [("x-forwarded-for", ip)];
    for _ in 0..2 {
        assert_eq!(upload_with(&app, &file, &from("10.0.0.1")).await.0, 201);
    }
    let (status, problem, headers) = upload_with(&app, &file, &from("10.0.0.1")).await;
    assert_eq!((status, problem["code"].as_str()), (429, Some("rate_limited")), "{problem}");
    let wait: u64 = headers["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((3000..=3600).contains(&wait), "the hour frees room in {wait} s");

    // Another address has its own share, until everyone's quota is used up.
    for _ in 0..2 {
        assert_eq!(upload_with(&app, &file, &from("10.0.0.2")).await.0, 201);
    }
    assert_eq!(upload_with(&app, &file, &from("10.0.0.3")).await.0, 429, "18 KiB from everyone in the hour");

    // Staff upload what people hand over at the desk, beyond the quota; a refused upload stored nothing.
    let operator = app.login("operator").await;
    let bearer = format!("Bearer {operator}");
    let (status, body, _) = upload_with(&app, &file, &[("x-forwarded-for", "10.0.0.1"), ("authorization", bearer.as_str())]).await;
    assert_eq!(status, 201, "{body}");
    let pool = app.database().await;
    let stored: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM attachments").fetch_one(&pool).await.unwrap();
    assert_eq!(stored, 5, "four anonymous uploads within the quota and the operator's");
}

crate::on_both_backends!(
    anonymous_uploads_have_an_hourly_quota_per_address_and_in_total,
    pdf_jpeg_and_png_are_accepted_and_typed_by_their_content,
    a_text_file_renamed_pdf_is_refused_with_the_field_and_code,
    a_file_over_10_mib_is_refused_and_one_of_exactly_10_mib_is_not,
    the_same_key_and_bytes_return_the_first_response,
    a_request_without_the_file_part_is_refused,
    an_application_referring_to_an_unknown_attachment_is_refused,
);
