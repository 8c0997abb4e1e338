//! Test vectors (`tests/vectors/*.json`): inputs with the codes they must produce, for every
//! parser, for whole applications and for due dates. The same file runs natively (`cargo test`)
//! and in headless Chromium (`cargo test --target wasm32-unknown-unknown --test vectors`, see
//! `shared/webdriver.json`), which proves the browser and the server agree.

#[path = "vectors/harness.rs"]
mod harness;

use chrono::{DateTime, NaiveDate, Utc};
use serde_json::Value;
use telnuska_shared::api::{CreateApplicationRequest, ServiceCode};
use telnuska_shared::application::{notices, validate, ValidationContext};
use telnuska_shared::calendar::Calendar;
use telnuska_shared::deadlines::Deadlines;
use telnuska_shared::document::{check_graduation, CodeKind, DocumentCode};
use telnuska_shared::email::Email;
use telnuska_shared::error::ErrorCode;
use telnuska_shared::iin::Iin;
use telnuska_shared::person_name::PersonName;
use telnuska_shared::phone::Phone;
use telnuska_shared::reference::{compiled, RefusalGround};

use harness::{cases, expect_parse, pairs, remove, set, text, Report};

#[cfg(target_arch = "wasm32")]
wasm_bindgen_test::wasm_bindgen_test_configure!(run_in_browser);

const APPLICATIONS: &str = include_str!("vectors/applications.json");

/// Runs a string parser over a vector file.
fn run_parser<T: ToString, E: ErrorCode>(file: &'static str, json: &str, parse: impl Fn(&Value) -> Result<T, E>) {
    let mut report = Report::new(file);
    for case in cases(json).1 {
        let got = parse(&case).map(|v| v.to_string()).map_err(|e| e.code());
        report.case(&text(&case["input"]), expect_parse(&case, got));
    }
    report.finish();
}

