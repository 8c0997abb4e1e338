//! Crashes and scale-out: nothing acknowledged is lost after `kill -9`, client retries create no
//! duplicates, and two instances on one PostgreSQL serve the same truth.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use telnuska_tests::{Backend, TestApp};

/// The body of the `n`-th desk submission (distinct e-mails so bodies differ).
fn desk_application(n: usize) -> Value {
    let mut body = telnuska_tests::server::desk_application();
    body["applicant"]["email"] = json!(format!("person{n}@mail.kz"));
    body
}

async fn acknowledged_submissions_survive_a_kill_and_retries_make_no_duplicates(backend: Backend) {
    const TOTAL: usize = 40;
    let mut app = TestApp::spawn(backend).await;
    let token = app.login("operator").await;
    let url = app.url("/api/applications");
    let client = app.client.clone();
    let auth = token.clone();
    let progress = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let seen = progress.clone();
    // Submit in a stream while the server is killed part-way through.
    let stream = tokio::spawn(async move {
        let mut acknowledged = BTreeMap::new();
        for n in 0..TOTAL {
            let sent = client.post(&url).bearer_auth(&auth).header("Idempotency-Key", format!("crash-{n}")).json(&desk_application(n)).send().await;
            if let Ok(res) = sent {
                if res.status().as_u16() == 201 {
                    if let Ok(body) = res.json::<Value>().await {
                        acknowledged.insert(n, body["id"].as_str().unwrap_or_default().to_string());
                        seen.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                    }
                }
            }
        }
        acknowledged
    });
    // Kill as soon as a few submissions were acknowledged, while more are on their way.
    while progress.load(std::sync::atomic::Ordering::SeqCst) < 5 {
        tokio::time::sleep(std::time::Duration::from_millis(1)).await;
    }
    app.kill();
    let acknowledged = stream.await.unwrap();
    assert!(acknowledged.len() < TOTAL, "the kill came before the stream ended ({} acknowledged)", acknowledged.len());

    let app = app.restart_with(&[]);
    let token = app.login("operator").await;
    for (n, id) in &acknowledged {
        let (status, view) = app.get(&format!("/api/applications/{id}"), Some(&token)).await;
        assert_eq!(status, 200, "acknowledged application {n} ({id}) lost: {view}");
    }
    // The client retries everything it is unsure of, with the same keys.
    for n in 0..TOTAL {
        let (status, body) = app.post("/api/applications", &desk_application(n), Some(&format!("crash-{n}")), Some(&token)).await;
        assert_eq!(status, 201, "{body}");
        if let Some(id) = acknowledged.get(&n) {
            assert_eq!(body["id"].as_str().unwrap(), id, "a retry returns the first answer");
        }
    }
    assert_eq!(app.count_applications().await, TOTAL, "one application per key, no duplicates");
}

crate::on_both_backends!(
    acknowledged_submissions_survive_a_kill_and_retries_make_no_duplicates,
    two_instances_share_an_added_institution_after_the_refresh_interval
);

/// Two stateless instances behind one PostgreSQL: both accept, both see everything, and a key
/// used on one is honoured by the other.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_one_postgres() {
    let first = TestApp::spawn(Backend::Postgres).await;
    let second = first.second_instance();
    let (t1, t2) = (first.login("operator").await, second.login("operator").await);
    let (s1, a) = first.post("/api/applications", &desk_application(1), Some("lb-1"), Some(&t1)).await;
    let (s2, b) = second.post("/api/applications", &desk_application(2), Some("lb-2"), Some(&t2)).await;
    assert_eq!((s1, s2), (201, 201), "{a} {b}");
    assert_ne!(a["number"], b["number"], "numbers are unique across instances");
    let (s3, again) = second.post("/api/applications", &desk_application(1), Some("lb-1"), Some(&t2)).await;
    assert_eq!((s3, &again["id"]), (201, &a["id"]), "a retry through the other instance is the same application");
    let (status, seen) = second.get(&format!("/api/applications/{}", a["id"].as_str().unwrap()), Some(&t1)).await;
    assert_eq!(status, 200, "a session made on one instance works on the other: {seen}");
    assert_eq!(first.count_applications().await, 2);
    assert_eq!(second.count_applications().await, 2);
}

/// An institution added through one instance is in force there at once, and on another instance
/// of the same database after that instance's next refresh (`TELNUSKA_REFERENCE_REFRESH_SECS`),
/// not on each request: until then the other one still refuses it.
async fn two_instances_share_an_added_institution_after_the_refresh_interval(backend: Backend) {
    let first = TestApp::spawn(backend).await;
    let late = first.second_instance_with(&[("TELNUSKA_REFERENCE_REFRESH_SECS", "3600")]);
    let prompt = first.second_instance_with(&[("TELNUSKA_REFERENCE_REFRESH_SECS", "1")]);
    let university = json!({"code": "added_university", "kind": "university", "region": "almaty_city", "name_kk": "", "name_ru": "Добавленный университет"});
    let (status, added) = first.post("/api/admin/institutions", &university, None, Some(&first.login("admin").await)).await;
    assert_eq!(status, 201, "{added}");
    let naming_it = |n| {
        let mut body = desk_application(n);
        body["documents"][0]["institution"] = json!("added_university");
        body
    };
    let body = naming_it(1);

    let (status, accepted) = first.post("/api/applications", &body, Some("added-1"), Some(&first.login("operator").await)).await;
    assert_eq!(status, 201, "the instance that added it validates with it at once: {accepted}");
    let (status, refused) = late.post("/api/applications/validate", &body, None, None).await;
    assert_eq!(status, 422, "an instance reads the added institutions on its refresh, not per request: {refused}");
    assert_eq!(refused["errors"][0]["code"], "reference.unknown_institution", "{refused}");

    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, lists) = prompt.get("/api/reference", None).await;
        if lists["version"] == added["version"] {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the other instance's lists never followed: {}", lists["version"]);
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    let (status, accepted) = prompt.post("/api/applications", &naming_it(2), Some("added-2"), Some(&prompt.login("operator").await)).await;
    assert_eq!(status, 201, "after its refresh the other instance accepts it: {accepted}");
}
