//! The identity registry behind `GET /api/identity/{iin}`: the demo registry's seeded people, and
//! the HTTP adapter against a fake registry started inside the test (a person, an unknown IIN, an
//! error, no answer in time, nobody listening), where "unavailable" tells the operator to type
//! the data by hand and the intake still goes on.

use serde_json::Value;
use telnuska_tests::fake_service::FakeService;
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};
use tokio::net::TcpListener;

const KEY: &str = "registry-key-1";

/// A fake registry: `/people/010101599904` is a person, `/people/700101390111` unknown (404),
/// `/people/850315401231` a server error (500), and any other IIN is never answered.
async fn fake_registry() -> FakeService {
    FakeService::start_for(|request| match request.path.as_str() {
        "/people/010101599904" => {
            Some((200, r#"{"last_name":"Сейітқали","first_name":"Әсел","patronymic":"Нұрланқызы","birth_date":"2001-01-01"}"#.to_string()))
        }
        "/people/700101390111" => Some((404, "{}".to_string())),
        "/people/850315401231" => Some((500, String::new())),
        _ => None,
    })
    .await
}

async fn lookup(app: &TestApp, iin: &str, token: &str, lang: &str) -> (u16, Value) {
    let res = app.client.get(app.url(&format!("/api/identity/{iin}"))).bearer_auth(token).header("accept-language", lang).send().await.unwrap();
    let status = res.status().as_u16();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn the_demo_registry_finds_seeded_people_for_counter_workers_only(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let operator = app.login("operator").await;
    let (status, person) = lookup(&app, "0101 0159 9904", &operator, "kk").await;
    assert_eq!(status, 200, "{person}");
    assert_eq!((person["iin"].as_str(), person["last_name"].as_str(), person["first_name"].as_str()), (Some("010101599904"), Some("Сейітқали"), Some("Әсел")));
    assert_eq!(person["birth_date"], "2001-01-01");
    let (status, _) = lookup(&app, "120229699910", &operator, "kk").await;
    assert_eq!(status, 404, "a valid IIN the registry does not know");
    let (status, problem) = lookup(&app, "010101599905", &operator, "en").await;
    assert_eq!((status, problem["errors"][0]["field"].as_str(), problem["errors"][0]["code"].as_str()), (422, Some("iin"), Some("iin.check_digit")));
    let (status, _) = lookup(&app, "010101599904", &app.login("field").await, "kk").await;
    assert_eq!(status, 403, "only who takes papers at a counter (ЦОН, a provider's office)");
    let (status, _) = app.get("/api/identity/010101599904", None).await;
    assert_eq!(status, 401);
}

async fn the_http_registry_answers_a_person_an_unknown_iin_and_errors(backend: Backend) {
    let registry = fake_registry().await;
    let url = format!("{}/people", registry.url);
    let app = TestApp::spawn_with(
        backend,
        &[("TELNUSKA_IDENTITY_REGISTRY_URL", url.as_str()), ("TELNUSKA_IDENTITY_REGISTRY_KEY", KEY), ("TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS", "1")],
    )
    .await;
    let operator = app.login("operator").await;
    let (status, person) = lookup(&app, "010101599904", &operator, "kk").await;
    assert_eq!(status, 200, "{person}");
    assert_eq!((person["last_name"].as_str(), person["patronymic"].as_str()), (Some("Сейітқали"), Some("Нұрланқызы")));
    let requests = registry.requests();
    assert!(requests.iter().all(|r| r.method == "GET" && r.header("authorization") == Some(&format!("Bearer {KEY}"))), "{requests:?}");
    let (status, _) = lookup(&app, "700101390111", &operator, "kk").await;
    assert_eq!(status, 404);
    let (status, problem) = lookup(&app, "850315401231", &operator, "ru").await;
    assert_eq!((status, problem["code"].as_str()), (503, Some("identity_registry.unavailable")), "{problem}");
    assert!(problem["title"].as_str().unwrap().contains("вручную"), "{problem}");
    // No answer within the timeout: unavailable too, after about the configured second.
    let started = std::time::Instant::now();
    let (status, problem) = lookup(&app, "920712300459", &operator, "en").await;
    assert_eq!((status, problem["code"].as_str()), (503, Some("identity_registry.unavailable")), "{problem}");
    assert!(started.elapsed() < std::time::Duration::from_secs(5), "the timeout of 1 s was not kept: {:?}", started.elapsed());
    assert!(problem["title"].as_str().unwrap().contains("by hand"), "{problem}");
}

async fn with_the_registry_down_the_operator_accepts_the_typed_data(backend: Backend) {
    // A port nobody listens on: the connection is refused.
    let closed = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/people", closed.local_addr().unwrap());
    drop(closed);
    let app = TestApp::spawn_with(backend, &[("TELNUSKA_IDENTITY_REGISTRY_URL", url.as_str()), ("TELNUSKA_IDENTITY_REGISTRY_TIMEOUT_SECS", "1")]).await;
    let operator = app.login("operator").await;
    let (status, problem) = lookup(&app, "010101599904", &operator, "kk").await;
    assert_eq!((status, problem["code"].as_str()), (503, Some("identity_registry.unavailable")), "{problem}");
    let created = app.submit_at_desk("typed-by-hand", &desk_application()).await;
    assert_eq!(created["status"], "submitted", "{created}");
}

crate::on_both_backends!(
    the_demo_registry_finds_seeded_people_for_counter_workers_only,
    the_http_registry_answers_a_person_an_unknown_iin_and_errors,
    with_the_registry_down_the_operator_accepts_the_typed_data,
);
