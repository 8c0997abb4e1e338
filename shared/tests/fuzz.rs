//! Bad input never panics: a proptest "fuzz" run of a few hundred cases per target over every
//! parser with arbitrary strings, over arbitrary JSON bodies, over mutations of a valid
//! application, and over instants given to the calendar. It also checks that whatever the input,
//! every reported code is a catalogued one (so every error has a message) and that a valid result
//! is stable when validated again. Native only: proptest does not build for wasm32.
#![cfg(not(target_arch = "wasm32"))]

use chrono::{DateTime, NaiveDate, Utc};
use proptest::prelude::*;
use serde_json::{json, Value};
use telnuska_shared::api::{ApplicationStatus, Channel, CollectionPlace, CreateApplicationRequest, Role, ServiceCode};
use telnuska_shared::calendar::Calendar;
use telnuska_shared::deadlines::Deadlines;
use telnuska_shared::document::check_graduation;
use telnuska_shared::reference::{compiled, RefusalGround};
use telnuska_shared::workflow::{action_kinds, transition, Action, Context};

#[path = "common/invariants.rs"]
mod invariants;

const CASES: u32 = 300;

fn base() -> Value {
    let file: Value = serde_json::from_str(include_str!("vectors/applications.json")).expect("vector file is JSON");
    file["base"].clone()
}

/// Values meaningful to the schema, so that mutated bodies still deserialise and reach the
/// cross-field rules.
const CODES: [&str; 32] = [
    "higher_duplicate",
    "tvet_duplicate",
    "school_duplicate",
    "correction",
    "portal",
    "kiosk",
    "con",
    "field",
    "self",
    "parent",
    "guardian",
    "representative",
    "diploma",
    "supplement",
    "diploma_and_supplement",
    "certificate",
    "loss",
    "damage",
    "name_change",
    "data_error",
    "original_document",
    "power_of_attorney",
    "birth_certificate",
    "electronic_copy",
    "kaznmu",
    "kvki",
    "nis_taraz",
    "almaty_city",
    "bachelor",
    "tvet",
    "120229699910",
    "2026-11-24T10:00:00Z",
];

/// A JSON leaf: arbitrary, or a schema code.
fn leaf() -> impl Strategy<Value = Value> {
    prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        (1900i64..2100).prop_map(Value::from),
        any::<f64>().prop_map(|f| json!(f)),
        any::<String>().prop_map(Value::from),
        prop::sample::select(CODES.to_vec()).prop_map(Value::from),
    ]
}

/// Text for a string node: any string, or one of the codes the schema knows.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![any::<String>(), prop::sample::select(CODES.to_vec()).prop_map(String::from)]
}

