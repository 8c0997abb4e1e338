//! The orphan clean-up of attachments (API.md: an attachment no application refers to is removed
//! after 24 hours), run directly against a migrated SQLite file and a fresh PostgreSQL database
//! in the server of `TELNUSKA_TEST_POSTGRES_URL` (which `cargo xtask test` starts and sets).

use chrono::{DateTime, Duration, TimeZone, Utc};
use serde_json::json;
use sqlx::{AnyPool, Connection, Executor, PgConnection};
use telnuska_server::clock::stored;
use telnuska_server::store::intake::{self, AttachmentInfo};
use telnuska_server::store::writes::WriteGate;

/// More applications than the clean-up reads in one page, so paging is exercised.
const FILLER_APPLICATIONS: usize = 520;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 5, 0, 0).unwrap()
}

async fn upload(pool: &AnyPool, at: DateTime<Utc>) -> String {
    let info = AttachmentInfo { id: uuid::Uuid::new_v4().to_string(), sha256: "00".repeat(32), size: 4, content_type: "application/pdf".into() };
    let mut tx = pool.begin().await.unwrap();
    intake::insert_attachment(&mut tx, &info, b"%PDF".to_vec(), at).await.unwrap();
    tx.commit().await.unwrap();
    info.id
}

/// An application row as the server stores it, its request naming `attachment_ids`.
async fn apply(pool: &AnyPool, id: &str, attachment_ids: &[&str], at: DateTime<Utc>) {
    let attachments: Vec<_> = attachment_ids.iter().map(|a| json!({"kind": "original_document", "id": a})).collect();
    let request = json!({"service": "higher_duplicate", "channel": "portal", "documents": [], "attachments": attachments,
                         "applicant": {"iin": "010101599904", "last_name": "Сейітқали", "first_name": "Әсел"}});
    sqlx::query(
        "INSERT INTO applications (id, number, service, channel, status, applicant_iin, applicant_phone, institution, lang, \
         submitted_at, registered_on, due_on, tracking_token_hash, request_json, created_at, updated_at) \
         VALUES ($1, $1, 'higher_duplicate', 'portal', 'registered', '010101599904', '+77011234567', 'kaznmu', 'kk', \
         $2, '2026-11-30', '2026-12-22', 'hash', $3, $2, $2)",
    )
    .bind(id)
    .bind(stored(at))
    .bind(request.to_string())
    .execute(pool)
    .await
    .unwrap();
}

async fn an_unreferenced_attachment_older_than_the_cutoff_is_removed_and_no_other(pool: &AnyPool, writes: &WriteGate) {
    let day_ago = now() - Duration::hours(intake::ORPHAN_ATTACHMENT_HOURS);
    let referenced = upload(pool, day_ago - Duration::hours(2)).await;
    let orphan = upload(pool, day_ago - Duration::hours(1)).await;
    let fresh = upload(pool, now() - Duration::hours(1)).await;
    for i in 0..FILLER_APPLICATIONS {
        apply(pool, &format!("app-{i:04}"), &[], day_ago).await;
    }
    // Sorted last, so it is only found on the scan's second page.
    apply(pool, "app-9999", &[&referenced], day_ago - Duration::minutes(30)).await;

    let removed = intake::delete_orphan_attachments(pool, writes, day_ago).await.unwrap();

    assert_eq!(removed, 1);
    let left = intake::existing_attachment_ids(pool, &[&referenced, &orphan, &fresh]).await.unwrap();
    assert!(left.contains(&referenced) && left.contains(&fresh) && !left.contains(&orphan), "{left:?}");
    assert_eq!(intake::delete_orphan_attachments(pool, writes, day_ago).await.unwrap(), 0, "a second pass removes nothing");
}

#[tokio::test]
async fn orphan_attachments_are_removed_on_sqlite() {
    sqlx::any::install_default_drivers();
    let dir = std::env::temp_dir().join(format!("telnuska-orphans-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let pool = AnyPool::connect(&format!("sqlite://{}?mode=rwc", dir.join("t.db").display())).await.unwrap();
    sqlx::migrate!("./migrations/sqlite").run(&pool).await.unwrap();
    an_unreferenced_attachment_older_than_the_cutoff_is_removed_and_no_other(&pool, &WriteGate::new(true)).await;
    pool.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn orphan_attachments_are_removed_on_postgres() {
    // Without PostgreSQL this test fails rather than passing unrun: production runs on it.
    let admin_url = std::env::var("TELNUSKA_TEST_POSTGRES_URL")
        .expect("TELNUSKA_TEST_POSTGRES_URL is not set: run the tests with `cargo xtask test`, which starts PostgreSQL");
    sqlx::any::install_default_drivers();
    let name = format!("telnuska_orphans_{}", uuid::Uuid::new_v4().simple());
    let mut admin = PgConnection::connect(&admin_url).await.unwrap();
    admin.execute(format!("CREATE DATABASE {name}").as_str()).await.unwrap();
    let base = admin_url.rsplit_once('/').map_or(admin_url.as_str(), |(b, _)| b);
    let pool = AnyPool::connect(&format!("{base}/{name}")).await.unwrap();
    sqlx::migrate!("./migrations/postgres").run(&pool).await.unwrap();
    an_unreferenced_attachment_older_than_the_cutoff_is_removed_and_no_other(&pool, &WriteGate::new(false)).await;
    pool.close().await;
    admin.execute(format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)").as_str()).await.unwrap();
}
