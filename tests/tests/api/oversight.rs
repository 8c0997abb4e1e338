//! The head's view agrees with the event log: the test reads the events through the sync API and
//! computes the same figures on its own.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde_json::{json, Value};
use telnuska_shared::calendar::{almaty_date, Calendar};
use telnuska_tests::server::desk_application;
use telnuska_tests::{Backend, TestApp};

use crate::workflow::expect_status;

/// Statuses in which the result is still owed.
const OPEN: [&str; 6] = ["submitted", "in_transit", "registered", "in_review", "hearing_scheduled", "ready"];
/// Statuses at which a result collected at ЦОН is delivered.
const DELIVERED: [&str; 4] = ["at_con", "issued", "refused", "record_updated"];

async fn carry(app: &TestApp, id: &str, steps: &[(&str, &str, &str)]) {
    for (who, action, status) in steps {
        expect_status(app, id, who, json!({ "action": action }), status).await;
    }
}

/// Every event the administrator may see, by application, oldest first.
async fn event_log(app: &TestApp, admin: &str) -> BTreeMap<String, Vec<(DateTime<Utc>, String)>> {
    let (mut log, mut since) = (BTreeMap::<String, Vec<(DateTime<Utc>, String)>>::new(), "0".to_string());
    loop {
        let (status, page) = app.get(&format!("/api/sync/pull?since={since}"), Some(admin)).await;
        assert_eq!(status, 200, "{page}");
        let events = page["events"].as_array().unwrap();
        if events.is_empty() {
            return log;
        }
        for e in events {
            let at = DateTime::parse_from_rfc3339(e["at"].as_str().unwrap()).unwrap().with_timezone(&Utc);
            log.entry(e["application_id"].as_str().unwrap().to_string()).or_default().push((at, e["status"].as_str().unwrap().to_string()));
        }
        since = page["cursor"].as_str().unwrap().to_string();
    }
}

fn date(v: &Value) -> NaiveDate {
    v.as_str().unwrap().parse().unwrap()
}

async fn the_heads_view_agrees_with_the_event_log(backend: Backend) {
    let start = [("TELNUSKA_NOW", "2026-11-30T10:00:00+05:00")];
    let app = TestApp::spawn_with(backend, &start).await;
    let mut ids = Vec::new();
    for key in ["early", "late", "stuck", "waiting"] {
        ids.push(app.submit_at_desk(key, &desk_application()).await["id"].as_str().unwrap().to_string());
    }
    let to_review = [("operator", "dispatch", "in_transit"), ("provider", "register", "registered"), ("provider", "start_review", "in_review")];
    for id in &ids[..3] {
        carry(&app, id, &to_review).await;
    }
    let deliver = [("provider", "approve", "ready"), ("provider", "deliver_to_con", "at_con")];
    let app = app.restart_with(&[("TELNUSKA_NOW", "2026-12-03T15:00:00+05:00")]);
    carry(&app, &ids[0], &deliver).await;
    let fresh = app.submit_at_desk("fresh", &desk_application()).await["id"].as_str().unwrap().to_string();
    let now = "2026-12-23T10:00:00+05:00";
    let app = app.restart_with(&[("TELNUSKA_NOW", now)]);
    carry(&app, &ids[1], &deliver).await;
    ids.push(fresh);
    app.run_jobs().await;

    let admin = app.login("admin").await;
    let (status, view) = app.get("/api/oversight", Some(&admin)).await;
    assert_eq!(status, 200, "{view}");
    let figures = view["services"].as_array().unwrap().iter().find(|s| s["service"] == "higher_duplicate").unwrap().clone();

    // The same figures from the event log, the applications' dates and the job's flags.
    let now: DateTime<Utc> = DateTime::parse_from_rfc3339(now).unwrap().with_timezone(&Utc);
    let calendar = Calendar::builtin();
    let log = event_log(&app, &admin).await;
    let (mut open, mut at_risk, mut overdue, mut delivered, mut on_time, mut days) = (0, 0, 0, 0, 0, Vec::new());
    for (id, events) in &log {
        let (_, application) = app.get(&format!("/api/applications/{id}"), Some(&admin)).await;
        let last = events.last().unwrap().1.as_str();
        if OPEN.contains(&last) {
            open += 1;
            at_risk += usize::from(application["deadline_state"] == "at_risk");
            overdue += usize::from(application["deadline_state"] == "overdue");
        }
        if let Some((at, _)) = events.iter().find(|(at, s)| DELIVERED.contains(&s.as_str()) && *at > now - Duration::days(30) && *at <= now) {
            let (registered, due, on) = (date(&application["registered_on"]), date(&application["due_on"]), almaty_date(*at));
            delivered += 1;
            on_time += usize::from(on <= due);
            days.push(registered.iter_days().skip(1).take_while(|d| *d <= on).filter(|d| calendar.is_working_day(*d)).count());
        }
    }
    days.sort_unstable();
    let median = match days.len() {
        0 => None,
        n if n % 2 == 1 => Some(days[n / 2] as f64),
        n => Some((days[n / 2 - 1] + days[n / 2]) as f64 / 2.0),
    };
    assert_eq!(log.len(), 5);
    assert_eq!((open, overdue, delivered, on_time), (3, 2, 2, 1), "the scenario: two stuck past their term, one result late");
    assert_eq!(figures["open"], open, "{view}");
    assert_eq!(figures["at_risk"], at_risk, "{view}");
    assert_eq!(figures["overdue"], overdue, "{view}");
    assert_eq!(figures["delivered"], delivered, "{view}");
    assert_eq!(figures["delivered_on_time"], on_time, "{view}");
    assert_eq!(figures["on_time_share"].as_f64(), Some(on_time as f64 / delivered as f64), "{view}");
    assert_eq!(figures["median_working_days"].as_f64(), median, "{view}");
    assert_eq!(view["as_of"], "2026-12-23");

    let field = app.login("field").await;
    assert_eq!(app.get("/api/oversight", Some(&field)).await.0, 403, "a field worker has no head's view");
    let provider = app.login("provider").await;
    let (status, own) = app.get("/api/oversight?institution=kaznmu", Some(&provider)).await;
    assert_eq!((status, &own["services"]), (200, &view["services"]), "the provider of the only institution sees the same");
}

crate::on_both_backends!(the_heads_view_agrees_with_the_event_log);