fn arb_json() -> impl Strategy<Value = Value> {
    leaf().prop_recursive(3, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map("[a-z_]{1,14}", inner, 0..4).prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// JSON pointers of every node of a value (the root excluded).
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    let children: Vec<(String, &Value)> = match v {
        Value::Object(m) => m.iter().map(|(k, c)| (k.clone(), c)).collect(),
        Value::Array(a) => a.iter().enumerate().map(|(i, c)| (i.to_string(), c)).collect(),
        _ => return,
    };
    for (key, child) in children {
        let p = format!("{at}/{key}");
        out.push(p.clone());
        pointers(child, p, out);
    }
}

/// Validates whatever deserialises and checks the invariants that hold for any input.
fn exercise(req: &CreateApplicationRequest) -> Result<(), TestCaseError> {
    invariants::application(req).map_err(TestCaseError::fail)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn every_parser_takes_any_string(s in any::<String>()) {
        invariants::text_parsers(&s).map_err(TestCaseError::fail)?;
    }

    #[test]
    fn graduation_years_take_any_number(year in any::<i32>(), current in any::<i32>(), days in any::<i32>()) {
        let _ = check_graduation(year, current, NaiveDate::from_num_days_from_ce_opt(days));
    }

    #[test]
    fn any_json_text_is_rejected_or_validated(s in any::<String>()) {
        if let Ok(req) = serde_json::from_str::<CreateApplicationRequest>(&s) {
            exercise(&req)?;
        }
    }

    #[test]
    fn any_json_value_is_rejected_or_validated(v in arb_json()) {
        if let Ok(req) = serde_json::from_value::<CreateApplicationRequest>(v) {
            exercise(&req)?;
        }
    }

    #[test]
    fn mutated_applications_are_rejected_or_validated(
        edits in prop::collection::vec((any::<prop::sample::Index>(), 0u8..5, arb_json(), text(), 1900i64..2100), 1..5),
    ) {
        let mut body = base();
        for (index, op, any_value, same_text, same_number) in edits {
            let mut all = Vec::new();
            pointers(&body, String::new(), &mut all);
            let target = index.get(&all).clone();
            let original = body.pointer(&target).cloned().unwrap_or(Value::Null);
            // Most edits keep the JSON type of the node, so the body still deserialises and the
            // cross-field rules see the change; the others put anything anywhere.
            let value = match (op, &original) {
                (2.., Value::String(_)) => Value::from(same_text),
                (2.., Value::Number(_)) => json!(same_number),
                (2.., Value::Bool(b)) => json!(!b),
                _ => any_value,
            };
            let (parent, key) = target.rsplit_once('/').expect("a pointer has a slash");
            match body.pointer_mut(parent) {
                Some(Value::Object(m)) if op == 0 => { m.remove(key); }
                Some(Value::Object(m)) => { m.insert(key.to_string(), value); }
                Some(Value::Array(a)) => {
                    let i: usize = key.parse().expect("an index");
                    if op == 0 { a.remove(i); } else { a[i] = value; }
                }
                _ => {}
            }
        }
        if let Ok(req) = serde_json::from_value::<CreateApplicationRequest>(body) {
            exercise(&req)?;
        }
    }

    #[test]
    fn every_text_field_takes_any_string(texts in prop::collection::vec(any::<String>(), 40)) {
        // Coded fields (service, channel, reason…) are the deserialiser's to reject; the rest is text.
        const CODED: [&str; 7] = ["service", "channel", "relationship", "document_kind", "reason", "kind", "method"];
        let mut body = base();
        let mut all = Vec::new();
        pointers(&body, String::new(), &mut all);
        let texts_at: Vec<String> = all
            .into_iter()
            .filter(|p| body.pointer(p).is_some_and(Value::is_string) && !CODED.iter().any(|c| p.ends_with(&format!("/{c}"))))
            .collect();
        prop_assert!(texts_at.len() >= 20);
        for (pointer, text) in texts_at.iter().zip(texts) {
            *body.pointer_mut(pointer).expect("collected above") = Value::from(text);
        }
        let req = serde_json::from_value::<CreateApplicationRequest>(body).map_err(|e| TestCaseError::fail(e.to_string()))?;
        exercise(&req)?;
    }

    #[test]
    fn the_calendar_takes_any_instant(at in instant(), term in 0u32..40) {
        let calendar = Calendar::builtin();
        let registered = calendar.registered_on(at);
        prop_assert!(calendar.due_on(registered, term) >= registered);
        for service in &compiled().services {
            let _ = Deadlines::new(&calendar, service, registered);
        }
    }
}

fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    let any_instant =
        (DateTime::<Utc>::MIN_UTC.timestamp()..=DateTime::<Utc>::MAX_UTC.timestamp()).prop_map(|s| DateTime::from_timestamp(s, 0).expect("in range"));
    let edges = prop::sample::select(vec![DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC]);
    let near = (1_700_000_000i64..1_900_000_000).prop_map(|s| DateTime::from_timestamp(s, 0).expect("in range"));
    prop_oneof![any_instant, edges, near]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(CASES))]

    #[test]
    fn workflow_actions_take_any_json_and_any_instant(
        body in arb_json(), now in instant(), hearing in instant(), since in instant(), due_days in any::<i32>(), result_made in any::<bool>(),
    ) {
        let _ = serde_json::from_value::<Action>(body);
        let calendar = Calendar::builtin();
        let due_on = NaiveDate::from_num_days_from_ce_opt(due_days).unwrap_or(NaiveDate::MAX);
        let (service, collection) = (ServiceCode::ALL[usize::from(result_made)], CollectionPlace::ALL[usize::from(!result_made)]);
        let channel = Channel::ALL[due_days.unsigned_abs() as usize % Channel::ALL.len()];
        let ctx = Context { now, calendar: &calendar, service, channel, collection, objection_until: Some(hearing), due_on, result_made, hearing_at: Some(hearing), at_con_since: Some(since) };
        let mut actions = action_kinds(now);
        actions.push(Action::PreliminaryRefuse { hearing_at: hearing, place: None, ground: Some(RefusalGround::NoConsent) });
        for status in ApplicationStatus::ALL {
            for action in &actions {
                for role in Role::ALL {
                    let _ = transition(*status, action, *role, &ctx);
                }
            }
        }
    }
}

/// Random instants rarely land near the ends of `chrono`'s range, where date arithmetic overflows.
#[test]
fn the_calendar_survives_the_ends_of_time() {
    let calendar = Calendar::builtin();
    for at in [DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC] {
        let registered = calendar.registered_on(at);
        let due = calendar.due_on(registered, 15);
        assert!(due >= registered);
        let _ = calendar.subtract_working_days(registered, 3);
        for service in &compiled().services {
            let _ = Deadlines::new(&calendar, service, registered);
        }
    }
}
