//! Criterion benchmark: a provider's register of 10,000 issued documents imported (CSV parsed
//! and checked line by line, then stored in one transaction on SQLite) and 10,000 applications
//! matched against it, one look-up each as the staff view does.

use chrono::{Datelike, NaiveDate, Utc};
use criterion::{criterion_group, criterion_main, Criterion};
use telnuska_server::config::Config;
use telnuska_server::routes::graduates::parse_register;
use telnuska_server::store::graduates as store;
use telnuska_shared::api::RegisterOutcome;
use telnuska_shared::graduate_register::Claim;
use telnuska_shared::iin::check_digit;

/// Documents in the register, and applications matched.
const ROWS: usize = 10_000;

/// A valid IIN for graduate `n` (born on a day of 1995–2004, serials counting up).
fn iin(n: usize) -> String {
    let born = NaiveDate::from_ymd_opt(1995, 1, 1).expect("a date") + chrono::Duration::days((n % 3650) as i64);
    let century = if born.year() < 2000 { 3 } else { 5 };
    (0..)
        .map(|serial| format!("{}{century}{:04}", born.format("%y%m%d"), (n / 3650) * 100 + serial))
        .find_map(|first11| {
            let digits: Vec<u32> = first11.chars().filter_map(|c| c.to_digit(10)).collect();
            check_digit(&digits.clone().try_into().ok()?).map(|d| format!("{first11}{d}"))
        })
        .expect("some serial has a check digit")
}

fn register_csv() -> String {
    let mut csv = String::from("last_name,first_name,patronymic,iin,series,number,registration_number,graduation_year,specialty\n");
    for n in 0..ROWS {
        csv.push_str(&format!("Сейітқали,Әсел,Маратқызы,{},BD,{:07},{n},2015,Жалпы медицина\n", iin(n), n + 1));
    }
    csv
}

fn bench_register(c: &mut Criterion) {
    let dir = std::env::temp_dir().join(format!("telnuska-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    std::env::set_var("DATABASE_URL", format!("sqlite://{}", dir.join("bench.db").display()));
    let config = Config::from_env().expect("config");
    let rt = tokio::runtime::Runtime::new().expect("a runtime");
    let pool = rt.block_on(telnuska_server::db::connect(&config)).expect("a migrated database");
    let csv = register_csv();
    let records = parse_register(csv.as_bytes(), 2026).expect("a valid register");
    assert_eq!(records.len(), ROWS);

    let mut group = c.benchmark_group("graduate register");
    group.sample_size(10);
    group.bench_function("import 10,000 rows (parse CSV + store)", |b| {
        b.iter(|| {
            let records = parse_register(std::hint::black_box(csv.as_bytes()), 2026).expect("a valid register");
            rt.block_on(store::replace(&pool, "kaznmu", &records, "bench", Utc::now())).expect("stored");
        })
    });
    let claims: Vec<Claim> = records
        .iter()
        .map(|(_, r)| Claim {
            last_name: "СЕЙИТКАЛИ".into(),
            first_name: r.first_name.to_string(),
            patronymic: "Маратқызы".into(),
            iin: r.iin.to_string(),
            series: "ВD".into(),
            number: r.number.to_string(),
            registration_number: r.registration_number.to_string(),
            graduation_year: Some(2015),
            specialty: "жалпы медицина".into(),
        })
        .collect();
    group.bench_function("match 10,000 applications", |b| {
        b.iter(|| {
            rt.block_on(async {
                for claim in &claims {
                    let found = store::candidates(&pool, "kaznmu", claim).await.expect("read");
                    assert_eq!(claim.check(&found).outcome, RegisterOutcome::Matches);
                }
            })
        })
    });
    group.finish();
    let _ = std::fs::remove_dir_all(&dir);
}

criterion_group!(benches, bench_register);
criterion_main!(benches);
