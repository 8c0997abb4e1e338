//! Criterion benchmark: validating a complete three-document application natively (the base of
//! `tests/vectors/applications.json`), from typed request and from the JSON body the server gets.
//! The wasm figure for the same work comes from `validation_time_per_application` in
//! `tests/vectors.rs`, run in headless Chromium.

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use chrono::NaiveDate;
    use criterion::{criterion_group, Criterion};
    use serde_json::Value;
    use telnuska_shared::api::CreateApplicationRequest;
    use telnuska_shared::application::{notices, validate, ValidationContext};
    use telnuska_shared::reference::compiled;

    fn bench_validate(c: &mut Criterion) {
        let file: Value = serde_json::from_str(include_str!("../tests/vectors/applications.json")).expect("vector file is JSON");
        let body = serde_json::to_string(&file["base"]).expect("base serialises");
        let req: CreateApplicationRequest = serde_json::from_str(&body).expect("base deserialises");
        assert_eq!(req.documents.len(), 3, "the benchmark is of a three-document application");
        let ctx = ValidationContext { today: NaiveDate::from_ymd_opt(2026, 11, 25).expect("a date"), reference: compiled() };
        assert!(validate(&req, &ctx).is_ok(), "the base application is valid");

        c.bench_function("validate 3-document application", |b| b.iter(|| validate(std::hint::black_box(&req), &ctx)));
        c.bench_function("validate + notices 3-document application", |b| b.iter(|| (validate(std::hint::black_box(&req), &ctx).is_ok(), notices(&req).len())));
        c.bench_function("deserialise + validate 3-document JSON body", |b| {
            b.iter(|| {
                let parsed: CreateApplicationRequest = serde_json::from_str(std::hint::black_box(&body)).expect("valid JSON");
                validate(&parsed, &ctx).is_ok()
            })
        });
    }

    criterion_group!(benches, bench_validate);
}

#[cfg(not(target_arch = "wasm32"))]
criterion::criterion_main!(native::benches);

/// Criterion does not build for wasm32; the browser figure comes from `tests/vectors.rs`.
#[cfg(target_arch = "wasm32")]
fn main() {}