fn input(case: &Value) -> &str {
    case["input"].as_str().expect("input is a string")
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn iin_vectors() {
    run_parser("iin.json", include_str!("vectors/iin.json"), |c| Iin::parse(input(c)));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn phone_vectors() {
    run_parser("phone.json", include_str!("vectors/phone.json"), |c| Phone::parse(input(c)));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn person_name_vectors() {
    run_parser("person_name.json", include_str!("vectors/person_name.json"), |c| PersonName::parse(input(c)));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn email_vectors() {
    run_parser("email.json", include_str!("vectors/email.json"), |c| Email::parse(input(c)));
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn document_code_vectors() {
    run_parser("document_code.json", include_str!("vectors/document_code.json"), |c| {
        let kind = match c["kind"].as_str() {
            Some("series") => CodeKind::Series,
            Some("number") => CodeKind::Number,
            Some("registration_number") => CodeKind::RegistrationNumber,
            other => panic!("unknown kind {other:?}"),
        };
        DocumentCode::parse(input(c), kind)
    });
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn graduation_year_vectors() {
    let mut report = Report::new("graduation_year.json");
    for case in cases(include_str!("vectors/graduation_year.json")).1 {
        let number = |k: &str| case[k].as_i64().and_then(|n| i32::try_from(n).ok()).expect("a year");
        let birth = case["birth"].as_str().map(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("a date"));
        let got = check_graduation(number("year"), number("current_year"), birth).map(|y| y.to_string()).map_err(|e| e.code());
        report.case(&case.to_string(), expect_parse(&case, got));
    }
    report.finish();
}

/// One application case: edit the base, validate, compare errors, notices and normalised values.
fn check_application(base: &Value, case: &Value, ctx: &ValidationContext<'_>) -> Result<(), String> {
    let mut json = base.clone();
    for (pointer, value) in case["set"].as_object().into_iter().flatten() {
        set(&mut json, pointer, value.clone())?;
    }
    for pointer in case["remove"].as_array().into_iter().flatten() {
        remove(&mut json, pointer.as_str().unwrap_or_default())?;
    }
    let req: CreateApplicationRequest = serde_json::from_value(json).map_err(|e| format!("does not deserialise: {e}"))?;
    let result = validate(&req, ctx);
    let mut errors: Vec<(String, String)> = result.as_ref().err().into_iter().flatten().map(|e| (e.field.clone(), e.code.to_string())).collect();
    errors.sort();
    let mut got_notices: Vec<(String, String)> = notices(&req).into_iter().map(|n| (n.field, n.code.to_string())).collect();
    got_notices.sort();
    let (want_errors, want_notices) = (pairs(case.get("errors")), pairs(case.get("notices")));
    if errors != want_errors || got_notices != want_notices {
        return Err(format!("errors {errors:?} (want {want_errors:?}); notices {got_notices:?} (want {want_notices:?})"));
    }
    if let (Ok(valid), Some(normalised)) = (&result, case["normalised"].as_object()) {
        let out = serde_json::to_value(&valid.request).expect("request serialises");
        for (pointer, want) in normalised {
            if out.pointer(pointer) != Some(want) {
                return Err(format!("{pointer} is {:?}, want {want}", out.pointer(pointer)));
            }
        }
    }
    Ok(())
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn application_vectors() {
    let (file, cases) = cases(APPLICATIONS);
    let today = NaiveDate::parse_from_str(file["today"].as_str().expect("today"), "%Y-%m-%d").expect("a date");
    let ctx = ValidationContext { today, reference: compiled() };
    let mut report = Report::new("applications.json");
    for case in &cases {
        report.case(&text(&case["name"]), check_application(&file["base"], case, &ctx));
    }
    for case in file["malformed"].as_array().expect("malformed cases") {
        let parsed = serde_json::from_value::<CreateApplicationRequest>(case["json"].clone());
        report.case(&text(&case["name"]), if parsed.is_err() { Ok(()) } else { Err("deserialised".into()) });
    }
    report.finish();
}

#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn due_date_vectors() {
    let calendar = Calendar::builtin();
    let mut report = Report::new("due_dates.json");
    for case in cases(include_str!("vectors/due_dates.json")).1 {
        let outcome = (|| {
            let service = ServiceCode::from_code(case["service"].as_str().unwrap_or_default()).ok_or("unknown service")?;
            let at: DateTime<Utc> = DateTime::parse_from_rfc3339(case["submitted_at"].as_str().unwrap_or_default()).map_err(|e| e.to_string())?.into();
            let d = Deadlines::new(&calendar, compiled().service(service), calendar.registered_on(at));
            let got = serde_json::json!({
                "registered_on": d.registered_on, "due_on": d.due_on, "certainty": calendar.certainty(d.due_on),
                "review_by": d.review_by, "send_to_con_by": d.send_to_con_by, "hearing_notice_by": d.hearing_notice_by,
            });
            let want: serde_json::Map<String, Value> = got.as_object().expect("object").keys().map(|k| (k.clone(), case[k].clone())).collect();
            if got == Value::Object(want.clone()) {
                Ok(())
            } else {
                Err(format!("got {got}, want {}", Value::Object(want)))
            }
        })();
        report.case(&text(&case["name"]), outcome);
    }
    report.finish();
}

/// Refusal grounds per service (audit item 5): the catalogue's list, as the workflow checks it.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn refusal_ground_vectors() {
    let mut report = Report::new("refusal_grounds.json");
    for case in cases(include_str!("vectors/refusal_grounds.json")).1 {
        let outcome = (|| {
            let service = ServiceCode::from_code(case["service"].as_str().unwrap_or_default()).ok_or("unknown service")?;
            let ground: RefusalGround = serde_json::from_value(case["ground"].clone()).map_err(|e| e.to_string())?;
            let (got, want) = (compiled().service(service).refuses_on(ground), case["listed"].as_bool().ok_or("listed is a boolean")?);
            if got == want {
                Ok(())
            } else {
                Err(format!("listed {got}, want {want}"))
            }
        })();
        report.case(&text(&case["name"]), outcome);
    }
    report.finish();
}

/// Times validation of the complete three-document application (the vectors' base), the work
/// the form does on every keystroke. Prints the figure and never asserts on time.
#[cfg_attr(not(target_arch = "wasm32"), test)]
#[cfg_attr(target_arch = "wasm32", wasm_bindgen_test::wasm_bindgen_test)]
fn validation_time_per_application() {
    const ITERATIONS: u32 = 2_000;
    let file: Value = serde_json::from_str(APPLICATIONS).expect("JSON");
    let req: CreateApplicationRequest = serde_json::from_value(file["base"].clone()).expect("base deserialises");
    assert_eq!(req.documents.len(), 3);
    let ctx = ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date"), reference: compiled() };
    assert!(validate(&req, &ctx).is_ok(), "the base is valid, so the figure is for the full path");
    let start = now_ms();
    let valid = (0..ITERATIONS).filter(|_| validate(std::hint::black_box(&req), &ctx).is_ok()).count();
    let per_validation_us = (now_ms() - start) * 1000.0 / f64::from(ITERATIONS);
    assert_eq!(valid, ITERATIONS as usize);
    let line = format!("validate (3 documents): {per_validation_us:.1} µs per application over {ITERATIONS} runs");
    #[cfg(target_arch = "wasm32")]
    wasm_bindgen_test::console_log!("{line}");
    #[cfg(not(target_arch = "wasm32"))]
    println!("{line}");
}

#[cfg(target_arch = "wasm32")]
fn now_ms() -> f64 {
    js_sys::Date::now()
}

#[cfg(not(target_arch = "wasm32"))]
fn now_ms() -> f64 {
    use std::sync::OnceLock;
    static START: OnceLock<std::time::Instant> = OnceLock::new();
    START.get_or_init(std::time::Instant::now).elapsed().as_secs_f64() * 1000.0
}
