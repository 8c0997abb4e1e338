//! The published OpenAPI document covers the contract of shared/API.md and is self-consistent.

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

crate::on_both_backends!(openapi_lists_every_contract_path_and_every_reference_resolves);
