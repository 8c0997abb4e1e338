//! One writer at a time on SQLite, queued in the server instead of in SQLite's busy handler.
//!
//! SQLite lets one transaction write at a time. A second writer that finds the lock taken is
//! put to sleep by SQLite's busy handler for 1, 2, 5, 10, 15, 20, 25… ms before it looks again,
//! so under a steady stream of submissions the unlucky ones waited tens of milliseconds for a
//! lock that was free after one. Taking a turn here first, in arrival order, wakes the next
//! writer the moment the previous one commits. PostgreSQL locks rows, not the database: there the
//! gate is open. Every transaction of an application's life goes through it (submissions,
//! actions, the desk, the jobs); the administrators' rare writes (accounts, the calendar, a
//! graduate register, outside any request burst) begin on the pool and rely on the busy handler.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use sqlx::{Any, AnyPool, Transaction};
use tokio::sync::{Mutex, OwnedMutexGuard};

/// Where write transactions begin; cheap to clone.
#[derive(Clone, Default)]
pub struct WriteGate(Option<Arc<Mutex<()>>>);

impl WriteGate {
    /// A gate that lets one write transaction at a time (SQLite), or every one (PostgreSQL).
    pub fn new(one_at_a_time: bool) -> Self {
        Self(one_at_a_time.then(|| Arc::new(Mutex::new(()))))
    }

    /// Begins a transaction that will write, after the previous writer finished. Never nest:
    /// a second `begin` while one is open in the same task waits for itself.
    pub async fn begin(&self, pool: &AnyPool) -> Result<WriteTx, sqlx::Error> {
        let turn = match &self.0 {
            Some(gate) => Some(gate.clone().lock_owned().await),
            None => None,
        };
        Ok(WriteTx { tx: pool.begin().await?, _turn: turn })
    }
}

/// A write transaction holding its turn until it commits or is dropped (rolled back).
pub struct WriteTx {
    // Declared first so it is dropped (rolled back) before the turn passes on.
    tx: Transaction<'static, Any>,
    _turn: Option<OwnedMutexGuard<()>>,
}

impl WriteTx {
    /// Commits, then passes the turn on.
    pub async fn commit(self) -> Result<(), sqlx::Error> {
        self.tx.commit().await
    }
}

impl Deref for WriteTx {
    type Target = Transaction<'static, Any>;

    fn deref(&self) -> &Self::Target {
        &self.tx
    }
}

impl DerefMut for WriteTx {
    fn deref_mut(&mut self) -> &mut Self::Target {
        &mut self.tx
    }
}

#[cfg(test)]
mod tests {
    use super::WriteGate;

    #[tokio::test]
    async fn writers_take_turns_on_sqlite_and_not_on_postgres() {
        sqlx::any::install_default_drivers();
        let pool = sqlx::any::AnyPoolOptions::new().max_connections(2).connect("sqlite::memory:").await.unwrap();
        let gate = WriteGate::new(true);
        let first = gate.begin(&pool).await.unwrap();
        let waiting = tokio::time::timeout(std::time::Duration::from_millis(50), gate.begin(&pool)).await;
        assert!(waiting.is_err(), "a second writer waits for the first");
        first.commit().await.unwrap();
        let second = tokio::time::timeout(std::time::Duration::from_secs(5), gate.begin(&pool)).await;
        assert!(matches!(second, Ok(Ok(_))), "and goes on once it committed");
        drop(second);
        let open = WriteGate::new(false);
        let _a = open.begin(&pool).await.unwrap();
        let b = tokio::time::timeout(std::time::Duration::from_secs(5), open.begin(&pool)).await;
        assert!(matches!(b, Ok(Ok(_))), "PostgreSQL's gate is open");
    }
}
