//! The published OpenAPI document covers the contract of shared/API.md, is self-consistent, and
//! lists exactly the routes the server serves.

use std::collections::BTreeSet;

use serde_json::Value;
use telnuska_tests::{Backend, TestApp};

fn refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.extend(v.as_str().map(str::to_string));
                }
                refs(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

async fn openapi_lists_every_contract_path_and_every_reference_resolves(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (status, doc) = app.get("/api/openapi.json", None).await;
    assert_eq!(status, 200);
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    for (path, method) in [
        ("/api/health", "get"),
        ("/api/reference", "get"),
        ("/api/calendar/due", "get"),
        ("/api/otp", "post"),
        ("/api/dev/sms", "get"),
        ("/api/applications/validate", "post"),
        ("/api/applications", "post"),
        ("/api/applications", "get"),
        ("/api/attachments", "post"),
        ("/api/applications/{id}", "get"),
        ("/api/auth/login", "post"),
        ("/api/applications/{id}/actions", "post"),
        ("/api/applications/{id}/receipt", "get"),
        ("/api/sync/push", "post"),
        ("/api/sync/pull", "get"),
        ("/api/admin/staff/{login}/disabled", "put"),
        ("/api/admin/staff/{login}/password", "put"),
        ("/api/admin/staff/{login}/sessions", "delete"),
    ] {
        assert!(doc["paths"][path][method].is_object(), "{method} {path} missing from openapi.json");
    }
    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for r in all {
        let name = r.strip_prefix("#/components/schemas/").unwrap_or_else(|| panic!("unexpected $ref {r}"));
        assert!(doc["components"]["schemas"][name].is_object(), "$ref {r} does not resolve");
    }
    let statuses = &doc["components"]["schemas"]["ApplicationStatus"]["enum"];
    assert!(statuses.as_array().unwrap().contains(&Value::from("in_transit")), "codes as they travel: {statuses}");
    assert!(doc["components"]["schemas"]["OtpRequest"]["properties"]["content_sha256"].is_object(), "the code's content hash is documented");
    let request = &doc["components"]["schemas"]["CreateApplicationRequest"];
    for field in ["service", "channel", "applicant", "documents", "consents", "signature", "accepted_at"] {
        assert!(request["properties"][field].is_object(), "CreateApplicationRequest.{field}");
    }
}

/// The operations a path item of the document may hold.
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Asked with a method it does not route there (`PATCH`, which the API never uses), the router
/// answers a path it serves with 405 and names in `Allow` the methods it routes there (`HEAD` with
/// `GET`); a path it does not serve is 404. So each documented path is served, with exactly the
/// documented methods.
async fn every_documented_path_is_routed_with_exactly_its_documented_methods(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let (_, doc) = app.get("/api/openapi.json", None).await;
    let paths = doc["paths"].as_object().expect("paths");
    assert!(paths.len() >= 50, "{} paths", paths.len());
    for (path, item) in paths {
        let mut documented: BTreeSet<String> =
            item.as_object().expect("a path item").keys().filter(|k| METHODS.contains(&k.as_str())).map(|m| m.to_uppercase()).collect();
        assert!(!documented.contains("PATCH"), "{path}: the probe's method is documented");
        if documented.contains("GET") {
            documented.insert("HEAD".into());
        }
        // Each `{parameter}` filled with a value of its own: the route matches whatever it is.
        let concrete: String = path.split('/').map(|part| if part.starts_with('{') { "x" } else { part }).collect::<Vec<_>>().join("/");
        let response = app.client.patch(app.url(&concrete)).send().await.unwrap();
        assert_eq!(response.status().as_u16(), 405, "PATCH {concrete}: {path} is documented but not routed");
        let allow = response.headers().get("allow").and_then(|v| v.to_str().ok()).unwrap_or_default();
        let routed: BTreeSet<String> = allow.split(',').map(|m| m.trim().to_string()).filter(|m| !m.is_empty()).collect();
        assert_eq!(routed, documented, "{path}: the methods routed (Allow) and documented differ");
    }
}

crate::on_both_backends!(openapi_lists_every_contract_path_and_every_reference_resolves, every_documented_path_is_routed_with_exactly_its_documented_methods);
