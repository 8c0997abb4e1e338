//! The database pool (sqlx `Any` over SQLite or PostgreSQL) and its migrations.

use std::time::Duration;

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::config::{Config, DatabaseKind};

/// The migrations of each engine, embedded in the binary; their schemas differ only in types.
static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Connects (creating a SQLite file if missing) and migrates.
pub async fn connect(config: &Config) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    let url = match config.database_kind {
        DatabaseKind::Sqlite if !config.database_url.expose().contains("mode=") => {
            let sep = if config.database_url.expose().contains('?') { '&' } else { '?' };
            format!("{}{sep}mode=rwc", config.database_url.expose())
        }
        _ => config.database_url.expose().to_string(),
    };
    let kind = config.database_kind;
    let pool = AnyPoolOptions::new()
        .max_connections(if kind == DatabaseKind::Sqlite { 8 } else { 16 })
        .acquire_timeout(Duration::from_secs(10))
        .after_connect(move |conn, _| {
            Box::pin(async move {
                if kind == DatabaseKind::Sqlite {
                    // Writers queue for up to 10 s instead of failing at once; WAL lets readers
                    // go on while one writes; FULL sync keeps every acknowledged submission.
                    conn.execute("PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; PRAGMA synchronous = FULL;").await?;
                }
                Ok(())
            })
        })
        .connect(&url)
        .await?;
    if kind == DatabaseKind::Sqlite {
        pool.execute("PRAGMA journal_mode = WAL;").await?;
        SQLITE_MIGRATIONS.run(&pool).await?;
    } else {
        POSTGRES_MIGRATIONS.run(&pool).await?;
    }
    Ok(pool)
}
