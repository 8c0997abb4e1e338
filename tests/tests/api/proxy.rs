//! Behind the trusted load balancer the client's address is the `X-Forwarded-For` entry the
//! balancer appended, so rotating the entries a client writes itself escapes no limit.

use serde_json::json;
use telnuska_tests::{Backend, TestApp};

async fn rotating_the_left_of_x_forwarded_for_does_not_escape_the_limit_per_address(backend: Backend) {
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_TRUST_PROXY", "1")]).await;
    let mut statuses = Vec::new();
    for i in 0..31 {
        // Each request claims another address; the balancer appends the real one, the same each time.
        let forwarded = format!("10.{i}.0.1, 203.0.113.5");
        let phone = format!("+7701{:07}", 1_000_000 + i);
        let res = app.client.post(app.url("/api/otp")).header("X-Forwarded-For", forwarded).json(&json!({ "phone": phone })).send().await.unwrap();
        statuses.push(res.status().as_u16());
    }
    assert!(statuses[..30].iter().all(|s| *s == 202), "{statuses:?}");
    assert_eq!(statuses[30], 429, "the 31st code in an hour from one address waits: {statuses:?}");
    let res = app
        .client
        .post(app.url("/api/otp"))
        .header("X-Forwarded-For", "203.0.113.5, 198.51.100.7")
        .json(&json!({"phone": "+77019999999"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 202, "another address is not affected");
}

crate::on_both_backends!(rotating_the_left_of_x_forwarded_for_does_not_escape_the_limit_per_address);
