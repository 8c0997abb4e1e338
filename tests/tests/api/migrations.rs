//! The two migration sets (`server/migrations/sqlite/`, `server/migrations/postgres/`) are
//! written twice, once per engine: they must define the same tables, columns and nullability, or
//! a query that works on the embedded default fails in production.

use std::collections::BTreeSet;

use sqlx::{Connection, PgConnection, Row, SqliteConnection};
use telnuska_tests::{Backend, TestApp};

/// `table.column` and whether the column may hold NULL, from the live schema.
type Schema = BTreeSet<(String, String, bool)>;

/// The migration bookkeeping table of sqlx, not part of either migration set.
const BOOKKEEPING: &str = "_sqlx_migrations";

async fn sqlite_schema(url: &str) -> Schema {
    let mut conn = SqliteConnection::connect(url).await.expect("open the SQLite database");
    let rows = sqlx::query(
        "SELECT m.name AS table_name, p.name AS column_name, p.\"notnull\" AS not_null, p.pk AS pk \
         FROM sqlite_master m JOIN pragma_table_info(m.name) p \
         WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%' AND m.name <> ?",
    )
    .bind(BOOKKEEPING)
    .fetch_all(&mut conn)
    .await
    .expect("read the SQLite schema");
    rows.iter()
        .map(|r| {
            // SQLite lets a non-INTEGER primary key hold NULL unless declared NOT NULL; PostgreSQL
            // never does. Both refuse it in practice only if declared, so a primary key counts as
            // NOT NULL on both sides.
            let nullable = r.get::<i64, _>("not_null") == 0 && r.get::<i64, _>("pk") == 0;
            (r.get("table_name"), r.get("column_name"), nullable)
        })
        .collect()
}

async fn postgres_schema(url: &str) -> Schema {
    let mut conn = PgConnection::connect(url).await.expect("open the PostgreSQL database");
    let rows = sqlx::query(
        "SELECT table_name::text AS table_name, column_name::text AS column_name, is_nullable::text AS is_nullable \
         FROM information_schema.columns WHERE table_schema = 'public' AND table_name <> $1",
    )
    .bind(BOOKKEEPING)
    .fetch_all(&mut conn)
    .await
    .expect("read the PostgreSQL schema");
    rows.iter().map(|r| (r.get("table_name"), r.get("column_name"), r.get::<String, _>("is_nullable") == "YES")).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite_and_postgresql_migrations_define_the_same_tables_and_columns() {
    // Each server migrates its fresh database on start.
    let sqlite = TestApp::spawn(Backend::Sqlite).await;
    let postgres = TestApp::spawn(Backend::Postgres).await;
    let (lite, pg) = (sqlite_schema(sqlite.database_url()).await, postgres_schema(postgres.database_url()).await);
    assert!(lite.len() > 20, "the SQLite schema was read: {lite:?}");
    let only_lite: Vec<_> = lite.difference(&pg).collect();
    let only_pg: Vec<_> = pg.difference(&lite).collect();
    assert!(only_lite.is_empty() && only_pg.is_empty(), "(table, column, nullable) only in SQLite: {only_lite:?}\nonly in PostgreSQL: {only_pg:?}");
}
