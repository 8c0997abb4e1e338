//! Operations from the command line: `backup PATH`, `restore PATH`, `verify`, `create-admin LOGIN`.

use std::path::{Path, PathBuf};

use sqlx::any::AnyPoolOptions;
use sqlx::{AnyPool, Executor};

use crate::config::{Config, DatabaseKind};
use crate::store::chain::{verify_chains, verify_log, verify_rows, LogHead};

/// Why an operation failed.
#[derive(Debug, thiserror::Error)]
pub enum CommandError {
    /// Not available on this database engine.
    #[error("{0}")]
    Unsupported(String),
    /// A file problem.
    #[error("{path}: {source}")]
    Io {
        /// Which file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A database problem.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// The backup is not a sound Telnuska database.
    #[error("{0}")]
    BadBackup(String),
    /// A storage problem.
    #[error("{0}")]
    Store(#[from] crate::store::StoreError),
}

fn sqlite_path(config: &Config) -> PathBuf {
    PathBuf::from(config.database_url.expose().trim_start_matches("sqlite://").trim_start_matches("sqlite:").split('?').next().unwrap_or_default())
}

/// An online, consistent copy of the SQLite database (`VACUUM INTO`), safe while the server runs.
pub async fn backup(config: &Config, target: &Path) -> Result<(), CommandError> {
    if config.database_kind == DatabaseKind::Postgres {
        return Err(CommandError::Unsupported(format!(
            "PostgreSQL: use `pg_dump --format=custom --file {} \"$DATABASE_URL\"` (and pg_restore to restore)",
            target.display()
        )));
    }
    if target.exists() {
        return Err(CommandError::Io { path: target.into(), source: std::io::Error::new(std::io::ErrorKind::AlreadyExists, "will not overwrite") });
    }
    let pool = crate::db::connect(config).await?;
    let quoted = target.display().to_string().replace('\'', "''");
    pool.execute(format!("VACUUM INTO '{quoted}'").as_str()).await?;
    pool.close().await;
    Ok(())
}

async fn open_sqlite(path: &Path, mode: &str) -> Result<AnyPool, sqlx::Error> {
    sqlx::any::install_default_drivers();
    AnyPoolOptions::new().max_connections(1).connect(&format!("sqlite://{}?mode={mode}", path.display())).await
}

/// Replaces the SQLite database by a backup, after checking the backup's integrity; the current
/// file is kept beside it. The server must be stopped.
pub async fn restore(config: &Config, source: &Path) -> Result<PathBuf, CommandError> {
    if config.database_kind == DatabaseKind::Postgres {
        return Err(CommandError::Unsupported(format!("PostgreSQL: use `pg_restore --clean --dbname \"$DATABASE_URL\" {}`", source.display())));
    }
    let check = open_sqlite(source, "ro").await?;
    let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&check).await?;
    let migrated: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&check).await.unwrap_or(0);
    check.close().await;
    if integrity != "ok" || migrated == 0 {
        return Err(CommandError::BadBackup(format!("{} is not a sound Telnuska database (integrity: {integrity})", source.display())));
    }
    let live = sqlite_path(config);
    let kept = live.with_extension(format!("before-restore-{}.db", chrono::Utc::now().format("%Y%m%dT%H%M%S")));
    if live.exists() {
        std::fs::rename(&live, &kept).map_err(|e| CommandError::Io { path: live.clone(), source: e })?;
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", live.display()));
    }
    std::fs::copy(source, &live).map_err(|e| CommandError::Io { path: live.clone(), source: e })?;
    Ok(kept)
}

/// Checks every application's hash chain, the log-wide chain, every application's row against
/// its events, and the log against `anchors` (heads printed on courier registers); returns the
/// number of events checked.
pub async fn verify(config: &Config, anchors: &[LogHead]) -> Result<u64, CommandError> {
    let pool = crate::db::connect(config).await?;
    let (checked, broken) = verify_chains(&pool).await?;
    let log = verify_log(&pool).await?;
    let rows = verify_rows(&pool).await?;
    let mut found = Vec::new();
    // A rewrite of the whole chain can be consistent in itself; it cannot match the paper.
    for anchor in anchors {
        match crate::store::chain::log_hash_at(&pool, anchor.cursor).await? {
            Some(hash) if hash == anchor.hash => {}
            Some(hash) => found.push(format!("event {} carries {hash}, not the {} its courier register printed", anchor.cursor, anchor.hash)),
            None => found.push(format!("event {}, whose head a courier register printed, is missing", anchor.cursor)),
        }
    }
    pool.close().await;
    if !broken.is_empty() {
        let list = broken.iter().map(|b| format!("{} (from event {})", b.application_id, b.at_cursor)).collect::<Vec<_>>().join(", ");
        found.push(format!("{} broken chain(s): {list}", broken.len()));
    }
    if let Some(b) = log {
        found.push(format!("the log-wide chain breaks at event {} ({})", b.at_cursor, b.reason));
    }
    if !rows.is_empty() {
        let list = rows.iter().map(|m| format!("{} ({} differs from its events)", m.application_id, m.column)).collect::<Vec<_>>().join(", ");
        found.push(format!("{} application row(s) changed: {list}", rows.len()));
    }
    if found.is_empty() {
        Ok(checked)
    } else {
        Err(CommandError::BadBackup(found.join("; ")))
    }
}

/// Creates the first administrator of a database (outside demo mode there is no other way in):
/// `login` with the password read from the first line of standard input, never from the command
/// line, where other users of the machine could see it. Refuses a taken login or a short password.
pub async fn create_admin(config: &Config, login: &str, password: &str) -> Result<(), CommandError> {
    if password.chars().count() < crate::routes::MIN_STAFF_PASSWORD_CHARS {
        return Err(CommandError::Unsupported(format!("the password must have at least {} characters", crate::routes::MIN_STAFF_PASSWORD_CHARS)));
    }
    let pool = crate::db::connect(config).await?;
    let now = chrono::Utc::now();
    let created = crate::store::staff::create_if_missing(&pool, login, password, telnuska_shared::api::Role::Admin, login, &[], now).await?;
    if !created {
        return Err(CommandError::Unsupported(format!("the login {login:?} is taken; reset its password with PUT /api/admin/staff/{login}/password")));
    }
    Ok(())
}
